// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort on powerpc: where userspace writes registers.
 *
 * Book3S has no reset ioctl: QEMU and kvmtool reset a vCPU by writing
 * its registers with KVM_SET_REGS (PC, GPRs: r3 is the device-tree
 * pointer), KVM_SET_SREGS and KVM_SET_ONE_REG, which end in these three
 * functions of kvm.ko. Only KVM_SET_REGS can move the PC.
 *
 * All three are decided on entry (VCPU_ABORT_HOOK_ON_ENTRY): KVM_SET_REGS
 * cannot fail on Book3S and its argument holds the new PC and MSR (the
 * cost: with policy always, a KVM_SET_SREGS or KVM_SET_ONE_REG that then
 * fails has already discarded). They are ftrace callbacks, which see the
 * argument registers only (compat.h says why that matters here), and
 * kprobes only where ftrace cannot hook the function.
 *
 * Every kprobe of the module sits on the first instruction after the
 * function's ftrace call site, never on the site itself, where kprobes
 * would put it (vcpu_abort_arch_place_entry_probe()). A kprobe on the
 * site is called through ftrace_regs_caller, which saves all GPRs and
 * restores them when the handler returns, r13 (the paca: this CPU's
 * data, the stack-protector canary among it) included. On a preemptible
 * kernel (Debian's 7.2 ppc64el is PREEMPT_LAZY) the task can be
 * preempted in there and resumed on another CPU, and then runs on with
 * the first CPU's paca: "stack-protector: Kernel stack is corrupted in:
 * kvm_vcpu_ioctl" within a second of KVM_SET_REGS in a loop whose thread
 * is moved between two CPUs, with the kernel's own kprobe_events on
 * kvm_arch_vcpu_ioctl_set_regs and no vcpu_abort at all. A probe past
 * the site traps instead; the interrupt return to the kernel does not
 * restore r13. Nothing before it in the function touches the argument
 * registers: ahead of the site there is only the global entry's TOC setup
 * (and mflr r0 with -mprofile-kernel).
 *
 * A position is the PC, arch.regs.nip (what kvmppc_get_pc() returns for
 * HV and PR KVM), and the MSR bits that make the same PC another
 * instruction stream, or its access another one. Both are read directly:
 * KVM's accessors reload nested-v2 state from the parent hypervisor (with
 * helpers KVM exports to its own modules only), and nested-v2 vCPUs are
 * refused anyway (arch/powerpc/pending.c).
 *
 * Which hook each policy needs: only KVM_SET_REGS writes the PC and the
 * MSR, so policy reset needs kvm_arch_vcpu_ioctl_set_regs() alone.
 * KVM_SET_SREGS (PVR, SDR1, SLB, segment registers) and KVM_SET_ONE_REG
 * (SPRs, FP/VSX/VMX, TM checkpointed state, LPCR: no ONE_REG id names the
 * PC or the MSR) never move the vCPU and matter to policy always only.
 */
#include <linux/kprobes.h>
#include <linux/kvm_host.h>
#include <linux/ptrace.h>
#include <asm/kvm_ppc.h>

#include "../../vcpu_abort.h"

/*
 * A kprobe with a post handler is never optimized into a jump to a detour
 * buffer, whose template restores r13 as ftrace_regs_caller does.
 */
static __vcpu_abort_hot void vcpu_abort_ppc_no_detour(struct kprobe *kp, struct pt_regs *regs,
						      unsigned long flags)
{
}

int vcpu_abort_arch_place_entry_probe(struct kprobe *kp, const char *symbol)
{
	/*
	 * Registered disabled, never armed: only asks kprobes where it goes,
	 * which is the local entry point (calls from within kvm.ko skip the
	 * global one) or the ftrace site after it.
	 */
	struct kprobe site = {
		.symbol_name = symbol,
		.flags = KPROBE_FLAG_DISABLED,
	};
	kprobe_opcode_t *where;
	bool on_ftrace;
	int ret;

	ret = register_kprobe(&site);
	if (ret)
		return ret;
	where = site.addr;
	on_ftrace = site.flags & KPROBE_FLAG_FTRACE;
	unregister_kprobe(&site);

	/* One instruction on: a trap, and still before the prologue. */
	kp->addr = on_ftrace ? where + 1 : where;
	kp->post_handler = vcpu_abort_ppc_no_detour;
	return 0;
}

/*
 * MSR bits that make the same address another instruction stream: 64-bit
 * mode, secure memory (ultravisor), problem state, relocation, endianness.
 */
#define VCPU_ABORT_PPC_MODE_MSR \
	(MSR_SF | MSR_S | MSR_PR | MSR_IR | MSR_DR | MSR_LE)

