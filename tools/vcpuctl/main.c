// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl: the command table, the global options, and what the commands
 * share (builtin.h).
 */
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/genl.h>
#include <vcpuctl/kvm.h>
#include <vcpuctl/race.h>

#include "builtin.h"

#ifndef VCPUCTL_VERSION
#error "VCPUCTL_VERSION: the Makefile passes VCPU_ABORT_VERSION of Kbuild"
#endif

static const struct cmd *const commands[] = {
	&cmd_info, &cmd_race, &cmd_query, &cmd_abort, &cmd_policy,
	&cmd_stats, &cmd_monitor, &cmd_sync, &cmd_bench,
};

const struct cmd *current_cmd;
/* --kvm-dev or $VCPUCTL_KVM_DEV named the device: it must work. */
static bool kvm_dev_given;

void cmd_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vcpuctl: %s%s", current_cmd ? current_cmd->name : "",
		current_cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int need_kvm(void)
{
	char why[VM_ERR_LEN];
	int fd;

	fd = kvm_open_dev(why, sizeof(why));
	if (fd >= 0) {
		close(fd);
		return -1;
	}
	if (fd == -ENOENT && !kvm_dev_given) {
		cmd_error("no KVM on this machine (%s)", why);
		return VCPUCTL_EXIT_SKIP;
	}
	cmd_error("%s", why);
	return VCPUCTL_EXIT_FAIL;
}

int module_missing(const char *why)
{
	cmd_error("the vcpu_abort module is not loaded (%s)", why);
	return VCPUCTL_EXIT_SKIP;
}

int nl_open_or_exit(struct vcpu_abort_nl *nl)
{
	int ret = vcpu_abort_nl_open(nl);

	if (!ret)
		return -1;
	if (ret == -ENOENT) {
		ret = module_missing("generic netlink family " VCPU_ABORT_GENL_NAME
				     " not found");
	} else {
		cmd_error("%s", nl->err);
		ret = VCPUCTL_EXIT_FAIL;
	}
	vcpu_abort_nl_close(nl);
	return ret;
}

/* What vcpuctl --help and vcpuctl help print. */
static const char main_help_head[] =
	"usage: vcpuctl [--kvm-dev PATH] <command> [options]\n"
	"       vcpuctl --version | --help | help [<command>]\n"
	"\n"
	"A small VMM (%s build) that shows what a pending MMIO/PIO/hypercall/MSR\n"
	"completion does to a vCPU reset, and the control tool of the vcpu_abort\n"
	"module.\n"
	"\n"
	"commands:\n";

static const char main_help_tail[] =
	"  help     this text; 'vcpuctl help <command>' or 'vcpuctl <command>\n"
	"           --help' for a command's options\n"
	"\n"
	"options:\n"
	"  --kvm-dev PATH   KVM device (default %s, or $VCPUCTL_KVM_DEV)\n"
	"  --version        print the version\n"
	"  -h, --help       this text\n"
	"\n%s";

static void print_main_help(FILE *f)
{
	const char *p;
	unsigned int i;

	fprintf(f, main_help_head, arch_name);
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		fprintf(f, "  %-8s ", commands[i]->name);
		for (p = commands[i]->summary; *p; p++) {
			fputc(*p, f);
			if (*p == '\n')
				fprintf(f, "%11s", "");
		}
		fputc('\n', f);
	}
	fprintf(f, main_help_tail, KVM_DEV_DEFAULT, exit_code_rule);
}

static const struct cmd *find_cmd(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

static int run_help(int argc, char **argv)
{
	const struct cmd *cmd;

	if (argc < 2) {
		print_main_help(stdout);
		return VCPUCTL_EXIT_OK;
	}
	cmd = find_cmd(argv[1]);
	if (!cmd || argc > 2)
		return usage_error(NULL, "help: %s '%s'",
				   cmd ? "unexpected argument" : "no command",
				   argv[cmd ? 2 : 1]);
	print_usage(stdout, cmd);
	return VCPUCTL_EXIT_OK;
}

/* Append @str to @buf at *@len. */
static void append_str(char *buf, size_t *len, const char *str)
{
	size_t n = strlen(str);

	memcpy(buf + *len, str, n);
	*len += n;
}

/* Append @v in @base (10 or 16) to @buf at *@len. */
static void append_unsigned(char *buf, size_t *len, unsigned long long v,
			    unsigned int base)
{
	char digits[24];
	size_t n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v && n < sizeof(digits));
	while (n)
		buf[(*len)++] = digits[--n];
}

