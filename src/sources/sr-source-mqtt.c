/* sr-source-mqtt.c - another Sirena's relay as a source: its MQTT topics, fused like any source
 *
 *   [source relay-home]
 *   type=mqtt
 *   url=mqtt://broker.lan:1883        (mqtts:// for TLS, always verified; ca_file= for a private
 * CA) prefix=sirena                     (the relay's prefix) username=…  token=… (token= is the
 * broker password: a secret like any token)
 *
 * A push source in a poll-based pipeline: the connection lives in the source's state and runs
 * on the main loop; every poll (fetch_local, default every 0.5 s) hands the engine a snapshot of
 * the relay's retained state topics, or "unchanged". The retained states are the truth: they are
 * complete after every (re)connect, while a change line can be missed or repeated. The changes
 * topic is read only to count duplicates by change id.
 *
 * Staleness: the view is trusted only once the relay's status has followed the retained states
 * after a connect, while that status says "online", while a status came within three heartbeats,
 * and while at least one of the relay's own sources is ok. Otherwise the poll fails, so the
 * engine keeps the relay's last word and reports the source down: a dead relay never yields an
 * all-clear.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-source-mqtt"

#include "config.h"

#include <string.h>

#include "relay/sr-mqtt.h"
#include "sirena/error.h"
#include "sirena/json.h"
#include "sources/sr-source-mqtt.h"
#include "sources/sr-sources-private.h"
#include "sr-i18n.h"

#define SR_MQTT_MAX_PAYLOAD (256 * 1024)
#define SR_MQTT_MAX_STATES  20000
#define SR_MQTT_SEEN_IDS    4096

struct _SrMqttView {
	char *prefix;
	char *state_prefix;  /* "<prefix>/state/" */
	char *status_topic;  /* "<prefix>/status" */
	char *changes_topic; /* "<prefix>/changes" */
	GHashTable *states;  /* topic -> SrEvent* */
	GHashTable *seen;    /* change ids (keys owned by seen_order) */
	GQueue *seen_order;
	gboolean synced; /* a status came after the retained states of this connection */
	gboolean online;
	gboolean sources_down;
	gint64 status_mono; /* when the last status was current (monotonic us), 0 never */
	gdouble heartbeat;
	guint generation;
	guint returned;
	guint duplicates;
};

SrMqttView *
sr_mqtt_view_new(const char *prefix)
{
	SrMqttView *view = g_new0(SrMqttView, 1);
	view->prefix = g_strdup(prefix != NULL ? prefix : "sirena");
	view->state_prefix = g_strdup_printf("%s/state/", view->prefix);
	view->status_topic = g_strdup_printf("%s/status", view->prefix);
	view->changes_topic = g_strdup_printf("%s/changes", view->prefix);
	view->states =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)sr_event_unref);
	view->seen = g_hash_table_new(g_str_hash, g_str_equal);
	view->seen_order = g_queue_new();
	view->heartbeat = 30;
	view->generation = 1;
	return view;
}

void
sr_mqtt_view_free(SrMqttView *view)
{
	if (view == NULL)
		return;
	g_free(view->prefix);
	g_free(view->state_prefix);
	g_free(view->status_topic);
	g_free(view->changes_topic);
	g_hash_table_unref(view->states);
	g_hash_table_unref(view->seen);
	g_queue_free_full(view->seen_order, g_free);
	g_free(view);
}

void
sr_mqtt_view_reset(SrMqttView *view)
{
	g_hash_table_remove_all(view->states);
	view->synced = FALSE;
	view->generation++;
}

guint
sr_mqtt_view_get_duplicates(SrMqttView *view)
{
	return view->duplicates;
}

static cJSON *
parse_object(const char *payload, gsize len, const char *what, GError **error)
{
	cJSON *json = NULL;
	if (len > SR_MQTT_MAX_PAYLOAD) {
		g_set_error(error, SR_ERROR, SR_ERROR_TOO_LARGE, _("%s: larger than %u bytes"),
		            what, SR_MQTT_MAX_PAYLOAD);
		return NULL;
	}
	if (memchr(payload, '\0', len) != NULL || !g_utf8_validate(payload, (gssize)len, NULL)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("%s: not UTF-8 JSON text"), what);
		return NULL;
	}
	json = cJSON_ParseWithLength(payload, len);
	if (!cJSON_IsObject(json)) {
		cJSON_Delete(json);
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("%s: not a JSON object"), what);
		return NULL;
	}
	return json;
}

