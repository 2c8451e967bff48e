/* test-durability.c - sirenad killed with SIGKILL at random points of a scripted timeline
 *
 * A timeline of alerts (three regions, each alert lasting several polls) is served by the
 * loopback upstream while sirenad runs on a private bus with the fake notification server. At
 * random moments sirenad is killed with SIGKILL, its store is checked with
 * `PRAGMA integrity_check` while nothing holds it, and it is started again at once. When the
 * timeline is over, what the user saw is checked: every alert's start was notified exactly once
 * and every end got its all-clear exactly once.
 *
 * sirenad notifies first and records second (a crash in between repeats rather than loses), so a
 * start or an all-clear may be shown twice only when the kill fell between the notification and
 * its record: a duplicate is accepted only when a kill came within REPEAT_WINDOW of the first
 * notification, and every such case is counted and printed.
 *
 * SR_DURABILITY_KILLS (default 10) sets how many kills; scripts/reliability runs 100 and more.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sirena/store.h"
#include "sr-test-notifyd.h"
#include "sr-test-server.h"
#include "sr-test-util.h"

#define ALERTS_PATH "/v1/alerts/active.json"
/* how long each state of the timeline is served */
#define STATE_MS 1500
/* the daemon's poll interval (interval= below) */
#define POLL_MS 100
/* a kill this soon after a notification may repeat it (notified, not yet recorded) */
#define REPEAT_WINDOW (250 * G_TIME_SPAN_MILLISECOND)

typedef struct {
	const char *uid;  /* alerts.in.ua location_uid */
	const char *name; /* the English name the notification shows */
} Region;

static const Region regions[] = {
    {"31", "Kyiv City"},
    {"22", "Kharkivska Oblast"},
    {"16", "Luhanska Oblast"},
};

/* which regions are in alert in each state (bit i = regions[i]); every alert lasts at least
 * two states, so a restart (well under one state) never hides one entirely */
static const guint timeline[] = {0x0, 0x1, 0x3, 0x2, 0x6, 0x4, 0x0};

typedef struct {
	GTestDBus *bus;
	SrTestNotifyd *notifyd;
	SrTestServer *server;
	char *dir;
	char *config;
	char *store;
	GSubprocess *daemon;
	GArray *kills;           /* gint64 monotonic times of the kills */
	guint integrity_checks;  /* after each kill */
	gint64 slowest_start_us; /* the longest time to the bus name */
} Fixture;

static void
serve_state(Fixture *fx, guint state, guint round)
{
	GString *body = g_string_new("{\"alerts\":[");
	gboolean first = TRUE;
	for (guint i = 0; i < G_N_ELEMENTS(regions); i++) {
		if ((state & (1u << i)) == 0)
			continue;
		/* the upstream id of an alert: the same for as long as it lasts */
		g_string_append_printf(
		    body,
		    "%s{\"id\":%u,\"location_title\":\"r\",\"location_type\":\"oblast\","
		    "\"started_at\":\"2026-11-25T06:00:00.000Z\",\"finished_at\":null,"
		    "\"updated_at\":\"2026-11-25T06:00:00.000Z\",\"alert_type\":\"air_raid\","
		    "\"location_uid\":\"%s\",\"location_oblast\":\"r\",\"location_oblast_uid\":%s,"
		    "\"notes\":null,\"calculated\":null,\"country\":null}",
		    first ? "" : ",", round * 100 + i + 1, regions[i].uid, regions[i].uid);
		first = FALSE;
	}
	g_string_append(body, "]}");
	sr_test_server_set_reply(fx->server, ALERTS_PATH, 200, NULL, body->str, -1);
	g_string_free(body, TRUE);
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;

	fx->bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(fx->bus);
	fx->notifyd = sr_test_notifyd_new(g_test_dbus_get_bus_address(fx->bus), NULL);
	fx->server = sr_test_server_new();
	fx->dir = g_dir_make_tmp("sirena-durability-XXXXXX", &error);
	g_assert_no_error(error);
	fx->config = g_build_filename(fx->dir, "sirena.conf", NULL);
	fx->store = g_build_filename(fx->dir, "state", "sirena.db", NULL);
	fx->kills = g_array_new(FALSE, FALSE, sizeof(gint64));
	text = g_strdup_printf("[sirena]\n"
	                       "regions=ua:31;ua:22;ua:16\n"
	                       "[source ua]\n"
	                       "type=alerts_in_ua\n"
	                       "token=durability-token\n"
	                       "url=%s\n"
	                       "interval=0.1\n"
	                       "stale_after=2\n",
	                       sr_test_server_get_url(fx->server));
	g_assert_true(g_file_set_contents(fx->config, text, -1, NULL));
	g_assert_cmpint(g_chmod(fx->config, 0600), ==, 0);
	serve_state(fx, 0, 0);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	g_autofree char *cmd = NULL;
	if (fx->daemon != NULL) {
		g_subprocess_send_signal(fx->daemon, SIGTERM);
		g_subprocess_wait(fx->daemon, NULL, NULL);
		g_clear_object(&fx->daemon);
	}
	sr_test_notifyd_free(fx->notifyd);
	sr_test_server_free(fx->server);
	g_test_dbus_down(fx->bus);
	g_object_unref(fx->bus);
	cmd = g_strdup_printf("rm -rf '%s'", fx->dir);
	g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL));
	g_array_unref(fx->kills);
	g_free(fx->config);
	g_free(fx->store);
	g_free(fx->dir);
}

