/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 guest code of vcpuctl bench: MMIO loads forever. Completed (PC
 * steps to the branch) or aborted (PC stays on the load), the next KVM_RUN
 * ends in the same MMIO load exit. Position independent: copied to RAM at
 * arch_bench_loop_gpa by bench_vm_load_loop().
 */
#include "guest.h"

	.section .rodata.vcpuctl_bench, "a"
	.balign	4
	.globl	arch_bench_loop_start, arch_bench_loop_end
arch_bench_loop_start:
	movz	x1, #ARM64_MMIO_DATA
1:	ldr	x0, [x1]
	b	1b
arch_bench_loop_end:

	.section .note.GNU-stack, "", %progbits
