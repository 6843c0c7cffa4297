// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl race: run one reset experiment, or the whole matrix of this arch
 * (--all), and print the verdicts.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vcpuctl/abort.h>
#include <vcpuctl/arch.h>
#include <vcpuctl/genl.h>
#include <vcpuctl/kvm.h>
#include <vcpuctl/race.h>

#include "builtin.h"

/* --json: one line of JSON per case instead of the tables. */
static int json;

static int run_one(const struct race_case *c)
{
	struct race_result res;

	race_run_case(c, &res);
	if (json)
		race_print_json(stdout, &res);
	else
		race_print_case(stdout, &res);
	switch (res.status) {
	case RACE_PASS: return VCPUCTL_EXIT_OK;
	case RACE_SKIP: return VCPUCTL_EXIT_SKIP;
	default: return VCPUCTL_EXIT_FAIL;
	}
}

/* A dimension given on the command line narrows the matrix; -1 = all. */
struct race_filter {
	int exit, reset, by, entry;
};

/* Whether the dimensions given on the command line keep case c. */
static bool kept(const struct race_filter *flt, const struct race_case *c)
{
	return (flt->exit < 0 || flt->exit == (int)c->exit) &&
	       (flt->reset < 0 || flt->reset == (int)c->reset) &&
	       (flt->by < 0 || flt->by == (int)c->by) &&
	       (flt->entry < 0 || flt->entry == (int)c->entry);
}

static int run_all(const struct race_filter *flt, enum race_abort abort)
{
	int max = arch_nr_exits * arch_nr_resets * RACE_NR_BY * RACE_NR_ENTRIES;
	struct race_result *res = calloc(max, sizeof(*res));
	int nr = 0, i, ret;
	char title[320], host[160];

	if (!res) {
		cmd_error("%s", strerror(ENOMEM));
		return VCPUCTL_EXIT_FAIL;
	}
	arch_describe_host(host, sizeof(host));
	snprintf(title, sizeof(title),
		 "vcpuctl race --all: %s, kvm %s, abort %s%s%s%s\nverdicts compare the registers after the next KVM_RUN with what the reset set",
		 arch_name, host, race_abort_name(abort),
		 abort == RACE_ABORT_AUTO ? " (policy " : "",
		 abort == RACE_ABORT_AUTO ?
		 race_abort_policy_name(race_abort_policy()) : "",
		 abort == RACE_ABORT_AUTO ? ")" : "");
	if (!json)
		race_print_table_head(stdout, title);
	/* exit, reset, by, entry: the innermost changes fastest. */
	for (i = 0; i < max; i++) {
		struct race_case c = {
			.exit = arch_exits[i / (max / arch_nr_exits)].exit,
			.reset = arch_resets[i / (RACE_NR_BY * RACE_NR_ENTRIES) %
					     arch_nr_resets],
			.by = i / RACE_NR_ENTRIES % RACE_NR_BY,
			.entry = i % RACE_NR_ENTRIES,
			.abort = abort,
		};

		if (!kept(flt, &c))
			continue;
		race_run_case(&c, &res[nr]);
		if (json)
			race_print_json(stdout, &res[nr]);
		else
			race_print_table_row(stdout, nr + 1, &res[nr]);
		fflush(stdout);
		nr++;
	}
	ret = json ? race_exit_code(res, nr) :
		     race_print_table_tail(stdout, res, nr);
	free(res);
	return ret;
}

static struct race_filter flt = { -1, -1, -1, -1 };
static int all, abort_how = RACE_ABORT_NONE, policy = -1;

static int arch_exit_parse(const char *name)
{
	int exit = race_exit_parse(name);

	return exit >= 0 && race_arch_has_exit(exit) ? exit : -1;
}

static const char *arch_exit_at(int i)
{
	return race_exit_name(arch_exits[i].exit);
}

static void arch_exit_choices(char *buf, size_t len)
{
	join_names(buf, len, arch_nr_exits, arch_exit_at);
}

static int arch_reset_parse(const char *name)
{
	int reset = race_reset_parse(name);

	return reset >= 0 && race_arch_has_reset(reset) ? reset : -1;
}

static const char *arch_reset_at(int i)
{
	return race_reset_name(arch_resets[i]);
}

static void arch_reset_choices(char *buf, size_t len)
{
	join_names(buf, len, arch_nr_resets, arch_reset_at);
}

static const char *by_at(int i)
{
	return race_by_name(i);
}

static void by_choices(char *buf, size_t len)
{
	join_names(buf, len, RACE_NR_BY, by_at);
}

static const char *entry_at(int i)
{
	return race_entry_name(i);
}

static void entry_choices(char *buf, size_t len)
{
	join_names(buf, len, RACE_NR_ENTRIES, entry_at);
}

static const char *abort_at(int i)
{
	return race_abort_name(i);
}

