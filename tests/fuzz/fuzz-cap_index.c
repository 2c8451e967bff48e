/* fuzz-cap_index.c - fuzz target for the CAP index (Atom/RSS) parser: any bytes, an error or
 * a list of entries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-cap-index"

#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "sirena/geo.h"
#include "sources/sr-cap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(SrLocation) location = sr_location_new();
	SrParseContext ctx = {
	    .source_name = "cap",
	    .now = 1769256000,
	};

	/* a point and a geocode, so that skipping by place runs too */
	location->has_point = TRUE;
	location->lat = 41.45;
	location->lon = -90.5;
	location->radius_km = 10;
	sr_location_add_geocode(location, "UGC", "IAC163");
	ctx.location = location;

	sr_cap_body_is_index((const char *)data, size);
	entries = sr_cap_parse_index((const char *)data, size, &ctx, &error);
	/* exactly one of the two */
	g_assert((entries == NULL) != (error == NULL));
	for (guint i = 0; entries != NULL && i < entries->len; i++) {
		const SrIndexEntry *entry = g_ptr_array_index(entries, i);
		g_assert_nonnull(entry->key);
		/* absolute http(s), in any case, or a relative reference (no scheme, no "//host")
		 */
		g_assert(
		    g_ascii_strncasecmp(entry->url, "http", 4) == 0 ||
		    (g_uri_peek_scheme(entry->url) == NULL && !g_str_has_prefix(entry->url, "//")));
	}
	return 0;
}
