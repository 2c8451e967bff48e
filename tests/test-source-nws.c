/* test-source-nws.c - the NWS source: request, parser, hostile bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-source-nws"

#include "config.h"

#include <string.h>

#include "sirena/error.h"
#include "sources/sr-sources-private.h"
#include "sr-test-util.h"

#define SOURCE_DOMAIN "sr-source-nws"

#define ID_TORNADO    "urn:oid:2.49.0.1.840.0.5a1c9e0f3b7d24c86e91a0b2c3d4e5f607182930.001.1"
#define ID_WIND       "urn:oid:2.49.0.1.840.0.0b7e2f91c4a3d8e6f5a4b3c2d1e0f9a8b7c6d5e4.001.1"
#define ID_FLOOD      "urn:oid:2.49.0.1.840.0.9c8d7e6f5a4b3c2d1e0f1a2b3c4d5e6f7a8b9c0d.003.1"
#define ID_FLOOD_1    "urn:oid:2.49.0.1.840.0.9c8d7e6f5a4b3c2d1e0f1a2b3c4d5e6f7a8b9c0d.001.1"
#define ID_FLOOD_2    "urn:oid:2.49.0.1.840.0.9c8d7e6f5a4b3c2d1e0f1a2b3c4d5e6f7a8b9c0d.002.1"
#define ID_CANCEL     "urn:oid:2.49.0.1.840.0.3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f.002.1"
#define ID_SEVERE     "urn:oid:2.49.0.1.840.0.3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f.001.1"
#define ID_TEST       "urn:oid:2.49.0.1.840.0.7f6e5d4c3b2a1908f7e6d5c4b3a2918070605040.001.1"
#define ID_HEAT       "urn:oid:2.49.0.1.840.0.a1b2c3d4e5f60718293a4b5c6d7e8f9001122334.001.1"
#define ID_TSUNAMI    "urn:oid:2.49.0.1.840.0.f0e1d2c3b4a5968778695a4b3c2d1e0f1a2b3c4d.004.1"
#define ID_TSUNAMI3   "urn:oid:2.49.0.1.840.0.f0e1d2c3b4a5968778695a4b3c2d1e0f1a2b3c4d.003.1"

static const SrTestParser parser = {
    .parse = sr_source_nws_parse,
    .source_name = "nws",
    .now = 1776207000,
    .fixtures = "nws",
    .root_error = "not a JSON object",
};

static const char *
geocode_value(const SrEvent *event, guint index, const char *name)
{
	const SrGeocode *geocode = NULL;
	g_assert_cmpuint(index, <, event->area.geocodes->len);
	geocode = g_ptr_array_index(event->area.geocodes, index);
	g_assert_cmpstr(geocode->name, ==, name);
	return geocode->value;
}

static const SrPoint *
polygon_point(const SrEvent *event, guint polygon, guint index)
{
	GArray *ring = NULL;
	g_assert_cmpuint(polygon, <, event->area.polygons->len);
	ring = g_ptr_array_index(event->area.polygons, polygon);
	g_assert_cmpuint(index, <, ring->len);
	return &g_array_index(ring, SrPoint, index);
}

static guint
polygon_len(const SrEvent *event, guint polygon)
{
	GArray *ring = NULL;
	g_assert_cmpuint(polygon, <, event->area.polygons->len);
	ring = g_ptr_array_index(event->area.polygons, polygon);
	return ring->len;
}

static void
test_ops(void)
{
	const SrSourceOps *ops = &sr_source_nws;
	g_assert_true(sr_source_registry_lookup("nws") == ops);
	g_assert_cmpstr(ops->type, ==, "nws");
	g_assert_nonnull(ops->description);
	g_assert_cmpstr(ops->default_url, ==, "https://api.weather.gov");
	g_assert_false(ops->needs_token);
	g_assert_cmpfloat(ops->default_interval, ==, 60);
	g_assert_cmpfloat(ops->min_interval, ==, 30);
	g_assert_cmpuint(ops->max_per_minute, ==, 2);
	g_assert_nonnull(ops->forbidden_hint);
	g_assert_true(ops->conditional);
	g_assert_true(ops->kinds & (1u << SR_KIND_WEATHER));
	g_assert_true(ops->kinds & (1u << SR_KIND_FLOOD));
	g_assert_true(ops->kinds & (1u << SR_KIND_TSUNAMI));
	g_assert_cmpuint(ops->levels, ==, 0);
	g_assert_nonnull(ops->extra_keys);
	g_assert_true(g_strv_contains(ops->extra_keys, "contact"));
	g_assert_true(g_strv_contains(ops->extra_keys, "point"));
	g_assert_true(g_strv_contains(ops->extra_keys, "zone"));
	g_assert_true(g_strv_contains(ops->extra_keys, "area"));
	g_assert_true(ops->parse == sr_source_nws_parse);
	g_assert_null(ops->parse_probe);
	g_assert_null(ops->fetch_local);
	g_assert_null(ops->parse_index);
}

static SrSourceConfig *
config_new(const char *contact, const char *key, const char *value)
{
	SrSourceConfig *config = sr_source_config_new("nws", &sr_source_nws);
	if (contact != NULL)
		g_hash_table_insert(config->extra, g_strdup("contact"), g_strdup(contact));
	if (key != NULL)
		g_hash_table_insert(config->extra, g_strdup(key), g_strdup(value));
	return config;
}

/* the URL of a request that must build */
static char *
request_url(SrSourceConfig *config)
{
	SrRequest request = {NULL, NULL};
	g_autoptr(GError) error = NULL;
	char *url = NULL;

	g_assert_true(sr_source_nws.build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_no_error(error);
	url = g_steal_pointer(&request.url);
	sr_request_clear(&request);
	return url;
}

static void
test_request(void)
{
	g_autoptr(SrSourceConfig) config =
	    config_new("ops@example.org", "point", "38.8894,-77.0352");
	SrRequest request = {NULL, NULL};
	g_autoptr(GError) error = NULL;
	g_autofree char *user_agent =
	    g_strdup_printf("User-Agent: sirena/%s (ops@example.org)", PACKAGE_VERSION);

	g_assert_true(sr_source_nws.build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(request.url, ==,
	                "https://api.weather.gov/alerts/active?point=38.8894,-77.0352");
	g_assert_nonnull(request.headers);
	g_assert_cmpuint(request.headers->len, ==, 2);
	/* the API's condition of use: the application and a way to reach its operator */
	g_assert_cmpstr(g_ptr_array_index(request.headers, 0), ==, user_agent);
	g_assert_cmpstr(g_ptr_array_index(request.headers, 1), ==, "Accept: application/geo+json");
	sr_request_clear(&request);

	/* a configured URL (a test server, a relay) replaces the base */
	g_free(config->url);
	config->url = g_strdup("http://127.0.0.1:8080/nws");
	g_assert_true(sr_source_nws.build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(request.url, ==,
	                "http://127.0.0.1:8080/nws/alerts/active?point=38.8894,-77.0352");
	sr_request_clear(&request);

	/* there is no probe */
	g_assert_false(sr_source_nws.build_request(config, SR_REQUEST_PROBE, &request, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	sr_request_clear(&request);
}

static void
test_request_filters(void)
{
	static const struct {
		const char *key;
		const char *value;
		const char *query;
	} cases[] = {
	    /* at most 4 decimals, rounded; no trailing zeros; the C locale's point */
	    {"point", "38.88944,-77.03523", "point=38.8894,-77.0352"},
	    {"point", "38.88945123,-77.0352", "point=38.8895,-77.0352"},
	    {"point", " 35.2 , -97.45 ", "point=35.2,-97.45"},
	    {"point", "35,-97", "point=35,-97"},
	    {"point", "21.30690,-157.85830", "point=21.3069,-157.8583"},
	    {"point", "-14.2756,-170.7020", "point=-14.2756,-170.702"},
	    {"point", "0.00001,-0.00001", "point=0,0"},
	    {"point", "90,180", "point=90,180"},
	    /* zones and counties, upper-cased, blanks and empty items dropped */
	    {"zone", "CAZ041", "zone=CAZ041"},
	    {"zone", "caz041, CAC037,", "zone=CAZ041,CAC037"},
	    {"zone", "ANZ530", "zone=ANZ530"},
	    /* states and marine areas */
	    {"area", "KS", "area=KS"},
	    {"area", "ks, mo ,AM", "area=KS,MO,AM"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SrSourceConfig) config =
		    config_new("https://example.org/contact", cases[i].key, cases[i].value);
		g_autofree char *url = request_url(config);
		g_autofree char *expected =
		    g_strconcat("https://api.weather.gov/alerts/active?", cases[i].query, NULL);
		g_assert_cmpstr(url, ==, expected);
	}
}

static void
assert_config_error(SrSourceConfig *config, const char *const *fragments)
{
	SrRequest request = {NULL, NULL};
	g_autoptr(GError) error = NULL;

	g_assert_false(sr_source_nws.build_request(config, SR_REQUEST_MAIN, &request, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_CONFIG);
	g_assert_nonnull(strstr(error->message, "'nws'"));
	for (guint i = 0; fragments[i] != NULL; i++) {
		if (strstr(error->message, fragments[i]) == NULL)
			g_error("error '%s' does not mention '%s'", error->message, fragments[i]);
	}
	g_assert_null(request.url);
	sr_request_clear(&request);
}

static void
test_request_contact(void)
{
	static const char *const missing[] = {"contact=", "e-mail", "URL", "you@example.org", NULL};
	static const char *const invalid[] = {"contact=", NULL};
	static const char *const bad_contacts[] = {
	    "ops@example.org\r\nX-Evil: 1",
	    "ops@\nexample.org",
	    "ops@example.org\tx",
	    "ops (at) example.org",
	    "me)",
	    "opérateur@example.org",
	    "just a name",
	    "example.org",
	    "ftp://example.org",
	};
	g_autofree char *long_contact = NULL;

	/* none, or empty */
	{
		g_autoptr(SrSourceConfig) config = config_new(NULL, "zone", "CAZ041");
		assert_config_error(config, missing);
	}
	{
		g_autoptr(SrSourceConfig) config = config_new("  ", "zone", "CAZ041");
		assert_config_error(config, missing);
	}
	/* it goes into a header line: nothing that forges one or breaks the comment */
	for (guint i = 0; i < G_N_ELEMENTS(bad_contacts); i++) {
		g_autoptr(SrSourceConfig) config = config_new(bad_contacts[i], "zone", "CAZ041");
		assert_config_error(config, invalid);
	}
	long_contact = g_strnfill(300, 'a');
	long_contact[10] = '@';
	{
		g_autoptr(SrSourceConfig) config = config_new(long_contact, "zone", "CAZ041");
		assert_config_error(config, invalid);
	}
	/* blanks around it are not sent */
	{
		g_autoptr(SrSourceConfig) config = config_new(" ops@example.org ", "area", "KS");
		SrRequest request = {NULL, NULL};
		g_autoptr(GError) error = NULL;
		g_autofree char *user_agent =
		    g_strdup_printf("User-Agent: sirena/%s (ops@example.org)", PACKAGE_VERSION);
		g_assert_true(
		    sr_source_nws.build_request(config, SR_REQUEST_MAIN, &request, &error));
		g_assert_no_error(error);
		g_assert_cmpstr(g_ptr_array_index(request.headers, 0), ==, user_agent);
		sr_request_clear(&request);
	}
}

static void
test_request_filter_errors(void)
{
	static const char *const none[] = {
	    "point=", "zone=", "area=", "point=38.8894,-77.0352", "zone=CAZ041", "area=KS", NULL};
	static const char *const point[] = {"point=", "latitude", NULL};
	static const char *const zone[] = {"zone=", "CAZ041", NULL};
	static const char *const area[] = {"area=", "KS", NULL};
	static const char *const both[] = {"point=", "zone=", "area=", "one", NULL};
	static const struct {
		const char *key;
		const char *value;
		const char *const *fragments;
	} cases[] = {
	    {NULL, NULL, none},
	    {"point", "", none},
	    {"zone", "  ", none},
	    {"point", "38.8894", point},
	    {"point", "38.8894,-77.0352,10", point},
	    {"point", "91,0", point},
	    {"point", "0,181", point},
	    {"point", "-90.5,0", point},
	    {"point", "nan,0", point},
	    {"point", "inf,0", point},
	    {"point", "38,8894,-77,0352", point},
	    {"point", "38.8894;-77.0352", point},
	    {"point", "38.8894 -77.0352", point},
	    {"point", "38.8894N,77.0352W", point},
	    {"point", ",", point},
	    {"zone", "CAZ41", zone},
	    {"zone", "CAX041", zone},
	    {"zone", "CAZ041&status=test", zone},
	    {"zone", "C1Z041", zone},
	    {"zone", ",,", zone},
	    {"area", "Kansas", area},
	    {"area", "K", area},
	    {"area", "KS,M0", area},
	    {"area", "KS&x=1", area},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SrSourceConfig) config =
		    config_new("ops@example.org", cases[i].key, cases[i].value);
		assert_config_error(config, cases[i].fragments);
	}
	/* the API takes one of them */
	{
		g_autoptr(SrSourceConfig) config =
		    config_new("ops@example.org", "point", "38.8894,-77.0352");
		g_hash_table_insert(config->extra, g_strdup("zone"), g_strdup("CAZ041"));
		assert_config_error(config, both);
	}
	{
		g_autoptr(SrSourceConfig) config = config_new("ops@example.org", "zone", "CAZ041");
		g_hash_table_insert(config->extra, g_strdup("area"), g_strdup("CA"));
		assert_config_error(config, both);
	}
}

static void
test_empty(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "active_empty.json");
	/* an empty list from a valid answer is an all-clear */
	g_assert_cmpuint(batch->events->len, ==, 0);
}

static void
test_mixed(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "active_mixed.json");
	const SrEvent *event = NULL;
	const SrPoint *point = NULL;

	g_assert_cmpuint(batch->events->len, ==, 7);

	/* a polygon-based warning */
	event = g_ptr_array_index(batch->events, 0);
	g_assert_cmpstr(event->id, ==, "nws:" ID_TORNADO);
	g_assert_cmpstr(event->source, ==, "nws");
	g_assert_cmpint(event->kind, ==, SR_KIND_WEATHER);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_cmpint(event->status, ==, SR_STATUS_ACTUAL);
	g_assert_true(sr_event_is_active(event));
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_EXTREME);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_IMMEDIATE);
	g_assert_cmpint(event->certainty, ==, SR_CERTAINTY_OBSERVED);
	g_assert_cmpuint(event->regions->len, ==, 0);
	sr_test_assert_time(event->started_at, "2026-04-14T22:42:00Z");
	sr_test_assert_time(event->updated_at, "2026-04-14T22:42:00Z");
	/* no `ends`: the message's expiry is the event's */
	sr_test_assert_time(event->expires_at, "2026-04-14T23:15:00Z");
	sr_test_assert_time(event->ended_at, NULL);
	g_assert_cmpstr(event->area.description, ==, "Cleveland, OK; Oklahoma, OK");
	g_assert_cmpstr(event->headline, ==,
	                "Tornado Warning issued April 14 at 5:42PM CDT until April 14 at 6:15PM "
	                "CDT by NWS Norman OK");
	g_assert_true(g_str_has_prefix(event->description, "At 542 PM CDT, a confirmed tornado"));
	g_assert_true(g_str_has_prefix(event->instruction, "TAKE COVER NOW!"));
	g_assert_cmpstr(event->web, ==, "http://www.weather.gov");
	g_assert_cmpstr(event->language, ==, "en-US");
	g_assert_cmpuint(event->references->len, ==, 0);
	g_assert_cmpuint(event->area.geocodes->len, ==, 4);
	g_assert_cmpstr(geocode_value(event, 0, "SAME"), ==, "040027");
	g_assert_cmpstr(geocode_value(event, 1, "SAME"), ==, "040109");
	g_assert_cmpstr(geocode_value(event, 2, "UGC"), ==, "OKC027");
	g_assert_cmpstr(geocode_value(event, 3, "UGC"), ==, "OKC109");
	/* GeoJSON's [lon, lat] becomes (lat, lon) */
	g_assert_cmpuint(event->area.polygons->len, ==, 1);
	g_assert_cmpuint(polygon_len(event, 0), ==, 5);
	point = polygon_point(event, 0, 0);
	g_assert_cmpfloat(point->lat, ==, 35.21);
	g_assert_cmpfloat(point->lon, ==, -97.52);
	point = polygon_point(event, 0, 2);
	g_assert_cmpfloat(point->lat, ==, 35.39);
	g_assert_cmpfloat(point->lon, ==, -97.25);

	/* a zone-only advisory: geometry null, the area is its zones */
	event = g_ptr_array_index(batch->events, 1);
	g_assert_cmpstr(event->id, ==, "nws:" ID_WIND);
	g_assert_cmpint(event->kind, ==, SR_KIND_WEATHER);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_MODERATE);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_EXPECTED);
	g_assert_cmpint(event->certainty, ==, SR_CERTAINTY_LIKELY);
	g_assert_cmpuint(event->area.polygons->len, ==, 0);
	g_assert_cmpuint(event->area.circles->len, ==, 0);
	g_assert_cmpuint(event->area.geocodes->len, ==, 4);
	g_assert_cmpstr(geocode_value(event, 2, "UGC"), ==, "CAZ006");
	/* onset first */
	sr_test_assert_time(event->started_at, "2026-04-15T03:00:00Z");
	sr_test_assert_time(event->updated_at, "2026-04-14T21:05:00Z");
	/* `ends`, the end of the event, not `expires`, the end of this message */
	sr_test_assert_time(event->expires_at, "2026-04-15T12:00:00Z");
	g_assert_null(event->instruction);
	g_assert_null(event->web);
	/* no language published: the API's English */
	g_assert_cmpstr(event->language, ==, "en-US");

	/* an Update naming two earlier messages, listed newest first */
	event = g_ptr_array_index(batch->events, 2);
	g_assert_cmpstr(event->id, ==, "nws:" ID_FLOOD);
	g_assert_cmpint(event->kind, ==, SR_KIND_FLOOD);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_SEVERE);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_FUTURE);
	g_assert_cmpint(event->certainty, ==, SR_CERTAINTY_POSSIBLE);
	g_assert_cmpuint(event->references->len, ==, 2);
	/* oldest first */
	g_assert_cmpstr(g_ptr_array_index(event->references, 0), ==, "nws:" ID_FLOOD_1);
	g_assert_cmpstr(g_ptr_array_index(event->references, 1), ==, "nws:" ID_FLOOD_2);
	/* onset null: effective */
	sr_test_assert_time(event->started_at, "2026-04-14T20:20:00Z");
	sr_test_assert_time(event->updated_at, "2026-04-14T20:20:00Z");
	sr_test_assert_time(event->expires_at, "2026-04-16T12:00:00Z");
	g_assert_cmpstr(event->area.description, ==, "Jackson; Cass");

	/* a Cancel */
	event = g_ptr_array_index(batch->events, 3);
	g_assert_cmpstr(event->id, ==, "nws:" ID_CANCEL);
	g_assert_cmpint(event->phase, ==, SR_PHASE_CANCELLED);
	g_assert_false(sr_event_is_active(event));
	g_assert_cmpint(event->status, ==, SR_STATUS_ACTUAL);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_MINOR);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_PAST);
	sr_test_assert_time(event->ended_at, "2026-04-14T22:55:00Z");
	sr_test_assert_time(event->expires_at, "2026-04-14T23:10:00Z");
	g_assert_cmpuint(event->references->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(event->references, 0), ==, "nws:" ID_SEVERE);
	g_assert_cmpuint(event->area.polygons->len, ==, 1);
	g_assert_cmpuint(event->area.geocodes->len, ==, 2);

	/* a test message: kept, never shown as real */
	event = g_ptr_array_index(batch->events, 4);
	g_assert_cmpstr(event->id, ==, "nws:" ID_TEST);
	g_assert_cmpint(event->status, ==, SR_STATUS_TEST);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_UNKNOWN);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_UNKNOWN);
	g_assert_cmpint(event->certainty, ==, SR_CERTAINTY_UNKNOWN);

	/* a severity CAP does not define: unknown, the rest as published */
	event = g_ptr_array_index(batch->events, 5);
	g_assert_cmpstr(event->id, ==, "nws:" ID_HEAT);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_UNKNOWN);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_EXPECTED);
	g_assert_cmpint(event->certainty, ==, SR_CERTAINTY_LIKELY);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_true(sr_event_is_active(event));
	/* a future onset is when it starts */
	sr_test_assert_time(event->started_at, "2026-04-15T17:00:00Z");
	sr_test_assert_time(event->expires_at, "2026-04-16T03:00:00Z");

	/* an Update that says all clear */
	event = g_ptr_array_index(batch->events, 6);
	g_assert_cmpstr(event->id, ==, "nws:" ID_TSUNAMI);
	g_assert_cmpint(event->kind, ==, SR_KIND_TSUNAMI);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ENDED);
	g_assert_false(sr_event_is_active(event));
	sr_test_assert_time(event->ended_at, "2026-04-14T18:45:00Z");
	g_assert_cmpuint(event->references->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(event->references, 0), ==, "nws:" ID_TSUNAMI3);
}

