// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl info: what this kernel's KVM offers to the race cases. One line
 * per capability, "yes" or "no"; the lab uses it as a smoke test.
 */
#include <stdio.h>
#include <string.h>

#include <vcpuctl/abort.h>
#include <vcpuctl/arch.h>
#include <vcpuctl/kvm.h>
#include <vcpuctl/race.h>
#include <vcpuctl/vcpu-abort.h>

#include "builtin.h"

static void info_line(const char *name, int yes, const char *note)
{
	printf("  %-48s %-3s  (%s)\n", name, yes ? "yes" : "no", note);
}

static int run_info(int argc, char **argv)
{
	char why[VM_ERR_LEN], host[160];
	struct vm vm;
	int ret;

	(void)argc;
	(void)argv;
	ret = need_kvm();
	if (ret >= 0)
		return ret;
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
	vm_destroy(&vm);
	return VCPUCTL_EXIT_OK;
}

const struct cmd cmd_info = {
	.name = "info",
	.summary = "arch, KVM API version, capabilities the race cases use",
	.description =
"Prints the arch, the KVM device, the KVM API version, which KVM module\n"
"serves it and one line per capability the race cases use, \"yes\" or \"no\";\n"
"the last line says whether the vcpu_abort module is loaded.",
	.opts = (const struct opt[]) { OPT_END() },
	.run = run_info,
};
