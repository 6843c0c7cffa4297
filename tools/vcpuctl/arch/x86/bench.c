// SPDX-License-Identifier: GPL-2.0
/*
 * x86 part of vcpuctl bench: a loop of MMIO loads, copied into
 * the RAM of guest.h's layout, well above guest.S and its buffers.
 */
#include <errno.h>
#include <string.h>

#include <vcpuctl/bench.h>

#include "guest.h"

#define X86_BENCH_LOAD	0x8000

/* The loop, in bench-guest.S. */

extern const char x86_bench_start[], x86_bench_end[];

const uint64_t arch_bench_mmio_gpa = X86_MMIO_DATA;
const uint32_t arch_bench_mmio_len = 4;

int arch_bench_vm_setup(struct vm *vm)
{
	size_t len = x86_bench_end - x86_bench_start;
	void *hva = vm_gpa_to_hva(vm, X86_BENCH_LOAD, len);

	if (!hva)
		return vm_error(vm, EFAULT, "no RAM at 0x%x for the bench loop",
				X86_BENCH_LOAD);
	memcpy(hva, x86_bench_start, len);
	return 0;
}

int arch_bench_enter_loop(struct vcpu *vcpu)
{
	struct kvm_regs regs;

	if (vcpu_ioctl(vcpu, KVM_GET_REGS, &regs) < 0)
		return -vcpu->vm->err_errno;
	regs.rip = X86_BENCH_LOAD;
	return vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) < 0 ?
	       -vcpu->vm->err_errno : 0;
}
