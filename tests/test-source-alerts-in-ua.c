/* test-source-alerts-in-ua.c - the alerts.in.ua source: request, parser, hostile bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-source-alerts-in-ua"

#include "config.h"

#include <string.h>

#include "sirena/error.h"
#include "sources/sr-sources-private.h"
#include "sr-test-util.h"

#define SOURCE_DOMAIN "sr-source-alerts-in-ua"

static const SrTestParser parser = {
    .parse = sr_source_alerts_in_ua_parse,
    .source_name = "alerts_in_ua",
    .now = 1795500000,
    .fixtures = "alerts_in_ua",
    .root_error = "not a JSON object",
};

/* the fields every alerts.in.ua event has */
static void
assert_common(const SrEvent *event, const char *region)
{
	g_assert_cmpstr(event->source, ==, "alerts_in_ua");
	g_assert_cmpint(event->status, ==, SR_STATUS_ACTUAL);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_EXTREME);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_IMMEDIATE);
	g_assert_cmpint(event->certainty, ==, SR_CERTAINTY_OBSERVED);
	g_assert_cmpstr(event->language, ==, "uk");
	g_assert_cmpuint(event->regions->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(event->regions, 0), ==, region);
	g_assert_cmpuint(event->area.polygons->len, ==, 0);
	g_assert_cmpuint(event->area.circles->len, ==, 0);
	g_assert_null(event->headline);
	g_assert_cmpint(event->expires_at, ==, 0);
}

static void
test_ops(void)
{
	const SrSourceOps *ops = &sr_source_alerts_in_ua;
	g_assert_cmpstr(ops->type, ==, "alerts_in_ua");
	g_assert_nonnull(ops->description);
	g_assert_cmpstr(ops->default_url, ==, "https://api.alerts.in.ua");
	g_assert_true(ops->needs_token);
	g_assert_cmpfloat(ops->default_interval, ==, 15);
	g_assert_cmpfloat(ops->min_interval, ==, 10);
	g_assert_cmpuint(ops->max_per_minute, ==, 6);
	g_assert_cmpuint(ops->auth_failures_before_error, ==, 1);
	g_assert_true(ops->conditional);
	g_assert_true(ops->kinds & (1u << SR_KIND_AIR_RAID));
	g_assert_true(ops->kinds & (1u << SR_KIND_ARTILLERY));
	g_assert_true(ops->kinds & (1u << SR_KIND_URBAN_FIGHTS));
	g_assert_true(ops->kinds & (1u << SR_KIND_CHEMICAL));
	g_assert_true(ops->kinds & (1u << SR_KIND_NUCLEAR));
	g_assert_false(ops->kinds & (1u << SR_KIND_MISSILE));
	g_assert_true(ops->levels & (1u << SR_REGION_LEVEL_OBLAST));
	g_assert_true(ops->levels & (1u << SR_REGION_LEVEL_RAION));
	g_assert_true(ops->levels & (1u << SR_REGION_LEVEL_HROMADA));
	g_assert_true(ops->levels & (1u << SR_REGION_LEVEL_CITY));
	g_assert_true(ops->parse == sr_source_alerts_in_ua_parse);
	g_assert_null(ops->parse_probe);
	g_assert_null(ops->fetch_local);
}

