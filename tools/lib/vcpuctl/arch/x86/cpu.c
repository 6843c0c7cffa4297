// SPDX-License-Identifier: GPL-2.0
/*
 * x86: flat 32-bit guest, the pending exits of x86 KVM, and the reset paths
 * KVM_SET_REGS, KVM_SET_SREGS + KVM_SET_REGS, sync_regs, and those that
 * move the vCPU to another instruction stream and then write the RIP of
 * the exit back: KVM_SET_SREGS2 turning paging on, leaving guest mode
 * (L2, under SVM) with KVM_SET_NESTED_STATE, KVM_SET_MSRS or (7.x)
 * KVM_SET_ONE_REG of EFER, and entering SMM with KVM_SET_VCPU_EVENTS.
 */
#include <cpuid.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <vcpuctl/arch.h>

#include "guest.h"

#define X86_CR0_PE	BIT_ULL(0)
#define X86_CR0_ET	BIT_ULL(4)
#define X86_CR0_NW	BIT_ULL(29)
#define X86_CR0_CD	BIT_ULL(30)
#define X86_CR0_PG	BIT_ULL(31)
#define X86_CR4_PSE	BIT_ULL(4)
#define X86_EFER_SVME	BIT_ULL(12)
#define X86_MSR_EFER		0xc0000080
#define X86_MSR_VM_HSAVE_PA	0xc0010117
/* CPUID 0x80000001 ECX: SVM. */
#define X86_CPUID_SVM		BIT(2)
/* A page directory entry mapping 4M at 0: present, writable, PS. */
#define X86_PDE_4M_AT_0		0x83
/*
 * KVM_SET_ONE_REG id of an MSR: KVM_X86_REG_MSR() of 7.x's uapi, which
 * older headers lack (type 2 in bits 32-39).
 */
#define X86_ONE_REG_MSR(index) \
	(KVM_REG_X86 | KVM_REG_SIZE_U64 | (2ULL << 32) | (index))

/* What the VMM answers, so that a stale completion is recognisable. */
#define ANSWER_MMIO	0xda7ada7aULL
#define ANSWER_PIO	0xda7a0010ULL
#define ANSWER_HC	0xda7a0020ULL
#define ANSWER_MSR	0xda7a0031da7a0030ULL

/* What the reset loads: EAX a sentinel, DX the port of the reset sled. */
#define RESET_RAX	0x5eed5eedULL
#define RESET_RDX	X86_PIO_RESET
#define RESET_RDI	0x4400ULL
#define RESET_RFLAGS	0x2ULL

enum { REG_RIP, REG_RAX, REG_RDX, REG_RDI, REG_RFLAGS, REG_CS, NR_REGS };

#define R(x)		(1u << REG_##x)

const char *const arch_name = "x86_64";
const char *const arch_reg_names[] = { "rip", "rax", "rdx", "rdi", "rflags",
				       "cs" };
const int arch_nr_regs = NR_REGS;

const struct arch_exit arch_exits[] = {
	{ RACE_EXIT_MMIO_LOAD, R(RIP) | R(RFLAGS),
	  "complete_emulated_mmio -> complete_emulated_io re-enters the emulator with EMULTYPE_NO_DECODE: RIP/RFLAGS from the old decode; the loaded value is dropped (KVM_SET_REGS invalidated the register cache)"
	},
	{ RACE_EXIT_MMIO_STORE, 0,
	  "complete_emulated_mmio returns early for a write: RIP was advanced before the exit" },
	{ RACE_EXIT_PIO_IN, 0,
	  "complete_fast_pio_in: linear RIP changed since the exit, completion cancelled (45def77ebf79)"
	},
	{ RACE_EXIT_PIO_OUT, 0,
	  "complete_fast_pio_out: linear RIP changed since the exit, completion cancelled (45def77ebf79)"
	},
	{ RACE_EXIT_PIO_INS, R(RIP) | R(RDI) | R(RFLAGS),
	  "complete_emulated_pio re-enters the emulator: data to the old ES:DI, RDI = reset RDI + 4, RIP/RFLAGS from the old decode"
	},
	{ RACE_EXIT_HYPERCALL, R(RIP) | R(RAX),
	  "complete_hypercall_exit: RAX = hypercall.ret, then kvm_skip_emulated_instruction (SVM: RIP = the old next_rip with NRIPS; without, as under QEMU, the reset RIP + the length of the instruction there)"
	},
	{ RACE_EXIT_MSR_READ, R(RIP) | R(RAX) | R(RDX),
	  "complete_fast_rdmsr: EDX:EAX = msr.data, then skips the RDMSR" },
	{ RACE_EXIT_MSR_WRITE, R(RIP),
	  "complete_fast_msr_access: skips the WRMSR" },
};

const int arch_nr_exits = ARRAY_SIZE(arch_exits);

const enum race_reset arch_resets[] = {
	RACE_RESET_REGS, RACE_RESET_SREGS, RACE_RESET_SYNC_REGS,
	RACE_RESET_SREGS2, RACE_RESET_NESTED, RACE_RESET_EFER,
	RACE_RESET_ONE_REG, RACE_RESET_SMM,
};

const int arch_nr_resets = ARRAY_SIZE(arch_resets);

/* The resets that need a VM set up for them (arch_vm_setup()). */
int arch_reset_any_vm(enum race_reset reset)
{
	switch (reset) {
	case RACE_RESET_SREGS2:	/* the page directory */
	case RACE_RESET_NESTED:	/* the case runs in L2 */
	case RACE_RESET_EFER:
	case RACE_RESET_ONE_REG:
	case RACE_RESET_SMM:	/* the RAM in SMM's address space */
		return 0;
	default:
		return 1;
	}
}

/*
 * Which KVM implementation runs the guest. SVM and VMX run this flat 32-bit
 * guest natively and take the exits above. kvm_pvm (a paging-based backend
 * without hardware virtualization) runs any guest that is not a PVM-mode
 * kernel in the instruction emulator, so there every exit is an emulated
 * one: probed through /sys/module, no kernel version involved.
 */
enum x86_kvm { X86_KVM_UNKNOWN, X86_KVM_AMD, X86_KVM_INTEL, X86_KVM_PVM };

static enum x86_kvm x86_kvm(void)
{
	static int found = -1;

