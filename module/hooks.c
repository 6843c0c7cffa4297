// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort auto-abort: a hook on each KVM function of
 * vcpu_abort_arch_hooks[] (the ways userspace resets a vCPU or writes its
 * registers) applies the VM's policy. A kretprobe decides when the
 * function returns; a hook with VCPU_ABORT_HOOK_ON_ENTRY (powerpc's,
 * riscv's, arm64's KVM_SET_ONE_REG, x86's KVM_SET_REGS: the arguments say
 * what the call will do) is decided when the function is entered, by an
 * ftrace callback where the kernel lets a module read the arguments there
 * (compat.h), else by a kprobe. An ftrace callback costs a call from the
 * function's ftrace site; a kprobe that is not on that site costs a trap
 * and a single-step:
 *
 *   off     nothing;
 *   reset   discard the pending completion if the call reset the vCPU or
 *           moved it elsewhere (struct vcpu_abort_position), keep it
 *           otherwise (state sync: the completion is merged into the
 *           registers just written);
 *   always  discard it.
 *
 * All of these functions run inside a vCPU ioctl, with vcpu->mutex held,
 * so the vCPU is not in KVM_RUN and the arch code may look at and change
 * the pending state as an explicit abort does. A kretprobe decides on
 * return, and only if the function succeeded: a failing ioctl leaves the
 * vCPU, and its completion, as they were. A few KVM functions can fail
 * after they moved the vCPU (x86 nested state, MSR lists, events): their
 * hooks have no VCPU_ABORT_HOOK_STATUS, and their leave() decides from
 * the return value and the state whether there is anything to decide. A
 * hook decided on entry is one on a function that cannot fail once
 * called (x86's and powerpc's KVM_SET_REGS), or whose enter() repeats the
 * checks KVM makes before it writes (arm64's KVM_SET_ONE_REG of the PC
 * and PSTATE, riscv's of the pc and mode); arch/<arch>/hooks.c says what
 * each cannot know in advance.
 *
 * The hooks are registered disarmed when the module loads, and armed only
 * while some VM, or the module default, has a policy other than off
 * (vcpu_abort_hooks_update()): with every policy off, no KVM path goes
 * through this module at all. Arming is immediate; disarming waits
 * VCPU_ABORT_DISARM_DELAY after the last policy went, so that a VMM (or a
 * test harness) creating and destroying VMs with a policy one after
 * another does not patch kernel text twice per VM.
 *
 * An entry handler may run in NMI context (arm64 takes a kprobe's BRK as a
 * debug exception, treated as an NMI): it only reads, under RCU. The
 * return handler, an entry kprobe's and the ftrace callback run in the
 * caller's context with preemption disabled: the decision, the discard
 * and the counting (vcpu_abort_vm_record()) neither sleep nor take a lock
 * a sleeper could hold.
 *
 * On unload, unregister_kretprobe() waits until no handler runs; calls
 * still inside a probed function then return without calling ours (the
 * kprobes core drops its pointer to us), so nothing dangles.
 * unregister_ftrace_function() of an ops in module memory waits for every
 * task to leave ftrace's trampolines (synchronize_rcu_tasks()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/kvm_host.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/ptrace.h>
#include <linux/slab.h>
#include <linux/trace_recursion.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "vcpu_abort.h"

/*
 * Calls that may be inside the probed functions at once; more are not
 * seen (kretprobe.nmissed), which only happens with more concurrent
 * register writes than this across all VMs.
 */
#define VCPU_ABORT_HOOK_MAXACTIVE	256

struct vcpu_abort_probe {
	struct kretprobe rp;	/* decided on return */
	struct kprobe kp;	/* or, with VCPU_ABORT_HOOK_ON_ENTRY, on entry */
	struct ftrace_ops ops;	/* or there by ftrace, where it can */
	const struct vcpu_abort_hook *hook;
	u32 state;		/* enum vcpu_abort_hook_state */
	u32 mechanism;		/* enum vcpu_abort_hook_mechanism, if READY */
	bool traced;		/* ops registered: armed (vcpu_abort_arm_lock) */
	int err;		/* -errno behind a FAILED, MISSING, CLONED */
	/* Why a policy needing it is refused: the extack message. */
	char refusal[128];
	/* What kprobes know it by: "kvm:__set_regs". */
	char symbol[VCPU_ABORT_SYMBOL_LEN];
};

/*
 * Enabling or disabling a probe rewrites KVM's text: on x86 an ftrace
 * update with its sync_core() IPIs, on arm64 a stop_machine(). Under the
 * lab's nested TCG that is about 30 ms a probe each way, 0.3 s for each
 * short-lived VM with a policy had every VM's end disarmed at once.
 * Removing an ftrace callback also waits for an RCU tasks grace period.
 */
#define VCPU_ABORT_DISARM_DELAY		HZ

static struct vcpu_abort_probe *vcpu_abort_probes;
/* Serialises arming and disarming, and guards the three below. */
static DEFINE_MUTEX(vcpu_abort_arm_lock);
static bool vcpu_abort_armed;
/* What the last vcpu_abort_hooks_update() asked for. */
static bool vcpu_abort_arm_wanted;
/* Set by vcpu_abort_hooks_exit(): no more arming, no more disarm work. */
static bool vcpu_abort_hooks_gone;

static void vcpu_abort_disarm_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(vcpu_abort_disarm_work, vcpu_abort_disarm_fn);

/* Whether to set the policy probes at all; 0 leaves explicit aborts only. */
static int policy_hooks = 1;
module_param(policy_hooks, int, 0444);
MODULE_PARM_DESC(policy_hooks,
		 "Probe KVM's register writes and resets for the auto-abort policies: 1 (default) or 0 (Documentation/hooks.rst)");

/**
 * vcpu_abort_hook_arg() - an integer argument of a probed function
 * @regs: the registers at the function's entry (a kprobe's)
 * @n: which argument, from 0
 *
 * Return: the argument, as the ABI passes it in a register.
 */
__vcpu_abort_hot unsigned long vcpu_abort_hook_arg(const struct pt_regs *regs, unsigned int n)
{
	return vcpu_abort_regs_arg((struct pt_regs *)regs, n);
}

/*
 * Whether the vCPU has a completion pending that the module may look at.
 * Only KVM_RUN leaves one behind, and every probed function runs inside
 * another vCPU ioctl, with vcpu->mutex held: a call that starts with
 * nothing pending returns with nothing pending.
 */
static __always_inline bool vcpu_abort_hook_pending(struct kvm_vcpu *vcpu)
{
	return !vcpu_abort_arch_check(vcpu) && vcpu_abort_arch_pending(vcpu);
}

/*
 * Whether @call has anything to decide: a VM whose policy is off, or a
 * vCPU with nothing pending, leaves nothing. The policy it looked up
 * stays in @call for the decision (@call->policy_known).
 */
static __always_inline bool vcpu_abort_hook_wanted(struct vcpu_abort_call *call)
{
	call->policy = vcpu_abort_vm_policy(call->vcpu->kvm, &call->vm);
	call->policy_known = true;
	return call->policy != VCPU_ABORT_POLICY_OFF &&
	       vcpu_abort_hook_pending(call->vcpu);
}

/**
 * vcpu_abort_hook_user_value() - the register value a hooked call copies in
 * @call: the call, its vcpu set; @call->after_known is cleared if the value
 *	cannot be read now
 * @uaddr: the VMM's buffer (struct kvm_one_reg.addr)
 * @val: the first 8 bytes of it
 *
 * For an enter() that needs the value KVM is about to copy in. Reading it
 * is a user access window, which costs TLB flushes under some emulators
 * (riscv's sstatus.SUM), so only where there is something to decide: the
 * VM has a policy and the vCPU a completion pending. A buffer that cannot
 * be read without a fault (a page not present; copy_from_user_nofault()
 * is what atomic context allows) leaves the new position unknown, which
 * the decision takes as a move.
 *
 * Context: the enter() of a hook decided on entry (VCPU_ABORT_HOOK_ON_ENTRY):
 * atomic, the caller's task (its user memory).
 * Return: 0 and *@val; -EFAULT if unreadable now (enter() goes on, the
 * position unknown); -ENODATA if there is nothing to decide (enter() may
 * say the call is of no interest).
 */
__vcpu_abort_hot int vcpu_abort_hook_user_value(struct vcpu_abort_call *call, u64 uaddr,
						u64 *val)
{
	if (!vcpu_abort_hook_wanted(call))
		return -ENODATA;
	if (copy_from_user_nofault(val, u64_to_user_ptr(uaddr), sizeof(*val))) {
		call->after_known = false;
		return -EFAULT;
	}
	return 0;
}

/* The arguments of a kprobed call, from the registers at its entry. */
static __vcpu_abort_hot void vcpu_abort_args_of_regs(const struct pt_regs *regs,
						     struct vcpu_abort_hook_args *args)
{
	unsigned int n;

	for (n = 0; n < VCPU_ABORT_HOOK_NR_ARGS; n++)
		args->arg[n] = vcpu_abort_hook_arg(regs, n);
}

/* Is this call one to watch, and where was the vCPU before it? */
static __always_inline bool vcpu_abort_hook_begin(const struct vcpu_abort_hook *hook,
						  const struct vcpu_abort_hook_args *args,
						  struct vcpu_abort_call *call)
{
	memset(call, 0, sizeof(*call));
	if (!hook->enter(args, call) || !call->vcpu)
		return false;

	if (!call->policy_known)
		call->policy = vcpu_abort_vm_policy(call->vcpu->kvm,
						    &call->vm);
	if (call->policy == VCPU_ABORT_POLICY_OFF)
		return false;
	/*
	 * Nothing to decide on return: skip the return handler (its
	 * trampoline, the positions), the cost of a register write with a
	 * policy set.
	 */
	if (!(hook->flags & VCPU_ABORT_HOOK_ON_ENTRY) &&
	    !vcpu_abort_hook_pending(call->vcpu))
		return false;

	call->before_known = vcpu_abort_arch_position(call->vcpu,
						      &call->before);
	return true;
}

/*
 * Whether policy reset keeps whatever is pending: the call did not reset
 * the vCPU, nor move it. The position before the call is the exit's for
 * as long as the completion is pending: every call that moves the vCPU is
 * hooked and, under this policy, discards. A position nobody can read may
 * have changed.
 */
static __always_inline bool vcpu_abort_hook_stays(const struct vcpu_abort_call *call)
{
	return call->policy == VCPU_ABORT_POLICY_RESET && !call->reset &&
	       call->before_known && call->after_known &&
	       call->before.pc == call->after.pc &&
	       call->before.mode == call->after.mode;
}

/*
 * Decide on what is pending now: keep it if the policy wants it kept, or
 * the arch says it must stay (VCPU_ABORT_INFO_KEPT), else discard it; and
 * count the decision. A completion kept by the policy needs no report: only
 * a discard tells userspace what went.
 */
static __always_inline void vcpu_abort_hook_apply(struct vcpu_abort_call *call)
{
	struct kvm_vcpu *vcpu = call->vcpu;
	struct vcpu_abort_report report;
	bool discard;

	if (!vcpu_abort_hook_pending(vcpu))
		return;
	if (vcpu_abort_hook_stays(call)) {
		vcpu_abort_vm_record(vcpu, call->vm, call->trigger, NULL, true);
		return;
	}

	memset(&report, 0, sizeof(report));
	vcpu_abort_arch_describe(vcpu, &report);
	/*
	 * Userspace rewrote what the arch reads in the run page (riscv's
	 * exit_reason) since pending() looked: nothing left to decide on.
	 */
	if (report.kind == VCPU_ABORT_KIND_NONE)
		return;
	discard = !(report.info & VCPU_ABORT_INFO_KEPT);
	if (discard)
		vcpu_abort_arch_discard(vcpu, &report);
	vcpu_abort_vm_record(vcpu, call->vm, call->trigger, &report, !discard);
}

static const struct vcpu_abort_hook *vcpu_abort_hook_of(struct kretprobe_instance *ri)
{
	struct kretprobe *rp = get_kretprobe(ri);

	return container_of(rp, struct vcpu_abort_probe, rp)->hook;
}

static __vcpu_abort_hot int vcpu_abort_hook_entry(struct kretprobe_instance *ri,
						  struct pt_regs *regs)
{
	struct vcpu_abort_call *call = (struct vcpu_abort_call *)ri->data;
	struct vcpu_abort_hook_args args;

	vcpu_abort_args_of_regs(regs, &args);
	/* Non-zero: no return handler for this call. */
	return vcpu_abort_hook_begin(vcpu_abort_hook_of(ri), &args, call) ? 0 : 1;
}

static __vcpu_abort_hot int vcpu_abort_hook_return(struct kretprobe_instance *ri,
						   struct pt_regs *regs)
{
	const struct vcpu_abort_hook *hook = vcpu_abort_hook_of(ri);
	struct vcpu_abort_call *call = (struct vcpu_abort_call *)ri->data;

	call->ret = regs_return_value(regs);
	if ((hook->flags & VCPU_ABORT_HOOK_STATUS) && call->ret)
		return 0;
	if (hook->leave && !hook->leave(call))
		return 0;
	call->after_known = vcpu_abort_arch_position(call->vcpu, &call->after);
	vcpu_abort_hook_apply(call);
	return 0;
}

/* A hook decided on entry: the arch's enter() found the new position. */
static __vcpu_abort_hot int vcpu_abort_hook_pre(struct kprobe *kp, struct pt_regs *regs)
{
	const struct vcpu_abort_hook *hook =
		container_of(kp, struct vcpu_abort_probe, kp)->hook;
	struct vcpu_abort_call call;
	struct vcpu_abort_hook_args args;

	vcpu_abort_args_of_regs(regs, &args);
	if (vcpu_abort_hook_begin(hook, &args, &call))
		vcpu_abort_hook_apply(&call);
	return 0;
}

/*
 * The same, called from the function's ftrace site, before its prologue:
 * the argument registers are the caller's. The recursion guard also
 * disables preemption, as the kprobe's trap did.
 */
static __vcpu_abort_hot void notrace vcpu_abort_hook_traced(unsigned long ip,
							    unsigned long parent_ip,
							    struct ftrace_ops *ops,
							    struct ftrace_regs *fregs)
{
	const struct vcpu_abort_hook *hook =
		container_of(ops, struct vcpu_abort_probe, ops)->hook;
	struct vcpu_abort_call call;
	struct vcpu_abort_hook_args args;
	unsigned int n;
	int bit;

	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (bit < 0)
		return;
	for (n = 0; n < VCPU_ABORT_HOOK_NR_ARGS; n++)
		args.arg[n] = vcpu_abort_ftrace_arg(fregs, n);
	if (vcpu_abort_hook_begin(hook, &args, &call))
		vcpu_abort_hook_apply(&call);
	ftrace_test_recursion_unlock(bit);
}

/* Kprobes' own choice: the function's entry, its ftrace site if any. */
int __weak vcpu_abort_arch_place_entry_probe(struct kprobe *kp,
					     const char *symbol)
{
	kp->symbol_name = symbol;
	return 0;
}

/**
 * vcpu_abort_entry_probe_register() - probe the entry of a function
 * @kp: the kprobe, with its handlers and flags set and no address yet
 * @symbol: the function, as vcpu_abort_kvm_qualify() names it; must
 *	outlive @kp
 *
 * The probe sees the function's arguments in its pt_regs, where the arch
 * puts it (vcpu_abort_arch_place_entry_probe()).
 *
 * Return: 0 or the -errno of register_kprobe().
 */
int vcpu_abort_entry_probe_register(struct kprobe *kp, const char *symbol)
{
	int ret;

	ret = vcpu_abort_arch_place_entry_probe(kp, symbol);
	if (ret)
		return ret;
	return register_kprobe(kp);
}

static struct kprobe *vcpu_abort_probe_kprobe(struct vcpu_abort_probe *probe)
{
	if (probe->hook->flags & VCPU_ABORT_HOOK_ON_ENTRY)
		return &probe->kp;
	return &probe->rp.kp;
}

/*
 * An ftrace callback on the function at @addr, registered only when armed
 * (an ftrace_ops has no disabled state): here only its filter is set.
 * Permanent: while it is registered, kernel.ftrace_enabled=0 fails with
 * EBUSY instead of blinding the policies.
 */
static int vcpu_abort_probe_trace(struct vcpu_abort_probe *probe,
				  unsigned long addr)
{
	int ret;

	if (!VCPU_ABORT_HAVE_FTRACE_HOOK)
		return -EOPNOTSUPP;
	probe->ops.func = vcpu_abort_hook_traced;
	probe->ops.flags = FTRACE_OPS_FL_PERMANENT | VCPU_ABORT_FTRACE_FLAGS;
	ret = ftrace_set_filter_ip(&probe->ops, addr, 0, 0);
	if (ret) {
		ftrace_free_filter(&probe->ops);
		return ret;
	}
	probe->mechanism = VCPU_ABORT_HOOK_MECHANISM_FTRACE;
	return 0;
}

/* Registered disarmed: vcpu_abort_hooks_update() arms it. */
static int vcpu_abort_probe_register(struct vcpu_abort_probe *probe,
				     unsigned long addr)
{
	int ret;

	vcpu_abort_kvm_qualify(probe->hook->symbol, probe->symbol,
			       sizeof(probe->symbol));
	if (probe->hook->flags & VCPU_ABORT_HOOK_ON_ENTRY) {
		ret = vcpu_abort_probe_trace(probe, addr);
		if (!ret)
			return 0;
		if (ret != -EOPNOTSUPP)
			pr_info("cannot trace %s (%d): using a kprobe\n",
				probe->hook->symbol, ret);
		probe->mechanism = VCPU_ABORT_HOOK_MECHANISM_KPROBE;
		probe->kp.pre_handler = vcpu_abort_hook_pre;
		probe->kp.flags = KPROBE_FLAG_DISABLED;
		return vcpu_abort_entry_probe_register(&probe->kp,
						       probe->symbol);
	}
	probe->mechanism = VCPU_ABORT_HOOK_MECHANISM_KRETPROBE;
	probe->rp.kp.symbol_name = probe->symbol;
	probe->rp.kp.flags = KPROBE_FLAG_DISABLED;
	probe->rp.entry_handler = vcpu_abort_hook_entry;
	probe->rp.handler = vcpu_abort_hook_return;
	probe->rp.data_size = sizeof(struct vcpu_abort_call);
	probe->rp.maxactive = VCPU_ABORT_HOOK_MAXACTIVE;
	return register_kretprobe(&probe->rp);
}

static void vcpu_abort_probe_unregister(struct vcpu_abort_probe *probe)
{
	switch (probe->mechanism) {
	case VCPU_ABORT_HOOK_MECHANISM_FTRACE:
		if (probe->traced)
			unregister_ftrace_function(&probe->ops);
		probe->traced = false;
		ftrace_free_filter(&probe->ops);
		return;
	case VCPU_ABORT_HOOK_MECHANISM_KPROBE:
		unregister_kprobe(&probe->kp);
		return;
	}
	unregister_kretprobe(&probe->rp);
	if (probe->rp.nmissed)
		pr_warn("%s: %d calls missed (more than %d at once)\n",
			probe->hook->symbol, probe->rp.nmissed,
			VCPU_ABORT_HOOK_MAXACTIVE);
}

static void vcpu_abort_probe_init(struct vcpu_abort_probe *probe)
{
	unsigned long addr;
	int ret;

	/* Whether KVM has it, and only it, not compiler clones. */
	ret = vcpu_abort_kvm_symbol(probe->hook->symbol, &addr);
	if (!ret)
		ret = vcpu_abort_probe_register(probe, addr);
	probe->err = ret;
	switch (ret) {
	case 0:
		probe->state = VCPU_ABORT_HOOK_STATE_READY;
		return;
	case -ENOENT:
		probe->state = VCPU_ABORT_HOOK_STATE_MISSING;
		break;
	case -EXDEV:
		probe->state = VCPU_ABORT_HOOK_STATE_CLONED;
		break;
	default:
		probe->state = VCPU_ABORT_HOOK_STATE_FAILED;
		break;
	}
	snprintf(probe->refusal, sizeof(probe->refusal),
		 "this policy needs KVM's %s, which %s in this kernel (vcpuctl info)",
		 probe->hook->symbol,
		 probe->state == VCPU_ABORT_HOOK_STATE_MISSING ? "is missing" :
		 probe->state == VCPU_ABORT_HOOK_STATE_CLONED ?
		 "the compiler cloned" : "kprobes refused");
	pr_warn("cannot hook %s (%d): policies that need it are refused\n",
		probe->hook->symbol, ret);
}

/**
 * vcpu_abort_hooks_init() - find and probe the functions of
 *	vcpu_abort_arch_hooks[], disarmed
 *
 * A function this kernel does not have, or that the compiler cloned, is
 * reported and skipped: the policies that need it are refused
 * (vcpu_abort_hooks_usable()), explicit aborts still work.
 *
 * Context: process context, at load.
 * Return: 0 or -ENOMEM.
 */
int vcpu_abort_hooks_init(void)
{
	unsigned int i, ready = 0;

	vcpu_abort_probes = kcalloc(vcpu_abort_arch_nr_hooks,
				    sizeof(*vcpu_abort_probes), GFP_KERNEL);
	if (!vcpu_abort_probes)
		return -ENOMEM;

	for (i = 0; i < vcpu_abort_arch_nr_hooks; i++) {
		struct vcpu_abort_probe *probe = &vcpu_abort_probes[i];

		probe->hook = &vcpu_abort_arch_hooks[i];
		if (!policy_hooks) {
			probe->state = VCPU_ABORT_HOOK_STATE_DISABLED;
			continue;
		}
		vcpu_abort_probe_init(probe);
		if (probe->state == VCPU_ABORT_HOOK_STATE_READY)
			ready++;
	}
	if (!policy_hooks)
		pr_info("policy hooks off: explicit aborts only\n");
	else
		pr_info("hooked %u of %u functions\n", ready,
			vcpu_abort_arch_nr_hooks);
	return 0;
}

/**
 * vcpu_abort_hooks_exit() - remove every probe
 *
 * Returns once no handler of ours runs or can run again. Their state
 * stays readable (GET_HOOKS may still be running) until
 * vcpu_abort_hooks_free().
 */
void vcpu_abort_hooks_exit(void)
{
	unsigned int i;

	if (!vcpu_abort_probes)
		return;
	mutex_lock(&vcpu_abort_arm_lock);
	vcpu_abort_hooks_gone = true;
	for (i = 0; i < vcpu_abort_arch_nr_hooks; i++) {
		struct vcpu_abort_probe *probe = &vcpu_abort_probes[i];

		if (probe->state != VCPU_ABORT_HOOK_STATE_READY)
			continue;
		vcpu_abort_probe_unregister(probe);
		probe->state = VCPU_ABORT_HOOK_STATE_DISABLED;
	}
	WRITE_ONCE(vcpu_abort_armed, false);
	mutex_unlock(&vcpu_abort_arm_lock);
	/* Nothing schedules it any more: vcpu_abort_hooks_gone. */
	cancel_delayed_work_sync(&vcpu_abort_disarm_work);
}

/* Last, when nothing reads the hooks' state any more. */
void vcpu_abort_hooks_free(void)
{
	kfree(vcpu_abort_probes);
	vcpu_abort_probes = NULL;
}

/**
 * vcpu_abort_hooks_usable() - whether a policy can see what it needs
 * @policy: an &enum vcpu_abort_policy
 * @extack: where to say why not, or NULL
 *
 * Context: process context.
 * Return: 0, or -EOPNOTSUPP if @policy is not off and the probes are off
 * (policy_hooks=0), a hook it needs is not probed, or kprobes are disarmed
 * system-wide and a hook it needs is a kprobe.
 */
int vcpu_abort_hooks_usable(enum vcpu_abort_policy policy,
			    struct netlink_ext_ack *extack)
{
	bool needs_kprobes = false;
	unsigned int i;

	if (policy == VCPU_ABORT_POLICY_OFF)
		return 0;
	if (!policy_hooks) {
		NL_SET_ERR_MSG(extack,
			       "policy hooks are off (module parameter policy_hooks): explicit aborts only");
		return -EOPNOTSUPP;
	}
	for (i = 0; i < vcpu_abort_arch_nr_hooks; i++) {
		const struct vcpu_abort_probe *probe = &vcpu_abort_probes[i];

		if (!(probe->hook->policies & BIT(policy)))
			continue;
		if (probe->state == VCPU_ABORT_HOOK_STATE_READY) {
			needs_kprobes |= probe->mechanism !=
					 VCPU_ABORT_HOOK_MECHANISM_FTRACE;
			continue;
		}
		/* Made at load, and lives as long as the module. */
		if (extack)
			extack->_msg = probe->refusal;
		return -EOPNOTSUPP;
	}
	if (needs_kprobes && vcpu_abort_kprobes_disarmed()) {
		NL_SET_ERR_MSG(extack,
			       "kprobes do not fire (disarmed in debugfs kprobes/enabled, or kernel.ftrace_enabled=0 under kprobes on ftrace): this policy would not see a register write");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* With vcpu_abort_arm_lock held. */
static int vcpu_abort_probe_set_armed(struct vcpu_abort_probe *probe, bool arm)
{
	struct kprobe *kp;
	int ret;

	if (probe->mechanism == VCPU_ABORT_HOOK_MECHANISM_FTRACE) {
		if (probe->traced == arm)
			return 0;
		ret = arm ? register_ftrace_function(&probe->ops) :
			    unregister_ftrace_function(&probe->ops);
		if (!ret)
			probe->traced = arm;
		return ret;
	}
	kp = vcpu_abort_probe_kprobe(probe);
	if (!!kprobe_disabled(kp) == !arm)
		return 0;
	return arm ? enable_kprobe(kp) : disable_kprobe(kp);
}

/*
 * With vcpu_abort_arm_lock held. Return: 0, or the first error of a hook
 * that could not be armed (-EBUSY: an ftrace callback, with
 * kernel.ftrace_enabled=0); the others are armed all the same.
 */
static int vcpu_abort_hooks_set_armed(bool arm)
{
	unsigned int i;
	int ret, first = 0;

	for (i = 0; i < vcpu_abort_arch_nr_hooks; i++) {
		struct vcpu_abort_probe *probe = &vcpu_abort_probes[i];

		if (probe->state != VCPU_ABORT_HOOK_STATE_READY)
			continue;
		ret = vcpu_abort_probe_set_armed(probe, arm);
		if (!ret)
			continue;
		pr_warn("cannot %s the hook on %s (%d)\n",
			arm ? "arm" : "disarm", probe->hook->symbol, ret);
		if (!first)
			first = ret;
	}
	WRITE_ONCE(vcpu_abort_armed, arm);
	return first;
}

/* VCPU_ABORT_DISARM_DELAY after the last policy went, unless one came. */
static void vcpu_abort_disarm_fn(struct work_struct *work)
{
	mutex_lock(&vcpu_abort_arm_lock);
	if (!vcpu_abort_hooks_gone && !vcpu_abort_arm_wanted &&
	    vcpu_abort_armed)
		vcpu_abort_hooks_set_armed(false);
	mutex_unlock(&vcpu_abort_arm_lock);
}

/**
 * vcpu_abort_hooks_update() - arm or disarm the policy probes
 * @need: whether some VM, or the default, has a policy other than off
 *
 * Synchronous with @need: when it returns, the probes are live, so a
 * caller that sets a policy afterwards has it applied from then on.
 * Without @need the probes are disarmed VCPU_ABORT_DISARM_DELAY later if
 * no policy came back meanwhile; a hook that fires then finds every
 * policy off and does nothing.
 *
 * Context: process context (kprobes' mutex, text patching).
 * Return: 0, or with @need an error of a hook that could not be armed:
 * -EBUSY for an ftrace callback while kernel.ftrace_enabled is 0 (the
 * caller then takes its policy back, and updates again).
 */
int vcpu_abort_hooks_update(bool need)
{
	int ret = 0;

	if (!vcpu_abort_probes)
		return 0;
	mutex_lock(&vcpu_abort_arm_lock);
	if (vcpu_abort_hooks_gone)
		goto out;
	vcpu_abort_arm_wanted = need;
	/*
	 * Also when already armed: a probe enabled while kprobes were
	 * disarmed system-wide stayed disabled, and is enabled now.
	 */
	if (need)
		ret = vcpu_abort_hooks_set_armed(true);
	else if (vcpu_abort_armed)
		mod_delayed_work(system_wq, &vcpu_abort_disarm_work,
				 VCPU_ABORT_DISARM_DELAY);
out:
	mutex_unlock(&vcpu_abort_arm_lock);
	return ret;
}

/**
 * vcpu_abort_hooks_armed() - whether the policy probes are armed now
 *
 * Return: true while some policy other than off is in effect, and for up
 * to VCPU_ABORT_DISARM_DELAY after the last one went.
 */
bool vcpu_abort_hooks_armed(void)
{
	return READ_ONCE(vcpu_abort_armed);
}

/**
 * vcpu_abort_hook_info() - the state of one hook, for a reader
 * @i: which, from 0
 * @info: filled in
 *
 * Return: 0, or -ENOENT past the last hook.
 */
int vcpu_abort_hook_info(unsigned int i, struct vcpu_abort_hook_info *info)
{
	const struct vcpu_abort_probe *probe;

	if (i >= vcpu_abort_arch_nr_hooks || !vcpu_abort_probes)
		return -ENOENT;
	probe = &vcpu_abort_probes[i];
	info->symbol = probe->hook->symbol;
	info->state = probe->state;
	info->err = probe->state == VCPU_ABORT_HOOK_STATE_FAILED ? -probe->err : 0;
	info->policies = probe->hook->policies;
	info->trigger = probe->hook->trigger;
	info->mechanism = probe->mechanism;
	return 0;
}
