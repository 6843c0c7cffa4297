/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcpu_abort: interfaces between the module's files.
 *
 * core.c turns a file descriptor into a locked vCPU and is the single entry
 * point of every transport (chardev.c, netlink.c); symbols.c resolves the
 * KVM functions the module needs, once; hooks.c runs the auto-abort
 * policies in kprobes on KVM; vm.c keeps per-VM state; arch/$(SRCARCH)/
 * knows where that architecture keeps the pending completion (pending.c)
 * and through which functions userspace resets a vCPU (hooks.c).
 */
#ifndef VCPU_ABORT_INTERNAL_H
#define VCPU_ABORT_INTERNAL_H

#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/types.h>
#include <linux/vcpu_abort.h>

struct kvm;
struct kprobe;
struct kvm_vcpu;
struct netlink_ext_ack;
struct pt_regs;
struct vcpu_abort_vm;

/*
 * The code a hook hit runs (hooks.c's handlers, the arch's enter() and
 * leave(), position, check, pending and describe, the VM's policy and
 * count), kept together in one section of a few pages rather than spread
 * over the module: after each KVM_RUN a hit finds little of it in the
 * TLBs (or, under the lab's TCG, in QEMU's), and pays per page it touches
 * (Documentation/bench.rst, "A state sync's hit, made cheaper").
 */
#define __vcpu_abort_hot	__section(".text.vcpu_abort_hot")

/**
 * enum vcpu_abort_op - what vcpu_abort_do() does with the pending state
 * @VCPU_ABORT_OP_QUERY: report it, change nothing
 * @VCPU_ABORT_OP_ABORT: report it and discard it
 */
enum vcpu_abort_op {
	VCPU_ABORT_OP_QUERY,
	VCPU_ABORT_OP_ABORT,
};

/**
 * struct vcpu_abort_sink - where vcpu_abort_do() delivers the report
 * @deliver: called with vcpu->mutex held (process context, may fault and
 *	sleep) once the report is complete and before anything is
 *	discarded: 0, or an -errno that vcpu_abort_do() returns without
 *	discarding (e.g. -EFAULT for a report it cannot copy out)
 * @ctx: passed to @deliver
 */
struct vcpu_abort_sink {
	int (*deliver)(const struct vcpu_abort_report *report, void *ctx);
	void *ctx;
};

/* core.c */
int vcpu_abort_core_init(void);
int vcpu_abort_do(int vcpu_fd, enum vcpu_abort_op op, u32 flags,
		  struct vcpu_abort_report *report,
		  const struct vcpu_abort_sink *sink);
int vcpu_abort_get_vm(int fd, u32 flags, struct kvm **kvmp,
		      struct file **filep);

/* symbols.c; "module:function" and a clone suffix fit in this. */
#define VCPU_ABORT_SYMBOL_LEN	(KSYM_NAME_LEN + MODULE_NAME_LEN + 16)
void vcpu_abort_kvm_qualify(const char *name, char *buf, size_t len);
int vcpu_abort_module_symbol(const char *module, const char *name,
			     unsigned long *addr);
int vcpu_abort_kvm_symbol(const char *name, unsigned long *addr);
bool vcpu_abort_kprobes_disarmed(void);
int vcpu_abort_symbols_init(void);
void vcpu_abort_symbols_exit(void);

/*
 * Per architecture, in arch/$(SRCARCH)/pending.c. check, describe and
 * discard are called with vcpu->mutex held, so the vCPU is not in KVM_RUN
 * and no other ioctl touches it, and possibly in atomic context (a kprobe
 * handler): they must not sleep, allocate or look up symbols.
 */

/* Once at load, before anything else of the arch: resolve what it needs. */
int vcpu_abort_arch_init(void);
void vcpu_abort_arch_exit(void);
/* 0 if the module may look at and change this vCPU's state, or -errno. */
int vcpu_abort_arch_check(struct kvm_vcpu *vcpu);
/*
 * Whether the next KVM_RUN completes something: exactly when describe
 * would report a kind other than NONE. Only after a check that passed.
 */
bool vcpu_abort_arch_pending(struct kvm_vcpu *vcpu);
/* Fill @report (already zeroed) with what the next KVM_RUN would complete. */
void vcpu_abort_arch_describe(struct kvm_vcpu *vcpu,
			      struct vcpu_abort_report *report);
/*
 * Forget the completion @report describes, and all of its companions; one
 * reported with VCPU_ABORT_INFO_KEPT stays.
 */
void vcpu_abort_arch_discard(struct kvm_vcpu *vcpu,
			     const struct vcpu_abort_report *report);

