/* sr-store.c - state that survives restarts: the notified set and the history, in SQLite
 *
 * Modelled on fwupd's fu-history.c: a versioned schema, forward migrations in one switch that
 * falls through, prepared statements with bound parameters, one transaction per change.
 *
 * Schema versions, kept in PRAGMA user_version (0 is a new, empty file):
 *
 *   v1  notified(key TEXT PRIMARY KEY, region, kind, sources, alert_json, notification_id,
 *                started_at, notified_at)
 *       history(id INTEGER PRIMARY KEY, key, region, kind, sources, started_at, ended_at)
 *       history_open: UNIQUE (key) WHERE ended_at IS NULL, so a key has at most one open row
 *       history_started (started_at), history_ended (ended_at)
 *
 * user_version rather than fwupd's schema table: it lives in the database header, is read
 * without any table existing (a new file reads 0), changes in the same transaction as the
 * migration that sets it, and cannot hold zero or two rows. PRAGMA application_id marks the file
 * as Sirena's, so that another program's database at our path is never "migrated".
 *
 * Times are UTC seconds and 0 (unknown) is stored as NULL; an open history row is the one whose
 * ended_at is NULL. Sources are stored joined by ',' (source names cannot hold one). The history
 * row keeps every source that reported the alert during its life; the notified row keeps the
 * sources as last notified.
 *
 * A file this build cannot use (corrupt, not a database, not ours, of a newer schema, a
 * migration that fails) is moved aside with its -wal, -shm and -journal files and a new database
 * is created, so that a bad file costs the history once and never a crash loop. A failure that
 * says nothing about the file (locked by another process, out of memory or disk space, an i/o
 * error) leaves it alone and fails: moving a good database aside would lose its state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-store"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sirena/error.h"
#include "sirena/store.h"
#include "sr-i18n.h"

/* "SRNA" */
#define SR_STORE_APPLICATION_ID 0x53524e41
/* long enough for another process's transaction (sirenad and a CLI command share the file),
 * short enough that a stuck lock is reported rather than hung on */
#define SR_STORE_BUSY_TIMEOUT_MS 5000

G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3_stmt, sqlite3_finalize)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3, sqlite3_close_v2)

struct _SrStore {
	sqlite3 *db;
	char *path;
	guint schema_version;
};

/* statements */

static gboolean
db_set_error(sqlite3 *db, const char *what, GError **error)
{
	g_set_error(error, SR_ERROR, SR_ERROR_FAILED, "%s: %s", what, sqlite3_errmsg(db));
	return FALSE;
}

/* fixed SQL without values only; anything with a value is a prepared statement */
static gboolean
db_exec(sqlite3 *db, const char *sql, const char *what, GError **error)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_set_error(db, what, error);
	return TRUE;
}

static sqlite3_stmt *
db_prepare(sqlite3 *db, const char *sql, GError **error)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		db_set_error(db, _("failed to prepare a statement"), error);
		return NULL;
	}
	return stmt;
}

static gboolean
db_step_done(sqlite3 *db, sqlite3_stmt *stmt, const char *what, GError **error)
{
	if (sqlite3_step(stmt) != SQLITE_DONE)
		return db_set_error(db, what, error);
	return TRUE;
}

/* the integer of a statement that returns one row, such as "PRAGMA user_version" */
static gboolean
db_query_int(sqlite3 *db, const char *sql, gint64 *value, GError **error)
{
	g_autoptr(sqlite3_stmt) stmt = db_prepare(db, sql, error);
	if (stmt == NULL)
		return FALSE;
	if (sqlite3_step(stmt) != SQLITE_ROW)
		return db_set_error(db, _("failed to read the database"), error);
	*value = sqlite3_column_int64(stmt, 0);
	return TRUE;
}

static void
bind_time(sqlite3_stmt *stmt, int idx, gint64 t)
{
	if (t == 0)
		sqlite3_bind_null(stmt, idx);
	else
		sqlite3_bind_int64(stmt, idx, t);
}