static void
test_request(void)
{
	g_autoptr(SrSourceConfig) config =
	    sr_source_config_new("alerts_in_ua", &sr_source_alerts_in_ua);
	SrRequest request = {NULL, NULL};
	g_autoptr(GError) error = NULL;

	config->token = g_strdup("0123456789abcdef");
	g_assert_true(
	    sr_source_alerts_in_ua.build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(request.url, ==, "https://api.alerts.in.ua/v1/alerts/active.json");
	/* the token is in a header, never in the URL */
	g_assert_null(strstr(request.url, "0123456789abcdef"));
	g_assert_nonnull(request.headers);
	g_assert_cmpuint(request.headers->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(request.headers, 0), ==,
	                "Authorization: Bearer 0123456789abcdef");
	g_assert_cmpstr(g_ptr_array_index(request.headers, 1), ==, "Accept: application/json");
	sr_request_clear(&request);

	/* a configured URL (a test server, a proxy) replaces the base */
	g_free(config->url);
	config->url = g_strdup("http://127.0.0.1:8080/aiu");
	g_assert_true(
	    sr_source_alerts_in_ua.build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(request.url, ==, "http://127.0.0.1:8080/aiu/v1/alerts/active.json");
	sr_request_clear(&request);

	/* there is no probe */
	g_assert_false(
	    sr_source_alerts_in_ua.build_request(config, SR_REQUEST_PROBE, &request, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	sr_request_clear(&request);
}

static void
test_request_token(void)
{
	static const char *const bad_tokens[] = {NULL, "", "abc\r\nX-Evil: 1", "abc\n"};
	for (guint i = 0; i < G_N_ELEMENTS(bad_tokens); i++) {
		g_autoptr(SrSourceConfig) config =
		    sr_source_config_new("aiu", &sr_source_alerts_in_ua);
		SrRequest request = {NULL, NULL};
		g_autoptr(GError) error = NULL;

		config->token = g_strdup(bad_tokens[i]);
		g_assert_false(sr_source_alerts_in_ua.build_request(config, SR_REQUEST_MAIN,
		                                                    &request, &error));
		g_assert_error(error, SR_ERROR, SR_ERROR_CONFIG);
		g_assert_nonnull(strstr(error->message, "'aiu'"));
		if (bad_tokens[i] == NULL || bad_tokens[i][0] == '\0') {
			g_assert_nonnull(strstr(error->message, "token="));
			g_assert_nonnull(
			    strstr(error->message, "https://alerts.in.ua/api-request"));
		} else {
			/* the secret is not repeated in the message */
			g_assert_null(strstr(error->message, "abc"));
		}
		g_assert_null(request.url);
		sr_request_clear(&request);
	}
}

static void
test_empty(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "active_empty.json");
	/* an empty list is a valid all-clear */
	g_assert_cmpuint(batch->events->len, ==, 0);
}

static void
test_mixed(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "active_mixed.json");
	const SrEvent *event = NULL;
	const SrRegion *region = NULL;

	g_assert_cmpuint(batch->events->len, ==, 3);

	/* the permanent Luhansk oblast alert */
	event = g_ptr_array_index(batch->events, 0);
	g_assert_cmpstr(event->id, ==, "alerts_in_ua:8757");
	assert_common(event, "ua:16");
	g_assert_cmpint(event->kind, ==, SR_KIND_AIR_RAID);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_true(sr_event_is_active(event));
	sr_test_assert_time(event->started_at, "2022-04-04T16:45:39Z");
	sr_test_assert_time(event->updated_at, "2026-11-25T00:00:07Z");
	sr_test_assert_time(event->ended_at, NULL);
	g_assert_cmpstr(event->area.description, ==, "Луганська область");
	g_assert_null(event->description);

	/* a raion */
	event = g_ptr_array_index(batch->events, 1);
	g_assert_cmpstr(event->id, ==, "alerts_in_ua:104311");
	assert_common(event, "ua:124");
	g_assert_cmpint(event->kind, ==, SR_KIND_AIR_RAID);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	sr_test_assert_time(event->started_at, "2026-11-25T05:58:12Z");
	sr_test_assert_time(event->updated_at, "2026-11-25T05:58:12Z");
	g_assert_cmpstr(event->area.description, ==, "Харківський район");
	region = sr_catalog_lookup(sr_test_catalog(), "ua:124");
	g_assert_nonnull(region);
	g_assert_cmpint(region->level, ==, SR_REGION_LEVEL_RAION);

	/* a hromada whose location_oblast_uid is wrong (its own uid): only location_uid counts */
	event = g_ptr_array_index(batch->events, 2);
	g_assert_cmpstr(event->id, ==, "alerts_in_ua:104318");
	assert_common(event, "ua:351");
	g_assert_cmpint(event->kind, ==, SR_KIND_ARTILLERY);
	sr_test_assert_time(event->started_at, "2026-11-25T06:12:40Z");
	g_assert_cmpstr(event->area.description, ==, "Нікопольська територіальна громада");
	region = sr_catalog_lookup(sr_test_catalog(), "ua:351");
	g_assert_nonnull(region);
	g_assert_cmpint(region->level, ==, SR_REGION_LEVEL_HROMADA);
	g_assert_cmpstr(region->parent->parent->id, ==, "ua:9");
}

static void
test_int_uids(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "active_int_uids.json");
	const SrEvent *event = NULL;

	g_assert_cmpuint(batch->events->len, ==, 3);
	event = sr_test_find_event(batch, "alerts_in_ua:8757");
	assert_common(event, "ua:16");
	sr_test_assert_time(event->started_at, "2022-04-04T16:45:39Z");

	event = sr_test_find_event(batch, "alerts_in_ua:104325");
	assert_common(event, "ua:31");
	g_assert_cmpint(event->kind, ==, SR_KIND_AIR_RAID);
	g_assert_cmpstr(event->area.description, ==, "м. Київ");
	/* notes become the description */
	g_assert_cmpstr(event->description, ==, "За повідомленням КМВА: загроза балістики");
	sr_test_assert_time(event->started_at, "2026-11-25T06:20:03Z");
	sr_test_assert_time(event->updated_at, "2026-11-25T06:21:15Z");

	event = sr_test_find_event(batch, "alerts_in_ua:104330");
	assert_common(event, "ua:123");
	g_assert_cmpint(event->kind, ==, SR_KIND_URBAN_FIGHTS);
	/* empty notes are no description */
	g_assert_null(event->description);
	g_assert_cmpstr(event->area.description, ==, "Куп'янський район");
}

static void
test_unknown_type(void)
{
	const SrEvent *event = NULL;
	for (guint round = 0; round < 2; round++) {
		g_autoptr(SrBatch) batch =
		    sr_test_parse_fixture(&parser, "active_unknown_type.json");
		g_assert_cmpuint(batch->events->len, ==, 3);
		/* kept, as unknown */
		event = sr_test_find_event(batch, "alerts_in_ua:104340");
		assert_common(event, "ua:20");
		g_assert_cmpint(event->kind, ==, SR_KIND_UNKNOWN);
		g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
		sr_test_assert_time(event->started_at, "2026-11-25T06:30:00Z");
		event = sr_test_find_event(batch, "alerts_in_ua:104341");
		g_assert_cmpint(event->kind, ==, SR_KIND_CHEMICAL);
		event = sr_test_find_event(batch, "alerts_in_ua:104342");
		g_assert_cmpint(event->kind, ==, SR_KIND_NUCLEAR);
		assert_common(event, "ua:12");
	}
	/* logged once per process, however often it is seen */
	g_assert_cmpuint(sr_test_count_messages("'drone'"), ==, 1);
}

static void
test_unknown_location(void)
{
	const SrEvent *event = NULL;
	for (guint round = 0; round < 2; round++) {
		g_autoptr(SrBatch) batch =
		    sr_test_parse_fixture(&parser, "active_unknown_location.json");
		g_assert_cmpuint(batch->events->len, ==, 1);
		event = g_ptr_array_index(batch->events, 0);
		g_assert_cmpstr(event->id, ==, "alerts_in_ua:104350");
		/* an id the catalog does not know is kept, with the place name as published */
		assert_common(event, "ua:99999");
		g_assert_null(sr_catalog_lookup(sr_test_catalog(), "ua:99999"));
		g_assert_cmpstr(event->area.description, ==, "Нова територіальна громада");
		g_assert_cmpint(event->kind, ==, SR_KIND_AIR_RAID);
	}
	g_assert_cmpuint(sr_test_count_messages("99999"), ==, 1);
}

static void
test_finished(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "active_finished.json");
	const SrEvent *event = NULL;

	g_assert_cmpuint(batch->events->len, ==, 2);
	event = sr_test_find_event(batch, "alerts_in_ua:104302");
	assert_common(event, "ua:22");
	g_assert_cmpint(event->phase, ==, SR_PHASE_ENDED);
	g_assert_false(sr_event_is_active(event));
	sr_test_assert_time(event->started_at, "2026-11-25T02:10:44Z");
	sr_test_assert_time(event->ended_at, "2026-11-25T03:02:10Z");
	sr_test_assert_time(event->updated_at, "2026-11-25T03:02:10Z");

	event = sr_test_find_event(batch, "alerts_in_ua:104311");
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	sr_test_assert_time(event->ended_at, NULL);
}

