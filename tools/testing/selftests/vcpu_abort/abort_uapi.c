// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/vcpu_abort interface on a vCPU left in a real pending MMIO
 * load (the arch's guest code from libvcpuctl): what QUERY and ABORT
 * report and DISCARD returns, and that every bad input fails with its
 * documented errno while the pending operation and the registers stay
 * exactly as they were.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/remote-vcpu.h>
#include <vcpuctl/vcpu-abort.h>

#include "kselftest_harness.h"
#include "testutil.h"

FIXTURE(pending_load) {
	struct vm vm;
	struct vcpu vcpu;
	int dev;
	struct race_regs regs;	/* the registers at the pending exit */
};

FIXTURE_SETUP(pending_load)
{
	const struct race_case c = { .exit = RACE_EXIT_MMIO_LOAD,
				     .reset = arch_resets[0] };
	char desc[160];

	self->dev = vcpu_abort_open();
	if (self->dev < 0)
		SKIP(return, "%s: %s (vcpu_abort.ko not loaded)",
		     vcpu_abort_dev_path(), strerror(-self->dev));
	ASSERT_EQ(0, vm_create(&self->vm, arch_vm_type()))
		TH_LOG("%s", self->vm.err);
	ASSERT_EQ(0, arch_vm_setup(&self->vm, &c)) TH_LOG("%s", self->vm.err);
	ASSERT_EQ(0, vcpu_create(&self->vm, &self->vcpu, 0))
		TH_LOG("%s", self->vm.err);
	ASSERT_EQ(0, arch_vcpu_setup(&self->vcpu, &c))
		TH_LOG("%s", self->vm.err);
	ASSERT_EQ(0, vcpu_run(&self->vcpu)) TH_LOG("%s", self->vm.err);
	ASSERT_EQ(0, arch_answer_exit(&self->vcpu, &c, desc, sizeof(desc)))
		TH_LOG("%s", self->vm.err);
	ASSERT_EQ(0, arch_read_regs(&self->vcpu, &self->regs));
}

FIXTURE_TEARDOWN(pending_load)
{
	if (self->dev < 0)
		return;
	close(self->dev);
	if (self->vcpu.vm)
		vcpu_destroy(&self->vcpu);
	vm_destroy(&self->vm);
}

static int call(int dev, unsigned long req, int fd, uint32_t flags,
		struct vcpu_abort_report *report)
{
	return vcpu_abort_ioctl(dev, req, fd, flags, report);
}

/* The load is still pending on vcpu and its registers are still regs. */
static int untouched(struct __test_metadata *_metadata, int dev,
		     struct vcpu *vcpu, const struct race_regs *regs)
{
	struct vcpu_abort_report r;
	struct race_regs now;

	EXPECT_EQ(0, call(dev, VCPU_ABORT_IOC_QUERY, vcpu->fd, 0, &r));
	EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD, r.kind);
	EXPECT_EQ(0, arch_read_regs(vcpu, &now));
	EXPECT_EQ(0, memcmp(&now, regs, sizeof(now)));
	return r.kind == VCPU_ABORT_KIND_MMIO_LOAD &&
	       !memcmp(&now, regs, sizeof(now));
}

TEST_F(pending_load, query_reports_the_load)
{
	struct kvm_run *run = self->vcpu.run;
	struct vcpu_abort_report r;

	if (skip_without_module(_metadata, self->dev))
		return;

	ASSERT_EQ(0, call(self->dev, VCPU_ABORT_IOC_QUERY, self->vcpu.fd, 0,
			  &r));
	EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD, r.kind);
	EXPECT_EQ(VCPU_ABORT_DIR_READ, r.dir);
	ASSERT_TRUE(r.info & VCPU_ABORT_INFO_ADDR);
	ASSERT_TRUE(r.info & VCPU_ABORT_INFO_LEN);
	EXPECT_EQ(run->mmio.phys_addr, r.addr);
	EXPECT_EQ(run->mmio.len, r.len);
	/* QUERY has no side effect. */
	ASSERT_TRUE(untouched(_metadata, self->dev, &self->vcpu, &self->regs));
}