static gboolean
apply_status(SrMqttView *view, const char *payload, gsize len, gboolean retained, gint64 now_mono,
             gint64 now, GError **error)
{
	g_autoptr(cJSON) json = NULL;
	const char *state = NULL;
	const cJSON *heartbeat = NULL;
	const cJSON *sources = NULL;
	const cJSON *item = NULL;
	gint64 time = 0;
	guint ok = 0;
	guint total = 0;

	if (len == 0) {
		/* the status was removed: nobody says the relay is alive */
		view->online = FALSE;
		view->synced = TRUE;
		return TRUE;
	}
	json = parse_object(payload, len, _("relay status"), error);
	if (json == NULL)
		return FALSE;
	state = sr_json_get_string(json, "state");
	if (g_strcmp0(state, "online") != 0 && g_strcmp0(state, "offline") != 0) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("relay status: 'state' is neither online nor offline"));
		return FALSE;
	}
	heartbeat = cJSON_GetObjectItemCaseSensitive(json, "heartbeat");
	if (cJSON_IsNumber(heartbeat) && heartbeat->valuedouble >= 1 &&
	    heartbeat->valuedouble <= 86400)
		view->heartbeat = heartbeat->valuedouble;
	sources = cJSON_GetObjectItemCaseSensitive(json, "sources");
	if (cJSON_IsArray(sources)) {
		cJSON_ArrayForEach (item, sources) {
			total++;
			if (g_strcmp0(sr_json_get_string(item, "state"), "ok") == 0)
				ok++;
		}
	}
	view->online = g_strcmp0(state, "online") == 0;
	view->sources_down = total > 0 && ok == 0;
	view->status_mono = now_mono;
	/* a retained status may be old: it counts from the time it was sent */
	if (retained && sr_json_get_string(json, "time") != NULL &&
	    sr_time_parse_iso8601(sr_json_get_string(json, "time"), &time) && time < now)
		view->status_mono = now_mono - MIN(now - time, (gint64)86400) * G_USEC_PER_SEC;
	view->synced = TRUE;
	return TRUE;
}

static gboolean
apply_state(SrMqttView *view, const char *topic, const char *payload, gsize len,
            const SrParseContext *ctx, GError **error)
{
	g_autoptr(cJSON) json = NULL;
	g_autoptr(GError) local_error = NULL;
	SrEvent *event = NULL;
	const char *key = NULL;

	if (len == 0) {
		if (g_hash_table_remove(view->states, topic))
			view->generation++;
		return TRUE;
	}
	json = parse_object(payload, len, _("relay state"), error);
	if (json == NULL)
		return FALSE;
	key = sr_json_get_string(json, "id");
	event = sr_event_from_json(json, &local_error);
	if (event == NULL || key == NULL) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("relay state %s: %s"), topic,
		            local_error != NULL ? local_error->message : _("no 'id'"));
		if (event != NULL)
			sr_event_unref(event);
		return FALSE;
	}
	/* the relay's fused alert, now an event of this source */
	g_free(event->source);
	event->source = g_strdup(ctx->source_name != NULL ? ctx->source_name : "mqtt");
	g_free(event->id);
	event->id = g_strdup_printf("%s:%s", event->source, key);
	if (!g_hash_table_contains(view->states, topic) &&
	    g_hash_table_size(view->states) >= SR_MQTT_MAX_STATES) {
		sr_event_unref(event);
		g_set_error(error, SR_ERROR, SR_ERROR_TOO_LARGE,
		            _("relay state: more than %u alerts"), SR_MQTT_MAX_STATES);
		return FALSE;
	}
	{
		const SrEvent *old = g_hash_table_lookup(view->states, topic);
		if (old != NULL && sr_event_same_content(old, event) &&
		    old->updated_at == event->updated_at) {
			sr_event_unref(event);
			return TRUE;
		}
	}
	g_hash_table_replace(view->states, g_strdup(topic), event);
	view->generation++;
	return TRUE;
}

static gboolean
apply_change(SrMqttView *view, const char *payload, gsize len, gboolean *duplicate, GError **error)
{
	g_autoptr(cJSON) json = parse_object(payload, len, _("relay change"), error);
	const char *id = NULL;
	char *copy = NULL;
	if (json == NULL)
		return FALSE;
	id = sr_json_get_string(json, "change_id");
	if (id == NULL || id[0] == '\0' || strlen(id) > 128) {
		g_set_error_literal(
		    error, SR_ERROR, SR_ERROR_PARSE,
		    _("relay change: no 'change_id' (a string of at most 128 bytes)"));
		return FALSE;
	}
	if (g_hash_table_contains(view->seen, id)) {
		view->duplicates++;
		if (duplicate != NULL)
			*duplicate = TRUE;
		return TRUE;
	}
	copy = g_strdup(id);
	g_hash_table_add(view->seen, copy);
	g_queue_push_tail(view->seen_order, copy);
	while (g_queue_get_length(view->seen_order) > SR_MQTT_SEEN_IDS) {
		char *oldest = g_queue_pop_head(view->seen_order);
		g_hash_table_remove(view->seen, oldest);
		g_free(oldest);
	}
	return TRUE;
}

