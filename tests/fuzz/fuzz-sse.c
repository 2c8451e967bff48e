/* fuzz-sse.c - libFuzzer target for the text/event-stream parser: any bytes, in any pieces, give
 * the same events and the same end
 *
 * The first byte chooses the size bound, when the callback stops the parser and how the rest is
 * cut; the rest is the stream. It is read whole, one byte at a time and in pieces of varying
 * size, and the three must agree event for event.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-sse"

#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net/sr-sse.h"
#include "sirena/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
	GString *log; /* every event as type, data and id, each ended by NUL */
	guint events;
	guint stop_after; /* 0: never */
} Run;

static gboolean
record(const SrSseEvent *event, gpointer user_data)
{
	Run *run = user_data;
	g_assert(event->type != NULL && event->data != NULL);
	g_assert(strlen(event->data) == event->data_len);
	g_assert(g_utf8_validate(event->type, -1, NULL));
	g_assert(g_utf8_validate(event->data, (gssize)event->data_len, NULL));
	g_string_append_len(run->log, event->type, (gssize)strlen(event->type) + 1);
	g_string_append_len(run->log, event->data, (gssize)event->data_len + 1);
	if (event->last_id != NULL) {
		g_assert(event->last_id[0] != '\0');
		g_string_append(run->log, event->last_id);
	}
	g_string_append_c(run->log, '\0');
	run->events++;
	return run->stop_after == 0 || run->events < run->stop_after;
}

/* feeds @stream in pieces of the sizes @step gives; returns the log, *@failed when it broke */
static GString *
run_once(const char *stream, gsize len, gsize max, guint stop_after, guint seed, gsize fixed,
         gboolean *failed)
{
	Run run = {g_string_new(NULL), 0, stop_after};
	g_autoptr(SrSseParser) parser = sr_sse_parser_new(max, record, &run);
	g_autoptr(GError) error = NULL;
	gboolean ok = TRUE;
	gsize from = 0;

	while (ok && from < len) {
		gsize piece = fixed;
		if (piece == 0) {
			/* a small LCG is enough to vary the cuts reproducibly */
			seed = seed * 1103515245u + 12345u;
			piece = 1 + (seed >> 16) % 23;
		}
		piece = MIN(piece, len - from);
		ok = sr_sse_parser_feed(parser, stream + from, piece, &error);
		from += piece;
	}
	*failed = error != NULL;
	if (error != NULL)
		g_assert(g_error_matches(error, SR_ERROR, SR_ERROR_PARSE));
	/* once stopped or broken, it stays so */
	if (!ok) {
		g_autoptr(GError) again = NULL;
		g_assert(!sr_sse_parser_feed(parser, "data: x\n\n", 9, &again));
		g_assert((again != NULL) == *failed);
	}
	g_assert(sr_sse_parser_get_retry(parser) >= -1);
	return run.log;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *stream = NULL;
	gsize len = 0;
	gsize max = 0;
	guint stop_after = 0;
	guint seed = 0;
	gboolean failed_whole = FALSE;
	gboolean failed_bytes = FALSE;
	gboolean failed_pieces = FALSE;
	g_autoptr(GString) whole = NULL;
	g_autoptr(GString) bytes = NULL;
	g_autoptr(GString) pieces = NULL;

	if (size == 0)
		return 0;
	seed = data[0];
	/* half the inputs with a small bound, so the limits are reached */
	max = (seed & 0x80) != 0 ? 1 + (seed & 0x1f) * 8 : 0;
	stop_after = (seed >> 5) & 0x3;
	stream = (const char *)data + 1;
	len = size - 1;

	whole = run_once(stream, len, max, stop_after, seed, len, &failed_whole);
	bytes = run_once(stream, len, max, stop_after, seed, 1, &failed_bytes);
	pieces = run_once(stream, len, max, stop_after, seed, 0, &failed_pieces);
	g_assert(failed_whole == failed_bytes && failed_whole == failed_pieces);
	g_assert(g_string_equal(whole, bytes));
	g_assert(g_string_equal(whole, pieces));
	return 0;
}
