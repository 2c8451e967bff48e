/* fuzz-nina.c - libFuzzer target for the NINA warning parser (warnings/{id}.json): any bytes,
 * an error or a batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-nina"

#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "sources/sr-sources-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const languages[] = {NULL, "en", "de-LS"};
	/* the wanted language decides which info block is read: every one is reached */
	for (guint i = 0; i < G_N_ELEMENTS(languages); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SrBatch) batch = NULL;
		SrParseContext ctx = {
		    .source_name = "nina",
		    .now = 1795500000,
		    .language = languages[i],
		};

		batch = sr_source_nina_parse((const char *)data, size, &ctx, &error);
		/* exactly one of the two */
		g_assert((batch == NULL) != (error == NULL));
		/* a warning is at most one event */
		g_assert(batch == NULL || batch->events->len <= 1);
	}
	return 0;
}
