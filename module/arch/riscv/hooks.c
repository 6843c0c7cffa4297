// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort on riscv: where userspace writes registers or resets a vCPU.
 *
 * riscv has no KVM_SET_REGS: every register write, the PC (sepc) and the
 * privilege mode included, is a KVM_SET_ONE_REG, which
 * kvm_arch_vcpu_ioctl() hands to kvm_riscv_vcpu_set_reg(). Since 6.16 a
 * VMM that enabled KVM_CAP_RISCV_MP_STATE_RESET resets a vCPU with
 * KVM_SET_MP_STATE to INIT_RECEIVED, which kvm_arch_vcpu_ioctl_set_mpstate()
 * does with kvm_riscv_reset_vcpu(); the other states only start or stop
 * the vCPU. Both functions are called from vCPU ioctls only, never from
 * inside KVM_RUN.
 *
 * kvm_riscv_reset_vcpu() itself is not hooked: it is static, and its other
 * callers are vCPU creation (nothing pending) and the KVM_REQ_VCPU_RESET
 * of an SBI HSM hart start or system suspend, which KVM_RUN handles after
 * it made the completion (nothing pending either).
 *
 * Both hooks are decided on entry (VCPU_ABORT_HOOK_ON_ENTRY), by ftrace
 * callbacks: Debian's riscv kernels have no KPROBES_ON_FTRACE, and kprobes
 * refuse a function's ftrace site, which on 6.12 is where a kretprobe must
 * go (its first 8 bytes). Where ftrace cannot hook the function, a plain
 * kprobe goes past the site (vcpu_abort_arch_place_entry_probe()). On
 * entry the arguments say everything the decision needs: the register id
 * and the value KVM is about to copy in, or the mp_state. The cost: with
 * policy always, a KVM_SET_ONE_REG that then fails (an unknown register)
 * has already discarded.
 *
 * The PC of a vCPU outside KVM_RUN is its saved sepc; its privilege mode
 * (S or U) is sstatus.SPP in the same saved context.
 */
#include <linux/kprobes.h>
#include <linux/kvm_host.h>
#include <linux/ptrace.h>

#include "../../compat.h"
#include "../../vcpu_abort.h"

/*
 * A kprobe on the function if kprobes take it (7.x, where the function
 * starts with the auipc of its ftrace call, which kprobes simulate, and
 * the site is the jalr after it), else right after the ftrace site (6.12:
 * its first VCPU_ABORT_FTRACE_SITE_SIZE bytes, nops that touch no
 * argument register). @symbol is module-qualified ("kvm:<function>").
 */
int vcpu_abort_arch_place_entry_probe(struct kprobe *kp, const char *symbol)
{
	/* Registered disabled, never armed: only asks kprobes. */
	struct kprobe site = {
		.symbol_name = symbol,
		.flags = KPROBE_FLAG_DISABLED,
	};
	int ret;

	ret = register_kprobe(&site);
	if (ret == -EINVAL && VCPU_ABORT_FTRACE_SITE_SIZE) {
		site = (struct kprobe) {
			.symbol_name = symbol,
			.offset = VCPU_ABORT_FTRACE_SITE_SIZE,
			.flags = KPROBE_FLAG_DISABLED,
		};
		ret = register_kprobe(&site);
	}
	if (ret)
		return ret;
	unregister_kprobe(&site);

	kp->symbol_name = symbol;
	kp->offset = site.offset;
	return 0;
}

__vcpu_abort_hot bool vcpu_abort_arch_position(struct kvm_vcpu *vcpu,
					       struct vcpu_abort_position *pos)
{
	pos->pc = vcpu->arch.guest_context.sepc;
	pos->mode = vcpu->arch.guest_context.sstatus & SR_SPP;
	return true;
}

/*
 * int kvm_riscv_vcpu_set_reg(struct kvm_vcpu *vcpu,
 *			      const struct kvm_one_reg *reg)
 *
 * Only the core registers pc and mode move the vCPU, as
 * kvm_riscv_vcpu_set_reg_core() writes them; calls it refuses before it
 * writes anything (a wrong size, no such register) are of no interest.
 */
