/* sr-daemon.h - sirenad: the engine, the sources, the store, notifications and the D-Bus API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SR_DBUS_NAME "org.sirena.Sirena1"
#define SR_DBUS_PATH "/org/sirena/Sirena1"

typedef struct _SrDaemon SrDaemon;

/* loads the catalog and the configuration (@config_path NULL: the default), opens the store
 * (@store_path NULL: the default); fails on a bad configuration with a message that says what
 * to fix */
SrDaemon *sr_daemon_new(const char *config_path, const char *store_path, GError **error);
void sr_daemon_free(SrDaemon *daemon);

/* exports the API on @connection (call once the bus name is owned or being owned) */
gboolean sr_daemon_export(SrDaemon *daemon, GDBusConnection *connection, GError **error);
/* starts polling, watching the network */
void sr_daemon_start(SrDaemon *daemon);
/* reads the configuration again; on failure the old one stays in force and @error says why */
gboolean sr_daemon_reload(SrDaemon *daemon, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrDaemon, sr_daemon_free)

G_END_DECLS
