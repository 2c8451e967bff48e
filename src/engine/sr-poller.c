/* sr-poller.c - schedules every source's requests and feeds the results to the engine
 *
 * One timer per source. A poll is: an optional cheap change check (probe), the main request
 * when something changed, the parse, and a submission to the engine. Politeness is enforced
 * here, not left to the configuration: the API's minimum interval and its per-minute budget
 * (both waived for loopback URLs: tests, local relays and replay servers), conditional requests,
 * backoff with jitter on failures, and Retry-After.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-poller"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sr-stream.h"
#include "sirena/error.h"
#include "sirena/poller.h"
#include "sr-i18n.h"

#define SR_POLLER_MAX_BACKOFF 60.0 /* seconds: retries never wait longer for a retryable error */
#define SR_POLLER_PERMANENT_WAIT                                                                   \
	300.0 /* seconds between tries while the user must fix something                           \
	       */

/* the last few values of a figure */
#define RING_SIZE 16
typedef struct {
	gdouble values[RING_SIZE];
	guint len;
	guint next;
} Ring;

static void
ring_push(Ring *ring, gdouble value)
{
	ring->values[ring->next] = value;
	ring->next = (ring->next + 1) % RING_SIZE;
	ring->len = MIN(ring->len + 1, RING_SIZE);
}

/* the i-th value, oldest first */
static gdouble
ring_get(const Ring *ring, guint i)
{
	return ring->values[(ring->next + RING_SIZE - ring->len + i) % RING_SIZE];
}

static int
compare_doubles(const void *a, const void *b)
{
	gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;
	return x < y ? -1 : x > y;
}

static gdouble
values_median(gdouble *values, guint len)
{
	if (len == 0)
		return -1;
	qsort(values, len, sizeof(gdouble), compare_doubles);
	return len % 2 == 1 ? values[len / 2] : (values[len / 2 - 1] + values[len / 2]) / 2;
}

static gdouble
ring_median(const Ring *ring)
{
	gdouble values[RING_SIZE];
	for (guint i = 0; i < ring->len; i++)
		values[i] = ring_get(ring, i);
	return values_median(values, ring->len);
}

typedef struct {
	SrPoller *poller;
	const SrSourceConfig *config;
	gdouble interval;
	gboolean loopback;
	/* fixed phase: polls fall on anchor + offset + k × interval unless a failure, the budget
	 * or the API's floor says later */
	const char *group; /* sr_poller_source_group() */
	gdouble offset;    /* seconds */
	gint64 anchor;     /* monotonic µs */
	gint64 last_poll;  /* monotonic µs of the last poll's first request, 0: none */
	/* measured */
	guint polls;
	Ring poll_times; /* monotonic seconds */
	Ring latencies;
	Ring detections;
	gint64 start_watermark; /* the latest upstream start seen, UTC seconds */
	gboolean seen_batch;    /* the first answer's alerts are not detections: they were on */
	/* server-sent events, when the source pushes them */
	SrStream *stream;
	gboolean need_snapshot; /* the main request must answer before the stream alone counts */
	gboolean main_in_flight;
	gboolean resnapshot; /* a snapshot is wanted after the one in flight */
	GPtrArray *queued;   /* of Queued*: events that came while the snapshot was on its way */
	guint stream_events;
	Ring stream_delays;
	char *stream_error;
	char *last_modified;
	char *etag;
	char *seen_token;    /* probe token when the main body was last fetched */
	char *pending_token; /* probe token of the main fetch in flight */
	gboolean have_main;
	/* the last main body parsed, for sources whose parse depends on nothing else */
	GBytes *last_body;
	guint parses;
	guint failures;
	guint auth_failures;
	GQueue request_times; /* monotonic µs of the requests in the last minute */
	guint requests;
	guint timeout_id;
	guint busy; /* transfers in flight */
	gboolean once;
	gboolean finished;
	gpointer local_state;
	gint64 started_mono;
	/* index feeds: the documents fetched so far, and the round in progress */
	GHashTable *entries;      /* key -> CachedEntry* */
	GPtrArray *round;         /* of SrIndexEntry*: the index being worked through */
	guint round_pending;      /* entry transfers in flight */
	GError *round_error;      /* the first entry that could not be had */
	gint64 round_retry_after; /* from that failure */
	char *round_last_modified;
	char *round_etag;
} PollSource;

/* a stream's event waiting for the snapshot */
typedef struct {
	SrBatch *batch;
	gint64 arrived; /* monotonic µs */
} Queued;

static void
queued_free(Queued *queued)
{
	sr_batch_free(queued->batch);
	g_free(queued);
}

/* one document of an index feed, as last fetched */
typedef struct {
	char *version;
	SrBatch *batch; /* NULL when the document is gone (404, 410) */
} CachedEntry;

static void
cached_entry_free(CachedEntry *entry)
{
	g_free(entry->version);
	g_clear_pointer(&entry->batch, sr_batch_free);
	g_free(entry);
}

struct _SrPoller {
	SrEngine *engine;
	SrHttp *http;
	const SrCatalog *catalog;
	GPtrArray *sources; /* of PollSource* */
	GCancellable *cancellable;
	guint watchdog_id;
	gboolean running;
	GCallback once_done;
	gpointer once_data;
	guint once_pending;
	GCallback finished_func;
	gpointer finished_data;
	gint64 clock_offset;  /* seconds added to the real clock (replays) */
	SrLocation *location; /* lets index feeds skip what cannot concern the user */
	gboolean offline;     /* no network: sources off loopback wait instead of failing */
};

static void poll_source(PollSource *source);

/* engine time: the real clock, shifted while a replay plays a recorded night */
static gint64
poller_now(SrPoller *poller)
{
	return g_get_real_time() / G_USEC_PER_SEC + (poller != NULL ? poller->clock_offset : 0);
}

static void
poll_source_free(PollSource *source)
{
	g_clear_handle_id(&source->timeout_id, g_source_remove);
	g_clear_pointer(&source->last_body, g_bytes_unref);
	g_free(source->last_modified);
	g_free(source->etag);
	g_free(source->seen_token);
	g_free(source->pending_token);
	g_queue_clear(&source->request_times);
	if (source->local_state != NULL && source->config->ops->free_state != NULL)
		source->config->ops->free_state(source->local_state);
	g_clear_pointer(&source->entries, g_hash_table_unref);
	g_clear_pointer(&source->round, g_ptr_array_unref);
	g_clear_error(&source->round_error);
	g_free(source->round_last_modified);
	g_free(source->round_etag);
	g_clear_pointer(&source->stream, sr_stream_free);
	g_clear_pointer(&source->queued, g_ptr_array_unref);
	g_free(source->stream_error);
	g_free(source);
}

