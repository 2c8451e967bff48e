/* http.h - the one HTTP client: libcurl multi driven by the GLib main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SrHttp SrHttp;

#define SR_HTTP_DEFAULT_MAX_SIZE           (8u * 1024u * 1024u)
#define SR_HTTP_DEFAULT_TIMEOUT_MS         15000u
#define SR_HTTP_DEFAULT_CONNECT_TIMEOUT_MS 5000u

typedef struct {
	const char *url;
	const char *const *headers;    /* NULL-terminated "Name: value"; may be NULL */
	const char *if_modified_since; /* a Last-Modified value to send back, or NULL */
	const char *if_none_match;     /* an ETag to send back, or NULL */
	gsize max_size;                /* 0 = SR_HTTP_DEFAULT_MAX_SIZE */
	guint timeout_ms;              /* 0 = SR_HTTP_DEFAULT_TIMEOUT_MS */
	guint connect_timeout_ms;      /* 0 = SR_HTTP_DEFAULT_CONNECT_TIMEOUT_MS */
	/* SCHEME://[USER:PASSWORD@]HOST[:PORT] every request goes through, whatever no_proxy says;
	 * NULL: libcurl's default (http_proxy, https_proxy, no_proxy; never for loopback).
	 * It may carry credentials: it is never logged or repeated in an error */
	const char *proxy;
	/* a token the request carries: an upstream answer that echoes it is never quoted in a
	 * message (the proxy's password is kept out the same way) */
	const char *secret;
} SrHttpRequest;

typedef struct {
	GError *error;         /* NULL on success (2xx or 304) */
	guint status;          /* HTTP status, 0 when no response arrived */
	gboolean not_modified; /* 304: nothing to parse */
	GBytes *body;          /* the body of a 2xx response (never NULL then), else NULL */
	char *etag;
	char *last_modified;
	gint64 retry_after; /* seconds from a Retry-After header, -1 when absent */
	gdouble total_time; /* seconds */
} SrHttpResult;

typedef void (*SrHttpCallback)(const SrHttpResult *result, gpointer user_data);

/* @user_agent identifies the program; @context is where callbacks run (NULL: the thread-default).
 * An SrHttp is used from the thread that runs @context (only a GCancellable may be cancelled
 * from elsewhere) */
SrHttp *sr_http_new(GMainContext *context, const char *user_agent);
void sr_http_free(SrHttp *http);

/* starts a transfer; @callback runs exactly once from the main loop, also when cancelled;
 * insecure URLs (plain http off loopback, other schemes) fail through the callback too */
void sr_http_fetch(SrHttp *http, const SrHttpRequest *request, GCancellable *cancellable,
                   SrHttpCallback callback, gpointer user_data);

/* called with each piece of a 2xx body as it arrives; FALSE stops the transfer, and its
 * callback then reports SR_ERROR_CANCELLED. It runs from the main loop outside libcurl, so it
 * may cancel, start other transfers or free the SrHttp. Pieces are cut where the network cut
 * them: an event may span several, and one piece may hold several events */
typedef gboolean (*SrHttpDataFunc)(const char *data, gsize len, gpointer user_data);

/* a long-lived transfer whose body is not collected (server-sent events): every piece of a 2xx
 * body goes to @data as it arrives, from the main loop. request->timeout_ms is not a total time
 * but an idle time: no byte for that long ends the transfer with SR_ERROR_TIMEOUT (0: the
 * default); max_size is ignored. A non-2xx answer is an error as with sr_http_fetch(), and
 * @data is never called for it. @callback runs exactly once at the end, with body NULL: an end
 * of the body by the server is success, with the status it sent. */
void sr_http_stream(SrHttp *http, const SrHttpRequest *request, GCancellable *cancellable,
                    SrHttpDataFunc data, SrHttpCallback callback, gpointer user_data);

/* number of transfers not yet completed */
guint sr_http_get_pending(SrHttp *http);

/* new TCP connections made so far (for tests and benchmarks of connection reuse) */
guint sr_http_get_connections(SrHttp *http);

/* checks a URL against the scheme policy: https anywhere, http only to loopback */
gboolean sr_http_check_url(const char *url, GError **error);

/* checks a proxy URL: scheme http, https, socks4, socks4a, socks5 or socks5h, a host, an optional
 * port and user info, nothing else; the error never repeats the URL. *@has_password (may be NULL)
 * says whether it carries a password, which makes it a secret */
gboolean sr_http_check_proxy(const char *proxy, gboolean *has_password, GError **error);

/* a proxy URL fit for messages: "scheme://host:port" without user, password or anything else */
char *sr_http_proxy_redact(const char *proxy);

/* backoff delay in seconds for the @attempt-th failure in a row (1-based): exponential from @base,
 * capped at @max, with +-25 % jitter; a Retry-After (>= 0) wins when it is longer */
gdouble sr_backoff_delay(guint attempt, gdouble base, gdouble max, gint64 retry_after);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrHttp, sr_http_free)

G_END_DECLS
