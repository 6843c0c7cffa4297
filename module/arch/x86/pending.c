// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort on x86: the pending completion is
 * vcpu->arch.complete_userspace_io, a callback that KVM_RUN calls before
 * it even looks at immediate_exit. Its companions say what it would
 * finish: mmio_* for emulated MMIO, arch.pio for port I/O.
 *
 * The callbacks are static in KVM (x86.c, hyperv.c, xen.c, svm/, vmx/),
 * so they are told apart by comparing the pointer with their addresses,
 * resolved once at load (vcpu_abort_arch_init()). The class is only used
 * for the report; what is cleared does not depend on it.
 */
#include <linux/kernel.h>
#include <linux/kvm_host.h>

#include "../../vcpu_abort.h"

/* Index of RAX in the KVM_GET_REGS order, see &enum vcpu_abort_reg_class. */
#define VCPU_ABORT_X86_RAX	0

/* What a complete_userspace_io callback finishes. */
enum vcpu_abort_x86_cui {
	CUI_OTHER,
	CUI_PIO,		/* string or emulated port I/O */
	CUI_PIO_FAST_IN,	/* IN into AL/AX/EAX */
	CUI_PIO_OUT_0X7E,	/* OUT 0x7e: KVM skipped the instruction */
	CUI_MSR_READ,		/* RDMSR into EDX:EAX */
	CUI_MSR_READ_IMM,	/* RDMSR with an immediate: its own register */
	CUI_MSR_WRITE,
	CUI_HYPERCALL,
};

struct vcpu_abort_x86_callback {
	const char *symbol;
	enum vcpu_abort_x86_cui cui;
};

/* In kvm.ko; a name this kernel lacks is simply never matched. */
static const struct vcpu_abort_x86_callback vcpu_abort_x86_callbacks[] = {
	{ "complete_emulated_pio",		CUI_PIO },
	{ "complete_fast_pio_out",		CUI_PIO },
	{ "complete_fast_pio_in",		CUI_PIO_FAST_IN },
	{ "complete_fast_pio_out_port_0x7e",	CUI_PIO_OUT_0X7E },
	{ "complete_sev_es_emulated_ins",	CUI_PIO },
	{ "complete_sev_es_emulated_outs",	CUI_PIO },
	{ "complete_emulated_rdmsr",		CUI_MSR_READ },
	{ "complete_fast_rdmsr",		CUI_MSR_READ },
	{ "complete_fast_rdmsr_imm",		CUI_MSR_READ_IMM },
	{ "complete_emulated_msr_access",	CUI_MSR_WRITE },
	{ "complete_fast_msr_access",		CUI_MSR_WRITE },
	{ "complete_hypercall_exit",		CUI_HYPERCALL },
	{ "complete_hypercall",			CUI_HYPERCALL },
	{ "kvm_hv_hypercall_complete_userspace", CUI_HYPERCALL },
	{ "kvm_xen_hypercall_complete_userspace", CUI_HYPERCALL },
};

static unsigned long vcpu_abort_x86_cui_addr[ARRAY_SIZE(vcpu_abort_x86_callbacks)] __ro_after_init;

int vcpu_abort_arch_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vcpu_abort_x86_callbacks); i++)
		if (vcpu_abort_kvm_symbol(vcpu_abort_x86_callbacks[i].symbol,
					  &vcpu_abort_x86_cui_addr[i]))
			vcpu_abort_x86_cui_addr[i] = 0;
	return 0;
}

void vcpu_abort_arch_exit(void)
{
}

static enum vcpu_abort_x86_cui vcpu_abort_x86_classify(const void *cui)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vcpu_abort_x86_callbacks); i++)
		if (vcpu_abort_x86_cui_addr[i] == (unsigned long)cui)
			return vcpu_abort_x86_callbacks[i].cui;
	return CUI_OTHER;
}

