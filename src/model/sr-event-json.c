/* sr-event-json.c - the JSON contract of design.md §3: events to JSON and back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-event"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sirena/error.h"
#include "sirena/json.h"
#include "sr-i18n.h"

const char *
sr_json_get_string(const cJSON *object, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
	if (!cJSON_IsString(item) || item->valuestring == NULL)
		return NULL;
	return item->valuestring;
}

char *
sr_json_print(const cJSON *json)
{
	char *printed = cJSON_PrintUnformatted(json);
	char *copy = g_strdup(printed);
	cJSON_free(printed);
	return copy;
}

static void
add_string_or_null(cJSON *object, const char *name, const char *value)
{
	if (value != NULL)
		cJSON_AddStringToObject(object, name, value);
	else
		cJSON_AddNullToObject(object, name);
}

void
sr_json_add_time(cJSON *object, const char *name, gint64 t)
{
	g_autofree char *str = sr_time_to_rfc3339(t);
	add_string_or_null(object, name, str);
}

static cJSON *
regions_to_json(const SrEvent *event, const SrCatalog *catalog)
{
	cJSON *array = cJSON_CreateArray();
	for (guint i = 0; i < event->regions->len; i++) {
		const char *id = g_ptr_array_index(event->regions, i);
		const SrRegion *region = catalog != NULL ? sr_catalog_lookup(catalog, id) : NULL;
		cJSON *item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "id", id);
		add_string_or_null(item, "name", region != NULL ? region->name : NULL);
		add_string_or_null(item, "name_en", region != NULL ? region->name_en : NULL);
		cJSON_AddStringToObject(item, "level",
		                        sr_region_level_to_string(region != NULL
		                                                      ? region->level
		                                                      : SR_REGION_LEVEL_UNKNOWN));
		cJSON_AddItemToArray(array, item);
	}
	return array;
}

static cJSON *
area_to_json(const SrArea *area)
{
	cJSON *object = cJSON_CreateObject();
	cJSON *polygons = cJSON_CreateArray();
	cJSON *circles = cJSON_CreateArray();
	cJSON *geocodes = cJSON_CreateArray();

	add_string_or_null(object, "description", area->description);
	for (guint i = 0; i < area->polygons->len; i++) {
		GArray *ring = g_ptr_array_index(area->polygons, i);
		cJSON *points = cJSON_CreateArray();
		for (guint j = 0; j < ring->len; j++) {
			const SrPoint *point = &g_array_index(ring, SrPoint, j);
			cJSON *pair = cJSON_CreateArray();
			cJSON_AddItemToArray(pair, cJSON_CreateNumber(point->lat));
			cJSON_AddItemToArray(pair, cJSON_CreateNumber(point->lon));
			cJSON_AddItemToArray(points, pair);
		}
		cJSON_AddItemToArray(polygons, points);
	}
	for (guint i = 0; i < area->circles->len; i++) {
		const SrCircle *circle = &g_array_index(area->circles, SrCircle, i);
		cJSON *item = cJSON_CreateObject();
		cJSON_AddNumberToObject(item, "lat", circle->lat);
		cJSON_AddNumberToObject(item, "lon", circle->lon);
		cJSON_AddNumberToObject(item, "radius_km", circle->radius_km);
		cJSON_AddItemToArray(circles, item);
	}
	for (guint i = 0; i < area->geocodes->len; i++) {
		const SrGeocode *geocode = g_ptr_array_index(area->geocodes, i);
		cJSON *item = cJSON_CreateObject();
		add_string_or_null(item, "name", geocode->name);
		add_string_or_null(item, "value", geocode->value);
		cJSON_AddItemToArray(geocodes, item);
	}
	cJSON_AddItemToObject(object, "polygons", polygons);
	cJSON_AddItemToObject(object, "circles", circles);
	cJSON_AddItemToObject(object, "geocodes", geocodes);
	return object;
}

cJSON *
sr_event_to_json(const SrEvent *event, const SrCatalog *catalog)
{
	cJSON *object = cJSON_CreateObject();
	cJSON *references = cJSON_CreateArray();

	add_string_or_null(object, "id", event->id);
	add_string_or_null(object, "source", event->source);
	cJSON_AddStringToObject(object, "kind", sr_kind_to_string(event->kind));
	cJSON_AddStringToObject(object, "phase", sr_phase_to_string(event->phase));
	cJSON_AddStringToObject(object, "status", sr_status_to_string(event->status));
	cJSON_AddStringToObject(object, "severity", sr_severity_to_string(event->severity));
	cJSON_AddStringToObject(object, "urgency", sr_urgency_to_string(event->urgency));
	cJSON_AddStringToObject(object, "certainty", sr_certainty_to_string(event->certainty));
	cJSON_AddItemToObject(object, "regions", regions_to_json(event, catalog));
	cJSON_AddItemToObject(object, "area", area_to_json(&event->area));
	sr_json_add_time(object, "started_at", event->started_at);
	sr_json_add_time(object, "updated_at", event->updated_at);
	sr_json_add_time(object, "ended_at", event->ended_at);
	sr_json_add_time(object, "expires_at", event->expires_at);
	add_string_or_null(object, "headline", event->headline);
	add_string_or_null(object, "description", event->description);
	add_string_or_null(object, "instruction", event->instruction);
	add_string_or_null(object, "web", event->web);
	add_string_or_null(object, "language", event->language);
	for (guint i = 0; i < event->references->len; i++)
		cJSON_AddItemToArray(references,
		                     cJSON_CreateString(g_ptr_array_index(event->references, i)));
	cJSON_AddItemToObject(object, "references", references);
	return object;
}

/* reading back: strict about shapes, lenient about values the model does not know yet */

