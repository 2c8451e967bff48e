/* sr-engine.c - tracking, fusion and staleness: source batches in, changes out
 *
 * Every source keeps the set of alerts it reported last. After each poll the fused view is what
 * all sources' sets make of it — one alert per (region, kind) — compared with the previous fused
 * view: what is new has started, what changed was updated, what is gone has ended.
 *
 * The view is kept up to date incrementally, so that a poll costs what its batch and its changes
 * cost, not what every source holds: each change to a source's set (a batch, an expiry) is diffed
 * against what the source held (by root, pointer, then sr_event_same_content()), an index (key ->
 * the events that make the alert) follows the events that changed, and only the alerts whose keys
 * they touch are rebuilt. Matching is one lookup in a table made when the subscriptions change.
 * A change of subscriptions, location or catalog rebuilds the index and the whole view the
 * original way (build_fused()).
 *
 * The original code is kept, compiled and cheap: sr_engine_set_full_rebuild() makes an engine
 * apply batches (apply_batch_full()) and rebuild the view (build_fused()) exactly as before, and
 * tests/test-engine.c runs it side by side with an incremental engine over long random runs,
 * comparing every change and the view; sr_engine_set_verify() makes the incremental engine also
 * compare each update with a full rebuild of the same sets.
 *
 * A source that fails keeps its last word: its alerts stay in the fused view, so an alert ends
 * only when every source that reported it has said so in a successful poll. That is what makes
 * "a failing source never produces an all-clear" true by construction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-engine"

#include "config.h"

#include <string.h>

#include "sirena/engine.h"
#include "sirena/error.h"
#include "sirena/json.h"
#include "sr-i18n.h"

typedef struct {
	SrSourceHealth health;
	/* root (a GRefString, shared by the sets of successive polls) -> SrEvent*: what the source
	 * reports active now, one per alert */
	GHashTable *events;
	GHashTable *roots;      /* event id -> the root of its chain of updates (CAP references) */
	GHashTable *superseded; /* event id -> its root: messages a later one names (old news) */
	gboolean baseline_pending; /* no successful poll yet */
	gboolean permanent_error;
	guint position; /* in config order: the order of an alert's sources and events */
} SourceState;

/* one event's part in one fused alert */
typedef struct {
	SourceState *state;
	char *root; /* the key of the event in the source's set */
	SrEvent *event;
	guint k; /* the region's position in event->regions (0 for an area) */
} Contribution;

struct _SrEngine {
	const SrCatalog *catalog;
	GPtrArray *sources;       /* of SourceState*, in config order */
	GPtrArray *subscriptions; /* of char* */
	SrLocation *location;     /* for alerts that name areas, not regions */
	GHashTable *alerts;       /* key -> SrAlert*: the fused view */
	gint64 started; /* when the first source was added: what began before is baseline */
	GPtrArray *sorted_alerts; /* cache for sr_engine_get_alerts */
	GPtrArray *health_list;   /* of SrSourceHealth*, borrowed */
	SrChangeFunc func;
	gpointer user_data;
	GHashTable *end_reasons; /* event id -> why it left its source's set, for this round */
	/* region id (borrowed from the catalog) -> MATCH_YES / MATCH_NO for every region the
	 * catalog has, NULL until needed after a subscription change */
	GHashTable *match;
	guint match_catalog_size;
	/* key -> GPtrArray of Contribution*: the matching events that make each alert; valid
	 * only while the subscriptions, the location and the catalog stay as they were */
	GHashTable *index;
	gboolean index_valid;
	guint index_catalog_size;
	GHashTable *dirty;     /* keys whose alert must be rebuilt at the next update */
	gboolean full_rebuild; /* testing: always the original full rebuild */
	gboolean verify;       /* testing: check the incremental path against it */
	guint verify_mismatches;
};

#define MATCH_YES GINT_TO_POINTER(1)
#define MATCH_NO  GINT_TO_POINTER(2)

static const char *const source_state_names[] = {"ok", "stale", "error"};
static const char *const change_type_names[] = {"started", "updated", "ended", "source"};

const char *
sr_source_state_to_string(SrSourceState state)
{
	if ((guint)state >= G_N_ELEMENTS(source_state_names))
		return "error";
	return source_state_names[state];
}

const char *
sr_change_type_to_string(SrChangeType type)
{
	if ((guint)type >= G_N_ELEMENTS(change_type_names))
		return "unknown";
	return change_type_names[type];
}

static void
source_state_free(SourceState *state)
{
	g_free(state->health.name);
	g_free(state->health.type);
	g_free(state->health.error);
	g_hash_table_unref(state->events);
	g_hash_table_unref(state->roots);
	g_hash_table_unref(state->superseded);
	g_free(state);
}

static void
contribution_free(Contribution *contribution)
{
	g_free(contribution->root);
	sr_event_unref(contribution->event);
	g_free(contribution);
}

static void
sr_alert_free(SrAlert *alert)
{
	g_free(alert->key);
	sr_event_unref(alert->event);
	g_ptr_array_unref(alert->sources);
	g_ptr_array_unref(alert->events);
	g_free(alert);
}

SrEngine *
sr_engine_new(const SrCatalog *catalog)
{
	SrEngine *engine = g_new0(SrEngine, 1);
	engine->catalog = catalog;
	engine->sources = g_ptr_array_new_with_free_func((GDestroyNotify)source_state_free);
	engine->subscriptions = g_ptr_array_new_with_free_func(g_free);
	engine->alerts =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)sr_alert_free);
	engine->health_list = g_ptr_array_new();
	engine->end_reasons = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	engine->index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                      (GDestroyNotify)g_ptr_array_unref);
	engine->dirty = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return engine;
}

void
sr_engine_free(SrEngine *engine)
{
	if (engine == NULL)
		return;
	g_clear_pointer(&engine->sorted_alerts, g_ptr_array_unref);
	g_hash_table_unref(engine->alerts);
	g_ptr_array_unref(engine->health_list);
	g_ptr_array_unref(engine->subscriptions);
	g_clear_pointer(&engine->location, sr_location_free);
	g_ptr_array_unref(engine->sources);
	g_hash_table_unref(engine->end_reasons);
	g_clear_pointer(&engine->match, g_hash_table_unref);
	g_hash_table_unref(engine->index);
	g_hash_table_unref(engine->dirty);
	g_free(engine);
}

void
sr_engine_set_change_func(SrEngine *engine, SrChangeFunc func, gpointer user_data)
{
	engine->func = func;
	engine->user_data = user_data;
}

void
sr_engine_add_subscription(SrEngine *engine, const char *region_id)
{
	g_return_if_fail(region_id != NULL);
	g_ptr_array_add(engine->subscriptions, g_strdup(region_id));
	/* what matches changes: the next update rebuilds the whole view, as it always did */
	g_clear_pointer(&engine->match, g_hash_table_unref);
	engine->index_valid = FALSE;
}

void
sr_engine_set_location(SrEngine *engine, const SrLocation *location)
{
	g_clear_pointer(&engine->location, sr_location_free);
	if (location != NULL && sr_location_is_set(location))
		engine->location = sr_location_copy(location);
	engine->index_valid = FALSE;
}

void
sr_engine_set_full_rebuild(SrEngine *engine, gboolean full)
{
	engine->full_rebuild = full;
	engine->index_valid = FALSE;
}

void
sr_engine_set_verify(SrEngine *engine, gboolean verify)
{
	engine->verify = verify;
}

