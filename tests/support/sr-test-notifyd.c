/* sr-test-notifyd.c - a fake desktop notification server (org.freedesktop.Notifications)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-test-notifyd"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "sr-test-notifyd.h"

/*
 * The bus connection, its object registration and every D-Bus call the server makes live on the
 * server's thread; the test thread asks for a start or a stop with run_in_server(), which waits
 * until it is done. The records, the open ids and the id counter are guarded by one mutex: the
 * test thread reads them while the server thread writes them.
 */

#define SR_TEST_NOTIFYD_NAME  "org.freedesktop.Notifications"
#define SR_TEST_NOTIFYD_PATH  "/org/freedesktop/Notifications"
#define SR_TEST_NOTIFYD_IFACE "org.freedesktop.Notifications"
#define SR_TEST_NOTIFYD_IDS   1000000 /* ids of run N start at (N - 1) * this + 1 */

static const char introspection_xml[] = "<node>"
                                        "  <interface name='org.freedesktop.Notifications'>"
                                        "    <method name='GetCapabilities'>"
                                        "      <arg direction='out' type='as' name='capabilities'/>"
                                        "    </method>"
                                        "    <method name='Notify'>"
                                        "      <arg direction='in' type='s' name='app_name'/>"
                                        "      <arg direction='in' type='u' name='replaces_id'/>"
                                        "      <arg direction='in' type='s' name='app_icon'/>"
                                        "      <arg direction='in' type='s' name='summary'/>"
                                        "      <arg direction='in' type='s' name='body'/>"
                                        "      <arg direction='in' type='as' name='actions'/>"
                                        "      <arg direction='in' type='a{sv}' name='hints'/>"
                                        "      <arg direction='in' type='i' name='expire_timeout'/>"
                                        "      <arg direction='out' type='u' name='id'/>"
                                        "    </method>"
                                        "    <method name='CloseNotification'>"
                                        "      <arg direction='in' type='u' name='id'/>"
                                        "    </method>"
                                        "    <method name='GetServerInformation'>"
                                        "      <arg direction='out' type='s' name='name'/>"
                                        "      <arg direction='out' type='s' name='vendor'/>"
                                        "      <arg direction='out' type='s' name='version'/>"
                                        "      <arg direction='out' type='s' name='spec_version'/>"
                                        "    </method>"
                                        "    <signal name='NotificationClosed'>"
                                        "      <arg type='u' name='id'/>"
                                        "      <arg type='u' name='reason'/>"
                                        "    </signal>"
                                        "    <signal name='ActionInvoked'>"
                                        "      <arg type='u' name='id'/>"
                                        "      <arg type='s' name='action_key'/>"
                                        "    </signal>"
                                        "  </interface>"
                                        "</node>";

static const char *const default_caps[] = {"actions",     "body",  "body-markup",
                                           "persistence", "sound", NULL};

struct _SrTestNotifyd {
	char *address;
	GStrv caps;
	GDBusNodeInfo *introspection;
	GThread *thread;
	GMainContext *context;
	GMainLoop *loop;

	GMutex mutex;
	GCond cond;
	/* guarded by mutex */
	GPtrArray *calls;   /* of SrTestNotifyCall* */
	GHashTable *issued; /* id -> GINT_TO_POINTER(open): every id of this run */
	guint generation;
	guint32 next_id;
	gboolean reject_unknown_replaces;
	GDBusConnection *connection; /* written on the server thread, read to emit signals */

	/* server thread only */
	guint registration_id;
};

static void
sr_test_notify_call_free(SrTestNotifyCall *call)
{
	g_free(call->method);
	g_free(call->app_name);
	g_free(call->summary);
	g_free(call->body);
	g_strfreev(call->actions);
	g_free(call->sound_name);
	g_free(call->category);
	g_free(call->desktop_entry);
	g_free(call);
}

static char *
hint_string(GVariant *hints, const char *key)
{
	const char *value = NULL;
	if (!g_variant_lookup(hints, key, "&s", &value))
		return NULL;
	return g_strdup(value);
}

static gboolean
hint_boolean(GVariant *hints, const char *key)
{
	gboolean value = FALSE;
	if (!g_variant_lookup(hints, key, "b", &value))
		return FALSE;
	return value;
}

