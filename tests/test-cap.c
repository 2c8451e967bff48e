/* test-cap.c - CAP 1.2/1.1 documents and their Atom/RSS index feeds: fields, languages,
 * references, geometry, dates, and hostile XML
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cap"

#include "config.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "sirena/error.h"
#include "sirena/geo.h"
#include "sirena/json.h"
#include "sources/sr-cap.h"
#include "sources/sr-sources-private.h"
#include "sr-test-util.h"

#define SOURCE "cap-test"
/* 2026-01-24T12:00:00Z */
#define NOW 1769256000

#define CAP_HEAD                                                                                   \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                             \
	"<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"
#define CAP_REQUIRED                                                                               \
	"<identifier>SR-INLINE-1</identifier><sender>inline@example.org</sender>"                  \
	"<sent>2026-01-24T10:00:00-00:00</sent><status>Actual</status>"

static SrParseContext
context(const char *language)
{
	SrParseContext ctx = {
	    .source_name = SOURCE,
	    .now = NOW,
	    .language = language,
	};
	return ctx;
}

static SrCapMessage *
parse_ok(const char *body, gssize len, const char *language)
{
	SrParseContext ctx = context(language);
	g_autoptr(GError) error = NULL;
	SrCapMessage *message = NULL;

	message = sr_cap_parse(body, len < 0 ? strlen(body) : (gsize)len, &ctx, &error);
	g_assert_no_error(error);
	g_assert_nonnull(message);
	return message;
}

static SrCapMessage *
parse_fixture(const char *name, const char *language)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture("cap", name, &len);
	return parse_ok(body, (gssize)len, language);
}

/* fails the test unless @body is refused with @code and a message that contains @fragment */
static void
assert_cap_error(const char *body, gsize len, gint code, const char *fragment)
{
	SrParseContext ctx = context(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(SrCapMessage) message = sr_cap_parse(body, len, &ctx, &error);

	g_assert_null(message);
	g_assert_error(error, SR_ERROR, code);
	if (fragment != NULL && strstr(error->message, fragment) == NULL)
		g_error("error '%s' does not mention '%s'", error->message, fragment);
}

static void
assert_index_error(const char *body, gsize len, gint code, const char *fragment)
{
	SrParseContext ctx = context(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) entries = sr_cap_parse_index(body, len, &ctx, &error);

	g_assert_null(entries);
	g_assert_error(error, SR_ERROR, code);
	if (fragment != NULL && strstr(error->message, fragment) == NULL)
		g_error("error '%s' does not mention '%s'", error->message, fragment);
}

static void
assert_fixture_error(const char *name, gint code, const char *fragment)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture("cap", name, &len);
	assert_cap_error(body, len, code, fragment);
	assert_index_error(body, len, code, NULL);
}

static void
assert_strings(GPtrArray *array, const char *const *expected)
{
	guint n = g_strv_length((char **)expected);
	g_assert_cmpuint(array->len, ==, n);
	for (guint i = 0; i < n; i++)
		g_assert_cmpstr(g_ptr_array_index(array, i), ==, expected[i]);
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
assert_ring(const SrEvent *event, guint index, const double *expected, guint n_points)
{
	GArray *ring = NULL;
	g_assert_cmpuint(index, <, event->area.polygons->len);
	ring = g_ptr_array_index(event->area.polygons, index);
	g_assert_cmpuint(ring->len, ==, n_points);
	for (guint i = 0; i < n_points; i++) {
		const SrPoint *point = &g_array_index(ring, SrPoint, i);
		g_assert_cmpfloat_with_epsilon(point->lat, expected[2 * i], 1e-9);
		g_assert_cmpfloat_with_epsilon(point->lon, expected[2 * i + 1], 1e-9);
	}
}

/* documents */

static void
test_minimal(void)
{
	g_autoptr(SrCapMessage) message = parse_fixture("minimal.xml", NULL);
	const SrEvent *event = message->event;
	const char *const languages[] = {"en-US", NULL};

	g_assert_cmpstr(message->identifier, ==, "sr-a1-20260402-0001");
	g_assert_cmpstr(message->sender, ==, "advisories@alerts.example.gov");
	g_assert_cmpstr(message->msg_type, ==, "Alert");
	sr_test_assert_time(message->sent, "2026-04-02T19:39:01Z");
	g_assert_cmpuint(message->references->len, ==, 0);
	assert_strings(message->languages, languages);

	g_assert_nonnull(event);
	g_assert_cmpstr(event->id, ==, SOURCE ":sr-a1-20260402-0001");
	g_assert_cmpstr(event->source, ==, SOURCE);
	g_assert_cmpint(event->kind, ==, SR_KIND_CIVIL);
	g_assert_cmpint(event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_cmpint(event->status, ==, SR_STATUS_ACTUAL);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_SEVERE);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_IMMEDIATE);
	g_assert_cmpint(event->certainty, ==, SR_CERTAINTY_LIKELY);
	/* no onset, no effective: it started when it was sent */
	sr_test_assert_time(event->started_at, "2026-04-02T19:39:01Z");
	sr_test_assert_time(event->updated_at, "2026-04-02T19:39:01Z");
	sr_test_assert_time(event->ended_at, NULL);
	sr_test_assert_time(event->expires_at, NULL);
	g_assert_cmpstr(event->headline, ==, "Threat level raised to ORANGE");
	g_assert_cmpstr(event->description, ==,
	                "The threat level for the whole country is raised from YELLOW to ORANGE.");
	g_assert_cmpstr(event->instruction, ==,
	                "Stay alert and report anything unusual to the authorities.");
	g_assert_cmpstr(event->web, ==, "https://alerts.example.gov/advisories/current");
	/* CAP's default language */
	g_assert_cmpstr(event->language, ==, "en-US");
	g_assert_cmpstr(event->area.description, ==, "Nationwide and missions abroad");
	g_assert_cmpuint(event->area.polygons->len, ==, 0);
	g_assert_cmpuint(event->area.circles->len, ==, 0);
	g_assert_cmpuint(event->area.geocodes->len, ==, 0);
	g_assert_cmpuint(event->regions->len, ==, 0);
	g_assert_cmpuint(event->references->len, ==, 0);
	g_assert_true(sr_event_is_active(event));
}

static void
test_thunderstorm(void)
{
	g_autoptr(SrCapMessage) message = parse_fixture("thunderstorm.xml", NULL);
	const SrEvent *event = message->event;
	const double ring[] = {38.21,   -120.52, 38.09,   -120.31, 38.27,
	                       -120.11, 38.38,   -120.26, 38.21,   -120.52};

	g_assert_cmpint(event->kind, ==, SR_KIND_WEATHER);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_SEVERE);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_IMMEDIATE);
	g_assert_cmpint(event->certainty, ==, SR_CERTAINTY_OBSERVED);
	sr_test_assert_time(event->started_at, "2026-06-17T21:57:00Z");
	sr_test_assert_time(event->expires_at, "2026-06-17T23:00:00Z");
	g_assert_cmpstr(event->headline, ==, "SEVERE THUNDERSTORM WARNING");
	/* line breaks inside a text are kept */
	g_assert_nonnull(strstr(event->description, "15 mph.\nHail"));
	g_assert_null(event->web);
	g_assert_cmpstr(event->area.description, ==,
	                "NORTHERN CEDAR COUNTY AND EASTERN PINE COUNTY");
	g_assert_cmpuint(event->area.polygons->len, ==, 1);
	assert_ring(event, 0, ring, 5);
	/* the eventCode is not an area geocode */
	g_assert_cmpuint(event->area.geocodes->len, ==, 2);
	assert_geocode(event, 0, "SAME", "006109");
	assert_geocode(event, 1, "SAME", "006009");
}

static void
test_circle(void)
{
	g_autoptr(SrCapMessage) message = parse_fixture("circle.xml", NULL);
	const SrEvent *event = message->event;
	const SrCircle *circle = NULL;

	g_assert_cmpint(event->kind, ==, SR_KIND_EARTHQUAKE);
	g_assert_cmpint(event->urgency, ==, SR_URGENCY_PAST);
	/* the onset wins over the time it was sent */
	sr_test_assert_time(event->started_at, "2026-08-30T23:16:34Z");
	sr_test_assert_time(event->updated_at, "2026-08-30T23:25:40Z");
	/* every area's description */
	g_assert_cmpstr(event->area.description, ==, "Epicentre; Felt area");
	/* a latitude of 95 and a circle without a radius are dropped */
	g_assert_cmpuint(event->area.circles->len, ==, 2);
	circle = &g_array_index(event->area.circles, SrCircle, 0);
	g_assert_cmpfloat(circle->lat, ==, -17.112);
	g_assert_cmpfloat(circle->lon, ==, -174.401);
	g_assert_cmpfloat(circle->radius_km, ==, 0.0);
	circle = &g_array_index(event->area.circles, SrCircle, 1);
	g_assert_cmpfloat(circle->lat, ==, -17.112);
	g_assert_cmpfloat(circle->lon, ==, -174.401);
	g_assert_cmpfloat(circle->radius_km, ==, 150.0);
}

static void
assert_german(const SrCapMessage *message)
{
	g_assert_cmpstr(message->event->language, ==, "de-DE");
	g_assert_cmpstr(message->event->headline, ==, "Amtliche WARNUNG vor STURMBÖEN");
	g_assert_cmpstr(message->event->web, ==, "https://www.wetter.example.de/warnungen");
	g_assert_cmpstr(message->event->area.description, ==, "Kreis Beispielstadt");
}

static void
assert_english(const SrCapMessage *message)
{
	g_assert_cmpstr(message->event->language, ==, "en-GB");
	g_assert_cmpstr(message->event->headline, ==, "Official WARNING of GALE-FORCE GUSTS");
	g_assert_cmpstr(message->event->instruction, ==, "Watch out for falling branches.");
	g_assert_cmpstr(message->event->area.description, ==, "District of Beispielstadt");
}

static void
test_languages(void)
{
	const char *const languages[] = {"de-DE", "en-GB", NULL};
	/* the wanted language exactly, by its primary subtag, in any case */
	const char *const german[] = {"de-DE", "de", "de-AT", "DE_de", "de_CH.UTF-8"};
	const char *const english[] = {"en", "en-GB", "en-US", "EN"};

	for (guint i = 0; i < G_N_ELEMENTS(german); i++) {
		g_autoptr(SrCapMessage) message = parse_fixture("multilang.xml", german[i]);
		assert_german(message);
		assert_strings(message->languages, languages);
		g_assert_cmpint(message->event->kind, ==, SR_KIND_WEATHER);
		sr_test_assert_time(message->event->started_at, "2026-01-15T08:00:00Z");
		sr_test_assert_time(message->event->expires_at, "2026-01-15T17:00:00Z");
		sr_test_assert_time(message->event->updated_at, "2026-01-15T06:31:00Z");
	}
	for (guint i = 0; i < G_N_ELEMENTS(english); i++) {
		g_autoptr(SrCapMessage) message = parse_fixture("multilang.xml", english[i]);
		assert_english(message);
	}
	/* a language it does not have: English */
	{
		g_autoptr(SrCapMessage) message = parse_fixture("multilang.xml", "uk");
		assert_english(message);
	}
	/* no language asked for: the locale's (LANGUAGE comes first, as for gettext) */
	{
		g_autoptr(SrCapMessage) message = NULL;
		g_setenv("LANGUAGE", "de_AT:fr", TRUE);
		message = parse_fixture("multilang.xml", NULL);
		assert_german(message);
	}
	/* the C locale says nothing: English */
	{
		g_autoptr(SrCapMessage) message = NULL;
		g_setenv("LANGUAGE", "", TRUE);
		g_setenv("LC_ALL", "C.UTF-8", TRUE);
		message = parse_fixture("multilang.xml", NULL);
		assert_english(message);
	}
	g_unsetenv("LANGUAGE");
}

static void
test_languages_first(void)
{
	const char *const languages[] = {"fr", "de", NULL};

	/* neither the wanted language nor English: the first */
	{
		g_autoptr(SrCapMessage) message = parse_fixture("profile.xml", "uk");
		assert_strings(message->languages, languages);
		g_assert_cmpstr(message->event->language, ==, "fr");
		g_assert_cmpstr(message->event->headline, ==, "Incendie dans la zone industrielle");
		g_assert_cmpint(message->event->kind, ==, SR_KIND_FIRE);
	}
	{
		g_autoptr(SrCapMessage) message = parse_fixture("profile.xml", "de");
		g_assert_cmpstr(message->event->language, ==, "de");
		g_assert_cmpstr(message->event->headline, ==, "Brand im Industriegebiet");
	}
}

