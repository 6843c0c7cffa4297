// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort per-VM state: the VM's own policy, if it was given one, and
 * its counters, shown in /sys/kernel/debug/vcpu_abort/<pid>-<vm id>/stats
 * and by VCPU_ABORT_CMD_GET_STATS. Every discard is counted here and
 * announced on the netlink event group.
 *
 * Entries live in a hash keyed by the VM's address (a lookup costs the
 * same with one VM or thousands) and hold no reference to the VM: the
 * module never keeps a VM alive, nor ever drops the last reference of one
 * outside its owner's context. KVM tells modules nothing when a VM goes
 * away, so a hook on kvm_arch_destroy_vm(), which runs before the VM is
 * freed and its address can be reused, takes the entry off the table
 * (vcpu_abort_vm_destroyed()). It is an ftrace hook registered permanent:
 * unlike a kprobe, which kprobes' debugfs switch can disarm system-wide,
 * it cannot be turned off while the module is loaded, so no destruction
 * is missed and a new VM at a reused address never inherits an entry.
 *
 * An entry is looked up either by a hook, inside one of the VM's vCPU
 * ioctls, or in process context by a caller holding one of the VM's
 * files: either way the VM cannot be destroyed meanwhile, so its entry
 * stays. Hooks look up under RCU and count with atomics; an entry a hook
 * needs is allocated without sleeping, once per VM, and its debugfs
 * directory made later by a worker.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/ftrace.h>
#include <linux/hashtable.h>
#include <linux/kprobes.h>
#include <linux/kvm_host.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/rculist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "vcpu_abort.h"

/* vcpu_abort_vm.policy of a VM that follows the module default. */
#define VCPU_ABORT_POLICY_DEFAULT	VCPU_ABORT_POLICY_COUNT

#define VCPU_ABORT_VM_HASH_BITS		10

struct vcpu_abort_vm {
	struct hlist_node node;		/* in vm_table; RCU for the hooks */
	struct list_head list;		/* in vm_entries, id order; vm_lock */
	struct llist_node created;	/* waiting for its debugfs directory */
	struct llist_node dead;		/* off the table, to be released */
	struct rcu_head rcu;
	struct kvm *kvm;		/* the key; no reference */
	pid_t pid;
	u32 id;
	unsigned int policy;		/* or VCPU_ABORT_POLICY_DEFAULT */
	struct dentry *dir;		/* the worker's */
	atomic64_t kind[VCPU_ABORT_KIND_COUNT];
	atomic64_t trigger[VCPU_ABORT_TRIGGER_COUNT];
	atomic64_t kept;
};

/* The uapi header's names, as the netlink spec and vcpuctl spell them. */
static const char *const vcpu_abort_kind_names[VCPU_ABORT_KIND_COUNT] = {
	VCPU_ABORT_KIND_NAMES
};

static const char *const vcpu_abort_trigger_names[VCPU_ABORT_TRIGGER_COUNT] = {
	VCPU_ABORT_TRIGGER_NAMES
};

static DEFINE_HASHTABLE(vm_table, VCPU_ABORT_VM_HASH_BITS);
static LIST_HEAD(vm_entries);
/* Changes of vm_table, vm_entries and vm_next_id; taken by hooks too. */
static DEFINE_SPINLOCK(vm_lock);
static u32 vm_next_id;
static struct dentry *vm_debugfs_root;
/* Records a hook could not make: no memory for the VM's entry. */
static atomic64_t vm_lost_records;

/*
 * Policy changes and the arming they need. vm_nr_active counts entries
 * whose own policy is neither off nor the default: while it is non-zero,
 * or the default is not off, the policy hooks are armed.
 */
static DEFINE_MUTEX(vm_policy_lock);
static atomic_t vm_nr_active;

/* The worker: debugfs directories in and out, entries freed, arming. */
static LLIST_HEAD(vm_created);
static LLIST_HEAD(vm_dead);
static void vcpu_abort_vm_work(struct work_struct *work);
static DECLARE_WORK(vm_worker, vcpu_abort_vm_work);

