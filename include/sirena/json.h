/* json.h - the JSON contract (design.md §3) and time helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <cjson/cJSON.h>

#include "sirena/event.h"
#include "sirena/region.h"

G_BEGIN_DECLS

/* version of the JSON contract; changing its shape is a breaking change */
#define SR_JSON_SCHEMA 1

G_DEFINE_AUTOPTR_CLEANUP_FUNC(cJSON, cJSON_Delete)

/* the event as a JSON object; region names and levels come from @catalog when given */
cJSON *sr_event_to_json(const SrEvent *event, const SrCatalog *catalog);

/* reads an event back from its JSON form (the "events" of a change line, a D-Bus payload ...) */
SrEvent *sr_event_from_json(const cJSON *json, GError **error);
SrEvent *sr_event_from_json_string(const char *str, gsize len, GError **error);

/* "2026-11-25T06:12:40Z"; NULL for 0 ("unknown") */
char *sr_time_to_rfc3339(gint64 t);

/* ISO 8601 / RFC 3339 with a zone ("Z", "+03:00", "-00:00"), optional fraction; FALSE otherwise */
gboolean sr_time_parse_iso8601(const char *str, gint64 *out);

/* a wall-clock "YYYY-MM-DD HH:MM:SS" in @tz (real DST rules) */
gboolean sr_time_parse_local(const char *str, GTimeZone *tz, gint64 *out);

/* Europe/Kyiv (or its older name Europe/Kiev); NULL with an error when tzdata lacks it */
GTimeZone *sr_time_zone_kyiv(GError **error);
/* Asia/Jerusalem, the wall clock of the Home Front Command's history feed */
GTimeZone *sr_time_zone_jerusalem(GError **error);

/* adds @name: the RFC 3339 form of @t, or null when @t is 0 (unknown) */
void sr_json_add_time(cJSON *object, const char *name, gint64 t);

/* cJSON helpers for parsers: a member's string, or NULL when absent, null or not a string */
const char *sr_json_get_string(const cJSON *object, const char *name);

/* formats cJSON without spaces and without trailing newline */
char *sr_json_print(const cJSON *json);

G_END_DECLS
