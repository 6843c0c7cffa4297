// SPDX-License-Identifier: GPL-2.0
/*
 * powerpc part of `vcpuctl sync`: KVM_SET_REGS that changes r4 and keeps
 * the PC. Register indexes are those of arch_reg_names in cpu.c: pc r3 r4.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/sync.h>

enum { REG_PC, REG_R3, REG_R4 };

#define SYNC_R4		0x5c5c5c5c5c5c5c5cULL

const struct arch_sync_exit arch_sync_exits[] = {
	{ RACE_EXIT_MMIO_LOAD,
	  "kvmppc_complete_mmio_load() writes the target GPR (r3) only; the PC was advanced before the exit; r4 as written"
	},
	{ RACE_EXIT_HYPERCALL,
	  "hcall_needed: r3 = papr_hcall.ret, and r4..r12 = papr_hcall.args (the values at the exit): only r3 says whether the completion ran, r4 is not checked"
	},
};

const int arch_nr_sync_exits = ARRAY_SIZE(arch_sync_exits);

int arch_sync_write(struct vcpu *vcpu, int *reg, char *how, size_t len)
{
	struct kvm_regs regs;

	if (vcpu_ioctl(vcpu, KVM_GET_REGS, &regs) < 0)
		return -vcpu->vm->err_errno;
	regs.gpr[4] = SYNC_R4;
	if (vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		return -vcpu->vm->err_errno;
	*reg = REG_R4;
	snprintf(how, len,
		 "KVM_GET_REGS, r4 = 0x%llx, KVM_SET_REGS (pc kept at 0x%llx)",
		 SYNC_R4, (unsigned long long)regs.pc);
	return 0;
}

/*
 * None: KVM_SET_REGS takes any PC and MSR, and the module's hooks decide
 * on entry (a KVM_SET_ONE_REG that KVM then refuses has discarded under
 * policy always: Documentation/hooks.rst).
 */
int arch_sync_refused_write(struct vcpu *vcpu, int *err, char *how,
			    size_t len)
{
	(void)vcpu;
	(void)err;
	snprintf(how, len,
		 "powerpc: KVM_SET_REGS takes any PC and MSR, no refused write to try");
	return -EOPNOTSUPP;
}

void arch_sync_kept(const struct vcpu *vcpu, enum race_exit exit,
		    enum sync_write write, const struct race_regs *written,
		    struct race_regs *kept, unsigned int *checked)
{
	const struct kvm_run *run = vcpu->run;
	uint64_t data = 0;

	(void)write;	/* the same after either write */

	*kept = *written;
	*checked = (1u << arch_nr_regs) - 1;
	switch (exit) {
	case RACE_EXIT_MMIO_LOAD:
		/* A little-endian guest on a little-endian host: no swap. */
		memcpy(&data, run->mmio.data,
		       run->mmio.len < sizeof(data) ? run->mmio.len :
						      sizeof(data));
		kept->val[REG_R3] = data;
		break;
	case RACE_EXIT_HYPERCALL:
		kept->val[REG_R3] = run->papr_hcall.ret;
		*checked &= ~(1u << REG_R4);
		break;
	default:
		break;
	}
}
