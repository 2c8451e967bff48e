/* bench-daemon.c - sirenad and the CLI, end to end: latency, footprint, start-up
 *
 *   bench-daemon [--quick] latency [FLIPS [INTERVAL]]
 *     sirenad on a private bus (GTestDBus) with the fake notification server, one alerts.in.ua
 *     source on the loopback server polled every INTERVAL s, one `sirena watch --json`. The
 *     server flips a region into alert at a random phase of the poll cycle; the figures are the
 *     time from the flip until the Notify call reaches the stub (its received_at) and until the
 *     watch line is read here, p50 and p99 over FLIPS flips. Goal: p99 <= INTERVAL + 50 ms.
 *   bench-daemon [--quick] stream-latency [FLIPS]
 *     the same with one streaming alerts.com.ua source instead: the server pushes the flip as
 *     an "update" event on the open text/event-stream, no poll involved (the fallback poll is
 *     15 s away). p50 and p99 over FLIPS flips (200; 50 with --quick). Goal: p99 <= 100 ms.
 *   bench-daemon [--quick] footprint [SECONDS]
 *     sirenad polling four loopback sources (alerts.in.ua and NWS answering 304, the Ukraine
 *     Alarm change counter unchanged, ubilling answering 200) at their default intervals, for
 *     SECONDS; RSS sampled every few seconds, CPU from /proc/PID/stat (utime + stime) and
 *     voluntary context switches from /proc/PID/status, counted after a settling time and set
 *     against the requests the server received.
 *   bench-daemon [--quick] cli
 *     `sirena --version` and `sirena status` (against the same four loopback sources, no
 *     daemon) wall time, median of 20 runs; and what loading the two region catalogs costs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-daemon"

#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "bench-bodies.h"
#include "bench-util.h"
#include "sr-test-notifyd.h"
#include "sr-test-server.h"
#include "sr-test-util.h"

typedef struct {
	GTestDBus *bus;
	SrTestNotifyd *notifyd;
	SrTestServer *server;
	char *dir;
	char *config;
	GSubprocess *daemon;
} Fixture;

static void
fixture_up(Fixture *fx, gboolean bus)
{
	g_autoptr(GError) error = NULL;
	if (bus) {
		fx->bus = g_test_dbus_new(G_TEST_DBUS_NONE);
		g_test_dbus_up(fx->bus);
		fx->notifyd = sr_test_notifyd_new(g_test_dbus_get_bus_address(fx->bus), NULL);
	}
	fx->server = sr_test_server_new();
	fx->dir = g_dir_make_tmp("sirena-bench-XXXXXX", &error);
	g_assert_no_error(error);
	fx->config = g_build_filename(fx->dir, "sirena.conf", NULL);
}

static void
fixture_down(Fixture *fx)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", fx->dir);
	if (fx->daemon != NULL) {
		g_subprocess_send_signal(fx->daemon, SIGTERM);
		g_subprocess_wait(fx->daemon, NULL, NULL);
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
write_config(Fixture *fx, const char *text)
{
	g_assert_true(g_file_set_contents(fx->config, text, -1, NULL));
	g_assert_cmpint(g_chmod(fx->config, 0600), ==, 0);
}

static void
start_daemon(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);
	g_autofree char *store = g_build_filename(fx->dir, "sirena.db", NULL);
	const char *argv[] = {g_getenv("SIRENAD"), "--config", fx->config, "--store", store, NULL};
	g_assert_no_error(error);
	fx->daemon = g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_NONE, &error);
	g_assert_no_error(error);
	sr_test_wait_sirenad(bus, 20);
}

/* ---- latency ---------------------------------------------------------------------------- */

#define LATENCY_PATH "/v1/alerts/active.json"

typedef struct {
	GMutex lock;
	GDataInputStream *in;
	GPtrArray *lines; /* of char* */
	GArray *times;    /* of gint64, monotonic µs when each line was read */
} WatchReader;

static gpointer
watch_reader_thread(gpointer data)
{
	WatchReader *reader = data;
	for (;;) {
		char *line = g_data_input_stream_read_line(reader->in, NULL, NULL, NULL);
		gint64 now = g_get_monotonic_time();
		if (line == NULL)
			break;
		g_mutex_lock(&reader->lock);
		g_ptr_array_add(reader->lines, line);
		g_array_append_val(reader->times, now);
		g_mutex_unlock(&reader->lock);
	}
	return NULL;
}

