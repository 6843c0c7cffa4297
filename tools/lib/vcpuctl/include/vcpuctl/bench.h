/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `vcpuctl bench`: what vcpu_abort costs, as ratios of measurements taken
 * side by side in one run (Documentation/bench.rst):
 *
 *   1. an explicit abort (ioctl, netlink) vs the upstream alternative,
 *      completing the pending MMIO load with KVM_RUN + immediate_exit=1;
 *   2. a reset sequence with an explicit abort, with policy "reset" and
 *      the upstream one (complete first, then reset), and the upstream one
 *      with the module loaded vs not loaded (--module);
 *   3. the hot path: MMIO exit round trips with policy "reset" vs the
 *      module not loaded (--module) and vs policy "off"; the same for a
 *      VMM that writes the registers back on every KVM_RUN (state sync);
 *   4. a register write with policy "reset" vs "off", and with 64 and
 *      1024 VMs that have policies of their own vs none;
 *   5. concurrent aborts on N = 1, 2, 4, 8 vCPUs, per abort vs N = 1.
 *
 * Every row has a target; the table says whether this run met it.
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

/*
 * The registers of the register-write and state-sync rows, in the arch's
 * own layout (struct kvm_regs, or the values of a few ONE_REG ids).
 */
struct bench_regs {
	uint64_t v[64];
};

/*
 * The register-write rows: one register write, the arch's usual one
 * (x86, ppc64: KVM_SET_REGS; arm64: KVM_SET_ONE_REG of the PC), of what
 * arch_bench_reg_read() read; that read is the control, which no hook
 * sees. 0 or -errno (vm->err). The name of the write, for the table.
 */
int arch_bench_reg_read(struct vcpu *vcpu, struct bench_regs *regs);
int arch_bench_reg_write(struct vcpu *vcpu, const struct bench_regs *regs);
extern const char *const arch_bench_reg_write_name;

/*
 * The state-sync row: a VMM that reads the registers after every exit and
 * writes them back before the next KVM_RUN, the PC unchanged (x86:
 * kvm_valid_regs and kvm_dirty_regs with KVM_SYNC_X86_REGS, inside
 * KVM_RUN; elsewhere the register ioctls around it). setup() before the
 * first KVM_RUN: 1 ready, 0 not possible here (why says so), < 0 error;
 * bench.c's default says ready (the register ioctls need nothing), x86
 * has its own.
 * read() after an exit: the registers into regs; write() before the next
 * KVM_RUN: regs back, with the register the bench loop's load writes set
 * to mark. arch_bench_sync_name says what a round trip does.
 */
int arch_bench_sync_setup(struct vcpu *vcpu, char *why, size_t len);
int arch_bench_sync_read(struct vcpu *vcpu, struct bench_regs *regs);
int arch_bench_sync_write(struct vcpu *vcpu, struct bench_regs *regs,
			  uint64_t mark);
extern const char *const arch_bench_sync_name;

/*
 * The two registers of bench-one-reg.c, which implements the rows above
 * for arches without KVM_SET_REGS (arm64, riscv): the PC, and the
 * register the bench loop's load writes (KVM_{GET,SET}_ONE_REG ids).
 */
extern const uint64_t arch_bench_one_reg_pc;
extern const uint64_t arch_bench_one_reg_load;

#define BENCH_MAX_VCPUS		8
/* The VMs of the idle-VM rows, the measured one among them. */
#define BENCH_IDLE_FEW		64
#define BENCH_IDLE_MANY		1024

struct bench_opts {
	int reps;		/* repetitions (each gives one ratio per row) */
	double budget_s;	/* measuring time of the whole run, seconds */
	int rounds;		/* rounds per block, 0: budget_s decides */
	const char *module;	/* vcpu_abort.ko to unload/reload, or NULL */
	int max_vcpus;		/* largest N of the scaling rows */
	int max_vms;		/* largest VM count of the idle-VM rows */
	int verbose;		/* per-repetition lines on stderr */
	int profile;		/* --profile: the step, or -1 */
	int count;		/* --profile: how many times */
	int ftrace;		/* --profile: tracing_on around each step */
};

