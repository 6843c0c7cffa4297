// SPDX-License-Identifier: GPL-2.0
/*
 * What the policies stand on, as VCPU_ABORT_CMD_GET_HOOKS (`vcpuctl info`)
 * shows it and the kernel's own kprobes list and ftrace's enabled
 * functions confirm it (issue 12, findings 3 and 7; issue 13):
 *
 *  - every hook of the arch is READY on this kernel: a policy never runs
 *    half blind; where ftrace hooks the VM destruction, no hook is an
 *    entry kprobe (entry-decided hooks are ftrace callbacks there);
 *  - the hooks are armed only while some policy other than off is in
 *    effect (at once when one is set), and disarmed again when none is
 *    (a second later: Documentation/hooks.rst);
 *  - with kprobes disarmed system-wide (debugfs kprobes/enabled = 0) a
 *    policy that needs a kprobe or kretprobe would not see a register
 *    write: SET_POLICY reset and always are refused with EOPNOTSUPP and a
 *    message naming kprobes, off is still accepted, and GET_HOOKS says
 *    kprobes_disarmed. A policy whose hooks are all ftrace callbacks is
 *    served all the same;
 *  - a VM destroyed while kprobes are disarmed still loses its entry: a
 *    new VM, at the same address or not, starts with the default policy
 *    and a number of its own, never the dead VM's.
 *
 * The tests that disarm kprobes restore debugfs kprobes/enabled in the
 * fixture's teardown, which the harness runs after a failed assertion
 * too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/genl.h>

#include "kselftest_harness.h"
#include "testutil.h"

#define KPROBES_ENABLED	"/sys/kernel/debug/kprobes/enabled"
#define KPROBES_LIST	"/sys/kernel/debug/kprobes/list"
#define FTRACE_ENABLED_FUNCTIONS "/sys/kernel/debug/tracing/enabled_functions"

/*
 * Caps, generous for nested KVM under TCG on a loaded machine: how long
 * the module's worker may take to disarm the probes after the last VM
 * with a policy went, and how long the address-reuse rounds may run (they
 * are bounded by a count otherwise).
 */
#define DISARM_TIMEOUT_MS	60000
#define REUSE_CAP_S		120ULL

/* A VM with no vCPU: enough for a policy, and quick to make. */
static int bare_vm(struct vm *vm, char *why, size_t len)
{
	int ret = vm_create(vm, arch_vm_type());

	if (ret)
		snprintf(why, len, "%s", vm->err);
	return ret;
}

FIXTURE(policy_hooks) {
	struct vcpu_abort_nl nl;
	bool nl_open;
	int problems;
	bool disarmed;		/* we wrote 0 to kprobes/enabled */
};

FIXTURE_SETUP(policy_hooks)
{
	int ret;

	self->problems = kmsg_problems(NULL, 0);
	self->disarmed = false;
	ret = vcpu_abort_nl_open(&self->nl);
	self->nl_open = !ret;
	if (ret == -ENOENT)
		SKIP(return, "%s", self->nl.err);
	ASSERT_EQ(0, ret) TH_LOG("%s", self->nl.err);
}

FIXTURE_TEARDOWN(policy_hooks)
{
	if (self->disarmed && write_switch(KPROBES_ENABLED, "1"))
		fprintf(stderr, "# could not re-arm kprobes: write 1 to %s\n",
			KPROBES_ENABLED);
	if (self->nl_open)
		vcpu_abort_nl_close(&self->nl);
}

/*
 * Whether the test must stop: a SKIP unless kprobes can be disarmed here
 * (root, debugfs, armed now).
 */
