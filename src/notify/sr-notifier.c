/* sr-notifier.c - desktop notifications (libnotify) for alert changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-notify"

#include "config.h"

#include <gio/gio.h>
#include <libnotify/notify.h>
#include <locale.h>
#include <string.h>

#include "sirena/notifier.h"
#include "sr-i18n.h"

/*
 * One entry per notification Sirena keeps on screen: an alert (keyed by the alert key), the
 * all-clear of an alert ("all-clear:" + key), a source's health ("source:" + name) and the TEST
 * alert ("test:"). An entry owns its NotifyNotification, so an update replaces the notification
 * (same id) and an end closes it. The actions' user data is the entry itself, added without a
 * free function: libnotify never frees it, the entries table frees it exactly once, and the
 * notification (with its actions and its "closed" handler) goes with the entry.
 *
 * The notification server can go away and come back (a shell restart, a daemon that exits when
 * idle). Its ids die with it, and a new server hands them out again: an old id could close or
 * replace someone else's notification. So the notifier follows the owner of the server's bus
 * name, checked synchronously before every call and watched on the bus. When the owner changes,
 * every id is forgotten (set to 0), and the notifications that were showing for an alert still
 * going on, or for a source still down, are shown again on the new server, without sound.
 *
 * libnotify (0.8.1, checked with G_DBUS_DEBUG=message in test-notifier) keeps one GDBusProxy
 * and sends to the unique name it last saw own the server's name; it learns of a new owner only
 * when the main loop dispatches the bus' NameOwnerChanged. A show that comes first fails, and is
 * retried at the next idle, after libnotify has caught up.
 *
 * A notification that cannot be shown (no server) is kept pending and retried with backoff, so
 * an alert that started while the server was away still reaches the user once it is back. The
 * failure is logged once per outage.
 *
 * libnotify's calls are synchronous D-Bus calls with the default timeout: a server that hangs
 * blocks the caller; one that is missing answers at once.
 */

#define SR_NOTIFY_SERVER_NAME   "org.freedesktop.Notifications"
#define SR_NOTIFY_DESKTOP_ENTRY "org.sirena.Sirena"
#define SR_NOTIFY_BODY_MAX      400 /* characters, before escaping */
#define SR_NOTIFY_SUMMARY_MAX   120
#define SR_NOTIFY_SNOOZE_S      3600
#define SR_NOTIFY_RETRY_MIN_S   1
#define SR_NOTIFY_RETRY_MAX_S   60

/* the same words as `sirena`'s, so that each is translated once */
static const char *const kind_labels[SR_KIND_LAST] = {
    [SR_KIND_AIR_RAID] = N_("Air raid alert"),
    [SR_KIND_MISSILE] = N_("Missile threat"),
    [SR_KIND_UAV] = N_("Hostile aircraft (drones)"),
    [SR_KIND_ARTILLERY] = N_("Artillery shelling"),
    [SR_KIND_URBAN_FIGHTS] = N_("Urban fighting"),
    [SR_KIND_CHEMICAL] = N_("Chemical threat"),
    [SR_KIND_NUCLEAR] = N_("Radiation threat"),
    [SR_KIND_HAZMAT] = N_("Hazardous materials"),
    [SR_KIND_EARTHQUAKE] = N_("Earthquake"),
    [SR_KIND_TSUNAMI] = N_("Tsunami"),
    [SR_KIND_INFILTRATION] = N_("Infiltration"),
    [SR_KIND_WEATHER] = N_("Weather warning"),
    [SR_KIND_FLOOD] = N_("Flood warning"),
    [SR_KIND_FIRE] = N_("Fire warning"),
    [SR_KIND_HEALTH] = N_("Health warning"),
    [SR_KIND_CIVIL] = N_("Civil emergency"),
    [SR_KIND_OTHER] = N_("Alert"),
    [SR_KIND_UNKNOWN] = N_("Alert (unknown type)"),
};

typedef enum {
	ENTRY_ALERT,
	ENTRY_ALL_CLEAR,
	ENTRY_SOURCE,
	ENTRY_TEST,
} SrNotifierEntryType;

typedef struct {
	SrNotifier *notifier;
	SrNotifierEntryType type;
	char *key;
	NotifyNotification *notification;
	gulong closed_id;
	char *summary; /* plain text */
	char *body;    /* plain text, truncated; escaped when the server takes markup */
	char *web;     /* the details link (http or https), or NULL */
	SrNotifyUrgency urgency;
	const char *category;
	gboolean sound;     /* the rule asks for a sound */
	gboolean showing;   /* on screen of the current server: its id is valid */
	gboolean displayed; /* was shown at least once: its end deserves an all-clear */
	gboolean pending;   /* could not be shown yet: retried */
	gboolean reshow;    /* shown again when the server restarts while it is showing */
	gboolean quiet;     /* the next show is a repeat: without sound */
	gint64 down_since;  /* source entries: when the current down period began */
} SrNotifierEntry;

struct _SrNotifier {
	char *app_name;
	const SrCatalog *catalog;
	SrNotifySettings settings;
	GPtrArray *subscriptions; /* of char* */
	gint64 snoozed_until;
	SrNotifierSnoozeFunc snooze_func;
	gpointer snooze_data;
	GHashTable *entries; /* key -> SrNotifierEntry* */

	GMainContext *context; /* where retries and the name watch run */
	guint watch_id;
	char *server_owner; /* unique name of the server the ids belong to, NULL when none */
	gboolean caps_known;
	gboolean has_actions;
	gboolean has_markup;
	gboolean outage_logged;
	gboolean owner_changed; /* libnotify may still talk to the old owner until idle */
	GSource *retry_source;
	guint retry_delay_s;
};

/* language */

static const char *
kind_label(SrKind kind)
{
	if ((guint)kind >= SR_KIND_LAST)
		kind = SR_KIND_UNKNOWN;
	return _(kind_labels[kind]);
}

/* whether the notifications' language is written right to left */
static gboolean
sr_notify_rtl(void)
{
	/* TRANSLATORS: not shown: "default:RTL" when your language is written right to left
	 * (Hebrew, Arabic), else "default:LTR" */
	return strcmp(_("default:LTR"), "default:RTL") == 0;
}

static gboolean
sr_notify_has_rtl(const char *text)
{
	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		switch (g_unichar_get_script(g_utf8_get_char(p))) {
		case G_UNICODE_SCRIPT_HEBREW:
		case G_UNICODE_SCRIPT_ARABIC:
		case G_UNICODE_SCRIPT_SYRIAC:
		case G_UNICODE_SCRIPT_THAANA:
		case G_UNICODE_SCRIPT_NKO:
			return TRUE;
		default:
			break;
		}
	}
	return FALSE;
}

/* @value as it goes into a sentence: in a first-strong isolate (U+2068 … U+2069) when the
 * sentence or the value is right to left, so that a Latin name or a time does not reorder a
 * Hebrew sentence around it, nor a Hebrew name an English one */
static char *
sr_notify_isolate(const char *value)
{
	if (value[0] != '\0' && (sr_notify_rtl() || sr_notify_has_rtl(value)))
		return g_strconcat("\u2068", value, "\u2069", NULL);
	return g_strdup(value);
}

/* text */

/* whether @c is a control of the bidirectional algorithm that has an extent: an embedding,
 * override or isolate (U+202A–U+202E, U+2066–U+2069) */
