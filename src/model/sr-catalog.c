/* sr-catalog.c - the region catalog: ids, names, aliases and the tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-catalog"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "sirena/error.h"
#include "sirena/json.h"
#include "sirena/region.h"
#include "sr-i18n.h"

struct _SrCatalog {
	GPtrArray *regions;              /* of SrRegion*, owned, in file order */
	GHashTable *by_id;               /* canonical id -> SrRegion* */
	GHashTable *by_name;             /* folded name -> GPtrArray of SrRegion* */
	GHashTable *by_ukraine_alarm_id; /* Ukraine Alarm regionId where it differs -> SrRegion* */
};

static const char *const level_names[] = {"unknown", "oblast",  "raion", "hromada",
                                          "city",    "country", "zone",  "area"};
G_STATIC_ASSERT(G_N_ELEMENTS(level_names) == SR_REGION_LEVEL_LAST);

const char *
sr_region_level_to_string(SrRegionLevel level)
{
	if ((guint)level >= SR_REGION_LEVEL_LAST)
		return "unknown";
	return level_names[level];
}

static SrRegionLevel
level_from_string(const char *str)
{
	for (guint i = 1; i < SR_REGION_LEVEL_LAST; i++) {
		if (g_strcmp0(level_names[i], str) == 0)
			return (SrRegionLevel)i;
	}
	return SR_REGION_LEVEL_UNKNOWN;
}

static void
sr_region_free(SrRegion *region)
{
	g_free(region->id);
	g_free(region->local_id);
	g_free(region->name);
	g_free(region->name_en);
	g_ptr_array_unref(region->aliases);
	g_free(region->ukraine_alarm_id);
	g_free(region);
}

SrCatalog *
sr_catalog_new(void)
{
	SrCatalog *catalog = g_new0(SrCatalog, 1);
	catalog->regions = g_ptr_array_new_with_free_func((GDestroyNotify)sr_region_free);
	catalog->by_id = g_hash_table_new(g_str_hash, g_str_equal);
	catalog->by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                         (GDestroyNotify)g_ptr_array_unref);
	catalog->by_ukraine_alarm_id = g_hash_table_new(g_str_hash, g_str_equal);
	return catalog;
}

void
sr_catalog_free(SrCatalog *catalog)
{
	if (catalog == NULL)
		return;
	g_hash_table_unref(catalog->by_ukraine_alarm_id);
	g_hash_table_unref(catalog->by_name);
	g_hash_table_unref(catalog->by_id);
	g_ptr_array_unref(catalog->regions);
	g_free(catalog);
}

guint
sr_catalog_size(const SrCatalog *catalog)
{
	return catalog->regions->len;
}

GPtrArray *
sr_catalog_get_all(const SrCatalog *catalog)
{
	return catalog->regions;
}

char *
sr_name_fold(const char *name)
{
	/* apostrophe look-alikes used by the APIs and by people typing: ’ ʼ ‘ ` ´ and the
	 * hebrew geresh ׳, which pikud haoref's own lists spell as ' */
	static const gunichar apostrophes[] = {0x2019, 0x02BC, 0x2018, 0x0060, 0x00B4, 0x05F3};
	g_autofree char *normal = NULL;
	g_autofree char *folded = NULL;
	GString *out = NULL;
	gboolean space = FALSE;

	if (name == NULL || !g_utf8_validate(name, -1, NULL))
		return NULL;
	normal = g_utf8_normalize(name, -1, G_NORMALIZE_NFC);
	folded = g_utf8_casefold(normal, -1);
	out = g_string_sized_new(strlen(folded));
	for (const char *p = folded; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c) || c == 0x00A0) {
			space = out->len > 0;
			continue;
		}
		if (space) {
			g_string_append_c(out, ' ');
			space = FALSE;
		}
		for (guint i = 0; i < G_N_ELEMENTS(apostrophes); i++) {
			if (c == apostrophes[i]) {
				c = '\'';
				break;
			}
		}
		/* the hebrew gershayim ״, for which ascii keyboards type " */
		if (c == 0x05F4)
			c = '"';
		/* pikud haoref feeds write some gereshes as '' ("ג''ת" for "ג'ת") */
		if (c == '\'' && out->len > 0 && out->str[out->len - 1] == '\'')
			continue;
		g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

