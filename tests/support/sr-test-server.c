/* sr-test-server.c - an HTTP/1.1 server on 127.0.0.1 for tests, serving scripted replies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-test-server"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "sr-test-server.h"

/*
 * A GSocketService on its own thread and GMainContext accepts connections; each connection
 * is served by its own thread with blocking I/O, so a hung or dribbling reply never holds up
 * the others. Every blocking wait is bounded (SR_TEST_SERVER_TIMEOUT_S) and cancelled by
 * sr_test_server_free(), which joins all threads.
 *
 * Replies, behaviours and request records live in hash tables guarded by one mutex: tests
 * change them from the main thread while the connection threads serve.
 *
 * A stream (set_stream) is served by its connection thread too: after the head it waits on
 * the server's condition for what push, end_streams and drop_streams queue for it, and looks
 * at its socket every SR_TEST_SERVER_STREAM_POLL_MS to notice a client that left.
 *
 * HUGE replies carry no Content-Length: the filler is streamed and the connection closed, so
 * a client can only stop it by counting bytes. CLOSE_MID_BODY announces the full length and
 * sends half of it.
 */

#define SR_TEST_SERVER_TIMEOUT_S      10
#define SR_TEST_SERVER_MAX_HEAD       (64 * 1024)
#define SR_TEST_SERVER_CHUNK          (64 * 1024)
#define SR_TEST_SERVER_STREAM_POLL_MS 20

typedef struct {
	guint status;
	char *headers; /* "Name: value" lines separated by "\n", or NULL */
	GBytes *body;
} SrTestReply;

typedef struct {
	SrTestReply *reply; /* the sticky reply, or NULL */
	GQueue queue;       /* one-shot SrTestReply, served first */
	SrTestBehaviour behaviour;
	guint dribble_ms;
	gsize huge_size;
	gboolean stream;
	char *stream_headers; /* "Name: value" lines, or NULL */
} SrTestRoute;

typedef enum {
	SR_TEST_STREAM_DATA,
	SR_TEST_STREAM_END,
	SR_TEST_STREAM_DROP,
} SrTestStreamOp;

typedef struct {
	SrTestStreamOp op;
	GBytes *data;
} SrTestStreamItem;

/* an open stream: owned by its connection thread, listed in server->streams while open */
typedef struct {
	char *path;
	GQueue items; /* SrTestStreamItem, under the mutex */
} SrTestStream;

typedef struct {
	guint count;
	GHashTable *headers; /* of the last request: lower-case name -> value */
	char *target;
} SrTestRecord;

struct _SrTestServer {
	GMutex mutex;
	GCond cond; /* signals ready and stopping */
	gboolean ready;
	gboolean stopping;
	GError *start_error;
	GThread *thread;
	GMainContext *context;
	GMainLoop *loop;
	GCancellable *cancellable; /* cancels every blocking socket call at once */
	char *url;
	GHashTable *routes;  /* path -> SrTestRoute */
	GHashTable *records; /* path -> SrTestRecord */
	SrTestRecord *last;  /* the last request to any path */
	guint connection_count;
	GPtrArray *threads; /* connection threads, joined on free */
	GPtrArray *streams; /* open SrTestStream, borrowed from their threads */
};

typedef struct {
	SrTestServer *server;
	GSocketConnection *connection;
} SrTestConnection;

/* the request being served, parsed */
typedef struct {
	char *method;
	char *target;
	char *path;
	GHashTable *headers;
	gboolean close;
} SrTestRequest;

