/* SPDX-License-Identifier: GPL-2.0 */
/*
 * riscv64 guest layout, shared by guest.S and cpu.c. The guest runs in
 * VS-mode (S) with vsatp = 0, so addresses are guest-physical. Everything
 * below the RAM slot is MMIO, reached from the zero register with a
 * 12-bit offset (below 2K), so the markers need no register that the
 * reset would have to set up.
 */
#ifndef VCPUCTL_RISCV_GUEST_H
#define VCPUCTL_RISCV_GUEST_H

#define RISCV_RAM_BASE		0x80000000	/* memory slot 0 */
#define RISCV_RAM_SIZE		0x10000		/* 64K */

#define RISCV_MARK_RESET	0x400	/* sd a0, 0x400 + 8 * n(zero): slot n */
#define RISCV_MARK_STALE	0x600	/* marker after each pending insn */
#define RISCV_MMIO_DATA		0x700	/* the MMIO cases' address */

/*
 * An SBI call in the experimental extension range (0x08000000 -
 * 0x08ffffff), which KVM forwards to userspace as KVM_EXIT_RISCV_SBI.
 */
#define RISCV_SBI_EXT		0x08abcdef
#define RISCV_SBI_FID		0x5

#define RISCV_GUEST_A0		0x600d0000	/* a0 before the exit */
#define RISCV_GUEST_A1		0x600d0001	/* a1 before the exit */

/* Number of 4-byte slots in the reset sled. */
#define RISCV_RESET_SLED	4

#ifndef __ASSEMBLY__
/* The labels of guest.S, for cpu.c. */
extern const char riscv_guest_start[], riscv_guest_end[], riscv_guest_reset[];
extern const char riscv_guest_mmio_load[], riscv_guest_mmio_store[];
extern const char riscv_guest_hypercall[], riscv_guest_spin[];
#endif

#endif
