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

/* what sirenad measured, by source name (the "measured" objects of GetSources); NULL when it
 * does not run: the configured figures are all there is then */
static cJSON *
daemon_measured(SrCliCommon *common, GHashTable **by_name)
{
	g_autoptr(SrDBusSirena1) proxy = sr_cli_daemon_connect(common->standalone);
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;
	cJSON *sources = NULL;
	const cJSON *item = NULL;

	*by_name = g_hash_table_new(g_str_hash, g_str_equal);
	if (proxy == NULL)
		return NULL;
	if (!sr_dbus_sirena1_call_get_sources_sync(proxy, &text, NULL, &error)) {
		g_debug("sirenad did not answer GetSources: %s", error->message);
		return NULL;
	}
	sources = cJSON_Parse(text);
	cJSON_ArrayForEach (item, sources) {
		const char *name = sr_json_get_string(item, "name");
		cJSON *measured = cJSON_GetObjectItemCaseSensitive(item, "measured");
		if (name != NULL && cJSON_IsObject(measured))
			g_hash_table_insert(*by_name, (gpointer)name, measured);
	}
	return sources;
}

static gdouble
figure(const cJSON *object, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
	return cJSON_IsNumber(item) ? item->valuedouble : -1;
}

/* "1.2 s", "35 ms": a measured duration */
static char *
format_seconds(gdouble seconds)
{
	if (seconds < 0.01)
		/* TRANSLATORS: milliseconds */
		return g_strdup_printf(_("%.1f ms"), seconds * 1000);
	if (seconds < 1)
		/* TRANSLATORS: milliseconds */
		return g_strdup_printf(_("%.0f ms"), seconds * 1000);
	/* TRANSLATORS: seconds */
	return g_strdup_printf(_("%.1f s"), seconds);
}

/* one line of what sirenad measured for a source */
static void
print_measured(const cJSON *measured)
{
	const cJSON *stream = cJSON_GetObjectItemCaseSensitive(measured, "stream");
	/* the median: one late poll (a backoff, the stream's snapshots) does not move it */
	gdouble interval = figure(measured, "measured_interval_median_s");
	gboolean streaming = FALSE;
	gdouble latency = figure(measured, "latency_s");
	gdouble detection = figure(measured, "detection_delay_s");
	GString *line = g_string_new(NULL);

	if (cJSON_IsObject(stream)) {
		gdouble delay = figure(stream, "delay_s");
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(stream, "up"))) {
			streaming = TRUE;
			g_string_append(line, _("streaming"));
			if (delay >= 0) {
				g_autofree char *text = format_seconds(delay);
				g_string_append_printf(line, _(", event to engine %s"), text);
			}
		} else {
			const char *error = sr_json_get_string(stream, "error");
			g_string_append(line, _("stream down, polling"));
			if (error != NULL)
				g_string_append_printf(line, " (%s)", error);
		}
		g_string_append(line, "; ");
	}
	/* while the stream is up the source is not polled: its last gaps say nothing */
	if (streaming) {
		g_string_append(line, _("not polled"));
	} else if (interval >= 0) {
		g_autofree char *text = format_seconds(interval);
		g_string_append_printf(line, _("measured every %s"), text);
	} else {
		g_string_append(line, _("no interval measured yet"));
	}
	if (latency >= 0) {
		g_autofree char *text = format_seconds(latency);
		/* TRANSLATORS: the round trip of a request */
		g_string_append_printf(line, _(", latency %s"), text);
	}
	if (detection >= 0) {
		g_autofree char *text = format_seconds(detection);
		g_string_append_printf(line, _(", alerts seen %s after their start"), text);
	}
	printf("  %-14s %s\n", "", line->str);
	g_string_free(line, TRUE);
}

int
sr_cli_sources(int argc, char **argv, SrCliCommon *common)
{
	const SrSourceOps *const *all = sr_source_registry_all();
	const SrCatalog *catalog = NULL;
	g_autoptr(SrConfig) config = NULL;
	g_autoptr(cJSON) daemon_sources = NULL;
	g_autoptr(GHashTable) measured = NULL;

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
	daemon_sources = daemon_measured(common, &measured);

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
			/* sirenad's figures when it runs (GetSources' "measured"), else null */
			if (g_hash_table_contains(measured, source->name))
				cJSON_AddItemToObject(
				    item, "measured",
				    cJSON_Duplicate(g_hash_table_lookup(measured, source->name),
				                    TRUE));
			else
				cJSON_AddNullToObject(item, "measured");
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
		if (g_hash_table_contains(measured, source->name))
			print_measured(g_hash_table_lookup(measured, source->name));
	}
	if (daemon_sources != NULL) {
		printf("\n");
		printf("%s\n", _("Measured by sirenad over its last polls."));
	}
	return SR_EXIT_OK;
}
