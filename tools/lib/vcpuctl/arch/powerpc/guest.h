/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ppc64le guest layout, shared by guest.S and cpu.c. The guest runs in
 * real mode (MSR IR = DR = 0) as a little-endian 64-bit supervisor; no MMU
 * setup is needed for kvm-hv (radix partition tables cover real mode).
 */
#ifndef VCPUCTL_PPC_GUEST_H
#define VCPUCTL_PPC_GUEST_H

#define PPC_RAM_SIZE		0x100000	/* slot 0 at GPA 0: 64K pages fit */
#define PPC_GUEST_LOAD		0x10000		/* guest.S is copied here */
#define PPC_MMIO_DATA_HI	0x20		/* MMIO at 0x200000, above RAM */
#define PPC_MMIO_DATA		(PPC_MMIO_DATA_HI << 16)

/* An hcall number KVM does not know: it exits as KVM_EXIT_PAPR_HCALL. */
#define PPC_HCALL_NR		0x7000

#define PPC_GUEST_R3_HI		0x600d		/* r3 = 0x600d0003 before the exit */
#define PPC_GUEST_R4_HI		0x600d		/* r4 = 0x600d0004 */

/* Number of "sc 1" in the reset sled. */
#define PPC_RESET_SLED		4

#ifndef __ASSEMBLY__
/* The labels of guest.S, for cpu.c. */
extern const char ppc_guest_start[], ppc_guest_end[], ppc_guest_reset[];
extern const char ppc_guest_mmio_load[], ppc_guest_mmio_load_stale[];
extern const char ppc_guest_mmio_store[], ppc_guest_mmio_store_stale[];
extern const char ppc_guest_hypercall[], ppc_guest_hypercall_stale[];
extern const char ppc_guest_spin[];
#endif

#endif
