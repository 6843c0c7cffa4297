// SPDX-License-Identifier: GPL-2.0
/*
 * Race reports: the detailed table of one case, the one-line-per-case
 * table of --all, and one JSON object per case for programs (--json).
 */
#include <stdio.h>
#include <string.h>

#include <vcpuctl/abort.h>
#include <vcpuctl/arch.h>
#include <vcpuctl/race.h>

static char *reg_list(unsigned int mask, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < arch_nr_regs; i++)
		if (mask & (1u << i))
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? " " : "", arch_reg_names[i]);
	if (!n)
		snprintf(buf, len, "none");
	return buf;
}

static const char *verdict(unsigned int mask, int i)
{
	return mask & (1u << i) ? "CLOBBERED" : "INTACT";
}

static void resume_text(const struct race_result *res, char *buf, size_t len)
{
	switch (res->resume) {
	case RACE_RESUME_NONE:
		snprintf(buf, len, "-");
		break;
	case RACE_RESUME_RESET:
		if (res->resume_offset)
			snprintf(buf, len,
				 "partly: entered at reset+%llu, first instruction(s) skipped",
				 (unsigned long long)res->resume_offset);
		else
			snprintf(buf, len, "yes");
		break;
	case RACE_RESUME_STALE:
		snprintf(buf, len, "no: resumed after the old pending instruction");
		break;
	default:
		snprintf(buf, len, "no: %s", res->resume_desc);
		break;
	}
}

void race_print_case(FILE *f, const struct race_result *res)
{
	const struct race_case *c = &res->c;
	char buf[256];
	int i;

	fprintf(f, "vcpuctl race: %s, exit %s, reset %s by %s, entry %s, abort %s\n",
		arch_name, race_exit_name(c->exit), race_reset_name(c->reset),
		race_by_name(c->by), race_entry_name(c->entry),
		race_abort_name(c->abort));
	arch_describe_host(buf, sizeof(buf));
	fprintf(f, "kvm:           %s\n", buf);
	if (res->status == RACE_SKIP || res->status == RACE_ERROR) {
		if (res->pending[0])
			fprintf(f, "pending exit:  %s\n", res->pending);
		fprintf(f, "result: %s: %s\n", race_status_name(res->status),
			res->reason);
		return;
	}

	fprintf(f, "pending exit:  %s\n", res->pending);
	fprintf(f, "reset:         %s, by %s\n", res->reset_how,
		c->by == RACE_BY_SELF ? "the vCPU thread itself" :
		"another thread while the vCPU thread waits in its exit");
	fprintf(f, "abort hook:    %s\n", c->abort == RACE_ABORT_NONE ?
		"none (nothing between the exit and the reset)" :
		res->aborted[0] ? res->aborted : race_abort_name(c->abort));
	fprintf(f, "next entry:    %s\n", c->entry == RACE_ENTRY_IMMEDIATE ?
		"KVM_RUN with immediate_exit=1 (EINTR, the guest does not run)" :
		"KVM_RUN without immediate_exit (the reset code should run)");
	fprintf(f, "\n%-9s %-18s  %-19s %-19s %-10s %s\n", "register",
		"at the exit", "reset to", "after next KVM_RUN", "verdict",
		"expected");
	for (i = 0; i < arch_nr_regs; i++)
		fprintf(f, "%-9s 0x%016llx  0x%016llx%c 0x%016llx  %-10s %s\n",
			arch_reg_names[i],
			(unsigned long long)res->at_exit.val[i],
			(unsigned long long)res->reset_to.val[i],
			res->reset_wrote & (1u << i) ? '*' : ' ',
			(unsigned long long)res->after.val[i],
			verdict(res->clobbered, i), verdict(res->expected, i));
	fprintf(f, "(* written by the reset; the others are as the reset left them)\n\n");
	if (c->entry == RACE_ENTRY_RUN) {
		resume_text(res, buf, sizeof(buf));
		fprintf(f, "reset code ran: %s\n", buf);
		if (res->resume != RACE_RESUME_NONE && res->resume_desc[0] &&
		    res->resume != RACE_RESUME_OTHER)
			fprintf(f, "                (%s)\n", res->resume_desc);
	} else {
		fprintf(f, "reset code ran: not tried (immediate_exit)\n");
	}
	fprintf(f, "kernel:         %s\n", race_exit_why(c->exit));
	if (res->status == RACE_PASS)
		fprintf(f, "result: PASS (every verdict as expected)\n");
	else
		fprintf(f, "result: FAIL (expected CLOBBERED: %s; got: %s)\n",
			reg_list(res->expected, buf, sizeof(buf)),
			reg_list(res->clobbered, buf + 128, 128));
}

