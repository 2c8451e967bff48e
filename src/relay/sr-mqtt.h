/* sr-mqtt.h - one MQTT connection (libmosquitto) driven by the GLib main loop, reconnecting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	char *host;
	int port;
	gboolean tls;    /* mqtts://: the broker's certificate is always verified */
	char *ca_file;   /* NULL: the system's CAs (/etc/ssl/certs) */
	char *username;  /* may be NULL */
	char *password;  /* secret: never logged */
	char *client_id; /* NULL: one made up by libmosquitto */
	char *will_topic;
	char *will_payload; /* retained, QoS 1 */
	int keepalive;      /* seconds; 0: 30 */
} SrMqttOptions;

void sr_mqtt_options_clear(SrMqttOptions *options);

typedef struct _SrMqtt SrMqtt;

typedef struct {
	/* the broker accepted the connection (every reconnect too) */
	void (*connected)(SrMqtt *mqtt, gpointer user_data);
	/* the connection is gone or could not be made; @reason says why (never the password) */
	void (*disconnected)(SrMqtt *mqtt, const char *reason, gpointer user_data);
	void (*message)(SrMqtt *mqtt, const char *topic, const char *payload, gsize len,
	                gboolean retained, gpointer user_data);
	/* the broker acknowledged the QoS 1 message @mid (PUBACK) */
	void (*published)(SrMqtt *mqtt, int mid, gpointer user_data);
} SrMqttCallbacks;

/* parses mqtt://HOST[:PORT] (1883) or mqtts://HOST[:PORT] (8883); nothing else may follow */
gboolean sr_mqtt_parse_url(const char *url, char **host, int *port, gboolean *tls, GError **error);

/* @options and @callbacks are copied */
SrMqtt *sr_mqtt_new(const SrMqttOptions *options, const SrMqttCallbacks *callbacks,
                    gpointer user_data);
/* a clean disconnect when connected (no last will); pending messages are dropped */
void sr_mqtt_free(SrMqtt *mqtt);

/* connects now, and again after every loss with backoff (1 s doubling to 30 s) */
void sr_mqtt_start(SrMqtt *mqtt);
gboolean sr_mqtt_is_connected(SrMqtt *mqtt);
/* the reason of the last failure, NULL while connected */
const char *sr_mqtt_get_error(SrMqtt *mqtt);

/* FALSE when not connected; *@mid (may be NULL) identifies the message in @published */
gboolean sr_mqtt_publish(SrMqtt *mqtt, const char *topic, const char *payload, gsize len, int qos,
                         gboolean retain, int *mid);
gboolean sr_mqtt_subscribe(SrMqtt *mqtt, const char *pattern, int qos);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrMqtt, sr_mqtt_free)

G_END_DECLS
