/* SPDX-License-Identifier: GPL-2.0 */
/* race_reset's cases on arm64: every pending exit x every reset path. */

FIXTURE_VARIANT_ADD(race, mmio_load_vcpu_init) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.reset = RACE_RESET_VCPU_INIT,
};

FIXTURE_VARIANT_ADD(race, mmio_load_one_reg) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.reset = RACE_RESET_ONE_REG,
};

FIXTURE_VARIANT_ADD(race, mmio_store_vcpu_init) {
	.exit = RACE_EXIT_MMIO_STORE,
	.reset = RACE_RESET_VCPU_INIT,
};

FIXTURE_VARIANT_ADD(race, mmio_store_one_reg) {
	.exit = RACE_EXIT_MMIO_STORE,
	.reset = RACE_RESET_ONE_REG,
};

FIXTURE_VARIANT_ADD(race, hypercall_vcpu_init) {
	.exit = RACE_EXIT_HYPERCALL,
	.reset = RACE_RESET_VCPU_INIT,
};

FIXTURE_VARIANT_ADD(race, hypercall_one_reg) {
	.exit = RACE_EXIT_HYPERCALL,
	.reset = RACE_RESET_ONE_REG,
};

/*
 * A mode change the VMM follows with the PC unchanged: the completion
 * belongs to the old mode (policy reset compares PSTATE's mode too).
 */
FIXTURE_VARIANT_ADD(race, mmio_load_pstate) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.reset = RACE_RESET_PSTATE,
};

FIXTURE_VARIANT_ADD(race, mmio_store_pstate) {
	.exit = RACE_EXIT_MMIO_STORE,
	.reset = RACE_RESET_PSTATE,
};

FIXTURE_VARIANT_ADD(race, hypercall_pstate) {
	.exit = RACE_EXIT_HYPERCALL,
	.reset = RACE_RESET_PSTATE,
};
