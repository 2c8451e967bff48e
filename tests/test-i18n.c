/* test-i18n.c - `sirena` and `sirenad` in Ukrainian and Hebrew, JSON that never changes with
 * the language, and colour only for a terminal
 *
 * The test environment runs under C.UTF-8, where glibc ignores LANGUAGE: the Ukrainian and
 * Hebrew locales are compiled into the build tree with localedef (no root needed) and used
 * through LOCPATH; the translations come from the build tree's po/ through SIRENA_LOCALE_DIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <pty.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "sirena/engine.h"
#include "sirena/error.h"
#include "sirena/source.h"
#include "sr-i18n.h"
#include "sr-test-server.h"
#include "sr-test-util.h"

#define AIU_PATH       "/v1/alerts/active.json"
#define UA_PATH        "/api/v3/alerts"
#define UA_STATUS_PATH "/api/v3/alerts/status"
#define OREF_PATH      "/warningMessages/alert/Alerts.json"

static char *locale_root = NULL; /* LOCPATH, or NULL when localedef could not make them */

/* the locales, compiled once per build tree; built aside and renamed, so that tests running
 * at the same time never see half of one */
static gboolean
compile_locale(const char *locale)
{
	g_autofree char *dir = g_build_filename(locale_root, locale, NULL);
	g_autofree char *input = g_strndup(locale, strcspn(locale, "."));
	g_autofree char *tmp = g_strdup_printf("%s.%d", dir, (int)getpid());
	const char *argv[] = {"localedef", "-i", input, "-f", "UTF-8", tmp, NULL};
	if (g_file_test(dir, G_FILE_TEST_IS_DIR))
		return TRUE;
	g_mkdir_with_parents(locale_root, 0755);
	if (!g_spawn_sync(NULL, (char **)argv, NULL,
	                  G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
	                      G_SPAWN_STDERR_TO_DEV_NULL,
	                  NULL, NULL, NULL, NULL, NULL, NULL))
		return FALSE;
	if (g_rename(tmp, dir) != 0) {
		const char *rm[] = {"rm", "-rf", tmp, NULL};
		g_spawn_sync(NULL, (char **)rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
		             NULL, NULL);
	}
	return g_file_test(dir, G_FILE_TEST_IS_DIR);
}

typedef struct {
	SrTestServer *server;
	char *dir;
	char *config;
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	fx->server = sr_test_server_new();
	fx->dir = g_dir_make_tmp("sirena-i18n-XXXXXX", &error);
	g_assert_no_error(error);
	fx->config = g_build_filename(fx->dir, "sirena.conf", NULL);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	const char *rm[] = {"rm", "-rf", fx->dir, NULL};
	g_spawn_sync(NULL, (char **)rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
	             NULL);
	g_free(fx->config);
	g_free(fx->dir);
	sr_test_server_free(fx->server);
}

static void
write_config(Fixture *fx, const char *text)
{
	g_assert_true(g_file_set_contents(fx->config, text, -1, NULL));
	g_assert_cmpint(g_chmod(fx->config, 0600), ==, 0);
}

