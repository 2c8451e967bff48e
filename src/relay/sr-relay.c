/* sr-relay.c - the relay sink: every change to an MQTT broker, with an outbox that loses nothing
 *
 * A change is first written to the outbox (SQLite, one transaction with its retained state),
 * then published with QoS 1; it leaves the outbox only when the broker acknowledges it (PUBACK).
 * On every (re)connect the unacknowledged changes are published again, oldest first, then every
 * retained state (a restarted broker without persistence has forgotten them; one that ended is
 * cleared again until the broker acknowledges the clear), then the status. A change can
 * therefore reach a subscriber twice; its "change_id" is unique, so duplicates are easy to drop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-relay"

#include "config.h"

#include <string.h>

#include "relay/sr-mqtt.h"
#include "relay/sr-outbox.h"
#include "relay/sr-relay.h"
#include "sirena/json.h"

#define SR_RELAY_BATCH 500

typedef struct {
	gint64 seq;        /* a change, or 0 */
	char *clear_topic; /* a state clear, or NULL */
} InFlight;

struct _SrRelay {
	SrRelayConfig config;
	const SrCatalog *catalog;
	SrOutbox *outbox;
	SrMqtt *mqtt;
	SrEngine *engine;
	GPtrArray *regions;    /* of char* */
	GHashTable *inflight;  /* mid -> InFlight* */
	GHashTable *ha_states; /* region -> last payload published */
	gint64 sent_upto;      /* the last outbox seq published on this connection */
	guint heartbeat_id;
	char *changes_topic;
	char *status_topic;
};

static void
in_flight_free(InFlight *in_flight)
{
	g_free(in_flight->clear_topic);
	g_free(in_flight);
}

static void
relay_config_copy(SrRelayConfig *dest, const SrRelayConfig *src)
{
	*dest = *src;
	dest->url = g_strdup(src->url);
	dest->host = g_strdup(src->host);
	dest->ca_file = g_strdup(src->ca_file);
	dest->username = g_strdup(src->username);
	dest->password = g_strdup(src->password);
	dest->client_id = g_strdup(src->client_id);
	dest->prefix = g_strdup(src->prefix != NULL ? src->prefix : "sirena");
	if (dest->heartbeat <= 0)
		dest->heartbeat = 30;
}

static void
relay_config_clear(SrRelayConfig *config)
{
	g_free(config->url);
	g_free(config->host);
	g_free(config->ca_file);
	g_free(config->username);
	if (config->password != NULL)
		memset(config->password, 0, strlen(config->password));
	g_free(config->password);
	g_free(config->client_id);
	g_free(config->prefix);
}

/* a topic level from an id: MQTT wildcards and separators become '_' */
static char *
topic_level(const char *text)
{
	char *level = g_strdup(text != NULL && text[0] != '\0' ? text : "_");
	for (char *p = level; *p != '\0'; p++) {
		if (*p == '/' || *p == '+' || *p == '#' || (guchar)*p < 0x20 || *p == 0x7f)
			*p = '_';
	}
	return level;
}

char *
sr_relay_state_topic(const char *prefix, const char *key, const char *kind)
{
	g_autofree char *region = NULL;
	g_autofree char *region_level = NULL;
	g_autofree char *kind_level = topic_level(kind);
	g_autofree char *suffix = g_strdup_printf(":%s", kind);
	/* the key is "<region>:<kind>" (or "<root>:<kind>" for an area alert) */
	if (g_str_has_suffix(key, suffix))
		region = g_strndup(key, strlen(key) - strlen(suffix));
	else
		region = g_strdup(key);
	region_level = topic_level(region);
	return g_strdup_printf("%s/state/%s/%s", prefix, region_level, kind_level);
}

static gboolean
relay_publish(SrRelay *relay, const char *topic, const char *payload, gboolean retain,
              InFlight *track)
{
	int mid = 0;
	if (!sr_mqtt_publish(relay->mqtt, topic, payload, strlen(payload), 1, retain, &mid)) {
		if (track != NULL)
			in_flight_free(track);
		return FALSE;
	}
	if (track != NULL)
		g_hash_table_replace(relay->inflight, GINT_TO_POINTER(mid), track);
	return TRUE;
}

static void
relay_flush(SrRelay *relay)
{
	g_autoptr(GError) error = NULL;
	while (sr_mqtt_is_connected(relay->mqtt)) {
		g_autoptr(GPtrArray) rows =
		    sr_outbox_get_pending(relay->outbox, relay->sent_upto, SR_RELAY_BATCH, &error);
		if (rows == NULL) {
			g_warning("%s", error->message);
			return;
		}
		if (rows->len == 0)
			return;
		for (guint i = 0; i < rows->len; i++) {
			const SrOutboxRow *row = g_ptr_array_index(rows, i);
			InFlight *track = g_new0(InFlight, 1);
			track->seq = row->seq;
			if (!relay_publish(relay, row->topic, row->payload, FALSE, track))
				return;
			relay->sent_upto = row->seq;
		}
	}
}

