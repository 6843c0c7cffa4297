// SPDX-License-Identifier: GPL-2.0
/*
 * The vcpu_abort generic netlink family through libnl-genl-3: one socket
 * per struct vcpu_abort_nl, one request at a time. Kernel errors come back
 * as NLMSG_ERROR with extended ack TLVs (NETLINK_EXT_ACK, capped: the
 * request is not echoed); their message goes into nl->err.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include <vcpuctl/genl.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* The uapi header's name tables: spelled as the module and the spec do. */
static const char *const policy_names[VCPU_ABORT_POLICY_COUNT] = {
	VCPU_ABORT_POLICY_NAMES
};

static const char *const trigger_names[VCPU_ABORT_TRIGGER_COUNT] = {
	VCPU_ABORT_TRIGGER_NAMES
};

static const char *const kind_names[VCPU_ABORT_KIND_COUNT] = {
	VCPU_ABORT_KIND_NAMES
};

static const char *name_of(const char *const *names, uint32_t nr,
			   uint32_t value)
{
	return value < nr && names[value] ? names[value] : "?";
}

const char *vcpu_abort_policy_name(uint32_t policy)
{
	return name_of(policy_names, VCPU_ABORT_POLICY_COUNT, policy);
}

int vcpu_abort_policy_parse(const char *name)
{
	int i;

	for (i = 0; i < VCPU_ABORT_POLICY_COUNT; i++)
		if (policy_names[i] && !strcmp(policy_names[i], name))
			return i;
	return -1;
}

const char *vcpu_abort_trigger_name(uint32_t trigger)
{
	return name_of(trigger_names, VCPU_ABORT_TRIGGER_COUNT, trigger);
}

const char *vcpu_abort_kind_short_name(uint32_t kind)
{
	return name_of(kind_names, VCPU_ABORT_KIND_COUNT, kind);
}

static const char *cmd_name(uint8_t cmd)
{
	static const char *const names[] = {
		[VCPU_ABORT_CMD_QUERY]		= "QUERY",
		[VCPU_ABORT_CMD_ABORT]		= "ABORT",
		[VCPU_ABORT_CMD_SET_POLICY]	= "SET_POLICY",
		[VCPU_ABORT_CMD_GET_POLICY]	= "GET_POLICY",
		[VCPU_ABORT_CMD_GET_STATS]	= "GET_STATS",
		[VCPU_ABORT_CMD_EVENT]		= "EVENT",
		[VCPU_ABORT_CMD_GET_HOOKS]	= "GET_HOOKS",
	};

	return cmd < ARRAY_SIZE(names) && names[cmd] ? names[cmd] : "command";
}

/* libnl's own error codes as errno values; EIO for the others. */
static const int nlerr_errnos[] = {
	[NLE_INTR]		= EINTR,
	[NLE_BAD_SOCK]		= EBADF,
	[NLE_AGAIN]		= EAGAIN,
	[NLE_NOMEM]		= ENOBUFS,	/* also recvmsg()'s ENOBUFS */
	[NLE_EXIST]		= EEXIST,
	[NLE_INVAL]		= EINVAL,
	[NLE_RANGE]		= ERANGE,
	[NLE_MSGSIZE]		= EMSGSIZE,
	[NLE_OPNOTSUPP]		= EOPNOTSUPP,
	[NLE_AF_NOSUPPORT]	= EAFNOSUPPORT,
	[NLE_OBJ_NOTFOUND]	= ENOENT,
	[NLE_NOACCESS]		= EACCES,
	[NLE_PERM]		= EPERM,
	[NLE_NODEV]		= ENODEV,
	[NLE_BUSY]		= EBUSY,
};

static int nlerr_to_errno(int nlerr)
{
	unsigned int e = nlerr < 0 ? -nlerr : nlerr;

	return e < ARRAY_SIZE(nlerr_errnos) && nlerr_errnos[e] ?
	       nlerr_errnos[e] : EIO;
}

static int nl_fail(struct vcpu_abort_nl *nl, int err, const char *fmt,
		   const char *what, const char *detail)
{
	snprintf(nl->err, sizeof(nl->err), fmt, what, detail);
	return -err;
}

/*
 * A reply of QUERY or ABORT is a few dozen bytes, a refusal's NLMSG_ERROR
 * (capped, with the extended ack's message) a few hundred.
 */
