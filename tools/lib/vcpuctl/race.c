// SPDX-License-Identifier: GPL-2.0
/*
 * The race engine: one case = one fresh VM with one vCPU.
 *
 *   vCPU thread                          resetting thread (--by other)
 *   KVM_RUN -> the case's pending exit
 *   answer it like a VMM, read registers
 *   [--by self: hook + reset]  --exit pending-->  hook + reset
 *                              <--reset done---
 *   KVM_RUN (immediate_exit or full run)
 *   read registers, compare with the reset
 *
 * The hook is race_abort_pending_exit(), between the exit and the reset.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <vcpuctl/abort.h>
#include <vcpuctl/arch.h>
#include <vcpuctl/race.h>

/* Long enough for a loaded machine, short enough for a stuck guest. */
#define RACE_TIMEOUT_MS		60000

enum {
	RACE_STARTED,
	RACE_EXIT_PENDING,	/* vCPU thread waits in its pending exit */
	RACE_RESET_DONE,	/* the other thread reset it */
	RACE_FINISHED,		/* vCPU thread done, err says how */
};

struct race_run {
	const struct race_case *c;
	struct race_result *res;
	struct vm vm;
	struct vcpu vcpu;
	struct handoff handoff;
	int timed_out;
	int err;
};

/*
 * Why the host cannot run an exit with a reset (empty: not known to be
 * unsupported). arch_case_supported() depends on the pair alone, so the
 * pair's other cases skip with the same reason without making a VM: under
 * nested KVM a VM is tens of milliseconds, and a third of kvm_intel's
 * table is skipped.
 */
static char race_unsupported[RACE_NR_EXITS][RACE_NR_RESETS][VM_ERR_LEN];

static int race_reset(struct race_run *r)
{
	struct vcpu *vcpu = &r->vcpu;
	struct race_result *res = r->res;
	int ret;

	vcpu->vm->step = "abort hook before the reset";
	ret = race_abort_pending_exit(vcpu, r->c->abort, res->aborted,
				      sizeof(res->aborted));
	if (ret)
		return ret;

	vcpu->vm->step = "reset";
	return arch_reset(vcpu, r->c->reset, &res->reset_to,
			  &res->reset_wrote, res->reset_how,
			  sizeof(res->reset_how));
}

static int race_check_kick(struct race_run *r, int ret)
{
	if (ret == -EINTR && r->timed_out)
		return vm_error(&r->vm, ETIMEDOUT,
				"KVM_RUN: the guest did not exit within %d ms (kicked out with SIGUSR1)",
				RACE_TIMEOUT_MS);
	if (ret == -EINTR)
		return vm_error(&r->vm, EINTR, "KVM_RUN: interrupted (EINTR)");
	return ret;
}

static int race_next_entry(struct race_run *r)
{
	struct vcpu *vcpu = &r->vcpu;
	struct race_result *res = r->res;
	char exit_desc[160];
	int ret;

	if (r->c->entry == RACE_ENTRY_RUN) {
		vcpu->vm->step = "next KVM_RUN (full run after the reset)";
		ret = vcpu_run(vcpu);
		if (ret)
			return race_check_kick(r, ret);
		vcpu->vm->step = "locate where the guest resumed";
		return arch_locate_resume(vcpu, r->c, res);
	}

	/*
	 * immediate_exit: KVM_RUN must return EINTR without entering the
	 * guest, but it runs the pending completion first; that is the bug.
	 */
	vcpu->vm->step = "next KVM_RUN with immediate_exit=1";
	vcpu->run->immediate_exit = 1;
	ret = ioctl(vcpu->fd, KVM_RUN, NULL);
	vcpu->run->immediate_exit = 0;
	if (ret == 0) {
		kvm_describe_exit(vcpu->run, exit_desc, sizeof(exit_desc));
		return vm_error(vcpu->vm, EPROTO,
				"KVM_RUN returned 0 (%s) instead of failing with EINTR",
				exit_desc);
	}
	if (errno != EINTR)
		return vm_error(vcpu->vm, errno, "KVM_RUN: %s (errno %d)",
				strerror(errno), errno);
	res->resume = RACE_RESUME_NONE;
	vcpu->vm->step = "read registers after KVM_RUN";
	return arch_read_regs(vcpu, &res->after);
}

static int race_vcpu_body(struct race_run *r)
{
	struct vcpu *vcpu = &r->vcpu;
	struct race_result *res = r->res;
	int ret;

	vcpu->vm->step = "first KVM_RUN (to the pending exit)";
	ret = vcpu_run(vcpu);
	if (ret)
		return race_check_kick(r, ret);

	vcpu->vm->step = "check and answer the pending exit";
	ret = arch_answer_exit(vcpu, r->c, res->pending, sizeof(res->pending));
	if (ret)
		return ret;
	vcpu->vm->step = "read registers at the pending exit";
	ret = arch_read_regs(vcpu, &res->at_exit);
	if (ret)
		return ret;

	if (r->c->by == RACE_BY_SELF) {
		ret = race_reset(r);
	} else {
		/* Sit in the pending exit, as vCPU 0 does while vCPU 1 resets. */
		handoff_post(&r->handoff, RACE_EXIT_PENDING);
		handoff_wait(&r->handoff, RACE_RESET_DONE, 1 << 30);
		ret = r->vm.err[0] ? -r->vm.err_errno : 0;
	}
	if (ret)
		return ret;
	return race_next_entry(r);
}