gdouble
sr_poller_effective_interval(const SrSourceConfig *config)
{
	gdouble interval = config->interval > 0 ? config->interval : config->ops->default_interval;
	if (!sr_url_is_loopback(config->url) && config->ops->fetch_local == NULL) {
		gdouble floor = config->ops->min_interval;
		if (config->ops->max_per_minute > 0)
			floor = MAX(floor, 60.0 / config->ops->max_per_minute);
		interval = MAX(interval, floor);
	}
	return MAX(interval, 0.05);
}

SrPoller *
sr_poller_new(SrEngine *engine, SrHttp *http, const SrCatalog *catalog)
{
	SrPoller *poller = g_new0(SrPoller, 1);
	poller->engine = engine;
	poller->http = http;
	poller->catalog = catalog;
	poller->sources = g_ptr_array_new_with_free_func((GDestroyNotify)poll_source_free);
	poller->cancellable = g_cancellable_new();
	return poller;
}

void
sr_poller_free(SrPoller *poller)
{
	if (poller == NULL)
		return;
	g_clear_handle_id(&poller->watchdog_id, g_source_remove);
	g_cancellable_cancel(poller->cancellable);
	/* cancelled transfers call back; they must find no poller to touch */
	for (guint i = 0; i < poller->sources->len; i++) {
		PollSource *source = g_ptr_array_index(poller->sources, i);
		/* a stream calls nothing back once freed */
		g_clear_pointer(&source->stream, sr_stream_free);
		source->poller = NULL;
		if (source->busy > 0) {
			/* the HTTP callback frees it */
			g_ptr_array_index(poller->sources, i) = NULL;
		}
	}
	g_ptr_array_set_free_func(poller->sources, NULL);
	for (guint i = 0; i < poller->sources->len; i++) {
		PollSource *source = g_ptr_array_index(poller->sources, i);
		if (source != NULL)
			poll_source_free(source);
	}
	g_ptr_array_unref(poller->sources);
	g_object_unref(poller->cancellable);
	g_clear_pointer(&poller->location, sr_location_free);
	g_free(poller);
}

void
sr_poller_add_source(SrPoller *poller, const SrSourceConfig *config)
{
	PollSource *source = g_new0(PollSource, 1);
	source->poller = poller;
	source->config = config;
	source->interval = sr_poller_effective_interval(config);
	source->loopback = sr_url_is_loopback(config->url);
	g_queue_init(&source->request_times);
	g_ptr_array_add(poller->sources, source);
	sr_engine_add_source(poller->engine, config->name, config->ops->type,
	                     config->stale_after >= 0 ? config->stale_after
	                                              : MAX(3 * source->interval, 30.0),
	                     poller_now(poller));
	if (config->interval > 0 && source->interval > config->interval)
		g_info("source %s: interval %.0f s raised to %.0f s, the API's limit", config->name,
		       config->interval, source->interval);
}

guint
sr_poller_get_request_count(SrPoller *poller, const char *name)
{
	for (guint i = 0; i < poller->sources->len; i++) {
		PollSource *source = g_ptr_array_index(poller->sources, i);
		if (g_strcmp0(source->config->name, name) == 0)
			return source->requests;
	}
	return 0;
}

guint
sr_poller_get_parse_count(SrPoller *poller, const char *name)
{
	for (guint i = 0; i < poller->sources->len; i++) {
		PollSource *source = g_ptr_array_index(poller->sources, i);
		if (g_strcmp0(source->config->name, name) == 0)
			return source->parses;
	}
	return 0;
}

/* scheduling */

static gboolean
poll_timeout_cb(gpointer user_data)
{
	PollSource *source = user_data;
	source->timeout_id = 0;
	poll_source(source);
	return G_SOURCE_REMOVE;
}

static void
arm(PollSource *source, gdouble delay)
{
	/* rounded up: a timer a fraction of a millisecond early would poll the slot twice */
	guint ms = (guint)ceil(MIN(MAX(delay, 0) * 1000.0, 3600.0 * 1000.0));
	/* not g_timeout_add_seconds(): its grouping may fire early, and a Retry-After or the
	 * API's minimum interval must never be undercut */
	source->timeout_id = g_timeout_add(ms, poll_timeout_cb, source);
}

static gboolean
may_schedule(PollSource *source)
{
	g_clear_handle_id(&source->timeout_id, g_source_remove);
	return !(source->once || source->finished || source->poller == NULL ||
	         !source->poller->running);
}

/* what the stream says makes polls unneeded: it is up and a snapshot has answered since */
static gboolean
stream_covers(PollSource *source)
{
	return source->stream != NULL && sr_stream_is_up(source->stream) && !source->need_snapshot;
}

/* a delay that overrides the phase: backoff after a failure, a Retry-After, the budget */
static void
schedule(PollSource *source, gdouble delay)
{
	if (!may_schedule(source))
		return;
	/* a little jitter keeps many installations from polling in lockstep */
	if (!source->loopback && source->config->ops->fetch_local == NULL)
		delay *= g_random_double_range(0.95, 1.05);
	arm(source, delay);
}

/* the shortest gap the API allows between two polls of one source; loopback has none */
static gdouble
api_floor(const SrSourceConfig *config)
{
	gdouble floor = config->ops->min_interval;
	if (sr_url_is_loopback(config->url) || config->ops->fetch_local != NULL)
		return 0;
	if (config->ops->max_per_minute > 0)
		floor = MAX(floor, 60.0 / config->ops->max_per_minute);
	return floor;
}

gdouble
sr_poller_next_due(gdouble anchor, gdouble offset, gdouble interval, gdouble last, gdouble min_gap,
                   gdouble now)
{
	gdouble earliest = now;
	gdouble base = anchor + offset;
	gdouble k = 0;
	/* a slot this close after the last poll is the one that poll served */
	if (last >= 0)
		earliest = MAX(earliest, last + MAX(min_gap, interval / 10));
	if (!(interval > 0))
		return earliest;
	/* a hair of tolerance: a slot computed for "now" must not slip a whole interval */
	k = ceil((earliest - base) / interval - 1e-9);
	return base + MAX(k, 0) * interval;
}

