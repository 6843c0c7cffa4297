/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `vcpuctl bench`: what vcpu_abort costs, as ratios of measurements taken
 * side by side in one run (Documentation/bench.rst):
 *
 *   1. an explicit abort (ioctl, netlink) vs the upstream alternative,
 *      completing the pending MMIO load with KVM_RUN + immediate_exit=1;
 *   2. a reset sequence with an explicit abort, with policy "reset" and
 *      the upstream one (complete first, then reset);
 *   3. the hot path: MMIO exit round trips per second with policy
 *      "reset" vs the module not loaded (--module) and vs policy "off";
 *   4. concurrent aborts on N = 1, 2, 4, 8 vCPUs, per abort vs N = 1.
 *
 * The guest runs a loop of MMIO loads (arch/<arch>/bench.S), so that every
 * KVM_RUN ends in the same pending MMIO load exit, whether the previous one
 * was completed or aborted.
 */
#ifndef VCPUCTL_BENCH_H
#define VCPUCTL_BENCH_H

#include <stdint.h>
#include <stdio.h>

#include <vcpuctl/kvm.h>

/* The MMIO load of the bench loop: address and size in bytes. */
extern const uint64_t arch_bench_mmio_gpa;
extern const uint32_t arch_bench_mmio_len;

/*
 * The bench loop (arch/<arch>/bench-guest.S, position independent) and
 * the guest-physical address in the RAM of arch_vm_setup() it is copied
 * to.
 */
extern const char arch_bench_loop_start[], arch_bench_loop_end[];
extern const uint64_t arch_bench_loop_gpa;

/*
 * Points the vCPU at the start of the bench loop (which sets up the
 * registers the loop needs). Nothing may be pending: complete or abort it
 * first. 0 or -errno (vm->err).
 */
int arch_bench_enter_loop(struct vcpu *vcpu);

#define BENCH_MAX_VCPUS		8

struct bench_opts {
	int reps;		/* repetitions (each gives one ratio per row) */
	double budget_s;	/* measuring time of the whole run, seconds */
	const char *module;	/* vcpu_abort.ko to unload/reload, or NULL */
	int max_vcpus;		/* largest N of the scaling rows */
	int verbose;		/* per-repetition lines on stderr */
};

/* Runs every measurement and prints the table on f; the exit code. */
int bench_run(const struct bench_opts *o, FILE *f);

/* Shared by bench.c (measuring) and bench-report.c (the table). */

#define BENCH_MAX_REPS		15

/* The rows of the table: each is one ratio per repetition. */
enum bench_row {
	BENCH_ROW_ABORT_IOCTL,		/* abort ioctl / complete */
	BENCH_ROW_ABORT_NL,		/* abort netlink / complete */
	BENCH_ROW_RESET_EXPLICIT,	/* reset seq: explicit / upstream */
	BENCH_ROW_RESET_AUTO,		/* reset seq: policy reset / upstream */
	BENCH_ROW_RESET_HOOKS,		/* upstream: loaded, off / not loaded */
	BENCH_ROW_HOT_UNLOADED,		/* MMIO exits/s: reset / not loaded */
	BENCH_ROW_HOT_OFF,		/* MMIO exits/s: reset / off */
	BENCH_ROW_SCALE_2,		/* per abort, N=2 / N=1 */
	BENCH_ROW_SCALE_4,
	BENCH_ROW_SCALE_8,
	BENCH_NR_ROWS
};

/* Absolute baselines, reported apart (meaningful on real hardware only). */
enum bench_abs {
	BENCH_ABS_HOT_RT,		/* one MMIO exit round trip, module off */
	BENCH_ABS_COMPLETE,		/* KVM_RUN immediate_exit=1 step */
	BENCH_ABS_ABORT_IOCTL,
	BENCH_ABS_ABORT_NL,
	BENCH_ABS_RESET_UPSTREAM,	/* complete, reset, run to reset code */
	BENCH_NR_ABS
};

struct bench_result {
	int reps;
	double slice_s;			/* length of one measuring block */
	double ratio[BENCH_NR_ROWS][BENCH_MAX_REPS];
	int nr[BENCH_NR_ROWS];
	double abs_ns[BENCH_NR_ABS][BENCH_MAX_REPS];
	int nr_abs[BENCH_NR_ABS];
	const char *missing[BENCH_NR_ROWS];	/* why a row has no value */
	char host[128];			/* arch_describe_host() */
	char notes[512];		/* module handling, one line or empty */
};

struct bench_samples {
	double *v;
	size_t n, cap;
};

int bench_samples_push(struct bench_samples *s, double v);
void bench_samples_free(struct bench_samples *s);
/* Median of the samples (0 when there are none); sorts them. */
double bench_median(struct bench_samples *s);

void bench_result_add(struct bench_result *r, enum bench_row row, double v);
void bench_result_add_abs(struct bench_result *r, enum bench_abs a,
			  double ns);
void bench_print(FILE *f, const struct bench_opts *o,
		 const struct bench_result *r);

#endif /* VCPUCTL_BENCH_H */