/* the time the first line from @from on that contains @needle was read, or 0 */
static gint64
watch_find(WatchReader *reader, guint from, const char *needle)
{
	gint64 at = 0;
	g_mutex_lock(&reader->lock);
	for (guint i = from; i < reader->lines->len && at == 0; i++) {
		if (strstr(g_ptr_array_index(reader->lines, i), needle) != NULL)
			at = g_array_index(reader->times, gint64, i);
	}
	g_mutex_unlock(&reader->lock);
	return at;
}

static guint
watch_count(WatchReader *reader)
{
	guint n = 0;
	g_mutex_lock(&reader->lock);
	n = reader->lines->len;
	g_mutex_unlock(&reader->lock);
	return n;
}

/* the received_at of the first Notify from call @from on, or 0 */
static gint64
notify_find(SrTestNotifyd *notifyd, guint from)
{
	guint n = sr_test_notifyd_get_n_calls(notifyd);
	for (guint i = from; i < n; i++) {
		const SrTestNotifyCall *call = sr_test_notifyd_get_call(notifyd, i);
		if (g_strcmp0(call->method, "Notify") == 0)
			return call->received_at;
	}
	return 0;
}

static void
serve_alert(Fixture *fx, guint flip, gboolean on)
{
	g_autofree char *body = NULL;
	if (on)
		body = g_strdup_printf(
		    "{\"alerts\":[{\"id\":%u,\"location_title\":\"Хмельницька область\","
		    "\"location_type\":\"oblast\",\"started_at\":\"2026-11-25T06:%02u:%02u.000Z\","
		    "\"finished_at\":null,\"updated_at\":\"2026-11-25T06:00:00.000Z\","
		    "\"alert_type\":\"air_raid\",\"location_uid\":\"3\",\"location_oblast\":"
		    "\"Хмельницька "
		    "область\",\"notes\":null,\"calculated\":null,\"country\":null}]}",
		    5000 + flip, (flip / 60) % 60, flip % 60);
	else
		body = g_strdup("{\"alerts\":[]}");
	sr_test_server_set_reply(fx->server, LATENCY_PATH, 200, NULL, body, -1);
}

