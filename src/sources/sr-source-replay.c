/* sr-source-replay.c - plays a recorded timeline of upstream bodies through the real parsers
 *
 * A timeline is a JSON file:
 *   {"format": "alerts_in_ua",          the source type whose parser reads each body
 *    "start": "2026-11-24T20:00:00Z",   the recorded time of step 0 (optional)
 *    "speed": 360,                      timeline seconds per real second (optional, default 1)
 *    "end": 21600,                      when the replay is over (optional: the last step)
 *    "steps": [{"at": 0, "body": {…}},  a body as JSON, or "text": "…" for raw bytes,
 *              {"at": 600, "error": "connection refused"}, …]}
 * Config keys: file= (the timeline), speed= (overrides the file's speed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-source-replay"

#include "config.h"

#include <string.h>

#include "sirena/error.h"
#include "sirena/json.h"
#include "sources/sr-sources-private.h"
#include "sr-i18n.h"

typedef struct {
	gdouble at;
	char *body; /* NULL for an error step */
	gsize len;
	char *error;
} ReplayStep;

typedef struct {
	const SrSourceOps *format;
	GArray *steps; /* of ReplayStep, ordered by at */
	gdouble speed;
	gdouble end;
	gint64 start;
	gint current; /* the step last played, -1 before the first */
} Replay;

static void
replay_step_clear(ReplayStep *step)
{
	g_free(step->body);
	g_free(step->error);
}

static void
replay_free(gpointer data)
{
	Replay *replay = data;
	if (replay == NULL)
		return;
	g_array_unref(replay->steps);
	g_free(replay);
}

static gint
step_order(gconstpointer a, gconstpointer b)
{
	const ReplayStep *sa = a;
	const ReplayStep *sb = b;
	return sa->at < sb->at ? -1 : sa->at > sb->at ? 1 : 0;
}

static Replay *
replay_load(const char *path, const char *speed_override, GError **error)
{
	g_autofree char *data = NULL;
	gsize len = 0;
	g_autoptr(cJSON) root = NULL;
	const cJSON *steps = NULL;
	const cJSON *item = NULL;
	const cJSON *number = NULL;
	const char *format = NULL;
	Replay *replay = NULL;
	guint index = 0;

	if (!g_file_get_contents(path, &data, &len, error)) {
		g_prefix_error(error, _("cannot read the replay timeline: "));
		return NULL;
	}
	root = cJSON_ParseWithLength(data, len);
	if (!cJSON_IsObject(root)) {
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
		            _("%s: a timeline must be a JSON object"), path);
		return NULL;
	}
	format = sr_json_get_string(root, "format");
	steps = cJSON_GetObjectItemCaseSensitive(root, "steps");
	if (format == NULL || sr_source_registry_lookup(format) == NULL ||
	    sr_source_registry_lookup(format)->parse == NULL) {
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
		            _("%s: 'format' must name a source type with a parser"), path);
		return NULL;
	}
	if (!cJSON_IsArray(steps) || cJSON_GetArraySize(steps) == 0) {
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
		            _("%s: 'steps' must be a non-empty array"), path);
		return NULL;
	}
	replay = g_new0(Replay, 1);
	replay->format = sr_source_registry_lookup(format);
	replay->steps = g_array_new(FALSE, TRUE, sizeof(ReplayStep));
	g_array_set_clear_func(replay->steps, (GDestroyNotify)replay_step_clear);
	replay->speed = 1.0;
	replay->current = -1;
	number = cJSON_GetObjectItemCaseSensitive(root, "speed");
	if (cJSON_IsNumber(number) && number->valuedouble > 0)
		replay->speed = number->valuedouble;
	if (speed_override != NULL) {
		gdouble speed = g_ascii_strtod(speed_override, NULL);
		if (!(speed > 0)) {
			g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
			            _("replay speed '%s' is not a positive number"),
			            speed_override);
			replay_free(replay);
			return NULL;
		}
		replay->speed = speed;
	}
	if (sr_json_get_string(root, "start") != NULL &&
	    !sr_time_parse_iso8601(sr_json_get_string(root, "start"), &replay->start)) {
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
		            _("%s: 'start' is not an RFC 3339 time"), path);
		replay_free(replay);
		return NULL;
	}
	cJSON_ArrayForEach (item, steps) {
		ReplayStep step = {0};
		const cJSON *at = cJSON_GetObjectItemCaseSensitive(item, "at");
		const cJSON *body = cJSON_GetObjectItemCaseSensitive(item, "body");
		const char *text = sr_json_get_string(item, "text");
		const char *message = sr_json_get_string(item, "error");
		index++;
		if (!cJSON_IsNumber(at) || at->valuedouble < 0 ||
		    (body == NULL && text == NULL && message == NULL)) {
			g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
			            _("%s: step %u needs 'at' (seconds) and one of 'body', 'text', "
			              "'error'"),
			            path, index);
			replay_free(replay);
			return NULL;
		}
		step.at = at->valuedouble;
		if (message != NULL) {
			step.error = g_strdup(message);
		} else if (text != NULL) {
			step.body = g_strdup(text);
			step.len = strlen(text);
		} else {
			step.body = sr_json_print(body);
			step.len = strlen(step.body);
		}
		g_array_append_val(replay->steps, step);
	}
	g_array_sort(replay->steps, step_order);
	number = cJSON_GetObjectItemCaseSensitive(root, "end");
	replay->end = cJSON_IsNumber(number)
	                  ? number->valuedouble
	                  : g_array_index(replay->steps, ReplayStep, replay->steps->len - 1).at;
	return replay;
}

