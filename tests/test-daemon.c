/* test-daemon.c - sirenad end to end: a private bus, a fake notification server, the loopback
 * upstream, and the real binary — started, stopped, killed and started again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "sirena/json.h"
#include "sr-test-notifyd.h"
#include "sr-test-server.h"
#include "sr-test-util.h"

#define UA_PATH        "/api/v3/alerts"
#define UA_STATUS_PATH "/api/v3/alerts/status"

typedef struct {
	GTestDBus *bus;
	SrTestNotifyd *notifyd;
	SrTestServer *server;
	char *dir;
	char *config;
	char *store;
	GSubprocess *daemon;
	guint status_index;
} Fixture;

static void
serve(Fixture *fx, const char *region, const char *level)
{
	g_autofree char *status = g_strdup_printf("{\"lastActionIndex\":%u}", ++fx->status_index);
	g_autofree char *body = NULL;
	if (region == NULL)
		body = g_strdup("[]");
	else
		body = g_strdup_printf(
		    "[{\"regionId\":\"%s\",\"regionType\":\"District\",\"regionName\":\"r\","
		    "\"lastUpdate\":\"2026-11-25T06:00:30Z\",\"activeAlerts\":[{\"regionId\":\"%"
		    "s\","
		    "\"regionType\":\"District\",\"type\":\"AIR\",\"lastUpdate\":"
		    "\"2026-11-25T06:00:30Z\",\"activeAlertLevels\":[{\"alertLevel\":\"%s\","
		    "\"reason\":\"<b>\\u0414\\u0440\\u043e\\u043d\\u0438</b> & co\","
		    "\"createdAt\":\"2026-11-25T06:00:30Z\"}]}]}]",
		    region, region, level);
	sr_test_server_set_reply(fx->server, UA_PATH, 200, NULL, body, -1);
	sr_test_server_set_reply(fx->server, UA_STATUS_PATH, 200, NULL, status, -1);
}

static void
write_config(Fixture *fx, const char *url)
{
	g_autofree char *text = g_strdup_printf("[sirena]\n"
	                                        "regions=Київська область\n"
	                                        "[source ua]\n"
	                                        "type=ukraine_alarm\n"
	                                        "token=daemon-SECRET-91c4\n"
	                                        "url=%s\n"
	                                        "interval=0.1\n"
	                                        "stale_after=1\n",
	                                        url);
	g_assert_true(g_file_set_contents(fx->config, text, -1, NULL));
	g_assert_cmpint(g_chmod(fx->config, 0600), ==, 0);
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	fx->bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(fx->bus);
	fx->notifyd = sr_test_notifyd_new(g_test_dbus_get_bus_address(fx->bus), NULL);
	fx->server = sr_test_server_new();
	fx->dir = g_dir_make_tmp("sirena-daemon-XXXXXX", &error);
	g_assert_no_error(error);
	fx->config = g_build_filename(fx->dir, "sirena.conf", NULL);
	fx->store = g_build_filename(fx->dir, "state", "sirena.db", NULL);
	write_config(fx, sr_test_server_get_url(fx->server));
	serve(fx, NULL, NULL);
}

static void
stop_daemon(Fixture *fx, int signal)
{
	if (fx->daemon == NULL)
		return;
	g_subprocess_send_signal(fx->daemon, signal);
	g_assert_true(g_subprocess_wait(fx->daemon, NULL, NULL));
	if (signal == SIGTERM)
		g_assert_cmpint(g_subprocess_get_exit_status(fx->daemon), ==, 0);
	g_clear_object(&fx->daemon);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	g_autofree char *cmd = NULL;
	stop_daemon(fx, SIGTERM);
	sr_test_notifyd_free(fx->notifyd);
	sr_test_server_free(fx->server);
	g_test_dbus_down(fx->bus);
	g_object_unref(fx->bus);
	cmd = g_strdup_printf("rm -rf '%s'", fx->dir);
	g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL));
	g_free(fx->config);
	g_free(fx->store);
	g_free(fx->dir);
}

static void
start_daemon(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	const char *valgrind = g_getenv("SR_TEST_VALGRIND");
	guint timeout_s = 10;
	/* under memcheck (meson test daemon-valgrind): a definite leak or a memory error makes
	 * sirenad exit with 99 instead of 0, which stop_daemon() asserts */
	if (valgrind != NULL) {
		const char *memcheck[] = {"--leak-check=full",
		                          "--show-leak-kinds=definite",
		                          "--errors-for-leak-kinds=definite",
		                          "--error-exitcode=99",
		                          "--num-callers=30",
		                          "--quiet"};
		g_ptr_array_add(argv, (gpointer)valgrind);
		for (guint i = 0; i < G_N_ELEMENTS(memcheck); i++)
			g_ptr_array_add(argv, (gpointer)memcheck[i]);
		timeout_s += 50;
	}
	g_ptr_array_add(argv, (gpointer)g_getenv("SIRENAD"));
	g_ptr_array_add(argv, "--config");
	g_ptr_array_add(argv, fx->config);
	g_ptr_array_add(argv, "--store");
	g_ptr_array_add(argv, fx->store);
	g_ptr_array_add(argv, NULL);
	fx->daemon =
	    g_subprocess_newv((const char *const *)argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
	g_assert_no_error(error);
	sr_test_wait_sirenad(NULL, timeout_s);
}

