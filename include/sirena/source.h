/* source.h - an upstream API as a table of functions: build a request, parse a body
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sirena/event.h"
#include "sirena/geo.h"
#include "sirena/region.h"

G_BEGIN_DECLS

typedef enum {
	SR_BATCH_SNAPSHOT, /* everything active now: what is missing has ended */
	SR_BATCH_DELTA,    /* new and changed messages only */
} SrBatchKind;

typedef struct {
	SrBatchKind kind;
	GPtrArray *events; /* of SrEvent*, owned */
} SrBatch;

SrBatch *sr_batch_new(SrBatchKind kind);
void sr_batch_free(SrBatch *batch);
/* takes ownership of @event */
void sr_batch_take(SrBatch *batch, SrEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrBatch, sr_batch_free)

/* what a parser may use besides the bytes: no I/O, no clock of its own */
typedef struct {
	const char *source_name; /* instance name, used in event ids */
	const SrCatalog *catalog;
	gint64 now; /* UTC seconds; used only where upstream gives no time at all */
	/* per-instance state of a parser that follows a lifecycle across polls (oref), created on
	 * first use and freed with the ops' free_state; NULL for a one-off parse (a temporary state
	 * is used then); a parse that fails leaves it unchanged */
	gpointer *state;
	/* the language texts are wanted in when upstream offers several (CAP info blocks), as a
	 * language tag ("uk", "de-DE"); NULL: the user's locale, then English, then the first */
	const char *language;
	/* the user's place, for index feeds that can skip what cannot concern it; may be NULL */
	const SrLocation *location;
} SrParseContext;

/* one document an index feed lists (a CAP Atom/RSS entry, a NINA dashboard item) */
typedef struct {
	char *key;     /* stable identity of the entry within the index */
	char *url;     /* the document: absolute, or relative to the source's url= */
	char *version; /* changes when the document does (updated, sent); NULL: fetch once */
	gboolean skip; /* the index already says it cannot concern the user, or has expired */
} SrIndexEntry;

SrIndexEntry *sr_index_entry_new(const char *key, const char *url, const char *version);
void sr_index_entry_free(SrIndexEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrIndexEntry, sr_index_entry_free)

typedef enum {
	SR_REQUEST_MAIN,   /* the request whose body is parsed into events */
	SR_REQUEST_PROBE,  /* a cheap change check (Ukraine Alarm /alerts/status) */
	SR_REQUEST_STREAM, /* a long-lived text/event-stream (alerts.com.ua /api/states/live) */
} SrRequestKind;

typedef struct {
	char *url;
	GPtrArray *headers; /* of "Name: value" */
} SrRequest;

void sr_request_clear(SrRequest *request);
void sr_request_add_header(SrRequest *request, const char *name, const char *value);

/* one configured source instance ([source NAME] in the config) */
typedef struct _SrSourceOps SrSourceOps;
typedef struct {
	char *name;
	const SrSourceOps *ops;
	gboolean enabled;
	char *url;           /* base URL, no trailing slash */
	char *token;         /* secret: never logged or printed */
	gdouble interval;    /* seconds between polls, after clamping */
	gdouble stale_after; /* seconds without success before it is stale; < 0: default */
	GHashTable *extra;   /* other keys of the group that the source type declared */
	/* SCHEME://[USER:PASSWORD@]HOST:PORT every request goes through, or NULL for the
	 * environment's; may hold a password: print it only through sr_http_proxy_redact() */
	char *proxy;
} SrSourceConfig;

SrSourceConfig *sr_source_config_new(const char *name, const SrSourceOps *ops);
void sr_source_config_free(SrSourceConfig *config);
const char *sr_source_config_get_extra(const SrSourceConfig *config, const char *key);
/* TRUE when the URL's host is 127.0.0.0/8, ::1 or localhost */
gboolean sr_url_is_loopback(const char *url);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrSourceConfig, sr_source_config_free)

struct _SrSourceOps {
	const char *type;        /* "alerts_in_ua" */
	const char *description; /* one line for `sirena sources` */
	const char *default_url;
	gboolean needs_token;     /* refuse to start without one */
	gdouble default_interval; /* seconds */
	gdouble min_interval;     /* the API's politeness floor; not applied to loopback URLs */
	guint max_per_minute;     /* every request to the API counts, probes too; 0 = no budget */
	guint auth_failures_before_error; /* 401s in a row before the token is called bad */
	/* what a 401/403 means for a source without a token (a geo-block), told to the user */
	const char *forbidden_hint;
	gboolean conditional; /* the API honours If-Modified-Since / ETag */
	/* what the source can report: an end at a region of another level or kind says nothing */
	guint32 kinds;                 /* bit (1 << SrKind) */
	guint32 levels;                /* bit (1 << SrRegionLevel) */
	const char *const *extra_keys; /* NULL-terminated, extra config keys the type accepts */

	gboolean (*build_request)(const SrSourceConfig *config, SrRequestKind kind,
	                          SrRequest *request, GError **error);
	SrBatch *(*parse)(const char *body, gsize len, const SrParseContext *ctx, GError **error);
	/* optional change check: a token that changes whenever the main body would */
	char *(*parse_probe)(const char *body, gsize len, GError **error);
	/* optional: sources that read no network (replay) produce batches themselves, NULL with
	 * no error meaning "unchanged"; @state is per instance, created on first call and freed
	 * with @free_state; a replay sets *@virtual_now to the recorded time it is at */
	SrBatch *(*fetch_local)(const SrSourceConfig *config, gpointer *state,
	                        const SrParseContext *ctx, gdouble elapsed, gboolean *finished,
	                        gint64 *virtual_now, GError **error);
	void (*free_state)(gpointer state);
	/* optional, for parsers with state: adopt an alert this source reported before a restart or
	 * reload (the fused event from the store), so that its end still comes from upstream or its
	 * time-out rather than from a state that forgot it */
	void (*restore)(gpointer *state, const SrEvent *alert, const SrParseContext *ctx);
	/* optional, for index feeds: the main body lists documents (of SrIndexEntry*); the poller
	 * fetches each listed entry it has not got in that version, parses it with parse_entry,
	 * and submits the union of the listed entries' events as one snapshot. An entry that can
	 * not be fetched keeps the source in error (its last word stands); one that answers 404
	 * or 410 has gone and is left out. */
	GPtrArray *(*parse_index)(const char *body, gsize len, const SrParseContext *ctx,
	                          GError **error);
	SrBatch *(*parse_entry)(const char *body, gsize len, const SrParseContext *ctx,
	                        GError **error);
	/* optional, for sources that push server-sent events: build_request(SR_REQUEST_STREAM)
	 * gives the stream; each event of it (@type "message" when it named none) goes to
	 * parse_event, which returns what the event changed as a batch (usually SR_BATCH_DELTA),
	 * or NULL without an error when the event says nothing (hello, ping). The main request
	 * stays the source of truth: it is taken on every (re)connect, and polled at the interval
	 * while the stream is down. */
	SrBatch *(*parse_event)(const char *type, const char *data, gsize len,
	                        const SrParseContext *ctx, GError **error);
	/* seconds between the keep-alive events a quiet stream sends; silence for three times
	 * this means the stream is dead */
	gdouble stream_heartbeat;
};

#define SR_KINDS_ALL  0xffffffffu
#define SR_LEVELS_ALL 0xffffffffu

/* the one table of source types (src/sources/registry.c) */
const SrSourceOps *const *sr_source_registry_all(void);
const SrSourceOps *sr_source_registry_lookup(const char *type);

G_END_DECLS
