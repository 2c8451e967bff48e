/* test-relay.c - the MQTT relay against a real mosquitto on 127.0.0.1: round trip, a broker
 * restart mid-timeline, TLS with a CA made at test time, and the mqtt source's view of a relay
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <mosquitto.h>

#include "relay/sr-mqtt.h"
#include "relay/sr-relay.h"
#include "sirena/config.h"
#include "sirena/error.h"
#include "sirena/json.h"
#include "sources/sr-source-mqtt.h"
#include "sr-test-broker.h"
#include "sr-test-notifyd.h"
#include "sr-test-server.h"
#include "sr-test-util.h"

/* a subscriber as any device would be: its own libmosquitto client and thread, a persistent
 * session (so messages published while it reconnects wait for it) */

typedef struct {
	char *topic;
	char *payload;
	gboolean retained;
} Received;

typedef struct {
	struct mosquitto *mosq;
	GMutex mutex;
	GPtrArray *messages; /* of Received* */
} Subscriber;

static void
received_free(Received *received)
{
	g_free(received->topic);
	g_free(received->payload);
	g_free(received);
}

static void
sub_on_connect(struct mosquitto *mosq, void *obj, int rc)
{
	if (rc == 0) {
		mosquitto_subscribe(mosq, NULL, "sirena/#", 1);
		mosquitto_subscribe(mosq, NULL, "homeassistant/#", 1);
	}
}

static void
sub_on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *message)
{
	Subscriber *sub = obj;
	Received *received = g_new0(Received, 1);
	received->topic = g_strdup(message->topic);
	received->payload = message->payloadlen > 0
	                        ? g_strndup(message->payload, message->payloadlen)
	                        : g_strdup("");
	received->retained = message->retain;
	g_mutex_lock(&sub->mutex);
	g_ptr_array_add(sub->messages, received);
	g_mutex_unlock(&sub->mutex);
}

static Subscriber *
subscriber_new(SrTestBroker *broker, const char *id)
{
	Subscriber *sub = g_new0(Subscriber, 1);
	g_mutex_init(&sub->mutex);
	sub->messages = g_ptr_array_new_with_free_func((GDestroyNotify)received_free);
	sub->mosq = mosquitto_new(id, false, sub);
	g_assert_nonnull(sub->mosq);
	mosquitto_connect_callback_set(sub->mosq, sub_on_connect);
	mosquitto_message_callback_set(sub->mosq, sub_on_message);
	mosquitto_reconnect_delay_set(sub->mosq, 1, 1, false);
	if (sr_test_broker_get_ca(broker) != NULL)
		g_assert_cmpint(mosquitto_tls_set(sub->mosq, sr_test_broker_get_ca(broker), NULL,
		                                  NULL, NULL, NULL),
		                ==, MOSQ_ERR_SUCCESS);
	g_assert_cmpint(
	    mosquitto_connect(sub->mosq,
	                      sr_test_broker_get_ca(broker) != NULL ? "localhost" : "127.0.0.1",
	                      (int)sr_test_broker_get_port(broker), 30),
	    ==, MOSQ_ERR_SUCCESS);
	g_assert_cmpint(mosquitto_loop_start(sub->mosq), ==, MOSQ_ERR_SUCCESS);
	return sub;
}

static void
subscriber_free(Subscriber *sub)
{
	mosquitto_disconnect(sub->mosq);
	mosquitto_loop_stop(sub->mosq, true);
	mosquitto_destroy(sub->mosq);
	g_ptr_array_unref(sub->messages);
	g_mutex_clear(&sub->mutex);
	g_free(sub);
}

/* the change ids received on sirena/changes, in order, duplicates included */
static GPtrArray *
subscriber_change_ids(Subscriber *sub)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	g_mutex_lock(&sub->mutex);
	for (guint i = 0; i < sub->messages->len; i++) {
		const Received *received = g_ptr_array_index(sub->messages, i);
		g_autoptr(cJSON) json = NULL;
		if (g_strcmp0(received->topic, "sirena/changes") != 0)
			continue;
		json = cJSON_Parse(received->payload);
		g_assert_nonnull(json);
		g_assert_nonnull(sr_json_get_string(json, "change_id"));
		g_ptr_array_add(ids, g_strdup(sr_json_get_string(json, "change_id")));
	}
	g_mutex_unlock(&sub->mutex);
	return ids;
}

static guint
count_unique(GPtrArray *ids)
{
	g_autoptr(GHashTable) set = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < ids->len; i++)
		g_hash_table_add(set, g_ptr_array_index(ids, i));
	return g_hash_table_size(set);
}

/* the last message on @topic, or NULL */
static char *
subscriber_last(Subscriber *sub, const char *topic)
{
	char *payload = NULL;
	g_mutex_lock(&sub->mutex);
	for (guint i = sub->messages->len; i > 0; i--) {
		const Received *received = g_ptr_array_index(sub->messages, i - 1);
		if (g_strcmp0(received->topic, topic) == 0) {
			payload = g_strdup(received->payload);
			break;
		}
	}
	g_mutex_unlock(&sub->mutex);
	return payload;
}