TEST_F(pending_load, abort_discards_once)
{
	struct vcpu_abort_report r;
	struct race_regs now;

	if (skip_without_module(_metadata, self->dev))
		return;

	ASSERT_EQ(0, call(self->dev, VCPU_ABORT_IOC_ABORT, self->vcpu.fd, 0,
			  &r));
	EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD, r.kind);
	/* Aborting changes no register. */
	ASSERT_EQ(0, arch_read_regs(&self->vcpu, &now));
	EXPECT_EQ(0, memcmp(&now, &self->regs, sizeof(now)));
	/* Nothing pending is a normal answer; a second ABORT finds nothing. */
	ASSERT_EQ(0, call(self->dev, VCPU_ABORT_IOC_QUERY, self->vcpu.fd, 0,
			  &r));
	EXPECT_EQ(VCPU_ABORT_KIND_NONE, r.kind);
	ASSERT_EQ(0, call(self->dev, VCPU_ABORT_IOC_ABORT, self->vcpu.fd, 0,
			  &r));
	EXPECT_EQ(VCPU_ABORT_KIND_NONE, r.kind);
}

/* DISCARD: the same discard, the kind as the return value. */
TEST_F(pending_load, discard_returns_the_kind_once)
{
	struct vcpu_abort_report r;
	struct race_regs now;

	if (skip_without_module(_metadata, self->dev))
		return;

	ASSERT_EQ(VCPU_ABORT_KIND_MMIO_LOAD,
		  ioctl(self->dev, VCPU_ABORT_IOC_DISCARD, self->vcpu.fd));
	ASSERT_EQ(0, arch_read_regs(&self->vcpu, &now));
	EXPECT_EQ(0, memcmp(&now, &self->regs, sizeof(now)));
	ASSERT_EQ(0, call(self->dev, VCPU_ABORT_IOC_QUERY, self->vcpu.fd, 0,
			  &r));
	EXPECT_EQ(VCPU_ABORT_KIND_NONE, r.kind);
	EXPECT_EQ(VCPU_ABORT_KIND_NONE,
		  ioctl(self->dev, VCPU_ABORT_IOC_DISCARD, self->vcpu.fd));
}

/*
 * DISCARD's argument is the fd itself: what is not an open fd is EBADF,
 * also a value no int holds (the upper half of a 64-bit argument is not
 * dropped); the other errors are ABORT's. None touches the load.
 */
TEST_F(pending_load, discard_bad_fds)
{
	int null_fd = open("/dev/null", O_RDONLY);
	int closed_fd = dup(null_fd);
#if ULONG_MAX > UINT_MAX
	/* The vCPU's fd in the low half: truncated, it would discard. */
	unsigned long wide = (unsigned long)UINT_MAX + 1 + self->vcpu.fd;
#else
	unsigned long wide = ULONG_MAX;
#endif

	if (skip_without_module(_metadata, self->dev))
		return;

	ASSERT_LE(0, null_fd);
	ASSERT_LE(0, closed_fd);
	close(closed_fd);
	EXPECT_EQ(-EBADFD, vcpu_abort_discard(self->dev, self->vm.fd));
	EXPECT_EQ(-EBADFD, vcpu_abort_discard(self->dev, self->vm.kvm_fd));
	EXPECT_EQ(-ENODEV, vcpu_abort_discard(self->dev, null_fd));
	EXPECT_EQ(-ENODEV, vcpu_abort_discard(self->dev, self->dev));
	EXPECT_EQ(-EBADF, vcpu_abort_discard(self->dev, closed_fd));
	EXPECT_EQ(-EBADF, vcpu_abort_discard(self->dev, -1));
	EXPECT_EQ(-1, ioctl(self->dev, VCPU_ABORT_IOC_DISCARD, wide));
	EXPECT_EQ(EBADF, errno);
	/* The number with a size or a direction is another command. */
	EXPECT_EQ(-1, ioctl(self->dev, _IOW(VCPU_ABORT_IOC_MAGIC, 0x02, int),
			    self->vcpu.fd));
	EXPECT_EQ(ENOTTY, errno);
	close(null_fd);
	ASSERT_TRUE(untouched(_metadata, self->dev, &self->vcpu, &self->regs));
}

