// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl monitor: one line per completion the vcpu_abort module discards,
 * as the "events" multicast group of its generic netlink family reports
 * them, until SIGINT/SIGTERM or --count events.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vcpuctl/genl.h>
#include <vcpuctl/race.h>

#include "builtin.h"

/* Set by the signal handler: a lock-free atomic, async-signal-safe. */
static int stop;

struct monitor {
	long count;	/* stop after this many events; 0: never */
	long seen;
};

static void on_signal(int sig)
{
	(void)sig;
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
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

static long count;

static int run_monitor(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct monitor m = { .count = count };
	struct vcpu_abort_nl nl;
	sigset_t block, orig;
	struct pollfd pfd;
	int ret;

	(void)argc;
	(void)argv;
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

	ret = nl_open_or_exit(&nl);
	if (ret >= 0)
		return ret;
	ret = vcpu_abort_nl_subscribe(&nl);
	if (ret) {
		cmd_error("%s", nl.err);
		vcpu_abort_nl_close(&nl);
		return VCPUCTL_EXIT_FAIL;
	}
	cmd_error("listening to %s/%s", VCPU_ABORT_GENL_NAME,
		  VCPU_ABORT_GENL_MCGRP_EVENTS);

	pfd = (struct pollfd) { .fd = vcpu_abort_nl_fd(&nl), .events = POLLIN };
	ret = VCPUCTL_EXIT_OK;
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED) &&
	       (!m.count || m.seen < m.count)) {
		int err;

		if (ppoll(&pfd, 1, NULL, &orig) < 0) {
			if (errno == EINTR)
				continue;
			cmd_error("ppoll: %s", strerror(errno));
			ret = VCPUCTL_EXIT_FAIL;
			break;
		}
		/* Drain what is queued, then wait again. */
		do {
			err = vcpu_abort_nl_recv_events(&nl, print_event, &m);
			if (err == -ENOBUFS || err == -EPROTO)
				cmd_error("%s", nl.err);
		} while ((!err || err == -ENOBUFS || err == -EPROTO) &&
			 (!m.count || m.seen < m.count));
		if (err && err != -EAGAIN && err != -ENOBUFS &&
		    err != -EPROTO) {
			cmd_error("%s", nl.err);
			ret = VCPUCTL_EXIT_FAIL;
			break;
		}
	}
	vcpu_abort_nl_close(&nl);
	return ret;
}

const struct cmd cmd_monitor = {
	.name = "monitor",
	.summary = "one line per discarded completion, as it happens (vcpu_abort\n"
		   "netlink events)",
	.description =
"Prints one line per completion the vcpu_abort module discards, as it\n"
"happens (the \"events\" group of the generic netlink family, needs\n"
"CAP_NET_ADMIN):\n"
"\n"
"  pid 1234 vm 3 vcpu 0 trigger set-regs kind mmio-load dir read addr 0xd000 len 4\n"
"\n"
"addr and len only when the kernel knows them. Runs until SIGINT or\n"
"SIGTERM (exit 0), or until N events; says \"listening\" on stderr once\n"
"subscribed.",
	.opts = (const struct opt[]) {
		OPT_NUMBER('c', "count", &count, "N", 1, 1L << 30,
			   "stop after N events"),
		OPT_END(),
	},
	.run = run_monitor,
};
