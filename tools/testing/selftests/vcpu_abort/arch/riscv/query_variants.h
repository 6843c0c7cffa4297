/* SPDX-License-Identifier: GPL-2.0 */
/*
 * query_report's cases on riscv64, with the guest layout of libvcpuctl's
 * guest.h. The completion's kind, rd and length come from KVM's decode
 * (mmio_decode, csr_decode); the MMIO address and the SBI extension and
 * function only from the run page (VCPU_ABORT_INFO_FROM_RUN).
 */
#include "guest.h"

FIXTURE_VARIANT_ADD(query, mmio_load) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.want = {
		.kind = VCPU_ABORT_KIND_MMIO_LOAD,
		.dir = VCPU_ABORT_DIR_READ,
		.addr = RISCV_MMIO_DATA,
		.len = 8,			/* ld */
		.count = 1,
		.dest_class = VCPU_ABORT_REG_GPR,
		.dest_reg = 10,			/* a0 */
		.info = VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN |
			VCPU_ABORT_INFO_FROM_RUN,
	},
};

FIXTURE_VARIANT_ADD(query, mmio_store) {
	.exit = RACE_EXIT_MMIO_STORE,
	.want = {
		.kind = VCPU_ABORT_KIND_MMIO_STORE,
		.dir = VCPU_ABORT_DIR_WRITE,
		.addr = RISCV_MMIO_DATA,
		.len = 8,			/* sd */
		.count = 1,
		.info = VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN |
			VCPU_ABORT_INFO_FROM_RUN,
	},
};

FIXTURE_VARIANT_ADD(query, hypercall) {
	.exit = RACE_EXIT_HYPERCALL,
	.want = {
		.kind = VCPU_ABORT_KIND_HYPERCALL,
		.dir = VCPU_ABORT_DIR_READ,
		/* SBI extension id in bits 63:32, function id in 31:0 */
		.addr = (__u64)RISCV_SBI_EXT << 32 | RISCV_SBI_FID,
		.dest_class = VCPU_ABORT_REG_GPR,
		.dest_reg = 10,			/* a0, and a1 */
		.info = VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_FROM_RUN,
	},
};
