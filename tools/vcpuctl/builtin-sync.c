// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl sync: the PC-kept state sync. The vCPU stops in a pending exit
 * (an MMIO load by default), the VMM answers it and then writes one
 * unrelated register without moving the PC, as a VMM that syncs its
 * register state around an exit does, and enters again with
 * immediate_exit. With the policy "reset" (or "off") the completion must
 * still land and the written register must keep its value; with "always"
 * the completion must be gone and every register as written.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/abort.h>
#include <vcpuctl/genl.h>
#include <vcpuctl/kvm.h>
#include <vcpuctl/race.h>
#include <vcpuctl/sync.h>
#include <vcpuctl/vcpu-abort.h>

#include "builtin.h"

/* A guest that does not exit is interrupted (KVM_RUN fails with EINTR). */
#define SYNC_TIMEOUT_S	10

enum sync_outcome {
	SYNC_KEPT,	/* the completion ran: registers as arch_sync_kept() */
	SYNC_GONE,	/* it did not: registers as written */
	SYNC_OTHER,	/* neither */
};

static const char *const outcome_names[] = {
	[SYNC_KEPT] = "kept", [SYNC_GONE] = "discarded", [SYNC_OTHER] = "neither",
};

struct sync_result {
	enum race_exit exit;
	int policy;			/* VCPU_ABORT_POLICY_* */
	enum race_status status;
	int module;			/* the policy was set through the module */
	uint32_t vm_id;
	char reason[VM_ERR_LEN];
	char pending[160];		/* the exit and our answer */
	char write[160];		/* the sync write */
	char after_write[160];		/* QUERY after the write, if the module is there */
	int other;			/* the register the write changed */
	struct race_regs at_exit, written, after, kept;
	unsigned int checked;		/* registers that tell "kept" */
	enum sync_outcome outcome, expected;
	/* The module's count for the VM (GET_STATS), with the module only. */
	uint64_t n_kept, n_discarded, want_kept, want_discarded;
};

static void sync_usage(FILE *f)
{
	int i;

	fprintf(f,
"usage: vcpuctl sync [--exit E] [--policy off|reset|always]\n"
"       vcpuctl sync --all [--exit E] [--policy P]\n"
"\n"
"The PC-kept state sync: the vCPU stops in a pending exit, the VMM answers\n"
"it, writes one unrelated register without moving the PC, and enters again\n"
"(KVM_RUN with immediate_exit=1: the completion runs, the guest does not).\n"
"With the policy reset (or off) the completion must be kept: the loaded\n"
"value lands, the PC moves past the instruction, the written register keeps\n"
"its value. With always it must be gone: every register as written.\n"
"\n"
"  -e, --exit E    the pending exit (%s:", arch_name);
	for (i = 0; i < arch_nr_sync_exits; i++)
		fprintf(f, " %s", race_exit_name(arch_sync_exits[i].exit));
	fprintf(f, "); default %s\n"
"  -p, --policy P  the VM's vcpu_abort policy, set with netlink SET_POLICY:\n"
"                  off, reset (default) or always. off also runs without the\n"
"                  module (upstream KVM)\n"
"  -A, --all       every exit above with reset and always (or --policy), one\n"
"                  table\n"
"\n"
"exit codes: 0 every outcome as expected, 1 an outcome differs or an error,\n"
"2 bad command line, 4 skipped (vcpu_abort module not loaded, the kernel\n"
"lacks what the exit needs, or no KVM device).\n",
		race_exit_name(arch_sync_exits[0].exit));
}

static void on_alarm(int sig)
{
	(void)sig;	/* only to interrupt KVM_RUN */
}

static int sync_run(struct vcpu *vcpu, int immediate)
{
	int ret;

	alarm(SYNC_TIMEOUT_S);
	vcpu->run->immediate_exit = immediate;
	ret = ioctl(vcpu->fd, KVM_RUN, NULL);
	vcpu->run->immediate_exit = 0;
	alarm(0);
	return ret < 0 ? -errno : 0;
}

static int regs_equal(const struct race_regs *a, const struct race_regs *b,
		      unsigned int mask)
{
	int i;

	for (i = 0; i < arch_nr_regs; i++)
		if ((mask & (1u << i)) && a->val[i] != b->val[i])
			return 0;
	return 1;
}

