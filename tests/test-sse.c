/* test-sse.c - the text/event-stream parser: line ends, splits at every byte, fields, limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-sse"

#include "config.h"

#include <string.h>

#include "net/sr-sse.h"
#include "sirena/error.h"

/* the alerts.com.ua stream as its server writes it (raid/sse.go): CRLF, hello, update, ping */
static const char sample[] =
    "event: hello\r\n"
    "data: null\r\n"
    "\r\n"
    "event: update\r\n"
    "data: {\"state\":{\"id\":25,\"name\":\"м. Київ\",\"name_en\":\"Kyiv\",\"alert\":true,"
    "\"changed\":\"2026-08-29T23:14:02+03:00\"},"
    "\"notification_id\":\"5b1c2f6e-6a1d-11f0-9c1e-0242ac120002\"}\r\n"
    "\r\n"
    "event: ping\r\n"
    "data: null\r\n"
    "\r\n"
    "event: update\r\n"
    "data: {\"state\":{\"id\":25,\"name\":\"м. Київ\",\"name_en\":\"Kyiv\",\"alert\":false,"
    "\"changed\":\"2026-08-29T23:51:40+03:00\"},"
    "\"notification_id\":\"7d4e0a10-6a22-11f0-9c1e-0242ac120002\"}\r\n"
    "\r\n";

static const char *const sample_events[] = {
    "hello|null|",
    "update|{\"state\":{\"id\":25,\"name\":\"м. Київ\",\"name_en\":\"Kyiv\",\"alert\":true,"
    "\"changed\":\"2026-08-29T23:14:02+03:00\"},"
    "\"notification_id\":\"5b1c2f6e-6a1d-11f0-9c1e-0242ac120002\"}|",
    "ping|null|",
    "update|{\"state\":{\"id\":25,\"name\":\"м. Київ\",\"name_en\":\"Kyiv\",\"alert\":false,"
    "\"changed\":\"2026-08-29T23:51:40+03:00\"},"
    "\"notification_id\":\"7d4e0a10-6a22-11f0-9c1e-0242ac120002\"}|",
    NULL,
};

typedef struct {
	GPtrArray *events; /* of "type|data|last_id" */
	guint stop_after;  /* 0: never stop */
} Recorder;

static gboolean
record(const SrSseEvent *event, gpointer user_data)
{
	Recorder *recorder = user_data;
	/* the data is NUL-terminated at data_len, and holds no NUL before it */
	g_assert_cmpuint(strlen(event->data), ==, event->data_len);
	g_assert_nonnull(event->type);
	g_ptr_array_add(recorder->events,
	                g_strdup_printf("%s|%s|%s", event->type, event->data,
	                                event->last_id != NULL ? event->last_id : ""));
	return recorder->stop_after == 0 || recorder->events->len < recorder->stop_after;
}

static void
recorder_init(Recorder *recorder)
{
	recorder->events = g_ptr_array_new_with_free_func(g_free);
	recorder->stop_after = 0;
}

static void
recorder_clear(Recorder *recorder)
{
	g_ptr_array_unref(recorder->events);
}

static void
assert_events(GPtrArray *events, const char *const *expected)
{
	guint n = g_strv_length((char **)expected);
	for (guint i = 0; i < MIN(n, events->len); i++)
		g_assert_cmpstr(g_ptr_array_index(events, i), ==, expected[i]);
	g_assert_cmpuint(events->len, ==, n);
}

static gboolean
feed(SrSseParser *parser, const char *str, GError **error)
{
	return sr_sse_parser_feed(parser, str, strlen(str), error);
}

