/* sr-sources-private.h - the source types of src/sources/, for the registry and the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sirena/json.h"
#include "sirena/source.h"

G_BEGIN_DECLS

extern const SrSourceOps sr_source_alerts_in_ua;
extern const SrSourceOps sr_source_alerts_com_ua;
extern const SrSourceOps sr_source_ukraine_alarm;
extern const SrSourceOps sr_source_siren_pp_ua;
extern const SrSourceOps sr_source_ubilling;
extern const SrSourceOps sr_source_replay;
extern const SrSourceOps sr_source_oref;
extern const SrSourceOps sr_source_oref_history;
extern const SrSourceOps sr_source_nina;
extern const SrSourceOps sr_source_nws;
extern const SrSourceOps sr_source_cap;
extern const SrSourceOps sr_source_cap_feed;
extern const SrSourceOps sr_source_meteoalarm;
extern const SrSourceOps sr_source_mqtt;

/* the parsers, public-in-private so tests and fuzz targets reach them directly */
SrBatch *sr_source_alerts_in_ua_parse(const char *body, gsize len, const SrParseContext *ctx,
                                      GError **error);
/* alerts.com.ua: the /api/states snapshot, and one event of the /api/states/live stream */
SrBatch *sr_source_alerts_com_ua_parse(const char *body, gsize len, const SrParseContext *ctx,
                                       GError **error);
SrBatch *sr_source_alerts_com_ua_parse_event(const char *type, const char *data, gsize len,
                                             const SrParseContext *ctx, GError **error);
SrBatch *sr_source_ukraine_alarm_parse(const char *body, gsize len, const SrParseContext *ctx,
                                       GError **error);
char *sr_source_ukraine_alarm_parse_status(const char *body, gsize len, GError **error);
SrBatch *sr_source_ubilling_parse(const char *body, gsize len, const SrParseContext *ctx,
                                  GError **error);
/* with state across polls when ctx->state is set */
SrBatch *sr_source_oref_parse(const char *body, gsize len, const SrParseContext *ctx,
                              GError **error);
SrBatch *sr_source_oref_history_parse(const char *body, gsize len, const SrParseContext *ctx,
                                      GError **error);
void sr_source_oref_restore(gpointer *state, const SrEvent *alert, const SrParseContext *ctx);
/* NINA: a warnings/{id}.json document as a batch of its event, a dashboard's entries */
SrBatch *sr_source_nina_parse(const char *body, gsize len, const SrParseContext *ctx,
                              GError **error);
GPtrArray *sr_source_nina_parse_dashboard(const char *body, gsize len, const SrParseContext *ctx,
                                          GError **error);
SrBatch *sr_source_nws_parse(const char *body, gsize len, const SrParseContext *ctx,
                             GError **error);
/* CAP sources: one document as a batch of its event (none for Ack/Error), an index's entries */
SrBatch *sr_source_cap_parse(const char *body, gsize len, const SrParseContext *ctx,
                             GError **error);
GPtrArray *sr_source_cap_parse_index(const char *body, gsize len, const SrParseContext *ctx,
                                     GError **error);
/* a GET of @url (required: config error without it) accepting @accept */
gboolean sr_source_cap_build(const SrSourceConfig *config, SrRequestKind kind, const char *url,
                             const char *accept, SrRequest *request, GError **error);
/* the request of a Pikud HaOref feed at @path, with the headers both feeds require */
gboolean sr_source_oref_build(const SrSourceConfig *config, SrRequestKind kind, const char *path,
                              SrRequest *request, GError **error);

/* a relay's topics dumped as {topic: message} (sr-source-mqtt.c) */
SrBatch *sr_source_mqtt_parse(const char *body, gsize len, const SrParseContext *ctx,
                              GError **error);

/* helpers the parsers share (sr-source.c) */

/* the members of @object named @names (@n of them) into @members, NULL where absent, in one
 * walk over the object instead of a search per name; the first of a repeated name counts, as
 * with cJSON_GetObjectItemCaseSensitive() */
void sr_source_get_members(const cJSON *object, const char *const *names, const cJSON **members,
                           guint n);

/* the largest integer a double holds exactly, 2^53 - 1 */
#define SR_SOURCE_MAX_JSON_INTEGER G_GUINT64_CONSTANT(9007199254740991)

/* the whole body as one JSON value, or NULL with SR_ERROR_PARSE: empty, a raw control
 * character anywhere (NUL included), not JSON, nested too deeply, or data after the value */
cJSON *sr_source_parse_json(const char *body, gsize len, GError **error);

/* sr_source_parse_json(), and the value must be of @root_type (cJSON_Object or cJSON_Array):
 * NULL with SR_ERROR_PARSE and @type_message when it is of another type */
cJSON *sr_source_parse_json_root(const char *body, gsize len, int root_type,
                                 const char *type_message, GError **error);

/* a non-negative integer id, sent as a JSON number or as a string of 1 to @max_digits ASCII
 * digits, as plain decimal ("022" and 22 are one id); NULL when @item is absent, of another
 * type, not integral or above @max (at most SR_SOURCE_MAX_JSON_INTEGER) */
char *sr_source_read_id(const cJSON *item, guint max_digits, guint64 max);

/* a short, valid UTF-8 copy of an upstream string for a log line or an error message */
char *sr_source_excerpt(const char *value);

/* logs "@what '@value' <detail>" as a message in @log_domain the first time this process sees
 * @value (cut with sr_source_excerpt) for @what in @log_domain, the caller's G_LOG_DOMAIN; past
 * 256 values in one domain, that domain logs nothing more */
void sr_source_log_once(const char *log_domain, const char *what, const char *value,
                        const char *detail_format, ...) G_GNUC_PRINTF(4, 5);

/* FALSE with SR_ERROR_CONFIG when config->token (which goes into a header line) has a control
 * character; no token passes, whether one is needed is the source's to say */
gboolean sr_source_config_check_token(const SrSourceConfig *config, GError **error);

/* the same, and FALSE with SR_ERROR_CONFIG when there is no token at all: "source 'NAME' needs
 * token=: HINT", @hint (marked with N_(), translated here) saying where to get one */
gboolean sr_source_config_require_token(const SrSourceConfig *config, const char *hint,
                                        GError **error);

G_END_DECLS
