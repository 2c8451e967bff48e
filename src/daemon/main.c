/* main.c - sirenad: options, the bus name, signals; everything else is SrDaemon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sirenad"

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib-unix.h>

#include "daemon/sr-daemon.h"
#include "sr-i18n.h"

typedef struct {
	SrDaemon *daemon;
	GMainLoop *loop;
	int status;
	gboolean replace;
} Service;

static gboolean
quit_cb(gpointer user_data)
{
	Service *service = user_data;
	g_message("stopping");
	g_main_loop_quit(service->loop);
	return G_SOURCE_CONTINUE;
}

static gboolean
reload_cb(gpointer user_data)
{
	Service *service = user_data;
	g_autoptr(GError) error = NULL;
	/* a failed reload keeps the configuration in force and says why */
	if (!sr_daemon_reload(service->daemon, &error))
		g_warning("reload refused, the previous configuration stays: %s", error->message);
	else
		g_message("configuration reloaded");
	return G_SOURCE_CONTINUE;
}

static void
bus_acquired_cb(GDBusConnection *connection, const char *name, gpointer user_data)
{
	Service *service = user_data;
	g_autoptr(GError) error = NULL;
	if (!sr_daemon_export(service->daemon, connection, &error)) {
		g_warning("cannot export the D-Bus API: %s", error->message);
		service->status = 1;
		g_main_loop_quit(service->loop);
	}
}

static void
name_acquired_cb(GDBusConnection *connection, const char *name, gpointer user_data)
{
	Service *service = user_data;
	g_message("running as %s", name);
	sr_daemon_start(service->daemon);
}

static void
name_lost_cb(GDBusConnection *connection, const char *name, gpointer user_data)
{
	Service *service = user_data;
	/* another sirenad already serves this session: one set of upstream requests is enough */
	if (connection == NULL)
		g_warning("no session bus: sirenad needs one (is this a desktop session?)");
	else
		g_warning("%s is owned by another process: sirenad is already running", name);
	service->status = 1;
	g_main_loop_quit(service->loop);
}

int
main(int argc, char **argv)
{
	g_autofree char *config_path = NULL;
	g_autofree char *store_path = NULL;
	gboolean version = FALSE;
	gboolean verbose = FALSE;
	Service service = {0};
	g_autoptr(GOptionContext) context = NULL;
	g_autofree char *summary = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	guint owner_id = 0;
	GOptionEntry entries[] = {
	    {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
	     N_("Configuration file (default: $XDG_CONFIG_HOME/sirena/sirena.conf)"), N_("FILE")},
	    {"store", 0, 0, G_OPTION_ARG_FILENAME, &store_path,
	     N_("State database (default: $XDG_STATE_HOME/sirena/sirena.db)"), N_("FILE")},
	    {"replace", 'r', 0, G_OPTION_ARG_NONE, &service.replace,
	     N_("Replace a running sirenad"), NULL},
	    {"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Log more"), NULL},
	    {"version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version"), NULL},
	    {NULL},
	};

	/* the user-facing text (options, startup errors, notifications) in the session's
	 * language; the journal stays English */
	sr_i18n_init();
	context = g_option_context_new(NULL);
	g_option_context_set_translation_domain(context, GETTEXT_PACKAGE);
	summary = g_strdup_printf(_("The Sirena alert service: polls the configured sources, shows "
	                            "desktop notifications\nand serves %s on the session bus."),
	                          SR_DBUS_NAME);
	/* already translated: GOption's own lookup finds no entry for it and keeps it */
	g_option_context_set_summary(context, summary);
	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		fprintf(stderr, _("sirenad: %s (see sirenad --help)\n"), error->message);
		return 2;
	}
	if (version) {
		printf("sirenad %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (verbose)
		g_setenv("G_MESSAGES_DEBUG", "all", FALSE);

	service.daemon = sr_daemon_new(config_path, store_path, &error);
	if (service.daemon == NULL) {
		fprintf(stderr, _("sirenad: %s\n"), error->message);
		return 2;
	}
	loop = g_main_loop_new(NULL, FALSE);
	service.loop = loop;
	g_unix_signal_add(SIGTERM, quit_cb, &service);
	g_unix_signal_add(SIGINT, quit_cb, &service);
	g_unix_signal_add(SIGHUP, reload_cb, &service);
	owner_id = g_bus_own_name(G_BUS_TYPE_SESSION, SR_DBUS_NAME,
	                          G_BUS_NAME_OWNER_FLAGS_ALLOW_REPLACEMENT |
	                              (service.replace ? G_BUS_NAME_OWNER_FLAGS_REPLACE : 0),
	                          bus_acquired_cb, name_acquired_cb, name_lost_cb, &service, NULL);
	g_main_loop_run(loop);
	g_bus_unown_name(owner_id);
	sr_daemon_free(service.daemon);
	return service.status;
}