guint
sr_engine_get_verify_mismatches(SrEngine *engine)
{
	return engine->verify_mismatches;
}

static guint
catalog_size(SrEngine *engine)
{
	return engine->catalog != NULL ? sr_catalog_size(engine->catalog) : 0;
}

/* an alert that names no region: where the user is decides; without a place, only a user who
 * subscribed to nothing (every alert) sees it */
static gboolean
area_matches(SrEngine *engine, const SrEvent *event)
{
	if (engine->location != NULL)
		return sr_location_matches_area(engine->location, &event->area);
	return engine->subscriptions->len == 0;
}

/* the definition of a match, one sr_catalog_matches() per subscription; region_matches() gives
 * the same answer from the table build_match() makes of it */
static gboolean
region_matches_slow(SrEngine *engine, const char *region_id)
{
	if (engine->subscriptions->len == 0)
		return TRUE;
	if (region_id == NULL)
		return FALSE;
	/* a region the catalog does not know cannot be placed: showing it is the safe side */
	if (sr_catalog_lookup(engine->catalog, region_id) == NULL)
		return TRUE;
	for (guint i = 0; i < engine->subscriptions->len; i++) {
		if (sr_catalog_matches(engine->catalog, g_ptr_array_index(engine->subscriptions, i),
		                       region_id))
			return TRUE;
	}
	return FALSE;
}

/* every region the catalog knows, with whether it matches: a subscribed region, its ancestors
 * and its descendants do (sr_catalog_matches() in both directions); a subscription the catalog
 * does not know matches only its own id, which is then unknown too, and unknown ids are shown
 * anyway */
static void
build_match(SrEngine *engine)
{
	GPtrArray *all = engine->catalog != NULL ? sr_catalog_get_all(engine->catalog) : NULL;
	g_autoptr(GHashTable) subscribed = g_hash_table_new(NULL, NULL);

	g_clear_pointer(&engine->match, g_hash_table_unref);
	engine->match = g_hash_table_new(g_str_hash, g_str_equal);
	engine->match_catalog_size = catalog_size(engine);
	for (guint i = 0; all != NULL && i < engine->subscriptions->len; i++) {
		const SrRegion *sub =
		    sr_catalog_lookup(engine->catalog, g_ptr_array_index(engine->subscriptions, i));
		if (sub != NULL)
			g_hash_table_add(subscribed, (gpointer)sub);
	}
	for (guint i = 0; all != NULL && i < all->len; i++) {
		const SrRegion *region = g_ptr_array_index(all, i);
		gpointer verdict = MATCH_NO;
		/* inside a subscribed region (or one itself) */
		for (const SrRegion *r = region; r != NULL && verdict == MATCH_NO; r = r->parent) {
			if (g_hash_table_contains(subscribed, r))
				verdict = MATCH_YES;
		}
		g_hash_table_insert(engine->match, region->id, verdict);
	}
	/* containing a subscribed region */
	for (guint i = 0; all != NULL && i < engine->subscriptions->len; i++) {
		const SrRegion *sub =
		    sr_catalog_lookup(engine->catalog, g_ptr_array_index(engine->subscriptions, i));
		for (const SrRegion *r = sub; r != NULL; r = r->parent)
			g_hash_table_insert(engine->match, r->id, MATCH_YES);
	}
}

static gboolean
region_matches(SrEngine *engine, const char *region_id)
{
	gpointer verdict = NULL;
	gboolean matches = FALSE;
	if (engine->subscriptions->len == 0)
		return TRUE;
	if (region_id == NULL)
		return FALSE;
	if (engine->match == NULL || engine->match_catalog_size != catalog_size(engine))
		build_match(engine);
	verdict = g_hash_table_lookup(engine->match, region_id);
	/* NULL: the catalog does not know it */
	matches = verdict != MATCH_NO;
	if (engine->verify && matches != region_matches_slow(engine, region_id)) {
		g_message("verify: region %s matches %d, should %d", region_id, matches, !matches);
		engine->verify_mismatches++;
	}
	return matches;
}

gboolean
sr_engine_alert_matches(SrEngine *engine, const SrAlert *alert)
{
	const SrEvent *event = alert->event;
	if (event->regions->len == 0)
		return area_matches(engine, event);
	for (guint i = 0; i < event->regions->len; i++) {
		if (region_matches(engine, g_ptr_array_index(event->regions, i)))
			return TRUE;
	}
	return FALSE;
}

static GHashTable *
events_table_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, (GDestroyNotify)g_ref_string_release,
	                             (GDestroyNotify)sr_event_unref);
}

static SourceState *
find_source(SrEngine *engine, const char *name)
{
	for (guint i = 0; i < engine->sources->len; i++) {
		SourceState *state = g_ptr_array_index(engine->sources, i);
		if (g_strcmp0(state->health.name, name) == 0)
			return state;
	}
	return NULL;
}

void
sr_engine_add_source(SrEngine *engine, const char *name, const char *type, gdouble stale_after,
                     gint64 now)
{
	SourceState *state = NULL;
	g_return_if_fail(find_source(engine, name) == NULL);
	state = g_new0(SourceState, 1);
	state->health.name = g_strdup(name);
	state->health.type = g_strdup(type);
	state->health.state = SR_SOURCE_STATE_STALE;
	state->health.stale_after = stale_after;
	state->health.down_since = now;
	state->events = events_table_new();
	state->roots = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	state->superseded = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	state->baseline_pending = TRUE;
	state->position = engine->sources->len;
	if (engine->sources->len == 0)
		engine->started = now;
	g_ptr_array_add(engine->sources, state);
	g_ptr_array_add(engine->health_list, &state->health);
}

static void
emit(SrEngine *engine, const SrChange *change)
{
	if (engine->func != NULL)
		engine->func(change, engine->user_data);
}

static void
emit_source(SrEngine *engine, SourceState *state, gint64 now)
{
	SrChange change = {
	    .type = SR_CHANGE_SOURCE,
	    .at = now,
	    .source = &state->health,
	};
	emit(engine, &change);
}

/* fusion */

static GPtrArray *
hash_values(GHashTable *table)
{
	GPtrArray *array = g_ptr_array_sized_new(g_hash_table_size(table));
	GHashTableIter iter;
	gpointer value = NULL;
	g_hash_table_iter_init(&iter, table);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		g_ptr_array_add(array, value);
	return array;
}

static GPtrArray *
hash_keys(GHashTable *table)
{
	GPtrArray *array = g_ptr_array_sized_new(g_hash_table_size(table));
	GHashTableIter iter;
	gpointer key = NULL;
	g_hash_table_iter_init(&iter, table);
	while (g_hash_table_iter_next(&iter, &key, NULL))
		g_ptr_array_add(array, key);
	return array;
}

static SrPhase
stronger_phase(SrPhase a, SrPhase b)
{
	/* active outranks stay-near outranks pre-alert */
	static const int rank[SR_PHASE_LAST] = {1, 3, 2, 0, 0};
	return rank[b] > rank[a] ? b : a;
}

static void
merge_text(char **dst, const char *src)
{
	if (*dst == NULL && src != NULL)
		*dst = g_strdup(src);
}

