/* sr-source-alerts-com-ua.c - alerts.com.ua (and3rson/raid): oblast air raid alerts by key, as a
 * snapshot (/api/states) and as server-sent events (/api/states/live)
 *
 * The service reads the Telegram channel @air_alert_ua, which stopped posting on 2026-08-30; it
 * may have nothing to say any more, and is never the only source a user should rely on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-source-alerts-com-ua"

#include "config.h"

#include <string.h>

#include "sirena/error.h"
#include "sirena/json.h"
#include "sources/sr-sources-private.h"
#include "sr-i18n.h"

/* the service's own state ids (raid/updater.go): alphabetical, 1 to 25, not alerts.in.ua's
 * UIDs. Only the names are written here; the catalog gives the regions. The stream and the
 * short snapshot (?short) carry the id alone, so the id is the key, not the name. */
static const char *const state_names[] = {
    NULL,
    "Вінницька область",
    "Волинська область",
    "Дніпропетровська область",
    "Донецька область",
    "Житомирська область",
    "Закарпатська область",
    "Запорізька область",
    "Івано-Франківська область",
    "Київська область",
    "Кіровоградська область",
    "Луганська область",
    "Львівська область",
    "Миколаївська область",
    "Одеська область",
    "Полтавська область",
    "Рівненська область",
    "Сумська область",
    "Тернопільська область",
    "Харківська область",
    "Херсонська область",
    "Хмельницька область",
    "Черкаська область",
    "Чернівецька область",
    "Чернігівська область",
    "м. Київ",
};

/* ids are small numbers; more digits than this is not an id of this service */
#define MAX_ID_DIGITS 9

/* a top-level region of the catalog by name, never a raion or hromada of the same name */
static const SrRegion *
find_top_level(const SrCatalog *catalog, const char *name)
{
	g_autoptr(GPtrArray) found = NULL;
	if (catalog == NULL || name == NULL)
		return NULL;
	found = sr_catalog_find_by_name(catalog, name);
	for (guint i = 0; i < found->len; i++) {
		const SrRegion *region = g_ptr_array_index(found, i);
		if (region->parent == NULL)
			return region;
	}
	return NULL;
}

/* one element of "states", or the "state" of a stream update, as read */
typedef struct {
	char *id;         /* decimal, "25" */
	const char *name; /* may be NULL (?short has none) */
	gboolean alert;
	gint64 changed; /* 0: unknown */
} State;

static void
state_clear(State *state)
{
	g_clear_pointer(&state->id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(State, state_clear)

/* @what names the object in errors by its JSON path, which needs no translation: "states[3]"
 * in a snapshot, "'state'" in an update */
static gboolean
read_state(const cJSON *item, const char *what, State *state, GError **error)
{
	const cJSON *id = NULL;
	const cJSON *name = NULL;
	const cJSON *alert = NULL;
	const cJSON *changed = NULL;

	if (!cJSON_IsObject(item)) {
		/* TRANSLATORS: %s is a JSON path: states[3] or 'state' */
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("%s is not an object"), what);
		return FALSE;
	}
	id = cJSON_GetObjectItemCaseSensitive(item, "id");
	state->id = sr_source_read_id(id, MAX_ID_DIGITS, SR_SOURCE_MAX_JSON_INTEGER);
	if (state->id == NULL) {
		/* TRANSLATORS: %s is a JSON path: states[3] or 'state' */
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("%s has no 'id' or it is not a non-negative integer"), what);
		return FALSE;
	}
	alert = cJSON_GetObjectItemCaseSensitive(item, "alert");
	if (!cJSON_IsBool(alert)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("state %s has no 'alert' or it is not a boolean"), state->id);
		return FALSE;
	}
	state->alert = cJSON_IsTrue(alert);
	name = cJSON_GetObjectItemCaseSensitive(item, "name");
	if (name != NULL && !cJSON_IsNull(name) && !cJSON_IsString(name)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("state %s has a 'name' that is not a string"), state->id);
		return FALSE;
	}
	state->name =
	    cJSON_IsString(name) && name->valuestring[0] != '\0' ? name->valuestring : NULL;
	changed = cJSON_GetObjectItemCaseSensitive(item, "changed");
	state->changed = 0;
	if (changed != NULL && !cJSON_IsNull(changed) &&
	    (!cJSON_IsString(changed) ||
	     !sr_time_parse_iso8601(changed->valuestring, &state->changed))) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("state %s has a 'changed' that is not an RFC 3339 time"), state->id);
		return FALSE;
	}
	/* a time before the epoch is no time the model knows */
	if (state->changed < 0)
		state->changed = 0;
	return TRUE;
}