static void
test_error_body(void)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture("alerts_in_ua", "error_401.json", &len);
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = sr_test_parse(&parser, body, len, &error);
	g_assert_null(batch);
	g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
	g_assert_nonnull(strstr(error->message, "error message"));
}

static void
test_bad_fixtures(void)
{
	static const struct {
		const char *name;
		const char *fragment;
	} cases[] = {
	    {"bad_missing_started_at.json", "alert 1 has no 'started_at'"},
	    {"bad_started_at.json", "alert 0 has no 'started_at'"},
	    {"bad_location_uid.json", "alert 0 has no 'location_uid'"},
	    {"bad_alerts_object.json", "'alerts' is not an array"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		gsize len = 0;
		g_autofree char *body = sr_test_read_fixture("alerts_in_ua", cases[i].name, &len);
		sr_test_assert_parse_error(&parser, body, len, cases[i].fragment);
	}
}

/* one alert with a field replaced: @field_json is `"name": value` or empty */
static char *
alert_body(const char *replace, const char *field_json)
{
	const char *fields[][2] = {
	    {"id", "\"id\": 7"},
	    {"location_uid", "\"location_uid\": \"22\""},
	    {"alert_type", "\"alert_type\": \"air_raid\""},
	    {"started_at", "\"started_at\": \"2026-11-25T06:00:00.000Z\""},
	    {"finished_at", "\"finished_at\": null"},
	    {"updated_at", "\"updated_at\": \"2026-11-25T06:00:01.000Z\""},
	    {"location_title", "\"location_title\": \"Харківська область\""},
	    {"notes", "\"notes\": null"},
	};
	g_autoptr(GString) str = g_string_new("{\"alerts\": [{");
	gboolean first = TRUE;
	for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
		const char *text =
		    g_strcmp0(fields[i][0], replace) == 0 ? field_json : fields[i][1];
		if (text == NULL || text[0] == '\0')
			continue;
		g_string_append_printf(str, "%s%s", first ? "" : ", ", text);
		first = FALSE;
	}
	g_string_append(str, "}]}");
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static void
test_bad_input(void)
{
	static const struct {
		const char *body;
		const char *fragment;
	} cases[] = {
	    {"{\"alerts\": [", "not JSON"},
	    {"{\"alerts\": [{\"id\": 1, \"location_uid\": \"22\"", "not JSON"},
	    {"\"alerts\"", "not a JSON object"},
	    {"[]", "not a JSON object"},
	    {"[{\"alerts\": []}]", "not a JSON object"},
	    {"{}", "no 'alerts'"},
	    {"{\"meta\": {\"type\": \"full\"}}", "no 'alerts'"},
	    {"{\"alerts\": null}", "'alerts' is not an array"},
	    {"{\"alerts\": {}}", "'alerts' is not an array"},
	    {"{\"alerts\": \"[]\"}", "'alerts' is not an array"},
	    {"{\"alerts\": 0}", "'alerts' is not an array"},
	    {"{\"alerts\": [1]}", "alert 0 is not an object"},
	    {"{\"alerts\": [null]}", "alert 0 is not an object"},
	    {"{\"alerts\": [[]]}", "alert 0 is not an object"},
	    {"{\"alerts\": [{}]}", "alert 0 has no 'id'"},
	    {"{\"alerts\": []} trailing", "data after"},
	    {"{\"alerts\": []}{\"alerts\": []}", "data after"},
	};
	static const struct {
		const char *field;
		const char *json;
		const char *fragment;
	} fields[] = {
	    {"id", "", "no 'id'"},
	    {"id", "\"id\": null", "no 'id'"},
	    {"id", "\"id\": 1.5", "no 'id'"},
	    {"id", "\"id\": -3", "no 'id'"},
	    {"id", "\"id\": 1e300", "no 'id'"},
	    {"id", "\"id\": \"abc\"", "no 'id'"},
	    {"id", "\"id\": \"\"", "no 'id'"},
	    {"id", "\"id\": \"12 \"", "no 'id'"},
	    {"id", "\"id\": true", "no 'id'"},
	    {"id", "\"id\": {}", "no 'id'"},
	    {"location_uid", "", "no 'location_uid'"},
	    {"location_uid", "\"location_uid\": null", "no 'location_uid'"},
	    {"location_uid", "\"location_uid\": \"\"", "no 'location_uid'"},
	    {"location_uid", "\"location_uid\": \"22a\"", "no 'location_uid'"},
	    {"location_uid", "\"location_uid\": \"-22\"", "no 'location_uid'"},
	    {"location_uid", "\"location_uid\": 22.5", "no 'location_uid'"},
	    {"location_uid", "\"location_uid\": 99999999999", "no 'location_uid'"},
	    {"location_uid", "\"location_uid\": false", "no 'location_uid'"},
	    {"location_uid", "\"location_uid\": [22]", "no 'location_uid'"},
	    {"alert_type", "", "no 'alert_type'"},
	    {"alert_type", "\"alert_type\": null", "no 'alert_type'"},
	    {"alert_type", "\"alert_type\": 1", "no 'alert_type'"},
	    {"alert_type", "\"alert_type\": [\"air_raid\"]", "no 'alert_type'"},
	    {"started_at", "", "no 'started_at'"},
	    {"started_at", "\"started_at\": null", "no 'started_at'"},
	    {"started_at", "\"started_at\": 1764050400", "no 'started_at'"},
	    {"started_at", "\"started_at\": \"\"", "no 'started_at'"},
	    {"started_at", "\"started_at\": \"2026-11-25 06:00:00\"", "no 'started_at'"},
	    {"started_at", "\"started_at\": \"2026-13-45T06:00:00Z\"", "no 'started_at'"},
	    {"finished_at", "\"finished_at\": 0", "'finished_at'"},
	    {"finished_at", "\"finished_at\": \"soon\"", "'finished_at'"},
	    {"finished_at", "\"finished_at\": false", "'finished_at'"},
	};

	/* no body, white space, not JSON, truncated, a scalar */
	sr_test_assert_rejects_malformed(&parser);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		sr_test_assert_parse_error(&parser, cases[i].body, -1, cases[i].fragment);
	for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
		g_autofree char *body = alert_body(fields[i].field, fields[i].json);
		sr_test_assert_parse_error(&parser, body, -1, fields[i].fragment);
	}
}

