// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort core: turn a vCPU file descriptor of the caller into a locked
 * vCPU, let the architecture describe (and discard) its pending
 * completion, and count what was discarded. Every transport calls
 * vcpu_abort_do() and nothing else, so all of them validate, lock and
 * report the same way.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kallsyms.h>
#include <linux/kvm_host.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "vcpu_abort.h"

/* What a file descriptor turned out to be. */
enum vcpu_abort_file_type {
	FILE_NOT_KVM,		/* /dev/null, a pipe, ... */
	FILE_KVM_OTHER,		/* /dev/kvm, a KVM device, stats */
	FILE_KVM_VM,
	FILE_KVM_VCPU,
};

/*
 * KVM's file_operations are static and not exported, so a KVM file is
 * recognised by the symbol name of its ioctl handler ("%ps" resolves it
 * through kallsyms, which Debian always has) and a vCPU additionally by
 * the name KVM gives its anonymous inode. Nothing is cached: a cached
 * f_op pointer would outlive a reload of kvm.ko and could then match an
 * unrelated file; the lookup costs microseconds and the caller's file
 * reference pins kvm.ko meanwhile.
 */
static enum vcpu_abort_file_type vcpu_abort_file_type(const struct file *file)
{
	const struct file_operations *fops = file->f_op;
	char name[KSYM_SYMBOL_LEN];
	size_t len;

	if (!fops || !fops->unlocked_ioctl)
		return FILE_NOT_KVM;

	/* A symbol in a module prints as "name [module]": keep the name. */
	snprintf(name, sizeof(name), "%ps", fops->unlocked_ioctl);
	len = strcspn(name, " ");
	name[len] = '\0';

	if (!strcmp(name, "kvm_vcpu_ioctl") &&
	    str_has_prefix(file->f_path.dentry->d_name.name, "kvm-vcpu:"))
		return FILE_KVM_VCPU;
	if (!strcmp(name, "kvm_vm_ioctl") &&
	    !strcmp(file->f_path.dentry->d_name.name, "kvm-vm"))
		return FILE_KVM_VM;
	if (str_has_prefix(name, "kvm_"))
		return FILE_KVM_OTHER;
	return FILE_NOT_KVM;
}

static int vcpu_abort_lock(struct kvm_vcpu *vcpu, u32 flags)
{
	if (flags & VCPU_ABORT_FLAG_NONBLOCK)
		return mutex_trylock(&vcpu->mutex) ? 0 : -EBUSY;
	/*
	 * KVM_RUN holds vcpu->mutex for as long as the guest runs: wait like
	 * any other vCPU ioctl would, but let a fatal signal end the wait.
	 */
	return mutex_lock_killable(&vcpu->mutex);
}

/*
 * A reference to @kvm, the VM of a file the caller holds, if the caller
 * may act on it.
 */
static int vcpu_abort_hold_vm(struct kvm *kvm, u32 flags)
{
	/*
	 * As for every KVM ioctl, only the process that created the VM may
	 * touch it, unless the caller says it means another process's VM.
	 * Holding that fd already lets it rewrite the kvm_run page, and so
	 * the data a pending completion would load; discarding the
	 * completion is less than that. The fd reaches it only if the VMM
	 * passed it on, or through pidfd_getfd() and its ptrace checks.
	 */
	if (kvm->mm != current->mm && !(flags & VCPU_ABORT_FLAG_FOREIGN_VM))
		return -EPERM;

	/*
	 * The caller's file already pins the VM; the extra reference keeps
	 * the rule "hold what you use" independent of how we were called.
	 */
	if (!kvm_get_kvm_safe(kvm))
		return -ESRCH;
	return 0;
}

/* With vcpu->mutex held: nothing in KVM looks at the state meanwhile. */
static int vcpu_abort_locked(struct kvm_vcpu *vcpu, enum vcpu_abort_op op,
			     struct vcpu_abort_report *report)
{
	int ret;

	ret = vcpu_abort_arch_check(vcpu);
	if (ret)
		return ret;

	vcpu_abort_arch_describe(vcpu, report);
	/*
	 * Discard even when nothing is classified as pending: companions
	 * left behind without a completion are what KVM warns about.
	 */
	if (op == VCPU_ABORT_OP_ABORT)
		vcpu_abort_arch_discard(vcpu, report);
	return 0;
}

