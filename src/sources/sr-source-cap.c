/* sr-source-cap.c - any CAP 1.2 publisher: one CAP document at a URL, or an Atom/RSS index
 *
 * Most of the world's alerting authorities publish the Common Alerting Protocol: either a
 * document that always holds the latest message, or an index feed whose entries link to one
 * document each (sources-international.md §2). `cap` polls a document; `cap_feed` polls an
 * index and, through the poller, fetches each entry it has not seen in that version. Updates
 * and cancels name the messages they supersede; the engine follows those chains, so an update
 * is the same alert and a cancel ends it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-cap"

#include "config.h"

#include "sirena/error.h"
#include "sources/sr-cap.h"
#include "sources/sr-sources-private.h"
#include "sr-i18n.h"

SrBatch *
sr_source_cap_parse(const char *body, gsize len, const SrParseContext *ctx, GError **error)
{
	g_autoptr(SrCapMessage) message = sr_cap_parse(body, len, ctx, error);
	SrBatch *batch = NULL;

	if (message == NULL)
		return NULL;
	/* an Ack or an Error is about messages, not hazards: it changes nothing */
	if (message->event == NULL)
		return sr_batch_new(SR_BATCH_DELTA);
	batch = sr_batch_new(SR_BATCH_SNAPSHOT);
	sr_batch_take(batch, sr_event_ref(message->event));
	return batch;
}

GPtrArray *
sr_source_cap_parse_index(const char *body, gsize len, const SrParseContext *ctx, GError **error)
{
	return sr_cap_parse_index(body, len, ctx, error);
}

gboolean
sr_source_cap_build(const SrSourceConfig *config, SrRequestKind kind, const char *url,
                    const char *accept, SrRequest *request, GError **error)
{
	if (kind != SR_REQUEST_MAIN) {
		g_set_error(error, SR_ERROR, SR_ERROR_INVALID_ARGUMENT,
		            _("source '%s' has no probe request"), config->name);
		return FALSE;
	}
	if (url == NULL || url[0] == '\0') {
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
		            _("source '%s' needs url=: the address of the CAP document or feed"),
		            config->name);
		return FALSE;
	}
	g_free(request->url);
	request->url = g_strdup(url);
	sr_request_add_header(request, "Accept", accept);
	return TRUE;
}

static gboolean
build_document_request(const SrSourceConfig *config, SrRequestKind kind, SrRequest *request,
                       GError **error)
{
	return sr_source_cap_build(config, kind, config->url,
	                           "application/cap+xml, application/xml;q=0.9, */*;q=0.5", request,
	                           error);
}

static gboolean
build_feed_request(const SrSourceConfig *config, SrRequestKind kind, SrRequest *request,
                   GError **error)
{
	return sr_source_cap_build(config, kind, config->url,
	                           "application/atom+xml, application/rss+xml, text/xml, */*;q=0.5",
	                           request, error);
}

#define CAP_KINDS                                                                                  \
	((1u << SR_KIND_WEATHER) | (1u << SR_KIND_FLOOD) | (1u << SR_KIND_FIRE) |                  \
	 (1u << SR_KIND_EARTHQUAKE) | (1u << SR_KIND_TSUNAMI) | (1u << SR_KIND_HEALTH) |           \
	 (1u << SR_KIND_HAZMAT) | (1u << SR_KIND_NUCLEAR) | (1u << SR_KIND_CHEMICAL) |             \
	 (1u << SR_KIND_CIVIL) | (1u << SR_KIND_AIR_RAID) | (1u << SR_KIND_MISSILE) |              \
	 (1u << SR_KIND_OTHER) | (1u << SR_KIND_UNKNOWN))

const SrSourceOps sr_source_cap = {
    .type = "cap",
    .description = "a CAP 1.2 (or 1.1) document at url=: any alerting authority that publishes "
                   "one; matched by location",
    .default_url = NULL,
    .needs_token = FALSE,
    .default_interval = 120,
    .min_interval = 30,
    .max_per_minute = 2,
    .auth_failures_before_error = 1,
    .conditional = TRUE,
    .kinds = CAP_KINDS,
    .levels = 0,
    .extra_keys = NULL,
    .build_request = build_document_request,
    .parse = sr_source_cap_parse,
};

const SrSourceOps sr_source_cap_feed = {
    .type = "cap_feed",
    .description = "an Atom or RSS index of CAP documents at url=: each new or changed entry is "
                   "fetched once; matched by location",
    .default_url = NULL,
    .needs_token = FALSE,
    .default_interval = 120,
    .min_interval = 30,
    .max_per_minute = 2,
    .auth_failures_before_error = 1,
    .conditional = TRUE,
    .kinds = CAP_KINDS,
    .levels = 0,
    .extra_keys = NULL,
    .build_request = build_feed_request,
    /* `sirena parse --source cap_feed` reads one CAP document, as the feed's entries are */
    .parse = sr_source_cap_parse,
    .parse_index = sr_source_cap_parse_index,
    .parse_entry = sr_source_cap_parse,
};
