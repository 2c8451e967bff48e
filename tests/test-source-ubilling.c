/* test-source-ubilling.c - the ubilling aerialalerts source: request, parser, Kyiv time, hostile
 * bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-source-ubilling"

#include "config.h"

#include "sirena/error.h"
#include "sources/sr-sources-private.h"
#include "sr-test-util.h"

#define SOURCE_DOMAIN "sr-source-ubilling"

static const SrTestParser parser = {
    .parse = sr_source_ubilling_parse,
    .source_name = "ubilling",
    .now = 1795500000,
    .fixtures = "ubilling",
    .root_error = "not a JSON object",
};

/* the fields every ubilling event has; @region is NULL for a title the catalog lacks */
static void
assert_event(const SrEvent *event, const char *region, const char *title, const char *started)
{
	g_assert_cmpstr(event->source, ==, "ubilling");
	g_assert_cmpint(event->kind, ==, SR_KIND_AIR_RAID);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
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
	sr_test_assert_time(event->updated_at, NULL);
	sr_test_assert_time(event->ended_at, NULL);
	sr_test_assert_time(event->expires_at, NULL);
	g_assert_null(event->headline);
	g_assert_null(event->description);
	g_assert_true(sr_event_is_active(event));
}

static void
test_ops(void)
{
	const SrSourceOps *ops = &sr_source_ubilling;
	g_assert_cmpstr(ops->type, ==, "ubilling");
	g_assert_nonnull(ops->description);
	g_assert_cmpstr(ops->default_url, ==, "https://ubilling.net.ua");
	g_assert_false(ops->needs_token);
	g_assert_cmpfloat(ops->default_interval, ==, 10);
	g_assert_cmpfloat(ops->min_interval, ==, 3);
	g_assert_cmpuint(ops->max_per_minute, ==, 20);
	g_assert_cmpuint(ops->auth_failures_before_error, ==, 1);
	g_assert_true(ops->conditional);
	g_assert_cmphex(ops->kinds, ==, 1u << SR_KIND_AIR_RAID);
	g_assert_cmphex(ops->levels, ==,
	                (1u << SR_REGION_LEVEL_OBLAST) | (1u << SR_REGION_LEVEL_CITY));
	g_assert_true(ops->parse == sr_source_ubilling_parse);
	g_assert_null(ops->parse_probe);
	g_assert_null(ops->fetch_local);
}

