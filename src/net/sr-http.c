/* sr-http.c - the one HTTP client: libcurl multi-socket driven by the GLib main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-http"

#include "config.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "sirena/error.h"
#include "sirena/http.h"
#include "sr-i18n.h"

/*
 * How it works: one CURLM per SrHttp. libcurl tells us which sockets to watch
 * (CURLMOPT_SOCKETFUNCTION: one GSource per socket) and when to wake it up
 * (CURLMOPT_TIMERFUNCTION: one non-repeating timer source, replaced on every update, removed
 * on -1). Both GSources run on the SrHttp's GMainContext and call curl_multi_socket_action();
 * after each call the finished transfers are drained with curl_multi_info_read(). Easy handles
 * are created per fetch and cleaned up when it ends; the connections stay in the multi's cache,
 * so polls reuse them.
 *
 * Callbacks: every sr_http_fetch() calls back exactly once from the main context, never from
 * inside sr_http_fetch() itself (early failures go through an idle source). Cancellation goes
 * through a GCancellable source on the same context, so g_cancellable_cancel() may be called
 * from any thread. sr_http_free() with transfers pending delivers their callbacks (with
 * SR_ERROR_CANCELLED, or the early failure they already had) synchronously before it returns;
 * it may be called from inside a callback, then the rest of the teardown waits until that
 * callback has returned.
 */

#define SR_HTTP_MAX_REDIRECTS     3L
#define SR_HTTP_MAX_CONNECTS      8L
#define SR_HTTP_POOL_MAX          8u
#define SR_HTTP_URL_CACHE_MAX     64u
#define SR_HTTP_EXCERPT_MAX       80
#define SR_HTTP_ERROR_BODY_KEEP   1024
#define SR_HTTP_RETRY_AFTER_LIMIT (7 * 24 * 3600)
#define SR_HTTP_NOPROXY           "127.0.0.0/8,localhost,::1"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CURLU, curl_url_cleanup)
typedef char SrCurlStr;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrCurlStr, curl_free)

typedef struct _SrHttpTransfer SrHttpTransfer;

struct _SrHttp {
	GMainContext *context;
	char *user_agent;
	CURLM *multi;
	GHashTable *sockets;      /* fd -> SrHttpSocket (a GSource), owned */
	GSource *timer;           /* the one libcurl timer, armed or not */
	GHashTable *transfers;    /* set of SrHttpTransfer, owned */
	GQueue stream_queue;      /* streams with pieces to hand over (links in the transfers) */
	GPtrArray *easy_pool;     /* idle easy handles (CURL *), owned */
	GHashTable *url_verdicts; /* URL -> SrHttpUrlVerdict: accepted by the policy */
	gboolean verbose;         /* SIRENA_CURL_VERBOSE */
	guint connections;        /* new connections, summed over finished transfers */
	guint busy;               /* depth of our main-loop dispatch functions */
	gboolean freeing;
	gboolean dead; /* freed from inside a callback: destroy when busy drops to 0 */
};

typedef struct {
	GSource source;
	SrHttp *http;
	curl_socket_t fd;
	gpointer tag;
} SrHttpSocket;

struct _SrHttpTransfer {
	SrHttp *http;
	CURL *easy;
	gboolean in_multi;
	struct curl_slist *headers;
	char *host;              /* for messages: never the full URL, which may carry a token */
	char *proxy_display;     /* the configured proxy as "scheme://host:port", or NULL */
	char *proxy_password;    /* its password, decoded, only to keep it out of curl's trace */
	char *secret;            /* the request's token: kept out of every message */
	gboolean proxy_user_set; /* the proxy URL names a user */
	gboolean plain_http_ok;
	gsize max_size;
	guint timeout_ms;
	guint connect_timeout_ms;
	char errbuf[CURL_ERROR_SIZE];

	/* the current response of a redirect chain, reset on every status line */
	guint status;
	GByteArray *body;
	gsize body_seen;
	char *etag;
	char *last_modified;
	gint64 retry_after;
	gboolean too_large;
	gboolean insecure_redirect; /* a Location the URL policy refuses */
	gboolean insecure_address;  /* plain http about to go to a non-loopback address */

	/* streams: pieces of a 2xx body wait here until libcurl has returned, so that the data
	 * func may do anything (cancel, free the SrHttp, start transfers) */
	SrHttpDataFunc data_func;
	GByteArray *pending;
	GList pending_link; /* in http->stream_queue when queued */
	gboolean queued;
	gboolean in_data_func;
	gboolean zombie; /* freed during its data func: the struct goes once that returns */
	gboolean error_body_full;
	gint64 last_activity; /* monotonic time of the last byte received */
	GSource *idle_source;

	GError *error; /* a failure found before curl ever ran */
	GCancellable *cancellable;
	GSource *cancel_source;
	GSource *early_source;
	SrHttpCallback callback;
	gpointer user_data;
};

static void sr_http_destroy(SrHttp *http);
static void sr_http_easy_give_back(SrHttp *http, CURL *easy);

static gpointer
sr_http_global_init_cb(gpointer data)
{
	return GINT_TO_POINTER(curl_global_init(CURL_GLOBAL_DEFAULT));
}

static gboolean
sr_http_global_init(void)
{
	static GOnce once = G_ONCE_INIT;
	g_once(&once, sr_http_global_init_cb, NULL);
	return GPOINTER_TO_INT(once.retval) == CURLE_OK;
}

/* URL policy */

/* "localhost", or an IPv4 address in 127.0.0.0/8, or ::1 (bracketed or not); called for every
 * request, so without a GInetAddress */
static gboolean
sr_http_host_is_loopback(const char *host)
{
	char bare[INET6_ADDRSTRLEN];
	const char *start = host;
	gsize len = strlen(host);
	struct in_addr v4;
	struct in6_addr v6;

	if (g_ascii_strcasecmp(host, "localhost") == 0)
		return TRUE;
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
		/* a zone id ("fe80::1%eth0") never makes an address loopback */
		const char *zone = memchr(host + 1, '%', len - 2);
		start = host + 1;
		len = zone != NULL ? (gsize)(zone - start) : len - 2;
	}
	if (len >= sizeof(bare))
		return FALSE;
	memcpy(bare, start, len);
	bare[len] = '\0';
	if (inet_pton(AF_INET, bare, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, bare, &v6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&v6);
	return FALSE;
}

/* splits @url into its scheme and host; the error never repeats the URL */
static gboolean
sr_http_parse_url(const char *url, char **scheme, char **host, GError **error)
{
	g_autoptr(CURLU) u = curl_url();
	g_autoptr(SrCurlStr) scheme_str = NULL;
	g_autoptr(SrCurlStr) host_str = NULL;

	if (u == NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_FAILED, _("out of memory"));
		return FALSE;
	}
	if (url == NULL ||
	    curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme_str, 0) != CURLUE_OK) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT, _("invalid URL"));
		return FALSE;
	}
	/* a file: URL has no host: *@host is then "" */
	if (curl_url_get(u, CURLUPART_HOST, &host_str, 0) != CURLUE_OK)
		host_str = NULL;
	*scheme = g_ascii_strdown(scheme_str, -1);
	*host = g_strdup(host_str != NULL ? host_str : "");
	return TRUE;
}

/* the policy itself; *@plain_http_ok says whether http (not only https) may be used */
static gboolean
sr_http_check_url_full(const char *url, char **host_out, gboolean *plain_http_ok, GError **error)
{
	g_autofree char *scheme = NULL;
	g_autofree char *host = NULL;
	gboolean loopback;

	if (!sr_http_parse_url(url, &scheme, &host, error))
		return FALSE;
	loopback = sr_http_host_is_loopback(host);
	if (g_strcmp0(scheme, "https") != 0 && g_strcmp0(scheme, "http") != 0) {
		g_set_error(error, SR_ERROR, SR_ERROR_INSECURE,
		            _("URL scheme not allowed: '%s' (for '%s'); use https"), scheme, host);
		return FALSE;
	}
	if (host[0] == '\0') {
		g_set_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT,
		            _("invalid %s URL: no host"), scheme);
		return FALSE;
	}
	if (g_strcmp0(scheme, "http") == 0 && !loopback) {
		g_set_error(error, SR_ERROR, SR_ERROR_INSECURE,
		            _("plain http is only allowed to loopback, not to '%s'; use https"),
		            host);
		return FALSE;
	}
	if (plain_http_ok != NULL)
		*plain_http_ok = loopback;
	if (host_out != NULL)
		*host_out = g_steal_pointer(&host);
	return TRUE;
}