typedef gboolean (*Condition)(gpointer data);

static void
run_until(Condition condition, gpointer data, guint timeout_ms, const char *what)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	while (!condition(data)) {
		if (g_get_monotonic_time() > deadline)
			g_error("timed out waiting for %s", what);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(5000);
	}
}

/* changes */

typedef struct {
	SrAlert alert;
	SrChange change;
	GPtrArray *sources;
	GPtrArray *events;
} TestChange;

static void
test_change_free(TestChange *tc)
{
	g_free(tc->alert.key);
	sr_event_unref(tc->alert.event);
	g_ptr_array_unref(tc->sources);
	g_ptr_array_unref(tc->events);
	g_free(tc);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestChange, test_change_free)

static TestChange *
test_change_new(SrChangeType type, const char *region, gint64 at)
{
	TestChange *tc = g_new0(TestChange, 1);
	tc->alert.key = g_strdup_printf("%s:air_raid", region);
	tc->alert.event = sr_event_new("sirena", tc->alert.key);
	tc->alert.event->kind = SR_KIND_AIR_RAID;
	tc->alert.event->phase = type == SR_CHANGE_ENDED ? SR_PHASE_ENDED : SR_PHASE_ACTIVE;
	tc->alert.event->started_at = at - 60;
	tc->alert.event->updated_at = at;
	if (type == SR_CHANGE_ENDED)
		tc->alert.event->ended_at = at;
	sr_event_add_region(tc->alert.event, region);
	tc->sources = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(tc->sources, g_strdup("ua"));
	tc->events = g_ptr_array_new_with_free_func((GDestroyNotify)sr_event_unref);
	tc->alert.sources = tc->sources;
	tc->alert.events = tc->events;
	tc->change.type = type;
	tc->change.at = at;
	tc->change.alert = &tc->alert;
	return tc;
}

static void
relay_change(SrRelay *relay, SrChangeType type, const char *region, gint64 at)
{
	g_autoptr(TestChange) tc = test_change_new(type, region, at);
	sr_relay_handle_change(relay, &tc->change);
}

typedef struct {
	char *dir;
	SrTestBroker *broker;
	SrRelay *relay;
	Subscriber *sub;
} Fixture;

static SrRelay *
relay_new(Fixture *fx, const char *ca_file)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *outbox = g_build_filename(fx->dir, "state", "relay-outbox.db", NULL);
	SrRelayConfig config = {0};
	SrRelay *relay = NULL;
	config.enabled = TRUE;
	config.url = (char *)sr_test_broker_get_url(fx->broker);
	g_assert_true(
	    sr_mqtt_parse_url(config.url, &config.host, &config.port, &config.tls, &error));
	config.ca_file = (char *)ca_file;
	config.client_id = (char *)"sirena-test-relay";
	config.prefix = (char *)"sirena";
	config.heartbeat = 1;
	relay = sr_relay_new(&config, sr_test_catalog(), outbox, &error);
	g_assert_no_error(error);
	g_free(config.host);
	return relay;
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *broker_dir = NULL;
	if (!sr_test_broker_available()) {
		g_test_skip(SR_TEST_MOSQUITTO " is not installed (Debian package mosquitto)");
		return;
	}
	if (GPOINTER_TO_INT(data) && !sr_test_broker_can_tls()) {
		g_test_skip("no openssl command to make a test CA (Debian package openssl)");
		return;
	}
	fx->dir = g_dir_make_tmp("sirena-relay-XXXXXX", &error);
	g_assert_no_error(error);
	broker_dir = g_build_filename(fx->dir, "broker", NULL);
	fx->broker = sr_test_broker_new(broker_dir, GPOINTER_TO_INT(data));
	fx->sub = subscriber_new(fx->broker, "sirena-test-sub");
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	g_autofree char *cmd = NULL;
	if (fx->broker == NULL)
		return;
	cmd = g_strdup_printf("rm -rf '%s'", fx->dir);
	g_clear_pointer(&fx->relay, sr_relay_free);
	subscriber_free(fx->sub);
	sr_test_broker_free(fx->broker);
	g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL));
	g_free(fx->dir);
}

typedef struct {
	Fixture *fx;
	guint n;
} WaitIds;

static gboolean
has_unique_ids(gpointer data)
{
	WaitIds *wait = data;
	g_autoptr(GPtrArray) ids = subscriber_change_ids(wait->fx->sub);
	return count_unique(ids) >= wait->n;
}

static gboolean
outbox_empty(gpointer data)
{
	Fixture *fx = data;
	return sr_relay_get_pending(fx->relay) == 0;
}

