// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_abort transport: the generic netlink family VCPU_ABORT_GENL_NAME,
 * described by Documentation/netlink/specs/vcpu_abort.yaml. It only turns
 * attributes into arguments and results into attributes; the work is
 * vcpu_abort_do()'s and the policy functions' in vm.c, so that the ioctls
 * and this family validate, lock and answer the same way.
 */
#include <linux/capability.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>

#include "vcpu_abort.h"

/* Index into vcpu_abort_nl_mcgrps, not the group id the kernel assigns. */
enum vcpu_abort_nl_mcgrp {
	VCPU_ABORT_NL_MCGRP_EVENTS,
};

/*
 * The nests of per-kind and per-trigger counters use the attribute type as
 * the index, and type 0 is no counter in either: nla_put_u64_64bit() may
 * pad with it (only on architectures without efficient unaligned access).
 */
#define VCPU_ABORT_NL_COUNTER_PAD	0

static struct genl_family vcpu_abort_nl_family;

/*
 * Request policies, one per message layout. Strict validation (no op sets
 * GENL_DONT_VALIDATE_*) rejects attributes beyond an op's maxattr, types
 * without a policy entry and wrong lengths, each with an extack message
 * and offset: REPORT, PID, STATS, ... are replies only, so a request that
 * carries one fails.
 */
static const struct nla_policy vcpu_abort_nl_fd_req_policy[] = {
	[VCPU_ABORT_A_FD]	= { .type = NLA_S32 },
	[VCPU_ABORT_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, VCPU_ABORT_FLAGS_ALL),
};

static const struct nla_policy vcpu_abort_nl_set_req_policy[] = {
	[VCPU_ABORT_A_FD]	= { .type = NLA_S32 },
	[VCPU_ABORT_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, VCPU_ABORT_FLAGS_ALL),
	[VCPU_ABORT_A_POLICY]	= NLA_POLICY_MAX(NLA_U32,
						 VCPU_ABORT_POLICY_COUNT - 1),
};

/* Reply space for VCPU_ABORT_A_REPORT with every member present. */
static size_t vcpu_abort_nl_report_size(void)
{
	return nla_total_size(0) +			/* the nest */
	       nla_total_size_64bit(sizeof(u64)) +	/* ADDR */
	       7 * nla_total_size(sizeof(u32));		/* the u32 members */
}

static int vcpu_abort_nl_put_report(struct sk_buff *skb,
				    const struct vcpu_abort_report *report)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, VCPU_ABORT_A_REPORT);
	if (!nest)
		return -EMSGSIZE;

	/* ADDR and LEN only when valid: absent means unknown. */
	if (nla_put_u32(skb, VCPU_ABORT_REPORT_A_KIND, report->kind) ||
	    nla_put_u32(skb, VCPU_ABORT_REPORT_A_DIR, report->dir) ||
	    ((report->info & VCPU_ABORT_INFO_ADDR) &&
	     nla_put_u64_64bit(skb, VCPU_ABORT_REPORT_A_ADDR, report->addr,
			       VCPU_ABORT_REPORT_A_PAD)) ||
	    ((report->info & VCPU_ABORT_INFO_LEN) &&
	     nla_put_u32(skb, VCPU_ABORT_REPORT_A_LEN, report->len)) ||
	    nla_put_u32(skb, VCPU_ABORT_REPORT_A_COUNT, report->count) ||
	    nla_put_u32(skb, VCPU_ABORT_REPORT_A_DEST_CLASS,
			report->dest_class) ||
	    nla_put_u32(skb, VCPU_ABORT_REPORT_A_DEST_REG, report->dest_reg) ||
	    nla_put_u32(skb, VCPU_ABORT_REPORT_A_INFO, report->info)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}

	nla_nest_end(skb, nest);
	return 0;
}

static u32 vcpu_abort_nl_flags(const struct genl_info *info)
{
	const struct nlattr *attr = info->attrs[VCPU_ABORT_A_FLAGS];

	return attr ? nla_get_u32(attr) : 0;
}

