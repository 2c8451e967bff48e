/* test-notifier.c - desktop notifications, against a fake notification server on a private bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-notifier"

#include "config.h"

#include <glib/gstdio.h>
#include <libnotify/notify.h>
#include <locale.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sirena/notifier.h"
#include "sr-test-notifyd.h"
#include "sr-i18n.h"
#include "sr-test-util.h"

#define T0       1795587160   /* 2026-11-25T06:12:40Z, a Wednesday */
#define DAY0     (T0 - 22360) /* 2026-11-25T00:00:00Z */
#define AT(h, m) ((gint64)DAY0 + (h)*3600 + (m)*60)

static GTestDBus *test_bus = NULL;

/* @locale ("uk_UA.UTF-8") for LC_MESSAGES, compiled with localedef into the build tree (no
 * root needed: the test environment has only C.UTF-8); FALSE when it cannot be had. It is
 * compiled before glibc is asked for it: glibc remembers a locale it did not find. */
static gboolean
use_messages_locale(const char *locale)
{
	g_autofree char *root = g_build_filename(SR_BUILD_ROOT, "tests", "test-locales", NULL);
	g_autofree char *dir = g_build_filename(root, locale, NULL);
	g_autofree char *input = g_strndup(locale, strcspn(locale, "."));

	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		/* built aside and renamed: tests running at the same time never see half of it */
		g_autofree char *tmp = g_strdup_printf("%s.%d", dir, (int)getpid());
		const char *argv[] = {"localedef", "-i", input, "-f", "UTF-8", tmp, NULL};
		g_mkdir_with_parents(root, 0755);
		g_spawn_sync(NULL, (char **)argv, NULL,
		             G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
		                 G_SPAWN_STDERR_TO_DEV_NULL,
		             NULL, NULL, NULL, NULL, NULL, NULL);
		if (g_rename(tmp, dir) != 0) {
			const char *rm[] = {"rm", "-rf", tmp, NULL};
			g_spawn_sync(NULL, (char **)rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
			             NULL, NULL, NULL);
		}
	}
	if (g_file_test(dir, G_FILE_TEST_IS_DIR))
		g_setenv("LOCPATH", root, TRUE);
	return setlocale(LC_MESSAGES, locale) != NULL;
}

typedef struct {
	SrTestNotifyd *server;
	SrNotifier *notifier;
	GPtrArray *alerts; /* of SrAlert*, freed at the end */
	SrNotifySettings settings;
	SrCatalog *catalog; /* a catalog of the test's own, or NULL for the shipped one */
} Fixture;

/* a few Israeli regions in the shape of data/regions-il.json: the country, two zones, areas
 * with a time to shelter of 90 s, 15 s and 0 s (immediately), and one whose time is unknown */
static const char catalog_il[] =
    "{\"regions\":["
    "{\"id\":\"all\",\"level\":\"country\",\"parent\":null,\"name\":\"ישראל\","
    "\"name_en\":\"Israel\",\"aliases\":[],\"shelter_seconds\":null},"
    "{\"id\":\"zone-dan\",\"level\":\"zone\",\"parent\":\"all\",\"name\":\"דן\","
    "\"name_en\":\"Dan\"},"
    "{\"id\":\"5\",\"level\":\"area\",\"parent\":\"zone-dan\","
    "\"name\":\"תל אביב - מרכז העיר\",\"name_en\":\"Tel Aviv - City Center\","
    "\"aliases\":[],\"shelter_seconds\":90},"
    "{\"id\":\"3\",\"level\":\"area\",\"parent\":\"zone-dan\",\"name\":\"רמת גן - מערב\","
    "\"name_en\":\"Ramat Gan - West\",\"aliases\":[],\"shelter_seconds\":null},"
    "{\"id\":\"zone-gaza-envelope\",\"level\":\"zone\",\"parent\":\"all\","
    "\"name\":\"עוטף עזה\",\"name_en\":\"Gaza Envelope\"},"
    "{\"id\":\"1\",\"level\":\"area\",\"parent\":\"zone-gaza-envelope\",\"name\":\"שדרות\","
    "\"name_en\":\"Sderot\",\"aliases\":[],\"shelter_seconds\":15},"
    "{\"id\":\"2\",\"level\":\"area\",\"parent\":\"zone-gaza-envelope\","
    "\"name\":\"כפר עזה\",\"name_en\":\"Kfar Aza\",\"aliases\":[],\"shelter_seconds\":0}"
    "]}";

static void
alert_free(SrAlert *alert)
{
	g_free(alert->key);
	sr_event_unref(alert->event);
	g_ptr_array_unref(alert->sources);
	g_ptr_array_unref(alert->events);
	g_free(alert);
}

/* a fused alert at @region as the engine makes it, reported by @sources, started a minute
 * before T0 */
static SrAlert *
make_alert_from(Fixture *fx, const char *region, SrKind kind, SrSeverity severity,
                const char *const *sources)
{
	SrAlert *alert = g_new0(SrAlert, 1);

	alert->key = g_strdup_printf("%s:%s", region, sr_kind_to_string(kind));
	alert->event = sr_event_new("sirena", alert->key);
	alert->event->kind = kind;
	alert->event->phase = SR_PHASE_ACTIVE;
	alert->event->status = SR_STATUS_ACTUAL;
	alert->event->severity = severity;
	alert->event->urgency = SR_URGENCY_IMMEDIATE;
	alert->event->certainty = SR_CERTAINTY_OBSERVED;
	alert->event->started_at = T0 - 60;
	alert->event->updated_at = T0 - 60;
	sr_event_add_region(alert->event, region);
	alert->sources = g_ptr_array_new_with_free_func(g_free);
	alert->events = g_ptr_array_new_with_free_func((GDestroyNotify)sr_event_unref);
	for (guint i = 0; sources[i] != NULL; i++) {
		g_autofree char *id = g_strdup_printf("%s:%u", sources[i], i + 1);
		SrEvent *event = sr_event_new(sources[i], id);
		event->kind = kind;
		event->severity = severity;
		event->started_at = alert->event->started_at;
		sr_event_add_region(event, region);
		g_ptr_array_add(alert->sources, g_strdup(sources[i]));
		g_ptr_array_add(alert->events, event);
	}
	g_ptr_array_add(fx->alerts, alert);
	return alert;
}

/* reported by the two Ukrainian sources */
static SrAlert *
make_alert(Fixture *fx, const char *region, SrKind kind, SrSeverity severity)
{
	static const char *const sources[] = {"alerts_in_ua", "ukraine_alarm", NULL};
	return make_alert_from(fx, region, kind, severity, sources);
}

/* a Pikud HaOref alert in @phase */
static SrAlert *
make_oref_alert(Fixture *fx, const char *region, SrKind kind, SrPhase phase)
{
	static const char *const sources[] = {"oref", NULL};
	SrAlert *alert = make_alert_from(fx, region, kind, SR_SEVERITY_EXTREME, sources);
	alert->event->phase = phase;
	for (guint i = 0; i < alert->events->len; i++) {
		SrEvent *event = g_ptr_array_index(alert->events, i);
		event->phase = phase;
	}
	return alert;
}

static guint32
handle(Fixture *fx, SrChangeType type, const SrAlert *alert, guint32 known_id, gint64 now)
{
	SrChange change = {.type = type, .at = now, .alert = alert};
	return sr_notifier_handle_change(fx->notifier, &change, known_id, now);
}

static guint32
handle_ended(Fixture *fx, const SrAlert *alert, const char *reason, gint64 now)
{
	SrChange change = {.type = SR_CHANGE_ENDED, .at = now, .alert = alert, .reason = reason};
	return sr_notifier_handle_change(fx->notifier, &change, 0, now);
}

static guint32
handle_source(Fixture *fx, const char *name, SrSourceState state, gint64 down_since,
              const char *error, gint64 now)
{
	SrSourceHealth health = {.name = (char *)name,
	                         .type = (char *)"alerts_in_ua",
	                         .state = state,
	                         .down_since = down_since,
	                         .error = (char *)error};
	SrChange change = {.type = SR_CHANGE_SOURCE, .at = now, .source = &health};
	return sr_notifier_handle_change(fx->notifier, &change, 0, now);
}

static void
set_subscriptions(Fixture *fx, const char *first, ...)
{
	g_autoptr(GPtrArray) ids = g_ptr_array_new();
	va_list args;
	va_start(args, first);
	for (const char *id = first; id != NULL; id = va_arg(args, const char *))
		g_ptr_array_add(ids, (gpointer)id);
	va_end(args);
	sr_notifier_set_subscriptions(fx->notifier, ids);
}

static void
apply_settings(Fixture *fx)
{
	sr_notifier_set_settings(fx->notifier, &fx->settings);
}

/* a notifier for the Israeli catalog, for a user in Tel Aviv */
static void
use_israel(Fixture *fx)
{
	g_autoptr(GError) error = NULL;

	fx->catalog = sr_catalog_new();
	g_assert_true(
	    sr_catalog_load_data(fx->catalog, catalog_il, strlen(catalog_il), "il", &error));
	g_assert_no_error(error);
	sr_notifier_free(fx->notifier);
	fx->notifier = sr_notifier_new("Sirena", fx->catalog);
	apply_settings(fx);
	set_subscriptions(fx, "il:5", NULL);
}

