/* fuzz-alerts_com_ua.c - libFuzzer target for the alerts.com.ua parsers: the /api/states body,
 * one stream event, and a whole event stream as the poller reads it
 *
 * The first byte picks what the rest is (its low two bits): 0 a /api/states body, 1 the data of
 * an "update", 2 a text/event-stream whose events all go to parse_event, 3 an event type up to
 * the first LF and its data after it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-alerts_com_ua"

#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net/sr-sse.h"
#include "sirena/error.h"
#include "sirena/region.h"
#include "sources/sr-sources-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_event(const char *type, const char *data, gsize len, const SrParseContext *ctx)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch =
	    sr_source_alerts_com_ua_parse_event(type, data, len, ctx, &error);
	/* never both; neither is an event that said nothing */
	g_assert(batch == NULL || error == NULL);
	if (error != NULL)
		g_assert(g_error_matches(error, SR_ERROR, SR_ERROR_PARSE));
	if (batch != NULL) {
		const SrEvent *event = NULL;
		g_assert(batch->kind == SR_BATCH_DELTA);
		g_assert(batch->events->len == 1);
		event = g_ptr_array_index(batch->events, 0);
		g_assert(g_str_has_prefix(event->id, "alerts_com_ua:"));
		g_assert(g_utf8_validate(event->id, -1, NULL));
		g_assert(event->phase == SR_PHASE_ACTIVE || event->phase == SR_PHASE_ENDED);
	}
}

static gboolean
on_event(const SrSseEvent *event, gpointer user_data)
{
	check_event(event->type, event->data, event->data_len, user_data);
	return TRUE;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	SrParseContext ctx = {
	    .source_name = "alerts_com_ua",
	    .catalog = sr_catalog_get_default(&error),
	    .now = 1795500000,
	};
	const char *body = NULL;
	gsize len = 0;

	/* without the catalog the parser runs, but much of it would go untested */
	if (ctx.catalog == NULL)
		g_error("cannot load the region catalog (set SIRENA_DATA_DIR): %s", error->message);
	if (size == 0)
		return 0;
	body = (const char *)data + 1;
	len = size - 1;

	switch (data[0] & 0x3) {
	case 0: {
		g_autoptr(SrBatch) batch = sr_source_alerts_com_ua_parse(body, len, &ctx, &error);
		/* exactly one of the two */
		g_assert((batch == NULL) != (error == NULL));
		if (batch != NULL)
			g_assert(batch->kind == SR_BATCH_SNAPSHOT);
		break;
	}
	case 1:
		check_event("update", body, len, &ctx);
		break;
	case 2: {
		/* in pieces of a size the first byte also sets, as a network delivers them */
		g_autoptr(SrSseParser) sse = sr_sse_parser_new(64 * 1024, on_event, &ctx);
		gsize piece = 1 + (data[0] >> 2);
		for (gsize from = 0; from < len; from += piece) {
			if (!sr_sse_parser_feed(sse, body + from, MIN(piece, len - from), &error))
				break;
		}
		break;
	}
	default: {
		const char *lf = memchr(body, '\n', len);
		gsize type_len = lf != NULL ? (gsize)(lf - body) : len;
		g_autofree char *type = g_strndup(body, type_len);
		gsize rest = lf != NULL ? len - type_len - 1 : 0;
		check_event(type, lf != NULL ? lf + 1 : body + len, rest, &ctx);
		break;
	}
	}
	return 0;
}
