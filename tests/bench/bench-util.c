/* bench-util.c - timing, statistics and the result lines shared by the benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _POSIX_C_SOURCE 200809L

#include "config.h"

#include "bench-util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static gint64
clock_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (gint64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

gint64
sr_bench_wall_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

gint64
sr_bench_process_cpu_ns(void)
{
	return clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}

gint64
sr_bench_thread_cpu_ns(void)
{
	return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

static int
compare_double(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;
	return (x > y) - (x < y);
}

double
sr_bench_percentile(double *values, guint n, double p)
{
	guint rank = 0;
	if (n == 0)
		return NAN;
	qsort(values, n, sizeof(double), compare_double);
	rank = (guint)ceil(p / 100.0 * n);
	rank = CLAMP(rank, 1, n);
	return values[rank - 1];
}

double
sr_bench_median(double *values, guint n)
{
	if (n == 0)
		return NAN;
	qsort(values, n, sizeof(double), compare_double);
	if (n % 2 == 1)
		return values[n / 2];
	return (values[n / 2 - 1] + values[n / 2]) / 2;
}

static void
print_number(GString *out, double value)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	if (isnan(value) || isinf(value))
		g_string_append(out, "null");
	else
		g_string_append(out, g_ascii_formatd(buf, sizeof(buf), "%.6g", value));
}

void
sr_bench_report(const char *name, double value, const char *unit, double goal, SrBenchBetter better,
                double floor, const char *note)
{
	g_autoptr(GString) out = g_string_new("BENCH {\"name\": \"");
	g_string_append(out, name);
	g_string_append(out, "\", \"value\": ");
	print_number(out, value);
	g_string_append_printf(out, ", \"unit\": \"%s\", \"goal\": ", unit);
	print_number(out, goal);
	g_string_append_printf(out, ", \"better\": \"%s\", \"floor\": ",
	                       better == SR_BENCH_LOWER ? "lower" : "higher");
	print_number(out, floor);
	if (note != NULL) {
		g_string_append(out, ", \"note\": \"");
		for (const char *p = note; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				g_string_append_printf(out, "\\%c", *p);
			else if ((guchar)*p < 0x20)
				g_string_append_printf(out, "\\u%04x", (guchar)*p);
			else
				g_string_append_c(out, *p);
		}
		g_string_append_c(out, '"');
	}
	g_string_append(out, "}\n");
	fputs(out->str, stdout);
	fflush(stdout);
}

gboolean
sr_bench_quick(int *argc, char ***argv)
{
	if (*argc >= 2 && strcmp((*argv)[1], "--quick") == 0) {
		(*argv)[1] = (*argv)[0];
		(*argc)--;
		(*argv)++;
		return TRUE;
	}
	return FALSE;
}
