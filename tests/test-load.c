/* test-load.c - one sirenad, 50 regions, 8 sources, 20 `sirena watch --json` subscribers
 *
 * A random day of alerts (seeded: the GLib test seed) is played at 100× speed by the loopback
 * upstream: eight sources (four alerts.in.ua, four Ukraine Alarm), each serving its own share of
 * 50 subscribed regions. sirenad polls them and 20 CLI subscribers follow it over D-Bus. At the
 * end every subscriber must have printed, for every alert, exactly the changes the timeline
 * implies (started, ended, in order; nothing lost, nothing twice), and the daemon's resident
 * memory must be flat.
 *
 * SR_LOAD_HOURS (default 1) sets how many simulated hours are played; scripts/reliability plays
 * 24. The figures are printed as a TAP comment.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "sirena/json.h"
#include "sr-test-notifyd.h"
#include "sr-test-server.h"
#include "sr-test-util.h"

#define N_SOURCES     8
#define N_SUBSCRIBERS 20
#define SPEED         100
/* how often the played timeline is brought up to date, in real time */
#define TICK_MS 20

typedef struct {
	gint64 start; /* simulated seconds from the beginning */
	gint64 end;
	guint upstream_id;
} Episode;

typedef struct {
	char id[8]; /* catalog id without "ua:" */
	gboolean oblast;
	guint source;
	GArray *episodes; /* of Episode, in time order */
} Region;

typedef struct {
	GTestDBus *bus;
	SrTestNotifyd *notifyd;
	SrTestServer *server;
	char *dir;
	char *config;
	GSubprocess *daemon;
	GPtrArray *subscribers; /* of GSubprocess */
	Region regions[50];
	guint status_index[N_SOURCES];
	char *served[N_SOURCES];
} Fixture;

/* 25 oblasts and 25 raions of the catalog */
static const char *const region_ids[] = {
    "3",  "4",  "5",  "8",  "9",  "10", "11", "12", "13", "14", "15", "16", "17",
    "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "32",
    "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45",
    "46", "47", "48", "49", "50", "51", "52", "53", "54", "55", "56",
};

static gboolean
is_alerts_in_ua(guint source)
{
	return source < N_SOURCES / 2;
}

static void
plan_day(Fixture *fx, gint64 seconds)
{
	guint next_id = 1000;
	G_STATIC_ASSERT(G_N_ELEMENTS(region_ids) == G_N_ELEMENTS(fx->regions));
	for (guint i = 0; i < G_N_ELEMENTS(fx->regions); i++) {
		Region *region = &fx->regions[i];
		gint64 t = 0;
		g_strlcpy(region->id, region_ids[i], sizeof(region->id));
		region->oblast = i < 25;
		region->source = i % N_SOURCES;
		region->episodes = g_array_new(FALSE, FALSE, sizeof(Episode));
		for (;;) {
			/* quiet for 5 min to 1 h, then an alert of 3 to 40 min: a busy day */
			Episode episode = {0};
			t += g_test_rand_int_range(5 * 60, 60 * 60);
			episode.start = t;
			episode.end = t + g_test_rand_int_range(3 * 60, 40 * 60);
			episode.upstream_id = next_id++;
			if (episode.end >= seconds)
				break;
			g_array_append_val(region->episodes, episode);
			t = episode.end;
		}
	}
}

static const Episode *
active_episode(const Region *region, gint64 now)
{
	for (guint i = 0; i < region->episodes->len; i++) {
		const Episode *episode = &g_array_index(region->episodes, Episode, i);
		if (episode->start <= now && now < episode->end)
			return episode;
	}
	return NULL;
}

static char *
source_path(guint source, const char *path)
{
	return g_strdup_printf("/s%u%s", source, path);
}

