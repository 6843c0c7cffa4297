/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 guest layout, shared by guest.S and cpu.c. The guest runs in 32-bit
 * protected mode, paging off, flat segments based at 0 (except CS after
 * the "sregs" reset), so addresses are guest-physical addresses.
 */
#ifndef VCPUCTL_X86_GUEST_H
#define VCPUCTL_X86_GUEST_H

#define X86_RAM_SIZE		0xc000	/* memory slot 0: GPA 0 - 48K */
#define X86_GUEST_LOAD		0x1000	/* guest.S is copied here */
#define X86_INS_BUFFER		0x3000	/* ES:DI of the string PIO case */
#define X86_HC_GPA		0x4000	/* KVM_HC_MAP_GPA_RANGE argument */
#define X86_MMIO_DATA		0xd000	/* no memslot: accesses exit */

#define X86_PIO_DATA		0xe0	/* port of the PIO cases */
#define X86_PIO_RESET		0xf0	/* DX after a reset: reset sled port */
#define X86_PIO_STALE		0xf8	/* marker after each pending insn */

/* Denied by an MSR filter so that accesses exit to userspace. */
#define X86_MSR_INDEX		0x56435055

#define KVM_HC_MAP_GPA_RANGE_NR	12

/* Register values the guest sets before its exit. */
#define X86_GUEST_EAX		0x1a1a1a1a
#define X86_GUEST_EDX		0x1d1d1d1d
#define X86_GUEST_EDI		X86_INS_BUFFER

/* Length of the reset sled, in one-byte "in (%dx),%eax". */
#define X86_RESET_SLED		16

#ifndef __ASSEMBLY__
/* The labels of guest.S, for cpu.c. */
extern const char x86_guest_start[], x86_guest_end[], x86_guest_reset[];
extern const char x86_guest_mmio_load[], x86_guest_mmio_store[];
extern const char x86_guest_pio_in[], x86_guest_pio_out[], x86_guest_pio_ins[];
extern const char x86_guest_hypercall[], x86_guest_hypercall_insn[];
extern const char x86_guest_msr_read[], x86_guest_msr_write[], x86_guest_spin[];
#endif

#endif