/* the region of a state: by its id, or by its name for an id the service did not have in 2023 */
static const SrRegion *
state_region(const SrParseContext *ctx, const State *state)
{
	const SrRegion *region = NULL;
	const SrRegion *named = find_top_level(ctx->catalog, state->name);
	guint64 number = 0;

	if (g_ascii_string_to_unsigned(state->id, 10, 1, G_N_ELEMENTS(state_names) - 1, &number,
	                               NULL)) {
		region = find_top_level(ctx->catalog, state_names[number]);
		if (region == NULL && ctx->catalog != NULL)
			sr_source_log_once(G_LOG_DOMAIN, "state name", state_names[number],
			                   "is not in the region catalog");
		/* the id wins, but a renumbering upstream should not go unnoticed */
		if (region != NULL && named != NULL && named != region)
			sr_source_log_once(G_LOG_DOMAIN, "state id", state->id,
			                   "is %s, but the state is named %s; the id is trusted",
			                   region->name, named->name);
		return region;
	}
	if (named == NULL) {
		sr_source_log_once(G_LOG_DOMAIN, "state id", state->id,
		                   "is not known and its name is not an oblast in the region "
		                   "catalog; kept by id");
		return NULL;
	}
	/* a stranger must not speak for a region a known id covers: its "no alert" would end
	 * that region's alert */
	for (guint i = 1; i < G_N_ELEMENTS(state_names); i++) {
		if (find_top_level(ctx->catalog, state_names[i]) == named) {
			sr_source_log_once(G_LOG_DOMAIN, "state id", state->id,
			                   "is not known and is named as state %u; kept by id", i);
			return NULL;
		}
	}
	sr_source_log_once(G_LOG_DOMAIN, "state id", state->id, "is not known; placed by its name");
	return named;
}

/* the alert of a state: one per (source, region), so that the snapshot and the stream speak
 * of the same alert; active, or ended when @state has no alert */
static SrEvent *
make_event(const SrParseContext *ctx, const State *state)
{
	const SrRegion *region = state_region(ctx, state);
	g_autofree char *event_id = NULL;
	g_autofree char *title = NULL;
	SrEvent *event = NULL;

	/* an id the catalog cannot place keys itself */
	if (region != NULL)
		event_id = g_strdup_printf("%s:%s", ctx->source_name, region->local_id);
	else
		event_id = g_strdup_printf("%s:state-%s", ctx->source_name, state->id);
	event = sr_event_new(ctx->source_name, event_id);
	event->kind = SR_KIND_AIR_RAID;
	event->phase = state->alert ? SR_PHASE_ACTIVE : SR_PHASE_ENDED;
	event->status = SR_STATUS_ACTUAL;
	/* a declared air raid alert; the service has no level of its own */
	event->severity = SR_SEVERITY_EXTREME;
	event->urgency = SR_URGENCY_IMMEDIATE;
	event->certainty = SR_CERTAINTY_OBSERVED;
	if (region != NULL)
		sr_event_add_region(event, region->id);
	if (state->name != NULL)
		title = g_utf8_make_valid(state->name, -1);
	else if (region != NULL)
		title = g_strdup(region->name);
	else
		title = g_strdup_printf("state %s", state->id);
	sr_event_set_text(&event->area.description, title);
	if (state->alert)
		event->started_at = state->changed;
	else
		event->ended_at = state->changed;
	sr_event_set_text(&event->language, "uk");
	return event;
}

SrBatch *
sr_source_alerts_com_ua_parse(const char *body, gsize len, const SrParseContext *ctx,
                              GError **error)
{
	g_autoptr(cJSON) root = NULL;
	g_autoptr(SrBatch) batch = NULL;
	g_autoptr(GHashTable) ids = NULL;
	const cJSON *states = NULL;
	const cJSON *item = NULL;
	guint index = 0;

	root = sr_source_parse_json_root(body, len, cJSON_Object, _("body is not a JSON object"),
	                                 error);
	if (root == NULL)
		return NULL;
	states = cJSON_GetObjectItemCaseSensitive(root, "states");
	if (states == NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE, _("body has no 'states'"));
		return NULL;
	}
	if (!cJSON_IsArray(states)) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE, _("'states' is not an array"));
		return NULL;
	}
	/* the service always lists every oblast: no states at all is a broken answer, not quiet */
	if (states->child == NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE, _("'states' is empty"));
		return NULL;
	}

	batch = sr_batch_new(SR_BATCH_SNAPSHOT);
	ids = g_hash_table_new(g_str_hash, g_str_equal);
	cJSON_ArrayForEach (item, states) {
		g_auto(State) state = {NULL};
		g_autofree char *what = g_strdup_printf("states[%u]", index++);
		SrEvent *event = NULL;

		if (!read_state(item, what, &state, error))
			return NULL;
		if (!state.alert) {
			/* still placed, so that an unknown id is logged whether or not it alerts */
			(void)state_region(ctx, &state);
			continue;
		}
		event = make_event(ctx, &state);
		/* a repeated id, or two ids of one region, must not make two events of one id */
		if (g_hash_table_contains(ids, event->id)) {
			g_debug("state %s repeats event %s; the first is kept", state.id,
			        event->id);
			sr_event_unref(event);
			continue;
		}
		g_hash_table_add(ids, event->id);
		sr_batch_take(batch, event);
	}
	return g_steal_pointer(&batch);
}