static void
bind_text(sqlite3_stmt *stmt, int idx, const char *text)
{
	/* the strings outlive the statement, which is finalized before the call returns */
	sqlite3_bind_text(stmt, idx, text, -1, SQLITE_STATIC);
}

static char *
column_dup(sqlite3_stmt *stmt, int idx)
{
	return g_strdup((const char *)sqlite3_column_text(stmt, idx));
}

static char **
column_sources(sqlite3_stmt *stmt, int idx)
{
	const char *text = (const char *)sqlite3_column_text(stmt, idx);
	if (text == NULL || text[0] == '\0')
		return g_new0(char *, 1);
	return g_strsplit(text, ",", -1);
}

/* transactions */

static gboolean
store_begin(SrStore *store, GError **error)
{
	/* IMMEDIATE takes the write lock now (waiting up to the busy timeout), so that a
	 * transaction that read something never fails later because another writer came first */
	return db_exec(store->db, "BEGIN IMMEDIATE", _("failed to start a transaction"), error);
}

static void
store_rollback(SrStore *store)
{
	/* after some errors SQLite has already rolled back; nothing is left to undo then */
	if (!sqlite3_get_autocommit(store->db))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
store_commit(SrStore *store, GError **error)
{
	if (!db_exec(store->db, "COMMIT", _("failed to commit"), error)) {
		store_rollback(store);
		return FALSE;
	}
	return TRUE;
}

/* schema */

static gboolean
store_create_v1(sqlite3 *db, GError **error)
{
	return db_exec(db,
	               "CREATE TABLE notified ("
	               "key TEXT PRIMARY KEY NOT NULL,"
	               "region TEXT,"
	               "kind TEXT,"
	               "sources TEXT,"
	               "alert_json TEXT,"
	               "notification_id INTEGER NOT NULL DEFAULT 0,"
	               "started_at INTEGER,"
	               "notified_at INTEGER);"
	               "CREATE TABLE history ("
	               "id INTEGER PRIMARY KEY,"
	               "key TEXT NOT NULL,"
	               "region TEXT,"
	               "kind TEXT,"
	               "sources TEXT,"
	               "started_at INTEGER,"
	               "ended_at INTEGER);"
	               "CREATE UNIQUE INDEX history_open ON history (key) WHERE ended_at IS NULL;"
	               "CREATE INDEX history_started ON history (started_at);"
	               "CREATE INDEX history_ended ON history (ended_at);",
	               _("failed to create the schema"), error);
}

/* brings the schema from whatever version the file has to SR_STORE_SCHEMA_VERSION; the caller
 * holds the write lock */
static gboolean
store_create_or_migrate(sqlite3 *db, guint version, GError **error)
{
	g_autofree char *sql = NULL;

	switch (version) {
	case 0:
		if (!store_create_v1(db, error))
			return FALSE;
		G_GNUC_FALLTHROUGH;
	case 1:
		/* a v2 adds its step here: "if (!store_migrate_v2(db, error)) return FALSE;
		 * G_GNUC_FALLTHROUGH; case 2:" and bumps SR_STORE_SCHEMA_VERSION */
		break;
	default:
		g_set_error(error, SR_ERROR, SR_ERROR_FAILED, _("unknown schema version %u"),
		            version);
		return FALSE;
	}
	/* PRAGMA takes no bound parameters; these are the build's own constants */
	sql = g_strdup_printf("PRAGMA application_id = %d; PRAGMA user_version = %d;",
	                      SR_STORE_APPLICATION_ID, SR_STORE_SCHEMA_VERSION);
	return db_exec(db, sql, _("failed to set the schema version"), error);
}

/* opening */

/* whether the failure that just happened says that the file itself is unusable, rather than
 * something about this moment (another process's lock, memory, disk space, i/o) */
static gboolean
db_failure_means_broken(sqlite3 *db, const char *path)
{
	switch (sqlite3_errcode(db) & 0xff) {
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_FORMAT:
	/* a schema this build cannot read or migrate: a table in the way, a failed step */
	case SQLITE_ERROR:
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
		return TRUE;
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
	case SQLITE_READONLY:
	case SQLITE_AUTH:
		/* an unreadable or unwritable file; when the directory is at fault, moving the file
		 * aside fails as well and the file is left alone */
		return g_file_test(path, G_FILE_TEST_IS_REGULAR);
	default:
		return FALSE;
	}
}

/* reads the file without writing to it: integrity, owner and version */
static gboolean
db_check(sqlite3 *db, gint64 *version, gboolean *broken, GError **error)
{
	gint64 app_id = 0;
	gint64 objects = 0;
	g_autoptr(sqlite3_stmt) stmt = NULL;
	int rc;

	/* quick_check is O(size) without the index cross-checks of integrity_check: milliseconds
	 * for a database of this size, and the first read of the header, which is where "not a
	 * database" shows */
	if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &stmt, NULL) != SQLITE_OK)
		return db_set_error(db, _("unreadable"), error);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW)
		return db_set_error(db, _("unreadable"), error);
	if (g_strcmp0((const char *)sqlite3_column_text(stmt, 0), "ok") != 0) {
		g_set_error(error, SR_ERROR, SR_ERROR_FAILED, _("integrity check failed: %s"),
		            (const char *)sqlite3_column_text(stmt, 0));
		*broken = TRUE;
		return FALSE;
	}
	g_clear_pointer(&stmt, sqlite3_finalize);

	if (!db_query_int(db, "PRAGMA application_id", &app_id, error) ||
	    !db_query_int(db, "PRAGMA user_version", version, error) ||
	    !db_query_int(db, "SELECT count(*) FROM sqlite_master", &objects, error))
		return FALSE;
	if ((app_id != 0 && app_id != SR_STORE_APPLICATION_ID) || (*version == 0 && objects > 0)) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_FAILED,
		                    _("another program's database"));
		*broken = TRUE;
		return FALSE;
	}
	if (*version < 0 || *version > SR_STORE_SCHEMA_VERSION) {
		g_set_error(error, SR_ERROR, SR_ERROR_FAILED,
		            _("schema version %lld, newer than this version of Sirena knows (%d)"),
		            (long long)*version, SR_STORE_SCHEMA_VERSION);
		*broken = TRUE;
		return FALSE;
	}
	return TRUE;
}

