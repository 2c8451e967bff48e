/* test-engine.c - tracking, fusion, staleness and subscriptions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sirena/engine.h"
#include "sirena/geo.h"
#include "sirena/error.h"
#include "sirena/json.h"
#include "sr-test-util.h"

#define T0 1795587160 /* 2026-11-25T06:12:40Z */

typedef struct {
	SrEngine *engine;
	GPtrArray *lines; /* "started ua:31:air_raid", "source a stale" ... */
	GPtrArray *json;  /* the JSON lines */
} Fixture;

static void
change_cb(const SrChange *change, gpointer user_data)
{
	Fixture *fx = user_data;
	g_autoptr(cJSON) json = sr_change_to_json(change, sr_test_catalog());
	if (change->type == SR_CHANGE_SOURCE)
		g_ptr_array_add(fx->lines,
		                g_strdup_printf("source %s %s", change->source->name,
		                                sr_source_state_to_string(change->source->state)));
	else
		g_ptr_array_add(fx->lines,
		                g_strdup_printf("%s%s %s", sr_change_type_to_string(change->type),
		                                change->baseline ? "(baseline)" : "",
		                                change->alert->key));
	g_ptr_array_add(fx->json, sr_json_print(json));
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	fx->engine = sr_engine_new(sr_test_catalog());
	fx->lines = g_ptr_array_new_with_free_func(g_free);
	fx->json = g_ptr_array_new_with_free_func(g_free);
	sr_engine_set_change_func(fx->engine, change_cb, fx);
	sr_engine_add_source(fx->engine, "a", "alerts_in_ua", 30, T0);
	sr_engine_add_source(fx->engine, "b", "ukraine_alarm", 30, T0);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	sr_engine_free(fx->engine);
	g_ptr_array_unref(fx->lines);
	g_ptr_array_unref(fx->json);
}

static SrEvent *
ev(const char *source, const char *id, const char *region, SrKind kind)
{
	g_autofree char *full_id = g_strdup_printf("%s:%s", source, id);
	SrEvent *event = sr_event_new(source, full_id);
	event->kind = kind;
	event->severity = SR_SEVERITY_EXTREME;
	event->urgency = SR_URGENCY_IMMEDIATE;
	event->certainty = SR_CERTAINTY_OBSERVED;
	event->started_at = T0 - 60;
	event->updated_at = T0 - 60;
	sr_event_add_region(event, region);
	return event;
}

/* submits a snapshot of the given events (taken) */
static void
submit(Fixture *fx, const char *source, gint64 now, ...)
{
	g_autoptr(SrBatch) batch = sr_batch_new(SR_BATCH_SNAPSHOT);
	va_list args;
	SrEvent *event = NULL;
	va_start(args, now);
	while ((event = va_arg(args, SrEvent *)) != NULL)
		sr_batch_take(batch, event);
	va_end(args);
	sr_engine_submit(fx->engine, source, batch, now);
}

static void
fail(Fixture *fx, const char *source, gint code, gint64 now)
{
	g_autoptr(GError) error = g_error_new_literal(SR_ERROR, code, "connection refused");
	sr_engine_submit_error(fx->engine, source, error, now);
}

static void
assert_lines(Fixture *fx, const char *expected)
{
	g_autoptr(GString) got = g_string_new(NULL);
	for (guint i = 0; i < fx->lines->len; i++)
		g_string_append_printf(got, "%s%s", i > 0 ? "|" : "",
		                       (const char *)g_ptr_array_index(fx->lines, i));
	g_assert_cmpstr(got->str, ==, expected);
	g_ptr_array_set_size(fx->lines, 0);
	g_ptr_array_set_size(fx->json, 0);
}

static guint
n_alerts(Fixture *fx)
{
	return sr_engine_get_alerts(fx->engine)->len;
}

