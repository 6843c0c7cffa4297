// SPDX-License-Identifier: GPL-2.0
/*
 * File lifetimes around VCPU_ABORT_IOC_ABORT: the module finds the vCPU
 * through the caller's fd table, so what matters is which file a number
 * names at the moment of the call, and that the VM lives as long as any
 * vCPU file does.
 *
 *  - a closed vCPU fd is EBADF and the vCPU (still open under another
 *    number) keeps its pending load and its registers;
 *  - a dup'ed fd (dup, F_DUPFD_CLOEXEC, SCM_RIGHTS to ourselves) names the
 *    same vCPU once the original is closed: the abort discards the load
 *    and a reset through it holds;
 *  - with the VM fd closed and a load pending, the vCPU fd still works:
 *    ABORT reports the load, a reset holds, and closing the vCPU fd then
 *    destroys the VM (KVM's debugfs directory goes) without a kernel
 *    complaint;
 *  - ABORT racing close() from another thread, on a dup and on the last
 *    reference of a VM: only 0 or EBADF, no hang, no leaked VM;
 *  - a VM whose completion a policy hook discarded is destroyed by its
 *    last close() itself, not later by whoever holds a reference the
 *    module took (issue 12, finding 1);
 *  - the module's hook on VM destruction leaves the kernel sound while
 *    the VMM's thread is moved between CPUs.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/genl.h>

#include "kselftest_harness.h"
#include "testutil.h"

/*
 * Caps, generous for nested KVM under TCG on a loaded machine. How long a
 * VM may take to go after its last file: at once, unless something keeps
 * a reference (the module's statistics once did, ~2 s). How long a race
 * test may run before it stops with the rounds it did (it is bounded by
 * a count otherwise).
 */
#define VM_GONE_TIMEOUT_MS	60000
#define RACE_CAP_S		60ULL

static const struct race_case load_case = {
	.exit = RACE_EXIT_MMIO_LOAD,
	.by = RACE_BY_OTHER,
	.entry = RACE_ENTRY_RUN,
};

FIXTURE(lifetime) {
	int dev;
	int problems;		/* kernel log complaints before the test */
	struct tvm t;
	struct race_regs at_exit;
};

FIXTURE_SETUP(lifetime)
{
	self->t.nr_vcpus = 0;
	self->t.vm.fd = -1;
	self->t.vm.kvm_fd = -1;
	self->problems = kmsg_problems(NULL, 0);
	self->dev = vcpu_abort_open();
	if (self->dev < 0)
		SKIP(return, "%s: %s (vcpu_abort.ko not loaded)",
		     vcpu_abort_dev_path(), strerror(-self->dev));
	ASSERT_EQ(0, tvm_create(&self->t, 1, &load_case))
		TH_LOG("%s", self->t.vm.err);
	ASSERT_EQ(0, tvm_run_to_exit(&self->t.vcpu[0], &load_case, NULL, 0))
		TH_LOG("%s", self->t.vm.err);
	ASSERT_EQ(0, arch_read_regs(&self->t.vcpu[0], &self->at_exit));
}

FIXTURE_TEARDOWN(lifetime)
{
	tvm_destroy(&self->t);
	if (self->dev >= 0)
		close(self->dev);
}

/*
 * Replaces the fd of vCPU 0 by a duplicate made with how; the original
 * number is closed and stays unused (nothing is opened meanwhile).
 * Returns the old number.
 */
static int move_vcpu_fd(struct vcpu *vcpu, int new_fd)
{
	int old = vcpu->fd;

	close(old);
	vcpu->fd = new_fd;
	return old;
}

/* Sends fd over a socketpair to ourselves: the received number. */
static int scm_rights_roundtrip(int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, byte = 'x';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg;
	int sv[2], got = -1;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	if (sendmsg(sv[0], &msg, 0) == 1 && recvmsg(sv[1], &msg, 0) == 1) {
		cmsg = CMSG_FIRSTHDR(&msg);
		if (cmsg && cmsg->cmsg_type == SCM_RIGHTS)
			memcpy(&got, CMSG_DATA(cmsg), sizeof(int));
	}
	close(sv[0]);
	close(sv[1]);
	return got;
}