static void
index_name(SrCatalog *catalog, const char *name, SrRegion *region)
{
	g_autofree char *folded = sr_name_fold(name);
	GPtrArray *list = NULL;
	if (folded == NULL || folded[0] == '\0')
		return;
	list = g_hash_table_lookup(catalog->by_name, folded);
	if (list == NULL) {
		list = g_ptr_array_new();
		g_hash_table_insert(catalog->by_name, g_steal_pointer(&folded), list);
	}
	for (guint i = 0; i < list->len; i++) {
		if (g_ptr_array_index(list, i) == region)
			return;
	}
	g_ptr_array_add(list, region);
}

/* the other names an entry may carry; indexed as aliases so that every search finds them */
static void
add_alias(SrRegion *region, const char *name)
{
	if (name == NULL || name[0] == '\0' || g_strcmp0(name, region->name) == 0 ||
	    g_strcmp0(name, region->name_en) == 0)
		return;
	for (guint i = 0; i < region->aliases->len; i++) {
		if (g_strcmp0(g_ptr_array_index(region->aliases, i), name) == 0)
			return;
	}
	g_ptr_array_add(region->aliases, g_strdup(name));
}

static const char *
json_id(const cJSON *item, char *buf, gsize size)
{
	/* ids are strings in the shipped file; accept numbers from hand-written catalogs */
	if (cJSON_IsString(item))
		return item->valuestring;
	if (cJSON_IsNumber(item) && item->valuedouble >= 0 && item->valuedouble < 1e9) {
		g_snprintf(buf, size, "%d", item->valueint);
		return buf;
	}
	return NULL;
}

gboolean
sr_catalog_load_data(SrCatalog *catalog, const char *data, gsize len, const char *prefix,
                     GError **error)
{
	g_autoptr(cJSON) root = cJSON_ParseWithLength(data, len);
	const cJSON *regions = NULL;
	const cJSON *item = NULL;
	guint index = 0;

	if (root == NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("region catalog is not JSON"));
		return FALSE;
	}
	regions = cJSON_GetObjectItemCaseSensitive(root, "regions");
	if (!cJSON_IsArray(regions)) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("region catalog has no 'regions' array"));
		return FALSE;
	}
	cJSON_ArrayForEach (item, regions) {
		char id_buf[32];
		char parent_buf[32];
		const char *local_id =
		    json_id(cJSON_GetObjectItemCaseSensitive(item, "id"), id_buf, sizeof(id_buf));
		const char *parent_id = json_id(cJSON_GetObjectItemCaseSensitive(item, "parent"),
		                                parent_buf, sizeof(parent_buf));
		const char *name = sr_json_get_string(item, "name_uk");
		const cJSON *ua_id = cJSON_GetObjectItemCaseSensitive(item, "ukraine_alarm_id");
		const cJSON *oblast_index = cJSON_GetObjectItemCaseSensitive(item, "oblast_index");
		const cJSON *shelter = cJSON_GetObjectItemCaseSensitive(item, "shelter_seconds");
		const cJSON *alias = NULL;
		SrRegion *region = NULL;

		index++;
		if (name == NULL)
			name = sr_json_get_string(item, "name");
		if (local_id == NULL || name == NULL) {
			g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
			            _("region catalog entry %u has no id or name"), index);
			return FALSE;
		}
		region = g_new0(SrRegion, 1);
		region->local_id = g_strdup(local_id);
		region->id = g_strdup_printf("%s:%s", prefix, local_id);
		region->level = level_from_string(sr_json_get_string(item, "level"));
		region->name = g_strdup(name);
		region->name_en = g_strdup(sr_json_get_string(item, "name_en"));
		region->aliases = g_ptr_array_new_with_free_func(g_free);
		region->oblast_index = cJSON_IsNumber(oblast_index) ? oblast_index->valueint : -1;
		/* null where the time is unknown or means nothing (a zone, the whole country) */
		region->shelter_seconds =
		    cJSON_IsNumber(shelter) && shelter->valuedouble >= 0 ? shelter->valueint : -1;
		/* ukraine alarm covers ukraine alone, and not even the regions the file marks null
		 */
		region->in_ukraine_alarm = g_strcmp0(prefix, "ua") == 0 && !cJSON_IsNull(ua_id);
		region->ukraine_alarm_id =
		    cJSON_IsString(ua_id) ? g_strdup(ua_id->valuestring) : NULL;
		if (g_hash_table_contains(catalog->by_id, region->id)) {
			g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
			            _("region catalog has id %s twice"), region->id);
			sr_region_free(region);
			return FALSE;
		}
		if (parent_id != NULL) {
			g_autofree char *pid = g_strdup_printf("%s:%s", prefix, parent_id);
			region->parent = g_hash_table_lookup(catalog->by_id, pid);
			if (region->parent == NULL) {
				g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
				            _("region %s names parent %s before it is defined"),
				            region->id, pid);
				sr_region_free(region);
				return FALSE;
			}
			region->depth = region->parent->depth + 1;
		}
		cJSON_ArrayForEach (alias, cJSON_GetObjectItemCaseSensitive(item, "aliases")) {
			if (cJSON_IsString(alias))
				g_ptr_array_add(region->aliases, g_strdup(alias->valuestring));
		}
		add_alias(region, sr_json_get_string(item, "name_he"));
		add_alias(region, sr_json_get_string(item, "name_ru"));
		add_alias(region, sr_json_get_string(item, "name_ar"));
		g_ptr_array_add(catalog->regions, region);
		g_hash_table_insert(catalog->by_id, region->id, region);
		if (region->ukraine_alarm_id != NULL)
			g_hash_table_insert(catalog->by_ukraine_alarm_id, region->ukraine_alarm_id,
			                    region);
		index_name(catalog, region->name, region);
		index_name(catalog, region->name_en, region);
		for (guint i = 0; i < region->aliases->len; i++)
			index_name(catalog, g_ptr_array_index(region->aliases, i), region);
	}
	return TRUE;
}

