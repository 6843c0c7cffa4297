// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort policy names and the module-wide default: the policy of every
 * VM that was not given one of its own. It is the module parameter
 * default_policy, e.g. "modprobe vcpu_abort default_policy=reset", and
 * can be changed at run time in /sys/module/vcpu_abort/parameters/ or
 * with VCPU_ABORT_CMD_SET_POLICY without a fd; both arm the policy hooks
 * before the new default takes effect (vcpu_abort_default_policy_set()).
 */
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "vcpu_abort.h"

/* The uapi header's names, as the netlink spec and vcpuctl spell them. */
static const char *const vcpu_abort_policy_names[VCPU_ABORT_POLICY_COUNT] = {
	VCPU_ABORT_POLICY_NAMES
};

/* Read locklessly by the hooks: one aligned word, READ_ONCE/WRITE_ONCE. */
static unsigned int vcpu_abort_default = VCPU_ABORT_POLICY_OFF;
/* Set once the hooks exist: a change must then arm them. */
static bool vcpu_abort_policy_live;

/**
 * vcpu_abort_policy_name() - the name of a policy, as userspace writes it
 * @policy: an &enum vcpu_abort_policy
 *
 * Return: "off", "reset", "always", or "?" for anything else.
 */
const char *vcpu_abort_policy_name(enum vcpu_abort_policy policy)
{
	if ((unsigned int)policy >= VCPU_ABORT_POLICY_COUNT)
		return "?";
	return vcpu_abort_policy_names[policy];
}

/**
 * vcpu_abort_default_policy() - the policy of VMs without one of their own
 *
 * Context: any, also the hooks' atomic context.
 * Return: an &enum vcpu_abort_policy.
 */
__vcpu_abort_hot enum vcpu_abort_policy vcpu_abort_default_policy(void)
{
	return READ_ONCE(vcpu_abort_default);
}

/**
 * vcpu_abort_default_policy_store() - record a new default
 * @policy: an &enum vcpu_abort_policy, already validated
 *
 * Only records it: vcpu_abort_default_policy_set() arms the hooks first.
 */
void vcpu_abort_default_policy_store(enum vcpu_abort_policy policy)
{
	WRITE_ONCE(vcpu_abort_default, policy);
}

/**
 * vcpu_abort_policy_go_live() - from now on, a new default arms the hooks
 *
 * Called by vcpu_abort_vm_start() at the end of the module's init: the
 * parameter given at load is only stored, before the hooks exist.
 */
void vcpu_abort_policy_go_live(void)
{
	WRITE_ONCE(vcpu_abort_policy_live, true);
}

static int vcpu_abort_default_policy_param_set(const char *val,
					       const struct kernel_param *kp)
{
	int policy = sysfs_match_string(vcpu_abort_policy_names, val);

	if (policy < 0)
		return -EINVAL;
	if (!READ_ONCE(vcpu_abort_policy_live)) {
		vcpu_abort_default_policy_store(policy);
		return 0;
	}
	return vcpu_abort_default_policy_set(policy, NULL);
}

static int vcpu_abort_default_policy_param_get(char *buffer,
					       const struct kernel_param *kp)
{
	/* Not sysfs_emit(): it WARNs unless @buffer is a whole page. */
	return scnprintf(buffer, PAGE_SIZE, "%s\n",
			 vcpu_abort_policy_name(vcpu_abort_default_policy()));
}

static const struct kernel_param_ops vcpu_abort_default_policy_ops = {
	.set	= vcpu_abort_default_policy_param_set,
	.get	= vcpu_abort_default_policy_param_get,
};

module_param_cb(default_policy, &vcpu_abort_default_policy_ops, NULL, 0644);
MODULE_PARM_DESC(default_policy,
		 "Auto-abort policy of VMs without their own: off (default: explicit aborts only), reset (on vCPU reset or a register write that moves the vCPU), always (on every register write)");
