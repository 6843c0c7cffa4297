// SPDX-License-Identifier: GPL-2.0
/*
 * x86 completion the module must keep: a Hyper-V synthetic debugger MSR
 * write (hyperv.c, syndbg_exit()). The guest's WRMSR of
 * HV_X64_MSR_SYNDBG_CONTROL retires, then the vCPU exits with
 * KVM_EXIT_HYPERV; kvm_hv_syndbg_complete_userspace() stores the status
 * userspace answered in the VM's syndbg state, where the guest's next RDMSR
 * of HV_X64_MSR_SYNDBG_STATUS reads it. Discarded, that status is lost.
 * (7.2's SVM bus-lock completion is the other one; QEMU's TCG offers no
 * bus-lock threshold, so the lab cannot produce it.)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <vcpuctl/abort.h>
#include <vcpuctl/arch.h>
#include <vcpuctl/kept.h>
#include <vcpuctl/vcpu-abort.h>

#include "guest.h"

extern const char x86_guest_syndbg[];

/* CPUID leaves that make KVM offer the synthetic debugger (hyperv.c). */
#define HV_CPUID_INTERFACE		0x40000001
#define HV_CPUID_SIGNATURE_EAX		0x31237648	/* "Hv#1" */
#define HV_CPUID_SYNDBG_CAPABILITIES	0x40000082
#define HV_SYNDBG_CAP_KERNEL_DEBUGGING	BIT(1)

/* The status userspace answers; the guest shows what it reads back. */
#define ANSWER_SYNDBG_STATUS		0x5d0b0a11ULL

/* The flat guest of cpu.c, starting at the syndbg code, Hyper-V on. */
static int syndbg_setup(struct vm *vm, struct vcpu *vcpu,
			enum race_abort abort)
{
	const struct race_case c = {
		.exit = RACE_EXIT_MMIO_LOAD,
		.reset = RACE_RESET_REGS,
		.abort = abort,
	};
	struct {
		struct kvm_cpuid2 head;
		struct kvm_cpuid_entry2 entries[2];
	} cpuid = {
		.head.nent = 2,
		.entries = {
			{ .function = HV_CPUID_INTERFACE,
			  .eax = HV_CPUID_SIGNATURE_EAX },
			{ .function = HV_CPUID_SYNDBG_CAPABILITIES,
			  .eax = HV_SYNDBG_CAP_KERNEL_DEBUGGING },
		},
	};
	struct kvm_regs regs;

	if (race_abort_setup(vm, abort) || arch_vm_setup(vm, &c) ||
	    vcpu_create(vm, vcpu, 0) || arch_vcpu_setup(vcpu, &c))
		return -vm->err_errno;
	if (vcpu_ioctl(vcpu, KVM_SET_CPUID2, &cpuid) < 0 ||
	    vcpu_ioctl(vcpu, KVM_GET_REGS, &regs) < 0)
		return -vm->err_errno;
	regs.rip = GPA(x86_guest_syndbg);
	return vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) < 0 ? -vm->err_errno : 0;
}

/* The exit, answered: the status the completion is to store. */
static int syndbg_answer(struct vcpu *vcpu, struct kept_result *res)
{
	struct kvm_run *run = vcpu->run;

	if (run->exit_reason != KVM_EXIT_HYPERV ||
	    run->hyperv.type != KVM_EXIT_HYPERV_SYNDBG ||
	    run->hyperv.u.syndbg.msr != X86_HV_MSR_SYNDBG_CONTROL)
		return kvm_unexpected_exit(vcpu,
					   "KVM_EXIT_HYPERV syndbg, MSR 0x400000f1");
	run->hyperv.u.syndbg.status = ANSWER_SYNDBG_STATUS;
	res->answer = ANSWER_SYNDBG_STATUS;
	snprintf(res->pending, sizeof(res->pending),
		 "KVM_EXIT_HYPERV syndbg after WRMSR 0x%x; answered status 0x%llx",
		 X86_HV_MSR_SYNDBG_CONTROL, ANSWER_SYNDBG_STATUS);
	return 0;
}

/*
 * Between the exit and the next KVM_RUN: ABORT, DISCARD, or a state-sync
 * write.
 */
static int kept_action(int dev, struct vcpu *vcpu, enum race_abort abort,
		       struct kept_result *res)
{
	struct kvm_regs regs;
	int ret;

