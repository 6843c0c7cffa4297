/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hooks for the vcpu_abort kernel module (module/ in this repo), which will
 * let userspace drop a vCPU's pending completion before it resets the vCPU.
 * The module does not exist yet: every mode but "none" is reported as not
 * available, and race_abort_pending_exit() is where the explicit abort will
 * become one call between the exit and the reset.
 */
#ifndef VCPUCTL_ABORT_H
#define VCPUCTL_ABORT_H

#include <stddef.h>

#include <vcpuctl/kvm.h>
#include <vcpuctl/race.h>

#define VCPU_ABORT_DEV_DEFAULT	"/dev/vcpu_abort"

/* $VCPUCTL_ABORT_DEV or the default. */
const char *vcpu_abort_dev_path(void);

/* 1 if mode can be used, 0 if not (why says so). */
int race_abort_available(enum race_abort mode, char *why, size_t len);

/* Prepares the VM for mode (auto: arm the module); 0 or -errno. */
int race_abort_setup(struct vm *vm, enum race_abort mode);

/*
 * THE HOOK: called after the vCPU stopped in its pending exit and right
 * before the reset, by the thread that resets. For "explicit" this is
 * where the pending completion gets dropped.
 */
int race_abort_pending_exit(struct vcpu *vcpu, enum race_abort mode);

#endif /* VCPUCTL_ABORT_H */
