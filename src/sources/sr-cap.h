/* sr-cap.h - OASIS CAP 1.2 (and 1.1) documents and their Atom/RSS index feeds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sirena/event.h"
#include "sirena/source.h"

G_BEGIN_DECLS

/* one CAP <alert> */
typedef struct {
	char *identifier;
	char *sender;
	gint64 sent;           /* UTC seconds */
	char *msg_type;        /* "Alert", "Update", "Cancel", "Ack", "Error" as published */
	GPtrArray *references; /* of char*: the referenced messages' event ids
	                        * ("<source>:<identifier>"), oldest sent first */
	/* the event made of the <info> in the wanted language (SrParseContext.language), with
	 * id "<source>:<identifier>", phase active (cancelled for msgType Cancel, ended for an
	 * Update whose responseType is AllClear), status actual/exercise/test (System and Draft
	 * are test: never shown as real), kind from category and event name, CAP severity,
	 * urgency and certainty, times from sent/effective/onset/expires, every <area>, the
	 * references; NULL for Ack and Error messages, which are about messages, not hazards.
	 * A Cancel without <info> still has an event (kind unknown): what it cancels are its
	 * references */
	SrEvent *event;
	GPtrArray *languages; /* of char*: the languages of all its <info> blocks, kept */
} SrCapMessage;

void sr_cap_message_free(SrCapMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrCapMessage, sr_cap_message_free)

/* one CAP document: libxml2 without network, entities, DTDs (a DOCTYPE is refused); over
 * 4 MiB is SR_ERROR_TOO_LARGE, anything else that is not a CAP alert SR_ERROR_PARSE (so are a
 * depth over 64 and bodies that would make libxml2 2.9 quadratic: a tag of over 128
 * attributes, over 64 namespaces in scope, over 4096 distinct names); CAP 1.2, 1.1 and profile
 * namespaces (urn:oasis:names:tc:emergency:cap:1.2:profile:…); the required identifier, sender,
 * sent, status and msgType, in any order; dates in the CAP form (UTC as -00:00) and the
 * deviations real feeds send (Z, fractions, no seconds) */
SrCapMessage *sr_cap_parse(const char *body, gsize len, const SrParseContext *ctx, GError **error);

/* an Atom or RSS 2.0 index of CAP documents: entries (of SrIndexEntry*) in document order; the
 * CAP link is the link typed application/cap+xml (or …common-alerting-protocol+xml), else an
 * entry's only link, else (RSS) <link>; an entry without such a link, or whose link is neither
 * http(s) nor relative (the poller resolves a relative one against the feed's address), or is
 * the feed's own rel="self", is left out (logged once); the key is the
 * atom:id or guid, else the link; the version is updated/pubDate, cap:sent and cap:identifier,
 * dates as RFC 3339 UTC; entries whose cap:expires is past (ctx->now; without a zone, past in
 * every zone), whose cap:msgType (MeteoAlarm: cap:message_type) is Ack or Error, or whose cap:
 * area summary cannot concern ctx->location (only judged when the summary has a shape for the
 * location's point and geocodes of every name it lists) are marked skip. Over 8 MiB is
 * SR_ERROR_TOO_LARGE; a feed of no entries is an empty array, not an error */
GPtrArray *sr_cap_parse_index(const char *body, gsize len, const SrParseContext *ctx,
                              GError **error);

/* the languages wanted for texts, best first, as lower-case tags ("de-de"): ctx->language, or
 * else the user's locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG; C and POSIX left out); then
 * @fallback */
GPtrArray *sr_cap_wanted_languages(const SrParseContext *ctx, const char *fallback);

/* CAP <references>: white-space separated "sender,identifier,sent" triplets (one wrapped at a
 * comma is joined again) as event ids "<source_name>:<identifier>", oldest sent first, each
 * once, without @identifier's own; at most the newest 256 (of char*) */
GPtrArray *sr_cap_read_references(const char *text, const char *identifier,
                                  const char *source_name);

/* TRUE when the body's root element is an Atom <feed> or an RSS <rss>/<channel> rather than a
 * CAP <alert> (looks only at the first element; no full parse) */
gboolean sr_cap_body_is_index(const char *body, gsize len);

/* the event kind for CAP categories (of char*, as published: "Met", "Geo" …) and an event
 * name ("Flood Warning", "Tsunami Warning", "Sturmböen"): English and German keywords of the
 * name first (tsunami, earthquake, air raid, missile, nuclear, chemical → hazmat, flood, fire,
 * weather, health), then the first category CAP defines; "other" when nothing fits */
SrKind sr_cap_kind(GPtrArray *categories, const char *event_name);

/* CAP enumerations, case-insensitive; FALSE for a value CAP does not define */
gboolean sr_cap_severity(const char *value, SrSeverity *out);
gboolean sr_cap_urgency(const char *value, SrUrgency *out);
gboolean sr_cap_certainty(const char *value, SrCertainty *out);
/* Actual → actual, Exercise → exercise, Test/System/Draft → test */
gboolean sr_cap_status(const char *value, SrStatus *out);
/* a CAP dateTime ("2026-11-25T06:12:40-00:00"), tolerant of Z, fractions of a second, no
 * seconds and a space for the T; a time without an offset is refused (its zone is unknown), so
 * is one before 1970 */
gboolean sr_cap_parse_time(const char *value, gint64 *out);

G_END_DECLS
