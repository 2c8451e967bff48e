/* sr-cli-status.c - `sirena status`: fetch once, print active alerts and source health
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sirena"

#include "config.h"

#include <stdio.h>

#include "cli/sr-cli.h"
#include "sirena/json.h"

static void
all_done_cb(gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
}

int
sr_cli_status(int argc, char **argv, SrCliCommon *common)
{
	const SrCatalog *catalog = NULL;
	SrConfig *config = NULL;
	g_autoptr(SrCliRuntime) runtime = NULL;
	gboolean done = FALSE;
	int exit_status = 0;
	GPtrArray *alerts = NULL;
	GPtrArray *sources = NULL;
	guint failed = 0;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	GOptionEntry entries[] = {
	    {"region", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &common->regions,
	     "Region id or name (repeatable; default: the config's regions=)", "R"},
	    {NULL},
	};

	if (!sr_cli_parse_options(
	        common, "status", NULL,
	        "Fetches once from every enabled source and prints the active "
	        "alerts for your regions\n(fused: one line per real alert) and each "
	        "source's health.",
	        entries, &argc, &argv))
		return SR_EXIT_USAGE;
	if (argc > 1) {
		sr_cli_error(
		    "status takes no arguments besides options (did you mean --region %s?)",
		    argv[1]);
		return SR_EXIT_USAGE;
	}
	config = sr_cli_setup(common, &catalog, &exit_status);
	if (config == NULL)
		return exit_status;
	/* a one-shot answer: a failure counts at once, there is no later poll to wait for */
	for (guint i = 0; i < config->sources->len; i++) {
		SrSourceConfig *source = g_ptr_array_index(config->sources, i);
		source->stale_after = 0;
	}
	runtime = sr_cli_runtime_new(catalog, config);
	/* a flag, not a main loop quit: sources that fail before any I/O finish at once */
	sr_poller_poll_once(runtime->poller, G_CALLBACK(all_done_cb), &done);
	while (!done)
		g_main_context_iteration(NULL, TRUE);

	alerts = sr_engine_get_alerts(runtime->engine);
	sources = sr_engine_get_sources(runtime->engine);
	for (guint i = 0; i < sources->len; i++) {
		const SrSourceHealth *health = g_ptr_array_index(sources, i);
		if (health->state != SR_SOURCE_STATE_OK)
			failed++;
	}

	if (common->json) {
		g_autoptr(cJSON) root = cJSON_CreateObject();
		cJSON *array = cJSON_AddArrayToObject(root, "alerts");
		cJSON *health_array = NULL;
		for (guint i = 0; i < alerts->len; i++)
			cJSON_AddItemToArray(
			    array, sr_alert_to_json(g_ptr_array_index(alerts, i), catalog));
		health_array = cJSON_AddArrayToObject(root, "sources");
		for (guint i = 0; i < sources->len; i++)
			cJSON_AddItemToArray(
			    health_array, sr_source_health_to_json(g_ptr_array_index(sources, i)));
		sr_cli_print_json(root);
	} else {
		if (alerts->len > 0) {
			printf("Active alerts (%u):\n", alerts->len);
			for (guint i = 0; i < alerts->len; i++) {
				const SrAlert *alert = g_ptr_array_index(alerts, i);
				g_autofree char *line =
				    sr_cli_format_alert(alert, catalog, config->regions, now);
				g_autofree char *names = NULL;
				g_ptr_array_add(alert->sources, NULL);
				names = g_strjoinv(", ", (char **)alert->sources->pdata);
				g_ptr_array_remove_index(alert->sources, alert->sources->len - 1);
				printf("  %s  [%s]\n", line, names);
			}
		} else if (failed == 0) {
			printf("No active alerts%s.\n",
			       config->regions->len > 0 ? " for your regions" : "");
		} else if (failed < sources->len) {
			printf("No alerts reported by the sources that answered — but %u source%s "
			       "failed, so this answer may be incomplete.\n",
			       failed, failed == 1 ? "" : "s");
		} else {
			printf("Unknown: no source answered. This is NOT an all-clear.\n");
		}
		printf("Sources:\n");
		for (guint i = 0; i < sources->len; i++) {
			const SrSourceHealth *health = g_ptr_array_index(sources, i);
			if (health->state == SR_SOURCE_STATE_OK)
				printf("  ✅ %-14s ok\n", health->name);
			else
				printf("  ❌ %-14s %s: %s\n", health->name,
				       sr_source_state_to_string(health->state),
				       health->error != NULL ? health->error : "no answer");
		}
	}
	if (sources->len > 0 && failed == sources->len)
		return SR_EXIT_FAILURE;
	return failed > 0 ? SR_EXIT_INCOMPLETE : SR_EXIT_OK;
}
