/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small libnl-genl-3 client of the vcpu_abort generic netlink family
 * (uapi/linux/vcpu_abort.h): QUERY/ABORT a vCPU, SET/GET_POLICY of a VM or
 * of the module's default, the GET_STATS dump, and the "events" multicast
 * group. Every call returns 0 or -errno; on failure nl->err holds one line
 * saying what failed, with the kernel's extended ack message if it sent
 * one ("SET_POLICY: Invalid argument: policy out of range").
 */
#ifndef VCPUCTL_GENL_H
#define VCPUCTL_GENL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/vcpu_abort.h>

#include <vcpuctl/compiler.h>

struct nl_sock;
struct vcpu_abort_nl_prepared;

#define VCPU_ABORT_NL_ERR_LEN	320

/* The message of vcpu_abort_nl_open() when the family is not registered. */
#define VCPU_ABORT_NL_NOT_LOADED \
	"vcpu_abort module not loaded (generic netlink family " \
	VCPU_ABORT_GENL_NAME " not found)"

struct vcpu_abort_nl {
	struct nl_sock *sk;
	int family;
	/* What requests reuse: callbacks, the QUERY/ABORT message. */
	struct vcpu_abort_nl_prepared *prep;
	char err[VCPU_ABORT_NL_ERR_LEN];
};

/*
 * Connects and resolves the family. -ENOENT (err is
 * VCPU_ABORT_NL_NOT_LOADED) when the module is not loaded: callers map it
 * to a skip. vcpu_abort_nl_close() is safe after a failed open.
 */
int vcpu_abort_nl_open(struct vcpu_abort_nl *nl);
void vcpu_abort_nl_close(struct vcpu_abort_nl *nl);

/*
 * VCPU_ABORT_CMD_QUERY or VCPU_ABORT_CMD_ABORT of vcpu_fd (a fd of this
 * process) with VCPU_ABORT_FLAG_* flags; fills report.
 */
int vcpu_abort_nl_query(struct vcpu_abort_nl *nl, uint8_t cmd, int vcpu_fd,
			uint32_t flags, struct vcpu_abort_report *report);

/*
 * The cheapest request of the family: a command it does not have, which
 * generic netlink refuses (EOPNOTSUPP) before any of the module's code
 * runs. 0 when it was refused so; what any request costs (the bench's
 * netlink floor).
 */
int vcpu_abort_nl_null(struct vcpu_abort_nl *nl);

/*
 * The policy of the VM of fd (a vCPU or VM fd of this process; flags may
 * hold VCPU_ABORT_FLAG_FOREIGN_VM), or with fd < 0 the module's default.
 * vm_id (may be NULL) gets the module's number of the VM (SET_POLICY
 * asks with a GET_POLICY), or VCPU_ABORT_NL_NO_VM when the kernel did not
 * name one (the default).
 */
#define VCPU_ABORT_NL_NO_VM	UINT32_MAX
int vcpu_abort_nl_set_policy(struct vcpu_abort_nl *nl, int fd, uint32_t flags,
			     uint32_t policy, uint32_t *vm_id);
int vcpu_abort_nl_get_policy(struct vcpu_abort_nl *nl, int fd, uint32_t flags,
			     uint32_t *policy, uint32_t *vm_id);

/* One VM of the GET_STATS dump. */
struct vcpu_abort_nl_stats {
	uint32_t pid;
	uint32_t vm_id;
	uint32_t policy;
	uint64_t kind[VCPU_ABORT_KIND_COUNT];		/* [0] unused */
	uint64_t trigger[VCPU_ABORT_TRIGGER_COUNT];
	uint64_t kept;
};

/*
 * The GET_STATS dump: cb once per VM, in the kernel's order. A non-zero
 * return of cb is returned once the dump is drained.
 */
int vcpu_abort_nl_stats(struct vcpu_abort_nl *nl,
			int (*cb)(const struct vcpu_abort_nl_stats *st,
				  void *arg),
			void *arg);

/* One VCPU_ABORT_CMD_EVENT: a completion the module discarded. */
struct vcpu_abort_nl_event {
	uint32_t pid;
	uint32_t vm_id;
	uint32_t vcpu_id;
	uint32_t trigger;
	/* info has VCPU_ABORT_INFO_ADDR/LEN when addr/len were sent. */
	struct vcpu_abort_report report;
};

/*
 * Joins the "events" group on this socket (sequence checks off, socket
 * non-blocking): from then on use it for events only. Its fd is
 * vcpu_abort_nl_fd(), to poll for POLLIN.
 */
int vcpu_abort_nl_subscribe(struct vcpu_abort_nl *nl);
int vcpu_abort_nl_fd(const struct vcpu_abort_nl *nl);
/*
 * Reads what is queued (one datagram) and calls cb per event: 0, -EAGAIN
 * when nothing was queued, -ENOBUFS when the kernel dropped events because
 * the socket's buffer was full (the socket stays usable).
 */
int vcpu_abort_nl_recv_events(struct vcpu_abort_nl *nl,
			      void (*cb)(const struct vcpu_abort_nl_event *ev,
					 void *arg),
			      void *arg);

/* One KVM function the policies probe (GET_HOOKS). */
struct vcpu_abort_nl_hook {
	char symbol[128];
	uint32_t state;		/* enum vcpu_abort_hook_state */
	uint32_t err;		/* positive errno of a FAILED hook, or 0 */
	uint32_t policies;	/* bit N: policy N needs it */
	uint32_t trigger;
	/* enum vcpu_abort_hook_mechanism, if READY (older modules: 0) */
	uint32_t mechanism;
};

/* GET_HOOKS: how the policies see KVM on this kernel. */
struct vcpu_abort_nl_hooks {
	uint32_t armed;			/* the probes are armed now */
	uint32_t kprobes_disarmed;	/* system-wide: no policy can act */
	uint32_t destroy_hook;		/* enum vcpu_abort_destroy_hook */
	unsigned int nr;
	struct vcpu_abort_nl_hook hook[32];
};

int vcpu_abort_nl_get_hooks(struct vcpu_abort_nl *nl,
			    struct vcpu_abort_nl_hooks *hooks);
/* "ready", "missing", "cloned", "failed", "disabled"; "?" otherwise. */
const char *vcpu_abort_hook_state_name(uint32_t state);
const char *vcpu_abort_hook_mechanism_name(uint32_t mechanism);

/* "off", "reset", "always"; "?" for anything else. */
const char *vcpu_abort_policy_name(uint32_t policy);
/* The policy of a name, or -1. */
int vcpu_abort_policy_parse(const char *name);
/* "explicit", "set-regs", "sync-regs", ... ; "?" for anything else. */
const char *vcpu_abort_trigger_name(uint32_t trigger);
/* "mmio-load", "pio-in", ... (column names); "?" for anything else. */
const char *vcpu_abort_kind_short_name(uint32_t kind);

#endif /* VCPUCTL_GENL_H */
