/* config.h - the configuration file (design.md §8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sirena/geo.h"
#include "sirena/notifier.h"
#include "sirena/region.h"
#include "sirena/source.h"

G_BEGIN_DECLS

/* [relay]: publish every change to an MQTT broker (src/relay/) */
typedef struct {
	gboolean enabled; /* the group has url= */
	char *url;        /* mqtt://HOST[:PORT] or mqtts://HOST[:PORT] */
	char *host;
	int port;
	gboolean tls;           /* mqtts: the certificate is always verified */
	char *ca_file;          /* NULL: the system's CAs */
	char *username;         /* NULL: none */
	char *password;         /* secret: never logged or printed */
	char *client_id;        /* default sirena-<hostname> */
	char *prefix;           /* topic prefix, default "sirena" */
	gdouble heartbeat;      /* seconds between status messages, default 30 */
	gboolean homeassistant; /* Home Assistant discovery under homeassistant/ */
} SrRelayConfig;

typedef struct {
	char *path;          /* the file read, NULL when built-in defaults are used */
	GPtrArray *regions;  /* of char*: canonical region ids, in the order given */
	GPtrArray *sources;  /* of SrSourceConfig*, in file order (disabled ones too) */
	GPtrArray *warnings; /* of char*: things worth telling the user that are not errors */
	/* [sirena] location=, radius=, geocodes=: never NULL, empty (sr_location_is_set() is
	 * FALSE) when the file names no place */
	SrLocation *location;
	SrNotifySettings notify; /* [notify] and [notify KIND] */
	SrRelayConfig relay;     /* [relay] */
} SrConfig;

/* $XDG_CONFIG_HOME/sirena/sirena.conf */
char *sr_config_default_path(void);

/* reads @path, or the default path when NULL; a missing default file gives the built-in
 * defaults (the keyless ubilling source, every region), a missing explicit file is an error.
 * Errors name the file, line, key and what is expected. */
SrConfig *sr_config_load(const char *path, const SrCatalog *catalog, GError **error);
SrConfig *sr_config_load_data(const char *data, gsize len, const char *path,
                              const SrCatalog *catalog, GError **error);
SrConfig *sr_config_new_default(const SrCatalog *catalog);
void sr_config_free(SrConfig *config);

/* the enabled sources: a new array (g_ptr_array_unref) of borrowed configs */
GPtrArray *sr_config_get_enabled_sources(const SrConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrConfig, sr_config_free)

G_END_DECLS
