/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcpu_abort: interfaces between the module's files.
 *
 * core.c resolves and locks the vCPU and is the single entry point of
 * every transport; arch/$(SRCARCH).c knows where that architecture keeps
 * the pending completion; stats.c counts aborts per VM.
 */
#ifndef VCPU_ABORT_INTERNAL_H
#define VCPU_ABORT_INTERNAL_H

#include <linux/types.h>
#include <linux/vcpu_abort.h>

struct kvm;
struct kprobe;
struct kvm_vcpu;
struct pt_regs;

/**
 * enum vcpu_abort_op - what vcpu_abort_do() does with the pending state
 * @VCPU_ABORT_OP_QUERY: report it, change nothing
 * @VCPU_ABORT_OP_ABORT: report it and discard it
 */
enum vcpu_abort_op {
	VCPU_ABORT_OP_QUERY,
	VCPU_ABORT_OP_ABORT,
};

int vcpu_abort_do(int vcpu_fd, enum vcpu_abort_op op, u32 flags,
		  struct vcpu_abort_report *report);

/*
 * Per architecture, in arch/$(SRCARCH).c. All are called with vcpu->mutex
 * held, so the vCPU is not in KVM_RUN and no other ioctl touches it.
 */

/* 0 if the module may look at and change this vCPU's state, or -errno. */
int vcpu_abort_arch_check(struct kvm_vcpu *vcpu);
/* Fill @report (already zeroed) with what the next KVM_RUN would complete. */
void vcpu_abort_arch_describe(struct kvm_vcpu *vcpu,
			      struct vcpu_abort_report *report);
/* Forget the completion @report describes, and all of its companions. */
void vcpu_abort_arch_discard(struct kvm_vcpu *vcpu,
			     const struct vcpu_abort_report *report);

/*
 * Per architecture, in arch/$(SRCARCH)/hooks.c: the KVM functions through
 * which userspace resets a vCPU or writes its registers. hooks.c probes
 * each of them (a kretprobe: entry and return) and applies the policy.
 */

/**
 * struct vcpu_abort_call - one call of a hooked KVM function
 * @vcpu: the vCPU, whose mutex the caller (a vCPU ioctl) holds
 * @trigger: an &enum vcpu_abort_trigger
 * @reset: the call resets the vCPU: policy reset discards regardless of PC
 * @policy: the VM's &enum vcpu_abort_policy, looked up on entry
 * @pc_known: @old_pc was read
 * @old_pc: the PC before the call
 * @new_pc_known: for hooks decided on entry: @new_pc is the PC the call
 *	will set
 * @new_pc: that PC
 */
struct vcpu_abort_call {
	struct kvm_vcpu *vcpu;
	u32 trigger;
	bool reset;
	u32 policy;
	bool pc_known;
	u64 old_pc;
	bool new_pc_known;
	u64 new_pc;
};

/**
 * struct vcpu_abort_hook - a KVM function to probe
 * @symbol: its name in kallsyms
 * @enter: fills @call->vcpu, @call->trigger and @call->reset from the
 *	arguments (vcpu_abort_arch_arg()); false if this call is not of
 *	interest (e.g. an mp_state that is no reset)
 * @returns_status: the function returns 0 on success; on failure the
 *	vCPU is as it was, and so is its completion
 * @on_entry: decide on entry, with a plain kprobe: @enter also fills
 *	@call->new_pc; for functions that cannot fail, or where a return
 *	probe is not wanted (powerpc, see arch/powerpc/hooks.c)
 */
struct vcpu_abort_hook {
	const char *symbol;
	bool (*enter)(const struct pt_regs *regs, struct vcpu_abort_call *call);
	bool returns_status;
	bool on_entry;
};

extern const struct vcpu_abort_hook vcpu_abort_arch_hooks[];
extern const unsigned int vcpu_abort_arch_nr_hooks;