static void
test_kind_from_other_language(void)
{
	/* the Hebrew event name has no keyword; the English one of the same alert has */
	const char *body = CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType><scope>Public</scope>"
	                                         "<info><language>he-IL</language>"
	                                         "<category>Geo</category><event>רעידת אדמה</event>"
	                                         "<headline>רעידת אדמה</headline></info>"
	                                         "<info><language>en-GB</language>"
	                                         "<category>Geo</category><event>Earthquake</event>"
	                                         "</info></alert>";
	g_autoptr(SrCapMessage) message = parse_ok(body, -1, "he");

	g_assert_cmpstr(message->event->language, ==, "he-IL");
	g_assert_cmpstr(message->event->headline, ==, "רעידת אדמה");
	g_assert_cmpint(message->event->kind, ==, SR_KIND_EARTHQUAKE);
}

static void
test_update_references(void)
{
	g_autoptr(SrCapMessage) message = parse_fixture("update-references.xml", NULL);
	/* oldest first; the one wrapped across lines joined; the message's own left out */
	const char *const references[] = {SOURCE ":SRTW-1-ab12cd", SOURCE ":SRTW-2-ab12cd", NULL};

	g_assert_cmpstr(message->msg_type, ==, "Update");
	assert_strings(message->references, references);
	assert_strings(message->event->references, references);
	g_assert_cmpstr(message->event->id, ==, SOURCE ":SRTW-3-ab12cd");
	g_assert_cmpint(message->event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_cmpint(message->event->kind, ==, SR_KIND_TSUNAMI);
	sr_test_assert_time(message->event->expires_at, "2026-01-05T12:58:23Z");
	g_assert_true(sr_event_is_active(message->event));
}

static void
test_references_shapes(void)
{
	static const struct {
		const char *references;
		const char *const expected[4];
	} cases[] = {
	    /* tabs and line breaks between triplets */
	    {"a@x,ID-2,2026-01-01T02:00:00Z\t\ta@x,ID-1,2026-01-01T01:00:00Z",
	     {SOURCE ":ID-1", SOURCE ":ID-2", NULL}},
	    /* a fragment that starts with the comma */
	    {"a@x,ID-2,2026-01-01T02:00:00Z a@x,ID-1\n,2026-01-01T01:00:00Z",
	     {SOURCE ":ID-1", SOURCE ":ID-2", NULL}},
	    /* the same message twice */
	    {"a@x,ID-1,2026-01-01T01:00:00Z a@x,ID-1,2026-01-01T01:00:00Z", {SOURCE ":ID-1", NULL}},
	    /* CAP 1.0's form and junk are dropped */
	    {"ID-9/a@x junk a@x,,2026-01-01T01:00:00Z a@x,ID-1,2026-01-01T01:00:00Z",
	     {SOURCE ":ID-1", NULL}},
	    /* an unreadable time sorts first, and the order is stable among equals */
	    {"a@x,ID-3,2026-01-01T03:00:00Z a@x,ID-2,yesterday a@x,ID-1,yesterday",
	     {SOURCE ":ID-2", SOURCE ":ID-1", SOURCE ":ID-3", NULL}},
	    /* itself only */
	    {"inline@example.org,SR-INLINE-1,2026-01-24T10:00:00-00:00", {NULL}},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *body = g_strdup_printf(
		    CAP_HEAD CAP_REQUIRED "<msgType>Update</msgType><scope>Public</scope>"
		                          "<references>%s</references></alert>",
		    cases[i].references);
		g_autoptr(SrCapMessage) message = parse_ok(body, -1, NULL);
		assert_strings(message->references, cases[i].expected);
		assert_strings(message->event->references, cases[i].expected);
	}
}

static void
test_cancel(void)
{
	g_autoptr(SrCapMessage) message = parse_fixture("cancel.xml", NULL);
	const char *const references[] = {SOURCE ":SRTW-3-ab12cd", NULL};

	g_assert_cmpstr(message->msg_type, ==, "Cancel");
	g_assert_cmpint(message->event->phase, ==, SR_PHASE_CANCELLED);
	g_assert_cmpint(message->event->status, ==, SR_STATUS_ACTUAL);
	g_assert_cmpint(message->event->kind, ==, SR_KIND_TSUNAMI);
	sr_test_assert_time(message->event->ended_at, "2026-01-05T11:40:00Z");
	assert_strings(message->event->references, references);
	g_assert_false(sr_event_is_active(message->event));
}

static void
test_cancel_without_info(void)
{
	const char *body =
	    CAP_HEAD CAP_REQUIRED "<msgType>Cancel</msgType><scope>Public</scope>"
	                          "<references>inline@example.org,SR-INLINE-0,2026-01-24T09:00:00Z"
	                          "</references></alert>";
	g_autoptr(SrCapMessage) message = parse_ok(body, -1, NULL);
	const char *const references[] = {SOURCE ":SR-INLINE-0", NULL};

	/* what it cancels is the referenced message's business */
	g_assert_nonnull(message->event);
	g_assert_cmpuint(message->languages->len, ==, 0);
	g_assert_cmpint(message->event->phase, ==, SR_PHASE_CANCELLED);
	g_assert_cmpint(message->event->kind, ==, SR_KIND_UNKNOWN);
	g_assert_cmpint(message->event->severity, ==, SR_SEVERITY_UNKNOWN);
	g_assert_null(message->event->headline);
	g_assert_null(message->event->language);
	g_assert_null(message->event->area.description);
	sr_test_assert_time(message->event->started_at, "2026-01-24T10:00:00Z");
	sr_test_assert_time(message->event->ended_at, "2026-01-24T10:00:00Z");
	assert_strings(message->event->references, references);
}

static void
test_all_clear(void)
{
	g_autoptr(SrCapMessage) message = parse_fixture("allclear.xml", NULL);
	const char *const references[] = {SOURCE ":SR-HAZ-2026-0042-1", NULL};

	g_assert_cmpint(message->event->phase, ==, SR_PHASE_ENDED);
	g_assert_cmpint(message->event->kind, ==, SR_KIND_HAZMAT);
	g_assert_cmpint(message->event->severity, ==, SR_SEVERITY_MINOR);
	sr_test_assert_time(message->event->ended_at, "2026-03-10T17:05:00Z");
	g_assert_cmpstr(message->event->headline, ==, "All clear: windows may be opened again");
	assert_strings(message->references, references);
	g_assert_false(sr_event_is_active(message->event));
}

static void
test_all_clear_needs_update(void)
{
	/* AllClear in a first Alert does not end anything */
	const char *body = CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType><scope>Public</scope>"
	                                         "<info><category>Safety</category><event>x</event>"
	                                         "<responseType>AllClear</responseType></info>"
	                                         "</alert>";
	g_autoptr(SrCapMessage) message = parse_ok(body, -1, NULL);

	g_assert_cmpint(message->event->phase, ==, SR_PHASE_ACTIVE);
	sr_test_assert_time(message->event->ended_at, NULL);
}

static void
test_green_is_no_warning(void)
{
	/* MeteoAlarm publishes awareness level 1 (green) for completeness: it is no warning */
	const char *green =
	    CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType><scope>Public</scope>"
	                          "<info><category>Met</category><event>Wind</event>"
	                          "<parameter><valueName>awareness_level</valueName>"
	                          "<value>1; green; Minor</value></parameter></info></alert>";
	const char *yellow =
	    CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType><scope>Public</scope>"
	                          "<info><category>Met</category><event>Wind</event>"
	                          "<parameter><valueName>awareness_level</valueName>"
	                          "<value>2; yellow; Moderate</value></parameter></info></alert>";
	/* an update to green ends the warning it updates */
	const char *to_green =
	    CAP_HEAD CAP_REQUIRED "<msgType>Update</msgType><scope>Public</scope>"
	                          "<references>inline@example.org,SR-INLINE-0,2026-01-24T09:00:00Z"
	                          "</references><info><category>Met</category><event>Wind</event>"
	                          "<parameter><valueName>awareness_level</valueName>"
	                          "<value>1; green; Minor</value></parameter></info></alert>";
	g_autoptr(SrCapMessage) message = parse_ok(green, -1, NULL);
	g_assert_null(message->event);
	g_clear_pointer(&message, sr_cap_message_free);
	message = parse_ok(yellow, -1, NULL);
	g_assert_cmpint(message->event->phase, ==, SR_PHASE_ACTIVE);
	g_clear_pointer(&message, sr_cap_message_free);
	message = parse_ok(to_green, -1, NULL);
	g_assert_cmpint(message->event->phase, ==, SR_PHASE_ENDED);
}

static void
test_status(void)
{
	static const struct {
		const char *fixture;
		SrStatus status;
	} cases[] = {
	    {"status-exercise.xml", SR_STATUS_EXERCISE},
	    {"status-test.xml", SR_STATUS_TEST},
	    {"status-system.xml", SR_STATUS_TEST},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SrCapMessage) message = parse_fixture(cases[i].fixture, NULL);
		g_assert_cmpint(message->event->status, ==, cases[i].status);
		g_assert_cmpint(message->event->kind, ==, SR_KIND_CIVIL);
		g_assert_cmpint(message->event->severity, ==, SR_SEVERITY_EXTREME);
	}
}

static void
test_status_inline(void)
{
	static const struct {
		const char *status;
		SrStatus expected;
	} cases[] = {
	    {"Draft", SR_STATUS_TEST},
	    {"actual", SR_STATUS_ACTUAL},
	    {" EXERCISE ", SR_STATUS_EXERCISE},
	    /* not CAP: nobody declared it real */
	    {"Real", SR_STATUS_TEST},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *body =
		    g_strdup_printf(CAP_HEAD "<identifier>S</identifier><sender>s@x</sender>"
		                             "<sent>2026-01-24T10:00:00Z</sent><status>%s</status>"
		                             "<msgType>Alert</msgType></alert>",
		                    cases[i].status);
		g_autoptr(SrCapMessage) message = parse_ok(body, -1, NULL);
		g_assert_cmpint(message->event->status, ==, cases[i].expected);
	}
	g_assert_cmpuint(sr_test_count_messages("status 'Real' is not a CAP status"), ==, 1);
}

static void
test_ack_error(void)
{
	const char *const types[] = {"Ack", "Error"};

	for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
		g_autofree char *body = g_strdup_printf(
		    CAP_HEAD CAP_REQUIRED "<msgType>%s</msgType><scope>Public</scope>"
		                          "<references>other@x,OTHER-1,2026-01-24T09:00:00Z"
		                          "</references><info><event>x</event></info></alert>",
		    types[i]);
		g_autoptr(SrCapMessage) message = parse_ok(body, -1, NULL);
		const char *const references[] = {SOURCE ":OTHER-1", NULL};
		const char *const languages[] = {"en-US", NULL};

		g_assert_cmpstr(message->msg_type, ==, types[i]);
		g_assert_null(message->event);
		assert_strings(message->references, references);
		assert_strings(message->languages, languages);
	}
}

static void
test_unknown_msg_type(void)
{
	const char *body = CAP_HEAD CAP_REQUIRED "<msgType>Notice</msgType></alert>";
	g_autoptr(SrCapMessage) message = parse_ok(body, -1, NULL);

	g_assert_cmpstr(message->msg_type, ==, "Notice");
	g_assert_nonnull(message->event);
	g_assert_cmpint(message->event->phase, ==, SR_PHASE_ACTIVE);
	g_assert_cmpuint(sr_test_count_messages("msgType 'Notice' is not a CAP message type"), ==,
	                 1);
}