static gboolean
status_online(gpointer data)
{
	Fixture *fx = data;
	g_autofree char *status = subscriber_last(fx->sub, "sirena/status");
	return status != NULL && strstr(status, "\"online\"") != NULL;
}

static void
test_round_trip(Fixture *fx, gconstpointer data)
{
	WaitIds wait = {fx, 2};
	g_autofree char *state = NULL;
	g_autofree char *cleared = NULL;
	g_autoptr(cJSON) json = NULL;
	g_autoptr(GPtrArray) ids = NULL;

	if (fx->broker == NULL)
		return;

	fx->relay = relay_new(fx, NULL);
	sr_relay_start(fx->relay);
	run_until(status_online, fx, 10000, "the relay's status");

	relay_change(fx->relay, SR_CHANGE_STARTED, "ua:31", 1764050000);
	run_until(outbox_empty, fx, 5000, "the broker's PUBACK");
	state = subscriber_last(fx->sub, "sirena/state/ua:31/air_raid");
	g_assert_nonnull(state);
	json = cJSON_Parse(state);
	g_assert_cmpstr(sr_json_get_string(json, "id"), ==, "ua:31:air_raid");
	g_assert_cmpstr(sr_json_get_string(json, "phase"), ==, "active");

	relay_change(fx->relay, SR_CHANGE_ENDED, "ua:31", 1764050100);
	run_until(has_unique_ids, &wait, 5000, "two changes");
	run_until(outbox_empty, fx, 5000, "the broker's PUBACK");
	/* the end clears the retained state: an empty message */
	g_usleep(100000);
	cleared = subscriber_last(fx->sub, "sirena/state/ua:31/air_raid");
	g_assert_cmpstr(cleared, ==, "");
	ids = subscriber_change_ids(fx->sub);
	g_assert_cmpuint(ids->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(ids, 0), !=, g_ptr_array_index(ids, 1));
}

static void
test_broker_restart(Fixture *fx, gconstpointer data)
{
	WaitIds wait = {fx, 8};
	g_autoptr(GPtrArray) ids = NULL;
	const char *regions[] = {"ua:31", "ua:14", "ua:22", "ua:9"};

	if (fx->broker == NULL)
		return;

	fx->relay = relay_new(fx, NULL);
	sr_relay_start(fx->relay);
	run_until(status_online, fx, 10000, "the relay's status");
	relay_change(fx->relay, SR_CHANGE_STARTED, regions[0], 1764050000);
	relay_change(fx->relay, SR_CHANGE_STARTED, regions[1], 1764050001);

	/* the broker is killed with changes in flight, and more come while it is away (it saves
	 * the test subscriber's session after every change, so what that subscriber misses would
	 * be the relay's doing) */
	sr_test_broker_stop(fx->broker, SIGKILL);
	relay_change(fx->relay, SR_CHANGE_STARTED, regions[2], 1764050002);
	relay_change(fx->relay, SR_CHANGE_STARTED, regions[3], 1764050003);
	relay_change(fx->relay, SR_CHANGE_ENDED, regions[0], 1764050004);
	for (guint i = 0; i < 50; i++) {
		g_main_context_iteration(NULL, FALSE);
		g_usleep(10000);
	}
	g_assert_cmpuint(sr_relay_get_pending(fx->relay), >=, 3);

	/* back: nothing is lost */
	sr_test_broker_start(fx->broker);
	relay_change(fx->relay, SR_CHANGE_ENDED, regions[1], 1764050005);
	relay_change(fx->relay, SR_CHANGE_ENDED, regions[2], 1764050006);
	relay_change(fx->relay, SR_CHANGE_ENDED, regions[3], 1764050007);
	run_until(has_unique_ids, &wait, 30000, "every change after the restart");
	run_until(outbox_empty, fx, 10000, "an empty outbox");
	ids = subscriber_change_ids(fx->sub);
	g_test_message("%u messages for 8 changes", ids->len);
	g_assert_cmpuint(count_unique(ids), ==, 8);
	g_assert_cmpuint(ids->len, >=, 8);
}

static void
test_tls(Fixture *fx, gconstpointer data)
{
	WaitIds wait = {fx, 1};

	if (fx->broker == NULL)
		return;
	fx->relay = relay_new(fx, sr_test_broker_get_ca(fx->broker));
	sr_relay_start(fx->relay);
	run_until(status_online, fx, 15000, "the relay's status over TLS");
	relay_change(fx->relay, SR_CHANGE_STARTED, "ua:31", 1764050000);
	run_until(has_unique_ids, &wait, 5000, "a change over TLS");
	run_until(outbox_empty, fx, 5000, "the broker's PUBACK over TLS");
}

