// SPDX-License-Identifier: GPL-2.0
/*
 * powerpc nested-v2: where kvm_hv runs as a guest of a hypervisor that
 * offers the PAPR nested API (PowerVM; QEMU's cap-nested-papr), a vCPU's
 * registers are a cache of the parent's state that KVM reloads on demand,
 * and the module refuses such vCPUs rather than read a stale PC:
 *
 *   query_and_abort_refused   QUERY, ABORT (ioctl and netlink) and DISCARD:
 *                             EOPNOTSUPP
 *   completion_left_to_kvm    after a refused ABORT, KVM_RUN still makes
 *                             the pending hcall's completion
 *   policy_does_nothing       under policy always, a KVM_SET_REGS discards
 *                             nothing and counts nothing
 *
 * On a vCPU that is not nested-v2 (bare metal, nested-v1) and on other
 * arches the tests skip: how the host runs is told by KVM itself, not by
 * the module (libvcpuctl's ppc_kvm_host()).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/genl.h>
#include <vcpuctl/vcpu-abort.h>

#include "kselftest_harness.h"
#include "testutil.h"

#if defined(__PPC64__)

#include "host.h"

FIXTURE(nestedv2) {
	struct tvm t;
	struct vcpu *vcpu;
	struct race_case c;
	int dev;
	uint64_t answer;	/* the hcall's return value, in the run page */
};

FIXTURE_SETUP(nestedv2)
{
	enum ppc_kvm_host host;
	char why[160];

	self->c = (struct race_case){ .exit = RACE_EXIT_HYPERCALL,
				      .reset = arch_resets[0] };
	self->dev = vcpu_abort_open();
	if (skip_without_module(_metadata, self->dev))
		return;
	host = ppc_kvm_host(why, sizeof(why));
	if (host != PPC_KVM_HOST_NESTED_V2)
		SKIP(return, "not a nested-v2 host: %s",
		     host == PPC_KVM_HOST_UNKNOWN ? why : ppc_kvm_host_name(host));
	ASSERT_EQ(0, tvm_create(&self->t, 1, &self->c))
		TH_LOG("%s", self->t.vm.err);
	self->vcpu = &self->t.vcpu[0];
	ASSERT_EQ(0, tvm_run_to_exit(self->vcpu, &self->c, NULL, 0))
		TH_LOG("%s", self->t.vm.err);
	self->answer = self->vcpu->run->papr_hcall.ret;
}

FIXTURE_TEARDOWN(nestedv2)
{
	if (self->dev < 0)
		return;
	tvm_destroy(&self->t);
	close(self->dev);
}

/* KVM_RUN with immediate_exit: makes the completion, enters nothing. */
static void complete_without_entering(struct __test_metadata *_metadata,
				      struct vcpu *vcpu)
{
	int ret;

	vcpu->run->immediate_exit = 1;
	ret = ioctl(vcpu->fd, KVM_RUN, NULL);
	vcpu->run->immediate_exit = 0;
	ASSERT_EQ(-1, ret);
	ASSERT_EQ(EINTR, errno);
}

TEST_F(nestedv2, query_and_abort_refused)
{
	struct vcpu_abort_report r;
	struct vcpu_abort_nl nl;

	EXPECT_EQ(-EOPNOTSUPP, vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_QUERY,
						self->vcpu->fd, 0, &r));
	EXPECT_EQ(-EOPNOTSUPP, vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_ABORT,
						self->vcpu->fd, 0, &r));
	EXPECT_EQ(-EOPNOTSUPP, vcpu_abort_discard(self->dev, self->vcpu->fd));
	ASSERT_EQ(0, vcpu_abort_nl_open(&nl)) TH_LOG("%s", nl.err);
	EXPECT_EQ(-EOPNOTSUPP, vcpu_abort_nl_query(&nl, VCPU_ABORT_CMD_QUERY,
						   self->vcpu->fd, 0, &r))
		TH_LOG("%s", nl.err);
	EXPECT_EQ(-EOPNOTSUPP, vcpu_abort_nl_query(&nl, VCPU_ABORT_CMD_ABORT,
						   self->vcpu->fd, 0, &r))
		TH_LOG("%s", nl.err);
	vcpu_abort_nl_close(&nl);
}

TEST_F(nestedv2, completion_left_to_kvm)
{
	struct vcpu_abort_report r;
	struct race_regs regs;

	EXPECT_EQ(-EOPNOTSUPP, vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_ABORT,
						self->vcpu->fd, 0, &r));
	complete_without_entering(_metadata, self->vcpu);
	ASSERT_EQ(0, arch_read_regs(self->vcpu, &regs));
	/* r3, in arch_reg_names order: KVM wrote the hcall's answer. */
	EXPECT_EQ(self->answer, regs.val[1]);
}

struct vm_count {
	uint32_t vm_id;
	int found;
	uint64_t discarded, kept;
};

static int vm_count_cb(const struct vcpu_abort_nl_stats *st, void *arg)
{
	struct vm_count *n = arg;
	int i;

	if (st->vm_id != n->vm_id)
		return 0;
	n->found = 1;
	n->kept = st->kept;
	n->discarded = 0;
	for (i = 0; i < VCPU_ABORT_TRIGGER_COUNT; i++)
		n->discarded += st->trigger[i];
	return 0;
}

TEST_F(nestedv2, policy_does_nothing)
{
	struct vm_count n = { 0 };
	struct vcpu_abort_nl nl;
	struct race_regs after;
	struct kvm_regs regs;

	ASSERT_EQ(0, vcpu_abort_nl_open(&nl)) TH_LOG("%s", nl.err);
	ASSERT_EQ(0, vcpu_abort_nl_set_policy(&nl, self->t.vm.fd, 0,
					      VCPU_ABORT_POLICY_ALWAYS,
					      &n.vm_id))
		TH_LOG("%s", nl.err);
	/* A state sync: the registers written back as they are. */
	ASSERT_EQ(0, vcpu_ioctl(self->vcpu, KVM_GET_REGS, &regs));
	ASSERT_EQ(0, vcpu_ioctl(self->vcpu, KVM_SET_REGS, &regs));
	ASSERT_EQ(0, vcpu_abort_nl_stats(&nl, vm_count_cb, &n))
		TH_LOG("%s", nl.err);
	ASSERT_TRUE(n.found);
	EXPECT_EQ(0, n.discarded);
	EXPECT_EQ(0, n.kept);
	vcpu_abort_nl_close(&nl);

	complete_without_entering(_metadata, self->vcpu);
	ASSERT_EQ(0, arch_read_regs(self->vcpu, &after));
	EXPECT_EQ(self->answer, after.val[1]);
}

#else /* !__PPC64__ */

TEST(nestedv2_powerpc_only)
{
	SKIP(return, "powerpc only: kvm_hv under the PAPR nested API");
}

#endif

int main(int argc, char **argv)
{
	test_require(TEST_NEEDS_KVM);
	return test_harness_run(argc, argv);
}
