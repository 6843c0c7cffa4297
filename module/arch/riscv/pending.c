// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort on riscv: kvm_arch_vcpu_ioctl_run() (arch/riscv/kvm/vcpu.c)
 * first completes the exit that run->exit_reason still names, before it
 * looks at immediate_exit:
 *
 *   KVM_EXIT_MMIO       kvm_riscv_vcpu_mmio_return(): a load writes its
 *                       rd (decoded into arch.mmio_decode at the exit);
 *                       loads and stores alike step sepc over the
 *                       instruction;
 *   KVM_EXIT_RISCV_SBI  kvm_riscv_vcpu_sbi_return(): a0, a1 = the answer,
 *                       sepc += 4 (the ecall), armed by
 *                       kvm_riscv_vcpu_sbi_forward() (6.12) or
 *                       kvm_riscv_vcpu_sbi_forward_handler() (7.x);
 *   KVM_EXIT_RISCV_CSR  kvm_riscv_vcpu_csr_return(): rd of the CSR
 *                       instruction = the answer, sepc steps over it.
 *
 * Each of them runs once: the exit clears its return_handled flag and the
 * completion sets it. Neither KVM_SET_ONE_REG nor a vCPU reset
 * (kvm_riscv_reset_vcpu(), 7.x's KVM_SET_MP_STATE to INIT_RECEIVED)
 * touches the flags, so a reset in between is clobbered. Setting all three
 * is what a completion leaves behind, minus the writes: the discard.
 *
 * A new vCPU has all three flags at 0 without having exited: only
 * run->exit_reason tells which one is armed, for KVM and for the report
 * alike. KVM keeps the address of an MMIO access and the SBI extension and
 * function only in the run page; the rest comes from KVM's own decode.
 * Every completion writes a guest register or the PC: none is kept
 * (VCPU_ABORT_INFO_KEPT).
 */
#include <linux/kvm_host.h>

#include "../../vcpu_abort.h"

/* a0: the first SBI return value (a1 holds the second). */
#define VCPU_ABORT_RISCV_A0	10

int vcpu_abort_arch_init(void)
{
	return 0;
}

void vcpu_abort_arch_exit(void)
{
}

__vcpu_abort_hot int vcpu_abort_arch_check(struct kvm_vcpu *vcpu)
{
	return 0;
}

/* rd of an instruction as KVM stored it: bits 11:7, as KVM's SET_RD(). */
static u32 vcpu_abort_riscv_rd(unsigned long insn)
{
	return (insn >> 7) & 0x1f;
}

/*
 * Whether the instruction KVM decoded for an MMIO exit is a store: the
 * STORE major opcode, or C.SW, C.SD, C.SWSP, C.SDSP (quadrants 0 and 2,
 * funct3 110 and 111). KVM rewrites C.LW and C.LD into "rd << 7", which
 * is neither.
 */
static bool vcpu_abort_riscv_is_store(unsigned long insn)
{
	if ((insn & 0x3) == 0x3)
		return (insn & 0x7f) == 0x23;
	return (insn & 0x3) != 0x1 && ((insn >> 13) & 0x7) >= 6;
}

static void vcpu_abort_riscv_mmio(struct kvm_vcpu *vcpu,
				  struct vcpu_abort_report *report)
{
	const struct kvm_mmio_decode *decode = &vcpu->arch.mmio_decode;

	if (vcpu_abort_riscv_is_store(decode->insn)) {
		report->kind = VCPU_ABORT_KIND_MMIO_STORE;
		report->dir = VCPU_ABORT_DIR_WRITE;
	} else {
		report->kind = VCPU_ABORT_KIND_MMIO_LOAD;
		report->dir = VCPU_ABORT_DIR_READ;
		/* x0 too: KVM writes the context's unused "zero" slot. */
		report->dest_class = VCPU_ABORT_REG_GPR;
		report->dest_reg = vcpu_abort_riscv_rd(decode->insn);
	}
	report->len = decode->len;
	report->count = 1;
	report->addr = vcpu->run->mmio.phys_addr;
	report->info |= VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN |
			VCPU_ABORT_INFO_FROM_RUN;
}

static void vcpu_abort_riscv_sbi(struct kvm_vcpu *vcpu,
				 struct vcpu_abort_report *report)
{
	const struct kvm_run *run = vcpu->run;

	report->kind = VCPU_ABORT_KIND_HYPERCALL;
	report->dir = VCPU_ABORT_DIR_READ;
	/* SBI extension and function ids are 32 bits wide. */
	report->addr = (u64)(u32)run->riscv_sbi.extension_id << 32 |
		       (u32)run->riscv_sbi.function_id;
	report->dest_class = VCPU_ABORT_REG_GPR;
	report->dest_reg = VCPU_ABORT_RISCV_A0;
	report->info |= VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_FROM_RUN;
}

static void vcpu_abort_riscv_csr(struct kvm_vcpu *vcpu,
				 struct vcpu_abort_report *report)
{
	unsigned long insn = vcpu->arch.csr_decode.insn;
	u32 rd = vcpu_abort_riscv_rd(insn);

	report->kind = VCPU_ABORT_KIND_RISCV_CSR;
	/* csrw and friends (rd = x0) only step over the instruction. */
	if (rd) {
		report->dir = VCPU_ABORT_DIR_READ;
		report->dest_class = VCPU_ABORT_REG_GPR;
		report->dest_reg = rd;
	} else {
		report->dir = VCPU_ABORT_DIR_WRITE;
	}
	/* The CSR number: bits 31:20 of every CSR instruction. */
	report->addr = (insn >> 20) & 0xfff;
	report->info |= VCPU_ABORT_INFO_ADDR;
}

/*
 * Whether the exit @exit_reason (read once from the run page, which the VMM
 * may rewrite) still waits for KVM_RUN to complete it: KVM's own test.
 */
static __vcpu_abort_hot bool vcpu_abort_riscv_unhandled(struct kvm_vcpu *vcpu,
							u32 exit_reason)
{
	switch (exit_reason) {
	case KVM_EXIT_MMIO:
		return !vcpu->arch.mmio_decode.return_handled;
	case KVM_EXIT_RISCV_SBI:
		return !vcpu->arch.sbi_context.return_handled;
	case KVM_EXIT_RISCV_CSR:
		return !vcpu->arch.csr_decode.return_handled;
	default:
		return false;
	}
}

__vcpu_abort_hot bool vcpu_abort_arch_pending(struct kvm_vcpu *vcpu)
{
	return vcpu_abort_riscv_unhandled(vcpu,
					  READ_ONCE(vcpu->run->exit_reason));
}

__vcpu_abort_hot void vcpu_abort_arch_describe(struct kvm_vcpu *vcpu,
					       struct vcpu_abort_report *report)
{
	u32 exit_reason = READ_ONCE(vcpu->run->exit_reason);

	if (!vcpu_abort_riscv_unhandled(vcpu, exit_reason))
		return;
	switch (exit_reason) {
	case KVM_EXIT_MMIO:
		vcpu_abort_riscv_mmio(vcpu, report);
		break;
	case KVM_EXIT_RISCV_SBI:
		vcpu_abort_riscv_sbi(vcpu, report);
		break;
	case KVM_EXIT_RISCV_CSR:
		vcpu_abort_riscv_csr(vcpu, report);
		break;
	}
}

void vcpu_abort_arch_discard(struct kvm_vcpu *vcpu,
			     const struct vcpu_abort_report *report)
{
	/*
	 * All three, whatever the run page says now: userspace may still
	 * change exit_reason to arm another one before the next KVM_RUN.
	 */
	vcpu->arch.mmio_decode.return_handled = 1;
	vcpu->arch.sbi_context.return_handled = 1;
	vcpu->arch.csr_decode.return_handled = 1;
}
