/* test-cli.c - the `sirena` binary end to end, against the loopback server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "sirena/json.h"
#include "sr-test-server.h"
#include "sr-test-util.h"

#define TOKEN_AIU      "aiu-SECRET-7f3a9c"
#define TOKEN_UA       "ua-SECRET-2b8e41"

#define AIU_PATH       "/v1/alerts/active.json"
#define UA_PATH        "/api/v3/alerts"
#define UA_STATUS_PATH "/api/v3/alerts/status"
#define OREF_PATH      "/warningMessages/alert/Alerts.json"

typedef struct {
	SrTestServer *server;
	char *dir;
	char *config;
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;
	fx->server = sr_test_server_new();
	fx->dir = g_dir_make_tmp("sirena-cli-XXXXXX", &error);
	g_assert_no_error(error);
	fx->config = g_build_filename(fx->dir, "sirena.conf", NULL);
	text =
	    g_strdup_printf("[sirena]\n"
	                    "regions=Вишгородський район\n"
	                    "[source alerts_in_ua]\n"
	                    "type=alerts_in_ua\n"
	                    "token=" TOKEN_AIU "\n"
	                    "url=%s\n"
	                    "interval=0.2\n"
	                    "stale_after=1\n"
	                    "[source ukraine_alarm]\n"
	                    "type=ukraine_alarm\n"
	                    "token=" TOKEN_UA "\n"
	                    "url=%s\n"
	                    "interval=0.2\n"
	                    "stale_after=1\n",
	                    sr_test_server_get_url(fx->server), sr_test_server_get_url(fx->server));
	g_assert_true(g_file_set_contents(fx->config, text, -1, NULL));
	g_assert_cmpint(g_chmod(fx->config, 0600), ==, 0);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	g_unlink(fx->config);
	g_rmdir(fx->dir);
	g_free(fx->config);
	g_free(fx->dir);
	sr_test_server_free(fx->server);
}

/* upstream bodies in the documented shapes */

static char *
aiu_body(const char *uids)
{
	g_autoptr(GString) body = g_string_new("{\"alerts\":[");
	g_auto(GStrv) list = g_strsplit(uids, ",", -1);
	for (guint i = 0; uids[0] != '\0' && list[i] != NULL; i++)
		g_string_append_printf(
		    body,
		    "%s{\"id\":%u,\"location_title\":\"t\",\"location_type\":"
		    "\"raion\",\"started_at\":\"2026-11-25T06:0%u:00.000Z\","
		    "\"finished_at\":null,\"updated_at\":\"2026-11-25T06:00:00.000Z\","
		    "\"alert_type\":\"air_raid\",\"location_uid\":\"%s\","
		    "\"location_oblast\":\"Київська область\",\"notes\":null,"
		    "\"calculated\":null}",
		    i > 0 ? "," : "", 5000 + i, i, list[i]);
	g_string_append(body, "],\"meta\":{\"last_updated_at\":\"2026/11/25 06:00:00 +0000\","
	                      "\"type\":\"full\"},\"disclaimer\":\"\"}");
	return g_string_free(g_steal_pointer(&body), FALSE);
}

static void
serve_aiu(Fixture *fx, const char *uids)
{
	g_autofree char *body = aiu_body(uids);
	sr_test_server_set_reply(fx->server, AIU_PATH, 200, NULL, body, -1);
}

static void
serve_ua(Fixture *fx, const char *region, guint index)
{
	g_autofree char *status = g_strdup_printf("{\"lastActionIndex\":%u}", index);
	g_autofree char *body = NULL;
	if (region == NULL)
		body = g_strdup("[]");
	else
		body = g_strdup_printf(
		    "[{\"regionId\":\"%s\",\"regionType\":\"District\",\"regionName\":\"r\","
		    "\"lastUpdate\":\"2026-11-25T06:00:30Z\",\"activeAlerts\":[{\"regionId\":\"%"
		    "s\","
		    "\"regionType\":\"District\",\"type\":\"AIR\",\"lastUpdate\":"
		    "\"2026-11-25T06:00:30Z\",\"activeAlertLevels\":[{\"alertLevel\":\"Red\","
		    "\"reason\":\"\",\"createdAt\":\"2026-11-25T06:00:30Z\"}]}]}]",
		    region, region);
	sr_test_server_set_reply(fx->server, UA_PATH, 200, NULL, body, -1);
	sr_test_server_set_reply(fx->server, UA_STATUS_PATH, 200, NULL, status, -1);
}

/* running the binary */

typedef struct {
	GSubprocess *process;
	GDataInputStream *out;
	GString *all;
	char *line;
	gboolean line_done;
} Child;

static Child *
spawn(const char *const *argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	Child *child = g_new0(Child, 1);
	g_ptr_array_add(args, (gpointer)g_getenv("SIRENA_CLI"));
	for (guint i = 0; argv[i] != NULL; i++)
		g_ptr_array_add(args, (gpointer)argv[i]);
	g_ptr_array_add(args, NULL);
	child->process = g_subprocess_newv(
	    (const char *const *)args->pdata,
	    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
	g_assert_no_error(error);
	child->out = g_data_input_stream_new(g_subprocess_get_stdout_pipe(child->process));
	child->all = g_string_new(NULL);
	return child;
}

static void
read_line_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	Child *child = user_data;
	child->line = g_data_input_stream_read_line_finish_utf8(G_DATA_INPUT_STREAM(source), result,
	                                                        NULL, NULL);
	child->line_done = TRUE;
}

/* the next line of output, or NULL at the end; fails the test after @timeout_ms */
static char *
next_line(Child *child, guint timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + timeout_ms * 1000;
	child->line_done = FALSE;
	child->line = NULL;
	g_data_input_stream_read_line_async(child->out, G_PRIORITY_DEFAULT, NULL, read_line_cb,
	                                    child);
	while (!child->line_done) {
		if (g_get_monotonic_time() > deadline)
			g_error("no output line within %u ms; so far:\n%s", timeout_ms,
			        child->all->str);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(2000);
	}
	if (child->line != NULL)
		g_string_append_printf(child->all, "%s\n", child->line);
	return child->line;
}

static void
child_free(Child *child)
{
	g_subprocess_force_exit(child->process);
	g_subprocess_wait(child->process, NULL, NULL);
	g_object_unref(child->out);
	g_object_unref(child->process);
	g_string_free(child->all, TRUE);
	g_free(child);
}

/* runs to the end: output (stdout and stderr) and exit status */
static char *
run(const char *const *argv, int *status)
{
	Child *child = spawn(argv);
	char *line = NULL;
	char *out = NULL;
	while ((line = next_line(child, 20000)) != NULL)
		g_free(line);
	g_assert_true(g_subprocess_wait(child->process, NULL, NULL));
	*status = g_subprocess_get_exit_status(child->process);
	out = g_strdup(child->all->str);
	child_free(child);
	/* invariant 5: tokens appear in no output */
	g_assert_null(strstr(out, TOKEN_AIU));
	g_assert_null(strstr(out, TOKEN_UA));
	return out;
}

/* a change line reduced to what must be exact: no clock-dependent fields */
static char *
summarise(const char *line)
{
	g_autoptr(cJSON) json = cJSON_Parse(line);
	const char *change = sr_json_get_string(json, "change");
	GString *out = g_string_new(change);
	g_assert_nonnull(json);
	g_assert_nonnull(sr_json_get_string(json, "at"));
	if (g_strcmp0(change, "source") == 0) {
		const cJSON *source = cJSON_GetObjectItem(json, "source");
		g_string_append_printf(out, " %s %s", sr_json_get_string(source, "name"),
		                       sr_json_get_string(source, "state"));
	} else {
		const cJSON *alert = cJSON_GetObjectItem(json, "alert");
		const cJSON *item = NULL;
		guint n = 0;
		g_string_append_printf(out, " %s %s [", sr_json_get_string(alert, "id"),
		                       sr_json_get_string(alert, "phase"));
		cJSON_ArrayForEach (item, cJSON_GetObjectItem(alert, "sources"))
			g_string_append_printf(out, "%s%s", n++ > 0 ? "," : "", item->valuestring);
		g_string_append(out, "]");
		if (cJSON_IsTrue(cJSON_GetObjectItem(json, "baseline")))
			g_string_append(out, " baseline");
	}
	return g_string_free(out, FALSE);
}

static void
expect(Child *child, const char *expected)
{
	g_autofree char *line = next_line(child, 15000);
	g_autofree char *summary = NULL;
	g_assert_nonnull(line);
	g_assert_null(strstr(line, TOKEN_AIU));
	g_assert_null(strstr(line, TOKEN_UA));
	summary = summarise(line);
	if (g_strcmp0(summary, expected) != 0)
		g_error("expected '%s', got '%s' from line:\n%s", expected, summary, line);
}