	if (found < 0) {
		if (!access("/sys/module/kvm_pvm", F_OK))
			found = X86_KVM_PVM;
		else if (!access("/sys/module/kvm_amd", F_OK))
			found = X86_KVM_AMD;
		else if (!access("/sys/module/kvm_intel", F_OK))
			found = X86_KVM_INTEL;
		else
			found = X86_KVM_UNKNOWN;
	}
	return found;
}

void arch_describe_host(char *buf, size_t len)
{
	static const char *const names[] = {
		[X86_KVM_UNKNOWN] =
			"unknown (no kvm_amd/kvm_intel/kvm_pvm in /sys/module), SVM/VMX assumed",
		[X86_KVM_AMD] = "kvm_amd (SVM)",
		[X86_KVM_INTEL] = "kvm_intel (VMX)",
		[X86_KVM_PVM] = "kvm_pvm (no SVM/VMX: this guest runs in KVM's emulator)",
	};

	snprintf(buf, len, "%s", names[x86_kvm()]);
}

/*
 * kvm_intel: the same registers as on kvm_amd, some for another reason.
 * Where the completion skips the instruction (hypercall, RDMSR, WRMSR),
 * SVM moves RIP to the next_rip the CPU saved in the VMCB at the exit
 * (NRIPS): the guest resumes after the old instruction; without NRIPS
 * (QEMU's SVM) the emulator decodes the instruction now at RIP and skips
 * that: reset + 1. VMX's skip_emulated_instruction adds
 * VM_EXIT_INSTRUCTION_LEN, still in the VMCS from the old exit, to the RIP
 * it reads now (kvm_rip_read: the reset's RIP, available and dirty since
 * KVM_SET_REGS): the guest enters the reset code that many bytes in,
 * skipping its first instructions. Exits through the emulator (MMIO
 * after an EPT violation or misconfig, string I/O) and the fast PIO ones
 * (handle_io -> kvm_fast_pio) complete as on SVM. Without EPT (kvm_intel
 * ept=N: shadow paging) an MMIO access is the guest's #PF, which KVM
 * intercepts (handle_exception_nmi -> kvm_handle_page_fault), and reaches
 * the same kvm_mmu_page_fault and emulator; without unrestricted guest
 * this flat protected-mode guest without paging is still valid VMX guest
 * state (KVM sets CR0.PG on its identity page table or its shadow one), so
 * nothing else changes: the same registers on all three (measured on
 * x86_64-vmx-noept-6.1 and x86_64-vmx-noug-6.1).
 */
static const struct arch_exit vmx_exits[] = {
	{ RACE_EXIT_MMIO_LOAD, R(RIP) | R(RFLAGS),
	  "EPT violation/misconfig (ept=N: the intercepted #PF, kvm_handle_page_fault) -> kvm_mmu_page_fault -> emulator; complete_emulated_mmio -> complete_emulated_io re-enters it with EMULTYPE_NO_DECODE: RIP/RFLAGS from the old decode, the loaded value dropped"
	},
	{ RACE_EXIT_MMIO_STORE, 0,
	  "complete_emulated_mmio returns early for a write: RIP was advanced before the exit"
	},
	{ RACE_EXIT_PIO_IN, 0,
	  "handle_io -> kvm_fast_pio; complete_fast_pio_in: linear RIP changed since the exit, completion cancelled (45def77ebf79)"
	},
	{ RACE_EXIT_PIO_OUT, 0,
	  "handle_io -> kvm_fast_pio; complete_fast_pio_out: linear RIP changed since the exit, completion cancelled (45def77ebf79)"
	},
	{ RACE_EXIT_PIO_INS, R(RIP) | R(RDI) | R(RFLAGS),
	  "handle_io: string I/O goes to the emulator; complete_emulated_pio re-enters it: data to the old ES:DI, RDI = reset RDI + 4, RIP/RFLAGS from the old decode"
	},
	{ RACE_EXIT_HYPERCALL, R(RIP) | R(RAX),
	  "VMCALL -> kvm_emulate_hypercall; complete_hypercall_exit: RAX = hypercall.ret, then skip_emulated_instruction: RIP = reset RIP + VM_EXIT_INSTRUCTION_LEN of the old exit (3; kvm_amd: its next_rip)"
	},
	{ RACE_EXIT_MSR_READ, R(RIP) | R(RAX) | R(RDX),
	  "complete_fast_rdmsr: EDX:EAX = msr.data, then kvm_complete_insn_gp skips: RIP = reset RIP + VM_EXIT_INSTRUCTION_LEN of the old exit (2; kvm_amd: its next_rip)"
	},
	{ RACE_EXIT_MSR_WRITE, R(RIP),
	  "complete_fast_msr_access: kvm_complete_insn_gp skips: RIP = reset RIP + VM_EXIT_INSTRUCTION_LEN of the old exit (2; kvm_amd: its next_rip)"
	},
};

/* kvm_pvm: the same exits, all of them coming out of the emulator. */
static const struct arch_exit pvm_exits[] = {
	{ RACE_EXIT_PIO_IN, R(RIP) | R(RFLAGS),
	  "kvm_pvm emulates this guest: IN completes in complete_emulated_pio, which re-enters the emulator (RIP/RFLAGS from the old decode, data dropped)"
	},
	{ RACE_EXIT_PIO_OUT, 0,
	  "kvm_pvm emulates this guest: an emulated OUT is finished before the exit (pio.count = 0), nothing is pending"
	},
	{ RACE_EXIT_MSR_READ, R(RIP) | R(RAX) | R(RDX) | R(RFLAGS),
	  "kvm_pvm emulates this guest: complete_emulated_rdmsr writes EDX:EAX, then re-enters the emulator to skip (RIP/RFLAGS from the old decode)"
	},
	{ RACE_EXIT_MSR_WRITE, R(RIP) | R(RFLAGS),
	  "kvm_pvm emulates this guest: complete_emulated_msr_access re-enters the emulator to skip (RIP/RFLAGS from the old decode)"
	},
};

/* The entry of an exit in a table, or NULL. */
static const struct arch_exit *find_exit(const struct arch_exit *table,
					 size_t n, enum race_exit exit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (table[i].exit == exit)
			return &table[i];
	return NULL;
}

