/* test-catalog.c - the region catalog: lookup, names, aliases, hierarchy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sirena/error.h"
#include "sirena/region.h"
#include "sr-test-util.h"

static void
test_shipped(void)
{
	const SrCatalog *catalog = sr_test_catalog();
	const SrRegion *kyiv = sr_catalog_lookup(catalog, "ua:31");
	const SrRegion *raion = sr_catalog_lookup(catalog, "ua:124");
	/* 1610 ukrainian regions and the israeli country, 30 zones and 1450 areas */
	g_assert_cmpuint(sr_catalog_size(catalog), ==, 1610 + 1 + 30 + 1450);
	g_assert_nonnull(kyiv);
	g_assert_cmpstr(kyiv->name, ==, "м. Київ");
	g_assert_cmpstr(kyiv->name_en, ==, "Kyiv City");
	g_assert_cmpint(kyiv->level, ==, SR_REGION_LEVEL_CITY);
	g_assert_null(kyiv->parent);
	g_assert_cmpint(kyiv->oblast_index, ==, 9);
	g_assert_cmpint(kyiv->shelter_seconds, ==, -1);
	g_assert_true(kyiv->in_ukraine_alarm);
	g_assert_nonnull(raion);
	g_assert_cmpint(raion->level, ==, SR_REGION_LEVEL_RAION);
	g_assert_cmpstr(raion->parent->id, ==, "ua:22");
	g_assert_cmpuint(raion->depth, ==, 1);
	g_assert_null(sr_catalog_lookup(catalog, "ua:0"));
	g_assert_null(sr_catalog_lookup(catalog, "31"));
}

static void
test_ukraine_alarm_ids(void)
{
	const SrCatalog *catalog = sr_test_catalog();
	const SrRegion *crimea = sr_catalog_lookup_ukraine_alarm(catalog, "9999");
	g_assert_nonnull(crimea);
	g_assert_cmpstr(crimea->id, ==, "ua:29");
	/* 29 is not Crimea's number in Ukraine Alarm */
	g_assert_null(sr_catalog_lookup_ukraine_alarm(catalog, "29"));
	g_assert_cmpstr(sr_catalog_lookup_ukraine_alarm(catalog, "74")->id, ==, "ua:74");
	g_assert_null(sr_catalog_lookup_ukraine_alarm(catalog, ""));
	g_assert_null(sr_catalog_lookup_ukraine_alarm(catalog, NULL));
}

static const char *
single(GPtrArray *matches)
{
	g_assert_cmpuint(matches->len, ==, 1);
	return ((const SrRegion *)g_ptr_array_index(matches, 0))->id;
}

static void
test_names(void)
{
	const SrCatalog *catalog = sr_test_catalog();
	g_autoptr(GPtrArray) a = sr_catalog_find_by_name(catalog, "Харківський район");
	g_autoptr(GPtrArray) b = sr_catalog_find_by_name(catalog, "  харківський   РАЙОН ");
	g_autoptr(GPtrArray) c = sr_catalog_find_by_name(catalog, "Kharkivskyi Raion");
	g_autoptr(GPtrArray) d = sr_catalog_find_by_name(catalog, "Куп'янський район");
	g_autoptr(GPtrArray) e = sr_catalog_find_by_name(catalog, "Куп’янський район");
	g_autoptr(GPtrArray) f = sr_catalog_find_by_name(catalog, "Новомосковський район");
	g_autoptr(GPtrArray) g = sr_catalog_find_by_name(catalog, "Київ");
	g_autoptr(GPtrArray) h = sr_catalog_find_by_name(catalog, "Kharkiv Oblast");
	g_autoptr(GPtrArray) none = sr_catalog_find_by_name(catalog, "Атлантида");
	g_assert_cmpstr(single(a), ==, "ua:124");
	g_assert_cmpstr(single(b), ==, "ua:124");
	g_assert_cmpstr(single(c), ==, "ua:124");
	/* either apostrophe finds the raion */
	g_assert_cmpstr(single(d), ==, "ua:123");
	g_assert_cmpstr(single(e), ==, "ua:123");
	/* the name before the renaming is an alias */
	g_assert_cmpstr(single(f), ==, "ua:43");
	g_assert_cmpstr(single(g), ==, "ua:31");
	g_assert_cmpstr(single(h), ==, "ua:22");
	g_assert_cmpuint(none->len, ==, 0);
}

