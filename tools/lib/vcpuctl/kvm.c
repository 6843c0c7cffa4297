// SPDX-License-Identifier: GPL-2.0
/*
 * VM and vCPU helpers: the part of a VMM that every arch shares.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <vcpuctl/kvm.h>

static const char *kvm_dev;

const char *kvm_dev_path(void)
{
	const char *env;

	if (kvm_dev)
		return kvm_dev;
	env = getenv("VCPUCTL_KVM_DEV");
	return env && *env ? env : KVM_DEV_DEFAULT;
}

void kvm_set_dev_path(const char *path)
{
	kvm_dev = path;
}

int kvm_open_dev(char *err, size_t len)
{
	const char *path = kvm_dev_path();
	int fd, api;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		snprintf(err, len, "%s: %s", path, strerror(e));
		return -e;
	}
	api = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION) {
		int e = api < 0 ? errno : EINVAL;

		if (api < 0)
			snprintf(err, len, "%s: KVM_GET_API_VERSION: %s", path,
				 strerror(e));
		else
			snprintf(err, len,
				 "%s: KVM API version %d, expected %d", path,
				 api, KVM_API_VERSION);
		close(fd);
		return -e;
	}
	return fd;
}

int vm_error(struct vm *vm, int err, const char *fmt, ...)
{
	size_t n = 0;
	va_list ap;

	/* Keep the first failure: later ones are usually consequences. */
	if (!vm->err[0]) {
		if (vm->step)
			n = snprintf(vm->err, sizeof(vm->err) / 2, "%s: ",
				     vm->step);
		va_start(ap, fmt);
		vsnprintf(vm->err + n, sizeof(vm->err) - n, fmt, ap);
		va_end(ap);
		vm->err_errno = err ? err : EIO;
	}
	return -(err ? err : EIO);
}

int __vm_ioctl(struct vm *vm, int fd, unsigned long req, const char *name,
	       void *arg)
{
	int ret = ioctl(fd, req, arg);

	if (ret < 0) {
		int e = errno;

		return vm_error(vm, e, "%s: %s (errno %d)", name, strerror(e),
				e);
	}
	return ret;
}

int vm_create(struct vm *vm, unsigned long type)
{
	char err[VM_ERR_LEN];
	int ret;

	memset(vm, 0, sizeof(*vm));
	vm->fd = -1;
	vm->step = "create VM";
	vm->kvm_fd = kvm_open_dev(err, sizeof(err));
	if (vm->kvm_fd < 0)
		return vm_error(vm, -vm->kvm_fd, "%s", err);

	ret = __vm_ioctl(vm, vm->kvm_fd, KVM_CREATE_VM, "KVM_CREATE_VM",
			 (void *)type);
	if (ret < 0)
		return ret;
	vm->fd = ret;

	ret = __vm_ioctl(vm, vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE,
			 "KVM_GET_VCPU_MMAP_SIZE", NULL);
	if (ret < 0)
		return ret;
	vm->run_size = ret;
	return 0;
}

void vm_destroy(struct vm *vm)
{
	int i;

	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	for (i = 0; i < vm->nr_regions; i++)
		munmap(vm->regions[i].hva, vm->regions[i].size);
	vm->fd = -1;
	vm->kvm_fd = -1;
	vm->nr_regions = 0;
}

int vm_check_cap(struct vm *vm, long cap)
{
	int ret = -1;

	/* Per-VM answers are more precise (e.g. arm64 IPA size, ppc HV/PR). */
	if (vm->fd >= 0)
		ret = ioctl(vm->fd, KVM_CHECK_EXTENSION, cap);
	if (ret < 0)
		ret = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, cap);
	return ret < 0 ? 0 : ret;
}

int vm_enable_cap(struct vm *vm, uint32_t cap, uint64_t arg0)
{
	struct kvm_enable_cap ec = { .cap = cap, .args = { arg0 } };

	return vm_ioctl(vm, KVM_ENABLE_CAP, &ec);
}