#define NL_QUERY_BUF	8192

/*
 * What a socket keeps across requests, so that a request allocates
 * nothing: the callback set of send_request(), and for QUERY and ABORT
 * (the hot path: a VMM aborts on every reset) the request itself, whose
 * command, FD and FLAGS are rewritten each time, and a buffer for its
 * reply. libnl's own receive path allocates a buffer per datagram and a
 * message per reply, and nl_cb_alloc() a callback set per request.
 */
struct vcpu_abort_nl_prepared {
	struct nl_cb *cb;
	struct nl_msg *query;
	struct nlattr *fd;	/* VCPU_ABORT_A_FD of query */
	struct nlattr *flags;	/* VCPU_ABORT_A_FLAGS of query (0: none) */
	unsigned char buf[NL_QUERY_BUF] __aligned(NLMSG_ALIGNTO);
};

static int prepare(struct vcpu_abort_nl *nl)
{
	struct vcpu_abort_nl_prepared *p;
	struct nlmsghdr *nlh;
	struct nlattr *a;
	int rem;

	p = calloc(1, sizeof(*p));
	if (!p)
		return nl_fail(nl, ENOMEM, "%s: %s", "netlink request",
			       strerror(ENOMEM));
	nl->prep = p;
	p->cb = nl_cb_alloc(NL_CB_DEFAULT);
	p->query = nlmsg_alloc_size(NLMSG_SPACE(GENL_HDRLEN +
						2 * nla_total_size(sizeof(uint32_t))));
	if (!p->cb || !p->query)
		return nl_fail(nl, ENOMEM, "%s: %s", "netlink request",
			       strerror(ENOMEM));
	if (!genlmsg_put(p->query, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, 0,
			 VCPU_ABORT_CMD_QUERY, VCPU_ABORT_GENL_VERSION) ||
	    nla_put_s32(p->query, VCPU_ABORT_A_FD, -1) ||
	    nla_put_u32(p->query, VCPU_ABORT_A_FLAGS, 0))
		return nl_fail(nl, EMSGSIZE, "%s: %s", "netlink request",
			       "cannot build the request");
	nlh = nlmsg_hdr(p->query);
	/*
	 * The reply ends the request: no NLM_F_ACK, since a command that
	 * replies on success acks nothing more, and an error comes as
	 * NLMSG_ERROR with or without the flag.
	 */
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_pid = nl_socket_get_local_port(nl->sk);
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if (nla_type(a) == VCPU_ABORT_A_FD)
			p->fd = a;
		else if (nla_type(a) == VCPU_ABORT_A_FLAGS)
			p->flags = a;
	}
	return 0;
}

int vcpu_abort_nl_open(struct vcpu_abort_nl *nl)
{
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->family = -1;
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return nl_fail(nl, ENOMEM, "%s: %s", "nl_socket_alloc",
			       strerror(ENOMEM));
	ret = genl_connect(nl->sk);
	if (ret < 0)
		return nl_fail(nl, nlerr_to_errno(ret), "%s: %s",
			       "generic netlink socket", nl_geterror(ret));
	/*
	 * Extended acks: the kernel's reason for a refusal. Capped: it does
	 * not echo the request back. Old kernels refuse neither option.
	 */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	/*
	 * One recvmsg() per datagram: libnl's default peeks at each first
	 * (MSG_PEEK | MSG_TRUNC) to size its buffer, two syscalls a
	 * message. The kernel caps a datagram at 32 KB (a dump's too).
	 */
	nl_socket_disable_msg_peek(nl->sk);
	ret = nl_socket_set_msg_buf_size(nl->sk, 32768);
	if (ret < 0)
		return nl_fail(nl, nlerr_to_errno(ret), "%s: %s",
			       "netlink receive buffer", nl_geterror(ret));
	ret = genl_ctrl_resolve(nl->sk, VCPU_ABORT_GENL_NAME);
	if (ret == -NLE_OBJ_NOTFOUND) {
		snprintf(nl->err, sizeof(nl->err), "%s",
			 VCPU_ABORT_NL_NOT_LOADED);
		return -ENOENT;
	}
	if (ret < 0)
		return nl_fail(nl, nlerr_to_errno(ret), "%s: %s",
			       "resolving generic netlink family " VCPU_ABORT_GENL_NAME,
			       nl_geterror(ret));
	nl->family = ret;
	return prepare(nl);
}