TEST_F(pending_load, unknown_flags_einval)
{
	struct vcpu_abort_report r;

	if (skip_without_module(_metadata, self->dev))
		return;

	EXPECT_EQ(-EINVAL, call(self->dev, VCPU_ABORT_IOC_ABORT,
				self->vcpu.fd, 0x80000000u, &r));
	EXPECT_EQ(-EINVAL, call(self->dev, VCPU_ABORT_IOC_ABORT,
				self->vcpu.fd, ~VCPU_ABORT_FLAGS_ALL, &r));
	ASSERT_TRUE(untouched(_metadata, self->dev, &self->vcpu, &self->regs));
}

TEST_F(pending_load, bad_args_einval)
{
	struct vcpu_abort_args args = {
		.size = sizeof(args), .vcpu_fd = self->vcpu.fd, .reserved = 1,
	};

	if (skip_without_module(_metadata, self->dev))
		return;

	EXPECT_EQ(-1, ioctl(self->dev, VCPU_ABORT_IOC_ABORT, &args));
	EXPECT_EQ(EINVAL, errno);
	args.reserved = 0;
	args.size = VCPU_ABORT_ARGS_SIZE_VER0 - 8;
	EXPECT_EQ(-1, ioctl(self->dev, VCPU_ABORT_IOC_ABORT, &args));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_TRUE(untouched(_metadata, self->dev, &self->vcpu, &self->regs));
}

/*
 * A larger struct from a newer caller: zero beyond the struct this
 * kernel knows is accepted, anything else there is EINVAL (a field the
 * kernel would ignore).
 */
TEST_F(pending_load, nonzero_beyond_the_struct_einval)
{
	struct {
		struct vcpu_abort_args args;
		uint64_t newer[2];
	} big = {
		.args = { .size = sizeof(big), .vcpu_fd = self->vcpu.fd },
	};

	if (skip_without_module(_metadata, self->dev))
		return;

	EXPECT_EQ(0, ioctl(self->dev, VCPU_ABORT_IOC_QUERY, &big))
		TH_LOG("size %zu, zero beyond: %s", sizeof(big),
		       strerror(errno));
	EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD, big.args.report.kind);
	big.newer[1] = 1;
	EXPECT_EQ(-1, ioctl(self->dev, VCPU_ABORT_IOC_ABORT, &big));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_TRUE(untouched(_metadata, self->dev, &self->vcpu, &self->regs));
}

TEST_F(pending_load, bad_pointer_efault)
{
	if (skip_without_module(_metadata, self->dev))
		return;

	EXPECT_EQ(-1, ioctl(self->dev, VCPU_ABORT_IOC_ABORT, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->dev, VCPU_ABORT_IOC_QUERY, NULL));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_TRUE(untouched(_metadata, self->dev, &self->vcpu, &self->regs));
}

/*
 * Arguments the module can read but not write back: the report cannot
 * reach the caller, so ABORT must fail before it discards anything
 * (EFAULT, the load still pending), whether the whole struct is read-only
 * or only its report, on the page after the fields read in.
 */
