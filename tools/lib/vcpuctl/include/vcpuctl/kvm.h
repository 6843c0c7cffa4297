/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal KVM helpers: /dev/kvm, one VM with flat memory slots, vCPUs with
 * their mmap'ed kvm_run, KVM_RUN, and two thread helpers. Shaped like
 * kvmtool's kvm.c/kvm-cpu.c and the selftests' kvm_util, except that a
 * failure is not fatal: it is recorded in vm->err as
 * "<step>: <IOCTL>: <strerror> (errno N)" so that one failing race case
 * can be reported in its table row while the others still run.
 */
#ifndef VCPUCTL_KVM_H
#define VCPUCTL_KVM_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#include <vcpuctl/compiler.h>

#define VM_MAX_MEM_REGIONS	4
#define VM_ERR_LEN		320

/* Where the device is looked for; $VCPUCTL_KVM_DEV or --kvm-dev change it. */
#define KVM_DEV_DEFAULT		"/dev/kvm"

struct vm_mem_region {
	uint64_t gpa;
	uint64_t size;
	void *hva;
};

struct vm {
	int kvm_fd;		/* /dev/kvm */
	int fd;			/* the VM */
	int run_size;		/* KVM_GET_VCPU_MMAP_SIZE */
	const char *step;	/* what we are doing, prefixed to errors */
	int nr_regions;
	struct vm_mem_region regions[VM_MAX_MEM_REGIONS];
	int err_errno;		/* errno of the first failure, 0 if none */
	char err[VM_ERR_LEN];	/* first failure, empty if none */
};

struct vcpu {
	struct vm *vm;
	int id;
	int fd;
	struct kvm_run *run;
};

const char *kvm_dev_path(void);
void kvm_set_dev_path(const char *path);
/* Opens the KVM device; on failure returns -errno and a message in err. */
int kvm_open_dev(char *err, size_t len);

int vm_create(struct vm *vm, unsigned long type);
void vm_destroy(struct vm *vm);
/* KVM_CHECK_EXTENSION on the VM (value, 0 if absent); never an error. */
int vm_check_cap(struct vm *vm, long cap);
int vm_enable_cap(struct vm *vm, uint32_t cap, uint64_t arg0);
/* Anonymous memory at gpa, registered as the next memory slot. */
void *vm_add_memory(struct vm *vm, uint64_t gpa, uint64_t size);
void *vm_gpa_to_hva(struct vm *vm, uint64_t gpa, uint64_t size);

int vcpu_create(struct vm *vm, struct vcpu *vcpu, int id);
void vcpu_destroy(struct vcpu *vcpu);
/* One KVM_RUN: 0, or -errno (recorded unless it is EINTR). */
int vcpu_run(struct vcpu *vcpu);

int __vm_ioctl(struct vm *vm, int fd, unsigned long req, const char *name,
	       void *arg);
/* The ioctl of a VM or vCPU, named in the error it records. */
#define vm_ioctl(vm, req, arg)		__vm_ioctl_vm(vm, req, #req, arg)
#define vcpu_ioctl(vcpu, req, arg)	__vcpu_ioctl(vcpu, req, #req, arg)

static inline int __vm_ioctl_vm(struct vm *vm, unsigned long req,
				const char *name, void *arg)
{
	return __vm_ioctl(vm, vm->fd, req, name, arg);
}

static inline int __vcpu_ioctl(struct vcpu *vcpu, unsigned long req,
			       const char *name, void *arg)
{
	return __vm_ioctl(vcpu->vm, vcpu->fd, req, name, arg);
}

/* Records the first failure of the VM ("<step>: <message>"); returns -err. */
__printf(3, 4)
int vm_error(struct vm *vm, int err, const char *fmt, ...);

const char *kvm_exit_name(uint32_t reason);
/* One line describing the exit in run, e.g. "KVM_EXIT_MMIO write ...". */
void kvm_describe_exit(const struct kvm_run *run, char *buf, size_t len);

/* Record "expected WANT, got <the exit>" as the VM's error; returns -EPROTO. */
int kvm_unexpected_exit(struct vcpu *vcpu, const char *want);

/*
 * Check that the vCPU stopped on an MMIO access of LEN (<= 8) bytes at GPA
 * in the given direction, answer a load with ANSWER and describe the exit
 * in DESC. run->exit_reason stays KVM_EXIT_MMIO: that is what arms KVM's
 * completion on the next KVM_RUN.
 */
int kvm_answer_mmio(struct vcpu *vcpu, int write, uint64_t gpa, uint32_t len,
		    uint64_t answer, char *desc, size_t desc_len);

/*
 * Threads. A handoff is a monotonic state number that one thread posts and
 * another waits for; that is all the race needs to stop the vCPU thread in
 * its pending exit while another thread resets it.
 */
struct handoff {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int state;
};

void handoff_init(struct handoff *h);
void handoff_destroy(struct handoff *h);
void handoff_post(struct handoff *h, int state);
/* Waits until the state is >= state; returns the state or -ETIMEDOUT. */
int handoff_wait(struct handoff *h, int state, int timeout_ms);

/* Kicks a thread out of KVM_RUN (KVM_RUN then fails with EINTR). */
void vcpu_thread_kick(pthread_t thread);

#endif /* VCPUCTL_KVM_H */
