/* fuzz-cap.c - fuzz target for the CAP document parser: any bytes, an error or a message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-cap"

#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sirena/json.h"
#include "sources/sr-cap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrCapMessage) message = NULL;
	const SrParseContext ctx = {
	    .source_name = "cap",
	    .now = 1769256000,
	    /* the choice among several infos runs too */
	    .language = "de",
	};
	const SrEvent *event = NULL;

	/* looks at the first element only, whatever the rest is */
	sr_cap_body_is_index((const char *)data, size);
	message = sr_cap_parse((const char *)data, size, &ctx, &error);
	/* exactly one of the two */
	g_assert((message == NULL) != (error == NULL));
	if (message == NULL)
		return 0;
	g_assert_nonnull(message->identifier);
	g_assert_nonnull(message->sender);
	g_assert_nonnull(message->msg_type);
	event = message->event;
	if (event == NULL)
		return 0;
	g_assert_true(g_str_has_prefix(event->id, "cap:"));
	g_assert_cmpuint(event->references->len, ==, message->references->len);
	for (guint i = 0; i < event->area.polygons->len; i++) {
		GArray *ring = g_ptr_array_index(event->area.polygons, i);
		const SrPoint *first = &g_array_index(ring, SrPoint, 0);
		const SrPoint *last = &g_array_index(ring, SrPoint, ring->len - 1);
		g_assert_cmpuint(ring->len, >=, 4);
		g_assert_true(first->lat == last->lat && first->lon == last->lon);
	}
	/* what was read can be written and read again to the same content */
	{
		g_autoptr(cJSON) json = sr_event_to_json(event, NULL);
		g_autofree char *text = sr_json_print(json);
		g_autoptr(SrEvent) again = sr_event_from_json_string(text, strlen(text), &error);
		g_assert_no_error(error);
		g_assert_true(sr_event_same_content(event, again));
	}
	return 0;
}
