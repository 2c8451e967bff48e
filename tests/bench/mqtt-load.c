/* mqtt-load.c - 1,000 MQTT subscribers receive a burst of relay changes; delivery latency
 *
 *   build-dir/tests/bench/mqtt-load [SUBSCRIBERS] [CHANGES]      (default 1000 and 500)
 *
 * Starts its own mosquitto on 127.0.0.1 (in a temporary folder), connects SUBSCRIBERS
 * libmosquitto clients to <prefix>/changes at QoS 1 (all on one thread, driven by poll()), then
 * pushes CHANGES alert changes through the real relay sink (SrRelay: outbox, QoS 1, PUBACK) as
 * fast as the main loop takes them, and reports, per delivered message, the time from the
 * relay's handle_change() to the subscriber's on_message: p50, p99, max, and the duplicates and
 * losses. Not part of `meson test`: it is a measurement, see doc/scaling.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <gio/gio.h>
#include <mosquitto.h>

#include "relay/sr-mqtt.h"
#include "relay/sr-relay.h"
#include "sirena/json.h"
#include "sr-test-broker.h"

typedef struct {
	struct mosquitto *mosq;
	gboolean subscribed;
} Client;

static gint64 *sent_at;   /* by change seq, monotonic us */
static GArray *latencies; /* of gint64 us */
static guint received;
static guint duplicates;
static guint subscribed;
static guint n_changes;
static guint8 **seen; /* per client, per seq */
static GMutex lock;
static Client *clients;

static void
on_subscribe(struct mosquitto *mosq, void *obj, int mid, int qos_count, const int *granted)
{
	Client *client = &clients[GPOINTER_TO_UINT(obj) - 1];
	if (!client->subscribed) {
		client->subscribed = TRUE;
		g_atomic_int_inc((gint *)&subscribed);
	}
}

static void
on_connect(struct mosquitto *mosq, void *obj, int rc)
{
	if (rc == 0)
		mosquitto_subscribe(mosq, NULL, "sirena/changes", 1);
}

static void
on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *message)
{
	gint64 now = g_get_monotonic_time();
	g_autofree char *text = g_strndup(message->payload, message->payloadlen);
	g_autoptr(cJSON) json = cJSON_Parse(text);
	const char *id = json != NULL ? sr_json_get_string(json, "change_id") : NULL;
	const char *dash = id != NULL ? strrchr(id, '-') : NULL;
	guint64 seq = dash != NULL ? g_ascii_strtoull(dash + 1, NULL, 10) : 0;
	guint index = GPOINTER_TO_UINT(obj) - 1;
	if (seq == 0 || seq > n_changes)
		return;
	g_mutex_lock(&lock);
	if (seen[index][seq]) {
		duplicates++;
	} else {
		gint64 latency = 0;
		seen[index][seq] = 1;
		received++;
		latency = now - g_atomic_pointer_get(&sent_at)[seq];
		g_array_append_val(latencies, latency);
	}
	g_mutex_unlock(&lock);
}

static gint
cmp_gint64(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *)a;
	gint64 y = *(const gint64 *)b;
	return x < y ? -1 : x > y ? 1 : 0;
}

typedef struct {
	Client *clients;
	guint n;
	volatile gint stop;
} Pump;

/* every subscriber on one thread: poll() their sockets, read and write what is due */
static gpointer
pump_thread(gpointer data)
{
	Pump *pump = data;
	struct pollfd *fds = g_new0(struct pollfd, pump->n);
	gint64 last_misc = 0;
	while (!g_atomic_int_get(&pump->stop)) {
		for (guint i = 0; i < pump->n; i++) {
			fds[i].fd = mosquitto_socket(pump->clients[i].mosq);
			fds[i].events =
			    POLLIN | (mosquitto_want_write(pump->clients[i].mosq) ? POLLOUT : 0);
			fds[i].revents = 0;
		}
		if (poll(fds, pump->n, 20) < 0)
			continue;
		for (guint i = 0; i < pump->n; i++) {
			if (fds[i].revents & POLLIN)
				mosquitto_loop_read(pump->clients[i].mosq, 16);
			if (fds[i].revents & POLLOUT)
				mosquitto_loop_write(pump->clients[i].mosq, 16);
		}
		if (g_get_monotonic_time() - last_misc > 500000) {
			last_misc = g_get_monotonic_time();
			for (guint i = 0; i < pump->n; i++)
				mosquitto_loop_misc(pump->clients[i].mosq);
		}
	}
	g_free(fds);
	return NULL;
}