static void
test_nul_bytes(void)
{
	static const char inside[] = "{\"alerts\": [\0]}";
	static const char after[] = "{\"alerts\": []}\0\0";
	static const char before[] = "\0{\"alerts\": []}";
	static const char in_string[] = "{\"alerts\": [{\"id\": 7, \"location_uid\": \"2\0002\", "
	                                "\"alert_type\": \"air_raid\", "
	                                "\"started_at\": \"2026-11-25T06:00:00Z\"}]}";
	static const char control[] = "{\"alerts\": [\x01]}";

	/* a raw NUL or control byte is not JSON; cJSON alone would read "[\0]" as "[]" */
	sr_test_assert_rejects_control_bytes(&parser);
	sr_test_assert_parse_error(&parser, inside, sizeof(inside) - 1,
	                           "control character (0x00) at byte 12");
	sr_test_assert_parse_error(&parser, after, sizeof(after) - 1, "control character");
	sr_test_assert_parse_error(&parser, before, sizeof(before) - 1, "control character");
	sr_test_assert_parse_error(&parser, in_string, sizeof(in_string) - 1, "control character");
	sr_test_assert_parse_error(&parser, control, sizeof(control) - 1,
	                           "control character (0x01)");
}

static void
test_lenient_values(void)
{
	g_autoptr(SrBatch) batch = NULL;
	const SrEvent *event = NULL;
	/* numeric strings for ids, leading zeros, a bad optional updated_at, no title, wrong
	 * type of notes, bytes that are not UTF-8 in a title, unknown extra fields */
	static const char body[] =
	    "{\"alerts\": ["
	    "{\"id\": \"8757\", \"location_uid\": \"016\", \"alert_type\": \"air_raid\", "
	    "\"started_at\": \"2022-04-04T16:45:39.000Z\", \"updated_at\": \"yesterday\"},"
	    "{\"id\": 9, \"location_uid\": 31, \"alert_type\": \"\", "
	    "\"started_at\": \"2026-11-25T08:00:00+02:00\", \"updated_at\": 5, \"notes\": 12, "
	    "\"location_title\": \"\xff\xfe Kyiv\", \"new_field\": {\"a\": [1, 2]}},"
	    "{\"id\": 10, \"location_uid\": 0, \"alert_type\": \"AIR_RAID\", "
	    "\"started_at\": \"1970-01-01T00:00:00Z\", \"location_title\": null}"
	    "], \"meta\": null}";

	batch = sr_test_parse_ok(&parser, body, -1);
	g_assert_cmpuint(batch->events->len, ==, 3);

	event = g_ptr_array_index(batch->events, 0);
	g_assert_cmpstr(event->id, ==, "alerts_in_ua:8757");
	assert_common(event, "ua:16");
	sr_test_assert_time(event->updated_at, NULL);
	g_assert_null(event->area.description);

	event = g_ptr_array_index(batch->events, 1);
	g_assert_cmpstr(event->id, ==, "alerts_in_ua:9");
	assert_common(event, "ua:31");
	g_assert_cmpint(event->kind, ==, SR_KIND_UNKNOWN);
	/* an offset is honoured */
	sr_test_assert_time(event->started_at, "2026-11-25T06:00:00Z");
	g_assert_null(event->description);
	g_assert_true(g_utf8_validate(event->area.description, -1, NULL));
	g_assert_true(g_str_has_suffix(event->area.description, " Kyiv"));

	/* the epoch itself is "unknown"; the type's case matters */
	event = g_ptr_array_index(batch->events, 2);
	assert_common(event, "ua:0");
	g_assert_cmpint(event->kind, ==, SR_KIND_UNKNOWN);
	g_assert_cmpint(event->started_at, ==, 0);
}

