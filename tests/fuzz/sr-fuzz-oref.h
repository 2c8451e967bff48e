/* sr-fuzz-oref.h - what the two Pikud HaOref fuzz targets share: one-off parses and a sequence
 *
 * The parsers keep state across polls (the life of each area's alert), so one input is a
 * sequence of bodies for one source instance: it is split at SR_FUZZ_OREF_SEPARATOR, two ASCII
 * record separators (raw control characters, which no good body holds). The byte after each
 * separator is not part of the next body: it moves the clock on by
 * sr_fuzz_oref_steps[byte % 16] seconds before that poll ('0' to '9', then ':' to '?', pick
 * them in order), so the fuzzer reaches every window and time-out of the tracker. The first
 * body is read at SR_FUZZ_OREF_T0; a body alone is read twice, 2 s apart, as the feed repeats
 * an alert. Each body is also parsed once without state (a one-off parse): it must be good or
 * bad alike, and at the first poll give the same snapshot. After the last poll, a long silence
 * must have ended everything.
 *
 * Every answer is checked for what the engine relies on: an error or a snapshot, never both;
 * a failed parse leaves the state as it was; every event is this source's, in Israel, open
 * until a time still to come or ended no later than now, and reads back from its JSON (the
 * store keeps events that way) to the same content.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdint.h>
#include <string.h>

#include "sirena/error.h"
#include "sirena/json.h"
#include "sirena/region.h"
#include "sources/sr-sources-private.h"

#define SR_FUZZ_OREF_SEPARATOR     "\x1e\x1e"
#define SR_FUZZ_OREF_SEPARATOR_LEN 2
/* polls per input: enough to walk every time-out, few enough to stay fast */
#define SR_FUZZ_OREF_MAX_POLLS 64
/* 2026-07-01T09:00:00Z, 12:00 in Israel: the fixtures' history rows are around it */
#define SR_FUZZ_OREF_T0 G_GINT64_CONSTANT(1782896400)
/* longer than every time-out and every memory of the parsers */
#define SR_FUZZ_OREF_SILENCE (3 * 24 * 60 * 60)

/* just at and around the windows: dedupe 180, raise 600, skew 60, time-outs 1200, 1800 and
 * 10800, the memory of ends 3600, history 93600 */
static const gint64 sr_fuzz_oref_steps[16] = {
    1, 2, 5, 30, 60, 61, 179, 180, 181, 600, 601, 1200, 1800, 3601, 10801, 93601,
};

typedef SrBatch *(*SrFuzzOrefParse)(const char *body, gsize len, const SrParseContext *ctx,
                                    GError **error);

typedef struct {
	const char *source_name;
	SrFuzzOrefParse parse;
	void (*free_state)(gpointer state);
	/* optional: a measure of the state that a failed parse must leave as it was */
	guint (*state_size)(gpointer state);
} SrFuzzOref;

static const SrCatalog *
sr_fuzz_oref_catalog(void)
{
	g_autoptr(GError) error = NULL;
	const SrCatalog *catalog = sr_catalog_get_default(&error);
	/* without the catalog the parsers run, but much of them would go untested */
	if (catalog == NULL)
		g_error("cannot load the region catalog (set SIRENA_DATA_DIR): %s", error->message);
	return catalog;
}

static void
sr_fuzz_oref_check_event(const SrFuzzOref *target, const SrParseContext *ctx, const SrEvent *event)
{
	g_autofree char *prefix = g_strconcat(target->source_name, ":", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(cJSON) json = NULL;
	g_autofree char *text = NULL;
	g_autoptr(SrEvent) again = NULL;

	g_assert_nonnull(event);
	g_assert_cmpstr(event->source, ==, target->source_name);
	g_assert_true(g_str_has_prefix(event->id, prefix));
	g_assert_cmpuint(event->regions->len, >, 0);
	for (guint i = 0; i < event->regions->len; i++)
		g_assert_true(g_str_has_prefix(g_ptr_array_index(event->regions, i), "il:"));
	g_assert_cmpint(event->started_at, <=, event->updated_at);
	g_assert_cmpint(event->updated_at, <=, ctx->now);
	if (event->phase == SR_PHASE_ENDED) {
		g_assert_cmpint(event->ended_at, !=, 0);
		g_assert_cmpint(event->ended_at, <=, ctx->now);
	} else {
		g_assert_true(sr_event_is_active(event));
		g_assert_cmpint(event->ended_at, ==, 0);
		/* the snapshot is taken after the time-outs: nothing in it has passed its own */
		g_assert_cmpint(event->expires_at, >, ctx->now);
	}

	json = sr_event_to_json(event, ctx->catalog);
	text = sr_json_print(json);
	again = sr_event_from_json_string(text, strlen(text), &error);
	g_assert_no_error(error);
	g_assert_cmpstr(again->id, ==, event->id);
	g_assert_true(sr_event_same_content(event, again));
}

/* exactly one of a batch and an error, and a batch that holds what it should */
static void
sr_fuzz_oref_check(const SrFuzzOref *target, const SrParseContext *ctx, const SrBatch *batch,
                   const GError *error)
{
	g_autoptr(GHashTable) open_ids = NULL;

	g_assert_true((batch == NULL) != (error == NULL));
	if (error != NULL) {
		g_assert_true(error->domain == SR_ERROR);
		return;
	}
	g_assert_cmpint(batch->kind, ==, SR_BATCH_SNAPSHOT);
	open_ids = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < batch->events->len; i++) {
		const SrEvent *event = g_ptr_array_index(batch->events, i);
		sr_fuzz_oref_check_event(target, ctx, event);
		/* one open alert per id: the engine follows an alert by it */
		if (event->phase != SR_PHASE_ENDED)
			g_assert_true(g_hash_table_add(open_ids, event->id));
	}
}