/* the calls of the fake server as one line each: what a person would have seen */
static char *
calls(Fixture *fx, guint from)
{
	GString *out = g_string_new(NULL);
	for (guint i = from; i < sr_test_notifyd_get_n_calls(fx->notifyd); i++) {
		const SrTestNotifyCall *call = sr_test_notifyd_get_call(fx->notifyd, i);
		if (g_strcmp0(call->method, "CloseNotification") == 0)
			g_string_append_printf(out, "close %u\n", call->id);
		else
			g_string_append_printf(
			    out, "notify[%d%s] %s%s\n", call->urgency,
			    call->replaces_id != 0 ? " replaces" : "", call->summary,
			    call->replaces_id != 0 && !call->known ? " (unknown id)" : "");
	}
	return g_string_free(out, FALSE);
}

static void
wait_calls(Fixture *fx, guint n)
{
	gint64 deadline = g_get_monotonic_time() + 15 * G_USEC_PER_SEC;
	while (sr_test_notifyd_get_n_calls(fx->notifyd) < n) {
		if (g_get_monotonic_time() > deadline) {
			g_autofree char *seen = calls(fx, 0);
			g_error("expected %u notification calls within 15 s, saw:\n%s", n, seen);
		}
		g_usleep(20000);
	}
}

static void
settle(guint ms)
{
	g_usleep(ms * 1000);
}

static void
test_lifecycle(Fixture *fx, gconstpointer data)
{
	const SrTestNotifyCall *start = NULL;

	start_daemon(fx);
	settle(500);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->notifyd), ==, 0);

	/* a yellow alert in a raion of the subscribed oblast: one critical notification */
	serve(fx, "74", "Yellow");
	wait_calls(fx, 1);
	start = sr_test_notifyd_get_call(fx->notifyd, 0);
	g_assert_cmpint(start->urgency, ==, 2);
	g_assert_true(start->resident);
	g_assert_nonnull(start->sound_name);
	g_assert_nonnull(strstr(start->summary, "Air raid alert"));
	/* upstream text arrives escaped for the body markup */
	g_assert_nonnull(strstr(start->body, "&lt;b&gt;"));
	g_assert_null(strstr(start->body, "<b>"));

	/* it turns red: the same notification is replaced, not a second one */
	serve(fx, "74", "Red");
	wait_calls(fx, 2);
	g_assert_cmpuint(sr_test_notifyd_get_call(fx->notifyd, 1)->replaces_id, ==, start->id);

	/* the source fails: one low-urgency warning, no all-clear */
	sr_test_server_set_reply(fx->server, UA_STATUS_PATH, 503, NULL, "", 0);
	wait_calls(fx, 3);
	settle(1500);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->notifyd), ==, 3);
	g_assert_cmpint(sr_test_notifyd_get_call(fx->notifyd, 2)->urgency, ==, 0);
	g_assert_true(sr_test_notifyd_is_open(fx->notifyd, start->id));

	/* it recovers, still with the alert: one word that it is back, nothing else */
	serve(fx, "74", "Red");
	wait_calls(fx, 4);
	settle(500);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->notifyd), ==, 4);

	/* the end: the alert's notification closes and an all-clear follows */
	serve(fx, NULL, NULL);
	wait_calls(fx, 6);
	settle(500);

	g_assert_cmpstr(sr_test_notifyd_get_call(fx->notifyd, 4)->method, ==, "CloseNotification");
	g_assert_cmpuint(sr_test_notifyd_get_call(fx->notifyd, 4)->id, ==, start->id);
	g_assert_nonnull(strstr(sr_test_notifyd_get_call(fx->notifyd, 5)->summary, "All clear"));
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->notifyd), ==, 6);
}

