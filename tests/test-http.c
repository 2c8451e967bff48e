/* test-http.c - the HTTP client against the loopback test server, and the backoff
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-http"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "sirena/error.h"
#include "sirena/http.h"
#include "sr-test-server.h"
#include "sr-test-util.h"

#define TEST_UA      "Sirena-test/1.0 (+https://example.invalid/contact)"
#define WAIT_MS      5000
#define ONE_MIB      (1024u * 1024u)
#define CONCURRENT_N 20

/* what a callback saw, copied out of the result (which only lives during the callback) */
typedef struct {
	gboolean done;
	guint calls;
	GError *error;
	guint status;
	gboolean not_modified;
	gboolean body_null;
	GBytes *body;
	char *etag;
	char *last_modified;
	gint64 retry_after;
	gint64 finished_at;
	SrHttp *free_http; /* when set, the callback frees this SrHttp */
} Fetch;

static void
fetch_clear(Fetch *f)
{
	g_clear_error(&f->error);
	g_clear_pointer(&f->body, g_bytes_unref);
	g_clear_pointer(&f->etag, g_free);
	g_clear_pointer(&f->last_modified, g_free);
}

static void
fetch_cb(const SrHttpResult *result, gpointer user_data)
{
	Fetch *f = user_data;

	f->calls++;
	f->done = TRUE;
	f->finished_at = g_get_monotonic_time();
	fetch_clear(f);
	f->error = result->error != NULL ? g_error_copy(result->error) : NULL;
	f->status = result->status;
	f->not_modified = result->not_modified;
	f->body_null = result->body == NULL;
	f->body = result->body != NULL ? g_bytes_ref(result->body) : NULL;
	f->etag = g_strdup(result->etag);
	f->last_modified = g_strdup(result->last_modified);
	f->retry_after = result->retry_after;
	if (f->free_http != NULL)
		sr_http_free(g_steal_pointer(&f->free_http));
}

static void
assert_body(const Fetch *f, const char *expected)
{
	gsize len = 0;
	const char *data;

	g_assert_nonnull(f->body);
	data = g_bytes_get_data(f->body, &len);
	g_assert_cmpmem(data, len, expected, strlen(expected));
}

static gboolean
set_flag_cb(gpointer user_data)
{
	gboolean *flag = user_data;
	*flag = TRUE;
	return G_SOURCE_REMOVE;
}

/* runs the default context for @ms, to catch late or duplicate callbacks */
static void
spin(guint ms)
{
	gboolean done = FALSE;

	g_timeout_add(ms, set_flag_cb, &done);
	while (!done)
		g_main_context_iteration(NULL, TRUE);
}

/* runs the default context until the server has seen a request to @path */
static void
wait_for_request(SrTestServer *server, const char *path)
{
	gint64 deadline = g_get_monotonic_time() + WAIT_MS * G_TIME_SPAN_MILLISECOND;

	while (sr_test_server_get_request_count(server, path) == 0) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		spin(5);
	}
}

static char *
url_for(SrTestServer *server, const char *target)
{
	return g_strconcat(sr_test_server_get_url(server), target, NULL);
}

/* fetches @url and waits for the callback */
static void
run_fetch(SrHttp *http, const SrHttpRequest *request, Fetch *f)
{
	sr_http_fetch(http, request, NULL, fetch_cb, f);
	g_assert_cmpuint(f->calls, ==, 0);
	sr_test_wait_for(&f->done, WAIT_MS);
	g_assert_cmpuint(f->calls, ==, 1);
}

static void
run_get(SrHttp *http, const char *url, Fetch *f)
{
	SrHttpRequest request = {.url = url};
	run_fetch(http, &request, f);
}

static void
test_http_ok(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/v1/alerts.json?token=abc&x=1");
	g_autofree char *custom = NULL;
	g_autofree char *ua = NULL;
	g_autofree char *target = NULL;
	g_autofree char *encoding = NULL;
	const char *headers[] = {"X-Custom: hello", "Authorization: Bearer s3cret", NULL};
	SrHttpRequest request = {.url = url, .headers = headers};
	Fetch f = {0};

	sr_test_server_set_reply(server, "/v1/alerts.json", 200, "Content-Type: application/json",
	                         "{\"alerts\":[]}", -1);
	run_fetch(http, &request, &f);
	g_assert_no_error(f.error);
	g_assert_cmpuint(f.status, ==, 200);
	g_assert_false(f.not_modified);
	assert_body(&f, "{\"alerts\":[]}");
	g_assert_cmpint(f.retry_after, ==, -1);
	g_assert_cmpuint(sr_http_get_pending(http), ==, 0);

	custom = sr_test_server_get_last_header(server, "/v1/alerts.json", "x-custom");
	g_assert_cmpstr(custom, ==, "hello");
	ua = sr_test_server_get_last_header(server, "/v1/alerts.json", "User-Agent");
	g_assert_cmpstr(ua, ==, TEST_UA);
	target = sr_test_server_get_last_target(server, "/v1/alerts.json");
	g_assert_cmpstr(target, ==, "/v1/alerts.json?token=abc&x=1");
	/* gzip and friends are offered */
	encoding = sr_test_server_get_last_header(server, NULL, "accept-encoding");
	g_assert_nonnull(encoding);
	g_assert_cmpuint(sr_test_server_get_request_count(server, "/v1/alerts.json"), ==, 1);
	g_assert_cmpuint(sr_test_server_get_request_count(server, NULL), ==, 1);
	fetch_clear(&f);
}

static void
test_http_localhost(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	const char *port = strrchr(sr_test_server_get_url(server), ':') + 1;
	g_autofree char *url = g_strdup_printf("http://localhost:%s/x", port);
	Fetch f = {0};

	/* curl answers "localhost" itself: loopback without any name server */
	sr_test_server_set_reply(server, "/x", 200, NULL, "[]", -1);
	run_get(http, url, &f);
	g_assert_no_error(f.error);
	assert_body(&f, "[]");
	fetch_clear(&f);
}

static void
test_http_empty_body(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/empty");
	Fetch f = {0};

	sr_test_server_set_reply(server, "/empty", 200, NULL, NULL, 0);
	run_get(http, url, &f);
	g_assert_no_error(f.error);
	/* a 2xx body is never NULL, even when empty */
	g_assert_nonnull(f.body);
	g_assert_cmpuint(g_bytes_get_size(f.body), ==, 0);
	fetch_clear(&f);
}

static void
test_http_not_found_default(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/nothing/here");
	Fetch f = {0};

	run_get(http, url, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_HTTP);
	g_assert_cmpuint(f.status, ==, 404);
	g_assert_true(f.body_null);
	g_assert_false(sr_error_is_retryable(f.error));
	g_assert_nonnull(strstr(f.error->message, "404"));
	g_assert_nonnull(strstr(f.error->message, "127.0.0.1"));
	fetch_clear(&f);
}

static void
test_http_conditional(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url_lm = url_for(server, "/lm");
	g_autofree char *url_etag = url_for(server, "/etag");
	g_autofree char *ims = NULL;
	g_autofree char *inm = NULL;
	const char *lm = "Wed, 25 Nov 2026 06:12:40 GMT";
	SrHttpRequest request = {0};
	Fetch f = {0};

	sr_test_server_set_reply(server, "/lm", 200, "Last-Modified: Wed, 25 Nov 2026 06:12:40 GMT",
	                         "[1]", -1);
	sr_test_server_set_reply(server, "/etag", 200, "ETag: \"v42\"", "[2]", -1);

	/* the validators are captured ... */
	run_get(http, url_lm, &f);
	g_assert_no_error(f.error);
	g_assert_cmpstr(f.last_modified, ==, lm);
	g_assert_null(f.etag);
	fetch_clear(&f);
	f = (Fetch){0};
	run_get(http, url_etag, &f);
	g_assert_no_error(f.error);
	g_assert_cmpstr(f.etag, ==, "\"v42\"");
	g_assert_null(f.last_modified);
	fetch_clear(&f);

	/* ... and sent back, giving 304 */
	f = (Fetch){0};
	request.url = url_lm;
	request.if_modified_since = lm;
	run_fetch(http, &request, &f);
	g_assert_no_error(f.error);
	g_assert_cmpuint(f.status, ==, 304);
	g_assert_true(f.not_modified);
	g_assert_true(f.body_null);
	ims = sr_test_server_get_last_header(server, "/lm", "If-Modified-Since");
	g_assert_cmpstr(ims, ==, lm);
	fetch_clear(&f);

	f = (Fetch){0};
	request = (SrHttpRequest){.url = url_etag, .if_none_match = "\"v42\""};
	run_fetch(http, &request, &f);
	g_assert_no_error(f.error);
	g_assert_true(f.not_modified);
	g_assert_true(f.body_null);
	g_assert_cmpstr(f.etag, ==, "\"v42\"");
	inm = sr_test_server_get_last_header(server, "/etag", "If-None-Match");
	g_assert_cmpstr(inm, ==, "\"v42\"");
	fetch_clear(&f);

	/* a stale validator gets the full body */
	f = (Fetch){0};
	request = (SrHttpRequest){.url = url_etag, .if_none_match = "\"v41\""};
	run_fetch(http, &request, &f);
	g_assert_no_error(f.error);
	g_assert_false(f.not_modified);
	assert_body(&f, "[2]");
	fetch_clear(&f);
}