static void
test_request(void)
{
	g_autoptr(SrSourceConfig) config = sr_source_config_new("ubilling", &sr_source_ubilling);
	SrRequest request = {NULL, NULL};
	g_autoptr(GError) error = NULL;

	/* no token needed */
	g_assert_true(sr_source_ubilling.build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(request.url, ==, "https://ubilling.net.ua/aerialalerts/");
	g_assert_true(request.headers == NULL || request.headers->len == 0);
	sr_request_clear(&request);

	g_free(config->url);
	config->url = g_strdup("http://127.0.0.1:9000");
	g_assert_true(sr_source_ubilling.build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(request.url, ==, "http://127.0.0.1:9000/aerialalerts/");
	sr_request_clear(&request);

	g_assert_false(
	    sr_source_ubilling.build_request(config, SR_REQUEST_PROBE, &request, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT);
	sr_request_clear(&request);
}

static void
test_states(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "states.json");

	/* 25 states, 3 alerting */
	g_assert_cmpuint(batch->events->len, ==, 3);
	/* Luhansk: the 1970 sentinel is an unknown start */
	assert_event(sr_test_find_event(batch, "ubilling:16"), "ua:16", "Луганська область", NULL);
	/* Kharkiv: winter, Kyiv is UTC+2 */
	assert_event(sr_test_find_event(batch, "ubilling:22"), "ua:22", "Харківська область",
	             "2026-11-25T05:58:12Z");
	/* Kyiv city is a top-level region of its own */
	assert_event(sr_test_find_event(batch, "ubilling:31"), "ua:31", "м. Київ",
	             "2026-11-25T06:20:03Z");
}

static void
test_dst(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "dst.json");

	g_assert_cmpuint(batch->events->len, ==, 4);
	/* summer: +03:00 */
	assert_event(sr_test_find_event(batch, "ubilling:18"), "ua:18", "Одеська область",
	             "2026-07-15T09:00:00Z");
	/* winter: +02:00 */
	assert_event(sr_test_find_event(batch, "ubilling:22"), "ua:22", "Харківська область",
	             "2026-01-15T10:00:00Z");
	/* 03:30 on 2026-10-25 happens twice in Kyiv; GLib takes the second (standard time) */
	assert_event(sr_test_find_event(batch, "ubilling:27"), "ua:27", "Львівська область",
	             "2026-10-25T01:30:00Z");
	/* the last second of winter time before the spring change */
	assert_event(sr_test_find_event(batch, "ubilling:20"), "ua:20", "Сумська область",
	             "2026-03-29T00:59:59Z");
}

static void
test_unknown_state(void)
{
	for (guint round = 0; round < 2; round++) {
		g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "unknown_state.json");
		g_assert_cmpuint(batch->events->len, ==, 3);
		/* a title that differs in case and spacing still resolves */
		assert_event(sr_test_find_event(batch, "ubilling:20"), "ua:20", "Сумська  Область",
		             "2026-11-25T07:00:00Z");
		/* a title the catalog lacks is kept by name */
		assert_event(sr_test_find_event(batch, "ubilling:Приазовська область"), NULL,
		             "Приазовська область", "2026-11-25T07:05:00Z");
		/* a raion's title is not a state: kept by name, not mapped to the raion */
		assert_event(sr_test_find_event(batch, "ubilling:Харківський район"), NULL,
		             "Харківський район", "2026-11-25T07:10:00Z");
	}
	/* each unknown title is logged once, alerting or not */
	g_assert_cmpuint(sr_test_count_messages("'Приазовська область'"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("'Харківський район'"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("'Нікчемна область'"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("Сумська"), ==, 0);
}

static void
test_empty_states(void)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture("ubilling", "empty_states.json", &len);
	/* no states is a broken feed, not an all-clear */
	sr_test_assert_parse_error(&parser, body, len, "'states' is empty");
}

static void
test_bad_fixtures(void)
{
	gsize len = 0;
	g_autofree char *alertnow = sr_test_read_fixture("ubilling", "bad_alertnow.json", &len);
	g_autofree char *changed = NULL;
	sr_test_assert_parse_error(&parser, alertnow, len,
	                           "state 'Полтавська область' has no 'alertnow'");
	changed = sr_test_read_fixture("ubilling", "bad_changed.json", &len);
	sr_test_assert_parse_error(&parser, changed, len,
	                           "state 'Полтавська область' has a 'changed'");
}

static void
test_bad_input(void)
{
	static const struct {
		const char *body;
		const char *fragment;
	} cases[] = {
	    {"{\"states\": {\"м. Київ\": {\"alertnow\": true", "not JSON"},
	    {"{\"states\": {\"м. Київ\": {\"alertnow\": tru}}}", "not JSON"},
	    {"\"states\"", "not a JSON object"},
	    {"[]", "not a JSON object"},
	    {"{}", "no 'states'"},
	    {"{\"source\": \"x\", \"cachedat\": \"2026-11-25 09:20:00\"}", "no 'states'"},
	    {"{\"states\": null}", "'states' is not an object"},
	    {"{\"states\": []}", "'states' is not an object"},
	    {"{\"states\": [{\"alertnow\": true}]}", "'states' is not an object"},
	    {"{\"states\": \"\"}", "'states' is not an object"},
	    {"{\"states\": {}}", "'states' is empty"},
	    {"{\"states\": {\"м. Київ\": true}}", "state 'м. Київ' is not an object"},
	    {"{\"states\": {\"м. Київ\": null}}", "state 'м. Київ' is not an object"},
	    {"{\"states\": {\"м. Київ\": []}}", "state 'м. Київ' is not an object"},
	    {"{\"states\": {\"м. Київ\": {}}}", "state 'м. Київ' has no 'alertnow'"},
	    {"{\"states\": {\"м. Київ\": {\"alertnow\": null}}}", "has no 'alertnow'"},
	    {"{\"states\": {\"м. Київ\": {\"alertnow\": 1}}}", "has no 'alertnow'"},
	    {"{\"states\": {\"м. Київ\": {\"alertnow\": \"false\"}}}", "has no 'alertnow'"},
	    {"{\"states\": {\"м. Київ\": {\"alertnow\": false, \"changed\": 0}}}", "'changed'"},
	    {"{\"states\": {\"м. Київ\": {\"alertnow\": true, \"changed\": \"\"}}}", "'changed'"},
	    {"{\"states\": {\"м. Київ\": {\"alertnow\": true, \"changed\": \"2026-11-25\"}}}",
	     "'changed'"},
	    {"{\"states\": {\"м. Київ\": {\"alertnow\": true, "
	     "\"changed\": \"2026-11-25 25:00:00\"}}}",
	     "'changed'"},
	    {"{\"states\": {\"м. Київ\": {\"alertnow\": true, "
	     "\"changed\": \"2026-02-30 10:00:00\"}}}",
	     "'changed'"},
	    {"{\"states\": {\"м. Київ\": {\"alertnow\": true, "
	     "\"changed\": \"2026-11-25 10:00:00 \"}}}",
	     "'changed'"},
	    {"{\"states\": {\"\": {\"alertnow\": true}}}", "state 0 has an empty name"},
	    {"{\"states\": {\"м. Київ\": {\"alertnow\": false}}} x", "data after"},
	};

	/* no body, white space, not JSON, truncated, a scalar */
	sr_test_assert_rejects_malformed(&parser);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		sr_test_assert_parse_error(&parser, cases[i].body, -1, cases[i].fragment);
}

static void
test_nul_bytes(void)
{
	static const char inside[] = "{\"states\": {\0}}";
	static const char after[] = "{\"states\": {\"м. Київ\": {\"alertnow\": false}}}\0";
	static const char in_key[] = "{\"states\": {\"м. Київ\0x\": {\"alertnow\": true}}}";

	sr_test_assert_rejects_control_bytes(&parser);
	sr_test_assert_parse_error(&parser, inside, sizeof(inside) - 1, "control character (0x00)");
	sr_test_assert_parse_error(&parser, after, sizeof(after) - 1, "control character");
	sr_test_assert_parse_error(&parser, in_key, sizeof(in_key) - 1, "control character");
}

static void
test_lenient_values(void)
{
	/* changed absent or null, the epoch and times before it, a title that is not UTF-8,
	 * unknown fields, an English alias */
	static const char body[] =
	    "{\"source\": 5, \"cachedat\": null, \"extra\": [1], \"states\": {"
	    "\"Луганська область\": {\"alertnow\": true},"
	    "\"Автономна Республіка Крим\": {\"alertnow\": true, \"changed\": null},"
	    "\"Донецька область\": {\"alertnow\": true, \"changed\": \"1970-01-01 00:00:00\"},"
	    "\"Запорізька область\": {\"alertnow\": true, \"changed\": \"1969-12-31 23:00:00\"},"
	    "\"Kherson Oblast\": {\"alertnow\": true, \"changed\": \"2026-11-25 10:00:00\", "
	    "\"new\": {}},"
	    "\"\xff\xfe область\": {\"alertnow\": true, \"changed\": \"2026-11-25 10:00:00\"},"
	    "\"Вінницька область\": {\"alertnow\": false, \"changed\": null}"
	    "}}";
	g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);
	const SrEvent *event = NULL;

	g_assert_cmpuint(batch->events->len, ==, 6);
	assert_event(sr_test_find_event(batch, "ubilling:16"), "ua:16", "Луганська область", NULL);
	assert_event(sr_test_find_event(batch, "ubilling:29"), "ua:29", "Автономна Республіка Крим",
	             NULL);
	assert_event(sr_test_find_event(batch, "ubilling:28"), "ua:28", "Донецька область", NULL);
	assert_event(sr_test_find_event(batch, "ubilling:12"), "ua:12", "Запорізька область", NULL);
	assert_event(sr_test_find_event(batch, "ubilling:23"), "ua:23", "Kherson Oblast",
	             "2026-11-25T08:00:00Z");
	/* the bytes that are not UTF-8 are replaced in the id and the description */
	event = g_ptr_array_index(batch->events, 5);
	g_assert_cmpuint(event->regions->len, ==, 0);
	g_assert_true(g_utf8_validate(event->id, -1, NULL));
	g_assert_true(g_str_has_prefix(event->id, "ubilling:"));
	g_assert_true(g_str_has_suffix(event->id, " область"));
	g_assert_true(g_utf8_validate(event->area.description, -1, NULL));
}

static void
test_duplicates(void)
{
	/* a repeated key, and two titles of one region: one event per id, the first wins */
	static const char body[] = "{\"states\": {"
	                           "\"м. Київ\": {\"alertnow\": true, "
	                           "\"changed\": \"2026-11-25 10:00:00\"},"
	                           "\"Київ\": {\"alertnow\": true, "
	                           "\"changed\": \"2026-11-25 11:00:00\"},"
	                           "\"м. Київ\": {\"alertnow\": true, "
	                           "\"changed\": \"2026-11-25 12:00:00\"}"
	                           "}}";
	g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);
	g_assert_cmpuint(batch->events->len, ==, 1);
	assert_event(sr_test_find_event(batch, "ubilling:31"), "ua:31", "м. Київ",
	             "2026-11-25T08:00:00Z");
}

