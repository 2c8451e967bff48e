/* test-stream.c - a source that pushes server-sent events, against the loopback server
 *
 * alerts.com.ua's shape: the snapshot at /api/states, the stream at /api/states/live. The
 * server writes the framing the test gives it, byte for byte.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sirena/error.h"
#include "sirena/poller.h"
#include "sr-test-poller.h"
#include "sr-test-server.h"
#include "sr-test-util.h"

typedef SrTestPollerFixture Fixture;

#define SNAPSHOT "/api/states"
#define LIVE     "/api/states/live"

static const char quiet[] = "{\"states\":[{\"id\":25,\"alert\":false},{\"id\":1,\"alert\":false}]}";
static const char kyiv[] =
    "{\"states\":[{\"id\":25,\"alert\":true,"
    "\"changed\":\"2026-11-25T10:14:02+02:00\"},{\"id\":1,\"alert\":false}]}";

#define UPDATE(id, alert)                                                                          \
	"event: update\r\ndata: {\"state\":{\"id\":" #id ",\"alert\":" #alert                      \
	",\"changed\":\"2026-11-25T10:14:02+02:00\"},\"notification_id\":\"n\"}\r\n\r\n"

static gboolean
has_line(Fixture *fx, const char *line)
{
	return sr_test_poller_find_line(fx, 0, line) >= 0;
}

static void
iterate(void)
{
	g_main_context_iteration(NULL, FALSE);
	g_usleep(500);
}

/* runs the loop until @line was reported; the time it took in ms */
static gdouble
wait_line(Fixture *fx, const char *line, guint timeout_ms)
{
	gint64 start = g_get_monotonic_time();
	while (!has_line(fx, line)) {
		if (g_get_monotonic_time() > start + timeout_ms * 1000) {
			g_autofree char *all = sr_test_poller_dump_lines(fx);
			g_error("'%s' not seen within %u ms; seen:%s", line, timeout_ms, all);
		}
		iterate();
	}
	return (gdouble)(g_get_monotonic_time() - start) / 1000.0;
}

static void
run_for(guint ms)
{
	gint64 deadline = g_get_monotonic_time() + ms * 1000;
	while (g_get_monotonic_time() < deadline)
		iterate();
}

static guint
requests(Fixture *fx, const char *path)
{
	return sr_test_server_get_request_count(fx->server, path);
}