static gboolean
db_setup(sqlite3 *db, GError **error)
{
	g_autoptr(sqlite3_stmt) stmt = NULL;
	const char *mode;

	/* WAL: readers (a CLI command) never block the writer (sirenad), and a commit is one
	 * append. It is persistent, so this only converts a file the first time */
	stmt = db_prepare(db, "PRAGMA journal_mode = WAL", error);
	if (stmt == NULL)
		return FALSE;
	if (sqlite3_step(stmt) != SQLITE_ROW)
		return db_set_error(db, _("failed to set the journal mode"), error);
	mode = (const char *)sqlite3_column_text(stmt, 0);
	/* a file system without shared memory keeps the rollback journal, which is just as safe */
	if (g_strcmp0(mode, "wal") != 0)
		g_info("the state database stays in journal mode %s", mode);
	g_clear_pointer(&stmt, sqlite3_finalize);

	/* with WAL, NORMAL syncs at checkpoints rather than at every commit. A commit has reached
	 * the kernel before COMMIT returns, so a crash of the process (kill -9, OOM, abort) loses
	 * nothing committed, which is the requirement; a power loss or kernel crash may roll back
	 * the last transactions, never corrupt the file (WAL frames are checksummed). Losing the
	 * last change means at worst one repeated notification after the reboot */
	return db_exec(db,
	               "PRAGMA synchronous = NORMAL;"
	               "PRAGMA foreign_keys = ON;",
	               _("failed to configure the database"), error);
}

