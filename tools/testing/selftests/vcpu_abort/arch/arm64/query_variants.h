/* SPDX-License-Identifier: GPL-2.0 */
/*
 * query_report's cases on arm64, with the guest layout of libvcpuctl's
 * guest.h: an MMIO load or store of x0 through x1. Everything comes from
 * the fault syndrome (ESR: direction, size, Rt; HPFAR and FAR: the
 * address). The forwarded SMCCC call leaves nothing pending.
 */
#include "guest.h"

FIXTURE_VARIANT_ADD(query, mmio_load) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.want = {
		.kind = VCPU_ABORT_KIND_MMIO_LOAD,
		.dir = VCPU_ABORT_DIR_READ,
		.addr = ARM64_MMIO_DATA,
		.len = 8,			/* ldr x0 */
		.count = 1,
		.dest_class = VCPU_ABORT_REG_GPR,
		.dest_reg = 0,			/* x0 */
		.info = VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN,
	},
};

FIXTURE_VARIANT_ADD(query, mmio_store) {
	.exit = RACE_EXIT_MMIO_STORE,
	.want = {
		.kind = VCPU_ABORT_KIND_MMIO_STORE,
		.dir = VCPU_ABORT_DIR_WRITE,
		.addr = ARM64_MMIO_DATA,
		.len = 8,			/* str x0 */
		.count = 1,
		.info = VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN,
	},
};

FIXTURE_VARIANT_ADD(query, hypercall) {
	.exit = RACE_EXIT_HYPERCALL,
	.want = {
		.kind = VCPU_ABORT_KIND_NONE,
	},
};
