// SPDX-License-Identifier: GPL-2.0
/*
 * ppc64le (kvm-hv): real-mode guest, MMIO and PAPR hcall exits, and the
 * reset paths KVM_SET_REGS and KVM_SET_SREGS + KVM_SET_REGS. There is no
 * ONE_REG for the GPRs or the PC on powerpc.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <vcpuctl/arch.h>

#include "guest.h"

#define GPA(label)	(PPC_GUEST_LOAD + (uint64_t)((label) - ppc_guest_start))

#define MSR_SF		BIT_ULL(63)
#define MSR_ME		BIT_ULL(12)
#define MSR_LE		BIT_ULL(0)
#define GUEST_MSR	(MSR_SF | MSR_ME | MSR_LE)	/* real mode, LE, 64-bit */

/* What the VMM answers: H_FUNCTION to an unknown hcall, data for loads. */
#define ANSWER_MMIO	0xda7ada7ada7ada7aULL
#define ANSWER_HCALL	((uint64_t)-2)		/* H_FUNCTION */

/* The reset, as for a kernel entry: r3 = device tree, r4 = 0. */
#define RESET_R3	0x2000000ULL
#define RESET_R4	0ULL

enum { REG_PC, REG_R3, REG_R4, NR_REGS };

#define R(x)		(1u << REG_##x)

const char *const arch_name = "ppc64le";
const char *const arch_reg_names[] = { "pc", "r3", "r4" };
const int arch_nr_regs = NR_REGS;

const struct arch_exit arch_exits[] = {
	{ RACE_EXIT_MMIO_LOAD, R(R3),
	  "kvm_arch_vcpu_ioctl_run: mmio_needed -> kvmppc_complete_mmio_load() writes the target GPR (r3); PC was advanced before the exit"
	},
	{ RACE_EXIT_MMIO_STORE, 0,
	  "kvm_arch_vcpu_ioctl_run: mmio_needed for a store only clears the flag; PC was advanced before the exit"
	},
	{ RACE_EXIT_HYPERCALL, R(R3) | R(R4),
	  "kvm_arch_vcpu_ioctl_run: hcall_needed -> r3 = papr_hcall.ret, r4..r12 = papr_hcall.args (the old guest values); PC untouched"
	},
};

const int arch_nr_exits = ARRAY_SIZE(arch_exits);

const enum race_reset arch_resets[] = { RACE_RESET_REGS, RACE_RESET_SREGS };
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
	int hv = !access("/sys/module/kvm_hv", F_OK);
	int pr = !access("/sys/module/kvm_pr", F_OK);

	snprintf(buf, len, "%s", hv && pr ? "kvm_hv and kvm_pr (type 0 VM: kvm_hv)" :
		 hv ? "kvm_hv" : pr ? "kvm_pr (untested: the cases target kvm_hv)" :
		 "unknown (no kvm_hv/kvm_pr in /sys/module)");
}

unsigned long arch_vm_type(void)
{
	return 0;	/* kvm_hv when it is loaded */
}

static uint64_t case_entry(enum race_exit exit, uint64_t *stale)
{
	switch (exit) {
	case RACE_EXIT_MMIO_LOAD:
		*stale = GPA(ppc_guest_mmio_load_stale);
		return GPA(ppc_guest_mmio_load);
	case RACE_EXIT_MMIO_STORE:
		*stale = GPA(ppc_guest_mmio_store_stale);
		return GPA(ppc_guest_mmio_store);
	default:
		*stale = GPA(ppc_guest_hypercall_stale);
		return GPA(ppc_guest_hypercall);
	}
}

int arch_case_supported(struct vm *vm, const struct race_case *c,
			char *why, size_t len)
{
	(void)vm;
	(void)c;
	(void)why;
	(void)len;
	return 1;	/* MMIO and unknown hcalls always exit on PAPR KVM */
}

int arch_vm_setup(struct vm *vm, const struct race_case *c)
{
	void *ram;

	(void)c;
	ram = vm_add_memory(vm, 0, PPC_RAM_SIZE);
	if (!ram)
		return -vm->err_errno;
	memcpy((char *)ram + PPC_GUEST_LOAD, ppc_guest_start,
	       ppc_guest_end - ppc_guest_start);
	return 0;
}

int arch_vcpu_setup(struct vcpu *vcpu, const struct race_case *c)
{
	struct kvm_enable_cap papr = { .cap = KVM_CAP_PPC_PAPR };
	struct kvm_regs regs;
	uint64_t stale;

	/* As QEMU does for pseries; kvm_hv is PAPR anyway. */
	if (vcpu_ioctl(vcpu, KVM_ENABLE_CAP, &papr) < 0 ||
	    vcpu_ioctl(vcpu, KVM_GET_REGS, &regs) < 0)
		return -vcpu->vm->err_errno;
	regs.pc = case_entry(c->exit, &stale);
	regs.msr = GUEST_MSR;
	if (vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		return -vcpu->vm->err_errno;
	return 0;
}

int arch_read_regs(struct vcpu *vcpu, struct race_regs *out)
{
	struct kvm_regs regs;

	if (vcpu_ioctl(vcpu, KVM_GET_REGS, &regs) < 0)
		return -vcpu->vm->err_errno;
	memset(out, 0, sizeof(*out));
	out->val[REG_PC] = regs.pc;
	out->val[REG_R3] = regs.gpr[3];
	out->val[REG_R4] = regs.gpr[4];
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
				       PPC_MMIO_DATA, 8, ANSWER_MMIO, desc, len);
	case RACE_EXIT_HYPERCALL:
		if (run->exit_reason != KVM_EXIT_PAPR_HCALL ||
		    run->papr_hcall.nr != PPC_HCALL_NR)
			return kvm_unexpected_exit(vcpu,
						   "KVM_EXIT_PAPR_HCALL nr 0x7000");
		run->papr_hcall.ret = ANSWER_HCALL;
		snprintf(desc, len,
			 "KVM_EXIT_PAPR_HCALL nr 0x%x (sc 1, r4 0x%llx); answered ret H_FUNCTION (-2)",
			 PPC_HCALL_NR,
			 (unsigned long long)run->papr_hcall.args[0]);
		return 0;
	default:
		return vm_error(vcpu->vm, EINVAL, "no %s exit on ppc64le",
				race_exit_name(c->exit));
	}
}

