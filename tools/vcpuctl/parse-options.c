// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl's option parser and usage texts, from the tables of
 * parse-options.h. Errors are one line on stderr that says what was wrong
 * and where to find help.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <vcpuctl/race.h>

#include "parse-options.h"

#define HELP_COLUMN	24

const char exit_code_rule[] =
"exit codes (every command): 0 done, every verdict as expected; 1 an error\n"
"or a verdict that differs (also a KVM device given with --kvm-dev or\n"
"$VCPUCTL_KVM_DEV that is not KVM); 2 bad command line; 4 skipped: this\n"
"machine cannot run it: no KVM device at all, the vcpu_abort module not\n"
"loaded, or the kernel lacks what a case needs.\n";

static const struct opt help_opt =
	OPT_FLAG('h', "help", NULL, "this text");

int usage_error(const struct cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vcpuctl: ");
	if (cmd)
		fprintf(stderr, "%s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "; see 'vcpuctl %s --help'\n", cmd->name);
	else
		fprintf(stderr, "; see 'vcpuctl help'\n");
	return VCPUCTL_EXIT_USAGE;
}

void join_names(char *buf, size_t len, int nr, const char *(*name)(int i))
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < nr && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? " " : "", name(i));
}

static void opt_name(const struct opt *o, char *buf, size_t len)
{
	if (o->short_name)
		snprintf(buf, len, "-%c, --%s%s%s", o->short_name, o->long_name,
			 o->argh ? " " : "", o->argh ? o->argh : "");
	else
		snprintf(buf, len, "    --%s%s%s", o->long_name,
			 o->argh ? " " : "", o->argh ? o->argh : "");
}

/* Text from p, continuation lines indented to the help column. */
static void print_indented(FILE *f, const char *p)
{
	for (; *p; p++) {
		fputc(*p, f);
		if (*p == '\n' && p[1])
			fprintf(f, "%*s", HELP_COLUMN + 2, "");
	}
}

static void print_opt(FILE *f, const struct opt *o)
{
	char name[64], choices[256];

	opt_name(o, name, sizeof(name));
	if ((int)strlen(name) > HELP_COLUMN - 1)
		fprintf(f, "  %s\n  %*s", name, HELP_COLUMN, "");
	else
		fprintf(f, "  %-*s", HELP_COLUMN, name);
	print_indented(f, o->help);
	if (o->type == OPT_TYPE_CHOICE && o->choices) {
		o->choices(choices, sizeof(choices));
		fprintf(f, "\n%*s(%s: %s)", HELP_COLUMN + 2, "", o->argh,
			choices);
	}
	fputc('\n', f);
}

void print_usage(FILE *f, const struct cmd *cmd)
{
	char line[96];
	const struct opt *o;
	size_t n, indent;

	n = snprintf(line, sizeof(line), "usage: vcpuctl %s", cmd->name);
	indent = n + 1;
	fputs(line, f);
	for (o = cmd->opts; o && o->type != OPT_TYPE_END; o++) {
		n += snprintf(line, sizeof(line), " [--%s%s%s]", o->long_name,
			      o->argh ? " " : "", o->argh ? o->argh : "");
		if (n > 79) {
			fprintf(f, "\n%*s", (int)indent, "");
			n = indent + strlen(line) - 1;
			fputs(line + 1, f);
		} else {
			fputs(line, f);
		}
	}
	if (cmd->args)
		fprintf(f, " %s", cmd->args);
	fprintf(f, "\n\n%s\n", cmd->description);
	if (cmd->more_help)
		cmd->more_help(f);
	if (cmd->opts && cmd->opts->type != OPT_TYPE_END) {
		fprintf(f, "\noptions:\n");
		for (o = cmd->opts; o->type != OPT_TYPE_END; o++)
			print_opt(f, o);
		print_opt(f, &help_opt);
	}
	fprintf(f, "\n%s", exit_code_rule);
}

static const struct opt *find_long(const struct cmd *cmd, const char *name,
				   size_t len)
{
	const struct opt *o;

	for (o = cmd->opts; o && o->type != OPT_TYPE_END; o++)
		if (strlen(o->long_name) == len &&
		    !strncmp(o->long_name, name, len))
			return o;
	if (len == 4 && !strncmp(name, "help", 4))
		return &help_opt;
	return NULL;
}

