/* sr-enums.c - names of the event model's enums, as in the JSON contract
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-event"

#include "config.h"

#include <string.h>

#include "sirena/event.h"

static gboolean
lookup(const char *const *names, guint n, const char *str, gint *out)
{
	if (str == NULL)
		return FALSE;
	for (guint i = 0; i < n; i++) {
		if (g_ascii_strcasecmp(names[i], str) == 0) {
			*out = (gint)i;
			return TRUE;
		}
	}
	return FALSE;
}

static const char *const kind_names[] = {
    "air_raid", "missile", "uav",        "artillery", "urban_fights", "chemical",
    "nuclear",  "hazmat",  "earthquake", "tsunami",   "infiltration", "weather",
    "flood",    "fire",    "health",     "civil",     "other",        "unknown",
};
G_STATIC_ASSERT(G_N_ELEMENTS(kind_names) == SR_KIND_LAST);

const char *
sr_kind_to_string(SrKind kind)
{
	if ((guint)kind >= SR_KIND_LAST)
		return NULL;
	return kind_names[kind];
}

gboolean
sr_kind_from_string(const char *str, SrKind *kind)
{
	gint value = 0;
	if (!lookup(kind_names, SR_KIND_LAST, str, &value))
		return FALSE;
	*kind = (SrKind)value;
	return TRUE;
}

static const char *const phase_names[] = {
    "pre_alert", "active", "stay_near", "ended", "cancelled",
};
G_STATIC_ASSERT(G_N_ELEMENTS(phase_names) == SR_PHASE_LAST);

const char *
sr_phase_to_string(SrPhase phase)
{
	if ((guint)phase >= SR_PHASE_LAST)
		return NULL;
	return phase_names[phase];
}

gboolean
sr_phase_from_string(const char *str, SrPhase *phase)
{
	gint value = 0;
	if (!lookup(phase_names, SR_PHASE_LAST, str, &value))
		return FALSE;
	*phase = (SrPhase)value;
	return TRUE;
}

static const char *const status_names[] = {
    "actual",
    "exercise",
    "test",
};
G_STATIC_ASSERT(G_N_ELEMENTS(status_names) == SR_STATUS_LAST);

const char *
sr_status_to_string(SrStatus status)
{
	if ((guint)status >= SR_STATUS_LAST)
		return NULL;
	return status_names[status];
}

gboolean
sr_status_from_string(const char *str, SrStatus *status)
{
	gint value = 0;
	if (!lookup(status_names, SR_STATUS_LAST, str, &value))
		return FALSE;
	*status = (SrStatus)value;
	return TRUE;
}

static const char *const severity_names[] = {
    "unknown", "minor", "moderate", "severe", "extreme",
};
G_STATIC_ASSERT(G_N_ELEMENTS(severity_names) == SR_SEVERITY_LAST);

const char *
sr_severity_to_string(SrSeverity severity)
{
	if ((guint)severity >= SR_SEVERITY_LAST)
		return NULL;
	return severity_names[severity];
}

gboolean
sr_severity_from_string(const char *str, SrSeverity *severity)
{
	gint value = 0;
	if (!lookup(severity_names, SR_SEVERITY_LAST, str, &value))
		return FALSE;
	*severity = (SrSeverity)value;
	return TRUE;
}

static const char *const urgency_names[] = {
    "unknown", "past", "future", "expected", "immediate",
};
G_STATIC_ASSERT(G_N_ELEMENTS(urgency_names) == SR_URGENCY_LAST);

const char *
sr_urgency_to_string(SrUrgency urgency)
{
	if ((guint)urgency >= SR_URGENCY_LAST)
		return NULL;
	return urgency_names[urgency];
}

gboolean
sr_urgency_from_string(const char *str, SrUrgency *urgency)
{
	gint value = 0;
	if (!lookup(urgency_names, SR_URGENCY_LAST, str, &value))
		return FALSE;
	*urgency = (SrUrgency)value;
	return TRUE;
}

static const char *const certainty_names[] = {
    "unknown", "unlikely", "possible", "likely", "observed",
};
G_STATIC_ASSERT(G_N_ELEMENTS(certainty_names) == SR_CERTAINTY_LAST);

const char *
sr_certainty_to_string(SrCertainty certainty)
{
	if ((guint)certainty >= SR_CERTAINTY_LAST)
		return NULL;
	return certainty_names[certainty];
}

gboolean
sr_certainty_from_string(const char *str, SrCertainty *certainty)
{
	gint value = 0;
	if (!lookup(certainty_names, SR_CERTAINTY_LAST, str, &value))
		return FALSE;
	*certainty = (SrCertainty)value;
	return TRUE;
}
