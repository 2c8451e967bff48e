/* sr-oref-tracker.c - the life of Pikud HaOref alerts per area, across polls
 *
 * The real-time file shows one alert at a time, for 30 to 60 seconds, and flips between
 * alert types; an empty file means "nothing right now", not "all clear". So an area's alert
 * lives here from its first message until an end message or its phase's time-out: a
 * pre-alert becomes the alert (an update of one alert, not a second one), "you may leave the
 * protected space" becomes stay-near, "the event has ended" ends it. Pulses of one alert,
 * and messages older than what is known, change nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-oref"

#include "config.h"

#include "sources/sr-oref-tracker.h"
#include "sources/sr-sources-private.h"

/* 1450 areas, a few kinds each, drills apart: more is a hostile feed */
#define MAX_EPISODES 8192
/* how long an end is remembered: a late pulse or history row of the ended alert is old news */
#define ENDED_MEMORY (60 * 60)

typedef struct {
	char *key; /* region \x1f kind \x1f status */
	char *region;
	char *name;
	SrKind kind;
	SrPhase phase;
	SrStatus status;
	gint64 started_at;
	gint64 updated_at;  /* the newest message about it */
	gint64 phase_since; /* when the phase began or was last re-issued */
	gint64 expires_at;
	char *title;
	char *desc;
	char *upstream_id;
} Episode;

typedef struct {
	gint64 ended_at;
	char *upstream_id;
} Ended;

struct _SrOrefTracker {
	GHashTable *episodes; /* key -> Episode* */
	GHashTable *ended;    /* key -> Ended* */
};

static void
episode_free(Episode *episode)
{
	g_free(episode->key);
	g_free(episode->region);
	g_free(episode->name);
	g_free(episode->title);
	g_free(episode->desc);
	g_free(episode->upstream_id);
	g_free(episode);
}

static void
ended_free(Ended *ended)
{
	g_free(ended->upstream_id);
	g_free(ended);
}

SrOrefTracker *
sr_oref_tracker_new(void)
{
	SrOrefTracker *tracker = g_new0(SrOrefTracker, 1);
	tracker->episodes =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)episode_free);
	tracker->ended =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)ended_free);
	return tracker;
}

void
sr_oref_tracker_free(SrOrefTracker *tracker)
{
	if (tracker == NULL)
		return;
	g_hash_table_unref(tracker->episodes);
	g_hash_table_unref(tracker->ended);
	g_free(tracker);
}

guint
sr_oref_tracker_size(SrOrefTracker *tracker)
{
	return g_hash_table_size(tracker->episodes);
}

static char *
episode_key(const char *region, SrKind kind, SrStatus status)
{
	return g_strdup_printf("%s\x1f%d\x1f%d", region, (int)kind, (int)status);
}

static void
set_phase(Episode *episode, const SrOrefMessage *message)
{
	episode->phase = message->klass->phase;
	episode->phase_since = message->at;
	episode->expires_at = message->at + message->klass->timeout;
	/* the words that go with the phase: the alert's title replaces the pre-alert's */
	g_free(episode->title);
	episode->title = g_strdup(message->title);
	g_free(episode->desc);
	episode->desc = g_strdup(message->desc);
}

static gboolean
same_upstream(const char *a, const char *b)
{
	return a != NULL && b != NULL && g_strcmp0(a, b) == 0;
}

/* a pre-alert or an alert */
static void
apply_alert(SrOrefTracker *tracker, const SrOrefMessage *message)
{
	g_autofree char *key =
	    episode_key(message->region, message->klass->kind, message->klass->status);
	Episode *episode = g_hash_table_lookup(tracker->episodes, key);
	SrPhase phase = message->klass->phase;

	if (episode == NULL) {
		const Ended *ended = g_hash_table_lookup(tracker->ended, key);
		/* what was said before the end, or the ended alert's pulse still on show */
		if (ended != NULL && (message->at <= ended->ended_at ||
		                      (same_upstream(message->upstream_id, ended->upstream_id) &&
		                       message->at - ended->ended_at < SR_OREF_DEDUPE_WINDOW)))
			return;
		if (!message->may_raise)
			return;
		if (g_hash_table_size(tracker->episodes) >= MAX_EPISODES) {
			sr_source_log_once(G_LOG_DOMAIN, "too many open alerts at", message->region,
			                   "(over %d); the feed is not believable", MAX_EPISODES);
			return;
		}
		episode = g_new0(Episode, 1);
		episode->key = g_steal_pointer(&key);
		episode->region = g_strdup(message->region);
		episode->name = g_strdup(message->name);
		episode->kind = message->klass->kind;
		episode->status = message->klass->status;
		episode->started_at = message->at;
		episode->updated_at = message->at;
		episode->upstream_id = g_strdup(message->upstream_id);
		set_phase(episode, message);
		g_hash_table_insert(tracker->episodes, episode->key, episode);
		return;
	}
	/* older than what we know: a history row behind the real-time file */
	if (message->at < episode->updated_at)
		return;
	episode->updated_at = message->at;
	if (phase == SR_PHASE_ACTIVE && episode->phase != SR_PHASE_ACTIVE) {
		/* the pre-alert came true, or a new salvo after "you may leave" */
		set_phase(episode, message);
	} else if (phase == SR_PHASE_PRE_ALERT && episode->phase == SR_PHASE_ACTIVE) {
		/* a pre-alert never lowers an alert */
	} else if (phase != episode->phase) {
		set_phase(episode, message);
	} else if (!same_upstream(message->upstream_id, episode->upstream_id) &&
	           message->at - episode->phase_since >= SR_OREF_DEDUPE_WINDOW) {
		/* re-issued well after the first: its time-out starts again */
		set_phase(episode, message);
	}
	if (message->upstream_id != NULL) {
		g_free(episode->upstream_id);
		episode->upstream_id = g_strdup(message->upstream_id);
	}
}

