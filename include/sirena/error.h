/* error.h - the one error domain of Sirena
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SR_ERROR (sr_error_quark())

/**
 * SrError:
 * Codes are grouped by what the caller should do: the retryable ones (network, timeout,
 * throttled, server) are tried again with backoff; the others need the user to fix something.
 */
typedef enum {
	SR_ERROR_FAILED,           /* anything else */
	SR_ERROR_INVALID_ARGUMENT, /* bad CLI argument or API misuse */
	SR_ERROR_CONFIG,           /* bad configuration: file, line, key, what is expected */
	SR_ERROR_NOT_FOUND,        /* a region, file or source type that does not exist */
	SR_ERROR_PARSE,   /* retryable: malformed upstream body: the source is in error, never "all
	                     clear" */
	SR_ERROR_NETWORK, /* retryable: connection refused, reset, DNS failure, TLS handshake */
	SR_ERROR_TIMEOUT, /* retryable: connect or total timeout */
	SR_ERROR_THROTTLED, /* retryable: 429 (or a throttling 401), honour Retry-After */
	SR_ERROR_SERVER,    /* retryable: 5xx */
	SR_ERROR_AUTH,      /* permanent: 401/403, the token is missing, wrong or blocked */
	SR_ERROR_HTTP,      /* permanent: any other unexpected HTTP status (404, 400 ...) */
	SR_ERROR_TOO_LARGE, /* retryable: the body exceeded the response-size cap */
	SR_ERROR_INSECURE,  /* permanent: plain http to a non-loopback host, or a TLS verification
	                       failure */
	SR_ERROR_CANCELLED, /* the operation was cancelled */
} SrError;

GQuark sr_error_quark(void);

gboolean sr_error_is_retryable(const GError *error);

const char *sr_error_code_to_string(gint code);

G_END_DECLS
