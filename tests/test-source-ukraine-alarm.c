/* test-source-ukraine-alarm.c - the Ukraine Alarm and siren.pp.ua sources: requests and parsers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-source-ukraine_alarm"

#include "config.h"

#include <string.h>

#include "sirena/error.h"
#include "sources/sr-sources-private.h"
#include "sr-test-util.h"

#define FIXTURES "ukraine_alarm"
/* what the tests pass as "now": only used where upstream gives no time */
#define TEST_NOW G_GINT64_CONSTANT(1790000000)

static const SrTestParser parser = {
    .parse = sr_source_ukraine_alarm_parse,
    .source_name = "ukraine_alarm",
    .now = TEST_NOW,
    .fixtures = FIXTURES,
    .root_error = "not a JSON array",
};

static SrEvent *
batch_event(const SrBatch *batch, guint index)
{
	g_assert_cmpuint(index, <, batch->events->len);
	return g_ptr_array_index(batch->events, index);
}

/* everything every event of this source has in common, plus what differs */
static void
assert_event(const SrEvent *event, const char *id, SrKind kind, const char *region,
             SrSeverity severity, const char *started, const char *updated, const char *description,
             const char *area)
{
	g_assert_cmpstr(event->source, ==, "ukraine_alarm");
	g_assert_cmpstr(event->id, ==, id);
	g_assert_cmpstr(sr_kind_to_string(event->kind), ==, sr_kind_to_string(kind));
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_cmpint(event->status, ==, SR_STATUS_ACTUAL);
	g_assert_cmpstr(sr_severity_to_string(event->severity), ==,
	                sr_severity_to_string(severity));
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_IMMEDIATE);
	g_assert_cmpint(event->certainty, ==, SR_CERTAINTY_OBSERVED);
	g_assert_cmpuint(event->regions->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(event->regions, 0), ==, region);
	sr_test_assert_time(event->started_at, started);
	sr_test_assert_time(event->updated_at, updated);
	g_assert_cmpint(event->ended_at, ==, 0);
	g_assert_cmpint(event->expires_at, ==, 0);
	g_assert_null(event->headline);
	g_assert_cmpstr(event->description, ==, description);
	g_assert_cmpstr(event->area.description, ==, area);
	g_assert_cmpuint(event->area.polygons->len, ==, 0);
	g_assert_cmpuint(event->area.circles->len, ==, 0);
	g_assert_cmpstr(event->language, ==, "uk");
	g_assert_null(event->instruction);
	g_assert_null(event->web);
	g_assert_cmpuint(event->references->len, ==, 0);
	g_assert_true(g_utf8_validate(event->id, -1, NULL));
}

#define RED_MISSILE  "Ракетна загроза (червоний рівень)"
#define YELLOW_DRONE "Дронова загроза (жовтий рівень)"

/* fixtures */

static void
test_all(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "alerts_all.json");

	/* 22's AIR appears under 22, 122 and 1313, 122's ARTILLERY under 122 and 1313: each once */
	g_assert_cmpuint(batch->events->len, ==, 3);
	assert_event(batch_event(batch, 0), "ukraine_alarm:22:air_raid", SR_KIND_AIR_RAID, "ua:22",
	             SR_SEVERITY_EXTREME, "2026-10-03T21:14:05Z", "2026-10-03T21:14:06Z",
	             RED_MISSILE, "Харківська область");
	/* the backfilled Red with an empty reason: no description, extreme as every non-AIR */
	assert_event(batch_event(batch, 1), "ukraine_alarm:122:artillery", SR_KIND_ARTILLERY,
	             "ua:122", SR_SEVERITY_EXTREME, "2026-10-03T16:40:30Z", "2026-10-03T16:40:30Z",
	             NULL, "Чугуївський район");
	/* Yellow and Red at once: Red wins; both reasons, in order */
	assert_event(batch_event(batch, 2), "ukraine_alarm:74:air_raid", SR_KIND_AIR_RAID, "ua:74",
	             SR_SEVERITY_EXTREME, "2026-10-03T21:02:19Z", "2026-10-03T21:31:47Z",
	             YELLOW_DRONE "; " RED_MISSILE, "Вишгородський район");
}

static void
test_level_change(void)
{
	g_autoptr(SrBatch) yellow = sr_test_parse_fixture(&parser, "alerts_kyiv_yellow.json");
	g_autoptr(SrBatch) red = sr_test_parse_fixture(&parser, "alerts_kyiv_red.json");
	SrEvent *before = NULL;
	SrEvent *after = NULL;

	g_assert_cmpuint(yellow->events->len, ==, 1);
	g_assert_cmpuint(red->events->len, ==, 1);
	before = batch_event(yellow, 0);
	after = batch_event(red, 0);
	assert_event(before, "ukraine_alarm:31:air_raid", SR_KIND_AIR_RAID, "ua:31",
	             SR_SEVERITY_SEVERE, "2026-10-04T00:47:02Z", "2026-10-04T00:47:02Z",
	             YELLOW_DRONE, "м. Київ");
	assert_event(after, "ukraine_alarm:31:air_raid", SR_KIND_AIR_RAID, "ua:31",
	             SR_SEVERITY_EXTREME, "2026-10-04T00:47:02Z", "2026-10-04T01:09:39Z",
	             RED_MISSILE, "м. Київ");
	/* one alert whose level rose: same id, same start, different content → an update */
	g_assert_cmpstr(before->id, ==, after->id);
	g_assert_cmpint(before->started_at, ==, after->started_at);
	g_assert_false(sr_event_same_content(before, after));
}

static void
test_empty(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "alerts_empty.json");
	g_autoptr(SrBatch) region = sr_test_parse_fixture(&parser, "region_empty.json");
	g_assert_cmpuint(batch->events->len, ==, 0);
	g_assert_cmpuint(region->events->len, ==, 0);
}