static void
test_baseline_then_changes(Fixture *fx, gconstpointer data)
{
	submit(fx, "a", T0, ev("a", "1", "ua:16", SR_KIND_AIR_RAID), NULL);
	assert_lines(fx, "started(baseline) ua:16:air_raid");
	/* the same snapshot again is no news */
	submit(fx, "a", T0 + 10, ev("a", "1", "ua:16", SR_KIND_AIR_RAID), NULL);
	assert_lines(fx, "");
	submit(fx, "a", T0 + 20, ev("a", "1", "ua:16", SR_KIND_AIR_RAID),
	       ev("a", "2", "ua:124", SR_KIND_AIR_RAID), NULL);
	assert_lines(fx, "started ua:124:air_raid");
	submit(fx, "a", T0 + 30, ev("a", "1", "ua:16", SR_KIND_AIR_RAID), NULL);
	assert_lines(fx, "ended ua:124:air_raid");
	g_assert_cmpuint(n_alerts(fx), ==, 1);
	/* an empty snapshot is an all-clear from a source that answered */
	submit(fx, "a", T0 + 40, NULL);
	assert_lines(fx, "ended ua:16:air_raid");
	g_assert_cmpuint(n_alerts(fx), ==, 0);
}

static void
test_fusion(Fixture *fx, gconstpointer data)
{
	const SrAlert *alert = NULL;
	submit(fx, "a", T0, NULL);
	submit(fx, "b", T0, NULL);
	assert_lines(fx, "");
	submit(fx, "a", T0 + 10, ev("a", "91234", "ua:124", SR_KIND_AIR_RAID), NULL);
	assert_lines(fx, "started ua:124:air_raid");
	/* the second source reporting the same alert is the same alert */
	submit(fx, "b", T0 + 12, ev("b", "124:air_raid", "ua:124", SR_KIND_AIR_RAID), NULL);
	assert_lines(fx, "");
	g_assert_cmpuint(n_alerts(fx), ==, 1);
	alert = g_ptr_array_index(sr_engine_get_alerts(fx->engine), 0);
	g_assert_cmpuint(alert->sources->len, ==, 2);
	g_assert_cmpuint(alert->events->len, ==, 2);
	/* a different kind in the same region is another alert */
	submit(fx, "b", T0 + 14, ev("b", "124:air_raid", "ua:124", SR_KIND_AIR_RAID),
	       ev("b", "124:artillery", "ua:124", SR_KIND_ARTILLERY), NULL);
	assert_lines(fx, "started ua:124:artillery");
	/* one source ending it is not the end while another still reports it */
	submit(fx, "a", T0 + 20, NULL);
	assert_lines(fx, "");
	g_assert_cmpuint(n_alerts(fx), ==, 2);
	submit(fx, "b", T0 + 22, ev("b", "124:artillery", "ua:124", SR_KIND_ARTILLERY), NULL);
	assert_lines(fx, "ended ua:124:air_raid");
}

static void
test_update(Fixture *fx, gconstpointer data)
{
	SrEvent *yellow = ev("b", "31:air_raid", "ua:31", SR_KIND_AIR_RAID);
	SrEvent *red = ev("b", "31:air_raid", "ua:31", SR_KIND_AIR_RAID);
	SrEvent *touched = ev("b", "31:air_raid", "ua:31", SR_KIND_AIR_RAID);
	yellow->severity = SR_SEVERITY_SEVERE;
	submit(fx, "b", T0, NULL);
	submit(fx, "b", T0 + 10, yellow, NULL);
	assert_lines(fx, "started ua:31:air_raid");
	submit(fx, "b", T0 + 20, red, NULL);
	assert_lines(fx, "updated ua:31:air_raid");
	/* only updated_at moved: nothing a person would notice */
	touched->updated_at += 300;
	submit(fx, "b", T0 + 30, touched, NULL);
	assert_lines(fx, "");
}