static SrEvent *
fuse_events(const char *key, SrKind kind, const char *region_id, GPtrArray *events)
{
	SrEvent *fused = sr_event_new("sirena", key);
	gboolean all_expire = TRUE;

	fused->kind = kind;
	fused->phase = SR_PHASE_PRE_ALERT;
	if (region_id != NULL)
		sr_event_add_region(fused, region_id);
	for (guint i = 0; i < events->len; i++) {
		const SrEvent *event = g_ptr_array_index(events, i);
		fused->phase = i == 0 ? event->phase : stronger_phase(fused->phase, event->phase);
		fused->severity = MAX(fused->severity, event->severity);
		fused->urgency = MAX(fused->urgency, event->urgency);
		fused->certainty = MAX(fused->certainty, event->certainty);
		if (event->started_at != 0 &&
		    (fused->started_at == 0 || event->started_at < fused->started_at))
			fused->started_at = event->started_at;
		fused->updated_at = MAX(fused->updated_at, event->updated_at);
		if (event->expires_at == 0)
			all_expire = FALSE;
		else
			fused->expires_at = MAX(fused->expires_at, event->expires_at);
		merge_text(&fused->area.description, event->area.description);
		merge_text(&fused->headline, event->headline);
		merge_text(&fused->description, event->description);
		merge_text(&fused->instruction, event->instruction);
		merge_text(&fused->web, event->web);
		merge_text(&fused->language, event->language);
		if (fused->area.polygons->len == 0 && fused->area.circles->len == 0 &&
		    fused->area.geocodes->len == 0) {
			for (guint j = 0; j < event->area.polygons->len; j++)
				g_ptr_array_add(
				    fused->area.polygons,
				    g_array_ref(g_ptr_array_index(event->area.polygons, j)));
			g_array_append_vals(fused->area.circles, event->area.circles->data,
			                    event->area.circles->len);
			for (guint j = 0; j < event->area.geocodes->len; j++) {
				const SrGeocode *geocode =
				    g_ptr_array_index(event->area.geocodes, j);
				sr_event_add_geocode(fused, geocode->name, geocode->value);
			}
		}
		for (guint j = 0; j < event->references->len; j++)
			sr_event_add_reference(fused, g_ptr_array_index(event->references, j));
	}
	if (!all_expire)
		fused->expires_at = 0;
	return fused;
}

typedef struct {
	char *key;
	SrKind kind;
	const char *region_id;
	GPtrArray *events;  /* of SrEvent*, referenced */
	GPtrArray *sources; /* of char* */
} AlertBuilder;

static void
alert_builder_free(AlertBuilder *builder)
{
	g_free(builder->key);
	g_ptr_array_unref(builder->events);
	g_ptr_array_unref(builder->sources);
	g_free(builder);
}

static gint
root_order(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

static void
builder_add(GHashTable *builders, const char *key, SrKind kind, const char *region_id,
            SrEvent *event, const char *source)
{
	AlertBuilder *builder = g_hash_table_lookup(builders, key);
	if (builder == NULL) {
		builder = g_new0(AlertBuilder, 1);
		builder->key = g_strdup(key);
		builder->kind = kind;
		builder->region_id = region_id;
		builder->events = g_ptr_array_new_with_free_func((GDestroyNotify)sr_event_unref);
		builder->sources = g_ptr_array_new_with_free_func(g_free);
		g_hash_table_insert(builders, builder->key, builder);
	}
	g_ptr_array_add(builder->events, sr_event_ref(event));
	if (builder->sources->len == 0 ||
	    g_strcmp0(g_ptr_array_index(builder->sources, builder->sources->len - 1), source) != 0)
		g_ptr_array_add(builder->sources, g_strdup(source));
}

/* the fused view as the sources' current sets say it should be */
static GHashTable *
build_fused(SrEngine *engine)
{
	g_autoptr(GHashTable) builders = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	                                                       (GDestroyNotify)alert_builder_free);
	GHashTable *fused =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)sr_alert_free);
	GHashTableIter iter;
	gpointer value = NULL;

	for (guint i = 0; i < engine->sources->len; i++) {
		SourceState *state = g_ptr_array_index(engine->sources, i);
		g_autoptr(GPtrArray) roots = hash_keys(state->events);
		g_ptr_array_sort(roots, root_order);
		for (guint j = 0; j < roots->len; j++) {
			const char *root = g_ptr_array_index(roots, j);
			SrEvent *event = g_hash_table_lookup(state->events, root);
			/* drills and tests are never shown as real alerts */
			if (event->status != SR_STATUS_ACTUAL)
				continue;
			if (event->regions->len == 0) {
				/* keyed by the first message of its chain, so an update is the
				 * same alert */
				g_autofree char *key =
				    g_strdup_printf("%s:%s", root, sr_kind_to_string(event->kind));
				if (area_matches(engine, event))
					builder_add(builders, key, event->kind, NULL, event,
					            state->health.name);
				continue;
			}
			for (guint k = 0; k < event->regions->len; k++) {
				const char *region = g_ptr_array_index(event->regions, k);
				g_autofree char *key = NULL;
				if (!region_matches(engine, region))
					continue;
				key = g_strdup_printf("%s:%s", region,
				                      sr_kind_to_string(event->kind));
				builder_add(builders, key, event->kind, region, event,
				            state->health.name);
			}
		}
	}

	g_hash_table_iter_init(&iter, builders);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		AlertBuilder *builder = value;
		SrAlert *alert = g_new0(SrAlert, 1);
		alert->key = g_strdup(builder->key);
		alert->event =
		    fuse_events(builder->key, builder->kind, builder->region_id, builder->events);
		alert->events = g_ptr_array_ref(builder->events);
		alert->sources = g_ptr_array_ref(builder->sources);
		g_hash_table_insert(fused, alert->key, alert);
	}
	return fused;
}

static gint
alert_order(gconstpointer a, gconstpointer b)
{
	const SrAlert *aa = *(const SrAlert *const *)a;
	const SrAlert *ab = *(const SrAlert *const *)b;
	if (aa->event->started_at != ab->event->started_at)
		return aa->event->started_at < ab->event->started_at ? -1 : 1;
	return g_strcmp0(aa->key, ab->key);
}

static SrAlert *
ended_alert(const SrAlert *old, gint64 now)
{
	SrAlert *alert = g_new0(SrAlert, 1);
	alert->key = g_strdup(old->key);
	alert->event = sr_event_copy(old->event);
	alert->event->phase = SR_PHASE_ENDED;
	alert->event->ended_at = now;
	alert->event->updated_at = now;
	alert->sources = g_ptr_array_ref(old->sources);
	alert->events = g_ptr_array_ref(old->events);
	return alert;
}

/* why an alert ended: a fixed vocabulary, a source name and one of these tails. The change
 * carries the English text (it is part of the JSON contract); whoever shows it to a person
 * translates it with sr_change_reason_localize(), which reads these same forms back */
enum {
	REASON_PRE_ALERT_EXPIRED,
	REASON_EXPIRED,
	REASON_END,
	REASON_CANCELLED,
	REASON_GONE,
	REASON_LAST,
};
static const char *const reason_tails[] = {
    [REASON_PRE_ALERT_EXPIRED] = ": no alert followed the pre-alert before it expired",
    [REASON_EXPIRED] = ": expired without an end message",
    [REASON_END] = " reports the end",
    [REASON_CANCELLED] = " reports it cancelled",
    [REASON_GONE] = " no longer reports it",
};
#define REASON_NOW_REPORTS_AS " now reports it as "
#define REASON_NONE_REPORTS   "no source reports it any more"

