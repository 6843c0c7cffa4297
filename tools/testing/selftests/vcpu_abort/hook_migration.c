// SPDX-License-Identifier: GPL-2.0
/*
 * The policy probes on a VMM thread that the scheduler keeps moving
 * between CPUs. A probe's handler runs in the middle of a vCPU ioctl, and
 * the thread may be preempted around it and resumed on another CPU; it
 * must find that CPU's state, not the old one's. On powerpc a kprobe on a
 * function's ftrace site does not (module/arch/powerpc/hooks.c): with the
 * module's probes there, Debian's preemptible 7.2 kernel panicked
 * ("stack-protector: Kernel stack is corrupted") within a second of this
 * test.
 *
 * The VM's policy is `always`, so every register write runs the whole
 * handler. One thread, round after round: KVM_RUN to the MMIO load (the
 * completion is pending), a burst of register writes, a reset through
 * the arch's reset paths in turn, the full KVM_RUN that must start the
 * reset code intact, and back to the load. Another thread moves the first
 * one between two CPUs with sched_setaffinity() as fast as it can; each
 * round starts once the thread was moved again since the last one. It
 * runs VCPU_ABORT_MIGRATION_ROUNDS rounds (50), or as many as fit in
 * VCPU_ABORT_MIGRATION_CAP_SECONDS (90) on a slow machine, and fails on
 * any error or clobber and on a kernel complaint, never on how much a
 * slow machine got done; a panic ends the whole run.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include <vcpuctl/abort.h>
#include <vcpuctl/arch.h>

#include "kselftest_harness.h"
#include "testutil.h"

/* Register writes per round besides the reset: many probe hits. */
#define EXTRA_WRITES	32

struct mover {
	pid_t tid;		/* the thread to move */
	int cpu[2];
	int stop;
	unsigned long moves;
	int err;		/* -errno of a failed move */
};