static bool vcpu_abort_policy_active(unsigned int policy)
{
	return policy != VCPU_ABORT_POLICY_OFF &&
	       policy != VCPU_ABORT_POLICY_DEFAULT;
}

static __vcpu_abort_hot enum vcpu_abort_policy vcpu_abort_vm_effective(struct vcpu_abort_vm *vm)
{
	unsigned int policy = READ_ONCE(vm->policy);

	if (policy == VCPU_ABORT_POLICY_DEFAULT)
		return vcpu_abort_default_policy();
	return policy;
}

/* Whether some policy other than off is in effect somewhere. */
static bool vcpu_abort_policy_needed(void)
{
	return vcpu_abort_default_policy() != VCPU_ABORT_POLICY_OFF ||
	       atomic_read(&vm_nr_active) > 0;
}

static int vcpu_abort_vm_stats_show(struct seq_file *m, void *unused)
{
	struct vcpu_abort_vm *vm = m->private;
	bool is_default = READ_ONCE(vm->policy) == VCPU_ABORT_POLICY_DEFAULT;
	int i;

	/* Not through vm->kvm: the VM may be gone, the entry not yet. */
	seq_printf(m, "policy %s%s\n",
		   vcpu_abort_policy_name(vcpu_abort_vm_effective(vm)),
		   is_default ? " (default)" : "");
	for (i = VCPU_ABORT_KIND_NONE + 1; i < VCPU_ABORT_KIND_COUNT; i++)
		seq_printf(m, "%s %lld\n", vcpu_abort_kind_names[i],
			   atomic64_read(&vm->kind[i]));
	for (i = 0; i < VCPU_ABORT_TRIGGER_COUNT; i++)
		seq_printf(m, "by-%s %lld\n", vcpu_abort_trigger_names[i],
			   atomic64_read(&vm->trigger[i]));
	seq_printf(m, "kept %lld\n", atomic64_read(&vm->kept));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vcpu_abort_vm_stats);

/* Under RCU (a hook: preemption disabled) or vm_lock. */
static __vcpu_abort_hot struct vcpu_abort_vm *vcpu_abort_vm_find(struct kvm *kvm)
{
	struct vcpu_abort_vm *vm;

	hash_for_each_possible_rcu(vm_table, vm, node, (unsigned long)kvm,
				   lockdep_is_held(&vm_lock))
		if (vm->kvm == kvm)
			return vm;
	return NULL;
}

/*
 * The entry of @kvm, made if needed with @gfp (GFP_NOWAIT in a hook). The
 * caller is inside an ioctl of the VM or holds one of its files, so the
 * entry stays until it returns.
 */
static struct vcpu_abort_vm *vcpu_abort_vm_get(struct kvm *kvm, gfp_t gfp)
{
	struct vcpu_abort_vm *vm, *new;

	rcu_read_lock();
	vm = vcpu_abort_vm_find(kvm);
	rcu_read_unlock();
	if (vm)
		return vm;

	new = kzalloc(sizeof(*new), gfp | __GFP_NOWARN);
	if (!new)
		return NULL;
	new->kvm = kvm;
	new->pid = vcpu_abort_kvm_owner(kvm);
	new->policy = VCPU_ABORT_POLICY_DEFAULT;

	spin_lock(&vm_lock);
	vm = vcpu_abort_vm_find(kvm);
	if (!vm) {
		new->id = vm_next_id++;
		hash_add_rcu(vm_table, &new->node, (unsigned long)kvm);
		list_add_tail(&new->list, &vm_entries);
		llist_add(&new->created, &vm_created);
	}
	spin_unlock(&vm_lock);
	if (vm) {		/* somebody else was faster */
		kfree(new);
		return vm;
	}
	schedule_work(&vm_worker);
	return new;
}

static void vcpu_abort_vm_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct vcpu_abort_vm, rcu));
}

