/* SPDX-License-Identifier: GPL-2.0 */
/* race_reset's cases on x86: every pending exit x every reset path. */

FIXTURE_VARIANT_ADD(race, mmio_load_regs) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.reset = RACE_RESET_REGS,
};

FIXTURE_VARIANT_ADD(race, mmio_load_sregs) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.reset = RACE_RESET_SREGS,
};

FIXTURE_VARIANT_ADD(race, mmio_load_sync_regs) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.reset = RACE_RESET_SYNC_REGS,
};

FIXTURE_VARIANT_ADD(race, mmio_store_regs) {
	.exit = RACE_EXIT_MMIO_STORE,
	.reset = RACE_RESET_REGS,
};

FIXTURE_VARIANT_ADD(race, mmio_store_sregs) {
	.exit = RACE_EXIT_MMIO_STORE,
	.reset = RACE_RESET_SREGS,
};

FIXTURE_VARIANT_ADD(race, mmio_store_sync_regs) {
	.exit = RACE_EXIT_MMIO_STORE,
	.reset = RACE_RESET_SYNC_REGS,
};

FIXTURE_VARIANT_ADD(race, pio_in_regs) {
	.exit = RACE_EXIT_PIO_IN,
	.reset = RACE_RESET_REGS,
};

FIXTURE_VARIANT_ADD(race, pio_in_sregs) {
	.exit = RACE_EXIT_PIO_IN,
	.reset = RACE_RESET_SREGS,
};

FIXTURE_VARIANT_ADD(race, pio_in_sync_regs) {
	.exit = RACE_EXIT_PIO_IN,
	.reset = RACE_RESET_SYNC_REGS,
};

FIXTURE_VARIANT_ADD(race, pio_out_regs) {
	.exit = RACE_EXIT_PIO_OUT,
	.reset = RACE_RESET_REGS,
};

FIXTURE_VARIANT_ADD(race, pio_out_sregs) {
	.exit = RACE_EXIT_PIO_OUT,
	.reset = RACE_RESET_SREGS,
};

FIXTURE_VARIANT_ADD(race, pio_out_sync_regs) {
	.exit = RACE_EXIT_PIO_OUT,
	.reset = RACE_RESET_SYNC_REGS,
};

FIXTURE_VARIANT_ADD(race, pio_ins_regs) {
	.exit = RACE_EXIT_PIO_INS,
	.reset = RACE_RESET_REGS,
};

FIXTURE_VARIANT_ADD(race, pio_ins_sregs) {
	.exit = RACE_EXIT_PIO_INS,
	.reset = RACE_RESET_SREGS,
};

FIXTURE_VARIANT_ADD(race, pio_ins_sync_regs) {
	.exit = RACE_EXIT_PIO_INS,
	.reset = RACE_RESET_SYNC_REGS,
};

FIXTURE_VARIANT_ADD(race, hypercall_regs) {
	.exit = RACE_EXIT_HYPERCALL,
	.reset = RACE_RESET_REGS,
};

FIXTURE_VARIANT_ADD(race, hypercall_sregs) {
	.exit = RACE_EXIT_HYPERCALL,
	.reset = RACE_RESET_SREGS,
};

FIXTURE_VARIANT_ADD(race, hypercall_sync_regs) {
	.exit = RACE_EXIT_HYPERCALL,
	.reset = RACE_RESET_SYNC_REGS,
};

FIXTURE_VARIANT_ADD(race, msr_read_regs) {
	.exit = RACE_EXIT_MSR_READ,
	.reset = RACE_RESET_REGS,
};

FIXTURE_VARIANT_ADD(race, msr_read_sregs) {
	.exit = RACE_EXIT_MSR_READ,
	.reset = RACE_RESET_SREGS,
};

FIXTURE_VARIANT_ADD(race, msr_read_sync_regs) {
	.exit = RACE_EXIT_MSR_READ,
	.reset = RACE_RESET_SYNC_REGS,
};

FIXTURE_VARIANT_ADD(race, msr_write_regs) {
	.exit = RACE_EXIT_MSR_WRITE,
	.reset = RACE_RESET_REGS,
};

FIXTURE_VARIANT_ADD(race, msr_write_sregs) {
	.exit = RACE_EXIT_MSR_WRITE,
	.reset = RACE_RESET_SREGS,
};

FIXTURE_VARIANT_ADD(race, msr_write_sync_regs) {
	.exit = RACE_EXIT_MSR_WRITE,
	.reset = RACE_RESET_SYNC_REGS,
};
