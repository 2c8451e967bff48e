/* sr-relay.h - the relay sink: every change to an MQTT broker, with an outbox that loses nothing
 *
 * Topics under the configured prefix (default "sirena"):
 *   <prefix>/changes                the change lines of `sirena watch --json`, each with a unique
 *                                   "change_id"; QoS 1, not retained
 *   <prefix>/state/<region>/<kind>  the fused alert (its JSON), retained; an empty retained
 *                                   message when it ends
 *   <prefix>/status                 {"state":"online","time","heartbeat","sources":[…]} retained,
 *                                   every heartbeat; the last will is {"state":"offline"}
 *   homeassistant/binary_sensor/sirena_<region>/config and <prefix>/ha/<region>, with
 *   homeassistant=true
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sirena/config.h"
#include "sirena/engine.h"

G_BEGIN_DECLS

typedef struct _SrRelay SrRelay;

/* opens the outbox at @outbox_path; @config is copied */
SrRelay *sr_relay_new(const SrRelayConfig *config, const SrCatalog *catalog,
                      const char *outbox_path, GError **error);
/* publishes "offline" and disconnects when connected; what is unacknowledged stays queued */
void sr_relay_free(SrRelay *relay);

/* where the heartbeat reads the sources' health and Home Assistant the active alerts (borrowed;
 * NULL while the pipeline is rebuilt) */
void sr_relay_set_engine(SrRelay *relay, SrEngine *engine);
/* the subscribed regions (of char*, copied): one Home Assistant sensor each */
void sr_relay_set_regions(SrRelay *relay, GPtrArray *regions);

/* connects, and keeps connecting */
void sr_relay_start(SrRelay *relay);
/* queues @change in the outbox (one transaction) and publishes it when connected */
void sr_relay_handle_change(SrRelay *relay, const SrChange *change);
/* changes not yet acknowledged by the broker */
guint sr_relay_get_pending(SrRelay *relay);

/* the retained state topic of an alert key ("ua:31:air_raid" → "<prefix>/state/ua:31/air_raid") */
char *sr_relay_state_topic(const char *prefix, const char *key, const char *kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SrRelay, sr_relay_free)

G_END_DECLS
