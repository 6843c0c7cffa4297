/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Completions the module must keep (VCPU_ABORT_INFO_KEPT): pending, but
 * they write no guest register and KVM needs them. Per arch in
 * arch/<arch>/kept.c; x86 has one the lab can produce, the Hyper-V
 * synthetic debugger's MSR write, whose completion stores userspace's
 * status for the guest's next read of HV_X64_MSR_SYNDBG_STATUS.
 */
#ifndef VCPUCTL_KEPT_H
#define VCPUCTL_KEPT_H

#include <stdint.h>

#include <linux/vcpu_abort.h>

#include <vcpuctl/kvm.h>
#include <vcpuctl/race.h>

struct kept_result {
	enum race_status status;
	char reason[VM_ERR_LEN];	/* skip reason, error or failure */
	char pending[160];		/* the exit and our answer */
	char action[160];		/* the ABORT, or the write under always */
	struct vcpu_abort_report before;	/* QUERY after the exit */
	struct vcpu_abort_report aborted;	/* ABORT's report (explicit) */
	int discarded;			/* DISCARD's kind (discard) */
	struct vcpu_abort_report after;		/* QUERY after the action */
	uint64_t answer;		/* what userspace answered */
	uint64_t seen;			/* what the guest read back */
};

/*
 * One check in a new VM: the exit that leaves such a completion pending,
 * answered; then, with abort RACE_ABORT_EXPLICIT, VCPU_ABORT_IOC_ABORT,
 * with RACE_ABORT_DISCARD, VCPU_ABORT_IOC_DISCARD,
 * or with RACE_ABORT_AUTO (policy as race_abort_set_policy() says, e.g.
 * always) a register write that keeps the PC; then KVM_RUN. PASS when
 * the report has VCPU_ABORT_INFO_KEPT before and after, the completion is
 * still pending after the action (DISCARD returned
 * VCPU_ABORT_KIND_NONE: nothing discarded) and the guest reads the answer
 * back.
 * SKIP where the arch has no such completion, without the module, or
 * when the kernel lacks what the exit needs.
 */
enum race_status kept_check(enum race_abort abort, struct kept_result *res);

#endif /* VCPUCTL_KEPT_H */
