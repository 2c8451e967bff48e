/* sr-oref.c - what the Pikud HaOref sources share: body decoding, categories, area names
 *
 * The Home Front Command's feeds are the website's own back-end: bodies come in UTF-8 or
 * UTF-16 with or without a byte-order mark, sprinkled with NULs, and an error shows as a
 * 200 that leads to an error page. Two numberings of categories exist, one for the real-time
 * file and one for the history, and category 10 of the real-time file is told apart by its
 * title alone (sources-international.md §1.3–1.6).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-oref"

#include "config.h"

#include <string.h>

#include "sirena/error.h"
#include "sirena/json.h"
#include "sources/sr-oref.h"
#include "sources/sr-sources-private.h"
#include "sr-i18n.h"

static gboolean
bytes_start_with(const char *body, gsize len, const char *prefix, gsize prefix_len)
{
	return len >= prefix_len && memcmp(body, prefix, prefix_len) == 0;
}

/* UTF-16 to UTF-8; NULs survive as bytes and are dropped with the others */
static char *
decode_utf16(const char *body, gsize len, const char *charset, gsize *out_len, GError **error)
{
	g_autoptr(GError) local = NULL;
	char *text = NULL;
	if (len % 2 != 0) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("the body is UTF-16 with an odd number of bytes"));
		return NULL;
	}
	text = g_convert(body, (gssize)len, "UTF-8", charset, NULL, out_len, &local);
	if (text == NULL) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("the body is not valid UTF-16: %s"),
		            local->message);
		return NULL;
	}
	return text;
}

char *
sr_oref_decode_body(const char *body, gsize len, GError **error)
{
	g_autofree char *converted = NULL;
	const char *text = body;
	gsize text_len = len;
	GString *out = NULL;

	if (body == NULL)
		return g_strdup("");
	if (bytes_start_with(body, len, "\xff\xfe", 2)) {
		converted = decode_utf16(body + 2, len - 2, "UTF-16LE", &text_len, error);
		if (converted == NULL)
			return NULL;
		text = converted;
	} else if (bytes_start_with(body, len, "\xfe\xff", 2)) {
		converted = decode_utf16(body + 2, len - 2, "UTF-16BE", &text_len, error);
		if (converted == NULL)
			return NULL;
		text = converted;
	} else if (bytes_start_with(body, len, "\xef\xbb\xbf", 3)) {
		text += 3;
		text_len -= 3;
	}

	out = g_string_sized_new(text_len);
	for (gsize i = 0; i < text_len; i++) {
		/* NULs come and go in the feed; U+0A7B is a stray one pikud-haoref-api drops too */
		if (text[i] == '\0')
			continue;
		if (i + 2 < text_len && memcmp(text + i, "\xe0\xa9\xbb", 3) == 0) {
			i += 2;
			continue;
		}
		g_string_append_c(out, text[i]);
	}
	if (!g_utf8_validate(out->str, (gssize)out->len, NULL)) {
		g_string_free(out, TRUE);
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("the body is not valid UTF-8"));
		return NULL;
	}
	/* a temporary failure is a 200 whose body sends the browser to the error page */
	if (strstr(out->str, "/errorpage_adom/") != NULL) {
		g_string_free(out, TRUE);
		g_set_error_literal(error, SR_ERROR, SR_ERROR_SERVER,
		                    _("the feed answered with its error page (/errorpage_adom/)"));
		return NULL;
	}
	return g_strstrip(g_string_free(out, FALSE));
}

/* categories */

static gboolean
title_has(const char *title, const char *const *needles)
{
	g_autofree char *folded = NULL;
	if (title == NULL)
		return FALSE;
	folded = g_utf8_casefold(title, -1);
	for (guint i = 0; needles[i] != NULL; i++) {
		if (strstr(folded, needles[i]) != NULL)
			return TRUE;
	}
	return FALSE;
}

/* "alerts are expected in your area in the next minutes" */
static const char *const pre_alert_titles[] = {"בדקות הקרובות", "expected in your area", NULL};
/* "the event has ended", in both spellings the feeds use */
static const char *const ended_titles[] = {"האירוע הסתיים", "הארוע הסתיים", "event has ended",
                                           "incident ended", NULL};
/* "you may leave the protected space (but stay near it)" */
static const char *const stay_near_titles[] = {"ניתן לצאת מהמרחב המוגן",
                                               "may leave the protected space", NULL};

static void
set_class(SrOrefClass *out, SrKind kind, SrPhase phase, SrStatus status)
{
	out->kind = kind;
	out->phase = phase;
	out->status = status;
	switch (phase) {
	case SR_PHASE_PRE_ALERT:
		out->timeout = SR_OREF_PRE_ALERT_TIMEOUT;
		break;
	case SR_PHASE_STAY_NEAR:
		out->timeout = SR_OREF_STAY_NEAR_TIMEOUT;
		break;
	case SR_PHASE_ACTIVE:
		out->timeout = SR_OREF_ACTIVE_TIMEOUT;
		break;
	default:
		out->timeout = 0;
		break;
	}
}

