/* sr-source-nina.c - NINA (warnung.bund.de api31): the warnings of one German district
 *
 * NINA is the warning app of the Bundesamt für Bevölkerungsschutz und Katastrophenhilfe (BBK);
 * its back-end, api31 at https://warnung.bund.de/api31, carries every provider's warnings:
 * MoWaS (civil protection), KATWARN, BIWAPP, DWD (weather), LHP (floods) and the police. It
 * has no key, no documented rate limit and no documented caching headers; the community
 * documents it at https://nina.api.bund.dev/ (github.com/bundesAPI/nina-api, openapi.yaml).
 *
 * An index feed in two steps:
 *  - GET dashboard/{ARS}.json: the warnings that concern one Kreis, as an array of
 *    {id, payload: {version, id, hash, data: {headline, provider, severity, msgType, …}},
 *    i18nTitle, sent}. The ARS (Amtlicher Regionalschlüssel, 12 digits) must be at Kreis level:
 *    "the last 7 digits replaced by 0000000", as data exist only per district. The user's own
 *    Gemeinde is never sent.
 *  - GET warnings/{id}.json: one warning as CAP 1.2 in JSON (identifier, sender, sent, status,
 *    msgType, scope, references, info[] with one block per language, area[] …).
 *
 * Quirks (docs/sources-international.md §4): info languages are upper case ("DE", "DE-LS" for
 * plain language, "EN"); descriptions carry HTML (<br/>) and entities (&quot;); polygons are
 * "lon,lat" pairs (not CAP's lat,lon), may be open and may hold "-1.0,-1.0" junk pairs; the
 * parameter warnVerwaltungsbereiche lists the affected ARS; tests ("Probealarm") come as
 * status Actual. The dashboard has no expiry field, so no entry is skipped from the index.
 *
 * Index entry URLs are relative ("../warnings/<id>.json"): the poller resolves them against the
 * dashboard's own address, so a configured url= (a mirror, the test server) serves them too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-source-nina"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sirena/error.h"
#include "sirena/json.h"
#include "sources/sr-cap.h"
#include "sources/sr-sources-private.h"
#include "sr-i18n.h"

/* an Amtlicher Regionalschlüssel: Land (2), Regierungsbezirk (1), Kreis (2), then the
 * Gemeindeverband (4) and the Gemeinde (3) the dashboard does not want */
#define ARS_DIGITS       12
#define ARS_KREIS_DIGITS 5
/* the language every NINA warning carries */
#define FALLBACK_LANGUAGE "de"
/* the parameter that lists the ARS a warning applies to */
#define PARAM_ARS_LIST "warnVerwaltungsbereiche"

/* the wanted ARS, as the dashboard wants it (Kreis level), or NULL with SR_ERROR_CONFIG */
static char *
dashboard_ars(const SrSourceConfig *config, GError **error)
{
	const char *value = sr_source_config_get_extra(config, "ars");
	g_autofree char *ars = NULL;
	guint land = 0;

	if (value == NULL || value[0] == '\0') {
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
		            _("source '%s' needs ars=: the 12-digit Amtlicher Regionalschlüssel of "
		              "your Kreis or Gemeinde, e.g. ars=091620000000 for München"),
		            config->name);
		return NULL;
	}
	ars = g_strstrip(g_strdup(value));
	if (strlen(ars) == ARS_DIGITS && strspn(ars, "0123456789") == ARS_DIGITS)
		land = (guint)(ars[0] - '0') * 10 + (guint)(ars[1] - '0');
	/* the first two digits are the Land, 01 (Schleswig-Holstein) to 16 (Thüringen) */
	if (land < 1 || land > 16) {
		g_autofree char *shown = sr_source_excerpt(ars);
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
		            _("source '%s': ars= must be a 12-digit Amtlicher Regionalschlüssel "
		              "starting with a Land from 01 to 16, e.g. ars=091620000000 for "
		              "München: '%s'"),
		            config->name, shown);
		return NULL;
	}
	/* data exist per Kreis only: the Gemeinde part is not sent (nor needed) */
	memset(ars + ARS_KREIS_DIGITS, '0', ARS_DIGITS - ARS_KREIS_DIGITS);
	return g_steal_pointer(&ars);
}

