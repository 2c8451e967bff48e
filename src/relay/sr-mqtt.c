/* sr-mqtt.c - one MQTT connection (libmosquitto) driven by the GLib main loop, reconnecting
 *
 * No thread: the client's socket is watched with a GLib fd source (readable always, writable
 * while libmosquitto has output queued), mosquitto_loop_read/write run from it, and a 500 ms
 * timer runs mosquitto_loop_misc (keep-alive pings, a connect that takes too long). Every
 * callback therefore runs on the main loop, like the rest of sirenad.
 *
 * Each connection attempt uses a new libmosquitto client: a lost connection's queue of messages
 * in flight is thrown away with it. Callers that must not lose a message (the relay's outbox)
 * keep their own record and publish it again on the next connect.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-mqtt"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib-unix.h>
#include <mosquitto.h>

#include "relay/sr-mqtt.h"
#include "sirena/error.h"
#include "sirena/http.h"
#include "sr-i18n.h"

#define SR_MQTT_CONNECT_TIMEOUT_S 15
#define SR_MQTT_BACKOFF_BASE      1.0
#define SR_MQTT_BACKOFF_MAX       30.0

struct _SrMqtt {
	SrMqttOptions options;
	SrMqttCallbacks callbacks;
	gpointer user_data;
	struct mosquitto *mosq;
	gboolean started;
	gboolean connected;
	guint attempts;    /* failures in a row */
	gint64 attempt_at; /* monotonic, when the current attempt began */
	char *error;
	GSource *watch;
	int watch_fd;
	GIOCondition watch_cond;
	guint misc_id;
	guint retry_id;
	gboolean lost; /* the connection failed inside a libmosquitto call: handled after it */
};

static void mqtt_update_watch(SrMqtt *mqtt);
static void mqtt_schedule_retry(SrMqtt *mqtt);

void
sr_mqtt_options_clear(SrMqttOptions *options)
{
	g_free(options->host);
	g_free(options->ca_file);
	g_free(options->username);
	if (options->password != NULL)
		memset(options->password, 0, strlen(options->password));
	g_free(options->password);
	g_free(options->client_id);
	g_free(options->will_topic);
	g_free(options->will_payload);
	memset(options, 0, sizeof(*options));
}

gboolean
sr_mqtt_parse_url(const char *url, char **host, int *port, gboolean *tls, GError **error)
{
	const char *rest = NULL;
	const char *colon = NULL;
	g_autofree char *name = NULL;
	guint64 number = 0;
	gboolean secure = FALSE;

	if (url == NULL || url[0] == '\0') {
		g_set_error_literal(
		    error, SR_ERROR, SR_ERROR_CONFIG,
		    _("no broker URL (expected mqtt://HOST:PORT or mqtts://HOST:PORT)"));
		return FALSE;
	}
	if (g_ascii_strncasecmp(url, "mqtt://", 7) == 0) {
		rest = url + 7;
	} else if (g_ascii_strncasecmp(url, "mqtts://", 8) == 0) {
		rest = url + 8;
		secure = TRUE;
	} else {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_CONFIG,
		                    _("the broker URL must start with mqtt:// or mqtts://"));
		return FALSE;
	}
	if (strchr(rest, '@') != NULL) {
		/* never repeated: it may hold a password */
		g_set_error_literal(
		    error, SR_ERROR, SR_ERROR_CONFIG,
		    _("the broker URL may not hold a user or password: use username= "
		      "and password="));
		return FALSE;
	}
	if (rest[0] == '[') {
		const char *end = strchr(rest, ']');
		if (end == NULL) {
			g_set_error_literal(error, SR_ERROR, SR_ERROR_CONFIG,
			                    _("the broker URL has an unclosed '[' in its host"));
			return FALSE;
		}
		name = g_strndup(rest + 1, end - rest - 1);
		colon = end[1] == ':' ? end + 1 : NULL;
		if (end[1] != '\0' && end[1] != ':' && g_strcmp0(end + 1, "/") != 0) {
			g_set_error_literal(error, SR_ERROR, SR_ERROR_CONFIG,
			                    _("the broker URL may hold only a host and a port"));
			return FALSE;
		}
	} else {
		gsize n = strcspn(rest, ":/");
		name = g_strndup(rest, n);
		colon = rest[n] == ':' ? rest + n : NULL;
		if (rest[n] == '/' && rest[n + 1] != '\0') {
			g_set_error_literal(error, SR_ERROR, SR_ERROR_CONFIG,
			                    _("the broker URL may hold only a host and a port"));
			return FALSE;
		}
	}
	if (name[0] == '\0' || strchr(name, '@') != NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_CONFIG,
		                    _("the broker URL needs a host (and no user: use username= "
		                      "and password=)"));
		return FALSE;
	}
	for (const char *p = name; *p != '\0'; p++) {
		if ((guchar)*p <= 0x20 || *p == 0x7f) {
			g_set_error_literal(
			    error, SR_ERROR, SR_ERROR_CONFIG,
			    _("the broker URL's host holds a space or a control character"));
			return FALSE;
		}
	}
	number = secure ? 8883 : 1883;
	if (colon != NULL) {
		g_autofree char *digits = g_strdup(colon + 1);
		char *slash = strchr(digits, '/');
		if (slash != NULL && slash[1] == '\0')
			*slash = '\0';
		if (!g_ascii_string_to_unsigned(digits, 10, 1, 65535, &number, NULL)) {
			g_set_error_literal(
			    error, SR_ERROR, SR_ERROR_CONFIG,
			    _("the broker URL's port is not a number from 1 to 65535"));
			return FALSE;
		}
	}
	if (host != NULL)
		*host = g_steal_pointer(&name);
	if (port != NULL)
		*port = (int)number;
	if (tls != NULL)
		*tls = secure;
	return TRUE;
}

