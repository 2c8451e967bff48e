/* sr-stream.c - one server-sent events feed that keeps itself connected
 *
 * A connection lives in its own small struct, because the HTTP module calls back once more
 * after a cancel: the stream may be gone by then, the connection must not be.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-stream"

#include "config.h"

#include "engine/sr-stream.h"
#include "sirena/error.h"

typedef struct Connection Connection;

struct _SrStream {
	SrHttp *http;
	char *url;
	GStrv headers;
	char *proxy;
	char *secret;
	guint idle_timeout_ms;
	gdouble retry_base;
	gdouble retry_max;
	gdouble permanent_wait;
	SrStreamEventFunc event_func;
	SrStreamStateFunc state_func;
	gpointer user_data;

	Connection *conn; /* the connection open now, NULL between connections */
	guint reconnect_id;
	guint attempts; /* failed connections since the last one that came up */
	guint connections;
	gboolean up;
	char *last_id;
	gint64 retry_ms; /* from the stream's "retry" field, -1: none */
};

struct Connection {
	SrStream *stream; /* NULL once the stream is freed: the callback then frees this */
	GCancellable *cancellable;
	SrSseParser *parser;
	GError *error; /* broken framing: why this end reads the connection as dead */
	gint64 arrived;
};

static void
connection_free(Connection *conn)
{
	g_clear_object(&conn->cancellable);
	g_clear_pointer(&conn->parser, sr_sse_parser_free);
	g_clear_error(&conn->error);
	g_free(conn);
}

static gboolean
sse_event_cb(const SrSseEvent *event, gpointer user_data)
{
	Connection *conn = user_data;
	SrStream *stream = conn->stream;
	if (stream == NULL)
		return FALSE;
	if (event->last_id != NULL && g_strcmp0(event->last_id, stream->last_id) != 0) {
		g_free(stream->last_id);
		stream->last_id = g_strdup(event->last_id);
	}
	stream->event_func(event, conn->arrived, stream->user_data);
	/* the callback may have freed the stream, which detaches this connection */
	return conn->stream != NULL;
}

static gboolean
data_cb(const char *data, gsize len, gpointer user_data)
{
	Connection *conn = user_data;
	SrStream *stream = conn->stream;
	if (stream == NULL)
		return FALSE;
	conn->arrived = g_get_monotonic_time();
	if (!stream->up) {
		stream->up = TRUE;
		stream->attempts = 0;
		g_debug("stream %s: up", stream->url);
		stream->state_func(TRUE, NULL, stream->user_data);
		if (conn->stream == NULL)
			return FALSE;
	}
	if (!sr_sse_parser_feed(conn->parser, data, len, &conn->error)) {
		/* an error, or the event callback freed the stream */
		return FALSE;
	}
	return conn->stream != NULL;
}

static void connect_now(SrStream *stream);

static gboolean
reconnect_cb(gpointer user_data)
{
	SrStream *stream = user_data;
	stream->reconnect_id = 0;
	connect_now(stream);
	return G_SOURCE_REMOVE;
}

static void
done_cb(const SrHttpResult *result, gpointer user_data)
{
	Connection *conn = user_data;
	SrStream *stream = conn->stream;
	g_autoptr(GError) error = NULL;
	gint64 retry = -1;
	gdouble delay = 0;

	if (stream == NULL) {
		connection_free(conn);
		return;
	}
	stream->conn = NULL;
	if (conn->error != NULL)
		error = g_steal_pointer(&conn->error);
	else if (result->error != NULL)
		error = g_error_copy(result->error);
	retry = sr_sse_parser_get_retry(conn->parser);
	if (retry >= 0)
		stream->retry_ms = retry;
	connection_free(conn);
	stream->up = FALSE;
	stream->attempts++;
	if (error != NULL && !sr_error_is_retryable(error) &&
	    !g_error_matches(error, SR_ERROR, SR_ERROR_CANCELLED)) {
		delay = stream->permanent_wait;
	} else {
		/* the server's "retry" is its wish for the first try; failures in a row back off */
		gdouble base =
		    stream->retry_ms >= 0 ? stream->retry_ms / 1000.0 : stream->retry_base;
		delay = sr_backoff_delay(stream->attempts, base, MAX(stream->retry_max, base),
		                         result->retry_after);
	}
	g_debug("stream %s: down (%s), reconnecting in %.2f s", stream->url,
	        error != NULL ? error->message : "ended by the server", delay);
	stream->reconnect_id =
	    g_timeout_add((guint)MIN(delay * 1000.0, 3600.0 * 1000.0), reconnect_cb, stream);
	stream->state_func(FALSE, error, stream->user_data);
}

