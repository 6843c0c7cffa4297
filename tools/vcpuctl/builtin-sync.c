// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl sync: the PC-kept state sync. The vCPU stops in a pending exit
 * (an MMIO load by default), the VMM answers it and then writes one
 * unrelated register without moving the PC, as a VMM that syncs its
 * register state around an exit does, and enters again with
 * immediate_exit. With the policy "reset" (or "off") the completion must
 * still land and the written register must keep its value; with "always"
 * the completion must be gone and every register as written. --write
 * refused tries a write that would move the vCPU and that KVM refuses:
 * the completion must land under every policy.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/genl.h>
#include <vcpuctl/kvm.h>
#include <vcpuctl/race.h>
#include <vcpuctl/sync.h>
#include <vcpuctl/vcpu-abort.h>

#include "builtin.h"

static void print_one(const struct sync_result *res)
{
	char host[160];
	int i;

	arch_describe_host(host, sizeof(host));
	printf("vcpuctl sync: %s, exit %s, policy %s, write %s\n", arch_name,
	       race_exit_name(res->exit), vcpu_abort_policy_name(res->policy),
	       sync_write_name(res->write));
	printf("kvm:           %s\n", host);
	if (res->status == RACE_SKIP || res->status == RACE_ERROR) {
		if (res->pending[0])
			printf("pending exit:  %s\n", res->pending);
		printf("result: %s: %s\n", race_status_name(res->status), res->reason);
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
	if (res->write == SYNC_WRITE_REFUSED)
		printf("refused write: %s: %s\n", res->write_how,
		       strerror(res->refused_errno));
	else
		printf("sync write:    %s\n", res->write_how);
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
	if (res->write == SYNC_WRITE_REFUSED)
		printf("(KVM refused the write: nothing changed)\n\n");
	else
		printf("(* changed by the sync write; the PC is kept)\n\n");
	printf("completion:    %s (expected %s)\n", sync_outcome_name(res->outcome),
	       sync_outcome_name(res->expected));
	printf("kernel:        %s\n", sync_exit_why(res->exit));
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
		       sync_outcome_name(res->outcome),
		       sync_outcome_name(res->expected));
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

static int run_all(int exit_filter, int policy_filter, int write_filter)
{
	static const int policies[] = {
		VCPU_ABORT_POLICY_RESET, VCPU_ABORT_POLICY_ALWAYS,
		VCPU_ABORT_POLICY_OFF,
	};
	int i, e, p, w, nr = 0, pass = 0, fail = 0, skip = 0;
	struct sync_result res;
	const char *reason;
	char host[160];

	arch_describe_host(host, sizeof(host));
	printf("vcpuctl sync --all: %s, kvm %s\n", arch_name, host);
	printf("%s\n%s\n",
	       "after the exit a PC-kept register write (pc-kept) or a move KVM refuses (refused), then KVM_RUN with immediate_exit=1",
	       "checked: the registers after KVM_RUN and, with the module, its kept and discarded counts of the VM");
	printf("%3s  %-10s %-8s %-7s %-10s %-10s %-6s %s\n", "#", "exit",
	       "write", "policy", "completion", "expected", "result", "reason");
	for (i = 0; i < SYNC_WRITE_COUNT * arch_nr_sync_exits; i++) {
		w = i / arch_nr_sync_exits;
		e = i % arch_nr_sync_exits;
		if (write_filter >= 0 && write_filter != w)
			continue;
		if (exit_filter >= 0 && exit_filter != (int)arch_sync_exits[e].exit)
			continue;
		for (p = 0; p < 3; p++) {
			/* off only when asked: it is upstream KVM, as reset */
			if (policy_filter >= 0 ? policy_filter != policies[p] :
			    policies[p] == VCPU_ABORT_POLICY_OFF)
				continue;
			sync_check(arch_sync_exits[e].exit, policies[p], w,
				   &res);
			nr++;
			reason = res.status == RACE_PASS ? NULL :
				 res.status != RACE_FAIL ? res.reason :
				 res.outcome != res.expected ?
				 "registers differ: see vcpuctl sync -e E -p P -w W" :
				 "module counts differ: see vcpuctl sync -e E -p P -w W";
			printf("%3d  %-10s %-8s %-7s %-10s %-10s ", nr,
			       race_exit_name(res.exit), sync_write_name(res.write),
			       vcpu_abort_policy_name(res.policy),
			       res.status == RACE_PASS || res.status == RACE_FAIL ?
			       sync_outcome_name(res.outcome) : "-",
			       sync_outcome_name(res.expected));
			if (reason)
				printf("%-6s %s\n", race_status_name(res.status),
				       reason);
			else
				printf("%s\n", race_status_name(res.status));
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

static int all, exit_filter = -1, policy_filter = -1, write_filter = -1;

static int sync_exit_parse(const char *name)
{
	int exit = race_exit_parse(name), i;

	for (i = 0; exit >= 0 && i < arch_nr_sync_exits; i++)
		if (arch_sync_exits[i].exit == (enum race_exit)exit)
			return exit;
	return -1;
}

static const char *sync_exit_at(int i)
{
	return race_exit_name(arch_sync_exits[i].exit);
}

static void sync_exit_choices(char *buf, size_t len)
{
	join_names(buf, len, arch_nr_sync_exits, sync_exit_at);
}

static int policy_parse(const char *name)
{
	return vcpu_abort_policy_parse(name);
}

static void policy_choices(char *buf, size_t len)
{
	snprintf(buf, len, "off reset always");
}

static int write_parse(const char *name)
{
	int w;

	for (w = 0; w < SYNC_WRITE_COUNT; w++)
		if (!strcmp(name, sync_write_name(w)))
			return w;
	return -1;
}

static void write_choices(char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", sync_write_name(SYNC_WRITE_PC_KEPT),
		 sync_write_name(SYNC_WRITE_REFUSED));
}

static int run_sync(int argc, char **argv)
{
	struct sync_result res;

	(void)argc;
	(void)argv;
	if (all)
		return run_all(exit_filter, policy_filter, write_filter);
	sync_check(exit_filter >= 0 ? (enum race_exit)exit_filter :
				      arch_sync_exits[0].exit,
		   policy_filter >= 0 ? policy_filter : VCPU_ABORT_POLICY_RESET,
		   write_filter >= 0 ? write_filter : SYNC_WRITE_PC_KEPT, &res);
	print_one(&res);
	return status_exit(res.status);
}

const struct cmd cmd_sync = {
	.name = "sync",
	.summary = "the PC-kept state sync: a register write that keeps the PC must\n"
		   "keep the completion under policy reset, drop it under always",
	.description =
"The PC-kept state sync: the vCPU stops in a pending exit, the VMM answers\n"
"it, writes one unrelated register without moving the PC, and enters again\n"
"(KVM_RUN with immediate_exit=1: the completion runs, the guest does not).\n"
"With the policy reset (or off) the completion must be kept: the loaded\n"
"value lands, the PC moves past the instruction, the written register keeps\n"
"its value. With always it must be gone: every register as written. With\n"
"the module, its kept and discarded counts of the VM must say the same.\n"
"--write refused instead tries a write that would move the vCPU and that\n"
"KVM refuses (arm64: PSTATE EL3h; x86: a reserved CR4 bit; riscv: the pc\n"
"with the wrong size): the completion must land under every policy, and\n"
"the module count neither.",
	.opts = (const struct opt[]) {
		OPT_CHOICE('e', "exit", &exit_filter, "E", sync_exit_parse,
			   sync_exit_choices,
			   "the pending exit (default: the first)"),
		OPT_CHOICE('p', "policy", &policy_filter, "P", policy_parse,
			   policy_choices,
			   "the VM's vcpu_abort policy, set with netlink\n"
			   "SET_POLICY (default reset); off also runs without\n"
			   "the module (upstream KVM)"),
		OPT_CHOICE('w', "write", &write_filter, "W", write_parse,
			   write_choices,
			   "the write after the exit (default pc-kept)"),
		OPT_FLAG('A', "all", &all,
			 "every exit above with reset and always (or\n"
			 "--policy) and both writes (or --write), one table"),
		OPT_END(),
	},
	.needs_kvm = 1,
	.run = run_sync,
};
