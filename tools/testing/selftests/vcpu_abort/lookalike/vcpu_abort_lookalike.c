// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort_lookalike: a test module for the vcpu_abort selftest
 * fd_kinds. Its misc device hands out files that look like KVM's by every
 * name: an anonymous inode named "kvm-vcpu:0" (or "kvm-vm") whose ioctl
 * handler is a function named kvm_vcpu_ioctl (or kvm_vm_ioctl), as KVM's
 * are. Their private_data is a zeroed buffer, not a struct kvm_vcpu or
 * struct kvm. vcpu_abort must tell them from KVM's files by what they
 * are, not by what they are called, and refuse them as not KVM (ENODEV);
 * a module that went by names would take the buffer for a vCPU.
 */
#include <linux/anon_inodes.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "lookalike.h"

/*
 * The two handlers must stay two functions: identical bodies could be
 * folded into one by the compiler (-fipa-icf), and kallsyms would then
 * name both files' handler the same. -ENOIOCTLCMD reaches userspace as
 * ENOTTY, like -ENOTTY itself.
 */
static long kvm_vcpu_ioctl(struct file *file, unsigned int ioctl,
			   unsigned long arg)
{
	return -ENOTTY;
}

static long kvm_vm_ioctl(struct file *file, unsigned int ioctl,
			 unsigned long arg)
{
	return -ENOIOCTLCMD;
}

static int lookalike_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static const struct file_operations lookalike_vcpu_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= kvm_vcpu_ioctl,
	.release	= lookalike_release,
	.llseek		= noop_llseek,
};

static const struct file_operations lookalike_vm_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= kvm_vm_ioctl,
	.release	= lookalike_release,
	.llseek		= noop_llseek,
};

/* A new look-alike file with a page of zeroes as its private data. */
static int lookalike_new_fd(const char *name,
			    const struct file_operations *fops)
{
	void *buf;
	int fd;

	buf = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	fd = anon_inode_getfd(name, fops, buf, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		kfree(buf);
	return fd;
}

static long lookalike_dev_ioctl(struct file *file, unsigned int ioctl,
				unsigned long arg)
{
	switch (ioctl) {
	case LOOKALIKE_IOC_VCPU:
		return lookalike_new_fd("kvm-vcpu:0", &lookalike_vcpu_fops);
	case LOOKALIKE_IOC_VM:
		return lookalike_new_fd("kvm-vm", &lookalike_vm_fops);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations lookalike_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= lookalike_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice lookalike_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= LOOKALIKE_NAME,
	.fops	= &lookalike_dev_fops,
	.mode	= 0600,
};

module_misc_device(lookalike_miscdev);

MODULE_DESCRIPTION("vcpu_abort selftest: files that look like KVM's by name");
MODULE_LICENSE("GPL");
