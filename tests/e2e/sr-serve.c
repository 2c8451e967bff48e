/* sr-serve.c - the loopback test server as a program: serves files that a script rewrites
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-serve"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>
#include <glib.h>

#include "sr-test-server.h"

/*
 * Usage: sr-serve PATH=FILE...
 *
 * Starts the tests' HTTP server (tests/support/sr-test-server.c) on 127.0.0.1, prints its URL
 * ("http://127.0.0.1:PORT") and a newline on stdout, and answers each PATH (the query string is
 * ignored) with 200 and the contents of FILE, until SIGTERM or SIGINT. A path that is not
 * listed, or whose file does not exist, gets 404.
 *
 * Routes are given explicitly rather than as a directory because upstream paths can be
 * prefixes of each other (Ukraine Alarm's /api/v3/alerts and /api/v3/alerts/status), which no
 * directory tree can hold as two files.
 *
 * The files are read again every SR_SERVE_RELOAD_MS, so a script changes what is served by
 * rewriting them (write a temporary file and rename it over the old one: a reader never sees
 * half a file). When several files change together, write them in the order of the routes on
 * the command line: the files are read last route first and installed first route first, so a
 * client that gets a later route's new content also gets the earlier routes' new content — a
 * change counter written last never announces a body that is not being served yet.
 */

#define SR_SERVE_RELOAD_MS 20

typedef struct {
	char *path;
	char *file;
	GBytes *served; /* what the server has for the path now, NULL for 404 */
} SrServeRoute;

typedef struct {
	SrTestServer *server;
	GPtrArray *routes; /* of SrServeRoute* */
	GMainLoop *loop;
} SrServe;

static void
sr_serve_route_free(SrServeRoute *route)
{
	g_free(route->path);
	g_free(route->file);
	g_clear_pointer(&route->served, g_bytes_unref);
	g_free(route);
}

static gboolean
sr_serve_reload_cb(gpointer user_data)
{
	SrServe *serve = user_data;
	g_autoptr(GPtrArray) contents =
	    g_ptr_array_new_full(serve->routes->len, (GDestroyNotify)g_bytes_unref);

	g_ptr_array_set_size(contents, (gint)serve->routes->len);
	for (guint i = serve->routes->len; i > 0; i--) {
		SrServeRoute *route = g_ptr_array_index(serve->routes, i - 1);
		char *text = NULL;
		gsize len = 0;
		if (g_file_get_contents(route->file, &text, &len, NULL))
			g_ptr_array_index(contents, i - 1) = g_bytes_new_take(text, len);
	}
	for (guint i = 0; i < serve->routes->len; i++) {
		SrServeRoute *route = g_ptr_array_index(serve->routes, i);
		GBytes *now = g_ptr_array_index(contents, i);
		gsize len = 0;
		const char *data = NULL;

		if (now == NULL && route->served == NULL)
			continue;
		if (now != NULL && route->served != NULL && g_bytes_equal(now, route->served))
			continue;
		g_clear_pointer(&route->served, g_bytes_unref);
		if (now == NULL) {
			sr_test_server_clear(serve->server, route->path);
			continue;
		}
		route->served = g_bytes_ref(now);
		data = g_bytes_get_data(now, &len);
		sr_test_server_set_reply(serve->server, route->path, 200,
		                         "Content-Type: application/json", data, (gssize)len);
	}
	return G_SOURCE_CONTINUE;
}

static gboolean
sr_serve_quit_cb(gpointer user_data)
{
	SrServe *serve = user_data;
	g_main_loop_quit(serve->loop);
	return G_SOURCE_CONTINUE;
}

int
main(int argc, char **argv)
{
	SrServe serve = {NULL};
	guint sigterm = 0;
	guint sigint = 0;
	guint reload = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s PATH=FILE...\n", argv[0]);
		return 2;
	}
	serve.routes = g_ptr_array_new_with_free_func((GDestroyNotify)sr_serve_route_free);
	for (int i = 1; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		SrServeRoute *route = NULL;
		if (argv[i][0] != '/' || eq == NULL || eq[1] == '\0') {
			fprintf(stderr, "%s: '%s' is not PATH=FILE (PATH starts with '/')\n",
			        argv[0], argv[i]);
			g_ptr_array_unref(serve.routes);
			return 2;
		}
		route = g_new0(SrServeRoute, 1);
		route->path = g_strndup(argv[i], (gsize)(eq - argv[i]));
		route->file = g_strdup(eq + 1);
		g_ptr_array_add(serve.routes, route);
	}

	serve.server = sr_test_server_new();
	serve.loop = g_main_loop_new(NULL, FALSE);
	sr_serve_reload_cb(&serve);
	printf("%s\n", sr_test_server_get_url(serve.server));
	fflush(stdout);

	reload = g_timeout_add(SR_SERVE_RELOAD_MS, sr_serve_reload_cb, &serve);
	sigterm = g_unix_signal_add(SIGTERM, sr_serve_quit_cb, &serve);
	sigint = g_unix_signal_add(SIGINT, sr_serve_quit_cb, &serve);
	g_main_loop_run(serve.loop);

	g_source_remove(reload);
	g_source_remove(sigterm);
	g_source_remove(sigint);
	g_main_loop_unref(serve.loop);
	sr_test_server_free(serve.server);
	g_ptr_array_unref(serve.routes);
	return 0;
}