static void
settle(guint ms)
{
	gint64 deadline = g_get_monotonic_time() + ms * 1000;
	while (g_get_monotonic_time() < deadline) {
		g_main_context_iteration(NULL, FALSE);
		g_usleep(2000);
	}
}

/* as expect(), and the whole line as JSON for what else must be checked */
static cJSON *
expect_json(Child *child, const char *expected)
{
	g_autofree char *line = next_line(child, 15000);
	g_autofree char *summary = NULL;
	g_assert_nonnull(line);
	summary = summarise(line);
	if (g_strcmp0(summary, expected) != 0)
		g_error("expected '%s', got '%s' from line:\n%s", expected, summary, line);
	return cJSON_Parse(line);
}

/* the next human line, which must contain every one of @fragments (NULL-terminated) */
static void
expect_text(Child *child, const char *const *fragments)
{
	g_autofree char *line = next_line(child, 15000);
	g_assert_nonnull(line);
	for (guint i = 0; fragments[i] != NULL; i++) {
		if (strstr(line, fragments[i]) == NULL)
			g_error("expected '%s' in line:\n%s", fragments[i], line);
	}
}

/* waits for @n more requests for @path: a source asks again only after it has handled the
 * answer, so the child has handled the body on show at least @n - 1 times */
static void
wait_requests(Fixture *fx, const char *path, guint n)
{
	guint target = sr_test_server_get_request_count(fx->server, path) + n;
	gint64 deadline = g_get_monotonic_time() + 10000 * 1000;
	while (sr_test_server_get_request_count(fx->server, path) < target) {
		if (g_get_monotonic_time() > deadline)
			g_error("fewer than %u requests for %s within 10 s", n, path);
		settle(20);
	}
}

static void
stop(Child *child)
{
	g_autofree char *rest = NULL;
	g_subprocess_send_signal(child->process, SIGTERM);
	rest = next_line(child, 5000);
	if (rest != NULL)
		g_error("unexpected line after the last one expected:\n%s", rest);
	g_assert_true(g_subprocess_wait(child->process, NULL, NULL));
	g_assert_cmpint(g_subprocess_get_exit_status(child->process), ==, 0);
	child_free(child);
}

/* Pikud HaOref: the real-time file on the loopback server, the user at @regions */
static void
oref_config(Fixture *fx, const char *regions)
{
	g_autofree char *text = g_strdup_printf("[sirena]\n"
	                                        "regions=%s\n"
	                                        "[source oref]\n"
	                                        "type=oref\n"
	                                        "url=%s\n"
	                                        "interval=0.2\n",
	                                        regions, sr_test_server_get_url(fx->server));
	g_assert_true(g_file_set_contents(fx->config, text, -1, NULL));
	g_assert_cmpint(g_chmod(fx->config, 0600), ==, 0);
}

static void
serve_oref(Fixture *fx, const char *fixture)
{
	g_autofree char *path = sr_test_fixture_path("oref", fixture);
	sr_test_server_set_reply_file(fx->server, OREF_PATH, 200, NULL, path);
}

static void
test_watch_timeline(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {"watch", "--json", "--config", fx->config, NULL};
	Child *child = NULL;
	g_autofree char *rest = NULL;

	serve_aiu(fx, "");
	serve_ua(fx, NULL, 1);
	child = spawn(argv);
	/* both sources have had their first answer (a source asks again only after handling
	 * it), however long the start took: what follows is news, not the baseline */
	wait_requests(fx, AIU_PATH, 2);
	wait_requests(fx, UA_STATUS_PATH, 2);

	/* an alert starts in the subscribed raion, seen by one source, then by the other */
	serve_aiu(fx, "74");
	expect(child, "started ua:74:air_raid active [alerts_in_ua]");
	serve_ua(fx, "74", 2);
	settle(800);

	/* the oblast-level alert joins: it covers the raion, so it is ours too */
	serve_aiu(fx, "74,14");
	expect(child, "started ua:14:air_raid active [alerts_in_ua]");

	/* alerts.in.ua fails; Ukraine Alarm says the raion alert ended: not an all-clear,
	 * because the source that still reports it cannot be heard */
	sr_test_server_set_reply(fx->server, AIU_PATH, 500, NULL, "upstream down", -1);
	expect(child, "source alerts_in_ua stale");
	serve_ua(fx, NULL, 3);
	settle(1500);

	/* it recovers with everything over: back, then the all-clears, each once */
	serve_aiu(fx, "");
	expect(child, "source alerts_in_ua ok");
	/* in the order they started; Ukraine Alarm had dropped the raion alert while
	 * alerts.in.ua was down, so only alerts.in.ua still held it */
	expect(child, "ended ua:74:air_raid ended [alerts_in_ua]");
	expect(child, "ended ua:14:air_raid ended [alerts_in_ua]");

	/* nothing else: no repeats */
	settle(1000);
	g_subprocess_send_signal(child->process, SIGTERM);
	rest = next_line(child, 5000);
	g_assert_null(rest);
	g_assert_true(g_subprocess_wait(child->process, NULL, NULL));
	g_assert_cmpint(g_subprocess_get_exit_status(child->process), ==, 0);
	child_free(child);
}

static void
test_watch_human(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {"watch", "--config", fx->config, NULL};
	Child *child = NULL;
	g_autofree char *line = NULL;
	serve_aiu(fx, "14");
	serve_ua(fx, NULL, 1);
	child = spawn(argv);
	line = next_line(child, 10000);
	g_assert_nonnull(
	    strstr(line, "Air raid alert — Kyivska Oblast (covers Vyshhorodskyi Raion)"));
	g_assert_nonnull(strstr(line, "(already going on)"));
	child_free(child);
}

static void
test_status(Fixture *fx, gconstpointer data)
{
	const char *json_argv[] = {"status", "--json", "--config", fx->config, NULL};
	const char *human_argv[] = {"--config", fx->config, "status", NULL};
	int status = -1;
	g_autofree char *out = NULL;
	g_autofree char *human = NULL;
	g_autoptr(cJSON) json = NULL;
	const cJSON *alerts = NULL;
	const cJSON *sources = NULL;

	/* both sources report the same raion alert: one alert, two sources */
	serve_aiu(fx, "74,124");
	serve_ua(fx, "74", 1);
	out = run(json_argv, &status);
	g_assert_cmpint(status, ==, 0);
	json = cJSON_Parse(out);
	g_assert_nonnull(json);
	alerts = cJSON_GetObjectItem(json, "alerts");
	/* 124 (Kharkiv) is not in the subscribed raion */
	g_assert_cmpint(cJSON_GetArraySize(alerts), ==, 1);
	g_assert_cmpstr(sr_json_get_string(cJSON_GetArrayItem(alerts, 0), "id"), ==,
	                "ua:74:air_raid");
	g_assert_cmpint(
	    cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetArrayItem(alerts, 0), "sources")), ==,
	    2);
	sources = cJSON_GetObjectItem(json, "sources");
	g_assert_cmpint(cJSON_GetArraySize(sources), ==, 2);
	g_assert_cmpstr(sr_json_get_string(cJSON_GetArrayItem(sources, 0), "state"), ==, "ok");

	/* one source down: answered, but exit 3 and the reason */
	sr_test_server_set_reply(fx->server, UA_PATH, 401, NULL, "", 0);
	human = run(human_argv, &status);
	g_assert_cmpint(status, ==, 3);
	g_assert_nonnull(strstr(human, "Air raid alert"));
	g_assert_nonnull(strstr(human, "ukraine_alarm"));
	g_assert_nonnull(strstr(human, "401"));
}