void *vm_add_memory(struct vm *vm, uint64_t gpa, uint64_t size)
{
	struct kvm_userspace_memory_region region;
	void *hva;

	if (vm->nr_regions == VM_MAX_MEM_REGIONS) {
		vm_error(vm, ENOSPC, "too many memory regions");
		return NULL;
	}
	hva = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (hva == MAP_FAILED) {
		vm_error(vm, errno, "mmap guest memory: %s", strerror(errno));
		return NULL;
	}
	region = (struct kvm_userspace_memory_region) {
		.slot = vm->nr_regions,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};
	if (vm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		munmap(hva, size);
		return NULL;
	}
	vm->regions[vm->nr_regions++] = (struct vm_mem_region) {
		.gpa = gpa, .size = size, .hva = hva,
	};
	return hva;
}

void *vm_gpa_to_hva(struct vm *vm, uint64_t gpa, uint64_t size)
{
	int i;

	for (i = 0; i < vm->nr_regions; i++) {
		struct vm_mem_region *r = &vm->regions[i];

		if (gpa >= r->gpa && gpa + size <= r->gpa + r->size)
			return (char *)r->hva + (gpa - r->gpa);
	}
	return NULL;
}

int vcpu_create(struct vm *vm, struct vcpu *vcpu, int id)
{
	void *run;
	int ret;

	memset(vcpu, 0, sizeof(*vcpu));
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->fd = -1;
	ret = vm_ioctl(vm, KVM_CREATE_VCPU, (void *)(long)id);
	if (ret < 0)
		return ret;
	vcpu->fd = ret;
	run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   vcpu->fd, 0);
	if (run == MAP_FAILED)
		return vm_error(vm, errno, "mmap kvm_run: %s", strerror(errno));
	vcpu->run = run;
	return 0;
}

void vcpu_destroy(struct vcpu *vcpu)
{
	if (vcpu->run)
		munmap(vcpu->run, vcpu->vm->run_size);
	if (vcpu->fd >= 0)
		close(vcpu->fd);
	vcpu->run = NULL;
	vcpu->fd = -1;
}

int vcpu_run(struct vcpu *vcpu)
{
	if (ioctl(vcpu->fd, KVM_RUN, NULL) < 0) {
		int e = errno;

		/* EINTR is a result (immediate_exit, a kick), not a failure. */
		if (e == EINTR)
			return -EINTR;
		return vm_error(vcpu->vm, e, "KVM_RUN: %s (errno %d)",
				strerror(e), e);
	}
	return 0;
}

