/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vcpu_abort module's ioctls (uapi/linux/vcpu_abort.h), wrapped for
 * vcpuctl and the selftests: open the device, QUERY or ABORT a vCPU fd,
 * and describe a report in one line.
 */
#ifndef VCPUCTL_VCPU_ABORT_H
#define VCPUCTL_VCPU_ABORT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/vcpu_abort.h>

#include <vcpuctl/compiler.h>

#define VCPU_ABORT_DEV_DEFAULT	"/dev/" VCPU_ABORT_DEVICE_NAME

/* $VCPUCTL_ABORT_DEV or /dev/vcpu_abort. */
const char *vcpu_abort_dev_path(void);

/* Opens the device: fd, or -errno. */
int vcpu_abort_open(void);

/*
 * VCPU_ABORT_IOC_QUERY or VCPU_ABORT_IOC_ABORT of vcpu_fd with flags;
 * fills report. 0, or -errno as the module returned it.
 */
int vcpu_abort_ioctl(int dev_fd, unsigned long req, int vcpu_fd,
		     uint32_t flags, struct vcpu_abort_report *report);

/*
 * VCPU_ABORT_IOC_DISCARD of vcpu_fd: the kind discarded
 * (VCPU_ABORT_KIND_NONE if nothing was), or -errno.
 */
int vcpu_abort_discard(int dev_fd, int vcpu_fd);

const char *vcpu_abort_kind_name(uint32_t kind);

/* "MMIO load, 4 bytes at 0xd000 into gpr 0" or "nothing pending". */
void vcpu_abort_describe(const struct vcpu_abort_report *report,
			 char *buf, size_t len);

#endif /* VCPUCTL_VCPU_ABORT_H */
