/* sr-sse.h - the server-sent events wire format (text/event-stream), read in pieces
 *
 * The WHATWG "event stream interpretation": lines end in CRLF, LF or CR (a CRLF split between
 * two pieces is one line end), "field: value" lines, a blank line dispatches the event, lines
 * starting with ':' are comments, "data" lines are joined with LF. The last "id" is kept across
 * events (for Last-Event-ID on reconnect) and "retry" gives the reconnection delay. A byte order
 * mark at the very start is skipped; an event without any "data" line is not dispatched.
 *
 * Stricter than a browser, because a broken stream must not pass for a quiet one: a NUL byte,
 * invalid UTF-8, or a line or an event's data over the size bound is an error, after which the
 * parser stays broken (the stream has to be reconnected with a new parser).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SrSseParser SrSseParser;

typedef struct {
	const char *type; /* the "event" field, "message" when the event named none */
	const char *data; /* the "data" lines joined with LF, NUL-terminated; "" when none */
	gsize data_len;
	const char *last_id; /* as of this event: its "id" or an earlier one's, NULL when none */
} SrSseEvent;

/* called for each dispatched event, whose strings live until it returns; FALSE stops the parser
 * (feed returns FALSE, no error, and reads nothing more). It may read the parser, not free it. */
typedef gboolean (*SrSseEventFunc)(const SrSseEvent *event, gpointer user_data);

/* @max_event_size bounds one event's line or data (0: 1 MiB); a longer one is an error */
SrSseParser *sr_sse_parser_new(gsize max_event_size, SrSseEventFunc func, gpointer user_data);
void sr_sse_parser_free(SrSseParser *parser);

/* reads @len bytes, in any split (a CRLF or a UTF-8 sequence may straddle two pieces); FALSE
 * when @func stopped it now or earlier (no error) or with SR_ERROR_PARSE when the stream is
 * broken (a line or data over the size bound, a NUL byte, invalid UTF-8), now or earlier */
gboolean sr_sse_parser_feed(SrSseParser *parser, const char *data, gsize len, GError **error);

/* the id of the last event that ended (its "id" field or an earlier one's; a blank line ends an
 * event even without data), NULL when none or reset by an empty "id" */
const char *sr_sse_parser_get_last_id(SrSseParser *parser);

/* milliseconds from the last valid "retry" field, -1 when none */
gint64 sr_sse_parser_get_retry(SrSseParser *parser);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrSseParser, sr_sse_parser_free)

G_END_DECLS
