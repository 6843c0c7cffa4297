/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 guest code of vcpuctl bench: MMIO loads forever. Completed (PC
 * steps to the branch) or aborted (PC stays on the load), the next KVM_RUN
 * ends in the same MMIO load exit. Position independent: copied to RAM by
 * arch_bench_vm_setup().
 */
#include "guest.h"

	.section .rodata.vcpuctl_bench, "a"
	.balign	4
	.globl	arm64_bench_start, arm64_bench_end
arm64_bench_start:
	movz	x1, #ARM64_MMIO_DATA
1:	ldr	x0, [x1]
	b	1b
arm64_bench_end:

	.section .note.GNU-stack, "", %progbits