/* Ukraine: both keyed sources report an air raid in Vyshhorodskyi Raion (ua:74) */
static void
ukraine_setup(Fixture *fx)
{
	const char *url = sr_test_server_get_url(fx->server);
	g_autofree char *config = g_strdup_printf("[sirena]\n"
	                                          "regions=Вишгородський район\n"
	                                          "[source alerts_in_ua]\n"
	                                          "type=alerts_in_ua\n"
	                                          "token=aiu-token\n"
	                                          "url=%s\n"
	                                          "[source ukraine_alarm]\n"
	                                          "type=ukraine_alarm\n"
	                                          "token=ua-token\n"
	                                          "url=%s\n",
	                                          url, url);
	const char *aiu =
	    "{\"alerts\":[{\"id\":5000,\"location_title\":\"t\",\"location_type\":\"raion\","
	    "\"started_at\":\"2026-11-25T06:00:00.000Z\",\"finished_at\":null,"
	    "\"updated_at\":\"2026-11-25T06:00:00.000Z\",\"alert_type\":\"air_raid\","
	    "\"location_uid\":\"74\",\"location_oblast\":\"Київська область\",\"notes\":null,"
	    "\"calculated\":null}],\"meta\":{\"last_updated_at\":\"2026/11/25 06:00:00 +0000\","
	    "\"type\":\"full\"},\"disclaimer\":\"\"}";
	const char *ua =
	    "[{\"regionId\":\"74\",\"regionType\":\"District\",\"regionName\":\"r\","
	    "\"lastUpdate\":\"2026-11-25T06:00:30Z\",\"activeAlerts\":[{\"regionId\":\"74\","
	    "\"regionType\":\"District\",\"type\":\"AIR\",\"lastUpdate\":\"2026-11-25T06:00:30Z\","
	    "\"activeAlertLevels\":[{\"alertLevel\":\"Red\",\"reason\":\"\","
	    "\"createdAt\":\"2026-11-25T06:00:30Z\"}]}]}]";
	write_config(fx, config);
	sr_test_server_set_reply(fx->server, AIU_PATH, 200, NULL, aiu, -1);
	sr_test_server_set_reply(fx->server, UA_PATH, 200, NULL, ua, -1);
	sr_test_server_set_reply(fx->server, UA_STATUS_PATH, 200, NULL, "{\"lastActionIndex\":1}",
	                         -1);
}

/* Israel: a missile alert in Tel Aviv - City Center (il:742), for someone there */
static void
israel_setup(Fixture *fx)
{
	g_autofree char *config =
	    g_strdup_printf("[sirena]\nregions=il:742\n[source oref]\ntype=oref\nurl=%s\n",
	                    sr_test_server_get_url(fx->server));
	g_autofree char *path = sr_test_fixture_path("oref", "missiles.json");
	write_config(fx, config);
	sr_test_server_set_reply_file(fx->server, OREF_PATH, 200, NULL, path);
}

/* running the binaries */

typedef struct {
	const char *lang; /* "uk_UA.UTF-8", or NULL for the test environment's C.UTF-8 */
	gboolean tty_out; /* stdout (and stderr with tty_err) on a pseudo-terminal */
	gboolean tty_err;
	const char *no_color; /* NO_COLOR, NULL: unset */
	const char *term;     /* TERM, NULL: "xterm-256color" */
} RunOptions;

typedef struct {
	char *out;
	char *err;
	char *tty; /* what the pseudo-terminal showed */
	int status;
} Result;

static void
result_clear(Result *result)
{
	g_free(result->out);
	g_free(result->err);
	g_free(result->tty);
}

static void
communicate_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Result *result = user_data;
	g_autoptr(GError) error = NULL;
	char *out = NULL;
	char *err = NULL;
	g_subprocess_communicate_utf8_finish(G_SUBPROCESS(source), res, &out, &err, &error);
	g_assert_no_error(error);
	result->out = out != NULL ? out : g_strdup("");
	result->err = err != NULL ? err : g_strdup("");
}

static void
drain(int master, GString *tty)
{
	char buf[4096];
	ssize_t n = 0;
	while ((n = read(master, buf, sizeof(buf))) > 0)
		g_string_append_len(tty, buf, n);
}

/* runs @program (SIRENA_CLI or SIRENAD) with @argv to its end, serving the loopback server
 * meanwhile */
