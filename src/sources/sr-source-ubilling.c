/* sr-source-ubilling.c - ubilling.net.ua aerialalerts: a keyless mirror of oblast air raid alerts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-source-ubilling"

#include "config.h"

#include <string.h>

#include "sirena/error.h"
#include "sirena/json.h"
#include "sources/sr-sources-private.h"
#include "sr-i18n.h"

/* TRUE when @str has the shape "YYYY-MM-DD HH:MM:SS" (the values are checked later) */
static gboolean
has_local_time_shape(const char *str)
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd";
	if (strlen(str) != strlen(shape))
		return FALSE;
	for (guint i = 0; shape[i] != '\0'; i++) {
		if (shape[i] == 'd' ? !g_ascii_isdigit(str[i]) : str[i] != shape[i])
			return FALSE;
	}
	return TRUE;
}

/* `changed` is Kyiv wall-clock time without a zone; "1970-01-01 03:00:00" (the epoch in Kyiv)
 * and anything before it means the start is unknown, which is 0 in the model */
static gboolean
parse_changed(const char *str, GTimeZone *kyiv, gint64 *out)
{
	if (!has_local_time_shape(str))
		return FALSE;
	if (g_ascii_strtoll(str, NULL, 10) < 1970) {
		*out = 0;
		return TRUE;
	}
	/* real DST rules: +02:00 in winter, +03:00 in summer; the repeated autumn hour resolves
	 * the way GLib does, to standard time */
	if (!sr_time_parse_local(str, kyiv, out))
		return FALSE;
	if (*out < 0)
		*out = 0;
	return TRUE;
}

/* the feed names oblasts (and Kyiv city) by their Ukrainian title; only a top-level region of
 * the catalog is a match, never a raion or hromada of the same name */
static const SrRegion *
find_state(const SrCatalog *catalog, const char *title)
{
	g_autoptr(GPtrArray) found = NULL;
	if (catalog == NULL)
		return NULL;
	found = sr_catalog_find_by_name(catalog, title);
	for (guint i = 0; i < found->len; i++) {
		const SrRegion *region = g_ptr_array_index(found, i);
		if (region->parent == NULL)
			return region;
	}
	return NULL;
}

static SrEvent *
make_event(const SrParseContext *ctx, const SrRegion *region, const char *title, gint64 started_at)
{
	g_autofree char *event_id = NULL;
	SrEvent *event = NULL;

	/* the region's id is the stable key; a title the catalog does not know keys itself */
	if (region != NULL)
		event_id = g_strdup_printf("%s:%s", ctx->source_name, region->local_id);
	else
		event_id = g_strdup_printf("%s:%s", ctx->source_name, title);
	event = sr_event_new(ctx->source_name, event_id);
	event->kind = SR_KIND_AIR_RAID;
	event->phase = SR_PHASE_ACTIVE;
	event->status = SR_STATUS_ACTUAL;
	/* a declared air raid alert; the feed has no level of its own */
	event->severity = SR_SEVERITY_EXTREME;
	event->urgency = SR_URGENCY_IMMEDIATE;
	event->certainty = SR_CERTAINTY_OBSERVED;
	if (region != NULL)
		sr_event_add_region(event, region->id);
	sr_event_set_text(&event->area.description, title);
	event->started_at = started_at;
	sr_event_set_text(&event->language, "uk");
	return event;
}

SrBatch *
sr_source_ubilling_parse(const char *body, gsize len, const SrParseContext *ctx, GError **error)
{
	g_autoptr(cJSON) root = NULL;
	g_autoptr(GTimeZone) kyiv = NULL;
	g_autoptr(SrBatch) batch = NULL;
	g_autoptr(GHashTable) ids = NULL;
	const cJSON *states = NULL;
	const cJSON *state = NULL;
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
	if (!cJSON_IsObject(states)) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("'states' is not an object"));
		return NULL;
	}
	/* the feed always lists every oblast: no states at all is a broken feed, not quiet */
	if (states->child == NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE, _("'states' is empty"));
		return NULL;
	}
	kyiv = sr_time_zone_kyiv(error);
	if (kyiv == NULL)
		return NULL;

	batch = sr_batch_new(SR_BATCH_SNAPSHOT);
	ids = g_hash_table_new(g_str_hash, g_str_equal);
	cJSON_ArrayForEach (state, states) {
		g_autofree char *title = NULL;
		const cJSON *alertnow = NULL;
		const cJSON *changed = NULL;
		const SrRegion *region = NULL;
		gint64 started_at = 0;
		SrEvent *event = NULL;

		if (state->string == NULL || state->string[0] == '\0') {
			g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
			            _("state %u has an empty name"), index);
			return NULL;
		}
		title = sr_source_excerpt(state->string);
		index++;
		if (!cJSON_IsObject(state)) {
			g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
			            _("state '%s' is not an object"), title);
			return NULL;
		}
		alertnow = cJSON_GetObjectItemCaseSensitive(state, "alertnow");
		if (!cJSON_IsBool(alertnow)) {
			g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
			            _("state '%s' has no 'alertnow' or it is not a boolean"),
			            title);
			return NULL;
		}
		changed = cJSON_GetObjectItemCaseSensitive(state, "changed");
		if (changed != NULL && !cJSON_IsNull(changed) &&
		    (!cJSON_IsString(changed) ||
		     !parse_changed(changed->valuestring, kyiv, &started_at))) {
			g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
			            _("state '%s' has a 'changed' that is not a "
			              "\"YYYY-MM-DD HH:MM:SS\" time"),
			            title);
			return NULL;
		}

		region = find_state(ctx->catalog, state->string);
		if (region == NULL)
			sr_source_log_once(G_LOG_DOMAIN, "state", state->string,
			                   "is not an oblast in the region catalog; kept by name");
		if (!cJSON_IsTrue(alertnow))
			continue;

		/* the whole title (made valid UTF-8) is the key and the place name */
		g_free(title);
		title = g_utf8_make_valid(state->string, -1);
		event = make_event(ctx, region, title, started_at);
		/* a repeated key, or two titles of one region, must not make two events of one id
		 */
		if (g_hash_table_contains(ids, event->id)) {
			g_debug("state '%s' repeats event %s; the first is kept", title, event->id);
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
	if (kind != SR_REQUEST_MAIN) {
		g_set_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT,
		            _("source '%s' has no probe request"), config->name);
		return FALSE;
	}
	g_free(request->url);
	request->url = g_strconcat(config->url, "/aerialalerts/", NULL);
	return TRUE;
}

const SrSourceOps sr_source_ubilling = {
    .type = "ubilling",
    .description = "ubilling.net.ua aerialalerts: keyless mirror of air raid alerts by oblast",
    .default_url = "https://ubilling.net.ua",
    .needs_token = FALSE,
    .default_interval = 10,
    .min_interval = 3,
    .max_per_minute = 20,
    .auth_failures_before_error = 1,
    .conditional = TRUE,
    .kinds = (1u << SR_KIND_AIR_RAID),
    .levels = (1u << SR_REGION_LEVEL_OBLAST) | (1u << SR_REGION_LEVEL_CITY),
    .extra_keys = NULL,
    .build_request = build_request,
    .parse = sr_source_ubilling_parse,
    .parse_probe = NULL,
};
