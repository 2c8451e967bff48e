/* sr-source-nws.c - US National Weather Service: the active alerts of api.weather.gov as GeoJSON
 *
 * What it is: https://api.weather.gov/alerts/active, the NWS API's list of every alert in force
 * now (watches, warnings, advisories, and the non-weather messages NWS relays), as a GeoJSON
 * FeatureCollection whose features carry CAP 1.2 fields in `properties`. Run by the National
 * Weather Service (NOAA); no key. Documented in the OpenAPI file at
 * https://api.weather.gov/openapi.json and https://www.weather.gov/documentation/services-web-api
 * (community repository: https://github.com/weather-gov/api).
 *
 * Request: one of the mutually exclusive filters point=LAT,LON, zone=UGC ids (CAZ041, CAC037) or
 * area=state/marine codes (KS, AM); an unknown query parameter is a 400, so nothing else is added
 * (no cache busting). A User-Agent naming the application and a contact is required: without
 * one the API answers 403. Format by Accept: application/geo+json.
 *
 * Limits: the rate limit is not public; past it the API answers with an error that may be
 * retried after about 5 s. No official polling interval exists: clients in the wild poll every
 * 30 s (Home Assistant weatheralerts) to 60 s (nws_alerts, AccessiWeather); the retired
 * alerts.weather.gov asked for no more than every 30 s. Responses carry Cache-Control and
 * Last-Modified for If-Modified-Since; ETag is not documented (the poller sends it back when
 * one comes).
 *
 * Quirks: geometry is null (zone-based alerts: the zones are in geocode.UGC/SAME) or a GeoJSON
 * Polygon in lon,lat order; `messageType` is CAP's msgType; `response` is CAP's responseType;
 * `expires` is when this message expires (the forecaster's reminder to reissue it, often hours
 * before the hazard ends, and reissues come late at busy times) while `ends` is the event's
 * ending time from VTEC: NWS's own site uses `ends` and falls back to `expires` when there is
 * none (weather-gov/weather.gov#852, weather-gov/api#15, weather-gov/api#190). An Update or a
 * Cancel is a new message with a new identifier and `references` to the earlier ones, often
 * several. `scope`, `code`, `language`, `web` and `eventCode` appear in captures since 2025 but
 * not in the 2024 OpenAPI schema: all optional here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-source-nws"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sirena/error.h"
#include "sirena/json.h"
#include "sources/sr-cap.h"
#include "sources/sr-sources-private.h"
#include "sr-i18n.h"

/* the longest CAP identifier accepted as an event id; NWS's are about 70 bytes */
#define NWS_MAX_IDENTIFIER 512
/* the longest contact= sent in the User-Agent */
#define NWS_MAX_CONTACT 256

static const char *const extra_keys[] = {"contact", "point", "zone", "area", NULL};

/* CAP responseType values: an unknown one is logged, not used */
static const char *const response_types[] = {"Shelter", "Evacuate", "Prepare",  "Execute", "Avoid",
                                             "Monitor", "Assess",   "AllClear", "None"};

/* the members of `properties` this reads, found in one walk over its thirty-odd members rather
 * than a linear search per name */
enum {
	P_ID,
	P_MESSAGE_TYPE,
	P_RESPONSE,
	P_CATEGORY,
	P_EVENT,
	P_SEVERITY,
	P_URGENCY,
	P_CERTAINTY,
	P_STATUS,
	P_SENT,
	P_EFFECTIVE,
	P_ONSET,
	P_EXPIRES,
	P_ENDS,
	P_AREA_DESC,
	P_HEADLINE,
	P_DESCRIPTION,
	P_INSTRUCTION,
	P_WEB,
	P_LANGUAGE,
	P_GEOCODE,
	P_REFERENCES,
	N_PROPERTIES
};