static gboolean
build_request(const SrSourceConfig *config, SrRequestKind kind, SrRequest *request, GError **error)
{
	g_autofree char *ars = NULL;

	if (kind != SR_REQUEST_MAIN) {
		g_set_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT,
		            _("source '%s' has no probe request"), config->name);
		return FALSE;
	}
	ars = dashboard_ars(config, error);
	if (ars == NULL)
		return FALSE;
	g_free(request->url);
	request->url = g_strdup_printf("%s/dashboard/%s.json", config->url, ars);
	sr_request_add_header(request, "Accept", "application/json");
	return TRUE;
}

/* the dashboard */

/* what changes when the listed document does: the payload's version, the time it was sent,
 * the hash of its content; NULL when the item has none of them (fetched once) */
static char *
item_version(const cJSON *item, const cJSON *payload)
{
	g_autofree char *version = NULL;
	g_autofree char *joined = NULL;
	const char *sent = sr_json_get_string(item, "sent");
	const char *hash = NULL;

	if (payload != NULL) {
		version = sr_source_read_id(cJSON_GetObjectItemCaseSensitive(payload, "version"),
		                            19, SR_SOURCE_MAX_JSON_INTEGER);
		hash = sr_json_get_string(payload, "hash");
	}
	if (version == NULL && sent == NULL && hash == NULL)
		return NULL;
	joined = g_strdup_printf("%s|%s|%s", version != NULL ? version : "",
	                         sent != NULL ? sent : "", hash != NULL ? hash : "");
	/* it is kept and compared, maybe stored: text, whatever upstream sent */
	return g_utf8_make_valid(joined, -1);
}

static SrIndexEntry *
parse_item(const cJSON *item, guint index, GError **error)
{
	const cJSON *payload = NULL;
	const char *id = NULL;
	g_autofree char *key = NULL;
	g_autofree char *escaped = NULL;
	g_autofree char *url = NULL;
	g_autofree char *version = NULL;

	if (!cJSON_IsObject(item)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("item %u is not an object"), index);
		return NULL;
	}
	payload = cJSON_GetObjectItemCaseSensitive(item, "payload");
	if (cJSON_IsNull(payload))
		payload = NULL;
	if (payload != NULL && !cJSON_IsObject(payload)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("item %u: 'payload' is not an object"), index);
		return NULL;
	}
	id = sr_json_get_string(item, "id");
	if (id == NULL && payload != NULL)
		id = sr_json_get_string(payload, "id");
	if (id == NULL || id[0] == '\0') {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("item %u has no 'id' or it is not a string"), index);
		return NULL;
	}
	key = g_utf8_make_valid(id, -1);
	/* the id becomes one path segment: whatever it holds cannot reach another path */
	escaped = g_uri_escape_string(key, NULL, FALSE);
	/* relative to the dashboard's own address, <url>/dashboard/<ars>.json */
	url = g_strdup_printf("../warnings/%s.json", escaped);
	version = item_version(item, payload);
	return sr_index_entry_new(key, url, version);
}

GPtrArray *
sr_source_nina_parse_dashboard(const char *body, gsize len, const SrParseContext *ctx,
                               GError **error)
{
	g_autoptr(cJSON) root = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GHashTable) keys = NULL;
	const cJSON *item = NULL;
	guint index = 0;

	root =
	    sr_source_parse_json_root(body, len, cJSON_Array, _("body is not a JSON array"), error);
	if (root == NULL)
		return NULL;
	entries = g_ptr_array_new_with_free_func((GDestroyNotify)sr_index_entry_free);
	keys = g_hash_table_new(g_str_hash, g_str_equal);
	cJSON_ArrayForEach (item, root) {
		SrIndexEntry *entry = parse_item(item, index, error);
		if (entry == NULL)
			return NULL;
		/* one id is one document: a repeated item would fetch it twice */
		if (g_hash_table_contains(keys, entry->key)) {
			g_debug("item %u repeats id %s; the first item is kept", index, entry->key);
			sr_index_entry_free(entry);
			index++;
			continue;
		}
		g_hash_table_add(keys, entry->key);
		g_ptr_array_add(entries, entry);
		index++;
	}
	return g_steal_pointer(&entries);
}