static void
mqtt_set_error(SrMqtt *mqtt, const char *reason)
{
	char *copy = g_strdup(reason); /* @reason may be the old message */
	g_free(mqtt->error);
	mqtt->error = copy;
}

static void
mqtt_drop_watch(SrMqtt *mqtt)
{
	if (mqtt->watch != NULL) {
		g_source_destroy(mqtt->watch);
		g_source_unref(mqtt->watch);
		mqtt->watch = NULL;
	}
	mqtt->watch_fd = -1;
	mqtt->watch_cond = 0;
}

static void
mqtt_drop_client(SrMqtt *mqtt)
{
	mqtt_drop_watch(mqtt);
	g_clear_handle_id(&mqtt->misc_id, g_source_remove);
	if (mqtt->mosq != NULL) {
		mosquitto_destroy(mqtt->mosq);
		mqtt->mosq = NULL;
	}
}

/* the connection is gone: tell the owner once, try again later */
static void
mqtt_lost(SrMqtt *mqtt, const char *reason)
{
	gboolean was_connected = mqtt->connected;
	mqtt->connected = FALSE;
	mqtt->lost = FALSE;
	mqtt_drop_client(mqtt);
	if (mqtt->error == NULL || was_connected)
		mqtt_set_error(mqtt, reason);
	if (was_connected)
		g_message("MQTT connection to %s:%d lost: %s", mqtt->options.host,
		          mqtt->options.port, mqtt->error);
	else
		g_debug("MQTT connection to %s:%d failed: %s", mqtt->options.host,
		        mqtt->options.port, mqtt->error);
	if (mqtt->callbacks.disconnected != NULL)
		mqtt->callbacks.disconnected(mqtt, mqtt->error, mqtt->user_data);
	mqtt_schedule_retry(mqtt);
}

static const char *
mqtt_rc_reason(int rc)
{
	if (rc == MOSQ_ERR_ERRNO)
		return g_strerror(errno);
	return mosquitto_strerror(rc);
}

static gboolean
mqtt_io_cb(int fd, GIOCondition condition, gpointer user_data)
{
	SrMqtt *mqtt = user_data;
	int rc = MOSQ_ERR_SUCCESS;

	if (mqtt->mosq == NULL)
		return G_SOURCE_REMOVE;
	if ((condition & G_IO_OUT) != 0)
		rc = mosquitto_loop_write(mqtt->mosq, 1);
	if (rc == MOSQ_ERR_SUCCESS && mqtt->mosq != NULL && !mqtt->lost &&
	    (condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) != 0)
		rc = mosquitto_loop_read(mqtt->mosq, 16);
	if (rc != MOSQ_ERR_SUCCESS || mqtt->lost) {
		/* the client goes after its callbacks have returned, this source with it */
		mqtt_lost(mqtt,
		          mqtt->error != NULL && mqtt->lost ? mqtt->error : mqtt_rc_reason(rc));
		return G_SOURCE_REMOVE;
	}
	mqtt_update_watch(mqtt);
	return G_SOURCE_CONTINUE;
}

