// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort on arm64: the only completion KVM_RUN performs is that of an
 * MMIO access (arch/arm64/kvm/mmio.c, kvm_handle_mmio_return()): it
 * writes the loaded value into the Rt of the faulting instruction and
 * steps the PC over it, for loads and stores alike. KVM_ARM_VCPU_INIT
 * clears nothing of it, so a reset in between is clobbered.
 *
 * KVM makes the completion at the top of the next KVM_RUN only if all of
 * these hold, and describe() reports one exactly then:
 *
 * - kvm_run->exit_reason is still KVM_EXIT_MMIO (kvm_arch_vcpu_ioctl_run()
 *   tests it before anything else; every later exit overwrites it);
 * - vcpu->mmio_needed is set (io_mem_abort() sets it with the exit);
 * - no exception is pending that replaces the access: a VMM may answer the
 *   exit with an external abort (KVM_SET_VCPU_EVENTS ext_dabt_pending,
 *   e735a5da6442). Then KVM skips the completion but 6.1 and 6.12 leave
 *   mmio_needed set: the flag outlives the exit, and only the exit_reason
 *   test keeps a later KVM_RUN from completing it. Since the SError rework
 *   (7.2 here) KVM_SET_VCPU_EVENTS clears the flag itself, and a pending
 *   SError skips the completion too.
 *
 * mmio_needed is KVM's own "already handled" test, checked before anything
 * is written, so clearing it discards the completion; the run page is
 * userspace's and is left alone. Until the next guest entry the syndrome
 * of the fault (ESR, HPFAR, FAR) is still that of the access, which gives
 * a report that does not depend on the run page.
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

__vcpu_abort_hot int vcpu_abort_arch_check(struct kvm_vcpu *vcpu)
{
	/*
	 * A protected VM's registers live in the hypervisor (pKVM, 7.x);
	 * the host's copy is not the guest's state.
	 */
	if (kvm_vm_is_protected(vcpu->kvm))
		return -EOPNOTSUPP;
	return 0;
}

/*
 * kvm_pending_sync_exception() of 6.1 and 6.12 (a stable backport of
 * e735a5da6442), kvm_pending_external_abort() of 7.x: an exception that
 * KVM_RUN takes instead of completing the access.
 */
static __vcpu_abort_hot bool vcpu_abort_arm64_abort_pending(struct kvm_vcpu *vcpu)
{
	if (!vcpu_get_flag(vcpu, PENDING_EXCEPTION))
		return false;

	if (vcpu_el1_is_32bit(vcpu)) {
		switch (vcpu_get_flag(vcpu, EXCEPT_MASK)) {
		case unpack_vcpu_flag(EXCEPT_AA32_UND):
		case unpack_vcpu_flag(EXCEPT_AA32_IABT):
		case unpack_vcpu_flag(EXCEPT_AA32_DABT):
			return true;
		default:
			return false;
		}
	}

	switch (vcpu_get_flag(vcpu, EXCEPT_MASK)) {
	case unpack_vcpu_flag(EXCEPT_AA64_EL1_SYNC):
	case unpack_vcpu_flag(EXCEPT_AA64_EL2_SYNC):
		return true;
	case unpack_vcpu_flag(EXCEPT_AA64_EL1_SERR):
	case unpack_vcpu_flag(EXCEPT_AA64_EL2_SERR):
		return VCPU_ABORT_ARM64_SERROR_ABORTS_MMIO;
	default:
		return false;
	}
}

/* Whether the next KVM_RUN completes an MMIO access: KVM's own tests. */
static __vcpu_abort_hot bool vcpu_abort_arm64_mmio_pending(struct kvm_vcpu *vcpu)
{
	if (!vcpu->mmio_needed)
		return false;
	if (READ_ONCE(vcpu->run->exit_reason) != KVM_EXIT_MMIO)
		return false;
	return !vcpu_abort_arm64_abort_pending(vcpu);
}

/* Only MMIO is completed by KVM_RUN on arm64. */
__vcpu_abort_hot bool vcpu_abort_arch_pending(struct kvm_vcpu *vcpu)
{
	return vcpu_abort_arm64_mmio_pending(vcpu);
}

__vcpu_abort_hot void vcpu_abort_arch_describe(struct kvm_vcpu *vcpu,
					       struct vcpu_abort_report *report)
{
	phys_addr_t ipa;

	if (!vcpu_abort_arch_pending(vcpu))
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
	 * Also when nothing is reported: a flag left behind by an injected
	 * abort goes too, as 7.2's KVM_SET_VCPU_EVENTS clears it. The
	 * other mmio_* fields are x86's fragment bookkeeping; arm64 never
	 * sets them, and is_write comes from the ESR, not from them.
	 */
	vcpu->mmio_needed = 0;
}
