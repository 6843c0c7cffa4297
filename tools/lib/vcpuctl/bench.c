// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl bench: the measurements (Documentation/bench.rst).
 *
 * A repetition has two phases: "loaded" (vcpu_abort loaded: every row that
 * needs the module) and "not loaded" (the hot path and the upstream reset
 * without the module, when --module lets us unload and reload it). The
 * phases alternate L U | U L | L U ... so that each repetition has both,
 * neither always comes first, and the module is reloaded once per
 * repetition only. Every ratio of a repetition comes from blocks measured
 * within a few seconds of each other.
 *
 * Each block runs for a fixed time (the budget split over the blocks), not
 * a fixed count, so that the run takes as long on TCG as on hardware. The
 * variants compared in one row run interleaved, iteration by iteration,
 * in a rotating order; the first BENCH_WARMUP rounds are not counted.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <vcpuctl/abort.h>
#include <vcpuctl/arch.h>
#include <vcpuctl/bench.h>
#include <vcpuctl/genl.h>
#include <vcpuctl/race.h>
#include <vcpuctl/vcpu-abort.h>

#define BENCH_WARMUP		3	/* uncounted rounds per block */
#define BENCH_MIN_ROUNDS	5	/* counted rounds, however slow */
#define BENCH_ANSWER		0xda7ada7ada7ada7aULL
#define BENCH_MODULE		"vcpu_abort"

struct bench_ctx {
	const struct bench_opts *o;
	struct bench_result *r;
	double slice_ns;		/* one measuring block */
	int dev;			/* /dev/vcpu_abort, -1 if closed */
	struct vcpu_abort_nl nl;
	int nl_open;
	struct vm vm;
	struct vcpu vcpu[BENCH_MAX_VCPUS];
	int nr_vcpus;
	char err[VM_ERR_LEN + 128];
};