TEST_F(pending_load, unwritable_report_efault_keeps_the_load)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t in = offsetof(struct vcpu_abort_args, report);
	struct vcpu_abort_args *args;
	unsigned int i;
	char *buf;

	if (skip_without_module(_metadata, self->dev))
		return;

	buf = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	for (i = 0; i < 2; i++) {
		/* i = 0: all on a read-only page; 1: the report only. */
		args = (struct vcpu_abort_args *)(i ? buf + page - in : buf);
		args->size = sizeof(*args);
		args->vcpu_fd = self->vcpu.fd;
		ASSERT_EQ(0, mprotect(buf + (i ? page : 0), page, PROT_READ));
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->dev, VCPU_ABORT_IOC_ABORT, args))
			TH_LOG("%s read-only: ABORT succeeded",
			       i ? "report" : "struct");
		EXPECT_EQ(EFAULT, errno);
		ASSERT_TRUE(untouched(_metadata, self->dev, &self->vcpu,
				      &self->regs));
		ASSERT_EQ(0, mprotect(buf, 2 * page, PROT_READ | PROT_WRITE));
	}
	munmap(buf, 2 * page);
}

/*
 * A size above a page is refused with E2BIG before any of it is read,
 * even when all of it is readable and zero beyond the struct (the module
 * would otherwise scan it: up to 4 GiB per call for a size of ~0U). A
 * page is accepted.
 */
TEST_F(pending_load, size_above_a_page_e2big)
{
	long page = sysconf(_SC_PAGESIZE);
	struct vcpu_abort_args *args;
	char *buf;

	if (skip_without_module(_metadata, self->dev))
		return;

	/* Two zeroed pages, then one that faults. */
	buf = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, mprotect(buf + 2 * page, page, PROT_NONE));

	args = (struct vcpu_abort_args *)buf;
	args->size = page + 1;
	args->vcpu_fd = self->vcpu.fd;
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->dev, VCPU_ABORT_IOC_ABORT, args))
		TH_LOG("size %ld (readable, zero beyond the struct) was accepted",
		       page + 1);
	EXPECT_EQ(E2BIG, errno) TH_LOG("size %ld: %s", page + 1,
				       strerror(errno));

	/* The last readable page: a scan would fault after it. */
	args = (struct vcpu_abort_args *)(buf + page);
	args->size = 0xffffffff;
	args->vcpu_fd = self->vcpu.fd;
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->dev, VCPU_ABORT_IOC_ABORT, args));
	EXPECT_EQ(E2BIG, errno) TH_LOG("size 0xffffffff: %s", strerror(errno));
	ASSERT_TRUE(untouched(_metadata, self->dev, &self->vcpu, &self->regs));

	/* The largest size accepted: a page, zero beyond the struct. */
	args = (struct vcpu_abort_args *)buf;
	memset(buf, 0, page + 1);
	args->size = page;
	args->vcpu_fd = self->vcpu.fd;
	EXPECT_EQ(0, ioctl(self->dev, VCPU_ABORT_IOC_QUERY, args))
		TH_LOG("size %ld: %s", page, strerror(errno));
	EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD, args->report.kind);
	munmap(buf, 3 * page);
	ASSERT_TRUE(untouched(_metadata, self->dev, &self->vcpu, &self->regs));
}

TEST_F(pending_load, unknown_command_enotty)
{
	struct vcpu_abort_args args = { .size = sizeof(args) };

	if (skip_without_module(_metadata, self->dev))
		return;

	EXPECT_EQ(-1, ioctl(self->dev, _IOWR(VCPU_ABORT_IOC_MAGIC, 0x7f,
					     struct vcpu_abort_args), &args));
	EXPECT_EQ(ENOTTY, errno);
	ASSERT_TRUE(untouched(_metadata, self->dev, &self->vcpu, &self->regs));
}