void vcpu_abort_nl_close(struct vcpu_abort_nl *nl)
{
	struct vcpu_abort_nl_prepared *p = nl->prep;

	if (p) {
		if (p->cb)
			nl_cb_put(p->cb);
		if (p->query)
			nlmsg_free(p->query);
		free(p);
	}
	nl->prep = NULL;
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
	nl->family = -1;
}

int vcpu_abort_nl_fd(const struct vcpu_abort_nl *nl)
{
	return nl->sk ? nl_socket_get_fd(nl->sk) : -1;
}

/* One request and its replies. */
struct request {
	int done;
	int error;		/* the kernel's -errno, 0 if it acked */
	int parse_error;	/* -errno of a malformed reply */
	char extack[200];
	/* Per reply: its attributes; 0 or -errno (a malformed reply). */
	int (*reply)(struct nlattr **tb, void *arg);
	/* Or the message itself, for repeated attributes. */
	int (*raw_reply)(struct nl_msg *msg, void *arg);
	void *arg;
	uint32_t seq;		/* the request's sequence number */
};

/* NLMSGERR_ATTR_MSG of an NLMSG_ERROR (an error, or an ack's warning). */
static void extack_message(const struct nlmsghdr *nlh, char *buf,
			   size_t len)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off;

	buf[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
		return;
	/* The TLVs follow the (possibly echoed) request. */
	off = NLMSG_HDRLEN + sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len > NLMSG_HDRLEN)
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_ALIGN(off);
	if (off >= nlh->nlmsg_len)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlh + off),
		      nlh->nlmsg_len - off, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0)
		nla_strlcpy(buf, tb[NLMSGERR_ATTR_MSG], len);
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct request *req = arg;

	(void)nla;
	/* e points just past the NLMSG_ERROR header. */
	extack_message((const struct nlmsghdr *)((char *)e - NLMSG_HDRLEN),
		       req->extack, sizeof(req->extack));
	req->error = e->error;
	req->done = 1;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;

	extack_message(nlmsg_hdr(msg), req->extack, sizeof(req->extack));
	req->done = 1;
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;

	(void)msg;
	req->done = 1;
	return NL_STOP;
}

/*
 * Ours: libnl's own check expects the sequence number to move on with
 * each ack, which a QUERY or ABORT (sent without one) never sends. A
 * message of an earlier request is skipped.
 */
static int on_seq_check(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == req->seq ? NL_OK : NL_SKIP;
}

static int on_reply(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;
	struct nlattr *tb[VCPU_ABORT_A_MAX + 1];
	int ret;

	if (req->raw_reply) {
		ret = req->raw_reply(msg, req->arg);
		if (ret && !req->parse_error)
			req->parse_error = ret;
		return NL_OK;
	}
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, VCPU_ABORT_A_MAX, NULL) < 0) {
		req->parse_error = -EPROTO;
		return NL_SKIP;
	}
	if (req->reply) {
		ret = req->reply(tb, req->arg);
		if (ret && !req->parse_error)
			req->parse_error = ret;
	}
	return NL_OK;
}

/* Sends msg (consumed) and reads until the ack, the error or the dump's end. */
static int send_request(struct vcpu_abort_nl *nl, struct nl_msg *msg,
			uint8_t cmd, struct request *r)
{
	struct nl_cb *cb = nl->prep->cb;
	struct request req = *r;
	int ret;

	/* The socket's set, pointed at this request. */
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_reply, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &req);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq_check, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &req);

	nl_complete_msg(nl->sk, msg);
	req.seq = nlmsg_hdr(msg)->nlmsg_seq;
	ret = nl_send(nl->sk, msg);
	nlmsg_free(msg);
	if (ret < 0)
		return nl_fail(nl, nlerr_to_errno(ret), "%s: sending: %s",
			       cmd_name(cmd), nl_geterror(ret));
	while (!req.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0 && !req.done)
			break;
	}

	if (req.error) {
		int err = req.error < 0 ? -req.error : req.error;

		snprintf(nl->err, sizeof(nl->err), "%s: %s%s%s", cmd_name(cmd),
			 strerror(err), req.extack[0] ? ": " : "", req.extack);
		return -err;
	}
	if (!req.done)
		return nl_fail(nl, nlerr_to_errno(ret), "%s: receiving: %s",
			       cmd_name(cmd), nl_geterror(ret));
	if (req.parse_error)
		return nl_fail(nl, -req.parse_error, "%s: %s", cmd_name(cmd),
			       "malformed reply from the kernel");
	if (req.extack[0])	/* an ack with a warning */
		fprintf(stderr, "vcpuctl: %s: kernel says: %s\n",
			cmd_name(cmd), req.extack);
	return 0;
}

