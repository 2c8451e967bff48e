/* bench-bodies.c - synthetic upstream bodies of realistic shape and size for the benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <string.h>

#include "bench-bodies.h"
#include "sirena/json.h"
#include "sr-test-util.h"

/* alerts.in.ua /v1/alerts/active.json: @n alerts over the catalog's Ukrainian regions */
char *
sr_bench_gen_alerts_in_ua(const SrCatalog *catalog, guint n)
{
	static const char *const types[] = {"air_raid", "artillery_shelling", "urban_fights"};
	GPtrArray *all = sr_catalog_get_all(catalog); /* borrowed */
	GString *body = g_string_new("{\"alerts\":[");
	guint made = 0;
	for (guint i = 0; made < n; i = (i + 1) % all->len) {
		const SrRegion *region = g_ptr_array_index(all, i);
		const SrRegion *oblast = region;
		if (!g_str_has_prefix(region->id, "ua:"))
			continue;
		while (oblast->parent != NULL)
			oblast = oblast->parent;
		g_string_append_printf(
		    body,
		    "%s\n{\"id\":%u,\"location_title\":\"%s\",\"location_type\":\"%s\","
		    "\"started_at\":\"2026-11-25T0%u:%02u:39.000Z\",\"finished_at\":null,"
		    "\"updated_at\":\"2026-11-25T09:00:07.118Z\",\"alert_type\":\"%s\","
		    "\"location_uid\":\"%s\",\"location_oblast\":\"%s\",\"location_oblast_uid\":%s,"
		    "\"notes\":null,\"calculated\":null,\"country\":null}",
		    made == 0 ? "" : ",", 100000 + made, region->name,
		    sr_region_level_to_string(region->level), made % 9, made % 60,
		    types[(made / all->len) % G_N_ELEMENTS(types)], region->local_id, oblast->name,
		    oblast->local_id);
		made++;
	}
	g_string_append(body, "],\"meta\":{\"last_updated_at\":\"2026/11/25 09:00:07 +0000\","
	                      "\"type\":\"full\"},\"disclaimer\":\"\"}");
	return g_string_free(body, FALSE);
}

static const char *
ukraine_alarm_type(const SrRegion *region)
{
	switch (region->level) {
	case SR_REGION_LEVEL_OBLAST:
		return "State";
	case SR_REGION_LEVEL_RAION:
		return "District";
	default:
		return "Community";
	}
}

static const char *
ukraine_alarm_id(const SrRegion *region)
{
	return region->ukraine_alarm_id != NULL ? region->ukraine_alarm_id : region->local_id;
}

static void
append_ukraine_alarm_alert(GString *body, const SrRegion *region, const char *type, gboolean first)
{
	g_string_append_printf(body,
	                       "%s{\"regionId\":\"%s\",\"regionType\":\"%s\",\"type\":\"%s\","
	                       "\"lastUpdate\":\"2026-11-25T08:14:05.412000Z\","
	                       "\"activeAlertLevels\":[{\"alertLevel\":\"Red\",\"reason\":\"\","
	                       "\"createdAt\":\"2026-11-25T08:14:06.050000Z\"}]}",
	                       first ? "" : ",", ukraine_alarm_id(region),
	                       ukraine_alarm_type(region), type);
}

/* Ukraine Alarm /api/v3/alerts: every region of the catalog that Ukraine Alarm has, each in
 * alert, listing (as the real tree does) the alerts of its ancestors too */
char *
sr_bench_gen_ukraine_alarm(const SrCatalog *catalog, guint max_regions, guint *n_regions)
{
	GPtrArray *all = sr_catalog_get_all(catalog); /* borrowed */
	GString *body = g_string_new("[");
	guint made = 0;
	for (guint i = 0; i < all->len && made < max_regions; i++) {
		const SrRegion *region = g_ptr_array_index(all, i);
		gboolean first = TRUE;
		if (!g_str_has_prefix(region->id, "ua:") || !region->in_ukraine_alarm)
			continue;
		g_string_append_printf(body,
		                       "%s\n{\"regionId\":\"%s\",\"regionType\":\"%s\","
		                       "\"regionName\":\"%s\",\"regionEngName\":\"%s\","
		                       "\"lastUpdate\":\"2026-11-25T08:14:05.412000Z\","
		                       "\"activeAlerts\":[",
		                       made == 0 ? "" : ",", ukraine_alarm_id(region),
		                       ukraine_alarm_type(region), region->name,
		                       region->name_en != NULL ? region->name_en : "");
		for (const SrRegion *up = region; up != NULL; up = up->parent) {
			if (!up->in_ukraine_alarm)
				continue;
			append_ukraine_alarm_alert(body, up, up == region ? "ARTILLERY" : "AIR",
			                           first);
			first = FALSE;
		}
		g_string_append(body, "]}");
		made++;
	}
	g_string_append(body, "]");
	*n_regions = made;
	return g_string_free(body, FALSE);
}

