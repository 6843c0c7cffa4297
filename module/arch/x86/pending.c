// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort on x86: the pending completion is
 * vcpu->arch.complete_userspace_io, a callback that KVM_RUN calls before
 * it even looks at immediate_exit. Its companions say what it would
 * finish: mmio_* for emulated MMIO, arch.pio for port I/O.
 *
 * The callbacks are static functions of KVM (x86.c, hyperv.c, xen.c in
 * kvm.ko; svm/ in kvm_amd, vmx/tdx.c in kvm_intel). Their addresses are
 * resolved once, module-qualified (TDX has a complete_hypercall_exit of
 * its own), into the table below, and the pending callback is classified
 * by comparing pointers. kvm_amd and kvm_intel may be loaded after this
 * module, or reloaded: a module notifier resolves their entries when they
 * come and clears them when they go. A VM holds a reference on the
 * vendor module, so no vCPU can have a callback of a module that is not
 * live. A callback the table does not know is reported as
 * VCPU_ABORT_KIND_OTHER, and discarded like the others.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/string.h>

#include "../../compat.h"
#include "../../vcpu_abort.h"

/* Index of RAX in the order of &enum vcpu_abort_reg_class; R15 is 15. */
#define X86_REG_RAX		0
#define X86_NR_GPRS		16

/* What a callback finishes, i.e. which of KVM's records describe it. */
enum x86_finish {
	X86_FINISH_OTHER,	/* none this module reads */
	X86_FINISH_MMIO,	/* vcpu->mmio_*: a load or a store */
	X86_FINISH_PIO,		/* vcpu->arch.pio: in or out */
	X86_FINISH_HYPERCALL,	/* KVM, Hyper-V or Xen hypercall */
	X86_FINISH_RDMSR,	/* run->msr */
	X86_FINISH_WRMSR,	/* run->msr */
	X86_FINISH_SYNDBG,	/* run->hyperv.u.syndbg */
};

/* The result lands in RAX (EDX:EAX for RDMSR). */
#define X86_CB_DEST_RAX		BIT(0)
/* RDMSR with an immediate (7.2): the result lands in cui_rdmsr_imm_reg. */
#define X86_CB_DEST_IMM		BIT(1)
/* KVM moved RIP past the instruction before the exit. */
#define X86_CB_PC_ADVANCED	BIT(2)
/*
 * Writes no guest register, and KVM needs it to make progress: reported
 * with VCPU_ABORT_INFO_KEPT and never discarded.
 */
#define X86_CB_KEPT		BIT(3)

/**
 * struct x86_callback - one complete_userspace_io callback of KVM
 * @module: its module, NULL for KVM's core (kvm.ko)
 * @name: the function
 * @finish: an &enum x86_finish
 * @flags: X86_CB_* bits
 */
struct x86_callback {
	const char *module;
	const char *name;
	u8 finish;
	u8 flags;
};

/*
 * Every callback of 6.1, 6.12 and 7.2; one a kernel lacks (renamed, or
 * configured out: Xen in 6.1, TDX in Debian's 7.2) stays unresolved and
 * never matches. Callbacks of SEV-ES, SNP and TDX guests are listed for
 * completeness: those vCPUs are refused before anything is described.
 */