static void *mover_thread(void *arg)
{
	struct mover *m = arg;
	cpu_set_t set;

	while (!__atomic_load_n(&m->stop, __ATOMIC_ACQUIRE)) {
		CPU_ZERO(&set);
		CPU_SET(m->cpu[m->moves & 1], &set);
		if (sched_setaffinity(m->tid, sizeof(set), &set)) {
			__atomic_store_n(&m->err, -errno, __ATOMIC_RELAXED);
			break;
		}
		/* Read by the moved thread while this one runs. */
		__atomic_store_n(&m->moves, m->moves + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* The first two CPUs this process may run on; false if it has one. */
static bool two_cpus(int cpu[2])
{
	cpu_set_t set;
	int i, n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return false;
	for (i = 0; i < CPU_SETSIZE && n < 2; i++)
		if (CPU_ISSET(i, &set))
			cpu[n++] = i;
	return n == 2;
}

FIXTURE(migration) {
	struct tvm t;
	struct race_case c;
	int dev;
	int problems;
};

FIXTURE_SETUP(migration)
{
	self->dev = vcpu_abort_open();
	self->t.vm.fd = -1;
	self->t.vm.kvm_fd = -1;
	self->problems = kmsg_problems(NULL, 0);
}

FIXTURE_TEARDOWN(migration)
{
	tvm_destroy(&self->t);
	if (self->dev >= 0)
		close(self->dev);
}

/*
 * One round: a pending load; EXTRA_WRITES register writes, the first of
 * which discards it; the round's reset path; the full KVM_RUN into the
 * reset code, intact; back to the load. 0, or -1 with @why set.
 */
static int round_of_resets(struct tvm *t, const struct race_case *c, int dev,
			   enum race_reset reset, char *why, size_t len)
{
	struct vcpu *vcpu = &t->vcpu[0];
	struct race_result res;
	struct race_regs to;
	unsigned int wrote;
	char how[160];
	int i, ret;

	ret = tvm_run_to_exit(vcpu, c, NULL, 0);
	for (i = 0; !ret && i < EXTRA_WRITES; i++)
		ret = arch_reset(vcpu, reset_without_vm_fd(), &to, &wrote,
				 how, sizeof(how));
	if (!ret)
		ret = arch_reset(vcpu, reset, &to, &wrote, how, sizeof(how));
	if (!ret)
		ret = run_after_reset(vcpu, c, &to, &res);
	if (ret) {
		snprintf(why, len, "%s", t->vm.err);
		return -1;
	}
	if (!reset_held(&res)) {
		clobbered_names(res.clobbered, why, len);
		snprintf(why + strlen(why), len - strlen(why),
			 " clobbered after %s: %s", how, res.resume_desc);
		return -1;
	}
	ret = back_to_case_exit(dev, vcpu, c);
	if (ret) {
		snprintf(why, len, "back to the load: %s",
			 t->vm.err[0] ? t->vm.err : strerror(-ret));
		return -1;
	}
	return 0;
}

/*
 * Until the mover moved this thread once more than `seen`, or the cap
 * (the end of the test) passed. The mover's count after the wait.
 */
static unsigned long wait_for_move(struct mover *m, unsigned long seen,
				   uint64_t end)
{
	unsigned long moves;

	while ((moves = __atomic_load_n(&m->moves, __ATOMIC_ACQUIRE)) <= seen &&
	       !__atomic_load_n(&m->err, __ATOMIC_RELAXED) && now_ns() < end)
		sched_yield();
	return moves;
}

TEST_F_TIMEOUT(migration, resets_while_moved_between_cpus, 300)
{
	long max_rounds = env_long("VCPU_ABORT_MIGRATION_ROUNDS", 50);
	long cap = env_long("VCPU_ABORT_MIGRATION_CAP_SECONDS", 90);
	struct mover m = { .tid = gettid() };
	unsigned long rounds = 0, seen = 0;
	char why[400] = "";
	pthread_t mover;
	uint64_t end;

	if (self->dev < 0)
		SKIP(return, "%s: %s (vcpu_abort.ko not loaded)",
		     vcpu_abort_dev_path(), strerror(-self->dev));
	if (!two_cpus(m.cpu))
		SKIP(return, "one CPU: nothing to move the thread between");
	race_abort_set_policy(VCPU_ABORT_POLICY_ALWAYS);
	if (!race_abort_available(RACE_ABORT_AUTO, why, sizeof(why)))
		SKIP(return, "%s", why);

	self->c = (struct race_case) {
		.exit = RACE_EXIT_MMIO_LOAD, .reset = arch_resets[0],
		.by = RACE_BY_SELF, .entry = RACE_ENTRY_RUN,
		.abort = RACE_ABORT_AUTO,
	};
	ASSERT_EQ(0, tvm_create(&self->t, 1, &self->c))
		TH_LOG("%s", self->t.vm.err);
	ASSERT_EQ(0, race_abort_setup(&self->t.vm, RACE_ABORT_AUTO))
		TH_LOG("%s", self->t.vm.err);

	ASSERT_EQ(0, pthread_create(&mover, NULL, mover_thread, &m));
	end = now_ns() + (uint64_t)cap * 1000000000ULL;
	do {
		seen = wait_for_move(&m, seen, end);
		if (round_of_resets(&self->t, &self->c, self->dev,
				    reset_for_any_vm(rounds),
				    why, sizeof(why)))
			break;
		rounds++;
	} while (rounds < (unsigned long)max_rounds && now_ns() < end);
	__atomic_store_n(&m.stop, 1, __ATOMIC_RELEASE);
	pthread_join(mover, NULL);

	fprintf(stderr,
		"# %lu of %ld rounds (%d register writes and a reset each)%s, the thread moved %lu times between CPU %d and %d\n",
		rounds, max_rounds, EXTRA_WRITES,
		rounds < (unsigned long)max_rounds && !why[0] ?
		" before the time cap" : "", m.moves, m.cpu[0], m.cpu[1]);
	EXPECT_STREQ("", why);
	EXPECT_EQ(0, m.err) TH_LOG("sched_setaffinity: %s", strerror(-m.err));
	expect_kmsg_clean(_metadata, self->problems);
}

/* Without KVM or the module every test here is a skip. */
int main(int argc, char **argv)
{
	test_require(TEST_NEEDS_KVM | TEST_NEEDS_MODULE);
	return test_harness_run(argc, argv);
}