static const char *const property_names[N_PROPERTIES] = {
    [P_ID] = "id",
    [P_MESSAGE_TYPE] = "messageType",
    [P_RESPONSE] = "response",
    [P_CATEGORY] = "category",
    [P_EVENT] = "event",
    [P_SEVERITY] = "severity",
    [P_URGENCY] = "urgency",
    [P_CERTAINTY] = "certainty",
    [P_STATUS] = "status",
    [P_SENT] = "sent",
    [P_EFFECTIVE] = "effective",
    [P_ONSET] = "onset",
    [P_EXPIRES] = "expires",
    [P_ENDS] = "ends",
    [P_AREA_DESC] = "areaDesc",
    [P_HEADLINE] = "headline",
    [P_DESCRIPTION] = "description",
    [P_INSTRUCTION] = "instruction",
    [P_WEB] = "web",
    [P_LANGUAGE] = "language",
    [P_GEOCODE] = "geocode",
    [P_REFERENCES] = "references",
};

static const char *
string_value(const cJSON *item)
{
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* an optional time (@name for the log): absent, null or unreadable is 0 (unknown), never a
 * failure of the body */
static gint64
read_time(const cJSON *item, const char *name)
{
	gint64 value = 0;

	if (item == NULL || cJSON_IsNull(item))
		return 0;
	if (!cJSON_IsString(item) || !sr_time_parse_iso8601(item->valuestring, &value)) {
		sr_source_log_once(G_LOG_DOMAIN, name,
		                   cJSON_IsString(item) ? item->valuestring : "(not a string)",
		                   "is not an ISO 8601 time with an offset; taken as unknown");
		return 0;
	}
	/* 0 is "unknown" in the model; an instant before the epoch is no better */
	return MAX(value, 0);
}

/* a CAP identifier usable as an event id: NULL when absent, empty, overlong or with control
 * characters (it ends up in log lines and in the store) */
static const char *
read_identifier(const cJSON *item)
{
	const char *value = cJSON_IsString(item) ? item->valuestring : NULL;
	gsize len = 0;

	if (value == NULL)
		return NULL;
	len = strlen(value);
	if (len == 0 || len > NWS_MAX_IDENTIFIER || !g_utf8_validate(value, (gssize)len, NULL))
		return NULL;
	for (gsize i = 0; i < len; i++) {
		if (g_ascii_iscntrl(value[i]))
			return NULL;
	}
	return value;
}

static void
read_enums(SrEvent *event, const cJSON *const *props)
{
	const char *severity = string_value(props[P_SEVERITY]);
	const char *urgency = string_value(props[P_URGENCY]);
	const char *certainty = string_value(props[P_CERTAINTY]);
	const char *status = string_value(props[P_STATUS]);

	/* a value CAP does not define is kept as unknown, never dropped */
	if (severity == NULL || !sr_cap_severity(severity, &event->severity)) {
		event->severity = SR_SEVERITY_UNKNOWN;
		sr_source_log_once(G_LOG_DOMAIN, "severity", severity != NULL ? severity : "(none)",
		                   "is not a CAP severity; reported as unknown");
	}
	if (urgency == NULL || !sr_cap_urgency(urgency, &event->urgency)) {
		event->urgency = SR_URGENCY_UNKNOWN;
		sr_source_log_once(G_LOG_DOMAIN, "urgency", urgency != NULL ? urgency : "(none)",
		                   "is not a CAP urgency; reported as unknown");
	}
	if (certainty == NULL || !sr_cap_certainty(certainty, &event->certainty)) {
		event->certainty = SR_CERTAINTY_UNKNOWN;
		sr_source_log_once(G_LOG_DOMAIN, "certainty",
		                   certainty != NULL ? certainty : "(none)",
		                   "is not a CAP certainty; reported as unknown");
	}
	/* the model has no unknown status: an alert NWS lists whose status cannot be read is
	 * shown rather than hidden (a missed warning is the worse mistake) */
	if (status == NULL || !sr_cap_status(status, &event->status)) {
		event->status = SR_STATUS_ACTUAL;
		sr_source_log_once(G_LOG_DOMAIN, "status", status != NULL ? status : "(none)",
		                   "is not a CAP status; reported as actual");
	}
}

/* whether one responseType value is AllClear; an unknown one is logged */
static gboolean
response_is_all_clear(const char *value)
{
	gboolean known = FALSE;

	for (guint i = 0; i < G_N_ELEMENTS(response_types); i++) {
		if (g_ascii_strcasecmp(value, response_types[i]) == 0)
			known = TRUE;
	}
	if (!known)
		sr_source_log_once(G_LOG_DOMAIN, "response", value,
		                   "is not a CAP responseType; ignored");
	return g_ascii_strcasecmp(value, "AllClear") == 0;
}

/* whether `response` (one value, or an array of them in CAP's way) says AllClear */
static gboolean
read_all_clear(const cJSON *response)
{
	const cJSON *item = NULL;
	gboolean all_clear = FALSE;

	if (cJSON_IsString(response))
		return response_is_all_clear(response->valuestring);
	if (!cJSON_IsArray(response))
		return FALSE;
	cJSON_ArrayForEach (item, response) {
		if (cJSON_IsString(item) && response_is_all_clear(item->valuestring))
			all_clear = TRUE;
	}
	return all_clear;
}

static SrKind
read_kind(const cJSON *const *props)
{
	const cJSON *category = props[P_CATEGORY];
	g_autoptr(GPtrArray) categories = g_ptr_array_new();
	const cJSON *item = NULL;

	/* NWS sends one category; CAP allows several */
	if (cJSON_IsString(category)) {
		g_ptr_array_add(categories, category->valuestring);
	} else if (cJSON_IsArray(category)) {
		cJSON_ArrayForEach (item, category) {
			if (cJSON_IsString(item))
				g_ptr_array_add(categories, item->valuestring);
		}
	}
	return sr_cap_kind(categories, string_value(props[P_EVENT]));
}

static void
read_geocodes(SrEvent *event, const cJSON *geocode)
{
	static const char *const names[] = {"SAME", "UGC"};

	if (!cJSON_IsObject(geocode))
		return;
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		const cJSON *values = cJSON_GetObjectItemCaseSensitive(geocode, names[i]);
		const cJSON *value = NULL;
		if (!cJSON_IsArray(values))
			continue;
		cJSON_ArrayForEach (value, values) {
			g_autofree char *valid = NULL;
			if (!cJSON_IsString(value) || value->valuestring[0] == '\0')
				continue;
			valid = g_utf8_make_valid(value->valuestring, -1);
			sr_event_add_geocode(event, names[i], valid);
		}
	}
}

