/* test-source-alerts-com-ua.c - the alerts.com.ua source: requests, the /api/states snapshot,
 * the events of the /api/states/live stream, the id mapping, hostile bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-source-alerts-com-ua"

#include "config.h"

#include <string.h>

#include "net/sr-sse.h"
#include "sirena/engine.h"
#include "sirena/error.h"
#include "sources/sr-sources-private.h"
#include "sr-test-util.h"

#define SOURCE_DOMAIN "sr-source-alerts-com-ua"
#define FIXTURES      "alerts_com_ua"

static const SrTestParser parser = {
    .parse = sr_source_alerts_com_ua_parse,
    .source_name = "alerts_com_ua",
    .now = 1795500000,
    .fixtures = FIXTURES,
    .root_error = "not a JSON object",
};

/* the fields every event has; @region is NULL for a state the catalog cannot place */
static void
assert_event(const SrEvent *event, SrPhase phase, const char *region, const char *title,
             const char *started, const char *ended)
{
	g_assert_cmpstr(event->source, ==, "alerts_com_ua");
	g_assert_cmpint(event->kind, ==, SR_KIND_AIR_RAID);
	g_assert_cmpint(event->phase, ==, phase);
	g_assert_cmpint(event->status, ==, SR_STATUS_ACTUAL);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_EXTREME);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_IMMEDIATE);
	g_assert_cmpint(event->certainty, ==, SR_CERTAINTY_OBSERVED);
	g_assert_cmpstr(event->language, ==, "uk");
	if (region != NULL) {
		g_assert_cmpuint(event->regions->len, ==, 1);
		g_assert_cmpstr(g_ptr_array_index(event->regions, 0), ==, region);
	} else {
		g_assert_cmpuint(event->regions->len, ==, 0);
	}
	g_assert_cmpstr(event->area.description, ==, title);
	sr_test_assert_time(event->started_at, started);
	sr_test_assert_time(event->ended_at, ended);
	sr_test_assert_time(event->updated_at, NULL);
	sr_test_assert_time(event->expires_at, NULL);
	g_assert_null(event->headline);
	g_assert_null(event->description);
	g_assert_cmpint(sr_event_is_active(event), ==, phase == SR_PHASE_ACTIVE);
}

static SrBatch *
parse_event(const char *type, const char *data, GError **error)
{
	SrParseContext ctx = sr_test_parser_context(&parser);
	return sr_source_alerts_com_ua_parse_event(type, data, strlen(data), &ctx, error);
}

/* the one event of the delta an "update" with @data makes */
static SrBatch *
parse_update_ok(const char *data)
{
	g_autoptr(GError) error = NULL;
	SrBatch *batch = parse_event("update", data, &error);
	g_assert_no_error(error);
	g_assert_nonnull(batch);
	g_assert_cmpint(batch->kind, ==, SR_BATCH_DELTA);
	g_assert_cmpuint(batch->events->len, ==, 1);
	return batch;
}

static void
assert_update_error(const char *data, gssize len, const char *fragment)
{
	SrParseContext ctx = sr_test_parser_context(&parser);
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = sr_source_alerts_com_ua_parse_event(
	    "update", data, len < 0 ? strlen(data) : (gsize)len, &ctx, &error);
	if (batch != NULL)
		g_error("update accepted: %.200s", data);
	g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
	if (fragment != NULL && strstr(error->message, fragment) == NULL)
		g_error("'%s' lacks '%s' for %.200s", error->message, fragment, data);
}

