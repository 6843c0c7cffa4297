// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl monitor: one line per completion the vcpu_abort module discards,
 * as the "events" multicast group of its generic netlink family reports
 * them, until SIGINT/SIGTERM or --count events.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vcpuctl/genl.h>
#include <vcpuctl/race.h>

#include "builtin.h"

static volatile sig_atomic_t stop;

struct monitor {
	long count;	/* stop after this many events; 0: never */
	long seen;
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: vcpuctl monitor [--count N]\n"
"\n"
"Prints one line per completion the vcpu_abort module discards, as it\n"
"happens (the \"events\" group of the generic netlink family):\n"
"\n"
"  pid 1234 vm 3 vcpu 0 trigger set-regs kind mmio-load dir read addr 0xd000 len 4\n"
"\n"
"addr and len only when the kernel knows them. Runs until SIGINT or\n"
"SIGTERM, or until N events (--count N); says \"listening\" on stderr once\n"
"subscribed.\n"
"\n"
"exit codes: 0 stopped by a signal or after N events, 1 an error, 2 bad\n"
"command line, 4 the vcpu_abort module is not loaded\n");
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *dir_name(uint32_t dir)
{
	switch (dir) {
	case VCPU_ABORT_DIR_READ: return "read";
	case VCPU_ABORT_DIR_WRITE: return "write";
	default: return "none";
	}
}

static void print_event(const struct vcpu_abort_nl_event *ev, void *arg)
{
	const struct vcpu_abort_report *r = &ev->report;
	struct monitor *m = arg;

	if (m->count && m->seen >= m->count)
		return;		/* a datagram may carry more than asked */
	printf("pid %u vm %u vcpu %u trigger %s kind %s dir %s", ev->pid,
	       ev->vm_id, ev->vcpu_id, vcpu_abort_trigger_name(ev->trigger),
	       vcpu_abort_kind_short_name(r->kind), dir_name(r->dir));
	if (r->info & VCPU_ABORT_INFO_ADDR)
		printf(" addr 0x%llx", (unsigned long long)r->addr);
	if (r->info & VCPU_ABORT_INFO_LEN)
		printf(" len %u", r->len);
	printf("\n");
	fflush(stdout);
	m->seen++;
}

static int parse_count(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno || *end || end == s || *out <= 0 ? -1 : 0;
}

int cmd_monitor(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa = { .sa_handler = on_signal };
	struct monitor m = { 0 };
	struct vcpu_abort_nl nl;
	sigset_t block, orig;
	struct pollfd pfd;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			if (parse_count(optarg, &m.count)) {
				fprintf(stderr, "vcpuctl monitor: bad --count '%s'\n\n",
					optarg);
				usage(stderr);
				return VCPUCTL_EXIT_USAGE;
			}
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

	/*
	 * SIGINT/SIGTERM are blocked except inside ppoll(): a signal either
	 * interrupts the wait or is seen before the next one.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	ret = vcpu_abort_nl_open(&nl);
	if (!ret)
		ret = vcpu_abort_nl_subscribe(&nl);
	if (ret) {
		fprintf(stderr, "vcpuctl monitor: %s\n", nl.err);
		vcpu_abort_nl_close(&nl);
		return ret == -ENOENT ? VCPUCTL_EXIT_SKIP : VCPUCTL_EXIT_FAIL;
	}
	fprintf(stderr, "vcpuctl monitor: listening to %s/%s\n",
		VCPU_ABORT_GENL_NAME, VCPU_ABORT_GENL_MCGRP_EVENTS);

	pfd = (struct pollfd) { .fd = vcpu_abort_nl_fd(&nl), .events = POLLIN };
	ret = VCPUCTL_EXIT_OK;
	while (!stop && (!m.count || m.seen < m.count)) {
		int err;

		if (ppoll(&pfd, 1, NULL, &orig) < 0) {
			if (errno == EINTR)
				continue;
			perror("vcpuctl monitor: ppoll");
			ret = VCPUCTL_EXIT_FAIL;
			break;
		}
		/* Drain what is queued, then wait again. */
		do {
			err = vcpu_abort_nl_recv_events(&nl, print_event, &m);
			if (err == -ENOBUFS || err == -EPROTO)
				fprintf(stderr, "vcpuctl monitor: %s\n", nl.err);
		} while ((!err || err == -ENOBUFS || err == -EPROTO) &&
			 (!m.count || m.seen < m.count));
		if (err && err != -EAGAIN && err != -ENOBUFS &&
		    err != -EPROTO) {
			fprintf(stderr, "vcpuctl monitor: %s\n", nl.err);
			ret = VCPUCTL_EXIT_FAIL;
			break;
		}
	}
	vcpu_abort_nl_close(&nl);
	return ret;
}