static void
test_fold(void)
{
	g_autofree char *a = sr_name_fold("Кам’янець-Подільський  РАЙОН");
	g_autofree char *b = sr_name_fold("кам'янець-подільський район");
	g_autofree char *c = sr_name_fold("\xff\xfe");
	g_assert_cmpstr(a, ==, b);
	g_assert_null(c);
}

static void
test_search(void)
{
	const SrCatalog *catalog = sr_test_catalog();
	g_autoptr(GPtrArray) id = sr_catalog_search(catalog, "ua:31", TRUE);
	g_autoptr(GPtrArray) bare = sr_catalog_search(catalog, "124", TRUE);
	g_autoptr(GPtrArray) part = sr_catalog_search(catalog, "харків", TRUE);
	g_autoptr(GPtrArray) exact_only = sr_catalog_search(catalog, "харків", FALSE);
	g_assert_cmpstr(single(id), ==, "ua:31");
	g_assert_cmpstr(single(bare), ==, "ua:124");
	/* the oblast, its raion and the city: nothing else has "харків" in a name */
	g_assert_cmpuint(part->len, ==, 3);
	g_assert_cmpstr(((const SrRegion *)g_ptr_array_index(part, 1))->id, ==, "ua:124");
	g_assert_cmpstr(((const SrRegion *)g_ptr_array_index(part, 2))->id, ==, "ua:1293");
	/* shallow first: the oblast before its raions and hromadas */
	g_assert_cmpstr(((const SrRegion *)g_ptr_array_index(part, 0))->id, ==, "ua:22");
	g_assert_cmpuint(exact_only->len, ==, 0);
}