#define WAIT_FOR(cond, timeout_ms)                                                                 \
	G_STMT_START                                                                               \
	{                                                                                          \
		gint64 deadline_ = g_get_monotonic_time() + (timeout_ms)*1000;                     \
		while (!(cond)) {                                                                  \
			if (g_get_monotonic_time() > deadline_)                                    \
				g_error("%s: not within %u ms", #cond, (guint)(timeout_ms));       \
			iterate();                                                                 \
		}                                                                                  \
	}                                                                                          \
	G_STMT_END

static SrPollerStats
stats(Fixture *fx)
{
	SrPollerStats s = {0};
	g_assert_true(sr_poller_get_stats(fx->poller, "alerts_com_ua", &s));
	return s;
}

/* the type with a shorter heartbeat; it outlives the test's fixture, which frees the config */
static SrSourceOps stream_ops;

/* the source with a heartbeat of @heartbeat seconds (0: the type's own) */
static SrSourceConfig *
add_stream_source(Fixture *fx, gdouble interval, gdouble stale_after, gdouble heartbeat)
{
	SrSourceConfig *config = NULL;
	stream_ops = *sr_source_registry_lookup("alerts_com_ua");
	if (heartbeat > 0)
		stream_ops.stream_heartbeat = heartbeat;
	config = sr_source_config_new("alerts_com_ua", &stream_ops);
	g_free(config->url);
	config->url = g_strdup(sr_test_server_get_url(fx->server));
	config->token = g_strdup("test-token-DO-NOT-LEAK");
	config->interval = interval;
	config->stale_after = stale_after;
	g_ptr_array_add(fx->configs, config);
	sr_poller_add_source(fx->poller, config);
	return config;
}

/* started, the stream open, up (a hello came) and the snapshot after it answered */
static void
start_up(Fixture *fx, const char *hello)
{
	guint before = 0;
	sr_poller_start(fx->poller);
	WAIT_FOR(sr_test_server_get_stream_count(fx->server, LIVE) == 1, 3000);
	WAIT_FOR(requests(fx, SNAPSHOT) >= 1, 3000);
	before = requests(fx, SNAPSHOT);
	sr_test_server_push(fx->server, LIVE, hello, -1);
	WAIT_FOR(stats(fx).stream_up, 3000);
	/* a snapshot after the connection: what changed before it is there */
	WAIT_FOR(requests(fx, SNAPSHOT) > before, 3000);
	run_for(100);
}

/* an update is in the engine at once, not at the next poll */
static void
test_update_at_once(Fixture *fx, gconstpointer data)
{
	guint polls = 0;
	gdouble ms = 0;
	sr_test_server_set_reply(fx->server, SNAPSHOT, 200, NULL, quiet, -1);
	sr_test_server_set_stream(fx->server, LIVE, NULL);
	add_stream_source(fx, 30, 60, 0);
	start_up(fx, "event: hello\r\ndata: null\r\n\r\n");
	polls = requests(fx, SNAPSHOT);
	sr_test_server_push(fx->server, LIVE, UPDATE(25, true), -1);
	ms = wait_line(fx, "started ua:31:air_raid", 2000);
	g_test_message("update to engine: %.1f ms", ms);
	/* ~100 ms is the goal; the bound leaves room for a loaded machine, not for a poll */
	g_assert_cmpfloat(ms, <, 500);
	sr_test_server_push(fx->server, LIVE, UPDATE(25, false), -1);
	wait_line(fx, "ended ua:31:air_raid", 2000);
	g_assert_cmpuint(requests(fx, SNAPSHOT), ==, polls);
	g_assert_cmpuint(stats(fx).stream_events, ==, 3);
	g_assert_cmpfloat(stats(fx).stream_delay_median, >=, 0);
	g_assert_cmpfloat(stats(fx).stream_delay_median, <, 0.5);
	g_assert_null(stats(fx).stream_error);
}

/* pings keep a quiet stream alive, and the source fresh without polls */
static void
test_ping_keeps_alive(Fixture *fx, gconstpointer data)
{
	guint polls = 0;
	sr_test_server_set_reply(fx->server, SNAPSHOT, 200, NULL, quiet, -1);
	sr_test_server_set_stream(fx->server, LIVE, NULL);
	add_stream_source(fx, 30, 1.5, 0.2);
	start_up(fx, "event: hello\ndata: null\n\n");
	polls = requests(fx, SNAPSHOT);
	for (guint i = 0; i < 30; i++) {
		sr_test_server_push(fx->server, LIVE, "event: ping\r\ndata: null\r\n\r\n", -1);
		run_for(100);
	}
	g_assert_cmpuint(stats(fx).stream_reconnects, ==, 0);
	g_assert_true(stats(fx).stream_up);
	g_assert_cmpuint(requests(fx, SNAPSHOT), ==, polls);
	g_assert_cmpuint(sr_test_server_get_connection_count(fx->server), ==, 2);
	/* 3 s at stale_after 1.5 s (the engine counts whole seconds): only the pings kept it ok */
	g_assert_false(has_line(fx, "source alerts_com_ua stale"));
	g_assert_cmpint(sr_engine_get_source(fx->engine, "alerts_com_ua")->state, ==,
	                SR_SOURCE_STATE_OK);
}

/* silence for three heartbeats: the connection is dead; the next one says where it was */
static void
test_silence_reconnects(Fixture *fx, gconstpointer data)
{
	g_autofree char *last_id = NULL;
	gint64 silent_since = 0;
	gdouble took = 0;
	sr_test_server_set_reply(fx->server, SNAPSHOT, 200, NULL, quiet, -1);
	sr_test_server_set_stream(fx->server, LIVE, NULL);
	add_stream_source(fx, 30, 60, 0.2);
	/* retry: the server's wish for the reconnection delay */
	start_up(fx, "retry: 100\r\nid: 41\r\nevent: hello\r\ndata: null\r\n\r\n");
	sr_test_server_push(fx->server, LIVE, "id: 42\r\n" UPDATE(25, true), -1);
	wait_line(fx, "started ua:31:air_raid", 2000);
	silent_since = g_get_monotonic_time();
	WAIT_FOR(stats(fx).stream_reconnects >= 1, 3000);
	took = (gdouble)(g_get_monotonic_time() - silent_since) / G_USEC_PER_SEC;
	g_test_message("reconnected %.2f s after the last byte", took);
	/* 3 × 0.2 s of silence, then retry 100 ms ± 25 % */
	g_assert_cmpfloat(took, >=, 0.55);
	g_assert_cmpfloat(took, <, 1.5);
	WAIT_FOR(requests(fx, LIVE) >= 2, 2000);
	last_id = sr_test_server_get_last_header(fx->server, LIVE, "Last-Event-ID");
	g_assert_cmpstr(last_id, ==, "42");
	/* a dead stream is no all-clear */
	g_assert_false(has_line(fx, "ended ua:31:air_raid"));
}

/* the server drops the stream: polls while it is down, the stream again after */
static void
test_drop_fallback(Fixture *fx, gconstpointer data)
{
	guint polls = 0;
	sr_test_server_set_reply(fx->server, SNAPSHOT, 200, NULL, kyiv, -1);
	sr_test_server_set_stream(fx->server, LIVE, NULL);
	add_stream_source(fx, 0.2, 60, 0);
	/* a long retry: the polls have time to show */
	start_up(fx, "retry: 1500\r\nevent: hello\r\ndata: null\r\n\r\n");
	wait_line(fx, "started ua:31:air_raid", 2000);
	polls = requests(fx, SNAPSHOT);
	run_for(500);
	g_assert_cmpuint(requests(fx, SNAPSHOT), ==, polls);
	sr_test_server_drop_streams(fx->server, LIVE);
	WAIT_FOR(!stats(fx).stream_up, 2000);
	g_assert_nonnull(stats(fx).stream_error);
	run_for(800);
	/* polled at the interval while down */
	g_assert_cmpuint(requests(fx, SNAPSHOT), >=, polls + 3);
	g_assert_false(has_line(fx, "ended ua:31:air_raid"));
	g_assert_false(has_line(fx, "source alerts_com_ua stale"));
	/* back: once up, the polls stop */
	WAIT_FOR(sr_test_server_get_stream_count(fx->server, LIVE) == 1, 3000);
	sr_test_server_push(fx->server, LIVE, "event: hello\r\ndata: null\r\n\r\n", -1);
	WAIT_FOR(stats(fx).stream_up, 2000);
	run_for(300);
	polls = requests(fx, SNAPSHOT);
	run_for(600);
	g_assert_cmpuint(requests(fx, SNAPSHOT), ==, polls);
	g_assert_cmpuint(stats(fx).stream_reconnects, ==, 1);
}

/* what changed while the stream was down is in the snapshot taken on reconnect */
static void
test_snapshot_on_reconnect(Fixture *fx, gconstpointer data)
{
	sr_test_server_set_reply(fx->server, SNAPSHOT, 200, NULL, quiet, -1);
	sr_test_server_set_stream(fx->server, LIVE, NULL);
	/* polls far apart: only the reconnection's snapshot can tell */
	add_stream_source(fx, 30, 120, 0);
	start_up(fx, "retry: 100\r\nevent: hello\r\ndata: null\r\n\r\n");
	sr_test_server_drop_streams(fx->server, LIVE);
	WAIT_FOR(!stats(fx).stream_up, 2000);
	/* the update goes out while nobody listens */
	sr_test_server_set_reply(fx->server, SNAPSHOT, 200, NULL, kyiv, -1);
	WAIT_FOR(sr_test_server_get_stream_count(fx->server, LIVE) == 1, 3000);
	g_assert_false(has_line(fx, "started ua:31:air_raid"));
	sr_test_server_push(fx->server, LIVE, "event: hello\ndata: null\n\n", -1);
	wait_line(fx, "started ua:31:air_raid", 2000);
}

/* CRLF and LF framing, and events split across writes */
static void
test_framing(Fixture *fx, gconstpointer data)
{
	const char *lf = "event: update\ndata: {\"state\":{\"id\":25,\"alert\":false},"
	                 "\"notification_id\":\"m\"}\n\n";
	sr_test_server_set_reply(fx->server, SNAPSHOT, 200, NULL, quiet, -1);
	sr_test_server_set_stream(fx->server, LIVE, NULL);
	add_stream_source(fx, 30, 60, 0);
	start_up(fx, "event: hello\r\ndata: null\r\n\r\n");
	sr_test_server_push(fx->server, LIVE, "event: upd", -1);
	run_for(50);
	sr_test_server_push(fx->server, LIVE,
	                    "ate\r\ndata: {\"state\":{\"id\":25,\"alert\":true}}\r", -1);
	run_for(50);
	g_assert_false(has_line(fx, "started ua:31:air_raid"));
	sr_test_server_push(fx->server, LIVE, "\n\r\n", -1);
	wait_line(fx, "started ua:31:air_raid", 2000);
	sr_test_server_push(fx->server, LIVE, lf, -1);
	wait_line(fx, "ended ua:31:air_raid", 2000);
}

/* an event that cannot be read: the state may have diverged, a snapshot says what is true */
static void
test_malformed_resnapshot(Fixture *fx, gconstpointer data)
{
	guint polls = 0;
	sr_test_server_set_reply(fx->server, SNAPSHOT, 200, NULL, quiet, -1);
	sr_test_server_set_stream(fx->server, LIVE, NULL);
	add_stream_source(fx, 30, 60, 0);
	start_up(fx, "event: hello\r\ndata: null\r\n\r\n");
	polls = requests(fx, SNAPSHOT);
	sr_test_server_set_reply(fx->server, SNAPSHOT, 200, NULL, kyiv, -1);
	sr_test_server_push(fx->server, LIVE, "event: update\r\ndata: {\"state\": {\"id\r\n\r\n",
	                    -1);
	wait_line(fx, "started ua:31:air_raid", 2000);
	g_assert_cmpuint(requests(fx, SNAPSHOT), ==, polls + 1);
	/* the stream itself goes on */
	g_assert_true(stats(fx).stream_up);
	g_assert_cmpuint(stats(fx).stream_reconnects, ==, 0);
}

/* a key the service does not know: the source fails, with what to do about it */
static void
test_forbidden(Fixture *fx, gconstpointer data)
{
	const SrSourceHealth *health = NULL;
	sr_test_server_set_reply(fx->server, SNAPSHOT, 403, NULL, "{\"error\":\"forbidden\"}", -1);
	sr_test_server_set_reply(fx->server, LIVE, 403, NULL, "{\"error\":\"forbidden\"}", -1);
	add_stream_source(fx, 0.2, 0, 0);
	sr_poller_start(fx->poller);
	WAIT_FOR(requests(fx, LIVE) >= 1 && stats(fx).stream_error != NULL, 3000);
	wait_line(fx, "source alerts_com_ua error", 3000);
	health = sr_engine_get_source(fx->engine, "alerts_com_ua");
	g_assert_nonnull(strstr(health->error, "check token="));
	g_assert_nonnull(strstr(stats(fx).stream_error, "check token="));
	g_assert_false(stats(fx).stream_up);
	/* and the key itself is never repeated */
	g_assert_null(strstr(health->error, "DO-NOT-LEAK"));
	g_assert_null(strstr(stats(fx).stream_error, "DO-NOT-LEAK"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, fn)                                                                              \
	g_test_add(path, Fixture, NULL, sr_test_poller_setup, fn, sr_test_poller_teardown)
	ADD("/sr/stream/update-at-once", test_update_at_once);
	ADD("/sr/stream/ping-keeps-alive", test_ping_keeps_alive);
	ADD("/sr/stream/silence-reconnects", test_silence_reconnects);
	ADD("/sr/stream/drop-fallback", test_drop_fallback);
	ADD("/sr/stream/snapshot-on-reconnect", test_snapshot_on_reconnect);
	ADD("/sr/stream/framing", test_framing);
	ADD("/sr/stream/malformed-resnapshot", test_malformed_resnapshot);
	ADD("/sr/stream/forbidden", test_forbidden);
#undef ADD
	return g_test_run();
}