static void
raise_fd_limit(void)
{
	struct rlimit limit;
	if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
		limit.rlim_cur = limit.rlim_max;
		setrlimit(RLIMIT_NOFILE, &limit);
	}
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = NULL;
	g_autofree char *broker_dir = NULL;
	g_autofree char *outbox = NULL;
	g_autofree char *cmd = NULL;
	guint n_clients = argc > 1 ? (guint)atoi(argv[1]) : 1000;
	SrTestBroker *broker = NULL;
	SrRelayConfig config = {0};
	SrRelay *relay = NULL;
	Pump pump = {0};
	GThread *thread = NULL;
	gint64 start = 0;
	gint64 deadline = 0;
	gint64 burst_end = 0;
	const SrCatalog *catalog = NULL;

	n_changes = argc > 2 ? (guint)atoi(argv[2]) : 500;
	if (n_clients == 0 || n_changes == 0) {
		fprintf(stderr, "usage: mqtt-load [SUBSCRIBERS] [CHANGES]\n");
		return 2;
	}
	if (!sr_test_broker_available()) {
		fprintf(stderr, "mqtt-load: %s is not installed\n", SR_TEST_MOSQUITTO);
		return 77;
	}
	raise_fd_limit();
	mosquitto_lib_init();
	catalog = sr_catalog_get_default(&error);
	if (catalog == NULL) {
		fprintf(stderr, "mqtt-load: %s\n", error->message);
		return 1;
	}
	dir = g_dir_make_tmp("sirena-mqtt-load-XXXXXX", &error);
	g_assert_no_error(error);
	broker_dir = g_build_filename(dir, "broker", NULL);
	broker = sr_test_broker_new(broker_dir, FALSE);
	latencies = g_array_new(FALSE, FALSE, sizeof(gint64));
	sent_at = g_new0(gint64, n_changes + 1);
	seen = g_new0(guint8 *, n_clients);

	pump.n = n_clients;
	pump.clients = g_new0(Client, n_clients);
	clients = pump.clients;
	for (guint i = 0; i < n_clients; i++) {
		g_autofree char *id = g_strdup_printf("load-%u", i);
		seen[i] = g_new0(guint8, n_changes + 1);
		/* userdata index + 1: a NULL one would make libmosquitto pass the client instead */
		pump.clients[i].mosq = mosquitto_new(id, true, GUINT_TO_POINTER(i + 1));
		mosquitto_connect_callback_set(pump.clients[i].mosq, on_connect);
		mosquitto_subscribe_callback_set(pump.clients[i].mosq, on_subscribe);
		mosquitto_message_callback_set(pump.clients[i].mosq, on_message);
		if (mosquitto_connect(pump.clients[i].mosq, "127.0.0.1",
		                      (int)sr_test_broker_get_port(broker),
		                      60) != MOSQ_ERR_SUCCESS) {
			fprintf(stderr, "mqtt-load: subscriber %u cannot connect\n", i);
			return 1;
		}
	}
	thread = g_thread_new("subscribers", pump_thread, &pump);

	config.enabled = TRUE;
	config.url = (char *)sr_test_broker_get_url(broker);
	sr_mqtt_parse_url(config.url, &config.host, &config.port, &config.tls, NULL);
	config.client_id = (char *)"sirena-load-relay";
	config.prefix = (char *)"sirena";
	config.heartbeat = 30;
	outbox = g_build_filename(dir, "relay-outbox.db", NULL);
	relay = sr_relay_new(&config, catalog, outbox, &error);
	g_assert_no_error(error);
	sr_relay_start(relay);

	deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
	while (g_atomic_int_get((gint *)&subscribed) < (gint)n_clients ||
	       sr_relay_get_pending(relay) > 0) {
		g_main_context_iteration(NULL, FALSE);
		g_usleep(2000);
		if (g_get_monotonic_time() > deadline) {
			fprintf(stderr, "mqtt-load: only %u of %u subscribed\n", subscribed,
			        n_clients);
			return 1;
		}
	}
	fprintf(stderr, "%u subscribers ready; %u changes…\n", n_clients, n_changes);

	start = g_get_monotonic_time();
	for (guint i = 1; i <= n_changes; i++) {
		g_autofree char *key = g_strdup_printf("ua:%u:air_raid", 1000 + i);
		g_autofree char *region = g_strdup_printf("ua:%u", 1000 + i);
		g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func(g_free);
		g_autoptr(GPtrArray) events = g_ptr_array_new();
		SrEvent *event = sr_event_new("sirena", key);
		SrAlert alert = {key, event, sources, events};
		SrChange change = {0};
		event->kind = SR_KIND_AIR_RAID;
		event->phase = SR_PHASE_ACTIVE;
		event->started_at = 1795500000 + i;
		event->updated_at = event->started_at;
		sr_event_add_region(event, region);
		g_ptr_array_add(sources, g_strdup("ua"));
		change.type = SR_CHANGE_STARTED;
		change.at = event->started_at;
		change.alert = &alert;
		sent_at[i] = g_get_monotonic_time();
		sr_relay_handle_change(relay, &change);
		sr_event_unref(event);
		g_main_context_iteration(NULL, FALSE);
	}
	burst_end = g_get_monotonic_time();
	deadline = g_get_monotonic_time() + 120 * G_USEC_PER_SEC;
	while (TRUE) {
		guint got = 0;
		g_mutex_lock(&lock);
		got = received;
		g_mutex_unlock(&lock);
		if (got >= n_clients * n_changes || g_get_monotonic_time() > deadline)
			break;
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
	g_atomic_int_set(&pump.stop, 1);
	g_thread_join(thread);

	g_array_sort(latencies, cmp_gint64);
	printf("subscribers %u, changes %u, burst queued in %.1f ms, all delivered in %.1f ms\n",
	       n_clients, n_changes, (burst_end - start) / 1000.0,
	       (g_get_monotonic_time() - start) / 1000.0);
	printf("delivered %u of %u (lost %u), duplicates %u\n", received, n_clients * n_changes,
	       n_clients * n_changes - received, duplicates);
	if (latencies->len > 0)
		printf("latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
		       g_array_index(latencies, gint64, latencies->len / 2) / 1000.0,
		       g_array_index(latencies, gint64, latencies->len * 99 / 100) / 1000.0,
		       g_array_index(latencies, gint64, latencies->len - 1) / 1000.0);
	printf("relay outbox pending at the end: %u\n", sr_relay_get_pending(relay));

	sr_relay_free(relay);
	for (guint i = 0; i < n_clients; i++) {
		mosquitto_destroy(pump.clients[i].mosq);
		g_free(seen[i]);
	}
	sr_test_broker_free(broker);
	cmd = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL);
	return received == n_clients * n_changes ? 0 : 1;
}