static void
test_failing_source_never_ends(Fixture *fx, gconstpointer data)
{
	submit(fx, "a", T0, ev("a", "1", "ua:31", SR_KIND_AIR_RAID), NULL);
	submit(fx, "b", T0, NULL);
	assert_lines(fx, "started(baseline) ua:31:air_raid");
	/* failures within the window: nothing to say yet */
	fail(fx, "a", SR_ERROR_NETWORK, T0 + 10);
	fail(fx, "a", SR_ERROR_TIMEOUT, T0 + 20);
	assert_lines(fx, "");
	/* past the window: the source is down, its alert stays */
	fail(fx, "a", SR_ERROR_NETWORK, T0 + 31);
	assert_lines(fx, "source a stale");
	g_assert_cmpint(sr_engine_get_source(fx->engine, "a")->state, ==, SR_SOURCE_STATE_STALE);
	/* the other source, fresh and without the alert, cannot end what a is unsure of */
	submit(fx, "b", T0 + 40, NULL);
	submit(fx, "b", T0 + 100000, NULL);
	sr_engine_tick(fx->engine, T0 + 100000);
	fail(fx, "a", SR_ERROR_SERVER, T0 + 100001);
	assert_lines(fx, "");
	g_assert_cmpuint(n_alerts(fx), ==, 1);
	/* told once, not on every failure; told again when it is back */
	submit(fx, "a", T0 + 100010, NULL);
	assert_lines(fx, "source a ok|ended ua:31:air_raid");
}

static void
test_watchdog(Fixture *fx, gconstpointer data)
{
	submit(fx, "a", T0, NULL);
	submit(fx, "b", T0, NULL);
	sr_engine_tick(fx->engine, T0 + 30);
	assert_lines(fx, "");
	/* a poller that froze says nothing; the watchdog says it */
	sr_engine_tick(fx->engine, T0 + 31);
	assert_lines(fx, "source a stale|source b stale");
	sr_engine_tick(fx->engine, T0 + 60);
	assert_lines(fx, "");
}

static void
test_never_answered(Fixture *fx, gconstpointer data)
{
	fail(fx, "a", SR_ERROR_NETWORK, T0 + 5);
	assert_lines(fx, "");
	fail(fx, "a", SR_ERROR_NETWORK, T0 + 30);
	assert_lines(fx, "source a error");
	/* a bad token is said at once */
	fail(fx, "b", SR_ERROR_AUTH, T0 + 31);
	assert_lines(fx, "source b error");
	g_assert_cmpint(sr_engine_get_source(fx->engine, "b")->state, ==, SR_SOURCE_STATE_ERROR);
}

static void
test_subscriptions(Fixture *fx, gconstpointer data)
{
	/* a hromada (Nikopol) subscriber gets its oblast's and raion's alerts, not a neighbour's */
	sr_engine_add_subscription(fx->engine, "ua:351");
	submit(fx, "a", T0, NULL);
	submit(fx, "a", T0 + 10, ev("a", "1", "ua:46", SR_KIND_AIR_RAID), NULL);
	assert_lines(fx, "");
	submit(fx, "a", T0 + 20, ev("a", "1", "ua:46", SR_KIND_AIR_RAID),
	       ev("a", "2", "ua:9", SR_KIND_AIR_RAID), ev("a", "3", "ua:47", SR_KIND_ARTILLERY),
	       NULL);
	assert_lines(fx, "started ua:47:artillery|started ua:9:air_raid");
}

static void
test_unknown_region_shown(Fixture *fx, gconstpointer data)
{
	/* a region id the catalog does not know cannot be placed: subscribers see it anyway */
	sr_engine_add_subscription(fx->engine, "ua:31");
	submit(fx, "a", T0, NULL);
	submit(fx, "a", T0 + 10, ev("a", "1", "ua:999999", SR_KIND_AIR_RAID),
	       ev("a", "2", "ua:22", SR_KIND_AIR_RAID), NULL);
	assert_lines(fx, "started ua:999999:air_raid");
}

static void
test_late_first_answer_is_news(Fixture *fx, gconstpointer data)
{
	SrEvent *late = ev("b", "1", "ua:31", SR_KIND_AIR_RAID);
	late->started_at = T0 + 3600;
	submit(fx, "a", T0 + 1, NULL);
	/* b answers for the first time an hour later, with an alert that began after we looked */
	submit(fx, "b", T0 + 3601, late, ev("b", "2", "ua:16", SR_KIND_AIR_RAID), NULL);
	assert_lines(fx, "started(baseline) ua:16:air_raid|started ua:31:air_raid");
}

