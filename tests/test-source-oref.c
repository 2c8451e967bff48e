/* test-source-oref.c - the Pikud HaOref sources: decoding, categories, areas, the life of an
 * alert across polls, the history feed, and timelines through the engine and the poller
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-source-oref"

#include "config.h"

#include <string.h>

#include "sirena/engine.h"
#include "sirena/error.h"
#include "sirena/http.h"
#include "sirena/poller.h"
#include "sources/sr-oref.h"
#include "sources/sr-sources-private.h"
#include "sr-test-server.h"
#include "sr-test-util.h"

#define TEL_AVIV  "il:742"                      /* תל אביב - מרכז העיר, 90 s */
#define RAMAT_GAN "il:745"                      /* רמת גן - מערב */
#define KFAR_SABA "il:840"                      /* כפר סבא */
#define BIR_HADAJ "il:78"                       /* ביר הדאג' */
#define KIRYAT_SH "il:1637"                     /* קריית שמונה, 15 s */
#define T0        G_GINT64_CONSTANT(1782896400) /* 2026-07-01T09:00:00Z, 12:00 in Israel */

/* a source instance with its state across polls, feeding an engine */
typedef struct {
	const SrSourceOps *ops;
	const char *name;
	gpointer state;
	SrEngine *engine;
	GPtrArray *lines; /* "started il:742:missile pre_alert", "ended … (reason)" */
} Feed;

static void
change_cb(const SrChange *change, gpointer user_data)
{
	Feed *feed = user_data;
	if (change->type == SR_CHANGE_SOURCE)
		return;
	if (change->type == SR_CHANGE_ENDED)
		g_ptr_array_add(feed->lines,
		                g_strdup_printf("ended %s (%s)", change->alert->key,
		                                change->reason != NULL ? change->reason : "-"));
	else
		g_ptr_array_add(feed->lines,
		                g_strdup_printf("%s %s %s", sr_change_type_to_string(change->type),
		                                change->alert->key,
		                                sr_phase_to_string(change->alert->event->phase)));
}

static void
feed_init(Feed *feed, const SrSourceOps *ops, const char *name, gint64 now)
{
	memset(feed, 0, sizeof(*feed));
	feed->ops = ops;
	feed->name = name;
	feed->engine = sr_engine_new(sr_test_catalog());
	feed->lines = g_ptr_array_new_with_free_func(g_free);
	sr_engine_set_change_func(feed->engine, change_cb, feed);
	sr_engine_add_source(feed->engine, name, ops->type, 600, now);
}

static void
feed_clear(Feed *feed)
{
	if (feed->state != NULL)
		feed->ops->free_state(feed->state);
	sr_engine_free(feed->engine);
	g_ptr_array_unref(feed->lines);
}

static SrParseContext
feed_context(Feed *feed, gint64 now)
{
	SrParseContext ctx = {
	    .source_name = feed->name,
	    .catalog = sr_test_catalog(),
	    .now = now,
	    .state = &feed->state,
	};
	return ctx;
}

/* one poll: parse with the instance's state and hand the batch to the engine */
static SrBatch *
feed_body(Feed *feed, const char *body, gssize len, gint64 now, GError **error)
{
	SrParseContext ctx = feed_context(feed, now);
	SrBatch *batch = feed->ops->parse(body, len < 0 ? strlen(body) : (gsize)len, &ctx, error);
	if (batch != NULL)
		sr_engine_submit(feed->engine, feed->name, batch, now);
	return batch;
}

static void
feed_ok(Feed *feed, const char *body, gint64 now)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = feed_body(feed, body, -1, now, &error);
	g_assert_no_error(error);
	g_assert_nonnull(batch);
}

static void
feed_fixture(Feed *feed, const char *name, gint64 now)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture("oref", name, &len);
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = feed_body(feed, body, (gssize)len, now, &error);
	g_assert_no_error(error);
	g_assert_nonnull(batch);
}

static void
assert_lines(Feed *feed, const char *const *expected)
{
	g_autoptr(GString) seen = g_string_new(NULL);
	guint n = g_strv_length((char **)expected);
	for (guint i = 0; i < feed->lines->len; i++)
		g_string_append_printf(seen, "\n  %s",
		                       (const char *)g_ptr_array_index(feed->lines, i));
	if (feed->lines->len != n)
		g_error("expected %u changes, saw %u:%s", n, feed->lines->len, seen->str);
	for (guint i = 0; i < n; i++) {
		if (g_strcmp0(g_ptr_array_index(feed->lines, i), expected[i]) != 0)
			g_error("change %u: expected '%s'; all:%s", i, expected[i], seen->str);
	}
}

/* a one-off parse (no state), as `sirena parse` does */
static SrBatch *
parse_once(const SrSourceOps *ops, const char *body, gsize len, gint64 now, GError **error)
{
	SrParseContext ctx = {
	    .source_name = ops->type,
	    .catalog = sr_test_catalog(),
	    .now = now,
	};
	return ops->parse(body, len, &ctx, error);
}

static SrBatch *
parse_fixture(const SrSourceOps *ops, const char *name, gint64 now)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture("oref", name, &len);
	g_autoptr(GError) error = NULL;
	SrBatch *batch = parse_once(ops, body, len, now, &error);
	g_assert_no_error(error);
	g_assert_nonnull(batch);
	return batch;
}

static const SrEvent *
event_at(const SrBatch *batch, const char *region, SrKind kind)
{
	for (guint i = 0; i < batch->events->len; i++) {
		const SrEvent *event = g_ptr_array_index(batch->events, i);
		if (event->kind == kind && sr_event_has_region(event, region))
			return event;
	}
	g_error("no %s event at %s", sr_kind_to_string(kind), region);
	return NULL;
}

/* the request */

