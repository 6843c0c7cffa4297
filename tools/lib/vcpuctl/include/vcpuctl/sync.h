/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state-sync check (vcpuctl sync, the selftest state_sync). A VMM
 * that answers an exit and
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

#include <linux/vcpu_abort.h>

#include <vcpuctl/kvm.h>
#include <vcpuctl/race.h>

struct arch_sync_exit {
	enum race_exit exit;
	/* What KVM does with a kept completion after such a write. */
	const char *why;
};

/* The write between the exit and the next KVM_RUN. */
enum sync_write {
	SYNC_WRITE_PC_KEPT,	/* arch_sync_write(): one unrelated register */
	SYNC_WRITE_REFUSED,	/* arch_sync_refused_write(): KVM refuses it */
	SYNC_WRITE_COUNT,
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
 * The refused write: one that would move the vCPU elsewhere (another PC or
 * mode) and that KVM refuses before it writes anything. A failed ioctl
 * leaves the vCPU as it was, its completion too, under every policy. 0
 * with KVM's errno in *err and how the ioctl; -EOPNOTSUPP if the arch has no
 * such write here (how says why); another -errno (in vcpu->vm->err) if
 * KVM took the write or the setup failed.
 */
int arch_sync_refused_write(struct vcpu *vcpu, int *err, char *how,
			    size_t len);

/*
 * What the registers must be after the next KVM_RUN if the completion was
 * kept, from the registers after @write and the exit as answered in
 * vcpu->run. *checked: the registers that say so (all but those the
 * completion rewrites from stale data of its own, e.g. powerpc hcall
 * r4..r12).
 */
void arch_sync_kept(const struct vcpu *vcpu, enum race_exit exit,
		    enum sync_write write, const struct race_regs *written,
		    struct race_regs *kept, unsigned int *checked);

/* What the next KVM_RUN did with the completion. */
enum sync_outcome {
	SYNC_KEPT,	/* the completion ran: registers as arch_sync_kept() */
	SYNC_GONE,	/* it did not: registers as written */
	SYNC_OTHER,	/* neither */
};

const char *sync_outcome_name(enum sync_outcome outcome);

const char *sync_write_name(enum sync_write write);

struct sync_result {
	enum race_exit exit;
	int policy;			/* VCPU_ABORT_POLICY_* */
	enum sync_write write;
	int refused_errno;		/* SYNC_WRITE_REFUSED: KVM's errno */
	enum race_status status;
	int module;			/* the policy was set through the module */
	uint32_t vm_id;
	char reason[VM_ERR_LEN];	/* skip reason or error */
	char pending[160];		/* the exit and our answer */
	char write_how[160];		/* the sync write */
	char after_write[160];		/* QUERY after the write, if the module is there */
	int other;			/* the register the write changed, or -1 */
	struct race_regs at_exit, written, after, kept;
	unsigned int checked;		/* registers that tell "kept" */
	enum sync_outcome outcome, expected;
	/* The module's count for the VM (GET_STATS), with the module only. */
	uint64_t n_kept, n_discarded, want_kept, want_discarded;
};

/*
 * One check in a new VM: the exit left pending, the VM's policy (a
 * VCPU_ABORT_POLICY_*, set with netlink SET_POLICY; off also runs without
 * the module), then @write. PASS when the completion was kept (policy
 * off, reset; every policy after a refused write) or gone (always after
 * the PC-kept write) and, with the module, its kept and discarded counts
 * of the VM say the same (a refused write counts neither). SKIP without
 * the module for reset and always, when the kernel lacks what the exit
 * needs, or the arch has no refused write. Uses SIGALRM to end a KVM_RUN
 * that does not exit. Returns the status, also in res->status.
 */
enum race_status sync_check(enum race_exit exit, int policy,
			    enum sync_write write, struct sync_result *res);

/* What KVM does with a kept completion of that exit, for reports. */
const char *sync_exit_why(enum race_exit exit);

#endif /* VCPUCTL_SYNC_H */
