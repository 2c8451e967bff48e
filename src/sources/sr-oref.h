/* sr-oref.h - what the Pikud HaOref sources share: body decoding, categories, area names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sirena/event.h"
#include "sirena/region.h"

G_BEGIN_DECLS

/* time-outs for an area that hears no end message (oref_alert's figures for the first two) */
#define SR_OREF_PRE_ALERT_TIMEOUT (20 * 60)
#define SR_OREF_ACTIVE_TIMEOUT    (180 * 60)
#define SR_OREF_STAY_NEAR_TIMEOUT (30 * 60)
/* repeated pulses of one alert, or one alert seen by two feeds, within this are one alert */
#define SR_OREF_DEDUPE_WINDOW (180)
/* a history row older than this may confirm an alert but not raise one */
#define SR_OREF_HISTORY_RAISE_WINDOW (10 * 60)

/* a 403 from the feed is its geo-block, not a bad key */
#define SR_OREF_FORBIDDEN_HINT                                                                     \
	"the Home Front Command answers Israeli addresses only; route this source through an "     \
	"Israeli proxy with proxy= (see the README, Israel)"

/* what the Home Front Command's categories map to */
#define SR_OREF_KINDS                                                                              \
	((1u << SR_KIND_MISSILE) | (1u << SR_KIND_UAV) | (1u << SR_KIND_EARTHQUAKE) |              \
	 (1u << SR_KIND_TSUNAMI) | (1u << SR_KIND_NUCLEAR) | (1u << SR_KIND_HAZMAT) |              \
	 (1u << SR_KIND_INFILTRATION) | (1u << SR_KIND_OTHER) | (1u << SR_KIND_UNKNOWN))

/* what one message means for the areas it names */
typedef struct {
	SrKind kind;
	SrPhase phase; /* pre_alert, active, stay_near or ended */
	SrStatus status;
	gint64 timeout; /* seconds the phase lasts without a follow-up; 0 for ended */
} SrOrefClass;

/* the body as UTF-8 text: UTF-8 or UTF-16 byte-order marks, stray NULs and the feed's stray
 * U+0A7B removed, white space trimmed; "" means no active alert; NULL with an error for the
 * feed's error page (an HTTP 200 that leads to /errorpage_adom/), odd UTF-16 or bad UTF-8 */
char *sr_oref_decode_body(const char *body, gsize len, GError **error);

/* the real-time `cat` (with the title, which alone tells pre-alert from end in category 10);
 * FALSE for messages that are not alerts at all */
gboolean sr_oref_classify_realtime(gint64 cat, const char *title, SrOrefClass *out);
/* the history `category`, a different numbering (sources-international.md §1.6 table B) */
gboolean sr_oref_classify_history(gint64 category, const char *title, SrOrefClass *out);

/* the region ids an area name of the feed stands for: usually one area; the all-country
 * pseudo-areas give il:all, a "… - כל האזורים" label every area of that city; a name the
 * catalog lacks gives "il:<name as published>" (logged once), never nothing; test rows
 * ("בדיקה") give an empty array */
GPtrArray *sr_oref_resolve_area(const SrCatalog *catalog, const char *name);

/* Israel's wall clock as the history feed writes it: "YYYY-MM-DD HH:MM:SS" or with a 'T' */
gboolean sr_oref_parse_local_time(const char *str, gint64 *out);

G_END_DECLS