gboolean
sr_http_check_url(const char *url, GError **error)
{
	return sr_http_check_url_full(url, NULL, NULL, error);
}

typedef struct {
	char *host;
	gboolean plain_http_ok;
} SrHttpUrlVerdict;

static void
sr_http_url_verdict_free(gpointer data)
{
	SrHttpUrlVerdict *verdict = data;
	g_free(verdict->host);
	g_free(verdict);
}

/* sr_http_check_url_full() for a request: a poller asks for the same few URLs over and over, so
 * the verdicts on accepted URLs are kept (the policy is a function of the string alone) */
static gboolean
sr_http_check_url_cached(SrHttp *http, const char *url, char **host_out, gboolean *plain_http_ok,
                         GError **error)
{
	SrHttpUrlVerdict *verdict =
	    url != NULL ? g_hash_table_lookup(http->url_verdicts, url) : NULL;

	if (verdict == NULL) {
		g_autofree char *host = NULL;
		gboolean plain = FALSE;

		if (!sr_http_check_url_full(url, &host, &plain, error))
			return FALSE;
		if (g_hash_table_size(http->url_verdicts) >= SR_HTTP_URL_CACHE_MAX)
			g_hash_table_remove_all(http->url_verdicts);
		verdict = g_new0(SrHttpUrlVerdict, 1);
		verdict->host = g_steal_pointer(&host);
		verdict->plain_http_ok = plain;
		g_hash_table_insert(http->url_verdicts, g_strdup(url), verdict);
	}
	*host_out = g_strdup(verdict->host);
	*plain_http_ok = verdict->plain_http_ok;
	return TRUE;
}

/* scheme://host:port/path, without user info, query or fragment: for debug messages */
static char *
sr_http_url_for_log(const char *url)
{
	g_autoptr(CURLU) u = curl_url();
	g_autoptr(SrCurlStr) str = NULL;

	if (u == NULL || curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
		return g_strdup("(invalid URL)");
	curl_url_set(u, CURLUPART_USER, NULL, 0);
	curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
	curl_url_set(u, CURLUPART_OPTIONS, NULL, 0);
	curl_url_set(u, CURLUPART_QUERY, NULL, 0);
	curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
	if (curl_url_get(u, CURLUPART_URL, &str, 0) != CURLUE_OK)
		return g_strdup("(invalid URL)");
	return g_strdup(str);
}

/* proxies */

static const char *const sr_http_proxy_schemes[] = {"http",   "https",   "socks4", "socks4a",
                                                    "socks5", "socks5h", NULL};

/* the parts of a proxy URL Sirena accepts; every out parameter may be NULL, and the error never
 * repeats the URL, whose user info is a secret */
static gboolean
sr_http_proxy_parse(const char *proxy, char **display, char **user, char **password, GError **error)
{
	g_autoptr(CURLU) u = curl_url();
	g_autoptr(SrCurlStr) scheme_str = NULL;
	g_autoptr(SrCurlStr) host_str = NULL;
	g_autoptr(SrCurlStr) port_str = NULL;
	g_autoptr(SrCurlStr) path_str = NULL;
	g_autoptr(SrCurlStr) query_str = NULL;
	g_autoptr(SrCurlStr) fragment_str = NULL;
	g_autoptr(SrCurlStr) user_str = NULL;
	g_autoptr(SrCurlStr) password_str = NULL;
	g_autofree char *scheme = NULL;

	if (u == NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_FAILED, _("out of memory"));
		return FALSE;
	}
	/* without a scheme curl would guess http, and "host:3128" parses as the scheme "host" */
	if (proxy == NULL || strstr(proxy, "://") == NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT,
		                    _("the proxy URL needs a scheme, as in http://HOST:PORT"));
		return FALSE;
	}
	if (curl_url_set(u, CURLUPART_URL, proxy, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme_str, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host_str, 0) != CURLUE_OK || host_str[0] == '\0') {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT,
		                    _("invalid proxy URL"));
		return FALSE;
	}
	scheme = g_ascii_strdown(scheme_str, -1);
	if (!g_strv_contains(sr_http_proxy_schemes, scheme)) {
		g_set_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT,
		            _("proxy scheme not allowed: '%s' (use http, https, socks4, socks4a, "
		              "socks5 or socks5h)"),
		            scheme);
		return FALSE;
	}
	/* curl ignores these; a person who wrote them meant something else */
	if ((curl_url_get(u, CURLUPART_PATH, &path_str, 0) == CURLUE_OK &&
	     g_strcmp0(path_str, "/") != 0 && g_strcmp0(path_str, "") != 0) ||
	    curl_url_get(u, CURLUPART_QUERY, &query_str, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &fragment_str, 0) == CURLUE_OK) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT,
		                    _("a proxy URL may not have a path, query or fragment"));
		return FALSE;
	}
	if (display != NULL) {
		if (curl_url_get(u, CURLUPART_PORT, &port_str, 0) == CURLUE_OK)
			*display = g_strdup_printf("%s://%s:%s", scheme, host_str, port_str);
		else
			*display = g_strdup_printf("%s://%s", scheme, host_str);
	}
	if (user != NULL &&
	    curl_url_get(u, CURLUPART_USER, &user_str, CURLU_URLDECODE) == CURLUE_OK)
		*user = g_strdup(user_str);
	if (password != NULL &&
	    curl_url_get(u, CURLUPART_PASSWORD, &password_str, CURLU_URLDECODE) == CURLUE_OK &&
	    password_str[0] != '\0')
		*password = g_strdup(password_str);
	if (password_str != NULL)
		memset(password_str, 0, strlen(password_str));
	return TRUE;
}

gboolean
sr_http_check_proxy(const char *proxy, gboolean *has_password, GError **error)
{
	g_autofree char *password = NULL;

	if (!sr_http_proxy_parse(proxy, NULL, NULL, &password, error))
		return FALSE;
	if (has_password != NULL)
		*has_password = password != NULL;
	if (password != NULL)
		memset(password, 0, strlen(password));
	return TRUE;
}

char *
sr_http_proxy_redact(const char *proxy)
{
	char *display = NULL;

	if (!sr_http_proxy_parse(proxy, &display, NULL, NULL, NULL))
		return g_strdup("(invalid proxy URL)");
	return display;
}

/* FALSE when @text (@len bytes, or up to a NUL) holds the proxy password */
static gboolean
sr_http_transfer_text_is_safe(SrHttpTransfer *transfer, const char *text, gssize len)
{
	return transfer->proxy_password == NULL ||
	       g_strstr_len(text, len, transfer->proxy_password) == NULL;
}

/* transfers */

static void
sr_http_transfer_free(SrHttpTransfer *transfer)
{
	if (transfer->easy != NULL) {
		if (transfer->in_multi)
			curl_multi_remove_handle(transfer->http->multi, transfer->easy);
		transfer->in_multi = FALSE;
		sr_http_easy_give_back(transfer->http, g_steal_pointer(&transfer->easy));
	}
	g_clear_pointer(&transfer->headers, curl_slist_free_all);
	if (transfer->queued) {
		g_queue_unlink(&transfer->http->stream_queue, &transfer->pending_link);
		transfer->queued = FALSE;
	}
	g_clear_pointer(&transfer->pending, g_byte_array_unref);
	if (transfer->idle_source != NULL) {
		g_source_destroy(transfer->idle_source);
		g_clear_pointer(&transfer->idle_source, g_source_unref);
	}
	if (transfer->cancel_source != NULL) {
		g_source_destroy(transfer->cancel_source);
		g_clear_pointer(&transfer->cancel_source, g_source_unref);
	}
	if (transfer->early_source != NULL) {
		g_source_destroy(transfer->early_source);
		g_clear_pointer(&transfer->early_source, g_source_unref);
	}
	g_clear_object(&transfer->cancellable);
	g_clear_error(&transfer->error);
	g_clear_pointer(&transfer->body, g_byte_array_unref);
	g_clear_pointer(&transfer->etag, g_free);
	g_clear_pointer(&transfer->last_modified, g_free);
	g_clear_pointer(&transfer->host, g_free);
	g_clear_pointer(&transfer->proxy_display, g_free);
	if (transfer->secret != NULL) {
		memset(transfer->secret, 0, strlen(transfer->secret));
		g_clear_pointer(&transfer->secret, g_free);
	}
	if (transfer->proxy_password != NULL) {
		/* secrets do not linger in freed memory */
		memset(transfer->proxy_password, 0, strlen(transfer->proxy_password));
		g_clear_pointer(&transfer->proxy_password, g_free);
	}
	/* its data func is still running: the dispatcher frees the struct once it returns */
	if (transfer->in_data_func)
		transfer->zombie = TRUE;
	else
		g_free(transfer);
}