	if (abort == RACE_ABORT_EXPLICIT) {
		snprintf(res->action, sizeof(res->action),
			 "VCPU_ABORT_IOC_ABORT");
		ret = vcpu_abort_ioctl(dev, VCPU_ABORT_IOC_ABORT, vcpu->fd, 0,
				       &res->aborted);
		return ret ? vm_error(vcpu->vm, -ret, "VCPU_ABORT_IOC_ABORT: %s",
				      strerror(-ret)) : 0;
	}
	if (abort == RACE_ABORT_DISCARD) {
		snprintf(res->action, sizeof(res->action),
			 "VCPU_ABORT_IOC_DISCARD");
		res->discarded = vcpu_abort_discard(dev, vcpu->fd);
		return res->discarded < 0 ?
		       vm_error(vcpu->vm, -res->discarded,
				"VCPU_ABORT_IOC_DISCARD: %s",
				strerror(-res->discarded)) : 0;
	}
	snprintf(res->action, sizeof(res->action),
		 "KVM_GET_REGS, KVM_SET_REGS (policy %s)",
		 race_abort_policy_name(race_abort_policy()));
	if (vcpu_ioctl(vcpu, KVM_GET_REGS, &regs) < 0 ||
	    vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		return -vcpu->vm->err_errno;
	return 0;
}

/* What the guest read back, shown by its OUT. */
static int syndbg_seen(struct vcpu *vcpu, struct kept_result *res)
{
	struct kvm_run *run = vcpu->run;
	uint32_t data;

	if (run->exit_reason != KVM_EXIT_IO ||
	    run->io.direction != KVM_EXIT_IO_OUT ||
	    run->io.port != X86_PIO_DATA || run->io.size != 4)
		return kvm_unexpected_exit(vcpu,
					   "KVM_EXIT_IO out, port 0xe0, 4 bytes");
	memcpy(&data, (char *)run + run->io.data_offset, sizeof(data));
	res->seen = data;
	return 0;
}

static enum race_status kept_verdict(enum race_abort abort,
				     struct kept_result *res)
{
	const char *why = NULL;

	if (!(res->before.info & VCPU_ABORT_INFO_KEPT))
		why = "QUERY after the exit: no VCPU_ABORT_INFO_KEPT";
	else if (abort == RACE_ABORT_EXPLICIT &&
		 !(res->aborted.info & VCPU_ABORT_INFO_KEPT))
		why = "ABORT did not report VCPU_ABORT_INFO_KEPT";
	else if (abort == RACE_ABORT_DISCARD &&
		 res->discarded != VCPU_ABORT_KIND_NONE)
		why = "DISCARD returned a kind: it says it discarded the completion";
	else if (res->after.kind != res->before.kind ||
		 !(res->after.info & VCPU_ABORT_INFO_KEPT))
		why = "the completion is gone after the action";
	else if (res->seen != res->answer)
		why = "the guest did not read the answered status back";
	if (!why)
		return RACE_PASS;
	snprintf(res->reason, sizeof(res->reason), "%s", why);
	return RACE_FAIL;
}

enum race_status kept_check(enum race_abort abort, struct kept_result *res)
{
	struct vcpu vcpu = { 0 };
	struct vm vm;
	int dev = -1, ret;

	memset(res, 0, sizeof(*res));
	res->status = RACE_SKIP;
	if (abort == RACE_ABORT_NONE) {
		snprintf(res->reason, sizeof(res->reason),
			 "nothing to keep without the module");
		return RACE_SKIP;
	}
	if (!race_abort_available(abort, res->reason, sizeof(res->reason)))
		return RACE_SKIP;
	if (vm_create(&vm, arch_vm_type())) {
		snprintf(res->reason, sizeof(res->reason), "%s", vm.err);
		res->status = RACE_ERROR;
		return RACE_ERROR;
	}
	if (!vm_check_cap(&vm, KVM_CAP_HYPERV)) {
		snprintf(res->reason, sizeof(res->reason),
			 "no KVM_CAP_HYPERV: KVM without Hyper-V (CONFIG_KVM_HYPERV)");
		vm_destroy(&vm);
		return RACE_SKIP;
	}

	vm.step = "set up the VM";
	ret = syndbg_setup(&vm, &vcpu, abort);
	if (!ret) {
		dev = vcpu_abort_open();
		if (dev < 0)
			ret = vm_error(&vm, -dev, "open %s: %s",
				       vcpu_abort_dev_path(), strerror(-dev));
	}
	vm.step = "KVM_RUN to the syndbg exit";
	if (!ret)
		ret = vcpu_run(&vcpu);
	if (!ret)
		ret = syndbg_answer(&vcpu, res);
	vm.step = "QUERY, the action, QUERY";
	if (!ret)
		ret = vcpu_abort_ioctl(dev, VCPU_ABORT_IOC_QUERY, vcpu.fd, 0,
				       &res->before);
	if (!ret)
		ret = kept_action(dev, &vcpu, abort, res);
	if (!ret)
		ret = vcpu_abort_ioctl(dev, VCPU_ABORT_IOC_QUERY, vcpu.fd, 0,
				       &res->after);
	vm.step = "KVM_RUN: the guest reads the status back";
	if (!ret)
		ret = vcpu_run(&vcpu);
	if (!ret)
		ret = syndbg_seen(&vcpu, res);

	if (ret) {
		snprintf(res->reason, sizeof(res->reason), "%s",
			 vm.err[0] ? vm.err : strerror(-ret));
		res->status = RACE_ERROR;
	} else {
		res->status = kept_verdict(abort, res);
	}
	if (dev >= 0)
		close(dev);
	if (vcpu.vm)
		vcpu_destroy(&vcpu);
	vm_destroy(&vm);
	return res->status;
}