static void
test_duplicate_ids(void)
{
	static const char body[] =
	    "{\"alerts\": ["
	    "{\"id\": 5, \"location_uid\": \"22\", \"alert_type\": \"air_raid\", "
	    "\"started_at\": \"2026-11-25T06:00:00Z\"},"
	    "{\"id\": \"5\", \"location_uid\": \"20\", \"alert_type\": \"air_raid\", "
	    "\"started_at\": \"2026-11-25T07:00:00Z\"},"
	    "{\"id\": 6, \"location_uid\": \"20\", \"alert_type\": \"air_raid\", "
	    "\"started_at\": \"2026-11-25T07:00:00Z\"}]}";
	g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);
	const SrEvent *event = NULL;

	/* one id is one event: the first record wins */
	g_assert_cmpuint(batch->events->len, ==, 2);
	event = sr_test_find_event(batch, "alerts_in_ua:5");
	assert_common(event, "ua:22");
	sr_test_find_event(batch, "alerts_in_ua:6");
}

static void
test_duplicate_ids_unordered(void)
{
	/* rising ids first (no set of ids is needed for them), then ids out of order, some
	 * repeating one of the rising run and some one of their own */
	static const char body[] =
	    "{\"alerts\": ["
	    "{\"id\": 7, \"location_uid\": \"22\", \"alert_type\": \"air_raid\", "
	    "\"started_at\": \"2026-11-25T06:00:00Z\"},"
	    "{\"id\": 9, \"location_uid\": \"22\", \"alert_type\": \"air_raid\", "
	    "\"started_at\": \"2026-11-25T06:00:00Z\"},"
	    "{\"id\": 10, \"location_uid\": \"22\", \"alert_type\": \"air_raid\", "
	    "\"started_at\": \"2026-11-25T06:00:00Z\"},"
	    "{\"id\": \"0009\", \"location_uid\": \"20\", \"alert_type\": \"air_raid\", "
	    "\"started_at\": \"2026-11-25T07:00:00Z\"},"
	    "{\"id\": 8, \"location_uid\": \"22\", \"alert_type\": \"air_raid\", "
	    "\"started_at\": \"2026-11-25T06:00:00Z\"},"
	    "{\"id\": 100, \"location_uid\": \"22\", \"alert_type\": \"air_raid\", "
	    "\"started_at\": \"2026-11-25T06:00:00Z\"},"
	    "{\"id\": 8, \"location_uid\": \"20\", \"alert_type\": \"air_raid\", "
	    "\"started_at\": \"2026-11-25T07:00:00Z\"},"
	    "{\"id\": 7, \"location_uid\": \"20\", \"alert_type\": \"air_raid\", "
	    "\"started_at\": \"2026-11-25T07:00:00Z\"},"
	    "{\"id\": 100, \"location_uid\": \"20\", \"alert_type\": \"air_raid\", "
	    "\"started_at\": \"2026-11-25T07:00:00Z\"}]}";
	static const char *const kept[] = {"alerts_in_ua:7", "alerts_in_ua:9", "alerts_in_ua:10",
	                                   "alerts_in_ua:8", "alerts_in_ua:100"};
	g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);

	/* each id once, in the order of its first record, and that record's content */
	g_assert_cmpuint(batch->events->len, ==, G_N_ELEMENTS(kept));
	for (guint i = 0; i < G_N_ELEMENTS(kept); i++) {
		const SrEvent *event = g_ptr_array_index(batch->events, i);
		g_assert_cmpstr(event->id, ==, kept[i]);
		g_assert_cmpstr(g_ptr_array_index(event->regions, 0), ==, "ua:22");
	}
}