static int request(struct vcpu_abort_nl *nl, struct nl_msg *msg, uint8_t cmd,
		   int (*reply)(struct nlattr **tb, void *arg), void *arg)
{
	struct request req = {
		.reply = reply, .arg = arg,
	};

	return send_request(nl, msg, cmd, &req);
}

static struct nl_msg *new_msg(struct vcpu_abort_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, VCPU_ABORT_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int no_msg(struct vcpu_abort_nl *nl, uint8_t cmd, struct nl_msg *msg)
{
	if (msg)
		nlmsg_free(msg);
	return nl_fail(nl, EMSGSIZE, "%s: %s", cmd_name(cmd),
		       "cannot build the request");
}

static int attr_u32(struct nlattr *a, uint32_t *v)
{
	if (!a)
		return 0;
	if (nla_len(a) < (int)sizeof(uint32_t))
		return -EPROTO;
	*v = nla_get_u32(a);
	return 1;
}

static int attr_u64(struct nlattr *a, uint64_t *v)
{
	if (!a)
		return 0;
	if (nla_len(a) < (int)sizeof(uint64_t))
		return -EPROTO;
	*v = nla_get_u64(a);
	return 1;
}

static int parse_report(struct nlattr *nest, struct vcpu_abort_report *r)
{
	struct nlattr *tb[VCPU_ABORT_REPORT_A_MAX + 1];
	uint64_t addr;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	if (!nest || nla_parse_nested(tb, VCPU_ABORT_REPORT_A_MAX, nest, NULL))
		return -EPROTO;
	if (attr_u32(tb[VCPU_ABORT_REPORT_A_KIND], &r->kind) < 0 ||
	    attr_u32(tb[VCPU_ABORT_REPORT_A_DIR], &r->dir) < 0 ||
	    attr_u32(tb[VCPU_ABORT_REPORT_A_COUNT], &r->count) < 0 ||
	    attr_u32(tb[VCPU_ABORT_REPORT_A_DEST_CLASS], &r->dest_class) < 0 ||
	    attr_u32(tb[VCPU_ABORT_REPORT_A_DEST_REG], &r->dest_reg) < 0 ||
	    attr_u32(tb[VCPU_ABORT_REPORT_A_INFO], &r->info) < 0)
		return -EPROTO;
	ret = attr_u64(tb[VCPU_ABORT_REPORT_A_ADDR], &addr);
	if (ret < 0)
		return ret;
	if (ret) {
		r->addr = addr;
		r->info |= VCPU_ABORT_INFO_ADDR;
	}
	ret = attr_u32(tb[VCPU_ABORT_REPORT_A_LEN], &r->len);
	if (ret < 0)
		return ret;
	if (ret)
		r->info |= VCPU_ABORT_INFO_LEN;
	return 0;
}

/*
 * The reply to the prepared request of sequence number seq in the
 * datagram p->buf[0, len): 1 and report filled, 0 if it holds none (an
 * earlier request's), or -errno with nl->err set.
 */
static int query_reply(struct vcpu_abort_nl *nl, uint8_t cmd, uint32_t seq,
		       int len, struct vcpu_abort_report *report)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)nl->prep->buf;
	struct nlattr *tb[VCPU_ABORT_A_MAX + 1];
	const struct nlmsgerr *e;
	char extack[200];
	int err;

	for (; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_seq != seq)
			continue;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				break;
			e = nlmsg_data(nlh);
			/* An ack: the kernel replied with nothing else. */
			if (!e->error)
				return nl_fail(nl, EPROTO, "%s: %s",
					       cmd_name(cmd),
					       "the kernel sent no report");
			err = e->error < 0 ? -e->error : e->error;
			extack_message(nlh, extack, sizeof(extack));
			snprintf(nl->err, sizeof(nl->err), "%s: %s%s%s",
				 cmd_name(cmd), strerror(err),
				 extack[0] ? ": " : "", extack);
			return -err;
		}
		if (nlh->nlmsg_type != nl->family)
			continue;
		if (genlmsg_parse(nlh, 0, tb, VCPU_ABORT_A_MAX, NULL) < 0 ||
		    parse_report(tb[VCPU_ABORT_A_REPORT], report) < 0)
			break;
		return 1;
	}
	/* Whole messages only, all of them another request's: read on. */
	if (!len)
		return 0;
	return nl_fail(nl, EPROTO, "%s: %s", cmd_name(cmd),
		       "malformed reply from the kernel");
}