static void
sr_test_reply_free(SrTestReply *reply)
{
	if (reply == NULL)
		return;
	g_free(reply->headers);
	g_bytes_unref(reply->body);
	g_free(reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrTestReply, sr_test_reply_free)

static SrTestReply *
sr_test_reply_new(guint status, const char *headers, const char *body, gssize len)
{
	SrTestReply *reply = g_new0(SrTestReply, 1);

	if (body == NULL)
		len = 0;
	else if (len < 0)
		len = (gssize)strlen(body);
	reply->status = status;
	reply->headers = g_strdup(headers);
	reply->body = g_bytes_new(body, (gsize)len);
	return reply;
}

static SrTestReply *
sr_test_reply_copy(const SrTestReply *reply)
{
	SrTestReply *copy = g_new0(SrTestReply, 1);
	copy->status = reply->status;
	copy->headers = g_strdup(reply->headers);
	copy->body = g_bytes_ref(reply->body);
	return copy;
}

static void
sr_test_route_free(SrTestRoute *route)
{
	sr_test_reply_free(route->reply);
	g_queue_clear_full(&route->queue, (GDestroyNotify)sr_test_reply_free);
	g_free(route->stream_headers);
	g_free(route);
}

static void
sr_test_record_free(SrTestRecord *record)
{
	if (record == NULL)
		return;
	g_clear_pointer(&record->headers, g_hash_table_unref);
	g_free(record->target);
	g_free(record);
}

static void
sr_test_request_clear(SrTestRequest *request)
{
	g_free(request->method);
	g_free(request->target);
	g_free(request->path);
	g_clear_pointer(&request->headers, g_hash_table_unref);
}

/* "/a/b?x=1" -> "/a/b"; the absolute form a client sends to a proxy,
 * "http://127.0.0.1:8080/a/b?x=1", has the same path */
static char *
sr_test_path_of(const char *target)
{
	const char *query;

	if (g_str_has_prefix(target, "http://") || g_str_has_prefix(target, "https://")) {
		const char *authority = strstr(target, "://") + 3;
		target = authority + strcspn(authority, "/?");
		if (target[0] != '/')
			return g_strdup("/");
	}
	query = strchr(target, '?');
	return query != NULL ? g_strndup(target, (gsize)(query - target)) : g_strdup(target);
}

/* the route for @path, created on demand; call with the mutex held */
static SrTestRoute *
sr_test_server_route(SrTestServer *server, const char *path)
{
	g_autofree char *key = sr_test_path_of(path);
	SrTestRoute *route = g_hash_table_lookup(server->routes, key);

	if (route == NULL) {
		route = g_new0(SrTestRoute, 1);
		g_queue_init(&route->queue);
		g_hash_table_insert(server->routes, g_steal_pointer(&key), route);
	}
	return route;
}

/* the value of header @name in the "\n"-separated @lines, or NULL */
static char *
sr_test_find_header(const char *lines, const char *name)
{
	g_auto(GStrv) split = NULL;

	if (lines == NULL)
		return NULL;
	split = g_strsplit(lines, "\n", -1);
	for (guint i = 0; split[i] != NULL; i++) {
		char *colon = strchr(split[i], ':');
		if (colon == NULL)
			continue;
		*colon = '\0';
		if (g_ascii_strcasecmp(g_strstrip(split[i]), name) == 0)
			return g_strdup(g_strstrip(colon + 1));
	}
	return NULL;
}

static const char *
sr_test_reason(guint status)
{
	switch (status) {
	case 200:
		return "OK";
	case 204:
		return "No Content";
	case 301:
		return "Moved Permanently";
	case 302:
		return "Found";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 407:
		return "Proxy Authentication Required";
	case 429:
		return "Too Many Requests";
	case 500:
		return "Internal Server Error";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	default:
		return "Status";
	}
}

/* socket I/O, every call bounded by the socket timeout and the server's cancellable */

static gboolean
sr_test_send_all(SrTestServer *server, GSocket *socket, const guint8 *data, gsize len)
{
	while (len > 0) {
		g_autoptr(GError) error = NULL;
		gssize sent =
		    g_socket_send(socket, (const char *)data, len, server->cancellable, &error);
		if (sent <= 0)
			return FALSE;
		data += sent;
		len -= (gsize)sent;
	}
	return TRUE;
}

/* waits @ms unless the server stops first; FALSE when it stops */
static gboolean
sr_test_server_sleep(SrTestServer *server, guint ms)
{
	gint64 end = g_get_monotonic_time() + (gint64)ms * G_TIME_SPAN_MILLISECOND;
	gboolean stopping;

	g_mutex_lock(&server->mutex);
	while (!server->stopping) {
		if (!g_cond_wait_until(&server->cond, &server->mutex, end))
			break;
	}
	stopping = server->stopping;
	g_mutex_unlock(&server->mutex);
	return !stopping;
}

/* reads until @buf holds a full request head; returns its length (without the blank line),
 * or -1 on end of stream, error, timeout or an oversized head */
static gssize
sr_test_read_head(SrTestServer *server, GSocket *socket, GByteArray *buf)
{
	for (;;) {
		g_autoptr(GError) error = NULL;
		guint8 chunk[16 * 1024];
		gssize n;

		for (guint i = 0; i + 3 < buf->len; i++) {
			if (memcmp(buf->data + i, "\r\n\r\n", 4) == 0)
				return (gssize)i;
		}
		if (buf->len > SR_TEST_SERVER_MAX_HEAD)
			return -1;
		n = g_socket_receive(socket, (char *)chunk, sizeof(chunk), server->cancellable,
		                     &error);
		if (n <= 0)
			return -1;
		g_byte_array_append(buf, chunk, (guint)n);
	}
}

/* drops @len body bytes from the buffer and the socket */
static gboolean
sr_test_skip_body(SrTestServer *server, GSocket *socket, GByteArray *buf, guint64 len)
{
	while (len > 0) {
		g_autoptr(GError) error = NULL;
		guint8 chunk[16 * 1024];
		gssize n;

		if (buf->len > 0) {
			guint take = (guint)MIN((guint64)buf->len, len);
			g_byte_array_remove_range(buf, 0, take);
			len -= take;
			continue;
		}
		n = g_socket_receive(socket, (char *)chunk, sizeof(chunk), server->cancellable,
		                     &error);
		if (n <= 0)
			return FALSE;
		g_byte_array_append(buf, chunk, (guint)n);
	}
	return TRUE;
}

static gboolean
sr_test_parse_request(const char *head, SrTestRequest *request)
{
	g_auto(GStrv) lines = g_strsplit(head, "\r\n", -1);
	g_auto(GStrv) parts = NULL;
	const char *connection;

	if (lines[0] == NULL)
		return FALSE;
	parts = g_strsplit(lines[0], " ", 3);
	if (g_strv_length(parts) != 3 || !g_str_has_prefix(parts[2], "HTTP/1."))
		return FALSE;
	request->method = g_strdup(parts[0]);
	request->target = g_strdup(parts[1]);
	request->path = sr_test_path_of(parts[1]);
	request->headers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (guint i = 1; lines[i] != NULL; i++) {
		char *colon = strchr(lines[i], ':');
		g_autofree char *name = NULL;
		const char *old;
		const char *value;

		if (colon == NULL)
			continue;
		*colon = '\0';
		name = g_ascii_strdown(g_strstrip(lines[i]), -1);
		value = g_strstrip(colon + 1);
		old = g_hash_table_lookup(request->headers, name);
		if (old != NULL) {
			char *joined = g_strdup_printf("%s, %s", old, value);
			g_hash_table_insert(request->headers, g_steal_pointer(&name), joined);
		} else {
			g_hash_table_insert(request->headers, g_steal_pointer(&name),
			                    g_strdup(value));
		}
	}
	connection = g_hash_table_lookup(request->headers, "connection");
	if (g_strcmp0(parts[2], "HTTP/1.0") == 0)
		request->close =
		    connection == NULL || g_ascii_strcasecmp(connection, "keep-alive") != 0;
	else
		request->close = connection != NULL && g_ascii_strcasecmp(connection, "close") == 0;
	return TRUE;
}

static SrTestRecord *
sr_test_record_new_from(const SrTestRequest *request, guint count)
{
	SrTestRecord *record = g_new0(SrTestRecord, 1);
	GHashTableIter iter;
	gpointer key;
	gpointer value;

	record->count = count;
	record->target = g_strdup(request->target);
	record->headers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_hash_table_iter_init(&iter, request->headers);
	while (g_hash_table_iter_next(&iter, &key, &value))
		g_hash_table_insert(record->headers, g_strdup(key), g_strdup(value));
	return record;
}

/* records the request and picks its reply and behaviour, all under the mutex */
static SrTestReply *
sr_test_server_take_reply(SrTestServer *server, const SrTestRequest *request,
                          SrTestBehaviour *behaviour, guint *dribble_ms, gsize *huge_size,
                          gboolean *stream, char **stream_headers)
{
	SrTestRecord *record;
	SrTestRoute *route;
	SrTestReply *reply = NULL;
	guint count;

	g_mutex_lock(&server->mutex);
	record = g_hash_table_lookup(server->records, request->path);
	count = record != NULL ? record->count + 1 : 1;
	g_hash_table_insert(server->records, g_strdup(request->path),
	                    sr_test_record_new_from(request, count));
	count = server->last != NULL ? server->last->count + 1 : 1;
	sr_test_record_free(server->last);
	server->last = sr_test_record_new_from(request, count);

	route = g_hash_table_lookup(server->routes, request->path);
	*behaviour = SR_TEST_BEHAVIOUR_NORMAL;
	*dribble_ms = 0;
	*huge_size = 0;
	*stream = FALSE;
	if (route != NULL) {
		*stream = route->stream;
		*stream_headers = g_strdup(route->stream_headers);
		*behaviour = route->behaviour;
		*dribble_ms = route->dribble_ms;
		*huge_size = route->huge_size;
		reply = g_queue_pop_head(&route->queue);
		if (reply == NULL && route->reply != NULL)
			reply = sr_test_reply_copy(route->reply);
	}
	g_mutex_unlock(&server->mutex);

	if (reply == NULL)
		reply = sr_test_reply_new(404, "Content-Type: text/plain", "not found\n", -1);
	return reply;
}

/* a 304 when the request's validator matches the reply's */
static void
sr_test_apply_conditional(SrTestReply *reply, const SrTestRequest *request)
{
	g_autofree char *etag = sr_test_find_header(reply->headers, "ETag");
	g_autofree char *last_modified = sr_test_find_header(reply->headers, "Last-Modified");
	const char *inm = g_hash_table_lookup(request->headers, "if-none-match");
	const char *ims = g_hash_table_lookup(request->headers, "if-modified-since");

	if (reply->status < 200 || reply->status >= 300)
		return;
	if ((etag != NULL && g_strcmp0(etag, inm) == 0) ||
	    (last_modified != NULL && g_strcmp0(last_modified, ims) == 0)) {
		reply->status = 304;
		g_bytes_unref(reply->body);
		reply->body = g_bytes_new(NULL, 0);
	}
}

static GString *
sr_test_reply_head(const SrTestReply *reply, gboolean with_length, gboolean close)
{
	GString *head = g_string_new(NULL);
	g_auto(GStrv) lines = g_strsplit(reply->headers != NULL ? reply->headers : "", "\n", -1);

	g_string_append_printf(head, "HTTP/1.1 %u %s\r\n", reply->status,
	                       sr_test_reason(reply->status));
	for (guint i = 0; lines[i] != NULL; i++) {
		g_strstrip(lines[i]);
		if (lines[i][0] != '\0')
			g_string_append_printf(head, "%s\r\n", lines[i]);
	}
	if (with_length)
		g_string_append_printf(head, "Content-Length: %" G_GSIZE_FORMAT "\r\n",
		                       g_bytes_get_size(reply->body));
	if (close)
		g_string_append(head, "Connection: close\r\n");
	g_string_append(head, "\r\n");
	return head;
}

/* "[0,0,...,0]" padded to exactly @size bytes, streamed in chunks */
static void
sr_test_send_huge(SrTestServer *server, GSocket *socket, gsize size)
{
	static const char head[] = "HTTP/1.1 200 OK\r\n"
	                           "Content-Type: application/json\r\n"
	                           "Connection: close\r\n\r\n";
	g_autofree guint8 *chunk = g_malloc(SR_TEST_SERVER_CHUNK);
	gsize middle = size >= 3 ? size - 3 : 0;

	for (gsize i = 0; i < SR_TEST_SERVER_CHUNK; i++)
		chunk[i] = i % 2 == 0 ? '0' : ',';
	if (!sr_test_send_all(server, socket, (const guint8 *)head, strlen(head)))
		return;
	if (!sr_test_send_all(server, socket, (const guint8 *)"[", 1))
		return;
	while (middle > 0) {
		/* an even chunk keeps the "0," pattern aligned; an odd tail ends in a space */
		gsize n = MIN(middle, (gsize)SR_TEST_SERVER_CHUNK);
		if (n == middle && n % 2 == 1) {
			chunk[n - 1] = ' ';
			if (!sr_test_send_all(server, socket, chunk, n))
				return;
			break;
		}
		if (!sr_test_send_all(server, socket, chunk, n))
			return;
		middle -= n;
	}
	sr_test_send_all(server, socket, (const guint8 *)"0]", 2);
}

/* reads and discards until the client leaves, the server stops or the defensive timeout */
static void
sr_test_hang(SrTestServer *server, GSocket *socket)
{
	for (;;) {
		g_autoptr(GError) error = NULL;
		char chunk[4096];
		gssize n =
		    g_socket_receive(socket, chunk, sizeof(chunk), server->cancellable, &error);
		if (n <= 0)
			return;
	}
}

static void
sr_test_stream_item_free(SrTestStreamItem *item)
{
	g_clear_pointer(&item->data, g_bytes_unref);
	g_free(item);
}

/* FALSE once the client has closed its end (or the socket failed) */
static gboolean
sr_test_client_present(GSocket *socket)
{
	GIOCondition cond = g_socket_condition_check(socket, G_IO_IN | G_IO_HUP | G_IO_ERR);
	char chunk[4096];
	gssize n;

	if (cond & (G_IO_HUP | G_IO_ERR))
		return FALSE;
	if (!(cond & G_IO_IN))
		return TRUE;
	/* a client may pipeline another request on the stream's connection: it is ignored */
	n = g_socket_receive_with_blocking(socket, chunk, sizeof(chunk), FALSE, NULL, NULL);
	return n != 0;
}

/* the 200 head, then what the test pushes; TRUE when the connection may serve more */
static gboolean
sr_test_serve_stream(SrTestServer *server, GSocket *socket, const SrTestRequest *request,
                     const char *extra_headers)
{
	g_autoptr(GString) head = g_string_new("HTTP/1.1 200 OK\r\n"
	                                       "Content-Type: text/event-stream\r\n"
	                                       "Transfer-Encoding: chunked\r\n"
	                                       "Cache-Control: no-cache\r\n");
	g_auto(GStrv) lines = g_strsplit(extra_headers != NULL ? extra_headers : "", "\n", -1);
	SrTestStream *stream;
	gboolean keep_alive = FALSE;

	for (guint i = 0; lines[i] != NULL; i++) {
		g_strstrip(lines[i]);
		if (lines[i][0] != '\0')
			g_string_append_printf(head, "%s\r\n", lines[i]);
	}
	if (request->close)
		g_string_append(head, "Connection: close\r\n");
	g_string_append(head, "\r\n");
	if (!sr_test_send_all(server, socket, (const guint8 *)head->str, head->len))
		return FALSE;

	stream = g_new0(SrTestStream, 1);
	stream->path = g_strdup(request->path);
	g_queue_init(&stream->items);
	g_mutex_lock(&server->mutex);
	g_ptr_array_add(server->streams, stream);
	for (;;) {
		SrTestStreamItem *item = g_queue_pop_head(&stream->items);
		gboolean sent = TRUE;

		if (item == NULL) {
			gint64 until = g_get_monotonic_time() +
			               SR_TEST_SERVER_STREAM_POLL_MS * G_TIME_SPAN_MILLISECOND;
			gboolean present;

			if (server->stopping)
				break;
			if (g_cond_wait_until(&server->cond, &server->mutex, until))
				continue;
			g_mutex_unlock(&server->mutex);
			present = sr_test_client_present(socket);
			g_mutex_lock(&server->mutex);
			if (!present)
				break;
			continue;
		}
		g_mutex_unlock(&server->mutex);
		if (item->op == SR_TEST_STREAM_DATA) {
			gsize len = 0;
			const guint8 *data = g_bytes_get_data(item->data, &len);
			g_autofree char *size_line =
			    g_strdup_printf("%" G_GSIZE_MODIFIER "x\r\n", len);
			/* an empty chunk would end the body */
			sent = len == 0 ||
			       (sr_test_send_all(server, socket, (const guint8 *)size_line,
			                         strlen(size_line)) &&
			        sr_test_send_all(server, socket, data, len) &&
			        sr_test_send_all(server, socket, (const guint8 *)"\r\n", 2));
		} else if (item->op == SR_TEST_STREAM_END) {
			keep_alive =
			    sr_test_send_all(server, socket, (const guint8 *)"0\r\n\r\n", 5) &&
			    !request->close;
			sent = FALSE;
		} else {
			sent = FALSE;
		}
		sr_test_stream_item_free(item);
		g_mutex_lock(&server->mutex);
		if (!sent)
			break;
	}
	g_ptr_array_remove(server->streams, stream);
	g_queue_clear_full(&stream->items, (GDestroyNotify)sr_test_stream_item_free);
	g_mutex_unlock(&server->mutex);
	g_free(stream->path);
	g_free(stream);
	return keep_alive;
}

/* serves one request; FALSE when the connection must close */
static gboolean
sr_test_serve_one(SrTestServer *server, GSocket *socket, GByteArray *buf)
{
	g_autoptr(SrTestReply) reply = NULL;
	g_autoptr(GString) head = NULL;
	g_autofree char *head_text = NULL;
	g_autofree char *reply_connection = NULL;
	SrTestRequest request = {NULL};
	SrTestBehaviour behaviour;
	guint dribble_ms;
	gsize huge_size;
	gssize head_len;
	guint64 body_len = 0;
	const char *content_length;
	gboolean keep_alive = FALSE;
	gboolean is_head;
	const guint8 *body;
	gsize body_size;
	gboolean stream = FALSE;
	g_autofree char *stream_headers = NULL;

	head_len = sr_test_read_head(server, socket, buf);
	if (head_len < 0)
		return FALSE;
	head_text = g_strndup((const char *)buf->data, (gsize)head_len);
	g_byte_array_remove_range(buf, 0, (guint)head_len + 4);
	if (!sr_test_parse_request(head_text, &request)) {
		sr_test_request_clear(&request);
		return FALSE;
	}
	content_length = g_hash_table_lookup(request.headers, "content-length");
	if (content_length != NULL)
		body_len = g_ascii_strtoull(content_length, NULL, 10);
	if (!sr_test_skip_body(server, socket, buf, body_len)) {
		sr_test_request_clear(&request);
		return FALSE;
	}

	reply = sr_test_server_take_reply(server, &request, &behaviour, &dribble_ms, &huge_size,
	                                  &stream, &stream_headers);
	if (stream && behaviour == SR_TEST_BEHAVIOUR_NORMAL) {
		keep_alive = sr_test_serve_stream(server, socket, &request, stream_headers);
		sr_test_request_clear(&request);
		return keep_alive;
	}
	sr_test_apply_conditional(reply, &request);
	reply_connection = sr_test_find_header(reply->headers, "Connection");
	is_head = g_strcmp0(request.method, "HEAD") == 0;
	body = g_bytes_get_data(reply->body, &body_size);
	if (is_head || reply->status == 304 || reply->status == 204 || reply->status < 200)
		body_size = 0;

	switch (behaviour) {
	case SR_TEST_BEHAVIOUR_NORMAL: {
		gboolean close =
		    request.close || (reply_connection != NULL &&
		                      g_ascii_strcasecmp(reply_connection, "close") == 0);
		head = sr_test_reply_head(reply, reply->status != 304 && reply->status != 204,
		                          close && reply_connection == NULL);
		keep_alive =
		    sr_test_send_all(server, socket, (const guint8 *)head->str, head->len) &&
		    sr_test_send_all(server, socket, body, body_size) && !close;
		break;
	}
	case SR_TEST_BEHAVIOUR_DRIBBLE: {
		g_autoptr(GByteArray) all = g_byte_array_new();
		head =
		    sr_test_reply_head(reply, reply->status != 304 && reply->status != 204, TRUE);
		g_byte_array_append(all, (const guint8 *)head->str, (guint)head->len);
		g_byte_array_append(all, body, (guint)body_size);
		for (guint i = 0; i < all->len; i++) {
			if (!sr_test_send_all(server, socket, all->data + i, 1))
				break;
			if (i + 1 < all->len && !sr_test_server_sleep(server, dribble_ms))
				break;
		}
		break;
	}
	case SR_TEST_BEHAVIOUR_CLOSE_MID_BODY:
		head = sr_test_reply_head(reply, TRUE, FALSE);
		if (sr_test_send_all(server, socket, (const guint8 *)head->str, head->len))
			sr_test_send_all(server, socket, body, body_size / 2);
		break;
	case SR_TEST_BEHAVIOUR_HUGE:
		sr_test_send_huge(server, socket, huge_size);
		break;
	case SR_TEST_BEHAVIOUR_CLOSE_MID_CHUNKED: {
		g_autofree char *size_line =
		    g_strdup_printf("%" G_GSIZE_MODIFIER "x\r\n", body_size / 2);
		head = sr_test_reply_head(reply, FALSE, FALSE);
		g_string_insert(head, head->len - 2, "Transfer-Encoding: chunked\r\n");
		if (sr_test_send_all(server, socket, (const guint8 *)head->str, head->len) &&
		    sr_test_send_all(server, socket, (const guint8 *)size_line, strlen(size_line)))
			sr_test_send_all(server, socket, body, body_size / 2);
		break;
	}
	case SR_TEST_BEHAVIOUR_HANG:
		sr_test_hang(server, socket);
		break;
	case SR_TEST_BEHAVIOUR_CLOSE_NO_REPLY:
	default:
		break;
	}
	sr_test_request_clear(&request);
	return keep_alive;
}

static gpointer
sr_test_connection_thread(gpointer data)
{
	SrTestConnection *conn = data;
	SrTestServer *server = conn->server;
	GSocket *socket = g_socket_connection_get_socket(conn->connection);
	g_autoptr(GByteArray) buf = g_byte_array_new();

	g_socket_set_blocking(socket, TRUE);
	g_socket_set_timeout(socket, SR_TEST_SERVER_TIMEOUT_S);
	while (sr_test_serve_one(server, socket, buf)) {
	}
	g_socket_shutdown(socket, FALSE, TRUE, NULL);
	g_io_stream_close(G_IO_STREAM(conn->connection), NULL, NULL);
	g_object_unref(conn->connection);
	g_free(conn);
	return NULL;
}

static gboolean
sr_test_server_incoming_cb(GSocketService *service, GSocketConnection *connection,
                           GObject *source_object, gpointer user_data)
{
	SrTestServer *server = user_data;
	SrTestConnection *conn;

	g_mutex_lock(&server->mutex);
	server->connection_count++;
	if (server->stopping) {
		g_mutex_unlock(&server->mutex);
		g_io_stream_close(G_IO_STREAM(connection), NULL, NULL);
		return TRUE;
	}
	conn = g_new0(SrTestConnection, 1);
	conn->server = server;
	conn->connection = g_object_ref(connection);
	g_ptr_array_add(server->threads,
	                g_thread_new("sr-test-connection", sr_test_connection_thread, conn));
	g_mutex_unlock(&server->mutex);
	return TRUE;
}

/* runs once the loop is running, so a quit can never be lost */
static gboolean
sr_test_server_ready_cb(gpointer user_data)
{
	SrTestServer *server = user_data;

	g_mutex_lock(&server->mutex);
	server->ready = TRUE;
	g_cond_broadcast(&server->cond);
	g_mutex_unlock(&server->mutex);
	return G_SOURCE_REMOVE;
}

static gboolean
sr_test_server_quit_cb(gpointer user_data)
{
	SrTestServer *server = user_data;
	g_main_loop_quit(server->loop);
	return G_SOURCE_REMOVE;
}

static gpointer
sr_test_server_thread(gpointer data)
{
	SrTestServer *server = data;
	g_autoptr(GSocketService) service = NULL;
	g_autoptr(GInetAddress) loopback = NULL;
	g_autoptr(GSocketAddress) address = NULL;
	g_autoptr(GSocketAddress) effective = NULL;
	g_autoptr(GError) error = NULL;
	GSource *ready;

	g_main_context_push_thread_default(server->context);
	service = g_socket_service_new();
	g_socket_listener_set_backlog(G_SOCKET_LISTENER(service), 128);
	loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	address = g_inet_socket_address_new(loopback, 0);
	if (g_socket_listener_add_address(G_SOCKET_LISTENER(service), address, G_SOCKET_TYPE_STREAM,
	                                  G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error)) {
		guint16 port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(effective));
		server->url = g_strdup_printf("http://127.0.0.1:%u", port);
		g_signal_connect(service, "incoming", G_CALLBACK(sr_test_server_incoming_cb),
		                 server);
		g_socket_service_start(service);
		ready = g_idle_source_new();
		g_source_set_callback(ready, sr_test_server_ready_cb, server, NULL);
		g_source_attach(ready, server->context);
		g_source_unref(ready);
		g_main_loop_run(server->loop);
		g_socket_service_stop(service);
		g_socket_listener_close(G_SOCKET_LISTENER(service));
	} else {
		g_mutex_lock(&server->mutex);
		server->start_error = g_steal_pointer(&error);
		server->ready = TRUE;
		g_cond_broadcast(&server->cond);
		g_mutex_unlock(&server->mutex);
	}
	g_clear_object(&service);
	/* let the cancelled accept finish so nothing stays referenced */
	while (g_main_context_iteration(server->context, FALSE)) {
	}
	g_main_context_pop_thread_default(server->context);
	return NULL;
}

