// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort per-VM state: the VM's own policy, if it was given one, and
 * its counters, shown in /sys/kernel/debug/vcpu_abort/<pid>-<vm id>/stats
 * and by VCPU_ABORT_CMD_GET_STATS. Every discard is recorded here and
 * announced on the netlink event group.
 *
 * Entries are keyed by the VM's address and hold no reference to it: a
 * VM is not kept alive by the module. KVM tells modules nothing when a VM
 * goes away, so a kprobe on kvm_arch_destroy_vm(), which runs before the
 * VM is freed and its address can be reused, takes the entry off the list
 * (vcpu_abort_vm_destroyed()). Whoever creates or looks
 * up an entry in process context holds a reference to the VM meanwhile, so
 * it cannot be destroyed under them.
 *
 * The hooks run in atomic context inside a vCPU ioctl: they look entries
 * up under RCU and hand their records to a worker, never allocate with
 * GFP_KERNEL or sleep.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/kprobes.h>
#include <linux/kvm_host.h>
#include <linux/llist.h>
#include <linux/spinlock.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "vcpu_abort.h"

/* vcpu_abort_vm.policy of a VM that follows the module default. */
#define VCPU_ABORT_POLICY_DEFAULT	VCPU_ABORT_POLICY_COUNT

struct vcpu_abort_vm {
	struct hlist_node node;		/* in vcpu_abort_vms; RCU for the hooks */
	struct llist_node dead;		/* off the list, to be released */
	struct rcu_head rcu;
	struct kvm *kvm;		/* the key; no reference */
	pid_t pid;
	u32 id;
	unsigned int policy;		/* or VCPU_ABORT_POLICY_DEFAULT */
	struct dentry *dir;
	atomic64_t kind[VCPU_ABORT_KIND_COUNT];
	atomic64_t trigger[VCPU_ABORT_TRIGGER_COUNT];
	atomic64_t kept;
};

/* A hook's record, on its way to vcpu_abort_vm_record(). */
struct vcpu_abort_deferred {
	struct llist_node node;
	struct kvm *kvm;		/* a reference taken by the hook */
	struct vcpu_abort_event event;
	bool kept;
};

static const char *const vcpu_abort_kind_names[VCPU_ABORT_KIND_COUNT] = {
	[VCPU_ABORT_KIND_NONE]		= "none",
	[VCPU_ABORT_KIND_MMIO_LOAD]	= "mmio_load",
	[VCPU_ABORT_KIND_MMIO_STORE]	= "mmio_store",
	[VCPU_ABORT_KIND_PIO_IN]	= "pio_in",
	[VCPU_ABORT_KIND_PIO_OUT]	= "pio_out",
	[VCPU_ABORT_KIND_HYPERCALL]	= "hypercall",
	[VCPU_ABORT_KIND_MSR_READ]	= "msr_read",
	[VCPU_ABORT_KIND_MSR_WRITE]	= "msr_write",
	[VCPU_ABORT_KIND_PPC_OSI]	= "ppc_osi",
	[VCPU_ABORT_KIND_PPC_EPR]	= "ppc_epr",
	[VCPU_ABORT_KIND_OTHER]		= "other",
};

static const char *const vcpu_abort_trigger_names[VCPU_ABORT_TRIGGER_COUNT] = {
	[VCPU_ABORT_TRIGGER_EXPLICIT]		= "explicit",
	[VCPU_ABORT_TRIGGER_SET_REGS]		= "set_regs",
	[VCPU_ABORT_TRIGGER_SYNC_REGS]		= "sync_regs",
	[VCPU_ABORT_TRIGGER_SET_SREGS]		= "set_sregs",
	[VCPU_ABORT_TRIGGER_SET_ONE_REG]	= "set_one_reg",
	[VCPU_ABORT_TRIGGER_VCPU_INIT]		= "vcpu_init",
	[VCPU_ABORT_TRIGGER_SET_MP_STATE]	= "set_mp_state",
};

static HLIST_HEAD(vcpu_abort_vms);
/* Changes of vcpu_abort_vms and vm_next_id; taken by a hook, too. */
static DEFINE_SPINLOCK(vm_lock);
static u32 vm_next_id;
static struct dentry *vm_debugfs_root;

