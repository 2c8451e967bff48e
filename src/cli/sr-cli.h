/* sr-cli.h - what the subcommands of `sirena` share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sirena/config.h"
#include "sirena/engine.h"
#include "sirena/http.h"
#include "sirena/poller.h"
#include "sr-dbus-generated.h"
#include "sirena/region.h"
#include "sr-i18n.h"

G_BEGIN_DECLS

/* exit codes, documented in `sirena --help` and the README */
enum {
	SR_EXIT_OK = 0,
	SR_EXIT_FAILURE = 1,    /* it did not work: every source failed, a body was malformed */
	SR_EXIT_USAGE = 2,      /* bad arguments or configuration: the message says what to fix */
	SR_EXIT_INCOMPLETE = 3, /* answered, but a source failed: alerts may be missing */
};

typedef struct {
	const char *prog;
	char *config_path;
	gboolean json;
	gboolean verbose;
	char **regions;      /* --region, repeatable */
	gboolean standalone; /* --standalone: never talk to sirenad */
} SrCliCommon;

/* the options every subcommand takes */
GOptionEntry *sr_cli_common_entries(SrCliCommon *common);

/* parses a subcommand's arguments; prints the error and returns FALSE on bad usage */
gboolean sr_cli_parse_options(SrCliCommon *common, const char *name, const char *parameter,
                              const char *summary, GOptionEntry *entries, int *argc, char ***argv);

/* the catalog, or an error message and NULL */
const SrCatalog *sr_cli_catalog(void);
/* the configuration from --config or the default path, with warnings printed to stderr */
SrConfig *sr_cli_load_config(SrCliCommon *common, const SrCatalog *catalog);
/* the catalog, the configuration and --region resolved, in that order; NULL with the exit
 * status in @status after printing why */
SrConfig *sr_cli_setup(SrCliCommon *common, const SrCatalog **catalog, int *status);
/* --region values resolved to ids (replacing the config's regions when given); FALSE after
 * printing an error */
gboolean sr_cli_resolve_regions(SrCliCommon *common, const SrCatalog *catalog, SrConfig *config);

void sr_cli_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* the pipeline a fetching command runs: config, engine, HTTP client and poller */
typedef struct {
	const SrCatalog *catalog;
	SrConfig *config;
	SrEngine *engine;
	SrHttp *http;
	SrPoller *poller;
} SrCliRuntime;

/* @config is taken */
/* --location LAT,LON into @location; FALSE (with the message printed) when it is not one */
gboolean sr_cli_read_location(const char *text, SrLocation *location);
SrCliRuntime *sr_cli_runtime_new(const SrCatalog *catalog, SrConfig *config);
void sr_cli_runtime_free(SrCliRuntime *runtime);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrCliRuntime, sr_cli_runtime_free)

/* human output */

/* whether stdout gets colour (a terminal, NO_COLOR unset or empty, TERM not "dumb") and
 * symbols (a terminal): piped output is plain text */
gboolean sr_cli_color(void);
gboolean sr_cli_symbols(void);
/* @text in the SGR colour @sgr ("1;31") when stdout takes colour; a new string */
char *sr_cli_paint(const char *sgr, const char *text);
/* "12 min", "2 h 5 min", "3 days": a duration for people, translated */
char *sr_cli_format_duration(gint64 seconds);
/* a progress line on stderr, only when stderr is a terminal; replaced by the next one and
 * erased by sr_cli_progress_done() */
void sr_cli_progress(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void sr_cli_progress_done(void);

const char *sr_cli_kind_label(SrKind kind);
const char *sr_cli_region_name(const SrCatalog *catalog, const char *id);
char *sr_cli_local_time(gint64 t, gint64 now);
char *sr_cli_format_alert(const SrAlert *alert, const SrCatalog *catalog, GPtrArray *subscriptions,
                          gint64 now);
char *sr_cli_format_change(const SrChange *change, const SrCatalog *catalog,
                           GPtrArray *subscriptions);
void sr_cli_print_json(cJSON *json);

/* sirenad, when it runs on the session bus (never auto-started), else NULL */
SrDBusSirena1 *sr_cli_daemon_connect(gboolean standalone);
void sr_cli_daemon_error(const char *what, GError *error);

/* a change line read back from JSON (what sirenad sends), owning what it points to */
typedef struct {
	SrChange change;
	SrAlert alert;
	SrSourceHealth health;
	char *reason; /* what change.reason points to */
} SrCliChange;
void sr_cli_change_free(SrCliChange *holder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrCliChange, sr_cli_change_free)
SrCliChange *sr_cli_change_from_json(const char *text, GError **error);
SrCliChange *sr_cli_alert_from_json(const cJSON *json, GError **error);
/* a source's health read back from its JSON form (sr_source_health_to_json) */
void sr_cli_health_read(SrSourceHealth *health, const cJSON *json);
void sr_cli_health_clear(SrSourceHealth *health);
void sr_cli_health_free(SrSourceHealth *health);

int sr_cli_history(int argc, char **argv, SrCliCommon *common);
int sr_cli_test(int argc, char **argv, SrCliCommon *common);

int sr_cli_parse(int argc, char **argv, SrCliCommon *common);
int sr_cli_status(int argc, char **argv, SrCliCommon *common);
int sr_cli_watch(int argc, char **argv, SrCliCommon *common);
int sr_cli_regions(int argc, char **argv, SrCliCommon *common);
int sr_cli_sources(int argc, char **argv, SrCliCommon *common);
int sr_cli_config(int argc, char **argv, SrCliCommon *common);

G_END_DECLS
