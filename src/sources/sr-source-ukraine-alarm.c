/* sr-source-ukraine-alarm.c - Ukraine Alarm (api.ukrainealarm.com) and its keyless proxy
 * siren.pp.ua
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-source-ukraine_alarm"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sirena/error.h"
#include "sirena/json.h"
#include "sources/sr-sources-private.h"
#include "sr-i18n.h"

/* distinct reasons kept per event: real bodies have one or two, a hostile one could have millions
 */
#define MAX_REASONS 32
/* regionIds are numbers well below this (Crimea's 9999 is the largest today) */
#define MAX_REGION_ID 999999999u

/* request */

static gboolean
build_request_common(const SrSourceConfig *config, SrRequestKind kind, SrRequest *request,
                     gboolean needs_token, GError **error)
{
	const char *path = NULL;
	gboolean has_token = config->token != NULL && config->token[0] != '\0';

	if (needs_token) {
		if (!sr_source_config_require_token(
		        config,
		        N_("an API key, requested (and reviewed by hand) at "
		           "https://api.ukrainealarm.com/; type=siren_pp_ua needs none"),
		        error))
			return FALSE;
	} else if (!sr_source_config_check_token(config, error)) {
		return FALSE;
	}
	if (config->url == NULL || config->url[0] == '\0') {
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG, _("source '%s' has no url="),
		            config->name);
		return FALSE;
	}
	switch (kind) {
	case SR_REQUEST_MAIN:
		path = "/api/v3/alerts";
		break;
	case SR_REQUEST_PROBE:
		path = "/api/v3/alerts/status";
		break;
	default:
		g_set_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT,
		            _("source '%s': unknown request kind %d"), config->name, (gint)kind);
		return FALSE;
	}

	g_free(request->url);
	request->url = g_strconcat(config->url, path, NULL);
	/* the bare key, no "Bearer": the API's security scheme is apiKey in Authorization */
	if (has_token)
		sr_request_add_header(request, "Authorization", config->token);
	sr_request_add_header(request, "Accept", "application/json");
	return TRUE;
}

static gboolean
ukraine_alarm_build_request(const SrSourceConfig *config, SrRequestKind kind, SrRequest *request,
                            GError **error)
{
	return build_request_common(config, kind, request, TRUE, error);
}

static gboolean
siren_pp_ua_build_request(const SrSourceConfig *config, SrRequestKind kind, SrRequest *request,
                          GError **error)
{
	/* keyless; a token is sent only when the user configured one */
	return build_request_common(config, kind, request, FALSE, error);
}

/* JSON */

static const char *
string_value(const cJSON *item)
{
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* a regionId: a numeric string in the spec, a number accepted too; normalised to plain decimal so
 * "022" and 22 name one region and the event id stays the same */
static char *
read_region_id(const cJSON *item)
{
	return sr_source_read_id(item, 12, MAX_REGION_ID);
}

/* "2026-09-21T19:01:57.870114Z" to whole seconds; absent or unreadable is 0, "unknown" */
static gint64
read_time(const cJSON *item)
{
	gint64 t = 0;
	if (!sr_time_parse_iso8601(string_value(item), &t) || t < 0)
		return 0;
	return t;
}

static gboolean
read_alert_type(const char *type, SrKind *kind)
{
	static const struct {
		const char *name;
		SrKind kind;
	} types[] = {
	    {"AIR", SR_KIND_AIR_RAID},
	    {"ARTILLERY", SR_KIND_ARTILLERY},
	    {"URBAN_FIGHTS", SR_KIND_URBAN_FIGHTS},
	    {"CHEMICAL", SR_KIND_CHEMICAL},
	    {"NUCLEAR", SR_KIND_NUCLEAR},
	};

	/* INFO is not a threat; UNKNOWN and anything new are kept as unknown (and logged) */
	if (g_ascii_strcasecmp(type, "INFO") == 0)
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
		if (g_ascii_strcasecmp(type, types[i].name) == 0) {
			*kind = types[i].kind;
			return TRUE;
		}
	}
	sr_source_log_once(G_LOG_DOMAIN, "unknown Ukraine Alarm alert type", type,
	                   "(kept; logged once)");
	*kind = SR_KIND_UNKNOWN;
	return TRUE;
}