/* the next poll at the source's phase: after a success, and while a stream is down */
static void
schedule_phase(PollSource *source)
{
	gdouble now = 0, due = 0, floor = 0, last = -1, delay = 0;
	if (!may_schedule(source))
		return;
	if (stream_covers(source))
		return; /* the stream tells; a poll would add nothing but load */
	now = (gdouble)g_get_monotonic_time() / G_USEC_PER_SEC;
	floor = api_floor(source->config);
	if (source->last_poll != 0)
		last = (gdouble)source->last_poll / G_USEC_PER_SEC;
	due = sr_poller_next_due((gdouble)source->anchor / G_USEC_PER_SEC, source->offset,
	                         source->interval, last, floor, now);
	/* jitter around the slot, never before the API's floor: installations that started
	 * together do not stay in lockstep, and the phase does not drift */
	if (!source->loopback && source->config->ops->fetch_local == NULL) {
		due += source->interval * g_random_double_range(-0.025, 0.025);
		if (last >= 0)
			due = MAX(due, last + floor);
	}
	delay = due - now;
	arm(source, delay);
}

/* the per-minute budget: how long until one more request is allowed (0: now) */
static gdouble
budget_wait(PollSource *source)
{
	guint max = source->config->ops->max_per_minute;
	gint64 now = g_get_monotonic_time();
	while (!g_queue_is_empty(&source->request_times)) {
		gint64 oldest = GPOINTER_TO_SIZE(g_queue_peek_head(&source->request_times));
		if (now - oldest < 60 * G_USEC_PER_SEC)
			break;
		g_queue_pop_head(&source->request_times);
	}
	if (max == 0 || source->loopback || g_queue_get_length(&source->request_times) < max)
		return 0;
	return (gdouble)(GPOINTER_TO_SIZE(g_queue_peek_head(&source->request_times)) +
	                 60 * G_USEC_PER_SEC - now) /
	           G_USEC_PER_SEC +
	       0.01;
}

static void
count_request(PollSource *source)
{
	source->requests++;
	g_queue_push_tail(&source->request_times, GSIZE_TO_POINTER(g_get_monotonic_time()));
}

static void
once_finished(PollSource *source)
{
	SrPoller *poller = source->poller;
	if (!source->once || poller == NULL)
		return;
	source->once = FALSE;
	if (poller->once_pending > 0 && --poller->once_pending == 0 && poller->once_done != NULL)
		((void (*)(gpointer))poller->once_done)(poller->once_data);
}

static void
check_all_finished(SrPoller *poller)
{
	gboolean any_local = FALSE;
	for (guint i = 0; i < poller->sources->len; i++) {
		PollSource *source = g_ptr_array_index(poller->sources, i);
		if (source->config->ops->fetch_local == NULL)
			continue;
		any_local = TRUE;
		if (!source->finished)
			return;
	}
	if (any_local && poller->finished_func != NULL)
		((void (*)(gpointer))poller->finished_func)(poller->finished_data);
}

/* results */

/* detection delay: for alerts that began since the last answer, how long after upstream's
 * start the engine had them (seconds: upstream gives no finer time) */
static void
record_detections(PollSource *source, const SrBatch *batch)
{
	gint64 now = poller_now(source->poller);
	gint64 watermark = source->start_watermark;
	if (batch == NULL)
		return;
	for (guint i = 0; i < batch->events->len; i++) {
		const SrEvent *event = g_ptr_array_index(batch->events, i);
		if (event->started_at <= source->start_watermark ||
		    event->phase == SR_PHASE_ENDED || event->phase == SR_PHASE_CANCELLED)
			continue;
		if (source->seen_batch && event->started_at <= now)
			ring_push(&source->detections, (gdouble)(now - event->started_at));
		watermark = MAX(watermark, event->started_at);
	}
	source->start_watermark = watermark;
	source->seen_batch = TRUE;
}

static void
submit(PollSource *source, const SrBatch *batch)
{
	sr_engine_submit(source->poller->engine, source->config->name, batch,
	                 poller_now(source->poller));
	record_detections(source, batch);
}

/* events the stream delivered while the snapshot was on its way go in after it: they are at
 * least as new as it, and an event applied twice changes nothing */
static void
flush_queued(PollSource *source)
{
	g_autoptr(GPtrArray) queued = g_steal_pointer(&source->queued);
	for (guint i = 0; queued != NULL && i < queued->len; i++) {
		Queued *item = g_ptr_array_index(queued, i);
		submit(source, item->batch);
		ring_push(&source->stream_delays,
		          (gdouble)(g_get_monotonic_time() - item->arrived) / G_USEC_PER_SEC);
	}
}

static void
poll_succeeded(PollSource *source, const SrBatch *batch)
{
	source->failures = 0;
	source->auth_failures = 0;
	source->need_snapshot = FALSE;
	submit(source, batch);
	flush_queued(source);
	once_finished(source);
	if (source->resnapshot) {
		/* the answer may predate what made the state doubtful: once more */
		source->resnapshot = FALSE;
		source->need_snapshot = TRUE;
		if (may_schedule(source))
			arm(source, 0);
		return;
	}
	schedule_phase(source);
}

static void
poll_failed(PollSource *source, const GError *error, gint64 retry_after)
{
	gdouble delay = 0;
	g_autoptr(GError) reported = g_error_copy(error);

	source->failures++;
	if (g_error_matches(error, SR_ERROR, SR_ERROR_AUTH)) {
		guint limit = MAX(source->config->ops->auth_failures_before_error, 1);
		source->auth_failures++;
		/* Ukraine Alarm answers 401 when it throttles a key: not a bad key yet */
		if (source->auth_failures < limit) {
			g_clear_error(&reported);
			g_set_error(&reported, SR_ERROR, SR_ERROR_THROTTLED,
			            _("%s (maybe throttled; retrying)"), error->message);
		} else if (source->config->ops->forbidden_hint != NULL) {
			g_prefix_error(&reported, "%s: ", source->config->ops->forbidden_hint);
		}
	}
	g_info("source %s failed: %s", source->config->name, reported->message);
	sr_engine_submit_error(source->poller->engine, source->config->name, reported,
	                       poller_now(source->poller));
	/* what the stream said since the last answer is still news, once there was one */
	if (source->have_main)
		flush_queued(source);
	once_finished(source);
	if (sr_error_is_retryable(reported))
		delay = sr_backoff_delay(source->failures, source->interval,
		                         MAX(SR_POLLER_MAX_BACKOFF, source->interval), retry_after);
	else
		delay = MAX(SR_POLLER_PERMANENT_WAIT, source->interval);
	schedule(source, MAX(delay, source->interval));
}