static const struct race_case bench_case = {
	.exit = RACE_EXIT_MMIO_LOAD,
	.by = RACE_BY_SELF,
	.entry = RACE_ENTRY_RUN,
	.abort = RACE_ABORT_NONE,
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int bench_fail(struct bench_ctx *b, const char *fmt, const char *msg)
{
	if (!b->err[0])
		snprintf(b->err, sizeof(b->err), fmt, msg);
	return -1;
}

/* A VM failure: keep its message ("<step>: <ioctl>: <error>"). */
static int bench_vm_fail(struct bench_ctx *b)
{
	return bench_fail(b, "%s", b->vm.err[0] ? b->vm.err : "unknown error");
}

/* ------------------------------------------------------------------ */
/* The module: loaded or not, and its two interfaces. */

static int module_loaded(void)
{
	return !access("/sys/module/" BENCH_MODULE, F_OK);
}

static int module_unload(struct bench_ctx *b)
{
	char msg[160];

	if (!syscall(SYS_delete_module, BENCH_MODULE, O_NONBLOCK))
		return 0;
	snprintf(msg, sizeof(msg), "%s", strerror(errno));
	return bench_fail(b, "delete_module(" BENCH_MODULE "): %s", msg);
}

static int module_load(struct bench_ctx *b)
{
	char msg[VM_ERR_LEN / 2];
	int fd, ret, err;

	fd = open(b->o->module, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bench_fail(b, "open of the module: %s", strerror(errno));
	ret = syscall(SYS_finit_module, fd, "", 0);
	err = errno;
	close(fd);
	if (!ret)
		return 0;
	snprintf(msg, sizeof(msg), "%s: %s", b->o->module, strerror(err));
	return bench_fail(b, "finit_module(%s)", msg);
}

static int module_open(struct bench_ctx *b)
{
	int ret;

	b->dev = vcpu_abort_open();
	if (b->dev < 0)
		return bench_fail(b, "open /dev/vcpu_abort: %s", strerror(-b->dev));
	ret = vcpu_abort_nl_open(&b->nl);
	if (ret) {
		vcpu_abort_nl_close(&b->nl);
		return bench_fail(b, "netlink: %s", b->nl.err);
	}
	b->nl_open = 1;
	return 0;
}

/* Nothing may hold the module when it is unloaded. */
static void module_close(struct bench_ctx *b)
{
	if (b->dev >= 0)
		close(b->dev);
	b->dev = -1;
	if (b->nl_open)
		vcpu_abort_nl_close(&b->nl);
	b->nl_open = 0;
}

static int set_policy(struct bench_ctx *b, uint32_t policy)
{
	if (vcpu_abort_nl_set_policy(&b->nl, b->vm.fd, 0, policy, NULL))
		return bench_fail(b, "%s", b->nl.err);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The VM: nr vCPUs in the bench loop, policy pinned off if loaded. */

static void bench_vm_destroy(struct bench_ctx *b)
{
	int i;

	for (i = 0; i < b->nr_vcpus; i++)
		vcpu_destroy(&b->vcpu[i]);
	b->nr_vcpus = 0;
	vm_destroy(&b->vm);
}

/* Copies the arch's bench loop into the RAM arch_vm_setup() created. */
static int bench_vm_load_loop(struct vm *vm)
{
	size_t len = arch_bench_loop_end - arch_bench_loop_start;
	void *hva = vm_gpa_to_hva(vm, arch_bench_loop_gpa, len);

	if (!hva)
		return vm_error(vm, EFAULT, "no RAM at 0x%llx for the bench loop",
				(unsigned long long)arch_bench_loop_gpa);
	memcpy(hva, arch_bench_loop_start, len);
	return 0;
}

static int bench_vm_create(struct bench_ctx *b, int nr)
{
	char why[VM_ERR_LEN];
	int i, ret;

	memset(&b->vm, 0, sizeof(b->vm));
	b->nr_vcpus = 0;
	if (vm_create(&b->vm, arch_vm_type()))
		return bench_vm_fail(b);
	b->vm.step = "probe capabilities";
	ret = arch_case_supported(&b->vm, &bench_case, why, sizeof(why));
	if (ret <= 0) {
		if (!ret)
			bench_fail(b, "the MMIO load case cannot run: %s", why);
		else
			bench_vm_fail(b);
		vm_destroy(&b->vm);
		return -1;
	}
	b->vm.step = "set up the VM";
	if ((b->nl_open && set_policy(b, VCPU_ABORT_POLICY_OFF)) ||
	    arch_vm_setup(&b->vm, &bench_case) || bench_vm_load_loop(&b->vm))
		goto fail;
	for (i = 0; i < nr; i++) {
		b->vm.step = "create the vCPUs";
		if (vcpu_create(&b->vm, &b->vcpu[i], i))
			goto fail;
		b->nr_vcpus++;
		b->vm.step = "set up the vCPUs";
		if (arch_vcpu_setup(&b->vcpu[i], &bench_case) ||
		    arch_bench_enter_loop(&b->vcpu[i]))
			goto fail;
	}
	b->vm.step = "bench";
	return 0;
fail:
	bench_vm_fail(b);
	bench_vm_destroy(b);
	return -1;
}

/* ------------------------------------------------------------------ */
/* The steps. */

/* KVM_RUN to the loop's MMIO load; answered as a VMM would. */
static int bench_exit(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint64_t answer = BENCH_ANSWER;

	if (vcpu_run(v))
		return -1;
	if (run->exit_reason != KVM_EXIT_MMIO || run->mmio.is_write ||
	    run->mmio.phys_addr != arch_bench_mmio_gpa ||
	    run->mmio.len != arch_bench_mmio_len)
		return kvm_unexpected_exit(v, "KVM_EXIT_MMIO load of the bench loop");
	memcpy(run->mmio.data, &answer, arch_bench_mmio_len);
	return 0;
}

/* The upstream way to get rid of a pending completion: run it. */
static int bench_complete(struct vcpu *v)
{
	int ret, err;

	v->run->immediate_exit = 1;
	ret = ioctl(v->fd, KVM_RUN, NULL);
	err = errno;
	v->run->immediate_exit = 0;
	if (!ret)
		return vm_error(v->vm, EPROTO,
				"KVM_RUN with immediate_exit=1 returned 0, not EINTR");
	if (err != EINTR)
		return vm_error(v->vm, err, "KVM_RUN (immediate_exit=1): %s",
				strerror(err));
	return 0;
}

static int check_report(struct vcpu *v, const struct vcpu_abort_report *rep)
{
	if (rep->kind == VCPU_ABORT_KIND_MMIO_LOAD)
		return 0;
	return vm_error(v->vm, EPROTO, "the abort reported %s, not an MMIO load",
			vcpu_abort_kind_name(rep->kind));
}

static int abort_ioctl(int dev, struct vcpu *v)
{
	struct vcpu_abort_report rep;
	int ret;

	ret = vcpu_abort_ioctl(dev, VCPU_ABORT_IOC_ABORT, v->fd, 0, &rep);
	if (ret)
		return vm_error(v->vm, -ret, "VCPU_ABORT_IOC_ABORT: %s",
				strerror(-ret));
	return check_report(v, &rep);
}

static int abort_nl(struct bench_ctx *b, struct vcpu *v)
{
	struct vcpu_abort_report rep;

	if (vcpu_abort_nl_query(&b->nl, VCPU_ABORT_CMD_ABORT, v->fd, 0, &rep))
		return vm_error(v->vm, EIO, "%s", b->nl.err);
	return check_report(v, &rep);
}

/* ------------------------------------------------------------------ */
/* 3. Hot path: MMIO exit round trips. */

#define BENCH_HOT_CHUNK		32	/* round trips per policy switch */

/*
 * One round trip: KVM_RUN completes the answered load, the guest loops to
 * the next one and exits. Timed one by one: the median ignores the
 * interrupts and preemptions that TCG makes long.
 */
static int hot_chunk(struct bench_ctx *b, struct bench_samples *s)
{
	struct vcpu *v = &b->vcpu[0];
	double t0, t1;
	int i;

	if (bench_exit(v))	/* warm-up, after a policy switch */
		return bench_vm_fail(b);
	for (i = 0; i < BENCH_HOT_CHUNK; i++) {
		t0 = now_ns();
		if (bench_exit(v))
			return bench_vm_fail(b);
		t1 = now_ns();
		if (bench_samples_push(s, t1 - t0))
			return bench_fail(b, "%s", "out of memory");
	}
	return 0;
}

/*
 * Median round trip, in ns, of the policies of mask (1 << policy; 0: no
 * policy, the module is not loaded), chunk by chunk in a rotating order.
 */
static int bench_hot(struct bench_ctx *b, unsigned int mask,
		     double med[VCPU_ABORT_POLICY_COUNT])
{
	struct bench_samples s[VCPU_ABORT_POLICY_COUNT] = { { 0 } };
	int nr = mask ? __builtin_popcount(mask) : 1, round, k, p, ret = 0;
	double deadline = now_ns() + nr * b->slice_ns;

	for (round = 0; !ret; round++) {
		for (k = 0; k < VCPU_ABORT_POLICY_COUNT && !ret; k++) {
			p = (round + k) % VCPU_ABORT_POLICY_COUNT;
			if (mask ? !(mask & (1u << p)) : p != 0)
				continue;
			if (mask && set_policy(b, p))
				ret = -1;
			else
				ret = hot_chunk(b, &s[p]);
		}
		if (round >= BENCH_MIN_ROUNDS && now_ns() > deadline)
			break;
	}
	for (k = 0; k < VCPU_ABORT_POLICY_COUNT; k++) {
		med[k] = bench_median(&s[k]);
		bench_samples_free(&s[k]);
	}
	if (!ret && mask && set_policy(b, VCPU_ABORT_POLICY_OFF))
		ret = -1;
	return ret;
}

/* ------------------------------------------------------------------ */
/* 1. The abort (or complete) step alone. */

enum { STEP_COMPLETE, STEP_IOCTL, STEP_NL, NR_STEPS };

static int bench_steps(struct bench_ctx *b, double med[NR_STEPS])
{
	struct bench_samples s[NR_STEPS] = { { 0 } };
	struct vcpu *v = &b->vcpu[0];
	double deadline = now_ns() + NR_STEPS * b->slice_ns, t0, t1;
	int round, k, step, ret = 0;

	for (round = 0; !ret; round++) {
		for (k = 0; k < NR_STEPS && !ret; k++) {
			step = (round + k) % NR_STEPS;
			ret = bench_exit(v);
			if (ret)
				break;
			t0 = now_ns();
			if (step == STEP_COMPLETE)
				ret = bench_complete(v);
			else if (step == STEP_IOCTL)
				ret = abort_ioctl(b->dev, v);
			else
				ret = abort_nl(b, v);
			t1 = now_ns();
			if (!ret && round >= BENCH_WARMUP &&
			    bench_samples_push(&s[step], t1 - t0))
				ret = vm_error(v->vm, ENOMEM, "out of memory");
		}
		if (round >= BENCH_WARMUP + BENCH_MIN_ROUNDS &&
		    now_ns() > deadline)
			break;
	}
	for (k = 0; k < NR_STEPS; k++) {
		med[k] = bench_median(&s[k]);
		bench_samples_free(&s[k]);
	}
	return ret ? bench_vm_fail(b) : 0;
}

/* ------------------------------------------------------------------ */
/* 2. The reset sequence: pending exit -> [abort] -> reset -> reset code. */

enum { SEQ_UPSTREAM, SEQ_EXPLICIT, SEQ_AUTO, NR_SEQS };

static int reset_once(struct bench_ctx *b, int seq, int check, double *ns)
{
	struct vcpu *v = &b->vcpu[0];
	struct race_result res;
	struct race_regs to;
	unsigned int wrote;
	char how[160];
	double t0, t1;
	int ret;

	if (seq == SEQ_AUTO && set_policy(b, VCPU_ABORT_POLICY_RESET))
		return -1;
	if (bench_exit(v))
		return bench_vm_fail(b);

	t0 = now_ns();
	if (seq == SEQ_UPSTREAM)
		ret = bench_complete(v);
	else if (seq == SEQ_EXPLICIT)
		ret = abort_ioctl(b->dev, v);
	else
		ret = 0;	/* the hook on the reset aborts */
	if (!ret)
		ret = arch_reset(v, arch_resets[0], &to, &wrote, how,
				 sizeof(how));
	if (!ret)
		ret = vcpu_run(v);
	t1 = now_ns();
	if (ret)
		return bench_vm_fail(b);
	*ns = t1 - t0;

	/* Once per block: the vCPU must have started the reset code. */
	if (check) {
		memset(&res, 0, sizeof(res));
		if (arch_locate_resume(v, &bench_case, &res))
			return bench_vm_fail(b);
		if (res.resume != RACE_RESUME_RESET || res.resume_offset)
			return bench_fail(b,
					  "the vCPU did not start the reset code after the reset: %s",
					  res.resume_desc);
	}
	if (seq == SEQ_AUTO && set_policy(b, VCPU_ABORT_POLICY_OFF))
		return -1;
	/* Back into the loop, the upstream way (not measured). */
	if (bench_complete(v) || arch_bench_enter_loop(v))
		return bench_vm_fail(b);
	return 0;
}

/* The sequences of mask, interleaved; med[] gets their medians. */
static int bench_resets(struct bench_ctx *b, unsigned int mask,
			double med[NR_SEQS])
{
	struct bench_samples s[NR_SEQS] = { { 0 } };
	int round, k, seq, nr = __builtin_popcount(mask), ret = 0;
	double deadline = now_ns() + nr * b->slice_ns, ns;

	for (round = 0; !ret; round++) {
		for (k = 0; k < NR_SEQS && !ret; k++) {
			seq = (round + k) % NR_SEQS;
			if (!(mask & (1u << seq)))
				continue;
			ret = reset_once(b, seq, round == 0, &ns);
			if (!ret && round >= BENCH_WARMUP &&
			    bench_samples_push(&s[seq], ns))
				ret = bench_fail(b, "%s", "out of memory");
		}
		if (round >= BENCH_WARMUP + BENCH_MIN_ROUNDS &&
		    now_ns() > deadline)
			break;
	}
	for (k = 0; k < NR_SEQS; k++) {
		med[k] = bench_median(&s[k]);
		bench_samples_free(&s[k]);
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* 4. Concurrent aborts: one thread per vCPU, each aborting its own. */

struct scale_run {
	struct bench_ctx *b;
	pthread_barrier_t barrier;
	double deadline;
	int stop, failed;
};

struct scale_thread {
	struct scale_run *s;
	struct vcpu *v;
	int idx;
	pthread_t thread;
	struct bench_samples samples;
};

static void *scale_thread(void *arg)
{
	struct scale_thread *t = arg;
	struct scale_run *s = t->s;
	double t0, t1;
	int it, ok;

	for (it = 0;; it++) {
		ok = !__atomic_load_n(&s->failed, __ATOMIC_ACQUIRE) &&
		     !bench_exit(t->v);
		pthread_barrier_wait(&s->barrier);
		/* Every vCPU has its pending exit: abort them all at once. */
		if (ok) {
			t0 = now_ns();
			ok = !abort_ioctl(s->b->dev, t->v);
			t1 = now_ns();
			if (ok && it >= BENCH_WARMUP)
				ok = !bench_samples_push(&t->samples, t1 - t0);
		}
		if (!ok)
			__atomic_store_n(&s->failed, 1, __ATOMIC_RELEASE);
		if (t->idx == 0 &&
		    (__atomic_load_n(&s->failed, __ATOMIC_ACQUIRE) ||
		     (it >= BENCH_WARMUP + BENCH_MIN_ROUNDS &&
		      now_ns() > s->deadline)))
			__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
		pthread_barrier_wait(&s->barrier);
		if (__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE))
			break;
	}
	return NULL;
}

/* Median time of one abort with nr vCPUs aborted concurrently. */
static int bench_scale(struct bench_ctx *b, int nr, double *med)
{
	struct scale_thread t[BENCH_MAX_VCPUS];
	struct bench_samples all = { 0 };
	struct scale_run s = { .b = b };
	int i, started = 0, ret = 0;
	size_t j;

	if (bench_vm_create(b, nr))
		return -1;
	pthread_barrier_init(&s.barrier, NULL, nr);
	s.deadline = now_ns() + b->slice_ns;
	memset(t, 0, sizeof(t));
	for (i = 0; i < nr; i++) {
		t[i] = (struct scale_thread) { .s = &s, .v = &b->vcpu[i], .idx = i };
		ret = pthread_create(&t[i].thread, NULL, scale_thread, &t[i]);
		if (ret) {
			/* Threads already started wait for the others forever. */
			fprintf(stderr, "vcpuctl bench: pthread_create: %s\n",
				strerror(ret));
			exit(VCPUCTL_EXIT_FAIL);
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(t[i].thread, NULL);
	pthread_barrier_destroy(&s.barrier);
	for (i = 0; i < nr; i++) {
		for (j = 0; j < t[i].samples.n && !ret; j++)
			ret = bench_samples_push(&all, t[i].samples.v[j]);
		bench_samples_free(&t[i].samples);
	}
	if (s.failed)
		ret = bench_vm_fail(b);
	else if (ret)
		ret = bench_fail(b, "%s", "out of memory");
	*med = bench_median(&all);
	bench_samples_free(&all);
	bench_vm_destroy(b);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The phases. */

struct bench_rep {
	double hot_unloaded, hot_off, hot_reset;	/* round trip, ns */
	double reset_unloaded;			/* upstream, not loaded */
	double steps[NR_STEPS];
	double seqs[NR_SEQS];
	double scale[4];			/* N = 1, 2, 4, 8 */
	int loaded_done, unloaded_done;
	int hooks;		/* the module's policy probes are set */
};

/*
 * The hot path blocks of the two phases of a repetition sit next to each
 * other, around the module's unload or load: last in the first phase,
 * first in the second. Each runs on a VM of its own, fresh in both
 * phases, so that the comparison is between like VMs.
 */
static int hot_vm(struct bench_ctx *b, unsigned int mask,
		  double med[VCPU_ABORT_POLICY_COUNT])
{
	int ret;

	if (bench_vm_create(b, 1))
		return -1;
	ret = bench_hot(b, mask, med);
	bench_vm_destroy(b);
	return ret;
}

static int phase_unloaded(struct bench_ctx *b, struct bench_rep *p, int first)
{
	double seqs[NR_SEQS], hot[VCPU_ABORT_POLICY_COUNT];

	if (!first && hot_vm(b, 0, hot))
		return -1;
	if (bench_vm_create(b, 1))
		return -1;
	if (bench_resets(b, 1u << SEQ_UPSTREAM, seqs)) {
		bench_vm_destroy(b);
		return -1;
	}
	bench_vm_destroy(b);
	if (first && hot_vm(b, 0, hot))
		return -1;
	p->hot_unloaded = hot[0];
	p->reset_unloaded = seqs[SEQ_UPSTREAM];
	p->unloaded_done = 1;
	return 0;
}

static int phase_loaded(struct bench_ctx *b, struct bench_rep *p, int first)
{
	static const int ns[] = { 1, 2, 4, 8 };
	unsigned int hot_mask = 1u << VCPU_ABORT_POLICY_OFF |
				1u << VCPU_ABORT_POLICY_RESET;
	unsigned int seq_mask = (1u << NR_SEQS) - 1;
	double hot[VCPU_ABORT_POLICY_COUNT];
	int i, ret = -1;
	char why[256];

	if (module_open(b))
		goto out;
	/* Without the probes (policy_hooks=0) the policy rows are n/a. */
	p->hooks = race_abort_policy_hooks_on(why, sizeof(why));
	if (!p->hooks) {
		hot_mask = 1u << VCPU_ABORT_POLICY_OFF;
		seq_mask &= ~(1u << SEQ_AUTO);
	}
	if (!first && hot_vm(b, hot_mask, hot))
		goto out;
	for (i = 0; i < 4; i++)
		if (ns[i] <= b->o->max_vcpus && bench_scale(b, ns[i], &p->scale[i]))
			goto out;
	if (bench_vm_create(b, 1))
		goto out;
	if (bench_steps(b, p->steps) ||
	    bench_resets(b, seq_mask, p->seqs)) {
		bench_vm_destroy(b);
		goto out;
	}
	bench_vm_destroy(b);
	if (first && hot_vm(b, hot_mask, hot))
		goto out;
	p->hot_off = hot[VCPU_ABORT_POLICY_OFF];
	p->hot_reset = hot[VCPU_ABORT_POLICY_RESET];
	p->loaded_done = 1;
	ret = 0;
out:
	module_close(b);
	return ret;
}

static void rep_results(struct bench_ctx *b, struct bench_rep *p)
{
	struct bench_result *r = b->r;
	int i;

	if (p->loaded_done) {
		bench_result_add(r, BENCH_ROW_ABORT_IOCTL,
				 p->steps[STEP_IOCTL] / p->steps[STEP_COMPLETE]);
		bench_result_add(r, BENCH_ROW_ABORT_NL,
				 p->steps[STEP_NL] / p->steps[STEP_COMPLETE]);
		bench_result_add(r, BENCH_ROW_RESET_EXPLICIT,
				 p->seqs[SEQ_EXPLICIT] / p->seqs[SEQ_UPSTREAM]);
		if (p->hooks) {
			bench_result_add(r, BENCH_ROW_RESET_AUTO,
					 p->seqs[SEQ_AUTO] / p->seqs[SEQ_UPSTREAM]);
			/* Rates: the inverse of the round trips. */
			bench_result_add(r, BENCH_ROW_HOT_OFF,
					 p->hot_off / p->hot_reset);
		}
		for (i = 1; i < 4; i++)
			if (p->scale[i] > 0)
				bench_result_add(r, BENCH_ROW_SCALE_2 + i - 1,
						 p->scale[i] / p->scale[0]);
		bench_result_add_abs(r, BENCH_ABS_COMPLETE, p->steps[STEP_COMPLETE]);
		bench_result_add_abs(r, BENCH_ABS_ABORT_IOCTL, p->steps[STEP_IOCTL]);
		bench_result_add_abs(r, BENCH_ABS_ABORT_NL, p->steps[STEP_NL]);
	}
	if (p->unloaded_done) {
		bench_result_add_abs(r, BENCH_ABS_HOT_RT, p->hot_unloaded);
		bench_result_add_abs(r, BENCH_ABS_RESET_UPSTREAM, p->reset_unloaded);
	} else if (p->loaded_done) {
		bench_result_add_abs(r, BENCH_ABS_HOT_RT, p->hot_off);
		bench_result_add_abs(r, BENCH_ABS_RESET_UPSTREAM,
				     p->seqs[SEQ_UPSTREAM]);
	}
	if (p->loaded_done && p->unloaded_done) {
		if (p->hooks)
			bench_result_add(r, BENCH_ROW_HOT_UNLOADED,
					 p->hot_unloaded / p->hot_reset);
		bench_result_add(r, BENCH_ROW_RESET_HOOKS,
				 p->seqs[SEQ_UPSTREAM] / p->reset_unloaded);
	}
	if (b->o->verbose)
		fprintf(stderr,
			"rep: hot ns unloaded %.0f off %.0f reset %.0f; steps ns complete %.0f ioctl %.0f nl %.0f; resets ns up %.0f expl %.0f auto %.0f unloaded %.0f; scale ns %.0f %.0f %.0f %.0f\n",
			p->hot_unloaded, p->hot_off, p->hot_reset,
			p->steps[0], p->steps[1], p->steps[2], p->seqs[0],
			p->seqs[1], p->seqs[2], p->reset_unloaded, p->scale[0],
			p->scale[1], p->scale[2], p->scale[3]);
}

int bench_run(const struct bench_opts *o, FILE *f)
{
	struct bench_result r;
	struct bench_ctx b = { .o = o, .r = &r, .dev = -1 };
	int was_loaded = module_loaded(), loaded = was_loaded;
	int do_loaded, do_unloaded, blocks, rep, i, ret = 0;
	char msg[VM_ERR_LEN];
	int fd;

	memset(&r, 0, sizeof(r));
	r.reps = o->reps;
	/* Only a check (no KVM is a skip): the VMs open their own. */
	fd = kvm_open_dev(msg, sizeof(msg));
	if (fd < 0) {
		fprintf(stderr, "vcpuctl bench: %s\n", msg);
		return VCPUCTL_EXIT_SKIP;
	}
	close(fd);
	arch_describe_host(r.host, sizeof(r.host));

	do_loaded = was_loaded || o->module;
	do_unloaded = !was_loaded || o->module;
	if (o->module)
		snprintf(r.notes, sizeof(r.notes),
			 "module unloaded and reloaded from %s between phases",
			 o->module);
	else if (was_loaded)
		snprintf(r.notes, sizeof(r.notes),
			 "module loaded throughout (no --module: no not-loaded baseline)");
	else
		snprintf(r.notes, sizeof(r.notes),
			 "vcpu_abort not loaded: baselines only");

	/* Blocks per repetition, to split the budget. */
	blocks = (do_loaded ? 2 + NR_STEPS + NR_SEQS + 4 : 0) +
		 (do_unloaded ? 2 : 0);
	b.slice_ns = o->budget_s * 1e9 / o->reps / blocks;
	r.slice_s = b.slice_ns / 1e9;

	for (i = 0; i < BENCH_NR_ROWS; i++)
		if (!do_loaded)
			r.missing[i] = "vcpu_abort not loaded";
	if (do_loaded && !do_unloaded) {
		r.missing[BENCH_ROW_HOT_UNLOADED] = "needs --module PATH";
		r.missing[BENCH_ROW_RESET_HOOKS] = "needs --module PATH";
	}
	for (i = 1; i < 4; i++)
		if ((1 << i) > o->max_vcpus && do_loaded)
			r.missing[BENCH_ROW_SCALE_2 + i - 1] = "over --vcpus";

	for (rep = 0; rep < o->reps && !ret; rep++) {
		struct bench_rep p = { 0 };
		int phase;

		for (phase = 0; phase < 2 && !ret; phase++) {
			/* Whichever state the module is in goes first. */
			int want_loaded = phase == 0 ? loaded : !loaded;

			if (want_loaded ? !do_loaded : !do_unloaded)
				continue;
			if (want_loaded != loaded) {
				ret = want_loaded ? module_load(&b) :
						    module_unload(&b);
				if (ret)
					break;
				loaded = want_loaded;
			}
			ret = loaded ? phase_loaded(&b, &p, phase == 0) :
				       phase_unloaded(&b, &p, phase == 0);
		}
		if (!ret)
			rep_results(&b, &p);
	}
	/* Leave the module as we found it. */
	if (o->module && loaded != was_loaded) {
		if ((was_loaded ? module_load(&b) : module_unload(&b)) && !ret)
			ret = -1;
	}

	if (ret) {
		fprintf(stderr, "vcpuctl bench: %s\n",
			b.err[0] ? b.err : "failed");
		return VCPUCTL_EXIT_FAIL;
	}
	bench_print(f, o, &r);
	return VCPUCTL_EXIT_OK;
}
