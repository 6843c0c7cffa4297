// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort on arm64: where userspace writes registers or resets a vCPU.
 *
 * arm64 has no KVM_SET_REGS: every register write is a KVM_SET_ONE_REG,
 * which kvm_arch_vcpu_ioctl() hands to kvm_arm_set_reg(). A reset is a
 * KVM_ARM_VCPU_INIT of an initialised vCPU; KVM_ARM_VCPU_INIT always ends
 * in kvm_reset_vcpu(), a first init included (nothing is pending then).
 * kvm_reset_vcpu() also runs inside KVM_RUN for a PSCI CPU_ON, after the
 * completion was made: nothing is pending then either.
 *
 * The PC of a vCPU outside KVM_RUN is in its saved context, and so is
 * PSTATE, whose mode field (and nRW, AArch32) says which instruction
 * stream the PC is in.
 */
#include <linux/kvm_host.h>
#include <linux/ptrace.h>
#include <asm/kvm_emulate.h>

#include "../../vcpu_abort.h"

bool vcpu_abort_arch_position(struct kvm_vcpu *vcpu,
			      struct vcpu_abort_position *pos)
{
	pos->pc = *vcpu_pc(vcpu);
	pos->mode = *vcpu_cpsr(vcpu) & (PSR_MODE_MASK | PSR_MODE32_BIT);
	return true;
}

/* int kvm_arm_set_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg) */
static bool vcpu_abort_arm64_set_one_reg(const struct pt_regs *regs,
					 struct vcpu_abort_call *call)
{
	call->vcpu = (void *)vcpu_abort_hook_arg(regs, 0);
	call->trigger = VCPU_ABORT_TRIGGER_SET_ONE_REG;
	return true;
}

/* kvm_reset_vcpu(struct kvm_vcpu *vcpu): int until 6.6, void since */
static bool vcpu_abort_arm64_reset(const struct pt_regs *regs,
				   struct vcpu_abort_call *call)
{
	call->vcpu = (void *)vcpu_abort_hook_arg(regs, 0);
	call->trigger = VCPU_ABORT_TRIGGER_VCPU_INIT;
	call->reset = true;
	return true;
}

const struct vcpu_abort_hook vcpu_abort_arch_hooks[] = {
	{
		.symbol		= "kvm_arm_set_reg",
		.enter		= vcpu_abort_arm64_set_one_reg,
		.flags		= VCPU_ABORT_HOOK_STATUS,
		.policies	= VCPU_ABORT_HOOK_POLICIES,
		.trigger	= VCPU_ABORT_TRIGGER_SET_ONE_REG,
	},
	{
		.symbol		= "kvm_reset_vcpu",
		.enter		= vcpu_abort_arm64_reset,
		/* Asked of the prototype, not of the kernel version. */
		.flags		= __same_type(kvm_reset_vcpu(NULL), void) ?
				  0 : VCPU_ABORT_HOOK_STATUS,
		.policies	= VCPU_ABORT_HOOK_POLICIES,
		.trigger	= VCPU_ABORT_TRIGGER_VCPU_INIT,
	},
};

const unsigned int vcpu_abort_arch_nr_hooks = ARRAY_SIZE(vcpu_abort_arch_hooks);
