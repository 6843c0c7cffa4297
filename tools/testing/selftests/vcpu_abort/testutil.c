// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the vcpu_abort selftests, see testutil.h. The guest code,
 * the VM and vCPU setup, the resets and the resume markers are
 * libvcpuctl's; this file only puts several vCPUs in one VM and checks
 * what a reset left, as libvcpuctl's race.c does for one.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <vcpuctl/arch.h>

#include "testutil.h"
#include "kselftest.h"

int tvm_create(struct tvm *t, int nr_vcpus, const struct race_case *c)
{
	int i, ret;

	memset(t, 0, sizeof(*t));
	t->vm.fd = -1;
	t->vm.kvm_fd = -1;
	t->vm_fd_nr = -1;
	for (i = 0; i < TVM_MAX_VCPUS; i++)
		t->vcpu[i].fd = -1;
	if (nr_vcpus < 1 || nr_vcpus > TVM_MAX_VCPUS)
		return vm_error(&t->vm, EINVAL, "%d vCPUs (at most %d)",
				nr_vcpus, TVM_MAX_VCPUS);

	ret = vm_create(&t->vm, arch_vm_type());
	if (ret)
		return ret;
	t->vm_fd_nr = t->vm.fd;
	t->vm.step = "set up the VM";
	ret = arch_vm_setup(&t->vm, c);
	if (ret)
		return ret;
	for (i = 0; i < nr_vcpus; i++) {
		t->vm.step = "create a vCPU";
		ret = vcpu_create(&t->vm, &t->vcpu[i], i);
		t->nr_vcpus = i + 1;
		if (ret)
			return ret;
		t->vm.step = "set up a vCPU";
		ret = arch_vcpu_setup(&t->vcpu[i], c);
		if (ret)
			return ret;
	}
	t->vm.step = NULL;
	return 0;
}

void tvm_destroy(struct tvm *t)
{
	int i;

	for (i = 0; i < t->nr_vcpus; i++)
		if (t->vcpu[i].vm)
			vcpu_destroy(&t->vcpu[i]);
	t->nr_vcpus = 0;
	vm_destroy(&t->vm);
}

int tvm_run_to_exit(struct vcpu *vcpu, const struct race_case *c,
		    char *desc, size_t len)
{
	char buf[160];
	int ret;

	ret = vcpu_run(vcpu);
	if (ret)
		return ret;
	return arch_answer_exit(vcpu, c, desc ? desc : buf,
				desc ? len : sizeof(buf));
}

bool case_supported(const struct race_case *c, char *why, size_t len)
{
	struct vm vm;
	int ret;

	if (vm_create(&vm, arch_vm_type())) {
		vm_destroy(&vm);
		return true;
	}
	ret = arch_case_supported(&vm, c, why, len);
	vm_destroy(&vm);
	return ret != 0;
}

int tvm_max_vcpus(int max)
{
	struct vm vm;
	int n = 1;

	if (!vm_create(&vm, arch_vm_type())) {
		n = vm_check_cap(&vm, KVM_CAP_MAX_VCPUS);
		if (n < 1)
			n = vm_check_cap(&vm, KVM_CAP_NR_VCPUS);
		if (n < 1)
			n = 1;
	}
	vm_destroy(&vm);
	return n < max ? n : max;
}

int run_after_reset(struct vcpu *vcpu, const struct race_case *c,
		    const struct race_regs *to, struct race_result *res)
{
	int ret, i;

	memset(res, 0, sizeof(*res));
	res->c = *c;
	res->reset_to = *to;
	ret = vcpu_run(vcpu);
	if (ret)
		return ret;
	ret = arch_locate_resume(vcpu, c, res);
	if (ret)
		return ret;
	for (i = 0; i < arch_nr_regs; i++)
		if (res->after.val[i] != to->val[i])
			res->clobbered |= 1u << i;
	return 0;
}

bool reset_held(const struct race_result *res)
{
	return !res->clobbered && res->resume == RACE_RESUME_RESET &&
	       !res->resume_offset;
}

