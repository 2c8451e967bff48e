/* sr-cli.c - `sirena`: subcommand dispatch, shared options, exit codes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sirena"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli/sr-cli.h"
#include "sirena/error.h"
#include "sirena/json.h"

static gboolean verbose_logging = FALSE;

/* the commands and options `sirena --help` lists: syntax (never translated) and what it does */
static const struct {
	const char *syntax;
	const char *what;
} usage_commands[] =
    {
        {"status [--region R]… [--json]", N_("fetch once: active alerts and source health")},
        {"watch [--region R]… [--kind K]… [--json]", N_("stream changes as they happen")},
        {"watch --demo", N_("play a recorded night, offline")},
        {"regions [QUERY] [--json]", N_("find region ids and names")},
        {"sources [--json]", N_("source types and configured sources")},
        {"parse --source TYPE [--json] FILE", N_("normalise a saved upstream body (- = stdin)")},
        {"config check [FILE]", N_("validate a configuration file")},
        {"history [--region R] [--since 7d] [--json]",
         N_("past alerts, counts and time per region")},
        {"test", N_("send a TEST alert through notifications")},
},
  usage_options[] = {
      {"-c, --config FILE",
       N_("configuration file (default: $XDG_CONFIG_HOME/sirena/sirena.conf)")},
      {"-j, --json", N_("machine-readable output (the JSON contract in the README)")},
      {"-v, --verbose", N_("log what happens to stderr")},
      {"--standalone", N_("fetch directly even when sirenad runs (status, watch, history)")},
      {"--version [--json]", N_("print the version (and the JSON schema version)")},
};

/* "  SYNTAX   what": the syntax padded to @width characters (not bytes: "…" is one) */
static void
print_usage_line(FILE *out, const char *syntax, const char *what, int width)
{
	int pad = MAX(width - (int)g_utf8_strlen(syntax, -1), 0);
	fprintf(out, "  %s%*s %s\n", syntax, pad, "", what);
}

static void
print_usage(FILE *out)
{
	/* TRANSLATORS: "sirena", COMMAND and OPTION are typed as they are */
	fprintf(out, "%s\n\n", _("Usage: sirena COMMAND [OPTION…]"));
	fprintf(out, "%s\n\n",
	        _("Sirena shows civil-defence alerts (air raids and more) for your regions.\n"
	          "It complements and never replaces official sirens and apps."));
	fprintf(out, "%s\n", _("Commands:"));
	for (guint i = 0; i < G_N_ELEMENTS(usage_commands); i++)
		print_usage_line(out, usage_commands[i].syntax, _(usage_commands[i].what), 42);
	fprintf(out, "\n%s\n", _("Options for every command:"));
	for (guint i = 0; i < G_N_ELEMENTS(usage_options); i++)
		print_usage_line(out, usage_options[i].syntax, _(usage_options[i].what), 19);
	fprintf(out, "\n%s\n", _("Exit status:"));
	fprintf(out, "  0  %s\n", _("success"));
	fprintf(out, "  1  %s\n", _("failure: every source failed, or a body was malformed"));
	fprintf(out, "  2  %s\n",
	        _("bad arguments or configuration (the message says what to fix)"));
	fprintf(out, "  3  %s\n",
	        _("answered, but at least one source failed: alerts may be missing"));
	fprintf(out, "\n%s\n", _("`sirena COMMAND --help` describes one command."));
}

void
sr_cli_error(const char *fmt, ...)
{
	va_list args;
	g_autofree char *message = NULL;
	va_start(args, fmt);
	message = g_strdup_vprintf(fmt, args);
	va_end(args);
	fprintf(stderr, "sirena: %s\n", message);
}

static GLogWriterOutput
log_writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
	/* without --verbose only problems reach stderr; the output itself tells the rest */
	if (!verbose_logging && (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO)) != 0)
		return G_LOG_WRITER_HANDLED;
	if (verbose_logging && (level & G_LOG_LEVEL_INFO) != 0)
		level = G_LOG_LEVEL_MESSAGE;
	return g_log_writer_default(level, fields, n_fields, user_data);
}

GOptionEntry *
sr_cli_common_entries(SrCliCommon *common)
{
	GOptionEntry entries[] = {
	    {"config", 'c', 0, G_OPTION_ARG_FILENAME, &common->config_path,
	     N_("Configuration file"), N_("FILE")},
	    {"json", 'j', 0, G_OPTION_ARG_NONE, &common->json, N_("Machine-readable output"), NULL},
	    {"verbose", 'v', 0, G_OPTION_ARG_NONE, &common->verbose, N_("Log to stderr"), NULL},
	    {"standalone", 0, 0, G_OPTION_ARG_NONE, &common->standalone,
	     N_("Do not use a running sirenad: fetch from the sources directly"), NULL},
	    {NULL},
	};
	return g_memdup2(entries, sizeof(entries));
}

