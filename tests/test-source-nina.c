/* test-source-nina.c - the NINA source: request, dashboard index, warning parser, hostile bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-source-nina"

#include "config.h"

#include <string.h>

#include "sirena/error.h"
#include "sirena/json.h"
#include "sources/sr-sources-private.h"
#include "sr-test-util.h"

#define SOURCE_DOMAIN "sr-source-nina"

#define DWD_ID                                                                                     \
	"dwdmap.2.49.0.0.276.0.DWD.PVW.1795488600000.4f8e2a1c-7b3d-4c9e-a5f0-1d2e3f4a5b6c.MUL"
#define MOWAS_ID "mow.DE-BY-M-SE083-20261124-83-000"

static const SrTestParser parser = {
    .parse = sr_source_nina_parse,
    .source_name = "nina",
    .now = 1795500000,
    .fixtures = "nina",
    .root_error = "not a JSON object",
};

/* the dashboard parser, as a parser of batches for the bad-body battery: its entries are
 * checked elsewhere, here only whether it answers with entries or an error */
static SrBatch *
parse_dashboard_as_batch(const char *body, gsize len, const SrParseContext *ctx, GError **error)
{
	g_autoptr(GPtrArray) entries = sr_source_nina_parse_dashboard(body, len, ctx, error);
	if (entries == NULL)
		return NULL;
	return sr_batch_new(SR_BATCH_SNAPSHOT);
}

static const SrTestParser dashboard_parser = {
    .parse = parse_dashboard_as_batch,
    .source_name = "nina",
    .now = 1795500000,
    .fixtures = "nina",
    .root_error = "not a JSON array",
};

static GPtrArray *
parse_dashboard_ok(const char *body, gssize len)
{
	SrParseContext ctx = sr_test_parser_context(&dashboard_parser);
	g_autoptr(GError) error = NULL;
	GPtrArray *entries = sr_source_nina_parse_dashboard(
	    body, len < 0 ? (body != NULL ? strlen(body) : 0) : (gsize)len, &ctx, &error);
	g_assert_no_error(error);
	g_assert_nonnull(entries);
	return entries;
}

static GPtrArray *
parse_dashboard_fixture(const char *name)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture("nina", name, &len);
	return parse_dashboard_ok(body, (gssize)len);
}

/* the only event of a warning's batch */
static const SrEvent *
only_event(const SrBatch *batch)
{
	g_assert_cmpint(batch->kind, ==, SR_BATCH_SNAPSHOT);
	g_assert_cmpuint(batch->events->len, ==, 1);
	return g_ptr_array_index(batch->events, 0);
}

static SrBatch *
parse_fixture_in(const char *name, const char *language)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture("nina", name, &len);
	SrParseContext ctx = sr_test_parser_context(&parser);
	g_autoptr(GError) error = NULL;
	SrBatch *batch = NULL;

	ctx.language = language;
	batch = sr_source_nina_parse(body, len, &ctx, &error);
	g_assert_no_error(error);
	g_assert_nonnull(batch);
	return batch;
}

static void
assert_geocode(const SrEvent *event, guint index, const char *name, const char *value)
{
	const SrGeocode *geocode = NULL;
	g_assert_cmpuint(index, <, event->area.geocodes->len);
	geocode = g_ptr_array_index(event->area.geocodes, index);
	g_assert_cmpstr(geocode->name, ==, name);
	g_assert_cmpstr(geocode->value, ==, value);
}

static void
assert_point(GArray *ring, guint index, double lat, double lon)
{
	const SrPoint *point = NULL;
	g_assert_cmpuint(index, <, ring->len);
	point = &g_array_index(ring, SrPoint, index);
	g_assert_cmpfloat_with_epsilon(point->lat, lat, 1e-9);
	g_assert_cmpfloat_with_epsilon(point->lon, lon, 1e-9);
}

static void
test_ops(void)
{
	const SrSourceOps *ops = &sr_source_nina;
	g_assert_cmpstr(ops->type, ==, "nina");
	g_assert_nonnull(ops->description);
	g_assert_cmpstr(ops->default_url, ==, "https://warnung.bund.de/api31");
	g_assert_false(ops->needs_token);
	g_assert_cmpfloat(ops->default_interval, ==, 60);
	g_assert_cmpfloat(ops->min_interval, ==, 30);
	g_assert_cmpuint(ops->max_per_minute, ==, 30);
	g_assert_true(ops->conditional);
	g_assert_true(ops->kinds & (1u << SR_KIND_WEATHER));
	g_assert_true(ops->kinds & (1u << SR_KIND_FLOOD));
	g_assert_true(ops->kinds & (1u << SR_KIND_FIRE));
	g_assert_true(ops->kinds & (1u << SR_KIND_CIVIL));
	g_assert_nonnull(ops->extra_keys);
	g_assert_cmpstr(ops->extra_keys[0], ==, "ars");
	g_assert_null(ops->extra_keys[1]);
	/* an index feed whose documents are also what `sirena parse` reads */
	g_assert_true(ops->parse_index == sr_source_nina_parse_dashboard);
	g_assert_true(ops->parse_entry == sr_source_nina_parse);
	g_assert_true(ops->parse == sr_source_nina_parse);
	g_assert_null(ops->parse_probe);
	g_assert_null(ops->fetch_local);
	g_assert_null(ops->free_state);
	g_assert_true(sr_source_registry_lookup("nina") == ops);
}

static void
test_request(void)
{
	static const struct {
		const char *ars;
		const char *url;
	} cases[] = {
	    /* München, a kreisfreie Stadt */
	    {"091620000000", "https://warnung.bund.de/api31/dashboard/091620000000.json"},
	    /* a Gemeinde: only its Kreis is sent */
	    {"091840119119", "https://warnung.bund.de/api31/dashboard/091840000000.json"},
	    {"  097720000000 ", "https://warnung.bund.de/api31/dashboard/097720000000.json"},
	    {"010010000000", "https://warnung.bund.de/api31/dashboard/010010000000.json"},
	    {"160770099999", "https://warnung.bund.de/api31/dashboard/160770000000.json"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SrSourceConfig) config = sr_source_config_new("nina", &sr_source_nina);
		SrRequest request = {NULL, NULL};
		g_autoptr(GError) error = NULL;

		g_hash_table_insert(config->extra, g_strdup("ars"), g_strdup(cases[i].ars));
		g_assert_true(
		    sr_source_nina.build_request(config, SR_REQUEST_MAIN, &request, &error));
		g_assert_no_error(error);
		g_assert_cmpstr(request.url, ==, cases[i].url);
		g_assert_nonnull(request.headers);
		g_assert_cmpuint(request.headers->len, ==, 1);
		g_assert_cmpstr(g_ptr_array_index(request.headers, 0), ==,
		                "Accept: application/json");
		sr_request_clear(&request);
	}

	{
		g_autoptr(SrSourceConfig) config = sr_source_config_new("nina", &sr_source_nina);
		SrRequest request = {NULL, NULL};
		g_autoptr(GError) error = NULL;

		g_hash_table_insert(config->extra, g_strdup("ars"), g_strdup("091620000000"));
		/* a configured URL (the test server, a mirror) replaces the base */
		g_free(config->url);
		config->url = g_strdup("http://127.0.0.1:8080/api31");
		g_assert_true(
		    sr_source_nina.build_request(config, SR_REQUEST_MAIN, &request, &error));
		g_assert_no_error(error);
		g_assert_cmpstr(request.url, ==,
		                "http://127.0.0.1:8080/api31/dashboard/091620000000.json");
		sr_request_clear(&request);

		/* there is no probe */
		g_assert_false(
		    sr_source_nina.build_request(config, SR_REQUEST_PROBE, &request, &error));
		g_assert_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT);
		g_assert_null(request.url);
		sr_request_clear(&request);
	}
}