/*
 * QUERY and ABORT never wait for a vCPU in KVM_RUN here: the wait would
 * hold genetlink's cb_lock for reading, and a family being registered or
 * unregistered meanwhile would stall every genetlink request behind it.
 * The ioctls wait; netlink says EBUSY.
 */
static u32 vcpu_abort_nl_do_flags(const struct genl_info *info)
{
	return vcpu_abort_nl_flags(info) | VCPU_ABORT_FLAG_NONBLOCK;
}

/*
 * Say in the extended ack why a fd was refused: the errno alone is
 * ambiguous (EPERM for a foreign VM and for a missing capability, EBADFD
 * for a VM fd where a vCPU was wanted). @vm_fd_ok: a VM fd was acceptable.
 */
static void vcpu_abort_nl_explain(const struct genl_info *info, int err,
				  bool vm_fd_ok)
{
	struct netlink_ext_ack *extack = info->extack;
	const struct nlattr *fd = info->attrs[VCPU_ABORT_A_FD];

	switch (err) {
	case -EBADF:
		NL_SET_ERR_MSG_ATTR(extack, fd, "fd is not open");
		break;
	case -ENODEV:
		NL_SET_ERR_MSG_ATTR(extack, fd, "fd is not a KVM file");
		break;
	case -EBADFD:
		if (vm_fd_ok)
			NL_SET_ERR_MSG_ATTR(extack, fd,
					    "fd is a KVM file but neither a vCPU nor a VM");
		else
			NL_SET_ERR_MSG_ATTR(extack, fd,
					    "fd is a KVM file but not a vCPU");
		break;
	case -EPERM:
		NL_SET_ERR_MSG_ATTR(extack, fd,
				    "VM of another process; set VCPU_ABORT_FLAG_FOREIGN_VM");
		break;
	case -EBUSY:
		NL_SET_ERR_MSG_ATTR(extack, fd,
				    "vCPU busy in KVM_RUN or another ioctl (netlink never waits; stop the vCPU or retry)");
		break;
	case -EINTR:
		NL_SET_ERR_MSG(extack,
			       "fatal signal while waiting for the vCPU");
		break;
	case -EOPNOTSUPP:
		/* A refused policy said why already. */
		if (!extack->_msg)
			NL_SET_ERR_MSG_ATTR(extack, fd,
					    "the module may not touch this vCPU (protected guest state, powerpc nested-v2)");
		break;
	case -ENOMEM:
		NL_SET_ERR_MSG(extack, "out of memory");
		break;
	}
}

static int vcpu_abort_nl_query_abort(struct genl_info *info,
				     enum vcpu_abort_op op)
{
	struct vcpu_abort_report report;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, VCPU_ABORT_A_FD))
		return -EINVAL;

	/*
	 * Build the reply's header before acting, as the ioctl proves its
	 * buffer writable: an ABORT that happened must not lose its report
	 * to an allocation failure.
	 */
	msg = genlmsg_new(vcpu_abort_nl_report_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vcpu_abort_nl_family, 0,
				info->genlhdr->cmd);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto free;
	}

	ret = vcpu_abort_do(nla_get_s32(info->attrs[VCPU_ABORT_A_FD]), op,
			    vcpu_abort_nl_do_flags(info), &report, NULL);
	if (ret) {
		vcpu_abort_nl_explain(info, ret, false);
		goto free;
	}

	/* Cannot fail: the message was sized for a full report. */
	ret = vcpu_abort_nl_put_report(msg, &report);
	if (ret)
		goto free;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

free:
	nlmsg_free(msg);
	return ret;
}

static int vcpu_abort_nl_query_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	return vcpu_abort_nl_query_abort(info, VCPU_ABORT_OP_QUERY);
}

static int vcpu_abort_nl_abort_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	return vcpu_abort_nl_query_abort(info, VCPU_ABORT_OP_ABORT);
}