static void
test_unknown_values(void)
{
	for (guint round = 0; round < 2; round++) {
		g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "active_mixed.json");
		const SrEvent *event = sr_test_find_event(batch, "nws:" ID_HEAT);
		g_assert_cmpint(event->severity, ==, SR_SEVERITY_UNKNOWN);
	}
	/* logged once per process, however often it is seen */
	g_assert_cmpuint(sr_test_count_messages("'Significant'"), ==, 1);
	/* CAP's own Unknown is not news */
	g_assert_cmpuint(sr_test_count_messages("'Unknown'"), ==, 0);
}

static void
test_error_body(void)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture("nws", "error_problem.json", &len);
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = sr_test_parse(&parser, body, (gssize)len, &error);
	g_assert_null(batch);
	g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
	g_assert_nonnull(strstr(error->message, "error message"));
	g_assert_nonnull(strstr(error->message, "Invalid Parameter"));
}

static void
test_bad_fixtures(void)
{
	static const struct {
		const char *name;
		const char *fragment;
	} cases[] = {
	    {"bad_features_object.json", "'features' is not an array"},
	    {"bad_feature_string.json", "feature 1 is not an object"},
	    {"bad_missing_id.json", "feature 0 has no 'properties.id'"},
	    {"bad_paginated.json", "one page of several"},
	    {"bad_single_feature.json", "no 'features'"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		gsize len = 0;
		g_autofree char *body = sr_test_read_fixture("nws", cases[i].name, &len);
		sr_test_assert_parse_error(&parser, body, (gssize)len, cases[i].fragment);
	}
}

static void
test_bad_input(void)
{
	static const struct {
		const char *body;
		const char *fragment;
	} cases[] = {
	    {"{\"type\": \"FeatureCollection\", \"features\": [", "not JSON"},
	    {"{\"type\": \"FeatureCollection\", \"features\": [{\"properties\": {", "not JSON"},
	    {"[]", "not a JSON object"},
	    {"[{\"type\": \"FeatureCollection\", \"features\": []}]", "not a JSON object"},
	    {"{}", "no 'features'"},
	    {"{\"type\": \"FeatureCollection\"}", "no 'features'"},
	    {"{\"type\": \"FeatureCollection\", \"features\": null}", "'features' is not an array"},
	    {"{\"type\": \"FeatureCollection\", \"features\": {}}", "'features' is not an array"},
	    {"{\"type\": \"FeatureCollection\", \"features\": \"[]\"}",
	     "'features' is not an array"},
	    {"{\"type\": \"FeatureCollection\", \"features\": 0}", "'features' is not an array"},
	    {"{\"type\": \"Feature\", \"features\": []}", "not a GeoJSON FeatureCollection"},
	    {"{\"type\": null, \"features\": []}", "not a GeoJSON FeatureCollection"},
	    {"{\"type\": 1, \"features\": []}", "not a GeoJSON FeatureCollection"},
	    {"{\"title\": \"Unexpected Problem\", \"status\": 500}", "error message"},
	    {"{\"status\": 503}", "error message"},
	    {"{\"features\": [1]}", "feature 0 is not an object"},
	    {"{\"features\": [null]}", "feature 0 is not an object"},
	    {"{\"features\": [[]]}", "feature 0 is not an object"},
	    {"{\"features\": [\"x\"]}", "feature 0 is not an object"},
	    {"{\"features\": [{}]}", "feature 0 has no 'properties'"},
	    {"{\"features\": [{\"properties\": null}]}", "feature 0 has no 'properties'"},
	    {"{\"features\": [{\"properties\": []}]}", "feature 0 has no 'properties'"},
	    {"{\"features\": [{\"properties\": \"id\"}]}", "feature 0 has no 'properties'"},
	    {"{\"features\": [{\"properties\": {}}]}", "feature 0 has no 'properties.id'"},
	    {"{\"features\": [{\"properties\": {\"id\": null}}]}", "no 'properties.id'"},
	    {"{\"features\": [{\"properties\": {\"id\": \"\"}}]}", "no 'properties.id'"},
	    {"{\"features\": [{\"properties\": {\"id\": 42}}]}", "no 'properties.id'"},
	    {"{\"features\": [{\"properties\": {\"id\": [\"a\"]}}]}", "no 'properties.id'"},
	    {"{\"features\": [{\"properties\": {\"id\": \"a\\nb\"}}]}", "no 'properties.id'"},
	    {"{\"features\": [{\"properties\": {\"id\": \"a\\u001fb\"}}]}", "no 'properties.id'"},
	    {"{\"features\": [{\"properties\": {\"id\": \"a\"}}, 2]}",
	     "feature 1 is not an object"},
	    {"{\"features\": [], \"pagination\": {\"next\": "
	     "\"https://api.weather.gov/alerts?c=1\"}}",
	     "one page of several"},
	    {"{\"features\": [], \"pagination\": {\"next\": 1}}", "one page of several"},
	    {"{\"type\": \"FeatureCollection\", \"features\": []} trailing", "data after"},
	    {"{\"features\": []}{\"features\": []}", "data after"},
	};
	g_autofree char *long_id = g_strnfill(600, 'a');
	g_autofree char *long_body =
	    g_strdup_printf("{\"features\": [{\"properties\": {\"id\": \"%s\"}}]}", long_id);

	/* no body, white space, not JSON, truncated, a scalar */
	sr_test_assert_rejects_malformed(&parser);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		sr_test_assert_parse_error(&parser, cases[i].body, -1, cases[i].fragment);
	sr_test_assert_parse_error(&parser, long_body, -1, "no 'properties.id'");
}

static void
test_nul_bytes(void)
{
	static const char inside[] = "{\"features\": [\0]}";
	static const char after[] = "{\"features\": []}\0\0";
	static const char in_string[] = "{\"features\": [{\"properties\": {\"id\": \"a\0b\"}}]}";

	/* a raw NUL or control byte is not JSON; cJSON alone would read "[\0]" as "[]" */
	sr_test_assert_rejects_control_bytes(&parser);
	sr_test_assert_parse_error(&parser, inside, sizeof(inside) - 1,
	                           "control character (0x00) at byte 14");
	sr_test_assert_parse_error(&parser, after, sizeof(after) - 1, "control character");
	sr_test_assert_parse_error(&parser, in_string, sizeof(in_string) - 1, "control character");
}

static void
test_lenient_values(void)
{
	g_autoptr(SrBatch) batch = NULL;
	const SrEvent *event = NULL;
	/* a feature whose optional fields are all of the wrong type or unreadable is kept: the
	 * hazard matters more than its details */
	static const char body[] =
	    "{\"type\": \"FeatureCollection\", \"features\": ["
	    "{\"type\": \"Feature\", \"geometry\": \"POLYGON((1 2, 3 4))\", \"properties\": {"
	    "\"id\": \"urn:oid:2.49.0.1.840.0.1.001.1\", \"sent\": \"yesterday\", "
	    "\"effective\": 1776207000, \"onset\": \"2026-04-14 10:00:00\", \"expires\": [], "
	    "\"ends\": \"soon\", \"status\": 1, \"messageType\": null, \"category\": 7, "
	    "\"severity\": {}, \"certainty\": true, \"urgency\": null, \"event\": 12, "
	    "\"headline\": [\"x\"], \"description\": false, \"instruction\": 3, "
	    "\"response\": {\"a\": 1}, \"areaDesc\": null, \"geocode\": [\"SAME\"], "
	    "\"references\": \"urn:oid:2.49.0.1.840.0.0.001.1\", \"language\": 5, \"web\": {}}},"
	    "{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": \"x\"}, \"properties\": {"
	    "\"id\": \"urn:oid:2.49.0.1.840.0.2.001.1\", \"status\": \"Actual\", "
	    "\"messageType\": \"Alert\", \"severity\": \"severe\", \"urgency\": \"IMMEDIATE\", "
	    "\"certainty\": \"Likely\", \"event\": \"Flash Flood Warning\", \"category\": "
	    "[\"Met\", 4], \"geocode\": {\"SAME\": \"048113\", \"UGC\": [\"TXC113\", 7, \"\", "
	    "null]}, \"references\": [null, 1, {}, {\"identifier\": 5}, {\"identifier\": "
	    "\"urn:oid:2.49.0.1.840.0.2.001.1\"}, {\"identifier\": \"x\", \"sent\": \"bad\"}], "
	    "\"areaDesc\": \"\xff\xfe Dallas\", \"headline\": \"\", \"language\": \"es-US\"}}"
	    "], \"title\": null, \"unknown\": {\"a\": [1, 2]}}";

	batch = sr_test_parse_ok(&parser, body, -1);
	g_assert_cmpuint(batch->events->len, ==, 2);

	event = g_ptr_array_index(batch->events, 0);
	g_assert_cmpstr(event->id, ==, "nws:urn:oid:2.49.0.1.840.0.1.001.1");
	/* unknown status is shown rather than hidden; unknown message type is an alert */
	g_assert_cmpint(event->status, ==, SR_STATUS_ACTUAL);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_true(sr_event_is_active(event));
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_UNKNOWN);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_UNKNOWN);
	g_assert_cmpint(event->certainty, ==, SR_CERTAINTY_UNKNOWN);
	g_assert_cmpint(event->kind, ==, SR_KIND_OTHER);
	sr_test_assert_time(event->started_at, NULL);
	sr_test_assert_time(event->updated_at, NULL);
	sr_test_assert_time(event->expires_at, NULL);
	g_assert_null(event->headline);
	g_assert_null(event->description);
	g_assert_null(event->instruction);
	g_assert_null(event->web);
	g_assert_null(event->area.description);
	g_assert_cmpstr(event->language, ==, "en-US");
	g_assert_cmpuint(event->area.polygons->len, ==, 0);
	g_assert_cmpuint(event->area.geocodes->len, ==, 0);
	g_assert_cmpuint(event->references->len, ==, 0);

	event = g_ptr_array_index(batch->events, 1);
	/* CAP values in another case are still the values */
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_SEVERE);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_IMMEDIATE);
	g_assert_cmpint(event->kind, ==, SR_KIND_FLOOD);
	g_assert_cmpuint(event->area.polygons->len, ==, 0);
	/* only the string values of an array */
	g_assert_cmpuint(event->area.geocodes->len, ==, 1);
	g_assert_cmpstr(geocode_value(event, 0, "UGC"), ==, "TXC113");
	/* only references with an identifier, not to itself */
	g_assert_cmpuint(event->references->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(event->references, 0), ==, "nws:x");
	g_assert_true(g_utf8_validate(event->area.description, -1, NULL));
	g_assert_true(g_str_has_suffix(event->area.description, " Dallas"));
	g_assert_null(event->headline);
	g_assert_cmpstr(event->language, ==, "es-US");
}