static void
run_latency(guint flips, double interval)
{
	Fixture fx = {0};
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocess) watch = NULL;
	g_autofree char *text = NULL;
	g_autofree double *notify_ms = g_new0(double, flips);
	g_autofree double *watch_ms = g_new0(double, flips);
	g_autofree char *note = NULL;
	g_autofree char *name = NULL;
	WatchReader reader = {0};
	GThread *thread = NULL;
	guint missed = 0;
	guint n = 0;
	gint64 deadline = 0;
	double p50 = 0;
	double p99 = 0;
	double goal = interval * 1000 + 50;

	fixture_up(&fx, TRUE);
	text = g_strdup_printf("[sirena]\nregions=ua:3\n"
	                       "[source aiu]\ntype=alerts_in_ua\ntoken=bench-token\nurl=%s\n"
	                       "interval=%g\nstale_after=%g\n",
	                       sr_test_server_get_url(fx.server), interval, 30 + interval * 3);
	write_config(&fx, text);
	serve_alert(&fx, 0, FALSE);
	start_daemon(&fx);

	watch = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, g_getenv("SIRENA_CLI"),
	                         "watch", "--json", "--config", fx.config, NULL);
	g_assert_no_error(error);
	g_mutex_init(&reader.lock);
	reader.in = g_data_input_stream_new(g_subprocess_get_stdout_pipe(watch));
	reader.lines = g_ptr_array_new_with_free_func(g_free);
	reader.times = g_array_new(FALSE, FALSE, sizeof(gint64));
	thread = g_thread_new("watch-reader", watch_reader_thread, &reader);

	/* a first alert, until the watcher prints it: everyone is listening */
	serve_alert(&fx, 0, TRUE);
	deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
	while (watch_find(&reader, 0, "\"started\"") == 0) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_usleep(10000);
	}
	serve_alert(&fx, 0, FALSE);
	deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
	while (watch_find(&reader, 0, "\"ended\"") == 0) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_usleep(10000);
	}

	for (guint f = 1; f <= flips; f++) {
		guint calls = 0;
		guint lines = 0;
		gint64 t0 = 0;
		gint64 notified = 0;
		gint64 printed = 0;
		/* a random phase of the poll cycle */
		g_usleep((gulong)(g_random_double() * interval * G_USEC_PER_SEC));
		calls = sr_test_notifyd_get_n_calls(fx.notifyd);
		lines = watch_count(&reader);
		t0 = g_get_monotonic_time();
		serve_alert(&fx, f, TRUE);
		deadline = t0 + (gint64)((interval * 5 + 5) * G_USEC_PER_SEC);
		while ((notified == 0 || printed == 0) && g_get_monotonic_time() < deadline) {
			g_usleep(1000);
			if (notified == 0)
				notified = notify_find(fx.notifyd, calls);
			if (printed == 0)
				printed = watch_find(&reader, lines, "\"started\"");
		}
		if (notified == 0 || printed == 0) {
			missed++;
			g_printerr("flip %u: no %s within %.1f s\n", f,
			           notified == 0 ? "notification" : "watch line", interval * 5 + 5);
		} else {
			notify_ms[n] = (notified - t0) / 1e3;
			watch_ms[n] = (printed - t0) / 1e3;
			n++;
		}
		lines = watch_count(&reader);
		serve_alert(&fx, f, FALSE);
		deadline = g_get_monotonic_time() + (gint64)((interval * 5 + 5) * G_USEC_PER_SEC);
		while (watch_find(&reader, lines, "\"ended\"") == 0 &&
		       g_get_monotonic_time() < deadline)
			g_usleep(5000);
	}

	for (guint k = 0; k < 2; k++) {
		double *values = k == 0 ? notify_ms : watch_ms;
		const char *what = k == 0 ? "Notify" : "watch line";
		p50 = sr_bench_percentile(values, n, 50);
		p99 = sr_bench_percentile(values, n, 99);
		g_free(note);
		note = g_strdup_printf("%u flips, interval %g s, %u missed; max %.0f ms", flips,
		                       interval, missed, n > 0 ? values[n - 1] : NAN);
		g_free(name);
		/* a flip just before a poll: what the pipeline itself adds (parse, engine, D-Bus)
		 */
		name = g_strdup_printf("e2e/%s min", what);
		sr_bench_report(name, sr_bench_percentile(values, n, 0), "ms", NAN, SR_BENCH_LOWER,
		                goal, "the pipeline without the wait for the next poll");
		g_free(name);
		name = g_strdup_printf("e2e/%s p50", what);
		sr_bench_report(name, p50, "ms", NAN, SR_BENCH_LOWER, goal, NULL);
		g_free(name);
		name = g_strdup_printf("e2e/%s p99", what);
		sr_bench_report(name, missed > 0 ? INFINITY : p99, "ms", goal, SR_BENCH_LOWER, goal,
		                note);
	}

	g_subprocess_send_signal(watch, SIGTERM);
	g_subprocess_wait(watch, NULL, NULL);
	g_thread_join(thread);
	g_object_unref(reader.in);
	g_ptr_array_unref(reader.lines);
	g_array_unref(reader.times);
	g_mutex_clear(&reader.lock);
	fixture_down(&fx);
}

/* ---- latency with a streaming source ---------------------------------------------------- */

#define STREAM_SNAPSHOT "/api/states"
#define STREAM_LIVE     "/api/states/live"
/* alerts.com.ua's id of Хмельницька область (ua:3) */
#define STREAM_STATE 21

static void
push_update(Fixture *fx, guint flip, gboolean on)
{
	g_autofree char *event = g_strdup_printf(
	    "id: %u\r\nevent: update\r\ndata: {\"state\":{\"id\":%d,\"alert\":%s,"
	    "\"changed\":\"2026-11-25T06:%02u:%02u+00:00\"},\"notification_id\":\"n%u\"}\r\n\r\n",
	    2 * flip + (on ? 1 : 0), STREAM_STATE, on ? "true" : "false", (flip / 60) % 60,
	    flip % 60, 2 * flip + (on ? 1 : 0));
	sr_test_server_push(fx->server, STREAM_LIVE, event, -1);
}

static void
wait_watch(WatchReader *reader, guint from, const char *needle, double seconds)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)(seconds * G_USEC_PER_SEC);
	while (watch_find(reader, from, needle) == 0) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_usleep(2000);
	}
}

