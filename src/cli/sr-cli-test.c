/* sr-cli-test.c - `sirena test`: a TEST alert through rules, notification and sound
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sirena"

#include "config.h"

#include <stdio.h>

#include "cli/sr-cli.h"
#include "sirena/notifier.h"

int
sr_cli_test(int argc, char **argv, SrCliCommon *common)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrDBusSirena1) proxy = NULL;
	g_autoptr(SrNotifier) notifier = NULL;
	SrConfig *config = NULL;
	const SrCatalog *catalog = NULL;
	int status = 0;
	guint32 id = 0;

	if (!sr_cli_parse_options(
	        common, "test", NULL,
	        N_("Sends a clearly marked TEST alert through the whole pipeline — "
	           "rules,\nnotification, sound — so you can check that alerts reach "
	           "you."),
	        NULL, &argc, &argv))
		return SR_EXIT_USAGE;
	if (argc > 1) {
		sr_cli_error(_("test takes no arguments"));
		return SR_EXIT_USAGE;
	}
	proxy = sr_cli_daemon_connect(common->standalone);
	if (proxy != NULL) {
		if (!sr_dbus_sirena1_call_send_test_alert_sync(proxy, NULL, &error)) {
			sr_cli_daemon_error("SendTestAlert", error);
			return SR_EXIT_FAILURE;
		}
		printf("%s\n", _("sirenad sent a TEST alert: you should see and hear it now."));
		return SR_EXIT_OK;
	}
	/* no sirenad: the same notification from here, with the same rules */
	config = sr_cli_setup(common, &catalog, &status);
	if (config == NULL)
		return status;
	notifier = sr_notifier_new("Sirena", catalog);
	sr_notifier_set_settings(notifier, &config->notify);
	id = sr_notifier_send_test(notifier, g_get_real_time() / G_USEC_PER_SEC);
	sr_config_free(config);
	if (id == 0) {
		sr_cli_error(_("no notification could be shown: is a notification server running "
		               "in this session?"));
		return SR_EXIT_FAILURE;
	}
	printf("%s\n",
	       _("A TEST alert was shown (sirenad is not running: it came from this command)."));
	return SR_EXIT_OK;
}