static void
mqtt_update_watch(SrMqtt *mqtt)
{
	int fd = -1;
	GIOCondition cond = G_IO_IN | G_IO_HUP | G_IO_ERR;

	if (mqtt->mosq == NULL)
		return;
	fd = mosquitto_socket(mqtt->mosq);
	if (fd < 0) {
		mqtt_drop_watch(mqtt);
		return;
	}
	if (mosquitto_want_write(mqtt->mosq))
		cond |= G_IO_OUT;
	if (mqtt->watch != NULL && fd == mqtt->watch_fd && cond == mqtt->watch_cond)
		return;
	mqtt_drop_watch(mqtt);
	mqtt->watch = g_unix_fd_source_new(fd, cond);
	g_source_set_callback(mqtt->watch, G_SOURCE_FUNC(mqtt_io_cb), mqtt, NULL);
	g_source_attach(mqtt->watch, NULL);
	mqtt->watch_fd = fd;
	mqtt->watch_cond = cond;
}

static gboolean
mqtt_misc_cb(gpointer user_data)
{
	SrMqtt *mqtt = user_data;
	int rc = MOSQ_ERR_SUCCESS;

	if (mqtt->mosq == NULL) {
		mqtt->misc_id = 0;
		return G_SOURCE_REMOVE;
	}
	if (!mqtt->connected && g_get_monotonic_time() - mqtt->attempt_at >
	                            SR_MQTT_CONNECT_TIMEOUT_S * G_USEC_PER_SEC) {
		mqtt->misc_id = 0;
		mqtt_set_error(mqtt, _("the broker did not answer in time"));
		mqtt_lost(mqtt, mqtt->error);
		return G_SOURCE_REMOVE;
	}
	rc = mosquitto_loop_misc(mqtt->mosq);
	if ((rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN) || mqtt->lost) {
		mqtt->misc_id = 0;
		mqtt_lost(mqtt,
		          mqtt->lost && mqtt->error != NULL ? mqtt->error : mqtt_rc_reason(rc));
		return G_SOURCE_REMOVE;
	}
	mqtt_update_watch(mqtt);
	return G_SOURCE_CONTINUE;
}

static const char *
connack_reason(int rc)
{
	return mosquitto_connack_string(rc);
}

static void
on_connect(struct mosquitto *mosq, void *obj, int rc)
{
	SrMqtt *mqtt = obj;
	if (rc != 0) {
		g_autofree char *reason =
		    g_strdup_printf(_("the broker refused the connection: %s"), connack_reason(rc));
		mqtt_set_error(mqtt, reason);
		mqtt->lost = TRUE;
		return;
	}
	mqtt->connected = TRUE;
	mqtt->attempts = 0;
	g_clear_pointer(&mqtt->error, g_free);
	g_message("MQTT connected to %s:%d%s", mqtt->options.host, mqtt->options.port,
	          mqtt->options.tls ? " (TLS)" : "");
	if (mqtt->callbacks.connected != NULL)
		mqtt->callbacks.connected(mqtt, mqtt->user_data);
}

static void
on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
	SrMqtt *mqtt = obj;
	if (mqtt->error == NULL || mqtt->connected)
		mqtt_set_error(mqtt, rc == 0 ? _("disconnected") : mqtt_rc_reason(rc));
	mqtt->lost = TRUE;
}

static void
on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *message)
{
	SrMqtt *mqtt = obj;
	if (mqtt->callbacks.message != NULL && message->topic != NULL)
		mqtt->callbacks.message(mqtt, message->topic, message->payload,
		                        message->payloadlen > 0 ? (gsize)message->payloadlen : 0,
		                        message->retain, mqtt->user_data);
}

