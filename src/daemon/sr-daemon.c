/* sr-daemon.c - sirenad: the engine, the sources, the store, notifications and the D-Bus API
 *
 * Every change the engine reports goes, in this order, to the desktop (a notification), to the
 * store (what was notified, the history) and to D-Bus listeners. Notifying before recording
 * means a crash in between repeats a notification after restart rather than losing one.
 *
 * A restart must neither repeat a start nor lose an end. The store holds what the user was
 * told is going on. Alerts from it that come back in the sources' first answers are not shown
 * again; those that do not come back, once every source that reported them has answered, ended
 * while sirenad was not running, and get their all-clear.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sirenad"

#include "config.h"

#include <string.h>

#include "daemon/sr-daemon.h"
#include "relay/sr-relay.h"
#include "sirena/sirena.h"
#include "sirena/store.h"
#include "sr-dbus-generated.h"

struct _SrDaemon {
	char *config_path;
	char *store_path;
	const SrCatalog *catalog;
	SrConfig *config;
	SrStore *store;
	SrNotifier *notifier;
	SrHttp *http;
	SrEngine *engine;
	SrPoller *poller;
	SrDBusSirena1 *skeleton;
	SrRelay *relay;      /* [relay]: NULL when not configured */
	GHashTable *pending; /* key -> SrStoreAlert*: notified by an earlier run, not seen yet */
	guint reconcile_id;
	GNetworkMonitor *monitor;
	gulong monitor_handler;
	gboolean running;
};

static gint64
now_utc(void)
{
	return g_get_real_time() / G_USEC_PER_SEC;
}

static char **
alert_sources(const SrAlert *alert)
{
	char **sources = g_new0(char *, alert->sources->len + 1);
	for (guint i = 0; i < alert->sources->len; i++)
		sources[i] = g_strdup(g_ptr_array_index(alert->sources, i));
	return sources;
}

static SrStoreAlert *
store_alert_new(SrDaemon *daemon, const SrAlert *alert, guint32 id, gint64 now)
{
	SrStoreAlert *stored = g_new0(SrStoreAlert, 1);
	g_autoptr(cJSON) json = sr_alert_to_json(alert, daemon->catalog);
	stored->key = g_strdup(alert->key);
	stored->region = alert->event->regions->len > 0
	                     ? g_strdup(g_ptr_array_index(alert->event->regions, 0))
	                     : NULL;
	stored->kind = g_strdup(sr_kind_to_string(alert->event->kind));
	stored->sources = alert_sources(alert);
	stored->alert_json = sr_json_print(json);
	stored->notification_id = id;
	stored->started_at = alert->event->started_at;
	stored->notified_at = now;
	return stored;
}

static void
emit_dbus(SrDaemon *daemon, const SrChange *change)
{
	g_autoptr(cJSON) json = NULL;
	g_autofree char *text = NULL;
	if (daemon->skeleton == NULL)
		return;
	json = sr_change_to_json(change, daemon->catalog);
	text = sr_json_print(json);
	sr_dbus_sirena1_emit_alert_changed(daemon->skeleton, sr_change_type_to_string(change->type),
	                                   text);
}

/* the relay gets every change the D-Bus listeners get, in the same order */
static void
emit_relay(SrDaemon *daemon, const SrChange *change)
{
	if (daemon->relay != NULL)
		sr_relay_handle_change(daemon->relay, change);
}

static void
store_warn(const char *what, const GError *error)
{
	/* the notification went out; a store failure costs restart safety, not the alert */
	g_warning("cannot record %s: %s", what, error->message);
}

/* an alert from an earlier run is back in the sources' answers: it is not news */
static void
forget_pending(SrDaemon *daemon, const char *key)
{
	g_hash_table_remove(daemon->pending, key);
}

