// SPDX-License-Identifier: GPL-2.0
/*
 * The refusals of Documentation/uapi.rst and netlink.rst that need a
 * situation rather than a bad argument (issue 12, finding 10: every
 * documented errno has a test):
 *
 *  - a vCPU inside KVM_RUN: netlink QUERY and ABORT never wait (EBUSY,
 *    with the message saying so); a blocking ioctl waits, and a fatal
 *    signal ends the wait (the caller dies at once: the EINTR it gets is
 *    never seen by userspace);
 *  - a process without CAP_NET_ADMIN: GET_STATS and SET_POLICY without a
 *    fd (the module's default) are EPERM, GET_HOOKS and the default's
 *    GET_POLICY are not;
 *  - a VM of another process over netlink: EPERM unless
 *    VCPU_ABORT_FLAG_FOREIGN_VM, as for the ioctls.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/genl.h>

#include "kselftest_harness.h"
#include "testutil.h"

/*
 * Caps, generous for nested KVM under TCG on a loaded machine: how long
 * a thread may take to enter KVM_RUN, a process to block in an ioctl or
 * to die of SIGKILL.
 */
#define STATE_TIMEOUT_MS	60000

static const struct race_case load_case = {
	.exit = RACE_EXIT_MMIO_LOAD,
	.by = RACE_BY_OTHER,
	.entry = RACE_ENTRY_RUN,
};

FIXTURE(refusals) {
	int dev;
	int problems;
	struct tvm t;
	pthread_t runner;
	bool running;		/* the runner thread is in (or entering) KVM_RUN */
	int run_ret;
};

FIXTURE_SETUP(refusals)
{
	self->t.nr_vcpus = 0;
	self->t.vm.fd = -1;
	self->t.vm.kvm_fd = -1;
	self->running = false;
	self->problems = kmsg_problems(NULL, 0);
	self->dev = vcpu_abort_open();
	if (self->dev < 0)
		SKIP(return, "%s: %s (vcpu_abort.ko not loaded)",
		     vcpu_abort_dev_path(), strerror(-self->dev));
	ASSERT_EQ(0, tvm_create(&self->t, 1, &load_case))
		TH_LOG("%s", self->t.vm.err);
	ASSERT_EQ(0, tvm_run_to_exit(&self->t.vcpu[0], &load_case, NULL, 0))
		TH_LOG("%s", self->t.vm.err);
}

FIXTURE_TEARDOWN(refusals)
{
	if (self->running) {
		vcpu_thread_kick(self->runner);
		pthread_join(self->runner, NULL);
	}
	tvm_destroy(&self->t);
	if (self->dev >= 0)
		close(self->dev);
}

static void *run_vcpu(void *arg)
{
	struct _test_data_refusals *self = arg;

	self->run_ret = vcpu_run(&self->t.vcpu[0]);
	return NULL;
}

/*
 * Puts vCPU 0 in KVM_RUN in a thread (a guest loop that never exits) and
 * waits until a non-blocking QUERY says it is busy. 0 or -errno.
 */
static int start_running(struct _test_data_refusals *self)
{
	uint64_t end = now_ns() + STATE_TIMEOUT_MS * 1000000ULL;
	struct vcpu_abort_report r;
	int ret;

	/* Its completion would move the loop's PC: drop the load first. */
	ret = vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_ABORT,
			       self->t.vcpu[0].fd, 0, &r);
	if (!ret)
		ret = arch_vcpu_spin(&self->t.vcpu[0]);
	if (ret)
		return ret;
	if (pthread_create(&self->runner, NULL, run_vcpu, self))
		return -EAGAIN;
	self->running = true;
	do {
		ret = vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_QUERY,
				       self->t.vcpu[0].fd,
				       VCPU_ABORT_FLAG_NONBLOCK, &r);
		if (ret == -EBUSY)
			return 0;
		sleep_us(10000);
	} while (now_ns() < end);
	return -ETIMEDOUT;
}

