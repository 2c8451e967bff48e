/* sr-source-oref.c - Pikud HaOref (Israel Home Front Command) real-time alerts
 *
 * Alerts.json holds one alert at a time, {"id","cat","title","data":[areas],"desc"}, for
 * 30 to 60 seconds, and flips between alert types when several are on; an empty body means
 * nothing is on show right now. The tracker keeps each area's alert from its first pulse to
 * its end message or time-out, so this parser needs state across polls (SrParseContext.state).
 * The feed answers Israeli addresses only: abroad, a proxy (proxy=) is the way in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-oref"

#include "config.h"

#include <string.h>

#include "sirena/error.h"
#include "sources/sr-oref-tracker.h"
#include "sources/sr-sources-private.h"
#include "sr-i18n.h"

/* every area of the country is ~1450; more is not a real alert */
#define MAX_AREAS 10000
/* an id longer than this is no id of the feed's */
#define MAX_ID_LENGTH 64

/* the tracker of this source instance, or a temporary one for a one-off parse */
static SrOrefTracker *
tracker_of(const SrParseContext *ctx, SrOrefTracker **temporary)
{
	if (ctx->state == NULL) {
		*temporary = sr_oref_tracker_new();
		return *temporary;
	}
	if (*ctx->state == NULL)
		*ctx->state = sr_oref_tracker_new();
	return *ctx->state;
}

static gboolean
read_optional_string(const cJSON *object, const char *name, const char **out, GError **error)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
	*out = NULL;
	if (item == NULL || cJSON_IsNull(item))
		return TRUE;
	if (!cJSON_IsString(item) || item->valuestring == NULL) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("the alert's '%s' is not a string"),
		            name);
		return FALSE;
	}
	*out = item->valuestring;
	return TRUE;
}

/* ids are 18-digit strings, past what a double holds exactly: kept as text, never as a number
 * (as a number, every id read back as none, and an ended alert's own pulse looked new) */
static char *
read_upstream_id(const cJSON *item)
{
	if (cJSON_IsString(item) && item->valuestring != NULL && item->valuestring[0] != '\0' &&
	    strlen(item->valuestring) <= MAX_ID_LENGTH)
		return g_utf8_make_valid(item->valuestring, -1);
	return sr_source_read_id(item, 15, SR_SOURCE_MAX_JSON_INTEGER);
}

