// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort: discard a KVM vCPU's pending MMIO, port I/O, hypercall or
 * MSR completion so that a vCPU reset is not clobbered by it.
 *
 * This file is the module's entry point. It builds against the KVM
 * headers of the running kernel and reports the layout it was built for.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <linux/module.h>
#include <linux/utsname.h>

#include "vcpu_abort.h"

static int __init vcpu_abort_init(void)
{
	int ret;

	vcpu_abort_stats_init();
	ret = vcpu_abort_chardev_init();
	if (ret) {
		vcpu_abort_stats_exit();
		return ret;
	}

	pr_info("loaded for %s, sizeof(struct kvm_vcpu)=%zu\n",
		init_utsname()->release, sizeof(struct kvm_vcpu));
	return 0;
}

static void __exit vcpu_abort_exit(void)
{
	/* No new aborts can start once the device is gone. */
	vcpu_abort_chardev_exit();
	vcpu_abort_stats_exit();
	pr_info("unloaded\n");
}

module_init(vcpu_abort_init);
module_exit(vcpu_abort_exit);

MODULE_DESCRIPTION("Abort a KVM vCPU's pending userspace I/O completion");
MODULE_LICENSE("GPL");
