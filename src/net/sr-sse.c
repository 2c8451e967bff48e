/* sr-sse.c - the server-sent events wire format (text/event-stream), read in pieces
 *
 * Follows the WHATWG "event stream interpretation" (HTML, §9.2.6) with two deliberate
 * departures, because a broken stream must never look like a quiet one: a NUL byte or invalid
 * UTF-8 is an error rather than U+FFFD, and so is a line or an event's data over the size bound.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-sse"

#include "config.h"

#include <string.h>

#include "net/sr-sse.h"
#include "sirena/error.h"
#include "sr-i18n.h"

#define SR_SSE_DEFAULT_MAX (1024 * 1024)
/* buffers that grew past this for one big event are given back after it */
#define SR_SSE_KEEP_ALLOCATED (64 * 1024)

struct _SrSseParser {
	gsize max;
	SrSseEventFunc func;
	gpointer user_data;
	GString *line;   /* the line being read, without its end */
	GString *data;   /* the data buffer: each "data" value followed by LF */
	GString *type;   /* the event type buffer, empty for "message" */
	char *id_buffer; /* the last "id" field, committed to last_id when an event ends */
	char *last_id;   /* the last event id string: what a reconnect sends */
	gint64 retry;
	gboolean after_cr;   /* the previous byte ended a line with CR: an LF now is its pair */
	gboolean first_line; /* no line has ended yet: a BOM may lead it */
	gboolean stopped;    /* the callback returned FALSE */
	gboolean broken;     /* an error was reported: the stream cannot be trusted any more */
};

SrSseParser *
sr_sse_parser_new(gsize max_event_size, SrSseEventFunc func, gpointer user_data)
{
	SrSseParser *parser = NULL;
	g_return_val_if_fail(func != NULL, NULL);
	parser = g_new0(SrSseParser, 1);
	parser->max = max_event_size > 0 ? max_event_size : SR_SSE_DEFAULT_MAX;
	parser->func = func;
	parser->user_data = user_data;
	parser->line = g_string_new(NULL);
	parser->data = g_string_new(NULL);
	parser->type = g_string_new(NULL);
	parser->retry = -1;
	parser->first_line = TRUE;
	return parser;
}

void
sr_sse_parser_free(SrSseParser *parser)
{
	if (parser == NULL)
		return;
	g_string_free(parser->line, TRUE);
	g_string_free(parser->data, TRUE);
	g_string_free(parser->type, TRUE);
	g_free(parser->id_buffer);
	g_free(parser->last_id);
	g_free(parser);
}

const char *
sr_sse_parser_get_last_id(SrSseParser *parser)
{
	g_return_val_if_fail(parser != NULL, NULL);
	/* an empty id resets it: no Last-Event-ID is sent then */
	return parser->last_id != NULL && parser->last_id[0] != '\0' ? parser->last_id : NULL;
}

gint64
sr_sse_parser_get_retry(SrSseParser *parser)
{
	g_return_val_if_fail(parser != NULL, -1);
	return parser->retry;
}

static gboolean
fail(SrSseParser *parser, GError **error, const char *message)
{
	parser->broken = TRUE;
	g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE, message);
	return FALSE;
}

/* a buffer that one large event grew is not kept at that size for the rest of the stream */
static void
reset_buffer(GString **buffer)
{
	if ((*buffer)->allocated_len > SR_SSE_KEEP_ALLOCATED) {
		g_string_free(*buffer, TRUE);
		*buffer = g_string_new(NULL);
	} else {
		g_string_truncate(*buffer, 0);
	}
}

/* a blank line: the event ends; FALSE when the callback stopped the parser */
static gboolean
dispatch(SrSseParser *parser)
{
	SrSseEvent event = {NULL};
	gboolean go_on = TRUE;

	/* the id of an event counts for a reconnect even when the event carries no data */
	if (g_strcmp0(parser->last_id, parser->id_buffer) != 0) {
		g_free(parser->last_id);
		parser->last_id = g_strdup(parser->id_buffer);
	}
	/* no "data" line at all: nothing is dispatched (a lone "event:" or "id:" block) */
	if (parser->data->len == 0) {
		g_string_truncate(parser->type, 0);
		return TRUE;
	}
	/* the LF after the last value is not part of the data */
	g_string_truncate(parser->data, parser->data->len - 1);
	event.type = parser->type->len > 0 ? parser->type->str : "message";
	event.data = parser->data->str;
	event.data_len = parser->data->len;
	event.last_id = sr_sse_parser_get_last_id(parser);
	go_on = parser->func(&event, parser->user_data);
	reset_buffer(&parser->data);
	g_string_truncate(parser->type, 0);
	if (!go_on)
		parser->stopped = TRUE;
	return go_on;
}

