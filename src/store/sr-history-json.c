/* sr-history-json.c - the history as JSON: the alerts, and per region their count and time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-store"

#include "config.h"

#include "sirena/json.h"
#include "sirena/store.h"

cJSON *
sr_history_to_json(GPtrArray *entries, const SrCatalog *catalog, const char *region_id,
                   gint64 since, gint64 now)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *alerts = NULL;
	cJSON *per_region = NULL;
	g_autoptr(GHashTable) totals = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	g_autoptr(GPtrArray) order = g_ptr_array_new();

	sr_json_add_time(root, "since", since);
	alerts = cJSON_AddArrayToObject(root, "alerts");
	per_region = cJSON_AddArrayToObject(root, "regions");
	for (guint i = 0; i < entries->len; i++) {
		const SrHistoryEntry *entry = g_ptr_array_index(entries, i);
		const char *key = entry->region != NULL ? entry->region : entry->key;
		gint64 start = MAX(entry->started_at, since);
		gint64 end = entry->ended_at != 0 ? entry->ended_at : now;
		cJSON *item = NULL;
		cJSON *names = NULL;
		gint64 *total = NULL;

		/* hierarchical, like subscriptions: an oblast's history has its raions' alerts */
		if (region_id != NULL && (entry->region == NULL ||
		                          !sr_catalog_matches(catalog, region_id, entry->region)))
			continue;
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "id", entry->key);
		if (entry->region != NULL)
			cJSON_AddStringToObject(item, "region", entry->region);
		else
			cJSON_AddNullToObject(item, "region");
		cJSON_AddStringToObject(item, "kind",
		                        entry->kind != NULL ? entry->kind : "unknown");
		names = cJSON_AddArrayToObject(item, "sources");
		for (guint j = 0; entry->sources != NULL && entry->sources[j] != NULL; j++)
			cJSON_AddItemToArray(names, cJSON_CreateString(entry->sources[j]));
		sr_json_add_time(item, "started_at", entry->started_at);
		sr_json_add_time(item, "ended_at", entry->ended_at);
		cJSON_AddItemToArray(alerts, item);

		/* per region: how many alerts, and how long within the period asked for */
		total = g_hash_table_lookup(totals, key);
		if (total == NULL) {
			total = g_new0(gint64, 2);
			g_hash_table_insert(totals, (gpointer)key, total);
			g_ptr_array_add(order, (gpointer)key);
		}
		total[0]++;
		if (entry->started_at != 0 && end > start)
			total[1] += end - start;
	}
	for (guint i = 0; i < order->len; i++) {
		const char *key = g_ptr_array_index(order, i);
		const gint64 *total = g_hash_table_lookup(totals, key);
		const SrRegion *region = sr_catalog_lookup(catalog, key);
		cJSON *item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "region", key);
		if (region != NULL && region->name_en != NULL)
			cJSON_AddStringToObject(item, "name_en", region->name_en);
		else
			cJSON_AddNullToObject(item, "name_en");
		cJSON_AddNumberToObject(item, "alerts", (double)total[0]);
		cJSON_AddNumberToObject(item, "seconds", (double)total[1]);
		cJSON_AddItemToArray(per_region, item);
	}
	return root;
}