static void
test_repeated_members(void)
{
	/* a name twice in one object: the first one counts, as cJSON's own lookup has it */
	static const char body[] =
	    "{\"alerts\": ["
	    "{\"id\": 5, \"id\": 6, \"location_uid\": \"22\", \"location_uid\": \"20\", "
	    "\"alert_type\": \"air_raid\", \"alert_type\": \"artillery_shelling\", "
	    "\"started_at\": \"2026-11-25T06:00:00Z\", \"started_at\": \"bad\", "
	    "\"finished_at\": null, \"finished_at\": \"2026-11-25T08:00:00Z\", "
	    "\"location_title\": \"first\", \"location_title\": \"second\", "
	    "\"notes\": \"one\", \"notes\": \"two\"}]}";
	g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);
	const SrEvent *event = NULL;

	g_assert_cmpuint(batch->events->len, ==, 1);
	event = g_ptr_array_index(batch->events, 0);
	g_assert_cmpstr(event->id, ==, "alerts_in_ua:5");
	g_assert_cmpstr(g_ptr_array_index(event->regions, 0), ==, "ua:22");
	g_assert_cmpint(event->kind, ==, SR_KIND_AIR_RAID);
	g_assert_cmpint(event->started_at, ==, 1795586400);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_cmpstr(event->area.description, ==, "first");
	g_assert_cmpstr(event->description, ==, "one");
}