static void
test_no_levels(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "alerts_no_levels.json");
	g_assert_cmpuint(batch->events->len, ==, 2);
	/* pre-2026 shape: no activeAlertLevels at all, or null → a full alert */
	assert_event(batch_event(batch, 0), "ukraine_alarm:16:air_raid", SR_KIND_AIR_RAID, "ua:16",
	             SR_SEVERITY_EXTREME, "2022-04-04T16:45:39Z", "2022-04-04T16:45:39Z", NULL,
	             "Луганська область");
	assert_event(batch_event(batch, 1), "ukraine_alarm:12:urban_fights", SR_KIND_URBAN_FIGHTS,
	             "ua:12", SR_SEVERITY_EXTREME, "2025-03-11T08:20:00Z", "2025-03-11T08:20:00Z",
	             NULL, "Запорізька область");
}

static void
test_crimea(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "alerts_crimea.json");
	g_assert_cmpuint(batch->events->len, ==, 1);
	/* the id keeps the upstream number, the region is the catalog's */
	assert_event(batch_event(batch, 0), "ukraine_alarm:9999:air_raid", SR_KIND_AIR_RAID,
	             "ua:29", SR_SEVERITY_EXTREME, "2022-12-10T22:22:22Z", "2022-12-10T22:22:22Z",
	             NULL, "Автономна Республіка Крим");
}

static void
test_info(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "alerts_info.json");
	g_assert_cmpuint(batch->events->len, ==, 0);
}

static void
test_unknown_type(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "alerts_unknown_type.json");
	g_assert_cmpuint(batch->events->len, ==, 3);
	/* UNKNOWN and a type from the future: both kept, as one unknown alert of the region */
	assert_event(batch_event(batch, 0), "ukraine_alarm:19:unknown", SR_KIND_UNKNOWN, "ua:19",
	             SR_SEVERITY_EXTREME, "2026-10-05T10:10:00Z", "2026-10-05T10:15:00Z",
	             "Балістика", "Полтавська область");
	/* a level the model does not know ("Purple") leaves a full alert */
	assert_event(batch_event(batch, 1), "ukraine_alarm:19:air_raid", SR_KIND_AIR_RAID, "ua:19",
	             SR_SEVERITY_EXTREME, "2026-10-05T10:05:00Z", "2026-10-05T10:06:00Z",
	             "Авіабомби", "Полтавська область");
	/* a region the catalog lacks: kept under its number, named as published */
	assert_event(batch_event(batch, 2), "ukraine_alarm:2001:air_raid", SR_KIND_AIR_RAID,
	             "ua:2001", SR_SEVERITY_SEVERE, "2026-10-05T10:20:00Z", "2026-10-05T10:20:00Z",
	             YELLOW_DRONE, "Нова територіальна громада");
}

/* inline bodies */

