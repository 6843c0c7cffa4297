// SPDX-License-Identifier: GPL-2.0
/*
 * riscv64: VS-mode guest with vsatp = 0, MMIO and forwarded SBI exits, and
 * the reset paths KVM_SET_ONE_REG (there is no KVM_SET_REGS on riscv) and,
 * on 6.16 and later, KVM's own reset: KVM_SET_MP_STATE to INIT_RECEIVED
 * once KVM_CAP_RISCV_MP_STATE_RESET is enabled, then KVM_SET_ONE_REG of
 * the boot registers, as a VMM does.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <asm/ptrace.h>
#include <vcpuctl/arch.h>

#include "guest.h"

/* 6.16+; the 6.12 uapi headers do not name it. */
#ifndef KVM_CAP_RISCV_MP_STATE_RESET
#define KVM_CAP_RISCV_MP_STATE_RESET	242
#endif

#define GPA(label)	(RISCV_RAM_BASE + (uint64_t)((label) - riscv_guest_start))

#define CORE_REG(x)	(KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CORE | \
			 KVM_REG_RISCV_CORE_REG(x))

/* What the VMM answers, so that a stale completion is recognisable. */
#define ANSWER_MMIO		0xda7ada7ada7ada7aULL
#define SBI_ERR_NOT_SUPPORTED	(-2LL)
#define ANSWER_SBI_VALUE	0xda7a0020ULL

/* The reset, as for a kernel entry: a0 = hart id, a1 = device tree. */
#define RESET_A0	0ULL
#define RESET_A1	(RISCV_RAM_BASE + 0x8000ULL)
#define RESET_A2	0ULL

enum { REG_PC, REG_A0, REG_A1, REG_A2, REG_MODE, NR_REGS };

#define R(x)		(1u << REG_##x)

static const uint64_t reg_ids[NR_REGS] = {
	[REG_PC] = CORE_REG(regs.pc),
	[REG_A0] = CORE_REG(regs.a0),
	[REG_A1] = CORE_REG(regs.a1),
	[REG_A2] = CORE_REG(regs.a2),
	[REG_MODE] = CORE_REG(mode),
};

const char *const arch_name = "riscv64";
const char *const arch_reg_names[] = { "pc", "a0", "a1", "a2", "mode" };
const int arch_nr_regs = NR_REGS;

const struct arch_exit arch_exits[] = {
	{ RACE_EXIT_MMIO_LOAD, R(PC) | R(A0),
	  "KVM_RUN with run->exit_reason == KVM_EXIT_MMIO calls kvm_riscv_vcpu_mmio_return(): a0 (rd) = mmio.data, sepc += 4; neither KVM_SET_ONE_REG nor the vCPU reset sets mmio_decode.return_handled"
	},
	{ RACE_EXIT_MMIO_STORE, R(PC),
	  "kvm_riscv_vcpu_mmio_return() writes no register for a store but still steps over it: sepc += 4"
	},
	{ RACE_EXIT_HYPERCALL, R(PC) | R(A0) | R(A1),
	  "SBI call of the experimental range, forwarded as KVM_EXIT_RISCV_SBI: kvm_riscv_vcpu_sbi_return() sets a0, a1 = riscv_sbi.ret[], sepc += 4"
	},
};

const int arch_nr_exits = ARRAY_SIZE(arch_exits);

const enum race_reset arch_resets[] = {
	RACE_RESET_ONE_REG, RACE_RESET_MP_STATE,
};

const int arch_nr_resets = ARRAY_SIZE(arch_resets);

/*
 * The mp-state reset needs KVM_CAP_RISCV_MP_STATE_RESET enabled on the VM,
 * which arch_case_supported() does for a case with that reset only.
 */
int arch_reset_any_vm(enum race_reset reset)
{
	return reset != RACE_RESET_MP_STATE;
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
	snprintf(buf, len, "riscv64 KVM (H extension)");
}