TEST_F(pending_load, wrong_fd_types)
{
	struct vcpu_abort_report r;
	int null_fd = open("/dev/null", O_RDONLY);
	int closed_fd = dup(null_fd);

	if (skip_without_module(_metadata, self->dev))
		return;

	ASSERT_LE(0, null_fd);
	ASSERT_LE(0, closed_fd);
	close(closed_fd);
	EXPECT_EQ(-EBADFD, call(self->dev, VCPU_ABORT_IOC_ABORT, self->vm.fd,
				0, &r));
	EXPECT_EQ(-EBADFD, call(self->dev, VCPU_ABORT_IOC_ABORT,
				self->vm.kvm_fd, 0, &r));
	EXPECT_EQ(-ENODEV, call(self->dev, VCPU_ABORT_IOC_ABORT, null_fd, 0,
				&r));
	EXPECT_EQ(-ENODEV, call(self->dev, VCPU_ABORT_IOC_ABORT, self->dev, 0,
				&r));
	EXPECT_EQ(-EBADF, call(self->dev, VCPU_ABORT_IOC_ABORT, closed_fd, 0,
			       &r));
	EXPECT_EQ(-EBADF, call(self->dev, VCPU_ABORT_IOC_ABORT, -1, 0, &r));
	close(null_fd);
	ASSERT_TRUE(untouched(_metadata, self->dev, &self->vcpu, &self->regs));
}

/*
 * Runs fn(dev, vcpu_fd) in a child process (dev: /dev/vcpu_abort, vcpu_fd:
 * the parent's vCPU): its exit code, or -1.
 */
static int status_of_child(int (*fn)(int dev, int vcpu_fd), int dev,
			   int vcpu_fd)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid)
		_exit(fn(dev, vcpu_fd));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/*
 * A child inherits the vCPU fd but not the VM's mm: refused unless it
 * says it means another process's VM, then served (QUERY, no change).
 */
static int child_needs_the_flag(int dev, int vcpu_fd)
{
	struct vcpu_abort_report r;

	if (call(dev, VCPU_ABORT_IOC_ABORT, vcpu_fd, 0, &r) != -EPERM ||
	    vcpu_abort_discard(dev, vcpu_fd) != -EPERM)
		return 1;
	if (call(dev, VCPU_ABORT_IOC_QUERY, vcpu_fd,
		 VCPU_ABORT_FLAG_FOREIGN_VM, &r) ||
	    r.kind != VCPU_ABORT_KIND_MMIO_LOAD)
		return 2;
	return 0;
}

TEST_F(pending_load, foreign_vm_eperm_unless_flagged)
{
	if (skip_without_module(_metadata, self->dev))
		return;

	EXPECT_EQ(0, status_of_child(child_needs_the_flag, self->dev,
				     self->vcpu.fd))
		TH_LOG("1: no EPERM without the flag (ABORT or DISCARD); 2: flagged QUERY failed");
	ASSERT_TRUE(untouched(_metadata, self->dev, &self->vcpu, &self->regs));
}

TEST_F(pending_load, nonblock_on_idle_vcpu_succeeds)
{
	struct vcpu_abort_report r;

	if (skip_without_module(_metadata, self->dev))
		return;

	ASSERT_EQ(0, call(self->dev, VCPU_ABORT_IOC_QUERY, self->vcpu.fd,
			  VCPU_ABORT_FLAG_NONBLOCK, &r));
	EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD, r.kind);
}

/* A thread that sits in KVM_RUN (the guest spins) until it is kicked. */
struct runner {
	struct vcpu *vcpu;
	int ret;
};

static void *run_vcpu(void *arg)
{
	struct runner *r = arg;

	r->ret = vcpu_run(r->vcpu);
	return NULL;
}

/* A blocking ABORT from another thread. */
struct waiter {
	int dev, vcpu_fd, ret;
	bool done;
	struct vcpu_abort_report report;
};