static void
run_stream_latency(guint flips)
{
	Fixture fx = {0};
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocess) watch = NULL;
	g_autofree char *text = NULL;
	g_autofree double *notify_ms = g_new0(double, flips);
	g_autofree double *watch_ms = g_new0(double, flips);
	WatchReader reader = {0};
	GThread *thread = NULL;
	guint missed = 0;
	guint n = 0;
	guint snapshots = 0;
	gint64 deadline = 0;
	const double goal = 100;

	fixture_up(&fx, TRUE);
	text = g_strdup_printf("[sirena]\nregions=ua:3\n"
	                       "[source acu]\ntype=alerts_com_ua\ntoken=bench-token\nurl=%s\n"
	                       "interval=15\n",
	                       sr_test_server_get_url(fx.server));
	write_config(&fx, text);
	sr_test_server_set_reply(fx.server, STREAM_SNAPSHOT, 200, NULL,
	                         "{\"states\":[{\"id\":21,\"alert\":false}]}", -1);
	sr_test_server_set_stream(fx.server, STREAM_LIVE, NULL);
	start_daemon(&fx);

	watch = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, g_getenv("SIRENA_CLI"),
	                         "watch", "--json", "--config", fx.config, NULL);
	g_assert_no_error(error);
	g_mutex_init(&reader.lock);
	reader.in = g_data_input_stream_new(g_subprocess_get_stdout_pipe(watch));
	reader.lines = g_ptr_array_new_with_free_func(g_free);
	reader.times = g_array_new(FALSE, FALSE, sizeof(gint64));
	thread = g_thread_new("watch-reader", watch_reader_thread, &reader);

	/* the stream open and up, and the snapshot it brings answered */
	deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
	while (sr_test_server_get_stream_count(fx.server, STREAM_LIVE) == 0) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_usleep(10000);
	}
	snapshots = sr_test_server_get_request_count(fx.server, STREAM_SNAPSHOT);
	sr_test_server_push(fx.server, STREAM_LIVE, "event: hello\r\ndata: null\r\n\r\n", -1);
	while (sr_test_server_get_request_count(fx.server, STREAM_SNAPSHOT) == snapshots) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_usleep(10000);
	}
	/* a first alert, until the watcher prints it: everyone is listening */
	push_update(&fx, 0, TRUE);
	wait_watch(&reader, 0, "\"started\"", 30);
	push_update(&fx, 0, FALSE);
	wait_watch(&reader, 0, "\"ended\"", 30);
	snapshots = sr_test_server_get_request_count(fx.server, STREAM_SNAPSHOT);

	for (guint f = 1; f <= flips; f++) {
		guint calls = sr_test_notifyd_get_n_calls(fx.notifyd);
		guint lines = watch_count(&reader);
		gint64 t0 = 0;
		gint64 notified = 0;
		gint64 printed = 0;
		g_usleep((gulong)(g_random_double() * 0.05 * G_USEC_PER_SEC));
		t0 = g_get_monotonic_time();
		push_update(&fx, f, TRUE);
		deadline = t0 + 5 * G_USEC_PER_SEC;
		while ((notified == 0 || printed == 0) && g_get_monotonic_time() < deadline) {
			g_usleep(500);
			if (notified == 0)
				notified = notify_find(fx.notifyd, calls);
			if (printed == 0)
				printed = watch_find(&reader, lines, "\"started\"");
		}
		if (notified == 0 || printed == 0) {
			missed++;
			g_printerr("flip %u: no %s within 5 s\n", f,
			           notified == 0 ? "notification" : "watch line");
		} else {
			notify_ms[n] = (notified - t0) / 1e3;
			watch_ms[n] = (printed - t0) / 1e3;
			n++;
		}
		lines = watch_count(&reader);
		push_update(&fx, f, FALSE);
		deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
		while (watch_find(&reader, lines, "\"ended\"") == 0 &&
		       g_get_monotonic_time() < deadline)
			g_usleep(2000);
	}

	for (guint k = 0; k < 2; k++) {
		double *values = k == 0 ? notify_ms : watch_ms;
		const char *what = k == 0 ? "Notify" : "watch line";
		guint polled =
		    sr_test_server_get_request_count(fx.server, STREAM_SNAPSHOT) - snapshots;
		/* sorts the values: the maximum is the last one after it */
		double p50 = sr_bench_percentile(values, n, 50);
		double p99 = sr_bench_percentile(values, n, 99);
		g_autofree char *note = g_strdup_printf(
		    "%u flips pushed on the stream, %u missed, %u polls meanwhile; max %.1f ms",
		    flips, missed, polled, n > 0 ? values[n - 1] : NAN);
		g_autofree char *p50_name = g_strdup_printf("e2e-stream/%s p50", what);
		g_autofree char *p99_name = g_strdup_printf("e2e-stream/%s p99", what);
		sr_bench_report(p50_name, p50, "ms", NAN, SR_BENCH_LOWER, goal, NULL);
		sr_bench_report(p99_name, missed > 0 ? INFINITY : p99, "ms", goal, SR_BENCH_LOWER,
		                goal, note);
	}

	g_subprocess_send_signal(watch, SIGTERM);
	g_subprocess_wait(watch, NULL, NULL);
	g_thread_join(thread);
	g_object_unref(reader.in);
	g_ptr_array_unref(reader.lines);
	g_array_unref(reader.times);
	g_mutex_clear(&reader.lock);
	fixture_down(&fx);
}

