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

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrPoller, sr_poller_free)

G_END_DECLS
