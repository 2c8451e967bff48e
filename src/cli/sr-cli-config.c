/* sr-cli-config.c - `sirena config check`: validate a configuration file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sirena"

#include "config.h"

#include <stdio.h>

#include "cli/sr-cli.h"

int
sr_cli_config(int argc, char **argv, SrCliCommon *common)
{
	const SrCatalog *catalog = NULL;
	g_autoptr(SrConfig) config = NULL;
	g_autoptr(GPtrArray) enabled = NULL;

	if (!sr_cli_parse_options(common, "config", "check [FILE]",
	                          N_("Checks a configuration file (FILE, --config or the default) "
	                             "and says what is wrong,\nwith file and line."),
	                          NULL, &argc, &argv))
		return SR_EXIT_USAGE;
	if (argc < 2 || g_strcmp0(argv[1], "check") != 0 || argc > 3) {
		sr_cli_error(_("usage: sirena config check [FILE]"));
		return SR_EXIT_USAGE;
	}
	if (argc == 3) {
		g_free(common->config_path);
		common->config_path = g_strdup(argv[2]);
	}
	catalog = sr_cli_catalog();
	if (catalog == NULL)
		return SR_EXIT_FAILURE;
	if (common->config_path == NULL) {
		g_autofree char *path = sr_config_default_path();
		if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
			printf(_("%s does not exist: the built-in defaults are used (the keyless "
			         "ubilling source, every region)"),
			       path);
			printf("\n");
			return SR_EXIT_OK;
		}
	}
	config = sr_cli_load_config(common, catalog);
	if (config == NULL)
		return SR_EXIT_USAGE;
	enabled = sr_config_get_enabled_sources(config);
	printf("%s: ", config->path);
	printf(SR_NGETTEXT("OK — %u source enabled", "OK — %u sources enabled", enabled->len),
	       enabled->len);
	for (guint i = 0; i < enabled->len; i++) {
		const SrSourceConfig *source = g_ptr_array_index(enabled, i);
		printf("%s%s (%s)", i == 0 ? ": " : ", ", source->name, source->ops->type);
	}
	if (config->regions->len == 0) {
		printf("; %s\n", _("every region"));
	} else {
		printf("; ");
		printf(SR_NGETTEXT("%u region", "%u regions", config->regions->len),
		       config->regions->len);
		printf("\n");
	}
	return SR_EXIT_OK;
}
