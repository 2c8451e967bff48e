/* test-sources-stats.c - `sirena sources` with and without sirenad: the configured interval
 * always, and what sirenad measured (interval, round trip, the stream's state) when it runs
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

#define AIU_PATH "/v1/alerts/active.json"
#define SNAPSHOT "/api/states"
#define LIVE     "/api/states/live"

typedef struct {
	GTestDBus *bus;
	SrTestNotifyd *notifyd;
	SrTestServer *server;
	char *dir;
	char *config;
	GSubprocess *daemon;
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;
	fx->server = sr_test_server_new();
	fx->dir = g_dir_make_tmp("sirena-sources-XXXXXX", &error);
	g_assert_no_error(error);
	fx->config = g_build_filename(fx->dir, "sirena.conf", NULL);
	text =
	    g_strdup_printf("[sirena]\nregions=ua:3\n"
	                    "[source aiu]\ntype=alerts_in_ua\ntoken=aiu-SECRET-1\nurl=%s\n"
	                    "interval=0.2\n"
	                    "[source acu]\ntype=alerts_com_ua\ntoken=acu-SECRET-2\nurl=%s\n"
	                    "interval=0.3\n",
	                    sr_test_server_get_url(fx->server), sr_test_server_get_url(fx->server));
	g_assert_true(g_file_set_contents(fx->config, text, -1, NULL));
	g_assert_cmpint(g_chmod(fx->config, 0600), ==, 0);
	sr_test_server_set_reply(fx->server, AIU_PATH, 200, NULL, "{\"alerts\":[]}", -1);
	sr_test_server_set_reply(fx->server, SNAPSHOT, 200, NULL,
	                         "{\"states\":[{\"id\":21,\"alert\":false}]}", -1);
	sr_test_server_set_stream(fx->server, LIVE, NULL);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", fx->dir);
	if (fx->daemon != NULL) {
		g_subprocess_send_signal(fx->daemon, SIGTERM);
		g_assert_true(g_subprocess_wait(fx->daemon, NULL, NULL));
		/* a clean exit: under a sanitizer a leak or a memory error would make it fail */
		g_assert_true(g_subprocess_get_if_exited(fx->daemon));
		g_assert_cmpint(g_subprocess_get_exit_status(fx->daemon), ==, 0);
		g_clear_object(&fx->daemon);
	}
	g_clear_pointer(&fx->notifyd, sr_test_notifyd_free);
	sr_test_server_free(fx->server);
	if (fx->bus != NULL) {
		g_test_dbus_down(fx->bus);
		g_clear_object(&fx->bus);
	}
	g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL));
	g_free(fx->config);
	g_free(fx->dir);
}

static void
start_daemon(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) bus = NULL;
	g_autofree char *store = g_build_filename(fx->dir, "sirena.db", NULL);
	const char *argv[] = {g_getenv("SIRENAD"), "--config", fx->config, "--store", store, NULL};
	fx->bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(fx->bus);
	fx->notifyd = sr_test_notifyd_new(g_test_dbus_get_bus_address(fx->bus), NULL);
	bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);
	g_assert_no_error(error);
	fx->daemon = g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_NONE, &error);
	g_assert_no_error(error);
	sr_test_wait_sirenad(bus, 20);
}

/* `sirena sources` (plus @extra) run to completion: its stdout */
static char *
run_sources(Fixture *fx, const char *extra)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocess) cli = NULL;
	char *out = NULL;
	g_autofree char *err = NULL;
	cli = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
	                       &error, g_getenv("SIRENA_CLI"), "sources", "--config", fx->config,
	                       extra, NULL);
	g_assert_no_error(error);
	g_assert_true(g_subprocess_communicate_utf8(cli, NULL, NULL, &out, &err, &error));
	g_assert_no_error(error);
	g_assert_cmpint(g_subprocess_get_exit_status(cli), ==, 0);
	/* the keys are secrets, wherever the figures come from */
	g_assert_null(strstr(out, "SECRET"));
	g_assert_null(strstr(err, "SECRET"));
	return out;
}

static const cJSON *
configured(const cJSON *root, const char *name)
{
	const cJSON *item = NULL;
	cJSON_ArrayForEach (item, cJSON_GetObjectItem(root, "configured")) {
		if (g_strcmp0(sr_json_get_string(item, "name"), name) == 0)
			return item;
	}
	g_error("source %s not listed", name);
	return NULL;
}

static gdouble
number(const cJSON *object, const char *name)
{
	const cJSON *item = cJSON_GetObjectItem(object, name);
	g_assert_true(cJSON_IsNumber(item));
	return item->valuedouble;
}

static void
wait_ms(guint ms)
{
	g_usleep(ms * 1000);
}