static void
test_tls_unknown_ca(Fixture *fx, gconstpointer data)
{
	/* the system's CAs do not know the test CA: no connection, nothing leaves the outbox */
	if (fx->broker == NULL)
		return;
	fx->relay = relay_new(fx, NULL);
	sr_relay_start(fx->relay);
	relay_change(fx->relay, SR_CHANGE_STARTED, "ua:31", 1764050000);
	for (guint i = 0; i < 150; i++) {
		g_main_context_iteration(NULL, FALSE);
		g_usleep(10000);
	}
	g_assert_cmpuint(sr_relay_get_pending(fx->relay), ==, 1);
	g_assert_null(subscriber_last(fx->sub, "sirena/changes"));
}

/* the "done when": two sirenad, one fetching from the loopback upstream and relaying, one
 * consuming only the relay, each on its own session bus with its own notification server */

#define UA_PATH        "/api/v3/alerts"
#define UA_STATUS_PATH "/api/v3/alerts/status"

typedef struct {
	GTestDBus *bus;
	SrTestNotifyd *notifyd;
	char *config;
	char *store;
	GSubprocess *process;
} Instance;

static void
serve(SrTestServer *server, guint *index, const char *region, const char *level)
{
	g_autofree char *status = g_strdup_printf("{\"lastActionIndex\":%u}", ++*index);
	g_autofree char *body = NULL;
	if (region == NULL)
		body = g_strdup("[]");
	else
		body = g_strdup_printf(
		    "[{\"regionId\":\"%s\",\"regionType\":\"District\",\"regionName\":\"r\","
		    "\"lastUpdate\":\"2026-11-25T06:00:30Z\",\"activeAlerts\":[{\"regionId\":\"%"
		    "s\","
		    "\"regionType\":\"District\",\"type\":\"AIR\",\"lastUpdate\":"
		    "\"2026-11-25T06:00:30Z\",\"activeAlertLevels\":[{\"alertLevel\":\"%s\","
		    "\"reason\":\"Drones\",\"createdAt\":\"2026-11-25T06:00:30Z\"}]}]}]",
		    region, region, level);
	sr_test_server_set_reply(server, UA_PATH, 200, NULL, body, -1);
	sr_test_server_set_reply(server, UA_STATUS_PATH, 200, NULL, status, -1);
}

static void
instance_start(Instance *instance)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocessLauncher) launcher =
	    g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_NONE);
	const char *address = g_test_dbus_get_bus_address(instance->bus);
	g_autoptr(GDBusConnection) bus = NULL;
	const char *argv[] = {g_getenv("SIRENAD"), "--config",      instance->config,
	                      "--store",           instance->store, NULL};
	g_subprocess_launcher_setenv(launcher, "DBUS_SESSION_BUS_ADDRESS", address, TRUE);
	instance->process = g_subprocess_launcher_spawnv(launcher, argv, &error);
	g_assert_no_error(error);
	/* the instance's own bus, not this process's session bus */
	bus = g_dbus_connection_new_for_address_sync(
	    address,
	    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
	        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
	    NULL, NULL, &error);
	g_assert_no_error(error);
	sr_test_wait_sirenad(bus, 10);
}

static void
instance_stop(Instance *instance, int signal)
{
	if (instance->process == NULL)
		return;
	g_subprocess_send_signal(instance->process, signal);
	g_assert_true(g_subprocess_wait(instance->process, NULL, NULL));
	g_clear_object(&instance->process);
}

static void
instance_init(Instance *instance, const char *dir, const char *name, const char *config)
{
	g_autofree char *folder = g_build_filename(dir, name, NULL);
	instance->config = g_build_filename(folder, "sirena.conf", NULL);
	instance->store = g_build_filename(folder, "state", "sirena.db", NULL);
	g_assert_cmpint(g_mkdir_with_parents(folder, 0700), ==, 0);
	g_assert_true(g_file_set_contents(instance->config, config, -1, NULL));
	g_assert_cmpint(g_chmod(instance->config, 0600), ==, 0);
	instance->bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(instance->bus);
	instance->notifyd = sr_test_notifyd_new(g_test_dbus_get_bus_address(instance->bus), NULL);
}

static void
instance_clear(Instance *instance)
{
	instance_stop(instance, SIGTERM);
	sr_test_notifyd_free(instance->notifyd);
	g_test_dbus_down(instance->bus);
	g_object_unref(instance->bus);
	g_free(instance->config);
	g_free(instance->store);
}

/* what a person saw, one line per call; @skip_sources leaves out the "source down/back" ones */
static char *
seen(Instance *instance)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < sr_test_notifyd_get_n_calls(instance->notifyd); i++) {
		const SrTestNotifyCall *call = sr_test_notifyd_get_call(instance->notifyd, i);
		if (g_strcmp0(call->method, "CloseNotification") == 0)
			g_string_append(out, "close\n");
		else
			g_string_append_printf(out, "notify[%d%s] %s\n", call->urgency,
			                       call->replaces_id != 0 ? " replaces" : "",
			                       call->summary);
	}
	return g_string_free(out, FALSE);
}