static void
on_publish(struct mosquitto *mosq, void *obj, int mid)
{
	SrMqtt *mqtt = obj;
	if (mqtt->callbacks.published != NULL)
		mqtt->callbacks.published(mqtt, mid, mqtt->user_data);
}

static gboolean
mqtt_configure(SrMqtt *mqtt, GError **error)
{
	const SrMqttOptions *o = &mqtt->options;
	int rc = MOSQ_ERR_SUCCESS;

	mosquitto_connect_callback_set(mqtt->mosq, on_connect);
	mosquitto_disconnect_callback_set(mqtt->mosq, on_disconnect);
	mosquitto_message_callback_set(mqtt->mosq, on_message);
	mosquitto_publish_callback_set(mqtt->mosq, on_publish);
	mosquitto_int_option(mqtt->mosq, MOSQ_OPT_TCP_NODELAY, 1);
	if (o->username != NULL || o->password != NULL) {
		rc = mosquitto_username_pw_set(mqtt->mosq, o->username, o->password);
		if (rc != MOSQ_ERR_SUCCESS)
			goto fail;
	}
	if (o->will_topic != NULL) {
		rc = mosquitto_will_set(mqtt->mosq, o->will_topic,
		                        o->will_payload != NULL ? (int)strlen(o->will_payload) : 0,
		                        o->will_payload, 1, true);
		if (rc != MOSQ_ERR_SUCCESS)
			goto fail;
	}
	if (o->tls) {
		rc = mosquitto_tls_set(mqtt->mosq, o->ca_file,
		                       o->ca_file == NULL ? "/etc/ssl/certs" : NULL, NULL, NULL,
		                       NULL);
		if (rc != MOSQ_ERR_SUCCESS)
			goto fail;
		/* 1 = SSL_VERIFY_PEER; the host name is checked too (tls_insecure stays false) */
		rc = mosquitto_tls_opts_set(mqtt->mosq, 1, NULL, NULL);
		if (rc != MOSQ_ERR_SUCCESS)
			goto fail;
		rc = mosquitto_tls_insecure_set(mqtt->mosq, false);
		if (rc != MOSQ_ERR_SUCCESS)
			goto fail;
	}
	return TRUE;
fail:
	g_set_error(error, SR_ERROR, SR_ERROR_CONFIG, _("MQTT client setup failed: %s"),
	            mqtt_rc_reason(rc));
	return FALSE;
}

static gboolean
mqtt_connect(SrMqtt *mqtt)
{
	g_autoptr(GError) error = NULL;
	int rc = MOSQ_ERR_SUCCESS;

	mqtt_drop_client(mqtt);
	mqtt->attempt_at = g_get_monotonic_time();
	mqtt->lost = FALSE;
	mqtt->mosq = mosquitto_new(mqtt->options.client_id, true, mqtt);
	if (mqtt->mosq == NULL) {
		mqtt_set_error(mqtt, g_strerror(errno));
		mqtt_lost(mqtt, mqtt->error);
		return FALSE;
	}
	if (!mqtt_configure(mqtt, &error)) {
		mqtt_set_error(mqtt, error->message);
		mqtt_lost(mqtt, mqtt->error);
		return FALSE;
	}
	rc = mosquitto_connect_async(mqtt->mosq, mqtt->options.host, mqtt->options.port,
	                             mqtt->options.keepalive > 0 ? mqtt->options.keepalive : 30);
	if (rc != MOSQ_ERR_SUCCESS) {
		g_autofree char *reason =
		    g_strdup_printf(_("cannot connect to %s:%d: %s"), mqtt->options.host,
		                    mqtt->options.port, mqtt_rc_reason(rc));
		mqtt_set_error(mqtt, reason);
		mqtt_lost(mqtt, mqtt->error);
		return FALSE;
	}
	mqtt->misc_id = g_timeout_add(500, mqtt_misc_cb, mqtt);
	mqtt_update_watch(mqtt);
	return TRUE;
}

static gboolean
mqtt_retry_cb(gpointer user_data)
{
	SrMqtt *mqtt = user_data;
	mqtt->retry_id = 0;
	mqtt_connect(mqtt);
	return G_SOURCE_REMOVE;
}