static void
restart_between_start_and_end(Fixture *fx, int signal)
{
	const SrTestNotifyCall *start = NULL;
	guint32 id = 0;

	start_daemon(fx);
	serve(fx, "74", "Red");
	wait_calls(fx, 1);
	start = sr_test_notifyd_get_call(fx->notifyd, 0);
	id = start->id;
	settle(300);

	/* stopped (or killed) and started again while the alert goes on: no repeat */
	stop_daemon(fx, signal);
	start_daemon(fx);
	settle(1500);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->notifyd), ==, 1);

	/* stopped again; the alert ends while nobody watches; the next start delivers the end */
	stop_daemon(fx, signal);
	serve(fx, NULL, NULL);
	start_daemon(fx);
	wait_calls(fx, 3);
	settle(500);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->notifyd), ==, 3);
	g_assert_cmpstr(sr_test_notifyd_get_call(fx->notifyd, 1)->method, ==, "CloseNotification");
	g_assert_cmpuint(sr_test_notifyd_get_call(fx->notifyd, 1)->id, ==, id);
	g_assert_nonnull(strstr(sr_test_notifyd_get_call(fx->notifyd, 2)->summary, "All clear"));

	/* and once delivered, never again */
	stop_daemon(fx, signal);
	start_daemon(fx);
	settle(1500);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->notifyd), ==, 3);
}

static void
test_restart(Fixture *fx, gconstpointer data)
{
	restart_between_start_and_end(fx, SIGTERM);
}

static void
test_kill9(Fixture *fx, gconstpointer data)
{
	restart_between_start_and_end(fx, SIGKILL);
}

#define OREF_PATH "/warningMessages/alert/Alerts.json"

static void
write_oref_config(Fixture *fx)
{
	g_autofree char *text = g_strdup_printf("[sirena]\n"
	                                        "regions=il:742\n"
	                                        "[source oref]\n"
	                                        "type=oref\n"
	                                        "url=%s\n"
	                                        "interval=0.1\n"
	                                        "stale_after=1\n",
	                                        sr_test_server_get_url(fx->server));
	g_assert_true(g_file_set_contents(fx->config, text, -1, NULL));
}

static void
serve_oref(Fixture *fx, const char *fixture)
{
	g_autofree char *path = sr_test_fixture_path("oref", fixture);
	sr_test_server_set_reply_file(fx->server, OREF_PATH, 200, NULL, path);
}

/* the real-time file is empty between pulses: a sirenad that restarts in an alert must not take
 * that for an all-clear */
static void
restart_in_oref_alert(Fixture *fx, int signal)
{
	g_autofree char *seen = NULL;
	guint32 id = 0;

	write_oref_config(fx);
	serve_oref(fx, "missiles.json");
	start_daemon(fx);
	wait_calls(fx, 1);
	id = sr_test_notifyd_get_call(fx->notifyd, 0)->id;
	g_assert_nonnull(strstr(sr_test_notifyd_get_call(fx->notifyd, 0)->summary,
	                        "Tel Aviv - City Center — enter the protected space within 90 s"));
	serve_oref(fx, "empty-crlf.txt");
	settle(500);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->notifyd), ==, 1);

	stop_daemon(fx, signal);
	start_daemon(fx);
	settle(1500);
	seen = calls(fx, 0);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->notifyd), ==, 1);

	/* the end message ends it, on the notification it had */
	serve_oref(fx, "end.json");
	wait_calls(fx, 3);
	g_assert_cmpstr(sr_test_notifyd_get_call(fx->notifyd, 1)->method, ==, "CloseNotification");
	g_assert_cmpuint(sr_test_notifyd_get_call(fx->notifyd, 1)->id, ==, id);
	g_assert_nonnull(strstr(sr_test_notifyd_get_call(fx->notifyd, 2)->summary, "All clear"));
	g_assert_nonnull(
	    strstr(sr_test_notifyd_get_call(fx->notifyd, 2)->body, "oref reports the end"));
}

