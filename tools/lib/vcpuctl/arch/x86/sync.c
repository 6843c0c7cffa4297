// SPDX-License-Identifier: GPL-2.0
/*
 * x86 part of `vcpuctl sync`: KVM_SET_REGS that changes RDI and keeps RIP;
 * the refused write is a KVM_SET_SREGS into another mode with a reserved
 * CR4 bit.
 * Register indexes are those of arch_reg_names in cpu.c:
 * rip rax rdx rdi rflags cs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/sync.h>

enum { REG_RIP, REG_RAX, REG_RDX, REG_RDI };

#define SYNC_RDI	0x5c5c5c5cULL

/* Lengths of the exiting instructions of guest.S. */
#define LEN_MOV_MOFFS	5	/* movl X86_MMIO_DATA, %eax (A1 imm32) */
#define LEN_RDMSR	2
#define LEN_VMCALL	3

const struct arch_sync_exit arch_sync_exits[] = {
	{ RACE_EXIT_MMIO_LOAD,
	  "complete_emulated_mmio re-enters the emulator without decoding: RIP moves past the load, but KVM_SET_REGS invalidated the emulator's register cache, so the loaded value never reaches RAX (upstream KVM, any policy that keeps the completion)"
	},
	{ RACE_EXIT_MSR_READ,
	  "complete_fast_rdmsr (complete_emulated_rdmsr on kvm_pvm): EDX:EAX = msr.data, RIP past the RDMSR; RDI as written"
	},
	{ RACE_EXIT_HYPERCALL,
	  "complete_hypercall_exit: RAX = hypercall.ret, RIP past the VMCALL/VMMCALL; RDI as written"
	},
};

const int arch_nr_sync_exits = ARRAY_SIZE(arch_sync_exits);

int arch_sync_write(struct vcpu *vcpu, int *reg, char *how, size_t len)
{
	struct kvm_regs regs;

	if (vcpu_ioctl(vcpu, KVM_GET_REGS, &regs) < 0)
		return -vcpu->vm->err_errno;
	regs.rdi = SYNC_RDI;
	if (vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		return -vcpu->vm->err_errno;
	*reg = REG_RDI;
	snprintf(how, len,
		 "KVM_GET_REGS, rdi = 0x%llx, KVM_SET_REGS (rip kept at 0x%llx)",
		 SYNC_RDI, (unsigned long long)regs.rip);
	return 0;
}

/*
 * Another mode (CS.L flipped) with CR4 bit 63 set: kvm_is_valid_sregs()
 * refuses the reserved bit before __set_sregs() writes anything.
 */
int arch_sync_refused_write(struct vcpu *vcpu, int *err, char *how,
			    size_t len)
{
	struct kvm_sregs sregs;

	if (vcpu_ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		return -vcpu->vm->err_errno;
	sregs.cs.l = !sregs.cs.l;
	sregs.cr4 |= 1ULL << 63;
	snprintf(how, len,
		 "KVM_GET_SREGS, cs.l = %u, cr4 = 0x%llx (bit 63 reserved), KVM_SET_SREGS",
		 sregs.cs.l, (unsigned long long)sregs.cr4);
	if (!ioctl(vcpu->fd, KVM_SET_SREGS, &sregs))
		return vm_error(vcpu->vm, EPROTO, "KVM took %s", how);
	*err = errno;
	return 0;
}

void arch_sync_kept(const struct vcpu *vcpu, enum race_exit exit,
		    enum sync_write write, const struct race_regs *written,
		    struct race_regs *kept, unsigned int *checked)
{
	const struct kvm_run *run = vcpu->run;
	uint32_t load;

	*kept = *written;
	*checked = (1u << arch_nr_regs) - 1;
	switch (exit) {
	case RACE_EXIT_MMIO_LOAD:
		/*
		 * After KVM_SET_REGS the value is lost (see why), and only RIP
		 * shows the completion; a refused KVM_SET_SREGS invalidated
		 * nothing, and the 4-byte load zero-extends into RAX.
		 */
		if (write == SYNC_WRITE_REFUSED) {
			memcpy(&load, run->mmio.data, sizeof(load));
			kept->val[REG_RAX] = load;
		}
		kept->val[REG_RIP] += LEN_MOV_MOFFS;
		break;
	case RACE_EXIT_MSR_READ:
		kept->val[REG_RAX] = (uint32_t)run->msr.data;
		kept->val[REG_RDX] = run->msr.data >> 32;
		kept->val[REG_RIP] += LEN_RDMSR;
		break;
	case RACE_EXIT_HYPERCALL:
		kept->val[REG_RAX] = run->hypercall.ret;
		kept->val[REG_RIP] += LEN_VMCALL;
		break;
	default:
		break;
	}
}