static void
handle_change(const SrChange *change, gpointer user_data)
{
	SrDaemon *daemon = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(SrStoreAlert) stored = NULL;
	g_autoptr(SrStoreAlert) record = NULL;
	gint64 now = now_utc();
	guint32 id = 0;

	if (change->type == SR_CHANGE_SOURCE) {
		sr_notifier_handle_change(daemon->notifier, change, 0, now);
		emit_dbus(daemon, change);
		emit_relay(daemon, change);
		return;
	}
	stored = sr_store_lookup_notified(daemon->store, change->alert->key, &error);
	if (error != NULL) {
		store_warn("a lookup", error);
		g_clear_error(&error);
	}
	switch (change->type) {
	case SR_CHANGE_STARTED:
		forget_pending(daemon, change->alert->key);
		if (stored != NULL) {
			/* told before (an earlier run, or before a reload): not again */
			record =
			    store_alert_new(daemon, change->alert, stored->notification_id, now);
			record->notified_at = stored->notified_at;
			if (!sr_store_alert_updated(daemon->store, record, &error))
				store_warn("an alert", error);
			break;
		}
		id = sr_notifier_handle_change(daemon->notifier, change, 0, now);
		record = store_alert_new(daemon, change->alert, id, now);
		if (!sr_store_alert_started(daemon->store, record, &error))
			store_warn("a start", error);
		break;
	case SR_CHANGE_UPDATED:
		id = sr_notifier_handle_change(daemon->notifier, change,
		                               stored != NULL ? stored->notification_id : 0, now);
		record = store_alert_new(daemon, change->alert, id, now);
		if (stored != NULL)
			record->notified_at = stored->notified_at;
		/* a key the store lacks (a fresh database) is recorded as started by this */
		if (!sr_store_alert_updated(daemon->store, record, &error))
			store_warn("an update", error);
		break;
	case SR_CHANGE_ENDED:
	default:
		sr_notifier_handle_change(daemon->notifier, change,
		                          stored != NULL ? stored->notification_id : 0, now);
		if (!sr_store_alert_ended(
		        daemon->store, change->alert->key,
		        change->alert->event->ended_at != 0 ? change->alert->event->ended_at : now,
		        &error))
			store_warn("an end", error);
		break;
	}
	emit_dbus(daemon, change);
	emit_relay(daemon, change);
}

/* restart reconciliation */

static gboolean
sources_have_answered(SrDaemon *daemon, const SrStoreAlert *stored)
{
	guint known = 0;
	GPtrArray *all = sr_engine_get_sources(daemon->engine);
	for (guint i = 0; stored->sources != NULL && stored->sources[i] != NULL; i++) {
		const SrSourceHealth *health =
		    sr_engine_get_source(daemon->engine, stored->sources[i]);
		if (health == NULL)
			continue; /* no longer configured: it cannot answer */
		known++;
		if (!health->had_success)
			return FALSE;
	}
	if (known > 0)
		return TRUE;
	/* none of its sources is configured any more: every source must have answered */
	for (guint i = 0; i < all->len; i++) {
		const SrSourceHealth *health = g_ptr_array_index(all, i);
		if (!health->had_success)
			return FALSE;
	}
	return all->len > 0;
}

static gboolean
engine_has_alert(SrDaemon *daemon, const char *key)
{
	GPtrArray *alerts = sr_engine_get_alerts(daemon->engine);
	for (guint i = 0; i < alerts->len; i++) {
		const SrAlert *alert = g_ptr_array_index(alerts, i);
		if (g_strcmp0(alert->key, key) == 0)
			return TRUE;
	}
	return FALSE;
}

/* an alert the user was told about ended while sirenad was not there to see it */
static void
end_stored_alert(SrDaemon *daemon, const SrStoreAlert *stored, gint64 now)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrEvent) event = NULL;
	g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) events =
	    g_ptr_array_new_with_free_func((GDestroyNotify)sr_event_unref);
	SrAlert alert = {0};
	SrChange change = {0};

	event = sr_event_from_json_string(stored->alert_json, strlen(stored->alert_json), &error);
	if (event == NULL) {
		/* an unreadable record still gets an all-clear, with what is known */
		g_warning("stored alert %s unreadable (%s); ending it anyway", stored->key,
		          error->message);
		g_clear_error(&error);
		event = sr_event_new("sirena", stored->key);
		if (stored->region != NULL)
			sr_event_add_region(event, stored->region);
		if (stored->kind == NULL || !sr_kind_from_string(stored->kind, &event->kind))
			event->kind = SR_KIND_UNKNOWN;
		event->started_at = stored->started_at;
	}
	event->phase = SR_PHASE_ENDED;
	event->ended_at = now;
	event->updated_at = now;
	for (guint i = 0; stored->sources != NULL && stored->sources[i] != NULL; i++)
		g_ptr_array_add(sources, g_strdup(stored->sources[i]));
	alert.key = stored->key;
	alert.event = event;
	alert.sources = sources;
	alert.events = events;
	change.type = SR_CHANGE_ENDED;
	change.at = now;
	change.alert = &alert;
	g_message("alert %s ended while sirenad was not running", stored->key);
	sr_notifier_handle_change(daemon->notifier, &change, stored->notification_id, now);
	if (!sr_store_alert_ended(daemon->store, stored->key, now, &error))
		store_warn("an end", error);
	emit_dbus(daemon, &change);
	emit_relay(daemon, &change);
}

