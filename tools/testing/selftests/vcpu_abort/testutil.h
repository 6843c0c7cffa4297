/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the vcpu_abort selftests that libvcpuctl does not have (yet):
 * a VM with several vCPUs on libvcpuctl's guest code, the full KVM_RUN
 * after a reset and its verdict, the kernel log's complaints, KVM's
 * debugfs view of a VM's life, time and randomness for the races, and
 * what a test program needs to run at all. testutil.c does not include
 * kselftest_harness.h (it is linked into every test); the harness macros
 * at the end are for the tests, which include it.
 */
#ifndef VCPU_ABORT_TESTUTIL_H
#define VCPU_ABORT_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <vcpuctl/genl.h>
#include <vcpuctl/kvm.h>
#include <vcpuctl/race.h>
#include <vcpuctl/vcpu-abort.h>

#define TVM_MAX_VCPUS	16

/* A VM whose vCPUs all run libvcpuctl's guest code (arch/<arch>/guest.S). */
struct tvm {
	struct vm vm;
	struct vcpu vcpu[TVM_MAX_VCPUS];
	int nr_vcpus;
	int vm_fd_nr;		/* the VM fd's number, also after it is closed */
};

/*
 * Creates the VM for case c (memory, guest code, VM capabilities) and
 * nr_vcpus vCPUs that start at the entry of c->exit. 0 or -errno, the
 * reason in t->vm.err. tvm_destroy() also after a failure.
 */
int tvm_create(struct tvm *t, int nr_vcpus, const struct race_case *c);
void tvm_destroy(struct tvm *t);

/*
 * One KVM_RUN of a vCPU to the exit of c, answered like a VMM (load data,
 * hypercall return), so that the completion is pending. desc (may be NULL)
 * gets the exit. 0 or -errno.
 */
int tvm_run_to_exit(struct vcpu *vcpu, const struct race_case *c,
		    char *desc, size_t len);

/*
 * Whether this kernel can run case c (arch_case_supported() on a scratch
 * VM, e.g. riscv's KVM_SET_MP_STATE reset exists from 6.16 on); if not,
 * why says why. A VM that cannot be created counts as supported: the
 * test's own setup then reports that failure.
 */
bool case_supported(const struct race_case *c, char *why, size_t len);

/* The most vCPUs a VM of this kernel takes, at most max (>= 1). */
int tvm_max_vcpus(int max);

/*
 * The full KVM_RUN after a reset that set the registers `to`: where the
 * guest went (res->resume, resume_offset, resume_desc, after) and which
 * registers differ from `to` (res->clobbered, arch_reg_names order). A
 * reset that held: clobbered 0, resume RACE_RESUME_RESET, offset 0.
 * c is the case the vCPU was set up for. 0 or -errno (EINTR: kicked).
 */
int run_after_reset(struct vcpu *vcpu, const struct race_case *c,
		    const struct race_regs *to, struct race_result *res);

/* Whether run_after_reset() found a reset that held. */
bool reset_held(const struct race_result *res);

/*
 * After run_after_reset(): drop the reset code's own pending exit (ABORT
 * through dev, the /dev/vcpu_abort fd) and point the vCPU at the exit of
 * c again. 0 or -errno (details in vcpu->vm->err when KVM failed).
 */
int back_to_case_exit(int dev, struct vcpu *vcpu, const struct race_case *c);

/* res->clobbered as register names, e.g. "rip rflags", or "none". */
void clobbered_names(unsigned int clobbered, char *buf, size_t len);

/* A reset path of this arch that needs no VM fd (no KVM_ARM_VCPU_INIT). */
enum race_reset reset_without_vm_fd(void);

/*
 * The n-th (modulo their number) of the arch's reset paths that work on a
 * vCPU set up for any case (arch_reset_any_vm()).
 */
enum race_reset reset_for_any_vm(unsigned long n);

/*
 * The kernel log. kmsg_problems() counts the lines that report a kernel
 * problem (a WARN splat, BUG, oops, lockdep, KASAN/UBSAN/KFENCE, refcount_t,
 * RCU stall, hung task, list corruption) and prints each but the first
 * `known` ones to out (if not NULL) behind "# ". -errno if the log cannot
 * be read. Each printed line comes with the few lines after it (the report's
 * culprit and stack).
 */
