/* test-secrets.c - no token and no proxy password in any output of sirena or sirenad
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-test-secrets"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "sr-test-notifyd.h"
#include "sr-test-server.h"
#include "sr-test-util.h"

#define TOKEN    "SECRET-TOKEN-4f2a91"
#define PASSWORD "PROXY-PASS-77c1"
/* halves, in case an output wraps a line in the middle of a secret */
#define TOKEN_A    "SECRET-TOKE"
#define TOKEN_B    "N-4f2a91"
#define PASSWORD_A "PROXY-PA"
#define PASSWORD_B "SS-77c1"

/* every upstream answer below echoes the secrets, as a careless or hostile server would */
#define ECHO "{\"message\":\"invalid token " TOKEN " (proxy user:" PASSWORD ")\"}"

typedef struct {
	SrTestServer *server;
	char *dir;
	char *config;
	char *store;
	char *stdout_path;
	char *stderr_path;
	guint n_run;
	GString *leaks; /* every secret found, reported together at the end of the test */
} Fixture;

static void
serve_all(Fixture *fx)
{
	/* alerts.in.ua answering 401, ukraine_alarm 403, alerts.in.ua 500 and a malformed 200 */
	sr_test_server_set_reply(fx->server, "/s401/v1/alerts/active.json", 401, NULL, ECHO, -1);
	sr_test_server_set_reply(fx->server, "/s403/api/v3/alerts", 403, NULL, ECHO, -1);
	sr_test_server_set_reply(fx->server, "/s403/api/v3/alerts/status", 403, NULL, ECHO, -1);
	/* a 5xx body is quoted in the error unless it echoes what the request carried */
	sr_test_server_set_reply(fx->server, "/s500/v1/alerts/active.json", 500, "X-Echo: " TOKEN,
	                         "{\"message\":\"invalid token " TOKEN "\"}", -1);
	sr_test_server_set_reply(fx->server, "/sbad/v1/alerts/active.json", 200, NULL,
	                         "{\"alerts\":[\"" TOKEN "\"," PASSWORD, -1);
	/* the loopback server standing in for the proxy refuses the credentials */
	sr_test_server_set_reply(fx->server, "/sproxy/v1/alerts/active.json", 407,
	                         "Proxy-Authenticate: Basic realm=\"" PASSWORD "\"", ECHO, -1);
}

static char *
config_text(Fixture *fx)
{
	const char *url = sr_test_server_get_url(fx->server);
	/* "http://127.0.0.1:PORT" */
	const char *port = strrchr(url, ':') + 1;
	return g_strdup_printf("[sirena]\n"
	                       "regions=Київська область\n"
	                       "[source s401]\n"
	                       "type=alerts_in_ua\n"
	                       "token=" TOKEN "\n"
	                       "url=%s/s401\n"
	                       "interval=0.2\n"
	                       "[source s403]\n"
	                       "type=ukraine_alarm\n"
	                       "token=" TOKEN "\n"
	                       "url=%s/s403\n"
	                       "interval=0.2\n"
	                       "[source s500]\n"
	                       "type=alerts_in_ua\n"
	                       "token=" TOKEN "\n"
	                       "url=%s/s500\n"
	                       "interval=0.2\n"
	                       "[source sbad]\n"
	                       "type=alerts_in_ua\n"
	                       "token=" TOKEN "\n"
	                       "url=%s/sbad\n"
	                       "interval=0.2\n"
	                       "[source sproxy]\n"
	                       "type=alerts_in_ua\n"
	                       "token=" TOKEN "\n"
	                       "url=%s/sproxy\n"
	                       "proxy=http://user:" PASSWORD "@127.0.0.1:%s\n"
	                       "interval=0.2\n"
	                       "[source sdead]\n"
	                       "type=alerts_in_ua\n"
	                       "token=" TOKEN "\n"
	                       "url=%s/sdead\n"
	                       "proxy=http://user:" PASSWORD "@127.0.0.1:1\n"
	                       "interval=0.2\n",
	                       url, url, url, url, url, port, url);
}

static void
write_config(Fixture *fx, const char *text, int mode)
{
	g_assert_true(g_file_set_contents(fx->config, text, -1, NULL));
	g_assert_cmpint(g_chmod(fx->config, mode), ==, 0);
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;
	fx->server = sr_test_server_new();
	fx->dir = g_dir_make_tmp("sirena-secrets-XXXXXX", &error);
	g_assert_no_error(error);
	fx->config = g_build_filename(fx->dir, "sirena.conf", NULL);
	fx->store = g_build_filename(fx->dir, "state", "sirena.db", NULL);
	fx->stdout_path = g_build_filename(fx->dir, "stdout", NULL);
	fx->stderr_path = g_build_filename(fx->dir, "stderr", NULL);
	fx->leaks = g_string_new(NULL);
	serve_all(fx);
	text = config_text(fx);
	write_config(fx, text, 0600);
}