static void
test_status_all_sources(Fixture *fx, gconstpointer data)
{
	g_autofree char *path = g_build_filename(fx->dir, "all.conf", NULL);
	g_autofree char *text = NULL;
	g_autofree char *out = NULL;
	g_autofree char *aiu = sr_test_fixture_path("alerts_in_ua", "active_mixed.json");
	g_autofree char *ua = sr_test_fixture_path("ukraine_alarm", "alerts_all.json");
	g_autofree char *ua_status = sr_test_fixture_path("ukraine_alarm", "status_1.json");
	g_autofree char *ubilling = sr_test_fixture_path("ubilling", "states.json");
	const char *argv[] = {"status", "--json", "--config", path, NULL};
	const char *url = sr_test_server_get_url(fx->server);
	g_autoptr(cJSON) json = NULL;
	g_autoptr(GString) got = g_string_new(NULL);
	const cJSON *alert = NULL;
	int status = -1;

	text = g_strdup_printf("[source alerts_in_ua]\ntoken=" TOKEN_AIU "\nurl=%s\n"
	                       "[source ukraine_alarm]\ntoken=" TOKEN_UA "\nurl=%s\n"
	                       "[source siren_pp_ua]\nurl=%s\n"
	                       "[source ubilling]\nurl=%s\n",
	                       url, url, url, url);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	g_assert_cmpint(g_chmod(path, 0600), ==, 0);
	sr_test_server_set_reply_file(fx->server, AIU_PATH, 200, NULL, aiu);
	sr_test_server_set_reply_file(fx->server, UA_PATH, 200, NULL, ua);
	sr_test_server_set_reply_file(fx->server, UA_STATUS_PATH, 200, NULL, ua_status);
	sr_test_server_set_reply_file(fx->server, "/aerialalerts/", 200, NULL, ubilling);
	out = run(argv, &status);
	g_assert_cmpint(status, ==, 0);
	json = cJSON_Parse(out);
	g_assert_nonnull(json);
	/* every real alert once, with every source that reports it, ordered by start */
	cJSON_ArrayForEach (alert, cJSON_GetObjectItem(json, "alerts")) {
		const cJSON *name = NULL;
		g_string_append_printf(got, "%s:", sr_json_get_string(alert, "id"));
		cJSON_ArrayForEach (name, cJSON_GetObjectItem(alert, "sources"))
			g_string_append_printf(got, " %s", name->valuestring);
		g_string_append(got, "\n");
	}
	g_assert_cmpstr(got->str, ==,
	                "ua:16:air_raid: alerts_in_ua ubilling\n"
	                "ua:122:artillery: ukraine_alarm siren_pp_ua\n"
	                "ua:74:air_raid: ukraine_alarm siren_pp_ua\n"
	                "ua:22:air_raid: ukraine_alarm siren_pp_ua ubilling\n"
	                "ua:124:air_raid: alerts_in_ua\n"
	                "ua:351:artillery: alerts_in_ua\n"
	                "ua:31:air_raid: ubilling\n");
	g_unlink(path);
}

static void
test_status_nothing_known(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {"status", "--config", fx->config, NULL};
	int status = -1;
	g_autofree char *out = NULL;
	sr_test_server_set_reply(fx->server, AIU_PATH, 200, NULL, "{\"message\":\"Error\"}", -1);
	sr_test_server_set_reply(fx->server, UA_PATH, 503, NULL, "", 0);
	out = run(argv, &status);
	/* unknown is never shown as safe */
	g_assert_cmpint(status, ==, 1);
	g_assert_nonnull(strstr(out, "NOT an all-clear"));
	g_assert_null(strstr(out, "No active alerts"));
}

static void
test_parse(Fixture *fx, gconstpointer data)
{
	g_autofree char *good = sr_test_fixture_path("alerts_in_ua", "active_mixed.json");
	g_autoptr(GError) error = NULL;
	g_autofree char *bad = g_build_filename(fx->dir, "bad.json", NULL);
	const char *json_argv[] = {"parse", "--source", "alerts_in_ua", "--json", good, NULL};
	const char *bad_argv[] = {"parse", "--source", "alerts_in_ua", bad, NULL};
	const char *type_argv[] = {"parse", "--source", "nope", good, NULL};
	const char *noarg_argv[] = {"parse", good, NULL};
	int status = -1;
	g_autofree char *out = NULL;
	g_autofree char *err = NULL;
	g_autofree char *err2 = NULL;
	g_autofree char *err3 = NULL;
	g_auto(GStrv) lines = NULL;

	out = run(json_argv, &status);
	g_assert_cmpint(status, ==, 0);
	lines = g_strsplit(g_strstrip(out), "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 3);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autoptr(SrEvent) event =
		    sr_event_from_json_string(lines[i], strlen(lines[i]), &error);
		g_assert_no_error(error);
		g_assert_cmpstr(event->source, ==, "alerts_in_ua");
	}
	g_assert_true(g_file_set_contents(bad, "{\"alerts\": [", -1, NULL));
	err = run(bad_argv, &status);
	g_assert_cmpint(status, ==, 1);
	g_assert_nonnull(strstr(err, "not a valid alerts_in_ua body"));
	err2 = run(type_argv, &status);
	g_assert_cmpint(status, ==, 2);
	g_assert_nonnull(strstr(err2, "sirena sources"));
	err3 = run(noarg_argv, &status);
	g_assert_cmpint(status, ==, 2);
	g_assert_nonnull(strstr(err3, "--source"));
	g_unlink(bad);
}

static void
test_misc_commands(Fixture *fx, gconstpointer data)
{
	const char *version_argv[] = {"--version", "--json", NULL};
	const char *regions_argv[] = {"regions", "харківський", NULL};
	const char *sources_argv[] = {"sources", "--config", fx->config, NULL};
	const char *check_argv[] = {"config", "check", fx->config, NULL};
	const char *unknown_argv[] = {"frobnicate", NULL};
	const char *badregion_argv[] = {"status",   "--config",  fx->config,
	                                "--region", "Атлантида", NULL};
	int status = -1;
	g_autofree char *version = run(version_argv, &status);
	g_autofree char *regions = NULL;
	g_autofree char *sources = NULL;
	g_autofree char *check = NULL;
	g_autofree char *unknown = NULL;
	g_autofree char *badregion = NULL;
	g_autoptr(cJSON) json = cJSON_Parse(version);
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpint(cJSON_GetObjectItem(json, "schema")->valueint, ==, 1);
	g_assert_cmpstr(sr_json_get_string(json, "version"), ==, PACKAGE_VERSION);

	regions = run(regions_argv, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(regions, "ua:124"));
	g_assert_nonnull(strstr(regions, "raion in Kharkivska Oblast"));

	sources = run(sources_argv, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(sources, "token set"));

	check = run(check_argv, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(check, "OK"));

	unknown = run(unknown_argv, &status);
	g_assert_cmpint(status, ==, 2);
	g_assert_nonnull(strstr(unknown, "unknown command"));

	badregion = run(badregion_argv, &status);
	g_assert_cmpint(status, ==, 2);
	g_assert_nonnull(strstr(badregion, "no region"));
}

static void
test_status_replay_only(Fixture *fx, gconstpointer data)
{
	/* a source that finishes without any I/O must not leave status waiting forever */
	g_autofree char *night =
	    g_build_filename(g_getenv("SIRENA_DATA_DIR"), "demo", "night.json", NULL);
	g_autofree char *text = g_strdup_printf("[source demo]\ntype=replay\nfile=%s\n", night);
	const char *argv[] = {"status", "--config", fx->config, NULL};
	int status = -1;
	g_autofree char *out = NULL;
	g_assert_true(g_file_set_contents(fx->config, text, -1, NULL));
	out = run(argv, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(out, "Luhanska Oblast"));
}

static void
test_bad_config(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {"config", "check", fx->config, NULL};
	int status = -1;
	g_autofree char *out = NULL;
	g_assert_true(g_file_set_contents(
	    fx->config, "[source a]\ntype=alerts_in_ua\ntoken=" TOKEN_AIU "\ninterval=often\n", -1,
	    NULL));
	out = run(argv, &status);
	g_assert_cmpint(status, ==, 2);
	g_assert_nonnull(strstr(out, ":4: [source a] interval: 'often'"));
}

static void
test_demo(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {"watch", "--demo", "--json", "--speed", "20000", NULL};
	int status = -1;
	g_autofree char *out = run(argv, &status);
	g_auto(GStrv) lines = g_strsplit(g_strstrip(out), "\n", -1);
	guint started = 0, ended = 0, source = 0;
	g_assert_cmpint(status, ==, 0);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autofree char *summary = summarise(lines[i]);
		if (g_str_has_prefix(summary, "started"))
			started++;
		else if (g_str_has_prefix(summary, "ended"))
			ended++;
		else if (g_str_has_prefix(summary, "source"))
			source++;
	}
	/* the night: two permanent alerts, seven that come and go, an outage and its end */
	g_assert_cmpuint(started, ==, 9);
	g_assert_cmpuint(ended, ==, 7);
	g_assert_cmpuint(source, ==, 2);
}

