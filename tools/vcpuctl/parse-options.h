/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcpuctl's command and option tables, in the spirit of perf's and
 * kvmtool's parse-options: each command is a struct cmd with a table of
 * struct opt, from which the parser takes what it accepts and the usage
 * text is written, so that the two cannot disagree.
 */
#ifndef VCPUCTL_PARSE_OPTIONS_H
#define VCPUCTL_PARSE_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#include <vcpuctl/compiler.h>

enum opt_type {
	OPT_TYPE_END,
	OPT_TYPE_FLAG,		/* int *: set to 1 */
	OPT_TYPE_STRING,	/* const char **: the argument */
	OPT_TYPE_NUMBER,	/* long *: an integer from min to max */
	OPT_TYPE_SECONDS,	/* double *: a number above 0, at most max */
	OPT_TYPE_CHOICE,	/* int *: what parse() makes of the argument */
};

struct opt {
	enum opt_type type;
	char short_name;		/* 0: none */
	const char *long_name;
	const char *argh;		/* the argument in the usage text */
	/* Usage text; "\n" starts a continuation line. */
	const char *help;
	void *value;
	long min, max;			/* NUMBER; SECONDS: max only */
	/* CHOICE: the value of a name, or -1 if it is not a valid one. */
	int (*parse)(const char *arg);
	/* CHOICE: the valid names, space separated, for texts. */
	void (*choices)(char *buf, size_t len);
};

#define OPT_FLAG(s, l, v, h) \
	{ .type = OPT_TYPE_FLAG, .short_name = (s), .long_name = (l), \
	  .value = (v), .help = (h) }
#define OPT_STRING(s, l, v, a, h) \
	{ .type = OPT_TYPE_STRING, .short_name = (s), .long_name = (l), \
	  .value = (v), .argh = (a), .help = (h) }
#define OPT_NUMBER(s, l, v, a, lo, hi, h) \
	{ .type = OPT_TYPE_NUMBER, .short_name = (s), .long_name = (l), \
	  .value = (v), .argh = (a), .min = (lo), .max = (hi), .help = (h) }
#define OPT_SECONDS(s, l, v, a, hi, h) \
	{ .type = OPT_TYPE_SECONDS, .short_name = (s), .long_name = (l), \
	  .value = (v), .argh = (a), .max = (hi), .help = (h) }
#define OPT_CHOICE(s, l, v, a, p, c, h) \
	{ .type = OPT_TYPE_CHOICE, .short_name = (s), .long_name = (l), \
	  .value = (v), .argh = (a), .parse = (p), .choices = (c), \
	  .help = (h) }
#define OPT_END() { .type = OPT_TYPE_END }

struct cmd {
	const char *name;
	const char *args;		/* positional arguments, for the synopsis */
	const char *summary;		/* one line, for 'vcpuctl help' */
	const char *description;	/* what --help says before the options */
	/* Printed after the description, for what the build decides. */
	void (*more_help)(FILE *f);
	const struct opt *opts;		/* ends with OPT_END(); -h is implied */
	int min_args, max_args;		/* positional arguments */
	/*
	 * What main() does before run(): check() the arguments together (-1
	 * if they are fine, or the exit code of a usage error), then, with
	 * needs_kvm, the KVM device (need_kvm()).
	 */
	int (*check)(int argc, char **argv);
	int needs_kvm;
	/* Runs the command with the positional arguments; the exit code. */
	int (*run)(int argc, char **argv);
};

/*
 * Parses argv (argv[0] the command name) by cmd->opts, options and
 * positional arguments in any order ("--" ends the options), and leaves
 * the positional ones in argv[0 .. *argc - 1]. Returns -1 to go on, or the
 * exit code: 0 after --help (usage on stdout), VCPUCTL_EXIT_USAGE after
 * a one-line complaint on stderr.
 */
int parse_options(const struct cmd *cmd, int *argc, char **argv);

/* The usage text of a command. */
void print_usage(FILE *f, const struct cmd *cmd);

/*
 * "vcpuctl: CMD: <message>; see 'vcpuctl CMD --help'" on stderr; returns
 * VCPUCTL_EXIT_USAGE. cmd NULL: the global command line.
 */
__printf(2, 3)
int usage_error(const struct cmd *cmd, const char *fmt, ...);

/*
 * For OPT_CHOICE's choices(): the names name(0) .. name(nr - 1), space
 * separated, into buf.
 */
void join_names(char *buf, size_t len, int nr, const char *(*name)(int i));

/* The exit code rule, as every --help ends with it. */
extern const char exit_code_rule[];

#endif /* VCPUCTL_PARSE_OPTIONS_H */