/* one GeoJSON linear ring of [lon, lat(, alt)] positions; FALSE when any position was bad */
static gboolean
add_ring(SrEvent *event, const cJSON *ring)
{
	g_autoptr(GArray) points = g_array_new(FALSE, FALSE, sizeof(SrPoint));
	const cJSON *position = NULL;
	gboolean clean = TRUE;

	if (!cJSON_IsArray(ring))
		return FALSE;
	cJSON_ArrayForEach (position, ring) {
		const cJSON *lon = cJSON_IsArray(position) ? position->child : NULL;
		const cJSON *lat = lon != NULL ? lon->next : NULL;
		SrPoint point = {0, 0};
		if (!cJSON_IsNumber(lon) || !cJSON_IsNumber(lat)) {
			clean = FALSE;
			continue;
		}
		/* GeoJSON is lon,lat; the model, like CAP text, is lat,lon */
		point.lat = lat->valuedouble;
		point.lon = lon->valuedouble;
		g_array_append_val(points, point);
	}
	/* points out of range are left out there; fewer than three make no area */
	if (!sr_event_add_polygon(event, (const SrPoint *)(gpointer)points->data, points->len))
		return FALSE;
	return clean;
}

/* the outer ring of a GeoJSON Polygon's coordinates: holes are left out, so the area only
 * grows (a warning shown a little too widely rather than missed) */
static gboolean
add_polygon(SrEvent *event, const cJSON *rings)
{
	if (!cJSON_IsArray(rings) || rings->child == NULL)
		return FALSE;
	return add_ring(event, rings->child);
}

