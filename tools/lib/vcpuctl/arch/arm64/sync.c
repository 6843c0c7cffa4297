// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 part of `vcpuctl sync`: KVM_SET_ONE_REG of x1, PC untouched; the
 * refused write is one of PSTATE with a mode KVM refuses. Register
 * indexes are those of arch_reg_names in cpu.c: pc x0 x1 pstate.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <asm/ptrace.h>
#include <vcpuctl/arch.h>
#include <vcpuctl/sync.h>

enum { REG_PC, REG_X0, REG_X1 };

#define SYNC_X1		0x5c5c5c5c5c5c5c5cULL

const struct arch_sync_exit arch_sync_exits[] = {
	{ RACE_EXIT_MMIO_LOAD,
	  "kvm_handle_mmio_return(): x0 = mmio.data, PC += 4; the other registers as written" },
};

const int arch_nr_sync_exits = ARRAY_SIZE(arch_sync_exits);

int arch_sync_write(struct vcpu *vcpu, int *reg, char *how, size_t len)
{
	uint64_t val = SYNC_X1;
	struct kvm_one_reg one = {
		.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
		      KVM_REG_ARM_CORE_REG(regs.regs[1]),
		.addr = (uintptr_t)&val,
	};

	if (vcpu_ioctl(vcpu, KVM_SET_ONE_REG, &one) < 0)
		return -vcpu->vm->err_errno;
	*reg = REG_X1;
	snprintf(how, len, "KVM_SET_ONE_REG x1 = 0x%llx (pc not written)",
		 SYNC_X1);
	return 0;
}

/*
 * PSTATE with EL3h: another mode, which set_core_reg() refuses for every
 * vCPU (KVM runs none at EL3) after the checks of the id and size that
 * any write passes, and before it writes anything.
 */
int arch_sync_refused_write(struct vcpu *vcpu, int *err, char *how,
			    size_t len)
{
	uint64_t val = PSR_MODE_EL3h | PSR_D_BIT | PSR_A_BIT | PSR_I_BIT |
		       PSR_F_BIT;
	struct kvm_one_reg one = {
		.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
		      KVM_REG_ARM_CORE_REG(regs.pstate),
		.addr = (uintptr_t)&val,
	};

	snprintf(how, len, "KVM_SET_ONE_REG pstate = 0x%llx (EL3h)",
		 (unsigned long long)val);
	if (!ioctl(vcpu->fd, KVM_SET_ONE_REG, &one))
		return vm_error(vcpu->vm, EPROTO, "KVM took %s", how);
	*err = errno;
	return 0;
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
	if (exit != RACE_EXIT_MMIO_LOAD)
		return;
	memcpy(&data, run->mmio.data,
	       run->mmio.len < sizeof(data) ? run->mmio.len : sizeof(data));
	kept->val[REG_X0] = data;
	kept->val[REG_PC] += 4;
}