static void
test_http_connection_reuse(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/poll");

	sr_test_server_set_reply(server, "/poll", 200, NULL, "{}", -1);
	for (guint i = 0; i < 3; i++) {
		Fetch f = {0};
		run_get(http, url, &f);
		g_assert_no_error(f.error);
		assert_body(&f, "{}");
		fetch_clear(&f);
	}
	g_assert_cmpuint(sr_test_server_get_request_count(server, "/poll"), ==, 3);
	g_assert_cmpuint(sr_test_server_get_connection_count(server), ==, 1);
	g_assert_cmpuint(sr_http_get_connections(http), ==, 1);
}

static void
test_http_server_error(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/boom?token=SECRET-TOKEN");
	Fetch f = {0};

	sr_test_server_set_reply(server, "/boom", 500, NULL, "database\n\tis on fire", -1);
	run_get(http, url, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_SERVER);
	g_assert_true(sr_error_is_retryable(f.error));
	g_assert_cmpuint(f.status, ==, 500);
	g_assert_true(f.body_null);
	g_assert_cmpint(f.retry_after, ==, -1);
	/* a short, printable excerpt of the body; never the query */
	g_assert_nonnull(strstr(f.error->message, "HTTP 500 from 127.0.0.1"));
	g_assert_nonnull(strstr(f.error->message, "database is on fire"));
	g_assert_null(strstr(f.error->message, "SECRET"));
	fetch_clear(&f);
}

static void
test_http_excerpt_bounded(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/long");
	g_autofree char *body = g_strnfill(5000, 'x');
	Fetch f = {0};

	sr_test_server_set_reply(server, "/long", 502, NULL, body, -1);
	run_get(http, url, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_SERVER);
	g_assert_cmpuint(strlen(f.error->message), <=, strlen("HTTP 502 from 127.0.0.1: ") + 80);
	fetch_clear(&f);
}

static void
test_http_retry_after(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url_503 = url_for(server, "/503");
	g_autofree char *url_429 = url_for(server, "/429");
	g_autofree char *url_date = url_for(server, "/date");
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autoptr(GDateTime) later = g_date_time_add_seconds(now, 30);
	g_autofree char *date = g_date_time_format(later, "Retry-After: %a, %d %b %Y %H:%M:%S GMT");
	Fetch f = {0};

	sr_test_server_set_reply(server, "/503", 503, "Retry-After: 7", "down", -1);
	run_get(http, url_503, &f);
	g_assert_true(g_error_matches(f.error, SR_ERROR, SR_ERROR_SERVER) ||
	              g_error_matches(f.error, SR_ERROR, SR_ERROR_THROTTLED));
	g_assert_true(sr_error_is_retryable(f.error));
	g_assert_cmpuint(f.status, ==, 503);
	g_assert_cmpint(f.retry_after, ==, 7);
	fetch_clear(&f);

	f = (Fetch){0};
	sr_test_server_set_reply(server, "/429", 429, "Retry-After: 120", NULL, 0);
	run_get(http, url_429, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_THROTTLED);
	g_assert_true(sr_error_is_retryable(f.error));
	g_assert_cmpuint(f.status, ==, 429);
	g_assert_cmpint(f.retry_after, ==, 120);
	fetch_clear(&f);

	f = (Fetch){0};
	sr_test_server_set_reply(server, "/429", 429, NULL, "slow down", -1);
	run_get(http, url_429, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_THROTTLED);
	g_assert_cmpint(f.retry_after, ==, -1);
	fetch_clear(&f);

	/* an HTTP-date becomes seconds from now */
	f = (Fetch){0};
	sr_test_server_set_reply(server, "/date", 503, date, NULL, 0);
	run_get(http, url_date, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_SERVER);
	g_assert_cmpint(f.retry_after, >=, 27);
	g_assert_cmpint(f.retry_after, <=, 31);
	fetch_clear(&f);
}

static void
test_http_auth(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url_401 = url_for(server, "/401");
	g_autofree char *url_403 = url_for(server, "/403");
	Fetch f = {0};

	sr_test_server_set_reply(server, "/401", 401, NULL, "token s3cret is invalid", -1);
	run_get(http, url_401, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_AUTH);
	g_assert_false(sr_error_is_retryable(f.error));
	g_assert_cmpuint(f.status, ==, 401);
	/* auth failures carry no body excerpt: servers echo tokens */
	g_assert_null(strstr(f.error->message, "s3cret"));
	fetch_clear(&f);

	f = (Fetch){0};
	sr_test_server_set_reply(server, "/403", 403, NULL, "forbidden", -1);
	run_get(http, url_403, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_AUTH);
	fetch_clear(&f);
}

static void
test_http_hang_timeout(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/hang");
	SrHttpRequest request = {.url = url, .timeout_ms = 500};
	Fetch f = {0};
	gint64 start = g_get_monotonic_time();
	gint64 elapsed;

	sr_test_server_set_behaviour(server, "/hang", SR_TEST_BEHAVIOUR_HANG, 0, 0);
	run_fetch(http, &request, &f);
	elapsed = (f.finished_at - start) / G_TIME_SPAN_MILLISECOND;
	g_assert_error(f.error, SR_ERROR, SR_ERROR_TIMEOUT);
	g_assert_true(sr_error_is_retryable(f.error));
	g_assert_cmpuint(f.status, ==, 0);
	g_assert_nonnull(strstr(f.error->message, "timed out after 0.5 s"));
	g_assert_cmpint(elapsed, >=, 450);
	g_assert_cmpint(elapsed, <, 2000);
	fetch_clear(&f);
}

static void
test_http_hang_reused(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url_ok = url_for(server, "/ok");
	g_autofree char *url_hang = url_for(server, "/hang");
	SrHttpRequest request = {.url = url_hang, .timeout_ms = 300};
	Fetch f = {0};

	/* a hang on a kept-alive connection is a plain timeout, not a connect timeout */
	sr_test_server_set_reply(server, "/ok", 200, NULL, "ok", -1);
	sr_test_server_set_behaviour(server, "/hang", SR_TEST_BEHAVIOUR_HANG, 0, 0);
	run_get(http, url_ok, &f);
	g_assert_no_error(f.error);
	fetch_clear(&f);
	f = (Fetch){0};
	run_fetch(http, &request, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_TIMEOUT);
	g_assert_cmpstr(f.error->message, ==, "timed out after 0.3 s: 127.0.0.1");
	g_assert_cmpuint(sr_test_server_get_connection_count(server), ==, 1);
	fetch_clear(&f);
}

static void
test_http_dribble(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url_slow = url_for(server, "/slow");
	g_autofree char *url_fits = url_for(server, "/fits");
	SrHttpRequest request = {.url = url_slow, .timeout_ms = 300};
	Fetch f = {0};

	/* about 60 bytes at 20 ms each: more than a second */
	sr_test_server_set_reply(server, "/slow", 200, NULL, "0123456789", -1);
	sr_test_server_set_behaviour(server, "/slow", SR_TEST_BEHAVIOUR_DRIBBLE, 20, 0);
	run_fetch(http, &request, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_TIMEOUT);
	fetch_clear(&f);

	/* about 60 bytes at 2 ms each fit in 5 s */
	f = (Fetch){0};
	sr_test_server_set_reply(server, "/fits", 200, NULL, "0123456789", -1);
	sr_test_server_set_behaviour(server, "/fits", SR_TEST_BEHAVIOUR_DRIBBLE, 2, 0);
	request = (SrHttpRequest){.url = url_fits, .timeout_ms = 5000};
	run_fetch(http, &request, &f);
	g_assert_no_error(f.error);
	assert_body(&f, "0123456789");
	fetch_clear(&f);
}