/* notes every secret or half of one that @what (@len bytes, not necessarily text) holds, with
 * the line it is on; check_leaks() fails the test on them */
static void
find_secrets(Fixture *fx, const char *what, const char *text, gsize len)
{
	const char *needles[] = {TOKEN_A, TOKEN_B, PASSWORD_A, PASSWORD_B, NULL};
	for (guint i = 0; needles[i] != NULL; i++) {
		const char *hit = g_strstr_len(text, len, needles[i]);
		const char *start = hit;
		const char *end = hit;
		g_autofree char *line = NULL;
		if (hit == NULL)
			continue;
		while (start > text && start[-1] != '\n')
			start--;
		while (end < text + len && *end != '\n')
			end++;
		line = g_strndup(start, MIN(end - start, 400));
		g_string_append_printf(fx->leaks, "%s holds '%s': %s\n", what, needles[i], line);
	}
}

static void
check_leaks(Fixture *fx)
{
	if (fx->leaks->len > 0)
		g_error("secrets in the output:\n%s", fx->leaks->str);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", fx->dir);
	check_leaks(fx);
	g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL));
	sr_test_server_free(fx->server);
	g_free(fx->config);
	g_free(fx->store);
	g_free(fx->stdout_path);
	g_free(fx->stderr_path);
	g_free(fx->dir);
	g_string_free(fx->leaks, TRUE);
}

static char *
read_all(const char *path, gsize *len)
{
	g_autoptr(GError) error = NULL;
	char *data = NULL;
	g_file_get_contents(path, &data, len, &error);
	g_assert_no_error(error);
	return data;
}

/* a launcher with stdout and stderr in files (a pipe nobody reads could stall the child) and
 * every log level on */
static GSubprocessLauncher *
launcher_new(Fixture *fx)
{
	GSubprocessLauncher *launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_NONE);
	g_subprocess_launcher_set_stdout_file_path(launcher, fx->stdout_path);
	g_subprocess_launcher_set_stderr_file_path(launcher, fx->stderr_path);
	g_subprocess_launcher_setenv(launcher, "G_MESSAGES_DEBUG", "all", TRUE);
	return launcher;
}

/* checks both output files of the last child; returns its stdout */
static char *
collect(Fixture *fx, const char *what)
{
	gsize out_len = 0;
	gsize err_len = 0;
	g_autofree char *out = read_all(fx->stdout_path, &out_len);
	g_autofree char *err = read_all(fx->stderr_path, &err_len);
	g_autofree char *out_what = g_strdup_printf("stdout of %s", what);
	g_autofree char *err_what = g_strdup_printf("stderr of %s", what);
	find_secrets(fx, out_what, out, out_len);
	find_secrets(fx, err_what, err, err_len);
	fx->n_run++;
	return g_strconcat(out, err, NULL);
}

/* runs `sirena ARGS…` to its end; returns stdout and stderr together */
static char *
run_cli(Fixture *fx, const char *const *args, int *status)
{
	g_autoptr(GSubprocessLauncher) launcher = launcher_new(fx);
	g_autoptr(GSubprocess) child = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	g_autofree char *what = NULL;
	g_ptr_array_add(argv, (gpointer)g_getenv("SIRENA_CLI"));
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	what = g_strjoinv(" ", (char **)argv->pdata);
	child = g_subprocess_launcher_spawnv(launcher, (const char *const *)argv->pdata, &error);
	g_assert_no_error(error);
	g_assert_true(g_subprocess_wait(child, NULL, NULL));
	g_assert_true(g_subprocess_get_if_exited(child));
	*status = g_subprocess_get_exit_status(child);
	return collect(fx, what);
}