/* takes the transfer out of the multi and the pending set, calls back, frees everything */
static void
sr_http_transfer_deliver(SrHttpTransfer *transfer, SrHttpResult *result)
{
	SrHttp *http = transfer->http;

	if (transfer->easy != NULL) {
		long connects = 0;
		CURLcode rc = curl_easy_getinfo(transfer->easy, CURLINFO_NUM_CONNECTS, &connects);
		if (rc == CURLE_OK && connects > 0)
			http->connections += (guint)connects;
		if (transfer->in_multi) {
			curl_multi_remove_handle(http->multi, transfer->easy);
			transfer->in_multi = FALSE;
		}
	}
	g_hash_table_remove(http->transfers, transfer);
	if (result->error != NULL)
		g_debug("transfer failed: %s", result->error->message);
	transfer->callback(result, transfer->user_data);

	g_clear_error(&result->error);
	g_clear_pointer(&result->body, g_bytes_unref);
	g_clear_pointer(&result->etag, g_free);
	g_clear_pointer(&result->last_modified, g_free);
	sr_http_transfer_free(transfer);
}

/* for transfers that end without a usable curl result: cancelled or failed early */
static void
sr_http_transfer_fail(SrHttpTransfer *transfer, GError *error)
{
	SrHttpResult result = {.retry_after = -1};

	result.error = error;
	if (transfer->easy != NULL) {
		double total = 0;
		if (curl_easy_getinfo(transfer->easy, CURLINFO_TOTAL_TIME, &total) == CURLE_OK)
			result.total_time = total;
		result.status = transfer->status;
		result.retry_after = transfer->retry_after;
	}
	sr_http_transfer_deliver(transfer, &result);
}

static void
sr_http_transfer_fail_cancelled(SrHttpTransfer *transfer)
{
	sr_http_transfer_fail(transfer, g_error_new_literal(SR_ERROR, SR_ERROR_CANCELLED,
	                                                    _("the transfer was cancelled")));
}

/* keeps the SrHttp alive while one of our dispatch functions runs */
static void
sr_http_hold(SrHttp *http)
{
	http->busy++;
}

static void
sr_http_release(SrHttp *http)
{
	http->busy--;
	if (http->busy == 0 && http->dead)
		sr_http_destroy(http);
}

/* response headers and body */

static gint64
sr_http_parse_retry_after(const char *value)
{
	gint64 now;
	time_t when;

	if (g_ascii_isdigit(value[0])) {
		guint64 seconds = 0;
		for (const char *p = value; *p != '\0'; p++) {
			if (!g_ascii_isdigit(*p))
				return -1;
			seconds = MIN(seconds * 10 + (guint64)(*p - '0'),
			              (guint64)SR_HTTP_RETRY_AFTER_LIMIT);
		}
		return (gint64)seconds;
	}
	when = curl_getdate(value, NULL);
	if (when == (time_t)-1)
		return -1;
	now = g_get_real_time() / G_USEC_PER_SEC;
	return CLAMP((gint64)when - now, 0, SR_HTTP_RETRY_AFTER_LIMIT);
}

/* a 3xx Location must obey the same policy as the first URL, checked before curl follows it */
static gboolean
sr_http_transfer_check_location(SrHttpTransfer *transfer, const char *location)
{
	g_autoptr(CURLU) u = curl_url();
	g_autoptr(SrCurlStr) target = NULL;
	g_autoptr(GError) error = NULL;
	char *current = NULL;

	if (u == NULL)
		return FALSE;
	if (curl_easy_getinfo(transfer->easy, CURLINFO_EFFECTIVE_URL, &current) != CURLE_OK ||
	    current == NULL || curl_url_set(u, CURLUPART_URL, current, 0) != CURLUE_OK)
		return FALSE;
	/* a relative reference is resolved against the current URL */
	if (curl_url_set(u, CURLUPART_URL, location, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &target, 0) != CURLUE_OK) {
		g_debug("redirect to an invalid URL from %s", transfer->host);
		return FALSE;
	}
	if (!sr_http_check_url(target, &error)) {
		g_debug("redirect refused: %s", error->message);
		return FALSE;
	}
	return TRUE;
}

static void
sr_http_transfer_reset_response(SrHttpTransfer *transfer)
{
	transfer->status = 0;
	transfer->body_seen = 0;
	g_byte_array_set_size(transfer->body, 0);
	g_clear_pointer(&transfer->etag, g_free);
	g_clear_pointer(&transfer->last_modified, g_free);
	transfer->retry_after = -1;
}

static size_t
sr_http_header_cb(char *buffer, size_t size, size_t nitems, void *userdata)
{
	SrHttpTransfer *transfer = userdata;
	gsize len = size * nitems;
	g_autofree char *line = g_strndup(buffer, len);
	char *colon;
	const char *name;
	const char *value;

	if (transfer->data_func != NULL)
		transfer->last_activity = g_get_monotonic_time();
	g_strchomp(line);
	if (g_str_has_prefix(line, "HTTP/")) {
		/* a new response of the chain (a redirect, a 100 Continue, the final one) */
		const char *code = strchr(line, ' ');
		sr_http_transfer_reset_response(transfer);
		if (code != NULL)
			transfer->status = (guint)g_ascii_strtoull(code + 1, NULL, 10);
		return len;
	}
	colon = strchr(line, ':');
	if (colon == NULL)
		return len;
	*colon = '\0';
	name = g_strstrip(line);
	value = g_strstrip(colon + 1);
	if (g_ascii_strcasecmp(name, "ETag") == 0) {
		g_free(transfer->etag);
		transfer->etag = g_strdup(value);
	} else if (g_ascii_strcasecmp(name, "Last-Modified") == 0) {
		g_free(transfer->last_modified);
		transfer->last_modified = g_strdup(value);
	} else if (g_ascii_strcasecmp(name, "Retry-After") == 0) {
		transfer->retry_after = sr_http_parse_retry_after(value);
	} else if (g_ascii_strcasecmp(name, "Content-Length") == 0) {
		guint64 length = g_ascii_strtoull(value, NULL, 10);
		/* refuse an announced oversized body before any of it arrives */
		if (transfer->data_func == NULL && transfer->status >= 200 &&
		    transfer->status < 300 && length > transfer->max_size) {
			transfer->too_large = TRUE;
			return 0;
		}
	} else if (g_ascii_strcasecmp(name, "Location") == 0 && transfer->status >= 300 &&
	           transfer->status < 400 && transfer->status != 304) {
		if (value[0] != '\0' && !sr_http_transfer_check_location(transfer, value)) {
			transfer->insecure_redirect = TRUE;
			return 0;
		}
	}
	return len;
}

/* a stream's piece waits for libcurl to return (see sr_http_flush_streams); an error body is
 * kept for the message as a fetch's is, and ends the transfer once the excerpt has enough */
