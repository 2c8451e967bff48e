/* sr-test-notifyd.h - a fake desktop notification server (org.freedesktop.Notifications)
 *
 * It connects to the bus at the address it is given (a GTestDBus: this process's session bus,
 * which libnotify uses), owns org.freedesktop.Notifications there and records every Notify and
 * CloseNotification. It runs on its own thread with its own GMainContext: libnotify calls the
 * server synchronously from the caller's thread, which would otherwise wait for itself.
 *
 * A restart is a real one: the server leaves the bus and comes back on a new connection (a new
 * unique name), and hands out ids from a new range (generation * 1000000), so a stale id from
 * before the restart is never mistaken for a new one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* one method call the server received; immutable once recorded */
typedef struct {
	char *method;       /* "Notify" or "CloseNotification" */
	gint64 received_at; /* g_get_monotonic_time() when the server got it */
	guint generation;   /* which run of the server got it: 1, then 2 after one restart… */
	char *app_name;     /* Notify only, from here to the end */
	guint32 replaces_id;
	guint32 id;     /* Notify: the id returned; CloseNotification: the id to close */
	gboolean known; /* Notify: replaces_id was issued by this run; Close: the id was open */
	char *summary;
	char *body;
	GStrv actions; /* key, label, key, label, … */
	gint32 expire_timeout;
	gint urgency;      /* the "urgency" hint, -1 when absent */
	char *sound_name;  /* the "sound-name" hint, NULL when absent */
	gboolean resident; /* the "resident" hint */
	gboolean suppress_sound;
	char *category;      /* NULL when absent */
	char *desktop_entry; /* NULL when absent */
} SrTestNotifyCall;

typedef struct _SrTestNotifyd SrTestNotifyd;

/* starts the server on the bus at @address with the capabilities @caps (NULL-terminated; NULL
 * for "actions", "body", "body-markup", "persistence", "sound"); returns once this process's
 * session bus connection has seen it own the name */
SrTestNotifyd *sr_test_notifyd_new(const char *address, const char *const *caps);
/* leaves the bus (the notifications die with it) and frees the records */
void sr_test_notifyd_free(SrTestNotifyd *self);

/* leaves the bus and comes back on a new connection with a fresh id range; open notifications
 * are forgotten, as a real server forgets them when it restarts */
void sr_test_notifyd_restart(SrTestNotifyd *self);
/* the same, but returns at once: this process has not yet seen the bus announce it (as when the
 * restart and an alert change arrive together) */
void sr_test_notifyd_restart_unnoticed(SrTestNotifyd *self);
/* when set, a Notify whose replaces_id this run did not issue fails with an error instead of
 * creating a new notification (some servers do that) */
void sr_test_notifyd_set_reject_unknown_replaces(SrTestNotifyd *self, gboolean reject);

/* the run of the server now: 1, then 2 after one restart… */
guint sr_test_notifyd_get_generation(SrTestNotifyd *self);
guint sr_test_notifyd_get_n_calls(SrTestNotifyd *self);
/* the @index-th call received (borrowed, valid until the server is freed) */
const SrTestNotifyCall *sr_test_notifyd_get_call(SrTestNotifyd *self, guint index);
/* how many calls of @method were received */
guint sr_test_notifyd_count(SrTestNotifyd *self, const char *method);
/* the last call of @method; fails the test when there is none */
const SrTestNotifyCall *sr_test_notifyd_get_last(SrTestNotifyd *self, const char *method);
/* whether the notification @id of the current run is showing (shown and not closed) */
gboolean sr_test_notifyd_is_open(SrTestNotifyd *self, guint32 id);

/* the user picked the action @key on notification @id: emits ActionInvoked. Both return once
 * this process's session bus connection has the signal and the default main context has run
 * what it queued (libnotify's handlers) */
void sr_test_notifyd_invoke_action(SrTestNotifyd *self, guint32 id, const char *key);
/* the user dismissed notification @id: emits NotificationClosed with reason 2 */
void sr_test_notifyd_dismiss(SrTestNotifyd *self, guint32 id);

/* runs the default main context until @n calls have been received, or fails the test after
 * @timeout_ms */
void sr_test_notifyd_wait_calls(SrTestNotifyd *self, guint n, guint timeout_ms);
/* lets this process catch up with the bus: a round trip on the session bus connection, then
 * every ready source of the default main context (libnotify's proxy follows name owner changes
 * there) */
void sr_test_notifyd_settle(void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrTestNotifyd, sr_test_notifyd_free)

G_END_DECLS