static void
test_request_ars(void)
{
	static const char *const bad[] = {
	    NULL,
	    "",
	    "   ",
	    "09162",
	    "09162000000",
	    "0916200000000",
	    "09162000000a",
	    "0916200000 0",
	    "+91620000000",
	    "-91620000000",
	    "000000000000",
	    "170000000000",
	    "990000000000",
	    "０９１６２００００００",
	    "09162\xff"
	    "000000",
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(SrSourceConfig) config = sr_source_config_new("nina-m", &sr_source_nina);
		SrRequest request = {NULL, NULL};
		g_autoptr(GError) error = NULL;

		if (bad[i] != NULL)
			g_hash_table_insert(config->extra, g_strdup("ars"), g_strdup(bad[i]));
		g_assert_false(
		    sr_source_nina.build_request(config, SR_REQUEST_MAIN, &request, &error));
		g_assert_error(error, SR_ERROR, SR_ERROR_CONFIG);
		/* the message names the source, the key, and shows how it is written */
		g_assert_nonnull(strstr(error->message, "'nina-m'"));
		g_assert_nonnull(strstr(error->message, "ars="));
		g_assert_nonnull(strstr(error->message, "ars=091620000000 for München"));
		g_assert_true(g_utf8_validate(error->message, -1, NULL));
		g_assert_null(request.url);
		sr_request_clear(&request);
	}
}

static void
test_dashboard(void)
{
	g_autoptr(GPtrArray) entries = parse_dashboard_fixture("dashboard.json");
	const SrIndexEntry *entry = NULL;

	/* the repeated MoWaS item is listed once, as it was first */
	g_assert_cmpuint(entries->len, ==, 4);

	entry = g_ptr_array_index(entries, 0);
	g_assert_cmpstr(entry->key, ==, DWD_ID);
	/* relative: the poller resolves it against the source's URL */
	g_assert_cmpstr(entry->url, ==, "../warnings/" DWD_ID ".json");
	g_assert_cmpstr(entry->version, ==,
	                "1|2026-11-24T05:30:00+01:00|"
	                "0c4f1e9a7d2b3c5e6f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e");
	g_assert_false(entry->skip);

	entry = g_ptr_array_index(entries, 1);
	g_assert_cmpstr(entry->key, ==, "mow.DE-BY-M-SE083-20261124-83-001");
	g_assert_cmpstr(entry->url, ==, "../warnings/mow.DE-BY-M-SE083-20261124-83-001.json");
	g_assert_cmpstr(entry->version, ==,
	                "3|2026-11-24T07:30:05+01:00|"
	                "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d");
	g_assert_false(entry->skip);

	/* no hash */
	entry = g_ptr_array_index(entries, 2);
	g_assert_cmpstr(entry->key, ==, "kat.6a1f0e3b9c2d4e5f60718293_public_topics");
	g_assert_cmpstr(entry->url, ==,
	                "../warnings/kat.6a1f0e3b9c2d4e5f60718293_public_topics.json");
	g_assert_cmpstr(entry->version, ==, "12|2026-11-24T06:45:00+01:00|");
	g_assert_false(entry->skip);

	/* no payload: the time it was sent is its version */
	entry = g_ptr_array_index(entries, 3);
	g_assert_cmpstr(entry->key, ==, "lhp.LHP.BY.by40213");
	g_assert_cmpstr(entry->url, ==, "../warnings/lhp.LHP.BY.by40213.json");
	g_assert_cmpstr(entry->version, ==, "|2026-11-23T18:00:00+01:00|");
	g_assert_false(entry->skip);
}

static void
test_dashboard_empty(void)
{
	g_autoptr(GPtrArray) entries = parse_dashboard_fixture("dashboard_empty.json");
	/* nothing listed: a valid all-clear for the district */
	g_assert_cmpuint(entries->len, ==, 0);
}

static void
test_dashboard_items(void)
{
	static const char body[] =
	    "["
	    /* an id that is not a plain path segment cannot leave warnings/ */
	    "{\"id\": \"biw.a b/../../c?d#e%f\", \"sent\": \"2026-11-24T06:00:00+01:00\"},"
	    "{\"id\": \"../../etc/passwd\"},"
	    "{\"id\": \"kat.Ä\"},"
	    /* no id of its own: the payload's */
	    "{\"payload\": {\"id\": \"mow.X-1\", \"version\": \"4\"}},"
	    /* a version that is no integer is left out; the rest stands */
	    "{\"id\": \"mow.X-2\", \"payload\": {\"version\": 1.5, \"hash\": \"ab\"}},"
	    "{\"id\": \"mow.X-3\", \"payload\": null, \"sent\": 5, \"extra\": [1, {}]},"
	    "{\"id\": \"mow.X-4\", \"payload\": {\"version\": 0}}"
	    "]";
	g_autoptr(GPtrArray) entries = parse_dashboard_ok(body, -1);
	const SrIndexEntry *entry = NULL;

	g_assert_cmpuint(entries->len, ==, 7);
	entry = g_ptr_array_index(entries, 0);
	g_assert_cmpstr(entry->key, ==, "biw.a b/../../c?d#e%f");
	g_assert_cmpstr(entry->url, ==, "../warnings/biw.a%20b%2F..%2F..%2Fc%3Fd%23e%25f.json");
	g_assert_cmpstr(entry->version, ==, "|2026-11-24T06:00:00+01:00|");
	entry = g_ptr_array_index(entries, 1);
	g_assert_cmpstr(entry->url, ==, "../warnings/..%2F..%2Fetc%2Fpasswd.json");
	/* no version at all: fetched once */
	g_assert_null(entry->version);
	entry = g_ptr_array_index(entries, 2);
	g_assert_cmpstr(entry->key, ==, "kat.Ä");
	g_assert_cmpstr(entry->url, ==, "../warnings/kat.%C3%84.json");
	entry = g_ptr_array_index(entries, 3);
	g_assert_cmpstr(entry->key, ==, "mow.X-1");
	g_assert_cmpstr(entry->version, ==, "4||");
	entry = g_ptr_array_index(entries, 4);
	g_assert_cmpstr(entry->version, ==, "||ab");
	entry = g_ptr_array_index(entries, 5);
	g_assert_null(entry->version);
	entry = g_ptr_array_index(entries, 6);
	g_assert_cmpstr(entry->version, ==, "0||");
	for (guint i = 0; i < entries->len; i++) {
		entry = g_ptr_array_index(entries, i);
		g_assert_true(g_str_has_prefix(entry->url, "../warnings/"));
		g_assert_null(strchr(entry->url + strlen("../warnings/"), '/'));
		g_assert_false(entry->skip);
	}
}

static void
test_dashboard_bad_input(void)
{
	static const struct {
		const char *body;
		const char *fragment;
	} cases[] = {
	    {"{}", "not a JSON array"},
	    {"{\"id\": \"mow.X\"}", "not a JSON array"},
	    {"[1]", "item 0 is not an object"},
	    {"[null]", "item 0 is not an object"},
	    {"[[]]", "item 0 is not an object"},
	    {"[\"mow.X\"]", "item 0 is not an object"},
	    {"[{}]", "item 0 has no 'id'"},
	    {"[{\"id\": \"\"}]", "item 0 has no 'id'"},
	    {"[{\"id\": 5}]", "item 0 has no 'id'"},
	    {"[{\"id\": null}]", "item 0 has no 'id'"},
	    {"[{\"id\": [\"mow.X\"]}]", "item 0 has no 'id'"},
	    {"[{\"id\": \"mow.X\"}, {\"payload\": {}}]", "item 1 has no 'id'"},
	    {"[{\"id\": \"mow.X\", \"payload\": []}]", "item 0: 'payload' is not an object"},
	    {"[{\"id\": \"mow.X\", \"payload\": \"x\"}]", "item 0: 'payload' is not an object"},
	    {"[{\"payload\": {\"id\": 7}}]", "item 0 has no 'id'"},
	};

	sr_test_assert_rejects_malformed(&dashboard_parser);
	sr_test_assert_rejects_control_bytes(&dashboard_parser);
	sr_test_assert_rejects_deep_nesting(&dashboard_parser);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		sr_test_assert_parse_error(&dashboard_parser, cases[i].body, -1, cases[i].fragment);
	{
		gsize len = 0;
		g_autofree char *body =
		    sr_test_read_fixture("nina", "bad_dashboard_item.json", &len);
		sr_test_assert_parse_error(&dashboard_parser, body, (gssize)len,
		                           "item 1 has no 'id'");
	}
}

