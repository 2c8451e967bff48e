/* sr-test-util.c - helpers shared by the tests: fixtures, the catalog, the loop, logs, parsers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-test"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "sirena/error.h"
#include "sirena/json.h"
#include "sr-test-util.h"

char *
sr_test_fixture_path(const char *source, const char *name)
{
	/* G_TEST_SRCDIR is the tests/ directory under meson */
	return g_build_filename(g_test_get_dir(G_TEST_DIST), "fixtures", source, name, NULL);
}

char *
sr_test_read_fixture(const char *source, const char *name, gsize *len)
{
	g_autofree char *path = sr_test_fixture_path(source, name);
	g_autoptr(GError) error = NULL;
	char *contents = NULL;

	if (!g_file_get_contents(path, &contents, len, &error))
		g_test_message("cannot read fixture %s", path);
	g_assert_no_error(error);
	return contents;
}

const SrCatalog *
sr_test_catalog(void)
{
	static const SrCatalog *catalog = NULL;

	if (catalog == NULL) {
		g_autoptr(GError) error = NULL;
		catalog = sr_catalog_get_default(&error);
		g_assert_no_error(error);
		g_assert_nonnull(catalog);
	}
	return catalog;
}

static gboolean
sr_test_wait_timeout_cb(gpointer user_data)
{
	gboolean *timed_out = user_data;
	*timed_out = TRUE;
	return G_SOURCE_REMOVE;
}

void
sr_test_wait_for(const gboolean *flag, guint timeout_ms)
{
	gboolean timed_out = FALSE;
	GSource *timeout = g_timeout_source_new(timeout_ms);

	g_source_set_callback(timeout, sr_test_wait_timeout_cb, &timed_out, NULL);
	g_source_attach(timeout, NULL);
	while (!*flag && !timed_out)
		g_main_context_iteration(NULL, TRUE);
	g_source_destroy(timeout);
	g_source_unref(timeout);
	if (!*flag) {
		g_test_message("timed out after %u ms waiting for the main loop", timeout_ms);
		g_assert_true(*flag);
	}
}

/* log capture */

/* the domain whose messages are kept, and the messages */
static char *captured_domain = NULL;
static GPtrArray *captured = NULL;
static GMutex captured_mutex;