static void
test_without_daemon(Fixture *fx, gconstpointer data)
{
	g_autofree char *out = run_sources(fx, "--json");
	g_autoptr(cJSON) root = cJSON_Parse(out);
	g_autofree char *text = NULL;
	g_assert_nonnull(root);
	/* the configured interval, and no figure: nobody measured one */
	g_assert_cmpfloat(number(configured(root, "aiu"), "interval"), ==, 0.2);
	g_assert_true(cJSON_IsNull(cJSON_GetObjectItem(configured(root, "aiu"), "measured")));
	g_assert_true(cJSON_IsNull(cJSON_GetObjectItem(configured(root, "acu"), "measured")));
	text = run_sources(fx, NULL);
	g_assert_nonnull(strstr(text, "every 0.2 s"));
	g_assert_null(strstr(text, "measured every"));
}

static void
test_with_daemon(Fixture *fx, gconstpointer data)
{
	g_autofree char *out = NULL;
	g_autofree char *text = NULL;
	g_autoptr(cJSON) root = NULL;
	const cJSON *aiu = NULL;
	const cJSON *acu = NULL;
	const cJSON *stream = NULL;
	guint snapshots = 0;
	gint64 deadline = 0;

	start_daemon(fx);
	deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
	while (sr_test_server_get_stream_count(fx->server, LIVE) == 0) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		wait_ms(10);
	}
	snapshots = sr_test_server_get_request_count(fx->server, SNAPSHOT);
	sr_test_server_push(fx->server, LIVE, "event: hello\r\ndata: null\r\n\r\n", -1);
	while (sr_test_server_get_request_count(fx->server, SNAPSHOT) == snapshots) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		wait_ms(10);
	}
	sr_test_server_push(fx->server, LIVE,
	                    "event: update\r\ndata: {\"state\":{\"id\":21,\"alert\":true}}\r\n\r\n",
	                    -1);
	/* a few polls of the polled source */
	wait_ms(1500);

	out = run_sources(fx, "--json");
	root = cJSON_Parse(out);
	g_assert_nonnull(root);
	aiu = cJSON_GetObjectItem(configured(root, "aiu"), "measured");
	g_assert_true(cJSON_IsObject(aiu));
	g_assert_cmpfloat(number(configured(root, "aiu"), "interval"), ==, 0.2);
	g_assert_cmpfloat(number(aiu, "interval_s"), ==, 0.2);
	g_assert_cmpfloat(number(aiu, "measured_interval_s"), >, 0.1);
	g_assert_cmpfloat(number(aiu, "measured_interval_s"), <, 0.4);
	g_assert_cmpfloat(number(aiu, "latency_s"), >, 0);
	g_assert_cmpstr(sr_json_get_string(aiu, "group"), ==, "ua");
	g_assert_true(cJSON_IsNull(cJSON_GetObjectItem(aiu, "stream")));
	acu = cJSON_GetObjectItem(configured(root, "acu"), "measured");
	g_assert_true(cJSON_IsObject(acu));
	stream = cJSON_GetObjectItem(acu, "stream");
	g_assert_true(cJSON_IsObject(stream));
	g_assert_true(cJSON_IsTrue(cJSON_GetObjectItem(stream, "up")));
	g_assert_cmpfloat(number(stream, "events"), ==, 2);
	g_assert_cmpfloat(number(stream, "delay_s"), >=, 0);
	g_assert_true(cJSON_IsNull(cJSON_GetObjectItem(stream, "error")));
	/* one country: the two are staggered */
	g_assert_cmpfloat(number(aiu, "offset_s") + number(acu, "offset_s"), >, 0);

	text = run_sources(fx, NULL);
	g_test_message("%s", text);
	g_assert_nonnull(strstr(text, "every 0.2 s"));
	g_assert_nonnull(strstr(text, "measured every"));
	g_assert_nonnull(strstr(text, "latency"));
	g_assert_nonnull(strstr(text, "streaming"));
	g_clear_pointer(&text, g_free);

	/* the stream drops: polled again, and said so */
	sr_test_server_set_reply(fx->server, LIVE, 503, "Retry-After: 60", "busy", -1);
	sr_test_server_drop_streams(fx->server, LIVE);
	wait_ms(500);
	text = run_sources(fx, NULL);
	g_test_message("%s", text);
	g_assert_nonnull(strstr(text, "stream down, polling"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add("/sr/sources-stats/without-daemon", Fixture, NULL, fixture_setup,
	           test_without_daemon, fixture_teardown);
	g_test_add("/sr/sources-stats/with-daemon", Fixture, NULL, fixture_setup, test_with_daemon,
	           fixture_teardown);
	return g_test_run();
}