static gboolean
sr_notify_is_bidi_control(gunichar c)
{
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* @text without control characters (newlines only where @newlines), valid UTF-8, stripped;
 * with @strip_bidi also without bidirectional embeddings, overrides and isolates, so that
 * upstream text can neither reverse the rest of a notification nor unbalance Sirena's own
 * isolates */
static char *
sr_notify_tidy(const char *text, gboolean newlines, gboolean strip_bidi)
{
	char *valid = g_utf8_make_valid(text != NULL ? text : "", -1);
	GString *out = g_string_sized_new(strlen(valid));
	for (const char *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if ((c < 0x20 || c == 0x7f) && !(newlines && c == '\n'))
			g_string_append_c(out, ' ');
		else if (!(strip_bidi && sr_notify_is_bidi_control(c)))
			g_string_append_unichar(out, c);
	}
	g_free(valid);
	return g_strstrip(g_string_free(out, FALSE));
}

/* upstream text made fit to show */
static char *
sr_notify_clean(const char *text, gboolean newlines)
{
	return sr_notify_tidy(text, newlines, TRUE);
}

/* at most @max characters, cut on a character boundary and marked with "…" */
static char *
sr_notify_truncate(const char *text, glong max)
{
	const char *end = NULL;
	if (g_utf8_strlen(text, -1) <= max)
		return g_strdup(text);
	end = g_utf8_offset_to_pointer(text, max - 1);
	return g_strdup_printf("%.*s…", (int)(end - text), text);
}

/* @text and then @tail in at most @max characters: what is cut is @text, as the tail is what
 * must be read (the time to shelter after a long list of places) */
static char *
sr_notify_truncate_before(const char *text, const char *tail, glong max)
{
	glong room = max - g_utf8_strlen(tail, -1);
	g_autofree char *cut = NULL;

	if (room < max / 4) {
		g_autofree char *all = g_strconcat(text, tail, NULL);
		return sr_notify_truncate(all, max);
	}
	cut = sr_notify_truncate(text, room);
	return g_strconcat(cut, tail, NULL);
}

static char *
sr_notify_local_time(gint64 t, gint64 now)
{
	g_autoptr(GDateTime) local = g_date_time_new_from_unix_local(t);
	g_autoptr(GDateTime) local_now = g_date_time_new_from_unix_local(now);
	if (local == NULL)
		return NULL;
	/* today: the clock time is enough; another day: the date too */
	if (local_now != NULL && g_date_time_get_year(local) == g_date_time_get_year(local_now) &&
	    g_date_time_get_day_of_year(local) == g_date_time_get_day_of_year(local_now))
		return g_date_time_format(local, "%H:%M");
	return g_date_time_format(local, "%Y-%m-%d %H:%M");
}

char *
sr_notifier_format_duration(gint64 seconds)
{
	gint64 hours = 0;
	gint64 minutes = 0;
	seconds = MAX(seconds, 0);
	if (seconds < 60)
		return g_strdup_printf(SR_NGETTEXT("%d s", "%d s", seconds), (int)seconds);
	if (seconds < 3600)
		return g_strdup_printf(SR_NGETTEXT("%d min", "%d min", seconds / 60),
		                       (int)(seconds / 60));
	if (seconds >= 86400 * 2)
		return g_strdup_printf(SR_NGETTEXT("%d day", "%d days", seconds / 86400),
		                       (int)MIN(seconds / 86400, G_MAXINT));
	hours = seconds / 3600;
	minutes = (seconds % 3600) / 60;
	if (minutes == 0)
		return g_strdup_printf(SR_NGETTEXT("%d h", "%d h", hours), (int)hours);
	{
		g_autofree char *h =
		    g_strdup_printf(SR_NGETTEXT("%d h", "%d h", hours), (int)hours);
		g_autofree char *m =
		    g_strdup_printf(SR_NGETTEXT("%d min", "%d min", minutes), (int)minutes);
		/* TRANSLATORS: hours and minutes of a duration: "2 h 5 min" */
		return g_strdup_printf(_("%s %s"), h, m);
	}
}

static const SrRegion *
sr_notifier_lookup(SrNotifier *self, const char *id)
{
	if (self->catalog == NULL || id == NULL)
		return NULL;
	return sr_catalog_lookup(self->catalog, id);
}

/* appends @value isolated (see sr_notify_isolate) */
static void
sr_notify_append_isolated(GString *out, const char *value)
{
	g_autofree char *isolated = sr_notify_isolate(value);
	g_string_append(out, isolated);
}

/* "Kyiv City", "Kyivska Oblast, Chernihivska Oblast"; a region the catalog does not know shows
 * its published name and its id */
static void
sr_notifier_append_place(SrNotifier *self, GString *out, const SrEvent *event)
{
	g_autofree char *description = NULL;

	if (event->area.description != NULL)
		description = sr_notify_clean(event->area.description, FALSE);
	if (event->regions->len == 0) {
		if (description != NULL && description[0] != '\0')
			sr_notify_append_isolated(out, description);
		else
			g_string_append(out, _("an unnamed area"));
		return;
	}
	for (guint i = 0; i < event->regions->len; i++) {
		const char *id = g_ptr_array_index(event->regions, i);
		const SrRegion *region = sr_notifier_lookup(self, id);
		g_autofree char *clean_id = sr_notify_clean(id, FALSE);
		if (i > 0)
			g_string_append(out, ", ");
		if (region != NULL) {
			sr_notify_append_isolated(out, sr_region_local_name(region));
		} else if (description != NULL && description[0] != '\0') {
			g_autofree char *both = g_strdup_printf("%s (%s)", description, clean_id);
			sr_notify_append_isolated(out, both);
		} else {
			sr_notify_append_isolated(out, clean_id);
		}
	}
}

/* "X, Y": @names, each isolated; NULL when there are none */
static char *
sr_notify_join_isolated(GPtrArray *names)
{
	GString *list = NULL;
	if (names->len == 0)
		return NULL;
	list = g_string_new(NULL);
	for (guint i = 0; i < names->len; i++) {
		if (i > 0)
			g_string_append(list, ", ");
		sr_notify_append_isolated(list, g_ptr_array_index(names, i));
	}
	return g_string_free(list, FALSE);
}

/* which of the user's regions the alert concerns when it is not exactly at one of them:
 * "covers Vyshhorodskyi Raion, Boryspilskyi Raion" (the alert is at a region containing them)
 * or "in Kyivska Oblast" (the alert is inside a subscribed region) */
static void
sr_notifier_append_coverage(SrNotifier *self, GString *out, const SrEvent *event)
{
	g_autoptr(GPtrArray) covers = g_ptr_array_new();
	g_autoptr(GPtrArray) within = g_ptr_array_new();
	g_autofree char *covered = NULL;
	g_autofree char *inside = NULL;

	for (guint i = 0; self->subscriptions != NULL && i < self->subscriptions->len; i++) {
		const SrRegion *sub =
		    sr_notifier_lookup(self, g_ptr_array_index(self->subscriptions, i));
		if (sub == NULL)
			continue;
		for (guint j = 0; j < event->regions->len; j++) {
			const SrRegion *region =
			    sr_notifier_lookup(self, g_ptr_array_index(event->regions, j));
			const char *name = sr_region_local_name(sub);
			if (region == NULL || region == sub)
				continue;
			if (sr_region_is_within(sub, region)) {
				if (!g_ptr_array_find_with_equal_func(covers, name, g_str_equal,
				                                      NULL))
					g_ptr_array_add(covers, (gpointer)name);
			} else if (sr_region_is_within(region, sub)) {
				if (!g_ptr_array_find_with_equal_func(within, name, g_str_equal,
				                                      NULL))
					g_ptr_array_add(within, (gpointer)name);
			}
		}
	}
	covered = sr_notify_join_isolated(covers);
	inside = sr_notify_join_isolated(within);
	if (covered != NULL) {
		/* TRANSLATORS: the user's regions an alert at a larger region covers: "covers
		 * Vyshhorodskyi Raion, Boryspilskyi Raion" */
		g_string_append_printf(out, _("covers %s"), covered);
		g_string_append_c(out, '\n');
	}
	if (inside != NULL) {
		/* TRANSLATORS: the user's region an alert lies in: "in Kyivska Oblast" */
		g_string_append_printf(out, _("in %s"), inside);
		g_string_append_c(out, '\n');
	}
}

static void
sr_notify_append_text(GString *out, const char *text)
{
	g_autofree char *clean = NULL;
	if (text == NULL)
		return;
	clean = sr_notify_clean(text, TRUE);
	if (clean[0] != '\0')
		g_string_append_printf(out, "%s\n", clean);
}

/* the area whose time to reach a protected space the user must beat, NULL when none is known */
static const SrRegion *
sr_notifier_shelter_area(SrNotifier *self, const SrEvent *event)
{
	return sr_catalog_shelter_area(self->catalog, event->regions, self->subscriptions, NULL);
}

/* "enter the protected space within 90 s", naming the area when the alert is not at it
 * alone: "Sderot: enter the protected space within 15 s" */
static char *
sr_notifier_shelter_text(SrNotifier *self, const SrEvent *event)
{
	const SrRegion *area = sr_notifier_shelter_area(self, event);
	GString *out = NULL;

	if (area == NULL)
		return NULL;
	out = g_string_new(NULL);
	if (event->regions->len != 1 ||
	    sr_notifier_lookup(self, g_ptr_array_index(event->regions, 0)) != area) {
		sr_notify_append_isolated(out, sr_region_local_name(area));
		g_string_append(out, ": ");
	}
	if (area->shelter_seconds == 0)
		g_string_append(out, _("enter the protected space immediately"));
	else
		g_string_append_printf(out,
		                       SR_NGETTEXT("enter the protected space within %d s",
		                                   "enter the protected space within %d s",
		                                   area->shelter_seconds),
		                       area->shelter_seconds);
	return g_string_free(out, FALSE);
}

/* an alert that names an area, not a region (CAP): its own headline says what it is better
 * than a kind label and a list of places could */
static gboolean
sr_notify_speaks_for_itself(const SrEvent *event)
{
	return event->regions->len == 0 && event->headline != NULL &&
	       event->phase == SR_PHASE_ACTIVE;
}

/* the summary and the plain (unescaped, truncated) body of an alert */
static void
sr_notifier_alert_text(SrNotifier *self, const SrAlert *alert, gboolean baseline, gint64 now,
                       char **summary, char **body)
{
	const SrEvent *event = alert->event;
	GString *head = g_string_new(NULL);
	GString *text = g_string_new(NULL);
	g_autofree char *full_summary = NULL;
	g_autofree char *full_body = NULL;
	g_autofree char *shelter = NULL;

	/* the phases before and after the alert proper are not the threat itself: they say so
	 * first, so that nobody takes a pre-alert for the siren or stay-near for the all-clear */
	switch (event->phase) {
	case SR_PHASE_PRE_ALERT:
		g_string_append(head, _("Pre-alert"));
		g_string_append_printf(
		    text, "%s\n",
		    _("Alerts expected in your area within minutes — stay near a protected space"));
		break;
	case SR_PHASE_STAY_NEAR:
		g_string_append(head, _("Stay near a protected space"));
		g_string_append_printf(text, "%s\n",
		                       _("You may leave the protected space, but stay near it"));
		break;
	case SR_PHASE_ACTIVE:
		shelter = sr_notifier_shelter_text(self, event);
		g_string_append(head, kind_label(event->kind));
		break;
	default:
		g_string_append(head, kind_label(event->kind));
		break;
	}
	if (sr_notify_speaks_for_itself(event)) {
		/* an alert that names an area (CAP) says what it is in its headline; where, and
		 * what to do, come first in the body */
		g_autofree char *headline = sr_notify_clean(event->headline, FALSE);
		g_string_truncate(head, 0);
		g_string_append(head, headline);
		sr_notify_append_text(text, event->area.description);
		sr_notify_append_text(text, event->instruction);
	} else {
		g_string_append(head, " — ");
		sr_notifier_append_place(self, head, event);
	}

	sr_notifier_append_coverage(self, text, event);
	if (event->started_at != 0) {
		g_autofree char *since = sr_notify_local_time(event->started_at, now);
		if (since != NULL) {
			g_autofree char *isolated = sr_notify_isolate(since);
			g_string_append_printf(text, _("since %s (local time)"), isolated);
		}
	}
	if (baseline) {
		g_string_append_c(text, ' ');
		g_string_append(text, _("(already going on)"));
	}
	if (alert->sources != NULL && alert->sources->len > 0) {
		g_autoptr(GString) names = g_string_new(NULL);
		if (text->len > 0 && text->str[text->len - 1] != '\n')
			g_string_append(text, " · ");
		for (guint i = 0; i < alert->sources->len; i++) {
			g_autofree char *name =
			    sr_notify_clean(g_ptr_array_index(alert->sources, i), FALSE);
			if (i > 0)
				g_string_append(names, ", ");
			sr_notify_append_isolated(names, name);
		}
		/* TRANSLATORS: the sources that reported an alert: "sources: alerts_in_ua,
		 * ukraine_alarm" */
		g_string_append_printf(text, _("sources: %s"), names->str);
	}
	g_string_append_c(text, '\n');
	if (sr_notify_speaks_for_itself(event)) {
		sr_notify_append_text(text, event->description);
	} else {
		sr_notify_append_text(text, event->headline);
		sr_notify_append_text(text, event->description);
		sr_notify_append_text(text, event->instruction);
	}

	full_summary = sr_notify_tidy(head->str, FALSE, FALSE);
	full_body = sr_notify_tidy(text->str, TRUE, FALSE);
	g_string_free(head, TRUE);
	g_string_free(text, TRUE);
	if (shelter != NULL) {
		g_autofree char *tail = g_strconcat(" — ", shelter, NULL);
		*summary = sr_notify_truncate_before(full_summary, tail, SR_NOTIFY_SUMMARY_MAX);
	} else {
		*summary = sr_notify_truncate(full_summary, SR_NOTIFY_SUMMARY_MAX);
	}
	*body = sr_notify_truncate(full_body, SR_NOTIFY_BODY_MAX);
}

/* "All clear — Kyiv City" / "Air raid alert ended at 09:03 (lasted 51 min)" */
static void
sr_notifier_all_clear_text(SrNotifier *self, const SrChange *change, char **summary, char **body)
{
	const SrEvent *event = change->alert->event;
	gint64 ended_at = event->ended_at != 0 ? event->ended_at : change->at;
	GString *head = g_string_new(_("All clear"));
	GString *text = g_string_new(NULL);
	g_autofree char *at = sr_notify_local_time(ended_at, change->at);
	g_autofree char *full_summary = NULL;
	g_autofree char *full_body = NULL;

	g_string_append(head, " — ");
	sr_notifier_append_place(self, head, event);

	if (at != NULL) {
		g_autofree char *isolated = sr_notify_isolate(at);
		/* TRANSLATORS: "Air raid alert ended at 09:03": the kind of alert and the time */
		g_string_append_printf(text, _("%s ended at %s"), kind_label(event->kind),
		                       isolated);
	} else {
		g_string_append(text, kind_label(event->kind));
	}
	if (event->started_at != 0 && ended_at >= event->started_at) {
		g_autofree char *lasted = sr_notifier_format_duration(ended_at - event->started_at);
		g_autofree char *isolated = sr_notify_isolate(lasted);
		g_string_append_c(text, ' ');
		g_string_append_printf(text, _("(lasted %s)"), isolated);
	}
	g_string_append_c(text, '\n');
	/* why it ended ("expired: no follow-up to the pre-alert…"), so that an all-clear nobody
	 * upstream announced is not taken for one they did; on one line */
	if (change->reason != NULL) {
		g_autofree char *local = sr_change_reason_localize(change->reason);
		g_autofree char *reason = sr_notify_clean(local, FALSE);
		if (reason[0] != '\0') {
			sr_notify_append_isolated(text, reason);
			g_string_append_c(text, '\n');
		}
	}
	sr_notifier_append_coverage(self, text, event);

	full_summary = sr_notify_tidy(head->str, FALSE, FALSE);
	full_body = sr_notify_tidy(text->str, TRUE, FALSE);
	g_string_free(head, TRUE);
	g_string_free(text, TRUE);
	*summary = sr_notify_truncate(full_summary, SR_NOTIFY_SUMMARY_MAX);
	*body = sr_notify_truncate(full_body, SR_NOTIFY_BODY_MAX);
}

/* "Alerts may be missed" / "alerts_in_ua unreachable since 08:12 (timed out)…", or
 * "alerts_in_ua is back" / "Alerts from it are current again…" */
static void
sr_notifier_source_text(const SrSourceHealth *health, gint64 down_since, gint64 now, char **summary,
                        char **body)
{
	g_autofree char *clean_name = sr_notify_clean(health->name, FALSE);
	g_autofree char *name = sr_notify_isolate(clean_name);
	g_autofree char *local = down_since != 0 ? sr_notify_local_time(down_since, now) : NULL;
	g_autofree char *since = local != NULL ? sr_notify_isolate(local) : NULL;
	g_autofree char *full_summary = NULL;
	GString *text = g_string_new(NULL);

	if (health->state == SR_SOURCE_STATE_OK) {
		/* TRANSLATORS: a source of alerts answers again: "alerts_in_ua is back" */
		full_summary = g_strdup_printf(_("%s is back"), name);
		g_string_append(text, _("Alerts from it are current again."));
		if (since != NULL) {
			g_string_append_c(text, ' ');
			g_string_append_printf(text, _("It was down since %s."), since);
		}
	} else {
		g_autofree char *clean_reason =
		    health->error != NULL ? sr_notify_clean(health->error, FALSE) : NULL;
		g_autofree char *reason = sr_notify_isolate(
		    clean_reason != NULL && clean_reason[0] != '\0' ? clean_reason
		                                                    : _("no answer"));
		gboolean stale = health->state == SR_SOURCE_STATE_STALE;
		full_summary = g_strdup(_("Alerts may be missed"));
		/* TRANSLATORS: the source's name, since when, and why: "alerts_in_ua unreachable
		 * since 08:12 (timed out)." */
		if (since != NULL && stale)
			g_string_append_printf(text, _("%s unreachable since %s (%s)."), name,
			                       since, reason);
		else if (since != NULL)
			g_string_append_printf(text, _("%s failing since %s (%s)."), name, since,
			                       reason);
		else if (stale)
			g_string_append_printf(text, _("%s unreachable (%s)."), name, reason);
		else
			g_string_append_printf(text, _("%s failing (%s)."), name, reason);
		g_string_append_c(text, ' ');
		g_string_append(text, _("Its last alerts are kept."));
	}
	*summary = sr_notify_truncate(full_summary, SR_NOTIFY_SUMMARY_MAX);
	*body = sr_notify_truncate(text->str, SR_NOTIFY_BODY_MAX);
	g_string_free(text, TRUE);
}

/* settings and rules */

/* what Sirena does for @kind when the user has not said otherwise */
static void
sr_notify_rule_init(SrNotifyRule *rule, SrKind kind)
{
	memset(rule, 0, sizeof(*rule));
	rule->notify = TRUE;
	switch (kind) {
	case SR_KIND_AIR_RAID:
	case SR_KIND_MISSILE:
	case SR_KIND_NUCLEAR:
	case SR_KIND_CHEMICAL:
	case SR_KIND_TSUNAMI:
		rule->urgency = SR_NOTIFY_URGENCY_CRITICAL;
		rule->sound = TRUE;
		rule->bypass_quiet = TRUE;
		break;
	case SR_KIND_ARTILLERY:
	case SR_KIND_URBAN_FIGHTS:
	case SR_KIND_UAV:
	case SR_KIND_HAZMAT:
	case SR_KIND_EARTHQUAKE:
	case SR_KIND_INFILTRATION:
		rule->urgency = SR_NOTIFY_URGENCY_CRITICAL;
		rule->sound = TRUE;
		break;
	default:
		rule->urgency = SR_NOTIFY_URGENCY_NORMAL;
		break;
	}
}

void
sr_notify_settings_init(SrNotifySettings *settings)
{
	g_return_if_fail(settings != NULL);

	memset(settings, 0, sizeof(*settings));
	settings->sound = TRUE;
	for (guint i = 0; i < SR_KIND_LAST; i++)
		sr_notify_rule_init(&settings->rules[i], (SrKind)i);
}

gboolean
sr_notify_urgency_from_string(const char *str, SrNotifyUrgency *urgency)
{
	static const char *const names[] = {"low", "normal", "critical"};
	g_return_val_if_fail(urgency != NULL, FALSE);
	if (str == NULL)
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		if (g_ascii_strcasecmp(names[i], str) == 0) {
			*urgency = (SrNotifyUrgency)i;
			return TRUE;
		}
	}
	return FALSE;
}

