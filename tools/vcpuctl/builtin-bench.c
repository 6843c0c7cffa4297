// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl bench: what vcpu_abort costs, as ratios measured side by side
 * in one run (tools/lib/vcpuctl/bench.c, Documentation/bench.rst).
 */
#include <stdio.h>

#include <vcpuctl/bench.h>
#include <vcpuctl/race.h>

#include "builtin.h"

static long reps = 5, vcpus = BENCH_MAX_VCPUS;
static double budget_s = 15;
static const char *module;
static int verbose;

static int run_bench(int argc, char **argv)
{
	struct bench_opts o = {
		.reps = reps,
		.budget_s = budget_s,
		.module = module,
		.max_vcpus = vcpus,
		.verbose = verbose,
	};
	(void)argc;
	(void)argv;
	return bench_run(&o, stdout);
}

const struct cmd cmd_bench = {
	.name = "bench",
	.summary = "what vcpu_abort costs: abort vs complete, reset sequences, the\n"
		   "MMIO exit hot path, concurrent aborts (ratios)",
	.description =
"Measures, as ratios of blocks run side by side in this run:\n"
"  1. an explicit abort (ioctl, netlink) vs completing the pending MMIO load\n"
"     with KVM_RUN + immediate_exit=1 (the upstream alternative);\n"
"  2. a reset sequence with an explicit abort and with policy reset vs the\n"
"     upstream one (complete first, then reset);\n"
"  3. MMIO exit round trips/s with policy reset vs policy off and, with\n"
"     --module, vs the module not loaded;\n"
"  4. the time of one abort with 2, 4, 8 vCPUs aborted at once vs 1.\n"
"Without vcpu_abort loaded (and no --module) only the baselines run.",
	.opts = (const struct opt[]) {
		OPT_NUMBER('r', "reps", &reps, "N", 1, BENCH_MAX_REPS,
			   "repetitions, one ratio per row each (default 5)"),
		OPT_SECONDS('t', "time", &budget_s, "SECONDS", 3600,
			    "measuring time of the whole run (default 15);\n"
			    "setup, module reloads and warm-up come on top"),
		OPT_STRING('m', "module", &module, "PATH",
			   "vcpu_abort.ko: unload it and load it again from\n"
			   "PATH so that each repetition also measures without\n"
			   "the module (needs CAP_SYS_MODULE)"),
		OPT_NUMBER('n', "vcpus", &vcpus, "N", 1, BENCH_MAX_VCPUS,
			   "largest vCPU count of the scaling rows (default 8)"),
		OPT_FLAG('v', "verbose", &verbose,
			 "the raw numbers of each repetition on stderr"),
		OPT_END(),
	},
	.needs_kvm = 1,
	.run = run_bench,
};
