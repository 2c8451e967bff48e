/* region.h - the region catalog: a tree of regions with names, aliases and ids
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	SR_REGION_LEVEL_UNKNOWN,
	SR_REGION_LEVEL_OBLAST,
	SR_REGION_LEVEL_RAION,
	SR_REGION_LEVEL_HROMADA,
	SR_REGION_LEVEL_CITY,
	SR_REGION_LEVEL_COUNTRY, /* Israel as a whole: the all-country alert */
	SR_REGION_LEVEL_ZONE,    /* an Israeli alert zone (Home Front Command district) */
	SR_REGION_LEVEL_AREA,    /* an Israeli alert area, the unit Pikud HaOref alerts name */
	SR_REGION_LEVEL_LAST
} SrRegionLevel;

typedef struct _SrRegion SrRegion;
struct _SrRegion {
	char *id;       /* canonical id, "ua:31" */
	char *local_id; /* the id within its country, "31" */
	SrRegionLevel level;
	SrRegion *parent;          /* NULL for top-level regions */
	char *name;                /* native name, "м. Київ" */
	char *name_en;             /* Latin-script name, "Kyiv City" */
	GPtrArray *aliases;        /* of char*: old names, other spellings */
	char *ukraine_alarm_id;    /* Ukraine Alarm regionId where it differs ("9999"), else NULL */
	gboolean in_ukraine_alarm; /* FALSE where Ukraine Alarm has no such region */
	gint oblast_index;         /* position in the alerts.in.ua by-oblast IoT string, or -1 */
	guint depth;               /* 0 for top-level */
	gint shelter_seconds; /* time to reach a protected space (Israeli areas), -1 when unknown */
};

typedef struct _SrCatalog SrCatalog;

const char *sr_region_level_to_string(SrRegionLevel level);

SrCatalog *sr_catalog_new(void);
void sr_catalog_free(SrCatalog *catalog);

/* loads a regions-<country>.json file (the format of data/regions-ua.json); ids get "<prefix>:";
 * name_he, name_ru and name_ar, where an entry has them, are searchable as aliases */
gboolean sr_catalog_load_file(SrCatalog *catalog, const char *path, const char *prefix,
                              GError **error);
gboolean sr_catalog_load_data(SrCatalog *catalog, const char *data, gsize len, const char *prefix,
                              GError **error);

/* the directory the catalogs and demo data are read from: $SIRENA_DATA_DIR, the build tree when
 * running uninstalled, or the installed data directory */
const char *sr_data_dir(void);

/* the process-wide catalog with every shipped country, loaded once on first use */
const SrCatalog *sr_catalog_get_default(GError **error);

guint sr_catalog_size(const SrCatalog *catalog);

/* every region, parents before children (borrowed) */
GPtrArray *sr_catalog_get_all(const SrCatalog *catalog);

/* exact lookup by canonical id ("ua:31"); NULL when unknown */
const SrRegion *sr_catalog_lookup(const SrCatalog *catalog, const char *id);

/* lookup by Ukraine Alarm regionId: maps 9999 to ua:29 and everything else to ua:<id> */
const SrRegion *sr_catalog_lookup_ukraine_alarm(const SrCatalog *catalog, const char *region_id);

/* regions whose name, Latin name or alias equals @name after folding (case, apostrophes, spaces);
 * returns a new array of const SrRegion* (never NULL), sorted by depth then id */
GPtrArray *sr_catalog_find_by_name(const SrCatalog *catalog, const char *name);

/* for `sirena regions QUERY` and config `regions=`: an id ("ua:31" or "31"), an exact name, or,
 * when @substring is TRUE and nothing matched exactly, every region whose folded name contains
 * the folded query; sorted by depth then id */
GPtrArray *sr_catalog_search(const SrCatalog *catalog, const char *query, gboolean substring);

/* resolves a user's region reference to exactly one region, or fails with a message that lists
 * the candidates ("ambiguous: ...") or says nothing matched */
const SrRegion *sr_catalog_resolve(const SrCatalog *catalog, const char *query, GError **error);

/* TRUE when @region is @ancestor or lies inside it */
gboolean sr_region_is_within(const SrRegion *region, const SrRegion *ancestor);

/* hierarchical matching (design.md §3): an alert at @alert_region_id concerns a subscription to
 * @subscription_id when one contains the other; unknown ids match only themselves */
gboolean sr_catalog_matches(const SrCatalog *catalog, const char *subscription_id,
                            const char *alert_region_id);

/* folds a name for comparison: lower case, U+2019/U+02BC/U+2018/U+0060/U+00B4 and the hebrew
 * geresh U+05F3 to U+0027, a doubled '' to one, the gershayim U+05F4 to ", spaces collapsed */
char *sr_name_fold(const char *name);

/* the name to show: the native name, or the Latin one when @latin */
const char *sr_region_display_name(const SrRegion *region, gboolean latin);

/* TRUE when the messages locale (LC_MESSAGES) is in @language: "uk", "he" */
gboolean sr_locale_is(const char *language);
/* the name a reader knows the region by: the native name for someone whose locale is the
 * country's language, the Latin one for everybody else (a Ukrainian reads "Tel Aviv - City
 * Center", not "תל אביב - מרכז העיר") */
const char *sr_region_local_name(const SrRegion *region);
/* the area whose time to reach a protected space applies to an alert at @alert_regions (of
 * char* ids): its own areas, or for an alert at a zone or the country the user's areas
 * (@subscriptions, of char* ids, may be NULL) inside it; the shortest time wins, as the user may
 * be in any of them. NULL when no time is known; *@n_candidates (may be NULL) says among how many
 * areas it was chosen */
const SrRegion *sr_catalog_shelter_area(const SrCatalog *catalog, GPtrArray *alert_regions,
                                        GPtrArray *subscriptions, guint *n_candidates);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrCatalog, sr_catalog_free)

G_END_DECLS