/* one warning */

/* an optional string member: absent or null is NULL, another type fails the body */
static gboolean
get_string(const cJSON *object, const char *name, const char *where, const char **out,
           GError **error)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
	*out = NULL;
	if (item == NULL || cJSON_IsNull(item))
		return TRUE;
	if (!cJSON_IsString(item) || item->valuestring == NULL) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("%s: '%s' is not a string"), where,
		            name);
		return FALSE;
	}
	*out = item->valuestring;
	return TRUE;
}

/* an optional array member: absent or null is NULL, another type fails the body */
static gboolean
get_array(const cJSON *object, const char *name, const char *where, const cJSON **out,
          GError **error)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
	*out = NULL;
	if (item == NULL || cJSON_IsNull(item))
		return TRUE;
	if (!cJSON_IsArray(item)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("%s: '%s' is not an array"), where,
		            name);
		return FALSE;
	}
	*out = item;
	return TRUE;
}

/* an optional CAP time: absent, null or empty is 0; one that cannot be read fails the body */
static gboolean
get_time(const cJSON *object, const char *name, const char *where, gint64 *out, GError **error)
{
	const char *value = NULL;
	*out = 0;
	if (!get_string(object, name, where, &value, error))
		return FALSE;
	if (value == NULL || value[0] == '\0')
		return TRUE;
	if (!sr_cap_parse_time(value, out)) {
		g_autofree char *shown = sr_source_excerpt(value);
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("%s: '%s' is not a time: '%s'"),
		            where, name, shown);
		return FALSE;
	}
	/* 0 is "unknown" in the model; an instant before the epoch is no better */
	if (*out < 0)
		*out = 0;
	return TRUE;
}

static const struct {
	const char *entity;
	char c;
} entities[] = {
    {"&amp;", '&'},  {"&lt;", '<'},   {"&gt;", '>'},
    {"&quot;", '"'}, {"&#39;", '\''}, {"&apos;", '\''},
};

/* the length of a line break tag at @p (<br>, <br/>, <BR />), or 0 */
static gsize
line_break_at(const char *p)
{
	gsize i = 3;
	if (g_ascii_strncasecmp(p, "<br", 3) != 0)
		return 0;
	while (p[i] == ' ' || p[i] == '\t')
		i++;
	if (p[i] == '/')
		i++;
	return p[i] == '>' ? i + 1 : 0;
}

/* the length of one of the basic entities at @p, appending its character to @text, or 0 */
static gsize
entity_at(const char *p, GString *text)
{
	if (*p != '&')
		return 0;
	for (guint i = 0; i < G_N_ELEMENTS(entities); i++) {
		gsize len = strlen(entities[i].entity);
		if (strncmp(p, entities[i].entity, len) == 0) {
			g_string_append_c(text, entities[i].c);
			return len;
		}
	}
	return 0;
}

/* a published text as a reader sees it: line break tags are new lines and the basic entities
 * are characters, in one pass (so "&amp;quot;" reads "&quot;"); other markup stays as
 * published, since notification bodies are escaped later. Empty is NULL */
static char *
plain_text(const char *value)
{
	g_autofree char *valid = NULL;
	g_autoptr(GString) text = NULL;

	if (value == NULL || value[0] == '\0')
		return NULL;
	valid = g_utf8_make_valid(value, -1);
	text = g_string_sized_new(strlen(valid));
	for (const char *p = valid; *p != '\0';) {
		gsize n = line_break_at(p);
		if (n > 0) {
			g_string_append_c(text, '\n');
			p += n;
			continue;
		}
		n = entity_at(p, text);
		if (n > 0) {
			p += n;
			continue;
		}
		g_string_append_c(text, *p);
		p++;
	}
	if (text->len == 0)
		return NULL;
	return g_string_free(g_steal_pointer(&text), FALSE);
}

static void
set_plain_text(char **field, const char *value)
{
	g_autofree char *text = plain_text(value);
	sr_event_set_text(field, text);
}

/* how well an info block's language @have serves @want: 3 the same tag, 2 the plain
 * language ("DE" for "de-AT"), 1 another variant of it ("DE-LS" for "de"), 0 none */
