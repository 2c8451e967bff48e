/* test-store.c - the state database: round trips, restarts, broken files, migration, crashes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sirena/error.h"
#include "sirena/store.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3, sqlite3_close_v2)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3_stmt, sqlite3_finalize)

#define T0 1795587160 /* 2026-11-25T06:12:40Z */

/* a path in this test's own state directory (G_TEST_OPTION_ISOLATE_DIRS), whose "sirena"
 * folder does not exist yet */
static char *
db_path(void)
{
	return g_build_filename(g_get_user_state_dir(), "sirena", "sirena.db", NULL);
}

static SrStoreAlert *
alert_new(const char *key, const char *region, const char *kind, const char *sources,
          const char *json, guint32 id, gint64 started_at, gint64 notified_at)
{
	SrStoreAlert *alert = g_new0(SrStoreAlert, 1);
	alert->key = g_strdup(key);
	alert->region = g_strdup(region);
	alert->kind = g_strdup(kind);
	alert->sources = g_strsplit(sources, ",", -1);
	alert->alert_json = g_strdup(json);
	alert->notification_id = id;
	alert->started_at = started_at;
	alert->notified_at = notified_at;
	return alert;
}

static SrStore *
open_ok(const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *warning = NULL;
	SrStore *store = sr_store_open(path, &warning, &error);
	g_assert_no_error(error);
	g_assert_nonnull(store);
	g_assert_null(warning);
	g_assert_cmpuint(sr_store_get_schema_version(store), ==, SR_STORE_SCHEMA_VERSION);
	return store;
}

static void
started_ok(SrStore *store, const SrStoreAlert *alert)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(sr_store_alert_started(store, alert, &error));
	g_assert_no_error(error);
}

static void
ended_ok(SrStore *store, const char *key, gint64 ended_at)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(sr_store_alert_ended(store, key, ended_at, &error));
	g_assert_no_error(error);
}

static GPtrArray *
history(SrStore *store, const char *region, gint64 since)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *entries = sr_store_get_history(store, region, since, &error);
	g_assert_no_error(error);
	g_assert_nonnull(entries);
	return entries;
}

static GPtrArray *
notified(SrStore *store)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *alerts = sr_store_get_notified(store, &error);
	g_assert_no_error(error);
	g_assert_nonnull(alerts);
	return alerts;
}

static SrStoreAlert *
lookup(SrStore *store, const char *key)
{
	g_autoptr(GError) error = NULL;
	SrStoreAlert *alert = sr_store_lookup_notified(store, key, &error);
	g_assert_no_error(error);
	return alert;
}

static void
assert_sources(char **sources, const char *expected)
{
	g_autofree char *joined = NULL;
	g_assert_nonnull(sources);
	joined = g_strjoinv(",", sources);
	g_assert_cmpstr(joined, ==, expected);
}

static void
assert_alert_equal(const SrStoreAlert *a, const SrStoreAlert *b)
{
	g_assert_cmpstr(a->key, ==, b->key);
	g_assert_cmpstr(a->region, ==, b->region);
	g_assert_cmpstr(a->kind, ==, b->kind);
	g_assert_true(
	    g_strv_equal((const char *const *)a->sources, (const char *const *)b->sources));
	g_assert_cmpstr(a->alert_json, ==, b->alert_json);
	g_assert_cmpuint(a->notification_id, ==, b->notification_id);
	g_assert_cmpint(a->started_at, ==, b->started_at);
	g_assert_cmpint(a->notified_at, ==, b->notified_at);
}

/* the one answer of @sql on a raw connection to @path */
static char *
raw_query(const char *path, const char *sql)
{
	g_autoptr(sqlite3) db = NULL;
	g_autoptr(sqlite3_stmt) stmt = NULL;
	g_assert_cmpint(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
	return g_strdup((const char *)sqlite3_column_text(stmt, 0));
}

static void
raw_exec(const char *path, const char *sql)
{
	g_autoptr(sqlite3) db = NULL;
	char *message = NULL;
	g_assert_cmpint(
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), ==,
	    SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK)
		g_error("raw SQL failed: %s", message);
}

