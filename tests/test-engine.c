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

/* randomized differential test
 *
 * The engine keeps its fused view up to date incrementally. The reference is the way it always
 * did it, kept in the engine for this: a second engine with sr_engine_set_full_rebuild() rebuilds
 * the whole view from every source's set on every update. Both get the same long seeded random
 * run (snapshots and deltas from overlapping sources, chains of updates, expiries, drills, failures
 * and staleness, unchanged polls, subscriptions and a place that change on the way), and after
 * every step they must have reported the same changes, in the same order, with the same
 * reasons and baseline flags (the JSON lines of `sirena watch --json`), and hold the same view.
 * The incremental engine also checks itself against a full rebuild after every update
 * (sr_engine_set_verify()), which pins a difference to the update that made it. The seed is
 * SIRENA_TEST_SEED when set, so a failure can be replayed. */

#define RND_SOURCES 3
#define RND_SLOTS   10

typedef struct {
	SrEngine *engine;
	GString *changes;
} RndSide;

typedef struct {
	GRand *rand;
	gint64 now;
	guint step;
	RndSide inc;
	RndSide ref;
	guint n_changes; /* reported, over the run */
	guint max_alerts;
	GPtrArray *regions; /* of const char*: related regions, an unknown one */
	/* per source, per slot: the last message sent about it (NULL: none yet) */
	SrEvent *sent[RND_SOURCES][RND_SLOTS];
} Rnd;

/* not in alphabetical order: an alert lists its sources in config order */
static const char *const rnd_names[RND_SOURCES] = {"b", "c", "a"};

static void
rnd_change_cb(const SrChange *change, gpointer user_data)
{
	RndSide *side = user_data;
	g_autoptr(cJSON) json = sr_change_to_json(change, sr_test_catalog());
	g_autofree char *line = sr_json_print(json);
	g_string_append_printf(side->changes, "%s\n", line);
}

static char *
rnd_view(SrEngine *engine)
{
	GPtrArray *alerts = sr_engine_get_alerts(engine);
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < alerts->len; i++) {
		g_autoptr(cJSON) json =
		    sr_alert_to_json(g_ptr_array_index(alerts, i), sr_test_catalog());
		g_autofree char *line = sr_json_print(json);
		g_string_append_printf(out, "%s\n", line);
	}
	return g_string_free(out, FALSE);
}

/* an oblast with a raion that has a hromada, another oblast and one of its raions, a region the
 * catalog does not know: subscriptions above, below and beside the alerts */
static GPtrArray *
rnd_regions(void)
{
	GPtrArray *all = sr_catalog_get_all(sr_test_catalog());
	GPtrArray *regions = g_ptr_array_new();
	const SrRegion *hromada = NULL;
	const SrRegion *other = NULL;
	for (guint i = 0; i < all->len && hromada == NULL; i++) {
		const SrRegion *region = g_ptr_array_index(all, i);
		if (region->level == SR_REGION_LEVEL_HROMADA && region->parent != NULL &&
		    region->parent->parent != NULL && g_str_has_prefix(region->id, "ua:"))
			hromada = region;
	}
	if (hromada == NULL)
		g_error("the test catalog has no hromada");
	for (guint i = 0; i < all->len && other == NULL; i++) {
		const SrRegion *region = g_ptr_array_index(all, i);
		if (region->level == SR_REGION_LEVEL_RAION && region->parent != NULL &&
		    region->parent != hromada->parent->parent &&
		    g_str_has_prefix(region->id, "ua:"))
			other = region;
	}
	if (other == NULL || other->parent == NULL)
		g_error("the test catalog has no second oblast with a raion");
	g_ptr_array_add(regions, hromada->id);
	g_ptr_array_add(regions, hromada->parent->id);
	g_ptr_array_add(regions, hromada->parent->parent->id);
	g_ptr_array_add(regions, other->id);
	g_ptr_array_add(regions, other->parent->id);
	g_ptr_array_add(regions, (gpointer) "ua:999999");
	return regions;
}

static gboolean
rnd_chance(Rnd *rnd, guint percent)
{
	return (guint)g_rand_int_range(rnd->rand, 0, 100) < percent;
}