int kmsg_problems(FILE *out, int known);
/* The pattern list itself, one POSIX ERE, for messages. */
extern const char kmsg_problem_pattern[];

/*
 * KVM's debugfs directory of the VM with fd number vm_fd created by this
 * process: /sys/kernel/debug/kvm/<pid>-<fd>. 1 exists, 0 does not, -errno
 * when KVM's debugfs cannot be seen at all (not mounted, no permission).
 */
int kvm_debugfs_vm_exists(int vm_fd);
/* Waits up to timeout_ms until it is gone: 0 gone, -ETIMEDOUT, -errno. */
int kvm_debugfs_wait_vm_gone(int vm_fd, int timeout_ms);
/* How many VMs of this process KVM's debugfs still lists; -errno. */
int kvm_debugfs_count_own_vms(void);

/*
 * Writes val to a sysctl or debugfs switch (no newline needed): 0 or
 * -errno.
 */
int write_switch(const char *path, const char *val);

/*
 * How the READY hooks that policy needs are seen, from GET_HOOKS' answer:
 * a bit per enum vcpu_abort_hook_mechanism (1U << ..._FTRACE, ...).
 */
unsigned int policy_mechanisms(const struct vcpu_abort_nl_hooks *h,
			       uint32_t policy);

/* Whether mechanisms has one that kprobes/enabled = 0 blinds. */
static inline bool mechanisms_need_kprobes(unsigned int mechanisms)
{
	return mechanisms & (1U << VCPU_ABORT_HOOK_MECHANISM_KRETPROBE |
			     1U << VCPU_ABORT_HOOK_MECHANISM_KPROBE);
}

/* Monotonic time in ns. */
uint64_t now_ns(void);
void sleep_us(long us);
/* A few hundred ns to tens of us of busy waiting: timing jitter. */
void spin_jitter(uint32_t *seed, uint32_t max_loops);
/* xorshift32; seed must not be 0. */
uint32_t rnd(uint32_t *seed);
/* An int from the environment, or def. */
long env_long(const char *name, long def);

/*
 * ABORT (or QUERY) with flags; with VCPU_ABORT_FLAG_NONBLOCK, retries on
 * EBUSY for up to timeout_ms, counting the retries in *retries (may be
 * NULL). 0 or -errno.
 */
int abort_retry(int dev, unsigned long req, int vcpu_fd, uint32_t flags,
		struct vcpu_abort_report *r, unsigned long *retries,
		int timeout_ms);

/*
 * What a test program needs before any of its tests can run. Without it,
 * the program prints "1..0 # SKIP <reason>" and exits KSFT_SKIP (4), as
 * upstream's open_kvm_dev_path_or_exit() does: no KVM device at all (the
 * path missing) or, with TEST_NEEDS_MODULE, no /dev/vcpu_abort (the module
 * not loaded). A device that is there but cannot be used (permissions,
 * not KVM) is a failure (KSFT_FAIL), not a skip.
 */
#define TEST_NEEDS_KVM		0x1
#define TEST_NEEDS_MODULE	0x2

void test_require(unsigned int needs);

/* The harness helpers below, for tests that include it before this file. */
#ifdef __KSELFTEST_HARNESS_H

/*
 * Whether the test must stop: it is then a SKIP, because the module is
 * not loaded (dev: the /dev/vcpu_abort fd or -errno). The fixture setup
 * skips too, but the 6.1 harness runs the body after a SKIP in the setup.
 */
static inline bool skip_without_module(struct __test_metadata *_metadata,
				       int dev)
{
	if (dev >= 0)
		return false;
	SKIP(return true, "%s: %s (vcpu_abort.ko not loaded)",
	     vcpu_abort_dev_path(), strerror(-dev));
}

/*
 * No new WARN/BUG/... line in the kernel log since `known` were counted
 * (kmsg_problems() in the setup; < 0 if the log could not be read, then
 * nothing is checked).
 */
static inline void expect_kmsg_clean(struct __test_metadata *_metadata,
				     int known)
{
	int now = kmsg_problems(stderr, known);

	if (known >= 0 && now >= 0)
		EXPECT_EQ(known, now) TH_LOG("the kernel complained, see above");
}

#endif /* __KSELFTEST_HARNESS_H */

#endif