static void
test_cap11(void)
{
	g_autoptr(SrCapMessage) message = parse_fixture("cap11.xml", NULL);
	const SrEvent *event = message->event;

	g_assert_cmpstr(message->identifier, ==, "SR.WX.FloodWarning.2026.05.0007");
	g_assert_cmpint(event->kind, ==, SR_KIND_FLOOD);
	g_assert_cmpint(event->severity, ==, SR_SEVERITY_MODERATE);
	sr_test_assert_time(event->started_at, "2026-05-21T02:14:00Z");
	sr_test_assert_time(event->expires_at, "2026-05-22T14:00:00Z");
	g_assert_cmpstr(event->area.description, ==, "Brook County");
	g_assert_cmpuint(event->area.polygons->len, ==, 1);
	assert_geocode(event, 0, "FIPS6", "019163");
	assert_geocode(event, 1, "UGC", "IAC163");
}

static void
test_profile(void)
{
	g_autoptr(SrCapMessage) message = parse_fixture("profile.xml", "fr");
	g_assert_cmpstr(message->identifier, ==, "LU-SR-000123");
	g_assert_cmpstr(message->event->language, ==, "fr");
}

static void
test_namespaces(void)
{
	static const struct {
		const char *ns;
		gboolean accepted;
	} cases[] = {
	    {"urn:oasis:names:tc:emergency:cap:1.2", TRUE},
	    {"urn:oasis:names:tc:emergency:cap:1.1", TRUE},
	    {"urn:oasis:names:tc:emergency:cap:1.2:profile:CAP-CP:0.4", TRUE},
	    {"urn:oasis:names:tc:emergency:cap:1.2:profile:", FALSE},
	    {"urn:oasis:names:tc:emergency:cap:1.3", FALSE},
	    {"urn:oasis:names:tc:emergency:cap:1.0", FALSE},
	    {"http://www.incident.com/cap/1.0", FALSE},
	    {"urn:oasis:names:tc:emergency:cap:1.2x", FALSE},
	    {"", FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *body = g_strdup_printf("<alert xmlns=\"%s\">" CAP_REQUIRED
		                                        "<msgType>Alert</msgType></alert>",
		                                        cases[i].ns);
		if (cases[i].accepted) {
			g_autoptr(SrCapMessage) message = parse_ok(body, -1, NULL);
			g_assert_cmpstr(message->identifier, ==, "SR-INLINE-1");
		} else {
			assert_cap_error(body, strlen(body), SR_ERROR_PARSE,
			                 "not a CAP 1.x document");
		}
	}
	assert_fixture_error("bad-wrong-ns.xml", SR_ERROR_PARSE, "not a CAP 1.x document");
}

static void
test_order(void)
{
	/* the schema fixes the order; publishers do not always follow it */
	const char *body = "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"
	                   "<info><headline>Out of order</headline><event>Flood</event></info>"
	                   "<msgType>Alert</msgType><status>Actual</status>"
	                   "<sent>2026-01-24T10:00:00+01:00</sent><sender>o@x</sender>"
	                   "<identifier>ORDER</identifier></alert>";
	g_autoptr(SrCapMessage) message = parse_ok(body, -1, NULL);

	g_assert_cmpstr(message->event->id, ==, SOURCE ":ORDER");
	g_assert_cmpstr(message->event->headline, ==, "Out of order");
	g_assert_cmpint(message->event->kind, ==, SR_KIND_FLOOD);
	sr_test_assert_time(message->sent, "2026-01-24T09:00:00Z");
}

static void
test_texts(void)
{
	/* CDATA, entities of XML itself, white space around values; a headline falls back to the
	 * event name; a web link that is not http(s) is dropped */
	const char *body = CAP_HEAD CAP_REQUIRED
	    "<msgType>Alert</msgType><scope>Public</scope>"
	    "<info><category>Met</category><event> Dense Fog </event>"
	    "<description><![CDATA[Visibility <b>below</b> 50 m]]></description>"
	    "<instruction>Drive &amp; stay &lt;slow&gt;</instruction>"
	    "<web>javascript:alert(1)</web>"
	    "<area><areaDesc>  A  </areaDesc></area><area/>"
	    "<area><areaDesc>B</areaDesc></area></info></alert>";
	g_autoptr(SrCapMessage) message = parse_ok(body, -1, NULL);

	g_assert_cmpstr(message->event->headline, ==, "Dense Fog");
	g_assert_cmpstr(message->event->description, ==, "Visibility <b>below</b> 50 m");
	g_assert_cmpstr(message->event->instruction, ==, "Drive & stay <slow>");
	g_assert_null(message->event->web);
	g_assert_cmpstr(message->event->area.description, ==, "A; B");
	g_assert_cmpint(message->event->kind, ==, SR_KIND_WEATHER);
}

static void
test_dates(void)
{
	g_autoptr(SrCapMessage) message = parse_fixture("dates.xml", NULL);

	/* -00:00 is UTC */
	sr_test_assert_time(message->sent, "2026-11-25T06:12:40Z");
	/* Z, as MeteoAlarm sends it, wins as the onset over +02:00 as the effective time */
	sr_test_assert_time(message->event->started_at, "2026-11-25T07:00:00Z");
	/* fractions of a second are cut */
	sr_test_assert_time(message->event->expires_at, "2026-11-25T12:30:00Z");
}

static void
test_parse_time(void)
{
	static const struct {
		const char *value;
		const char *expected; /* NULL: refused */
	} cases[] = {
	    {"2026-11-25T06:12:40-00:00", "2026-11-25T06:12:40Z"},
	    {"2026-11-25T06:12:40+00:00", "2026-11-25T06:12:40Z"},
	    {"2026-11-25T06:12:40+02:00", "2026-11-25T04:12:40Z"},
	    {"2026-11-25T06:12:40-05:30", "2026-11-25T11:42:40Z"},
	    {"2026-11-25T06:12:40+14:00", "2026-11-24T16:12:40Z"},
	    {"2026-11-25T06:12:40Z", "2026-11-25T06:12:40Z"},
	    {"2026-11-25t06:12:40z", "2026-11-25T06:12:40Z"},
	    {"2026-11-25T06:12:40.906349Z", "2026-11-25T06:12:40Z"},
	    {"2026-11-25T06:12:40,5+01:00", "2026-11-25T05:12:40Z"},
	    {"2026-11-25T06:12-00:00", "2026-11-25T06:12:00Z"},
	    {"2026-11-25 06:12:40+0200", "2026-11-25T04:12:40Z"},
	    {"2026-11-25T06:12:40+02", "2026-11-25T04:12:40Z"},
	    {"  2026-11-25T06:12:40Z\n", "2026-11-25T06:12:40Z"},
	    {"2026-12-31T23:59:60Z", "2026-12-31T23:59:59Z"},
	    {"2028-02-29T00:00:00Z", "2028-02-29T00:00:00Z"},
	    /* a wall-clock time of no zone */
	    {"2026-11-25T06:12:40", NULL},
	    {"2026-11-25", NULL},
	    {"", NULL},
	    {"   ", NULL},
	    {"2026-13-01T00:00:00Z", NULL},
	    {"2026-02-30T00:00:00Z", NULL},
	    {"2026-11-25T24:00:00Z", NULL},
	    {"2026-11-25T06:60:00Z", NULL},
	    {"2026-11-25T06:12:61Z", NULL},
	    {"2026-11-25T06:12:40+24:00", NULL},
	    {"2026-11-25T06:12:40+02:60", NULL},
	    {"2026-11-25T06:12:40.Z", NULL},
	    {"2026-11-25T06:12:40Z junk", NULL},
	    {"2026-11-25T06:12:40ZZ", NULL},
	    {"2026-W48-3T06:12:40Z", NULL},
	    {"20261125T061240Z", NULL},
	    {"26-11-25T06:12:40Z", NULL},
	    {"2026-1-25T06:12:40Z", NULL},
	    {"Wed, 25 Nov 2026 06:12:40 GMT", NULL},
	    {"0000-01-01T00:00:00Z", NULL},
	    /* 0 is unknown in the model, and nothing before it is an alert's time */
	    {"1970-01-01T00:00:00Z", NULL},
	    {"1969-12-31T23:59:59Z", NULL},
	    {"1970-01-01T01:00:00+02:00", NULL},
	    {"1970-01-01T00:00:01Z", "1970-01-01T00:00:01Z"},
	    {"9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		gint64 t = 0;
		gboolean ok = sr_cap_parse_time(cases[i].value, &t);
		if (cases[i].expected == NULL) {
			if (ok)
				g_error("'%s' was read as %" G_GINT64_FORMAT, cases[i].value, t);
			continue;
		}
		if (!ok)
			g_error("'%s' was refused", cases[i].value);
		sr_test_assert_time(t, cases[i].expected);
	}
	g_assert_false(sr_cap_parse_time(NULL, &(gint64){0}));
}

/* what CAP times read as when GDateTime and a GTimeZone of the offset did the arithmetic: the
 * reference the arithmetic in sr-time.c must agree with */
static gboolean
gdatetime_cap_time(gint year, gint month, gint day, gint hour, gint minute, gint second,
                   gint offset, gint64 *out)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_offset(offset);
	g_autoptr(GDateTime) dt = NULL;

	if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 ||
	    hour > 23 || minute > 59 || second > 60)
		return FALSE;
	dt = g_date_time_new(tz, year, month, day, hour, minute, MIN(second, 59));
	if (dt == NULL || g_date_time_to_unix(dt) <= 0)
		return FALSE;
	*out = g_date_time_to_unix(dt);
	return TRUE;
}

static void
test_time_agrees_with_gdatetime(void)
{
	static const gint years[] = {1969, 1970, 1971, 2000, 2024, 2025, 2026, 2100, 2400, 9999};
	g_autoptr(GRand) rand = g_rand_new_with_seed(1795587160);

	for (guint i = 0; i < 100000; i++) {
		gint year = g_rand_boolean(rand)
		                ? years[g_rand_int_range(rand, 0, G_N_ELEMENTS(years))]
		                : g_rand_int_range(rand, 1960, 10000);
		gint month = g_rand_int_range(rand, 1, 13);
		gint day = g_rand_int_range(rand, 1, 32);
		gint hour = g_rand_int_range(rand, 0, 24);
		gint minute = g_rand_int_range(rand, 0, 60);
		gint second = g_rand_int_range(rand, 0, 61);
		gint offset_hours = g_rand_int_range(rand, 0, 24);
		gint offset_minutes = g_rand_int_range(rand, 0, 60);
		gboolean negative = g_rand_boolean(rand);
		gint offset = (negative ? -1 : 1) * (offset_hours * 3600 + offset_minutes * 60);
		g_autofree char *text = NULL;
		gint64 expected = 0;
		gint64 got = 0;
		gboolean expected_ok = FALSE;
		gboolean got_ok = FALSE;

		/* the epoch's neighbourhood, where "nothing before 1970" cuts */
		if (i % 10 == 0) {
			year = g_rand_boolean(rand) ? 1970 : 1969;
			month = g_rand_boolean(rand) ? 1 : 12;
			day = month == 1 ? 1 : 31;
		}
		text = g_strdup_printf("%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", year, month, day,
		                       hour, minute, second, negative ? '-' : '+', offset_hours,
		                       offset_minutes);
		expected_ok =
		    gdatetime_cap_time(year, month, day, hour, minute, second, offset, &expected);
		got_ok = sr_cap_parse_time(text, &got);
		if (expected_ok != got_ok || (expected_ok && expected != got))
			g_error("'%s': GDateTime %s %" G_GINT64_FORMAT ", sr_cap_parse_time %s "
			        "%" G_GINT64_FORMAT,
			        text, expected_ok ? "reads" : "refuses", expected,
			        got_ok ? "reads" : "refuses", got);
	}
}

