/* SPDX-License-Identifier: GPL-2.0 */
/* race_reset's cases on powerpc: every pending exit x every reset path. */

FIXTURE_VARIANT_ADD(race, mmio_load_regs) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.reset = RACE_RESET_REGS,
};

FIXTURE_VARIANT_ADD(race, mmio_load_sregs) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.reset = RACE_RESET_SREGS,
};

FIXTURE_VARIANT_ADD(race, mmio_store_regs) {
	.exit = RACE_EXIT_MMIO_STORE,
	.reset = RACE_RESET_REGS,
};

FIXTURE_VARIANT_ADD(race, mmio_store_sregs) {
	.exit = RACE_EXIT_MMIO_STORE,
	.reset = RACE_RESET_SREGS,
};

FIXTURE_VARIANT_ADD(race, hypercall_regs) {
	.exit = RACE_EXIT_HYPERCALL,
	.reset = RACE_RESET_REGS,
};

FIXTURE_VARIANT_ADD(race, hypercall_sregs) {
	.exit = RACE_EXIT_HYPERCALL,
	.reset = RACE_RESET_SREGS,
};
