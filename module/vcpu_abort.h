/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcpu_abort: interfaces between the module's files.
 *
 * core.c resolves and locks the vCPU and is the single entry point of
 * every transport; arch/$(SRCARCH).c knows where that architecture keeps
 * the pending completion; stats.c counts aborts per VM.
 */
#ifndef VCPU_ABORT_INTERNAL_H
#define VCPU_ABORT_INTERNAL_H

#include <linux/types.h>
#include <linux/vcpu_abort.h>

struct kvm;
struct kvm_vcpu;

/**
 * enum vcpu_abort_op - what vcpu_abort_do() does with the pending state
 * @VCPU_ABORT_OP_QUERY: report it, change nothing
 * @VCPU_ABORT_OP_ABORT: report it and discard it
 */
enum vcpu_abort_op {
	VCPU_ABORT_OP_QUERY,
	VCPU_ABORT_OP_ABORT,
};

int vcpu_abort_do(int vcpu_fd, enum vcpu_abort_op op, u32 flags,
		  struct vcpu_abort_report *report);

/*
 * Per architecture, in arch/$(SRCARCH).c. All are called with vcpu->mutex
 * held, so the vCPU is not in KVM_RUN and no other ioctl touches it.
 */

/* 0 if the module may look at and change this vCPU's state, or -errno. */
int vcpu_abort_arch_check(struct kvm_vcpu *vcpu);
/* Fill @report (already zeroed) with what the next KVM_RUN would complete. */
void vcpu_abort_arch_describe(struct kvm_vcpu *vcpu,
			      struct vcpu_abort_report *report);
/* Forget the completion @report describes, and all of its companions. */
void vcpu_abort_arch_discard(struct kvm_vcpu *vcpu,
			     const struct vcpu_abort_report *report);

int vcpu_abort_chardev_init(void);
void vcpu_abort_chardev_exit(void);

void vcpu_abort_stats_init(void);
void vcpu_abort_stats_exit(void);
void vcpu_abort_stats_count(struct kvm *kvm, enum vcpu_abort_kind kind);

#endif /* VCPU_ABORT_INTERNAL_H */
