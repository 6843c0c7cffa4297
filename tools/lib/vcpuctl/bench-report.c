// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl bench: samples, medians and the table. Each row holds one ratio
 * per repetition; the table shows their median and their spread (min-max),
 * so that a reader can judge the noise of the run.
 */
#include <stdlib.h>
#include <string.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/bench.h>

int bench_samples_push(struct bench_samples *s, double v)
{
	double *nv;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		nv = realloc(s->v, s->cap * sizeof(*nv));
		if (!nv)
			return -1;
		s->v = nv;
	}
	s->v[s->n++] = v;
	return 0;
}

void bench_samples_free(struct bench_samples *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median_of(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double bench_median(struct bench_samples *s)
{
	return median_of(s->v, s->n);
}

void bench_result_add(struct bench_result *r, enum bench_row row, double v)
{
	if (r->nr[row] < BENCH_MAX_REPS)
		r->ratio[row][r->nr[row]++] = v;
}

void bench_result_add_abs(struct bench_result *r, enum bench_abs a, double ns)
{
	if (r->nr_abs[a] < BENCH_MAX_REPS)
		r->abs_ns[a][r->nr_abs[a]++] = ns;
}

static const struct {
	const char *name;
	const char *compares;
} rows[BENCH_NR_ROWS] = {
	[BENCH_ROW_ABORT_IOCTL] = { "abort via ioctl",
		"ABORT ioctl / complete (KVM_RUN immediate_exit=1); the step alone" },
	[BENCH_ROW_ABORT_NL] = { "abort via netlink",
		"genl CMD_ABORT / complete (KVM_RUN immediate_exit=1); the step alone" },
	[BENCH_ROW_RESET_EXPLICIT] = { "reset, explicit abort",
		"abort ioctl + reset + run to reset code / complete + reset + run" },
	[BENCH_ROW_RESET_AUTO] = { "reset, policy reset",
		"reset (the hook aborts) + run / complete + reset + run" },
	[BENCH_ROW_RESET_HOOKS] = { "reset, upstream, hooks",
		"complete + reset + run: loaded, policy off / not loaded" },
	[BENCH_ROW_HOT_UNLOADED] = { "hot path vs not loaded",
		"MMIO exit round trips/s: loaded, policy reset / not loaded" },
	[BENCH_ROW_HOT_OFF] = { "hot path vs policy off",
		"MMIO exit round trips/s: policy reset / policy off" },
	[BENCH_ROW_SCALE_2] = { "abort scaling, 2 vCPUs",
		"time per abort, 2 vCPUs aborted at once (2 threads) / 1 vCPU" },
	[BENCH_ROW_SCALE_4] = { "abort scaling, 4 vCPUs",
		"time per abort, 4 vCPUs aborted at once (4 threads) / 1 vCPU" },
	[BENCH_ROW_SCALE_8] = { "abort scaling, 8 vCPUs",
		"time per abort, 8 vCPUs aborted at once (8 threads) / 1 vCPU" },
};

static const struct {
	const char *name;
	const char *unit;
	double div;
} abs_rows[BENCH_NR_ABS] = {
	[BENCH_ABS_HOT_RT] = { "MMIO exit round trip (no hook involved)", "us", 1e3 },
	[BENCH_ABS_COMPLETE] = { "complete: KVM_RUN immediate_exit=1", "us", 1e3 },
	[BENCH_ABS_ABORT_IOCTL] = { "abort via ioctl", "us", 1e3 },
	[BENCH_ABS_ABORT_NL] = { "abort via netlink", "us", 1e3 },
	[BENCH_ABS_RESET_UPSTREAM] = { "upstream reset sequence", "us", 1e3 },
};

/* Median, min and max of a row's values (copied: printing sorts). */
static void stats(const double *in, int n, double *med, double *lo,
		  double *hi)
{
	double v[BENCH_MAX_REPS];

	memcpy(v, in, n * sizeof(*v));
	*med = median_of(v, n);
	*lo = v[0];
	*hi = v[n - 1];
}

void bench_print(FILE *f, const struct bench_opts *o,
		 const struct bench_result *r)
{
	double med, lo, hi;
	int i;

	fprintf(f, "vcpuctl bench: %s, %s\n", arch_name, r->host);
	fprintf(f, "%d repetitions, measuring blocks of %.2f s, %d s budget%s%s\n",
		r->reps, r->slice_s, (int)(o->budget_s + 0.5),
		r->notes[0] ? "; " : "", r->notes);
	fprintf(f,
		"Only RATIOS of measurements taken side by side in this run are reported:\n"
		"absolute times under QEMU TCG (the lab's nested KVM) mean little. Each\n"
		"repetition gives one ratio per row, of median per-iteration times (rates:\n"
		"inverted); shown: the median of the repetitions' ratios and their spread\n"
		"(min-max). Times: < 1 is cheaper; rates: 1.00 is no change.\n\n");
	fprintf(f, "%-24s | %-7s | %-13s | %-4s | %s\n", "measurement",
		"ratio", "spread", "reps", "what the ratio compares");
	/* spread: "%5.3f-%-7.3f" is 13 wide for ratios under 10 */
	fprintf(f, "%.24s-+-%.7s-+-%.13s-+-%.4s-+-%.24s\n",
		"------------------------------", "----------",
		"----------------", "------", "------------------------------");
	for (i = 0; i < BENCH_NR_ROWS; i++) {
		if (!r->nr[i]) {
			fprintf(f, "%-24s | %-7s | %-13s | %4d | n/a: %s\n",
				rows[i].name, "n/a", "", 0,
				r->missing[i] ? r->missing[i] : "not measured");
			continue;
		}
		stats(r->ratio[i], r->nr[i], &med, &lo, &hi);
		fprintf(f, "%-24s | %7.3f | %6.3f-%-6.3f | %4d | %s\n",
			rows[i].name, med, lo, hi, r->nr[i], rows[i].compares);
	}

	fprintf(f, "\n");
	for (i = BENCH_ROW_HOT_UNLOADED; i <= BENCH_ROW_HOT_OFF; i++) {
		if (!r->nr[i])
			continue;
		stats(r->ratio[i], r->nr[i], &med, &lo, &hi);
		fprintf(f,
			"hot path (%s): ratio %.3f, spread %.3f-%.3f over %d reps: within 1%%: %s%s\n",
			i == BENCH_ROW_HOT_UNLOADED ? "policy reset / module not loaded" :
						      "policy reset / policy off",
			med, lo, hi, r->nr[i],
			med >= 0.99 && med <= 1.01 ? "yes" : "NO",
			lo >= 0.99 && hi <= 1.01 ? " (every repetition too)" :
			" (not every repetition: see the spread)");
	}
	fprintf(f,
		"(the hooks are kprobes on register writes and resets, not on the exit path:\n"
		" expected ~1.00; a spread wider than 1%% is the noise of this machine)\n");

	fprintf(f, "\nabsolute baselines (median of %d reps; meaningful on real hardware only):\n",
		r->reps);
	for (i = 0; i < BENCH_NR_ABS; i++) {
		if (!r->nr_abs[i])
			continue;
		stats(r->abs_ns[i], r->nr_abs[i], &med, &lo, &hi);
		fprintf(f, "  %-42s %10.2f %s (%.2f-%.2f)\n", abs_rows[i].name,
			med / abs_rows[i].div, abs_rows[i].unit,
			lo / abs_rows[i].div, hi / abs_rows[i].div);
	}
}
