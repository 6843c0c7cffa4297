// SPDX-License-Identifier: GPL-2.0
/*
 * arm64: a VMM answers an MMIO exit with a synchronous external abort
 * (KVM_SET_VCPU_EVENTS with ext_dabt_pending, e735a5da6442) instead of
 * data. KVM then takes the abort instead of completing the access, but 6.1
 * and 6.12 leave vcpu->mmio_needed set until the next MMIO exit (7.2
 * clears it). The module must describe only what KVM will do:
 *
 *   no_completion_while_abort_pending   QUERY after the injection: nothing
 *   no_completion_after_abort_taken     after the guest took the abort and
 *                                       exited otherwise: nothing, and a
 *                                       policy counts nothing on a
 *                                       register write (then a real
 *                                       completion, counted once)
 *   query_matches_kvm_when_not_entered  a KVM_RUN that commits the abort
 *                                       without entering the guest
 *                                       (immediate_exit): whatever QUERY
 *                                       says, the next KVM_RUN does
 *
 * The guest's vector table (libvcpuctl's arm64 guest code) is pairs of
 * BRKs, trapped to the VMM with KVM_SET_GUEST_DEBUG: the exit's PC says
 * which vector the guest took and whether a completion stepped it over
 * the vector's first instruction.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <vcpuctl/abort.h>
#include <vcpuctl/arch.h>
#include <vcpuctl/genl.h>
#include <vcpuctl/vcpu-abort.h>

#include "kselftest_harness.h"
#include "testutil.h"

#if defined(__aarch64__)

#include "guest.h"

#define GPA(label)	(ARM64_RAM_BASE + (uint64_t)((label) - arm64_guest_start))
#define CORE_REG(x)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(x))
#define REG_VBAR_EL1	ARM64_SYS_REG(3, 0, 12, 0, 0)
#define REG_ESR_EL1	ARM64_SYS_REG(3, 0, 5, 2, 0)

/* ESR_ELx.EC (bits 31:26) of a data abort taken at the same level. */
#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define ESR_EC_DABT_CUR	0x25
/* How long the counters may take to show a discard (they are immediate). */
#define COUNT_TIMEOUT_MS	10000

/* Where a completion on top of the abort would leave the guest. */
#define SEA_VECTOR	(GPA(arm64_guest_vectors) + ARM64_VECTOR_CUR_SPX_SYNC)

FIXTURE(sea) {
	struct tvm t;
	struct vcpu *vcpu;
	struct race_case c;
	int dev;
	uint64_t answer;	/* the load's data, in the run page */
	uint64_t x0;		/* its destination at the exit */
};

static int get_reg(struct vcpu *vcpu, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg one = { .id = id, .addr = (uintptr_t)val };

	return vcpu_ioctl(vcpu, KVM_GET_ONE_REG, &one);
}

static int set_reg(struct vcpu *vcpu, uint64_t id, uint64_t val)
{
	struct kvm_one_reg one = { .id = id, .addr = (uintptr_t)&val };

	return vcpu_ioctl(vcpu, KVM_SET_ONE_REG, &one);
}

static uint32_t query(struct __test_metadata *_metadata,
		      struct _test_data_sea *self, struct vcpu_abort_report *r)
{
	struct vcpu_abort_report mine;
	char desc[160];

	if (!r)
		r = &mine;
	EXPECT_EQ(0, vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_QUERY,
				      self->vcpu->fd, 0, r));
	vcpu_abort_describe(r, desc, sizeof(desc));
	TH_LOG("QUERY: %s", desc);
	return r->kind;
}