int vcpu_abort_arch_check(struct kvm_vcpu *vcpu)
{
	/*
	 * SEV-ES/SNP and TDX guests keep their registers encrypted and
	 * complete I/O through the GHCB or a TDVMCALL with state of its own
	 * (sev_pio_data, ...): refuse rather than guess.
	 */
	if (vcpu->arch.guest_state_protected)
		return -EOPNOTSUPP;
	return 0;
}

static void vcpu_abort_x86_mmio(struct kvm_vcpu *vcpu,
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

static void vcpu_abort_x86_pio(struct kvm_vcpu *vcpu,
			       enum vcpu_abort_x86_cui cui,
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

	/* The fast (non-string) IN path always loads into AL/AX/EAX. */
	if (cui == CUI_PIO_FAST_IN) {
		report->dest_class = VCPU_ABORT_REG_GPR;
		report->dest_reg = VCPU_ABORT_X86_RAX;
	}
	/* With the OUT 0x7e quirk, KVM skips the instruction before exiting. */
	if (cui == CUI_PIO_OUT_0X7E)
		report->info |= VCPU_ABORT_INFO_PC_ADVANCED;
}

static void vcpu_abort_x86_msr(struct kvm_vcpu *vcpu,
			       enum vcpu_abort_x86_cui cui,
			       struct vcpu_abort_report *report)
{
	/* The MSR index exists only in the run page that userspace writes. */
	report->addr = vcpu->run->msr.index;
	report->len = sizeof(u64);
	report->info |= VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN |
			VCPU_ABORT_INFO_FROM_RUN;

	if (cui == CUI_MSR_WRITE) {
		report->kind = VCPU_ABORT_KIND_MSR_WRITE;
		report->dir = VCPU_ABORT_DIR_WRITE;
		return;
	}
	report->kind = VCPU_ABORT_KIND_MSR_READ;
	report->dir = VCPU_ABORT_DIR_READ;
	/* RDMSR loads EDX:EAX; the immediate form names its own register. */
	if (cui == CUI_MSR_READ) {
		report->dest_class = VCPU_ABORT_REG_GPR;
		report->dest_reg = VCPU_ABORT_X86_RAX;
	}
}

static void vcpu_abort_x86_hypercall(struct kvm_vcpu *vcpu,
				     struct vcpu_abort_report *report)
{
	report->kind = VCPU_ABORT_KIND_HYPERCALL;
	report->dir = VCPU_ABORT_DIR_READ;
	/* KVM, Hyper-V and Xen hypercalls all return in RAX. */
	report->dest_class = VCPU_ABORT_REG_GPR;
	report->dest_reg = VCPU_ABORT_X86_RAX;
	if (vcpu->run->exit_reason == KVM_EXIT_HYPERCALL) {
		report->addr = vcpu->run->hypercall.nr;
		report->info |= VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_FROM_RUN;
	}
}

void vcpu_abort_arch_describe(struct kvm_vcpu *vcpu,
			      struct vcpu_abort_report *report)
{
	int (*fn)(struct kvm_vcpu *vcpu) = vcpu->arch.complete_userspace_io;
	enum vcpu_abort_x86_cui cui;

	if (!fn)
		return;

	/* The companions are KVM's own record: trust them before the class. */
	cui = vcpu_abort_x86_classify(fn);
	if (vcpu->mmio_needed)
		vcpu_abort_x86_mmio(vcpu, report);
	else if (vcpu->arch.pio.count || cui == CUI_PIO ||
		 cui == CUI_PIO_FAST_IN || cui == CUI_PIO_OUT_0X7E)
		vcpu_abort_x86_pio(vcpu, cui, report);
	else if (cui == CUI_MSR_READ || cui == CUI_MSR_READ_IMM ||
		 cui == CUI_MSR_WRITE)
		vcpu_abort_x86_msr(vcpu, cui, report);
	else if (cui == CUI_HYPERCALL)
		vcpu_abort_x86_hypercall(vcpu, report);
	else
		report->kind = VCPU_ABORT_KIND_OTHER;
}

void vcpu_abort_arch_discard(struct kvm_vcpu *vcpu,
			     const struct vcpu_abort_report *report)
{
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