static void
serve(Fixture *fx, gint64 now)
{
	for (guint s = 0; s < N_SOURCES; s++) {
		GString *body = g_string_new(is_alerts_in_ua(s) ? "{\"alerts\":[" : "[");
		gboolean first = TRUE;
		for (guint i = 0; i < G_N_ELEMENTS(fx->regions); i++) {
			const Region *region = &fx->regions[i];
			const Episode *episode =
			    region->source == s ? active_episode(region, now) : NULL;
			if (episode == NULL)
				continue;
			if (is_alerts_in_ua(s))
				g_string_append_printf(
				    body,
				    "%s{\"id\":%u,\"location_title\":\"r\",\"location_type\":\"%"
				    "s\","
				    "\"started_at\":\"2026-11-25T06:00:00.000Z\",\"finished_at\":"
				    "null,"
				    "\"updated_at\":\"2026-11-25T06:00:00.000Z\",\"alert_type\":"
				    "\"air_raid\",\"location_uid\":\"%s\",\"location_oblast\":"
				    "\"r\","
				    "\"notes\":null,\"calculated\":null,\"country\":null}",
				    first ? "" : ",", episode->upstream_id,
				    region->oblast ? "oblast" : "raion", region->id);
			else
				g_string_append_printf(
				    body,
				    "%s{\"regionId\":\"%s\",\"regionType\":\"%s\",\"regionName\":"
				    "\"r\","
				    "\"lastUpdate\":\"2026-11-25T06:00:00Z\",\"activeAlerts\":[{"
				    "\"regionId\":\"%s\",\"regionType\":\"%s\",\"type\":\"AIR\","
				    "\"lastUpdate\":\"2026-11-25T06:00:00Z\"}]}",
				    first ? "" : ",", region->id,
				    region->oblast ? "State" : "District", region->id,
				    region->oblast ? "State" : "District");
			first = FALSE;
		}
		g_string_append(body, is_alerts_in_ua(s) ? "]}" : "]");
		if (g_strcmp0(fx->served[s], body->str) != 0) {
			if (is_alerts_in_ua(s)) {
				g_autofree char *path = source_path(s, "/v1/alerts/active.json");
				sr_test_server_set_reply(fx->server, path, 200, NULL, body->str,
				                         -1);
			} else {
				g_autofree char *path = source_path(s, "/api/v3/alerts");
				g_autofree char *status_path =
				    source_path(s, "/api/v3/alerts/status");
				g_autofree char *status = g_strdup_printf(
				    "{\"lastActionIndex\":%u}", ++fx->status_index[s]);
				sr_test_server_set_reply(fx->server, path, 200, NULL, body->str,
				                         -1);
				sr_test_server_set_reply(fx->server, status_path, 200, NULL, status,
				                         -1);
			}
			g_free(fx->served[s]);
			fx->served[s] = g_strdup(body->str);
		}
		g_string_free(body, TRUE);
	}
}

static void
write_config(Fixture *fx)
{
	GString *text = g_string_new("[sirena]\nregions=");
	for (guint i = 0; i < G_N_ELEMENTS(fx->regions); i++)
		g_string_append_printf(text, "ua:%s;", fx->regions[i].id);
	g_string_append(text, "\n");
	for (guint s = 0; s < N_SOURCES; s++)
		g_string_append_printf(text,
		                       "[source s%u]\ntype=%s\ntoken=load-token-%u\nurl=%s/s%u\n"
		                       "interval=0.1\nstale_after=5\n",
		                       s, is_alerts_in_ua(s) ? "alerts_in_ua" : "ukraine_alarm", s,
		                       sr_test_server_get_url(fx->server), s);
	/* a quiet desktop: notifications are not what this test counts */
	g_assert_true(g_file_set_contents(fx->config, text->str, -1, NULL));
	g_assert_cmpint(g_chmod(fx->config, 0600), ==, 0);
	g_string_free(text, TRUE);
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	fx->bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(fx->bus);
	fx->notifyd = sr_test_notifyd_new(g_test_dbus_get_bus_address(fx->bus), NULL);
	fx->server = sr_test_server_new();
	fx->dir = g_dir_make_tmp("sirena-load-XXXXXX", &error);
	g_assert_no_error(error);
	fx->config = g_build_filename(fx->dir, "sirena.conf", NULL);
	fx->subscribers = g_ptr_array_new_with_free_func(g_object_unref);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	g_autofree char *cmd = NULL;
	for (guint i = 0; i < fx->subscribers->len; i++)
		g_subprocess_force_exit(g_ptr_array_index(fx->subscribers, i));
	g_ptr_array_unref(fx->subscribers);
	if (fx->daemon != NULL) {
		g_subprocess_send_signal(fx->daemon, SIGTERM);
		g_subprocess_wait(fx->daemon, NULL, NULL);
		g_clear_object(&fx->daemon);
	}
	sr_test_notifyd_free(fx->notifyd);
	sr_test_server_free(fx->server);
	g_test_dbus_down(fx->bus);
	g_object_unref(fx->bus);
	cmd = g_strdup_printf("rm -rf '%s'", fx->dir);
	g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL));
	for (guint i = 0; i < G_N_ELEMENTS(fx->regions); i++)
		g_clear_pointer(&fx->regions[i].episodes, g_array_unref);
	for (guint s = 0; s < N_SOURCES; s++)
		g_free(fx->served[s]);
	g_free(fx->config);
	g_free(fx->dir);
}

static void
start_daemon(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);
	g_autofree char *store = g_build_filename(fx->dir, "sirena.db", NULL);
	const char *argv[] = {g_getenv("SIRENAD"), "--config", fx->config, "--store", store, NULL};
	g_assert_no_error(error);
	fx->daemon = g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_NONE, &error);
	g_assert_no_error(error);
	sr_test_wait_sirenad(bus, 20);
}