static int vcpu_abort_nl_set_policy_doit(struct sk_buff *skb,
					 struct genl_info *info)
{
	enum vcpu_abort_policy policy;
	u32 vm_id;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, VCPU_ABORT_A_POLICY))
		return -EINVAL;
	/* In range: the request policy checked it. */
	policy = nla_get_u32(info->attrs[VCPU_ABORT_A_POLICY]);

	if (!info->attrs[VCPU_ABORT_A_FD]) {
		/*
		 * The default governs the VMs of every user: CAP_NET_ADMIN
		 * in the initial user namespace, checked as GENL_ADMIN_PERM
		 * does. With a fd, the fd is the permission.
		 */
		if (!netlink_capable(skb, CAP_NET_ADMIN)) {
			NL_SET_ERR_MSG(info->extack,
				       "changing the default policy needs CAP_NET_ADMIN");
			return -EPERM;
		}
		ret = vcpu_abort_default_policy_set(policy, info->extack);
		if (ret)
			NL_SET_BAD_ATTR(info->extack,
					info->attrs[VCPU_ABORT_A_POLICY]);
		return ret;
	}

	ret = vcpu_abort_policy_set(nla_get_s32(info->attrs[VCPU_ABORT_A_FD]),
				    vcpu_abort_nl_flags(info), policy,
				    info->extack, &vm_id);
	/* Refused policies (EOPNOTSUPP), unarmable hooks (EBUSY): said why. */
	if (ret == -EOPNOTSUPP || (ret == -EBUSY && info->extack->_msg))
		NL_SET_BAD_ATTR(info->extack, info->attrs[VCPU_ABORT_A_POLICY]);
	else if (ret)
		vcpu_abort_nl_explain(info, ret, true);
	return ret;
}

static int vcpu_abort_nl_get_policy_doit(struct sk_buff *skb,
					 struct genl_info *info)
{
	const struct nlattr *fd = info->attrs[VCPU_ABORT_A_FD];
	enum vcpu_abort_policy policy;
	struct sk_buff *msg;
	u32 vm_id = 0;
	void *hdr;
	int ret;

	if (fd) {
		ret = vcpu_abort_policy_get(nla_get_s32(fd),
					    vcpu_abort_nl_flags(info),
					    &policy, &vm_id);
		if (ret) {
			vcpu_abort_nl_explain(info, ret, true);
			return ret;
		}
	} else {
		policy = vcpu_abort_default_policy();
	}

	msg = genlmsg_new(2 * nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vcpu_abort_nl_family, 0,
				VCPU_ABORT_CMD_GET_POLICY);
	/* The default belongs to no VM: no VM_ID. */
	if (!hdr || nla_put_u32(msg, VCPU_ABORT_A_POLICY, policy) ||
	    (fd && nla_put_u32(msg, VCPU_ABORT_A_VM_ID, vm_id))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* A nest of u64 counters whose attribute type is @first + index. */
static int vcpu_abort_nl_put_counters(struct sk_buff *skb, int attrtype,
				      const u64 *counters, unsigned int n,
				      int first)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, attrtype);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		if (nla_put_u64_64bit(skb, first + i, counters[i],
				      VCPU_ABORT_NL_COUNTER_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int vcpu_abort_nl_put_stats(struct sk_buff *skb,
				   const struct vcpu_abort_vm_snapshot *snap)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, VCPU_ABORT_A_STATS);
	if (!nest)
		return -EMSGSIZE;

	/* Kind N is type N; KIND_NONE is never discarded, so never sent. */
	if (vcpu_abort_nl_put_counters(skb, VCPU_ABORT_STATS_A_KIND,
				       &snap->kind[VCPU_ABORT_KIND_NONE + 1],
				       VCPU_ABORT_KIND_COUNT - 1,
				       VCPU_ABORT_KIND_NONE + 1) ||
	    /* Trigger N is type N + 1: trigger 0 (EXPLICIT) is a real one. */
	    vcpu_abort_nl_put_counters(skb, VCPU_ABORT_STATS_A_TRIGGER,
				       snap->trigger, VCPU_ABORT_TRIGGER_COUNT,
				       1) ||
	    nla_put_u64_64bit(skb, VCPU_ABORT_STATS_A_KEPT, snap->kept,
			      VCPU_ABORT_STATS_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}

	nla_nest_end(skb, nest);
	return 0;
}

static int vcpu_abort_nl_fill_vm(struct sk_buff *skb,
				 struct netlink_callback *cb,
				 const struct vcpu_abort_vm_snapshot *snap)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &vcpu_abort_nl_family, NLM_F_MULTI,
			  VCPU_ABORT_CMD_GET_STATS);
	if (!hdr)
		return -EMSGSIZE;

