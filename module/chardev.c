// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort transport: the misc device /dev/vcpu_abort and its three
 * ioctls. It only copies struct vcpu_abort_args in, its report out (or
 * takes a bare fd and returns a kind), and checks what userspace may get
 * wrong; the work is vcpu_abort_do()'s.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/fs.h>
#include <linux/limits.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "vcpu_abort.h"

static_assert(sizeof(struct vcpu_abort_args) == VCPU_ABORT_ARGS_SIZE_VER0);

/*
 * The size that _IOWR() encodes in the command is ignored: struct
 * vcpu_abort_args carries its own size, so a later, larger struct keeps
 * the same command numbers.
 */
#define VCPU_ABORT_IOC_SIZELESS(cmd) ((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

/*
 * What the caller fills in: the fields before the report, which is only
 * written. Read with one user access, as every user access window costs
 * (on riscv under QEMU 7.2's TCG each one flushes the TLB twice).
 */
#define VCPU_ABORT_ARGS_IN_SIZE	offsetof(struct vcpu_abort_args, report)

static int vcpu_abort_copy_args_in(struct vcpu_abort_args *args,
				   struct vcpu_abort_args __user *uargs)
{
	u32 usize;
	int ret;

	if (copy_from_user(args, uargs, VCPU_ABORT_ARGS_IN_SIZE))
		return -EFAULT;
	usize = args->size;
	if (usize < VCPU_ABORT_ARGS_SIZE_VER0)
		return -EINVAL;
	/*
	 * As openat2(), clone3() and sched_setattr(): a struct that grows
	 * stays far below a page, and a larger size would have us scan that
	 * much user memory for non-zero bytes.
	 */
	if (usize > PAGE_SIZE)
		return -E2BIG;

	/*
	 * A newer caller's extra fields must be zero: we would ignore them
	 * (what copy_struct_from_user() checks, without copying the report
	 * in).
	 */
	if (usize > sizeof(*args)) {
		ret = check_zeroed_user((void __user *)uargs + sizeof(*args),
					usize - sizeof(*args));
		if (ret <= 0)
			return ret ?: -EINVAL;
	}

	if (args->flags & ~VCPU_ABORT_FLAGS_ALL || args->reserved)
		return -EINVAL;
	return 0;
}

/*
 * vcpu_abort_do()'s sink: the report goes out with the vCPU still locked
 * and before anything is discarded, so that a pointer that cannot be
 * written fails with nothing lost, in a single copy out.
 */
static int vcpu_abort_chardev_deliver(const struct vcpu_abort_report *report,
				      void *ctx)
{
	struct vcpu_abort_args __user *uargs = *(void __user **)ctx;

	if (copy_to_user(&uargs->report, report, sizeof(*report)))
		return -EFAULT;
	return 0;
}

/*
 * VCPU_ABORT_IOC_DISCARD: the vCPU fd is the argument and the discarded
 * kind the return value, so a reset path does no user access at all:
 * ABORT's two copies are a fifth to a quarter of its cost above the
 * syscall on x86 and arm64, and on riscv under QEMU 7.2 each user access
 * window flushes the TLB.
 */
static long vcpu_abort_chardev_discard(unsigned long arg)
{
	struct vcpu_abort_report report;
	int ret;

	/* Not an fd: what fdget() says of any fd that is not open. */
	if (arg > INT_MAX)
		return -EBADF;
	ret = vcpu_abort_do(arg, VCPU_ABORT_OP_ABORT, 0, &report, NULL);
	if (ret)
		return ret;
	if (report.info & VCPU_ABORT_INFO_KEPT)
		return VCPU_ABORT_KIND_NONE;
	return report.kind;
}

static long vcpu_abort_chardev_ioctl(struct file *file, unsigned int cmd,
				     unsigned long arg)
{
	struct vcpu_abort_args __user *uargs = (void __user *)arg;
	struct vcpu_abort_sink sink = {
		.deliver	= vcpu_abort_chardev_deliver,
		.ctx		= &uargs,
	};
	struct vcpu_abort_args args;
	enum vcpu_abort_op op;
	int ret;

	if (cmd == VCPU_ABORT_IOC_DISCARD)
		return vcpu_abort_chardev_discard(arg);

	switch (VCPU_ABORT_IOC_SIZELESS(cmd)) {
	case VCPU_ABORT_IOC_SIZELESS(VCPU_ABORT_IOC_QUERY):
		op = VCPU_ABORT_OP_QUERY;
		break;
	case VCPU_ABORT_IOC_SIZELESS(VCPU_ABORT_IOC_ABORT):
		op = VCPU_ABORT_OP_ABORT;
		break;
	default:
		return -ENOTTY;
	}

	ret = vcpu_abort_copy_args_in(&args, uargs);
	if (ret)
		return ret;

	return vcpu_abort_do(args.vcpu_fd, op, args.flags, &args.report,
			     &sink);
}

static const struct file_operations vcpu_abort_chardev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= vcpu_abort_chardev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

/*
 * World-usable: the device only acts on vCPU fds the caller already holds,
 * of VMs of its own address space, and does nothing the caller could not
 * do with KVM ioctls on those fds; /dev/kvm's own mode governs who has any.
 */
static struct miscdevice vcpu_abort_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= VCPU_ABORT_DEVICE_NAME,
	.fops	= &vcpu_abort_chardev_fops,
	.mode	= 0666,
};

int vcpu_abort_chardev_init(void)
{
	return misc_register(&vcpu_abort_miscdev);
}

void vcpu_abort_chardev_exit(void)
{
	misc_deregister(&vcpu_abort_miscdev);
}
