// SPDX-License-Identifier: GPL-2.0
/*
 * arm64: EL1 guest with the MMU off, MMIO and SMCCC exits, and the reset
 * paths KVM_ARM_VCPU_INIT + KVM_SET_ONE_REG (what a VMM does on reset: there
 * is no KVM_SET_REGS on arm64) and KVM_SET_ONE_REG alone.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <asm/ptrace.h>
#include <vcpuctl/arch.h>

#include "guest.h"

/* The SMCCC filter UAPI is Linux 6.4+; older headers lack it. */
#ifndef KVM_ARM_VM_SMCCC_CTRL
#define KVM_ARM_VM_SMCCC_CTRL		0
#define KVM_ARM_VM_SMCCC_FILTER		0
#define KVM_SMCCC_FILTER_FWD_TO_USER	2
struct kvm_smccc_filter {
	__u32 base;
	__u32 nr_functions;
	__u8 action;
	__u8 pad[15];
};
#endif

#define GPA(label)	(ARM64_RAM_BASE + (uint64_t)((label) - arm64_guest_start))

#define CORE_REG(x)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(x))

/* What the VMM answers, so that a stale completion is recognisable. */
#define ANSWER_MMIO	0xda7ada7ada7ada7aULL
#define ANSWER_SMCCC	0xda7a0020ULL

/* The reset: x0 = "device tree" (arm64 boot protocol), x1 = 0, EL1h. */
#define RESET_X0	(ARM64_RAM_BASE + 0x8000ULL)
#define RESET_X1	0ULL
#define RESET_PSTATE	(PSR_MODE_EL1h | PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | \
			 PSR_F_BIT)

enum { REG_PC, REG_X0, REG_X1, REG_PSTATE, NR_REGS };

#define R(x)		(1u << REG_##x)

static const uint64_t reg_ids[NR_REGS] = {
	[REG_PC] = CORE_REG(regs.pc),
	[REG_X0] = CORE_REG(regs.regs[0]),
	[REG_X1] = CORE_REG(regs.regs[1]),
	[REG_PSTATE] = CORE_REG(regs.pstate),
};

const char *const arch_name = "arm64";
const char *const arch_reg_names[] = { "pc", "x0", "x1", "pstate" };
const int arch_nr_regs = NR_REGS;

const struct arch_exit arch_exits[] = {
	{ RACE_EXIT_MMIO_LOAD, R(PC) | R(X0),
	  "KVM_RUN with run->exit_reason == KVM_EXIT_MMIO calls kvm_handle_mmio_return(): x0 = mmio.data, PC += 4; KVM_ARM_VCPU_INIT does not clear vcpu->mmio_needed"
	},
	{ RACE_EXIT_MMIO_STORE, R(PC),
	  "kvm_handle_mmio_return() writes no register for a store but still skips the instruction: PC += 4"
	},
	{ RACE_EXIT_HYPERCALL, 0,
	  "SMCCC forwarded to userspace (KVM_SMCCC_FILTER_FWD_TO_USER, 6.4+): PC is past the HVC at the exit and userspace writes x0-x3 itself, nothing is pending"
	},
};

const int arch_nr_exits = ARRAY_SIZE(arch_exits);

const enum race_reset arch_resets[] = {
	RACE_RESET_VCPU_INIT, RACE_RESET_ONE_REG,
};

const int arch_nr_resets = ARRAY_SIZE(arch_resets);

/* Every reset of this arch works on any vCPU it set up. */
int arch_reset_any_vm(enum race_reset reset)
{
	(void)reset;
	return 1;
}

unsigned int arch_expected_clobbers(enum race_exit exit, const char **why)
{
	int i;

	for (i = 0; i < arch_nr_exits; i++)
		if (arch_exits[i].exit == exit) {
			*why = arch_exits[i].why;
			return arch_exits[i].clobbers;
		}
	*why = "";
	return 0;
}

void arch_describe_host(char *buf, size_t len)
{
	/* VHE or nVHE makes no difference to the MMIO completion path. */
	snprintf(buf, len, "arm64 KVM");
}

unsigned long arch_vm_type(void)
{
	return 0;	/* default IPA size: 40 bits, RAM at 1G fits */
}

static uint64_t case_entry(enum race_exit exit)
{
	switch (exit) {
	case RACE_EXIT_MMIO_LOAD: return GPA(arm64_guest_mmio_load);
	case RACE_EXIT_MMIO_STORE: return GPA(arm64_guest_mmio_store);
	default: return GPA(arm64_guest_hypercall);
	}
}

