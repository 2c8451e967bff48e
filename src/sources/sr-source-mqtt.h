/* sr-source-mqtt.h - what a relay's topics say, message by message (for the source and the fuzzer)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sirena/source.h"

G_BEGIN_DECLS

/* the relay as seen through its topics: the retained states, its status, the change ids seen */
typedef struct _SrMqttView SrMqttView;

SrMqttView *sr_mqtt_view_new(const char *prefix);
void sr_mqtt_view_free(SrMqttView *view);

/* the connection was (re)made: the retained states are about to come again; until the relay's
 * status follows them, the view is not a complete picture */
void sr_mqtt_view_reset(SrMqttView *view);

/* one message; @now_mono is g_get_monotonic_time(), @now the UTC seconds. A message that cannot
 * be read is an error and changes nothing. A change whose change_id was seen before sets
 * *@duplicate (may be NULL). */
gboolean sr_mqtt_view_apply(SrMqttView *view, const char *topic, const char *payload, gsize len,
                            gboolean retained, const SrParseContext *ctx, gint64 now_mono,
                            gboolean *duplicate, GError **error);

/* NULL with an error while the view cannot be trusted (no status yet, the relay offline or
 * silent for three heartbeats, every source of the relay down); otherwise a snapshot of the
 * retained states (a new batch), or NULL without an error when nothing changed since the last
 * snapshot */
SrBatch *sr_mqtt_view_snapshot(SrMqttView *view, gint64 now_mono, gboolean force, GError **error);

guint sr_mqtt_view_get_duplicates(SrMqttView *view);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrMqttView, sr_mqtt_view_free)

G_END_DECLS
