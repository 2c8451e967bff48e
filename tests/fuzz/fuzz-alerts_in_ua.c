/* fuzz-alerts_in_ua.c - libFuzzer target for the alerts_in_ua parser: any bytes, an error or a
 * batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-alerts-in-ua"

#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "sirena/region.h"
#include "sources/sr-sources-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	SrParseContext ctx = {
	    .source_name = "alerts_in_ua",
	    .catalog = sr_catalog_get_default(&error),
	    .now = 1795500000,
	};

	/* without the catalog the parser runs, but much of it would go untested */
	if (ctx.catalog == NULL)
		g_error("cannot load the region catalog (set SIRENA_DATA_DIR): %s", error->message);
	batch = sr_source_alerts_in_ua_parse((const char *)data, size, &ctx, &error);
	/* exactly one of the two */
	g_assert((batch == NULL) != (error == NULL));
	return 0;
}
