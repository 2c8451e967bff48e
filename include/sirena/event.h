/* event.h - the event model: one alert as one source sees it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	SR_KIND_AIR_RAID,
	SR_KIND_MISSILE,
	SR_KIND_UAV,
	SR_KIND_ARTILLERY,
	SR_KIND_URBAN_FIGHTS,
	SR_KIND_CHEMICAL,
	SR_KIND_NUCLEAR,
	SR_KIND_HAZMAT,
	SR_KIND_EARTHQUAKE,
	SR_KIND_TSUNAMI,
	SR_KIND_INFILTRATION,
	SR_KIND_WEATHER,
	SR_KIND_FLOOD,
	SR_KIND_FIRE,
	SR_KIND_HEALTH,
	SR_KIND_CIVIL,
	SR_KIND_OTHER,
	SR_KIND_UNKNOWN,
	SR_KIND_LAST
} SrKind;

typedef enum {
	SR_PHASE_PRE_ALERT,
	SR_PHASE_ACTIVE,
	SR_PHASE_STAY_NEAR,
	SR_PHASE_ENDED,
	SR_PHASE_CANCELLED,
	SR_PHASE_LAST
} SrPhase;

typedef enum { SR_STATUS_ACTUAL, SR_STATUS_EXERCISE, SR_STATUS_TEST, SR_STATUS_LAST } SrStatus;

/* CAP 1.2 values; the order is the order of importance, so they compare */
typedef enum {
	SR_SEVERITY_UNKNOWN,
	SR_SEVERITY_MINOR,
	SR_SEVERITY_MODERATE,
	SR_SEVERITY_SEVERE,
	SR_SEVERITY_EXTREME,
	SR_SEVERITY_LAST
} SrSeverity;

typedef enum {
	SR_URGENCY_UNKNOWN,
	SR_URGENCY_PAST,
	SR_URGENCY_FUTURE,
	SR_URGENCY_EXPECTED,
	SR_URGENCY_IMMEDIATE,
	SR_URGENCY_LAST
} SrUrgency;

typedef enum {
	SR_CERTAINTY_UNKNOWN,
	SR_CERTAINTY_UNLIKELY,
	SR_CERTAINTY_POSSIBLE,
	SR_CERTAINTY_LIKELY,
	SR_CERTAINTY_OBSERVED,
	SR_CERTAINTY_LAST
} SrCertainty;

const char *sr_kind_to_string(SrKind kind);
gboolean sr_kind_from_string(const char *str, SrKind *kind);
const char *sr_phase_to_string(SrPhase phase);
gboolean sr_phase_from_string(const char *str, SrPhase *phase);
const char *sr_status_to_string(SrStatus status);
gboolean sr_status_from_string(const char *str, SrStatus *status);
const char *sr_severity_to_string(SrSeverity severity);
gboolean sr_severity_from_string(const char *str, SrSeverity *severity);
const char *sr_urgency_to_string(SrUrgency urgency);
gboolean sr_urgency_from_string(const char *str, SrUrgency *urgency);
const char *sr_certainty_to_string(SrCertainty certainty);
gboolean sr_certainty_from_string(const char *str, SrCertainty *certainty);

/* a point is (lat, lon) in degrees, WGS84 */
typedef struct {
	double lat;
	double lon;
} SrPoint;

typedef struct {
	double lat;
	double lon;
	double radius_km;
} SrCircle;

typedef struct {
	char *name;
	char *value;
} SrGeocode;

void sr_geocode_free(SrGeocode *geocode);

typedef struct {
	char *description;   /* as published, may be NULL */
	GPtrArray *polygons; /* of GArray of SrPoint, closed */
	GArray *circles;     /* of SrCircle */
	GPtrArray *geocodes; /* of SrGeocode* */
} SrArea;

/* times are UTC seconds since the epoch; 0 means "unknown" and is never printed as a time */
typedef struct {
	char *source; /* source instance name from the config */
	char *id;     /* stable identity within the source, "<source>:<upstream id>" */
	SrKind kind;
	SrPhase phase;
	SrStatus status;
	SrSeverity severity;
	SrUrgency urgency;
	SrCertainty certainty;
	GPtrArray *regions; /* of char*, canonical ids such as "ua:31" */
	SrArea area;
	gint64 started_at;
	gint64 updated_at;
	gint64 ended_at;
	gint64 expires_at;
	char *headline;
	char *description;
	char *instruction;
	char *web;
	char *language;
	GPtrArray *references; /* of char* */
} SrEvent;

SrEvent *sr_event_new(const char *source, const char *id);
SrEvent *sr_event_ref(SrEvent *event);
void sr_event_unref(SrEvent *event);
SrEvent *sr_event_copy(const SrEvent *event);

void sr_event_add_region(SrEvent *event, const char *region_id);
gboolean sr_event_has_region(const SrEvent *event, const char *region_id);
/* references past this many are dropped (real chains have a handful; the first ones, the
 * oldest when added in order, are the ones that identify the chain) */
#define SR_EVENT_MAX_REFERENCES 256
void sr_event_add_reference(SrEvent *event, const char *id);
void sr_event_add_geocode(SrEvent *event, const char *name, const char *value);
void sr_event_add_circle(SrEvent *event, double lat, double lon, double radius_km);
/* takes the points, closes the ring when it is open; returns FALSE for fewer than 3 points */
gboolean sr_event_add_polygon(SrEvent *event, const SrPoint *points, guint n_points);
void sr_event_set_text(char **field, const char *value);
/* sr_event_set_text() for text from upstream: bytes that are not UTF-8 are replaced (U+FFFD) */
void sr_event_set_upstream_text(char **field, const char *value);

/* the UTC instant of a proleptic Gregorian date and time of day, by arithmetic (no GDateTime):
 * FALSE for a field out of range or a day the month does not have (2026-02-30); a leap
 * second (60) reads as 59, as GDateTime reads it */
gboolean sr_time_from_civil(gint year, gint month, gint day, gint hour, gint minute, gint second,
                            gint64 *out);

/* content equality: everything a user would see change, but not updated_at */
gboolean sr_event_same_content(const SrEvent *a, const SrEvent *b);

/* whether the event is going on: in a pre-alert, active or stay-near phase, whatever its
 * status (the engine never shows an exercise or a test as real, but tracks it) */
gboolean sr_event_is_active(const SrEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrEvent, sr_event_unref)

G_END_DECLS