/* the rule for @event: its kind's, raised for an extreme severity, lowered for the phases
 * around the alert proper unless the user set the kind's urgency; sound only when the master
 * switch allows it */
static SrNotifyRule
sr_notifier_get_rule(SrNotifier *self, const SrEvent *event)
{
	SrKind kind = (guint)event->kind < SR_KIND_LAST ? event->kind : SR_KIND_UNKNOWN;
	SrNotifyRule rule = self->settings.rules[kind];
	/* an urgency the user wrote holds as written: some sources call every alert extreme,
	 * and the user who lowered a kind meant it */
	gboolean own_urgency = rule.urgency_set;

	/* a pre-alert asks the user to get ready and stay-near lets them out of the shelter: a
	 * critical notification that stays until dismissed would cry wolf, whatever the severity
	 * of the threat they are about; the alert itself (an update of the same notification) is
	 * raised to its full urgency when it comes */
	switch (event->phase) {
	case SR_PHASE_PRE_ALERT:
		if (!own_urgency)
			rule.urgency = SR_NOTIFY_URGENCY_NORMAL;
		break;
	case SR_PHASE_STAY_NEAR:
		if (!own_urgency)
			rule.urgency = SR_NOTIFY_URGENCY_LOW;
		break;
	default:
		if (own_urgency)
			break;
		/* CAP's own scale: extreme and happening now is critical; a minor one is low,
		 * unless the kind is one that is always critical (air raid, missile …) */
		if (event->severity == SR_SEVERITY_EXTREME &&
		    (event->urgency == SR_URGENCY_IMMEDIATE ||
		     event->urgency == SR_URGENCY_UNKNOWN)) {
			rule.urgency = SR_NOTIFY_URGENCY_CRITICAL;
			rule.sound = TRUE;
		} else if (event->severity == SR_SEVERITY_EXTREME) {
			rule.urgency = MAX(rule.urgency, SR_NOTIFY_URGENCY_NORMAL);
			rule.sound = TRUE;
		} else if (event->severity == SR_SEVERITY_MINOR &&
		           rule.urgency != SR_NOTIFY_URGENCY_CRITICAL) {
			rule.urgency = SR_NOTIFY_URGENCY_LOW;
			rule.sound = FALSE;
		}
		break;
	}
	if (!self->settings.sound)
		rule.sound = FALSE;
	return rule;
}