static void
test_oref_restart(Fixture *fx, gconstpointer data)
{
	restart_in_oref_alert(fx, SIGTERM);
}

static void
test_oref_kill9(Fixture *fx, gconstpointer data)
{
	restart_in_oref_alert(fx, SIGKILL);
}

#define CAP_PATH "/alert.xml"

/* a CAP publisher's latest message on the loopback server; the user inside its polygon */
static void
write_cap_config(Fixture *fx)
{
	g_autofree char *text = g_strdup_printf("[sirena]\n"
	                                        "location=38.25,-120.30\n"
	                                        "[source c]\n"
	                                        "type=cap\n"
	                                        "url=%s" CAP_PATH "\n"
	                                        "interval=0.1\n"
	                                        "stale_after=1\n",
	                                        sr_test_server_get_url(fx->server));
	g_assert_true(g_file_set_contents(fx->config, text, -1, NULL));
}

static void
serve_cap(Fixture *fx, const char *dir, const char *fixture)
{
	g_autofree char *path = sr_test_fixture_path(dir, fixture);
	sr_test_server_set_reply_file(fx->server, CAP_PATH, 200, NULL, path);
}

/* a CAP warning, its update and its cancel: one notification, replaced, then closed with an
 * all-clear that says it was cancelled */
static void
test_cap_chain(Fixture *fx, gconstpointer data)
{
	const SrTestNotifyCall *start = NULL;
	const SrTestNotifyCall *update = NULL;
	const SrTestNotifyCall *all_clear = NULL;
	guint32 id = 0;

	/* a Test message (a publisher's heartbeat) is on show when the service starts */
	write_cap_config(fx);
	serve_cap(fx, "cap", "status-test.xml");
	start_daemon(fx);
	settle(500);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->notifyd), ==, 0);

	/* severe and immediate: a normal notification, the headline as its title, where and what
	 * to do first */
	serve_cap(fx, "cap-e2e", "alert.xml");
	wait_calls(fx, 1);
	start = sr_test_notifyd_get_call(fx->notifyd, 0);
	id = start->id;
	g_assert_cmpstr(start->method, ==, "Notify");
	g_assert_cmpuint(start->replaces_id, ==, 0);
	g_assert_cmpint(start->urgency, ==, 1);
	g_assert_cmpstr(start->summary, ==, "Severe thunderstorm warning for Pine Valley");
	g_assert_true(g_str_has_prefix(start->body, "Pine Valley"));
	g_assert_nonnull(strstr(start->body, "Move indoors and stay away from windows."));

	/* the update replaces that notification: extreme and immediate is critical */
	serve_cap(fx, "cap-e2e", "update.xml");
	wait_calls(fx, 2);
	update = sr_test_notifyd_get_call(fx->notifyd, 1);
	g_assert_cmpstr(update->method, ==, "Notify");
	g_assert_cmpuint(update->replaces_id, ==, id);
	g_assert_true(update->known);
	g_assert_cmpint(update->urgency, ==, 2);
	g_assert_cmpstr(update->summary, ==,
	                "Destructive thunderstorm over Pine Valley: take shelter now");
	g_assert_nonnull(strstr(update->body, "Go to an interior room on the lowest floor now."));
	settle(500);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->notifyd), ==, 2);

	/* the cancel: the alert's notification closes and an all-clear says why */
	serve_cap(fx, "cap-e2e", "cancel.xml");
	wait_calls(fx, 4);
	g_assert_cmpstr(sr_test_notifyd_get_call(fx->notifyd, 2)->method, ==, "CloseNotification");
	g_assert_cmpuint(sr_test_notifyd_get_call(fx->notifyd, 2)->id, ==, id);
	g_assert_false(sr_test_notifyd_is_open(fx->notifyd, id));
	all_clear = sr_test_notifyd_get_call(fx->notifyd, 3);
	g_assert_cmpstr(all_clear->method, ==, "Notify");
	g_assert_cmpuint(all_clear->replaces_id, ==, 0);
	g_assert_nonnull(strstr(all_clear->summary, "All clear"));
	g_assert_nonnull(strstr(all_clear->body, "c reports it cancelled"));

	/* the cancel stays on show: nothing more */
	settle(1000);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->notifyd), ==, 4);
}