static void
test_http_huge(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/huge");
	SrHttpRequest request = {.url = url, .max_size = ONE_MIB};
	Fetch f = {0};
	gint64 start = g_get_monotonic_time();

	/* streamed without a Content-Length: only counting bytes can stop it */
	sr_test_server_set_behaviour(server, "/huge", SR_TEST_BEHAVIOUR_HUGE, 0, 50 * ONE_MIB);
	run_fetch(http, &request, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_TOO_LARGE);
	g_assert_true(f.body_null);
	g_assert_cmpuint(f.status, ==, 200);
	g_assert_cmpint((f.finished_at - start) / G_TIME_SPAN_MILLISECOND, <, 2000);
	fetch_clear(&f);
}

static void
test_http_huge_fits(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/huge");
	SrHttpRequest request = {.url = url, .max_size = ONE_MIB};
	Fetch f = {0};
	const char *data;
	gsize len = 0;

	/* the filler is valid JSON of exactly the announced size */
	sr_test_server_set_behaviour(server, "/huge", SR_TEST_BEHAVIOUR_HUGE, 0, 100001);
	run_fetch(http, &request, &f);
	g_assert_no_error(f.error);
	data = g_bytes_get_data(f.body, &len);
	g_assert_cmpuint(len, ==, 100001);
	g_assert_cmpint(data[0], ==, '[');
	g_assert_cmpint(data[len - 1], ==, ']');
	fetch_clear(&f);
}

static void
test_http_too_large_announced(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/big");
	g_autofree char *body = g_strnfill(2048, 'a');
	SrHttpRequest request = {.url = url, .max_size = 1024};
	Fetch f = {0};

	/* refused on its Content-Length */
	sr_test_server_set_reply(server, "/big", 200, NULL, body, -1);
	run_fetch(http, &request, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_TOO_LARGE);
	fetch_clear(&f);

	/* exactly at the cap is fine */
	f = (Fetch){0};
	request.max_size = 2048;
	run_fetch(http, &request, &f);
	g_assert_no_error(f.error);
	g_assert_cmpuint(g_bytes_get_size(f.body), ==, 2048);
	fetch_clear(&f);
}

static void
test_http_close_mid_body(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/cut");
	Fetch f = {0};

	sr_test_server_set_reply(server, "/cut", 200, NULL, "{\"alerts\":[1,2,3,4,5,6,7,8]}", -1);
	sr_test_server_set_behaviour(server, "/cut", SR_TEST_BEHAVIOUR_CLOSE_MID_BODY, 0, 0);
	run_get(http, url, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_NETWORK);
	g_assert_true(sr_error_is_retryable(f.error));
	g_assert_true(f.body_null);
	fetch_clear(&f);
}

static void
test_http_close_no_reply(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/mute");
	Fetch f = {0};

	sr_test_server_set_behaviour(server, "/mute", SR_TEST_BEHAVIOUR_CLOSE_NO_REPLY, 0, 0);
	run_get(http, url, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_NETWORK);
	g_assert_cmpuint(f.status, ==, 0);
	fetch_clear(&f);
}

/* a loopback port nothing listens on, for as long as @hold lives: the socket is bound but not
 * listening, so connections are refused and no other process can start listening there */
static guint16
refusing_port(GSocket **hold)
{
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) address = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) bound = NULL;
	g_autoptr(GError) error = NULL;

	*hold =
	    g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
	g_assert_no_error(error);
	g_socket_bind(*hold, address, FALSE, &error);
	g_assert_no_error(error);
	bound = g_socket_get_local_address(*hold, &error);
	g_assert_no_error(error);
	return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
}

static void
test_http_refused(void)
{
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autoptr(GSocket) hold = NULL;
	g_autofree char *url =
	    g_strdup_printf("http://127.0.0.1:%u/x?token=SECRET", refusing_port(&hold));
	Fetch f = {0};

	run_get(http, url, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_NETWORK);
	g_assert_true(sr_error_is_retryable(f.error));
	g_assert_cmpstr(f.error->message, ==, "connection refused: 127.0.0.1");
	fetch_clear(&f);
}

static void
test_http_insecure(void)
{
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	const char *urls[] = {
	    "http://example.invalid/alerts?token=SECRET",
	    "ftp://127.0.0.1/file",
	    "file:///etc/passwd",
	    "gopher://example.invalid/",
	    "http://10.0.0.1/",
	    "http://[::ffff:10.0.0.1]/",
	    "http://localhost.example.invalid/",
	};

	for (guint i = 0; i < G_N_ELEMENTS(urls); i++) {
		Fetch f = {0};
		gint64 start = g_get_monotonic_time();
		g_test_message("%s", urls[i]);
		run_get(http, urls[i], &f);
		g_assert_error(f.error, SR_ERROR, SR_ERROR_INSECURE);
		g_assert_false(sr_error_is_retryable(f.error));
		g_assert_cmpuint(f.status, ==, 0);
		g_assert_null(strstr(f.error->message, "SECRET"));
		/* refused before any name resolution or connection */
		g_assert_cmpint(f.finished_at - start, <, 200 * G_TIME_SPAN_MILLISECOND);
		fetch_clear(&f);
	}
	g_assert_cmpuint(sr_http_get_connections(http), ==, 0);
}

static void
test_http_check_url(void)
{
	const char *ok[] = {
	    "https://api.alerts.in.ua/v1/alerts/active.json?token=x",
	    "https://example.com",
	    "http://127.0.0.1:8080/x",
	    "http://127.3.2.1/",
	    "http://localhost:1234/",
	    "http://LOCALHOST/",
	    "http://[::1]:80/",
	    "HTTPS://EXAMPLE.COM/",
	};
	const char *insecure[] = {
	    "http://example.com/", "http://128.0.0.1/", "http://[::2]/",
	    "ftp://example.com/",  "ws://127.0.0.1/",   "ldap://127.0.0.1/",
	};
	const char *invalid[] = {"", "not a url", "example.com/x", "https://"};

	for (guint i = 0; i < G_N_ELEMENTS(ok); i++) {
		g_autoptr(GError) error = NULL;
		g_test_message("%s", ok[i]);
		g_assert_true(sr_http_check_url(ok[i], &error));
		g_assert_no_error(error);
	}
	for (guint i = 0; i < G_N_ELEMENTS(insecure); i++) {
		g_autoptr(GError) error = NULL;
		g_test_message("%s", insecure[i]);
		g_assert_false(sr_http_check_url(insecure[i], &error));
		g_assert_error(error, SR_ERROR, SR_ERROR_INSECURE);
	}
	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++) {
		g_autoptr(GError) error = NULL;
		g_test_message("'%s'", invalid[i]);
		g_assert_false(sr_http_check_url(invalid[i], &error));
		g_assert_nonnull(error);
		g_assert_false(sr_error_is_retryable(error));
	}
	{
		g_autoptr(GError) error = NULL;
		g_assert_false(sr_http_check_url("http://example.com/a?token=SECRET", &error));
		/* the message names the host, never the query */
		g_assert_nonnull(strstr(error->message, "example.com"));
		g_assert_null(strstr(error->message, "SECRET"));
	}
	{
		g_autoptr(GError) error = NULL;
		g_assert_false(sr_http_check_url("ftp://example.com/a", &error));
		g_assert_nonnull(strstr(error->message, "ftp"));
	}
}

static void
test_http_redirect(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url_old = url_for(server, "/old");
	g_autofree char *url_loop = url_for(server, "/loop");
	g_autofree char *url_evil = url_for(server, "/evil");
	g_autofree char *url_ftp = url_for(server, "/ftp");
	Fetch f = {0};

	/* a relative redirect on loopback is followed; the validators come from the end */
	sr_test_server_set_reply(server, "/old", 302, "Location: /new\nETag: \"old\"", "moved", -1);
	sr_test_server_set_reply(server, "/new", 200, "ETag: \"new\"", "[3]", -1);
	run_get(http, url_old, &f);
	g_assert_no_error(f.error);
	g_assert_cmpuint(f.status, ==, 200);
	g_assert_cmpstr(f.etag, ==, "\"new\"");
	assert_body(&f, "[3]");
	fetch_clear(&f);

	/* at most three redirects */
	f = (Fetch){0};
	sr_test_server_set_reply(server, "/loop", 302, "Location: /loop", NULL, 0);
	run_get(http, url_loop, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_HTTP);
	g_assert_cmpuint(sr_test_server_get_request_count(server, "/loop"), ==, 4);
	fetch_clear(&f);

	/* plain http off loopback is refused before it is followed (no name resolution) */
	f = (Fetch){0};
	sr_test_server_set_reply(server, "/evil", 301, "Location: http://example.invalid/steal",
	                         NULL, 0);
	run_get(http, url_evil, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_INSECURE);
	fetch_clear(&f);

	f = (Fetch){0};
	sr_test_server_set_reply(server, "/ftp", 302, "Location: ftp://127.0.0.1/x", NULL, 0);
	run_get(http, url_ftp, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_INSECURE);
	fetch_clear(&f);
}

