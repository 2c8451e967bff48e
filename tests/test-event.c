/* test-event.c - the event model and its JSON contract
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sirena/error.h"
#include "sirena/json.h"
#include "sr-test-util.h"

static SrEvent *
full_event(void)
{
	SrEvent *event = sr_event_new("alerts_in_ua", "alerts_in_ua:48211");
	SrPoint ring[] = {{50.0, 30.0}, {50.5, 30.0}, {50.5, 30.5}};
	event->kind = SR_KIND_AIR_RAID;
	event->phase = SR_PHASE_ACTIVE;
	event->status = SR_STATUS_ACTUAL;
	event->severity = SR_SEVERITY_EXTREME;
	event->urgency = SR_URGENCY_IMMEDIATE;
	event->certainty = SR_CERTAINTY_OBSERVED;
	sr_event_add_region(event, "ua:31");
	sr_event_set_text(&event->area.description, "м. Київ");
	g_assert_true(sr_event_add_polygon(event, ring, G_N_ELEMENTS(ring)));
	sr_event_add_circle(event, 50.45, 30.52, 12.5);
	sr_event_add_geocode(event, "UGC", "KYZ001");
	event->started_at = 1795587160; /* 2026-11-25T06:12:40Z */
	event->updated_at = 1795587160;
	event->expires_at = 1795590760;
	sr_event_set_text(&event->headline, "Повітряна тривога");
	sr_event_set_text(&event->description, "Загроза \"БпЛА\" <b>");
	sr_event_set_text(&event->language, "uk");
	sr_event_add_reference(event, "cap:earlier");
	return event;
}

static void
test_enum_names(void)
{
	SrKind kind = SR_KIND_OTHER;
	SrPhase phase = SR_PHASE_ACTIVE;
	for (guint i = 0; i < SR_KIND_LAST; i++) {
		g_assert_true(sr_kind_from_string(sr_kind_to_string((SrKind)i), &kind));
		g_assert_cmpint(kind, ==, i);
	}
	g_assert_cmpstr(sr_kind_to_string(SR_KIND_URBAN_FIGHTS), ==, "urban_fights");
	g_assert_cmpstr(sr_phase_to_string(SR_PHASE_PRE_ALERT), ==, "pre_alert");
	g_assert_cmpstr(sr_severity_to_string(SR_SEVERITY_EXTREME), ==, "extreme");
	g_assert_false(sr_kind_from_string("drone", &kind));
	g_assert_false(sr_kind_from_string(NULL, &kind));
	g_assert_true(sr_phase_from_string("stay_near", &phase));
	g_assert_cmpint(phase, ==, SR_PHASE_STAY_NEAR);
	g_assert_null(sr_kind_to_string((SrKind)99));
}

static void
test_json_shape(void)
{
	g_autoptr(SrEvent) event = sr_event_new("alerts_in_ua", "alerts_in_ua:48211");
	g_autoptr(cJSON) json = NULL;
	g_autofree char *text = NULL;
	event->kind = SR_KIND_AIR_RAID;
	event->severity = SR_SEVERITY_EXTREME;
	event->urgency = SR_URGENCY_IMMEDIATE;
	event->certainty = SR_CERTAINTY_OBSERVED;
	sr_event_add_region(event, "ua:31");
	sr_event_set_text(&event->area.description, "м. Київ");
	event->started_at = 1795587160;
	event->updated_at = 1795587160;
	sr_event_set_text(&event->language, "uk");
	json = sr_event_to_json(event, sr_test_catalog());
	text = sr_json_print(json);
	/* exactly the shape of design.md §3, key order included */
	g_assert_cmpstr(
	    text, ==,
	    "{\"id\":\"alerts_in_ua:48211\",\"source\":\"alerts_in_ua\",\"kind\":\"air_raid\","
	    "\"phase\":\"active\",\"status\":\"actual\",\"severity\":\"extreme\",\"urgency\":"
	    "\"immediate\",\"certainty\":\"observed\",\"regions\":[{\"id\":\"ua:31\",\"name\":"
	    "\"м. Київ\",\"name_en\":\"Kyiv City\",\"level\":\"city\"}],\"area\":{"
	    "\"description\":\"м. Київ\",\"polygons\":[],\"circles\":[],\"geocodes\":[]},"
	    "\"started_at\":\"2026-11-25T06:12:40Z\",\"updated_at\":\"2026-11-25T06:12:40Z\","
	    "\"ended_at\":null,\"expires_at\":null,\"headline\":null,\"description\":null,"
	    "\"instruction\":null,\"web\":null,\"language\":\"uk\",\"references\":[]}");
}