/*
 * The prepared request, sent as it is, and its reply read into the
 * socket's buffer and parsed in place: two syscalls and no allocation.
 */
static int prepared_request(struct vcpu_abort_nl *nl, uint8_t cmd,
			    int vcpu_fd, uint32_t flags,
			    struct vcpu_abort_report *report)
{
	struct vcpu_abort_nl_prepared *p = nl->prep;
	struct nlmsghdr *nlh = nlmsg_hdr(p->query);
	uint32_t seq = nl_socket_use_seq(nl->sk);
	ssize_t len;
	int ret;

	genlmsg_hdr(nlh)->cmd = cmd;
	*(int32_t *)nla_data(p->fd) = vcpu_fd;
	*(uint32_t *)nla_data(p->flags) = flags;
	nlh->nlmsg_seq = seq;
	ret = nl_sendto(nl->sk, nlh, nlh->nlmsg_len);
	if (ret < 0)
		return nl_fail(nl, nlerr_to_errno(ret), "%s: sending: %s",
			       cmd_name(cmd), nl_geterror(ret));
	for (;;) {
		/* MSG_TRUNC: the datagram's length, even if longer. */
		len = recv(nl_socket_get_fd(nl->sk), p->buf, sizeof(p->buf),
			   MSG_TRUNC);
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0)
			return nl_fail(nl, errno, "%s: receiving: %s",
				       cmd_name(cmd), strerror(errno));
		if (len > (ssize_t)sizeof(p->buf))
			return nl_fail(nl, EMSGSIZE, "%s: %s", cmd_name(cmd),
				       "reply larger than expected");
		ret = query_reply(nl, cmd, seq, len, report);
		if (ret)
			return ret < 0 ? ret : 0;
	}
}

int vcpu_abort_nl_query(struct vcpu_abort_nl *nl, uint8_t cmd, int vcpu_fd,
			uint32_t flags, struct vcpu_abort_report *report)
{
	return prepared_request(nl, cmd, vcpu_fd, flags, report);
}

/* No command of the family: the core refuses it before any doit. */
#define VCPU_ABORT_NL_NO_CMD	0xff

int vcpu_abort_nl_null(struct vcpu_abort_nl *nl)
{
	struct vcpu_abort_report report;
	int ret;

	ret = prepared_request(nl, VCPU_ABORT_NL_NO_CMD, -1, 0, &report);
	if (ret == -EOPNOTSUPP)
		return 0;
	if (!ret)
		return nl_fail(nl, EPROTO, "%s: %s", "no command",
			       "the kernel answered a command it has not");
	return ret;
}

struct policy_reply {
	uint32_t policy;
	uint32_t vm_id;
	int has_policy;
};

static int policy_reply(struct nlattr **tb, void *arg)
{
	struct policy_reply *p = arg;
	int ret;

	ret = attr_u32(tb[VCPU_ABORT_A_POLICY], &p->policy);
	if (ret < 0)
		return ret;
	p->has_policy |= ret;
	return attr_u32(tb[VCPU_ABORT_A_VM_ID], &p->vm_id) < 0 ? -EPROTO : 0;
}

static int policy_request(struct vcpu_abort_nl *nl, uint8_t cmd, int fd,
			  uint32_t flags, const uint32_t *policy,
			  struct policy_reply *p)
{
	struct nl_msg *msg = new_msg(nl, cmd, 0);

	p->vm_id = VCPU_ABORT_NL_NO_VM;
	p->has_policy = 0;
	if (!msg || (fd >= 0 && nla_put_s32(msg, VCPU_ABORT_A_FD, fd)) ||
	    (flags && nla_put_u32(msg, VCPU_ABORT_A_FLAGS, flags)) ||
	    (policy && nla_put_u32(msg, VCPU_ABORT_A_POLICY, *policy)))
		return no_msg(nl, cmd, msg);
	return request(nl, msg, cmd, policy_reply, p);
}

