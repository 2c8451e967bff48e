/* bench-parse.c - parse throughput of each source type on large synthetic bodies
 *
 * For every source type a body of realistic shape and size is generated (alerts.in.ua with
 * 2,000 alerts, the Ukraine Alarm tree with every catalog region in alert, a CAP Atom feed of
 * 500 entries, NWS with 1,000 features, and one CAP document) and parsed through the source's
 * public SrSourceOps with a SrParseContext, as the poller does. The same bytes are parsed bare
 * (cJSON_ParseWithLength / xmlReadMemory, then freed) and the ratio says what normalisation adds
 * on top of that: the goal is <= 1.5.
 *
 * Times are the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so that other processes on a busy
 * machine cost this one little; each figure is the median of several rounds, the bare and the
 * full parse alternating.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-parse"

#include "config.h"

#include <cjson/cJSON.h>
#include <libxml/parser.h>
#include <math.h>
#include <string.h>

#include "bench-bodies.h"
#include "bench-util.h"
#include "sirena/json.h"
#include "sirena/source.h"
#include "sr-test-util.h"

#define NOW 1795500000 /* 2026-11-25 */

typedef enum { BARE_JSON, BARE_XML } BareKind;

static void
bare_parse(BareKind kind, const char *body, gsize len)
{
	if (kind == BARE_JSON) {
		cJSON *root = cJSON_ParseWithLength(body, len);
		g_assert_nonnull(root);
		cJSON_Delete(root);
	} else {
		xmlDoc *doc = xmlReadMemory(body, (int)len, NULL, NULL,
		                            XML_PARSE_NONET | XML_PARSE_NOCDATA |
		                                XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		g_assert_nonnull(doc);
		xmlFreeDoc(doc);
	}
}

/* one full parse through the source's ops; returns how many events (or index entries) */
static guint
full_parse(const SrSourceOps *ops, gboolean index, const char *body, gsize len,
           const SrParseContext *ctx)
{
	g_autoptr(GError) error = NULL;
	guint n = 0;
	if (index) {
		GPtrArray *entries = ops->parse_index(body, len, ctx, &error);
		g_assert_no_error(error);
		n = entries->len;
		g_ptr_array_unref(entries);
	} else {
		SrBatch *batch = ops->parse(body, len, ctx, &error);
		g_assert_no_error(error);
		n = batch->events->len;
		sr_batch_free(batch);
	}
	return n;
}

static void
bench_source(const char *label, const char *type, gboolean index, BareKind bare, const char *body,
             guint expect_min, guint rounds)
{
	const SrSourceOps *ops = sr_source_registry_lookup(type);
	gsize len = strlen(body);
	SrParseContext ctx = {0};
	double full_ns[64];
	double bare_ns[64];
	double ratio[64];
	guint iterations = 1;
	guint n = 0;
	gint64 t0 = 0;
	double full_med = 0;
	double bare_med = 0;
	g_autofree char *name = NULL;
	g_autofree char *note = NULL;

	g_assert_nonnull(ops);
	g_assert_cmpuint(rounds, <=, G_N_ELEMENTS(full_ns));
	ctx.source_name = type;
	ctx.catalog = sr_test_catalog();
	ctx.now = NOW;

	/* warm up, check the body is what it should be, and size the rounds to ~20 ms */
	n = full_parse(ops, index, body, len, &ctx);
	g_assert_cmpuint(n, >=, expect_min);
	t0 = sr_bench_thread_cpu_ns();
	full_parse(ops, index, body, len, &ctx);
	iterations = (guint)CLAMP(20e6 / MAX(sr_bench_thread_cpu_ns() - t0, 1), 1, 10000);

	for (guint r = 0; r < rounds; r++) {
		t0 = sr_bench_thread_cpu_ns();
		for (guint i = 0; i < iterations; i++)
			bare_parse(bare, body, len);
		bare_ns[r] = (double)(sr_bench_thread_cpu_ns() - t0) / iterations;
		t0 = sr_bench_thread_cpu_ns();
		for (guint i = 0; i < iterations; i++)
			full_parse(ops, index, body, len, &ctx);
		full_ns[r] = (double)(sr_bench_thread_cpu_ns() - t0) / iterations;
		ratio[r] = full_ns[r] / bare_ns[r];
	}
	full_med = sr_bench_median(full_ns, rounds);
	bare_med = sr_bench_median(bare_ns, rounds);

	note = g_strdup_printf("%.0f KB body, %u %s; parse %.2f ms, bare %s %.2f ms", len / 1e3, n,
	                       index ? "entries" : "events", full_med / 1e6,
	                       bare == BARE_JSON ? "cJSON_Parse" : "xmlReadMemory", bare_med / 1e6);
	name = g_strdup_printf("parse/%s MB/s", label);
	/* floor: at 20 MB/s a 100 KB body parses in 5 ms, which no poll notices; the ratio to
	 * the bare parse below is what guards the parser's own cost on any machine */
	sr_bench_report(name, len / (full_med / 1e9) / 1e6, "MB/s", NAN, SR_BENCH_HIGHER, 20, note);
	g_free(name);
	name = g_strdup_printf("parse/%s vs bare", label);
	sr_bench_report(name, sr_bench_median(ratio, rounds), "x", 1.5, SR_BENCH_LOWER, 1.5, NULL);
}

int
main(int argc, char **argv)
{
	gboolean quick = sr_bench_quick(&argc, &argv);
	guint rounds = quick ? 5 : 15;
	const SrCatalog *catalog = NULL;
	g_autofree char *aiu = NULL;
	g_autofree char *ua = NULL;
	g_autofree char *nws = NULL;
	g_autofree char *feed = NULL;
	g_autofree char *cap = NULL;
	guint n_ua = 0;
	gsize cap_len = 0;

	g_test_init(&argc, &argv, NULL);
	xmlInitParser();
	catalog = sr_test_catalog();

	aiu = sr_bench_gen_alerts_in_ua(catalog, 2000);
	bench_source("alerts_in_ua 2000 alerts", "alerts_in_ua", FALSE, BARE_JSON, aiu, 1900,
	             rounds);
	ua = sr_bench_gen_ukraine_alarm(catalog, G_MAXUINT, &n_ua);
	bench_source("ukraine_alarm full tree", "ukraine_alarm", FALSE, BARE_JSON, ua, n_ua / 2,
	             rounds);
	feed = sr_bench_gen_cap_feed(500, "https://alerts.example.gov");
	bench_source("cap_feed 500 entries", "cap_feed", TRUE, BARE_XML, feed, 500, rounds);
	nws = sr_bench_gen_nws(1000);
	bench_source("nws 1000 features", "nws", FALSE, BARE_JSON, nws, 1000, rounds);
	cap = sr_test_read_fixture("cap", "thunderstorm.xml", &cap_len);
	bench_source("cap one document", "cap", FALSE, BARE_XML, cap, 1, rounds);
	return 0;
}