static char *
subscriber_output(Fixture *fx, guint i)
{
	g_autofree char *name = g_strdup_printf("watch-%02u.jsonl", i);
	return g_build_filename(fx->dir, name, NULL);
}

static void
start_subscribers(Fixture *fx)
{
	for (guint i = 0; i < N_SUBSCRIBERS; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GSubprocessLauncher) launcher =
		    g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_NONE);
		g_autofree char *out = subscriber_output(fx, i);
		GSubprocess *watch = NULL;
		g_subprocess_launcher_set_stdout_file_path(launcher, out);
		watch =
		    g_subprocess_launcher_spawn(launcher, &error, g_getenv("SIRENA_CLI"), "watch",
		                                "--json", "--config", fx->config, NULL);
		g_assert_no_error(error);
		g_ptr_array_add(fx->subscribers, watch);
	}
}

/* the (change, alert id) lines a subscriber printed, one string each: "started ua:3:air_raid" */
static GPtrArray *
read_changes(Fixture *fx, guint i)
{
	g_autofree char *path = subscriber_output(fx, i);
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	GPtrArray *changes = g_ptr_array_new_with_free_func(g_free);
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return changes;
	lines = g_strsplit(text, "\n", -1);
	for (guint l = 0; lines[l] != NULL; l++) {
		g_autoptr(cJSON) json = NULL;
		const cJSON *change = NULL;
		const cJSON *id = NULL;
		if (lines[l][0] == '\0')
			continue;
		json = cJSON_Parse(lines[l]);
		g_assert_nonnull(json);
		change = cJSON_GetObjectItemCaseSensitive(json, "change");
		g_assert_true(cJSON_IsString(change));
		if (g_strcmp0(change->valuestring, "source") == 0)
			continue;
		id = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(json, "alert"), "id");
		g_assert_true(cJSON_IsString(id));
		g_ptr_array_add(changes,
		                g_strdup_printf("%s %s", change->valuestring, id->valuestring));
	}
	return changes;
}

static gboolean
all_printed(Fixture *fx, guint n)
{
	for (guint i = 0; i < N_SUBSCRIBERS; i++) {
		g_autoptr(GPtrArray) changes = read_changes(fx, i);
		if (changes->len < n)
			return FALSE;
	}
	return TRUE;
}

static void
wait_printed(Fixture *fx, guint n, guint timeout_s)
{
	gint64 deadline = g_get_monotonic_time() + timeout_s * G_USEC_PER_SEC;
	while (!all_printed(fx, n)) {
		if (g_get_monotonic_time() > deadline)
			g_error("the subscribers did not print %u changes within %u s", n,
			        timeout_s);
		g_usleep(50000);
	}
}

static gint64
daemon_rss_kib(Fixture *fx)
{
	g_autofree char *path =
	    g_strdup_printf("/proc/%s/status", g_subprocess_get_identifier(fx->daemon));
	g_autofree char *text = NULL;
	const char *line = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return -1;
	line = strstr(text, "VmRSS:");
	return line != NULL ? g_ascii_strtoll(line + 6, NULL, 10) : -1;
}

static gboolean
daemon_is_sanitized(Fixture *fx)
{
	g_autofree char *path =
	    g_strdup_printf("/proc/%s/maps", g_subprocess_get_identifier(fx->daemon));
	g_autofree char *maps = NULL;
	if (!g_file_get_contents(path, &maps, NULL, NULL))
		return FALSE;
	return strstr(maps, "libasan") != NULL || strstr(maps, "libtsan") != NULL;
}