static gboolean
has_action(const SrTestNotifyCall *call, const char *key, const char *label)
{
	for (guint i = 0;
	     call->actions != NULL && call->actions[i] != NULL && call->actions[i + 1] != NULL;
	     i += 2) {
		if (g_strcmp0(call->actions[i], key) == 0)
			return label == NULL || g_strcmp0(call->actions[i + 1], label) == 0;
	}
	return FALSE;
}

static const char *const caps_plain[] = {"body", NULL};

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	const char *const *caps = data;
	fx->server = sr_test_notifyd_new(g_test_dbus_get_bus_address(test_bus), caps);
	fx->notifier = sr_notifier_new("Sirena", sr_test_catalog());
	fx->alerts = g_ptr_array_new_with_free_func((GDestroyNotify)alert_free);
	sr_notify_settings_init(&fx->settings);
	set_subscriptions(fx, "ua:31", NULL);
}

/* no notification server on the bus */
static void
fixture_setup_no_server(Fixture *fx, gconstpointer data)
{
	fx->notifier = sr_notifier_new("Sirena", sr_test_catalog());
	fx->alerts = g_ptr_array_new_with_free_func((GDestroyNotify)alert_free);
	sr_notify_settings_init(&fx->settings);
	set_subscriptions(fx, "ua:31", NULL);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	sr_notifier_free(fx->notifier);
	sr_test_notifyd_free(fx->server);
	g_ptr_array_unref(fx->alerts);
	sr_catalog_free(fx->catalog);
}

static void
test_settings_defaults(void)
{
	static const SrKind loud_bypass[] = {SR_KIND_AIR_RAID, SR_KIND_MISSILE, SR_KIND_NUCLEAR,
	                                     SR_KIND_CHEMICAL, SR_KIND_TSUNAMI};
	static const SrKind loud[] = {SR_KIND_ARTILLERY,  SR_KIND_URBAN_FIGHTS,
	                              SR_KIND_UAV,        SR_KIND_HAZMAT,
	                              SR_KIND_EARTHQUAKE, SR_KIND_INFILTRATION};
	static const SrKind normal[] = {SR_KIND_WEATHER, SR_KIND_FLOOD, SR_KIND_FIRE,
	                                SR_KIND_HEALTH,  SR_KIND_CIVIL, SR_KIND_OTHER,
	                                SR_KIND_UNKNOWN};
	SrNotifySettings settings;
	SrNotifyUrgency urgency = SR_NOTIFY_URGENCY_LOW;

	sr_notify_settings_init(&settings);
	g_assert_true(settings.sound);
	g_assert_false(settings.has_quiet_hours);
	for (guint i = 0; i < G_N_ELEMENTS(loud_bypass); i++) {
		const SrNotifyRule *rule = &settings.rules[loud_bypass[i]];
		g_assert_true(rule->notify);
		g_assert_cmpint(rule->urgency, ==, SR_NOTIFY_URGENCY_CRITICAL);
		g_assert_true(rule->sound);
		g_assert_true(rule->bypass_quiet);
	}
	for (guint i = 0; i < G_N_ELEMENTS(loud); i++) {
		const SrNotifyRule *rule = &settings.rules[loud[i]];
		g_assert_true(rule->notify);
		g_assert_cmpint(rule->urgency, ==, SR_NOTIFY_URGENCY_CRITICAL);
		g_assert_true(rule->sound);
		g_assert_false(rule->bypass_quiet);
	}
	for (guint i = 0; i < G_N_ELEMENTS(normal); i++) {
		const SrNotifyRule *rule = &settings.rules[normal[i]];
		g_assert_true(rule->notify);
		g_assert_cmpint(rule->urgency, ==, SR_NOTIFY_URGENCY_NORMAL);
		g_assert_false(rule->sound);
		g_assert_false(rule->bypass_quiet);
	}
	g_assert_cmpuint(G_N_ELEMENTS(loud_bypass) + G_N_ELEMENTS(loud) + G_N_ELEMENTS(normal), ==,
	                 SR_KIND_LAST);

	g_assert_true(sr_notify_urgency_from_string("low", &urgency));
	g_assert_cmpint(urgency, ==, SR_NOTIFY_URGENCY_LOW);
	g_assert_true(sr_notify_urgency_from_string("normal", &urgency));
	g_assert_cmpint(urgency, ==, SR_NOTIFY_URGENCY_NORMAL);
	g_assert_true(sr_notify_urgency_from_string("Critical", &urgency));
	g_assert_cmpint(urgency, ==, SR_NOTIFY_URGENCY_CRITICAL);
	g_assert_false(sr_notify_urgency_from_string("urgent", &urgency));
	g_assert_false(sr_notify_urgency_from_string("", &urgency));
	g_assert_false(sr_notify_urgency_from_string(NULL, &urgency));
}

/* a weather warning is normal and silent, unless it is extreme; the master switch wins */
static void
test_extreme(Fixture *fx, gconstpointer data)
{
	const SrAlert *moderate = make_alert(fx, "ua:31", SR_KIND_WEATHER, SR_SEVERITY_MODERATE);
	const SrAlert *extreme = make_alert(fx, "ua:14", SR_KIND_WEATHER, SR_SEVERITY_EXTREME);
	const SrAlert *air_raid = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	const SrTestNotifyCall *call = NULL;

	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, moderate, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpint(call->urgency, ==, 1);
	g_assert_null(call->sound_name);
	g_assert_true(call->suppress_sound);
	g_assert_false(call->resident);
	g_assert_cmpint(call->expire_timeout, ==, -1);
	g_assert_cmpstr(call->summary, ==, "Weather warning — Kyiv City");

	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, extreme, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpint(call->urgency, ==, 2);
	g_assert_cmpstr(call->sound_name, ==, "alarm-clock-elapsed");
	g_assert_false(call->suppress_sound);
	g_assert_true(call->resident);
	g_assert_cmpint(call->expire_timeout, ==, 0);

	fx->settings.sound = FALSE;
	apply_settings(fx);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, air_raid, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpint(call->urgency, ==, 2);
	g_assert_null(call->sound_name);
	g_assert_true(call->suppress_sound);
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "Notify"), ==, 3);
}

/* [notify artillery] notify=false: nothing; a muted kind that was shown still gets its end */
static void
test_muted(Fixture *fx, gconstpointer data)
{
	const SrAlert *artillery = make_alert(fx, "ua:31", SR_KIND_ARTILLERY, SR_SEVERITY_EXTREME);
	const SrAlert *air_raid = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	const SrTestNotifyCall *call = NULL;
	guint32 id = 0;

	fx->settings.rules[SR_KIND_ARTILLERY].notify = FALSE;
	apply_settings(fx);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, artillery, 0, T0), ==, 0);
	g_assert_cmpuint(handle(fx, SR_CHANGE_ENDED, artillery, 0, T0 + 600), ==, 0);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->server), ==, 0);

	id = handle(fx, SR_CHANGE_STARTED, air_raid, 0, T0);
	g_assert_cmpuint(id, !=, 0);
	fx->settings.rules[SR_KIND_AIR_RAID].notify = FALSE;
	apply_settings(fx);
	/* muted now: not shown again, but it is still what shows the alert */
	g_assert_cmpuint(handle(fx, SR_CHANGE_UPDATED, air_raid, 0, T0 + 60), ==, id);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->server), ==, 1);
	g_assert_cmpuint(handle(fx, SR_CHANGE_ENDED, air_raid, 0, T0 + 600), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "CloseNotification");
	g_assert_cmpuint(call->id, ==, id);
	g_assert_true(call->known);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "All clear — Kyiv City");
}

static void
test_started(Fixture *fx, gconstpointer data)
{
	SrAlert *alert = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	SrChange change = {.type = SR_CHANGE_STARTED, .at = T0, .alert = alert};
	const SrTestNotifyCall *call = NULL;
	g_autofree char *summary = NULL;
	g_autofree char *body = NULL;
	guint32 id = 0;

	sr_event_set_text(&alert->event->description, "Загроза <b>&\"");
	id = handle(fx, SR_CHANGE_STARTED, alert, 0, T0);
	g_assert_cmpuint(id, !=, 0);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->server), ==, 1);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpuint(call->id, ==, id);
	g_assert_cmpuint(call->replaces_id, ==, 0);
	g_assert_true(sr_test_notifyd_is_open(fx->server, id));
	g_assert_cmpstr(call->app_name, ==, "Sirena");
	g_assert_cmpstr(call->summary, ==, "Air raid alert — Kyiv City");
	g_assert_cmpstr(call->body, ==,
	                "since 06:11 (local time) · sources: alerts_in_ua, ukraine_alarm\n"
	                "Загроза &lt;b&gt;&amp;&quot;");
	g_assert_cmpint(call->urgency, ==, 2);
	g_assert_true(call->resident);
	g_assert_cmpint(call->expire_timeout, ==, 0);
	g_assert_cmpstr(call->sound_name, ==, "alarm-clock-elapsed");
	g_assert_false(call->suppress_sound);
	g_assert_cmpstr(call->category, ==, "x-sirena.alert");
	g_assert_cmpstr(call->desktop_entry, ==, "org.sirena.Sirena");
	g_assert_true(has_action(call, "snooze", "Snooze 1 h"));
	g_assert_false(has_action(call, "details", NULL));

	/* what sr_notifier_format() says is what was sent */
	sr_notifier_format(fx->notifier, &change, T0, &summary, &body);
	g_assert_cmpstr(summary, ==, call->summary);
	g_assert_cmpstr(body, ==, call->body);
}