static void
run_program(const char *program, const RunOptions *options, const char *const *argv, Result *result)
{
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GSubprocess) process = NULL;
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) tty = g_string_new(NULL);
	g_autofree char *locale_dir = g_build_filename(SR_BUILD_ROOT, "po", NULL);
	GSubprocessFlags flags = G_SUBPROCESS_FLAGS_NONE;
	int master = -1;
	int slave = -1;
	gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;

	memset(result, 0, sizeof(*result));
	g_ptr_array_add(args, (gpointer)g_getenv(program));
	for (guint i = 0; argv[i] != NULL; i++)
		g_ptr_array_add(args, (gpointer)argv[i]);
	g_ptr_array_add(args, NULL);

	if (!options->tty_out)
		flags |= G_SUBPROCESS_FLAGS_STDOUT_PIPE;
	if (!options->tty_err)
		flags |= G_SUBPROCESS_FLAGS_STDERR_PIPE;
	launcher = g_subprocess_launcher_new(flags);
	g_subprocess_launcher_setenv(launcher, "SIRENA_LOCALE_DIR", locale_dir, TRUE);
	g_subprocess_launcher_unsetenv(launcher, "LANGUAGE");
	if (options->lang != NULL) {
		g_subprocess_launcher_setenv(launcher, "LOCPATH", locale_root, TRUE);
		g_subprocess_launcher_setenv(launcher, "LANG", options->lang, TRUE);
		g_subprocess_launcher_setenv(launcher, "LC_ALL", options->lang, TRUE);
	}
	if (options->no_color != NULL)
		g_subprocess_launcher_setenv(launcher, "NO_COLOR", options->no_color, TRUE);
	else
		g_subprocess_launcher_unsetenv(launcher, "NO_COLOR");
	g_subprocess_launcher_setenv(
	    launcher, "TERM", options->term != NULL ? options->term : "xterm-256color", TRUE);
	if (options->tty_out || options->tty_err) {
		g_assert_cmpint(openpty(&master, &slave, NULL, NULL, NULL), ==, 0);
		g_assert_cmpint(fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK), ==, 0);
		if (options->tty_out)
			g_subprocess_launcher_take_stdout_fd(launcher, dup(slave));
		if (options->tty_err)
			g_subprocess_launcher_take_stderr_fd(launcher, dup(slave));
	}
	process = g_subprocess_launcher_spawnv(launcher, (const char *const *)args->pdata, &error);
	g_assert_no_error(error);
	/* the child has its copies: the terminal ends when the child does */
	g_clear_object(&launcher);
	if (slave >= 0)
		close(slave);
	g_subprocess_communicate_utf8_async(process, NULL, NULL, communicate_cb, result);
	while (result->out == NULL) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_main_context_iteration(NULL, FALSE);
		if (master >= 0)
			drain(master, tty);
		g_usleep(2000);
	}
	g_assert_true(g_subprocess_wait(process, NULL, NULL));
	if (master >= 0) {
		drain(master, tty);
		close(master);
	}
	result->status = g_subprocess_get_exit_status(process);
	result->tty = g_string_free(g_steal_pointer(&tty), FALSE);
}

static void
run_cli(const RunOptions *options, const char *const *argv, Result *result)
{
	run_program("SIRENA_CLI", options, argv, result);
}

static void
assert_contains(const char *text, const char *const *fragments)
{
	for (guint i = 0; fragments[i] != NULL; i++) {
		if (strstr(text, fragments[i]) == NULL)
			g_error("expected '%s' in:\n%s", fragments[i], text);
	}
}

static void
assert_lacks(const char *text, const char *const *fragments)
{
	for (guint i = 0; fragments[i] != NULL; i++) {
		if (strstr(text, fragments[i]) != NULL)
			g_error("did not expect '%s' in:\n%s", fragments[i], text);
	}
}

static gboolean
need_locales(void)
{
	if (locale_root != NULL)
		return TRUE;
	g_test_skip("localedef cannot compile the uk_UA and he_IL locales");
	return FALSE;
}

/* the tests */

/* `sirena status` in a Ukrainian session: Ukrainian throughout, region names too */
static void
test_status_ukrainian(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {"status", "--standalone", "--config", fx->config, NULL};
	RunOptions uk = {.lang = "uk_UA.UTF-8"};
	RunOptions c = {0};
	Result result;

	if (!need_locales())
		return;
	ukraine_setup(fx);
	/* the same answer in English first: what must not be left over */
	run_cli(&c, argv, &result);
	g_assert_cmpint(result.status, ==, 0);
	assert_contains(result.out,
	                (const char *const[]){"Active alerts (1):", "Air raid alert",
	                                      "Vyshhorodskyi Raion", "Sources:", " ok", NULL});
	result_clear(&result);

	run_cli(&uk, argv, &result);
	g_assert_cmpint(result.status, ==, 0);
	assert_contains(
	    result.out,
	    (const char *const[]){"Активні тривоги (1):", "Повітряна тривога — Вишгородський район",
	                          " — з ", "(триває ", "Джерела:", "alerts_in_ua   працює",
	                          "ukraine_alarm  працює", NULL});
	assert_lacks(result.out,
	             (const char *const[]){"Active alerts", "Air raid alert", "Vyshhorodskyi",
	                                   "Sources:", " ok", "since", "(for ", " min", NULL});
	/* piped: no colour, no symbols */
	assert_lacks(result.out, (const char *const[]){"\033[", "🔴", "✅", NULL});
	g_assert_cmpstr(result.err, ==, "");
	result_clear(&result);
}