void
sr_notifier_snooze(SrNotifier *self, gint64 until)
{
	g_return_if_fail(self != NULL);
	self->snoozed_until = MAX(until, 0);
	if (until > 0) {
		g_autoptr(GDateTime) local = g_date_time_new_from_unix_local(until);
		g_autofree char *str = local != NULL ? g_date_time_format_iso8601(local) : NULL;
		g_message("notifications snoozed until %s", str != NULL ? str : "an unknown time");
	} else {
		g_message("notifications resumed");
	}
}

gint64
sr_notifier_get_snoozed_until(SrNotifier *self, gint64 now)
{
	g_return_val_if_fail(self != NULL, 0);
	/* resumes by itself: a snooze in the past is no snooze */
	if (self->snoozed_until <= now)
		return 0;
	return self->snoozed_until;
}

gboolean
sr_notifier_in_quiet_hours(SrNotifier *self, gint64 now)
{
	g_autoptr(GDateTime) local = NULL;
	guint minute = 0;
	guint start = 0;
	guint end = 0;

	g_return_val_if_fail(self != NULL, FALSE);
	start = self->settings.quiet_start;
	end = self->settings.quiet_end;
	if (!self->settings.has_quiet_hours || start == end)
		return FALSE;
	local = g_date_time_new_from_unix_local(now);
	if (local == NULL)
		return FALSE;
	minute = (guint)(g_date_time_get_hour(local) * 60 + g_date_time_get_minute(local));
	if (start < end)
		return minute >= start && minute < end;
	/* wraps midnight: 22:00-07:00 */
	return minute >= start || minute < end;
}

