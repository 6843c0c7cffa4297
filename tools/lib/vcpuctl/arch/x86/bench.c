// SPDX-License-Identifier: GPL-2.0
/*
 * x86 part of vcpuctl bench: a loop of MMIO loads, copied into
 * the RAM of guest.h's layout, well above guest.S and its buffers.
 */

#include <assert.h>

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
 * KVM's own state sync: with KVM_SYNC_X86_REGS in kvm_valid_regs, every
 * exit stores the GPRs, RIP and RFLAGS in the run page; with it in
 * kvm_dirty_regs, KVM_RUN loads them back (__set_regs()) before it
 * completes the pending exit. No extra ioctl: the hook is inside KVM_RUN.
 */
const char *const arch_bench_sync_name =
	"kvm_dirty_regs = KVM_SYNC_X86_REGS on every KVM_RUN";

int arch_bench_sync_setup(struct vcpu *vcpu, char *why, size_t len)
{
	if (!(vm_check_cap(vcpu->vm, KVM_CAP_SYNC_REGS) & KVM_SYNC_X86_REGS)) {
		snprintf(why, len, "no KVM_SYNC_X86_REGS in KVM_CAP_SYNC_REGS");
		return 0;
	}
	vcpu->run->kvm_valid_regs = KVM_SYNC_X86_REGS;
	return 1;
}

/* The exit left them in the run page. */
int arch_bench_sync_read(struct vcpu *vcpu, struct bench_regs *regs)
{
	(void)vcpu;
	(void)regs;
	return 0;
}

int arch_bench_sync_write(struct vcpu *vcpu, struct bench_regs *regs,
			  uint64_t mark)
{
	(void)regs;
	vcpu->run->s.regs.regs.rax = mark;
	vcpu->run->kvm_dirty_regs = KVM_SYNC_X86_REGS;
	return 0;
}
