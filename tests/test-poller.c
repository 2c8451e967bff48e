/* test-poller.c - polling real sources against the loopback server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sirena/error.h"
#include "sirena/http.h"
#include "sirena/json.h"
#include "sirena/poller.h"
#include "sr-test-poller.h"
#include "sr-test-server.h"
#include "sr-test-util.h"

typedef SrTestPollerFixture Fixture;

static SrSourceConfig *
add_source(Fixture *fx, const char *type, gdouble interval, gdouble stale_after)
{
	return sr_test_poller_add_source(fx, type, NULL, interval, stale_after);
}

static gboolean
has_line(Fixture *fx, const char *line)
{
	return sr_test_poller_find_line(fx, 0, line) >= 0;
}

/* runs the loop until @line was reported, or fails after @timeout_ms */
static void
wait_line(Fixture *fx, const char *line, guint timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + timeout_ms * 1000;
	while (!has_line(fx, line)) {
		if (g_get_monotonic_time() > deadline) {
			g_autofree char *all = sr_test_poller_dump_lines(fx);
			g_error("'%s' not seen within %u ms; seen:%s", line, timeout_ms, all);
		}
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
}

static void
run_for(guint ms)
{
	gint64 deadline = g_get_monotonic_time() + ms * 1000;
	while (g_get_monotonic_time() < deadline) {
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
}

static void
set_fixture(Fixture *fx, const char *path, const char *source, const char *name,
            const char *headers)
{
	g_autofree char *file = sr_test_fixture_path(source, name);
	sr_test_server_set_reply_file(fx->server, path, 200, headers, file);
}

static void
test_conditional(Fixture *fx, gconstpointer data)
{
	g_autofree char *auth = NULL;
	g_autofree char *ims = NULL;
	set_fixture(fx, "/v1/alerts/active.json", "alerts_in_ua", "active_mixed.json",
	            "Last-Modified: Sun, 20 Sep 2026 21:30:02 GMT");
	add_source(fx, "alerts_in_ua", 0.2, 5);
	sr_poller_start(fx->poller);
	wait_line(fx, "started ua:124:air_raid", 5000);
	run_for(700);
	/* the token travels in the header, the later polls are conditional and cost no parse */
	auth =
	    sr_test_server_get_last_header(fx->server, "/v1/alerts/active.json", "Authorization");
	g_assert_cmpstr(auth, ==, "Bearer test-token-DO-NOT-LEAK");
	ims = sr_test_server_get_last_header(fx->server, "/v1/alerts/active.json",
	                                     "If-Modified-Since");
	g_assert_cmpstr(ims, ==, "Sun, 20 Sep 2026 21:30:02 GMT");
	g_assert_cmpuint(sr_test_server_get_request_count(fx->server, "/v1/alerts/active.json"), >=,
	                 3);
	/* one connection, reused */
	g_assert_cmpuint(sr_test_server_get_connection_count(fx->server), ==, 1);
	g_assert_cmpint(sr_engine_get_source(fx->engine, "alerts_in_ua")->state, ==,
	                SR_SOURCE_STATE_OK);
}

static void
test_probe(Fixture *fx, gconstpointer data)
{
	set_fixture(fx, "/api/v3/alerts/status", "ukraine_alarm", "status_1.json", NULL);
	set_fixture(fx, "/api/v3/alerts", "ukraine_alarm", "alerts_kyiv_yellow.json", NULL);
	add_source(fx, "ukraine_alarm", 0.1, 5);
	sr_poller_start(fx->poller);
	wait_line(fx, "started ua:31:air_raid", 5000);
	run_for(600);
	/* the counter did not move: the alerts were fetched once */
	g_assert_cmpuint(sr_test_server_get_request_count(fx->server, "/api/v3/alerts"), ==, 1);
	g_assert_cmpuint(sr_test_server_get_request_count(fx->server, "/api/v3/alerts/status"), >=,
	                 3);
	set_fixture(fx, "/api/v3/alerts", "ukraine_alarm", "alerts_kyiv_red.json", NULL);
	set_fixture(fx, "/api/v3/alerts/status", "ukraine_alarm", "status_2.json", NULL);
	wait_line(fx, "updated ua:31:air_raid", 5000);
	g_assert_cmpuint(sr_test_server_get_request_count(fx->server, "/api/v3/alerts"), ==, 2);
}

static void
test_malformed_keeps_alerts(Fixture *fx, gconstpointer data)
{
	set_fixture(fx, "/v1/alerts/active.json", "alerts_in_ua", "active_mixed.json", NULL);
	add_source(fx, "alerts_in_ua", 0.1, 0.5);
	sr_poller_start(fx->poller);
	wait_line(fx, "started ua:124:air_raid", 5000);
	/* garbage, then an error page with 200: a source error, never an all-clear */
	sr_test_server_set_reply(fx->server, "/v1/alerts/active.json", 200, NULL,
	                         "<html>maintenance</html>", -1);
	wait_line(fx, "source alerts_in_ua stale", 5000);
	sr_test_server_set_reply(fx->server, "/v1/alerts/active.json", 200, NULL, "", 0);
	run_for(500);
	g_assert_false(has_line(fx, "ended ua:124:air_raid"));
	g_assert_cmpuint(sr_engine_get_alerts(fx->engine)->len, ==, 3);
	/* recovery with a real all-clear ends it */
	set_fixture(fx, "/v1/alerts/active.json", "alerts_in_ua", "active_empty.json", NULL);
	wait_line(fx, "ended ua:124:air_raid", 5000);
	g_assert_true(has_line(fx, "source alerts_in_ua ok"));
}

static void
test_server_errors_keep_alerts(Fixture *fx, gconstpointer data)
{
	set_fixture(fx, "/aerialalerts/", "ubilling", "states.json", NULL);
	add_source(fx, "ubilling", 0.1, 0.5);
	sr_poller_start(fx->poller);
	wait_line(fx, "started ua:31:air_raid", 5000);
	sr_test_server_set_reply(fx->server, "/aerialalerts/", 503, "Retry-After: 1", "busy", -1);
	wait_line(fx, "source ubilling stale", 5000);
	run_for(300);
	g_assert_false(has_line(fx, "ended ua:31:air_raid"));
	set_fixture(fx, "/aerialalerts/", "ubilling", "states.json", NULL);
	wait_line(fx, "source ubilling ok", 5000);
	g_assert_false(has_line(fx, "ended ua:31:air_raid"));
}

static void
test_retry_after(Fixture *fx, gconstpointer data)
{
	gint64 start = 0;
	set_fixture(fx, "/aerialalerts/", "ubilling", "states.json", NULL);
	sr_test_server_queue_reply(fx->server, "/aerialalerts/", 429, "Retry-After: 2", "slow down",
	                           -1);
	add_source(fx, "ubilling", 0.1, 10);
	start = g_get_monotonic_time();
	sr_poller_start(fx->poller);
	wait_line(fx, "started ua:31:air_raid", 6000);
	/* the second request waited for the server's word, not the 0.1 s interval */
	g_assert_cmpint(g_get_monotonic_time() - start, >=, 1800 * 1000);
	g_assert_cmpuint(sr_test_server_get_request_count(fx->server, "/aerialalerts/"), ==, 2);
}

static void
test_throttling_401(Fixture *fx, gconstpointer data)
{
	/* Ukraine Alarm answers 401 when it throttles: a few are not a bad key */
	set_fixture(fx, "/api/v3/alerts", "ukraine_alarm", "alerts_kyiv_yellow.json", NULL);
	set_fixture(fx, "/api/v3/alerts/status", "ukraine_alarm", "status_1.json", NULL);
	for (guint i = 0; i < 3; i++)
		sr_test_server_queue_reply(fx->server, "/api/v3/alerts", 401, NULL, "", 0);
	add_source(fx, "ukraine_alarm", 0.05, 30);
	sr_poller_start(fx->poller);
	wait_line(fx, "started ua:31:air_raid", 8000);
	g_assert_false(has_line(fx, "source ukraine_alarm error"));
}

static void
test_bad_key(Fixture *fx, gconstpointer data)
{
	/* a bad key is refused on every endpoint */
	sr_test_server_set_reply(fx->server, "/api/v3/alerts", 401, NULL, "", 0);
	sr_test_server_set_reply(fx->server, "/api/v3/alerts/status", 401, NULL, "", 0);
	add_source(fx, "ukraine_alarm", 0.05, 30);
	sr_poller_start(fx->poller);
	/* after five in a row it is the key: said at once, not after the stale window */
	wait_line(fx, "source ukraine_alarm error", 8000);
	g_assert_nonnull(strstr(sr_engine_get_source(fx->engine, "ukraine_alarm")->error, "401"));
	g_assert_null(
	    strstr(sr_engine_get_source(fx->engine, "ukraine_alarm")->error, "DO-NOT-LEAK"));
}

static void
set_flag(gpointer data)
{
	*(gboolean *)data = TRUE;
}

/* a server without validators sends the same list on every poll: it is parsed once, and the
 * first different body is parsed again; a parser with state (oref) reads every body */
static void
test_same_body(Fixture *fx, gconstpointer data)
{
	g_autofree char *oref = sr_test_fixture_path("oref", "missiles.json");
	g_autofree char *lines = NULL;
	g_autofree char *after = NULL;
	guint requests = 0;

	set_fixture(fx, "/aerialalerts/", "ubilling", "states.json", NULL);
	sr_test_server_set_reply_file(fx->server, "/warningMessages/alert/Alerts.json", 200, NULL,
	                              oref);
	add_source(fx, "ubilling", 0.1, 5);
	add_source(fx, "oref", 0.1, 5);
	sr_poller_start(fx->poller);
	run_for(800);
	requests = sr_poller_get_request_count(fx->poller, "ubilling");
	g_assert_cmpuint(requests, >=, 4);
	g_assert_cmpuint(sr_poller_get_parse_count(fx->poller, "ubilling"), ==, 1);
	g_assert_cmpint(sr_engine_get_source(fx->engine, "ubilling")->state, ==,
	                SR_SOURCE_STATE_OK);
	/* every answered request was parsed (the last one may still be on its way) */
	g_assert_cmpuint(sr_poller_get_parse_count(fx->poller, "oref") + 1, >=,
	                 sr_poller_get_request_count(fx->poller, "oref"));
	g_assert_cmpuint(sr_poller_get_parse_count(fx->poller, "oref"), >=, 4);
	/* what the first body said stands: started once, never ended */
	lines = sr_test_poller_dump_lines(fx);
	g_assert_nonnull(strstr(lines, "started ua:"));
	g_assert_null(strstr(lines, "ended ua:"));

	/* a different body (other alerts, other times) is read at the next poll */
	set_fixture(fx, "/aerialalerts/", "ubilling", "dst.json", NULL);
	run_for(500);
	g_assert_cmpuint(sr_poller_get_parse_count(fx->poller, "ubilling"), ==, 2);
	g_assert_cmpint(sr_engine_get_source(fx->engine, "ubilling")->state, ==,
	                SR_SOURCE_STATE_OK);
	after = sr_test_poller_dump_lines(fx);
	g_assert_cmpuint(strlen(after), >, strlen(lines));
}

static void
test_poll_once(Fixture *fx, gconstpointer data)
{
	gboolean done = FALSE;
	set_fixture(fx, "/v1/alerts/active.json", "alerts_in_ua", "active_mixed.json", NULL);
	sr_test_server_set_reply(fx->server, "/aerialalerts/", 500, NULL, "oops", -1);
	add_source(fx, "alerts_in_ua", 10, 0);
	add_source(fx, "ubilling", 10, 0);
	sr_poller_poll_once(fx->poller, G_CALLBACK(set_flag), &done);
	sr_test_wait_for(&done, 5000);
	g_assert_cmpuint(sr_engine_get_alerts(fx->engine)->len, ==, 3);
	g_assert_cmpint(sr_engine_get_source(fx->engine, "alerts_in_ua")->state, ==,
	                SR_SOURCE_STATE_OK);
	g_assert_cmpint(sr_engine_get_source(fx->engine, "ubilling")->state, ==,
	                SR_SOURCE_STATE_ERROR);
	g_assert_cmpuint(sr_test_server_get_request_count(fx->server, NULL), ==, 2);
}

/* index feeds: a NINA dashboard lists warnings, each fetched once per version */

#define DASHBOARD "/dashboard/091620000000.json"

static void
serve_dashboard(Fixture *fx, const char *items)
{
	g_autofree char *body = g_strdup_printf("[%s]", items);
	sr_test_server_set_reply(fx->server, DASHBOARD, 200, NULL, body, -1);
}

static char *
dashboard_item(const char *id, const char *hash)
{
	return g_strdup_printf("{\"id\":\"%s\",\"payload\":{\"version\":1,\"id\":\"%s\","
	                       "\"hash\":\"%s\"}}",
	                       id, id, hash);
}

static void
serve_warning(Fixture *fx, const char *id, const char *headline, guint status)
{
	g_autofree char *path = g_strdup_printf("/warnings/%s.json", id);
	g_autofree char *body = g_strdup_printf(
	    "{\"identifier\":\"%s\",\"sender\":\"opendata@dwd.de\",\"sent\":"
	    "\"2026-11-25T06:00:00+01:00\",\"status\":\"Actual\",\"msgType\":\"Alert\","
	    "\"scope\":\"Public\",\"info\":[{\"language\":\"de-DE\",\"category\":[\"Met\"],"
	    "\"event\":\"STURMBÖEN\",\"urgency\":\"Immediate\",\"severity\":\"Moderate\","
	    "\"certainty\":\"Likely\",\"headline\":\"%s\",\"area\":[{\"areaDesc\":"
	    "\"München\",\"geocode\":[{\"valueName\":\"ARS\",\"value\":\"091620000000\"}]}]}]}",
	    id, headline);
	sr_test_server_set_reply(fx->server, path, status, NULL, body, -1);
}

static guint
warning_requests(Fixture *fx, const char *id)
{
	g_autofree char *path = g_strdup_printf("/warnings/%s.json", id);
	return sr_test_server_get_request_count(fx->server, path);
}

static void
run_polls(Fixture *fx, guint n)
{
	guint start = sr_test_server_get_request_count(fx->server, DASHBOARD);
	gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	while (sr_test_server_get_request_count(fx->server, DASHBOARD) < start + n) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
	/* and the documents of the last one */
	run_for(100);
}

static void
test_index_feed(Fixture *fx, gconstpointer data)
{
	SrSourceConfig *config = NULL;
	g_autofree char *a1 = dashboard_item("W1", "h1");
	g_autofree char *a2 = dashboard_item("W1", "h2");
	g_autofree char *b1 = dashboard_item("W2", "h1");
	g_autofree char *c1 = dashboard_item("W3", "h1");
	g_autofree char *both = g_strdup_printf("%s,%s", a1, b1);
	g_autofree char *changed = g_strdup_printf("%s,%s", a2, b1);
	g_autofree char *three = g_strdup_printf("%s,%s,%s", a2, b1, c1);

	serve_dashboard(fx, both);
	serve_warning(fx, "W1", "Sturm", 200);
	serve_warning(fx, "W2", "Glätte", 200);
	config = add_source(fx, "nina", 0.1, 0);
	g_hash_table_replace(config->extra, g_strdup("ars"), g_strdup("091620000000"));
	sr_poller_start(fx->poller);
	wait_line(fx, "started nina:W2:weather", 5000);
	g_assert_true(has_line(fx, "started(baseline) nina:W1:weather") ||
	              has_line(fx, "started nina:W1:weather"));

	/* polls that list the same versions fetch no document again */
	run_polls(fx, 3);
	g_assert_cmpuint(warning_requests(fx, "W1"), ==, 1);
	g_assert_cmpuint(warning_requests(fx, "W2"), ==, 1);

	/* a new version is fetched, and only it */
	serve_warning(fx, "W1", "Orkan", 200);
	serve_dashboard(fx, changed);
	wait_line(fx, "updated nina:W1:weather", 5000);
	g_assert_cmpuint(warning_requests(fx, "W1"), ==, 2);
	g_assert_cmpuint(warning_requests(fx, "W2"), ==, 1);

	/* a document that fails keeps the source in error and its alerts as they were */
	serve_warning(fx, "W3", "Hochwasser", 500);
	serve_dashboard(fx, three);
	wait_line(fx, "source nina stale", 5000);
	g_assert_cmpuint(sr_engine_get_alerts(fx->engine)->len, ==, 2);
	g_assert_nonnull(strstr(sr_engine_get_source(fx->engine, "nina")->error, "W3"));

	/* one that is gone (404) is left out: the source is fine again */
	serve_warning(fx, "W3", "Hochwasser", 404);
	wait_line(fx, "source nina ok", 5000);
	g_assert_cmpuint(sr_engine_get_alerts(fx->engine)->len, ==, 2);

	/* what the dashboard no longer lists has ended */
	serve_dashboard(fx, a2);
	wait_line(fx, "ended nina:W2:weather", 5000);
	g_assert_cmpuint(sr_engine_get_alerts(fx->engine)->len, ==, 1);
}

/* an Atom index whose links are relative: resolved against the index's own address */
static void
test_index_relative_links(Fixture *fx, gconstpointer data)
{
	SrSourceConfig *config = NULL;
	g_autofree char *url = NULL;
	const char *index = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>x</id>"
	                    "<entry><id>e1</id><updated>2026-11-25T06:00:00Z</updated>"
	                    "<link type=\"application/cap+xml\" href=\"docs/alert.xml\"/></entry>"
	                    "</feed>";
	g_autofree char *doc = sr_test_fixture_path("cap-e2e", "alert.xml");

	sr_test_server_set_reply(fx->server, "/cap/index.atom", 200, NULL, index, -1);
	sr_test_server_set_reply_file(fx->server, "/cap/docs/alert.xml", 200, NULL, doc);
	config = add_source(fx, "cap_feed", 0.1, 0);
	url = g_strdup_printf("%s/cap/index.atom", config->url);
	g_free(config->url);
	config->url = g_steal_pointer(&url);
	sr_poller_start(fx->poller);
	wait_line(fx, "started cap_feed:SR-E2E-STORM-1:weather", 5000);
	g_assert_cmpuint(sr_test_server_get_request_count(fx->server, "/cap/docs/alert.xml"), ==,
	                 1);
}

static void
test_politeness(void)
{
	/* a real upstream cannot be polled faster than it allows; loopback can */
	const SrSourceOps *aiu = sr_source_registry_lookup("alerts_in_ua");
	g_autoptr(SrSourceConfig) real = sr_source_config_new("a", aiu);
	g_autoptr(SrSourceConfig) local = sr_source_config_new("b", aiu);
	real->interval = 1;
	local->interval = 0.2;
	g_free(local->url);
	local->url = g_strdup("http://127.0.0.1:9");
	g_assert_cmpfloat(sr_poller_effective_interval(real), ==, 10);
	g_assert_cmpfloat(sr_poller_effective_interval(local), ==, 0.2);
	real->interval = 60;
	g_assert_cmpfloat(sr_poller_effective_interval(real), ==, 60);
	/* Ukraine Alarm's per-key budget of 3 a minute means 20 s at least */
	real->ops = sr_source_registry_lookup("ukraine_alarm");
	real->interval = 5;
	g_assert_cmpfloat(sr_poller_effective_interval(real), ==, 20);
}

static gint
compare_doubles(gconstpointer a, gconstpointer b)
{
	gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;
	return x < y ? -1 : x > y;
}

/* staggering: the offsets, a pure computation */
static void
test_stagger_offsets(void)
{
	gdouble offsets[4];
	const gdouble two[] = {10, 10};
	const gdouble three[] = {30, 30, 30};
	const gdouble mixed[] = {30, 15};
	const gdouble one[] = {15};
	const gdouble zero[] = {0, 10};

	sr_poller_stagger(two, 2, offsets);
	g_assert_cmpfloat_with_epsilon(offsets[0], 0, 1e-9);
	g_assert_cmpfloat_with_epsilon(offsets[1], 5, 1e-9);
	sr_poller_stagger(three, 3, offsets);
	g_assert_cmpfloat_with_epsilon(offsets[0], 0, 1e-9);
	g_assert_cmpfloat_with_epsilon(offsets[1], 10, 1e-9);
	g_assert_cmpfloat_with_epsilon(offsets[2], 20, 1e-9);
	/* the shorter interval leads; the longer lands between two of its polls */
	sr_poller_stagger(mixed, 2, offsets);
	g_assert_cmpfloat_with_epsilon(offsets[1], 0, 1e-9);
	g_assert_cmpfloat_with_epsilon(offsets[0], 10, 1e-9);
	sr_poller_stagger(one, 1, offsets);
	g_assert_cmpfloat(offsets[0], ==, 0);
	/* a source without an interval neither moves nor divides by zero */
	sr_poller_stagger(zero, 2, offsets);
	g_assert_cmpfloat(offsets[0], ==, 0);
	g_assert_cmpfloat(offsets[1], >=, 0);
	g_assert_cmpfloat(offsets[1], <, 10);
}

static void
test_source_groups(void)
{
	const char *ua[] = {"alerts_in_ua", "ukraine_alarm", "ubilling", "alerts_com_ua"};
	g_autoptr(SrSourceConfig) config = NULL;
	for (guint i = 0; i < G_N_ELEMENTS(ua); i++) {
		const SrSourceOps *ops = sr_source_registry_lookup(ua[i]);
		g_autoptr(SrSourceConfig) c = NULL;
		if (ops == NULL)
			continue; /* a type not built yet */
		c = sr_source_config_new(ua[i], ops);
		g_assert_cmpstr(sr_poller_source_group(c), ==, "ua");
	}
	config = sr_source_config_new("o", sr_source_registry_lookup("oref"));
	g_assert_cmpstr(sr_poller_source_group(config), ==, "il");
	config->ops = sr_source_registry_lookup("oref_history");
	g_assert_cmpstr(sr_poller_source_group(config), ==, "il");
	config->ops = sr_source_registry_lookup("cap");
	g_assert_null(sr_poller_source_group(config));
	config->ops = sr_source_registry_lookup("replay");
	g_assert_null(sr_poller_source_group(config));
}

/* a simulated hour on a fake clock: @n sources of @type at @interval, each polled at
 * sr_poller_next_due() after its answer; a failure of source 0 at 600 s backs it off */
typedef struct {
	gdouble offset;
	gdouble last;
	gdouble due;
	GArray *polls;
} SimSource;

static void
simulate(const char *type, guint n, gdouble interval, gdouble *combined_max_gap)
{
	const SrSourceOps *ops = sr_source_registry_lookup(type);
	gdouble floor = MAX(ops->min_interval, 60.0 / ops->max_per_minute);
	gdouble intervals[4], offsets[4];
	SimSource sources[4] = {{0}};
	g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(gdouble));
	gboolean failed = FALSE;

	g_assert_cmpuint(n, <=, 4);
	for (guint i = 0; i < n; i++)
		intervals[i] = interval;
	sr_poller_stagger(intervals, n, offsets);
	for (guint i = 0; i < n; i++) {
		sources[i].offset = offsets[i];
		sources[i].last = -1;
		sources[i].due = 0; /* everyone polls at once at start */
		sources[i].polls = g_array_new(FALSE, FALSE, sizeof(gdouble));
	}
	for (;;) {
		guint next = 0;
		SimSource *source = NULL;
		gdouble now = 0;
		for (guint i = 1; i < n; i++)
			if (sources[i].due < sources[next].due)
				next = i;
		source = &sources[next];
		now = source->due;
		if (now > 3600)
			break;
		g_array_append_val(source->polls, now);
		g_array_append_val(all, now);
		source->last = now;
		if (next == 0 && !failed && now >= 600) {
			/* a 503: the backoff decides, not the phase */
			failed = TRUE;
			source->due = now + 37;
			continue;
		}
		/* answered 50 ms later */
		source->due = sr_poller_next_due(0, source->offset, interval, source->last, floor,
		                                 now + 0.05);
	}
	for (guint i = 0; i < n; i++) {
		GArray *polls = sources[i].polls;
		for (guint j = 1; j < polls->len; j++) {
			gdouble gap =
			    g_array_index(polls, gdouble, j) - g_array_index(polls, gdouble, j - 1);
			guint in_minute = 0;
			/* never earlier than the API allows, never more than its budget */
			g_assert_cmpfloat(gap, >=, floor - 1e-6);
			for (guint k = 0; k <= j; k++)
				if (g_array_index(polls, gdouble, j) -
				        g_array_index(polls, gdouble, k) <
				    60)
					in_minute++;
			g_assert_cmpuint(in_minute, <=, ops->max_per_minute);
		}
		/* back on its phase after the failure */
		if (i == 0) {
			gdouble t = g_array_index(polls, gdouble, polls->len - 1);
			gdouble phase = fmod(t - sources[0].offset, interval);
			g_assert_true(phase < 1e-6 || interval - phase < 1e-6);
		}
		g_array_unref(polls);
	}
	g_array_sort(all, compare_doubles);
	*combined_max_gap = 0;
	for (guint j = 1; j < all->len; j++) {
		gdouble t = g_array_index(all, gdouble, j);
		/* the start (everyone at 0) and the failure are not the steady state */
		if (t <= interval || (t >= 600 && t <= 600 + 37 + 2 * interval))
			continue;
		*combined_max_gap = MAX(*combined_max_gap, t - g_array_index(all, gdouble, j - 1));
	}
}

static void
test_stagger_fake_clock(void)
{
	gdouble gap = 0;
	/* two alerts.in.ua keys at 15 s: the country is looked at every 7.5 s */
	simulate("alerts_in_ua", 2, 15, &gap);
	g_assert_cmpfloat(gap, <=, 7.5 + 1e-6);
	/* at the API's floor the phase waits a whole interval rather than undercut it */
	simulate("alerts_in_ua", 2, 10, &gap);
	g_assert_cmpfloat(gap, <=, 5 + 1e-6);
	simulate("ubilling", 3, 9, &gap);
	g_assert_cmpfloat(gap, <=, 3 + 1e-6);
	/* the floor itself: a slot closer than it to the last poll is skipped */
	g_assert_cmpfloat(sr_poller_next_due(0, 5, 10, 0, 10, 0.05), ==, 15);
	g_assert_cmpfloat(sr_poller_next_due(0, 5, 10, 0, 0, 0.05), ==, 5);
	/* after a backoff the phase resumes at the next slot */
	g_assert_cmpfloat(sr_poller_next_due(0, 5, 10, 37, 3, 37.05), ==, 45);
	g_assert_cmpfloat(sr_poller_next_due(0, 5, 10, 33, 3, 33.05), ==, 45);
	g_assert_cmpfloat(sr_poller_next_due(0, 5, 10, 31, 3, 31.05), ==, 35);
	/* a poll a hair before its slot (a timer's rounding) served that slot: not polled twice */
	g_assert_cmpfloat(sr_poller_next_due(0, 0, 0.2, 0.5995, 0, 0.5999), ==, 0.8);
}

static GArray *
poll_times(Fixture *fx, const char *name)
{
	GArray *times = sr_poller_get_poll_times(fx->poller, name);
	g_assert_nonnull(times);
	return times;
}

/* two Ukrainian sources at one interval, for real: half an interval apart */
static void
test_stagger_real(Fixture *fx, gconstpointer data)
{
	const gdouble interval = 0.4, tolerance = 0.08;
	g_autoptr(GArray) a = NULL;
	g_autoptr(GArray) b = NULL;
	g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(gdouble));
	SrPollerStats stats = {0};
	gdouble max_gap = 0;
	gint64 start = 0;

	set_fixture(fx, "/v1/alerts/active.json", "alerts_in_ua", "active_mixed.json", NULL);
	set_fixture(fx, "/aerialalerts/", "ubilling", "states.json", NULL);
	add_source(fx, "alerts_in_ua", interval, 5);
	add_source(fx, "ubilling", interval, 5);
	start = g_get_monotonic_time();
	sr_poller_start(fx->poller);
	run_for(2300);
	a = poll_times(fx, "alerts_in_ua");
	b = poll_times(fx, "ubilling");
	/* both polled at once at start */
	g_assert_cmpint(g_array_index(a, gint64, 0) - start, <, 50000);
	g_assert_cmpint(g_array_index(b, gint64, 0) - start, <, 50000);
	g_assert_cmpuint(a->len, >=, 5);
	g_assert_cmpuint(b->len, >=, 5);
	for (guint i = 0; i < a->len; i++) {
		gdouble t = (gdouble)(g_array_index(a, gint64, i) - start) / G_USEC_PER_SEC;
		g_array_append_val(all, t);
		/* its own rate: an interval apart after the start */
		if (i >= 2)
			g_assert_cmpfloat(t - (gdouble)(g_array_index(a, gint64, i - 1) - start) /
			                          G_USEC_PER_SEC,
			                  >=, interval - tolerance);
	}
	for (guint i = 0; i < b->len; i++) {
		gdouble t = (gdouble)(g_array_index(b, gint64, i) - start) / G_USEC_PER_SEC;
		g_array_append_val(all, t);
		if (i >= 2)
			g_assert_cmpfloat(t - (gdouble)(g_array_index(b, gint64, i - 1) - start) /
			                          G_USEC_PER_SEC,
			                  >=, interval - tolerance);
	}
	g_array_sort(all, compare_doubles);
	/* after the start, the country is polled every half interval, never both at once */
	for (guint i = 3; i < all->len; i++) {
		gdouble gap = g_array_index(all, gdouble, i) - g_array_index(all, gdouble, i - 1);
		max_gap = MAX(max_gap, gap);
		g_assert_cmpfloat(gap, >=, interval / 2 - tolerance);
	}
	g_assert_cmpfloat(max_gap, <=, interval / 2 + tolerance);

	/* and the figures say so */
	g_assert_true(sr_poller_get_stats(fx->poller, "ubilling", &stats));
	g_assert_cmpstr(stats.group, ==, "ua");
	g_assert_cmpfloat_with_epsilon(stats.interval, interval, 1e-9);
	g_assert_cmpfloat(stats.interval_median, >=, interval - tolerance);
	g_assert_cmpfloat(stats.interval_median, <=, interval + tolerance);
	g_assert_cmpfloat(stats.latency_median, >, 0);
	g_assert_cmpfloat(stats.latency_median, <, 0.5);
	g_assert_cmpuint(stats.polls, ==, b->len);
	g_assert_false(stats.streaming);
	g_assert_true(sr_poller_get_stats(fx->poller, "alerts_in_ua", &stats));
	g_assert_cmpfloat(fabs(stats.offset - interval / 2) < 1e-9 || stats.offset < 1e-9, ==,
	                  TRUE);
	g_assert_false(sr_poller_get_stats(fx->poller, "nonexistent", &stats));
}

