/* SPDX-License-Identifier: GPL-2.0 */
/*
 * query_report's cases on ppc64le, with the guest layout of libvcpuctl's
 * guest.h: ld/std of r3 and the hcall "sc 1". KVM moved the PC past the
 * instruction before it exited (VCPU_ABORT_INFO_PC_ADVANCED); the MMIO
 * size and the hcall number are only in the run page.
 */
#include "guest.h"

FIXTURE_VARIANT_ADD(query, mmio_load) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.want = {
		.kind = VCPU_ABORT_KIND_MMIO_LOAD,
		.dir = VCPU_ABORT_DIR_READ,
		.addr = PPC_MMIO_DATA,
		.len = 8,			/* ld r3 */
		.count = 1,
		.dest_class = VCPU_ABORT_REG_GPR,
		.dest_reg = 3,
		.info = VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN |
			VCPU_ABORT_INFO_FROM_RUN | VCPU_ABORT_INFO_PC_ADVANCED,
	},
};

FIXTURE_VARIANT_ADD(query, mmio_store) {
	.exit = RACE_EXIT_MMIO_STORE,
	.want = {
		.kind = VCPU_ABORT_KIND_MMIO_STORE,
		.dir = VCPU_ABORT_DIR_WRITE,
		.addr = PPC_MMIO_DATA,
		.len = 8,			/* std r3 */
		.count = 1,
		.info = VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN |
			VCPU_ABORT_INFO_FROM_RUN | VCPU_ABORT_INFO_PC_ADVANCED,
	},
};

FIXTURE_VARIANT_ADD(query, hypercall) {
	.exit = RACE_EXIT_HYPERCALL,
	.want = {
		.kind = VCPU_ABORT_KIND_HYPERCALL,
		.dir = VCPU_ABORT_DIR_READ,
		.addr = PPC_HCALL_NR,
		.dest_class = VCPU_ABORT_REG_GPR,
		.dest_reg = 3,
		.info = VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_FROM_RUN |
			VCPU_ABORT_INFO_PC_ADVANCED,
	},
};