static void
test_http_cancel(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GCancellable) cancelled = g_cancellable_new();
	g_autofree char *url = url_for(server, "/hang");
	SrHttpRequest request = {.url = url};
	Fetch f = {0};
	Fetch g = {0};

	sr_test_server_set_behaviour(server, "/hang", SR_TEST_BEHAVIOUR_HANG, 0, 0);
	sr_http_fetch(http, &request, cancellable, fetch_cb, &f);
	g_assert_cmpuint(sr_http_get_pending(http), ==, 1);
	wait_for_request(server, "/hang");
	g_cancellable_cancel(cancellable);
	sr_test_wait_for(&f.done, WAIT_MS);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_CANCELLED);
	g_assert_false(sr_error_is_retryable(f.error));
	spin(100);
	g_assert_cmpuint(f.calls, ==, 1);
	g_assert_cmpuint(sr_http_get_pending(http), ==, 0);
	fetch_clear(&f);

	/* already cancelled: still called back once, and never from inside sr_http_fetch() */
	g_cancellable_cancel(cancelled);
	sr_http_fetch(http, &request, cancelled, fetch_cb, &g);
	g_assert_cmpuint(g.calls, ==, 0);
	sr_test_wait_for(&g.done, WAIT_MS);
	g_assert_error(g.error, SR_ERROR, SR_ERROR_CANCELLED);
	spin(50);
	g_assert_cmpuint(g.calls, ==, 1);
	fetch_clear(&g);
}

static gpointer
cancel_thread(gpointer data)
{
	g_usleep(50 * G_TIME_SPAN_MILLISECOND);
	g_cancellable_cancel(data);
	return NULL;
}

static void
test_http_cancel_other_thread(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autofree char *url = url_for(server, "/hang");
	SrHttpRequest request = {.url = url};
	Fetch f = {0};
	GThread *thread;

	sr_test_server_set_behaviour(server, "/hang", SR_TEST_BEHAVIOUR_HANG, 0, 0);
	sr_http_fetch(http, &request, cancellable, fetch_cb, &f);
	thread = g_thread_new("canceller", cancel_thread, cancellable);
	sr_test_wait_for(&f.done, WAIT_MS);
	g_thread_join(thread);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_CANCELLED);
	spin(50);
	g_assert_cmpuint(f.calls, ==, 1);
	fetch_clear(&f);
}

static void
test_http_free_pending(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	SrHttp *http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/hang");
	SrHttpRequest request = {.url = url};
	SrHttpRequest insecure = {.url = "http://example.invalid/"};
	Fetch f = {0};
	Fetch g = {0};

	sr_test_server_set_behaviour(server, "/hang", SR_TEST_BEHAVIOUR_HANG, 0, 0);
	sr_http_fetch(http, &request, NULL, fetch_cb, &f);
	sr_http_fetch(http, &insecure, NULL, fetch_cb, &g);
	wait_for_request(server, "/hang");
	sr_test_wait_for(&g.done, WAIT_MS);
	g_assert_cmpuint(g.calls, ==, 1);
	g_assert_error(g.error, SR_ERROR, SR_ERROR_INSECURE);

	/* the pending transfer is called back before sr_http_free() returns */
	sr_http_free(http);
	g_assert_cmpuint(f.calls, ==, 1);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_CANCELLED);
	spin(50);
	g_assert_cmpuint(f.calls, ==, 1);
	fetch_clear(&f);
	fetch_clear(&g);
}

static void
test_http_free_in_callback(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	SrHttp *http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url_ok = url_for(server, "/ok");
	g_autofree char *url_hang = url_for(server, "/hang");
	SrHttpRequest ok = {.url = url_ok};
	SrHttpRequest hang = {.url = url_hang};
	Fetch f = {.free_http = http};
	Fetch g = {0};

	sr_test_server_set_reply(server, "/ok", 200, NULL, "ok", -1);
	sr_test_server_set_behaviour(server, "/hang", SR_TEST_BEHAVIOUR_HANG, 0, 0);
	sr_http_fetch(http, &hang, NULL, fetch_cb, &g);
	sr_http_fetch(http, &ok, NULL, fetch_cb, &f);
	sr_test_wait_for(&f.done, WAIT_MS);
	g_assert_no_error(f.error);
	g_assert_error(g.error, SR_ERROR, SR_ERROR_CANCELLED);
	spin(50);
	g_assert_cmpuint(f.calls, ==, 1);
	g_assert_cmpuint(g.calls, ==, 1);
	fetch_clear(&f);
	fetch_clear(&g);
}

static void
test_http_concurrent(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	Fetch f[CONCURRENT_N] = {0};
	char *urls[CONCURRENT_N];
	gboolean all_done = FALSE;
	gint64 deadline = g_get_monotonic_time() + WAIT_MS * G_TIME_SPAN_MILLISECOND;

	for (guint i = 0; i < CONCURRENT_N; i++) {
		g_autofree char *path = g_strdup_printf("/c/%u", i);
		g_autofree char *body = g_strdup_printf("[%u]", i);
		SrHttpRequest request = {0};
		sr_test_server_set_reply(server, path, 200, NULL, body, -1);
		urls[i] = url_for(server, path);
		request.url = urls[i];
		sr_http_fetch(http, &request, NULL, fetch_cb, &f[i]);
	}
	g_assert_cmpuint(sr_http_get_pending(http), ==, CONCURRENT_N);
	while (!all_done) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_main_context_iteration(NULL, TRUE);
		all_done = TRUE;
		for (guint i = 0; i < CONCURRENT_N; i++)
			all_done = all_done && f[i].done;
	}
	for (guint i = 0; i < CONCURRENT_N; i++) {
		g_autofree char *body = g_strdup_printf("[%u]", i);
		g_assert_no_error(f[i].error);
		g_assert_cmpuint(f[i].calls, ==, 1);
		assert_body(&f[i], body);
		fetch_clear(&f[i]);
		g_free(urls[i]);
	}
	g_assert_cmpuint(sr_http_get_pending(http), ==, 0);
	g_assert_cmpuint(sr_test_server_get_request_count(server, NULL), ==, CONCURRENT_N);
	g_assert_cmpuint(sr_http_get_connections(http), <=, CONCURRENT_N);
	g_assert_cmpuint(sr_http_get_connections(http), ==,
	                 sr_test_server_get_connection_count(server));
}

/* proxies: the test server stands in for one (absolute-form requests, refused CONNECTs) */

static void
test_http_proxy(void)
{
	g_autoptr(SrTestServer) proxy = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	/* nothing listens at the origin: only the proxy can answer */
	g_autoptr(GSocket) hold = NULL;
	g_autofree char *url =
	    g_strdup_printf("http://127.0.0.1:%u/alerts.json?x=1", refusing_port(&hold));
	g_autofree char *target = NULL;
	g_autofree char *auth = NULL;
	SrHttpRequest request = {.url = url, .proxy = sr_test_server_get_url(proxy)};
	Fetch f = {0};

	/* main() sets no_proxy=*: a configured proxy is used all the same */
	sr_test_server_set_reply(proxy, "/alerts.json", 200, "Content-Type: application/json",
	                         "{\"via\":\"proxy\"}", -1);
	run_fetch(http, &request, &f);
	g_assert_no_error(f.error);
	g_assert_cmpuint(f.status, ==, 200);
	assert_body(&f, "{\"via\":\"proxy\"}");
	/* the proxy was asked for the origin's whole URL, without credentials of its own */
	target = sr_test_server_get_last_target(proxy, "/alerts.json");
	g_assert_cmpstr(target, ==, url);
	auth = sr_test_server_get_last_header(proxy, "/alerts.json", "proxy-authorization");
	g_assert_null(auth);
	fetch_clear(&f);
}