/* every command a user would run with this configuration, quiet and verbose */
static void
test_cli(Fixture *fx, gconstpointer data)
{
	const char *commands[][3] = {
	    {"status", NULL, NULL},      {"status", "--json", NULL}, {"sources", NULL, NULL},
	    {"sources", "--json", NULL}, {"config", "check", NULL},
	};
	for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
		for (guint verbose = 0; verbose < 2; verbose++) {
			g_autoptr(GPtrArray) args = g_ptr_array_new();
			g_autofree char *out = NULL;
			int status = -1;
			for (guint j = 0; j < 3 && commands[i][j] != NULL; j++)
				g_ptr_array_add(args, (gpointer)commands[i][j]);
			g_ptr_array_add(args, "--standalone");
			g_ptr_array_add(args, "--config");
			g_ptr_array_add(args, fx->config);
			if (verbose)
				g_ptr_array_add(args, "--verbose");
			g_ptr_array_add(args, NULL);
			out = run_cli(fx, (const char *const *)args->pdata, &status);
			g_test_message("sirena %s%s%s: exit %d", commands[i][0],
			               commands[i][1] != NULL ? " " : "",
			               commands[i][1] != NULL ? commands[i][1] : "", status);
			/* a run that fetched must name the failing sources, or it proved little */
			if (g_strcmp0(commands[i][0], "config") != 0)
				g_assert_nonnull(strstr(out, "s401"));
		}
	}
	/* the server really was asked, through the proxy too, and saw the secrets: they were sent
	 */
	g_assert_cmpuint(
	    sr_test_server_get_request_count(fx->server, "/s401/v1/alerts/active.json"), >, 0);
	g_assert_cmpuint(
	    sr_test_server_get_request_count(fx->server, "/sproxy/v1/alerts/active.json"), >, 0);
	{
		g_autofree char *auth = sr_test_server_get_last_header(
		    fx->server, "/s401/v1/alerts/active.json", "Authorization");
		g_assert_cmpstr(auth, ==, "Bearer " TOKEN);
	}
}

/* `sirena watch --json --verbose` for a few seconds of failing polls */
static void
test_watch(Fixture *fx, gconstpointer data)
{
	g_autoptr(GSubprocessLauncher) launcher = launcher_new(fx);
	g_autoptr(GSubprocess) child = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *out = NULL;
	const char *argv[] = {g_getenv("SIRENA_CLI"), "watch",    "--json",   "--verbose",
	                      "--standalone",         "--config", fx->config, NULL};
	child = g_subprocess_launcher_spawnv(launcher, argv, &error);
	g_assert_no_error(error);
	g_usleep(3 * G_USEC_PER_SEC);
	g_subprocess_send_signal(child, SIGTERM);
	g_assert_true(g_subprocess_wait(child, NULL, NULL));
	out = collect(fx, "sirena watch --json --verbose");
	g_assert_nonnull(strstr(out, "s403"));
	g_assert_cmpuint(sr_test_server_get_request_count(fx->server, "/s403/api/v3/alerts/status"),
	                 >, 1);
}

/* a configuration that breaks in the middle of a token: the error does not quote it */
static void
test_broken_config(Fixture *fx, gconstpointer data)
{
	const char *const texts[] = {
	    /* the token wrapped onto a second line */
	    "[source a]\ntype=alerts_in_ua\ntoken=" TOKEN_A "\n" TOKEN_B "\n",
	    /* a control byte inside the token */
	    "[source a]\ntype=alerts_in_ua\ntoken=" TOKEN_A "\t" TOKEN_B "\n",
	    /* a proxy URL that is not allowed, with a password */
	    "[source a]\ntype=alerts_in_ua\ntoken=" TOKEN "\nproxy=ftp://u:" PASSWORD "@h:1\n",
	    /* a proxy URL with a path */
	    "[source a]\ntype=alerts_in_ua\ntoken=" TOKEN "\nproxy=http://u:" PASSWORD "@h:1/p\n",
	    /* an unknown key next to the token */
	    "[source a]\ntype=alerts_in_ua\ntoken=" TOKEN "\ntokn=" TOKEN "\n",
	};
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		const char *args[] = {"config", "check", "--config", fx->config, "--verbose", NULL};
		g_autofree char *out = NULL;
		int status = -1;
		write_config(fx, texts[i], 0600);
		out = run_cli(fx, args, &status);
		g_test_message("broken config %u: exit %d: %s", i, status, out);
		/* the first four are refused, the misspelt key is only warned about */
		g_assert_cmpint(status, ==, i < 4 ? 2 : 0);
	}
}