static const struct x86_callback x86_callbacks[] = {
	/* x86.c */
	{ NULL, "complete_emulated_mmio", X86_FINISH_MMIO },
	{ NULL, "complete_emulated_pio", X86_FINISH_PIO },
	{ NULL, "complete_fast_pio_in", X86_FINISH_PIO, X86_CB_DEST_RAX },
	{ NULL, "complete_fast_pio_out", X86_FINISH_PIO },
	/* KVM_X86_QUIRK_OUT_7E_INC_RIP: the OUT was skipped before exiting. */
	{ NULL, "complete_fast_pio_out_port_0x7e", X86_FINISH_PIO,
	  X86_CB_PC_ADVANCED },
	{ NULL, "complete_hypercall_exit", X86_FINISH_HYPERCALL,
	  X86_CB_DEST_RAX },
	{ NULL, "complete_fast_rdmsr", X86_FINISH_RDMSR, X86_CB_DEST_RAX },
	{ NULL, "complete_fast_rdmsr_imm", X86_FINISH_RDMSR, X86_CB_DEST_IMM },
	{ NULL, "complete_emulated_rdmsr", X86_FINISH_RDMSR, X86_CB_DEST_RAX },
	{ NULL, "complete_fast_msr_access", X86_FINISH_WRMSR },
	{ NULL, "complete_emulated_msr_access", X86_FINISH_WRMSR },
	{ NULL, "complete_sev_es_emulated_mmio", X86_FINISH_MMIO },
	{ NULL, "complete_sev_es_emulated_ins", X86_FINISH_PIO },
	{ NULL, "complete_sev_es_emulated_outs", X86_FINISH_PIO },
	/* hyperv.c, xen.c */
	{ NULL, "kvm_hv_hypercall_complete_userspace", X86_FINISH_HYPERCALL,
	  X86_CB_DEST_RAX },
	/*
	 * A guest write of a synthetic debugger MSR, retired before the exit
	 * (KVM_REQ_HV_EXIT): the completion stores userspace's status in the
	 * VM's syndbg state, which the guest reads back as
	 * HV_X64_MSR_SYNDBG_STATUS.
	 */
	{ NULL, "kvm_hv_syndbg_complete_userspace", X86_FINISH_SYNDBG,
	  X86_CB_PC_ADVANCED | X86_CB_KEPT },
	{ NULL, "kvm_xen_hypercall_complete_userspace", X86_FINISH_HYPERCALL,
	  X86_CB_DEST_RAX },
	/*
	 * svm/svm.c (7.2): a bus lock exit, taken before the locked
	 * instruction. The completion lets it through by setting the bus
	 * lock counter to 1; without it the guest exits again at once, and a
	 * VMM that writes registers on every exit under policy always would
	 * make no progress.
	 */
	{ "kvm_amd", "complete_userspace_buslock", X86_FINISH_OTHER,
	  X86_CB_KEPT },
	/* svm/sev.c: SNP guests only */
	{ "kvm_amd", "snp_complete_psc_msr", X86_FINISH_OTHER },
	{ "kvm_amd", "snp_complete_one_psc", X86_FINISH_OTHER },
	{ "kvm_amd", "snp_complete_req_certs", X86_FINISH_OTHER },
	/* vmx/tdx.c: TDX guests only */
	{ "kvm_intel", "complete_hypercall_exit", X86_FINISH_HYPERCALL },
	{ "kvm_intel", "tdx_complete_vmcall_map_gpa", X86_FINISH_HYPERCALL },
	{ "kvm_intel", "tdx_complete_get_td_vm_call_info",
	  X86_FINISH_HYPERCALL },
	{ "kvm_intel", "tdx_complete_simple", X86_FINISH_HYPERCALL },
	{ "kvm_intel", "tdx_complete_pio_in", X86_FINISH_PIO },
	{ "kvm_intel", "tdx_complete_pio_out", X86_FINISH_PIO },
	{ "kvm_intel", "tdx_complete_mmio_read", X86_FINISH_MMIO },
};

/* Their addresses, 0 while unresolved; written only by the resolver. */
static unsigned long x86_callback_addrs[ARRAY_SIZE(x86_callbacks)];
static DEFINE_MUTEX(x86_callback_lock);

/* The entry of @cui, or NULL: a pointer compare per entry, nothing else. */
static __vcpu_abort_hot const struct x86_callback *vcpu_abort_x86_callback(const void *cui)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(x86_callbacks); i++)
		if (READ_ONCE(x86_callback_addrs[i]) == (unsigned long)cui)
			return &x86_callbacks[i];
	return NULL;
}

/* (Re)resolve the entries of @module (NULL: kvm.ko), or clear them. */
static void vcpu_abort_x86_resolve(const char *module, bool live)
{
	unsigned int i;
	int ret;

	mutex_lock(&x86_callback_lock);
	for (i = 0; i < ARRAY_SIZE(x86_callbacks); i++) {
		const struct x86_callback *cb = &x86_callbacks[i];
		unsigned long addr = 0;

		if (module ? !cb->module || strcmp(cb->module, module) :
			     !!cb->module)
			continue;
		if (live) {
			ret = cb->module ?
			      vcpu_abort_module_symbol(cb->module, cb->name,
						       &addr) :
			      vcpu_abort_kvm_symbol(cb->name, &addr);
			/* Only a clone: the callback itself is another one. */
			if (ret == -EXDEV)
				pr_warn("%s%s%s: only compiler clones, completions through it are reported as other\n",
					cb->module ?: "", cb->module ? ":" : "",
					cb->name);
			if (ret)
				addr = 0;
		}
		WRITE_ONCE(x86_callback_addrs[i], addr);
	}
	mutex_unlock(&x86_callback_lock);
}

static bool vcpu_abort_x86_vendor(const char *name)
{
	return !strcmp(name, "kvm_amd") || !strcmp(name, "kvm_intel");
}