/* stopped while the update is on show and started again: no repeat; the cancel comes while it
 * is stopped: the next start closes the notification it had and says all clear */
static void
test_cap_restart(Fixture *fx, gconstpointer data)
{
	guint32 id = 0;

	write_cap_config(fx);
	serve_cap(fx, "cap", "status-test.xml");
	start_daemon(fx);
	settle(300);
	serve_cap(fx, "cap-e2e", "alert.xml");
	wait_calls(fx, 1);
	id = sr_test_notifyd_get_call(fx->notifyd, 0)->id;
	serve_cap(fx, "cap-e2e", "update.xml");
	wait_calls(fx, 2);
	settle(300);

	/* the update names the first message: after a restart it is the same alert */
	stop_daemon(fx, SIGTERM);
	start_daemon(fx);
	settle(1500);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->notifyd), ==, 2);
	g_assert_true(sr_test_notifyd_is_open(fx->notifyd, id));

	stop_daemon(fx, SIGTERM);
	serve_cap(fx, "cap-e2e", "cancel.xml");
	start_daemon(fx);
	wait_calls(fx, 4);
	settle(500);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->notifyd), ==, 4);
	g_assert_cmpstr(sr_test_notifyd_get_call(fx->notifyd, 2)->method, ==, "CloseNotification");
	g_assert_cmpuint(sr_test_notifyd_get_call(fx->notifyd, 2)->id, ==, id);
	g_assert_nonnull(strstr(sr_test_notifyd_get_call(fx->notifyd, 3)->summary, "All clear"));
}

static GVariant *
call(const char *method, GVariant *args, GError **error)
{
	g_autoptr(GDBusConnection) bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, NULL);
	return g_dbus_connection_call_sync(bus, "org.sirena.Sirena1", "/org/sirena/Sirena1",
	                                   "org.sirena.Sirena1", method, args, NULL,
	                                   G_DBUS_CALL_FLAGS_NONE, 5000, NULL, error);
}

static char *
call_json(const char *method, GVariant *args)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = call(method, args, &error);
	char *json = NULL;
	g_assert_no_error(error);
	g_variant_get(reply, "(s)", &json);
	g_assert_null(strstr(json, "SECRET"));
	return json;
}

static void
test_dbus_api(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autofree char *alerts = NULL;
	g_autofree char *sources = NULL;
	g_autofree char *state = NULL;
	g_autofree char *history = NULL;
	g_autofree char *remote = NULL;

	start_daemon(fx);
	serve(fx, "74", "Red");
	wait_calls(fx, 1);
	alerts = call_json("GetActiveAlerts", NULL);
	g_assert_nonnull(strstr(alerts, "\"id\":\"ua:74:air_raid\""));
	sources = call_json("GetSources", NULL);
	g_assert_nonnull(strstr(sources, "\"state\":\"ok\""));
	history = call_json("GetHistory", g_variant_new("(sx)", "Київська область", (gint64)0));
	g_assert_nonnull(strstr(history, "\"id\":\"ua:74:air_raid\""));

	/* snooze is visible in the state, and the test alert still comes through */
	g_clear_pointer(&reply, g_variant_unref);
	reply = call("Snooze", g_variant_new("(u)", 3600u), &error);
	g_assert_no_error(error);
	state = call_json("GetState", NULL);
	g_assert_null(strstr(state, "\"snoozed_until\":null"));
	g_clear_pointer(&reply, g_variant_unref);
	reply = call("SendTestAlert", NULL, &error);
	g_assert_no_error(error);
	wait_calls(fx, 2);
	g_assert_nonnull(strstr(sr_test_notifyd_get_call(fx->notifyd, 1)->summary, "TEST"));

	/* a broken configuration is refused with a D-Bus error; the service goes on */
	g_assert_true(g_file_set_contents(fx->config, "[source x]\ntype=nope\n", -1, NULL));
	g_clear_pointer(&reply, g_variant_unref);
	reply = call("Reload", NULL, &error);
	g_assert_null(reply);
	remote = g_dbus_error_get_remote_error(error);
	g_assert_cmpstr(remote, ==, "org.sirena.Sirena1.Error.Config");
	g_clear_pointer(&alerts, g_free);
	alerts = call_json("GetActiveAlerts", NULL);
	g_assert_nonnull(strstr(alerts, "\"id\":\"ua:74:air_raid\""));
}

