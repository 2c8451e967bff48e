/* bench-util.h - timing, statistics and the result lines shared by the benchmarks
 *
 * Every benchmark prints its figures as lines of the form
 *   BENCH {"name": "...", "value": 1.5, "unit": "ms", "goal": 2, "better": "lower", "floor": 0.5}
 * which scripts/bench collects into one table (and its JSON file and baseline check). "goal" is
 * null for figures that are shown for context only; "floor" is the noise floor below which a
 * change in a figure is not counted as a regression (see doc/performance.md, "CI").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	SR_BENCH_LOWER, /* a time, a size: lower is better */
	SR_BENCH_HIGHER /* a throughput: higher is better */
} SrBenchBetter;

/* monotonic wall time, this process's CPU time and the calling thread's CPU time, in ns */
gint64 sr_bench_wall_ns(void);
gint64 sr_bench_process_cpu_ns(void);
gint64 sr_bench_thread_cpu_ns(void);

/* the median / a percentile (0..100, nearest rank) of @n doubles; sorts @values in place */
double sr_bench_median(double *values, guint n);
double sr_bench_percentile(double *values, guint n, double p);

/* prints one result line; @goal is NAN when there is none */
void sr_bench_report(const char *name, double value, const char *unit, double goal,
                     SrBenchBetter better, double floor, const char *note);

/* TRUE when the program was run with --quick as its first argument (and removes it) */
gboolean sr_bench_quick(int *argc, char ***argv);

G_END_DECLS