static void abort_choices(char *buf, size_t len)
{
	join_names(buf, len, RACE_NR_ABORTS, abort_at);
}

/* --policy default: the module's default policy, set none. */
#define POLICY_OPT_DEFAULT	VCPU_ABORT_POLICY_COUNT

static int policy_parse(const char *name)
{
	int p = vcpu_abort_policy_parse(name);

	if (!strcmp(name, "default"))
		return POLICY_OPT_DEFAULT;
	return p == VCPU_ABORT_POLICY_RESET || p == VCPU_ABORT_POLICY_ALWAYS ?
	       p : -1;
}

static void policy_choices(char *buf, size_t len)
{
	snprintf(buf, len, "reset always default");
}

static void race_more_help(FILE *f)
{
	int i;

	fprintf(f, "\nreset paths of this build (%s):\n", arch_name);
	for (i = 0; i < arch_nr_resets; i++)
		fprintf(f, "  %-10s %s\n", race_reset_name(arch_resets[i]),
			race_reset_desc(arch_resets[i]));
}

static int check_race(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (policy >= 0 && abort_how != RACE_ABORT_AUTO)
		return usage_error(current_cmd,
				   "--policy goes with --abort auto");
	return -1;
}

static int run_race(int argc, char **argv)
{
	char why[VM_ERR_LEN];
	struct race_case c;

	(void)argc;
	(void)argv;
	if (policy >= 0)
		race_abort_set_policy(policy == POLICY_OPT_DEFAULT ?
				      RACE_POLICY_DEFAULT : policy);

	/* Refuse early, with one clear line, what cannot run at all. */
	if (!race_abort_available(abort_how, why, sizeof(why))) {
		cmd_error("--abort %s: %s", race_abort_name(abort_how), why);
		return VCPUCTL_EXIT_SKIP;
	}

	if (all)
		return run_all(&flt, abort_how);

	c = (struct race_case) {
		.exit = flt.exit >= 0 ? (enum race_exit)flt.exit :
					  arch_exits[0].exit,
		.reset = flt.reset >= 0 ? (enum race_reset)flt.reset :
					    arch_resets[0],
		.by = flt.by >= 0 ? flt.by : RACE_BY_SELF,
		.entry = flt.entry >= 0 ? flt.entry : RACE_ENTRY_IMMEDIATE,
		.abort = abort_how,
	};
	return run_one(&c);
}

const struct cmd cmd_race = {
	.name = "race",
	.summary = "run one reset experiment, or the whole matrix (--all)",
	.description =
"Leaves a vCPU in a pending exit, resets it, enters it again and reports\n"
"per register whether the reset survived (INTACT) or the stale completion\n"
"overwrote it (CLOBBERED). Each verdict is compared with what the kernel\n"
"source predicts: without an abort the race must show, with one it must\n"
"not. --all runs every combination of this arch (the options narrow it)\n"
"and prints one table.",
	.more_help = race_more_help,
	.opts = (const struct opt[]) {
		OPT_CHOICE('e', "exit", &flt.exit, "E", arch_exit_parse,
			   arch_exit_choices,
			   "the pending exit (default: the first)"),
		OPT_CHOICE('r', "reset", &flt.reset, "R", arch_reset_parse,
			   arch_reset_choices,
			   "the reset path (default: the first; see above)"),
		OPT_CHOICE('b', "by", &flt.by, "B", race_by_parse, by_choices,
			   "who resets: the vCPU thread, or another thread\n"
			   "while it waits in its exit (default self)"),
		OPT_CHOICE('n', "entry", &flt.entry, "N", race_entry_parse,
			   entry_choices,
			   "next entry: KVM_RUN with immediate_exit=1, or a\n"
			   "full KVM_RUN that shows whether the reset code ran\n"
			   "(default immediate)"),
		OPT_CHOICE('a', "abort", &abort_how, "A", race_abort_parse,
			   abort_choices,
			   "what discards the pending completion: nothing (the\n"
			   "negative control; the VM's policy is pinned off),\n"
			   "VCPU_ABORT_IOC_ABORT or VCPU_ABORT_IOC_DISCARD\n"
			   "between the exit and the reset, or the VM's\n"
			   "auto-abort policy (default none)"),
		OPT_CHOICE('p', "policy", &policy, "P", policy_parse,
			   policy_choices,
			   "the policy of --abort auto (default reset); default:\n"
			   "set none, the module's default_policy applies"),
		OPT_FLAG('A', "all", &all,
			 "every combination of this arch, one table"),
		OPT_FLAG('j', "json", &json,
			 "one line of JSON per case instead of the tables\n"
			 "(for programs: the lab's race matrix)"),
		OPT_END(),
	},
	.check = check_race,
	.needs_kvm = 1,
	.run = run_race,
};
