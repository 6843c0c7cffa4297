// SPDX-License-Identifier: GPL-2.0
/*
 * x86 part of vcpuctl bench: a loop of MMIO loads, copied into
 * the RAM of guest.h's layout, well above guest.S and its buffers.
 */

#include <vcpuctl/bench.h>

#include "guest.h"

#define X86_BENCH_LOAD	0x8000

const uint64_t arch_bench_mmio_gpa = X86_MMIO_DATA;
const uint32_t arch_bench_mmio_len = 4;

/* Where bench_vm_load_loop() copies the loop of bench-guest.S. */
const uint64_t arch_bench_loop_gpa = X86_BENCH_LOAD;

int arch_bench_enter_loop(struct vcpu *vcpu)
{
	struct kvm_regs regs;

	if (vcpu_ioctl(vcpu, KVM_GET_REGS, &regs) < 0)
		return -vcpu->vm->err_errno;
	regs.rip = X86_BENCH_LOAD;
	return vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) < 0 ?
	       -vcpu->vm->err_errno : 0;
}