static gboolean
db_migrate(sqlite3 *db, guint *schema_version, GError **error)
{
	gint64 version = 0;

	/* cheap path: nothing to do, no write lock taken (a reader may open a busy database) */
	if (!db_query_int(db, "PRAGMA user_version", &version, error))
		return FALSE;
	if (version == SR_STORE_SCHEMA_VERSION) {
		*schema_version = SR_STORE_SCHEMA_VERSION;
		return TRUE;
	}

	if (!db_exec(db, "BEGIN IMMEDIATE", _("failed to start a transaction"), error))
		return FALSE;
	/* read again under the lock: another process may have created or migrated it meanwhile */
	if (!db_query_int(db, "PRAGMA user_version", &version, error) ||
	    (version != SR_STORE_SCHEMA_VERSION &&
	     !store_create_or_migrate(db, (guint)version, error)) ||
	    !db_exec(db, "COMMIT", _("failed to commit the schema"), error)) {
		if (!sqlite3_get_autocommit(db))
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return FALSE;
	}
	if (version != SR_STORE_SCHEMA_VERSION)
		g_debug("schema version %" G_GINT64_FORMAT " brought to %d", version,
		        SR_STORE_SCHEMA_VERSION);
	*schema_version = SR_STORE_SCHEMA_VERSION;
	return TRUE;
}

/* opens, checks, configures and migrates @path; on failure *@broken says whether the file
 * should be moved aside */
static SrStore *
store_try_open(const char *path, gboolean *broken, GError **error)
{
	g_autoptr(sqlite3) db = NULL;
	g_autoptr(SrStore) store = NULL;
	gint64 version = 0;
	guint schema_version = 0;
	gboolean existed;
	int rc;

	*broken = FALSE;
	existed = g_file_test(path, G_FILE_TEST_EXISTS);
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	/* the history says where the user was; SQLite gives the -wal and -shm files the mode of
	 * the database, so this is done before anything is written */
	if (rc == SQLITE_OK && !existed)
		g_chmod(path, 0600);
	if (rc != SQLITE_OK) {
		if (db == NULL) {
			g_set_error(error, SR_ERROR, SR_ERROR_FAILED, _("failed to open: %s"),
			            sqlite3_errstr(rc));
			return NULL;
		}
		*broken = db_failure_means_broken(db, path);
		db_set_error(db, _("failed to open"), error);
		return NULL;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, SR_STORE_BUSY_TIMEOUT_MS);
	/* a file that turns out broken is moved aside as it is: closing must not checkpoint its
	 * WAL into it (nor delete the WAL, which may hold its last changes) */
	sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);

	if (!db_check(db, &version, broken, error) || !db_setup(db, error) ||
	    !db_migrate(db, &schema_version, error)) {
		if (!*broken)
			*broken = db_failure_means_broken(db, path);
		return NULL;
	}
	/* a good one is folded back into one file when the store closes */
	sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);

	store = g_new0(SrStore, 1);
	store->db = g_steal_pointer(&db);
	store->path = g_strdup(path);
	store->schema_version = schema_version;
	return g_steal_pointer(&store);
}

/* "<path>.broken-<unix time>", with "-2", "-3" ... when that exists already */
static char *
broken_path(const char *path)
{
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	char *dest = g_strdup_printf("%s.broken-%" G_GINT64_FORMAT, path, now);
	for (guint i = 2; g_file_test(dest, G_FILE_TEST_EXISTS) && i < 1000; i++) {
		g_free(dest);
		dest = g_strdup_printf("%s.broken-%" G_GINT64_FORMAT "-%u", path, now, i);
	}
	return dest;
}

/* moves the database and its companions aside; a stale -wal left behind would be replayed into
 * the new database */
static gboolean
move_aside(const char *path, const char *dest, GError **error)
{
	const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (guint i = 0; i < G_N_ELEMENTS(suffixes); i++) {
		g_autofree char *from = g_strconcat(path, suffixes[i], NULL);
		g_autofree char *to = g_strconcat(dest, suffixes[i], NULL);
		if (!g_file_test(from, G_FILE_TEST_EXISTS))
			continue;
		if (g_rename(from, to) != 0) {
			int errsv = errno;
			g_set_error(error, SR_ERROR, SR_ERROR_FAILED,
			            _("failed to move '%s' to '%s': %s"), from, to,
			            g_strerror(errsv));
			return FALSE;
		}
	}
	return TRUE;
}

