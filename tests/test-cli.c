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
	        "🔴 Update: Missile threat — Tel Aviv - City Center — shelter 90 s — since", NULL});

	/* the all-clear says who ended it */
	serve_oref(fx, "end.json");
	expect_text(child, (const char *const[]){
	                       "🟢 All clear — Tel Aviv - City Center — Missile threat "
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
	    strstr(human, "🔴 Missile threat — Tel Aviv - City Center — shelter 90 s — since"));
	g_assert_null(strstr(human, "Ramat Gan"));

	/* an alert for the whole country: the user's own area and its time to shelter */
	serve_oref(fx, "all-country.json");
	g_free(human);
	human = run(human_argv, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(human, "🔴 Missile threat — Israel (covers Tel Aviv - City Center) "
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
#undef ADD
	return g_test_run();
}