/*
 * Directories are made and removed here, in the order the entries came
 * and went: an entry on both lists is made before it is released (it
 * joined vm_created first), and only the worker frees entries. A hook may
 * still look at an entry under RCU, hence the grace period.
 */
static void vcpu_abort_vm_work(struct work_struct *work)
{
	struct vcpu_abort_vm *vm, *next;
	struct llist_node *list;
	char name[32];

	list = llist_reverse_order(llist_del_all(&vm_created));
	llist_for_each_entry(vm, list, created) {
		snprintf(name, sizeof(name), "%d-%u", vm->pid, vm->id);
		vm->dir = debugfs_create_dir(name, vm_debugfs_root);
		debugfs_create_file("stats", 0444, vm->dir, vm,
				    &vcpu_abort_vm_stats_fops);
	}

	llist_for_each_entry_safe(vm, next, llist_del_all(&vm_dead), dead) {
		debugfs_remove(vm->dir);
		call_rcu(&vm->rcu, vcpu_abort_vm_free_rcu);
	}

	/* A VM with a policy of its own went away: maybe disarm. */
	mutex_lock(&vm_policy_lock);
	vcpu_abort_hooks_update(vcpu_abort_policy_needed());
	mutex_unlock(&vm_policy_lock);
}

/* Take @kvm's entry off the table. Context: any but NMI. */
static void vcpu_abort_vm_forget(struct kvm *kvm)
{
	struct vcpu_abort_vm *vm;

	spin_lock(&vm_lock);
	vm = vcpu_abort_vm_find(kvm);
	if (vm) {
		hash_del_rcu(&vm->node);
		list_del(&vm->list);
		if (vcpu_abort_policy_active(READ_ONCE(vm->policy)))
			atomic_dec(&vm_nr_active);
	}
	spin_unlock(&vm_lock);

	if (vm) {
		llist_add(&vm->dead, &vm_dead);
		schedule_work(&vm_worker);
	}
}

/*
 * kvm_arch_destroy_vm(kvm), which every arch has and kvm_destroy_vm()
 * calls before the VM is freed: no file of the VM is left open then.
 * Context: ftrace callback (preemption disabled, recursion-protected).
 */
static void notrace vcpu_abort_vm_destroyed(unsigned long ip,
					    unsigned long parent_ip,
					    struct ftrace_ops *ops,
					    struct ftrace_regs *fregs)
{
	vcpu_abort_vm_forget((struct kvm *)vcpu_abort_ftrace_arg(fregs, 0));
}

static struct ftrace_ops vcpu_abort_vm_destroy_ops = {
	.func	= vcpu_abort_vm_destroyed,
	.flags	= FTRACE_OPS_FL_PERMANENT | VCPU_ABORT_FTRACE_FLAGS,
};

/*
 * Where ftrace cannot hook the function: a kretprobe. Its entry handler
 * may run in NMI context and only remembers the VM; the return handler,
 * in the caller's context, takes the entry off (the VM is still there).
 */
static int vcpu_abort_vm_destroy_entry(struct kretprobe_instance *ri,
				       struct pt_regs *regs)
{
	*(struct kvm **)ri->data = (struct kvm *)vcpu_abort_hook_arg(regs, 0);
	return 0;
}

static int vcpu_abort_vm_destroy_return(struct kretprobe_instance *ri,
					struct pt_regs *regs)
{
	vcpu_abort_vm_forget(*(struct kvm **)ri->data);
	return 0;
}

static struct kretprobe vcpu_abort_vm_destroy_probe = {
	.entry_handler	= vcpu_abort_vm_destroy_entry,
	.handler	= vcpu_abort_vm_destroy_return,
	.data_size	= sizeof(struct kvm *),
	.maxactive	= 16,
};

static u32 vm_destroy_hook = VCPU_ABORT_DESTROY_HOOK_FTRACE;
static char vm_destroy_symbol[VCPU_ABORT_SYMBOL_LEN];