gboolean
sr_mqtt_view_apply(SrMqttView *view, const char *topic, const char *payload, gsize len,
                   gboolean retained, const SrParseContext *ctx, gint64 now_mono,
                   gboolean *duplicate, GError **error)
{
	if (duplicate != NULL)
		*duplicate = FALSE;
	if (topic == NULL || (payload == NULL && len > 0)) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("a message without a topic"));
		return FALSE;
	}
	if (g_strcmp0(topic, view->status_topic) == 0)
		return apply_status(view, payload, len, retained, now_mono, ctx->now, error);
	if (g_str_has_prefix(topic, view->state_prefix))
		return apply_state(view, topic, payload, len, ctx, error);
	if (g_strcmp0(topic, view->changes_topic) == 0)
		return apply_change(view, payload, len, duplicate, error);
	/* not one of ours (a wider subscription on a shared broker): ignored */
	return TRUE;
}

static gint
event_order(gconstpointer a, gconstpointer b)
{
	const SrEvent *ea = *(SrEvent *const *)a;
	const SrEvent *eb = *(SrEvent *const *)b;
	return g_strcmp0(ea->id, eb->id);
}

SrBatch *
sr_mqtt_view_snapshot(SrMqttView *view, gint64 now_mono, gboolean force, GError **error)
{
	g_autoptr(SrBatch) batch = NULL;
	GHashTableIter iter;
	gpointer value = NULL;

	if (!view->synced) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_NETWORK,
		                    _("waiting for the relay's status"));
		return NULL;
	}
	if (!view->online) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_NETWORK,
		                    _("the relay is offline; its last alerts are kept"));
		return NULL;
	}
	if (now_mono - view->status_mono > (gint64)(3 * view->heartbeat * G_USEC_PER_SEC)) {
		g_set_error(error, SR_ERROR, SR_ERROR_TIMEOUT,
		            _("no heartbeat from the relay for more than %.0f s"),
		            3 * view->heartbeat);
		return NULL;
	}
	if (view->sources_down) {
		g_set_error_literal(
		    error, SR_ERROR, SR_ERROR_NETWORK,
		    _("every source of the relay is down; its last alerts are kept"));
		return NULL;
	}
	if (!force && view->returned == view->generation)
		return NULL;
	batch = sr_batch_new(SR_BATCH_SNAPSHOT);
	g_hash_table_iter_init(&iter, view->states);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		sr_batch_take(batch, sr_event_ref(value));
	g_ptr_array_sort(batch->events, event_order);
	view->returned = view->generation;
	return g_steal_pointer(&batch);
}

/* the source */

typedef struct {
	SrMqtt *mqtt;
	SrMqttView *view;
	char *name;
	const SrCatalog *catalog;
	gboolean first;
} MqttSource;

static void
mqtt_source_free(gpointer data)
{
	MqttSource *source = data;
	if (source == NULL)
		return;
	g_clear_pointer(&source->mqtt, sr_mqtt_free);
	sr_mqtt_view_free(source->view);
	g_free(source->name);
	g_free(source);
}

static void
source_connected(SrMqtt *mqtt, gpointer user_data)
{
	MqttSource *source = user_data;
	sr_mqtt_view_reset(source->view);
	/* states first: their retained messages come before the status that completes them */
	sr_mqtt_subscribe(mqtt, source->view->changes_topic, 1);
	{
		g_autofree char *states = g_strdup_printf("%s#", source->view->state_prefix);
		sr_mqtt_subscribe(mqtt, states, 1);
	}
	sr_mqtt_subscribe(mqtt, source->view->status_topic, 1);
}

static void
source_disconnected(SrMqtt *mqtt, const char *reason, gpointer user_data)
{
	MqttSource *source = user_data;
	source->view->synced = FALSE;
}

static void
source_message(SrMqtt *mqtt, const char *topic, const char *payload, gsize len, gboolean retained,
               gpointer user_data)
{
	MqttSource *source = user_data;
	g_autoptr(GError) error = NULL;
	SrParseContext ctx = {0};
	gboolean duplicate = FALSE;
	ctx.source_name = source->name;
	ctx.catalog = source->catalog;
	ctx.now = g_get_real_time() / G_USEC_PER_SEC;
	if (!sr_mqtt_view_apply(source->view, topic, payload, len, retained, &ctx,
	                        g_get_monotonic_time(), &duplicate, &error))
		g_warning("source %s: %s ignored: %s", source->name, topic, error->message);
	else if (duplicate)
		g_debug("source %s: a change seen before, dropped", source->name);
}

