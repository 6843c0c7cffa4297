// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort on x86: the ioctls through which userspace moves a vCPU to
 * another instruction stream, and how the module tells that it did.
 *
 * A pending completion finishes the instruction at RIP in the mode the
 * vCPU exited in. The module reads RIP and, as the position's mode, the
 * bits that decide which instruction RIP names and how it decodes:
 * CR0.PE/PG, CR4.PSE/PAE/LA57 and EFER.LMA (paging and operating mode),
 * guest mode (L2 rather than L1) and SMM. It cannot read CS (base, L, D
 * live in the VMCS or VMCB, reachable only through KVM's vendor ops), nor
 * the emulator's own copy of RIP (struct x86_emulate_ctxt is private to
 * KVM). CR3 counts while paging is on, for KVM_SET_SREGS/SREGS2, the only
 * ways userspace writes it.
 *
 * Every way userspace writes RIP or those bits is hooked here:
 *
 *   __set_regs()			KVM_SET_REGS, sync_regs' REGS
 *   __set_sregs()			KVM_SET_SREGS, sync_regs' SREGS
 *   kvm_vcpu_ioctl_x86_set_vcpu_events()	KVM_SET_VCPU_EVENTS and
 *					sync_regs' EVENTS: SMM, and leaving
 *					guest mode with it
 *   kvm_arch_vcpu_ioctl_set_mpstate()	INIT/SIPI/UNINITIALIZED: resets
 *   kvm_arch_vcpu_ioctl()		KVM_SET_SREGS2, KVM_SET_NESTED_STATE,
 *					KVM_SET_MSRS, KVM_SET_ONE_REG
 *
 * The last one is the ioctl dispatcher, hooked by ioctl number because
 * the functions behind those ioctls are inlined (__set_sregs2() in 6.1),
 * cloned (__set_sregs_common.constprop.0 in all three kernels) or live in
 * kvm_amd/kvm_intel (svm_set_nested_state(), vmx_set_msr()).
 *
 * As long as a completion is pending, its exit position is the position
 * before each hooked call: every change is seen (and under policy reset
 * discards), so no call starts from a position other than the exit's.
 * KVM's own records of exit positions (pio.linear_rip, 7.2's
 * cui_linear_rip, xen.hypercall_rip) are linear addresses, CS.base + RIP
 * outside 64-bit mode, which the module cannot compute; KVM compares them
 * itself at KVM_RUN and drops those completions when the linear RIP moved,
 * which also covers a change of CS.base alone. That is why the decision
 * compares with the position before the call (Documentation/hooks.rst).
 */
#include <linux/kvm_host.h>
#include <linux/ptrace.h>
#include <linux/sched/task_stack.h>

#include "../../compat.h"
#include "../../vcpu_abort.h"

/* The bits of CR0, CR4 and EFER that name another instruction stream. */
#define X86_MODE_CR0		(X86_CR0_PE | X86_CR0_PG)
#define X86_MODE_CR4		(X86_CR4_PSE | X86_CR4_PAE | X86_CR4_LA57)
#define X86_MODE_EFER		EFER_LMA
/* hflags, shifted above the control register bits. */
#define X86_MODE_HFLAGS		(HF_GUEST_MASK | VCPU_ABORT_X86_HF_SMM)
#define X86_MODE_HFLAGS_SHIFT	32

/* What enter() leaves in call->scratch for leave(). */
enum {
	X86_SCRATCH_IOCTL,	/* the ioctl number, for kvm_arch_vcpu_ioctl */
	X86_SCRATCH_MODE,	/* the mode before the call */
	X86_SCRATCH_CR3,	/* CR3 before the call... */
	X86_SCRATCH_CR3_KNOWN,	/* ...if it could be read */
};

/*
 * The mode bits are KVM's own copies, always current outside KVM_RUN:
 * PE, PG, PSE, PAE and LA57 are never guest-owned (KVM intercepts every
 * write of them, or copies CR0 back on every SVM exit), EFER and hflags
 * are KVM's.
 */
static __vcpu_abort_hot u64 vcpu_abort_x86_mode(struct kvm_vcpu *vcpu)
{
	return (vcpu->arch.cr0 & X86_MODE_CR0) |
	       (vcpu->arch.cr4 & X86_MODE_CR4) |
	       (vcpu->arch.efer & X86_MODE_EFER) |
	       ((u64)(vcpu->arch.hflags & X86_MODE_HFLAGS) <<
		X86_MODE_HFLAGS_SHIFT);
}

