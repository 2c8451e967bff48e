/* sr-outbox.h - the relay's outbox: changes not yet acknowledged by the broker, and the retained
 * state topics, in SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <cjson/cJSON.h>

G_BEGIN_DECLS

typedef struct _SrOutbox SrOutbox;

/* one message to (re)publish */
typedef struct {
	gint64 seq; /* the outbox order; 0 for a state row */
	char *topic;
	char *payload; /* "" for a state row: the retained message is to be cleared */
} SrOutboxRow;

void sr_outbox_row_free(SrOutboxRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrOutboxRow, sr_outbox_row_free)

/* opens or creates the file (and its folder); a file that is not an outbox is refused */
SrOutbox *sr_outbox_open(const char *path, GError **error);
void sr_outbox_free(SrOutbox *outbox);

/* the random name of this outbox, the first half of every change id it hands out */
const char *sr_outbox_get_epoch(SrOutbox *outbox);

/* one transaction: adds "change_id" ("<epoch>-<seq>") to @change, queues it for @topic, and sets
 * the retained @state_topic to @state_payload ("" when the alert ended; NULL @state_topic: no
 * state). Returns the sequence number, 0 on failure. *@change_id (may be NULL) gets the id. */
gint64 sr_outbox_add_change(SrOutbox *outbox, cJSON *change, const char *topic,
                            const char *state_topic, const char *state_payload, gint64 now,
                            char **change_id, GError **error);
/* the queued changes after @after_seq, oldest first (at most @limit) */
GPtrArray *sr_outbox_get_pending(SrOutbox *outbox, gint64 after_seq, guint limit, GError **error);
guint sr_outbox_count_pending(SrOutbox *outbox);
/* the broker acknowledged change @seq: it leaves the outbox */
gboolean sr_outbox_ack(SrOutbox *outbox, gint64 seq, GError **error);
/* every retained state topic with its current payload ("" while a clear is unacknowledged) */
GPtrArray *sr_outbox_get_states(SrOutbox *outbox, GError **error);
/* the broker acknowledged the clearing of @topic: forget it, unless it was set again since */
gboolean sr_outbox_state_cleared(SrOutbox *outbox, const char *topic, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrOutbox, sr_outbox_free)

G_END_DECLS