static void
store_validator(char **field, const char *value)
{
	g_free(*field);
	*field = g_strdup(value);
}

/* the common end of a transfer: FALSE when there is nothing more to do with it (the poller
 * is gone, the transfer was cancelled, or it failed and the failure was handled) */
static gboolean
transfer_answered(PollSource *source, const SrHttpResult *result)
{
	source->busy--;
	source->main_in_flight = FALSE;
	if (source->poller == NULL) {
		if (source->busy > 0)
			return FALSE; /* the last transfer frees it */
		poll_source_free(source);
		return FALSE;
	}
	if (result->status > 0 && result->total_time > 0)
		ring_push(&source->latencies, result->total_time);
	if (result->error != NULL) {
		if (!g_error_matches(result->error, SR_ERROR, SR_ERROR_CANCELLED))
			poll_failed(source, result->error, result->retry_after);
		return FALSE;
	}
	return TRUE;
}

static SrParseContext
parse_context(PollSource *source)
{
	SrParseContext ctx = {
	    .source_name = source->config->name,
	    .catalog = source->poller->catalog,
	    .now = poller_now(source->poller),
	    .state = &source->local_state,
	    .location = source->poller->location,
	};
	return ctx;
}

/* index feeds: the main body lists documents; each one not yet had in its version is fetched,
 * and when all have answered the listed documents' events are submitted as one snapshot */

/* at most this many documents are fetched in one round; the rest come with the next */
#define MAX_ENTRY_FETCHES 64

typedef struct {
	PollSource *source;
	char *key;
	char *version;
} EntryFetch;

static void
entry_fetch_free(EntryFetch *fetch)
{
	g_free(fetch->key);
	g_free(fetch->version);
	g_free(fetch);
}

static void
finish_round(PollSource *source)
{
	g_autoptr(SrBatch) snapshot = NULL;
	g_autoptr(GHashTable) listed = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) round = g_steal_pointer(&source->round);
	GHashTableIter iter;
	gpointer key = NULL;

	if (source->round_error != NULL) {
		g_autoptr(GError) error = g_steal_pointer(&source->round_error);
		/* what was had stays cached; the source keeps its last word until all answer */
		poll_failed(source, error, source->round_retry_after);
		return;
	}
	snapshot = sr_batch_new(SR_BATCH_SNAPSHOT);
	for (guint i = 0; i < round->len; i++) {
		SrIndexEntry *entry = g_ptr_array_index(round, i);
		CachedEntry *cached = NULL;
		if (entry->skip)
			continue;
		g_hash_table_add(listed, entry->key);
		cached = g_hash_table_lookup(source->entries, entry->key);
		if (cached == NULL || cached->batch == NULL)
			continue;
		for (guint j = 0; j < cached->batch->events->len; j++)
			sr_batch_take(snapshot,
			              sr_event_ref(g_ptr_array_index(cached->batch->events, j)));
	}
	/* documents the index no longer lists are forgotten */
	g_hash_table_iter_init(&iter, source->entries);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		if (!g_hash_table_contains(listed, key))
			g_hash_table_iter_remove(&iter);
	}
	source->have_main = TRUE;
	store_validator(&source->last_modified, source->round_last_modified);
	store_validator(&source->etag, source->round_etag);
	poll_succeeded(source, snapshot);
}

static void
entry_done_cb(const SrHttpResult *result, gpointer user_data)
{
	EntryFetch *fetch = user_data;
	PollSource *source = fetch->source;
	g_autoptr(GError) error = NULL;

	source->busy--;
	if (source->poller == NULL) {
		entry_fetch_free(fetch);
		if (source->busy == 0)
			poll_source_free(source);
		return;
	}
	if (result->error != NULL && g_error_matches(result->error, SR_ERROR, SR_ERROR_CANCELLED)) {
		entry_fetch_free(fetch);
		return;
	}
	if (result->error != NULL && (result->status == 404 || result->status == 410)) {
		/* listed, but gone: nothing to show for it, and nothing to wait for */
		CachedEntry *cached = g_new0(CachedEntry, 1);
		cached->version = g_strdup(fetch->version);
		g_hash_table_replace(source->entries, g_strdup(fetch->key), cached);
	} else if (result->error != NULL) {
		error = g_error_copy(result->error);
		g_prefix_error(&error, _("document %s: "), fetch->key);
		if (source->round_error == NULL) {
			source->round_error = g_steal_pointer(&error);
			source->round_retry_after = result->retry_after;
		}
	} else {
		SrParseContext ctx = parse_context(source);
		gsize len = 0;
		const char *body = g_bytes_get_data(result->body, &len);
		SrBatch *batch =
		    source->config->ops->parse_entry(body != NULL ? body : "", len, &ctx, &error);
		if (batch == NULL) {
			g_prefix_error(&error, _("malformed document %s: "), fetch->key);
			if (source->round_error == NULL)
				source->round_error = g_steal_pointer(&error);
		} else {
			CachedEntry *cached = g_new0(CachedEntry, 1);
			cached->version = g_strdup(fetch->version);
			cached->batch = batch;
			g_hash_table_replace(source->entries, g_strdup(fetch->key), cached);
		}
	}
	entry_fetch_free(fetch);
	if (--source->round_pending == 0)
		finish_round(source);
}

/* an entry's URL: absolute, or relative to the index's own address (RFC 3986, as feed
 * readers do); the result must still be a URL the scheme policy allows */
static char *
entry_url(const char *index_url, const char *url, GError **error)
{
	g_autofree char *resolved = g_uri_resolve_relative(index_url, url, G_URI_FLAGS_NONE, error);
	if (resolved == NULL || !sr_http_check_url(resolved, error))
		return NULL;
	return g_steal_pointer(&resolved);
}

static gboolean
entry_is_current(PollSource *source, const SrIndexEntry *entry)
{
	CachedEntry *cached = g_hash_table_lookup(source->entries, entry->key);
	if (cached == NULL)
		return FALSE;
	/* an entry without a version is fetched once */
	return entry->version == NULL || g_strcmp0(cached->version, entry->version) == 0;
}