/* the databases moved aside in the database's directory (without their -wal, -shm), sorted */
static GPtrArray *
broken_files(const char *path)
{
	g_autofree char *dirname = g_path_get_dirname(path);
	g_autoptr(GDir) dir = g_dir_open(dirname, 0, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *name;
	g_assert_nonnull(dir);
	while ((name = g_dir_read_name(dir)) != NULL) {
		if (g_str_has_prefix(name, "sirena.db.broken-") &&
		    !g_str_has_suffix(name, "-wal") && !g_str_has_suffix(name, "-shm"))
			g_ptr_array_add(names, g_build_filename(dirname, name, NULL));
	}
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	return names;
}

static void
test_default_path(void)
{
	g_autofree char *path = sr_store_default_path();
	g_autofree char *expected =
	    g_build_filename(g_get_user_state_dir(), "sirena", "sirena.db", NULL);
	g_assert_cmpstr(path, ==, expected);
}

static void
test_create_reopen(void)
{
	g_autofree char *path = db_path();
	g_autofree char *dir = g_path_get_dirname(path);
	g_autoptr(SrStoreAlert) alert =
	    alert_new("ua:31:air_raid", "ua:31", "air_raid", "alerts_in_ua,ukraine_alarm",
	              "{\"id\":1}", 7, T0, T0 + 2);
	GStatBuf st;

	{
		g_autoptr(SrStore) store = open_ok(path);
		started_ok(store, alert);
	}
	/* the directory was created for the user alone */
	g_assert_cmpint(g_stat(dir, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0700);
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);

	{
		g_autoptr(SrStore) store = open_ok(path);
		g_autoptr(SrStoreAlert) found = lookup(store, "ua:31:air_raid");
		g_autoptr(GPtrArray) entries = history(store, NULL, 0);
		g_autofree char *mode = NULL;
		g_assert_nonnull(found);
		assert_alert_equal(found, alert);
		g_assert_cmpuint(entries->len, ==, 1);
		mode = raw_query(path, "PRAGMA journal_mode");
		g_assert_cmpstr(mode, ==, "wal");
	}
}

static void
test_started(void)
{
	g_autofree char *path = db_path();
	g_autoptr(SrStore) store = open_ok(path);
	/* quotes, non-ASCII and no region; unknown times */
	g_autoptr(SrStoreAlert) odd =
	    alert_new("sirena:it's \"odd\"; DROP TABLE notified", NULL, "other", "replay",
	              "{\"title\":\"Повітряна тривога\"}", 0, 0, 0);
	g_autoptr(SrStoreAlert) alert =
	    alert_new("ua:31:air_raid", "ua:31", "air_raid", "alerts_in_ua", "{}", 12, T0, T0 + 1);
	g_autoptr(GPtrArray) alerts = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	SrHistoryEntry *entry;

	started_ok(store, alert);
	started_ok(store, odd);

	/* ordered by start, unknown first */
	alerts = notified(store);
	g_assert_cmpuint(alerts->len, ==, 2);
	assert_alert_equal(g_ptr_array_index(alerts, 0), odd);
	assert_alert_equal(g_ptr_array_index(alerts, 1), alert);
	g_assert_null(lookup(store, "ua:32:air_raid"));

	/* open history rows; newest start first, unknown last */
	entries = history(store, NULL, 0);
	g_assert_cmpuint(entries->len, ==, 2);
	entry = g_ptr_array_index(entries, 0);
	g_assert_cmpstr(entry->key, ==, "ua:31:air_raid");
	g_assert_cmpstr(entry->region, ==, "ua:31");
	g_assert_cmpstr(entry->kind, ==, "air_raid");
	assert_sources(entry->sources, "alerts_in_ua");
	g_assert_cmpint(entry->started_at, ==, T0);
	g_assert_cmpint(entry->ended_at, ==, 0);
	entry = g_ptr_array_index(entries, 1);
	g_assert_cmpstr(entry->key, ==, odd->key);
	g_assert_null(entry->region);
	g_assert_cmpint(entry->started_at, ==, 0);
	g_assert_cmpint(entry->ended_at, ==, 0);
}

static void
test_updated(void)
{
	g_autofree char *path = db_path();
	g_autoptr(SrStore) store = open_ok(path);
	g_autoptr(SrStoreAlert) alert = alert_new("ua:31:air_raid", "ua:31", "air_raid",
	                                          "alerts_in_ua", "{\"v\":1}", 12, T0, T0 + 1);
	g_autoptr(SrStoreAlert) update = alert_new("ua:31:air_raid", "ua:31", "air_raid",
	                                           "ukraine_alarm", "{\"v\":2}", 13, T0, T0 + 60);
	g_autoptr(SrStoreAlert) found = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GError) error = NULL;
	SrHistoryEntry *entry;

	started_ok(store, alert);
	g_assert_true(sr_store_alert_updated(store, update, &error));
	g_assert_no_error(error);
	found = lookup(store, "ua:31:air_raid");
	g_assert_nonnull(found);
	assert_alert_equal(found, update);

	/* the history keeps one row, and every source that reported the alert */
	entries = history(store, NULL, 0);
	g_assert_cmpuint(entries->len, ==, 1);
	entry = g_ptr_array_index(entries, 0);
	assert_sources(entry->sources, "alerts_in_ua,ukraine_alarm");
	g_assert_cmpint(entry->ended_at, ==, 0);
	g_clear_pointer(&found, sr_store_alert_free);
	g_clear_pointer(&entries, g_ptr_array_unref);

	/* an update of a key the store does not have (a database started afresh) is recorded, so
	 * that its end can close it */
	g_clear_pointer(&update->key, g_free);
	update->key = g_strdup("ua:14:air_raid");
	g_assert_true(sr_store_alert_updated(store, update, &error));
	g_assert_no_error(error);
	found = lookup(store, "ua:14:air_raid");
	g_assert_nonnull(found);
	assert_alert_equal(found, update);
	entries = history(store, NULL, 0);
	g_assert_cmpuint(entries->len, ==, 2);
}

