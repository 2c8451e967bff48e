/* sr-source-alerts-in-ua.c - alerts.in.ua: every active alert, by location uid, with a token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-source-alerts-in-ua"

#include "config.h"

#include <string.h>

#include "sirena/error.h"
#include "sirena/json.h"
#include "sources/sr-sources-private.h"
#include "sr-i18n.h"

static const struct {
	const char *name;
	SrKind kind;
} alert_types[] = {
    {"air_raid", SR_KIND_AIR_RAID},         {"artillery_shelling", SR_KIND_ARTILLERY},
    {"urban_fights", SR_KIND_URBAN_FIGHTS}, {"chemical", SR_KIND_CHEMICAL},
    {"nuclear", SR_KIND_NUCLEAR},
};

/* the members of an alert this reads; the first of a repeated name counts, as with
 * cJSON_GetObjectItemCaseSensitive() */
typedef struct {
	const cJSON *id;
	const cJSON *location_uid;
	const cJSON *alert_type;
	const cJSON *started_at;
	const cJSON *finished_at;
	const cJSON *updated_at;
	const cJSON *location_title;
	const cJSON *notes;
} AlertFields;

static void
take_member(const cJSON **slot, const cJSON *member, const char *name)
{
	if (*slot == NULL && strcmp(member->string, name) == 0)
		*slot = member;
}

/* one walk over the members instead of a linear search per name: an alert has a dozen */
static void
read_fields(const cJSON *alert, AlertFields *fields)
{
	const cJSON *member = NULL;

	memset(fields, 0, sizeof *fields);
	cJSON_ArrayForEach (member, alert) {
		if (member->string == NULL)
			continue;
		switch (member->string[0]) {
		case 'i':
			take_member(&fields->id, member, "id");
			break;
		case 'l':
			take_member(&fields->location_uid, member, "location_uid");
			take_member(&fields->location_title, member, "location_title");
			break;
		case 'a':
			take_member(&fields->alert_type, member, "alert_type");
			break;
		case 's':
			take_member(&fields->started_at, member, "started_at");
			break;
		case 'f':
			take_member(&fields->finished_at, member, "finished_at");
			break;
		case 'u':
			take_member(&fields->updated_at, member, "updated_at");
			break;
		case 'n':
			take_member(&fields->notes, member, "notes");
			break;
		default:
			break;
		}
	}
}