static void
fetch_entry(PollSource *source, const SrIndexEntry *entry, const char *url, GPtrArray *headers)
{
	SrHttpRequest request = {0};
	EntryFetch *fetch = g_new0(EntryFetch, 1);
	fetch->source = source;
	fetch->key = g_strdup(entry->key);
	fetch->version = g_strdup(entry->version);
	request.url = url;
	request.headers = (const char *const *)headers->pdata;
	request.proxy = source->config->proxy;
	request.secret = source->config->token;
	count_request(source);
	source->busy++;
	source->round_pending++;
	g_debug("source %s: document %s", source->config->name, url);
	sr_http_fetch(source->poller->http, &request, source->poller->cancellable, entry_done_cb,
	              fetch);
}

static void
index_received(PollSource *source, const SrHttpResult *result, const char *body, gsize len)
{
	g_autoptr(GError) error = NULL;
	SrParseContext ctx = parse_context(source);
	SrRequest request = {0};
	g_autoptr(GPtrArray) headers = g_ptr_array_new();
	GPtrArray *round = source->config->ops->parse_index(body, len, &ctx, &error);
	guint started = 0;

	if (round == NULL) {
		g_prefix_error(&error, _("malformed index: "));
		poll_failed(source, error, -1);
		return;
	}
	if (source->entries == NULL)
		source->entries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
		                                        (GDestroyNotify)cached_entry_free);
	g_clear_pointer(&source->round, g_ptr_array_unref);
	source->round = round;
	g_clear_error(&source->round_error);
	source->round_retry_after = -1;
	store_validator(&source->round_last_modified, result->last_modified);
	store_validator(&source->round_etag, result->etag);
	/* the documents want the headers the index did (a User-Agent, a Referer) */
	if (!source->config->ops->build_request(source->config, SR_REQUEST_MAIN, &request,
	                                        &error)) {
		g_clear_pointer(&source->round, g_ptr_array_unref);
		poll_failed(source, error, -1);
		return;
	}
	for (guint i = 0; request.headers != NULL && i < request.headers->len; i++)
		g_ptr_array_add(headers, g_ptr_array_index(request.headers, i));
	g_ptr_array_add(headers, NULL);
	/* counted first: a document that answers at once must not finish the round early */
	source->round_pending++;
	for (guint i = 0; i < round->len; i++) {
		SrIndexEntry *entry = g_ptr_array_index(round, i);
		g_autofree char *url = NULL;
		g_autoptr(GError) url_error = NULL;
		if (entry->skip || entry_is_current(source, entry))
			continue;
		url = entry_url(request.url, entry->url, &url_error);
		if (url == NULL) {
			g_message("source %s: entry %s has no usable URL: %s", source->config->name,
			          entry->key, url_error->message);
			entry->skip = TRUE;
			continue;
		}
		if (started++ >= MAX_ENTRY_FETCHES) {
			/* left for the next round: not shown yet, and nothing ends for it */
			entry->skip = TRUE;
			continue;
		}
		fetch_entry(source, entry, url, headers);
	}
	sr_request_clear(&request);
	if (--source->round_pending == 0)
		finish_round(source);
}

static void
main_done_cb(const SrHttpResult *result, gpointer user_data)
{
	PollSource *source = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	SrParseContext ctx = {0};
	gsize len = 0;
	const char *body = NULL;

	if (!transfer_answered(source, result))
		return;
	if (result->not_modified) {
		if (!source->have_main) {
			/* a 304 before any body would mean we know nothing: not an answer */
			g_set_error_literal(&error, SR_ERROR, SR_ERROR_HTTP,
			                    _("304 Not Modified without an earlier body"));
			poll_failed(source, error, -1);
			return;
		}
		g_debug("source %s: not modified", source->config->name);
		poll_succeeded(source, NULL);
		return;
	}
	body = g_bytes_get_data(result->body, &len);
	if (source->config->ops->parse_index != NULL) {
		index_received(source, result, body != NULL ? body : "", len);
		return;
	}
	/* a 200 that is byte for byte the body parsed last time says nothing new (a server
	 * without validators, such as ubilling, sends the same list on every poll): no batch, the
	 * same as a 304. Not for parsers with state, whose time-outs read the clock on every body,
	 * nor for streaming sources, whose events change what the engine holds between two
	 * snapshots */
	if (source->last_body != NULL && result->body != NULL &&
	    g_bytes_equal(source->last_body, result->body)) {
		g_debug("source %s: the same body again", source->config->name);
	} else {
		ctx = parse_context(source);
		source->parses++;
		batch = source->config->ops->parse(body != NULL ? body : "", len, &ctx, &error);
		if (batch == NULL) {
			g_prefix_error(&error, _("malformed answer: "));
			poll_failed(source, error, -1);
			return;
		}
		source->have_main = TRUE;
		g_clear_pointer(&source->last_body, g_bytes_unref);
		if (source->config->ops->free_state == NULL &&
		    source->config->ops->parse_event == NULL && result->body != NULL)
			source->last_body = g_bytes_ref(result->body);
	}
	store_validator(&source->last_modified, result->last_modified);
	store_validator(&source->etag, result->etag);
	g_free(source->seen_token);
	source->seen_token = g_steal_pointer(&source->pending_token);
	poll_succeeded(source, batch);
}

static void
fetch(PollSource *source, SrRequestKind kind, SrHttpCallback callback)
{
	SrRequest request = {0};
	SrHttpRequest http_request = {0};
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) headers = NULL;

	if (!source->config->ops->build_request(source->config, kind, &request, &error)) {
		poll_failed(source, error, -1);
		return;
	}
	headers = g_ptr_array_new();
	if (request.headers != NULL) {
		for (guint i = 0; i < request.headers->len; i++)
			g_ptr_array_add(headers, g_ptr_array_index(request.headers, i));
	}
	g_ptr_array_add(headers, NULL);
	http_request.url = request.url;
	http_request.headers = (const char *const *)headers->pdata;
	http_request.proxy = source->config->proxy;
	http_request.secret = source->config->token;
	if (kind == SR_REQUEST_MAIN && source->config->ops->conditional && source->have_main) {
		http_request.if_modified_since = source->last_modified;
		http_request.if_none_match = source->etag;
	}
	count_request(source);
	source->busy++;
	if (kind == SR_REQUEST_MAIN)
		source->main_in_flight = TRUE;
	g_debug("source %s: %s request", source->config->name,
	        kind == SR_REQUEST_PROBE ? "probe" : "main");
	sr_http_fetch(source->poller->http, &http_request, source->poller->cancellable, callback,
	              source);
	sr_request_clear(&request);
}

