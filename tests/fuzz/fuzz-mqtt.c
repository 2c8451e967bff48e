/* fuzz-mqtt.c - libFuzzer target for the mqtt source: a relay's messages, and a dump of them
 *
 * The input is read twice: as lines "TOPIC PAYLOAD" (a leading '!' on the topic marks a retained
 * message) applied one by one to a view of the relay, which is then asked for its snapshot; and
 * whole, as the {topic: message} dump `sirena parse --source mqtt` reads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-mqtt"

#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sirena/region.h"
#include "sources/sr-source-mqtt.h"
#include "sources/sr-sources-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	g_autoptr(SrMqttView) view = sr_mqtt_view_new("sirena");
	const char *text = (const char *)data;
	gsize start = 0;
	gint64 mono = 1000 * G_USEC_PER_SEC;
	SrParseContext ctx = {
	    .source_name = "relay",
	    .catalog = sr_catalog_get_default(&error),
	    .now = 1795500000,
	};

	if (ctx.catalog == NULL)
		g_error("cannot load the region catalog (set SIRENA_DATA_DIR): %s", error->message);
	while (start < size) {
		const char *line = text + start;
		const char *end = memchr(line, '\n', size - start);
		gsize len = end != NULL ? (gsize)(end - line) : size - start;
		const char *space = memchr(line, ' ', len);
		gboolean retained = len > 0 && line[0] == '!';
		g_autofree char *topic = NULL;
		g_autoptr(GError) line_error = NULL;
		gboolean duplicate = FALSE;
		if (space != NULL) {
			topic = g_strndup(line + (retained ? 1 : 0),
			                  (gsize)(space - line) - (retained ? 1 : 0));
			if (!sr_mqtt_view_apply(view, topic, space + 1,
			                        len - (gsize)(space - line) - 1, retained, &ctx,
			                        mono, &duplicate, &line_error))
				g_assert(line_error != NULL);
		}
		start += len + 1;
		mono += G_USEC_PER_SEC / 10;
	}
	batch = sr_mqtt_view_snapshot(view, mono, TRUE, &error);
	g_clear_pointer(&batch, sr_batch_free);
	g_clear_error(&error);

	batch = sr_source_mqtt_parse(text, size, &ctx, &error);
	/* exactly one of the two */
	g_assert((batch == NULL) != (error == NULL));
	return 0;
}
