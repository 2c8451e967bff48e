/* notifier.h - desktop notifications (libnotify) for alert changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sirena/engine.h"
#include "sirena/event.h"
#include "sirena/region.h"

G_BEGIN_DECLS

typedef enum {
	SR_NOTIFY_URGENCY_LOW,
	SR_NOTIFY_URGENCY_NORMAL,
	SR_NOTIFY_URGENCY_CRITICAL,
} SrNotifyUrgency;

/* what to do for one kind of alert */
typedef struct {
	gboolean notify;         /* show it at all */
	SrNotifyUrgency urgency; /* critical notifications stay until dismissed */
	gboolean sound;          /* ask for a sound ("sound-name" hint) */
	gboolean bypass_quiet;   /* still shown and heard during quiet hours and snooze */
	gboolean urgency_set;    /* the user wrote urgency= for the kind: it holds as written */
} SrNotifyRule;

typedef struct {
	gboolean sound;           /* [notify] sound=: master switch for sounds */
	gboolean has_quiet_hours; /* [notify] quiet-hours=HH:MM-HH:MM (may wrap midnight) */
	guint quiet_start;        /* minutes after local midnight */
	guint quiet_end;
	SrNotifyRule rules[SR_KIND_LAST]; /* [notify KIND] groups override these */
} SrNotifySettings;

/* the defaults: air raid, missile, nuclear, chemical, tsunami → critical, sound, bypass quiet
 * hours; artillery, urban fights, uav, hazmat, earthquake, infiltration → critical with sound;
 * weather, flood, fire, health, civil, other, unknown → normal without sound. An alert of
 * severity extreme is raised to critical with sound whatever its kind. A pre-alert is normal and
 * stay-near low, whatever the kind and severity. An urgency the user wrote for a kind holds as
 * written, in every phase and whatever the severity. */
void sr_notify_settings_init(SrNotifySettings *settings);

/* parses an urgency name: "low", "normal", "critical" */
gboolean sr_notify_urgency_from_string(const char *str, SrNotifyUrgency *urgency);

typedef struct _SrNotifier SrNotifier;

/* @app_name is the application name shown by the server ("Sirena"); connects lazily: a
 * missing notification server is not an error until something is shown */
SrNotifier *sr_notifier_new(const char *app_name, const SrCatalog *catalog);
void sr_notifier_free(SrNotifier *notifier);

void sr_notifier_set_settings(SrNotifier *notifier, const SrNotifySettings *settings);
/* the user's regions, to say which of them an alert covers ("Kyiv Oblast — covers Bucha") and,
 * for an alert at an Israeli zone or at the whole country, whose time to shelter applies */
void sr_notifier_set_subscriptions(SrNotifier *notifier, GPtrArray *region_ids);

/* snooze: until @until (UTC seconds; 0 cancels); alerts whose rule bypasses quiet hours still
 * come through. Resumes by itself when the time has passed. */
void sr_notifier_snooze(SrNotifier *notifier, gint64 until);
gint64 sr_notifier_get_snoozed_until(SrNotifier *notifier, gint64 now);
/* whether quiet hours are in force at @now (local time) */
gboolean sr_notifier_in_quiet_hours(SrNotifier *notifier, gint64 now);

/* shows what @change means to a person and returns the id of the notification that shows the
 * alert (0 when none is shown: muted by a rule, snoozed, or no server). @known_id is the id a
 * previous run used for this alert (from the store), so that an update replaces it and an end
 * closes it even across a restart; 0 when unknown.
 * started → a notification (urgency, persistence and sound by the rules); an active alert at an
 * area with a known time to shelter says it ("… — enter the protected space within 90 s");
 * updated → replaces the alert's notification (same id), with the urgency of its new phase;
 * ended → closes it and shows an all-clear ("Відбій тривоги" / "All clear" by locale), with the
 * change's reason when there is one;
 * source → one low-urgency warning when a source goes down, one when it is back. */
guint32 sr_notifier_handle_change(SrNotifier *notifier, const SrChange *change, guint32 known_id,
                                  gint64 now);

/* a clearly marked TEST alert through the same path (rules of air_raid, sound); returns its id */
guint32 sr_notifier_send_test(SrNotifier *notifier, gint64 now);

/* called when the user picks "Snooze 1 h" on a notification */
typedef void (*SrNotifierSnoozeFunc)(SrNotifier *notifier, gint64 until, gpointer user_data);
void sr_notifier_set_snooze_func(SrNotifier *notifier, SrNotifierSnoozeFunc func,
                                 gpointer user_data);

/* the notification text, escaped for body markup and truncated at a sane length (exposed for
 * tests): the summary and body @change would get */
void sr_notifier_format(SrNotifier *notifier, const SrChange *change, gint64 now, char **summary,
                        char **body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrNotifier, sr_notifier_free)

/* a duration in the user's language, as notifications and `sirena` show it: "51 min",
 * "2 h 5 min", "3 days" */
char *sr_notifier_format_duration(gint64 seconds);

G_END_DECLS