static void
probe_done_cb(const SrHttpResult *result, gpointer user_data)
{
	PollSource *source = user_data;
	g_autoptr(GError) error = NULL;
	g_autofree char *token = NULL;
	const char *body = NULL;
	gsize len = 0;
	gdouble wait = 0;

	if (!transfer_answered(source, result))
		return;
	if (result->not_modified) {
		poll_succeeded(source, NULL);
		return;
	}
	body = g_bytes_get_data(result->body, &len);
	token = source->config->ops->parse_probe(body != NULL ? body : "", len, &error);
	if (token == NULL) {
		g_prefix_error(&error, _("malformed change counter: "));
		poll_failed(source, error, -1);
		return;
	}
	if (source->have_main && g_strcmp0(token, source->seen_token) == 0) {
		poll_succeeded(source, NULL);
		return;
	}
	g_free(source->pending_token);
	source->pending_token = g_steal_pointer(&token);
	wait = budget_wait(source);
	if (wait > 0) {
		/* the change waits for the budget; the next poll fetches it */
		g_debug("source %s: changed, budget spent for %.0f s", source->config->name, wait);
		schedule(source, wait);
		return;
	}
	fetch(source, SR_REQUEST_MAIN, main_done_cb);
}

static void
poll_local(PollSource *source)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	SrParseContext ctx = {0};
	gboolean finished = FALSE;
	gint64 virtual_now = 0;
	gdouble elapsed = (gdouble)(g_get_monotonic_time() - source->started_mono) / G_USEC_PER_SEC;

	ctx.source_name = source->config->name;
	ctx.catalog = source->poller->catalog;
	ctx.now = poller_now(source->poller);
	source->requests++;
	batch = source->config->ops->fetch_local(source->config, &source->local_state, &ctx,
	                                         elapsed, &finished, &virtual_now, &error);
	source->finished = finished;
	if (virtual_now != 0)
		source->poller->clock_offset = virtual_now - g_get_real_time() / G_USEC_PER_SEC;
	if (batch != NULL)
		poll_succeeded(source, batch);
	else if (error != NULL)
		poll_failed(source, error, -1);
	else
		poll_succeeded(source, NULL);
	if (finished)
		check_all_finished(source->poller);
}

static void
poll_source(PollSource *source)
{
	gdouble wait = 0;
	if (source->busy > 0 || source->finished)
		return;
	if (source->poller->offline && !source->loopback &&
	    source->config->ops->fetch_local == NULL) {
		/* nothing to hammer: the poll happens when the network returns */
		g_debug("source %s: offline, waiting for the network", source->config->name);
		return;
	}
	if (source->config->ops->fetch_local != NULL) {
		poll_local(source);
		return;
	}
	wait = budget_wait(source);
	if (wait > 0 && !source->once) {
		schedule(source, wait);
		return;
	}
	source->polls++;
	source->last_poll = g_get_monotonic_time();
	ring_push(&source->poll_times, (gdouble)source->last_poll / G_USEC_PER_SEC);
	/* a change the counter announced but the budget held back is fetched, not probed again */
	if (source->config->ops->parse_probe != NULL && !source->once &&
	    source->pending_token == NULL)
		fetch(source, SR_REQUEST_PROBE, probe_done_cb);
	else
		fetch(source, SR_REQUEST_MAIN, main_done_cb);
}

/* streams */

/* events queued while the first snapshot is missing: beyond this something is badly wrong */
#define MAX_QUEUED_BATCHES 1024

/* a fresh snapshot: the state the stream left may have diverged from upstream's */
static void
resnapshot(PollSource *source)
{
	source->need_snapshot = TRUE;
	if (source->busy > 0) {
		source->resnapshot = TRUE;
		return;
	}
	g_clear_handle_id(&source->timeout_id, g_source_remove);
	poll_source(source);
}

static void
stream_event_cb(const SrSseEvent *event, gint64 arrived, gpointer user_data)
{
	PollSource *source = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	SrParseContext ctx = parse_context(source);
	Queued *item = NULL;

	source->stream_events++;
	batch = source->config->ops->parse_event(event->type, event->data, event->data_len, &ctx,
	                                         &error);
	if (batch == NULL && error != NULL) {
		g_message("source %s: unreadable '%s' event, taking a fresh snapshot: %s",
		          source->config->name, event->type, error->message);
		resnapshot(source);
		return;
	}
	if (!source->have_main || source->main_in_flight) {
		/* applied after the snapshot, which would otherwise overwrite it */
		if (batch == NULL)
			return;
		if (source->queued == NULL)
			source->queued =
			    g_ptr_array_new_with_free_func((GDestroyNotify)queued_free);
		if (source->queued->len >= MAX_QUEUED_BATCHES) {
			g_warning("source %s: %u events wait for a snapshot; dropping them",
			          source->config->name, source->queued->len);
			g_ptr_array_set_size(source->queued, 0);
			source->resnapshot = source->busy > 0;
		}
		item = g_new0(Queued, 1);
		item->batch = g_steal_pointer(&batch);
		item->arrived = arrived;
		g_ptr_array_add(source->queued, item);
		return;
	}
	if (batch == NULL) {
		/* a keep-alive says the source answers, not what is going on: only once a snapshot
		 * since the connection said that */
		if (!source->need_snapshot)
			sr_engine_submit(source->poller->engine, source->config->name, NULL,
			                 poller_now(source->poller));
		return;
	}
	submit(source, batch);
	ring_push(&source->stream_delays,
	          (gdouble)(g_get_monotonic_time() - arrived) / G_USEC_PER_SEC);
}

