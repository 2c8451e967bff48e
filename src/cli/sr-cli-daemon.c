/* sr-cli-daemon.c - talking to sirenad: one set of upstream requests serves every client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sirena"

#include "config.h"

#include <string.h>

#include "cli/sr-cli.h"
#include "sirena/error.h"
#include "sirena/json.h"

SrDBusSirena1 *
sr_cli_daemon_connect(gboolean standalone)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrDBusSirena1) proxy = NULL;
	g_autofree char *owner = NULL;

	if (standalone || g_getenv("DBUS_SESSION_BUS_ADDRESS") == NULL)
		return NULL;
	/* no auto-start: "when it runs"; a client must not start a service behind the user */
	proxy = sr_dbus_sirena1_proxy_new_for_bus_sync(
	    G_BUS_TYPE_SESSION,
	    G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START | G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
	    "org.sirena.Sirena1", "/org/sirena/Sirena1", NULL, &error);
	if (proxy == NULL) {
		g_debug("no session bus: %s", error->message);
		return NULL;
	}
	owner = g_dbus_proxy_get_name_owner(G_DBUS_PROXY(proxy));
	if (owner == NULL)
		return NULL;
	g_dbus_proxy_set_default_timeout(G_DBUS_PROXY(proxy), 10000);
	return g_steal_pointer(&proxy);
}

void
sr_cli_daemon_error(const char *what, GError *error)
{
	g_dbus_error_strip_remote_error(error);
	sr_cli_error(_("sirenad: %s: %s"), what, error->message);
}

void
sr_cli_health_clear(SrSourceHealth *health)
{
	g_clear_pointer(&health->name, g_free);
	g_clear_pointer(&health->type, g_free);
	g_clear_pointer(&health->error, g_free);
}

void
sr_cli_health_free(SrSourceHealth *health)
{
	sr_cli_health_clear(health);
	g_free(health);
}

static void
change_holder_clear(SrCliChange *holder)
{
	g_clear_pointer(&holder->alert.key, g_free);
	g_clear_pointer(&holder->alert.event, sr_event_unref);
	g_clear_pointer(&holder->alert.sources, g_ptr_array_unref);
	g_clear_pointer(&holder->alert.events, g_ptr_array_unref);
	sr_cli_health_clear(&holder->health);
	g_clear_pointer(&holder->reason, g_free);
}

void
sr_cli_change_free(SrCliChange *holder)
{
	change_holder_clear(holder);
	g_free(holder);
}

static gint64
json_time(const cJSON *object, const char *name)
{
	gint64 t = 0;
	const char *text = sr_json_get_string(object, name);
	if (text != NULL && !sr_time_parse_iso8601(text, &t))
		t = 0;
	return t;
}

void
sr_cli_health_read(SrSourceHealth *health, const cJSON *json)
{
	const char *state = sr_json_get_string(json, "state");
	health->name = g_strdup(sr_json_get_string(json, "name"));
	health->type = g_strdup(sr_json_get_string(json, "type"));
	health->error = g_strdup(sr_json_get_string(json, "error"));
	health->last_success = json_time(json, "last_success");
	health->down_since = json_time(json, "down_since");
	health->state = g_strcmp0(state, "ok") == 0      ? SR_SOURCE_STATE_OK
	                : g_strcmp0(state, "stale") == 0 ? SR_SOURCE_STATE_STALE
	                                                 : SR_SOURCE_STATE_ERROR;
}

SrCliChange *
sr_cli_alert_from_json(const cJSON *json, GError **error)
{
	g_autoptr(SrCliChange) holder = g_new0(SrCliChange, 1);
	const cJSON *item = NULL;
	SrCliChange *alert = NULL;
	holder->alert.event = sr_event_from_json(json, error);
	if (holder->alert.event == NULL)
		return NULL;
	holder->alert.key = g_strdup(holder->alert.event->id);
	holder->alert.sources = g_ptr_array_new_with_free_func(g_free);
	holder->alert.events = g_ptr_array_new_with_free_func((GDestroyNotify)sr_event_unref);
	cJSON_ArrayForEach (item, cJSON_GetObjectItemCaseSensitive(json, "sources")) {
		if (cJSON_IsString(item))
			g_ptr_array_add(holder->alert.sources, g_strdup(item->valuestring));
	}
	alert = g_steal_pointer(&holder);
	return alert;
}

SrCliChange *
sr_cli_change_from_json(const char *text, GError **error)
{
	g_autoptr(cJSON) json = cJSON_Parse(text);
	g_autoptr(SrCliChange) holder = NULL;
	const char *type = sr_json_get_string(json, "change");
	const cJSON *source = NULL;

	if (type == NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE, "not a change line");
		return NULL;
	}
	if (g_strcmp0(type, "source") == 0) {
		holder = g_new0(SrCliChange, 1);
		source = cJSON_GetObjectItemCaseSensitive(json, "source");
		sr_cli_health_read(&holder->health, source);
		holder->change.type = SR_CHANGE_SOURCE;
		holder->change.source = &holder->health;
	} else {
		holder =
		    sr_cli_alert_from_json(cJSON_GetObjectItemCaseSensitive(json, "alert"), error);
		if (holder == NULL)
			return NULL;
		holder->change.type = g_strcmp0(type, "started") == 0   ? SR_CHANGE_STARTED
		                      : g_strcmp0(type, "updated") == 0 ? SR_CHANGE_UPDATED
		                                                        : SR_CHANGE_ENDED;
		holder->change.alert = &holder->alert;
		holder->change.baseline = cJSON_IsTrue(cJSON_GetObjectItem(json, "baseline"));
		holder->reason = g_strdup(sr_json_get_string(json, "reason"));
		holder->change.reason = holder->reason;
	}
	holder->change.at = json_time(json, "at");
	return g_steal_pointer(&holder);
}