/*
 * A crash says where: the signal, the faulting address and the return
 * addresses (addr2line -e vcpuctl resolves them), on stderr, which the
 * lab's console and CI's summary keep. Then the default action, so the
 * exit status is still the signal's.
 *
 * The first line is formatted by hand and written by the raw system
 * call: no stdio, no strsignal(), nothing that reads the thread pointer
 * (errno, locale, cancellation), because a crash may come from that
 * pointer itself. One seen on arm64 Linux 6.12 under nested KVM: the
 * thread's TPIDR_EL0 held 0x1de7ec7edbadc0de, the value KVM gives a
 * vCPU's TPIDR_EL0 on reset, and strsignal() faulted a second time on it
 * before a word was out.
 */
static void report_fatal_signal(int sig, siginfo_t *si, void *uctx)
{
	void *frames[32];
	char line[128];
	size_t len = 0;
	int n;

	(void)uctx;
	append_str(line, &len, "vcpuctl: fatal signal ");
	append_unsigned(line, &len, (unsigned int)sig, 10);
	append_str(line, &len, " at address 0x");
	append_unsigned(line, &len, (uintptr_t)si->si_addr, 16);
	append_str(line, &len, "; backtrace:\n");
	/* Not write(): a cancellation point, it reads the thread pointer. */
	if (syscall(SYS_write, STDERR_FILENO, line, len) < 0)
		len = 0;
	n = backtrace(frames, 32);
	backtrace_symbols_fd(frames, n, STDERR_FILENO);
	raise(sig);
}

static void catch_fatal_signals(void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	struct sigaction sa = {
		.sa_sigaction = report_fatal_signal,
		.sa_flags = SA_SIGINFO | SA_RESETHAND,
	};
	void *first_frame[1];
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(fatal); i++)
		sigaction(fatal[i], &sa, NULL);
	/* backtrace() loads libgcc on its first call: not in the handler. */
	backtrace(first_frame, 1);
}

int main(int argc, char **argv)
{
	const char *env = getenv("VCPUCTL_KVM_DEV");
	const struct cmd *cmd;
	int i, ret;

	catch_fatal_signals();
	kvm_dev_given = env && *env;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			print_main_help(stdout);
			return VCPUCTL_EXIT_OK;
		} else if (!strcmp(a, "--version")) {
			printf("vcpuctl %s\n", VCPUCTL_VERSION);
			return VCPUCTL_EXIT_OK;
		} else if (!strcmp(a, "--kvm-dev") && i + 1 < argc) {
			kvm_set_dev_path(argv[++i]);
			kvm_dev_given = true;
		} else if (!strncmp(a, "--kvm-dev=", 10) && a[10]) {
			kvm_set_dev_path(a + 10);
			kvm_dev_given = true;
		} else if (!strcmp(a, "--kvm-dev")) {
			return usage_error(NULL, "option '--kvm-dev' needs a value (PATH)");
		} else {
			return usage_error(NULL, "unknown option '%s'", a);
		}
	}
	if (i >= argc)
		return usage_error(NULL, "no command given");
	argc -= i;
	argv += i;
	if (!strcmp(argv[0], "help"))
		return run_help(argc, argv);
	cmd = find_cmd(argv[0]);
	if (!cmd)
		return usage_error(NULL, "unknown command '%s'", argv[0]);
	current_cmd = cmd;
	ret = parse_options(cmd, &argc, argv);
	if (ret < 0 && cmd->check)
		ret = cmd->check(argc, argv);
	if (ret < 0 && cmd->needs_kvm)
		ret = need_kvm();
	return ret >= 0 ? ret : cmd->run(argc, argv);
}
