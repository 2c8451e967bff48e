/* sr-test-broker.h - a real mosquitto on 127.0.0.1 for the relay tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SrTestBroker SrTestBroker;

#define SR_TEST_MOSQUITTO "/usr/sbin/mosquitto"

/* whether the broker binary is installed (tests skip with 77 otherwise) */
gboolean sr_test_broker_available(void);
/* whether the openssl command is installed (for the TLS case) */
gboolean sr_test_broker_can_tls(void);

/* a broker on a free port of 127.0.0.1 with its files in @dir (persistent sessions, so a
 * restart keeps subscriptions); @tls: a test CA, a certificate for localhost / 127.0.0.1, and a
 * TLS-only listener. Started before it returns. */
SrTestBroker *sr_test_broker_new(const char *dir, gboolean tls);
/* stops it (SIGTERM) and removes nothing */
void sr_test_broker_free(SrTestBroker *broker);

/* SIGTERM (a clean shutdown that saves sessions) or SIGKILL, and waits for the end */
void sr_test_broker_stop(SrTestBroker *broker, int signal);
/* starts it again on the same port; returns once it accepts connections */
void sr_test_broker_start(SrTestBroker *broker);

guint sr_test_broker_get_port(SrTestBroker *broker);
/* "mqtt://127.0.0.1:PORT", or "mqtts://localhost:PORT" with TLS */
const char *sr_test_broker_get_url(SrTestBroker *broker);
/* the test CA's certificate (TLS only) */
const char *sr_test_broker_get_ca(SrTestBroker *broker);

G_END_DECLS