static const char *const exit_names[] = {
	[KVM_EXIT_UNKNOWN] = "KVM_EXIT_UNKNOWN",
	[KVM_EXIT_EXCEPTION] = "KVM_EXIT_EXCEPTION",
	[KVM_EXIT_IO] = "KVM_EXIT_IO",
	[KVM_EXIT_HYPERCALL] = "KVM_EXIT_HYPERCALL",
	[KVM_EXIT_DEBUG] = "KVM_EXIT_DEBUG",
	[KVM_EXIT_HLT] = "KVM_EXIT_HLT",
	[KVM_EXIT_MMIO] = "KVM_EXIT_MMIO",
	[KVM_EXIT_IRQ_WINDOW_OPEN] = "KVM_EXIT_IRQ_WINDOW_OPEN",
	[KVM_EXIT_SHUTDOWN] = "KVM_EXIT_SHUTDOWN",
	[KVM_EXIT_FAIL_ENTRY] = "KVM_EXIT_FAIL_ENTRY",
	[KVM_EXIT_INTR] = "KVM_EXIT_INTR",
	[KVM_EXIT_SET_TPR] = "KVM_EXIT_SET_TPR",
	[KVM_EXIT_TPR_ACCESS] = "KVM_EXIT_TPR_ACCESS",
	[KVM_EXIT_S390_SIEIC] = "KVM_EXIT_S390_SIEIC",
	[KVM_EXIT_S390_RESET] = "KVM_EXIT_S390_RESET",
	[KVM_EXIT_DCR] = "KVM_EXIT_DCR",
	[KVM_EXIT_NMI] = "KVM_EXIT_NMI",
	[KVM_EXIT_INTERNAL_ERROR] = "KVM_EXIT_INTERNAL_ERROR",
	[KVM_EXIT_OSI] = "KVM_EXIT_OSI",
	[KVM_EXIT_PAPR_HCALL] = "KVM_EXIT_PAPR_HCALL",
	[KVM_EXIT_WATCHDOG] = "KVM_EXIT_WATCHDOG",
	[KVM_EXIT_EPR] = "KVM_EXIT_EPR",
	[KVM_EXIT_SYSTEM_EVENT] = "KVM_EXIT_SYSTEM_EVENT",
	[KVM_EXIT_IOAPIC_EOI] = "KVM_EXIT_IOAPIC_EOI",
	[KVM_EXIT_HYPERV] = "KVM_EXIT_HYPERV",
	[KVM_EXIT_ARM_NISV] = "KVM_EXIT_ARM_NISV",
	[KVM_EXIT_X86_RDMSR] = "KVM_EXIT_X86_RDMSR",
	[KVM_EXIT_X86_WRMSR] = "KVM_EXIT_X86_WRMSR",
	[KVM_EXIT_RISCV_SBI] = "KVM_EXIT_RISCV_SBI",
	[KVM_EXIT_RISCV_CSR] = "KVM_EXIT_RISCV_CSR",
};

const char *kvm_exit_name(uint32_t reason)
{
	if (reason < ARRAY_SIZE(exit_names) && exit_names[reason])
		return exit_names[reason];
	return "KVM_EXIT_?";
}

static uint64_t mmio_value(const struct kvm_run *run)
{
	uint64_t v = 0;

	memcpy(&v, run->mmio.data, run->mmio.len < 8 ? run->mmio.len : 8);
	return v;
}

void kvm_describe_exit(const struct kvm_run *run, char *buf, size_t len)
{
	const char *name = kvm_exit_name(run->exit_reason);

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		if (run->mmio.is_write)
			snprintf(buf, len,
				 "%s write, %u bytes at 0x%llx, data 0x%llx",
				 name, run->mmio.len,
				 (unsigned long long)run->mmio.phys_addr,
				 (unsigned long long)mmio_value(run));
		else
			snprintf(buf, len, "%s read, %u bytes at 0x%llx",
				 name, run->mmio.len,
				 (unsigned long long)run->mmio.phys_addr);
		break;
	case KVM_EXIT_IO:
		snprintf(buf, len, "%s %s, port 0x%x, %u bytes x %u", name,
			 run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in",
			 run->io.port, run->io.size, run->io.count);
		break;
	case KVM_EXIT_HYPERCALL:
		snprintf(buf, len, "%s nr 0x%llx, args 0x%llx 0x%llx 0x%llx",
			 name, (unsigned long long)run->hypercall.nr,
			 (unsigned long long)run->hypercall.args[0],
			 (unsigned long long)run->hypercall.args[1],
			 (unsigned long long)run->hypercall.args[2]);
		break;
	case KVM_EXIT_PAPR_HCALL:
		snprintf(buf, len, "%s nr 0x%llx, args 0x%llx 0x%llx", name,
			 (unsigned long long)run->papr_hcall.nr,
			 (unsigned long long)run->papr_hcall.args[0],
			 (unsigned long long)run->papr_hcall.args[1]);
		break;
	case KVM_EXIT_X86_RDMSR:
	case KVM_EXIT_X86_WRMSR:
		snprintf(buf, len, "%s msr 0x%x, reason 0x%x, data 0x%llx",
			 name, run->msr.index, run->msr.reason,
			 (unsigned long long)run->msr.data);
		break;
	case KVM_EXIT_RISCV_SBI:
		snprintf(buf, len,
			 "%s extension 0x%lx function 0x%lx, args 0x%lx 0x%lx",
			 name, run->riscv_sbi.extension_id,
			 run->riscv_sbi.function_id, run->riscv_sbi.args[0],
			 run->riscv_sbi.args[1]);
		break;
	case KVM_EXIT_RISCV_CSR:
		snprintf(buf, len,
			 "%s csr 0x%lx, new 0x%lx, write mask 0x%lx", name,
			 run->riscv_csr.csr_num, run->riscv_csr.new_value,
			 run->riscv_csr.write_mask);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(buf, len, "%s, hardware reason 0x%llx", name,
			 (unsigned long long)
			 run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(buf, len, "%s, suberror %u (ndata %u, data[0] 0x%llx)",
			 name, run->internal.suberror, run->internal.ndata,
			 run->internal.ndata ?
			 (unsigned long long)run->internal.data[0] : 0ULL);
		break;
	case KVM_EXIT_SYSTEM_EVENT:
		snprintf(buf, len, "%s type %u", name, run->system_event.type);
		break;
	default:
		snprintf(buf, len, "%s (%u)", name, run->exit_reason);
		break;
	}
}