static void
test_optional_time_unreadable(void)
{
	const char *body = CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType><info>"
	                                         "<onset>soon</onset><expires>tomorrow</expires>"
	                                         "<effective>2026-01-24T11:00:00Z</effective>"
	                                         "</info></alert>";
	g_autoptr(SrCapMessage) message = parse_ok(body, -1, NULL);

	/* an unreadable onset is no onset: the effective time is the start */
	sr_test_assert_time(message->event->started_at, "2026-01-24T11:00:00Z");
	sr_test_assert_time(message->event->expires_at, NULL);
	g_assert_cmpuint(sr_test_count_messages("onset 'soon' is not a CAP dateTime"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("expires 'tomorrow' is not a CAP dateTime"), ==, 1);
}

static void
test_open_polygon(void)
{
	g_autoptr(SrCapMessage) message = parse_fixture("open-polygon.xml", NULL);
	const double open[] = {46.10, 7.10, 46.10, 7.20, 46.20, 7.20, 46.10, 7.10};
	const double parens[] = {45.00, 6.00, 45.00, 6.50, 45.50, 6.50, 45.50, 6.00, 45.00, 6.00};
	const double spaced[] = {44.0, 5.0, 44.0, 5.5, 44.5, 5.5, 44.0, 5.0};

	g_assert_cmpuint(message->event->area.polygons->len, ==, 3);
	/* an open ring is closed */
	assert_ring(message->event, 0, open, 4);
	assert_ring(message->event, 1, parens, 5);
	assert_ring(message->event, 2, spaced, 4);
	g_assert_cmpint(message->event->kind, ==, SR_KIND_OTHER);
}

static void
test_junk_polygons(void)
{
	g_autoptr(SrCapMessage) message = parse_fixture("junk-polygons.xml", NULL);
	/* the point at longitude 181 is dropped, the rest is a ring */
	const double trimmed[] = {2, 2, 3, 1, 4, 4, 2, 2};
	const double good[] = {10, 10, 10, 11, 11, 11, 10, 10};

	g_assert_cmpstr(message->event->area.description, ==, "Empty; Broken");
	g_assert_cmpuint(message->event->area.polygons->len, ==, 2);
	assert_ring(message->event, 0, trimmed, 4);
	assert_ring(message->event, 1, good, 4);
	/* geocodes without a name or a value are dropped */
	g_assert_cmpuint(message->event->area.geocodes->len, ==, 1);
	assert_geocode(message->event, 0, "EMMA_ID", "XX043");
	g_assert_cmpint(message->event->kind, ==, SR_KIND_WEATHER);
}

static void
test_precise_coordinates(void)
{
	g_autoptr(SrCapMessage) message = parse_fixture("precise-coordinates.xml", NULL);
	const double ring[] = {44.0, 5.0, 44.0, 5.1111111, 44.5, 5.5, 44.0, 5.0};
	const SrCircle *circle = NULL;
	g_autoptr(cJSON) json = NULL;
	g_autofree char *text = NULL;
	g_autoptr(SrEvent) again = NULL;
	g_autoptr(GError) error = NULL;

	/* a centimetre is precise enough, and survives the JSON of the store */
	assert_ring(message->event, 0, ring, 4);
	circle = &g_array_index(message->event->area.circles, SrCircle, 0);
	g_assert_cmpfloat(circle->lat, ==, 44.1234568);
	g_assert_cmpfloat(circle->lon, ==, 5.9876543);
	g_assert_cmpfloat(circle->radius_km, ==, 1.234568);
	json = sr_event_to_json(message->event, NULL);
	text = sr_json_print(json);
	again = sr_event_from_json_string(text, strlen(text), &error);
	g_assert_no_error(error);
	g_assert_true(sr_event_same_content(message->event, again));
}

static void
test_required(void)
{
	static const char *const elements[] = {"identifier", "sender", "sent", "status", "msgType"};
	static const char *const values[] = {"SR-REQ-1", "req@example.org",
	                                     "2026-01-24T10:00:00-00:00", "Actual", "Alert"};

	for (guint missing = 0; missing < G_N_ELEMENTS(elements); missing++) {
		for (guint empty = 0; empty < 2; empty++) {
			g_autoptr(GString) body = g_string_new(CAP_HEAD);
			g_autofree char *fragment =
			    g_strdup_printf("<%s> is missing or empty", elements[missing]);
			for (guint i = 0; i < G_N_ELEMENTS(elements); i++) {
				if (i == missing && !empty)
					continue;
				g_string_append_printf(body, "<%s>%s</%s>", elements[i],
				                       i == missing ? "  " : values[i],
				                       elements[i]);
			}
			g_string_append(body, "<scope>Public</scope></alert>");
			assert_cap_error(body->str, body->len, SR_ERROR_PARSE, fragment);
		}
	}
	/* an element of another namespace is not the CAP one */
	{
		const char *body =
		    CAP_HEAD "<x:identifier xmlns:x=\"urn:example\">X</x:identifier>"
		             "<sender>s@x</sender><sent>2026-01-24T10:00:00Z</sent>"
		             "<status>Actual</status><msgType>Alert</msgType></alert>";
		assert_cap_error(body, strlen(body), SR_ERROR_PARSE, "<identifier> is missing");
	}
	/* a year before the epoch (found by fuzzing) */
	assert_fixture_error("bad-sent-0412.xml", SR_ERROR_PARSE,
	                     "<sent> is not a date and time: '0412-11-25T06:12:40-00:00'");
	/* a sent time that is no time */
	{
		const char *body =
		    CAP_HEAD "<identifier>S</identifier><sender>s@x</sender>"
		             "<sent>2026-01-24T10:00:00</sent><status>Actual</status>"
		             "<msgType>Alert</msgType></alert>";
		assert_cap_error(body, strlen(body), SR_ERROR_PARSE,
		                 "<sent> is not a date and time: '2026-01-24T10:00:00'");
	}
}

static void
test_enumerations(void)
{
	SrSeverity severity = SR_SEVERITY_LAST;
	SrUrgency urgency = SR_URGENCY_LAST;
	SrCertainty certainty = SR_CERTAINTY_LAST;
	SrStatus status = SR_STATUS_LAST;

	g_assert_true(sr_cap_severity("Extreme", &severity));
	g_assert_cmpint(severity, ==, SR_SEVERITY_EXTREME);
	g_assert_true(sr_cap_severity("severe", &severity));
	g_assert_cmpint(severity, ==, SR_SEVERITY_SEVERE);
	g_assert_true(sr_cap_severity("MODERATE", &severity));
	g_assert_cmpint(severity, ==, SR_SEVERITY_MODERATE);
	g_assert_true(sr_cap_severity("Minor", &severity));
	g_assert_cmpint(severity, ==, SR_SEVERITY_MINOR);
	g_assert_true(sr_cap_severity("Unknown", &severity));
	g_assert_cmpint(severity, ==, SR_SEVERITY_UNKNOWN);
	g_assert_false(sr_cap_severity("Catastrophic", &severity));
	g_assert_false(sr_cap_severity("", &severity));
	g_assert_false(sr_cap_severity(NULL, &severity));

	g_assert_true(sr_cap_urgency("Immediate", &urgency));
	g_assert_cmpint(urgency, ==, SR_URGENCY_IMMEDIATE);
	g_assert_true(sr_cap_urgency("expected", &urgency));
	g_assert_cmpint(urgency, ==, SR_URGENCY_EXPECTED);
	g_assert_true(sr_cap_urgency("Future", &urgency));
	g_assert_cmpint(urgency, ==, SR_URGENCY_FUTURE);
	g_assert_true(sr_cap_urgency("Past", &urgency));
	g_assert_cmpint(urgency, ==, SR_URGENCY_PAST);
	g_assert_true(sr_cap_urgency("Unknown", &urgency));
	g_assert_cmpint(urgency, ==, SR_URGENCY_UNKNOWN);
	g_assert_false(sr_cap_urgency("Now", &urgency));

	g_assert_true(sr_cap_certainty("Observed", &certainty));
	g_assert_cmpint(certainty, ==, SR_CERTAINTY_OBSERVED);
	g_assert_true(sr_cap_certainty("Likely", &certainty));
	g_assert_cmpint(certainty, ==, SR_CERTAINTY_LIKELY);
	/* CAP 1.0's */
	g_assert_true(sr_cap_certainty("Very Likely", &certainty));
	g_assert_cmpint(certainty, ==, SR_CERTAINTY_LIKELY);
	g_assert_true(sr_cap_certainty("possible", &certainty));
	g_assert_cmpint(certainty, ==, SR_CERTAINTY_POSSIBLE);
	g_assert_true(sr_cap_certainty("Unlikely", &certainty));
	g_assert_cmpint(certainty, ==, SR_CERTAINTY_UNLIKELY);
	g_assert_true(sr_cap_certainty("Unknown", &certainty));
	g_assert_cmpint(certainty, ==, SR_CERTAINTY_UNKNOWN);
	g_assert_false(sr_cap_certainty("Certain", &certainty));

	g_assert_true(sr_cap_status("Actual", &status));
	g_assert_cmpint(status, ==, SR_STATUS_ACTUAL);
	g_assert_true(sr_cap_status("Exercise", &status));
	g_assert_cmpint(status, ==, SR_STATUS_EXERCISE);
	g_assert_true(sr_cap_status("Test", &status));
	g_assert_cmpint(status, ==, SR_STATUS_TEST);
	status = SR_STATUS_ACTUAL;
	g_assert_true(sr_cap_status("System", &status));
	g_assert_cmpint(status, ==, SR_STATUS_TEST);
	status = SR_STATUS_ACTUAL;
	g_assert_true(sr_cap_status("draft", &status));
	g_assert_cmpint(status, ==, SR_STATUS_TEST);
	g_assert_false(sr_cap_status("Real", &status));
}

static void
test_unknown_enumerations(void)
{
	const char *body = CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType><info>"
	                                         "<category>Weather</category><event>x</event>"
	                                         "<urgency>Now</urgency><severity>Catastrophic"
	                                         "</severity><certainty>Certain</certainty>"
	                                         "</info></alert>";

	for (guint round = 0; round < 2; round++) {
		g_autoptr(SrCapMessage) message = parse_ok(body, -1, NULL);
		g_assert_cmpint(message->event->severity, ==, SR_SEVERITY_UNKNOWN);
		g_assert_cmpint(message->event->urgency, ==, SR_URGENCY_UNKNOWN);
		g_assert_cmpint(message->event->certainty, ==, SR_CERTAINTY_UNKNOWN);
		g_assert_cmpint(message->event->kind, ==, SR_KIND_OTHER);
	}
	/* once each, however often it comes */
	g_assert_cmpuint(sr_test_count_messages("severity 'Catastrophic' is not a CAP severity"),
	                 ==, 1);
	g_assert_cmpuint(sr_test_count_messages("urgency 'Now' is not a CAP urgency"), ==, 1);
	g_assert_cmpuint(sr_test_count_messages("certainty 'Certain' is not a CAP certainty"), ==,
	                 1);
	g_assert_cmpuint(sr_test_count_messages("category 'Weather' is not a CAP category"), ==, 1);
}

static void
test_kind(void)
{
	static const struct {
		const char *categories; /* comma-separated, or NULL */
		const char *event;
		SrKind kind;
	} cases[] = {
	    {"Geo", "Tsunami Warning", SR_KIND_TSUNAMI},
	    {"Geo", "Tsunami Cancellation", SR_KIND_TSUNAMI},
	    {NULL, "Earthquake", SR_KIND_EARTHQUAKE},
	    {"Geo", "Erdbeben", SR_KIND_EARTHQUAKE},
	    {"Met", "Flood Warning", SR_KIND_FLOOD},
	    {"Met", "Flash Flood Watch", SR_KIND_FLOOD},
	    {"Met", "Storm Surge Warning", SR_KIND_FLOOD},
	    {"Met", "Hochwasser", SR_KIND_FLOOD},
	    {"Met", "ÜBERSCHWEMMUNG", SR_KIND_FLOOD},
	    {"Met", "Sturmflut", SR_KIND_FLOOD},
	    {"Fire", "Wildfire", SR_KIND_FIRE},
	    {"Met", "Fire Weather Watch", SR_KIND_FIRE},
	    {"Safety", "Waldbrandgefahr", SR_KIND_FIRE},
	    {"Safety", "Brand", SR_KIND_FIRE},
	    {"Security", "Air Raid Alert", SR_KIND_AIR_RAID},
	    {"Security", "Luftangriff", SR_KIND_AIR_RAID},
	    {"Security", "Ballistic Missile Threat", SR_KIND_MISSILE},
	    {"CBRNE", "Radiological Hazard Warning", SR_KIND_NUCLEAR},
	    {"Safety", "Nuclear Power Plant Warning", SR_KIND_NUCLEAR},
	    {"CBRNE", "Chemical release", SR_KIND_HAZMAT},
	    {"Safety", "Hazardous Materials Warning", SR_KIND_HAZMAT},
	    {"Env", "Gefahrstoffausbreitung", SR_KIND_HAZMAT},
	    {"Geo", "Avalanche Warning", SR_KIND_WEATHER},
	    {"Met", "Blizzard Warning", SR_KIND_WEATHER},
	    {"Met", "Winter Storm Warning", SR_KIND_WEATHER},
	    {NULL, "Severe Thunderstorm Warning", SR_KIND_WEATHER},
	    {NULL, "Dense Fog Advisory", SR_KIND_WEATHER},
	    {NULL, "Excessive Heat Warning", SR_KIND_WEATHER},
	    {NULL, "Frost Advisory", SR_KIND_WEATHER},
	    {NULL, "Freezing Rain", SR_KIND_WEATHER},
	    {NULL, "Yellow wind warning", SR_KIND_WEATHER},
	    {NULL, "Snow Squall Warning", SR_KIND_WEATHER},
	    {NULL, "Sturmböen", SR_KIND_WEATHER},
	    {NULL, "STARKES GEWITTER", SR_KIND_WEATHER},
	    {NULL, "Glätte", SR_KIND_WEATHER},
	    {NULL, "Dauerregen", SR_KIND_WEATHER},
	    {NULL, "Extremes Unwetter", SR_KIND_WEATHER},
	    {NULL, "Hitzewarnung", SR_KIND_WEATHER},
	    {NULL, "Schneefall", SR_KIND_WEATHER},
	    {NULL, "Pandemic Update", SR_KIND_HEALTH},
	    {NULL, "Public Health Emergency", SR_KIND_HEALTH},
	    /* English keywords at the start of a word only */
	    {"Security", "Police Notice", SR_KIND_CIVIL},
	    {"Other", "Terrain closure", SR_KIND_OTHER},
	    /* the category when no keyword fits */
	    {"Met", NULL, SR_KIND_WEATHER},
	    {"met", "Special Statement", SR_KIND_WEATHER},
	    {"Geo", "Volcano", SR_KIND_OTHER},
	    {"Fire", "Red Flag Warning", SR_KIND_FIRE},
	    {"Health", "Boil Water Advisory", SR_KIND_HEALTH},
	    {"CBRNE", "Incident", SR_KIND_HAZMAT},
	    {"Safety", "Shelter In Place Warning", SR_KIND_CIVIL},
	    {"Security", "Law Enforcement Warning", SR_KIND_CIVIL},
	    {"Rescue", "Child Abduction Emergency", SR_KIND_CIVIL},
	    {"Transport", "Road closure", SR_KIND_CIVIL},
	    {"Infra", "911 Telephone Outage", SR_KIND_CIVIL},
	    {"Env", "Water pollution", SR_KIND_CIVIL},
	    {"Other", "Something", SR_KIND_OTHER},
	    {"Bogus,Met", "Something", SR_KIND_WEATHER},
	    {"Safety,Met", "Something", SR_KIND_CIVIL},
	    {"Bogus", "Something", SR_KIND_OTHER},
	    {NULL, NULL, SR_KIND_OTHER},
	    {NULL, "", SR_KIND_OTHER},
	    {NULL, "\xff\xfe broken", SR_KIND_OTHER},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) categories = NULL;
		SrKind kind = SR_KIND_LAST;
		if (cases[i].categories != NULL) {
			g_auto(GStrv) names = g_strsplit(cases[i].categories, ",", -1);
			categories = g_ptr_array_new_with_free_func(g_free);
			for (guint j = 0; names[j] != NULL; j++)
				g_ptr_array_add(categories, g_strdup(names[j]));
		}
		kind = sr_cap_kind(categories, cases[i].event);
		if (kind != cases[i].kind)
			g_error("'%s' (%s): %s, expected %s", cases[i].event, cases[i].categories,
			        sr_kind_to_string(kind), sr_kind_to_string(cases[i].kind));
	}
}