/* whether a stay-near or an end said for @said covers an alert at @region */
static gboolean
covers(const SrCatalog *catalog, const char *said, const char *region)
{
	const SrRegion *said_region = NULL;
	const SrRegion *alert_region = NULL;
	if (g_strcmp0(said, region) == 0)
		return TRUE;
	said_region = sr_catalog_lookup(catalog, said);
	alert_region = sr_catalog_lookup(catalog, region);
	return said_region != NULL && alert_region != NULL &&
	       sr_region_is_within(alert_region, said_region);
}

static char *
event_id(const char *source, const Episode *episode)
{
	return g_strdup_printf("%s:%s:%s%s", source, episode->region,
	                       sr_kind_to_string(episode->kind),
	                       episode->status == SR_STATUS_ACTUAL ? "" : ":exercise");
}

static void
fill_event(SrEvent *event, const Episode *episode)
{
	gboolean active = episode->phase == SR_PHASE_ACTIVE;
	event->kind = episode->kind;
	event->phase = episode->phase;
	event->status = episode->status;
	switch (episode->phase) {
	case SR_PHASE_PRE_ALERT:
		event->severity = SR_SEVERITY_SEVERE;
		event->urgency = SR_URGENCY_EXPECTED;
		event->certainty = SR_CERTAINTY_LIKELY;
		break;
	case SR_PHASE_STAY_NEAR:
		event->severity = SR_SEVERITY_MODERATE;
		event->urgency = SR_URGENCY_EXPECTED;
		event->certainty = SR_CERTAINTY_OBSERVED;
		break;
	default:
		/* every Home Front Command alert means "into the protected space now" */
		event->severity = episode->kind == SR_KIND_OTHER || episode->kind == SR_KIND_UNKNOWN
		                      ? SR_SEVERITY_SEVERE
		                      : SR_SEVERITY_EXTREME;
		event->urgency = active ? SR_URGENCY_IMMEDIATE : SR_URGENCY_UNKNOWN;
		event->certainty = SR_CERTAINTY_OBSERVED;
		break;
	}
	sr_event_add_region(event, episode->region);
	sr_event_set_text(&event->area.description, episode->name);
	event->started_at = episode->started_at;
	event->updated_at = episode->updated_at;
	event->expires_at = episode->expires_at;
	sr_event_set_text(&event->headline, episode->title);
	sr_event_set_text(&event->instruction, episode->desc);
	sr_event_set_text(&event->language, "he");
	sr_event_set_text(&event->web, "https://www.oref.org.il/");
}

/* a stay-near or an end */
static void
apply_after(SrOrefTracker *tracker, const SrCatalog *catalog, const SrOrefMessage *message,
            const char *source, GPtrArray *ended)
{
	GHashTableIter iter;
	gpointer value = NULL;

	g_hash_table_iter_init(&iter, tracker->episodes);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		Episode *episode = value;
		if (episode->status != message->klass->status ||
		    !covers(catalog, message->region, episode->region))
			continue;
		/* an end older than the alert's newest message is not its end */
		if (episode->updated_at > message->at)
			continue;
		if (message->klass->phase == SR_PHASE_STAY_NEAR) {
			episode->updated_at = message->at;
			if (episode->phase != SR_PHASE_STAY_NEAR)
				set_phase(episode, message);
			continue;
		}
		{
			Ended *memory = g_new0(Ended, 1);
			SrEvent *event = NULL;
			g_autofree char *id = event_id(source, episode);
			memory->ended_at = message->at;
			memory->upstream_id = g_strdup(episode->upstream_id);
			g_hash_table_replace(tracker->ended, g_strdup(episode->key), memory);
			event = sr_event_new(source, id);
			fill_event(event, episode);
			event->phase = SR_PHASE_ENDED;
			event->ended_at = message->at;
			event->updated_at = message->at;
			event->expires_at = 0;
			sr_event_set_text(&event->headline, message->title);
			g_ptr_array_add(ended, event);
			g_hash_table_iter_remove(&iter);
		}
	}
}