static void
stream_state_cb(gboolean up, const GError *error, gpointer user_data)
{
	PollSource *source = user_data;
	g_clear_pointer(&source->stream_error, g_free);
	if (up) {
		g_info("source %s: stream up", source->config->name);
		/* what changed while no stream was open is only in the main body */
		resnapshot(source);
		return;
	}
	/* never an all-clear, never an error by itself: the polls that resume say what is on,
	 * and whether the source answers */
	if (error == NULL)
		source->stream_error = g_strdup(_("the server ended the stream"));
	else if ((g_error_matches(error, SR_ERROR, SR_ERROR_AUTH)) &&
	         source->config->ops->forbidden_hint != NULL)
		source->stream_error =
		    g_strdup_printf("%s: %s", source->config->ops->forbidden_hint, error->message);
	else
		source->stream_error = g_strdup(error->message);
	g_info("source %s: stream down, polling: %s", source->config->name, source->stream_error);
	if (source->busy == 0 && source->timeout_id == 0)
		schedule_phase(source);
}

static void
start_stream(PollSource *source)
{
	const SrSourceOps *ops = source->config->ops;
	SrRequest request = {0};
	SrStreamOptions options = {0};
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) headers = g_ptr_array_new();

	if (ops->parse_event == NULL || ops->fetch_local != NULL || source->stream != NULL)
		return;
	if (!ops->build_request(source->config, SR_REQUEST_STREAM, &request, &error)) {
		g_info("source %s: no stream (%s), polling only", source->config->name,
		       error->message);
		return;
	}
	for (guint i = 0; request.headers != NULL && i < request.headers->len; i++)
		g_ptr_array_add(headers, g_ptr_array_index(request.headers, i));
	g_ptr_array_add(headers, NULL);
	options.url = request.url;
	options.headers = (const char *const *)headers->pdata;
	options.proxy = source->config->proxy;
	options.secret = source->config->token;
	/* three missed keep-alives: the connection is dead even if TCP has not noticed */
	options.idle_timeout_ms =
	    ops->stream_heartbeat > 0 ? (guint)(3 * ops->stream_heartbeat * 1000) : 90 * 1000;
	options.retry_base = 1.0;
	options.retry_max = SR_POLLER_MAX_BACKOFF;
	options.permanent_wait = SR_POLLER_PERMANENT_WAIT;
	source->stream =
	    sr_stream_new(source->poller->http, &options, stream_event_cb, stream_state_cb, source);
	sr_request_clear(&request);
	sr_stream_start(source->stream);
}

/* staggering */

const char *
sr_poller_source_group(const SrSourceConfig *config)
{
	static const char *const table[][2] = {
	    {"alerts_in_ua", "ua"}, {"ukraine_alarm", "ua"}, {"siren_pp_ua", "ua"},
	    {"ubilling", "ua"},     {"alerts_com_ua", "ua"}, {"oref", "il"},
	    {"oref_history", "il"}, {"nws", "us"},           {"nina", "de"},
	};
	const char *type = config->ops->type;
	for (guint i = 0; i < G_N_ELEMENTS(table); i++) {
		if (g_strcmp0(type, table[i][0]) == 0)
			return g_intern_static_string(table[i][1]);
	}
	if (g_strcmp0(type, "meteoalarm") == 0) {
		const char *country = sr_source_config_get_extra(config, "country");
		g_autofree char *group =
		    g_strconcat("meteoalarm:", country != NULL ? country : "", NULL);
		return g_intern_string(group);
	}
	/* a CAP feed can be anyone's; MQTT pushes; a replay reads no network */
	return NULL;
}

void
sr_poller_stagger(const gdouble *intervals, guint n, gdouble *offsets)
{
	g_autofree guint *order = g_new(guint, n);
	gdouble rate = 0;
	for (guint i = 0; i < n; i++) {
		order[i] = i;
		offsets[i] = 0;
		if (intervals[i] > 0)
			rate += 1.0 / intervals[i];
	}
	if (n < 2 || !(rate > 0))
		return;
	/* insertion sort: stable, and n is a handful */
	for (guint i = 1; i < n; i++) {
		guint j = i;
		while (j > 0 && intervals[order[j - 1]] > intervals[order[j]]) {
			guint t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
			j--;
		}
	}
	for (guint j = 0; j < n; j++) {
		gdouble interval = intervals[order[j]];
		if (interval > 0)
			offsets[order[j]] = fmod(j / rate, interval);
	}
}

static void
stagger_sources(SrPoller *poller)
{
	g_autoptr(GHashTable) groups =
	    g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref);
	GHashTableIter iter;
	gpointer value = NULL;

	for (guint i = 0; i < poller->sources->len; i++) {
		PollSource *source = g_ptr_array_index(poller->sources, i);
		GPtrArray *members = NULL;
		source->group = sr_poller_source_group(source->config);
		source->offset = 0;
		if (source->group == NULL)
			continue;
		members = g_hash_table_lookup(groups, source->group);
		if (members == NULL) {
			members = g_ptr_array_new();
			g_hash_table_insert(groups, (gpointer)source->group, members);
		}
		g_ptr_array_add(members, source);
	}
	g_hash_table_iter_init(&iter, groups);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		GPtrArray *members = value;
		g_autofree gdouble *intervals = g_new(gdouble, members->len);
		g_autofree gdouble *offsets = g_new(gdouble, members->len);
		for (guint i = 0; i < members->len; i++)
			intervals[i] = ((PollSource *)g_ptr_array_index(members, i))->interval;
		sr_poller_stagger(intervals, members->len, offsets);
		for (guint i = 0; i < members->len; i++) {
			PollSource *source = g_ptr_array_index(members, i);
			source->offset = offsets[i];
			if (members->len > 1)
				g_info("source %s: every %g s at +%.2f s (%s, %u sources)",
				       source->config->name, source->interval, source->offset,
				       source->group, members->len);
		}
	}
}

static gboolean
watchdog_cb(gpointer user_data)
{
	SrPoller *poller = user_data;
	sr_engine_tick(poller->engine, poller_now(poller));
	return G_SOURCE_CONTINUE;
}

void
sr_poller_start(SrPoller *poller)
{
	gdouble shortest = 3600;
	gint64 now = g_get_monotonic_time();
	poller->running = TRUE;
	stagger_sources(poller);
	for (guint i = 0; i < poller->sources->len; i++) {
		PollSource *source = g_ptr_array_index(poller->sources, i);
		source->started_mono = now;
		source->anchor = now;
		shortest =
		    MIN(shortest,
		        sr_engine_get_source(poller->engine, source->config->name)->stale_after);
		/* the user needs the state at once: everyone polls now, the phases apply after */
		poll_source(source);
		if (source->poller != NULL)
			start_stream(source);
	}
	/* the watchdog notices a source that went silent without failing */
	poller->watchdog_id =
	    g_timeout_add_seconds(MAX((guint)(shortest / 2), 1), watchdog_cb, poller);
}