/* Entries of destroyed VMs, released by a worker. */
static LLIST_HEAD(vm_dead);
static void vcpu_abort_vm_release_work(struct work_struct *work);
static DECLARE_WORK(vm_releaser, vcpu_abort_vm_release_work);

static LLIST_HEAD(vm_deferred);
static atomic64_t vm_deferred_lost;
static void vcpu_abort_vm_deferred_work(struct work_struct *work);
static DECLARE_WORK(vm_deferred_worker, vcpu_abort_vm_deferred_work);

static enum vcpu_abort_policy vcpu_abort_vm_effective(struct vcpu_abort_vm *vm)
{
	unsigned int policy = READ_ONCE(vm->policy);

	if (policy == VCPU_ABORT_POLICY_DEFAULT)
		return vcpu_abort_default_policy();
	return policy;
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
		seq_printf(m, "by_%s %lld\n", vcpu_abort_trigger_names[i],
			   atomic64_read(&vm->trigger[i]));
	seq_printf(m, "kept %lld\n", atomic64_read(&vm->kept));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vcpu_abort_vm_stats);

/* Under RCU or vm_lock. */
static struct vcpu_abort_vm *vcpu_abort_vm_find(struct kvm *kvm)
{
	struct vcpu_abort_vm *vm;

	hlist_for_each_entry_rcu(vm, &vcpu_abort_vms, node,
				 lockdep_is_held(&vm_lock))
		if (vm->kvm == kvm)
			return vm;
	return NULL;
}

/*
 * The entry of @kvm, created if needed. The caller holds a reference to
 * @kvm, which keeps the entry on the list (and alive) until it drops it.
 */
static struct vcpu_abort_vm *vcpu_abort_vm_get(struct kvm *kvm)
{
	struct vcpu_abort_vm *vm, *new;
	char name[32];

	rcu_read_lock();
	vm = vcpu_abort_vm_find(kvm);
	rcu_read_unlock();
	if (vm)
		return vm;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return NULL;
	new->kvm = kvm;
	new->pid = vcpu_abort_kvm_owner(kvm);
	new->policy = VCPU_ABORT_POLICY_DEFAULT;

	spin_lock(&vm_lock);
	vm = vcpu_abort_vm_find(kvm);
	if (!vm) {
		new->id = vm_next_id++;
		hlist_add_head_rcu(&new->node, &vcpu_abort_vms);
	}
	spin_unlock(&vm_lock);
	if (vm) {		/* somebody else was faster */
		kfree(new);
		return vm;
	}

	snprintf(name, sizeof(name), "%d-%u", new->pid, new->id);
	new->dir = debugfs_create_dir(name, vm_debugfs_root);
	debugfs_create_file("stats", 0444, new->dir, new,
			    &vcpu_abort_vm_stats_fops);
	return new;
}

static void vcpu_abort_vm_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct vcpu_abort_vm, rcu));
}

/*
 * debugfs_remove() waits for readers of the file; a hook may still be
 * looking at the entry under RCU, hence kfree after a grace period.
 */
static void vcpu_abort_vm_release_work(struct work_struct *work)
{
	struct vcpu_abort_vm *vm, *next;

	llist_for_each_entry_safe(vm, next, llist_del_all(&vm_dead), dead) {
		debugfs_remove(vm->dir);
		call_rcu(&vm->rcu, vcpu_abort_vm_free_rcu);
	}
}

/*
 * kvm_arch_destroy_vm(kvm), which every arch has and kvm_destroy_vm()
 * calls before the VM is freed: no file of the VM is left open then.
 * Context: atomic (a kprobe).
 */
static int vcpu_abort_vm_destroyed(struct kprobe *kp, struct pt_regs *regs)
{
	struct kvm *kvm = (struct kvm *)vcpu_abort_arch_arg(regs, 0);
	struct vcpu_abort_vm *vm;

	spin_lock(&vm_lock);
	vm = vcpu_abort_vm_find(kvm);
	if (vm)
		hlist_del_rcu(&vm->node);
	spin_unlock(&vm_lock);

	if (vm) {
		llist_add(&vm->dead, &vm_dead);
		schedule_work(&vm_releaser);
	}
	return 0;
}