static void
test_geometry(void)
{
	static const char *const empty[] = {"short", "point", "untyped", "bad-multi", "no-rings"};
	g_autoptr(SrBatch) batch = NULL;
	const SrEvent *event = NULL;
	const SrPoint *point = NULL;
	static const char body[] =
	    "{\"type\": \"FeatureCollection\", \"features\": ["
	    /* two polygons, one with a hole; altitudes; an open ring */
	    "{\"geometry\": {\"type\": \"MultiPolygon\", \"coordinates\": ["
	    "[[[-80.0, 25.0, 10], [-79.0, 25.0, 10], [-79.0, 26.0, 10], [-80.0, 25.0, 10]], "
	    "[[-79.8, 25.1], [-79.7, 25.1], [-79.7, 25.2], [-79.8, 25.1]]], "
	    "[[[-81.0, 27.0], [-80.5, 27.0], [-80.5, 27.5]]]]}, "
	    "\"properties\": {\"id\": \"multi\", \"status\": \"Actual\", \"messageType\": "
	    "\"Alert\"}},"
	    /* bad positions are left out, the rest of the ring stays */
	    "{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[-97.0, 35.0], "
	    "[\"-96\", 35.0], [-96.0], null, [-96.0, 35.0], [500.0, 35.0], [-96.0, 36.0], "
	    "[-97.0, 35.0]]]}, \"properties\": {\"id\": \"junk\"}},"
	    /* too few points, other types, no type */
	    "{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[-97.0, 35.0], "
	    "[-96.0, 35.0]]]}, \"properties\": {\"id\": \"short\"}},"
	    "{\"geometry\": {\"type\": \"Point\", \"coordinates\": [-97.0, 35.0]}, "
	    "\"properties\": {\"id\": \"point\"}},"
	    "{\"geometry\": {\"coordinates\": []}, \"properties\": {\"id\": \"untyped\"}},"
	    "{\"geometry\": {\"type\": \"MultiPolygon\", \"coordinates\": {}}, "
	    "\"properties\": {\"id\": \"bad-multi\"}},"
	    "{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": []}, "
	    "\"properties\": {\"id\": \"no-rings\"}}"
	    "]}";

	batch = sr_test_parse_ok(&parser, body, -1);
	g_assert_cmpuint(batch->events->len, ==, 7);

	/* outer rings only: a hole would only make the area smaller */
	event = sr_test_find_event(batch, "nws:multi");
	g_assert_cmpuint(event->area.polygons->len, ==, 2);
	g_assert_cmpuint(polygon_len(event, 0), ==, 4);
	point = polygon_point(event, 0, 1);
	g_assert_cmpfloat(point->lat, ==, 25.0);
	g_assert_cmpfloat(point->lon, ==, -79.0);
	/* the open ring is closed */
	g_assert_cmpuint(polygon_len(event, 1), ==, 4);
	point = polygon_point(event, 1, 3);
	g_assert_cmpfloat(point->lat, ==, 27.0);
	g_assert_cmpfloat(point->lon, ==, -81.0);

	event = sr_test_find_event(batch, "nws:junk");
	g_assert_cmpuint(event->area.polygons->len, ==, 1);
	g_assert_cmpuint(polygon_len(event, 0), ==, 4);
	point = polygon_point(event, 0, 2);
	g_assert_cmpfloat(point->lat, ==, 36.0);
	g_assert_cmpfloat(point->lon, ==, -96.0);

	for (guint i = 0; i < G_N_ELEMENTS(empty); i++) {
		g_autofree char *id = g_strconcat("nws:", empty[i], NULL);
		event = sr_test_find_event(batch, id);
		g_assert_cmpuint(event->area.polygons->len, ==, 0);
		g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	}
	g_assert_cmpuint(sr_test_count_messages("'Point'"), ==, 1);
}

