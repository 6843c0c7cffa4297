// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort symbols: the addresses of the KVM functions the module
 * compares pointers with, looked up once at load and never per call.
 *
 * KVM exports almost nothing to other modules (and newer kernels less), so
 * a function is found the way the kernel's own kprobe_events finds one: a
 * kprobe, registered disabled and never armed, is asked where the symbol
 * is. The name is qualified with KVM's module ("kvm:__set_regs") where KVM
 * is a module, so that a function of the same name in another module can
 * never be taken for KVM's; where KVM is built in (arm64), vmlinux is
 * searched first, which is where it is.
 *
 * The addresses stay valid for as long as this module is loaded: it links
 * against kvm.ko (kvm_get_kvm() and friends), which therefore cannot be
 * unloaded before it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/string.h>

#include "compat.h"
#include "vcpu_abort.h"

/*
 * GCC clones static functions when it can specialise them: .constprop
 * (constant arguments folded in), .isra (arguments split or dropped),
 * .part (the function split in two). A clone's arguments are not the
 * function's, and a caller of the clone bypasses a probe on the original.
 */
static const char *const vcpu_abort_clone_suffixes[] = {
	".isra.0", ".constprop.0", ".part.0",
};

/*
 * Where kprobes finds @qualified: 0 and *@addr, or the error of
 * register_kprobe(): -ENOENT for no such symbol, -EINVAL for one kprobes
 * may not touch.
 *
 * Without KPROBES_ON_FTRACE (riscv) kprobes refuse a function's ftrace
 * call site with -EINVAL, and on riscv 6.12 that site is the function's
 * first bytes (VCPU_ABORT_FTRACE_SITE_SIZE): then kprobes are asked about
 * the instruction after it, and vcpu_abort_symbol_start() finds the
 * symbol.
 */
static int vcpu_abort_kprobe_lookup(const char *qualified, unsigned long *addr)
{
	struct kprobe kp = {
		.symbol_name = qualified,
		.flags = KPROBE_FLAG_DISABLED,
	};
	int ret;

	ret = register_kprobe(&kp);
	if (ret == -EINVAL && VCPU_ABORT_FTRACE_SITE_SIZE) {
		kp = (struct kprobe) {
			.symbol_name = qualified,
			.offset = VCPU_ABORT_FTRACE_SITE_SIZE,
			.flags = KPROBE_FLAG_DISABLED,
		};
		if (register_kprobe(&kp))
			return ret;
		ret = 0;
	}
	if (ret)
		return ret;
	*addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	return 0;
}

static bool vcpu_abort_has_clone(const char *qualified)
{
	char name[VCPU_ABORT_SYMBOL_LEN];
	unsigned long addr;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vcpu_abort_clone_suffixes); i++) {
		snprintf(name, sizeof(name), "%s%s", qualified,
			 vcpu_abort_clone_suffixes[i]);
		if (vcpu_abort_kprobe_lookup(name, &addr) != -ENOENT)
			return true;
	}
	return false;
}

/*
 * kprobes may have moved the address into the function: past an x86 ENDBR,
 * to the ppc64 ELFv2 local entry point. The symbol's own address is what
 * function pointers hold, and what ftrace maps to its call site.
 */
static unsigned long vcpu_abort_symbol_start(unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long offset;
	const char *plus;

	sprint_symbol(buf, addr);
	plus = strchr(buf, '+');
	if (!plus || sscanf(plus, "+%lx/", &offset) != 1 || offset > addr)
		return addr;
	return addr - offset;
}

/**
 * vcpu_abort_kvm_qualify() - the name kallsyms and kprobes know a function
 *	of KVM by
 * @name: the function, in kvm.ko (or vmlinux where KVM is built in)
 * @buf: where to write "kvm:<name>" (or "<name>")
 * @len: its size, at least %VCPU_ABORT_SYMBOL_LEN
 *
 * Probes are placed by this name rather than by address: on powerpc's
 * ELFv2 kprobes then use the function's local entry point, through which
 * calls from within kvm.ko come, not the global one.
 */
void vcpu_abort_kvm_qualify(const char *name, char *buf, size_t len)
{
	const char *module = VCPU_ABORT_KVM_MODULE;

	snprintf(buf, len, "%s%s%s", module ?: "", module ? ":" : "", name);
}

