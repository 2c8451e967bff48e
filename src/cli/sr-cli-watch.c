/* sr-cli-watch.c - `sirena watch`: run the engine and stream changes, one line each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sirena"

#include "config.h"

#include <stdio.h>

#include <glib-unix.h>

#include "cli/sr-cli.h"
#include "sirena/json.h"

typedef struct {
	SrCliRuntime *runtime;
	gboolean json;
	guint32 kinds; /* bit mask; 0 = every kind */
	GMainLoop *loop;
} Watch;

static void
change_cb(const SrChange *change, gpointer user_data)
{
	Watch *watch = user_data;
	if (change->alert != NULL && watch->kinds != 0 &&
	    (watch->kinds & (1u << change->alert->event->kind)) == 0)
		return;
	if (watch->json) {
		g_autoptr(cJSON) json = sr_change_to_json(change, watch->runtime->catalog);
		sr_cli_print_json(json);
	} else {
		g_autofree char *line = sr_cli_format_change(change, watch->runtime->catalog,
		                                             watch->runtime->config->regions);
		fputs(line, stdout);
		fputc('\n', stdout);
		fflush(stdout);
	}
}

/* through sirenad */

typedef struct {
	const SrCatalog *catalog;
	GPtrArray *regions; /* of char*: --region, or NULL for what sirenad is configured for */
	gboolean json;
	guint32 kinds;
	GMainLoop *loop;
	int status;
	/* the alerts this client has shown as going on: a change that sirenad signalled before
	 * it answered GetActiveAlerts arrives after that answer and must not show them twice */
	GHashTable *open;
} DaemonWatch;

static gboolean
daemon_alert_wanted(DaemonWatch *watch, const SrAlert *alert)
{
	if (watch->kinds != 0 && (watch->kinds & (1u << alert->event->kind)) == 0)
		return FALSE;
	if (watch->regions == NULL || watch->regions->len == 0)
		return TRUE;
	for (guint i = 0; i < alert->event->regions->len; i++) {
		const char *region = g_ptr_array_index(alert->event->regions, i);
		for (guint j = 0; j < watch->regions->len; j++) {
			if (sr_catalog_matches(watch->catalog, g_ptr_array_index(watch->regions, j),
			                       region))
				return TRUE;
		}
	}
	return FALSE;
}

static void
daemon_print(DaemonWatch *watch, const SrChange *change, const char *json)
{
	if (change->alert != NULL && !daemon_alert_wanted(watch, change->alert))
		return;
	if (change->alert != NULL && change->type == SR_CHANGE_STARTED) {
		if (!g_hash_table_add(watch->open, g_strdup(change->alert->key)))
			return; /* already shown by the answer to GetActiveAlerts */
	} else if (change->alert != NULL && change->type == SR_CHANGE_ENDED) {
		if (!g_hash_table_remove(watch->open, change->alert->key))
			return; /* it ended before this client saw it start */
	}
	if (watch->json) {
		fputs(json, stdout);
	} else {
		g_autofree char *line =
		    sr_cli_format_change(change, watch->catalog, watch->regions);
		fputs(line, stdout);
	}
	fputc('\n', stdout);
	fflush(stdout);
}

static void
alert_changed_cb(SrDBusSirena1 *proxy, const char *type, const char *json, gpointer user_data)
{
	DaemonWatch *watch = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(SrCliChange) change = sr_cli_change_from_json(json, &error);
	if (change == NULL) {
		g_warning("sirenad sent an unreadable change: %s", error->message);
		return;
	}
	daemon_print(watch, &change->change, json);
}

static void
owner_changed_cb(GObject *proxy, GParamSpec *pspec, gpointer user_data)
{
	DaemonWatch *watch = user_data;
	g_autofree char *owner = g_dbus_proxy_get_name_owner(G_DBUS_PROXY(proxy));
	if (owner != NULL)
		return;
	/* the stream this client relied on is gone: say so, never fall silent */
	sr_cli_error(_("sirenad stopped: alerts may be missed; run `sirena watch --standalone` or "
	               "start sirenad again"));
	watch->status = SR_EXIT_FAILURE;
	g_main_loop_quit(watch->loop);
}