static guint
language_score(const char *have, const char *want)
{
	gsize have_primary = 0;
	gsize want_primary = 0;

	if (have == NULL || want == NULL || want[0] == '\0')
		return 0;
	have_primary = strcspn(have, "-_");
	want_primary = strcspn(want, "-_");
	if (g_ascii_strcasecmp(have, want) == 0)
		return 3;
	if (have_primary != want_primary || g_ascii_strncasecmp(have, want, want_primary) != 0)
		return 0;
	return have[have_primary] == '\0' ? 2 : 1;
}

/* the info block that serves @want best, or -1 */
static gint
find_language(const cJSON *infos, const char *want)
{
	const cJSON *info = NULL;
	guint best_score = 0;
	gint best = -1;
	gint index = 0;

	cJSON_ArrayForEach (info, infos) {
		guint score = language_score(sr_json_get_string(info, "language"), want);
		if (score > best_score) {
			best_score = score;
			best = index;
		}
		index++;
	}
	return best;
}

/* the info block in ctx->language, else in the user's locale, else German, else the first */
static gint
choose_info(const cJSON *infos, const SrParseContext *ctx)
{
	g_autoptr(GPtrArray) wanted = sr_cap_wanted_languages(ctx, FALLBACK_LANGUAGE);
	gint index = -1;

	for (guint i = 0; index < 0 && i < wanted->len; i++)
		index = find_language(infos, g_ptr_array_index(wanted, i));
	return index < 0 ? 0 : index;
}

/* "DE" is "de", "DE-LS" is "de-LS": the language subtag is lower case */
static char *
normal_language(const char *language)
{
	g_autofree char *tag = NULL;
	gsize primary = 0;

	if (language == NULL || language[0] == '\0')
		return NULL;
	tag = g_utf8_make_valid(language, -1);
	primary = strcspn(tag, "-_");
	for (gsize i = 0; i < primary; i++)
		tag[i] = g_ascii_tolower(tag[i]);
	return g_steal_pointer(&tag);
}

/* the categories of an info block (borrowed strings); wrong types are left out */
static GPtrArray *
info_categories(const cJSON *info)
{
	GPtrArray *categories = g_ptr_array_new();
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(info, "category");
	const cJSON *item = NULL;

	if (cJSON_IsString(list)) {
		g_ptr_array_add(categories, list->valuestring);
		return categories;
	}
	if (!cJSON_IsArray(list))
		return categories;
	cJSON_ArrayForEach (item, list) {
		if (cJSON_IsString(item))
			g_ptr_array_add(categories, item->valuestring);
	}
	return categories;
}

/* the kind out of an info block's categories and event name; OTHER when nothing fits */
static SrKind
info_kind(const cJSON *info)
{
	g_autoptr(GPtrArray) categories = info_categories(info);
	return sr_cap_kind(categories, sr_json_get_string(info, "event"));
}

/* the kind of the chosen block, or, when its words say nothing, of another language's: one
 * warning is one kind whatever language it is read in */
static SrKind
warning_kind(const cJSON *infos, const cJSON *chosen)
{
	const cJSON *info = NULL;
	SrKind kind = chosen != NULL ? info_kind(chosen) : SR_KIND_OTHER;

	if (kind != SR_KIND_OTHER || infos == NULL)
		return kind;
	cJSON_ArrayForEach (info, infos) {
		SrKind other = SR_KIND_OTHER;
		if (info == chosen)
			continue;
		other = info_kind(info);
		if (other != SR_KIND_OTHER)
			return other;
	}
	return kind;
}

static gboolean
has_all_clear(const cJSON *info)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(info, "responseType");
	const cJSON *item = NULL;

	if (cJSON_IsString(list))
		return g_ascii_strcasecmp(list->valuestring, "AllClear") == 0;
	if (!cJSON_IsArray(list))
		return FALSE;
	cJSON_ArrayForEach (item, list) {
		if (cJSON_IsString(item) && g_ascii_strcasecmp(item->valuestring, "AllClear") == 0)
			return TRUE;
	}
	return FALSE;
}