static int vcpu_abort_x86_module_event(struct notifier_block *nb,
				       unsigned long state, void *data)
{
	const struct module *mod = data;

	if (!vcpu_abort_x86_vendor(mod->name))
		return NOTIFY_DONE;
	if (state == MODULE_STATE_LIVE)
		vcpu_abort_x86_resolve(mod->name, true);
	else if (state == MODULE_STATE_GOING)
		vcpu_abort_x86_resolve(mod->name, false);
	return NOTIFY_DONE;
}

static struct notifier_block vcpu_abort_x86_module_nb = {
	.notifier_call = vcpu_abort_x86_module_event,
};

int vcpu_abort_arch_init(void)
{
	int ret;

	/* First, so that no vendor module comes or goes unseen. */
	ret = register_module_notifier(&vcpu_abort_x86_module_nb);
	if (ret)
		return ret;
	vcpu_abort_x86_resolve(NULL, true);
	vcpu_abort_x86_resolve("kvm_amd", true);
	vcpu_abort_x86_resolve("kvm_intel", true);
	return 0;
}

void vcpu_abort_arch_exit(void)
{
	unregister_module_notifier(&vcpu_abort_x86_module_nb);
}

__vcpu_abort_hot int vcpu_abort_arch_check(struct kvm_vcpu *vcpu)
{
	/*
	 * SEV-ES/SNP and TDX guests keep their registers encrypted and
	 * complete I/O through the GHCB or a TDVMCALL with state of its own
	 * (sev_pio_data, ...): refuse rather than guess. A TDX debug TD's
	 * guest_state_protected is false, its VM's has_protected_state is
	 * not (6.12 and later; 6.1 has neither TDX nor the flag).
	 */
	if (vcpu->arch.guest_state_protected ||
	    vcpu_abort_x86_vm_protected(vcpu->kvm))
		return -EOPNOTSUPP;
	return 0;
}

static __vcpu_abort_hot void vcpu_abort_x86_mmio(struct kvm_vcpu *vcpu,
						 struct vcpu_abort_report *report)
{
	const struct kvm_mmio_fragment *frag;
	int cur = vcpu->mmio_cur_fragment;
	int nr = vcpu->mmio_nr_fragments;

	if (vcpu->mmio_is_write) {
		report->kind = VCPU_ABORT_KIND_MMIO_STORE;
		report->dir = VCPU_ABORT_DIR_WRITE;
		/*
		 * The emulator retired a store before exiting; only its
		 * remaining fragments (if any) are still pending.
		 */
		report->info |= VCPU_ABORT_INFO_PC_ADVANCED;
	} else {
		report->kind = VCPU_ABORT_KIND_MMIO_LOAD;
		report->dir = VCPU_ABORT_DIR_READ;
	}

	if (cur < 0 || nr > KVM_MAX_MMIO_FRAGMENTS || cur >= nr)
		return;
	frag = &vcpu->mmio_fragments[cur];
	report->addr = frag->gpa;
	report->len = frag->len;
	report->count = nr - cur;
	report->info |= VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN;
}

static __vcpu_abort_hot void vcpu_abort_x86_pio(struct kvm_vcpu *vcpu,
						struct vcpu_abort_report *report)
{
	const struct kvm_pio_request *pio = &vcpu->arch.pio;

	if (pio->in) {
		report->kind = VCPU_ABORT_KIND_PIO_IN;
		report->dir = VCPU_ABORT_DIR_READ;
	} else {
		report->kind = VCPU_ABORT_KIND_PIO_OUT;
		report->dir = VCPU_ABORT_DIR_WRITE;
	}
	report->addr = pio->port;
	report->len = pio->size;
	report->count = pio->count;
	report->info |= VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN;
}

/* The MSR index exists only in the run page that userspace writes. */
static __vcpu_abort_hot void vcpu_abort_x86_msr(struct kvm_vcpu *vcpu, bool read,
						struct vcpu_abort_report *report)
{
	report->kind = read ? VCPU_ABORT_KIND_MSR_READ :
			      VCPU_ABORT_KIND_MSR_WRITE;
	report->dir = read ? VCPU_ABORT_DIR_READ : VCPU_ABORT_DIR_WRITE;
	report->addr = vcpu->run->msr.index;
	report->len = sizeof(u64);
	report->info |= VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN |
			VCPU_ABORT_INFO_FROM_RUN;
}