/* `sirena status` in a Hebrew session, for an Israeli area: Hebrew names and words */
static void
test_status_hebrew(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {"status", "--standalone", "--config", fx->config, NULL};
	RunOptions he = {.lang = "he_IL.UTF-8"};
	Result result;

	if (!need_locales())
		return;
	israel_setup(fx);
	run_cli(&he, argv, &result);
	g_assert_cmpint(result.status, ==, 0);
	assert_contains(result.out,
	                (const char *const[]){"התרעות פעילות (1):",
	                                      "ירי רקטות וטילים — תל אביב - מרכז העיר — "
	                                      "למרחב המוגן תוך 90 שניות — מאז ",
	                                      "[oref]", "מקורות:", "oref           תקין", NULL});
	assert_lacks(result.out,
	             (const char *const[]){"Active alerts", "Missile threat", "Tel Aviv", "shelter",
	                                   "since", "Sources:", " ok", NULL});
	result_clear(&result);
}

/* errors, usage and `config check` are translated too */
static void
test_messages_ukrainian(Fixture *fx, gconstpointer data)
{
	RunOptions uk = {.lang = "uk_UA.UTF-8"};
	Result result;

	if (!need_locales())
		return;
	run_cli(&uk, (const char *const[]){"--help", NULL}, &result);
	g_assert_cmpint(result.status, ==, 0);
	assert_contains(result.out, (const char *const[]){"Використання: sirena COMMAND",
	                                                  "Команди:", "Код виходу:", NULL});
	assert_lacks(result.out, (const char *const[]){"Usage:", "Commands:", NULL});
	result_clear(&result);

	run_cli(&uk, (const char *const[]){"status", "--help", NULL}, &result);
	assert_contains(result.out, (const char *const[]){"Один раз опитує всі увімкнені джерела",
	                                                  "Ідентифікатор або назва регіону", NULL});
	result_clear(&result);

	run_cli(&uk, (const char *const[]){"bogus", NULL}, &result);
	g_assert_cmpint(result.status, ==, 2);
	g_assert_cmpstr(result.err, ==,
	                "sirena: невідома команда «bogus» (див. `sirena --help`)\n");
	result_clear(&result);

	write_config(fx, "[sirena]\n[source a]\ntype=nope\n");
	run_cli(&uk, (const char *const[]){"config", "check", fx->config, NULL}, &result);
	g_assert_cmpint(result.status, ==, 2);
	assert_contains(result.err,
	                (const char *const[]){"[source a] type: невідомий тип джерела «nope» "
	                                      "(очікувався один із: ",
	                                      NULL});
	result_clear(&result);

	write_config(fx, "[sirena]\nregions=ua:31\n");
	run_cli(&uk, (const char *const[]){"config", "check", fx->config, NULL}, &result);
	g_assert_cmpint(result.status, ==, 0);
	/* ngettext: one region, in Ukrainian */
	assert_contains(result.out, (const char *const[]){"1 регіон\n", NULL});
	result_clear(&result);
}

/* alerts.in.ua answers a body that is not JSON, Ukraine Alarm an HTTP 500 */
static void
source_errors_setup(Fixture *fx)
{
	const char *url = sr_test_server_get_url(fx->server);
	g_autofree char *config = g_strdup_printf("[sirena]\n"
	                                          "[source alerts_in_ua]\n"
	                                          "type=alerts_in_ua\n"
	                                          "token=aiu-token\n"
	                                          "url=%s\n"
	                                          "[source ukraine_alarm]\n"
	                                          "type=ukraine_alarm\n"
	                                          "token=ua-token\n"
	                                          "url=%s\n",
	                                          url, url);
	write_config(fx, config);
	sr_test_server_set_reply(fx->server, AIU_PATH, 200, NULL, "<html>Bad gateway</html>", -1);
	sr_test_server_set_reply(fx->server, UA_PATH, 500, NULL, "upstream down", -1);
	sr_test_server_set_reply(fx->server, UA_STATUS_PATH, 500, NULL, "upstream down", -1);
}

