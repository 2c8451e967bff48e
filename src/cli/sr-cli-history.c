/* sr-cli-history.c - `sirena history`: past alerts, with counts and time per region
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sirena"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/sr-cli.h"
#include "sirena/json.h"
#include "sirena/store.h"

/* "7d", "12h", "30m", "90s" or an RFC 3339 time; FALSE for anything else */
static gboolean
parse_since(const char *text, gint64 now, gint64 *since)
{
	char *end = NULL;
	gint64 amount = 0;
	if (sr_time_parse_iso8601(text, since))
		return TRUE;
	amount = g_ascii_strtoll(text, &end, 10);
	if (end == text || amount < 0 || amount > 100000 || end[0] == '\0' || end[1] != '\0')
		return FALSE;
	switch (end[0]) {
	case 'd':
		*since = now - amount * 86400;
		return TRUE;
	case 'h':
		*since = now - amount * 3600;
		return TRUE;
	case 'm':
		*since = now - amount * 60;
		return TRUE;
	case 's':
		*since = now - amount;
		return TRUE;
	default:
		return FALSE;
	}
}

static void
print_human(const cJSON *history, const SrCatalog *catalog, gint64 now)
{
	const cJSON *item = NULL;
	guint count = 0;
	printf(_("Alerts since %s:"), sr_json_get_string(history, "since"));
	printf("\n");
	cJSON_ArrayForEach (item, cJSON_GetObjectItem(history, "alerts")) {
		gint64 start = 0, end = 0;
		SrKind kind = SR_KIND_UNKNOWN;
		const char *region = sr_json_get_string(item, "region");
		g_autofree char *from = NULL;
		g_autofree char *to = NULL;
		g_autofree char *lasted = NULL;
		sr_time_parse_iso8601(sr_json_get_string(item, "started_at"), &start);
		sr_time_parse_iso8601(sr_json_get_string(item, "ended_at"), &end);
		sr_kind_from_string(sr_json_get_string(item, "kind"), &kind);
		from = sr_cli_local_time(start, now);
		/* TRANSLATORS: the end of an alert still going on: "05:58 – now" */
		to = end != 0 ? sr_cli_local_time(end, end) : g_strdup(_("now"));
		lasted = start != 0 ? sr_cli_format_duration((end != 0 ? end : now) - start)
		                    : g_strdup("?");
		printf("  %s – %s  %s — %s (%s)\n", from, to, sr_cli_kind_label(kind),
		       region != NULL ? sr_cli_region_name(catalog, region) : _("an area"), lasted);
		count++;
	}
	if (count == 0)
		printf("  %s\n", _("none"));
	printf("%s\n", _("Per region:"));
	cJSON_ArrayForEach (item, cJSON_GetObjectItem(history, "regions")) {
		const char *region = sr_json_get_string(item, "region");
		g_autofree char *total = sr_cli_format_duration(
		    (gint64)cJSON_GetObjectItem(item, "seconds")->valuedouble);
		int alerts = cJSON_GetObjectItem(item, "alerts")->valueint;
		g_autofree char *alerts_text =
		    g_strdup_printf(SR_NGETTEXT("%d alert", "%d alerts", alerts), alerts);
		const char *name = sr_cli_region_name(catalog, region);
		/* padded by characters, not bytes: Cyrillic and Hebrew names line up too */
		glong pad = MAX(40 - g_utf8_strlen(name, -1), 0);
		printf("  %s%*s %10s  %s\n", name, (int)pad, "", alerts_text, total);
	}
}

int
sr_cli_history(int argc, char **argv, SrCliCommon *common)
{
	g_autofree char *since_text = NULL;
	g_autofree char *region_query = NULL;
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(SrDBusSirena1) proxy = NULL;
	g_autoptr(cJSON) history = NULL;
	const SrCatalog *catalog = NULL;
	const SrRegion *region = NULL;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	gint64 since = 0;
	GOptionEntry entries[] = {
	    {"region", 'r', 0, G_OPTION_ARG_STRING, &region_query,
	     N_("Only this region (and what lies inside it)"), "R"},
	    {"since", 's', 0, G_OPTION_ARG_STRING, &since_text,
	     N_("How far back: 7d, 12h, 30m or a time (default 7d)"), "WHEN"},
	    {NULL},
	};

	if (!sr_cli_parse_options(common, "history", NULL,
	                          N_("Lists past alerts that sirenad recorded, with the number of "
	                             "alerts and the alert time per region."),
	                          entries, &argc, &argv))
		return SR_EXIT_USAGE;
	if (argc > 1) {
		sr_cli_error(_("history takes no arguments besides options"));
		return SR_EXIT_USAGE;
	}
	if (!parse_since(since_text != NULL ? since_text : "7d", now, &since)) {
		sr_cli_error(_("--since: '%s' is not like 7d, 12h, 30m or 2026-11-01T00:00:00Z"),
		             since_text);
		return SR_EXIT_USAGE;
	}
	catalog = sr_cli_catalog();
	if (catalog == NULL)
		return SR_EXIT_FAILURE;
	if (region_query != NULL) {
		region = sr_catalog_resolve(catalog, region_query, &error);
		if (region == NULL) {
			sr_cli_error(_("--region: %s"), error->message);
			return SR_EXIT_USAGE;
		}
	}
	proxy = sr_cli_daemon_connect(common->standalone);
	if (proxy != NULL) {
		if (!sr_dbus_sirena1_call_get_history_sync(proxy, region != NULL ? region->id : "",
		                                           since, &text, NULL, &error)) {
			sr_cli_daemon_error("GetHistory", error);
			return SR_EXIT_FAILURE;
		}
		history = cJSON_Parse(text);
	} else {
		/* no sirenad: read its store directly */
		g_autofree char *path = sr_store_default_path();
		g_autoptr(SrStore) store = NULL;
		g_autoptr(GPtrArray) entries_found = NULL;
		if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
			sr_cli_error(_("no history yet: sirenad records it (%s does not exist)"),
			             path);
			return SR_EXIT_FAILURE;
		}
		/* a long history takes a moment to read */
		sr_cli_progress(_("Reading the history…"));
		store = sr_store_open(path, NULL, &error);
		if (store != NULL)
			entries_found = sr_store_get_history(store, NULL, since, &error);
		sr_cli_progress_done();
		if (entries_found == NULL) {
			sr_cli_error("%s", error->message);
			return SR_EXIT_FAILURE;
		}
		history = sr_history_to_json(entries_found, catalog,
		                             region != NULL ? region->id : NULL, since, now);
	}
	if (history == NULL) {
		sr_cli_error(_("sirenad sent an unreadable history"));
		return SR_EXIT_FAILURE;
	}
	if (common->json)
		sr_cli_print_json(history);
	else
		print_human(history, catalog, now);
	return SR_EXIT_OK;
}