static MqttSource *
mqtt_source_new(const SrSourceConfig *config, const SrParseContext *ctx, GError **error)
{
	g_autoptr(GError) local_error = NULL;
	SrMqttOptions options = {0};
	SrMqttCallbacks callbacks = {
	    .connected = source_connected,
	    .disconnected = source_disconnected,
	    .message = source_message,
	};
	MqttSource *source = NULL;
	const char *prefix = sr_source_config_get_extra(config, "prefix");

	if (!sr_mqtt_parse_url(config->url, &options.host, &options.port, &options.tls,
	                       &local_error)) {
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG, _("source '%s': %s"), config->name,
		            local_error->message);
		return NULL;
	}
	source = g_new0(MqttSource, 1);
	source->name = g_strdup(config->name);
	source->catalog = ctx->catalog;
	source->view = sr_mqtt_view_new(prefix != NULL && prefix[0] != '\0' ? prefix : "sirena");
	options.ca_file = g_strdup(sr_source_config_get_extra(config, "ca_file"));
	options.username = g_strdup(sr_source_config_get_extra(config, "username"));
	options.password = g_strdup(config->token);
	options.keepalive = 30;
	source->mqtt = sr_mqtt_new(&options, &callbacks, source);
	sr_mqtt_options_clear(&options);
	sr_mqtt_start(source->mqtt);
	return source;
}

static SrBatch *
mqtt_fetch(const SrSourceConfig *config, gpointer *state, const SrParseContext *ctx,
           gdouble elapsed, gboolean *finished, gint64 *virtual_now, GError **error)
{
	MqttSource *source = *state;
	SrBatch *batch = NULL;

	if (source == NULL) {
		source = mqtt_source_new(config, ctx, error);
		if (source == NULL) {
			*finished = TRUE;
			return NULL;
		}
		source->first = TRUE;
		*state = source;
	}
	if (!sr_mqtt_is_connected(source->mqtt)) {
		g_set_error(error, SR_ERROR, SR_ERROR_NETWORK, _("relay broker: %s"),
		            sr_mqtt_get_error(source->mqtt) != NULL
		                ? sr_mqtt_get_error(source->mqtt)
		                : _("not connected"));
		return NULL;
	}
	batch = sr_mqtt_view_snapshot(source->view, g_get_monotonic_time(), source->first, error);
	if (batch != NULL)
		source->first = FALSE;
	return batch;
}

/* `sirena parse --source mqtt`: a JSON object of topic → payload (an object, or "" for an
 * empty retained message), as a subscriber would have received them, in order */
SrBatch *
sr_source_mqtt_parse(const char *body, gsize len, const SrParseContext *ctx, GError **error)
{
	g_autoptr(SrMqttView) view = sr_mqtt_view_new(NULL);
	g_autoptr(cJSON) root = NULL;
	const cJSON *item = NULL;

	if (memchr(body, '\0', len) != NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE, _("a NUL byte in the body"));
		return NULL;
	}
	root = cJSON_ParseWithLength(body, len);
	if (!cJSON_IsObject(root)) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("expected a JSON object of topic → message"));
		return NULL;
	}
	cJSON_ArrayForEach (item, root) {
		g_autofree char *text = cJSON_IsString(item) ? g_strdup(item->valuestring)
		                                             : cJSON_PrintUnformatted(item);
		if (text == NULL || item->string == NULL) {
			g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
			                    _("unreadable message"));
			return NULL;
		}
		if (!sr_mqtt_view_apply(view, item->string, text, strlen(text), FALSE, ctx,
		                        g_get_monotonic_time(), NULL, error))
			return NULL;
	}
	if (!view->synced) {
		/* a dump without a status: take the states as they are */
		view->synced = TRUE;
		view->online = TRUE;
		view->status_mono = g_get_monotonic_time();
	}
	return sr_mqtt_view_snapshot(view, g_get_monotonic_time(), TRUE, error);
}

static const char *const mqtt_keys[] = {"prefix", "ca_file", "username", NULL};

const SrSourceOps sr_source_mqtt = {
    .type = "mqtt",
    .description = "another Sirena's relay on an MQTT broker (url=mqtt://HOST:PORT, prefix=)",
    .default_url = "mqtt://127.0.0.1:1883",
    .needs_token = FALSE,
    .default_interval = 0.5,
    .min_interval = 0.1,
    .kinds = SR_KINDS_ALL,
    .levels = SR_LEVELS_ALL,
    .extra_keys = mqtt_keys,
    .parse = sr_source_mqtt_parse,
    .fetch_local = mqtt_fetch,
    .free_state = mqtt_source_free,
};