static __vcpu_abort_hot bool vcpu_abort_riscv_set_one_reg(const struct vcpu_abort_hook_args *args,
							  struct vcpu_abort_call *call)
{
	/* A kernel copy, made by kvm_arch_vcpu_ioctl(). */
	const struct kvm_one_reg *reg = (void *)args->arg[1];
	struct kvm_vcpu *vcpu = (void *)args->arg[0];
	unsigned long reg_num;
	u64 val;
	int ret;

	call->vcpu = vcpu;
	call->trigger = VCPU_ABORT_TRIGGER_SET_ONE_REG;
	call->after_known = vcpu_abort_arch_position(vcpu, &call->after);
	if ((reg->id & KVM_REG_RISCV_TYPE_MASK) != KVM_REG_RISCV_CORE)
		return true;

	reg_num = reg->id & ~(KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK |
			      KVM_REG_RISCV_CORE);
	if (KVM_REG_SIZE(reg->id) != sizeof(unsigned long) ||
	    reg_num >= sizeof(struct kvm_riscv_core) / sizeof(unsigned long))
		return false;
	if (reg_num != KVM_REG_RISCV_CORE_REG(regs.pc) &&
	    reg_num != KVM_REG_RISCV_CORE_REG(mode))
		return true;

	/* The value KVM copies in next, if there is anything to decide. */
	ret = vcpu_abort_hook_user_value(call, reg->addr, &val);
	if (ret)
		return ret != -ENODATA;
	if (reg_num == KVM_REG_RISCV_CORE_REG(regs.pc))
		call->after.pc = val;
	else
		call->after.mode = val == KVM_RISCV_MODE_S ? SR_SPP : 0;
	return true;
}

#if VCPU_ABORT_HAVE_RISCV_MP_STATE_RESET
/*
 * int kvm_arch_vcpu_ioctl_set_mpstate(struct kvm_vcpu *vcpu,
 *				       struct kvm_mp_state *mp_state)
 *
 * INIT_RECEIVED resets the vCPU if the VM enabled the capability, and
 * fails with EINVAL (nothing happens) otherwise.
 */
static __vcpu_abort_hot bool vcpu_abort_riscv_set_mp_state(const struct vcpu_abort_hook_args *args,
							   struct vcpu_abort_call *call)
{
	/* A kernel copy, made by kvm_vcpu_ioctl(). */
	const struct kvm_mp_state *mp_state =
		(void *)args->arg[1];
	struct kvm_vcpu *vcpu = (void *)args->arg[0];

	if (mp_state->mp_state != KVM_MP_STATE_INIT_RECEIVED ||
	    !READ_ONCE(vcpu->kvm->arch.mp_state_reset))
		return false;
	call->vcpu = vcpu;
	call->trigger = VCPU_ABORT_TRIGGER_SET_MP_STATE;
	call->reset = true;
	return true;
}
#endif

const struct vcpu_abort_hook vcpu_abort_arch_hooks[] = {
	{
		.symbol		= "kvm_riscv_vcpu_set_reg",
		.enter		= vcpu_abort_riscv_set_one_reg,
		.flags		= VCPU_ABORT_HOOK_ON_ENTRY,
		.policies	= VCPU_ABORT_HOOK_POLICIES,
		.trigger	= VCPU_ABORT_TRIGGER_SET_ONE_REG,
	},
#if VCPU_ABORT_HAVE_RISCV_MP_STATE_RESET
	{
		.symbol		= "kvm_arch_vcpu_ioctl_set_mpstate",
		.enter		= vcpu_abort_riscv_set_mp_state,
		.flags		= VCPU_ABORT_HOOK_ON_ENTRY,
		.policies	= VCPU_ABORT_HOOK_POLICIES,
		.trigger	= VCPU_ABORT_TRIGGER_SET_MP_STATE,
	},
#endif
};

const unsigned int vcpu_abort_arch_nr_hooks = ARRAY_SIZE(vcpu_abort_arch_hooks);