/* the English reason, as it goes into the change and its JSON line */
static char *
reason_new(guint form, const char *source)
{
	return g_strconcat(source, reason_tails[form], NULL);
}

/* the same reason in the user's language (the forms spelled out for xgettext) */
static char *
reason_translate(guint form, const char *source)
{
	switch (form) {
	case REASON_PRE_ALERT_EXPIRED:
		return g_strdup_printf(_("%s: no alert followed the pre-alert before it expired"),
		                       source);
	case REASON_EXPIRED:
		return g_strdup_printf(_("%s: expired without an end message"), source);
	case REASON_END:
		return g_strdup_printf(_("%s reports the end"), source);
	case REASON_CANCELLED:
		return g_strdup_printf(_("%s reports it cancelled"), source);
	default:
		return g_strdup_printf(_("%s no longer reports it"), source);
	}
}

char *
sr_change_reason_localize(const char *reason)
{
	gsize len = 0;
	const char *middle = NULL;

	if (reason == NULL)
		return NULL;
	len = strlen(reason);
	if (strcmp(reason, REASON_NONE_REPORTS) == 0)
		return g_strdup(_("no source reports it any more"));
	for (guint i = 0; i < REASON_LAST; i++) {
		gsize tail_len = strlen(reason_tails[i]);
		if (len > tail_len && strcmp(reason + len - tail_len, reason_tails[i]) == 0) {
			g_autofree char *source = g_strndup(reason, len - tail_len);
			return reason_translate(i, source);
		}
	}
	middle = strstr(reason, REASON_NOW_REPORTS_AS);
	if (middle != NULL && middle != reason) {
		g_autofree char *source = g_strndup(reason, (gsize)(middle - reason));
		return g_strdup_printf(_("%s now reports it as %s"), source,
		                       middle + strlen(REASON_NOW_REPORTS_AS));
	}
	/* not one of ours (a newer sirenad's, or upstream's words): as it is */
	return g_strdup(reason);
}

/* why an alert ended: the first of its events that left its source's set this round with a
 * reason; an alert whose events all simply vanished from snapshots was ended by its sources */
static const char *
end_reason(SrEngine *engine, const SrAlert *old)
{
	for (guint i = 0; i < old->events->len; i++) {
		const SrEvent *event = g_ptr_array_index(old->events, i);
		const char *reason = g_hash_table_lookup(engine->end_reasons, event->id);
		if (reason != NULL)
			return reason;
	}
	return REASON_NONE_REPORTS;
}

/* the index: which events make which alert */

static void
mark_dirty(SrEngine *engine, const char *key)
{
	if (!g_hash_table_contains(engine->dirty, key))
		g_hash_table_add(engine->dirty, g_strdup(key));
}

static void
index_touch(SrEngine *engine, const char *key, SourceState *state, const char *root, SrEvent *event,
            guint k, gboolean add)
{
	GPtrArray *contributions = g_hash_table_lookup(engine->index, key);
	if (add) {
		Contribution *contribution = g_new0(Contribution, 1);
		if (contributions == NULL) {
			contributions =
			    g_ptr_array_new_with_free_func((GDestroyNotify)contribution_free);
			g_hash_table_insert(engine->index, g_strdup(key), contributions);
		}
		contribution->state = state;
		contribution->root = g_strdup(root);
		contribution->event = sr_event_ref(event);
		contribution->k = k;
		g_ptr_array_add(contributions, contribution);
		mark_dirty(engine, key);
		return;
	}
	for (guint i = 0; contributions != NULL && i < contributions->len; i++) {
		Contribution *contribution = g_ptr_array_index(contributions, i);
		if (contribution->state != state || contribution->k != k ||
		    strcmp(contribution->root, root) != 0)
			continue;
		mark_dirty(engine, key);
		if (contributions->len == 1) {
			g_hash_table_remove(engine->index, key);
			return;
		}
		/* the order is restored when the alert is rebuilt */
		g_ptr_array_remove_index_fast(contributions, i);
		return;
	}
}

/* adds or removes @event's parts in the alerts it makes, exactly as build_fused() would place
 * it; removing does not ask whether it matches: what was never added is not found */
static void
index_event(SrEngine *engine, SourceState *state, const char *root, SrEvent *event, gboolean add)
{
	const char *kind = sr_kind_to_string(event->kind);
	if (event->status != SR_STATUS_ACTUAL)
		return;
	if (event->regions->len == 0) {
		g_autofree char *key = NULL;
		if (add && !area_matches(engine, event))
			return;
		key = g_strconcat(root, ":", kind, NULL);
		index_touch(engine, key, state, root, event, 0, add);
		return;
	}
	for (guint k = 0; k < event->regions->len; k++) {
		const char *region = g_ptr_array_index(event->regions, k);
		g_autofree char *key = NULL;
		if (add && !region_matches(engine, region))
			continue;
		key = g_strconcat(region, ":", kind, NULL);
		index_touch(engine, key, state, root, event, k, add);
	}
}

static void
rebuild_index(SrEngine *engine)
{
	GHashTableIter iter;
	gpointer key = NULL;
	gpointer value = NULL;

	g_hash_table_remove_all(engine->index);
	for (guint i = 0; i < engine->sources->len; i++) {
		SourceState *state = g_ptr_array_index(engine->sources, i);
		g_hash_table_iter_init(&iter, state->events);
		while (g_hash_table_iter_next(&iter, &key, &value))
			index_event(engine, state, key, value, TRUE);
	}
	g_hash_table_remove_all(engine->dirty);
	engine->index_valid = TRUE;
	engine->index_catalog_size = catalog_size(engine);
}

static gboolean
index_usable(SrEngine *engine)
{
	return !engine->full_rebuild && engine->index_valid &&
	       engine->index_catalog_size == catalog_size(engine);
}

/* two messages that say the same thing: the same message, sent again or parsed again */
static gboolean
events_equal(const SrEvent *a, const SrEvent *b)
{
	return a == b || (a->updated_at == b->updated_at && g_strcmp0(a->id, b->id) == 0 &&
	                  g_strcmp0(a->source, b->source) == 0 && sr_event_same_content(a, b));
}

static gint
contribution_order(gconstpointer a, gconstpointer b)
{
	const Contribution *ca = *(const Contribution *const *)a;
	const Contribution *cb = *(const Contribution *const *)b;
	gint order = 0;
	if (ca->state->position != cb->state->position)
		return ca->state->position < cb->state->position ? -1 : 1;
	order = strcmp(ca->root, cb->root);
	if (order != 0)
		return order;
	return ca->k < cb->k ? -1 : ca->k > cb->k;
}

/* one alert from its parts, in the order build_fused() adds them: sources in config order, a
 * source's roots in root_order(), an event's regions in order */
static SrAlert *
build_alert(const char *key, GPtrArray *contributions)
{
	SrAlert *alert = g_new0(SrAlert, 1);
	const Contribution *first = NULL;
	g_ptr_array_sort(contributions, contribution_order);
	first = g_ptr_array_index(contributions, 0);
	alert->key = g_strdup(key);
	alert->events = g_ptr_array_new_full(contributions->len, (GDestroyNotify)sr_event_unref);
	alert->sources = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < contributions->len; i++) {
		const Contribution *contribution = g_ptr_array_index(contributions, i);
		const char *source = contribution->state->health.name;
		g_ptr_array_add(alert->events, sr_event_ref(contribution->event));
		if (alert->sources->len == 0 ||
		    g_strcmp0(g_ptr_array_index(alert->sources, alert->sources->len - 1), source) !=
		        0)
			g_ptr_array_add(alert->sources, g_strdup(source));
	}
	alert->event = fuse_events(key, first->event->kind,
	                           first->event->regions->len > 0
	                               ? g_ptr_array_index(first->event->regions, first->k)
	                               : NULL,
	                           alert->events);
	return alert;
}

