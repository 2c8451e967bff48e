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

/* a source's state in words; the JSON keeps sr_source_state_to_string() */
static const char *
source_state_label(SrSourceState state)
{
	switch (state) {
	case SR_SOURCE_STATE_OK:
		return _("ok");
	case SR_SOURCE_STATE_STALE:
		/* TRANSLATORS: a source that has not answered for too long */
		return _("stale");
	default:
		/* TRANSLATORS: a source whose last request failed */
		return _("failing");
	}
}

/* prints the answer, from this process's engine or from sirenad, and returns the exit status */
static int
print_status(const SrCatalog *catalog, GPtrArray *regions, GPtrArray *alerts, GPtrArray *sources,
             const cJSON *service, gboolean json, gint64 now)
{
	guint failed = 0;
	const char *snoozed = service != NULL ? sr_json_get_string(service, "snoozed_until") : NULL;

	for (guint i = 0; i < sources->len; i++) {
		const SrSourceHealth *health = g_ptr_array_index(sources, i);
		if (health->state != SR_SOURCE_STATE_OK)
			failed++;
	}

	if (json) {
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
		if (service != NULL)
			cJSON_AddItemToObject(root, "service", cJSON_Duplicate(service, TRUE));
		sr_cli_print_json(root);
	} else {
		if (alerts->len > 0) {
			g_autofree char *title = g_strdup_printf(
			    SR_NGETTEXT("Active alerts (%u):", "Active alerts (%u):", alerts->len),
			    alerts->len);
			g_autofree char *painted = sr_cli_paint("1", title);
			printf("%s\n", painted);
			for (guint i = 0; i < alerts->len; i++) {
				const SrAlert *alert = g_ptr_array_index(alerts, i);
				g_autofree char *line =
				    sr_cli_format_alert(alert, catalog, regions, now);
				g_autofree char *names = NULL;
				g_ptr_array_add(alert->sources, NULL);
				names = g_strjoinv(", ", (char **)alert->sources->pdata);
				g_ptr_array_remove_index(alert->sources, alert->sources->len - 1);
				printf("  %s  [%s]\n", line, names);
			}
		} else if (failed == 0) {
			g_autofree char *text =
			    g_strdup(regions->len > 0 ? _("No active alerts for your regions.")
			                              : _("No active alerts."));
			g_autofree char *painted = sr_cli_paint("32", text);
			printf("%s%s\n", sr_cli_symbols() ? "🟢 " : "", painted);
		} else if (failed < sources->len) {
			g_autofree char *text = g_strdup_printf(
			    SR_NGETTEXT("No alerts reported by the sources that answered — but %u "
			                "source failed, so this answer may be incomplete.",
			                "No alerts reported by the sources that answered — but %u "
			                "sources failed, so this answer may be incomplete.",
			                failed),
			    failed);
			g_autofree char *painted = sr_cli_paint("33", text);
			printf("%s\n", painted);
		} else {
			g_autofree char *painted = sr_cli_paint(
			    "1;33", _("Unknown: no source answered. This is NOT an all-clear."));
			printf("%s\n", painted);
		}
		if (snoozed != NULL) {
			printf(
			    _("Notifications are snoozed until %s (alerts that bypass quiet hours "
			      "still sound)."),
			    snoozed);
			printf("\n");
		}
		printf("%s\n", _("Sources:"));
		for (guint i = 0; i < sources->len; i++) {
			const SrSourceHealth *health = g_ptr_array_index(sources, i);
			if (health->state == SR_SOURCE_STATE_OK) {
				g_autofree char *ok = sr_cli_paint("32", _("ok"));
				printf("  %s%-14s %s\n", sr_cli_symbols() ? "✅ " : "", health->name,
				       ok);
			} else {
				g_autofree char *text = g_strdup_printf(
				    "%s: %s", source_state_label(health->state),
				    health->error != NULL ? health->error : _("no answer"));
				g_autofree char *painted = sr_cli_paint("31", text);
				printf("  %s%-14s %s\n", sr_cli_symbols() ? "❌ " : "", health->name,
				       painted);
			}
		}
	}
	if (sources->len > 0 && failed == sources->len)
		return SR_EXIT_FAILURE;
	return failed > 0 ? SR_EXIT_INCOMPLETE : SR_EXIT_OK;
}

