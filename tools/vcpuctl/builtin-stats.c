// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl stats: the module's GET_STATS dump as a table, one row per VM it
 * has seen: the policy, the discarded completions per kind and per
 * trigger, and the completions a register write found and kept.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vcpuctl/genl.h>
#include <vcpuctl/race.h>

#include "builtin.h"

struct rows {
	struct vcpu_abort_nl_stats *v;
	int nr, max;
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: vcpuctl stats [--all-columns]\n"
"\n"
"One row per VM the vcpu_abort module has seen (GET_STATS, needs\n"
"CAP_NET_ADMIN): pid, vm, policy, discarded completions in total, per kind\n"
"(mmio-load, pio-in, ...) and per trigger (explicit, set-regs, vcpu-init,\n"
"...), and \"kept\": register writes that found a completion pending and\n"
"kept it because of the policy. Kind and trigger columns that are zero in\n"
"every row are left out unless --all-columns.\n"
"\n"
"exit codes: 0 done, 1 an error, 2 bad command line, 4 the vcpu_abort\n"
"module is not loaded\n");
}

static int add_row(const struct vcpu_abort_nl_stats *st, void *arg)
{
	struct rows *rows = arg;

	if (rows->nr == rows->max) {
		int max = rows->max ? 2 * rows->max : 16;
		void *v = realloc(rows->v, max * sizeof(*rows->v));

		if (!v)
			return -ENOMEM;
		rows->v = v;
		rows->max = max;
	}
	rows->v[rows->nr++] = *st;
	return 0;
}

static uint64_t total(const struct vcpu_abort_nl_stats *st)
{
	uint64_t sum = 0;
	int k;

	for (k = 1; k < VCPU_ABORT_KIND_COUNT; k++)
		sum += st->kind[k];
	return sum;
}

static int width(const char *name)
{
	int n = strlen(name);

	return n < 5 ? 5 : n;
}

static void print_table(const struct rows *rows, int all)
{
	int show_kind[VCPU_ABORT_KIND_COUNT] = { 0 };
	int show_trig[VCPU_ABORT_TRIGGER_COUNT] = { 0 };
	int i, k;

	for (k = 1; k < VCPU_ABORT_KIND_COUNT; k++)
		for (i = 0; i < rows->nr; i++)
			show_kind[k] |= all || rows->v[i].kind[k];
	for (k = 0; k < VCPU_ABORT_TRIGGER_COUNT; k++)
		for (i = 0; i < rows->nr; i++)
			show_trig[k] |= all || rows->v[i].trigger[k];

	printf("%7s %5s %-7s %9s", "pid", "vm", "policy", "discarded");
	for (k = 1; k < VCPU_ABORT_KIND_COUNT; k++)
		if (show_kind[k])
			printf(" %*s", width(vcpu_abort_kind_short_name(k)),
			       vcpu_abort_kind_short_name(k));
	for (k = 0; k < VCPU_ABORT_TRIGGER_COUNT; k++)
		if (show_trig[k])
			printf(" %*s", width(vcpu_abort_trigger_name(k)),
			       vcpu_abort_trigger_name(k));
	printf(" %5s\n", "kept");

	for (i = 0; i < rows->nr; i++) {
		const struct vcpu_abort_nl_stats *st = &rows->v[i];

		printf("%7u %5u %-7s %9llu", st->pid, st->vm_id,
		       vcpu_abort_policy_name(st->policy),
		       (unsigned long long)total(st));
		for (k = 1; k < VCPU_ABORT_KIND_COUNT; k++)
			if (show_kind[k])
				printf(" %*llu",
				       width(vcpu_abort_kind_short_name(k)),
				       (unsigned long long)st->kind[k]);
		for (k = 0; k < VCPU_ABORT_TRIGGER_COUNT; k++)
			if (show_trig[k])
				printf(" %*llu",
				       width(vcpu_abort_trigger_name(k)),
				       (unsigned long long)st->trigger[k]);
		printf(" %5llu\n", (unsigned long long)st->kept);
	}
	if (!rows->nr)
		printf("(no VM seen by the module)\n");
}

int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all-columns", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rows rows = { 0 };
	struct vcpu_abort_nl nl;
	int opt, all = 0, ret;

	while ((opt = getopt_long(argc, argv, "ah", opts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			all = 1;
			break;
		case 'h':
			usage(stdout);
			return VCPUCTL_EXIT_OK;
		default:
			usage(stderr);
			return VCPUCTL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return VCPUCTL_EXIT_USAGE;
	}

	ret = vcpu_abort_nl_open(&nl);
	if (ret) {
		fprintf(stderr, "vcpuctl stats: %s\n", nl.err);
		vcpu_abort_nl_close(&nl);
		return ret == -ENOENT ? VCPUCTL_EXIT_SKIP : VCPUCTL_EXIT_FAIL;
	}
	ret = vcpu_abort_nl_stats(&nl, add_row, &rows);
	if (ret)
		fprintf(stderr, "vcpuctl stats: %s\n",
			ret == -ENOMEM ? strerror(ENOMEM) : nl.err);
	else
		print_table(&rows, all);
	vcpu_abort_nl_close(&nl);
	free(rows.v);
	return ret ? VCPUCTL_EXIT_FAIL : VCPUCTL_EXIT_OK;
}
