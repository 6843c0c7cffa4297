// SPDX-License-Identifier: GPL-2.0
/*
 * The vcpu_abort hooks. Only "none" works today; the other modes say why
 * not, and the hook below is the single place the explicit abort goes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <vcpuctl/abort.h>
#include <vcpuctl/vcpu-abort.h>

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
	if (mode == RACE_ABORT_AUTO) {
		snprintf(why, len,
			 "--abort auto needs the module's auto-abort policy, which this version does not have");
		return 0;
	}
	return 1;
}

int race_abort_setup(struct vm *vm, enum race_abort mode)
{
	(void)vm;
	(void)mode;
	/* "auto" will arm the module for this VM here. */
	return 0;
}

int race_abort_pending_exit(struct vcpu *vcpu, enum race_abort mode,
			    char *desc, size_t len)
{
	struct vcpu_abort_report report;
	char what[128];
	int dev, ret;

	if (mode != RACE_ABORT_EXPLICIT)
		return 0;
	/*
	 * Drop the completion KVM holds for this vCPU, so that the reset
	 * that follows is what the next KVM_RUN sees.
	 */
	dev = vcpu_abort_open();
	if (dev < 0)
		return vm_error(vcpu->vm, -dev, "open %s: %s",
				vcpu_abort_dev_path(), strerror(-dev));
	ret = vcpu_abort_ioctl(dev, VCPU_ABORT_IOC_ABORT, vcpu->fd, 0, &report);
	close(dev);
	if (ret)
		return vm_error(vcpu->vm, -ret, "VCPU_ABORT_IOC_ABORT: %s",
				strerror(-ret));
	vcpu_abort_describe(&report, what, sizeof(what));
	snprintf(desc, len, "VCPU_ABORT_IOC_ABORT discarded: %s", what);
	return 0;
}
