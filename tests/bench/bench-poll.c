/* bench-poll.c - the CPU cost of one poll cycle against the loopback test server
 *
 * The poller runs on this program's main thread (its SrHttp on the default main context); the
 * test server answers from a thread of its own. The figure is the main thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID) from sending a poll to the engine having the answer, so the server's
 * work is not counted; everything the daemon's poller does is: libcurl, the conditional request,
 * the parse, the engine's submit.
 *
 * - "304": sr_poller_poll_once() answered 304 Not Modified (the server sends an ETag and honours
 *   If-None-Match) over the reused keep-alive connection; goal <= 100 us.
 * - "200 100 KB": answered 200 with a ~100 KB body (no validator), parsed and submitted;
 *   goal <= 2 ms.
 * - Ukraine Alarm has no conditional requests: its cheap cycle is the change-counter probe
 *   (/api/v3/alerts/status) that comes back unchanged, measured with the poller's own timer
 *   (sr_poller_start, interval 50 ms) as CPU time per probe.
 *
 * Each figure is the median of many cycles; the TCP connection count is checked so that a
 * cycle that reconnected would show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-poll"

#include "config.h"

#include <math.h>
#include <string.h>

#include "bench-bodies.h"
#include "bench-util.h"
#include "sirena/engine.h"
#include "sirena/poller.h"
#include "sr-test-server.h"
#include "sr-test-util.h"

typedef struct {
	const char *type;
	const char *path; /* of the main request */
	char *(*body)(const SrCatalog *catalog);
} PollCase;

static char *
body_alerts_in_ua(const SrCatalog *catalog)
{
	return sr_bench_gen_alerts_in_ua(catalog, 253);
}

static char *
body_ukraine_alarm(const SrCatalog *catalog)
{
	guint n = 0;
	return sr_bench_gen_ukraine_alarm(catalog, 140, &n);
}

static char *
body_nws(const SrCatalog *catalog)
{
	return sr_bench_gen_nws(46);
}

static const PollCase cases[] = {
    {"alerts_in_ua", "/v1/alerts/active.json", body_alerts_in_ua},
    {"nws", "/alerts/active", body_nws},
    {"ukraine_alarm", "/api/v3/alerts", body_ukraine_alarm},
};

static void
done_cb(gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
}

static SrSourceConfig *
make_config(const PollCase *c, SrTestServer *server)
{
	SrSourceConfig *config = sr_source_config_new(c->type, sr_source_registry_lookup(c->type));
	g_free(config->url);
	config->url = g_strdup(sr_test_server_get_url(server));
	config->token = g_strdup("bench-token");
	config->interval = 3600;
	g_hash_table_insert(config->extra, g_strdup("area"), g_strdup("OK"));
	g_hash_table_insert(config->extra, g_strdup("contact"), g_strdup("bench@example.org"));
	return config;
}

/* median main-thread CPU microseconds of one poll_once cycle, after a first one; with
 * @bodies, the answer at @path alternates between the two (the poller does not parse a body
 * again that is byte for byte the last one, so a body that never changes would cost no parse) */
static double
poll_once_cost(SrPoller *poller, SrTestServer *server, guint cycles, guint *connections,
               const char *path, const char *const *bodies)
{
	double *us = g_new0(double, cycles);
	double median = 0;
	guint before = 0;
	for (guint i = 0; i <= cycles; i++) {
		gboolean done = FALSE;
		gint64 t0 = 0;
		if (bodies != NULL)
			sr_test_server_set_reply(
			    server, path, 200, "Content-Type: application/json", bodies[i % 2], -1);
		t0 = sr_bench_thread_cpu_ns();
		sr_poller_poll_once(poller, G_CALLBACK(done_cb), &done);
		while (!done)
			g_main_context_iteration(NULL, TRUE);
		if (i > 0)
			us[i - 1] = (sr_bench_thread_cpu_ns() - t0) / 1e3;
		else
			before = sr_test_server_get_connection_count(server);
	}
	*connections = sr_test_server_get_connection_count(server) - before;
	median = sr_bench_median(us, cycles);
	g_free(us);
	return median;
}