static void
test_references(void)
{
	g_autoptr(SrBatch) batch = NULL;
	const SrEvent *event = NULL;
	/* sent times in several offsets; an unknown time sorts first; ties keep their order */
	static const char body[] =
	    "{\"features\": [{\"properties\": {\"id\": \"u\", \"messageType\": \"Update\", "
	    "\"references\": ["
	    "{\"identifier\": \"c\", \"sent\": \"2026-04-14T12:00:00-05:00\"},"
	    "{\"identifier\": \"a\", \"sent\": \"2026-04-14T16:00:00+00:00\"},"
	    "{\"identifier\": \"d\", \"sent\": \"2026-04-14T17:00:00Z\"},"
	    "{\"identifier\": \"e\", \"sent\": \"2026-04-14T17:00:00-00:00\"},"
	    "{\"identifier\": \"z\"},"
	    "{\"identifier\": \"b\", \"sent\": \"2026-04-14T06:30:00-10:00\"},"
	    "{\"identifier\": \"a\", \"sent\": \"2026-04-14T16:00:00+00:00\"}"
	    "]}}]}";

	batch = sr_test_parse_ok(&parser, body, -1);
	event = sr_test_find_event(batch, "nws:u");
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	/* a repeated reference is one */
	g_assert_cmpuint(event->references->len, ==, 6);
	g_assert_cmpstr(g_ptr_array_index(event->references, 0), ==, "nws:z");
	g_assert_cmpstr(g_ptr_array_index(event->references, 1), ==, "nws:a");
	g_assert_cmpstr(g_ptr_array_index(event->references, 2), ==, "nws:b");
	/* c, d and e were sent at one instant */
	g_assert_cmpstr(g_ptr_array_index(event->references, 3), ==, "nws:c");
	g_assert_cmpstr(g_ptr_array_index(event->references, 4), ==, "nws:d");
	g_assert_cmpstr(g_ptr_array_index(event->references, 5), ==, "nws:e");
}