static void
test_json_round_trip(void)
{
	g_autoptr(SrEvent) event = full_event();
	g_autoptr(cJSON) json = sr_event_to_json(event, sr_test_catalog());
	g_autofree char *text = sr_json_print(json);
	g_autoptr(GError) error = NULL;
	g_autoptr(SrEvent) back = sr_event_from_json_string(text, strlen(text), &error);
	g_assert_no_error(error);
	g_assert_nonnull(back);
	g_assert_cmpstr(back->id, ==, event->id);
	g_assert_cmpstr(back->source, ==, event->source);
	g_assert_true(sr_event_same_content(event, back));
	g_assert_cmpint(back->updated_at, ==, event->updated_at);
	/* the polygon was closed on the way in and stays closed */
	g_assert_cmpuint(((GArray *)g_ptr_array_index(back->area.polygons, 0))->len, ==, 4);
}

static void
test_json_unknown_region(void)
{
	g_autoptr(SrEvent) event = sr_event_new("x", "x:1");
	g_autoptr(cJSON) json = NULL;
	const cJSON *region = NULL;
	sr_event_add_region(event, "ua:99999");
	json = sr_event_to_json(event, sr_test_catalog());
	region = cJSON_GetArrayItem(cJSON_GetObjectItem(json, "regions"), 0);
	g_assert_cmpstr(sr_json_get_string(region, "id"), ==, "ua:99999");
	g_assert_true(cJSON_IsNull(cJSON_GetObjectItem(region, "name")));
	g_assert_cmpstr(sr_json_get_string(region, "level"), ==, "unknown");
}

static void
test_json_reader_rejects(void)
{
	static const char *const bad[] = {
	    "",
	    "[]",
	    "{}",
	    "{\"id\":1,\"source\":\"x\",\"phase\":\"active\",\"status\":\"actual\"}",
	    "{\"id\":\"a\",\"source\":\"x\",\"status\":\"actual\"}",
	    "{\"id\":\"a\",\"source\":\"x\",\"phase\":\"over\",\"status\":\"actual\"}",
	    "{\"id\":\"a\",\"source\":\"x\",\"phase\":\"active\",\"status\":\"actual\","
	    "\"started_at\":\"yesterday\"}",
	    "{\"id\":\"a\",\"source\":\"x\",\"phase\":\"active\",\"status\":\"actual\","
	    "\"regions\":[{}]}",
	    "{\"id\":\"a\",\"source\":\"x\",\"phase\":\"active\",\"status\":\"actual\","
	    "\"area\":{\"polygons\":[[[1]]]}}",
	    "{\"id\":\"a\",\"source\":\"x\",\"phase\":\"active\",\"status\":\"actual\","
	    "\"headline\":5}",
	};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SrEvent) event =
		    sr_event_from_json_string(bad[i], strlen(bad[i]), &error);
		g_assert_null(event);
		g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
	}
}

static void
test_json_reader_lenient_values(void)
{
	/* a newer writer's kind is kept as unknown, never an error */
	const char *text =
	    "{\"id\":\"a\",\"source\":\"x\",\"kind\":\"meteor\",\"phase\":\"active\","
	    "\"status\":\"actual\",\"severity\":\"cosmic\"}";
	g_autoptr(GError) error = NULL;
	g_autoptr(SrEvent) event = sr_event_from_json_string(text, strlen(text), &error);
	g_assert_no_error(error);
	g_assert_cmpint(event->kind, ==, SR_KIND_UNKNOWN);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_UNKNOWN);
}

static void
test_same_content(void)
{
	g_autoptr(SrEvent) a = full_event();
	g_autoptr(SrEvent) b = sr_event_copy(a);
	g_assert_true(sr_event_same_content(a, b));
	b->updated_at += 60; /* a record touched upstream is not news */
	g_assert_true(sr_event_same_content(a, b));
	b->severity = SR_SEVERITY_SEVERE;
	g_assert_false(sr_event_same_content(a, b));
}