/*
 * Per architecture, in arch/$(SRCARCH)/hooks.c: the KVM functions through
 * which userspace resets a vCPU or writes its registers. hooks.c probes
 * each of them and applies the policy.
 */

/**
 * struct vcpu_abort_position - where a vCPU executes
 * @pc: the program counter
 * @mode: arch bits that make the same @pc another instruction stream
 *	(execution mode, privilege, guest mode, ...)
 *
 * A pending completion belongs to the position of the exit: a write that
 * moves the vCPU elsewhere is a reset for policy reset.
 */
struct vcpu_abort_position {
	u64 pc;
	u64 mode;
};

/**
 * struct vcpu_abort_call - one call of a hooked KVM function
 * @vcpu: the vCPU, whose mutex the caller (a vCPU ioctl) holds; set by
 *	the hook's enter()
 * @trigger: an &enum vcpu_abort_trigger; set by enter()
 * @policy: the VM's &enum vcpu_abort_policy, looked up on entry
 * @vm: the VM's entry found with @policy (vcpu_abort_vm_policy()), or
 *	NULL if it has none yet; where the decision is counted
 * @reset: the call resets the vCPU (or leaves guest mode, changes its
 *	mode): policy reset discards whatever the position; set by enter()
 *	or leave()
 * @before_known: @before was read
 * @after_known: @after is valid: set by enter() for hooks decided on
 *	entry, by the core on return otherwise
 * @policy_known: @policy and @vm are known already: an enter() that
 *	needed them (vcpu_abort_hook_user_value()) looked them up
 * @before: the position before the call
 * @after: the position the call leaves
 * @scratch: for the arch, from enter() to leave()
 * @ret: the function's return value, set by the core before leave()
 */
struct vcpu_abort_call {
	struct kvm_vcpu *vcpu;
	struct vcpu_abort_vm *vm;
	u32 trigger;
	u32 policy;
	bool reset;
	bool before_known;
	bool after_known;
	bool policy_known;
	struct vcpu_abort_position before;
	struct vcpu_abort_position after;
	u64 scratch[4];
	long ret;
};

/* The function returns 0 on success; after a failure nothing changed. */
#define VCPU_ABORT_HOOK_STATUS		BIT(0)
/*
 * Decided on entry, where the arguments say what the call will do:
 * enter() fills @after. Traced by ftrace where the kernel lets a module
 * read the arguments there (compat.h), else a plain kprobe.
 */
#define VCPU_ABORT_HOOK_ON_ENTRY	BIT(1)

/* The integer arguments a hook's enter() may read. */
#define VCPU_ABORT_HOOK_NR_ARGS		3

/**
 * struct vcpu_abort_hook_args - the arguments of a hooked call, on entry
 * @arg: the first %VCPU_ABORT_HOOK_NR_ARGS integer arguments, as the ABI
 *	passes them in registers (pointers cast to unsigned long)
 *
 * Filled by whichever mechanism hooks the function (a kprobe's pt_regs,
 * ftrace's ftrace_regs), so enter() reads them the same way from both.
 */
struct vcpu_abort_hook_args {
	unsigned long arg[VCPU_ABORT_HOOK_NR_ARGS];
};

/* The policies that refuse to run without a hook: both of them. */
#define VCPU_ABORT_HOOK_POLICIES	(BIT(VCPU_ABORT_POLICY_RESET) | \
					 BIT(VCPU_ABORT_POLICY_ALWAYS))

/**
 * struct vcpu_abort_hook - a KVM function to probe
 * @symbol: its name, without module (the core qualifies it)
 * @enter: on entry: fills @call->vcpu and @call->trigger (and @reset,
 *	@after for %VCPU_ABORT_HOOK_ON_ENTRY) from the arguments; false if
 *	this call is of no interest (e.g. an mp_state that is no reset). May
 *	run in NMI context (a kprobe's breakpoint), or in an ftrace callback
 *	with preemption disabled: reads only, never sleeps.
 * @leave: optional, after a successful return (with
 *	%VCPU_ABORT_HOOK_STATUS; after every return without it, @call->ret
 *	saying how it went) and before the decision, e.g. to compare state
 *	with what @enter saw in @call->scratch; false if the call did
 *	nothing to decide on (e.g. it failed without changing anything)
 * @flags: %VCPU_ABORT_HOOK_STATUS, %VCPU_ABORT_HOOK_ON_ENTRY
 * @policies: bit N set: policy N is refused unless this hook is probed
 * @trigger: the &enum vcpu_abort_trigger its discards are usually counted
 *	under (shown to userspace; @enter sets the one of each call)
 */
