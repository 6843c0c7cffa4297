// SPDX-License-Identifier: GPL-2.0
/*
 * Many vCPUs, thousands of exit / reset / abort cycles with random timing,
 * and not one clobbered reset. One VM with up to 8 vCPUs (as many as KVM
 * takes) on libvcpuctl's guest code, and these threads:
 *
 *  - one per vCPU: KVM_RUN to the MMIO load, answer it (the completion is
 *    pending), wait for a reset (now and then QUERYing its vCPU all the
 *    while), KVM_RUN: the guest must start the reset code with every
 *    reset register intact; then ABORT the reset code's own exit and
 *    point the vCPU at the load again;
 *  - two resetters: take a vCPU that waits in its pending load, pick a
 *    reset path of the arch and a plan at random: ABORT before the reset,
 *    ABORT after it, or leave the ABORT to the vCPU's thread after the
 *    reset; blocking or VCPU_ABORT_FLAG_NONBLOCK with retries on EBUSY;
 *  - two meddlers: QUERY, blocking or not, on random vCPUs, mostly on
 *    those a resetter is at, so that the resetters' NONBLOCK aborts meet
 *    a busy vCPU now and then.
 *
 * Random busy waits between the steps vary the interleavings. It stops
 * once VCPU_ABORT_STRESS_CYCLES cycles (200) ran and every vCPU made at
 * least one, or after VCPU_ABORT_STRESS_CAP_SECONDS (90) on a slow
 * machine, reports what ran, and fails on any clobber, on any unexpected
 * abort report or errno, and on a thread that does not stop, never on how
 * much a slow machine got done.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <vcpuctl/arch.h>

#include "kselftest_harness.h"
#include "testutil.h"

#define STRESS_MAX_VCPUS	8
#define STRESS_RESETTERS	2
#define STRESS_MEDDLERS		2
#define JITTER_LOOPS		4000
/* A NONBLOCK abort gives up after this long on a vCPU kept busy (generous). */
#define NONBLOCK_TIMEOUT_MS	60000

enum slot_state {
	S_RUNNING,	/* the vCPU thread runs it to the load */
	S_PENDING,	/* the load is pending, waiting for a reset */
	S_CLAIMED,	/* a resetter is at it */
	S_RESET_DONE,	/* reset; the vCPU thread may run it */
};

enum plan {
	PLAN_ABORT_BEFORE,	/* the resetter aborts, then resets */
	PLAN_ABORT_AFTER,	/* the resetter resets, then aborts */
	PLAN_VCPU_ABORTS,	/* the resetter resets, the vCPU thread aborts */
	NR_PLANS
};

static const char *const plan_names[NR_PLANS] = {
	"abort before reset", "abort after reset", "vCPU thread aborts",
};

struct stress;

struct slot {
	struct stress *s;
	int id;
	struct vcpu *vcpu;
	enum slot_state state;	/* under s->lock; meddlers peek */
	enum plan plan;
	uint32_t flags;		/* of the abort: 0 or NONBLOCK */
	struct race_regs to;	/* what the reset set */
	char how[160];
	uint32_t seed;
	unsigned long cycles;
};

struct stress {
	struct tvm t;
	struct race_case c;
	int dev, nr;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stop;
	struct slot slot[STRESS_MAX_VCPUS];

	unsigned long cycles, clobbers, plans[NR_PLANS], nonblock, retries;
	unsigned long auto_aborted, queries, query_ebusy, errors;
	pthread_mutex_t report_lock;
	char first_error[400];
	char first_clobber[640];
};

static bool stopped(struct stress *s)
{
	return __atomic_load_n(&s->stop, __ATOMIC_ACQUIRE);
}