/* a file with a secret that others can read gets a warning, on every command that loads it */
static void
test_permissions(Fixture *fx, gconstpointer data)
{
	const char *args[] = {"config", "check", "--config", fx->config, NULL};
	g_autofree char *text = config_text(fx);
	g_autofree char *private = NULL;
	g_autofree char *group = NULL;
	g_autofree char *world = NULL;
	g_autofree char *password = NULL;
	int status = -1;

	write_config(fx, text, 0600);
	private = run_cli(fx, args, &status);
	g_assert_null(strstr(private, "other users can read it"));

	write_config(fx, text, 0640);
	group = run_cli(fx, args, &status);
	g_assert_nonnull(strstr(group, "holds an API token but other users can read it"));
	g_assert_nonnull(strstr(group, "chmod 600"));

	write_config(fx, text, 0604);
	world = run_cli(fx, args, &status);
	g_assert_nonnull(strstr(world, "holds an API token but other users can read it"));

	/* a proxy password alone is a secret too */
	write_config(fx, "[source a]\ntype=oref\nproxy=http://u:" PASSWORD "@127.0.0.1:1\n", 0644);
	password = run_cli(fx, args, &status);
	g_assert_nonnull(strstr(password, "holds a proxy password but other users can read it"));
}

/* sirenad */

static char *
call_daemon(Fixture *fx, GDBusConnection *bus, const char *method)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autofree char *what = g_strdup_printf("the reply to %s", method);
	char *json = NULL;
	reply = g_dbus_connection_call_sync(
	    bus, "org.sirena.Sirena1", "/org/sirena/Sirena1", "org.sirena.Sirena1", method, NULL,
	    G_VARIANT_TYPE("(s)"), G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(s)", &json);
	find_secrets(fx, what, json, strlen(json));
	return json;
}

/* sirenad with every log level on, polling the failing sources for a few seconds, and asked
 * what it knows over D-Bus */
static void
test_daemon(Fixture *fx, gconstpointer data)
{
	g_autoptr(GTestDBus) test_bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_autoptr(SrTestNotifyd) notifyd = NULL;
	g_autoptr(GDBusConnection) bus = NULL;
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GSubprocess) daemon = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *sources = NULL;
	g_autofree char *state = NULL;
	g_autofree char *alerts = NULL;
	g_autofree char *out = NULL;
	const char *argv[] = {g_getenv("SIRENAD"), "--config",  fx->config, "--store",
	                      fx->store,           "--verbose", NULL};

	g_test_dbus_up(test_bus);
	notifyd = sr_test_notifyd_new(g_test_dbus_get_bus_address(test_bus), NULL);
	bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);
	g_assert_no_error(error);

	launcher = launcher_new(fx);
	daemon = g_subprocess_launcher_spawnv(launcher, argv, &error);
	g_assert_no_error(error);
	sr_test_wait_sirenad(bus, 10);
	/* a few failed polls of each source, and a reload in between */
	g_usleep(2 * G_USEC_PER_SEC);
	g_subprocess_send_signal(daemon, SIGHUP);
	g_usleep(2 * G_USEC_PER_SEC);

	sources = call_daemon(fx, bus, "GetSources");
	state = call_daemon(fx, bus, "GetState");
	alerts = call_daemon(fx, bus, "GetActiveAlerts");
	/* the replies are about the failing sources: the test looked at the right thing */
	g_assert_nonnull(strstr(sources, "s401"));
	g_assert_nonnull(strstr(sources, "sproxy"));

	g_subprocess_send_signal(daemon, SIGTERM);
	g_assert_true(g_subprocess_wait(daemon, NULL, NULL));
	g_assert_true(g_subprocess_get_if_exited(daemon));
	g_assert_cmpint(g_subprocess_get_exit_status(daemon), ==, 0);
	out = collect(fx, "sirenad --verbose");
	g_assert_cmpuint(
	    sr_test_server_get_request_count(fx->server, "/s500/v1/alerts/active.json"), >, 1);
	g_assert_cmpuint(
	    sr_test_server_get_request_count(fx->server, "/sproxy/v1/alerts/active.json"), >, 1);

	/* nor does the store hold them: it is a file a backup may copy */
	{
		gsize len = 0;
		g_autofree char *db = read_all(fx->store, &len);
		find_secrets(fx, "the store", db, len);
	}

	g_clear_object(&bus);
	g_clear_pointer(&notifyd, sr_test_notifyd_free);
	g_test_dbus_down(test_bus);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/sr/secrets/cli", test_cli);
	ADD("/sr/secrets/watch", test_watch);
	ADD("/sr/secrets/broken-config", test_broken_config);
	ADD("/sr/secrets/permissions", test_permissions);
	ADD("/sr/secrets/daemon", test_daemon);
#undef ADD
	return g_test_run();
}
