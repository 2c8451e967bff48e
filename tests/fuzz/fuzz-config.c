/* fuzz-config.c - fuzz target for the configuration loader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-config"

#include "config.h"

#include <stdint.h>

#include "sirena/config.h"
#include "sirena/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const SrCatalog *catalog = sr_catalog_get_default(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(SrConfig) config = NULL;
	/* GKeyFile reads C strings: the loader sees the bytes as a file would give them */
	g_autofree char *text = g_strndup((const char *)data, size);

	if (catalog == NULL)
		g_error("cannot load the region catalog: set SIRENA_DATA_DIR");
	config = sr_config_load_data(text, size, "fuzz.conf", catalog, &error);
	g_assert((config == NULL) != (error == NULL));
	if (error != NULL)
		g_assert_true(error->domain == SR_ERROR && error->code == SR_ERROR_CONFIG);
	return 0;
}