static void
test_all_clear(void)
{
	static const char body[] = "{\"states\": {"
	                           "\"м. Київ\": {\"alertnow\": false, "
	                           "\"changed\": \"2026-11-25 10:00:00\"},"
	                           "\"Луганська область\": {\"alertnow\": false, "
	                           "\"changed\": \"1970-01-01 03:00:00\"}"
	                           "}}";
	g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);
	/* states that are all quiet are a valid all-clear */
	g_assert_cmpuint(batch->events->len, ==, 0);
	g_assert_cmpint(batch->kind, ==, SR_BATCH_SNAPSHOT);
}

static void
test_source_name(void)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture("ubilling", "states.json", &len);
	SrParseContext ctx = sr_test_parser_context(&parser);
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	const SrEvent *event = NULL;

	ctx.source_name = "mirror";
	batch = sr_source_ubilling_parse(body, len, &ctx, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(batch->events->len, ==, 3);
	event = sr_test_find_event(batch, "mirror:31");
	g_assert_cmpstr(event->source, ==, "mirror");
}

static void
test_huge(void)
{
	g_autoptr(GString) str = g_string_new("{\"source\": \"Mørk Skogen API (default)\", "
	                                      "\"cachedat\": \"2026-11-25 08:21:40\", "
	                                      "\"states\": {");
	g_autoptr(SrBatch) batch = NULL;
	const guint n = 20000;

	/* made-up titles, most of them alerting, with long names */
	for (guint i = 0; i < n; i++)
		g_string_append_printf(str,
		                       "%s\"Вигадана область номер %u з дуже довгою назвою, щоб "
		                       "тіло відповіді було великим\": {\"alertnow\": %s, "
		                       "\"changed\": \"2026-11-%02u %02u:%02u:%02u\"}",
		                       i == 0 ? "" : ",", i, i % 4 == 0 ? "false" : "true",
		                       1 + i % 28, i % 24, i % 60, (i * 7) % 60);
	g_string_append(str, ", \"м. Київ\": {\"alertnow\": true, "
	                     "\"changed\": \"2026-11-25 08:20:03\"}}}");
	g_assert_cmpuint(str->len, >, 3 * 1024 * 1024);

	batch = sr_test_parse_large(&parser, str->str, str->len);
	g_assert_cmpuint(batch->events->len, ==, n - n / 4 + 1);
	assert_event(sr_test_find_event(batch, "ubilling:31"), "ua:31", "м. Київ",
	             "2026-11-25T06:20:03Z");
}

