// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl race: run one reset experiment, or the whole matrix of this arch
 * (--all), and print the verdicts.
 */
#include <getopt.h>
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

static void race_usage(FILE *f)
{
	int i;

	fprintf(f,
"usage: vcpuctl race [--exit E] [--reset R] [--by self|other]\n"
"                    [--entry immediate|run] [--abort none|explicit|auto]\n"
"                    [--policy reset|always|default]\n"
"       vcpuctl race --all [same options, to narrow the matrix]\n"
"\n"
"Leaves a vCPU in a pending exit, resets it, enters it again and reports\n"
"per register whether the reset survived (INTACT) or the stale completion\n"
"overwrote it (CLOBBERED).\n"
"\n"
"  -e, --exit E    the pending exit (%s:", arch_name);
	for (i = 0; i < arch_nr_exits; i++)
		fprintf(f, " %s", race_exit_name(arch_exits[i].exit));
	fprintf(f, "); default %s\n"
"  -r, --reset R   the reset path (%s:", race_exit_name(arch_exits[0].exit),
		arch_name);
	for (i = 0; i < arch_nr_resets; i++)
		fprintf(f, " %s", race_reset_name(arch_resets[i]));
	fprintf(f, "); default %s\n"
"                    regs      KVM_SET_REGS\n"
"                    sregs     KVM_SET_SREGS, then KVM_SET_REGS\n"
"                    sync-regs kvm_run->s.regs + kvm_dirty_regs (x86)\n"
"                    vcpu-init KVM_ARM_VCPU_INIT + KVM_SET_ONE_REG (arm64)\n"
"                    one-reg   KVM_SET_ONE_REG only (arm64)\n"
"  -b, --by B      who resets: self (the vCPU thread) or other (another\n"
"                  thread while the vCPU thread waits in its exit); default self\n"
"  -n, --entry N   next entry: immediate (KVM_RUN with immediate_exit=1) or\n"
"                  run (a full KVM_RUN: reports whether the reset code ran);\n"
"                  default immediate\n"
"  -a, --abort A   what discards the pending completion; default none\n"
"                    none      nothing: the negative control (the VM's\n"
"                              policy is pinned off if the module is loaded)\n"
"                    explicit  VCPU_ABORT_IOC_ABORT between the exit and\n"
"                              the reset\n"
"                    auto      the VM's auto-abort policy (netlink\n"
"                              SET_POLICY when the VM is created); nothing\n"
"                              between the exit and the reset\n"
"  -p, --policy P  the policy of --abort auto: reset (default), always, or\n"
"                  default (set none: the module's default_policy, set from\n"
"                  outside, e.g. 'vcpuctl policy --default reset')\n"
"  -A, --all       every combination of this arch, one table\n"
"\n"
"exit codes: 0 every verdict as expected, 1 a verdict differs or an error,\n"
"2 bad command line, 4 skipped (the kernel lacks what the case needs, the\n"
"vcpu_abort module is missing, or the KVM device is missing: the message\n"
"is then \"/dev/kvm: No such file or directory\").\n",
		race_reset_name(arch_resets[0]));
}

static int bad_value(const char *opt, const char *val)
{
	fprintf(stderr, "vcpuctl race: bad %s '%s'\n\n", opt, val);
	race_usage(stderr);
	return VCPUCTL_EXIT_USAGE;
}