SrTestServer *
sr_test_server_new(void)
{
	SrTestServer *server = g_new0(SrTestServer, 1);
	gint64 deadline = g_get_monotonic_time() + SR_TEST_SERVER_TIMEOUT_S * G_TIME_SPAN_SECOND;

	g_mutex_init(&server->mutex);
	g_cond_init(&server->cond);
	server->context = g_main_context_new();
	server->loop = g_main_loop_new(server->context, FALSE);
	server->cancellable = g_cancellable_new();
	server->routes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                       (GDestroyNotify)sr_test_route_free);
	server->records = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                        (GDestroyNotify)sr_test_record_free);
	server->threads = g_ptr_array_new();
	server->streams = g_ptr_array_new();
	server->thread = g_thread_new("sr-test-server", sr_test_server_thread, server);

	g_mutex_lock(&server->mutex);
	while (!server->ready) {
		if (!g_cond_wait_until(&server->cond, &server->mutex, deadline))
			break;
	}
	g_mutex_unlock(&server->mutex);
	if (!server->ready)
		g_error("test server: not ready within %d s", SR_TEST_SERVER_TIMEOUT_S);
	g_assert_no_error(server->start_error);
	return server;
}

void
sr_test_server_free(SrTestServer *server)
{
	GSource *quit;

	if (server == NULL)
		return;

	g_mutex_lock(&server->mutex);
	server->stopping = TRUE;
	g_cond_broadcast(&server->cond);
	g_mutex_unlock(&server->mutex);
	/* wakes every connection thread blocked in a socket call, hung ones included */
	g_cancellable_cancel(server->cancellable);
	quit = g_idle_source_new();
	g_source_set_callback(quit, sr_test_server_quit_cb, server, NULL);
	g_source_attach(quit, server->context);
	g_source_unref(quit);
	g_thread_join(server->thread);
	/* no new connection thread can start now */
	for (guint i = 0; i < server->threads->len; i++)
		g_thread_join(g_ptr_array_index(server->threads, i));
	g_ptr_array_unref(server->threads);
	g_ptr_array_unref(server->streams);

	g_hash_table_unref(server->routes);
	g_hash_table_unref(server->records);
	sr_test_record_free(server->last);
	g_clear_error(&server->start_error);
	g_object_unref(server->cancellable);
	g_main_loop_unref(server->loop);
	g_main_context_unref(server->context);
	g_free(server->url);
	g_cond_clear(&server->cond);
	g_mutex_clear(&server->mutex);
	g_free(server);
}