static void
test_dedupe(void)
{
	g_autoptr(GError) error = NULL;
	/* the same alert with the owner as a string, a number and with a leading zero; copies with
	 * different times; the owner's own record last */
	g_autoptr(SrBatch) batch = sr_test_parse(
	    &parser,
	    "[{\"regionId\":\"1313\",\"regionName\":\"Вовчанська\",\"activeAlerts\":["
	    " {\"regionId\":\"22\",\"type\":\"AIR\",\"lastUpdate\":\"2026-10-03T21:14:05Z\"},"
	    " {\"regionId\":22,\"type\":\"AIR\",\"lastUpdate\":\"2026-10-03T21:10:00Z\"}]},"
	    "{\"regionId\":122,\"activeAlerts\":["
	    " {\"regionId\":\"022\",\"type\":\"air\",\"lastUpdate\":\"2026-10-03T21:20:00Z\"}]},"
	    "{\"regionId\":\"22\",\"regionName\":\"Харківська область\",\"activeAlerts\":["
	    " {\"regionId\":\"22\",\"type\":\"AIR\",\"lastUpdate\":\"2026-10-03T21:14:05Z\"}]}]",
	    -1, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(batch->events->len, ==, 1);
	/* the earliest start, the latest update, and the name from the owner's record */
	assert_event(batch_event(batch, 0), "ukraine_alarm:22:air_raid", SR_KIND_AIR_RAID, "ua:22",
	             SR_SEVERITY_EXTREME, "2026-10-03T21:10:00Z", "2026-10-03T21:20:00Z", NULL,
	             "Харківська область");
}

static void
test_dedupe_inherited_only(void)
{
	g_autoptr(GError) error = NULL;
	/* /alerts/122 shape: only a child record carries the oblast's alert → no owner name */
	g_autoptr(SrBatch) batch =
	    sr_test_parse(&parser,
	                  "[{\"regionId\":\"122\",\"regionName\":\"Чугуївський район\","
	                  "\"activeAlerts\":[{\"regionId\":\"22\",\"type\":\"AIR\","
	                  "\"lastUpdate\":\"2026-10-03T21:14:05Z\"}]}]",
	                  -1, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(batch->events->len, ==, 1);
	assert_event(batch_event(batch, 0), "ukraine_alarm:22:air_raid", SR_KIND_AIR_RAID, "ua:22",
	             SR_SEVERITY_EXTREME, "2026-10-03T21:14:05Z", "2026-10-03T21:14:05Z", NULL,
	             NULL);
}

static SrSeverity
severity_of(const char *type, const char *levels)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *body = g_strdup_printf(
	    "[{\"regionId\":\"31\",\"activeAlerts\":[{\"regionId\":\"31\",\"type\":\"%s\","
	    "\"lastUpdate\":\"2026-10-04T00:47:02Z\"%s%s}]}]",
	    type, levels != NULL ? ",\"activeAlertLevels\":" : "", levels != NULL ? levels : "");
	g_autoptr(SrBatch) batch = sr_test_parse(&parser, body, -1, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(batch->events->len, ==, 1);
	return batch_event(batch, 0)->severity;
}

static void
test_severity(void)
{
	const char *yellow = "{\"alertLevel\":\"Yellow\",\"reason\":\"\"}";
	const char *red = "{\"alertLevel\":\"Red\",\"reason\":\"\"}";
	const char *purple = "{\"alertLevel\":\"Purple\"}";
	g_autofree char *only_yellow = g_strdup_printf("[%s]", yellow);
	g_autofree char *yellow_red = g_strdup_printf("[%s,%s]", yellow, red);
	g_autofree char *red_yellow = g_strdup_printf("[%s,%s]", red, yellow);
	g_autofree char *yellow_purple = g_strdup_printf("[%s,%s]", yellow, purple);
	g_autofree char *only_purple = g_strdup_printf("[%s]", purple);
	g_autofree char *only_red = g_strdup_printf("[%s]", red);

	g_assert_cmpint(severity_of("AIR", only_yellow), ==, SR_SEVERITY_SEVERE);
	g_assert_cmpint(severity_of("AIR", yellow_red), ==, SR_SEVERITY_EXTREME);
	g_assert_cmpint(severity_of("AIR", red_yellow), ==, SR_SEVERITY_EXTREME);
	g_assert_cmpint(severity_of("AIR", yellow_purple), ==, SR_SEVERITY_SEVERE);
	g_assert_cmpint(severity_of("AIR", only_purple), ==, SR_SEVERITY_EXTREME);
	g_assert_cmpint(severity_of("AIR", "[]"), ==, SR_SEVERITY_EXTREME);
	g_assert_cmpint(severity_of("AIR", "null"), ==, SR_SEVERITY_EXTREME);
	g_assert_cmpint(severity_of("AIR", NULL), ==, SR_SEVERITY_EXTREME);
	g_assert_cmpint(severity_of("AIR", "[{\"reason\":\"no level name\"}]"), ==,
	                SR_SEVERITY_EXTREME);
	/* levels mean nothing for other types */
	g_assert_cmpint(severity_of("ARTILLERY", only_yellow), ==, SR_SEVERITY_EXTREME);
	g_assert_cmpint(severity_of("URBAN_FIGHTS", NULL), ==, SR_SEVERITY_EXTREME);
	g_assert_cmpint(severity_of("CHEMICAL", only_yellow), ==, SR_SEVERITY_EXTREME);
	g_assert_cmpint(severity_of("NUCLEAR", only_red), ==, SR_SEVERITY_EXTREME);
}

static void
test_severity_several_alerts(void)
{
	g_autoptr(GError) error = NULL;
	/* two AIR alerts at one region, a yellow one and a full one: one event, the graver */
	g_autoptr(SrBatch) batch = sr_test_parse(
	    &parser,
	    "[{\"regionId\":\"31\",\"activeAlerts\":["
	    "{\"regionId\":\"31\",\"type\":\"AIR\",\"lastUpdate\":\"2026-10-04T00:47:02Z\","
	    "\"activeAlertLevels\":[{\"alertLevel\":\"Yellow\",\"reason\":\"a\"},"
	    "{\"alertLevel\":\"Yellow\",\"reason\":\" a \"},{\"alertLevel\":\"Yellow\","
	    "\"reason\":\"b\"}]},"
	    "{\"regionId\":\"31\",\"type\":\"AIR\",\"lastUpdate\":\"2026-10-04T00:50:00Z\"}]}]",
	    -1, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(batch->events->len, ==, 1);
	g_assert_cmpint(batch_event(batch, 0)->severity, ==, SR_SEVERITY_EXTREME);
	/* reasons: distinct, trimmed, in order */
	g_assert_cmpstr(batch_event(batch, 0)->description, ==, "a; b");
}

static void
test_lenient_values(void)
{
	g_autoptr(GError) error = NULL;
	/* activeAlerts null or missing, a numeric regionId: fine and nothing active */
	g_autoptr(SrBatch) none = sr_test_parse(
	    &parser, "[{\"regionId\":31,\"activeAlerts\":null},{\"regionId\":\"14\"}]", -1, &error);
	g_autoptr(SrBatch) no_time = NULL;
	g_assert_no_error(error);
	g_assert_cmpuint(none->events->len, ==, 0);

	/* no time anywhere: start unknown, "now" as the update; bad times are unknown too */
	no_time = sr_test_parse(&parser,
	                        "[{\"regionId\":\"31\",\"activeAlerts\":[{\"regionId\":\"31\","
	                        "\"type\":\"AIR\",\"lastUpdate\":\"yesterday\","
	                        "\"activeAlertLevels\":[{\"alertLevel\":\"Red\",\"createdAt\":7,"
	                        "\"reason\":null}]}]}]",
	                        -1, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(no_time->events->len, ==, 1);
	g_assert_cmpint(batch_event(no_time, 0)->started_at, ==, 0);
	g_assert_cmpint(batch_event(no_time, 0)->updated_at, ==, TEST_NOW);
	g_assert_null(batch_event(no_time, 0)->description);
	g_assert_null(batch_event(no_time, 0)->area.description);
}

static void
test_invalid_utf8(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = sr_test_parse(
	    &parser,
	    "[{\"regionId\":\"2001\",\"regionName\":\"bad \xff\xfe name\","
	    "\"activeAlerts\":[{\"regionId\":\"2001\",\"type\":\"AIR\","
	    "\"activeAlertLevels\":[{\"alertLevel\":\"Yellow\",\"reason\":\"\xc3\"}]},"
	    "{\"regionId\":\"2001\",\"type\":\"\xff\xff\"}]}]",
	    -1, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(batch->events->len, ==, 2);
	for (guint i = 0; i < batch->events->len; i++) {
		SrEvent *event = batch_event(batch, i);
		g_assert_true(g_utf8_validate(event->area.description, -1, NULL));
		g_assert_true(event->description == NULL ||
		              g_utf8_validate(event->description, -1, NULL));
		g_assert_true(g_utf8_validate(event->id, -1, NULL));
	}
	g_assert_cmpstr(batch_event(batch, 1)->id, ==, "ukraine_alarm:2001:unknown");
}

static void
test_repeated_members(void)
{
	/* a name twice in one object (record, alert or level): the first one counts, as cJSON's
	 * own lookup has it; the first record to name a region gives its name */
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = sr_test_parse(
	    &parser,
	    "[{\"regionId\":\"2001\",\"regionId\":\"2002\",\"regionName\":\"first\","
	    "\"regionName\":\"second\",\"activeAlerts\":["
	    "{\"regionId\":\"2001\",\"regionId\":\"2002\",\"type\":\"AIR\",\"type\":\"ARTILLERY\","
	    "\"lastUpdate\":\"2026-11-25T08:14:05Z\",\"lastUpdate\":\"2026-11-25T09:00:00Z\","
	    "\"activeAlertLevels\":[{\"alertLevel\":\"Yellow\",\"alertLevel\":\"Red\","
	    "\"reason\":\"one\",\"reason\":\"two\"}]}],\"activeAlerts\":null},"
	    "{\"regionId\":\"2001\",\"regionName\":\"third\",\"activeAlerts\":[]}]",
	    -1, &error);
	SrEvent *event = NULL;

	g_assert_no_error(error);
	g_assert_cmpuint(batch->events->len, ==, 1);
	event = batch_event(batch, 0);
	g_assert_cmpstr(event->id, ==, "ukraine_alarm:2001:air_raid");
	g_assert_cmpint(event->kind, ==, SR_KIND_AIR_RAID);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_SEVERE);
	g_assert_cmpint(event->started_at, ==, 1795594445);
	g_assert_cmpstr(event->area.description, ==, "first");
	g_assert_cmpstr(event->description, ==, "one");
}

static void
test_entry_keys(void)
{
	/* one entry per (owner, kind): the largest regionId there is, and a kind whose number
	 * has two digits (unknown) next to one of one digit, stay apart; "0999999999" and
	 * 999999999 are one owner */
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch =
	    sr_test_parse(&parser,
	                  "[{\"regionId\":\"999999999\",\"activeAlerts\":["
	                  "{\"regionId\":\"999999999\",\"type\":\"AIR\"},"
	                  "{\"regionId\":\"0999999999\",\"type\":\"SOMETHING_NEW\"},"
	                  "{\"regionId\":999999999,\"type\":\"AIR\"},"
	                  "{\"regionId\":\"99999999\",\"type\":\"SOMETHING_NEW\"},"
	                  "{\"regionId\":\"9999999\",\"type\":\"AIR\"}]}]",
	                  -1, &error);

	g_assert_no_error(error);
	g_assert_cmpuint(batch->events->len, ==, 4);
	g_assert_cmpstr(batch_event(batch, 0)->id, ==, "ukraine_alarm:999999999:air_raid");
	g_assert_cmpstr(batch_event(batch, 1)->id, ==, "ukraine_alarm:999999999:unknown");
	g_assert_cmpstr(batch_event(batch, 2)->id, ==, "ukraine_alarm:99999999:unknown");
	g_assert_cmpstr(batch_event(batch, 3)->id, ==, "ukraine_alarm:9999999:air_raid");
}

static void
test_source_name(void)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture(FIXTURES, "alerts_crimea.json", &len);
	g_autoptr(GError) error = NULL;
	SrParseContext ctx = {"siren", sr_test_catalog(), TEST_NOW};
	g_autoptr(SrBatch) batch = sr_source_ukraine_alarm_parse(body, len, &ctx, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(batch->events->len, ==, 1);
	g_assert_cmpstr(batch_event(batch, 0)->source, ==, "siren");
	g_assert_cmpstr(batch_event(batch, 0)->id, ==, "siren:9999:air_raid");
}

static void
test_round_trip(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "alerts_all.json");
	sr_test_assert_round_trip(batch);
}

/* bad input */

static void
test_bad_fixtures(void)
{
	const char *names[] = {"bad_not_array.json", "bad_truncated.json", "bad_alert_no_type.json",
	                       "bad_active_alerts_string.json", "bad_status_html.json"};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		gsize len = 0;
		g_autofree char *body = sr_test_read_fixture(FIXTURES, names[i], &len);
		g_test_message("%s", names[i]);
		sr_test_assert_parse_error(&parser, body, len, NULL);
	}
}

static void
test_bad_input(void)
{
	const char *bodies[] = {
	    "[{\"regionId\":\"31\",\"activeAlerts\":[",
	    "{}",
	    "{\"activeAlerts\":[]}",
	    "[1]",
	    "[null]",
	    "[[]]",
	    "[\"31\"]",
	    /* records without a usable regionId */
	    "[{}]",
	    "[{\"regionId\":null,\"activeAlerts\":[]}]",
	    "[{\"regionId\":true}]",
	    "[{\"regionId\":\"\"}]",
	    "[{\"regionId\":\"abc\"}]",
	    "[{\"regionId\":\"-1\"}]",
	    "[{\"regionId\":\" 31\"}]",
	    "[{\"regionId\":31.5}]",
	    "[{\"regionId\":-3}]",
	    "[{\"regionId\":1e300}]",
	    "[{\"regionId\":\"99999999999999999999\"}]",
	    /* activeAlerts of the wrong type */
	    "[{\"regionId\":\"31\",\"activeAlerts\":{}}]",
	    "[{\"regionId\":\"31\",\"activeAlerts\":\"AIR\"}]",
	    "[{\"regionId\":\"31\",\"activeAlerts\":0}]",
	    /* alerts that are not objects or lack a field */
	    "[{\"regionId\":\"31\",\"activeAlerts\":[1]}]",
	    "[{\"regionId\":\"31\",\"activeAlerts\":[null]}]",
	    "[{\"regionId\":\"31\",\"activeAlerts\":[{\"type\":\"AIR\"}]}]",
	    "[{\"regionId\":\"31\",\"activeAlerts\":[{\"regionId\":\"31\"}]}]",
	    "[{\"regionId\":\"31\",\"activeAlerts\":[{\"regionId\":\"31\",\"type\":1}]}]",
	    "[{\"regionId\":\"31\",\"activeAlerts\":[{\"regionId\":\"31\",\"type\":null}]}]",
	    "[{\"regionId\":\"31\",\"activeAlerts\":[{\"regionId\":{},\"type\":\"AIR\"}]}]",
	    /* levels of the wrong shape, also under INFO (structure is checked everywhere) */
	    "[{\"regionId\":\"31\",\"activeAlerts\":[{\"regionId\":\"31\",\"type\":\"AIR\","
	    "\"activeAlertLevels\":\"Red\"}]}]",
	    "[{\"regionId\":\"31\",\"activeAlerts\":[{\"regionId\":\"31\",\"type\":\"AIR\","
	    "\"activeAlertLevels\":[\"Red\"]}]}]",
	    "[{\"regionId\":\"31\",\"activeAlerts\":[{\"regionId\":\"31\",\"type\":\"INFO\","
	    "\"activeAlertLevels\":{}}]}]",
	    /* a good record followed by a bad one: the whole body fails */
	    "[{\"regionId\":\"31\",\"activeAlerts\":[{\"regionId\":\"31\",\"type\":\"AIR\"}]},7]",
	};
	/* no body, white space, not JSON, truncated, a scalar */
	sr_test_assert_rejects_malformed(&parser);
	for (guint i = 0; i < G_N_ELEMENTS(bodies); i++)
		sr_test_assert_parse_error(&parser, bodies[i], -1, NULL);
}

static void
test_error_messages(void)
{
	struct {
		const char *body;
		const char *message;
	} cases[] = {
	    {"{}", "the body is not a JSON array of regions"},
	    {"[{\"regionId\":\"31\"},{\"regionId\":\"14\",\"activeAlerts\":7}]",
	     "record 1: 'activeAlerts' is not an array"},
	    {"[{\"regionId\":\"31\",\"activeAlerts\":[{\"regionId\":\"31\",\"type\":\"AIR\"},"
	     "{\"regionId\":\"31\"}]}]",
	     "record 0, alert 1: 'type' is missing or not a string"},
	    {"[] x", "the body has data after the JSON value"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SrBatch) batch = sr_test_parse(&parser, cases[i].body, -1, &error);
		g_assert_null(batch);
		g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
		g_assert_cmpstr(error->message, ==, cases[i].message);
	}
}

static void
test_nul_bytes(void)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture(FIXTURES, "alerts_all.json", &len);

	/* cJSON would read "[]\0..." as an empty array: an all-clear out of a broken body */
	sr_test_assert_rejects_control_bytes(&parser);
	/* a fixture with a NUL */
	body[len / 2] = '\0';
	sr_test_assert_parse_error(&parser, body, len, "control character (0x00)");
}

static void
test_not_nul_terminated(void)
{
	/* the body is a slice of a bigger buffer: the parser must not read past @len */
	const char *buffer = "[]{\"more\":1}";
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = sr_test_parse(&parser, buffer, 2, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(batch->events->len, ==, 0);
}

static void
test_deep_nesting(void)
{
	sr_test_assert_rejects_deep_nesting(&parser);
}

static void
test_huge(void)
{
	const SrCatalog *catalog = sr_test_catalog();
	g_autoptr(GString) body = g_string_new("[");
	g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) reason = g_string_new(NULL);
	g_autoptr(SrBatch) batch = NULL;
	const guint n_records = 3000;

	/* raions and hromadas the catalog knows, so nothing is logged */
	for (guint id = 32; id < 2000 && known->len < 1000; id++) {
		g_autofree char *str = g_strdup_printf("%u", id);
		if (sr_catalog_lookup_ukraine_alarm(catalog, str) != NULL)
			g_ptr_array_add(known, g_steal_pointer(&str));
	}
	g_assert_cmpuint(known->len, ==, 1000);
	for (guint i = 0; i < 80; i++)
		g_string_append(reason, "Дронова ");
	for (guint i = 0; i < n_records; i++) {
		const char *id = g_ptr_array_index(known, i % known->len);
		g_string_append_printf(
		    body,
		    "%s{\"regionId\":\"%s\",\"regionType\":\"Community\",\"regionName\":\"R %s\","
		    "\"lastUpdate\":\"2026-10-03T21:14:05.412000Z\",\"activeAlerts\":["
		    "{\"regionId\":\"22\",\"regionType\":\"State\",\"type\":\"AIR\","
		    "\"lastUpdate\":\"2026-10-03T21:14:05.412000Z\",\"activeAlertLevels\":["
		    "{\"alertLevel\":\"Red\",\"reason\":\"%s\",\"createdAt\":\"2026-10-03T21:14:"
		    "06Z\"}]},"
		    "{\"regionId\":\"%s\",\"regionType\":\"Community\",\"type\":\"ARTILLERY\","
		    "\"lastUpdate\":\"2026-10-03T16:40:30.000000Z\",\"activeAlertLevels\":["
		    "{\"alertLevel\":\"Red\",\"reason\":\"%s "
		    "%u\",\"createdAt\":\"2026-10-03T16:40:30Z\"}]}"
		    "]}",
		    i == 0 ? "" : ",", id, id, reason->str, id, reason->str, i);
	}
	g_string_append(body, "]");
	g_assert_cmpuint(body->len, >, 4 * 1024 * 1024);

	batch = sr_test_parse_large(&parser, body->str, body->len);
	/* 22's AIR once, plus one ARTILLERY per distinct region */
	g_assert_cmpuint(batch->events->len, ==, 1 + known->len);
	g_assert_cmpstr(batch_event(batch, 0)->id, ==, "ukraine_alarm:22:air_raid");
	/* three records per region, three distinct reasons each */
	g_assert_cmpuint(strlen(batch_event(batch, 1)->description), >, 3 * reason->len);
}

static void
test_many_reasons(void)
{
	/* one alert with tens of thousands of distinct reasons: bounded work and output */
	g_autoptr(GString) body =
	    g_string_new("[{\"regionId\":\"31\",\"activeAlerts\":[{\"regionId\":"
	                 "\"31\",\"type\":\"AIR\",\"activeAlertLevels\":[");
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	for (guint i = 0; i < 50000; i++)
		g_string_append_printf(body, "%s{\"alertLevel\":\"Red\",\"reason\":\"r%u\"}",
		                       i == 0 ? "" : ",", i);
	g_string_append(body, "]}]}]");
	batch = sr_test_parse(&parser, body->str, -1, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(batch->events->len, ==, 1);
	g_assert_cmpuint(strlen(batch_event(batch, 0)->description), <, 1024);
}

/* the probe */

static char *
parse_status_fixture(const char *name, GError **error)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture(FIXTURES, name, &len);
	return sr_source_ukraine_alarm_parse_status(body, len, error);
}

static void
test_status(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *first = parse_status_fixture("status_1.json", &error);
	g_autofree char *second = NULL;
	g_autofree char *string = NULL;

	g_assert_no_error(error);
	g_assert_cmpstr(first, ==, "5120417");
	second = parse_status_fixture("status_2.json", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(second, ==, "5120433");
	g_assert_cmpstr(first, !=, second);
	/* a numeric string names the same index */
	string = parse_status_fixture("status_string.json", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(string, ==, first);
}

static void
test_status_values(void)
{
	struct {
		const char *body;
		const char *token;
	} good[] = {
	    {"{\"lastActionIndex\":0}", "0"},
	    {" {\"lastActionIndex\": 4812233, \"extra\": [1,2]}\n", "4812233"},
	    {"{\"lastActionIndex\":4.812233e6}", "4812233"},
	    {"{\"lastActionIndex\":\"9007199254740993\"}", "9007199254740993"},
	    {"{\"lastActionIndex\":-5}", "-5"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree char *token = sr_source_ukraine_alarm_parse_status(
		    good[i].body, strlen(good[i].body), &error);
		g_assert_no_error(error);
		g_assert_cmpstr(token, ==, good[i].token);
	}
}

static void
test_status_bad(void)
{
	const char *fixtures[] = {"bad_status_missing.json", "bad_status_type.json",
	                          "bad_status_html.json", "alerts_empty.json"};
	const char *bodies[] = {
	    " ",
	    "not json",
	    "{\"lastActionIndex\":",
	    "null",
	    "5120417",
	    "[]",
	    "[{\"lastActionIndex\":1}]",
	    "{}",
	    "{\"lastactionindex\":1}",
	    "{\"lastActionIndex\":null}",
	    "{\"lastActionIndex\":1.5}",
	    "{\"lastActionIndex\":1e30}",
	    "{\"lastActionIndex\":\"\"}",
	    "{\"lastActionIndex\":\"12a\"}",
	    "{\"lastActionIndex\":\" 12\"}",
	    "{\"lastActionIndex\":\"99999999999999999999\"}",
	    "{\"lastActionIndex\":{}}",
	    "{\"lastActionIndex\":[1]}",
	    "{\"lastActionIndex\":1} x",
	};
	static const char with_nul[] = "{\"lastActionIndex\":1}\0";
	g_autofree char *deep = g_malloc(100000);

	for (guint i = 0; i < G_N_ELEMENTS(fixtures); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree char *token = parse_status_fixture(fixtures[i], &error);
		g_assert_null(token);
		g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree char *token =
		    sr_source_ukraine_alarm_parse_status(bodies[i], strlen(bodies[i]), &error);
		if (token != NULL)
			g_error("%s: parsed into %s, expected an error", bodies[i], token);
		g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
	}
	{
		g_autoptr(GError) error = NULL;
		g_autofree char *token =
		    sr_source_ukraine_alarm_parse_status(with_nul, sizeof(with_nul) - 1, &error);
		g_assert_null(token);
		g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
	}
	{
		g_autoptr(GError) error = NULL;
		g_autofree char *token = NULL;
		memset(deep, '{', 100000);
		token = sr_source_ukraine_alarm_parse_status(deep, 100000, &error);
		g_assert_null(token);
		g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
	}
	{
		g_autoptr(GError) error = NULL;
		g_autofree char *token = sr_source_ukraine_alarm_parse_status("", 0, &error);
		g_assert_null(token);
		g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
	}
	{
		g_autoptr(GError) error = NULL;
		g_autofree char *token = parse_status_fixture("bad_status_missing.json", &error);
		g_assert_cmpstr(error->message, ==, "'lastActionIndex' is missing");
	}
	{
		g_autoptr(GError) error = NULL;
		g_autofree char *token = parse_status_fixture("bad_status_type.json", &error);
		g_assert_cmpstr(error->message, ==, "'lastActionIndex' is not an integer");
	}
}

/* requests */

static void
assert_headers(const SrRequest *request, const char *const *expected)
{
	guint n = g_strv_length((char **)expected);
	g_assert_nonnull(request->headers);
	g_assert_cmpuint(request->headers->len, ==, n);
	for (guint i = 0; i < n; i++)
		g_assert_cmpstr(g_ptr_array_index(request->headers, i), ==, expected[i]);
}

static void
test_request_ukraine_alarm(void)
{
	g_autoptr(SrSourceConfig) config = sr_source_config_new("ua", &sr_source_ukraine_alarm);
	const char *const headers[] = {"Authorization: k3y-0f-t3st", "Accept: application/json",
	                               NULL};
	SrRequest main_request = {NULL, NULL};
	SrRequest probe = {NULL, NULL};
	g_autoptr(GError) error = NULL;

	config->token = g_strdup("k3y-0f-t3st");
	g_assert_true(config->ops->build_request(config, SR_REQUEST_MAIN, &main_request, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(main_request.url, ==, "https://api.ukrainealarm.com/api/v3/alerts");
	/* the raw key, no "Bearer"; and never in the URL */
	assert_headers(&main_request, headers);
	g_assert_null(strstr(main_request.url, "k3y"));

	g_assert_true(config->ops->build_request(config, SR_REQUEST_PROBE, &probe, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(probe.url, ==, "https://api.ukrainealarm.com/api/v3/alerts/status");
	assert_headers(&probe, headers);
	g_assert_null(strstr(probe.url, "k3y"));

	sr_request_clear(&main_request);
	sr_request_clear(&probe);
}

static void
test_request_url(void)
{
	g_autoptr(SrSourceConfig) config = sr_source_config_new("ua", &sr_source_ukraine_alarm);
	SrRequest request = {NULL, NULL};
	g_autoptr(GError) error = NULL;

	g_free(config->url);
	config->url = g_strdup("http://127.0.0.1:8099");
	config->token = g_strdup("t");
	g_assert_true(config->ops->build_request(config, SR_REQUEST_PROBE, &request, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(request.url, ==, "http://127.0.0.1:8099/api/v3/alerts/status");
	sr_request_clear(&request);
}

static void
test_request_siren(void)
{
	g_autoptr(SrSourceConfig) config = sr_source_config_new("siren", &sr_source_siren_pp_ua);
	const char *const keyless[] = {"Accept: application/json", NULL};
	const char *const keyed[] = {"Authorization: mine", "Accept: application/json", NULL};
	SrRequest request = {NULL, NULL};
	g_autoptr(GError) error = NULL;

	g_assert_true(config->ops->build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(request.url, ==, "https://siren.pp.ua/api/v3/alerts");
	/* keyless: no Authorization at all */
	assert_headers(&request, keyless);
	sr_request_clear(&request);

	g_assert_true(config->ops->build_request(config, SR_REQUEST_PROBE, &request, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(request.url, ==, "https://siren.pp.ua/api/v3/alerts/status");
	assert_headers(&request, keyless);
	sr_request_clear(&request);

	/* an empty token is no token */
	config->token = g_strdup("");
	g_assert_true(config->ops->build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_no_error(error);
	assert_headers(&request, keyless);
	sr_request_clear(&request);

	/* a token the user did configure is sent */
	g_free(config->token);
	config->token = g_strdup("mine");
	g_assert_true(config->ops->build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_no_error(error);
	assert_headers(&request, keyed);
	sr_request_clear(&request);
}

static void
test_request_missing_token(void)
{
	g_autoptr(SrSourceConfig) config = sr_source_config_new("my-ua", &sr_source_ukraine_alarm);
	const char *const tokens[] = {NULL, ""};

	for (guint i = 0; i < G_N_ELEMENTS(tokens); i++) {
		SrRequest request = {NULL, NULL};
		g_autoptr(GError) error = NULL;
		g_free(config->token);
		config->token = g_strdup(tokens[i]);
		g_assert_false(
		    config->ops->build_request(config, SR_REQUEST_MAIN, &request, &error));
		g_assert_error(error, SR_ERROR, SR_ERROR_CONFIG);
		g_assert_nonnull(strstr(error->message, "source 'my-ua' needs token="));
		g_assert_nonnull(strstr(error->message, "https://api.ukrainealarm.com/"));
		g_assert_null(request.url);
		g_assert_null(request.headers);
	}
}

static void
test_request_bad_token(void)
{
	g_autoptr(SrSourceConfig) config = sr_source_config_new("ua", &sr_source_ukraine_alarm);
	SrRequest request = {NULL, NULL};
	g_autoptr(GError) error = NULL;

	config->token = g_strdup("secret\r\nX-Injected: 1");
	g_assert_false(config->ops->build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_CONFIG);
	/* the error names the problem, never the secret */
	g_assert_null(strstr(error->message, "secret"));
	g_assert_null(request.url);
}

static void
test_ops(void)
{
	const SrSourceOps *ua = &sr_source_ukraine_alarm;
	const SrSourceOps *siren = &sr_source_siren_pp_ua;

	g_assert_cmpstr(ua->type, ==, "ukraine_alarm");
	g_assert_cmpstr(ua->default_url, ==, "https://api.ukrainealarm.com");
	g_assert_true(ua->needs_token);
	g_assert_false(ua->conditional);
	g_assert_cmpfloat(ua->default_interval, ==, 30);
	g_assert_cmpfloat(ua->min_interval, ==, 20);
	g_assert_cmpuint(ua->max_per_minute, ==, 3);
	g_assert_cmpuint(ua->auth_failures_before_error, ==, 5);
	g_assert_true(ua->parse == sr_source_ukraine_alarm_parse);
	g_assert_true(ua->parse_probe == sr_source_ukraine_alarm_parse_status);
	g_assert_nonnull(ua->description);

	g_assert_cmpstr(siren->type, ==, "siren_pp_ua");
	g_assert_cmpstr(siren->default_url, ==, "https://siren.pp.ua");
	g_assert_false(siren->needs_token);
	g_assert_false(siren->conditional);
	g_assert_cmpfloat(siren->default_interval, ==, 10);
	g_assert_cmpfloat(siren->min_interval, ==, 5);
	g_assert_cmpuint(siren->max_per_minute, ==, 40);
	g_assert_cmpuint(siren->auth_failures_before_error, ==, 5);
	g_assert_true(siren->parse == sr_source_ukraine_alarm_parse);
	g_assert_true(siren->parse_probe == sr_source_ukraine_alarm_parse_status);
	g_assert_nonnull(siren->description);

	for (guint i = 0; i < 2; i++) {
		const SrSourceOps *ops = i == 0 ? ua : siren;
		g_assert_true(ops->kinds & (1u << SR_KIND_AIR_RAID));
		g_assert_true(ops->kinds & (1u << SR_KIND_ARTILLERY));
		g_assert_true(ops->kinds & (1u << SR_KIND_URBAN_FIGHTS));
		g_assert_true(ops->kinds & (1u << SR_KIND_CHEMICAL));
		g_assert_true(ops->kinds & (1u << SR_KIND_NUCLEAR));
		g_assert_true(ops->kinds & (1u << SR_KIND_UNKNOWN));
		g_assert_false(ops->kinds & (1u << SR_KIND_MISSILE));
		g_assert_false(ops->kinds & (1u << SR_KIND_EARTHQUAKE));
		g_assert_true(ops->levels & (1u << SR_REGION_LEVEL_OBLAST));
		g_assert_true(ops->levels & (1u << SR_REGION_LEVEL_RAION));
		g_assert_true(ops->levels & (1u << SR_REGION_LEVEL_HROMADA));
		g_assert_true(ops->levels & (1u << SR_REGION_LEVEL_CITY));
		g_assert_null(ops->fetch_local);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

	g_test_add_func("/sr/source/ukraine_alarm/all", test_all);
	g_test_add_func("/sr/source/ukraine_alarm/level-change", test_level_change);
	g_test_add_func("/sr/source/ukraine_alarm/empty", test_empty);
	g_test_add_func("/sr/source/ukraine_alarm/no-levels", test_no_levels);
	g_test_add_func("/sr/source/ukraine_alarm/crimea", test_crimea);
	g_test_add_func("/sr/source/ukraine_alarm/info", test_info);
	g_test_add_func("/sr/source/ukraine_alarm/unknown-type", test_unknown_type);
	g_test_add_func("/sr/source/ukraine_alarm/dedupe", test_dedupe);
	g_test_add_func("/sr/source/ukraine_alarm/dedupe-inherited-only",
	                test_dedupe_inherited_only);
	g_test_add_func("/sr/source/ukraine_alarm/severity", test_severity);
	g_test_add_func("/sr/source/ukraine_alarm/severity-several-alerts",
	                test_severity_several_alerts);
	g_test_add_func("/sr/source/ukraine_alarm/lenient-values", test_lenient_values);
	g_test_add_func("/sr/source/ukraine_alarm/invalid-utf8", test_invalid_utf8);
	g_test_add_func("/sr/source/ukraine_alarm/repeated-members", test_repeated_members);
	g_test_add_func("/sr/source/ukraine_alarm/entry-keys", test_entry_keys);
	g_test_add_func("/sr/source/ukraine_alarm/source-name", test_source_name);
	g_test_add_func("/sr/source/ukraine_alarm/round-trip", test_round_trip);
	g_test_add_func("/sr/source/ukraine_alarm/bad-fixtures", test_bad_fixtures);
	g_test_add_func("/sr/source/ukraine_alarm/bad-input", test_bad_input);
	g_test_add_func("/sr/source/ukraine_alarm/error-messages", test_error_messages);
	g_test_add_func("/sr/source/ukraine_alarm/nul-bytes", test_nul_bytes);
	g_test_add_func("/sr/source/ukraine_alarm/not-nul-terminated", test_not_nul_terminated);
	g_test_add_func("/sr/source/ukraine_alarm/deep-nesting", test_deep_nesting);
	g_test_add_func("/sr/source/ukraine_alarm/huge", test_huge);
	g_test_add_func("/sr/source/ukraine_alarm/many-reasons", test_many_reasons);
	g_test_add_func("/sr/source/ukraine_alarm/status", test_status);
	g_test_add_func("/sr/source/ukraine_alarm/status-values", test_status_values);
	g_test_add_func("/sr/source/ukraine_alarm/status-bad", test_status_bad);
	g_test_add_func("/sr/source/ukraine_alarm/request", test_request_ukraine_alarm);
	g_test_add_func("/sr/source/ukraine_alarm/request-url", test_request_url);
	g_test_add_func("/sr/source/ukraine_alarm/request-missing-token",
	                test_request_missing_token);
	g_test_add_func("/sr/source/ukraine_alarm/request-bad-token", test_request_bad_token);
	g_test_add_func("/sr/source/ukraine_alarm/ops", test_ops);
	g_test_add_func("/sr/source/siren_pp_ua/request", test_request_siren);

	return g_test_run();
}