static void
test_http_proxy_credentials(void)
{
	g_autoptr(SrTestServer) proxy = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	const char *port = strrchr(sr_test_server_get_url(proxy), ':') + 1;
	/* reserved characters of the password are percent-encoded in the URL */
	g_autofree char *proxy_url =
	    g_strdup_printf("http://alice:S3CRET%%40pw%%3Ax@127.0.0.1:%s", port);
	g_autoptr(GSocket) hold = NULL;
	g_autofree char *url = g_strdup_printf("http://127.0.0.1:%u/x", refusing_port(&hold));
	g_autofree char *basic = g_base64_encode((const guchar *)"alice:S3CRET@pw:x", 17);
	g_autofree char *expected = g_strconcat("Basic ", basic, NULL);
	g_autofree char *auth = NULL;
	SrHttpRequest request = {.url = url, .proxy = proxy_url};
	Fetch f = {0};

	sr_test_server_set_reply(proxy, "/x", 200, NULL, "[]", -1);
	run_fetch(http, &request, &f);
	g_assert_no_error(f.error);
	assert_body(&f, "[]");
	auth = sr_test_server_get_last_header(proxy, "/x", "proxy-authorization");
	g_assert_cmpstr(auth, ==, expected);
	fetch_clear(&f);
	f = (Fetch){0};

	/* a proxy that rejects them: the error names the proxy, never the password */
	sr_test_server_set_reply(proxy, "/x", 407, "Proxy-Authenticate: Basic realm=\"squid\"",
	                         "denied", -1);
	run_fetch(http, &request, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_HTTP);
	g_assert_false(sr_error_is_retryable(f.error));
	g_assert_nonnull(strstr(f.error->message, "rejected the credentials (HTTP 407)"));
	g_assert_nonnull(strstr(f.error->message, "http://127.0.0.1:"));
	g_assert_null(strstr(f.error->message, "S3CRET"));
	g_assert_null(strstr(f.error->message, "alice"));
	fetch_clear(&f);
}

static void
test_http_proxy_connect(void)
{
	g_autoptr(SrTestServer) proxy = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *proxy_url = NULL;
	g_autofree char *target = NULL;
	const char *port = strrchr(sr_test_server_get_url(proxy), ':') + 1;
	g_autofree char *expected = g_strdup_printf(
	    "the proxy http://127.0.0.1:%s refused the tunnel to alerts.example.invalid: HTTP 403",
	    port);
	SrHttpRequest request = {.url = "https://alerts.example.invalid/v1/x?token=SECRET"};
	Fetch f = {0};

	/* https goes through a tunnel: the proxy only sees the host and port it is asked to
	 * connect to, and here refuses them (nothing reaches the internet either way) */
	proxy_url = g_strdup_printf("http://bob:PASSWORD@127.0.0.1:%s", port);
	request.proxy = proxy_url;
	sr_test_server_set_reply(proxy, "alerts.example.invalid:443", 403, NULL, "ACL denied", -1);
	run_fetch(http, &request, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_HTTP);
	g_assert_cmpstr(f.error->message, ==, expected);
	g_assert_null(strstr(f.error->message, "SECRET"));
	g_assert_null(strstr(f.error->message, "PASSWORD"));
	g_assert_cmpuint(sr_test_server_get_request_count(proxy, "alerts.example.invalid:443"), ==,
	                 1);
	target = sr_test_server_get_last_target(proxy, "alerts.example.invalid:443");
	g_assert_cmpstr(target, ==, "alerts.example.invalid:443");
	fetch_clear(&f);
	f = (Fetch){0};

	/* a proxy that wants other credentials for the tunnel */
	sr_test_server_set_reply(proxy, "alerts.example.invalid:443", 407,
	                         "Proxy-Authenticate: Basic realm=\"squid\"", NULL, 0);
	run_fetch(http, &request, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_HTTP);
	g_assert_nonnull(strstr(f.error->message, "rejected the credentials (HTTP 407)"));
	g_assert_null(strstr(f.error->message, "PASSWORD"));
	fetch_clear(&f);
	f = (Fetch){0};

	/* a proxy that cannot reach the origin: worth another try later */
	sr_test_server_set_reply(proxy, "alerts.example.invalid:443", 502, NULL, NULL, 0);
	run_fetch(http, &request, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_SERVER);
	g_assert_true(sr_error_is_retryable(f.error));
	fetch_clear(&f);
}

static void
test_http_proxy_refused(void)
{
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autoptr(GSocket) hold = NULL;
	guint16 port = refusing_port(&hold);
	g_autofree char *proxy_url =
	    g_strdup_printf("socks5h://alice:S3CRET@127.0.0.1:%u", (guint)port);
	g_autofree char *expected = g_strdup_printf(
	    "connection refused by the proxy socks5h://127.0.0.1:%u (for alerts.example.invalid)",
	    (guint)port);
	SrHttpRequest request = {.url = "https://alerts.example.invalid/x?token=TOKEN",
	                         .proxy = proxy_url};
	Fetch f = {0};

	run_fetch(http, &request, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_NETWORK);
	g_assert_true(sr_error_is_retryable(f.error));
	g_assert_cmpstr(f.error->message, ==, expected);
	fetch_clear(&f);
	f = (Fetch){0};

	/* the same for an http proxy that is not there */
	g_free(proxy_url);
	proxy_url = g_strdup_printf("http://alice:S3CRET@127.0.0.1:%u", (guint)port);
	request.proxy = proxy_url;
	run_fetch(http, &request, &f);
	g_assert_error(f.error, SR_ERROR, SR_ERROR_NETWORK);
	g_assert_nonnull(strstr(f.error->message, "connection refused by the proxy http://"));
	g_assert_null(strstr(f.error->message, "S3CRET"));
	g_assert_null(strstr(f.error->message, "alice"));
	g_assert_null(strstr(f.error->message, "TOKEN"));
	fetch_clear(&f);
}

static void
test_http_proxy_invalid(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/x");
	const char *bad[] = {
	    "ftp://u:SECRET@127.0.0.1:21",
	    "127.0.0.1:3128",
	    "u:SECRET@proxy.example:3128",
	    "file:///tmp/proxy",
	    "socks6://127.0.0.1:1080",
	    "http://",
	    "http://u:SECRET@proxy.example:3128/path",
	    "http://u:SECRET@proxy.example:3128?x=1",
	    "http://u:SECRET@proxy example:3128",
	    "",
	};
	const char *good[] = {
	    "http://proxy.example:3128",
	    "HTTPS://proxy.example",
	    "socks4://127.0.0.1:1080",
	    "socks4a://127.0.0.1:1080/",
	    "socks5://[::1]:1080",
	    "socks5h://u:p@127.0.0.1:9050",
	    "http://u:p%40x@10.0.0.1:80",
	    "http://user@proxy.example",
	    NULL,
	};

	sr_test_server_set_reply(server, "/x", 200, NULL, "[]", -1);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		SrHttpRequest request = {.url = url, .proxy = bad[i]};
		Fetch f = {0};

		g_test_message("bad proxy %u", i);
		g_assert_false(sr_http_check_proxy(bad[i], NULL, &error));
		g_assert_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT);
		g_assert_null(strstr(error->message, "SECRET"));
		/* a bad proxy is never a reason to go without one */
		run_fetch(http, &request, &f);
		g_assert_error(f.error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT);
		g_assert_false(sr_error_is_retryable(f.error));
		g_assert_null(strstr(f.error->message, "SECRET"));
		fetch_clear(&f);
	}
	g_assert_cmpuint(sr_test_server_get_request_count(server, NULL), ==, 0);
	g_assert_cmpuint(sr_http_get_connections(http), ==, 0);
	{
		g_autoptr(GError) error = NULL;
		g_assert_false(sr_http_check_proxy("ftp://127.0.0.1:21", NULL, &error));
		g_assert_nonnull(strstr(error->message, "'ftp'"));
	}
	for (guint i = 0; good[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		gboolean has_password = TRUE;
		g_test_message("good proxy %u", i);
		g_assert_true(sr_http_check_proxy(good[i], &has_password, &error));
		g_assert_no_error(error);
		g_assert_cmpint(has_password, ==, strstr(good[i], ":p") != NULL);
	}
}