/* where a warning applies, as it is gathered from its areas and parameters */
typedef struct {
	SrEvent *event;
	GPtrArray *names; /* of char*: the areas' descriptions, each once, in order */
	GHashTable *seen; /* "name\x1fvalue" of the geocodes added, and area names */
} Geography;

/* each geocode once; a hash, as a hostile body may list a great many */
static void
add_geocode_once(Geography *geography, const char *name, const char *value)
{
	char *key = g_strdup_printf("g%s\x1f%s", name, value);
	if (!g_hash_table_add(geography->seen, key))
		return;
	sr_event_add_geocode(geography->event, name, value);
}

static void
add_area_name(Geography *geography, char *name)
{
	char *key = g_strconcat("a", name, NULL);
	if (!g_hash_table_add(geography->seen, key)) {
		g_free(name);
		return;
	}
	g_ptr_array_add(geography->names, name);
}

/* one "lon,lat" pair: FALSE when it is not two finite numbers */
static gboolean
parse_point(const char *token, SrPoint *point)
{
	const char *comma = strchr(token, ',');
	char *end = NULL;
	double lon = 0;
	double lat = 0;

	if (comma == NULL || comma == token)
		return FALSE;
	lon = g_ascii_strtod(token, &end);
	if (end != comma)
		return FALSE;
	if (comma[1] == '\0')
		return FALSE;
	lat = g_ascii_strtod(comma + 1, &end);
	if (*end != '\0' || !isfinite(lon) || !isfinite(lat))
		return FALSE;
	point->lat = lat;
	point->lon = lon;
	return TRUE;
}

/* a NINA polygon: white-space separated "lon,lat" pairs (GeoJSON's order, not CAP's),
 * "-1.0,-1.0" pairs are junk; an open ring is closed, one of fewer than three points is left
 * out; a pair that is not two numbers fails the body */
static gboolean
add_polygon(SrEvent *event, const char *text, const char *where, GError **error)
{
	g_auto(GStrv) tokens = g_strsplit_set(text, " \t\r\n", -1);
	g_autoptr(GArray) points = g_array_new(FALSE, FALSE, sizeof(SrPoint));

	for (guint i = 0; tokens[i] != NULL; i++) {
		SrPoint point = {0, 0};
		if (tokens[i][0] == '\0')
			continue;
		if (!parse_point(tokens[i], &point)) {
			g_autofree char *shown = sr_source_excerpt(tokens[i]);
			g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
			            _("%s: a polygon point is not 'lon,lat': '%s'"), where, shown);
			return FALSE;
		}
		if (point.lat == -1.0 && point.lon == -1.0)
			continue;
		g_array_append_val(points, point);
	}
	if (!sr_event_add_polygon(event, (const SrPoint *)(gpointer)points->data, points->len))
		g_debug("%s: a polygon of %u points is left out", where, points->len);
	return TRUE;
}

/* a {valueName, value} pair; FALSE when @item is not an object */
static gboolean
get_pair(const cJSON *item, const char **name, const char **value)
{
	if (!cJSON_IsObject(item))
		return FALSE;
	*name = sr_json_get_string(item, "valueName");
	*value = sr_json_get_string(item, "value");
	return TRUE;
}

static gboolean
parse_area(Geography *geography, const cJSON *area, const char *where, GError **error)
{
	const char *desc = NULL;
	const cJSON *polygons = NULL;
	const cJSON *geocodes = NULL;
	const cJSON *item = NULL;
	guint index = 0;

	if (!cJSON_IsObject(area)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("%s is not an object"), where);
		return FALSE;
	}
	if (!get_string(area, "areaDesc", where, &desc, error) ||
	    !get_array(area, "polygon", where, &polygons, error) ||
	    !get_array(area, "geocode", where, &geocodes, error))
		return FALSE;
	if (desc != NULL) {
		char *text = plain_text(desc);
		/* one warning's areas, each named once */
		if (text != NULL)
			add_area_name(geography, text);
	}
	cJSON_ArrayForEach (item, polygons) {
		g_autofree char *polygon_where = g_strdup_printf("%s polygon %u", where, index++);
		if (!cJSON_IsString(item)) {
			g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("%s is not a string"),
			            polygon_where);
			return FALSE;
		}
		if (!add_polygon(geography->event, item->valuestring, polygon_where, error))
			return FALSE;
	}
	index = 0;
	cJSON_ArrayForEach (item, geocodes) {
		const char *name = NULL;
		const char *value = NULL;
		if (!get_pair(item, &name, &value)) {
			g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
			            _("%s geocode %u is not an object"), where, index);
			return FALSE;
		}
		index++;
		if (name == NULL || name[0] == '\0' || value == NULL || value[0] == '\0')
			continue;
		{
			g_autofree char *valid_name = g_utf8_make_valid(name, -1);
			g_autofree char *valid_value = g_utf8_make_valid(value, -1);
			add_geocode_once(geography, valid_name, valid_value);
		}
	}
	return TRUE;
}

