// SPDX-License-Identifier: GPL-2.0
/*
 * The race's vcpu_abort hooks: the explicit ABORT ioctl between the exit
 * and the reset, and the auto-abort policy set once per VM through the
 * generic netlink family, after which the reset itself is all it takes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <vcpuctl/abort.h>
#include <vcpuctl/genl.h>
#include <vcpuctl/vcpu-abort.h>

static int auto_policy = VCPU_ABORT_POLICY_RESET;

/* What race_abort_setup() found, for the description of the reset. */
static uint32_t setup_policy, setup_vm_id = VCPU_ABORT_NL_NO_VM;

void race_abort_set_policy(int policy)
{
	auto_policy = policy;
}

int race_abort_policy(void)
{
	return auto_policy;
}

const char *race_abort_policy_name(int policy)
{
	return policy == RACE_POLICY_DEFAULT ? "default" :
	       vcpu_abort_policy_name(policy);
}

/*
 * The module's policy probes may be off (loaded with policy_hooks=0): the
 * policies then discard nothing.
 */
int race_abort_policy_hooks_on(char *why, size_t len)
{
	const char *param = "/sys/module/vcpu_abort/parameters/policy_hooks";
	FILE *f = fopen(param, "r");
	int c = f ? fgetc(f) : EOF;

	if (f)
		fclose(f);
	if (c == '0') {
		snprintf(why, len,
			 "vcpu_abort's policy hooks are off (%s: 0; see Documentation/hooks.rst)",
			 param);
		return 0;
	}
	return 1;
}

static int available_auto(char *why, size_t len)
{
	struct vcpu_abort_nl nl;
	uint32_t policy;
	int ret;

	if (auto_policy == VCPU_ABORT_POLICY_OFF) {
		snprintf(why, len,
			 "--abort auto with policy off discards nothing: that is --abort none");
		return 0;
	}
	ret = vcpu_abort_nl_open(&nl);
	if (ret) {
		snprintf(why, len, "%s", nl.err);
		vcpu_abort_nl_close(&nl);
		return 0;
	}
	if (!race_abort_policy_hooks_on(why, len)) {
		vcpu_abort_nl_close(&nl);
		return 0;
	}
	/*
	 * The module's default, if we may read it (CAP_NET_ADMIN); the policy
	 * each VM really gets is checked again in race_abort_setup().
	 */
	ret = auto_policy == RACE_POLICY_DEFAULT ?
	      vcpu_abort_nl_get_policy(&nl, -1, 0, &policy, NULL) : -1;
	vcpu_abort_nl_close(&nl);
	if (!ret && policy == VCPU_ABORT_POLICY_OFF) {
		snprintf(why, len,
			 "--policy default: the module's default policy is off (set one with 'vcpuctl policy --default reset' or default_policy=reset)");
		return 0;
	}
	return 1;
}

int race_abort_available(enum race_abort mode, char *why, size_t len)
{
	const char *dev = vcpu_abort_dev_path();

	switch (mode) {
	case RACE_ABORT_NONE:
		return 1;
	case RACE_ABORT_EXPLICIT:
	case RACE_ABORT_DISCARD:
		if (access(dev, F_OK)) {
			snprintf(why, len,
				 "vcpu_abort module not loaded (%s missing)",
				 dev);
			return 0;
		}
		return 1;
	case RACE_ABORT_AUTO:
		return available_auto(why, len);
	default:
		snprintf(why, len, "unknown abort mode %d", (int)mode);
		return 0;
	}
}

int race_abort_setup(struct vm *vm, enum race_abort mode)
{
	int auto_mode = mode == RACE_ABORT_AUTO;
	struct vcpu_abort_nl nl;
	uint32_t policy;
	int ret;

	setup_policy = VCPU_ABORT_POLICY_OFF;
	setup_vm_id = VCPU_ABORT_NL_NO_VM;
	ret = vcpu_abort_nl_open(&nl);
	if (ret) {
		vcpu_abort_nl_close(&nl);
		/* Without the module there is no policy to pin. */
		if (!auto_mode)
			return 0;
		return vm_error(vm, -ret, "--abort auto: %s", nl.err);
	}

	if (auto_mode && auto_policy == RACE_POLICY_DEFAULT) {
		ret = vcpu_abort_nl_get_policy(&nl, vm->fd, 0, &policy,
					       &setup_vm_id);
		if (!ret && policy == VCPU_ABORT_POLICY_OFF)
			ret = vm_error(vm, EINVAL,
				       "--policy default: this VM's policy is off (the module's default)");
		else if (ret)
			ret = vm_error(vm, -ret, "%s", nl.err);
	} else {
		policy = auto_mode ? (uint32_t)auto_policy :
				     VCPU_ABORT_POLICY_OFF;
		ret = vcpu_abort_nl_set_policy(&nl, vm->fd, 0, policy,
					       &setup_vm_id);
		if (ret)
			ret = vm_error(vm, -ret, "%s", nl.err);
	}
	vcpu_abort_nl_close(&nl);
	setup_policy = policy;
	return ret;
}

int race_abort_pending_exit(struct vcpu *vcpu, enum race_abort mode,
			    char *desc, size_t len)
{
	struct vcpu_abort_report report;
	char what[128], vm[32] = "";
	int dev, ret;

	if (mode == RACE_ABORT_AUTO) {
		/* Nothing to do: the reset's register writes are the trigger. */
		if (setup_vm_id != VCPU_ABORT_NL_NO_VM)
			snprintf(vm, sizeof(vm), " (vm %u)", setup_vm_id);
		snprintf(desc, len,
			 "nothing between the exit and the reset; policy %s%s%s: the module discards on the reset",
			 vcpu_abort_policy_name(setup_policy),
			 auto_policy == RACE_POLICY_DEFAULT ?
			 " from the module's default" : " set on this VM", vm);
		return 0;
	}
	if (mode != RACE_ABORT_EXPLICIT && mode != RACE_ABORT_DISCARD)
		return 0;
	/*
	 * Drop the completion KVM holds for this vCPU, so that the reset
	 * that follows is what the next KVM_RUN sees.
	 */
	dev = vcpu_abort_open();
	if (dev < 0)
		return vm_error(vcpu->vm, -dev, "open %s: %s",
				vcpu_abort_dev_path(), strerror(-dev));
	if (mode == RACE_ABORT_DISCARD) {
		ret = vcpu_abort_discard(dev, vcpu->fd);
		close(dev);
		if (ret < 0)
			return vm_error(vcpu->vm, -ret, "VCPU_ABORT_IOC_DISCARD: %s",
					strerror(-ret));
		snprintf(desc, len, "VCPU_ABORT_IOC_DISCARD discarded: %s",
			 vcpu_abort_kind_name(ret));
		return 0;
	}
	ret = vcpu_abort_ioctl(dev, VCPU_ABORT_IOC_ABORT, vcpu->fd, 0, &report);
	close(dev);
	if (ret)
		return vm_error(vcpu->vm, -ret, "VCPU_ABORT_IOC_ABORT: %s",
				strerror(-ret));
	vcpu_abort_describe(&report, what, sizeof(what));
	snprintf(desc, len, "VCPU_ABORT_IOC_ABORT discarded: %s", what);
	return 0;
}