static void
test_control_byte_every_offset(void)
{
	/* the scan for control bytes reads eight bytes at a time: one at every offset within a
	 * word, at the word's edges and in the tail, is found and named at its own offset */
	static const char base[] = "{\"alerts\": [], \"x\": \"abcdefghijklmnopqrstuvwxyz0123\"}";
	static const char bad[] = {'\0', '\x01', '\x08', '\x0b', '\x0c', '\x1f'};

	for (gsize at = 0; at < sizeof(base) - 1; at++) {
		for (guint b = 0; b < G_N_ELEMENTS(bad); b++) {
			g_autofree char *body = g_memdup2(base, sizeof(base) - 1);
			g_autofree char *fragment = NULL;
			body[at] = bad[b];
			fragment = g_strdup_printf("control character (0x%02x) at byte %lu",
			                           (guchar)bad[b], (unsigned long)at);
			sr_test_assert_parse_error(&parser, body, (gssize)(sizeof(base) - 1),
			                           fragment);
		}
	}
	/* white space is no control byte, at any offset of a word */
	for (guint pad = 0; pad < 20; pad++) {
		g_autoptr(GString) body = g_string_new(NULL);
		g_autoptr(SrBatch) batch = NULL;
		for (guint i = 0; i < pad; i++)
			g_string_append_c(body, "\t\n\r "[i % 4]);
		g_string_append(body, "{\"alerts\":\n[\r\n]\t}");
		for (guint i = 0; i < pad; i++)
			g_string_append_c(body, "\n\t \r"[i % 4]);
		batch = sr_test_parse_ok(&parser, body->str, (gssize)body->len);
		g_assert_cmpuint(batch->events->len, ==, 0);
	}
	/* and bytes of 0x80 and above (UTF-8) are none either */
	{
		static const char utf8[] =
		    "{\"alerts\": [], \"x\": \"\xd0\x9a\xd0\xb8\xd1\x97\xd0\xb2 "
		    "\xff\xfe\x80\x9f\xa0\"}";
		g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, utf8, -1);
		g_assert_cmpuint(batch->events->len, ==, 0);
	}
}

static void
test_source_name(void)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture("alerts_in_ua", "active_mixed.json", &len);
	SrParseContext ctx = sr_test_parser_context(&parser);
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	const SrEvent *event = NULL;

	/* ids carry the instance name, not the type */
	ctx.source_name = "aiu-backup";
	ctx.catalog = NULL;
	batch = sr_source_alerts_in_ua_parse(body, len, &ctx, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(batch->events->len, ==, 3);
	event = g_ptr_array_index(batch->events, 0);
	g_assert_cmpstr(event->id, ==, "aiu-backup:8757");
	g_assert_cmpstr(event->source, ==, "aiu-backup");
	g_assert_cmpstr(g_ptr_array_index(event->regions, 0), ==, "ua:16");
}