static void
test_encodings(void)
{
	/* a declared single-byte encoding is converted */
	{
		const char *body =
		    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
		    "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">" CAP_REQUIRED
		    "<msgType>Alert</msgType><info><headline>Caf\xe9 ferm\xe9"
		    "</headline></info></alert>";
		g_autoptr(SrCapMessage) message = parse_ok(body, -1, NULL);
		g_assert_cmpstr(message->event->headline, ==, "Café fermé");
	}
	/* UTF-16 with its BOM */
	{
		const char *utf8 = "\xef\xbb\xbf<alert "
		                   "xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">" CAP_REQUIRED
		                   "<msgType>Alert</msgType><info><headline>Äpfel"
		                   "</headline></info></alert>";
		g_autoptr(GError) error = NULL;
		gsize len = 0;
		g_autofree char *utf16 =
		    g_convert(utf8 + 3, -1, "UTF-16LE", "UTF-8", NULL, &len, &error);
		g_autofree char *body = g_malloc(len + 2);
		g_autoptr(SrCapMessage) message = NULL;
		g_assert_no_error(error);
		body[0] = '\xff';
		body[1] = '\xfe';
		memcpy(body + 2, utf16, len);
		message = parse_ok(body, (gssize)(len + 2), NULL);
		g_assert_cmpstr(message->event->headline, ==, "Äpfel");
	}
	/* a UTF-8 BOM */
	{
		const char *body = "\xef\xbb\xbf<alert "
		                   "xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">" CAP_REQUIRED
		                   "<msgType>Alert</msgType></alert>";
		g_autoptr(SrCapMessage) message = parse_ok(body, -1, NULL);
		g_assert_cmpstr(message->identifier, ==, "SR-INLINE-1");
	}
	/* windows-1252, whose 0x80 is the euro */
	{
		const char *body =
		    "<?xml version='1.0' encoding='windows-1252'?>"
		    "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">" CAP_REQUIRED
		    "<msgType>Alert</msgType><info><headline>5 \x80"
		    "</headline></info></alert>";
		g_autoptr(SrCapMessage) message = parse_ok(body, -1, NULL);
		g_assert_cmpstr(message->event->headline, ==, "5 €");
	}
	/* UTF-16 declared on bytes that are plainly not: read as UTF-8, as libxml2 would */
	{
		const char *body =
		    "<?xml version='1.0' encoding='UTF-16'?>"
		    "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">" CAP_REQUIRED
		    "<msgType>Alert</msgType><info><headline>Ä</headline></info></alert>";
		g_autoptr(SrCapMessage) message = parse_ok(body, -1, NULL);
		g_assert_cmpstr(message->event->headline, ==, "Ä");
	}
	/* an encoding nobody knows, and one that is not a name */
	{
		const char *body =
		    "<?xml version=\"1.0\" encoding=\"x-no-such-thing\"?>"
		    "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">" CAP_REQUIRED
		    "<msgType>Alert</msgType></alert>";
		assert_cap_error(body, strlen(body), SR_ERROR_PARSE,
		                 "an unknown encoding 'x-no-such-thing'");
	}
	{
		const char *body = "<?xml version=\"1.0\" encoding=\"a b/c\"?><alert/>";
		assert_cap_error(body, strlen(body), SR_ERROR_PARSE, "an unknown encoding");
	}
	/* UTF-16 cut in the middle of a character, and a NUL in UTF-16 */
	{
		const char body[] = "\xff\xfe"
		                    "<\x00"
		                    "a\x00"
		                    "/\x00"
		                    ">\x00"
		                    "\x00";
		assert_cap_error(body, sizeof(body) - 1, SR_ERROR_PARSE, "not valid UTF-16LE");
	}
	{
		const char body[] = "<\x00"
		                    "?\x00"
		                    "x\x00"
		                    "\x00\x00";
		assert_cap_error(body, sizeof(body) - 1, SR_ERROR_PARSE, "not valid UTF-8");
		assert_index_error(body, sizeof(body) - 1, SR_ERROR_PARSE, "not valid UTF-8");
	}
	/* a Shift_JIS lead byte with nothing after it */
	{
		const char *body = "<?xml version='1.0' encoding='Shift_JIS'?><alert>\x82</alert>";
		assert_cap_error(body, strlen(body), SR_ERROR_PARSE, "not valid Shift_JIS");
	}
}

/* hostile documents: each is refused, fast, for both parsers */

static void
test_hostile_xxe(void)
{
	assert_fixture_error("bad-xxe.xml", SR_ERROR_PARSE, "DOCTYPE");
	/* an external DTD, or a parameter entity pulling one in */
	{
		const char *body =
		    "<?xml version=\"1.0\"?>"
		    "<!DOCTYPE alert SYSTEM \"http://127.0.0.1:9/evil.dtd\">"
		    "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">" CAP_REQUIRED
		    "<msgType>Alert</msgType></alert>";
		assert_cap_error(body, strlen(body), SR_ERROR_PARSE, "DOCTYPE");
		assert_index_error(body, strlen(body), SR_ERROR_PARSE, "DOCTYPE");
	}
	{
		const char *body = "<!DOCTYPE feed [<!ENTITY % ext SYSTEM \"file:///etc/passwd\">"
		                   "%ext;]><feed xmlns=\"http://www.w3.org/2005/Atom\"/>";
		assert_index_error(body, strlen(body), SR_ERROR_PARSE, "DOCTYPE");
	}
}

static void
test_hostile_billion_laughs(void)
{
	assert_fixture_error("bad-billion-laughs.xml", SR_ERROR_PARSE, "DOCTYPE");
}

static void
test_hostile_quadratic(void)
{
	/* one entity of 64 KiB referenced 30000 times: 2 GB once expanded */
	const gsize entity = 64 * 1024;
	const guint references = 30000;
	g_autoptr(GString) body = g_string_sized_new(entity + references * 4 + 512);
	g_autofree char *filler = g_strnfill(entity, 'a');

	g_string_append_printf(body, "<?xml version=\"1.0\"?><!DOCTYPE alert [<!ENTITY a \"%s\">]>",
	                       filler);
	g_string_append(body, "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"
	                      "<identifier>");
	for (guint i = 0; i < references; i++)
		g_string_append(body, "&a;");
	g_string_append(body, "</identifier></alert>");
	assert_cap_error(body->str, body->len, SR_ERROR_PARSE, "DOCTYPE");
	assert_index_error(body->str, body->len, SR_ERROR_PARSE, "DOCTYPE");
}

static void
test_hostile_doctype(void)
{
	assert_fixture_error("bad-doctype.xml", SR_ERROR_PARSE, "DOCTYPE");
	/* even an empty internal subset, after comments */
	{
		const char *body = "<!-- x --><!DOCTYPE alert []><alert/>";
		assert_cap_error(body, strlen(body), SR_ERROR_PARSE, "DOCTYPE");
	}
	/* an undeclared entity is no substitute */
	{
		const char *body = "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"
		                   "<identifier>&undeclared;</identifier></alert>";
		assert_cap_error(body, strlen(body), SR_ERROR_PARSE, "not well-formed XML");
	}
}

