/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reset race: a vCPU exits to userspace with an operation that KVM
 * completes on the next KVM_RUN (MMIO, port I/O, hypercall, MSR access),
 * userspace resets the vCPU instead of resuming it, and the next KVM_RUN
 * applies the stale completion on top of the reset state. One race_case is
 * one such experiment; race_run_case() runs it in a fresh VM and compares,
 * register by register, what the reset set with what the next KVM_RUN
 * left: INTACT or CLOBBERED.
 */
#ifndef VCPUCTL_RACE_H
#define VCPUCTL_RACE_H

#include <stdint.h>
#include <stdio.h>

#include <vcpuctl/kvm.h>

/* Exit codes of vcpuctl, also used for race results. */
#define VCPUCTL_EXIT_OK		0	/* every verdict as expected */
#define VCPUCTL_EXIT_FAIL	1	/* a verdict differs, or an error */
#define VCPUCTL_EXIT_USAGE	2	/* bad command line */
#define VCPUCTL_EXIT_SKIP	4	/* the kernel cannot run the case */

/* The exit left pending when the reset happens. */
enum race_exit {
	RACE_EXIT_MMIO_LOAD,
	RACE_EXIT_MMIO_STORE,
	RACE_EXIT_PIO_IN,	/* x86, "fast" PIO */
	RACE_EXIT_PIO_OUT,	/* x86, "fast" PIO */
	RACE_EXIT_PIO_INS,	/* x86, string PIO: goes through the emulator */
	RACE_EXIT_HYPERCALL,
	RACE_EXIT_MSR_READ,	/* x86, KVM_CAP_X86_USER_SPACE_MSR */
	RACE_EXIT_MSR_WRITE,
	RACE_NR_EXITS
};

/* How userspace resets the vCPU. */
enum race_reset {
	RACE_RESET_REGS,	/* KVM_SET_REGS */
	RACE_RESET_SREGS,	/* KVM_SET_SREGS, then KVM_SET_REGS */
	RACE_RESET_SYNC_REGS,	/* x86 kvm_run->s.regs + kvm_dirty_regs */
	RACE_RESET_VCPU_INIT,	/* arm64 KVM_ARM_VCPU_INIT + KVM_SET_ONE_REG */
	RACE_RESET_ONE_REG,	/* KVM_SET_ONE_REG only (x86: EFER, see efer) */
	/*
	 * x86, each followed by KVM_SET_REGS with the RIP the vCPU has: paging
	 * turned on with KVM_SET_SREGS2; L2 left with KVM_SET_NESTED_STATE;
	 * L2 left with KVM_SET_MSRS of EFER without SVME; SMM entered with
	 * KVM_SET_VCPU_EVENTS.
	 */
	RACE_RESET_SREGS2,
	RACE_RESET_NESTED,
	RACE_RESET_EFER,
	RACE_RESET_SMM,
	RACE_RESET_PSTATE,	/* arm64 PSTATE to another mode, PC unchanged */
	RACE_RESET_MP_STATE,	/* riscv KVM_SET_MP_STATE(INIT_RECEIVED) + ONE_REG */
	RACE_NR_RESETS
};

/* Who resets: the vCPU thread itself, or another thread while it waits. */
enum race_by {
	RACE_BY_SELF,
	RACE_BY_OTHER,
	RACE_NR_BY
};

/* How the vCPU is entered after the reset. */
enum race_entry {
	RACE_ENTRY_IMMEDIATE,	/* KVM_RUN with immediate_exit = 1 */
	RACE_ENTRY_RUN,		/* KVM_RUN that runs the reset code */
	RACE_NR_ENTRIES
};

/* Whether the pending exit is aborted before the reset (vcpu_abort). */
enum race_abort {
	RACE_ABORT_NONE,
	RACE_ABORT_EXPLICIT,	/* userspace asks vcpu_abort, then resets */
	RACE_ABORT_DISCARD,	/* the same with the report-less DISCARD */
	RACE_ABORT_AUTO,	/* vcpu_abort aborts on reset by itself */
	RACE_NR_ABORTS
};