const char *
sr_test_server_get_url(SrTestServer *server)
{
	return server->url;
}

void
sr_test_server_set_reply(SrTestServer *server, const char *path, guint status,
                         const char *extra_headers, const char *body, gssize len)
{
	SrTestReply *reply = sr_test_reply_new(status, extra_headers, body, len);
	SrTestRoute *route;

	g_mutex_lock(&server->mutex);
	route = sr_test_server_route(server, path);
	sr_test_reply_free(route->reply);
	route->reply = reply;
	g_mutex_unlock(&server->mutex);
}

void
sr_test_server_set_reply_file(SrTestServer *server, const char *path, guint status,
                              const char *extra_headers, const char *filename)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *contents = NULL;
	gsize len = 0;

	g_file_get_contents(filename, &contents, &len, &error);
	g_assert_no_error(error);
	sr_test_server_set_reply(server, path, status, extra_headers, contents, (gssize)len);
}

void
sr_test_server_queue_reply(SrTestServer *server, const char *path, guint status,
                           const char *extra_headers, const char *body, gssize len)
{
	SrTestReply *reply = sr_test_reply_new(status, extra_headers, body, len);
	SrTestRoute *route;

	g_mutex_lock(&server->mutex);
	route = sr_test_server_route(server, path);
	g_queue_push_tail(&route->queue, reply);
	g_mutex_unlock(&server->mutex);
}

