/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface of the test module vcpu_abort_lookalike, shared by the
 * module and the selftest fd_kinds: its misc device and the two ioctls
 * that hand out a look-alike file as a new file descriptor.
 */
#ifndef VCPU_ABORT_LOOKALIKE_H
#define VCPU_ABORT_LOOKALIKE_H

#include <linux/ioctl.h>

#define LOOKALIKE_NAME		"vcpu_abort_lookalike"
#define LOOKALIKE_DEVICE	"/dev/" LOOKALIKE_NAME

#define LOOKALIKE_IOC_MAGIC	0xB8
/* A file named "kvm-vcpu:0" whose ioctl handler is named kvm_vcpu_ioctl. */
#define LOOKALIKE_IOC_VCPU	_IO(LOOKALIKE_IOC_MAGIC, 0x00)
/* A file named "kvm-vm" whose ioctl handler is named kvm_vm_ioctl. */
#define LOOKALIKE_IOC_VM	_IO(LOOKALIKE_IOC_MAGIC, 0x01)

#endif /* VCPU_ABORT_LOOKALIKE_H */
