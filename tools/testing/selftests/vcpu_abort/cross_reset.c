// SPDX-License-Identifier: GPL-2.0
/*
 * A reset requested by one vCPU for all of them, as a guest reboot runs in
 * a real VMM. One VM, two vCPUs, each with its own VMM thread, on
 * libvcpuctl's guest code:
 *
 *   vCPU 0 thread                      vCPU 1 thread
 *   KVM_RUN -> MMIO load, answered:
 *   the completion is pending
 *                    --vCPU 0 pending-->
 *                                      KVM_RUN -> MMIO store: the guest's
 *                                      "reset the machine" request
 *                                      for vCPU 0, then vCPU 1:
 *                                        [ABORT] reset [ABORT]
 *                    <--reset done-----
 *   KVM_RUN: must start the reset      KVM_RUN: must start its reset
 *   code with the reset registers      code with the reset registers
 *
 * The ABORT is the explicit, blocking VCPU_ABORT_IOC_ABORT from the thread
 * of vCPU 1, before or after the reset (arch/<arch>/cross_variants.h: one
 * variant per reset path). clobbered_without_abort is the negative
 * control: without the abort the reset of vCPU 0 must be clobbered as the
 * kernel source predicts (SKIP if this kernel does not clobber it).
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <vcpuctl/arch.h>

#include "kselftest_harness.h"
#include "testutil.h"

/* Generous: a guest that does not reach its exit by then is wrong. */
#define CROSS_TIMEOUT_MS	60000

enum when { ABORT_NONE, ABORT_BEFORE_RESET, ABORT_AFTER_RESET };

enum {
	CROSS_VCPU0_PENDING = 1,	/* vCPU 0 sits in its pending load */
	CROSS_RESET_DONE,		/* vCPU 1's thread reset both */
};

/* What one vCPU went through. */
struct cross_vcpu {
	struct race_case c;
	char exit_desc[160];	/* its exit: the pending load, the request */
	struct race_regs to;	/* what the reset set */
	char how[160];		/* the reset's ioctls */
	int abort_ret;
	struct vcpu_abort_report aborted;
	struct race_result res;	/* after the next KVM_RUN */
	int err;		/* -errno of the first failure */
	const char *step;	/* where it failed */
};

struct cross {
	struct tvm t;
	enum race_reset reset;
	enum when when;
	int dev;
	struct handoff h;
	struct cross_vcpu v[2];
};

static int fail(struct cross_vcpu *cv, const char *step, int err)
{
	if (!cv->err) {
		cv->err = err ? err : -EIO;
		cv->step = step;
	}
	return cv->err;
}

static void *vcpu0_thread(void *arg)
{
	struct cross *x = arg;
	struct cross_vcpu *cv = &x->v[0];
	struct vcpu *vcpu = &x->t.vcpu[0];
	int ret;

	ret = tvm_run_to_exit(vcpu, &cv->c, cv->exit_desc,
			      sizeof(cv->exit_desc));
	handoff_post(&x->h, CROSS_VCPU0_PENDING);
	if (ret) {
		fail(cv, "run to the MMIO load", ret);
		return NULL;
	}
	/* Sits in its exit, as a VMM thread busy with a slow device. */
	if (handoff_wait(&x->h, CROSS_RESET_DONE, CROSS_TIMEOUT_MS) < 0) {
		fail(cv, "wait for the reset", -ETIMEDOUT);
		return NULL;
	}
	if (x->v[1].err)
		return NULL;
	ret = run_after_reset(vcpu, &cv->c, &cv->to, &cv->res);
	if (ret)
		fail(cv, "KVM_RUN after the reset", ret);
	return NULL;
}

/* ABORT vCPU j from this thread, blocking, as the VMM's reset does. */
static int cross_abort(struct cross *x, int j)
{
	struct cross_vcpu *cv = &x->v[j];

	cv->abort_ret = vcpu_abort_ioctl(x->dev, VCPU_ABORT_IOC_ABORT,
					 x->t.vcpu[j].fd, 0, &cv->aborted);
	return cv->abort_ret;
}

/* The VMM's "reset every vCPU", run by the thread of vCPU 1. */
static int reset_all(struct cross *x)
{
	struct cross_vcpu *me = &x->v[1];
	unsigned int wrote;
	int j, ret;

	for (j = 0; j < 2; j++) {
		struct cross_vcpu *cv = &x->v[j];

		if (x->when == ABORT_BEFORE_RESET && cross_abort(x, j))
			return fail(me, "ABORT before the reset", cv->abort_ret);
		ret = arch_reset(&x->t.vcpu[j], x->reset, &cv->to, &wrote,
				 cv->how, sizeof(cv->how));
		if (ret)
			return fail(me, "reset", ret);
		if (x->when == ABORT_AFTER_RESET && cross_abort(x, j))
			return fail(me, "ABORT after the reset", cv->abort_ret);
	}
	return 0;
}