void
sr_test_server_set_behaviour(SrTestServer *server, const char *path, SrTestBehaviour behaviour,
                             guint dribble_ms, gsize huge_size)
{
	SrTestRoute *route;

	g_mutex_lock(&server->mutex);
	route = sr_test_server_route(server, path);
	route->behaviour = behaviour;
	route->dribble_ms = dribble_ms;
	route->huge_size = huge_size;
	g_mutex_unlock(&server->mutex);
}

/* forgets the replies and behaviour of @path (of every path when NULL); the request records
 * stay */
void
sr_test_server_clear(SrTestServer *server, const char *path)
{
	g_mutex_lock(&server->mutex);
	if (path == NULL) {
		g_hash_table_remove_all(server->routes);
	} else {
		g_autofree char *key = sr_test_path_of(path);
		g_hash_table_remove(server->routes, key);
	}
	g_mutex_unlock(&server->mutex);
}

guint
sr_test_server_get_request_count(SrTestServer *server, const char *path)
{
	guint count = 0;

	g_mutex_lock(&server->mutex);
	if (path == NULL) {
		if (server->last != NULL)
			count = server->last->count;
	} else {
		g_autofree char *key = sr_test_path_of(path);
		SrTestRecord *record = g_hash_table_lookup(server->records, key);
		if (record != NULL)
			count = record->count;
	}
	g_mutex_unlock(&server->mutex);
	return count;
}

