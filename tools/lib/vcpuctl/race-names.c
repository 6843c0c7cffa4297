// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the race dimensions, as typed on the command line and printed
 * in the tables, and what the linked arch implements.
 */
#include <string.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/race.h>

static const char *const exit_names[RACE_NR_EXITS] = {
	[RACE_EXIT_MMIO_LOAD] = "mmio-load",
	[RACE_EXIT_MMIO_STORE] = "mmio-store",
	[RACE_EXIT_PIO_IN] = "pio-in",
	[RACE_EXIT_PIO_OUT] = "pio-out",
	[RACE_EXIT_PIO_INS] = "pio-ins",
	[RACE_EXIT_HYPERCALL] = "hypercall",
	[RACE_EXIT_MSR_READ] = "msr-read",
	[RACE_EXIT_MSR_WRITE] = "msr-write",
};

static const char *const reset_names[RACE_NR_RESETS] = {
	[RACE_RESET_REGS] = "regs",
	[RACE_RESET_SREGS] = "sregs",
	[RACE_RESET_SYNC_REGS] = "sync-regs",
	[RACE_RESET_VCPU_INIT] = "vcpu-init",
	[RACE_RESET_ONE_REG] = "one-reg",
	[RACE_RESET_SREGS2] = "sregs2",
	[RACE_RESET_NESTED] = "nested",
	[RACE_RESET_EFER] = "efer",
	[RACE_RESET_SMM] = "smm",
	[RACE_RESET_PSTATE] = "pstate",
	[RACE_RESET_MP_STATE] = "mp-state",
};

/* What each reset path does, for usage texts. */
static const char *const reset_descs[RACE_NR_RESETS] = {
	[RACE_RESET_REGS] = "KVM_SET_REGS",
	[RACE_RESET_SREGS] = "KVM_SET_SREGS, then KVM_SET_REGS",
	[RACE_RESET_SYNC_REGS] = "kvm_run->s.regs + kvm_dirty_regs (x86)",
	[RACE_RESET_VCPU_INIT] = "KVM_ARM_VCPU_INIT + KVM_SET_ONE_REG (arm64)",
	[RACE_RESET_ONE_REG] =
		"KVM_SET_ONE_REG only (on x86, 7.x: EFER without SVME, out of L2)",
	[RACE_RESET_SREGS2] = "KVM_SET_SREGS2 (paging on), then KVM_SET_REGS (x86)",
	[RACE_RESET_NESTED] =
		"out of L2: KVM_SET_NESTED_STATE without guest mode (x86)",
	[RACE_RESET_EFER] = "out of L2: KVM_SET_MSRS EFER without SVME (x86)",
	[RACE_RESET_SMM] = "KVM_SET_VCPU_EVENTS into SMM (x86)",
	[RACE_RESET_PSTATE] = "KVM_SET_ONE_REG PSTATE: another mode, same PC (arm64)",
	[RACE_RESET_MP_STATE] =
		"KVM_SET_MP_STATE(INIT_RECEIVED) + KVM_SET_ONE_REG (riscv 7.x)",
};

static const char *const by_names[RACE_NR_BY] = {
	[RACE_BY_SELF] = "self",
	[RACE_BY_OTHER] = "other",
};

static const char *const entry_names[RACE_NR_ENTRIES] = {
	[RACE_ENTRY_IMMEDIATE] = "immediate",
	[RACE_ENTRY_RUN] = "run",
};

static const char *const abort_names[RACE_NR_ABORTS] = {
	[RACE_ABORT_NONE] = "none",
	[RACE_ABORT_EXPLICIT] = "explicit",
	[RACE_ABORT_DISCARD] = "discard",
	[RACE_ABORT_AUTO] = "auto",
};

static const char *const status_names[] = {
	[RACE_PASS] = "PASS",
	[RACE_FAIL] = "FAIL",
	[RACE_SKIP] = "SKIP",
	[RACE_ERROR] = "ERROR",
};

static int parse(const char *const *names, int nr, const char *name)
{
	int i;

	for (i = 0; i < nr; i++)
		if (names[i] && !strcmp(names[i], name))
			return i;
	return -1;
}

const char *race_exit_name(enum race_exit exit)
{
	return exit < RACE_NR_EXITS ? exit_names[exit] : "?";
}

const char *race_reset_name(enum race_reset reset)
{
	return reset < RACE_NR_RESETS ? reset_names[reset] : "?";
}

const char *race_reset_desc(enum race_reset reset)
{
	return reset < RACE_NR_RESETS && reset_descs[reset] ?
	       reset_descs[reset] : "";
}

const char *race_by_name(enum race_by by)
{
	return by < RACE_NR_BY ? by_names[by] : "?";
}

const char *race_entry_name(enum race_entry entry)
{
	return entry < RACE_NR_ENTRIES ? entry_names[entry] : "?";
}

const char *race_abort_name(enum race_abort abort)
{
	return abort < RACE_NR_ABORTS ? abort_names[abort] : "?";
}

int race_exit_parse(const char *name)
{
	return parse(exit_names, RACE_NR_EXITS, name);
}

int race_reset_parse(const char *name)
{
	return parse(reset_names, RACE_NR_RESETS, name);
}

int race_by_parse(const char *name)
{
	return parse(by_names, RACE_NR_BY, name);
}

int race_entry_parse(const char *name)
{
	return parse(entry_names, RACE_NR_ENTRIES, name);
}

int race_abort_parse(const char *name)
{
	return parse(abort_names, RACE_NR_ABORTS, name);
}

int race_arch_has_exit(enum race_exit exit)
{
	int i;

	for (i = 0; i < arch_nr_exits; i++)
		if (arch_exits[i].exit == exit)
			return 1;
	return 0;
}

int race_arch_has_reset(enum race_reset reset)
{
	int i;

	for (i = 0; i < arch_nr_resets; i++)
		if (arch_resets[i] == reset)
			return 1;
	return 0;
}

const char *race_exit_why(enum race_exit exit)
{
	const char *why = "";

	if (race_arch_has_exit(exit))
		arch_expected_clobbers(exit, &why);
	return why;
}

unsigned int race_expected(const struct race_case *c)
{
	const char *why;

	/*
	 * Without an abort the kernel completes the stale operation on the
	 * next KVM_RUN, whatever the reset path, the thread or the kind of
	 * entry: expect exactly what the completion writes. Once the exit is
	 * aborted, nothing may be left to write.
	 */
	if (!race_arch_has_exit(c->exit) || c->abort != RACE_ABORT_NONE)
		return 0;
	return arch_expected_clobbers(c->exit, &why);
}

const char *race_status_name(enum race_status status)
{
	return status <= RACE_ERROR ? status_names[status] : "ERROR";
}