/* the English messages the translations must replace */
static const char *const source_errors_english[] = {
    "failing",           "malformed answer", "the body is not JSON",
    "nested too deeply", " from 127.0.0.1",  NULL};

/* a failing source's error is the library's message (the poller's and the parser's, or the
 * HTTP client's), and reaches `sirena status` translated */
static void
test_source_errors_ukrainian(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {"status", "--standalone", "--config", fx->config, NULL};
	RunOptions uk = {.lang = "uk_UA.UTF-8"};
	RunOptions c = {0};
	Result result;

	if (!need_locales())
		return;
	source_errors_setup(fx);
	/* in English first: what the same failures read like untranslated */
	run_cli(&c, argv, &result);
	g_assert_cmpint(result.status, ==, 1);
	assert_contains(result.out, (const char *const[]){
	                                "Unknown: no source answered. This is NOT an all-clear.",
	                                "failing: malformed answer: the body is not JSON "
	                                "(or is nested too deeply)",
	                                "failing: HTTP 500 from 127.0.0.1: upstream down", NULL});
	result_clear(&result);

	run_cli(&uk, argv, &result);
	g_assert_cmpint(result.status, ==, 1);
	assert_contains(result.out, (const char *const[]){
	                                "Невідомо: жодне джерело не відповіло. Це НЕ відбій "
	                                "тривоги.",
	                                "не працює: пошкоджена відповідь: відповідь не є JSON "
	                                "(або має надто глибоке вкладення)",
	                                "не працює: HTTP 500 від 127.0.0.1: upstream down", NULL});
	assert_lacks(result.out, source_errors_english);
	result_clear(&result);
}

/* the same failures in a Hebrew session */
static void
test_source_errors_hebrew(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {"status", "--standalone", "--config", fx->config, NULL};
	RunOptions he = {.lang = "he_IL.UTF-8"};
	Result result;

	if (!need_locales())
		return;
	source_errors_setup(fx);
	run_cli(&he, argv, &result);
	g_assert_cmpint(result.status, ==, 1);
	assert_contains(result.out, (const char *const[]){
	                                "לא ידוע: אף מקור לא ענה. זה אינו סיום אירוע.",
	                                "נכשל: תשובה פגומה: התשובה אינה JSON (או שהקינון בה "
	                                "עמוק מדי)",
	                                "נכשל: תשובת HTTP 500 מ־127.0.0.1: upstream down", NULL});
	assert_lacks(result.out, source_errors_english);
	result_clear(&result);
}

/* sirenad's startup errors in the session's language */
static void
test_daemon_ukrainian(Fixture *fx, gconstpointer data)
{
	RunOptions uk = {.lang = "uk_UA.UTF-8"};
	g_autofree char *store = g_build_filename(fx->dir, "state.db", NULL);
	Result result;

	if (!need_locales())
		return;
	write_config(fx, "[sirena]\n[source a]\ntype=nope\n");
	run_program("SIRENAD", &uk,
	            (const char *const[]){"--config", fx->config, "--store", store, NULL}, &result);
	g_assert_cmpint(result.status, ==, 2);
	g_assert_true(g_str_has_prefix(result.err, "sirenad: "));
	assert_contains(result.err, (const char *const[]){"невідомий тип джерела «nope»", NULL});
	result_clear(&result);

	run_program("SIRENAD", &uk, (const char *const[]){"--bogus", NULL}, &result);
	g_assert_cmpint(result.status, ==, 2);
	assert_contains(result.err, (const char *const[]){"(див. sirenad --help)", NULL});
	result_clear(&result);
}

/* an RFC 3339 time in JSON is the clock's, not the language's: made equal before comparing */
static char *
without_times(const char *json)
{
	g_autoptr(GRegex) time =
	    g_regex_new("\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9:]+)\"", 0, 0, NULL);
	return g_regex_replace_literal(time, json, -1, 0, "\"TIME\"", 0, NULL);
}

