/* engine.h - tracking, fusion and staleness: source batches in, changes out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <cjson/cJSON.h>

#include "sirena/event.h"
#include "sirena/geo.h"
#include "sirena/region.h"
#include "sirena/source.h"

G_BEGIN_DECLS

typedef enum {
	SR_SOURCE_STATE_OK,    /* answered successfully within its window */
	SR_SOURCE_STATE_STALE, /* answered before, but not within its window: its last word is kept
	                        */
	SR_SOURCE_STATE_ERROR, /* never answered, or failed in a way the user must fix (bad token)
	                        */
} SrSourceState;

const char *sr_source_state_to_string(SrSourceState state);

typedef struct {
	char *name;
	char *type;
	SrSourceState state;
	gboolean reported_down; /* the user has been told it is down */
	gint64 last_success;    /* UTC seconds, 0 = never */
	gint64 last_failure;
	gint64 down_since;   /* when the current run of failures began, 0 when ok */
	guint failures;      /* in a row */
	char *error;         /* the last error, NULL when the last attempt succeeded */
	gdouble stale_after; /* seconds */
	gboolean had_success;
} SrSourceHealth;

/* one real alert: every source's event about one (region, kind) fused into one */
typedef struct {
	char *key;          /* "ua:31:air_raid" */
	SrEvent *event;     /* the fused view, source "sirena", id = key */
	GPtrArray *sources; /* of char*: the sources reporting it, in config order */
	GPtrArray *events;  /* of SrEvent*: their events */
} SrAlert;

typedef enum {
	SR_CHANGE_STARTED,
	SR_CHANGE_UPDATED,
	SR_CHANGE_ENDED,
	SR_CHANGE_SOURCE, /* a source went down or came back */
} SrChangeType;

const char *sr_change_type_to_string(SrChangeType type);

typedef struct {
	SrChangeType type;
	gint64 at;
	gboolean baseline;    /* reported by a source's first successful poll: already going on */
	const SrAlert *alert; /* for started / updated / ended */
	const SrSourceHealth *source; /* for source */
	const char *reason; /* for ended: why ("oref: האירוע הסתיים", "expired …") */
} SrChange;

typedef void (*SrChangeFunc)(const SrChange *change, gpointer user_data);

/* @reason (SrChange.reason, or the "reason" of a JSON change line) in the user's language: the
 * engine's own reasons are English on the wire; anything else comes back unchanged */
char *sr_change_reason_localize(const char *reason);

typedef struct _SrEngine SrEngine;

SrEngine *sr_engine_new(const SrCatalog *catalog);
void sr_engine_free(SrEngine *engine);

void sr_engine_set_change_func(SrEngine *engine, SrChangeFunc func, gpointer user_data);

/* regions the user cares about; none means every region */
void sr_engine_add_subscription(SrEngine *engine, const char *region_id);
gboolean sr_engine_alert_matches(SrEngine *engine, const SrAlert *alert);
/* the user's place (copied; NULL or unset: none): an alert that names areas, not regions, is
 * shown when one of its areas covers it; without a place such alerts are shown only to a user
 * who subscribed to nothing */
void sr_engine_set_location(SrEngine *engine, const SrLocation *location);

void sr_engine_add_source(SrEngine *engine, const char *name, const char *type, gdouble stale_after,
                          gint64 now);

/* a successful poll; the batch is borrowed (events are referenced, and must not change after:
 * the engine compares an event it holds by pointer first); NULL means the source answered but
 * nothing changed (304, an unchanged change counter) */
void sr_engine_submit(SrEngine *engine, const char *source, const SrBatch *batch, gint64 now);
/* a failed poll: never ends an alert */
void sr_engine_submit_error(SrEngine *engine, const char *source, const GError *error, gint64 now);
/* the staleness watchdog: a poller that froze looks like silence otherwise */
void sr_engine_tick(SrEngine *engine, gint64 now);

/* active alerts matching the subscriptions, ordered by start time then key (borrowed) */
GPtrArray *sr_engine_get_alerts(SrEngine *engine);
/* source health in the order the sources were added (borrowed) */
GPtrArray *sr_engine_get_sources(SrEngine *engine);
const SrSourceHealth *sr_engine_get_source(SrEngine *engine, const char *name);

/* testing: TRUE rebuilds the whole fused view on every update from every source's set, the way
 * the engine always did, instead of only the alerts a change touches (the reference the
 * incremental update is checked against) */
void sr_engine_set_full_rebuild(SrEngine *engine, gboolean full);
/* testing: after every incremental update, also rebuild the view the full way and compare the
 * changes and the view; the count of differences found so far (each logged with g_message) */
void sr_engine_set_verify(SrEngine *engine, gboolean verify);
guint sr_engine_get_verify_mismatches(SrEngine *engine);

/* the JSON contract: the alert is the event shape plus "sources" */
cJSON *sr_alert_to_json(const SrAlert *alert, const SrCatalog *catalog);
cJSON *sr_source_health_to_json(const SrSourceHealth *health);
/* one line of `sirena watch --json` */
cJSON *sr_change_to_json(const SrChange *change, const SrCatalog *catalog);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrEngine, sr_engine_free)

G_END_DECLS
