/* poller.h - schedules every source's requests and feeds the results to the engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sirena/engine.h"
#include "sirena/http.h"
#include "sirena/source.h"

G_BEGIN_DECLS

typedef struct _SrPoller SrPoller;

SrPoller *sr_poller_new(SrEngine *engine, SrHttp *http, const SrCatalog *catalog);
void sr_poller_free(SrPoller *poller);

/* @config is borrowed and must outlive the poller; registers the source with the engine */
void sr_poller_add_source(SrPoller *poller, const SrSourceConfig *config);

/* polls every source now and then at its interval, until freed */
void sr_poller_start(SrPoller *poller);

/* polls every source once (the main request, no change check) and calls @done when all have
 * answered or failed */
void sr_poller_poll_once(SrPoller *poller, GCallback done, gpointer user_data);

/* called once every source that can finish (a replay) has finished */
void sr_poller_set_finished_func(SrPoller *poller, GCallback func, gpointer user_data);

/* the interval actually used: the configured one, raised to the API's floor unless the URL is
 * loopback */
gdouble sr_poller_effective_interval(const SrSourceConfig *config);

/* without a network, sources whose URL is not loopback are not polled (the engine's watchdog
 * still reports them down); when it returns they are polled at once */
void sr_poller_set_offline(SrPoller *poller, gboolean offline);

/* hands @alert, which the store says source @name reported before a restart or reload, to a
 * source that follows a lifecycle of its own (oref), so its state does not forget it */
void sr_poller_restore(SrPoller *poller, const char *name, const SrEvent *alert);
/* the user's place (copied), handed to index feeds so they can skip what cannot concern it */
void sr_poller_set_location(SrPoller *poller, const SrLocation *location);
/* requests sent so far for @source (probes included) */
guint sr_poller_get_request_count(SrPoller *poller, const char *source);
/* main bodies parsed so far for @source: a 304, or a 200 with the body parsed last time, is not
 * parsed again */
guint sr_poller_get_parse_count(SrPoller *poller, const char *source);

/* scheduling: sources that serve one country are polled at staggered phases */

/* the country (or other group) whose alerts @config's source serves, for staggering: "ua",
 * "il", "us", "de", "meteoalarm:<country>"; NULL when it cannot tell (cap, cap_feed) or the
 * source polls nothing (mqtt, replay). An interned string. */
const char *sr_poller_source_group(const SrSourceConfig *config);

/* phase offsets for @n sources of one group polled every @intervals[i] seconds, so that their
 * polls interleave: sorted by interval (shortest first, ties in the given order), the j-th
 * source gets j / R modulo its interval, R being the group's combined poll rate (sum of
 * 1 / interval); for equal intervals T that is k × T / n. Each offset is in [0, interval). */
void sr_poller_stagger(const gdouble *intervals, guint n, gdouble *offsets);

/* the next poll on a fixed phase: the first @anchor + @offset + k × @interval (k >= 0) not
 * before @now and not before @last + max(@min_gap, @interval / 10) (@last < 0: no earlier poll;
 * a slot closer than that is the one the last poll served); all in seconds on
 * one clock */
gdouble sr_poller_next_due(gdouble anchor, gdouble offset, gdouble interval, gdouble last,
                           gdouble min_gap, gdouble now);

/* what the poller measured for one source, for `sirena sources` and sirenad's GetSources;
 * durations in seconds, < 0 when not measured yet */
typedef struct {
	gdouble interval;      /* the effective interval it is scheduled at */
	gdouble offset;        /* its phase within the interval (staggering), 0 when alone */
	const char *group;     /* sr_poller_source_group(), NULL when none */
	guint requests;        /* requests sent so far (probes and documents included) */
	guint polls;           /* polls among them (a probe and its main request are one) */
	gdouble interval_mean; /* of the gaps between the last polls */
	gdouble interval_median;
	gdouble latency_median;   /* round trip of the last requests (SrHttpResult.total_time) */
	gdouble detection_median; /* the last alert starts: seen by the engine − upstream start */
	gboolean streaming;       /* the source pushes server-sent events */
	gboolean stream_up;       /* bytes arrived on the current connection */
	guint stream_events;      /* events received */
	guint stream_reconnects;  /* connections after the first */
	gdouble stream_delay_median; /* an event's arrival to the engine's answer */
	const char *stream_error;    /* why the stream is down, NULL when up or never failed */
} SrPollerStats;

/* FALSE when no source is called @name; @stats points into the poller until it changes */
gboolean sr_poller_get_stats(SrPoller *poller, const char *name, SrPollerStats *stats);
/* monotonic times (µs) of @name's last polls, oldest first (for tests); NULL when unknown */
GArray *sr_poller_get_poll_times(SrPoller *poller, const char *name);
/* the JSON form, as sirenad's GetSources gives it under "measured" and `sirena sources --json`
 * prints it: interval_s, offset_s, group, requests, polls, measured_interval_s (mean),
 * measured_interval_median_s, latency_s, detection_delay_s, and for a streaming source
 * "stream": {up, events, reconnects, delay_s, error}; a figure not measured yet is null */
cJSON *sr_poller_stats_to_json(const SrPollerStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrPoller, sr_poller_free)

G_END_DECLS