static gboolean
read_text(const cJSON *object, const char *name, char **out, GError **error)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
	if (item == NULL || cJSON_IsNull(item))
		return TRUE;
	if (!cJSON_IsString(item)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("'%s' is not a string or null"),
		            name);
		return FALSE;
	}
	sr_event_set_text(out, item->valuestring);
	return TRUE;
}

static gboolean
read_time(const cJSON *object, const char *name, gint64 *out, GError **error)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
	if (item == NULL || cJSON_IsNull(item))
		return TRUE;
	/* the contract writes no time at or before 1970 (0 is "unknown", written as null), so
	 * one cannot be read either: it would not come back as itself */
	if (!cJSON_IsString(item) || !sr_time_parse_iso8601(item->valuestring, out) || *out <= 0) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("'%s' is not an RFC 3339 time after 1970 or null"), name);
		*out = 0;
		return FALSE;
	}
	return TRUE;
}

#define READ_ENUM(object, name, type, fn, out, required, fallback, error)                          \
	G_STMT_START                                                                               \
	{                                                                                          \
		const char *str_ = sr_json_get_string(object, name);                               \
		if (str_ == NULL) {                                                                \
			if (required) {                                                            \
				g_set_error(error, SR_ERROR, SR_ERROR_PARSE,                       \
				            _("'%s' is missing or not a string"), name);           \
				return NULL;                                                       \
			}                                                                          \
		} else if (!fn(str_, out)) {                                                       \
			if (required) {                                                            \
				g_set_error(error, SR_ERROR, SR_ERROR_PARSE,                       \
				            _("'%s' has an unknown value"), name);                 \
				return NULL;                                                       \
			}                                                                          \
			*(out) = fallback;                                                         \
		}                                                                                  \
	}                                                                                          \
	G_STMT_END

static gboolean
read_area(const cJSON *json, SrEvent *event, GError **error)
{
	const cJSON *area = cJSON_GetObjectItemCaseSensitive(json, "area");
	const cJSON *item = NULL;
	if (area == NULL || cJSON_IsNull(area))
		return TRUE;
	if (!cJSON_IsObject(area)) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE, _("'area' is not an object"));
		return FALSE;
	}
	if (!read_text(area, "description", &event->area.description, error))
		return FALSE;
	cJSON_ArrayForEach (item, cJSON_GetObjectItemCaseSensitive(area, "polygons")) {
		g_autoptr(GArray) points = g_array_new(FALSE, FALSE, sizeof(SrPoint));
		const cJSON *pair = NULL;
		cJSON_ArrayForEach (pair, item) {
			SrPoint point;
			if (cJSON_GetArraySize(pair) != 2 ||
			    !cJSON_IsNumber(cJSON_GetArrayItem(pair, 0)) ||
			    !cJSON_IsNumber(cJSON_GetArrayItem(pair, 1))) {
				g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
				                    _("a polygon point is not [lat, lon]"));
				return FALSE;
			}
			point.lat = cJSON_GetArrayItem(pair, 0)->valuedouble;
			point.lon = cJSON_GetArrayItem(pair, 1)->valuedouble;
			g_array_append_val(points, point);
		}
		sr_event_add_polygon(event, (const SrPoint *)(gconstpointer)points->data,
		                     points->len);
	}
	cJSON_ArrayForEach (item, cJSON_GetObjectItemCaseSensitive(area, "circles")) {
		const cJSON *lat = cJSON_GetObjectItemCaseSensitive(item, "lat");
		const cJSON *lon = cJSON_GetObjectItemCaseSensitive(item, "lon");
		const cJSON *radius = cJSON_GetObjectItemCaseSensitive(item, "radius_km");
		if (!cJSON_IsNumber(lat) || !cJSON_IsNumber(lon) || !cJSON_IsNumber(radius)) {
			g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
			                    _("a circle lacks lat, lon or radius_km"));
			return FALSE;
		}
		sr_event_add_circle(event, lat->valuedouble, lon->valuedouble, radius->valuedouble);
	}
	cJSON_ArrayForEach (item, cJSON_GetObjectItemCaseSensitive(area, "geocodes")) {
		const char *name = sr_json_get_string(item, "name");
		const char *value = sr_json_get_string(item, "value");
		if (name == NULL || value == NULL) {
			g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
			                    _("a geocode lacks name or value"));
			return FALSE;
		}
		sr_event_add_geocode(event, name, value);
	}
	return TRUE;
}