/* server thread */
static void
handle_notify(SrTestNotifyd *self, GVariant *parameters, GDBusMethodInvocation *invocation)
{
	SrTestNotifyCall *call = g_new0(SrTestNotifyCall, 1);
	g_autoptr(GVariant) hints = NULL;
	const char *app_name = NULL;
	const char *app_icon = NULL;
	const char *summary = NULL;
	const char *body = NULL;
	g_autofree const char **actions = NULL;
	guint8 urgency = 0;
	gboolean reject = FALSE;

	g_variant_get(parameters, "(&su&s&s&s^a&s@a{sv}i)", &app_name, &call->replaces_id,
	              &app_icon, &summary, &body, &actions, &hints, &call->expire_timeout);
	call->method = g_strdup("Notify");
	call->received_at = g_get_monotonic_time();
	call->app_name = g_strdup(app_name);
	call->summary = g_strdup(summary);
	call->body = g_strdup(body);
	call->actions = g_strdupv((char **)actions);
	call->urgency = g_variant_lookup(hints, "urgency", "y", &urgency) ? (gint)urgency : -1;
	call->sound_name = hint_string(hints, "sound-name");
	call->resident = hint_boolean(hints, "resident");
	call->suppress_sound = hint_boolean(hints, "suppress-sound");
	call->category = hint_string(hints, "category");
	call->desktop_entry = hint_string(hints, "desktop-entry");

	g_mutex_lock(&self->mutex);
	call->generation = self->generation;
	call->known = call->replaces_id != 0 &&
	              g_hash_table_contains(self->issued, GUINT_TO_POINTER(call->replaces_id));
	if (call->known)
		call->id = call->replaces_id;
	else if (call->replaces_id != 0 && self->reject_unknown_replaces)
		reject = TRUE;
	else
		call->id = self->next_id++;
	if (call->id != 0)
		g_hash_table_insert(self->issued, GUINT_TO_POINTER(call->id),
		                    GINT_TO_POINTER(TRUE));
	g_ptr_array_add(self->calls, call);
	g_cond_broadcast(&self->cond);
	g_mutex_unlock(&self->mutex);
	/* a test waiting in sr_test_notifyd_wait_calls() checks again */
	g_main_context_wakeup(NULL);

	if (reject) {
		g_dbus_method_invocation_return_dbus_error(
		    invocation, "org.freedesktop.Notifications.Error.InvalidId",
		    "no such notification to replace");
		return;
	}
	g_dbus_method_invocation_return_value(invocation, g_variant_new("(u)", call->id));
}

/* server thread */
static void
handle_close(SrTestNotifyd *self, GVariant *parameters, GDBusMethodInvocation *invocation)
{
	SrTestNotifyCall *call = g_new0(SrTestNotifyCall, 1);
	guint32 id = 0;

	g_variant_get(parameters, "(u)", &id);
	call->method = g_strdup("CloseNotification");
	call->received_at = g_get_monotonic_time();
	call->id = id;
	call->urgency = -1;

	g_mutex_lock(&self->mutex);
	call->generation = self->generation;
	call->known = GPOINTER_TO_INT(g_hash_table_lookup(self->issued, GUINT_TO_POINTER(id)));
	if (call->known)
		g_hash_table_insert(self->issued, GUINT_TO_POINTER(id), GINT_TO_POINTER(FALSE));
	g_ptr_array_add(self->calls, call);
	g_cond_broadcast(&self->cond);
	g_mutex_unlock(&self->mutex);
	/* a test waiting in sr_test_notifyd_wait_calls() checks again */
	g_main_context_wakeup(NULL);

	if (!call->known) {
		/* the specification: "an empty D-BUS Error message is sent back" */
		g_dbus_method_invocation_return_dbus_error(
		    invocation, "org.freedesktop.Notifications.Error.InvalidId",
		    "no such notification");
		return;
	}
	g_dbus_method_invocation_return_value(invocation, NULL);
	/* reason 3: closed by a call to CloseNotification */
	g_dbus_connection_emit_signal(g_dbus_method_invocation_get_connection(invocation), NULL,
	                              SR_TEST_NOTIFYD_PATH, SR_TEST_NOTIFYD_IFACE,
	                              "NotificationClosed", g_variant_new("(uu)", id, 3), NULL);
}

