/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 guest layout, shared by guest.S and cpu.c. The guest runs at EL1
 * with the MMU off; everything below the RAM slot is MMIO, reached from
 * x1 = 0 (the reset value) with an immediate offset, so the markers need
 * no register that the reset would have to set up.
 */
#ifndef VCPUCTL_ARM64_GUEST_H
#define VCPUCTL_ARM64_GUEST_H

#define ARM64_RAM_BASE		0x40000000	/* memory slot 0 */
#define ARM64_RAM_SIZE		0x10000		/* 64K: fine with 4K-64K pages */

#define ARM64_MARK_RESET	0x1000	/* [x1, #0x1000 + 8 * n]: sled slot n */
#define ARM64_MARK_STALE	0x1800	/* marker after each pending insn */
#define ARM64_MMIO_DATA		0x2000	/* the MMIO cases' address */

/* SMC64 fast call, SiP service: not in the range KVM keeps for itself. */
#define ARM64_SMCCC_FUNC	0xc2000000

#define ARM64_GUEST_X0_HI	0x600d	/* x0 = 0x600d0000 before the exit */

/* Number of 4-byte slots in the reset sled. */
#define ARM64_RESET_SLED	4

#ifndef __ASSEMBLY__
/* The labels of guest.S, for cpu.c. */
extern const char arm64_guest_start[], arm64_guest_end[], arm64_guest_reset[];
extern const char arm64_guest_mmio_load[], arm64_guest_mmio_store[];
extern const char arm64_guest_hypercall[], arm64_guest_spin[];
#endif

#endif