static size_t
sr_http_stream_write(SrHttpTransfer *transfer, const char *ptr, gsize len, gboolean success)
{
	SrHttp *http = transfer->http;

	transfer->last_activity = g_get_monotonic_time();
	if (success) {
		if (len > G_MAXUINT - (transfer->pending != NULL ? transfer->pending->len : 0))
			return 0;
		if (transfer->pending == NULL)
			transfer->pending = g_byte_array_sized_new((guint)MAX(len, 4096));
		g_byte_array_append(transfer->pending, (const guint8 *)ptr, (guint)len);
		if (!transfer->queued) {
			transfer->pending_link.data = transfer;
			g_queue_push_tail_link(&http->stream_queue, &transfer->pending_link);
			transfer->queued = TRUE;
		}
		return len;
	}
	if (transfer->body->len < SR_HTTP_ERROR_BODY_KEEP) {
		gsize keep = MIN(len, SR_HTTP_ERROR_BODY_KEEP - transfer->body->len);
		g_byte_array_append(transfer->body, (const guint8 *)ptr, (guint)keep);
	}
	if (transfer->body->len >= SR_HTTP_ERROR_BODY_KEEP) {
		/* an error answer that streams on must not hold the transfer open */
		transfer->error_body_full = TRUE;
		return 0;
	}
	return len;
}

static size_t
sr_http_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	SrHttpTransfer *transfer = userdata;
	gsize len = size * nmemb;
	gboolean success = transfer->status >= 200 && transfer->status < 300;

	if (transfer->data_func != NULL)
		return sr_http_stream_write(transfer, ptr, len, success);
	if (len > transfer->max_size || transfer->body_seen > transfer->max_size - len) {
		/* never buffer more than the cap: abort the transfer here */
		transfer->too_large = TRUE;
		return 0;
	}
	transfer->body_seen += len;
	if (success) {
		g_byte_array_append(transfer->body, (const guint8 *)ptr, (guint)len);
	} else if (transfer->body->len < SR_HTTP_ERROR_BODY_KEEP) {
		/* an error body is only kept for a short excerpt in the message */
		gsize keep = MIN(len, SR_HTTP_ERROR_BODY_KEEP - transfer->body->len);
		g_byte_array_append(transfer->body, (const guint8 *)ptr, (guint)keep);
	}
	return len;
}

/* whether @url (one curl accepted) is https; the scheme is what stands before the first ':',
 * so the prefix decides without a parse, which every request would pay */
static gboolean
sr_http_url_is_https(const char *url)
{
	g_autofree char *scheme = NULL;
	g_autofree char *host = NULL;

	if (g_ascii_strncasecmp(url, "https:", 6) == 0)
		return TRUE;
	if (g_ascii_strncasecmp(url, "http:", 5) == 0)
		return FALSE;
	return sr_http_parse_url(url, &scheme, &host, NULL) && g_strcmp0(scheme, "https") == 0;
}

/* plain http only ever goes to a loopback address, whatever the name resolved to */
static int
sr_http_prereq_cb(void *clientp, char *conn_primary_ip, char *conn_local_ip, int conn_primary_port,
                  int conn_local_port)
{
	SrHttpTransfer *transfer = clientp;
	char *url = NULL;

	if (curl_easy_getinfo(transfer->easy, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK &&
	    url != NULL && sr_http_url_is_https(url))
		return CURL_PREREQFUNC_OK;
	if (transfer->plain_http_ok && conn_primary_ip != NULL &&
	    sr_http_host_is_loopback(conn_primary_ip))
		return CURL_PREREQFUNC_OK;
	transfer->insecure_address = TRUE;
	return CURL_PREREQFUNC_ABORT;
}

/* SIRENA_CURL_VERBOSE: curl's trace, but never the request headers (they carry tokens and
 * proxy credentials) nor a line that holds the proxy password */
static int
sr_http_debug_cb(CURL *easy, curl_infotype type, char *data, size_t size, void *userptr)
{
	SrHttpTransfer *transfer = userptr;

	switch (type) {
	case CURLINFO_TEXT:
		/* "Proxy auth using Basic with user '...'": the user is half the credentials */
		if (sr_http_transfer_text_is_safe(transfer, data, (gssize)size) &&
		    !(size >= 16 && strncmp(data, "Proxy auth using", 16) == 0))
			fprintf(stderr, "* %.*s", (int)size, data);
		else
			fprintf(stderr, "* (a line about the proxy credentials not shown)\n");
		break;
	case CURLINFO_HEADER_IN:
		fprintf(stderr, "< %.*s", (int)size, data);
		break;
	case CURLINFO_HEADER_OUT:
		fprintf(stderr, "> (request headers not shown)\n");
		break;
	default:
		break;
	}
	return 0;
}

static gboolean
sr_http_header_is_safe(const char *header)
{
	/* a CR or LF would smuggle extra header lines into the request */
	return strpbrk(header, "\r\n") == NULL;
}

static gboolean
sr_http_append_header(struct curl_slist **list, const char *header)
{
	struct curl_slist *tmp;

	if (!sr_http_header_is_safe(header)) {
		g_warning("request header with a line break dropped");
		return TRUE;
	}
	tmp = curl_slist_append(*list, header);
	if (tmp == NULL)
		return FALSE;
	*list = tmp;
	return TRUE;
}

/* what messages and the trace need to know of the request's proxy */
static gboolean
sr_http_transfer_set_proxy(SrHttpTransfer *transfer, const char *proxy, GError **error)
{
	g_autofree char *user = NULL;

	if (proxy == NULL)
		return TRUE;
	if (!sr_http_proxy_parse(proxy, &transfer->proxy_display, &user, &transfer->proxy_password,
	                         error))
		return FALSE;
	transfer->proxy_user_set = user != NULL && user[0] != '\0';
	return TRUE;
}

/* a new easy handle with the options every transfer shares; the per-request ones are all set
 * by sr_http_transfer_setup() */
static CURL *
sr_http_easy_new(SrHttp *http)
{
	CURL *easy = curl_easy_init();
	gboolean ok = easy != NULL;

	ok = ok && curl_easy_setopt(easy, CURLOPT_USERAGENT, http->user_agent) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_MAXREDIRS, SR_HTTP_MAX_REDIRECTS) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK;
	/* only used with an https proxy */
	ok = ok && curl_easy_setopt(easy, CURLOPT_PROXY_SSL_VERIFYPEER, 1L) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_PROXY_SSL_VERIFYHOST, 2L) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "") == CURLE_OK;
	ok = ok &&
	     curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, sr_http_header_cb) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, sr_http_write_cb) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, sr_http_prereq_cb) == CURLE_OK;
	if (http->verbose) {
		ok = ok &&
		     curl_easy_setopt(easy, CURLOPT_DEBUGFUNCTION, sr_http_debug_cb) == CURLE_OK;
		ok = ok && curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L) == CURLE_OK;
	}
	if (!ok && easy != NULL)
		g_clear_pointer(&easy, curl_easy_cleanup);
	return easy;
}

/* an easy handle from the pool, or a new one */
static CURL *
sr_http_easy_take(SrHttp *http)
{
	if (http->easy_pool->len > 0)
		return g_ptr_array_steal_index_fast(http->easy_pool, http->easy_pool->len - 1);
	return sr_http_easy_new(http);
}

/* back to the pool, with nothing left pointing at the transfer that used it; the request's
 * own options are all set again by the next sr_http_transfer_setup() */
static void
sr_http_easy_give_back(SrHttp *http, CURL *easy)
{
	if (http->easy_pool->len >= SR_HTTP_POOL_MAX) {
		curl_easy_cleanup(easy);
		return;
	}
	curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(easy, CURLOPT_HEADERDATA, NULL);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, NULL);
	curl_easy_setopt(easy, CURLOPT_PREREQDATA, NULL);
	curl_easy_setopt(easy, CURLOPT_DEBUGDATA, NULL);
	/* it may carry credentials */
	curl_easy_setopt(easy, CURLOPT_PROXY, NULL);
	g_ptr_array_add(http->easy_pool, easy);
}

/* the one place a request's options are set: every option that may differ between requests is
 * set here every time, to its default when the request does not use it, so nothing of a
 * previous request on the same (pooled) handle carries over */