static void
read_geometry(SrEvent *event, const cJSON *feature, const char *identifier)
{
	const cJSON *geometry = cJSON_GetObjectItemCaseSensitive(feature, "geometry");
	const cJSON *coordinates = NULL;
	const cJSON *polygon = NULL;
	const char *type = NULL;
	gboolean ok = TRUE;

	/* null: a zone-based alert, its area is in the geocodes */
	if (geometry == NULL || cJSON_IsNull(geometry))
		return;
	type = sr_json_get_string(geometry, "type");
	coordinates = cJSON_GetObjectItemCaseSensitive(geometry, "coordinates");
	if (g_strcmp0(type, "Polygon") == 0) {
		ok = add_polygon(event, coordinates);
	} else if (g_strcmp0(type, "MultiPolygon") == 0) {
		ok = cJSON_IsArray(coordinates);
		cJSON_ArrayForEach (polygon, coordinates) {
			if (!add_polygon(event, polygon))
				ok = FALSE;
		}
	} else if (type != NULL) {
		sr_source_log_once(G_LOG_DOMAIN, "geometry type", type,
		                   "is not read; the alert is kept with its zones");
		return;
	} else {
		ok = FALSE;
	}
	/* the alert stays, with its zones and what could be read of its shape */
	if (!ok)
		g_debug("alert %s: some of its geometry is not a GeoJSON polygon; left out",
		        identifier);
}

typedef struct {
	char *id;
	gint64 sent;
} Reference;

static void
reference_free(Reference *reference)
{
	g_free(reference->id);
	g_free(reference);
}

static gint
reference_compare(gconstpointer a, gconstpointer b)
{
	const Reference *ra = *(const Reference *const *)a;
	const Reference *rb = *(const Reference *const *)b;
	return ra->sent < rb->sent ? -1 : ra->sent > rb->sent ? 1 : 0;
}

/* the messages this one updates or cancels, oldest first (a stable sort: ties and unknown
 * times keep their published order, unknown first) */
static void
read_references(SrEvent *event, const cJSON *references, const SrParseContext *ctx,
                const char *identifier)
{
	g_autoptr(GPtrArray) list = NULL;
	const cJSON *item = NULL;

	if (references == NULL || cJSON_IsNull(references))
		return;
	if (!cJSON_IsArray(references)) {
		g_debug("alert %s: 'references' is not an array; ignored", identifier);
		return;
	}
	list = g_ptr_array_new_with_free_func((GDestroyNotify)reference_free);
	cJSON_ArrayForEach (item, references) {
		const char *referenced = NULL;
		Reference *reference = NULL;
		if (!cJSON_IsObject(item) ||
		    (referenced = read_identifier(
		         cJSON_GetObjectItemCaseSensitive(item, "identifier"))) == NULL) {
			g_debug("alert %s: a reference without an identifier; ignored", identifier);
			continue;
		}
		/* a message does not supersede itself */
		if (g_strcmp0(referenced, identifier) == 0)
			continue;
		reference = g_new0(Reference, 1);
		reference->id = g_strconcat(ctx->source_name, ":", referenced, NULL);
		reference->sent = read_time(cJSON_GetObjectItemCaseSensitive(item, "sent"), "sent");
		g_ptr_array_add(list, reference);
	}
	g_ptr_array_sort(list, reference_compare);
	for (guint i = 0; i < list->len; i++) {
		const Reference *reference = g_ptr_array_index(list, i);
		sr_event_add_reference(event, reference->id);
	}
}

/* the phase from messageType and response; FALSE for messages about messages (Ack, Error) */
static gboolean
read_phase(SrEvent *event, const cJSON *const *props)
{
	const char *message_type = string_value(props[P_MESSAGE_TYPE]);

	event->phase = SR_PHASE_ACTIVE;
	if (message_type == NULL) {
		sr_source_log_once(G_LOG_DOMAIN, "messageType", "(none)",
		                   "is missing; the message is taken as an alert");
	} else if (g_ascii_strcasecmp(message_type, "Cancel") == 0) {
		event->phase = SR_PHASE_CANCELLED;
		return TRUE;
	} else if (g_ascii_strcasecmp(message_type, "Ack") == 0 ||
	           g_ascii_strcasecmp(message_type, "Error") == 0) {
		return FALSE;
	} else if (g_ascii_strcasecmp(message_type, "Alert") != 0 &&
	           g_ascii_strcasecmp(message_type, "Update") != 0) {
		/* an alert with a type we do not know is still an alert: never dropped */
		sr_source_log_once(G_LOG_DOMAIN, "messageType", message_type,
		                   "is not a CAP msgType; the message is taken as an alert");
	}
	/* an Update saying the hazard is over */
	if (read_all_clear(props[P_RESPONSE]))
		event->phase = SR_PHASE_ENDED;
	return TRUE;
}