gboolean
sr_catalog_load_file(SrCatalog *catalog, const char *path, const char *prefix, GError **error)
{
	g_autofree char *data = NULL;
	gsize len = 0;
	if (!g_file_get_contents(path, &data, &len, error)) {
		g_prefix_error(error, _("cannot read the region catalog: "));
		return FALSE;
	}
	if (!sr_catalog_load_data(catalog, data, len, prefix, error)) {
		g_prefix_error(error, "%s: ", path);
		return FALSE;
	}
	return TRUE;
}

static gboolean
running_uninstalled(void)
{
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	return exe != NULL && g_str_has_prefix(exe, SR_BUILD_ROOT "/");
}

const char *
sr_data_dir(void)
{
	static gsize dir = 0;
	if (g_once_init_enter(&dir)) {
		const char *env = g_getenv("SIRENA_DATA_DIR");
		char *value = NULL;
		if (env != NULL && env[0] != '\0')
			value = g_strdup(env);
		else if (running_uninstalled())
			value = g_strdup(SR_SOURCE_DATADIR);
		else
			value = g_strdup(SR_DATADIR);
		g_once_init_leave(&dir, (gsize)value);
	}
	return (const char *)dir;
}

const SrCatalog *
sr_catalog_get_default(GError **error)
{
	static GMutex mutex;
	static SrCatalog *catalog = NULL;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&mutex);

	if (catalog == NULL) {
		static const char *const countries[] = {"ua", "il"};
		g_autoptr(SrCatalog) loaded = sr_catalog_new();
		for (guint i = 0; i < G_N_ELEMENTS(countries); i++) {
			g_autofree char *file = g_strdup_printf("regions-%s.json", countries[i]);
			g_autofree char *path = g_build_filename(sr_data_dir(), file, NULL);
			if (!sr_catalog_load_file(loaded, path, countries[i], error))
				return NULL;
		}
		catalog = g_steal_pointer(&loaded);
	}
	return catalog;
}

const SrRegion *
sr_catalog_lookup(const SrCatalog *catalog, const char *id)
{
	if (id == NULL)
		return NULL;
	return g_hash_table_lookup(catalog->by_id, id);
}

const SrRegion *
sr_catalog_lookup_ukraine_alarm(const SrCatalog *catalog, const char *region_id)
{
	g_autofree char *id = NULL;
	const SrRegion *region = NULL;
	if (region_id == NULL || region_id[0] == '\0')
		return NULL;
	/* the few ids where Ukraine Alarm differs (Crimea is 9999 there) */
	region = g_hash_table_lookup(catalog->by_ukraine_alarm_id, region_id);
	if (region != NULL)
		return region;
	id = g_strdup_printf("ua:%s", region_id);
	region = sr_catalog_lookup(catalog, id);
	/* ua:29 exists only under Ukraine Alarm's own number */
	if (region != NULL && region->ukraine_alarm_id != NULL)
		return NULL;
	return region;
}