/* --json is a contract: the same bytes in every language */
static void
test_json_untranslated(Fixture *fx, gconstpointer data)
{
	g_autofree char *oref = sr_test_fixture_path("oref", "missiles.json");
	const char *const commands[][8] = {
	    {"regions", "Вишгород", "--json", NULL},
	    {"regions", "Tel Aviv", "--json", NULL},
	    {"sources", "--json", "--config", fx->config, NULL},
	    {"parse", "--source", "oref", "--json", "--at=2026-07-01T09:05:00Z", oref, NULL},
	    {"--version", "--json", NULL},
	};
	const char *status_argv[] = {"status",   "--standalone", "--json",
	                             "--config", fx->config,     NULL};
	const char *const langs[] = {"uk_UA.UTF-8", "he_IL.UTF-8"};

	if (!need_locales())
		return;
	israel_setup(fx);
	for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
		RunOptions c = {0};
		Result english;
		run_cli(&c, commands[i], &english);
		g_assert_cmpint(english.status, ==, 0);
		g_assert_cmpstr(english.out, !=, "");
		for (guint j = 0; j < G_N_ELEMENTS(langs); j++) {
			RunOptions other = {.lang = langs[j]};
			Result translated;
			run_cli(&other, commands[i], &translated);
			g_assert_cmpint(translated.status, ==, 0);
			g_assert_cmpstr(translated.out, ==, english.out);
			result_clear(&translated);
		}
		result_clear(&english);
	}
	/* status: the same but for the clock (when each source answered) */
	for (guint j = 0; j < G_N_ELEMENTS(langs); j++) {
		RunOptions c = {0};
		RunOptions other = {.lang = langs[j]};
		Result english;
		Result translated;
		g_autofree char *a = NULL;
		g_autofree char *b = NULL;
		run_cli(&c, status_argv, &english);
		run_cli(&other, status_argv, &translated);
		g_assert_cmpint(english.status, ==, 0);
		g_assert_cmpint(translated.status, ==, 0);
		a = without_times(english.out);
		b = without_times(translated.out);
		g_assert_cmpstr(b, ==, a);
		g_assert_nonnull(strstr(a, "\"kind\":\"missile\""));
		result_clear(&english);
		result_clear(&translated);
	}
}

/* colour and symbols on a terminal only; NO_COLOR (not empty) and TERM=dumb turn colour off */
static void
test_color(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {"status", "--standalone", "--config", fx->config, NULL};
	Result result;

	israel_setup(fx);
	{
		RunOptions tty = {.tty_out = TRUE};
		run_cli(&tty, argv, &result);
		g_assert_cmpint(result.status, ==, 0);
		assert_contains(result.tty, (const char *const[]){"\033[1;31mMissile threat\033[0m",
		                                                  "🔴 ", "✅ ", NULL});
		result_clear(&result);
	}
	{
		RunOptions pipe = {0};
		run_cli(&pipe, argv, &result);
		assert_contains(result.out, (const char *const[]){"Missile threat", NULL});
		assert_lacks(result.out, (const char *const[]){"\033", "🔴", "✅", NULL});
		result_clear(&result);
	}
	{
		RunOptions no_color = {.tty_out = TRUE, .no_color = "1"};
		run_cli(&no_color, argv, &result);
		assert_contains(result.tty, (const char *const[]){"🔴 Missile threat", NULL});
		assert_lacks(result.tty, (const char *const[]){"\033", NULL});
		result_clear(&result);
	}
	{
		/* https://no-color.org: an empty NO_COLOR does not count */
		RunOptions empty = {.tty_out = TRUE, .no_color = ""};
		run_cli(&empty, argv, &result);
		assert_contains(result.tty, (const char *const[]){"\033[1;31m", NULL});
		result_clear(&result);
	}
	{
		RunOptions dumb = {.tty_out = TRUE, .term = "dumb"};
		run_cli(&dumb, argv, &result);
		assert_contains(result.tty, (const char *const[]){"Missile threat", NULL});
		assert_lacks(result.tty, (const char *const[]){"\033", NULL});
		result_clear(&result);
	}
}