	if (nla_put_u32(skb, VCPU_ABORT_A_PID, snap->pid) ||
	    nla_put_u32(skb, VCPU_ABORT_A_VM_ID, snap->vm_id) ||
	    nla_put_u32(skb, VCPU_ABORT_A_POLICY, snap->policy) ||
	    vcpu_abort_nl_put_stats(skb, snap)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}

	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * One message per VM, in VM id order. cb->args[0] is the id to continue
 * from, so a VM that appears or goes away between two parts of the dump
 * neither repeats nor hides another.
 */
static int vcpu_abort_nl_get_stats_dumpit(struct sk_buff *skb,
					  struct netlink_callback *cb)
{
	struct vcpu_abort_vm_snapshot snap;
	u32 next = cb->args[0];
	int ret;

	for (;;) {
		u32 this = next;

		ret = vcpu_abort_vm_snapshot_next(&next, &snap);
		if (ret)
			break;
		ret = vcpu_abort_nl_fill_vm(skb, cb, &snap);
		if (ret) {
			/* This VM goes first into the next part. */
			next = this;
			break;
		}
	}
	cb->args[0] = next;

	/* Done once a part comes out empty. */
	if (ret == -ENOENT || (ret == -EMSGSIZE && skb->len))
		return skb->len;
	return ret;
}

static int vcpu_abort_nl_put_hook(struct sk_buff *skb,
				  const struct vcpu_abort_hook_info *hook)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, VCPU_ABORT_A_HOOK);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, VCPU_ABORT_HOOK_A_SYMBOL, hook->symbol) ||
	    nla_put_u32(skb, VCPU_ABORT_HOOK_A_STATE, hook->state) ||
	    (hook->err &&
	     nla_put_u32(skb, VCPU_ABORT_HOOK_A_ERRNO, hook->err)) ||
	    nla_put_u32(skb, VCPU_ABORT_HOOK_A_POLICIES, hook->policies) ||
	    nla_put_u32(skb, VCPU_ABORT_HOOK_A_TRIGGER, hook->trigger) ||
	    (hook->state == VCPU_ABORT_HOOK_STATE_READY &&
	     nla_put_u32(skb, VCPU_ABORT_HOOK_A_MECHANISM, hook->mechanism))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * How the policies see KVM on this kernel: which functions are probed,
 * whether the probes are armed, and what could blind them. Names no
 * process or VM: unprivileged.
 */
static int vcpu_abort_nl_get_hooks_doit(struct sk_buff *skb,
					struct genl_info *info)
{
	struct vcpu_abort_hook_info hook;
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vcpu_abort_nl_family, 0,
				VCPU_ABORT_CMD_GET_HOOKS);
	if (!hdr)
		goto too_big;
	if (nla_put_u32(msg, VCPU_ABORT_A_HOOKS_ARMED,
			vcpu_abort_hooks_armed()) ||
	    nla_put_u32(msg, VCPU_ABORT_A_KPROBES_DISARMED,
			vcpu_abort_kprobes_disarmed()) ||
	    nla_put_u32(msg, VCPU_ABORT_A_VM_DESTROY_HOOK,
			vcpu_abort_vm_destroy_hook()))
		goto too_big;
	for (i = 0; !vcpu_abort_hook_info(i, &hook); i++)
		if (vcpu_abort_nl_put_hook(msg, &hook))
			goto too_big;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

too_big:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/*
 * No GENL_ADMIN_PERM on the commands that take a fd: the caller's fd is
 * the permission, as for the ioctls. parallel_ops: nothing here needs
 * genl_mutex, the lock of every other non-parallel family; QUERY and
 * ABORT never wait for a vCPU (vcpu_abort_nl_do_flags()).
 */