struct sync_stats {
	uint32_t vm_id;
	const struct vcpu_abort_nl_stats *found;
	struct vcpu_abort_nl_stats st;
};

static int sync_stats_cb(const struct vcpu_abort_nl_stats *st, void *arg)
{
	struct sync_stats *s = arg;

	if (st->vm_id == s->vm_id) {
		s->st = *st;
		s->found = &s->st;
	}
	return 0;
}

/*
 * What the module counted for the VM: the sync write is the one register
 * write with something pending, so policy reset must have counted it
 * kept, always discarded, off neither. The module counts a moment after
 * the write (a worker), hence the wait for the expected numbers.
 */
static int sync_counts(struct vcpu_abort_nl *nl, struct sync_result *res)
{
	struct sync_stats s = { .vm_id = res->vm_id };
	int i, k, ret;

	res->want_kept = res->policy == VCPU_ABORT_POLICY_RESET;
	res->want_discarded = res->policy == VCPU_ABORT_POLICY_ALWAYS;
	for (i = 0; i < 100; i++) {
		s.found = NULL;
		ret = vcpu_abort_nl_stats(nl, sync_stats_cb, &s);
		if (ret)
			return ret;
		if (!s.found)
			return -ENOENT;
		res->n_kept = s.st.kept;
		res->n_discarded = 0;
		for (k = 0; k < VCPU_ABORT_TRIGGER_COUNT; k++)
			res->n_discarded += s.st.trigger[k];
		if (res->n_kept == res->want_kept &&
		    res->n_discarded == res->want_discarded)
			break;
		usleep(20000);
	}
	return 0;
}

static bool sync_counts_ok(const struct sync_result *res)
{
	return !res->module || (res->n_kept == res->want_kept &&
				res->n_discarded == res->want_discarded);
}

/* The body of one check; 0, or -errno with vm->err set. */
static int sync_body(struct vm *vm, struct vcpu *vcpu, struct sync_result *res,
		     struct vcpu_abort_nl *nl)
{
	struct race_case c = {
		.exit = res->exit, .reset = arch_resets[0],
		.entry = RACE_ENTRY_IMMEDIATE,
	};
	struct vcpu_abort_report report;
	unsigned int all = (1u << arch_nr_regs) - 1;
	char what[128];
	int ret;

	vm->step = "set the policy";
	if (nl) {
		ret = vcpu_abort_nl_set_policy(nl, vm->fd, 0, res->policy,
					       &res->vm_id);
		if (ret)
			return vm_error(vm, -ret, "%s", nl->err);
	}
	vm->step = "set up the VM";
	if (arch_vm_setup(vm, &c))
		return -vm->err_errno;
	vm->step = "create the vCPU";
	if (vcpu_create(vm, vcpu, 0))
		return -vm->err_errno;
	vm->step = "set up the vCPU";
	if (arch_vcpu_setup(vcpu, &c))
		return -vm->err_errno;

	vm->step = "first KVM_RUN (to the pending exit)";
	ret = sync_run(vcpu, 0);
	if (ret)
		return vm_error(vm, -ret, "KVM_RUN: %s", strerror(-ret));
	vm->step = "check and answer the pending exit";
	ret = arch_answer_exit(vcpu, &c, res->pending, sizeof(res->pending));
	if (!ret) {
		vm->step = "read registers at the pending exit";
		ret = arch_read_regs(vcpu, &res->at_exit);
	}
	if (!ret) {
		vm->step = "the sync write";
		ret = arch_sync_write(vcpu, &res->other, res->write,
				      sizeof(res->write));
	}
	if (!ret) {
		vm->step = "read registers after the write";
		ret = arch_read_regs(vcpu, &res->written);
	}
	if (ret)
		return ret;
	arch_sync_kept(vcpu, res->exit, &res->written, &res->kept,
		       &res->checked);

	if (nl) {
		vm->step = "QUERY after the write";
		ret = vcpu_abort_nl_query(nl, VCPU_ABORT_CMD_QUERY, vcpu->fd, 0,
					  &report);
		if (ret)
			return vm_error(vm, -ret, "%s", nl->err);
		vcpu_abort_describe(&report, what, sizeof(what));
		snprintf(res->after_write, sizeof(res->after_write), "%s", what);
	}