static bool skip_without_kprobes_switch(struct __test_metadata *_metadata)
{
	char v[8] = "";
	int fd = open(KPROBES_ENABLED, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		SKIP(return true, "%s: %s (needs root and debugfs)",
		     KPROBES_ENABLED, strerror(errno));
	if (read(fd, v, sizeof(v) - 1) < 0)
		v[0] = '\0';
	close(fd);
	if (v[0] != '1')
		SKIP(return true, "kprobes are disarmed system-wide already (%s)",
		     KPROBES_ENABLED);
	return false;
}

static int disarm_kprobes(struct _test_data_policy_hooks *self)
{
	int ret = write_switch(KPROBES_ENABLED, "0");

	if (!ret)
		self->disarmed = true;
	return ret;
}

static int rearm_kprobes(struct _test_data_policy_hooks *self)
{
	int ret = write_switch(KPROBES_ENABLED, "1");

	if (!ret)
		self->disarmed = false;
	return ret;
}

static void log_hooks(const struct vcpu_abort_nl_hooks *h)
{
	unsigned int i;

	fprintf(stderr, "# armed %u, kprobes disarmed %u, VM destruction by %s\n",
		h->armed, h->kprobes_disarmed,
		h->destroy_hook == VCPU_ABORT_DESTROY_HOOK_FTRACE ? "ftrace" :
		"kprobe");
	for (i = 0; i < h->nr; i++)
		fprintf(stderr, "# hook %-36s %-8s by %-9s errno %u policies %#x trigger %s\n",
			h->hook[i].symbol,
			vcpu_abort_hook_state_name(h->hook[i].state),
			vcpu_abort_hook_mechanism_name(h->hook[i].mechanism),
			h->hook[i].err, h->hook[i].policies,
			vcpu_abort_trigger_name(h->hook[i].trigger));
}

/* Whether a READY hook is a kprobe or kretprobe, which kprobes/enabled blinds. */
static bool hook_is_kprobe(const struct vcpu_abort_nl_hook *hook)
{
	return hook->state == VCPU_ABORT_HOOK_STATE_READY &&
	       mechanisms_need_kprobes(1U << hook->mechanism);
}

TEST_F(policy_hooks, every_hook_ready)
{
	struct vcpu_abort_nl_hooks h;
	unsigned int i, needed = 0;

	ASSERT_EQ(0, vcpu_abort_nl_get_hooks(&self->nl, &h))
		TH_LOG("%s", self->nl.err);
	log_hooks(&h);
	ASSERT_LT(0, h.nr) TH_LOG("the module lists no hook for this arch");
	for (i = 0; i < h.nr; i++) {
		EXPECT_EQ(VCPU_ABORT_HOOK_STATE_READY, h.hook[i].state)
			TH_LOG("%s is %s (errno %u): the policies that need it are refused",
			       h.hook[i].symbol,
			       vcpu_abort_hook_state_name(h.hook[i].state),
			       h.hook[i].err);
		needed |= h.hook[i].policies;
	}
	/* Both policies need hooks, off none. */
	EXPECT_EQ(1U << VCPU_ABORT_POLICY_RESET | 1U << VCPU_ABORT_POLICY_ALWAYS,
		  needed);
	EXPECT_EQ(0, h.kprobes_disarmed);
	/*
	 * Where the module's ftrace callbacks see a function's arguments
	 * (they do for the VM destruction), an entry-decided hook is one of
	 * them, not a kprobe's trap (Documentation/hooks.rst).
	 */
	if (h.destroy_hook != VCPU_ABORT_DESTROY_HOOK_FTRACE)
		return;
	for (i = 0; i < h.nr; i++)
		EXPECT_NE(VCPU_ABORT_HOOK_MECHANISM_KPROBE, h.hook[i].mechanism)
			TH_LOG("%s is decided on entry by a kprobe, where ftrace could",
			       h.hook[i].symbol);
}

/*
 * How the kernel's kprobes list shows the probe on sym: 1 armed, 0
 * disarmed ("[DISABLED]"), -ENOENT not listed, -errno if the list cannot
 * be read. Probes are listed as "<addr>  <type>  <sym>+0x<off>  [mod]
 * [flags]".
 */
static int kprobe_listed_armed(const char *sym)
{
	char line[512], pat[160];
	int ret = -ENOENT;
	FILE *f = fopen(KPROBES_LIST, "re");

	if (!f)
		return -errno;
	snprintf(pat, sizeof(pat), " %s+0x", sym);
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, pat))
			continue;
		ret = !strstr(line, "[DISABLED]");
		break;
	}
	fclose(f);
	return ret;
}