static void
mqtt_schedule_retry(SrMqtt *mqtt)
{
	gdouble delay = 0;
	if (!mqtt->started || mqtt->retry_id != 0)
		return;
	mqtt->attempts++;
	delay = sr_backoff_delay(mqtt->attempts, SR_MQTT_BACKOFF_BASE, SR_MQTT_BACKOFF_MAX, -1);
	mqtt->retry_id = g_timeout_add((guint)(delay * 1000), mqtt_retry_cb, mqtt);
}

static gpointer
mqtt_lib_init(gpointer data)
{
	mosquitto_lib_init();
	return NULL;
}

SrMqtt *
sr_mqtt_new(const SrMqttOptions *options, const SrMqttCallbacks *callbacks, gpointer user_data)
{
	static GOnce once = G_ONCE_INIT;
	SrMqtt *mqtt = g_new0(SrMqtt, 1);

	g_once(&once, mqtt_lib_init, NULL);
	mqtt->options.host = g_strdup(options->host);
	mqtt->options.port = options->port;
	mqtt->options.tls = options->tls;
	mqtt->options.ca_file = g_strdup(options->ca_file);
	mqtt->options.username = g_strdup(options->username);
	mqtt->options.password = g_strdup(options->password);
	mqtt->options.client_id = g_strdup(options->client_id);
	mqtt->options.will_topic = g_strdup(options->will_topic);
	mqtt->options.will_payload = g_strdup(options->will_payload);
	mqtt->options.keepalive = options->keepalive;
	if (callbacks != NULL)
		mqtt->callbacks = *callbacks;
	mqtt->user_data = user_data;
	mqtt->watch_fd = -1;
	mqtt->error = g_strdup(_("not connected yet"));
	return mqtt;
}

void
sr_mqtt_free(SrMqtt *mqtt)
{
	if (mqtt == NULL)
		return;
	mqtt->started = FALSE;
	g_clear_handle_id(&mqtt->retry_id, g_source_remove);
	if (mqtt->mosq != NULL && mqtt->connected) {
		/* a clean goodbye: what was queued goes out first, and the will is not sent */
		mosquitto_disconnect(mqtt->mosq);
		for (guint i = 0; i < 20 && mosquitto_want_write(mqtt->mosq); i++) {
			if (mosquitto_loop_write(mqtt->mosq, 1) != MOSQ_ERR_SUCCESS)
				break;
		}
	}
	mqtt->callbacks = (SrMqttCallbacks){0};
	mqtt_drop_client(mqtt);
	sr_mqtt_options_clear(&mqtt->options);
	g_free(mqtt->error);
	g_free(mqtt);
}

void
sr_mqtt_start(SrMqtt *mqtt)
{
	if (mqtt->started)
		return;
	mqtt->started = TRUE;
	mqtt_connect(mqtt);
}

gboolean
sr_mqtt_is_connected(SrMqtt *mqtt)
{
	return mqtt->connected;
}

const char *
sr_mqtt_get_error(SrMqtt *mqtt)
{
	return mqtt->connected ? NULL : mqtt->error;
}

gboolean
sr_mqtt_publish(SrMqtt *mqtt, const char *topic, const char *payload, gsize len, int qos,
                gboolean retain, int *mid)
{
	int rc = MOSQ_ERR_SUCCESS;
	if (!mqtt->connected || mqtt->mosq == NULL || mqtt->lost)
		return FALSE;
	rc = mosquitto_publish(mqtt->mosq, mid, topic, (int)len, payload, qos, retain);
	if (rc != MOSQ_ERR_SUCCESS) {
		g_debug("publish to %s failed: %s", topic, mqtt_rc_reason(rc));
		return FALSE;
	}
	mqtt_update_watch(mqtt);
	return TRUE;
}

gboolean
sr_mqtt_subscribe(SrMqtt *mqtt, const char *pattern, int qos)
{
	if (!mqtt->connected || mqtt->mosq == NULL)
		return FALSE;
	if (mosquitto_subscribe(mqtt->mosq, NULL, pattern, qos) != MOSQ_ERR_SUCCESS)
		return FALSE;
	mqtt_update_watch(mqtt);
	return TRUE;
}