SrBatch *
sr_source_oref_parse(const char *body, gsize len, const SrParseContext *ctx, GError **error)
{
	g_autofree char *text = sr_oref_decode_body(body, len, error);
	g_autoptr(cJSON) root = NULL;
	g_autoptr(SrOrefTracker) temporary = NULL;
	g_autoptr(GPtrArray) ended = g_ptr_array_new_with_free_func((GDestroyNotify)sr_event_unref);
	g_autofree char *cat_text = NULL;
	g_autofree char *upstream_id = NULL;
	const cJSON *data = NULL;
	const cJSON *area = NULL;
	const char *title = NULL;
	const char *desc = NULL;
	SrOrefClass klass = {0};
	SrOrefTracker *tracker = NULL;
	guint index = 0;

	if (text == NULL)
		return NULL;
	/* white space alone: nothing on show now, which says nothing about what is still on */
	if (text[0] != '\0') {
		root = sr_source_parse_json_root(text, strlen(text), cJSON_Object,
		                                 _("the alert is not a JSON object"), error);
		if (root == NULL)
			return NULL;
		cat_text =
		    sr_source_read_id(cJSON_GetObjectItemCaseSensitive(root, "cat"), 6, 999999);
		if (cat_text == NULL) {
			g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
			                    _("the alert has no 'cat' number"));
			return NULL;
		}
		if (!read_optional_string(root, "title", &title, error) ||
		    !read_optional_string(root, "desc", &desc, error))
			return NULL;
		/* the id is optional; it tells one alert's pulses from the next alert's */
		upstream_id = read_upstream_id(cJSON_GetObjectItemCaseSensitive(root, "id"));
		data = cJSON_GetObjectItemCaseSensitive(root, "data");
		if (!cJSON_IsArray(data)) {
			g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
			                    _("the alert has no 'data' list of areas"));
			return NULL;
		}
		cJSON_ArrayForEach (area, data) {
			if (!cJSON_IsString(area) || area->valuestring == NULL) {
				g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
				            _("area %u of the alert is not a string"), index);
				return NULL;
			}
			if (++index > MAX_AREAS) {
				g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
				            _("the alert names more than %d areas"), MAX_AREAS);
				return NULL;
			}
		}
		sr_oref_classify_realtime(g_ascii_strtoll(cat_text, NULL, 10), title, &klass);
	}

	/* the body is good: only now may the tracker change */
	tracker = tracker_of(ctx, &temporary);
	cJSON_ArrayForEach (area, data) {
		g_autoptr(GPtrArray) regions =
		    sr_oref_resolve_area(ctx->catalog, area->valuestring);
		g_autofree char *name = g_utf8_make_valid(area->valuestring, -1);
		for (guint i = 0; i < regions->len; i++) {
			SrOrefMessage message = {
			    .klass = &klass,
			    .region = g_ptr_array_index(regions, i),
			    .name = name,
			    .title = title,
			    .desc = desc,
			    .upstream_id = upstream_id,
			    .at = ctx->now,
			    .may_raise = TRUE,
			};
			sr_oref_tracker_apply(tracker, ctx->catalog, &message, ctx->source_name,
			                      ended);
		}
	}
	sr_oref_tracker_expire(tracker, ctx->now);
	return sr_oref_tracker_snapshot(tracker, ctx->source_name, ended);
}

void
sr_source_oref_restore(gpointer *state, const SrEvent *alert, const SrParseContext *ctx)
{
	if (*state == NULL)
		*state = sr_oref_tracker_new();
	sr_oref_tracker_restore(*state, alert, ctx->now);
}

gboolean
sr_source_oref_build(const SrSourceConfig *config, SrRequestKind kind, const char *path,
                     SrRequest *request, GError **error)
{
	if (kind != SR_REQUEST_MAIN) {
		g_set_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT,
		            _("source '%s' has no probe request"), config->name);
		return FALSE;
	}
	g_free(request->url);
	request->url = g_strconcat(config->url, path, NULL);
	/* without these the site answers with its web page or not at all */
	sr_request_add_header(request, "Referer", "https://www.oref.org.il/");
	sr_request_add_header(request, "X-Requested-With", "XMLHttpRequest");
	sr_request_add_header(request, "Accept", "application/json");
	return TRUE;
}

static gboolean
build_request(const SrSourceConfig *config, SrRequestKind kind, SrRequest *request, GError **error)
{
	return sr_source_oref_build(config, kind, "/warningMessages/alert/Alerts.json", request,
	                            error);
}

const SrSourceOps sr_source_oref = {
    .type = "oref",
    .description = "Pikud HaOref (Israel Home Front Command) real-time alerts, by area with "
                   "time to shelter (Israeli addresses only: see proxy=)",
    .default_url = "https://www.oref.org.il",
    .needs_token = FALSE,
    .default_interval = 2,
    .min_interval = 1,
    .max_per_minute = 60,
    .auth_failures_before_error = 1,
    .forbidden_hint = SR_OREF_FORBIDDEN_HINT,
    .conditional = TRUE,
    .kinds = SR_OREF_KINDS,
    .levels = (1u << SR_REGION_LEVEL_COUNTRY) | (1u << SR_REGION_LEVEL_AREA),
    .extra_keys = NULL,
    .build_request = build_request,
    .parse = sr_source_oref_parse,
    .parse_probe = NULL,
    .free_state = (void (*)(gpointer))sr_oref_tracker_free,
    .restore = sr_source_oref_restore,
};
