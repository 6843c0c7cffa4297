// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl stats: the module's GET_STATS dump as a table, one row per VM it
 * has seen: the policy, the discarded completions per kind and per
 * trigger, and the completions a register write found and kept.
 */
#include <errno.h>
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

static int all_columns;

static int run_stats(int argc, char **argv)
{
	struct rows rows = { 0 };
	struct vcpu_abort_nl nl;
	int ret;

	(void)argc;
	(void)argv;
	ret = nl_open_or_exit(&nl);
	if (ret >= 0)
		return ret;
	ret = vcpu_abort_nl_stats(&nl, add_row, &rows);
	if (ret)
		cmd_error("%s", ret == -ENOMEM ? strerror(ENOMEM) : nl.err);
	else
		print_table(&rows, all_columns);
	vcpu_abort_nl_close(&nl);
	free(rows.v);
	return ret ? VCPUCTL_EXIT_FAIL : VCPUCTL_EXIT_OK;
}

const struct cmd cmd_stats = {
	.name = "stats",
	.summary = "what the module discarded and kept, per VM (vcpu_abort netlink)",
	.description =
"One row per VM the vcpu_abort module has seen (GET_STATS, needs\n"
"CAP_NET_ADMIN): pid, vm, policy, discarded completions in total, per kind\n"
"(mmio-load, pio-in, ...) and per trigger (explicit, set-regs, vcpu-init,\n"
"...), and \"kept\": register writes that found a completion pending and\n"
"kept it because of the policy.",
	.opts = (const struct opt[]) {
		OPT_FLAG('a', "all-columns", &all_columns,
			 "also the kind and trigger columns that are zero in\n"
			 "every row"),
		OPT_END(),
	},
	.run = run_stats,
};