static void
test_ended(void)
{
	g_autofree char *path = db_path();
	g_autoptr(SrStore) store = open_ok(path);
	g_autoptr(SrStoreAlert) alert =
	    alert_new("ua:31:air_raid", "ua:31", "air_raid", "alerts_in_ua", "{}", 12, T0, T0 + 1);
	g_autoptr(SrStoreAlert) other =
	    alert_new("ua:14:air_raid", "ua:14", "air_raid", "alerts_in_ua", "{}", 13, T0, T0 + 1);
	g_autoptr(GPtrArray) alerts = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	SrHistoryEntry *entry;
	gint64 before = g_get_real_time() / G_USEC_PER_SEC;

	started_ok(store, alert);
	started_ok(store, other);
	ended_ok(store, "ua:31:air_raid", T0 + 600);
	g_assert_null(lookup(store, "ua:31:air_raid"));
	alerts = notified(store);
	g_assert_cmpuint(alerts->len, ==, 1);

	/* nothing to do, and not an error */
	ended_ok(store, "ua:31:air_raid", T0 + 700);
	ended_ok(store, "ua:99:air_raid", T0 + 700);

	/* an end of unknown time still closes the row: an open row means "still going on" */
	ended_ok(store, "ua:14:air_raid", 0);

	entries = history(store, NULL, 0);
	g_assert_cmpuint(entries->len, ==, 2);
	for (guint i = 0; i < entries->len; i++) {
		entry = g_ptr_array_index(entries, i);
		if (g_strcmp0(entry->key, "ua:31:air_raid") == 0)
			g_assert_cmpint(entry->ended_at, ==, T0 + 600);
		else
			g_assert_cmpint(entry->ended_at, >=, before);
	}
	g_clear_pointer(&alerts, g_ptr_array_unref);
	alerts = notified(store);
	g_assert_cmpuint(alerts->len, ==, 0);

	/* the same key starting again is a new row */
	started_ok(store, alert);
	g_clear_pointer(&entries, g_ptr_array_unref);
	entries = history(store, "ua:31", 0);
	g_assert_cmpuint(entries->len, ==, 2);
	entry = g_ptr_array_index(entries, 0);
	g_assert_cmpint(entry->ended_at, ==, 0);
}

static void
test_started_twice(void)
{
	g_autofree char *path = db_path();
	g_autoptr(SrStoreAlert) alert =
	    alert_new("ua:31:air_raid", "ua:31", "air_raid", "alerts_in_ua", "{}", 12, T0, T0 + 1);
	g_autoptr(SrStoreAlert) again = alert_new("ua:31:air_raid", "ua:31", "air_raid",
	                                          "alerts_in_ua", "{\"again\":1}", 20, 0, T0 + 90);

	{
		g_autoptr(SrStore) store = open_ok(path);
		started_ok(store, alert);
		started_ok(store, alert);
	}
	/* a restart that shows it again: still one open row, the known start kept */
	{
		g_autoptr(SrStore) store = open_ok(path);
		g_autoptr(GPtrArray) entries = NULL;
		g_autoptr(SrStoreAlert) found = NULL;
		g_autofree char *open_rows = NULL;
		started_ok(store, again);
		entries = history(store, NULL, 0);
		g_assert_cmpuint(entries->len, ==, 1);
		g_assert_cmpint(((SrHistoryEntry *)g_ptr_array_index(entries, 0))->started_at, ==,
		                T0);
		found = lookup(store, "ua:31:air_raid");
		g_assert_cmpuint(found->notification_id, ==, 20);
		g_assert_cmpstr(found->alert_json, ==, "{\"again\":1}");
		g_assert_cmpint(found->started_at, ==, T0);
		g_assert_cmpint(found->notified_at, ==, T0 + 90);
		open_rows = raw_query(path, "SELECT count(*) FROM history WHERE ended_at IS NULL");
		g_assert_cmpstr(open_rows, ==, "1");
	}
}

