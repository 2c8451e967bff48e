/* sr-source-oref-history.c - Pikud HaOref's last-day history, to catch pulses between polls
 *
 * AlertsHistory.json is a list of rows, one per area per message: {"alertDate" in Israel's
 * wall-clock time without an offset, "title", "data" (one area), "category" (the history
 * numbering, not the real-time one)}. The alert-history site's GetAlarmsHistory rows have the
 * same fields plus "rid", and are read too. Each row is applied once, oldest first, to the
 * same per-area life the real-time source keeps; a row older than the raise window can move
 * an alert it knows on (an end, a stay-near) but never start one: a day-old row is no alert.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-oref"

#include "config.h"

#include <string.h>

#include "sirena/error.h"
#include "sources/sr-oref-tracker.h"
#include "sources/sr-sources-private.h"
#include "sr-i18n.h"

/* the feed covers a day; rows past that are ignored, and remembered no longer */
#define HISTORY_SPAN (26 * 60 * 60)
/* a day of rows is a few thousand; the memory of applied rows stops growing past this */
#define MAX_SEEN 200000
/* the feed's clock and ours differ a little */
#define FUTURE_SKEW 60

typedef struct {
	SrOrefTracker *tracker;
	GHashTable *seen; /* row key -> (gint64) its time, as a pointer-sized int */
} HistoryState;

static void
history_state_free(HistoryState *state)
{
	if (state == NULL)
		return;
	sr_oref_tracker_free(state->tracker);
	g_hash_table_unref(state->seen);
	g_free(state);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HistoryState, history_state_free)

static HistoryState *
history_state_new(void)
{
	HistoryState *state = g_new0(HistoryState, 1);
	state->tracker = sr_oref_tracker_new();
	state->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return state;
}

typedef struct {
	guint index;
	gint64 at;
	gint64 category;
	const char *title;
	const char *area;
	char *key;
} Row;

static void
row_clear(Row *row)
{
	g_free(row->key);
}

static gint
row_order(gconstpointer a, gconstpointer b)
{
	const Row *ra = a;
	const Row *rb = b;
	if (ra->at != rb->at)
		return ra->at < rb->at ? -1 : 1;
	return ra->index < rb->index ? -1 : ra->index > rb->index;
}

static const char *
row_string(const cJSON *row, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(row, name);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* a row that cannot be read is logged and left out: the rest still counts */
static gboolean
read_row(const cJSON *item, guint index, Row *row)
{
	g_autofree char *category = NULL;
	g_autofree char *rid = NULL;
	const char *date = NULL;
	g_autofree char *shown = g_strdup_printf("%u", index);

	if (!cJSON_IsObject(item)) {
		sr_source_log_once(G_LOG_DOMAIN, "history row", shown, "is not an object; skipped");
		return FALSE;
	}
	date = row_string(item, "alertDate");
	row->area = row_string(item, "data");
	row->title = row_string(item, "title");
	if (row->title == NULL)
		row->title = row_string(item, "category_desc");
	category = sr_source_read_id(cJSON_GetObjectItemCaseSensitive(item, "category"), 6, 999999);
	if (date == NULL || row->area == NULL || category == NULL ||
	    !sr_oref_parse_local_time(date, &row->at)) {
		sr_source_log_once(G_LOG_DOMAIN, "history row", shown,
		                   "lacks a readable alertDate, data or category; skipped");
		return FALSE;
	}
	row->index = index;
	row->category = g_ascii_strtoll(category, NULL, 10);
	rid = sr_source_read_id(cJSON_GetObjectItemCaseSensitive(item, "rid"), 19,
	                        SR_SOURCE_MAX_JSON_INTEGER);
	row->key = rid != NULL ? g_strconcat("rid:", rid, NULL)
	                       : g_strdup_printf("%s\x1f%s\x1f%s", date, category, row->area);
	return TRUE;
}

static void
forget_old_rows(HistoryState *state, gint64 now)
{
	GHashTableIter iter;
	gpointer value = NULL;
	g_hash_table_iter_init(&iter, state->seen);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		if (now - (gint64)GPOINTER_TO_SIZE(value) > HISTORY_SPAN)
			g_hash_table_iter_remove(&iter);
	}
}