static gboolean
daemon_quit_cb(gpointer user_data)
{
	DaemonWatch *watch = user_data;
	g_main_loop_quit(watch->loop);
	return G_SOURCE_CONTINUE;
}

static int
watch_daemon(SrDBusSirena1 *proxy, const SrCatalog *catalog, GPtrArray *regions, gboolean json,
             guint32 kinds)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *active = NULL;
	g_autoptr(cJSON) alerts = NULL;
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	g_autoptr(GHashTable) open = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	DaemonWatch watch = {catalog, regions, json, kinds, loop, SR_EXIT_OK, open};
	const cJSON *item = NULL;
	guint sigint = 0;
	guint sigterm = 0;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;

	/* subscribe first, then ask what is going on: no change falls between the two */
	g_signal_connect(proxy, "alert-changed", G_CALLBACK(alert_changed_cb), &watch);
	g_signal_connect(proxy, "notify::g-name-owner", G_CALLBACK(owner_changed_cb), &watch);
	if (!sr_dbus_sirena1_call_get_active_alerts_sync(proxy, &active, NULL, &error)) {
		sr_cli_daemon_error("GetActiveAlerts", error);
		return SR_EXIT_FAILURE;
	}
	alerts = cJSON_Parse(active);
	cJSON_ArrayForEach (item, alerts) {
		g_autoptr(GError) local_error = NULL;
		g_autoptr(SrCliChange) alert = sr_cli_alert_from_json(item, &local_error);
		g_autoptr(cJSON) line = cJSON_CreateObject();
		g_autofree char *text = NULL;
		g_autofree char *at = sr_time_to_rfc3339(now);
		SrChange change = {SR_CHANGE_STARTED, now, TRUE, NULL, NULL};
		if (alert == NULL)
			continue;
		change.alert = &alert->alert;
		cJSON_AddStringToObject(line, "change", "started");
		cJSON_AddStringToObject(line, "at", at);
		cJSON_AddTrueToObject(line, "baseline");
		cJSON_AddItemToObject(line, "alert", cJSON_Duplicate(item, TRUE));
		cJSON_AddItemToObject(line, "events", cJSON_CreateArray());
		text = sr_json_print(line);
		daemon_print(&watch, &change, text);
	}
	sigint = g_unix_signal_add(SIGINT, daemon_quit_cb, &watch);
	sigterm = g_unix_signal_add(SIGTERM, daemon_quit_cb, &watch);
	g_main_loop_run(loop);
	g_source_remove(sigint);
	g_source_remove(sigterm);
	g_signal_handlers_disconnect_by_data(proxy, &watch);
	return watch.status;
}

static gboolean
quit_cb(gpointer user_data)
{
	Watch *watch = user_data;
	g_main_loop_quit(watch->loop);
	return G_SOURCE_CONTINUE;
}

static void
finished_cb(gpointer user_data)
{
	Watch *watch = user_data;
	if (!watch->json)
		printf("— %s —\n", _("end of the recording"));
	g_main_loop_quit(watch->loop);
}

static SrConfig *
demo_config(const SrCatalog *catalog, const char *speed)
{
	SrConfig *config = sr_config_new_default(catalog);
	const SrSourceOps *ops = sr_source_registry_lookup("replay");
	SrSourceConfig *source = sr_source_config_new("demo", ops);
	g_autofree char *file = g_build_filename(sr_data_dir(), "demo", "night.json", NULL);
	g_ptr_array_set_size(config->sources, 0);
	g_hash_table_insert(source->extra, g_strdup("file"), g_steal_pointer(&file));
	if (speed != NULL)
		g_hash_table_insert(source->extra, g_strdup("speed"), g_strdup(speed));
	source->stale_after = 900; /* recorded seconds */
	g_ptr_array_add(config->sources, source);
	return config;
}