static int run_one(const struct race_case *c)
{
	struct race_result res;

	race_run_case(c, &res);
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

static int run_all(const struct race_filter *flt, enum race_abort abort)
{
	int max = arch_nr_exits * arch_nr_resets * RACE_NR_BY * RACE_NR_ENTRIES;
	struct race_result *res = calloc(max, sizeof(*res));
	int nr = 0, e, r, b, n, ret;
	char title[320], host[160];

	if (!res) {
		perror("vcpuctl race");
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
	race_print_table_head(stdout, title);
	for (e = 0; e < arch_nr_exits; e++) {
		for (r = 0; r < arch_nr_resets; r++) {
			for (b = 0; b < RACE_NR_BY; b++) {
				for (n = 0; n < RACE_NR_ENTRIES; n++) {
					struct race_case c = {
						.exit = arch_exits[e].exit,
						.reset = arch_resets[r],
						.by = b,
						.entry = n,
						.abort = abort,
					};

					if ((flt->exit >= 0 && flt->exit != (int)c.exit) ||
					    (flt->reset >= 0 && flt->reset != (int)c.reset) ||
					    (flt->by >= 0 && flt->by != b) ||
					    (flt->entry >= 0 && flt->entry != n))
						continue;
					race_run_case(&c, &res[nr]);
					race_print_table_row(stdout, nr + 1,
							     &res[nr]);
					fflush(stdout);
					nr++;
				}
			}
		}
	}
	ret = race_print_table_tail(stdout, res, nr);
	free(res);
	return ret;
}

int cmd_race(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "exit", required_argument, NULL, 'e' },
		{ "reset", required_argument, NULL, 'r' },
		{ "by", required_argument, NULL, 'b' },
		{ "entry", required_argument, NULL, 'n' },
		{ "abort", required_argument, NULL, 'a' },
		{ "policy", required_argument, NULL, 'p' },
		{ "all", no_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct race_filter flt = { -1, -1, -1, -1 };
	int opt, all = 0, abort = RACE_ABORT_NONE, policy = -2;
	char why[VM_ERR_LEN];
	struct race_case c;
	int fd;

	while ((opt = getopt_long(argc, argv, "e:r:b:n:a:p:Ah", opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'e':
			flt.exit = race_exit_parse(optarg);
			if (flt.exit < 0)
				return bad_value("--exit", optarg);
			if (!race_arch_has_exit(flt.exit)) {
				fprintf(stderr, "vcpuctl race: exit %s is not available on %s\n\n",
					optarg, arch_name);
				race_usage(stderr);
				return VCPUCTL_EXIT_USAGE;
			}
			break;
		case 'r':
			flt.reset = race_reset_parse(optarg);
			if (flt.reset < 0)
				return bad_value("--reset", optarg);
			if (!race_arch_has_reset(flt.reset)) {
				fprintf(stderr, "vcpuctl race: reset %s is not available on %s\n\n",
					optarg, arch_name);
				race_usage(stderr);
				return VCPUCTL_EXIT_USAGE;
			}
			break;
		case 'b':
			flt.by = race_by_parse(optarg);
			if (flt.by < 0)
				return bad_value("--by", optarg);
			break;
		case 'n':
			flt.entry = race_entry_parse(optarg);
			if (flt.entry < 0)
				return bad_value("--entry", optarg);
			break;
		case 'a':
			abort = race_abort_parse(optarg);
			if (abort < 0)
				return bad_value("--abort", optarg);
			break;
		case 'p':
			if (!strcmp(optarg, "default")) {
				policy = RACE_POLICY_DEFAULT;
				break;
			}
			policy = vcpu_abort_policy_parse(optarg);
			if (policy != VCPU_ABORT_POLICY_RESET &&
			    policy != VCPU_ABORT_POLICY_ALWAYS)
				return bad_value("--policy", optarg);
			break;
		case 'A':
			all = 1;
			break;
		case 'h':
			race_usage(stdout);
			return VCPUCTL_EXIT_OK;
		default:
			race_usage(stderr);
			return VCPUCTL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vcpuctl race: unexpected argument '%s'\n\n",
			argv[optind]);
		race_usage(stderr);
		return VCPUCTL_EXIT_USAGE;
	}

	if (policy != -2) {
		if (abort != RACE_ABORT_AUTO) {
			fprintf(stderr, "vcpuctl race: --policy goes with --abort auto\n\n");
			race_usage(stderr);
			return VCPUCTL_EXIT_USAGE;
		}
		race_abort_set_policy(policy);
	}

	/* Refuse early, with one clear line, what cannot run at all. */
	if (!race_abort_available(abort, why, sizeof(why))) {
		fprintf(stderr, "vcpuctl race: --abort %s: %s\n",
			race_abort_name(abort), why);
		return VCPUCTL_EXIT_SKIP;
	}
	fd = kvm_open_dev(why, sizeof(why));
	if (fd < 0) {
		fprintf(stderr, "vcpuctl race: %s\n", why);
		return VCPUCTL_EXIT_SKIP;
	}
	close(fd);

	if (all)
		return run_all(&flt, abort);

	c = (struct race_case) {
		.exit = flt.exit >= 0 ? (enum race_exit)flt.exit :
					  arch_exits[0].exit,
		.reset = flt.reset >= 0 ? (enum race_reset)flt.reset :
					    arch_resets[0],
		.by = flt.by >= 0 ? flt.by : RACE_BY_SELF,
		.entry = flt.entry >= 0 ? flt.entry : RACE_ENTRY_IMMEDIATE,
		.abort = abort,
	};
	return run_one(&c);
}
