// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort core: turn a vCPU file descriptor of the caller into a locked
 * vCPU, let the architecture describe (and discard) its pending
 * completion, and count what was discarded. Every transport calls
 * vcpu_abort_do() and nothing else, so all of them validate, lock and
 * report the same way.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kvm_host.h>
#include <linux/mutex.h>
#include <linux/sched.h>

#include "compat.h"
#include "vcpu_abort.h"

/* What a file descriptor turned out to be. */
enum vcpu_abort_file_type {
	FILE_NOT_KVM,		/* /dev/null, a pipe, ... */
	FILE_KVM_OTHER,		/* /dev/kvm, a KVM device, a stats fd */
	FILE_KVM_VM,
	FILE_KVM_VCPU,
};

/*
 * KVM's file_operations are static and not exported. A KVM file is
 * recognised by its handlers, whose addresses are resolved once at load:
 * only KVM's own vCPU files have kvm_vcpu_ioctl as their ioctl handler,
 * so their private_data is a struct kvm_vcpu; the same for VMs.
 */
enum vcpu_abort_kvm_handler {
	KVM_HANDLER_VCPU_IOCTL,
	KVM_HANDLER_VM_IOCTL,
	KVM_HANDLER_DEV_IOCTL,
	KVM_HANDLER_DEVICE_IOCTL,
	KVM_HANDLER_VCPU_STATS_READ,
	KVM_HANDLER_VM_STATS_READ,
	KVM_NR_HANDLERS,
};

static const char *const vcpu_abort_kvm_handler_names[KVM_NR_HANDLERS] = {
	[KVM_HANDLER_VCPU_IOCTL]	= "kvm_vcpu_ioctl",
	[KVM_HANDLER_VM_IOCTL]		= "kvm_vm_ioctl",
	[KVM_HANDLER_DEV_IOCTL]		= "kvm_dev_ioctl",
	[KVM_HANDLER_DEVICE_IOCTL]	= "kvm_device_ioctl",
	[KVM_HANDLER_VCPU_STATS_READ]	= "kvm_vcpu_stats_read",
	[KVM_HANDLER_VM_STATS_READ]	= "kvm_vm_stats_read",
};

/* 0 where the kernel has no such handler: then it never matches. */
static unsigned long vcpu_abort_kvm_handlers[KVM_NR_HANDLERS] __ro_after_init;

static bool vcpu_abort_is_handler(const void *fn,
				  enum vcpu_abort_kvm_handler handler)
{
	return fn && (unsigned long)fn == vcpu_abort_kvm_handlers[handler];
}

static enum vcpu_abort_file_type vcpu_abort_file_type(const struct file *file)
{
	const struct file_operations *fops = file->f_op;

	if (!fops)
		return FILE_NOT_KVM;
	if (vcpu_abort_is_handler(fops->unlocked_ioctl, KVM_HANDLER_VCPU_IOCTL))
		return FILE_KVM_VCPU;
	if (vcpu_abort_is_handler(fops->unlocked_ioctl, KVM_HANDLER_VM_IOCTL))
		return FILE_KVM_VM;
	if (vcpu_abort_is_handler(fops->unlocked_ioctl, KVM_HANDLER_DEV_IOCTL) ||
	    vcpu_abort_is_handler(fops->unlocked_ioctl,
				  KVM_HANDLER_DEVICE_IOCTL) ||
	    vcpu_abort_is_handler(fops->read, KVM_HANDLER_VCPU_STATS_READ) ||
	    vcpu_abort_is_handler(fops->read, KVM_HANDLER_VM_STATS_READ))
		return FILE_KVM_OTHER;
	return FILE_NOT_KVM;
}

/**
 * vcpu_abort_core_init() - resolve KVM's file handlers
 *
 * Context: process context, at load.
 * Return: 0, or the error of the vCPU and VM ioctl handlers' lookup,
 * without which no file can be recognised. The others only refine an
 * error code and may be missing.
 */
int vcpu_abort_core_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < KVM_NR_HANDLERS; i++) {
		ret = vcpu_abort_kvm_symbol(vcpu_abort_kvm_handler_names[i],
					    &vcpu_abort_kvm_handlers[i]);
		if (!ret)
			continue;
		if (i == KVM_HANDLER_VCPU_IOCTL || i == KVM_HANDLER_VM_IOCTL) {
			pr_err("cannot find KVM's %s (%d)\n",
			       vcpu_abort_kvm_handler_names[i], ret);
			return ret;
		}
		vcpu_abort_kvm_handlers[i] = 0;
	}
	return 0;
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
 * Whether the caller may act on @kvm, the VM of a file it holds. The file
 * pins the VM for as long as the caller holds it, so the module takes no
 * reference of its own: it can never be the one that destroys a VM, in a
 * context other than its owner's.
 */
static int vcpu_abort_may_use(struct kvm *kvm, u32 flags)
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
	return 0;
}