static void
relay_publish_state(SrRelay *relay, const char *topic, const char *payload)
{
	InFlight *track = NULL;
	if (payload[0] == '\0') {
		track = g_new0(InFlight, 1);
		track->clear_topic = g_strdup(topic);
	}
	relay_publish(relay, topic, payload, TRUE, track);
}

static void
relay_publish_states(SrRelay *relay)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) rows = sr_outbox_get_states(relay->outbox, &error);
	if (rows == NULL) {
		g_warning("%s", error->message);
		return;
	}
	for (guint i = 0; i < rows->len; i++) {
		const SrOutboxRow *row = g_ptr_array_index(rows, i);
		relay_publish_state(relay, row->topic, row->payload);
	}
}

static void
relay_publish_status(SrRelay *relay)
{
	g_autoptr(cJSON) status = cJSON_CreateObject();
	g_autofree char *text = NULL;
	cJSON *sources = cJSON_CreateArray();
	cJSON_AddStringToObject(status, "state", "online");
	sr_json_add_time(status, "time", g_get_real_time() / G_USEC_PER_SEC);
	cJSON_AddNumberToObject(status, "heartbeat", relay->config.heartbeat);
	cJSON_AddNumberToObject(status, "schema", SR_JSON_SCHEMA);
	if (relay->engine != NULL) {
		GPtrArray *health = sr_engine_get_sources(relay->engine);
		for (guint i = 0; i < health->len; i++)
			cJSON_AddItemToArray(
			    sources, sr_source_health_to_json(g_ptr_array_index(health, i)));
	}
	cJSON_AddItemToObject(status, "sources", sources);
	text = sr_json_print(status);
	relay_publish(relay, relay->status_topic, text, TRUE, NULL);
}

/* Home Assistant: one binary_sensor per subscribed region */

static char *
ha_object_id(const char *region)
{
	g_autofree char *id = g_strdup(region);
	for (char *p = id; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p))
			*p = '_';
	}
	return g_strdup_printf("sirena_%s", id);
}

static char *
ha_state_topic(SrRelay *relay, const char *region)
{
	g_autofree char *level = topic_level(region);
	return g_strdup_printf("%s/ha/%s", relay->config.prefix, level);
}

static void
ha_publish_config(SrRelay *relay, const char *region_id)
{
	g_autoptr(cJSON) config = cJSON_CreateObject();
	g_autofree char *object_id = ha_object_id(region_id);
	g_autofree char *topic =
	    g_strdup_printf("homeassistant/binary_sensor/%s/config", object_id);
	g_autofree char *state_topic = ha_state_topic(relay, region_id);
	g_autofree char *text = NULL;
	g_autofree char *name = NULL;
	const SrRegion *region = sr_catalog_lookup(relay->catalog, region_id);
	cJSON *device = NULL;
	cJSON *ids = NULL;

	name = g_strdup_printf("Sirena %s",
	                       region != NULL ? sr_region_display_name(region, TRUE) : region_id);
	cJSON_AddStringToObject(config, "name", name);
	cJSON_AddStringToObject(config, "unique_id", object_id);
	cJSON_AddStringToObject(config, "object_id", object_id);
	cJSON_AddStringToObject(config, "device_class", "safety");
	cJSON_AddStringToObject(config, "state_topic", state_topic);
	cJSON_AddStringToObject(config, "value_template", "{{ value_json.state }}");
	cJSON_AddStringToObject(config, "payload_on", "ON");
	cJSON_AddStringToObject(config, "payload_off", "OFF");
	cJSON_AddStringToObject(config, "json_attributes_topic", state_topic);
	cJSON_AddStringToObject(config, "availability_topic", relay->status_topic);
	cJSON_AddStringToObject(config, "availability_template", "{{ value_json.state }}");
	cJSON_AddStringToObject(config, "payload_available", "online");
	cJSON_AddStringToObject(config, "payload_not_available", "offline");
	device = cJSON_AddObjectToObject(config, "device");
	ids = cJSON_AddArrayToObject(device, "identifiers");
	cJSON_AddItemToArray(ids, cJSON_CreateString(relay->config.client_id != NULL
	                                                 ? relay->config.client_id
	                                                 : "sirena"));
	cJSON_AddStringToObject(device, "name", "Sirena");
	cJSON_AddStringToObject(device, "manufacturer", "Sirena");
	text = sr_json_print(config);
	relay_publish(relay, topic, text, TRUE, NULL);
}