static SrEvent *
parse_feature(const cJSON *feature, guint index, const SrParseContext *ctx, gboolean *skip,
              GError **error)
{
	const cJSON *properties = NULL;
	const cJSON *props[N_PROPERTIES];
	const char *identifier = NULL;
	const char *language = NULL;
	g_autofree char *event_id = NULL;
	g_autoptr(SrEvent) event = NULL;
	gint64 sent = 0;
	gint64 effective = 0;
	gint64 onset = 0;
	gint64 expires = 0;
	gint64 ends = 0;

	*skip = FALSE;
	if (!cJSON_IsObject(feature)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("feature %u is not an object"),
		            index);
		return NULL;
	}
	properties = cJSON_GetObjectItemCaseSensitive(feature, "properties");
	if (!cJSON_IsObject(properties)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("feature %u has no 'properties' or it is not an object"), index);
		return NULL;
	}
	sr_source_get_members(properties, property_names, props, N_PROPERTIES);
	/* the CAP identifier: one message, stable for its life in the list */
	identifier = read_identifier(props[P_ID]);
	if (identifier == NULL) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("feature %u has no 'properties.id' or it is not a CAP identifier"),
		            index);
		return NULL;
	}

	event_id = g_strconcat(ctx->source_name, ":", identifier, NULL);
	event = sr_event_new(ctx->source_name, event_id);
	if (!read_phase(event, props)) {
		g_debug("alert %s is an acknowledgement or an error notice; not a hazard",
		        identifier);
		*skip = TRUE;
		return NULL;
	}
	event->kind = read_kind(props);
	read_enums(event, props);

	sent = read_time(props[P_SENT], "sent");
	effective = read_time(props[P_EFFECTIVE], "effective");
	onset = read_time(props[P_ONSET], "onset");
	expires = read_time(props[P_EXPIRES], "expires");
	ends = read_time(props[P_ENDS], "ends");
	event->started_at = onset != 0 ? onset : effective != 0 ? effective : sent;
	event->updated_at = sent;
	/* the event's end when NWS gives one; `expires` is only this message's, and a reissue
	 * may come after it: ending the alert then would be a false all-clear */
	event->expires_at = ends != 0 ? ends : expires;
	if (event->phase == SR_PHASE_ENDED || event->phase == SR_PHASE_CANCELLED)
		event->ended_at = sent;

	sr_event_set_upstream_text(&event->area.description, string_value(props[P_AREA_DESC]));
	sr_event_set_upstream_text(&event->headline, string_value(props[P_HEADLINE]));
	sr_event_set_upstream_text(&event->description, string_value(props[P_DESCRIPTION]));
	sr_event_set_upstream_text(&event->instruction, string_value(props[P_INSTRUCTION]));
	sr_event_set_upstream_text(&event->web, string_value(props[P_WEB]));
	language = string_value(props[P_LANGUAGE]);
	sr_event_set_upstream_text(&event->language,
	                           language != NULL && language[0] != '\0' ? language : "en-US");
	read_geocodes(event, props[P_GEOCODE]);
	read_geometry(event, feature, identifier);
	read_references(event, props[P_REFERENCES], ctx, identifier);
	return g_steal_pointer(&event);
}

/* FALSE with an error when the collection is one page of several: the alerts not on it would
 * read as ended */
