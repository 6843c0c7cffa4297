// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl: dispatch to the builtin-*.c subcommands, kvmtool style.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/kvm.h>
#include <vcpuctl/race.h>

#include "builtin.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: vcpuctl [--kvm-dev PATH] <command> [options]\n"
"\n"
"A small VMM (%s build) that shows what a pending MMIO/PIO/hypercall/MSR\n"
"completion does to a vCPU reset.\n"
"\n"
"commands:\n"
"  info     arch, KVM API version, capabilities the race cases use\n"
"  race     run one reset experiment, or the whole matrix (--all)\n"
"  query    what is pending on the vCPUs of another process (vcpu_abort)\n"
"  abort    discard it (vcpu_abort)\n"
"  policy   show or set the auto-abort policy of a process's VMs, or the\n"
"           module's default (vcpu_abort netlink)\n"
"  stats    what the module discarded and kept, per VM (vcpu_abort netlink)\n"
"  monitor  one line per discarded completion, as it happens (vcpu_abort\n"
"           netlink events)\n"
"  sync     the PC-kept state sync: a register write that keeps the PC must\n"
"           keep the completion under policy reset, drop it under always\n"
"  bench    what vcpu_abort costs: abort vs complete, reset sequences, the\n"
"           MMIO exit hot path, concurrent aborts (ratios)\n"
"  help     this text; 'vcpuctl <command> --help' for its options\n"
"\n"
"  --kvm-dev PATH   KVM device (default %s, or $VCPUCTL_KVM_DEV)\n"
"\n"
"exit codes: 0 ok / every verdict as expected, 1 a verdict differs or an\n"
"error, 2 bad command line, 4 skipped: the kernel cannot run it, including\n"
"a missing KVM device (\"/dev/kvm: No such file or directory\").\n",
		arch_name, KVM_DEV_DEFAULT);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kvm-dev", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	/* '+': stop at the subcommand, its options are its own. */
	while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			kvm_set_dev_path(optarg);
			break;
		case 'h':
			usage(stdout);
			return VCPUCTL_EXIT_OK;
		default:
			usage(stderr);
			return VCPUCTL_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return VCPUCTL_EXIT_USAGE;
	}

	argc -= optind;
	argv += optind;
	optind = 1;	/* the subcommand parses its own argv */
	if (!strcmp(argv[0], "info"))
		return cmd_info(argc, argv);
	if (!strcmp(argv[0], "race"))
		return cmd_race(argc, argv);
	if (!strcmp(argv[0], "query"))
		return cmd_query(argc, argv);
	if (!strcmp(argv[0], "abort"))
		return cmd_abort(argc, argv);
	if (!strcmp(argv[0], "policy"))
		return cmd_policy(argc, argv);
	if (!strcmp(argv[0], "stats"))
		return cmd_stats(argc, argv);
	if (!strcmp(argv[0], "monitor"))
		return cmd_monitor(argc, argv);
	if (!strcmp(argv[0], "sync"))
		return cmd_sync(argc, argv);
	if (!strcmp(argv[0], "bench"))
		return cmd_bench(argc, argv);
	if (!strcmp(argv[0], "help")) {
		usage(stdout);
		return VCPUCTL_EXIT_OK;
	}
	fprintf(stderr, "vcpuctl: unknown command '%s'\n\n", argv[0]);
	usage(stderr);
	return VCPUCTL_EXIT_USAGE;
}