static int vcpu_abort_vcpu(struct kvm_vcpu *vcpu, enum vcpu_abort_op op,
			   u32 flags, struct vcpu_abort_report *report)
{
	struct kvm *kvm = vcpu->kvm;
	int ret;

	ret = vcpu_abort_hold_vm(kvm, flags);
	if (ret)
		return ret;

	ret = vcpu_abort_lock(vcpu, flags);
	if (!ret) {
		ret = vcpu_abort_locked(vcpu, op, report);
		mutex_unlock(&vcpu->mutex);
	}

	/* Recorded outside vcpu->mutex: records never nest in KVM locks. */
	if (!ret && op == VCPU_ABORT_OP_ABORT &&
	    report->kind != VCPU_ABORT_KIND_NONE) {
		struct vcpu_abort_event event = {
			.vcpu_id = vcpu->vcpu_id,
			.trigger = VCPU_ABORT_TRIGGER_EXPLICIT,
			.report = *report,
		};

		vcpu_abort_vm_record(kvm, &event);
	}

	kvm_put_kvm(kvm);
	return ret;
}

/**
 * vcpu_abort_do() - query or abort the pending completion of a vCPU
 * @vcpu_fd: a KVM vCPU file descriptor the caller holds
 * @op: %VCPU_ABORT_OP_QUERY or %VCPU_ABORT_OP_ABORT
 * @flags: VCPU_ABORT_FLAG_* bits, already checked for unknown bits
 * @report: filled with what was (QUERY) or has been discarded (ABORT)
 *
 * Context: process context, may sleep on the vCPU's mutex unless @flags
 * has %VCPU_ABORT_FLAG_NONBLOCK.
 * Return: 0 (also when nothing is pending: @report->kind is then
 * %VCPU_ABORT_KIND_NONE), -EBADF if @vcpu_fd is not open, -ENODEV if it
 * is not a KVM file, -EBADFD if it is a KVM file but not a vCPU, -EPERM
 * if the vCPU belongs to another process's VM and @flags lacks
 * %VCPU_ABORT_FLAG_FOREIGN_VM, -ESRCH if the VM is being
 * destroyed, -EBUSY if busy and %VCPU_ABORT_FLAG_NONBLOCK, -EINTR if a
 * fatal signal interrupted the wait, -EOPNOTSUPP if the architecture
 * cannot safely touch this vCPU (x86 SEV-ES/SNP/TDX).
 */
int vcpu_abort_do(int vcpu_fd, enum vcpu_abort_op op, u32 flags,
		  struct vcpu_abort_report *report)
{
	struct file *file;
	int ret;

	memset(report, 0, sizeof(*report));

	file = fget(vcpu_fd);
	if (!file)
		return -EBADF;

	switch (vcpu_abort_file_type(file)) {
	case FILE_KVM_VCPU:
		ret = vcpu_abort_vcpu(file->private_data, op, flags, report);
		break;
	case FILE_KVM_VM:
	case FILE_KVM_OTHER:
		ret = -EBADFD;
		break;
	default:
		ret = -ENODEV;
		break;
	}

	fput(file);
	return ret;
}

/**
 * vcpu_abort_get_vm() - the VM of a vCPU or VM file descriptor
 * @fd: a KVM vCPU or VM file descriptor the caller holds
 * @flags: VCPU_ABORT_FLAG_* bits (FOREIGN_VM is the one that matters)
 * @kvmp: set to the VM, with a reference the caller drops with
 *	kvm_put_kvm()
 *
 * Context: process context.
 * Return: 0, or the errors of vcpu_abort_do() that concern the file:
 * -EBADF, -ENODEV, -EBADFD (a KVM file that is neither), -EPERM, -ESRCH.
 */
int vcpu_abort_get_vm(int fd, u32 flags, struct kvm **kvmp)
{
	struct file *file;
	struct kvm *kvm;
	int ret;

	file = fget(fd);
	if (!file)
		return -EBADF;

	switch (vcpu_abort_file_type(file)) {
	case FILE_KVM_VCPU:
		kvm = ((struct kvm_vcpu *)file->private_data)->kvm;
		break;
	case FILE_KVM_VM:
		kvm = file->private_data;
		break;
	case FILE_KVM_OTHER:
		fput(file);
		return -EBADFD;
	default:
		fput(file);
		return -ENODEV;
	}

	ret = vcpu_abort_hold_vm(kvm, flags);
	fput(file);
	if (!ret)
		*kvmp = kvm;
	return ret;
}
