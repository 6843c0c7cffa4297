// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort on x86: where userspace writes registers or resets a vCPU.
 *
 * __set_regs() is the one function that writes the GPRs and RIP, both for
 * KVM_SET_REGS and for the KVM_SYNC_X86_REGS part of sync_regs(), which
 * KVM_RUN calls before it runs complete_userspace_io: hooking it covers
 * both ways, and tells them apart by the argument (sync_regs passes the
 * run page's copy). __set_sregs() is the same for the segment registers.
 * A KVM_SET_MP_STATE to INIT_RECEIVED or UNINITIALIZED is a reset that
 * KVM_RUN performs after the completion, which would otherwise run first.
 *
 * RIP alone decides whether the PC moved: KVM_SET_REGS cannot change CS,
 * and KVM_SET_SREGS, which can, counts only for policy always.
 */
#include <linux/kvm_host.h>
#include <linux/ptrace.h>

#include "../../compat.h"
#include "../../vcpu_abort.h"

/* Bits of vcpu_abort_position.mode: CR0.PE, EFER.LMA, L2, SMM. */
#define VCPU_ABORT_X86_MODE_PE		BIT(0)
#define VCPU_ABORT_X86_MODE_LMA		BIT(1)
#define VCPU_ABORT_X86_MODE_GUEST	BIT(2)
#define VCPU_ABORT_X86_MODE_SMM		BIT(3)

bool vcpu_abort_arch_position(struct kvm_vcpu *vcpu,
			      struct vcpu_abort_position *pos)
{
	/*
	 * SVM copies RIP out of the VMCB on every exit; VMX reads it lazily
	 * and marks it available once read (emulation, PIO and MSR exits
	 * read it before exiting). The cast is KVM's own, for its u32 mask
	 * (6.1, 6.12) and for its later bitmap alike.
	 */
	if (!test_bit(VCPU_ABORT_X86_RIP_BIT,
		      (unsigned long *)&vcpu->arch.regs_avail))
		return false;
	pos->pc = vcpu_abort_x86_rip(vcpu);
	/*
	 * CR0.PE is never guest-owned, so the cached CR0 has it; EFER and
	 * hflags are KVM's own.
	 */
	pos->mode = 0;
	if (vcpu->arch.cr0 & X86_CR0_PE)
		pos->mode |= VCPU_ABORT_X86_MODE_PE;
	if (vcpu->arch.efer & EFER_LMA)
		pos->mode |= VCPU_ABORT_X86_MODE_LMA;
	if (vcpu->arch.hflags & HF_GUEST_MASK)
		pos->mode |= VCPU_ABORT_X86_MODE_GUEST;
	if (vcpu->arch.hflags & HF_SMM_MASK)
		pos->mode |= VCPU_ABORT_X86_MODE_SMM;
	return true;
}

/* static void __set_regs(struct kvm_vcpu *vcpu, struct kvm_regs *regs) */
static bool vcpu_abort_x86_set_regs(const struct pt_regs *regs,
				    struct vcpu_abort_call *call)
{
	struct kvm_vcpu *vcpu = (void *)vcpu_abort_hook_arg(regs, 0);
	void *kvm_regs = (void *)vcpu_abort_hook_arg(regs, 1);

	call->vcpu = vcpu;
	call->trigger = kvm_regs == &vcpu->run->s.regs.regs ?
			VCPU_ABORT_TRIGGER_SYNC_REGS :
			VCPU_ABORT_TRIGGER_SET_REGS;
	return true;
}

/* static int __set_sregs(struct kvm_vcpu *vcpu, struct kvm_sregs *sregs) */
static bool vcpu_abort_x86_set_sregs(const struct pt_regs *regs,
				     struct vcpu_abort_call *call)
{
	call->vcpu = (void *)vcpu_abort_hook_arg(regs, 0);
	call->trigger = VCPU_ABORT_TRIGGER_SET_SREGS;
	return true;
}

/*
 * int kvm_arch_vcpu_ioctl_set_mpstate(struct kvm_vcpu *vcpu,
 *				       struct kvm_mp_state *mp_state)
 */
static bool vcpu_abort_x86_set_mpstate(const struct pt_regs *regs,
				       struct vcpu_abort_call *call)
{
	const struct kvm_mp_state *mp_state =
		(void *)vcpu_abort_hook_arg(regs, 1);

	/* A kernel copy, made by kvm_vcpu_ioctl(). */
	if (mp_state->mp_state != KVM_MP_STATE_INIT_RECEIVED &&
	    mp_state->mp_state != KVM_MP_STATE_UNINITIALIZED)
		return false;
	call->vcpu = (void *)vcpu_abort_hook_arg(regs, 0);
	call->trigger = VCPU_ABORT_TRIGGER_SET_MP_STATE;
	call->reset = true;
	return true;
}

const struct vcpu_abort_hook vcpu_abort_arch_hooks[] = {
	{
		.symbol		= "__set_regs",
		.enter		= vcpu_abort_x86_set_regs,
		.policies	= VCPU_ABORT_HOOK_POLICIES,
		.trigger	= VCPU_ABORT_TRIGGER_SET_REGS,
	},
	{
		.symbol		= "__set_sregs",
		.enter		= vcpu_abort_x86_set_sregs,
		.flags		= VCPU_ABORT_HOOK_STATUS,
		.policies	= VCPU_ABORT_HOOK_POLICIES,
		.trigger	= VCPU_ABORT_TRIGGER_SET_SREGS,
	},
	{
		.symbol		= "kvm_arch_vcpu_ioctl_set_mpstate",
		.enter		= vcpu_abort_x86_set_mpstate,
		.flags		= VCPU_ABORT_HOOK_STATUS,
		.policies	= VCPU_ABORT_HOOK_POLICIES,
		.trigger	= VCPU_ABORT_TRIGGER_SET_MP_STATE,
	},
};

const unsigned int vcpu_abort_arch_nr_hooks = ARRAY_SIZE(vcpu_abort_arch_hooks);