/**
 * vcpu_abort_vm_destroy_hook() - how the module sees VMs go away
 *
 * Return: an &enum vcpu_abort_destroy_hook.
 */
u32 vcpu_abort_vm_destroy_hook(void)
{
	return vm_destroy_hook;
}

static int vcpu_abort_vm_hook_destroy(void)
{
	unsigned long addr;
	int ret;

	ret = vcpu_abort_kvm_symbol("kvm_arch_destroy_vm", &addr);
	if (ret) {
		pr_err("cannot find kvm_arch_destroy_vm (%d)\n", ret);
		return ret;
	}

	if (VCPU_ABORT_HAVE_FTRACE_HOOK) {
		ret = ftrace_set_filter_ip(&vcpu_abort_vm_destroy_ops, addr,
					   0, 0);
		if (!ret) {
			ret = register_ftrace_function(&vcpu_abort_vm_destroy_ops);
			if (!ret)
				return 0;
			ftrace_free_filter(&vcpu_abort_vm_destroy_ops);
		}
		pr_warn("cannot trace kvm_arch_destroy_vm (%d): using a kprobe, which kprobes/enabled can disarm\n",
			ret);
	}

	vm_destroy_hook = VCPU_ABORT_DESTROY_HOOK_KPROBE;
	vcpu_abort_kvm_qualify("kvm_arch_destroy_vm", vm_destroy_symbol,
			       sizeof(vm_destroy_symbol));
	vcpu_abort_vm_destroy_probe.kp.symbol_name = vm_destroy_symbol;
	ret = register_kretprobe(&vcpu_abort_vm_destroy_probe);
	if (ret)
		pr_err("cannot hook kvm_arch_destroy_vm (%d)\n", ret);
	return ret;
}

static void vcpu_abort_vm_unhook_destroy(void)
{
	if (vm_destroy_hook == VCPU_ABORT_DESTROY_HOOK_KPROBE) {
		unregister_kretprobe(&vcpu_abort_vm_destroy_probe);
		return;
	}
	unregister_ftrace_function(&vcpu_abort_vm_destroy_ops);
	ftrace_free_filter(&vcpu_abort_vm_destroy_ops);
}

/**
 * vcpu_abort_vm_policy() - the policy that applies to a VM now, for a hook
 * @kvm: the VM; the caller is inside one of its vCPU's ioctls
 * @vmp: set to the VM's entry, or to NULL if it has none yet
 *
 * A hook's handler runs with preemption disabled, which is a read-side
 * critical section of RCU: no rcu_read_lock() is needed for the walk (two
 * calls out of line on every hook hit in Debian's preemptible kernels).
 * The entry found stays until the VM is destroyed, which cannot happen
 * inside one of its vCPU's ioctls, so *@vmp may be passed on to
 * vcpu_abort_vm_record() for the same call, also from a return handler.
 *
 * Context: preemption disabled (a hook's handler), NMI included.
 * Return: the VM's own &enum vcpu_abort_policy, or the module default.
 */
__vcpu_abort_hot enum vcpu_abort_policy vcpu_abort_vm_policy(struct kvm *kvm,
							     struct vcpu_abort_vm **vmp)
{
	struct vcpu_abort_vm *vm = vcpu_abort_vm_find(kvm);

	*vmp = vm;
	return vm ? vcpu_abort_vm_effective(vm) : vcpu_abort_default_policy();
}

/*
 * Tell the "events" group about a discard. Only here is an event built,
 * and only for a listener: a kept completion (every state sync's write)
 * needs none.
 */
static void vcpu_abort_vm_announce(const struct vcpu_abort_vm *vm,
				   const struct kvm_vcpu *vcpu, u32 trigger,
				   const struct vcpu_abort_report *report)
{
	const struct vcpu_abort_event event = {
		.pid = vcpu_abort_kvm_owner(vcpu->kvm),
		.vm_id = vm->id,
		.vcpu_id = vcpu->vcpu_id,
		.trigger = trigger,
		.report = *report,
	};

	vcpu_abort_netlink_event(&event);
}