TEST_F(lifetime, closed_vcpu_fd_ebadf_changes_nothing)
{
	struct vcpu *vcpu = &self->t.vcpu[0];
	struct vcpu_abort_report r;
	struct race_regs now;
	int old;

	if (skip_without_module(_metadata, self->dev))
		return;

	/* Keep the vCPU open under another number to look at it after. */
	old = move_vcpu_fd(vcpu, dup(vcpu->fd));
	ASSERT_LE(0, vcpu->fd);
	EXPECT_EQ(-EBADF, vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_ABORT,
					   old, 0, &r));
	EXPECT_EQ(-EBADF, vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_ABORT,
					   old, VCPU_ABORT_FLAG_NONBLOCK, &r));
	EXPECT_EQ(-EBADF, vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_QUERY,
					   old, 0, &r));

	/* Nothing happened: the load is pending, no register moved. */
	ASSERT_EQ(0, vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_QUERY,
				      vcpu->fd, 0, &r));
	EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD, r.kind);
	ASSERT_EQ(0, arch_read_regs(vcpu, &now));
	EXPECT_EQ(0, memcmp(&now, &self->at_exit, sizeof(now)));
	expect_kmsg_clean(_metadata, self->problems);
}

/*
 * Through the duplicate: ABORT discards the load, and a reset followed by
 * a full KVM_RUN starts the reset code with every register as set.
 */
static void abort_and_reset_through(struct __test_metadata *_metadata,
				    struct vcpu *vcpu, int dev)
{
	struct vcpu_abort_report r;
	struct race_result res;
	struct race_regs to;
	unsigned int wrote;
	char how[160], names[64];

	ASSERT_EQ(0, vcpu_abort_ioctl(dev, VCPU_ABORT_IOC_ABORT, vcpu->fd, 0,
				      &r));
	EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD, r.kind);
	ASSERT_EQ(0, vcpu_abort_ioctl(dev, VCPU_ABORT_IOC_QUERY, vcpu->fd, 0,
				      &r));
	EXPECT_EQ(VCPU_ABORT_KIND_NONE, r.kind);

	ASSERT_EQ(0, arch_reset(vcpu, reset_without_vm_fd(), &to, &wrote, how,
				sizeof(how))) TH_LOG("%s", vcpu->vm->err);
	ASSERT_EQ(0, run_after_reset(vcpu, &load_case, &to, &res))
		TH_LOG("%s", vcpu->vm->err);
	clobbered_names(res.clobbered, names, sizeof(names));
	EXPECT_EQ(0, res.clobbered) TH_LOG("clobbered: %s after %s", names,
					   how);
	EXPECT_EQ(RACE_RESUME_RESET, res.resume) TH_LOG("%s", res.resume_desc);
	EXPECT_EQ(0, res.resume_offset) TH_LOG("%s", res.resume_desc);
}

TEST_F(lifetime, abort_through_dup_after_close)
{
	if (skip_without_module(_metadata, self->dev))
		return;

	move_vcpu_fd(&self->t.vcpu[0], dup(self->t.vcpu[0].fd));
	ASSERT_LE(0, self->t.vcpu[0].fd);
	abort_and_reset_through(_metadata, &self->t.vcpu[0], self->dev);
	expect_kmsg_clean(_metadata, self->problems);
}

TEST_F(lifetime, abort_through_dupfd_cloexec_after_close)
{
	if (skip_without_module(_metadata, self->dev))
		return;

	move_vcpu_fd(&self->t.vcpu[0],
		     fcntl(self->t.vcpu[0].fd, F_DUPFD_CLOEXEC, 100));
	ASSERT_LE(100, self->t.vcpu[0].fd);
	abort_and_reset_through(_metadata, &self->t.vcpu[0], self->dev);
	expect_kmsg_clean(_metadata, self->problems);
}