/* The @n-th (from 0) integer argument of the probed function, on entry. */
unsigned long vcpu_abort_arch_arg(const struct pt_regs *regs, unsigned int n);
/* The PC KVM holds for @vcpu (mutex held); false if not known. */
bool vcpu_abort_arch_pc(struct kvm_vcpu *vcpu, u64 *pc);

/*
 * Where a kprobe on the entry of @symbol goes: sets @kp->symbol_name, or
 * @kp->addr. The default (hooks.c, weak) leaves it to kprobes; powerpc
 * moves it off the ftrace call site (arch/powerpc/hooks.c says why).
 */
int vcpu_abort_arch_place_entry_probe(struct kprobe *kp, const char *symbol);

int vcpu_abort_entry_probe_register(struct kprobe *kp, const char *symbol);
int vcpu_abort_hooks_init(void);
void vcpu_abort_hooks_exit(void);
bool vcpu_abort_hooks_active(void);

/* core.c: a VM of the caller, by a vCPU or VM fd, with a reference. */
int vcpu_abort_get_vm(int fd, u32 flags, struct kvm **kvmp);

int vcpu_abort_chardev_init(void);
void vcpu_abort_chardev_exit(void);

/*
 * vm.c: what the module keeps per VM (policy, counters, debugfs) and the
 * module-wide default policy.
 */

/**
 * struct vcpu_abort_event - one discarded completion
 * @pid: thread group id of the process that owns the VM
 * @vm_id: the module's number for the VM
 * @vcpu_id: KVM's vCPU id
 * @trigger: an &enum vcpu_abort_trigger
 * @report: what was discarded
 */
struct vcpu_abort_event {
	pid_t pid;
	u32 vm_id;
	u32 vcpu_id;
	u32 trigger;
	struct vcpu_abort_report report;
};

/**
 * struct vcpu_abort_vm_snapshot - one VM's state, copied out for a reader
 * @pid: thread group id of the process that owns the VM
 * @vm_id: the module's number for the VM
 * @policy: the VM's &enum vcpu_abort_policy
 * @kind: discarded completions per &enum vcpu_abort_kind
 * @trigger: discarded completions per &enum vcpu_abort_trigger
 * @kept: completions a register write found and the policy kept
 */
struct vcpu_abort_vm_snapshot {
	pid_t pid;
	u32 vm_id;
	u32 policy;
	u64 kind[VCPU_ABORT_KIND_COUNT];
	u64 trigger[VCPU_ABORT_TRIGGER_COUNT];
	u64 kept;
};

int vcpu_abort_vm_init(void);
void vcpu_abort_vm_exit(void);
enum vcpu_abort_policy vcpu_abort_vm_policy(struct kvm *kvm);
void vcpu_abort_vm_record(struct kvm *kvm, struct vcpu_abort_event *event);
void vcpu_abort_vm_record_atomic(struct kvm *kvm,
				 const struct vcpu_abort_event *event,
				 bool kept);
void vcpu_abort_vm_flush_records(void);
const char *vcpu_abort_policy_name(enum vcpu_abort_policy policy);
int vcpu_abort_policy_set(int fd, u32 flags, enum vcpu_abort_policy policy,
			  u32 *vm_id);
int vcpu_abort_policy_get(int fd, u32 flags, enum vcpu_abort_policy *policy,
			  u32 *vm_id);
enum vcpu_abort_policy vcpu_abort_default_policy(void);
void vcpu_abort_set_default_policy(enum vcpu_abort_policy policy);
int vcpu_abort_vm_snapshot_next(u32 *next_vm_id,
				struct vcpu_abort_vm_snapshot *snapshot);

/*
 * netlink.c: the generic netlink family. Events are sent from process
 * context, never from a hook.
 */
int vcpu_abort_netlink_init(void);
void vcpu_abort_netlink_exit(void);
void vcpu_abort_netlink_notify(const struct vcpu_abort_event *event);

#endif /* VCPU_ABORT_INTERNAL_H */