static void
test_drills_not_real(Fixture *fx, gconstpointer data)
{
	SrEvent *drill = ev("a", "1", "ua:31", SR_KIND_AIR_RAID);
	drill->status = SR_STATUS_EXERCISE;
	submit(fx, "a", T0, drill, NULL);
	assert_lines(fx, "");
	g_assert_cmpuint(n_alerts(fx), ==, 0);
}

static void
test_delta(Fixture *fx, gconstpointer data)
{
	g_autoptr(SrBatch) first = sr_batch_new(SR_BATCH_DELTA);
	g_autoptr(SrBatch) second = sr_batch_new(SR_BATCH_DELTA);
	g_autoptr(SrBatch) third = sr_batch_new(SR_BATCH_DELTA);
	SrEvent *end = ev("a", "1", "ua:31", SR_KIND_AIR_RAID);
	sr_batch_take(first, ev("a", "1", "ua:31", SR_KIND_AIR_RAID));
	sr_engine_submit(fx->engine, "a", first, T0);
	assert_lines(fx, "started(baseline) ua:31:air_raid");
	/* a delta without the alert says nothing about it */
	sr_batch_take(second, ev("a", "2", "ua:14", SR_KIND_AIR_RAID));
	sr_engine_submit(fx->engine, "a", second, T0 + 10);
	assert_lines(fx, "started ua:14:air_raid");
	end->phase = SR_PHASE_ENDED;
	sr_batch_take(third, end);
	sr_engine_submit(fx->engine, "a", third, T0 + 20);
	assert_lines(fx, "ended ua:31:air_raid");
}

static void
test_not_modified(Fixture *fx, gconstpointer data)
{
	submit(fx, "a", T0, ev("a", "1", "ua:31", SR_KIND_AIR_RAID), NULL);
	assert_lines(fx, "started(baseline) ua:31:air_raid");
	sr_engine_submit(fx->engine, "a", NULL, T0 + 10);
	assert_lines(fx, "");
	g_assert_cmpuint(n_alerts(fx), ==, 1);
	g_assert_cmpint(sr_engine_get_source(fx->engine, "a")->last_success, ==, T0 + 10);
}

static void
test_change_json(Fixture *fx, gconstpointer data)
{
	g_autoptr(cJSON) line = NULL;
	const cJSON *alert = NULL;
	submit(fx, "a", T0, NULL);
	submit(fx, "a", T0 + 1, ev("a", "48211", "ua:31", SR_KIND_AIR_RAID), NULL);
	g_assert_cmpuint(fx->json->len, ==, 1);
	line = cJSON_Parse(g_ptr_array_index(fx->json, 0));
	g_assert_cmpstr(sr_json_get_string(line, "change"), ==, "started");
	g_assert_cmpstr(sr_json_get_string(line, "at"), ==, "2026-11-25T06:12:41Z");
	g_assert_null(cJSON_GetObjectItem(line, "baseline"));
	alert = cJSON_GetObjectItem(line, "alert");
	g_assert_cmpstr(sr_json_get_string(alert, "id"), ==, "ua:31:air_raid");
	g_assert_cmpstr(sr_json_get_string(alert, "kind"), ==, "air_raid");
	g_assert_cmpstr(sr_json_get_string(alert, "started_at"), ==, "2026-11-25T06:11:40Z");
	g_assert_cmpstr(cJSON_GetArrayItem(cJSON_GetObjectItem(alert, "sources"), 0)->valuestring,
	                ==, "a");
	g_assert_cmpstr(
	    sr_json_get_string(cJSON_GetArrayItem(cJSON_GetObjectItem(line, "events"), 0), "id"),
	    ==, "a:48211");
}