/* a baseline start is shown, marked as already going on; an older start shows its date */
static void
test_baseline(Fixture *fx, gconstpointer data)
{
	SrAlert *alert = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	SrChange change = {.type = SR_CHANGE_STARTED, .at = T0, .alert = alert, .baseline = TRUE};
	const SrTestNotifyCall *call = NULL;

	alert->event->started_at = T0 - 3 * 86400 - 60;
	g_assert_cmpuint(sr_notifier_handle_change(fx->notifier, &change, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->body, ==,
	                "since 2026-11-22 06:11 (local time) (already going on) · sources: "
	                "alerts_in_ua, ukraine_alarm");
}

/* hostile upstream text: escaped, cut on a character boundary before escaping, made valid */
static void
test_text_hostile(Fixture *fx, gconstpointer data)
{
	SrAlert *alert = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	SrAlert *unknown = make_alert(fx, "ua:99999", SR_KIND_UAV, SR_SEVERITY_EXTREME);
	g_autoptr(GString) long_text = g_string_new(NULL);
	g_auto(GStrv) parts = NULL;
	g_autofree char *unescaped = NULL;
	const SrTestNotifyCall *call = NULL;

	/* two bytes a character: a byte count would cut one in half */
	for (guint i = 0; i < 1000; i++)
		g_string_append(long_text, "Ї");
	sr_event_set_text(&alert->event->description, long_text->str);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_true(g_utf8_validate(call->body, -1, NULL));
	g_assert_cmpint(g_utf8_strlen(call->body, -1), ==, 400);
	g_assert_true(g_str_has_suffix(call->body, "ЇЇ…"));

	/* entities are never cut: the text is cut first */
	g_string_truncate(long_text, 0);
	for (guint i = 0; i < 1000; i++)
		g_string_append_c(long_text, '&');
	sr_event_set_text(&alert->event->description, long_text->str);
	g_assert_cmpuint(handle(fx, SR_CHANGE_UPDATED, alert, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_true(g_str_has_suffix(call->body, "&amp;&amp;…"));
	parts = g_strsplit(call->body, "&amp;", -1);
	unescaped = g_strjoinv("&", parts);
	g_assert_cmpint(g_utf8_strlen(unescaped, -1), ==, 400);

	/* invalid UTF-8 and control characters, in the body and in an unknown region's name */
	sr_event_set_text(&alert->event->description, "a\xff\xfe b\x01\x1b[31mc\r\nd");
	g_assert_cmpuint(handle(fx, SR_CHANGE_UPDATED, alert, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_true(g_utf8_validate(call->body, -1, NULL));
	g_assert_null(strchr(call->body, '\x1b'));
	g_assert_null(strchr(call->body, '\x01'));
	g_assert_null(strchr(call->body, '\r'));
	g_assert_nonnull(strstr(call->body, "c \nd"));

	sr_event_set_text(&unknown->event->area.description, "Десь <там>\nі\tтут");
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, unknown, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	/* the summary is plain text: not escaped, on one line */
	g_assert_cmpstr(call->summary, ==,
	                "Hostile aircraft (drones) — Десь <там> і тут (ua:99999)");
}

static void
test_updated(Fixture *fx, gconstpointer data)
{
	SrAlert *alert = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_SEVERE);
	const SrTestNotifyCall *call = NULL;
	guint32 id = handle(fx, SR_CHANGE_STARTED, alert, 0, T0);

	g_assert_cmpuint(id, !=, 0);
	alert->event->severity = SR_SEVERITY_EXTREME;
	sr_event_set_text(&alert->event->description, "Ракетна небезпека");
	g_assert_cmpuint(handle(fx, SR_CHANGE_UPDATED, alert, 0, T0 + 60), ==, id);
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "Notify"), ==, 2);
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "CloseNotification"), ==, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpuint(call->replaces_id, ==, id);
	g_assert_true(call->known);
	g_assert_cmpuint(call->id, ==, id);
	g_assert_nonnull(strstr(call->body, "Ракетна небезпека"));
}

static void
test_ended(Fixture *fx, gconstpointer data)
{
	SrAlert *alert = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	SrAlert *never_shown = make_alert(fx, "ua:14", SR_KIND_ARTILLERY, SR_SEVERITY_EXTREME);
	SrChange change = {.type = SR_CHANGE_ENDED, .at = T0 + 3000, .alert = alert};
	const SrTestNotifyCall *call = NULL;
	g_autofree char *summary = NULL;
	g_autofree char *body = NULL;
	guint32 id = handle(fx, SR_CHANGE_STARTED, alert, 0, T0);
	guint32 all_clear = 0;

	g_assert_cmpuint(id, !=, 0);
	all_clear = handle(fx, SR_CHANGE_ENDED, alert, 0, T0 + 3000);
	g_assert_cmpuint(all_clear, !=, 0);
	g_assert_cmpuint(all_clear, !=, id);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->server), ==, 3);
	call = sr_test_notifyd_get_call(fx->server, 1);
	g_assert_cmpstr(call->method, ==, "CloseNotification");
	g_assert_cmpuint(call->id, ==, id);
	g_assert_true(call->known);
	g_assert_false(sr_test_notifyd_is_open(fx->server, id));
	call = sr_test_notifyd_get_call(fx->server, 2);
	g_assert_cmpstr(call->method, ==, "Notify");
	g_assert_cmpuint(call->id, ==, all_clear);
	g_assert_cmpuint(call->replaces_id, ==, 0);
	g_assert_cmpstr(call->summary, ==, "All clear — Kyiv City");
	g_assert_cmpstr(call->body, ==, "Air raid alert ended at 07:02 (lasted 51 min)");
	g_assert_cmpint(call->urgency, ==, 1);
	g_assert_false(call->resident);
	g_assert_cmpint(call->expire_timeout, ==, -1);
	g_assert_cmpstr(call->category, ==, "x-sirena.all-clear");
	/* the air raid rule asks for a sound, so its end is heard too */
	g_assert_cmpstr(call->sound_name, ==, "message-new-instant");
	g_assert_null(call->actions[0]);
	sr_notifier_format(fx->notifier, &change, T0 + 3000, &summary, &body);
	g_assert_cmpstr(summary, ==, call->summary);
	g_assert_cmpstr(body, ==, call->body);

	/* an alert nobody was shown gets no all-clear */
	g_assert_cmpuint(handle(fx, SR_CHANGE_ENDED, never_shown, 0, T0 + 3000), ==, 0);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->server), ==, 3);

	/* the alert is back: the all-clear goes, a new notification comes */
	id = handle(fx, SR_CHANGE_STARTED, alert, 0, T0 + 4000);
	g_assert_cmpuint(id, !=, 0);
	g_assert_false(sr_test_notifyd_is_open(fx->server, all_clear));
	call = sr_test_notifyd_get_last(fx->server, "CloseNotification");
	g_assert_cmpuint(call->id, ==, all_clear);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpuint(call->replaces_id, ==, 0);
	g_assert_cmpstr(call->summary, ==, "Air raid alert — Kyiv City");
}

/* Sirena restarted: the id from the store is replaced by an update and closed at the end */
static void
test_known_id(Fixture *fx, gconstpointer data)
{
	const SrAlert *alert = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	const SrTestNotifyCall *call = NULL;
	guint32 id = handle(fx, SR_CHANGE_STARTED, alert, 0, T0);

	g_assert_cmpuint(id, !=, 0);
	sr_notifier_free(fx->notifier);
	fx->notifier = sr_notifier_new("Sirena", sr_test_catalog());
	g_assert_cmpuint(handle(fx, SR_CHANGE_UPDATED, alert, id, T0 + 60), ==, id);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpuint(call->replaces_id, ==, id);
	g_assert_true(call->known);

	sr_notifier_free(fx->notifier);
	fx->notifier = sr_notifier_new("Sirena", sr_test_catalog());
	g_assert_cmpuint(handle(fx, SR_CHANGE_ENDED, alert, id, T0 + 600), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "CloseNotification");
	g_assert_cmpuint(call->id, ==, id);
	g_assert_true(call->known);
	g_assert_false(sr_test_notifyd_is_open(fx->server, id));
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "All clear — Kyiv City");
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->server), ==, 4);
}

