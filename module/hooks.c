// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort auto-abort: a kretprobe on each KVM function of
 * vcpu_abort_arch_hooks[] (the ways userspace resets a vCPU or writes its
 * registers) applies the VM's policy when the function returns, or an
 * entry kprobe when it is entered (hook->on_entry: powerpc's):
 *
 *   off     nothing;
 *   reset   discard the pending completion if the call reset the vCPU or
 *           moved its PC, keep it otherwise (state sync: the completion
 *           is merged into the registers just written);
 *   always  discard it.
 *
 * All of these functions run inside a vCPU ioctl, with vcpu->mutex held,
 * so the vCPU is not in KVM_RUN and the arch code may look at and change
 * the pending state as an explicit abort does. The decision is taken on
 * return, and only if the function succeeded: a failing ioctl leaves the
 * vCPU, and its completion, as they were. Nothing here is on the path of
 * an exit or KVM_RUN itself except the x86 sync_regs case.
 *
 * Kretprobe handlers run in atomic context: the decision and the discard
 * only read and write the vCPU; counting and the netlink event are left
 * to a worker (vcpu_abort_vm_record_atomic()).
 *
 * On unload, unregister_kretprobe() waits until no handler runs; calls
 * still inside a probed function then return without calling ours (the
 * kprobes core drops its pointer to us), so nothing dangles.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/kvm_host.h>
#include <linux/moduleparam.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "vcpu_abort.h"

/*
 * Calls that may be inside the probed functions at once; more are not
 * seen (kretprobe.nmissed), which only happens with more concurrent
 * register writes than this across all VMs.
 */
#define VCPU_ABORT_HOOK_MAXACTIVE	256

struct vcpu_abort_probe {
	struct kretprobe rp;	/* decided on return */
	struct kprobe kp;	/* or, with hook->on_entry, on entry */
	const struct vcpu_abort_hook *hook;
	bool registered;
};

static struct vcpu_abort_probe *vcpu_abort_probes;
static unsigned int vcpu_abort_nr_probes;

/* Whether to set the policy probes at all; 0 leaves explicit aborts only. */
static int policy_hooks = 1;
module_param(policy_hooks, int, 0444);
MODULE_PARM_DESC(policy_hooks,
		 "Probe KVM's register writes and resets for the auto-abort policies: 1 (default) or 0 (Documentation/hooks.rst)");

/**
 * vcpu_abort_hooks_active() - whether the auto-abort policies can act
 *
 * Return: true if at least one policy probe is set.
 */
bool vcpu_abort_hooks_active(void)
{
	return READ_ONCE(vcpu_abort_nr_probes) > 0;
}

/* Is this call one to watch, and what was the PC before it? */
static bool vcpu_abort_hook_begin(const struct vcpu_abort_hook *hook,
				  struct pt_regs *regs,
				  struct vcpu_abort_call *call)
{
	memset(call, 0, sizeof(*call));
	if (!hook->enter(regs, call) || !call->vcpu)
		return false;

	call->policy = vcpu_abort_vm_policy(call->vcpu->kvm);
	if (call->policy == VCPU_ABORT_POLICY_OFF)
		return false;

	call->pc_known = vcpu_abort_arch_pc(call->vcpu, &call->old_pc);
	return true;
}

/* Whether the policy wants the completion gone, given the PC after. */
static bool vcpu_abort_hook_discards(const struct vcpu_abort_call *call,
				     bool new_pc_known, u64 new_pc)
{
	if (call->policy == VCPU_ABORT_POLICY_ALWAYS || call->reset)
		return true;
	/* Policy reset: a PC nobody can read may have moved. */
	if (!call->pc_known || !new_pc_known)
		return true;
	return new_pc != call->old_pc;
}

static void vcpu_abort_hook_apply(const struct vcpu_abort_call *call,
				  bool new_pc_known, u64 new_pc)
{
	struct kvm_vcpu *vcpu = call->vcpu;
	struct vcpu_abort_event event = {
		.vcpu_id = vcpu->vcpu_id,
		.trigger = call->trigger,
	};
	bool discard;

	if (vcpu_abort_arch_check(vcpu))
		return;

	vcpu_abort_arch_describe(vcpu, &event.report);
	if (event.report.kind == VCPU_ABORT_KIND_NONE)
		return;

	discard = vcpu_abort_hook_discards(call, new_pc_known, new_pc);
	if (discard)
		vcpu_abort_arch_discard(vcpu, &event.report);
	vcpu_abort_vm_record_atomic(vcpu->kvm, &event, !discard);
}

static const struct vcpu_abort_hook *vcpu_abort_hook_of(struct kretprobe_instance *ri)
{
	struct kretprobe *rp = get_kretprobe(ri);

	return container_of(rp, struct vcpu_abort_probe, rp)->hook;
}

static int vcpu_abort_hook_entry(struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	struct vcpu_abort_call *call = (struct vcpu_abort_call *)ri->data;

	/* Non-zero: no return handler for this call. */
	return vcpu_abort_hook_begin(vcpu_abort_hook_of(ri), regs, call) ? 0 : 1;
}

static int vcpu_abort_hook_return(struct kretprobe_instance *ri,
				  struct pt_regs *regs)
{
	const struct vcpu_abort_hook *hook = vcpu_abort_hook_of(ri);
	struct vcpu_abort_call *call = (struct vcpu_abort_call *)ri->data;
	u64 new_pc;
	bool known;

	if (hook->returns_status && regs_return_value(regs))
		return 0;
	known = vcpu_abort_arch_pc(call->vcpu, &new_pc);
	vcpu_abort_hook_apply(call, known, new_pc);
	return 0;
}

/* A hook decided on entry: the arch's enter() found the new PC. */
static int vcpu_abort_hook_pre(struct kprobe *kp, struct pt_regs *regs)
{
	const struct vcpu_abort_hook *hook =
		container_of(kp, struct vcpu_abort_probe, kp)->hook;
	struct vcpu_abort_call call;

	if (vcpu_abort_hook_begin(hook, regs, &call))
		vcpu_abort_hook_apply(&call, call.new_pc_known, call.new_pc);
	return 0;
}

/* Kprobes' own choice: the function's entry, its ftrace site if any. */
int __weak vcpu_abort_arch_place_entry_probe(struct kprobe *kp,
					     const char *symbol)
{
	kp->symbol_name = symbol;
	return 0;
}

/**
 * vcpu_abort_entry_probe_register() - probe the entry of a KVM function
 * @kp: the kprobe, with its pre_handler set and no address yet
 * @symbol: the function
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

static int vcpu_abort_probe_register(struct vcpu_abort_probe *probe)
{
	if (probe->hook->on_entry) {
		probe->kp.pre_handler = vcpu_abort_hook_pre;
		return vcpu_abort_entry_probe_register(&probe->kp,
						       probe->hook->symbol);
	}
	probe->rp.kp.symbol_name = probe->hook->symbol;
	probe->rp.entry_handler = vcpu_abort_hook_entry;
	probe->rp.handler = vcpu_abort_hook_return;
	probe->rp.data_size = sizeof(struct vcpu_abort_call);
	probe->rp.maxactive = VCPU_ABORT_HOOK_MAXACTIVE;
	return register_kretprobe(&probe->rp);
}

static void vcpu_abort_probe_unregister(struct vcpu_abort_probe *probe)
{
	if (probe->hook->on_entry) {
		unregister_kprobe(&probe->kp);
		return;
	}
	unregister_kretprobe(&probe->rp);
	if (probe->rp.nmissed)
		pr_warn("%s: %d calls missed (more than %d at once)\n",
			probe->hook->symbol, probe->rp.nmissed,
			VCPU_ABORT_HOOK_MAXACTIVE);
}

/**
 * vcpu_abort_hooks_init() - probe the functions of vcpu_abort_arch_hooks[]
 *
 * A function this kernel does not have (renamed, inlined) is reported and
 * skipped: the policy then does not see that way of writing registers,
 * and the selftests of that path fail.
 *
 * Return: 0 or -errno if no probe could be set at all.
 */
int vcpu_abort_hooks_init(void)
{
	unsigned int i;
	int ret;

	if (!policy_hooks) {
		pr_info("policy hooks off: explicit aborts only\n");
		return 0;
	}
	vcpu_abort_probes = kcalloc(vcpu_abort_arch_nr_hooks,
				    sizeof(*vcpu_abort_probes), GFP_KERNEL);
	if (!vcpu_abort_probes)
		return -ENOMEM;

	for (i = 0; i < vcpu_abort_arch_nr_hooks; i++) {
		struct vcpu_abort_probe *probe = &vcpu_abort_probes[i];

		probe->hook = &vcpu_abort_arch_hooks[i];
		ret = vcpu_abort_probe_register(probe);
		if (ret) {
			pr_warn("cannot hook %s (%d): the policy does not see it\n",
				probe->hook->symbol, ret);
			continue;
		}
		probe->registered = true;
		vcpu_abort_nr_probes++;
	}
	if (!vcpu_abort_nr_probes) {
		kfree(vcpu_abort_probes);
		vcpu_abort_probes = NULL;
		return -ENOENT;
	}
	pr_info("hooked %u of %u functions\n", vcpu_abort_nr_probes,
		vcpu_abort_arch_nr_hooks);
	return 0;
}

/**
 * vcpu_abort_hooks_exit() - remove every probe
 *
 * Returns once no handler of ours runs or can run again.
 */
void vcpu_abort_hooks_exit(void)
{
	unsigned int i;

	if (!vcpu_abort_probes)
		return;
	for (i = 0; i < vcpu_abort_arch_nr_hooks; i++)
		if (vcpu_abort_probes[i].registered)
			vcpu_abort_probe_unregister(&vcpu_abort_probes[i]);
	vcpu_abort_nr_probes = 0;
	kfree(vcpu_abort_probes);
	vcpu_abort_probes = NULL;
}