static void
test_many_events(Fixture *fx, gconstpointer data)
{
	/* 2,000 alerts in one snapshot, then all gone: every transition once */
	g_autoptr(SrBatch) batch = sr_batch_new(SR_BATCH_SNAPSHOT);
	g_autoptr(SrBatch) empty = sr_batch_new(SR_BATCH_SNAPSHOT);
	submit(fx, "a", T0, NULL);
	for (guint i = 0; i < 2000; i++) {
		g_autofree char *id = g_strdup_printf("%u", i);
		g_autofree char *region = g_strdup_printf("ua:%u", 100000 + i);
		sr_batch_take(batch, ev("a", id, region, SR_KIND_AIR_RAID));
	}
	sr_engine_submit(fx->engine, "a", batch, T0 + 1);
	g_assert_cmpuint(fx->lines->len, ==, 2000);
	g_assert_cmpuint(n_alerts(fx), ==, 2000);
	g_ptr_array_set_size(fx->lines, 0);
	sr_engine_submit(fx->engine, "a", empty, T0 + 2);
	g_assert_cmpuint(fx->lines->len, ==, 2000);
	g_assert_cmpuint(n_alerts(fx), ==, 0);
}

/* the reason of the last ended change */
static const char *
last_reason(Fixture *fx)
{
	g_autoptr(cJSON) json = NULL;
	const char *reason = NULL;
	static char buf[256];
	g_assert_cmpuint(fx->json->len, >, 0);
	json = cJSON_Parse(g_ptr_array_index(fx->json, fx->json->len - 1));
	reason = sr_json_get_string(json, "reason");
	if (reason == NULL)
		return NULL;
	g_strlcpy(buf, reason, sizeof(buf));
	return buf;
}

static void
test_end_reasons(Fixture *fx, gconstpointer data)
{
	g_autoptr(SrBatch) batch = NULL;
	SrEvent *event = NULL;

	submit(fx, "a", T0, ev("a", "1", "ua:16", SR_KIND_AIR_RAID),
	       ev("a", "2", "ua:124", SR_KIND_AIR_RAID), ev("a", "3", "ua:31", SR_KIND_AIR_RAID),
	       NULL);
	g_ptr_array_set_size(fx->lines, 0);
	g_ptr_array_set_size(fx->json, 0);
	/* gone from a snapshot */
	submit(fx, "a", T0 + 10, ev("a", "1", "ua:16", SR_KIND_AIR_RAID),
	       ev("a", "3", "ua:31", SR_KIND_AIR_RAID), NULL);
	g_assert_cmpstr(last_reason(fx), ==, "a no longer reports it");
	assert_lines(fx, "ended ua:124:air_raid");
	/* an explicit end, and a cancellation, in a delta */
	batch = sr_batch_new(SR_BATCH_DELTA);
	event = ev("a", "1", "ua:16", SR_KIND_AIR_RAID);
	event->phase = SR_PHASE_ENDED;
	sr_batch_take(batch, event);
	sr_engine_submit(fx->engine, "a", batch, T0 + 20);
	g_assert_cmpstr(last_reason(fx), ==, "a reports the end");
	assert_lines(fx, "ended ua:16:air_raid");
	g_clear_pointer(&batch, sr_batch_free);
	batch = sr_batch_new(SR_BATCH_DELTA);
	event = ev("a", "3", "ua:31", SR_KIND_AIR_RAID);
	event->phase = SR_PHASE_CANCELLED;
	sr_batch_take(batch, event);
	sr_engine_submit(fx->engine, "a", batch, T0 + 30);
	g_assert_cmpstr(last_reason(fx), ==, "a reports it cancelled");
	assert_lines(fx, "ended ua:31:air_raid");
	/* only ended changes carry a reason */
	submit(fx, "a", T0 + 40, ev("a", "4", "ua:16", SR_KIND_AIR_RAID), NULL);
	g_assert_null(last_reason(fx));
}

