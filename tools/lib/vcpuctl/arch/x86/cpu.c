// SPDX-License-Identifier: GPL-2.0
/*
 * x86: flat 32-bit guest, the pending exits of x86 KVM, and the reset paths
 * KVM_SET_REGS, KVM_SET_SREGS + KVM_SET_REGS and sync_regs.
 */
#include <cpuid.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <vcpuctl/arch.h>

#include "guest.h"

#define X86_CR0_PE	(1ULL << 0)
#define X86_CR0_NW	(1ULL << 29)
#define X86_CR0_CD	(1ULL << 30)

extern const char x86_guest_start[], x86_guest_end[], x86_guest_reset[];
extern const char x86_guest_mmio_load[], x86_guest_mmio_store[];
extern const char x86_guest_pio_in[], x86_guest_pio_out[], x86_guest_pio_ins[];
extern const char x86_guest_hypercall[], x86_guest_hypercall_insn[];
extern const char x86_guest_msr_read[], x86_guest_msr_write[], x86_guest_spin[];

#define GPA(label)	(X86_GUEST_LOAD + (uint64_t)((label) - x86_guest_start))

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

const char arch_name[] = "x86_64";
const char *const arch_reg_names[] = { "rip", "rax", "rdx", "rdi", "rflags",
				       "cs" };
const int arch_nr_regs = NR_REGS;

const struct arch_exit arch_exits[] = {
	{ RACE_EXIT_MMIO_LOAD, R(RIP) | R(RFLAGS),
	  "complete_emulated_mmio -> complete_emulated_io re-enters the emulator with EMULTYPE_NO_DECODE: RIP/RFLAGS from the old decode; the loaded value is dropped (KVM_SET_REGS invalidated the register cache)" },
	{ RACE_EXIT_MMIO_STORE, 0,
	  "complete_emulated_mmio returns early for a write: RIP was advanced before the exit" },
	{ RACE_EXIT_PIO_IN, 0,
	  "complete_fast_pio_in: linear RIP changed since the exit, completion cancelled (45def77ebf79)" },
	{ RACE_EXIT_PIO_OUT, 0,
	  "complete_fast_pio_out: linear RIP changed since the exit, completion cancelled (45def77ebf79)" },
	{ RACE_EXIT_PIO_INS, R(RIP) | R(RDI) | R(RFLAGS),
	  "complete_emulated_pio re-enters the emulator: data to the old ES:DI, RDI = reset RDI + 4, RIP/RFLAGS from the old decode" },
	{ RACE_EXIT_HYPERCALL, R(RIP) | R(RAX),
	  "complete_hypercall_exit: RAX = hypercall.ret, then kvm_skip_emulated_instruction (SVM: RIP = the old next_rip with NRIPS; without, as under QEMU, the reset RIP + the length of the instruction there)" },
	{ RACE_EXIT_MSR_READ, R(RIP) | R(RAX) | R(RDX),
	  "complete_fast_rdmsr: EDX:EAX = msr.data, then skips the RDMSR" },
	{ RACE_EXIT_MSR_WRITE, R(RIP),
	  "complete_fast_msr_access: skips the WRMSR" },
};
const int arch_nr_exits = sizeof(arch_exits) / sizeof(arch_exits[0]);

const enum race_reset arch_resets[] = {
	RACE_RESET_REGS, RACE_RESET_SREGS, RACE_RESET_SYNC_REGS,
};
const int arch_nr_resets = sizeof(arch_resets) / sizeof(arch_resets[0]);

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
		[X86_KVM_UNKNOWN] = "unknown (no kvm_amd/kvm_intel/kvm_pvm in /sys/module), SVM/VMX assumed",
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
 * (handle_io -> kvm_fast_pio) complete as on SVM.
 */