static void
test_watch_oref(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {"watch", "--json", "--config", fx->config, NULL};
	Child *child = NULL;
	g_autoptr(cJSON) ended = NULL;

	oref_config(fx, "il:742");
	/* between alerts the file holds a line break and nothing else */
	sr_test_server_set_reply(fx->server, OREF_PATH, 200, NULL, "\r\n", -1);
	child = spawn(argv);
	wait_requests(fx, OREF_PATH, 2);

	/* Tel Aviv and Ramat Gan; only Tel Aviv is subscribed */
	serve_oref(fx, "missiles.json");
	expect(child, "started il:742:missile active [oref]");

	/* the pulse comes and goes: neither the empty file nor the same pulse again is news */
	sr_test_server_set_reply(fx->server, OREF_PATH, 200, NULL, "\r\n", -1);
	wait_requests(fx, OREF_PATH, 4);
	serve_oref(fx, "missiles.json");
	wait_requests(fx, OREF_PATH, 2);
	sr_test_server_set_reply(fx->server, OREF_PATH, 200, NULL, "\r\n", -1);
	wait_requests(fx, OREF_PATH, 4);

	/* the end message: the next line, with the reason */
	serve_oref(fx, "end.json");
	ended = expect_json(child, "ended il:742:missile ended [oref]");
	g_assert_cmpstr(sr_json_get_string(ended, "reason"), ==, "oref reports the end");

	/* the end message stays on show, then the file empties: nothing more */
	wait_requests(fx, OREF_PATH, 2);
	sr_test_server_set_reply(fx->server, OREF_PATH, 200, NULL, "\r\n", -1);
	wait_requests(fx, OREF_PATH, 4);
	stop(child);
}

static void
test_watch_oref_human(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {"watch", "--config", fx->config, NULL};
	Child *child = NULL;

	oref_config(fx, "Tel Aviv - City Center");
	sr_test_server_set_reply(fx->server, OREF_PATH, 200, NULL, "\r\n", -1);
	child = spawn(argv);
	wait_requests(fx, OREF_PATH, 2);

	/* a pre-alert is not the siren: it says so, and no time to shelter yet */
	serve_oref(fx, "pre-alert.json");
	expect_text(child, (const char *const[]){"Missile threat [pre-alert",
	                                         "— Tel Aviv - City Center — since", NULL});
	g_assert_null(strstr(child->all->str, "shelter 90 s"));

	/* the siren: the time to reach a protected space in Tel Aviv */
	serve_oref(fx, "missiles.json");
	expect_text(
	    child,
	    (const char *const[]){
	        "Update: Missile threat — Tel Aviv - City Center — shelter 90 s — since", NULL});

	/* the all-clear says who ended it */
	serve_oref(fx, "end.json");
	expect_text(child,
	            (const char *const[]){"All clear — Tel Aviv - City Center — Missile threat "
	                                  "over at",
	                                  "; oref reports the end)", NULL});
	stop(child);
}

static void
test_status_oref(Fixture *fx, gconstpointer data)
{
	const char *json_argv[] = {"status", "--json", "--config", fx->config, NULL};
	const char *human_argv[] = {"status", "--config", fx->config, NULL};
	int status = -1;
	g_autofree char *out = NULL;
	g_autofree char *human = NULL;
	g_autofree char *elsewhere = NULL;
	g_autofree char *elsewhere_json = NULL;
	g_autoptr(cJSON) json = NULL;
	g_autoptr(cJSON) none = NULL;
	const cJSON *alerts = NULL;
	const cJSON *alert = NULL;

	/* an alert in Tel Aviv, for someone in Tel Aviv */
	serve_oref(fx, "missiles.json");
	oref_config(fx, "il:742");
	out = run(json_argv, &status);
	g_assert_cmpint(status, ==, 0);
	json = cJSON_Parse(out);
	g_assert_nonnull(json);
	alerts = cJSON_GetObjectItem(json, "alerts");
	g_assert_cmpint(cJSON_GetArraySize(alerts), ==, 1);
	alert = cJSON_GetArrayItem(alerts, 0);
	g_assert_cmpstr(sr_json_get_string(alert, "id"), ==, "il:742:missile");
	g_assert_cmpstr(sr_json_get_string(alert, "phase"), ==, "active");
	g_assert_cmpstr(cJSON_GetArrayItem(cJSON_GetObjectItem(alert, "sources"), 0)->valuestring,
	                ==, "oref");
	human = run(human_argv, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(human, "Active alerts (1):"));
	g_assert_nonnull(
	    strstr(human, "Missile threat — Tel Aviv - City Center — shelter 90 s — since"));
	/* piped: plain text, no symbols and no escape codes */
	g_assert_null(strstr(human, "🔴"));
	g_assert_null(strstr(human, "\033["));
	g_assert_null(strstr(human, "Ramat Gan"));

	/* an alert for the whole country: the user's own area and its time to shelter */
	serve_oref(fx, "all-country.json");
	g_free(human);
	human = run(human_argv, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(human, "Missile threat — Israel (covers Tel Aviv - City Center) "
	                               "— shelter 90 s — since"));
	serve_oref(fx, "missiles.json");

	/* the same alert, for someone in Kiryat Shmona: nothing there, and every source answered */
	oref_config(fx, "il:1637");
	elsewhere_json = run(json_argv, &status);
	g_assert_cmpint(status, ==, 0);
	none = cJSON_Parse(elsewhere_json);
	g_assert_nonnull(none);
	g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(none, "alerts")), ==, 0);
	g_assert_cmpstr(sr_json_get_string(
	                    cJSON_GetArrayItem(cJSON_GetObjectItem(none, "sources"), 0), "state"),
	                ==, "ok");
	elsewhere = run(human_argv, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(elsewhere, "No active alerts for your regions."));
	g_assert_null(strstr(elsewhere, "Tel Aviv"));
}

/* `sirena parse --source oref --json FILE`: its events, one JSON line each */
static GPtrArray *
parse_oref_at(const char *type, const char *fixture, const char *at, int *status)
{
	g_autofree char *path = sr_test_fixture_path("oref", fixture);
	const char *argv[] = {"parse", "--source", type, "--json", path, at, NULL};
	g_autofree char *out = run(argv, status);
	g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
	GPtrArray *events = g_ptr_array_new_with_free_func((GDestroyNotify)cJSON_Delete);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SrEvent) event = NULL;
		cJSON *json = NULL;
		if (lines[i][0] == '\0')
			continue;
		/* every line is an event in the documented shape */
		event = sr_event_from_json_string(lines[i], strlen(lines[i]), &error);
		g_assert_no_error(error);
		json = cJSON_Parse(lines[i]);
		g_assert_nonnull(json);
		g_ptr_array_add(events, json);
	}
	return events;
}

static GPtrArray *
parse_oref(const char *type, const char *fixture, int *status)
{
	return parse_oref_at(type, fixture, NULL, status);
}

static void
assert_oref_missile(const cJSON *event, const char *id, const char *region, const char *name,
                    const char *name_en)
{
	const cJSON *regions = cJSON_GetObjectItem(event, "regions");
	const cJSON *first = cJSON_GetArrayItem(regions, 0);
	g_assert_cmpstr(sr_json_get_string(event, "id"), ==, id);
	g_assert_cmpstr(sr_json_get_string(event, "source"), ==, "oref");
	g_assert_cmpstr(sr_json_get_string(event, "kind"), ==, "missile");
	g_assert_cmpstr(sr_json_get_string(event, "phase"), ==, "active");
	g_assert_cmpint(cJSON_GetArraySize(regions), ==, 1);
	g_assert_cmpstr(sr_json_get_string(first, "id"), ==, region);
	g_assert_cmpstr(sr_json_get_string(first, "name"), ==, name);
	g_assert_cmpstr(sr_json_get_string(first, "name_en"), ==, name_en);
	g_assert_cmpstr(sr_json_get_string(first, "level"), ==, "area");
}