static SrEvent *
rnd_event(Rnd *rnd, guint s, guint slot)
{
	static const SrKind kinds[] = {SR_KIND_AIR_RAID, SR_KIND_MISSILE, SR_KIND_WEATHER};
	static const SrPhase phases[] = {SR_PHASE_ACTIVE,    SR_PHASE_ACTIVE, SR_PHASE_ACTIVE,
	                                 SR_PHASE_ACTIVE,    SR_PHASE_ACTIVE, SR_PHASE_PRE_ALERT,
	                                 SR_PHASE_STAY_NEAR, SR_PHASE_ENDED,  SR_PHASE_ENDED,
	                                 SR_PHASE_CANCELLED};
	static const char *const headlines[] = {NULL, "Air raid", "Повітряна тривога"};
	const char *source = rnd_names[s];
	SrEvent *previous = rnd->sent[s][slot];
	g_autofree char *id = NULL;
	SrEvent *event = NULL;
	guint n_regions = g_rand_int_range(rnd->rand, 0, 4);

	/* an update in a chain (a new message naming the one before), or the same id again */
	if (previous != NULL && rnd_chance(rnd, 25))
		id = g_strdup_printf("%s:%u.%u", source, slot, rnd->step);
	else
		id = g_strdup_printf("%s:%u", source, slot);
	event = sr_event_new(source, id);
	if (previous != NULL && g_strcmp0(previous->id, id) != 0)
		sr_event_add_reference(event, previous->id);
	/* joins another slot's alert */
	if (rnd_chance(rnd, 4)) {
		SrEvent *other = rnd->sent[s][g_rand_int_range(rnd->rand, 0, RND_SLOTS)];
		if (other != NULL)
			sr_event_add_reference(event, other->id);
	}
	event->kind = kinds[g_rand_int_range(rnd->rand, 0, G_N_ELEMENTS(kinds))];
	event->phase = phases[g_rand_int_range(rnd->rand, 0, G_N_ELEMENTS(phases))];
	event->status = rnd_chance(rnd, 8) ? SR_STATUS_EXERCISE : SR_STATUS_ACTUAL;
	event->severity = g_rand_int_range(rnd->rand, SR_SEVERITY_MINOR, SR_SEVERITY_EXTREME + 1);
	event->urgency = SR_URGENCY_IMMEDIATE;
	event->certainty = SR_CERTAINTY_OBSERVED;
	event->started_at = rnd->now - g_rand_int_range(rnd->rand, 0, 900);
	if (rnd_chance(rnd, 10))
		event->started_at = 0;
	event->updated_at = rnd->now - g_rand_int_range(rnd->rand, 0, 30);
	if (rnd_chance(rnd, 30))
		event->expires_at = rnd->now + g_rand_int_range(rnd->rand, -10, 120);
	event->headline = g_strdup(headlines[g_rand_int_range(rnd->rand, 0, 3)]);
	if (rnd_chance(rnd, 30))
		event->language = g_strdup(rnd_chance(rnd, 50) ? "uk" : "en");
	for (guint i = 0; i < n_regions; i++)
		sr_event_add_region(
		    event, g_ptr_array_index(rnd->regions,
		                             g_rand_int_range(rnd->rand, 0, rnd->regions->len)));
	if (n_regions == 0 || rnd_chance(rnd, 20)) {
		/* Kyiv, or Lviv: one covers the place the run may set, one does not */
		gboolean kyiv = rnd_chance(rnd, 50);
		double lat = kyiv ? 50.45 : 49.84;
		double lon = kyiv ? 30.52 : 24.03;
		SrPoint ring[] = {{lat - 0.5, lon - 0.5},
		                  {lat - 0.5, lon + 0.5},
		                  {lat + 0.5, lon + 0.5},
		                  {lat + 0.5, lon - 0.5}};
		g_assert_true(sr_event_add_polygon(event, ring, G_N_ELEMENTS(ring)));
	}
	return event;
}

/* what source @s says about @slot this time */
static SrEvent *
rnd_message(Rnd *rnd, guint s, guint slot)
{
	SrEvent *previous = rnd->sent[s][slot];
	SrEvent *event = NULL;
	guint what = g_rand_int_range(rnd->rand, 0, 100);
	if (previous != NULL && what < 45) {
		/* unchanged: the same message, or the same message parsed again */
		event = what < 25 ? sr_event_ref(previous) : sr_event_copy(previous);
	} else if (previous != NULL && what < 55) {
		/* only the update time moved */
		event = sr_event_copy(previous);
		event->updated_at = rnd->now;
	} else if (previous != NULL && what < 60) {
		/* a different expiry, else the same */
		event = sr_event_copy(previous);
		event->expires_at =
		    rnd_chance(rnd, 30) ? 0 : rnd->now + g_rand_int_range(rnd->rand, 0, 60);
	} else {
		event = rnd_event(rnd, s, slot);
	}
	if (rnd->sent[s][slot] != event) {
		g_clear_pointer(&rnd->sent[s][slot], sr_event_unref);
		rnd->sent[s][slot] = sr_event_ref(event);
	}
	return event;
}

