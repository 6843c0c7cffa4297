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

/*
 * First what everything else looks KVM up with (symbols, the arch's
 * tables, KVM's file handlers), then the per-VM table and the transports,
 * then the policy hooks, which record into both, and last the default
 * policy, which may arm them.
 */
static int __init vcpu_abort_init(void)
{
	int ret;

	ret = vcpu_abort_symbols_init();
	if (ret)
		return ret;
	ret = vcpu_abort_arch_init();
	if (ret)
		goto err_symbols;
	ret = vcpu_abort_core_init();
	if (ret)
		goto err_arch;
	ret = vcpu_abort_vm_init();
	if (ret)
		goto err_arch;
	ret = vcpu_abort_netlink_init();
	if (ret)
		goto err_vm;
	ret = vcpu_abort_chardev_init();
	if (ret)
		goto err_netlink;
	ret = vcpu_abort_hooks_init();
	if (ret)
		goto err_chardev;
	vcpu_abort_vm_start();

	pr_info("loaded for %s, sizeof(struct kvm_vcpu)=%zu, default policy %s\n",
		init_utsname()->release, sizeof(struct kvm_vcpu),
		vcpu_abort_policy_name(vcpu_abort_default_policy()));
	return 0;

err_chardev:
	vcpu_abort_hooks_free();
	vcpu_abort_chardev_exit();
err_netlink:
	vcpu_abort_netlink_exit();
err_vm:
	vcpu_abort_vm_exit();
err_arch:
	vcpu_abort_arch_exit();
err_symbols:
	vcpu_abort_symbols_exit();
	return ret;
}

/*
 * VMs may be running: they keep running, with KVM's own behaviour again.
 * First no new discards (hooks), then no new explicit ones (the device:
 * none can be open, an open file holds the module), then the netlink
 * family once it sent the events queued, then the per-VM entries (they
 * hold no VM reference, so nothing is released in KVM).
 */
static void __exit vcpu_abort_exit(void)
{
	vcpu_abort_hooks_exit();
	vcpu_abort_chardev_exit();
	vcpu_abort_netlink_exit();
	vcpu_abort_vm_exit();
	vcpu_abort_hooks_free();
	vcpu_abort_arch_exit();
	vcpu_abort_symbols_exit();
	pr_info("unloaded\n");
}

module_init(vcpu_abort_init);
module_exit(vcpu_abort_exit);

MODULE_DESCRIPTION("Abort a KVM vCPU's pending userspace I/O completion");
MODULE_LICENSE("GPL");
MODULE_AUTHOR("vcpu-abort maintainers");
/* Set by the top-level Kbuild; a build of module/ on its own has none. */
#ifndef VCPU_ABORT_VERSION
#define VCPU_ABORT_VERSION "unknown"
#endif
MODULE_VERSION(VCPU_ABORT_VERSION);