static gboolean
same_parts(const SrAlert *a, const SrAlert *b)
{
	if (a->events->len != b->events->len || a->sources->len != b->sources->len)
		return FALSE;
	for (guint i = 0; i < a->events->len; i++) {
		if (g_ptr_array_index(a->events, i) != g_ptr_array_index(b->events, i))
			return FALSE;
	}
	for (guint i = 0; i < a->sources->len; i++) {
		if (g_strcmp0(g_ptr_array_index(a->sources, i), g_ptr_array_index(b->sources, i)) !=
		    0)
			return FALSE;
	}
	return TRUE;
}

/* the original way: the whole view anew, compared with the old one */
static void
update_full(SrEngine *engine, gint64 now, GPtrArray *ended, GPtrArray *updated, GPtrArray *started)
{
	g_autoptr(GHashTable) fused = build_fused(engine);
	GHashTableIter iter;
	gpointer value = NULL;

	g_hash_table_iter_init(&iter, engine->alerts);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		SrAlert *old = value;
		if (!g_hash_table_contains(fused, old->key))
			g_ptr_array_add(ended, ended_alert(old, now));
	}
	g_hash_table_iter_init(&iter, fused);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		SrAlert *alert = value;
		SrAlert *old = g_hash_table_lookup(engine->alerts, alert->key);
		if (old == NULL)
			g_ptr_array_add(started, alert);
		else if (!sr_event_same_content(old->event, alert->event))
			g_ptr_array_add(updated, alert);
	}
	g_clear_pointer(&engine->sorted_alerts, g_ptr_array_unref);
	g_hash_table_unref(engine->alerts);
	engine->alerts = g_steal_pointer(&fused);
	if (!engine->full_rebuild)
		rebuild_index(engine);
}

/* only the alerts whose parts changed; the rest of the view stands */
static void
update_incremental(SrEngine *engine, gint64 now, GPtrArray *ended, GPtrArray *updated,
                   GPtrArray *started)
{
	GHashTableIter iter;
	gpointer key = NULL;

	g_hash_table_iter_init(&iter, engine->dirty);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		GPtrArray *contributions = g_hash_table_lookup(engine->index, key);
		SrAlert *old = g_hash_table_lookup(engine->alerts, key);
		SrAlert *alert = contributions != NULL ? build_alert(key, contributions) : NULL;
		if (alert == NULL) {
			if (old != NULL) {
				g_ptr_array_add(ended, ended_alert(old, now));
				g_hash_table_remove(engine->alerts, key);
				g_clear_pointer(&engine->sorted_alerts, g_ptr_array_unref);
			}
			continue;
		}
		if (old != NULL && same_parts(old, alert)) {
			sr_alert_free(alert);
			continue;
		}
		if (old == NULL)
			g_ptr_array_add(started, alert);
		else if (!sr_event_same_content(old->event, alert->event))
			g_ptr_array_add(updated, alert);
		/* replace, not insert: the key the table holds is the old alert's, freed with it */
		g_hash_table_replace(engine->alerts, alert->key, alert);
		g_clear_pointer(&engine->sorted_alerts, g_ptr_array_unref);
	}
	g_hash_table_remove_all(engine->dirty);
}

static gboolean
same_alert(const SrAlert *a, const SrAlert *b)
{
	return g_strcmp0(a->key, b->key) == 0 && sr_event_same_content(a->event, b->event) &&
	       a->event->updated_at == b->event->updated_at &&
	       g_strcmp0(a->event->id, b->event->id) == 0 &&
	       g_strcmp0(a->event->source, b->event->source) == 0 && same_parts(a, b);
}

static void
verify_mismatch(SrEngine *engine, const char *what, const char *key)
{
	g_message("verify: %s %s differs from the full rebuild", what, key);
	engine->verify_mismatches++;
}

/* the keys the full rebuild @reference would report as @type against the view as it is now */
static GHashTable *
reference_changes(SrEngine *engine, GHashTable *reference, SrChangeType type)
{
	GHashTable *keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GHashTableIter iter;
	gpointer value = NULL;
	if (type == SR_CHANGE_ENDED) {
		g_hash_table_iter_init(&iter, engine->alerts);
		while (g_hash_table_iter_next(&iter, NULL, &value)) {
			const SrAlert *old = value;
			if (!g_hash_table_contains(reference, old->key))
				g_hash_table_add(keys, g_strdup(old->key));
		}
		return keys;
	}
	g_hash_table_iter_init(&iter, reference);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		const SrAlert *alert = value;
		const SrAlert *old = g_hash_table_lookup(engine->alerts, alert->key);
		if (type == SR_CHANGE_STARTED
		        ? old == NULL
		        : old != NULL && !sr_event_same_content(old->event, alert->event))
			g_hash_table_add(keys, g_strdup(alert->key));
	}
	return keys;
}

static void
verify_changes(SrEngine *engine, const char *what, GHashTable *expected, GPtrArray *got)
{
	if (g_hash_table_size(expected) != got->len)
		verify_mismatch(engine, what, "count");
	for (guint i = 0; i < got->len; i++) {
		const SrAlert *alert = g_ptr_array_index(got, i);
		if (!g_hash_table_contains(expected, alert->key))
			verify_mismatch(engine, what, alert->key);
	}
}

static void
verify_view(SrEngine *engine, GHashTable *reference)
{
	GHashTableIter iter;
	gpointer value = NULL;
	if (g_hash_table_size(reference) != g_hash_table_size(engine->alerts))
		verify_mismatch(engine, "view", "size");
	g_hash_table_iter_init(&iter, reference);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		const SrAlert *alert = value;
		const SrAlert *got = g_hash_table_lookup(engine->alerts, alert->key);
		if (got == NULL || !same_alert(alert, got))
			verify_mismatch(engine, "alert", alert->key);
	}
}

/* brings the fused view up to date and reports the difference; @baseline marks what a source's
 * first successful poll brings: it was going on before we looked */
