/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcpu_abort: the one place where kernel versions differ.
 *
 * The module supports the Debian kernels 6.1, 6.12 and 7.2. Everything it
 * touches in struct kvm_vcpu exists with the same name and meaning in all
 * of them, and kvm_get_kvm_safe() (5.12) is exported by all; what differs
 * is collected here so the other files need no version checks.
 */
#ifndef VCPU_ABORT_COMPAT_H
#define VCPU_ABORT_COMPAT_H

#include <linux/kvm_host.h>

/*
 * Returned by arm64's kvm_vcpu_get_fault_ipa() when HPFAR is not valid
 * (7.x); older kernels neither define it nor return it.
 */
#ifndef INVALID_GPA
#define INVALID_GPA	(~(gpa_t)0)
#endif

/* Whether anybody but the caller, who holds one, still references @kvm. */
static inline bool vcpu_abort_kvm_only_ours(struct kvm *kvm)
{
	return refcount_read(&kvm->users_count) == 1;
}

/* The process that created @kvm (its creating thread's id). */
static inline pid_t vcpu_abort_kvm_owner(struct kvm *kvm)
{
	return kvm->userspace_pid;
}

/*
 * x86 RIP: vcpu->arch.regs[VCPU_REGS_RIP] until it got a field of its
 * own, vcpu->arch.rip, with VCPU_REG_RIP naming its bit in regs_avail
 * (Kbuild asks the headers which one this kernel has).
 */
#ifdef VCPU_ABORT_HAVE_X86_RIP_FIELD
#define vcpu_abort_x86_rip(vcpu)	((vcpu)->arch.rip)
#define VCPU_ABORT_X86_RIP_BIT		VCPU_REG_RIP
#else
#define vcpu_abort_x86_rip(vcpu)	((vcpu)->arch.regs[VCPU_REGS_RIP])
#define VCPU_ABORT_X86_RIP_BIT		VCPU_REGS_RIP
#endif

#endif /* VCPU_ABORT_COMPAT_H */
