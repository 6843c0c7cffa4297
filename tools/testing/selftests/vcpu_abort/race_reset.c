// SPDX-License-Identifier: GPL-2.0
/*
 * The reset race, one test per pending exit and reset path of the arch
 * (arch/<arch>/race_variants.h), in the real VMM case: vCPU 0 sits in its
 * pending exit while another thread resets it, then a full KVM_RUN shows
 * where the guest went. The race engine is libvcpuctl's (vcpuctl race).
 *
 * clobbered_without_abort is the negative control: the race must be there
 * on this kernel (with the VM's policy pinned off if the module is loaded)
 * before intact_with_explicit_abort, intact_with_discard and the policy
 * tests may claim to fix it. The policy tests change nothing in the VMM's
 * reset path: they only give the VM a policy, through netlink, when it is
 * created.
 */
#include <string.h>

#include <vcpuctl/abort.h>
#include <vcpuctl/race.h>

#include <linux/vcpu_abort.h>

#include "kselftest_harness.h"
#include "testutil.h"

FIXTURE(race) {
};

FIXTURE_VARIANT(race) {
	enum race_exit exit;
	enum race_reset reset;
};

#include "race_variants.h"

FIXTURE_SETUP(race)
{
}

FIXTURE_TEARDOWN(race)
{
}

static enum race_status run_case(enum race_exit exit, enum race_reset reset,
				 enum race_abort abort,
				 struct race_result *res)
{
	const struct race_case c = {
		.exit = exit, .reset = reset,
		.by = RACE_BY_OTHER, .entry = RACE_ENTRY_RUN, .abort = abort,
	};

	return race_run_case(&c, res);
}

/*
 * With @abort the race must leave every register as the reset set it, and
 * the vCPU must start the reset code at its first instruction.
 */
static void expect_intact(struct __test_metadata *_metadata,
			  enum race_exit exit, enum race_reset reset,
			  enum race_abort abort)
{
	struct race_result res;
	char why[256];

	if (!race_abort_available(abort, why, sizeof(why)))
		SKIP(return, "%s", why);
	run_case(exit, reset, abort, &res);
	if (res.status == RACE_SKIP)
		SKIP(return, "%s", res.reason);
	ASSERT_NE(RACE_ERROR, res.status) TH_LOG("%s", res.reason);
	EXPECT_EQ(0, res.clobbered) TH_LOG("%s", res.aborted);
	EXPECT_EQ(RACE_RESUME_RESET, res.resume) TH_LOG("%s", res.resume_desc);
	EXPECT_EQ(0, res.resume_offset);
}

TEST_F_TIMEOUT(race, clobbered_without_abort, 180)
{
	struct race_result res;

	run_case(variant->exit, variant->reset, RACE_ABORT_NONE, &res);
	if (res.status == RACE_SKIP)
		SKIP(return, "%s", res.reason);
	ASSERT_NE(RACE_ERROR, res.status) TH_LOG("%s", res.reason);
	if (!res.expected) {
		/* Nothing to clobber by design, so nothing may be. */
		ASSERT_EQ(0, res.clobbered);
		SKIP(return, "the kernel guards this case: nothing pending would land");
	}
	if (!res.clobbered)
		SKIP(return, "this kernel no longer clobbers this case");
	EXPECT_EQ(res.expected, res.clobbered)
		TH_LOG("clobbered 0x%x, expected 0x%x; reset code: %s",
		       res.clobbered, res.expected, res.resume_desc);
}

TEST_F_TIMEOUT(race, intact_with_explicit_abort, 180)
{
	expect_intact(_metadata, variant->exit, variant->reset,
		      RACE_ABORT_EXPLICIT);
}

/* The report-less DISCARD, what a reset path calls, fixes it as well. */
TEST_F_TIMEOUT(race, intact_with_discard, 180)
{
	expect_intact(_metadata, variant->exit, variant->reset,
		      RACE_ABORT_DISCARD);
}

/* With policy reset, the reset alone leaves the vCPU intact. */
TEST_F_TIMEOUT(race, intact_with_policy_reset, 180)
{
	race_abort_set_policy(VCPU_ABORT_POLICY_RESET);
	expect_intact(_metadata, variant->exit, variant->reset,
		      RACE_ABORT_AUTO);
}

TEST_F_TIMEOUT(race, intact_with_policy_always, 180)
{
	race_abort_set_policy(VCPU_ABORT_POLICY_ALWAYS);
	expect_intact(_metadata, variant->exit, variant->reset,
		      RACE_ABORT_AUTO);
}

/* Without KVM every test here is a skip. */
int main(int argc, char **argv)
{
	test_require(TEST_NEEDS_KVM);
	return test_harness_run(argc, argv);
}