unsigned int arch_expected_clobbers(enum race_exit exit, const char **why)
{
	const struct arch_exit *e = NULL;

	if (x86_kvm() == X86_KVM_PVM)
		e = find_exit(pvm_exits, ARRAY_SIZE(pvm_exits), exit);
	else if (x86_kvm() == X86_KVM_INTEL)
		e = find_exit(vmx_exits, ARRAY_SIZE(vmx_exits), exit);
	if (!e)
		e = find_exit(arch_exits, arch_nr_exits, exit);
	*why = e ? e->why : "";
	return e ? e->clobbers : 0;
}

unsigned long arch_vm_type(void)
{
	return 0;
}

static uint64_t case_entry(enum race_exit exit)
{
	switch (exit) {
	case RACE_EXIT_MMIO_LOAD: return GPA(x86_guest_mmio_load);
	case RACE_EXIT_MMIO_STORE: return GPA(x86_guest_mmio_store);
	case RACE_EXIT_PIO_IN: return GPA(x86_guest_pio_in);
	case RACE_EXIT_PIO_OUT: return GPA(x86_guest_pio_out);
	case RACE_EXIT_PIO_INS: return GPA(x86_guest_pio_ins);
	case RACE_EXIT_HYPERCALL: return GPA(x86_guest_hypercall);
	case RACE_EXIT_MSR_READ: return GPA(x86_guest_msr_read);
	default: return GPA(x86_guest_msr_write);
	}
}

static int host_is_intel(void)
{
	unsigned int a, b, c, d;

	/* "GenuineIntel": EBX = "Genu". */
	return __get_cpuid(0, &a, &b, &c, &d) && b == 0x756e6547;
}

/*
 * The guest's hypercall instruction: VMCALL on VMX, VMMCALL on SVM; guest.S
 * holds VMMCALL. The other one would reach KVM_EXIT_HYPERCALL too, only
 * later: it raises #UD, which KVM intercepts on both, and with
 * KVM_X86_QUIRK_FIX_HYPERCALL_INSN (on unless a VMM disables it) the
 * emulator writes the native instruction over it in guest memory
 * (emulator_fix_hypercall) and the guest executes that. The backend
 * decides, not the CPU vendor (Hygon runs kvm_amd, Zhaoxin kvm_intel);
 * the vendor only where no backend module is found.
 */
static int uses_vmcall(void)
{
	switch (x86_kvm()) {
	case X86_KVM_INTEL:
		return 1;
	case X86_KVM_AMD:
		return 0;
	default:
		return host_is_intel();
	}
}

static int has_user_msr_filter(struct vm *vm)
{
	int reasons = vm_check_cap(vm, KVM_CAP_X86_USER_SPACE_MSR);

	/* Some kernels answer 1, newer ones the mask of exit reasons. */
	return (reasons == 1 || (reasons & KVM_MSR_EXIT_REASON_FILTER)) &&
	       vm_check_cap(vm, KVM_CAP_X86_MSR_FILTER);
}

/* The resets that take the vCPU out of L2: the case runs nested. */
static int leaves_l2(enum race_reset reset)
{
	return reset == RACE_RESET_NESTED || reset == RACE_RESET_EFER ||
	       reset == RACE_RESET_ONE_REG;
}

/* kvm_amd's "nested" parameter: 1 (6.x, 7.x print an int) or Y. */
static int kvm_amd_nested(void)
{
	char buf[8] = "";
	FILE *f = fopen("/sys/module/kvm_amd/parameters/nested", "r");

	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return buf[0] == '1' || buf[0] == 'Y';
}

/*
 * The nested cases' L1 enters L2 with VMRUN: SVM only. The exits are
 * those KVM handles for L2 itself (L1 intercepts nothing but VMRUN); a
 * VMMCALL in L2 is not one of them (7.x injects #UD into L2).
 */
static int nested_supported(struct vm *vm, const struct race_case *c,
			    char *why, size_t len)
{
	if (x86_kvm() == X86_KVM_INTEL) {
		snprintf(why, len,
			 "this case's L1 enters L2 with SVM's VMRUN, which kvm_intel does not offer its guests; a VMX L1 (VMXON, VMCS, VMLAUNCH) is not written yet");
		return 0;
	}
	if (x86_kvm() != X86_KVM_AMD) {
		snprintf(why, len,
			 "this case's L2 runs under SVM (VMRUN): needs kvm_amd, this host has %s",
			 x86_kvm() == X86_KVM_PVM ? "kvm_pvm" : "no kvm_amd");
		return 0;
	}
	if (!kvm_amd_nested()) {
		snprintf(why, len, "kvm_amd is loaded with nested=0");
		return 0;
	}
	if (c->reset == RACE_RESET_NESTED &&
	    vm_check_cap(vm, KVM_CAP_NESTED_STATE) <= 0) {
		snprintf(why, len, "no KVM_CAP_NESTED_STATE");
		return 0;
	}
	if (c->exit == RACE_EXIT_HYPERCALL) {
		snprintf(why, len,
			 "a VMMCALL in L2 is L1's to handle (7.x injects #UD), not a KVM_EXIT_HYPERCALL");
		return 0;
	}
	return 1;
}

