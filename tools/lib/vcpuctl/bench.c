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
 * a fixed count, so that the run takes as long on TCG as on hardware;
 * with --rounds, for that many rounds instead (block_done()). The
 * variants compared in one row run interleaved, iteration by iteration,
 * in a rotating order; the first BENCH_WARMUP rounds are not counted.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <vcpuctl/abort.h>
#include <vcpuctl/arch.h>
#include <vcpuctl/bench.h>
#include <vcpuctl/compiler.h>
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
	int vcpus_checked;		/* module_refuses_vcpus() said no */
	struct vm vm;
	struct vcpu vcpu[BENCH_MAX_VCPUS];
	int nr_vcpus;
	int trace_fd;			/* ftrace's tracing_on, or -1 */
	int marker_fd;			/* ftrace's trace_marker, or -1 */
	int policy;			/* vm's policy, -1 before it has one */
	uint32_t vm_id;			/* the module's number for vm */
	struct bench_regs regs;		/* register and state-sync rows */
	double start_ns;		/* when bench_run() started */
	double disarm_ns;		/* waited for the probes to go */
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

/*
 * The timed part of a step: with --profile --ftrace, ftrace records only
 * while it runs (tracing_on), so that a trace holds the steps alone.
 */
static double timed_begin(struct bench_ctx *b)
{
	if (b->trace_fd >= 0 && write(b->trace_fd, "1", 1) != 1)
		b->trace_fd = -1;
	/* Where a step starts, for whoever reads the trace. */
	if (b->trace_fd >= 0 && b->marker_fd >= 0 &&
	    write(b->marker_fd, "step", 4) != 4)
		b->marker_fd = -1;
	return now_ns();
}

static double timed_end(struct bench_ctx *b)
{
	double t = now_ns();

	if (b->trace_fd >= 0 && write(b->trace_fd, "0", 1) != 1)
		b->trace_fd = -1;
	return t;
}

/*
 * With --verbose, what the run starts next and when (seconds since it
 * began, this machine's clock): where the time of a slow run goes.
 */