/* parsing: one entry per (owner regionId, kind), however many records repeat the alert */

typedef struct {
	char *owner; /* normalised upstream regionId of the region that owns the alert */
	SrKind kind;
	SrSeverity severity;
	gint64 started_at;
	gint64 updated_at;
	GPtrArray *reasons; /* of char*, distinct, valid UTF-8 */
} Entry;

static void
entry_free(Entry *entry)
{
	g_free(entry->owner);
	g_ptr_array_unref(entry->reasons);
	g_free(entry);
}

typedef struct {
	GPtrArray *entries; /* of Entry*, in order of first appearance */
	GHashTable *by_key; /* "owner:kind" -> Entry* */
	/* normalised regionId -> the record's regionName as in the body (made valid UTF-8 only for
	 * the regions that own an alert) */
	GHashTable *names;
} Parser;

static Entry *
parser_get_entry(Parser *parser, const char *owner, SrKind kind)
{
	/* "owner:kind" without printf per alert: an owner has at most 12 digits (read_region_id())
	 */
	char key[32];
	gsize n = strlen(owner);
	Entry *entry = NULL;

	g_return_val_if_fail(n <= 12 && (guint)kind < 100, NULL);
	memcpy(key, owner, n);
	key[n++] = ':';
	if ((guint)kind >= 10)
		key[n++] = (char)('0' + (guint)kind / 10);
	key[n++] = (char)('0' + (guint)kind % 10);
	key[n] = '\0';
	entry = g_hash_table_lookup(parser->by_key, key);
	if (entry != NULL)
		return entry;
	entry = g_new0(Entry, 1);
	entry->owner = g_strdup(owner);
	entry->kind = kind;
	entry->severity = SR_SEVERITY_UNKNOWN;
	entry->reasons = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(parser->entries, entry);
	g_hash_table_insert(parser->by_key, g_strdup(key), entry);
	return entry;
}

static void
entry_add_reason(Entry *entry, const char *reason)
{
	g_autofree char *valid = NULL;

	/* most levels have an empty reason: nothing to copy */
	if (entry->reasons->len >= MAX_REASONS || reason[0] == '\0')
		return;
	valid = g_strstrip(g_utf8_make_valid(reason, -1));
	if (valid[0] == '\0')
		return;
	for (guint i = 0; i < entry->reasons->len; i++) {
		if (g_strcmp0(g_ptr_array_index(entry->reasons, i), valid) == 0)
			return;
	}
	g_ptr_array_add(entry->reasons, g_steal_pointer(&valid));
}

static void
entry_add_time(Entry *entry, gint64 t, gboolean is_start)
{
	if (t == 0)
		return;
	if (is_start && (entry->started_at == 0 || t < entry->started_at))
		entry->started_at = t;
	if (t > entry->updated_at)
		entry->updated_at = t;
}