/*
 * SVM copies RIP (and CR3 with NPT) out of the VMCB on every exit; VMX
 * reads them lazily and marks them available once read (emulation, PIO
 * and MSR exits read RIP before exiting; KVM_GET_SREGS reads CR3). The
 * cast is KVM's own, for its u32 mask (6.1, 6.12) and for its later
 * bitmap alike.
 */
static __vcpu_abort_hot bool vcpu_abort_x86_available(struct kvm_vcpu *vcpu, unsigned int reg)
{
	return test_bit(reg, (unsigned long *)&vcpu->arch.regs_avail);
}

__vcpu_abort_hot bool vcpu_abort_arch_position(struct kvm_vcpu *vcpu,
					       struct vcpu_abort_position *pos)
{
	pos->mode = vcpu_abort_x86_mode(vcpu);
	if (!vcpu_abort_x86_available(vcpu, VCPU_ABORT_X86_RIP_BIT))
		return false;
	pos->pc = vcpu_abort_x86_rip(vcpu);
	return true;
}

/* Before the call: what leave() compares with. */
static __vcpu_abort_hot void vcpu_abort_x86_save(struct vcpu_abort_call *call)
{
	struct kvm_vcpu *vcpu = call->vcpu;

	call->scratch[X86_SCRATCH_MODE] = vcpu_abort_x86_mode(vcpu);
	call->scratch[X86_SCRATCH_CR3_KNOWN] =
		vcpu_abort_x86_available(vcpu, VCPU_ABORT_X86_CR3_BIT);
	call->scratch[X86_SCRATCH_CR3] = vcpu->arch.cr3;
}

/*
 * After a call that wrote CR3 (KVM_SET_SREGS/SREGS2 mark it available):
 * with paging on, another CR3 maps RIP to other code, and a CR3 that was
 * not readable before may have been another one. Without paging CR3 does
 * not matter; if PG itself changed, the mode did.
 */
static __vcpu_abort_hot void vcpu_abort_x86_check_cr3(struct vcpu_abort_call *call)
{
	struct kvm_vcpu *vcpu = call->vcpu;

	if (!(vcpu->arch.cr0 & X86_CR0_PG) ||
	    !(call->scratch[X86_SCRATCH_MODE] & X86_CR0_PG))
		return;
	if (!call->scratch[X86_SCRATCH_CR3_KNOWN] ||
	    call->scratch[X86_SCRATCH_CR3] != vcpu->arch.cr3)
		call->reset = true;
}

/*
 * After a call that failed but may have changed state first (a nested
 * state that fails validation after vmx_leave_nested(), an MSR list that
 * fails after an EFER write, an events write that fails after SMM
 * changed): whether the vCPU is elsewhere now. The mode is always
 * readable; RIP only counts if it was readable before and after.
 */
static __vcpu_abort_hot bool vcpu_abort_x86_moved(struct vcpu_abort_call *call)
{
	struct vcpu_abort_position now;
	bool known = vcpu_abort_arch_position(call->vcpu, &now);

	if (now.mode != call->scratch[X86_SCRATCH_MODE])
		return true;
	return known && call->before_known && now.pc != call->before.pc;
}

/*
 * Decide a call that may fail after changing state: a success always, a
 * failure only if it moved the vCPU, and then as a reset.
 */
static __vcpu_abort_hot bool vcpu_abort_x86_decide(struct vcpu_abort_call *call, bool success)
{
	if (success)
		return true;
	if (!vcpu_abort_x86_moved(call))
		return false;
	call->reset = true;
	return true;
}

/*
 * static void __set_regs(struct kvm_vcpu *vcpu, struct kvm_regs *regs)
 *
 * sync_regs() passes the run page's copy (6.12 and 7.2 in
 * kvm_run_sync_regs_from_user()), KVM_SET_REGS a copy of its own.
 *
 * Decided on entry (VCPU_ABORT_HOOK_ON_ENTRY): it cannot fail, writes RIP
 * as given (kvm_rip_write()) and none of the mode's bits (GPRs, RFLAGS,
 * the pending exception), so the new position is in its argument. A VMM
 * thread that rewrites the run page's RIP while another enters KVM_RUN
 * with KVM_SYNC_X86_REGS races with KVM itself; the decision then follows
 * the RIP read here.
 */
static __vcpu_abort_hot bool vcpu_abort_x86_set_regs(const struct vcpu_abort_hook_args *args,
						     struct vcpu_abort_call *call)
{
	struct kvm_vcpu *vcpu = (void *)args->arg[0];
	const struct kvm_regs *kvm_regs = (void *)args->arg[1];