static void
test_parse_oref(Fixture *fx, gconstpointer data)
{
	const char *const missiles[] = {"missiles.json", "missiles-utf16le.json"};
	g_autofree char *empty = sr_test_fixture_path("oref", "empty-crlf.txt");
	g_autofree char *error_page = sr_test_fixture_path("oref", "error-page.html");
	const char *empty_argv[] = {"parse", "--source", "oref", empty, NULL};
	const char *error_argv[] = {"parse", "--source", "oref", error_page, NULL};
	g_autofree char *out = NULL;
	g_autofree char *err = NULL;
	g_autoptr(GPtrArray) events = NULL;
	g_autoptr(GPtrArray) history = NULL;
	int status = -1;

	for (guint i = 0; i < G_N_ELEMENTS(missiles); i++) {
		g_autoptr(GPtrArray) batch = parse_oref("oref", missiles[i], &status);
		g_test_message("%s", missiles[i]);
		g_assert_cmpint(status, ==, 0);
		g_assert_cmpuint(batch->len, ==, 2);
		assert_oref_missile(g_ptr_array_index(batch, 0), "oref:il:742:missile", "il:742",
		                    "תל אביב - מרכז העיר", "Tel Aviv - City Center");
		assert_oref_missile(g_ptr_array_index(batch, 1), "oref:il:745:missile", "il:745",
		                    "רמת גן - מערב", "Ramat Gan - West");
	}

	/* nothing going on: no events, and that is a success */
	events = parse_oref("oref", "empty-crlf.txt", &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpuint(events->len, ==, 0);
	out = run(empty_argv, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(out, "no active alerts in this body"));

	/* the site's error page is no all-clear */
	err = run(error_argv, &status);
	g_assert_cmpint(status, ==, 1);
	g_assert_nonnull(strstr(err, "error page"));
	g_assert_null(strstr(err, "no active alerts"));

	/* the day's history: rows older than an alert lasts are no alerts now; whatever is
	 * printed is events */
	history = parse_oref("oref_history", "history.json", &status);
	g_assert_cmpint(status, ==, 0);
	g_clear_pointer(&history, g_ptr_array_unref);
	/* read at the time it was saved (12:05 in Israel), the same file has its alerts */
	history =
	    parse_oref_at("oref_history", "history.json", "--at=2026-07-01T09:05:00Z", &status);
	g_assert_cmpint(status, ==, 0);
	/* Tel Aviv, Ramat Gan, Kiryat Shmona, and the Kfar Saba drill */
	g_assert_cmpuint(history->len, ==, 4);
	g_assert_cmpstr(sr_json_get_string(g_ptr_array_index(history, 0), "phase"), ==, "active");
	{
		g_autofree char *path = sr_test_fixture_path("oref", "history.json");
		const char *bad_argv[] = {"parse",          "--source", "oref_history",
		                          "--at=yesterday", path,       NULL};
		g_autofree char *bad = run(bad_argv, &status);
		g_assert_cmpint(status, ==, 2);
		g_assert_nonnull(strstr(bad, "--at 'yesterday' is not an RFC 3339 time"));
	}
}

static void
test_regions_il(Fixture *fx, gconstpointer data)
{
	/* one area by its Hebrew, English and Russian names */
	const char *const names[] = {"תל אביב - מרכז העיר", "Tel Aviv - City Center",
	                             "Тель Авив - Центральный район"};
	const char *json_argv[] = {"regions", "--json", "Tel Aviv - City Center", NULL};
	g_autofree char *out = NULL;
	g_autoptr(cJSON) json = NULL;
	const cJSON *area = NULL;
	int status = -1;

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		const char *argv[] = {"regions", names[i], NULL};
		g_autofree char *text = run(argv, &status);
		g_auto(GStrv) lines = g_strsplit(g_strstrip(text), "\n", -1);
		g_test_message("%s", names[i]);
		g_assert_cmpint(status, ==, 0);
		g_assert_cmpuint(g_strv_length(lines), ==, 1);
		g_assert_true(g_str_has_prefix(lines[0], "il:742 "));
		g_assert_nonnull(strstr(lines[0], "Tel Aviv - City Center"));
		g_assert_nonnull(strstr(lines[0], "area in Dan"));
		g_assert_nonnull(strstr(lines[0], "shelter 90 s"));
	}

	out = run(json_argv, &status);
	g_assert_cmpint(status, ==, 0);
	json = cJSON_Parse(out);
	g_assert_nonnull(json);
	g_assert_cmpint(cJSON_GetArraySize(json), ==, 1);
	area = cJSON_GetArrayItem(json, 0);
	g_assert_cmpstr(sr_json_get_string(area, "id"), ==, "il:742");
	g_assert_cmpstr(sr_json_get_string(area, "level"), ==, "area");
	g_assert_true(cJSON_IsNumber(cJSON_GetObjectItem(area, "shelter_seconds")));
	g_assert_cmpint(cJSON_GetObjectItem(area, "shelter_seconds")->valueint, ==, 90);
}

/* CAP and the sources that carry it */

/* the user in Pine Valley: inside the polygon of the storm (tests/fixtures/cap-e2e/) and of
 * tests/fixtures/cap/thunderstorm.xml; and someone 130 km away, inside neither */
#define PINE_VALLEY "38.25,-120.30"
#define FAR_AWAY    "37.50,-121.50"
#define CAP_PATH    "/alert.xml"
#define STORM_ALERT "c:SR-E2E-STORM-1:weather"

/* `sirena parse --json` with @args (NULL-terminated): its events, every line checked to be an
 * event in the documented shape */
static GPtrArray *
parse_events(const char *const *args, int *status)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree char *out = NULL;
	g_auto(GStrv) lines = NULL;
	GPtrArray *events = g_ptr_array_new_with_free_func((GDestroyNotify)cJSON_Delete);

	g_ptr_array_add(argv, (gpointer) "parse");
	g_ptr_array_add(argv, (gpointer) "--json");
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	out = run((const char *const *)argv->pdata, status);
	lines = g_strsplit(out, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SrEvent) event = NULL;
		cJSON *json = NULL;
		if (lines[i][0] == '\0')
			continue;
		event = sr_event_from_json_string(lines[i], strlen(lines[i]), &error);
		if (error != NULL)
			g_error("not an event (%s):\n%s", error->message, lines[i]);
		json = cJSON_Parse(lines[i]);
		g_assert_nonnull(json);
		g_ptr_array_add(events, json);
	}
	return events;
}

/* the event @id of @events, which must have @kind, @phase and @status */
static const cJSON *
find_event(GPtrArray *events, const char *id, const char *kind, const char *phase,
           const char *status)
{
	for (guint i = 0; i < events->len; i++) {
		const cJSON *event = g_ptr_array_index(events, i);
		if (g_strcmp0(sr_json_get_string(event, "id"), id) != 0)
			continue;
		g_assert_cmpstr(sr_json_get_string(event, "kind"), ==, kind);
		g_assert_cmpstr(sr_json_get_string(event, "phase"), ==, phase);
		g_assert_cmpstr(sr_json_get_string(event, "status"), ==, status);
		return event;
	}
	g_error("no event %s", id);
	return NULL;
}

