// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort on powerpc: where userspace writes registers.
 *
 * Book3S has no reset ioctl: QEMU and kvmtool reset a vCPU by writing
 * its registers with KVM_SET_REGS (PC, GPRs: r3 is the device-tree
 * pointer), KVM_SET_SREGS and KVM_SET_ONE_REG, which end in these three
 * functions of kvm.ko. Only KVM_SET_REGS can move the PC.
 *
 * All three are decided on entry, with plain kprobes: KVM_SET_REGS cannot
 * fail on Book3S and its argument holds the new PC (the cost: with policy
 * always, a KVM_SET_SREGS or KVM_SET_ONE_REG that then fails has already
 * discarded).
 *
 * Not set by default (module parameter policy_hooks=1 sets them): under
 * the stress selftest on Debian's 7.2 ppc64le kernel, nested under QEMU
 * TCG, about one run in five ended in a stack-protector panic in
 * try_to_wake_up with these probes set, kretprobes or kprobes alike, and
 * none in 18 runs without them. Not understood yet; until it is, powerpc
 * gets explicit aborts only.
 *
 * The PC of a vCPU outside KVM_RUN is arch.regs.nip, which is what
 * kvmppc_get_pc() returns for HV and PR KVM. Under the nested-v2 PAPR API
 * (a KVM guest of PowerVM) KVM caches it elsewhere; not supported here.
 */
#include <linux/kvm_host.h>
#include <linux/ptrace.h>

#include "../../vcpu_abort.h"

unsigned long vcpu_abort_arch_arg(const struct pt_regs *regs, unsigned int n)
{
	/* ELF ABI: integer arguments in r3 to r10. */
	return n < 8 ? regs->gpr[3 + n] : 0;
}

bool vcpu_abort_arch_pc(struct kvm_vcpu *vcpu, u64 *pc)
{
	*pc = vcpu->arch.regs.nip;
	return true;
}

/*
 * int kvm_arch_vcpu_ioctl_set_regs(struct kvm_vcpu *vcpu,
 *				    struct kvm_regs *regs)
 */
static bool vcpu_abort_ppc_set_regs(const struct pt_regs *regs,
				    struct vcpu_abort_call *call)
{
	/* A kernel copy, made by kvm_vcpu_ioctl(). */
	const struct kvm_regs *kvm_regs = (void *)vcpu_abort_arch_arg(regs, 1);

	call->vcpu = (void *)vcpu_abort_arch_arg(regs, 0);
	call->trigger = VCPU_ABORT_TRIGGER_SET_REGS;
	call->new_pc = kvm_regs->pc;
	call->new_pc_known = true;
	return true;
}

/*
 * int kvm_arch_vcpu_ioctl_set_sregs(struct kvm_vcpu *vcpu,
 *				     struct kvm_sregs *sregs)
 */
static bool vcpu_abort_ppc_set_sregs(const struct pt_regs *regs,
				     struct vcpu_abort_call *call)
{
	call->vcpu = (void *)vcpu_abort_arch_arg(regs, 0);
	call->trigger = VCPU_ABORT_TRIGGER_SET_SREGS;
	/* The segment registers do not move the PC. */
	call->new_pc = call->vcpu->arch.regs.nip;
	call->new_pc_known = true;
	return true;
}

/*
 * int kvm_vcpu_ioctl_set_one_reg(struct kvm_vcpu *vcpu,
 *				  struct kvm_one_reg *reg)
 */
static bool vcpu_abort_ppc_set_one_reg(const struct pt_regs *regs,
				       struct vcpu_abort_call *call)
{
	call->vcpu = (void *)vcpu_abort_arch_arg(regs, 0);
	call->trigger = VCPU_ABORT_TRIGGER_SET_ONE_REG;
	/* No ONE_REG id names the PC on powerpc. */
	call->new_pc = call->vcpu->arch.regs.nip;
	call->new_pc_known = true;
	return true;
}

const struct vcpu_abort_hook vcpu_abort_arch_hooks[] = {
	{ "kvm_arch_vcpu_ioctl_set_regs", vcpu_abort_ppc_set_regs,
	  .on_entry = true },
	{ "kvm_arch_vcpu_ioctl_set_sregs", vcpu_abort_ppc_set_sregs,
	  .on_entry = true },
	{ "kvm_vcpu_ioctl_set_one_reg", vcpu_abort_ppc_set_one_reg,
	  .on_entry = true },
};

const unsigned int vcpu_abort_arch_nr_hooks = ARRAY_SIZE(vcpu_abort_arch_hooks);

/* Off unless policy_hooks=1: see the panic described at the top. */
const bool vcpu_abort_arch_hooks_default;