static const struct genl_ops vcpu_abort_nl_ops[] = {
	{
		.cmd		= VCPU_ABORT_CMD_QUERY,
		.doit		= vcpu_abort_nl_query_doit,
		.policy		= vcpu_abort_nl_fd_req_policy,
		.maxattr	= ARRAY_SIZE(vcpu_abort_nl_fd_req_policy) - 1,
	},
	{
		.cmd		= VCPU_ABORT_CMD_ABORT,
		.doit		= vcpu_abort_nl_abort_doit,
		.policy		= vcpu_abort_nl_fd_req_policy,
		.maxattr	= ARRAY_SIZE(vcpu_abort_nl_fd_req_policy) - 1,
	},
	{
		.cmd		= VCPU_ABORT_CMD_SET_POLICY,
		.doit		= vcpu_abort_nl_set_policy_doit,
		.policy		= vcpu_abort_nl_set_req_policy,
		.maxattr	= ARRAY_SIZE(vcpu_abort_nl_set_req_policy) - 1,
	},
	{
		.cmd		= VCPU_ABORT_CMD_GET_POLICY,
		.doit		= vcpu_abort_nl_get_policy_doit,
		.policy		= vcpu_abort_nl_fd_req_policy,
		.maxattr	= ARRAY_SIZE(vcpu_abort_nl_fd_req_policy) - 1,
	},
	{
		/* No policy: the core rejects any attribute. */
		.cmd		= VCPU_ABORT_CMD_GET_STATS,
		.dumpit		= vcpu_abort_nl_get_stats_dumpit,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		/* No policy: the core rejects any attribute. */
		.cmd		= VCPU_ABORT_CMD_GET_HOOKS,
		.doit		= vcpu_abort_nl_get_hooks_doit,
	},
};

/* Events name other users' processes and VMs, like GET_STATS. */
static const struct genl_multicast_group vcpu_abort_nl_mcgrps[] = {
	[VCPU_ABORT_NL_MCGRP_EVENTS] = {
		.name	= VCPU_ABORT_GENL_MCGRP_EVENTS,
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
};

/*
 * resv_start_op stays 0, as for any new family: every command gets strict
 * attribute validation, the reject-all policy when it has none, and its
 * genetlink header's reserved bits checked. netnsok: a fd works whatever
 * network namespace the VMM lives in; events go to the initial one only.
 */
static struct genl_family vcpu_abort_nl_family __ro_after_init = {
	.name		= VCPU_ABORT_GENL_NAME,
	.version	= VCPU_ABORT_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= vcpu_abort_nl_ops,
	.n_ops		= ARRAY_SIZE(vcpu_abort_nl_ops),
	.mcgrps		= vcpu_abort_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(vcpu_abort_nl_mcgrps),
};

/*
 * Events wait here between the discard, which may happen in a kprobe
 * handler, and the worker that builds and sends them. A full ring drops
 * the newest, as a listener's full socket would.
 */
#define VCPU_ABORT_NL_RING	256

static struct vcpu_abort_event vcpu_abort_nl_ring[VCPU_ABORT_NL_RING];
static unsigned int vcpu_abort_nl_head, vcpu_abort_nl_tail;
static bool vcpu_abort_nl_closing;
static DEFINE_SPINLOCK(vcpu_abort_nl_ring_lock);
static void vcpu_abort_nl_event_work(struct work_struct *work);
static DECLARE_WORK(vcpu_abort_nl_worker, vcpu_abort_nl_event_work);

static void vcpu_abort_nl_send_event(const struct vcpu_abort_event *event)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(4 * nla_total_size(sizeof(u32)) +
			  vcpu_abort_nl_report_size(), GFP_KERNEL);
	if (!msg)
		return;

	hdr = genlmsg_put(msg, 0, 0, &vcpu_abort_nl_family, 0,
			  VCPU_ABORT_CMD_EVENT);
	if (!hdr || nla_put_u32(msg, VCPU_ABORT_A_PID, event->pid) ||
	    nla_put_u32(msg, VCPU_ABORT_A_VM_ID, event->vm_id) ||
	    nla_put_u32(msg, VCPU_ABORT_A_VCPU_ID, event->vcpu_id) ||
	    nla_put_u32(msg, VCPU_ABORT_A_TRIGGER, event->trigger) ||
	    vcpu_abort_nl_put_report(msg, &event->report)) {
		nlmsg_free(msg);
		return;
	}

	genlmsg_end(msg, hdr);
	/* Fails only if the listeners left meanwhile: nothing to do. */
	genlmsg_multicast(&vcpu_abort_nl_family, msg, 0,
			  VCPU_ABORT_NL_MCGRP_EVENTS, GFP_KERNEL);
}