static void
test_message_types(void)
{
	g_autoptr(SrBatch) batch = NULL;
	static const char body[] =
	    "{\"features\": ["
	    "{\"properties\": {\"id\": \"ack\", \"messageType\": \"Ack\"}},"
	    "{\"properties\": {\"id\": \"error\", \"messageType\": \"Error\"}},"
	    "{\"properties\": {\"id\": \"cancel\", \"messageType\": \"cancel\", \"response\": "
	    "\"Shelter\"}},"
	    "{\"properties\": {\"id\": \"clear\", \"messageType\": \"Update\", \"response\": "
	    "[\"Monitor\", \"AllClear\"], \"sent\": \"2026-04-14T10:00:00-05:00\"}},"
	    "{\"properties\": {\"id\": \"odd\", \"messageType\": \"Reminder\", \"response\": "
	    "\"Hide\"}},"
	    "{\"properties\": {\"id\": \"exercise\", \"status\": \"Exercise\"}},"
	    "{\"properties\": {\"id\": \"system\", \"status\": \"System\"}},"
	    "{\"properties\": {\"id\": \"draft\", \"status\": \"Draft\"}}"
	    "]}";
	const SrEvent *event = NULL;

	batch = sr_test_parse_ok(&parser, body, -1);
	/* messages about messages are not hazards */
	g_assert_cmpuint(batch->events->len, ==, 6);
	event = sr_test_find_event(batch, "nws:cancel");
	g_assert_cmpint(event->phase, ==, SR_PHASE_CANCELLED);
	event = sr_test_find_event(batch, "nws:clear");
	g_assert_cmpint(event->phase, ==, SR_PHASE_ENDED);
	sr_test_assert_time(event->ended_at, "2026-04-14T15:00:00Z");
	/* unknown values are kept and logged, the message stays an alert */
	event = sr_test_find_event(batch, "nws:odd");
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_cmpuint(sr_test_count_messages("'Reminder'"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("'Hide'"), ==, 1);
	event = sr_test_find_event(batch, "nws:exercise");
	g_assert_cmpint(event->status, ==, SR_STATUS_EXERCISE);
	event = sr_test_find_event(batch, "nws:system");
	g_assert_cmpint(event->status, ==, SR_STATUS_TEST);
	event = sr_test_find_event(batch, "nws:draft");
	g_assert_cmpint(event->status, ==, SR_STATUS_TEST);
}

static void
test_duplicate_ids(void)
{
	static const char body[] =
	    "{\"features\": ["
	    "{\"properties\": {\"id\": \"a\", \"event\": \"Flood Warning\"}},"
	    "{\"properties\": {\"id\": \"a\", \"event\": \"Tornado Warning\"}},"
	    "{\"properties\": {\"id\": \"b\", \"event\": \"Flood Warning\"}}]}";
	g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);
	const SrEvent *event = NULL;

	/* one identifier is one event: the first wins */
	g_assert_cmpuint(batch->events->len, ==, 2);
	event = sr_test_find_event(batch, "nws:a");
	g_assert_cmpint(event->kind, ==, SR_KIND_FLOOD);
	sr_test_find_event(batch, "nws:b");
}

