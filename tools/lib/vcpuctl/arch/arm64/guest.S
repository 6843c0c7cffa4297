// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 guest code, EL1, MMU off. Each case starts at arm64_guest_<case>,
 * loads x0/x1 and executes one instruction that exits to userspace; after
 * it comes the stale marker (a store to ARM64_MARK_STALE from x1 = 0, the
 * reset value): reaching it means the old instruction was completed on top
 * of the reset.
 *
 * The reset code is a sled of stores "str x0, [x1, #MARK_RESET + 8 * n]":
 * the MMIO address of the first exit tells which slot the vCPU entered at
 * (KVM completes an MMIO access by skipping the instruction, so a stale
 * completion lands the vCPU on slot 1), and the data is the x0 it found.
 *
 * Position independent (branches only): the code is copied to
 * ARM64_RAM_BASE.
 */
#include "guest.h"

	.section .rodata.vcpuctl_guest, "a"
	.balign	4

	.globl	arm64_guest_start, arm64_guest_end, arm64_guest_reset
	.globl	arm64_guest_mmio_load, arm64_guest_mmio_store
	.globl	arm64_guest_hypercall, arm64_guest_spin

.macro	guest_regs
	movz	x0, #ARM64_GUEST_X0_HI, lsl #16
	movz	x1, #ARM64_MMIO_DATA
.endm

.macro	stale_marker
	str	x0, [x1, #ARM64_MARK_STALE]
	b	.
.endm

arm64_guest_start:

arm64_guest_mmio_load:
	guest_regs
	ldr	x0, [x1]			/* data abort, ISV: KVM_EXIT_MMIO */
	stale_marker

arm64_guest_mmio_store:
	guest_regs
	str	x0, [x1]
	stale_marker

arm64_guest_hypercall:
	guest_regs
	movz	x0, #(ARM64_SMCCC_FUNC >> 16), lsl #16
	hvc	#0				/* forwarded by the SMCCC filter */
	stale_marker

	/* Never exits: keeps KVM_RUN in the guest until the thread is kicked. */
arm64_guest_spin:
	b	arm64_guest_spin

	.balign	16
arm64_guest_reset:
	.irp	n, 0, 1, 2, 3
	str	x0, [x1, #(ARM64_MARK_RESET + 8 * \n)]
	.endr
	b	.
arm64_guest_end:

	.section .note.GNU-stack, "", %progbits
