// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort transport: the misc device /dev/vcpu_abort and its two
 * ioctls. It only copies struct vcpu_abort_args in and out and checks what
 * userspace may get wrong; the work is vcpu_abort_do()'s.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/fs.h>
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

static int vcpu_abort_copy_args_in(struct vcpu_abort_args *args,
				   void __user *uargs)
{
	u32 usize;
	int ret;

	if (get_user(usize, (u32 __user *)uargs))
		return -EFAULT;
	if (usize < VCPU_ABORT_ARGS_SIZE_VER0)
		return -EINVAL;
	/*
	 * As openat2(), clone3() and sched_setattr(): a struct that grows
	 * stays far below a page, and a larger size would have us scan that
	 * much user memory for non-zero bytes.
	 */
	if (usize > PAGE_SIZE)
		return -E2BIG;

	/* A newer caller's extra fields must be zero: we would ignore them. */
	ret = copy_struct_from_user(args, sizeof(*args), uargs, usize);
	if (ret)
		return ret == -E2BIG ? -EINVAL : ret;

	if (args->flags & ~VCPU_ABORT_FLAGS_ALL || args->reserved)
		return -EINVAL;
	return 0;
}

static long vcpu_abort_chardev_ioctl(struct file *file, unsigned int cmd,
				     unsigned long arg)
{
	void __user *uargs = (void __user *)arg;
	struct vcpu_abort_args args;
	enum vcpu_abort_op op;
	int ret;

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

	/*
	 * Prove the report can be written back before anything is
	 * discarded, so that a bad pointer does not lose the report of an
	 * abort that happened.
	 */
	memset(&args.report, 0, sizeof(args.report));
	if (copy_to_user(uargs, &args, sizeof(args)))
		return -EFAULT;

	ret = vcpu_abort_do(args.vcpu_fd, op, args.flags, &args.report);
	if (ret)
		return ret;

	if (copy_to_user(uargs, &args, sizeof(args)))
		return -EFAULT;
	return 0;
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