/* the ARS the warning lists (warnVerwaltungsbereiche: "066340000000,066320000000,…") as
 * geocodes ARS=…, what a user's location can name */
static gboolean
parse_parameters(Geography *geography, const cJSON *info, const char *where, GError **error)
{
	const cJSON *parameters = NULL;
	const cJSON *item = NULL;
	guint index = 0;

	if (!get_array(info, "parameter", where, &parameters, error))
		return FALSE;
	cJSON_ArrayForEach (item, parameters) {
		const char *name = NULL;
		const char *value = NULL;
		g_auto(GStrv) codes = NULL;
		if (!get_pair(item, &name, &value)) {
			g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
			            _("%s parameter %u is not an object"), where, index);
			return FALSE;
		}
		index++;
		if (g_strcmp0(name, PARAM_ARS_LIST) != 0 || value == NULL)
			continue;
		codes = g_strsplit_set(value, ", \t\r\n", -1);
		for (guint i = 0; codes[i] != NULL; i++) {
			gboolean digits = strlen(codes[i]) == ARS_DIGITS;
			for (guint j = 0; digits && j < ARS_DIGITS; j++)
				digits = g_ascii_isdigit(codes[i][j]);
			if (digits)
				add_geocode_once(geography, "ARS", codes[i]);
			else if (codes[i][0] != '\0')
				sr_source_log_once(G_LOG_DOMAIN, PARAM_ARS_LIST, codes[i],
				                   "is not a 12-digit ARS; left out");
		}
	}
	return TRUE;
}