static void
bench_case(const PollCase *c, guint cycles)
{
	const SrCatalog *catalog = sr_test_catalog();
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autofree char *body = c->body(catalog);
	g_autofree char *spaced = g_strconcat(body, " ", NULL);
	g_autoptr(SrSourceConfig) config = make_config(c, server);
	g_autoptr(SrEngine) engine = sr_engine_new(catalog);
	g_autoptr(SrHttp) http = sr_http_new(NULL, "sirena-bench");
	g_autoptr(SrPoller) poller = sr_poller_new(engine, http, catalog);
	g_autofree char *name = NULL;
	g_autofree char *note = NULL;
	guint connections = 0;
	guint requests = 0;
	double us = 0;
	const SrSourceHealth *health = NULL;

	sr_poller_add_source(poller, config);

	/* 200 with a ~100 KB body, every time; every other one ends in a space, so that each is
	 * parsed (and its unchanged alerts diffed by the engine) */
	us = poll_once_cost(poller, server, cycles, &connections, c->path,
	                    (const char *const[]){body, spaced});
	requests = sr_test_server_get_request_count(server, c->path);
	health = sr_engine_get_source(engine, c->type);
	g_assert_cmpint(health->state, ==, SR_SOURCE_STATE_OK);
	g_assert_cmpuint(requests, ==, cycles + 1);
	g_assert_cmpuint(sr_poller_get_parse_count(poller, c->type), ==, cycles + 1);
	name = g_strdup_printf("poll/%s 200 100 KB", c->type);
	note = g_strdup_printf("%.0f KB body, %u new connections in %u polls", strlen(body) / 1e3,
	                       connections, cycles);
	sr_bench_report(name, us / 1e3, "ms", 2.0, SR_BENCH_LOWER, 1.0, note);

	if (sr_source_registry_lookup(c->type)->conditional) {
		sr_test_server_set_reply(server, c->path, 200,
		                         "Content-Type: application/json\nETag: \"bench-1\"", body,
		                         -1);
		/* the first poll gets the body and its ETag; every later one is a 304 */
		us = poll_once_cost(poller, server, cycles * 4, &connections, NULL, NULL);
		g_free(name);
		g_free(note);
		name = g_strdup_printf("poll/%s 304", c->type);
		note = g_strdup_printf("%u new connections in %u polls", connections, cycles * 4);
		sr_bench_report(name, us, "us", 100, SR_BENCH_LOWER, 100, note);
	}
}

/* Ukraine Alarm: the poller's own schedule, the change counter unchanged */
static void
bench_probe(double seconds)
{
	const SrCatalog *catalog = sr_test_catalog();
	const PollCase *c = &cases[2];
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autofree char *body = c->body(catalog);
	g_autoptr(SrSourceConfig) config = make_config(c, server);
	g_autoptr(SrEngine) engine = sr_engine_new(catalog);
	g_autoptr(SrHttp) http = sr_http_new(NULL, "sirena-bench");
	g_autoptr(SrPoller) poller = sr_poller_new(engine, http, catalog);
	g_autofree char *note = NULL;
	guint probes = 0;
	guint connections = 0;
	gint64 t0 = 0;
	gint64 cpu = 0;
	gint64 end = 0;

	config->interval = 0.05;
	sr_test_server_set_reply(server, c->path, 200, NULL, body, -1);
	sr_test_server_set_reply(server, "/api/v3/alerts/status", 200, NULL,
	                         "{\"lastActionIndex\":42}", -1);
	sr_poller_add_source(poller, config);
	sr_poller_start(poller);
	/* settle: the first probe and the main request */
	end = g_get_monotonic_time() + G_USEC_PER_SEC / 2;
	while (g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, TRUE);
	probes = sr_test_server_get_request_count(server, "/api/v3/alerts/status");
	connections = sr_test_server_get_connection_count(server);
	g_assert_cmpuint(sr_test_server_get_request_count(server, c->path), ==, 1);

	t0 = sr_bench_thread_cpu_ns();
	end = g_get_monotonic_time() + (gint64)(seconds * G_USEC_PER_SEC);
	while (g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, TRUE);
	cpu = sr_bench_thread_cpu_ns() - t0;
	probes = sr_test_server_get_request_count(server, "/api/v3/alerts/status") - probes;
	connections = sr_test_server_get_connection_count(server) - connections;
	g_assert_cmpuint(probes, >, 0);
	/* an unchanged counter must not fetch the tree again */
	g_assert_cmpuint(sr_test_server_get_request_count(server, c->path), ==, 1);
	note = g_strdup_printf("%u probes in %.1f s, %u new connections", probes, seconds,
	                       connections);
	sr_bench_report("poll/ukraine_alarm probe unchanged", cpu / 1e3 / probes, "us", 100,
	                SR_BENCH_LOWER, 100, note);
}

int
main(int argc, char **argv)
{
	gboolean quick = sr_bench_quick(&argc, &argv);
	g_test_init(&argc, &argv, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		bench_case(&cases[i], quick ? 25 : 100);
	bench_probe(quick ? 1.5 : 5);
	return 0;
}
