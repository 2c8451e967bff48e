/* sr-i18n.h - translations: gettext set up for `sirena` and `sirenad`
 *
 * User-facing text is marked with _() / N_() / g_dngettext() and looked up in the "sirena"
 * domain (config.h defines GETTEXT_PACKAGE), so the library's strings are found whatever the
 * program's default domain is. Log messages (g_message, g_warning, g_debug) stay English.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <glib/gi18n-lib.h>
#include <locale.h>

/* the plural of @singular / @plural for @n, in Sirena's domain */
#define SR_NGETTEXT(singular, plural, n)                                                           \
	g_dngettext(GETTEXT_PACKAGE, singular, plural, (unsigned long)(n))

/* where the message catalogs are: $SIRENA_LOCALE_DIR when set (the build tree's po/, for tests
 * and uninstalled runs), else the installed locale directory */
static inline const char *
sr_i18n_locale_dir(void)
{
	const char *dir = g_getenv("SIRENA_LOCALE_DIR");
	return dir != NULL && dir[0] != '\0' ? dir : LOCALEDIR;
}

/* the locale from the environment and Sirena's catalogs, in UTF-8 whatever the locale's
 * charset; called first thing in main() */
static inline void
sr_i18n_init(void)
{
	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, sr_i18n_locale_dir());
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);
}