/* server thread */
static void
method_call_cb(GDBusConnection *connection, const char *sender, const char *object_path,
               const char *interface_name, const char *method_name, GVariant *parameters,
               GDBusMethodInvocation *invocation, gpointer user_data)
{
	SrTestNotifyd *self = user_data;

	if (g_strcmp0(method_name, "GetCapabilities") == 0) {
		g_dbus_method_invocation_return_value(
		    invocation, g_variant_new("(@as)", g_variant_new_strv(
		                                           (const char *const *)self->caps, -1)));
	} else if (g_strcmp0(method_name, "GetServerInformation") == 0) {
		g_dbus_method_invocation_return_value(
		    invocation,
		    g_variant_new("(ssss)", "sr-test-notifyd", "Sirena tests", "1", "1.2"));
	} else if (g_strcmp0(method_name, "Notify") == 0) {
		handle_notify(self, parameters, invocation);
	} else if (g_strcmp0(method_name, "CloseNotification") == 0) {
		handle_close(self, parameters, invocation);
	} else {
		g_dbus_method_invocation_return_error(invocation, G_DBUS_ERROR,
		                                      G_DBUS_ERROR_UNKNOWN_METHOD,
		                                      "unknown method: '%s'", method_name);
	}
}

static const GDBusInterfaceVTable vtable = {method_call_cb, NULL, NULL, {NULL}};

/* server thread: connects, registers the object and owns the name */
static void
server_start(SrTestNotifyd *self)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	GDBusConnection *connection = NULL;
	guint32 result = 0;

	connection = g_dbus_connection_new_for_address_sync(
	    self->address,
	    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
	        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
	    NULL, NULL, &error);
	g_assert_no_error(error);
	self->registration_id = g_dbus_connection_register_object(
	    connection, SR_TEST_NOTIFYD_PATH, self->introspection->interfaces[0], &vtable, self,
	    NULL, &error);
	g_assert_no_error(error);

	g_mutex_lock(&self->mutex);
	self->connection = connection;
	self->generation++;
	self->next_id = (self->generation - 1) * SR_TEST_NOTIFYD_IDS + 1;
	g_hash_table_remove_all(self->issued);
	g_mutex_unlock(&self->mutex);

	/* 4: DBUS_NAME_FLAG_DO_NOT_QUEUE; the reply comes after the bus announced the new owner */
	reply = g_dbus_connection_call_sync(
	    connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
	    "RequestName", g_variant_new("(su)", SR_TEST_NOTIFYD_NAME, 4), G_VARIANT_TYPE("(u)"),
	    G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(u)", &result);
	g_assert_cmpuint(result, ==, 1); /* the primary owner */
}

/* server thread: releases the name (announced before the reply), then leaves the bus */
static void
server_stop(SrTestNotifyd *self)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	GDBusConnection *connection = NULL;

	g_mutex_lock(&self->mutex);
	connection = g_steal_pointer(&self->connection);
	g_mutex_unlock(&self->mutex);
	if (connection == NULL)
		return;

	reply = g_dbus_connection_call_sync(
	    connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
	    "ReleaseName", g_variant_new("(s)", SR_TEST_NOTIFYD_NAME), G_VARIANT_TYPE("(u)"),
	    G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
	g_assert_no_error(error);
	g_dbus_connection_unregister_object(connection, self->registration_id);
	self->registration_id = 0;
	g_dbus_connection_close_sync(connection, NULL, &error);
	g_assert_no_error(error);
	g_object_unref(connection);
}

typedef struct {
	SrTestNotifyd *self;
	void (*func)(SrTestNotifyd *self);
	gboolean done;
} Job;

static gboolean
job_cb(gpointer user_data)
{
	Job *job = user_data;
	job->func(job->self);
	g_mutex_lock(&job->self->mutex);
	job->done = TRUE;
	g_cond_broadcast(&job->self->cond);
	g_mutex_unlock(&job->self->mutex);
	return G_SOURCE_REMOVE;
}

/* runs @func on the server thread and waits until it is done */
static void
run_in_server(SrTestNotifyd *self, void (*func)(SrTestNotifyd *self))
{
	Job job = {self, func, FALSE};
	g_main_context_invoke(self->context, job_cb, &job);
	g_mutex_lock(&self->mutex);
	while (!job.done)
		g_cond_wait(&self->cond, &self->mutex);
	g_mutex_unlock(&self->mutex);
}