int vcpu_abort_nl_set_policy(struct vcpu_abort_nl *nl, int fd, uint32_t flags,
			     uint32_t policy, uint32_t *vm_id)
{
	struct policy_reply p;
	int ret;

	ret = policy_request(nl, VCPU_ABORT_CMD_SET_POLICY, fd, flags, &policy,
			     &p);
	if (ret)
		return ret;
	/* SET_POLICY only acks: ask which VM that was. */
	if (fd >= 0 && vm_id && p.vm_id == VCPU_ABORT_NL_NO_VM)
		ret = policy_request(nl, VCPU_ABORT_CMD_GET_POLICY, fd, flags,
				     NULL, &p);
	if (vm_id)
		*vm_id = p.vm_id;
	return ret;
}

int vcpu_abort_nl_get_policy(struct vcpu_abort_nl *nl, int fd, uint32_t flags,
			     uint32_t *policy, uint32_t *vm_id)
{
	struct policy_reply p;
	int ret;

	ret = policy_request(nl, VCPU_ABORT_CMD_GET_POLICY, fd, flags, NULL,
			     &p);
	if (ret)
		return ret;
	if (!p.has_policy)
		return nl_fail(nl, EPROTO, "%s: %s",
			       cmd_name(VCPU_ABORT_CMD_GET_POLICY),
			       "the kernel sent no policy");
	*policy = p.policy;
	if (vm_id)
		*vm_id = p.vm_id;
	return 0;
}

struct stats_dump {
	int (*cb)(const struct vcpu_abort_nl_stats *st, void *arg);
	void *arg;
	int cb_ret;
};

/* Nested counters: attribute type t counts slot t - base of out[]. */
static int parse_counters(struct nlattr *nest, int base, uint64_t *out,
			  int nr)
{
	struct nlattr *a;
	int rem;

	if (!nest)
		return 0;
	nla_for_each_nested(a, nest, rem) {
		int slot = nla_type(a) - base;

		/*
		 * Type 0 is padding (nla_put_u64_64bit() on arches without
		 * efficient unaligned access), types past nr a newer
		 * kernel's kinds or triggers.
		 */
		if (!nla_type(a) || slot < 0 || slot >= nr)
			continue;
		if (attr_u64(a, &out[slot]) < 0)
			return -EPROTO;
	}
	return 0;
}

static int stats_reply(struct nlattr **tb, void *arg)
{
	struct stats_dump *d = arg;
	struct nlattr *st[VCPU_ABORT_STATS_A_MAX + 1];
	struct vcpu_abort_nl_stats s;

	memset(&s, 0, sizeof(s));
	s.vm_id = VCPU_ABORT_NL_NO_VM;
	if (attr_u32(tb[VCPU_ABORT_A_PID], &s.pid) < 0 ||
	    attr_u32(tb[VCPU_ABORT_A_VM_ID], &s.vm_id) < 0 ||
	    attr_u32(tb[VCPU_ABORT_A_POLICY], &s.policy) < 0)
		return -EPROTO;
	if (tb[VCPU_ABORT_A_STATS]) {
		if (nla_parse_nested(st, VCPU_ABORT_STATS_A_MAX,
				     tb[VCPU_ABORT_A_STATS], NULL) ||
		    parse_counters(st[VCPU_ABORT_STATS_A_KIND], 0, s.kind,
				   VCPU_ABORT_KIND_COUNT) ||
		    parse_counters(st[VCPU_ABORT_STATS_A_TRIGGER], 1, s.trigger,
				   VCPU_ABORT_TRIGGER_COUNT) ||
		    attr_u64(st[VCPU_ABORT_STATS_A_KEPT], &s.kept) < 0)
			return -EPROTO;
	}
	if (!d->cb_ret)
		d->cb_ret = d->cb(&s, d->arg);
	return 0;
}

