// SPDX-License-Identifier: GPL-2.0
/*
 * The state-sync engine (vcpuctl/sync.h): one PC-kept register write after a
 * pending exit, then KVM_RUN with immediate_exit, and what the completion
 * did. vcpuctl sync prints it; the selftest state_sync checks it.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <vcpuctl/abort.h>
#include <vcpuctl/arch.h>
#include <vcpuctl/genl.h>
#include <vcpuctl/kvm.h>
#include <vcpuctl/race.h>
#include <vcpuctl/sync.h>
#include <vcpuctl/vcpu-abort.h>

/* A guest that does not exit is interrupted (KVM_RUN fails with EINTR). */
#define SYNC_TIMEOUT_S		60
/*
 * GET_STATS until the module's counts are as expected, 20 ms apart: up to
 * 10 s, for a loaded machine; only wrong counts after that fail.
 */
#define SYNC_COUNT_TRIES	500

static const char *const outcome_names[] = {
	[SYNC_KEPT] = "kept", [SYNC_GONE] = "discarded", [SYNC_OTHER] = "neither",
};

const char *sync_outcome_name(enum sync_outcome outcome)
{
	return outcome <= SYNC_OTHER ? outcome_names[outcome] : "?";
}

static const char *const write_names[] = {
	[SYNC_WRITE_PC_KEPT] = "pc-kept", [SYNC_WRITE_REFUSED] = "refused",
};

const char *sync_write_name(enum sync_write write)
{
	return write < SYNC_WRITE_COUNT ? write_names[write] : "?";
}

static void on_alarm(int sig)
{
	(void)sig;	/* only to interrupt KVM_RUN */
}

static int sync_run(struct vcpu *vcpu, int immediate)
{
	static int installed;
	int ret;

	if (!installed) {
		/* No SA_RESTART: the alarm must end KVM_RUN with EINTR. */
		struct sigaction sa = { .sa_handler = on_alarm };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
		installed = 1;
	}
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
 * What the module counted for the VM: the PC-kept write is the one
 * register write with something pending, so policy reset must have counted
 * it kept, always discarded, off neither; a refused write counts neither.
 * The module counts a moment after the write (a worker), hence the wait
 * for the expected numbers.
 */
static int sync_counts(struct vcpu_abort_nl *nl, struct sync_result *res)
{
	struct sync_stats s = { .vm_id = res->vm_id };
	bool counted = res->write == SYNC_WRITE_PC_KEPT;
	int i, k, ret;

	res->want_kept = counted && res->policy == VCPU_ABORT_POLICY_RESET;
	res->want_discarded = counted &&
			      res->policy == VCPU_ABORT_POLICY_ALWAYS;
	for (i = 0; i < SYNC_COUNT_TRIES; i++) {
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
	if (!ret && res->write == SYNC_WRITE_REFUSED) {
		vm->step = "the refused write";
		res->other = -1;
		ret = arch_sync_refused_write(vcpu, &res->refused_errno,
					      res->write_how,
					      sizeof(res->write_how));
	} else if (!ret) {
		vm->step = "the sync write";
		ret = arch_sync_write(vcpu, &res->other, res->write_how,
				      sizeof(res->write_how));
	}
	if (!ret) {
		vm->step = "read registers after the write";
		ret = arch_read_regs(vcpu, &res->written);
	}
	if (ret)
		return ret;
	arch_sync_kept(vcpu, res->exit, res->write, &res->written, &res->kept,
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

enum race_status sync_check(enum race_exit exit, int policy,
			    enum sync_write write, struct sync_result *res)
{
	struct race_case c = { .exit = exit, .reset = arch_resets[0] };
	struct vcpu_abort_nl nl;
	struct vcpu vcpu = { 0 };
	struct vm vm;
	int ret;

	memset(res, 0, sizeof(*res));
	res->exit = exit;
	res->policy = policy;
	res->write = write;
	res->vm_id = VCPU_ABORT_NL_NO_VM;
	res->expected = write == SYNC_WRITE_PC_KEPT &&
			policy == VCPU_ABORT_POLICY_ALWAYS ? SYNC_GONE :
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
	ret = sync_body(&vm, &vcpu, res, res->module ? &nl : NULL);
	/* No refused write on this arch: said in write_how, not vm.err. */
	if (ret == -EOPNOTSUPP && res->write == SYNC_WRITE_REFUSED &&
	    !vm.err[0]) {
		snprintf(res->reason, sizeof(res->reason), "%s",
			 res->write_how);
		res->status = RACE_SKIP;
		goto out;
	}
	if (ret)
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

const char *sync_exit_why(enum race_exit exit)
{
	int i;

	for (i = 0; i < arch_nr_sync_exits; i++)
		if (arch_sync_exits[i].exit == exit)
			return arch_sync_exits[i].why;
	return "";
}