int back_to_case_exit(int dev, struct vcpu *vcpu, const struct race_case *c)
{
	struct vcpu_abort_report r;
	int ret;

	ret = vcpu_abort_ioctl(dev, VCPU_ABORT_IOC_ABORT, vcpu->fd, 0, &r);
	if (ret)
		return ret;
	return arch_vcpu_setup(vcpu, c);
}

void clobbered_names(unsigned int clobbered, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < arch_nr_regs && n < len; i++)
		if (clobbered & (1u << i))
			n += snprintf(buf + n, len - n, "%s%s", n ? " " : "",
				      arch_reg_names[i]);
	if (!n)
		snprintf(buf, len, "none");
}

enum race_reset reset_for_any_vm(unsigned long n)
{
	enum race_reset any[RACE_NR_RESETS];
	unsigned int nr = 0;
	int i;

	for (i = 0; i < arch_nr_resets; i++)
		if (arch_reset_any_vm(arch_resets[i]))
			any[nr++] = arch_resets[i];
	return nr ? any[n % nr] : arch_resets[0];
}

enum race_reset reset_without_vm_fd(void)
{
	int i;

	for (i = 0; i < arch_nr_resets; i++)
		if (arch_resets[i] != RACE_RESET_VCPU_INIT)
			return arch_resets[i];
	return arch_resets[0];
}

/*
 * What the kernel prints when something went wrong, on every arch and
 * kernel of the lab. Not matched: platform messages such as pseries'
 * "WARNING: nvram corruption detected" on QEMU's empty NVRAM, or KVM's
 * "debugfs: duplicate directory" (a pr_warn about a reused VM fd).
 * Debug kernels (the lab's debug variant) add lockdep's reports ("WARNING:
 * possible circular locking dependency", "HARDIRQ-safe -> HARDIRQ-unsafe
 * lock order detected"), "BUG: sleeping function called from invalid
 * context", "BUG: KASAN: slab-use-after-free", "BUG: KFENCE:", "UBSAN:",
 * debugobjects' "ODEBUG:" and kmemleak's "N new suspected memory leaks".
 */
#define KMSG_PROBLEM_PATTERN "WARNING: (CPU:|at |possible|suspicious|inconsistent|bad unlock|held lock|lock held|Nested lock|circular)|cut here|BUG:|kernel BUG|Oops|Internal error:|general protection|Unable to handle kernel|Kernel panic|Call [Tt]race:|KASAN|UBSAN|KFENCE|refcount_t|detected stall|blocked for more than|list_(add|del) corruption|suspected memory leak|ODEBUG:|lock order detected"

const char kmsg_problem_pattern[] = KMSG_PROBLEM_PATTERN;

/*
 * Lines printed after each reported one: a report's first line rarely
 * names its culprit ("BUG: workqueue leaked atomic, lock or RCU" says
 * which work function on the next line, a WARN its caller further down).
 */
#define KMSG_CONTEXT_LINES 12

int kmsg_problems(FILE *out, int known)
{
	char *buf, *line, *save = NULL;
	int size, n, found = 0, context = 0;
	regex_t re;

	if (regcomp(&re, kmsg_problem_pattern, REG_EXTENDED | REG_NOSUB))
		return -EINVAL;
	size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	if (size < 0) {
		regfree(&re);
		return -errno;
	}
	buf = malloc(size + 1);
	if (!buf) {
		regfree(&re);
		return -ENOMEM;
	}
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	if (n < 0) {
		n = -errno;
		free(buf);
		regfree(&re);
		return n;
	}
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (regexec(&re, line, 0, NULL, 0)) {
			/* what the report says next: its culprit, its stack */
			if (context && context--)
				fprintf(out, "# kernel log:   %s\n", line);
			continue;
		}
		context = 0;
		if (out && found >= known) {
			fprintf(out, "# kernel log: %s\n", line);
			context = KMSG_CONTEXT_LINES;
		}
		found++;
	}
	free(buf);
	regfree(&re);
	return found;
}

#define KVM_DEBUGFS	"/sys/kernel/debug/kvm"