static void
test_parse_cap(Fixture *fx, gconstpointer data)
{
	g_autofree char *storm = sr_test_fixture_path("cap", "thunderstorm.xml");
	g_autofree char *xxe = sr_test_fixture_path("cap", "bad-xxe.xml");
	g_autofree char *secret = g_build_filename(fx->dir, "secret.txt", NULL);
	g_autofree char *xxe_local = g_build_filename(fx->dir, "xxe-local.xml", NULL);
	g_autofree char *xxe_body = NULL;
	g_autofree char *passwd = NULL;
	g_autoptr(GPtrArray) events = NULL;
	g_autoptr(GPtrArray) inside = NULL;
	g_autoptr(GPtrArray) outside = NULL;
	const cJSON *event = NULL;
	int status = -1;

	/* one CAP document, one event */
	events = parse_events((const char *const[]){"--source", "cap", storm, NULL}, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpuint(events->len, ==, 1);
	event = find_event(events, "cap:SR-WX-20260617-0412", "weather", "active", "actual");
	g_assert_cmpstr(sr_json_get_string(event, "source"), ==, "cap");
	g_assert_cmpstr(sr_json_get_string(event, "severity"), ==, "severe");
	g_assert_cmpstr(sr_json_get_string(event, "urgency"), ==, "immediate");
	g_assert_cmpstr(sr_json_get_string(event, "headline"), ==, "SEVERE THUNDERSTORM WARNING");
	/* the times with their -07:00 offset, in UTC */
	g_assert_cmpstr(sr_json_get_string(event, "started_at"), ==, "2026-06-17T21:57:00Z");
	g_assert_cmpstr(sr_json_get_string(event, "expires_at"), ==, "2026-06-17T23:00:00Z");
	g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(event, "regions")), ==, 0);
	g_assert_cmpint(
	    cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(event, "area"), "polygons")),
	    ==, 1);

	/* a place inside the polygon keeps it; one outside leaves nothing, and that is no error */
	inside = parse_events(
	    (const char *const[]){"--source", "cap", "--location", PINE_VALLEY, storm, NULL},
	    &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpuint(inside->len, ==, 1);
	find_event(inside, "cap:SR-WX-20260617-0412", "weather", "active", "actual");
	outside = parse_events(
	    (const char *const[]){"--source", "cap", "--location", FAR_AWAY, storm, NULL}, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpuint(outside->len, ==, 0);
	{
		/* and a person reading it is told so, rather than left with nothing */
		const char *human_argv[] = {"parse",  "--source", "cap", "--location",
		                            FAR_AWAY, storm,      NULL};
		g_autofree char *human = run(human_argv, &status);
		g_assert_cmpint(status, ==, 0);
		g_assert_nonnull(strstr(human, "no event in this body covers " FAR_AWAY));
	}

	/* an external entity: refused with a reason, and nothing of the file it names is read.
	 * The shipped fixture names /etc/passwd; a copy names a file of ours with a marker, so
	 * the check does not depend on what /etc/passwd holds here */
	g_assert_true(g_file_set_contents(secret, "MARKER-7c1e-not-for-output\n", -1, NULL));
	xxe_body = g_strdup_printf(
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE alert [<!ENTITY xxe SYSTEM \"file://%s\">]>\n"
	    "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>X</identifier>"
	    "<sender>s</sender><sent>2026-01-01T00:00:00-00:00</sent><status>Actual</status>"
	    "<msgType>Alert</msgType><scope>Public</scope><info><category>Other</category>"
	    "<event>&xxe;</event><urgency>Immediate</urgency><severity>Extreme</severity>"
	    "<certainty>Observed</certainty><headline>&xxe;</headline></info></alert>\n",
	    secret);
	g_assert_true(g_file_set_contents(xxe_local, xxe_body, -1, NULL));
	g_file_get_contents("/etc/passwd", &passwd, NULL, NULL);
	for (guint i = 0; i < 2; i++) {
		const char *file = i == 0 ? xxe : xxe_local;
		const char *argv[] = {"parse", "--source", "cap", "--json", file, NULL};
		g_autofree char *err = run(argv, &status);
		g_assert_cmpint(status, ==, 1);
		g_assert_nonnull(strstr(err, "not a valid cap body"));
		g_assert_nonnull(strstr(err, "DOCTYPE is not accepted"));
		/* no event line, no all-clear */
		g_assert_null(strstr(err, "\"id\""));
		g_assert_null(strstr(err, "no active alerts"));
		g_assert_null(strstr(err, "MARKER-7c1e"));
		g_assert_null(strstr(err, "root:"));
		if (passwd != NULL) {
			g_auto(GStrv) rows = g_strsplit(passwd, "\n", -1);
			for (guint j = 0; rows[j] != NULL; j++) {
				if (rows[j][0] != '\0')
					g_assert_null(strstr(err, rows[j]));
			}
		}
	}
	g_unlink(secret);
	g_unlink(xxe_local);
}

#define NWS_OID(x)  "urn:oid:2.49.0.1.840.0." x
#define NWS_TORNADO NWS_OID("5a1c9e0f3b7d24c86e91a0b2c3d4e5f607182930.001.1")
#define NWS_WIND    NWS_OID("0b7e2f91c4a3d8e6f5a4b3c2d1e0f9a8b7c6d5e4.001.1")
#define NWS_FLOOD   NWS_OID("9c8d7e6f5a4b3c2d1e0f1a2b3c4d5e6f7a8b9c0d.003.1")
#define NWS_SVR     NWS_OID("3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f.002.1")
#define NWS_TEST    NWS_OID("7f6e5d4c3b2a1908f7e6d5c4b3a2918070605040.001.1")
#define NWS_HEAT    NWS_OID("a1b2c3d4e5f60718293a4b5c6d7e8f9001122334.001.1")
#define NWS_TSUNAMI NWS_OID("f0e1d2c3b4a5968778695a4b3c2d1e0f1a2b3c4d.004.1")
#define NINA_DWD                                                                                   \
	"dwdmap.2.49.0.0.276.0.DWD.PVW.1795488600000.4f8e2a1c-7b3d-4c9e-a5f0-1d2e3f4a5b6c.MUL"
#define NINA_MOWAS "mow.DE-BY-M-SE083-20261124-83-000"

static void
test_parse_nws_nina(Fixture *fx, gconstpointer data)
{
	g_autofree char *nws = sr_test_fixture_path("nws", "active_mixed.json");
	g_autofree char *nina = sr_test_fixture_path("nina", "warning_dwd.json");
	g_autoptr(GPtrArray) events = NULL;
	g_autoptr(GPtrArray) dwd = NULL;
	const cJSON *event = NULL;
	int status = -1;

	events = parse_events((const char *const[]){"--source", "nws", nws, NULL}, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpuint(events->len, ==, 7);
	event = find_event(events, "nws:" NWS_TORNADO, "weather", "active", "actual");
	g_assert_cmpstr(sr_json_get_string(event, "severity"), ==, "extreme");
	find_event(events, "nws:" NWS_WIND, "weather", "active", "actual");
	/* an update names the messages it supersedes, oldest first */
	event = find_event(events, "nws:" NWS_FLOOD, "flood", "active", "actual");
	g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(event, "references")), ==, 2);
	g_assert_cmpstr(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(event, "references"), 0)->valuestring, ==,
	    "nws:" NWS_OID("9c8d7e6f5a4b3c2d1e0f1a2b3c4d5e6f7a8b9c0d.001.1"));
	find_event(events, "nws:" NWS_SVR, "weather", "cancelled", "actual");
	/* a Test message is kept as one, never as a real alert */
	find_event(events, "nws:" NWS_TEST, "weather", "active", "test");
	find_event(events, "nws:" NWS_HEAT, "weather", "active", "actual");
	/* an update whose response is AllClear ends what it updates */
	find_event(events, "nws:" NWS_TSUNAMI, "tsunami", "ended", "actual");

	dwd = parse_events((const char *const[]){"--source", "nina", nina, NULL}, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpuint(dwd->len, ==, 1);
	event = find_event(dwd, "nina:" NINA_DWD, "weather", "active", "actual");
	g_assert_cmpstr(sr_json_get_string(event, "source"), ==, "nina");
	g_assert_cmpstr(sr_json_get_string(event, "headline"), ==,
	                "Amtliche WARNUNG vor STURMBÖEN");
	g_assert_cmpstr(sr_json_get_string(event, "language"), ==, "de");
	/* onset 08:00 and expiry 20:00 in Germany's winter time */
	g_assert_cmpstr(sr_json_get_string(event, "started_at"), ==, "2026-11-24T07:00:00Z");
	g_assert_cmpstr(sr_json_get_string(event, "expires_at"), ==, "2026-11-24T19:00:00Z");
}

/* a `cap` source at the loopback server's CAP_PATH, the user at @location */
static void
cap_config(Fixture *fx, const char *location)
{
	g_autofree char *text = g_strdup_printf("[sirena]\n"
	                                        "location=%s\n"
	                                        "[source c]\n"
	                                        "type=cap\n"
	                                        "url=%s" CAP_PATH "\n"
	                                        "interval=0.2\n",
	                                        location, sr_test_server_get_url(fx->server));
	g_assert_true(g_file_set_contents(fx->config, text, -1, NULL));
	g_assert_cmpint(g_chmod(fx->config, 0600), ==, 0);
}

static void
serve_cap(Fixture *fx, const char *dir, const char *fixture)
{
	g_autofree char *path = sr_test_fixture_path(dir, fixture);
	sr_test_server_set_reply_file(fx->server, CAP_PATH, 200, NULL, path);
}

/* the document holds a Test message (a publisher's heartbeat) when the watch starts: its first
 * answer, the baseline, has nothing real in it, so what follows is news */
static Child *
spawn_cap_watch(Fixture *fx, const char *location)
{
	const char *argv[] = {"watch", "--json", "--config", fx->config, NULL};
	Child *child = NULL;
	cap_config(fx, location);
	serve_cap(fx, "cap", "status-test.xml");
	child = spawn(argv);
	wait_requests(fx, CAP_PATH, 2);
	return child;
}

static void
test_watch_cap_chain(Fixture *fx, gconstpointer data)
{
	Child *child = spawn_cap_watch(fx, PINE_VALLEY);
	g_autoptr(cJSON) started = NULL;
	g_autoptr(cJSON) updated = NULL;
	g_autoptr(cJSON) ended = NULL;
	const cJSON *alert = NULL;

	/* the warning: the alert is keyed by its first message */
	serve_cap(fx, "cap-e2e", "alert.xml");
	started = expect_json(child, "started " STORM_ALERT " active [c]");
	g_assert_false(cJSON_IsTrue(cJSON_GetObjectItem(started, "baseline")));
	alert = cJSON_GetObjectItem(started, "alert");
	g_assert_cmpstr(sr_json_get_string(alert, "severity"), ==, "severe");
	g_assert_cmpstr(sr_json_get_string(alert, "headline"), ==,
	                "Severe thunderstorm warning for Pine Valley");
	g_assert_cmpstr(sr_json_get_string(cJSON_GetObjectItem(alert, "area"), "description"), ==,
	                "Pine Valley");
	g_assert_cmpstr(
	    sr_json_get_string(cJSON_GetArrayItem(cJSON_GetObjectItem(started, "events"), 0), "id"),
	    ==, "c:SR-E2E-STORM-1");

	/* its update is the same alert, now extreme, with the new text; once, however often the
	 * document is read */
	serve_cap(fx, "cap-e2e", "update.xml");
	updated = expect_json(child, "updated " STORM_ALERT " active [c]");
	alert = cJSON_GetObjectItem(updated, "alert");
	g_assert_cmpstr(sr_json_get_string(alert, "severity"), ==, "extreme");
	g_assert_cmpstr(sr_json_get_string(alert, "headline"), ==,
	                "Destructive thunderstorm over Pine Valley: take shelter now");
	g_assert_cmpstr(
	    sr_json_get_string(cJSON_GetArrayItem(cJSON_GetObjectItem(updated, "events"), 0), "id"),
	    ==, "c:SR-E2E-STORM-2");
	wait_requests(fx, CAP_PATH, 3);

	/* the cancel names the update, not the first message: it still ends the alert */
	serve_cap(fx, "cap-e2e", "cancel.xml");
	ended = expect_json(child, "ended " STORM_ALERT " ended [c]");
	g_assert_cmpstr(sr_json_get_string(ended, "reason"), ==, "c reports it cancelled");
	g_assert_nonnull(sr_json_get_string(cJSON_GetObjectItem(ended, "alert"), "ended_at"));

	/* the cancel stays on show: nothing more */
	wait_requests(fx, CAP_PATH, 4);
	stop(child);
}

static void
test_watch_cap_elsewhere(Fixture *fx, gconstpointer data)
{
	Child *child = spawn_cap_watch(fx, FAR_AWAY);

	/* the whole chain, each message read several times, for someone outside its polygon */
	serve_cap(fx, "cap-e2e", "alert.xml");
	wait_requests(fx, CAP_PATH, 3);
	serve_cap(fx, "cap-e2e", "update.xml");
	wait_requests(fx, CAP_PATH, 3);
	serve_cap(fx, "cap-e2e", "cancel.xml");
	wait_requests(fx, CAP_PATH, 3);
	/* not one line: stop() fails on any */
	stop(child);
}

/* a CAP date with an offset, as publishers write them */
static char *
cap_time(gint64 t, GTimeZone *zone)
{
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(t);
	g_autoptr(GDateTime) local = g_date_time_to_timezone(utc, zone);
	return g_date_time_format(local, "%Y-%m-%dT%H:%M:%S%:z");
}

static void
test_watch_cap_expiry(Fixture *fx, gconstpointer data)
{
	Child *child = spawn_cap_watch(fx, PINE_VALLEY);
	g_autoptr(GTimeZone) zone = g_time_zone_new_offset(2 * 3600);
	/* long enough to be seen before it expires, even in a slow (sanitizer) build */
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	gint64 expires = now + 3;
	gint64 at = 0;
	g_autofree char *sent_text = cap_time(now, zone);
	g_autofree char *expires_text = cap_time(expires, zone);
	g_autofree char *expires_utc = sr_time_to_rfc3339(expires);
	g_autofree char *body = NULL;
	g_autoptr(cJSON) started = NULL;
	g_autoptr(cJSON) ended = NULL;

	g_assert_true(g_str_has_suffix(expires_text, "+02:00"));
	body = g_strdup_printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                       "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">\n"
	                       "  <identifier>SR-E2E-HEAT-1</identifier>\n"
	                       "  <sender>pine-valley@weather.example.gov</sender>\n"
	                       "  <sent>%s</sent>\n"
	                       "  <status>Actual</status>\n"
	                       "  <msgType>Alert</msgType>\n"
	                       "  <scope>Public</scope>\n"
	                       "  <info>\n"
	                       "    <category>Met</category>\n"
	                       "    <event>Heat Advisory</event>\n"
	                       "    <urgency>Expected</urgency>\n"
	                       "    <severity>Moderate</severity>\n"
	                       "    <certainty>Likely</certainty>\n"
	                       "    <expires>%s</expires>\n"
	                       "    <headline>Heat advisory for Pine Valley</headline>\n"
	                       "    <area>\n"
	                       "      <areaDesc>Pine Valley</areaDesc>\n"
	                       "      <polygon>38.10,-120.50 38.10,-120.10 38.40,-120.10 "
	                       "38.40,-120.50 38.10,-120.50</polygon>\n"
	                       "    </area>\n"
	                       "  </info>\n"
	                       "</alert>\n",
	                       sent_text, expires_text);
	sr_test_server_set_reply(fx->server, CAP_PATH, 200, NULL, body, -1);

	started = expect_json(child, "started c:SR-E2E-HEAT-1:weather active [c]");
	/* the +02:00 expiry, in UTC */
	g_assert_cmpstr(sr_json_get_string(cJSON_GetObjectItem(started, "alert"), "expires_at"), ==,
	                expires_utc);

	/* no end message comes, the document stays as it is: the clock ends it, not earlier */
	ended = expect_json(child, "ended c:SR-E2E-HEAT-1:weather ended [c]");
	g_assert_cmpstr(sr_json_get_string(ended, "reason"), ==,
	                "c: expired without an end message");
	g_assert_true(sr_time_parse_iso8601(sr_json_get_string(ended, "at"), &at));
	g_assert_cmpint(at, >=, expires);
	g_assert_cmpint(g_get_real_time() / G_USEC_PER_SEC, >=, expires);

	/* the expired message stays on show: it is not started again */
	wait_requests(fx, CAP_PATH, 4);
	stop(child);
}

