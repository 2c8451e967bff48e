/* sr-error.c - the SR_ERROR domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-error"

#include "config.h"

#include <gio/gio.h>

#include "sirena/error.h"

/* every code has a D-Bus error name, so sirenad's errors reach clients as themselves */
static const GDBusErrorEntry dbus_errors[] = {
    {SR_ERROR_FAILED, "org.sirena.Sirena1.Error.Failed"},
    {SR_ERROR_INVALID_ARGUMENT, "org.sirena.Sirena1.Error.InvalidArgument"},
    {SR_ERROR_CONFIG, "org.sirena.Sirena1.Error.Config"},
    {SR_ERROR_NOT_FOUND, "org.sirena.Sirena1.Error.NotFound"},
    {SR_ERROR_PARSE, "org.sirena.Sirena1.Error.Parse"},
    {SR_ERROR_NETWORK, "org.sirena.Sirena1.Error.Network"},
    {SR_ERROR_TIMEOUT, "org.sirena.Sirena1.Error.Timeout"},
    {SR_ERROR_THROTTLED, "org.sirena.Sirena1.Error.Throttled"},
    {SR_ERROR_SERVER, "org.sirena.Sirena1.Error.Server"},
    {SR_ERROR_AUTH, "org.sirena.Sirena1.Error.Auth"},
    {SR_ERROR_HTTP, "org.sirena.Sirena1.Error.Http"},
    {SR_ERROR_TOO_LARGE, "org.sirena.Sirena1.Error.TooLarge"},
    {SR_ERROR_INSECURE, "org.sirena.Sirena1.Error.Insecure"},
    {SR_ERROR_CANCELLED, "org.sirena.Sirena1.Error.Cancelled"},
};

GQuark
sr_error_quark(void)
{
	static gsize quark = 0;
	g_dbus_error_register_error_domain("sr-error-quark", &quark, dbus_errors,
	                                   G_N_ELEMENTS(dbus_errors));
	return (GQuark)quark;
}

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
