/* sr-error.c - the SR_ERROR domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-error"

#include "config.h"

#include "sirena/error.h"

G_DEFINE_QUARK(sr - error - quark, sr_error)

gboolean
sr_error_is_retryable(const GError *error)
{
	if (error == NULL || error->domain != SR_ERROR)
		return FALSE;
	switch (error->code) {
	case SR_ERROR_NETWORK:
	case SR_ERROR_TIMEOUT:
	case SR_ERROR_THROTTLED:
	case SR_ERROR_SERVER:
	case SR_ERROR_PARSE:
	case SR_ERROR_TOO_LARGE:
		return TRUE;
	default:
		return FALSE;
	}
}

const char *
sr_error_code_to_string(gint code)
{
	switch (code) {
	case SR_ERROR_INVALID_ARGUMENT:
		return "invalid-argument";
	case SR_ERROR_CONFIG:
		return "config";
	case SR_ERROR_NOT_FOUND:
		return "not-found";
	case SR_ERROR_PARSE:
		return "parse";
	case SR_ERROR_NETWORK:
		return "network";
	case SR_ERROR_TIMEOUT:
		return "timeout";
	case SR_ERROR_THROTTLED:
		return "throttled";
	case SR_ERROR_SERVER:
		return "server";
	case SR_ERROR_AUTH:
		return "auth";
	case SR_ERROR_HTTP:
		return "http";
	case SR_ERROR_TOO_LARGE:
		return "too-large";
	case SR_ERROR_INSECURE:
		return "insecure";
	case SR_ERROR_CANCELLED:
		return "cancelled";
	default:
		return "failed";
	}
}
