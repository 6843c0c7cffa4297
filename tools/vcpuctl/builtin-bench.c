// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl bench: what vcpu_abort costs, as ratios measured side by side
 * in one run (tools/lib/vcpuctl/bench.c, Documentation/bench.rst).
 */
#include <stdio.h>

#include <vcpuctl/bench.h>
#include <vcpuctl/race.h>

#include "builtin.h"

static long reps = 5, vcpus = BENCH_MAX_VCPUS, vms = BENCH_IDLE_MANY;
static long count = 200, rounds;
static double budget_s = 15;
static const char *module;
static int verbose, profile = -1, ftrace;

static void profile_choices(char *buf, size_t len)
{
	bench_profile_steps(buf, len);
}

static int run_bench(int argc, char **argv)
{
	struct bench_opts o = {
		.reps = reps,
		.budget_s = budget_s,
		.rounds = rounds,
		.module = module,
		.max_vcpus = vcpus,
		.max_vms = vms,
		.verbose = verbose,
		.profile = profile,
		.count = count,
		.ftrace = ftrace,
	};

	(void)argc;
	(void)argv;
	if (rounds && profile >= 0)
		return usage_error(&cmd_bench, "--rounds is not for --profile");
	if (ftrace && profile < 0)
		return usage_error(&cmd_bench, "--ftrace needs --profile");
	if (profile >= 0)
		return bench_profile(&o, stdout);
	return bench_run(&o, stdout);
}

const struct cmd cmd_bench = {
	.name = "bench",
	.summary = "what vcpu_abort costs: abort vs complete, reset sequences, the\n"
		   "MMIO exit hot path, state sync, register writes with 1 to\n"
		   "1024 VMs, concurrent aborts (ratios and their targets)",
	.description =
"Measures, as ratios of blocks run side by side in this run:\n"
"  1. an explicit abort (ABORT and DISCARD ioctls, netlink) vs completing\n"
"     the pending MMIO load with KVM_RUN + immediate_exit=1 (the upstream\n"
"     alternative);\n"
"  2. a reset sequence with an explicit DISCARD and with policy reset vs the\n"
"     upstream one (complete first, then reset);\n"
"  3. MMIO exit round trips with policy reset vs policy off and, with\n"
"     --module, vs the module not loaded; the same for a VMM that writes\n"
"     the registers back on every KVM_RUN (state sync);\n"
"  4. a register write with policy reset vs off, and with 64 and 1024 VMs\n"
"     that have policies of their own vs just one;\n"
"  5. the time of one abort with 2, 4, 8 vCPUs aborted at once vs 1.\n"
"Each row has a target; the table says whether this run met it (the\n"
"exit code does not: noise is no failure).\n"
"Without vcpu_abort loaded (and no --module) only the baselines run.\n"
"\n"
"With --profile, no table: one step, --count times on one VM, for a\n"
"profiler (perf, ftrace; tools/testing/vm/guest/bin/lab-profile), and\n"
"its median time.",
	.more_help = bench_profile_help,
	.opts = (const struct opt[]) {
		OPT_NUMBER('r', "reps", &reps, "N", 1, BENCH_MAX_REPS,
			   "repetitions, one ratio per row each (default 5)"),
		OPT_SECONDS('t', "time", &budget_s, "SECONDS", 3600,
			    "measuring time of the whole run (default 15);\n"
			    "setup, module reloads and warm-up come on top"),
		OPT_NUMBER('R', "rounds", &rounds, "N", 1, 100000,
			   "end each block after N rounds, not at its share\n"
			   "of --time: for emulators whose clock is no measure\n"
			   "of their work (Bochs); a round is a chunk of each\n"
			   "variant the block compares"),
		OPT_STRING('m', "module", &module, "PATH",
			   "vcpu_abort.ko: unload it and load it again from\n"
			   "PATH so that each repetition also measures without\n"
			   "the module (needs CAP_SYS_MODULE)"),
		OPT_NUMBER('n', "vcpus", &vcpus, "N", 1, BENCH_MAX_VCPUS,
			   "largest vCPU count of the scaling rows (default 8)"),
		OPT_NUMBER('V', "vms", &vms, "N", 1, BENCH_IDLE_MANY,
			   "largest VM count of the register-write rows\n"
			   "(default 1024; 1 leaves out the 64- and 1024-VM rows)"),
		OPT_FLAG('v', "verbose", &verbose,
			 "the raw numbers of each repetition on stderr"),
		OPT_CHOICE('p', "profile", &profile, "STEP", bench_profile_step,
			   profile_choices,
			   "run only STEP (see above), --count times"),
		OPT_NUMBER('c', "count", &count, "N", 1, 1000000,
			   "steps of --profile (default 200)"),
		OPT_FLAG('f', "ftrace", &ftrace,
			 "with --profile: switch ftrace's tracing_on on for\n"
			 "the timed part of each step only, which starts with\n"
			 "a \"step\" line in trace_marker"),
		OPT_END(),
	},
	.needs_kvm = 1,
	.run = run_bench,
};