int kvm_debugfs_vm_exists(int vm_fd)
{
	char path[64];
	struct stat st;

	if (stat(KVM_DEBUGFS, &st))
		return -errno;
	snprintf(path, sizeof(path), KVM_DEBUGFS "/%d-%d", getpid(), vm_fd);
	if (!stat(path, &st))
		return 1;
	return errno == ENOENT ? 0 : -errno;
}

int kvm_debugfs_wait_vm_gone(int vm_fd, int timeout_ms)
{
	uint64_t end = now_ns() + (uint64_t)timeout_ms * 1000000;
	int ret;

	while ((ret = kvm_debugfs_vm_exists(vm_fd)) == 1) {
		if (now_ns() > end)
			return -ETIMEDOUT;
		sleep_us(20000);
	}
	return ret;
}

int write_switch(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

unsigned int policy_mechanisms(const struct vcpu_abort_nl_hooks *h,
			       uint32_t policy)
{
	unsigned int i, mechanisms = 0;

	for (i = 0; i < h->nr; i++)
		if ((h->hook[i].policies & 1U << policy) &&
		    h->hook[i].state == VCPU_ABORT_HOOK_STATE_READY)
			mechanisms |= 1U << h->hook[i].mechanism;
	return mechanisms;
}

int kvm_debugfs_count_own_vms(void)
{
	char prefix[24];
	struct dirent *d;
	size_t len;
	DIR *dir;
	int n = 0;

	dir = opendir(KVM_DEBUGFS);
	if (!dir)
		return -errno;
	len = snprintf(prefix, sizeof(prefix), "%d-", getpid());
	while ((d = readdir(dir)))
		if (!strncmp(d->d_name, prefix, len))
			n++;
	closedir(dir);
	return n;
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void sleep_us(long us)
{
	struct timespec ts = { .tv_sec = us / 1000000,
			       .tv_nsec = (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

uint32_t rnd(uint32_t *seed)
{
	uint32_t x = *seed;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *seed = x;
}

void spin_jitter(uint32_t *seed, uint32_t max_loops)
{
	uint32_t i, n = max_loops ? rnd(seed) % max_loops : 0;

	/* The empty asm keeps the compiler from dropping the loop. */
	for (i = 0; i < n; i++)
		__asm__ __volatile__("" : : "r" (i) : "memory");
	/* Now and then give another thread the CPU in the middle. */
	if (!(rnd(seed) & 7))
		sched_yield();
}

long env_long(const char *name, long def)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return def;
	v = strtol(s, &end, 0);
	return *end ? def : v;
}

int abort_retry(int dev, unsigned long req, int vcpu_fd, uint32_t flags,
		struct vcpu_abort_report *r, unsigned long *retries,
		int timeout_ms)
{
	uint64_t end = now_ns() + (uint64_t)timeout_ms * 1000000;
	int ret;

	for (;;) {
		ret = vcpu_abort_ioctl(dev, req, vcpu_fd, flags, r);
		if (ret != -EBUSY || !(flags & VCPU_ABORT_FLAG_NONBLOCK) ||
		    now_ns() > end)
			return ret;
		if (retries)
			(*retries)++;
		sched_yield();
	}
}

void test_require(unsigned int needs)
{
	char why[VM_ERR_LEN];
	int fd;

	if (needs & TEST_NEEDS_KVM) {
		fd = kvm_open_dev(why, sizeof(why));
		if (fd == -ENOENT) {
			ksft_print_header();
			ksft_exit_skip("no KVM: %s\n", why);
		}
		if (fd < 0) {
			ksft_print_header();
			ksft_exit_fail_msg("KVM device unusable: %s\n", why);
		}
		close(fd);
	}
	if (needs & TEST_NEEDS_MODULE) {
		fd = vcpu_abort_open();
		if (fd == -ENOENT) {
			ksft_print_header();
			ksft_exit_skip("vcpu_abort.ko not loaded: %s: %s\n",
				       vcpu_abort_dev_path(), strerror(-fd));
		}
		if (fd < 0) {
			ksft_print_header();
			ksft_exit_fail_msg("%s: %s\n", vcpu_abort_dev_path(),
					   strerror(-fd));
		}
		close(fd);
	}
}