static void *vcpu1_thread(void *arg)
{
	struct cross *x = arg;
	struct cross_vcpu *cv = &x->v[1];
	struct vcpu *vcpu = &x->t.vcpu[1];
	int ret;

	if (handoff_wait(&x->h, CROSS_VCPU0_PENDING, CROSS_TIMEOUT_MS) < 0)
		fail(cv, "wait for vCPU 0's pending load", -ETIMEDOUT);
	if (cv->err || x->v[0].err)
		goto out;
	/* The guest's reset request: its MMIO store. */
	ret = tvm_run_to_exit(vcpu, &cv->c, cv->exit_desc,
			      sizeof(cv->exit_desc));
	if (ret) {
		fail(cv, "run to the reset request (MMIO store)", ret);
		goto out;
	}
	reset_all(x);
out:
	handoff_post(&x->h, CROSS_RESET_DONE);
	if (cv->err || x->v[0].err)
		return NULL;
	ret = run_after_reset(vcpu, &cv->c, &cv->to, &cv->res);
	if (ret)
		fail(cv, "KVM_RUN after the reset", ret);
	return NULL;
}

static int join_or_kick(pthread_t thread)
{
	struct timespec ts;
	int i;

	for (i = 0; i < 3; i++) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += CROSS_TIMEOUT_MS / 1000 + 1;
		if (!pthread_timedjoin_np(thread, NULL, &ts))
			return i;
		/* A guest that never exits: kick it out of KVM_RUN. */
		vcpu_thread_kick(thread);
	}
	return pthread_join(thread, NULL) ? -1 : i;
}

/* Runs the scenario; what happened is in x->v[]. */
static void cross_run(struct __test_metadata *_metadata, struct cross *x)
{
	pthread_t t0, t1;
	int k0, k1;

	x->v[0].c = (struct race_case) {
		.exit = RACE_EXIT_MMIO_LOAD, .reset = x->reset,
		.by = RACE_BY_OTHER, .entry = RACE_ENTRY_RUN,
		.abort = x->when == ABORT_NONE ? RACE_ABORT_NONE :
						 RACE_ABORT_EXPLICIT,
	};
	x->v[1].c = x->v[0].c;
	x->v[1].c.exit = RACE_EXIT_MMIO_STORE;

	ASSERT_EQ(0, tvm_create(&x->t, 2, &x->v[0].c))
		TH_LOG("%s", x->t.vm.err);
	/* vCPU 1 starts at the store: its reset request. */
	ASSERT_EQ(0, arch_vcpu_setup(&x->t.vcpu[1], &x->v[1].c))
		TH_LOG("%s", x->t.vm.err);

	handoff_init(&x->h);
	ASSERT_EQ(0, pthread_create(&t0, NULL, vcpu0_thread, x));
	ASSERT_EQ(0, pthread_create(&t1, NULL, vcpu1_thread, x));
	k0 = join_or_kick(t0);
	k1 = join_or_kick(t1);
	handoff_destroy(&x->h);
	EXPECT_EQ(0, k0) TH_LOG("vCPU 0's thread hung; kicked out of KVM_RUN");
	EXPECT_EQ(0, k1) TH_LOG("vCPU 1's thread hung; kicked out of KVM_RUN");
}

static void cross_log(struct cross *x, int j)
{
	struct cross_vcpu *cv = &x->v[j];
	char names[64], what[128] = "no abort";

	clobbered_names(cv->res.clobbered, names, sizeof(names));
	if (x->when != ABORT_NONE)
		vcpu_abort_describe(&cv->aborted, what, sizeof(what));
	fprintf(stderr,
		"# vCPU %d: %s | reset: %s | abort: %s | next KVM_RUN: %s | clobbered: %s\n",
		j, cv->exit_desc, cv->how, what, cv->res.resume_desc, names);
}

/* Both threads ran through; the reasons if not. */
static void expect_ran(struct __test_metadata *_metadata, struct cross *x)
{
	struct cross_vcpu *bad = x->v[0].err ? &x->v[0] : &x->v[1];

	ASSERT_EQ(0, bad->err)
		TH_LOG("vCPU %d's thread: %s: %s (%s)", (int)(bad - x->v),
		       bad->step, strerror(-bad->err), x->t.vm.err);
	cross_log(x, 0);
	cross_log(x, 1);
}