static void
test_history_query(void)
{
	g_autofree char *path = db_path();
	g_autoptr(SrStore) store = open_ok(path);
	struct {
		const char *key;
		const char *region;
		gint64 started_at;
		gint64 ended_at; /* 0: still active */
	} rows[] = {
	    {"ua:31:air_raid", "ua:31", T0 - 7200, T0 - 3600}, /* ended before since */
	    {"ua:31:uav", "ua:31", T0 - 1800, T0 - 600},       /* ended after since */
	    {"ua:14:air_raid", "ua:14", T0 - 900, 0},          /* active */
	    {"ua:31:artillery", "ua:31", T0 - 300, 0},         /* active */
	    {"ua:31:air_raid", "ua:31", T0 - 60, T0 - 1000},   /* ended exactly at since */
	};
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(GPtrArray) since = NULL;
	g_autoptr(GPtrArray) kyiv = NULL;
	g_autoptr(GPtrArray) none = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(SrStoreAlert) alert = alert_new(rows[i].key, rows[i].region, "air_raid",
		                                          "a", "{}", i, rows[i].started_at, T0);
		started_ok(store, alert);
		if (rows[i].ended_at != 0)
			ended_ok(store, rows[i].key, rows[i].ended_at);
	}

	all = history(store, NULL, 0);
	g_assert_cmpuint(all->len, ==, 5);
	/* newest start first */
	g_assert_cmpint(((SrHistoryEntry *)g_ptr_array_index(all, 0))->started_at, ==, T0 - 60);
	g_assert_cmpint(((SrHistoryEntry *)g_ptr_array_index(all, 1))->started_at, ==, T0 - 300);
	g_assert_cmpint(((SrHistoryEntry *)g_ptr_array_index(all, 2))->started_at, ==, T0 - 900);
	g_assert_cmpint(((SrHistoryEntry *)g_ptr_array_index(all, 3))->started_at, ==, T0 - 1800);
	g_assert_cmpint(((SrHistoryEntry *)g_ptr_array_index(all, 4))->started_at, ==, T0 - 7200);

	/* active at or after since */
	since = history(store, NULL, T0 - 1000);
	g_assert_cmpuint(since->len, ==, 4);
	for (guint i = 0; i < since->len; i++) {
		SrHistoryEntry *entry = g_ptr_array_index(since, i);
		g_assert_true(entry->ended_at == 0 || entry->ended_at >= T0 - 1000);
	}

	kyiv = history(store, "ua:31", T0 - 1000);
	g_assert_cmpuint(kyiv->len, ==, 3);
	g_assert_cmpstr(((SrHistoryEntry *)g_ptr_array_index(kyiv, 0))->key, ==, "ua:31:air_raid");
	g_assert_cmpstr(((SrHistoryEntry *)g_ptr_array_index(kyiv, 1))->key, ==, "ua:31:artillery");
	g_assert_cmpstr(((SrHistoryEntry *)g_ptr_array_index(kyiv, 2))->key, ==, "ua:31:uav");

	/* exact ids: the caller expands hierarchies */
	none = history(store, "ua:3", 0);
	g_assert_cmpuint(none->len, ==, 0);
}

static void
test_invalid_source(void)
{
	g_autofree char *path = db_path();
	g_autoptr(SrStore) store = open_ok(path);
	g_autoptr(SrStoreAlert) alert =
	    alert_new("ua:31:air_raid", "ua:31", "air_raid", "a", "{}", 1, T0, T0);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) alerts = NULL;

	g_strfreev(alert->sources);
	alert->sources = g_strsplit("a|b,c", "|", -1);
	g_assert_false(sr_store_alert_started(store, alert, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "ua:31:air_raid"));
	alerts = notified(store);
	g_assert_cmpuint(alerts->len, ==, 0);
}

static void
test_two_connections(void)
{
	g_autofree char *path = db_path();
	g_autoptr(SrStore) daemon = open_ok(path);
	g_autoptr(SrStore) cli = open_ok(path);
	g_autoptr(SrStoreAlert) alert =
	    alert_new("ua:31:air_raid", "ua:31", "air_raid", "a", "{}", 1, T0, T0);
	g_autoptr(SrStoreAlert) found = NULL;
	g_autoptr(GPtrArray) alerts = NULL;

	started_ok(daemon, alert);
	found = lookup(cli, "ua:31:air_raid");
	g_assert_nonnull(found);
	ended_ok(cli, "ua:31:air_raid", T0 + 1);
	alerts = notified(daemon);
	g_assert_cmpuint(alerts->len, ==, 0);
}

/* broken files */

/* opens @path, which must be moved aside; returns the store and checks that it works */
static SrStore *
open_broken(const char *path, const char *reason)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *warning = NULL;
	g_autoptr(SrStore) store = sr_store_open(path, &warning, &error);
	g_autoptr(SrStoreAlert) alert =
	    alert_new("ua:31:air_raid", "ua:31", "air_raid", "a", "{}", 1, T0, T0);
	g_autoptr(GPtrArray) alerts = NULL;

	g_assert_no_error(error);
	g_assert_nonnull(store);
	g_assert_nonnull(warning);
	g_test_message("warning: %s", warning);
	g_assert_nonnull(strstr(warning, path));
	g_assert_nonnull(strstr(warning, ".broken-"));
	if (reason != NULL && strstr(warning, reason) == NULL)
		g_error("expected '%s' in: %s", reason, warning);
	g_assert_cmpuint(sr_store_get_schema_version(store), ==, SR_STORE_SCHEMA_VERSION);

	/* a fresh database that works */
	alerts = notified(store);
	g_assert_cmpuint(alerts->len, ==, 0);
	started_ok(store, alert);
	return g_steal_pointer(&store);
}