int vcpu_abort_nl_stats(struct vcpu_abort_nl *nl,
			int (*cb)(const struct vcpu_abort_nl_stats *st,
				  void *arg),
			void *arg)
{
	struct nl_msg *msg = new_msg(nl, VCPU_ABORT_CMD_GET_STATS, NLM_F_DUMP);
	struct stats_dump d = { .cb = cb, .arg = arg };
	int ret;

	if (!msg)
		return no_msg(nl, VCPU_ABORT_CMD_GET_STATS, msg);
	ret = request(nl, msg, VCPU_ABORT_CMD_GET_STATS, stats_reply, &d);
	return ret ? ret : d.cb_ret;
}

int vcpu_abort_nl_subscribe(struct vcpu_abort_nl *nl)
{
	int grp, ret;

	grp = genl_ctrl_resolve_grp(nl->sk, VCPU_ABORT_GENL_NAME,
				    VCPU_ABORT_GENL_MCGRP_EVENTS);
	if (grp < 0)
		return nl_fail(nl, nlerr_to_errno(grp), "%s: %s",
			       "multicast group " VCPU_ABORT_GENL_NAME "/"
			       VCPU_ABORT_GENL_MCGRP_EVENTS, nl_geterror(grp));
	/* Events carry no sequence number of ours. */
	nl_socket_disable_seq_check(nl->sk);
	ret = nl_socket_add_membership(nl->sk, grp);
	if (ret < 0)
		return nl_fail(nl, nlerr_to_errno(ret), "%s: %s",
			       "joining " VCPU_ABORT_GENL_NAME "/"
			       VCPU_ABORT_GENL_MCGRP_EVENTS, nl_geterror(ret));
	/* Room for bursts: a race --all discards a few dozen at once. */
	nl_socket_set_buffer_size(nl->sk, 1 << 20, 0);
	ret = nl_socket_set_nonblocking(nl->sk);
	if (ret < 0)
		return nl_fail(nl, nlerr_to_errno(ret), "%s: %s",
			       "O_NONBLOCK", nl_geterror(ret));
	return 0;
}

struct event_recv {
	void (*cb)(const struct vcpu_abort_nl_event *ev, void *arg);
	void *arg;
	int bad;
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct event_recv *er = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[VCPU_ABORT_A_MAX + 1];
	struct vcpu_abort_nl_event ev;

	if (genlmsg_hdr(nlh)->cmd != VCPU_ABORT_CMD_EVENT)
		return NL_SKIP;
	memset(&ev, 0, sizeof(ev));
	if (genlmsg_parse(nlh, 0, tb, VCPU_ABORT_A_MAX, NULL) < 0 ||
	    attr_u32(tb[VCPU_ABORT_A_PID], &ev.pid) < 0 ||
	    attr_u32(tb[VCPU_ABORT_A_VM_ID], &ev.vm_id) < 0 ||
	    attr_u32(tb[VCPU_ABORT_A_VCPU_ID], &ev.vcpu_id) < 0 ||
	    attr_u32(tb[VCPU_ABORT_A_TRIGGER], &ev.trigger) < 0 ||
	    parse_report(tb[VCPU_ABORT_A_REPORT], &ev.report) < 0) {
		er->bad++;
		return NL_SKIP;
	}
	er->cb(&ev, er->arg);
	return NL_OK;
}

static int seq_any(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int vcpu_abort_nl_recv_events(struct vcpu_abort_nl *nl,
			      void (*cb)(const struct vcpu_abort_nl_event *ev,
					 void *arg),
			      void *arg)
{
	struct event_recv er = { .cb = cb, .arg = arg };
	struct nl_cb *nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!nlcb)
		return nl_fail(nl, ENOMEM, "%s: %s", "events",
			       strerror(ENOMEM));
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &er);
	/* Events carry sequence number 0: no check (a fresh cb has one). */
	nl_cb_set(nlcb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_any, NULL);
	ret = nl_recvmsgs(nl->sk, nlcb);
	nl_cb_put(nlcb);
	if (ret < 0) {
		int err = nlerr_to_errno(ret);

		if (err == EAGAIN)
			return -EAGAIN;
		if (err == ENOBUFS)
			return nl_fail(nl, ENOBUFS, "%s: %s", "events",
				       "the kernel dropped events (receive buffer full)");
		return nl_fail(nl, err, "%s: %s", "events", nl_geterror(ret));
	}
	if (er.bad)
		return nl_fail(nl, EPROTO, "%s: %s", "events",
			       "malformed event from the kernel");
	return 0;
}

