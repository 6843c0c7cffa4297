// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort on arm64: where userspace writes registers or resets a vCPU.
 *
 * Every ioctl that can move a vCPU's PC or change its mode ends in one of
 * the two functions below (6.1, 6.12, 7.2; KVM is built into vmlinux, and
 * both are global functions, out of line):
 *
 * - kvm_arm_set_reg(): KVM_SET_ONE_REG. arm64 has no KVM_SET_REGS; the
 *   PC, PSTATE (mode: EL0t/EL1t/EL1h, the AArch32 modes, 7.x EL2t/EL2h
 *   with nested virt), the GPRs and every system register are written one
 *   by one through it.
 * - kvm_reset_vcpu(): KVM_ARM_VCPU_INIT of an initialised vCPU (6.1
 *   through kvm_vcpu_set_target(), 6.12 and 7.2 directly), and the reset a
 *   PSCI CPU_ON owes a vCPU, which KVM performs in the next
 *   KVM_{GET,SET}_ONE_REG of that vCPU (then a completion may be pending)
 *   or in KVM_RUN after the completion was made (then none is).
 *
 * The other vCPU ioctls write no PC, PSTATE or GPR: KVM_SET_MP_STATE,
 * KVM_ARM_VCPU_FINALIZE, KVM_SET_DEVICE_ATTR, KVM_SET_GUEST_DEBUG. The one
 * that does, KVM_SET_VCPU_EVENTS, injects an exception that replaces the
 * pending access, and KVM then skips the completion by itself
 * (arch/arm64/pending.c says when): nothing is pending for a hook to see.
 *
 * A position is the PC and the bits of PSTATE that select the instruction
 * stream: M[4:0] (nRW and the exception level, with its stack pointer)
 * and, in AArch32, T (Thumb). A KVM_SET_ONE_REG of PSTATE that changes
 * them moves the vCPU as a PC write does, even when the VMM writes the PC
 * back unchanged afterwards: policy reset discards on it.
 */
#include <linux/kvm_host.h>
#include <linux/ptrace.h>
#include <asm/kvm_emulate.h>

#include "../../compat.h"
#include "../../vcpu_abort.h"

#define VCPU_ABORT_ARM64_MODE	(PSR_MODE32_BIT | PSR_MODE_MASK)

bool vcpu_abort_arch_position(struct kvm_vcpu *vcpu,
			      struct vcpu_abort_position *pos)
{
	u64 pstate = *vcpu_cpsr(vcpu);

	pos->pc = *vcpu_pc(vcpu);
	pos->mode = pstate & VCPU_ABORT_ARM64_MODE;
	if (pstate & PSR_MODE32_BIT)
		pos->mode |= pstate & PSR_AA32_T_BIT;
	return true;
}

/* int kvm_arm_set_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg) */
static bool vcpu_abort_arm64_set_one_reg(const struct vcpu_abort_hook_args *args,
					 struct vcpu_abort_call *call)
{
	call->vcpu = (struct kvm_vcpu *)args->arg[0];
	call->trigger = VCPU_ABORT_TRIGGER_SET_ONE_REG;
	return true;
}

/* kvm_reset_vcpu(struct kvm_vcpu *vcpu): int until 6.6, void since */
static bool vcpu_abort_arm64_reset(const struct vcpu_abort_hook_args *args,
				   struct vcpu_abort_call *call)
{
	call->vcpu = (struct kvm_vcpu *)args->arg[0];
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
		.flags		= VCPU_ABORT_ARM64_RESET_RETURNS_STATUS ?
				  VCPU_ABORT_HOOK_STATUS : 0,
		.policies	= VCPU_ABORT_HOOK_POLICIES,
		.trigger	= VCPU_ABORT_TRIGGER_VCPU_INIT,
	},
};

const unsigned int vcpu_abort_arch_nr_hooks = ARRAY_SIZE(vcpu_abort_arch_hooks);
