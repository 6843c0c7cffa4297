// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort on arm64: the only completion KVM_RUN performs is that of an
 * MMIO access (arch/arm64/kvm/mmio.c, kvm_handle_mmio_return()): when the
 * run page still says KVM_EXIT_MMIO and vcpu->mmio_needed is set, it
 * writes the loaded value into the Rt of the faulting instruction and
 * steps the PC over it, for loads and stores alike. KVM_ARM_VCPU_INIT
 * clears neither, so a reset in between is clobbered.
 *
 * mmio_needed is KVM's own "already handled" test, checked before
 * anything is written, so clearing it discards the completion; the run
 * page is userspace's and is left alone. Until the next guest entry the
 * syndrome of the fault (ESR, HPFAR, FAR) is still that of the access,
 * which gives a report that does not depend on the run page.
 */
#include <linux/kvm_host.h>
#include <asm/kvm_emulate.h>

#include "../../compat.h"
#include "../../vcpu_abort.h"

int vcpu_abort_arch_init(void)
{
	return 0;
}

void vcpu_abort_arch_exit(void)
{
}

int vcpu_abort_arch_check(struct kvm_vcpu *vcpu)
{
	return 0;
}

void vcpu_abort_arch_describe(struct kvm_vcpu *vcpu,
			      struct vcpu_abort_report *report)
{
	phys_addr_t ipa;

	if (!vcpu->mmio_needed)
		return;

	if (kvm_vcpu_dabt_iswrite(vcpu)) {
		report->kind = VCPU_ABORT_KIND_MMIO_STORE;
		report->dir = VCPU_ABORT_DIR_WRITE;
	} else {
		report->kind = VCPU_ABORT_KIND_MMIO_LOAD;
		report->dir = VCPU_ABORT_DIR_READ;
		/* Rt; 31 is XZR, which KVM's write discards anyway. */
		report->dest_class = VCPU_ABORT_REG_GPR;
		report->dest_reg = kvm_vcpu_dabt_get_rd(vcpu);
	}
	report->len = kvm_vcpu_dabt_get_as(vcpu);
	report->count = 1;
	report->info |= VCPU_ABORT_INFO_LEN;

	/* As io_mem_abort() computes it: page from HPFAR, offset from FAR. */
	ipa = kvm_vcpu_get_fault_ipa(vcpu);
	if (ipa != INVALID_GPA) {
		report->addr = ipa | (kvm_vcpu_get_hfar(vcpu) & ~PAGE_MASK);
		report->info |= VCPU_ABORT_INFO_ADDR;
	}
}

void vcpu_abort_arch_discard(struct kvm_vcpu *vcpu,
			     const struct vcpu_abort_report *report)
{
	/*
	 * The other mmio_* fields are x86's fragment bookkeeping; arm64
	 * never sets them, and is_write comes from the ESR, not from them.
	 */
	vcpu->mmio_needed = 0;
}