/*
 * How ftrace's enabled functions show a callback on sym: 1 listed (some
 * ftrace_ops is on it), 0 not listed, -errno if the list cannot be read.
 * Lines are "<sym> [mod] (<count>) ...", "<sym> (<count>) ..." built in.
 */
static int ftrace_listed_armed(const char *sym)
{
	char line[512];
	size_t n = strlen(sym);
	int ret = 0;
	FILE *f = fopen(FTRACE_ENABLED_FUNCTIONS, "re");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, sym, n) && line[n] == ' ') {
			ret = 1;
			break;
		}
	}
	fclose(f);
	return ret;
}

/*
 * GET_HOOKS' armed, and the kernel's view of each READY hook (its kprobe
 * in kprobes/list, its ftrace callback in enabled_functions): the same.
 * 0, or the first disagreement in why.
 */
static int check_armed(struct vcpu_abort_nl *nl, unsigned int want,
		       char *why, size_t len)
{
	struct vcpu_abort_nl_hooks h;
	unsigned int i;
	int ret;

	ret = vcpu_abort_nl_get_hooks(nl, &h);
	if (ret) {
		snprintf(why, len, "%s", nl->err);
		return ret;
	}
	if (h.armed != want) {
		snprintf(why, len, "GET_HOOKS says armed %u", h.armed);
		return -EPROTO;
	}
	for (i = 0; i < h.nr; i++) {
		if (h.hook[i].state != VCPU_ABORT_HOOK_STATE_READY)
			continue;
		if (!hook_is_kprobe(&h.hook[i])) {
			ret = ftrace_listed_armed(h.hook[i].symbol);
			/* No list to compare with: GET_HOOKS only. */
			if (ret < 0)
				return 0;
			if (ret != (int)want) {
				snprintf(why, len, "%s: %s is %s",
					 FTRACE_ENABLED_FUNCTIONS,
					 h.hook[i].symbol,
					 ret ? "listed" : "not listed");
				return -EPROTO;
			}
			continue;
		}
		ret = kprobe_listed_armed(h.hook[i].symbol);
		/* No list to compare with (no debugfs): GET_HOOKS only. */
		if (ret < 0 && ret != -ENOENT)
			return 0;
		if (ret != (int)want) {
			snprintf(why, len, "%s: the probe on %s is %s",
				 KPROBES_LIST, h.hook[i].symbol,
				 ret < 0 ? "not listed" :
				 ret ? "armed" : "[DISABLED]");
			return -EPROTO;
		}
	}
	return 0;
}

/* Waits up to DISARM_TIMEOUT_MS for check_armed(want) to hold. */
static int wait_armed(struct vcpu_abort_nl *nl, unsigned int want,
		      char *why, size_t len)
{
	uint64_t end = now_ns() + DISARM_TIMEOUT_MS * 1000000ULL;
	int ret;

	while ((ret = check_armed(nl, want, why, len)) == -EPROTO &&
	       now_ns() < end)
		sleep_us(20000);
	return ret;
}

static int default_policy(struct vcpu_abort_nl *nl, uint32_t *policy)
{
	return vcpu_abort_nl_get_policy(nl, -1, 0, policy, NULL);
}

