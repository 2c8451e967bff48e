/* test-faults.c - the real poller and engine against a misbehaving upstream on loopback
 *
 * What a user would check when the network or the server goes wrong: nothing crashes, an alert
 * reported before the fault stays active and the source is reported down (never an all-clear
 * from a source that failed), retries back off within sr_backoff_delay()'s bounds and honour
 * Retry-After, the source recovers once the server is good again, and a huge body costs no more
 * memory than the response-size cap.
 *
 * DNS failure is tested only inside a network namespace of its own (tests/e2e/isolated.sh runs
 * this test under `unshare -rn` as "faults-dns"): libcurl hands a name such as
 * "alerts.sirena-test.invalid" to the system resolver, and only where nothing but loopback
 * exists can that query fail without leaving the machine. Elsewhere the case is skipped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sirena/error.h"
#include "sirena/http.h"
#include "sirena/poller.h"
#include "sr-test-poller.h"
#include "sr-test-server.h"
#include "sr-test-util.h"

#define PATH     "/v1/alerts/active.json"
#define SOURCE   "alerts_in_ua"
#define ALERT    "ua:124:air_raid"
#define INTERVAL 0.1
#define STALE    0.5
/* the poller's cap for retryable errors (SR_POLLER_MAX_BACKOFF in sr-poller.c) */
#define MAX_BACKOFF 60.0
/* what a loaded machine (or a sanitizer build) may add to a wait, in seconds */
#define SLACK 1.0

typedef SrTestPollerFixture Fixture;

static SrSourceConfig *
add_source(Fixture *fx, const char *url, gdouble interval, gdouble stale_after)
{
	return sr_test_poller_add_source(fx, SOURCE, url, interval, stale_after);
}

static const SrSourceHealth *
health(Fixture *fx)
{
	return sr_engine_get_source(fx->engine, SOURCE);
}

static void
step(void)
{
	g_main_context_iteration(NULL, FALSE);
	g_usleep(1000);
}

/* runs the loop until @line is reported at index @from or later; returns the seconds waited,
 * or fails after @timeout_s */
static gdouble
wait_line_from(Fixture *fx, guint from, const char *line, gdouble timeout_s)
{
	gint64 start = g_get_monotonic_time();
	while (sr_test_poller_find_line(fx, from, line) < 0) {
		gdouble waited = (gdouble)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
		if (waited > timeout_s) {
			g_autofree char *all = sr_test_poller_dump_lines(fx);
			g_error("'%s' not seen within %.2f s; seen:%s", line, timeout_s, all);
		}
		step();
	}
	return (gdouble)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
}

static void
wait_line(Fixture *fx, const char *line, gdouble timeout_s)
{
	wait_line_from(fx, 0, line, timeout_s);
}

static void
run_for(gdouble seconds)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)(seconds * G_USEC_PER_SEC);
	while (g_get_monotonic_time() < deadline)
		step();
}

/* @jitter times the delay sr_backoff_delay() starts from after @failures in a row, as the
 * poller uses it: 1.25 for the longest it may wait, 0.75 for the shortest */
static gdouble
backoff_bound(guint failures, gdouble interval, gdouble jitter)
{
	gdouble delay = interval;
	for (guint i = 1; i < failures && delay < MAX_BACKOFF; i++)
		delay *= 2;
	return MAX(jitter * MIN(delay, MAX_BACKOFF), interval);
}

static gdouble
backoff_ceiling(guint failures, gdouble interval)
{
	return backoff_bound(failures, interval, 1.25);
}

static gdouble
backoff_floor(guint failures, gdouble interval)
{
	return backoff_bound(failures, interval, 0.75);
}

static void
serve_good(Fixture *fx)
{
	g_autofree char *file = sr_test_fixture_path(SOURCE, "active_mixed.json");
	sr_test_server_set_reply_file(fx->server, PATH, 200, NULL, file);
	sr_test_server_set_behaviour(fx->server, PATH, SR_TEST_BEHAVIOUR_NORMAL, 0, 0);
}

