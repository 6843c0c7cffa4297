// SPDX-License-Identifier: GPL-2.0
/*
 * The vcpu_abort hooks. Only "none" works today; the other modes say why
 * not, and the hook below is the single place the explicit abort goes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vcpuctl/abort.h>

const char *vcpu_abort_dev_path(void)
{
	const char *env = getenv("VCPUCTL_ABORT_DEV");

	return env && *env ? env : VCPU_ABORT_DEV_DEFAULT;
}

int race_abort_available(enum race_abort mode, char *why, size_t len)
{
	const char *dev = vcpu_abort_dev_path();

	if (mode == RACE_ABORT_NONE)
		return 1;
	if (access(dev, F_OK)) {
		snprintf(why, len, "vcpu_abort module not loaded (%s missing)",
			 dev);
		return 0;
	}
	/* The device exists but its ioctls are not defined yet. */
	snprintf(why, len,
		 "--abort %s is not implemented by this vcpuctl yet (%s exists, its ioctls are not defined)",
		 race_abort_name(mode), dev);
	return 0;
}

int race_abort_setup(struct vm *vm, enum race_abort mode)
{
	(void)vm;
	(void)mode;
	/* "auto" will arm the module for this VM here. */
	return 0;
}

int race_abort_pending_exit(struct vcpu *vcpu, enum race_abort mode)
{
	(void)vcpu;
	if (mode != RACE_ABORT_EXPLICIT)
		return 0;
	/*
	 * "explicit": ask vcpu_abort to drop the completion KVM holds for
	 * this vCPU (MMIO, PIO, hypercall, MSR), so that the reset that
	 * follows is what the next KVM_RUN sees. Unreachable until the module
	 * exists: race_abort_available() refuses the mode first.
	 */
	return -ENOSYS;
}
