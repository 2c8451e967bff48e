/* sr-stream.h - one server-sent events feed that keeps itself connected
 *
 * Opens the stream with sr_http_stream(), reads it with an SrSseParser, and when it ends
 * (dropped, silent for longer than the idle time, broken framing, an error answer) reconnects
 * after a backoff, with the last event id seen in Last-Event-ID. It knows nothing of sources:
 * the poller turns its events into batches and decides what a drop means.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sirena/http.h"
#include "net/sr-sse.h"

G_BEGIN_DECLS

typedef struct _SrStream SrStream;

/* each event of the stream; @arrived is the monotonic time (µs) its last bytes came in */
typedef void (*SrStreamEventFunc)(const SrSseEvent *event, gint64 arrived, gpointer user_data);
/* the stream came up (its first bytes arrived: @up TRUE, @error NULL) or went down (@error
 * NULL when the server ended it cleanly); a reconnection is already scheduled then */
typedef void (*SrStreamStateFunc)(gboolean up, const GError *error, gpointer user_data);

typedef struct {
	const char *url;
	const char *const *headers; /* NULL-terminated "Name: value"; may be NULL */
	const char *proxy;
	const char *secret;
	guint idle_timeout_ms;  /* silence that ends a connection */
	gdouble retry_base;     /* seconds: first reconnection delay when the server gave none */
	gdouble retry_max;      /* seconds: the longest backoff for a retryable failure */
	gdouble permanent_wait; /* seconds between tries after a failure the user must fix */
} SrStreamOptions;

/* copies @options; not connected until sr_stream_start() */
SrStream *sr_stream_new(SrHttp *http, const SrStreamOptions *options, SrStreamEventFunc event,
                        SrStreamStateFunc state, gpointer user_data);
/* ends the connection; no callback runs after it */
void sr_stream_free(SrStream *stream);

void sr_stream_start(SrStream *stream);
gboolean sr_stream_is_up(SrStream *stream);
/* connections made after the first */
guint sr_stream_get_reconnects(SrStream *stream);
const char *sr_stream_get_last_id(SrStream *stream);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrStream, sr_stream_free)

G_END_DECLS
