/* sr-source-meteoalarm.c - MeteoAlarm (EUMETNET): the European weather services' warnings
 *
 * One legacy Atom feed per country, feeds.meteoalarm.org/feeds/meteoalarm-legacy-atom-<slug>,
 * whose entries link to CAP documents of the MeteoAlarm profile (sources-international.md
 * §5.1). The index repeats each entry's identifier, sent, expiry and area, so expired entries
 * and entries whose area cannot concern the user are never fetched. No key; the data are
 * licensed on terms equivalent to CC BY 4.0: "Data provided by EUMETNET members".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-meteoalarm"

#include "config.h"

#include <string.h>

#include "sirena/error.h"
#include "sources/sr-cap.h"
#include "sources/sr-sources-private.h"
#include "sr-i18n.h"

static const char *const extra_keys[] = {"country", NULL};

static gboolean
valid_slug(const char *slug)
{
	if (slug == NULL || slug[0] == '\0' || strlen(slug) > 64)
		return FALSE;
	for (const char *p = slug; *p != '\0'; p++) {
		if (!g_ascii_islower(*p) && *p != '-')
			return FALSE;
	}
	return TRUE;
}

static gboolean
build_request(const SrSourceConfig *config, SrRequestKind kind, SrRequest *request, GError **error)
{
	const char *country = sr_source_config_get_extra(config, "country");
	g_autofree char *url = NULL;

	if (!valid_slug(country)) {
		g_set_error(
		    error, SR_ERROR, SR_ERROR_CONFIG,
		    _("source '%s' needs country= as MeteoAlarm names it, in lower case with "
		      "dashes: germany, united-kingdom, israel, ukraine …"),
		    config->name);
		return FALSE;
	}
	url = g_strdup_printf("%s/feeds/meteoalarm-legacy-atom-%s", config->url, country);
	/* some clients get 406 when asking for JSON */
	return sr_source_cap_build(config, kind, url, "application/atom+xml, text/xml, */*",
	                           request, error);
}

const SrSourceOps sr_source_meteoalarm = {
    .type = "meteoalarm",
    .description = "MeteoAlarm: European weather warnings per country (country=), matched by "
                   "location; data by EUMETNET members, CC BY 4.0 terms",
    .default_url = "https://feeds.meteoalarm.org",
    .needs_token = FALSE,
    .default_interval = 300,
    .min_interval = 60,
    .max_per_minute = 1,
    .auth_failures_before_error = 1,
    .conditional = TRUE,
    .kinds = (1u << SR_KIND_WEATHER) | (1u << SR_KIND_FLOOD) | (1u << SR_KIND_FIRE) |
             (1u << SR_KIND_OTHER) | (1u << SR_KIND_UNKNOWN),
    .levels = 0,
    .extra_keys = extra_keys,
    .build_request = build_request,
    .parse = sr_source_cap_parse,
    .parse_index = sr_source_cap_parse_index,
    .parse_entry = sr_source_cap_parse,
};
