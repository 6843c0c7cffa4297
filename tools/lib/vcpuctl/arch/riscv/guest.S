/* SPDX-License-Identifier: GPL-2.0 */
/*
 * riscv64 guest code, VS-mode (S), vsatp = 0. Each case starts at
 * riscv_guest_<case>, loads a0/a1 and executes one instruction that exits
 * to userspace; after it comes the stale marker (a store to
 * RISCV_MARK_STALE from the zero register): reaching it means the old
 * instruction was completed on top of the reset.
 *
 * The reset code is a sled of stores "sd a0, MARK_RESET + 8 * n(zero)":
 * the MMIO address of the first exit tells which slot the vCPU entered at
 * (KVM completes an MMIO access or an SBI call by stepping sepc over the
 * instruction, so a stale completion lands the vCPU on slot 1), and the
 * data is the a0 it found.
 *
 * No compressed instructions (every instruction is 4 bytes, as the sled
 * arithmetic assumes), position independent: the code is copied to
 * RISCV_RAM_BASE.
 */
#include "guest.h"

	.option	norvc
	.section .rodata.vcpuctl_guest, "a"
	.balign	4

	.globl	riscv_guest_start, riscv_guest_end, riscv_guest_reset
	.globl	riscv_guest_mmio_load, riscv_guest_mmio_store
	.globl	riscv_guest_hypercall, riscv_guest_spin

.macro	guest_regs
	li	a0, RISCV_GUEST_A0
	li	a1, RISCV_GUEST_A1
.endm

.macro	stale_marker
	sd	a0, RISCV_MARK_STALE(zero)
	j	.
.endm

riscv_guest_start:

riscv_guest_mmio_load:
	guest_regs
	ld	a0, RISCV_MMIO_DATA(zero)	/* G-stage fault: KVM_EXIT_MMIO */
	stale_marker

riscv_guest_mmio_store:
	guest_regs
	sd	a0, RISCV_MMIO_DATA(zero)
	stale_marker

riscv_guest_hypercall:
	guest_regs
	li	a7, RISCV_SBI_EXT
	li	a6, RISCV_SBI_FID
	ecall					/* KVM_EXIT_RISCV_SBI */
	stale_marker

	/* Never exits: keeps KVM_RUN in the guest until the thread is kicked. */
riscv_guest_spin:
	j	riscv_guest_spin

	.balign	16
riscv_guest_reset:
	.irp	n, 0, 1, 2, 3
	sd	a0, (RISCV_MARK_RESET + 8 * \n)(zero)
	.endr
	j	.
riscv_guest_end:

	.section .note.GNU-stack, "", %progbits
