// SPDX-License-Identifier: GPL-2.0
/*
 * riscv64 part of `vcpuctl sync`: KVM_SET_ONE_REG of a2, pc untouched; the
 * refused write is one of the pc with the wrong size. Register indexes
 * are those of arch_reg_names in cpu.c: pc a0 a1 a2 mode.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/sync.h>

enum { REG_PC, REG_A0, REG_A1, REG_A2 };

#define SYNC_A2		0x5c5c5c5c5c5c5c5cULL

const struct arch_sync_exit arch_sync_exits[] = {
	{ RACE_EXIT_MMIO_LOAD,
	  "kvm_riscv_vcpu_mmio_return(): a0 = mmio.data, pc += 4; the other registers as written"
	},
	{ RACE_EXIT_HYPERCALL,
	  "kvm_riscv_vcpu_sbi_return(): a0, a1 = riscv_sbi.ret[], pc += 4; the other registers as written"
	},
};

const int arch_nr_sync_exits = ARRAY_SIZE(arch_sync_exits);

int arch_sync_write(struct vcpu *vcpu, int *reg, char *how, size_t len)
{
	uint64_t val = SYNC_A2;
	struct kvm_one_reg one = {
		.id = KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CORE |
		      KVM_REG_RISCV_CORE_REG(regs.a2),
		.addr = (uintptr_t)&val,
	};

	if (vcpu_ioctl(vcpu, KVM_SET_ONE_REG, &one) < 0)
		return -vcpu->vm->err_errno;
	*reg = REG_A2;
	snprintf(how, len, "KVM_SET_ONE_REG a2 = 0x%llx (pc not written)",
		 SYNC_A2);
	return 0;
}

/*
 * The pc, elsewhere, as a 32-bit register: kvm_riscv_vcpu_set_reg_core()
 * refuses a size other than unsigned long's before it reads the value.
 */
int arch_sync_refused_write(struct vcpu *vcpu, int *err, char *how,
			    size_t len)
{
	uint64_t val = 0;
	struct kvm_one_reg one = {
		.id = KVM_REG_RISCV | KVM_REG_SIZE_U32 | KVM_REG_RISCV_CORE |
		      KVM_REG_RISCV_CORE_REG(regs.pc),
		.addr = (uintptr_t)&val,
	};

	snprintf(how, len, "KVM_SET_ONE_REG pc = 0 as a 32-bit register");
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
	switch (exit) {
	case RACE_EXIT_MMIO_LOAD:
		/* An 8-byte ld: no sign or zero extension to tell apart. */
		memcpy(&data, run->mmio.data,
		       run->mmio.len < sizeof(data) ? run->mmio.len :
		       sizeof(data));
		kept->val[REG_A0] = data;
		kept->val[REG_PC] += 4;
		break;
	case RACE_EXIT_HYPERCALL:
		kept->val[REG_A0] = run->riscv_sbi.ret[0];
		kept->val[REG_A1] = run->riscv_sbi.ret[1];
		kept->val[REG_PC] += 4;
		break;
	default:
		break;
	}
}
