/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcpu_abort: the one place where kernels differ.
 *
 * The module supports the Debian kernels 6.1, 6.12 and 7.2 (riscv64: 6.12
 * and 7.2, Debian has no riscv64 6.1). Everything it touches in struct
 * kvm_vcpu exists with the same name and meaning in all of them; what
 * differs (a renamed field, an API that moved, how KVM is built) is
 * collected here so the other files need no version checks.
 * Kbuild asks the headers where a version number would not tell.
 */
#ifndef VCPU_ABORT_COMPAT_H
#define VCPU_ABORT_COMPAT_H

#include <linux/file.h>
#include <linux/ftrace.h>
#include <linux/kvm_host.h>
#include <linux/ptrace.h>

/*
 * Returned by arm64's kvm_vcpu_get_fault_ipa() when HPFAR is not valid
 * (7.x); older kernels neither define it nor return it.
 */
#ifndef INVALID_GPA
#define INVALID_GPA	(~(gpa_t)0)
#endif

/*
 * The module that holds KVM's core, as kallsyms qualifies its symbols:
 * "kvm:" where KVM is a module, nothing where it is built in (arm64).
 */
#if IS_MODULE(CONFIG_KVM)
#define VCPU_ABORT_KVM_MODULE	"kvm"
#else
#define VCPU_ABORT_KVM_MODULE	NULL
#endif

/*
 * The file of a struct fd: a field until 6.11, fd_file() (a macro) since
 * the struct became one word.
 */
#ifdef fd_file
#define vcpu_abort_fd_file(f)	fd_file(f)
#else
#define vcpu_abort_fd_file(f)	((f).file)
#endif

/*
 * The @n-th integer argument of a function, from the registers at its
 * entry. powerpc gained regs_get_kernel_argument() in 6.5; before, its
 * ELF ABI passes integer arguments in r3 to r10.
 */
#ifdef VCPU_ABORT_HAVE_REGS_GET_KERNEL_ARGUMENT
static inline unsigned long vcpu_abort_regs_arg(struct pt_regs *regs,
						unsigned int n)
{
	return regs_get_kernel_argument(regs, n);
}
#else
static inline unsigned long vcpu_abort_regs_arg(struct pt_regs *regs,
						unsigned int n)
{
	return n < 8 ? regs->gpr[3 + n] : 0;
}
#endif

/* The process that created @kvm (its creating thread's id). */
static inline pid_t vcpu_abort_kvm_owner(struct kvm *kvm)
{
	return kvm->userspace_pid;
}

/*
 * The @n-th integer argument of a function at its ftrace call site. Where the
 * kernel has DYNAMIC_FTRACE_WITH_ARGS (all four arches but arm64 6.1) the
 * ops ask for the argument registers only, never for a full pt_regs: on
 * powerpc a SAVE_REGS ops is called through ftrace_regs_caller, which
 * restores all GPRs on the way out, r13 (the paca: "this CPU") among them.
 * A preemptible kernel (Debian's 7.2 ppc64el) can move the task to
 * another CPU between the callback and that restore (at the
 * preempt_enable of ftrace's recursion guard, or an interrupt in the
 * trampoline), and it then runs on with the first CPU's paca, so its
 * preempt_count() changes land on the task current there: "BUG:
 * scheduling while atomic: rcu_sched" within seconds of creating and
 * closing VMs.
 * ftrace_caller restores the argument registers only. In 6.1, struct
 * ftrace_regs is a pt_regs on every arch with WITH_ARGS (x86, powerpc) and
 * has no accessor yet (ftrace_regs_get_argument() came with 6.2); arm64
 * 6.1 only has WITH_REGS, and is not affected (it has no paca register).
 */
#if defined(CONFIG_DYNAMIC_FTRACE_WITH_ARGS)
#define VCPU_ABORT_HAVE_FTRACE_HOOK	1
#define VCPU_ABORT_FTRACE_FLAGS		0
static inline unsigned long vcpu_abort_ftrace_arg(struct ftrace_regs *fregs,
						  unsigned int n)
{
#ifdef VCPU_ABORT_HAVE_FTRACE_REGS_GET_ARGUMENT
	return ftrace_regs_get_argument(fregs, n);
#else
	return vcpu_abort_regs_arg(&fregs->regs, n);
#endif
}
#elif defined(CONFIG_DYNAMIC_FTRACE_WITH_REGS)
#define VCPU_ABORT_HAVE_FTRACE_HOOK	1
#define VCPU_ABORT_FTRACE_FLAGS		FTRACE_OPS_FL_SAVE_REGS
static inline unsigned long vcpu_abort_ftrace_arg(struct ftrace_regs *fregs,
						  unsigned int n)
{
	struct pt_regs *regs = ftrace_get_regs(fregs);

	return regs ? vcpu_abort_regs_arg(regs, n) : 0;
}
#else
#define VCPU_ABORT_HAVE_FTRACE_HOOK	0
#define VCPU_ABORT_FTRACE_FLAGS		0
static inline unsigned long vcpu_abort_ftrace_arg(struct ftrace_regs *fregs,
						  unsigned int n)
{
	return 0;
}
#endif

/*
 * The size of a function's ftrace call site where it starts at the
 * function's symbol (MCOUNT_INSN_SIZE): riscv 6.12 places two nops there
 * (auipc and jalr when traced), which kprobes refuse without
 * KPROBES_ON_FTRACE; 0 without dynamic ftrace.
 */
#ifdef MCOUNT_INSN_SIZE
#define VCPU_ABORT_FTRACE_SITE_SIZE	MCOUNT_INSN_SIZE
#else
#define VCPU_ABORT_FTRACE_SITE_SIZE	0
#endif