static void
update_fused(SrEngine *engine, gint64 now, gboolean baseline)
{
	g_autoptr(GPtrArray) ended = g_ptr_array_new_with_free_func((GDestroyNotify)sr_alert_free);
	g_autoptr(GPtrArray) updated = g_ptr_array_new();
	g_autoptr(GPtrArray) started = g_ptr_array_new();
	g_autoptr(GHashTable) reference = NULL;
	g_autoptr(GHashTable) expect_ended = NULL;
	g_autoptr(GHashTable) expect_updated = NULL;
	g_autoptr(GHashTable) expect_started = NULL;

	/* the new view is in place before anyone hears of a change, so a listener that asks
	 * for the active alerts sees the state the change describes */
	if (index_usable(engine)) {
		if (engine->verify) {
			reference = build_fused(engine);
			expect_ended = reference_changes(engine, reference, SR_CHANGE_ENDED);
			expect_updated = reference_changes(engine, reference, SR_CHANGE_UPDATED);
			expect_started = reference_changes(engine, reference, SR_CHANGE_STARTED);
		}
		update_incremental(engine, now, ended, updated, started);
	} else {
		update_full(engine, now, ended, updated, started);
	}
	if (reference != NULL) {
		verify_changes(engine, "ended", expect_ended, ended);
		verify_changes(engine, "updated", expect_updated, updated);
		verify_changes(engine, "started", expect_started, started);
		verify_view(engine, reference);
	}

	g_ptr_array_sort(ended, alert_order);
	g_ptr_array_sort(updated, alert_order);
	g_ptr_array_sort(started, alert_order);
	for (guint i = 0; i < ended->len; i++) {
		const SrAlert *alert = g_ptr_array_index(ended, i);
		SrChange change = {SR_CHANGE_ENDED, now, FALSE, alert, NULL, NULL};
		/* the ended copy still holds the events that made the alert */
		change.reason = end_reason(engine, alert);
		emit(engine, &change);
	}
	g_hash_table_remove_all(engine->end_reasons);
	for (guint i = 0; i < updated->len; i++) {
		SrChange change = {SR_CHANGE_UPDATED, now, FALSE, g_ptr_array_index(updated, i),
		                   NULL};
		emit(engine, &change);
	}
	for (guint i = 0; i < started->len; i++) {
		SrAlert *alert = g_ptr_array_index(started, i);
		/* going on before we looked: the source's first answer, and begun before the
		 * engine started (or at an unknown time); a late first answer can still bring news
		 */
		gboolean before =
		    alert->event->started_at == 0 || alert->event->started_at <= engine->started;
		SrChange change = {SR_CHANGE_STARTED, now, baseline && before, alert, NULL};
		emit(engine, &change);
	}
}

/* sources */

static gboolean
is_expired(const SrEvent *event, gint64 now)
{
	return event->expires_at != 0 && event->expires_at <= now;
}

/* the chains of alerts no longer reported: a long-running feed must not grow without end */
static void
forget_roots(SourceState *state)
{
	GHashTableIter iter;
	gpointer value = NULL;
	if (g_hash_table_size(state->roots) + g_hash_table_size(state->superseded) <
	    4 * g_hash_table_size(state->events) + 1024)
		return;
	g_hash_table_iter_init(&iter, state->roots);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		if (!g_hash_table_contains(state->events, value))
			g_hash_table_iter_remove(&iter);
	}
	g_hash_table_iter_init(&iter, state->superseded);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		if (!g_hash_table_contains(state->events, value))
			g_hash_table_iter_remove(&iter);
	}
}

static void
note_end(SrEngine *engine, const SrEvent *event, char *reason)
{
	g_hash_table_replace(engine->end_reasons, g_strdup(event->id), reason);
}

static char *
expiry_reason(const char *source, const SrEvent *event)
{
	/* sources without end messages give their alerts a time-out; CAP gives an expiry */
	if (event->phase == SR_PHASE_PRE_ALERT)
		return reason_new(REASON_PRE_ALERT_EXPIRED, source);
	return reason_new(REASON_EXPIRED, source);
}

static char *
gone_reason(const char *source, const SrEvent *event)
{
	switch (event->phase) {
	case SR_PHASE_ENDED:
		return reason_new(REASON_END, source);
	case SR_PHASE_CANCELLED:
		return reason_new(REASON_CANCELLED, source);
	default:
		break;
	}
	if (event->status != SR_STATUS_ACTUAL)
		return g_strdup_printf("%s" REASON_NOW_REPORTS_AS "%s", source,
		                       sr_status_to_string(event->status));
	return reason_new(REASON_GONE, source);
}

/* the first message of @event's chain of updates: known from an earlier message, or the
 * oldest message it references (CAP lists them; that survives a restart), or itself */
static const char *
chain_root(SourceState *state, const SrEvent *event)
{
	const char *root = g_hash_table_lookup(state->roots, event->id);
	for (guint i = 0; root == NULL && i < event->references->len; i++)
		root = g_hash_table_lookup(state->roots, g_ptr_array_index(event->references, i));
	if (root == NULL && event->references->len > 0)
		root = g_ptr_array_index(event->references, 0);
	if (root == NULL)
		root = event->id;
	return root;
}

/* the ids the batch's events name as superseded, each by another event (once per batch, not
 * once per event: a feed lists hundreds) */
static GHashTable *
superseded_in_batch(const SrBatch *batch)
{
	GHashTable *named = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < batch->events->len; i++) {
		const SrEvent *other = g_ptr_array_index(batch->events, i);
		for (guint j = 0; j < other->references->len; j++) {
			const char *ref = g_ptr_array_index(other->references, j);
			if (g_strcmp0(ref, other->id) != 0)
				g_hash_table_add(named, (gpointer)ref);
		}
	}
	return named;
}

/* an update that names several earlier alerts joins them into one: the others end here */
static void
join_chains(SrEngine *engine, SourceState *state, GHashTable *events, const SrEvent *event,
            const char *root)
{
	for (guint i = 0; i < event->references->len; i++) {
		const char *ref = g_ptr_array_index(event->references, i);
		const char *other = g_hash_table_lookup(state->roots, ref);
		SrEvent *old = NULL;
		if (other == NULL || g_strcmp0(other, root) == 0)
			continue;
		/* reported before this batch, or earlier in it */
		old = g_hash_table_lookup(events, other);
		if (old == NULL)
			old = g_hash_table_lookup(state->events, other);
		if (old != NULL)
			note_end(engine, old,
			         g_strdup_printf("%s: joined into the update %s",
			                         state->health.name, event->id));
		g_hash_table_remove(events, other);
		g_hash_table_replace(state->roots, g_strdup(ref), g_strdup(root));
	}
}

/* the original: the reference the tests check apply_batch() against (sr_engine_set_full_rebuild());
 * only the keys are GRefStrings, as apply_batch() needs them */
static void
apply_batch_full(SrEngine *engine, SourceState *state, const SrBatch *batch, gint64 now)
{
	const char *source = state->health.name;
	GHashTable *events = events_table_new();
	g_autoptr(GHashTable) named = superseded_in_batch(batch);
	GHashTableIter iter;
	gpointer key = NULL;
	gpointer value = NULL;

	if (batch->kind == SR_BATCH_DELTA) {
		g_hash_table_iter_init(&iter, state->events);
		while (g_hash_table_iter_next(&iter, &key, &value))
			g_hash_table_insert(events, g_ref_string_new(key), sr_event_ref(value));
	}
	for (guint i = 0; i < batch->events->len; i++) {
		SrEvent *event = g_ptr_array_index(batch->events, i);
		g_autofree char *root = NULL;
		SrEvent *old = NULL;
		/* a feed that still lists an alert next to its update: the update speaks */
		if (g_hash_table_contains(named, event->id))
			continue;
		root = g_strdup(chain_root(state, event));
		/* a message a later one already named is old news (a stale copy from a cache or
		 * a mirror): the alert stays as the later message left it, cancelled ones too */
		if (g_hash_table_contains(state->superseded, event->id)) {
			SrEvent *current = g_hash_table_lookup(state->events, root);
			if (current != NULL && !g_hash_table_contains(events, root))
				g_hash_table_insert(events, g_ref_string_new(root),
				                    sr_event_ref(current));
			continue;
		}
		for (guint j = 0; j < event->references->len; j++)
			g_hash_table_replace(state->superseded,
			                     g_strdup(g_ptr_array_index(event->references, j)),
			                     g_strdup(root));
		g_hash_table_replace(state->roots, g_strdup(event->id), g_strdup(root));
		join_chains(engine, state, events, event, root);
		if (sr_event_is_active(event) && !is_expired(event, now)) {
			g_hash_table_replace(events, g_ref_string_new(root), sr_event_ref(event));
			continue;
		}
		/* an end, a cancel, an expired or no longer real message: the alert is over */
		old = g_hash_table_lookup(state->events, root);
		if (old != NULL && !g_hash_table_contains(engine->end_reasons, old->id))
			note_end(engine, old,
			         is_expired(event, now) && sr_event_is_active(event)
			             ? expiry_reason(source, event)
			             : gone_reason(source, event));
		g_hash_table_remove(events, root);
	}
	/* what a snapshot no longer lists: timed out, or simply over */
	g_hash_table_iter_init(&iter, state->events);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		SrEvent *event = value;
		if (g_hash_table_contains(events, key) ||
		    g_hash_table_contains(engine->end_reasons, event->id))
			continue;
		note_end(engine, event,
		         is_expired(event, now) ? expiry_reason(source, event)
		                                : gone_reason(source, event));
	}
	g_hash_table_unref(state->events);
	state->events = events;
	forget_roots(state);
}