static void
rnd_compare(Rnd *rnd, const char *what)
{
	g_autofree char *inc_view = rnd_view(rnd->inc.engine);
	g_autofree char *ref_view = rnd_view(rnd->ref.engine);
	if (g_strcmp0(rnd->inc.changes->str, rnd->ref.changes->str) != 0 ||
	    g_strcmp0(inc_view, ref_view) != 0 ||
	    sr_engine_get_verify_mismatches(rnd->inc.engine) != 0)
		g_test_message("step %u (%s) differs", rnd->step, what);
	g_assert_cmpstr(rnd->inc.changes->str, ==, rnd->ref.changes->str);
	g_assert_cmpstr(inc_view, ==, ref_view);
	g_assert_cmpuint(sr_engine_get_verify_mismatches(rnd->inc.engine), ==, 0);
	for (const char *p = rnd->ref.changes->str; *p != '\0'; p++)
		rnd->n_changes += *p == '\n';
	rnd->max_alerts = MAX(rnd->max_alerts, sr_engine_get_alerts(rnd->ref.engine)->len);
	g_string_truncate(rnd->inc.changes, 0);
	g_string_truncate(rnd->ref.changes, 0);
}

#define BOTH(call)                                                                                 \
	do {                                                                                       \
		SrEngine *engine = rnd->inc.engine;                                                \
		call;                                                                              \
		engine = rnd->ref.engine;                                                          \
		call;                                                                              \
	} while (0)

static void
rnd_step(Rnd *rnd, guint *counts)
{
	guint s = g_rand_int_range(rnd->rand, 0, RND_SOURCES);
	const char *source = rnd_names[s];
	guint action = g_rand_int_range(rnd->rand, 0, 100);
	const char *what = NULL;

	rnd->step++;
	rnd->now += g_rand_int_range(rnd->rand, 0, 16);
	if (action < 40 || action >= 97) {
		/* a snapshot: every slot the source lists now (an old copy of a message now and
		 * then: a mirror's cache) */
		g_autoptr(SrBatch) batch =
		    sr_batch_new(action < 40 ? SR_BATCH_SNAPSHOT : SR_BATCH_DELTA);
		guint listed = g_rand_int_range(rnd->rand, 0, 101);
		SrEvent *stale = NULL;
		for (guint slot = 0; slot < RND_SLOTS; slot++) {
			if ((guint)g_rand_int_range(rnd->rand, 0, 100) < listed)
				sr_batch_take(batch, rnd_message(rnd, s, slot));
		}
		if (rnd_chance(rnd, 5) && (stale = rnd->sent[s][0]) != NULL)
			sr_batch_take(batch, sr_event_copy(stale));
		BOTH(sr_engine_submit(engine, source, batch, rnd->now));
		what = action < 40 ? "snapshot" : "delta";
		counts[0]++;
	} else if (action < 60) {
		/* a delta: a few slots */
		g_autoptr(SrBatch) batch = sr_batch_new(SR_BATCH_DELTA);
		guint n = g_rand_int_range(rnd->rand, 0, 4);
		for (guint i = 0; i < n; i++)
			sr_batch_take(
			    batch, rnd_message(rnd, s, g_rand_int_range(rnd->rand, 0, RND_SLOTS)));
		BOTH(sr_engine_submit(engine, source, batch, rnd->now));
		what = "delta";
		counts[1]++;
	} else if (action < 70) {
		BOTH(sr_engine_submit(engine, source, NULL, rnd->now));
		what = "not modified";
		counts[2]++;
	} else if (action < 80) {
		g_autoptr(GError) error = g_error_new_literal(
		    SR_ERROR, rnd_chance(rnd, 20) ? SR_ERROR_AUTH : SR_ERROR_NETWORK, "refused");
		BOTH(sr_engine_submit_error(engine, source, error, rnd->now));
		what = "error";
		counts[3]++;
	} else if (action < 95) {
		rnd->now += g_rand_int_range(rnd->rand, 0, 40);
		BOTH(sr_engine_tick(engine, rnd->now));
		what = "tick";
		counts[4]++;
	} else if (action < 96) {
		/* the hromada, its raion or the unknown region: the other oblast stays
		 * unsubscribed, so that something is always filtered out */
		static const guint which[] = {0, 1, 5};
		const char *region = g_ptr_array_index(
		    rnd->regions, which[g_rand_int_range(rnd->rand, 0, G_N_ELEMENTS(which))]);
		BOTH(sr_engine_add_subscription(engine, region));
		what = "subscription";
		counts[5]++;
	} else {
		g_autoptr(SrLocation) location = sr_location_new();
		if (rnd_chance(rnd, 70)) {
			location->has_point = TRUE;
			location->lat = 50.45;
			location->lon = 30.52;
			location->radius_km = rnd_chance(rnd, 50) ? 0 : 600;
		}
		BOTH(sr_engine_set_location(engine, location));
		what = "location";
		counts[6]++;
	}
	rnd_compare(rnd, what);
}

