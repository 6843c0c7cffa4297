// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading vcpu_abort.ko while VMs exist, and loading it again:
 *
 *  - while a process holds /dev/vcpu_abort open, delete_module() fails
 *    cleanly (EAGAIN/EWOULDBLOCK: the open file holds a module reference;
 *    EBUSY is accepted too) and the device keeps working;
 *  - with the device closed, it succeeds although VMs with pending loads
 *    and statistics entries exist, and a VM whose files are all closed is
 *    gone by then, whatever the module kept of it; the others keep their
 *    pending loads, and after finit_module() an ABORT discards them and a
 *    reset holds;
 *  - unload and load again several times, an abort working each time;
 *  - loaded while ftrace is off (sysctl kernel.ftrace_enabled=0), a policy
 *    whose hooks are ftrace callbacks (powerpc, riscv) cannot be armed:
 *    SET_POLICY fails with EBUSY and the VM keeps its policy; one of
 *    kprobes only is served (arm64) or refused with EOPNOTSUPP where the
 *    kprobes sit on ftrace sites (x86); the pending load is kept either
 *    way. ftrace back on, it is served. Where no kprobe reaches a KVM
 *    function's entry (riscv 6.12) the module does not load with ftrace
 *    off: a SKIP.
 *
 * Needs root, a loaded module and its .ko file to load it again:
 * $VCPU_ABORT_KO, or /lab/vcpu_abort.ko (the lab's guest), or
 * /lib/modules/$(uname -r)/{extra,updates}/vcpu_abort.ko. SKIPs otherwise,
 * so it never unloads a module it cannot bring back. The module is loaded
 * again after every test, whatever happened.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <vcpuctl/abort.h>
#include <vcpuctl/arch.h>
#include <vcpuctl/genl.h>

#include "kselftest_harness.h"
#include "testutil.h"

#define MODULE_NAME	"vcpu_abort"
#define SYS_MODULE	"/sys/module/" MODULE_NAME
#define FTRACE_ENABLED	"/proc/sys/kernel/ftrace_enabled"

static const struct race_case load_case = {
	.exit = RACE_EXIT_MMIO_LOAD,
	.by = RACE_BY_OTHER,
	.entry = RACE_ENTRY_RUN,
};

static bool module_loaded(void)
{
	return !access(SYS_MODULE, F_OK);
}

/* The .ko to load again, or NULL. */
static const char *find_ko(char *buf, size_t len)
{
	const char *env = getenv("VCPU_ABORT_KO");
	static const char *const dirs[] = { "extra", "updates" };
	struct utsname u;
	size_t i;

	if (env && *env)
		return access(env, R_OK) ? NULL : env;
	snprintf(buf, len, "/lab/%s.ko", MODULE_NAME);
	if (!access(buf, R_OK))
		return buf;
	uname(&u);
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(buf, len, "/lib/modules/%s/%s/%s.ko", u.release,
			 dirs[i], MODULE_NAME);
		if (!access(buf, R_OK))
			return buf;
	}
	return NULL;
}

/* rmmod: 0 or -errno. O_NONBLOCK: fail at once if it is in use. */
static int unload(void)
{
	return syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK) ? -errno : 0;
}

