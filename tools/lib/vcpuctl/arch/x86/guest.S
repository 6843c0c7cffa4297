// SPDX-License-Identifier: GPL-2.0
/*
 * x86 guest code, 32-bit flat protected mode without paging (real mode
 * would be emulated instruction by instruction on VMX hosts without
 * unrestricted guest, and then every exit goes through the emulator).
 * Each case starts at x86_guest_<case>,
 * loads recognisable values, sets CF (so that a write-back of stale RFLAGS
 * shows), and executes one instruction that exits to userspace. After that
 * instruction comes the "stale" marker: if the vCPU ever resumes there
 * after a reset, the old instruction was completed on top of the reset.
 *
 * The reset code (x86_guest_reset, 16-byte aligned) is a sled of one-byte
 * "in (%dx),%eax" (ED): DX = X86_PIO_RESET after every reset, and a PIO IN
 * exit, fast or emulated, leaves RIP on the IN (the completion moves it),
 * so the RIP of the exit tells exactly where the vCPU entered the reset
 * code, and EAX, not yet written, what it found there. The stale marker is
 * an IN for the same reason.
 *
 * Only relative jumps and absolute data addresses: the code is copied to
 * X86_GUEST_LOAD and must not depend on where the host linked it.
 */
#include "guest.h"

	.section .rodata.vcpuctl_guest, "a"
	.code32

	.globl	x86_guest_start, x86_guest_end, x86_guest_reset
	.globl	x86_guest_mmio_load, x86_guest_mmio_store
	.globl	x86_guest_pio_in, x86_guest_pio_out, x86_guest_pio_ins
	.globl	x86_guest_hypercall, x86_guest_hypercall_insn
	.globl	x86_guest_msr_read, x86_guest_msr_write, x86_guest_spin
	.globl	x86_guest_l1, x86_guest_syndbg

.macro	guest_regs
	movl	$X86_GUEST_EAX, %eax
	movl	$X86_GUEST_EDX, %edx
	movl	$X86_GUEST_EDI, %edi
	stc
.endm

.macro	stale_marker
	inl	$X86_PIO_STALE, %eax
	hlt
.endm

x86_guest_start:

x86_guest_mmio_load:
	guest_regs
	movl	X86_MMIO_DATA, %eax		/* emulated MMIO read */
	stale_marker

x86_guest_mmio_store:
	guest_regs
	movl	%eax, X86_MMIO_DATA		/* emulated MMIO write */
	stale_marker

x86_guest_pio_in:
	guest_regs
	inl	$X86_PIO_DATA, %eax		/* fast PIO in */
	stale_marker

x86_guest_pio_out:
	guest_regs
	outl	%eax, $X86_PIO_DATA		/* fast PIO out */
	stale_marker

x86_guest_pio_ins:
	guest_regs
	movw	$X86_PIO_DATA, %dx
	insl	(%dx), %es:(%edi)		/* string PIO: emulated */
	stale_marker

x86_guest_hypercall:
	guest_regs
	/* mov, not xor: keep CF */
	movl	$KVM_HC_MAP_GPA_RANGE_NR, %eax
	movl	$X86_HC_GPA, %ebx		/* a0: gpa */
	movl	$1, %ecx			/* a1: npages */
	movl	$0, %edx			/* a2: attributes */
x86_guest_hypercall_insn:
	.byte	0x0f, 0x01, 0xd9		/* vmmcall; cpu.c patches vmcall on VMX */
	stale_marker

x86_guest_msr_read:
	guest_regs
	movl	$X86_MSR_INDEX, %ecx
	rdmsr
	stale_marker

x86_guest_msr_write:
	guest_regs
	movl	$X86_MSR_INDEX, %ecx
	wrmsr
	stale_marker

	/*
	 * L1 of the nested resets (SVM): runs the case in L2 from the VMCB
	 * that cpu.c wrote at X86_VMCB. L2 is the same flat code; it takes
	 * the case's exit, which KVM handles itself (L1 intercepts nothing
	 * but VMRUN), so the vCPU exits to userspace while in guest mode.
	 * L2 never comes back here: a #VMEXIT to L1 stops at the HLT.
	 */
x86_guest_l1:
	movl	$X86_VMCB, %eax
	vmrun
	hlt

	/*
	 * kept.c: a guest write of the Hyper-V synthetic debugger's control
	 * MSR retires and then exits (KVM_EXIT_HYPERV); its completion
	 * stores userspace's status, which the guest reads back and shows
	 * with an OUT.
	 */
x86_guest_syndbg:
	movl	$X86_HV_MSR_SYNDBG_CONTROL, %ecx
	movl	$1, %eax
	movl	$0, %edx
	wrmsr
	movl	$X86_HV_MSR_SYNDBG_STATUS, %ecx
	rdmsr
	outl	%eax, $X86_PIO_DATA
	hlt

	/*
	 * Never exits: keeps KVM_RUN in the guest until the thread is kicked.
	 * The kick needs the host's own interrupts (its timer, to schedule
	 * the kicking thread at all) to leave the guest. Under Bochs 2.7
	 * (the VMX targets) they never do while the guest's EFLAGS.IF is 0:
	 * VM entry re-evaluates interrupt masking while the CPU is still in
	 * VMX root mode (handleCpuContextChange() before in_vmx_guest = 1 in
	 * BX_CPU_C::VMLAUNCH), so INTR stays masked by the guest's IF despite
	 * "external-interrupt exiting", and the whole host stops in this loop.
	 * STI re-evaluates it in the guest. The VM has no interrupt
	 * controller: nothing is ever delivered to the guest itself.
	 */
x86_guest_spin:
	sti
1:	jmp	1b

	.balign	16
x86_guest_reset:
	.rept	X86_RESET_SLED
	inl	(%dx), %eax
	.endr
	hlt
x86_guest_end:

	.code64
	.section .note.GNU-stack, "", %progbits