static void
start_daemon(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);
	gint64 started = g_get_monotonic_time();
	const char *argv[] = {g_getenv("SIRENAD"), "--config", fx->config,
	                      "--store",           fx->store,  NULL};
	g_assert_no_error(error);
	fx->daemon = g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_NONE, &error);
	g_assert_no_error(error);
	sr_test_wait_sirenad(bus, 20);
	fx->slowest_start_us = MAX(fx->slowest_start_us, g_get_monotonic_time() - started);
}

/* the store as a fresh process finds it after the kill: intact and in WAL mode */
static void
check_store(Fixture *fx)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	GString *result = g_string_new(NULL);

	if (!g_file_test(fx->store, G_FILE_TEST_EXISTS)) {
		g_string_free(result, TRUE);
		return; /* killed before it created the store: nothing to check */
	}
	g_assert_cmpint(sqlite3_open_v2(fx->store, &db, SQLITE_OPEN_READWRITE, NULL), ==,
	                SQLITE_OK);
	g_assert_cmpint(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
	                SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_string_append_printf(result, "%s;", (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	g_assert_cmpstr(result->str, ==, "ok;");
	g_assert_cmpint(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, NULL), ==,
	                SQLITE_OK);
	g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
	g_assert_cmpstr((const char *)sqlite3_column_text(stmt, 0), ==, "wal");
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	g_string_free(result, TRUE);
	fx->integrity_checks++;
}

static void
kill_and_restart(Fixture *fx)
{
	gint64 now = 0;
	g_subprocess_send_signal(fx->daemon, SIGKILL);
	now = g_get_monotonic_time();
	g_assert_true(g_subprocess_wait(fx->daemon, NULL, NULL));
	g_assert_true(g_subprocess_get_if_signaled(fx->daemon));
	g_clear_object(&fx->daemon);
	g_array_append_val(fx->kills, now);
	check_store(fx);
	start_daemon(fx);
}

static gboolean
killed_within(Fixture *fx, gint64 at)
{
	for (guint i = 0; i < fx->kills->len; i++) {
		gint64 kill = g_array_index(fx->kills, gint64, i);
		if (kill >= at && kill - at <= REPEAT_WINDOW)
			return TRUE;
	}
	return FALSE;
}

typedef struct {
	guint starts;
	guint all_clears;
	guint repeats; /* shown twice, each time right after a kill */
} Seen;

/* what the user saw of @region in calls [from, to): starts (a new notification naming the
 * alert) and all-clears */
static void
count_seen(Fixture *fx, const Region *region, guint from, guint to, Seen *seen)
{
	const SrTestNotifyCall *previous_start = NULL;
	const SrTestNotifyCall *previous_clear = NULL;
	for (guint i = from; i < to; i++) {
		const SrTestNotifyCall *call = sr_test_notifyd_get_call(fx->notifyd, i);
		if (g_strcmp0(call->method, "Notify") != 0 ||
		    strstr(call->summary, region->name) == NULL)
			continue;
		if (g_str_has_prefix(call->summary, "All clear")) {
			if (previous_clear != NULL &&
			    killed_within(fx, previous_clear->received_at))
				seen->repeats++;
			else
				seen->all_clears++;
			previous_clear = call;
		} else if (call->replaces_id == 0) {
			if (previous_start != NULL &&
			    killed_within(fx, previous_start->received_at))
				seen->repeats++;
			else
				seen->starts++;
			previous_start = call;
		}
	}
}

static void
wait_quiet(Fixture *fx, guint quiet_ms)
{
	/* until no call came for @quiet_ms: the daemon has said all it had to say */
	guint n = sr_test_notifyd_get_n_calls(fx->notifyd);
	gint64 last_change = g_get_monotonic_time();
	gint64 deadline = last_change + 30 * G_USEC_PER_SEC;
	while (g_get_monotonic_time() - last_change < (gint64)quiet_ms * 1000) {
		guint now = sr_test_notifyd_get_n_calls(fx->notifyd);
		if (now != n) {
			n = now;
			last_change = g_get_monotonic_time();
		}
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_usleep(20000);
	}
}

static void
test_random_kills(Fixture *fx, gconstpointer data)
{
	guint kills_wanted = sr_test_env_uint("SR_DURABILITY_KILLS", 10, 100000);
	/* at most one kill per two states: a restart must not span an alert's whole life */
	guint kills_per_round = (G_N_ELEMENTS(timeline) - 1) / 2;
	guint rounds = (kills_wanted + kills_per_round - 1) / kills_per_round;
	guint repeats = 0;
	gint64 began = g_get_monotonic_time();
	g_autoptr(SrStore) store = NULL;
	g_autoptr(GPtrArray) notified = NULL;
	g_autoptr(GError) error = NULL;

	start_daemon(fx);
	for (guint round = 0; round < rounds && fx->kills->len < kills_wanted; round++) {
		guint from = sr_test_notifyd_get_n_calls(fx->notifyd);
		for (guint step = 1; step < G_N_ELEMENTS(timeline); step++) {
			serve_state(fx, timeline[step], round);
			/* a kill at a random moment of every other state */
			if (step % 2 == 1 && fx->kills->len < kills_wanted) {
				/* half of them while the change is being notified and recorded (the
				 * daemon sees the new state within a poll or two), half anywhere */
				guint before = (guint)g_test_rand_int_range(
				    0, g_test_rand_bit() ? 3 * POLL_MS : STATE_MS);
				g_usleep((gulong)before * 1000);
				kill_and_restart(fx);
				g_usleep((gulong)(STATE_MS - before) * 1000);
			} else {
				g_usleep(STATE_MS * 1000);
			}
		}
		wait_quiet(fx, 1000);
		for (guint i = 0; i < G_N_ELEMENTS(regions); i++) {
			Seen seen = {0};
			count_seen(fx, &regions[i], from, sr_test_notifyd_get_n_calls(fx->notifyd),
			           &seen);
			if (seen.starts != 1 || seen.all_clears != 1) {
				for (guint c = from; c < sr_test_notifyd_get_n_calls(fx->notifyd);
				     c++) {
					const SrTestNotifyCall *call =
					    sr_test_notifyd_get_call(fx->notifyd, c);
					g_test_message("%" G_GINT64_FORMAT " ms %s %u→%u %s",
					               (call->received_at - began) / 1000,
					               call->method, call->replaces_id, call->id,
					               call->summary != NULL ? call->summary : "");
				}
				for (guint k = 0; k < fx->kills->len; k++)
					g_test_message(
					    "kill at %" G_GINT64_FORMAT " ms",
					    (g_array_index(fx->kills, gint64, k) - began) / 1000);
			}
			g_assert_cmpuint(seen.starts, ==, 1);
			g_assert_cmpuint(seen.all_clears, ==, 1);
			repeats += seen.repeats;
		}
	}

	/* stopped cleanly at the end: nothing is left open in the store */
	g_subprocess_send_signal(fx->daemon, SIGTERM);
	g_assert_true(g_subprocess_wait(fx->daemon, NULL, NULL));
	g_assert_cmpint(g_subprocess_get_exit_status(fx->daemon), ==, 0);
	g_clear_object(&fx->daemon);
	check_store(fx);
	store = sr_store_open(fx->store, NULL, &error);
	g_assert_no_error(error);
	notified = sr_store_get_notified(store, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(notified->len, ==, 0);

	g_test_message("durability: %u kills over %u timelines, %u integrity checks ok, "
	               "%u notifications repeated by a kill between showing and recording, "
	               "slowest restart %" G_GINT64_FORMAT " ms",
	               fx->kills->len, rounds, fx->integrity_checks, repeats,
	               fx->slowest_start_us / 1000);
	g_assert_cmpuint(fx->kills->len, ==, kills_wanted);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/durability/random-kills", Fixture, NULL, fixture_setup, test_random_kills,
	           fixture_teardown);
	return g_test_run();
}