static gboolean
sr_http_transfer_setup(SrHttpTransfer *transfer, const SrHttpRequest *request, GError **error)
{
	SrHttp *http = transfer->http;
	const char *protocols = transfer->plain_http_ok ? "http,https" : "https";
	const char *proxy = NULL;
	gboolean ok = TRUE;
	CURL *easy;

	easy = sr_http_easy_take(http);
	if (easy == NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_FAILED,
		                    _("cannot create a transfer"));
		return FALSE;
	}
	transfer->easy = easy;

	if (request->headers != NULL) {
		for (guint i = 0; ok && request->headers[i] != NULL; i++)
			ok = sr_http_append_header(&transfer->headers, request->headers[i]);
	}
	if (ok && request->if_modified_since != NULL && request->if_modified_since[0] != '\0') {
		g_autofree char *header =
		    g_strconcat("If-Modified-Since: ", request->if_modified_since, NULL);
		ok = sr_http_append_header(&transfer->headers, header);
	}
	if (ok && request->if_none_match != NULL && request->if_none_match[0] != '\0') {
		g_autofree char *header =
		    g_strconcat("If-None-Match: ", request->if_none_match, NULL);
		ok = sr_http_append_header(&transfer->headers, header);
	}

	if (request->proxy != NULL) {
		/* a configured proxy carries every request of the source, loopback too: a no_proxy
		 * in the environment must not send a source its user routed elsewhere straight to
		 * the origin. The URL goes to curl whole: only curl's URL parser applies its user
		 * info to socks proxies as well as to http ones */
		proxy = request->proxy;
	} else if (transfer->plain_http_ok) {
		/* loopback never goes through a proxy, whatever the environment says */
		proxy = "";
	}
	ok = ok && curl_easy_setopt(easy, CURLOPT_URL, request->url) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->errbuf) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_PREREQDATA, transfer) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_DEBUGDATA, transfer) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, protocols) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, protocols) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
	                            (long)transfer->connect_timeout_ms) == CURLE_OK;
	/* a stream has no total time: its idle timer (sr_http_idle_dispatch) watches it */
	ok = ok && curl_easy_setopt(
	               easy, CURLOPT_TIMEOUT_MS,
	               transfer->data_func != NULL ? 0L : (long)transfer->timeout_ms) == CURLE_OK;
	/* wait for a connection being set up rather than open another, when it might multiplex;
	 * only TLS can negotiate HTTP/2 here, and a plain http connection would only be known
	 * not to multiplex once its first answer arrived (a hung one would block the rest) */
	ok = ok && curl_easy_setopt(easy, CURLOPT_PIPEWAIT, transfer->plain_http_ok ? 0L : 1L) ==
	               CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_PROXY, proxy) == CURLE_OK;
	ok = ok && curl_easy_setopt(easy, CURLOPT_NOPROXY,
	                            request->proxy != NULL ? "" : SR_HTTP_NOPROXY) == CURLE_OK;
	/* the proxy's answer to CONNECT is not the origin's response */
	ok = ok && curl_easy_setopt(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS,
	                            request->proxy != NULL ? 1L : 0L) == CURLE_OK;
	if (!ok) {
		/* half set up: not fit for the pool */
		g_clear_pointer(&transfer->easy, curl_easy_cleanup);
		g_set_error_literal(error, SR_ERROR, SR_ERROR_FAILED,
		                    _("cannot set up a transfer: libcurl lacks a required option"));
		return FALSE;
	}
	return TRUE;
}

/* classification */

static char *
sr_http_excerpt(const guint8 *data, gsize len)
{
	GString *str = g_string_new(NULL);
	gboolean space = FALSE;

	for (gsize i = 0; i < len && str->len < SR_HTTP_EXCERPT_MAX; i++) {
		char c = (char)data[i];
		if (c == ' ' || !g_ascii_isprint(c)) {
			space = TRUE;
			continue;
		}
		if (space && str->len > 0 && str->len < SR_HTTP_EXCERPT_MAX - 1)
			g_string_append_c(str, ' ');
		space = FALSE;
		g_string_append_c(str, c);
	}
	return g_string_free(str, FALSE);
}

