/* sr-cli-regions.c - `sirena regions`: find region ids and names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sirena"

#include "config.h"

#include <stdio.h>

#include "cli/sr-cli.h"
#include "sirena/json.h"

static cJSON *
region_to_json(const SrRegion *region)
{
	cJSON *json = cJSON_CreateObject();
	cJSON *aliases = cJSON_CreateArray();
	cJSON_AddStringToObject(json, "id", region->id);
	cJSON_AddStringToObject(json, "name", region->name);
	if (region->name_en != NULL)
		cJSON_AddStringToObject(json, "name_en", region->name_en);
	else
		cJSON_AddNullToObject(json, "name_en");
	cJSON_AddStringToObject(json, "level", sr_region_level_to_string(region->level));
	if (region->parent != NULL) {
		cJSON *parent = cJSON_CreateObject();
		cJSON_AddStringToObject(parent, "id", region->parent->id);
		cJSON_AddStringToObject(parent, "name", region->parent->name);
		cJSON_AddItemToObject(json, "parent", parent);
	} else {
		cJSON_AddNullToObject(json, "parent");
	}
	for (guint i = 0; i < region->aliases->len; i++)
		cJSON_AddItemToArray(aliases,
		                     cJSON_CreateString(g_ptr_array_index(region->aliases, i)));
	cJSON_AddItemToObject(json, "aliases", aliases);
	if (region->shelter_seconds >= 0)
		cJSON_AddNumberToObject(json, "shelter_seconds", region->shelter_seconds);
	else
		cJSON_AddNullToObject(json, "shelter_seconds");
	return json;
}

/* `--ids`: "ID<TAB>LATIN NAME" per line, what shell completion offers; a control character
 * in a name (none in the shipped catalogs) would break the line format, so it becomes a space */
static void
print_completion_line(const SrRegion *region)
{
	g_autofree char *name = g_strdup(sr_region_display_name(region, TRUE));
	for (char *p = name; *p != '\0'; p++) {
		if ((guchar)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	}
	printf("%s\t%s\n", region->id, name);
}

/* a region's level in words; the JSON keeps sr_region_level_to_string() */
static const char *
level_label(SrRegionLevel level)
{
	static const char *const labels[SR_REGION_LEVEL_LAST] = {
	    /* TRANSLATORS: region levels: Ukraine's oblasts, raions, hromadas and cities,
	     * Israel's country, alert zones and alert areas */
	    N_("unknown"), N_("oblast"),  N_("raion"), N_("hromada"),
	    N_("city"),    N_("country"), N_("zone"),  N_("area"),
	};
	if ((guint)level >= SR_REGION_LEVEL_LAST)
		level = SR_REGION_LEVEL_UNKNOWN;
	return _(labels[level]);
}

int
sr_cli_regions(int argc, char **argv, SrCliCommon *common)
{
	const SrCatalog *catalog = NULL;
	g_autoptr(GPtrArray) matches = NULL;
	g_autofree char *query = NULL;
	gboolean ids = FALSE;
	GOptionEntry entries[] = {
	    {"ids", 0, 0, G_OPTION_ARG_NONE, &ids,
	     N_("One region per line, its id, a tab and its Latin name (for shell completion): "
	        "every region, or those matching QUERY"),
	     NULL},
	    {NULL},
	};

	if (!sr_cli_parse_options(
	        common, "regions", "[QUERY]",
	        N_("Lists regions whose id or name (Ukrainian, Hebrew, Russian, Arabic or Latin;\n"
	           "any case, any apostrophe) matches QUERY, with level and parent so that equal\n"
	           "names can be told apart, and the time to reach a shelter where it is known.\n"
	           "Without QUERY: the top-level regions."),
	        entries, &argc, &argv))
		return SR_EXIT_USAGE;
	catalog = sr_cli_catalog();
	if (catalog == NULL)
		return SR_EXIT_FAILURE;
	if (argc > 1)
		query = g_strjoinv(" ", argv + 1);
	if (ids) {
		/* borrowed from the catalog, or the search result that `matches` owns */
		GPtrArray *list = sr_catalog_get_all(catalog);
		if (query != NULL) {
			matches = sr_catalog_search(catalog, query, TRUE);
			list = matches;
		}
		for (guint i = 0; i < list->len; i++)
			print_completion_line(g_ptr_array_index(list, i));
		return list->len > 0 ? SR_EXIT_OK : SR_EXIT_FAILURE;
	}
	if (query == NULL) {
		GPtrArray *all = sr_catalog_get_all(catalog);
		matches = g_ptr_array_new();
		for (guint i = 0; i < all->len; i++) {
			const SrRegion *region = g_ptr_array_index(all, i);
			if (region->parent == NULL)
				g_ptr_array_add(matches, (gpointer)region);
		}
	} else {
		matches = sr_catalog_search(catalog, query, TRUE);
	}
	if (common->json) {
		g_autoptr(cJSON) array = cJSON_CreateArray();
		for (guint i = 0; i < matches->len; i++)
			cJSON_AddItemToArray(array, region_to_json(g_ptr_array_index(matches, i)));
		sr_cli_print_json(array);
		return matches->len > 0 ? SR_EXIT_OK : SR_EXIT_FAILURE;
	}
	if (matches->len == 0) {
		sr_cli_error(_("no region matches '%s'"), query);
		return SR_EXIT_FAILURE;
	}
	for (guint i = 0; i < matches->len; i++) {
		const SrRegion *region = g_ptr_array_index(matches, i);
		printf("%-8s %s — %s (%s", region->id, region->name,
		       region->name_en != NULL ? region->name_en : "", level_label(region->level));
		if (region->parent != NULL) {
			printf(" ");
			printf(_("in %s"), sr_region_local_name(region->parent));
		}
		/* the time the home front command gives an area to reach a protected space */
		if (region->shelter_seconds == 0)
			printf(", %s", _("shelter immediately"));
		else if (region->shelter_seconds > 0) {
			printf(", ");
			printf(SR_NGETTEXT("shelter %d s", "shelter %d s", region->shelter_seconds),
			       region->shelter_seconds);
		}
		printf(")\n");
	}
	return SR_EXIT_OK;
}