char *
sr_store_default_path(void)
{
	return g_build_filename(g_get_user_state_dir(), "sirena", "sirena.db", NULL);
}

SrStore *
sr_store_open(const char *path, char **warning, GError **error)
{
	g_autofree char *dir = NULL;
	g_autofree char *dest = NULL;
	g_autofree char *sentence = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(SrStore) store = NULL;
	gboolean broken = FALSE;

	g_return_val_if_fail(path != NULL, NULL);

	if (warning != NULL)
		*warning = NULL;

	/* the history says where the user was: the directory is theirs alone */
	dir = g_path_get_dirname(path);
	if (g_mkdir_with_parents(dir, 0700) != 0) {
		int errsv = errno;
		g_set_error(error, SR_ERROR, SR_ERROR_FAILED,
		            _("failed to create the directory of the state database '%s': %s"), dir,
		            g_strerror(errsv));
		return NULL;
	}

	store = store_try_open(path, &broken, &error_local);
	if (store != NULL)
		return g_steal_pointer(&store);
	if (!broken) {
		g_propagate_prefixed_error(error, g_steal_pointer(&error_local),
		                           _("state database '%s': "), path);
		return NULL;
	}

	/* the failed connection is closed by now, so the files can move */
	dest = broken_path(path);
	if (!move_aside(path, dest, error)) {
		g_prefix_error(error, _("state database '%s' is unusable (%s) and "), path,
		               error_local->message);
		return NULL;
	}
	sentence =
	    g_strdup_printf(_("the state database '%s' could not be used (%s), so it was moved "
	                      "to '%s' and a new one started: alerts already notified may be "
	                      "notified again and the earlier history is not shown"),
	                    path, error_local->message, dest);
	g_clear_error(&error_local);

	store = store_try_open(path, &broken, &error_local);
	if (store == NULL) {
		g_propagate_prefixed_error(
		    error, g_steal_pointer(&error_local),
		    _("state database '%s' was moved aside, but a new one could not be opened: "),
		    path);
		return NULL;
	}
	/* the caller shows it to the user; never silent when the caller does not ask */
	if (warning != NULL)
		*warning = g_steal_pointer(&sentence);
	else
		g_warning("%s", sentence);
	return g_steal_pointer(&store);
}

void
sr_store_free(SrStore *store)
{
	if (store == NULL)
		return;
	/* every statement is finalized when its function returns, so this closes for real and a
	 * last checkpoint folds the WAL back into the file */
	sqlite3_close_v2(store->db);
	g_free(store->path);
	g_free(store);
}

guint
sr_store_get_schema_version(SrStore *store)
{
	g_return_val_if_fail(store != NULL, 0);
	return store->schema_version;
}

void
sr_store_alert_free(SrStoreAlert *alert)
{
	if (alert == NULL)
		return;
	g_free(alert->key);
	g_free(alert->region);
	g_free(alert->kind);
	g_strfreev(alert->sources);
	g_free(alert->alert_json);
	g_free(alert);
}

void
sr_history_entry_free(SrHistoryEntry *entry)
{
	if (entry == NULL)
		return;
	g_free(entry->key);
	g_free(entry->region);
	g_free(entry->kind);
	g_strfreev(entry->sources);
	g_free(entry);
}

/* changes */

static gboolean
sources_valid(char **sources, GError **error)
{
	for (guint i = 0; sources != NULL && sources[i] != NULL; i++) {
		if (sources[i][0] == '\0' || strchr(sources[i], ',') != NULL) {
			g_set_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT,
			            _("invalid source name: '%s'"), sources[i]);
			return FALSE;
		}
	}
	return TRUE;
}