/* an alert is up from a good first poll */
static void
start_with_alert(Fixture *fx, gdouble interval, gdouble stale_after)
{
	serve_good(fx);
	add_source(fx, NULL, interval, stale_after);
	sr_poller_start(fx->poller);
	wait_line(fx, "started " ALERT, 5);
	g_assert_cmpuint(sr_engine_get_alerts(fx->engine)->len, ==, 3);
}

/* what the user sees during a fault: the alerts as they were, no end of any, the source down */
static void
assert_alerts_kept(Fixture *fx)
{
	for (guint i = 0; i < fx->lines->len; i++) {
		const char *line = g_ptr_array_index(fx->lines, i);
		g_assert_false(g_str_has_prefix(line, "ended "));
	}
	g_assert_cmpuint(sr_engine_get_alerts(fx->engine)->len, ==, 3);
}

static void
assert_down(Fixture *fx)
{
	g_assert_cmpint(health(fx)->state, !=, SR_SOURCE_STATE_OK);
	g_assert_nonnull(health(fx)->error);
	g_assert_null(strstr(health(fx)->error, "DO-NOT-LEAK"));
}

/* a good server again: the source is ok within the backoff it is in, plus one poll */
static void
assert_recovers(Fixture *fx)
{
	guint from = fx->lines->len;
	/* a failing transfer may still be in flight and add one failure */
	gdouble bound = backoff_ceiling(health(fx)->failures + 1, INTERVAL) + INTERVAL + SLACK;
	gdouble took = 0;
	serve_good(fx);
	took = wait_line_from(fx, from, "source " SOURCE " ok", bound);
	g_test_message("recovered in %.3f s (bound %.3f s)", took, bound);
	g_assert_cmpint(health(fx)->state, ==, SR_SOURCE_STATE_OK);
	assert_alerts_kept(fx);
}

typedef void (*FaultFunc)(Fixture *fx);

/* an alert is up, the fault starts, the source is reported down and keeps its alerts; the
 * server is good again and the source recovers */
static void
run_fault(Fixture *fx, FaultFunc fault)
{
	start_with_alert(fx, INTERVAL, STALE);
	fault(fx);
	wait_line(fx, "source " SOURCE " stale", 5);
	run_for(0.3);
	assert_alerts_kept(fx);
	assert_down(fx);
	g_test_message("error: %s", health(fx)->error);
	assert_recovers(fx);
}

static void
fault_close_mid_body(Fixture *fx)
{
	sr_test_server_set_behaviour(fx->server, PATH, SR_TEST_BEHAVIOUR_CLOSE_MID_BODY, 0, 0);
}

static void
fault_close_mid_chunked(Fixture *fx)
{
	sr_test_server_set_behaviour(fx->server, PATH, SR_TEST_BEHAVIOUR_CLOSE_MID_CHUNKED, 0, 0);
}

static void
fault_close_no_reply(Fixture *fx)
{
	sr_test_server_set_behaviour(fx->server, PATH, SR_TEST_BEHAVIOUR_CLOSE_NO_REPLY, 0, 0);
}

static void
fault_huge(Fixture *fx)
{
	sr_test_server_set_behaviour(fx->server, PATH, SR_TEST_BEHAVIOUR_HUGE, 0, 50 * 1024 * 1024);
}

static void
test_truncated_body(Fixture *fx, gconstpointer data)
{
	run_fault(fx, fault_close_mid_body);
}

static void
test_truncated_chunked(Fixture *fx, gconstpointer data)
{
	run_fault(fx, fault_close_mid_chunked);
}

static void
test_close_no_reply(Fixture *fx, gconstpointer data)
{
	run_fault(fx, fault_close_no_reply);
}

static void
test_huge_poll(Fixture *fx, gconstpointer data)
{
	run_fault(fx, fault_huge);
	g_assert_true(health(fx)->error == NULL);
}

