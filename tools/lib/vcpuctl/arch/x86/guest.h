/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 guest layout, shared by guest.S and cpu.c. The guest runs in 32-bit
 * protected mode, paging off, flat segments based at 0 (except CS after
 * the "sregs" reset), so addresses are guest-physical addresses. Paging,
 * where it is on (the "sregs2" reset, L1 of the nested resets), maps them
 * 1:1 too.
 */
#ifndef VCPUCTL_X86_GUEST_H
#define VCPUCTL_X86_GUEST_H

#define X86_RAM_SIZE		0xc000	/* memory slot 0: GPA 0 - 48K */
#define X86_GUEST_LOAD		0x1000	/* guest.S is copied here */
#define X86_INS_BUFFER		0x3000	/* ES:DI of the string PIO case */
#define X86_HC_GPA		0x4000	/* KVM_HC_MAP_GPA_RANGE argument */
#define X86_PAGE_DIR		0x8000	/* "sregs2" and nested: maps 0-4M 1:1 */
#define X86_HSAVE		0x9000	/* nested: MSR_VM_HSAVE_PA */
#define X86_VMCB		0xa000	/* nested: L1's VMCB of L2 */
#define X86_MMIO_DATA		0xd000	/* no memslot: accesses exit */

#define X86_PIO_DATA		0xe0	/* port of the PIO cases */
#define X86_PIO_RESET		0xf0	/* DX after a reset: reset sled port */
#define X86_PIO_STALE		0xf8	/* marker after each pending insn */

/* Denied by an MSR filter so that accesses exit to userspace. */
#define X86_MSR_INDEX		0x56435055

/* Hyper-V synthetic debugger MSRs (kept.c). */
#define X86_HV_MSR_SYNDBG_CONTROL	0x400000f1
#define X86_HV_MSR_SYNDBG_STATUS	0x400000f2

#define KVM_HC_MAP_GPA_RANGE_NR	12

/* Register values the guest sets before its exit. */
#define X86_GUEST_EAX		0x1a1a1a1a
#define X86_GUEST_EDX		0x1d1d1d1d
#define X86_GUEST_EDI		X86_INS_BUFFER

/* Length of the reset sled, in one-byte "in (%dx),%eax". */
#define X86_RESET_SLED		16

#ifndef __ASSEMBLY__
#include <stdint.h>

/* The labels of guest.S. */
extern const char x86_guest_start[], x86_guest_end[], x86_guest_reset[];
extern const char x86_guest_mmio_load[], x86_guest_mmio_store[];
extern const char x86_guest_pio_in[], x86_guest_pio_out[], x86_guest_pio_ins[];
extern const char x86_guest_hypercall[], x86_guest_hypercall_insn[];
extern const char x86_guest_msr_read[], x86_guest_msr_write[], x86_guest_spin[];
extern const char x86_guest_l1[];

/* Where a label of guest.S is in the guest: it is copied to X86_GUEST_LOAD. */
#define GPA(label)	(X86_GUEST_LOAD + (uint64_t)((label) - x86_guest_start))
#endif

#endif