/* Our own VM, received as a new file descriptor: still the same mm. */
TEST_F(lifetime, abort_through_scm_rights_copy_after_close)
{
	if (skip_without_module(_metadata, self->dev))
		return;

	move_vcpu_fd(&self->t.vcpu[0],
		     scm_rights_roundtrip(self->t.vcpu[0].fd));
	ASSERT_LE(0, self->t.vcpu[0].fd);
	abort_and_reset_through(_metadata, &self->t.vcpu[0], self->dev);
	expect_kmsg_clean(_metadata, self->problems);
}

TEST_F_TIMEOUT(lifetime, vm_fd_closed_abort_then_clean_destroy, 180)
{
	struct vcpu *vcpu = &self->t.vcpu[0];
	int vm_fd = self->t.vm_fd_nr, seen, gone;

	if (skip_without_module(_metadata, self->dev))
		return;

	seen = kvm_debugfs_vm_exists(vm_fd);
	/* The VM lives on through its vCPU: /dev/kvm and the VM fd go. */
	close(self->t.vm.fd);
	close(self->t.vm.kvm_fd);
	self->t.vm.fd = -1;
	self->t.vm.kvm_fd = -1;

	abort_and_reset_through(_metadata, vcpu, self->dev);
	if (seen == 1)
		EXPECT_EQ(1, kvm_debugfs_vm_exists(vm_fd))
			TH_LOG("the VM went away with its vCPU still open");

	/* The last file of the VM: its run page mapping, then its fd. */
	vcpu_destroy(vcpu);
	self->t.nr_vcpus = 0;
	if (seen != 1) {
		expect_kmsg_clean(_metadata, self->problems);
		SKIP(return, "abort and reset passed; VM destruction not observable (%s: %s)",
		     "/sys/kernel/debug/kvm",
		     seen < 0 ? strerror(-seen) : "no directory for the VM");
	}
	gone = kvm_debugfs_wait_vm_gone(vm_fd, VM_GONE_TIMEOUT_MS);
	EXPECT_EQ(0, gone) TH_LOG("VM %d-%d still in KVM's debugfs %d s after its last file closed",
				  getpid(), vm_fd, VM_GONE_TIMEOUT_MS / 1000);
	expect_kmsg_clean(_metadata, self->problems);
}

/*
 * The race: one thread calls ABORT (or QUERY, blocking or not) on a number
 * until it gets EBADF, the other closes that number after a random delay.
 * Nothing else opens a file meanwhile, so the number cannot be reused.
 */
struct racer {
	pthread_barrier_t start;
	int dev, fd;
	uint32_t seed;
	unsigned long ok, ebadf, calls;
	int aborted_load;	/* this round: ABORTs that discarded the load */
	unsigned long rounds_aborted;	/* rounds in which one did */
	int bad;		/* first result other than 0/EBADF, or 0 */
};

static void *abort_until_ebadf(void *arg)
{
	struct racer *rc = arg;
	struct vcpu_abort_report r;
	unsigned long req, calls = 0;
	uint32_t flags;
	int ret;

	pthread_barrier_wait(&rc->start);
	for (;;) {
		req = rnd(&rc->seed) & 1 ? VCPU_ABORT_IOC_ABORT :
					   VCPU_ABORT_IOC_QUERY;
		flags = rnd(&rc->seed) & 1 ? VCPU_ABORT_FLAG_NONBLOCK : 0;
		ret = vcpu_abort_ioctl(rc->dev, req, rc->fd, flags, &r);
		rc->calls++;
		if (ret == -EBADF) {
			rc->ebadf++;
			return NULL;
		}
		if (ret) {
			rc->bad = ret;
			return NULL;
		}
		rc->ok++;
		if (req == VCPU_ABORT_IOC_ABORT &&
		    r.kind == VCPU_ABORT_KIND_MMIO_LOAD)
			rc->aborted_load++;
		/* Bounded: a close that never lands is a failure too. */
		if (++calls > 1000000) {
			rc->bad = -ETIME;
			return NULL;
		}
	}
}