static gboolean
sr_http_text_has(const GByteArray *body, const char *secret)
{
	gsize n = secret != NULL ? strlen(secret) : 0;
	if (n == 0 || body->len < n)
		return FALSE;
	for (gsize i = 0; i + n <= body->len; i++) {
		if (memcmp(body->data + i, secret, n) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
sr_http_body_has_secret(SrHttpTransfer *transfer)
{
	return sr_http_text_has(transfer->body, transfer->secret) ||
	       sr_http_text_has(transfer->body, transfer->proxy_password);
}

static char *
sr_http_format_seconds(guint ms)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	return g_strdup(g_ascii_formatd(buf, sizeof(buf), "%g", ms / 1000.0));
}

static GError *
sr_http_status_error(SrHttpTransfer *transfer, const char *host)
{
	guint status = transfer->status;
	gint code = SR_ERROR_HTTP;
	g_autofree char *excerpt = NULL;

	/* a proxy on the way answers an absolute-form request itself */
	if (status == 407 && transfer->proxy_display != NULL)
		return g_error_new(
		    SR_ERROR, SR_ERROR_HTTP,
		    transfer->proxy_user_set
		        ? _("the proxy %s rejected the credentials (HTTP 407) for %s")
		        : _("the proxy %s asks for credentials (HTTP 407) for %s"),
		    transfer->proxy_display, host);
	if (status == 429)
		code = SR_ERROR_THROTTLED;
	else if (status >= 500 && status < 600)
		code = SR_ERROR_SERVER;
	else if (status == 401 || status == 403)
		code = SR_ERROR_AUTH;

	/* no excerpt for auth failures (servers like to echo the rejected token), nor for any
	 * answer that echoes the token or the proxy's password */
	if (code != SR_ERROR_AUTH && !sr_http_body_has_secret(transfer))
		excerpt = sr_http_excerpt(transfer->body->data, transfer->body->len);
	if (excerpt != NULL && excerpt[0] != '\0')
		return g_error_new(SR_ERROR, code, _("HTTP %u from %s: %s"), status, host, excerpt);
	return g_error_new(SR_ERROR, code, _("HTTP %u from %s"), status, host);
}

/* failures that are the proxy's, named as such; NULL for the others */
static GError *
sr_http_proxy_error(SrHttpTransfer *transfer, CURLcode code, const char *host)
{
	const char *proxy = transfer->proxy_display;
	long connect_code = 0;
	long os_errno = 0;
	long proxy_code = 0;

	/* the proxy's answer to CONNECT: it would not open the tunnel to the origin */
	if (curl_easy_getinfo(transfer->easy, CURLINFO_HTTP_CONNECTCODE, &connect_code) ==
	        CURLE_OK &&
	    connect_code >= 300) {
		gint error_code = SR_ERROR_HTTP;
		if (connect_code == 407)
			return g_error_new(
			    SR_ERROR, SR_ERROR_HTTP,
			    transfer->proxy_user_set
			        ? _("the proxy %s rejected the credentials (HTTP 407) for %s")
			        : _("the proxy %s asks for credentials (HTTP 407) for %s"),
			    proxy, host);
		if (connect_code == 429)
			error_code = SR_ERROR_THROTTLED;
		else if (connect_code >= 500 && connect_code < 600)
			error_code = SR_ERROR_SERVER;
		return g_error_new(SR_ERROR, error_code,
		                   _("the proxy %s refused the tunnel to %s: HTTP %ld"), proxy,
		                   host, connect_code);
	}
	switch (code) {
	case CURLE_COULDNT_CONNECT:
		/* with a proxy, the only connection curl opens is the one to the proxy */
		curl_easy_getinfo(transfer->easy, CURLINFO_OS_ERRNO, &os_errno);
		if (os_errno == ECONNREFUSED)
			return g_error_new(SR_ERROR, SR_ERROR_NETWORK,
			                   _("connection refused by the proxy %s (for %s)"), proxy,
			                   host);
		return g_error_new(SR_ERROR, SR_ERROR_NETWORK,
		                   _("cannot connect to the proxy %s (for %s)"), proxy, host);
	case CURLE_COULDNT_RESOLVE_PROXY:
		return g_error_new(SR_ERROR, SR_ERROR_NETWORK,
		                   _("cannot resolve the proxy %s (for %s)"), proxy, host);
	case CURLE_PROXY:
		/* a SOCKS handshake failed, or the SOCKS server could not reach the origin */
		curl_easy_getinfo(transfer->easy, CURLINFO_PROXY_ERROR, &proxy_code);
		return g_error_new(SR_ERROR, SR_ERROR_NETWORK,
		                   _("the proxy %s failed for %s (libcurl proxy error %ld)"), proxy,
		                   host, proxy_code);
	default:
		return NULL;
	}
}

static GError *
sr_http_curl_error(SrHttpTransfer *transfer, CURLcode code, const char *host)
{
	g_autofree char *seconds = NULL;
	long os_errno = 0;
	long request_size = 0;

	if (transfer->too_large)
		return g_error_new(SR_ERROR, SR_ERROR_TOO_LARGE,
		                   _("answer from %s exceeds %lu bytes"), host,
		                   (unsigned long)transfer->max_size);
	if (transfer->insecure_redirect)
		return g_error_new(SR_ERROR, SR_ERROR_INSECURE, _("insecure redirect from %s"),
		                   host);
	if (transfer->insecure_address && transfer->proxy_display != NULL)
		return g_error_new(
		    SR_ERROR, SR_ERROR_INSECURE,
		    _("plain http through a proxy that is not on loopback: %s (for %s)"),
		    transfer->proxy_display, host);
	if (transfer->insecure_address)
		return g_error_new(SR_ERROR, SR_ERROR_INSECURE,
		                   _("plain http to an address that is not loopback: %s"), host);
	if (transfer->proxy_display != NULL) {
		GError *proxy_error = sr_http_proxy_error(transfer, code, host);
		if (proxy_error != NULL)
			return proxy_error;
	}

	switch (code) {
	case CURLE_OPERATION_TIMEDOUT:
		/* nothing sent yet: the connect timeout expired first (a reused connection has
		 * no connect time, so that cannot tell) */
		curl_easy_getinfo(transfer->easy, CURLINFO_REQUEST_SIZE, &request_size);
		if (transfer->data_func != NULL ||
		    (request_size <= 0 && transfer->connect_timeout_ms < transfer->timeout_ms)) {
			seconds = sr_http_format_seconds(transfer->connect_timeout_ms);
			return g_error_new(SR_ERROR, SR_ERROR_TIMEOUT,
			                   _("connect timed out after %s s: %s"), seconds, host);
		}
		seconds = sr_http_format_seconds(transfer->timeout_ms);
		return g_error_new(SR_ERROR, SR_ERROR_TIMEOUT, _("timed out after %s s: %s"),
		                   seconds, host);
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(transfer->easy, CURLINFO_OS_ERRNO, &os_errno);
		if (os_errno == ECONNREFUSED)
			return g_error_new(SR_ERROR, SR_ERROR_NETWORK, _("connection refused: %s"),
			                   host);
		return g_error_new(SR_ERROR, SR_ERROR_NETWORK, _("cannot connect: %s"), host);
	case CURLE_COULDNT_RESOLVE_HOST:
		return g_error_new(SR_ERROR, SR_ERROR_NETWORK, _("cannot resolve host: %s"), host);
	case CURLE_COULDNT_RESOLVE_PROXY:
		return g_error_new(SR_ERROR, SR_ERROR_NETWORK, _("cannot resolve the proxy for %s"),
		                   host);
	case CURLE_GOT_NOTHING:
		return g_error_new(SR_ERROR, SR_ERROR_NETWORK, _("empty reply from %s"), host);
	case CURLE_PARTIAL_FILE:
		return g_error_new(SR_ERROR, SR_ERROR_NETWORK,
		                   _("connection closed mid-answer: %s"), host);
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
		return g_error_new(SR_ERROR, SR_ERROR_NETWORK, _("connection reset: %s"), host);
	case CURLE_SSL_CONNECT_ERROR:
		return g_error_new(SR_ERROR, SR_ERROR_NETWORK, _("TLS handshake failed: %s"), host);
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_HTTP3:
	case CURLE_QUIC_CONNECT_ERROR:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_BAD_CONTENT_ENCODING:
		return g_error_new(SR_ERROR, SR_ERROR_NETWORK, _("broken answer from %s: %s"), host,
		                   curl_easy_strerror(code));
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
		return g_error_new(SR_ERROR, SR_ERROR_INSECURE, _("TLS verification failed: %s"),
		                   host);
	case CURLE_UNSUPPORTED_PROTOCOL:
		return g_error_new(SR_ERROR, SR_ERROR_INSECURE,
		                   _("redirect from %s to a scheme that is not allowed"), host);
	case CURLE_TOO_MANY_REDIRECTS:
		return g_error_new(SR_ERROR, SR_ERROR_HTTP, _("more than %ld redirects from %s"),
		                   SR_HTTP_MAX_REDIRECTS, host);
	default:
		/* curl's own message may quote the URL: debug only, and never the proxy password */
		if (sr_http_transfer_text_is_safe(transfer, transfer->errbuf, -1))
			g_debug("curl error %d: %s", (int)code, transfer->errbuf);
		else
			g_debug("curl error %d (its message names the proxy password)", (int)code);
		return g_error_new(SR_ERROR, SR_ERROR_FAILED, _("transfer failed: %s: %s"), host,
		                   curl_easy_strerror(code));
	}
}

/* the host of the URL the transfer ended on (it may have been redirected) */
static char *
sr_http_transfer_final_host(SrHttpTransfer *transfer)
{
	g_autofree char *scheme = NULL;
	char *host = NULL;
	char *url = NULL;

	if (curl_easy_getinfo(transfer->easy, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK &&
	    url != NULL && sr_http_parse_url(url, &scheme, &host, NULL))
		return host;
	return g_strdup(transfer->host);
}

/* a failure through a proxy may be the proxy's doing: say which way it went */
static void
sr_http_transfer_name_proxy(SrHttpTransfer *transfer, GError *error)
{
	char *message;

	if (error == NULL || transfer->proxy_display == NULL ||
	    g_error_matches(error, SR_ERROR, SR_ERROR_CANCELLED) ||
	    strstr(error->message, transfer->proxy_display) != NULL)
		return;
	message = g_strdup_printf(
	    /* TRANSLATORS: the first %s is an error message, the second a proxy URL */
	    _("%s (via the proxy %s)"), error->message, transfer->proxy_display);
	g_free(error->message);
	error->message = message;
}

static void
sr_http_transfer_complete(SrHttpTransfer *transfer, CURLcode code)
{
	SrHttpResult result = {.retry_after = -1};
	g_autofree char *host = NULL;
	double total = 0;

	if (curl_easy_getinfo(transfer->easy, CURLINFO_TOTAL_TIME, &total) == CURLE_OK)
		result.total_time = total;
	result.status = transfer->status;
	result.retry_after = transfer->retry_after;
	/* a stream's error answer stopped once its excerpt was kept: that is the answer */
	if (transfer->error_body_full && code == CURLE_WRITE_ERROR)
		code = CURLE_OK;

	if (transfer->cancellable != NULL && g_cancellable_is_cancelled(transfer->cancellable)) {
		result.error = g_error_new_literal(SR_ERROR, SR_ERROR_CANCELLED,
		                                   _("the transfer was cancelled"));
	} else if (code != CURLE_OK && transfer->status < 400) {
		host = sr_http_transfer_final_host(transfer);
		result.error = sr_http_curl_error(transfer, code, host);
	} else if (transfer->status >= 200 && transfer->status < 300) {
		if (transfer->data_func == NULL)
			result.body = g_byte_array_free_to_bytes(g_steal_pointer(&transfer->body));
		result.etag = g_steal_pointer(&transfer->etag);
		result.last_modified = g_steal_pointer(&transfer->last_modified);
	} else if (transfer->status == 304) {
		result.not_modified = TRUE;
		result.etag = g_steal_pointer(&transfer->etag);
		result.last_modified = g_steal_pointer(&transfer->last_modified);
	} else {
		/* an error status wins over a broken or oversized error body */
		host = sr_http_transfer_final_host(transfer);
		result.error = sr_http_status_error(transfer, host);
	}
	sr_http_transfer_name_proxy(transfer, result.error);
	sr_http_transfer_deliver(transfer, &result);
}

/* the main loop side of libcurl */

static void
sr_http_check_multi_info(SrHttp *http)
{
	for (;;) {
		int left = 0;
		CURLMsg *msg;
		CURL *easy;
		CURLcode code;
		char *priv = NULL;

		/* a callback may have freed the SrHttp: its transfers are gone already */
		if (http->dead)
			break;
		msg = curl_multi_info_read(http->multi, &left);
		if (msg == NULL)
			break;
		if (msg->msg != CURLMSG_DONE)
			continue;
		/* msg does not survive curl_multi_remove_handle(): copy what we need */
		easy = msg->easy_handle;
		code = msg->data.result;
		if (curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv) != CURLE_OK || priv == NULL)
			continue;
		sr_http_transfer_complete((SrHttpTransfer *)priv, code);
	}
}

/* hands each stream its pieces, outside libcurl, where the data func may do anything */
static void
sr_http_flush_streams(SrHttp *http)
{
	GList *link;

	while (!http->dead && (link = g_queue_pop_head_link(&http->stream_queue)) != NULL) {
		SrHttpTransfer *transfer = link->data;
		g_autoptr(GByteArray) pending = g_steal_pointer(&transfer->pending);
		gboolean more;

		transfer->queued = FALSE;
		if (pending == NULL || pending->len == 0)
			continue;
		transfer->in_data_func = TRUE;
		more = transfer->data_func((const char *)pending->data, pending->len,
		                           transfer->user_data);
		transfer->in_data_func = FALSE;
		if (transfer->zombie) {
			/* it was delivered and freed from inside its data func */
			g_free(transfer);
			continue;
		}
		if (!more)
			sr_http_transfer_fail_cancelled(transfer);
	}
}

static void
sr_http_socket_action(SrHttp *http, curl_socket_t fd, int mask)
{
	int running = 0;
	CURLMcode rc;

	sr_http_hold(http);
	rc = curl_multi_socket_action(http->multi, fd, mask, &running);
	if (rc != CURLM_OK)
		g_warning("curl_multi_socket_action failed: %s", curl_multi_strerror(rc));
	/* pieces before the end: a stream's last data arrives before its callback */
	sr_http_flush_streams(http);
	sr_http_check_multi_info(http);
	sr_http_release(http);
}

static gboolean
sr_http_socket_dispatch(GSource *source, GSourceFunc callback, gpointer user_data)
{
	SrHttpSocket *sock = (SrHttpSocket *)source;
	GIOCondition revents = g_source_query_unix_fd(source, sock->tag);
	int mask = 0;

	if (revents & G_IO_IN)
		mask |= CURL_CSELECT_IN;
	if (revents & G_IO_OUT)
		mask |= CURL_CSELECT_OUT;
	if (revents & (G_IO_ERR | G_IO_HUP | G_IO_NVAL))
		mask |= CURL_CSELECT_ERR;
	sr_http_socket_action(sock->http, sock->fd, mask);
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs sr_http_socket_funcs = {
    .dispatch = sr_http_socket_dispatch,
};

static void
sr_http_socket_free(gpointer data)
{
	GSource *source = data;
	g_source_destroy(source);
	g_source_unref(source);
}

static int
sr_http_socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	SrHttp *http = userp;
	SrHttpSocket *sock = g_hash_table_lookup(http->sockets, GINT_TO_POINTER(fd));
	GIOCondition condition = 0;

	if (what == CURL_POLL_REMOVE) {
		g_hash_table_remove(http->sockets, GINT_TO_POINTER(fd));
		return 0;
	}
	if (what & CURL_POLL_IN)
		condition |= G_IO_IN;
	if (what & CURL_POLL_OUT)
		condition |= G_IO_OUT;
	if (sock != NULL) {
		g_source_modify_unix_fd((GSource *)sock, sock->tag, condition);
		return 0;
	}
	sock = (SrHttpSocket *)g_source_new(&sr_http_socket_funcs, sizeof(SrHttpSocket));
	sock->http = http;
	sock->fd = fd;
	sock->tag = g_source_add_unix_fd((GSource *)sock, fd, condition);
	g_source_set_static_name((GSource *)sock, "sr-http socket");
	g_source_attach((GSource *)sock, http->context);
	g_hash_table_insert(http->sockets, GINT_TO_POINTER(fd), sock);
	return 0;
}

/* libcurl's one timer: one GSource for the SrHttp's lifetime, armed by its ready time, rather
 * than a new timeout source every time libcurl moves it (several times a request) */
typedef struct {
	GSource source;
	SrHttp *http;
} SrHttpTimer;

static gboolean
sr_http_timer_dispatch(GSource *source, GSourceFunc callback, gpointer user_data)
{
	/* the timer is one-shot: disarm it before libcurl possibly asks for the next one */
	g_source_set_ready_time(source, -1);
	sr_http_socket_action(((SrHttpTimer *)source)->http, CURL_SOCKET_TIMEOUT, 0);
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs sr_http_timer_funcs = {
    .dispatch = sr_http_timer_dispatch,
};

/* CURLMOPT_TIMERFUNCTION: one non-repeating timer; a new expiry replaces it, -1 deletes it.
 * libcurl must not be called from here, so even 0 ms goes through the main loop */
static int
sr_http_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	SrHttp *http = userp;

	if (timeout_ms < 0)
		g_source_set_ready_time(http->timer, -1);
	else
		g_source_set_ready_time(http->timer, g_get_monotonic_time() +
		                                         MIN((gint64)timeout_ms, (gint64)G_MAXINT) *
		                                             G_TIME_SPAN_MILLISECOND);
	return 0;
}

typedef struct {
	GSource source;
	SrHttpTransfer *transfer;
} SrHttpIdleSource;

/* a stream's idle timer: it only wakes up at the idle deadline, and then moves that on when a
 * byte came since, so the pieces themselves cost no timer update */
static gboolean
sr_http_idle_dispatch(GSource *source, GSourceFunc callback, gpointer user_data)
{
	SrHttpTransfer *transfer = ((SrHttpIdleSource *)source)->transfer;
	SrHttp *http = transfer->http;
	gint64 deadline =
	    transfer->last_activity + (gint64)transfer->timeout_ms * G_TIME_SPAN_MILLISECOND;
	g_autofree char *seconds = NULL;
	GError *error;

	if (g_get_monotonic_time() < deadline) {
		g_source_set_ready_time(source, deadline);
		return G_SOURCE_CONTINUE;
	}
	seconds = sr_http_format_seconds(transfer->timeout_ms);
	error = g_error_new(SR_ERROR, SR_ERROR_TIMEOUT, _("nothing received for %s s from %s"),
	                    seconds, transfer->host);
	sr_http_transfer_name_proxy(transfer, error);
	sr_http_hold(http);
	sr_http_transfer_fail(transfer, error);
	sr_http_release(http);
	return G_SOURCE_REMOVE;
}

static GSourceFuncs sr_http_idle_funcs = {
    .dispatch = sr_http_idle_dispatch,
};

static void
sr_http_transfer_start_idle_timer(SrHttpTransfer *transfer)
{
	SrHttpIdleSource *idle;

	transfer->last_activity = g_get_monotonic_time();
	idle = (SrHttpIdleSource *)g_source_new(&sr_http_idle_funcs, sizeof(SrHttpIdleSource));
	idle->transfer = transfer;
	transfer->idle_source = (GSource *)idle;
	g_source_set_static_name(transfer->idle_source, "sr-http idle");
	g_source_set_ready_time(transfer->idle_source,
	                        transfer->last_activity +
	                            (gint64)transfer->timeout_ms * G_TIME_SPAN_MILLISECOND);
	g_source_attach(transfer->idle_source, transfer->http->context);
}

static gboolean
sr_http_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	SrHttpTransfer *transfer = user_data;
	SrHttp *http = transfer->http;

	sr_http_hold(http);
	sr_http_transfer_fail_cancelled(transfer);
	sr_http_release(http);
	return G_SOURCE_REMOVE;
}

static gboolean
sr_http_early_failure_cb(gpointer user_data)
{
	SrHttpTransfer *transfer = user_data;
	SrHttp *http = transfer->http;

	sr_http_hold(http);
	sr_http_transfer_fail(transfer, g_steal_pointer(&transfer->error));
	sr_http_release(http);
	return G_SOURCE_REMOVE;
}

/* public API */

SrHttp *
sr_http_new(GMainContext *context, const char *user_agent)
{
	SrHttp *http;

	g_return_val_if_fail(user_agent != NULL && user_agent[0] != '\0', NULL);

	if (!sr_http_global_init())
		g_critical("curl_global_init failed");
	http = g_new0(SrHttp, 1);
	http->context =
	    context != NULL ? g_main_context_ref(context) : g_main_context_ref_thread_default();
	http->user_agent = g_strdup(user_agent);
	http->easy_pool = g_ptr_array_new_with_free_func((GDestroyNotify)curl_easy_cleanup);
	http->url_verdicts =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, sr_http_url_verdict_free);
	http->verbose = g_getenv("SIRENA_CURL_VERBOSE") != NULL;
	http->sockets =
	    g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, sr_http_socket_free);
	http->transfers = g_hash_table_new(g_direct_hash, g_direct_equal);
	http->timer = g_source_new(&sr_http_timer_funcs, sizeof(SrHttpTimer));
	((SrHttpTimer *)http->timer)->http = http;
	/* a callback run from the timer's dispatch may run a nested loop that needs the timer
	 * again (a new timeout source each time allowed that too) */
	g_source_set_can_recurse(http->timer, TRUE);
	g_source_set_static_name(http->timer, "sr-http timer");
	g_source_attach(http->timer, http->context);
	http->multi = curl_multi_init();
	g_assert(http->multi != NULL);
	curl_multi_setopt(http->multi, CURLMOPT_SOCKETFUNCTION, sr_http_socket_cb);
	curl_multi_setopt(http->multi, CURLMOPT_SOCKETDATA, http);
	curl_multi_setopt(http->multi, CURLMOPT_TIMERFUNCTION, sr_http_timer_cb);
	curl_multi_setopt(http->multi, CURLMOPT_TIMERDATA, http);
	curl_multi_setopt(http->multi, CURLMOPT_MAXCONNECTS, SR_HTTP_MAX_CONNECTS);
	curl_multi_setopt(http->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	return http;
}