static void
test_repeated_members(void)
{
	/* a property twice: the first one counts, as cJSON's own lookup has it, for every
	 * property the parser reads */
	static const char body[] =
	    "{\"features\": [{\"properties\": {"
	    "\"id\": \"a\", \"id\": \"b\", "
	    "\"messageType\": \"Alert\", \"messageType\": \"Cancel\", "
	    "\"response\": \"Shelter\", \"response\": \"AllClear\", "
	    "\"category\": \"Met\", \"category\": \"Geo\", "
	    "\"event\": \"Flood Warning\", \"event\": \"Tornado Warning\", "
	    "\"severity\": \"Severe\", \"severity\": \"Minor\", "
	    "\"urgency\": \"Immediate\", \"urgency\": \"Past\", "
	    "\"certainty\": \"Observed\", \"certainty\": \"Unlikely\", "
	    "\"status\": \"Actual\", \"status\": \"Test\", "
	    "\"sent\": \"2026-11-25T06:00:00-05:00\", \"sent\": \"2026-11-25T07:00:00-05:00\", "
	    "\"onset\": \"2026-11-25T06:10:00-05:00\", \"onset\": null, "
	    "\"ends\": \"2026-11-25T09:00:00-05:00\", \"ends\": null, "
	    "\"areaDesc\": \"first\", \"areaDesc\": \"second\", "
	    "\"headline\": \"h1\", \"headline\": \"h2\", "
	    "\"description\": \"d1\", \"description\": \"d2\", "
	    "\"instruction\": \"i1\", \"instruction\": \"i2\", "
	    "\"language\": \"es-US\", \"language\": \"fr\", "
	    "\"geocode\": {\"UGC\": [\"TXZ001\"]}, \"geocode\": {\"UGC\": [\"TXZ002\"]}, "
	    "\"references\": [{\"identifier\": \"old\"}], \"references\": []"
	    "}}]}";
	g_autoptr(SrBatch) batch = sr_test_parse_ok(&parser, body, -1);
	const SrEvent *event = NULL;
	const SrGeocode *geocode = NULL;

	g_assert_cmpuint(batch->events->len, ==, 1);
	event = sr_test_find_event(batch, "nws:a");
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_cmpint(event->kind, ==, SR_KIND_FLOOD);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_SEVERE);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_IMMEDIATE);
	g_assert_cmpint(event->certainty, ==, SR_CERTAINTY_OBSERVED);
	g_assert_cmpint(event->status, ==, SR_STATUS_ACTUAL);
	g_assert_cmpint(event->updated_at, ==, 1795604400);
	g_assert_cmpint(event->started_at, ==, 1795605000);
	g_assert_cmpint(event->expires_at, ==, 1795615200);
	g_assert_cmpstr(event->area.description, ==, "first");
	g_assert_cmpstr(event->headline, ==, "h1");
	g_assert_cmpstr(event->description, ==, "d1");
	g_assert_cmpstr(event->instruction, ==, "i1");
	g_assert_cmpstr(event->language, ==, "es-US");
	g_assert_cmpuint(event->area.geocodes->len, ==, 1);
	geocode = g_ptr_array_index(event->area.geocodes, 0);
	g_assert_cmpstr(geocode->value, ==, "TXZ001");
	g_assert_cmpuint(event->references->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(event->references, 0), ==, "nws:old");
}