static void *abort_and_wait(void *arg)
{
	struct waiter *w = arg;

	w->ret = vcpu_abort_ioctl(w->dev, VCPU_ABORT_IOC_ABORT, w->vcpu_fd, 0,
				  &w->report);
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
	return NULL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/*
 * While another thread is inside KVM_RUN: NONBLOCK fails with EBUSY, a
 * blocking ABORT waits for the vCPU and then succeeds.
 */
TEST_F_TIMEOUT(pending_load, busy_vcpu_ebusy_or_wait, 120)
{
	struct runner runner = { .vcpu = &self->vcpu };
	struct waiter waiter = { .dev = self->dev, .vcpu_fd = self->vcpu.fd };
	struct vcpu_abort_report r;
	pthread_t run_thread, wait_thread;
	int i, ret = 0;

	if (skip_without_module(_metadata, self->dev))
		return;

	/* Drop the load first: its completion would move the spin PC. */
	ASSERT_EQ(0, call(self->dev, VCPU_ABORT_IOC_ABORT, self->vcpu.fd, 0,
			  &r));
	ASSERT_EQ(0, arch_vcpu_spin(&self->vcpu)) TH_LOG("%s", self->vm.err);
	ASSERT_EQ(0, pthread_create(&run_thread, NULL, run_vcpu, &runner));

	/* Up to 60 s for the thread to enter KVM_RUN (nested TCG is slow). */
	for (i = 0; i < 6000; i++) {
		ret = call(self->dev, VCPU_ABORT_IOC_QUERY, self->vcpu.fd,
			   VCPU_ABORT_FLAG_NONBLOCK, &r);
		if (ret == -EBUSY)
			break;
		sleep_ms(10);
	}
	EXPECT_EQ(-EBUSY, ret);

	ASSERT_EQ(0, pthread_create(&wait_thread, NULL, abort_and_wait,
				    &waiter));
	sleep_ms(300);
	EXPECT_FALSE(__atomic_load_n(&waiter.done, __ATOMIC_ACQUIRE))
		TH_LOG("a blocking ABORT returned while the vCPU was in KVM_RUN");

	vcpu_thread_kick(run_thread);
	ASSERT_EQ(0, pthread_join(run_thread, NULL));
	EXPECT_EQ(-EINTR, runner.ret);
	ASSERT_EQ(0, pthread_join(wait_thread, NULL));
	EXPECT_EQ(0, waiter.ret);
	EXPECT_EQ(VCPU_ABORT_KIND_NONE, waiter.report.kind);
}

/* In a child: borrow the parent's vCPU 0 like `vcpuctl abort PID` does. */
static int child_aborts_parent_vcpu(int dev, int vcpu_fd)
{
	struct remote_vcpu vcpus[REMOTE_MAX_VCPUS];
	struct vcpu_abort_report r;
	int nr, ret = 0;

	nr = remote_vcpus_get(getppid(), 0, vcpus, REMOTE_MAX_VCPUS);
	(void)vcpu_fd;	/* borrowed again, as from another process */
	if (nr != 1)
		return 1;
	if (vcpu_abort_ioctl(dev, VCPU_ABORT_IOC_QUERY, vcpus[0].fd,
			     VCPU_ABORT_FLAG_FOREIGN_VM, &r) ||
	    r.kind != VCPU_ABORT_KIND_MMIO_LOAD)
		ret = 2;
	else if (vcpu_abort_ioctl(dev, VCPU_ABORT_IOC_ABORT, vcpus[0].fd,
				  VCPU_ABORT_FLAG_FOREIGN_VM, &r) ||
		 r.kind != VCPU_ABORT_KIND_MMIO_LOAD)
		ret = 3;
	remote_vcpus_close(vcpus, nr);
	return ret;
}

TEST_F(pending_load, other_process_aborts_with_pidfd_getfd)
{
	struct vcpu_abort_report r;

	if (skip_without_module(_metadata, self->dev))
		return;

	ASSERT_EQ(0, status_of_child(child_aborts_parent_vcpu, self->dev,
				     self->vcpu.fd))
		TH_LOG("1: pidfd_getfd of vCPU 0 failed; 2: QUERY; 3: ABORT");
	ASSERT_EQ(0, call(self->dev, VCPU_ABORT_IOC_QUERY, self->vcpu.fd, 0,
			  &r));
	EXPECT_EQ(VCPU_ABORT_KIND_NONE, r.kind);
}

/* The first line `vcpuctl ARGS` prints, or SKIP when it is not on PATH. */
static int vcpuctl_line(const char *args, char *line, size_t len)
{
	char cmd[128];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "vcpuctl %s 2>&1", args);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	if (!fgets(line, len, f))
		line[0] = '\0';
	return pclose(f);
}

