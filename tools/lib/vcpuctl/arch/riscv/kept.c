// SPDX-License-Identifier: GPL-2.0
/* riscv has no completion the module keeps (VCPU_ABORT_INFO_KEPT). */
#include <stdio.h>
#include <string.h>

#include <vcpuctl/kept.h>

enum race_status kept_check(enum race_abort abort, struct kept_result *res)
{
	(void)abort;
	memset(res, 0, sizeof(*res));
	snprintf(res->reason, sizeof(res->reason),
		 "riscv KVM has no completion that the module keeps (VCPU_ABORT_INFO_KEPT is x86's)");
	res->status = RACE_SKIP;
	return RACE_SKIP;
}