static void
test_source(Fixture *fx, gconstpointer data)
{
	const SrTestNotifyCall *call = NULL;
	guint32 down = handle_source(fx, "alerts_in_ua", SR_SOURCE_STATE_STALE, T0 - 30,
	                             "timed out after 15 s", T0);
	guint32 back = 0;

	g_assert_cmpuint(down, !=, 0);
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "Notify"), ==, 1);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpint(call->urgency, ==, 0);
	g_assert_cmpstr(call->summary, ==, "Alerts may be missed");
	g_assert_cmpstr(call->body, ==,
	                "alerts_in_ua unreachable since 06:12 (timed out after 15 s). Its last "
	                "alerts are kept.");
	g_assert_cmpstr(call->category, ==, "x-sirena.source");
	g_assert_null(call->sound_name);
	g_assert_true(call->suppress_sound);
	g_assert_false(call->resident);
	g_assert_null(call->actions[0]);

	back = handle_source(fx, "alerts_in_ua", SR_SOURCE_STATE_OK, 0, NULL, T0 + 600);
	g_assert_cmpuint(back, ==, down);
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "Notify"), ==, 2);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpuint(call->replaces_id, ==, down);
	g_assert_cmpint(call->urgency, ==, 0);
	g_assert_cmpstr(call->summary, ==, "alerts_in_ua is back");
	g_assert_cmpstr(call->body, ==,
	                "Alerts from it are current again. It was down since 06:12.");

	/* a source that never answered */
	g_assert_cmpuint(handle_source(fx, "ukraine_alarm", SR_SOURCE_STATE_ERROR, 0,
	                               "the API key was refused", T0),
	                 !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->body, ==,
	                "ukraine_alarm failing since 06:12 (the API key was refused). Its last "
	                "alerts are kept.");
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "Notify"), ==, 3);
}

static void
test_quiet_hours(Fixture *fx, gconstpointer data)
{
	const SrAlert *artillery = make_alert(fx, "ua:31", SR_KIND_ARTILLERY, SR_SEVERITY_EXTREME);
	const SrAlert *air_raid = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	const SrTestNotifyCall *call = NULL;

	g_assert_false(sr_notifier_in_quiet_hours(fx->notifier, T0));
	fx->settings.has_quiet_hours = TRUE;
	fx->settings.quiet_start = 22 * 60;
	fx->settings.quiet_end = 7 * 60;
	apply_settings(fx);
	g_assert_false(sr_notifier_in_quiet_hours(fx->notifier, AT(21, 59)));
	g_assert_true(sr_notifier_in_quiet_hours(fx->notifier, AT(22, 0)));
	g_assert_true(sr_notifier_in_quiet_hours(fx->notifier, AT(0, 0)));
	g_assert_true(sr_notifier_in_quiet_hours(fx->notifier, T0));
	g_assert_true(sr_notifier_in_quiet_hours(fx->notifier, AT(6, 59)));
	g_assert_false(sr_notifier_in_quiet_hours(fx->notifier, AT(7, 0)));
	g_assert_false(sr_notifier_in_quiet_hours(fx->notifier, AT(12, 0)));

	/* not shown during quiet hours, unless the rule bypasses them */
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, artillery, 0, T0), ==, 0);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->server), ==, 0);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, air_raid, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->sound_name, ==, "alarm-clock-elapsed");
	/* after them, shown */
	g_assert_cmpuint(handle(fx, SR_CHANGE_UPDATED, artillery, 0, AT(8, 0)), !=, 0);
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "Notify"), ==, 2);
	/* its end during the next quiet hours: shown, as the alert was, but not heard */
	g_assert_cmpuint(handle(fx, SR_CHANGE_ENDED, artillery, 0, AT(23, 0)), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "All clear — Kyiv City");
	g_assert_null(call->sound_name);
	g_assert_true(call->suppress_sound);

	/* a rule of the user's own that bypasses them */
	fx->settings.rules[SR_KIND_ARTILLERY].bypass_quiet = TRUE;
	apply_settings(fx);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, artillery, 0, AT(23, 30)), !=, 0);
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "Notify"), ==, 4);

	/* a window that does not wrap, and an empty one */
	fx->settings.quiet_start = 13 * 60;
	fx->settings.quiet_end = 14 * 60;
	apply_settings(fx);
	g_assert_false(sr_notifier_in_quiet_hours(fx->notifier, AT(12, 59)));
	g_assert_true(sr_notifier_in_quiet_hours(fx->notifier, AT(13, 30)));
	g_assert_false(sr_notifier_in_quiet_hours(fx->notifier, AT(14, 0)));
	fx->settings.quiet_start = fx->settings.quiet_end = 13 * 60;
	apply_settings(fx);
	g_assert_false(sr_notifier_in_quiet_hours(fx->notifier, AT(13, 0)));
}

static void
test_snooze(Fixture *fx, gconstpointer data)
{
	const SrAlert *artillery = make_alert(fx, "ua:31", SR_KIND_ARTILLERY, SR_SEVERITY_EXTREME);
	const SrAlert *uav = make_alert(fx, "ua:31", SR_KIND_UAV, SR_SEVERITY_EXTREME);
	const SrAlert *air_raid = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	const SrTestNotifyCall *call = NULL;

	/* shown before the snooze */
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, artillery, 0, T0), !=, 0);
	sr_notifier_snooze(fx->notifier, T0 + 3600);
	g_assert_cmpint(sr_notifier_get_snoozed_until(fx->notifier, T0), ==, T0 + 3600);
	g_assert_cmpint(sr_notifier_get_snoozed_until(fx->notifier, T0 + 3599), ==, T0 + 3600);

	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, uav, 0, T0 + 60), ==, 0);
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "Notify"), ==, 1);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, air_raid, 0, T0 + 60), !=, 0);
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "Notify"), ==, 2);
	/* the all-clear of an alert that was shown comes through, quietly */
	g_assert_cmpuint(handle(fx, SR_CHANGE_ENDED, artillery, 0, T0 + 120), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "All clear — Kyiv City");
	g_assert_null(call->sound_name);
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "CloseNotification"), ==, 1);
	/* of a bypassing one, heard */
	g_assert_cmpuint(handle(fx, SR_CHANGE_ENDED, air_raid, 0, T0 + 180), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->sound_name, ==, "message-new-instant");

	/* resumes by itself */
	g_assert_cmpint(sr_notifier_get_snoozed_until(fx->notifier, T0 + 3600), ==, 0);
	g_assert_cmpuint(handle(fx, SR_CHANGE_UPDATED, uav, 0, T0 + 3600), !=, 0);
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "Notify"), ==, 5);

	/* and can be cancelled */
	sr_notifier_snooze(fx->notifier, T0 + 86400);
	g_assert_cmpint(sr_notifier_get_snoozed_until(fx->notifier, T0), ==, T0 + 86400);
	sr_notifier_snooze(fx->notifier, 0);
	g_assert_cmpint(sr_notifier_get_snoozed_until(fx->notifier, T0), ==, 0);
}

typedef struct {
	gboolean called;
	gint64 until;
	SrNotifier *notifier;
} SnoozeData;

static void
snooze_cb(SrNotifier *notifier, gint64 until, gpointer user_data)
{
	SnoozeData *data = user_data;
	g_assert_true(notifier == data->notifier);
	data->called = TRUE;
	data->until = until;
}

static void
test_actions(Fixture *fx, gconstpointer data)
{
	SrAlert *alert = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	SrAlert *hostile = make_alert(fx, "ua:14", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	SnoozeData snooze = {FALSE, 0, fx->notifier};
	const SrTestNotifyCall *call = NULL;
	gint64 before = 0;
	gint64 after = 0;
	guint32 id = 0;

	sr_notifier_set_snooze_func(fx->notifier, snooze_cb, &snooze);
	sr_event_set_text(&alert->event->web, "https://alerts.in.ua/");
	id = handle(fx, SR_CHANGE_STARTED, alert, 0, T0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_true(has_action(call, "snooze", "Snooze 1 h"));
	g_assert_true(has_action(call, "details", "Details"));

	/* a link that is not a web page is never offered */
	sr_event_set_text(&hostile->event->web, "file:///etc/passwd");
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, hostile, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_true(has_action(call, "snooze", NULL));
	g_assert_false(has_action(call, "details", NULL));

	before = g_get_real_time() / G_USEC_PER_SEC;
	sr_test_notifyd_invoke_action(fx->server, id, "snooze");
	sr_test_wait_for(&snooze.called, 5000);
	after = g_get_real_time() / G_USEC_PER_SEC;
	g_assert_cmpint(snooze.until, >=, before + 3600);
	g_assert_cmpint(snooze.until, <=, after + 3600);
	g_assert_cmpint(sr_notifier_get_snoozed_until(fx->notifier, before), ==, snooze.until);
	/* the notification stays: it is resident */
	g_assert_true(sr_test_notifyd_is_open(fx->server, id));
}

/* a server without actions or body markup gets neither */
static void
test_plain_server(Fixture *fx, gconstpointer data)
{
	SrAlert *alert = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	const SrTestNotifyCall *call = NULL;

	sr_event_set_text(&alert->event->description, "<b>&\"");
	sr_event_set_text(&alert->event->web, "https://alerts.in.ua/");
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_null(call->actions[0]);
	g_assert_true(g_str_has_suffix(call->body, "\n<b>&\""));
}

/* the user dismissed it: an update shows it again, the end needs no close but an all-clear */
static void
test_dismissed(Fixture *fx, gconstpointer data)
{
	SrAlert *alert = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_SEVERE);
	const SrTestNotifyCall *call = NULL;
	guint32 id = handle(fx, SR_CHANGE_STARTED, alert, 0, T0);
	guint32 id2 = 0;

	sr_test_notifyd_dismiss(fx->server, id);
	alert->event->severity = SR_SEVERITY_EXTREME;
	id2 = handle(fx, SR_CHANGE_UPDATED, alert, 0, T0 + 60);
	g_assert_cmpuint(id2, !=, 0);
	g_assert_cmpuint(id2, !=, id);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpuint(call->replaces_id, ==, 0);

	sr_test_notifyd_dismiss(fx->server, id2);
	g_assert_cmpuint(handle(fx, SR_CHANGE_ENDED, alert, 0, T0 + 600), !=, 0);
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "CloseNotification"), ==, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "All clear — Kyiv City");
}