struct race_case {
	enum race_exit exit;
	enum race_reset reset;
	enum race_by by;
	enum race_entry entry;
	enum race_abort abort;
};

#define RACE_MAX_REGS	8

/* The registers the race looks at, in the arch's order (arch_reg_names). */
struct race_regs {
	uint64_t val[RACE_MAX_REGS];
};

enum race_status {
	RACE_PASS,	/* every verdict as expected */
	RACE_FAIL,	/* some verdict differs from the expectation */
	RACE_SKIP,	/* this kernel cannot run the case; reason says why */
	RACE_ERROR,	/* an ioctl or the guest failed; reason says where */
};

/* Where the guest went on a full KVM_RUN after the reset. */
enum race_resume {
	RACE_RESUME_NONE,	/* immediate_exit: the guest did not run */
	RACE_RESUME_RESET,	/* into the reset code (resume_offset in it) */
	RACE_RESUME_STALE,	/* after the old pending instruction */
	RACE_RESUME_OTHER,	/* elsewhere: resume_desc */
};

struct race_result {
	struct race_case c;
	enum race_status status;
	char reason[VM_ERR_LEN];	/* skip reason or error */
	char pending[160];		/* the pending exit and our answer */
	char reset_how[160];		/* the ioctls of the reset */
	char aborted[192];		/* what the abort hook discarded */
	struct race_regs at_exit;	/* at the pending exit */
	struct race_regs reset_to;	/* what the reset established */
	unsigned int reset_wrote;	/* registers the reset wrote itself */
	struct race_regs after;		/* after the next KVM_RUN */
	unsigned int clobbered;		/* observed: after != reset_to */
	unsigned int expected;		/* expected CLOBBERED registers */
	enum race_resume resume;
	uint64_t resume_offset;		/* RACE_RESUME_RESET: bytes skipped */
	char resume_desc[160];
};

/* Runs one case in a new VM. Returns the status, also in res->status. */
enum race_status race_run_case(const struct race_case *c,
			       struct race_result *res);
/* Expected CLOBBERED registers of a case (none once the exit is aborted). */
unsigned int race_expected(const struct race_case *c);

/* Names used on the command line and in reports. */
const char *race_exit_name(enum race_exit exit);
const char *race_reset_name(enum race_reset reset);
/* What a reset path does ("KVM_SET_REGS", ...), for usage texts. */
const char *race_reset_desc(enum race_reset reset);
const char *race_by_name(enum race_by by);
const char *race_entry_name(enum race_entry entry);
const char *race_abort_name(enum race_abort abort);
const char *race_status_name(enum race_status status);
int race_exit_parse(const char *name);
int race_reset_parse(const char *name);
int race_by_parse(const char *name);
int race_entry_parse(const char *name);
int race_abort_parse(const char *name);
/* Whether the current arch implements an exit / a reset path. */
int race_arch_has_exit(enum race_exit exit);
int race_arch_has_reset(enum race_reset reset);
const char *race_exit_why(enum race_exit exit);

/* Reports. */
void race_print_case(FILE *f, const struct race_result *res);
void race_print_table_head(FILE *f, const char *title);
void race_print_table_row(FILE *f, int nr, const struct race_result *res);
/* Prints the summary and the expectations; returns the exit code. */
int race_print_table_tail(FILE *f, const struct race_result *res, int nr);
/*
 * One line of JSON for a case: arch, kvm, exit, reset, by, entry, abort,
 * policy ("-" unless --abort auto), status (PASS, FAIL, SKIP, ERROR),
 * clobbered and expected (register names), reset_code_ran ("-" unless
 * entry run), reason (of a SKIP or ERROR).
 */
void race_print_json(FILE *f, const struct race_result *res);
/* The exit code of nr cases: FAIL if one failed, SKIP if all skipped. */
int race_exit_code(const struct race_result *res, int nr);

#endif /* VCPUCTL_RACE_H */