/* NWS /alerts/active: @n copies of the fixture's first feature, each with its own id */
char *
sr_bench_gen_nws(guint n)
{
	gsize len = 0;
	g_autofree char *fixture = sr_test_read_fixture("nws", "active_mixed.json", &len);
	g_autoptr(cJSON) root = cJSON_ParseWithLength(fixture, len);
	cJSON *features = cJSON_GetObjectItemCaseSensitive(root, "features");
	g_autoptr(cJSON) model = cJSON_DetachItemFromArray(features, 0);
	char *out = NULL;
	g_assert_nonnull(model);
	while (cJSON_GetArraySize(features) > 0)
		cJSON_DeleteItemFromArray(features, 0);
	for (guint i = 0; i < n; i++) {
		cJSON *feature = cJSON_Duplicate(model, TRUE);
		cJSON *properties = cJSON_GetObjectItemCaseSensitive(feature, "properties");
		g_autofree char *urn =
		    g_strdup_printf("urn:oid:2.49.0.1.840.0.bench.%06u.001.1", i);
		g_autofree char *url = g_strconcat("https://api.weather.gov/alerts/", urn, NULL);
		cJSON_ReplaceItemInObjectCaseSensitive(feature, "id", cJSON_CreateString(url));
		cJSON_ReplaceItemInObjectCaseSensitive(properties, "@id", cJSON_CreateString(url));
		cJSON_ReplaceItemInObjectCaseSensitive(properties, "id", cJSON_CreateString(urn));
		cJSON_AddItemToArray(features, feature);
	}
	out = cJSON_Print(root);
	return out;
}

/* an Atom index of @n CAP entries, NWS-shaped: summaries, a polygon, geocodes */
char *
sr_bench_gen_cap_feed(guint n, const char *base)
{
	GString *body = g_string_new(
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
	    "xmlns:cap=\"urn:oasis:names:tc:emergency:cap:1.2\">\n"
	    "<id>https://alerts.example.gov/cap/</id>\n<title>Example Alerts, active</title>\n"
	    "<updated>2026-11-25T08:00:00Z</updated>\n"
	    "<link rel=\"self\" href=\"https://alerts.example.gov/cap/index.atom\"/>\n"
	    "<author><name>Example Alerts</name></author>\n");
	for (guint i = 0; i < n; i++)
		g_string_append_printf(
		    body,
		    "<entry>\n<id>https://alerts.example.gov/cap/SR-WX-%06u</id>\n"
		    "<updated>2026-11-25T08:%02u:00Z</updated>\n"
		    "<title>Flood Warning issued November 25 by NWS Example %u</title>\n"
		    "<link rel=\"alternate\" href=\"%s/cap/SR-WX-%06u\"/>\n"
		    "<summary>A flood warning for the river near Example, until tomorrow."
		    "</summary>\n"
		    "<cap:event>Flood Warning</cap:event>\n"
		    "<cap:sent>2026-11-25T08:%02u:00Z</cap:sent>\n"
		    "<cap:effective>2026-11-25T08:%02u:00Z</cap:effective>\n"
		    "<cap:expires>2026-11-26T08:00:00Z</cap:expires>\n"
		    "<cap:status>Actual</cap:status>\n<cap:msgType>Alert</cap:msgType>\n"
		    "<cap:category>Met</cap:category>\n<cap:urgency>Expected</cap:urgency>\n"
		    "<cap:severity>Moderate</cap:severity>\n<cap:certainty>Likely</cap:certainty>\n"
		    "<cap:areaDesc>Brook County; Example County</cap:areaDesc>\n"
		    "<cap:polygon>41.52,-90.61 41.49,-90.41 41.37,-90.43 41.39,-90.64 "
		    "41.52,-90.61</cap:polygon>\n"
		    "<cap:geocode>\n<valueName>FIPS6</valueName>\n<value>019031 019163</value>\n"
		    "<valueName>UGC</valueName>\n<value>IAC031 IAC163</value>\n</cap:geocode>\n"
		    "</entry>\n",
		    i, i % 60, i, base, i, i % 60, i % 60);
	g_string_append(body, "</feed>\n");
	return g_string_free(body, FALSE);
}