static void
sr_fuzz_oref_check_same(const SrBatch *a, const SrBatch *b)
{
	g_assert_cmpuint(a->events->len, ==, b->events->len);
	for (guint i = 0; i < a->events->len; i++) {
		const SrEvent *ea = g_ptr_array_index(a->events, i);
		const SrEvent *eb = g_ptr_array_index(b->events, i);
		g_assert_cmpstr(ea->id, ==, eb->id);
		g_assert_true(sr_event_same_content(ea, eb));
	}
}

/* one poll of the source instance whose state is @state */
static SrBatch *
sr_fuzz_oref_poll(const SrFuzzOref *target, gpointer *state, const char *body, gsize len,
                  gint64 now, GError **error)
{
	SrParseContext ctx = {
	    .source_name = target->source_name,
	    .catalog = sr_fuzz_oref_catalog(),
	    .now = now,
	    .state = state,
	};
	gpointer before = state != NULL ? *state : NULL;
	guint size_before = 0;
	/* a copy of exactly the body's size, so ASan sees any read past its end */
	g_autofree char *copy = g_memdup2(body, len);
	SrBatch *batch = NULL;

	if (before != NULL && target->state_size != NULL)
		size_before = target->state_size(before);
	batch = target->parse(copy != NULL ? copy : "", len, &ctx, error);
	sr_fuzz_oref_check(target, &ctx, batch, error != NULL ? *error : NULL);
	if (batch == NULL && state != NULL) {
		/* a parse that fails leaves the state unchanged */
		g_assert_true(*state == before);
		if (before != NULL && target->state_size != NULL)
			g_assert_cmpuint(target->state_size(before), ==, size_before);
	}
	return batch;
}

/* where the next separator starts, or @len */
static gsize
sr_fuzz_oref_find_separator(const uint8_t *data, gsize len)
{
	/* byte by byte: the comparisons are what libFuzzer learns the separator from */
	for (gsize i = 0; i + SR_FUZZ_OREF_SEPARATOR_LEN <= len; i++) {
		if (memcmp(data + i, SR_FUZZ_OREF_SEPARATOR, SR_FUZZ_OREF_SEPARATOR_LEN) == 0)
			return i;
	}
	return len;
}

static int
sr_fuzz_oref_run(const SrFuzzOref *target, const uint8_t *data, size_t size)
{
	gpointer state = NULL;
	gsize offset = 0;
	gint64 now = SR_FUZZ_OREF_T0;
	guint polls = 0;

	/* the replay driver hands an empty file over as NULL */
	if (size == 0)
		data = (const uint8_t *)"";
	while (polls < SR_FUZZ_OREF_MAX_POLLS) {
		gsize body_len = sr_fuzz_oref_find_separator(data + offset, size - offset);
		const char *body = (const char *)data + offset;
		gboolean last = offset + body_len >= size;
		g_autoptr(GError) error = NULL;
		g_autoptr(GError) error_once = NULL;
		g_autoptr(SrBatch) batch = NULL;
		g_autoptr(SrBatch) batch_once = NULL;

		batch = sr_fuzz_oref_poll(target, &state, body, body_len, now, &error);
		/* without state: whether a body is good does not depend on what came before,
		 * and a fresh state at its first poll answers the same */
		batch_once = sr_fuzz_oref_poll(target, NULL, body, body_len, now, &error_once);
		g_assert_true((batch == NULL) == (batch_once == NULL));
		if (polls == 0 && batch != NULL)
			sr_fuzz_oref_check_same(batch, batch_once);
		polls++;
		if (last) {
			/* a body alone: the feed shows an alert for a minute, read every 2 s */
			if (polls == 1) {
				g_autoptr(GError) error_again = NULL;
				g_autoptr(SrBatch) again = NULL;
				now += 2;
				again = sr_fuzz_oref_poll(target, &state, body, body_len, now,
				                          &error_again);
				g_assert_true((again == NULL) == (batch == NULL));
			}
			break;
		}
		offset += body_len + SR_FUZZ_OREF_SEPARATOR_LEN;
		if (offset < size)
			now +=
			    sr_fuzz_oref_steps[data[offset++] % G_N_ELEMENTS(sr_fuzz_oref_steps)];
	}

	/* nothing for days: every alert has timed out, nothing is left open */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(SrBatch) batch =
		    sr_fuzz_oref_poll(target, &state, "", 0, now + SR_FUZZ_OREF_SILENCE, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(batch->events->len, ==, 0);
	}
	if (state != NULL)
		target->free_state(state);
	return 0;
}