static void
test_hostile_deep(void)
{
	const guint depth = 100000;
	g_autoptr(GString) body = g_string_sized_new(depth * 8 + 128);
	gsize open_len = 0;

	g_string_append(body, "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">");
	for (guint i = 0; i < depth; i++)
		g_string_append(body, "<a>");
	open_len = body->len;
	for (guint i = 0; i < depth; i++)
		g_string_append(body, "</a>");
	g_string_append(body, "</alert>");
	/* closed: well-formed, but too deep */
	assert_cap_error(body->str, body->len, SR_ERROR_PARSE, "nested deeper than");
	assert_index_error(body->str, body->len, SR_ERROR_PARSE, "nested deeper than");
	/* open: truncated as well */
	assert_cap_error(body->str, open_len, SR_ERROR_PARSE, "nested deeper than");
	assert_index_error(body->str, open_len, SR_ERROR_PARSE, "nested deeper than");
	/* a CAP alert is nowhere near the limit */
	{
		g_autoptr(GString) shallow = g_string_new(CAP_HEAD CAP_REQUIRED);
		g_autoptr(SrCapMessage) message = NULL;
		g_string_append(shallow, "<msgType>Alert</msgType><info><area><geocode><value>");
		for (guint i = 0; i < 40; i++)
			g_string_append(shallow, "<x>");
		for (guint i = 0; i < 40; i++)
			g_string_append(shallow, "</x>");
		g_string_append(shallow, "</value></geocode></area></info></alert>");
		message = parse_ok(shallow->str, (gssize)shallow->len, NULL);
		g_assert_cmpstr(message->identifier, ==, "SR-INLINE-1");
	}
}

static void
test_hostile_huge(void)
{
	const gsize size = 100 * 1024 * 1024;
	const char *head = CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType><info><description>";
	g_autofree char *body = g_malloc(size);

	/* a real start, then description text to the end */
	memset(body, 'a', size);
	memcpy(body, head, strlen(head));
	assert_cap_error(body, size, SR_ERROR_TOO_LARGE, "bytes a CAP document may have");
	assert_index_error(body, size, SR_ERROR_TOO_LARGE, "bytes a CAP index feed may have");
}

static void
test_size_cap(void)
{
	const gsize cap = 4 * 1024 * 1024;
	const char *head = CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType><!--";
	const char *tail = "--></alert>";
	g_autofree char *body = g_malloc(cap + 1);
	gsize head_len = strlen(head);
	gsize tail_len = strlen(tail);

	/* exactly at the cap: parsed */
	memcpy(body, head, head_len);
	memset(body + head_len, ' ', cap - head_len - tail_len);
	memcpy(body + cap - tail_len, tail, tail_len);
	{
		g_autoptr(SrCapMessage) message = parse_ok(body, (gssize)cap, NULL);
		g_assert_cmpstr(message->identifier, ==, "SR-INLINE-1");
	}
	/* one byte more: refused */
	memset(body + head_len, ' ', cap + 1 - head_len - tail_len);
	memcpy(body + cap + 1 - tail_len, tail, tail_len);
	assert_cap_error(body, cap + 1, SR_ERROR_TOO_LARGE, NULL);
}

static void
test_hostile_utf8(void)
{
#define BODY(literal) literal, sizeof(literal) - 1
	static const struct {
		const char *body;
		gsize len;
	} cases[] = {
	    {BODY("<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>\xff\xfe"
	          "</identifier></alert>")},
	    {BODY("<?xml version=\"1.0\" encoding=\"utf-8\"?><alert>\xc3\x28</alert>")},
	    /* overlong, surrogate */
	    {BODY("<alert>\xc0\xaf</alert>")},
	    {BODY("<alert>\xed\xa0\x80</alert>")},
	    /* a NUL in the middle would end libxml2's view of the body early */
	    {BODY("<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">\0<x/></alert>")},
	    {BODY("<alert/>\0")},
	};
#undef BODY

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		assert_cap_error(cases[i].body, cases[i].len, SR_ERROR_PARSE, "not valid UTF-8");
		assert_index_error(cases[i].body, cases[i].len, SR_ERROR_PARSE, "not valid UTF-8");
	}
}

static void
test_hostile_truncated(void)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture("cap", "minimal.xml", &len);

	assert_fixture_error("bad-truncated.xml", SR_ERROR_PARSE, "not well-formed XML");
	/* cut anywhere: never a message (the fixture's end is only white space after </alert>) */
	for (gsize cut = 0; cut + 10 < len; cut += 7)
		assert_cap_error(body, cut, SR_ERROR_PARSE, NULL);
}

static void
test_hostile_empty(void)
{
	static const char *const bodies[] = {"", " ", "\n\t\r\n "};

	assert_cap_error(NULL, 0, SR_ERROR_PARSE, "empty");
	assert_index_error(NULL, 0, SR_ERROR_PARSE, "empty");
	for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
		assert_cap_error(bodies[i], strlen(bodies[i]), SR_ERROR_PARSE, "empty");
		assert_index_error(bodies[i], strlen(bodies[i]), SR_ERROR_PARSE, "empty");
	}
	/* the length counts, not a NUL */
	assert_cap_error("<alert/>", 0, SR_ERROR_PARSE, "empty");
}

static void
test_hostile_html(void)
{
	static const char *const bodies[] = {
	    "<html><body>502 Bad Gateway</body></html>",
	    "<html><head><title>Error</title></head><body><p>Not found<br></body></html>",
	    "not xml at all",
	    "{\"alert\": {}}",
	    "<alert>unqualified</alert>",
	};

	assert_fixture_error("bad-html.html", SR_ERROR_PARSE, "DOCTYPE");
	for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
		assert_cap_error(bodies[i], strlen(bodies[i]), SR_ERROR_PARSE, NULL);
		assert_index_error(bodies[i], strlen(bodies[i]), SR_ERROR_PARSE, NULL);
	}
	/* well-formed: said so by the namespace */
	assert_cap_error(bodies[0], strlen(bodies[0]), SR_ERROR_PARSE,
	                 "not a CAP 1.x document: the root element is <html>");
	assert_index_error(bodies[0], strlen(bodies[0]), SR_ERROR_PARSE,
	                   "not an Atom or RSS 2.0 feed: the root element is <html>");
	/* broken: said so by libxml2 */
	assert_cap_error(bodies[1], strlen(bodies[1]), SR_ERROR_PARSE, "not well-formed XML");
}