	vm->step = "next KVM_RUN with immediate_exit=1";
	ret = sync_run(vcpu, 1);
	if (ret != -EINTR)
		return vm_error(vm, ret ? -ret : EPROTO,
				"KVM_RUN: %s instead of failing with EINTR",
				ret ? strerror(-ret) : "returned 0");
	vm->step = "read registers after KVM_RUN";
	ret = arch_read_regs(vcpu, &res->after);
	if (ret)
		return ret;

	if (regs_equal(&res->after, &res->kept, res->checked))
		res->outcome = SYNC_KEPT;
	else if (regs_equal(&res->after, &res->written, all))
		res->outcome = SYNC_GONE;
	else
		res->outcome = SYNC_OTHER;

	if (nl) {
		vm->step = "GET_STATS of the VM";
		ret = sync_counts(nl, res);
		if (ret)
			return vm_error(vm, -ret, "GET_STATS: %s",
					ret == -ENOENT ? "no entry for the VM" :
					nl->err);
	}
	return 0;
}

static enum race_status sync_check(enum race_exit exit, int policy,
				   struct sync_result *res)
{
	struct race_case c = { .exit = exit, .reset = arch_resets[0] };
	struct vcpu_abort_nl nl;
	struct vcpu vcpu = { 0 };
	struct vm vm;
	int ret;

	memset(res, 0, sizeof(*res));
	res->exit = exit;
	res->policy = policy;
	res->vm_id = VCPU_ABORT_NL_NO_VM;
	res->expected = policy == VCPU_ABORT_POLICY_ALWAYS ? SYNC_GONE :
							     SYNC_KEPT;
	res->status = RACE_ERROR;

	ret = vcpu_abort_nl_open(&nl);
	if (ret && (ret != -ENOENT || policy != VCPU_ABORT_POLICY_OFF)) {
		snprintf(res->reason, sizeof(res->reason), "%s", nl.err);
		vcpu_abort_nl_close(&nl);
		res->status = ret == -ENOENT ? RACE_SKIP : RACE_ERROR;
		return res->status;
	}
	res->module = !ret;
	if (res->module && policy != VCPU_ABORT_POLICY_OFF &&
	    !race_abort_policy_hooks_on(res->reason, sizeof(res->reason))) {
		vcpu_abort_nl_close(&nl);
		res->status = RACE_SKIP;
		return res->status;
	}

	if (vm_create(&vm, arch_vm_type()))
		goto out;
	vm.step = "probe capabilities";
	ret = arch_case_supported(&vm, &c, res->reason, sizeof(res->reason));
	if (ret <= 0) {
		res->status = ret ? RACE_ERROR : RACE_SKIP;
		goto out;
	}
	if (sync_body(&vm, &vcpu, res, res->module ? &nl : NULL))
		goto out;
	res->status = res->outcome == res->expected && sync_counts_ok(res) ?
		      RACE_PASS : RACE_FAIL;
out:
	if (res->status == RACE_ERROR && !res->reason[0])
		snprintf(res->reason, sizeof(res->reason), "%s",
			 vm.err[0] ? vm.err : "unknown error");
	if (vcpu.vm)
		vcpu_destroy(&vcpu);
	vm_destroy(&vm);
	vcpu_abort_nl_close(&nl);
	return res->status;
}

static const char *status_name(enum race_status st)
{
	switch (st) {
	case RACE_PASS: return "PASS";
	case RACE_FAIL: return "FAIL";
	case RACE_SKIP: return "SKIP";
	default: return "ERROR";
	}
}

static const char *exit_why(enum race_exit exit)
{
	int i;

	for (i = 0; i < arch_nr_sync_exits; i++)
		if (arch_sync_exits[i].exit == exit)
			return arch_sync_exits[i].why;
	return "";
}