/**
 * vcpu_abort_vm_record() - count a completion discarded or kept, and
 *	announce a discard
 * @vcpu: the vCPU; the caller is inside one of its VM's ioctls, or holds
 *	its file
 * @vm: its VM's entry, as vcpu_abort_vm_policy() found it, or NULL: looked
 *	up, and made if the VM has none
 * @trigger: the call that found it (&enum vcpu_abort_trigger)
 * @report: what was pending; only read for a discard (NULL if @kept)
 * @kept: the completion was found and kept: count it, announce nothing
 *
 * Context: any but NMI: a hook, or process context. Allocates the VM's
 * entry without sleeping if it has none; without memory the discard has
 * still happened and only its count is lost (debugfs "lost_records").
 */
__vcpu_abort_hot void vcpu_abort_vm_record(const struct kvm_vcpu *vcpu,
					   struct vcpu_abort_vm *vm, u32 trigger,
					   const struct vcpu_abort_report *report, bool kept)
{
	if (!vm)
		vm = vcpu_abort_vm_get(vcpu->kvm, GFP_NOWAIT);
	if (!vm) {
		atomic64_inc(&vm_lost_records);
		return;
	}
	if (kept) {
		atomic64_inc(&vm->kept);
		return;
	}
	if (report->kind < VCPU_ABORT_KIND_COUNT)
		atomic64_inc(&vm->kind[report->kind]);
	if (trigger < VCPU_ABORT_TRIGGER_COUNT)
		atomic64_inc(&vm->trigger[trigger]);
	if (vcpu_abort_netlink_listened())
		vcpu_abort_vm_announce(vm, vcpu, trigger, report);
}

/*
 * Give the VM of @file (held by the caller) the policy @policy, arming the
 * hooks before it takes effect and disarming them after it stops needing
 * them. Under vm_policy_lock.
 */
static int vcpu_abort_vm_set_locked(struct kvm *kvm,
				    enum vcpu_abort_policy policy, u32 *vm_id)
{
	struct vcpu_abort_vm *vm;
	bool was, will;
	int ret;

	vm = vcpu_abort_vm_get(kvm, GFP_KERNEL);
	if (!vm)
		return -ENOMEM;

	was = vcpu_abort_policy_active(vm->policy);
	will = vcpu_abort_policy_active(policy);
	if (will && !was) {
		ret = vcpu_abort_hooks_update(true);
		if (ret) {
			/* The VM keeps its policy; the others theirs. */
			vcpu_abort_hooks_update(vcpu_abort_policy_needed());
			return ret;
		}
		atomic_inc(&vm_nr_active);
	}
	WRITE_ONCE(vm->policy, policy);
	if (was && !will) {
		atomic_dec(&vm_nr_active);
		vcpu_abort_hooks_update(vcpu_abort_policy_needed());
	}
	*vm_id = vm->id;
	return 0;
}

/* The extack of a policy refused because a hook could not be armed. */
#define VCPU_ABORT_ARM_FAILED \
	"a hook this policy needs cannot be armed (kernel.ftrace_enabled=0?): see the kernel log"

/**
 * vcpu_abort_policy_set() - give a VM its own policy
 * @fd: a vCPU or VM fd of the caller
 * @flags: VCPU_ABORT_FLAG_* (FOREIGN_VM is the one that matters)
 * @policy: the &enum vcpu_abort_policy, validated by the caller
 * @extack: where to say why a policy is refused, or NULL
 * @vm_id: set to the module's number for the VM
 *
 * Synchronous: when it returns 0, the policy applies to the next register
 * write of the VM.
 *
 * Context: process context.
 * Return: 0, -ENOMEM, -EOPNOTSUPP (vcpu_abort_hooks_usable()), -EBUSY (a
 * hook could not be armed: vcpu_abort_hooks_update()), or an error of
 * vcpu_abort_get_vm().
 */