static void
sr_http_destroy(SrHttp *http)
{
	g_ptr_array_unref(http->easy_pool);
	g_hash_table_unref(http->url_verdicts);
	/* closes the cached connections; libcurl may still call the socket and timer callbacks */
	curl_multi_cleanup(http->multi);
	g_hash_table_unref(http->sockets);
	g_source_destroy(http->timer);
	g_source_unref(http->timer);
	g_hash_table_unref(http->transfers);
	g_main_context_unref(http->context);
	g_free(http->user_agent);
	g_free(http);
}

void
sr_http_free(SrHttp *http)
{
	if (http == NULL)
		return;
	g_return_if_fail(!http->freeing);

	http->freeing = TRUE;
	/* pending callbacks run now; one may start another fetch, which fails at once */
	while (g_hash_table_size(http->transfers) > 0) {
		GHashTableIter iter;
		gpointer key = NULL;
		SrHttpTransfer *transfer;

		g_hash_table_iter_init(&iter, http->transfers);
		g_hash_table_iter_next(&iter, &key, NULL);
		transfer = key;
		if (transfer->error != NULL)
			sr_http_transfer_fail(transfer, g_steal_pointer(&transfer->error));
		else
			sr_http_transfer_fail_cancelled(transfer);
	}
	if (http->busy > 0) {
		/* called from a callback: the dispatch function finishes the job */
		http->dead = TRUE;
		return;
	}
	sr_http_destroy(http);
}