static void *race_vcpu_thread(void *arg)
{
	struct race_run *r = arg;

	r->err = race_vcpu_body(r);
	handoff_post(&r->handoff, RACE_FINISHED);
	return NULL;
}

static int race_drive(struct race_run *r)
{
	pthread_t thread;
	int ret, state;

	handoff_init(&r->handoff);
	ret = pthread_create(&thread, NULL, race_vcpu_thread, r);
	if (ret) {
		handoff_destroy(&r->handoff);
		return vm_error(&r->vm, ret, "pthread_create: %s",
				strerror(ret));
	}

	if (r->c->by == RACE_BY_OTHER) {
		while ((state = handoff_wait(&r->handoff, RACE_EXIT_PENDING,
					     RACE_TIMEOUT_MS)) < 0) {
			r->timed_out = 1;
			vcpu_thread_kick(thread);
		}
		if (state == RACE_EXIT_PENDING) {
			if (r->timed_out)
				vm_error(&r->vm, ETIMEDOUT,
					 "the vCPU reached its pending exit after the %d ms timeout",
					 RACE_TIMEOUT_MS);
			else
				race_reset(r);
			handoff_post(&r->handoff, RACE_RESET_DONE);
		}
	}

	/* A guest that never exits is kicked out of KVM_RUN and reported. */
	while (handoff_wait(&r->handoff, RACE_FINISHED, RACE_TIMEOUT_MS) < 0) {
		r->timed_out = 1;
		vcpu_thread_kick(thread);
	}
	pthread_join(thread, NULL);
	handoff_destroy(&r->handoff);
	return r->err;
}

static void race_verdicts(struct race_result *res)
{
	int i;

	res->clobbered = 0;
	for (i = 0; i < arch_nr_regs; i++)
		if (res->after.val[i] != res->reset_to.val[i])
			res->clobbered |= 1u << i;
	res->expected = race_expected(&res->c);
	res->status = res->clobbered == res->expected ? RACE_PASS : RACE_FAIL;
	/* Once the exit is aborted, a full run must start the reset code. */
	if (res->c.abort != RACE_ABORT_NONE && res->c.entry == RACE_ENTRY_RUN &&
	    (res->resume != RACE_RESUME_RESET || res->resume_offset))
		res->status = RACE_FAIL;
}

static enum race_status race_finish(struct race_run *r, enum race_status st)
{
	struct race_result *res = r->res;

	if (st == RACE_ERROR)
		snprintf(res->reason, sizeof(res->reason), "%s",
			 r->vm.err[0] ? r->vm.err : "unknown error");
	res->status = st;
	if (r->vcpu.vm)
		vcpu_destroy(&r->vcpu);
	vm_destroy(&r->vm);
	return st;
}

enum race_status race_run_case(const struct race_case *c,
			       struct race_result *res)
{
	struct race_run r = { .c = c, .res = res };
	char *unsupported;
	int ret;

	memset(res, 0, sizeof(*res));
	res->c = *c;
	res->expected = race_expected(c);

	if (!race_arch_has_exit(c->exit) || !race_arch_has_reset(c->reset)) {
		snprintf(res->reason, sizeof(res->reason),
			 "%s has no %s exit or no %s reset", arch_name,
			 race_exit_name(c->exit), race_reset_name(c->reset));
		res->status = RACE_SKIP;
		return RACE_SKIP;
	}
	if (!race_abort_available(c->abort, res->reason, sizeof(res->reason))) {
		res->status = RACE_SKIP;
		return RACE_SKIP;
	}

	unsupported = race_unsupported[c->exit][c->reset];
	if (unsupported[0]) {
		snprintf(res->reason, sizeof(res->reason), "%s", unsupported);
		res->status = RACE_SKIP;
		return RACE_SKIP;
	}

	if (vm_create(&r.vm, arch_vm_type()))
		return race_finish(&r, RACE_ERROR);

	r.vm.step = "probe capabilities";
	ret = arch_case_supported(&r.vm, c, res->reason, sizeof(res->reason));
	if (ret < 0)
		return race_finish(&r, RACE_ERROR);
	if (ret == 0) {
		snprintf(unsupported, VM_ERR_LEN, "%s",
			 res->reason[0] ? res->reason : "not supported");
		return race_finish(&r, RACE_SKIP);
	}

	r.vm.step = "set up the VM";
	if (race_abort_setup(&r.vm, c->abort) || arch_vm_setup(&r.vm, c))
		return race_finish(&r, RACE_ERROR);
	r.vm.step = "create the vCPU";
	if (vcpu_create(&r.vm, &r.vcpu, 0))
		return race_finish(&r, RACE_ERROR);
	r.vm.step = "set up the vCPU";
	if (arch_vcpu_setup(&r.vcpu, c))
		return race_finish(&r, RACE_ERROR);

	if (race_drive(&r))
		return race_finish(&r, RACE_ERROR);

	race_verdicts(res);
	return race_finish(&r, res->status);
}