/* quiet hours or snoozed */
static gboolean
sr_notifier_hushed(SrNotifier *self, gint64 now)
{
	return sr_notifier_get_snoozed_until(self, now) != 0 ||
	       sr_notifier_in_quiet_hours(self, now);
}

/* the notification server */

static guint32
sr_notifier_entry_get_id(SrNotifierEntry *entry)
{
	gint id = 0;
	g_object_get(entry->notification, "id", &id, NULL);
	return (guint32)id;
}

static void
sr_notifier_entry_set_id(SrNotifierEntry *entry, guint32 id)
{
	/* libnotify keeps the id in a gint property */
	if (id > G_MAXINT32)
		id = 0;
	g_object_set(entry->notification, "id", (gint)id, NULL);
}

/* the unique name of the server's current owner, NULL when there is none (or no bus) */
static char *
sr_notify_query_owner(void)
{
	g_autoptr(GDBusConnection) bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, NULL);
	g_autoptr(GVariant) reply = NULL;
	char *owner = NULL;

	if (bus == NULL)
		return NULL;
	reply = g_dbus_connection_call_sync(
	    bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
	    "GetNameOwner", g_variant_new("(s)", SR_NOTIFY_SERVER_NAME), G_VARIANT_TYPE("(s)"),
	    G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
	if (reply != NULL)
		g_variant_get(reply, "(s)", &owner);
	return owner;
}

static gboolean sr_notifier_retry_cb(gpointer user_data);

/* retries pending notifications after @delay_s seconds (0: as soon as the main loop is idle,
 * after libnotify's proxy has followed the bus' news); an earlier retry wins */
static void
sr_notifier_schedule_retry(SrNotifier *self, guint delay_s)
{
	GSource *source = NULL;

	if (self->retry_source != NULL) {
		if (delay_s > 0)
			return;
		g_source_destroy(self->retry_source);
		g_clear_pointer(&self->retry_source, g_source_unref);
	}
	if (delay_s == 0) {
		source = g_idle_source_new();
		g_source_set_priority(source, G_PRIORITY_DEFAULT_IDLE);
	} else {
		source = g_timeout_source_new_seconds(delay_s);
	}
	g_source_set_callback(source, sr_notifier_retry_cb, self, NULL);
	g_source_attach(source, self->context);
	self->retry_source = source;
}

static gboolean
sr_notifier_has_pending(SrNotifier *self)
{
	GHashTableIter iter;
	gpointer value = NULL;
	g_hash_table_iter_init(&iter, self->entries);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		SrNotifierEntry *entry = value;
		if (entry->pending)
			return TRUE;
	}
	return FALSE;
}

/* the server we talk to is another one now (or none): its ids mean nothing any more */
static void
sr_notifier_set_owner(SrNotifier *self, const char *owner)
{
	GHashTableIter iter;
	gpointer value = NULL;

	if (g_strcmp0(owner, self->server_owner) == 0)
		return;
	if (self->server_owner != NULL) {
		g_info("notification server changed: '%s' to '%s'", self->server_owner,
		       owner != NULL ? owner : "none");
		g_hash_table_iter_init(&iter, self->entries);
		while (g_hash_table_iter_next(&iter, NULL, &value)) {
			SrNotifierEntry *entry = value;
			if (!entry->showing)
				continue;
			entry->showing = FALSE;
			sr_notifier_entry_set_id(entry, 0);
			if (entry->reshow) {
				/* it vanished with the server, and still matters */
				entry->pending = TRUE;
				entry->quiet = TRUE;
			}
		}
	}
	g_free(self->server_owner);
	self->server_owner = g_strdup(owner);
	self->caps_known = FALSE;
	self->owner_changed = owner != NULL;
	if (sr_notifier_has_pending(self))
		sr_notifier_schedule_retry(self, owner != NULL ? 0 : self->retry_delay_s);
}

static void
sr_notifier_refresh_owner(SrNotifier *self)
{
	g_autofree char *owner = sr_notify_query_owner();
	sr_notifier_set_owner(self, owner);
}

static void
sr_notifier_name_appeared_cb(GDBusConnection *connection, const char *name, const char *name_owner,
                             gpointer user_data)
{
	/* the callbacks can lag behind the synchronous checks: ask the bus for the present */
	sr_notifier_refresh_owner(user_data);
}

static void
sr_notifier_name_vanished_cb(GDBusConnection *connection, const char *name, gpointer user_data)
{
	sr_notifier_refresh_owner(user_data);
}

static gboolean
sr_notify_caps_contain(GList *caps, const char *cap)
{
	return g_list_find_custom(caps, cap, (GCompareFunc)g_strcmp0) != NULL;
}

