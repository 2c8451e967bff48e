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

/* the instants GDateTime can hold: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z */
#define YEAR_1_UNIX     G_GINT64_CONSTANT(-62135596800)
#define YEAR_10000_UNIX G_GINT64_CONSTANT(253402300800)
/* longer fractions go to GDateTime, whose double arithmetic decides their rounding */
#define FAST_FRACTION_DIGITS_MAX 6

/* days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil) */
static gint64
days_from_civil(gint year, guint month, guint day)
{
	gint y = year - (month <= 2 ? 1 : 0);
	gint era = (y >= 0 ? y : y - 399) / 400;
	guint yoe = (guint)(y - era * 400);
	guint doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
	guint doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (gint64)era * 146097 + (gint64)doe - 719468;
}

/* the inverse of days_from_civil() */
static void
civil_from_days(gint64 days, gint *year, guint *month, guint *day)
{
	gint64 z = days + 719468;
	gint64 era = (z >= 0 ? z : z - 146096) / 146097;
	guint doe = (guint)(z - era * 146097);
	guint yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	guint doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	guint mp = (5 * doy + 2) / 153;
	*day = doy - (153 * mp + 2) / 5 + 1;
	*month = mp < 10 ? mp + 3 : mp - 9;
	*year = (gint)(yoe + era * 400) + (*month <= 2 ? 1 : 0);
}

static void
put_digits(char *out, guint value, guint width)
{
	for (guint i = width; i > 0; i--) {
		out[i - 1] = (char)('0' + value % 10);
		value /= 10;
	}
}

char *
sr_time_to_rfc3339(gint64 t)
{
	g_autoptr(GDateTime) dt = NULL;
	if (t == 0)
		return NULL;
	/* years 1000 to 9999 print as four digits here and in GDateTime alike; the rest (and
	 * what GDateTime refuses) keep GDateTime's behaviour */
	if (t >= G_GINT64_CONSTANT(-30610224000) && t < YEAR_10000_UNIX) {
		gint64 days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
		guint secs = (guint)(t - days * 86400);
		gint year = 0;
		guint month = 0;
		guint day = 0;
		char *out = g_malloc(sizeof "YYYY-MM-DDTHH:MM:SSZ");

		civil_from_days(days, &year, &month, &day);
		put_digits(out, (guint)year, 4);
		out[4] = '-';
		put_digits(out + 5, month, 2);
		out[7] = '-';
		put_digits(out + 8, day, 2);
		out[10] = 'T';
		put_digits(out + 11, secs / 3600, 2);
		out[13] = ':';
		put_digits(out + 14, secs / 60 % 60, 2);
		out[16] = ':';
		put_digits(out + 17, secs % 60, 2);
		out[19] = 'Z';
		out[20] = '\0';
		return out;
	}
	dt = g_date_time_new_from_unix_utc(t);
	if (dt == NULL)
		return NULL;
	return g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
read_digits(const char *str, guint n, guint *out)
{
	guint value = 0;
	for (guint i = 0; i < n; i++) {
		if (!g_ascii_isdigit(str[i]))
			return FALSE;
		value = value * 10 + (guint)(str[i] - '0');
	}
	*out = value;
	return TRUE;
}

static guint
days_in_month(guint year, guint month)
{
	static const guint8 days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month == 2 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
		return 29;
	return days[month - 1];
}

gboolean
sr_time_from_civil(gint year, gint month, gint day, gint hour, gint minute, gint second,
                   gint64 *out)
{
	if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
	    day > (gint)days_in_month((guint)year, (guint)month) || hour < 0 || hour > 23 ||
	    minute < 0 || minute > 59 || second < 0 || second > 60)
		return FALSE;
	/* a leap second is the last second of its minute, as GDateTime reads it */
	*out = days_from_civil(year, (guint)month, (guint)day) * 86400 + hour * 3600 + minute * 60 +
	       MIN(second, 59);
	return TRUE;
}

/* The shape every API sends, YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM), read without a
 * GDateTime and a GTimeZone per value. FALSE is "not this shape", never "invalid": the caller
 * then asks GDateTime, so whatever this does not take (a leap second, another ISO 8601 form,
 * an impossible date) gets exactly GDateTime's answer. What it does take it reads as GDateTime
 * does: the fraction is dropped (GDateTime's seconds since the epoch round down), the offset
 * is subtracted. */
static gboolean
parse_iso8601_fast(const char *str, gint64 *out)
{
	guint year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
	guint offset_hours = 0, offset_minutes = 0;
	gint64 offset = 0;
	gint64 local = 0;
	const char *p = str + 19;

	if (!read_digits(str, 4, &year) || str[4] != '-' || !read_digits(str + 5, 2, &month) ||
	    str[7] != '-' || !read_digits(str + 8, 2, &day) || str[10] != 'T' ||
	    !read_digits(str + 11, 2, &hour) || str[13] != ':' ||
	    !read_digits(str + 14, 2, &minute) || str[16] != ':' ||
	    !read_digits(str + 17, 2, &second))
		return FALSE;
	/* years 1 and 9999 could leave GDateTime's range once the offset is applied; GDateTime
	 * reads a leap second its own way */
	if (year < 2 || year > 9998 || second > 59 ||
	    !sr_time_from_civil((gint)year, (gint)month, (gint)day, (gint)hour, (gint)minute,
	                        (gint)second, &local))
		return FALSE;
	if (*p == '.') {
		guint n = 0;
		p++;
		while (g_ascii_isdigit(p[n]) && n <= FAST_FRACTION_DIGITS_MAX)
			n++;
		if (n == 0 || n > FAST_FRACTION_DIGITS_MAX)
			return FALSE;
		p += n;
	}
	if (p[0] == 'Z' && p[1] == '\0') {
		offset = 0;
	} else if ((p[0] == '+' || p[0] == '-') && read_digits(p + 1, 2, &offset_hours) &&
	           p[3] == ':' && read_digits(p + 4, 2, &offset_minutes) && p[6] == '\0') {
		if (offset_hours > 23 || offset_minutes > 59)
			return FALSE;
		offset = (gint64)offset_hours * 3600 + offset_minutes * 60;
		if (p[0] == '-')
			offset = -offset;
	} else {
		return FALSE;
	}
	*out = local - offset;
	return TRUE;
}

/* a megabyte of garbage is refused after @max + 1 bytes, not after a megabyte */
static gboolean
length_at_most(const char *str, gsize max)
{
	for (gsize i = 0; i <= max; i++) {
		if (str[i] == '\0')
			return TRUE;
	}
	return FALSE;
}

gboolean
sr_time_parse_iso8601(const char *str, gint64 *out)
{
	g_autoptr(GDateTime) dt = NULL;
	if (str == NULL || str[0] == '\0' || !length_at_most(str, 64))
		return FALSE;
	if (parse_iso8601_fast(str, out))
		return TRUE;
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