TEST_F_TIMEOUT(refusals, netlink_never_waits_for_a_running_vcpu, 180)
{
	struct vcpu_abort_report r;
	struct vcpu_abort_nl nl;
	int ret;

	if (skip_without_module(_metadata, self->dev))
		return;
	ret = vcpu_abort_nl_open(&nl);
	ASSERT_EQ(0, ret) TH_LOG("%s", nl.err);
	ASSERT_EQ(0, start_running(self)) TH_LOG("%s", self->t.vm.err);

	EXPECT_EQ(-EBUSY, vcpu_abort_nl_query(&nl, VCPU_ABORT_CMD_QUERY,
					      self->t.vcpu[0].fd, 0, &r))
		TH_LOG("%s", nl.err);
	EXPECT_TRUE(strstr(nl.err, "netlink never waits")) TH_LOG("%s", nl.err);
	EXPECT_EQ(-EBUSY, vcpu_abort_nl_query(&nl, VCPU_ABORT_CMD_ABORT,
					      self->t.vcpu[0].fd, 0, &r))
		TH_LOG("%s", nl.err);
	/* Still in KVM_RUN: nothing waited for it to come out. */
	EXPECT_EQ(-EBUSY, vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_QUERY,
					   self->t.vcpu[0].fd,
					   VCPU_ABORT_FLAG_NONBLOCK, &r));
	vcpu_abort_nl_close(&nl);
	expect_kmsg_clean(_metadata, self->problems);
}

/* 'D', 'S', 'R', ... of /proc/<pid>/stat, or 0 if unreadable. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* After the command name in parentheses. */
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * A blocking ABORT from another process (VCPU_ABORT_FLAG_FOREIGN_VM: the
 * fd is inherited) waits for the vCPU in KVM_RUN in the killable state
 * ('D' in /proc); SIGKILL ends the wait: the process dies while the vCPU
 * is still running.
 */
TEST_F_TIMEOUT(refusals, fatal_signal_ends_the_wait, 240)
{
	uint64_t end;
	struct vcpu_abort_report r;
	int status = 0;
	pid_t pid, got = 0;
	char state = 0;

	if (skip_without_module(_metadata, self->dev))
		return;
	ASSERT_EQ(0, start_running(self)) TH_LOG("%s", self->t.vm.err);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_ABORT,
				       self->t.vcpu[0].fd,
				       VCPU_ABORT_FLAG_FOREIGN_VM, &r) ? 2 : 3);

	end = now_ns() + STATE_TIMEOUT_MS * 1000000ULL;
	while ((state = proc_state(pid)) != 'D' && state && now_ns() < end)
		sleep_us(10000);
	EXPECT_EQ('D', state) TH_LOG("the waiting process is in state '%c'",
				     state ? state : '?');
	ASSERT_EQ(0, kill(pid, SIGKILL));
	end = now_ns() + STATE_TIMEOUT_MS * 1000000ULL;
	while (!(got = waitpid(pid, &status, WNOHANG)) && now_ns() < end)
		sleep_us(10000);
	if (!got) {
		/* Stuck: let the vCPU out so the process can finish. */
		vcpu_thread_kick(self->runner);
		waitpid(pid, &status, 0);
	}
	EXPECT_EQ(pid, got) TH_LOG("SIGKILL did not end the wait within %d s",
				   STATE_TIMEOUT_MS / 1000);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		TH_LOG("the process ended with status %#x, not by SIGKILL",
		       status);
	/* The vCPU never left KVM_RUN meanwhile. */
	EXPECT_EQ(-EBUSY, vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_QUERY,
					   self->t.vcpu[0].fd,
					   VCPU_ABORT_FLAG_NONBLOCK, &r));
	expect_kmsg_clean(_metadata, self->problems);
}

/* What a process without capabilities gets; the child's exit code. */
enum {
	UNPRIV_OK,
	UNPRIV_SETUID,
	UNPRIV_OPEN,
	UNPRIV_STATS,
	UNPRIV_DEFAULT_POLICY,
	UNPRIV_GET_HOOKS,
	UNPRIV_GET_DEFAULT,
	UNPRIV_QUERY_FOREIGN,
	UNPRIV_QUERY_FLAGGED,
	UNPRIV_GET_POLICY_FOREIGN,
};