static void
test_http_proxy_redact(void)
{
	const struct {
		const char *proxy;
		const char *shown;
	} cases[] = {
	    {"http://alice:S3CRET@proxy.example:3128", "http://proxy.example:3128"},
	    {"HTTPS://alice@Proxy.Example", "https://Proxy.Example"},
	    {"socks5h://u:S3CRET@[::1]:1080/", "socks5h://[::1]:1080"},
	    {"ftp://u:S3CRET@x y", "(invalid proxy URL)"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *shown = sr_http_proxy_redact(cases[i].proxy);
		g_assert_cmpstr(shown, ==, cases[i].shown);
	}
}

/* streams */

typedef struct {
	Fetch f;
	GString *data;
	guint pieces;
	gint64 last_piece_at;
	gboolean stop;           /* the data func answers FALSE */
	GCancellable *cancel_in; /* the data func cancels this */
	SrHttp *free_in;         /* the data func frees this SrHttp */
} Stream;

static gboolean
stream_data_cb(const char *data, gsize len, gpointer user_data)
{
	Stream *s = user_data;

	g_assert_false(s->f.done);
	g_assert_cmpuint(len, >, 0);
	g_string_append_len(s->data, data, (gssize)len);
	s->pieces++;
	s->last_piece_at = g_get_monotonic_time();
	if (s->cancel_in != NULL)
		g_cancellable_cancel(s->cancel_in);
	if (s->free_in != NULL)
		sr_http_free(g_steal_pointer(&s->free_in));
	return !s->stop;
}

static void
stream_init(Stream *s)
{
	*s = (Stream){0};
	s->data = g_string_new(NULL);
}

static void
stream_clear(Stream *s)
{
	fetch_clear(&s->f);
	g_string_free(s->data, TRUE);
	s->data = NULL;
}

static void
start_stream(SrHttp *http, const SrHttpRequest *request, GCancellable *cancellable, Stream *s)
{
	sr_http_stream(http, request, cancellable, stream_data_cb, fetch_cb, s);
	g_assert_cmpuint(s->f.calls, ==, 0);
}

/* runs the default context until @path has @n open streams */
static void
wait_for_streams(SrTestServer *server, const char *path, guint n)
{
	gint64 deadline = g_get_monotonic_time() + WAIT_MS * G_TIME_SPAN_MILLISECOND;

	while (sr_test_server_get_stream_count(server, path) != n) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
}

/* runs the default context until the stream holds @len bytes */
static void
wait_for_data(Stream *s, gsize len)
{
	gint64 deadline = g_get_monotonic_time() + WAIT_MS * G_TIME_SPAN_MILLISECOND;

	while (s->data->len < len && !s->f.done) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_main_context_iteration(NULL, TRUE);
	}
}

static void
wait_done(Stream *s)
{
	sr_test_wait_for(&s->f.done, WAIT_MS);
	spin(50);
	g_assert_cmpuint(s->f.calls, ==, 1);
}

static void
test_http_stream(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/sse?token=abc");
	const char *headers[] = {"Accept: text/event-stream", NULL};
	SrHttpRequest request = {.url = url, .headers = headers, .timeout_ms = 5000};
	g_autoptr(GString) expected = g_string_new(NULL);
	g_autofree char *accept = NULL;
	gint64 worst = 0;
	Stream s;

	stream_init(&s);
	sr_test_server_set_stream(server, "/sse", "X-Test: 1\r\n");
	/* nobody listens yet: not queued for later */
	sr_test_server_push(server, "/sse", "event: lost\r\n\r\n", -1);
	start_stream(http, &request, NULL, &s);
	wait_for_streams(server, "/sse", 1);
	accept = sr_test_server_get_last_header(server, "/sse", "Accept");
	g_assert_cmpstr(accept, ==, "text/event-stream");

	for (guint i = 0; i < 20; i++) {
		g_autofree char *event = g_strdup_printf("event: e\r\ndata: %u\r\n\r\n", i);
		gint64 pushed = g_get_monotonic_time();

		sr_test_server_push(server, "/sse", event, -1);
		g_string_append(expected, event);
		wait_for_data(&s, expected->len);
		g_assert_false(s.f.done);
		worst = MAX(worst, s.last_piece_at - pushed);
	}
	g_assert_cmpstr(s.data->str, ==, expected->str);
	/* no batching behind a timer: each event is handed over as soon as it is read */
	g_test_message("slowest push to data func: %" G_GINT64_FORMAT " us", worst);
	g_assert_cmpint(worst, <, 100 * G_TIME_SPAN_MILLISECOND);
	g_assert_cmpuint(sr_http_get_pending(http), ==, 1);

	/* several events in one piece of the socket, and a large one */
	{
		g_autofree char *big = g_strnfill(200000, 'x');
		sr_test_server_push(server, "/sse", "data: a\r\n\r\ndata: b\r\n\r\n", -1);
		sr_test_server_push(server, "/sse", big, -1);
		g_string_append(expected, "data: a\r\n\r\ndata: b\r\n\r\n");
		g_string_append(expected, big);
		wait_for_data(&s, expected->len);
		g_assert_true(g_str_equal(s.data->str, expected->str));
	}

	sr_test_server_end_streams(server, "/sse");
	wait_done(&s);
	g_assert_no_error(s.f.error);
	g_assert_cmpuint(s.f.status, ==, 200);
	g_assert_true(s.f.body_null);
	g_assert_cmpuint(sr_http_get_pending(http), ==, 0);
	g_assert_cmpuint(sr_test_server_get_stream_count(server, "/sse"), ==, 0);
	stream_clear(&s);
}

static void
test_http_stream_idle(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/sse");
	SrHttpRequest request = {.url = url, .timeout_ms = 400};
	gint64 start;
	Stream s;

	stream_init(&s);
	sr_test_server_set_stream(server, "/sse", NULL);
	start = g_get_monotonic_time();
	start_stream(http, &request, NULL, &s);
	wait_for_streams(server, "/sse", 1);
	/* a heartbeat every 100 ms for over twice the idle time: the timeout is no total time */
	while (g_get_monotonic_time() - start < 1000 * G_TIME_SPAN_MILLISECOND) {
		sr_test_server_push(server, "/sse", ":\r\n", -1);
		spin(100);
		g_assert_false(s.f.done);
	}
	g_assert_cmpuint(s.pieces, >=, 5);
	/* then silence */
	sr_test_wait_for(&s.f.done, WAIT_MS);
	g_assert_error(s.f.error, SR_ERROR, SR_ERROR_TIMEOUT);
	g_assert_true(sr_error_is_retryable(s.f.error));
	g_assert_cmpint(s.f.finished_at - s.last_piece_at, >=, 400 * G_TIME_SPAN_MILLISECOND);
	g_assert_cmpint(s.f.finished_at - s.last_piece_at, <, 1000 * G_TIME_SPAN_MILLISECOND);
	g_assert_cmpuint(s.f.status, ==, 200);
	g_assert_true(s.f.body_null);
	spin(50);
	g_assert_cmpuint(s.f.calls, ==, 1);
	stream_clear(&s);

	/* a server that never answers: the idle time covers the wait for the head too */
	stream_init(&s);
	sr_test_server_set_behaviour(server, "/hang", SR_TEST_BEHAVIOUR_HANG, 0, 0);
	{
		g_autofree char *hang = url_for(server, "/hang");
		SrHttpRequest hung = {.url = hang, .timeout_ms = 300};
		start = g_get_monotonic_time();
		start_stream(http, &hung, NULL, &s);
		wait_done(&s);
	}
	g_assert_error(s.f.error, SR_ERROR, SR_ERROR_TIMEOUT);
	g_assert_cmpint(s.f.finished_at - start, >=, 300 * G_TIME_SPAN_MILLISECOND);
	g_assert_cmpint(s.f.finished_at - start, <, 2000 * G_TIME_SPAN_MILLISECOND);
	g_assert_cmpuint(s.f.status, ==, 0);
	g_assert_cmpuint(s.pieces, ==, 0);
	stream_clear(&s);
}

static void
test_http_stream_drop(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/sse");
	SrHttpRequest request = {.url = url};
	Stream s;

	stream_init(&s);
	sr_test_server_set_stream(server, "/sse", NULL);
	start_stream(http, &request, NULL, &s);
	wait_for_streams(server, "/sse", 1);
	sr_test_server_push(server, "/sse", "data: 1\r\n\r\n", -1);
	sr_test_server_drop_streams(server, "/sse");
	wait_done(&s);
	/* what came before the drop was handed over, then the failure */
	g_assert_cmpstr(s.data->str, ==, "data: 1\r\n\r\n");
	g_assert_error(s.f.error, SR_ERROR, SR_ERROR_NETWORK);
	g_assert_true(sr_error_is_retryable(s.f.error));
	g_assert_cmpuint(s.f.status, ==, 200);
	stream_clear(&s);
}