static void
test_resolve(void)
{
	const SrCatalog *catalog = sr_test_catalog();
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error2 = NULL;
	const SrRegion *region = sr_catalog_resolve(catalog, "Вишгородський район", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(region->id, ==, "ua:74");
	region = sr_catalog_resolve(catalog, "Вишгород", &error);
	g_assert_null(region);
	g_assert_error(error, SR_ERROR, SR_ERROR_NOT_FOUND);
	/* no exact match: the message offers near names with their ids */
	g_assert_nonnull(strstr(error->message, "did you mean"));
	g_assert_nonnull(strstr(error->message, "ua:74"));
	/* two hromadas share this name: the message lists both with their parents */
	region = sr_catalog_resolve(catalog, "Ямпільська територіальна громада", &error2);
	g_assert_null(region);
	g_assert_nonnull(strstr(error2->message, "ambiguous"));
	g_assert_nonnull(strstr(error2->message, "hromada in "));
}

static void
test_hierarchy(void)
{
	const SrCatalog *catalog = sr_test_catalog();
	/* a hromada subscription fires on its raion and its oblast */
	const SrRegion *hromada = sr_catalog_lookup(catalog, "ua:351");
	g_assert_nonnull(hromada);
	g_assert_cmpstr(hromada->parent->id, ==, "ua:47");
	g_assert_true(sr_catalog_matches(catalog, "ua:351", "ua:351"));
	g_assert_true(sr_catalog_matches(catalog, "ua:351", "ua:47"));
	g_assert_true(sr_catalog_matches(catalog, "ua:351", "ua:9"));
	/* an oblast subscription fires on anything inside it */
	g_assert_true(sr_catalog_matches(catalog, "ua:9", "ua:351"));
	g_assert_true(sr_catalog_matches(catalog, "ua:22", "ua:124"));
	/* but not on a neighbour */
	g_assert_false(sr_catalog_matches(catalog, "ua:351", "ua:46"));
	g_assert_false(sr_catalog_matches(catalog, "ua:22", "ua:14"));
	g_assert_false(sr_catalog_matches(catalog, "ua:31", "ua:14"));
	/* unknown ids match only themselves */
	g_assert_true(sr_catalog_matches(catalog, "ua:99999", "ua:99999"));
	g_assert_false(sr_catalog_matches(catalog, "ua:22", "ua:99999"));
}

static void
test_israel_shipped(void)
{
	const SrCatalog *catalog = sr_test_catalog();
	GPtrArray *all = sr_catalog_get_all(catalog);
	guint counts[SR_REGION_LEVEL_LAST] = {0};
	const SrRegion *country = sr_catalog_lookup(catalog, "il:all");
	const SrRegion *label = sr_catalog_lookup(catalog, "il:9992");

	for (guint i = 0; i < all->len; i++) {
		const SrRegion *region = g_ptr_array_index(all, i);
		if (!g_str_has_prefix(region->id, "il:"))
			continue;
		counts[region->level]++;
		/* every israeli region hangs off the country, and only areas have a shelter time */
		g_assert_true(sr_region_is_within(region, country));
		if (region->level != SR_REGION_LEVEL_AREA)
			g_assert_cmpint(region->shelter_seconds, ==, -1);
		g_assert_false(region->in_ukraine_alarm);
	}
	g_assert_cmpuint(counts[SR_REGION_LEVEL_COUNTRY], ==, 1);
	g_assert_cmpuint(counts[SR_REGION_LEVEL_ZONE], ==, 30);
	g_assert_cmpuint(counts[SR_REGION_LEVEL_AREA], ==, 1450);
	g_assert_cmpuint(counts[SR_REGION_LEVEL_UNKNOWN], ==, 0);

	g_assert_nonnull(country);
	g_assert_cmpstr(country->name, ==, "ישראל");
	g_assert_cmpstr(country->name_en, ==, "Israel");
	g_assert_cmpint(country->level, ==, SR_REGION_LEVEL_COUNTRY);
	g_assert_null(country->parent);
	g_assert_cmpstr(sr_region_level_to_string(country->level), ==, "country");

	/* "in some areas of the country" is a label for the whole country, not a place in dan */
	g_assert_nonnull(label);
	g_assert_true(label->parent == country);
	g_assert_cmpint(label->level, ==, SR_REGION_LEVEL_AREA);
	g_assert_cmpint(label->shelter_seconds, ==, -1);
}

static void
test_israel_lookup(void)
{
	const SrCatalog *catalog = sr_test_catalog();
	const SrRegion *area = sr_catalog_lookup(catalog, "il:511");
	const SrRegion *avivim = sr_catalog_lookup(catalog, "il:1604");
	g_autoptr(GPtrArray) by_id = sr_catalog_search(catalog, "il:511", TRUE);
	g_autoptr(GPtrArray) bare = sr_catalog_search(catalog, "511", TRUE);
	g_autoptr(GError) error = NULL;

	g_assert_nonnull(area);
	g_assert_cmpstr(area->local_id, ==, "511");
	g_assert_cmpstr(area->name, ==, "אבו גוש");
	g_assert_cmpstr(area->name_en, ==, "Abu Gosh");
	g_assert_cmpint(area->level, ==, SR_REGION_LEVEL_AREA);
	g_assert_cmpint(area->shelter_seconds, ==, 90);
	g_assert_cmpstr(area->parent->id, ==, "il:zone-judea-foothills");
	g_assert_cmpstr(area->parent->name, ==, "שפלת יהודה");
	g_assert_cmpstr(area->parent->name_en, ==, "Judea Foothills");
	g_assert_cmpint(area->parent->level, ==, SR_REGION_LEVEL_ZONE);
	g_assert_cmpstr(area->parent->parent->id, ==, "il:all");
	g_assert_cmpuint(area->depth, ==, 2);
	/* 0 is a real shelter time: run at once */
	g_assert_nonnull(avivim);
	g_assert_cmpint(avivim->shelter_seconds, ==, 0);

	g_assert_cmpstr(single(by_id), ==, "il:511");
	g_assert_true(sr_catalog_resolve(catalog, "il:511", &error) == area);
	g_assert_no_error(error);
	/* a bare number stays a ukrainian id, as the ukrainian apis print them */
	g_assert_cmpstr(single(bare), ==, "ua:511");
}

static void
test_israel_names(void)
{
	const SrCatalog *catalog = sr_test_catalog();
	g_autoptr(GPtrArray) he = sr_catalog_search(catalog, "אבו גוש", FALSE);
	g_autoptr(GPtrArray) en = sr_catalog_search(catalog, "abu gosh", FALSE);
	g_autoptr(GPtrArray) ru = sr_catalog_search(catalog, "Абу Гош", FALSE);
	g_autoptr(GPtrArray) ar = sr_catalog_search(catalog, "آبو غوش", FALSE);
	g_autoptr(GPtrArray) ru_part = sr_catalog_search(catalog, "абу гош", TRUE);
	g_autoptr(GPtrArray) zone = sr_catalog_search(catalog, "Gaza Envelope", FALSE);
	g_autoptr(GPtrArray) all1 = sr_catalog_search(catalog, "כל הארץ", FALSE);
	g_autoptr(GPtrArray) all2 = sr_catalog_search(catalog, "ברחבי הארץ", FALSE);
	g_autoptr(GPtrArray) all3 = sr_catalog_search(catalog, "all of israel", FALSE);
	g_assert_cmpstr(single(he), ==, "il:511");
	g_assert_cmpstr(single(en), ==, "il:511");
	g_assert_cmpstr(single(ru), ==, "il:511");
	g_assert_cmpstr(single(ar), ==, "il:511");
	g_assert_cmpstr(single(ru_part), ==, "il:511");
	g_assert_cmpstr(single(zone), ==, "il:zone-gaza-envelope");
	/* pikud haoref's all-country pseudo-areas are the country */
	g_assert_cmpstr(single(all1), ==, "il:all");
	g_assert_cmpstr(single(all2), ==, "il:all");
	g_assert_cmpstr(single(all3), ==, "il:all");
}

static void
test_israel_apostrophes(void)
{
	const SrCatalog *catalog = sr_test_catalog();
	/* the catalog spells Jatt "ג'ת" with an ascii apostrophe */
	g_autoptr(GPtrArray) ascii = sr_catalog_find_by_name(catalog, "ג'ת");
	g_autoptr(GPtrArray) geresh = sr_catalog_find_by_name(catalog, "ג\u05F3ת");
	g_autoptr(GPtrArray) doubled = sr_catalog_find_by_name(catalog, "ג''ת");
	g_autoptr(GPtrArray) gershayim = sr_catalog_find_by_name(catalog, "בית חג\u05F4י");
	g_autoptr(GError) error = NULL;
	g_autofree char *a = sr_name_fold("ג'לג'וליה");
	g_autofree char *b = sr_name_fold("ג\u05F3לג\u05F3וליה");
	g_autofree char *c = sr_name_fold("ג''לג''וליה");
	g_autofree char *d = sr_name_fold("מצפה זי\u05F4ו");
	g_autofree char *e = sr_name_fold("ג' 'ת");
	const SrRegion *region = NULL;

	g_assert_cmpstr(single(ascii), ==, "il:977");
	g_assert_cmpstr(single(geresh), ==, "il:977");
	g_assert_cmpstr(single(doubled), ==, "il:977");
	g_assert_cmpstr(single(gershayim), ==, "il:247");
	region = sr_catalog_resolve(catalog, "ג''ת", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(region->id, ==, "il:977");
	region = sr_catalog_resolve(catalog, "ג\u05F3ת", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(region->id, ==, "il:977");
	g_assert_cmpstr(a, ==, b);
	g_assert_cmpstr(a, ==, c);
	g_assert_cmpstr(d, ==, "מצפה זי\"ו");
	/* only adjacent apostrophes are one */
	g_assert_cmpstr(e, ==, "ג' 'ת");
}

static void
test_israel_ambiguous(void)
{
	const SrCatalog *catalog = sr_test_catalog();
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) found = sr_catalog_find_by_name(catalog, "Kafr Misr");
	/* two areas share the english name; each is found by its own hebrew one */
	g_autoptr(GPtrArray) he1 = sr_catalog_find_by_name(catalog, "כפר מל'ל");
	g_autoptr(GPtrArray) he2 = sr_catalog_find_by_name(catalog, "כפר מצר");
	const SrRegion *region = sr_catalog_resolve(catalog, "Kafr Misr", &error);

	g_assert_cmpuint(found->len, ==, 2);
	g_assert_null(region);
	g_assert_error(error, SR_ERROR, SR_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "ambiguous"));
	g_assert_nonnull(strstr(error->message, "il:842"));
	g_assert_nonnull(strstr(error->message, "il:1156"));
	g_assert_nonnull(strstr(error->message, "area in שרון"));
	g_assert_nonnull(strstr(error->message, "area in העמקים"));
	g_assert_cmpstr(single(he1), ==, "il:842");
	g_assert_cmpstr(single(he2), ==, "il:1156");
}

static void
test_israel_hierarchy(void)
{
	const SrCatalog *catalog = sr_test_catalog();
	GPtrArray *all = sr_catalog_get_all(catalog);

	/* an area subscription hears its zone and the whole country */
	g_assert_true(sr_catalog_matches(catalog, "il:511", "il:511"));
	g_assert_true(sr_catalog_matches(catalog, "il:511", "il:zone-judea-foothills"));
	g_assert_true(sr_catalog_matches(catalog, "il:511", "il:all"));
	/* a zone subscription hears every area inside it, and only those */
	g_assert_true(sr_catalog_matches(catalog, "il:zone-judea-foothills", "il:511"));
	g_assert_false(sr_catalog_matches(catalog, "il:zone-gaza-envelope", "il:511"));
	g_assert_false(sr_catalog_matches(catalog, "il:511", "il:zone-gaza-envelope"));
	g_assert_false(sr_catalog_matches(catalog, "il:511", "il:977"));
	/* the country-wide label is inside the country, not inside any zone */
	g_assert_true(sr_catalog_matches(catalog, "il:all", "il:9992"));
	g_assert_false(sr_catalog_matches(catalog, "il:zone-dan", "il:9992"));
	/* an all-country alert concerns every israeli subscription, and no ukrainian one */
	for (guint i = 0; i < all->len; i++) {
		const SrRegion *region = g_ptr_array_index(all, i);
		gboolean israeli = g_str_has_prefix(region->id, "il:");
		g_assert_cmpint(sr_catalog_matches(catalog, region->id, "il:all"), ==, israeli);
	}
	g_assert_false(sr_catalog_matches(catalog, "ua:31", "il:all"));
	g_assert_false(sr_catalog_matches(catalog, "il:all", "ua:31"));
	g_assert_false(sr_catalog_matches(catalog, "ua:511", "il:511"));
}

static void
test_new_fields(void)
{
	/* the israeli shape: string ids, "name" rather than name_uk, the new levels, shelter times
	 * and the names in other languages */
	const char *text =
	    "{\"regions\":["
	    "{\"id\":\"all\",\"level\":\"country\",\"parent\":null,\"name\":\"Land\","
	    "\"aliases\":[\"Everywhere\"],\"shelter_seconds\":null},"
	    "{\"id\":\"zone-n\",\"level\":\"zone\",\"parent\":\"all\",\"name\":\"North\"},"
	    "{\"id\":\"7\",\"level\":\"area\",\"parent\":\"zone-n\",\"name\":\"עיר\","
	    "\"name_en\":\"Town\",\"name_ru\":\"Город\",\"name_ar\":\"مدينة\",\"name_he\":"
	    "\"עיירה\","
	    "\"aliases\":[],\"shelter_seconds\":15,\"lat\":32.1,\"lng\":35.2},"
	    "{\"id\":\"8\",\"level\":\"area\",\"parent\":\"zone-n\",\"name\":\"b\","
	    "\"shelter_seconds\":0},"
	    "{\"id\":\"9\",\"level\":\"area\",\"parent\":\"zone-n\",\"name\":\"c\","
	    "\"shelter_seconds\":\"90\"},"
	    "{\"id\":\"10\",\"level\":\"area\",\"parent\":\"zone-n\",\"name\":\"d\","
	    "\"shelter_seconds\":-5},"
	    "{\"id\":\"11\",\"level\":\"hamlet\",\"parent\":\"zone-n\",\"name\":\"e\"}]}";
	g_autoptr(SrCatalog) catalog = sr_catalog_new();
	g_autoptr(GError) error = NULL;
	const SrRegion *town = NULL;
	g_autoptr(GPtrArray) ru = NULL;
	g_autoptr(GPtrArray) ar = NULL;
	g_autoptr(GPtrArray) he = NULL;
	g_autoptr(GPtrArray) everywhere = NULL;

	g_assert_true(sr_catalog_load_data(catalog, text, strlen(text), "xx", &error));
	g_assert_no_error(error);
	g_assert_cmpuint(sr_catalog_size(catalog), ==, 7);
	g_assert_cmpint(sr_catalog_lookup(catalog, "xx:all")->level, ==, SR_REGION_LEVEL_COUNTRY);
	g_assert_cmpint(sr_catalog_lookup(catalog, "xx:all")->shelter_seconds, ==, -1);
	g_assert_cmpint(sr_catalog_lookup(catalog, "xx:zone-n")->level, ==, SR_REGION_LEVEL_ZONE);
	g_assert_cmpint(sr_catalog_lookup(catalog, "xx:zone-n")->shelter_seconds, ==, -1);
	town = sr_catalog_lookup(catalog, "xx:7");
	g_assert_nonnull(town);
	g_assert_cmpint(town->level, ==, SR_REGION_LEVEL_AREA);
	g_assert_cmpstr(town->name, ==, "עיר");
	g_assert_cmpstr(town->parent->id, ==, "xx:zone-n");
	g_assert_cmpuint(town->depth, ==, 2);
	g_assert_cmpint(town->shelter_seconds, ==, 15);
	g_assert_cmpint(sr_catalog_lookup(catalog, "xx:8")->shelter_seconds, ==, 0);
	/* a time that is not a number, or not a time, is unknown rather than made up */
	g_assert_cmpint(sr_catalog_lookup(catalog, "xx:9")->shelter_seconds, ==, -1);
	g_assert_cmpint(sr_catalog_lookup(catalog, "xx:10")->shelter_seconds, ==, -1);
	g_assert_cmpint(sr_catalog_lookup(catalog, "xx:11")->level, ==, SR_REGION_LEVEL_UNKNOWN);
	/* names in the other languages are searchable and shown as aliases */
	ru = sr_catalog_find_by_name(catalog, "город");
	ar = sr_catalog_find_by_name(catalog, "مدينة");
	he = sr_catalog_find_by_name(catalog, "עיירה");
	everywhere = sr_catalog_find_by_name(catalog, "everywhere");
	g_assert_cmpstr(single(ru), ==, "xx:7");
	g_assert_cmpstr(single(ar), ==, "xx:7");
	g_assert_cmpstr(single(he), ==, "xx:7");
	g_assert_cmpstr(single(everywhere), ==, "xx:all");
	g_assert_cmpuint(town->aliases->len, ==, 3);
	g_assert_true(sr_catalog_matches(catalog, "xx:7", "xx:all"));
	g_assert_true(sr_catalog_matches(catalog, "xx:zone-n", "xx:7"));
}

static void
test_level_names(void)
{
	/* the names are what --json and the event json print */
	g_assert_cmpstr(sr_region_level_to_string(SR_REGION_LEVEL_CITY), ==, "city");
	g_assert_cmpstr(sr_region_level_to_string(SR_REGION_LEVEL_COUNTRY), ==, "country");
	g_assert_cmpstr(sr_region_level_to_string(SR_REGION_LEVEL_ZONE), ==, "zone");
	g_assert_cmpstr(sr_region_level_to_string(SR_REGION_LEVEL_AREA), ==, "area");
	g_assert_cmpstr(sr_region_level_to_string(SR_REGION_LEVEL_LAST), ==, "unknown");
}

static void
test_numeric_ids(void)
{
	const char *text = "{\"regions\":[{\"id\":1,\"name_uk\":\"a\"},"
	                   "{\"id\":2,\"parent\":1,\"name_uk\":\"b\"}]}";
	g_autoptr(SrCatalog) catalog = sr_catalog_new();
	g_autoptr(GError) error = NULL;
	g_assert_true(sr_catalog_load_data(catalog, text, strlen(text), "xx", &error));
	g_assert_no_error(error);
	g_assert_cmpstr(sr_catalog_lookup(catalog, "xx:2")->parent->id, ==, "xx:1");
}

static void
test_bad_catalogs(void)
{
	static const char *const bad[] = {
	    "",
	    "[]",
	    "{\"regions\":{}}",
	    "{\"regions\":[{\"id\":\"1\"}]}",
	    "{\"regions\":[{\"id\":\"2\",\"parent\":\"1\",\"name_uk\":\"x\"}]}",
	    "{\"regions\":[{\"id\":\"1\",\"name_uk\":\"x\"},{\"id\":\"1\",\"name_uk\":\"y\"}]}",
	};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(SrCatalog) catalog = sr_catalog_new();
		g_autoptr(GError) error = NULL;
		g_assert_false(sr_catalog_load_data(catalog, bad[i], strlen(bad[i]), "xx", &error));
		g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
	}
}