static char *
ha_state_payload(SrRelay *relay, const char *region_id)
{
	g_autoptr(cJSON) state = cJSON_CreateObject();
	const SrAlert *found = NULL;
	guint count = 0;
	GPtrArray *alerts = relay->engine != NULL ? sr_engine_get_alerts(relay->engine) : NULL;

	for (guint i = 0; alerts != NULL && i < alerts->len; i++) {
		const SrAlert *alert = g_ptr_array_index(alerts, i);
		for (guint r = 0; r < alert->event->regions->len; r++) {
			if (sr_catalog_matches(relay->catalog, region_id,
			                       g_ptr_array_index(alert->event->regions, r))) {
				if (found == NULL)
					found = alert;
				count++;
				break;
			}
		}
	}
	cJSON_AddStringToObject(state, "state", found != NULL ? "ON" : "OFF");
	if (found != NULL) {
		cJSON_AddStringToObject(state, "kind", sr_kind_to_string(found->event->kind));
		cJSON_AddStringToObject(state, "phase", sr_phase_to_string(found->event->phase));
		sr_json_add_time(state, "since", found->event->started_at);
	} else {
		cJSON_AddNullToObject(state, "kind");
		cJSON_AddNullToObject(state, "phase");
		cJSON_AddNullToObject(state, "since");
	}
	cJSON_AddNumberToObject(state, "alerts", count);
	return sr_json_print(state);
}

static void
ha_publish_states(SrRelay *relay, gboolean force)
{
	if (!relay->config.homeassistant || relay->regions == NULL)
		return;
	for (guint i = 0; i < relay->regions->len; i++) {
		const char *region = g_ptr_array_index(relay->regions, i);
		g_autofree char *payload = ha_state_payload(relay, region);
		g_autofree char *topic = NULL;
		if (!force &&
		    g_strcmp0(g_hash_table_lookup(relay->ha_states, region), payload) == 0)
			continue;
		topic = ha_state_topic(relay, region);
		if (relay_publish(relay, topic, payload, TRUE, NULL))
			g_hash_table_replace(relay->ha_states, g_strdup(region),
			                     g_steal_pointer(&payload));
	}
}

static void
ha_publish_all(SrRelay *relay)
{
	if (!relay->config.homeassistant || relay->regions == NULL)
		return;
	for (guint i = 0; i < relay->regions->len; i++)
		ha_publish_config(relay, g_ptr_array_index(relay->regions, i));
	ha_publish_states(relay, TRUE);
}

/* the connection */

static void
relay_connected(SrMqtt *mqtt, gpointer user_data)
{
	SrRelay *relay = user_data;
	guint pending = sr_outbox_count_pending(relay->outbox);
	g_hash_table_remove_all(relay->inflight);
	relay->sent_upto = 0;
	if (pending > 0)
		g_message("relay: publishing %u unacknowledged change(s) again", pending);
	relay_flush(relay);
	relay_publish_states(relay);
	ha_publish_all(relay);
	relay_publish_status(relay);
}

static void
relay_disconnected(SrMqtt *mqtt, const char *reason, gpointer user_data)
{
	SrRelay *relay = user_data;
	/* what was in flight is published again on the next connection */
	g_hash_table_remove_all(relay->inflight);
	g_hash_table_remove_all(relay->ha_states);
}

static void
relay_published(SrMqtt *mqtt, int mid, gpointer user_data)
{
	SrRelay *relay = user_data;
	g_autoptr(GError) error = NULL;
	InFlight *track = g_hash_table_lookup(relay->inflight, GINT_TO_POINTER(mid));
	if (track == NULL)
		return;
	if (track->seq != 0 && !sr_outbox_ack(relay->outbox, track->seq, &error))
		g_warning("%s", error->message);
	if (track->clear_topic != NULL &&
	    !sr_outbox_state_cleared(relay->outbox, track->clear_topic, &error))
		g_warning("%s", error->message);
	g_hash_table_remove(relay->inflight, GINT_TO_POINTER(mid));
}

static gboolean
heartbeat_cb(gpointer user_data)
{
	SrRelay *relay = user_data;
	if (sr_mqtt_is_connected(relay->mqtt))
		relay_publish_status(relay);
	return G_SOURCE_CONTINUE;
}