gboolean
sr_cli_parse_options(SrCliCommon *common, const char *name, const char *parameter,
                     const char *summary, GOptionEntry *entries, int *argc, char ***argv)
{
	g_autofree char *title = g_strdup_printf("%s%s%s", name, parameter != NULL ? " " : "",
	                                         parameter != NULL ? parameter : "");
	g_autoptr(GOptionContext) context = g_option_context_new(title);
	g_autoptr(GError) error = NULL;
	g_autofree GOptionEntry *common_entries = sr_cli_common_entries(common);
	GOptionGroup *group = g_option_group_new("common", N_("Options for every command:"),
	                                         N_("Show the common options"), NULL, NULL);

	/* the entries, the summary and the description are N_() marked: GOption translates them
	 * in our domain */
	g_option_context_set_translation_domain(context, GETTEXT_PACKAGE);
	g_option_group_set_translation_domain(group, GETTEXT_PACKAGE);
	g_option_context_set_summary(context, summary);
	g_option_context_set_description(context, N_("Exit status: 0 success, 1 failure, 2 bad "
	                                             "arguments or configuration,\n3 answered but "
	                                             "a source failed (alerts may be missing)."));
	if (entries != NULL)
		g_option_context_add_main_entries(context, entries, NULL);
	g_option_group_add_entries(group, common_entries);
	g_option_context_add_group(context, group);
	if (!g_option_context_parse(context, argc, argv, &error)) {
		sr_cli_error(_("%s (see `sirena %s --help`)"), error->message, name);
		return FALSE;
	}
	if (common->verbose)
		verbose_logging = TRUE;
	return TRUE;
}

const SrCatalog *
sr_cli_catalog(void)
{
	g_autoptr(GError) error = NULL;
	const SrCatalog *catalog = NULL;
	/* the first load parses every catalog: a moment on a slow machine */
	sr_cli_progress(_("Loading the region catalog…"));
	catalog = sr_catalog_get_default(&error);
	sr_cli_progress_done();
	if (catalog == NULL)
		sr_cli_error(_("%s (is Sirena installed completely? SIRENA_DATA_DIR points "
		               "elsewhere)"),
		             error->message);
	return catalog;
}

SrConfig *
sr_cli_load_config(SrCliCommon *common, const SrCatalog *catalog)
{
	g_autoptr(GError) error = NULL;
	SrConfig *config = sr_config_load(common->config_path, catalog, &error);
	if (config == NULL) {
		sr_cli_error("%s", error->message);
		return NULL;
	}
	for (guint i = 0; i < config->warnings->len; i++)
		fprintf(stderr, _("sirena: warning: %s\n"),
		        (const char *)g_ptr_array_index(config->warnings, i));
	return config;
}

SrConfig *
sr_cli_setup(SrCliCommon *common, const SrCatalog **catalog, int *status)
{
	SrConfig *config = NULL;
	*catalog = sr_cli_catalog();
	if (*catalog == NULL) {
		*status = SR_EXIT_FAILURE;
		return NULL;
	}
	config = sr_cli_load_config(common, *catalog);
	if (config == NULL || !sr_cli_resolve_regions(common, *catalog, config)) {
		g_clear_pointer(&config, sr_config_free);
		*status = SR_EXIT_USAGE;
	}
	return config;
}

