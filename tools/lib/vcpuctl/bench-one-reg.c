// SPDX-License-Identifier: GPL-2.0
/*
 * The register-write and state-sync rows of vcpuctl bench for the arches
 * whose KVM has neither KVM_SET_REGS nor KVM_CAP_SYNC_REGS (arm64,
 * riscv): a VMM there moves registers with KVM_{GET,SET}_ONE_REG. The
 * arch names the two registers (arch_bench_one_reg_pc and _load, in its
 * bench.c); the Makefile links this file for those arches only.
 */

#include <vcpuctl/bench.h>

/* In struct bench_regs: v[0] the PC, v[1] the bench loop's load register. */
static int one_reg(struct vcpu *vcpu, unsigned long req, uint64_t id,
		   uint64_t *val)
{
	struct kvm_one_reg one = { .id = id, .addr = (uintptr_t)val };

	return vcpu_ioctl(vcpu, req, &one) < 0 ? -vcpu->vm->err_errno : 0;
}

const char *const arch_bench_reg_write_name = "KVM_SET_ONE_REG of the PC";

int arch_bench_reg_read(struct vcpu *vcpu, struct bench_regs *regs)
{
	return one_reg(vcpu, KVM_GET_ONE_REG, arch_bench_one_reg_pc,
		       &regs->v[0]);
}

int arch_bench_reg_write(struct vcpu *vcpu, const struct bench_regs *regs)
{
	uint64_t pc = regs->v[0];

	return one_reg(vcpu, KVM_SET_ONE_REG, arch_bench_one_reg_pc, &pc);
}

int arch_bench_sync_read(struct vcpu *vcpu, struct bench_regs *regs)
{
	int ret = one_reg(vcpu, KVM_GET_ONE_REG, arch_bench_one_reg_load,
			  &regs->v[1]);

	return ret ? ret : one_reg(vcpu, KVM_GET_ONE_REG,
				   arch_bench_one_reg_pc, &regs->v[0]);
}

int arch_bench_sync_write(struct vcpu *vcpu, struct bench_regs *regs,
			  uint64_t mark)
{
	int ret;

	regs->v[1] = mark;
	ret = one_reg(vcpu, KVM_SET_ONE_REG, arch_bench_one_reg_load,
		      &regs->v[1]);
	return ret ? ret : one_reg(vcpu, KVM_SET_ONE_REG,
				   arch_bench_one_reg_pc, &regs->v[0]);
}