SrRelay *
sr_relay_new(const SrRelayConfig *config, const SrCatalog *catalog, const char *outbox_path,
             GError **error)
{
	g_autoptr(SrRelay) relay = g_new0(SrRelay, 1);
	SrMqttOptions options = {0};
	SrMqttCallbacks callbacks = {
	    .connected = relay_connected,
	    .disconnected = relay_disconnected,
	    .published = relay_published,
	};

	relay_config_copy(&relay->config, config);
	relay->catalog = catalog;
	relay->inflight = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
	                                        (GDestroyNotify)in_flight_free);
	relay->ha_states = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	relay->changes_topic = g_strdup_printf("%s/changes", relay->config.prefix);
	relay->status_topic = g_strdup_printf("%s/status", relay->config.prefix);
	relay->outbox = sr_outbox_open(outbox_path, error);
	if (relay->outbox == NULL)
		return NULL;
	options.host = relay->config.host;
	options.port = relay->config.port;
	options.tls = relay->config.tls;
	options.ca_file = relay->config.ca_file;
	options.username = relay->config.username;
	options.password = relay->config.password;
	options.client_id = relay->config.client_id;
	options.will_topic = relay->status_topic;
	options.will_payload = (char *)"{\"state\":\"offline\"}";
	/* a dead relay is noticed within 1.5 keep-alives by the broker, which sends the will */
	options.keepalive = (int)CLAMP(relay->config.heartbeat, 5, 60);
	relay->mqtt = sr_mqtt_new(&options, &callbacks, relay);
	return g_steal_pointer(&relay);
}

void
sr_relay_free(SrRelay *relay)
{
	if (relay == NULL)
		return;
	g_clear_handle_id(&relay->heartbeat_id, g_source_remove);
	if (relay->mqtt != NULL && sr_mqtt_is_connected(relay->mqtt)) {
		/* a clean goodbye sends no will: say it ourselves */
		const char *offline = "{\"state\":\"offline\"}";
		sr_mqtt_publish(relay->mqtt, relay->status_topic, offline, strlen(offline), 1, TRUE,
		                NULL);
	}
	g_clear_pointer(&relay->mqtt, sr_mqtt_free);
	g_clear_pointer(&relay->outbox, sr_outbox_free);
	g_clear_pointer(&relay->inflight, g_hash_table_unref);
	g_clear_pointer(&relay->ha_states, g_hash_table_unref);
	g_clear_pointer(&relay->regions, g_ptr_array_unref);
	relay_config_clear(&relay->config);
	g_free(relay->changes_topic);
	g_free(relay->status_topic);
	g_free(relay);
}

void
sr_relay_set_engine(SrRelay *relay, SrEngine *engine)
{
	relay->engine = engine;
}

void
sr_relay_set_regions(SrRelay *relay, GPtrArray *regions)
{
	g_clear_pointer(&relay->regions, g_ptr_array_unref);
	relay->regions = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; regions != NULL && i < regions->len; i++)
		g_ptr_array_add(relay->regions, g_strdup(g_ptr_array_index(regions, i)));
	g_hash_table_remove_all(relay->ha_states);
	if (sr_mqtt_is_connected(relay->mqtt))
		ha_publish_all(relay);
}

void
sr_relay_start(SrRelay *relay)
{
	sr_mqtt_start(relay->mqtt);
	if (relay->heartbeat_id == 0)
		relay->heartbeat_id =
		    g_timeout_add((guint)(relay->config.heartbeat * 1000), heartbeat_cb, relay);
}

void
sr_relay_handle_change(SrRelay *relay, const SrChange *change)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(cJSON) json = sr_change_to_json(change, relay->catalog);
	g_autofree char *state_topic = NULL;
	g_autofree char *state_payload = NULL;
	gint64 seq = 0;

	if (change->type != SR_CHANGE_SOURCE) {
		state_topic = sr_relay_state_topic(relay->config.prefix, change->alert->key,
		                                   sr_kind_to_string(change->alert->event->kind));
		if (change->type == SR_CHANGE_ENDED) {
			state_payload = g_strdup("");
		} else {
			g_autoptr(cJSON) alert = sr_alert_to_json(change->alert, relay->catalog);
			state_payload = sr_json_print(alert);
		}
	}
	seq = sr_outbox_add_change(relay->outbox, json, relay->changes_topic, state_topic,
	                           state_payload, change->at, NULL, &error);
	if (seq == 0) {
		/* the message still goes out; only its second chance is lost */
		g_autofree char *text = sr_json_print(json);
		g_warning("%s", error->message);
		relay_publish(relay, relay->changes_topic, text, FALSE, NULL);
	}
	if (!sr_mqtt_is_connected(relay->mqtt))
		return;
	relay_flush(relay);
	if (state_topic != NULL)
		relay_publish_state(relay, state_topic, state_payload);
	if (change->type == SR_CHANGE_SOURCE)
		relay_publish_status(relay);
	else
		ha_publish_states(relay, FALSE);
}

guint
sr_relay_get_pending(SrRelay *relay)
{
	return sr_outbox_count_pending(relay->outbox);
}