	call->vcpu = vcpu;
	call->trigger = kvm_regs == &vcpu->run->s.regs.regs ?
			VCPU_ABORT_TRIGGER_SYNC_REGS :
			VCPU_ABORT_TRIGGER_SET_REGS;
	call->after.pc = READ_ONCE(kvm_regs->rip);
	call->after.mode = vcpu_abort_x86_mode(vcpu);
	call->after_known = true;
	return true;
}

/*
 * static int __set_sregs(struct kvm_vcpu *vcpu, struct kvm_sregs *sregs)
 *
 * KVM_SET_SREGS passes a copy from memdup_user(); sync_regs() the run
 * page's copy (6.1) or a copy on its stack (6.12, 7.2). Fails before it
 * changes anything.
 */
static __vcpu_abort_hot bool vcpu_abort_x86_set_sregs(const struct vcpu_abort_hook_args *args,
						      struct vcpu_abort_call *call)
{
	struct kvm_vcpu *vcpu = (void *)args->arg[0];
	void *sregs = (void *)args->arg[1];

	call->vcpu = vcpu;
	call->trigger = sregs == &vcpu->run->s.regs.sregs ||
			object_is_on_stack(sregs) ?
			VCPU_ABORT_TRIGGER_SYNC_REGS :
			VCPU_ABORT_TRIGGER_SET_SREGS;
	vcpu_abort_x86_save(call);
	return true;
}

static __vcpu_abort_hot bool vcpu_abort_x86_set_sregs_leave(struct vcpu_abort_call *call)
{
	vcpu_abort_x86_check_cr3(call);
	return true;
}

/*
 * static int kvm_vcpu_ioctl_x86_set_vcpu_events(struct kvm_vcpu *vcpu,
 *					struct kvm_vcpu_events *events)
 *
 * Only KVM_VCPUEVENT_VALID_SMM moves the vCPU: a change of smi.smm
 * enters or leaves SMM, and leaves guest mode first. The rest (pending
 * exceptions, interrupts, NMIs, a triple fault) is delivered by KVM_RUN
 * after the completion, as for the instruction that completes. Events
 * come from a copy on the caller's stack both for the ioctl and for
 * sync_regs() in 6.12 and 7.2, so there the sync path is told by the
 * run page's KVM_SYNC_X86_EVENTS bit, which sync_regs() needs set.
 * May fail after SMM changed (a triple-fault event KVM does not accept).
 */
static __vcpu_abort_hot bool vcpu_abort_x86_set_vcpu_events(const struct vcpu_abort_hook_args *args,
							    struct vcpu_abort_call *call)
{
	struct kvm_vcpu *vcpu = (void *)args->arg[0];
	const struct kvm_vcpu_events *events =
		(void *)args->arg[1];

	if (!(events->flags & KVM_VCPUEVENT_VALID_SMM))
		return false;
	call->vcpu = vcpu;
	call->trigger = events == &vcpu->run->s.regs.events ||
			(READ_ONCE(vcpu->run->kvm_dirty_regs) &
			 KVM_SYNC_X86_EVENTS) ?
			VCPU_ABORT_TRIGGER_SYNC_REGS :
			VCPU_ABORT_TRIGGER_SET_VCPU_EVENTS;
	vcpu_abort_x86_save(call);
	return true;
}

static __vcpu_abort_hot bool vcpu_abort_x86_set_vcpu_events_leave(struct vcpu_abort_call *call)
{
	return vcpu_abort_x86_decide(call, !call->ret);
}

/*
 * int kvm_arch_vcpu_ioctl_set_mpstate(struct kvm_vcpu *vcpu,
 *				       struct kvm_mp_state *mp_state)
 *
 * KVM_RUN completes first and then acts on these states: INIT_RECEIVED
 * waits for a SIPI, which loads CS:IP and keeps every other register,
 * SIPI_RECEIVED is that SIPI already pending, UNINITIALIZED runs nothing
 * until INIT and SIPI. Either way the completion would land in a vCPU
 * that is being started over.
 */
static __vcpu_abort_hot bool vcpu_abort_x86_set_mpstate(const struct vcpu_abort_hook_args *args,
							struct vcpu_abort_call *call)
{
	const struct kvm_mp_state *mp_state =
		(void *)args->arg[1];

	/* A kernel copy, made by kvm_vcpu_ioctl(). */
	switch (mp_state->mp_state) {
	case KVM_MP_STATE_INIT_RECEIVED:
	case KVM_MP_STATE_SIPI_RECEIVED:
	case KVM_MP_STATE_UNINITIALIZED:
		break;
	default:
		return false;
	}
	call->vcpu = (void *)args->arg[0];
	call->trigger = VCPU_ABORT_TRIGGER_SET_MP_STATE;
	call->reset = true;
	return true;
}

