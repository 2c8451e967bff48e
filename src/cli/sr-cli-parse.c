/* sr-cli-parse.c - `sirena parse`: normalise a saved upstream body offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sirena"

#include "config.h"

#include <stdio.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>

#include "cli/sr-cli.h"
#include "sirena/json.h"
#include "sirena/source.h"

static gboolean
read_input(const char *file, char **data, gsize *len, GError **error)
{
	if (g_strcmp0(file, "-") == 0) {
		g_autoptr(GInputStream) in = g_unix_input_stream_new(0, FALSE);
		g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable();
		if (g_output_stream_splice(out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL,
		                           error) < 0)
			return FALSE;
		*len = g_memory_output_stream_get_data_size(G_MEMORY_OUTPUT_STREAM(out));
		*data = g_memory_output_stream_steal_data(G_MEMORY_OUTPUT_STREAM(out));
		if (*data == NULL)
			*data = g_strdup("");
		return TRUE;
	}
	return g_file_get_contents(file, data, len, error);
}

int
sr_cli_parse(int argc, char **argv, SrCliCommon *common)
{
	g_autofree char *type = NULL;
	g_autofree char *source_name = NULL;
	g_autofree char *at = NULL;
	g_autofree char *location_text = NULL;
	g_autoptr(SrLocation) location = sr_location_new();
	g_autofree char *data = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) batch = NULL;
	const SrSourceOps *ops = NULL;
	const SrCatalog *catalog = NULL;
	SrParseContext ctx = {0};
	gsize len = 0;
	guint left_out = 0;
	GOptionEntry entries[] = {
	    {"source", 's', 0, G_OPTION_ARG_STRING, &type, N_("Source type of the body (required)"),
	     "TYPE"},
	    {"name", 0, 0, G_OPTION_ARG_STRING, &source_name,
	     N_("Source name used in event ids (default: the type)"), "NAME"},
	    {"at", 0, 0, G_OPTION_ARG_STRING, &at,
	     N_("When the body was fetched, RFC 3339 (default: now); feeds read against the "
	        "clock, such as oref_history, need it for a saved body"),
	     "TIME"},
	    {"location", 0, 0, G_OPTION_ARG_STRING, &location_text,
	     N_("Print only the events whose area covers this place, latitude,longitude (events "
	        "that name regions, not areas, are left out)"),
	     "LAT,LON"},
	    {NULL},
	};

	if (!sr_cli_parse_options(common, "parse", "FILE",
	                          N_("Normalises a saved upstream body (FILE, or - for stdin) "
	                             "into Sirena events,\none per line. Types: see `sirena "
	                             "sources`."),
	                          entries, &argc, &argv))
		return SR_EXIT_USAGE;
	if (type == NULL) {
		sr_cli_error(_("parse needs --source TYPE (see `sirena sources`)"));
		return SR_EXIT_USAGE;
	}
	ops = sr_source_registry_lookup(type);
	if (ops == NULL || ops->parse == NULL) {
		sr_cli_error(_("no parser for source type '%s' (see `sirena sources`)"), type);
		return SR_EXIT_USAGE;
	}
	if (argc != 2) {
		sr_cli_error(_("parse needs exactly one FILE (or - for stdin)"));
		return SR_EXIT_USAGE;
	}
	if (location_text != NULL && !sr_cli_read_location(location_text, location))
		return SR_EXIT_USAGE;
	catalog = sr_cli_catalog();
	if (catalog == NULL)
		return SR_EXIT_FAILURE;
	if (!read_input(argv[1], &data, &len, &error)) {
		sr_cli_error("%s", error->message);
		return SR_EXIT_USAGE;
	}
	ctx.source_name = source_name != NULL ? source_name : ops->type;
	ctx.catalog = catalog;
	ctx.now = g_get_real_time() / G_USEC_PER_SEC;
	if (at != NULL && !sr_time_parse_iso8601(at, &ctx.now)) {
		sr_cli_error(_("--at '%s' is not an RFC 3339 time with an offset, such as "
		               "2026-07-01T09:05:00Z"),
		             at);
		return SR_EXIT_USAGE;
	}
	batch = ops->parse(data, len, &ctx, &error);
	if (batch == NULL) {
		sr_cli_error(_("%s: not a valid %s body: %s"), argv[1], ops->type, error->message);
		return SR_EXIT_FAILURE;
	}
	for (guint i = 0; i < batch->events->len; i++) {
		const SrEvent *event = g_ptr_array_index(batch->events, i);
		if (location_text != NULL && !sr_location_matches_area(location, &event->area)) {
			left_out++;
			continue;
		}
		if (common->json) {
			g_autoptr(cJSON) json = sr_event_to_json(event, catalog);
			sr_cli_print_json(json);
		} else {
			g_autofree char *started = sr_time_to_rfc3339(event->started_at);
			g_autoptr(GString) regions = g_string_new(NULL);
			for (guint j = 0; j < event->regions->len; j++) {
				const char *id = g_ptr_array_index(event->regions, j);
				g_string_append_printf(regions, "%s%s %s", j > 0 ? ", " : "", id,
				                       sr_cli_region_name(catalog, id));
			}
			if (event->regions->len == 0)
				g_string_append(regions, event->area.description != NULL
				                             ? event->area.description
				                             : _("(no region)"));
			/* kind, phase and severity by their JSON names: this is a tool for
			 * looking at what a source says */
			printf("%-12s %-9s %-8s %s — ", sr_kind_to_string(event->kind),
			       sr_phase_to_string(event->phase),
			       sr_severity_to_string(event->severity), regions->str);
			printf(_("since %s"), started != NULL ? started : _("an unknown time"));
			printf("  [%s]\n", event->id);
		}
	}
	if (!common->json && batch->events->len == 0)
		printf("%s\n", _("no active alerts in this body"));
	else if (!common->json && left_out == batch->events->len) {
		printf(_("no event in this body covers %s (%u left out)"), location_text, left_out);
		printf("\n");
	}
	return SR_EXIT_OK;
}