SrBatch *
sr_source_alerts_com_ua_parse_event(const char *type, const char *data, gsize len,
                                    const SrParseContext *ctx, GError **error)
{
	g_autoptr(cJSON) root = NULL;
	g_autoptr(SrBatch) batch = NULL;
	g_auto(State) state = {NULL};
	const cJSON *notification = NULL;

	/* hello once on connect, ping after 5 s of silence: alive, nothing more */
	if (g_strcmp0(type, "hello") == 0 || g_strcmp0(type, "ping") == 0)
		return NULL;
	if (g_strcmp0(type, "update") != 0) {
		sr_source_log_once(G_LOG_DOMAIN, "event type", type != NULL ? type : "(none)",
		                   "is not known; ignored");
		return NULL;
	}
	root = sr_source_parse_json_root(data, len, cJSON_Object, _("update is not a JSON object"),
	                                 error);
	if (root == NULL)
		return NULL;
	if (!read_state(cJSON_GetObjectItemCaseSensitive(root, "state"), "'state'", &state, error))
		return NULL;
	/* the service's dedupe key; the alert's identity is its region, so it is only checked */
	notification = cJSON_GetObjectItemCaseSensitive(root, "notification_id");
	if (notification != NULL && !cJSON_IsNull(notification) && !cJSON_IsString(notification)) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("update has a 'notification_id' that is not a string"));
		return NULL;
	}
	batch = sr_batch_new(SR_BATCH_DELTA);
	sr_batch_take(batch, make_event(ctx, &state));
	return g_steal_pointer(&batch);
}

static gboolean
build_request(const SrSourceConfig *config, SrRequestKind kind, SrRequest *request, GError **error)
{
	const char *path = NULL;

	switch (kind) {
	case SR_REQUEST_MAIN:
		path = "/api/states";
		break;
	case SR_REQUEST_STREAM:
		path = "/api/states/live";
		break;
	default:
		g_set_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT,
		            _("source '%s' has no probe request"), config->name);
		return FALSE;
	}
	if (!sr_source_config_require_token(config,
	                                    N_("ask the author of alerts.com.ua for a key (see "
	                                       "https://alerts.com.ua/en) and put it in token="),
	                                    error))
		return FALSE;
	g_free(request->url);
	request->url = g_strconcat(config->url, path, NULL);
	sr_request_add_header(request, "X-API-Key", config->token);
	sr_request_add_header(request, "Accept",
	                      kind == SR_REQUEST_STREAM ? "text/event-stream" : "application/json");
	return TRUE;
}

const SrSourceOps sr_source_alerts_com_ua = {
    .type = "alerts_com_ua",
    .description = "alerts.com.ua: air raid alerts by oblast, pushed as server-sent events "
                   "(needs a key; its only input stopped on 2026-08-30, may be dead)",
    .default_url = "https://alerts.com.ua",
    .needs_token = TRUE,
    /* the fallback poll while the stream is down; the service allows 10 requests a second
     * per address, which is no reason to use them */
    .default_interval = 15,
    .min_interval = 2,
    .max_per_minute = 30,
    .auth_failures_before_error = 1,
    .forbidden_hint = "alerts.com.ua does not know the key; check token=",
    .conditional = FALSE,
    .kinds = (1u << SR_KIND_AIR_RAID),
    /* Kyiv city is a city in the catalog: its ends must count too */
    .levels = (1u << SR_REGION_LEVEL_OBLAST) | (1u << SR_REGION_LEVEL_CITY),
    .extra_keys = NULL,
    .build_request = build_request,
    .parse = sr_source_alerts_com_ua_parse,
    .parse_probe = NULL,
    .parse_event = sr_source_alerts_com_ua_parse_event,
    /* the server sends a ping after 5 s of silence */
    .stream_heartbeat = 5,
};