/* the sources log with g_message, structured or not; both end in the writer */
static GLogWriterOutput
sr_test_capture_writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields,
                       gpointer user_data)
{
	const char *domain = NULL;
	const char *message = NULL;

	for (gsize i = 0; i < n_fields; i++) {
		if (g_strcmp0(fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
			domain = fields[i].value;
		else if (g_strcmp0(fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
			message = fields[i].value;
	}
	if ((level & G_LOG_LEVEL_MESSAGE) != 0 && g_strcmp0(domain, captured_domain) == 0 &&
	    message != NULL) {
		g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&captured_mutex);
		g_ptr_array_add(captured, g_strdup(message));
		return G_LOG_WRITER_HANDLED;
	}
	return g_log_writer_default(level, fields, n_fields, user_data);
}

void
sr_test_capture_messages(const char *log_domain)
{
	g_return_if_fail(log_domain != NULL);
	g_return_if_fail(captured == NULL);

	captured_domain = g_strdup(log_domain);
	captured = g_ptr_array_new_with_free_func(g_free);
	g_log_set_writer_func(sr_test_capture_writer, NULL, NULL);
}

guint
sr_test_count_messages(const char *needle)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&captured_mutex);
	guint n = 0;

	g_assert_nonnull(captured);
	for (guint i = 0; i < captured->len; i++) {
		if (strstr(g_ptr_array_index(captured, i), needle) != NULL)
			n++;
	}
	return n;
}

/* source parsers */

/* the first bytes of @body, escaped, for a failure message */
static char *
sr_test_describe_body(const char *body, gsize len)
{
	const gsize shown = 40;
	GString *str = NULL;

	if (body == NULL)
		return g_strdup("a NULL body");
	str = g_string_new("\"");
	for (gsize i = 0; i < MIN(len, shown); i++) {
		guchar c = (guchar)body[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			g_string_append_c(str, (char)c);
		else
			g_string_append_printf(str, "\\x%02x", c);
	}
	g_string_append_c(str, '"');
	if (len > shown)
		g_string_append_printf(str, "… (%" G_GSIZE_FORMAT " bytes)", len);
	return g_string_free(str, FALSE);
}

/* @len, or the length of @body up to its NUL when @len is -1 */
static gsize
sr_test_body_length(const char *body, gssize len)
{
	if (len >= 0)
		return (gsize)len;
	return body != NULL ? strlen(body) : 0;
}

SrParseContext
sr_test_parser_context(const SrTestParser *parser)
{
	SrParseContext ctx = {
	    .source_name = parser->source_name,
	    .catalog = sr_test_catalog(),
	    .now = parser->now,
	};
	return ctx;
}

SrBatch *
sr_test_parse(const SrTestParser *parser, const char *body, gssize len, GError **error)
{
	SrParseContext ctx = sr_test_parser_context(parser);

	return parser->parse(body, sr_test_body_length(body, len), &ctx, error);
}

SrBatch *
sr_test_parse_ok(const SrTestParser *parser, const char *body, gssize len)
{
	g_autoptr(GError) error = NULL;
	SrBatch *batch = sr_test_parse(parser, body, len, &error);

	g_assert_no_error(error);
	g_assert_nonnull(batch);
	return batch;
}

SrBatch *
sr_test_parse_fixture(const SrTestParser *parser, const char *name)
{
	gsize len = 0;
	g_autofree char *body = sr_test_read_fixture(parser->fixtures, name, &len);
	SrBatch *batch = sr_test_parse_ok(parser, body, (gssize)len);

	g_assert_cmpint(batch->kind, ==, SR_BATCH_SNAPSHOT);
	return batch;
}

SrBatch *
sr_test_parse_large(const SrTestParser *parser, const char *body, gsize len)
{
	g_autoptr(GError) error = NULL;
	SrBatch *batch = NULL;
	gdouble elapsed = 0;

	g_test_timer_start();
	batch = sr_test_parse(parser, body, (gssize)len, &error);
	elapsed = g_test_timer_elapsed();
	g_assert_no_error(error);
	g_assert_nonnull(batch);
	/* for the log only: speed is asserted by benchmarks, not by tests */
	g_test_message("parsed %" G_GSIZE_FORMAT " bytes in %.3f s", len, elapsed);
	return batch;
}

void
sr_test_assert_parse_error(const SrTestParser *parser, const char *body, gssize len,
                           const char *fragment)
{
	gsize n = sr_test_body_length(body, len);
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = sr_test_parse(parser, body, (gssize)n, &error);

	if (batch != NULL) {
		g_autofree char *shown = sr_test_describe_body(body, n);
		g_error("%s: parsed into %u events, expected an error", shown, batch->events->len);
	}
	g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
	g_assert_nonnull(error->message);
	g_assert_cmpstr(error->message, !=, "");
	if (fragment != NULL && strstr(error->message, fragment) == NULL) {
		g_autofree char *shown = sr_test_describe_body(body, n);
		g_error("%s: error '%s' does not mention '%s'", shown, error->message, fragment);
	}
}

/* the bad-body battery */

void
sr_test_assert_rejects_malformed(const SrTestParser *parser)
{
	static const struct {
		const char *body;
		const char *fragment;
	} cases[] = {
	    /* white space alone */
	    {" ", "not JSON"},
	    {" \n\t ", "not JSON"},
	    {"  \r\n", "not JSON"},
	    {" \n\t\r ", "not JSON"},
	    /* not JSON: what a proxy or a broken upstream sends */
	    {"not json", "not JSON"},
	    {"<html><body>502 Bad Gateway</body></html>", "not JSON"},
	    {"<html>429 Too Many Requests</html>", "not JSON"},
	    {"<html>502</html>", "not JSON"},
	    {"tru", "not JSON"},
	    {"{'a': 1}", "not JSON"},
	    /* truncated */
	    {"[", "not JSON"},
	    {"{", "not JSON"},
	    {"[{\"a\": 1}", "not JSON"},
	    {"{\"a\": ", "not JSON"},
	    {"{\"a\": [1, 2", "not JSON"},
	    {"\"abc", "not JSON"},
	    /* data after the value */
	    {"[] trailing", "data after"},
	    {"[]]", "data after"},
	    {"[][]", "data after"},
	    {"{} x", "data after"},
	    {"{}{}", "data after"},
	    {"null null", "data after"},
	};
	/* JSON, but not a container: the parser's own message */
	static const char *const scalars[] = {"null",  "42",   "3",      "-1.5e3", "true",
	                                      "false", "\"\"", "\"[]\"", "\"{}\""};

	g_assert_nonnull(parser->root_error);
	/* nothing at all */
	sr_test_assert_parse_error(parser, NULL, 0, "empty");
	sr_test_assert_parse_error(parser, "", 0, "empty");
	/* a body that is not NUL-terminated is read to @len, not beyond */
	sr_test_assert_parse_error(parser, "[]", 0, "empty");
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		sr_test_assert_parse_error(parser, cases[i].body, -1, cases[i].fragment);
	for (guint i = 0; i < G_N_ELEMENTS(scalars); i++)
		sr_test_assert_parse_error(parser, scalars[i], -1, parser->root_error);
}

void
sr_test_assert_rejects_control_bytes(const SrTestParser *parser)
{
	/* each with its length: the NUL bytes are part of the body */
#define BODY(literal) literal, sizeof(literal) - 1
	static const struct {
		const char *body;
		gsize len;
		const char *fragment;
	} cases[] = {
	    {BODY("\0"), "control character (0x00) at byte 0"},
	    {BODY("\0[]"), "control character (0x00) at byte 0"},
	    {BODY("\0{}"), "control character (0x00) at byte 0"},
	    {BODY("[\0]"), "control character (0x00) at byte 1"},
	    {BODY("{\0}"), "control character (0x00) at byte 1"},
	    {BODY("[]\0"), "control character (0x00) at byte 2"},
	    {BODY("{}\0"), "control character (0x00) at byte 2"},
	    {BODY("[]\0garbage"), "control character (0x00) at byte 2"},
	    {BODY("[\"a\0b\"]"), "control character (0x00) at byte 3"},
	    {BODY("[\x01]"), "control character (0x01) at byte 1"},
	    {BODY("{}\x1f"), "control character (0x1f) at byte 2"},
	    {BODY("\x1b[31m[]"), "control character (0x1b) at byte 0"},
	    {BODY("[\"\x0b\"]"), "control character (0x0b) at byte 2"},
	};
#undef BODY

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		sr_test_assert_parse_error(parser, cases[i].body, (gssize)cases[i].len,
		                           cases[i].fragment);
}

void
sr_test_assert_rejects_deep_nesting(const SrTestParser *parser)
{
	const gsize depth = 100000;
	g_autofree char *body = g_malloc(2 * depth);

	/* open: truncated as well as too deep */
	memset(body, '[', depth);
	sr_test_assert_parse_error(parser, body, (gssize)depth, "not JSON");
	memset(body, '{', depth);
	sr_test_assert_parse_error(parser, body, (gssize)depth, "not JSON");
	/* closed: well-formed, but too deep all the same */
	memset(body, '[', depth);
	memset(body + depth, ']', depth);
	sr_test_assert_parse_error(parser, body, (gssize)(2 * depth), "not JSON");
}

/* events */

const SrEvent *
sr_test_find_event(const SrBatch *batch, const char *id)
{
	for (guint i = 0; i < batch->events->len; i++) {
		const SrEvent *event = g_ptr_array_index(batch->events, i);
		if (g_strcmp0(event->id, id) == 0)
			return event;
	}
	g_error("no event %s in the batch", id);
	return NULL;
}

void
sr_test_assert_time(gint64 t, const char *expected)
{
	g_autofree char *str = sr_time_to_rfc3339(t);
	g_assert_cmpstr(str, ==, expected);
}

void
sr_test_assert_round_trip(const SrBatch *batch)
{
	for (guint i = 0; i < batch->events->len; i++) {
		const SrEvent *event = g_ptr_array_index(batch->events, i);
		g_autoptr(cJSON) json = sr_event_to_json(event, sr_test_catalog());
		g_autofree char *printed = sr_json_print(json);
		g_autoptr(GError) error = NULL;
		g_autoptr(SrEvent) back =
		    sr_event_from_json_string(printed, strlen(printed), &error);
		g_assert_no_error(error);
		g_assert_nonnull(back);
		g_assert_cmpstr(back->id, ==, event->id);
		g_assert_cmpstr(back->source, ==, event->source);
		g_assert_cmpint(back->updated_at, ==, event->updated_at);
		g_assert_true(sr_event_same_content(event, back));
	}
}

gboolean
sr_test_sirenad_on_bus(GDBusConnection *bus)
{
	g_autoptr(GDBusConnection) session = NULL;
	g_autoptr(GVariant) reply = NULL;
	gboolean owned = FALSE;
	if (bus == NULL) {
		session = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, NULL);
		if (session == NULL)
			return FALSE;
		bus = session;
	}
	reply = g_dbus_connection_call_sync(
	    bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
	    "NameHasOwner", g_variant_new("(s)", "org.sirena.Sirena1"), G_VARIANT_TYPE("(b)"),
	    G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
	if (reply != NULL)
		g_variant_get(reply, "(b)", &owned);
	return owned;
}

void
sr_test_wait_sirenad(GDBusConnection *bus, guint timeout_s)
{
	g_autoptr(GDBusConnection) session = NULL;
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_s * G_USEC_PER_SEC;
	if (bus == NULL) {
		session = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, NULL);
		g_assert_nonnull(session);
		bus = session;
	}
	while (!sr_test_sirenad_on_bus(bus)) {
		if (g_get_monotonic_time() > deadline)
			g_error("sirenad did not take its bus name within %u s", timeout_s);
		g_usleep(10000);
	}
}

guint
sr_test_env_uint(const char *name, guint fallback, guint max)
{
	const char *value = g_getenv(name);
	guint64 n = 0;
	if (value == NULL || !g_ascii_string_to_unsigned(value, 10, 1, max, &n, NULL))
		return fallback;
	return (guint)n;
}