/* activeAlertLevels (absent or null before 2026); @entry NULL only checks the structure */
static gboolean
parse_levels(const cJSON *levels, Entry *entry, SrKind kind, guint record_index, guint alert_index,
             GError **error)
{
	static const char *const names[] = {"alertLevel", "reason", "createdAt"};
	const cJSON *level = NULL;
	gboolean has_red = FALSE;
	gboolean has_yellow = FALSE;
	guint level_index = 0;
	SrSeverity severity = SR_SEVERITY_EXTREME;

	if (levels != NULL && !cJSON_IsNull(levels) && !cJSON_IsArray(levels)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("record %u, alert %u: 'activeAlertLevels' is not an array"),
		            record_index, alert_index);
		return FALSE;
	}
	if (!cJSON_IsArray(levels))
		levels = NULL;
	cJSON_ArrayForEach (level, levels) {
		const cJSON *members[G_N_ELEMENTS(names)];
		const char *name = NULL;
		const char *reason = NULL;

		if (!cJSON_IsObject(level)) {
			g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
			            _("record %u, alert %u: level %u is not an object"),
			            record_index, alert_index, level_index);
			return FALSE;
		}
		level_index++;
		if (entry == NULL)
			continue;
		sr_source_get_members(level, names, members, G_N_ELEMENTS(names));
		name = string_value(members[0]);
		if (name != NULL && g_ascii_strcasecmp(name, "Red") == 0)
			has_red = TRUE;
		else if (name != NULL && g_ascii_strcasecmp(name, "Yellow") == 0)
			has_yellow = TRUE;
		else
			/* "Purple" and whatever comes next: not understood, the alert stays full */
			sr_source_log_once(G_LOG_DOMAIN, "unknown Ukraine Alarm alert level",
			                   name != NULL ? name : "(none)", "(kept; logged once)");
		reason = string_value(members[1]);
		if (reason != NULL)
			entry_add_reason(entry, reason);
		entry_add_time(entry, read_time(members[2]), FALSE);
	}
	if (entry == NULL)
		return TRUE;

	/* levels mean something only for AIR: other types carry a backfilled Red; an air alert
	 * with no level (the pre-2026 shape) or only unknown ones is a full alert */
	if (kind == SR_KIND_AIR_RAID && has_yellow && !has_red)
		severity = SR_SEVERITY_SEVERE;
	/* several alerts of one kind at one region: the gravest one counts */
	if (severity > entry->severity)
		entry->severity = severity;
	return TRUE;
}

static gboolean
parse_alert(Parser *parser, const cJSON *alert, guint record_index, guint alert_index,
            GError **error)
{
	static const char *const names[] = {"regionId", "type", "lastUpdate", "activeAlertLevels"};
	const cJSON *members[G_N_ELEMENTS(names)];
	g_autofree char *owner = NULL;
	const char *type = NULL;
	SrKind kind = SR_KIND_UNKNOWN;
	Entry *entry = NULL;

	if (!cJSON_IsObject(alert)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("record %u, alert %u is not an object"), record_index, alert_index);
		return FALSE;
	}
	sr_source_get_members(alert, names, members, G_N_ELEMENTS(names));
	owner = read_region_id(members[0]);
	if (owner == NULL) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("record %u, alert %u: 'regionId' is missing or not a region number"),
		            record_index, alert_index);
		return FALSE;
	}
	type = string_value(members[1]);
	if (type == NULL) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("record %u, alert %u: 'type' is missing or not a string"),
		            record_index, alert_index);
		return FALSE;
	}
	if (!read_alert_type(type, &kind)) {
		g_debug("skipping an INFO alert at region %s: not a threat", owner);
		return parse_levels(members[3], NULL, kind, record_index, alert_index, error);
	}
	entry = parser_get_entry(parser, owner, kind);
	entry_add_time(entry, read_time(members[2]), TRUE);
	return parse_levels(members[3], entry, kind, record_index, alert_index, error);
}

static gboolean
parse_record(Parser *parser, const cJSON *record, guint record_index, GError **error)
{
	static const char *const names[] = {"regionId", "regionName", "activeAlerts"};
	const cJSON *members[G_N_ELEMENTS(names)];
	g_autofree char *region_id = NULL;
	const char *name = NULL;
	const cJSON *alerts = NULL;
	const cJSON *alert = NULL;
	guint alert_index = 0;

	if (!cJSON_IsObject(record)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("record %u is not an object"),
		            record_index);
		return FALSE;
	}
	sr_source_get_members(record, names, members, G_N_ELEMENTS(names));
	region_id = read_region_id(members[0]);
	if (region_id == NULL) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("record %u: 'regionId' is missing or not a region number"),
		            record_index);
		return FALSE;
	}
	/* the body outlives the parser: the name is borrowed from it, and the first one counts */
	name = string_value(members[1]);
	if (name != NULL && name[0] != '\0' && !g_hash_table_contains(parser->names, region_id))
		g_hash_table_insert(parser->names, g_steal_pointer(&region_id), (gpointer)name);

	alerts = members[2];
	if (alerts == NULL || cJSON_IsNull(alerts))
		return TRUE;
	if (!cJSON_IsArray(alerts)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("record %u: 'activeAlerts' is not an array"), record_index);
		return FALSE;
	}
	cJSON_ArrayForEach (alert, alerts) {
		if (!parse_alert(parser, alert, record_index, alert_index, error))
			return FALSE;
		alert_index++;
	}
	return TRUE;
}