/* the record of @path (the last request overall when NULL); call with the mutex held */
static SrTestRecord *
sr_test_server_record(SrTestServer *server, const char *path)
{
	g_autofree char *key = NULL;

	if (path == NULL)
		return server->last;
	key = sr_test_path_of(path);
	return g_hash_table_lookup(server->records, key);
}

char *
sr_test_server_get_last_header(SrTestServer *server, const char *path, const char *name)
{
	g_autofree char *lower = g_ascii_strdown(name, -1);
	SrTestRecord *record;
	char *value = NULL;

	g_mutex_lock(&server->mutex);
	record = sr_test_server_record(server, path);
	if (record != NULL)
		value = g_strdup(g_hash_table_lookup(record->headers, lower));
	g_mutex_unlock(&server->mutex);
	return value;
}

char *
sr_test_server_get_last_target(SrTestServer *server, const char *path)
{
	SrTestRecord *record;
	char *target = NULL;

	g_mutex_lock(&server->mutex);
	record = sr_test_server_record(server, path);
	if (record != NULL)
		target = g_strdup(record->target);
	g_mutex_unlock(&server->mutex);
	return target;
}

guint
sr_test_server_get_connection_count(SrTestServer *server)
{
	guint count;

	g_mutex_lock(&server->mutex);
	count = server->connection_count;
	g_mutex_unlock(&server->mutex);
	return count;
}

