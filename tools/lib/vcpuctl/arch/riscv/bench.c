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

/* a0: where the bench loop's load goes. */
#define RISCV_REG_A0	(KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CORE | \
			 KVM_REG_RISCV_CORE_REG(regs.a0))

/* In struct bench_regs: v[0] the PC, v[1] a0. */
static int one_reg(struct vcpu *vcpu, unsigned long req, uint64_t id,
		   uint64_t *val)
{
	struct kvm_one_reg one = { .id = id, .addr = (uintptr_t)val };

	return vcpu_ioctl(vcpu, req, &one) < 0 ? -vcpu->vm->err_errno : 0;
}

/* riscv has no KVM_SET_REGS: a register write is a KVM_SET_ONE_REG. */
const char *const arch_bench_reg_write_name = "KVM_SET_ONE_REG of the PC";

int arch_bench_reg_read(struct vcpu *vcpu, struct bench_regs *regs)
{
	return one_reg(vcpu, KVM_GET_ONE_REG, RISCV_REG_PC, &regs->v[0]);
}

int arch_bench_reg_write(struct vcpu *vcpu, const struct bench_regs *regs)
{
	uint64_t pc = regs->v[0];

	return one_reg(vcpu, KVM_SET_ONE_REG, RISCV_REG_PC, &pc);
}

/*
 * riscv KVM has no KVM_CAP_SYNC_REGS: a VMM that syncs state reads and
 * writes registers with ONE_REG ioctls around KVM_RUN. Here the two a
 * sync of this loop must carry: a0 (the load's) and the PC.
 */
const char *const arch_bench_sync_name =
	"KVM_SET_ONE_REG a0 and PC before, KVM_GET_ONE_REG after KVM_RUN";

int arch_bench_sync_setup(struct vcpu *vcpu, char *why, size_t len)
{
	(void)vcpu;
	(void)why;
	(void)len;
	return 1;
}

int arch_bench_sync_read(struct vcpu *vcpu, struct bench_regs *regs)
{
	int ret = one_reg(vcpu, KVM_GET_ONE_REG, RISCV_REG_A0, &regs->v[1]);

	return ret ? ret : one_reg(vcpu, KVM_GET_ONE_REG, RISCV_REG_PC,
				   &regs->v[0]);
}

int arch_bench_sync_write(struct vcpu *vcpu, struct bench_regs *regs,
			  uint64_t mark)
{
	int ret;

	regs->v[1] = mark;
	ret = one_reg(vcpu, KVM_SET_ONE_REG, RISCV_REG_A0, &regs->v[1]);
	return ret ? ret : one_reg(vcpu, KVM_SET_ONE_REG, RISCV_REG_PC,
				   &regs->v[0]);
}