/* the news-flash category: its title alone says what it is */
static void
classify_flash(const char *title, SrStatus status, gboolean end_by_default, SrOrefClass *out)
{
	/* a pre-alert warns of the long-range missiles that follow it; one kind keeps the
	 * pre-alert, the alert and the end one alert (a started, an update, an end) */
	if (title_has(title, pre_alert_titles)) {
		set_class(out, SR_KIND_MISSILE, SR_PHASE_PRE_ALERT, status);
	} else if (title_has(title, ended_titles)) {
		set_class(out, SR_KIND_MISSILE, SR_PHASE_ENDED, status);
	} else if (title_has(title, stay_near_titles)) {
		set_class(out, SR_KIND_MISSILE, SR_PHASE_STAY_NEAR, status);
	} else if (end_by_default) {
		set_class(out, SR_KIND_MISSILE, SR_PHASE_ENDED, status);
	} else {
		/* an unknown flash is shown as published, and lasts like a pre-alert: reading it
		 * as an end could be a false all-clear */
		sr_source_log_once(G_LOG_DOMAIN, "unknown news-flash title",
		                   title != NULL ? title : "", "shown as published");
		set_class(out, SR_KIND_OTHER, SR_PHASE_ACTIVE, status);
		out->timeout = SR_OREF_PRE_ALERT_TIMEOUT;
	}
}

/* the real-time threat numbers, also the drills' number less 100 */
static gboolean
classify_threat(gint64 cat, SrKind *kind)
{
	switch (cat) {
	case 1:
		*kind = SR_KIND_MISSILE;
		return TRUE;
	case 2: /* "general": non-conventional missiles, also memorial-day sirens */
	case 8: /* a general warning */
		*kind = SR_KIND_OTHER;
		return TRUE;
	case 3:
		*kind = SR_KIND_EARTHQUAKE;
		return TRUE;
	case 4:
		*kind = SR_KIND_NUCLEAR;
		return TRUE;
	case 5:
		*kind = SR_KIND_TSUNAMI;
		return TRUE;
	case 6:
		*kind = SR_KIND_UAV;
		return TRUE;
	case 7:
		*kind = SR_KIND_HAZMAT;
		return TRUE;
	case 13:
		*kind = SR_KIND_INFILTRATION;
		return TRUE;
	default:
		return FALSE;
	}
}

gboolean
sr_oref_classify_realtime(gint64 cat, const char *title, SrOrefClass *out)
{
	SrStatus status = SR_STATUS_ACTUAL;
	SrKind kind = SR_KIND_UNKNOWN;
	gint64 threat = cat;
	g_autofree char *shown = g_strdup_printf("%" G_GINT64_FORMAT, cat);

	/* drills are 100 + the threat */
	if (cat > 100 && cat < 200) {
		status = SR_STATUS_EXERCISE;
		threat = cat - 100;
	}
	if (threat == 10) {
		classify_flash(title, status, FALSE, out);
		return TRUE;
	}
	if (!classify_threat(threat, &kind)) {
		sr_source_log_once(G_LOG_DOMAIN, "unknown real-time category", shown,
		                   "reported as an alert of unknown kind");
		kind = SR_KIND_UNKNOWN;
	}
	set_class(out, kind, SR_PHASE_ACTIVE, status);
	return TRUE;
}

gboolean
sr_oref_classify_history(gint64 category, const char *title, SrOrefClass *out)
{
	static const SrKind kinds[] = {
	    [1] = SR_KIND_MISSILE, [2] = SR_KIND_UAV,           [3] = SR_KIND_OTHER,
	    [4] = SR_KIND_OTHER,   [7] = SR_KIND_EARTHQUAKE,    [8] = SR_KIND_EARTHQUAKE,
	    [9] = SR_KIND_NUCLEAR, [10] = SR_KIND_INFILTRATION, [11] = SR_KIND_TSUNAMI,
	    [12] = SR_KIND_HAZMAT,
	};
	SrStatus status = SR_STATUS_ACTUAL;
	gint64 id = category;
	g_autofree char *shown = g_strdup_printf("%" G_GINT64_FORMAT, category);

	/* 15 to 28 are the drills of 1 to 14 */
	if (category >= 15 && category <= 28) {
		status = SR_STATUS_EXERCISE;
		id = category - 14;
	}
	/* memorial-day sirens are not alerts */
	if (id == 5 || id == 6)
		return FALSE;
	if (id == 13) {
		classify_flash(title, status, TRUE, out);
		return TRUE;
	}
	if (id == 14) {
		set_class(out, SR_KIND_MISSILE, SR_PHASE_PRE_ALERT, status);
		return TRUE;
	}
	if (id >= 1 && id < (gint64)G_N_ELEMENTS(kinds) && kinds[id] != 0) {
		set_class(out, kinds[id], SR_PHASE_ACTIVE, status);
		return TRUE;
	}
	sr_source_log_once(G_LOG_DOMAIN, "unknown history category", shown,
	                   "reported as an alert of unknown kind");
	set_class(out, SR_KIND_UNKNOWN, SR_PHASE_ACTIVE, status);
	return TRUE;
}

