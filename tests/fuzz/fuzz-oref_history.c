/* fuzz-oref_history.c - fuzz target for the Pikud HaOref history parser, one-off and across
 * polls
 *
 * One input is a sequence of AlertsHistory.json bodies for one source instance: see
 * sr-fuzz-oref.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fuzz-oref-history"

#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "sr-fuzz-oref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	SrFuzzOref target = {
	    .source_name = "oref_history",
	    .parse = sr_source_oref_history_parse,
	    /* the state is freed the way the poller frees it */
	    .free_state = sr_source_oref_history.free_state,
	    /* its state is private to the parser: only its pointer is checked */
	    .state_size = NULL,
	};

	return sr_fuzz_oref_run(&target, data, size);
}
