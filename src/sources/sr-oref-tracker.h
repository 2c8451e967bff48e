/* sr-oref-tracker.h - the life of Pikud HaOref alerts per area, across polls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sirena/region.h"
#include "sirena/source.h"
#include "sources/sr-oref.h"

G_BEGIN_DECLS

typedef struct _SrOrefTracker SrOrefTracker;

/* one message about one area */
typedef struct {
	const SrOrefClass *klass;
	const char *region;      /* a canonical id ("il:5", "il:all") or "il:<name>" */
	const char *name;        /* the area as published */
	const char *title;       /* as published, may be NULL */
	const char *desc;        /* the instruction as published, may be NULL */
	const char *upstream_id; /* the real-time alert id, NULL when absent (history) */
	gint64 at;               /* when it was said */
	gboolean may_raise;      /* FALSE: it may move an alert on, but not start one */
} SrOrefMessage;

SrOrefTracker *sr_oref_tracker_new(void);
void sr_oref_tracker_free(SrOrefTracker *tracker);
/* moves the area's alerts on; an end adds an ended event (owned) to @ended */
void sr_oref_tracker_apply(SrOrefTracker *tracker, const SrCatalog *catalog,
                           const SrOrefMessage *message, const char *source, GPtrArray *ended);
/* drops what has passed its time-out; the events said when, so the engine tells why */
void sr_oref_tracker_expire(SrOrefTracker *tracker, gint64 now);
/* every alert still open, and the ends of this round, as one snapshot */
SrBatch *sr_oref_tracker_snapshot(SrOrefTracker *tracker, const char *source, GPtrArray *ended);
/* adopts an alert the store says this source reported before a restart */
void sr_oref_tracker_restore(SrOrefTracker *tracker, const SrEvent *alert, gint64 now);
guint sr_oref_tracker_size(SrOrefTracker *tracker);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrOrefTracker, sr_oref_tracker_free)

G_END_DECLS