/* the same answer from sirenad: no request upstream, and the service's snooze state */
static int
status_from_daemon(SrDBusSirena1 *proxy, const SrCatalog *catalog, GPtrArray *regions,
                   const SrLocation *location, SrCliCommon *common, gint64 now)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *alerts_text = NULL;
	g_autofree char *sources_text = NULL;
	g_autofree char *state_text = NULL;
	g_autoptr(cJSON) alerts_json = NULL;
	g_autoptr(cJSON) sources_json = NULL;
	g_autoptr(cJSON) state = NULL;
	g_autoptr(GPtrArray) holders =
	    g_ptr_array_new_with_free_func((GDestroyNotify)sr_cli_change_free);
	g_autoptr(GPtrArray) alerts = g_ptr_array_new();
	g_autoptr(GPtrArray) sources =
	    g_ptr_array_new_with_free_func((GDestroyNotify)sr_cli_health_free);
	const cJSON *item = NULL;

	if (!sr_dbus_sirena1_call_get_active_alerts_sync(proxy, &alerts_text, NULL, &error) ||
	    !sr_dbus_sirena1_call_get_sources_sync(proxy, &sources_text, NULL, &error) ||
	    !sr_dbus_sirena1_call_get_state_sync(proxy, &state_text, NULL, &error)) {
		sr_cli_daemon_error("status", error);
		return SR_EXIT_FAILURE;
	}
	alerts_json = cJSON_Parse(alerts_text);
	sources_json = cJSON_Parse(sources_text);
	state = cJSON_Parse(state_text);
	cJSON_ArrayForEach (item, alerts_json) {
		SrCliChange *alert = sr_cli_alert_from_json(item, NULL);
		gboolean wanted = regions->len == 0;
		if (alert == NULL)
			continue;
		g_ptr_array_add(holders, alert);
		/* an alert that names an area: where the user is decides */
		if (alert->alert.event->regions->len == 0 && sr_location_is_set(location))
			wanted = sr_location_matches_area(location, &alert->alert.event->area);
		for (guint i = 0; !wanted && i < alert->alert.event->regions->len; i++) {
			for (guint j = 0; !wanted && j < regions->len; j++)
				wanted = sr_catalog_matches(
				    catalog, g_ptr_array_index(regions, j),
				    g_ptr_array_index(alert->alert.event->regions, i));
		}
		if (wanted)
			g_ptr_array_add(alerts, &alert->alert);
	}
	cJSON_ArrayForEach (item, sources_json) {
		SrSourceHealth *health = g_new0(SrSourceHealth, 1);
		sr_cli_health_read(health, item);
		g_ptr_array_add(sources, health);
	}
	return print_status(catalog, regions, alerts, sources, state, common->json, now);
}

int
sr_cli_status(int argc, char **argv, SrCliCommon *common)
{
	const SrCatalog *catalog = NULL;
	SrConfig *config = NULL;
	g_autoptr(SrCliRuntime) runtime = NULL;
	gboolean done = FALSE;
	int exit_status = 0;
	g_autoptr(SrDBusSirena1) proxy = NULL;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	g_autofree char *location = NULL;
	GOptionEntry entries[] = {
	    {"region", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &common->regions,
	     N_("Region id or name (repeatable; default: the config's regions=)"), "R"},
	    {"location", 0, 0, G_OPTION_ARG_STRING, &location,
	     N_("Where you are, for alerts that name areas (CAP, NWS, NINA …): latitude,longitude "
	        "(default: the config's location=)"),
	     "LAT,LON"},
	    {NULL},
	};

	if (!sr_cli_parse_options(
	        common, "status", NULL,
	        N_("Fetches once from every enabled source and prints the active "
	           "alerts for your regions\n(fused: one line per real alert) and each "
	           "source's health."),
	        entries, &argc, &argv))
		return SR_EXIT_USAGE;
	if (argc > 1) {
		sr_cli_error(
		    _("status takes no arguments besides options (did you mean --region %s?)"),
		    argv[1]);
		return SR_EXIT_USAGE;
	}
	config = sr_cli_setup(common, &catalog, &exit_status);
	if (config == NULL)
		return exit_status;
	if (location != NULL && !sr_cli_read_location(location, config->location)) {
		sr_config_free(config);
		return SR_EXIT_USAGE;
	}
	proxy = sr_cli_daemon_connect(common->standalone);
	if (proxy != NULL) {
		exit_status = status_from_daemon(proxy, catalog, config->regions, config->location,
		                                 common, now);
		sr_config_free(config);
		return exit_status;
	}
	/* a one-shot answer: a failure counts at once, there is no later poll to wait for */
	for (guint i = 0; i < config->sources->len; i++) {
		SrSourceConfig *source = g_ptr_array_index(config->sources, i);
		source->stale_after = 0;
	}
	runtime = sr_cli_runtime_new(catalog, config);
	/* a flag, not a main loop quit: sources that fail before any I/O finish at once */
	sr_cli_progress(
	    SR_NGETTEXT("Asking %u source…", "Asking %u sources…", config->sources->len),
	    config->sources->len);
	sr_poller_poll_once(runtime->poller, G_CALLBACK(all_done_cb), &done);
	while (!done)
		g_main_context_iteration(NULL, TRUE);
	sr_cli_progress_done();

	return print_status(catalog, config->regions, sr_engine_get_alerts(runtime->engine),
	                    sr_engine_get_sources(runtime->engine), NULL, common->json, now);
}
