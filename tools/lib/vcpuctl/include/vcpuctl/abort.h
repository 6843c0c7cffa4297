/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The race engine's hooks into the vcpu_abort kernel module (module/ in
 * this repo), which drops a vCPU's pending completion before a reset:
 * "explicit" is one ABORT ioctl between the exit and the reset; "auto"
 * sets the VM's auto-abort policy (generic netlink SET_POLICY) when the VM
 * is created and then does nothing between the exit and the reset: the
 * module discards the completion when the reset writes the registers.
 * "none" and "explicit" pin the VM's policy to off when the module is
 * loaded, so that a module default cannot turn them into "auto".
 */
#ifndef VCPUCTL_ABORT_H
#define VCPUCTL_ABORT_H

#include <stddef.h>

#include <vcpuctl/kvm.h>
#include <vcpuctl/race.h>

/*
 * The policy "auto" sets on each race VM: a VCPU_ABORT_POLICY_* value
 * (default VCPU_ABORT_POLICY_RESET), or RACE_POLICY_DEFAULT to set none
 * and use the VM's policy as the module gives it (its default_policy,
 * set from outside: modprobe, sysfs or `vcpuctl policy --default`).
 */
#define RACE_POLICY_DEFAULT	(-1)
void race_abort_set_policy(int policy);
int race_abort_policy(void);
/* "reset", "always", "off" or "default". */
const char *race_abort_policy_name(int policy);

/* 1 if the module's policy probes are set, 0 if not (why says so). */
int race_abort_policy_hooks_on(char *why, size_t len);

/* 1 if mode can be used, 0 if not (why says so). */
int race_abort_available(enum race_abort mode, char *why, size_t len);

/*
 * Prepares the VM for mode, before its first vCPU exists (auto: sets the
 * policy; none/explicit: pins it off if the module is loaded); 0 or
 * -errno, recorded in vm->err.
 */
int race_abort_setup(struct vm *vm, enum race_abort mode);

/*
 * Called after the vCPU stopped in its pending exit and right before the
 * reset, by the thread that resets. For "explicit" this drops the pending
 * completion and describes what was dropped in desc; for "auto" it only
 * describes the policy that will; 0 or -errno.
 */
int race_abort_pending_exit(struct vcpu *vcpu, enum race_abort mode,
			    char *desc, size_t len);

#endif /* VCPUCTL_ABORT_H */