/* the figures: intervals, round trips, how late an alert was seen */
static void
test_stats(Fixture *fx, gconstpointer data)
{
	SrPollerStats stats = {0};
	g_autoptr(cJSON) json = NULL;
	set_fixture(fx, "/v1/alerts/active.json", "alerts_in_ua", "active_empty.json", NULL);
	add_source(fx, "alerts_in_ua", 0.2, 5);
	g_assert_true(sr_poller_get_stats(fx->poller, "alerts_in_ua", &stats));
	/* nothing measured yet: no figure rather than a zero */
	g_assert_cmpfloat(stats.interval_mean, <, 0);
	g_assert_cmpfloat(stats.latency_median, <, 0);
	g_assert_cmpfloat(stats.detection_median, <, 0);
	json = sr_poller_stats_to_json(&stats);
	g_assert_true(cJSON_IsNull(cJSON_GetObjectItem(json, "measured_interval_s")));
	g_assert_true(cJSON_IsNull(cJSON_GetObjectItem(json, "latency_s")));
	g_assert_true(cJSON_IsNull(cJSON_GetObjectItem(json, "stream")));
	g_clear_pointer(&json, cJSON_Delete);

	sr_poller_start(fx->poller);
	run_for(700);
	/* alerts that start after the first answer are detections; their delay is measured */
	set_fixture(fx, "/v1/alerts/active.json", "alerts_in_ua", "active_mixed.json", NULL);
	wait_line(fx, "started ua:124:air_raid", 5000);
	g_assert_true(sr_poller_get_stats(fx->poller, "alerts_in_ua", &stats));
	g_assert_cmpuint(stats.polls, >=, 4);
	g_assert_cmpuint(stats.requests, >=, stats.polls);
	g_assert_cmpfloat(stats.interval_mean, >, 0.1);
	g_assert_cmpfloat(stats.interval_mean, <, 0.35);
	g_assert_cmpfloat(stats.latency_median, >, 0);
	/* the fixture's alerts began weeks before the clock of this test */
	g_assert_cmpfloat(stats.detection_median, >, 0);
	json = sr_poller_stats_to_json(&stats);
	g_assert_cmpfloat(cJSON_GetObjectItem(json, "interval_s")->valuedouble, ==, 0.2);
	g_assert_true(cJSON_IsNumber(cJSON_GetObjectItem(json, "measured_interval_s")));
	g_assert_true(cJSON_IsNumber(cJSON_GetObjectItem(json, "latency_s")));
	g_assert_true(cJSON_IsNumber(cJSON_GetObjectItem(json, "detection_delay_s")));
	g_assert_cmpstr(cJSON_GetObjectItem(json, "group")->valuestring, ==, "ua");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, fn)                                                                              \
	g_test_add(path, Fixture, NULL, sr_test_poller_setup, fn, sr_test_poller_teardown)
	ADD("/sr/poller/conditional", test_conditional);
	ADD("/sr/poller/probe", test_probe);
	ADD("/sr/poller/malformed-keeps-alerts", test_malformed_keeps_alerts);
	ADD("/sr/poller/server-errors-keep-alerts", test_server_errors_keep_alerts);
	ADD("/sr/poller/retry-after", test_retry_after);
	ADD("/sr/poller/throttling-401", test_throttling_401);
	ADD("/sr/poller/bad-key", test_bad_key);
	ADD("/sr/poller/poll-once", test_poll_once);
	ADD("/sr/poller/same-body", test_same_body);
	ADD("/sr/poller/index-feed", test_index_feed);
	ADD("/sr/poller/index-relative-links", test_index_relative_links);
	ADD("/sr/poller/stagger-real", test_stagger_real);
	ADD("/sr/poller/stats", test_stats);
#undef ADD
	g_test_add_func("/sr/poller/politeness", test_politeness);
	g_test_add_func("/sr/poller/stagger-offsets", test_stagger_offsets);
	g_test_add_func("/sr/poller/source-groups", test_source_groups);
	g_test_add_func("/sr/poller/stagger-fake-clock", test_stagger_fake_clock);
	return g_test_run();
}
