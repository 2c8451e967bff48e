/* bench-bodies.h - synthetic upstream bodies of realistic shape and size for the benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sirena/region.h"

G_BEGIN_DECLS

/* alerts.in.ua /v1/alerts/active.json: @n alerts over the catalog's Ukrainian regions */
char *sr_bench_gen_alerts_in_ua(const SrCatalog *catalog, guint n);
/* Ukraine Alarm /api/v3/alerts: the first @max_regions regions of the catalog that Ukraine Alarm
 * has (G_MAXUINT: all of them), each in alert and listing its ancestors' alerts too, as the real
 * tree does; *@n_regions says how many */
char *sr_bench_gen_ukraine_alarm(const SrCatalog *catalog, guint max_regions, guint *n_regions);
/* NWS /alerts/active: @n copies of the fixture's first feature (tests/fixtures/nws), each with
 * its own id */
char *sr_bench_gen_nws(guint n);
/* an Atom index of @n NWS-shaped CAP entries (summaries, a polygon, geocodes) whose documents
 * are at @base/cap/SR-WX-NNNNNN */
char *sr_bench_gen_cap_feed(guint n, const char *base);

G_END_DECLS