typedef struct {
	SrEvent *before; /* NULL: new */
	SrEvent *after;
	const char *root;
} Change;

/* a successful poll's batch becomes the source's set; the index follows what changed */
static void
apply_batch(SrEngine *engine, SourceState *state, const SrBatch *batch, gint64 now)
{
	const char *source = state->health.name;
	GHashTable *events = events_table_new();
	g_autoptr(GHashTable) named = superseded_in_batch(batch);
	g_autoptr(GArray) changes = g_array_new(FALSE, FALSE, sizeof(Change));
	GHashTableIter iter;
	gpointer key = NULL;
	gpointer value = NULL;
	/* a snapshot of plain alerts (no chains, no ends, each once) is diffed against the old
	 * set as it is read; anything else afterwards, the new set against the old */
	gboolean diffed = batch->kind == SR_BATCH_SNAPSHOT;
	guint kept = 0;

	if (engine->full_rebuild) {
		apply_batch_full(engine, state, batch, now);
		return;
	}
	if (batch->kind == SR_BATCH_DELTA) {
		g_hash_table_iter_init(&iter, state->events);
		while (g_hash_table_iter_next(&iter, &key, &value))
			g_hash_table_insert(events, g_ref_string_acquire(key), sr_event_ref(value));
	}
	for (guint i = 0; i < batch->events->len; i++) {
		SrEvent *event = g_ptr_array_index(batch->events, i);
		g_autofree char *root_copy = NULL;
		const char *root = NULL;
		SrEvent *old = NULL;
		const char *known_root = NULL;
		/* a feed that still lists an alert next to its update: the update speaks (the
		 * size checks spare sources without chains of updates a lookup per event) */
		if (g_hash_table_size(named) > 0 && g_hash_table_contains(named, event->id))
			continue;
		known_root = g_hash_table_lookup(state->roots, event->id);
		if (event->references->len == 0)
			/* nothing below changes state->roots but for a new id, whose root is
			 * itself: the root can be borrowed */
			root = known_root != NULL ? known_root : event->id;
		else
			root = root_copy =
			    g_strdup(known_root != NULL ? known_root : chain_root(state, event));
		/* a message a later one already named is old news (a stale copy from a cache or
		 * a mirror): the alert stays as the later message left it, cancelled ones too */
		if (g_hash_table_size(state->superseded) > 0 &&
		    g_hash_table_contains(state->superseded, event->id)) {
			SrEvent *current = g_hash_table_lookup(state->events, root);
			if (current != NULL && !g_hash_table_contains(events, root))
				g_hash_table_insert(events, g_ref_string_new(root),
				                    sr_event_ref(current));
			diffed = FALSE;
			continue;
		}
		if (event->references->len > 0)
			diffed = FALSE;
		for (guint j = 0; j < event->references->len; j++)
			g_hash_table_replace(state->superseded,
			                     g_strdup(g_ptr_array_index(event->references, j)),
			                     g_strdup(root));
		/* most polls repeat what the source said before: no copies for that */
		if (known_root == NULL)
			g_hash_table_replace(state->roots, g_strdup(event->id), g_strdup(root));
		join_chains(engine, state, events, event, root);
		if (sr_event_is_active(event) && !is_expired(event, now)) {
			gpointer old_key = NULL;
			SrEvent *before = NULL;
			SrEvent *after = event;
			char *new_key = NULL;
			if (g_hash_table_lookup_extended(state->events, root, &old_key,
			                                 (gpointer *)&before))
				new_key = g_ref_string_acquire(old_key);
			else
				new_key = g_ref_string_new(root);
			/* the same message again, or parsed again: the one held stays */
			if (before != NULL && before != event && events_equal(before, event))
				after = before;
			if (!g_hash_table_replace(events, new_key, sr_event_ref(after))) {
				diffed = FALSE; /* twice in the batch */
			} else if (diffed) {
				Change change = {before, after, new_key};
				kept += before != NULL;
				if (before != after)
					g_array_append_val(changes, change);
			}
			continue;
		}
		/* an end, a cancel, an expired or no longer real message: the alert is over */
		diffed = FALSE;
		old = g_hash_table_lookup(state->events, root);
		if (old != NULL && !g_hash_table_contains(engine->end_reasons, old->id))
			note_end(engine, old,
			         is_expired(event, now) && sr_event_is_active(event)
			             ? expiry_reason(source, event)
			             : gone_reason(source, event));
		g_hash_table_remove(events, root);
	}
	{
		GHashTable *old = state->events;
		gboolean indexed = index_usable(engine);
		state->events = events;
		if (diffed) {
			for (guint i = 0; indexed && i < changes->len; i++) {
				const Change *change = &g_array_index(changes, Change, i);
				if (change->before != NULL)
					index_event(engine, state, change->root, change->before,
					            FALSE);
				index_event(engine, state, change->root, change->after, TRUE);
			}
		} else {
			/* the new set against the old: the events that did not change stay as
			 * they were, the index follows the rest */
			kept = 0;
			g_hash_table_iter_init(&iter, events);
			while (g_hash_table_iter_next(&iter, &key, &value)) {
				SrEvent *before = NULL;
				if (!g_hash_table_lookup_extended(old, key, NULL,
				                                  (gpointer *)&before)) {
					if (indexed)
						index_event(engine, state, key, value, TRUE);
					continue;
				}
				kept++;
				if (before == value)
					continue;
				if (events_equal(before, value)) {
					g_hash_table_iter_replace(&iter, sr_event_ref(before));
					continue;
				}
				if (indexed) {
					index_event(engine, state, key, before, FALSE);
					index_event(engine, state, key, value, TRUE);
				}
			}
		}
		/* what a snapshot no longer lists: timed out, or simply over (the keys are
		 * unique: when all the old ones were found, nothing is gone) */
		g_hash_table_iter_init(&iter, old);
		while (kept < g_hash_table_size(old) &&
		       g_hash_table_iter_next(&iter, &key, &value)) {
			SrEvent *event = value;
			if (g_hash_table_contains(events, key))
				continue;
			if (indexed)
				index_event(engine, state, key, event, FALSE);
			if (g_hash_table_contains(engine->end_reasons, event->id))
				continue;
			note_end(engine, event,
			         is_expired(event, now) ? expiry_reason(source, event)
			                                : gone_reason(source, event));
		}
		g_hash_table_unref(old);
	}
	forget_roots(state);
}