static void
test_dashboard_huge(void)
{
	g_autoptr(GString) str = g_string_new("[");
	g_autoptr(GPtrArray) entries = NULL;
	const guint n = 20000;
	const SrIndexEntry *entry = NULL;

	for (guint i = 0; i < n; i++)
		g_string_append_printf(
		    str,
		    "%s{\"id\": \"mow.DE-BY-M-SE083-20261124-83-%06u\", \"payload\": {\"version\": "
		    "%u, \"type\": \"ALERT\", \"id\": \"mow.DE-BY-M-SE083-20261124-83-%06u\", "
		    "\"hash\": \"%064u\", \"data\": {\"headline\": \"Warnung Nummer %u mit einer "
		    "langen Überschrift\", \"provider\": \"MOWAS\", \"severity\": \"Minor\", "
		    "\"msgType\": \"Alert\", \"transKeys\": {\"event\": \"BBK-EVC-040\"}, "
		    "\"area\": "
		    "{\"type\": \"ZGEM\", \"data\": \"1+09162000000\"}}}, \"i18nTitle\": {\"de\": "
		    "\"Warnung %u\"}, \"sent\": \"2026-11-24T06:10:12+01:00\"}",
		    i == 0 ? "" : ",", i, i % 7, i, i, i, i);
	g_string_append(str, "]");
	g_assert_cmpuint(str->len, >, 4 * 1024 * 1024);

	entries = parse_dashboard_ok(str->str, (gssize)str->len);
	g_assert_cmpuint(entries->len, ==, n);
	entry = g_ptr_array_index(entries, n - 1);
	g_assert_cmpstr(entry->key, ==, "mow.DE-BY-M-SE083-20261124-83-019999");
}

static void
test_dwd(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "warning_dwd.json");
	const SrEvent *event = only_event(batch);
	GArray *ring = NULL;

	g_assert_cmpstr(event->id, ==, "nina:" DWD_ID);
	g_assert_cmpstr(event->source, ==, "nina");
	g_assert_cmpint(event->kind, ==, SR_KIND_WEATHER);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_cmpint(event->status, ==, SR_STATUS_ACTUAL);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_MODERATE);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_IMMEDIATE);
	g_assert_cmpint(event->certainty, ==, SR_CERTAINTY_LIKELY);
	g_assert_true(sr_event_is_active(event));
	/* the hazard starts at onset; the message is from when it was sent */
	sr_test_assert_time(event->started_at, "2026-11-24T07:00:00Z");
	sr_test_assert_time(event->updated_at, "2026-11-24T04:30:00Z");
	sr_test_assert_time(event->expires_at, "2026-11-24T19:00:00Z");
	sr_test_assert_time(event->ended_at, NULL);
	g_assert_cmpstr(event->language, ==, "de");
	g_assert_cmpstr(event->headline, ==, "Amtliche WARNUNG vor STURMBÖEN");
	g_assert_true(g_str_has_prefix(event->description, "Es treten Sturmböen mit "));
	g_assert_true(g_str_has_prefix(event->instruction, "ACHTUNG! Hinweis auf mögliche "));
	g_assert_cmpstr(event->web, ==, "https://www.wettergefahren.de");
	g_assert_cmpuint(event->regions->len, ==, 0);
	g_assert_cmpuint(event->references->len, ==, 0);

	g_assert_cmpstr(event->area.description, ==, "Stadt München, Kreis München");
	/* the junk pair is gone, the open ring closed, points are (lat, lon); a ring of junk
	 * alone and one of two points are left out */
	g_assert_cmpuint(event->area.polygons->len, ==, 2);
	ring = g_ptr_array_index(event->area.polygons, 0);
	g_assert_cmpuint(ring->len, ==, 5);
	assert_point(ring, 0, 48.06, 11.36);
	assert_point(ring, 1, 48.06, 11.72);
	assert_point(ring, 2, 48.25, 11.72);
	assert_point(ring, 3, 48.25, 11.36);
	assert_point(ring, 4, 48.06, 11.36);
	ring = g_ptr_array_index(event->area.polygons, 1);
	g_assert_cmpuint(ring->len, ==, 5);
	assert_point(ring, 0, 47.95, 11.40);
	assert_point(ring, 2, 48.02, 11.80);
	assert_point(ring, 4, 47.95, 11.40);
	g_assert_cmpuint(event->area.circles->len, ==, 0);
	g_assert_cmpuint(event->area.geocodes->len, ==, 3);
	assert_geocode(event, 0, "WARNCELLID", "809162000");
	assert_geocode(event, 1, "AreaId", "161");
	assert_geocode(event, 2, "WARNCELLID", "109184000");

	/* the user's point inside the city's polygon is concerned; one far away is not */
	{
		g_autoptr(SrLocation) here = sr_location_new();
		here->has_point = TRUE;
		here->lat = 48.137;
		here->lon = 11.575;
		g_assert_true(sr_location_matches_area(here, &event->area));
		here->lat = 52.52;
		here->lon = 13.405;
		g_assert_false(sr_location_matches_area(here, &event->area));
	}
}

static void
test_mowas(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "warning_mowas.json");
	const SrEvent *event = only_event(batch);

	g_assert_cmpstr(event->id, ==, "nina:" MOWAS_ID);
	g_assert_cmpint(event->kind, ==, SR_KIND_FIRE);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_cmpint(event->status, ==, SR_STATUS_ACTUAL);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_SEVERE);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_IMMEDIATE);
	g_assert_cmpint(event->certainty, ==, SR_CERTAINTY_OBSERVED);
	/* no onset or effective: it starts when it was sent; no expiry */
	sr_test_assert_time(event->started_at, "2026-11-24T05:10:12Z");
	sr_test_assert_time(event->updated_at, "2026-11-24T05:10:12Z");
	sr_test_assert_time(event->expires_at, NULL);
	/* the locale is C: German, the language every NINA warning has */
	g_assert_cmpstr(event->language, ==, "de");
	g_assert_cmpstr(event->headline, ==, "Großbrand in München-Moosach: Rauchentwicklung");
	g_assert_cmpstr(event->description, ==,
	                "Bei einem Brand in einer Lagerhalle im Stadtteil Moosach entsteht "
	                "starker Rauch.\nDer Rauch zieht in Richtung \"Olympiapark\".");
	g_assert_cmpstr(event->instruction, ==,
	                "Halten Sie Fenster und Türen geschlossen.\nSchalten Sie Lüftungs- und "
	                "Klimaanlagen ab.\nMeiden Sie das Gebiet.");
	g_assert_null(event->web);
	g_assert_cmpstr(event->area.description, ==, "Stadt München, Landkreis München");
	g_assert_cmpuint(event->area.polygons->len, ==, 0);
	/* the published area id and the ARS the warning lists, what a user's location names */
	g_assert_cmpuint(event->area.geocodes->len, ==, 3);
	assert_geocode(event, 0, "AreaId", "0");
	assert_geocode(event, 1, "ARS", "091620000000");
	assert_geocode(event, 2, "ARS", "091840000000");
	{
		g_autoptr(SrLocation) here = sr_location_new();
		sr_location_add_geocode(here, "ARS", "091840000000");
		g_assert_true(sr_location_matches_area(here, &event->area));
	}
}

