/* fuzz-oref.c - fuzz target for the Pikud HaOref real-time parser, one-off and across polls
 *
 * One input is a sequence of Alerts.json bodies for one source instance: see sr-fuzz-oref.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-oref"

#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "sources/sr-oref-tracker.h"
#include "sr-fuzz-oref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static guint
tracker_size(gpointer state)
{
	return sr_oref_tracker_size(state);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	SrFuzzOref target = {
	    .source_name = "oref",
	    .parse = sr_source_oref_parse,
	    /* the state is freed the way the poller frees it */
	    .free_state = sr_source_oref.free_state,
	    .state_size = tracker_size,
	};

	return sr_fuzz_oref_run(&target, data, size);
}