/* every call of run @generation of the server names only ids of that run */
static void
assert_no_stale_ids(SrTestNotifyd *server)
{
	for (guint i = 0; i < sr_test_notifyd_get_n_calls(server); i++) {
		const SrTestNotifyCall *call = sr_test_notifyd_get_call(server, i);
		guint32 low = (call->generation - 1) * 1000000;
		if (call->replaces_id != 0)
			g_assert_cmpuint(call->replaces_id, >, low);
		g_assert_cmpuint(call->id, >, low);
		if (g_strcmp0(call->method, "CloseNotification") == 0)
			g_assert_true(call->known);
	}
}

/* the server restarts while an alert is showing: it is shown again (quietly) on the new one,
 * and its end closes that one */
static void
test_server_restart(Fixture *fx, gconstpointer data)
{
	const SrAlert *alert = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	const SrAlert *other = make_alert(fx, "ua:14", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	const SrTestNotifyCall *call = NULL;
	guint32 id = handle(fx, SR_CHANGE_STARTED, alert, 0, T0);
	guint32 id2 = 0;
	guint32 all_clear = 0;

	g_assert_cmpuint(id, !=, 0);
	g_assert_cmpuint(
	    handle_source(fx, "alerts_in_ua", SR_SOURCE_STATE_STALE, T0, "timed out", T0), !=, 0);
	sr_test_notifyd_restart(fx->server);
	g_assert_cmpuint(sr_test_notifyd_get_generation(fx->server), ==, 2);
	/* both are still true: shown again, without a second alarm */
	sr_test_notifyd_wait_calls(fx->server, 4, 5000);
	for (guint i = 2; i < 4; i++) {
		call = sr_test_notifyd_get_call(fx->server, i);
		g_assert_cmpstr(call->method, ==, "Notify");
		g_assert_cmpuint(call->generation, ==, 2);
		g_assert_cmpuint(call->replaces_id, ==, 0);
		g_assert_null(call->sound_name);
		g_assert_true(call->suppress_sound);
		if (g_strcmp0(call->summary, "Air raid alert — Kyiv City") == 0)
			id2 = call->id;
	}
	g_assert_cmpuint(id2, >, 1000000);

	/* an update replaces the new one; a new alert gets a new id */
	g_assert_cmpuint(handle(fx, SR_CHANGE_UPDATED, alert, 0, T0 + 60), ==, id2);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->sound_name, ==, "alarm-clock-elapsed");
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, other, 0, T0 + 60), >, 1000000);

	all_clear = handle(fx, SR_CHANGE_ENDED, alert, 0, T0 + 600);
	g_assert_cmpuint(all_clear, >, 1000000);
	call = sr_test_notifyd_get_last(fx->server, "CloseNotification");
	g_assert_cmpuint(call->id, ==, id2);
	g_assert_cmpuint(call->generation, ==, 2);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "All clear — Kyiv City");
	g_assert_cmpuint(call->generation, ==, 2);
	assert_no_stale_ids(fx->server);

	/* a new notifier, and one more restart */
	sr_notifier_free(fx->notifier);
	fx->notifier = sr_notifier_new("Sirena", sr_test_catalog());
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0 + 700), >, 1000000);
	sr_test_notifyd_restart(fx->server);
	g_assert_cmpuint(handle(fx, SR_CHANGE_ENDED, alert, 0, T0 + 800), >, 2000000);
	assert_no_stale_ids(fx->server);
}

/* the server restarts, and the alert ends before this process has heard of it (the bus' news
 * and the change come together): no stale id reaches the new server, and the all-clear
 * arrives */
static void
test_server_restart_unnoticed(Fixture *fx, gconstpointer data)
{
	const SrAlert *alert = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	const SrTestNotifyCall *call = NULL;
	guint32 id = handle(fx, SR_CHANGE_STARTED, alert, 0, T0);
	guint cannot = sr_test_count_messages("cannot show desktop notifications");

	g_assert_cmpuint(id, !=, 0);
	sr_test_notifyd_restart_unnoticed(fx->server);
	/* libnotify still talks to the old server here: the all-clear comes at the next idle */
	handle(fx, SR_CHANGE_ENDED, alert, 0, T0 + 600);
	sr_test_notifyd_wait_calls(fx->server, 2, 10000);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->server), ==, 2);
	/* a restart is not an outage */
	g_assert_cmpuint(sr_test_count_messages("cannot show desktop notifications"), ==, cannot);
	call = sr_test_notifyd_get_call(fx->server, 1);
	g_assert_cmpstr(call->method, ==, "Notify");
	g_assert_cmpuint(call->generation, ==, 2);
	g_assert_cmpstr(call->summary, ==, "All clear — Kyiv City");
	assert_no_stale_ids(fx->server);
}

/* a store's id from before a server restart that the server refuses: shown as a new one */
static void
test_stale_known_id(Fixture *fx, gconstpointer data)
{
	const SrAlert *alert = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	const SrTestNotifyCall *call = NULL;
	guint32 id = handle(fx, SR_CHANGE_STARTED, alert, 0, T0);
	guint32 id2 = 0;

	sr_notifier_free(fx->notifier);
	fx->notifier = sr_notifier_new("Sirena", sr_test_catalog());
	sr_test_notifyd_restart(fx->server);
	sr_test_notifyd_set_reject_unknown_replaces(fx->server, TRUE);
	id2 = handle(fx, SR_CHANGE_UPDATED, alert, id, T0 + 60);
	g_assert_cmpuint(id2, >, 1000000);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->server), ==, 3);
	call = sr_test_notifyd_get_call(fx->server, 1);
	g_assert_cmpuint(call->replaces_id, ==, id);
	g_assert_false(call->known);
	call = sr_test_notifyd_get_call(fx->server, 2);
	g_assert_cmpuint(call->replaces_id, ==, 0);
	g_assert_cmpuint(call->id, ==, id2);
	g_assert_true(sr_test_notifyd_is_open(fx->server, id2));
}

/* no server: nothing crashes, nothing is shown, the failure is logged once; the alerts come
 * as soon as a server does */
static void
test_no_server(Fixture *fx, gconstpointer data)
{
	const SrAlert *alert = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	const SrAlert *other = make_alert(fx, "ua:14", SR_KIND_MISSILE, SR_SEVERITY_EXTREME);
	const SrAlert *ended = make_alert(fx, "ua:74", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	guint cannot = sr_test_count_messages("cannot show desktop notifications");
	guint again = sr_test_count_messages("desktop notifications work again");

	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), ==, 0);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, other, 0, T0), ==, 0);
	g_assert_cmpuint(handle(fx, SR_CHANGE_ENDED, ended, 0, T0), ==, 0);
	g_assert_cmpuint(handle_source(fx, "alerts_in_ua", SR_SOURCE_STATE_STALE, T0, NULL, T0), ==,
	                 0);
	g_assert_cmpuint(sr_notifier_send_test(fx->notifier, T0), ==, 0);
	g_assert_cmpuint(sr_test_count_messages("cannot show desktop notifications"), ==,
	                 cannot + 1);

	/* a server comes: what is still true is shown (the TEST was for then, not for later) */
	fx->server = sr_test_notifyd_new(g_test_dbus_get_bus_address(test_bus), NULL);
	sr_test_notifyd_wait_calls(fx->server, 3, 10000);
	g_assert_cmpuint(sr_test_count_messages("desktop notifications work again"), ==, again + 1);
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "Notify"), ==, 3);
	g_assert_cmpuint(handle(fx, SR_CHANGE_ENDED, alert, 0, T0 + 600), !=, 0);
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "CloseNotification"), ==, 1);
}

/* an oblast's alert covering two of the user's raions: one notification naming both */
static void
test_multi_region(Fixture *fx, gconstpointer data)
{
	const SrAlert *oblast = make_alert(fx, "ua:14", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	const SrAlert *raion = make_alert(fx, "ua:74", SR_KIND_UAV, SR_SEVERITY_EXTREME);
	const SrTestNotifyCall *call = NULL;

	set_subscriptions(fx, "ua:74", "ua:31", "ua:78", NULL);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, oblast, 0, T0), !=, 0);
	g_assert_cmpuint(sr_test_notifyd_get_n_calls(fx->server), ==, 1);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "Air raid alert — Kyivska Oblast");
	g_assert_true(
	    g_str_has_prefix(call->body, "covers Vyshhorodskyi Raion, Boryspilskyi Raion\nsince "));

	/* an alert inside the subscribed oblast says where it is */
	set_subscriptions(fx, "ua:14", NULL);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, raion, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "Hostile aircraft (drones) — Vyshhorodskyi Raion");
	g_assert_true(g_str_has_prefix(call->body, "in Kyivska Oblast\nsince "));
}