void
sr_poller_poll_once(SrPoller *poller, GCallback done, gpointer user_data)
{
	poller->once_done = done;
	poller->once_data = user_data;
	poller->once_pending = poller->sources->len;
	if (poller->sources->len == 0) {
		((void (*)(gpointer))done)(user_data);
		return;
	}
	for (guint i = 0; i < poller->sources->len; i++) {
		PollSource *source = g_ptr_array_index(poller->sources, i);
		source->once = TRUE;
		source->started_mono = g_get_monotonic_time();
	}
	for (guint i = 0; i < poller->sources->len; i++)
		poll_source(g_ptr_array_index(poller->sources, i));
}

/* measured figures */

static PollSource *
find_source(SrPoller *poller, const char *name)
{
	for (guint i = 0; i < poller->sources->len; i++) {
		PollSource *source = g_ptr_array_index(poller->sources, i);
		if (g_strcmp0(source->config->name, name) == 0)
			return source;
	}
	return NULL;
}

gboolean
sr_poller_get_stats(SrPoller *poller, const char *name, SrPollerStats *stats)
{
	PollSource *source = find_source(poller, name);
	gdouble gaps[RING_SIZE];
	gdouble sum = 0;
	guint n = 0;

	memset(stats, 0, sizeof(*stats));
	if (source == NULL)
		return FALSE;
	stats->interval = source->interval;
	stats->offset = source->offset;
	stats->group =
	    source->group != NULL ? source->group : sr_poller_source_group(source->config);
	stats->requests = source->requests;
	stats->polls = source->polls;
	for (guint i = 1; i < source->poll_times.len; i++) {
		gaps[n] = ring_get(&source->poll_times, i) - ring_get(&source->poll_times, i - 1);
		sum += gaps[n++];
	}
	stats->interval_mean = n > 0 ? sum / n : -1;
	stats->interval_median = values_median(gaps, n);
	stats->latency_median = ring_median(&source->latencies);
	stats->detection_median = ring_median(&source->detections);
	stats->streaming = source->stream != NULL;
	stats->stream_up = source->stream != NULL && sr_stream_is_up(source->stream);
	stats->stream_events = source->stream_events;
	stats->stream_reconnects =
	    source->stream != NULL ? sr_stream_get_reconnects(source->stream) : 0;
	stats->stream_delay_median = ring_median(&source->stream_delays);
	stats->stream_error = source->stream_error;
	return TRUE;
}

GArray *
sr_poller_get_poll_times(SrPoller *poller, const char *name)
{
	PollSource *source = find_source(poller, name);
	GArray *times = NULL;
	if (source == NULL)
		return NULL;
	times = g_array_new(FALSE, FALSE, sizeof(gint64));
	for (guint i = 0; i < source->poll_times.len; i++) {
		gint64 t = (gint64)llround(ring_get(&source->poll_times, i) * G_USEC_PER_SEC);
		g_array_append_val(times, t);
	}
	return times;
}

static void
add_figure(cJSON *object, const char *name, gdouble value)
{
	if (value < 0)
		cJSON_AddNullToObject(object, name);
	else
		cJSON_AddNumberToObject(object, name, value);
}

cJSON *
sr_poller_stats_to_json(const SrPollerStats *stats)
{
	cJSON *json = cJSON_CreateObject();
	cJSON_AddNumberToObject(json, "interval_s", stats->interval);
	cJSON_AddNumberToObject(json, "offset_s", stats->offset);
	if (stats->group != NULL)
		cJSON_AddStringToObject(json, "group", stats->group);
	else
		cJSON_AddNullToObject(json, "group");
	cJSON_AddNumberToObject(json, "requests", stats->requests);
	cJSON_AddNumberToObject(json, "polls", stats->polls);
	add_figure(json, "measured_interval_s", stats->interval_mean);
	add_figure(json, "measured_interval_median_s", stats->interval_median);
	add_figure(json, "latency_s", stats->latency_median);
	add_figure(json, "detection_delay_s", stats->detection_median);
	if (stats->streaming) {
		cJSON *stream = cJSON_AddObjectToObject(json, "stream");
		cJSON_AddBoolToObject(stream, "up", stats->stream_up);
		cJSON_AddNumberToObject(stream, "events", stats->stream_events);
		cJSON_AddNumberToObject(stream, "reconnects", stats->stream_reconnects);
		add_figure(stream, "delay_s", stats->stream_delay_median);
		if (stats->stream_error != NULL && !stats->stream_up)
			cJSON_AddStringToObject(stream, "error", stats->stream_error);
		else
			cJSON_AddNullToObject(stream, "error");
	} else {
		cJSON_AddNullToObject(json, "stream");
	}
	return json;
}

void
sr_poller_set_finished_func(SrPoller *poller, GCallback func, gpointer user_data)
{
	poller->finished_func = func;
	poller->finished_data = user_data;
}

void
sr_poller_restore(SrPoller *poller, const char *name, const SrEvent *alert)
{
	for (guint i = 0; i < poller->sources->len; i++) {
		PollSource *source = g_ptr_array_index(poller->sources, i);
		SrParseContext ctx = {0};
		if (g_strcmp0(source->config->name, name) != 0 ||
		    source->config->ops->restore == NULL)
			continue;
		ctx = parse_context(source);
		source->config->ops->restore(&source->local_state, alert, &ctx);
	}
}

void
sr_poller_set_location(SrPoller *poller, const SrLocation *location)
{
	g_clear_pointer(&poller->location, sr_location_free);
	if (location != NULL && sr_location_is_set(location))
		poller->location = sr_location_copy(location);
}

void
sr_poller_set_offline(SrPoller *poller, gboolean offline)
{
	if (poller->offline == offline)
		return;
	poller->offline = offline;
	if (offline || !poller->running)
		return;
	/* back online: poll at once, not at the next tick */
	for (guint i = 0; i < poller->sources->len; i++) {
		PollSource *source = g_ptr_array_index(poller->sources, i);
		if (source->loopback || source->config->ops->fetch_local != NULL)
			continue;
		g_clear_handle_id(&source->timeout_id, g_source_remove);
		poll_source(source);
	}
}
