// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 part of vcpuctl bench: a loop of MMIO loads, copied into
 * the upper half of guest.h's RAM slot, well above guest.S.
 */

#include <vcpuctl/bench.h>

#include "guest.h"

#define ARM64_BENCH_LOAD	(ARM64_RAM_BASE + 0x8000)

#define ARM64_REG_PC	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(regs.pc))

const uint64_t arch_bench_mmio_gpa = ARM64_MMIO_DATA;
const uint32_t arch_bench_mmio_len = 8;

/* Where bench_vm_load_loop() copies the loop of bench-guest.S. */
const uint64_t arch_bench_loop_gpa = ARM64_BENCH_LOAD;

int arch_bench_enter_loop(struct vcpu *vcpu)
{
	uint64_t pc = ARM64_BENCH_LOAD;
	struct kvm_one_reg one = { .id = ARM64_REG_PC, .addr = (uintptr_t)&pc };

	return vcpu_ioctl(vcpu, KVM_SET_ONE_REG, &one) < 0 ?
	       -vcpu->vm->err_errno : 0;
}

/*
 * The register-write and state-sync rows (bench-one-reg.c): arm64 KVM has no
 * KVM_SET_REGS and no KVM_CAP_SYNC_REGS, so a VMM moves the PC and x0,
 * where the bench loop's load goes, with ONE_REG ioctls.
 */
const uint64_t arch_bench_one_reg_pc = ARM64_REG_PC;
const uint64_t arch_bench_one_reg_load = KVM_REG_ARM64 | KVM_REG_SIZE_U64 |
	KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(regs.regs[0]);
const char *const arch_bench_sync_name =
	"KVM_SET_ONE_REG x0 and PC before, KVM_GET_ONE_REG after KVM_RUN";
