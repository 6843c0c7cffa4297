// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl query | abort: what is pending on the vCPUs of another running
 * VMM, and discarding it. Both walk the same vCPUs; only the ioctl differs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vcpuctl/race.h>
#include <vcpuctl/remote-vcpu.h>
#include <vcpuctl/vcpu-abort.h>

#include "builtin.h"

static int nonblock;

static const struct opt remote_opts[] = {
	OPT_FLAG('n', "nonblock", &nonblock,
		 "fail with EBUSY instead of waiting while the vCPU is\n"
		 "inside KVM_RUN"),
	OPT_END(),
};

static int parse_number(const char *s, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno || *end || end == s || *out < 0 || *out > max ? -1 : 0;
}

static int remote_call(int argc, char **argv, unsigned long req)
{
	struct remote_vcpu vcpus[REMOTE_MAX_VCPUS];
	uint32_t flags = VCPU_ABORT_FLAG_FOREIGN_VM;
	int dev, nr, i, ret = VCPUCTL_EXIT_OK;
	long pid, id = -1;
	char why[128];

	if (parse_number(argv[0], 1L << 22, &pid) || !pid)
		return usage_error(current_cmd, "'%s' is not a PID", argv[0]);
	if (argc > 1 && parse_number(argv[1], 1L << 20, &id))
		return usage_error(current_cmd, "'%s' is not a vCPU id",
				   argv[1]);
	if (nonblock)
		flags |= VCPU_ABORT_FLAG_NONBLOCK;

	dev = vcpu_abort_open();
	if (dev == -ENOENT) {
		snprintf(why, sizeof(why), "%s: %s", vcpu_abort_dev_path(),
			 strerror(-dev));
		return module_missing(why);
	}
	if (dev < 0) {
		cmd_error("%s: %s", vcpu_abort_dev_path(), strerror(-dev));
		return VCPUCTL_EXIT_FAIL;
	}
	nr = remote_vcpus_get(pid, id, vcpus, REMOTE_MAX_VCPUS);
	if (nr < 0) {
		cmd_error("vCPUs of pid %ld%s: %s", pid,
			  nr == -ENOENT ? " (no such vCPU)" : "",
			  strerror(-nr));
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

static int run_query(int argc, char **argv)
{
	return remote_call(argc, argv, VCPU_ABORT_IOC_QUERY);
}

static int run_abort(int argc, char **argv)
{
	return remote_call(argc, argv, VCPU_ABORT_IOC_ABORT);
}

#define REMOTE_DESCRIPTION(what)					\
what " the pending completion (MMIO, port I/O, hypercall, MSR) of the\n"	\
"vCPUs of process PID, or of vCPU VCPU_ID only, through the vcpu_abort\n"	\
"module. The vCPU fds are borrowed with pidfd_getfd(), which needs ptrace\n"	\
"access to PID. One line per vCPU."

const struct cmd cmd_query = {
	.name = "query",
	.args = "PID [VCPU_ID]",
	.summary = "what is pending on the vCPUs of another process (vcpu_abort)",
	.description = REMOTE_DESCRIPTION("Reports"),
	.opts = remote_opts,
	.min_args = 1,
	.max_args = 2,
	.run = run_query,
};

const struct cmd cmd_abort = {
	.name = "abort",
	.args = "PID [VCPU_ID]",
	.summary = "discard it (vcpu_abort)",
	.description = REMOTE_DESCRIPTION("Discards and reports"),
	.opts = remote_opts,
	.min_args = 1,
	.max_args = 2,
	.run = run_abort,
};