static gboolean
is_all_digits(const char *value)
{
	if (value[0] == '\0')
		return FALSE;
	for (const char *p = value; *p != '\0'; p++) {
		if (!g_ascii_isdigit(*p))
			return FALSE;
	}
	return TRUE;
}

/* one complete line; FALSE when the callback stopped the parser or on an error */
static gboolean
process_line(SrSseParser *parser, GError **error)
{
	char *line = parser->line->str;
	gsize len = parser->line->len;
	const char *field = line;
	const char *value = "";
	char *colon = NULL;

	/* a byte order mark is skipped at the very start of the stream only */
	if (parser->first_line) {
		parser->first_line = FALSE;
		if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
			line += 3;
			len -= 3;
			field = line;
		}
	}
	if (!g_utf8_validate(line, (gssize)len, NULL))
		return fail(parser, error, _("event stream is not valid UTF-8"));
	if (len == 0)
		return dispatch(parser);
	if (line[0] == ':')
		return TRUE;

	colon = strchr(line, ':');
	if (colon != NULL) {
		*colon = '\0';
		value = colon + 1;
		if (*value == ' ')
			value++;
	}
	if (strcmp(field, "event") == 0) {
		g_string_assign(parser->type, value);
	} else if (strcmp(field, "data") == 0) {
		gsize value_len = strlen(value);
		/* joined with LF, the data may not outgrow the bound either */
		if (parser->data->len + value_len > parser->max)
			return fail(parser, error,
			            _("event stream has an event over the size limit"));
		g_string_append_len(parser->data, value, (gssize)value_len);
		g_string_append_c(parser->data, '\n');
	} else if (strcmp(field, "id") == 0) {
		/* the stream has no NUL (that is an error), so every id is taken */
		g_free(parser->id_buffer);
		parser->id_buffer = g_strdup(value);
	} else if (strcmp(field, "retry") == 0) {
		guint64 retry = 0;
		/* only digits count; a value past what the clock holds is ignored like a bad one */
		if (is_all_digits(value) &&
		    g_ascii_string_to_unsigned(value, 10, 0, G_MAXINT64, &retry, NULL))
			parser->retry = (gint64)retry;
	}
	/* any other field is ignored, as the format requires */
	return TRUE;
}

static gboolean
end_line(SrSseParser *parser, GError **error)
{
	gboolean ok = process_line(parser, error);
	reset_buffer(&parser->line);
	return ok;
}

gboolean
sr_sse_parser_feed(SrSseParser *parser, const char *data, gsize len, GError **error)
{
	const char *end = NULL;
	const char *p = data;

	g_return_val_if_fail(parser != NULL, FALSE);
	g_return_val_if_fail(data != NULL || len == 0, FALSE);
	if (parser->broken) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("event stream is broken by an earlier error"));
		return FALSE;
	}
	if (parser->stopped)
		return FALSE;
	/* (NULL, 0) is a valid empty piece, and NULL + 0 is not valid C */
	if (len == 0)
		return TRUE;

	end = data + len;
	while (p < end) {
		const char *stop = p;
		gsize span = 0;

		if (*p == '\n' && parser->after_cr) {
			/* the LF of a CRLF, possibly in the next piece */
			parser->after_cr = FALSE;
			p++;
			continue;
		}
		parser->after_cr = FALSE;
		if (*p == '\r' || *p == '\n') {
			parser->after_cr = *p == '\r';
			p++;
			if (!end_line(parser, error))
				return FALSE;
			continue;
		}
		while (stop < end && *stop != '\r' && *stop != '\n')
			stop++;
		span = (gsize)(stop - p);
		if (memchr(p, '\0', span) != NULL)
			return fail(parser, error, _("event stream has a NUL byte"));
		if (parser->line->len + span > parser->max)
			return fail(parser, error,
			            _("event stream has a line over the size limit"));
		g_string_append_len(parser->line, p, (gssize)span);
		p = stop;
	}
	return TRUE;
}