static char *
sources_join(char **sources)
{
	if (sources == NULL)
		return g_strdup("");
	return g_strjoinv(",", sources);
}

/* @old (joined) followed by those of @sources it does not have */
static char *
sources_union(const char *old, char **sources)
{
	g_auto(GStrv) names = g_strsplit(old != NULL ? old : "", ",", -1);
	GString *str = g_string_new(old != NULL ? old : "");
	for (guint i = 0; sources != NULL && sources[i] != NULL; i++) {
		if (g_strv_contains((const char *const *)names, sources[i]))
			continue;
		if (str->len > 0)
			g_string_append_c(str, ',');
		g_string_append(str, sources[i]);
	}
	return g_string_free(str, FALSE);
}

static gboolean
store_upsert_notified(SrStore *store, const SrStoreAlert *alert, GError **error)
{
	g_autofree char *sources = sources_join(alert->sources);
	g_autoptr(sqlite3_stmt) stmt = NULL;

	/* a start for a key that is already there (the notification was shown again after a
	 * restart) replaces it; a time that became unknown keeps the known one */
	stmt = db_prepare(store->db,
	                  "INSERT INTO notified (key, region, kind, sources, alert_json, "
	                  "notification_id, started_at, notified_at) "
	                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
	                  "ON CONFLICT (key) DO UPDATE SET "
	                  "region = excluded.region, kind = excluded.kind, "
	                  "sources = excluded.sources, alert_json = excluded.alert_json, "
	                  "notification_id = excluded.notification_id, "
	                  "started_at = coalesce(excluded.started_at, started_at), "
	                  "notified_at = coalesce(excluded.notified_at, notified_at)",
	                  error);
	if (stmt == NULL)
		return FALSE;
	bind_text(stmt, 1, alert->key);
	bind_text(stmt, 2, alert->region);
	bind_text(stmt, 3, alert->kind);
	bind_text(stmt, 4, sources);
	bind_text(stmt, 5, alert->alert_json);
	sqlite3_bind_int64(stmt, 6, alert->notification_id);
	bind_time(stmt, 7, alert->started_at);
	bind_time(stmt, 8, alert->notified_at);
	return db_step_done(store->db, stmt, _("failed to write the notified alert"), error);
}

/* the open history row of the key: created, or given the new start and sources */
static gboolean
store_open_history(SrStore *store, const SrStoreAlert *alert, GError **error)
{
	g_autoptr(sqlite3_stmt) stmt = NULL;
	g_autofree char *sources = NULL;
	gint64 id;

	stmt = db_prepare(store->db,
	                  "SELECT id, sources FROM history WHERE key = ?1 AND ended_at IS NULL",
	                  error);
	if (stmt == NULL)
		return FALSE;
	bind_text(stmt, 1, alert->key);
	switch (sqlite3_step(stmt)) {
	case SQLITE_ROW:
		break;
	case SQLITE_DONE: {
		g_autofree char *joined = sources_join(alert->sources);
		g_clear_pointer(&stmt, sqlite3_finalize);
		stmt = db_prepare(store->db,
		                  "INSERT INTO history (key, region, kind, sources, started_at) "
		                  "VALUES (?1, ?2, ?3, ?4, ?5)",
		                  error);
		if (stmt == NULL)
			return FALSE;
		bind_text(stmt, 1, alert->key);
		bind_text(stmt, 2, alert->region);
		bind_text(stmt, 3, alert->kind);
		bind_text(stmt, 4, joined);
		bind_time(stmt, 5, alert->started_at);
		return db_step_done(store->db, stmt, _("failed to write the history"), error);
	}
	default:
		return db_set_error(store->db, _("failed to read the history"), error);
	}

	/* restart safety: the key already has an open row, which stays the only one */
	id = sqlite3_column_int64(stmt, 0);
	sources = sources_union((const char *)sqlite3_column_text(stmt, 1), alert->sources);
	g_clear_pointer(&stmt, sqlite3_finalize);
	stmt = db_prepare(store->db,
	                  "UPDATE history SET sources = ?2, started_at = coalesce(?3, started_at), "
	                  "region = coalesce(?4, region), kind = coalesce(?5, kind) WHERE id = ?1",
	                  error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, id);
	bind_text(stmt, 2, sources);
	bind_time(stmt, 3, alert->started_at);
	bind_text(stmt, 4, alert->region);
	bind_text(stmt, 5, alert->kind);
	return db_step_done(store->db, stmt, _("failed to write the history"), error);
}