static void
apply_row(HistoryState *state, const SrParseContext *ctx, const Row *row, GPtrArray *ended)
{
	SrOrefClass klass = {0};
	g_autoptr(GPtrArray) regions = NULL;
	g_autofree char *name = NULL;
	/* a row a little ahead of our clock is a row from now */
	gint64 at = MIN(row->at, ctx->now);

	if (!sr_oref_classify_history(row->category, row->title, &klass))
		return;
	regions = sr_oref_resolve_area(ctx->catalog, row->area);
	name = g_utf8_make_valid(row->area, -1);
	for (guint i = 0; i < regions->len; i++) {
		SrOrefMessage message = {
		    .klass = &klass,
		    .region = g_ptr_array_index(regions, i),
		    .name = name,
		    .title = row->title,
		    .desc = NULL,
		    .upstream_id = NULL,
		    .at = at,
		    .may_raise = ctx->now - at <= SR_OREF_HISTORY_RAISE_WINDOW,
		};
		sr_oref_tracker_apply(state->tracker, ctx->catalog, &message, ctx->source_name,
		                      ended);
	}
}

SrBatch *
sr_source_oref_history_parse(const char *body, gsize len, const SrParseContext *ctx, GError **error)
{
	g_autofree char *text = sr_oref_decode_body(body, len, error);
	g_autoptr(cJSON) root = NULL;
	g_autoptr(HistoryState) temporary = NULL;
	g_autoptr(GArray) rows = g_array_new(FALSE, TRUE, sizeof(Row));
	g_autoptr(GPtrArray) ended = g_ptr_array_new_with_free_func((GDestroyNotify)sr_event_unref);
	HistoryState *state = NULL;
	const cJSON *item = NULL;
	guint index = 0;

	g_array_set_clear_func(rows, (GDestroyNotify)row_clear);
	if (text == NULL)
		return NULL;
	/* the feed is sometimes empty though alerts happened: an empty body says nothing */
	if (text[0] != '\0') {
		root = sr_source_parse_json_root(text, strlen(text), cJSON_Array,
		                                 _("the history is not a JSON array"), error);
		if (root == NULL)
			return NULL;
		cJSON_ArrayForEach (item, root) {
			Row row = {0};
			if (read_row(item, index++, &row) && ctx->now - row.at <= HISTORY_SPAN)
				g_array_append_val(rows, row);
			else
				row_clear(&row);
		}
		g_array_sort(rows, row_order);
	}

	if (ctx->state == NULL) {
		temporary = history_state_new();
		state = temporary;
	} else {
		if (*ctx->state == NULL)
			*ctx->state = history_state_new();
		state = *ctx->state;
	}
	for (guint i = 0; i < rows->len; i++) {
		Row *row = &g_array_index(rows, Row, i);
		if (g_hash_table_contains(state->seen, row->key))
			continue;
		/* ahead of our clock by more than skew: its turn comes when we get there */
		if (row->at > ctx->now + FUTURE_SKEW)
			continue;
		apply_row(state, ctx, row, ended);
		if (g_hash_table_size(state->seen) < MAX_SEEN)
			g_hash_table_insert(state->seen, g_steal_pointer(&row->key),
			                    GSIZE_TO_POINTER((gsize)row->at));
	}
	forget_old_rows(state, ctx->now);
	sr_oref_tracker_expire(state->tracker, ctx->now);
	return sr_oref_tracker_snapshot(state->tracker, ctx->source_name, ended);
}

static void
history_restore(gpointer *state, const SrEvent *alert, const SrParseContext *ctx)
{
	if (*state == NULL)
		*state = history_state_new();
	sr_oref_tracker_restore(((HistoryState *)*state)->tracker, alert, ctx->now);
}

static gboolean
build_request(const SrSourceConfig *config, SrRequestKind kind, SrRequest *request, GError **error)
{
	return sr_source_oref_build(
	    config, kind, "/warningMessages/alert/History/AlertsHistory.json", request, error);
}

const SrSourceOps sr_source_oref_history = {
    .type = "oref_history",
    .description = "Pikud HaOref last-day history: catches alerts shown between two polls of "
                   "oref (Israeli addresses only: see proxy=)",
    .default_url = "https://www.oref.org.il",
    .needs_token = FALSE,
    .default_interval = 10,
    .min_interval = 5,
    .max_per_minute = 12,
    .auth_failures_before_error = 1,
    .forbidden_hint = SR_OREF_FORBIDDEN_HINT,
    .conditional = TRUE,
    .kinds = SR_OREF_KINDS,
    .levels = (1u << SR_REGION_LEVEL_COUNTRY) | (1u << SR_REGION_LEVEL_AREA),
    .extra_keys = NULL,
    .build_request = build_request,
    .parse = sr_source_oref_history_parse,
    .parse_probe = NULL,
    .free_state = (void (*)(gpointer))history_state_free,
    .restore = history_restore,
};