static void
test_languages(void)
{
	static const struct {
		const char *language;
		const char *tag;
		const char *headline;
		const char *area;
	} cases[] = {
	    {"en", "en", "Major fire in Munich-Moosach: smoke",
	     "City of Munich, District of Munich"},
	    {"EN", "en", "Major fire in Munich-Moosach: smoke",
	     "City of Munich, District of Munich"},
	    {"en-GB", "en", "Major fire in Munich-Moosach: smoke",
	     "City of Munich, District of Munich"},
	    {"de", "de", "Großbrand in München-Moosach: Rauchentwicklung",
	     "Stadt München, Landkreis München"},
	    {"de-AT", "de", "Großbrand in München-Moosach: Rauchentwicklung",
	     "Stadt München, Landkreis München"},
	    /* plain language (Leichte Sprache) when asked for */
	    {"de-LS", "de-LS", "Großes Feuer in München", "Stadt München, Landkreis München"},
	    /* a language the warning lacks: German */
	    {"fr", "de", "Großbrand in München-Moosach: Rauchentwicklung",
	     "Stadt München, Landkreis München"},
	    {"", "de", "Großbrand in München-Moosach: Rauchentwicklung",
	     "Stadt München, Landkreis München"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SrBatch) batch =
		    parse_fixture_in("warning_mowas.json", cases[i].language);
		const SrEvent *event = only_event(batch);
		g_assert_cmpstr(event->language, ==, cases[i].tag);
		g_assert_cmpstr(event->headline, ==, cases[i].headline);
		g_assert_cmpstr(event->area.description, ==, cases[i].area);
		/* one warning, whatever language it is read in */
		g_assert_cmpstr(event->id, ==, "nina:" MOWAS_ID);
		g_assert_cmpint(event->kind, ==, SR_KIND_FIRE);
		g_assert_cmpint(event->severity, ==, SR_SEVERITY_SEVERE);
		g_assert_cmpuint(event->area.geocodes->len, ==, 3);
	}
}

static void
test_locale(void)
{
	g_autofree char *saved = g_strdup(g_getenv("LANGUAGE"));

	/* no language asked for: the user's locale picks the block */
	g_setenv("LANGUAGE", "en_GB.UTF-8:de", TRUE);
	{
		g_autoptr(SrBatch) batch = parse_fixture_in("warning_mowas.json", NULL);
		const SrEvent *event = only_event(batch);
		g_assert_cmpstr(event->language, ==, "en");
		g_assert_cmpstr(event->headline, ==, "Major fire in Munich-Moosach: smoke");
	}
	/* a locale the warning has no block for: German */
	g_setenv("LANGUAGE", "pl_PL", TRUE);
	{
		g_autoptr(SrBatch) batch = parse_fixture_in("warning_mowas.json", NULL);
		g_assert_cmpstr(only_event(batch)->language, ==, "de");
	}
	if (saved != NULL)
		g_setenv("LANGUAGE", saved, TRUE);
	else
		g_unsetenv("LANGUAGE");
}

static void
test_first_language(void)
{
	/* neither asked for nor German: the first block */
	static const char body[] =
	    "{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"msgType\": "
	    "\"Alert\", \"status\": \"Actual\", \"info\": ["
	    "{\"language\": \"TR\", \"headline\": \"Büyük yangın\", \"category\": [\"Fire\"]},"
	    "{\"language\": \"PL\", \"headline\": \"Duży pożar\", \"category\": [\"Fire\"]},"
	    "{\"headline\": \"no language\"}]}";
	g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);
	const SrEvent *event = only_event(batch);
	g_assert_cmpstr(event->language, ==, "tr");
	g_assert_cmpstr(event->headline, ==, "Büyük yangın");
}

static void
test_cancel(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "warning_cancel.json");
	const SrEvent *event = only_event(batch);

	g_assert_cmpstr(event->id, ==, "nina:mow.DE-BY-M-SE083-20261124-83-002");
	g_assert_cmpint(event->phase, ==, SR_PHASE_CANCELLED);
	g_assert_false(sr_event_is_active(event));
	g_assert_cmpint(event->kind, ==, SR_KIND_FIRE);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_MINOR);
	/* it ends when the cancellation was sent */
	sr_test_assert_time(event->ended_at, "2026-11-24T08:45:00Z");
	sr_test_assert_time(event->updated_at, "2026-11-24T08:45:00Z");
	sr_test_assert_time(event->expires_at, "2026-11-24T14:45:00Z");
	g_assert_cmpuint(event->references->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(event->references, 0), ==,
	                "nina:mow.DE-BY-M-SE083-20261124-83-001");
	g_assert_cmpstr(event->headline, ==, "Entwarnung: Großbrand in München-Moosach");
	g_assert_cmpstr(event->description, ==,
	                "Dies ist die Entwarnung zur Warnung \"Großbrand in München-Moosach\". "
	                "Der Brand ist gelöscht.\n\nEs besteht keine Gefahr mehr.");
	g_assert_cmpuint(event->area.geocodes->len, ==, 2);
	assert_geocode(event, 1, "ARS", "091620000000");
}

static void
test_update(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "warning_update.json");
	const SrEvent *event = only_event(batch);

	g_assert_cmpstr(event->id, ==,
	                "nina:dwdmap.2.49.0.0.276.0.DWD.PVW.1795503600000.9a8b7c6d-5e4f-4a3b-"
	                "8c2d-1e0f9a8b7c6d.MUL");
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_cmpint(event->kind, ==, SR_KIND_WEATHER);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_SEVERE);
	sr_test_assert_time(event->started_at, "2026-11-24T07:00:00Z");
	sr_test_assert_time(event->expires_at, "2026-11-24T22:00:00Z");
	sr_test_assert_time(event->ended_at, NULL);
	/* oldest first; the triplet wrapped after its comma is whole; itself is not listed */
	g_assert_cmpuint(event->references->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(event->references, 0), ==,
	                "nina:dwdmap.2.49.0.0.276.0.DWD.PVW.1795494600000.1a1a1a1a-0000-4000-8000-"
	                "000000000001.MUL");
	g_assert_cmpstr(g_ptr_array_index(event->references, 1), ==,
	                "nina:dwdmap.2.49.0.0.276.0.DWD.PVW.1795496400000.2b2b2b2b-0000-4000-8000-"
	                "000000000002.MUL");
	/* line breaks in any spelling, the basic entities decoded once; other markup stays */
	g_assert_cmpstr(event->description, ==,
	                "Es treten orkanartige Böen zwischen 100 km/h und 115 km/h auf.\n"
	                "Gefahr durch <herabstürzende> Äste & Dachziegel.\n"
	                "Stichwort: 'Orkan', nicht &quot;Sturm&quot;.");
	g_assert_cmpstr(event->instruction, ==, "<b>ACHTUNG!</b> Bleiben Sie im Haus.\n");
	g_assert_cmpstr(event->web, ==, "https://www.wettergefahren.de/warnungen/?a=1&b=2");
	g_assert_cmpuint(event->area.polygons->len, ==, 1);
}