static void
test_send_test(Fixture *fx, gconstpointer data)
{
	const SrTestNotifyCall *call = NULL;
	guint32 id = 0;

	/* asked for by the user: even in quiet hours and snoozed */
	fx->settings.has_quiet_hours = TRUE;
	fx->settings.quiet_start = 0;
	fx->settings.quiet_end = 23 * 60 + 59;
	apply_settings(fx);
	sr_notifier_snooze(fx->notifier, T0 + 3600);
	id = sr_notifier_send_test(fx->notifier, T0);
	g_assert_cmpuint(id, !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpuint(call->id, ==, id);
	g_assert_cmpstr(call->summary, ==, "TEST — Sirena test alert");
	g_assert_nonnull(strstr(call->body, "not a real alert"));
	g_assert_cmpint(call->urgency, ==, 2);
	g_assert_true(call->resident);
	g_assert_cmpstr(call->sound_name, ==, "alarm-clock-elapsed");
	g_assert_cmpstr(call->desktop_entry, ==, "org.sirena.Sirena");
}

static void
test_ukrainian(Fixture *fx, gconstpointer data)
{
	const SrAlert *alert = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	g_autofree char *old = g_strdup(setlocale(LC_MESSAGES, NULL));
	const SrTestNotifyCall *call = NULL;

	if (!use_messages_locale("uk_UA.UTF-8")) {
		g_test_skip("no uk_UA.UTF-8 locale, and localedef cannot make one");
		return;
	}
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "Повітряна тривога — м. Київ");
	g_assert_true(g_str_has_prefix(call->body, "з 06:11 (за місцевим часом)"));
	/* Ukrainian actions, and no English word left */
	g_assert_true(g_strv_contains((const char *const *)call->actions, "Відкласти на 1 год"));
	g_assert_null(strstr(call->body, "since"));
	g_assert_null(strstr(call->body, "local time"));
	g_assert_null(strstr(call->body, "sources"));
	g_assert_cmpuint(handle(fx, SR_CHANGE_ENDED, alert, 0, T0 + 3000), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "Відбій тривоги — м. Київ");
	/* the plural of the minutes agrees with the number */
	g_assert_cmpstr(call->body, ==,
	                "Повітряна тривога закінчилась о 07:02 (тривала 51 хвилину)");
	setlocale(LC_MESSAGES, old);
}

/* an alert at the user's own area says how long they have to reach a protected space */
static void
test_shelter_area(Fixture *fx, gconstpointer data)
{
	SrAlert *alert = NULL;
	const SrAlert *unknown_time = NULL;
	SrChange change = {.type = SR_CHANGE_STARTED, .at = T0};
	const SrTestNotifyCall *call = NULL;
	g_autofree char *summary = NULL;
	g_autofree char *body = NULL;

	use_israel(fx);
	alert = make_oref_alert(fx, "il:5", SR_KIND_MISSILE, SR_PHASE_ACTIVE);
	unknown_time = make_oref_alert(fx, "il:3", SR_KIND_MISSILE, SR_PHASE_ACTIVE);
	change.alert = alert;
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==,
	                "Missile threat — Tel Aviv - City Center — enter the protected space "
	                "within 90 s");
	g_assert_cmpstr(call->body, ==, "since 06:11 (local time) · sources: oref");
	g_assert_cmpint(call->urgency, ==, 2);
	g_assert_true(call->resident);
	sr_notifier_format(fx->notifier, &change, T0, &summary, &body);
	g_assert_cmpstr(summary, ==, call->summary);
	g_assert_cmpstr(body, ==, call->body);

	/* an area whose time is unknown: no time is made up */
	set_subscriptions(fx, "il:5", "il:3", NULL);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, unknown_time, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "Missile threat — Ramat Gan - West");
}

/* an alert at a zone or at the whole country: the user's areas inside it, the shortest time */
static void
test_shelter_zone(Fixture *fx, gconstpointer data)
{
	const SrAlert *zone = NULL;
	const SrAlert *country = NULL;
	const SrAlert *other_zone = NULL;
	const SrTestNotifyCall *call = NULL;

	use_israel(fx);
	zone = make_oref_alert(fx, "il:zone-dan", SR_KIND_MISSILE, SR_PHASE_ACTIVE);
	country = make_oref_alert(fx, "il:all", SR_KIND_MISSILE, SR_PHASE_ACTIVE);
	other_zone = make_oref_alert(fx, "il:zone-gaza-envelope", SR_KIND_UAV, SR_PHASE_ACTIVE);
	set_subscriptions(fx, "il:5", "il:1", NULL);

	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, zone, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==,
	                "Missile threat — Dan — Tel Aviv - City Center: enter the protected space "
	                "within 90 s");
	g_assert_true(g_str_has_prefix(call->body, "covers Tel Aviv - City Center\nsince "));

	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, country, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==,
	                "Missile threat — Israel — Sderot: enter the protected space within 15 s");
	g_assert_true(
	    g_str_has_prefix(call->body, "covers Tel Aviv - City Center, Sderot\nsince "));

	/* none of the user's areas is in the zone: no time of someone else's */
	set_subscriptions(fx, "il:5", NULL);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, other_zone, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "Hostile aircraft (drones) — Gaza Envelope");
}

/* a time of 0 s means now */
static void
test_shelter_immediately(Fixture *fx, gconstpointer data)
{
	const SrAlert *area = NULL;
	const SrAlert *zone = NULL;
	const SrTestNotifyCall *call = NULL;

	use_israel(fx);
	area = make_oref_alert(fx, "il:2", SR_KIND_MISSILE, SR_PHASE_ACTIVE);
	zone = make_oref_alert(fx, "il:zone-gaza-envelope", SR_KIND_MISSILE, SR_PHASE_ACTIVE);
	set_subscriptions(fx, "il:1", "il:2", NULL);

	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, area, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==,
	                "Missile threat — Kfar Aza — enter the protected space immediately");

	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, zone, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==,
	                "Missile threat — Gaza Envelope — Kfar Aza: enter the protected space "
	                "immediately");
}

/* a long list of places is what gets cut, never the time to shelter */
static void
test_shelter_long_summary(Fixture *fx, gconstpointer data)
{
	SrAlert *alert = NULL;
	g_autoptr(GString) place = g_string_new(NULL);
	const SrTestNotifyCall *call = NULL;

	use_israel(fx);
	alert = make_oref_alert(fx, "il:5", SR_KIND_MISSILE, SR_PHASE_ACTIVE);
	sr_event_add_region(alert->event, "il:99999");
	for (guint i = 0; i < 200; i++)
		g_string_append(place, "א");
	sr_event_set_text(&alert->event->area.description, place->str);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	/* the Hebrew name in an English sentence is isolated, so it cannot reorder the rest */
	g_assert_true(
	    g_str_has_prefix(call->summary, "Missile threat — Tel Aviv - City Center, \u2068אא"));
	g_assert_true(g_str_has_suffix(
	    call->summary, "… — Tel Aviv - City Center: enter the protected space within 90 s"));
	g_assert_cmpint(g_utf8_strlen(call->summary, -1), ==, 120);
}