static void print_one(const struct sync_result *res)
{
	char host[160];
	int i;

	arch_describe_host(host, sizeof(host));
	printf("vcpuctl sync: %s, exit %s, policy %s\n", arch_name,
	       race_exit_name(res->exit), vcpu_abort_policy_name(res->policy));
	printf("kvm:           %s\n", host);
	if (res->status == RACE_SKIP || res->status == RACE_ERROR) {
		if (res->pending[0])
			printf("pending exit:  %s\n", res->pending);
		printf("result: %s: %s\n", status_name(res->status), res->reason);
		return;
	}
	printf("pending exit:  %s\n", res->pending);
	if (res->module && res->vm_id != VCPU_ABORT_NL_NO_VM)
		printf("policy:        %s, set on this VM (vm %u) with SET_POLICY\n",
		       vcpu_abort_policy_name(res->policy), res->vm_id);
	else if (res->module)
		printf("policy:        %s, set on this VM with SET_POLICY\n",
		       vcpu_abort_policy_name(res->policy));
	else
		printf("policy:        none: vcpu_abort not loaded (upstream KVM, as off)\n");
	printf("sync write:    %s\n", res->write);
	if (res->module)
		printf("then pending:  %s\n", res->after_write);
	printf("next entry:    KVM_RUN with immediate_exit=1 (EINTR, the guest does not run)\n");
	printf("\n%-9s %-18s  %-18s  %-18s  %-18s  %s\n", "register",
	       "at the exit", "written", "after next KVM_RUN",
	       res->expected == SYNC_KEPT ? "completion kept" : "completion gone",
	       "verdict");
	for (i = 0; i < arch_nr_regs; i++) {
		const struct race_regs *exp = res->expected == SYNC_KEPT ?
					      &res->kept : &res->written;
		int checked = res->expected == SYNC_GONE ||
			      (res->checked & (1u << i));

		printf("%-9s 0x%016llx  0x%016llx%c 0x%016llx  0x%016llx  %s\n",
		       arch_reg_names[i],
		       (unsigned long long)res->at_exit.val[i],
		       (unsigned long long)res->written.val[i],
		       i == res->other ? '*' : ' ',
		       (unsigned long long)res->after.val[i],
		       (unsigned long long)exp->val[i],
		       !checked ? "not checked" :
		       exp->val[i] == res->after.val[i] ? "ok" : "WRONG");
	}
	printf("(* changed by the sync write; the PC is kept)\n\n");
	printf("completion:    %s (expected %s)\n", outcome_names[res->outcome],
	       outcome_names[res->expected]);
	printf("kernel:        %s\n", exit_why(res->exit));
	if (res->module)
		printf("module count:  kept %llu, discarded %llu (expected %llu, %llu)\n",
		       (unsigned long long)res->n_kept,
		       (unsigned long long)res->n_discarded,
		       (unsigned long long)res->want_kept,
		       (unsigned long long)res->want_discarded);
	if (res->status == RACE_PASS)
		printf("result: PASS (every register and count as expected)\n");
	else if (res->outcome != res->expected)
		printf("result: FAIL (the completion was %s, expected %s)\n",
		       outcome_names[res->outcome],
		       outcome_names[res->expected]);
	else
		printf("result: FAIL (the module's counts differ)\n");
}

static int status_exit(enum race_status st)
{
	switch (st) {
	case RACE_PASS: return VCPUCTL_EXIT_OK;
	case RACE_SKIP: return VCPUCTL_EXIT_SKIP;
	default: return VCPUCTL_EXIT_FAIL;
	}
}