static void
test_references(void)
{
	static const struct {
		const char *references;
		const char *expected; /* ids without "nina:", space-separated */
	} cases[] = {
	    {"", ""},
	    {"   ", ""},
	    {"s,a.1,2026-11-24T06:00:00+01:00", "a.1"},
	    /* sorted by when they were sent, offsets honoured */
	    {"s,a.2,2026-11-24T06:00:00+01:00 s,a.1,2026-11-24T04:59:00-00:00", "a.1 a.2"},
	    /* wrapped after a comma, twice */
	    {"s,\na.1,\n2026-11-24T06:00:00+01:00", "a.1"},
	    /* or before one */
	    {"s\n,a.1\n,2026-11-24T06:00:00+01:00 s,a.2,2026-11-24T06:01:00+01:00", "a.1 a.2"},
	    /* repeated, itself, not triplets, no identifier */
	    {"s,a.1,2026-11-24T06:00:00+01:00 s,a.1,2026-11-24T06:00:00+01:00 "
	     "s,x.self,2026-11-24T06:00:00+01:00 garbage s,a.2 s,,2026-11-24T06:00:00+01:00 "
	     ",a.3,2026-11-24T06:00:00+01:00 a,b,c,d",
	     "a.1"},
	    /* a time that cannot be read sorts first, the order of the rest is kept */
	    {"s,a.3,2026-11-24T07:00:00+01:00 s,a.2,soon s,a.1,2026-11-24T06:00:00+01:00",
	     "a.2 a.1 a.3"},
	    /* CAP 1.0 style and other oddities are kept as identifiers */
	    {"s,id/1,2026-11-24T06:00:00+01:00 s,id:2,2026-11-24T06:01:00+01:00", "id/1 id:2"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *body = NULL;
		g_autoptr(SrBatch) batch = NULL;
		g_auto(GStrv) expected = g_strsplit(cases[i].expected, " ", -1);
		g_autoptr(cJSON) refs = cJSON_CreateString(cases[i].references);
		g_autofree char *json = cJSON_PrintUnformatted(refs);
		const SrEvent *event = NULL;
		guint n = 0;

		body = g_strdup_printf("{\"identifier\": \"x.self\", \"sent\": "
		                       "\"2026-11-24T08:00:00+01:00\", \"msgType\": \"Update\", "
		                       "\"references\": %s, \"info\": []}",
		                       json);
		batch = sr_test_parse_ok(&parser, body, -1);
		event = only_event(batch);
		for (guint j = 0; expected[j] != NULL; j++) {
			g_autofree char *id = NULL;
			if (expected[j][0] == '\0')
				continue;
			id = g_strconcat("nina:", expected[j], NULL);
			g_assert_cmpuint(n, <, event->references->len);
			g_assert_cmpstr(g_ptr_array_index(event->references, n), ==, id);
			n++;
		}
		g_assert_cmpuint(event->references->len, ==, n);
	}
	/* what is not a triplet is left out (and logged once by the CAP reader, whose own test
	 * checks the message) */
}

static void
test_text(void)
{
	static const struct {
		const char *published;
		const char *shown;
	} cases[] = {
	    {"a<br/>b", "a\nb"},
	    {"a<br>b", "a\nb"},
	    {"a<BR />b", "a\nb"},
	    {"a<br  />b<Br>c", "a\nb\nc"},
	    {"<br/><br/>", "\n\n"},
	    /* not line breaks */
	    {"a<brx>b", "a<brx>b"},
	    {"a<br/b", "a<br/b"},
	    {"a<b>b</b>", "a<b>b</b>"},
	    {"<p>x</p>", "<p>x</p>"},
	    {"&amp;&lt;&gt;&quot;&#39;&apos;", "&<>\"''"},
	    /* decoded once */
	    {"&amp;quot;", "&quot;"},
	    {"&amp;lt;br/&amp;gt;", "&lt;br/&gt;"},
	    {"&lt;br/&gt;", "<br/>"},
	    /* entities beyond the basic ones stay as published */
	    {"&nbsp;&#x27;&#8364;&euro;", "&nbsp;&#x27;&#8364;&euro;"},
	    {"&amp", "&amp"},
	    {"&", "&"},
	    {"<", "<"},
	    {"a & b < c", "a & b < c"},
	    {"ÄÖÜß äöü", "ÄÖÜß äöü"},
	    {"\\u00e9", "\\u00e9"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(cJSON) text = cJSON_CreateString(cases[i].published);
		g_autofree char *json = cJSON_PrintUnformatted(text);
		g_autofree char *body = g_strdup_printf(
		    "{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": "
		    "[{\"headline\": %s, \"description\": %s, \"instruction\": %s, \"area\": "
		    "[{\"areaDesc\": %s}]}]}",
		    json, json, json, json);
		g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);
		const SrEvent *event = only_event(batch);
		g_assert_cmpstr(event->headline, ==, cases[i].shown);
		g_assert_cmpstr(event->description, ==, cases[i].shown);
		g_assert_cmpstr(event->instruction, ==, cases[i].shown);
		g_assert_cmpstr(event->area.description, ==, cases[i].shown);
	}
}

static void
test_lenient_values(void)
{
	/* values CAP does not define are kept as unknown (and logged once); bytes that are not
	 * UTF-8 are replaced; a missing headline is the event name; a status CAP does not know
	 * is read as Actual rather than hide a warning */
	static const char body[] =
	    "{\"identifier\": \"mow.\xff\", \"sent\": \"2026-11-24T06:00:00Z\", \"status\": "
	    "\"Real\", \"msgType\": \"Notice\", \"scope\": \"Public\", \"future\": {\"a\": [1]}, "
	    "\"info\": [{\"language\": \"DE\", \"category\": \"Met\", \"event\": \"Glätte\", "
	    "\"severity\": \"Catastrophic\", \"urgency\": \"Now\", \"certainty\": \"Sure\", "
	    "\"headline\": \"\", \"description\": \"\xfe text\", \"responseType\": \"Prepare\", "
	    "\"area\": [{\"areaDesc\": \"Stadt München\", \"polygon\": [\"\", \" \"], "
	    "\"geocode\": [{\"valueName\": \"AreaId\"}, {\"value\": \"1\"}, {\"valueName\": "
	    "\"ARS\", \"value\": \"091620000000\"}, {\"valueName\": \"ARS\", \"value\": "
	    "\"091620000000\"}]}], \"parameter\": [{\"valueName\": \"warnVerwaltungsbereiche\", "
	    "\"value\": \"091620000000, 09162,,abc \"}, {\"valueName\": 5, \"value\": []}]}]}";

	for (guint round = 0; round < 2; round++) {
		g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);
		const SrEvent *event = only_event(batch);
		g_assert_true(g_utf8_validate(event->id, -1, NULL));
		g_assert_true(g_str_has_prefix(event->id, "nina:mow."));
		g_assert_cmpint(event->status, ==, SR_STATUS_ACTUAL);
		g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
		g_assert_cmpint(event->severity, ==, SR_SEVERITY_UNKNOWN);
		g_assert_cmpint(event->urgency, ==, SR_URGENCY_UNKNOWN);
		g_assert_cmpint(event->certainty, ==, SR_CERTAINTY_UNKNOWN);
		g_assert_cmpint(event->kind, ==, SR_KIND_WEATHER);
		g_assert_cmpstr(event->headline, ==, "Glätte");
		g_assert_true(g_utf8_validate(event->description, -1, NULL));
		g_assert_true(g_str_has_suffix(event->description, " text"));
		g_assert_cmpuint(event->area.polygons->len, ==, 0);
		/* each geocode once, whole ones only */
		g_assert_cmpuint(event->area.geocodes->len, ==, 1);
		assert_geocode(event, 0, "ARS", "091620000000");
	}
	g_assert_cmpuint(sr_test_count_messages("'Catastrophic'"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("'Now'"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("'Sure'"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("'Real'"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("'Notice'"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("'09162'"), ==, 1);
}

static void
test_statuses(void)
{
	static const struct {
		const char *status;
		const char *msg_type;
		const char *response;
		SrStatus expected;
		SrPhase phase;
	} cases[] = {
	    {"Actual", "Alert", "Shelter", SR_STATUS_ACTUAL, SR_PHASE_ACTIVE},
	    {"actual", "alert", "None", SR_STATUS_ACTUAL, SR_PHASE_ACTIVE},
	    {"Exercise", "Alert", "Monitor", SR_STATUS_EXERCISE, SR_PHASE_ACTIVE},
	    {"Test", "Update", "Prepare", SR_STATUS_TEST, SR_PHASE_ACTIVE},
	    {"System", "Alert", "None", SR_STATUS_TEST, SR_PHASE_ACTIVE},
	    {"Draft", "Alert", "None", SR_STATUS_TEST, SR_PHASE_ACTIVE},
	    /* an all-clear ends the warning; a cancellation cancels it */
	    {"Actual", "Update", "AllClear", SR_STATUS_ACTUAL, SR_PHASE_ENDED},
	    {"Actual", "Cancel", "None", SR_STATUS_ACTUAL, SR_PHASE_CANCELLED},
	    {"Actual", "CANCEL", "AllClear", SR_STATUS_ACTUAL, SR_PHASE_CANCELLED},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *body = g_strdup_printf(
		    "{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", "
		    "\"status\": \"%s\", \"msgType\": \"%s\", \"info\": [{\"responseType\": "
		    "[\"%s\"], \"category\": [\"Safety\"]}]}",
		    cases[i].status, cases[i].msg_type, cases[i].response);
		g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);
		const SrEvent *event = only_event(batch);
		g_assert_cmpint(event->status, ==, cases[i].expected);
		g_assert_cmpint(event->phase, ==, cases[i].phase);
		if (cases[i].phase == SR_PHASE_ACTIVE)
			sr_test_assert_time(event->ended_at, NULL);
		else
			sr_test_assert_time(event->ended_at, "2026-11-24T05:00:00Z");
	}
}

static void
test_ack_error(void)
{
	static const char *const types[] = {"Ack", "Error", "ack"};
	for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
		g_autofree char *body = g_strdup_printf(
		    "{\"identifier\": \"x.2\", \"sent\": \"2026-11-24T06:00:00+01:00\", "
		    "\"msgType\": \"%s\", \"references\": \"s,x.1,2026-11-24T05:00:00+01:00\"}",
		    types[i]);
		g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);
		/* about a message, not a hazard: nothing to show, nothing wrong */
		g_assert_cmpuint(batch->events->len, ==, 0);
	}
}

static void
test_no_info(void)
{
	static const char *const bodies[] = {
	    "{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\"}",
	    "{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": []}",
	    "{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": null}",
	};
	for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
		g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, bodies[i], -1);
		const SrEvent *event = only_event(batch);
		/* a warning without details is still a warning */
		g_assert_cmpstr(event->id, ==, "nina:x.1");
		g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
		g_assert_cmpint(event->status, ==, SR_STATUS_ACTUAL);
		g_assert_cmpint(event->kind, ==, SR_KIND_OTHER);
		g_assert_cmpint(event->severity, ==, SR_SEVERITY_UNKNOWN);
		g_assert_null(event->headline);
		sr_test_assert_time(event->started_at, "2026-11-24T05:00:00Z");
	}
}