/* the server goes away: its port refuses connections */
static void
test_connection_refused(Fixture *fx, gconstpointer data)
{
	guint before = 0;
	guint failures = 0;
	guint sent = 0;
	start_with_alert(fx, INTERVAL, STALE);
	g_clear_pointer(&fx->server, sr_test_server_free);
	wait_line(fx, "source " SOURCE " stale", 5);
	run_for(0.3);
	assert_alerts_kept(fx);
	assert_down(fx);
	g_test_message("error: %s", health(fx)->error);
	/* refused connections are retried with backoff, not in a tight loop: in a second, the
	 * poll already due and those the next backoff delays allow */
	failures = health(fx)->failures;
	before = sr_poller_get_request_count(fx->poller, SOURCE);
	run_for(1.0);
	sent = sr_poller_get_request_count(fx->poller, SOURCE) - before;
	g_test_message("%u requests in 1 s after %u failures", sent, failures);
	g_assert_cmpuint(sent, <=, 1 + (guint)(1.0 / backoff_floor(failures + 1, INTERVAL)));
	assert_alerts_kept(fx);
}

/* a source that never answered is in error from its first poll, and shows nothing */
static void
test_connection_refused_first(Fixture *fx, gconstpointer data)
{
	g_autofree char *url = g_strdup(sr_test_server_get_url(fx->server));
	g_clear_pointer(&fx->server, sr_test_server_free);
	add_source(fx, url, INTERVAL, STALE);
	sr_poller_start(fx->poller);
	wait_line(fx, "source " SOURCE " error", 5);
	g_assert_cmpuint(sr_engine_get_alerts(fx->engine)->len, ==, 0);
	g_assert_nonnull(health(fx)->error);
}

/* a body that drips in slower than the watchdog's window: the source is reported down while the
 * transfer is still running, and the alerts stay */
static void
test_slow_drip_poll(Fixture *fx, gconstpointer data)
{
	start_with_alert(fx, INTERVAL, STALE);
	sr_test_server_set_behaviour(fx->server, PATH, SR_TEST_BEHAVIOUR_DRIBBLE, 50, 0);
	wait_line(fx, "source " SOURCE " stale", 5);
	assert_alerts_kept(fx);
	g_assert_cmpint(health(fx)->state, ==, SR_SOURCE_STATE_STALE);
}

/* direct transfers, for what the poller does not let a test set (the timeout) or see (the
 * error code) */

typedef struct {
	gboolean done;
	GError *error;
	guint status;
	gsize body_len;
} Outcome;