static void count(unsigned long *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static void stop_all(struct stress *s)
{
	pthread_mutex_lock(&s->lock);
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

/* Records the first error and stops everything. */
static __printf(2, 3)
void stress_fail(struct stress *s, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&s->report_lock);
	if (!s->errors++) {
		va_start(ap, fmt);
		vsnprintf(s->first_error, sizeof(s->first_error), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&s->report_lock);
	stop_all(s);
}

/* The abort of a plan; its report must be the load (or nothing, after). */
static int stress_abort(struct stress *s, struct slot *sl, bool after_reset)
{
	struct vcpu_abort_report r;
	unsigned long retries = 0;
	int ret;

	ret = abort_retry(s->dev, VCPU_ABORT_IOC_ABORT, sl->vcpu->fd,
			  sl->flags, &r, &retries, NONBLOCK_TIMEOUT_MS);
	__atomic_fetch_add(&s->retries, retries, __ATOMIC_RELAXED);
	if (ret) {
		stress_fail(s, "vCPU %d: ABORT (%s, %s): %s", sl->id,
			    plan_names[sl->plan],
			    sl->flags ? "nonblock" : "blocking", strerror(-ret));
		return ret;
	}
	if (r.kind == VCPU_ABORT_KIND_MMIO_LOAD)
		return 0;
	/* An auto-abort policy may have discarded it at the reset. */
	if (after_reset && r.kind == VCPU_ABORT_KIND_NONE) {
		count(&s->auto_aborted);
		return 0;
	}
	stress_fail(s, "vCPU %d: ABORT (%s) reported %s, expected the pending MMIO load",
		    sl->id, plan_names[sl->plan], vcpu_abort_kind_name(r.kind));
	return -EPROTO;
}

/* After the reset: where did the guest go? */
static int check_reset(struct stress *s, struct slot *sl)
{
	struct race_result res;
	char names[64];
	int ret;

	ret = run_after_reset(sl->vcpu, &s->c, &sl->to, &res);
	if (ret) {
		stress_fail(s, "vCPU %d: KVM_RUN after the reset: %s", sl->id,
			    ret == -EINTR ? "hung, kicked out" : s->t.vm.err);
		return ret;
	}
	if (reset_held(&res))
		return 0;
	count(&s->clobbers);
	pthread_mutex_lock(&s->report_lock);
	if (!s->first_clobber[0]) {
		clobbered_names(res.clobbered, names, sizeof(names));
		snprintf(s->first_clobber, sizeof(s->first_clobber),
			 "vCPU %d, %s, %s, reset %s: clobbered %s; %s",
			 sl->id, plan_names[sl->plan],
			 sl->flags ? "nonblock" : "blocking", sl->how, names,
			 res.resume_desc);
	}
	pthread_mutex_unlock(&s->report_lock);
	return 0;
}

static void *vcpu_thread(void *arg)
{
	struct slot *sl = arg;
	struct stress *s = sl->s;
	struct vcpu_abort_report r;
	bool reset, poll;
	int ret;

	while (!stopped(s)) {
		ret = tvm_run_to_exit(sl->vcpu, &s->c, NULL, 0);
		if (ret) {
			stress_fail(s, "vCPU %d: KVM_RUN to the load: %s",
				    sl->id, ret == -EINTR ? "hung, kicked out" :
				    s->t.vm.err);
			break;
		}
		spin_jitter(&sl->seed, JITTER_LOOPS);

		pthread_mutex_lock(&s->lock);
		sl->state = S_PENDING;
		pthread_cond_broadcast(&s->cond);
		/*
		 * One wait in four, the thread keeps looking at its vCPU
		 * (QUERY) as a VMM's state dump would: the resetter's
		 * NONBLOCK aborts then find the vCPU busy.
		 */
		poll = !(rnd(&sl->seed) & 3);
		while (sl->state != S_RESET_DONE && !stopped(s)) {
			if (!poll) {
				pthread_cond_wait(&s->cond, &s->lock);
				continue;
			}
			pthread_mutex_unlock(&s->lock);
			ret = vcpu_abort_ioctl(s->dev, VCPU_ABORT_IOC_QUERY,
					       sl->vcpu->fd, 0, &r);
			count(&s->queries);
			if (ret)
				stress_fail(s, "vCPU %d: QUERY of its own vCPU: %s",
					    sl->id, strerror(-ret));
			pthread_mutex_lock(&s->lock);
		}
		reset = sl->state == S_RESET_DONE;
		pthread_mutex_unlock(&s->lock);
		if (!reset)
			break;

		if (sl->plan == PLAN_VCPU_ABORTS) {
			spin_jitter(&sl->seed, JITTER_LOOPS);
			if (stress_abort(s, sl, true))
				break;
		}
		if (check_reset(s, sl))
			break;

		ret = back_to_case_exit(s->dev, sl->vcpu, &s->c);
		if (ret) {
			stress_fail(s, "vCPU %d: back to the load: %s", sl->id,
				    s->t.vm.err[0] ? s->t.vm.err :
				    strerror(-ret));
			break;
		}
		pthread_mutex_lock(&s->lock);
		sl->state = S_RUNNING;
		pthread_mutex_unlock(&s->lock);
		__atomic_add_fetch(&sl->cycles, 1, __ATOMIC_RELAXED);
		count(&s->cycles);
	}
	return NULL;
}

/* A vCPU waiting in its pending load, claimed; NULL when stopped. */
static struct slot *claim(struct stress *s, uint32_t *seed)
{
	struct timespec ts;
	int start, k;

	pthread_mutex_lock(&s->lock);
	while (!stopped(s)) {
		start = rnd(seed) % s->nr;
		for (k = 0; k < s->nr; k++) {
			struct slot *sl = &s->slot[(start + k) % s->nr];

			if (sl->state == S_PENDING) {
				sl->state = S_CLAIMED;
				pthread_mutex_unlock(&s->lock);
				return sl;
			}
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&s->cond, &s->lock, &ts);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static void *resetter_thread(void *arg)
{
	struct stress *s = arg;
	uint32_t seed = (0x1234567 ^ (uint32_t)(uintptr_t)&seed) | 1;
	enum race_reset reset;
	unsigned int wrote;
	struct slot *sl;
	int ret;

	while ((sl = claim(s, &seed))) {
		sl->plan = rnd(&seed) % NR_PLANS;
		sl->flags = rnd(&seed) & 1 ? VCPU_ABORT_FLAG_NONBLOCK : 0;
		reset = reset_for_any_vm(rnd(&seed));
		count(&s->plans[sl->plan]);
		if (sl->flags)
			count(&s->nonblock);

		spin_jitter(&seed, JITTER_LOOPS);
		if (sl->plan == PLAN_ABORT_BEFORE && stress_abort(s, sl, false))
			break;
		ret = arch_reset(sl->vcpu, reset, &sl->to, &wrote, sl->how,
				 sizeof(sl->how));
		if (ret) {
			stress_fail(s, "vCPU %d: reset: %s", sl->id,
				    s->t.vm.err);
			break;
		}
		if (sl->plan == PLAN_ABORT_AFTER) {
			spin_jitter(&seed, JITTER_LOOPS);
			if (stress_abort(s, sl, true))
				break;
		}
		pthread_mutex_lock(&s->lock);
		sl->state = S_RESET_DONE;
		pthread_cond_broadcast(&s->cond);
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

/* QUERY only: it contends for vcpu->mutex and discards nothing. */
static void *meddler_thread(void *arg)
{
	struct stress *s = arg;
	uint32_t seed = (0xdeadbeef ^ (uint32_t)(uintptr_t)&seed) | 1, flags;
	struct vcpu_abort_report r;
	int ret;

	while (!stopped(s)) {
		struct slot *sl = &s->slot[rnd(&seed) % s->nr];
		int k;

		/*
		 * Mostly the vCPUs a resetter is at, so that its NONBLOCK
		 * aborts find the vCPU busy now and then.
		 */
		for (k = 0; k < s->nr && (rnd(&seed) & 3); k++) {
			struct slot *c = &s->slot[(sl->id + k) % s->nr];

			if (__atomic_load_n(&c->state, __ATOMIC_RELAXED) ==
			    S_CLAIMED) {
				sl = c;
				break;
			}
		}
		flags = rnd(&seed) & 1 ? VCPU_ABORT_FLAG_NONBLOCK : 0;
		ret = vcpu_abort_ioctl(s->dev, VCPU_ABORT_IOC_QUERY,
				       sl->vcpu->fd, flags, &r);
		count(&s->queries);
		if (ret == -EBUSY && flags) {
			count(&s->query_ebusy);
		} else if (ret) {
			stress_fail(s, "vCPU %d: QUERY (%s): %s", sl->id,
				    flags ? "nonblock" : "blocking",
				    strerror(-ret));
			break;
		}
		spin_jitter(&seed, JITTER_LOOPS);
	}
	return NULL;
}

/*
 * Joins a thread after stop_all(). Every thread stops by itself (a vCPU
 * thread's guest exits at its next MMIO load); one still running after
 * JOIN_CAP_S, however slow the machine, is hung: kicked out of KVM_RUN
 * and reported (1).
 */
#define JOIN_CAP_S	60
static int join_or_kick(pthread_t thread)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += JOIN_CAP_S;
	if (!pthread_timedjoin_np(thread, NULL, &ts))
		return 0;
	vcpu_thread_kick(thread);
	pthread_join(thread, NULL);
	return 1;
}

FIXTURE(stress) {
	struct stress s;
	int problems;
};

FIXTURE_SETUP(stress)
{
	self->s.dev = vcpu_abort_open();
	self->s.t.vm.fd = -1;
	self->s.t.vm.kvm_fd = -1;
	self->problems = kmsg_problems(NULL, 0);
}

FIXTURE_TEARDOWN(stress)
{
	tvm_destroy(&self->s.t);
	if (self->s.dev >= 0)
		close(self->s.dev);
}

/* Every vCPU made a cycle; the first one that did not, or -1. */
static int idle_vcpu(struct stress *s)
{
	int i;

	for (i = 0; i < s->nr; i++)
		if (!__atomic_load_n(&s->slot[i].cycles, __ATOMIC_RELAXED))
			return i;
	return -1;
}

TEST_F_TIMEOUT(stress, resets_never_clobbered, 300)
{
	long cycles = env_long("VCPU_ABORT_STRESS_CYCLES", 200);
	long cap = env_long("VCPU_ABORT_STRESS_CAP_SECONDS", 90);
	pthread_t vcpus[STRESS_MAX_VCPUS], resetters[STRESS_RESETTERS];
	pthread_t meddlers[STRESS_MEDDLERS];
	unsigned long min_vcpu = ~0UL, max_vcpu = 0;
	struct stress *s = &self->s;
	int i, hung = 0;
	uint64_t t0, ns;

	if (s->dev < 0)
		SKIP(return, "%s: %s (vcpu_abort.ko not loaded)",
		     vcpu_abort_dev_path(), strerror(-s->dev));

	s->c = (struct race_case) {
		.exit = RACE_EXIT_MMIO_LOAD, .reset = arch_resets[0],
		.by = RACE_BY_OTHER, .entry = RACE_ENTRY_RUN,
		.abort = RACE_ABORT_EXPLICIT,
	};
	s->nr = tvm_max_vcpus(env_long("VCPU_ABORT_STRESS_VCPUS",
				       STRESS_MAX_VCPUS));
	if (s->nr > STRESS_MAX_VCPUS)
		s->nr = STRESS_MAX_VCPUS;
	ASSERT_EQ(0, tvm_create(&s->t, s->nr, &s->c)) TH_LOG("%s", s->t.vm.err);
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->report_lock, NULL);
	pthread_cond_init(&s->cond, NULL);

	t0 = now_ns();
	for (i = 0; i < s->nr; i++) {
		s->slot[i] = (struct slot) {
			.s = s, .id = i, .vcpu = &s->t.vcpu[i],
			.seed = 0x9e3779b9u * (i + 1),
		};
		ASSERT_EQ(0, pthread_create(&vcpus[i], NULL, vcpu_thread,
					    &s->slot[i]));
	}
	for (i = 0; i < STRESS_RESETTERS; i++)
		ASSERT_EQ(0, pthread_create(&resetters[i], NULL,
					    resetter_thread, s));
	for (i = 0; i < STRESS_MEDDLERS; i++)
		ASSERT_EQ(0, pthread_create(&meddlers[i], NULL,
					    meddler_thread, s));

	while (!stopped(s) &&
	       (__atomic_load_n(&s->cycles, __ATOMIC_RELAXED) <
		(unsigned long)cycles || idle_vcpu(s) >= 0) &&
	       now_ns() - t0 < (uint64_t)cap * 1000000000ULL)
		sleep_us(20000);
	stop_all(s);
	for (i = 0; i < s->nr; i++)
		hung |= join_or_kick(vcpus[i]) != 0;
	for (i = 0; i < STRESS_RESETTERS; i++)
		hung |= join_or_kick(resetters[i]) != 0;
	for (i = 0; i < STRESS_MEDDLERS; i++)
		hung |= join_or_kick(meddlers[i]) != 0;
	ns = now_ns() - t0;

	for (i = 0; i < s->nr; i++) {
		if (s->slot[i].cycles < min_vcpu)
			min_vcpu = s->slot[i].cycles;
		if (s->slot[i].cycles > max_vcpu)
			max_vcpu = s->slot[i].cycles;
	}
	fprintf(stderr,
		"# %d vCPUs, %lu cycles in %llu ms (%lu to %lu per vCPU), %lu clobbered\n"
		"# plans: %lu abort before reset, %lu abort after reset, %lu vCPU thread aborts; %lu nonblock with %lu EBUSY retries\n"
		"# %lu found nothing after the reset (auto-abort); %lu queries (meddlers and waiting vCPU threads), %lu nonblock ones EBUSY\n",
		s->nr, s->cycles, (unsigned long long)(ns / 1000000), min_vcpu,
		max_vcpu, s->clobbers, s->plans[PLAN_ABORT_BEFORE],
		s->plans[PLAN_ABORT_AFTER], s->plans[PLAN_VCPU_ABORTS],
		s->nonblock, s->retries, s->auto_aborted, s->queries,
		s->query_ebusy);
	if (s->cycles < (unsigned long)cycles || !min_vcpu)
		fprintf(stderr,
			"# stopped by the %ld s cap before %ld cycles with every vCPU in them: a slow machine, not a failure\n",
			cap, cycles);

	EXPECT_EQ(0, hung) TH_LOG("a thread hung and was kicked out of KVM_RUN");
	EXPECT_EQ(0, s->errors) TH_LOG("%lu errors, the first: %s", s->errors,
				       s->first_error);
	EXPECT_EQ(0, s->clobbers) TH_LOG("the first: %s", s->first_clobber);
	expect_kmsg_clean(_metadata, self->problems);
}

/* Without KVM or the module every test here is a skip. */
int main(int argc, char **argv)
{
	test_require(TEST_NEEDS_KVM | TEST_NEEDS_MODULE);
	return test_harness_run(argc, argv);
}
