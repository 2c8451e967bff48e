/* fuzz-nina_dashboard.c - libFuzzer target for the NINA dashboard parser (dashboard/{ARS}.json):
 * any bytes, an error or index entries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-nina-dashboard"

#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sources/sr-sources-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	SrParseContext ctx = {
	    .source_name = "nina",
	    .now = 1795500000,
	};

	entries = sr_source_nina_parse_dashboard((const char *)data, size, &ctx, &error);
	/* exactly one of the two */
	g_assert((entries == NULL) != (error == NULL));
	for (guint i = 0; entries != NULL && i < entries->len; i++) {
		const SrIndexEntry *entry = g_ptr_array_index(entries, i);
		g_assert(entry->key != NULL && entry->key[0] != '\0');
		/* whatever the id, its document stays one path segment under ../warnings/ */
		g_assert(g_str_has_prefix(entry->url, "../warnings/"));
		g_assert(strchr(entry->url + strlen("../warnings/"), '/') == NULL);
		g_assert(strchr(entry->url, '?') == NULL && strchr(entry->url, '#') == NULL);
	}
	return 0;
}
