// SPDX-License-Identifier: GPL-2.0
/*
 * Borrowing the vCPU fds of another process: pidfd_open() + pidfd_getfd().
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <vcpuctl/remote-vcpu.h>

/* "anon_inode:kvm-vcpu:N" is how KVM names a vCPU file. */
static int vcpu_id_of_link(const char *target)
{
	const char *prefix = "anon_inode:kvm-vcpu:";
	char *end;
	long id;

	if (strncmp(target, prefix, strlen(prefix)))
		return -1;
	id = strtol(target + strlen(prefix), &end, 10);
	return *end || id < 0 || id > INT_MAX ? -1 : (int)id;
}

int remote_vcpus_get(pid_t pid, int id, struct remote_vcpu *vcpus, int max)
{
	char dir_path[64], link_path[PATH_MAX], target[PATH_MAX];
	struct dirent *de;
	int pidfd, nr = 0, err = 0;
	DIR *dir;

	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	snprintf(dir_path, sizeof(dir_path), "/proc/%d/fd", (int)pid);
	dir = opendir(dir_path);
	if (!dir) {
		err = -errno;
		close(pidfd);
		return err;
	}
	while ((de = readdir(dir)) && nr < max) {
		ssize_t n;
		int vcpu_id, fd;

		snprintf(link_path, sizeof(link_path), "%s/%s", dir_path,
			 de->d_name);
		n = readlink(link_path, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		vcpu_id = vcpu_id_of_link(target);
		if (vcpu_id < 0 || (id >= 0 && vcpu_id != id))
			continue;
		fd = syscall(SYS_pidfd_getfd, pidfd, atoi(de->d_name), 0);
		if (fd < 0) {
			err = -errno;
			break;
		}
		vcpus[nr++] = (struct remote_vcpu) {
			.id = vcpu_id, .remote_fd = atoi(de->d_name), .fd = fd,
		};
	}
	closedir(dir);
	close(pidfd);
	if (err) {
		remote_vcpus_close(vcpus, nr);
		return err;
	}
	return nr ? nr : -ENOENT;
}

void remote_vcpus_close(struct remote_vcpu *vcpus, int nr)
{
	while (nr-- > 0)
		if (vcpus[nr].fd >= 0)
			close(vcpus[nr].fd);
}