static void
write_file(const char *path, const char *contents, gssize len)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_path_get_dirname(path);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	g_assert_true(g_file_set_contents(path, contents, len, &error));
	g_assert_no_error(error);
}

static void
test_broken_garbage(void)
{
	g_autofree char *path = db_path();
	g_autofree char *wal = g_strconcat(path, "-wal", NULL);
	g_autofree char *garbage = NULL;
	g_autofree char *moved = NULL;
	g_autofree char *moved_wal = NULL;
	g_autofree char *broken_wal = NULL;
	g_autoptr(GString) str = g_string_new(NULL);
	g_autoptr(GPtrArray) broken = NULL;
	g_autoptr(GError) error = NULL;

	while (str->len < 8192)
		g_string_append(str, "this is not a database, it is a text file\n");
	write_file(path, str->str, str->len);
	write_file(wal, "stale wal", -1);

	{
		g_autoptr(SrStore) store = open_broken(path, "not a database");
	}
	broken = broken_files(path);
	g_assert_cmpuint(broken->len, ==, 1);
	/* the file itself, untouched, and its -wal with it, never replayed into the new one */
	g_assert_true(g_file_get_contents(g_ptr_array_index(broken, 0), &moved, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(moved, ==, str->str);
	broken_wal = g_strconcat(g_ptr_array_index(broken, 0), "-wal", NULL);
	g_assert_true(g_file_get_contents(broken_wal, &moved_wal, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(moved_wal, ==, "stale wal");

	/* the new one opens without a word */
	{
		g_autoptr(SrStore) store = open_ok(path);
		g_autoptr(SrStoreAlert) found = lookup(store, "ua:31:air_raid");
		g_assert_nonnull(found);
	}

	/* broken again within the same second: a second name, the first file kept */
	g_assert_cmpint(g_unlink(path), ==, 0);
	write_file(path, str->str, str->len);
	{
		g_autoptr(SrStore) store = open_broken(path, NULL);
	}
	g_clear_pointer(&broken, g_ptr_array_unref);
	broken = broken_files(path);
	g_assert_cmpuint(broken->len, ==, 2);
}

static void
truncate_file(const char *path, gsize len)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *contents = NULL;
	gsize old_len = 0;
	g_assert_true(g_file_get_contents(path, &contents, &old_len, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(len, <, old_len);
	write_file(path, contents, len);
}

static void
test_broken_truncated(void)
{
	g_autofree char *path = db_path();
	g_autofree char *json = g_strnfill(2000, 'x');
	g_autoptr(GPtrArray) broken = NULL;
	GStatBuf st;

	{
		g_autoptr(SrStore) store = open_ok(path);
		for (guint i = 0; i < 200; i++) {
			g_autofree char *key = g_strdup_printf("ua:%u:air_raid", i);
			g_autoptr(SrStoreAlert) alert =
			    alert_new(key, "ua:31", "air_raid", "a", json, i, T0 + i, T0 + i);
			started_ok(store, alert);
		}
	}
	/* the last connection closed: everything is in the main file */
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_size, >, 200 * 2000);
	truncate_file(path, st.st_size / 2);

	{
		g_autoptr(SrStore) store = open_broken(path, NULL);
	}
	broken = broken_files(path);
	g_assert_cmpuint(broken->len, ==, 1);

	/* cut inside the header */
	truncate_file(path, 60);
	{
		g_autoptr(SrStore) store = open_broken(path, NULL);
	}
	g_clear_pointer(&broken, g_ptr_array_unref);
	broken = broken_files(path);
	g_assert_cmpuint(broken->len, ==, 2);
}

static void
test_broken_newer(void)
{
	g_autofree char *path = db_path();
	g_autofree char *sql = g_strdup_printf("CREATE TABLE notified (key TEXT PRIMARY KEY, x);"
	                                       "CREATE TABLE future (y);"
	                                       "PRAGMA user_version = %d;",
	                                       SR_STORE_SCHEMA_VERSION + 1);
	g_autofree char *reason = g_strdup_printf("schema version %d", SR_STORE_SCHEMA_VERSION + 1);
	g_autoptr(GPtrArray) broken = NULL;
	g_autofree char *version = NULL;

	write_file(path, "", 0);
	raw_exec(path, sql);
	{
		g_autoptr(SrStore) store = open_broken(path, reason);
	}
	broken = broken_files(path);
	g_assert_cmpuint(broken->len, ==, 1);
	/* kept as the newer build wrote it */
	version = raw_query(g_ptr_array_index(broken, 0), "PRAGMA user_version");
	g_assert_cmpint(atoi(version), ==, SR_STORE_SCHEMA_VERSION + 1);
}

static void
test_broken_foreign(void)
{
	g_autofree char *path = db_path();
	g_autoptr(GPtrArray) broken = NULL;

	/* another program's database: never "migrated" into ours */
	write_file(path, "", 0);
	raw_exec(path, "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine');");
	{
		g_autoptr(SrStore) store = open_broken(path, "another program");
	}
	g_assert_cmpint(g_unlink(path), ==, 0);
	raw_exec(path, "PRAGMA application_id = 42; PRAGMA user_version = 1;");
	{
		g_autoptr(SrStore) store = open_broken(path, "another program");
	}
	broken = broken_files(path);
	g_assert_cmpuint(broken->len, ==, 2);
}

static void
test_broken_unreadable(void)
{
	g_autofree char *path = db_path();
	g_autoptr(GPtrArray) broken = NULL;

	if (geteuid() == 0) {
		g_test_skip("root reads any file");
		return;
	}
	{
		g_autoptr(SrStore) store = open_ok(path);
	}
	g_assert_cmpint(g_chmod(path, 0), ==, 0);
	{
		g_autoptr(SrStore) store = open_broken(path, NULL);
	}
	broken = broken_files(path);
	g_assert_cmpuint(broken->len, ==, 1);
}

static void
test_readonly_dir(void)
{
	g_autofree char *path = db_path();
	g_autofree char *dir = g_path_get_dirname(path);
	g_autoptr(GError) error = NULL;
	g_autofree char *warning = NULL;
	g_autoptr(SrStore) store = NULL;
	g_autoptr(SrStoreAlert) found = NULL;

	if (geteuid() == 0) {
		g_test_skip("root writes any directory");
		return;
	}
	{
		g_autoptr(SrStore) good = open_ok(path);
		g_autoptr(SrStoreAlert) alert =
		    alert_new("ua:31:air_raid", "ua:31", "air_raid", "a", "{}", 1, T0, T0);
		started_ok(good, alert);
	}
	/* the fault is the directory's: a good file is failed on, never moved or lost */
	g_assert_cmpint(g_chmod(dir, 0500), ==, 0);
	store = sr_store_open(path, &warning, &error);
	g_assert_cmpint(g_chmod(dir, 0700), ==, 0);
	g_assert_null(store);
	g_assert_null(warning);
	g_assert_error(error, SR_ERROR, SR_ERROR_FAILED);
	g_test_message("error: %s", error->message);
	store = open_ok(path);
	found = lookup(store, "ua:31:air_raid");
	g_assert_nonnull(found);
}

static void
test_not_a_file(void)
{
	g_autofree char *path = db_path();
	g_autoptr(GError) error = NULL;
	g_autofree char *warning = NULL;
	g_autoptr(SrStore) store = NULL;
	g_autoptr(GPtrArray) broken = NULL;

	/* a directory in the way is not the store's to move: the only failure is to fail */
	g_assert_cmpint(g_mkdir_with_parents(path, 0700), ==, 0);
	store = sr_store_open(path, &warning, &error);
	g_assert_null(store);
	g_assert_null(warning);
	g_assert_error(error, SR_ERROR, SR_ERROR_FAILED);
	g_test_message("error: %s", error->message);
	g_assert_nonnull(strstr(error->message, path));
	g_assert_true(g_file_test(path, G_FILE_TEST_IS_DIR));
	broken = broken_files(path);
	g_assert_cmpuint(broken->len, ==, 0);
}

/* migration */

static void
test_migrate_v1(void)
{
	g_autofree char *path = db_path();
	g_autoptr(SrStore) store = NULL;
	g_autoptr(GPtrArray) alerts = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	g_autofree char *mode = NULL;
	SrStoreAlert *alert;
	SrHistoryEntry *entry;

	/* what a build of schema v1 wrote, in its default rollback journal mode */
	write_file(path, "", 0);
	raw_exec(path,
	         "CREATE TABLE notified (key TEXT PRIMARY KEY NOT NULL, region TEXT, kind TEXT, "
	         "sources TEXT, alert_json TEXT, notification_id INTEGER NOT NULL DEFAULT 0, "
	         "started_at INTEGER, notified_at INTEGER);"
	         "CREATE TABLE history (id INTEGER PRIMARY KEY, key TEXT NOT NULL, region TEXT, "
	         "kind TEXT, sources TEXT, started_at INTEGER, ended_at INTEGER);"
	         "CREATE UNIQUE INDEX history_open ON history (key) WHERE ended_at IS NULL;"
	         "CREATE INDEX history_started ON history (started_at);"
	         "CREATE INDEX history_ended ON history (ended_at);"
	         "INSERT INTO notified VALUES ('ua:31:air_raid', 'ua:31', 'air_raid', "
	         "'alerts_in_ua,ukraine_alarm', '{\"key\":\"ua:31:air_raid\"}', 41, 1795587160, "
	         "1795587165);"
	         "INSERT INTO history VALUES (1, 'ua:14:uav', 'ua:14', 'uav', 'alerts_in_ua', "
	         "1795580000, 1795583600);"
	         "INSERT INTO history VALUES (2, 'ua:31:air_raid', 'ua:31', 'air_raid', "
	         "'alerts_in_ua,ukraine_alarm', 1795587160, NULL);"
	         "PRAGMA application_id = 1397902913;"
	         "PRAGMA user_version = 1;");

	store = open_ok(path);
	alerts = notified(store);
	g_assert_cmpuint(alerts->len, ==, 1);
	alert = g_ptr_array_index(alerts, 0);
	g_assert_cmpstr(alert->key, ==, "ua:31:air_raid");
	g_assert_cmpstr(alert->region, ==, "ua:31");
	g_assert_cmpstr(alert->kind, ==, "air_raid");
	assert_sources(alert->sources, "alerts_in_ua,ukraine_alarm");
	g_assert_cmpstr(alert->alert_json, ==, "{\"key\":\"ua:31:air_raid\"}");
	g_assert_cmpuint(alert->notification_id, ==, 41);
	g_assert_cmpint(alert->started_at, ==, T0);
	g_assert_cmpint(alert->notified_at, ==, T0 + 5);

	entries = history(store, NULL, 0);
	g_assert_cmpuint(entries->len, ==, 2);
	entry = g_ptr_array_index(entries, 1);
	g_assert_cmpstr(entry->key, ==, "ua:14:uav");
	g_assert_cmpint(entry->started_at, ==, 1795580000);
	g_assert_cmpint(entry->ended_at, ==, 1795583600);

	/* and it goes on: the restart's end closes the row the old build opened */
	ended_ok(store, "ua:31:air_raid", T0 + 600);
	g_clear_pointer(&entries, g_ptr_array_unref);
	entries = history(store, "ua:31", 0);
	g_assert_cmpuint(entries->len, ==, 1);
	g_assert_cmpint(((SrHistoryEntry *)g_ptr_array_index(entries, 0))->ended_at, ==, T0 + 600);
	mode = raw_query(path, "PRAGMA journal_mode");
	g_assert_cmpstr(mode, ==, "wal");
}

/* crashes */

#define CRASH_ROUNDS     20
#define CRASH_PER_CHILD  1000000
#define CRASH_MAX_WRITES 100000

static SrStoreAlert *
crash_alert(guint n)
{
	g_autofree char *key = g_strdup_printf("crash:%u", n);
	g_autofree char *region = g_strdup_printf("ua:%u", n % 27);
	g_autofree char *json = g_strdup_printf("{\"n\":%u,\"pad\":\"%0200u\"}", n, n);
	return alert_new(key, region, "air_raid", "alerts_in_ua,ukraine_alarm", json, n, T0 + n,
	                 T0 + n + 1);
}

/* the child: writes until it is killed; every third alert ends right after it starts */
static void G_GNUC_NORETURN
crash_child(const char *path, guint base, int ready_fd)
{
	g_autoptr(SrStore) store = sr_store_open(path, NULL, NULL);
	if (store == NULL)
		_exit(2);
	for (guint n = base; n < base + CRASH_MAX_WRITES; n++) {
		g_autoptr(SrStoreAlert) alert = crash_alert(n);
		if (!sr_store_alert_started(store, alert, NULL))
			_exit(4);
		if (n % 3 == 0 && !sr_store_alert_ended(store, alert->key, T0 + n + 100, NULL))
			_exit(5);
		/* from now on a kill lands among writes */
		if (n == base && write(ready_fd, "r", 1) != 1)
			_exit(3);
	}
	_exit(6);
}

/* what the killed children left: whole transactions, in order, without a gap */
static guint
crash_verify(const char *path)
{
	g_autoptr(SrStore) store = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GPtrArray) alerts = NULL;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_autoptr(GHashTable) open = g_hash_table_new(g_direct_hash, g_direct_equal);
	guint open_rows = 0;

	/* killed before it created anything */
	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return 0;
	{
		g_autofree char *check = raw_query(path, "PRAGMA integrity_check");
		g_assert_cmpstr(check, ==, "ok");
	}
	store = open_ok(path);
	entries = history(store, NULL, 0);
	for (guint i = 0; i < entries->len; i++) {
		SrHistoryEntry *entry = g_ptr_array_index(entries, i);
		g_autoptr(SrStoreAlert) expected = NULL;
		g_autoptr(SrStoreAlert) found = NULL;
		guint n;

		g_assert_true(g_str_has_prefix(entry->key, "crash:"));
		n = (guint)g_ascii_strtoull(entry->key + 6, NULL, 10);
		g_assert_false(g_hash_table_contains(seen, GUINT_TO_POINTER(n)));
		g_hash_table_add(seen, GUINT_TO_POINTER(n));
		expected = crash_alert(n);
		g_assert_cmpstr(entry->region, ==, expected->region);
		g_assert_cmpstr(entry->kind, ==, expected->kind);
		g_assert_true(g_strv_equal((const char *const *)entry->sources,
		                           (const char *const *)expected->sources));
		g_assert_cmpint(entry->started_at, ==, expected->started_at);
		found = lookup(store, entry->key);
		if (entry->ended_at != 0) {
			/* closed together with the removal from the notified set */
			g_assert_cmpuint(n % 3, ==, 0);
			g_assert_cmpint(entry->ended_at, ==, T0 + n + 100);
			g_assert_null(found);
		} else {
			/* open together with a complete notified row */
			g_assert_nonnull(found);
			assert_alert_equal(found, expected);
			g_hash_table_add(open, GUINT_TO_POINTER(n));
			open_rows++;
		}
	}
	alerts = notified(store);
	g_assert_cmpuint(alerts->len, ==, open_rows);

	/* each child's alerts are a run from its base: a committed change is never lost behind a
	 * later one, and only the very last alert may be a third one still open (killed between
	 * its start and its end) */
	for (guint round = 0; round < CRASH_ROUNDS; round++) {
		guint base = (round + 1) * CRASH_PER_CHILD;
		guint last = base;
		while (g_hash_table_contains(seen, GUINT_TO_POINTER(last)))
			last++;
		for (guint n = last; n < last + 10; n++)
			g_assert_false(g_hash_table_contains(seen, GUINT_TO_POINTER(n)));
		for (guint n = base; n + 1 < last; n++) {
			if (n % 3 == 0)
				g_assert_false(g_hash_table_contains(open, GUINT_TO_POINTER(n)));
		}
	}
	return g_hash_table_size(seen);
}

static void
test_crash(void)
{
	g_autofree char *path = db_path();
	guint total = 0;

	for (guint round = 0; round < CRASH_ROUNDS; round++) {
		int fds[2];
		pid_t pid;
		int status = 0;
		char ready = 0;
		gboolean early = round % 4 == 0;

		g_assert_cmpint(pipe(fds), ==, 0);
		/* no connection is open in this process while the child runs */
		pid = fork();
		g_assert_cmpint(pid, >=, 0);
		if (pid == 0) {
			close(fds[0]);
			crash_child(path, (round + 1) * CRASH_PER_CHILD, fds[1]);
		}
		close(fds[1]);
		if (early) {
			/* anywhere, the creation of the database included */
			g_usleep(g_test_rand_int_range(0, 3000));
		} else {
			g_assert_cmpint(read(fds[0], &ready, 1), ==, 1);
			g_usleep(g_test_rand_int_range(0, 20000));
		}
		g_assert_cmpint(kill(pid, SIGKILL), ==, 0);
		g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
		close(fds[0]);
		/* killed, not failed on its own */
		g_assert_true(WIFSIGNALED(status));
		g_assert_cmpint(WTERMSIG(status), ==, SIGKILL);

		total = crash_verify(path);
	}
	g_test_message("%u alerts survived %u kills", total, CRASH_ROUNDS);
	g_assert_cmpuint(total, >, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/sr/store/default-path", test_default_path);
	g_test_add_func("/sr/store/create-reopen", test_create_reopen);
	g_test_add_func("/sr/store/started", test_started);
	g_test_add_func("/sr/store/updated", test_updated);
	g_test_add_func("/sr/store/ended", test_ended);
	g_test_add_func("/sr/store/started-twice", test_started_twice);
	g_test_add_func("/sr/store/history", test_history_query);
	g_test_add_func("/sr/store/invalid-source", test_invalid_source);
	g_test_add_func("/sr/store/two-connections", test_two_connections);
	g_test_add_func("/sr/store/broken/garbage", test_broken_garbage);
	g_test_add_func("/sr/store/broken/truncated", test_broken_truncated);
	g_test_add_func("/sr/store/broken/newer", test_broken_newer);
	g_test_add_func("/sr/store/broken/foreign", test_broken_foreign);
	g_test_add_func("/sr/store/broken/unreadable", test_broken_unreadable);
	g_test_add_func("/sr/store/broken/readonly-dir", test_readonly_dir);
	g_test_add_func("/sr/store/broken/not-a-file", test_not_a_file);
	g_test_add_func("/sr/store/migrate/v1", test_migrate_v1);
	g_test_add_func("/sr/store/crash", test_crash);
	return g_test_run();
}