static __printf(2, 3) void progress(struct bench_ctx *b, const char *fmt, ...)
{
	va_list ap;

	if (!b->o->verbose)
		return;
	fprintf(stderr, "bench: %7.1f s: ", (now_ns() - b->start_ns) / 1e9);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Whether a block ends after its done-th counted round: at its deadline
 * (and at least BENCH_MIN_ROUNDS on), or with --rounds after that many.
 * --rounds is for an emulator whose clock is no measure of its work:
 * under Bochs the guest's clock advances a small fraction of the time a
 * KVM_RUN costs there, and a block of 0.1 s of that clock ran for about
 * ten seconds, tens of thousands of rounds.
 */
static int block_done(struct bench_ctx *b, int done, double deadline)
{
	if (b->o->rounds)
		return done >= b->o->rounds;
	return done > BENCH_MIN_ROUNDS && now_ns() > deadline;
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

/* Ready: the register ioctls need no setup. x86 (sync_regs) has its own. */
__weak int arch_bench_sync_setup(struct vcpu *vcpu, char *why, size_t len)
{
	(void)vcpu;
	(void)why;
	(void)len;
	return 1;
}

/*
 * The module disarms its probes a second after the last policy went
 * (Documentation/hooks.rst): a "policy off" row measured before that
 * would pay for probes that a VMM with every policy off never meets.
 * Up to 10 s; a default or another VM's policy keeps them armed, which
 * the rows then measure as they are.
 */
static void wait_disarmed(struct bench_ctx *b)
{
	struct vcpu_abort_nl_hooks hooks;
	double t0 = now_ns();
	int i;

	for (i = 0; i < 500; i++) {
		if (vcpu_abort_nl_get_hooks(&b->nl, &hooks) || !hooks.armed)
			break;
		usleep(20000);
	}
	b->disarm_ns += now_ns() - t0;
}

/* The policy of the bench's VM; a no-op when it already has it. */
static int set_policy(struct bench_ctx *b, uint32_t policy)
{
	if (!b->nl_open || (int)policy == b->policy)
		return 0;
	if (vcpu_abort_nl_set_policy(&b->nl, b->vm.fd, 0, policy, &b->vm_id))
		return bench_fail(b, "%s", b->nl.err);
	b->policy = policy;
	if (policy == VCPU_ABORT_POLICY_OFF)
		wait_disarmed(b);
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
	b->policy = -1;
	if (set_policy(b, VCPU_ABORT_POLICY_OFF) ||
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

/* What an abort said it discarded must be the bench's pending load. */
static int check_kind(struct vcpu *v, uint32_t kind)
{
	if (kind == VCPU_ABORT_KIND_MMIO_LOAD)
		return 0;
	return vm_error(v->vm, EPROTO, "the abort reported %s, not an MMIO load",
			vcpu_abort_kind_name(kind));
}

static int abort_ioctl(int dev, struct vcpu *v)
{
	struct vcpu_abort_report rep;
	int ret;

	ret = vcpu_abort_ioctl(dev, VCPU_ABORT_IOC_ABORT, v->fd, 0, &rep);
	if (ret)
		return vm_error(v->vm, -ret, "VCPU_ABORT_IOC_ABORT: %s",
				strerror(-ret));
	return check_kind(v, rep.kind);
}

/* What a reset path calls: the fd in, the kind out, no user memory. */
static int discard_ioctl(int dev, struct vcpu *v)
{
	int kind = vcpu_abort_discard(dev, v->fd);

	if (kind < 0)
		return vm_error(v->vm, -kind, "VCPU_ABORT_IOC_DISCARD: %s",
				strerror(-kind));
	return check_kind(v, kind);
}

static int abort_nl(struct bench_ctx *b, struct vcpu *v)
{
	struct vcpu_abort_report rep;

	if (vcpu_abort_nl_query(&b->nl, VCPU_ABORT_CMD_ABORT, v->fd, 0, &rep))
		return vm_error(v->vm, EIO, "%s", b->nl.err);
	return check_kind(v, rep.kind);
}

/* ------------------------------------------------------------------ */
/* 3. Round trips under one policy or another: the hot path, state sync. */

#define BENCH_POLICY_CHUNK	32	/* round trips per policy switch */
/* What a state sync writes into the load's register. */
#define BENCH_SYNC_MARK		0x5eed5eed5eed5eedULL

/* One timed round trip; 0, or -1 with the error in b->err. */
typedef int (*bench_round_fn)(struct bench_ctx *b, double *ns);

/*
 * The hot path: KVM_RUN completes the answered load, the guest loops to
 * the next one and exits. Timed one by one: the median ignores the
 * interrupts and preemptions that TCG makes long.
 */
static int round_exit(struct bench_ctx *b, double *ns)
{
	double t0 = timed_begin(b);
	int ret = bench_exit(&b->vcpu[0]);

	*ns = timed_end(b) - t0;
	return ret ? bench_vm_fail(b) : 0;
}

/*
 * A state-sync VMM: the registers written back before KVM_RUN (the load's
 * register changed, the PC not), the exit, the registers read. The write
 * keeps the PC, so policy reset must keep the completion: sync_vm()
 * checks the VM's counters afterwards. (What becomes of the load's value
 * is KVM's business: x86 KVM drops it when the register was written.)
 */
static int round_sync(struct bench_ctx *b, double *ns)
{
	struct vcpu *v = &b->vcpu[0];
	double t0, t1;
	int ret;

	t0 = timed_begin(b);
	ret = arch_bench_sync_write(v, &b->regs, BENCH_SYNC_MARK);
	if (!ret)
		ret = bench_exit(v);
	if (!ret)
		ret = arch_bench_sync_read(v, &b->regs);
	t1 = timed_end(b);
	*ns = t1 - t0;
	return ret ? bench_vm_fail(b) : 0;
}

/*
 * A register write (under one policy or another) or read, with nothing
 * pending: the register-write rows, and the read is the control of the
 * rows that compare blocks measured one after the other.
 */
enum { REG_WRITE_RESET, REG_WRITE_OFF, REG_READ, NR_REG_OPS };

#define BENCH_REG_CHUNK		32	/* writes or reads per switch */

/* One register write (or read), timed. */
static int reg_once(struct bench_ctx *b, int op, double *ns)
{
	struct vcpu *v = &b->vcpu[0];
	double t0;
	int ret;

	t0 = timed_begin(b);
	if (op == REG_READ)
		ret = arch_bench_reg_read(v, &b->regs);
	else
		ret = arch_bench_reg_write(v, &b->regs);
	*ns = timed_end(b) - t0;
	return ret ? bench_vm_fail(b) : 0;
}

static int reg_chunk(struct bench_ctx *b, int op, struct bench_samples *s)
{
	double ns;
	int i;

	for (i = -1; i < BENCH_REG_CHUNK; i++) {
		if (reg_once(b, op, &ns))
			return -1;
		/* The first one pays for a policy switch. */
		if (i >= 0 && bench_samples_push(s, ns))
			return bench_fail(b, "%s", "out of memory");
	}
	return 0;
}

/* A chunk of round trips, after one uncounted (a policy switch before). */
static int policy_chunk(struct bench_ctx *b, bench_round_fn round,
			struct bench_samples *s)
{
	double ns;
	int i;

	if (round(b, &ns))
		return -1;
	for (i = 0; i < BENCH_POLICY_CHUNK; i++) {
		if (round(b, &ns))
			return -1;
		if (bench_samples_push(s, ns))
			return bench_fail(b, "%s", "out of memory");
	}
	return 0;
}

/*
 * Median round trip, in ns, of the policies of mask (1 << policy; 0: no
 * policy, the module is not loaded), chunk by chunk in a rotating order;
 * with ctl, also the median register read, a chunk of them each round:
 * the control of a block that is compared with one measured later.
 */
static int bench_policies(struct bench_ctx *b, bench_round_fn round,
			  unsigned int mask, double med[VCPU_ABORT_POLICY_COUNT],
			  double *ctl)
{
	struct bench_samples s[VCPU_ABORT_POLICY_COUNT] = { { 0 } };
	struct bench_samples reads = { 0 };
	int nr = mask ? __builtin_popcount(mask) : 1, k, p, i, ret = 0;
	double deadline = now_ns() + nr * b->slice_ns;

	for (i = 0; !ret; i++) {
		for (k = 0; k < VCPU_ABORT_POLICY_COUNT && !ret; k++) {
			p = (i + k) % VCPU_ABORT_POLICY_COUNT;
			if (mask ? !(mask & (1u << p)) : p != 0)
				continue;
			ret = set_policy(b, p);
			if (!ret)
				ret = policy_chunk(b, round, &s[p]);
		}
		if (!ret && ctl)
			ret = reg_chunk(b, REG_READ, &reads);
		if (block_done(b, i + 1, deadline))
			break;
	}
	for (k = 0; k < VCPU_ABORT_POLICY_COUNT; k++) {
		med[k] = bench_median(&s[k]);
		bench_samples_free(&s[k]);
	}
	if (ctl)
		*ctl = bench_median(&reads);
	bench_samples_free(&reads);
	if (!ret)
		ret = set_policy(b, VCPU_ABORT_POLICY_OFF);
	return ret;
}

/* ------------------------------------------------------------------ */
/* 1. The abort (or complete) step alone. */

enum {
	STEP_COMPLETE, STEP_IOCTL, STEP_DISCARD, STEP_NL, STEP_FLOOR,
	STEP_NL_FLOOR, STEP_VCPU_FLOOR, NR_STEPS
};

/*
 * The floor of any abort by syscall: an ioctl the module does not know
 * (ENOTTY right away), on the same device. What a syscall costs on
 * this machine, which an abort pays and a completion pays too (inside
 * the KVM_RUN): no abort can cost less than floor / complete of one.
 */
#define BENCH_NULL_IOCTL	_IO(VCPU_ABORT_IOC_MAGIC, 0xff)

static int null_ioctl(int dev, struct vcpu *v)
{
	if (ioctl(dev, BENCH_NULL_IOCTL) == 0 || errno != ENOTTY)
		return vm_error(v->vm, EIO, "%s",
				"an unknown ioctl of /dev/vcpu_abort did not fail with ENOTTY");
	return 0;
}

/*
 * What KVM itself pays to reach a vCPU's state: its cheapest vCPU ioctl
 * that takes vcpu->mutex, which every change of that state holds (an
 * abort, and the KVM_RUN of a completion). KVM_SET_SIGNAL_MASK
 * without a mask looks up the vCPU by its fd, takes the mutex and clears
 * sigset_active (never set here), with no vcpu_load() and nothing the
 * module sees.
 */
static int vcpu_null_ioctl(struct vcpu *v)
{
	if (ioctl(v->fd, KVM_SET_SIGNAL_MASK, NULL))
		return vm_error(v->vm, errno, "KVM_SET_SIGNAL_MASK: %s",
				strerror(errno));
	return 0;
}

/*
 * The floor of any request of the family: one generic netlink refuses
 * before the module sees it (a command the family does not have), the
 * same two syscalls, request and reply as an abort via netlink.
 */
static int null_nl(struct bench_ctx *b, struct vcpu *v)
{
	if (vcpu_abort_nl_null(&b->nl))
		return vm_error(v->vm, EIO, "%s", b->nl.err);
	return 0;
}

/* A pending exit (not timed), then the step alone (timed, *ns). */
static int step_once(struct bench_ctx *b, int step, double *ns)
{
	struct vcpu *v = &b->vcpu[0];
	double t0, t1;
	int ret;

	ret = bench_exit(v);
	if (ret)
		return ret;
	t0 = timed_begin(b);
	if (step == STEP_COMPLETE)
		ret = bench_complete(v);
	else if (step == STEP_IOCTL)
		ret = abort_ioctl(b->dev, v);
	else if (step == STEP_DISCARD)
		ret = discard_ioctl(b->dev, v);
	else if (step == STEP_NL)
		ret = abort_nl(b, v);
	else if (step == STEP_NL_FLOOR)
		ret = null_nl(b, v);
	else if (step == STEP_VCPU_FLOOR)
		ret = vcpu_null_ioctl(v);
	else
		ret = null_ioctl(b->dev, v);
	t1 = timed_end(b);
	*ns = t1 - t0;
	return ret;
}

static int bench_steps(struct bench_ctx *b, double med[NR_STEPS])
{
	struct bench_samples s[NR_STEPS] = { { 0 } };
	struct vcpu *v = &b->vcpu[0];
	double deadline = now_ns() + NR_STEPS * b->slice_ns, ns;
	int round, k, step, ret = 0;

	for (round = 0; !ret; round++) {
		for (k = 0; k < NR_STEPS && !ret; k++) {
			step = (round + k) % NR_STEPS;
			ret = step_once(b, step, &ns);
			if (!ret && round >= BENCH_WARMUP &&
			    bench_samples_push(&s[step], ns))
				ret = vm_error(v->vm, ENOMEM, "out of memory");
		}
		if (round >= BENCH_WARMUP &&
		    block_done(b, round + 1 - BENCH_WARMUP, deadline))
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

	if (bench_exit(v))
		return bench_vm_fail(b);

	t0 = timed_begin(b);
	if (seq == SEQ_UPSTREAM)
		ret = bench_complete(v);
	else if (seq == SEQ_EXPLICIT)
		ret = discard_ioctl(b->dev, v);
	else
		ret = 0;	/* the hook on the reset aborts */
	if (!ret)
		ret = arch_reset(v, arch_resets[0], &to, &wrote, how,
				 sizeof(how));
	if (!ret)
		ret = vcpu_run(v);
	t1 = timed_end(b);
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
	/* Back into the loop, the upstream way (not measured). */
	if (bench_complete(v) || arch_bench_enter_loop(v))
		return bench_vm_fail(b);
	return 0;
}

#define BENCH_RESET_CHUNK	8	/* sequences per policy switch */

/*
 * The sequences of mask, interleaved chunk by chunk in a rotating order;
 * med[] gets their medians. Policy reset is set for the chunks of
 * SEQ_AUTO only: the module arms its hooks when a policy is set, so the
 * others run as with the module not in use. Switching re-patches kernel
 * text, which TCG translates again: the first sequence after a switch is
 * not counted.
 */
static int bench_resets(struct bench_ctx *b, unsigned int mask,
			double med[NR_SEQS], double *ctl)
{
	struct bench_samples s[NR_SEQS] = { { 0 } }, reads = { 0 };
	int round, k, i, seq, nr = __builtin_popcount(mask), ret = 0;
	double deadline = now_ns() + nr * b->slice_ns, ns;

	for (round = 0; !ret; round++) {
		for (k = 0; k < NR_SEQS && !ret; k++) {
			seq = (round + k) % NR_SEQS;
			if (!(mask & (1u << seq)))
				continue;
			ret = set_policy(b, seq == SEQ_AUTO ?
					 VCPU_ABORT_POLICY_RESET :
					 VCPU_ABORT_POLICY_OFF);
			for (i = -1; i < BENCH_RESET_CHUNK && !ret; i++) {
				ret = reset_once(b, seq, round == 0 && i < 0,
						 &ns);
				if (!ret && i >= 0 &&
				    bench_samples_push(&s[seq], ns))
					ret = bench_fail(b, "%s", "out of memory");
			}
		}
		if (!ret && ctl)
			ret = reg_chunk(b, REG_READ, &reads);
		if (block_done(b, round + 1, deadline))
			break;
	}
	if (!ret)
		ret = set_policy(b, VCPU_ABORT_POLICY_OFF);
	for (k = 0; k < NR_SEQS; k++) {
		med[k] = bench_median(&s[k]);
		bench_samples_free(&s[k]);
	}
	if (ctl)
		*ctl = bench_median(&reads);
	bench_samples_free(&reads);
	return ret;
}

/* ------------------------------------------------------------------ */
/* 4. Concurrent aborts: one thread per vCPU, each aborting its own. */

struct scale_run {
	struct bench_ctx *b;
	pthread_barrier_t barrier;
	double deadline;
	int stop, failed;
	int floor;	/* also time the syscall floor: its row is N=2 / N=1 */
};

struct scale_thread {
	struct scale_run *s;
	struct vcpu *v;
	int idx;
	pthread_t thread;
	struct bench_samples samples;	/* aborts */
	struct bench_samples floor;	/* syscall floors */
};

/*
 * One step of every thread at the same moment, timed: an abort, or the
 * syscall floor (what syscalls at once cost the machine, whatever they
 * do: the reference of the abort's scaling).
 */
static int scale_step(struct scale_thread *t, int abort, int counted)
{
	struct bench_samples *s = abort ? &t->samples : &t->floor;
	int dev = t->s->b->dev;
	double t0, t1;
	int ret;

	t0 = now_ns();
	ret = abort ? abort_ioctl(dev, t->v) : null_ioctl(dev, t->v);
	t1 = now_ns();
	if (!ret && counted)
		ret = bench_samples_push(s, t1 - t0);
	return ret;
}

static void *scale_thread(void *arg)
{
	struct scale_thread *t = arg;
	struct scale_run *s = t->s;
	int it, ok;

	for (it = 0;; it++) {
		ok = !__atomic_load_n(&s->failed, __ATOMIC_ACQUIRE) &&
		     !bench_exit(t->v);
		pthread_barrier_wait(&s->barrier);
		/* Every vCPU has its pending exit: abort them all at once. */
		if (ok)
			ok = !scale_step(t, 1, it >= BENCH_WARMUP);
		if (s->floor) {
			pthread_barrier_wait(&s->barrier);
			if (ok)
				ok = !scale_step(t, 0, it >= BENCH_WARMUP);
		}
		if (!ok)
			__atomic_store_n(&s->failed, 1, __ATOMIC_RELEASE);
		if (t->idx == 0 &&
		    (__atomic_load_n(&s->failed, __ATOMIC_ACQUIRE) ||
		     (it >= BENCH_WARMUP &&
		      block_done(s->b, it + 1 - BENCH_WARMUP, s->deadline))))
			__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
		pthread_barrier_wait(&s->barrier);
		if (__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE))
			break;
	}
	return NULL;
}

/*
 * Median time of one abort with nr vCPUs aborted concurrently, and for
 * nr <= 2 of one syscall floor with nr threads at once (else 0).
 */
static int bench_scale(struct bench_ctx *b, int nr, double *med,
		       double *floor_med)
{
	struct scale_thread t[BENCH_MAX_VCPUS];
	struct bench_samples all = { 0 }, floors = { 0 };
	struct scale_run s = { .b = b, .floor = nr <= 2 };
	int i, started = 0, ret = 0;
	size_t j;

	progress(b, "concurrent aborts, %d vCPUs", nr);
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
		for (j = 0; j < t[i].floor.n && !ret; j++)
			ret = bench_samples_push(&floors, t[i].floor.v[j]);
		bench_samples_free(&t[i].samples);
		bench_samples_free(&t[i].floor);
	}
	if (s.failed)
		ret = bench_vm_fail(b);
	else if (ret)
		ret = bench_fail(b, "%s", "out of memory");
	*med = bench_median(&all);
	*floor_med = bench_median(&floors);
	bench_samples_free(&all);
	bench_samples_free(&floors);
	bench_vm_destroy(b);
	return ret;
}

/* ------------------------------------------------------------------ */
/* 6. A register write, with 1, 64, 1024 VMs that have policies. */

/*
 * The operations of mask, chunk by chunk in a rotating order: a register
 * write under policy reset, under policy off, and a register read, which
 * no hook sees: the control that takes out how fast the machine runs
 * just now, since the VM counts differ in time, not side by side.
 */
static int bench_regs(struct bench_ctx *b, unsigned int mask,
		      double med[NR_REG_OPS])
{
	struct bench_samples s[NR_REG_OPS] = { { 0 } };
	int nr = __builtin_popcount(mask), i, k, op, ret = 0;
	double deadline = now_ns() + nr * b->slice_ns;

	for (i = 0; !ret; i++) {
		for (k = 0; k < NR_REG_OPS && !ret; k++) {
			op = (i + k) % NR_REG_OPS;
			if (!(mask & (1u << op)))
				continue;
			if (op == REG_WRITE_RESET)
				ret = set_policy(b, VCPU_ABORT_POLICY_RESET);
			else if (op == REG_WRITE_OFF)
				ret = set_policy(b, VCPU_ABORT_POLICY_OFF);
			if (!ret)
				ret = reg_chunk(b, op, &s[op]);
		}
		if (block_done(b, i + 1, deadline))
			break;
	}
	for (k = 0; k < NR_REG_OPS; k++) {
		med[k] = bench_median(&s[k]);
		bench_samples_free(&s[k]);
	}
	return ret;
}

/* The idle VMs: created with KVM_CREATE_VM, each given policy reset. */
struct idle_vms {
	int kvm_fd;
	int *fd;
	int nr;
	int policy_set;		/* fd[0 .. policy_set - 1] have their policy */
};

/* Room for @nr more file descriptors than the bench uses anyway. */
static int idle_vms_rlimit(struct bench_ctx *b, int nr)
{
	struct rlimit rl;
	rlim_t want = nr + 256;
	char msg[96];

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return bench_fail(b, "getrlimit: %s", strerror(errno));
	if (rl.rlim_cur >= want)
		return 0;
	rl.rlim_cur = want;
	if (rl.rlim_max < want)
		rl.rlim_max = want;
	if (!setrlimit(RLIMIT_NOFILE, &rl))
		return 0;
	snprintf(msg, sizeof(msg), "%llu: %s", (unsigned long long)want,
		 strerror(errno));
	return bench_fail(b, "RLIMIT_NOFILE to %s", msg);
}

/* The threads that make idle VMs: KVM_CREATE_VM waits more than it works. */
#define BENCH_IDLE_THREADS	8

struct idle_maker {
	struct idle_vms *iv;
	int next, total;	/* the next index to make, up to total */
	int err, err_index;	/* the first failure: errno, which VM */
	double *ns;		/* per VM: how long its KVM_CREATE_VM took */
};

static void *idle_maker_thread(void *arg)
{
	struct idle_maker *m = arg;
	double t0;
	int i, fd;

	while ((i = __atomic_fetch_add(&m->next, 1, __ATOMIC_RELAXED)) <
	       m->total) {
		if (__atomic_load_n(&m->err, __ATOMIC_RELAXED))
			break;
		t0 = now_ns();
		fd = ioctl(m->iv->kvm_fd, KVM_CREATE_VM, arch_vm_type());
		m->ns[i] = now_ns() - t0;
		m->iv->fd[i] = fd;
		if (fd < 0) {
			m->err_index = i;
			__atomic_store_n(&m->err, errno, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

/*
 * Makes it @total VMs besides the bench's own: each a KVM_CREATE_VM (a few
 * threads at once), then a policy of its own, so that the module keeps an
 * entry for it. No vCPU: the module keys its entries by VM. -1 with
 * b->err if KVM refused more.
 */
static int idle_vms_grow(struct bench_ctx *b, struct idle_vms *iv, int total,
			 struct bench_samples *create,
			 struct bench_samples *policy)
{
	struct idle_maker m = { .iv = iv, .next = iv->nr, .total = total };
	pthread_t thread[BENCH_IDLE_THREADS];
	int i, nr_threads = 0, ret = 0;
	char msg[96];
	double t0;

	if (total <= iv->nr)
		return 0;
	m.ns = calloc(total, sizeof(*m.ns));
	if (!m.ns)
		return bench_fail(b, "%s", "out of memory");
	for (i = iv->nr; i < total; i++)
		iv->fd[i] = -1;
	for (i = 0; i < BENCH_IDLE_THREADS; i++)
		if (!pthread_create(&thread[nr_threads], NULL,
				    idle_maker_thread, &m))
			nr_threads++;
	if (!nr_threads)
		idle_maker_thread(&m);
	for (i = 0; i < nr_threads; i++)
		pthread_join(thread[i], NULL);
	/* Keep what was made, in order, so that all of it is closed. */
	for (i = iv->nr; i < total; i++) {
		if (iv->fd[i] < 0)
			continue;
		iv->fd[iv->nr++] = iv->fd[i];
		if (bench_samples_push(create, m.ns[i]))
			ret = bench_fail(b, "%s", "out of memory");
	}
	free(m.ns);
	if (m.err) {
		snprintf(msg, sizeof(msg), "%d: %s", m.err_index + 2,
			 strerror(m.err));
		return bench_fail(b, "KVM_CREATE_VM of VM %s", msg);
	}
	for (i = iv->policy_set; i < iv->nr && !ret; i++) {
		t0 = now_ns();
		if (vcpu_abort_nl_set_policy(&b->nl, iv->fd[i], 0,
					     VCPU_ABORT_POLICY_RESET, NULL))
			return bench_fail(b, "policy of an idle VM: %s",
					  b->nl.err);
		if (bench_samples_push(policy, now_ns() - t0))
			ret = bench_fail(b, "%s", "out of memory");
	}
	iv->policy_set = i;
	return ret;
}

struct idle_closer {
	struct idle_vms *iv;
	int next;		/* the next index to close */
};

static void *idle_closer_thread(void *arg)
{
	struct idle_closer *c = arg;
	int i;

	while ((i = __atomic_fetch_add(&c->next, 1, __ATOMIC_RELAXED)) <
	       c->iv->nr)
		close(c->iv->fd[i]);
	return NULL;
}

/*
 * The last close of a VM destroys it: kvm_destroy_vm() waits for grace
 * periods (mmu_notifier_unregister(), cleanup_srcu_struct()). Closing
 * 1024 one after the other took 24 s (Bochs) to 34 s (QEMU TCG) of the
 * lab guests' clocks; closed by several threads, the waits can overlap.
 */
static void idle_vms_destroy(struct idle_vms *iv)
{
	struct idle_closer c = { .iv = iv };
	pthread_t thread[BENCH_IDLE_THREADS];
	int i, nr_threads = 0;

	for (i = 0; i < BENCH_IDLE_THREADS && iv->nr > 0; i++)
		if (!pthread_create(&thread[nr_threads], NULL,
				    idle_closer_thread, &c))
			nr_threads++;
	if (!nr_threads)
		idle_closer_thread(&c);
	for (i = 0; i < nr_threads; i++)
		pthread_join(thread[i], NULL);
	iv->nr = 0;
	free(iv->fd);
	iv->fd = NULL;
	if (iv->kvm_fd >= 0)
		close(iv->kvm_fd);
	iv->kvm_fd = -1;
}

/*
 * The register-write rows. The VM counts follow each other (1, 64, 1024:
 * VMs are not made and destroyed by the thousand per repetition), so
 * each stage has all of its repetitions; a repetition's ratio compares
 * the write-to-read ratio of its stage with that of the 1-VM stage, the
 * read taking out whatever else changed meanwhile. Needs the module, with
 * its hooks: the caller checked both.
 */
static int bench_idle(struct bench_ctx *b)
{
	static const int counts[] = { 1, BENCH_IDLE_FEW, BENCH_IDLE_MANY };
	const struct bench_opts *o = b->o;
	struct bench_result *r = b->r;
	double med[3][BENCH_MAX_REPS][NR_REG_OPS];
	struct idle_vms iv = { .kvm_fd = -1 };
	struct bench_samples create = { 0 }, policy = { 0 };
	unsigned int mask;
	int stage, rep, ret = -1;
	double t0, making = 0;
	char msg[VM_ERR_LEN];

	if (module_open(b))
		goto out_module;
	if (bench_vm_create(b, 1))
		goto out_module;
	if (arch_bench_reg_read(&b->vcpu[0], &b->regs)) {
		bench_vm_fail(b);
		goto out;
	}
	for (stage = 0; stage < 3 && counts[stage] <= o->max_vms; stage++) {
		if (stage == 1) {
			iv.kvm_fd = kvm_open_dev(msg, sizeof(msg));
			iv.fd = calloc(o->max_vms, sizeof(*iv.fd));
			if (iv.kvm_fd < 0 || !iv.fd) {
				bench_fail(b, "idle VMs: %s",
					   iv.fd ? msg : "out of memory");
				goto out;
			}
			if (idle_vms_rlimit(b, o->max_vms))
				goto out;
		}
		progress(b, "register writes, %d VMs", counts[stage]);
		t0 = now_ns();
		if (stage > 0 &&
		    idle_vms_grow(b, &iv, counts[stage] - 1, &create,
				  &policy)) {
			/* KVM's limit, not the module's: the rows say so. */
			snprintf(r->idle_why, sizeof(r->idle_why), "%s", b->err);
			b->err[0] = '\0';
			for (; stage < 3; stage++)
				r->missing[BENCH_ROW_REG_FEW + stage - 1] =
					r->idle_why;
			break;
		}
		making += now_ns() - t0;
		if (stage > 0)
			progress(b, "made the idle VMs (%.1f s)",
				 (now_ns() - t0) / 1e9);
		mask = 1u << REG_WRITE_RESET | 1u << REG_READ;
		if (stage == 0)
			mask |= 1u << REG_WRITE_OFF;
		for (rep = 0; rep < o->reps; rep++)
			if (bench_regs(b, mask, med[stage][rep]))
				goto out;
		if (set_policy(b, VCPU_ABORT_POLICY_OFF))
			goto out;
		for (rep = 0; rep < o->reps; rep++) {
			const double *m = med[stage][rep], *one = med[0][rep];

			if (stage == 0) {
				bench_result_add(r, BENCH_ROW_REG_WRITE,
						 m[REG_WRITE_RESET] /
						 m[REG_WRITE_OFF]);
				bench_result_add_abs(r, BENCH_ABS_REG_WRITE,
						     m[REG_WRITE_OFF]);
				continue;
			}
			bench_result_add(r, BENCH_ROW_REG_FEW + stage - 1,
					 (m[REG_WRITE_RESET] / m[REG_READ]) /
					 (one[REG_WRITE_RESET] / one[REG_READ]));
		}
		if (o->verbose)
			for (rep = 0; rep < o->reps; rep++)
				fprintf(stderr,
					"regs: %d VMs rep %d: write reset %.0f off %.0f read %.0f ns\n",
					counts[stage], rep,
					med[stage][rep][REG_WRITE_RESET],
					med[stage][rep][REG_WRITE_OFF],
					med[stage][rep][REG_READ]);
	}
	if (create.n) {
		bench_result_add_abs(r, BENCH_ABS_VM_CREATE,
				     bench_median(&create));
		bench_result_add_abs(r, BENCH_ABS_VM_POLICY,
				     bench_median(&policy));
		bench_result_add_abs(r, BENCH_ABS_VM_MAKING, making);
	}
	ret = 0;
out:
	progress(b, "destroying the idle VMs");
	idle_vms_destroy(&iv);
	progress(b, "destroyed the idle VMs");
	bench_vm_destroy(b);
out_module:
	bench_samples_free(&create);
	bench_samples_free(&policy);
	module_close(b);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The phases. */

struct bench_rep {
	double hot_unloaded, hot_off, hot_reset;	/* round trip, ns */
	double sync_off, sync_reset;		/* state-sync round trip */
	double reset_unloaded;			/* upstream, not loaded */
	double reset_loaded;			/* upstream alone, loaded */
	/*
	 * The controls (a register read) of the blocks compared across an
	 * unload or a load: hot path and resets, loaded and not.
	 */
	double hot_ctl_unloaded, hot_ctl_loaded;
	double reset_ctl_unloaded, reset_ctl_loaded;
	double steps[NR_STEPS];
	double seqs[NR_SEQS];
	double scale[4];			/* N = 1, 2, 4, 8 */
	double scale_floor[4];			/* the same, syscall floor */
	int loaded_done, unloaded_done;
	int hooks;		/* the module's policy probes are set */
	int sync;		/* the state-sync row ran */
};

/*
 * The hot path blocks of the two phases of a repetition sit next to each
 * other, around the module's unload or load: last in the first phase,
 * first in the second. Each runs on a VM of its own, fresh in both
 * phases, so that the comparison is between like VMs.
 */
static int hot_vm(struct bench_ctx *b, unsigned int mask,
		  double med[VCPU_ABORT_POLICY_COUNT], double *ctl)
{
	int ret;

	progress(b, "hot path, %s", mask ? "loaded" : "not loaded");
	if (bench_vm_create(b, 1))
		return -1;
	ret = bench_policies(b, round_exit, mask, med, ctl);
	bench_vm_destroy(b);
	return ret;
}

/* What the module counted for the bench's VM (GET_STATS). */
struct vm_counts {
	uint32_t vm_id;
	int found;
	uint64_t discarded, kept;
};

static int vm_counts_cb(const struct vcpu_abort_nl_stats *st, void *arg)
{
	struct vm_counts *c = arg;
	int i;

	if (st->vm_id != c->vm_id)
		return 0;
	c->found = 1;
	for (i = VCPU_ABORT_KIND_NONE + 1; i < VCPU_ABORT_KIND_COUNT; i++)
		c->discarded += st->kind[i];
	c->kept = st->kept;
	return 0;
}

/*
 * The state-sync row, on a VM of its own: 1 measured, 0 not possible on
 * this kernel (r->sync_why says why), -1 error. Every sync kept the PC:
 * policy reset must have kept every completion and discarded none.
 */
static int sync_vm(struct bench_ctx *b, double med[VCPU_ABORT_POLICY_COUNT])
{
	unsigned int mask = 1u << VCPU_ABORT_POLICY_OFF |
			    1u << VCPU_ABORT_POLICY_RESET;
	struct vcpu *v = &b->vcpu[0];
	struct vm_counts c = { 0 };
	char msg[128];
	int ret;

	progress(b, "state sync");
	if (bench_vm_create(b, 1))
		return -1;
	c.vm_id = b->vm_id;
	ret = arch_bench_sync_setup(v, b->r->sync_why, sizeof(b->r->sync_why));
	if (ret < 0)
		ret = bench_vm_fail(b);
	/* The first exit, and the registers a sync writes back. */
	if (ret > 0 && (bench_exit(v) || arch_bench_sync_read(v, &b->regs)))
		ret = bench_vm_fail(b);
	if (ret > 0 && bench_policies(b, round_sync, mask, med, NULL))
		ret = -1;
	if (ret > 0 && vcpu_abort_nl_stats(&b->nl, vm_counts_cb, &c))
		ret = bench_fail(b, "GET_STATS: %s", b->nl.err);
	if (ret > 0 && (!c.found || c.discarded || !c.kept)) {
		snprintf(msg, sizeof(msg),
			 "%s: %llu discarded, %llu kept",
			 c.found ? "the VM's counters" : "no counters for the VM",
			 (unsigned long long)c.discarded,
			 (unsigned long long)c.kept);
		ret = bench_fail(b,
				 "state sync under policy reset: the PC-keeping register writes must keep every completion (%s)",
				 msg);
	}
	bench_vm_destroy(b);
	return ret;
}

static int phase_unloaded(struct bench_ctx *b, struct bench_rep *p, int first)
{
	double seqs[NR_SEQS], hot[VCPU_ABORT_POLICY_COUNT];

	if (!first && hot_vm(b, 0, hot, &p->hot_ctl_unloaded))
		return -1;
	progress(b, "upstream reset, not loaded");
	if (bench_vm_create(b, 1))
		return -1;
	if (bench_resets(b, 1u << SEQ_UPSTREAM, seqs,
			 &p->reset_ctl_unloaded)) {
		bench_vm_destroy(b);
		return -1;
	}
	bench_vm_destroy(b);
	if (first && hot_vm(b, 0, hot, &p->hot_ctl_unloaded))
		return -1;
	p->hot_unloaded = hot[0];
	p->reset_unloaded = seqs[SEQ_UPSTREAM];
	p->unloaded_done = 1;
	return 0;
}

/*
 * The upstream reset sequence alone, on a VM of its own, with the module
 * loaded and the policy off: the block the not-loaded phase measures,
 * the same way (no policy switches in between, which re-patch kernel
 * text), next to the unload or the load like the hot path's.
 */
static int upstream_vm(struct bench_ctx *b, struct bench_rep *p)
{
	double seqs[NR_SEQS];
	int ret;

	progress(b, "upstream reset alone, loaded");
	if (bench_vm_create(b, 1))
		return -1;
	ret = bench_resets(b, 1u << SEQ_UPSTREAM, seqs, &p->reset_ctl_loaded);
	bench_vm_destroy(b);
	p->reset_loaded = seqs[SEQ_UPSTREAM];
	return ret;
}

/*
 * Whether the module may touch this host's vCPUs at all: under powerpc
 * nested-v2 (the L0 hypervisor keeps the guest state) it refuses every
 * QUERY and ABORT with EOPNOTSUPP, by design, and no row of it can be
 * measured. 1 if it refuses (b->err says so), 0 if not, -1 on an error.
 */
static int module_refuses_vcpus(struct bench_ctx *b)
{
	struct vcpu_abort_report rep;
	int ret;

	if (bench_vm_create(b, 1))
		return -1;
	if (bench_exit(&b->vcpu[0])) {
		ret = bench_vm_fail(b);
		goto out;
	}
	ret = vcpu_abort_ioctl(b->dev, VCPU_ABORT_IOC_QUERY, b->vcpu[0].fd, 0,
			       &rep);
	if (ret == -EOPNOTSUPP)
		ret = -bench_fail(b, "%s",
				  "the module may not touch the vCPUs here (QUERY: EOPNOTSUPP; powerpc nested-v2): none of its rows can be measured");
	else if (ret)
		ret = bench_fail(b, "VCPU_ABORT_IOC_QUERY: %s", strerror(-ret));
out:
	bench_vm_destroy(b);
	return ret;
}

/* 1: the module refuses this host's vCPUs (module_refuses_vcpus()). */
static int phase_loaded(struct bench_ctx *b, struct bench_rep *p, int first)
{
	static const int ns[] = { 1, 2, 4, 8 };
	unsigned int hot_mask = 1u << VCPU_ABORT_POLICY_OFF |
				1u << VCPU_ABORT_POLICY_RESET;
	unsigned int seq_mask = (1u << NR_SEQS) - 1;
	double hot[VCPU_ABORT_POLICY_COUNT], sync[VCPU_ABORT_POLICY_COUNT];
	int i, ret = -1;
	char why[256];

	if (module_open(b))
		goto out;
	if (!b->vcpus_checked) {
		ret = module_refuses_vcpus(b);
		if (ret)
			goto out;
		b->vcpus_checked = 1;
		ret = -1;
	}
	/* Without the probes (policy_hooks=0) the policy rows are n/a. */
	p->hooks = race_abort_policy_hooks_on(why, sizeof(why));
	if (!p->hooks) {
		hot_mask = 1u << VCPU_ABORT_POLICY_OFF;
		seq_mask &= ~(1u << SEQ_AUTO);
	}
	if (!first && (hot_vm(b, hot_mask, hot, &p->hot_ctl_loaded) ||
		       upstream_vm(b, p)))
		goto out;
	for (i = 0; i < 4; i++)
		if (ns[i] <= b->o->max_vcpus &&
		    bench_scale(b, ns[i], &p->scale[i], &p->scale_floor[i]))
			goto out;
	if (p->hooks) {
		p->sync = sync_vm(b, sync);
		if (p->sync < 0)
			goto out;
		p->sync_off = sync[VCPU_ABORT_POLICY_OFF];
		p->sync_reset = sync[VCPU_ABORT_POLICY_RESET];
	}
	progress(b, "abort steps, reset sequences");
	if (bench_vm_create(b, 1))
		goto out;
	if (bench_steps(b, p->steps) ||
	    bench_resets(b, seq_mask, p->seqs, NULL)) {
		bench_vm_destroy(b);
		goto out;
	}
	bench_vm_destroy(b);
	if (first && (upstream_vm(b, p) ||
		      hot_vm(b, hot_mask, hot, &p->hot_ctl_loaded)))
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
		bench_result_add(r, BENCH_ROW_DISCARD_IOCTL,
				 p->steps[STEP_DISCARD] / p->steps[STEP_COMPLETE]);
		bench_result_add(r, BENCH_ROW_ABORT_NL,
				 p->steps[STEP_NL] / p->steps[STEP_COMPLETE]);
		bench_result_add(r, BENCH_ROW_FLOOR,
				 p->steps[STEP_FLOOR] / p->steps[STEP_COMPLETE]);
		bench_result_add(r, BENCH_ROW_NL_FLOOR,
				 p->steps[STEP_NL_FLOOR] / p->steps[STEP_COMPLETE]);
		bench_result_add(r, BENCH_ROW_VCPU_FLOOR,
				 p->steps[STEP_VCPU_FLOOR] / p->steps[STEP_COMPLETE]);
		bench_result_add(r, BENCH_ROW_RESET_EXPLICIT,
				 p->seqs[SEQ_EXPLICIT] / p->seqs[SEQ_UPSTREAM]);
		if (p->hooks) {
			bench_result_add(r, BENCH_ROW_RESET_AUTO,
					 p->seqs[SEQ_AUTO] / p->seqs[SEQ_UPSTREAM]);
			bench_result_add(r, BENCH_ROW_HOT_OFF,
					 p->hot_reset / p->hot_off);
		}
		if (!p->sync && p->hooks)
			r->missing[BENCH_ROW_SYNC] = r->sync_why;
		if (p->sync > 0) {
			bench_result_add(r, BENCH_ROW_SYNC,
					 p->sync_reset / p->sync_off);
			bench_result_add_abs(r, BENCH_ABS_SYNC_RT, p->sync_off);
		}
		for (i = 1; i < 4; i++)
			if (p->scale[i] > 0)
				bench_result_add(r, BENCH_ROW_SCALE_2 + i - 1,
						 p->scale[i] / p->scale[0]);
		if (p->scale_floor[1] > 0)
			bench_result_add(r, BENCH_ROW_FLOOR_SCALE_2,
					 p->scale_floor[1] / p->scale_floor[0]);
		bench_result_add_abs(r, BENCH_ABS_COMPLETE, p->steps[STEP_COMPLETE]);
		bench_result_add_abs(r, BENCH_ABS_ABORT_IOCTL, p->steps[STEP_IOCTL]);
		bench_result_add_abs(r, BENCH_ABS_DISCARD_IOCTL,
				     p->steps[STEP_DISCARD]);
		bench_result_add_abs(r, BENCH_ABS_ABORT_NL, p->steps[STEP_NL]);
		bench_result_add_abs(r, BENCH_ABS_FLOOR, p->steps[STEP_FLOOR]);
		bench_result_add_abs(r, BENCH_ABS_NL_FLOOR,
				     p->steps[STEP_NL_FLOOR]);
		bench_result_add_abs(r, BENCH_ABS_VCPU_FLOOR,
				     p->steps[STEP_VCPU_FLOOR]);
	}
	if (p->unloaded_done) {
		bench_result_add_abs(r, BENCH_ABS_HOT_RT, p->hot_unloaded);
		bench_result_add_abs(r, BENCH_ABS_RESET_UPSTREAM, p->reset_unloaded);
	} else if (p->loaded_done) {
		bench_result_add_abs(r, BENCH_ABS_HOT_RT, p->hot_off);
		bench_result_add_abs(r, BENCH_ABS_RESET_UPSTREAM,
				     p->seqs[SEQ_UPSTREAM]);
	}
	/*
	 * Across the unload or load: each block per the register reads
	 * interleaved with it, so that a machine that runs slower for one
	 * of them (another guest on the build machine) cancels out.
	 */
	if (p->loaded_done && p->unloaded_done) {
		if (p->hooks)
			bench_result_add(r, BENCH_ROW_HOT_UNLOADED,
					 (p->hot_reset / p->hot_ctl_loaded) /
					 (p->hot_unloaded / p->hot_ctl_unloaded));
		bench_result_add(r, BENCH_ROW_RESET_HOOKS,
				 (p->reset_loaded / p->reset_ctl_loaded) /
				 (p->reset_unloaded / p->reset_ctl_unloaded));
	}
	if (b->o->verbose)
		fprintf(stderr,
			"rep: hot ns unloaded %.0f off %.0f reset %.0f (reads %.0f / %.0f); sync ns off %.0f reset %.0f; steps ns complete %.0f ioctl %.0f discard %.0f nl %.0f floor %.0f nl floor %.0f vcpu floor %.0f; resets ns up %.0f expl %.0f auto %.0f, up alone %.0f unloaded %.0f (reads %.0f / %.0f); scale ns %.0f %.0f %.0f %.0f, floor %.0f %.0f\n",
			p->hot_unloaded, p->hot_off, p->hot_reset,
			p->hot_ctl_unloaded, p->hot_ctl_loaded, p->sync_off,
			p->sync_reset, p->steps[STEP_COMPLETE],
			p->steps[STEP_IOCTL], p->steps[STEP_DISCARD],
			p->steps[STEP_NL],
			p->steps[STEP_FLOOR], p->steps[STEP_NL_FLOOR],
			p->steps[STEP_VCPU_FLOOR],
			p->seqs[0], p->seqs[1], p->seqs[2], p->reset_loaded,
			p->reset_unloaded, p->reset_ctl_loaded,
			p->reset_ctl_unloaded,
			p->scale[0], p->scale[1], p->scale[2], p->scale[3],
			p->scale_floor[0], p->scale_floor[1]);
}

/* The register rows, where the module has its policy hooks. */
static int idle_phase(struct bench_ctx *b)
{
	static char why[256];
	int i;

	if (!race_abort_policy_hooks_on(why, sizeof(why))) {
		for (i = BENCH_ROW_REG_WRITE; i <= BENCH_ROW_REG_MANY; i++)
			b->r->missing[i] = why;
		return 0;
	}
	return bench_idle(b);
}

/*
 * The targets (Documentation/bench.rst): issue 13 set those of the two
 * aborts, the three reset rows and the MMIO exit's; the discard, an abort
 * without its report, has the abort's.
 * Concurrent aborts of different vCPUs share no lock, so one of N at
 * once costs what one alone does, while there is a CPU for each thread;
 * with more threads than CPUs, each waits its turn.
 */
static void set_targets(struct bench_result *r)
{
	static const int scale_n[] = { 2, 4, 8 };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int i;

	r->target[BENCH_ROW_ABORT_IOCTL] = 0.5;
	r->target[BENCH_ROW_DISCARD_IOCTL] = 0.5;
	r->target[BENCH_ROW_ABORT_NL] = 1.5;
	r->target[BENCH_ROW_FLOOR] = BENCH_NO_TARGET;
	r->target[BENCH_ROW_NL_FLOOR] = BENCH_NO_TARGET;
	r->target[BENCH_ROW_VCPU_FLOOR] = BENCH_NO_TARGET;
	r->target[BENCH_ROW_FLOOR_SCALE_2] = BENCH_NO_TARGET;
	r->target[BENCH_ROW_RESET_EXPLICIT] = 1.0;
	r->target[BENCH_ROW_RESET_AUTO] = 1.05;
	r->target[BENCH_ROW_RESET_HOOKS] = 1.02;
	r->target[BENCH_ROW_HOT_UNLOADED] = 1.01;
	r->target[BENCH_ROW_HOT_OFF] = 1.01;
	r->target[BENCH_ROW_SYNC] = 1.05;
	r->target[BENCH_ROW_REG_WRITE] = 1.25;
	r->target[BENCH_ROW_REG_FEW] = 1.05;
	r->target[BENCH_ROW_REG_MANY] = 1.05;
	if (cpus < 1)
		cpus = 1;
	for (i = 0; i < 3; i++)
		r->target[BENCH_ROW_SCALE_2 + i] =
			1.25 * (scale_n[i] > cpus ? (double)scale_n[i] / cpus : 1);
}

int bench_run(const struct bench_opts *o, FILE *f)
{
	struct bench_result r;
	struct bench_ctx b = { .o = o, .r = &r, .dev = -1, .trace_fd = -1,
				.marker_fd = -1 };
	int was_loaded = module_loaded(), loaded = was_loaded;
	int do_loaded, do_unloaded, blocks, rep, i, ret = 0;
	char msg[VM_ERR_LEN];
	int fd;

	b.start_ns = now_ns();
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

	/*
	 * Blocks per repetition, to split the budget: hot path 2, steps 6,
	 * resets 3 + 1 alone, scaling 4, state sync 2; not loaded: hot path
	 * and resets; the register rows 3 + 2 + 2.
	 */
	blocks = (do_loaded ? 2 + NR_STEPS + NR_SEQS + 1 + 4 + 2 + 7 : 0) +
		 (do_unloaded ? 2 : 0);
	b.slice_ns = o->budget_s * 1e9 / o->reps / blocks;
	r.slice_s = b.slice_ns / 1e9;
	set_targets(&r);

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
	if (o->max_vcpus < 2 && do_loaded)
		r.missing[BENCH_ROW_FLOOR_SCALE_2] = "over --vcpus";
	if (do_loaded && o->max_vms < BENCH_IDLE_FEW)
		r.missing[BENCH_ROW_REG_FEW] = "over --vms";
	if (do_loaded && o->max_vms < BENCH_IDLE_MANY)
		r.missing[BENCH_ROW_REG_MANY] = "over --vms";

	for (rep = 0; rep < o->reps && !ret; rep++) {
		struct bench_rep p = { 0 };
		int phase;

		for (phase = 0; phase < 2 && !ret; phase++) {
			/* Whichever state the module is in goes first. */
			int want_loaded = phase == 0 ? loaded : !loaded;

			if (want_loaded ? !do_loaded : !do_unloaded)
				continue;
			progress(&b, "repetition %d: %s", rep + 1,
				 want_loaded ? "loaded" : "not loaded");
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
	/* The register rows need the module, and it has its hooks. */
	if (!ret && do_loaded && !loaded) {
		ret = module_load(&b);
		loaded = !ret;
	}
	if (!ret && do_loaded)
		ret = idle_phase(&b);
	progress(&b, "done; %.1f s of it waiting for the probes to go",
		 b.disarm_ns / 1e9);
	/* Leave the module as we found it. */
	if (o->module && loaded != was_loaded) {
		if ((was_loaded ? module_load(&b) : module_unload(&b)) && !ret)
			ret = -1;
	}

	if (ret) {
		fprintf(stderr, "vcpuctl bench: %s\n",
			b.err[0] ? b.err : "failed");
		return ret > 0 ? VCPUCTL_EXIT_SKIP : VCPUCTL_EXIT_FAIL;
	}
	bench_print(f, o, &r);
	return VCPUCTL_EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* --profile: one step, many times, for a profiler. */

enum profile_step {
	PROFILE_EXIT,
	PROFILE_COMPLETE,
	PROFILE_ABORT_IOCTL,
	PROFILE_DISCARD_IOCTL,
	PROFILE_ABORT_NL,
	PROFILE_FLOOR,
	PROFILE_NL_FLOOR,
	PROFILE_VCPU_FLOOR,
	PROFILE_RESET_UPSTREAM,
	PROFILE_RESET_EXPLICIT,
	PROFILE_RESET_POLICY,
	PROFILE_SYNC,
	PROFILE_SYNC_POLICY,
	PROFILE_REG_WRITE,
	PROFILE_REG_WRITE_POLICY,
	PROFILE_REG_READ,
	NR_PROFILE_STEPS
};

static const struct {
	const char *name;
	int needs_module;
	uint32_t policy;	/* set once, before the first step */
	const char *what;
} profile_steps[NR_PROFILE_STEPS] = {
	[PROFILE_EXIT] = { "exit", 0, VCPU_ABORT_POLICY_OFF,
		"KVM_RUN completing the answered MMIO load, to the next exit" },
	[PROFILE_COMPLETE] = { "complete", 0, VCPU_ABORT_POLICY_OFF,
		"KVM_RUN with immediate_exit=1 (the pending exit is not timed)" },
	[PROFILE_ABORT_IOCTL] = { "abort-ioctl", 1, VCPU_ABORT_POLICY_OFF,
		"VCPU_ABORT_IOC_ABORT (the pending exit is not timed)" },
	[PROFILE_DISCARD_IOCTL] = { "discard-ioctl", 1, VCPU_ABORT_POLICY_OFF,
		"VCPU_ABORT_IOC_DISCARD (the pending exit is not timed)" },
	[PROFILE_ABORT_NL] = { "abort-netlink", 1, VCPU_ABORT_POLICY_OFF,
		"VCPU_ABORT_CMD_ABORT, request and reply (the pending exit is not timed)" },
	[PROFILE_FLOOR] = { "floor", 1, VCPU_ABORT_POLICY_OFF,
		"an ioctl of /dev/vcpu_abort it does not know (ENOTTY): a syscall" },
	[PROFILE_NL_FLOOR] = { "netlink-floor", 1, VCPU_ABORT_POLICY_OFF,
		"a command the family does not have (EOPNOTSUPP): a genl request" },
	[PROFILE_VCPU_FLOOR] = { "vcpu-floor", 0, VCPU_ABORT_POLICY_OFF,
		"KVM_SET_SIGNAL_MASK without a mask: KVM's vCPU ioctl, vcpu->mutex" },
	[PROFILE_RESET_UPSTREAM] = { "reset-upstream", 0, VCPU_ABORT_POLICY_OFF,
		"complete + reset + KVM_RUN to the reset code, policy off" },
	[PROFILE_RESET_EXPLICIT] = { "reset-explicit", 1, VCPU_ABORT_POLICY_OFF,
		"discard ioctl + reset + KVM_RUN to the reset code" },
	[PROFILE_RESET_POLICY] = { "reset-policy", 1, VCPU_ABORT_POLICY_RESET,
		"reset (the policy aborts) + KVM_RUN to the reset code, policy reset" },
	[PROFILE_SYNC] = { "sync", 0, VCPU_ABORT_POLICY_OFF,
		"state-sync round trip (registers written back, KVM_RUN, read), policy off" },
	[PROFILE_SYNC_POLICY] = { "sync-policy", 1, VCPU_ABORT_POLICY_RESET,
		"the same under policy reset (the hook keeps the completion)" },
	[PROFILE_REG_WRITE] = { "reg-write", 0, VCPU_ABORT_POLICY_OFF,
		"a register write, nothing pending, policy off" },
	[PROFILE_REG_WRITE_POLICY] = { "reg-write-policy", 1,
		VCPU_ABORT_POLICY_RESET,
		"a register write, nothing pending, policy reset" },
	[PROFILE_REG_READ] = { "reg-read", 0, VCPU_ABORT_POLICY_OFF,
		"a register read (no hook)" },
};

int bench_profile_step(const char *name)
{
	int i;

	for (i = 0; i < NR_PROFILE_STEPS; i++)
		if (!strcmp(name, profile_steps[i].name))
			return i;
	return -1;
}

void bench_profile_steps(char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < NR_PROFILE_STEPS && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? " " : "",
				 profile_steps[i].name);
}

void bench_profile_help(FILE *f)
{
	int i;

	fprintf(f, "\nsteps of --profile:\n");
	for (i = 0; i < NR_PROFILE_STEPS; i++)
		fprintf(f, "  %-16s %s\n", profile_steps[i].name,
			profile_steps[i].what);
}

static int profile_once(struct bench_ctx *b, int step, double *ns)
{
	switch (step) {
	case PROFILE_EXIT:
		return round_exit(b, ns);
	case PROFILE_COMPLETE:
		return step_once(b, STEP_COMPLETE, ns) ? bench_vm_fail(b) : 0;
	case PROFILE_ABORT_IOCTL:
		return step_once(b, STEP_IOCTL, ns) ? bench_vm_fail(b) : 0;
	case PROFILE_DISCARD_IOCTL:
		return step_once(b, STEP_DISCARD, ns) ? bench_vm_fail(b) : 0;
	case PROFILE_ABORT_NL:
		return step_once(b, STEP_NL, ns) ? bench_vm_fail(b) : 0;
	case PROFILE_FLOOR:
		return step_once(b, STEP_FLOOR, ns) ? bench_vm_fail(b) : 0;
	case PROFILE_NL_FLOOR:
		return step_once(b, STEP_NL_FLOOR, ns) ? bench_vm_fail(b) : 0;
	case PROFILE_VCPU_FLOOR:
		return step_once(b, STEP_VCPU_FLOOR, ns) ? bench_vm_fail(b) : 0;
	case PROFILE_RESET_UPSTREAM:
		return reset_once(b, SEQ_UPSTREAM, 1, ns);
	case PROFILE_RESET_EXPLICIT:
		return reset_once(b, SEQ_EXPLICIT, 1, ns);
	case PROFILE_RESET_POLICY:
		return reset_once(b, SEQ_AUTO, 1, ns);
	case PROFILE_SYNC:
	case PROFILE_SYNC_POLICY:
		return round_sync(b, ns);
	case PROFILE_REG_READ:
		return reg_once(b, REG_READ, ns);
	default:
		return reg_once(b, REG_WRITE_OFF, ns);
	}
}

/* What a step needs before the first: the sync's first exit, registers. */
static int profile_setup(struct bench_ctx *b, int step)
{
	struct vcpu *v = &b->vcpu[0];
	char why[128];
	int ret;

	switch (step) {
	case PROFILE_SYNC:
	case PROFILE_SYNC_POLICY:
		ret = arch_bench_sync_setup(v, why, sizeof(why));
		if (!ret)
			return bench_fail(b, "no state sync here: %s", why);
		if (ret < 0 || bench_exit(v) || arch_bench_sync_read(v, &b->regs))
			return bench_vm_fail(b);
		return 0;
	case PROFILE_REG_WRITE:
	case PROFILE_REG_WRITE_POLICY:
	case PROFILE_REG_READ:
		return arch_bench_reg_read(v, &b->regs) ? bench_vm_fail(b) : 0;
	default:
		return 0;
	}
}

/* Opens a file of ftrace's, wherever tracefs is mounted. */
static int open_tracefs(const char *name)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing",
		"/sys/kernel/debug/tracing",
	};
	char path[64];
	unsigned int i;
	int fd = -1;

	for (i = 0; i < ARRAY_SIZE(dirs) && fd < 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		fd = open(path, O_WRONLY | O_CLOEXEC);
	}
	return fd;
}

/*
 * Runs one step o->count times on one VM and prints the median time of
 * its timed part. Policy reset is set once, before the first step, so
 * that only the steps run while the policy is on.
 */
int bench_profile(const struct bench_opts *o, FILE *f)
{
	struct bench_ctx b = { .o = o, .dev = -1, .trace_fd = -1,
				.marker_fd = -1 };
	struct bench_samples s = { 0 };
	int step = o->profile, i, ret = 0;
	double ns, med, lo = 0, hi = 0;
	int trace_fd = -1;

	if (module_loaded()) {
		if (module_open(&b))
			goto out;
	} else if (profile_steps[step].needs_module) {
		fprintf(stderr, "vcpuctl bench: --profile %s needs vcpu_abort loaded\n",
			profile_steps[step].name);
		return VCPUCTL_EXIT_SKIP;
	}
	if (bench_vm_create(&b, 1))
		goto out;
	if (o->ftrace) {
		trace_fd = open_tracefs("tracing_on");
		b.marker_fd = open_tracefs("trace_marker");
		/* Recording starts with the first timed part. */
		if (trace_fd < 0 || write(trace_fd, "0", 1) != 1) {
			ret = bench_fail(&b, "ftrace's tracing_on: %s",
					 strerror(errno));
			goto out_vm;
		}
	}
	if (set_policy(&b, profile_steps[step].policy) ||
	    profile_setup(&b, step)) {
		ret = -1;
		goto out_vm;
	}
	for (i = 0; i < o->count + BENCH_WARMUP && !ret; i++) {
		if (i == BENCH_WARMUP)	/* the warm-up is not traced */
			b.trace_fd = trace_fd;
		ret = profile_once(&b, step, &ns);
		if (!ret && i >= BENCH_WARMUP && bench_samples_push(&s, ns))
			ret = bench_fail(&b, "%s", "out of memory");
	}
	if (!ret && s.n) {
		med = bench_median(&s);	/* sorts */
		lo = s.v[0];
		hi = s.v[s.n - 1];
		fprintf(f, "profile %s: %zu steps, median %.2f us (%.2f-%.2f)%s: %s\n",
			profile_steps[step].name, s.n, med / 1e3, lo / 1e3,
			hi / 1e3, o->ftrace ? ", traced" : "",
			profile_steps[step].what);
	}
	b.trace_fd = -1;
out_vm:
	if (trace_fd >= 0)
		close(trace_fd);
	if (b.marker_fd >= 0)
		close(b.marker_fd);
	bench_vm_destroy(&b);
out:
	bench_samples_free(&s);
	module_close(&b);
	if (ret || b.err[0]) {
		fprintf(stderr, "vcpuctl bench: %s\n", b.err[0] ? b.err : "failed");
		return VCPUCTL_EXIT_FAIL;
	}
	return VCPUCTL_EXIT_OK;
}