TEST_F_TIMEOUT(policy_hooks, armed_only_while_a_policy_is_set, 300)
{
	char why[VM_ERR_LEN];
	uint32_t policy;
	struct vm vm;

	ASSERT_EQ(0, default_policy(&self->nl, &policy))
		TH_LOG("%s", self->nl.err);
	if (policy != VCPU_ABORT_POLICY_OFF)
		SKIP(return, "the module's default policy is %s: the probes stay armed",
		     vcpu_abort_policy_name(policy));

	/* VMs of earlier tests may still be on their way out. */
	ASSERT_EQ(0, wait_armed(&self->nl, 0, why, sizeof(why)))
		TH_LOG("with every policy off: %s", why);
	ASSERT_EQ(0, bare_vm(&vm, why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_EQ(0, check_armed(&self->nl, 0, why, sizeof(why)))
		TH_LOG("a VM without a policy: %s", why);

	/* Synchronous: armed when SET_POLICY returns. */
	ASSERT_EQ(0, vcpu_abort_nl_set_policy(&self->nl, vm.fd, 0,
					      VCPU_ABORT_POLICY_RESET, NULL))
		TH_LOG("%s", self->nl.err);
	EXPECT_EQ(0, check_armed(&self->nl, 1, why, sizeof(why)))
		TH_LOG("after SET_POLICY reset: %s", why);
	ASSERT_EQ(0, vcpu_abort_nl_set_policy(&self->nl, vm.fd, 0,
					      VCPU_ABORT_POLICY_OFF, NULL))
		TH_LOG("%s", self->nl.err);
	/* Disarmed a second later (hooks.rst), not at once. */
	EXPECT_EQ(0, wait_armed(&self->nl, 0, why, sizeof(why)))
		TH_LOG("%d s after SET_POLICY off: %s",
		       DISARM_TIMEOUT_MS / 1000, why);

	/* A VM that goes away with a policy stops needing the probes. */
	ASSERT_EQ(0, vcpu_abort_nl_set_policy(&self->nl, vm.fd, 0,
					      VCPU_ABORT_POLICY_ALWAYS, NULL))
		TH_LOG("%s", self->nl.err);
	EXPECT_EQ(0, check_armed(&self->nl, 1, why, sizeof(why)))
		TH_LOG("after SET_POLICY always: %s", why);
	vm_destroy(&vm);
	EXPECT_EQ(0, wait_armed(&self->nl, 0, why, sizeof(why)))
		TH_LOG("%d s after the VM with policy always went: %s",
		       DISARM_TIMEOUT_MS / 1000, why);
	expect_kmsg_clean(_metadata, self->problems);
}

/* strstr() of a message in nl->err, for TH_LOG. */
static bool says(const struct vcpu_abort_nl *nl, const char *what)
{
	return strstr(nl->err, what);
}

/*
 * SET_POLICY of fd (-1: the default) with kprobes disarmed: refused,
 * naming kprobes, if the policy needs a kprobe (h), else served.
 */
static void expect_served_unless_kprobes(struct __test_metadata *_metadata,
					 struct vcpu_abort_nl *nl,
					 const struct vcpu_abort_nl_hooks *h,
					 int fd, uint32_t policy)
{
	const char *what = fd < 0 ? "the default policy" : "SET_POLICY";
	int ret = vcpu_abort_nl_set_policy(nl, fd, 0, policy, NULL);

	if (!mechanisms_need_kprobes(policy_mechanisms(h, policy))) {
		EXPECT_EQ(0, ret)
			TH_LOG("%s %s with kprobes disarmed, its hooks all ftrace: %s",
			       what, vcpu_abort_policy_name(policy), nl->err);
		return;
	}
	EXPECT_EQ(-EOPNOTSUPP, ret)
		TH_LOG("%s %s with kprobes disarmed: %s", what,
		       vcpu_abort_policy_name(policy),
		       ret ? nl->err : "accepted");
	EXPECT_TRUE(says(nl, "kprobes")) TH_LOG("%s", nl->err);
}

TEST_F(policy_hooks, kprobes_disarmed_refuses_policies)
{
	struct vcpu_abort_nl_hooks h;
	char why[VM_ERR_LEN];
	uint32_t policy;
	struct vm vm;
	int ret;

	if (skip_without_kprobes_switch(_metadata))
		return;
	ASSERT_EQ(0, vcpu_abort_nl_get_hooks(&self->nl, &h))
		TH_LOG("%s", self->nl.err);
	ASSERT_EQ(0, bare_vm(&vm, why, sizeof(why))) TH_LOG("%s", why);
	ASSERT_EQ(0, disarm_kprobes(self));

	/*
	 * First what a VMM sees: a policy that needs a kprobe refused, with
	 * the reason; one whose hooks are all ftrace callbacks served.
	 */
	expect_served_unless_kprobes(_metadata, &self->nl, &h, vm.fd,
				     VCPU_ABORT_POLICY_RESET);
	expect_served_unless_kprobes(_metadata, &self->nl, &h, vm.fd,
				     VCPU_ABORT_POLICY_ALWAYS);
	expect_served_unless_kprobes(_metadata, &self->nl, &h, -1,
				     VCPU_ABORT_POLICY_RESET);
	EXPECT_EQ(0, vcpu_abort_nl_set_policy(&self->nl, -1, 0,
					      VCPU_ABORT_POLICY_OFF, NULL))
		TH_LOG("%s", self->nl.err);
	/* Off needs nothing: always accepted. */
	EXPECT_EQ(0, vcpu_abort_nl_set_policy(&self->nl, vm.fd, 0,
					      VCPU_ABORT_POLICY_OFF, NULL))
		TH_LOG("%s", self->nl.err);
	ASSERT_EQ(0, vcpu_abort_nl_get_policy(&self->nl, vm.fd, 0, &policy,
					      NULL)) TH_LOG("%s", self->nl.err);
	EXPECT_EQ(VCPU_ABORT_POLICY_OFF, policy);
	ASSERT_EQ(0, default_policy(&self->nl, &policy))
		TH_LOG("%s", self->nl.err);
	EXPECT_EQ(VCPU_ABORT_POLICY_OFF, policy);

	/* And what `vcpuctl info` shows. */
	ret = vcpu_abort_nl_get_hooks(&self->nl, &h);
	EXPECT_EQ(0, ret) TH_LOG("%s", self->nl.err);
	if (!ret) {
		log_hooks(&h);
		EXPECT_EQ(1, h.kprobes_disarmed);
	}

	/* Re-armed, the same request is served again. */
	ASSERT_EQ(0, rearm_kprobes(self));
	ret = vcpu_abort_nl_get_hooks(&self->nl, &h);
	EXPECT_EQ(0, ret) TH_LOG("%s", self->nl.err);
	if (!ret)
		EXPECT_EQ(0, h.kprobes_disarmed);
	EXPECT_EQ(0, vcpu_abort_nl_set_policy(&self->nl, vm.fd, 0,
					      VCPU_ABORT_POLICY_RESET, NULL))
		TH_LOG("%s", self->nl.err);
	EXPECT_EQ(0, vcpu_abort_nl_set_policy(&self->nl, vm.fd, 0,
					      VCPU_ABORT_POLICY_OFF, NULL))
		TH_LOG("%s", self->nl.err);
	vm_destroy(&vm);
	expect_kmsg_clean(_metadata, self->problems);
}

/*
 * Whether id is one of the n ids in ids.
 */
static bool seen(const uint32_t *ids, int n, uint32_t id)
{
	while (n--)
		if (ids[n] == id)
			return true;
	return false;
}

/*
 * VM A gets policy always; with kprobes disarmed, A is destroyed and B
 * made; kprobes re-armed, B must follow the default policy under a number
 * no earlier VM had. kvzalloc() hands B A's address nearly every round
 * (the module of before showed it in every one); x86's __vmalloc() of
 * 6.1 and 6.12 rarely does (a freed area comes back only after a lazy
 * purge), there the rounds are likely to pass whatever the module does.
 * VCPU_ABORT_REUSE_VMS rounds (50, at most 1000), or as many as fit in
 * REUSE_CAP_S.
 */
TEST_F_TIMEOUT(policy_hooks, destroyed_vm_entry_not_inherited, 300)
{
	int max = env_long("VCPU_ABORT_REUSE_VMS", 50), rounds = 0;
	uint64_t t0 = now_ns(), end = t0 + REUSE_CAP_S * 1000000000ULL;
	uint32_t ids[2 * 1000], id_a, id_b, policy_a, policy_b, dflt;
	int inherited = 0, first = -1, nr_ids = 0;
	struct vcpu_abort_nl_hooks h;
	char why[VM_ERR_LEN];
	struct vm a, b;

	if (skip_without_kprobes_switch(_metadata))
		return;
	if (!vcpu_abort_nl_get_hooks(&self->nl, &h) &&
	    h.destroy_hook != VCPU_ABORT_DESTROY_HOOK_FTRACE)
		SKIP(return, "%s",
		     "VM destruction is seen by a kprobe here (no ftrace hook): disarmed kprobes blind it, as documented");
	ASSERT_EQ(0, default_policy(&self->nl, &dflt)) TH_LOG("%s", self->nl.err);
	if (dflt == VCPU_ABORT_POLICY_ALWAYS)
		SKIP(return, "the module's default policy is always: B could not be told from A");

	if (max > 1000)
		max = 1000;
	while (rounds < max && (!rounds || now_ns() < end)) {
		/* A too is a new VM, made with kprobes armed. */
		ASSERT_EQ(0, bare_vm(&a, why, sizeof(why))) TH_LOG("%s", why);
		ASSERT_EQ(0, vcpu_abort_nl_get_policy(&self->nl, a.fd, 0,
						      &policy_a, &id_a))
			TH_LOG("round %d: %s", rounds, self->nl.err);
		if (policy_a != dflt || seen(ids, nr_ids, id_a)) {
			if (!inherited++)
				first = rounds;
			if (inherited <= 5)
				fprintf(stderr, "# round %d: new VM A got number %u, policy %s\n",
					rounds, id_a,
					vcpu_abort_policy_name(policy_a));
		}
		ASSERT_EQ(0, vcpu_abort_nl_set_policy(&self->nl, a.fd, 0,
						      VCPU_ABORT_POLICY_ALWAYS,
						      &id_a))
			TH_LOG("round %d: %s", rounds, self->nl.err);
		if (!seen(ids, nr_ids, id_a))
			ids[nr_ids++] = id_a;

		ASSERT_EQ(0, disarm_kprobes(self));
		vm_destroy(&a);
		ASSERT_EQ(0, bare_vm(&b, why, sizeof(why))) TH_LOG("%s", why);
		ASSERT_EQ(0, rearm_kprobes(self));

		ASSERT_EQ(0, vcpu_abort_nl_get_policy(&self->nl, b.fd, 0,
						      &policy_b, &id_b))
			TH_LOG("round %d: %s", rounds, self->nl.err);
		vm_destroy(&b);
		if (policy_b != dflt || seen(ids, nr_ids, id_b)) {
			if (!inherited++)
				first = rounds;
			if (inherited <= 5)
				fprintf(stderr,
					"# round %d: VM A was number %u with policy always; new VM B got number %u, policy %s\n",
					rounds, id_a, id_b,
					vcpu_abort_policy_name(policy_b));
		}
		if (!seen(ids, nr_ids, id_b))
			ids[nr_ids++] = id_b;
		rounds++;
	}
	fprintf(stderr, "# %d rounds in %llu ms: %d new VMs inherited a destroyed VM's entry\n",
		rounds, (unsigned long long)((now_ns() - t0) / 1000000),
		inherited);
	EXPECT_EQ(0, inherited)
		TH_LOG("%d of %d new VMs inherited a VM destroyed unseen (first: round %d)",
		       inherited, rounds, first);
	expect_kmsg_clean(_metadata, self->problems);
}

/* Without KVM or the module every test here is a skip. */
int main(int argc, char **argv)
{
	test_require(TEST_NEEDS_KVM | TEST_NEEDS_MODULE);
	return test_harness_run(argc, argv);
}