static void
test_geography_fallback(void)
{
	/* the English block says nothing of where, nor of what in words a kind is known by:
	 * the German block's areas and kind stand */
	static const char body[] =
	    "{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": ["
	    "{\"language\": \"DE\", \"event\": \"Hochwasser\", \"headline\": \"Hochwasser an "
	    "der Isar\", \"area\": [{\"areaDesc\": \"Isar\", \"polygon\": [\"11.5,48.1 11.6,48.1 "
	    "11.6,48.2\"]}]},"
	    "{\"language\": \"EN\", \"event\": \"Warning\", \"headline\": \"High water on the "
	    "Isar\", \"area\": []}]}";
	SrParseContext ctx = sr_test_parser_context(&parser);
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	const SrEvent *event = NULL;

	ctx.language = "en";
	batch = sr_source_nina_parse(body, strlen(body), &ctx, &error);
	g_assert_no_error(error);
	event = only_event(batch);
	g_assert_cmpstr(event->headline, ==, "High water on the Isar");
	g_assert_cmpint(event->kind, ==, SR_KIND_FLOOD);
	g_assert_cmpstr(event->area.description, ==, "Isar");
	g_assert_cmpuint(event->area.polygons->len, ==, 1);
}

static void
test_polygons(void)
{
	static const struct {
		const char *polygon;
		guint n_points; /* of the closed ring; 0: left out */
	} cases[] = {
	    {"11.5,48.1 11.6,48.1 11.6,48.2", 4},
	    {"11.5,48.1 11.6,48.1 11.6,48.2 11.5,48.1", 4},
	    {"  11.5,48.1\t11.6,48.1\n11.6,48.2  ", 4},
	    {"-1.0,-1.0 11.5,48.1 -1,-1 11.6,48.1 11.6,48.2 -1.0,-1.0", 4},
	    {"11.5,48.1 11.6,48.1", 0},
	    {"-1.0,-1.0 -1.0,-1.0 -1.0,-1.0 -1.0,-1.0", 0},
	    {"", 0},
	    /* out of range points are left out; what is left still makes a ring */
	    {"11.5,48.1 11.6,48.1 200,48.1 11.6,48.2", 4},
	    {"11.5,95 11.6,96 11.6,97", 0},
	    {"1e1,4.8e1 1.1e1,48 11,4.9e1", 4},
	};
	static const char *const bad[] = {
	    "11.5;48.1 11.6,48.1 11.6,48.2",
	    "11.5,48.1,3 11.6,48.1 11.6,48.2",
	    "11.5, 48.1 11.6,48.1 11.6,48.2",
	    "11.5,48.1 ,48.1 11.6,48.2",
	    "(11.5,48.1) 11.6,48.1 11.6,48.2",
	    "nan,48.1 11.6,48.1 11.6,48.2",
	    "11.5,inf 11.6,48.1 11.6,48.2",
	    "11.5,1e999 11.6,48.1 11.6,48.2",
	    "x,y",
	    "11.5",
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *body = g_strdup_printf(
		    "{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": "
		    "[{\"area\": [{\"areaDesc\": \"A\", \"polygon\": [\"%s\"]}]}]}",
		    cases[i].polygon);
		g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);
		const SrEvent *event = only_event(batch);
		if (cases[i].n_points == 0) {
			g_assert_cmpuint(event->area.polygons->len, ==, 0);
		} else {
			GArray *ring = NULL;
			g_assert_cmpuint(event->area.polygons->len, ==, 1);
			ring = g_ptr_array_index(event->area.polygons, 0);
			g_assert_cmpuint(ring->len, ==, cases[i].n_points);
		}
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *body = g_strdup_printf(
		    "{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": "
		    "[{\"area\": [{\"areaDesc\": \"A\", \"polygon\": [\"11.5,48.1 11.6,48.1 "
		    "11.6,48.2\", \"%s\"]}]}]}",
		    bad[i]);
		sr_test_assert_parse_error(&parser, body, -1,
		                           "info 0 area 0 polygon 1: a polygon point is not");
	}
}

