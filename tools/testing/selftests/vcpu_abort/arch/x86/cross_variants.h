/* SPDX-License-Identifier: GPL-2.0 */
/* cross_reset's reset paths on x86: how vCPU 1's thread resets vCPU 0. */

FIXTURE_VARIANT_ADD(cross, regs) {
	.reset = RACE_RESET_REGS,
};

FIXTURE_VARIANT_ADD(cross, sregs) {
	.reset = RACE_RESET_SREGS,
};

FIXTURE_VARIANT_ADD(cross, sync_regs) {
	.reset = RACE_RESET_SYNC_REGS,
};