static void
test_watch_clients(Fixture *fx, gconstpointer data)
{
	/* the clients' own config points at another server: if they polled, it would see it */
	g_autoptr(SrTestServer) other = sr_test_server_new();
	g_autofree char *client_config = g_build_filename(fx->dir, "client.conf", NULL);
	g_autofree char *text = g_strdup_printf("[source ua]\ntype=siren_pp_ua\nurl=%s\n",
	                                        sr_test_server_get_url(other));
	const char *argv[] = {g_getenv("SIRENA_CLI"), "watch", "--json", "--config",
	                      client_config,          NULL};
	GSubprocess *clients[2] = {NULL, NULL};
	g_assert_true(g_file_set_contents(client_config, text, -1, NULL));

	start_daemon(fx);
	for (guint i = 0; i < 2; i++) {
		g_autoptr(GError) error = NULL;
		clients[i] = g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
		g_assert_no_error(error);
	}
	settle(1000);
	serve(fx, "74", "Red");
	for (guint i = 0; i < 2; i++) {
		g_autoptr(GDataInputStream) in =
		    g_data_input_stream_new(g_subprocess_get_stdout_pipe(clients[i]));
		g_autofree char *line = g_data_input_stream_read_line_utf8(in, NULL, NULL, NULL);
		g_assert_nonnull(line);
		g_assert_nonnull(strstr(line, "\"change\":\"started\""));
		g_assert_nonnull(strstr(line, "ua:74:air_raid"));
		g_subprocess_send_signal(clients[i], SIGTERM);
		g_assert_true(g_subprocess_wait(clients[i], NULL, NULL));
		g_object_unref(clients[i]);
	}
	g_assert_cmpuint(sr_test_server_get_request_count(other, NULL), ==, 0);
}

/* a human `sirena watch` fed by sirenad says why an alert ended, as the standalone one does */
static void
test_watch_reason(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {g_getenv("SIRENA_CLI"), "watch", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocess) client = NULL;
	g_autoptr(GDataInputStream) in = NULL;
	g_autofree char *started = NULL;
	g_autofree char *ended = NULL;

	start_daemon(fx);
	client = g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
	g_assert_no_error(error);
	in = g_data_input_stream_new(g_subprocess_get_stdout_pipe(client));
	settle(1000);
	serve(fx, "74", "Red");
	started = g_data_input_stream_read_line_utf8(in, NULL, NULL, NULL);
	g_assert_nonnull(started);
	serve(fx, NULL, NULL);
	ended = g_data_input_stream_read_line_utf8(in, NULL, NULL, NULL);
	g_assert_nonnull(ended);
	g_assert_nonnull(strstr(ended, "All clear"));
	g_assert_nonnull(strstr(ended, "ua no longer reports it"));
	g_subprocess_send_signal(client, SIGTERM);
	g_assert_true(g_subprocess_wait(client, NULL, NULL));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/sr/daemon/lifecycle", test_lifecycle);
	ADD("/sr/daemon/restart", test_restart);
	ADD("/sr/daemon/kill9", test_kill9);
	ADD("/sr/daemon/oref-restart", test_oref_restart);
	ADD("/sr/daemon/oref-kill9", test_oref_kill9);
	ADD("/sr/daemon/cap-chain", test_cap_chain);
	ADD("/sr/daemon/cap-restart", test_cap_restart);
	ADD("/sr/daemon/dbus-api", test_dbus_api);
	ADD("/sr/daemon/watch-clients", test_watch_clients);
	ADD("/sr/daemon/watch-reason", test_watch_reason);
#undef ADD
	return g_test_run();
}