static const struct opt *find_short(const struct cmd *cmd, char c)
{
	const struct opt *o;

	for (o = cmd->opts; o && o->type != OPT_TYPE_END; o++)
		if (o->short_name == c)
			return o;
	return c == 'h' ? &help_opt : NULL;
}

/* Stores arg into o's value; 0, or the exit code of a usage error. */
static int set_value(const struct cmd *cmd, const struct opt *o,
		     const char *arg)
{
	char choices[256], *end;
	long n;
	double d;
	int v;

	switch (o->type) {
	case OPT_TYPE_FLAG:
		*(int *)o->value = 1;
		return 0;
	case OPT_TYPE_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPT_TYPE_NUMBER:
		errno = 0;
		n = strtol(arg, &end, 10);
		if (errno || end == arg || *end || n < o->min || n > o->max)
			return usage_error(cmd,
					   "--%s: '%s' is not a number from %ld to %ld",
					   o->long_name, arg, o->min, o->max);
		*(long *)o->value = n;
		return 0;
	case OPT_TYPE_SECONDS:
		errno = 0;
		d = strtod(arg, &end);
		if (errno || end == arg || *end || !(d > 0) || d > o->max)
			return usage_error(cmd,
					   "--%s: '%s' is not a number of seconds above 0, at most %ld",
					   o->long_name, arg, o->max);
		*(double *)o->value = d;
		return 0;
	case OPT_TYPE_CHOICE:
		v = o->parse(arg);
		if (v < 0) {
			o->choices(choices, sizeof(choices));
			return usage_error(cmd, "--%s: '%s' is not one of: %s",
					   o->long_name, arg, choices);
		}
		*(int *)o->value = v;
		return 0;
	default:
		return usage_error(cmd, "--%s: not an option", o->long_name);
	}
}

/* One option at argv[*i]; -1 to go on, or the exit code. */
static int parse_one(const struct cmd *cmd, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *arg = NULL, *eq;
	const struct opt *o;
	char shown[64];

	if (a[1] == '-') {
		eq = strchr(a + 2, '=');
		o = find_long(cmd, a + 2, eq ? (size_t)(eq - a - 2) :
					       strlen(a + 2));
		snprintf(shown, sizeof(shown), "%.*s",
			 eq ? (int)(eq - a) : (int)strlen(a), a);
		if (!o)
			return usage_error(cmd, "unknown option '%s'", shown);
		if (eq && o->type == OPT_TYPE_FLAG)
			return usage_error(cmd, "option '%s' takes no value",
					   shown);
		if (eq)
			arg = eq + 1;
	} else {
		o = find_short(cmd, a[1]);
		snprintf(shown, sizeof(shown), "-%c", a[1]);
		if (!o)
			return usage_error(cmd, "unknown option '%s'", shown);
		if (a[2] && o->type == OPT_TYPE_FLAG)
			return usage_error(cmd, "option '%s' takes no value (in '%s')",
					   shown, a);
		if (a[2])
			arg = a + 2;
	}
	if (o == &help_opt) {
		print_usage(stdout, cmd);
		return VCPUCTL_EXIT_OK;
	}
	if (o->type != OPT_TYPE_FLAG && !arg) {
		if (*i + 1 >= argc)
			return usage_error(cmd, "option '%s' needs a value (%s)",
					   shown, o->argh);
		arg = argv[++*i];
	}
	return set_value(cmd, o, arg) ? VCPUCTL_EXIT_USAGE : -1;
}

int parse_options(const struct cmd *cmd, int *argc, char **argv)
{
	int i, nr = 0, ret, options = 1;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];

		if (options && !strcmp(a, "--")) {
			options = 0;
			continue;
		}
		if (options && a[0] == '-' && a[1]) {
			ret = parse_one(cmd, *argc, argv, &i);
			if (ret >= 0)
				return ret;
			continue;
		}
		argv[nr++] = argv[i];
	}
	*argc = nr;
	if (nr > cmd->max_args)
		return usage_error(cmd, "unexpected argument '%s'",
				   argv[cmd->max_args]);
	if (nr < cmd->min_args)
		return usage_error(cmd, "missing arguments (%s)", cmd->args);
	return -1;
}