/*
 * What kvmppc_get_msr() reads, without the 7.x reload of the nested-v2
 * cache (nested-v2 vCPUs are refused, vcpu_abort_arch_check()).
 */
static __vcpu_abort_hot u64 vcpu_abort_ppc_msr(struct kvm_vcpu *vcpu)
{
	u64 msr = vcpu->arch.shared->msr;

	if (kvmppc_shared_big_endian(vcpu))
		return be64_to_cpu((__force __be64)msr);
	return le64_to_cpu((__force __le64)msr);
}

__vcpu_abort_hot bool vcpu_abort_arch_position(struct kvm_vcpu *vcpu,
					       struct vcpu_abort_position *pos)
{
	pos->pc = vcpu->arch.regs.nip;
	pos->mode = vcpu_abort_ppc_msr(vcpu) & VCPU_ABORT_PPC_MODE_MSR;
	return true;
}

/*
 * int kvm_arch_vcpu_ioctl_set_regs(struct kvm_vcpu *vcpu,
 *				    struct kvm_regs *regs)
 */
static __vcpu_abort_hot bool vcpu_abort_ppc_set_regs(const struct vcpu_abort_hook_args *args,
						     struct vcpu_abort_call *call)
{
	/* A kernel copy, made by kvm_vcpu_ioctl(). */
	const struct kvm_regs *kvm_regs = (void *)args->arg[1];

	call->vcpu = (void *)args->arg[0];
	call->trigger = VCPU_ABORT_TRIGGER_SET_REGS;
	/*
	 * As the call will leave them: kvmppc_set_pc() stores the PC as
	 * given, kvmppc_set_msr_hv() the MSR (it fixes up the TM bits only).
	 */
	call->after.pc = kvm_regs->pc;
	call->after.mode = kvm_regs->msr & VCPU_ABORT_PPC_MODE_MSR;
	call->after_known = true;
	return true;
}

/*
 * int kvm_arch_vcpu_ioctl_set_sregs(struct kvm_vcpu *vcpu,
 *				     struct kvm_sregs *sregs)
 */
static __vcpu_abort_hot bool vcpu_abort_ppc_set_sregs(const struct vcpu_abort_hook_args *args,
						      struct vcpu_abort_call *call)
{
	call->vcpu = (void *)args->arg[0];
	call->trigger = VCPU_ABORT_TRIGGER_SET_SREGS;
	/* The segment registers move neither the PC nor the MSR. */
	call->after_known = vcpu_abort_arch_position(call->vcpu, &call->after);
	return true;
}

/*
 * int kvm_vcpu_ioctl_set_one_reg(struct kvm_vcpu *vcpu,
 *				  struct kvm_one_reg *reg)
 */
static __vcpu_abort_hot bool vcpu_abort_ppc_set_one_reg(const struct vcpu_abort_hook_args *args,
							struct vcpu_abort_call *call)
{
	call->vcpu = (void *)args->arg[0];
	call->trigger = VCPU_ABORT_TRIGGER_SET_ONE_REG;
	/* No ONE_REG id names the PC or the MSR on powerpc. */
	call->after_known = vcpu_abort_arch_position(call->vcpu, &call->after);
	return true;
}

const struct vcpu_abort_hook vcpu_abort_arch_hooks[] = {
	{
		.symbol		= "kvm_arch_vcpu_ioctl_set_regs",
		.enter		= vcpu_abort_ppc_set_regs,
		.flags		= VCPU_ABORT_HOOK_ON_ENTRY,
		.policies	= VCPU_ABORT_HOOK_POLICIES,
		.trigger	= VCPU_ABORT_TRIGGER_SET_REGS,
	},
	{
		.symbol		= "kvm_arch_vcpu_ioctl_set_sregs",
		.enter		= vcpu_abort_ppc_set_sregs,
		.flags		= VCPU_ABORT_HOOK_ON_ENTRY,
		.policies	= BIT(VCPU_ABORT_POLICY_ALWAYS),
		.trigger	= VCPU_ABORT_TRIGGER_SET_SREGS,
	},
	{
		.symbol		= "kvm_vcpu_ioctl_set_one_reg",
		.enter		= vcpu_abort_ppc_set_one_reg,
		.flags		= VCPU_ABORT_HOOK_ON_ENTRY,
		.policies	= BIT(VCPU_ABORT_POLICY_ALWAYS),
		.trigger	= VCPU_ABORT_TRIGGER_SET_ONE_REG,
	},
};

const unsigned int vcpu_abort_arch_nr_hooks = ARRAY_SIZE(vcpu_abort_arch_hooks);
