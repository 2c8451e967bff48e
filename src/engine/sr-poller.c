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
	gboolean busy;
	gboolean once;
	gboolean finished;
	gpointer local_state;
	gint64 started_mono;
} PollSource;

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
	gint64 clock_offset; /* seconds added to the real clock (replays) */
	gboolean offline;    /* no network: sources off loopback wait instead of failing */
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
		if (source->busy) {
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
			            "%s (maybe throttled; retrying)", error->message);
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
	source->busy = FALSE;
	if (source->poller == NULL) {
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
			                    "304 Not Modified without an earlier body");
			poll_failed(source, error, -1);
			return;
		}
		g_debug("source %s: not modified", source->config->name);
		poll_succeeded(source, NULL);
		return;
	}
	body = g_bytes_get_data(result->body, &len);
	ctx.source_name = source->config->name;
	ctx.catalog = source->poller->catalog;
	ctx.now = poller_now(source->poller);
	ctx.state = &source->local_state;
	batch = source->config->ops->parse(body != NULL ? body : "", len, &ctx, &error);
	if (batch == NULL) {
		g_prefix_error(&error, "malformed answer: ");
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
	if (kind == SR_REQUEST_MAIN && source->config->ops->conditional && source->have_main) {
		http_request.if_modified_since = source->last_modified;
		http_request.if_none_match = source->etag;
	}
	count_request(source);
	source->busy = TRUE;
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
		g_prefix_error(&error, "malformed change counter: ");
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
	if (source->busy || source->finished)
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
		ctx.source_name = source->config->name;
		ctx.catalog = poller->catalog;
		ctx.now = poller_now(poller);
		ctx.state = &source->local_state;
		source->config->ops->restore(&source->local_state, alert, &ctx);
	}
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