static void
rnd_run(guint32 seed, guint steps, guint config)
{
	Rnd *rnd = g_new0(Rnd, 1);
	guint counts[7] = {0};
	static const gdouble stale_after[RND_SOURCES] = {30, 45, 0};

	rnd->rand = g_rand_new_with_seed(seed);
	rnd->now = T0;
	rnd->regions = rnd_regions();
	rnd->inc.engine = sr_engine_new(sr_test_catalog());
	rnd->ref.engine = sr_engine_new(sr_test_catalog());
	rnd->inc.changes = g_string_new(NULL);
	rnd->ref.changes = g_string_new(NULL);
	sr_engine_set_verify(rnd->inc.engine, TRUE);
	sr_engine_set_full_rebuild(rnd->ref.engine, TRUE);
	sr_engine_set_change_func(rnd->inc.engine, rnd_change_cb, &rnd->inc);
	sr_engine_set_change_func(rnd->ref.engine, rnd_change_cb, &rnd->ref);
	for (guint s = 0; s < RND_SOURCES; s++)
		BOTH(sr_engine_add_source(engine, rnd_names[s], "test", stale_after[s], rnd->now));
	/* 0: everything; 1: the oblast; 2: the raion and the unknown region, with a place */
	if (config >= 1)
		BOTH(sr_engine_add_subscription(
		    engine, g_ptr_array_index(rnd->regions, config == 1 ? 2 : 1)));
	if (config == 2) {
		g_autoptr(SrLocation) location = sr_location_new();
		location->has_point = TRUE;
		location->lat = 50.45;
		location->lon = 30.52;
		BOTH(sr_engine_add_subscription(engine, "ua:999999"));
		BOTH(sr_engine_set_location(engine, location));
	}
	for (guint i = 0; i < steps; i++)
		rnd_step(rnd, counts);
	g_test_message("seed %u config %u: %u snapshots, %u deltas, %u unchanged, %u errors, "
	               "%u ticks, %u subscriptions, %u places: %u changes, up to %u alerts",
	               seed, config, counts[0], counts[1], counts[2], counts[3], counts[4],
	               counts[5], counts[6], rnd->n_changes, rnd->max_alerts);
	/* the run must have done something worth comparing */
	g_assert_cmpuint(rnd->n_changes, >, steps / 10);
	for (guint s = 0; s < RND_SOURCES; s++)
		for (guint slot = 0; slot < RND_SLOTS; slot++)
			g_clear_pointer(&rnd->sent[s][slot], sr_event_unref);
	sr_engine_free(rnd->inc.engine);
	sr_engine_free(rnd->ref.engine);
	g_string_free(rnd->inc.changes, TRUE);
	g_string_free(rnd->ref.changes, TRUE);
	g_ptr_array_unref(rnd->regions);
	g_rand_free(rnd->rand);
	g_free(rnd);
}

static void
test_incremental_matches_full(void)
{
	/* short by default (a sanitizer build runs it too); -m slow or SIRENA_TEST_STEPS for a
	 * long run, SIRENA_TEST_SEED to replay one */
	const char *env_seed = g_getenv("SIRENA_TEST_SEED");
	const char *env_steps = g_getenv("SIRENA_TEST_STEPS");
	guint32 seed = env_seed != NULL ? (guint32)g_ascii_strtoull(env_seed, NULL, 10) : 20261125;
	guint steps = env_steps != NULL ? (guint)g_ascii_strtoull(env_steps, NULL, 10)
	                                : (g_test_slow() ? 5000 : 400);
	for (guint config = 0; config < 3; config++)
		for (guint i = 0; i < 2; i++)
			rnd_run(seed + i * 7919, steps, config);
}

/* the engine's reasons are read back for translation; in English they come back as they are,
 * and a reason that is not one of the engine's passes through */
static void
test_reason_localize(void)
{
	const char *const reasons[] = {
	    "alerts_in_ua no longer reports it",
	    "oref reports the end",
	    "nws reports it cancelled",
	    "meteoalarm: expired without an end message",
	    "oref: no alert followed the pre-alert before it expired",
	    "cap now reports it as exercise",
	    "no source reports it any more",
	    "oref: האירוע הסתיים",
	    "",
	};
	for (guint i = 0; i < G_N_ELEMENTS(reasons); i++) {
		g_autofree char *local = sr_change_reason_localize(reasons[i]);
		g_assert_cmpstr(local, ==, reasons[i]);
	}
	g_assert_null(sr_change_reason_localize(NULL));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	/* sources going down and coming back, thousands of times in the randomized test */
	sr_test_capture_messages("sr-engine");
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
	g_test_add_func("/sr/engine/reason-localize", test_reason_localize);
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
	g_test_add_func("/sr/engine/incremental-matches-full", test_incremental_matches_full);
	return g_test_run();
}
