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
#include <getopt.h>
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

static void usage(FILE *f)
{
	fprintf(f,
"usage: vcpuctl policy --default [off|reset|always]\n"
"       vcpuctl policy PID [off|reset|always]\n"
"\n"
"Shows or sets when the vcpu_abort module discards a pending completion by\n"
"itself: off (only explicit aborts), reset (when userspace resets a vCPU or\n"
"writes registers that move its PC), always (on every register write).\n"
"\n"
"  --default  the module's default, for VMs without a policy of their own\n"
"             (needs CAP_NET_ADMIN)\n"
"  PID        every VM of process PID; its VM or vCPU fds are borrowed with\n"
"             pidfd_getfd(), which needs ptrace access to PID\n"
"\n"
"Prints one line per VM: \"pid PID vm ID: POLICY\", or \"default: POLICY\".\n"
"\n"
"exit codes: 0 done, 1 an error (the message says which), 2 bad command\n"
"line, 4 the vcpu_abort module is not loaded\n");
}

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
			fprintf(stderr, "vcpuctl policy: default: %s\n", nl->err);
			return VCPUCTL_EXIT_FAIL;
		}
	}
	ret = vcpu_abort_nl_get_policy(nl, -1, 0, &policy, NULL);
	if (ret) {
		fprintf(stderr, "vcpuctl policy: default: %s\n", nl->err);
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
		fprintf(stderr, "vcpuctl policy: KVM fds of pid %ld: %s\n", pid,
			strerror(-nr));
		return VCPUCTL_EXIT_FAIL;
	}
	if (!nr) {
		fprintf(stderr, "vcpuctl policy: pid %ld has no KVM VM or vCPU fd\n",
			pid);
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
			fprintf(stderr, "vcpuctl policy: pid %ld %s fd %d: %s\n",
				pid, fds[i].is_vm ? "VM" : "vCPU",
				fds[i].remote_fd, nl->err);
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

int cmd_policy(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "default", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, dflt = 0, set = -1, ret;
	struct vcpu_abort_nl nl;
	long pid = 0;

	while ((opt = getopt_long(argc, argv, "dh", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			dflt = 1;
			break;
		case 'h':
			usage(stdout);
			return VCPUCTL_EXIT_OK;
		default:
			usage(stderr);
			return VCPUCTL_EXIT_USAGE;
		}
	}
	if (!dflt) {
		if (optind >= argc || parse_pid(argv[optind], &pid)) {
			usage(stderr);
			return VCPUCTL_EXIT_USAGE;
		}
		optind++;
	}
	if (optind < argc) {
		set = vcpu_abort_policy_parse(argv[optind++]);
		if (set < 0 || optind < argc) {
			usage(stderr);
			return VCPUCTL_EXIT_USAGE;
		}
	}

	ret = vcpu_abort_nl_open(&nl);
	if (ret) {
		fprintf(stderr, "vcpuctl policy: %s\n", nl.err);
		vcpu_abort_nl_close(&nl);
		return ret == -ENOENT ? VCPUCTL_EXIT_SKIP : VCPUCTL_EXIT_FAIL;
	}
	ret = dflt ? policy_default(&nl, set) : policy_pid(&nl, pid, set);
	vcpu_abort_nl_close(&nl);
	return ret;
}