static gboolean
reconcile_cb(gpointer user_data)
{
	SrDaemon *daemon = user_data;
	GHashTableIter iter;
	gpointer value = NULL;
	g_autoptr(GPtrArray) ended = g_ptr_array_new();
	gint64 now = now_utc();

	g_hash_table_iter_init(&iter, daemon->pending);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		SrStoreAlert *stored = value;
		if (engine_has_alert(daemon, stored->key))
			g_hash_table_iter_remove(&iter);
		else if (sources_have_answered(daemon, stored))
			g_ptr_array_add(ended, stored);
	}
	for (guint i = 0; i < ended->len; i++)
		end_stored_alert(daemon, g_ptr_array_index(ended, i), now);
	for (guint i = 0; i < ended->len; i++)
		g_hash_table_remove(daemon->pending,
		                    ((SrStoreAlert *)g_ptr_array_index(ended, i))->key);
	if (g_hash_table_size(daemon->pending) > 0)
		return G_SOURCE_CONTINUE;
	daemon->reconcile_id = 0;
	return G_SOURCE_REMOVE;
}

/* sources that follow alerts across polls (oref) would forget them with the old pipeline:
 * an empty real-time file after a restart is no all-clear */
static void
restore_sources(SrDaemon *daemon, const SrStoreAlert *stored)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrEvent) event =
	    sr_event_from_json_string(stored->alert_json, strlen(stored->alert_json), &error);
	if (event == NULL)
		return;
	for (guint i = 0; stored->sources != NULL && stored->sources[i] != NULL; i++)
		sr_poller_restore(daemon->poller, stored->sources[i], event);
}

static void
load_pending(SrDaemon *daemon)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) notified = sr_store_get_notified(daemon->store, &error);
	if (notified == NULL) {
		store_warn("(reading the notified alerts)", error);
		return;
	}
	for (guint i = 0; i < notified->len; i++) {
		SrStoreAlert *stored = g_ptr_array_index(notified, i);
		restore_sources(daemon, stored);
		g_hash_table_replace(daemon->pending, stored->key, stored);
	}
	/* the array's items now belong to the table */
	g_ptr_array_set_free_func(notified, NULL);
	if (g_hash_table_size(daemon->pending) > 0 && daemon->reconcile_id == 0)
		daemon->reconcile_id = g_timeout_add(250, reconcile_cb, daemon);
}

/* the pipeline */

static void
pipeline_clear(SrDaemon *daemon)
{
	if (daemon->relay != NULL)
		sr_relay_set_engine(daemon->relay, NULL);
	g_clear_pointer(&daemon->poller, sr_poller_free);
	g_clear_pointer(&daemon->engine, sr_engine_free);
}

static void
pipeline_build(SrDaemon *daemon)
{
	g_autoptr(GPtrArray) enabled = sr_config_get_enabled_sources(daemon->config);
	daemon->engine = sr_engine_new(daemon->catalog);
	for (guint i = 0; i < daemon->config->regions->len; i++)
		sr_engine_add_subscription(daemon->engine,
		                           g_ptr_array_index(daemon->config->regions, i));
	sr_engine_set_change_func(daemon->engine, handle_change, daemon);
	daemon->poller = sr_poller_new(daemon->engine, daemon->http, daemon->catalog);
	sr_engine_set_location(daemon->engine, daemon->config->location);
	sr_poller_set_location(daemon->poller, daemon->config->location);
	for (guint i = 0; i < enabled->len; i++)
		sr_poller_add_source(daemon->poller, g_ptr_array_index(enabled, i));
	sr_notifier_set_settings(daemon->notifier, &daemon->config->notify);
	sr_notifier_set_subscriptions(daemon->notifier, daemon->config->regions);
	if (daemon->relay != NULL) {
		sr_relay_set_engine(daemon->relay, daemon->engine);
		sr_relay_set_regions(daemon->relay, daemon->config->regions);
	}
	if (daemon->monitor != NULL)
		sr_poller_set_offline(daemon->poller,
		                      !g_network_monitor_get_network_available(daemon->monitor));
}