unsigned long arch_vm_type(void)
{
	return 0;
}

static uint64_t case_entry(enum race_exit exit)
{
	switch (exit) {
	case RACE_EXIT_MMIO_LOAD: return GPA(riscv_guest_mmio_load);
	case RACE_EXIT_MMIO_STORE: return GPA(riscv_guest_mmio_store);
	default: return GPA(riscv_guest_hypercall);
	}
}

/*
 * KVM_CHECK_EXTENSION answers 0 for KVM_CAP_RISCV_MP_STATE_RESET even
 * where enabling it works (7.2): probe by enabling it on the VM, which is
 * what the mp-state reset needs anyway. 0 or the errno.
 */
static int mp_state_reset_enable(struct vm *vm)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_RISCV_MP_STATE_RESET };

	return ioctl(vm->fd, KVM_ENABLE_CAP, &cap) ? errno : 0;
}

int arch_case_supported(struct vm *vm, const struct race_case *c,
			char *why, size_t len)
{
	int err;

	if (c->reset != RACE_RESET_MP_STATE)
		return 1;
	err = mp_state_reset_enable(vm);
	if (err) {
		snprintf(why, len,
			 "no KVM reset through KVM_SET_MP_STATE: KVM_ENABLE_CAP(KVM_CAP_RISCV_MP_STATE_RESET): %s (Linux 6.16+)",
			 strerror(err));
		return 0;
	}
	return 1;
}

int arch_vm_setup(struct vm *vm, const struct race_case *c)
{
	void *ram;
	int err;

	ram = vm_add_memory(vm, RISCV_RAM_BASE, RISCV_RAM_SIZE);
	if (!ram)
		return -vm->err_errno;
	memcpy(ram, riscv_guest_start, riscv_guest_end - riscv_guest_start);

	if (c->reset == RACE_RESET_MP_STATE) {
		err = mp_state_reset_enable(vm);
		if (err)
			return vm_error(vm, err,
					"KVM_ENABLE_CAP(KVM_CAP_RISCV_MP_STATE_RESET): %s",
					strerror(err));
	}
	return 0;
}

static int set_reg(struct vcpu *vcpu, int reg, uint64_t val)
{
	struct kvm_one_reg one = { .id = reg_ids[reg], .addr = (uintptr_t)&val };

	return vcpu_ioctl(vcpu, KVM_SET_ONE_REG, &one) < 0 ?
	       -vcpu->vm->err_errno : 0;
}

/*
 * KVM starts every vCPU but the first powered off (KVM_MP_STATE_STOPPED,
 * kvm_arch_vcpu_postcreate()), for the guest to start it by SBI HSM; its
 * KVM_RUN sleeps until then. Here every vCPU runs its own case from its
 * entry, so power it on as a VMM does for a hart it starts itself.
 */
static int power_on(struct vcpu *vcpu)
{
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };

	return vcpu_ioctl(vcpu, KVM_SET_MP_STATE, &mp) < 0 ?
	       -vcpu->vm->err_errno : 0;
}

int arch_vcpu_setup(struct vcpu *vcpu, const struct race_case *c)
{
	int ret = power_on(vcpu);

	if (!ret)
		ret = set_reg(vcpu, REG_MODE, KVM_RISCV_MODE_S);
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
				       RISCV_MMIO_DATA, 8, ANSWER_MMIO, desc, len);
	case RACE_EXIT_HYPERCALL:
		if (run->exit_reason != KVM_EXIT_RISCV_SBI ||
		    run->riscv_sbi.extension_id != RISCV_SBI_EXT ||
		    run->riscv_sbi.function_id != RISCV_SBI_FID)
			return kvm_unexpected_exit(vcpu,
						   "KVM_EXIT_RISCV_SBI extension 0x8abcdef function 5");
		/* The VMM's answer to an unknown SBI call, and a value. */
		run->riscv_sbi.ret[0] = SBI_ERR_NOT_SUPPORTED;
		run->riscv_sbi.ret[1] = ANSWER_SBI_VALUE;
		snprintf(desc, len,
			 "KVM_EXIT_RISCV_SBI extension 0x%x function 0x%x (ecall, a0 0x%llx); answered ret SBI_ERR_NOT_SUPPORTED (-2), 0x%llx",
			 RISCV_SBI_EXT, RISCV_SBI_FID,
			 (unsigned long long)run->riscv_sbi.args[0],
			 ANSWER_SBI_VALUE);
		return 0;
	default:
		return vm_error(vcpu->vm, EINVAL, "no %s exit on riscv64",
				race_exit_name(c->exit));
	}
}