void handoff_init(struct handoff *h)
{
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->cond, NULL);
	h->state = 0;
}

void handoff_destroy(struct handoff *h)
{
	pthread_cond_destroy(&h->cond);
	pthread_mutex_destroy(&h->lock);
}

void handoff_post(struct handoff *h, int state)
{
	pthread_mutex_lock(&h->lock);
	if (state > h->state)
		h->state = state;
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->lock);
}

int handoff_wait(struct handoff *h, int state, int timeout_ms)
{
	struct timespec deadline;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&h->lock);
	while (h->state < state && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&h->cond, &h->lock, &deadline);
	ret = h->state >= state ? h->state : -ETIMEDOUT;
	pthread_mutex_unlock(&h->lock);
	return ret;
}

static void kick_handler(int sig)
{
	(void)sig;
}

void vcpu_thread_kick(pthread_t thread)
{
	static int installed;

	if (!installed) {
		/* No SA_RESTART: the signal must end KVM_RUN with EINTR. */
		struct sigaction sa = { .sa_handler = kick_handler };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGUSR1, &sa, NULL);
		installed = 1;
	}
	pthread_kill(thread, SIGUSR1);
}

int kvm_unexpected_exit(struct vcpu *vcpu, const char *want)
{
	char got[160];

	kvm_describe_exit(vcpu->run, got, sizeof(got));
	return vm_error(vcpu->vm, EPROTO, "expected %s, got %s", want, got);
}

int kvm_answer_mmio(struct vcpu *vcpu, int write, uint64_t gpa, uint32_t len,
		    uint64_t answer, char *desc, size_t desc_len)
{
	struct kvm_run *run = vcpu->run;
	uint64_t data = 0;
	char want[64];

	snprintf(want, sizeof(want), "KVM_EXIT_MMIO %s, %u bytes at 0x%llx",
		 write ? "write" : "read", len, (unsigned long long)gpa);
	if (run->exit_reason != KVM_EXIT_MMIO || run->mmio.is_write != write ||
	    run->mmio.phys_addr != gpa || run->mmio.len != len ||
	    len > sizeof(data))
		return kvm_unexpected_exit(vcpu, want);
	/* All three arches run little-endian here: low bytes first. */
	if (write) {
		memcpy(&data, run->mmio.data, len);
		snprintf(desc, desc_len, "%s (data 0x%llx)", want,
			 (unsigned long long)data);
	} else {
		memcpy(run->mmio.data, &answer, len);
		snprintf(desc, desc_len, "%s; answered 0x%llx", want,
			 (unsigned long long)answer);
	}
	return 0;
}
