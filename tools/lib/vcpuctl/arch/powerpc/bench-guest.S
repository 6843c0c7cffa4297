/* SPDX-License-Identifier: GPL-2.0 */
/*
 * powerpc guest code of vcpuctl bench: MMIO loads forever. KVM moves the
 * PC past the load before it exits, so the loop branches back to it
 * whether the load is completed or aborted. Position independent: copied
 * to RAM by bench_vm_load_loop().
 */
#include "guest.h"

	.section .rodata.vcpuctl_bench, "a"
	.balign	4
	.globl	arch_bench_loop_start, arch_bench_loop_end
arch_bench_loop_start:
	lis	9, PPC_MMIO_DATA_HI
1:	ld	3, 0(9)
	b	1b
arch_bench_loop_end:

	.section .note.GNU-stack, "", %progbits