gboolean
sr_cli_resolve_regions(SrCliCommon *common, const SrCatalog *catalog, SrConfig *config)
{
	if (common->regions == NULL || common->regions[0] == NULL)
		return TRUE;
	g_ptr_array_set_size(config->regions, 0);
	for (guint i = 0; common->regions[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		const SrRegion *region = sr_catalog_resolve(catalog, common->regions[i], &error);
		if (region == NULL) {
			sr_cli_error(_("--region: %s"), error->message);
			return FALSE;
		}
		g_ptr_array_add(config->regions, g_strdup(region->id));
	}
	return TRUE;
}

gboolean
sr_cli_read_location(const char *text, SrLocation *location)
{
	double lat = 0;
	double lon = 0;
	if (!sr_geo_parse_point(text, &lat, &lon)) {
		sr_cli_error(_("--location '%s' is not latitude,longitude in decimal degrees "
		               "(e.g. --location 50.4501,30.5234)"),
		             text);
		return FALSE;
	}
	location->has_point = TRUE;
	location->lat = lat;
	location->lon = lon;
	return TRUE;
}

SrCliRuntime *
sr_cli_runtime_new(const SrCatalog *catalog, SrConfig *config)
{
	SrCliRuntime *runtime = g_new0(SrCliRuntime, 1);
	g_autoptr(GPtrArray) enabled = sr_config_get_enabled_sources(config);
	runtime->catalog = catalog;
	runtime->config = config;
	runtime->engine = sr_engine_new(catalog);
	for (guint i = 0; i < config->regions->len; i++)
		sr_engine_add_subscription(runtime->engine, g_ptr_array_index(config->regions, i));
	runtime->http = sr_http_new(NULL, SR_USER_AGENT);
	runtime->poller = sr_poller_new(runtime->engine, runtime->http, catalog);
	sr_engine_set_location(runtime->engine, config->location);
	sr_poller_set_location(runtime->poller, config->location);
	for (guint i = 0; i < enabled->len; i++)
		sr_poller_add_source(runtime->poller, g_ptr_array_index(enabled, i));
	return runtime;
}

void
sr_cli_runtime_free(SrCliRuntime *runtime)
{
	if (runtime == NULL)
		return;
	/* the poller cancels its transfers before the client goes */
	g_clear_pointer(&runtime->poller, sr_poller_free);
	g_clear_pointer(&runtime->http, sr_http_free);
	g_clear_pointer(&runtime->engine, sr_engine_free);
	g_clear_pointer(&runtime->config, sr_config_free);
	g_free(runtime);
}

void
sr_cli_print_json(cJSON *json)
{
	g_autofree char *text = sr_json_print(json);
	fputs(text, stdout);
	fputc('\n', stdout);
	fflush(stdout);
}

static int
print_version(gboolean json)
{
	if (json) {
		g_autoptr(cJSON) object = cJSON_CreateObject();
		cJSON_AddStringToObject(object, "name", PACKAGE_NAME);
		cJSON_AddStringToObject(object, "version", PACKAGE_VERSION);
		cJSON_AddNumberToObject(object, "schema", SR_JSON_SCHEMA);
		sr_cli_print_json(object);
	} else {
		printf("sirena %s\n", PACKAGE_VERSION);
	}
	return SR_EXIT_OK;
}

typedef struct {
	const char *name;
	int (*run)(int argc, char **argv, SrCliCommon *common);
} Command;

static const Command commands[] = {
    {"status", sr_cli_status},   {"watch", sr_cli_watch}, {"regions", sr_cli_regions},
    {"sources", sr_cli_sources}, {"parse", sr_cli_parse}, {"config", sr_cli_config},
    {"history", sr_cli_history}, {"test", sr_cli_test},
};

int
main(int argc, char **argv)
{
	SrCliCommon common = {0};
	const Command *command = NULL;
	g_autoptr(GPtrArray) rest = g_ptr_array_new();
	gboolean version = FALSE;
	gboolean json = FALSE;
	gboolean help = FALSE;
	int status = 0;

	sr_i18n_init();
	g_log_set_writer_func(log_writer, NULL, NULL);
	common.prog = argv[0];

	/* options may stand before the command: `sirena --config F status` */
	g_ptr_array_add(rest, argv[0]);
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (command == NULL &&
		    (g_strcmp0(arg, "--config") == 0 || g_strcmp0(arg, "-c") == 0) &&
		    i + 1 < argc) {
			g_ptr_array_add(rest, argv[i]);
			g_ptr_array_add(rest, argv[++i]);
			continue;
		}
		if (command == NULL && g_strcmp0(arg, "--version") == 0) {
			version = TRUE;
			continue;
		}
		if (command == NULL && (g_strcmp0(arg, "--help") == 0 ||
		                        g_strcmp0(arg, "-h") == 0 || g_strcmp0(arg, "help") == 0)) {
			help = TRUE;
			continue;
		}
		if (command == NULL && arg[0] != '-') {
			for (guint j = 0; j < G_N_ELEMENTS(commands); j++) {
				if (g_strcmp0(commands[j].name, arg) == 0)
					command = &commands[j];
			}
			if (command == NULL) {
				sr_cli_error(_("unknown command '%s' (see `sirena --help`)"), arg);
				return SR_EXIT_USAGE;
			}
			continue;
		}
		if (g_strcmp0(arg, "--json") == 0 || g_strcmp0(arg, "-j") == 0)
			json = TRUE;
		g_ptr_array_add(rest, argv[i]);
	}
	if (version && command == NULL)
		return print_version(json);
	if (help && command == NULL) {
		print_usage(stdout);
		return SR_EXIT_OK;
	}
	if (command == NULL) {
		print_usage(stderr);
		return SR_EXIT_USAGE;
	}
	if (help)
		g_ptr_array_add(rest, "--help");
	g_ptr_array_add(rest, NULL);
	{
		int sub_argc = (int)rest->len - 1;
		char **sub_argv = (char **)rest->pdata;
		status = command->run(sub_argc, sub_argv, &common);
	}
	g_free(common.config_path);
	g_strfreev(common.regions);
	return status;
}