/* area names */

#define OLD_ZONE_SUFFIX  " (אזור התרעה ישן)"
#define ALL_AREAS_SUFFIX " - כל האזורים"
#define ALL_AREAS_TYPO   " כל - האזורים"
#define GERESH           "\327\263"

static char *
normalise_name(const char *name)
{
	g_autofree char *valid = g_utf8_make_valid(name, -1);
	g_autoptr(GString) str = g_string_new(g_strstrip(valid));

	/* a deprecated label is still the area it names */
	if (g_str_has_suffix(str->str, OLD_ZONE_SUFFIX))
		g_string_truncate(str, str->len - strlen(OLD_ZONE_SUFFIX));
	g_string_replace(str, "''", "'", 0);
	g_string_replace(str, GERESH, "'", 0);
	/* "'ביר הדאג" is "ביר הדאג'": the apostrophe drifts from the end to the front */
	if (str->len > 1 && str->str[0] == '\'') {
		g_string_erase(str, 0, 1);
		g_string_append_c(str, '\'');
	}
	return g_strstrip(g_string_free(g_steal_pointer(&str), FALSE));
}

/* the feed names areas (and the country); a zone that shares an area's name (אילת) is not
 * what it means */
static void
add_israeli(GPtrArray *ids, GPtrArray *regions)
{
	for (guint pass = 0; pass < 2 && ids->len == 0; pass++) {
		for (guint i = 0; i < regions->len; i++) {
			const SrRegion *region = g_ptr_array_index(regions, i);
			gboolean place = region->level == SR_REGION_LEVEL_AREA ||
			                 region->level == SR_REGION_LEVEL_COUNTRY;
			if (g_str_has_prefix(region->id, "il:") && (pass == 1 || place))
				g_ptr_array_add(ids, g_strdup(region->id));
		}
	}
}

/* "תל אביב - כל האזורים": every area of the city, "תל אביב - …" */
static void
add_city_areas(GPtrArray *ids, const SrCatalog *catalog, const char *city)
{
	g_autofree char *prefix = g_strconcat(city, " - ", NULL);
	GPtrArray *all = sr_catalog_get_all(catalog);
	for (guint i = 0; i < all->len; i++) {
		const SrRegion *region = g_ptr_array_index(all, i);
		if (!g_str_has_prefix(region->id, "il:"))
			continue;
		if (g_strcmp0(region->name, city) == 0 || g_str_has_prefix(region->name, prefix))
			g_ptr_array_add(ids, g_strdup(region->id));
	}
}

GPtrArray *
sr_oref_resolve_area(const SrCatalog *catalog, const char *name)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *normal = NULL;
	g_autoptr(GPtrArray) found = NULL;

	if (name == NULL)
		return ids;
	normal = normalise_name(name);
	if (normal[0] == '\0')
		return ids;
	/* the feed's own test rows are not places */
	if (strstr(normal, "בדיקה") != NULL) {
		sr_source_log_once(G_LOG_DOMAIN, "test area", normal, "skipped");
		return ids;
	}
	found = sr_catalog_find_by_name(catalog, normal);
	add_israeli(ids, found);
	if (ids->len > 0)
		return ids;
	if (g_str_has_suffix(normal, ALL_AREAS_SUFFIX) ||
	    g_str_has_suffix(normal, ALL_AREAS_TYPO)) {
		gsize suffix = g_str_has_suffix(normal, ALL_AREAS_SUFFIX) ? strlen(ALL_AREAS_SUFFIX)
		                                                          : strlen(ALL_AREAS_TYPO);
		g_autofree char *city = g_strndup(normal, strlen(normal) - suffix);
		add_city_areas(ids, catalog, g_strstrip(city));
		if (ids->len > 0)
			return ids;
	}
	/* an area newer than the catalog is still an alert: shown as published, to everyone */
	sr_source_log_once(G_LOG_DOMAIN, "unknown area", normal,
	                   "not in the catalog; shown as published");
	g_ptr_array_add(ids, g_strconcat("il:", normal, NULL));
	return ids;
}

/* time */

gboolean
sr_oref_parse_local_time(const char *str, gint64 *out)
{
	static gsize tz_once = 0;
	g_autofree char *copy = NULL;

	if (g_once_init_enter(&tz_once)) {
		g_autoptr(GError) error = NULL;
		GTimeZone *tz = sr_time_zone_jerusalem(&error);
		if (tz == NULL)
			g_warning("%s", error->message);
		/* 1 marks "looked, not there": the once value must not be 0 */
		g_once_init_leave(&tz_once, tz != NULL ? (gsize)tz : 1);
	}
	if (tz_once == 1 || str == NULL || strlen(str) != 19)
		return FALSE;
	copy = g_strdup(str);
	if (copy[10] == 'T')
		copy[10] = ' ';
	return sr_time_parse_local(copy, (GTimeZone *)tz_once, out);
}
