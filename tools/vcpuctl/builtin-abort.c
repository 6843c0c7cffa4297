// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl query | abort: what is pending on the vCPUs of another running
 * VMM, and discarding it. Both walk the same vCPUs; only the ioctl differs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vcpuctl/race.h>
#include <vcpuctl/remote-vcpu.h>
#include <vcpuctl/vcpu-abort.h>

#include "builtin.h"

static void usage(FILE *f, const char *cmd)
{
	fprintf(f,
"usage: vcpuctl %s [--nonblock] PID [VCPU_ID]\n"
"\n"
"%s the pending completion (MMIO, port I/O, hypercall, MSR) of the\n"
"vCPUs of process PID, or of vCPU VCPU_ID only, through the vcpu_abort\n"
"module. The vCPU fds are borrowed with pidfd_getfd(), which needs ptrace\n"
"access to PID.\n"
"\n"
"  -n, --nonblock  fail with EBUSY instead of waiting while the vCPU is\n"
"                  inside KVM_RUN\n"
"\n"
"exit codes: 0 done, 1 an error (the message says which), 2 bad command line\n",
		cmd, strcmp(cmd, "abort") ? "Reports" : "Discards and reports");
}

static int parse_number(const char *s, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno || *end || end == s || *out < 0 || *out > max ? -1 : 0;
}

static int remote_call(const char *cmd, int argc, char **argv,
		       unsigned long req)
{
	static const struct option opts[] = {
		{ "nonblock", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct remote_vcpu vcpus[REMOTE_MAX_VCPUS];
	uint32_t flags = VCPU_ABORT_FLAG_FOREIGN_VM;
	long pid, id = -1;
	int opt, dev, nr, i, ret = VCPUCTL_EXIT_OK;

	while ((opt = getopt_long(argc, argv, "nh", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			flags |= VCPU_ABORT_FLAG_NONBLOCK;
			break;
		case 'h':
			usage(stdout, cmd);
			return VCPUCTL_EXIT_OK;
		default:
			usage(stderr, cmd);
			return VCPUCTL_EXIT_USAGE;
		}
	}
	if (optind >= argc || argc - optind > 2 ||
	    parse_number(argv[optind], 1L << 22, &pid) ||
	    (argc - optind == 2 && parse_number(argv[optind + 1], 1L << 20, &id))) {
		usage(stderr, cmd);
		return VCPUCTL_EXIT_USAGE;
	}

	dev = vcpu_abort_open();
	if (dev < 0) {
		fprintf(stderr, "vcpuctl %s: %s: %s (is vcpu_abort.ko loaded?)\n",
			cmd, vcpu_abort_dev_path(), strerror(-dev));
		return VCPUCTL_EXIT_FAIL;
	}
	nr = remote_vcpus_get(pid, id, vcpus, REMOTE_MAX_VCPUS);
	if (nr < 0) {
		fprintf(stderr, "vcpuctl %s: vCPUs of pid %ld%s: %s\n", cmd, pid,
			nr == -ENOENT ? " (no such vCPU)" : "", strerror(-nr));
		close(dev);
		return VCPUCTL_EXIT_FAIL;
	}
	for (i = 0; i < nr; i++) {
		struct vcpu_abort_report report;
		char what[160];
		int err;

		err = vcpu_abort_ioctl(dev, req, vcpus[i].fd, flags, &report);
		if (err) {
			printf("pid %ld vcpu %d (fd %d): %s\n", pid, vcpus[i].id,
			       vcpus[i].remote_fd, strerror(-err));
			ret = VCPUCTL_EXIT_FAIL;
			continue;
		}
		vcpu_abort_describe(&report, what, sizeof(what));
		printf("pid %ld vcpu %d (fd %d): %s%s\n", pid, vcpus[i].id,
		       vcpus[i].remote_fd,
		       report.kind && req == VCPU_ABORT_IOC_ABORT ?
		       "discarded " : "", what);
	}
	remote_vcpus_close(vcpus, nr);
	close(dev);
	return ret;
}

int cmd_query(int argc, char **argv)
{
	return remote_call("query", argc, argv, VCPU_ABORT_IOC_QUERY);
}

int cmd_abort(int argc, char **argv)
{
	return remote_call("abort", argc, argv, VCPU_ABORT_IOC_ABORT);
}