/* One round; 0 or the first unexpected result. */
static int race_once(struct racer *rc, int fd, uint32_t max_delay)
{
	pthread_t thread;

	rc->fd = fd;
	rc->aborted_load = 0;
	if (pthread_create(&thread, NULL, abort_until_ebadf, rc))
		return -EAGAIN;
	pthread_barrier_wait(&rc->start);
	spin_jitter(&rc->seed, max_delay);
	close(fd);
	pthread_join(thread, NULL);
	if (rc->aborted_load)
		rc->rounds_aborted++;
	/* The load is discarded once: later ABORTs find nothing. */
	if (!rc->bad && rc->aborted_load > 1)
		rc->bad = -EEXIST;
	return rc->bad;
}

static void race_report(struct racer *rc, int rounds, uint64_t ns)
{
	fprintf(stderr,
		"# %d rounds in %llu ms: %lu calls succeeded before the close, %lu saw EBADF; the load was aborted in %lu rounds\n",
		rounds, (unsigned long long)(ns / 1000000), rc->ok, rc->ebadf,
		rc->rounds_aborted);
}

/*
 * A second file of a VM that stays: the fd table race alone.
 * VCPU_ABORT_LIFETIME_ROUNDS rounds (500), or as many as fit in
 * RACE_CAP_S on a slow machine.
 */
TEST_F_TIMEOUT(lifetime, abort_races_close_of_dup, 300)
{
	int max = env_long("VCPU_ABORT_LIFETIME_ROUNDS", 500), rounds = 0;
	struct racer rc = { .dev = self->dev, .seed = 0x9e3779b9 };
	uint64_t t0 = now_ns(), end = t0 + RACE_CAP_S * 1000000000ULL;
	struct vcpu_abort_report r;

	if (skip_without_module(_metadata, self->dev))
		return;

	ASSERT_EQ(0, pthread_barrier_init(&rc.start, NULL, 2));
	for (; rounds < max && (!rounds || now_ns() < end); rounds++) {
		int fd = dup(self->t.vcpu[0].fd);

		ASSERT_LE(0, fd);
		ASSERT_EQ(0, race_once(&rc, fd, 4000))
			TH_LOG("round %d: %s", rounds, rc.bad == -EEXIST ?
			       "two ABORTs both discarded the load" :
			       strerror(-rc.bad));
	}
	pthread_barrier_destroy(&rc.start);
	race_report(&rc, rounds, now_ns() - t0);
	EXPECT_EQ((unsigned long)rounds, rc.ebadf);
	/* Pending until the one round whose ABORT discarded it. */
	EXPECT_GE(1, rc.rounds_aborted);
	ASSERT_EQ(0, vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_QUERY,
				      self->t.vcpu[0].fd, 0, &r));
	EXPECT_EQ(rc.rounds_aborted ? VCPU_ABORT_KIND_NONE :
		  VCPU_ABORT_KIND_MMIO_LOAD, r.kind);
	expect_kmsg_clean(_metadata, self->problems);
}

/*
 * The close drops the last reference of a fresh VM with a pending load
 * (VM fd, /dev/kvm and the run page are gone first): whichever of the
 * close and the ABORT's own file reference ends last destroys the VM.
 * VCPU_ABORT_LIFETIME_VMS VMs (30, at most 512), or as many as fit in
 * RACE_CAP_S on a slow machine.
 */