static const char *
string_value(const cJSON *item)
{
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static SrKind
kind_from_alert_type(const char *type)
{
	for (guint i = 0; i < G_N_ELEMENTS(alert_types); i++) {
		if (g_strcmp0(alert_types[i].name, type) == 0)
			return alert_types[i].kind;
	}
	/* a type added upstream after this was written: kept as unknown, never dropped */
	sr_source_log_once(G_LOG_DOMAIN, "alert_type", type, "is not known; reported as unknown");
	return SR_KIND_UNKNOWN;
}

/* an optional time: absent or null is 0; anything else must be an ISO 8601 string */
static gboolean
read_optional_time(const cJSON *item, gint64 *out)
{
	if (item == NULL || cJSON_IsNull(item)) {
		*out = 0;
		return TRUE;
	}
	if (!cJSON_IsString(item) || !sr_time_parse_iso8601(item->valuestring, out))
		return FALSE;
	/* 0 is "unknown" in the model; an instant before the epoch is no better */
	if (*out < 0)
		*out = 0;
	return TRUE;
}

static SrEvent *
parse_alert(const cJSON *alert, guint index, const SrParseContext *ctx, GError **error)
{
	AlertFields fields;
	g_autofree char *key = NULL;
	g_autofree char *uid = NULL;
	g_autofree char *event_id = NULL;
	g_autofree char *region_id = NULL;
	const char *type = NULL;
	gint64 started_at = 0;
	gint64 updated_at = 0;
	gint64 finished_at = 0;
	g_autoptr(SrEvent) event = NULL;

	if (!cJSON_IsObject(alert)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("alert %u is not an object"), index);
		return NULL;
	}
	read_fields(alert, &fields);
	/* ids and uids are integers that fit a double exactly; "016" and 16 are one location */
	key = sr_source_read_id(fields.id, 16, SR_SOURCE_MAX_JSON_INTEGER);
	if (key == NULL) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("alert %u has no 'id' or it is not an integer"), index);
		return NULL;
	}
	uid = sr_source_read_id(fields.location_uid, 16, G_MAXINT32);
	if (uid == NULL) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("alert %u has no 'location_uid' or it is not an integer"), index);
		return NULL;
	}
	type = string_value(fields.alert_type);
	if (type == NULL) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("alert %u has no 'alert_type' or it is not a string"), index);
		return NULL;
	}
	if (fields.started_at == NULL || cJSON_IsNull(fields.started_at) ||
	    !read_optional_time(fields.started_at, &started_at)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("alert %u has no 'started_at' or it is not an ISO 8601 time"), index);
		return NULL;
	}
	/* finished_at decides the phase, so a value we cannot read fails the body */
	if (!read_optional_time(fields.finished_at, &finished_at)) {
		g_set_error(
		    error, SR_ERROR, SR_ERROR_PARSE,
		    _("alert %u has a 'finished_at' that is neither null nor an ISO 8601 time"),
		    index);
		return NULL;
	}
	/* updated_at is informational only: a bad one is ignored */
	if (!read_optional_time(fields.updated_at, &updated_at))
		updated_at = 0;

	event_id = g_strconcat(ctx->source_name, ":", key, NULL);
	event = sr_event_new(ctx->source_name, event_id);
	event->kind = kind_from_alert_type(type);
	event->phase = SR_PHASE_ACTIVE;
	event->status = SR_STATUS_ACTUAL;
	/* a declared alert; the API has no level of its own */
	event->severity = SR_SEVERITY_EXTREME;
	event->urgency = SR_URGENCY_IMMEDIATE;
	event->certainty = SR_CERTAINTY_OBSERVED;
	/* location_oblast_uid is not trusted (it has been seen equal to a hromada's own uid):
	 * the catalog's tree gives the oblast */
	region_id = g_strconcat("ua:", uid, NULL);
	sr_event_add_region(event, region_id);
	if (ctx->catalog != NULL && sr_catalog_lookup(ctx->catalog, region_id) == NULL)
		sr_source_log_once(G_LOG_DOMAIN, "location_uid", uid,
		                   "is not in the region catalog; kept as %s", region_id);
	sr_event_set_upstream_text(&event->area.description, string_value(fields.location_title));
	sr_event_set_upstream_text(&event->description, string_value(fields.notes));
	event->started_at = started_at;
	event->updated_at = updated_at;
	if (finished_at != 0) {
		event->phase = SR_PHASE_ENDED;
		event->ended_at = finished_at;
	}
	sr_event_set_text(&event->language, "uk");
	return g_steal_pointer(&event);
}

/* whether event id @b comes after @a in the ids' numeric order: both are "<source>:" and a
 * decimal with no leading zero (sr_source_read_id()), so the longer one is the larger */
static gboolean
id_rises(const char *a, const char *b)
{
	gsize len_a = strlen(a);
	gsize len_b = strlen(b);
	return len_b > len_a || (len_b == len_a && strcmp(b, a) > 0);
}