/* a pre-alert has its own words, and is not the siren: normal urgency, no time to shelter */
static void
test_pre_alert(Fixture *fx, gconstpointer data)
{
	const SrAlert *alert = NULL;
	const SrAlert *own = NULL;
	const SrTestNotifyCall *call = NULL;

	use_israel(fx);
	alert = make_oref_alert(fx, "il:5", SR_KIND_MISSILE, SR_PHASE_PRE_ALERT);
	own = make_oref_alert(fx, "il:5", SR_KIND_UAV, SR_PHASE_PRE_ALERT);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "Pre-alert — Tel Aviv - City Center");
	g_assert_cmpstr(
	    call->body, ==,
	    "Alerts expected in your area within minutes — stay near a protected space\n"
	    "since 06:11 (local time) · sources: oref");
	g_assert_cmpint(call->urgency, ==, 1);
	g_assert_false(call->resident);
	g_assert_cmpint(call->expire_timeout, ==, -1);
	/* heard, as its kind is, but not as the alarm */
	g_assert_cmpstr(call->sound_name, ==, "message-new-instant");

	/* [notify uav] urgency=low: the user's own urgency holds in every phase */
	fx->settings.rules[SR_KIND_UAV].urgency = SR_NOTIFY_URGENCY_LOW;
	fx->settings.rules[SR_KIND_UAV].urgency_set = TRUE;
	apply_settings(fx);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, own, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "Pre-alert — Tel Aviv - City Center");
	g_assert_cmpint(call->urgency, ==, 0);

	/* [notify missile] urgency=critical, the default restated, still means critical */
	fx->settings.rules[SR_KIND_MISSILE].urgency_set = TRUE;
	apply_settings(fx);
	g_assert_cmpuint(handle(fx, SR_CHANGE_UPDATED, alert, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpint(call->urgency, ==, 2);
}

/* a source that calls every alert extreme cannot override the urgency the user wrote */
static void
test_own_urgency_beats_severity(Fixture *fx, gconstpointer data)
{
	const SrAlert *alert = NULL;
	const SrTestNotifyCall *call = NULL;

	use_israel(fx);
	alert = make_oref_alert(fx, "il:5", SR_KIND_UAV, SR_PHASE_ACTIVE);
	g_assert_cmpint(alert->event->severity, ==, SR_SEVERITY_EXTREME);
	fx->settings.rules[SR_KIND_UAV].urgency = SR_NOTIFY_URGENCY_NORMAL;
	fx->settings.rules[SR_KIND_UAV].sound = FALSE;
	fx->settings.rules[SR_KIND_UAV].urgency_set = TRUE;
	apply_settings(fx);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpint(call->urgency, ==, 1);
	g_assert_null(call->sound_name);
}

/* stay-near has its own words; low urgency, and gone by itself */
static void
test_stay_near(Fixture *fx, gconstpointer data)
{
	SrAlert *alert = NULL;
	const SrAlert *own = NULL;
	const SrTestNotifyCall *call = NULL;
	guint32 id = 0;

	use_israel(fx);
	alert = make_oref_alert(fx, "il:5", SR_KIND_MISSILE, SR_PHASE_ACTIVE);
	own = make_oref_alert(fx, "il:5", SR_KIND_UAV, SR_PHASE_STAY_NEAR);
	id = handle(fx, SR_CHANGE_STARTED, alert, 0, T0);
	g_assert_cmpuint(id, !=, 0);

	/* from the alert to stay-near: the same notification, no longer critical or resident */
	alert->event->phase = SR_PHASE_STAY_NEAR;
	g_assert_cmpuint(handle(fx, SR_CHANGE_UPDATED, alert, 0, T0 + 600), ==, id);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpuint(call->replaces_id, ==, id);
	g_assert_cmpstr(call->summary, ==, "Stay near a protected space — Tel Aviv - City Center");
	g_assert_cmpstr(call->body, ==,
	                "You may leave the protected space, but stay near it\n"
	                "since 06:11 (local time) · sources: oref");
	g_assert_cmpint(call->urgency, ==, 0);
	g_assert_false(call->resident);
	g_assert_cmpint(call->expire_timeout, ==, -1);

	/* [notify uav] urgency=normal holds */
	fx->settings.rules[SR_KIND_UAV].urgency = SR_NOTIFY_URGENCY_NORMAL;
	fx->settings.rules[SR_KIND_UAV].urgency_set = TRUE;
	apply_settings(fx);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, own, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpint(call->urgency, ==, 1);
}

/* the siren after the pre-alert: the same notification, raised to the kind's full urgency */
static void
test_pre_alert_to_active(Fixture *fx, gconstpointer data)
{
	SrAlert *alert = NULL;
	const SrTestNotifyCall *call = NULL;
	guint32 id = 0;

	use_israel(fx);
	alert = make_oref_alert(fx, "il:5", SR_KIND_MISSILE, SR_PHASE_PRE_ALERT);
	id = handle(fx, SR_CHANGE_STARTED, alert, 0, T0);
	g_assert_cmpuint(id, !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpint(call->urgency, ==, 1);

	alert->event->phase = SR_PHASE_ACTIVE;
	g_assert_cmpuint(handle(fx, SR_CHANGE_UPDATED, alert, 0, T0 + 120), ==, id);
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "Notify"), ==, 2);
	g_assert_cmpuint(sr_test_notifyd_count(fx->server, "CloseNotification"), ==, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpuint(call->replaces_id, ==, id);
	g_assert_true(call->known);
	g_assert_cmpuint(call->id, ==, id);
	g_assert_true(sr_test_notifyd_is_open(fx->server, id));
	g_assert_cmpstr(call->summary, ==,
	                "Missile threat — Tel Aviv - City Center — enter the protected space "
	                "within 90 s");
	g_assert_cmpint(call->urgency, ==, 2);
	g_assert_true(call->resident);
	g_assert_cmpint(call->expire_timeout, ==, 0);
	g_assert_cmpstr(call->sound_name, ==, "alarm-clock-elapsed");
}

/* the all-clear says why the alert ended, when the engine knows */
static void
test_ended_reason(Fixture *fx, gconstpointer data)
{
	const SrAlert *alert = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	const char *reason = "expired: no follow-up to the pre-alert within 20 min";
	SrChange change = {
	    .type = SR_CHANGE_ENDED, .at = T0 + 3000, .alert = alert, .reason = reason};
	const SrTestNotifyCall *call = NULL;
	g_autofree char *summary = NULL;
	g_autofree char *body = NULL;

	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), !=, 0);
	g_assert_cmpuint(handle_ended(fx, alert, reason, T0 + 3000), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "All clear — Kyiv City");
	g_assert_cmpstr(call->body, ==,
	                "Air raid alert ended at 07:02 (lasted 51 min)\n"
	                "expired: no follow-up to the pre-alert within 20 min");
	sr_notifier_format(fx->notifier, &change, T0 + 3000, &summary, &body);
	g_assert_cmpstr(body, ==, call->body);
}

/* a reason is text like any other: escaped for the markup, on one line */
static void
test_ended_reason_markup(Fixture *fx, gconstpointer data)
{
	const SrAlert *alert = NULL;
	const SrTestNotifyCall *call = NULL;

	use_israel(fx);
	alert = make_oref_alert(fx, "il:5", SR_KIND_MISSILE, SR_PHASE_ACTIVE);
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), !=, 0);
	g_assert_cmpuint(handle_ended(fx, alert,
	                              "Pikud HaOref: <b>the event</b> & \"more\"\nhas ended",
	                              T0 + 600),
	                 !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "All clear — Tel Aviv - City Center");
	g_assert_cmpstr(call->body, ==,
	                "Missile threat ended at 06:22 (lasted 11 min)\n"
	                "Pikud HaOref: &lt;b&gt;the event&lt;/b&gt; &amp; &quot;more&quot; has "
	                "ended");
}

/* a server without body markup gets the reason as it is */
static void
test_ended_reason_plain(Fixture *fx, gconstpointer data)
{
	const SrAlert *alert = make_alert(fx, "ua:31", SR_KIND_AIR_RAID, SR_SEVERITY_EXTREME);
	const SrTestNotifyCall *call = NULL;

	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), !=, 0);
	g_assert_cmpuint(handle_ended(fx, alert, "<b>ended</b> & gone", T0 + 600), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_true(g_str_has_suffix(call->body, "\n<b>ended</b> & gone"));
}

/* Israeli places by their Hebrew names for a Hebrew reader, by their Latin ones for others */
static void
test_names_hebrew(Fixture *fx, gconstpointer data)
{
	const SrAlert *alert = NULL;
	g_autofree char *old = g_strdup(setlocale(LC_MESSAGES, NULL));
	const SrTestNotifyCall *call = NULL;

	use_israel(fx);
	alert = make_oref_alert(fx, "il:zone-dan", SR_KIND_MISSILE, SR_PHASE_ACTIVE);
	if (!use_messages_locale("he_IL.UTF-8")) {
		g_test_skip("no he_IL.UTF-8 locale, and localedef cannot make one");
		return;
	}
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	/* Hebrew throughout; every name isolated (U+2068 … U+2069) inside the sentence */
	g_assert_cmpstr(call->summary, ==,
	                "ירי רקטות וטילים — \u2068דן\u2069 — \u2068תל אביב - מרכז העיר\u2069: "
	                "היכנסו למרחב המוגן תוך 90 שניות");
	g_assert_true(g_str_has_prefix(call->body, "כולל את \u2068תל אביב - מרכז העיר\u2069\n"));
	setlocale(LC_MESSAGES, old);
}

static void
test_names_ukrainian_il(Fixture *fx, gconstpointer data)
{
	const SrAlert *alert = NULL;
	g_autofree char *old = g_strdup(setlocale(LC_MESSAGES, NULL));
	const SrTestNotifyCall *call = NULL;

	use_israel(fx);
	alert = make_oref_alert(fx, "il:5", SR_KIND_MISSILE, SR_PHASE_ACTIVE);
	if (!use_messages_locale("uk_UA.UTF-8")) {
		g_test_skip("no uk_UA.UTF-8 locale, and localedef cannot make one");
		return;
	}
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==,
	                "Ракетна загроза — Tel Aviv - City Center — увійдіть до захищеного "
	                "приміщення протягом 90 секунд");
	setlocale(LC_MESSAGES, old);
}

/* right to left: in a Hebrew notification every interpolated name, time and reason sits in an
 * isolate, so that a Latin source name, a time or a date cannot reorder the sentence; text from
 * upstream cannot bring its own bidirectional controls in, and is still escaped for the markup */
