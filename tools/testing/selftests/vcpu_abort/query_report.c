// SPDX-License-Identifier: GPL-2.0
/*
 * What QUERY reports for each pending exit of libvcpuctl's guest code,
 * field by field: kind, direction, address, length, count, destination
 * register and info bits, as the arch's pending.c derives them from KVM's
 * own state (arch/<arch>/query_variants.h: one variant per exit, with the
 * guest layout of tools/lib/vcpuctl/arch/<arch>/guest.h). ABORT reports
 * the same and leaves nothing pending.
 */
#include <string.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/vcpu-abort.h>

#include "kselftest_harness.h"
#include "testutil.h"

FIXTURE(query) {
	struct tvm t;
	int dev;
	int problems;		/* kernel log complaints before the test */
};

FIXTURE_VARIANT(query) {
	enum race_exit exit;
	struct vcpu_abort_report want;
};

#include "query_variants.h"

FIXTURE_SETUP(query)
{
	self->dev = vcpu_abort_open();
	self->problems = kmsg_problems(NULL, 0);
}

FIXTURE_TEARDOWN(query)
{
	tvm_destroy(&self->t);
	if (self->dev >= 0)
		close(self->dev);
}

static void expect_report(struct __test_metadata *_metadata,
			  const struct vcpu_abort_report *want,
			  const struct vcpu_abort_report *got)
{
	char w[192], g[192];

	vcpu_abort_describe(want, w, sizeof(w));
	vcpu_abort_describe(got, g, sizeof(g));
	EXPECT_EQ(want->kind, got->kind) TH_LOG("want %s, got %s", w, g);
	EXPECT_EQ(want->dir, got->dir) TH_LOG("want %s, got %s", w, g);
	EXPECT_EQ(want->info, got->info)
		TH_LOG("info: want 0x%x, got 0x%x", want->info, got->info);
	EXPECT_EQ(want->addr, got->addr)
		TH_LOG("addr: want 0x%llx, got 0x%llx",
		       (unsigned long long)want->addr,
		       (unsigned long long)got->addr);
	EXPECT_EQ(want->len, got->len);
	EXPECT_EQ(want->count, got->count);
	EXPECT_EQ(want->dest_class, got->dest_class)
		TH_LOG("want %s, got %s", w, g);
	EXPECT_EQ(want->dest_reg, got->dest_reg)
		TH_LOG("want %s, got %s", w, g);
	EXPECT_EQ(0, got->reserved[0] | got->reserved[1] | got->reserved[2]);
}

TEST_F(query, reports_the_pending_exit)
{
	const struct race_case c = {
		.exit = variant->exit, .reset = arch_resets[0],
	};
	struct vcpu_abort_report queried, aborted, after;
	struct vcpu *vcpu = &self->t.vcpu[0];
	char why[VM_ERR_LEN], desc[160];

	if (skip_without_module(_metadata, self->dev))
		return;
	if (!case_supported(&c, why, sizeof(why)))
		SKIP(return, "%s", why);
	ASSERT_EQ(0, tvm_create(&self->t, 1, &c)) TH_LOG("%s", self->t.vm.err);
	ASSERT_EQ(0, tvm_run_to_exit(vcpu, &c, desc, sizeof(desc)))
		TH_LOG("%s", self->t.vm.err);
	TH_LOG("%s", desc);

	ASSERT_EQ(0, vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_QUERY,
				      vcpu->fd, 0, &queried));
	expect_report(_metadata, &variant->want, &queried);

	/* ABORT discards what QUERY reported, and only once. */
	ASSERT_EQ(0, vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_ABORT,
				      vcpu->fd, 0, &aborted));
	expect_report(_metadata, &variant->want, &aborted);
	ASSERT_EQ(0, vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_QUERY,
				      vcpu->fd, 0, &after));
	EXPECT_EQ(VCPU_ABORT_KIND_NONE, after.kind);
	expect_kmsg_clean(_metadata, self->problems);
}

/* Without KVM or the module every test here is a skip. */
int main(int argc, char **argv)
{
	test_require(TEST_NEEDS_KVM | TEST_NEEDS_MODULE);
	return test_harness_run(argc, argv);
}