/* ---- four loopback sources -------------------------------------------------------------- */

/* serves four sources as a quiet day looks: alerts.in.ua and NWS with an ETag (304 after the
 * first poll), Ukraine Alarm with an unchanged change counter, ubilling (no validator: 200) */
static void
serve_four(Fixture *fx, gboolean intervals)
{
	const SrCatalog *catalog = sr_test_catalog();
	g_autofree char *aiu = sr_bench_gen_alerts_in_ua(catalog, 12);
	g_autofree char *nws = sr_bench_gen_nws(5);
	g_autofree char *ubilling = NULL;
	g_autofree char *text = NULL;
	const char *url = sr_test_server_get_url(fx->server);
	guint n_ua = 0;
	g_autofree char *ua = sr_bench_gen_ukraine_alarm(catalog, 12, &n_ua);
	gsize len = 0;

	ubilling = sr_test_read_fixture("ubilling", "states.json", &len);
	sr_test_server_set_reply(fx->server, "/aiu/v1/alerts/active.json", 200, "ETag: \"aiu-1\"",
	                         aiu, -1);
	sr_test_server_set_reply(fx->server, "/nws/alerts/active", 200,
	                         "ETag: \"nws-1\"\nContent-Type: application/geo+json", nws, -1);
	sr_test_server_set_reply(fx->server, "/ua/api/v3/alerts", 200, NULL, ua, -1);
	sr_test_server_set_reply(fx->server, "/ua/api/v3/alerts/status", 200, NULL,
	                         "{\"lastActionIndex\":7}", -1);
	sr_test_server_set_reply(fx->server, "/ub/aerialalerts/", 200, NULL, ubilling, len);
	text = g_strdup_printf(
	    "[sirena]\nregions=ua:3;ua:14\n"
	    "[source aiu]\ntype=alerts_in_ua\ntoken=bench-token\nurl=%s/aiu\n%s"
	    "[source ua]\ntype=ukraine_alarm\ntoken=bench-token\nurl=%s/ua\n%s"
	    "[source nws]\ntype=nws\nurl=%s/nws\narea=OK\ncontact=bench@example.org\n%s"
	    "[source ub]\ntype=ubilling\nurl=%s/ub\n%s",
	    url, intervals ? "interval=15\n" : "", url, intervals ? "interval=30\n" : "", url,
	    intervals ? "interval=60\n" : "", url, intervals ? "interval=10\n" : "");
	write_config(fx, text);
}

typedef struct {
	gint64 rss_kib;
	gint64 anon_kib;
	gint64 file_kib;
	gint64 pss_kib;   /* proportional: shared library pages divided among their users */
	gint64 cpu_ticks; /* utime + stime of the process, /proc/PID/stat */
	gint64 cpu_ns;    /* run time of all its threads, /proc/PID/task/<tid>/schedstat */
	gint64 voluntary; /* context switches of all its threads */
	gint64 involuntary;
	guint threads;
	GHashTable *tasks; /* tid -> gint64[3]: voluntary, involuntary, ns of that thread */
} ProcSample;

static void
proc_sample_clear(ProcSample *sample)
{
	g_clear_pointer(&sample->tasks, g_hash_table_unref);
}

/* what the threads did between two samples; a thread that ended in between is not counted */
static void
proc_sample_delta(const ProcSample *first, const ProcSample *last, gint64 *voluntary,
                  gint64 *involuntary, gint64 *ns)
{
	GHashTableIter iter;
	gpointer key = NULL;
	gpointer value = NULL;
	*voluntary = *involuntary = *ns = 0;
	g_hash_table_iter_init(&iter, last->tasks);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		const gint64 *now = value;
		const gint64 *before = g_hash_table_lookup(first->tasks, key);
		*voluntary += now[0] - (before != NULL ? before[0] : 0);
		*involuntary += now[1] - (before != NULL ? before[1] : 0);
		*ns += now[2] - (before != NULL ? before[2] : 0);
	}
}