/* The module's reference count as /sys/module shows it, for messages. */
static const char *module_refcount(void)
{
	static char buf[32];
	FILE *f = fopen(SYS_MODULE "/refcnt", "r");

	snprintf(buf, sizeof(buf), "?");
	if (f) {
		if (fgets(buf, sizeof(buf), f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
	return buf;
}

/* insmod: 0 or -errno. */
static int load(const char *ko)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

/*
 * Waits for /dev/vcpu_abort to appear (1) or go (0): up to 30 s, for
 * devtmpfs on a loaded machine.
 */
static bool wait_dev(bool present)
{
	int i;

	for (i = 0; i < 1500; i++) {
		if (!access(vcpu_abort_dev_path(), F_OK) == present)
			return true;
		sleep_us(20000);
	}
	return false;
}

FIXTURE(reload) {
	char buf[256];
	const char *ko;
	const char *why;	/* why it cannot run, or NULL */
	int problems;
	struct tvm vm[3];
	bool ftrace_off;	/* we wrote 0 to FTRACE_ENABLED */
};

FIXTURE_SETUP(reload)
{
	int i;

	for (i = 0; i < 3; i++) {
		self->vm[i].vm.fd = -1;
		self->vm[i].vm.kvm_fd = -1;
	}
	self->problems = kmsg_problems(NULL, 0);
	self->ko = find_ko(self->buf, sizeof(self->buf));
	if (!module_loaded())
		self->why = "vcpu_abort.ko is not loaded";
	else if (!self->ko)
		self->why = "no vcpu_abort.ko to load it again (set VCPU_ABORT_KO)";
	else if (geteuid())
		self->why = "needs root (CAP_SYS_MODULE) to unload and load";
	if (self->why)
		SKIP(return, "%s", self->why);
}

FIXTURE_TEARDOWN(reload)
{
	int i;

	for (i = 0; i < 3; i++)
		tvm_destroy(&self->vm[i]);
	if (self->ftrace_off && write_switch(FTRACE_ENABLED, "1"))
		fprintf(stderr, "# could not turn ftrace on again: write 1 to %s\n",
			FTRACE_ENABLED);
	/* Never leave the system without the module. */
	if (!self->why && !module_loaded() && load(self->ko))
		fprintf(stderr, "# could not load %s again\n", self->ko);
}

/*
 * Whether the test must stop as a SKIP (why says why, NULL: go on): the
 * 6.1 harness runs the body after a SKIP in the setup.
 */
static bool skip_without_ko(struct __test_metadata *_metadata,
			    const char *why)
{
	if (!why)
		return false;
	SKIP(return true, "%s", why);
}

/* A VM with one vCPU in a pending MMIO load. */
static void pending_vm(struct __test_metadata *_metadata, struct tvm *t)
{
	ASSERT_EQ(0, tvm_create(t, 1, &load_case)) TH_LOG("%s", t->vm.err);
	ASSERT_EQ(0, tvm_run_to_exit(&t->vcpu[0], &load_case, NULL, 0))
		TH_LOG("%s", t->vm.err);
}

/*
 * Back to the load after an ABORT (powerpc does not re-execute it: KVM
 * had moved the PC past it), and to its exit again.
 */
static void pending_again(struct __test_metadata *_metadata, struct tvm *t)
{
	ASSERT_EQ(0, arch_vcpu_setup(&t->vcpu[0], &load_case))
		TH_LOG("%s", t->vm.err);
	ASSERT_EQ(0, tvm_run_to_exit(&t->vcpu[0], &load_case, NULL, 0))
		TH_LOG("%s", t->vm.err);
}

static uint32_t do_ioctl(struct __test_metadata *_metadata, int dev,
			 unsigned long req, struct tvm *t)
{
	struct vcpu_abort_report r = { .kind = VCPU_ABORT_KIND_COUNT };

	EXPECT_EQ(0, vcpu_abort_ioctl(dev, req, t->vcpu[0].fd, 0, &r));
	return r.kind;
}

/* The module is back: its device appears and answers. */
static int load_again(struct __test_metadata *_metadata, const char *ko)
{
	int dev;

	EXPECT_EQ(0, load(ko)) TH_LOG("finit_module(%s)", ko);
	EXPECT_TRUE(module_loaded());
	EXPECT_TRUE(wait_dev(true))
		TH_LOG("%s did not come back", vcpu_abort_dev_path());
	dev = vcpu_abort_open();
	EXPECT_LE(0, dev) TH_LOG("%s: %s", vcpu_abort_dev_path(),
				 strerror(-dev));
	return dev;
}

TEST_F_TIMEOUT(reload, unload_refused_while_device_open, 120)
{
	int dev, ret;

	if (skip_without_ko(_metadata, self->why))
		return;
	dev = vcpu_abort_open();
	ASSERT_LE(0, dev);
	pending_vm(_metadata, &self->vm[0]);

	ret = unload();
	if (!ret) {
		/* The teardown loads it again. */
		close(dev);
		ASSERT_NE(0, ret)
			TH_LOG("vcpu_abort.ko unloaded under an open %s",
			       vcpu_abort_dev_path());
	}
	EXPECT_TRUE(ret == -EAGAIN || ret == -EBUSY)
		TH_LOG("delete_module: %s, expected EAGAIN or EBUSY",
		       strerror(-ret));
	fprintf(stderr, "# delete_module with %s open: %s\n",
		vcpu_abort_dev_path(), strerror(-ret));
	EXPECT_TRUE(module_loaded());
	/* Still fully working. */
	EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD,
		  do_ioctl(_metadata, dev, VCPU_ABORT_IOC_ABORT, &self->vm[0]));
	EXPECT_EQ(VCPU_ABORT_KIND_NONE,
		  do_ioctl(_metadata, dev, VCPU_ABORT_IOC_QUERY, &self->vm[0]));
	close(dev);
	expect_kmsg_clean(_metadata, self->problems);
}

/* Through netlink, with the VM's fd: the policy of one VM. */
static void set_policy(struct __test_metadata *_metadata, struct tvm *t,
		       uint32_t policy)
{
	struct vcpu_abort_nl nl;

	ASSERT_EQ(0, vcpu_abort_nl_open(&nl)) TH_LOG("%s", nl.err);
	EXPECT_EQ(0, vcpu_abort_nl_set_policy(&nl, t->vm.fd, 0, policy, NULL))
		TH_LOG("%s", nl.err);
	vcpu_abort_nl_close(&nl);
}

static uint32_t get_policy(struct __test_metadata *_metadata, struct tvm *t)
{
	struct vcpu_abort_nl nl;
	uint32_t policy = VCPU_ABORT_POLICY_COUNT;

	if (vcpu_abort_nl_open(&nl)) {
		TH_LOG("%s", nl.err);
		vcpu_abort_nl_close(&nl);
		return policy;
	}
	EXPECT_EQ(0, vcpu_abort_nl_get_policy(&nl, t->vm.fd, 0, &policy, NULL))
		TH_LOG("%s", nl.err);
	vcpu_abort_nl_close(&nl);
	return policy;
}

TEST_F_TIMEOUT(reload, unload_with_vms_then_reload_and_abort, 180)
{
	struct tvm *live = &self->vm[0], *counted = &self->vm[1];
	struct tvm *held = &self->vm[2];
	struct race_result res;
	struct race_regs to;
	unsigned int wrote;
	char how[160];
	int dev, held_fd, seen, hooks;

	if (skip_without_ko(_metadata, self->why))
		return;
	dev = vcpu_abort_open();
	ASSERT_LE(0, dev);

	/* live: a pending load the module never touched. */
	pending_vm(_metadata, live);
	/* counted: aborted once (a statistics entry), pending again. */
	pending_vm(_metadata, counted);
	EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD,
		  do_ioctl(_metadata, dev, VCPU_ABORT_IOC_ABORT, counted));
	pending_again(_metadata, counted);
	/* held: aborted (a statistics entry), then every file closed. */
	pending_vm(_metadata, held);
	EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD,
		  do_ioctl(_metadata, dev, VCPU_ABORT_IOC_ABORT, held));
	held_fd = held->vm_fd_nr;
	seen = kvm_debugfs_vm_exists(held_fd);
	tvm_destroy(held);
	close(dev);
	/* The live VMs have a policy on: their hooks go with the module. */
	hooks = race_abort_policy_hooks_on(how, sizeof(how));
	if (hooks) {
		set_policy(_metadata, live, VCPU_ABORT_POLICY_RESET);
		set_policy(_metadata, counted, VCPU_ABORT_POLICY_ALWAYS);
	} else {
		fprintf(stderr, "# no policies set: %s\n", how);
	}

	ASSERT_EQ(0, unload())
		TH_LOG("delete_module with VMs alive, %s closed (refcnt %s)",
		       vcpu_abort_dev_path(), module_refcount());
	EXPECT_FALSE(module_loaded());
	EXPECT_TRUE(wait_dev(false))
		TH_LOG("%s still there after the unload", vcpu_abort_dev_path());
	if (seen == 1) {
		EXPECT_EQ(0, kvm_debugfs_wait_vm_gone(held_fd, 30000))
			TH_LOG("a VM whose files were all closed outlived the unload");
	} else {
		fprintf(stderr, "# VM destruction not observable in KVM's debugfs\n");
	}

	/* The VMs do not care: KVM keeps their state and pending loads. */
	dev = load_again(_metadata, self->ko);
	ASSERT_LE(0, dev);
	/* A new module knows nothing of them: the default policy applies. */
	if (hooks)
		EXPECT_EQ(VCPU_ABORT_POLICY_OFF, get_policy(_metadata, live));
	EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD,
		  do_ioctl(_metadata, dev, VCPU_ABORT_IOC_QUERY, live));
	EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD,
		  do_ioctl(_metadata, dev, VCPU_ABORT_IOC_QUERY, counted));
	EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD,
		  do_ioctl(_metadata, dev, VCPU_ABORT_IOC_ABORT, counted));
	EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD,
		  do_ioctl(_metadata, dev, VCPU_ABORT_IOC_ABORT, live));

	/* And the abort by the new module really discarded it. */
	ASSERT_EQ(0, arch_reset(&live->vcpu[0], arch_resets[0], &to, &wrote,
				how, sizeof(how))) TH_LOG("%s", live->vm.err);
	ASSERT_EQ(0, run_after_reset(&live->vcpu[0], &load_case, &to, &res))
		TH_LOG("%s", live->vm.err);
	EXPECT_EQ(0, res.clobbered) TH_LOG("%s", res.resume_desc);
	EXPECT_EQ(RACE_RESUME_RESET, res.resume) TH_LOG("%s", res.resume_desc);
	EXPECT_EQ(0, res.resume_offset);
	close(dev);
	expect_kmsg_clean(_metadata, self->problems);
}