/* cap_feed: an Atom index whose entries link to CAP documents on the same server */

#define FEED_PATH "/cap/index.atom"

typedef struct {
	const char *name;    /* the document is /cap/<name>.xml */
	const char *updated; /* the entry's version */
} FeedEntry;

static void
serve_feed(Fixture *fx, const FeedEntry *entries, guint n)
{
	const char *url = sr_test_server_get_url(fx->server);
	g_autoptr(GString) body = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                                       "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
	                                       "  <id>urn:example:pine-valley:alerts</id>\n"
	                                       "  <title>Pine Valley alerts</title>\n"
	                                       "  <updated>2026-11-24T16:30:00-08:00</updated>\n");
	for (guint i = 0; i < n; i++)
		g_string_append_printf(body,
		                       "  <entry>\n"
		                       "    <id>urn:example:pine-valley:%s</id>\n"
		                       "    <title>%s</title>\n"
		                       "    <updated>%s</updated>\n"
		                       "    <link type=\"application/cap+xml\" "
		                       "href=\"%s/cap/%s.xml\"/>\n"
		                       "  </entry>\n",
		                       entries[i].name, entries[i].name, entries[i].updated, url,
		                       entries[i].name);
	g_string_append(body, "</feed>\n");
	sr_test_server_set_reply(fx->server, FEED_PATH, 200, NULL, body->str, -1);
}

static void
test_watch_cap_feed(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {"watch", "--json", "--config", fx->config, NULL};
	const FeedEntry both[] = {{"storm", "2026-11-24T15:00:00-08:00"},
	                          {"flood", "2026-11-24T16:30:00-08:00"}};
	g_autofree char *storm = sr_test_fixture_path("cap-e2e", "alert.xml");
	g_autofree char *flood = sr_test_fixture_path("cap-e2e", "flood.xml");
	g_autofree char *text = g_strdup_printf("[sirena]\n"
	                                        "location=" PINE_VALLEY "\n"
	                                        "[source feed]\n"
	                                        "type=cap_feed\n"
	                                        "url=%s" FEED_PATH "\n"
	                                        "interval=0.2\n",
	                                        sr_test_server_get_url(fx->server));
	g_autoptr(cJSON) ended = NULL;
	Child *child = NULL;

	g_assert_true(g_file_set_contents(fx->config, text, -1, NULL));
	sr_test_server_set_reply_file(fx->server, "/cap/storm.xml", 200, NULL, storm);
	sr_test_server_set_reply_file(fx->server, "/cap/flood.xml", 200, NULL, flood);
	/* nothing listed when the watch starts */
	serve_feed(fx, NULL, 0);
	child = spawn(argv);
	wait_requests(fx, FEED_PATH, 2);

	/* two entries: each document fetched, each alert started */
	serve_feed(fx, both, 2);
	expect(child, "started feed:SR-E2E-STORM-1:weather active [feed]");
	expect(child, "started feed:SR-E2E-FLOOD-1:flood active [feed]");
	/* read again and again, the index costs no second fetch of an unchanged entry */
	wait_requests(fx, FEED_PATH, 3);
	g_assert_cmpuint(sr_test_server_get_request_count(fx->server, "/cap/storm.xml"), ==, 1);
	g_assert_cmpuint(sr_test_server_get_request_count(fx->server, "/cap/flood.xml"), ==, 1);

	/* the flood warning leaves the index: it ends, the storm goes on */
	serve_feed(fx, both, 1);
	ended = expect_json(child, "ended feed:SR-E2E-FLOOD-1:flood ended [feed]");
	g_assert_cmpstr(sr_json_get_string(ended, "reason"), ==, "feed no longer reports it");
	wait_requests(fx, FEED_PATH, 3);
	g_assert_cmpuint(sr_test_server_get_request_count(fx->server, "/cap/storm.xml"), ==, 1);
	stop(child);
}