/* makes sure there is a server to talk to, and that the ids are its ids */
static gboolean
sr_notifier_connect(SrNotifier *self, GError **error)
{
	GList *caps = NULL;

	if (!notify_is_initted() && !notify_init(self->app_name)) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_FAILED,
		                    "cannot initialise libnotify");
		return FALSE;
	}
	if (self->watch_id == 0) {
		g_autoptr(GDBusConnection) bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, error);
		if (bus == NULL)
			return FALSE;
		self->watch_id = g_bus_watch_name_on_connection(
		    bus, SR_NOTIFY_SERVER_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
		    sr_notifier_name_appeared_cb, sr_notifier_name_vanished_cb, self, NULL);
	}
	sr_notifier_refresh_owner(self);
	if (self->caps_known)
		return TRUE;

	/* this also starts a server that is activatable; notify_get_server_caps() alone would
	 * warn when there is none */
	if (!notify_get_server_info(NULL, NULL, NULL, NULL)) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
		                    "no notification server answers");
		return FALSE;
	}
	caps = notify_get_server_caps();
	self->has_actions = sr_notify_caps_contain(caps, "actions");
	self->has_markup = sr_notify_caps_contain(caps, "body-markup");
	g_list_free_full(caps, g_free);
	/* a server started by the call above has an owner now */
	sr_notifier_refresh_owner(self);
	self->caps_known = self->server_owner != NULL;
	return TRUE;
}

/* errors that say the server was not reached, rather than that it refused the call */
static gboolean
sr_notify_error_is_unreachable(const GError *error)
{
	if (error->domain == G_IO_ERROR)
		return error->code != G_IO_ERROR_DBUS_ERROR;
	if (error->domain != G_DBUS_ERROR)
		return FALSE;
	switch (error->code) {
	case G_DBUS_ERROR_SERVICE_UNKNOWN:
	case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
	case G_DBUS_ERROR_NO_REPLY:
	case G_DBUS_ERROR_TIMEOUT:
	case G_DBUS_ERROR_TIMED_OUT:
	case G_DBUS_ERROR_DISCONNECTED:
	case G_DBUS_ERROR_NO_SERVER:
	case G_DBUS_ERROR_NO_NETWORK:
	case G_DBUS_ERROR_SPAWN_FAILED:
	case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
	case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
	case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
	case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
		return TRUE;
	default:
		return FALSE;
	}
}

static void
sr_notifier_show_failed(SrNotifier *self, SrNotifierEntry *entry, const GError *error)
{
	/* the TEST is for now: shown later, it would only alarm */
	entry->pending = entry->type != ENTRY_TEST;
	if (self->owner_changed) {
		/* libnotify's proxy follows a new server only from the main loop: once it has,
		 * which is at the next idle, try again (once) */
		self->owner_changed = FALSE;
		g_debug("cannot show desktop notifications yet: %s", error->message);
		sr_notifier_schedule_retry(self, 0);
		return;
	}
	if (!self->outage_logged) {
		g_message("cannot show desktop notifications: %s", error->message);
		self->outage_logged = TRUE;
	} else {
		g_debug("cannot show desktop notifications: %s", error->message);
	}
	sr_notifier_schedule_retry(self, self->retry_delay_s);
}

static void
sr_notifier_show_worked(SrNotifier *self)
{
	self->owner_changed = FALSE;
	if (self->outage_logged) {
		g_message("desktop notifications work again");
		self->outage_logged = FALSE;
	}
	self->retry_delay_s = SR_NOTIFY_RETRY_MIN_S;
}

static void
sr_notifier_details_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	if (!g_app_info_launch_default_for_uri_finish(result, &error))
		g_message("cannot open the alert's details: %s", error->message);
}

static void
sr_notifier_details_action_cb(NotifyNotification *notification, char *action, gpointer user_data)
{
	SrNotifierEntry *entry = user_data;
	if (entry->web == NULL)
		return;
	g_app_info_launch_default_for_uri_async(entry->web, NULL, NULL, sr_notifier_details_cb,
	                                        NULL);
}

static void
sr_notifier_snooze_action_cb(NotifyNotification *notification, char *action, gpointer user_data)
{
	SrNotifierEntry *entry = user_data;
	SrNotifier *self = entry->notifier;
	gint64 until = g_get_real_time() / G_USEC_PER_SEC + SR_NOTIFY_SNOOZE_S;

	sr_notifier_snooze(self, until);
	if (self->snooze_func != NULL)
		self->snooze_func(self, until, self->snooze_data);
}

/* the server says the notification is gone: expired, dismissed, or closed by us */
static void
sr_notifier_closed_cb(NotifyNotification *notification, gpointer user_data)
{
	SrNotifierEntry *entry = user_data;
	entry->showing = FALSE;
}

/* only web pages: a link from upstream must not start any handler the desktop has */
static gboolean
sr_notify_web_is_safe(const char *web)
{
	const char *scheme = web != NULL ? g_uri_peek_scheme(web) : NULL;
	return scheme != NULL &&
	       (g_strcmp0(scheme, "https") == 0 || g_strcmp0(scheme, "http") == 0);
}

/* the NotifyNotification for the entry's next show: a new one for a new notification, as
 * libnotify reports the closing of one object only once */
static void
sr_notifier_entry_renew(SrNotifierEntry *entry)
{
	if (entry->notification != NULL) {
		g_signal_handler_disconnect(entry->notification, entry->closed_id);
		g_object_unref(entry->notification);
	}
	entry->notification = notify_notification_new(entry->notifier->app_name, NULL, NULL);
	entry->closed_id = g_signal_connect(entry->notification, "closed",
	                                    G_CALLBACK(sr_notifier_closed_cb), entry);
}

/* puts the entry's text, urgency, hints and actions on its notification */
static void
sr_notifier_entry_apply(SrNotifier *self, SrNotifierEntry *entry)
{
	NotifyNotification *n = entry->notification;
	gboolean critical = entry->urgency == SR_NOTIFY_URGENCY_CRITICAL;
	gboolean sound = entry->sound && !entry->quiet;
	g_autofree char *body =
	    self->has_markup ? g_markup_escape_text(entry->body, -1) : g_strdup(entry->body);

	notify_notification_update(n, entry->summary, body, NULL);
	notify_notification_set_app_name(n, self->app_name);
	switch (entry->urgency) {
	case SR_NOTIFY_URGENCY_LOW:
		notify_notification_set_urgency(n, NOTIFY_URGENCY_LOW);
		break;
	case SR_NOTIFY_URGENCY_CRITICAL:
		notify_notification_set_urgency(n, NOTIFY_URGENCY_CRITICAL);
		break;
	case SR_NOTIFY_URGENCY_NORMAL:
	default:
		notify_notification_set_urgency(n, NOTIFY_URGENCY_NORMAL);
		break;
	}
	/* critical: stays until the user dismisses it, even after an action */
	notify_notification_set_timeout(n,
	                                critical ? NOTIFY_EXPIRES_NEVER : NOTIFY_EXPIRES_DEFAULT);
	notify_notification_set_hint(n, "resident", critical ? g_variant_new_boolean(TRUE) : NULL);
	notify_notification_set_hint(
	    n, "sound-name",
	    sound ? g_variant_new_string(critical ? "alarm-clock-elapsed" : "message-new-instant")
	          : NULL);
	notify_notification_set_hint(n, "suppress-sound", g_variant_new_boolean(!sound));
	notify_notification_set_hint(n, "category", g_variant_new_string(entry->category));
	notify_notification_set_hint(n, "desktop-entry",
	                             g_variant_new_string(SR_NOTIFY_DESKTOP_ENTRY));

	notify_notification_clear_actions(n);
	if (self->has_actions && (entry->type == ENTRY_ALERT || entry->type == ENTRY_TEST))
		notify_notification_add_action(n, "snooze", _("Snooze 1 h"),
		                               sr_notifier_snooze_action_cb, entry, NULL);
	if (self->has_actions && entry->web != NULL)
		notify_notification_add_action(n, "details", _("Details"),
		                               sr_notifier_details_action_cb, entry, NULL);
}