static void
test_source_name(void)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture("nws", "active_mixed.json", &len);
	SrParseContext ctx = sr_test_parser_context(&parser);
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	const SrEvent *event = NULL;

	/* ids and references carry the instance name, not the type */
	ctx.source_name = "nws-home";
	ctx.catalog = NULL;
	batch = sr_source_nws_parse(body, len, &ctx, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(batch->events->len, ==, 7);
	event = g_ptr_array_index(batch->events, 2);
	g_assert_cmpstr(event->id, ==, "nws-home:" ID_FLOOD);
	g_assert_cmpstr(event->source, ==, "nws-home");
	g_assert_cmpstr(g_ptr_array_index(event->references, 0), ==, "nws-home:" ID_FLOOD_1);
}

static void
test_huge(void)
{
	g_autoptr(GString) str = g_string_new("{\"type\": \"FeatureCollection\", \"features\": [");
	g_autoptr(SrBatch) batch = NULL;
	const guint n = 5000;
	const SrEvent *event = NULL;

	for (guint i = 0; i < n; i++) {
		g_string_append_printf(
		    str,
		    "%s{\"id\": "
		    "\"https://api.weather.gov/alerts/urn:oid:2.49.0.1.840.0.%040u.001.1\", "
		    "\"type\": \"Feature\", \"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
		    "[[[-97.5, 35.2], [-97.2, 35.2], [-97.2, 35.4], [-97.5, 35.4], [-97.5, "
		    "35.2]]]}, "
		    "\"properties\": {\"id\": \"urn:oid:2.49.0.1.840.0.%040u.001.1\", "
		    "\"areaDesc\": \"County number %u with a long name to make the body large\", "
		    "\"geocode\": {\"SAME\": [\"0%05u\"], \"UGC\": [\"OKC%03u\"]}, "
		    "\"references\": [{\"identifier\": \"urn:oid:2.49.0.1.840.0.%040u.000.1\", "
		    "\"sent\": \"2026-04-14T12:00:00-05:00\"}], "
		    "\"sent\": \"2026-04-14T17:42:00-05:00\", \"effective\": "
		    "\"2026-04-14T17:42:00-05:00\", \"expires\": \"2026-04-14T18:15:00-05:00\", "
		    "\"status\": \"Actual\", \"messageType\": \"%s\", \"category\": \"Met\", "
		    "\"severity\": \"Severe\", \"certainty\": \"Observed\", \"urgency\": "
		    "\"Immediate\", \"event\": \"Severe Thunderstorm Warning\", \"description\": "
		    "\"%s\", \"response\": \"Shelter\"}}",
		    i == 0 ? "" : ",", i, i, i, i, i % 1000, i, i % 2 == 0 ? "Alert" : "Update",
		    "At 542 PM CDT, a severe thunderstorm was located near Moore, moving east at "
		    "30 mph. Hail up to golf ball size and wind gusts to 60 mph are expected.");
	}
	g_string_append(str, "], \"title\": \"Current watches, warnings, and advisories\"}");
	g_assert_cmpuint(str->len, >, 4 * 1024 * 1024);

	batch = sr_test_parse_large(&parser, str->str, str->len);
	g_assert_cmpuint(batch->events->len, ==, n);
	event = g_ptr_array_index(batch->events, n - 1);
	g_assert_cmpuint(event->area.polygons->len, ==, 1);
	g_assert_cmpuint(event->references->len, ==, 1);
}