FIXTURE(cross) {
	struct cross x;
	int problems;		/* kernel log complaints before the test */
};

FIXTURE_VARIANT(cross) {
	enum race_reset reset;
};

#include "cross_variants.h"

FIXTURE_SETUP(cross)
{
	self->x.dev = -1;
	self->x.reset = variant->reset;
	self->problems = kmsg_problems(NULL, 0);
}

FIXTURE_TEARDOWN(cross)
{
	tvm_destroy(&self->x.t);
	if (self->x.dev >= 0)
		close(self->x.dev);
}

static void expect_intact(struct __test_metadata *_metadata, struct cross *x)
{
	int j;

	expect_ran(_metadata, x);
	/* vCPU 0's load was pending and is what the abort discarded. */
	if (x->when == ABORT_BEFORE_RESET) {
		EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD, x->v[0].aborted.kind);
	} else {
		/* Or an auto-abort policy already discarded it at the reset. */
		EXPECT_TRUE(x->v[0].aborted.kind == VCPU_ABORT_KIND_MMIO_LOAD ||
			    x->v[0].aborted.kind == VCPU_ABORT_KIND_NONE);
	}
	for (j = 0; j < 2; j++) {
		EXPECT_EQ(0, x->v[j].res.clobbered)
			TH_LOG("vCPU %d: the reset registers were clobbered", j);
		EXPECT_EQ(RACE_RESUME_RESET, x->v[j].res.resume)
			TH_LOG("vCPU %d: %s", j, x->v[j].res.resume_desc);
		EXPECT_EQ(0, x->v[j].res.resume_offset)
			TH_LOG("vCPU %d: %s", j, x->v[j].res.resume_desc);
	}
}

static int need_module(struct cross *x)
{
	x->dev = vcpu_abort_open();
	return x->dev >= 0;
}

/*
 * Whether the test must stop: a SKIP, because this kernel lacks the
 * variant's reset path. Called by every test, also under the 6.1 harness,
 * which runs a test after a SKIP in its setup.
 */
static bool skip_without_reset(struct __test_metadata *_metadata,
			       struct cross *x)
{
	const struct race_case c = {
		.exit = RACE_EXIT_MMIO_LOAD, .reset = x->reset,
	};
	char why[VM_ERR_LEN];

	if (case_supported(&c, why, sizeof(why)))
		return false;
	SKIP(return true, "%s", why);
}

TEST_F_TIMEOUT(cross, intact_with_explicit_abort, 180)
{
	if (skip_without_reset(_metadata, &self->x))
		return;
	if (!need_module(&self->x))
		SKIP(return, "%s: %s (vcpu_abort.ko not loaded)",
		     vcpu_abort_dev_path(), strerror(-self->x.dev));
	self->x.when = ABORT_BEFORE_RESET;
	cross_run(_metadata, &self->x);
	expect_intact(_metadata, &self->x);
	expect_kmsg_clean(_metadata, self->problems);
}

TEST_F_TIMEOUT(cross, intact_with_abort_after_reset, 180)
{
	if (skip_without_reset(_metadata, &self->x))
		return;
	if (!need_module(&self->x))
		SKIP(return, "%s: %s (vcpu_abort.ko not loaded)",
		     vcpu_abort_dev_path(), strerror(-self->x.dev));
	self->x.when = ABORT_AFTER_RESET;
	cross_run(_metadata, &self->x);
	expect_intact(_metadata, &self->x);
	expect_kmsg_clean(_metadata, self->problems);
}

TEST_F_TIMEOUT(cross, clobbered_without_abort, 180)
{
	struct cross_vcpu *v0 = &self->x.v[0];
	unsigned int expected;
	char want[64], got[64];

	if (skip_without_reset(_metadata, &self->x))
		return;
	self->x.when = ABORT_NONE;
	cross_run(_metadata, &self->x);
	expect_ran(_metadata, &self->x);
	expected = race_expected(&v0->c);
	clobbered_names(expected, want, sizeof(want));
	clobbered_names(v0->res.clobbered, got, sizeof(got));
	if (!v0->res.clobbered)
		SKIP(return,
		     "vCPU 0's reset held without an abort (expected clobbered: %s): this kernel, or an auto-abort policy, guards it",
		     want);
	EXPECT_EQ(expected, v0->res.clobbered)
		TH_LOG("clobbered %s, expected %s", got, want);
}

/* Without KVM every test here is a skip. */
int main(int argc, char **argv)
{
	test_require(TEST_NEEDS_KVM);
	return test_harness_run(argc, argv);
}