static SrBatch *
replay_fetch(const SrSourceConfig *config, gpointer *state, const SrParseContext *ctx,
             gdouble elapsed, gboolean *finished, gint64 *virtual_now, GError **error)
{
	Replay *replay = *state;
	gdouble t = 0;
	gint step_index = -1;
	const ReplayStep *step = NULL;

	if (replay == NULL) {
		const char *file = sr_source_config_get_extra(config, "file");
		if (file == NULL) {
			g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
			            _("source '%s' of type replay needs file="), config->name);
			*finished = TRUE;
			return NULL;
		}
		replay = replay_load(file, sr_source_config_get_extra(config, "speed"), error);
		if (replay == NULL) {
			*finished = TRUE;
			return NULL;
		}
		*state = replay;
	}
	t = elapsed * replay->speed;
	/* every step is played, in order, one per poll: a fast replay skips no transition */
	step_index = replay->current + 1;
	if (step_index >= (gint)replay->steps->len ||
	    g_array_index(replay->steps, ReplayStep, step_index).at > t) {
		*finished = step_index >= (gint)replay->steps->len && t >= replay->end;
		if (replay->start != 0)
			*virtual_now = replay->start + (gint64)MIN(t, replay->end);
		if (replay->current >= 0 &&
		    g_array_index(replay->steps, ReplayStep, replay->current).error != NULL) {
			/* an outage in the recording lasts until the next step */
			g_set_error_literal(
			    error, SR_ERROR, SR_ERROR_NETWORK,
			    g_array_index(replay->steps, ReplayStep, replay->current).error);
		}
		return NULL;
	}
	replay->current = step_index;
	step = &g_array_index(replay->steps, ReplayStep, step_index);
	if (replay->start != 0)
		*virtual_now = replay->start + (gint64)step->at;
	if (step->error != NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_NETWORK, step->error);
		return NULL;
	}
	return replay->format->parse(step->body, step->len, ctx, error);
}

static const char *const replay_keys[] = {"file", "speed", NULL};

const SrSourceOps sr_source_replay = {
    .type = "replay",
    .description = "plays a recorded timeline of upstream answers (offline demo, tests)",
    .default_url = "file:",
    .needs_token = FALSE,
    .default_interval = 0.25,
    .min_interval = 0.05,
    .kinds = SR_KINDS_ALL,
    .levels = SR_LEVELS_ALL,
    .extra_keys = replay_keys,
    .fetch_local = replay_fetch,
    .free_state = replay_free,
};
