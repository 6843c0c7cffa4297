// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort auto-abort: a kretprobe on each KVM function of
 * vcpu_abort_arch_hooks[] (the ways userspace resets a vCPU or writes its
 * registers) applies the VM's policy when the function returns:
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
 * On unload, unregister_kretprobes() waits until no handler runs; calls
 * still inside a probed function then return without calling ours (the
 * kprobes core drops its pointer to us), so nothing dangles.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/kvm_host.h>
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
	struct kretprobe rp;
	const struct vcpu_abort_hook *hook;
};

static struct vcpu_abort_probe *vcpu_abort_probes;
static struct kretprobe **vcpu_abort_probe_ptrs;
static unsigned int vcpu_abort_nr_probes;

static const struct vcpu_abort_hook *vcpu_abort_hook_of(struct kretprobe_instance *ri)
{
	struct kretprobe *rp = get_kretprobe(ri);

	return container_of(rp, struct vcpu_abort_probe, rp)->hook;
}

/* On entry: is this call one to watch, and what was the PC before it? */
static int vcpu_abort_hook_entry(struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	const struct vcpu_abort_hook *hook = vcpu_abort_hook_of(ri);
	struct vcpu_abort_call *call = (struct vcpu_abort_call *)ri->data;

	memset(call, 0, sizeof(*call));
	if (!hook->enter(regs, call) || !call->vcpu)
		return 1;	/* no return handler for this call */

	call->policy = vcpu_abort_vm_policy(call->vcpu->kvm);
	if (call->policy == VCPU_ABORT_POLICY_OFF)
		return 1;

	call->pc_known = vcpu_abort_arch_pc(call->vcpu, &call->old_pc);
	return 0;
}

/* Whether the policy wants the completion gone after this call. */
static bool vcpu_abort_hook_discards(const struct vcpu_abort_call *call)
{
	u64 new_pc;

	if (call->policy == VCPU_ABORT_POLICY_ALWAYS || call->reset)
		return true;
	/* Policy reset: a PC nobody can read may have moved. */
	if (!call->pc_known || !vcpu_abort_arch_pc(call->vcpu, &new_pc))
		return true;
	return new_pc != call->old_pc;
}

static int vcpu_abort_hook_return(struct kretprobe_instance *ri,
				  struct pt_regs *regs)
{
	const struct vcpu_abort_hook *hook = vcpu_abort_hook_of(ri);
	struct vcpu_abort_call *call = (struct vcpu_abort_call *)ri->data;
	struct kvm_vcpu *vcpu = call->vcpu;
	struct vcpu_abort_event event = {
		.vcpu_id = vcpu->vcpu_id,
		.trigger = call->trigger,
	};
	bool discard;

	if (hook->returns_status && regs_return_value(regs))
		return 0;
	if (vcpu_abort_arch_check(vcpu))
		return 0;

	vcpu_abort_arch_describe(vcpu, &event.report);
	if (event.report.kind == VCPU_ABORT_KIND_NONE)
		return 0;

	discard = vcpu_abort_hook_discards(call);
	if (discard)
		vcpu_abort_arch_discard(vcpu, &event.report);
	vcpu_abort_vm_record_atomic(vcpu->kvm, &event, !discard);
	return 0;
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
	unsigned int i, n = 0;
	int ret;

	vcpu_abort_probes = kcalloc(vcpu_abort_arch_nr_hooks,
				    sizeof(*vcpu_abort_probes), GFP_KERNEL);
	vcpu_abort_probe_ptrs = kcalloc(vcpu_abort_arch_nr_hooks,
					sizeof(*vcpu_abort_probe_ptrs),
					GFP_KERNEL);
	if (!vcpu_abort_probes || !vcpu_abort_probe_ptrs) {
		ret = -ENOMEM;
		goto err;
	}

	/* One at a time, to know which symbol is missing. */
	for (i = 0; i < vcpu_abort_arch_nr_hooks; i++) {
		struct vcpu_abort_probe *probe = &vcpu_abort_probes[n];

		probe->hook = &vcpu_abort_arch_hooks[i];
		probe->rp.kp.symbol_name = probe->hook->symbol;
		probe->rp.entry_handler = vcpu_abort_hook_entry;
		probe->rp.handler = vcpu_abort_hook_return;
		probe->rp.data_size = sizeof(struct vcpu_abort_call);
		probe->rp.maxactive = VCPU_ABORT_HOOK_MAXACTIVE;

		ret = register_kretprobe(&probe->rp);
		if (ret) {
			pr_warn("cannot hook %s (%d): the policy does not see it\n",
				probe->hook->symbol, ret);
			memset(probe, 0, sizeof(*probe));
			continue;
		}
		vcpu_abort_probe_ptrs[n++] = &probe->rp;
	}
	vcpu_abort_nr_probes = n;
	if (!n) {
		ret = -ENOENT;
		goto err;
	}
	pr_info("hooked %u of %u functions\n", n, vcpu_abort_arch_nr_hooks);
	return 0;

err:
	kfree(vcpu_abort_probe_ptrs);
	kfree(vcpu_abort_probes);
	return ret;
}

/**
 * vcpu_abort_hooks_exit() - remove every probe
 *
 * Returns once no handler of ours runs or can run again.
 */
void vcpu_abort_hooks_exit(void)
{
	unsigned int i;

	unregister_kretprobes(vcpu_abort_probe_ptrs, vcpu_abort_nr_probes);
	for (i = 0; i < vcpu_abort_nr_probes; i++)
		if (vcpu_abort_probes[i].rp.nmissed)
			pr_warn("%s: %d calls missed (more than %d at once)\n",
				vcpu_abort_probes[i].hook->symbol,
				vcpu_abort_probes[i].rp.nmissed,
				VCPU_ABORT_HOOK_MAXACTIVE);
	kfree(vcpu_abort_probe_ptrs);
	kfree(vcpu_abort_probes);
}