static const char vcpu_abort_vm_destroy_symbol[] = "kvm_arch_destroy_vm";

static struct kprobe vcpu_abort_vm_destroy_probe = {
	.pre_handler	= vcpu_abort_vm_destroyed,
};

/**
 * vcpu_abort_vm_policy() - the policy that applies to a VM now
 * @kvm: the VM; the caller is inside one of its ioctls or holds a reference
 *
 * Context: any; the hooks call it in atomic context.
 * Return: the VM's own &enum vcpu_abort_policy, or the module default.
 */
enum vcpu_abort_policy vcpu_abort_vm_policy(struct kvm *kvm)
{
	enum vcpu_abort_policy policy;
	struct vcpu_abort_vm *vm;

	rcu_read_lock();
	vm = vcpu_abort_vm_find(kvm);
	policy = vm ? vcpu_abort_vm_effective(vm) : vcpu_abort_default_policy();
	rcu_read_unlock();
	return policy;
}

static void vcpu_abort_vm_count(struct kvm *kvm,
				struct vcpu_abort_event *event, bool kept)
{
	struct vcpu_abort_vm *vm;

	vm = vcpu_abort_vm_get(kvm);
	if (vm) {
		event->vm_id = vm->id;
		if (kept) {
			atomic64_inc(&vm->kept);
		} else {
			if (event->report.kind < VCPU_ABORT_KIND_COUNT)
				atomic64_inc(&vm->kind[event->report.kind]);
			if (event->trigger < VCPU_ABORT_TRIGGER_COUNT)
				atomic64_inc(&vm->trigger[event->trigger]);
		}
	}
	event->pid = vcpu_abort_kvm_owner(kvm);
}

/**
 * vcpu_abort_vm_record() - count a discarded completion and announce it
 * @kvm: the VM; the caller holds a reference
 * @event: what was discarded; @event->pid and @event->vm_id are filled in
 *
 * Context: process context, no KVM lock held.
 */
void vcpu_abort_vm_record(struct kvm *kvm, struct vcpu_abort_event *event)
{
	vcpu_abort_vm_count(kvm, event, false);
	vcpu_abort_netlink_notify(event);
}

/**
 * vcpu_abort_vm_record_atomic() - vcpu_abort_vm_record() for the hooks
 * @kvm: the VM, inside one of its vCPU ioctls
 * @event: what was discarded (or kept)
 * @kept: the policy kept the completion: count it, announce nothing
 *
 * Context: atomic. The record is handed to a worker; if it cannot be
 * allocated, the discard has still happened and only its record is lost
 * (counted in the debugfs file "lost_records").
 */
void vcpu_abort_vm_record_atomic(struct kvm *kvm,
				 const struct vcpu_abort_event *event,
				 bool kept)
{
	struct vcpu_abort_deferred *rec;

	rec = kmalloc(sizeof(*rec), GFP_ATOMIC);
	if (!rec) {
		atomic64_inc(&vm_deferred_lost);
		return;
	}
	/* Safe: the ioctl the hook runs in holds the VM's file. */
	kvm_get_kvm(kvm);
	rec->kvm = kvm;
	rec->event = *event;
	rec->kept = kept;
	llist_add(&rec->node, &vm_deferred);
	schedule_work(&vm_deferred_worker);
}

static void vcpu_abort_vm_deferred_work(struct work_struct *work)
{
	struct vcpu_abort_deferred *rec, *next;
	struct llist_node *list;

	/* llist_add() pushes at the head: reverse to keep their order. */
	list = llist_reverse_order(llist_del_all(&vm_deferred));
	llist_for_each_entry_safe(rec, next, list, node) {
		vcpu_abort_vm_count(rec->kvm, &rec->event, rec->kept);
		if (!rec->kept)
			vcpu_abort_netlink_notify(&rec->event);
		kvm_put_kvm(rec->kvm);
		kfree(rec);
	}
}

