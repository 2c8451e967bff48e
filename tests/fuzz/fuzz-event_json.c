/* fuzz-event_json.c - fuzz target for the JSON contract reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-event-json"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "sirena/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrEvent) event = sr_event_from_json_string((const char *)data, size, &error);
	g_assert((event == NULL) != (error == NULL));
	if (event != NULL) {
		/* what was read can be written and read again to the same content */
		g_autoptr(cJSON) json = sr_event_to_json(event, NULL);
		g_autofree char *text = sr_json_print(json);
		g_autoptr(SrEvent) again = sr_event_from_json_string(text, strlen(text), &error);
		g_assert_no_error(error);
		g_assert_true(sr_event_same_content(event, again));
	}
	return 0;
}
