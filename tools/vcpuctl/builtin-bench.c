// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl bench: what vcpu_abort costs, as ratios measured side by side
 * in one run (tools/lib/vcpuctl/bench.c, Documentation/bench.rst).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <vcpuctl/bench.h>
#include <vcpuctl/race.h>

#include "builtin.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: vcpuctl bench [--reps N] [--time SECONDS] [--module PATH]\n"
"                     [--vcpus N] [--verbose]\n"
"\n"
"Measures, as ratios of blocks run side by side in this run:\n"
"  1. an explicit abort (ioctl, netlink) vs completing the pending MMIO load\n"
"     with KVM_RUN + immediate_exit=1 (the upstream alternative);\n"
"  2. a reset sequence with an explicit abort and with policy reset vs the\n"
"     upstream one (complete first, then reset);\n"
"  3. MMIO exit round trips/s with policy reset vs policy off and, with\n"
"     --module, vs the module not loaded;\n"
"  4. the time of one abort with 2, 4, 8 vCPUs aborted at once vs 1.\n"
"Without vcpu_abort loaded (and no --module) only the baselines run.\n"
"\n"
"  --reps N        repetitions, one ratio per row each (default 5, max %d)\n"
"  --time SECONDS  measuring time of the whole run (default 15); setup,\n"
"                  module reloads and warm-up come on top\n"
"  --module PATH   vcpu_abort.ko: unload it and load it again from PATH so\n"
"                  that each repetition also measures without the module\n"
"                  (needs CAP_SYS_MODULE and nothing else holding it)\n"
"  --vcpus N       largest vCPU count of the scaling rows (default %d)\n"
"  --verbose       the raw numbers of each repetition on stderr\n",
		BENCH_MAX_REPS, BENCH_MAX_VCPUS);
}

int cmd_bench(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reps", required_argument, NULL, 'r' },
		{ "time", required_argument, NULL, 't' },
		{ "module", required_argument, NULL, 'm' },
		{ "vcpus", required_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_opts o = {
		.reps = 5,
		.budget_s = 15,
		.max_vcpus = BENCH_MAX_VCPUS,
	};
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			o.reps = strtol(optarg, &end, 10);
			if (*end || o.reps < 1 || o.reps > BENCH_MAX_REPS)
				goto bad;
			break;
		case 't':
			o.budget_s = strtod(optarg, &end);
			if (*end || !(o.budget_s > 0) || o.budget_s > 3600)
				goto bad;
			break;
		case 'm':
			o.module = optarg;
			break;
		case 'n':
			o.max_vcpus = strtol(optarg, &end, 10);
			if (*end || o.max_vcpus < 1 ||
			    o.max_vcpus > BENCH_MAX_VCPUS)
				goto bad;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return VCPUCTL_EXIT_OK;
		default:
			goto bad;
		}
	}
	if (optind != argc)
		goto bad;
	return bench_run(&o, stdout);
bad:
	usage(stderr);
	return VCPUCTL_EXIT_USAGE;
}