static SrEvent *
entry_to_event(const Entry *entry, const Parser *parser, const SrParseContext *ctx)
{
	g_autofree char *id = g_strconcat(ctx->source_name, ":", entry->owner, ":",
	                                  sr_kind_to_string(entry->kind), NULL);
	g_autoptr(SrEvent) event = sr_event_new(ctx->source_name, id);
	const SrRegion *region = NULL;

	event->kind = entry->kind;
	event->phase = SR_PHASE_ACTIVE;
	event->status = SR_STATUS_ACTUAL;
	event->severity = entry->severity;
	event->urgency = SR_URGENCY_IMMEDIATE;
	event->certainty = SR_CERTAINTY_OBSERVED;

	if (ctx->catalog != NULL)
		region = sr_catalog_lookup_ukraine_alarm(ctx->catalog, entry->owner);
	if (region != NULL) {
		sr_event_add_region(event, region->id);
	} else {
		/* never drop an alert: a region the catalog lacks keeps its upstream number */
		g_autofree char *unknown = g_strconcat("ua:", entry->owner, NULL);
		sr_event_add_region(event, unknown);
		if (ctx->catalog != NULL)
			sr_source_log_once(G_LOG_DOMAIN, "unknown Ukraine Alarm regionId",
			                   entry->owner, "(kept; logged once)");
	}
	sr_event_set_upstream_text(&event->area.description,
	                           g_hash_table_lookup(parser->names, entry->owner));

	event->started_at = entry->started_at;
	/* the only place "now" is used: an alert that carries no time at all */
	event->updated_at = entry->updated_at != 0 ? entry->updated_at : ctx->now;

	if (entry->reasons->len > 0) {
		g_autoptr(GString) joined = g_string_new(NULL);
		for (guint i = 0; i < entry->reasons->len; i++) {
			if (i > 0)
				g_string_append(joined, "; ");
			g_string_append(joined, g_ptr_array_index(entry->reasons, i));
		}
		sr_event_set_text(&event->description, joined->str);
	}
	sr_event_set_text(&event->language, "uk");
	return g_steal_pointer(&event);
}

SrBatch *
sr_source_ukraine_alarm_parse(const char *body, gsize len, const SrParseContext *ctx,
                              GError **error)
{
	g_autoptr(cJSON) root = NULL;
	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func((GDestroyNotify)entry_free);
	g_autoptr(GHashTable) by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	Parser parser = {entries, by_key, names};
	g_autoptr(SrBatch) batch = NULL;
	const cJSON *record = NULL;
	guint record_index = 0;

	g_return_val_if_fail(ctx != NULL && ctx->source_name != NULL, NULL);

	/* a 2026 firmware learned this the hard way: anything but an array is a failure, never an
	 * all-clear */
	root = sr_source_parse_json_root(body, len, cJSON_Array,
	                                 _("the body is not a JSON array of regions"), error);
	if (root == NULL)
		return NULL;
	cJSON_ArrayForEach (record, root) {
		if (!parse_record(&parser, record, record_index, error))
			return NULL;
		record_index++;
	}

	batch = sr_batch_new(SR_BATCH_SNAPSHOT);
	for (guint i = 0; i < entries->len; i++)
		sr_batch_take(batch, entry_to_event(g_ptr_array_index(entries, i), &parser, ctx));
	return g_steal_pointer(&batch);
}