static void
outcome_clear(Outcome *outcome)
{
	g_clear_error(&outcome->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Outcome, outcome_clear)

static void
fetch_cb(const SrHttpResult *result, gpointer user_data)
{
	Outcome *outcome = user_data;
	outcome->error = result->error != NULL ? g_error_copy(result->error) : NULL;
	outcome->status = result->status;
	outcome->body_len = result->body != NULL ? g_bytes_get_size(result->body) : 0;
	outcome->done = TRUE;
}

static void
fetch_url(SrHttp *http, const char *url, guint timeout_ms, Outcome *outcome)
{
	SrHttpRequest request = {.url = url, .timeout_ms = timeout_ms};
	sr_http_fetch(http, &request, NULL, fetch_cb, outcome);
	sr_test_wait_for(&outcome->done, 20000);
}

static void
test_slow_drip_timeout(Fixture *fx, gconstpointer data)
{
	g_auto(Outcome) outcome = {0};
	g_autofree char *url = g_strdup_printf("%s%s", sr_test_server_get_url(fx->server), PATH);
	gint64 start = 0;
	gdouble took = 0;
	serve_good(fx);
	/* ~3 KB at 20 ms a byte: a minute, unless the timeout ends it */
	sr_test_server_set_behaviour(fx->server, PATH, SR_TEST_BEHAVIOUR_DRIBBLE, 20, 0);
	start = g_get_monotonic_time();
	fetch_url(fx->http, url, 500, &outcome);
	took = (gdouble)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	g_test_message("timed out after %.3f s", took);
	g_assert_error(outcome.error, SR_ERROR, SR_ERROR_TIMEOUT);
	g_assert_cmpfloat(took, >=, 0.5);
	g_assert_cmpfloat(took, <, 0.5 + SLACK);
}

static gsize
resident_bytes(void)
{
	g_autofree char *statm = NULL;
	g_auto(GStrv) fields = NULL;
	g_assert_true(g_file_get_contents("/proc/self/statm", &statm, NULL, NULL));
	fields = g_strsplit(statm, " ", -1);
	g_assert_nonnull(fields[1]);
	return (gsize)g_ascii_strtoull(fields[1], NULL, 10) * (gsize)sysconf(_SC_PAGESIZE);
}

static void
test_huge_memory(Fixture *fx, gconstpointer data)
{
	g_auto(Outcome) outcome = {0};
	g_autofree char *url = g_strdup_printf("%s%s", sr_test_server_get_url(fx->server), PATH);
	const gsize huge = 50 * 1024 * 1024;
	gsize before = 0;
	gsize after = 0;
	sr_test_server_set_behaviour(fx->server, PATH, SR_TEST_BEHAVIOUR_HUGE, 0, huge);
	before = resident_bytes();
	fetch_url(fx->http, url, 0, &outcome);
	after = resident_bytes();
	g_test_message("resident %" G_GSIZE_FORMAT " KiB before, %" G_GSIZE_FORMAT " KiB after",
	               before / 1024, after / 1024);
	g_assert_error(outcome.error, SR_ERROR, SR_ERROR_TOO_LARGE);
	g_assert_cmpuint(outcome.body_len, ==, 0);
	/* the cap is 8 MB: nowhere near the 50 MB sent, even when the buffer grew by doubling and
	 * the allocator (or a sanitizer's quarantine) kept the smaller copies */
	g_assert_cmpuint(after, <, before + 3 * SR_HTTP_DEFAULT_MAX_SIZE);
}

/* throttling and server errors: when the next request comes */

/* runs the loop until @n requests were seen, stamping each (monotonic µs) */
static void
stamp_requests(Fixture *fx, gint64 *stamps, guint n, gdouble timeout_s)
{
	guint base = sr_test_server_get_request_count(fx->server, PATH);
	guint seen = 0;
	gint64 deadline = g_get_monotonic_time() + (gint64)(timeout_s * G_USEC_PER_SEC);
	while (seen < n) {
		guint count = sr_test_server_get_request_count(fx->server, PATH) - base;
		gint64 now = g_get_monotonic_time();
		g_assert_cmpint(now, <, deadline);
		while (seen < MIN(count, n))
			stamps[seen++] = now;
		step();
	}
}

static void
test_retry_after(Fixture *fx, gconstpointer data)
{
	gint64 stamps[2];
	gdouble gap = 0;
	start_with_alert(fx, INTERVAL, 10);
	sr_test_server_queue_reply(fx->server, PATH, 429, "Retry-After: 1", "slow down", -1);
	stamp_requests(fx, stamps, 2, 5);
	gap = (gdouble)(stamps[1] - stamps[0]) / G_USEC_PER_SEC;
	g_test_message("next request %.3f s after the 429", gap);
	/* not before the server's word; the stamps may be a loop step (~1 ms) late */
	g_assert_cmpfloat(gap, >=, 1.0 - 0.01);
	g_assert_cmpfloat(gap, <, 1.0 + SLACK);
	assert_alerts_kept(fx);
	g_assert_cmpuint(sr_test_server_get_request_count(fx->server, PATH), >=, 3);
	run_for(0.3);
	g_assert_cmpint(health(fx)->state, ==, SR_SOURCE_STATE_OK);
}

/* each gap between failed requests is the backoff for that many failures in a row */
static void
assert_backoff_gaps(const gint64 *stamps, guint n, gdouble interval)
{
	for (guint i = 1; i < n; i++) {
		gdouble gap = (gdouble)(stamps[i] - stamps[i - 1]) / G_USEC_PER_SEC;
		g_test_message("gap after failure %u: %.3f s (%.3f .. %.3f)", i, gap,
		               backoff_floor(i, interval), backoff_ceiling(i, interval));
		g_assert_cmpfloat(gap, >=, backoff_floor(i, interval) - 0.01);
		g_assert_cmpfloat(gap, <, backoff_ceiling(i, interval) + SLACK / 2);
	}
}

static void
test_429_without_retry_after(Fixture *fx, gconstpointer data)
{
	gint64 stamps[5];
	start_with_alert(fx, 0.05, 0.3);
	sr_test_server_set_reply(fx->server, PATH, 429, NULL, "slow down", -1);
	stamp_requests(fx, stamps, G_N_ELEMENTS(stamps), 10);
	assert_backoff_gaps(stamps, G_N_ELEMENTS(stamps), 0.05);
	/* the engine's clock counts whole seconds: down once one has passed without an answer */
	wait_line(fx, "source " SOURCE " stale", 5);
	assert_alerts_kept(fx);
	assert_down(fx);
}

static void
test_5xx_storm(Fixture *fx, gconstpointer data)
{
	gint64 stamps[6];
	gdouble first = 0;
	gdouble last = 0;
	start_with_alert(fx, 0.05, 0.3);
	sr_test_server_set_reply(fx->server, PATH, 500, NULL, "internal error", -1);
	stamp_requests(fx, stamps, G_N_ELEMENTS(stamps), 15);
	assert_backoff_gaps(stamps, G_N_ELEMENTS(stamps), 0.05);
	/* it grew: the last wait is well beyond the first (8 times nominally) */
	first = (gdouble)(stamps[1] - stamps[0]) / G_USEC_PER_SEC;
	last = (gdouble)(stamps[5] - stamps[4]) / G_USEC_PER_SEC;
	g_assert_cmpfloat(last, >, 4 * first);
	wait_line(fx, "source " SOURCE " stale", 5);
	assert_alerts_kept(fx);
	assert_down(fx);
	/* the cap itself (a minute) is beyond a unit test's time; what it comes to */
	for (guint i = 1; i < 80; i++) {
		gdouble delay = sr_backoff_delay(i, 0.05, MAX_BACKOFF, -1);
		g_assert_cmpfloat(delay, <=, 1.25 * MAX_BACKOFF);
	}
	g_assert_cmpfloat(sr_backoff_delay(40, 0.05, MAX_BACKOFF, -1), >=, 0.75 * MAX_BACKOFF);
	assert_recovers(fx);
}

/* good and bad answers in turn: the alerts never end and never flicker */
static void
test_flapping(Fixture *fx, gconstpointer data)
{
	gsize len = 0;
	g_autofree char *good = sr_test_read_fixture(SOURCE, "active_mixed.json", &len);
	const struct {
		guint status;
		const char *body;
	} bad[] = {
	    {500, "oops"},          {200, "<html>maintenance</html>"}, {200, ""}, {503, ""},
	    {200, "{\"alerts\":["},
	};
	guint queued = 0;
	guint from = 0;

	start_with_alert(fx, INTERVAL, 2);
	from = fx->lines->len;
	for (guint round = 0; round < 2; round++) {
		for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
			sr_test_server_queue_reply(fx->server, PATH, bad[i].status, NULL,
			                           bad[i].body, -1);
			sr_test_server_queue_reply(fx->server, PATH, 200, NULL, good, (gssize)len);
			queued += 2;
		}
	}
	{
		guint base = sr_test_server_get_request_count(fx->server, PATH);
		gint64 deadline = g_get_monotonic_time() + 15 * G_USEC_PER_SEC;
		while (sr_test_server_get_request_count(fx->server, PATH) < base + queued + 1) {
			g_assert_cmpint(g_get_monotonic_time(), <, deadline);
			/* checked at every step: not even a moment without them */
			assert_alerts_kept(fx);
			step();
		}
	}
	run_for(0.2);
	assert_alerts_kept(fx);
	/* started once, not again after a bad answer */
	for (guint i = from; i < fx->lines->len; i++)
		g_assert_false(g_str_has_prefix(g_ptr_array_index(fx->lines, i), "started "));
	g_assert_cmpint(health(fx)->state, ==, SR_SOURCE_STATE_OK);
}

