/* SPDX-License-Identifier: GPL-2.0 */
/* cross_reset's reset paths on arm64: how vCPU 1's thread resets vCPU 0. */

FIXTURE_VARIANT_ADD(cross, vcpu_init) {
	.reset = RACE_RESET_VCPU_INIT,
};

FIXTURE_VARIANT_ADD(cross, one_reg) {
	.reset = RACE_RESET_ONE_REG,
};