void
sr_test_server_set_stream(SrTestServer *server, const char *path, const char *extra_headers)
{
	SrTestRoute *route;

	g_mutex_lock(&server->mutex);
	route = sr_test_server_route(server, path);
	g_clear_pointer(&route->reply, sr_test_reply_free);
	g_queue_clear_full(&route->queue, (GDestroyNotify)sr_test_reply_free);
	g_free(route->stream_headers);
	route->stream_headers = g_strdup(extra_headers);
	route->stream = TRUE;
	route->behaviour = SR_TEST_BEHAVIOUR_NORMAL;
	g_mutex_unlock(&server->mutex);
}

/* queues @op for every stream open on @path; END and DROP also take them off the list, so
 * they count as closed at once and no later push reaches them */
static void
sr_test_server_stream_op(SrTestServer *server, const char *path, SrTestStreamOp op, GBytes *data)
{
	g_autofree char *key = sr_test_path_of(path);

	g_mutex_lock(&server->mutex);
	for (guint i = 0; i < server->streams->len;) {
		SrTestStream *stream = g_ptr_array_index(server->streams, i);
		SrTestStreamItem *item;

		if (g_strcmp0(stream->path, key) != 0) {
			i++;
			continue;
		}
		item = g_new0(SrTestStreamItem, 1);
		item->op = op;
		item->data = data != NULL ? g_bytes_ref(data) : NULL;
		g_queue_push_tail(&stream->items, item);
		if (op == SR_TEST_STREAM_DATA)
			i++;
		else
			g_ptr_array_remove_index(server->streams, i);
	}
	g_cond_broadcast(&server->cond);
	g_mutex_unlock(&server->mutex);
}

void
sr_test_server_push(SrTestServer *server, const char *path, const char *data, gssize len)
{
	g_autoptr(GBytes) bytes = g_bytes_new(data, len < 0 ? strlen(data) : (gsize)len);

	sr_test_server_stream_op(server, path, SR_TEST_STREAM_DATA, bytes);
}

void
sr_test_server_end_streams(SrTestServer *server, const char *path)
{
	sr_test_server_stream_op(server, path, SR_TEST_STREAM_END, NULL);
}

void
sr_test_server_drop_streams(SrTestServer *server, const char *path)
{
	sr_test_server_stream_op(server, path, SR_TEST_STREAM_DROP, NULL);
}

guint
sr_test_server_get_stream_count(SrTestServer *server, const char *path)
{
	g_autofree char *key = sr_test_path_of(path);
	guint count = 0;

	g_mutex_lock(&server->mutex);
	for (guint i = 0; i < server->streams->len; i++) {
		SrTestStream *stream = g_ptr_array_index(server->streams, i);
		if (g_strcmp0(stream->path, key) == 0)
			count++;
	}
	g_mutex_unlock(&server->mutex);
	return count;
}