int arch_case_supported(struct vm *vm, const struct race_case *c,
			char *why, size_t len)
{
	int v;

	switch (c->exit) {
	case RACE_EXIT_HYPERCALL:
		if (x86_kvm() == X86_KVM_PVM) {
			snprintf(why, len,
				 "kvm_pvm: VMCALL/VMMCALL of a non-PVM-mode guest is only re-patched by the emulator, it never exits to userspace");
			return 0;
		}
		v = vm_check_cap(vm, KVM_CAP_EXIT_HYPERCALL);
		if (!(v & (1 << KVM_HC_MAP_GPA_RANGE_NR))) {
			snprintf(why, len,
				 "KVM_CAP_EXIT_HYPERCALL does not offer KVM_HC_MAP_GPA_RANGE (KVM_CHECK_EXTENSION = 0x%x)",
				 v);
			return 0;
		}
		break;
	case RACE_EXIT_MSR_READ:
	case RACE_EXIT_MSR_WRITE:
		if (!has_user_msr_filter(vm)) {
			snprintf(why, len,
				 "no KVM_CAP_X86_USER_SPACE_MSR with KVM_MSR_EXIT_REASON_FILTER, or no KVM_CAP_X86_MSR_FILTER");
			return 0;
		}
		break;
	default:
		break;
	}
	switch (c->reset) {
	case RACE_RESET_SYNC_REGS:
		if (!(vm_check_cap(vm, KVM_CAP_SYNC_REGS) & KVM_SYNC_X86_REGS)) {
			snprintf(why, len,
				 "KVM_CAP_SYNC_REGS lacks KVM_SYNC_X86_REGS");
			return 0;
		}
		break;
	case RACE_RESET_SREGS2:
		if (!vm_check_cap(vm, KVM_CAP_SREGS2)) {
			snprintf(why, len, "no KVM_CAP_SREGS2");
			return 0;
		}
		/*
		 * Measured on Linux 6.18's kvm_pvm: after this reset the
		 * completion lands nowhere (immediate_exit: every register
		 * as the reset wrote it) and a full run ends in
		 * KVM_EXIT_SHUTDOWN at the reset code, aborted or not.
		 */
		if (x86_kvm() == X86_KVM_PVM) {
			snprintf(why, len,
				 "kvm_pvm only emulates a guest outside 64-bit PVM mode, and cannot run this reset's 32-bit paging: the full run ends in KVM_EXIT_SHUTDOWN at the reset code");
			return 0;
		}
		break;
	case RACE_RESET_ONE_REG:
		if (!vm_check_cap(vm, KVM_CAP_ONE_REG)) {
			snprintf(why, len,
				 "no KVM_CAP_ONE_REG: this x86 KVM has no KVM_SET_ONE_REG (MSRs through it came with 7.x)");
			return 0;
		}
		return nested_supported(vm, c, why, len);
	case RACE_RESET_NESTED:
	case RACE_RESET_EFER:
		return nested_supported(vm, c, why, len);
	case RACE_RESET_SMM:
		if (!vm_check_cap(vm, KVM_CAP_X86_SMM) ||
		    vm_check_cap(vm, KVM_CAP_MULTI_ADDRESS_SPACE) < 2) {
			snprintf(why, len,
				 "no KVM_CAP_X86_SMM, or no second (SMM) address space");
			return 0;
		}
		break;
	default:
		break;
	}
	return 1;
}

static int deny_msr(struct vm *vm)
{
	static uint8_t deny_bitmap[1];	/* bit clear: access denied */
	struct kvm_msr_filter filter = {
		.flags = KVM_MSR_FILTER_DEFAULT_ALLOW,
		.ranges[0] = {
			.flags = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE,
			.nmsrs = 1,
			.base = X86_MSR_INDEX,
			.bitmap = deny_bitmap,
		},
	};
	int ret;

	ret = vm_enable_cap(vm, KVM_CAP_X86_USER_SPACE_MSR,
			    KVM_MSR_EXIT_REASON_FILTER);
	if (ret < 0)
		return ret;
	ret = vm_ioctl(vm, KVM_X86_SET_MSR_FILTER, &filter);
	return ret < 0 ? ret : 0;
}

#define SEL_CODE	0x08
#define SEL_DATA	0x10
#define SEL_RESET	0x18	/* CS of the "sregs" resets: based at the reset code */

static void put_u16(uint8_t *ram, uint64_t gpa, uint16_t v)
{
	memcpy(ram + gpa, &v, sizeof(v));
}

static void put_u32(uint8_t *ram, uint64_t gpa, uint32_t v)
{
	memcpy(ram + gpa, &v, sizeof(v));
}

static void put_u64(uint8_t *ram, uint64_t gpa, uint64_t v)
{
	memcpy(ram + gpa, &v, sizeof(v));
}

/*
 * The VMCB fields L2 needs (AMD APM vol. 2, appendix B; the kernel's
 * struct vmcb): control area at 0, state save area at 0x400.
 */
#define VMCB_INTERCEPT_MISC2	0x010	/* bit 0: VMRUN, which must be set */
#define VMCB_ASID		0x058	/* must not be 0 */
#define VMCB_ES			0x400	/* 16 bytes per segment: */
#define VMCB_CS			0x410	/* selector, attrib, limit, base */
#define VMCB_SS			0x420
#define VMCB_DS			0x430
#define VMCB_EFER		0x4d0
#define VMCB_CR0		0x558
#define VMCB_DR6		0x568
#define VMCB_DR7		0x560
#define VMCB_RFLAGS		0x570
#define VMCB_RIP		0x578
#define VMCB_G_PAT		0x668
/* Packed descriptor attributes: type, S, P (bit 7), DB (10), G (11). */
#define VMCB_ATTR_CODE		0xc9b
#define VMCB_ATTR_DATA		0xc93

static void vmcb_segment(uint8_t *ram, uint64_t at, uint16_t selector,
			 uint16_t attrib)
{
	put_u16(ram, at, selector);
	put_u16(ram, at + 2, attrib);
	put_u32(ram, at + 4, 0xffffffff);
	put_u64(ram, at + 8, 0);
}

/*
 * L2 is the flat 32-bit guest of arch_vcpu_setup() (paging off, segments
 * based at 0) starting at the case's entry; L1 intercepts only VMRUN and
 * uses no nested paging, so L2's addresses are L1's, and every exit of
 * the case is KVM's own to handle.
 */
static void write_vmcb(uint8_t *ram, uint64_t rip)
{
	uint64_t v = X86_VMCB;

	memset(ram + v, 0, 4096);
	memset(ram + X86_HSAVE, 0, 4096);
	put_u32(ram, v + VMCB_INTERCEPT_MISC2, 1);
	put_u32(ram, v + VMCB_ASID, 1);
	vmcb_segment(ram, v + VMCB_CS, SEL_CODE, VMCB_ATTR_CODE);
	vmcb_segment(ram, v + VMCB_ES, SEL_DATA, VMCB_ATTR_DATA);
	vmcb_segment(ram, v + VMCB_SS, SEL_DATA, VMCB_ATTR_DATA);
	vmcb_segment(ram, v + VMCB_DS, SEL_DATA, VMCB_ATTR_DATA);
	put_u64(ram, v + VMCB_EFER, X86_EFER_SVME);
	put_u64(ram, v + VMCB_CR0, X86_CR0_PE | X86_CR0_ET);
	put_u64(ram, v + VMCB_DR6, 0xffff0ff0);
	put_u64(ram, v + VMCB_DR7, 0x400);
	put_u64(ram, v + VMCB_RFLAGS, 0x2);
	put_u64(ram, v + VMCB_RIP, rip);
	put_u64(ram, v + VMCB_G_PAT, 0x0007040600070406ULL);
}