static int smccc_filter_attr(struct vm *vm, unsigned long req,
			     const char *name, struct kvm_smccc_filter *filter)
{
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VM_SMCCC_CTRL,
		.attr = KVM_ARM_VM_SMCCC_FILTER,
		.addr = (uintptr_t)filter,
	};

	return __vm_ioctl(vm, vm->fd, req, name, &attr);
}

/* A probe, not a version check: KVM_HAS_DEVICE_ATTR on the VM; 0 or errno. */
static int smccc_filter_missing(struct vm *vm)
{
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VM_SMCCC_CTRL,
		.attr = KVM_ARM_VM_SMCCC_FILTER,
	};

	return ioctl(vm->fd, KVM_HAS_DEVICE_ATTR, &attr) ? errno : 0;
}

int arch_case_supported(struct vm *vm, const struct race_case *c,
			char *why, size_t len)
{
	int err;

	if (c->exit != RACE_EXIT_HYPERCALL)
		return 1;
	err = smccc_filter_missing(vm);
	if (err) {
		snprintf(why, len,
			 "no SMCCC filter: KVM_HAS_DEVICE_ATTR(KVM_ARM_VM_SMCCC_CTRL, KVM_ARM_VM_SMCCC_FILTER): %s (Linux 6.4+)",
			 strerror(err));
		return 0;
	}
	return 1;
}

int arch_vm_setup(struct vm *vm, const struct race_case *c)
{
	struct kvm_smccc_filter filter = {
		.base = ARM64_SMCCC_FUNC,
		.nr_functions = 1,
		.action = KVM_SMCCC_FILTER_FWD_TO_USER,
	};
	void *ram;

	ram = vm_add_memory(vm, ARM64_RAM_BASE, ARM64_RAM_SIZE);
	if (!ram)
		return -vm->err_errno;
	memcpy(ram, arm64_guest_start, arm64_guest_end - arm64_guest_start);

	/* Must precede the first KVM_RUN of any vCPU (else EBUSY). */
	if (c->exit == RACE_EXIT_HYPERCALL &&
	    smccc_filter_attr(vm, KVM_SET_DEVICE_ATTR,
			      "KVM_SET_DEVICE_ATTR(KVM_ARM_VM_SMCCC_FILTER)",
			      &filter) < 0)
		return -vm->err_errno;
	return 0;
}

static int set_reg(struct vcpu *vcpu, int reg, uint64_t val)
{
	struct kvm_one_reg one = { .id = reg_ids[reg], .addr = (uintptr_t)&val };

	return vcpu_ioctl(vcpu, KVM_SET_ONE_REG, &one) < 0 ?
	       -vcpu->vm->err_errno : 0;
}

static int vcpu_init(struct vcpu *vcpu)
{
	struct kvm_vcpu_init init;

	memset(&init, 0, sizeof(init));
	if (vm_ioctl(vcpu->vm, KVM_ARM_PREFERRED_TARGET, &init) < 0 ||
	    vcpu_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) < 0)
		return -vcpu->vm->err_errno;
	return 0;
}

int arch_vcpu_setup(struct vcpu *vcpu, const struct race_case *c)
{
	int ret = vcpu_init(vcpu);

	return ret ? ret : set_reg(vcpu, REG_PC, case_entry(c->exit));
}

int arch_read_regs(struct vcpu *vcpu, struct race_regs *regs)
{
	struct kvm_one_reg one;
	int i;

	memset(regs, 0, sizeof(*regs));
	for (i = 0; i < NR_REGS; i++) {
		one = (struct kvm_one_reg) {
			.id = reg_ids[i], .addr = (uintptr_t)&regs->val[i],
		};
		if (vcpu_ioctl(vcpu, KVM_GET_ONE_REG, &one) < 0)
			return -vcpu->vm->err_errno;
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
				       ARM64_MMIO_DATA, 8, ANSWER_MMIO, desc, len);
	case RACE_EXIT_HYPERCALL:
		if (run->exit_reason != KVM_EXIT_HYPERCALL ||
		    run->hypercall.nr != ARM64_SMCCC_FUNC)
			return kvm_unexpected_exit(vcpu,
						   "KVM_EXIT_HYPERCALL for SMCCC function 0xc2000000");
		/* The VMM's answer to an SMCCC call: x0 by KVM_SET_ONE_REG. */
		snprintf(desc, len,
			 "KVM_EXIT_HYPERCALL SMCCC 0x%x via HVC (flags 0x%x); answered x0 = 0x%llx with KVM_SET_ONE_REG",
			 ARM64_SMCCC_FUNC,
			 /* "flags" in 6.4+ headers, same low 32 bits */
			 run->hypercall.longmode,
			 ANSWER_SMCCC);
		return set_reg(vcpu, REG_X0, ANSWER_SMCCC);
	default:
		return vm_error(vcpu->vm, EINVAL, "no %s exit on arm64",
				race_exit_name(c->exit));
	}
}