/* ends what has passed its expiry; a source that is down keeps its last word, expiry included,
 * because nobody can tell whether it was extended (unknown is never safe) */
static gboolean
expire_events(SrEngine *engine, SourceState *state, gint64 now)
{
	GHashTableIter iter;
	gpointer key = NULL;
	gpointer value = NULL;
	gboolean any = FALSE;
	gboolean indexed = index_usable(engine);

	if (state->health.state != SR_SOURCE_STATE_OK)
		return FALSE;
	g_hash_table_iter_init(&iter, state->events);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		SrEvent *event = value;
		if (!is_expired(event, now))
			continue;
		note_end(engine, event, expiry_reason(state->health.name, event));
		if (indexed)
			index_event(engine, state, key, event, FALSE);
		g_hash_table_iter_remove(&iter);
		any = TRUE;
	}
	return any;
}

void
sr_engine_submit(SrEngine *engine, const char *source, const SrBatch *batch, gint64 now)
{
	SourceState *state = find_source(engine, source);
	gboolean baseline = FALSE;

	g_return_if_fail(state != NULL);

	state->health.state = SR_SOURCE_STATE_OK;
	state->health.last_success = now;
	state->health.had_success = TRUE;
	state->health.failures = 0;
	state->health.down_since = 0;
	state->permanent_error = FALSE;
	g_clear_pointer(&state->health.error, g_free);
	if (state->health.reported_down) {
		state->health.reported_down = FALSE;
		g_message("source %s is back", source);
		emit_source(engine, state, now);
	}
	/* NULL: the source answered "not modified", its set stands */
	if (batch == NULL && !state->baseline_pending) {
		if (expire_events(engine, state, now))
			update_fused(engine, now, FALSE);
		return;
	}
	baseline = state->baseline_pending;
	state->baseline_pending = FALSE;
	if (batch != NULL)
		apply_batch(engine, state, batch, now);
	else
		expire_events(engine, state, now);
	update_fused(engine, now, baseline);
}

static gboolean
is_permanent(const GError *error)
{
	if (error->domain != SR_ERROR)
		return FALSE;
	switch (error->code) {
	case SR_ERROR_AUTH:
	case SR_ERROR_HTTP:
	case SR_ERROR_INSECURE:
	case SR_ERROR_CONFIG:
	case SR_ERROR_NOT_FOUND:
		return TRUE;
	default:
		return FALSE;
	}
}

static void
check_stale(SrEngine *engine, SourceState *state, gint64 now)
{
	SrSourceHealth *health = &state->health;
	gboolean down = FALSE;

	if (state->permanent_error) {
		health->state = SR_SOURCE_STATE_ERROR;
		down = TRUE;
	} else if (health->had_success) {
		gdouble silent = (gdouble)(now - health->last_success);
		/* a failure counts at once when the window is zero; silence only after it */
		if (health->failures > 0 ? silent >= health->stale_after
		                         : silent > health->stale_after) {
			health->state = SR_SOURCE_STATE_STALE;
			down = TRUE;
		}
	} else if ((gdouble)(now - health->down_since) >= health->stale_after) {
		health->state = SR_SOURCE_STATE_ERROR;
		down = TRUE;
	}
	if (down && !health->reported_down) {
		health->reported_down = TRUE;
		if (health->error == NULL)
			health->error = g_strdup("no answer");
		g_message("source %s is down: %s", health->name, health->error);
		emit_source(engine, state, now);
	}
}

void
sr_engine_submit_error(SrEngine *engine, const char *source, const GError *error, gint64 now)
{
	SourceState *state = find_source(engine, source);
	g_return_if_fail(state != NULL);
	g_return_if_fail(error != NULL);

	state->health.failures++;
	state->health.last_failure = now;
	if (state->health.down_since == 0)
		state->health.down_since = now;
	g_free(state->health.error);
	state->health.error = g_strdup(error->message);
	if (is_permanent(error))
		state->permanent_error = TRUE;
	/* the source's events stay as they were: unknown is never safe */
	check_stale(engine, state, now);
}

void
sr_engine_tick(SrEngine *engine, gint64 now)
{
	gboolean expired = FALSE;
	for (guint i = 0; i < engine->sources->len; i++) {
		SourceState *state = g_ptr_array_index(engine->sources, i);
		check_stale(engine, state, now);
		expired |= expire_events(engine, state, now);
	}
	if (expired)
		update_fused(engine, now, FALSE);
}

GPtrArray *
sr_engine_get_alerts(SrEngine *engine)
{
	if (engine->sorted_alerts == NULL) {
		engine->sorted_alerts = hash_values(engine->alerts);
		g_ptr_array_sort(engine->sorted_alerts, alert_order);
	}
	return engine->sorted_alerts;
}

GPtrArray *
sr_engine_get_sources(SrEngine *engine)
{
	return engine->health_list;
}

const SrSourceHealth *
sr_engine_get_source(SrEngine *engine, const char *name)
{
	SourceState *state = find_source(engine, name);
	return state != NULL ? &state->health : NULL;
}

/* JSON */

cJSON *
sr_alert_to_json(const SrAlert *alert, const SrCatalog *catalog)
{
	cJSON *json = sr_event_to_json(alert->event, catalog);
	cJSON *sources = cJSON_CreateArray();
	for (guint i = 0; i < alert->sources->len; i++)
		cJSON_AddItemToArray(sources,
		                     cJSON_CreateString(g_ptr_array_index(alert->sources, i)));
	cJSON_AddItemToObject(json, "sources", sources);
	return json;
}

cJSON *
sr_source_health_to_json(const SrSourceHealth *health)
{
	cJSON *json = cJSON_CreateObject();
	cJSON_AddStringToObject(json, "name", health->name);
	cJSON_AddStringToObject(json, "type", health->type);
	cJSON_AddStringToObject(json, "state", sr_source_state_to_string(health->state));
	if (health->error != NULL && health->state != SR_SOURCE_STATE_OK)
		cJSON_AddStringToObject(json, "error", health->error);
	else
		cJSON_AddNullToObject(json, "error");
	sr_json_add_time(json, "last_success", health->last_success);
	sr_json_add_time(json, "down_since",
	                 health->state != SR_SOURCE_STATE_OK ? health->down_since : 0);
	return json;
}

cJSON *
sr_change_to_json(const SrChange *change, const SrCatalog *catalog)
{
	cJSON *json = cJSON_CreateObject();
	cJSON_AddStringToObject(json, "change", sr_change_type_to_string(change->type));
	sr_json_add_time(json, "at", change->at);
	if (change->type == SR_CHANGE_SOURCE) {
		cJSON_AddItemToObject(json, "source", sr_source_health_to_json(change->source));
		return json;
	}
	if (change->baseline)
		cJSON_AddTrueToObject(json, "baseline");
	if (change->type == SR_CHANGE_ENDED && change->reason != NULL)
		cJSON_AddStringToObject(json, "reason", change->reason);
	cJSON_AddItemToObject(json, "alert", sr_alert_to_json(change->alert, catalog));
	{
		cJSON *events = cJSON_CreateArray();
		for (guint i = 0; i < change->alert->events->len; i++)
			cJSON_AddItemToArray(
			    events,
			    sr_event_to_json(g_ptr_array_index(change->alert->events, i), catalog));
		cJSON_AddItemToObject(json, "events", events);
	}
	return json;
}
