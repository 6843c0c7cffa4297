// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl policy: the auto-abort policy of another process's VMs, or the
 * module's default, through the generic netlink family. A VM is named by
 * one of its fds, borrowed from the process with pidfd_getfd() (which
 * checks ptrace access) and passed with VCPU_ABORT_FLAG_FOREIGN_VM: the
 * VM fd ("anon_inode:kvm-vm"), or a vCPU fd if the VMM closed it.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <vcpuctl/genl.h>
#include <vcpuctl/race.h>

#include "builtin.h"

#define MAX_KVM_FDS	64

struct kvm_fd {
	int remote_fd;	/* its number in the other process */
	int fd;		/* our duplicate */
	int is_vm;	/* a VM fd, else a vCPU fd */
	uint32_t vm_id;
};

static int parse_pid(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno || *end || end == s || *out <= 0 || *out > (1L << 22) ?
	       -1 : 0;
}

/*
 * The KVM VM and vCPU fds of pid, duplicated here; VM fds first. Returns
 * how many, or -errno.
 */
static int borrow_kvm_fds(pid_t pid, struct kvm_fd *fds, int max)
{
	char dir_path[64], link_path[PATH_MAX], target[PATH_MAX];
	int pidfd, nr = 0, err = 0, pass;
	struct dirent *de;
	DIR *dir;

	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	snprintf(dir_path, sizeof(dir_path), "/proc/%d/fd", (int)pid);
	for (pass = 0; pass < 2 && !err; pass++) {
		dir = opendir(dir_path);
		if (!dir) {
			err = -errno;
			break;
		}
		while ((de = readdir(dir)) && nr < max) {
			int is_vm, fd;
			ssize_t n;

			snprintf(link_path, sizeof(link_path), "%s/%s",
				 dir_path, de->d_name);
			n = readlink(link_path, target, sizeof(target) - 1);
			if (n < 0)
				continue;
			target[n] = '\0';
			is_vm = !strcmp(target, "anon_inode:kvm-vm");
			if (!is_vm &&
			    strncmp(target, "anon_inode:kvm-vcpu:", 20))
				continue;
			/* pass 0: VM fds, pass 1: vCPU fds */
			if (is_vm != !pass)
				continue;
			fd = syscall(SYS_pidfd_getfd, pidfd, atoi(de->d_name),
				     0);
			if (fd < 0) {
				err = -errno;
				break;
			}
			fds[nr++] = (struct kvm_fd) {
				.remote_fd = atoi(de->d_name), .fd = fd,
				.is_vm = is_vm, .vm_id = VCPU_ABORT_NL_NO_VM,
			};
		}
		closedir(dir);
	}
	close(pidfd);
	if (err) {
		while (nr-- > 0)
			close(fds[nr].fd);
		return err;
	}
	return nr;
}

static int policy_default(struct vcpu_abort_nl *nl, int set)
{
	uint32_t policy;
	int ret;

	if (set >= 0) {
		ret = vcpu_abort_nl_set_policy(nl, -1, 0, set, NULL);
		if (ret) {
			cmd_error("default: %s", nl->err);
			return VCPUCTL_EXIT_FAIL;
		}
	}
	ret = vcpu_abort_nl_get_policy(nl, -1, 0, &policy, NULL);
	if (ret) {
		cmd_error("default: %s", nl->err);
		return VCPUCTL_EXIT_FAIL;
	}
	printf("default: %s\n", vcpu_abort_policy_name(policy));
	return VCPUCTL_EXIT_OK;
}

static int policy_pid(struct vcpu_abort_nl *nl, long pid, int set)
{
	const uint32_t flags = VCPU_ABORT_FLAG_FOREIGN_VM;
	struct kvm_fd fds[MAX_KVM_FDS];
	int nr, i, j, done = 0, ret = VCPUCTL_EXIT_OK;

	nr = borrow_kvm_fds(pid, fds, MAX_KVM_FDS);
	if (nr < 0) {
		cmd_error("KVM fds of pid %ld: %s", pid, strerror(-nr));
		return VCPUCTL_EXIT_FAIL;
	}
	if (!nr) {
		cmd_error("pid %ld has no KVM VM or vCPU fd", pid);
		return VCPUCTL_EXIT_FAIL;
	}
	for (i = 0; i < nr; i++) {
		uint32_t policy;
		int err, seen = 0;

		/* Which VM: the first fd of each VM acts for it. */
		err = vcpu_abort_nl_get_policy(nl, fds[i].fd, flags, &policy,
					       &fds[i].vm_id);
		for (j = 0; !err && j < i; j++)
			seen |= fds[j].vm_id == fds[i].vm_id &&
				fds[i].vm_id != VCPU_ABORT_NL_NO_VM;
		if (seen)
			continue;
		if (!err && set >= 0) {
			err = vcpu_abort_nl_set_policy(nl, fds[i].fd, flags, set,
						       NULL);
			if (!err)
				err = vcpu_abort_nl_get_policy(nl, fds[i].fd,
							       flags, &policy,
							       &fds[i].vm_id);
		}
		if (err) {
			cmd_error("pid %ld %s fd %d: %s", pid,
				  fds[i].is_vm ? "VM" : "vCPU", fds[i].remote_fd,
				  nl->err);
			ret = VCPUCTL_EXIT_FAIL;
			continue;
		}
		printf("pid %ld vm %u: %s\n", pid, fds[i].vm_id,
		       vcpu_abort_policy_name(policy));
		done++;
	}
	for (i = 0; i < nr; i++)
		close(fds[i].fd);
	return done ? ret : VCPUCTL_EXIT_FAIL;
}

static int dflt;

static const struct opt policy_opts[] = {
	OPT_FLAG(0, "default", &dflt,
		 "the module's default, for VMs without a policy of\n"
		 "their own (needs CAP_NET_ADMIN), instead of PID"),
	OPT_END(),
};

static int run_policy(int argc, char **argv)
{
	struct vcpu_abort_nl nl;
	int set = -1, ret;
	long pid = 0;

	if (!dflt) {
		if (!argc)
			return usage_error(current_cmd, "missing PID (or --default)");
		if (parse_pid(argv[0], &pid))
			return usage_error(current_cmd, "'%s' is not a PID",
					   argv[0]);
		argc--;
		argv++;
	}
	if (argc > 1)
		return usage_error(current_cmd, "unexpected argument '%s'",
				   argv[1]);
	if (argc) {
		set = vcpu_abort_policy_parse(argv[0]);
		if (set < 0)
			return usage_error(current_cmd,
					   "'%s' is not a policy (off, reset, always)",
					   argv[0]);
	}

	ret = nl_open_or_exit(&nl);
	if (ret >= 0)
		return ret;
	ret = dflt ? policy_default(&nl, set) : policy_pid(&nl, pid, set);
	vcpu_abort_nl_close(&nl);
	return ret;
}

const struct cmd cmd_policy = {
	.name = "policy",
	.args = "[PID] [off|reset|always]",
	.summary = "show or set the auto-abort policy of a process's VMs, or the\n"
		   "module's default (vcpu_abort netlink)",
	.description =
"Shows or sets when the vcpu_abort module discards a pending completion by\n"
"itself: off (only explicit aborts), reset (when userspace resets a vCPU or\n"
"writes registers that move its PC), always (on every register write).\n"
"With PID: every VM of that process; its VM or vCPU fds are borrowed with\n"
"pidfd_getfd(), which needs ptrace access to PID. Prints one line per VM,\n"
"\"pid PID vm ID: POLICY\", or \"default: POLICY\".",
	.opts = policy_opts,
	.max_args = 2,
	.run = run_policy,
};