/* after a reload rebuilt the pipeline: the same start as before it; what was shown stays
 * shown, and the new sources' first answers decide what ended */
static void
pipeline_start(SrDaemon *daemon)
{
	if (!daemon->running)
		return;
	if (daemon->relay != NULL)
		sr_relay_start(daemon->relay);
	load_pending(daemon);
	sr_poller_start(daemon->poller);
}

static void
network_changed_cb(GNetworkMonitor *monitor, gboolean available, gpointer user_data)
{
	SrDaemon *daemon = user_data;
	g_info("network %s", available ? "available" : "gone");
	if (daemon->poller != NULL)
		sr_poller_set_offline(daemon->poller, !available);
}

static gboolean
relay_config_equal(const SrRelayConfig *a, const SrRelayConfig *b)
{
	return a->enabled == b->enabled && g_strcmp0(a->url, b->url) == 0 &&
	       g_strcmp0(a->ca_file, b->ca_file) == 0 && g_strcmp0(a->username, b->username) == 0 &&
	       g_strcmp0(a->password, b->password) == 0 &&
	       g_strcmp0(a->client_id, b->client_id) == 0 && g_strcmp0(a->prefix, b->prefix) == 0 &&
	       a->heartbeat == b->heartbeat && a->homeassistant == b->homeassistant;
}

/* relay-outbox.db next to the store */
static char *
relay_outbox_path(SrDaemon *daemon)
{
	g_autofree char *dir = g_path_get_dirname(daemon->store_path);
	return g_build_filename(dir, "relay-outbox.db", NULL);
}

static gboolean
relay_build(SrDaemon *daemon, const SrConfig *config, SrRelay **relay, GError **error)
{
	g_autofree char *path = NULL;
	*relay = NULL;
	if (!config->relay.enabled)
		return TRUE;
	path = relay_outbox_path(daemon);
	*relay = sr_relay_new(&config->relay, daemon->catalog, path, error);
	return *relay != NULL;
}

static void
log_config_warnings(SrConfig *config)
{
	for (guint i = 0; i < config->warnings->len; i++)
		g_warning("%s", (const char *)g_ptr_array_index(config->warnings, i));
}

SrDaemon *
sr_daemon_new(const char *config_path, const char *store_path, GError **error)
{
	g_autoptr(SrDaemon) daemon = g_new0(SrDaemon, 1);
	g_autofree char *warning = NULL;

	daemon->config_path = g_strdup(config_path);
	daemon->store_path = store_path != NULL ? g_strdup(store_path) : sr_store_default_path();
	daemon->pending = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	                                        (GDestroyNotify)sr_store_alert_free);
	daemon->catalog = sr_catalog_get_default(error);
	if (daemon->catalog == NULL)
		return NULL;
	daemon->config = sr_config_load(config_path, daemon->catalog, error);
	if (daemon->config == NULL)
		return NULL;
	log_config_warnings(daemon->config);
	daemon->store = sr_store_open(daemon->store_path, &warning, error);
	if (daemon->store == NULL)
		return NULL;
	if (warning != NULL)
		g_warning("%s", warning);
	daemon->notifier = sr_notifier_new("Sirena", daemon->catalog);
	daemon->http = sr_http_new(NULL, SR_USER_AGENT);
	if (!relay_build(daemon, daemon->config, &daemon->relay, error))
		return NULL;
	pipeline_build(daemon);
	return g_steal_pointer(&daemon);
}

void
sr_daemon_free(SrDaemon *daemon)
{
	if (daemon == NULL)
		return;
	g_clear_handle_id(&daemon->reconcile_id, g_source_remove);
	if (daemon->monitor != NULL) {
		g_signal_handler_disconnect(daemon->monitor, daemon->monitor_handler);
		daemon->monitor = NULL;
	}
	if (daemon->skeleton != NULL) {
		g_dbus_interface_skeleton_unexport(G_DBUS_INTERFACE_SKELETON(daemon->skeleton));
		g_clear_object(&daemon->skeleton);
	}
	pipeline_clear(daemon);
	g_clear_pointer(&daemon->relay, sr_relay_free);
	g_clear_pointer(&daemon->http, sr_http_free);
	g_clear_pointer(&daemon->notifier, sr_notifier_free);
	g_clear_pointer(&daemon->store, sr_store_free);
	g_clear_pointer(&daemon->config, sr_config_free);
	g_clear_pointer(&daemon->pending, g_hash_table_unref);
	g_free(daemon->config_path);
	g_free(daemon->store_path);
	g_free(daemon);
}