static const struct arch_exit vmx_exits[] = {
	{ RACE_EXIT_MMIO_LOAD, R(RIP) | R(RFLAGS),
	  "EPT violation/misconfig -> kvm_mmu_page_fault -> emulator; complete_emulated_mmio -> complete_emulated_io re-enters it with EMULTYPE_NO_DECODE: RIP/RFLAGS from the old decode, the loaded value dropped" },
	{ RACE_EXIT_MMIO_STORE, 0,
	  "complete_emulated_mmio returns early for a write: RIP was advanced before the exit" },
	{ RACE_EXIT_PIO_IN, 0,
	  "handle_io -> kvm_fast_pio; complete_fast_pio_in: linear RIP changed since the exit, completion cancelled (45def77ebf79)" },
	{ RACE_EXIT_PIO_OUT, 0,
	  "handle_io -> kvm_fast_pio; complete_fast_pio_out: linear RIP changed since the exit, completion cancelled (45def77ebf79)" },
	{ RACE_EXIT_PIO_INS, R(RIP) | R(RDI) | R(RFLAGS),
	  "handle_io: string I/O goes to the emulator; complete_emulated_pio re-enters it: data to the old ES:DI, RDI = reset RDI + 4, RIP/RFLAGS from the old decode" },
	{ RACE_EXIT_HYPERCALL, R(RIP) | R(RAX),
	  "VMCALL -> kvm_emulate_hypercall; complete_hypercall_exit: RAX = hypercall.ret, then skip_emulated_instruction: RIP = reset RIP + VM_EXIT_INSTRUCTION_LEN of the old exit (3; kvm_amd: its next_rip)" },
	{ RACE_EXIT_MSR_READ, R(RIP) | R(RAX) | R(RDX),
	  "complete_fast_rdmsr: EDX:EAX = msr.data, then kvm_complete_insn_gp skips: RIP = reset RIP + VM_EXIT_INSTRUCTION_LEN of the old exit (2; kvm_amd: its next_rip)" },
	{ RACE_EXIT_MSR_WRITE, R(RIP),
	  "complete_fast_msr_access: kvm_complete_insn_gp skips: RIP = reset RIP + VM_EXIT_INSTRUCTION_LEN of the old exit (2; kvm_amd: its next_rip)" },
};

/* kvm_pvm: the same exits, all of them coming out of the emulator. */
static const struct arch_exit pvm_exits[] = {
	{ RACE_EXIT_PIO_IN, R(RIP) | R(RFLAGS),
	  "kvm_pvm emulates this guest: IN completes in complete_emulated_pio, which re-enters the emulator (RIP/RFLAGS from the old decode, data dropped)" },
	{ RACE_EXIT_PIO_OUT, 0,
	  "kvm_pvm emulates this guest: an emulated OUT is finished before the exit (pio.count = 0), nothing is pending" },
	{ RACE_EXIT_MSR_READ, R(RIP) | R(RAX) | R(RDX) | R(RFLAGS),
	  "kvm_pvm emulates this guest: complete_emulated_rdmsr writes EDX:EAX, then re-enters the emulator to skip (RIP/RFLAGS from the old decode)" },
	{ RACE_EXIT_MSR_WRITE, R(RIP) | R(RFLAGS),
	  "kvm_pvm emulates this guest: complete_emulated_msr_access re-enters the emulator to skip (RIP/RFLAGS from the old decode)" },
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

#define FIND_EXIT(table, exit) \
	find_exit(table, sizeof(table) / sizeof(table[0]), exit)

unsigned int arch_expected_clobbers(enum race_exit exit, const char **why)
{
	const struct arch_exit *e = NULL;

	if (x86_kvm() == X86_KVM_PVM)
		e = FIND_EXIT(pvm_exits, exit);
	else if (x86_kvm() == X86_KVM_INTEL)
		e = FIND_EXIT(vmx_exits, exit);
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
	if (c->reset == RACE_RESET_SYNC_REGS &&
	    !(vm_check_cap(vm, KVM_CAP_SYNC_REGS) & KVM_SYNC_X86_REGS)) {
		snprintf(why, len, "KVM_CAP_SYNC_REGS lacks KVM_SYNC_X86_REGS");
		return 0;
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

#define SEL_CODE	0x08
#define SEL_DATA	0x10
#define SEL_RESET	0x18	/* CS of the "sregs" reset: based at the reset code */

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
	struct kvm_sregs sregs;

	if (vcpu_ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
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
	default:
		return vm_error(vcpu->vm, EINVAL, "no %s reset on x86",
				race_reset_name(reset));
	}

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