static void
test_http_stream_error_status(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/sse?token=s3cret");
	g_autofree char *url_500 = url_for(server, "/sse500");
	g_autofree char *long_body = g_strnfill(100000, 'e');
	SrHttpRequest request = {.url = url, .secret = "s3cret"};
	SrHttpRequest request_500 = {.url = url_500};
	Stream s;

	stream_init(&s);
	sr_test_server_set_reply(server, "/sse", 403, "Content-Type: text/plain",
	                         "bad token s3cret", -1);
	start_stream(http, &request, NULL, &s);
	wait_done(&s);
	g_assert_error(s.f.error, SR_ERROR, SR_ERROR_AUTH);
	g_assert_null(strstr(s.f.error->message, "s3cret"));
	g_assert_cmpuint(s.f.status, ==, 403);
	g_assert_cmpuint(s.pieces, ==, 0);
	g_assert_true(s.f.body_null);
	stream_clear(&s);

	/* an error body is read for the excerpt only, however long */
	stream_init(&s);
	sr_test_server_set_reply(server, "/sse500", 503, "Retry-After: 30", long_body, -1);
	start_stream(http, &request_500, NULL, &s);
	wait_done(&s);
	g_assert_error(s.f.error, SR_ERROR, SR_ERROR_SERVER);
	g_assert_nonnull(strstr(s.f.error->message, "eeee"));
	g_assert_cmpint(s.f.retry_after, ==, 30);
	g_assert_cmpuint(s.pieces, ==, 0);
	stream_clear(&s);
}

static void
test_http_stream_stop(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/sse");
	SrHttpRequest request = {.url = url};
	Stream s;

	stream_init(&s);
	s.stop = TRUE;
	sr_test_server_set_stream(server, "/sse", NULL);
	start_stream(http, &request, NULL, &s);
	wait_for_streams(server, "/sse", 1);
	sr_test_server_push(server, "/sse", "data: 1\r\n\r\n", -1);
	wait_done(&s);
	g_assert_error(s.f.error, SR_ERROR, SR_ERROR_CANCELLED);
	g_assert_cmpuint(s.pieces, ==, 1);
	g_assert_cmpuint(sr_http_get_pending(http), ==, 0);
	/* the connection is closed, not left streaming */
	wait_for_streams(server, "/sse", 0);
	sr_test_server_push(server, "/sse", "data: 2\r\n\r\n", -1);
	spin(50);
	g_assert_cmpuint(s.pieces, ==, 1);
	stream_clear(&s);
}

static void
test_http_stream_cancel(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GCancellable) in_data = g_cancellable_new();
	g_autofree char *url = url_for(server, "/sse");
	SrHttpRequest request = {.url = url};
	Stream s;

	stream_init(&s);
	sr_test_server_set_stream(server, "/sse", NULL);
	start_stream(http, &request, cancellable, &s);
	wait_for_streams(server, "/sse", 1);
	sr_test_server_push(server, "/sse", "data: 1\r\n\r\n", -1);
	wait_for_data(&s, 11);
	g_cancellable_cancel(cancellable);
	/* a push racing the cancel is never delivered after the callback */
	sr_test_server_push(server, "/sse", "data: 2\r\n\r\n", -1);
	wait_done(&s);
	g_assert_error(s.f.error, SR_ERROR, SR_ERROR_CANCELLED);
	spin(100);
	g_assert_cmpuint(s.f.calls, ==, 1);
	g_assert_cmpuint(sr_http_get_pending(http), ==, 0);
	wait_for_streams(server, "/sse", 0);
	stream_clear(&s);

	/* cancelled from inside the data func */
	stream_init(&s);
	s.cancel_in = in_data;
	start_stream(http, &request, in_data, &s);
	wait_for_streams(server, "/sse", 1);
	sr_test_server_push(server, "/sse", "data: 1\r\n\r\n", -1);
	wait_done(&s);
	g_assert_error(s.f.error, SR_ERROR, SR_ERROR_CANCELLED);
	g_assert_cmpuint(s.pieces, ==, 1);
	stream_clear(&s);
}

static void
test_http_stream_free_in_data(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	SrHttp *http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/sse");
	g_autofree char *url_hang = url_for(server, "/hang");
	SrHttpRequest request = {.url = url};
	SrHttpRequest hang = {.url = url_hang};
	Fetch g = {0};
	Stream s;

	stream_init(&s);
	s.free_in = http;
	sr_test_server_set_stream(server, "/sse", NULL);
	sr_test_server_set_behaviour(server, "/hang", SR_TEST_BEHAVIOUR_HANG, 0, 0);
	sr_http_fetch(http, &hang, NULL, fetch_cb, &g);
	start_stream(http, &request, NULL, &s);
	wait_for_streams(server, "/sse", 1);
	sr_test_server_push(server, "/sse", "data: 1\r\n\r\n", -1);
	/* freeing the SrHttp from the data func calls both back before it returns */
	wait_done(&s);
	g_assert_error(s.f.error, SR_ERROR, SR_ERROR_CANCELLED);
	g_assert_error(g.error, SR_ERROR, SR_ERROR_CANCELLED);
	g_assert_cmpuint(g.calls, ==, 1);
	g_assert_cmpuint(s.pieces, ==, 1);
	fetch_clear(&g);
	stream_clear(&s);
}

static void
test_http_stream_and_fetches(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	g_autofree char *url = url_for(server, "/sse");
	g_autofree char *url_ok = url_for(server, "/ok");
	SrHttpRequest request = {.url = url};
	g_autoptr(GString) expected = g_string_new(NULL);
	Stream s;

	stream_init(&s);
	sr_test_server_set_stream(server, "/sse", NULL);
	sr_test_server_set_reply(server, "/ok", 200, NULL, "fine", -1);
	start_stream(http, &request, NULL, &s);
	wait_for_streams(server, "/sse", 1);
	for (guint i = 0; i < 5; i++) {
		g_autofree char *event = g_strdup_printf("data: %u\r\n\r\n", i);
		Fetch f = {0};

		sr_test_server_push(server, "/sse", event, -1);
		g_string_append(expected, event);
		run_get(http, url_ok, &f);
		g_assert_no_error(f.error);
		assert_body(&f, "fine");
		fetch_clear(&f);
		wait_for_data(&s, expected->len);
	}
	g_assert_cmpstr(s.data->str, ==, expected->str);
	g_assert_false(s.f.done);
	/* the stream keeps its connection; the fetches share one other */
	g_assert_cmpuint(sr_test_server_get_connection_count(server), ==, 2);
	sr_test_server_end_streams(server, "/sse");
	wait_done(&s);
	g_assert_no_error(s.f.error);
	stream_clear(&s);
}