static void vcpu_abort_nl_event_work(struct work_struct *work)
{
	struct vcpu_abort_event event;

	for (;;) {
		spin_lock_irq(&vcpu_abort_nl_ring_lock);
		if (vcpu_abort_nl_tail == vcpu_abort_nl_head) {
			spin_unlock_irq(&vcpu_abort_nl_ring_lock);
			return;
		}
		event = vcpu_abort_nl_ring[vcpu_abort_nl_tail %
					   VCPU_ABORT_NL_RING];
		vcpu_abort_nl_tail++;
		spin_unlock_irq(&vcpu_abort_nl_ring_lock);
		vcpu_abort_nl_send_event(&event);
	}
}

/**
 * vcpu_abort_netlink_listened() - whether the "events" group has a member
 *
 * Checked before an event is even built: nobody listening is the common
 * case, and then a discard costs this bit test and no more.
 *
 * Context: any but NMI.
 * Return: true if some socket joined the group.
 */
__vcpu_abort_hot bool vcpu_abort_netlink_listened(void)
{
	return genl_has_listeners(&vcpu_abort_nl_family, &init_net,
				  VCPU_ABORT_NL_MCGRP_EVENTS);
}

/**
 * vcpu_abort_netlink_event() - tell the "events" group about a discard
 * @event: what was discarded, where and why
 *
 * Called once vcpu_abort_netlink_listened() said yes: a listener that
 * left meanwhile costs a message sent to nobody. Listeners that cannot
 * keep up lose events and see ENOBUFS on their socket, as usual for
 * netlink multicast; nothing else depends on the event being delivered.
 *
 * Context: any but NMI; does not sleep.
 */
void vcpu_abort_netlink_event(const struct vcpu_abort_event *event)
{
	unsigned long flags;

	spin_lock_irqsave(&vcpu_abort_nl_ring_lock, flags);
	if (!vcpu_abort_nl_closing &&
	    vcpu_abort_nl_head - vcpu_abort_nl_tail < VCPU_ABORT_NL_RING) {
		vcpu_abort_nl_ring[vcpu_abort_nl_head % VCPU_ABORT_NL_RING] =
			*event;
		vcpu_abort_nl_head++;
		/* Under the lock: vcpu_abort_netlink_exit() flushes it. */
		schedule_work(&vcpu_abort_nl_worker);
	}
	spin_unlock_irqrestore(&vcpu_abort_nl_ring_lock, flags);
}

/**
 * vcpu_abort_netlink_init() - register the generic netlink family
 *
 * Called once, from the module's init: the family is read-only after it.
 *
 * Return: 0 or the error of genl_register_family(), e.g. -EEXIST.
 */
int vcpu_abort_netlink_init(void)
{
	return genl_register_family(&vcpu_abort_nl_family);
}

/**
 * vcpu_abort_netlink_exit() - unregister the generic netlink family
 *
 * Sends the events queued until now, then waits for the commands in
 * progress; dumps in progress hold a reference to the module. Call once
 * no hook can record an event any more.
 */
void vcpu_abort_netlink_exit(void)
{
	/* Events queued so far are sent; later ones are dropped. */
	spin_lock_irq(&vcpu_abort_nl_ring_lock);
	vcpu_abort_nl_closing = true;
	spin_unlock_irq(&vcpu_abort_nl_ring_lock);
	flush_work(&vcpu_abort_nl_worker);
	genl_unregister_family(&vcpu_abort_nl_family);
}