int arch_reset(struct vcpu *vcpu, enum race_reset reset,
	       struct race_regs *to, unsigned int *wrote, char *how,
	       size_t len)
{
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_INIT_RECEIVED };
	int ret, i;

	switch (reset) {
	case RACE_RESET_ONE_REG:
		snprintf(how, len, "KVM_SET_ONE_REG pc a0 a1 a2 mode");
		break;
	case RACE_RESET_MP_STATE:
		/* KVM_CAP_RISCV_MP_STATE_RESET: enabled by arch_vm_setup(). */
		snprintf(how, len,
			 "KVM_SET_MP_STATE(INIT_RECEIVED) (KVM's reset: GPRs and pc 0), then KVM_SET_ONE_REG pc a0 a1 a2 mode");
		if (vcpu_ioctl(vcpu, KVM_SET_MP_STATE, &mp) < 0)
			return -vcpu->vm->err_errno;
		break;
	default:
		return vm_error(vcpu->vm, EINVAL, "no %s reset on riscv64",
				race_reset_name(reset));
	}

	memset(to, 0, sizeof(*to));
	to->val[REG_PC] = GPA(riscv_guest_reset);
	to->val[REG_A0] = RESET_A0;
	to->val[REG_A1] = RESET_A1;
	to->val[REG_A2] = RESET_A2;
	to->val[REG_MODE] = KVM_RISCV_MODE_S;
	*wrote = R(PC) | R(A0) | R(A1) | R(A2) | R(MODE);
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
	uint64_t reset = GPA(riscv_guest_reset), addr;
	struct kvm_run *run = vcpu->run;
	char exit_desc[128];
	int ret;

	(void)c;
	ret = arch_read_regs(vcpu, &res->after);
	if (ret)
		return ret;

	/* An MMIO exit leaves pc on the faulting store: where we resumed. */
	if (run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write) {
		addr = run->mmio.phys_addr;
		if (addr == RISCV_MARK_STALE) {
			res->resume = RACE_RESUME_STALE;
			snprintf(res->resume_desc, sizeof(res->resume_desc),
				 "stale marker at pc 0x%llx",
				 (unsigned long long)res->after.val[REG_PC]);
			return 0;
		}
		if (addr >= RISCV_MARK_RESET &&
		    addr < RISCV_MARK_RESET + 8 * RISCV_RESET_SLED) {
			res->resume = RACE_RESUME_RESET;
			res->resume_offset = (addr - RISCV_MARK_RESET) / 8 * 4;
			snprintf(res->resume_desc, sizeof(res->resume_desc),
				 "reset sled slot %llu at pc 0x%llx (reset code at 0x%llx)",
				 (unsigned long long)(addr - RISCV_MARK_RESET) / 8,
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
	line("KVM_CAP_RISCV_MP_STATE_RESET (enabled on a scratch VM)",
	     !mp_state_reset_enable(vm),
	     "reset mp-state; KVM_CHECK_EXTENSION says 0 even where it works");
}

int arch_vcpu_spin(struct vcpu *vcpu)
{
	return set_reg(vcpu, REG_PC, GPA(riscv_guest_spin));
}
