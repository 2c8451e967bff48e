/* store.h - state that survives restarts: what was notified, and the history of alerts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <cjson/cJSON.h>

#include "sirena/region.h"

G_BEGIN_DECLS

typedef struct _SrStore SrStore;

/* the schema version this build writes; older databases are migrated forward */
#define SR_STORE_SCHEMA_VERSION 1

/* $XDG_STATE_HOME/sirena/sirena.db */
char *sr_store_default_path(void);

/* opens or creates the database (and its directory). WAL mode, foreign keys on, a busy timeout.
 * A file that is corrupt, not a database, or of a newer schema is moved aside to
 * "<path>.broken-<unix time>" and a new one is created; *@warning (if not NULL) then says so in
 * one sentence for the user. Fails only when no database can be created at all. */
SrStore *sr_store_open(const char *path, char **warning, GError **error);
void sr_store_free(SrStore *store);
guint sr_store_get_schema_version(SrStore *store);

/* one alert the user has been told about and not yet told has ended */
typedef struct {
	char *key;               /* the fused alert's key, "ua:31:air_raid" */
	char *region;            /* "ua:31", or NULL */
	char *kind;              /* "air_raid" */
	char **sources;          /* NULL-terminated names of the sources that reported it */
	char *alert_json;        /* the fused alert as last notified (the JSON contract) */
	guint32 notification_id; /* the desktop notification showing it, 0 if none */
	gint64 started_at;       /* UTC seconds, 0 unknown */
	gint64 notified_at;
} SrStoreAlert;

void sr_store_alert_free(SrStoreAlert *alert);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrStoreAlert, sr_store_alert_free)

/* each of these is one transaction: the notified set and the history move together */

/* the user was told @key started: adds it to the notified set and opens a history row */
gboolean sr_store_alert_started(SrStore *store, const SrStoreAlert *alert, GError **error);
/* the notification for @key was updated: new JSON, sources and notification id */
gboolean sr_store_alert_updated(SrStore *store, const SrStoreAlert *alert, GError **error);
/* the user was told @key ended at @ended_at: removes it from the notified set and closes its
 * history row; unknown keys are not an error (nothing to do) */
gboolean sr_store_alert_ended(SrStore *store, const char *key, gint64 ended_at, GError **error);

/* the notified set, ordered by started_at then key (of SrStoreAlert*) */
GPtrArray *sr_store_get_notified(SrStore *store, GError **error);
/* one alert of the notified set, or NULL (no error) when it is not there */
SrStoreAlert *sr_store_lookup_notified(SrStore *store, const char *key, GError **error);

/* history */
typedef struct {
	char *key;
	char *region;
	char *kind;
	char **sources;
	gint64 started_at;
	gint64 ended_at; /* 0 while still active */
} SrHistoryEntry;

void sr_history_entry_free(SrHistoryEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrHistoryEntry, sr_history_entry_free)

/* alerts that were active at or after @since (UTC seconds), newest first; @region NULL for all,
 * otherwise only entries whose region is @region (exact id; the caller expands hierarchies) */
GPtrArray *sr_store_get_history(SrStore *store, const char *region, gint64 since, GError **error);

/* the history as JSON (the contract of `sirena history --json`): {"since", "alerts":[…],
 * "regions":[{"region","name_en","alerts","seconds"}]}; @region_id filters hierarchically */
cJSON *sr_history_to_json(GPtrArray *entries, const SrCatalog *catalog, const char *region_id,
                          gint64 since, gint64 now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrStore, sr_store_free)

G_END_DECLS