static void
sr_http_start(SrHttp *http, const SrHttpRequest *request, GCancellable *cancellable,
              SrHttpDataFunc data, SrHttpCallback callback, gpointer user_data)
{
	SrHttpTransfer *transfer;
	g_autoptr(GError) error = NULL;
	g_autofree char *log_url = NULL;
	CURLMcode rc;

	g_return_if_fail(http != NULL);
	g_return_if_fail(request != NULL);
	g_return_if_fail(callback != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	transfer = g_new0(SrHttpTransfer, 1);
	transfer->http = http;
	transfer->callback = callback;
	transfer->data_func = data;
	transfer->user_data = user_data;
	/* GByteArray counts in guint: keep the cap well inside it */
	transfer->max_size = request->max_size > 0 ? MIN(request->max_size, (gsize)G_MAXINT)
	                                           : SR_HTTP_DEFAULT_MAX_SIZE;
	transfer->timeout_ms =
	    request->timeout_ms > 0 ? request->timeout_ms : SR_HTTP_DEFAULT_TIMEOUT_MS;
	transfer->connect_timeout_ms = request->connect_timeout_ms > 0
	                                   ? request->connect_timeout_ms
	                                   : SR_HTTP_DEFAULT_CONNECT_TIMEOUT_MS;
	transfer->retry_after = -1;
	transfer->body = g_byte_array_new();
	if (request->secret != NULL && request->secret[0] != '\0')
		transfer->secret = g_strdup(request->secret);
	if (cancellable != NULL)
		transfer->cancellable = g_object_ref(cancellable);
	g_hash_table_add(http->transfers, transfer);

	if (http->freeing) {
		/* a callback run by sr_http_free() asked for more: there is no loop left */
		sr_http_transfer_fail_cancelled(transfer);
		return;
	}

	if (cancellable != NULL && g_cancellable_is_cancelled(cancellable)) {
		g_set_error_literal(&error, SR_ERROR, SR_ERROR_CANCELLED,
		                    _("the transfer was cancelled"));
	} else if (sr_http_check_url_cached(http, request->url, &transfer->host,
	                                    &transfer->plain_http_ok, &error) &&
	           sr_http_transfer_set_proxy(transfer, request->proxy, &error)) {
		if (sr_http_transfer_setup(transfer, request, &error)) {
			rc = curl_multi_add_handle(http->multi, transfer->easy);
			if (rc != CURLM_OK)
				g_set_error(&error, SR_ERROR, SR_ERROR_FAILED,
				            _("cannot start a transfer: %s"),
				            curl_multi_strerror(rc));
		}
	}
	if (error != NULL) {
		/* the callback must not run before sr_http_fetch() returns */
		transfer->error = g_steal_pointer(&error);
		transfer->early_source = g_idle_source_new();
		g_source_set_static_name(transfer->early_source, "sr-http early failure");
		g_source_set_priority(transfer->early_source, G_PRIORITY_DEFAULT);
		g_source_set_callback(transfer->early_source, sr_http_early_failure_cb, transfer,
		                      NULL);
		g_source_attach(transfer->early_source, http->context);
		return;
	}

	transfer->in_multi = TRUE;
	if (cancellable != NULL) {
		transfer->cancel_source = g_cancellable_source_new(cancellable);
		g_source_set_static_name(transfer->cancel_source, "sr-http cancel");
		g_source_set_callback(transfer->cancel_source, G_SOURCE_FUNC(sr_http_cancelled_cb),
		                      transfer, NULL);
		g_source_attach(transfer->cancel_source, http->context);
	}
	if (data != NULL)
		sr_http_transfer_start_idle_timer(transfer);
	/* the URL is parsed again for this: only when it will be shown */
	if (!g_log_writer_default_would_drop(G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN)) {
		log_url = sr_http_url_for_log(request->url);
		g_debug("%s %s", data != NULL ? "streaming" : "fetching", log_url);
	}
}

void
sr_http_fetch(SrHttp *http, const SrHttpRequest *request, GCancellable *cancellable,
              SrHttpCallback callback, gpointer user_data)
{
	sr_http_start(http, request, cancellable, NULL, callback, user_data);
}

void
sr_http_stream(SrHttp *http, const SrHttpRequest *request, GCancellable *cancellable,
               SrHttpDataFunc data, SrHttpCallback callback, gpointer user_data)
{
	g_return_if_fail(data != NULL);
	sr_http_start(http, request, cancellable, data, callback, user_data);
}

guint
sr_http_get_pending(SrHttp *http)
{
	g_return_val_if_fail(http != NULL, 0);
	return g_hash_table_size(http->transfers);
}

guint
sr_http_get_connections(SrHttp *http)
{
	g_return_val_if_fail(http != NULL, 0);
	return http->connections;
}