static __vcpu_abort_hot void vcpu_abort_x86_hypercall(struct kvm_vcpu *vcpu,
						      struct vcpu_abort_report *report)
{
	report->kind = VCPU_ABORT_KIND_HYPERCALL;
	report->dir = VCPU_ABORT_DIR_READ;
	if (vcpu->run->exit_reason == KVM_EXIT_HYPERCALL) {
		report->addr = vcpu->run->hypercall.nr;
		report->info |= VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_FROM_RUN;
	}
}

/* A synthetic debugger MSR write: the guest's WRMSR has retired. */
static __vcpu_abort_hot void vcpu_abort_x86_syndbg(struct kvm_vcpu *vcpu,
						   struct vcpu_abort_report *report)
{
	const struct kvm_run *run = vcpu->run;

	report->kind = VCPU_ABORT_KIND_MSR_WRITE;
	report->dir = VCPU_ABORT_DIR_WRITE;
	if (run->exit_reason == KVM_EXIT_HYPERV &&
	    run->hyperv.type == KVM_EXIT_HYPERV_SYNDBG) {
		report->addr = run->hyperv.u.syndbg.msr;
		report->len = sizeof(u64);
		report->info |= VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN |
				VCPU_ABORT_INFO_FROM_RUN;
	}
}

/*
 * Every completion of these kernels is a callback in complete_userspace_io:
 * describe reports one exactly when it is set.
 */
__vcpu_abort_hot bool vcpu_abort_arch_pending(struct kvm_vcpu *vcpu)
{
	return READ_ONCE(vcpu->arch.complete_userspace_io);
}

__vcpu_abort_hot void vcpu_abort_arch_describe(struct kvm_vcpu *vcpu,
					       struct vcpu_abort_report *report)
{
	const void *cui = READ_ONCE(vcpu->arch.complete_userspace_io);
	const struct x86_callback *cb;
	int imm;

	if (!cui)
		return;

	cb = vcpu_abort_x86_callback(cui);
	switch (cb ? cb->finish : X86_FINISH_OTHER) {
	case X86_FINISH_MMIO:
		vcpu_abort_x86_mmio(vcpu, report);
		break;
	case X86_FINISH_PIO:
		vcpu_abort_x86_pio(vcpu, report);
		break;
	case X86_FINISH_HYPERCALL:
		vcpu_abort_x86_hypercall(vcpu, report);
		break;
	case X86_FINISH_RDMSR:
	case X86_FINISH_WRMSR:
		vcpu_abort_x86_msr(vcpu, cb->finish == X86_FINISH_RDMSR,
				   report);
		break;
	case X86_FINISH_SYNDBG:
		vcpu_abort_x86_syndbg(vcpu, report);
		break;
	default:
		report->kind = VCPU_ABORT_KIND_OTHER;
		break;
	}
	if (!cb)
		return;

	if (cb->flags & X86_CB_DEST_RAX) {
		report->dest_class = VCPU_ABORT_REG_GPR;
		report->dest_reg = X86_REG_RAX;
	}
	imm = vcpu_abort_x86_rdmsr_imm_reg(vcpu);
	if ((cb->flags & X86_CB_DEST_IMM) && imm >= 0 &&
	    imm < X86_NR_GPRS) {
		report->dest_class = VCPU_ABORT_REG_GPR;
		report->dest_reg = imm;
	}
	if (cb->flags & X86_CB_PC_ADVANCED)
		report->info |= VCPU_ABORT_INFO_PC_ADVANCED;
	if (cb->flags & X86_CB_KEPT)
		report->info |= VCPU_ABORT_INFO_KEPT;
}

void vcpu_abort_arch_discard(struct kvm_vcpu *vcpu,
			     const struct vcpu_abort_report *report)
{
	if (report->info & VCPU_ABORT_INFO_KEPT)
		return;

	/* What KVM_RUN would call first. */
	vcpu->arch.complete_userspace_io = NULL;

	/*
	 * KVM_RUN WARNs when it finds pio.count or mmio_needed without a
	 * callback, and the next port access WARNs on a stale pio.count.
	 */
	vcpu->arch.pio.count = 0;
	vcpu->mmio_needed = 0;
	vcpu->mmio_read_completed = 0;
	vcpu->mmio_is_write = 0;
	vcpu->mmio_cur_fragment = 0;
	vcpu->mmio_nr_fragments = 0;

	/*
	 * A load that exits leaves the instruction half-emulated: results
	 * sit in the emulator's register cache, unwritten, and KVM_GET_REGS
	 * would copy them into the vCPU. The instruction did not retire,
	 * so drop them: vcpu->arch.regs, or whatever KVM_SET_REGS put
	 * there since, is the architectural state.
	 */
	vcpu->arch.emulate_regs_need_sync_to_vcpu = false;
}
