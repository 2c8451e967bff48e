/* sr-test-poller.h - the real poller and engine against the loopback server, for tests
 *
 * The fixture owns a loopback server, an engine on the test catalog, an HTTP client and a
 * poller; every change the engine reports is recorded as one line: "started ua:124:air_raid",
 * "ended …", "source alerts_in_ua stale".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sirena/engine.h"
#include "sirena/http.h"
#include "sirena/poller.h"
#include "sr-test-server.h"

G_BEGIN_DECLS

typedef struct {
	SrTestServer *server; /* may be freed by a test (the server goes away) */
	SrEngine *engine;
	SrHttp *http;
	SrPoller *poller;
	GPtrArray *configs; /* SrSourceConfig*, owned */
	GPtrArray *lines;   /* char*: the changes reported, in order */
} SrTestPollerFixture;

/* usable directly as g_test_add() setup and teardown */
void sr_test_poller_setup(SrTestPollerFixture *fx, gconstpointer data);
void sr_test_poller_teardown(SrTestPollerFixture *fx, gconstpointer data);

/* a source of @type polling @url (NULL: the loopback server) with a token that must never
 * leak; added to the poller, owned by the fixture */
SrSourceConfig *sr_test_poller_add_source(SrTestPollerFixture *fx, const char *type,
                                          const char *url, gdouble interval, gdouble stale_after);

/* the index of @line at @from or later, or -1 */
gint sr_test_poller_find_line(SrTestPollerFixture *fx, guint from, const char *line);
/* every line reported so far, one per row: for a failure message */
char *sr_test_poller_dump_lines(SrTestPollerFixture *fx);

G_END_DECLS