static void
test_deep_nesting(void)
{
	g_autoptr(GString) inner = g_string_new("{\"features\": [");

	sr_test_assert_rejects_deep_nesting(&parser);
	/* deep, but inside a valid envelope */
	for (guint i = 0; i < 5000; i++)
		g_string_append_c(inner, '[');
	sr_test_assert_parse_error(&parser, inner->str, -1, "not JSON");
}

static void
test_round_trip(void)
{
	g_autoptr(SrBatch) batch = sr_test_parse_fixture(&parser, "active_mixed.json");
	sr_test_assert_round_trip(batch);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	sr_test_capture_messages(SOURCE_DOMAIN);

	g_test_add_func("/sr/source/nws/ops", test_ops);
	g_test_add_func("/sr/source/nws/request", test_request);
	g_test_add_func("/sr/source/nws/request-filters", test_request_filters);
	g_test_add_func("/sr/source/nws/request-contact", test_request_contact);
	g_test_add_func("/sr/source/nws/request-filter-errors", test_request_filter_errors);
	g_test_add_func("/sr/source/nws/empty", test_empty);
	g_test_add_func("/sr/source/nws/mixed", test_mixed);
	g_test_add_func("/sr/source/nws/unknown-values", test_unknown_values);
	g_test_add_func("/sr/source/nws/error-body", test_error_body);
	g_test_add_func("/sr/source/nws/bad-fixtures", test_bad_fixtures);
	g_test_add_func("/sr/source/nws/bad-input", test_bad_input);
	g_test_add_func("/sr/source/nws/nul-bytes", test_nul_bytes);
	g_test_add_func("/sr/source/nws/lenient-values", test_lenient_values);
	g_test_add_func("/sr/source/nws/geometry", test_geometry);
	g_test_add_func("/sr/source/nws/references", test_references);
	g_test_add_func("/sr/source/nws/message-types", test_message_types);
	g_test_add_func("/sr/source/nws/duplicate-ids", test_duplicate_ids);
	g_test_add_func("/sr/source/nws/repeated-members", test_repeated_members);
	g_test_add_func("/sr/source/nws/source-name", test_source_name);
	g_test_add_func("/sr/source/nws/huge", test_huge);
	g_test_add_func("/sr/source/nws/deep-nesting", test_deep_nesting);
	g_test_add_func("/sr/source/nws/round-trip", test_round_trip);

	return g_test_run();
}