/* shows (or replaces) @entry's notification; returns its id, 0 when it could not be shown
 * (it is then retried) */
static guint32
sr_notifier_show_entry(SrNotifier *self, SrNotifierEntry *entry)
{
	g_autoptr(GError) error = NULL;
	gboolean ok = FALSE;

	if (!sr_notifier_connect(self, &error)) {
		sr_notifier_show_failed(self, entry, error);
		return 0;
	}
	/* not on screen (never shown, closed, or gone with a server): a new notification */
	if (!entry->showing)
		sr_notifier_entry_renew(entry);
	sr_notifier_entry_apply(self, entry);
	ok = notify_notification_show(entry->notification, &error);
	if (!ok && entry->showing && !sr_notify_error_is_unreachable(error)) {
		/* the server refused the id (gone since a restart we did not see): a new one */
		g_debug("cannot replace notification %u: %s", sr_notifier_entry_get_id(entry),
		        error->message);
		g_clear_error(&error);
		entry->showing = FALSE;
		sr_notifier_entry_renew(entry);
		sr_notifier_entry_apply(self, entry);
		ok = notify_notification_show(entry->notification, &error);
	}
	if (!ok) {
		sr_notifier_show_failed(self, entry, error);
		return 0;
	}
	entry->showing = TRUE;
	entry->displayed = TRUE;
	entry->pending = FALSE;
	entry->quiet = FALSE;
	sr_notifier_show_worked(self);
	return sr_notifier_entry_get_id(entry);
}

/* closes @entry's notification if it is on screen; a failure is no reason to stop */
static void
sr_notifier_close_entry(SrNotifier *self, SrNotifierEntry *entry)
{
	g_autoptr(GError) error = NULL;
	if (!entry->showing || !sr_notifier_connect(self, NULL) || !entry->showing)
		return;
	if (!notify_notification_close(entry->notification, &error))
		g_debug("cannot close notification %u: %s", sr_notifier_entry_get_id(entry),
		        error->message);
	entry->showing = FALSE;
}

static gboolean
sr_notifier_retry_cb(gpointer user_data)
{
	SrNotifier *self = user_data;
	g_autoptr(GPtrArray) pending = g_ptr_array_new();
	GHashTableIter iter;
	gpointer value = NULL;

	g_clear_pointer(&self->retry_source, g_source_unref);
	/* the next try, should this one fail: later; a success resets it */
	self->retry_delay_s = MIN(self->retry_delay_s * 2, SR_NOTIFY_RETRY_MAX_S);
	g_hash_table_iter_init(&iter, self->entries);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		SrNotifierEntry *entry = value;
		if (entry->pending)
			g_ptr_array_add(pending, entry);
	}
	for (guint i = 0; i < pending->len; i++) {
		SrNotifierEntry *entry = g_ptr_array_index(pending, i);
		/* an earlier show can have found a new server, which queued its own retry */
		if (!entry->pending)
			continue;
		/* still no server: the failure scheduled the next try */
		if (sr_notifier_show_entry(self, entry) == 0)
			break;
	}
	return G_SOURCE_REMOVE;
}

/* entries */

static void
sr_notifier_entry_free(SrNotifierEntry *entry)
{
	g_signal_handler_disconnect(entry->notification, entry->closed_id);
	g_object_unref(entry->notification);
	g_free(entry->key);
	g_free(entry->summary);
	g_free(entry->body);
	g_free(entry->web);
	g_free(entry);
}

/* the entry for @key, made when there is none. @known_id is what a previous run showed it as;
 * an entry this run has knows better (its id may have been dismissed, or died with a server) */
static SrNotifierEntry *
sr_notifier_entry_get(SrNotifier *self, SrNotifierEntryType type, const char *key, guint32 known_id)
{
	SrNotifierEntry *entry = g_hash_table_lookup(self->entries, key);
	if (entry != NULL)
		return entry;
	entry = g_new0(SrNotifierEntry, 1);
	entry->notifier = self;
	entry->type = type;
	entry->key = g_strdup(key);
	entry->urgency = SR_NOTIFY_URGENCY_NORMAL;
	entry->category = "x-sirena.alert";
	sr_notifier_entry_renew(entry);
	g_hash_table_insert(self->entries, entry->key, entry);
	if (known_id != 0 && known_id <= G_MAXINT32) {
		/* replaced by an update, closed at the end */
		sr_notifier_entry_set_id(entry, known_id);
		entry->showing = TRUE;
		entry->displayed = TRUE;
	}
	return entry;
}

/* the look of an entry's next show (takes @summary and @body) */
static void
sr_notifier_entry_configure(SrNotifierEntry *entry, char *summary, char *body,
                            SrNotifyUrgency urgency, gboolean sound, const char *category)
{
	g_free(entry->summary);
	entry->summary = summary;
	g_free(entry->body);
	entry->body = body;
	entry->urgency = urgency;
	entry->sound = sound;
	entry->category = category;
	entry->quiet = FALSE;
}

/* changes */

static guint32
sr_notifier_show_alert(SrNotifier *self, const SrChange *change, guint32 known_id, gint64 now)
{
	const SrAlert *alert = change->alert;
	SrNotifyRule rule = sr_notifier_get_rule(self, alert->event);
	SrNotifierEntry *entry = g_hash_table_lookup(self->entries, alert->key);
	g_autofree char *all_clear_key = g_strconcat("all-clear:", alert->key, NULL);
	SrNotifierEntry *all_clear = g_hash_table_lookup(self->entries, all_clear_key);
	guint32 shown_id = entry != NULL && entry->showing ? sr_notifier_entry_get_id(entry) : 0;
	char *summary = NULL;
	char *body = NULL;

	if (!rule.notify) {
		g_info("not shown, notifications for %s are off: '%s'",
		       sr_kind_to_string(alert->event->kind), alert->key);
		return shown_id;
	}
	if (!rule.bypass_quiet && sr_notifier_hushed(self, now)) {
		g_info("not shown during quiet hours or snooze: '%s'", alert->key);
		return shown_id;
	}
	/* the alert is back: an all-clear for it on screen would contradict it */
	if (all_clear != NULL)
		sr_notifier_close_entry(self, all_clear);

	entry = sr_notifier_entry_get(self, ENTRY_ALERT, alert->key, known_id);
	sr_notifier_alert_text(self, alert, change->baseline, now, &summary, &body);
	sr_notifier_entry_configure(entry, summary, body, rule.urgency, rule.sound,
	                            "x-sirena.alert");
	g_free(entry->web);
	entry->web = sr_notify_web_is_safe(alert->event->web) ? g_strdup(alert->event->web) : NULL;
	entry->reshow = TRUE;
	return sr_notifier_show_entry(self, entry);
}

