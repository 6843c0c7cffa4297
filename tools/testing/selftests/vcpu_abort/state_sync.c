// SPDX-License-Identifier: GPL-2.0
/*
 * The PC-kept state sync, for each exit of the arch whose completion
 * writes registers (arch_sync_exits) and each policy: the vCPU stops in
 * the pending exit, the VMM answers it and writes one unrelated register
 * without moving the PC, then enters with immediate_exit. With policy off
 * (also without the module: upstream KVM) and reset the completion must
 * be kept, with always it must be gone; with the module, its kept and
 * discarded counts of the VM must say the same. Then the same with a write
 * that would move the vCPU and that KVM refuses (refused_write): the
 * completion must be kept under every policy, and counted neither kept
 * nor discarded: a failed ioctl leaves the vCPU as it was. libvcpuctl's
 * sync_check() does the work; vcpuctl sync prints the same checks as
 * tables.
 */
#include <linux/vcpu_abort.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/genl.h>
#include <vcpuctl/race.h>
#include <vcpuctl/sync.h>

#include "testutil.h"
#include "kselftest.h"

static const int policies[] = {
	VCPU_ABORT_POLICY_OFF, VCPU_ABORT_POLICY_RESET,
	VCPU_ABORT_POLICY_ALWAYS,
};

static void report(const struct sync_result *res)
{
	char name[64];

	snprintf(name, sizeof(name), "%s%s.policy_%s",
		 race_exit_name(res->exit),
		 res->write == SYNC_WRITE_REFUSED ? ".refused_write" : "",
		 vcpu_abort_policy_name(res->policy));
	switch (res->status) {
	case RACE_PASS:
		ksft_test_result_pass("%s\n", name);
		break;
	case RACE_SKIP:
		ksft_test_result_skip("%s: %s\n", name, res->reason);
		break;
	case RACE_FAIL:
		ksft_print_msg("%s: completion %s (expected %s); %s %llu %llu (%llu %llu)\n",
			       name, sync_outcome_name(res->outcome),
			       sync_outcome_name(res->expected),
			       "module counts kept, discarded, expected",
			       (unsigned long long)res->n_kept,
			       (unsigned long long)res->n_discarded,
			       (unsigned long long)res->want_kept,
			       (unsigned long long)res->want_discarded);
		ksft_test_result_fail("%s\n", name);
		break;
	default:
		ksft_print_msg("%s: %s\n", name, res->reason);
		ksft_test_result_fail("%s\n", name);
		break;
	}
}

int main(void)
{
	struct sync_result res;
	unsigned int p;
	int e, w;

	test_require(TEST_NEEDS_KVM);
	ksft_print_header();
	ksft_set_plan(SYNC_WRITE_COUNT * arch_nr_sync_exits *
		      ARRAY_SIZE(policies));
	for (w = 0; w < SYNC_WRITE_COUNT; w++) {
		for (e = 0; e < arch_nr_sync_exits; e++) {
			ksft_print_msg("%s, %s write: %s\n",
				       race_exit_name(arch_sync_exits[e].exit),
				       sync_write_name(w),
				       w == SYNC_WRITE_REFUSED ?
				       "KVM refuses it; the completion stays" :
				       arch_sync_exits[e].why);
			for (p = 0; p < ARRAY_SIZE(policies); p++) {
				sync_check(arch_sync_exits[e].exit,
					   policies[p], w, &res);
				report(&res);
			}
		}
	}
	ksft_finished();
	return 0;
}
