/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The race engine's hooks into the vcpu_abort kernel module (module/ in
 * this repo), which drops a vCPU's pending completion before a reset:
 * "explicit" is one ABORT ioctl between the exit and the reset.
 */
#ifndef VCPUCTL_ABORT_H
#define VCPUCTL_ABORT_H

#include <stddef.h>

#include <vcpuctl/kvm.h>
#include <vcpuctl/race.h>

/* 1 if mode can be used, 0 if not (why says so). */
int race_abort_available(enum race_abort mode, char *why, size_t len);

/* Prepares the VM for mode (auto: arm the module); 0 or -errno. */
int race_abort_setup(struct vm *vm, enum race_abort mode);

/*
 * Called after the vCPU stopped in its pending exit and right before the
 * reset, by the thread that resets. For "explicit" this drops the pending
 * completion and describes what was dropped in desc; 0 or -errno.
 */
int race_abort_pending_exit(struct vcpu *vcpu, enum race_abort mode,
			    char *desc, size_t len);

#endif /* VCPUCTL_ABORT_H */