static void
wait_both(Instance *a, Instance *b, guint n)
{
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	while (sr_test_notifyd_get_n_calls(a->notifyd) < n ||
	       sr_test_notifyd_get_n_calls(b->notifyd) < n) {
		if (g_get_monotonic_time() > deadline) {
			g_autofree char *sa = seen(a);
			g_autofree char *sb = seen(b);
			g_error("expected %u calls on each side within 20 s; relay saw:\n%s"
			        "consumer saw:\n%s",
			        n, sa, sb);
		}
		g_usleep(20000);
	}
}

static void
test_two_instances(Fixture *fx, gconstpointer data)
{
	g_autoptr(SrTestServer) server = NULL;
	g_autofree char *relay_conf = NULL;
	g_autofree char *consumer_conf = NULL;
	g_autofree char *seen_relay = NULL;
	g_autofree char *seen_consumer = NULL;
	Instance relay = {0};
	Instance consumer = {0};
	guint index = 0;

	if (fx->broker == NULL)
		return;
	server = sr_test_server_new();
	serve(server, &index, NULL, NULL);
	relay_conf =
	    g_strdup_printf("[sirena]\nregions=Київська область\n"
	                    "[source ua]\ntype=ukraine_alarm\ntoken=relay-SECRET-1\n"
	                    "url=%s\ninterval=0.1\nstale_after=1\n"
	                    "[relay]\nurl=%s\nclient_id=relay-a\nheartbeat=1\n",
	                    sr_test_server_get_url(server), sr_test_broker_get_url(fx->broker));
	consumer_conf = g_strdup_printf("[sirena]\nregions=Київська область\n"
	                                "[source relay-home]\ntype=mqtt\nurl=%s\n"
	                                "prefix=sirena\ninterval=0.1\nstale_after=15\n",
	                                sr_test_broker_get_url(fx->broker));
	instance_init(&relay, fx->dir, "relay", relay_conf);
	instance_init(&consumer, fx->dir, "consumer", consumer_conf);
	instance_start(&relay);
	instance_start(&consumer);
	g_usleep(1500000);

	/* a scripted day: an alert, an update, the broker restarts, the alert ends; a second */
	serve(server, &index, "74", "Yellow");
	wait_both(&relay, &consumer, 1);
	serve(server, &index, "74", "Red");
	wait_both(&relay, &consumer, 2);
	sr_test_broker_stop(fx->broker, SIGKILL);
	g_usleep(300000);
	sr_test_broker_start(fx->broker);
	serve(server, &index, NULL, NULL);
	wait_both(&relay, &consumer, 4);
	serve(server, &index, "74", "Red");
	wait_both(&relay, &consumer, 5);
	serve(server, &index, NULL, NULL);
	wait_both(&relay, &consumer, 7);
	g_usleep(1000000);

	seen_relay = seen(&relay);
	seen_consumer = seen(&consumer);
	g_test_message("relay saw:\n%s", seen_relay);
	g_assert_cmpstr(seen_consumer, ==, seen_relay);
	/* start, update, close + all-clear, (the all-clear closed), start, close + all-clear */
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(relay.notifyd), >=, 7);

	/* the relay is killed during an alert: the consumer says its source is down (the last
	 * will) and shows no all-clear for the alert, which stays open */
	serve(server, &index, "74", "Red");
	g_usleep(2000000);
	g_clear_pointer(&seen_relay, g_free);
	g_clear_pointer(&seen_consumer, g_free);
	seen_relay = seen(&relay);
	seen_consumer = seen(&consumer);
	g_assert_cmpstr(seen_consumer, ==, seen_relay);
	{
		guint before = sr_test_notifyd_get_n_calls(consumer.notifyd);
		const SrTestNotifyCall *start =
		    sr_test_notifyd_get_last(consumer.notifyd, "Notify");
		guint32 alert_id = start->id;
		gint64 deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
		g_assert_nonnull(strstr(start->summary, "Air raid alert"));
		instance_stop(&relay, SIGKILL);
		while (sr_test_notifyd_get_n_calls(consumer.notifyd) == before) {
			if (g_get_monotonic_time() > deadline)
				g_error("the consumer did not report the relay down");
			g_usleep(50000);
		}
		g_usleep(1500000);
		g_assert_cmpuint(sr_test_notifyd_get_n_calls(consumer.notifyd), ==, before + 1);
		g_assert_cmpint(sr_test_notifyd_get_call(consumer.notifyd, before)->urgency, ==, 0);
		g_assert_null(
		    strstr(sr_test_notifyd_get_call(consumer.notifyd, before)->summary, "clear"));
		g_assert_true(sr_test_notifyd_is_open(consumer.notifyd, alert_id));
	}

	instance_clear(&consumer);
	instance_clear(&relay);
}

static void
engine_to_relay(const SrChange *change, gpointer user_data)
{
	sr_relay_handle_change(user_data, change);
}

typedef struct {
	Fixture *fx;
	const char *topic;
	const char *needle;
} WaitPayload;