static GPtrArray *
ids(const char *first, ...)
{
	GPtrArray *array = g_ptr_array_new();
	va_list args;
	va_start(args, first);
	for (const char *id = first; id != NULL; id = va_arg(args, const char *))
		g_ptr_array_add(array, (gpointer)id);
	va_end(args);
	return array;
}

static void
test_shelter_area(void)
{
	const SrCatalog *catalog = sr_test_catalog();
	g_autoptr(GPtrArray) tel_aviv = ids("il:742", NULL);
	g_autoptr(GPtrArray) country = ids("il:all", NULL);
	g_autoptr(GPtrArray) two = ids("il:742", "il:1637", NULL);
	g_autoptr(GPtrArray) kyiv = ids("ua:31", NULL);
	g_autoptr(GPtrArray) none = ids(NULL);
	guint n = 0;

	/* the alert's own area */
	g_assert_cmpstr(sr_catalog_shelter_area(catalog, tel_aviv, NULL, &n)->id, ==, "il:742");
	g_assert_cmpuint(n, ==, 1);
	/* an all-country alert: the user's areas inside it, the shortest time wins */
	g_assert_null(sr_catalog_shelter_area(catalog, country, NULL, &n));
	g_assert_cmpuint(n, ==, 0);
	g_assert_cmpstr(sr_catalog_shelter_area(catalog, country, two, &n)->id, ==, "il:1637");
	g_assert_cmpuint(n, ==, 2);
	/* Ukraine has no such times */
	g_assert_null(sr_catalog_shelter_area(catalog, kyiv, kyiv, &n));
	g_assert_null(sr_catalog_shelter_area(catalog, none, two, NULL));
	g_assert_null(sr_catalog_shelter_area(NULL, tel_aviv, NULL, NULL));
}

