// SPDX-License-Identifier: GPL-2.0
/*
 * Thin wrappers over the vcpu_abort module's ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <vcpuctl/vcpu-abort.h>

const char *vcpu_abort_dev_path(void)
{
	const char *env = getenv("VCPUCTL_ABORT_DEV");

	return env && *env ? env : VCPU_ABORT_DEV_DEFAULT;
}

int vcpu_abort_open(void)
{
	int fd = open(vcpu_abort_dev_path(), O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int vcpu_abort_ioctl(int dev_fd, unsigned long req, int vcpu_fd,
		     uint32_t flags, struct vcpu_abort_report *report)
{
	struct vcpu_abort_args args = {
		.size = sizeof(args),
		.vcpu_fd = vcpu_fd,
		.flags = flags,
	};

	if (ioctl(dev_fd, req, &args) < 0)
		return -errno;
	*report = args.report;
	return 0;
}

int vcpu_abort_discard(int dev_fd, int vcpu_fd)
{
	int kind = ioctl(dev_fd, VCPU_ABORT_IOC_DISCARD, vcpu_fd);

	return kind < 0 ? -errno : kind;
}

const char *vcpu_abort_kind_name(uint32_t kind)
{
	static const char *const names[] = {
		[VCPU_ABORT_KIND_NONE]		= "nothing pending",
		[VCPU_ABORT_KIND_MMIO_LOAD]	= "MMIO load",
		[VCPU_ABORT_KIND_MMIO_STORE]	= "MMIO store",
		[VCPU_ABORT_KIND_PIO_IN]	= "port input",
		[VCPU_ABORT_KIND_PIO_OUT]	= "port output",
		[VCPU_ABORT_KIND_HYPERCALL]	= "hypercall",
		[VCPU_ABORT_KIND_MSR_READ]	= "MSR read",
		[VCPU_ABORT_KIND_MSR_WRITE]	= "MSR write",
		[VCPU_ABORT_KIND_PPC_OSI]	= "PPC OSI",
		[VCPU_ABORT_KIND_PPC_EPR]	= "PPC EPR",
		[VCPU_ABORT_KIND_OTHER]		= "other completion",
		[VCPU_ABORT_KIND_RISCV_CSR]	= "riscv CSR access",
	};

	if (kind < ARRAY_SIZE(names) && names[kind])
		return names[kind];
	return "unknown kind";
}

void vcpu_abort_describe(const struct vcpu_abort_report *r, char *buf,
			 size_t len)
{
	static const char *const classes[] = {
		"", "gpr", "fpr", "vsx", "vmx", "other register",
	};
	int n = snprintf(buf, len, "%s", vcpu_abort_kind_name(r->kind));

	if (r->kind == VCPU_ABORT_KIND_NONE || n < 0 || (size_t)n >= len)
		return;
	if (r->info & VCPU_ABORT_INFO_LEN)
		n += snprintf(buf + n, len - n, ", %u bytes", r->len);
	if ((r->info & VCPU_ABORT_INFO_ADDR) && (size_t)n < len)
		n += snprintf(buf + n, len - n, " at 0x%llx",
			      (unsigned long long)r->addr);
	if (r->count > 1 && (size_t)n < len)
		n += snprintf(buf + n, len - n, ", %u left", r->count);
	if (r->dest_class && r->dest_class < 6 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " into %s %u",
			      classes[r->dest_class], r->dest_reg);
	if ((r->info & VCPU_ABORT_INFO_PC_ADVANCED) && (size_t)n < len)
		snprintf(buf + n, len - n, " (PC already advanced)");
}
