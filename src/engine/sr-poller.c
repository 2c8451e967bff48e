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

#include "sirena/error.h"
#include "sirena/poller.h"
#include "sr-i18n.h"

#define SR_POLLER_MAX_BACKOFF 60.0 /* seconds: retries never wait longer for a retryable error */
#define SR_POLLER_PERMANENT_WAIT                                                                   \
	300.0 /* seconds between tries while the user must fix something                           \
	       */

typedef struct {
	SrPoller *poller;
	const SrSourceConfig *config;
	gdouble interval;
	gboolean loopback;
	char *last_modified;
	char *etag;
	char *seen_token;    /* probe token when the main body was last fetched */
	char *pending_token; /* probe token of the main fetch in flight */
	gboolean have_main;
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
schedule(PollSource *source, gdouble delay)
{
	guint ms = 0;
	g_clear_handle_id(&source->timeout_id, g_source_remove);
	if (source->once || source->finished || source->poller == NULL || !source->poller->running)
		return;
	/* a little jitter keeps many installations from polling in lockstep */
	if (!source->loopback && source->config->ops->fetch_local == NULL)
		delay *= g_random_double_range(0.95, 1.05);
	ms = (guint)MIN(delay * 1000.0, 3600.0 * 1000.0);
	/* not g_timeout_add_seconds(): its grouping may fire early, and a Retry-After or the
	 * API's minimum interval must never be undercut */
	source->timeout_id = g_timeout_add(ms, poll_timeout_cb, source);
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

static void
poll_succeeded(PollSource *source, const SrBatch *batch)
{
	source->failures = 0;
	source->auth_failures = 0;
	sr_engine_submit(source->poller->engine, source->config->name, batch,
	                 poller_now(source->poller));
	once_finished(source);
	schedule(source, source->interval);
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
	if (source->poller == NULL) {
		if (source->busy > 0)
			return FALSE; /* the last transfer frees it */
		poll_source_free(source);
		return FALSE;
	}
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
	ctx = parse_context(source);
	batch = source->config->ops->parse(body != NULL ? body : "", len, &ctx, &error);
	if (batch == NULL) {
		g_prefix_error(&error, _("malformed answer: "));
		poll_failed(source, error, -1);
		return;
	}
	source->have_main = TRUE;
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
	/* a change the counter announced but the budget held back is fetched, not probed again */
	if (source->config->ops->parse_probe != NULL && !source->once &&
	    source->pending_token == NULL)
		fetch(source, SR_REQUEST_PROBE, probe_done_cb);
	else
		fetch(source, SR_REQUEST_MAIN, main_done_cb);
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
	poller->running = TRUE;
	for (guint i = 0; i < poller->sources->len; i++) {
		PollSource *source = g_ptr_array_index(poller->sources, i);
		source->started_mono = g_get_monotonic_time();
		shortest =
		    MIN(shortest,
		        sr_engine_get_source(poller->engine, source->config->name)->stale_after);
		poll_source(source);
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