static gboolean
has_payload(gpointer data)
{
	WaitPayload *wait = data;
	g_autofree char *payload = subscriber_last(wait->fx->sub, wait->topic);
	return payload != NULL && strstr(payload, wait->needle) != NULL;
}

static void
test_homeassistant(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *outbox = NULL;
	g_autoptr(SrEngine) engine = NULL;
	g_autoptr(SrBatch) batch = NULL;
	g_autoptr(GPtrArray) regions = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *config_text = NULL;
	g_autoptr(cJSON) config_json = NULL;
	SrRelayConfig config = {0};
	SrEvent *event = NULL;
	WaitPayload wait_config = {fx, "homeassistant/binary_sensor/sirena_ua_14/config", "ua_14"};
	WaitPayload wait_off = {fx, "sirena/ha/ua:14", "\"OFF\""};
	WaitPayload wait_on = {fx, "sirena/ha/ua:14", "\"ON\""};

	if (fx->broker == NULL)
		return;
	outbox = g_build_filename(fx->dir, "state", "relay-outbox.db", NULL);
	config.enabled = TRUE;
	config.url = (char *)sr_test_broker_get_url(fx->broker);
	g_assert_true(
	    sr_mqtt_parse_url(config.url, &config.host, &config.port, &config.tls, &error));
	config.client_id = (char *)"sirena-test-ha";
	config.prefix = (char *)"sirena";
	config.heartbeat = 1;
	config.homeassistant = TRUE;
	fx->relay = sr_relay_new(&config, sr_test_catalog(), outbox, &error);
	g_assert_no_error(error);
	g_free(config.host);

	engine = sr_engine_new(sr_test_catalog());
	sr_engine_add_subscription(engine, "ua:14");
	sr_engine_set_change_func(engine, engine_to_relay, fx->relay);
	sr_engine_add_source(engine, "ua", "ukraine_alarm", 60, 1764050000);
	g_ptr_array_add(regions, g_strdup("ua:14"));
	sr_relay_set_engine(fx->relay, engine);
	sr_relay_set_regions(fx->relay, regions);
	sr_relay_start(fx->relay);

	run_until(has_payload, &wait_config, 10000, "the discovery config");
	config_text = subscriber_last(fx->sub, wait_config.topic);
	config_json = cJSON_Parse(config_text);
	g_assert_nonnull(config_json);
	g_assert_cmpstr(sr_json_get_string(config_json, "state_topic"), ==, "sirena/ha/ua:14");
	g_assert_cmpstr(sr_json_get_string(config_json, "availability_topic"), ==, "sirena/status");
	g_assert_cmpstr(sr_json_get_string(config_json, "payload_on"), ==, "ON");
	run_until(has_payload, &wait_off, 5000, "the sensor off");

	/* an alert in a raion of the region turns it on, with kind, phase and since */
	batch = sr_batch_new(SR_BATCH_SNAPSHOT);
	event = sr_event_new("ua", "ua:74");
	event->kind = SR_KIND_AIR_RAID;
	event->phase = SR_PHASE_ACTIVE;
	event->started_at = 1764049000;
	sr_event_add_region(event, "ua:74");
	sr_batch_take(batch, event);
	sr_engine_submit(engine, "ua", batch, 1764050000);
	run_until(has_payload, &wait_on, 5000, "the sensor on");
	{
		g_autofree char *state = subscriber_last(fx->sub, "sirena/ha/ua:14");
		g_autoptr(cJSON) json = cJSON_Parse(state);
		g_assert_cmpstr(sr_json_get_string(json, "kind"), ==, "air_raid");
		g_assert_cmpstr(sr_json_get_string(json, "phase"), ==, "active");
		g_assert_cmpstr(sr_json_get_string(json, "since"), ==, "2025-11-25T05:36:40Z");
	}
	/* it ends: off again */
	g_clear_pointer(&batch, sr_batch_free);
	batch = sr_batch_new(SR_BATCH_SNAPSHOT);
	sr_engine_submit(engine, "ua", batch, 1764050100);
	run_until(has_payload, &wait_off, 5000, "the sensor off again");
	sr_relay_set_engine(fx->relay, NULL);
}

/* [relay] in the configuration */

static SrConfig *
load(const char *text, GError **error)
{
	return sr_config_load_data(text, strlen(text), "/tmp/relay.conf", sr_test_catalog(), error);
}