static void
test_local_name(void)
{
	const SrRegion *tel_aviv = sr_catalog_lookup(sr_test_catalog(), "il:742");
	const SrRegion *kyiv = sr_catalog_lookup(sr_test_catalog(), "ua:31");
	/* the tests run in C.UTF-8: Latin names for everyone */
	g_assert_false(sr_locale_is("he"));
	g_assert_true(sr_locale_is("C"));
	g_assert_cmpstr(sr_region_local_name(tel_aviv), ==, "Tel Aviv - City Center");
	g_assert_cmpstr(sr_region_local_name(kyiv), ==, "Kyiv City");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/sr/catalog/shipped", test_shipped);
	g_test_add_func("/sr/catalog/ukraine-alarm-ids", test_ukraine_alarm_ids);
	g_test_add_func("/sr/catalog/names", test_names);
	g_test_add_func("/sr/catalog/fold", test_fold);
	g_test_add_func("/sr/catalog/search", test_search);
	g_test_add_func("/sr/catalog/resolve", test_resolve);
	g_test_add_func("/sr/catalog/hierarchy", test_hierarchy);
	g_test_add_func("/sr/catalog/israel/shipped", test_israel_shipped);
	g_test_add_func("/sr/catalog/israel/lookup", test_israel_lookup);
	g_test_add_func("/sr/catalog/israel/names", test_israel_names);
	g_test_add_func("/sr/catalog/israel/apostrophes", test_israel_apostrophes);
	g_test_add_func("/sr/catalog/israel/ambiguous", test_israel_ambiguous);
	g_test_add_func("/sr/catalog/israel/hierarchy", test_israel_hierarchy);
	g_test_add_func("/sr/catalog/new-fields", test_new_fields);
	g_test_add_func("/sr/catalog/level-names", test_level_names);
	g_test_add_func("/sr/catalog/numeric-ids", test_numeric_ids);
	g_test_add_func("/sr/catalog/bad", test_bad_catalogs);
	g_test_add_func("/sr/catalog/shelter-area", test_shelter_area);
	g_test_add_func("/sr/catalog/local-name", test_local_name);
	return g_test_run();
}