static gboolean
store_record(SrStore *store, const SrStoreAlert *alert, GError **error)
{
	if (!sources_valid(alert->sources, error))
		return FALSE;
	if (!store_begin(store, error))
		return FALSE;
	if (!store_upsert_notified(store, alert, error) ||
	    !store_open_history(store, alert, error)) {
		store_rollback(store);
		return FALSE;
	}
	return store_commit(store, error);
}

gboolean
sr_store_alert_started(SrStore *store, const SrStoreAlert *alert, GError **error)
{
	g_return_val_if_fail(store != NULL, FALSE);
	g_return_val_if_fail(alert != NULL && alert->key != NULL, FALSE);

	if (!store_record(store, alert, error)) {
		g_prefix_error(error, _("failed to record the start of '%s': "), alert->key);
		return FALSE;
	}
	return TRUE;
}

gboolean
sr_store_alert_updated(SrStore *store, const SrStoreAlert *alert, GError **error)
{
	g_return_val_if_fail(store != NULL, FALSE);
	g_return_val_if_fail(alert != NULL && alert->key != NULL, FALSE);

	/* an update of a key the store does not have (a database started afresh) records it as
	 * started, so that its end can still close the notification and the history row */
	if (!store_record(store, alert, error)) {
		g_prefix_error(error, _("failed to record the update of '%s': "), alert->key);
		return FALSE;
	}
	return TRUE;
}

static gboolean
store_end(SrStore *store, const char *key, gint64 ended_at, GError **error)
{
	g_autoptr(sqlite3_stmt) del = NULL;
	g_autoptr(sqlite3_stmt) upd = NULL;

	del = db_prepare(store->db, "DELETE FROM notified WHERE key = ?1", error);
	if (del == NULL)
		return FALSE;
	bind_text(del, 1, key);
	if (!db_step_done(store->db, del, _("failed to remove the notified alert"), error))
		return FALSE;

	upd = db_prepare(store->db,
	                 "UPDATE history SET ended_at = ?2 WHERE key = ?1 AND ended_at IS NULL",
	                 error);
	if (upd == NULL)
		return FALSE;
	bind_text(upd, 1, key);
	sqlite3_bind_int64(upd, 2, ended_at);
	return db_step_done(store->db, upd, _("failed to close the history row"), error);
}

gboolean
sr_store_alert_ended(SrStore *store, const char *key, gint64 ended_at, GError **error)
{
	g_return_val_if_fail(store != NULL, FALSE);
	g_return_val_if_fail(key != NULL, FALSE);

	/* a row without an end is an alert still going on: an end of unknown time is recorded as
	 * now, when the user was told */
	if (ended_at <= 0)
		ended_at = g_get_real_time() / G_USEC_PER_SEC;

	if (!store_begin(store, error)) {
		g_prefix_error(error, _("failed to record the end of '%s': "), key);
		return FALSE;
	}
	if (!store_end(store, key, ended_at, error)) {
		store_rollback(store);
		g_prefix_error(error, _("failed to record the end of '%s': "), key);
		return FALSE;
	}
	if (!store_commit(store, error)) {
		g_prefix_error(error, _("failed to record the end of '%s': "), key);
		return FALSE;
	}
	return TRUE;
}

/* queries */

#define NOTIFIED_COLUMNS                                                                           \
	"key, region, kind, sources, alert_json, notification_id, started_at, notified_at"