struct vcpu_abort_hook {
	const char *symbol;
	bool (*enter)(const struct vcpu_abort_hook_args *args,
		      struct vcpu_abort_call *call);
	bool (*leave)(struct vcpu_abort_call *call);
	u32 flags;
	u32 policies;
	u32 trigger;
};

extern const struct vcpu_abort_hook vcpu_abort_arch_hooks[];
extern const unsigned int vcpu_abort_arch_nr_hooks;

/* Where the vCPU executes now (mutex held); false if it cannot be read. */
bool vcpu_abort_arch_position(struct kvm_vcpu *vcpu,
			      struct vcpu_abort_position *pos);

int vcpu_abort_hook_user_value(struct vcpu_abort_call *call, u64 uaddr,
			       u64 *val);

/* The @n-th (from 0) integer argument of the probed function, on entry. */
unsigned long vcpu_abort_hook_arg(const struct pt_regs *regs, unsigned int n);

/*
 * Where a kprobe on the entry of @symbol (vcpu_abort_kvm_qualify()'s name,
 * which must outlive @kp) goes: sets @kp->symbol_name, or @kp->addr. The
 * default (hooks.c, weak) leaves it to kprobes; powerpc moves it off the
 * ftrace call site (arch/powerpc/hooks.c says why).
 */
int vcpu_abort_arch_place_entry_probe(struct kprobe *kp, const char *symbol);
int vcpu_abort_entry_probe_register(struct kprobe *kp, const char *symbol);

int vcpu_abort_hooks_init(void);
void vcpu_abort_hooks_exit(void);
void vcpu_abort_hooks_free(void);
int vcpu_abort_hooks_usable(enum vcpu_abort_policy policy,
			    struct netlink_ext_ack *extack);
int vcpu_abort_hooks_update(bool need);
bool vcpu_abort_hooks_armed(void);

/**
 * struct vcpu_abort_hook_info - one hook's state, copied out for a reader
 * @symbol: the KVM function
 * @state: an &enum vcpu_abort_hook_state
 * @err: the positive errno of a %VCPU_ABORT_HOOK_STATE_FAILED hook
 * @policies: bit N: policy N needs it
 * @trigger: the trigger of its discards
 * @mechanism: an &enum vcpu_abort_hook_mechanism, if @state is READY
 */
struct vcpu_abort_hook_info {
	const char *symbol;
	u32 state;
	u32 err;
	u32 policies;
	u32 trigger;
	u32 mechanism;
};

int vcpu_abort_hook_info(unsigned int i, struct vcpu_abort_hook_info *info);

/* chardev.c */
int vcpu_abort_chardev_init(void);
void vcpu_abort_chardev_exit(void);

/*
 * vm.c: what the module keeps per VM (policy, counters, debugfs) and the
 * module-wide default policy (policy.c).
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
void vcpu_abort_vm_start(void);
void vcpu_abort_vm_exit(void);
u32 vcpu_abort_vm_destroy_hook(void);
enum vcpu_abort_policy vcpu_abort_vm_policy(struct kvm *kvm,
					    struct vcpu_abort_vm **vmp);
void vcpu_abort_vm_record(const struct kvm_vcpu *vcpu,
			  struct vcpu_abort_vm *vm, u32 trigger,
			  const struct vcpu_abort_report *report, bool kept);
int vcpu_abort_policy_set(int fd, u32 flags, enum vcpu_abort_policy policy,
			  struct netlink_ext_ack *extack, u32 *vm_id);
int vcpu_abort_policy_get(int fd, u32 flags, enum vcpu_abort_policy *policy,
			  u32 *vm_id);
int vcpu_abort_default_policy_set(enum vcpu_abort_policy policy,
				  struct netlink_ext_ack *extack);
int vcpu_abort_vm_snapshot_next(u32 *next_vm_id,
				struct vcpu_abort_vm_snapshot *snapshot);

/* policy.c */
const char *vcpu_abort_policy_name(enum vcpu_abort_policy policy);
enum vcpu_abort_policy vcpu_abort_default_policy(void);
void vcpu_abort_default_policy_store(enum vcpu_abort_policy policy);
void vcpu_abort_policy_go_live(void);

/*
 * netlink.c: the generic netlink family. vcpu_abort_netlink_listened() and
 * vcpu_abort_netlink_event() may be called in atomic context; the message
 * is built and sent by a worker.
 */
int vcpu_abort_netlink_init(void);
void vcpu_abort_netlink_exit(void);
bool vcpu_abort_netlink_listened(void);
void vcpu_abort_netlink_event(const struct vcpu_abort_event *event);

#endif /* VCPU_ABORT_INTERNAL_H */
