/* sr-outbox.c - the relay's outbox in SQLite
 *
 * A file of its own next to sirena.db (relay-outbox.db), so that the relay never shares a
 * schema or a lock with the store's notified set:
 *
 *   meta(key TEXT PRIMARY KEY, value TEXT)            "epoch": random, made with the file
 *   outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT, topic, payload, created_at)
 *   state(topic TEXT PRIMARY KEY, payload)            "" = clear not yet acknowledged
 *
 * AUTOINCREMENT: a sequence number is never handed out twice, even after the rows before it were
 * acknowledged and deleted, so "<epoch>-<seq>" is a change id no subscriber has seen before.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-relay"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "relay/sr-outbox.h"
#include "sirena/error.h"
#include "sirena/json.h"
#include "sr-i18n.h"

/* "SROB" */
#define SR_OUTBOX_APPLICATION_ID 0x53524f42

G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3_stmt, sqlite3_finalize)

struct _SrOutbox {
	sqlite3 *db;
	char *epoch;
};

void
sr_outbox_row_free(SrOutboxRow *row)
{
	if (row == NULL)
		return;
	g_free(row->topic);
	g_free(row->payload);
	g_free(row);
}

static gboolean
ob_fail(sqlite3 *db, const char *what, GError **error)
{
	g_set_error(error, SR_ERROR, SR_ERROR_FAILED, _("relay outbox: %s: %s"), what,
	            sqlite3_errmsg(db));
	return FALSE;
}

static gboolean
ob_exec(sqlite3 *db, const char *sql, GError **error)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return ob_fail(db, _("a statement failed"), error);
	return TRUE;
}

static sqlite3_stmt *
ob_prepare(sqlite3 *db, const char *sql, GError **error)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		ob_fail(db, _("cannot prepare a statement"), error);
		return NULL;
	}
	return stmt;
}

static gboolean
ob_setup(SrOutbox *outbox, GError **error)
{
	g_autoptr(sqlite3_stmt) stmt = NULL;
	gint64 app_id = 0;

	sqlite3_busy_timeout(outbox->db, 5000);
	stmt = ob_prepare(outbox->db, "PRAGMA application_id", error);
	if (stmt == NULL)
		return FALSE;
	if (sqlite3_step(stmt) != SQLITE_ROW)
		return ob_fail(outbox->db, _("cannot read the file"), error);
	app_id = sqlite3_column_int64(stmt, 0);
	g_clear_pointer(&stmt, sqlite3_finalize);
	if (app_id != 0 && app_id != SR_OUTBOX_APPLICATION_ID) {
		g_set_error(error, SR_ERROR, SR_ERROR_FAILED,
		            _("relay outbox: %s is not a Sirena relay outbox"),
		            sqlite3_db_filename(outbox->db, "main"));
		return FALSE;
	}
	if (!ob_exec(outbox->db, "PRAGMA journal_mode=WAL", error) ||
	    !ob_exec(outbox->db, "PRAGMA synchronous=NORMAL", error) ||
	    !ob_exec(outbox->db, "BEGIN IMMEDIATE", error))
		return FALSE;
	if (!ob_exec(outbox->db,
	             "PRAGMA application_id=1397903170;"
	             "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
	             "CREATE TABLE IF NOT EXISTS outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT, "
	             "topic TEXT NOT NULL, payload TEXT NOT NULL, created_at INTEGER);"
	             "CREATE TABLE IF NOT EXISTS state(topic TEXT PRIMARY KEY, "
	             "payload TEXT NOT NULL);",
	             error)) {
		sqlite3_exec(outbox->db, "ROLLBACK", NULL, NULL, NULL);
		return FALSE;
	}
	stmt = ob_prepare(outbox->db, "SELECT value FROM meta WHERE key='epoch'", error);
	if (stmt == NULL)
		goto fail;
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		outbox->epoch = g_strdup((const char *)sqlite3_column_text(stmt, 0));
	} else {
		g_autoptr(sqlite3_stmt) insert = NULL;
		outbox->epoch = g_strdup_printf("%08x%08x", g_random_int(), g_random_int());
		insert = ob_prepare(outbox->db, "INSERT INTO meta(key, value) VALUES('epoch', ?)",
		                    error);
		if (insert == NULL)
			goto fail;
		sqlite3_bind_text(insert, 1, outbox->epoch, -1, SQLITE_STATIC);
		if (sqlite3_step(insert) != SQLITE_DONE) {
			ob_fail(outbox->db, _("cannot write the file"), error);
			goto fail;
		}
	}
	if (outbox->epoch == NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_FAILED, _("relay outbox: no epoch"));
		goto fail;
	}
	return ob_exec(outbox->db, "COMMIT", error);