static int run_all(int exit_filter, int policy_filter)
{
	static const int policies[] = {
		VCPU_ABORT_POLICY_RESET, VCPU_ABORT_POLICY_ALWAYS,
		VCPU_ABORT_POLICY_OFF,
	};
	int e, p, nr = 0, pass = 0, fail = 0, skip = 0;
	struct sync_result res;
	const char *reason;
	char host[160];

	arch_describe_host(host, sizeof(host));
	printf("vcpuctl sync --all: %s, kvm %s\n", arch_name, host);
	printf("a PC-kept register write after the exit, then KVM_RUN with immediate_exit=1\n");
	printf("checked: the registers after KVM_RUN and, with the module, its kept and discarded counts of the VM\n");
	printf("%3s  %-10s %-7s %-10s %-10s %-6s %s\n", "#", "exit", "policy",
	       "completion", "expected", "result", "reason");
	for (e = 0; e < arch_nr_sync_exits; e++) {
		if (exit_filter >= 0 && exit_filter != (int)arch_sync_exits[e].exit)
			continue;
		for (p = 0; p < 3; p++) {
			/* off only when asked: it is upstream KVM, as reset */
			if (policy_filter >= 0 ? policy_filter != policies[p] :
			    policies[p] == VCPU_ABORT_POLICY_OFF)
				continue;
			sync_check(arch_sync_exits[e].exit, policies[p], &res);
			nr++;
			reason = res.status == RACE_PASS ? NULL :
				 res.status != RACE_FAIL ? res.reason :
				 res.outcome != res.expected ?
				 "registers differ: see vcpuctl sync --exit E --policy P" :
				 "the module's kept/discarded counts differ: see vcpuctl sync --exit E --policy P";
			printf("%3d  %-10s %-7s %-10s %-10s ", nr,
			       race_exit_name(res.exit),
			       vcpu_abort_policy_name(res.policy),
			       res.status == RACE_PASS || res.status == RACE_FAIL ?
			       outcome_names[res.outcome] : "-",
			       outcome_names[res.expected]);
			if (reason)
				printf("%-6s %s\n", status_name(res.status),
				       reason);
			else
				printf("%s\n", status_name(res.status));
			fflush(stdout);
			if (res.status == RACE_PASS)
				pass++;
			else if (res.status == RACE_SKIP)
				skip++;
			else
				fail++;
		}
	}
	printf("\nwhat a kept completion does after the write, from the kernel source:\n");
	for (e = 0; e < arch_nr_sync_exits; e++)
		printf("  %-10s %s\n", race_exit_name(arch_sync_exits[e].exit),
		       arch_sync_exits[e].why);
	printf("\nsync: %d passed, %d failed, %d skipped\n", pass, fail, skip);
	if (fail)
		return VCPUCTL_EXIT_FAIL;
	return nr && skip == nr ? VCPUCTL_EXIT_SKIP : VCPUCTL_EXIT_OK;
}

int cmd_sync(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "exit", required_argument, NULL, 'e' },
		{ "policy", required_argument, NULL, 'p' },
		{ "all", no_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa = { .sa_handler = on_alarm };
	int opt, all = 0, exit = -1, policy = -1, i, ok;
	struct sync_result res;
	char why[VM_ERR_LEN];
	int fd;

	while ((opt = getopt_long(argc, argv, "e:p:Ah", opts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			exit = race_exit_parse(optarg);
			for (i = 0, ok = 0; i < arch_nr_sync_exits; i++)
				ok |= exit >= 0 &&
				      arch_sync_exits[i].exit == (enum race_exit)exit;
			if (!ok) {
				fprintf(stderr, "vcpuctl sync: exit '%s' is not one of this arch's sync exits\n\n",
					optarg);
				sync_usage(stderr);
				return VCPUCTL_EXIT_USAGE;
			}
			break;
		case 'p':
			policy = vcpu_abort_policy_parse(optarg);
			if (policy < 0) {
				fprintf(stderr, "vcpuctl sync: bad --policy '%s'\n\n",
					optarg);
				sync_usage(stderr);
				return VCPUCTL_EXIT_USAGE;
			}
			break;
		case 'A':
			all = 1;
			break;
		case 'h':
			sync_usage(stdout);
			return VCPUCTL_EXIT_OK;
		default:
			sync_usage(stderr);
			return VCPUCTL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vcpuctl sync: unexpected argument '%s'\n\n",
			argv[optind]);
		sync_usage(stderr);
		return VCPUCTL_EXIT_USAGE;
	}

	fd = kvm_open_dev(why, sizeof(why));
	if (fd < 0) {
		fprintf(stderr, "vcpuctl sync: %s\n", why);
		return VCPUCTL_EXIT_SKIP;
	}
	close(fd);
	/* No SA_RESTART: the alarm must interrupt KVM_RUN. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	if (all)
		return run_all(exit, policy);
	sync_check(exit >= 0 ? (enum race_exit)exit : arch_sync_exits[0].exit,
		   policy >= 0 ? policy : VCPU_ABORT_POLICY_RESET, &res);
	print_one(&res);
	return status_exit(res.status);
}