/* progress goes to stderr, and only when stderr is a terminal; stdout stays clean */
static void
test_progress(Fixture *fx, gconstpointer data)
{
	const char *argv[] = {"status", "--standalone", "--config", fx->config, NULL};
	Result result;

	israel_setup(fx);
	{
		RunOptions tty_err = {.tty_err = TRUE};
		run_cli(&tty_err, argv, &result);
		g_assert_cmpint(result.status, ==, 0);
		assert_contains(result.tty,
		                (const char *const[]){"\rAsking 1 source…", "\r\033[K", NULL});
		assert_lacks(result.out, (const char *const[]){"\033", "Asking", NULL});
		result_clear(&result);
	}
	{
		RunOptions piped = {0};
		run_cli(&piped, argv, &result);
		assert_lacks(result.err, (const char *const[]){"Asking", "\033", NULL});
		result_clear(&result);
	}
}

/* in-process Ukrainian with the build tree's catalog, for what a library call returns;
 * FALSE (the test skipped) without the compiled locales */
static gboolean
enter_ukrainian(void)
{
	if (!need_locales())
		return FALSE;
	/* glibc reads LOCPATH at setlocale(); LANGUAGE would take over from it */
	g_setenv("LOCPATH", locale_root, TRUE);
	g_unsetenv("LANGUAGE");
	g_assert_nonnull(setlocale(LC_ALL, "uk_UA.UTF-8"));
	g_assert_nonnull(bindtextdomain(GETTEXT_PACKAGE, g_getenv("SIRENA_LOCALE_DIR")));
	g_assert_nonnull(bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8"));
	return TRUE;
}

static void
leave_ukrainian(void)
{
	setlocale(LC_ALL, "C");
	g_unsetenv("LOCPATH");
}

/* why an alert ended, as a person reads it after the all-clear: the engine's English reason in
 * Ukrainian, with the source name as the subject; an upstream's own words stay as they are */
static void
test_reasons_ukrainian(void)
{
	g_autofree char *gone = NULL;
	g_autofree char *upstream = NULL;

	if (!enter_ukrainian())
		return;
	gone = sr_change_reason_localize("alerts_in_ua no longer reports it");
	upstream = sr_change_reason_localize("oref: האירוע הסתיים");
	leave_ukrainian();

	g_assert_cmpstr(gone, ==, "alerts_in_ua більше не повідомляє про неї");
	g_assert_cmpstr(upstream, ==, "oref: האירוע הסתיים");
}

/* a source without its key says where to get one: the sentence and the source's own hint are
 * two messages, and both are in Ukrainian */
static void
test_token_hint_ukrainian(void)
{
	const SrSourceOps *ops = sr_source_registry_lookup("alerts_in_ua");
	g_autoptr(SrSourceConfig) config = NULL;
	g_autoptr(GError) error = NULL;
	SrRequest request = {NULL, NULL};
	gboolean built = FALSE;

	g_assert_nonnull(ops);
	config = sr_source_config_new("тривоги", ops);
	if (!enter_ukrainian())
		return;
	built = ops->build_request(config, SR_REQUEST_MAIN, &request, &error);
	leave_ukrainian();

	g_assert_false(built);
	g_assert_error(error, SR_ERROR, SR_ERROR_CONFIG);
	g_assert_cmpstr(error->message, ==,
	                "джерелу «тривоги» потрібен token=: запросіть токен на "
	                "https://alerts.in.ua/api-request і вкажіть його в token=");
	g_assert_null(request.url);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	locale_root = g_build_filename(SR_BUILD_ROOT, "tests", "test-locales", NULL);
	if (!compile_locale("uk_UA.UTF-8") || !compile_locale("he_IL.UTF-8"))
		g_clear_pointer(&locale_root, g_free);

#define ADD(path, fn)                                                                              \
	g_test_add("/sr/i18n/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("status-ukrainian", test_status_ukrainian);
	ADD("status-hebrew", test_status_hebrew);
	ADD("messages-ukrainian", test_messages_ukrainian);
	ADD("source-errors-ukrainian", test_source_errors_ukrainian);
	ADD("source-errors-hebrew", test_source_errors_hebrew);
	ADD("daemon-ukrainian", test_daemon_ukrainian);
	ADD("json-untranslated", test_json_untranslated);
	ADD("color", test_color);
	ADD("progress", test_progress);
	g_test_add_func("/sr/i18n/reasons-ukrainian", test_reasons_ukrainian);
	g_test_add_func("/sr/i18n/token-hint-ukrainian", test_token_hint_ukrainian);
	return g_test_run();
}