static gint
region_order(gconstpointer a, gconstpointer b)
{
	const SrRegion *ra = *(const SrRegion *const *)a;
	const SrRegion *rb = *(const SrRegion *const *)b;
	gint64 ia = 0, ib = 0;
	if (ra->depth != rb->depth)
		return ra->depth < rb->depth ? -1 : 1;
	ia = g_ascii_strtoll(ra->local_id, NULL, 10);
	ib = g_ascii_strtoll(rb->local_id, NULL, 10);
	if (ia != ib)
		return ia < ib ? -1 : 1;
	return g_strcmp0(ra->id, rb->id);
}

GPtrArray *
sr_catalog_find_by_name(const SrCatalog *catalog, const char *name)
{
	g_autofree char *folded = sr_name_fold(name);
	GPtrArray *result = g_ptr_array_new();
	GPtrArray *list = folded != NULL ? g_hash_table_lookup(catalog->by_name, folded) : NULL;
	if (list != NULL) {
		for (guint i = 0; i < list->len; i++)
			g_ptr_array_add(result, g_ptr_array_index(list, i));
	}
	g_ptr_array_sort(result, region_order);
	return result;
}

static const SrRegion *
lookup_any_id(const SrCatalog *catalog, const char *query)
{
	g_autofree char *id = NULL;
	const SrRegion *region = sr_catalog_lookup(catalog, query);
	if (region != NULL)
		return region;
	/* a bare number is a Ukrainian id, as both APIs print them */
	for (const char *p = query; *p != '\0'; p++) {
		if (!g_ascii_isdigit(*p))
			return NULL;
	}
	if (query[0] == '\0')
		return NULL;
	id = g_strdup_printf("ua:%s", query);
	return sr_catalog_lookup(catalog, id);
}

static gboolean
region_contains_text(const SrRegion *region, const char *folded_query)
{
	const char *names[2] = {region->name, region->name_en};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *folded = sr_name_fold(names[i]);
		if (folded != NULL && strstr(folded, folded_query) != NULL)
			return TRUE;
	}
	for (guint i = 0; i < region->aliases->len; i++) {
		g_autofree char *folded = sr_name_fold(g_ptr_array_index(region->aliases, i));
		if (folded != NULL && strstr(folded, folded_query) != NULL)
			return TRUE;
	}
	return FALSE;
}

GPtrArray *
sr_catalog_search(const SrCatalog *catalog, const char *query, gboolean substring)
{
	g_autofree char *folded = NULL;
	const SrRegion *by_id = NULL;
	GPtrArray *result = NULL;
	g_autofree char *trimmed = NULL;

	if (query == NULL)
		return g_ptr_array_new();
	trimmed = g_strstrip(g_strdup(query));
	by_id = lookup_any_id(catalog, trimmed);
	if (by_id != NULL) {
		result = g_ptr_array_new();
		g_ptr_array_add(result, (gpointer)by_id);
		return result;
	}
	result = sr_catalog_find_by_name(catalog, query);
	if (result->len > 0 || !substring)
		return result;
	folded = sr_name_fold(query);
	if (folded == NULL || folded[0] == '\0')
		return result;
	for (guint i = 0; i < catalog->regions->len; i++) {
		const SrRegion *region = g_ptr_array_index(catalog->regions, i);
		if (region_contains_text(region, folded))
			g_ptr_array_add(result, (gpointer)region);
	}
	g_ptr_array_sort(result, region_order);
	return result;
}

static void
append_candidate(GString *str, const SrRegion *region)
{
	g_string_append_printf(str, "\n  %s  %s (%s", region->id, region->name,
	                       sr_region_level_to_string(region->level));
	if (region->parent != NULL)
		g_string_append_printf(str, " in %s", region->parent->name);
	g_string_append(str, ")");
}