void
sr_oref_tracker_apply(SrOrefTracker *tracker, const SrCatalog *catalog,
                      const SrOrefMessage *message, const char *source, GPtrArray *ended)
{
	g_return_if_fail(message->klass != NULL && message->region != NULL);
	switch (message->klass->phase) {
	case SR_PHASE_PRE_ALERT:
	case SR_PHASE_ACTIVE:
		apply_alert(tracker, message);
		break;
	case SR_PHASE_STAY_NEAR:
	case SR_PHASE_ENDED:
		apply_after(tracker, catalog, message, source, ended);
		break;
	default:
		break;
	}
}

void
sr_oref_tracker_expire(SrOrefTracker *tracker, gint64 now)
{
	GHashTableIter iter;
	gpointer value = NULL;

	g_hash_table_iter_init(&iter, tracker->episodes);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		Episode *episode = value;
		if (episode->expires_at <= now) {
			g_info("%s %s at %s timed out", sr_phase_to_string(episode->phase),
			       sr_kind_to_string(episode->kind), episode->region);
			g_hash_table_iter_remove(&iter);
		}
	}
	g_hash_table_iter_init(&iter, tracker->ended);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		Ended *memory = value;
		if (now - memory->ended_at > ENDED_MEMORY)
			g_hash_table_iter_remove(&iter);
	}
}

static gint
episode_order(gconstpointer a, gconstpointer b)
{
	const Episode *ea = *(const Episode *const *)a;
	const Episode *eb = *(const Episode *const *)b;
	return g_strcmp0(ea->key, eb->key);
}

SrBatch *
sr_oref_tracker_snapshot(SrOrefTracker *tracker, const char *source, GPtrArray *ended)
{
	SrBatch *batch = sr_batch_new(SR_BATCH_SNAPSHOT);
	g_autoptr(GPtrArray) episodes = g_ptr_array_new();
	GHashTableIter iter;
	gpointer value = NULL;

	g_hash_table_iter_init(&iter, tracker->episodes);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		g_ptr_array_add(episodes, value);
	g_ptr_array_sort(episodes, episode_order);
	for (guint i = 0; i < episodes->len; i++) {
		const Episode *episode = g_ptr_array_index(episodes, i);
		g_autofree char *id = event_id(source, episode);
		SrEvent *event = sr_event_new(source, id);
		fill_event(event, episode);
		sr_batch_take(batch, event);
	}
	/* the ends go with it, so the engine can say an end message ended the alert */
	for (guint i = 0; ended != NULL && i < ended->len; i++)
		sr_batch_take(batch, sr_event_ref(g_ptr_array_index(ended, i)));
	return batch;
}

void
sr_oref_tracker_restore(SrOrefTracker *tracker, const SrEvent *alert, gint64 now)
{
	SrOrefClass klass = {alert->kind, alert->phase, SR_STATUS_ACTUAL, 0};

	if (!sr_event_is_active(alert))
		return;
	switch (alert->phase) {
	case SR_PHASE_PRE_ALERT:
		klass.timeout = SR_OREF_PRE_ALERT_TIMEOUT;
		break;
	case SR_PHASE_STAY_NEAR:
		klass.timeout = SR_OREF_STAY_NEAR_TIMEOUT;
		break;
	default:
		klass.timeout = SR_OREF_ACTIVE_TIMEOUT;
		break;
	}
	for (guint i = 0; i < alert->regions->len; i++) {
		const char *region = g_ptr_array_index(alert->regions, i);
		g_autofree char *key = episode_key(region, alert->kind, SR_STATUS_ACTUAL);
		gint64 since = alert->updated_at != 0 ? alert->updated_at : now;
		Episode *episode = NULL;
		if (!g_str_has_prefix(region, "il:") ||
		    g_hash_table_contains(tracker->episodes, key))
			continue;
		episode = g_new0(Episode, 1);
		episode->key = g_steal_pointer(&key);
		episode->region = g_strdup(region);
		episode->name = g_strdup(alert->area.description);
		episode->kind = alert->kind;
		episode->phase = alert->phase;
		episode->status = SR_STATUS_ACTUAL;
		episode->started_at = alert->started_at != 0 ? alert->started_at : since;
		episode->updated_at = since;
		episode->phase_since = since;
		episode->expires_at =
		    alert->expires_at != 0 ? alert->expires_at : since + klass.timeout;
		episode->title = g_strdup(alert->headline);
		episode->desc = g_strdup(alert->instruction);
		/* past its time-out already: the restart reconciliation ends it */
		if (episode->expires_at <= now) {
			episode_free(episode);
			continue;
		}
		g_hash_table_insert(tracker->episodes, episode->key, episode);
	}
}