TEST_F_TIMEOUT(reload, reload_repeatedly, 300)
{
	int rounds = env_long("VCPU_ABORT_RELOAD_ROUNDS", 5), i, dev;

	if (skip_without_ko(_metadata, self->why))
		return;
	pending_vm(_metadata, &self->vm[0]);
	for (i = 0; i < rounds; i++) {
		ASSERT_EQ(0, unload()) TH_LOG("round %d (refcnt %s)", i,
					      module_refcount());
		ASSERT_FALSE(module_loaded());
		dev = load_again(_metadata, self->ko);
		ASSERT_LE(0, dev);
		EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD,
			  do_ioctl(_metadata, dev, VCPU_ABORT_IOC_ABORT,
				   &self->vm[0])) TH_LOG("round %d", i);
		EXPECT_EQ(VCPU_ABORT_KIND_NONE,
			  do_ioctl(_metadata, dev, VCPU_ABORT_IOC_QUERY,
				   &self->vm[0])) TH_LOG("round %d", i);
		close(dev);
		pending_again(_metadata, &self->vm[0]);
	}
	expect_kmsg_clean(_metadata, self->problems);
}

TEST_F_TIMEOUT(reload, policy_refused_while_ftrace_off, 180)
{
	struct tvm *t = &self->vm[0];
	struct vcpu_abort_nl_hooks h;
	struct vcpu_abort_nl nl;
	bool ftrace_hooks, kprobes_dead;
	unsigned int mechanisms;
	int ret, dev;

	if (skip_without_ko(_metadata, self->why))
		return;
	ASSERT_EQ(0, unload()) TH_LOG("refcnt %s", module_refcount());
	ret = write_switch(FTRACE_ENABLED, "0");
	if (ret) {
		ASSERT_EQ(0, load(self->ko));
		SKIP(return, "%s: %s", FTRACE_ENABLED, strerror(-ret));
	}
	self->ftrace_off = true;
	/*
	 * The VM destruction hook falls back to a kretprobe (the log says
	 * so). Where kprobes cannot reach the function's entry either
	 * (riscv 6.12: its ftrace site), nothing would see a VM go: the
	 * module refuses to load.
	 */
	ret = load(self->ko);
	if (ret) {
		ASSERT_EQ(0, write_switch(FTRACE_ENABLED, "1"));
		self->ftrace_off = false;
		ASSERT_EQ(0, load(self->ko));
		SKIP(return, "%s with ftrace off: %s (no hook would see a VM go)",
		     self->ko, strerror(-ret));
	}
	ASSERT_TRUE(wait_dev(true));
	pending_vm(_metadata, t);
	ASSERT_EQ(0, vcpu_abort_nl_open(&nl)) TH_LOG("%s", nl.err);
	ASSERT_EQ(0, vcpu_abort_nl_get_hooks(&nl, &h)) TH_LOG("%s", nl.err);
	mechanisms = policy_mechanisms(&h, VCPU_ABORT_POLICY_RESET);
	ftrace_hooks = mechanisms & 1U << VCPU_ABORT_HOOK_MECHANISM_FTRACE;
	/*
	 * x86's kprobes sit on ftrace sites, which ftrace off leaves dead:
	 * the module's canary kprobe sees that (kprobes_disarmed).
	 */
	kprobes_dead = mechanisms_need_kprobes(mechanisms) &&
		       h.kprobes_disarmed;
	ret = vcpu_abort_nl_set_policy(&nl, t->vm.fd, 0,
				       VCPU_ABORT_POLICY_RESET, NULL);
	fprintf(stderr, "# ftrace off, hooks of policy reset by%s%s%s: SET_POLICY %s\n",
		ftrace_hooks ? " ftrace" : "",
		mechanisms_need_kprobes(mechanisms) ? " kprobes" : "",
		kprobes_dead ? " (dead)" : "", ret ? nl.err : "served");
	if (kprobes_dead) {
		/* Refused before arming: nothing would see a write. */
		EXPECT_EQ(-EOPNOTSUPP, ret) TH_LOG("%s", nl.err);
		EXPECT_EQ(VCPU_ABORT_POLICY_OFF, get_policy(_metadata, t));
	} else if (ftrace_hooks) {
		EXPECT_EQ(-EBUSY, ret);
		EXPECT_TRUE(strstr(nl.err, "ftrace_enabled")) TH_LOG("%s", nl.err);
		EXPECT_EQ(VCPU_ABORT_POLICY_OFF, get_policy(_metadata, t));
	} else {
		EXPECT_EQ(0, ret) TH_LOG("%s", nl.err);
	}
	/* Nothing was lost: the load is still pending. */
	dev = vcpu_abort_open();
	ASSERT_LE(0, dev);
	EXPECT_EQ(VCPU_ABORT_KIND_MMIO_LOAD,
		  do_ioctl(_metadata, dev, VCPU_ABORT_IOC_QUERY, t));
	close(dev);

	/* ftrace on again: served. */
	ASSERT_EQ(0, write_switch(FTRACE_ENABLED, "1"));
	self->ftrace_off = false;
	EXPECT_EQ(0, vcpu_abort_nl_set_policy(&nl, t->vm.fd, 0,
					      VCPU_ABORT_POLICY_RESET, NULL))
		TH_LOG("%s", nl.err);
	EXPECT_EQ(VCPU_ABORT_POLICY_RESET, get_policy(_metadata, t));
	EXPECT_EQ(0, vcpu_abort_nl_set_policy(&nl, t->vm.fd, 0,
					      VCPU_ABORT_POLICY_OFF, NULL))
		TH_LOG("%s", nl.err);
	vcpu_abort_nl_close(&nl);
	tvm_destroy(t);
	/* Back to a module whose VM destruction hook is ftrace's. */
	ASSERT_EQ(0, unload()) TH_LOG("refcnt %s", module_refcount());
	dev = load_again(_metadata, self->ko);
	if (dev >= 0)
		close(dev);
	expect_kmsg_clean(_metadata, self->problems);
}

/* Without KVM or the module every test here is a skip. */
int main(int argc, char **argv)
{
	test_require(TEST_NEEDS_KVM | TEST_NEEDS_MODULE);
	return test_harness_run(argc, argv);
}
