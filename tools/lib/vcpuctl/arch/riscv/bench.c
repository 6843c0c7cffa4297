// SPDX-License-Identifier: GPL-2.0
/*
 * riscv64 part of vcpuctl bench: a loop of MMIO loads, copied into the
 * upper half of guest.h's RAM slot, well above guest.S.
 */

#include <vcpuctl/bench.h>

#include "guest.h"

#define RISCV_BENCH_LOAD	(RISCV_RAM_BASE + 0x8000)

#define RISCV_REG_PC	(KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CORE | \
			 KVM_REG_RISCV_CORE_REG(regs.pc))

const uint64_t arch_bench_mmio_gpa = RISCV_MMIO_DATA;
const uint32_t arch_bench_mmio_len = 8;

/* Where bench_vm_load_loop() copies the loop of bench-guest.S. */
const uint64_t arch_bench_loop_gpa = RISCV_BENCH_LOAD;

int arch_bench_enter_loop(struct vcpu *vcpu)
{
	uint64_t pc = RISCV_BENCH_LOAD;
	struct kvm_one_reg one = { .id = RISCV_REG_PC, .addr = (uintptr_t)&pc };

	return vcpu_ioctl(vcpu, KVM_SET_ONE_REG, &one) < 0 ?
	       -vcpu->vm->err_errno : 0;
}

/*
 * The register-write and state-sync rows (bench-one-reg.c): riscv KVM has no
 * KVM_SET_REGS and no KVM_CAP_SYNC_REGS, so a VMM moves the PC and a0,
 * where the bench loop's load goes, with ONE_REG ioctls.
 */
const uint64_t arch_bench_one_reg_pc = RISCV_REG_PC;
const uint64_t arch_bench_one_reg_load = KVM_REG_RISCV | KVM_REG_SIZE_U64 |
	KVM_REG_RISCV_CORE | KVM_REG_RISCV_CORE_REG(regs.a0);
const char *const arch_bench_sync_name =
	"KVM_SET_ONE_REG a0 and PC before, KVM_GET_ONE_REG after KVM_RUN";