void
sr_daemon_start(SrDaemon *daemon)
{
	if (daemon->running)
		return;
	daemon->running = TRUE;
	daemon->monitor = g_network_monitor_get_default();
	daemon->monitor_handler = g_signal_connect(daemon->monitor, "network-changed",
	                                           G_CALLBACK(network_changed_cb), daemon);
	sr_poller_set_offline(daemon->poller,
	                      !g_network_monitor_get_network_available(daemon->monitor));
	load_pending(daemon);
	if (daemon->relay != NULL)
		sr_relay_start(daemon->relay);
	sr_poller_start(daemon->poller);
}

gboolean
sr_daemon_reload(SrDaemon *daemon, GError **error)
{
	SrConfig *config = sr_config_load(daemon->config_path, daemon->catalog, error);
	SrRelay *relay = NULL;
	gboolean relay_changed = FALSE;
	if (config == NULL)
		return FALSE;
	relay_changed = !relay_config_equal(&config->relay, &daemon->config->relay);
	if (relay_changed) {
		/* the old connection says goodbye first: one client id, one connection */
		pipeline_clear(daemon);
		g_clear_pointer(&daemon->relay, sr_relay_free);
		if (!relay_build(daemon, config, &relay, error)) {
			sr_config_free(config);
			/* the old relay is gone; the old configuration's comes back */
			if (!relay_build(daemon, daemon->config, &daemon->relay, NULL))
				daemon->relay = NULL;
			pipeline_build(daemon);
			pipeline_start(daemon);
			return FALSE;
		}
		daemon->relay = relay;
	}
	log_config_warnings(config);
	pipeline_clear(daemon);
	sr_config_free(daemon->config);
	daemon->config = config;
	pipeline_build(daemon);
	pipeline_start(daemon);
	return TRUE;
}

/* the D-Bus API */

static char *
print_and_free(cJSON *json)
{
	char *text = sr_json_print(json);
	cJSON_Delete(json);
	return text;
}

static gboolean
handle_get_active_alerts(SrDBusSirena1 *skeleton, GDBusMethodInvocation *invocation,
                         gpointer user_data)
{
	SrDaemon *daemon = user_data;
	GPtrArray *alerts = sr_engine_get_alerts(daemon->engine);
	cJSON *array = cJSON_CreateArray();
	g_autofree char *text = NULL;
	for (guint i = 0; i < alerts->len; i++)
		cJSON_AddItemToArray(
		    array, sr_alert_to_json(g_ptr_array_index(alerts, i), daemon->catalog));
	text = print_and_free(array);
	sr_dbus_sirena1_complete_get_active_alerts(skeleton, invocation, text);
	return TRUE;
}

static gboolean
handle_get_sources(SrDBusSirena1 *skeleton, GDBusMethodInvocation *invocation, gpointer user_data)
{
	SrDaemon *daemon = user_data;
	GPtrArray *sources = sr_engine_get_sources(daemon->engine);
	cJSON *array = cJSON_CreateArray();
	g_autofree char *text = NULL;
	for (guint i = 0; i < sources->len; i++) {
		const SrSourceHealth *health = g_ptr_array_index(sources, i);
		cJSON *item = sr_source_health_to_json(health);
		SrPollerStats stats = {0};
		/* what the poller measured: effective interval, latency, the stream's state */
		if (sr_poller_get_stats(daemon->poller, health->name, &stats))
			cJSON_AddItemToObject(item, "measured", sr_poller_stats_to_json(&stats));
		cJSON_AddItemToArray(array, item);
	}
	text = print_and_free(array);
	sr_dbus_sirena1_complete_get_sources(skeleton, invocation, text);
	return TRUE;
}

