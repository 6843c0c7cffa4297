/* SPDX-License-Identifier: GPL-2.0 */
/*
 * race_reset's cases on riscv64: every pending exit x every reset path
 * (mp_state skips where KVM has no KVM_CAP_RISCV_MP_STATE_RESET: 6.12).
 */

FIXTURE_VARIANT_ADD(race, mmio_load_one_reg) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.reset = RACE_RESET_ONE_REG,
};

FIXTURE_VARIANT_ADD(race, mmio_load_mp_state) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.reset = RACE_RESET_MP_STATE,
};

FIXTURE_VARIANT_ADD(race, mmio_store_one_reg) {
	.exit = RACE_EXIT_MMIO_STORE,
	.reset = RACE_RESET_ONE_REG,
};

FIXTURE_VARIANT_ADD(race, mmio_store_mp_state) {
	.exit = RACE_EXIT_MMIO_STORE,
	.reset = RACE_RESET_MP_STATE,
};

FIXTURE_VARIANT_ADD(race, hypercall_one_reg) {
	.exit = RACE_EXIT_HYPERCALL,
	.reset = RACE_RESET_ONE_REG,
};

FIXTURE_VARIANT_ADD(race, hypercall_mp_state) {
	.exit = RACE_EXIT_HYPERCALL,
	.reset = RACE_RESET_MP_STATE,
};