const SrRegion *
sr_catalog_resolve(const SrCatalog *catalog, const char *query, GError **error)
{
	g_autoptr(GPtrArray) exact = sr_catalog_search(catalog, query, FALSE);
	g_autoptr(GPtrArray) near = NULL;
	g_autoptr(GString) str = NULL;

	if (exact->len == 1)
		return g_ptr_array_index(exact, 0);
	str = g_string_new(NULL);
	if (exact->len > 1) {
		g_string_printf(str, "region '%s' is ambiguous; use one of these ids:", query);
		for (guint i = 0; i < exact->len && i < 10; i++)
			append_candidate(str, g_ptr_array_index(exact, i));
		if (exact->len > 10)
			g_string_append_printf(str, "\n  … and %u more", exact->len - 10);
		g_set_error_literal(error, SR_ERROR, SR_ERROR_NOT_FOUND, str->str);
		return NULL;
	}
	g_string_printf(str, "no region '%s' in the catalog", query);
	near = sr_catalog_search(catalog, query, TRUE);
	if (near->len > 0) {
		g_string_append(str, "; did you mean:");
		for (guint i = 0; i < near->len && i < 5; i++)
			append_candidate(str, g_ptr_array_index(near, i));
	} else {
		g_string_append(str, " (try `sirena regions PART-OF-NAME`)");
	}
	g_set_error_literal(error, SR_ERROR, SR_ERROR_NOT_FOUND, str->str);
	return NULL;
}

gboolean
sr_region_is_within(const SrRegion *region, const SrRegion *ancestor)
{
	for (const SrRegion *r = region; r != NULL; r = r->parent) {
		if (r == ancestor)
			return TRUE;
	}
	return FALSE;
}

gboolean
sr_catalog_matches(const SrCatalog *catalog, const char *subscription_id,
                   const char *alert_region_id)
{
	const SrRegion *sub = NULL;
	const SrRegion *alert = NULL;
	if (g_strcmp0(subscription_id, alert_region_id) == 0)
		return TRUE;
	sub = sr_catalog_lookup(catalog, subscription_id);
	alert = sr_catalog_lookup(catalog, alert_region_id);
	if (sub == NULL || alert == NULL)
		return FALSE;
	return sr_region_is_within(sub, alert) || sr_region_is_within(alert, sub);
}

const char *
sr_region_display_name(const SrRegion *region, gboolean latin)
{
	if (latin && region->name_en != NULL)
		return region->name_en;
	return region->name;
}

gboolean
sr_locale_is(const char *language)
{
	const char *locale = setlocale(LC_MESSAGES, NULL);
	gsize len = strlen(language);
	return locale != NULL && strncmp(locale, language, len) == 0 &&
	       (locale[len] == '\0' || locale[len] == '_' || locale[len] == '.' ||
	        locale[len] == '@');
}

/* the language a country's native region names are written in, by id prefix; "iw" is the code
 * older systems still use for Hebrew */
static const struct {
	const char *prefix;
	const char *language;
} native_languages[] = {
    {"ua:", "uk"},
    {"il:", "he"},
    {"il:", "iw"},
};

const char *
sr_region_local_name(const SrRegion *region)
{
	for (guint i = 0; i < G_N_ELEMENTS(native_languages); i++) {
		if (g_str_has_prefix(region->id, native_languages[i].prefix) &&
		    sr_locale_is(native_languages[i].language))
			return sr_region_display_name(region, FALSE);
	}
	return sr_region_display_name(region, TRUE);
}

/* only areas carry a time to shelter: a region of another level has no time of its own, even
 * when a catalog leaves the field at 0 */
static const SrRegion *
shorter_shelter(const SrRegion *best, const SrRegion *area, guint *n_candidates)
{
	if (area == NULL || area->level != SR_REGION_LEVEL_AREA || area->shelter_seconds < 0)
		return best;
	(*n_candidates)++;
	if (best == NULL || area->shelter_seconds < best->shelter_seconds)
		return area;
	return best;
}

const SrRegion *
sr_catalog_shelter_area(const SrCatalog *catalog, GPtrArray *alert_regions,
                        GPtrArray *subscriptions, guint *n_candidates)
{
	const SrRegion *best = NULL;
	guint candidates = 0;

	for (guint i = 0; catalog != NULL && i < alert_regions->len; i++) {
		const SrRegion *region =
		    sr_catalog_lookup(catalog, g_ptr_array_index(alert_regions, i));
		if (region == NULL)
			continue;
		if (region->level == SR_REGION_LEVEL_AREA) {
			best = shorter_shelter(best, region, &candidates);
			continue;
		}
		for (guint j = 0; subscriptions != NULL && j < subscriptions->len; j++) {
			const SrRegion *sub =
			    sr_catalog_lookup(catalog, g_ptr_array_index(subscriptions, j));
			if (sub != NULL && sr_region_is_within(sub, region))
				best = shorter_shelter(best, sub, &candidates);
		}
	}
	if (n_candidates != NULL)
		*n_candidates = candidates;
	return best;
}