static void
test_expiry(Fixture *fx, gconstpointer data)
{
	g_autoptr(SrBatch) batch = sr_batch_new(SR_BATCH_DELTA);
	SrEvent *event = ev("a", "1", "ua:16", SR_KIND_AIR_RAID);
	SrEvent *pre = ev("a", "2", "ua:31", SR_KIND_MISSILE);

	/* within the sources' 30 s window: they are answering */
	event->expires_at = T0 + 20;
	pre->phase = SR_PHASE_PRE_ALERT;
	pre->expires_at = T0 + 25;
	sr_batch_take(batch, event);
	sr_batch_take(batch, pre);
	sr_engine_submit(fx->engine, "a", batch, T0);
	assert_lines(fx, "started(baseline) ua:16:air_raid|started(baseline) ua:31:missile");
	sr_engine_tick(fx->engine, T0 + 19);
	assert_lines(fx, "");
	/* a tick ends it when its time is up, and so does a "not modified" */
	sr_engine_tick(fx->engine, T0 + 20);
	g_assert_cmpstr(last_reason(fx), ==, "a: expired without an end message");
	assert_lines(fx, "ended ua:16:air_raid");
	sr_engine_submit(fx->engine, "a", NULL, T0 + 25);
	g_assert_cmpstr(last_reason(fx), ==,
	                "a: no alert followed the pre-alert before it expired");
	assert_lines(fx, "ended ua:31:missile");
	/* a batch that brings an expired alert brings nothing */
	g_clear_pointer(&batch, sr_batch_free);
	batch = sr_batch_new(SR_BATCH_SNAPSHOT);
	event = ev("a", "5", "ua:16", SR_KIND_AIR_RAID);
	event->expires_at = T0 + 26;
	sr_batch_take(batch, event);
	sr_engine_submit(fx->engine, "a", batch, T0 + 28);
	assert_lines(fx, "");
}

static void
test_expiry_waits_for_stale_source(Fixture *fx, gconstpointer data)
{
	g_autoptr(SrBatch) batch = sr_batch_new(SR_BATCH_DELTA);
	SrEvent *event = ev("a", "1", "ua:16", SR_KIND_AIR_RAID);
	event->expires_at = T0 + 20;
	sr_batch_take(batch, event);
	sr_engine_submit(fx->engine, "a", batch, T0);
	/* down before its expiry: whether it was extended is unknown, so it stays */
	fail(fx, "a", SR_ERROR_NETWORK, T0 + 15);
	sr_engine_tick(fx->engine, T0 + 200);
	g_assert_cmpuint(n_alerts(fx), ==, 1);
	assert_lines(fx, "started(baseline) ua:16:air_raid|source a stale|source b error");
	/* back: its silence about the alert now counts, and the expiry with it */
	sr_engine_submit(fx->engine, "a", NULL, T0 + 210);
	g_assert_cmpstr(last_reason(fx), ==, "a: expired without an end message");
	assert_lines(fx, "source a ok|ended ua:16:air_raid");
}

/* an alert that names an area, not a region: a square of 1° around (lat, lon) */
static SrEvent *
area_ev(const char *source, const char *id, double lat, double lon, const char *refs)
{
	g_autofree char *full_id = g_strdup_printf("%s:%s", source, id);
	SrEvent *event = sr_event_new(source, full_id);
	SrPoint ring[] = {{lat - 0.5, lon - 0.5},
	                  {lat - 0.5, lon + 0.5},
	                  {lat + 0.5, lon + 0.5},
	                  {lat + 0.5, lon - 0.5}};
	event->kind = SR_KIND_WEATHER;
	event->severity = SR_SEVERITY_SEVERE;
	event->started_at = T0 - 60;
	event->updated_at = T0 - 60;
	g_assert_true(sr_event_add_polygon(event, ring, G_N_ELEMENTS(ring)));
	if (refs != NULL) {
		g_auto(GStrv) parts = g_strsplit(refs, " ", -1);
		for (guint i = 0; parts[i] != NULL; i++) {
			g_autofree char *ref = g_strdup_printf("%s:%s", source, parts[i]);
			sr_event_add_reference(event, ref);
		}
	}
	return event;
}

static void
submit_delta(Fixture *fx, const char *source, gint64 now, SrEvent *event)
{
	g_autoptr(SrBatch) batch = sr_batch_new(SR_BATCH_DELTA);
	sr_batch_take(batch, event);
	sr_engine_submit(fx->engine, source, batch, now);
}

