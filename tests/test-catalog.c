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
	g_assert_cmpuint(sr_catalog_size(catalog), ==, 1610);
	g_assert_nonnull(kyiv);
	g_assert_cmpstr(kyiv->name, ==, "м. Київ");
	g_assert_cmpstr(kyiv->name_en, ==, "Kyiv City");
	g_assert_cmpint(kyiv->level, ==, SR_REGION_LEVEL_CITY);
	g_assert_null(kyiv->parent);
	g_assert_cmpint(kyiv->oblast_index, ==, 9);
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
	g_test_add_func("/sr/catalog/numeric-ids", test_numeric_ids);
	g_test_add_func("/sr/catalog/bad", test_bad_catalogs);
	return g_test_run();
}
