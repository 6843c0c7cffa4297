// SPDX-License-Identifier: GPL-2.0
/*
 * ppc64le part of vcpuctl bench: a loop of MMIO loads, copied
 * into guest.h's RAM slot, well above guest.S.
 */

#include <assert.h>

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

static_assert(sizeof(struct kvm_regs) <= sizeof(struct bench_regs),
	      "struct bench_regs holds a struct kvm_regs");

const char *const arch_bench_reg_write_name = "KVM_SET_REGS";

int arch_bench_reg_read(struct vcpu *vcpu, struct bench_regs *regs)
{
	return vcpu_ioctl(vcpu, KVM_GET_REGS, regs) < 0 ?
	       -vcpu->vm->err_errno : 0;
}

int arch_bench_reg_write(struct vcpu *vcpu, const struct bench_regs *regs)
{
	return vcpu_ioctl(vcpu, KVM_SET_REGS, (void *)regs) < 0 ?
	       -vcpu->vm->err_errno : 0;
}

/*
 * Book3S KVM has no KVM_CAP_SYNC_REGS (BookE's sync area holds no GPRs):
 * a VMM that syncs state reads and writes every GPR and the PC with
 * KVM_GET_REGS and KVM_SET_REGS around KVM_RUN. r3 is the load's.
 */
const char *const arch_bench_sync_name =
	"KVM_SET_REGS before, KVM_GET_REGS after KVM_RUN";

int arch_bench_sync_read(struct vcpu *vcpu, struct bench_regs *regs)
{
	return arch_bench_reg_read(vcpu, regs);
}

int arch_bench_sync_write(struct vcpu *vcpu, struct bench_regs *regs,
			  uint64_t mark)
{
	((struct kvm_regs *)regs)->gpr[3] = mark;
	return arch_bench_reg_write(vcpu, regs);
}
