/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vcpu_abort: userspace interface of the vcpu_abort module, which discards
 * a KVM vCPU's pending MMIO, port I/O, hypercall or MSR completion.
 */
#ifndef _UAPI_LINUX_VCPU_ABORT_H
#define _UAPI_LINUX_VCPU_ABORT_H

/* The misc device a VMM opens: /dev/vcpu_abort. */
#define VCPU_ABORT_DEVICE_NAME		"vcpu_abort"

/* The generic netlink family of the control plane. */
#define VCPU_ABORT_GENL_NAME		"vcpu_abort"

#endif /* _UAPI_LINUX_VCPU_ABORT_H */