static gpointer
server_thread(gpointer user_data)
{
	SrTestNotifyd *self = user_data;
	g_main_context_push_thread_default(self->context);
	g_main_loop_run(self->loop);
	/* let the connection's last sources go */
	while (g_main_context_iteration(self->context, FALSE))
		;
	g_main_context_pop_thread_default(self->context);
	return NULL;
}

void
sr_test_notifyd_settle(void)
{
	g_autoptr(GDBusConnection) bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, NULL);
	if (bus != NULL) {
		/* every message the bus sent before this reply has been queued by now */
		g_autoptr(GVariant) reply = g_dbus_connection_call_sync(
		    bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
		    "GetId", NULL, G_VARIANT_TYPE("(s)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
		g_assert_nonnull(reply);
	}
	while (g_main_context_iteration(NULL, FALSE))
		;
}

SrTestNotifyd *
sr_test_notifyd_new(const char *address, const char *const *caps)
{
	SrTestNotifyd *self = g_new0(SrTestNotifyd, 1);
	g_autoptr(GError) error = NULL;

	g_return_val_if_fail(address != NULL, NULL);

	self->address = g_strdup(address);
	self->caps = g_strdupv((char **)(caps != NULL ? caps : default_caps));
	self->introspection = g_dbus_node_info_new_for_xml(introspection_xml, &error);
	g_assert_no_error(error);
	g_mutex_init(&self->mutex);
	g_cond_init(&self->cond);
	self->calls = g_ptr_array_new_with_free_func((GDestroyNotify)sr_test_notify_call_free);
	self->issued = g_hash_table_new(g_direct_hash, g_direct_equal);
	self->context = g_main_context_new();
	self->loop = g_main_loop_new(self->context, FALSE);
	self->thread = g_thread_new("sr-test-notifyd", server_thread, self);
	run_in_server(self, server_start);
	sr_test_notifyd_settle();
	return self;
}

static gboolean
quit_cb(gpointer user_data)
{
	g_main_loop_quit(user_data);
	return G_SOURCE_REMOVE;
}

void
sr_test_notifyd_free(SrTestNotifyd *self)
{
	if (self == NULL)
		return;
	run_in_server(self, server_stop);
	g_main_context_invoke(self->context, quit_cb, self->loop);
	g_thread_join(self->thread);
	sr_test_notifyd_settle();
	g_main_loop_unref(self->loop);
	g_main_context_unref(self->context);
	g_dbus_node_info_unref(self->introspection);
	g_ptr_array_unref(self->calls);
	g_hash_table_unref(self->issued);
	g_mutex_clear(&self->mutex);
	g_cond_clear(&self->cond);
	g_strfreev(self->caps);
	g_free(self->address);
	g_free(self);
}

void
sr_test_notifyd_restart(SrTestNotifyd *self)
{
	run_in_server(self, server_stop);
	sr_test_notifyd_settle();
	run_in_server(self, server_start);
	sr_test_notifyd_settle();
}

void
sr_test_notifyd_restart_unnoticed(SrTestNotifyd *self)
{
	run_in_server(self, server_stop);
	run_in_server(self, server_start);
}

void
sr_test_notifyd_set_reject_unknown_replaces(SrTestNotifyd *self, gboolean reject)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	self->reject_unknown_replaces = reject;
}

guint
sr_test_notifyd_get_generation(SrTestNotifyd *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	return self->generation;
}

guint
sr_test_notifyd_get_n_calls(SrTestNotifyd *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	return self->calls->len;
}

const SrTestNotifyCall *
sr_test_notifyd_get_call(SrTestNotifyd *self, guint index)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	g_assert_cmpuint(index, <, self->calls->len);
	return g_ptr_array_index(self->calls, index);
}

guint
sr_test_notifyd_count(SrTestNotifyd *self, const char *method)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	guint n = 0;
	for (guint i = 0; i < self->calls->len; i++) {
		const SrTestNotifyCall *call = g_ptr_array_index(self->calls, i);
		if (g_strcmp0(call->method, method) == 0)
			n++;
	}
	return n;
}

const SrTestNotifyCall *
sr_test_notifyd_get_last(SrTestNotifyd *self, const char *method)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	for (guint i = self->calls->len; i > 0; i--) {
		const SrTestNotifyCall *call = g_ptr_array_index(self->calls, i - 1);
		if (g_strcmp0(call->method, method) == 0)
			return call;
	}
	g_test_message("no %s call was received", method);
	g_assert_not_reached();
	return NULL;
}