static void
test_config(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrConfig) config = NULL;
	g_autofree char *host = g_strdup(g_get_host_name());

	config = load("[relay]\nurl=mqtts://broker.example:8884\nusername=u\npassword=pw-SECRET-7\n"
	              "prefix=home/sirena\nheartbeat=5\nhomeassistant=true\n",
	              &error);
	g_assert_no_error(error);
	g_assert_true(config->relay.enabled);
	g_assert_true(config->relay.tls);
	g_assert_cmpstr(config->relay.host, ==, "broker.example");
	g_assert_cmpint(config->relay.port, ==, 8884);
	g_assert_cmpstr(config->relay.prefix, ==, "home/sirena");
	g_assert_cmpfloat(config->relay.heartbeat, ==, 5);
	g_assert_true(config->relay.homeassistant);
	g_clear_pointer(&config, sr_config_free);

	/* defaults */
	config = load("[relay]\nurl=mqtt://127.0.0.1\n", &error);
	g_assert_no_error(error);
	g_assert_cmpint(config->relay.port, ==, 1883);
	g_assert_false(config->relay.tls);
	g_assert_cmpstr(config->relay.prefix, ==, "sirena");
	g_assert_cmpfloat(config->relay.heartbeat, ==, 30);
	g_assert_false(config->relay.homeassistant);
	g_assert_true(g_str_has_prefix(config->relay.client_id, "sirena-"));
	g_assert_nonnull(strstr(config->relay.client_id, host));
	g_clear_pointer(&config, sr_config_free);

	/* no group, or no url: off */
	config = load("[sirena]\n", &error);
	g_assert_no_error(error);
	g_assert_false(config->relay.enabled);
	g_clear_pointer(&config, sr_config_free);
}

static void
test_config_errors(void)
{
	struct {
		const char *text;
		const char *fragment;
	} cases[] = {
	    {"[relay]\nurl=http://broker:1883\n", "relay.conf:2"},
	    {"[relay]\nurl=mqtt://broker:99999\n", "port"},
	    {"[relay]\nurl=mqtt://user:pw-SECRET-7@broker\n", "username="},
	    {"[relay]\nurl=mqtt://broker/path\n", "only a host and a port"},
	    {"[relay]\nurl=mqtt://b\nprefix=a/+/b\n", "prefix"},
	    {"[relay]\nurl=mqtt://b\nheartbeat=soon\n", "heartbeat"},
	    {"[relay]\nurl=mqtt://b\nhomeassistant=maybe\n", "homeassistant"},
	    {"[relay]\nurl=mqtt://b\npassword=pw-SECRET-7\n", "username"},
	    {"[relay]\nurl=mqtts://b\nca_file=/nonexistent/ca.crt\n", "ca_file"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SrConfig) config = load(cases[i].text, &error);
		g_assert_null(config);
		g_assert_error(error, SR_ERROR, SR_ERROR_CONFIG);
		g_test_message("%s", error->message);
		g_assert_nonnull(strstr(error->message, "[relay]"));
		g_assert_nonnull(strstr(error->message, cases[i].fragment));
		/* the password is never repeated */
		g_assert_null(strstr(error->message, "pw-SECRET-7"));
	}
}

/* the mqtt source's view, message by message */

static const char *
alert_json(void)
{
	return "{\"id\":\"ua:31:air_raid\",\"source\":\"sirena\",\"kind\":\"air_raid\","
	       "\"phase\":\"active\",\"status\":\"actual\",\"regions\":[{\"id\":\"ua:31\"}],"
	       "\"started_at\":\"2026-11-25T06:12:40Z\",\"sources\":[\"ua\"]}";
}

static gboolean
view_apply(SrMqttView *view, const char *topic, const char *payload, gboolean retained, gint64 mono,
           gboolean *duplicate)
{
	g_autoptr(GError) error = NULL;
	SrParseContext ctx = {0};
	gboolean ok = FALSE;
	ctx.source_name = "relay";
	ctx.catalog = sr_test_catalog();
	ctx.now = 1764050000;
	ok = sr_mqtt_view_apply(view, topic, payload, strlen(payload), retained, &ctx, mono,
	                        duplicate, &error);
	return ok;
}