int arch_reset(struct vcpu *vcpu, enum race_reset reset,
	       struct race_regs *to, unsigned int *wrote, char *how,
	       size_t len)
{
	int ret, i;

	switch (reset) {
	case RACE_RESET_VCPU_INIT:
		snprintf(how, len,
			 "KVM_ARM_VCPU_INIT, then KVM_SET_ONE_REG pc x0 x1 pstate");
		ret = vcpu_init(vcpu);
		if (ret)
			return ret;
		break;
	case RACE_RESET_ONE_REG:
		snprintf(how, len, "KVM_SET_ONE_REG pc x0 x1 pstate");
		break;
	default:
		return vm_error(vcpu->vm, EINVAL, "no %s reset on arm64",
				race_reset_name(reset));
	}

	memset(to, 0, sizeof(*to));
	to->val[REG_PC] = GPA(arm64_guest_reset);
	to->val[REG_X0] = RESET_X0;
	to->val[REG_X1] = RESET_X1;
	to->val[REG_PSTATE] = RESET_PSTATE;
	*wrote = R(PC) | R(X0) | R(X1) | R(PSTATE);
	for (i = 0; i < NR_REGS; i++) {
		ret = set_reg(vcpu, i, to->val[i]);
		if (ret)
			return ret;
	}
	return 0;
}

int arch_locate_resume(struct vcpu *vcpu, const struct race_case *c,
		       struct race_result *res)
{
	uint64_t reset = GPA(arm64_guest_reset), addr;
	struct kvm_run *run = vcpu->run;
	char exit_desc[128];
	int ret;

	(void)c;
	ret = arch_read_regs(vcpu, &res->after);
	if (ret)
		return ret;

	/* An MMIO exit leaves PC on the faulting store: where we resumed. */
	if (run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write) {
		addr = run->mmio.phys_addr;
		if (addr == ARM64_MARK_STALE) {
			res->resume = RACE_RESUME_STALE;
			snprintf(res->resume_desc, sizeof(res->resume_desc),
				 "stale marker at pc 0x%llx",
				 (unsigned long long)res->after.val[REG_PC]);
			return 0;
		}
		if (addr >= ARM64_MARK_RESET &&
		    addr < ARM64_MARK_RESET + 8 * ARM64_RESET_SLED) {
			res->resume = RACE_RESUME_RESET;
			res->resume_offset = (addr - ARM64_MARK_RESET) / 8 * 4;
			snprintf(res->resume_desc, sizeof(res->resume_desc),
				 "reset sled slot %llu at pc 0x%llx (reset code at 0x%llx)",
				 (unsigned long long)(addr - ARM64_MARK_RESET) / 8,
				 (unsigned long long)res->after.val[REG_PC],
				 (unsigned long long)reset);
			return 0;
		}
	}
	kvm_describe_exit(run, exit_desc, sizeof(exit_desc));
	res->resume = RACE_RESUME_OTHER;
	snprintf(res->resume_desc, sizeof(res->resume_desc), "%s, pc 0x%llx",
		 exit_desc, (unsigned long long)res->after.val[REG_PC]);
	return 0;
}

void arch_print_info(struct vm *vm,
		     void (*line)(const char *name, int yes, const char *note))
{
	line("KVM_CAP_ONE_REG", vm_check_cap(vm, KVM_CAP_ONE_REG),
	     "all cases: registers");
	line("KVM_CAP_ARM_PSCI_0_2", vm_check_cap(vm, KVM_CAP_ARM_PSCI_0_2),
	     "informational");
	line("SMCCC filter (KVM_ARM_VM_SMCCC_FILTER, FWD_TO_USER)",
	     !smccc_filter_missing(vm), "exit hypercall");
}

int arch_vcpu_spin(struct vcpu *vcpu)
{
	return set_reg(vcpu, REG_PC, GPA(arm64_guest_spin));
}