static void
connect_now(SrStream *stream)
{
	Connection *conn = g_new0(Connection, 1);
	g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func(g_free);
	SrHttpRequest request = {0};

	for (guint i = 0; stream->headers != NULL && stream->headers[i] != NULL; i++)
		g_ptr_array_add(headers, g_strdup(stream->headers[i]));
	/* events missed while away are the server's to replay, when it can */
	if (stream->last_id != NULL)
		g_ptr_array_add(headers, g_strdup_printf("Last-Event-ID: %s", stream->last_id));
	g_ptr_array_add(headers, NULL);
	conn->stream = stream;
	conn->cancellable = g_cancellable_new();
	conn->parser = sr_sse_parser_new(0, sse_event_cb, conn);
	stream->conn = conn;
	stream->connections++;
	request.url = stream->url;
	request.headers = (const char *const *)headers->pdata;
	request.proxy = stream->proxy;
	request.secret = stream->secret;
	request.timeout_ms = stream->idle_timeout_ms;
	sr_http_stream(stream->http, &request, conn->cancellable, data_cb, done_cb, conn);
}

SrStream *
sr_stream_new(SrHttp *http, const SrStreamOptions *options, SrStreamEventFunc event,
              SrStreamStateFunc state, gpointer user_data)
{
	SrStream *stream = g_new0(SrStream, 1);
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
	stream->http = http;
	stream->url = g_strdup(options->url);
	for (guint i = 0; options->headers != NULL && options->headers[i] != NULL; i++)
		g_strv_builder_add(builder, options->headers[i]);
	stream->headers = g_strv_builder_end(builder);
	stream->proxy = g_strdup(options->proxy);
	stream->secret = g_strdup(options->secret);
	stream->idle_timeout_ms = options->idle_timeout_ms;
	stream->retry_base = options->retry_base > 0 ? options->retry_base : 1.0;
	stream->retry_max = MAX(options->retry_max, stream->retry_base);
	stream->permanent_wait = MAX(options->permanent_wait, stream->retry_max);
	stream->event_func = event;
	stream->state_func = state;
	stream->user_data = user_data;
	stream->retry_ms = -1;
	return stream;
}

void
sr_stream_free(SrStream *stream)
{
	if (stream == NULL)
		return;
	g_clear_handle_id(&stream->reconnect_id, g_source_remove);
	if (stream->conn != NULL) {
		/* its callback still comes, and frees it */
		stream->conn->stream = NULL;
		g_cancellable_cancel(stream->conn->cancellable);
		stream->conn = NULL;
	}
	g_free(stream->url);
	g_strfreev(stream->headers);
	g_free(stream->proxy);
	g_free(stream->secret);
	g_free(stream->last_id);
	g_free(stream);
}

void
sr_stream_start(SrStream *stream)
{
	if (stream->conn != NULL || stream->reconnect_id != 0)
		return;
	connect_now(stream);
}

gboolean
sr_stream_is_up(SrStream *stream)
{
	return stream->up;
}

guint
sr_stream_get_reconnects(SrStream *stream)
{
	return stream->connections > 0 ? stream->connections - 1 : 0;
}

const char *
sr_stream_get_last_id(SrStream *stream)
{
	return stream->last_id;
}
