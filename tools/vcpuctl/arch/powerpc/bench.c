// SPDX-License-Identifier: GPL-2.0
/*
 * ppc64le part of vcpuctl bench: a loop of MMIO loads, copied
 * into guest.h's RAM slot, well above guest.S.
 */
#include <errno.h>
#include <string.h>

#include <vcpuctl/bench.h>

#include "guest.h"

#define PPC_BENCH_LOAD	0x80000

/* The loop, in bench-guest.S. */

extern const char ppc_bench_start[], ppc_bench_end[];

const uint64_t arch_bench_mmio_gpa = PPC_MMIO_DATA;
const uint32_t arch_bench_mmio_len = 8;

int arch_bench_vm_setup(struct vm *vm)
{
	size_t len = ppc_bench_end - ppc_bench_start;
	void *hva = vm_gpa_to_hva(vm, PPC_BENCH_LOAD, len);

	if (!hva)
		return vm_error(vm, EFAULT, "no RAM at 0x%x for the bench loop",
				PPC_BENCH_LOAD);
	memcpy(hva, ppc_bench_start, len);
	return 0;
}

/* MSR (little-endian, 64-bit, real mode) stays as arch_vcpu_setup left it. */
int arch_bench_enter_loop(struct vcpu *vcpu)
{
	struct kvm_regs regs;

	if (vcpu_ioctl(vcpu, KVM_GET_REGS, &regs) < 0)
		return -vcpu->vm->err_errno;
	regs.pc = PPC_BENCH_LOAD;
	return vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) < 0 ?
	       -vcpu->vm->err_errno : 0;
}
