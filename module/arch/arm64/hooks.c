// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort on arm64: where userspace writes registers or resets a vCPU.
 *
 * Every ioctl that can move a vCPU's PC or change its mode ends in one of
 * the two functions below (6.1, 6.12, 7.2; KVM is built into vmlinux, and
 * both are global functions, out of line):
 *
 * - kvm_arm_set_reg(): KVM_SET_ONE_REG. arm64 has no KVM_SET_REGS; the
 *   PC, PSTATE (mode: EL0t/EL1t/EL1h, the AArch32 modes, EL2t/EL2h with
 *   nested virt), the GPRs and every system register are written one by
 *   one through it, from a kernel copy of struct kvm_one_reg that
 *   kvm_arch_vcpu_ioctl() made.
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
 *
 * KVM_SET_ONE_REG is decided on entry (VCPU_ABORT_HOOK_ON_ENTRY), by an
 * ftrace callback: a kretprobe costs two BRK exceptions and a single-step
 * on every register write of every VM, most of a write's cost under
 * policy reset (Documentation/bench.rst). Only set_core_reg() of regs.pc
 * or regs.pstate moves the vCPU, and the arguments say what it will
 * write. Its checks are repeated here (6.1, 6.12 and 7.2 make the same
 * ones), so a PC or PSTATE write that KVM refuses discards nothing:
 * kvm_arm_set_reg()'s register id test, core_reg_addr()'s size, and
 * PSTATE's mode. What entry cannot know costs this much: a value that
 * cannot be read now (copy_from_user_nofault() fails on a page that is
 * not present) counts as a move, and with policy always, any other
 * register write KVM then refuses has already discarded. Where 32-bit EL0
 * is allowed on mismatched CPUs (the kernel parameter
 * allow_mismatched_32bit_el0), KVM refuses an AArch32 user mode this
 * hook takes: the static key that says so is not exported.
 *
 * kvm_reset_vcpu() stays a kretprobe: a reset is rare, 6.1's can fail,
 * and the reset state it leaves is what the decision reads.
 */
#include <linux/kvm_host.h>
#include <linux/ptrace.h>
#include <asm/cpufeature.h>
#include <asm/kvm_emulate.h>

#include "../../compat.h"
#include "../../vcpu_abort.h"

#define VCPU_ABORT_ARM64_MODE	(PSR_MODE32_BIT | PSR_MODE_MASK)

/*
 * Where a vCPU at @pc with @pstate is after set_core_reg(): in AArch32 it
 * narrows the PC to 32 bits after every write.
 */
static __vcpu_abort_hot void vcpu_abort_arm64_position_of(u64 pc, u64 pstate,
							  struct vcpu_abort_position *pos)
{
	pos->pc = pstate & PSR_MODE32_BIT ? lower_32_bits(pc) : pc;
	pos->mode = pstate & VCPU_ABORT_ARM64_MODE;
	if (pstate & PSR_MODE32_BIT)
		pos->mode |= pstate & PSR_AA32_T_BIT;
}

__vcpu_abort_hot bool vcpu_abort_arch_position(struct kvm_vcpu *vcpu,
					       struct vcpu_abort_position *pos)
{
	vcpu_abort_arm64_position_of(*vcpu_pc(vcpu), *vcpu_cpsr(vcpu), pos);
	return true;
}

/*
 * set_core_reg()'s test of a new PSTATE: whether KVM takes @pstate for
 * @vcpu. KVM asks kvm_supports_32bit_el0() for the AArch32 user mode; the
 * sanitised ID register it starts from is what is exported of it.
 */
static __vcpu_abort_hot bool vcpu_abort_arm64_mode_accepted(struct kvm_vcpu *vcpu, u64 pstate)
{
	u64 pfr0;

	switch (pstate & PSR_AA32_MODE_MASK) {
	case PSR_AA32_MODE_USR:
		pfr0 = read_sanitised_ftr_reg(SYS_ID_AA64PFR0_EL1);
		return id_aa64pfr0_32bit_el0(pfr0);
	case PSR_AA32_MODE_FIQ:
	case PSR_AA32_MODE_IRQ:
	case PSR_AA32_MODE_SVC:
	case PSR_AA32_MODE_ABT:
	case PSR_AA32_MODE_UND:
	case PSR_AA32_MODE_SYS:
		return vcpu_el1_is_32bit(vcpu);
	case PSR_MODE_EL2h:
	case PSR_MODE_EL2t:
		if (!vcpu_abort_arm64_el2_modes(vcpu))
			return false;
		fallthrough;
	case PSR_MODE_EL0t:
	case PSR_MODE_EL1t:
	case PSR_MODE_EL1h:
		return !vcpu_el1_is_32bit(vcpu);
	default:
		return false;
	}
}

/* int kvm_arm_set_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg) */
static __vcpu_abort_hot bool vcpu_abort_arm64_set_one_reg(const struct vcpu_abort_hook_args *args,
							  struct vcpu_abort_call *call)
{
	const struct kvm_one_reg *reg = (void *)args->arg[1];
	struct kvm_vcpu *vcpu = (void *)args->arg[0];
	u64 off, val, pstate = *vcpu_cpsr(vcpu);
	int ret;

	/* kvm_arm_set_reg()'s first test, before it writes anything. */
	if ((reg->id & ~KVM_REG_SIZE_MASK) >> 32 != KVM_REG_ARM64 >> 32)
		return false;

	call->vcpu = vcpu;
	call->trigger = VCPU_ABORT_TRIGGER_SET_ONE_REG;
	call->after_known = vcpu_abort_arch_position(vcpu, &call->after);
	if ((reg->id & KVM_REG_ARM_COPROC_MASK) != KVM_REG_ARM_CORE)
		return true;
	/* core_reg_offset_from_id(): an index into struct kvm_regs. */
	off = reg->id & ~(KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK |
			  KVM_REG_ARM_CORE);
	if (off != KVM_REG_ARM_CORE_REG(regs.pc) &&
	    off != KVM_REG_ARM_CORE_REG(regs.pstate))
		return true;
	/* core_reg_addr(): exactly the register's size, else EINVAL. */
	if (KVM_REG_SIZE(reg->id) != sizeof(u64))
		return false;

	/* The value KVM copies in next, if there is anything to decide. */
	ret = vcpu_abort_hook_user_value(call, reg->addr, &val);
	if (ret)
		return ret != -ENODATA;
	if (off == KVM_REG_ARM_CORE_REG(regs.pc)) {
		vcpu_abort_arm64_position_of(val, pstate, &call->after);
		return true;
	}
	if (!vcpu_abort_arm64_mode_accepted(vcpu, val))
		return false;
	vcpu_abort_arm64_position_of(*vcpu_pc(vcpu), val, &call->after);
	return true;
}

/* kvm_reset_vcpu(struct kvm_vcpu *vcpu): int until 6.6, void since */
static __vcpu_abort_hot bool vcpu_abort_arm64_reset(const struct vcpu_abort_hook_args *args,
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
		.flags		= VCPU_ABORT_HOOK_ON_ENTRY,
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
