/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `vcpuctl sync`: the state-sync check. A VMM that answers an exit and
 * then writes registers without moving the PC (gem5, QEMU's VMware
 * backdoor: a register sync around the exit) relies on KVM still
 * finishing the pending operation on the next KVM_RUN. The vcpu_abort
 * policy "reset" must keep that completion, "always" must drop it.
 *
 * The arch part, in arch/<arch>/sync.c: which exits have a completion that
 * writes registers, one general purpose register unrelated to them that
 * the sync write changes, and what a kept completion leaves.
 */
#ifndef VCPUCTL_SYNC_H
#define VCPUCTL_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include <vcpuctl/kvm.h>
#include <vcpuctl/race.h>

struct arch_sync_exit {
	enum race_exit exit;
	/* What KVM does with a kept completion after such a write. */
	const char *why;
};

extern const struct arch_sync_exit arch_sync_exits[];
extern const int arch_nr_sync_exits;

/*
 * The sync write: changes one general purpose register that the exit's
 * completion does not touch, with the ioctl a VMM would use, and keeps
 * every other register, the PC included. *reg gets its index in
 * arch_reg_names, how the ioctl. 0 or -errno (in vcpu->vm->err).
 */
int arch_sync_write(struct vcpu *vcpu, int *reg, char *how, size_t len);

/*
 * What the registers must be after the next KVM_RUN if the completion was
 * kept, from the registers after the write and the exit as answered in
 * vcpu->run. *checked: the registers that say so (all but those the
 * completion rewrites from stale data of its own, e.g. powerpc hcall
 * r4..r12).
 */
void arch_sync_kept(const struct vcpu *vcpu, enum race_exit exit,
		    const struct race_regs *written, struct race_regs *kept,
		    unsigned int *checked);

#endif /* VCPUCTL_SYNC_H */