/* the events of @stream fed in pieces cut at @cuts (ascending offsets), no error */
static GPtrArray *
parse_split(const char *stream, gsize len, const gsize *cuts, guint n_cuts)
{
	Recorder recorder;
	g_autoptr(SrSseParser) parser = NULL;
	g_autoptr(GError) error = NULL;
	gsize from = 0;

	recorder_init(&recorder);
	parser = sr_sse_parser_new(0, record, &recorder);
	for (guint i = 0; i <= n_cuts; i++) {
		gsize to = i < n_cuts ? cuts[i] : len;
		g_assert_true(sr_sse_parser_feed(parser, stream + from, to - from, &error));
		g_assert_no_error(error);
		from = to;
	}
	return recorder.events;
}

static GPtrArray *
parse_all(const char *stream, gssize len)
{
	return parse_split(stream, len < 0 ? strlen(stream) : (gsize)len, NULL, 0);
}

/* the error @stream ends in, fed whole */
static void
assert_stream_error(const char *stream, gsize len, gsize max, const char *fragment)
{
	Recorder recorder;
	g_autoptr(SrSseParser) parser = NULL;
	g_autoptr(GError) error = NULL;

	recorder_init(&recorder);
	parser = sr_sse_parser_new(max, record, &recorder);
	g_assert_false(sr_sse_parser_feed(parser, stream, len, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
	g_assert_nonnull(strstr(error->message, fragment));
	g_clear_error(&error);
	/* broken for good: a later piece, even a good one, is an error too */
	g_assert_false(feed(parser, "data: x\n\n", &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
	recorder_clear(&recorder);
}

static void
test_sample(void)
{
	g_autoptr(GPtrArray) events = parse_all(sample, -1);
	assert_events(events, sample_events);
}

static void
test_line_ends(void)
{
	static const char *const styles[] = {"\r\n", "\n", "\r"};
	g_auto(GStrv) lines = g_strsplit(sample, "\r\n", -1);

	for (guint s = 0; s < G_N_ELEMENTS(styles); s++) {
		g_autofree char *stream = g_strjoinv(styles[s], lines);
		g_autoptr(GPtrArray) events = parse_all(stream, -1);
		assert_events(events, sample_events);
	}
	/* every style mixed in one stream, the LF of a CRLF never read as a second (blank) line */
	{
		static const char mixed[] =
		    "event: a\r\ndata: 1\n\revent: b\rdata: 2\r\n\ndata: 3\r\r"
		    "data: 4\n\n";
		static const char *const expected[] = {"a|1|", "b|2|", "message|3|", "message|4|",
		                                       NULL};
		g_autoptr(GPtrArray) events = parse_all(mixed, -1);
		assert_events(events, expected);
	}
	/* CR CR is two line ends: the second is the blank line that dispatches */
	{
		static const char *const expected[] = {"message|x|", NULL};
		g_autoptr(GPtrArray) events = parse_all("data: x\r\r", -1);
		assert_events(events, expected);
	}
	/* LF CR is two line ends too (only CR then LF is a pair) */
	{
		static const char *const expected[] = {"message|x|", NULL};
		g_autoptr(GPtrArray) events = parse_all("data: x\n\r", -1);
		assert_events(events, expected);
	}
}

static void
test_every_split(void)
{
	const gsize len = strlen(sample);
	g_autofree gsize *each = g_new(gsize, len);

	/* one byte at a time: CRLFs, UTF-8 sequences and field names all cut */
	for (gsize i = 0; i < len; i++)
		each[i] = i + 1;
	{
		g_autoptr(GPtrArray) events = parse_split(sample, len, each, (guint)len - 1);
		assert_events(events, sample_events);
	}
	/* in two pieces, cut at every position (empty pieces at both ends included) */
	for (gsize cut = 0; cut <= len; cut++) {
		g_autoptr(GPtrArray) events = parse_split(sample, len, &cut, 1);
		assert_events(events, sample_events);
	}
	/* in three pieces around every CR of the stream */
	for (gsize i = 0; i + 1 < len; i++) {
		gsize cuts[2] = {i, i + 1};
		g_autoptr(GPtrArray) events = NULL;
		if (sample[i] != '\r')
			continue;
		events = parse_split(sample, len, cuts, 2);
		assert_events(events, sample_events);
	}
	/* a CR at the end of one piece and its LF at the start of the next: one line end */
	{
		static const char stream[] = "data: a\r\ndata: b\r\n\r\n";
		static const gsize cuts[] = {8, 9, 17, 18, 19};
		static const char *const expected[] = {"message|a\nb|", NULL};
		g_autoptr(GPtrArray) events = parse_split(stream, strlen(stream), cuts, 5);
		assert_events(events, expected);
	}
}

static void
test_comments(void)
{
	static const char stream[] = ": hello\r\n"
	                             ":\r\n"
	                             "data: a\r\n"
	                             ": a comment inside an event\r\n"
	                             "data: b\r\n"
	                             "\r\n"
	                             ":ping\r\n"
	                             "\r\n"
	                             ": just comments make no event\n\n";
	static const char *const expected[] = {"message|a\nb|", NULL};
	g_autoptr(GPtrArray) events = parse_all(stream, -1);
	assert_events(events, expected);
}

static void
test_fields(void)
{
	static const char stream[] =
	    /* one leading space stripped, no more; no space needed */
	    "data:nospace\n\n"
	    "data:  two spaces\n\n"
	    "data: \ttab\n\n"
	    /* a field without a colon has an empty value */
	    "data\n\n"
	    "data\ndata\n\n"
	    /* a colon in the value stays */
	    "data: a: b:c\n\n"
	    /* names are case-sensitive; unknown ones and an empty name are ignored */
	    "DATA: no\nData: no\nfoo: bar\n: x\nEvent: no\ndata: yes\n\n"
	    /* the event type is per event, and the last one wins */
	    "event: one\nevent: two\ndata: t\n\n"
	    "data: back to message\n\n"
	    /* an event type with no data is not dispatched, and does not leak into the next */
	    "event: lost\n\n"
	    "data: plain\n\n"
	    /* an empty event name means "message" */
	    "event:\ndata: e\n\n"
	    /* the value keeps trailing spaces */
	    "data: trail  \n\n";
	static const char *const expected[] = {
	    "message|nospace|",
	    "message| two spaces|",
	    "message|\ttab|",
	    "message||",
	    "message|\n|",
	    "message|a: b:c|",
	    "message|yes|",
	    "two|t|",
	    "message|back to message|",
	    "message|plain|",
	    "message|e|",
	    "message|trail  |",
	    NULL,
	};
	g_autoptr(GPtrArray) events = parse_all(stream, -1);
	assert_events(events, expected);
}

static void
test_multiline(void)
{
	static const char stream[] = "event: update\r\n"
	                             "data: {\"state\":\r\n"
	                             "data: {\"id\": 1}\r\n"
	                             "data:\r\n"
	                             "data: }\r\n"
	                             "\r\n";
	static const char *const expected[] = {"update|{\"state\":\n{\"id\": 1}\n\n}|", NULL};
	g_autoptr(GPtrArray) events = parse_all(stream, -1);
	assert_events(events, expected);
}

static void
test_ids(void)
{
	Recorder recorder;
	g_autoptr(SrSseParser) parser = NULL;
	g_autoptr(GError) error = NULL;
	static const char *const expected[] = {
	    "message|a|", "message|b|1", "message|c|1", "message|d|3",
	    "message|e|", "message|f|5", NULL,
	};

	recorder_init(&recorder);
	parser = sr_sse_parser_new(0, record, &recorder);
	g_assert_null(sr_sse_parser_get_last_id(parser));
	g_assert_true(feed(parser, "data: a\n\n", &error));
	g_assert_null(sr_sse_parser_get_last_id(parser));
	/* an id counts once its event ends, and then stays for the events without one */
	g_assert_true(feed(parser, "id: 1\ndata: b\n", &error));
	g_assert_null(sr_sse_parser_get_last_id(parser));
	g_assert_true(feed(parser, "\ndata: c\n\n", &error));
	g_assert_cmpstr(sr_sse_parser_get_last_id(parser), ==, "1");
	/* an event without data still moves the id on (a reconnect resumes after it) */
	g_assert_true(feed(parser, "id: 2\n\n", &error));
	g_assert_cmpstr(sr_sse_parser_get_last_id(parser), ==, "2");
	g_assert_true(feed(parser, "id: 3\ndata: d\n\n", &error));
	g_assert_cmpstr(sr_sse_parser_get_last_id(parser), ==, "3");
	/* an empty id resets it */
	g_assert_true(feed(parser, "id\ndata: e\n\n", &error));
	g_assert_null(sr_sse_parser_get_last_id(parser));
	/* the last of several wins; an id of an event that has not ended does not count yet */
	g_assert_true(feed(parser, "id: 4\nid: 5\ndata: f\n\nid: 6\ndata: g\n", &error));
	g_assert_no_error(error);
	g_assert_cmpstr(sr_sse_parser_get_last_id(parser), ==, "5");
	assert_events(recorder.events, expected);
	recorder_clear(&recorder);
}

static void
test_retry(void)
{
	static const struct {
		const char *line;
		gint64 retry;
	} cases[] = {
	    {"retry: 3000\n", 3000},
	    {"retry:0\n", 0},
	    {"retry: 007\n", 7},
	    /* not only digits: ignored, the earlier value stays */
	    {"retry: 1.5\n", -2},
	    {"retry: -1\n", -2},
	    {"retry: 10s\n", -2},
	    {"retry:  10\n", -2},
	    {"retry: 10 \n", -2},
	    {"retry:\n", -2},
	    {"retry\n", -2},
	    {"retry: ١٢\n", -2},
	    /* past what an int64 holds */
	    {"retry: 99999999999999999999\n", -2},
	    {"retry: 9223372036854775807\n", G_MAXINT64},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		Recorder recorder;
		g_autoptr(SrSseParser) parser = NULL;
		g_autoptr(GError) error = NULL;

		recorder_init(&recorder);
		parser = sr_sse_parser_new(0, record, &recorder);
		g_assert_cmpint(sr_sse_parser_get_retry(parser), ==, -1);
		g_assert_true(feed(parser, "retry: 42\n", &error));
		g_assert_true(
		    sr_sse_parser_feed(parser, cases[i].line, strlen(cases[i].line), &error));
		g_assert_no_error(error);
		g_assert_cmpint(sr_sse_parser_get_retry(parser), ==,
		                cases[i].retry == -2 ? 42 : cases[i].retry);
		/* retry alone makes no event */
		g_assert_true(feed(parser, "\n", &error));
		g_assert_cmpuint(recorder.events->len, ==, 0);
		recorder_clear(&recorder);
	}
}

static void
test_bom(void)
{
	static const char *const expected[] = {"message|x|", NULL};
	static const char stream[] = "\xEF\xBB\xBF"
	                             "data: x\n\n";
	/* at the start, whole or cut anywhere */
	for (gsize cut = 0; cut <= 4; cut++) {
		g_autoptr(GPtrArray) events = parse_split(stream, strlen(stream), &cut, 1);
		assert_events(events, expected);
	}
	/* a BOM before a blank first line */
	{
		g_autoptr(GPtrArray) events = parse_all("\xEF\xBB\xBF\n: c\ndata: x\n\n", -1);
		assert_events(events, expected);
	}
	/* only one is skipped: a second makes the field name unknown */
	{
		static const char *const none[] = {NULL};
		g_autoptr(GPtrArray) events = parse_all("\xEF\xBB\xBF\xEF\xBB\xBF"
		                                        "data: x\n\n",
		                                        -1);
		assert_events(events, none);
	}
	/* not at the start of the stream: part of the field name, which nobody knows */
	{
		static const char *const one[] = {"message|y|", NULL};
		g_autoptr(GPtrArray) events = parse_all("data: y\n\n\xEF\xBB\xBF"
		                                        "data: x\n\n",
		                                        -1);
		assert_events(events, one);
	}
}

static void
test_unfinished(void)
{
	/* an event that has not seen its blank line is not dispatched: the stream may yet add to
	 * it, or break */
	static const char *const expected[] = {"message|a|", NULL};
	g_autoptr(GPtrArray) events = parse_all("data: a\n\ndata: b\n", -1);
	g_autoptr(GPtrArray) events2 = parse_all("data: a\n\ndata: b", -1);
	assert_events(events, expected);
	assert_events(events2, expected);
}

static void
test_huge(void)
{
	const gsize max = 1000;
	g_autoptr(GString) line = g_string_new("data: ");
	g_autoptr(GString) data = g_string_new(NULL);

	/* a line of exactly the bound passes, one byte more does not */
	while (line->len < max)
		g_string_append_c(line, 'x');
	g_string_append(line, "\n\n");
	{
		Recorder recorder;
		g_autoptr(SrSseParser) parser = NULL;
		g_autoptr(GError) error = NULL;
		recorder_init(&recorder);
		parser = sr_sse_parser_new(max, record, &recorder);
		g_assert_true(sr_sse_parser_feed(parser, line->str, line->len, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(recorder.events->len, ==, 1);
		recorder_clear(&recorder);
	}
	g_string_insert_c(line, 6, 'y');
	assert_stream_error(line->str, line->len, max, "line over the size limit");
	/* a line with no end is refused once it passes the bound, not buffered forever, even in
	 * small pieces */
	{
		Recorder recorder;
		g_autoptr(SrSseParser) parser = NULL;
		g_autoptr(GError) error = NULL;
		gboolean ok = TRUE;
		guint fed = 0;
		recorder_init(&recorder);
		parser = sr_sse_parser_new(max, record, &recorder);
		while (ok && fed < 10 * max) {
			ok = feed(parser, ": 0123456789", &error);
			fed += 12;
		}
		g_assert_false(ok);
		g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
		g_assert_cmpuint(fed, <=, max + 12);
		recorder_clear(&recorder);
	}
	/* many short data lines that join to more than the bound */
	for (guint i = 0; i < 200; i++)
		g_string_append(data, "data: 0123456789\n");
	g_string_append_c(data, '\n');
	assert_stream_error(data->str, data->len, max, "over the size limit");
	/* the default bound is 1 MiB */
	{
		g_autoptr(GString) big = g_string_new("data: ");
		g_string_set_size(big, 6 + 1024 * 1024 + 1);
		memset(big->str + 6, 'z', 1024 * 1024 + 1);
		g_string_append(big, "\n\n");
		assert_stream_error(big->str, big->len, 0, "line over the size limit");
	}
	/* many events, each under the bound, together far over it: fine */
	{
		g_autoptr(GString) many = g_string_new(NULL);
		g_autoptr(GPtrArray) events = NULL;
		for (guint i = 0; i < 10000; i++)
			g_string_append_printf(many, "id: %u\nevent: e\ndata: %u\n\n", i, i);
		events = parse_all(many->str, (gssize)many->len);
		g_assert_cmpuint(events->len, ==, 10000);
		g_assert_cmpstr(g_ptr_array_index(events, 9999), ==, "e|9999|9999");
	}
}

static void
test_nul(void)
{
	static const char in_data[] = "data: a\0b\n\n";
	static const char in_comment[] = ": \0\n";
	static const char in_name[] = "da\0ta: a\n\n";
	static const char alone[] = "\0";
	assert_stream_error(in_data, sizeof(in_data) - 1, 0, "NUL");
	assert_stream_error(in_comment, sizeof(in_comment) - 1, 0, "NUL");
	assert_stream_error(in_name, sizeof(in_name) - 1, 0, "NUL");
	assert_stream_error(alone, 1, 0, "NUL");
}

static void
test_utf8(void)
{
	static const char *const bad[] = {
	    "data: \xff\n\n",         "data: \xc3\n\n", /* cut short by the line end */
	    "data: \xe2\x82\n\n",                       /* cut short */
	    "data: \xc0\xaf\n\n",                       /* overlong */
	    "data: \xed\xa0\x80\n\n",                   /* a surrogate */
	    ": \xfe comment\n",       "ev\x80nt: x\n",
	};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
		assert_stream_error(bad[i], strlen(bad[i]), 0, "not valid UTF-8");
	/* half a BOM is no BOM */
	assert_stream_error("\xEF\xBB\n", 3, 0, "not valid UTF-8");

	/* a sequence cut between two pieces is whole once joined */
	{
		static const char stream[] = "data: Київ\n\n";
		static const char *const expected[] = {"message|Київ|", NULL};
		for (gsize cut = 0; cut <= strlen(stream); cut++) {
			g_autoptr(GPtrArray) events = parse_split(stream, strlen(stream), &cut, 1);
			assert_events(events, expected);
		}
	}
}

static void
test_stop(void)
{
	Recorder recorder;
	g_autoptr(SrSseParser) parser = NULL;
	g_autoptr(GError) error = NULL;
	static const char *const expected[] = {"hello|null|", "update|1|"};

	recorder_init(&recorder);
	recorder.stop_after = 2;
	parser = sr_sse_parser_new(0, record, &recorder);
	/* stopped by the second event: the third in the same piece is not read */
	g_assert_false(feed(parser,
	                    "event: hello\ndata: null\n\n"
	                    "event: update\ndata: 1\n\n"
	                    "event: update\ndata: 2\n\n",
	                    &error));
	g_assert_no_error(error);
	g_assert_cmpuint(recorder.events->len, ==, 2);
	for (guint i = 0; i < 2; i++)
		g_assert_cmpstr(g_ptr_array_index(recorder.events, i), ==, expected[i]);
	/* and stays stopped, without an error, even for bytes that would be one */
	g_assert_false(feed(parser, "data: 3\n\n", &error));
	g_assert_no_error(error);
	g_assert_false(sr_sse_parser_feed(parser, "\0", 1, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(recorder.events->len, ==, 2);
	recorder_clear(&recorder);
}

static void
test_empty_feed(void)
{
	Recorder recorder;
	g_autoptr(SrSseParser) parser = NULL;
	g_autoptr(GError) error = NULL;

	recorder_init(&recorder);
	parser = sr_sse_parser_new(0, record, &recorder);
	g_assert_true(sr_sse_parser_feed(parser, NULL, 0, &error));
	g_assert_true(feed(parser, "", &error));
	g_assert_no_error(error);
	g_assert_cmpuint(recorder.events->len, ==, 0);
	recorder_clear(&recorder);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/sr/sse/sample", test_sample);
	g_test_add_func("/sr/sse/line-ends", test_line_ends);
	g_test_add_func("/sr/sse/every-split", test_every_split);
	g_test_add_func("/sr/sse/comments", test_comments);
	g_test_add_func("/sr/sse/fields", test_fields);
	g_test_add_func("/sr/sse/multiline", test_multiline);
	g_test_add_func("/sr/sse/ids", test_ids);
	g_test_add_func("/sr/sse/retry", test_retry);
	g_test_add_func("/sr/sse/bom", test_bom);
	g_test_add_func("/sr/sse/unfinished", test_unfinished);
	g_test_add_func("/sr/sse/huge", test_huge);
	g_test_add_func("/sr/sse/nul", test_nul);
	g_test_add_func("/sr/sse/utf8", test_utf8);
	g_test_add_func("/sr/sse/stop", test_stop);
	g_test_add_func("/sr/sse/empty-feed", test_empty_feed);
	return g_test_run();
}