static void
test_ops(void)
{
	const SrSourceOps *ops = &sr_source_oref;
	g_autoptr(SrSourceConfig) config = sr_source_config_new("oref", ops);
	SrRequest request = {0};
	g_autoptr(GError) error = NULL;
	g_autofree char *headers = NULL;

	g_assert_true(sr_source_registry_lookup("oref") == ops);
	g_assert_true(sr_source_registry_lookup("oref_history") == &sr_source_oref_history);
	g_assert_false(ops->needs_token);
	g_assert_true(ops->conditional);
	g_assert_cmpfloat(ops->default_interval, <=, 2);
	g_assert_cmpfloat(ops->min_interval, >=, 1);
	g_assert_nonnull(ops->restore);
	g_assert_true(ops->build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(request.url, ==,
	                "https://www.oref.org.il/warningMessages/alert/Alerts.json");
	g_ptr_array_add(request.headers, NULL);
	headers = g_strjoinv("|", (char **)request.headers->pdata);
	g_assert_nonnull(strstr(headers, "Referer: https://www.oref.org.il/"));
	g_assert_nonnull(strstr(headers, "X-Requested-With: XMLHttpRequest"));
	sr_request_clear(&request);

	g_clear_pointer(&config, sr_source_config_free);
	config = sr_source_config_new("hist", &sr_source_oref_history);
	g_assert_true(
	    sr_source_oref_history.build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_cmpstr(request.url, ==,
	                "https://www.oref.org.il/warningMessages/alert/History/AlertsHistory.json");
	sr_request_clear(&request);
	g_assert_false(
	    sr_source_oref_history.build_request(config, SR_REQUEST_PROBE, &request, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT);
	sr_request_clear(&request);
}

/* decoding */

static void
assert_missiles(const SrBatch *batch)
{
	const SrEvent *event = NULL;
	g_assert_cmpuint(batch->events->len, ==, 2);
	event = event_at(batch, TEL_AVIV, SR_KIND_MISSILE);
	g_assert_cmpstr(event->id, ==, "oref:il:742:missile");
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_cmpint(event->status, ==, SR_STATUS_ACTUAL);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_EXTREME);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_IMMEDIATE);
	g_assert_cmpstr(event->headline, ==, "ירי רקטות וטילים");
	g_assert_cmpstr(event->instruction, ==, "היכנסו למרחב המוגן ושהו בו 10 דקות");
	g_assert_cmpstr(event->area.description, ==, "תל אביב - מרכז העיר");
	g_assert_cmpstr(event->language, ==, "he");
	sr_test_assert_time(event->started_at, "2026-07-01T09:00:00Z");
	sr_test_assert_time(event->expires_at, "2026-07-01T12:00:00Z");
	g_assert_nonnull(event_at(batch, RAMAT_GAN, SR_KIND_MISSILE));
	sr_test_assert_round_trip(batch);
}

static void
test_encodings(void)
{
	const char *const names[] = {"missiles.json", "missiles-utf8-bom.json",
	                             "missiles-utf16le.json", "missiles-nuls.json"};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autoptr(SrBatch) batch = parse_fixture(&sr_source_oref, names[i], T0);
		g_test_message("%s", names[i]);
		assert_missiles(batch);
	}
}

static void
test_empty_bodies(void)
{
	const char *const names[] = {"empty-crlf.txt", "empty-bom.txt"};
	const char *const bodies[] = {"", " \t\r\n", "\0\0\r\n", "\xef\xbb\xbf", "\xff\xfe"};
	const gsize lens[] = {0, 4, 4, 3, 2};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autoptr(SrBatch) batch = parse_fixture(&sr_source_oref, names[i], T0);
		g_assert_cmpuint(batch->events->len, ==, 0);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SrBatch) batch =
		    parse_once(&sr_source_oref, bodies[i], lens[i], T0, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(batch->events->len, ==, 0);
	}
}

static void
assert_rejected(const char *fixture, const char *body, gssize len, GQuark domain, gint code,
                const char *fragment)
{
	g_autofree char *data = NULL;
	gsize size = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	if (fixture != NULL) {
		data = sr_test_read_fixture("oref", fixture, &size);
		body = data;
	} else {
		size = len < 0 ? strlen(body) : (gsize)len;
	}
	batch = parse_once(&sr_source_oref, body, size, T0, &error);
	g_assert_null(batch);
	g_assert_error(error, domain, code);
	if (fragment != NULL && strstr(error->message, fragment) == NULL)
		g_error("'%s' lacks '%s'", error->message, fragment);
}

static void
test_bad_bodies(void)
{
	assert_rejected("error-page.html", NULL, 0, SR_ERROR, SR_ERROR_SERVER, "errorpage_adom");
	assert_rejected("invalid.txt", NULL, 0, SR_ERROR, SR_ERROR_PARSE, "not JSON");
	assert_rejected("blocked.html", NULL, 0, SR_ERROR, SR_ERROR_PARSE, "not JSON");
	assert_rejected(NULL, "\xff\xfe{", 3, SR_ERROR, SR_ERROR_PARSE, "UTF-16");
	assert_rejected(NULL, "\xff\xfe\x00\xd8x\x00", 6, SR_ERROR, SR_ERROR_PARSE, "UTF-16");
	assert_rejected(NULL, "{\"cat\":\"1\",\"data\":[\"\xff\"]}", -1, SR_ERROR, SR_ERROR_PARSE,
	                "UTF-8");
	assert_rejected(NULL, "[]", -1, SR_ERROR, SR_ERROR_PARSE, "not a JSON object");
	assert_rejected(NULL, "{\"data\":[\"a\"]}", -1, SR_ERROR, SR_ERROR_PARSE, "'cat'");
	assert_rejected(NULL, "{\"cat\":\"x1\",\"data\":[]}", -1, SR_ERROR, SR_ERROR_PARSE,
	                "'cat'");
	assert_rejected(NULL, "{\"cat\":1}", -1, SR_ERROR, SR_ERROR_PARSE, "'data'");
	assert_rejected(NULL, "{\"cat\":1,\"data\":\"a\"}", -1, SR_ERROR, SR_ERROR_PARSE, "'data'");
	assert_rejected(NULL, "{\"cat\":1,\"data\":[\"a\",2]}", -1, SR_ERROR, SR_ERROR_PARSE,
	                "area 1");
	assert_rejected(NULL, "{\"cat\":1,\"title\":5,\"data\":[]}", -1, SR_ERROR, SR_ERROR_PARSE,
	                "'title'");
	assert_rejected(NULL, "{\"cat\":\"1\",\"data\":[\"a\"]", -1, SR_ERROR, SR_ERROR_PARSE,
	                NULL);
	assert_rejected(NULL, "{\"cat\":\"1\",\"data\":[]}{}", -1, SR_ERROR, SR_ERROR_PARSE, NULL);
	assert_rejected(NULL, "{\"cat\":\"1\",\x01\"data\":[]}", -1, SR_ERROR, SR_ERROR_PARSE,
	                "control");
}