static void
test_rtl_isolates(Fixture *fx, gconstpointer data)
{
	const SrAlert *alert = NULL;
	const SrTestNotifyCall *call = NULL;
	g_autofree char *old = g_strdup(setlocale(LC_MESSAGES, NULL));

	use_israel(fx);
	alert = make_oref_alert(fx, "il:5", SR_KIND_MISSILE, SR_PHASE_ACTIVE);
	if (!use_messages_locale("he_IL.UTF-8")) {
		g_test_skip("no he_IL.UTF-8 locale, and localedef cannot make one");
		return;
	}
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==,
	                "ירי רקטות וטילים — \u2068תל אביב - מרכז העיר\u2069 — "
	                "היכנסו למרחב המוגן תוך 90 שניות");
	g_assert_cmpstr(call->body, ==,
	                "מאז \u206806:11\u2069 (שעון מקומי) · מקורות: \u2068oref\u2069");
	g_assert_true(g_strv_contains((const char *const *)call->actions, "השתקה לשעה"));

	/* an end whose reason carries markup and a right-to-left override */
	g_assert_cmpuint(handle_ended(fx, alert, "<b>\u202eevil</b> & \u2066gone", T0 + 600), !=,
	                 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "האירוע הסתיים — \u2068תל אביב - מרכז העיר\u2069");
	g_assert_cmpstr(call->body, ==,
	                "ירי רקטות וטילים: האירוע הסתיים בשעה \u206806:22\u2069 (נמשך \u2068"
	                "11 דקות\u2069)\n"
	                "\u2068&lt;b&gt;evil&lt;/b&gt; &amp; gone\u2069");
	g_assert_null(strstr(call->body, "\u202e"));

	/* a source by its Latin name, in a Hebrew sentence */
	g_assert_cmpuint(
	    handle_source(fx, "alerts_in_ua", SR_SOURCE_STATE_STALE, T0, "timed out", T0 + 60), !=,
	    0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==, "ייתכן שהתרעות יוחמצו");
	g_assert_cmpstr(call->body, ==,
	                "\u2068alerts_in_ua\u2069 אינו זמין מאז \u206806:12\u2069 "
	                "(\u2068timed out\u2069). ההתרעות האחרונות ממנו נשמרות.");
	setlocale(LC_MESSAGES, old);
}

/* in a left-to-right language, a Latin name needs no isolate, a Hebrew one does */
static void
test_ltr_isolates_rtl_names(Fixture *fx, gconstpointer data)
{
	SrAlert *alert = NULL;
	const SrTestNotifyCall *call = NULL;

	use_israel(fx);
	alert = make_oref_alert(fx, "il:5", SR_KIND_MISSILE, SR_PHASE_ACTIVE);
	sr_event_add_region(alert->event, "il:99999");
	sr_event_set_text(&alert->event->area.description, "מקום 5");
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), !=, 0);
	g_assert_cmpuint(handle(fx, SR_CHANGE_ENDED, alert, 0, T0 + 60), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	g_assert_cmpstr(call->summary, ==,
	                "All clear — Tel Aviv - City Center, \u2068מקום 5 (il:99999)\u2069");
	g_assert_cmpstr(call->body, ==, "Missile threat ended at 06:13 (lasted 2 min)");
}

#define ADD(path, func, caps)                                                                      \
	g_test_add("/sr/notify/" path, Fixture, caps, fixture_setup, func, fixture_teardown)

/* a CAP alert that names an area, not a region */
static SrAlert *
make_cap_alert(Fixture *fx, SrSeverity severity, SrUrgency urgency)
{
	static const char *const sources[] = {"nws", NULL};
	SrAlert *alert = make_alert_from(fx, "none", SR_KIND_WEATHER, severity, sources);
	g_ptr_array_set_size(alert->event->regions, 0);
	alert->event->urgency = urgency;
	sr_event_set_text(&alert->event->headline, "Flash Flood Warning issued <until> 9 PM");
	sr_event_set_text(&alert->event->area.description, "Los Angeles, CA");
	sr_event_set_text(&alert->event->instruction, "Move to higher ground now.");
	sr_event_set_text(&alert->event->description, "Heavy rain over the burn scar.");
	sr_event_set_text(&alert->event->web, "https://www.weather.gov/lox");
	return alert;
}

static void
test_cap_mapping(Fixture *fx, gconstpointer data)
{
	static const struct {
		SrSeverity severity;
		SrUrgency urgency;
		gint urgency_hint;
	} rows[] = {
	    {SR_SEVERITY_EXTREME, SR_URGENCY_IMMEDIATE, 2},
	    {SR_SEVERITY_EXTREME, SR_URGENCY_FUTURE, 1},
	    {SR_SEVERITY_SEVERE, SR_URGENCY_IMMEDIATE, 1},
	    {SR_SEVERITY_MODERATE, SR_URGENCY_EXPECTED, 1},
	    {SR_SEVERITY_MINOR, SR_URGENCY_IMMEDIATE, 0},
	};
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		const SrAlert *alert = make_cap_alert(fx, rows[i].severity, rows[i].urgency);
		const SrTestNotifyCall *call = NULL;
		g_autofree char *key = g_strdup_printf("cap-%u", i);
		g_free(((SrAlert *)alert)->key);
		((SrAlert *)alert)->key = g_steal_pointer(&key);
		g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), !=, 0);
		call = sr_test_notifyd_get_last(fx->server, "Notify");
		g_test_message("row %u", i);
		g_assert_cmpint(call->urgency, ==, rows[i].urgency_hint);
	}
}

static void
test_cap_text(Fixture *fx, gconstpointer data)
{
	const SrAlert *alert = make_cap_alert(fx, SR_SEVERITY_SEVERE, SR_URGENCY_IMMEDIATE);
	const SrTestNotifyCall *call = NULL;
	g_assert_cmpuint(handle(fx, SR_CHANGE_STARTED, alert, 0, T0), !=, 0);
	call = sr_test_notifyd_get_last(fx->server, "Notify");
	/* the headline is the title, escaped; where and what to do come before the details */
	g_assert_cmpstr(call->summary, ==, "Flash Flood Warning issued <until> 9 PM");
	g_assert_true(
	    g_str_has_prefix(call->body, "Los Angeles, CA\nMove to higher ground now.\n"));
	g_assert_nonnull(strstr(call->body, "Heavy rain over the burn scar."));
	g_assert_true(has_action(call, "details", "Details"));
}

int
main(int argc, char **argv)
{
	int ret = 0;

	/* local time is UTC, whatever the machine */
	g_setenv("TZ", "UTC", TRUE);
	tzset();
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	sr_test_capture_messages("sr-notify");

	/* a private session bus for libnotify and the fake server */
	/* the translations from the build tree */
	bindtextdomain(GETTEXT_PACKAGE, SR_BUILD_ROOT "/po");
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");

	test_bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(test_bus);

	g_test_add_func("/sr/notify/settings-defaults", test_settings_defaults);
	ADD("extreme", test_extreme, NULL);
	ADD("muted", test_muted, NULL);
	ADD("started", test_started, NULL);
	ADD("baseline", test_baseline, NULL);
	ADD("text-hostile", test_text_hostile, NULL);
	ADD("updated", test_updated, NULL);
	ADD("ended", test_ended, NULL);
	ADD("known-id", test_known_id, NULL);
	ADD("source", test_source, NULL);
	ADD("quiet-hours", test_quiet_hours, NULL);
	ADD("snooze", test_snooze, NULL);
	ADD("actions", test_actions, NULL);
	ADD("plain-server", test_plain_server, caps_plain);
	ADD("dismissed", test_dismissed, NULL);
	ADD("server-restart", test_server_restart, NULL);
	ADD("server-restart-unnoticed", test_server_restart_unnoticed, NULL);
	ADD("stale-known-id", test_stale_known_id, NULL);
	g_test_add("/sr/notify/no-server", Fixture, NULL, fixture_setup_no_server, test_no_server,
	           fixture_teardown);
	ADD("multi-region", test_multi_region, NULL);
	ADD("send-test", test_send_test, NULL);
	ADD("ukrainian", test_ukrainian, NULL);
	ADD("shelter-area", test_shelter_area, NULL);
	ADD("shelter-zone", test_shelter_zone, NULL);
	ADD("shelter-immediately", test_shelter_immediately, NULL);
	ADD("shelter-long-summary", test_shelter_long_summary, NULL);
	ADD("pre-alert", test_pre_alert, NULL);
	ADD("stay-near", test_stay_near, NULL);
	ADD("pre-alert-to-active", test_pre_alert_to_active, NULL);
	ADD("own-urgency-beats-severity", test_own_urgency_beats_severity, NULL);
	ADD("cap-mapping", test_cap_mapping, NULL);
	ADD("cap-text", test_cap_text, NULL);
	ADD("ended-reason", test_ended_reason, NULL);
	ADD("ended-reason-markup", test_ended_reason_markup, NULL);
	ADD("ended-reason-plain", test_ended_reason_plain, caps_plain);
	ADD("rtl-isolates", test_rtl_isolates, NULL);
	ADD("ltr-isolates-rtl-names", test_ltr_isolates_rtl_names, NULL);
	ADD("names-hebrew", test_names_hebrew, NULL);
	ADD("names-ukrainian-il", test_names_ukrainian_il, NULL);
	ret = g_test_run();

	/* libnotify holds the session bus until it is uninitialised */
	notify_uninit();
	g_test_dbus_down(test_bus);
	g_object_unref(test_bus);
	return ret;
}
