/* sr-cli-sources.c - `sirena sources`: source types and the configured instances
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sirena"

#include "config.h"

#include <stdio.h>

#include "cli/sr-cli.h"
#include "sirena/json.h"
#include "sirena/poller.h"

int
sr_cli_sources(int argc, char **argv, SrCliCommon *common)
{
	const SrSourceOps *const *all = sr_source_registry_all();
	const SrCatalog *catalog = NULL;
	g_autoptr(SrConfig) config = NULL;

	if (!sr_cli_parse_options(common, "sources", NULL,
	                          N_("Lists the source types Sirena knows and the sources "
	                             "configured."),
	                          NULL, &argc, &argv))
		return SR_EXIT_USAGE;
	if (argc > 1) {
		sr_cli_error(_("sources takes no arguments"));
		return SR_EXIT_USAGE;
	}
	catalog = sr_cli_catalog();
	if (catalog == NULL)
		return SR_EXIT_FAILURE;
	config = sr_cli_load_config(common, catalog);
	if (config == NULL)
		return SR_EXIT_USAGE;

	if (common->json) {
		g_autoptr(cJSON) root = cJSON_CreateObject();
		cJSON *types = cJSON_AddArrayToObject(root, "types");
		cJSON *configured = cJSON_AddArrayToObject(root, "configured");
		for (guint i = 0; all[i] != NULL; i++) {
			cJSON *item = cJSON_CreateObject();
			cJSON_AddStringToObject(item, "type", all[i]->type);
			cJSON_AddStringToObject(item, "description", all[i]->description);
			if (all[i]->default_url != NULL)
				cJSON_AddStringToObject(item, "default_url", all[i]->default_url);
			else
				cJSON_AddNullToObject(item, "default_url");
			cJSON_AddBoolToObject(item, "needs_token", all[i]->needs_token);
			cJSON_AddNumberToObject(item, "default_interval", all[i]->default_interval);
			cJSON_AddNumberToObject(item, "min_interval", all[i]->min_interval);
			cJSON_AddNumberToObject(item, "max_per_minute", all[i]->max_per_minute);
			cJSON_AddItemToArray(types, item);
		}
		for (guint i = 0; i < config->sources->len; i++) {
			const SrSourceConfig *source = g_ptr_array_index(config->sources, i);
			cJSON *item = cJSON_CreateObject();
			cJSON_AddStringToObject(item, "name", source->name);
			cJSON_AddStringToObject(item, "type", source->ops->type);
			cJSON_AddBoolToObject(item, "enabled", source->enabled);
			if (source->url != NULL)
				cJSON_AddStringToObject(item, "url", source->url);
			else
				cJSON_AddNullToObject(item, "url");
			/* whether a token is set, never the token */
			cJSON_AddBoolToObject(item, "token_set", source->token != NULL);
			cJSON_AddNumberToObject(item, "interval",
			                        sr_poller_effective_interval(source));
			cJSON_AddItemToArray(configured, item);
		}
		sr_cli_print_json(root);
		return SR_EXIT_OK;
	}
	printf("%s\n", _("Source types:"));
	for (guint i = 0; all[i] != NULL; i++) {
		/* the description is the source's own, in English: it names upstream services */
		printf("  %-14s %s\n", all[i]->type, all[i]->description);
		if (all[i]->fetch_local == NULL) {
			printf("  %-14s %s, %s, ", "",
			       all[i]->default_url != NULL ? all[i]->default_url
			                                   : _("url= required"),
			       all[i]->needs_token ? _("needs token=") : _("no token"));
			printf(_("every %g s or slower"), all[i]->min_interval);
			printf("\n");
		}
	}
	printf("\n");
	printf(_("Configured (%s):"), config->path != NULL ? config->path : _("built-in defaults"));
	printf("\n");
	for (guint i = 0; i < config->sources->len; i++) {
		const SrSourceConfig *source = g_ptr_array_index(config->sources, i);
		printf("  %-14s %-14s %s  ", source->name, source->ops->type,
		       source->enabled ? _("enabled") : _("disabled"));
		printf(_("every %g s"), sr_poller_effective_interval(source));
		printf("%s%s%s%s\n", source->token != NULL ? "  " : "",
		       source->token != NULL ? _("token set") : "",
		       source->ops->fetch_local == NULL ? "" : "  ",
		       source->ops->fetch_local == NULL ? "" : _("(offline)"));
	}
	return SR_EXIT_OK;
}
