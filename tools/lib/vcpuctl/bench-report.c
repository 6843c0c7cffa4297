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
	[BENCH_ROW_DISCARD_IOCTL] = { "discard via ioctl",
		"DISCARD ioctl (fd in, kind out) / complete; the step alone" },
	[BENCH_ROW_ABORT_NL] = { "abort via netlink",
		"genl CMD_ABORT / complete (KVM_RUN immediate_exit=1); the step alone" },
	[BENCH_ROW_FLOOR] = { "syscall floor",
		"unknown ioctl of /dev/vcpu_abort (ENOTTY) / complete: no abort is below" },
	[BENCH_ROW_NL_FLOOR] = { "netlink floor",
		"unknown genl command (EOPNOTSUPP) / complete: no netlink abort is below" },
	[BENCH_ROW_VCPU_FLOOR] = { "vCPU ioctl floor",
		"KVM_SET_SIGNAL_MASK(none) / complete: KVM's own fd -> vCPU -> vcpu->mutex" },
	[BENCH_ROW_RESET_EXPLICIT] = { "reset, explicit abort",
		"discard ioctl + reset + run to reset code / complete + reset + run" },
	[BENCH_ROW_RESET_AUTO] = { "reset, policy reset",
		"reset (the hook aborts) + run / complete + reset + run" },
	[BENCH_ROW_RESET_HOOKS] = { "reset, upstream, loaded",
		"complete + reset + run: loaded, policy off / not loaded (per read)" },
	[BENCH_ROW_HOT_UNLOADED] = { "MMIO exit vs not loaded",
		"MMIO exit round trip: loaded, policy reset / not loaded (per read)" },
	[BENCH_ROW_HOT_OFF] = { "MMIO exit vs policy off",
		"MMIO exit round trip: policy reset / policy off" },
	[BENCH_ROW_SYNC] = { "state sync, policy reset",
		"state-sync round trip (%s): policy reset / off" },
	[BENCH_ROW_REG_WRITE] = { "reg write, policy reset",
		"%s, 1 VM: policy reset / off" },
	[BENCH_ROW_REG_FEW] = { "reg write, 64 VMs",
		"%s, policy reset, 64 VMs with policies / 1 VM (per read)" },
	[BENCH_ROW_REG_MANY] = { "reg write, 1024 VMs",
		"%s, policy reset, 1024 VMs with policies / 1 VM (per read)" },
	[BENCH_ROW_SCALE_2] = { "abort scaling, 2 vCPUs",
		"time per abort, 2 vCPUs aborted at once (2 threads) / 1 vCPU" },
	[BENCH_ROW_SCALE_4] = { "abort scaling, 4 vCPUs",
		"time per abort, 4 vCPUs aborted at once (4 threads) / 1 vCPU" },
	[BENCH_ROW_SCALE_8] = { "abort scaling, 8 vCPUs",
		"time per abort, 8 vCPUs aborted at once (8 threads) / 1 vCPU" },
	[BENCH_ROW_FLOOR_SCALE_2] = { "syscall scaling, 2 vCPUs",
		"time per syscall floor ioctl, 2 threads at once / 1: the machine's own scaling" },
};

static const struct {
	const char *name;
	const char *unit;
	double div;
} abs_rows[BENCH_NR_ABS] = {
	[BENCH_ABS_HOT_RT] = { "MMIO exit round trip (no hook involved)", "us", 1e3 },
	[BENCH_ABS_COMPLETE] = { "complete: KVM_RUN immediate_exit=1", "us", 1e3 },
	[BENCH_ABS_ABORT_IOCTL] = { "abort via ioctl", "us", 1e3 },
	[BENCH_ABS_DISCARD_IOCTL] = { "discard via ioctl", "us", 1e3 },
	[BENCH_ABS_ABORT_NL] = { "abort via netlink", "us", 1e3 },
	[BENCH_ABS_FLOOR] = { "an ioctl that does nothing (ENOTTY)", "us", 1e3 },
	[BENCH_ABS_NL_FLOOR] = { "a genl request that does nothing", "us", 1e3 },
	[BENCH_ABS_VCPU_FLOOR] = { "KVM's vCPU ioctl, mutex only", "us", 1e3 },
	[BENCH_ABS_RESET_UPSTREAM] = { "upstream reset sequence", "us", 1e3 },
	[BENCH_ABS_SYNC_RT] = { "state-sync round trip, policy off", "us", 1e3 },
	[BENCH_ABS_REG_WRITE] = { "register write, policy off", "us", 1e3 },
	[BENCH_ABS_VM_CREATE] = { "KVM_CREATE_VM of an idle VM (8 at once)", "us", 1e3 },
	[BENCH_ABS_VM_POLICY] = { "SET_POLICY of an idle VM (netlink)", "us", 1e3 },
	[BENCH_ABS_VM_MAKING] = { "making all the idle VMs (wall time)", "s", 1e9 },
};

