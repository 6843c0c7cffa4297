/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cross_reset's reset paths on riscv64: how vCPU 1's thread resets vCPU 0.
 * mp_state skips where KVM has no KVM_CAP_RISCV_MP_STATE_RESET (6.12).
 */

FIXTURE_VARIANT_ADD(cross, one_reg) {
	.reset = RACE_RESET_ONE_REG,
};

FIXTURE_VARIANT_ADD(cross, mp_state) {
	.reset = RACE_RESET_MP_STATE,
};
