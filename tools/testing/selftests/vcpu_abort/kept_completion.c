// SPDX-License-Identifier: GPL-2.0
/*
 * Completions the module must never discard (issue 12, finding 9): they
 * write no guest register and KVM needs them, so a report says
 * VCPU_ABORT_INFO_KEPT and neither an explicit ABORT, a DISCARD nor policy
 * always drops them. On x86 the Hyper-V synthetic debugger's MSR write (the
 * guest reads the status userspace answered back); libvcpuctl's
 * kept_check() does the work, and skips on arches without one.
 */
#include <vcpuctl/abort.h>
#include <vcpuctl/kept.h>

#include "kselftest_harness.h"
#include "testutil.h"

static void expect_kept(struct __test_metadata *_metadata,
			enum race_abort abort)
{
	struct kept_result res;

	kept_check(abort, &res);
	if (res.status == RACE_SKIP)
		SKIP(return, "%s", res.reason);
	ASSERT_NE(RACE_ERROR, res.status) TH_LOG("%s", res.reason);
	TH_LOG("%s; then %s", res.pending, res.action);
	EXPECT_EQ(RACE_PASS, res.status)
		TH_LOG("%s: info 0x%x -> 0x%x, kind %u -> %u; read 0x%llx, answered 0x%llx",
		       res.reason, res.before.info, res.after.info,
		       res.before.kind, res.after.kind,
		       (unsigned long long)res.seen,
		       (unsigned long long)res.answer);
}

/* ABORT reports it as kept and leaves it pending. */
TEST(explicit_abort_keeps)
{
	expect_kept(_metadata, RACE_ABORT_EXPLICIT);
}

/* DISCARD returns "nothing discarded" and leaves it pending. */
TEST(discard_keeps)
{
	expect_kept(_metadata, RACE_ABORT_DISCARD);
}

/* A register write under policy always keeps it too. */
TEST(policy_always_keeps)
{
	race_abort_set_policy(VCPU_ABORT_POLICY_ALWAYS);
	expect_kept(_metadata, RACE_ABORT_AUTO);
}

int main(int argc, char **argv)
{
	test_require(TEST_NEEDS_KVM);
	return test_harness_run(argc, argv);
}