static const char *const unpriv_failures[] = {
	[UNPRIV_OK] = "",
	[UNPRIV_SETUID] = "setuid(65534) failed",
	[UNPRIV_OPEN] = "cannot open the netlink family",
	[UNPRIV_STATS] = "GET_STATS was not EPERM",
	[UNPRIV_DEFAULT_POLICY] = "SET_POLICY of the default was not EPERM (with its message)",
	[UNPRIV_GET_HOOKS] = "GET_HOOKS failed",
	[UNPRIV_GET_DEFAULT] = "GET_POLICY of the default failed",
	[UNPRIV_QUERY_FOREIGN] = "QUERY of the parent's vCPU was not EPERM (with its message)",
	[UNPRIV_QUERY_FLAGGED] = "QUERY of the parent's vCPU with FOREIGN_VM failed",
	[UNPRIV_GET_POLICY_FOREIGN] = "GET_POLICY of the parent's VM was not EPERM",
};

static int no_stats(const struct vcpu_abort_nl_stats *st, void *arg)
{
	(void)st;
	(void)arg;
	return 0;
}

/* In a child that dropped every capability (setuid to nobody). */
static int queries_of_an_unprivileged_child(int vcpu_fd, int vm_fd)
{
	struct vcpu_abort_report r;
	struct vcpu_abort_nl nl;
	struct vcpu_abort_nl_hooks h;
	uint32_t policy;
	int ret;

	if (setgid(65534) || setuid(65534))
		return UNPRIV_SETUID;
	if (vcpu_abort_nl_open(&nl))
		return UNPRIV_OPEN;
	ret = UNPRIV_OK;
	if (vcpu_abort_nl_stats(&nl, no_stats, NULL) != -EPERM)
		ret = UNPRIV_STATS;
	else if (vcpu_abort_nl_set_policy(&nl, -1, 0, VCPU_ABORT_POLICY_OFF,
					  NULL) != -EPERM ||
		 !strstr(nl.err, "CAP_NET_ADMIN"))
		ret = UNPRIV_DEFAULT_POLICY;
	else if (vcpu_abort_nl_get_hooks(&nl, &h))
		ret = UNPRIV_GET_HOOKS;
	else if (vcpu_abort_nl_get_policy(&nl, -1, 0, &policy, NULL))
		ret = UNPRIV_GET_DEFAULT;
	else if (vcpu_abort_nl_query(&nl, VCPU_ABORT_CMD_QUERY, vcpu_fd, 0,
				     &r) != -EPERM ||
		 !strstr(nl.err, "VM of another process"))
		ret = UNPRIV_QUERY_FOREIGN;
	else if (vcpu_abort_nl_query(&nl, VCPU_ABORT_CMD_QUERY, vcpu_fd,
				     VCPU_ABORT_FLAG_FOREIGN_VM, &r) ||
		 r.kind != VCPU_ABORT_KIND_MMIO_LOAD)
		ret = UNPRIV_QUERY_FLAGGED;
	else if (vcpu_abort_nl_get_policy(&nl, vm_fd, 0, &policy, NULL) !=
		 -EPERM)
		ret = UNPRIV_GET_POLICY_FOREIGN;
	if (ret)
		fprintf(stderr, "# the unprivileged child: %s\n", nl.err);
	vcpu_abort_nl_close(&nl);
	return ret;
}

TEST_F(refusals, netlink_eperm_without_cap_net_admin_or_own_vm)
{
	int status;
	pid_t pid;

	if (skip_without_module(_metadata, self->dev))
		return;
	if (geteuid())
		SKIP(return, "not root: cannot drop to nobody");

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(queries_of_an_unprivileged_child(self->t.vcpu[0].fd, self->t.vm.fd));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("the child died: %#x", status);
	EXPECT_EQ(UNPRIV_OK, WEXITSTATUS(status))
		TH_LOG("%s", WEXITSTATUS(status) < ARRAY_SIZE(unpriv_failures) ?
		       unpriv_failures[WEXITSTATUS(status)] : "?");
	expect_kmsg_clean(_metadata, self->problems);
}

/* Without KVM or the module every test here is a skip. */
int main(int argc, char **argv)
{
	test_require(TEST_NEEDS_KVM | TEST_NEEDS_MODULE);
	return test_harness_run(argc, argv);
}