static void
test_view(void)
{
	g_autoptr(SrMqttView) view = sr_mqtt_view_new("sirena");
	g_autoptr(SrBatch) batch = NULL;
	g_autoptr(GError) error = NULL;
	gboolean duplicate = FALSE;
	gint64 mono = 1000 * G_USEC_PER_SEC;
	const char *online = "{\"state\":\"online\",\"heartbeat\":2,\"sources\":[{\"name\":\"ua\","
	                     "\"state\":\"ok\"}]}";

	/* states without the status that completes them are not a picture yet */
	g_assert_true(
	    view_apply(view, "sirena/state/ua:31/air_raid", alert_json(), TRUE, mono, NULL));
	batch = sr_mqtt_view_snapshot(view, mono, FALSE, &error);
	g_assert_null(batch);
	g_assert_nonnull(error);
	g_clear_error(&error);

	g_assert_true(view_apply(view, "sirena/status", online, TRUE, mono, NULL));
	batch = sr_mqtt_view_snapshot(view, mono, FALSE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(batch);
	g_assert_cmpuint(batch->events->len, ==, 1);
	g_assert_cmpstr(((SrEvent *)g_ptr_array_index(batch->events, 0))->source, ==, "relay");
	g_clear_pointer(&batch, sr_batch_free);
	/* nothing new: "unchanged" */
	g_assert_null(sr_mqtt_view_snapshot(view, mono, FALSE, &error));
	g_assert_no_error(error);

	/* a change id seen twice is a duplicate */
	g_assert_true(view_apply(view, "sirena/changes",
	                         "{\"change\":\"started\",\"change_id\":\"e-1\"}", FALSE, mono,
	                         &duplicate));
	g_assert_false(duplicate);
	g_assert_true(view_apply(view, "sirena/changes",
	                         "{\"change\":\"started\",\"change_id\":\"e-1\"}", FALSE, mono,
	                         &duplicate));
	g_assert_true(duplicate);
	g_assert_cmpuint(sr_mqtt_view_get_duplicates(view), ==, 1);

	/* no heartbeat for three of them: stale, never an empty snapshot */
	batch = sr_mqtt_view_snapshot(view, mono + 7 * G_USEC_PER_SEC, TRUE, &error);
	g_assert_null(batch);
	g_assert_error(error, SR_ERROR, SR_ERROR_TIMEOUT);
	g_clear_error(&error);

	/* the last will: offline, the alert is kept by failing the poll */
	g_assert_true(
	    view_apply(view, "sirena/status", "{\"state\":\"offline\"}", TRUE, mono, NULL));
	batch = sr_mqtt_view_snapshot(view, mono, TRUE, &error);
	g_assert_null(batch);
	g_assert_nonnull(strstr(error->message, "offline"));
	g_clear_error(&error);

	/* every source of the relay down: the same */
	g_assert_true(view_apply(view, "sirena/status",
	                         "{\"state\":\"online\",\"sources\":[{\"state\":\"stale\"}]}",
	                         FALSE, mono, NULL));
	g_assert_null(sr_mqtt_view_snapshot(view, mono, TRUE, &error));
	g_assert_nonnull(error);
	g_clear_error(&error);

	/* the end: an empty retained state */
	g_assert_true(view_apply(view, "sirena/status", online, FALSE, mono, NULL));
	g_assert_true(view_apply(view, "sirena/state/ua:31/air_raid", "", TRUE, mono, NULL));
	batch = sr_mqtt_view_snapshot(view, mono, FALSE, &error);
	g_assert_nonnull(batch);
	g_assert_cmpuint(batch->events->len, ==, 0);
}

static void
test_view_hostile(void)
{
	g_autoptr(SrMqttView) view = sr_mqtt_view_new("sirena");
	const char *bad[] = {
	    "", "{", "[]", "null", "{\"state\":1}", "{\"state\":\"maybe\"}", "\"online\""};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		if (bad[i][0] != '\0')
			g_assert_false(view_apply(view, "sirena/status", bad[i], FALSE, 0, NULL));
		g_assert_false(view_apply(view, "sirena/changes", bad[i], FALSE, 0, NULL));
		if (bad[i][0] != '\0')
			g_assert_false(view_apply(view, "sirena/state/ua:31/air_raid", bad[i],
			                          FALSE, 0, NULL));
	}
	/* another prefix's topics are not ours */
	g_assert_true(view_apply(view, "other/state/x", "{", FALSE, 0, NULL));
}

static void
test_state_topic(void)
{
	g_autofree char *a = sr_relay_state_topic("sirena", "ua:31:air_raid", "air_raid");
	g_autofree char *b = sr_relay_state_topic("home/sirena", "cap:x/+#:weather", "weather");
	g_assert_cmpstr(a, ==, "sirena/state/ua:31/air_raid");
	g_assert_cmpstr(b, ==, "home/sirena/state/cap:x___/weather");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/relay/state-topic", test_state_topic);
	g_test_add_func("/relay/config", test_config);
	g_test_add_func("/relay/config-errors", test_config_errors);
	g_test_add_func("/relay/view", test_view);
	g_test_add_func("/relay/view-hostile", test_view_hostile);
	mosquitto_lib_init();
	g_test_add("/relay/round-trip", Fixture, GINT_TO_POINTER(FALSE), fixture_setup,
	           test_round_trip, fixture_teardown);
	g_test_add("/relay/broker-restart", Fixture, GINT_TO_POINTER(FALSE), fixture_setup,
	           test_broker_restart, fixture_teardown);
	g_test_add("/relay/homeassistant", Fixture, GINT_TO_POINTER(FALSE), fixture_setup,
	           test_homeassistant, fixture_teardown);
	g_test_add("/relay/two-instances", Fixture, GINT_TO_POINTER(FALSE), fixture_setup,
	           test_two_instances, fixture_teardown);
	g_test_add("/relay/tls", Fixture, GINT_TO_POINTER(TRUE), fixture_setup, test_tls,
	           fixture_teardown);
	g_test_add("/relay/tls-unknown-ca", Fixture, GINT_TO_POINTER(TRUE), fixture_setup,
	           test_tls_unknown_ca, fixture_teardown);
	return g_test_run();
}