static void
test_deep_nesting(void)
{
	g_autoptr(GString) inner = g_string_new("{\"states\": {\"м. Київ\": ");

	sr_test_assert_rejects_deep_nesting(&parser);
	/* deep, but inside a valid envelope */
	for (guint i = 0; i < 5000; i++)
		g_string_append(inner, "{\"a\": ");
	sr_test_assert_parse_error(&parser, inner->str, -1, "not JSON");
}

static void
test_round_trip(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "states.json");
	sr_test_assert_round_trip(batch);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	sr_test_capture_messages(SOURCE_DOMAIN);

	g_test_add_func("/sr/source/ubilling/ops", test_ops);
	g_test_add_func("/sr/source/ubilling/request", test_request);
	g_test_add_func("/sr/source/ubilling/states", test_states);
	g_test_add_func("/sr/source/ubilling/dst", test_dst);
	g_test_add_func("/sr/source/ubilling/unknown-state", test_unknown_state);
	g_test_add_func("/sr/source/ubilling/empty-states", test_empty_states);
	g_test_add_func("/sr/source/ubilling/bad-fixtures", test_bad_fixtures);
	g_test_add_func("/sr/source/ubilling/bad-input", test_bad_input);
	g_test_add_func("/sr/source/ubilling/nul-bytes", test_nul_bytes);
	g_test_add_func("/sr/source/ubilling/lenient-values", test_lenient_values);
	g_test_add_func("/sr/source/ubilling/duplicates", test_duplicates);
	g_test_add_func("/sr/source/ubilling/all-clear", test_all_clear);
	g_test_add_func("/sr/source/ubilling/source-name", test_source_name);
	g_test_add_func("/sr/source/ubilling/huge", test_huge);
	g_test_add_func("/sr/source/ubilling/deep-nesting", test_deep_nesting);
	g_test_add_func("/sr/source/ubilling/round-trip", test_round_trip);

	return g_test_run();
}