SrBatch *
sr_source_alerts_in_ua_parse(const char *body, gsize len, const SrParseContext *ctx, GError **error)
{
	g_autoptr(cJSON) root = NULL;
	g_autoptr(SrBatch) batch = NULL;
	g_autoptr(GHashTable) ids = NULL;
	const cJSON *alerts = NULL;
	const cJSON *alert = NULL;
	guint index = 0;

	root = sr_source_parse_json_root(body, len, cJSON_Object, _("body is not a JSON object"),
	                                 error);
	if (root == NULL)
		return NULL;
	alerts = cJSON_GetObjectItemCaseSensitive(root, "alerts");
	if (alerts == NULL) {
		/* the text of an error body is not repeated: it could echo the request */
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    cJSON_GetObjectItemCaseSensitive(root, "message") != NULL
		                        ? _("body is an error message, not a list of alerts")
		                        : _("body has no 'alerts'"));
		return NULL;
	}
	if (!cJSON_IsArray(alerts)) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE, _("'alerts' is not an array"));
		return NULL;
	}

	batch = sr_batch_new(SR_BATCH_SNAPSHOT);
	cJSON_ArrayForEach (alert, alerts) {
		SrEvent *event = parse_alert(alert, index, ctx, error);
		if (event == NULL)
			return NULL;
		index++;
		/* ids that rise from record to record cannot repeat: the set of ids seen is built
		 * only once one does not */
		if (ids == NULL) {
			const SrEvent *last =
			    batch->events->len > 0
			        ? g_ptr_array_index(batch->events, batch->events->len - 1)
			        : NULL;
			if (last == NULL || id_rises(last->id, event->id)) {
				sr_batch_take(batch, event);
				continue;
			}
			ids = g_hash_table_new(g_str_hash, g_str_equal);
			for (guint i = 0; i < batch->events->len; i++)
				g_hash_table_add(
				    ids, ((SrEvent *)g_ptr_array_index(batch->events, i))->id);
		}
		/* one id is one alert: a repeated record would make two events with one identity */
		if (g_hash_table_contains(ids, event->id)) {
			g_debug("alert %u repeats id %s; the first record is kept", index - 1,
			        event->id);
			sr_event_unref(event);
			continue;
		}
		g_hash_table_add(ids, event->id);
		sr_batch_take(batch, event);
	}
	return g_steal_pointer(&batch);
}

static gboolean
build_request(const SrSourceConfig *config, SrRequestKind kind, SrRequest *request, GError **error)
{
	g_autofree char *bearer = NULL;

	if (kind != SR_REQUEST_MAIN) {
		g_set_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT,
		            _("source '%s' has no probe request"), config->name);
		return FALSE;
	}
	if (!sr_source_config_require_token(config,
	                                    N_("request one at https://alerts.in.ua/api-request "
	                                       "and put it in token="),
	                                    error))
		return FALSE;
	g_free(request->url);
	request->url = g_strconcat(config->url, "/v1/alerts/active.json", NULL);
	bearer = g_strconcat("Bearer ", config->token, NULL);
	sr_request_add_header(request, "Authorization", bearer);
	sr_request_add_header(request, "Accept", "application/json");
	/* the header copy is the caller's; ours is wiped like the config's */
	memset(bearer, 0, strlen(bearer));
	return TRUE;
}

const SrSourceOps sr_source_alerts_in_ua = {
    .type = "alerts_in_ua",
    .description = "alerts.in.ua: all alert types at oblast, raion, hromada and city level "
                   "(needs a token)",
    .default_url = "https://api.alerts.in.ua",
    .needs_token = TRUE,
    .default_interval = 15,
    .min_interval = 10,
    .max_per_minute = 6,
    .auth_failures_before_error = 1,
    .conditional = TRUE,
    .kinds = (1u << SR_KIND_AIR_RAID) | (1u << SR_KIND_ARTILLERY) | (1u << SR_KIND_URBAN_FIGHTS) |
             (1u << SR_KIND_CHEMICAL) | (1u << SR_KIND_NUCLEAR) | (1u << SR_KIND_UNKNOWN),
    .levels = (1u << SR_REGION_LEVEL_OBLAST) | (1u << SR_REGION_LEVEL_RAION) |
              (1u << SR_REGION_LEVEL_HROMADA) | (1u << SR_REGION_LEVEL_CITY),
    .extra_keys = NULL,
    .build_request = build_request,
    .parse = sr_source_alerts_in_ua_parse,
    .parse_probe = NULL,
};
