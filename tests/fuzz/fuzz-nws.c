/* fuzz-nws.c - libFuzzer target for the NWS parser: any bytes, an error or a batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-nws"

#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "sources/sr-sources-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	/* areas are geocodes and polygons, not catalog regions: no catalog needed */
	SrParseContext ctx = {
	    .source_name = "nws",
	    .now = 1776207000,
	};

	batch = sr_source_nws_parse((const char *)data, size, &ctx, &error);
	/* exactly one of the two */
	g_assert((batch == NULL) != (error == NULL));
	if (batch != NULL) {
		for (guint i = 0; i < batch->events->len; i++) {
			const SrEvent *event = g_ptr_array_index(batch->events, i);
			/* every ring the parser made is closed and of valid points */
			for (guint j = 0; j < event->area.polygons->len; j++) {
				GArray *ring = g_ptr_array_index(event->area.polygons, j);
				const SrPoint *first = &g_array_index(ring, SrPoint, 0);
				const SrPoint *last = &g_array_index(ring, SrPoint, ring->len - 1);
				g_assert(ring->len >= 4);
				g_assert(first->lat == last->lat && first->lon == last->lon);
			}
			g_assert(event->id != NULL && g_str_has_prefix(event->id, "nws:"));
		}
	}
	return 0;
}
