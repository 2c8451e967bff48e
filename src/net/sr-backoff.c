/* sr-backoff.c - how long to wait after failures in a row: exponential, jittered, capped
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-backoff"

#include "config.h"

#include <math.h>

#include "sirena/http.h"

/* whatever a server or the configuration asks, nobody waits longer than an hour */
#define SR_BACKOFF_LIMIT 3600.0

gdouble
sr_backoff_delay(guint attempt, gdouble base, gdouble max, gint64 retry_after)
{
	gdouble delay;

	/* NaN and negative inputs mean "no wait" rather than poisoning the result */
	if (!(base > 0))
		base = 0;
	if (!(max > 0))
		max = 0;
	if (attempt == 0)
		attempt = 1;

	/* base, 2 base, 4 base ... capped at max; the exponent is bounded so it never overflows */
	delay = MIN(ldexp(base, (int)MIN(attempt - 1, 62u)), max);

	/* +-25 % so that clients failing together do not retry together, even at the cap */
	delay *= g_random_double_range(0.75, 1.25);

	if (retry_after >= 0)
		delay = MAX(delay, (gdouble)retry_after);
	return MIN(delay, SR_BACKOFF_LIMIT);
}