int arch_vm_setup(struct vm *vm, const struct race_case *c)
{
	size_t len = x86_guest_end - x86_guest_start;
	uint8_t *ram;

	ram = vm_add_memory(vm, 0, X86_RAM_SIZE);
	if (!ram)
		return -vm->err_errno;
	/* HLT everywhere: a vCPU that goes astray stops with KVM_EXIT_HLT. */
	memset(ram, 0xf4, X86_RAM_SIZE);
	memcpy(ram + X86_GUEST_LOAD, x86_guest_start, len);
	if (uses_vmcall())	/* vmmcall (0f 01 d9) -> vmcall (0f 01 c1) */
		ram[GPA(x86_guest_hypercall_insn) + 2] = 0xc1;
	if (c->reset == RACE_RESET_SREGS2 || leaves_l2(c->reset)) {
		memset(ram + X86_PAGE_DIR, 0, 4096);
		put_u32(ram, X86_PAGE_DIR, X86_PDE_4M_AT_0);
	}
	if (leaves_l2(c->reset))
		write_vmcb(ram, case_entry(c->exit));
	if (c->reset == RACE_RESET_SMM) {
		/* The same RAM in SMM's address space (as_id 1), slot 0. */
		struct kvm_userspace_memory_region smram = {
			.slot = 1u << 16,
			.memory_size = X86_RAM_SIZE,
			.userspace_addr = (uintptr_t)ram,
		};

		if (vm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &smram) < 0)
			return -vm->err_errno;
	}

	switch (c->exit) {
	case RACE_EXIT_HYPERCALL:
		return vm_enable_cap(vm, KVM_CAP_EXIT_HYPERCALL,
				     1ULL << KVM_HC_MAP_GPA_RANGE_NR) < 0 ?
		       -vm->err_errno : 0;
	case RACE_EXIT_MSR_READ:
	case RACE_EXIT_MSR_WRITE:
		return deny_msr(vm);
	default:
		return 0;
	}
}

/* A flat 4G segment as the hidden descriptor cache holds it; no GDT needed. */
static void flat_segment(struct kvm_segment *s, uint16_t selector,
			 uint64_t base, int code)
{
	*s = (struct kvm_segment) {
		.base = base,
		.limit = 0xffffffff,
		.selector = selector,
		.type = code ? 0xb : 0x3,	/* exec/read or read/write, accessed */
		.present = 1,
		.db = 1,
		.s = 1,
		.g = 1,
	};
}

/*
 * L1 of the nested cases: SVM in CPUID (7.x checks EFER.SVME against it),
 * EFER.SVME, paging on (KVM's VMRUN wants it), a host save area.
 */
static int nested_l1_setup(struct vcpu *vcpu, struct kvm_sregs *sregs)
{
	struct {
		struct kvm_cpuid2 head;
		struct kvm_cpuid_entry2 entries[256];
	} cpuid = { .head.nent = 256 };
	struct {
		struct kvm_msrs head;
		struct kvm_msr_entry entries[1];
	} msrs = {
		.head.nmsrs = 1,
		.entries[0] = { .index = X86_MSR_VM_HSAVE_PA, .data = X86_HSAVE },
	};
	struct vm *vm = vcpu->vm;
	uint32_t i, svm = 0;

	if (__vm_ioctl(vm, vm->kvm_fd, KVM_GET_SUPPORTED_CPUID,
		       "KVM_GET_SUPPORTED_CPUID", &cpuid) < 0)
		return -vm->err_errno;
	for (i = 0; i < cpuid.head.nent; i++)
		if (cpuid.entries[i].function == 0x80000001)
			svm = cpuid.entries[i].ecx & X86_CPUID_SVM;
	if (!svm)
		return vm_error(vm, ENOTSUP,
				"KVM_GET_SUPPORTED_CPUID offers no SVM for L1");
	if (vcpu_ioctl(vcpu, KVM_SET_CPUID2, &cpuid) < 0)
		return -vm->err_errno;

	sregs->cr0 |= X86_CR0_PG;
	sregs->cr4 |= X86_CR4_PSE;
	sregs->cr3 = X86_PAGE_DIR;
	sregs->efer |= X86_EFER_SVME;
	if (vcpu_ioctl(vcpu, KVM_SET_SREGS, sregs) < 0)
		return -vm->err_errno;
	if (vcpu_ioctl(vcpu, KVM_SET_MSRS, &msrs) != 1)
		return vm->err_errno ? -vm->err_errno :
		       vm_error(vm, EINVAL, "KVM_SET_MSRS: MSR_VM_HSAVE_PA refused");
	return 0;
}

