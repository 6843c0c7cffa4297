// SPDX-License-Identifier: GPL-2.0
/*
 * ppc64le part of vcpuctl bench: a loop of MMIO loads, copied
 * into guest.h's RAM slot, well above guest.S.
 */

#include <vcpuctl/bench.h>

#include "guest.h"

#define PPC_BENCH_LOAD	0x80000

const uint64_t arch_bench_mmio_gpa = PPC_MMIO_DATA;
const uint32_t arch_bench_mmio_len = 8;

/* Where bench_vm_load_loop() copies the loop of bench-guest.S. */
const uint64_t arch_bench_loop_gpa = PPC_BENCH_LOAD;

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