static void
test_update_chain(Fixture *fx, gconstpointer data)
{
	SrEvent *cancel = NULL;
	submit(fx, "a", T0, NULL);
	g_ptr_array_set_size(fx->lines, 0);
	submit_delta(fx, "a", T0 + 10, area_ev("a", "A1", 50, 30, NULL));
	assert_lines(fx, "started a:A1:weather");
	/* an update names what it supersedes: the same alert, updated */
	{
		SrEvent *update = area_ev("a", "A2", 50, 30, "A1");
		update->severity = SR_SEVERITY_EXTREME;
		submit_delta(fx, "a", T0 + 20, update);
	}
	assert_lines(fx, "updated a:A1:weather");
	/* a cancel that names only the update still ends the alert */
	cancel = area_ev("a", "A3", 50, 30, "A2");
	cancel->phase = SR_PHASE_CANCELLED;
	submit_delta(fx, "a", T0 + 30, cancel);
	g_assert_cmpstr(last_reason(fx), ==, "a reports it cancelled");
	assert_lines(fx, "ended a:A1:weather");
	g_assert_cmpuint(n_alerts(fx), ==, 0);
}

static void
test_update_chain_snapshot(Fixture *fx, gconstpointer data)
{
	/* a feed that still lists the alert next to its update: one alert, the update's */
	submit(fx, "a", T0, area_ev("a", "A1", 50, 30, NULL), area_ev("a", "A2", 50, 30, "A1"),
	       NULL);
	assert_lines(fx, "started(baseline) a:A1:weather");
	{
		const SrAlert *alert = g_ptr_array_index(sr_engine_get_alerts(fx->engine), 0);
		g_assert_cmpuint(alert->events->len, ==, 1);
		g_assert_cmpstr(((const SrEvent *)g_ptr_array_index(alert->events, 0))->id, ==,
		                "a:A2");
	}
	/* the alert drops out of the feed, the update stays: nothing changes */
	submit(fx, "a", T0 + 10, area_ev("a", "A2", 50, 30, "A1"), NULL);
	assert_lines(fx, "");
	/* the update drops out: over */
	submit(fx, "a", T0 + 20, NULL);
	assert_lines(fx, "ended a:A1:weather");
}

static void
test_update_chain_after_restart(Fixture *fx, gconstpointer data)
{
	/* a fresh engine (sirenad restarted) that sees only the update keys it by the first
	 * message it names, as the one before did: no second alert, no false all-clear */
	submit(fx, "a", T0, area_ev("a", "A3", 50, 30, "A1 A2"), NULL);
	assert_lines(fx, "started(baseline) a:A1:weather");
}

static void
test_update_joins_alerts(Fixture *fx, gconstpointer data)
{
	submit(fx, "a", T0, area_ev("a", "B1", 50, 30, NULL), area_ev("a", "C1", 51, 31, NULL),
	       NULL);
	assert_lines(fx, "started(baseline) a:B1:weather|started(baseline) a:C1:weather");
	/* one update for both: they are one alert from now on */
	submit(fx, "a", T0 + 10, area_ev("a", "D1", 50, 30, "B1 C1"), NULL);
	g_assert_nonnull(strstr(g_ptr_array_index(fx->json, 0),
	                        "\"reason\":\"a: joined into the update a:D1\""));
	assert_lines(fx, "ended a:C1:weather|updated a:B1:weather");
	g_assert_cmpuint(n_alerts(fx), ==, 1);
}

static void
test_stale_copy_is_old_news(Fixture *fx, gconstpointer data)
{
	SrEvent *update = NULL;
	SrEvent *cancel = NULL;
	submit(fx, "a", T0, NULL);
	g_ptr_array_set_size(fx->lines, 0);
	/* a document URL behind a cache: alert, update, then the alert again */
	submit(fx, "a", T0 + 10, area_ev("a", "A1", 50, 30, NULL), NULL);
	update = area_ev("a", "A2", 50, 30, "A1");
	update->severity = SR_SEVERITY_EXTREME;
	submit(fx, "a", T0 + 20, update, NULL);
	assert_lines(fx, "started a:A1:weather|updated a:A1:weather");
	submit(fx, "a", T0 + 30, area_ev("a", "A1", 50, 30, NULL), NULL);
	assert_lines(fx, "");
	g_assert_cmpint(((const SrAlert *)g_ptr_array_index(sr_engine_get_alerts(fx->engine), 0))
	                    ->event->severity,
	                ==, SR_SEVERITY_EXTREME);
	/* cancelled, then the update again: it stays over */
	cancel = area_ev("a", "A3", 50, 30, "A2");
	cancel->phase = SR_PHASE_CANCELLED;
	submit(fx, "a", T0 + 40, cancel, NULL);
	assert_lines(fx, "ended a:A1:weather");
	update = area_ev("a", "A2", 50, 30, "A1");
	submit(fx, "a", T0 + 50, update, NULL);
	submit(fx, "a", T0 + 60, area_ev("a", "A1", 50, 30, NULL), NULL);
	assert_lines(fx, "");
	g_assert_cmpuint(n_alerts(fx), ==, 0);
}