fail:
	sqlite3_exec(outbox->db, "ROLLBACK", NULL, NULL, NULL);
	return FALSE;
}

SrOutbox *
sr_outbox_open(const char *path, GError **error)
{
	g_autoptr(SrOutbox) outbox = g_new0(SrOutbox, 1);
	g_autofree char *dir = g_path_get_dirname(path);

	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error, SR_ERROR, SR_ERROR_FAILED, _("relay outbox: cannot create %s"),
		            dir);
		return NULL;
	}
	if (sqlite3_open_v2(path, &outbox->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		ob_fail(outbox->db, _("cannot open the file"), error);
		return NULL;
	}
	if (!ob_setup(outbox, error))
		return NULL;
	return g_steal_pointer(&outbox);
}

void
sr_outbox_free(SrOutbox *outbox)
{
	if (outbox == NULL)
		return;
	if (outbox->db != NULL)
		sqlite3_close_v2(outbox->db);
	g_free(outbox->epoch);
	g_free(outbox);
}

const char *
sr_outbox_get_epoch(SrOutbox *outbox)
{
	return outbox->epoch;
}

gint64
sr_outbox_add_change(SrOutbox *outbox, cJSON *change, const char *topic, const char *state_topic,
                     const char *state_payload, gint64 now, char **change_id, GError **error)
{
	g_autoptr(sqlite3_stmt) insert = NULL;
	g_autoptr(sqlite3_stmt) update = NULL;
	g_autoptr(sqlite3_stmt) state = NULL;
	g_autofree char *id = NULL;
	g_autofree char *payload = NULL;
	gint64 seq = 0;

	if (!ob_exec(outbox->db, "BEGIN IMMEDIATE", error))
		return 0;
	insert = ob_prepare(
	    outbox->db, "INSERT INTO outbox(topic, payload, created_at) VALUES(?, '', ?)", error);
	if (insert == NULL)
		goto fail;
	sqlite3_bind_text(insert, 1, topic, -1, SQLITE_STATIC);
	sqlite3_bind_int64(insert, 2, now);
	if (sqlite3_step(insert) != SQLITE_DONE) {
		ob_fail(outbox->db, _("cannot queue a change"), error);
		goto fail;
	}
	seq = sqlite3_last_insert_rowid(outbox->db);
	id = g_strdup_printf("%s-%" G_GINT64_FORMAT, outbox->epoch, seq);
	cJSON_DeleteItemFromObjectCaseSensitive(change, "change_id");
	cJSON_AddStringToObject(change, "change_id", id);
	payload = sr_json_print(change);
	update = ob_prepare(outbox->db, "UPDATE outbox SET payload=? WHERE seq=?", error);
	if (update == NULL)
		goto fail;
	sqlite3_bind_text(update, 1, payload, -1, SQLITE_STATIC);
	sqlite3_bind_int64(update, 2, seq);
	if (sqlite3_step(update) != SQLITE_DONE) {
		ob_fail(outbox->db, _("cannot queue a change"), error);
		goto fail;
	}
	if (state_topic != NULL) {
		state = ob_prepare(outbox->db,
		                   "INSERT INTO state(topic, payload) VALUES(?, ?) "
		                   "ON CONFLICT(topic) DO UPDATE SET payload=excluded.payload",
		                   error);
		if (state == NULL)
			goto fail;
		sqlite3_bind_text(state, 1, state_topic, -1, SQLITE_STATIC);
		sqlite3_bind_text(state, 2, state_payload != NULL ? state_payload : "", -1,
		                  SQLITE_STATIC);
		if (sqlite3_step(state) != SQLITE_DONE) {
			ob_fail(outbox->db, _("cannot record a state"), error);
			goto fail;
		}
	}
	if (!ob_exec(outbox->db, "COMMIT", error))
		goto fail;
	if (change_id != NULL)
		*change_id = g_steal_pointer(&id);
	return seq;
fail:
	sqlite3_exec(outbox->db, "ROLLBACK", NULL, NULL, NULL);
	return 0;
}

