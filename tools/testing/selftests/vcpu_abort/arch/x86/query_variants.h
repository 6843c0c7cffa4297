/* SPDX-License-Identifier: GPL-2.0 */
/*
 * query_report's cases on x86, with the guest layout of libvcpuctl's
 * guest.h (real mode, 32-bit operands): MMIO through the emulator's
 * fragments, fast port I/O through arch.pio. The emulator keeps the
 * decoded destination of an MMIO load to itself; a fast IN always loads
 * into EAX. A store was retired before the exit.
 */
#include "guest.h"

FIXTURE_VARIANT_ADD(query, mmio_load) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.want = {
		.kind = VCPU_ABORT_KIND_MMIO_LOAD,
		.dir = VCPU_ABORT_DIR_READ,
		.addr = X86_MMIO_DATA,
		.len = 4,			/* movl moffs, %eax */
		.count = 1,
		.info = VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN,
	},
};

FIXTURE_VARIANT_ADD(query, mmio_store) {
	.exit = RACE_EXIT_MMIO_STORE,
	.want = {
		.kind = VCPU_ABORT_KIND_MMIO_STORE,
		.dir = VCPU_ABORT_DIR_WRITE,
		.addr = X86_MMIO_DATA,
		.len = 4,
		.count = 1,
		.info = VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN |
			VCPU_ABORT_INFO_PC_ADVANCED,
	},
};

FIXTURE_VARIANT_ADD(query, pio_in) {
	.exit = RACE_EXIT_PIO_IN,
	.want = {
		.kind = VCPU_ABORT_KIND_PIO_IN,
		.dir = VCPU_ABORT_DIR_READ,
		.addr = X86_PIO_DATA,
		.len = 4,			/* inl */
		.count = 1,
		.dest_class = VCPU_ABORT_REG_GPR,
		.dest_reg = 0,			/* RAX */
		.info = VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN,
	},
};

FIXTURE_VARIANT_ADD(query, pio_out) {
	.exit = RACE_EXIT_PIO_OUT,
	.want = {
		.kind = VCPU_ABORT_KIND_PIO_OUT,
		.dir = VCPU_ABORT_DIR_WRITE,
		.addr = X86_PIO_DATA,
		.len = 4,			/* outl */
		.count = 1,
		.info = VCPU_ABORT_INFO_ADDR | VCPU_ABORT_INFO_LEN,
	},
};