/* whether an info block says where: areas or an ARS list */
static gboolean
has_geography(const cJSON *info)
{
	const cJSON *areas = cJSON_GetObjectItemCaseSensitive(info, "area");
	const cJSON *parameters = cJSON_GetObjectItemCaseSensitive(info, "parameter");
	const cJSON *item = NULL;

	if (cJSON_IsArray(areas) && cJSON_GetArraySize(areas) > 0)
		return TRUE;
	if (!cJSON_IsArray(parameters))
		return FALSE;
	cJSON_ArrayForEach (item, parameters) {
		if (g_strcmp0(sr_json_get_string(item, "valueName"), PARAM_ARS_LIST) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
parse_geography(SrEvent *event, const cJSON *info, const char *where, GError **error)
{
	const cJSON *areas = NULL;
	const cJSON *area = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	Geography geography = {event, names, seen};
	g_autofree char *description = NULL;
	guint index = 0;

	if (!get_array(info, "area", where, &areas, error))
		return FALSE;
	cJSON_ArrayForEach (area, areas) {
		g_autofree char *area_where = g_strdup_printf("%s area %u", where, index++);
		if (!parse_area(&geography, area, area_where, error))
			return FALSE;
	}
	if (!parse_parameters(&geography, info, where, error))
		return FALSE;
	g_ptr_array_add(names, NULL);
	description = g_strjoinv(", ", (char **)names->pdata);
	sr_event_set_text(&event->area.description, description);
	return TRUE;
}

/* CAP references, as the CAP parser reads them */
static void
add_references(SrEvent *event, const char *text, const char *identifier, const SrParseContext *ctx)
{
	g_autoptr(GPtrArray) ids = sr_cap_read_references(text, identifier, ctx->source_name);
	for (guint i = 0; i < ids->len; i++)
		sr_event_add_reference(event, g_ptr_array_index(ids, i));
}

/* a CAP enumeration value CAP does not define: logged once, kept as unknown */
static void
log_unknown(const char *what, const char *value)
{
	sr_source_log_once(G_LOG_DOMAIN, what, value, "is not a CAP value; kept as unknown");
}

/* the texts, levels and times of the chosen info block */
static gboolean
parse_info(SrEvent *event, const cJSON *info, const char *where, GError **error)
{
	const char *language = NULL;
	const char *event_name = NULL;
	const char *headline = NULL;
	const char *description = NULL;
	const char *instruction = NULL;
	const char *web = NULL;
	const char *severity = NULL;
	const char *urgency = NULL;
	const char *certainty = NULL;
	gint64 effective = 0;
	gint64 onset = 0;
	g_autofree char *tag = NULL;

	if (!get_string(info, "language", where, &language, error) ||
	    !get_string(info, "event", where, &event_name, error) ||
	    !get_string(info, "headline", where, &headline, error) ||
	    !get_string(info, "description", where, &description, error) ||
	    !get_string(info, "instruction", where, &instruction, error) ||
	    !get_string(info, "web", where, &web, error) ||
	    !get_string(info, "severity", where, &severity, error) ||
	    !get_string(info, "urgency", where, &urgency, error) ||
	    !get_string(info, "certainty", where, &certainty, error) ||
	    !get_time(info, "effective", where, &effective, error) ||
	    !get_time(info, "onset", where, &onset, error) ||
	    !get_time(info, "expires", where, &event->expires_at, error))
		return FALSE;

	if (severity != NULL && severity[0] != '\0' &&
	    !sr_cap_severity(severity, &event->severity)) {
		event->severity = SR_SEVERITY_UNKNOWN;
		log_unknown("severity", severity);
	}
	if (urgency != NULL && urgency[0] != '\0' && !sr_cap_urgency(urgency, &event->urgency)) {
		event->urgency = SR_URGENCY_UNKNOWN;
		log_unknown("urgency", urgency);
	}
	if (certainty != NULL && certainty[0] != '\0' &&
	    !sr_cap_certainty(certainty, &event->certainty)) {
		event->certainty = SR_CERTAINTY_UNKNOWN;
		log_unknown("certainty", certainty);
	}
	/* the start is when the hazard begins: onset, else effective, else sent */
	if (onset != 0)
		event->started_at = onset;
	else if (effective != 0)
		event->started_at = effective;
	/* a warning without a headline is still shown by its event name */
	set_plain_text(&event->headline,
	               headline != NULL && headline[0] != '\0' ? headline : event_name);
	set_plain_text(&event->description, description);
	set_plain_text(&event->instruction, instruction);
	set_plain_text(&event->web, web);
	tag = normal_language(language);
	sr_event_set_text(&event->language, tag);
	return TRUE;
}

static gboolean
is_msg_type(const char *msg_type, const char *name)
{
	return msg_type != NULL && g_ascii_strcasecmp(msg_type, name) == 0;
}

SrBatch *
sr_source_nina_parse(const char *body, gsize len, const SrParseContext *ctx, GError **error)
{
	g_autoptr(cJSON) root = NULL;
	g_autoptr(SrBatch) batch = NULL;
	g_autoptr(SrEvent) event = NULL;
	g_autofree char *identifier = NULL;
	g_autofree char *event_id = NULL;
	const char *published_id = NULL;
	const char *msg_type = NULL;
	const char *status = NULL;
	const char *references = NULL;
	const cJSON *infos = NULL;
	const cJSON *info = NULL;
	const cJSON *chosen = NULL;
	const cJSON *geography = NULL;
	gint64 sent = 0;
	gint geography_index = 0;
	guint index = 0;

	root = sr_source_parse_json_root(body, len, cJSON_Object, _("body is not a JSON object"),
	                                 error);
	if (root == NULL)
		return NULL;
	if (!get_string(root, "identifier", "warning", &published_id, error))
		return NULL;
	if (published_id == NULL || published_id[0] == '\0') {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("warning has no 'identifier'"));
		return NULL;
	}
	if (!get_string(root, "msgType", "warning", &msg_type, error) ||
	    !get_string(root, "status", "warning", &status, error) ||
	    !get_string(root, "references", "warning", &references, error) ||
	    !get_time(root, "sent", "warning", &sent, error) ||
	    !get_array(root, "info", "warning", &infos, error))
		return NULL;
	if (sent == 0) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE, _("warning has no 'sent'"));
		return NULL;
	}
	cJSON_ArrayForEach (info, infos) {
		if (!cJSON_IsObject(info)) {
			g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("info %u is not an object"),
			            index);
			return NULL;
		}
		index++;
	}

	batch = sr_batch_new(SR_BATCH_SNAPSHOT);
	/* acknowledgements and errors are about messages, not hazards */
	if (is_msg_type(msg_type, "Ack") || is_msg_type(msg_type, "Error")) {
		g_debug("warning %s is a %s message; no event", published_id, msg_type);
		return g_steal_pointer(&batch);
	}
	if (msg_type != NULL && !is_msg_type(msg_type, "Alert") &&
	    !is_msg_type(msg_type, "Update") && !is_msg_type(msg_type, "Cancel"))
		sr_source_log_once(G_LOG_DOMAIN, "msgType", msg_type,
		                   "is not a CAP message type; read as Alert");

	identifier = g_utf8_make_valid(published_id, -1);
	event_id = g_strdup_printf("%s:%s", ctx->source_name, identifier);
	event = sr_event_new(ctx->source_name, event_id);
	event->phase = SR_PHASE_ACTIVE;
	event->status = SR_STATUS_ACTUAL;
	if (status != NULL && !sr_cap_status(status, &event->status)) {
		/* a warning is not hidden because its status is new: a test shown is better
		 * than a real warning missed */
		event->status = SR_STATUS_ACTUAL;
		sr_source_log_once(G_LOG_DOMAIN, "status", status,
		                   "is not a CAP status; read as Actual");
	}
	event->started_at = sent;
	event->updated_at = sent;

	if (infos != NULL && cJSON_GetArraySize(infos) > 0) {
		gint chosen_index = choose_info(infos, ctx);
		g_autofree char *where = g_strdup_printf("info %d", chosen_index);
		chosen = cJSON_GetArrayItem(infos, chosen_index);
		if (!parse_info(event, chosen, where, error))
			return NULL;
		/* where comes from the chosen block, or the first that says (all say the same) */
		geography = chosen;
		geography_index = chosen_index;
		if (!has_geography(chosen)) {
			index = 0;
			cJSON_ArrayForEach (info, infos) {
				if (has_geography(info)) {
					geography = info;
					geography_index = (gint)index;
					break;
				}
				index++;
			}
		}
		g_free(where);
		where = g_strdup_printf("info %d", geography_index);
		if (!parse_geography(event, geography, where, error))
			return NULL;
		if (has_all_clear(chosen))
			event->phase = SR_PHASE_ENDED;
	}
	event->kind = warning_kind(infos, chosen);
	if (is_msg_type(msg_type, "Cancel"))
		event->phase = SR_PHASE_CANCELLED;
	if (event->phase != SR_PHASE_ACTIVE)
		event->ended_at = sent;
	if (references != NULL)
		add_references(event, references, published_id, ctx);
	sr_batch_take(batch, g_steal_pointer(&event));
	return g_steal_pointer(&batch);
}

static const char *const nina_keys[] = {"ars", NULL};

const SrSourceOps sr_source_nina = {
    .type = "nina",
    .description = "NINA (warnung.bund.de): civil-protection, weather and flood warnings for one "
                   "German Kreis (needs ars=)",
    .default_url = "https://warnung.bund.de/api31",
    .needs_token = FALSE,
    .default_interval = 60,
    .min_interval = 30,
    /* the dashboard and each new or changed warning count */
    .max_per_minute = 30,
    .auth_failures_before_error = 1,
    .conditional = TRUE,
    .kinds = SR_KINDS_ALL,
    /* warnings name areas (ARS geocodes, polygons), not regions of the catalog */
    .levels = 0,
    .extra_keys = nina_keys,
    .build_request = build_request,
    .parse = sr_source_nina_parse,
    .parse_probe = NULL,
    .parse_index = sr_source_nina_parse_dashboard,
    .parse_entry = sr_source_nina_parse,
};