static void
test_day(Fixture *fx, gconstpointer data)
{
	gint64 seconds = (gint64)sr_test_env_uint("SR_LOAD_HOURS", 1, 1000) * 3600;
	g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GArray) rss = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_autoptr(GPtrArray) reference = NULL;
	guint n_alerts = 0;
	gint64 began = 0;
	gint64 last_sample = 0;
	gint64 quarter = 0;
	gint64 early_max = 0;
	gint64 late_max = 0;
	gboolean sanitized = FALSE;

	plan_day(fx, seconds);
	write_config(fx);
	serve(fx, -1);
	start_daemon(fx);
	sanitized = daemon_is_sanitized(fx);
	start_subscribers(fx);

	/* a probe alert first: once every subscriber printed it, all of them are listening */
	{
		Region *probe = &fx->regions[0];
		Episode episode = {-1, 0, 1};
		g_array_prepend_val(probe->episodes, episode);
		serve(fx, -1);
		wait_printed(fx, 1, 60);
		serve(fx, 0);
		wait_printed(fx, 2, 60);
	}

	/* the expected changes, alert by alert; the order between alerts is not fixed */
	for (guint i = 0; i < G_N_ELEMENTS(fx->regions); i++) {
		const Region *region = &fx->regions[i];
		for (guint e = 0; e < region->episodes->len; e++) {
			g_ptr_array_add(expected,
			                g_strdup_printf("started ua:%s:air_raid", region->id));
			g_ptr_array_add(expected,
			                g_strdup_printf("ended ua:%s:air_raid", region->id));
			n_alerts++;
		}
	}

	/* the day, at SPEED× */
	began = g_get_monotonic_time();
	for (;;) {
		gint64 real = g_get_monotonic_time() - began;
		gint64 now = real * SPEED / G_USEC_PER_SEC;
		if (now > seconds)
			break;
		serve(fx, now);
		if (real - last_sample >= G_USEC_PER_SEC) {
			gint64 kib = daemon_rss_kib(fx);
			g_array_append_val(rss, kib);
			last_sample = real;
		}
		g_usleep(TICK_MS * 1000);
	}
	wait_printed(fx, expected->len, 60);
	g_usleep(1000 * 1000); /* anything more would be a duplicate: give it time to show */

	for (guint i = 0; i < N_SUBSCRIBERS; i++) {
		g_autoptr(GPtrArray) changes = read_changes(fx, i);
		g_autoptr(GHashTable) open =
		    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		guint started = 0;
		guint ended = 0;
		if (changes->len != expected->len) {
			for (guint c = 0; c < changes->len; c++)
				g_test_message("subscriber %u printed: %s", i,
				               (const char *)g_ptr_array_index(changes, c));
			for (guint c = 0; c < expected->len; c++)
				g_test_message("expected: %s",
				               (const char *)g_ptr_array_index(expected, c));
		}
		g_assert_cmpuint(changes->len, ==, expected->len);
		/* per alert: started and ended alternate, beginning with started */
		for (guint c = 0; c < changes->len; c++) {
			const char *line = g_ptr_array_index(changes, c);
			const char *id = strchr(line, ' ') + 1;
			if (g_str_has_prefix(line, "started ")) {
				g_assert_false(g_hash_table_contains(open, id));
				g_hash_table_add(open, g_strdup(id));
				started++;
			} else {
				g_assert_true(g_str_has_prefix(line, "ended "));
				g_assert_true(g_hash_table_remove(open, id));
				ended++;
			}
		}
		g_assert_cmpuint(g_hash_table_size(open), ==, 0);
		g_assert_cmpuint(started, ==, n_alerts);
		g_assert_cmpuint(ended, ==, n_alerts);
		/* and per alert, as many episodes as the timeline had */
		for (guint e = 0; e < expected->len; e++) {
			guint want = 0;
			guint got = 0;
			for (guint k = 0; k < expected->len; k++)
				want += g_strcmp0(g_ptr_array_index(expected, k),
				                  g_ptr_array_index(expected, e)) == 0;
			for (guint k = 0; k < changes->len; k++)
				got += g_strcmp0(g_ptr_array_index(changes, k),
				                 g_ptr_array_index(expected, e)) == 0;
			g_assert_cmpuint(got, ==, want);
		}
		/* every subscriber saw the same changes in the same order */
		if (reference == NULL) {
			reference = g_ptr_array_ref(changes);
		} else {
			for (guint c = 0; c < changes->len; c++)
				g_assert_cmpstr(g_ptr_array_index(changes, c), ==,
				                g_ptr_array_index(reference, c));
		}
	}

	/* memory: the last quarter of the day against the first (after the first minute) */
	quarter = rss->len / 4;
	for (guint i = 0; i < rss->len; i++) {
		gint64 kib = g_array_index(rss, gint64, i);
		if (i >= 1 && i < 1 + quarter)
			early_max = MAX(early_max, kib);
		if (i >= rss->len - quarter)
			late_max = MAX(late_max, kib);
	}
	g_test_message("load: %u regions, %u sources, %u subscribers, %" G_GINT64_FORMAT
	               " simulated h at %ux: %u alerts, %u changes at every subscriber, none "
	               "lost or repeated; daemon RSS %" G_GINT64_FORMAT
	               " KiB early, %" G_GINT64_FORMAT " KiB late%s",
	               (guint)G_N_ELEMENTS(fx->regions), N_SOURCES, N_SUBSCRIBERS, seconds / 3600,
	               SPEED, n_alerts, expected->len, early_max, late_max,
	               sanitized ? " (sanitizer build: not compared)" : "");
	g_assert_cmpuint(n_alerts, >, 0);
	if (!sanitized && quarter > 0)
		g_assert_cmpint(late_max, <=, early_max + 1024);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/load/day", Fixture, NULL, fixture_setup, test_day, fixture_teardown);
	return g_test_run();
}