int vcpu_abort_policy_set(int fd, u32 flags, enum vcpu_abort_policy policy,
			  struct netlink_ext_ack *extack, u32 *vm_id)
{
	struct file *file;
	struct kvm *kvm;
	int ret;

	ret = vcpu_abort_get_vm(fd, flags, &kvm, &file);
	if (ret)
		return ret;
	ret = vcpu_abort_hooks_usable(policy, extack);
	if (!ret) {
		mutex_lock(&vm_policy_lock);
		ret = vcpu_abort_vm_set_locked(kvm, policy, vm_id);
		mutex_unlock(&vm_policy_lock);
		if (ret == -EBUSY)
			NL_SET_ERR_MSG(extack, VCPU_ABORT_ARM_FAILED);
	}
	fput(file);
	return ret;
}

/**
 * vcpu_abort_policy_get() - the policy that applies to a VM
 * @fd: a vCPU or VM fd of the caller
 * @flags: VCPU_ABORT_FLAG_* (FOREIGN_VM is the one that matters)
 * @policy: set to the VM's policy, or the default if it has none
 * @vm_id: set to the module's number for the VM (an entry is made)
 *
 * Context: process context.
 * Return: 0, -ENOMEM, or an error of vcpu_abort_get_vm().
 */
int vcpu_abort_policy_get(int fd, u32 flags, enum vcpu_abort_policy *policy,
			  u32 *vm_id)
{
	struct vcpu_abort_vm *vm;
	struct file *file;
	struct kvm *kvm;
	int ret;

	ret = vcpu_abort_get_vm(fd, flags, &kvm, &file);
	if (ret)
		return ret;
	vm = vcpu_abort_vm_get(kvm, GFP_KERNEL);
	if (vm) {
		*policy = vcpu_abort_vm_effective(vm);
		*vm_id = vm->id;
	}
	fput(file);
	return vm ? 0 : -ENOMEM;
}

/**
 * vcpu_abort_default_policy_set() - change the policy of VMs without one
 * @policy: an &enum vcpu_abort_policy, already validated
 * @extack: where to say why a policy is refused, or NULL
 *
 * VMs that have their own policy keep it. Synchronous, as
 * vcpu_abort_policy_set().
 *
 * Context: process context.
 * Return: 0, -EOPNOTSUPP (vcpu_abort_hooks_usable()) or -EBUSY (a hook
 * could not be armed: vcpu_abort_hooks_update()).
 */
int vcpu_abort_default_policy_set(enum vcpu_abort_policy policy,
				  struct netlink_ext_ack *extack)
{
	int ret;

	ret = vcpu_abort_hooks_usable(policy, extack);
	if (ret)
		return ret;
	mutex_lock(&vm_policy_lock);
	if (policy != VCPU_ABORT_POLICY_OFF)
		ret = vcpu_abort_hooks_update(true);
	if (!ret)
		vcpu_abort_default_policy_store(policy);
	else
		NL_SET_ERR_MSG(extack, VCPU_ABORT_ARM_FAILED);
	vcpu_abort_hooks_update(vcpu_abort_policy_needed());
	mutex_unlock(&vm_policy_lock);
	return ret;
}

/**
 * vcpu_abort_vm_snapshot_next() - copy out the next VM's state
 * @next_vm_id: in: the lowest VM id wanted; out: one past the one copied
 * @snapshot: filled with the VM of the lowest id >= @next_vm_id
 *
 * For dumps that span several calls: ids only grow, and vm_entries is in id
 * order, so a VM that goes away in between is skipped and none is
 * reported twice.
 *
 * Context: process context.
 * Return: 0, or -ENOENT if there is no such VM.
 */
int vcpu_abort_vm_snapshot_next(u32 *next_vm_id,
				struct vcpu_abort_vm_snapshot *snapshot)
{
	struct vcpu_abort_vm *vm, *found = NULL;
	int i;