FIXTURE_SETUP(sea)
{
	struct kvm_guest_debug dbg = {
		.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP,
	};
	struct kvm_vcpu_events events;

	self->c = (struct race_case){ .exit = RACE_EXIT_MMIO_LOAD,
				      .reset = arch_resets[0] };
	self->dev = vcpu_abort_open();
	if (skip_without_module(_metadata, self->dev))
		return;
	ASSERT_EQ(0, tvm_create(&self->t, 1, &self->c))
		TH_LOG("%s", self->t.vm.err);
	self->vcpu = &self->t.vcpu[0];
	if (!vm_check_cap(&self->t.vm, KVM_CAP_ARM_INJECT_EXT_DABT))
		SKIP(return, "no KVM_CAP_ARM_INJECT_EXT_DABT");
	if (!vm_check_cap(&self->t.vm, KVM_CAP_SET_GUEST_DEBUG))
		SKIP(return, "no KVM_CAP_SET_GUEST_DEBUG");
	ASSERT_EQ(0, set_reg(self->vcpu, REG_VBAR_EL1,
			     GPA(arm64_guest_vectors)))
		TH_LOG("%s", self->t.vm.err);
	ASSERT_EQ(0, vcpu_ioctl(self->vcpu, KVM_SET_GUEST_DEBUG, &dbg))
		TH_LOG("%s", self->t.vm.err);

	/* The MMIO load, answered: KVM would complete it now. */
	ASSERT_EQ(0, tvm_run_to_exit(self->vcpu, &self->c, NULL, 0))
		TH_LOG("%s", self->t.vm.err);
	ASSERT_EQ(VCPU_ABORT_KIND_MMIO_LOAD, query(_metadata, self, NULL));
	ASSERT_EQ(8, self->vcpu->run->mmio.len);
	memcpy(&self->answer, self->vcpu->run->mmio.data, 8);
	ASSERT_EQ(0, get_reg(self->vcpu, CORE_REG(regs.regs[0]), &self->x0));

	/* The VMM's other answer: the access failed. */
	memset(&events, 0, sizeof(events));
	events.exception.ext_dabt_pending = 1;
	ASSERT_EQ(0, vcpu_ioctl(self->vcpu, KVM_SET_VCPU_EVENTS, &events))
		TH_LOG("%s", self->t.vm.err);
}

FIXTURE_TEARDOWN(sea)
{
	if (self->dev < 0)
		return;
	tvm_destroy(&self->t);
	close(self->dev);
}

/* A full KVM_RUN to the vector's BRK: its PC, and x0. */
static void run_to_vector(struct __test_metadata *_metadata,
			  struct _test_data_sea *self, uint64_t *pc, uint64_t *x0)
{
	char desc[160];

	ASSERT_EQ(0, vcpu_run(self->vcpu)) TH_LOG("%s", self->t.vm.err);
	kvm_describe_exit(self->vcpu->run, desc, sizeof(desc));
	ASSERT_EQ(KVM_EXIT_DEBUG, self->vcpu->run->exit_reason)
		TH_LOG("%s", desc);
	ASSERT_EQ(0, get_reg(self->vcpu, CORE_REG(regs.pc), pc));
	ASSERT_EQ(0, get_reg(self->vcpu, CORE_REG(regs.regs[0]), x0));
	TH_LOG("%s at pc 0x%llx (vector 0x%llx), x0 0x%llx", desc,
	       (unsigned long long)*pc, (unsigned long long)SEA_VECTOR,
	       (unsigned long long)*x0);
}

struct vm_count {
	uint32_t vm_id;
	int found;
	uint64_t discarded, kept, mmio_loads;
};

static int vm_count_cb(const struct vcpu_abort_nl_stats *st, void *arg)
{
	struct vm_count *n = arg;
	int i;

	if (st->vm_id != n->vm_id)
		return 0;
	n->found = 1;
	n->kept = st->kept;
	n->mmio_loads = st->kind[VCPU_ABORT_KIND_MMIO_LOAD];
	n->discarded = 0;
	for (i = 0; i < VCPU_ABORT_TRIGGER_COUNT; i++)
		n->discarded += st->trigger[i];
	return 0;
}

static void vm_count(struct __test_metadata *_metadata,
		     struct vcpu_abort_nl *nl, struct vm_count *n)
{
	n->found = 0;
	ASSERT_EQ(0, vcpu_abort_nl_stats(nl, vm_count_cb, n))
		TH_LOG("%s", nl->err);
	ASSERT_TRUE(n->found) TH_LOG("no statistics for VM %u", n->vm_id);
}

TEST_F(sea, no_completion_while_abort_pending)
{
	EXPECT_EQ(VCPU_ABORT_KIND_NONE, query(_metadata, self, NULL))
		TH_LOG("KVM_RUN skips the completion while the abort is pending");
}