TEST_F_TIMEOUT(lifetime, abort_races_last_close, 300)
{
	int max = env_long("VCPU_ABORT_LIFETIME_VMS", 30), rounds = 0, left;
	uint64_t t0 = now_ns(), end = t0 + RACE_CAP_S * 1000000000ULL;
	struct racer rc = { .dev = self->dev, .seed = 0x2545f491 };
	int spacer[512], nr_spacers = 0;
	struct tvm vm;

	if (skip_without_module(_metadata, self->dev))
		return;

	/* Only the VMs of the rounds below count. */
	tvm_destroy(&self->t);
	ASSERT_EQ(0, pthread_barrier_init(&rc.start, NULL, 2));
	if (max > 512)
		max = 512;
	while (rounds < max && (!rounds || now_ns() < end)) {
		int fd;

		/*
		 * KVM names a VM's debugfs directory <pid>-<VM fd>, and a VM
		 * created while an older one of that name still lives gets
		 * none, so it could not be seen leaking: one more open file
		 * per round gives each VM its own number.
		 */
		spacer[nr_spacers] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		ASSERT_LE(0, spacer[nr_spacers]);
		nr_spacers++;

		ASSERT_EQ(0, tvm_create(&vm, 1, &load_case))
			TH_LOG("round %d: %s", rounds, vm.vm.err);
		ASSERT_EQ(0, tvm_run_to_exit(&vm.vcpu[0], &load_case, NULL, 0))
			TH_LOG("round %d: %s", rounds, vm.vm.err);
		fd = vm.vcpu[0].fd;
		munmap(vm.vcpu[0].run, vm.vm.run_size);
		vm.vcpu[0].run = NULL;
		vm.vcpu[0].fd = -1;
		vm_destroy(&vm.vm);
		ASSERT_EQ(0, race_once(&rc, fd, 20000))
			TH_LOG("round %d: %s", rounds, rc.bad == -EEXIST ?
			       "two ABORTs both discarded the load" :
			       strerror(-rc.bad));
		rounds++;
	}
	pthread_barrier_destroy(&rc.start);
	while (nr_spacers)
		close(spacer[--nr_spacers]);
	race_report(&rc, rounds, now_ns() - t0);
	EXPECT_EQ((unsigned long)rounds, rc.ebadf);

	/* Every VM goes: none is leaked by a reference the race took. */
	left = kvm_debugfs_count_own_vms();
	if (left >= 0) {
		uint64_t end = now_ns() + VM_GONE_TIMEOUT_MS * 1000000ULL;

		while (left > 0 && now_ns() < end) {
			sleep_us(50000);
			left = kvm_debugfs_count_own_vms();
		}
		EXPECT_EQ(0, left)
			TH_LOG("%d VMs of ours left %d s after their last close",
			       left, VM_GONE_TIMEOUT_MS / 1000);
	}
	expect_kmsg_clean(_metadata, self->problems);
	if (left < 0)
		SKIP(return,
		     "races passed; VM destruction not observable (/sys/kernel/debug/kvm: %s)",
		     strerror(-left));
}

/*
 * Runs the calling thread at the highest SCHED_FIFO priority on the CPU
 * it is on, or back at SCHED_OTHER on any CPU (fifo false). A work item
 * the kernel queues meanwhile on that CPU (schedule_work() queues on the
 * current one) then cannot run before the thread blocks: a VM reference
 * dropped by such a work item is still held when the thread's next
 * close() returns, always rather than now and then. 0 or -errno (not
 * permitted: the test then runs without it, and sees such a reference
 * only when the work item happens to run late).
 */
static int fifo_on_this_cpu(bool fifo)
{
	struct sched_param sp = { 0 };
	cpu_set_t cpus;
	int i, cpu;

	CPU_ZERO(&cpus);
	if (fifo) {
		cpu = sched_getcpu();
		if (cpu < 0)
			return -errno;
		CPU_SET(cpu, &cpus);
		sp.sched_priority = sched_get_priority_max(SCHED_FIFO);
	} else {
		for (i = 0; i < CPU_SETSIZE; i++)
			CPU_SET(i, &cpus);
	}
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		return -errno;
	if (sched_setscheduler(0, fifo ? SCHED_FIFO : SCHED_OTHER, &sp))
		return -errno;
	return 0;
}

/*
 * One VM of vm_destroyed_at_last_close: a pending load discarded by a
 * register write under policy always, then every file of the VM closed
 * at the highest priority on one CPU. Sets *alive to whether KVM's
 * debugfs directory of the VM, which kvm_destroy_vm() removes, was still
 * there when the last close() had returned. 0, or -errno with the reason
 * in why.
 */
