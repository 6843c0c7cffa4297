// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort on powerpc: kvm_arch_vcpu_ioctl_run() (arch/powerpc/kvm/
 * powerpc.c) first completes, in this order, whichever of these is set:
 * mmio_needed (load into arch.io_gpr, continue VSX/VMX element copies),
 * arch.osi_needed (all 32 GPRs from run->osi), arch.hcall_needed (r3-r12
 * from run->papr_hcall), and on BookE arch.epr_needed (EPR from run->epr).
 * Unlike arm64, it does not look at kvm_run->exit_reason: a set flag is a
 * completion. Clearing the flag, and the element counters that would
 * restart MMIO emulation, discards the completion.
 *
 * Unlike x86 loads and arm64, KVM has already moved the PC past the
 * faulting instruction (the MMIO instruction is emulated before the exit,
 * and "sc 1" leaves SRR0 after itself). What an abort guarantees here is
 * that no register, PC included, changes because of the completion: the
 * guest resumes after the instruction with the destination register as
 * userspace left it. The report says so with VCPU_ABORT_INFO_PC_ADVANCED,
 * and a VMM that wants the instruction executed again moves the PC back
 * by 4 itself; only it knows whether it has set the PC since the exit.
 *
 * Under the nested-v2 PAPR API (KVM as a guest of PowerVM, 6.7 and later)
 * the vCPU's registers are a cache of the parent hypervisor's state,
 * reloaded by KVM's accessors only on demand: the PC and MSR the module
 * would read may be stale. Such vCPUs are refused.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <linux/printk.h>

#include "../../compat.h"
#include "../../vcpu_abort.h"

int vcpu_abort_arch_init(void)
{
	return 0;
}

void vcpu_abort_arch_exit(void)
{
}

__vcpu_abort_hot int vcpu_abort_arch_check(struct kvm_vcpu *vcpu)
{
	if (vcpu_abort_ppc_nestedv2(vcpu)) {
		pr_info_once("nested-v2 vCPUs (KVM on PowerVM) are not supported: their PC is a cache of the parent hypervisor's\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

static void vcpu_abort_ppc_dest(struct kvm_vcpu *vcpu,
				struct vcpu_abort_report *report)
{
	u16 reg = vcpu->arch.io_gpr;

	report->dest_reg = reg & KVM_MMIO_REG_MASK;
	switch (reg & KVM_MMIO_REG_EXT_MASK) {
	case KVM_MMIO_REG_GPR:
		report->dest_class = VCPU_ABORT_REG_GPR;
		break;
	case KVM_MMIO_REG_FPR:
		report->dest_class = VCPU_ABORT_REG_FPR;
		break;
	case KVM_MMIO_REG_VSX:
		report->dest_class = VCPU_ABORT_REG_VSX;
		break;
	case KVM_MMIO_REG_VMX:
		report->dest_class = VCPU_ABORT_REG_VMX;
		break;
	case KVM_MMIO_REG_NESTED_GPR:
		/* A load for a nested guest: lands in its memory, not a reg. */
		report->dest_class = VCPU_ABORT_REG_NONE;
		report->dest_reg = 0;
		break;
	default:
		report->dest_class = VCPU_ABORT_REG_OTHER;
		break;
	}
}

static void vcpu_abort_ppc_mmio(struct kvm_vcpu *vcpu,
				struct vcpu_abort_report *report)
{
	u8 elements = max(vcpu->arch.mmio_vsx_copy_nums,
			  vcpu->arch.mmio_vmx_copy_nums);

	if (vcpu->mmio_is_write) {
		report->kind = VCPU_ABORT_KIND_MMIO_STORE;
		report->dir = VCPU_ABORT_DIR_WRITE;
	} else {
		report->kind = VCPU_ABORT_KIND_MMIO_LOAD;
		report->dir = VCPU_ABORT_DIR_READ;
		vcpu_abort_ppc_dest(vcpu, report);
	}
	report->addr = vcpu->arch.paddr_accessed;
	/* KVM keeps the size only in the run page. */
	report->len = vcpu->run->mmio.len;
	report->count = elements ? elements : 1;
	report->info |= VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN |
			VCPU_ABORT_INFO_FROM_RUN | VCPU_ABORT_INFO_PC_ADVANCED;
}

/* Describe's tests, in its order: the first one true is reported. */
__vcpu_abort_hot bool vcpu_abort_arch_pending(struct kvm_vcpu *vcpu)
{
	return vcpu->mmio_needed || vcpu->arch.osi_needed ||
	       vcpu->arch.hcall_needed ||
	       (IS_ENABLED(CONFIG_BOOKE) && vcpu->arch.epr_needed);
}

__vcpu_abort_hot void vcpu_abort_arch_describe(struct kvm_vcpu *vcpu,
					       struct vcpu_abort_report *report)
{
	/* The order of kvm_arch_vcpu_ioctl_run(): only the first one runs. */
	if (vcpu->mmio_needed) {
		vcpu_abort_ppc_mmio(vcpu, report);
	} else if (vcpu->arch.osi_needed) {
		report->kind = VCPU_ABORT_KIND_PPC_OSI;
		report->info |= VCPU_ABORT_INFO_PC_ADVANCED;
	} else if (vcpu->arch.hcall_needed) {
		report->kind = VCPU_ABORT_KIND_HYPERCALL;
		report->dir = VCPU_ABORT_DIR_READ;
		report->addr = vcpu->run->papr_hcall.nr;
		report->dest_class = VCPU_ABORT_REG_GPR;
		report->dest_reg = 3;
		report->info |= VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_FROM_RUN |
				VCPU_ABORT_INFO_PC_ADVANCED;
	} else if (IS_ENABLED(CONFIG_BOOKE) && vcpu->arch.epr_needed) {
		report->kind = VCPU_ABORT_KIND_PPC_EPR;
		report->dir = VCPU_ABORT_DIR_READ;
	}
}

void vcpu_abort_arch_discard(struct kvm_vcpu *vcpu,
			     const struct vcpu_abort_report *report)
{
	vcpu->mmio_needed = 0;
	vcpu->mmio_is_write = 0;
	/* Non-zero, they make KVM_RUN emulate the next VSX/VMX element. */
	vcpu->arch.mmio_vsx_copy_nums = 0;
	vcpu->arch.mmio_vmx_copy_nums = 0;
	vcpu->arch.mmio_vsx_offset = 0;
	vcpu->arch.mmio_vmx_offset = 0;
	vcpu->arch.mmio_sp64_extend = 0;
	vcpu->arch.mmio_sign_extend = 0;
	vcpu->arch.mmio_host_swabbed = 0;

	vcpu->arch.osi_needed = 0;
	vcpu->arch.hcall_needed = 0;
	vcpu->arch.epr_needed = 0;
}
