/* sr-time.c - UTC instants: RFC 3339 output, ISO 8601 and local wall-clock input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-time"

#include "config.h"

#include <stdio.h>

#include "sirena/error.h"
#include "sirena/json.h"
#include "sr-i18n.h"

char *
sr_time_to_rfc3339(gint64 t)
{
	g_autoptr(GDateTime) dt = NULL;
	if (t == 0)
		return NULL;
	dt = g_date_time_new_from_unix_utc(t);
	if (dt == NULL)
		return NULL;
	return g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
sr_time_parse_iso8601(const char *str, gint64 *out)
{
	g_autoptr(GDateTime) dt = NULL;
	if (str == NULL || str[0] == '\0' || strlen(str) > 64)
		return FALSE;
	/* no default zone: a time without an offset is ambiguous and rejected */
	dt = g_date_time_new_from_iso8601(str, NULL);
	if (dt == NULL)
		return FALSE;
	*out = g_date_time_to_unix(dt);
	return TRUE;
}

gboolean
sr_time_parse_local(const char *str, GTimeZone *tz, gint64 *out)
{
	gint year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
	gchar tail = '\0';
	g_autoptr(GDateTime) dt = NULL;

	if (str == NULL || tz == NULL || strlen(str) > 32)
		return FALSE;
	if (sscanf(str, "%4d-%2d-%2d %2d:%2d:%2d%c", &year, &month, &day, &hour, &minute, &second,
	           &tail) != 6)
		return FALSE;
	if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 ||
	    hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
		return FALSE;
	dt = g_date_time_new(tz, year, month, day, hour, minute, second);
	if (dt == NULL)
		return FALSE;
	*out = g_date_time_to_unix(dt);
	return TRUE;
}

GTimeZone *
sr_time_zone_kyiv(GError **error)
{
	static const char *const names[] = {"Europe/Kyiv", "Europe/Kiev"};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		GTimeZone *tz = g_time_zone_new_identifier(names[i]);
		if (tz != NULL)
			return tz;
	}
	g_set_error_literal(error, SR_ERROR, SR_ERROR_FAILED,
	                    _("time zone Europe/Kyiv not found: install the tzdata package"));
	return NULL;
}

GTimeZone *
sr_time_zone_jerusalem(GError **error)
{
	GTimeZone *tz = g_time_zone_new_identifier("Asia/Jerusalem");
	if (tz == NULL)
		g_set_error_literal(
		    error, SR_ERROR, SR_ERROR_FAILED,
		    _("time zone Asia/Jerusalem not found: install the tzdata package"));
	return tz;
}