/*
 * long kvm_arch_vcpu_ioctl(struct file *filp, unsigned int ioctl,
 *			    unsigned long arg)
 *
 * Called by kvm_vcpu_ioctl() with vcpu->mutex held, for the x86 ioctls:
 *
 * KVM_SET_SREGS2	as KVM_SET_SREGS; fails before it changes anything
 * KVM_SET_NESTED_STATE	enters or leaves guest mode (SVM: L2's registers
 *			stay, VMX: L1's are loaded); may fail after leaving
 * KVM_SET_MSRS		returns how many MSRs it wrote; host writes of
 *			MSR_IA32_FEAT_CTL = 0 (VMX) and of EFER without
 *			SVME (SVM) leave guest mode
 * KVM_SET_ONE_REG	x86 MSRs, as KVM_SET_MSRS (7.2; -EINVAL before)
 */
static __vcpu_abort_hot bool vcpu_abort_x86_vcpu_ioctl(const struct vcpu_abort_hook_args *args,
						       struct vcpu_abort_call *call)
{
	const struct file *filp = (void *)args->arg[0];
	unsigned int ioctl = args->arg[1];

	switch (ioctl) {
	case KVM_SET_SREGS2:
		call->trigger = VCPU_ABORT_TRIGGER_SET_SREGS2;
		break;
	case KVM_SET_NESTED_STATE:
		call->trigger = VCPU_ABORT_TRIGGER_SET_NESTED_STATE;
		break;
	case KVM_SET_MSRS:
		call->trigger = VCPU_ABORT_TRIGGER_SET_MSRS;
		break;
	case KVM_SET_ONE_REG:
		call->trigger = VCPU_ABORT_TRIGGER_SET_ONE_REG;
		break;
	default:
		return false;
	}
	call->vcpu = filp->private_data;
	call->scratch[X86_SCRATCH_IOCTL] = ioctl;
	vcpu_abort_x86_save(call);
	return true;
}

static __vcpu_abort_hot bool vcpu_abort_x86_vcpu_ioctl_leave(struct vcpu_abort_call *call)
{
	switch (call->scratch[X86_SCRATCH_IOCTL]) {
	case KVM_SET_SREGS2:
		if (call->ret)
			return false;
		vcpu_abort_x86_check_cr3(call);
		return true;
	case KVM_SET_MSRS:
		return vcpu_abort_x86_decide(call, call->ret > 0);
	default:
		return vcpu_abort_x86_decide(call, !call->ret);
	}
}

const struct vcpu_abort_hook vcpu_abort_arch_hooks[] = {
	{
		.symbol = "__set_regs",
		.trigger = VCPU_ABORT_TRIGGER_SET_REGS,
		.enter = vcpu_abort_x86_set_regs,
		.flags = VCPU_ABORT_HOOK_ON_ENTRY,
		.policies = VCPU_ABORT_HOOK_POLICIES,
	}, {
		.symbol = "__set_sregs",
		.trigger = VCPU_ABORT_TRIGGER_SET_SREGS,
		.enter = vcpu_abort_x86_set_sregs,
		.leave = vcpu_abort_x86_set_sregs_leave,
		.flags = VCPU_ABORT_HOOK_STATUS,
		.policies = VCPU_ABORT_HOOK_POLICIES,
	}, {
		.symbol = "kvm_vcpu_ioctl_x86_set_vcpu_events",
		.trigger = VCPU_ABORT_TRIGGER_SET_VCPU_EVENTS,
		.enter = vcpu_abort_x86_set_vcpu_events,
		.leave = vcpu_abort_x86_set_vcpu_events_leave,
		.policies = VCPU_ABORT_HOOK_POLICIES,
	}, {
		.symbol = "kvm_arch_vcpu_ioctl_set_mpstate",
		.trigger = VCPU_ABORT_TRIGGER_SET_MP_STATE,
		.enter = vcpu_abort_x86_set_mpstate,
		.flags = VCPU_ABORT_HOOK_STATUS,
		.policies = VCPU_ABORT_HOOK_POLICIES,
	}, {
		.symbol = "kvm_arch_vcpu_ioctl",
		.trigger = VCPU_ABORT_TRIGGER_SET_SREGS2,
		.enter = vcpu_abort_x86_vcpu_ioctl,
		.leave = vcpu_abort_x86_vcpu_ioctl_leave,
		.policies = VCPU_ABORT_HOOK_POLICIES,
	},
};

const unsigned int vcpu_abort_arch_nr_hooks = ARRAY_SIZE(vcpu_abort_arch_hooks);