static gint64
status_field(const char *status, const char *name)
{
	g_autofree char *key = g_strdup_printf("\n%s:", name);
	const char *p = strstr(status, key);
	return p != NULL ? g_ascii_strtoll(p + strlen(key), NULL, 10) : -1;
}

static gboolean
read_proc(GSubprocess *daemon, ProcSample *sample)
{
	const char *pid = g_subprocess_get_identifier(daemon);
	g_autofree char *status_path = g_strdup_printf("/proc/%s/status", pid);
	g_autofree char *stat_path = g_strdup_printf("/proc/%s/stat", pid);
	g_autofree char *task_path = g_strdup_printf("/proc/%s/task", pid);
	g_autofree char *rollup_path = g_strdup_printf("/proc/%s/smaps_rollup", pid);
	g_autofree char *rollup = NULL;
	g_autofree char *status = NULL;
	g_autofree char *stat = NULL;
	g_autoptr(GDir) tasks = NULL;
	const char *p = NULL;
	const char *tid = NULL;
	g_auto(GStrv) fields = NULL;

	proc_sample_clear(sample);
	memset(sample, 0, sizeof(*sample));
	sample->tasks = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (!g_file_get_contents(status_path, &status, NULL, NULL) ||
	    !g_file_get_contents(stat_path, &stat, NULL, NULL))
		return FALSE;
	sample->rss_kib = status_field(status, "VmRSS");
	sample->anon_kib = status_field(status, "RssAnon");
	sample->file_kib = status_field(status, "RssFile");
	if (g_file_get_contents(rollup_path, &rollup, NULL, NULL))
		sample->pss_kib = status_field(rollup, "Pss");
	/* after "(comm)": field 3 is state; utime and stime are fields 14 and 15 */
	p = strrchr(stat, ')');
	if (p == NULL)
		return FALSE;
	fields = g_strsplit(p + 2, " ", -1);
	if (g_strv_length(fields) < 13)
		return FALSE;
	sample->cpu_ticks =
	    g_ascii_strtoll(fields[11], NULL, 10) + g_ascii_strtoll(fields[12], NULL, 10);
	/* /proc/PID/status counts the switches of the main thread only: add up every thread */
	tasks = g_dir_open(task_path, 0, NULL);
	while (tasks != NULL && (tid = g_dir_read_name(tasks)) != NULL) {
		g_autofree char *path = g_build_filename(task_path, tid, "status", NULL);
		g_autofree char *schedstat_path =
		    g_build_filename(task_path, tid, "schedstat", NULL);
		g_autofree char *text = NULL;
		g_autofree char *schedstat = NULL;
		gint64 *counts = g_new0(gint64, 3);
		if (g_file_get_contents(path, &text, NULL, NULL)) {
			counts[0] = MAX(status_field(text, "voluntary_ctxt_switches"), 0);
			counts[1] = MAX(status_field(text, "nonvoluntary_ctxt_switches"), 0);
		}
		if (g_file_get_contents(schedstat_path, &schedstat, NULL, NULL))
			counts[2] = g_ascii_strtoll(schedstat, NULL, 10);
		sample->voluntary += counts[0];
		sample->involuntary += counts[1];
		sample->cpu_ns += counts[2];
		g_hash_table_insert(sample->tasks, g_strdup(tid), counts);
		sample->threads++;
	}
	return TRUE;
}