/* With vcpu->mutex held: nothing in KVM looks at the state meanwhile. */
static int vcpu_abort_locked(struct kvm_vcpu *vcpu, enum vcpu_abort_op op,
			     struct vcpu_abort_report *report,
			     const struct vcpu_abort_sink *sink)
{
	int ret;

	ret = vcpu_abort_arch_check(vcpu);
	if (ret)
		return ret;

	vcpu_abort_arch_describe(vcpu, report);
	/*
	 * The report reaches the caller before anything is discarded: if it
	 * cannot, the vCPU stays as it was. The arch's discard does not
	 * change the report, so this is also what was discarded.
	 */
	if (sink) {
		ret = sink->deliver(report, sink->ctx);
		if (ret)
			return ret;
	}
	/*
	 * Discard even when nothing is classified as pending: companions
	 * left behind without a completion are what KVM warns about.
	 */
	if (op == VCPU_ABORT_OP_ABORT)
		vcpu_abort_arch_discard(vcpu, report);
	return 0;
}

static int vcpu_abort_vcpu(struct kvm_vcpu *vcpu, enum vcpu_abort_op op,
			   u32 flags, struct vcpu_abort_report *report,
			   const struct vcpu_abort_sink *sink)
{
	int ret;

	ret = vcpu_abort_may_use(vcpu->kvm, flags);
	if (ret)
		return ret;

	ret = vcpu_abort_lock(vcpu, flags);
	if (ret)
		return ret;
	ret = vcpu_abort_locked(vcpu, op, report, sink);
	mutex_unlock(&vcpu->mutex);

	/* Recorded outside vcpu->mutex: records never nest in KVM locks. */
	if (!ret && op == VCPU_ABORT_OP_ABORT &&
	    report->kind != VCPU_ABORT_KIND_NONE)
		vcpu_abort_vm_record(vcpu, NULL, VCPU_ABORT_TRIGGER_EXPLICIT,
				     report,
				     report->info & VCPU_ABORT_INFO_KEPT);
	return ret;
}

/**
 * vcpu_abort_do() - query or abort the pending completion of a vCPU
 * @vcpu_fd: a KVM vCPU file descriptor the caller holds
 * @op: %VCPU_ABORT_OP_QUERY or %VCPU_ABORT_OP_ABORT
 * @flags: VCPU_ABORT_FLAG_* bits, already checked for unknown bits
 * @report: filled with what was (QUERY) or has been discarded (ABORT)
 * @sink: NULL, or where the report goes before anything is discarded
 *	(&struct vcpu_abort_sink); its error is returned, nothing discarded
 *
 * Context: process context, may sleep on the vCPU's mutex unless @flags
 * has %VCPU_ABORT_FLAG_NONBLOCK, and in @sink with the mutex held.
 * Return: 0 (also when nothing is pending: @report->kind is then
 * %VCPU_ABORT_KIND_NONE), -EBADF if @vcpu_fd is not open, -ENODEV if it
 * is not a KVM file, -EBADFD if it is a KVM file but not a vCPU (a VM,
 * /dev/kvm, a device, a stats fd), -EPERM if the vCPU belongs to another
 * process's VM and @flags lacks %VCPU_ABORT_FLAG_FOREIGN_VM, -EBUSY if
 * busy and %VCPU_ABORT_FLAG_NONBLOCK, -EINTR if a fatal signal interrupted
 * the wait, -EOPNOTSUPP if the architecture cannot safely touch this vCPU
 * (x86 protected guest state, powerpc nested-v2), or @sink's error.
 */
int vcpu_abort_do(int vcpu_fd, enum vcpu_abort_op op, u32 flags,
		  struct vcpu_abort_report *report,
		  const struct vcpu_abort_sink *sink)
{
	struct file *file;
	struct fd f;
	int ret;

	memset(report, 0, sizeof(*report));

	/*
	 * As the syscall that brought us here does for its own fd: no
	 * reference of our own unless the fd table is shared, since nothing
	 * can close @vcpu_fd before this call returns.
	 */
	f = fdget(vcpu_fd);
	file = vcpu_abort_fd_file(f);
	if (!file)
		return -EBADF;

	switch (vcpu_abort_file_type(file)) {
	case FILE_KVM_VCPU:
		ret = vcpu_abort_vcpu(file->private_data, op, flags, report,
				      sink);
		break;
	case FILE_KVM_VM:
	case FILE_KVM_OTHER:
		ret = -EBADFD;
		break;
	default:
		ret = -ENODEV;
		break;
	}

	fdput(f);
	return ret;
}

/**
 * vcpu_abort_get_vm() - the VM of a vCPU or VM file descriptor
 * @fd: a KVM vCPU or VM file descriptor the caller holds
 * @flags: VCPU_ABORT_FLAG_* bits (FOREIGN_VM is the one that matters)
 * @kvmp: set to the VM
 * @filep: set to @fd's file, with a reference that pins the VM; the
 *	caller drops it with fput() once done with the VM
 *
 * Context: process context.
 * Return: 0, or the errors of vcpu_abort_do() that concern the file:
 * -EBADF, -ENODEV, -EBADFD (a KVM file that is neither), -EPERM.
 */
int vcpu_abort_get_vm(int fd, u32 flags, struct kvm **kvmp,
		      struct file **filep)
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

	ret = vcpu_abort_may_use(kvm, flags);
	if (ret) {
		fput(file);
		return ret;
	}
	*kvmp = kvm;
	*filep = file;
	return 0;
}