void race_print_table_head(FILE *f, const char *title)
{
	fprintf(f, "%s\n", title);
	fprintf(f, "%3s  %-10s %-9s %-5s %-9s  %-25s %-6s %s\n", "#", "exit",
		"reset", "by", "entry", "CLOBBERED (others INTACT)", "result",
		"reset code ran / reason");
}

void race_print_table_row(FILE *f, int nr, const struct race_result *res)
{
	const struct race_case *c = &res->c;
	char regs[128], last[400], exp[128];

	if (res->status == RACE_SKIP || res->status == RACE_ERROR) {
		snprintf(regs, sizeof(regs), "-");
		snprintf(last, sizeof(last), "%s", res->reason);
	} else {
		reg_list(res->clobbered, regs, sizeof(regs));
		resume_text(res, last, sizeof(last));
		if (res->status == RACE_FAIL) {
			size_t n = strlen(last);

			snprintf(last + n, sizeof(last) - n,
				 "; EXPECTED CLOBBERED: %s",
				 reg_list(res->expected, exp, sizeof(exp)));
		}
	}
	fprintf(f, "%3d  %-10s %-9s %-5s %-9s  %-25s %-6s %s\n", nr,
		race_exit_name(c->exit), race_reset_name(c->reset),
		race_by_name(c->by), race_entry_name(c->entry), regs,
		race_status_name(res->status), last);
}

/* How many cases passed, failed (or errors) and were skipped. */
static void race_count(const struct race_result *res, int nr, int *pass,
		       int *fail, int *skip)
{
	int i;

	*pass = 0;
	*fail = 0;
	*skip = 0;
	for (i = 0; i < nr; i++) {
		if (res[i].status == RACE_PASS)
			(*pass)++;
		else if (res[i].status == RACE_SKIP)
			(*skip)++;
		else
			(*fail)++;
	}
}

int race_exit_code(const struct race_result *res, int nr)
{
	int pass, fail, skip;

	race_count(res, nr, &pass, &fail, &skip);
	if (fail)
		return VCPUCTL_EXIT_FAIL;
	if (nr && skip == nr)
		return VCPUCTL_EXIT_SKIP;
	return VCPUCTL_EXIT_OK;
}

int race_print_table_tail(FILE *f, const struct race_result *res, int nr)
{
	int pass, fail, skip, i;
	char regs[128];

	race_count(res, nr, &pass, &fail, &skip);

	fprintf(f, "\nexpected CLOBBERED registers, from the kernel source (abort none):\n");
	for (i = 0; i < arch_nr_exits; i++) {
		struct race_case c = { .exit = arch_exits[i].exit };

		fprintf(f, "  %-10s %-19s %s\n", race_exit_name(c.exit),
			reg_list(race_expected(&c), regs, sizeof(regs)),
			race_exit_why(c.exit));
	}
	fprintf(f, "\nrace: %d passed, %d failed, %d skipped\n", pass, fail,
		skip);
	return race_exit_code(res, nr);
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* Registers as a JSON array of their names. */
static void json_regs(FILE *f, unsigned int mask)
{
	int i, n = 0;

	fputc('[', f);
	for (i = 0; i < arch_nr_regs; i++)
		if (mask & (1u << i)) {
			fputs(n++ ? "," : "", f);
			json_str(f, arch_reg_names[i]);
		}
	fputc(']', f);
}

void race_print_json(FILE *f, const struct race_result *res)
{
	const struct race_case *c = &res->c;
	char host[160], resume[400];

	arch_describe_host(host, sizeof(host));
	resume_text(res, resume, sizeof(resume));
	fprintf(f, "{\"arch\":");
	json_str(f, arch_name);
	fprintf(f, ",\"kvm\":");
	json_str(f, host);
	fprintf(f, ",\"exit\":\"%s\",\"reset\":\"%s\",\"by\":\"%s\",",
		race_exit_name(c->exit), race_reset_name(c->reset),
		race_by_name(c->by));
	fprintf(f, "\"entry\":\"%s\",\"abort\":\"%s\",",
		race_entry_name(c->entry), race_abort_name(c->abort));
	fprintf(f, "\"policy\":\"%s\",\"status\":\"%s\",\"clobbered\":",
		c->abort == RACE_ABORT_AUTO ?
		race_abort_policy_name(race_abort_policy()) : "-",
		race_status_name(res->status));
	json_regs(f, res->status == RACE_PASS || res->status == RACE_FAIL ?
		  res->clobbered : 0);
	fprintf(f, ",\"expected\":");
	json_regs(f, res->expected);
	fprintf(f, ",\"reset_code_ran\":");
	json_str(f, c->entry == RACE_ENTRY_RUN ? resume : "-");
	fprintf(f, ",\"reason\":");
	json_str(f, res->status == RACE_PASS || res->status == RACE_FAIL ?
		 "" : res->reason);
	fprintf(f, "}\n");
}
