/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vCPUs of another running process (a VMM): found under /proc/PID/fd
 * by their anon inode name "kvm-vcpu:N" and duplicated into this process
 * with pidfd_getfd(), which applies the kernel's ptrace access checks.
 */
#ifndef VCPUCTL_REMOTE_VCPU_H
#define VCPUCTL_REMOTE_VCPU_H

#include <sys/types.h>

#define REMOTE_MAX_VCPUS	64

struct remote_vcpu {
	int id;		/* N of "kvm-vcpu:N" */
	int remote_fd;	/* its fd number in the other process */
	int fd;		/* our duplicate, or -1 */
};

/*
 * Duplicates the vCPU fds of pid (only vCPU id if id >= 0) into vcpus[].
 * Returns how many, or -errno (ESRCH: no such process; EPERM: no ptrace
 * access; ENOENT: no such vCPU). Close them with remote_vcpus_close().
 */
int remote_vcpus_get(pid_t pid, int id, struct remote_vcpu *vcpus, int max);
void remote_vcpus_close(struct remote_vcpu *vcpus, int nr);

#endif /* VCPUCTL_REMOTE_VCPU_H */