/* Runs every measurement and prints the table on f; the exit code. */
int bench_run(const struct bench_opts *o, FILE *f);

/*
 * --profile: the step called name, or -1; bench_profile_steps() lists
 * the names (space separated), bench_profile_help() names and describes
 * them, one a line.
 */
int bench_profile_step(const char *name);
void bench_profile_steps(char *buf, size_t len);
void bench_profile_help(FILE *f);
/* Runs o->profile o->count times and prints its median; the exit code. */
int bench_profile(const struct bench_opts *o, FILE *f);

/* Shared by bench.c (measuring) and bench-report.c (the table). */

#define BENCH_MAX_REPS		15
#define BENCH_NO_TARGET		-1.0

/* The rows of the table: each is one ratio per repetition. */
enum bench_row {
	BENCH_ROW_ABORT_IOCTL,		/* abort ioctl / complete */
	BENCH_ROW_DISCARD_IOCTL,	/* discard ioctl / complete */
	BENCH_ROW_ABORT_NL,		/* abort netlink / complete */
	BENCH_ROW_FLOOR,		/* a syscall / complete: no target */
	BENCH_ROW_NL_FLOOR,		/* a genl request / complete: none */
	BENCH_ROW_VCPU_FLOOR,		/* KVM's vCPU ioctl / complete: none */
	BENCH_ROW_RESET_EXPLICIT,	/* reset seq: explicit / upstream */
	BENCH_ROW_RESET_AUTO,		/* reset seq: policy reset / upstream */
	BENCH_ROW_RESET_HOOKS,		/* upstream: loaded, off / not loaded */
	BENCH_ROW_HOT_UNLOADED,		/* MMIO round trip: reset / not loaded */
	BENCH_ROW_HOT_OFF,		/* MMIO round trip: reset / off */
	BENCH_ROW_SYNC,			/* state-sync round trip: reset / off */
	BENCH_ROW_REG_WRITE,		/* register write, 1 VM: reset / off */
	BENCH_ROW_REG_FEW,		/* ... 64 VMs / 1 VM */
	BENCH_ROW_REG_MANY,		/* ... 1024 VMs / 1 VM */
	BENCH_ROW_SCALE_2,		/* per abort, N=2 / N=1 */
	BENCH_ROW_SCALE_4,
	BENCH_ROW_SCALE_8,
	BENCH_ROW_FLOOR_SCALE_2,	/* per syscall floor, N=2 / N=1: none */
	BENCH_NR_ROWS
};

/* Absolute baselines, reported apart (meaningful on real hardware only). */
enum bench_abs {
	BENCH_ABS_HOT_RT,		/* one MMIO exit round trip, module off */
	BENCH_ABS_COMPLETE,		/* KVM_RUN immediate_exit=1 step */
	BENCH_ABS_ABORT_IOCTL,
	BENCH_ABS_DISCARD_IOCTL,
	BENCH_ABS_ABORT_NL,
	BENCH_ABS_FLOOR,		/* an ioctl that does nothing */
	BENCH_ABS_NL_FLOOR,		/* a genl request that does nothing */
	BENCH_ABS_VCPU_FLOOR,		/* KVM's vCPU ioctl, mutex only */
	BENCH_ABS_RESET_UPSTREAM,	/* complete, reset, run to reset code */
	BENCH_ABS_SYNC_RT,		/* state-sync round trip, policy off */
	BENCH_ABS_REG_WRITE,		/* register write, policy off */
	BENCH_ABS_VM_CREATE,		/* KVM_CREATE_VM of an idle VM */
	BENCH_ABS_VM_POLICY,		/* its SET_POLICY */
	BENCH_ABS_VM_MAKING,		/* all of them, wall time */
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
	/* Met if the median is at most this; BENCH_NO_TARGET: a reference. */
	double target[BENCH_NR_ROWS];
	char host[128];			/* arch_describe_host() */
	char notes[512];		/* module handling, one line or empty */
	char sync_why[128];		/* why the state-sync row cannot run */
	char idle_why[VM_ERR_LEN + 128];	/* why no more idle VMs */
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