static void
test_hostile(void)
{
	g_autoptr(GString) deep = g_string_new("{\"cat\":\"1\",\"data\":");
	g_autoptr(GString) many = g_string_new("{\"cat\":\"1\",\"data\":[");
	g_autoptr(GString) big = g_string_new("{\"cat\":\"1\",\"title\":\"");
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;

	for (guint i = 0; i < 100000; i++)
		g_string_append_c(deep, '[');
	assert_rejected(NULL, deep->str, -1, SR_ERROR, SR_ERROR_PARSE, NULL);
	for (guint i = 0; i < 10001; i++)
		g_string_append_printf(many, "%s\"a%u\"", i > 0 ? "," : "", i);
	g_string_append(many, "]}");
	assert_rejected(NULL, many->str, -1, SR_ERROR, SR_ERROR_PARSE, "more than");
	/* a huge title is carried, not a reason to fail */
	for (guint i = 0; i < 1000000; i++)
		g_string_append_c(big, 'x');
	g_string_append(big, "\",\"data\":[\"כפר סבא\"]}");
	batch = parse_once(&sr_source_oref, big->str, big->len, T0, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(batch->events->len, ==, 1);
}

/* categories */

static void
test_categories(void)
{
	static const struct {
		gint64 cat;
		const char *title;
		SrKind kind;
		SrPhase phase;
		SrStatus status;
	} rows[] = {
	    {1, NULL, SR_KIND_MISSILE, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {2, NULL, SR_KIND_OTHER, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {3, NULL, SR_KIND_EARTHQUAKE, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {4, NULL, SR_KIND_NUCLEAR, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {5, NULL, SR_KIND_TSUNAMI, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {6, NULL, SR_KIND_UAV, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {7, NULL, SR_KIND_HAZMAT, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {13, NULL, SR_KIND_INFILTRATION, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {10, "בדקות הקרובות צפויות להתקבל התרעות באזורך", SR_KIND_MISSILE, SR_PHASE_PRE_ALERT,
	     SR_STATUS_ACTUAL},
	    {10, "האירוע הסתיים", SR_KIND_MISSILE, SR_PHASE_ENDED, SR_STATUS_ACTUAL},
	    {10, "הארוע הסתיים", SR_KIND_MISSILE, SR_PHASE_ENDED, SR_STATUS_ACTUAL},
	    {10, "ניתן לצאת מהמרחב המוגן אך יש להישאר בקרבתו", SR_KIND_MISSILE, SR_PHASE_STAY_NEAR,
	     SR_STATUS_ACTUAL},
	    {10, "Home Front Command - Incident Ended", SR_KIND_MISSILE, SR_PHASE_ENDED,
	     SR_STATUS_ACTUAL},
	    {10, "הודעה חדשה", SR_KIND_OTHER, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {10, NULL, SR_KIND_OTHER, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {101, NULL, SR_KIND_MISSILE, SR_PHASE_ACTIVE, SR_STATUS_EXERCISE},
	    {106, NULL, SR_KIND_UAV, SR_PHASE_ACTIVE, SR_STATUS_EXERCISE},
	    {110, "האירוע הסתיים", SR_KIND_MISSILE, SR_PHASE_ENDED, SR_STATUS_EXERCISE},
	    {42, NULL, SR_KIND_UNKNOWN, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {0, NULL, SR_KIND_UNKNOWN, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	};
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		SrOrefClass klass = {0};
		g_test_message("cat %" G_GINT64_FORMAT, rows[i].cat);
		g_assert_true(sr_oref_classify_realtime(rows[i].cat, rows[i].title, &klass));
		g_assert_cmpint(klass.kind, ==, rows[i].kind);
		g_assert_cmpint(klass.phase, ==, rows[i].phase);
		g_assert_cmpint(klass.status, ==, rows[i].status);
	}
	g_assert_cmpuint(sr_test_count_messages("unknown real-time category '42'"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("unknown news-flash title 'הודעה חדשה'"), ==, 1);
}

static void
test_history_categories(void)
{
	static const struct {
		gint64 category;
		const char *title;
		gboolean alert;
		SrKind kind;
		SrPhase phase;
		SrStatus status;
	} rows[] = {
	    {1, NULL, TRUE, SR_KIND_MISSILE, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {2, NULL, TRUE, SR_KIND_UAV, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {3, NULL, TRUE, SR_KIND_OTHER, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {4, NULL, TRUE, SR_KIND_OTHER, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {5, NULL, FALSE, 0, 0, 0},
	    {6, NULL, FALSE, 0, 0, 0},
	    {7, NULL, TRUE, SR_KIND_EARTHQUAKE, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {8, NULL, TRUE, SR_KIND_EARTHQUAKE, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {9, NULL, TRUE, SR_KIND_NUCLEAR, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {10, NULL, TRUE, SR_KIND_INFILTRATION, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {11, NULL, TRUE, SR_KIND_TSUNAMI, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {12, NULL, TRUE, SR_KIND_HAZMAT, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	    {13, "ניתן לצאת מהמרחב המוגן", TRUE, SR_KIND_MISSILE, SR_PHASE_STAY_NEAR,
	     SR_STATUS_ACTUAL},
	    {13, "האירוע הסתיים", TRUE, SR_KIND_MISSILE, SR_PHASE_ENDED, SR_STATUS_ACTUAL},
	    {13, NULL, TRUE, SR_KIND_MISSILE, SR_PHASE_ENDED, SR_STATUS_ACTUAL},
	    {14, NULL, TRUE, SR_KIND_MISSILE, SR_PHASE_PRE_ALERT, SR_STATUS_ACTUAL},
	    {15, NULL, TRUE, SR_KIND_MISSILE, SR_PHASE_ACTIVE, SR_STATUS_EXERCISE},
	    {16, NULL, TRUE, SR_KIND_UAV, SR_PHASE_ACTIVE, SR_STATUS_EXERCISE},
	    {19, NULL, FALSE, 0, 0, 0},
	    {28, NULL, TRUE, SR_KIND_MISSILE, SR_PHASE_PRE_ALERT, SR_STATUS_EXERCISE},
	    {29, NULL, TRUE, SR_KIND_UNKNOWN, SR_PHASE_ACTIVE, SR_STATUS_ACTUAL},
	};
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		SrOrefClass klass = {0};
		g_test_message("category %" G_GINT64_FORMAT, rows[i].category);
		g_assert_cmpint(sr_oref_classify_history(rows[i].category, rows[i].title, &klass),
		                ==, rows[i].alert);
		if (!rows[i].alert)
			continue;
		g_assert_cmpint(klass.kind, ==, rows[i].kind);
		g_assert_cmpint(klass.phase, ==, rows[i].phase);
		g_assert_cmpint(klass.status, ==, rows[i].status);
	}
}

/* areas */

static void
assert_resolves(const char *name, const char *const *ids)
{
	g_autoptr(GPtrArray) found = sr_oref_resolve_area(sr_test_catalog(), name);
	guint n = g_strv_length((char **)ids);
	g_test_message("%s", name);
	g_assert_cmpuint(found->len, ==, n);
	for (guint i = 0; i < n; i++)
		g_assert_cmpstr(g_ptr_array_index(found, i), ==, ids[i]);
}

static void
test_areas(void)
{
	assert_resolves("תל אביב - מרכז העיר", (const char *const[]){TEL_AVIV, NULL});
	assert_resolves("  תל אביב - מרכז העיר ", (const char *const[]){TEL_AVIV, NULL});
	/* the apostrophe drifts to the front, or is doubled, or is a geresh */
	assert_resolves("'ביר הדאג", (const char *const[]){BIR_HADAJ, NULL});
	assert_resolves("ביר הדאג''", (const char *const[]){BIR_HADAJ, NULL});
	assert_resolves("ביר הדאג\327\263", (const char *const[]){BIR_HADAJ, NULL});
	assert_resolves("כפר סבא (אזור התרעה ישן)", (const char *const[]){KFAR_SABA, NULL});
	/* the all-country pseudo-areas */
	assert_resolves("כל הארץ", (const char *const[]){"il:all", NULL});
	assert_resolves("ברחבי הארץ", (const char *const[]){"il:all", NULL});
	/* a zone that shares its name with an area: the feed means the area */
	assert_resolves("אילת", (const char *const[]){"il:4", NULL});
	assert_resolves("תל אביב - כל האזורים",
	                (const char *const[]){"il:722", "il:724", TEL_AVIV, "il:783", NULL});
	assert_resolves("תל אביב כל - האזורים",
	                (const char *const[]){"il:722", "il:724", TEL_AVIV, "il:783", NULL});
	/* unknown: shown as published, logged once */
	assert_resolves("שכונה חדשה בדיונית", (const char *const[]){"il:שכונה חדשה בדיונית", NULL});
	assert_resolves("שכונה חדשה בדיונית", (const char *const[]){"il:שכונה חדשה בדיונית", NULL});
	g_assert_cmpuint(sr_test_count_messages("unknown area 'שכונה חדשה בדיונית'"), ==, 1);
	/* the feed's own test rows are no places */
	assert_resolves("בדיקה", (const char *const[]){NULL});
	assert_resolves("", (const char *const[]){NULL});
}

static void
test_uav_areas(void)
{
	g_autoptr(SrBatch) batch = parse_fixture(&sr_source_oref, "uav.json", T0);
	const SrEvent *event = NULL;
	g_assert_cmpuint(batch->events->len, ==, 3);
	event = event_at(batch, BIR_HADAJ, SR_KIND_UAV);
	g_assert_cmpstr(event->area.description, ==, "'ביר הדאג");
	g_assert_nonnull(event_at(batch, KIRYAT_SH, SR_KIND_UAV));
	event = event_at(batch, "il:שכונה חדשה בדיונית", SR_KIND_UAV);
	g_assert_cmpstr(event->area.description, ==, "שכונה חדשה בדיונית");
}

static void
test_all_country(void)
{
	Feed feed;
	g_autoptr(SrBatch) batch = parse_fixture(&sr_source_oref, "all-country.json", T0);
	g_assert_cmpuint(batch->events->len, ==, 1);
	g_assert_nonnull(event_at(batch, "il:all", SR_KIND_MISSILE));

	/* it reaches a subscription to one area */
	feed_init(&feed, &sr_source_oref, "oref", T0 - 10);
	sr_engine_add_subscription(feed.engine, KIRYAT_SH);
	feed_fixture(&feed, "all-country.json", T0);
	assert_lines(&feed, (const char *const[]){"started il:all:missile active", NULL});
	feed_clear(&feed);

	batch = (sr_batch_free(batch), parse_fixture(&sr_source_oref, "city-all-areas.json", T0));
	g_assert_cmpuint(batch->events->len, ==, 5);
	g_assert_nonnull(event_at(batch, "il:783", SR_KIND_MISSILE));
	g_assert_nonnull(event_at(batch, KFAR_SABA, SR_KIND_MISSILE));
}

/* the life of an alert */

static void
test_pre_alert_alert_end(void)
{
	Feed feed;
	feed_init(&feed, &sr_source_oref, "oref", T0 - 100);
	sr_engine_add_subscription(feed.engine, TEL_AVIV);
	feed_ok(&feed, "", T0 - 90);
	feed_fixture(&feed, "pre-alert.json", T0 - 60);
	feed_fixture(&feed, "pre-alert.json", T0 - 58);
	feed_fixture(&feed, "empty-crlf.txt", T0 - 30);
	feed_fixture(&feed, "missiles.json", T0);
	feed_fixture(&feed, "missiles.json", T0 + 2);
	feed_fixture(&feed, "empty-bom.txt", T0 + 60);
	feed_fixture(&feed, "end.json", T0 + 600);
	feed_fixture(&feed, "end.json", T0 + 602);
	feed_ok(&feed, "", T0 + 700);
	assert_lines(&feed, (const char *const[]){
	                        "started il:742:missile pre_alert",
	                        "updated il:742:missile active",
	                        "ended il:742:missile (oref reports the end)",
	                        NULL,
	                    });
	feed_clear(&feed);
}

static void
test_repeated_pulse(void)
{
	Feed feed;
	feed_init(&feed, &sr_source_oref, "oref", T0 - 10);
	sr_engine_add_subscription(feed.engine, TEL_AVIV);
	/* one alert on show for 60 s, flipping with another alert type and with nothing */
	for (gint64 t = 0; t <= 60; t += 2) {
		if (t % 10 == 4)
			feed_ok(&feed,
			        "{\"id\":\"77\",\"cat\":\"6\",\"title\":\"חדירת כלי טיס "
			        "עוין\",\"data\":[\"קריית שמונה\"]}",
			        T0 + t);
		else if (t % 10 == 8)
			feed_ok(&feed, "\r\n", T0 + t);
		else
			feed_fixture(&feed, "missiles.json", T0 + t);
	}
	assert_lines(&feed, (const char *const[]){"started il:742:missile active", NULL});
	feed_clear(&feed);
}

static void
test_stay_near(void)
{
	Feed feed;
	feed_init(&feed, &sr_source_oref, "oref", T0 - 10);
	sr_engine_add_subscription(feed.engine, TEL_AVIV);
	feed_fixture(&feed, "missiles.json", T0);
	feed_fixture(&feed, "stay-near.json", T0 + 600);
	feed_fixture(&feed, "end-old-spelling.json", T0 + 900);
	assert_lines(&feed, (const char *const[]){
	                        "started il:742:missile active",
	                        "updated il:742:missile stay_near",
	                        "ended il:742:missile (oref reports the end)",
	                        NULL,
	                    });
	feed_clear(&feed);
}

static void
test_drill_never_real(void)
{
	Feed feed;
	g_autoptr(SrBatch) batch = parse_fixture(&sr_source_oref, "drill.json", T0);
	const SrEvent *event = event_at(batch, TEL_AVIV, SR_KIND_MISSILE);
	g_assert_cmpint(event->status, ==, SR_STATUS_EXERCISE);
	g_assert_cmpstr(event->id, ==, "oref:il:742:missile:exercise");

	feed_init(&feed, &sr_source_oref, "oref", T0 - 10);
	feed_fixture(&feed, "drill.json", T0);
	feed_fixture(&feed, "drill.json", T0 + 30);
	feed_ok(&feed, "", T0 + 60);
	g_assert_cmpuint(sr_engine_get_alerts(feed.engine)->len, ==, 0);
	assert_lines(&feed, (const char *const[]){NULL});
	/* a drill's end does not end the real alert */
	feed_fixture(&feed, "missiles.json", T0 + 100);
	feed_ok(&feed,
	        "{\"id\":\"9\",\"cat\":\"110\",\"title\":\"האירוע הסתיים\",\"data\":[\"תל אביב - "
	        "מרכז העיר\"]}",
	        T0 + 130);
	g_assert_cmpuint(sr_engine_get_alerts(feed.engine)->len, ==, 2);
	feed_clear(&feed);
}

static void
test_time_outs(void)
{
	Feed feed;
	feed_init(&feed, &sr_source_oref, "oref", T0 - 10);
	sr_engine_add_subscription(feed.engine, TEL_AVIV);
	feed_fixture(&feed, "pre-alert.json", T0);
	feed_ok(&feed, "", T0 + 19 * 60);
	g_assert_cmpuint(feed.lines->len, ==, 1);
	/* the poller's 304s and the watchdog reach the engine without a body */
	sr_engine_submit(feed.engine, "oref", NULL, T0 + 20 * 60 - 1);
	g_assert_cmpuint(feed.lines->len, ==, 1);
	sr_engine_tick(feed.engine, T0 + 20 * 60);
	/* the next body agrees */
	feed_ok(&feed, "", T0 + 20 * 60 + 2);
	assert_lines(&feed, (const char *const[]){
	                        "started il:742:missile pre_alert",
	                        "ended il:742:missile (oref: no alert followed the pre-alert "
	                        "before it expired)",
	                        NULL,
	                    });

	g_ptr_array_set_size(feed.lines, 0);
	feed_fixture(&feed, "missiles.json", T0 + 3600);
	feed_ok(&feed, "", T0 + 3600 + 179 * 60);
	g_assert_cmpuint(feed.lines->len, ==, 1);
	feed_ok(&feed, "", T0 + 3600 + 180 * 60);
	assert_lines(&feed, (const char *const[]){
	                        "started il:742:missile active",
	                        "ended il:742:missile (oref: expired without an end message)",
	                        NULL,
	                    });
	feed_clear(&feed);
}

static void
test_stale_source_keeps_alert(void)
{
	Feed feed;
	g_autoptr(GError) error = g_error_new_literal(SR_ERROR, SR_ERROR_NETWORK, "refused");
	feed_init(&feed, &sr_source_oref, "oref", T0 - 10);
	feed_fixture(&feed, "pre-alert.json", T0);
	/* down from before the time-out to after it: nobody knows what happened */
	sr_engine_submit_error(feed.engine, "oref", error, T0 + 15 * 60);
	sr_engine_tick(feed.engine, T0 + 30 * 60);
	g_assert_cmpuint(sr_engine_get_alerts(feed.engine)->len, ==, 2);
	feed_clear(&feed);
}

static void
test_end_then_same_pulse(void)
{
	Feed feed;
	feed_init(&feed, &sr_source_oref, "oref", T0 - 10);
	sr_engine_add_subscription(feed.engine, TEL_AVIV);
	feed_fixture(&feed, "missiles.json", T0);
	feed_fixture(&feed, "end.json", T0 + 30);
	/* the file flips back to the ended alert's own pulse: old news */
	feed_fixture(&feed, "missiles.json", T0 + 32);
	feed_fixture(&feed, "missiles-utf8-bom.json", T0 + 34);
	g_assert_cmpuint(feed.lines->len, ==, 2);
	/* a new alert (a new id) is a new alert */
	feed_ok(&feed,
	        "{\"id\":\"134168709720000099\",\"cat\":\"1\",\"title\":\"ירי רקטות "
	        "וטילים\",\"data\":[\"תל אביב - מרכז העיר\"],\"desc\":\"\"}",
	        T0 + 40);
	assert_lines(&feed, (const char *const[]){
	                        "started il:742:missile active",
	                        "ended il:742:missile (oref reports the end)",
	                        "started il:742:missile active",
	                        NULL,
	                    });
	feed_clear(&feed);
}

static void
test_failed_parse_keeps_state(void)
{
	Feed feed;
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	feed_init(&feed, &sr_source_oref, "oref", T0 - 10);
	feed_fixture(&feed, "missiles.json", T0);
	batch = feed_body(&feed,
	                  "{\"cat\":\"10\",\"title\":\"האירוע הסתיים\",\"data\":[\"תל אביב - "
	                  "מרכז העיר\",7]}",
	                  -1, T0 + 10, &error);
	g_assert_null(batch);
	g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
	sr_engine_submit_error(feed.engine, "oref", error, T0 + 10);
	feed_ok(&feed, "", T0 + 12);
	g_assert_cmpuint(sr_engine_get_alerts(feed.engine)->len, ==, 2);
	feed_clear(&feed);
}

static void
test_restore(void)
{
	Feed feed;
	g_autoptr(SrEvent) alert = sr_event_new("sirena", "il:742:missile");
	SrParseContext ctx = {0};

	alert->kind = SR_KIND_MISSILE;
	alert->phase = SR_PHASE_ACTIVE;
	alert->started_at = T0;
	alert->updated_at = T0;
	alert->expires_at = T0 + 180 * 60;
	sr_event_add_region(alert, TEL_AVIV);
	sr_event_set_text(&alert->area.description, "תל אביב - מרכז העיר");

	/* after a restart the real-time file is empty between pulses: no all-clear from that */
	feed_init(&feed, &sr_source_oref, "oref", T0 + 100);
	ctx = feed_context(&feed, T0 + 100);
	sr_source_oref.restore(&feed.state, alert, &ctx);
	feed_ok(&feed, "", T0 + 102);
	assert_lines(&feed, (const char *const[]){"started il:742:missile active", NULL});
	g_assert_true(feed.lines->len == 1);
	feed_fixture(&feed, "end.json", T0 + 300);
	g_assert_cmpuint(feed.lines->len, ==, 2);
	feed_clear(&feed);

	/* the same for the history source, and nothing for a Ukrainian alert */
	feed_init(&feed, &sr_source_oref_history, "hist", T0 + 100);
	ctx = feed_context(&feed, T0 + 100);
	sr_source_oref_history.restore(&feed.state, alert, &ctx);
	g_ptr_array_set_size(alert->regions, 0);
	sr_event_add_region(alert, "ua:31");
	sr_source_oref_history.restore(&feed.state, alert, &ctx);
	feed_ok(&feed, "[]", T0 + 102);
	assert_lines(&feed, (const char *const[]){"started il:742:missile active", NULL});
	feed_clear(&feed);
}

/* history */

static void
test_history_times(void)
{
	gint64 t = 0;
	g_assert_true(sr_oref_parse_local_time("2026-07-01 12:00:00", &t));
	sr_test_assert_time(t, "2026-07-01T09:00:00Z"); /* summer: UTC+3 */
	g_assert_true(sr_oref_parse_local_time("2026-01-15T12:00:00", &t));
	sr_test_assert_time(t, "2026-01-15T10:00:00Z"); /* winter: UTC+2 */
	g_assert_false(sr_oref_parse_local_time("2026-01-15 12:00", &t));
	g_assert_false(sr_oref_parse_local_time("2026-13-15 12:00:00", &t));
	g_assert_false(sr_oref_parse_local_time("yesterday", &t));
	g_assert_false(sr_oref_parse_local_time(NULL, &t));
}

static void
test_history_fixture(void)
{
	Feed feed;
	g_autoptr(SrBatch) batch = NULL;
	g_autoptr(GError) error = NULL;
	const SrEvent *event = NULL;
	gsize len = 0;
	g_autofree char *body = NULL;

	/* at 12:01:30 Israel time the first rows are out; at 12:10:30 the rest */
	feed_init(&feed, &sr_source_oref_history, "hist", T0 - 10);
	feed_fixture(&feed, "history-early.json", T0 + 90);
	body = sr_test_read_fixture("oref", "history.json", &len);
	batch = feed_body(&feed, body, (gssize)len, T0 + 630, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(batch->events->len, ==, 4);
	event = event_at(batch, RAMAT_GAN, SR_KIND_MISSILE);
	g_assert_cmpint(event->phase, ==, SR_PHASE_STAY_NEAR);
	sr_test_assert_time(event->started_at, "2026-07-01T09:00:00Z");
	event = event_at(batch, KIRYAT_SH, SR_KIND_UAV);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	sr_test_assert_time(event->started_at, "2026-07-01T09:01:10Z");
	/* Tel Aviv: the pre-alert, the alert, the end */
	event = event_at(batch, TEL_AVIV, SR_KIND_MISSILE);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ENDED);
	sr_test_assert_time(event->started_at, "2026-07-01T08:58:30Z");
	sr_test_assert_time(event->ended_at, "2026-07-01T09:10:00Z");
	/* the drill is there as a drill; the memorial-day siren is no alert */
	event = event_at(batch, KFAR_SABA, SR_KIND_MISSILE);
	g_assert_cmpint(event->status, ==, SR_STATUS_EXERCISE);
	assert_lines(&feed, (const char *const[]){
	                        /* the pre-alert and the alert came in one poll */
	                        "started il:742:missile active",
	                        "started il:745:missile active",
	                        "started il:1637:uav active",
	                        "ended il:742:missile (hist reports the end)",
	                        "updated il:745:missile stay_near",
	                        NULL,
	                    });
	feed_clear(&feed);

	/* the alert-history site's rows: minute-floored alertDate, a row id */
	g_clear_pointer(&batch, sr_batch_free);
	batch = parse_fixture(&sr_source_oref_history, "history-extended.json", T0 + 6 * 60);
	event = event_at(batch, "il:1251", SR_KIND_MISSILE);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
}

static void
test_history_no_phantom(void)
{
	Feed feed;
	/* sirenad starts two hours after an alert whose end never came */
	feed_init(&feed, &sr_source_oref_history, "hist", T0 + 2 * 3600);
	feed_ok(&feed,
	        "[{\"alertDate\":\"2026-07-01 12:00:00\",\"title\":\"ירי רקטות וטילים\","
	        "\"data\":\"תל אביב - מרכז העיר\",\"category\":1}]",
	        T0 + 2 * 3600);
	g_assert_cmpuint(sr_engine_get_alerts(feed.engine)->len, ==, 0);
	/* five minutes old: still time to take shelter, so it counts */
	feed_ok(&feed,
	        "[{\"alertDate\":\"2026-07-01 12:00:00\",\"title\":\"ירי רקטות וטילים\","
	        "\"data\":\"תל אביב - מרכז העיר\",\"category\":1},"
	        "{\"alertDate\":\"2026-07-01 13:55:00\",\"title\":\"ירי רקטות וטילים\","
	        "\"data\":\"כפר סבא\",\"category\":1}]",
	        T0 + 2 * 3600 + 10);
	assert_lines(&feed, (const char *const[]){"started il:840:missile active", NULL});
	/* the rows stay in the feed for a day; an end row ends it, once */
	feed_ok(&feed,
	        "[{\"alertDate\":\"2026-07-01 13:55:00\",\"title\":\"ירי רקטות וטילים\","
	        "\"data\":\"כפר סבא\",\"category\":1},"
	        "{\"alertDate\":\"2026-07-01 14:05:00\",\"title\":\"האירוע הסתיים\","
	        "\"data\":\"כפר סבא\",\"category\":13}]",
	        T0 + 2 * 3600 + 400);
	feed_ok(&feed,
	        "[{\"alertDate\":\"2026-07-01 13:55:00\",\"title\":\"ירי רקטות וטילים\","
	        "\"data\":\"כפר סבא\",\"category\":1},"
	        "{\"alertDate\":\"2026-07-01 14:05:00\",\"title\":\"האירוע הסתיים\","
	        "\"data\":\"כפר סבא\",\"category\":13}]",
	        T0 + 2 * 3600 + 410);
	assert_lines(&feed,
	             (const char *const[]){"started il:840:missile active",
	                                   "ended il:840:missile (hist reports the end)", NULL});
	feed_clear(&feed);
}

static void
test_history_bad(void)
{
	Feed feed;
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	const char *const rejected[] = {"{}", "[", "invalid", "[]x", "\"rows\""};

	for (guint i = 0; i < G_N_ELEMENTS(rejected); i++) {
		g_clear_error(&error);
		batch = parse_once(&sr_source_oref_history, rejected[i], strlen(rejected[i]), T0,
		                   &error);
		g_assert_null(batch);
		g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
	}
	/* bad rows are skipped, good rows still count; an empty body says nothing */
	feed_init(&feed, &sr_source_oref_history, "hist", T0 - 10);
	feed_ok(&feed,
	        "[1,\"x\",{\"alertDate\":5},{\"alertDate\":\"2026-07-01 12:00:00\"},"
	        "{\"alertDate\":\"2026-07-01 12:00:00\",\"data\":[],\"category\":1},"
	        "{\"alertDate\":\"not a date\",\"data\":\"כפר סבא\",\"category\":1},"
	        "{\"alertDate\":\"2026-07-01 12:00:00\",\"data\":\"כפר סבא\",\"category\":\"1\"}]",
	        T0 + 5);
	feed_ok(&feed, "\r\n", T0 + 15);
	feed_ok(&feed, "", T0 + 25);
	assert_lines(&feed, (const char *const[]){"started il:840:missile active", NULL});
	g_assert_cmpuint(sr_test_count_messages("history row '0'"), ==, 1);
	feed_clear(&feed);
}

/* timelines on the loopback server, through the real poller */

typedef struct {
	SrTestServer *server;
	SrEngine *engine;
	SrHttp *http;
	SrPoller *poller;
	GPtrArray *configs;
	Feed feed; /* only its lines */
} Loop;

static void
loop_init(Loop *loop)
{
	loop->server = sr_test_server_new();
	loop->engine = sr_engine_new(sr_test_catalog());
	loop->http = sr_http_new(NULL, "sirena-test");
	loop->poller = sr_poller_new(loop->engine, loop->http, sr_test_catalog());
	loop->configs = g_ptr_array_new_with_free_func((GDestroyNotify)sr_source_config_free);
	loop->feed.lines = g_ptr_array_new_with_free_func(g_free);
	sr_engine_set_change_func(loop->engine, change_cb, &loop->feed);
}

static void
loop_clear(Loop *loop)
{
	sr_poller_free(loop->poller);
	sr_http_free(loop->http);
	sr_engine_free(loop->engine);
	g_ptr_array_unref(loop->configs);
	g_ptr_array_unref(loop->feed.lines);
	sr_test_server_free(loop->server);
}

static void
loop_add(Loop *loop, const char *name, const char *type, gdouble interval)
{
	SrSourceConfig *config = sr_source_config_new(name, sr_source_registry_lookup(type));
	g_free(config->url);
	config->url = g_strdup(sr_test_server_get_url(loop->server));
	config->interval = interval;
	config->stale_after = 60;
	g_ptr_array_add(loop->configs, config);
	sr_poller_add_source(loop->poller, config);
}

static void
run_until(Loop *loop, guint n_lines, guint timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + timeout_ms * 1000;
	while (loop->feed.lines->len < n_lines) {
		if (g_get_monotonic_time() > deadline)
			g_error("%u changes expected, %u seen", n_lines, loop->feed.lines->len);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
}

static char *
israel_now(gint64 offset)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GTimeZone) tz = sr_time_zone_jerusalem(&error);
	g_autoptr(GDateTime) now = g_date_time_new_now(tz);
	g_autoptr(GDateTime) then = g_date_time_add_seconds(now, (gdouble)offset);
	return g_date_time_format(then, "%Y-%m-%d %H:%M:%S");
}

static void
test_loopback_missed_pulse(void)
{
	Loop loop = {0};
	g_autofree char *date = israel_now(-5);
	g_autofree char *history =
	    g_strdup_printf("[{\"alertDate\":\"%s\",\"title\":\"ירי רקטות וטילים\",\"data\":\"כפר "
	                    "סבא\",\"category\":1}]",
	                    date);
	g_autofree char *referer = NULL;

	loop_init(&loop);
	sr_engine_add_subscription(loop.engine, KFAR_SABA);

	/* the real-time file only ever shows nothing: the pulse came and went between polls */
	sr_test_server_set_reply(loop.server, "/warningMessages/alert/Alerts.json", 200,
	                         "Last-Modified: Wed, 01 Jul 2026 09:00:00 GMT", "\xef\xbb\xbf\r\n",
	                         -1);
	sr_test_server_set_reply(loop.server, "/warningMessages/alert/History/AlertsHistory.json",
	                         200, NULL, history, -1);
	loop_add(&loop, "oref", "oref", 0.2);
	loop_add(&loop, "oref_history", "oref_history", 0.5);
	sr_poller_start(loop.poller);
	run_until(&loop, 1, 5000);
	g_assert_cmpstr(g_ptr_array_index(loop.feed.lines, 0), ==, "started il:840:missile active");
	referer = sr_test_server_get_last_header(loop.server, "/warningMessages/alert/Alerts.json",
	                                         "Referer");
	g_assert_cmpstr(referer, ==, "https://www.oref.org.il/");

	/* the end message comes through the real-time file */
	sr_test_server_set_reply(
	    loop.server, "/warningMessages/alert/Alerts.json", 200, NULL,
	    "{\"id\":\"5\",\"cat\":\"10\",\"title\":\"האירוע הסתיים\",\"data\":[\"כפר סבא\"]}", -1);
	g_free(history);
	history =
	    g_strdup_printf("[{\"alertDate\":\"%s\",\"title\":\"ירי רקטות וטילים\",\"data\":\"כפר "
	                    "סבא\",\"category\":1},{\"alertDate\":\"%s\",\"title\":\"האירוע "
	                    "הסתיים\",\"data\":\"כפר סבא\",\"category\":13}]",
	                    date, date);
	sr_test_server_set_reply(loop.server, "/warningMessages/alert/History/AlertsHistory.json",
	                         200, NULL, history, -1);
	run_until(&loop, 2, 5000);
	g_assert_true(
	    g_str_has_prefix(g_ptr_array_index(loop.feed.lines, 1), "ended il:840:missile ("));

	loop_clear(&loop);
}

static void
test_loopback_geo_block(void)
{
	Loop loop = {0};
	const SrSourceHealth *health = NULL;
	gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

	loop_init(&loop);
	sr_test_server_set_reply(loop.server, "/warningMessages/alert/Alerts.json", 403, NULL,
	                         "<html>Access Denied</html>", -1);
	loop_add(&loop, "oref", "oref", 0.2);
	sr_poller_start(loop.poller);
	health = sr_engine_get_source(loop.engine, "oref");
	while (health->error == NULL || health->state != SR_SOURCE_STATE_ERROR) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
	/* the user learns what to do, not that a token is wrong: there is none */
	g_assert_nonnull(strstr(health->error, "Israeli proxy with proxy="));
	g_assert_nonnull(strstr(health->error, "HTTP 403"));
	g_assert_null(strstr(health->error, "token"));
	loop_clear(&loop);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	sr_test_capture_messages("sr-oref");
	g_test_add_func("/sr/source-oref/ops", test_ops);
	g_test_add_func("/sr/source-oref/encodings", test_encodings);
	g_test_add_func("/sr/source-oref/empty-bodies", test_empty_bodies);
	g_test_add_func("/sr/source-oref/bad-bodies", test_bad_bodies);
	g_test_add_func("/sr/source-oref/hostile", test_hostile);
	g_test_add_func("/sr/source-oref/categories", test_categories);
	g_test_add_func("/sr/source-oref/history-categories", test_history_categories);
	g_test_add_func("/sr/source-oref/areas", test_areas);
	g_test_add_func("/sr/source-oref/uav-areas", test_uav_areas);
	g_test_add_func("/sr/source-oref/all-country", test_all_country);
	g_test_add_func("/sr/source-oref/pre-alert-alert-end", test_pre_alert_alert_end);
	g_test_add_func("/sr/source-oref/repeated-pulse", test_repeated_pulse);
	g_test_add_func("/sr/source-oref/stay-near", test_stay_near);
	g_test_add_func("/sr/source-oref/drill", test_drill_never_real);
	g_test_add_func("/sr/source-oref/time-outs", test_time_outs);
	g_test_add_func("/sr/source-oref/stale-keeps", test_stale_source_keeps_alert);
	g_test_add_func("/sr/source-oref/end-then-pulse", test_end_then_same_pulse);
	g_test_add_func("/sr/source-oref/failed-parse", test_failed_parse_keeps_state);
	g_test_add_func("/sr/source-oref/restore", test_restore);
	g_test_add_func("/sr/source-oref/history-times", test_history_times);
	g_test_add_func("/sr/source-oref/history-fixture", test_history_fixture);
	g_test_add_func("/sr/source-oref/history-no-phantom", test_history_no_phantom);
	g_test_add_func("/sr/source-oref/history-bad", test_history_bad);
	g_test_add_func("/sr/source-oref/loopback-missed-pulse", test_loopback_missed_pulse);
	g_test_add_func("/sr/source-oref/loopback-geo-block", test_loopback_geo_block);
	return g_test_run();
}