static void
run_footprint(double seconds, double sample_every)
{
	Fixture fx = {0};
	g_autoptr(GString) trend = g_string_new(NULL);
	g_autofree char *note = NULL;
	ProcSample first = {0};
	ProcSample last = {0};
	ProcSample max = {0};
	gint64 began = 0;
	gint64 next_sample = 0;
	guint requests0 = 0;
	guint requests = 0;
	double elapsed = 0;
	double ticks = sysconf(_SC_CLK_TCK);
	double cpu_s = 0;
	gint64 voluntary = 0;
	gint64 involuntary = 0;
	gint64 cpu_ns = 0;

	fixture_up(&fx, TRUE);
	serve_four(&fx, TRUE);
	start_daemon(&fx);
	/* settle: start-up, the first poll of every source */
	g_usleep(3 * G_USEC_PER_SEC);
	g_assert_true(read_proc(fx.daemon, &first));
	requests0 = sr_test_server_get_request_count(fx.server, NULL);
	began = g_get_monotonic_time();
	next_sample = began;
	for (;;) {
		gint64 now = g_get_monotonic_time();
		if (now >= next_sample) {
			ProcSample sample = {0};
			g_assert_true(read_proc(fx.daemon, &sample));
			if (sample.rss_kib > max.rss_kib) {
				max.rss_kib = sample.rss_kib;
				max.anon_kib = sample.anon_kib;
				max.file_kib = sample.file_kib;
				max.pss_kib = sample.pss_kib;
			}
			g_string_append_printf(trend, "%s%.1f", trend->len > 0 ? " " : "",
			                       sample.rss_kib / 1024.0);
			next_sample += (gint64)(sample_every * G_USEC_PER_SEC);
			proc_sample_clear(&sample);
		}
		if (now - began >= (gint64)(seconds * G_USEC_PER_SEC))
			break;
		g_usleep(100000);
	}
	elapsed = (g_get_monotonic_time() - began) / 1e6;
	g_assert_true(read_proc(fx.daemon, &last));
	requests = sr_test_server_get_request_count(fx.server, NULL) - requests0;
	proc_sample_delta(&first, &last, &voluntary, &involuntary, &cpu_ns);
	cpu_s = cpu_ns / 1e9;

	note = g_strdup_printf("%.0f s of 4 sources at 15/30/60/10 s; at the max %.1f MiB anon + "
	                       "%.1f MiB file-backed (libraries), PSS %.1f MiB; RSS MiB every %.0f "
	                       "s: %s",
	                       elapsed, max.anon_kib / 1024.0, max.file_kib / 1024.0,
	                       max.pss_kib / 1024.0, sample_every, trend->str);
	sr_bench_report("footprint/RSS max", max.rss_kib / 1024.0, "MiB", 12, SR_BENCH_LOWER, 12,
	                note);
	sr_bench_report("footprint/RSS anon max", max.anon_kib / 1024.0, "MiB", NAN, SR_BENCH_LOWER,
	                4, "heap, stacks: what the daemon itself allocated");
	g_free(note);
	note = g_strdup_printf("first %.1f MiB, last %.1f MiB", first.rss_kib / 1024.0,
	                       last.rss_kib / 1024.0);
	sr_bench_report("footprint/RSS growth", (last.rss_kib - first.rss_kib) / 1024.0, "MiB", NAN,
	                SR_BENCH_LOWER, 1, note);
	g_free(note);
	note = g_strdup_printf("%.3f s CPU in %.0f s, all %u threads (utime+stime: %.2f s)", cpu_s,
	                       elapsed, last.threads, (last.cpu_ticks - first.cpu_ticks) / ticks);
	sr_bench_report("footprint/CPU per hour", cpu_s / elapsed * 3600, "s", 2, SR_BENCH_LOWER, 2,
	                note);
	g_free(note);
	note = g_strdup_printf("%" G_GINT64_FORMAT " voluntary (+%" G_GINT64_FORMAT
	                       " involuntary) switches, all threads, for %u requests in %.0f s",
	                       voluntary, involuntary, requests, elapsed);
	sr_bench_report("footprint/wakeups per request", (double)voluntary / MAX(requests, 1), "x",
	                NAN, SR_BENCH_LOWER, 10, note);
	sr_bench_report("footprint/wakeups per second", voluntary / elapsed, "1/s", NAN,
	                SR_BENCH_LOWER, 2, NULL);
	fixture_down(&fx);
}

/* ---- the CLI ---------------------------------------------------------------------------- */

static double
spawn_ms(const char *const *argv)
{
	g_autoptr(GError) error = NULL;
	int status = 0;
	gint64 t0 = sr_bench_wall_ns();
	g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL,
	                           G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
	                           NULL, NULL, NULL, &status, &error));
	g_assert_no_error(error);
	/* `status` exits 0, or 3 when an alert is on */
	g_assert_true(WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 3));
	return (sr_bench_wall_ns() - t0) / 1e6;
}

static double
catalog_load_ms(const char *const *files)
{
	const char *dir = sr_data_dir();
	gint64 t0 = sr_bench_thread_cpu_ns();
	g_autoptr(SrCatalog) catalog = sr_catalog_new();
	for (guint i = 0; files[i] != NULL; i += 2) {
		g_autoptr(GError) error = NULL;
		g_autofree char *path = g_build_filename(dir, files[i], NULL);
		g_assert_true(sr_catalog_load_file(catalog, path, files[i + 1], &error));
		g_assert_no_error(error);
	}
	return (sr_bench_thread_cpu_ns() - t0) / 1e6;
}

