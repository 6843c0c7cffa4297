/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VCPUCTL_BUILTIN_H
#define VCPUCTL_BUILTIN_H

/* Subcommands: argv[0] is the subcommand name; they return the exit code. */
int cmd_info(int argc, char **argv);
int cmd_race(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_abort(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_sync(int argc, char **argv);
int cmd_bench(int argc, char **argv);

#endif