/* easy handles are reused: nothing of one request may carry over to the next */
static void
test_http_reuse_clean(void)
{
	g_autoptr(SrTestServer) server = sr_test_server_new();
	g_autoptr(SrHttp) http = sr_http_new(NULL, TEST_UA);
	const char *port = strrchr(sr_test_server_get_url(server), ':') + 1;
	g_autofree char *proxy_url = g_strdup_printf("http://alice:pw@127.0.0.1:%s", port);
	g_autofree char *url_a = url_for(server, "/a");
	g_autofree char *url_b = url_for(server, "/b");
	g_autofree char *url_sse = url_for(server, "/sse");
	g_autofree char *url_hang = url_for(server, "/hang");
	const char *headers[] = {"Authorization: Bearer tok", "X-Extra: 1", NULL};
	SrHttpRequest dressed = {.url = url_a,
	                         .headers = headers,
	                         .if_none_match = "\"v1\"",
	                         .if_modified_since = "Wed, 21 Oct 2015 07:28:00 GMT",
	                         .proxy = proxy_url,
	                         .secret = "tok",
	                         .timeout_ms = 3000};
	SrHttpRequest plain = {.url = url_b};
	SrHttpRequest hang = {.url = url_hang, .timeout_ms = 300};
	const char *gone[] = {"authorization", "proxy-authorization", "x-extra", "if-none-match",
	                      "if-modified-since"};
	g_autofree char *target = NULL;
	g_autofree char *ua = NULL;
	gint64 start;
	Stream s;

	sr_test_server_set_reply(server, "/a", 200, "ETag: \"v1\"", "a", -1);
	sr_test_server_set_reply(server, "/b", 200, NULL, "b", -1);
	for (guint round = 0; round < 2; round++) {
		Fetch f = {0};
		Fetch g = {0};

		run_fetch(http, &dressed, &f);
		g_assert_no_error(f.error);
		g_assert_true(f.not_modified);
		target = sr_test_server_get_last_target(server, "/a");
		g_assert_true(g_str_has_prefix(target, "http://127.0.0.1:"));
		g_clear_pointer(&target, g_free);
		for (guint i = 0; i < G_N_ELEMENTS(gone); i++) {
			g_autofree char *value =
			    sr_test_server_get_last_header(server, "/a", gone[i]);
			g_assert_nonnull(value);
		}
		fetch_clear(&f);

		run_fetch(http, &plain, &g);
		g_assert_no_error(g.error);
		assert_body(&g, "b");
		/* straight to the origin, not through the last request's proxy */
		target = sr_test_server_get_last_target(server, "/b");
		g_assert_cmpstr(target, ==, "/b");
		g_clear_pointer(&target, g_free);
		for (guint i = 0; i < G_N_ELEMENTS(gone); i++) {
			g_autofree char *value =
			    sr_test_server_get_last_header(server, "/b", gone[i]);
			g_assert_null(value);
		}
		ua = sr_test_server_get_last_header(server, "/b", "user-agent");
		g_assert_cmpstr(ua, ==, TEST_UA);
		g_clear_pointer(&ua, g_free);
		fetch_clear(&g);
	}

	/* a stream has no total timeout; the fetch after it has its own again */
	stream_init(&s);
	sr_test_server_set_stream(server, "/sse", NULL);
	sr_test_server_set_behaviour(server, "/hang", SR_TEST_BEHAVIOUR_HANG, 0, 0);
	start_stream(http, &(SrHttpRequest){.url = url_sse}, NULL, &s);
	wait_for_streams(server, "/sse", 1);
	sr_test_server_end_streams(server, "/sse");
	wait_done(&s);
	g_assert_no_error(s.f.error);
	stream_clear(&s);
	{
		Fetch h = {0};
		start = g_get_monotonic_time();
		run_fetch(http, &hang, &h);
		g_assert_error(h.error, SR_ERROR, SR_ERROR_TIMEOUT);
		g_assert_cmpint(h.finished_at - start, <, 2000 * G_TIME_SPAN_MILLISECOND);
		fetch_clear(&h);
	}
	/* and the one after a failed transfer still works, over a reused connection */
	{
		Fetch g = {0};
		run_fetch(http, &plain, &g);
		g_assert_no_error(g.error);
		assert_body(&g, "b");
		fetch_clear(&g);
	}
}

static void
test_backoff(void)
{
	for (guint i = 0; i < 200; i++) {
		gdouble d;

		/* attempt 1 is base +-25 % */
		d = sr_backoff_delay(1, 10, 300, -1);
		g_assert_cmpfloat(d, >=, 7.5);
		g_assert_cmpfloat(d, <=, 12.5);
		/* attempt 0 counts as the first */
		d = sr_backoff_delay(0, 10, 300, -1);
		g_assert_cmpfloat(d, >=, 7.5);
		g_assert_cmpfloat(d, <=, 12.5);
		/* doubling */
		d = sr_backoff_delay(3, 10, 300, -1);
		g_assert_cmpfloat(d, >=, 30);
		g_assert_cmpfloat(d, <=, 50);
		/* capped at max, then jittered */
		d = sr_backoff_delay(30, 10, 300, -1);
		g_assert_cmpfloat(d, >=, 225);
		g_assert_cmpfloat(d, <=, 375);
		d = sr_backoff_delay(G_MAXUINT, 10, 300, -1);
		g_assert_cmpfloat(d, >=, 225);
		g_assert_cmpfloat(d, <=, 375);
		/* a longer Retry-After wins, a shorter one does not */
		d = sr_backoff_delay(1, 10, 300, 100);
		g_assert_cmpfloat(d, ==, 100);
		d = sr_backoff_delay(3, 10, 300, 1);
		g_assert_cmpfloat(d, >=, 30);
		d = sr_backoff_delay(1, 10, 300, 0);
		g_assert_cmpfloat(d, >=, 7.5);
		/* never above an hour, whatever the server asks */
		d = sr_backoff_delay(1, 10, 300, 100000);
		g_assert_cmpfloat(d, ==, 3600);
		d = sr_backoff_delay(40, 10, 100000, -1);
		g_assert_cmpfloat(d, <=, 3600);
		/* nonsense stays harmless */
		d = sr_backoff_delay(1, -5, -1, -1);
		g_assert_cmpfloat(d, ==, 0);
	}
	/* the jitter does jitter */
	{
		gdouble min = G_MAXDOUBLE;
		gdouble max = 0;
		for (guint i = 0; i < 200; i++) {
			gdouble d = sr_backoff_delay(1, 100, 300, -1);
			min = MIN(min, d);
			max = MAX(max, d);
		}
		g_assert_cmpfloat(max - min, >, 10);
	}
}

int
main(int argc, char **argv)
{
	/* as under meson: the environment's no_proxy must not matter to a configured proxy */
	g_setenv("no_proxy", "*", TRUE);
	g_setenv("NO_PROXY", "*", TRUE);
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

	g_test_add_func("/sr/http/ok", test_http_ok);
	g_test_add_func("/sr/http/localhost", test_http_localhost);
	g_test_add_func("/sr/http/empty-body", test_http_empty_body);
	g_test_add_func("/sr/http/not-found", test_http_not_found_default);
	g_test_add_func("/sr/http/conditional", test_http_conditional);
	g_test_add_func("/sr/http/connection-reuse", test_http_connection_reuse);
	g_test_add_func("/sr/http/server-error", test_http_server_error);
	g_test_add_func("/sr/http/excerpt-bounded", test_http_excerpt_bounded);
	g_test_add_func("/sr/http/retry-after", test_http_retry_after);
	g_test_add_func("/sr/http/auth", test_http_auth);
	g_test_add_func("/sr/http/hang-timeout", test_http_hang_timeout);
	g_test_add_func("/sr/http/hang-reused", test_http_hang_reused);
	g_test_add_func("/sr/http/dribble", test_http_dribble);
	g_test_add_func("/sr/http/huge", test_http_huge);
	g_test_add_func("/sr/http/huge-fits", test_http_huge_fits);
	g_test_add_func("/sr/http/too-large-announced", test_http_too_large_announced);
	g_test_add_func("/sr/http/close-mid-body", test_http_close_mid_body);
	g_test_add_func("/sr/http/close-no-reply", test_http_close_no_reply);
	g_test_add_func("/sr/http/refused", test_http_refused);
	g_test_add_func("/sr/http/insecure", test_http_insecure);
	g_test_add_func("/sr/http/check-url", test_http_check_url);
	g_test_add_func("/sr/http/redirect", test_http_redirect);
	g_test_add_func("/sr/http/cancel", test_http_cancel);
	g_test_add_func("/sr/http/cancel-other-thread", test_http_cancel_other_thread);
	g_test_add_func("/sr/http/free-pending", test_http_free_pending);
	g_test_add_func("/sr/http/free-in-callback", test_http_free_in_callback);
	g_test_add_func("/sr/http/concurrent", test_http_concurrent);
	g_test_add_func("/sr/http/proxy", test_http_proxy);
	g_test_add_func("/sr/http/proxy-credentials", test_http_proxy_credentials);
	g_test_add_func("/sr/http/proxy-connect", test_http_proxy_connect);
	g_test_add_func("/sr/http/proxy-refused", test_http_proxy_refused);
	g_test_add_func("/sr/http/proxy-invalid", test_http_proxy_invalid);
	g_test_add_func("/sr/http/proxy-redact", test_http_proxy_redact);
	g_test_add_func("/sr/http/stream", test_http_stream);
	g_test_add_func("/sr/http/stream-idle", test_http_stream_idle);
	g_test_add_func("/sr/http/stream-drop", test_http_stream_drop);
	g_test_add_func("/sr/http/stream-error-status", test_http_stream_error_status);
	g_test_add_func("/sr/http/stream-stop", test_http_stream_stop);
	g_test_add_func("/sr/http/stream-cancel", test_http_stream_cancel);
	g_test_add_func("/sr/http/stream-free-in-data", test_http_stream_free_in_data);
	g_test_add_func("/sr/http/stream-and-fetches", test_http_stream_and_fetches);
	g_test_add_func("/sr/http/reuse-clean", test_http_reuse_clean);
	g_test_add_func("/sr/backoff/delay", test_backoff);
	return g_test_run();
}