int
sr_cli_watch(int argc, char **argv, SrCliCommon *common)
{
	const SrCatalog *catalog = NULL;
	SrConfig *config = NULL;
	g_autoptr(SrCliRuntime) runtime = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	g_auto(GStrv) kinds = NULL;
	g_autofree char *speed = NULL;
	gboolean demo = FALSE;
	Watch watch = {0};
	guint sigint = 0;
	guint sigterm = 0;
	GOptionEntry entries[] = {
	    {"region", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &common->regions,
	     N_("Region id or name (repeatable; default: the config's regions=)"), "R"},
	    {"kind", 'k', 0, G_OPTION_ARG_STRING_ARRAY, &kinds,
	     N_("Only this kind of alert: air_raid, artillery, … (repeatable)"), "K"},
	    {"demo", 0, 0, G_OPTION_ARG_NONE, &demo,
	     N_("Play a recorded night of alerts (offline, about a minute)"), NULL},
	    {"speed", 0, 0, G_OPTION_ARG_STRING, &speed,
	     N_("With --demo: recorded seconds per real second"), "N"},
	    {NULL},
	};

	if (!sr_cli_parse_options(
	        common, "watch", NULL,
	        N_("Streams changes (started, updated, ended, source down/back) for "
	           "your regions,\none line each, until interrupted. With --json: one "
	           "JSON object per line."),
	        entries, &argc, &argv))
		return SR_EXIT_USAGE;
	if (argc > 1) {
		sr_cli_error(
		    _("watch takes no arguments besides options (did you mean --region %s?)"),
		    argv[1]);
		return SR_EXIT_USAGE;
	}
	for (guint i = 0; kinds != NULL && kinds[i] != NULL; i++) {
		SrKind kind = SR_KIND_UNKNOWN;
		if (!sr_kind_from_string(kinds[i], &kind)) {
			g_autoptr(GString) all = g_string_new(NULL);
			for (guint k = 0; k < SR_KIND_LAST; k++)
				g_string_append_printf(all, "%s%s", k > 0 ? ", " : "",
				                       sr_kind_to_string((SrKind)k));
			sr_cli_error(_("--kind: unknown kind '%s' (one of: %s)"), kinds[i],
			             all->str);
			return SR_EXIT_USAGE;
		}
		watch.kinds |= 1u << kind;
	}
	catalog = sr_cli_catalog();
	if (catalog == NULL)
		return SR_EXIT_FAILURE;
	if (!demo) {
		g_autoptr(SrDBusSirena1) proxy = sr_cli_daemon_connect(common->standalone);
		if (proxy != NULL) {
			g_autoptr(GPtrArray) regions = g_ptr_array_new_with_free_func(g_free);
			for (guint i = 0; common->regions != NULL && common->regions[i] != NULL;
			     i++) {
				g_autoptr(GError) error = NULL;
				const SrRegion *region =
				    sr_catalog_resolve(catalog, common->regions[i], &error);
				if (region == NULL) {
					sr_cli_error(_("--region: %s"), error->message);
					return SR_EXIT_USAGE;
				}
				g_ptr_array_add(regions, g_strdup(region->id));
			}
			return watch_daemon(proxy, catalog, regions, common->json, watch.kinds);
		}
	}
	if (demo) {
		config = demo_config(catalog, speed);
	} else {
		config = sr_cli_load_config(common, catalog);
		if (config == NULL)
			return SR_EXIT_USAGE;
	}
	if (!sr_cli_resolve_regions(common, catalog, config)) {
		sr_config_free(config);
		return SR_EXIT_USAGE;
	}
	if (demo && !common->json)
		printf("%s\n",
		       _("Demo: a recorded night of alerts, played fast. Not real alerts."));

	runtime = sr_cli_runtime_new(catalog, config);
	loop = g_main_loop_new(NULL, FALSE);
	watch.runtime = runtime;
	watch.json = common->json;
	watch.loop = loop;
	sr_engine_set_change_func(runtime->engine, change_cb, &watch);
	sr_poller_set_finished_func(runtime->poller, G_CALLBACK(finished_cb), &watch);
	sigint = g_unix_signal_add(SIGINT, quit_cb, &watch);
	sigterm = g_unix_signal_add(SIGTERM, quit_cb, &watch);
	sr_poller_start(runtime->poller);
	g_main_loop_run(loop);
	g_source_remove(sigint);
	g_source_remove(sigterm);
	return SR_EXIT_OK;
}