/*
 * riscv: KVM_SET_MP_STATE to INIT_RECEIVED resets the vCPU in the kernel
 * once the VMM enabled KVM_CAP_RISCV_MP_STATE_RESET (6.16); the uapi
 * header names the capability exactly when the kernel has that path.
 */
#ifdef KVM_CAP_RISCV_MP_STATE_RESET
#define VCPU_ABORT_HAVE_RISCV_MP_STATE_RESET	1
#else
#define VCPU_ABORT_HAVE_RISCV_MP_STATE_RESET	0
#endif

/*
 * x86 RIP: vcpu->arch.regs[VCPU_REGS_RIP] until it got a field of its
 * own, vcpu->arch.rip, with VCPU_REG_RIP naming its bit in regs_avail
 * (Kbuild asks the headers which one this kernel has).
 */
#ifdef VCPU_ABORT_HAVE_X86_RIP_FIELD
#define vcpu_abort_x86_rip(vcpu)	((vcpu)->arch.rip)
#define VCPU_ABORT_X86_RIP_BIT		VCPU_REG_RIP
#else
#define vcpu_abort_x86_rip(vcpu)	((vcpu)->arch.regs[VCPU_REGS_RIP])
#define VCPU_ABORT_X86_RIP_BIT		VCPU_REGS_RIP
#endif

/*
 * arm64: kvm_reset_vcpu() returns int until 6.6 (it could fail), void
 * since; asked of the prototype, not of the version.
 */
#define VCPU_ABORT_ARM64_RESET_RETURNS_STATUS \
	(!__same_type(kvm_reset_vcpu(NULL), void))

/*
 * arm64: whether a pending SError, not only a synchronous exception, makes
 * KVM_RUN skip an MMIO completion: kvm_pending_external_abort() came with
 * the SError rework (7.2 here), which also added kvm_inject_serror_esr()
 * to <asm/kvm_emulate.h>; Kbuild looks for it there. Before, 6.1 and 6.12
 * have kvm_pending_sync_exception() (e735a5da6442, a stable backport).
 */
#ifdef VCPU_ABORT_HAVE_ARM64_SERROR_INJECT
#define VCPU_ABORT_ARM64_SERROR_ABORTS_MMIO	true
#else
#define VCPU_ABORT_ARM64_SERROR_ABORTS_MMIO	false
#endif

/*
 * arm64: whether KVM_SET_ONE_REG takes PSTATE's EL2 modes (EL2t, EL2h) for
 * @vcpu: for a vCPU with nested virtualisation since vcpu_has_nv() came
 * (6.3; 6.12 and 7.2 here, whose set_core_reg() tests it), for none in
 * 6.1, whose set_core_reg() refuses every mode it does not list.
 */
#ifdef VCPU_ABORT_HAVE_ARM64_NV
/* <asm/kvm_emulate.h> has it from <asm/kvm_nested.h>, which needs it first. */
#define vcpu_abort_arm64_el2_modes(vcpu)	vcpu_has_nv(vcpu)
#else
#define vcpu_abort_arm64_el2_modes(vcpu)	((void)(vcpu), false)
#endif

/*
 * powerpc: whether @vcpu runs under the nested-v2 PAPR API (KVM as a guest
 * of PowerVM, 6.7 and later). Its guest state buffers exist exactly then:
 * kvmhv_nestedv2_vcpu_create() allocates them when the vCPU is made and
 * nothing frees them before it goes. Kernels without the API (6.1) have no
 * such vCPU; Kbuild asks the headers whether the field exists.
 */
#ifdef VCPU_ABORT_HAVE_PPC_NESTEDV2
#define vcpu_abort_ppc_nestedv2(vcpu) \
	(!!(vcpu)->arch.nestedv2_io.vcpu_run_output)
#else
#define vcpu_abort_ppc_nestedv2(vcpu)	((void)(vcpu), false)
#endif

/*
 * x86 CR3's bit in regs_avail: VCPU_EXREG_CR3, renamed VCPU_REG_CR3 in
 * 7.x (Kbuild asks the headers).
 */
#ifdef VCPU_ABORT_HAVE_X86_REG_CR3
#define VCPU_ABORT_X86_CR3_BIT		VCPU_REG_CR3
#else
#define VCPU_ABORT_X86_CR3_BIT		VCPU_EXREG_CR3
#endif

/* x86 SMM: HF_SMM_MASK exists only with CONFIG_KVM_SMM (6.2 and later). */
#ifdef HF_SMM_MASK
#define VCPU_ABORT_X86_HF_SMM		HF_SMM_MASK
#else
#define VCPU_ABORT_X86_HF_SMM		0
#endif

/*
 * Whether an x86 VM's type keeps guest state from the host (SEV-ES, SNP,
 * TDX; 6.12 and 7.2 of the supported kernels), whatever its vCPUs' guest_state_protected says.
 */
#ifdef VCPU_ABORT_HAVE_X86_PROTECTED_STATE
#define vcpu_abort_x86_vm_protected(kvm)	((kvm)->arch.has_protected_state)
#else
#define vcpu_abort_x86_vm_protected(kvm)	((void)(kvm), false)
#endif

/*
 * The destination GPR of a pending RDMSR with an immediate operand (7.x),
 * -1 where the kernel has no such instruction.
 */
#ifdef VCPU_ABORT_HAVE_X86_RDMSR_IMM
#define vcpu_abort_x86_rdmsr_imm_reg(vcpu)	((vcpu)->arch.cui_rdmsr_imm_reg)
#else
#define vcpu_abort_x86_rdmsr_imm_reg(vcpu)	((void)(vcpu), -1)
#endif

#endif /* VCPU_ABORT_COMPAT_H */
