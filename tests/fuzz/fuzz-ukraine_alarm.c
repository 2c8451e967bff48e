/* fuzz-ukraine_alarm.c - fuzz target for the Ukraine Alarm /alerts parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-ukraine_alarm"

#include "config.h"

#include <stdint.h>

#include "sources/sr-sources-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const SrCatalog *catalog = sr_catalog_get_default(NULL);
	SrParseContext ctx = {"ukraine_alarm", catalog, 1790000000};
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;

	if (catalog == NULL)
		g_error("cannot load the region catalog: set SIRENA_DATA_DIR");
	batch = sr_source_ukraine_alarm_parse((const char *)data, size, &ctx, &error);
	/* exactly one of the two */
	g_assert((batch == NULL) != (error == NULL));
	return 0;
}