/* a 200 whose body is not what the API documents: a source error, never an all-clear */
static void
test_malformed_200(Fixture *fx, gconstpointer data)
{
	const char *bodies[] = {
	    "",
	    "<html><body>502 Bad Gateway</body></html>",
	    "{\"alerts\":[",
	    "null",
	    "\"alerts\"",
	    "{\"alerts\":5}",
	    "[]",
	    "\xff\xfe{}",
	};
	guint from = 0;
	start_with_alert(fx, INTERVAL, STALE);
	for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
		gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
		sr_test_server_set_reply(fx->server, PATH, 200, NULL, bodies[i], -1);
		while (health(fx)->failures == 0) {
			g_assert_cmpint(g_get_monotonic_time(), <, deadline);
			step();
		}
		g_test_message("body %u: %s", i, health(fx)->error);
		assert_alerts_kept(fx);
		g_assert_nonnull(strstr(health(fx)->error, "malformed"));
		/* good again between bodies, so that each is judged from a clean start */
		serve_good(fx);
		while (health(fx)->failures > 0) {
			g_assert_cmpint(g_get_monotonic_time(), <, deadline);
			step();
		}
	}
	/* and one that stays: the source is reported down (again: the loop above may have seen
	 * it down and back when a failure fell across a second) */
	from = fx->lines->len;
	sr_test_server_set_reply(fx->server, PATH, 200, NULL, "{\"alerts\":", -1);
	wait_line_from(fx, from, "source " SOURCE " stale", 5);
	assert_alerts_kept(fx);
	assert_recovers(fx);
}

