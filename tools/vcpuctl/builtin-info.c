// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl info: what this kernel's KVM offers to the race cases. One line
 * per capability, "yes" or "no"; the lab uses it as a smoke test.
 */
#include <stdio.h>
#include <string.h>

#include <vcpuctl/abort.h>
#include <vcpuctl/arch.h>
#include <vcpuctl/genl.h>
#include <vcpuctl/kvm.h>
#include <vcpuctl/race.h>
#include <vcpuctl/vcpu-abort.h>

#include "builtin.h"

static void info_line(const char *name, int yes, const char *note)
{
	printf("  %-48s %-3s  (%s)\n", name, yes ? "yes" : "no", note);
}

/* Which KVM functions the policies probe here, and their state. */
static void print_hooks(void)
{
	struct vcpu_abort_nl_hooks hooks;
	struct vcpu_abort_nl nl;
	unsigned int i;
	int p;

	if (vcpu_abort_nl_open(&nl) || vcpu_abort_nl_get_hooks(&nl, &hooks)) {
		printf("policy hooks:     unknown (%s)\n", nl.err);
		vcpu_abort_nl_close(&nl);
		return;
	}
	vcpu_abort_nl_close(&nl);
	printf("policy hooks:     %s; kprobes %s; VM destruction seen by %s\n",
	       hooks.armed ? "armed (a policy is in effect)" :
			     "disarmed (every policy off)",
	       hooks.kprobes_disarmed ? "DISARMED system-wide" : "armed",
	       hooks.destroy_hook == VCPU_ABORT_DESTROY_HOOK_FTRACE ?
	       "ftrace (permanent)" : "kprobe");
	for (i = 0; i < hooks.nr; i++) {
		const struct vcpu_abort_nl_hook *h = &hooks.hook[i];
		char needs[64] = "";

		for (p = 0; p < VCPU_ABORT_POLICY_COUNT; p++)
			if (h->policies & (1u << p))
				snprintf(needs + strlen(needs),
					 sizeof(needs) - strlen(needs), "%s%s",
					 needs[0] ? "," : "",
					 vcpu_abort_policy_name(p));
		printf("  %-40s %-8s %-9s needed by %-14s trigger %s",
		       h->symbol, vcpu_abort_hook_state_name(h->state),
		       h->state == VCPU_ABORT_HOOK_STATE_READY ?
		       vcpu_abort_hook_mechanism_name(h->mechanism) : "-",
		       needs[0] ? needs : "-",
		       vcpu_abort_trigger_name(h->trigger));
		if (h->err)
			printf(" (%s)", strerror(h->err));
		printf("\n");
	}
}

static int run_info(int argc, char **argv)
{
	char why[VM_ERR_LEN], host[160];
	struct vm vm;
	int ret;

	(void)argc;
	(void)argv;
	printf("arch:             %s\n", arch_name);
	printf("kvm device:       %s\n", kvm_dev_path());
	ret = vm_create(&vm, arch_vm_type());
	if (ret) {
		cmd_error("%s", vm.err);
		vm_destroy(&vm);
		return VCPUCTL_EXIT_FAIL;
	}
	arch_describe_host(host, sizeof(host));
	printf("KVM API version:  %d\n", KVM_API_VERSION);
	printf("kvm:              %s\n", host);
	printf("capabilities:\n");
	info_line("KVM_CAP_IMMEDIATE_EXIT",
		  vm_check_cap(&vm, KVM_CAP_IMMEDIATE_EXIT),
		  "entry immediate");
	info_line("KVM_CAP_USER_MEMORY", vm_check_cap(&vm, KVM_CAP_USER_MEMORY),
		  "all cases");
	arch_print_info(&vm, info_line);
	ret = race_abort_available(RACE_ABORT_EXPLICIT, why, sizeof(why));
	info_line("vcpu_abort module", ret, ret ? vcpu_abort_dev_path() : why);
	if (ret)
		print_hooks();
	vm_destroy(&vm);
	return VCPUCTL_EXIT_OK;
}

const struct cmd cmd_info = {
	.name = "info",
	.summary = "arch, KVM API version, capabilities the race cases use",
	.description =
"Prints the arch, the KVM device, the KVM API version, which KVM module\n"
"serves it and one line per capability the race cases use, \"yes\" or \"no\";\n"
"then whether the vcpu_abort module is loaded and, if it is, which KVM\n"
"functions its policies probe: ready, missing, cloned (by the compiler) or\n"
"failed, how a ready one is seen (kretprobe, kprobe or ftrace), which\n"
"policies need each (a policy whose hooks are not all ready\n"
"is refused), whether the probes are armed and whether kprobes are\n"
"disarmed system-wide.",
	.opts = (const struct opt[]) { OPT_END() },
	.needs_kvm = 1,
	.run = run_info,
};