static void
test_ops(void)
{
	const SrSourceOps *ops = &sr_source_alerts_com_ua;
	g_assert_true(sr_source_registry_lookup("alerts_com_ua") == ops);
	g_assert_cmpstr(ops->type, ==, "alerts_com_ua");
	/* the description owns up to the service's state */
	g_assert_nonnull(strstr(ops->description, "2026-08-30"));
	g_assert_cmpstr(ops->default_url, ==, "https://alerts.com.ua");
	g_assert_true(ops->needs_token);
	g_assert_cmpfloat(ops->default_interval, ==, 15);
	g_assert_cmpfloat(ops->min_interval, ==, 2);
	/* far under the service's 10 a second per address */
	g_assert_cmpuint(ops->max_per_minute, >, 0);
	g_assert_cmpuint(ops->max_per_minute, <=, 60);
	g_assert_nonnull(ops->forbidden_hint);
	g_assert_cmphex(ops->kinds, ==, 1u << SR_KIND_AIR_RAID);
	g_assert_cmphex(ops->levels, ==,
	                (1u << SR_REGION_LEVEL_OBLAST) | (1u << SR_REGION_LEVEL_CITY));
	g_assert_true(ops->parse == sr_source_alerts_com_ua_parse);
	g_assert_true(ops->parse_event == sr_source_alerts_com_ua_parse_event);
	g_assert_cmpfloat(ops->stream_heartbeat, ==, 5);
	g_assert_null(ops->parse_probe);
	g_assert_null(ops->fetch_local);
	g_assert_null(ops->parse_index);
}

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
test_request(void)
{
	g_autoptr(SrSourceConfig) config =
	    sr_source_config_new("alerts_com_ua", &sr_source_alerts_com_ua);
	SrRequest request = {NULL, NULL};
	g_autoptr(GError) error = NULL;
	static const char *const main_headers[] = {"X-API-Key: k3y", "Accept: application/json",
	                                           NULL};
	static const char *const stream_headers[] = {"X-API-Key: k3y", "Accept: text/event-stream",
	                                             NULL};

	/* no key: a configuration error that says where to get one */
	g_assert_false(
	    sr_source_alerts_com_ua.build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_CONFIG);
	g_assert_nonnull(strstr(error->message, "token="));
	g_clear_error(&error);
	sr_request_clear(&request);
	g_assert_false(
	    sr_source_alerts_com_ua.build_request(config, SR_REQUEST_STREAM, &request, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_CONFIG);
	g_clear_error(&error);
	sr_request_clear(&request);

	config->token = g_strdup("k3y");
	g_assert_true(
	    sr_source_alerts_com_ua.build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(request.url, ==, "https://alerts.com.ua/api/states");
	assert_headers(&request, main_headers);
	sr_request_clear(&request);

	g_free(config->url);
	config->url = g_strdup("http://127.0.0.1:9000");
	g_assert_true(
	    sr_source_alerts_com_ua.build_request(config, SR_REQUEST_STREAM, &request, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(request.url, ==, "http://127.0.0.1:9000/api/states/live");
	assert_headers(&request, stream_headers);
	sr_request_clear(&request);

	g_assert_false(
	    sr_source_alerts_com_ua.build_request(config, SR_REQUEST_PROBE, &request, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	sr_request_clear(&request);

	/* a key that would break the header line */
	g_free(config->token);
	config->token = g_strdup("k3y\r\nX-Evil: 1");
	g_assert_false(
	    sr_source_alerts_com_ua.build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_CONFIG);
	sr_request_clear(&request);
}

static void
test_states(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "alertscomua_states.json");

	/* 25 states, 3 alerting */
	g_assert_cmpint(batch->kind, ==, SR_BATCH_SNAPSHOT);
	g_assert_cmpuint(batch->events->len, ==, 3);
	/* Luhansk, id 11 here, is ua:16; its offset is the summer one of 2022 */
	assert_event(sr_test_find_event(batch, "alerts_com_ua:16"), SR_PHASE_ACTIVE, "ua:16",
	             "Луганська область", "2022-04-04T16:45:39Z", NULL);
	/* Kharkiv, id 19, is ua:22 */
	assert_event(sr_test_find_event(batch, "alerts_com_ua:22"), SR_PHASE_ACTIVE, "ua:22",
	             "Харківська область", "2026-11-25T05:58:12Z", NULL);
	/* Kyiv city, id 25, is ua:31, a top-level city */
	assert_event(sr_test_find_event(batch, "alerts_com_ua:31"), SR_PHASE_ACTIVE, "ua:31",
	             "м. Київ", "2026-11-25T06:20:03Z", NULL);
}

static void
test_every_id(void)
{
	const SrCatalog *catalog = sr_test_catalog();
	g_autoptr(GString) body = g_string_new("{\"states\": [");
	g_autoptr(SrBatch) batch = NULL;
	g_autoptr(GHashTable) regions = g_hash_table_new(g_str_hash, g_str_equal);

	/* the short form: ids alone, so the mapping cannot lean on the names */
	for (guint id = 1; id <= 25; id++)
		g_string_append_printf(body, "%s{\"id\": %u, \"alert\": true}", id > 1 ? ", " : "",
		                       id);
	g_string_append(body, "]}");
	batch = sr_test_parse_ok(&parser, body->str, -1);
	g_assert_cmpuint(batch->events->len, ==, 25);
	for (guint i = 0; i < batch->events->len; i++) {
		const SrEvent *event = g_ptr_array_index(batch->events, i);
		const SrRegion *region = NULL;
		g_assert_cmpuint(event->regions->len, ==, 1);
		region = sr_catalog_lookup(catalog, g_ptr_array_index(event->regions, 0));
		g_assert_nonnull(region);
		/* a top-level region, each once, named as the event says */
		g_assert_null(region->parent);
		g_assert_true(g_hash_table_add(regions, region->id));
		g_assert_cmpstr(event->area.description, ==, region->name);
	}
	/* every oblast and Kyiv, but neither Crimea nor Sevastopol (the service has none) */
	g_assert_false(g_hash_table_contains(regions, "ua:29"));
	g_assert_false(g_hash_table_contains(regions, "ua:30"));
	g_assert_true(g_hash_table_contains(regions, "ua:31"));
	/* the alphabetical order of the service, not alerts.in.ua's: 1 Vinnytsia is ua:4, 2 Volyn
	 * ua:8, 24 Chernihiv ua:25 */
	g_assert_cmpstr(
	    g_ptr_array_index(((SrEvent *)g_ptr_array_index(batch->events, 0))->regions, 0), ==,
	    "ua:4");
	g_assert_cmpstr(
	    g_ptr_array_index(((SrEvent *)g_ptr_array_index(batch->events, 1))->regions, 0), ==,
	    "ua:8");
	g_assert_cmpstr(
	    g_ptr_array_index(((SrEvent *)g_ptr_array_index(batch->events, 23))->regions, 0), ==,
	    "ua:25");
}

static void
test_short(void)
{
	g_autoptr(SrBatch) full = sr_test_parse_fixture(&parser, "alertscomua_states.json");
	g_autoptr(SrBatch) brief = sr_test_parse_fixture(&parser, "alertscomua_states_short.json");

	/* the same alerts by the same ids, the names from the catalog, no start time */
	g_assert_cmpuint(brief->events->len, ==, full->events->len);
	assert_event(sr_test_find_event(brief, "alerts_com_ua:16"), SR_PHASE_ACTIVE, "ua:16",
	             "Луганська область", NULL, NULL);
	assert_event(sr_test_find_event(brief, "alerts_com_ua:22"), SR_PHASE_ACTIVE, "ua:22",
	             "Харківська область", NULL, NULL);
	assert_event(sr_test_find_event(brief, "alerts_com_ua:31"), SR_PHASE_ACTIVE, "ua:31",
	             "м. Київ", NULL, NULL);
}

static void
test_quiet(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "alertscomua_states_quiet.json");
	/* every state listed and none alerting: a valid all-clear */
	g_assert_cmpint(batch->kind, ==, SR_BATCH_SNAPSHOT);
	g_assert_cmpuint(batch->events->len, ==, 0);
}

static void
test_odd_ids(void)
{
	for (guint round = 0; round < 2; round++) {
		g_autoptr(SrBatch) batch =
		    sr_test_parse_fixture(&parser, "alertscomua_states_odd.json");
		g_assert_cmpuint(batch->events->len, ==, 6);
		/* an id as a string, with leading zeros too, is the same id */
		assert_event(sr_test_find_event(batch, "alerts_com_ua:22"), SR_PHASE_ACTIVE,
		             "ua:22", "Харківська область", "2026-11-25T05:58:12Z", NULL);
		assert_event(sr_test_find_event(batch, "alerts_com_ua:31"), SR_PHASE_ACTIVE,
		             "ua:31", "м. Київ", "2026-11-25T06:20:03Z", NULL);
		/* an id the service did not have is placed by its name when the catalog knows it */
		assert_event(sr_test_find_event(batch, "alerts_com_ua:29"), SR_PHASE_ACTIVE,
		             "ua:29", "Автономна Республіка Крим", NULL, NULL);
		/* and kept by id when it does not */
		assert_event(sr_test_find_event(batch, "alerts_com_ua:state-27"), SR_PHASE_ACTIVE,
		             NULL, "Приазовська область", "2026-11-25T08:00:00Z", NULL);
		/* an unknown id named as a known one does not speak for that region */
		assert_event(sr_test_find_event(batch, "alerts_com_ua:state-28"), SR_PHASE_ACTIVE,
		             NULL, "м. Київ", "2026-11-25T07:00:00Z", NULL);
		/* the id wins over a name that says otherwise: 12 is Lviv */
		assert_event(sr_test_find_event(batch, "alerts_com_ua:27"), SR_PHASE_ACTIVE,
		             "ua:27", "Сумська область", "2026-11-25T06:30:00Z", NULL);
	}
	/* each oddity is logged once */
	g_assert_cmpuint(sr_test_count_messages("state id '26'"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("state id '27'"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("state id '12'"), ==, 1);
	g_assert_cmpuint(
	    sr_test_count_messages("state id '28' is not known and is named as state 25"), ==, 1);
	g_assert_cmpuint(
	    sr_test_count_messages("state id '29' is not known and is named as state 25"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("state id '19'"), ==, 0);
}

static void
test_duplicates(void)
{
	/* a repeated id, as a number and as a string: one event, the first */
	static const char body[] =
	    "{\"states\": ["
	    "{\"id\": 25, \"alert\": true, \"changed\": \"2026-11-25T10:00:00+02:00\"},"
	    "{\"id\": \"25\", \"alert\": true, \"changed\": \"2026-11-25T11:00:00+02:00\"},"
	    "{\"id\": 25, \"alert\": false, \"changed\": \"2026-11-25T12:00:00+02:00\"}"
	    "]}";
	g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);
	g_assert_cmpuint(batch->events->len, ==, 1);
	assert_event(sr_test_find_event(batch, "alerts_com_ua:31"), SR_PHASE_ACTIVE, "ua:31",
	             "м. Київ", "2026-11-25T08:00:00Z", NULL);
}

static void
test_lenient_values(void)
{
	/* unknown members, changed null or absent or before the epoch, a fraction, a name that is
	 * not UTF-8 or empty or null, name_en of any kind, last_update of any kind */
	static const char body[] =
	    "{\"extra\": [1], \"last_update\": 5, \"states\": ["
	    "{\"id\": 11, \"name\": \"Луганська область\", \"alert\": true, \"new\": {}},"
	    "{\"id\": 4, \"alert\": true, \"changed\": null, \"name\": null, \"name_en\": 7},"
	    "{\"id\": 7, \"alert\": true, \"changed\": \"1969-12-31T23:00:00Z\"},"
	    "{\"id\": 20, \"alert\": true, \"changed\": \"2026-11-25T10:00:00.999+02:00\"},"
	    "{\"id\": 1, \"name\": \"\xff\xfe область\", \"alert\": true},"
	    "{\"id\": 2, \"name\": \"\", \"alert\": true}"
	    "]}";
	g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);
	const SrEvent *event = NULL;

	g_assert_cmpuint(batch->events->len, ==, 6);
	assert_event(sr_test_find_event(batch, "alerts_com_ua:16"), SR_PHASE_ACTIVE, "ua:16",
	             "Луганська область", NULL, NULL);
	assert_event(sr_test_find_event(batch, "alerts_com_ua:28"), SR_PHASE_ACTIVE, "ua:28",
	             "Донецька область", NULL, NULL);
	assert_event(sr_test_find_event(batch, "alerts_com_ua:12"), SR_PHASE_ACTIVE, "ua:12",
	             "Запорізька область", NULL, NULL);
	assert_event(sr_test_find_event(batch, "alerts_com_ua:23"), SR_PHASE_ACTIVE, "ua:23",
	             "Херсонська область", "2026-11-25T08:00:00Z", NULL);
	/* the bytes that are not UTF-8 are replaced; the id still places it */
	event = sr_test_find_event(batch, "alerts_com_ua:4");
	g_assert_true(g_utf8_validate(event->area.description, -1, NULL));
	g_assert_true(g_str_has_suffix(event->area.description, " область"));
	assert_event(sr_test_find_event(batch, "alerts_com_ua:8"), SR_PHASE_ACTIVE, "ua:8",
	             "Волинська область", NULL, NULL);
}

static void
test_bad_fixtures(void)
{
	static const struct {
		const char *name;
		const char *fragment;
	} cases[] = {
	    {"alertscomua_states_truncated.json", "not JSON"},
	    {"alertscomua_states_empty.json", "'states' is empty"},
	    {"alertscomua_states_bad_alert.json", "state 15 has no 'alert'"},
	    {"alertscomua_states_bad_changed.json", "state 19 has a 'changed'"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		gsize len = 0;
		g_autofree char *body = sr_test_read_fixture(FIXTURES, cases[i].name, &len);
		sr_test_assert_parse_error(&parser, body, len, cases[i].fragment);
	}
}

static void
test_bad_input(void)
{
	static const struct {
		const char *body;
		const char *fragment;
	} cases[] = {
	    {"{\"states\": [{\"id\": 25, \"alert\": true", "not JSON"},
	    {"{\"states\": [{\"id\": 25, \"alert\": tru}]}", "not JSON"},
	    {"\"states\"", "not a JSON object"},
	    {"[]", "not a JSON object"},
	    {"[{\"id\": 25, \"alert\": true}]", "not a JSON object"},
	    {"{}", "no 'states'"},
	    {"{\"state\": {\"id\": 25, \"alert\": true}}", "no 'states'"},
	    {"{\"states\": null}", "'states' is not an array"},
	    {"{\"states\": {}}", "'states' is not an array"},
	    {"{\"states\": {\"25\": {\"alert\": true}}}", "'states' is not an array"},
	    {"{\"states\": \"\"}", "'states' is not an array"},
	    {"{\"states\": []}", "'states' is empty"},
	    {"{\"states\": [true]}", "states[0] is not an object"},
	    {"{\"states\": [null]}", "states[0] is not an object"},
	    {"{\"states\": [[]]}", "states[0] is not an object"},
	    {"{\"states\": [{\"id\": 1, \"alert\": false}, 25]}", "states[1] is not an object"},
	    {"{\"states\": [{}]}", "states[0] has no 'id'"},
	    {"{\"states\": [{\"alert\": true}]}", "states[0] has no 'id'"},
	    {"{\"states\": [{\"id\": null, \"alert\": true}]}", "has no 'id'"},
	    {"{\"states\": [{\"id\": -1, \"alert\": true}]}", "has no 'id'"},
	    {"{\"states\": [{\"id\": 2.5, \"alert\": true}]}", "has no 'id'"},
	    {"{\"states\": [{\"id\": 1e300, \"alert\": true}]}", "has no 'id'"},
	    {"{\"states\": [{\"id\": \"\", \"alert\": true}]}", "has no 'id'"},
	    {"{\"states\": [{\"id\": \"x25\", \"alert\": true}]}", "has no 'id'"},
	    {"{\"states\": [{\"id\": \"25 \", \"alert\": true}]}", "has no 'id'"},
	    {"{\"states\": [{\"id\": \"-25\", \"alert\": true}]}", "has no 'id'"},
	    {"{\"states\": [{\"id\": \"1234567890\", \"alert\": true}]}", "has no 'id'"},
	    {"{\"states\": [{\"id\": true, \"alert\": true}]}", "has no 'id'"},
	    {"{\"states\": [{\"id\": [25], \"alert\": true}]}", "has no 'id'"},
	    {"{\"states\": [{\"id\": 25}]}", "state 25 has no 'alert'"},
	    {"{\"states\": [{\"id\": 25, \"alert\": null}]}", "state 25 has no 'alert'"},
	    {"{\"states\": [{\"id\": 25, \"alert\": 1}]}", "state 25 has no 'alert'"},
	    {"{\"states\": [{\"id\": 25, \"alert\": \"true\"}]}", "state 25 has no 'alert'"},
	    {"{\"states\": [{\"id\": 25, \"alert\": true, \"name\": 25}]}", "'name'"},
	    {"{\"states\": [{\"id\": 25, \"alert\": true, \"name\": {}}]}", "'name'"},
	    {"{\"states\": [{\"id\": 25, \"alert\": false, \"changed\": 0}]}", "'changed'"},
	    {"{\"states\": [{\"id\": 25, \"alert\": true, \"changed\": \"\"}]}", "'changed'"},
	    {"{\"states\": [{\"id\": 25, \"alert\": true, \"changed\": \"2026-11-25\"}]}",
	     "'changed'"},
	    {"{\"states\": [{\"id\": 25, \"alert\": true, "
	     "\"changed\": \"2026-11-25T10:00:00\"}]}",
	     "'changed'"},
	    {"{\"states\": [{\"id\": 25, \"alert\": true, "
	     "\"changed\": \"2026-02-30T10:00:00+02:00\"}]}",
	     "'changed'"},
	    {"{\"states\": [{\"id\": 25, \"alert\": true, "
	     "\"changed\": \"2026-11-25 10:00:00\"}]}",
	     "'changed'"},
	    {"{\"states\": [{\"id\": 25, \"alert\": false}]} x", "data after"},
	};

	/* no body, white space, not JSON, truncated, a scalar */
	sr_test_assert_rejects_malformed(&parser);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		sr_test_assert_parse_error(&parser, cases[i].body, -1, cases[i].fragment);
}

static void
test_nul_bytes(void)
{
	static const char inside[] = "{\"states\": [\0]}";
	static const char after[] = "{\"states\": [{\"id\": 25, \"alert\": false}]}\0";
	static const char in_name[] = "{\"states\": [{\"id\": 25, \"name\": \"м. Київ\0x\", "
	                              "\"alert\": true}]}";

	sr_test_assert_rejects_control_bytes(&parser);
	sr_test_assert_parse_error(&parser, inside, sizeof(inside) - 1, "control character (0x00)");
	sr_test_assert_parse_error(&parser, after, sizeof(after) - 1, "control character");
	sr_test_assert_parse_error(&parser, in_name, sizeof(in_name) - 1, "control character");
}

static void
test_deep_nesting(void)
{
	g_autoptr(GString) inner = g_string_new("{\"states\": [{\"id\": 25, \"alert\": true, "
	                                        "\"extra\": ");

	sr_test_assert_rejects_deep_nesting(&parser);
	/* deep, but inside a valid envelope */
	for (guint i = 0; i < 5000; i++)
		g_string_append(inner, "[");
	sr_test_assert_parse_error(&parser, inner->str, -1, "not JSON");
}

static void
test_huge(void)
{
	g_autoptr(GString) str = g_string_new("{\"last_update\": \"2026-11-25T08:20:03+02:00\", "
	                                      "\"states\": [");
	g_autoptr(SrBatch) batch = NULL;
	const guint n = 10000;

	/* ten thousand states with long names, most alerting, ids the service never had */
	for (guint i = 0; i < n; i++)
		g_string_append_printf(
		    str,
		    "%s{\"id\": %u, \"name\": \"Вигадана область номер %u з дуже "
		    "довгою назвою, щоб тіло відповіді було великим\", "
		    "\"name_en\": \"Made-up oblast %u\", \"alert\": %s, "
		    "\"changed\": \"2026-11-%02uT%02u:%02u:%02u+02:00\"}",
		    i == 0 ? "" : ",", 100 + i, i, i, i % 4 == 0 ? "false" : "true", 1 + i % 28,
		    i % 24, i % 60, (i * 7) % 60);
	g_string_append(str, ", {\"id\": 25, \"name\": \"м. Київ\", \"alert\": true, "
	                     "\"changed\": \"2026-11-25T08:20:03+02:00\"}]}");
	g_assert_cmpuint(str->len, >, 2 * 1024 * 1024);

	batch = sr_test_parse_large(&parser, str->str, str->len);
	g_assert_cmpuint(batch->events->len, ==, n - n / 4 + 1);
	assert_event(sr_test_find_event(batch, "alerts_com_ua:31"), SR_PHASE_ACTIVE, "ua:31",
	             "м. Київ", "2026-11-25T06:20:03Z", NULL);
	assert_event(sr_test_find_event(batch, "alerts_com_ua:state-101"), SR_PHASE_ACTIVE, NULL,
	             "Вигадана область номер 1 з дуже довгою назвою, щоб тіло відповіді було "
	             "великим",
	             "2026-11-01T23:01:07Z", NULL);
}

static void
test_source_name(void)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture(FIXTURES, "alertscomua_states.json", &len);
	SrParseContext ctx = sr_test_parser_context(&parser);
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	const SrEvent *event = NULL;

	ctx.source_name = "raid";
	batch = sr_source_alerts_com_ua_parse(body, len, &ctx, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(batch->events->len, ==, 3);
	event = sr_test_find_event(batch, "raid:31");
	g_assert_cmpstr(event->source, ==, "raid");
}

static void
test_round_trip(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "alertscomua_states.json");
	g_autoptr(SrBatch) ended = parse_update_ok(
	    "{\"state\":{\"id\":19,\"alert\":false,\"changed\":\"2026-11-25T10:21:40+02:00\"}}");
	sr_test_assert_round_trip(batch);
	sr_test_assert_round_trip(ended);
}

/* stream events */

static void
test_event_quiet(void)
{
	static const struct {
		const char *type;
		const char *data;
	} cases[] = {
	    {"hello", "null"},
	    {"ping", "null"},
	    {"ping", ""},
	    /* what hello and ping carry is not looked at */
	    {"hello", "{\"state\": 5}"},
	    {"ping", "\xff"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SrBatch) batch = parse_event(cases[i].type, cases[i].data, &error);
		g_assert_no_error(error);
		g_assert_null(batch);
	}
}

static void
test_event_unknown(void)
{
	static const char *const types[] = {"message", "alert", "Update", "update ", "error"};
	for (guint round = 0; round < 2; round++) {
		for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
			g_autoptr(GError) error = NULL;
			g_autoptr(SrBatch) batch =
			    parse_event(types[i], "{\"state\":{\"id\":25,\"alert\":true}}", &error);
			g_assert_no_error(error);
			g_assert_null(batch);
		}
	}
	/* each logged once */
	g_assert_cmpuint(sr_test_count_messages("event type 'message'"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("event type 'Update'"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("event type 'error'"), ==, 1);
}

static void
test_event_update(void)
{
	g_autoptr(SrBatch) snapshot = sr_test_parse_fixture(&parser, "alertscomua_states.json");
	g_autoptr(SrBatch) start = parse_update_ok(
	    "{\"state\":{\"id\":25,\"name\":\"м. Київ\",\"name_en\":\"Kyiv\",\"alert\":true,"
	    "\"changed\":\"2026-11-25T08:20:03+02:00\"},"
	    "\"notification_id\":\"5b1c2f6e-ca1d-11f1-9c1e-0242ac120002\"}");
	g_autoptr(SrBatch) end = parse_update_ok(
	    "{\"state\":{\"id\":25,\"name\":\"м. Київ\",\"name_en\":\"Kyiv\",\"alert\":false,"
	    "\"changed\":\"2026-11-25T08:51:40+02:00\"},"
	    "\"notification_id\":\"9a0b3c22-ca26-11f1-9c1e-0242ac120002\"}");
	g_autoptr(SrBatch) bare = parse_update_ok("{\"state\":{\"id\":\"19\",\"alert\":false}}");
	const SrEvent *event = NULL;

	/* an alert: the same event, by id, as the snapshot's */
	event = g_ptr_array_index(start->events, 0);
	assert_event(event, SR_PHASE_ACTIVE, "ua:31", "м. Київ", "2026-11-25T06:20:03Z", NULL);
	g_assert_true(sr_event_same_content(event, sr_test_find_event(snapshot, event->id)));
	/* its end: the same id, ended, with the time it ended */
	event = g_ptr_array_index(end->events, 0);
	g_assert_cmpstr(event->id, ==, "alerts_com_ua:31");
	assert_event(event, SR_PHASE_ENDED, "ua:31", "м. Київ", NULL, "2026-11-25T06:51:40Z");
	/* an end without a time or a name */
	event = g_ptr_array_index(bare->events, 0);
	g_assert_cmpstr(event->id, ==, "alerts_com_ua:22");
	assert_event(event, SR_PHASE_ENDED, "ua:22", "Харківська область", NULL, NULL);
}

static void
test_event_bad(void)
{
	static const struct {
		const char *data;
		const char *fragment;
	} cases[] = {
	    {"", "empty"},
	    {"null", "update is not a JSON object"},
	    {"[]", "update is not a JSON object"},
	    {"\"update\"", "update is not a JSON object"},
	    {"{\"state\":{\"id\":25,\"alert\":true}", "not JSON"},
	    {"{\"state\":{\"id\":25,\"alert\":true}} {}", "data after"},
	    {"{\"state\":{\"id\":25,\"alert\":tru}}", "not JSON"},
	    {"{}", "'state' is not an object"},
	    {"{\"states\":[{\"id\":25,\"alert\":true}]}", "'state' is not an object"},
	    {"{\"state\":null}", "'state' is not an object"},
	    {"{\"state\":[{\"id\":25,\"alert\":true}]}", "'state' is not an object"},
	    {"{\"state\":\"25\"}", "'state' is not an object"},
	    {"{\"state\":{\"alert\":true}}", "'state' has no 'id'"},
	    {"{\"state\":{\"id\":\"kyiv\",\"alert\":true}}", "has no 'id'"},
	    {"{\"state\":{\"id\":-25,\"alert\":true}}", "has no 'id'"},
	    {"{\"state\":{\"id\":25}}", "state 25 has no 'alert'"},
	    {"{\"state\":{\"id\":25,\"alert\":\"false\"}}", "state 25 has no 'alert'"},
	    {"{\"state\":{\"id\":25,\"alert\":0}}", "state 25 has no 'alert'"},
	    {"{\"state\":{\"id\":25,\"alert\":true,\"changed\":1764051603}}", "'changed'"},
	    {"{\"state\":{\"id\":25,\"alert\":true,\"changed\":\"yesterday\"}}", "'changed'"},
	    {"{\"state\":{\"id\":25,\"alert\":true,\"name\":[]}}", "'name'"},
	    {"{\"state\":{\"id\":25,\"alert\":true},\"notification_id\":5}", "'notification_id'"},
	    {"{\"state\":{\"id\":25,\"alert\":true},\"notification_id\":{}}", "'notification_id'"},
	};
	static const char nul[] = "{\"state\":{\"id\":25,\"alert\":true}}\0";
	static const char nul_inside[] = "{\"state\":{\"id\":25,\0\"alert\":true}}";
	g_autoptr(GString) deep = g_string_new("{\"state\":");

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		assert_update_error(cases[i].data, -1, cases[i].fragment);
	assert_update_error(nul, sizeof(nul) - 1, "control character");
	assert_update_error(nul_inside, sizeof(nul_inside) - 1, "control character");
	for (guint i = 0; i < 100000; i++)
		g_string_append_c(deep, '{');
	assert_update_error(deep->str, (gssize)deep->len, NULL);
}

static void
test_event_huge(void)
{
	/* a long name and a long notification id are fine: the stream bounds what reaches here */
	g_autoptr(GString) data = g_string_new("{\"state\":{\"id\":25,\"alert\":true,\"name\":\"");
	g_autoptr(SrBatch) batch = NULL;
	for (guint i = 0; i < 100000; i++)
		g_string_append(data, "Київ ");
	g_string_append(data, "\"},\"notification_id\":\"");
	for (guint i = 0; i < 100000; i++)
		g_string_append(data, "0123456789");
	g_string_append(data, "\"}");
	batch = parse_update_ok(data->str);
	g_assert_cmpstr(((SrEvent *)g_ptr_array_index(batch->events, 0))->id, ==,
	                "alerts_com_ua:31");
}

/* the stream fixture through the event-stream parser, as the poller reads it */
typedef struct {
	GPtrArray *batches; /* of SrBatch*, NULL-free */
	guint quiet;        /* events that said nothing */
} StreamRun;

static gboolean
on_stream_event(const SrSseEvent *event, gpointer user_data)
{
	StreamRun *run = user_data;
	SrParseContext ctx = sr_test_parser_context(&parser);
	g_autoptr(GError) error = NULL;
	SrBatch *batch = sr_source_alerts_com_ua_parse_event(event->type, event->data,
	                                                     event->data_len, &ctx, &error);
	g_assert_no_error(error);
	if (batch == NULL)
		run->quiet++;
	else
		g_ptr_array_add(run->batches, batch);
	return TRUE;
}

static void
assert_stream(gsize piece)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture(FIXTURES, "alertscomua_sse.txt", &len);
	StreamRun run = {g_ptr_array_new_with_free_func((GDestroyNotify)sr_batch_free), 0};
	g_autoptr(SrSseParser) sse = sr_sse_parser_new(0, on_stream_event, &run);
	g_autoptr(GError) error = NULL;
	const SrEvent *event = NULL;

	/* the server writes CRLF */
	g_assert_nonnull(strstr(body, "\r\n\r\n"));
	for (gsize from = 0; from < len; from += piece)
		g_assert_true(sr_sse_parser_feed(sse, body + from, MIN(piece, len - from), &error));
	g_assert_no_error(error);
	/* hello and two pings say nothing; three updates */
	g_assert_cmpuint(run.quiet, ==, 3);
	g_assert_cmpuint(run.batches->len, ==, 3);
	event = g_ptr_array_index(((SrBatch *)g_ptr_array_index(run.batches, 0))->events, 0);
	assert_event(event, SR_PHASE_ACTIVE, "ua:31", "м. Київ", "2026-11-25T08:14:02Z", NULL);
	event = g_ptr_array_index(((SrBatch *)g_ptr_array_index(run.batches, 1))->events, 0);
	assert_event(event, SR_PHASE_ENDED, "ua:22", "Харківська область", NULL,
	             "2026-11-25T08:21:40Z");
	event = g_ptr_array_index(((SrBatch *)g_ptr_array_index(run.batches, 2))->events, 0);
	assert_event(event, SR_PHASE_ENDED, "ua:31", "м. Київ", NULL, "2026-11-25T08:51:40Z");
	g_ptr_array_unref(run.batches);
}

static void
test_stream_fixture(void)
{
	/* whole, in the pieces a slow network makes, and a byte at a time: a CRLF and a UTF-8
	 * sequence split between reads */
	assert_stream(G_MAXSIZE / 2);
	assert_stream(7);
	assert_stream(1);
}

static void
on_change(const SrChange *change, gpointer user_data)
{
	GString *log = user_data;
	if (change->type == SR_CHANGE_SOURCE)
		return;
	g_string_append_printf(log, "%s %s\n", sr_change_type_to_string(change->type),
	                       change->alert->key);
	if (change->type == SR_CHANGE_ENDED)
		g_string_append_printf(log, "  %s\n", change->reason);
}

static void
test_engine(void)
{
	g_autoptr(SrEngine) engine = sr_engine_new(sr_test_catalog());
	g_autoptr(GString) log = g_string_new(NULL);
	g_autoptr(SrBatch) snapshot = sr_test_parse_fixture(&parser, "alertscomua_states.json");
	g_autoptr(SrBatch) again =
	    parse_update_ok("{\"state\":{\"id\":25,\"name\":\"м. Київ\",\"alert\":true,"
	                    "\"changed\":\"2026-11-25T08:20:03+02:00\"}}");
	g_autoptr(SrBatch) kharkiv_end = parse_update_ok(
	    "{\"state\":{\"id\":19,\"alert\":false,\"changed\":\"2026-11-25T10:21:40+02:00\"}}");
	g_autoptr(SrBatch) vinnytsia = parse_update_ok(
	    "{\"state\":{\"id\":1,\"alert\":true,\"changed\":\"2026-11-25T10:30:00+02:00\"}}");
	g_autoptr(SrBatch) stranger =
	    parse_update_ok("{\"state\":{\"id\":28,\"name\":\"м. Київ\",\"alert\":false}}");
	gint64 now = 1795500000;

	/* the snapshot of a (re)connect, then the stream's deltas: an update repeats an alert
	 * the snapshot has, an end ends only its own region, a new alert starts */
	sr_engine_set_change_func(engine, on_change, log);
	sr_engine_add_source(engine, "alerts_com_ua", "alerts_com_ua", -1, now);
	sr_engine_submit(engine, "alerts_com_ua", snapshot, now);
	sr_engine_submit(engine, "alerts_com_ua", again, now + 1);
	sr_engine_submit(engine, "alerts_com_ua", kharkiv_end, now + 2);
	sr_engine_submit(engine, "alerts_com_ua", vinnytsia, now + 3);
	/* an id the service never had, named as Kyiv, cannot end Kyiv's alert */
	sr_engine_submit(engine, "alerts_com_ua", stranger, now + 4);
	g_assert_cmpstr(log->str, ==,
	                "started ua:16:air_raid\n"
	                "started ua:22:air_raid\n"
	                "started ua:31:air_raid\n"
	                "ended ua:22:air_raid\n"
	                "  alerts_com_ua reports the end\n"
	                "started ua:4:air_raid\n");
	g_assert_cmpuint(sr_engine_get_alerts(engine)->len, ==, 3);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	sr_test_capture_messages(SOURCE_DOMAIN);
	g_test_add_func("/sr/source/alerts-com-ua/ops", test_ops);
	g_test_add_func("/sr/source/alerts-com-ua/request", test_request);
	g_test_add_func("/sr/source/alerts-com-ua/states", test_states);
	g_test_add_func("/sr/source/alerts-com-ua/every-id", test_every_id);
	g_test_add_func("/sr/source/alerts-com-ua/short", test_short);
	g_test_add_func("/sr/source/alerts-com-ua/quiet", test_quiet);
	g_test_add_func("/sr/source/alerts-com-ua/odd-ids", test_odd_ids);
	g_test_add_func("/sr/source/alerts-com-ua/duplicates", test_duplicates);
	g_test_add_func("/sr/source/alerts-com-ua/lenient-values", test_lenient_values);
	g_test_add_func("/sr/source/alerts-com-ua/bad-fixtures", test_bad_fixtures);
	g_test_add_func("/sr/source/alerts-com-ua/bad-input", test_bad_input);
	g_test_add_func("/sr/source/alerts-com-ua/nul-bytes", test_nul_bytes);
	g_test_add_func("/sr/source/alerts-com-ua/deep-nesting", test_deep_nesting);
	g_test_add_func("/sr/source/alerts-com-ua/source-name", test_source_name);
	g_test_add_func("/sr/source/alerts-com-ua/round-trip", test_round_trip);
	g_test_add_func("/sr/source/alerts-com-ua/event-quiet", test_event_quiet);
	g_test_add_func("/sr/source/alerts-com-ua/event-unknown", test_event_unknown);
	g_test_add_func("/sr/source/alerts-com-ua/event-update", test_event_update);
	g_test_add_func("/sr/source/alerts-com-ua/event-bad", test_event_bad);
	g_test_add_func("/sr/source/alerts-com-ua/event-huge", test_event_huge);
	g_test_add_func("/sr/source/alerts-com-ua/stream-fixture", test_stream_fixture);
	g_test_add_func("/sr/source/alerts-com-ua/engine", test_engine);
	/* last: its ten thousand unknown ids use up the log's once-only memory */
	g_test_add_func("/sr/source/alerts-com-ua/huge", test_huge);
	return g_test_run();
}