static const char *const hook_state_names[] = {
	[VCPU_ABORT_HOOK_STATE_READY]		= "ready",
	[VCPU_ABORT_HOOK_STATE_MISSING]		= "missing",
	[VCPU_ABORT_HOOK_STATE_CLONED]		= "cloned",
	[VCPU_ABORT_HOOK_STATE_FAILED]		= "failed",
	[VCPU_ABORT_HOOK_STATE_DISABLED]	= "disabled",
};

const char *vcpu_abort_hook_state_name(uint32_t state)
{
	return state < ARRAY_SIZE(hook_state_names) &&
	       hook_state_names[state] ? hook_state_names[state] : "?";
}

static const char *const hook_mechanism_names[] = {
	[VCPU_ABORT_HOOK_MECHANISM_KRETPROBE]	= "kretprobe",
	[VCPU_ABORT_HOOK_MECHANISM_KPROBE]	= "kprobe",
	[VCPU_ABORT_HOOK_MECHANISM_FTRACE]	= "ftrace",
};

const char *vcpu_abort_hook_mechanism_name(uint32_t mechanism)
{
	return mechanism < ARRAY_SIZE(hook_mechanism_names) &&
	       hook_mechanism_names[mechanism] ?
	       hook_mechanism_names[mechanism] : "?";
}

static int parse_hook(struct nlattr *nest, struct vcpu_abort_nl_hook *h)
{
	struct nlattr *tb[VCPU_ABORT_HOOK_A_MAX + 1];

	memset(h, 0, sizeof(*h));
	if (nla_parse_nested(tb, VCPU_ABORT_HOOK_A_MAX, nest, NULL) ||
	    !tb[VCPU_ABORT_HOOK_A_SYMBOL] || !tb[VCPU_ABORT_HOOK_A_STATE])
		return -EPROTO;
	nla_strlcpy(h->symbol, tb[VCPU_ABORT_HOOK_A_SYMBOL],
		    sizeof(h->symbol));
	if (attr_u32(tb[VCPU_ABORT_HOOK_A_STATE], &h->state) < 0 ||
	    attr_u32(tb[VCPU_ABORT_HOOK_A_ERRNO], &h->err) < 0 ||
	    attr_u32(tb[VCPU_ABORT_HOOK_A_POLICIES], &h->policies) < 0 ||
	    attr_u32(tb[VCPU_ABORT_HOOK_A_TRIGGER], &h->trigger) < 0 ||
	    attr_u32(tb[VCPU_ABORT_HOOK_A_MECHANISM], &h->mechanism) < 0)
		return -EPROTO;
	return 0;
}

/* The hooks come as repeated VCPU_ABORT_A_HOOK: walk the whole message. */
static int hooks_reply(struct nl_msg *msg, void *arg)
{
	struct vcpu_abort_nl_hooks *hooks = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		switch (nla_type(a)) {
		case VCPU_ABORT_A_HOOKS_ARMED:
			if (attr_u32(a, &hooks->armed) < 0)
				return -EPROTO;
			break;
		case VCPU_ABORT_A_KPROBES_DISARMED:
			if (attr_u32(a, &hooks->kprobes_disarmed) < 0)
				return -EPROTO;
			break;
		case VCPU_ABORT_A_VM_DESTROY_HOOK:
			if (attr_u32(a, &hooks->destroy_hook) < 0)
				return -EPROTO;
			break;
		case VCPU_ABORT_A_HOOK:
			if (hooks->nr >= sizeof(hooks->hook) /
					 sizeof(hooks->hook[0]))
				break;
			if (parse_hook(a, &hooks->hook[hooks->nr]))
				return -EPROTO;
			hooks->nr++;
			break;
		}
	}
	return 0;
}

int vcpu_abort_nl_get_hooks(struct vcpu_abort_nl *nl,
			    struct vcpu_abort_nl_hooks *hooks)
{
	struct nl_msg *msg = new_msg(nl, VCPU_ABORT_CMD_GET_HOOKS, 0);
	struct request req = {
		.raw_reply = hooks_reply, .arg = hooks,
	};

	memset(hooks, 0, sizeof(*hooks));
	if (!msg)
		return no_msg(nl, VCPU_ABORT_CMD_GET_HOOKS, msg);
	return send_request(nl, msg, VCPU_ABORT_CMD_GET_HOOKS, &req);
}