/**
 * vcpu_abort_vm_flush_records() - wait until every hook record is recorded
 *
 * Called once the hooks are gone, before what the records use goes.
 */
void vcpu_abort_vm_flush_records(void)
{
	flush_work(&vm_deferred_worker);
}

/*
 * The entry of the VM of @fd: set its policy to *@set if @set, and report
 * the policy that applies and the VM's number.
 */
static int vcpu_abort_vm_policy_by_fd(int fd, u32 flags,
				      const enum vcpu_abort_policy *set,
				      enum vcpu_abort_policy *policy,
				      u32 *vm_id)
{
	struct vcpu_abort_vm *vm;
	struct kvm *kvm;
	int ret;

	ret = vcpu_abort_get_vm(fd, flags, &kvm);
	if (ret)
		return ret;

	vm = vcpu_abort_vm_get(kvm);
	if (vm) {
		if (set)
			WRITE_ONCE(vm->policy, *set);
		*policy = vcpu_abort_vm_effective(vm);
		*vm_id = vm->id;
	}

	kvm_put_kvm(kvm);
	return vm ? 0 : -ENOMEM;
}

/**
 * vcpu_abort_policy_set() - give a VM its own policy
 * @fd: a vCPU or VM fd of the caller
 * @flags: VCPU_ABORT_FLAG_* (FOREIGN_VM is the one that matters)
 * @policy: the &enum vcpu_abort_policy, validated by the caller
 * @vm_id: set to the module's number for the VM
 *
 * Context: process context.
 * Return: 0, -ENOMEM, or an error of vcpu_abort_get_vm().
 */
int vcpu_abort_policy_set(int fd, u32 flags, enum vcpu_abort_policy policy,
			  u32 *vm_id)
{
	enum vcpu_abort_policy now;

	return vcpu_abort_vm_policy_by_fd(fd, flags, &policy, &now, vm_id);
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
	return vcpu_abort_vm_policy_by_fd(fd, flags, NULL, policy, vm_id);
}

/**
 * vcpu_abort_vm_snapshot_next() - copy out the next VM's state
 * @next_vm_id: in: the lowest VM id wanted; out: one past the one copied
 * @snapshot: filled with the VM of the lowest id >= @next_vm_id
 *
 * For dumps that span several calls: ids only grow, so a VM that goes away
 * in between is skipped and none is reported twice.
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
	hlist_for_each_entry(vm, &vcpu_abort_vms, node)
		if (vm->id >= *next_vm_id && (!found || vm->id < found->id))
			found = vm;
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
	*val = atomic64_read(&vm_deferred_lost);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vcpu_abort_vm_lost_fops, vcpu_abort_vm_lost_get,
			 NULL, "%llu\n");

int vcpu_abort_vm_init(void)
{
	int ret;

	/* Without it an entry could outlive its VM: required. */
	ret = vcpu_abort_entry_probe_register(&vcpu_abort_vm_destroy_probe,
					      vcpu_abort_vm_destroy_symbol);
	if (ret) {
		pr_err("cannot hook %s (%d)\n", vcpu_abort_vm_destroy_symbol,
		       ret);
		return ret;
	}

	/* Without debugfs the module works, it only shows no statistics. */
	vm_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file_unsafe("lost_records", 0444, vm_debugfs_root,
				   NULL, &vcpu_abort_vm_lost_fops);
	return 0;
}

/* After the hooks and every transport are gone and the records flushed. */
void vcpu_abort_vm_exit(void)
{
	struct vcpu_abort_vm *vm;
	struct hlist_node *next;

	unregister_kprobe(&vcpu_abort_vm_destroy_probe);

	/* VMs may live on: take every entry off the list, as if destroyed. */
	spin_lock(&vm_lock);
	hlist_for_each_entry_safe(vm, next, &vcpu_abort_vms, node) {
		hlist_del_rcu(&vm->node);
		llist_add(&vm->dead, &vm_dead);
	}
	spin_unlock(&vm_lock);

	vcpu_abort_vm_release_work(NULL);
	flush_work(&vm_releaser);
	debugfs_remove(vm_debugfs_root);
	/* The entries' call_rcu() callbacks are code of this module. */
	rcu_barrier();
}
