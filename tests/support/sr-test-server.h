/* sr-test-server.h - an HTTP/1.1 server on 127.0.0.1 for tests, serving scripted replies
 *
 * It runs on its own thread with its own GMainContext, so a test can drive the client's main
 * loop (or a child process) while the server answers. Replies are set per path (the query string
 * is ignored for matching); a path with no reply gets 404.
 *
 * It also stands in for an HTTP proxy: a request in absolute form ("GET http://HOST:PORT/a/b")
 * is answered by the reply for its path ("/a/b") and recorded with the whole URL as its target;
 * a CONNECT request is answered by the reply for its authority ("example.invalid:443"), which
 * should be an error status: the server opens no tunnel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	SR_TEST_BEHAVIOUR_NORMAL,  /* status, headers, body with Content-Length, keep-alive */
	SR_TEST_BEHAVIOUR_HANG,    /* read the request, never answer (until the client leaves) */
	SR_TEST_BEHAVIOUR_DRIBBLE, /* send the reply one byte per dribble_ms */
	SR_TEST_BEHAVIOUR_CLOSE_MID_BODY, /* announce the full length, send half the body, close */
	SR_TEST_BEHAVIOUR_HUGE,           /* a 200 with huge_size bytes of filler JSON, streamed */
	SR_TEST_BEHAVIOUR_CLOSE_NO_REPLY, /* close the connection without any reply */
	SR_TEST_BEHAVIOUR_CLOSE_MID_CHUNKED, /* chunked encoding: half the body as one chunk, then
	                                      * close without the terminating chunk */
} SrTestBehaviour;

typedef struct _SrTestServer SrTestServer;

/* starts listening on 127.0.0.1 with a free port */
SrTestServer *sr_test_server_new(void);
void sr_test_server_free(SrTestServer *server);

/* "http://127.0.0.1:PORT" */
const char *sr_test_server_get_url(SrTestServer *server);

/* the reply for every request to @path until changed: @status, extra header lines
 * ("Name: value", separated by "\n"; may be NULL) and a body (@len -1: NUL-terminated).
 * When @extra_headers has a Last-Modified or ETag and the request's If-Modified-Since or
 * If-None-Match equals it, the server answers 304 with no body instead. */
void sr_test_server_set_reply(SrTestServer *server, const char *path, guint status,
                              const char *extra_headers, const char *body, gssize len);
/* the same with the body read from a file (aborts the test when it cannot be read) */
void sr_test_server_set_reply_file(SrTestServer *server, const char *path, guint status,
                                   const char *extra_headers, const char *filename);
/* one-shot replies, served in order before the sticky reply of set_reply */
void sr_test_server_queue_reply(SrTestServer *server, const char *path, guint status,
                                const char *extra_headers, const char *body, gssize len);
/* how the current and later replies to @path are delivered */
void sr_test_server_set_behaviour(SrTestServer *server, const char *path, SrTestBehaviour behaviour,
                                  guint dribble_ms, gsize huge_size);
void sr_test_server_clear(SrTestServer *server, const char *path);

/* requests received for @path so far (all paths when @path is NULL) */
guint sr_test_server_get_request_count(SrTestServer *server, const char *path);
/* a header of the last request to @path (case-insensitive name), or NULL; free with g_free */
char *sr_test_server_get_last_header(SrTestServer *server, const char *path, const char *name);
/* the last request line's target, e.g. "/v1/alerts/active.json?x=1" (or the absolute URL a
 * proxy is sent); free with g_free */
char *sr_test_server_get_last_target(SrTestServer *server, const char *path);
/* server-sent events on @path: every request gets a 200 with Content-Type text/event-stream
 * (plus @extra_headers, "Name: value\r\n" lines, may be NULL) and a chunked body that stays
 * open; replies set for @path before are forgotten */
void sr_test_server_set_stream(SrTestServer *server, const char *path, const char *extra_headers);
/* writes @data (@len -1: NUL-terminated) as one chunk to every stream open on @path now, as
 * written: the test writes the framing ("event: x\r\ndata: y\r\n\r\n") itself */
void sr_test_server_push(SrTestServer *server, const char *path, const char *data, gssize len);
/* ends every stream open on @path cleanly (the terminating chunk) */
void sr_test_server_end_streams(SrTestServer *server, const char *path);
/* closes every stream open on @path without the terminating chunk (a dropped connection) */
void sr_test_server_drop_streams(SrTestServer *server, const char *path);
/* streams open on @path now (its request read and its headers sent) */
guint sr_test_server_get_stream_count(SrTestServer *server, const char *path);

/* TCP connections accepted so far */
guint sr_test_server_get_connection_count(SrTestServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrTestServer, sr_test_server_free)

G_END_DECLS