int arch_vcpu_setup(struct vcpu *vcpu, const struct race_case *c)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rflags = 0x2 };

	if (vcpu_ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		return -vcpu->vm->err_errno;
	/*
	 * 32-bit protected mode, paging off: it runs natively on SVM and on
	 * VMX with or without unrestricted guest, so fast PIO, MSR and
	 * hypercall exits are not turned into emulated ones.
	 */
	sregs.cr0 = (sregs.cr0 & ~(X86_CR0_CD | X86_CR0_NW)) | X86_CR0_PE;
	flat_segment(&sregs.cs, SEL_CODE, 0, 1);
	flat_segment(&sregs.ds, SEL_DATA, 0, 0);
	flat_segment(&sregs.es, SEL_DATA, 0, 0);
	flat_segment(&sregs.ss, SEL_DATA, 0, 0);
	flat_segment(&sregs.fs, SEL_DATA, 0, 0);
	flat_segment(&sregs.gs, SEL_DATA, 0, 0);
	if (vcpu_ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
		return -vcpu->vm->err_errno;
	regs.rip = case_entry(c->exit);
	if (leaves_l2(c->reset)) {
		int ret = nested_l1_setup(vcpu, &sregs);

		if (ret)
			return ret;
		/* L1 enters the case in L2 (write_vmcb()). */
		regs.rip = GPA(x86_guest_l1);
	}
	if (vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		return -vcpu->vm->err_errno;
	return 0;
}

static int read_all(struct vcpu *vcpu, struct kvm_regs *regs,
		    struct kvm_sregs *sregs, struct race_regs *out)
{
	if (vcpu_ioctl(vcpu, KVM_GET_REGS, regs) < 0 ||
	    vcpu_ioctl(vcpu, KVM_GET_SREGS, sregs) < 0)
		return -vcpu->vm->err_errno;
	memset(out, 0, sizeof(*out));
	out->val[REG_RIP] = regs->rip;
	out->val[REG_RAX] = regs->rax;
	out->val[REG_RDX] = regs->rdx;
	out->val[REG_RDI] = regs->rdi;
	out->val[REG_RFLAGS] = regs->rflags;
	out->val[REG_CS] = sregs->cs.selector;
	return 0;
}

int arch_read_regs(struct vcpu *vcpu, struct race_regs *out)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	return read_all(vcpu, &regs, &sregs, out);
}

static int answer_io(struct vcpu *vcpu, int dir, char *desc, size_t len)
{
	struct kvm_run *run = vcpu->run;
	uint32_t data = ANSWER_PIO;

	if (run->exit_reason != KVM_EXIT_IO || run->io.direction != dir ||
	    run->io.port != X86_PIO_DATA || run->io.size != 4 ||
	    run->io.count != 1)
		return kvm_unexpected_exit(vcpu, dir == KVM_EXIT_IO_IN ?
					   "KVM_EXIT_IO in, port 0xe0, 4 bytes" :
					   "KVM_EXIT_IO out, port 0xe0, 4 bytes");
	if (dir == KVM_EXIT_IO_IN) {
		memcpy((char *)run + run->io.data_offset, &data, 4);
		snprintf(desc, len,
			 "KVM_EXIT_IO in, 4 bytes from port 0x%x; answered 0x%x",
			 X86_PIO_DATA, data);
	} else {
		memcpy(&data, (char *)run + run->io.data_offset, 4);
		snprintf(desc, len,
			 "KVM_EXIT_IO out, 4 bytes to port 0x%x (data 0x%x)",
			 X86_PIO_DATA, data);
	}
	return 0;
}

int arch_answer_exit(struct vcpu *vcpu, const struct race_case *c,
		     char *desc, size_t len)
{
	struct kvm_run *run = vcpu->run;

	switch (c->exit) {
	case RACE_EXIT_MMIO_LOAD:
	case RACE_EXIT_MMIO_STORE:
		return kvm_answer_mmio(vcpu, c->exit == RACE_EXIT_MMIO_STORE,
				       X86_MMIO_DATA, 4, ANSWER_MMIO, desc, len);
	case RACE_EXIT_PIO_IN:
	case RACE_EXIT_PIO_INS:
		return answer_io(vcpu, KVM_EXIT_IO_IN, desc, len);
	case RACE_EXIT_PIO_OUT:
		return answer_io(vcpu, KVM_EXIT_IO_OUT, desc, len);
	case RACE_EXIT_HYPERCALL:
		if (run->exit_reason != KVM_EXIT_HYPERCALL ||
		    run->hypercall.nr != KVM_HC_MAP_GPA_RANGE_NR)
			return kvm_unexpected_exit(vcpu,
						   "KVM_EXIT_HYPERCALL KVM_HC_MAP_GPA_RANGE");
		run->hypercall.ret = ANSWER_HC;
		snprintf(desc, len,
			 "KVM_EXIT_HYPERCALL KVM_HC_MAP_GPA_RANGE (gpa 0x%llx, %llu page); answered ret 0x%llx",
			 (unsigned long long)run->hypercall.args[0],
			 (unsigned long long)run->hypercall.args[1],
			 ANSWER_HC);
		return 0;
	case RACE_EXIT_MSR_READ:
	case RACE_EXIT_MSR_WRITE: {
		int rd = c->exit == RACE_EXIT_MSR_READ;

		if (run->exit_reason != (rd ? KVM_EXIT_X86_RDMSR :
					 KVM_EXIT_X86_WRMSR) ||
		    run->msr.index != X86_MSR_INDEX)
			return kvm_unexpected_exit(vcpu, rd ?
						   "KVM_EXIT_X86_RDMSR of MSR 0x56435055" :
						   "KVM_EXIT_X86_WRMSR of MSR 0x56435055");
		run->msr.error = 0;
		if (rd) {
			run->msr.data = ANSWER_MSR;
			snprintf(desc, len,
				 "KVM_EXIT_X86_RDMSR 0x%x (filter); answered 0x%llx",
				 X86_MSR_INDEX, ANSWER_MSR);
		} else {
			snprintf(desc, len,
				 "KVM_EXIT_X86_WRMSR 0x%x (filter, data 0x%llx); answered ok",
				 X86_MSR_INDEX,
				 (unsigned long long)run->msr.data);
		}
		return 0;
	}
	default:
		return vm_error(vcpu->vm, EINVAL, "no %s exit on x86",
				race_exit_name(c->exit));
	}
}

/* CS based so that @rip names the first byte of the reset code. */
static void cs_onto_reset(struct kvm_segment *cs, uint64_t rip)
{
	flat_segment(cs, SEL_RESET, (GPA(x86_guest_reset) - rip) & 0xffffffff,
		     1);
}

/*
 * Paging on (1:1, so the same code is at the same addresses) and CS moved
 * so that the exit's RIP names the reset code: the VMM then writes the RIP
 * it read back. The RIP alone does not tell that the vCPU moved.
 */
static int reset_sregs2(struct vcpu *vcpu, uint64_t rip, char *how,
			size_t len)
{
	struct kvm_sregs2 sregs2;

	if (vcpu_ioctl(vcpu, KVM_GET_SREGS2, &sregs2) < 0)
		return -vcpu->vm->err_errno;
	sregs2.cr0 |= X86_CR0_PG;
	sregs2.cr4 |= X86_CR4_PSE;
	sregs2.cr3 = X86_PAGE_DIR;
	sregs2.flags = 0;
	cs_onto_reset(&sregs2.cs, rip);
	snprintf(how, len,
		 "KVM_SET_SREGS2 cr0.pg cr4.pse cr3=0x%x cs=0x%x (base 0x%llx), then KVM_SET_REGS rip (the exit's) rax rdx rdi rflags",
		 X86_PAGE_DIR, SEL_RESET, (unsigned long long)sregs2.cs.base);
	return vcpu_ioctl(vcpu, KVM_SET_SREGS2, &sregs2) < 0 ?
	       -vcpu->vm->err_errno : 0;
}

/* Whether the vCPU is in L2, as KVM_GET_NESTED_STATE says. */
static int in_l2(struct vcpu *vcpu)
{
	union {
		struct kvm_nested_state state;
		uint8_t buf[sizeof(struct kvm_nested_state) + 0x1000];
	} u = { .state.size = sizeof(u) };

	if (vcpu_ioctl(vcpu, KVM_GET_NESTED_STATE, &u) < 0)
		return -vcpu->vm->err_errno;
	return !!(u.state.flags & KVM_STATE_NESTED_GUEST_MODE);
}

/*
 * Out of L2 in one of the ways a VMM can: KVM_SET_NESTED_STATE without
 * guest mode (SVM leaves L2's registers in the vCPU), or a host write of
 * EFER without SVME (KVM_SET_MSRS, or 7.x's KVM_SET_ONE_REG).
 */
static int leave_l2(struct vcpu *vcpu, enum race_reset reset, char *how,
		    size_t len)
{
	struct kvm_nested_state state = {
		.flags = KVM_STATE_NESTED_GIF_SET,
		.format = KVM_STATE_NESTED_FORMAT_SVM,
		.size = sizeof(state),
	};
	struct {
		struct kvm_msrs head;
		struct kvm_msr_entry entries[1];
	} msrs = { .head.nmsrs = 1, .entries[0].index = X86_MSR_EFER };
	struct kvm_one_reg one_reg = { .id = X86_ONE_REG_MSR(X86_MSR_EFER) };
	struct vm *vm = vcpu->vm;
	struct kvm_sregs sregs;
	uint64_t efer;
	int ret;

	ret = in_l2(vcpu);
	if (ret <= 0)
		return ret ? ret : vm_error(vm, EPROTO,
					    "the pending exit is not in L2 (VMRUN did not enter it)");
	if (vcpu_ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		return -vm->err_errno;
	efer = sregs.efer & ~X86_EFER_SVME;

	switch (reset) {
	case RACE_RESET_NESTED:
		snprintf(how, len, "KVM_SET_NESTED_STATE without guest mode");
		return vcpu_ioctl(vcpu, KVM_SET_NESTED_STATE, &state) < 0 ?
		       -vm->err_errno : 0;
	case RACE_RESET_EFER:
		snprintf(how, len, "KVM_SET_MSRS EFER=0x%llx (no SVME)",
			 (unsigned long long)efer);
		msrs.entries[0].data = efer;
		if (vcpu_ioctl(vcpu, KVM_SET_MSRS, &msrs) == 1)
			return 0;
		return vm->err_errno ? -vm->err_errno :
		       vm_error(vm, EINVAL, "KVM_SET_MSRS: EFER refused");
	default:
		snprintf(how, len, "KVM_SET_ONE_REG MSR EFER=0x%llx (no SVME)",
			 (unsigned long long)efer);
		one_reg.addr = (uintptr_t)&efer;
		return vcpu_ioctl(vcpu, KVM_SET_ONE_REG, &one_reg) < 0 ?
		       -vm->err_errno : 0;
	}
}

/*
 * Into SMM as a VMM's state restore puts it there: KVM_SET_VCPU_EVENTS
 * with smi.smm set (kvm_smm_changed()), registers unchanged; the RAM is
 * the same in SMM's address space.
 */
static int enter_smm(struct vcpu *vcpu, char *how, size_t len)
{
	struct kvm_vcpu_events events;

	if (vcpu_ioctl(vcpu, KVM_GET_VCPU_EVENTS, &events) < 0)
		return -vcpu->vm->err_errno;
	events.flags = KVM_VCPUEVENT_VALID_SMM;
	events.smi.smm = 1;
	events.smi.pending = 0;
	events.smi.smm_inside_nmi = 0;
	events.smi.latched_init = 0;
	snprintf(how, len, "KVM_SET_VCPU_EVENTS smi.smm=1");
	return vcpu_ioctl(vcpu, KVM_SET_VCPU_EVENTS, &events) < 0 ?
	       -vcpu->vm->err_errno : 0;
}

int arch_reset(struct vcpu *vcpu, enum race_reset reset,
	       struct race_regs *to, unsigned int *wrote, char *how,
	       size_t len)
{
	struct kvm_regs regs = {
		.rip = GPA(x86_guest_reset),
		.rax = RESET_RAX,
		.rdx = RESET_RDX,
		.rdi = RESET_RDI,
		.rflags = RESET_RFLAGS,
	};
	struct kvm_regs now;
	struct kvm_sregs sregs;
	size_t n;
	int ret;

	if (vcpu_ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0 ||
	    vcpu_ioctl(vcpu, KVM_GET_REGS, &now) < 0)
		return -vcpu->vm->err_errno;
	*wrote = R(RIP) | R(RAX) | R(RDX) | R(RDI) | R(RFLAGS);

	switch (reset) {
	case RACE_RESET_REGS:
		snprintf(how, len, "KVM_SET_REGS rip rax rdx rdi rflags");
		if (vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
			return -vcpu->vm->err_errno;
		break;
	case RACE_RESET_SREGS:
		/* Move CS onto the reset code, as a VMM's reset moves CS. */
		flat_segment(&sregs.cs, SEL_RESET, GPA(x86_guest_reset), 1);
		regs.rip = 0;
		*wrote |= R(CS);
		snprintf(how, len,
			 "KVM_SET_SREGS cs=0x%x (base 0x%llx), then KVM_SET_REGS rip rax rdx rdi rflags",
			 SEL_RESET, (unsigned long long)sregs.cs.base);
		if (vcpu_ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0 ||
		    vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
			return -vcpu->vm->err_errno;
		break;
	case RACE_RESET_SYNC_REGS:
		/* Applied by the next KVM_RUN itself, in sync_regs(). */
		snprintf(how, len,
			 "kvm_run->s.regs.regs + kvm_dirty_regs=KVM_SYNC_X86_REGS (applied inside the next KVM_RUN)");
		vcpu->run->s.regs.regs = regs;
		vcpu->run->kvm_dirty_regs = KVM_SYNC_X86_REGS;
		break;
	case RACE_RESET_SREGS2:
		ret = reset_sregs2(vcpu, now.rip, how, len);
		if (ret)
			return ret;
		regs.rip = now.rip;
		*wrote |= R(CS);
		if (vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
			return -vcpu->vm->err_errno;
		break;
	case RACE_RESET_NESTED:
	case RACE_RESET_EFER:
	case RACE_RESET_ONE_REG:
	case RACE_RESET_SMM:
		/*
		 * Out of L2 (or into SMM), then CS moved (same mode) so that
		 * the RIP the vCPU has now names the reset code, and that RIP
		 * written back: only the first ioctl tells that the vCPU
		 * moved.
		 */
		ret = reset == RACE_RESET_SMM ? enter_smm(vcpu, how, len) :
		      leave_l2(vcpu, reset, how, len);
		if (ret)
			return ret;
		if (vcpu_ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0 ||
		    vcpu_ioctl(vcpu, KVM_GET_REGS, &now) < 0)
			return -vcpu->vm->err_errno;
		cs_onto_reset(&sregs.cs, now.rip);
		regs.rip = now.rip;
		*wrote |= R(CS);
		n = strlen(how);
		snprintf(how + n, len - n,
			 ", KVM_SET_SREGS cs=0x%x (base 0x%llx), KVM_SET_REGS rip (as left) rax rdx rdi rflags",
			 SEL_RESET, (unsigned long long)sregs.cs.base);
		if (vcpu_ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0 ||
		    vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
			return -vcpu->vm->err_errno;
		break;
	default:
		return vm_error(vcpu->vm, EINVAL, "no %s reset on x86",
				race_reset_name(reset));
	}

	/* CS as the reset left it: read back, whatever path set it. */
	if (vcpu_ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		return -vcpu->vm->err_errno;
	memset(to, 0, sizeof(*to));
	to->val[REG_RIP] = regs.rip;
	to->val[REG_RAX] = regs.rax;
	to->val[REG_RDX] = regs.rdx;
	to->val[REG_RDI] = regs.rdi;
	to->val[REG_RFLAGS] = regs.rflags;
	to->val[REG_CS] = sregs.cs.selector;
	return 0;
}

int arch_locate_resume(struct vcpu *vcpu, const struct race_case *c,
		       struct race_result *res)
{
	uint64_t reset = GPA(x86_guest_reset), linear;
	struct kvm_run *run = vcpu->run;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	char exit_desc[128];
	int ret;

	(void)c;
	ret = read_all(vcpu, &regs, &sregs, &res->after);
	if (ret)
		return ret;

	/*
	 * Every marker is the first instruction where the vCPU resumed, and
	 * an IN exits before RIP moves: RIP is where the guest resumed.
	 */
	linear = sregs.cs.base + regs.rip;
	if (run->exit_reason == KVM_EXIT_IO &&
	    run->io.direction == KVM_EXIT_IO_IN) {
		if (run->io.port == X86_PIO_STALE) {
			res->resume = RACE_RESUME_STALE;
			snprintf(res->resume_desc, sizeof(res->resume_desc),
				 "stale marker at cs 0x%x rip 0x%llx",
				 sregs.cs.selector,
				 (unsigned long long)regs.rip);
			return 0;
		}
		if (linear >= reset && linear < reset + X86_RESET_SLED) {
			res->resume = RACE_RESUME_RESET;
			res->resume_offset = linear - reset;
			snprintf(res->resume_desc, sizeof(res->resume_desc),
				 "reset code marker at cs 0x%x rip 0x%llx",
				 sregs.cs.selector,
				 (unsigned long long)regs.rip);
			return 0;
		}
	}
	kvm_describe_exit(run, exit_desc, sizeof(exit_desc));
	res->resume = RACE_RESUME_OTHER;
	snprintf(res->resume_desc, sizeof(res->resume_desc), "%s, cs 0x%x rip 0x%llx",
		 exit_desc, sregs.cs.selector, (unsigned long long)regs.rip);
	return 0;
}

void arch_print_info(struct vm *vm,
		     void (*line)(const char *name, int yes, const char *note))
{
	int v;

	v = vm_check_cap(vm, KVM_CAP_SYNC_REGS);
	line("KVM_CAP_SYNC_REGS (KVM_SYNC_X86_REGS)", !!(v & KVM_SYNC_X86_REGS),
	     "reset sync-regs");
	v = vm_check_cap(vm, KVM_CAP_EXIT_HYPERCALL);
	line("KVM_CAP_EXIT_HYPERCALL (KVM_HC_MAP_GPA_RANGE)",
	     !!(v & (1 << KVM_HC_MAP_GPA_RANGE_NR)), "exit hypercall");
	v = vm_check_cap(vm, KVM_CAP_X86_USER_SPACE_MSR);
	line("KVM_CAP_X86_USER_SPACE_MSR (filter exits)",
	     v == 1 || (v & KVM_MSR_EXIT_REASON_FILTER), "exit msr-read/write");
	line("KVM_CAP_X86_MSR_FILTER", vm_check_cap(vm, KVM_CAP_X86_MSR_FILTER),
	     "exit msr-read/write");
	line("guest hypercall is VMCALL (VMX; VMMCALL on SVM)", uses_vmcall(),
	     "exit hypercall");
	line("kvm_pvm backend (every exit emulated)", x86_kvm() == X86_KVM_PVM,
	     "changes the expected verdicts");
}

int arch_vcpu_spin(struct vcpu *vcpu)
{
	struct kvm_regs regs;

	if (vcpu_ioctl(vcpu, KVM_GET_REGS, &regs) < 0)
		return -vcpu->vm->err_errno;
	regs.rip = GPA(x86_guest_spin);
	return vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) < 0 ?
	       -vcpu->vm->err_errno : 0;
}