/* one time, moved by *@user_data seconds, keeping its offset */
static gboolean
shift_time_cb(const GMatchInfo *info, GString *out, gpointer user_data)
{
	const gint64 *delta = user_data;
	g_autofree char *match = g_match_info_fetch(info, 0);
	g_autoptr(GDateTime) time = g_date_time_new_from_iso8601(match, NULL);
	g_autoptr(GDateTime) moved = NULL;
	g_autofree char *text = NULL;
	if (time == NULL)
		g_error("not a time: '%s'", match);
	moved = g_date_time_add_seconds(time, (gdouble)*delta);
	text = g_date_time_format(moved, "%Y-%m-%dT%H:%M:%S%:z");
	g_string_append(out, text);
	return FALSE;
}

/* the fixture @dir/@name with every RFC 3339 time in it moved by the same amount, so that the
 * moment @captured is now: `watch` reads against the clock and has no --at */
static char *
read_fixture_now(const char *dir, const char *name, const char *captured)
{
	g_autofree char *body = sr_test_read_fixture(dir, name, NULL);
	g_autoptr(GRegex) regex = g_regex_new(
	    "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2})", 0, 0, NULL);
	gint64 then = 0;
	gint64 delta = 0;
	char *shifted = NULL;
	g_assert_true(sr_time_parse_iso8601(captured, &then));
	delta = g_get_real_time() / G_USEC_PER_SEC - then;
	shifted = g_regex_replace_eval(regex, body, -1, 0, 0, shift_time_cb, &delta, NULL);
	g_assert_nonnull(shifted);
	return shifted;
}

#define NWS_PATH "/alerts/active"

static void
test_watch_nws(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {"watch", "--json", "--config", fx->config, NULL};
	/* in Oklahoma City's south-east, inside the tornado warning's polygon; the codes are those
	 * of the wind advisory and of the Test message */
	g_autofree char *text = g_strdup_printf("[sirena]\n"
	                                        "location=35.30,-97.38\n"
	                                        "geocodes=SAME=006075;UGC=AKZ725\n"
	                                        "[source nws]\n"
	                                        "type=nws\n"
	                                        "url=%s\n"
	                                        "contact=e2e@example.org\n"
	                                        "point=35.30,-97.38\n"
	                                        "interval=0.2\n",
	                                        sr_test_server_get_url(fx->server));
	g_autofree char *empty = sr_test_fixture_path("nws", "active_empty.json");
	/* 19:30 UTC on the day of the capture: every message in it that has an expiry is in
	 * force (it gathers a day's shapes, some sent later that day) */
	g_autofree char *mixed =
	    read_fixture_now("nws", "active_mixed.json", "2026-04-14T19:30:00Z");
	g_autofree char *target = NULL;
	g_autofree char *agent = NULL;
	Child *child = NULL;

	g_assert_true(g_file_set_contents(fx->config, text, -1, NULL));
	sr_test_server_set_reply_file(fx->server, NWS_PATH, 200, NULL, empty);
	child = spawn(argv);
	wait_requests(fx, NWS_PATH, 2);
	target = sr_test_server_get_last_target(fx->server, NWS_PATH);
	g_assert_true(g_str_has_prefix(target, NWS_PATH "?point=35.3"));
	agent = sr_test_server_get_last_header(fx->server, NWS_PATH, "User-Agent");
	g_assert_nonnull(strstr(agent, "e2e@example.org"));

	/* the tornado warning by its polygon, the wind advisory by its code; not the Test message
	 * (its code is ours too), not the alerts elsewhere, not the cancel, not the ended update */
	sr_test_server_set_reply(fx->server, NWS_PATH, 200, NULL, mixed, -1);
	expect(child, "started nws:" NWS_TORNADO ":weather active [nws]");
	expect(child, "started nws:" NWS_WIND ":weather active [nws]");
	wait_requests(fx, NWS_PATH, 4);
	stop(child);
}

#define NINA_DASHBOARD "/dashboard/091840000000.json"

static void
test_watch_nina(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {"watch", "--json", "--config", fx->config, NULL};
	/* a Gemeinde in the Landkreis München; no location, no regions: every alert */
	g_autofree char *text = g_strdup_printf("[source nina]\n"
	                                        "type=nina\n"
	                                        "url=%s\n"
	                                        "ars=091840147147\n"
	                                        "interval=0.2\n",
	                                        sr_test_server_get_url(fx->server));
	g_autofree char *empty = sr_test_fixture_path("nina", "dashboard_empty.json");
	/* 08:00 in Germany on the day of the capture: the DWD warning is in force */
	const char *captured = "2026-11-24T07:00:00Z";
	g_autofree char *dashboard = read_fixture_now("cap-e2e", "nina-dashboard.json", captured);
	g_autofree char *dwd = read_fixture_now("nina", "warning_dwd.json", captured);
	g_autofree char *mowas = read_fixture_now("nina", "warning_mowas.json", captured);
	g_autofree char *target = NULL;
	Child *child = NULL;

	g_assert_true(g_file_set_contents(fx->config, text, -1, NULL));
	sr_test_server_set_reply_file(fx->server, NINA_DASHBOARD, 200, NULL, empty);
	child = spawn(argv);
	wait_requests(fx, NINA_DASHBOARD, 2);
	/* only the Kreis is sent, never the Gemeinde */
	target = sr_test_server_get_last_target(fx->server, NINA_DASHBOARD);
	g_assert_cmpstr(target, ==, NINA_DASHBOARD);

	sr_test_server_set_reply(fx->server, "/warnings/" NINA_DWD ".json", 200, NULL, dwd, -1);
	sr_test_server_set_reply(fx->server, "/warnings/" NINA_MOWAS ".json", 200, NULL, mowas, -1);
	sr_test_server_set_reply(fx->server, NINA_DASHBOARD, 200, NULL, dashboard, -1);
	/* in the order they started: the fire at 06:10, the storm gusts from 08:00 */
	expect(child, "started nina:" NINA_MOWAS ":fire active [nina]");
	expect(child, "started nina:" NINA_DWD ":weather active [nina]");
	wait_requests(fx, NINA_DASHBOARD, 3);
	g_assert_cmpuint(
	    sr_test_server_get_request_count(fx->server, "/warnings/" NINA_DWD ".json"), ==, 1);
	g_assert_cmpuint(
	    sr_test_server_get_request_count(fx->server, "/warnings/" NINA_MOWAS ".json"), ==, 1);
	stop(child);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/sr/cli/watch-timeline", test_watch_timeline);
	ADD("/sr/cli/watch-human", test_watch_human);
	ADD("/sr/cli/status", test_status);
	ADD("/sr/cli/status-all-sources", test_status_all_sources);
	ADD("/sr/cli/status-nothing-known", test_status_nothing_known);
	ADD("/sr/cli/parse", test_parse);
	ADD("/sr/cli/misc", test_misc_commands);
	ADD("/sr/cli/status-replay-only", test_status_replay_only);
	ADD("/sr/cli/bad-config", test_bad_config);
	ADD("/sr/cli/demo", test_demo);
	ADD("/sr/cli/watch-oref", test_watch_oref);
	ADD("/sr/cli/watch-oref-human", test_watch_oref_human);
	ADD("/sr/cli/status-oref", test_status_oref);
	ADD("/sr/cli/parse-oref", test_parse_oref);
	ADD("/sr/cli/regions-il", test_regions_il);
	ADD("/sr/cli/parse-cap", test_parse_cap);
	ADD("/sr/cli/parse-nws-nina", test_parse_nws_nina);
	ADD("/sr/cli/watch-cap-chain", test_watch_cap_chain);
	ADD("/sr/cli/watch-cap-elsewhere", test_watch_cap_elsewhere);
	ADD("/sr/cli/watch-cap-expiry", test_watch_cap_expiry);
	ADD("/sr/cli/watch-cap-feed", test_watch_cap_feed);
	ADD("/sr/cli/watch-nws", test_watch_nws);
	ADD("/sr/cli/watch-nina", test_watch_nina);
#undef ADD
	return g_test_run();
}