static int close_after_hooked_write(struct vcpu_abort_nl *nl, int dev,
				    int *vm_fd, bool *alive, bool *fifo,
				    char *why, size_t len)
{
	struct vcpu_abort_report r;
	struct race_regs to;
	unsigned int wrote;
	struct tvm vm;
	char how[160];
	int ret;

	*alive = false;
	ret = tvm_create(&vm, 1, &load_case);
	if (!ret)
		ret = tvm_run_to_exit(&vm.vcpu[0], &load_case, NULL, 0);
	if (ret) {
		snprintf(why, len, "%s", vm.vm.err);
		goto out;
	}
	*vm_fd = vm.vm_fd_nr;
	ret = kvm_debugfs_vm_exists(vm.vm_fd_nr);
	if (ret != 1) {
		snprintf(why, len, "no directory %d-%d in KVM's debugfs (%s)",
			 getpid(), vm.vm_fd_nr,
			 ret < 0 ? strerror(-ret) : "not made");
		ret = ret < 0 ? ret : -ENOENT;
		goto out;
	}
	ret = vcpu_abort_nl_set_policy(nl, vm.vm.fd, 0,
				       VCPU_ABORT_POLICY_ALWAYS, NULL);
	if (ret) {
		snprintf(why, len, "%s", nl->err);
		goto out;
	}

	*fifo = !fifo_on_this_cpu(true);
	/* The hook sees the write and discards the load. */
	ret = arch_reset(&vm.vcpu[0], reset_without_vm_fd(), &to, &wrote,
			 how, sizeof(how));
	if (ret) {
		snprintf(why, len, "%s", vm.vm.err);
		goto out;
	}
	ret = vcpu_abort_ioctl(dev, VCPU_ABORT_IOC_QUERY, vm.vcpu[0].fd, 0,
			       &r);
	if (!ret && r.kind != VCPU_ABORT_KIND_NONE)
		ret = -EPROTO;
	if (ret) {
		snprintf(why, len, "after %s under policy always: %s", how,
			 ret == -EPROTO ? "the load is still pending" :
			 strerror(-ret));
		goto out;
	}
	/* The run page, the vCPU fd, the VM fd: the last one destroys it. */
	tvm_destroy(&vm);
	*alive = kvm_debugfs_vm_exists(*vm_fd) == 1;
	fifo_on_this_cpu(false);
	return 0;
out:
	fifo_on_this_cpu(false);
	tvm_destroy(&vm);
	return ret;
}

/*
 * A policy hook that discards a completion must not keep the VM alive:
 * when the VMM's last close() of the VM returns, KVM has destroyed it,
 * in the VMM's own context. Destroyed later by a kworker, x86 skips
 * unmapping its private memslots (current->mm is not the VM's) and they
 * stay mapped in the VMM. VCPU_ABORT_LAST_CLOSE_VMS VMs (50), or as
 * many as fit in RACE_CAP_S; any VM seen alive after its last close
 * fails the test.
 */
TEST_F_TIMEOUT(lifetime, vm_destroyed_at_last_close, 300)
{
	int max = env_long("VCPU_ABORT_LAST_CLOSE_VMS", 50), rounds = 0;
	uint64_t t0 = now_ns(), end = t0 + RACE_CAP_S * 1000000000ULL;
	int survived = 0, first = -1, vm_fd = -1, ret;
	struct vcpu_abort_nl nl;
	bool alive, fifo = false;
	char why[VM_ERR_LEN];

	if (skip_without_module(_metadata, self->dev))
		return;

	tvm_destroy(&self->t);
	ret = vcpu_abort_nl_open(&nl);
	if (ret == -ENOENT) {
		vcpu_abort_nl_close(&nl);
		SKIP(return, "%s", nl.err);
	}
	ASSERT_EQ(0, ret) TH_LOG("%s", nl.err);

	while (rounds < max && (!rounds || now_ns() < end)) {
		ret = close_after_hooked_write(&nl, self->dev, &vm_fd, &alive,
					       &fifo, why, sizeof(why));
		if (ret == -ENOENT && !rounds)
			break;
		ASSERT_EQ(0, ret) TH_LOG("round %d: %s", rounds, why);
		rounds++;
		if (!alive)
			continue;
		if (!survived++)
			first = rounds - 1;
		/* The next VM gets the same name: wait until this one went. */
		ASSERT_EQ(0, kvm_debugfs_wait_vm_gone(vm_fd, VM_GONE_TIMEOUT_MS))
			TH_LOG("VM %d-%d still in KVM's debugfs %d s after its last close",
			       getpid(), vm_fd, VM_GONE_TIMEOUT_MS / 1000);
	}
	vcpu_abort_nl_close(&nl);
	if (!rounds)
		SKIP(return, "VM destruction not observable: %s", why);
	fprintf(stderr, "# %d VMs in %llu ms%s: %d outlived their last close\n",
		rounds, (unsigned long long)((now_ns() - t0) / 1000000),
		fifo ? " (closed at SCHED_FIFO on one CPU)" : "", survived);
	EXPECT_EQ(0, survived)
		TH_LOG("%d of %d VMs outlived their last close() (first: round %d)",
		       survived, rounds, first);
	expect_kmsg_clean(_metadata, self->problems);
}