static void
test_hostile_many_attributes(void)
{
	/* libxml2 2.9 compares every attribute of a tag with every other */
	for (guint n = 128; n <= 129; n++) {
		g_autoptr(GString) body =
		    g_string_new(CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType><x");
		for (guint i = 0; i < n; i++)
			g_string_append_printf(body, " a%u=\"=\"", i);
		g_string_append(body, "/></alert>");
		if (n == 128) {
			g_autoptr(SrCapMessage) message =
			    parse_ok(body->str, (gssize)body->len, NULL);
			g_assert_cmpstr(message->identifier, ==, "SR-INLINE-1");
		} else {
			assert_cap_error(body->str, body->len, SR_ERROR_PARSE,
			                 "a tag with too many attributes");
			assert_index_error(body->str, body->len, SR_ERROR_PARSE,
			                   "a tag with too many attributes");
		}
	}
}

static void
test_hostile_many_names(void)
{
	/* libxml2 2.9 keeps every name in a dictionary that slows down as it fills */
	g_autoptr(GString) names = g_string_new(CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType>");
	g_autoptr(GString) targets = g_string_new(CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType>");

	for (guint i = 0; i < 5000; i++) {
		g_string_append_printf(names, "<e%u/>", i);
		g_string_append_printf(targets, "<?t%u?>", i);
	}
	g_string_append(names, "</alert>");
	g_string_append(targets, "</alert>");
	assert_cap_error(names->str, names->len, SR_ERROR_PARSE, "too many different names");
	assert_index_error(names->str, names->len, SR_ERROR_PARSE, "too many different names");
	assert_cap_error(targets->str, targets->len, SR_ERROR_PARSE, "too many different names");
	/* end tags are not counted (each repeats its start tag's name): pairs are counted by
	 * their start tags, and end tags that match nothing stop libxml2 at the first one */
	{
		g_autoptr(GString) pairs =
		    g_string_new(CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType>");
		g_autoptr(GString) ends =
		    g_string_new(CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType>");
		for (guint i = 0; i < 5000; i++) {
			g_string_append_printf(pairs, "<e%u></e%u>", i, i);
			g_string_append_printf(ends, "</e%u>", i);
		}
		g_string_append(pairs, "</alert>");
		g_string_append(ends, "</alert>");
		assert_cap_error(pairs->str, pairs->len, SR_ERROR_PARSE,
		                 "too many different names");
		assert_index_error(pairs->str, pairs->len, SR_ERROR_PARSE,
		                   "too many different names");
		assert_cap_error(ends->str, ends->len, SR_ERROR_PARSE, "not well-formed XML");
		assert_index_error(ends->str, ends->len, SR_ERROR_PARSE, "not well-formed XML");
	}
	/* the same names many times are few names */
	{
		g_autoptr(GString) body =
		    g_string_new(CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType>");
		g_autoptr(SrCapMessage) message = NULL;
		for (guint i = 0; i < 20000; i++)
			g_string_append_printf(body, "<e%u/>", i % 100);
		g_string_append(body, "</alert>");
		message = parse_ok(body->str, (gssize)body->len, NULL);
		g_assert_cmpstr(message->identifier, ==, "SR-INLINE-1");
	}
}

static void
test_hostile_many_namespaces(void)
{
	/* libxml2 2.9 searches the namespaces in scope for every element */
	g_autoptr(GString) nested = g_string_new(CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType>");
	g_autoptr(GString) siblings =
	    g_string_new(CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType>");
	g_autoptr(SrCapMessage) message = NULL;

	for (guint i = 0; i < 40; i++) {
		g_string_append_printf(nested, "<n xmlns:a%u=\"urn:x\" xmlns:b%u=\"urn:x\">", i, i);
		g_string_append_printf(siblings, "<n xmlns:a%u=\"urn:x\" xmlns:b%u=\"urn:x\"/>", i,
		                       i);
	}
	for (guint i = 0; i < 40; i++)
		g_string_append(nested, "</n>");
	g_string_append(nested, "</alert>");
	g_string_append(siblings, "</alert>");
	assert_cap_error(nested->str, nested->len, SR_ERROR_PARSE, "too many namespaces in scope");
	assert_index_error(nested->str, nested->len, SR_ERROR_PARSE,
	                   "too many namespaces in scope");
	/* out of scope once their element ends */
	message = parse_ok(siblings->str, (gssize)siblings->len, NULL);
	g_assert_cmpstr(message->identifier, ==, "SR-INLINE-1");
}

static void
test_lexer_corners(void)
{
	/* what the attribute and name counting must not mistake for tags */
	const char *body =
	    CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType>"
	                          "<!-- <a b=c d=e> '\" --><?pi a=b <c d=e> ?>"
	                          "<info x=\"a>b=c\" y='\"&lt;=' >"
	                          "<description><![CDATA[<x a=1 b=2> \" ' ]]> a = b ' c \" &gt;"
	                          "</description></info></alert>";
	g_autoptr(SrCapMessage) message = parse_ok(body, -1, NULL);

	g_assert_cmpstr(message->event->description, ==, "<x a=1 b=2> \" '  a = b ' c \" >");
}

static void
test_many_references(void)
{
	g_autoptr(GString) body = g_string_new(CAP_HEAD CAP_REQUIRED "<msgType>Update</msgType>"
	                                                             "<references>");
	g_autoptr(SrCapMessage) message = NULL;

	for (guint i = 0; i < 300; i++)
		g_string_append_printf(body, "a@x,R%03u,2026-01-01T%02u:%02u:00Z ", i, i / 60,
		                       i % 60);
	g_string_append(body, "</references></alert>");
	message = parse_ok(body->str, (gssize)body->len, NULL);
	/* the newest 256 */
	g_assert_cmpuint(message->references->len, ==, 256);
	g_assert_cmpuint(message->event->references->len, ==, 256);
	g_assert_cmpstr(g_ptr_array_index(message->references, 0), ==, SOURCE ":R044");
	g_assert_cmpstr(g_ptr_array_index(message->references, 255), ==, SOURCE ":R299");
}

/* libxml2 reports to this context's handler only: nothing on stderr, nothing to a handler some
 * other part of the process installed */
static guint global_errors = 0;

#if LIBXML_VERSION >= 21200
static void
count_global_error(void *user_data, const xmlError *error)
#else
static void
count_global_error(void *user_data, xmlErrorPtr error)
#endif
{
	global_errors++;
}

static void
run_hostile_battery(void)
{
	static const char *const fixtures[] = {"bad-xxe.xml",      "bad-billion-laughs.xml",
	                                       "bad-doctype.xml",  "bad-truncated.xml",
	                                       "bad-wrong-ns.xml", "bad-html.html"};
	static const char *const bodies[] = {
	    "<a><b></a>",
	    "<alert>&undeclared;</alert>",
	    "<?xml version=\"1.0\" encoding=\"x-no-such-thing\"?><a/>",
	    "<alert xmlns:p=\"urn:x\"><q:x/></alert>",
	    "<a x='1' x='2'/>",
	    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\x01</a>",
	    /* what libxml2 would convert itself, and report to stderr when it fails */
	    "<?xml version='1.0' encoding='Shift_JIS'?><a>\x82</a>",
	    "<?xml version='1.0' encoding='UTF-16'?><a>\xff\xfe</a>",
	    "<?xml version='1.0' encoding='US-ASCII'?><a>\xc3\xa4</a>",
	};
	/* UTF-16 with a lone surrogate */
	static const char utf16[] = "\xff\xfe"
	                            "<\x00"
	                            "a\x00"
	                            "\x00\xd8"
	                            "/\x00"
	                            ">\x00";

	assert_cap_error(utf16, sizeof(utf16) - 1, SR_ERROR_PARSE, "not valid UTF-16LE");
	assert_index_error(utf16, sizeof(utf16) - 1, SR_ERROR_PARSE, "not valid UTF-16LE");
	for (guint i = 0; i < G_N_ELEMENTS(fixtures); i++) {
		gsize len = 0;
		g_autofree char *body = sr_test_read_fixture("cap", fixtures[i], &len);
		assert_cap_error(body, len, SR_ERROR_PARSE, NULL);
		assert_index_error(body, len, SR_ERROR_PARSE, NULL);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
		assert_cap_error(bodies[i], strlen(bodies[i]), SR_ERROR_PARSE, NULL);
		assert_index_error(bodies[i], strlen(bodies[i]), SR_ERROR_PARSE, NULL);
	}
}

static void
test_quiet(void)
{
	if (g_test_subprocess()) {
		run_hostile_battery();
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();
	g_test_trap_assert_stderr("");

	/* a handler installed for the whole thread is not called for our documents */
	xmlSetStructuredErrorFunc(NULL, count_global_error);
	run_hostile_battery();
	xmlSetStructuredErrorFunc(NULL, NULL);
	g_assert_cmpuint(global_errors, ==, 0);
}

/* index feeds */

static GPtrArray *
parse_index_fixture(const char *name, const SrLocation *location)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture("cap", name, &len);
	SrParseContext ctx = context(NULL);
	g_autoptr(GError) error = NULL;
	GPtrArray *entries = NULL;

	ctx.location = location;
	g_assert_true(sr_cap_body_is_index(body, len));
	entries = sr_cap_parse_index(body, len, &ctx, &error);
	g_assert_no_error(error);
	g_assert_nonnull(entries);
	return entries;
}

static void
assert_entry(GPtrArray *entries, guint index, const char *key, const char *url, const char *version,
             gboolean skip)
{
	const SrIndexEntry *entry = NULL;
	g_assert_cmpuint(index, <, entries->len);
	entry = g_ptr_array_index(entries, index);
	g_assert_cmpstr(entry->key, ==, key);
	g_assert_cmpstr(entry->url, ==, url);
	g_assert_cmpstr(entry->version, ==, version);
	if (entry->skip != skip)
		g_error("entry %s: skip is %d", key, entry->skip);
}

static void
test_index_atom(void)
{
	g_autoptr(GPtrArray) entries = parse_index_fixture("index-atom.xml", NULL);

	/* the feed itself, two links neither typed CAP and a javascript: link are left out */
	g_assert_cmpuint(entries->len, ==, 8);
	/* the CAP-typed link, not the HTML one */
	assert_entry(entries, 0, "urn:alerts-example-gov:eq:2026abcd",
	             "https://alerts.example.gov/cap/eq-2026abcd.xml",
	             "2026-01-24T10:25:40Z 2026-01-24T10:25:40Z sr-eq-2026abcd", FALSE);
	/* the only link; expired an hour ago */
	assert_entry(entries, 1, "https://alerts.example.gov/cap/SR-WX-0001",
	             "https://alerts.example.gov/cap/SR-WX-0001",
	             "2026-01-24T11:00:00Z 2026-01-24T11:00:00Z", TRUE);
	assert_entry(entries, 2, "https://alerts.example.gov/cap/SR-WX-0002",
	             "https://alerts.example.gov/cap/SR-WX-0002",
	             "2026-01-24T11:00:00Z 2026-01-24T10:59:00Z", FALSE);
	/* a relative link: the poller resolves it against the feed's own address */
	assert_entry(entries, 3, "urn:alerts-example-gov:relative", "/cap/relative.xml",
	             "2026-01-24T11:00:00Z", FALSE);
	/* an acknowledgement is about a message, not a hazard */
	assert_entry(entries, 4, "urn:alerts-example-gov:ack",
	             "https://alerts.example.gov/cap/ack.xml", "2026-01-24T11:00:00Z", TRUE);
	/* no id: the link is the key; the older CAP media type, with a parameter */
	assert_entry(entries, 5, "https://alerts.example.gov/cap/noid.xml",
	             "https://alerts.example.gov/cap/noid.xml", "2026-01-24T12:00:00Z", FALSE);
	/* no zone: expired only when it is past in every zone */
	assert_entry(entries, 6, "urn:alerts-example-gov:zoneless-recent",
	             "https://alerts.example.gov/cap/zoneless-recent.xml", "2026-01-24T01:00:00Z",
	             FALSE);
	assert_entry(entries, 7, "urn:alerts-example-gov:zoneless-old",
	             "https://alerts.example.gov/cap/zoneless-old.xml", "2026-01-20T01:00:00Z",
	             TRUE);
	g_assert_cmpuint(
	    sr_test_count_messages(
	        "index link 'https://alerts.example.gov/cap/index.atom' is the feed itself"),
	    ==, 1);
	g_assert_cmpuint(sr_test_count_messages("index entry 'urn:alerts-example-gov:ambiguous' "
	                                        "has no link to a CAP document"),
	                 ==, 1);
}

static void
test_index_atom_no_now(void)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture("cap", "index-atom.xml", &len);
	SrParseContext ctx = context(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) entries = NULL;

	/* without a clock nothing is known to be past */
	ctx.now = 0;
	entries = sr_cap_parse_index(body, len, &ctx, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(entries->len, ==, 8);
	for (guint i = 0; i < entries->len; i++) {
		const SrIndexEntry *entry = g_ptr_array_index(entries, i);
		/* only the acknowledgement */
		g_assert_cmpint(entry->skip, ==, i == 4);
	}
}

static void
test_index_meteoalarm(void)
{
	g_autoptr(GPtrArray) entries = parse_index_fixture("index-meteoalarm.xml", NULL);
	const char *doc1 = "https://feeds.meteoalarm.org/api/v1/warnings/feeds-exampleland/"
	                   "0b1c2d3e-0000-4000-8000-000000000001";
	const char *doc2 = "https://feeds.meteoalarm.org/api/v1/warnings/feeds-exampleland/"
	                   "0b1c2d3e-0000-4000-8000-000000000002";
	g_autofree char *key1 =
	    g_strdup_printf("%s?index_info=0&index_area=0&index_polygon=0", doc1);
	g_autofree char *key2 =
	    g_strdup_printf("%s?index_info=0&index_area=1&index_polygon=0", doc1);
	g_autofree char *key3 =
	    g_strdup_printf("%s?index_info=0&index_area=0&index_polygon=0", doc2);

	g_assert_cmpuint(entries->len, ==, 3);
	/* one document, listed once per area: two entries, one URL */
	assert_entry(entries, 0, key1, doc1,
	             "2026-01-23T10:42:05Z 2026-01-23T10:42:05Z "
	             "2.49.0.0.999.0.XL_260123104205_11112222.v1.0.W",
	             FALSE);
	assert_entry(entries, 1, key2, doc1,
	             "2026-01-23T10:42:05Z 2026-01-23T10:42:05Z "
	             "2.49.0.0.999.0.XL_260123104205_11112222.v1.0.W",
	             FALSE);
	assert_entry(entries, 2, key3, doc2,
	             "2026-01-22T08:00:00Z 2026-01-22T08:00:00Z "
	             "2.49.0.0.999.0.XL_260122080000_33334444.v1.0.W",
	             TRUE);
}

static void
test_index_rss(void)
{
	g_autoptr(GPtrArray) entries = parse_index_fixture("index-rss.xml", NULL);

	/* no link and the feed itself are left out */
	g_assert_cmpuint(entries->len, ==, 4);
	assert_entry(entries, 0, "SR-ALLHAZ-3167113",
	             "https://alerts.example.org/cap/get?capID=SR-ALLHAZ-3167113",
	             "2026-01-24T11:20:00Z", FALSE);
	/* no guid: the link is the key; RFC 822 with a numeric zone */
	assert_entry(entries, 1, "https://alerts.example.org/cap/get?capID=SR-ALLHAZ-3167114",
	             "https://alerts.example.org/cap/get?capID=SR-ALLHAZ-3167114",
	             "2026-01-24T11:20:00Z 2026-01-24T11:19:00Z", FALSE);
	/* an RFC 822 cap:expires, past; EST */
	assert_entry(entries, 2, "SR-ALLHAZ-3167000",
	             "https://alerts.example.org/cap/get?capID=SR-ALLHAZ-3167000",
	             "2026-01-20T13:00:00Z", TRUE);
	/* a relative link is kept for the poller to resolve against the feed's address */
	g_assert_cmpstr(((const SrIndexEntry *)g_ptr_array_index(entries, 3))->url, ==,
	                "cap/get?capID=SR-ALLHAZ-1");
}

static void
test_index_rss_dates(void)
{
	static const struct {
		const char *date;
		const char *version;
	} cases[] = {
	    {"Sat, 24 Jan 2026 11:20:00 GMT", "2026-01-24T11:20:00Z"},
	    {"24 Jan 2026 11:20:00 UT", "2026-01-24T11:20:00Z"},
	    {"Sat,24 Jan 2026 11:20 +0100", "2026-01-24T10:20:00Z"},
	    {"Sat, 24 January 2026 11:20:00 -05:00", "2026-01-24T16:20:00Z"},
	    {"Sat, 4 Jan 26 11:20:00 PDT", "2026-01-04T18:20:00Z"},
	    {"sat, 24 jan 2026 11:20:00 gmt", "2026-01-24T11:20:00Z"},
	    {"2026-01-24T11:20:00+01:00", "2026-01-24T10:20:00Z"},
	    /* unreadable dates are kept as published: they still change with the document */
	    {"Sat, 24 Jan 2026 11:20:00", "Sat, 24 Jan 2026 11:20:00"},
	    {"Sat, 24 Foo 2026 11:20:00 GMT", "Sat, 24 Foo 2026 11:20:00 GMT"},
	    {"Sat, 32 Jan 2026 11:20:00 GMT", "Sat, 32 Jan 2026 11:20:00 GMT"},
	    {"Sat, 24 Jan 2026 11:20:00 XYZ", "Sat, 24 Jan 2026 11:20:00 XYZ"},
	    {"2026/1/6 上午 04:00:00", "2026/1/6 上午 04:00:00"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *body = g_strdup_printf(
		    "<rss version=\"2.0\"><channel><item><link>https://x.example/1</link>"
		    "<pubDate>%s</pubDate></item></channel></rss>",
		    cases[i].date);
		SrParseContext ctx = context(NULL);
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) entries = sr_cap_parse_index(body, strlen(body), &ctx, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(entries->len, ==, 1);
		assert_entry(entries, 0, "https://x.example/1", "https://x.example/1",
		             cases[i].version, FALSE);
	}
}

static void
test_index_empty(void)
{
	static const char *const bodies[] = {
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Nothing</title></feed>",
	    "<rss version=\"2.0\"><channel><title>Nothing</title></channel></rss>",
	    "<channel><title>bare channel</title></channel>",
	};

	/* a feed that lists nothing is an answer: nothing is going on */
	for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
		SrParseContext ctx = context(NULL);
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) entries =
		    sr_cap_parse_index(bodies[i], strlen(bodies[i]), &ctx, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(entries->len, ==, 0);
	}
}

static void
test_index_not_a_feed(void)
{
	static const char *const bodies[] = {
	    /* an alert is not its own index */
	    CAP_HEAD CAP_REQUIRED "<msgType>Alert</msgType></alert>",
	    /* Atom elements out of the Atom namespace, an RSS without a channel */
	    "<feed><entry/></feed>",
	    "<rss version=\"2.0\"/>",
	    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/>",
	};

	for (guint i = 0; i < G_N_ELEMENTS(bodies); i++)
		assert_index_error(bodies[i], strlen(bodies[i]), SR_ERROR_PARSE,
		                   "not an Atom or RSS 2.0 feed");
}

static void
test_index_location(void)
{
	/* inside the polygon of SR-WX-0002, far from the earthquake's circle */
	{
		g_autoptr(SrLocation) location = sr_location_new();
		g_autoptr(GPtrArray) entries = NULL;
		location->has_point = TRUE;
		location->lat = 41.45;
		location->lon = -90.50;
		entries = parse_index_fixture("index-atom.xml", location);
		g_assert_cmpuint(entries->len, ==, 8);
		g_assert_true(((SrIndexEntry *)g_ptr_array_index(entries, 0))->skip);
		g_assert_false(((SrIndexEntry *)g_ptr_array_index(entries, 2))->skip);
		/* no shape in the summary: it may yet concern the user */
		g_assert_false(((SrIndexEntry *)g_ptr_array_index(entries, 3))->skip);
		g_assert_false(((SrIndexEntry *)g_ptr_array_index(entries, 5))->skip);
		g_assert_false(((SrIndexEntry *)g_ptr_array_index(entries, 6))->skip);
	}
	/* within reach of the circle's 150 km */
	{
		g_autoptr(SrLocation) location = sr_location_new();
		g_autoptr(GPtrArray) entries = NULL;
		location->has_point = TRUE;
		location->lat = -17.5;
		location->lon = -174.0;
		entries = parse_index_fixture("index-atom.xml", location);
		g_assert_false(((SrIndexEntry *)g_ptr_array_index(entries, 0))->skip);
		g_assert_true(((SrIndexEntry *)g_ptr_array_index(entries, 2))->skip);
	}
	/* a geocode from a space-separated list */
	{
		g_autoptr(SrLocation) location = sr_location_new();
		g_autoptr(GPtrArray) entries = NULL;
		sr_location_add_geocode(location, "ugc", "IAC163");
		entries = parse_index_fixture("index-atom.xml", location);
		g_assert_false(((SrIndexEntry *)g_ptr_array_index(entries, 2))->skip);
		/* the earthquake's summary has no geocode: nothing to judge by */
		g_assert_false(((SrIndexEntry *)g_ptr_array_index(entries, 0))->skip);
	}
	{
		g_autoptr(SrLocation) location = sr_location_new();
		g_autoptr(GPtrArray) entries = NULL;
		sr_location_add_geocode(location, "UGC", "IAC999");
		entries = parse_index_fixture("index-atom.xml", location);
		g_assert_true(((SrIndexEntry *)g_ptr_array_index(entries, 2))->skip);
	}
	/* a point outside, but a geocode inside */
	{
		g_autoptr(SrLocation) location = sr_location_new();
		g_autoptr(GPtrArray) entries = NULL;
		location->has_point = TRUE;
		sr_location_add_geocode(location, "UGC", "IAC031");
		entries = parse_index_fixture("index-atom.xml", location);
		g_assert_false(((SrIndexEntry *)g_ptr_array_index(entries, 2))->skip);
	}
	/* a geocode of a kind the summary does not list: the document may list it */
	{
		g_autoptr(SrLocation) location = sr_location_new();
		g_autoptr(GPtrArray) entries = NULL;
		location->has_point = TRUE;
		sr_location_add_geocode(location, "SAME", "019999");
		entries = parse_index_fixture("index-atom.xml", location);
		g_assert_false(((SrIndexEntry *)g_ptr_array_index(entries, 2))->skip);
		g_assert_false(((SrIndexEntry *)g_ptr_array_index(entries, 0))->skip);
	}
	/* an unset location skips nothing */
	{
		g_autoptr(SrLocation) location = sr_location_new();
		g_autoptr(GPtrArray) entries = parse_index_fixture("index-atom.xml", location);
		g_assert_false(((SrIndexEntry *)g_ptr_array_index(entries, 0))->skip);
		g_assert_false(((SrIndexEntry *)g_ptr_array_index(entries, 2))->skip);
	}
	/* MeteoAlarm: the geocode in the Atom namespace */
	{
		g_autoptr(SrLocation) location = sr_location_new();
		g_autoptr(GPtrArray) entries = NULL;
		sr_location_add_geocode(location, "EMMA_ID", "XL014");
		entries = parse_index_fixture("index-meteoalarm.xml", location);
		g_assert_true(((SrIndexEntry *)g_ptr_array_index(entries, 0))->skip);
		g_assert_false(((SrIndexEntry *)g_ptr_array_index(entries, 1))->skip);
	}
}

static void
test_body_is_index(void)
{
	static const struct {
		const char *body;
		gboolean index;
	} cases[] = {
	    {"<feed xmlns=\"http://www.w3.org/2005/Atom\">", TRUE},
	    {"\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- a > b -->\n<?pi x?>  <rss version=\"2.0\">",
	     TRUE},
	    {"<atom:feed xmlns:atom=\"http://www.w3.org/2005/Atom\">", TRUE},
	    {"<channel>", TRUE},
	    {"<feed>", TRUE},
	    {"<rss>", TRUE},
	    {"<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">", FALSE},
	    {"<?xml version=\"1.0\"?><cap:alert xmlns:cap=\"urn:x\">", FALSE},
	    {"<feeds>", FALSE},
	    {"<rsss>", FALSE},
	    {"<html>", FALSE},
	    {"<!DOCTYPE feed><feed>", FALSE},
	    {"<!-- unterminated <feed>", FALSE},
	    {"<?xml unterminated <feed>", FALSE},
	    {"feed", FALSE},
	    {"", FALSE},
	    {"   ", FALSE},
	    {"<", FALSE},
	    {"{\"feed\": 1}", FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		if (sr_cap_body_is_index(cases[i].body, strlen(cases[i].body)) != cases[i].index)
			g_error("'%s' is %san index", cases[i].body, cases[i].index ? "not " : "");
	}
	g_assert_false(sr_cap_body_is_index(NULL, 0));
	/* the length counts, not a NUL */
	g_assert_false(sr_cap_body_is_index("<feed>", 3));
	g_assert_true(sr_cap_body_is_index("<feed>", 5));
	for (guint i = 0; i < 3; i++) {
		static const char *const fixtures[] = {"minimal.xml", "cap11.xml", "multilang.xml"};
		gsize len = 0;
		g_autofree char *body = sr_test_read_fixture("cap", fixtures[i], &len);
		g_assert_false(sr_cap_body_is_index(body, len));
	}
}

static void
test_source_requests(void)
{
	g_autoptr(SrSourceConfig) meteoalarm = sr_source_config_new("m", &sr_source_meteoalarm);
	g_autoptr(SrSourceConfig) feed = sr_source_config_new("f", &sr_source_cap_feed);
	g_autoptr(GError) error = NULL;
	SrRequest request = {0};

	/* MeteoAlarm: one legacy Atom feed per country */
	g_hash_table_replace(meteoalarm->extra, g_strdup("country"), g_strdup("united-kingdom"));
	g_assert_true(
	    sr_source_meteoalarm.build_request(meteoalarm, SR_REQUEST_MAIN, &request, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(request.url, ==,
	                "https://feeds.meteoalarm.org/feeds/meteoalarm-legacy-atom-united-kingdom");
	sr_request_clear(&request);
	g_hash_table_replace(meteoalarm->extra, g_strdup("country"), g_strdup("../x"));
	g_assert_false(
	    sr_source_meteoalarm.build_request(meteoalarm, SR_REQUEST_MAIN, &request, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_CONFIG);
	g_clear_error(&error);
	sr_request_clear(&request);
	/* a feed has no default address: url= is the feed */
	g_assert_false(sr_source_cap_feed.build_request(feed, SR_REQUEST_MAIN, &request, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_CONFIG);
	g_assert_nonnull(strstr(error->message, "needs url="));
	sr_request_clear(&request);
	g_assert_nonnull(sr_source_meteoalarm.parse_index);
	g_assert_nonnull(sr_source_cap_feed.parse_entry);
	g_assert_null(sr_source_cap.parse_index);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	sr_test_capture_messages("sr-cap");

	g_test_add_func("/sr/cap/minimal", test_minimal);
	g_test_add_func("/sr/cap/thunderstorm", test_thunderstorm);
	g_test_add_func("/sr/cap/circle", test_circle);
	g_test_add_func("/sr/cap/languages", test_languages);
	g_test_add_func("/sr/cap/languages-first", test_languages_first);
	g_test_add_func("/sr/cap/kind-from-other-language", test_kind_from_other_language);
	g_test_add_func("/sr/cap/update-references", test_update_references);
	g_test_add_func("/sr/cap/references-shapes", test_references_shapes);
	g_test_add_func("/sr/cap/cancel", test_cancel);
	g_test_add_func("/sr/cap/cancel-without-info", test_cancel_without_info);
	g_test_add_func("/sr/cap/all-clear", test_all_clear);
	g_test_add_func("/sr/cap/all-clear-needs-update", test_all_clear_needs_update);
	g_test_add_func("/sr/cap/green-is-no-warning", test_green_is_no_warning);
	g_test_add_func("/sr/cap/status", test_status);
	g_test_add_func("/sr/cap/status-inline", test_status_inline);
	g_test_add_func("/sr/cap/ack-error", test_ack_error);
	g_test_add_func("/sr/cap/unknown-msg-type", test_unknown_msg_type);
	g_test_add_func("/sr/cap/cap11", test_cap11);
	g_test_add_func("/sr/cap/profile", test_profile);
	g_test_add_func("/sr/cap/namespaces", test_namespaces);
	g_test_add_func("/sr/cap/order", test_order);
	g_test_add_func("/sr/cap/texts", test_texts);
	g_test_add_func("/sr/cap/dates", test_dates);
	g_test_add_func("/sr/cap/parse-time", test_parse_time);
	g_test_add_func("/sr/cap/time-agrees-with-gdatetime", test_time_agrees_with_gdatetime);
	g_test_add_func("/sr/cap/optional-time-unreadable", test_optional_time_unreadable);
	g_test_add_func("/sr/cap/open-polygon", test_open_polygon);
	g_test_add_func("/sr/cap/junk-polygons", test_junk_polygons);
	g_test_add_func("/sr/cap/precise-coordinates", test_precise_coordinates);
	g_test_add_func("/sr/cap/required", test_required);
	g_test_add_func("/sr/cap/enumerations", test_enumerations);
	g_test_add_func("/sr/cap/unknown-enumerations", test_unknown_enumerations);
	g_test_add_func("/sr/cap/kind", test_kind);
	g_test_add_func("/sr/cap/encodings", test_encodings);
	g_test_add_func("/sr/cap/hostile/xxe", test_hostile_xxe);
	g_test_add_func("/sr/cap/hostile/billion-laughs", test_hostile_billion_laughs);
	g_test_add_func("/sr/cap/hostile/quadratic-blowup", test_hostile_quadratic);
	g_test_add_func("/sr/cap/hostile/doctype", test_hostile_doctype);
	g_test_add_func("/sr/cap/hostile/deep-nesting", test_hostile_deep);
	g_test_add_func("/sr/cap/hostile/huge", test_hostile_huge);
	g_test_add_func("/sr/cap/hostile/size-cap", test_size_cap);
	g_test_add_func("/sr/cap/hostile/invalid-utf8", test_hostile_utf8);
	g_test_add_func("/sr/cap/hostile/truncated", test_hostile_truncated);
	g_test_add_func("/sr/cap/hostile/empty", test_hostile_empty);
	g_test_add_func("/sr/cap/hostile/html", test_hostile_html);
	g_test_add_func("/sr/cap/hostile/many-attributes", test_hostile_many_attributes);
	g_test_add_func("/sr/cap/hostile/many-names", test_hostile_many_names);
	g_test_add_func("/sr/cap/hostile/many-namespaces", test_hostile_many_namespaces);
	g_test_add_func("/sr/cap/hostile/lexer-corners", test_lexer_corners);
	g_test_add_func("/sr/cap/many-references", test_many_references);
	g_test_add_func("/sr/cap/hostile/quiet", test_quiet);
	g_test_add_func("/sr/cap/index/atom", test_index_atom);
	g_test_add_func("/sr/cap/index/atom-no-now", test_index_atom_no_now);
	g_test_add_func("/sr/cap/index/meteoalarm", test_index_meteoalarm);
	g_test_add_func("/sr/cap/index/rss", test_index_rss);
	g_test_add_func("/sr/cap/source-requests", test_source_requests);
	g_test_add_func("/sr/cap/index/rss-dates", test_index_rss_dates);
	g_test_add_func("/sr/cap/index/empty", test_index_empty);
	g_test_add_func("/sr/cap/index/not-a-feed", test_index_not_a_feed);
	g_test_add_func("/sr/cap/index/location", test_index_location);
	g_test_add_func("/sr/cap/body-is-index", test_body_is_index);
	return g_test_run();
}
