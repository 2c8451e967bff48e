/* registry.c - the one table of source types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-source"

#include "config.h"

#include "sources/sr-sources-private.h"

static const SrSourceOps *const registry[] = {
    &sr_source_alerts_in_ua, &sr_source_ukraine_alarm, &sr_source_siren_pp_ua,
    &sr_source_ubilling,     &sr_source_alerts_com_ua, &sr_source_replay,
    &sr_source_oref,         &sr_source_oref_history,  &sr_source_nina,
    &sr_source_nws,          &sr_source_cap,           &sr_source_cap_feed,
    &sr_source_meteoalarm,   &sr_source_mqtt,          NULL,
};

const SrSourceOps *const *
sr_source_registry_all(void)
{
	return registry;
}

const SrSourceOps *
sr_source_registry_lookup(const char *type)
{
	for (guint i = 0; registry[i] != NULL; i++) {
		if (g_strcmp0(registry[i]->type, type) == 0)
			return registry[i];
	}
	return NULL;
}