TEST_F(pending_load, vcpuctl_query_and_abort_by_pid)
{
	char args[64], line[256];
	int ret;

	if (skip_without_module(_metadata, self->dev))
		return;

	snprintf(args, sizeof(args), "query %d 0", getpid());
	ret = vcpuctl_line(args, line, sizeof(line));
	if (WIFEXITED(ret) && WEXITSTATUS(ret) == 127)
		SKIP(return, "vcpuctl is not on PATH");
	EXPECT_EQ(0, ret) TH_LOG("vcpuctl %s: %s", args, line);
	EXPECT_NE(NULL, strstr(line, "MMIO load")) TH_LOG("%s", line);
	ASSERT_TRUE(untouched(_metadata, self->dev, &self->vcpu, &self->regs));

	snprintf(args, sizeof(args), "abort %d", getpid());
	EXPECT_EQ(0, vcpuctl_line(args, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, "discarded MMIO load")) TH_LOG("%s", line);
	snprintf(args, sizeof(args), "query %d", getpid());
	EXPECT_EQ(0, vcpuctl_line(args, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, "nothing pending")) TH_LOG("%s", line);
}

/*
 * After an ABORT with the PC left alone the guest re-executes the load
 * (unless KVM had already moved the PC past it: powerpc), and that later
 * exit completes as usual on the next KVM_RUN.
 */
TEST_F(pending_load, later_exit_still_completes)
{
	const struct race_case c = { .exit = RACE_EXIT_MMIO_LOAD,
				     .reset = arch_resets[0] };
	struct vcpu_abort_report r, again;
	struct race_regs before, after;
	char desc[160];

	if (skip_without_module(_metadata, self->dev))
		return;

	ASSERT_EQ(0, call(self->dev, VCPU_ABORT_IOC_ABORT, self->vcpu.fd, 0,
			  &r));
	ASSERT_EQ(0, vcpu_run(&self->vcpu)) TH_LOG("%s", self->vm.err);
	ASSERT_EQ(0, call(self->dev, VCPU_ABORT_IOC_QUERY, self->vcpu.fd, 0,
			  &again));
	ASSERT_NE(VCPU_ABORT_KIND_NONE, again.kind);
	if (!(r.info & VCPU_ABORT_INFO_PC_ADVANCED)) {
		/* The same load again, answered like the first one. */
		ASSERT_EQ(0, arch_answer_exit(&self->vcpu, &c, desc,
					      sizeof(desc)))
			TH_LOG("%s", self->vm.err);
		EXPECT_EQ(r.addr, again.addr);
	}
	ASSERT_EQ(0, arch_read_regs(&self->vcpu, &before));
	self->vcpu.run->immediate_exit = 1;
	EXPECT_EQ(-EINTR, vcpu_run(&self->vcpu));
	self->vcpu.run->immediate_exit = 0;
	ASSERT_EQ(0, call(self->dev, VCPU_ABORT_IOC_QUERY, self->vcpu.fd, 0,
			  &r));
	EXPECT_EQ(VCPU_ABORT_KIND_NONE, r.kind);
	ASSERT_EQ(0, arch_read_regs(&self->vcpu, &after));
	/* The completion ran: the load moved the PC (register 0 on all). */
	if (again.kind == VCPU_ABORT_KIND_MMIO_LOAD &&
	    !(again.info & VCPU_ABORT_INFO_PC_ADVANCED))
		EXPECT_NE(before.val[0], after.val[0]);
}

/* Without KVM or the module every test here is a skip. */
int main(int argc, char **argv)
{
	test_require(TEST_NEEDS_KVM | TEST_NEEDS_MODULE);
	return test_harness_run(argc, argv);
}