static gboolean
handle_get_state(SrDBusSirena1 *skeleton, GDBusMethodInvocation *invocation, gpointer user_data)
{
	SrDaemon *daemon = user_data;
	gint64 now = now_utc();
	cJSON *state = cJSON_CreateObject();
	g_autofree char *snoozed =
	    sr_time_to_rfc3339(sr_notifier_get_snoozed_until(daemon->notifier, now));
	g_autofree char *text = NULL;
	cJSON_AddNumberToObject(state, "schema", SR_JSON_SCHEMA);
	cJSON_AddStringToObject(state, "version", PACKAGE_VERSION);
	if (snoozed != NULL)
		cJSON_AddStringToObject(state, "snoozed_until", snoozed);
	else
		cJSON_AddNullToObject(state, "snoozed_until");
	cJSON_AddBoolToObject(state, "quiet_hours",
	                      sr_notifier_in_quiet_hours(daemon->notifier, now));
	if (daemon->config->path != NULL)
		cJSON_AddStringToObject(state, "config", daemon->config->path);
	else
		cJSON_AddNullToObject(state, "config");
	text = print_and_free(state);
	sr_dbus_sirena1_complete_get_state(skeleton, invocation, text);
	return TRUE;
}

static gboolean
handle_get_history(SrDBusSirena1 *skeleton, GDBusMethodInvocation *invocation,
                   const char *region_query, gint64 since, gpointer user_data)
{
	SrDaemon *daemon = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) history = NULL;
	const SrRegion *region = NULL;
	g_autofree char *text = NULL;

	if (region_query != NULL && region_query[0] != '\0') {
		region = sr_catalog_resolve(daemon->catalog, region_query, &error);
		if (region == NULL) {
			g_dbus_method_invocation_return_gerror(invocation, error);
			return TRUE;
		}
	}
	history = sr_store_get_history(daemon->store, NULL, since, &error);
	if (history == NULL) {
		g_dbus_method_invocation_return_gerror(invocation, error);
		return TRUE;
	}
	text = print_and_free(sr_history_to_json(
	    history, daemon->catalog, region != NULL ? region->id : NULL, since, now_utc()));
	sr_dbus_sirena1_complete_get_history(skeleton, invocation, text);
	return TRUE;
}

static gboolean
handle_reload(SrDBusSirena1 *skeleton, GDBusMethodInvocation *invocation, gpointer user_data)
{
	SrDaemon *daemon = user_data;
	g_autoptr(GError) error = NULL;
	if (!sr_daemon_reload(daemon, &error)) {
		g_warning("reload refused, the previous configuration stays: %s", error->message);
		g_dbus_method_invocation_return_gerror(invocation, error);
		return TRUE;
	}
	sr_dbus_sirena1_complete_reload(skeleton, invocation);
	return TRUE;
}

static gboolean
handle_snooze(SrDBusSirena1 *skeleton, GDBusMethodInvocation *invocation, guint seconds,
              gpointer user_data)
{
	SrDaemon *daemon = user_data;
	sr_notifier_snooze(daemon->notifier, seconds > 0 ? now_utc() + seconds : 0);
	if (seconds > 0)
		g_message("snoozed for %u s", seconds);
	else
		g_message("snooze cancelled");
	sr_dbus_sirena1_complete_snooze(skeleton, invocation);
	return TRUE;
}

static gboolean
handle_send_test_alert(SrDBusSirena1 *skeleton, GDBusMethodInvocation *invocation,
                       gpointer user_data)
{
	SrDaemon *daemon = user_data;
	sr_notifier_send_test(daemon->notifier, now_utc());
	sr_dbus_sirena1_complete_send_test_alert(skeleton, invocation);
	return TRUE;
}

gboolean
sr_daemon_export(SrDaemon *daemon, GDBusConnection *connection, GError **error)
{
	daemon->skeleton = sr_dbus_sirena1_skeleton_new();
	g_signal_connect(daemon->skeleton, "handle-get-active-alerts",
	                 G_CALLBACK(handle_get_active_alerts), daemon);
	g_signal_connect(daemon->skeleton, "handle-get-sources", G_CALLBACK(handle_get_sources),
	                 daemon);
	g_signal_connect(daemon->skeleton, "handle-get-state", G_CALLBACK(handle_get_state),
	                 daemon);
	g_signal_connect(daemon->skeleton, "handle-get-history", G_CALLBACK(handle_get_history),
	                 daemon);
	g_signal_connect(daemon->skeleton, "handle-reload", G_CALLBACK(handle_reload), daemon);
	g_signal_connect(daemon->skeleton, "handle-snooze", G_CALLBACK(handle_snooze), daemon);
	g_signal_connect(daemon->skeleton, "handle-send-test-alert",
	                 G_CALLBACK(handle_send_test_alert), daemon);
	return g_dbus_interface_skeleton_export(G_DBUS_INTERFACE_SKELETON(daemon->skeleton),
	                                        connection, SR_DBUS_PATH, error);
}