/**
 * vcpu_abort_module_symbol() - the address of a function of a module
 * @module: the module's name ("kvm_amd"), or NULL for vmlinux
 * @name: the function
 * @addr: set to the function's address (its first instruction)
 *
 * Context: process context (slow: a kallsyms search per name); at load,
 * or when @module is loaded (a module notifier).
 * Return: 0; -ENOENT if there is no such function (renamed or inlined in
 * this kernel, or @module not loaded); -EXDEV if the compiler cloned it
 * (the function and its clones, or only clones, exist: callers of a clone
 * would not be seen); another -errno of register_kprobe() if kprobes may
 * not look at it.
 */
int vcpu_abort_module_symbol(const char *module, const char *name,
			     unsigned long *addr)
{
	char qualified[VCPU_ABORT_SYMBOL_LEN];
	unsigned long found;
	int ret;

	snprintf(qualified, sizeof(qualified), "%s%s%s", module ?: "",
		 module ? ":" : "", name);
	ret = vcpu_abort_kprobe_lookup(qualified, &found);
	if (vcpu_abort_has_clone(qualified))
		return -EXDEV;
	if (ret)
		return ret;
	*addr = vcpu_abort_symbol_start(found);
	return 0;
}

/**
 * vcpu_abort_kvm_symbol() - the address of a function of KVM's core
 * @name: the function, in kvm.ko (or vmlinux where KVM is built in)
 * @addr: set to its address
 *
 * Context and return: as vcpu_abort_module_symbol().
 */
int vcpu_abort_kvm_symbol(const char *name, unsigned long *addr)
{
	return vcpu_abort_module_symbol(VCPU_ABORT_KVM_MODULE, name, addr);
}

/*
 * A function of ours that nobody else probes, with a probe that stays
 * armed: calling it runs the probe's handler exactly when kprobes are
 * armed system-wide (debugfs kprobes/enabled), as KVM's functions would.
 * Asking that way patches no text: enabling and disabling a probe per
 * question did, twice per SET_POLICY (a stop_machine() each on arm64),
 * even while the policy probes were armed already.
 */
static noinline void vcpu_abort_kprobes_canary(void)
{
	/* Keep the function and its calls: a compiler barrier. */
	barrier();
}

static atomic_t vcpu_abort_canary_hits = ATOMIC_INIT(0);

static int vcpu_abort_canary_hit(struct kprobe *kp, struct pt_regs *regs)
{
	atomic_inc(&vcpu_abort_canary_hits);
	return 0;
}

static struct kprobe vcpu_abort_canary_probe = {
	.pre_handler = vcpu_abort_canary_hit,
};

/* kprobes' name of the canary: where a call from this module goes. */
static const char vcpu_abort_canary_symbol[] =
	KBUILD_MODNAME ":vcpu_abort_kprobes_canary";

/* Serialises the questions: each counts its own hit. */
static DEFINE_MUTEX(vcpu_abort_canary_lock);
static bool vcpu_abort_canary_registered;

/**
 * vcpu_abort_kprobes_disarmed() - whether kprobes are disarmed system-wide
 *
 * While they are, no probe of the module fires: the policies see nothing.
 *
 * Context: process context.
 * Return: true if disarmed, false if armed or unknown.
 */
bool vcpu_abort_kprobes_disarmed(void)
{
	bool disarmed;
	int before;

	if (!vcpu_abort_canary_registered)
		return false;
	mutex_lock(&vcpu_abort_canary_lock);
	before = atomic_read(&vcpu_abort_canary_hits);
	vcpu_abort_kprobes_canary();
	disarmed = atomic_read(&vcpu_abort_canary_hits) == before;
	mutex_unlock(&vcpu_abort_canary_lock);
	return disarmed;
}

int vcpu_abort_symbols_init(void)
{
	/*
	 * By name and where the arch puts entry probes, as the policy
	 * probes: on powerpc a call from within the module skips the global
	 * entry point. Without it the state is only unknown: not fatal.
	 */
	if (!vcpu_abort_entry_probe_register(&vcpu_abort_canary_probe,
					     vcpu_abort_canary_symbol))
		vcpu_abort_canary_registered = true;
	vcpu_abort_kprobes_canary();
	return 0;
}

void vcpu_abort_symbols_exit(void)
{
	if (vcpu_abort_canary_registered)
		unregister_kprobe(&vcpu_abort_canary_probe);
	vcpu_abort_canary_registered = false;
}