static guint32
sr_notifier_end_alert(SrNotifier *self, const SrChange *change, guint32 known_id, gint64 now)
{
	const SrAlert *alert = change->alert;
	SrNotifyRule rule = sr_notifier_get_rule(self, alert->event);
	SrNotifierEntry *entry = g_hash_table_lookup(self->entries, alert->key);
	g_autofree char *all_clear_key = g_strconcat("all-clear:", alert->key, NULL);
	gboolean shown = known_id != 0 || (entry != NULL && entry->displayed);
	char *summary = NULL;
	char *body = NULL;

	/* an alert shown by a previous run is closed by the id it had then */
	if (entry == NULL && known_id != 0)
		entry = sr_notifier_entry_get(self, ENTRY_ALERT, alert->key, known_id);
	if (entry != NULL) {
		sr_notifier_close_entry(self, entry);
		g_hash_table_remove(self->entries, alert->key);
	}
	if (!shown) {
		g_info("no all-clear, its alert was not shown: '%s'", alert->key);
		return 0;
	}

	/* always shown, as its alert was; heard only when the alert could be heard now */
	entry = sr_notifier_entry_get(self, ENTRY_ALL_CLEAR, all_clear_key, 0);
	sr_notifier_all_clear_text(self, change, &summary, &body);
	sr_notifier_entry_configure(entry, summary, body, SR_NOTIFY_URGENCY_NORMAL,
	                            rule.sound &&
	                                (rule.bypass_quiet || !sr_notifier_hushed(self, now)),
	                            "x-sirena.all-clear");
	entry->reshow = FALSE;
	return sr_notifier_show_entry(self, entry);
}

static guint32
sr_notifier_show_source(SrNotifier *self, const SrChange *change, gint64 now)
{
	const SrSourceHealth *health = change->source;
	g_autofree char *key = g_strconcat("source:", health->name, NULL);
	SrNotifierEntry *entry = sr_notifier_entry_get(self, ENTRY_SOURCE, key, 0);
	gboolean down = health->state != SR_SOURCE_STATE_OK;
	char *summary = NULL;
	char *body = NULL;

	/* the engine reports each down period once and the recovery once: each is shown, the
	 * recovery in place of the warning */
	if (down)
		entry->down_since = health->down_since != 0 ? health->down_since : change->at;
	sr_notifier_source_text(health, entry->down_since, now, &summary, &body);
	sr_notifier_entry_configure(entry, summary, body, SR_NOTIFY_URGENCY_LOW, FALSE,
	                            "x-sirena.source");
	entry->reshow = down;
	if (!down)
		entry->down_since = 0;
	return sr_notifier_show_entry(self, entry);
}

guint32
sr_notifier_handle_change(SrNotifier *self, const SrChange *change, guint32 known_id, gint64 now)
{
	g_return_val_if_fail(self != NULL, 0);
	g_return_val_if_fail(change != NULL, 0);

	switch (change->type) {
	case SR_CHANGE_STARTED:
	case SR_CHANGE_UPDATED:
		g_return_val_if_fail(change->alert != NULL, 0);
		return sr_notifier_show_alert(self, change, known_id, now);
	case SR_CHANGE_ENDED:
		g_return_val_if_fail(change->alert != NULL, 0);
		return sr_notifier_end_alert(self, change, known_id, now);
	case SR_CHANGE_SOURCE:
		g_return_val_if_fail(change->source != NULL, 0);
		return sr_notifier_show_source(self, change, now);
	default:
		return 0;
	}
}

guint32
sr_notifier_send_test(SrNotifier *self, gint64 now)
{
	SrNotifierEntry *entry = NULL;

	g_return_val_if_fail(self != NULL, 0);

	/* asked for by the user: shown whatever the quiet hours, as loud as an air raid */
	entry = sr_notifier_entry_get(self, ENTRY_TEST, "test:", 0);
	sr_notifier_entry_configure(entry, g_strdup(_("TEST — Sirena test alert")),
	                            g_strdup(_("This is a test, not a real alert. If you can see "
	                                       "and hear it, Sirena's alert notifications work.")),
	                            SR_NOTIFY_URGENCY_CRITICAL, self->settings.sound,
	                            "x-sirena.alert");
	entry->reshow = FALSE;
	return sr_notifier_show_entry(self, entry);
}

void
sr_notifier_format(SrNotifier *self, const SrChange *change, gint64 now, char **summary,
                   char **body)
{
	g_autofree char *plain = NULL;

	g_return_if_fail(self != NULL);
	g_return_if_fail(change != NULL);
	g_return_if_fail(summary != NULL && body != NULL);
	g_return_if_fail((guint)change->type <= SR_CHANGE_SOURCE);
	g_return_if_fail(change->type == SR_CHANGE_SOURCE ? change->source != NULL
	                                                  : change->alert != NULL);

	switch (change->type) {
	case SR_CHANGE_STARTED:
	case SR_CHANGE_UPDATED:
		sr_notifier_alert_text(self, change->alert, change->baseline, now, summary, &plain);
		break;
	case SR_CHANGE_ENDED:
		sr_notifier_all_clear_text(self, change, summary, &plain);
		break;
	case SR_CHANGE_SOURCE:
	default: {
		g_autofree char *key = g_strconcat("source:", change->source->name, NULL);
		SrNotifierEntry *entry = g_hash_table_lookup(self->entries, key);
		gint64 down_since = 0;
		if (change->source->state != SR_SOURCE_STATE_OK)
			down_since = change->source->down_since != 0 ? change->source->down_since
			                                             : change->at;
		else if (entry != NULL)
			down_since = entry->down_since;
		sr_notifier_source_text(change->source, down_since, now, summary, &plain);
		break;
	}
	}
	*body = g_markup_escape_text(plain, -1);
}

/* the object */

SrNotifier *
sr_notifier_new(const char *app_name, const SrCatalog *catalog)
{
	SrNotifier *self = g_new0(SrNotifier, 1);

	g_return_val_if_fail(app_name != NULL && app_name[0] != '\0', NULL);

	self->app_name = g_strdup(app_name);
	self->catalog = catalog;
	sr_notify_settings_init(&self->settings);
	self->subscriptions = g_ptr_array_new_with_free_func(g_free);
	self->entries = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	                                      (GDestroyNotify)sr_notifier_entry_free);
	self->context = g_main_context_ref_thread_default();
	self->retry_delay_s = SR_NOTIFY_RETRY_MIN_S;
	return self;
}

void
sr_notifier_free(SrNotifier *self)
{
	if (self == NULL)
		return;
	if (self->retry_source != NULL) {
		g_source_destroy(self->retry_source);
		g_source_unref(self->retry_source);
	}
	if (self->watch_id != 0)
		g_bus_unwatch_name(self->watch_id);
	/* the notifications stay on screen: a restarted Sirena finds them by their ids */
	g_hash_table_unref(self->entries);
	g_ptr_array_unref(self->subscriptions);
	g_main_context_unref(self->context);
	g_free(self->server_owner);
	g_free(self->app_name);
	g_free(self);
}

void
sr_notifier_set_settings(SrNotifier *self, const SrNotifySettings *settings)
{
	g_return_if_fail(self != NULL);
	g_return_if_fail(settings != NULL);
	self->settings = *settings;
}

void
sr_notifier_set_subscriptions(SrNotifier *self, GPtrArray *region_ids)
{
	g_return_if_fail(self != NULL);
	g_ptr_array_set_size(self->subscriptions, 0);
	for (guint i = 0; region_ids != NULL && i < region_ids->len; i++)
		g_ptr_array_add(self->subscriptions, g_strdup(g_ptr_array_index(region_ids, i)));
}

void
sr_notifier_set_snooze_func(SrNotifier *self, SrNotifierSnoozeFunc func, gpointer user_data)
{
	g_return_if_fail(self != NULL);
	self->snooze_func = func;
	self->snooze_data = user_data;
}