static void
test_bad_fixtures(void)
{
	static const struct {
		const char *name;
		const char *fragment;
	} cases[] = {
	    {"bad_info_object.json", "warning: 'info' is not an array"},
	    {"bad_polygon.json", "info 0 area 0 polygon 0: a polygon point is not 'lon,lat': "
	                         "'11.72;48.06'"},
	    {"dashboard.json", "not a JSON object"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		gsize len = 0;
		g_autofree char *body = sr_test_read_fixture("nina", cases[i].name, &len);
		sr_test_assert_parse_error(&parser, body, (gssize)len, cases[i].fragment);
	}
	/* and a warning is no dashboard */
	{
		gsize len = 0;
		g_autofree char *body = sr_test_read_fixture("nina", "warning_dwd.json", &len);
		sr_test_assert_parse_error(&dashboard_parser, body, (gssize)len,
		                           "not a JSON array");
	}
}

/* a warning with one member replaced: @member_json is `"name": value`, or empty to drop it;
 * @info_json likewise for a member of its info block */
static char *
warning_body(const char *replace, const char *member_json)
{
	const char *members[][2] = {
	    {"identifier", "\"identifier\": \"mow.X-1\""},
	    {"sender", "\"sender\": \"DE-X\""},
	    {"sent", "\"sent\": \"2026-11-24T06:00:00+01:00\""},
	    {"status", "\"status\": \"Actual\""},
	    {"msgType", "\"msgType\": \"Alert\""},
	    {"references", "\"references\": \"DE-X,mow.X-0,2026-11-24T05:00:00+01:00\""},
	    {"language", "\"language\": \"DE\""},
	    {"event", "\"event\": \"Großbrand\""},
	    {"headline", "\"headline\": \"Großbrand\""},
	    {"description", "\"description\": \"Rauch\""},
	    {"instruction", "\"instruction\": \"Fenster zu\""},
	    {"web", "\"web\": \"https://warnung.bund.de\""},
	    {"severity", "\"severity\": \"Severe\""},
	    {"urgency", "\"urgency\": \"Immediate\""},
	    {"certainty", "\"certainty\": \"Observed\""},
	    {"effective", "\"effective\": \"2026-11-24T06:00:00+01:00\""},
	    {"onset", "\"onset\": \"2026-11-24T06:00:00+01:00\""},
	    {"expires", "\"expires\": \"2026-11-24T12:00:00+01:00\""},
	    {"parameter", "\"parameter\": [{\"valueName\": \"warnVerwaltungsbereiche\", "
	                  "\"value\": \"091620000000\"}]"},
	    {"area", "\"area\": [{\"areaDesc\": \"München\", \"polygon\": [\"11.5,48.1 "
	             "11.6,48.1 11.6,48.2\"], \"geocode\": [{\"valueName\": \"AreaId\", "
	             "\"value\": \"0\"}]}]"},
	};
	g_autoptr(GString) str = g_string_new("{");
	gboolean first = TRUE;
	for (guint i = 0; i < G_N_ELEMENTS(members); i++) {
		const char *text =
		    g_strcmp0(members[i][0], replace) == 0 ? member_json : members[i][1];
		if (g_strcmp0(members[i][0], "language") == 0) {
			g_string_append(str, ", \"info\": [{");
			first = TRUE;
		}
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
	    {"[]", "not a JSON object"},
	    {"[{\"identifier\": \"x\"}]", "not a JSON object"},
	    {"{}", "no 'identifier'"},
	    {"{\"sent\": \"2026-11-24T06:00:00+01:00\"}", "no 'identifier'"},
	    {"{\"identifier\": \"x.1\"}", "no 'sent'"},
	    {"{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": [1]}",
	     "info 0 is not an object"},
	    {"{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": [{}, "
	     "null]}",
	     "info 1 is not an object"},
	    {"{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": "
	     "\"DE\"}",
	     "'info' is not an array"},
	    {"{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": [{"
	     "\"area\": [1]}]}",
	     "info 0 area 0 is not an object"},
	    {"{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": [{"
	     "\"area\": {}}]}",
	     "info 0: 'area' is not an array"},
	    {"{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": [{"
	     "\"area\": [{\"polygon\": \"11.5,48.1 11.6,48.1 11.6,48.2\"}]}]}",
	     "info 0 area 0: 'polygon' is not an array"},
	    {"{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": [{"
	     "\"area\": [{\"polygon\": [[11.5, 48.1]]}]}]}",
	     "info 0 area 0 polygon 0 is not a string"},
	    {"{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": [{"
	     "\"area\": [{\"geocode\": {}}]}]}",
	     "info 0 area 0: 'geocode' is not an array"},
	    {"{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": [{"
	     "\"area\": [{\"geocode\": [\"ARS\"]}]}]}",
	     "info 0 area 0 geocode 0 is not an object"},
	    {"{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": [{"
	     "\"area\": [{\"areaDesc\": 5}]}]}",
	     "info 0 area 0: 'areaDesc' is not a string"},
	    {"{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": [{"
	     "\"parameter\": [null]}]}",
	     "info 0 parameter 0 is not an object"},
	    /* the chosen block's geography comes from another block, which is read as strictly */
	    {"{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", \"info\": ["
	     "{\"language\": \"DE\"}, {\"language\": \"EN\", \"area\": [{\"polygon\": [1]}]}]}",
	     "info 1 area 0 polygon 0 is not a string"},
	};
	static const struct {
		const char *member;
		const char *json;
		const char *fragment;
	} members[] = {
	    {"identifier", "", "no 'identifier'"},
	    {"identifier", "\"identifier\": null", "no 'identifier'"},
	    {"identifier", "\"identifier\": \"\"", "no 'identifier'"},
	    {"identifier", "\"identifier\": 5", "'identifier' is not a string"},
	    {"identifier", "\"identifier\": [\"x\"]", "'identifier' is not a string"},
	    {"sent", "", "no 'sent'"},
	    {"sent", "\"sent\": null", "no 'sent'"},
	    {"sent", "\"sent\": \"\"", "no 'sent'"},
	    {"sent", "\"sent\": 1795500000", "'sent' is not a string"},
	    {"sent", "\"sent\": \"yesterday\"", "'sent' is not a time: 'yesterday'"},
	    {"sent", "\"sent\": \"2026-11-24 06:00:00\"", "'sent' is not a time"},
	    /* a time without its offset is in no known zone */
	    {"sent", "\"sent\": \"2026-11-24T06:00:00\"", "'sent' is not a time"},
	    {"sent", "\"sent\": \"2026-13-45T06:00:00+01:00\"", "'sent' is not a time"},
	    {"status", "\"status\": 1", "'status' is not a string"},
	    {"msgType", "\"msgType\": {}", "'msgType' is not a string"},
	    {"references", "\"references\": [\"DE-X,mow.X-0,2026-11-24T05:00:00+01:00\"]",
	     "'references' is not a string"},
	    {"language", "\"language\": 7", "info 0: 'language' is not a string"},
	    {"event", "\"event\": true", "info 0: 'event' is not a string"},
	    {"headline", "\"headline\": {\"de\": \"x\"}", "info 0: 'headline' is not a string"},
	    {"description", "\"description\": []", "info 0: 'description' is not a string"},
	    {"instruction", "\"instruction\": 0", "info 0: 'instruction' is not a string"},
	    {"web", "\"web\": false", "info 0: 'web' is not a string"},
	    {"severity", "\"severity\": 3", "info 0: 'severity' is not a string"},
	    {"urgency", "\"urgency\": []", "info 0: 'urgency' is not a string"},
	    {"certainty", "\"certainty\": {}", "info 0: 'certainty' is not a string"},
	    {"effective", "\"effective\": \"now\"", "info 0: 'effective' is not a time"},
	    {"onset", "\"onset\": 5", "info 0: 'onset' is not a string"},
	    {"expires", "\"expires\": \"2026-11-24T12:00\"", "info 0: 'expires' is not a time"},
	    {"expires", "\"expires\": \"2026-11-24T12:00:00\"", "info 0: 'expires' is not a time"},
	    {"parameter", "\"parameter\": {}", "info 0: 'parameter' is not an array"},
	    {"area", "\"area\": \"München\"", "info 0: 'area' is not an array"},
	};

	/* no body, white space, not JSON, truncated, a scalar */
	sr_test_assert_rejects_malformed(&parser);
	sr_test_assert_rejects_control_bytes(&parser);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		sr_test_assert_parse_error(&parser, cases[i].body, -1, cases[i].fragment);
	for (guint i = 0; i < G_N_ELEMENTS(members); i++) {
		g_autofree char *body = warning_body(members[i].member, members[i].json);
		sr_test_assert_parse_error(&parser, body, -1, members[i].fragment);
	}
	/* the template itself is fine */
	{
		g_autofree char *body = warning_body(NULL, NULL);
		g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);
		const SrEvent *event = only_event(batch);
		g_assert_cmpstr(event->id, ==, "nina:mow.X-1");
		g_assert_cmpuint(event->references->len, ==, 1);
		g_assert_cmpuint(event->area.polygons->len, ==, 1);
		g_assert_cmpuint(event->area.geocodes->len, ==, 2);
		/* and null is as good as absent for what may be left out */
		for (guint i = 0; i < G_N_ELEMENTS(members); i++) {
			g_autofree char *json = NULL;
			g_autofree char *nulled = NULL;
			g_autoptr(SrBatch) other = NULL;
			if (g_strcmp0(members[i].member, "identifier") == 0 ||
			    g_strcmp0(members[i].member, "sent") == 0)
				continue;
			json = g_strdup_printf("\"%s\": null", members[i].member);
			nulled = warning_body(members[i].member, json);
			other = sr_test_parse_ok(&parser, nulled, -1);
			g_assert_cmpuint(other->events->len, ==, 1);
		}
	}
}

static void
test_deep_nesting(void)
{
	g_autoptr(GString) inner =
	    g_string_new("{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", "
	                 "\"info\": [");

	sr_test_assert_rejects_deep_nesting(&parser);
	/* deep, but inside a valid envelope */
	for (guint i = 0; i < 5000; i++)
		g_string_append_c(inner, '[');
	sr_test_assert_parse_error(&parser, inner->str, -1, "not JSON");
}

static void
test_huge(void)
{
	g_autoptr(GString) str =
	    g_string_new("{\"identifier\": \"x.1\", \"sent\": \"2026-11-24T06:00:00+01:00\", "
	                 "\"info\": [");
	g_autoptr(SrBatch) batch = NULL;
	const SrEvent *event = NULL;
	const guint n_infos = 40;
	const guint n_points = 20000;

	/* many languages of one warning, each with a polygon of many points */
	for (guint i = 0; i < n_infos; i++) {
		g_string_append_printf(str,
		                       "%s{\"language\": \"X%u\", \"category\": [\"Met\"], "
		                       "\"headline\": \"Block %u\", \"area\": [{\"areaDesc\": "
		                       "\"Gebiet\", \"polygon\": [\"",
		                       i == 0 ? "" : ",", i, i);
		for (guint j = 0; j < n_points; j++)
			g_string_append_printf(str, "%s%.5f,%.5f", j == 0 ? "" : " ",
			                       11.0 + (double)j / n_points,
			                       48.0 + (double)(j % 2) / 10.0);
		g_string_append(str, "\"]}]}");
	}
	g_string_append(str, "]}");
	g_assert_cmpuint(str->len, >, 4 * 1024 * 1024);

	batch = sr_test_parse_large(&parser, str->str, str->len);
	event = only_event(batch);
	/* the first block: none is in the language asked for (the locale, then German) */
	g_assert_cmpstr(event->headline, ==, "Block 0");
	g_assert_cmpuint(event->area.polygons->len, ==, 1);
	g_assert_cmpuint(((GArray *)g_ptr_array_index(event->area.polygons, 0))->len, ==,
	                 n_points + 1);
}

static void
test_many(void)
{
	g_autoptr(GString) str =
	    g_string_new("{\"identifier\": \"x.self\", \"sent\": \"2026-11-24T23:00:00Z\", "
	                 "\"msgType\": \"Update\", \"references\": \"");
	g_autoptr(SrBatch) batch = NULL;
	const SrEvent *event = NULL;
	const guint n_references = 3000;
	const guint n_codes = 100000;
	const guint n_areas = 20000;

	/* a great many references, each twice, newest first: the 256 newest are kept */
	for (guint i = 0; i < 2 * n_references; i++) {
		guint k = n_references - 1 - i % n_references;
		g_autofree char *sent = sr_time_to_rfc3339(1795478400 + (gint64)k * 10);
		g_string_append_printf(str, "%sDE-X,mow.X-%u,%s", i == 0 ? "" : " ", k, sent);
	}
	/* a great many ARS and areas, each twice */
	g_string_append(str, "\", \"info\": [{\"parameter\": [{\"valueName\": "
	                     "\"warnVerwaltungsbereiche\", \"value\": \"");
	for (guint i = 0; i < 2 * n_codes; i++)
		g_string_append_printf(str, "%s%012u", i == 0 ? "" : ",", 10000000 + i % n_codes);
	g_string_append(str, "\"}], \"area\": [");
	for (guint i = 0; i < 2 * n_areas; i++)
		g_string_append_printf(str,
		                       "%s{\"areaDesc\": \"Gemeinde %u\", \"geocode\": "
		                       "[{\"valueName\": \"AreaId\", \"value\": \"%u\"}]}",
		                       i == 0 ? "" : ",", i % n_areas, i % n_areas);
	g_string_append(str, "]}]}");

	batch = sr_test_parse_large(&parser, str->str, str->len);
	event = only_event(batch);
	g_assert_cmpuint(event->references->len, ==, 256);
	g_assert_cmpstr(g_ptr_array_index(event->references, 0), ==, "nina:mow.X-2744");
	g_assert_cmpstr(g_ptr_array_index(event->references, 255), ==, "nina:mow.X-2999");
	g_assert_cmpuint(event->area.geocodes->len, ==, n_areas + n_codes);
	assert_geocode(event, 0, "AreaId", "0");
	assert_geocode(event, n_areas, "ARS", "000010000000");
	g_assert_true(g_str_has_prefix(event->area.description, "Gemeinde 0, Gemeinde 1, "));
	g_assert_true(g_str_has_suffix(event->area.description, ", Gemeinde 19999"));
}

static void
test_source_name(void)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture("nina", "warning_cancel.json", &len);
	SrParseContext ctx = sr_test_parser_context(&parser);
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	const SrEvent *event = NULL;

	/* ids carry the instance name, not the type; references too */
	ctx.source_name = "nina-muc";
	ctx.catalog = NULL;
	batch = sr_source_nina_parse(body, len, &ctx, &error);
	g_assert_no_error(error);
	event = only_event(batch);
	g_assert_cmpstr(event->id, ==, "nina-muc:mow.DE-BY-M-SE083-20261124-83-002");
	g_assert_cmpstr(event->source, ==, "nina-muc");
	g_assert_cmpstr(g_ptr_array_index(event->references, 0), ==,
	                "nina-muc:mow.DE-BY-M-SE083-20261124-83-001");
}

static void
test_round_trip(void)
{
	static const char *const fixtures[] = {"warning_dwd.json", "warning_mowas.json",
	                                       "warning_cancel.json", "warning_update.json"};
	for (guint i = 0; i < G_N_ELEMENTS(fixtures); i++) {
		g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, fixtures[i]);
		sr_test_assert_round_trip(batch);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	sr_test_capture_messages(SOURCE_DOMAIN);

	g_test_add_func("/sr/source/nina/ops", test_ops);
	g_test_add_func("/sr/source/nina/request", test_request);
	g_test_add_func("/sr/source/nina/request-ars", test_request_ars);
	g_test_add_func("/sr/source/nina/dashboard", test_dashboard);
	g_test_add_func("/sr/source/nina/dashboard-empty", test_dashboard_empty);
	g_test_add_func("/sr/source/nina/dashboard-items", test_dashboard_items);
	g_test_add_func("/sr/source/nina/dashboard-bad-input", test_dashboard_bad_input);
	g_test_add_func("/sr/source/nina/dashboard-huge", test_dashboard_huge);
	g_test_add_func("/sr/source/nina/dwd", test_dwd);
	g_test_add_func("/sr/source/nina/mowas", test_mowas);
	g_test_add_func("/sr/source/nina/languages", test_languages);
	g_test_add_func("/sr/source/nina/locale", test_locale);
	g_test_add_func("/sr/source/nina/first-language", test_first_language);
	g_test_add_func("/sr/source/nina/cancel", test_cancel);
	g_test_add_func("/sr/source/nina/update", test_update);
	g_test_add_func("/sr/source/nina/references", test_references);
	g_test_add_func("/sr/source/nina/text", test_text);
	g_test_add_func("/sr/source/nina/lenient-values", test_lenient_values);
	g_test_add_func("/sr/source/nina/statuses", test_statuses);
	g_test_add_func("/sr/source/nina/ack-error", test_ack_error);
	g_test_add_func("/sr/source/nina/no-info", test_no_info);
	g_test_add_func("/sr/source/nina/geography-fallback", test_geography_fallback);
	g_test_add_func("/sr/source/nina/polygons", test_polygons);
	g_test_add_func("/sr/source/nina/bad-fixtures", test_bad_fixtures);
	g_test_add_func("/sr/source/nina/bad-input", test_bad_input);
	g_test_add_func("/sr/source/nina/deep-nesting", test_deep_nesting);
	g_test_add_func("/sr/source/nina/huge", test_huge);
	g_test_add_func("/sr/source/nina/many", test_many);
	g_test_add_func("/sr/source/nina/source-name", test_source_name);
	g_test_add_func("/sr/source/nina/round-trip", test_round_trip);

	return g_test_run();
}