static void
test_polygon_junk(void)
{
	g_autoptr(SrEvent) event = sr_event_new("x", "x:1");
	SrPoint two[] = {{1, 1}, {2, 2}};
	SrPoint junk[] = {{1, 1}, {NAN, 2}, {95, 2}, {2, 2}};
	g_assert_false(sr_event_add_polygon(event, two, 2));
	g_assert_false(sr_event_add_polygon(event, junk, 4));
	g_assert_cmpuint(event->area.polygons->len, ==, 0);
}

static void
test_times(void)
{
	gint64 t = 0;
	g_autofree char *s = NULL;
	g_autoptr(GTimeZone) kyiv = sr_time_zone_kyiv(NULL);
	g_assert_true(sr_time_parse_iso8601("2022-04-04T16:45:39.000Z", &t));
	g_assert_cmpint(t, ==, 1649090739);
	g_assert_true(sr_time_parse_iso8601("2026-09-25T08:58:05.829282Z", &t));
	g_assert_true(sr_time_parse_iso8601("2026-09-25T11:58:05+03:00", &t));
	s = sr_time_to_rfc3339(t);
	g_assert_cmpstr(s, ==, "2026-09-25T08:58:05Z");
	g_assert_true(sr_time_parse_iso8601("2026-09-25T08:58:05-00:00", &t));
	g_assert_false(sr_time_parse_iso8601("2026-09-25 08:58:05", &t));
	g_assert_false(sr_time_parse_iso8601("", &t));
	g_assert_false(sr_time_parse_iso8601(NULL, &t));
	/* the JSON contract reads no time at or before 1970: 0 is "unknown", and such a time
	 * could not come back as itself (found by fuzzing the reader) */
	{
		static const char *const bodies[] = {
		    "{\"id\":\"a:1\",\"source\":\"a\",\"started_at\":\"0512-11-25T06:12:40Z\"}",
		    "{\"id\":\"a:1\",\"source\":\"a\",\"started_at\":\"1970-01-01T00:00:00Z\"}",
		};
		for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
			g_autoptr(GError) error = NULL;
			g_autoptr(SrEvent) event =
			    sr_event_from_json_string(bodies[i], strlen(bodies[i]), &error);
			g_assert_null(event);
			g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
		}
	}
	g_assert_null(sr_time_to_rfc3339(0));
	g_assert_nonnull(kyiv);
	/* winter +02:00, summer +03:00: real rules, not a fixed offset */
	g_assert_true(sr_time_parse_local("2026-01-15 12:00:00", kyiv, &t));
	g_assert_cmpint(t, ==, 1768471200);
	g_assert_true(sr_time_parse_local("2026-07-15 12:00:00", kyiv, &t));
	g_assert_cmpint(t, ==, 1784106000);
	g_assert_false(sr_time_parse_local("2026-13-15 12:00:00", kyiv, &t));
	g_assert_false(sr_time_parse_local("2026-01-15 12:00:00 junk", kyiv, &t));
}

static void
test_reference_cap(void)
{
	g_autoptr(SrEvent) event = sr_event_new("cap", "cap:1");
	for (guint i = 0; i < 100000; i++) {
		g_autofree char *id = g_strdup_printf("cap:%u", i);
		sr_event_add_reference(event, id);
	}
	/* the first ones stay, in order; a repeat is not added twice */
	g_assert_cmpuint(event->references->len, ==, SR_EVENT_MAX_REFERENCES);
	g_assert_cmpstr(g_ptr_array_index(event->references, 0), ==, "cap:0");
	g_ptr_array_set_size(event->references, 0);
	sr_event_add_reference(event, "cap:7");
	sr_event_add_reference(event, "cap:7");
	g_assert_cmpuint(event->references->len, ==, 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/sr/event/enum-names", test_enum_names);
	g_test_add_func("/sr/event/reference-cap", test_reference_cap);
	g_test_add_func("/sr/event/json-shape", test_json_shape);
	g_test_add_func("/sr/event/json-round-trip", test_json_round_trip);
	g_test_add_func("/sr/event/json-unknown-region", test_json_unknown_region);
	g_test_add_func("/sr/event/json-reader-rejects", test_json_reader_rejects);
	g_test_add_func("/sr/event/json-reader-lenient", test_json_reader_lenient_values);
	g_test_add_func("/sr/event/same-content", test_same_content);
	g_test_add_func("/sr/event/polygon-junk", test_polygon_junk);
	g_test_add_func("/sr/event/times", test_times);
	return g_test_run();
}
