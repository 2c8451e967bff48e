/* fuzz-ukraine_alarm_status.c - fuzz target for the Ukraine Alarm /alerts/status parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-ukraine_alarm_status"

#include "config.h"

#include <stdint.h>

#include "sources/sr-sources-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *token =
	    sr_source_ukraine_alarm_parse_status((const char *)data, size, &error);

	/* exactly one of the two */
	g_assert((token == NULL) != (error == NULL));
	return 0;
}
