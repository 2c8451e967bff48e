/* sr-test-util.h - helpers shared by the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <glib.h>

#include "sirena/region.h"
#include "sirena/source.h"

G_BEGIN_DECLS

/* the absolute path of tests/fixtures/<source>/<name> */
char *sr_test_fixture_path(const char *source, const char *name);
/* reads a fixture; aborts the test when it is missing */
char *sr_test_read_fixture(const char *source, const char *name, gsize *len);
/* the shipped catalog (data/regions-ua.json), loaded once */
const SrCatalog *sr_test_catalog(void);
/* runs the default main context until *@flag is TRUE or @timeout_ms passes (then fails the test) */
void sr_test_wait_for(const gboolean *flag, guint timeout_ms);

/* log capture */

/* from now on, the messages (G_LOG_LEVEL_MESSAGE) logged in @log_domain are kept instead of
 * printed, whether logged structured or not; everything else goes to the default writer. Call
 * at most once a process, after g_test_init() */
void sr_test_capture_messages(const char *log_domain);
/* how many of the kept messages contain @needle */
guint sr_test_count_messages(const char *needle);

/* source parsers */

/* a source's parser under test and the context the tests call it with */
typedef struct {
	SrBatch *(*parse)(const char *body, gsize len, const SrParseContext *ctx, GError **error);
	/* the context's source_name and now; its catalog is sr_test_catalog() */
	const char *source_name;
	gint64 now;
	/* the folder of the source's fixtures under tests/fixtures/ */
	const char *fixtures;
	/* what the error says for a body that is JSON, but a scalar where a container belongs */
	const char *root_error;
} SrTestParser;

/* the context sr_test_parse() calls the parser with */
SrParseContext sr_test_parser_context(const SrTestParser *parser);
/* runs the parser on @len bytes of @body, or up to its NUL when @len is -1 */
SrBatch *sr_test_parse(const SrTestParser *parser, const char *body, gssize len, GError **error);
/* the batch out of @body; fails the test on an error */
SrBatch *sr_test_parse_ok(const SrTestParser *parser, const char *body, gssize len);
/* the snapshot out of the fixture @name; fails the test on an error */
SrBatch *sr_test_parse_fixture(const SrTestParser *parser, const char *name);
/* as sr_test_parse_ok() for a large body, logging how long it took */
SrBatch *sr_test_parse_large(const SrTestParser *parser, const char *body, gsize len);
/* fails the test unless @body is rejected with SR_ERROR_PARSE and a message that contains
 * @fragment (any message when @fragment is NULL) */
void sr_test_assert_parse_error(const SrTestParser *parser, const char *body, gssize len,
                                const char *fragment);

/* the bad-body battery: what every parser rejects, whatever its format */

/* no body, white space alone, not JSON, truncated JSON, data after the value, a scalar root */
void sr_test_assert_rejects_malformed(const SrTestParser *parser);
/* a raw NUL or other control byte anywhere: cJSON alone would read "[\0]" as "[]" */
void sr_test_assert_rejects_control_bytes(const SrTestParser *parser);
/* 100000 levels of arrays or objects, open or closed */
void sr_test_assert_rejects_deep_nesting(const SrTestParser *parser);

/* events */

/* the event @id of @batch; fails the test when there is none */
const SrEvent *sr_test_find_event(const SrBatch *batch, const char *id);
/* fails the test unless @t is @expected as RFC 3339 (NULL for 0, unknown) */
void sr_test_assert_time(gint64 t, const char *expected);
/* every event of @batch, written as JSON and read back, is the same event */
void sr_test_assert_round_trip(const SrBatch *batch);

/* sirenad */

/* whether org.sirena.Sirena1 (sirenad) has an owner on @bus; NULL means this process's
 * session bus */
gboolean sr_test_sirenad_on_bus(GDBusConnection *bus);
/* returns once sirenad owns its name on @bus (NULL: the session bus); fails the test after
 * @timeout_s seconds */
void sr_test_wait_sirenad(GDBusConnection *bus, guint timeout_s);
/* the positive number in the environment variable @name, at most @max; @fallback when it is
 * unset or not such a number */
guint sr_test_env_uint(const char *name, guint fallback, guint max);

G_END_DECLS