static SrStoreAlert *
alert_from_stmt(sqlite3_stmt *stmt)
{
	SrStoreAlert *alert = g_new0(SrStoreAlert, 1);
	alert->key = column_dup(stmt, 0);
	alert->region = column_dup(stmt, 1);
	alert->kind = column_dup(stmt, 2);
	alert->sources = column_sources(stmt, 3);
	alert->alert_json = column_dup(stmt, 4);
	alert->notification_id = (guint32)sqlite3_column_int64(stmt, 5);
	alert->started_at = sqlite3_column_int64(stmt, 6);
	alert->notified_at = sqlite3_column_int64(stmt, 7);
	return alert;
}

GPtrArray *
sr_store_get_notified(SrStore *store, GError **error)
{
	g_autoptr(GPtrArray) alerts = NULL;
	g_autoptr(sqlite3_stmt) stmt = NULL;
	int rc;

	g_return_val_if_fail(store != NULL, NULL);

	/* NULL (unknown) sorts first, as 0 would */
	stmt = db_prepare(
	    store->db, "SELECT " NOTIFIED_COLUMNS " FROM notified ORDER BY started_at, key", error);
	if (stmt == NULL) {
		g_prefix_error(error, _("failed to read the notified alerts: "));
		return NULL;
	}
	alerts = g_ptr_array_new_with_free_func((GDestroyNotify)sr_store_alert_free);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(alerts, alert_from_stmt(stmt));
	if (rc != SQLITE_DONE) {
		db_set_error(store->db, _("failed to read the notified alerts"), error);
		return NULL;
	}
	return g_steal_pointer(&alerts);
}

SrStoreAlert *
sr_store_lookup_notified(SrStore *store, const char *key, GError **error)
{
	g_autoptr(sqlite3_stmt) stmt = NULL;

	g_return_val_if_fail(store != NULL, NULL);
	g_return_val_if_fail(key != NULL, NULL);

	stmt = db_prepare(store->db, "SELECT " NOTIFIED_COLUMNS " FROM notified WHERE key = ?1",
	                  error);
	if (stmt == NULL) {
		g_prefix_error(error, _("failed to look up '%s': "), key);
		return NULL;
	}
	bind_text(stmt, 1, key);
	switch (sqlite3_step(stmt)) {
	case SQLITE_ROW:
		return alert_from_stmt(stmt);
	case SQLITE_DONE:
		return NULL;
	default:
		db_set_error(store->db, _("failed to look up a notified alert"), error);
		return NULL;
	}
}

GPtrArray *
sr_store_get_history(SrStore *store, const char *region, gint64 since, GError **error)
{
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(sqlite3_stmt) stmt = NULL;
	int rc;

	g_return_val_if_fail(store != NULL, NULL);

	/* newest start first, unknown starts last; rows of one start in the order written */
	stmt = db_prepare(store->db,
	                  "SELECT key, region, kind, sources, started_at, ended_at FROM history "
	                  "WHERE (ended_at IS NULL OR ended_at >= ?1) "
	                  "AND (?2 IS NULL OR region = ?2) "
	                  "ORDER BY started_at DESC, id DESC",
	                  error);
	if (stmt == NULL) {
		g_prefix_error(error, _("failed to read the history: "));
		return NULL;
	}
	sqlite3_bind_int64(stmt, 1, since);
	bind_text(stmt, 2, region);
	entries = g_ptr_array_new_with_free_func((GDestroyNotify)sr_history_entry_free);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		SrHistoryEntry *entry = g_new0(SrHistoryEntry, 1);
		entry->key = column_dup(stmt, 0);
		entry->region = column_dup(stmt, 1);
		entry->kind = column_dup(stmt, 2);
		entry->sources = column_sources(stmt, 3);
		entry->started_at = sqlite3_column_int64(stmt, 4);
		entry->ended_at = sqlite3_column_int64(stmt, 5);
		g_ptr_array_add(entries, entry);
	}
	if (rc != SQLITE_DONE) {
		db_set_error(store->db, _("failed to read the history"), error);
		return NULL;
	}
	return g_steal_pointer(&entries);
}