int arch_reset(struct vcpu *vcpu, enum race_reset reset,
	       struct race_regs *to, unsigned int *wrote, char *how,
	       size_t len)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	switch (reset) {
	case RACE_RESET_REGS:
		snprintf(how, len, "KVM_SET_REGS pc msr r3 r4 (other GPRs 0)");
		break;
	case RACE_RESET_SREGS:
		/* Same PVR (kvm_hv refuses another one), empty SLB. */
		snprintf(how, len,
			 "KVM_SET_SREGS (SLB cleared), then KVM_SET_REGS pc msr r3 r4");
		if (vcpu_ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
			return -vcpu->vm->err_errno;
		memset(&sregs.u.s.ppc64.slb, 0, sizeof(sregs.u.s.ppc64.slb));
		if (vcpu_ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
			return -vcpu->vm->err_errno;
		break;
	default:
		return vm_error(vcpu->vm, EINVAL, "no %s reset on ppc64le",
				race_reset_name(reset));
	}

	memset(&regs, 0, sizeof(regs));
	regs.pc = GPA(ppc_guest_reset);
	regs.msr = GUEST_MSR;
	regs.gpr[3] = RESET_R3;
	regs.gpr[4] = RESET_R4;
	if (vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		return -vcpu->vm->err_errno;

	memset(to, 0, sizeof(*to));
	to->val[REG_PC] = regs.pc;
	to->val[REG_R3] = regs.gpr[3];
	to->val[REG_R4] = regs.gpr[4];
	*wrote = R(PC) | R(R3) | R(R4);
	return 0;
}

int arch_locate_resume(struct vcpu *vcpu, const struct race_case *c,
		       struct race_result *res)
{
	uint64_t reset = GPA(ppc_guest_reset), stale, at;
	struct kvm_run *run = vcpu->run;
	char exit_desc[128];
	int ret;

	ret = arch_read_regs(vcpu, &res->after);
	if (ret)
		return ret;
	case_entry(c->exit, &stale);

	/* An hcall exit leaves PC after the "sc 1": the marker is PC - 4. */
	if (run->exit_reason == KVM_EXIT_PAPR_HCALL) {
		at = res->after.val[REG_PC] - 4;
		if (at == stale) {
			res->after.val[REG_PC] = at;
			res->resume = RACE_RESUME_STALE;
			snprintf(res->resume_desc, sizeof(res->resume_desc),
				 "stale marker at 0x%llx, r3 0x%llx",
				 (unsigned long long)at,
				 (unsigned long long)run->papr_hcall.nr);
			return 0;
		}
		if (at >= reset && at < reset + 4 * PPC_RESET_SLED) {
			res->after.val[REG_PC] = at;
			res->resume = RACE_RESUME_RESET;
			res->resume_offset = at - reset;
			snprintf(res->resume_desc, sizeof(res->resume_desc),
				 "reset sled slot %llu at 0x%llx, r3 0x%llx",
				 (unsigned long long)(at - reset) / 4,
				 (unsigned long long)at,
				 (unsigned long long)run->papr_hcall.nr);
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
	int fd;

	line("KVM_CAP_PPC_PAPR", vm_check_cap(vm, KVM_CAP_PPC_PAPR),
	     "exit hypercall");
	line("KVM_CAP_PPC_MMU_RADIX", vm_check_cap(vm, KVM_CAP_PPC_MMU_RADIX),
	     "informational: real mode needs no MMU setup");
	line("KVM_CAP_PPC_MMU_HASH_V3",
	     vm_check_cap(vm, KVM_CAP_PPC_MMU_HASH_V3), "informational");
	/* Probe kvm_hv itself: a VM of type KVM_VM_PPC_HV. */
	fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, KVM_VM_PPC_HV);
	line("KVM_CREATE_VM(KVM_VM_PPC_HV) (kvm_hv)", fd >= 0,
	     "all cases target kvm_hv");
	if (fd >= 0)
		close(fd);
}

int arch_vcpu_spin(struct vcpu *vcpu)
{
	struct kvm_regs regs;

	if (vcpu_ioctl(vcpu, KVM_GET_REGS, &regs) < 0)
		return -vcpu->vm->err_errno;
	regs.pc = GPA(ppc_guest_spin);
	return vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) < 0 ?
	       -vcpu->vm->err_errno : 0;
}
