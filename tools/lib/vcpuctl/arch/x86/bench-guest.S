/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 guest code of vcpuctl bench: emulated MMIO loads forever. Whether
 * the pending load is completed (RIP moves on to the jmp) or aborted (RIP
 * stays on the load), the next KVM_RUN ends in the same MMIO load exit.
 * 32-bit flat mode as guest.S; a relative jump only: bench_vm_load_loop()
 * copies it to arch_bench_loop_gpa.
 */
#include "guest.h"

	.section .rodata.vcpuctl_bench, "a"
	.code32
	.globl	arch_bench_loop_start, arch_bench_loop_end
arch_bench_loop_start:
	movl	X86_MMIO_DATA, %eax
	jmp	arch_bench_loop_start
arch_bench_loop_end:
	.code64

	.section .note.GNU-stack, "", %progbits