SrEvent *
sr_event_from_json(const cJSON *json, GError **error)
{
	const char *id = NULL;
	const char *source = NULL;
	const cJSON *item = NULL;
	g_autoptr(SrEvent) event = NULL;

	if (!cJSON_IsObject(json)) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("an event is not an object"));
		return NULL;
	}
	id = sr_json_get_string(json, "id");
	source = sr_json_get_string(json, "source");
	if (id == NULL || source == NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("an event needs string 'id' and 'source'"));
		return NULL;
	}
	event = sr_event_new(source, id);
	READ_ENUM(json, "kind", SrKind, sr_kind_from_string, &event->kind, FALSE, SR_KIND_UNKNOWN,
	          error);
	READ_ENUM(json, "phase", SrPhase, sr_phase_from_string, &event->phase, TRUE,
	          SR_PHASE_ACTIVE, error);
	READ_ENUM(json, "status", SrStatus, sr_status_from_string, &event->status, TRUE,
	          SR_STATUS_ACTUAL, error);
	READ_ENUM(json, "severity", SrSeverity, sr_severity_from_string, &event->severity, FALSE,
	          SR_SEVERITY_UNKNOWN, error);
	READ_ENUM(json, "urgency", SrUrgency, sr_urgency_from_string, &event->urgency, FALSE,
	          SR_URGENCY_UNKNOWN, error);
	READ_ENUM(json, "certainty", SrCertainty, sr_certainty_from_string, &event->certainty,
	          FALSE, SR_CERTAINTY_UNKNOWN, error);

	cJSON_ArrayForEach (item, cJSON_GetObjectItemCaseSensitive(json, "regions")) {
		const char *region =
		    cJSON_IsString(item) ? item->valuestring : sr_json_get_string(item, "id");
		if (region == NULL) {
			g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
			                    _("a region has no string 'id'"));
			return NULL;
		}
		sr_event_add_region(event, region);
	}
	if (!read_area(json, event, error))
		return NULL;
	if (!read_time(json, "started_at", &event->started_at, error) ||
	    !read_time(json, "updated_at", &event->updated_at, error) ||
	    !read_time(json, "ended_at", &event->ended_at, error) ||
	    !read_time(json, "expires_at", &event->expires_at, error))
		return NULL;
	if (!read_text(json, "headline", &event->headline, error) ||
	    !read_text(json, "description", &event->description, error) ||
	    !read_text(json, "instruction", &event->instruction, error) ||
	    !read_text(json, "web", &event->web, error) ||
	    !read_text(json, "language", &event->language, error))
		return NULL;
	cJSON_ArrayForEach (item, cJSON_GetObjectItemCaseSensitive(json, "references")) {
		if (!cJSON_IsString(item)) {
			g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
			                    _("a reference is not a string"));
			return NULL;
		}
		sr_event_add_reference(event, item->valuestring);
	}
	return g_steal_pointer(&event);
}

SrEvent *
sr_event_from_json_string(const char *str, gsize len, GError **error)
{
	g_autoptr(cJSON) json = cJSON_ParseWithLength(str, len);
	if (json == NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE, _("not valid JSON"));
		return NULL;
	}
	return sr_event_from_json(json, error);
}