static gint64
self_anon_kib(void)
{
	g_autofree char *status = NULL;
	g_assert_true(g_file_get_contents("/proc/self/status", &status, NULL, NULL));
	return status_field(status, "RssAnon");
}

static void
run_cli(guint runs)
{
	Fixture fx = {0};
	const char *cli = g_getenv("SIRENA_CLI");
	const char *version[] = {cli, "--version", NULL};
	const char *status[] = {cli, "status", "--config", NULL, NULL};
	static const char *const ua[] = {"regions-ua.json", "ua", NULL};
	static const char *const il[] = {"regions-il.json", "il", NULL};
	g_autofree double *ms = g_new0(double, runs);
	g_autofree char *note = NULL;

	fixture_up(&fx, FALSE);
	serve_four(&fx, FALSE);
	status[3] = fx.config;
	/* --version: nothing to load, nothing to ask */
	spawn_ms(version);
	for (guint i = 0; i < runs; i++)
		ms[i] = spawn_ms(version);
	sr_bench_report("cli/sirena --version", sr_bench_median(ms, runs), "ms", 5, SR_BENCH_LOWER,
	                5, NULL);
	/* status: no daemon (the bus is disabled), so it polls the four sources itself */
	spawn_ms(status);
	for (guint i = 0; i < runs; i++)
		ms[i] = spawn_ms(status);
	note = g_strdup_printf("4 loopback sources, no daemon; median of %u", runs);
	sr_bench_report("cli/sirena status", sr_bench_median(ms, runs), "ms", 50, SR_BENCH_LOWER,
	                50, note);
	/* what every start that needs regions pays: the catalogs, parsed from JSON */
	for (guint i = 0; i < runs; i++)
		ms[i] = catalog_load_ms(ua);
	sr_bench_report("cli/catalog load ua", sr_bench_median(ms, runs), "ms", NAN, SR_BENCH_LOWER,
	                5, "data/regions-ua.json, CPU time");
	for (guint i = 0; i < runs; i++)
		ms[i] = catalog_load_ms(il);
	sr_bench_report("cli/catalog load il", sr_bench_median(ms, runs), "ms", NAN, SR_BENCH_LOWER,
	                5, "data/regions-il.json, CPU time");
	/* and what the two catalogs take in memory (the daemon's and every CLI run's) */
	{
		gint64 before = self_anon_kib();
		g_autoptr(SrCatalog) catalog = sr_catalog_new();
		for (guint i = 0; i < 2; i++) {
			const char *const *files = i == 0 ? ua : il;
			g_autofree char *path = g_build_filename(sr_data_dir(), files[0], NULL);
			g_assert_true(sr_catalog_load_file(catalog, path, files[1], NULL));
		}
		sr_bench_report("cli/catalog memory ua+il", (self_anon_kib() - before) / 1024.0,
		                "MiB", NAN, SR_BENCH_LOWER, 4,
		                "anonymous RSS the loaded catalogs add");
	}
	fixture_down(&fx);
}

int
main(int argc, char **argv)
{
	gboolean quick = sr_bench_quick(&argc, &argv);
	const char *mode = argc >= 2 ? argv[1] : "";

	g_test_init(&argc, &argv, NULL);
	if (g_strcmp0(mode, "latency") == 0) {
		guint flips = argc >= 3 ? (guint)g_ascii_strtoull(argv[2], NULL, 10)
		              : quick   ? 20
		                        : 200;
		double interval = argc >= 4 ? g_ascii_strtod(argv[3], NULL) : quick ? 0.2 : 1.0;
		run_latency(MAX(flips, 1), interval);
	} else if (g_strcmp0(mode, "stream-latency") == 0) {
		guint flips = argc >= 3 ? (guint)g_ascii_strtoull(argv[2], NULL, 10)
		              : quick   ? 50
		                        : 200;
		run_stream_latency(MAX(flips, 1));
	} else if (g_strcmp0(mode, "footprint") == 0) {
		double seconds = argc >= 3 ? g_ascii_strtod(argv[2], NULL) : quick ? 20 : 300;
		run_footprint(seconds, MAX(1, seconds / 30));
	} else if (g_strcmp0(mode, "cli") == 0) {
		run_cli(20);
	} else {
		g_printerr(
		    "usage: %s [--quick] latency [FLIPS [INTERVAL]] | stream-latency [FLIPS] | "
		    "footprint [SECONDS] | cli\n",
		    argv[0]);
		return 2;
	}
	return 0;
}
