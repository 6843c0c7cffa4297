/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 guest code of vcpuctl bench: emulated MMIO loads forever. Whether
 * the pending load is completed (RIP moves on to the jmp) or aborted (RIP
 * stays on the load), the next KVM_RUN ends in the same MMIO load exit.
 * 32-bit flat mode as guest.S; a relative jump only: arch_bench_vm_setup()
 * copies it to X86_BENCH_LOAD.
 */
#include "guest.h"

	.section .rodata.vcpuctl_bench, "a"
	.code32
	.globl	x86_bench_start, x86_bench_end
x86_bench_start:
	movl	X86_MMIO_DATA, %eax
	jmp	x86_bench_start
x86_bench_end:
	.code64

	.section .note.GNU-stack, "", %progbits
