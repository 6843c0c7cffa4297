// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort statistics: aborts per VM and kind, in
 * /sys/kernel/debug/vcpu_abort/<pid>-<n>/stats.
 *
 * KVM tells modules nothing when a VM goes away, so an entry holds a
 * reference to its VM: the pointer can then never be freed and reused by
 * another VM while the entry exists. To not keep VMs alive, a worker
 * drops every entry whose reference is the VM's last one (all of its
 * files are closed); the VM is then destroyed by that kvm_put_kvm().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/kvm_host.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "vcpu_abort.h"

/* How long a VM may outlive its last file because we still hold it. */
#define VCPU_ABORT_REAP_INTERVAL	(2 * HZ)

struct vcpu_abort_vm_stats {
	struct list_head node;
	struct kvm *kvm;	/* a reference, dropped with the entry */
	struct dentry *dir;
	atomic_long_t aborts[VCPU_ABORT_KIND_COUNT];
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

static LIST_HEAD(vm_stats_list);
static DEFINE_MUTEX(vm_stats_lock);	/* protects the list and vm_stats_seq */
static unsigned int vm_stats_seq;
static struct dentry *vm_stats_root;

static void vcpu_abort_stats_reap_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(vm_stats_reaper, vcpu_abort_stats_reap_work);

static int vcpu_abort_stats_show(struct seq_file *m, void *unused)
{
	struct vcpu_abort_vm_stats *stats = m->private;
	int kind;

	for (kind = VCPU_ABORT_KIND_NONE + 1; kind < VCPU_ABORT_KIND_COUNT; kind++)
		seq_printf(m, "%s %ld\n", vcpu_abort_kind_names[kind],
			   atomic_long_read(&stats->aborts[kind]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vcpu_abort_stats);

/* Move entries nobody but us references onto @dead. */
static void vcpu_abort_stats_collect(struct list_head *dead, bool all)
{
	struct vcpu_abort_vm_stats *stats, *next;

	lockdep_assert_held(&vm_stats_lock);
	list_for_each_entry_safe(stats, next, &vm_stats_list, node)
		if (all || vcpu_abort_kvm_only_ours(stats->kvm))
			list_move(&stats->node, dead);
}

/*
 * Outside vm_stats_lock: kvm_put_kvm() may destroy the VM, which takes
 * KVM's own locks. debugfs_remove() waits for readers of the file, so
 * freeing afterwards is safe.
 */
static void vcpu_abort_stats_free(struct list_head *dead)
{
	struct vcpu_abort_vm_stats *stats, *next;

	list_for_each_entry_safe(stats, next, dead, node) {
		list_del(&stats->node);
		debugfs_remove(stats->dir);
		kvm_put_kvm(stats->kvm);
		kfree(stats);
	}
}

static void vcpu_abort_stats_reap_work(struct work_struct *work)
{
	LIST_HEAD(dead);
	bool again;

	mutex_lock(&vm_stats_lock);
	vcpu_abort_stats_collect(&dead, false);
	again = !list_empty(&vm_stats_list);
	mutex_unlock(&vm_stats_lock);

	vcpu_abort_stats_free(&dead);
	if (again)
		schedule_delayed_work(&vm_stats_reaper, VCPU_ABORT_REAP_INTERVAL);
}

/* With vm_stats_lock held: the entry of @kvm, created if needed. */
static struct vcpu_abort_vm_stats *vcpu_abort_stats_get(struct kvm *kvm)
{
	struct vcpu_abort_vm_stats *stats;
	char name[32];

	lockdep_assert_held(&vm_stats_lock);
	list_for_each_entry(stats, &vm_stats_list, node)
		if (stats->kvm == kvm)
			return stats;

	stats = kzalloc(sizeof(*stats), GFP_KERNEL);
	if (!stats)
		return NULL;
	kvm_get_kvm(kvm);
	stats->kvm = kvm;

	/* The pid of the caller, which owns the VM (same mm), and a serial. */
	snprintf(name, sizeof(name), "%d-%u", task_tgid_nr(current),
		 vm_stats_seq++);
	stats->dir = debugfs_create_dir(name, vm_stats_root);
	debugfs_create_file("stats", 0444, stats->dir, stats,
			    &vcpu_abort_stats_fops);

	if (list_empty(&vm_stats_list))
		schedule_delayed_work(&vm_stats_reaper, VCPU_ABORT_REAP_INTERVAL);
	list_add(&stats->node, &vm_stats_list);
	return stats;
}

/**
 * vcpu_abort_stats_count() - count one abort of a VM
 * @kvm: the VM; the caller holds a reference
 * @kind: what was aborted
 *
 * Context: process context, no KVM lock held.
 */
void vcpu_abort_stats_count(struct kvm *kvm, enum vcpu_abort_kind kind)
{
	struct vcpu_abort_vm_stats *stats;

	if (kind <= VCPU_ABORT_KIND_NONE || kind >= VCPU_ABORT_KIND_COUNT)
		return;

	mutex_lock(&vm_stats_lock);
	stats = vcpu_abort_stats_get(kvm);
	if (stats)
		atomic_long_inc(&stats->aborts[kind]);
	mutex_unlock(&vm_stats_lock);
}

void vcpu_abort_stats_init(void)
{
	/* Without debugfs the module works, it only shows no statistics. */
	vm_stats_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
}

void vcpu_abort_stats_exit(void)
{
	LIST_HEAD(dead);

	cancel_delayed_work_sync(&vm_stats_reaper);

	mutex_lock(&vm_stats_lock);
	vcpu_abort_stats_collect(&dead, true);
	mutex_unlock(&vm_stats_lock);

	vcpu_abort_stats_free(&dead);
	debugfs_remove(vm_stats_root);
}