static gboolean
check_pagination(const cJSON *root, GError **error)
{
	const cJSON *pagination = cJSON_GetObjectItemCaseSensitive(root, "pagination");
	const cJSON *next = NULL;

	if (!cJSON_IsObject(pagination))
		return TRUE;
	next = cJSON_GetObjectItemCaseSensitive(pagination, "next");
	if (next == NULL || cJSON_IsNull(next) ||
	    (cJSON_IsString(next) && next->valuestring[0] == '\0'))
		return TRUE;
	g_set_error_literal(
	    error, SR_ERROR, SR_ERROR_PARSE,
	    _("the list is one page of several ('pagination.next'): the alerts on the "
	      "other pages would look ended"));
	return FALSE;
}

SrBatch *
sr_source_nws_parse(const char *body, gsize len, const SrParseContext *ctx, GError **error)
{
	g_autoptr(cJSON) root = NULL;
	g_autoptr(SrBatch) batch = NULL;
	g_autoptr(GHashTable) ids = NULL;
	const cJSON *features = NULL;
	const cJSON *feature = NULL;
	const char *type = NULL;
	guint index = 0;

	root = sr_source_parse_json_root(body, len, cJSON_Object, _("body is not a JSON object"),
	                                 error);
	if (root == NULL)
		return NULL;
	features = cJSON_GetObjectItemCaseSensitive(root, "features");
	if (features == NULL) {
		/* an application/problem+json error: its title is NWS's own text, no secret in it
		 */
		const char *title = sr_json_get_string(root, "title");
		if (title != NULL || cJSON_GetObjectItemCaseSensitive(root, "detail") != NULL ||
		    cJSON_GetObjectItemCaseSensitive(root, "status") != NULL) {
			g_autofree char *shown = sr_source_excerpt(title != NULL ? title : "");
			g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
			            _("body is an error message, not a list of alerts: '%s'"),
			            shown);
			return NULL;
		}
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE, _("body has no 'features'"));
		return NULL;
	}
	type = sr_json_get_string(root, "type");
	if (cJSON_GetObjectItemCaseSensitive(root, "type") != NULL &&
	    g_strcmp0(type, "FeatureCollection") != 0) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("body is not a GeoJSON FeatureCollection"));
		return NULL;
	}
	if (!cJSON_IsArray(features)) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("'features' is not an array"));
		return NULL;
	}
	if (!check_pagination(root, error))
		return NULL;

	/* the active list is everything in force now: what it no longer lists is over */
	batch = sr_batch_new(SR_BATCH_SNAPSHOT);
	ids = g_hash_table_new(g_str_hash, g_str_equal);
	cJSON_ArrayForEach (feature, features) {
		gboolean skip = FALSE;
		SrEvent *event = parse_feature(feature, index, ctx, &skip, error);
		index++;
		if (skip)
			continue;
		if (event == NULL)
			return NULL;
		/* one identifier is one message: a repeat would make two events with one id */
		if (g_hash_table_contains(ids, event->id)) {
			g_debug("feature %u repeats id %s; the first is kept", index - 1,
			        event->id);
			sr_event_unref(event);
			continue;
		}
		g_hash_table_add(ids, event->id);
		sr_batch_take(batch, event);
	}
	return g_steal_pointer(&batch);
}

/* request building */

/* a coordinate with at most 4 decimals (about 11 m; the API refuses more on /points), without
 * trailing zeros, in the C locale */
static char *
format_coordinate(gdouble value)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	gsize len = 0;

	g_ascii_formatd(buf, sizeof(buf), "%.4f", value);
	len = strlen(buf);
	while (len > 0 && buf[len - 1] == '0')
		buf[--len] = '\0';
	if (len > 0 && buf[len - 1] == '.')
		buf[--len] = '\0';
	if (strcmp(buf, "-0") == 0)
		return g_strdup("0");
	return g_strdup(buf);
}

static gboolean
parse_coordinate(const char *text, gdouble limit, gdouble *out)
{
	g_autofree char *copy = g_strstrip(g_strdup(text));
	char *end = NULL;
	gdouble value = 0;

	if (copy[0] == '\0')
		return FALSE;
	value = g_ascii_strtod(copy, &end);
	if (end == NULL || *end != '\0' || !isfinite(value) || fabs(value) > limit)
		return FALSE;
	*out = value;
	return TRUE;
}

