/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each arch provides, in arch/<arch>/cpu.c, to the generic code. The
 * Makefile links exactly one arch, so these are plain functions and tables,
 * not a table of function pointers.
 */
#ifndef VCPUCTL_ARCH_H
#define VCPUCTL_ARCH_H

#include <stddef.h>

#include <vcpuctl/compiler.h>
#include <vcpuctl/kvm.h>
#include <vcpuctl/race.h>

/* One pending exit the arch can produce, and what the kernel does to it. */
struct arch_exit {
	enum race_exit exit;
	/* Registers (bits in arch_reg_names order) the completion rewrites. */
	unsigned int clobbers;
	/* Why, in one line, from the kernel source. */
	const char *why;
};

extern const char *const arch_name;
extern const char *const arch_reg_names[];
extern const int arch_nr_regs;
extern const struct arch_exit arch_exits[];
extern const int arch_nr_exits;
/* The reset paths of the arch; the first one is the default. */
extern const enum race_reset arch_resets[];
extern const int arch_nr_resets;

/*
 * Whether a reset path works on any vCPU the arch set up (1), or only on
 * one set up for a case with that reset (0: x86's nested resets, whose
 * case runs in L2, and the others that need a VM prepared for them).
 * Tests that reset a VM of another case pick among the first kind.
 */
int arch_reset_any_vm(enum race_reset reset);

/*
 * Expected CLOBBERED registers of an exit on this host's KVM, and why; the
 * arch_exits[] entry unless the KVM implementation (probed at run time)
 * handles the exit differently.
 */
unsigned int arch_expected_clobbers(enum race_exit exit, const char **why);

/* One line on the KVM implementation found, e.g. "kvm_amd". */
void arch_describe_host(char *buf, size_t len);

/* KVM_CREATE_VM type. */
unsigned long arch_vm_type(void);

/*
 * Whether this kernel can run the case, probed on vm (no vCPU yet):
 * 1 yes, 0 no (why says which capability is missing), < 0 error. The
 * answer may depend on the case's exit and reset only: the race engine
 * keeps a "no" for the other cases of the same pair.
 */
int arch_case_supported(struct vm *vm, const struct race_case *c,
			char *why, size_t len);

/* Memory, guest code and the VM-wide setup the case needs. */
int arch_vm_setup(struct vm *vm, const struct race_case *c);

/* Initial vCPU state: the guest starts at the case's entry label. */
int arch_vcpu_setup(struct vcpu *vcpu, const struct race_case *c);

int arch_read_regs(struct vcpu *vcpu, struct race_regs *regs);
/*
 * Points the vCPU at a loop that never exits, so that KVM_RUN stays in the
 * guest until the thread is kicked (vcpu_thread_kick). Abort a pending
 * completion first: it would otherwise land on the new PC. 0 or -errno.
 */
int arch_vcpu_spin(struct vcpu *vcpu);

/*
 * Checks that the vCPU stopped in the case's exit and answers it the way a
 * VMM would (load data, hypercall return...), leaving it pending. desc gets
 * one line: the exit and the answer.
 */
int arch_answer_exit(struct vcpu *vcpu, const struct race_case *c,
		     char *desc, size_t len);

/*
 * Resets the vCPU with the given path so that it would start the reset
 * code. to receives every race register as the reset leaves it, wrote the
 * registers the path wrote itself, how the ioctls used.
 */
int arch_reset(struct vcpu *vcpu, enum race_reset reset,
	       struct race_regs *to, unsigned int *wrote,
	       char *how, size_t len);

/*
 * After a full KVM_RUN that followed the reset: finds where the guest
 * resumed from the exit it took (a marker of the reset code, the marker
 * after the old pending instruction, or something else) and fills
 * res->after (the PC being where the guest resumed), res->resume,
 * res->resume_offset and res->resume_desc.
 */
int arch_locate_resume(struct vcpu *vcpu, const struct race_case *c,
		       struct race_result *res);

/* Capability lines of `vcpuctl info`: line(name, yes, note). */
void arch_print_info(struct vm *vm,
		     void (*line)(const char *name, int yes,
				  const char *note));

#endif /* VCPUCTL_ARCH_H */
