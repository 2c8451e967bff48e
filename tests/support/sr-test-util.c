/* sr-test-util.c - helpers shared by the tests: fixtures, the catalog, waiting on the loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-test"

#include "config.h"

#include "sr-test-util.h"

char *
sr_test_fixture_path(const char *source, const char *name)
{
	/* G_TEST_SRCDIR is the tests/ directory under meson */
	return g_build_filename(g_test_get_dir(G_TEST_DIST), "fixtures", source, name, NULL);
}

char *
sr_test_read_fixture(const char *source, const char *name, gsize *len)
{
	g_autofree char *path = sr_test_fixture_path(source, name);
	g_autoptr(GError) error = NULL;
	char *contents = NULL;

	if (!g_file_get_contents(path, &contents, len, &error))
		g_test_message("cannot read fixture %s", path);
	g_assert_no_error(error);
	return contents;
}

const SrCatalog *
sr_test_catalog(void)
{
	static const SrCatalog *catalog = NULL;

	if (catalog == NULL) {
		g_autoptr(GError) error = NULL;
		catalog = sr_catalog_get_default(&error);
		g_assert_no_error(error);
		g_assert_nonnull(catalog);
	}
	return catalog;
}

static gboolean
sr_test_wait_timeout_cb(gpointer user_data)
{
	gboolean *timed_out = user_data;
	*timed_out = TRUE;
	return G_SOURCE_REMOVE;
}

void
sr_test_wait_for(const gboolean *flag, guint timeout_ms)
{
	gboolean timed_out = FALSE;
	GSource *timeout = g_timeout_source_new(timeout_ms);

	g_source_set_callback(timeout, sr_test_wait_timeout_cb, &timed_out, NULL);
	g_source_attach(timeout, NULL);
	while (!*flag && !timed_out)
		g_main_context_iteration(NULL, TRUE);
	g_source_destroy(timeout);
	g_source_unref(timeout);
	if (!*flag) {
		g_test_message("timed out after %u ms waiting for the main loop", timeout_ms);
		g_assert_true(*flag);
	}
}