static char *
build_point(const SrSourceConfig *config, const char *value, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(value, ",", -1);
	gdouble lat = 0;
	gdouble lon = 0;
	g_autofree char *lat_text = NULL;
	g_autofree char *lon_text = NULL;

	if (g_strv_length(parts) != 2 || !parse_coordinate(parts[0], 90, &lat) ||
	    !parse_coordinate(parts[1], 180, &lon)) {
		g_set_error(
		    error, SR_ERROR, SR_ERROR_CONFIG,
		    _("source '%s': point= is latitude,longitude in degrees, latitude first "
		      "(point=38.8894,-77.0352)"),
		    config->name);
		return NULL;
	}
	lat_text = format_coordinate(lat);
	lon_text = format_coordinate(lon);
	return g_strdup_printf("point=%s,%s", lat_text, lon_text);
}

static gboolean
zone_code_valid(const char *code)
{
	/* UGC: state or marine area, Z (public/fire zone) or C (county), three digits */
	return strlen(code) == 6 && g_ascii_isupper(code[0]) && g_ascii_isupper(code[1]) &&
	       (code[2] == 'Z' || code[2] == 'C') && g_ascii_isdigit(code[3]) &&
	       g_ascii_isdigit(code[4]) && g_ascii_isdigit(code[5]);
}

static gboolean
area_code_valid(const char *code)
{
	/* a state, territory or marine area: two letters (KS, PR, AM, GM) */
	return strlen(code) == 2 && g_ascii_isupper(code[0]) && g_ascii_isupper(code[1]);
}

/* "@key=A,B" out of the comma-separated codes of zone= or area=, upper-cased, each checked with
 * @valid; empty items are skipped */
static char *
build_list(const SrSourceConfig *config, const char *key, const char *value,
           gboolean (*valid)(const char *code), const char *expected, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(value, ",", -1);
	g_autoptr(GString) query = g_string_new(key);
	guint count = 0;

	g_string_append_c(query, '=');
	for (guint i = 0; parts[i] != NULL; i++) {
		g_autofree char *code = g_ascii_strup(g_strstrip(parts[i]), -1);
		if (code[0] == '\0')
			continue;
		if (!valid(code)) {
			g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
			            _("source '%s': %s= is a comma-separated list of %s"),
			            config->name, key, expected);
			return NULL;
		}
		g_string_append_printf(query, "%s%s", count > 0 ? "," : "", code);
		count++;
	}
	if (count == 0) {
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
		            _("source '%s': %s= is a comma-separated list of %s"), config->name,
		            key, expected);
		return NULL;
	}
	return g_string_free(g_steal_pointer(&query), FALSE);
}

/* a configured extra key with something in it, or NULL */
static const char *
get_extra(const SrSourceConfig *config, const char *key)
{
	const char *value = sr_source_config_get_extra(config, key);
	if (value == NULL)
		return NULL;
	while (g_ascii_isspace(*value))
		value++;
	return value[0] != '\0' ? value : NULL;
}

static char *
build_filter(const SrSourceConfig *config, GError **error)
{
	const char *point = get_extra(config, "point");
	const char *zone = get_extra(config, "zone");
	const char *area = get_extra(config, "area");

	if ((point != NULL) + (zone != NULL) + (area != NULL) > 1) {
		g_set_error(
		    error, SR_ERROR, SR_ERROR_CONFIG,
		    _("source '%s': point=, zone= and area= exclude each other (the API takes "
		      "one); keep one"),
		    config->name);
		return NULL;
	}
	if (point != NULL)
		return build_point(config, point, error);
	if (zone != NULL)
		return build_list(config, "zone", zone, zone_code_valid,
		                  _("UGC zone or county ids (zone=CAZ041,CAC037)"), error);
	if (area != NULL)
		return build_list(config, "area", area, area_code_valid,
		                  _("state or marine area codes (area=KS,MO)"), error);
	/* the whole country is thousands of alerts about other places */
	g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
	            _("source '%s' needs a place to watch: point=LAT,LON (point=38.8894,-77.0352), "
	              "zone=UGC ids (zone=CAZ041,CAC037) or area=state codes (area=KS,MO)"),
	            config->name);
	return NULL;
}

