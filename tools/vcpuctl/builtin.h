/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcpuctl's commands (one builtin-*.c each, listed in main.c) and what
 * they share: the one-line error format and the exit code rule
 * (parse-options.c: exit_code_rule) for a missing KVM device or module.
 */
#ifndef VCPUCTL_BUILTIN_H
#define VCPUCTL_BUILTIN_H

#include "parse-options.h"

extern const struct cmd cmd_info, cmd_race, cmd_query, cmd_abort,
	cmd_policy, cmd_stats, cmd_monitor, cmd_sync, cmd_bench;

/* The command running, for messages. */
extern const struct cmd *current_cmd;

/* "vcpuctl: CMD: <message>" on stderr. */
__printf(1, 2)
void cmd_error(const char *fmt, ...);

/*
 * Whether the KVM device can be used: -1 if so; else, after a message,
 * the exit code: VCPUCTL_EXIT_SKIP when there is no KVM device at all
 * (the default path does not exist), VCPUCTL_EXIT_FAIL for a device that
 * is there but not KVM, or any path given with --kvm-dev or
 * $VCPUCTL_KVM_DEV that cannot be used.
 */
int need_kvm(void);

/*
 * The vcpu_abort module is not loaded (why: the error that says so):
 * prints it and returns VCPUCTL_EXIT_SKIP, the same for every command.
 */
int module_missing(const char *why);

struct vcpu_abort_nl;
/*
 * Opens the module's netlink family: -1 if done; else, after a message,
 * the exit code (module_missing() if the family is not registered).
 */
int nl_open_or_exit(struct vcpu_abort_nl *nl);

#endif
