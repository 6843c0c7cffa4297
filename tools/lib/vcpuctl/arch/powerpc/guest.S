// SPDX-License-Identifier: GPL-2.0
/*
 * ppc64le guest code, real mode. Each case starts at ppc_guest_<case>,
 * loads r3/r4 and executes one instruction that exits to userspace; the
 * label ppc_guest_<case>_stale follows it: an "sc 1" marker that is only
 * reached if the old instruction was completed on top of the reset.
 *
 * Every marker is an hcall ("sc 1"): it needs no register set up, the PC
 * of the exit (the instruction after the sc) says which marker it was, and
 * the hcall number is the r3 the vCPU found there. The reset code is a
 * sled of them, so a PC moved by a completion would show as a later slot.
 *
 * Position independent (branches only): copied to PPC_GUEST_LOAD.
 */
#include "guest.h"

#define r3	3
#define r4	4
#define r9	9

	.section .rodata.vcpuctl_guest, "a"
	.balign	4

	.globl	ppc_guest_start, ppc_guest_end, ppc_guest_reset
	.globl	ppc_guest_mmio_load, ppc_guest_mmio_load_stale
	.globl	ppc_guest_mmio_store, ppc_guest_mmio_store_stale
	.globl	ppc_guest_hypercall, ppc_guest_hypercall_stale, ppc_guest_spin

.macro	guest_regs
	lis	r3, PPC_GUEST_R3_HI
	ori	r3, r3, 3
	lis	r4, PPC_GUEST_R4_HI
	ori	r4, r4, 4
	lis	r9, PPC_MMIO_DATA_HI
.endm

.macro	stale_marker
	sc	1
	b	.
.endm

ppc_guest_start:

ppc_guest_mmio_load:
	guest_regs
	ld	r3, 0(r9)		/* no memslot: emulated, KVM_EXIT_MMIO */
ppc_guest_mmio_load_stale:
	stale_marker

ppc_guest_mmio_store:
	guest_regs
	std	r3, 0(r9)
ppc_guest_mmio_store_stale:
	stale_marker

ppc_guest_hypercall:
	guest_regs
	li	r3, PPC_HCALL_NR	/* unknown to KVM: KVM_EXIT_PAPR_HCALL */
	sc	1
ppc_guest_hypercall_stale:
	stale_marker

	/* Never exits: keeps KVM_RUN in the guest until the thread is kicked. */
ppc_guest_spin:
	b	ppc_guest_spin

	.balign	16
ppc_guest_reset:
	.rept	PPC_RESET_SLED
	sc	1
	.endr
	b	.
ppc_guest_end:

	.section .note.GNU-stack, "", %progbits