/* TLS with a certificate nobody vouches for: openssl's own server on loopback */

/* the port openssl s_server listens on: it is started on port 0 and says which one the kernel
 * gave it ("ACCEPT 127.0.0.1:PORT"), so no other process can take the port in between */
static guint16
read_accept_port(GSubprocess *server)
{
	g_autoptr(GDataInputStream) out =
	    g_data_input_stream_new(g_subprocess_get_stdout_pipe(server));
	for (;;) {
		g_autoptr(GError) error = NULL;
		g_autofree char *line = g_data_input_stream_read_line(out, NULL, NULL, &error);
		const char *colon = NULL;
		guint64 port = 0;
		g_assert_no_error(error);
		/* EOF: s_server exited, which the test cannot go on without */
		g_assert_nonnull(line);
		if (!g_str_has_prefix(line, "ACCEPT ") || (colon = strrchr(line, ':')) == NULL)
			continue;
		g_assert_true(
		    g_ascii_string_to_unsigned(colon + 1, 10, 1, G_MAXUINT16, &port, NULL));
		return (guint16)port;
	}
}

static void
test_tls_self_signed(Fixture *fx, gconstpointer data)
{
	g_autofree char *openssl = g_find_program_in_path("openssl");
	g_autofree char *dir = NULL;
	g_autofree char *cert = NULL;
	g_autofree char *key = NULL;
	g_autofree char *url = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocess) req = NULL;
	g_autoptr(GSubprocess) server = NULL;
	g_auto(Outcome) outcome = {0};
	guint16 port = 0;

	if (openssl == NULL) {
		g_test_skip("openssl is not installed");
		return;
	}
	dir = g_dir_make_tmp("sirena-tls-XXXXXX", &error);
	g_assert_no_error(error);
	cert = g_build_filename(dir, "cert.pem", NULL);
	key = g_build_filename(dir, "key.pem", NULL);
	req = g_subprocess_new(
	    G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error, openssl,
	    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
	    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
	    "-keyout", key, "-out", cert, NULL);
	g_assert_no_error(error);
	g_assert_true(g_subprocess_wait_check(req, NULL, &error));
	g_assert_no_error(error);

	server = g_subprocess_new(G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
	                              G_SUBPROCESS_FLAGS_STDERR_SILENCE,
	                          &error, openssl, "s_server", "-accept", "127.0.0.1:0", "-cert",
	                          cert, "-key", key, "-www", NULL);
	g_assert_no_error(error);
	/* printed once the socket listens */
	port = read_accept_port(server);

	/* the certificate names the host, but no one trusts it: the transfer fails and is not
	 * retried in plain http */
	url = g_strdup_printf("https://127.0.0.1:%u%s", port, PATH);
	fetch_url(fx->http, url, 5000, &outcome);
	g_test_message("error: %s", outcome.error != NULL ? outcome.error->message : "(none)");
	g_assert_error(outcome.error, SR_ERROR, SR_ERROR_INSECURE);
	g_assert_cmpuint(outcome.status, ==, 0);

	g_subprocess_force_exit(server);
	g_subprocess_wait(server, NULL, NULL);
	g_unlink(cert);
	g_unlink(key);
	g_rmdir(dir);
}