	spin_lock(&vm_lock);
	list_for_each_entry(vm, &vm_entries, list) {
		if (vm->id >= *next_vm_id) {
			found = vm;
			break;
		}
	}
	if (found) {
		memset(snapshot, 0, sizeof(*snapshot));
		snapshot->pid = found->pid;
		snapshot->vm_id = found->id;
		snapshot->policy = vcpu_abort_vm_effective(found);
		for (i = 0; i < VCPU_ABORT_KIND_COUNT; i++)
			snapshot->kind[i] = atomic64_read(&found->kind[i]);
		for (i = 0; i < VCPU_ABORT_TRIGGER_COUNT; i++)
			snapshot->trigger[i] = atomic64_read(&found->trigger[i]);
		snapshot->kept = atomic64_read(&found->kept);
		*next_vm_id = found->id + 1;
	}
	spin_unlock(&vm_lock);
	return found ? 0 : -ENOENT;
}

static int vcpu_abort_vm_lost_get(void *data, u64 *val)
{
	*val = atomic64_read(&vm_lost_records);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vcpu_abort_vm_lost_fops, vcpu_abort_vm_lost_get,
			 NULL, "%llu\n");

/**
 * vcpu_abort_vm_init() - hook VM destruction
 *
 * Context: process context, at load.
 * Return: 0 or -errno: without the destroy hook an entry could outlive
 * its VM, so the module does not load.
 */
int vcpu_abort_vm_init(void)
{
	int ret;

	ret = vcpu_abort_vm_hook_destroy();
	if (ret)
		return ret;

	/* Without debugfs the module works, it only shows no statistics. */
	vm_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file_unsafe("lost_records", 0444, vm_debugfs_root,
				   NULL, &vcpu_abort_vm_lost_fops);
	return 0;
}

/**
 * vcpu_abort_vm_start() - apply the default policy given at load
 *
 * default_policy= is stored before the module's init runs; from here on
 * a change arms and disarms the hooks (vcpu_abort_default_policy_set()).
 * A default the hooks cannot serve falls back to off, with a warning.
 *
 * Context: process context, at load, once the hooks and the transports
 * exist.
 */
void vcpu_abort_vm_start(void)
{
	enum vcpu_abort_policy policy = vcpu_abort_default_policy();

	mutex_lock(&vm_policy_lock);
	if (vcpu_abort_hooks_usable(policy, NULL)) {
		pr_warn("default policy %s cannot be served (vcpuctl info): using off\n",
			vcpu_abort_policy_name(policy));
		vcpu_abort_default_policy_store(VCPU_ABORT_POLICY_OFF);
	}
	vcpu_abort_policy_go_live();
	if (vcpu_abort_hooks_update(vcpu_abort_policy_needed())) {
		pr_warn("default policy %s: a hook cannot be armed: using off\n",
			vcpu_abort_policy_name(policy));
		vcpu_abort_default_policy_store(VCPU_ABORT_POLICY_OFF);
		vcpu_abort_hooks_update(vcpu_abort_policy_needed());
	}
	mutex_unlock(&vm_policy_lock);
}

/**
 * vcpu_abort_vm_exit() - forget every VM
 *
 * After the hooks and every transport are gone: nothing can look an entry
 * up any more. VMs may live on; the module held no reference to them.
 */
void vcpu_abort_vm_exit(void)
{
	struct vcpu_abort_vm *vm, *next;

	vcpu_abort_vm_unhook_destroy();

	spin_lock(&vm_lock);
	list_for_each_entry_safe(vm, next, &vm_entries, list) {
		hash_del_rcu(&vm->node);
		list_del(&vm->list);
		llist_add(&vm->dead, &vm_dead);
	}
	atomic_set(&vm_nr_active, 0);
	spin_unlock(&vm_lock);

	flush_work(&vm_worker);
	/* Entries that died after the worker last looked. */
	vcpu_abort_vm_work(NULL);
	debugfs_remove(vm_debugfs_root);
	/* The entries' call_rcu() callbacks are code of this module. */
	rcu_barrier();
}