static GPtrArray *
ob_rows(SrOutbox *outbox, sqlite3_stmt *stmt, gboolean with_seq, GError **error)
{
	g_autoptr(GPtrArray) rows =
	    g_ptr_array_new_with_free_func((GDestroyNotify)sr_outbox_row_free);
	int rc = SQLITE_OK;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		SrOutboxRow *row = g_new0(SrOutboxRow, 1);
		int col = 0;
		if (with_seq)
			row->seq = sqlite3_column_int64(stmt, col++);
		row->topic = g_strdup((const char *)sqlite3_column_text(stmt, col++));
		row->payload = g_strdup((const char *)sqlite3_column_text(stmt, col));
		if (row->payload == NULL)
			row->payload = g_strdup("");
		g_ptr_array_add(rows, row);
	}
	if (rc != SQLITE_DONE) {
		ob_fail(outbox->db, _("cannot read the file"), error);
		return NULL;
	}
	return g_steal_pointer(&rows);
}

GPtrArray *
sr_outbox_get_pending(SrOutbox *outbox, gint64 after_seq, guint limit, GError **error)
{
	g_autoptr(sqlite3_stmt) stmt = ob_prepare(
	    outbox->db, "SELECT seq, topic, payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
	    error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, after_seq);
	sqlite3_bind_int64(stmt, 2, limit);
	return ob_rows(outbox, stmt, TRUE, error);
}

guint
sr_outbox_count_pending(SrOutbox *outbox)
{
	g_autoptr(sqlite3_stmt) stmt = ob_prepare(outbox->db, "SELECT COUNT(*) FROM outbox", NULL);
	if (stmt == NULL || sqlite3_step(stmt) != SQLITE_ROW)
		return 0;
	return (guint)sqlite3_column_int64(stmt, 0);
}

gboolean
sr_outbox_ack(SrOutbox *outbox, gint64 seq, GError **error)
{
	g_autoptr(sqlite3_stmt) stmt =
	    ob_prepare(outbox->db, "DELETE FROM outbox WHERE seq=?", error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, seq);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		return ob_fail(outbox->db, _("cannot remove an acknowledged change"), error);
	return TRUE;
}

GPtrArray *
sr_outbox_get_states(SrOutbox *outbox, GError **error)
{
	g_autoptr(sqlite3_stmt) stmt =
	    ob_prepare(outbox->db, "SELECT topic, payload FROM state ORDER BY topic", error);
	if (stmt == NULL)
		return NULL;
	return ob_rows(outbox, stmt, FALSE, error);
}

gboolean
sr_outbox_state_cleared(SrOutbox *outbox, const char *topic, GError **error)
{
	g_autoptr(sqlite3_stmt) stmt =
	    ob_prepare(outbox->db, "DELETE FROM state WHERE topic=? AND payload=''", error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, topic, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		return ob_fail(outbox->db, _("cannot forget a cleared state"), error);
	return TRUE;
}
