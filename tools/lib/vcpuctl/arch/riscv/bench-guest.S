/* SPDX-License-Identifier: GPL-2.0 */
/*
 * riscv64 guest code of vcpuctl bench: MMIO loads forever. Completed (PC
 * steps to the jump) or aborted (PC stays on the load), the next KVM_RUN
 * ends in the same MMIO load exit. Position independent: copied to RAM at
 * arch_bench_loop_gpa by bench_vm_load_loop().
 */
#include "guest.h"

	.option	norvc
	.section .rodata.vcpuctl_bench, "a"
	.balign	4
	.globl	arch_bench_loop_start, arch_bench_loop_end
arch_bench_loop_start:
1:	ld	a0, RISCV_MMIO_DATA(zero)
	j	1b
arch_bench_loop_end:

	.section .note.GNU-stack, "", %progbits