/* What a row compares, with the arch's names where it has a "%s". */
static const char *row_compares(int row, char *buf, size_t len)
{
	const char *arg = NULL;

	if (row == BENCH_ROW_SYNC)
		arg = arch_bench_sync_name;
	else if (row >= BENCH_ROW_REG_WRITE && row <= BENCH_ROW_REG_MANY)
		arg = arch_bench_reg_write_name;
	if (!arg)
		return rows[row].compares;
	snprintf(buf, len, rows[row].compares, arg);
	return buf;
}

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
	int i, missed = 0;
	char what[160], target[16];

	fprintf(f, "vcpuctl bench: %s, %s\n", arch_name, r->host);
	if (o->rounds)
		fprintf(f,
			"%d repetitions, measuring blocks of %d rounds each (--rounds: by count, not by time)%s%s\n",
			r->reps, o->rounds, r->notes[0] ? "; " : "",
			r->notes);
	else
		fprintf(f, "%d repetitions, measuring blocks of %.2f s, %d s budget%s%s\n",
			r->reps, r->slice_s, (int)(o->budget_s + 0.5),
			r->notes[0] ? "; " : "", r->notes);
	fprintf(f,
		"Only RATIOS of measurements taken side by side in this run are reported:\n"
		"absolute times under QEMU TCG (the lab's nested KVM) mean little. Each\n"
		"repetition gives one ratio per row, of median per-iteration times; shown:\n"
		"the median of the repetitions' ratios and their spread (min-max), the\n"
		"row's target and whether this run's median met it. < 1 is cheaper.\n\n");
	fprintf(f, "%-24s | %-7s | %-13s | %-4s | %-7s | %-3s | %s\n",
		"measurement", "ratio", "spread", "reps", "target", "met",
		"what the ratio compares");
	/* spread: "%6.3f-%-6.3f" is 13 wide for ratios under 100 */
	fprintf(f, "%.24s-+-%.7s-+-%.13s-+-%.4s-+-%.7s-+-%.3s-+-%.24s\n",
		"------------------------------", "----------",
		"----------------", "------", "----------", "-----",
		"------------------------------");
	for (i = 0; i < BENCH_NR_ROWS; i++) {
		int ref = r->target[i] == BENCH_NO_TARGET;

		if (ref)
			snprintf(target, sizeof(target), "%s", "(ref)");
		else
			snprintf(target, sizeof(target), "<= %.2f",
				 r->target[i]);
		if (!r->nr[i]) {
			fprintf(f, "%-24s | %-7s | %-13s | %4d | %-7s | %-3s | n/a: %s\n",
				rows[i].name, "n/a", "", 0, target, "",
				r->missing[i] ? r->missing[i] : "not measured");
			continue;
		}
		stats(r->ratio[i], r->nr[i], &med, &lo, &hi);
		missed += !ref && med > r->target[i];
		fprintf(f, "%-24s | %7.3f | %6.3f-%-6.3f | %4d | %-7s | %-3s | %s\n",
			rows[i].name, med, lo, hi, r->nr[i], target,
			ref ? "-" : med <= r->target[i] ? "yes" : "NO",
			row_compares(i, what, sizeof(what)));
	}
	fprintf(f, "\n%d of the measured rows missed their target in this run%s\n",
		missed, missed ? " (a target is met or not by the median; the spread\n"
		"shows how far this run's noise reaches; this is not a failure)" : "");

	fprintf(f,
		"\nabsolute baselines (median of the reps; meaningful on real hardware only):\n");
	for (i = 0; i < BENCH_NR_ABS; i++) {
		if (!r->nr_abs[i])
			continue;
		stats(r->abs_ns[i], r->nr_abs[i], &med, &lo, &hi);
		fprintf(f, "  %-42s %10.2f %s (%.2f-%.2f)\n", abs_rows[i].name,
			med / abs_rows[i].div, abs_rows[i].unit,
			lo / abs_rows[i].div, hi / abs_rows[i].div);
	}
}