static void
test_huge(void)
{
	g_autoptr(GString) str = g_string_new("{\"alerts\": [");
	g_autoptr(SrBatch) batch = NULL;
	const guint n = 10000;
	const SrEvent *event = NULL;

	for (guint i = 0; i < n; i++) {
		g_string_append_printf(
		    str,
		    "%s{\"id\": %u, \"location_title\": \"Громада номер %u з довгою назвою, "
		    "щоб тіло було великим\", \"location_type\": \"hromada\", "
		    "\"started_at\": \"2026-11-25T06:%02u:%02u.000Z\", \"finished_at\": null, "
		    "\"updated_at\": \"2026-11-25T06:%02u:%02u.512Z\", \"alert_type\": \"%s\", "
		    "\"location_uid\": \"%u\", \"location_oblast\": \"Харківська область\", "
		    "\"location_oblast_uid\": 22, \"location_raion\": \"Харківський район\", "
		    "\"notes\": \"%s\", \"calculated\": null, \"country\": null}",
		    i == 0 ? "" : ",", 200000 + i, i, (i / 60) % 60, i % 60, (i / 60) % 60, i % 60,
		    i % 2 == 0 ? "air_raid" : "artillery_shelling", 154 + i,
		    "Відбій тривоги ще не оголошено; перебувайте в укритті до відбою.");
	}
	g_string_append(str, "], \"meta\": {\"last_updated_at\": \"2026/11/25 06:59:59 +0000\", "
	                     "\"type\": \"full\"}}");
	g_assert_cmpuint(str->len, >, 4 * 1024 * 1024);

	batch = sr_test_parse_large(&parser, str->str, str->len);
	g_assert_cmpuint(batch->events->len, ==, n);
	event = g_ptr_array_index(batch->events, n - 1);
	g_assert_cmpstr(event->id, ==, "alerts_in_ua:209999");
	g_assert_cmpint(event->kind, ==, SR_KIND_ARTILLERY);
}

static void
test_deep_nesting(void)
{
	g_autoptr(GString) inner = g_string_new("{\"alerts\": [");

	sr_test_assert_rejects_deep_nesting(&parser);
	/* deep, but inside a valid envelope */
	for (guint i = 0; i < 5000; i++)
		g_string_append_c(inner, '[');
	sr_test_assert_parse_error(&parser, inner->str, -1, "not JSON");
}

static void
test_round_trip(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "active_int_uids.json");
	sr_test_assert_round_trip(batch);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	sr_test_capture_messages(SOURCE_DOMAIN);

	g_test_add_func("/sr/source/alerts_in_ua/ops", test_ops);
	g_test_add_func("/sr/source/alerts_in_ua/request", test_request);
	g_test_add_func("/sr/source/alerts_in_ua/request-token", test_request_token);
	g_test_add_func("/sr/source/alerts_in_ua/empty", test_empty);
	g_test_add_func("/sr/source/alerts_in_ua/mixed", test_mixed);
	g_test_add_func("/sr/source/alerts_in_ua/int-uids", test_int_uids);
	g_test_add_func("/sr/source/alerts_in_ua/unknown-type", test_unknown_type);
	g_test_add_func("/sr/source/alerts_in_ua/unknown-location", test_unknown_location);
	g_test_add_func("/sr/source/alerts_in_ua/finished", test_finished);
	g_test_add_func("/sr/source/alerts_in_ua/error-body", test_error_body);
	g_test_add_func("/sr/source/alerts_in_ua/bad-fixtures", test_bad_fixtures);
	g_test_add_func("/sr/source/alerts_in_ua/bad-input", test_bad_input);
	g_test_add_func("/sr/source/alerts_in_ua/nul-bytes", test_nul_bytes);
	g_test_add_func("/sr/source/alerts_in_ua/lenient-values", test_lenient_values);
	g_test_add_func("/sr/source/alerts_in_ua/duplicate-ids", test_duplicate_ids);
	g_test_add_func("/sr/source/alerts_in_ua/duplicate-ids-unordered",
	                test_duplicate_ids_unordered);
	g_test_add_func("/sr/source/alerts_in_ua/repeated-members", test_repeated_members);
	g_test_add_func("/sr/source/alerts_in_ua/control-byte-every-offset",
	                test_control_byte_every_offset);
	g_test_add_func("/sr/source/alerts_in_ua/source-name", test_source_name);
	g_test_add_func("/sr/source/alerts_in_ua/huge", test_huge);
	g_test_add_func("/sr/source/alerts_in_ua/deep-nesting", test_deep_nesting);
	g_test_add_func("/sr/source/alerts_in_ua/round-trip", test_round_trip);

	return g_test_run();
}