static void
test_location(Fixture *fx, gconstpointer data)
{
	g_autoptr(SrLocation) location = sr_location_new();

	/* no regions, no place: every alert, area-only ones included */
	submit(fx, "a", T0, area_ev("a", "K", 50.45, 30.52, NULL), NULL);
	assert_lines(fx, "started(baseline) a:K:weather");
	/* with a place: only the areas that cover it */
	location->has_point = TRUE;
	location->lat = 50.45;
	location->lon = 30.52;
	sr_engine_set_location(fx->engine, location);
	submit(fx, "a", T0 + 10, area_ev("a", "K", 50.45, 30.52, NULL),
	       area_ev("a", "L", 49.84, 24.03, NULL), NULL);
	assert_lines(fx, "");
	g_assert_cmpuint(n_alerts(fx), ==, 1);
	/* within a radius of 150 km Lviv's square is still far; Zhytomyr's is near */
	location->radius_km = 150;
	sr_engine_set_location(fx->engine, location);
	submit(fx, "a", T0 + 20, area_ev("a", "K", 50.45, 30.52, NULL),
	       area_ev("a", "L", 49.84, 24.03, NULL), area_ev("a", "Z", 50.25, 28.66, NULL), NULL);
	assert_lines(fx, "started a:Z:weather");
}

static void
test_area_alert_needs_place(Fixture *fx, gconstpointer data)
{
	/* regions but no place: an alert that names only an area cannot be placed, and is not
	 * shown (the README says to set location=) */
	sr_engine_add_subscription(fx->engine, "ua:31");
	submit(fx, "a", T0, area_ev("a", "K", 50.45, 30.52, NULL), NULL);
	assert_lines(fx, "");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/sr/engine/baseline-then-changes", test_baseline_then_changes);
	ADD("/sr/engine/fusion", test_fusion);
	ADD("/sr/engine/update", test_update);
	ADD("/sr/engine/failing-source-never-ends", test_failing_source_never_ends);
	ADD("/sr/engine/watchdog", test_watchdog);
	ADD("/sr/engine/never-answered", test_never_answered);
	ADD("/sr/engine/subscriptions", test_subscriptions);
	ADD("/sr/engine/unknown-region-shown", test_unknown_region_shown);
	ADD("/sr/engine/late-first-answer-is-news", test_late_first_answer_is_news);
	ADD("/sr/engine/drills-not-real", test_drills_not_real);
	ADD("/sr/engine/delta", test_delta);
	ADD("/sr/engine/not-modified", test_not_modified);
	ADD("/sr/engine/change-json", test_change_json);
	ADD("/sr/engine/many-events", test_many_events);
	ADD("/sr/engine/end-reasons", test_end_reasons);
	ADD("/sr/engine/expiry", test_expiry);
	ADD("/sr/engine/expiry-waits-for-stale-source", test_expiry_waits_for_stale_source);
	ADD("/sr/engine/update-chain", test_update_chain);
	ADD("/sr/engine/update-chain-snapshot", test_update_chain_snapshot);
	ADD("/sr/engine/update-chain-after-restart", test_update_chain_after_restart);
	ADD("/sr/engine/update-joins-alerts", test_update_joins_alerts);
	ADD("/sr/engine/stale-copy-is-old-news", test_stale_copy_is_old_news);
	ADD("/sr/engine/location", test_location);
	ADD("/sr/engine/area-alert-needs-place", test_area_alert_needs_place);
#undef ADD
	return g_test_run();
}