gboolean
sr_test_notifyd_is_open(SrTestNotifyd *self, guint32 id)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	return GPOINTER_TO_INT(g_hash_table_lookup(self->issued, GUINT_TO_POINTER(id)));
}

static void
seen_cb(GDBusConnection *connection, const char *sender, const char *path, const char *iface,
        const char *signal, GVariant *parameters, gpointer user_data)
{
	gboolean *seen = user_data;
	*seen = TRUE;
}

static gboolean
wait_timeout_cb(gpointer user_data)
{
	gboolean *timed_out = user_data;
	*timed_out = TRUE;
	return G_SOURCE_REMOVE;
}

/* emits a signal of the interface from the server's connection (thread-safe in GDBus), and
 * returns once this process's session bus connection has received it and the default main
 * context has run what it queued (libnotify's handlers) */
static void
emit(SrTestNotifyd *self, const char *signal, GVariant *parameters)
{
	g_autoptr(GDBusConnection) connection = NULL;
	g_autoptr(GDBusConnection) bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, NULL);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;
	gboolean seen = FALSE;
	gboolean timed_out = FALSE;
	GSource *timeout = NULL;
	guint subscription = 0;

	g_mutex_lock(&self->mutex);
	if (self->connection != NULL)
		connection = g_object_ref(self->connection);
	g_mutex_unlock(&self->mutex);
	g_assert_nonnull(connection);
	g_assert_nonnull(bus);

	subscription = g_dbus_connection_signal_subscribe(
	    bus, NULL, SR_TEST_NOTIFYD_IFACE, signal, SR_TEST_NOTIFYD_PATH, NULL,
	    G_DBUS_SIGNAL_FLAGS_NONE, seen_cb, &seen, NULL);
	/* the bus has the match rule once it answers a later call */
	reply = g_dbus_connection_call_sync(
	    bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetId",
	    NULL, G_VARIANT_TYPE("(s)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
	g_assert_no_error(error);

	g_dbus_connection_emit_signal(connection, NULL, SR_TEST_NOTIFYD_PATH, SR_TEST_NOTIFYD_IFACE,
	                              signal, parameters, &error);
	g_assert_no_error(error);
	g_dbus_connection_flush_sync(connection, NULL, &error);
	g_assert_no_error(error);

	timeout = g_timeout_source_new(5000);
	g_source_set_callback(timeout, wait_timeout_cb, &timed_out, NULL);
	g_source_attach(timeout, NULL);
	while (!seen && !timed_out)
		g_main_context_iteration(NULL, TRUE);
	g_source_destroy(timeout);
	g_source_unref(timeout);
	g_dbus_connection_signal_unsubscribe(bus, subscription);
	g_assert_true(seen);
	while (g_main_context_iteration(NULL, FALSE))
		;
}

void
sr_test_notifyd_invoke_action(SrTestNotifyd *self, guint32 id, const char *key)
{
	g_return_if_fail(key != NULL);
	emit(self, "ActionInvoked", g_variant_new("(us)", id, key));
}

void
sr_test_notifyd_dismiss(SrTestNotifyd *self, guint32 id)
{
	g_mutex_lock(&self->mutex);
	g_assert_true(GPOINTER_TO_INT(g_hash_table_lookup(self->issued, GUINT_TO_POINTER(id))));
	g_hash_table_insert(self->issued, GUINT_TO_POINTER(id), GINT_TO_POINTER(FALSE));
	g_mutex_unlock(&self->mutex);
	/* reason 2: dismissed by the user */
	emit(self, "NotificationClosed", g_variant_new("(uu)", id, 2));
}

void
sr_test_notifyd_wait_calls(SrTestNotifyd *self, guint n, guint timeout_ms)
{
	gboolean timed_out = FALSE;
	GSource *timeout = g_timeout_source_new(timeout_ms);

	g_source_set_callback(timeout, wait_timeout_cb, &timed_out, NULL);
	g_source_attach(timeout, NULL);
	while (sr_test_notifyd_get_n_calls(self) < n && !timed_out)
		g_main_context_iteration(NULL, TRUE);
	g_source_destroy(timeout);
	g_source_unref(timeout);
	if (sr_test_notifyd_get_n_calls(self) < n) {
		g_test_message("timed out after %u ms waiting for %u notification calls",
		               timeout_ms, n);
		g_assert_cmpuint(sr_test_notifyd_get_n_calls(self), >=, n);
	}
}