/* true when this process sees no network interface but loopback (a fresh network namespace);
 * /proc/self/net follows the process's namespace, unlike a /sys mounted outside it */
static gboolean
network_isolated(void)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	if (!g_file_get_contents("/proc/self/net/dev", &text, NULL, NULL))
		return FALSE;
	lines = g_strsplit(text, "\n", -1);
	/* two header lines, then "  name: counters…" per interface */
	for (guint i = 2; lines[i] != NULL; i++) {
		g_autofree char *name = NULL;
		const char *colon = strchr(lines[i], ':');
		if (colon == NULL)
			continue;
		name = g_strstrip(g_strndup(lines[i], (gsize)(colon - lines[i])));
		if (g_strcmp0(name, "lo") != 0)
			return FALSE;
	}
	return TRUE;
}

/* the name of the upstream does not resolve: the source is in error with a message naming the
 * name, shows nothing, and is retried with backoff rather than in a tight loop */
static void
test_dns_failure(Fixture *fx, gconstpointer data)
{
	guint failures = 0;
	guint before = 0;
	guint sent = 0;
	if (!network_isolated()) {
		g_test_skip("needs a network namespace with loopback only (meson test faults-dns)");
		return;
	}
	add_source(fx, "https://alerts.sirena-test.invalid", INTERVAL, STALE);
	sr_poller_start(fx->poller);
	wait_line(fx, "source " SOURCE " error", 10);
	g_test_message("error: %s", health(fx)->error);
	g_assert_nonnull(strstr(health(fx)->error, "alerts.sirena-test.invalid"));
	g_assert_null(strstr(health(fx)->error, "test-token-DO-NOT-LEAK"));
	g_assert_cmpuint(sr_engine_get_alerts(fx->engine)->len, ==, 0);
	failures = health(fx)->failures;
	before = sr_poller_get_request_count(fx->poller, SOURCE);
	run_for(1.0);
	sent = sr_poller_get_request_count(fx->poller, SOURCE) - before;
	g_test_message("%u requests in 1 s after %u failures", sent, failures);
	g_assert_cmpuint(sent, <=, 1 + (guint)(1.0 / backoff_floor(failures + 1, INTERVAL)));
	g_assert_cmpuint(sr_engine_get_alerts(fx->engine)->len, ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, fn)                                                                              \
	g_test_add(path, Fixture, NULL, sr_test_poller_setup, fn, sr_test_poller_teardown)
	ADD("/sr/faults/connection-refused", test_connection_refused);
	ADD("/sr/faults/connection-refused-first", test_connection_refused_first);
	ADD("/sr/faults/slow-drip-poll", test_slow_drip_poll);
	ADD("/sr/faults/slow-drip-timeout", test_slow_drip_timeout);
	ADD("/sr/faults/huge-memory", test_huge_memory);
	ADD("/sr/faults/huge-poll", test_huge_poll);
	ADD("/sr/faults/truncated-body", test_truncated_body);
	ADD("/sr/faults/truncated-chunked", test_truncated_chunked);
	ADD("/sr/faults/close-no-reply", test_close_no_reply);
	ADD("/sr/faults/retry-after", test_retry_after);
	ADD("/sr/faults/429-without-retry-after", test_429_without_retry_after);
	ADD("/sr/faults/5xx-storm", test_5xx_storm);
	ADD("/sr/faults/flapping", test_flapping);
	ADD("/sr/faults/malformed-200", test_malformed_200);
	ADD("/sr/faults/tls-self-signed", test_tls_self_signed);
	ADD("/sr/faults/dns-failure", test_dns_failure);
#undef ADD
	return g_test_run();
}