char *
sr_source_ukraine_alarm_parse_status(const char *body, gsize len, GError **error)
{
	g_autoptr(cJSON) root = sr_source_parse_json_root(
	    body, len, cJSON_Object, _("the status body is not a JSON object"), error);
	const cJSON *item = NULL;
	gint64 value = 0;

	if (root == NULL)
		return NULL;
	item = cJSON_GetObjectItemCaseSensitive(root, "lastActionIndex");
	if (item == NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("'lastActionIndex' is missing"));
		return NULL;
	}
	if (cJSON_IsNumber(item)) {
		double d = item->valuedouble;
		/* 2^63 is exact as a double, G_MAXINT64 is not */
		if (!isfinite(d) || d != floor(d) || d < -9223372036854775808.0 ||
		    d >= 9223372036854775808.0) {
			g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
			                    _("'lastActionIndex' is not an integer"));
			return NULL;
		}
		value = (gint64)d;
	} else if (!cJSON_IsString(item) || item->valuestring == NULL ||
	           !g_ascii_string_to_signed(item->valuestring, 10, G_MININT64, G_MAXINT64, &value,
	                                     NULL)) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("'lastActionIndex' is not an integer"));
		return NULL;
	}
	return g_strdup_printf("%" G_GINT64_FORMAT, value);
}

/* the types */

#define UKRAINE_ALARM_KINDS                                                                        \
	((1u << SR_KIND_AIR_RAID) | (1u << SR_KIND_ARTILLERY) | (1u << SR_KIND_URBAN_FIGHTS) |     \
	 (1u << SR_KIND_CHEMICAL) | (1u << SR_KIND_NUCLEAR) | (1u << SR_KIND_UNKNOWN))
#define UKRAINE_ALARM_LEVELS                                                                       \
	((1u << SR_REGION_LEVEL_OBLAST) | (1u << SR_REGION_LEVEL_RAION) |                          \
	 (1u << SR_REGION_LEVEL_HROMADA) | (1u << SR_REGION_LEVEL_CITY))

const SrSourceOps sr_source_ukraine_alarm = {
    .type = "ukraine_alarm",
    .description = "Ukraine Alarm, the official Air Alert app's API (api.ukrainealarm.com; key)",
    .default_url = "https://api.ukrainealarm.com",
    .needs_token = TRUE,
    /* Every poll is a probe of /alerts/status (~40 bytes), and a fetch of /alerts follows only
     * when lastActionIndex moved; both count against the key's budget (the 2026 measurement:
     * about 3 accepted requests a minute per key, shared by its users, 401 past it). A probe
     * every P seconds leaves room for the fetch a change needs when 60 / P + 1 <= 3, so P >= 30:
     * a quiet minute costs 2 requests (one spare, the margin), a minute with a change 3, and a
     * change is fetched at the probe that sees it (at most 30 s + the round trip). A shorter P
     * is worse, not better: at 20 s three probes spend the whole budget, and each change waits
     * for the next slot (up to 40 s). 20 s (= 60 / 3) stays the floor a user may choose. */
    .default_interval = 30,
    .min_interval = 20,
    .max_per_minute = 3,
    /* 401 is also how the API throttles: back off before calling the key bad */
    .auth_failures_before_error = 5,
    .conditional = FALSE,
    .kinds = UKRAINE_ALARM_KINDS,
    .levels = UKRAINE_ALARM_LEVELS,
    .build_request = ukraine_alarm_build_request,
    .parse = sr_source_ukraine_alarm_parse,
    .parse_probe = sr_source_ukraine_alarm_parse_status,
};

const SrSourceOps sr_source_siren_pp_ua = {
    .type = "siren_pp_ua",
    .description = "siren.pp.ua, a keyless proxy of Ukraine Alarm",
    .default_url = "https://siren.pp.ua",
    .needs_token = FALSE,
    .default_interval = 10,
    .min_interval = 5,
    /* its limit is 50 a minute per IP; keep a margin for other programs on the host */
    .max_per_minute = 40,
    /* it answered 401 while throttled upstream (2026-09) */
    .auth_failures_before_error = 5,
    .conditional = FALSE,
    .kinds = UKRAINE_ALARM_KINDS,
    .levels = UKRAINE_ALARM_LEVELS,
    .build_request = siren_pp_ua_build_request,
    .parse = sr_source_ukraine_alarm_parse,
    .parse_probe = sr_source_ukraine_alarm_parse_status,
};