TEST_F(sea, no_completion_after_abort_taken)
{
	struct vm_count n = { 0 };
	struct vcpu_abort_nl nl;
	uint64_t pc, x0, esr;
	char why[256];
	int i;

	run_to_vector(_metadata, self, &pc, &x0);
	/* The abort was taken, and nothing was completed on top of it. */
	ASSERT_EQ(SEA_VECTOR, pc);
	ASSERT_EQ(0, get_reg(self->vcpu, REG_ESR_EL1, &esr));
	EXPECT_EQ(ESR_EC_DABT_CUR, ESR_EC(esr))
		TH_LOG("ESR_EL1 0x%llx", (unsigned long long)esr);

	/* Now the run page says KVM_EXIT_DEBUG: nothing is pending. */
	EXPECT_EQ(VCPU_ABORT_KIND_NONE, query(_metadata, self, NULL));

	/* A register write under policy always finds nothing to discard. */
	if (!race_abort_policy_hooks_on(why, sizeof(why)))
		SKIP(return, "%s", why);
	ASSERT_EQ(0, vcpu_abort_nl_open(&nl)) TH_LOG("%s", nl.err);
	ASSERT_EQ(0, vcpu_abort_nl_set_policy(&nl, self->t.vm.fd, 0,
					      VCPU_ABORT_POLICY_ALWAYS,
					      &n.vm_id))
		TH_LOG("%s", nl.err);
	ASSERT_EQ(0, set_reg(self->vcpu, CORE_REG(regs.regs[2]), 0))
		TH_LOG("%s", self->t.vm.err);
	vm_count(_metadata, &nl, &n);
	EXPECT_EQ(0, n.discarded);
	EXPECT_EQ(0, n.kept);

	/*
	 * The counters work: a real MMIO load, then the same write. The
	 * module counts in the hook; the wait only tolerates a slow reader.
	 */
	ASSERT_EQ(0, set_reg(self->vcpu, CORE_REG(regs.pc),
			     GPA(arm64_guest_mmio_load)));
	ASSERT_EQ(0, tvm_run_to_exit(self->vcpu, &self->c, NULL, 0))
		TH_LOG("%s", self->t.vm.err);
	ASSERT_EQ(0, set_reg(self->vcpu, CORE_REG(regs.regs[2]), 0))
		TH_LOG("%s", self->t.vm.err);
	for (i = 0; i < COUNT_TIMEOUT_MS / 10; i++) {
		vm_count(_metadata, &nl, &n);
		if (n.discarded)
			break;
		usleep(10000);
	}
	EXPECT_EQ(1, n.discarded) TH_LOG("a phantom completion was counted");
	EXPECT_EQ(1, n.mmio_loads);
	EXPECT_EQ(0, n.kept);
	vcpu_abort_nl_close(&nl);
}

TEST_F(sea, query_matches_kvm_when_not_entered)
{
	struct vcpu_abort_report r;
	uint64_t pc, x0;
	int ret;

	/* Commits the abort (at the end of KVM_RUN) without entering. */
	self->vcpu->run->immediate_exit = 1;
	ret = ioctl(self->vcpu->fd, KVM_RUN, NULL);
	self->vcpu->run->immediate_exit = 0;
	ASSERT_EQ(-1, ret);
	ASSERT_EQ(EINTR, errno);

	query(_metadata, self, &r);
	run_to_vector(_metadata, self, &pc, &x0);
	if (r.kind == VCPU_ABORT_KIND_NONE) {
		/* Nothing completed: the guest is at the vector's first BRK. */
		EXPECT_EQ(SEA_VECTOR, pc);
		EXPECT_EQ(self->x0, x0);
	} else {
		/*
		 * 6.1 and 6.12: KVM completes the load on the vector, as QUERY
		 * said: x0 gets the data and the first BRK is skipped.
		 */
		EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD, r.kind);
		EXPECT_EQ(VCPU_ABORT_REG_GPR, r.dest_class);
		EXPECT_EQ(0, r.dest_reg);
		EXPECT_EQ(SEA_VECTOR + 4, pc);
		EXPECT_EQ(self->answer, x0);
	}
}

#else /* !__aarch64__ */

TEST(sea_arm64_only)
{
	SKIP(return, "arm64 only: KVM_SET_VCPU_EVENTS ext_dabt_pending after an MMIO exit");
}

#endif

int main(int argc, char **argv)
{
	test_require(TEST_NEEDS_KVM);
	return test_harness_run(argc, argv);
}