/*
 * The thread of migration.vm_destroy_hook_while_moved, moved from CPU to
 * CPU by a second thread for as long as it makes and closes VMs.
 */
struct migrator {
	pid_t tid;		/* the thread moved */
	int nr_cpus;		/* CPUs it may run on: the first ones it had */
	int cpus[2];
	atomic_bool stop;
	unsigned long moves;
};

static void *migrate_until_stopped(void *arg)
{
	struct migrator *m = arg;
	cpu_set_t one;

	while (!atomic_load(&m->stop)) {
		CPU_ZERO(&one);
		CPU_SET(m->cpus[m->moves % m->nr_cpus], &one);
		if (!sched_setaffinity(m->tid, sizeof(one), &one))
			m->moves++;
		sched_yield();
	}
	return NULL;
}

/*
 * The module sees every VM go, in a hook on kvm_arch_destroy_vm() that
 * runs whatever the policy. The VMM's thread may be moved to another CPU
 * around it on a preemptible kernel: that must change nothing.
 * On powerpc an ftrace hook that asked for all registers once came back
 * with the first CPU's paca in r13 (module/compat.h), and the task
 * current on that CPU, an RCU or workqueue kthread, took our thread's
 * preempt_count() changes: "BUG: scheduling while atomic" in the kernel
 * log. Makes and closes VCPU_ABORT_MIGRATE_VMS VMs (400; at most
 * RACE_CAP_S) while another thread moves this one between two CPUs;
 * fails on any kernel log complaint. SKIP with one CPU.
 */
FIXTURE(migration) {
};

FIXTURE_SETUP(migration)
{
}

FIXTURE_TEARDOWN(migration)
{
}

TEST_F_TIMEOUT(migration, vm_destroy_hook_while_moved, 300)
{
	int max = env_long("VCPU_ABORT_MIGRATE_VMS", 400), rounds = 0;
	uint64_t t0 = now_ns(), end = t0 + RACE_CAP_S * 1000000000ULL;
	int problems = kmsg_problems(NULL, 0), i;
	struct migrator m = { .tid = gettid() };
	cpu_set_t had;
	pthread_t thread;
	struct vm vm;

	ASSERT_EQ(0, sched_getaffinity(0, sizeof(had), &had));
	for (i = 0; i < CPU_SETSIZE && m.nr_cpus < 2; i++)
		if (CPU_ISSET(i, &had))
			m.cpus[m.nr_cpus++] = i;
	if (m.nr_cpus < 2)
		SKIP(return, "one CPU: nothing can move the thread to another");

	ASSERT_EQ(0, pthread_create(&thread, NULL, migrate_until_stopped, &m));
	while (rounds < max && (!rounds || now_ns() < end)) {
		if (vm_create(&vm, arch_vm_type())) {
			TH_LOG("round %d: %s", rounds, vm.err);
			vm_destroy(&vm);
			break;
		}
		vm_destroy(&vm);
		rounds++;
	}
	atomic_store(&m.stop, true);
	pthread_join(thread, NULL);
	sched_setaffinity(0, sizeof(had), &had);
	ASSERT_LT(0, rounds);
	fprintf(stderr, "# %d VMs in %llu ms, the thread moved %lu times\n",
		rounds, (unsigned long long)((now_ns() - t0) / 1000000),
		m.moves);
	expect_kmsg_clean(_metadata, problems);
}

/* Without KVM or the module every test here is a skip. */
int main(int argc, char **argv)
{
	test_require(TEST_NEEDS_KVM | TEST_NEEDS_MODULE);
	return test_harness_run(argc, argv);
}