/* the contact the API requires in the User-Agent, checked: it goes into a header line */
static char *
read_contact(const SrSourceConfig *config, GError **error)
{
	const char *value = get_extra(config, "contact");
	g_autofree char *contact = NULL;

	if (value == NULL) {
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
		            _("source '%s' needs contact=: api.weather.gov requires a way to reach "
		              "whoever runs the client, an e-mail address or a URL "
		              "(contact=you@example.org); it is sent in the User-Agent only"),
		            config->name);
		return NULL;
	}
	contact = g_strstrip(g_strdup(value));
	for (const char *p = contact; *p != '\0'; p++) {
		/* no line breaks (forged headers), nothing past ASCII, no parentheses (they
		 * would end the User-Agent comment) */
		if ((guchar)*p < 0x20 || (guchar)*p >= 0x7f || *p == '(' || *p == ')') {
			g_set_error(
			    error, SR_ERROR, SR_ERROR_CONFIG,
			    _("source '%s': contact= may hold printable ASCII only, without "
			      "parentheses (contact=you@example.org)"),
			    config->name);
			return NULL;
		}
	}
	if (strlen(contact) > NWS_MAX_CONTACT ||
	    (strchr(contact, '@') == NULL && !g_str_has_prefix(contact, "https://") &&
	     !g_str_has_prefix(contact, "http://"))) {
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
		            _("source '%s': contact= is an e-mail address or a URL "
		              "(contact=you@example.org or contact=https://example.org/contact)"),
		            config->name);
		return NULL;
	}
	return g_steal_pointer(&contact);
}

static gboolean
build_request(const SrSourceConfig *config, SrRequestKind kind, SrRequest *request, GError **error)
{
	g_autofree char *contact = NULL;
	g_autofree char *filter = NULL;
	g_autofree char *user_agent = NULL;

	if (kind != SR_REQUEST_MAIN) {
		g_set_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT,
		            _("source '%s' has no probe request"), config->name);
		return FALSE;
	}
	contact = read_contact(config, error);
	if (contact == NULL)
		return FALSE;
	filter = build_filter(config, error);
	if (filter == NULL)
		return FALSE;
	g_free(request->url);
	request->url = g_strconcat(config->url, "/alerts/active?", filter, NULL);
	/* the API refuses requests without an application and a contact in the User-Agent */
	user_agent = g_strdup_printf("sirena/%s (%s)", PACKAGE_VERSION, contact);
	sr_request_add_header(request, "User-Agent", user_agent);
	sr_request_add_header(request, "Accept", "application/geo+json");
	return TRUE;
}

const SrSourceOps sr_source_nws = {
    .type = "nws",
    .description = "US National Weather Service (api.weather.gov): active watches, warnings "
                   "and advisories for a point, zones or states (needs contact=)",
    .default_url = "https://api.weather.gov",
    .needs_token = FALSE,
    /* clients poll every 30 to 60 s; NWS publishes no rate, so the slower end by default and
     * the 30 s the retired alerts.weather.gov asked for as the floor */
    .default_interval = 60,
    .min_interval = 30,
    .max_per_minute = 2,
    /* the rate limit's answer is not documented: a 403 or two may be throttling */
    .auth_failures_before_error = 3,
    .forbidden_hint = "api.weather.gov refuses clients it cannot identify; check that "
                      "contact= is a working e-mail address or URL",
    .conditional = TRUE,
    /* CAP categories and event names reach every kind */
    .kinds = SR_KINDS_ALL,
    /* no regions of the catalog: areas are zones (UGC), counties (SAME) and polygons */
    .levels = 0,
    .extra_keys = extra_keys,
    .build_request = build_request,
    .parse = sr_source_nws_parse,
    .parse_probe = NULL,
};
