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

/*
 * Resets that move the vCPU to another instruction stream and then write
 * the RIP of the exit back (issue 12, finding 2): KVM_SET_SREGS2 turning
 * paging on and moving CS; leaving L2 (SVM) with KVM_SET_NESTED_STATE, a
 * host write of EFER without SVME, or 7.x's KVM_SET_ONE_REG of EFER;
 * entering SMM with KVM_SET_VCPU_EVENTS.
 * The emulated load and an MSR completion stand for the exits; vcpuctl
 * race --all --reset R runs all of them.
 */
FIXTURE_VARIANT_ADD(race, mmio_load_sregs2) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.reset = RACE_RESET_SREGS2,
};

FIXTURE_VARIANT_ADD(race, msr_read_sregs2) {
	.exit = RACE_EXIT_MSR_READ,
	.reset = RACE_RESET_SREGS2,
};

FIXTURE_VARIANT_ADD(race, mmio_load_nested) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.reset = RACE_RESET_NESTED,
};

FIXTURE_VARIANT_ADD(race, msr_read_nested) {
	.exit = RACE_EXIT_MSR_READ,
	.reset = RACE_RESET_NESTED,
};

FIXTURE_VARIANT_ADD(race, mmio_load_efer) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.reset = RACE_RESET_EFER,
};

FIXTURE_VARIANT_ADD(race, msr_read_efer) {
	.exit = RACE_EXIT_MSR_READ,
	.reset = RACE_RESET_EFER,
};

FIXTURE_VARIANT_ADD(race, mmio_load_one_reg) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.reset = RACE_RESET_ONE_REG,
};

FIXTURE_VARIANT_ADD(race, msr_read_one_reg) {
	.exit = RACE_EXIT_MSR_READ,
	.reset = RACE_RESET_ONE_REG,
};

FIXTURE_VARIANT_ADD(race, mmio_load_smm) {
	.exit = RACE_EXIT_MMIO_LOAD,
	.reset = RACE_RESET_SMM,
};

FIXTURE_VARIANT_ADD(race, msr_read_smm) {
	.exit = RACE_EXIT_MSR_READ,
	.reset = RACE_RESET_SMM,
};
