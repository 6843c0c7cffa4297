/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vcpu_abort: userspace interface of the vcpu_abort module, which discards
 * a KVM vCPU's pending MMIO, port I/O, hypercall or MSR completion.
 *
 * When a vCPU exits to userspace for an operation that only userspace can
 * perform, KVM finishes that operation at the top of the next KVM_RUN: it
 * writes the loaded value into a guest register and moves the PC. A VMM
 * that resets the vCPU in between gets its reset state clobbered. The
 * ioctls below let it QUERY what is pending and ABORT (or DISCARD) it
 * instead.
 */
#ifndef _UAPI_LINUX_VCPU_ABORT_H
#define _UAPI_LINUX_VCPU_ABORT_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* The misc device a VMM opens: /dev/vcpu_abort. */
#define VCPU_ABORT_DEVICE_NAME		"vcpu_abort"

/* The generic netlink family of the control plane. */
#define VCPU_ABORT_GENL_NAME		"vcpu_abort"

/**
 * enum vcpu_abort_kind - what a vCPU's pending completion would finish
 * @VCPU_ABORT_KIND_NONE: nothing is pending; a normal answer, not an error
 * @VCPU_ABORT_KIND_MMIO_LOAD: an MMIO read waiting for its data
 * @VCPU_ABORT_KIND_MMIO_STORE: an MMIO write (or its remaining fragments)
 * @VCPU_ABORT_KIND_PIO_IN: an x86 port input waiting for its data
 * @VCPU_ABORT_KIND_PIO_OUT: an x86 port output waiting to be retired
 * @VCPU_ABORT_KIND_HYPERCALL: a hypercall waiting for its return value
 * @VCPU_ABORT_KIND_MSR_READ: an x86 RDMSR handled by userspace
 * @VCPU_ABORT_KIND_MSR_WRITE: an x86 WRMSR handled by userspace
 * @VCPU_ABORT_KIND_PPC_OSI: a powerpc OSI (MOL) call waiting for its GPRs
 * @VCPU_ABORT_KIND_PPC_EPR: a powerpc BookE external proxy (EPR) read
 * @VCPU_ABORT_KIND_OTHER: a completion this module cannot classify
 * @VCPU_ABORT_KIND_RISCV_CSR: a riscv CSR instruction handled by userspace
 *	(KVM_EXIT_RISCV_CSR), waiting to write the old value into its rd
 * @VCPU_ABORT_KIND_COUNT: number of kinds; not a kind
 */
enum vcpu_abort_kind {
	VCPU_ABORT_KIND_NONE		= 0,
	VCPU_ABORT_KIND_MMIO_LOAD	= 1,
	VCPU_ABORT_KIND_MMIO_STORE	= 2,
	VCPU_ABORT_KIND_PIO_IN		= 3,
	VCPU_ABORT_KIND_PIO_OUT		= 4,
	VCPU_ABORT_KIND_HYPERCALL	= 5,
	VCPU_ABORT_KIND_MSR_READ	= 6,
	VCPU_ABORT_KIND_MSR_WRITE	= 7,
	VCPU_ABORT_KIND_PPC_OSI		= 8,
	VCPU_ABORT_KIND_PPC_EPR		= 9,
	VCPU_ABORT_KIND_OTHER		= 10,
	VCPU_ABORT_KIND_RISCV_CSR	= 11,
	VCPU_ABORT_KIND_COUNT
};

/**
 * enum vcpu_abort_dir - direction of the pending operation, seen by the guest
 * @VCPU_ABORT_DIR_NONE: no direction (nothing pending, OSI, other)
 * @VCPU_ABORT_DIR_READ: the guest reads: a value would be written to it
 * @VCPU_ABORT_DIR_WRITE: the guest writes: no guest register would change
 */
enum vcpu_abort_dir {
	VCPU_ABORT_DIR_NONE	= 0,
	VCPU_ABORT_DIR_READ	= 1,
	VCPU_ABORT_DIR_WRITE	= 2,
};

/**
 * enum vcpu_abort_reg_class - register file of &vcpu_abort_report.dest_reg
 * @VCPU_ABORT_REG_NONE: the kernel does not know the destination register
 * @VCPU_ABORT_REG_GPR: general purpose register (x86: 0 = RAX ... 15 = R15
 *	in the KVM_GET_REGS order of rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi,
 *	r8-r15; arm64: Xn, 31 = XZR; powerpc: rN)
 * @VCPU_ABORT_REG_FPR: powerpc floating point register
 * @VCPU_ABORT_REG_VSX: powerpc VSX register
 * @VCPU_ABORT_REG_VMX: powerpc Altivec (VMX) register
 * @VCPU_ABORT_REG_OTHER: a register file not listed here (e.g. powerpc QPR)
 */
enum vcpu_abort_reg_class {
	VCPU_ABORT_REG_NONE	= 0,
	VCPU_ABORT_REG_GPR	= 1,
	VCPU_ABORT_REG_FPR	= 2,
	VCPU_ABORT_REG_VSX	= 3,
	VCPU_ABORT_REG_VMX	= 4,
	VCPU_ABORT_REG_OTHER	= 5,
};

/**
 * enum vcpu_abort_info - bits of &vcpu_abort_report.info: which members are
 *	meaningful and what the kernel knows about the PC
 * @VCPU_ABORT_INFO_ADDR: @addr holds a guest-physical address, port, MSR
 *	index or hypercall number
 * @VCPU_ABORT_INFO_LEN: @len holds the access size in bytes
 * @VCPU_ABORT_INFO_FROM_RUN: @addr or @len came from the shared kvm_run
 *	page, which userspace can write: informational only, never used by
 *	the kernel to decide anything
 * @VCPU_ABORT_INFO_PC_ADVANCED: KVM already moved the PC past the faulting
 *	instruction before it exited (powerpc, x86 MMIO stores): aborting
 *	cannot make the guest re-execute it unless userspace moves the PC
 *	back itself
 * @VCPU_ABORT_INFO_KEPT: pending, but the completion writes no guest
 *	register and KVM depends on it (x86 SVM bus-lock exits, Hyper-V
 *	synthetic debugger): neither ABORT nor a policy discards it, and the
 *	report says so with this bit
 */
enum vcpu_abort_info {
	VCPU_ABORT_INFO_ADDR		= 0x1,
	VCPU_ABORT_INFO_LEN		= 0x2,
	VCPU_ABORT_INFO_FROM_RUN	= 0x4,
	VCPU_ABORT_INFO_PC_ADVANCED	= 0x8,
	VCPU_ABORT_INFO_KEPT		= 0x10,
};

/**
 * struct vcpu_abort_report - what is (or was) pending on a vCPU
 * @kind: an &enum vcpu_abort_kind
 * @dir: an &enum vcpu_abort_dir
 * @addr: guest-physical address (MMIO), port (PIO), MSR index, riscv CSR
 *	number or hypercall number (riscv SBI: extension id in bits 63:32,
 *	function id in bits 31:0); valid if @info has VCPU_ABORT_INFO_ADDR
 * @len: access size in bytes; valid if @info has VCPU_ABORT_INFO_LEN
 * @count: repetitions still pending (string port I/O, MMIO fragments);
 *	0 if unknown
 * @dest_class: an &enum vcpu_abort_reg_class, VCPU_ABORT_REG_NONE if the
 *	destination register is unknown or there is none
 * @dest_reg: register number within @dest_class
 * @info: VCPU_ABORT_INFO_* bits
 * @reserved: zero, for later growth
 */
struct vcpu_abort_report {
	__u32 kind;
	__u32 dir;
	__u64 addr;
	__u32 len;
	__u32 count;
	__u32 dest_class;
	__u32 dest_reg;
	__u32 info;
	__u32 reserved[3];
};

/**
 * enum vcpu_abort_flag - request flags of the ioctls and netlink commands
 * @VCPU_ABORT_FLAG_NONBLOCK: fail with EBUSY instead of waiting while
 *	another thread is inside KVM_RUN (or any other ioctl) of this vCPU
 * @VCPU_ABORT_FLAG_FOREIGN_VM: accept a vCPU of a VM created by another
 *	process (EPERM otherwise), e.g. one borrowed with pidfd_getfd(),
 *	which checked ptrace access to it
 */
enum vcpu_abort_flag {
	VCPU_ABORT_FLAG_NONBLOCK	= 0x1,
	VCPU_ABORT_FLAG_FOREIGN_VM	= 0x2,
};

/* Every flag this version knows; any other bit fails with EINVAL. */
#define VCPU_ABORT_FLAGS_ALL		(VCPU_ABORT_FLAG_NONBLOCK | \
					 VCPU_ABORT_FLAG_FOREIGN_VM)

/**
 * struct vcpu_abort_args - argument of VCPU_ABORT_IOC_QUERY/ABORT
 * @size: in: sizeof(struct vcpu_abort_args) as the caller knows it. Must be
 *	at least VCPU_ABORT_ARGS_SIZE_VER0; bytes beyond what the kernel
 *	knows must be zero (EINVAL otherwise) so the struct can grow
 * @vcpu_fd: in: a KVM vCPU file descriptor of the calling process
 * @flags: in: VCPU_ABORT_FLAG_* bits; unknown bits fail with EINVAL
 * @reserved: in: must be zero
 * @report: out: what was pending (QUERY) or what was discarded (ABORT)
 */
struct vcpu_abort_args {
	__u32 size;
	__s32 vcpu_fd;
	__u32 flags;
	__u32 reserved;
	struct vcpu_abort_report report;
};

#define VCPU_ABORT_ARGS_SIZE_VER0	64

#define VCPU_ABORT_IOC_MAGIC		0xB9
/* Report the pending completion; change nothing. */
#define VCPU_ABORT_IOC_QUERY	_IOWR(VCPU_ABORT_IOC_MAGIC, 0x00, \
				      struct vcpu_abort_args)
/* Discard the pending completion and report what was discarded. */
#define VCPU_ABORT_IOC_ABORT	_IOWR(VCPU_ABORT_IOC_MAGIC, 0x01, \
				      struct vcpu_abort_args)
/*
 * Discard the pending completion of the vCPU whose file descriptor is the
 * argument itself (no struct, no flags: the caller's own VM, waiting for
 * the vCPU like ABORT without flags). Returns the &enum vcpu_abort_kind
 * discarded: VCPU_ABORT_KIND_NONE if nothing was pending or what is
 * pending must stay (VCPU_ABORT_INFO_KEPT). A reset path that needs no
 * report touches no user memory; the errors are ABORT's.
 */
#define VCPU_ABORT_IOC_DISCARD	_IO(VCPU_ABORT_IOC_MAGIC, 0x02)

/**
 * enum vcpu_abort_policy - when the module discards a completion by itself
 * @VCPU_ABORT_POLICY_OFF: never; only explicit aborts discard
 * @VCPU_ABORT_POLICY_RESET: when userspace resets the vCPU (arm64
 *	KVM_ARM_VCPU_INIT, x86 KVM_SET_MP_STATE to INIT_RECEIVED or
 *	UNINITIALIZED, riscv KVM_SET_MP_STATE to INIT_RECEIVED with
 *	KVM_CAP_RISCV_MP_STATE_RESET) or writes registers that move its PC
 *	(KVM_SET_REGS, x86 sync_regs, KVM_SET_ONE_REG). A write that leaves
 *	the PC where it was keeps the completion: state-sync users (gem5,
 *	QEMU's VMware backdoor) rely on it
 * @VCPU_ABORT_POLICY_ALWAYS: on every register write and every reset,
 *	also KVM_SET_SREGS and writes that keep the PC
 * @VCPU_ABORT_POLICY_COUNT: number of policies; not a policy
 */
enum vcpu_abort_policy {
	VCPU_ABORT_POLICY_OFF		= 0,
	VCPU_ABORT_POLICY_RESET		= 1,
	VCPU_ABORT_POLICY_ALWAYS	= 2,
	VCPU_ABORT_POLICY_COUNT
};

/**
 * enum vcpu_abort_trigger - what made the module discard a completion
 * @VCPU_ABORT_TRIGGER_EXPLICIT: VCPU_ABORT_IOC_ABORT, VCPU_ABORT_IOC_DISCARD
 *	or VCPU_ABORT_CMD_ABORT
 * @VCPU_ABORT_TRIGGER_SET_REGS: KVM_SET_REGS
 * @VCPU_ABORT_TRIGGER_SYNC_REGS: x86 registers, segment registers or
 *	events synced in by KVM_RUN (kvm_run->kvm_dirty_regs)
 * @VCPU_ABORT_TRIGGER_SET_SREGS: KVM_SET_SREGS
 * @VCPU_ABORT_TRIGGER_SET_ONE_REG: KVM_SET_ONE_REG (on x86 MSRs only, and
 *	only in 7.2 of the supported kernels)
 * @VCPU_ABORT_TRIGGER_VCPU_INIT: arm64 KVM_ARM_VCPU_INIT on an initialised
 *	vCPU, i.e. a vCPU reset
 * @VCPU_ABORT_TRIGGER_SET_MP_STATE: x86 KVM_SET_MP_STATE to INIT_RECEIVED,
 *	SIPI_RECEIVED or UNINITIALIZED; riscv KVM_SET_MP_STATE to
 *	INIT_RECEIVED (with KVM_CAP_RISCV_MP_STATE_RESET)
 * @VCPU_ABORT_TRIGGER_SET_SREGS2: x86 KVM_SET_SREGS2
 * @VCPU_ABORT_TRIGGER_SET_VCPU_EVENTS: x86 KVM_SET_VCPU_EVENTS with
 *	KVM_VCPUEVENT_VALID_SMM (it can enter or leave SMM)
 * @VCPU_ABORT_TRIGGER_SET_NESTED_STATE: x86 KVM_SET_NESTED_STATE (it can
 *	enter or leave guest mode)
 * @VCPU_ABORT_TRIGGER_SET_MSRS: x86 KVM_SET_MSRS (host writes of
 *	MSR_IA32_FEAT_CTL on VMX and of EFER on SVM can leave guest mode)
 * @VCPU_ABORT_TRIGGER_COUNT: number of triggers; not a trigger
 */
enum vcpu_abort_trigger {
	VCPU_ABORT_TRIGGER_EXPLICIT	= 0,
	VCPU_ABORT_TRIGGER_SET_REGS	= 1,
	VCPU_ABORT_TRIGGER_SYNC_REGS	= 2,
	VCPU_ABORT_TRIGGER_SET_SREGS	= 3,
	VCPU_ABORT_TRIGGER_SET_ONE_REG	= 4,
	VCPU_ABORT_TRIGGER_VCPU_INIT	= 5,
	VCPU_ABORT_TRIGGER_SET_MP_STATE	= 6,
	VCPU_ABORT_TRIGGER_SET_SREGS2	= 7,
	VCPU_ABORT_TRIGGER_SET_VCPU_EVENTS = 8,
	VCPU_ABORT_TRIGGER_SET_NESTED_STATE = 9,
	VCPU_ABORT_TRIGGER_SET_MSRS	= 10,
	VCPU_ABORT_TRIGGER_COUNT
};

/*
 * The names of the policies, kinds and triggers, one table for everything
 * that spells them: the netlink spec, vcpuctl, the module parameter
 * default_policy and the module's debugfs files. Designated initializers
 * of a table indexed by the enum:
 *
 *	static const char *const names[VCPU_ABORT_KIND_COUNT] = {
 *		VCPU_ABORT_KIND_NAMES
 *	};
 */
#define VCPU_ABORT_POLICY_NAMES						\
	[VCPU_ABORT_POLICY_OFF]			= "off",		\
	[VCPU_ABORT_POLICY_RESET]		= "reset",		\
	[VCPU_ABORT_POLICY_ALWAYS]		= "always",

#define VCPU_ABORT_KIND_NAMES						\
	[VCPU_ABORT_KIND_NONE]			= "none",		\
	[VCPU_ABORT_KIND_MMIO_LOAD]		= "mmio-load",		\
	[VCPU_ABORT_KIND_MMIO_STORE]		= "mmio-store",		\
	[VCPU_ABORT_KIND_PIO_IN]		= "pio-in",		\
	[VCPU_ABORT_KIND_PIO_OUT]		= "pio-out",		\
	[VCPU_ABORT_KIND_HYPERCALL]		= "hypercall",		\
	[VCPU_ABORT_KIND_MSR_READ]		= "msr-read",		\
	[VCPU_ABORT_KIND_MSR_WRITE]		= "msr-write",		\
	[VCPU_ABORT_KIND_PPC_OSI]		= "ppc-osi",		\
	[VCPU_ABORT_KIND_PPC_EPR]		= "ppc-epr",		\
	[VCPU_ABORT_KIND_OTHER]			= "other",		\
	[VCPU_ABORT_KIND_RISCV_CSR]		= "riscv-csr",

#define VCPU_ABORT_TRIGGER_NAMES					\
	[VCPU_ABORT_TRIGGER_EXPLICIT]		= "explicit",		\
	[VCPU_ABORT_TRIGGER_SET_REGS]		= "set-regs",		\
	[VCPU_ABORT_TRIGGER_SYNC_REGS]		= "sync-regs",		\
	[VCPU_ABORT_TRIGGER_SET_SREGS]		= "set-sregs",		\
	[VCPU_ABORT_TRIGGER_SET_ONE_REG]	= "set-one-reg",	\
	[VCPU_ABORT_TRIGGER_VCPU_INIT]		= "vcpu-init",		\
	[VCPU_ABORT_TRIGGER_SET_MP_STATE]	= "set-mp-state",	\
	[VCPU_ABORT_TRIGGER_SET_SREGS2]		= "set-sregs2",		\
	[VCPU_ABORT_TRIGGER_SET_VCPU_EVENTS]	= "set-vcpu-events",	\
	[VCPU_ABORT_TRIGGER_SET_NESTED_STATE]	= "set-nested-state",	\
	[VCPU_ABORT_TRIGGER_SET_MSRS]		= "set-msrs",

/*
 * The generic netlink family VCPU_ABORT_GENL_NAME, described by
 * Documentation/netlink/specs/vcpu_abort.yaml. Commands that name a vCPU
 * or VM do so with a file descriptor of the sending process (the
 * descriptor is the permission); the others need CAP_NET_ADMIN.
 */
#define VCPU_ABORT_GENL_VERSION		1
/* Multicast group: one VCPU_ABORT_CMD_EVENT per discarded completion. */
#define VCPU_ABORT_GENL_MCGRP_EVENTS	"events"

/**
 * enum vcpu_abort_cmd - commands of the generic netlink family
 * @VCPU_ABORT_CMD_UNSPEC: invalid
 * @VCPU_ABORT_CMD_QUERY: VCPU_ABORT_A_FD (a vCPU), optional
 *	VCPU_ABORT_A_FLAGS; replies VCPU_ABORT_A_REPORT. Never waits for a
 *	vCPU in KVM_RUN: EBUSY, as with VCPU_ABORT_FLAG_NONBLOCK
 * @VCPU_ABORT_CMD_ABORT: as QUERY, and discards what it reports
 * @VCPU_ABORT_CMD_SET_POLICY: VCPU_ABORT_A_POLICY for the VM of
 *	VCPU_ABORT_A_FD (a vCPU or VM fd); without a fd, the module's default
 *	for VMs that have none (CAP_NET_ADMIN)
 * @VCPU_ABORT_CMD_GET_POLICY: replies VCPU_ABORT_A_POLICY (and
 *	VCPU_ABORT_A_VM_ID) of that VM, or the default without a fd
 * @VCPU_ABORT_CMD_GET_STATS: dump, one reply per VM the module has seen:
 *	VCPU_ABORT_A_PID, VCPU_ABORT_A_VM_ID, VCPU_ABORT_A_POLICY,
 *	VCPU_ABORT_A_STATS (CAP_NET_ADMIN)
 * @VCPU_ABORT_CMD_EVENT: notification on VCPU_ABORT_GENL_MCGRP_EVENTS:
 *	VCPU_ABORT_A_PID, VCPU_ABORT_A_VM_ID, VCPU_ABORT_A_VCPU_ID,
 *	VCPU_ABORT_A_TRIGGER, VCPU_ABORT_A_REPORT
 * @VCPU_ABORT_CMD_GET_HOOKS: replies how the policies see KVM: one
 *	VCPU_ABORT_A_HOOK per probed KVM function, VCPU_ABORT_A_HOOKS_ARMED,
 *	VCPU_ABORT_A_KPROBES_DISARMED and VCPU_ABORT_A_VM_DESTROY_HOOK
 * @__VCPU_ABORT_CMD_MAX: number of commands; not a command
 */
enum vcpu_abort_cmd {
	VCPU_ABORT_CMD_UNSPEC		= 0,
	VCPU_ABORT_CMD_QUERY		= 1,
	VCPU_ABORT_CMD_ABORT		= 2,
	VCPU_ABORT_CMD_SET_POLICY	= 3,
	VCPU_ABORT_CMD_GET_POLICY	= 4,
	VCPU_ABORT_CMD_GET_STATS	= 5,
	VCPU_ABORT_CMD_EVENT		= 6,
	VCPU_ABORT_CMD_GET_HOOKS	= 7,
	__VCPU_ABORT_CMD_MAX
};

#define VCPU_ABORT_CMD_MAX	(__VCPU_ABORT_CMD_MAX - 1)

/**
 * enum vcpu_abort_attr - top-level attributes
 * @VCPU_ABORT_A_UNSPEC: invalid
 * @VCPU_ABORT_A_FD: s32, a vCPU (or for policies a VM) fd of the sender
 * @VCPU_ABORT_A_FLAGS: u32, VCPU_ABORT_FLAG_* bits
 * @VCPU_ABORT_A_POLICY: u32, an &enum vcpu_abort_policy
 * @VCPU_ABORT_A_REPORT: nested &enum vcpu_abort_report_attr
 * @VCPU_ABORT_A_PID: u32, thread group id of the process owning the VM
 * @VCPU_ABORT_A_VM_ID: u32, the module's number for the VM (as in the
 *	debugfs directory name <pid>-<vm id>)
 * @VCPU_ABORT_A_VCPU_ID: u32, KVM's vCPU id
 * @VCPU_ABORT_A_TRIGGER: u32, an &enum vcpu_abort_trigger
 * @VCPU_ABORT_A_STATS: nested &enum vcpu_abort_stats_attr
 * @VCPU_ABORT_A_PAD: padding for 64-bit attributes
 * @VCPU_ABORT_A_HOOK: nested &enum vcpu_abort_hook_attr, one per hook
 * @VCPU_ABORT_A_HOOKS_ARMED: u32, 1 while the policy hooks are armed (some
 *	VM, or the default, has a policy other than off, or had one less than
 *	a second ago), 0 otherwise
 * @VCPU_ABORT_A_KPROBES_DISARMED: u32, 1 if kprobes are disarmed
 *	system-wide (debugfs kprobes/enabled is 0): a policy that needs a
 *	hook seen by a kprobe or kretprobe is refused
 * @VCPU_ABORT_A_VM_DESTROY_HOOK: u32, an &enum vcpu_abort_destroy_hook:
 *	how the module learns that a VM is destroyed
 * @__VCPU_ABORT_A_MAX: number of attributes; not an attribute
 */
enum vcpu_abort_attr {
	VCPU_ABORT_A_UNSPEC	= 0,
	VCPU_ABORT_A_FD		= 1,
	VCPU_ABORT_A_FLAGS	= 2,
	VCPU_ABORT_A_POLICY	= 3,
	VCPU_ABORT_A_REPORT	= 4,
	VCPU_ABORT_A_PID	= 5,
	VCPU_ABORT_A_VM_ID	= 6,
	VCPU_ABORT_A_VCPU_ID	= 7,
	VCPU_ABORT_A_TRIGGER	= 8,
	VCPU_ABORT_A_STATS	= 9,
	VCPU_ABORT_A_PAD	= 10,
	VCPU_ABORT_A_HOOK	= 11,
	VCPU_ABORT_A_HOOKS_ARMED = 12,
	VCPU_ABORT_A_KPROBES_DISARMED = 13,
	VCPU_ABORT_A_VM_DESTROY_HOOK = 14,
	__VCPU_ABORT_A_MAX
};

#define VCPU_ABORT_A_MAX	(__VCPU_ABORT_A_MAX - 1)

/**
 * enum vcpu_abort_report_attr - &struct vcpu_abort_report as attributes
 * @VCPU_ABORT_REPORT_A_UNSPEC: invalid
 * @VCPU_ABORT_REPORT_A_KIND: u32, &vcpu_abort_report.kind
 * @VCPU_ABORT_REPORT_A_DIR: u32, &vcpu_abort_report.dir
 * @VCPU_ABORT_REPORT_A_ADDR: u64, &vcpu_abort_report.addr, if known
 * @VCPU_ABORT_REPORT_A_LEN: u32, &vcpu_abort_report.len, if known
 * @VCPU_ABORT_REPORT_A_COUNT: u32, &vcpu_abort_report.count
 * @VCPU_ABORT_REPORT_A_DEST_CLASS: u32, &vcpu_abort_report.dest_class
 * @VCPU_ABORT_REPORT_A_DEST_REG: u32, &vcpu_abort_report.dest_reg
 * @VCPU_ABORT_REPORT_A_INFO: u32, &vcpu_abort_report.info
 * @VCPU_ABORT_REPORT_A_PAD: padding for 64-bit attributes
 * @__VCPU_ABORT_REPORT_A_MAX: number of attributes; not an attribute
 */
enum vcpu_abort_report_attr {
	VCPU_ABORT_REPORT_A_UNSPEC	= 0,
	VCPU_ABORT_REPORT_A_KIND	= 1,
	VCPU_ABORT_REPORT_A_DIR		= 2,
	VCPU_ABORT_REPORT_A_ADDR	= 3,
	VCPU_ABORT_REPORT_A_LEN		= 4,
	VCPU_ABORT_REPORT_A_COUNT	= 5,
	VCPU_ABORT_REPORT_A_DEST_CLASS	= 6,
	VCPU_ABORT_REPORT_A_DEST_REG	= 7,
	VCPU_ABORT_REPORT_A_INFO	= 8,
	VCPU_ABORT_REPORT_A_PAD		= 9,
	__VCPU_ABORT_REPORT_A_MAX
};

#define VCPU_ABORT_REPORT_A_MAX	(__VCPU_ABORT_REPORT_A_MAX - 1)

/**
 * enum vcpu_abort_stats_attr - counters of one VM, all u64
 * @VCPU_ABORT_STATS_A_UNSPEC: invalid
 * @VCPU_ABORT_STATS_A_KIND: nested; attribute type N counts the discarded
 *	completions of &enum vcpu_abort_kind N (VCPU_ABORT_STATS_KIND_*)
 * @VCPU_ABORT_STATS_A_TRIGGER: nested; attribute type N + 1 counts the
 *	discards by &enum vcpu_abort_trigger N (VCPU_ABORT_STATS_TRIGGER_*;
 *	type 0 cannot be used)
 * @VCPU_ABORT_STATS_A_KEPT: u64, register writes that found a completion
 *	pending and kept it because the policy said so
 * @VCPU_ABORT_STATS_A_PAD: padding for 64-bit attributes
 * @__VCPU_ABORT_STATS_A_MAX: number of attributes; not an attribute
 */
enum vcpu_abort_stats_attr {
	VCPU_ABORT_STATS_A_UNSPEC	= 0,
	VCPU_ABORT_STATS_A_KIND		= 1,
	VCPU_ABORT_STATS_A_TRIGGER	= 2,
	VCPU_ABORT_STATS_A_KEPT		= 3,
	VCPU_ABORT_STATS_A_PAD		= 4,
	__VCPU_ABORT_STATS_A_MAX
};

#define VCPU_ABORT_STATS_A_MAX	(__VCPU_ABORT_STATS_A_MAX - 1)

/*
 * Attributes of VCPU_ABORT_STATS_A_KIND: type N counts the discarded
 * completions of &enum vcpu_abort_kind N.
 */
enum {
	VCPU_ABORT_STATS_KIND_MMIO_LOAD = 1,
	VCPU_ABORT_STATS_KIND_MMIO_STORE,
	VCPU_ABORT_STATS_KIND_PIO_IN,
	VCPU_ABORT_STATS_KIND_PIO_OUT,
	VCPU_ABORT_STATS_KIND_HYPERCALL,
	VCPU_ABORT_STATS_KIND_MSR_READ,
	VCPU_ABORT_STATS_KIND_MSR_WRITE,
	VCPU_ABORT_STATS_KIND_PPC_OSI,
	VCPU_ABORT_STATS_KIND_PPC_EPR,
	VCPU_ABORT_STATS_KIND_OTHER,
	VCPU_ABORT_STATS_KIND_RISCV_CSR,

	__VCPU_ABORT_STATS_KIND_MAX,
	VCPU_ABORT_STATS_KIND_MAX = (__VCPU_ABORT_STATS_KIND_MAX - 1)
};

/*
 * Attributes of VCPU_ABORT_STATS_A_TRIGGER: type N + 1 counts the discards
 * by &enum vcpu_abort_trigger N.
 */
enum {
	VCPU_ABORT_STATS_TRIGGER_EXPLICIT = 1,
	VCPU_ABORT_STATS_TRIGGER_SET_REGS,
	VCPU_ABORT_STATS_TRIGGER_SYNC_REGS,
	VCPU_ABORT_STATS_TRIGGER_SET_SREGS,
	VCPU_ABORT_STATS_TRIGGER_SET_ONE_REG,
	VCPU_ABORT_STATS_TRIGGER_VCPU_INIT,
	VCPU_ABORT_STATS_TRIGGER_SET_MP_STATE,
	VCPU_ABORT_STATS_TRIGGER_SET_SREGS2,
	VCPU_ABORT_STATS_TRIGGER_SET_VCPU_EVENTS,
	VCPU_ABORT_STATS_TRIGGER_SET_NESTED_STATE,
	VCPU_ABORT_STATS_TRIGGER_SET_MSRS,

	__VCPU_ABORT_STATS_TRIGGER_MAX,
	VCPU_ABORT_STATS_TRIGGER_MAX = (__VCPU_ABORT_STATS_TRIGGER_MAX - 1)
};

/**
 * enum vcpu_abort_hook_state - whether a KVM function the policies need is
 *	probed
 * @VCPU_ABORT_HOOK_STATE_READY: probed; armed while a policy other than off
 *	is in effect, disarmed otherwise
 * @VCPU_ABORT_HOOK_STATE_MISSING: this kernel has no such function
 *	(renamed, or inlined into its callers): its path is invisible
 * @VCPU_ABORT_HOOK_STATE_CLONED: the compiler made clones of it (.isra,
 *	.constprop, .part): callers of a clone would not be seen, or its
 *	arguments are not the function's
 * @VCPU_ABORT_HOOK_STATE_FAILED: kprobes refused it;
 *	VCPU_ABORT_HOOK_A_ERRNO says why
 * @VCPU_ABORT_HOOK_STATE_DISABLED: the module was loaded with
 *	policy_hooks=0
 *
 * A policy whose hooks are not all READY is refused with EOPNOTSUPP.
 */
enum vcpu_abort_hook_state {
	VCPU_ABORT_HOOK_STATE_READY	= 0,
	VCPU_ABORT_HOOK_STATE_MISSING	= 1,
	VCPU_ABORT_HOOK_STATE_CLONED	= 2,
	VCPU_ABORT_HOOK_STATE_FAILED	= 3,
	VCPU_ABORT_HOOK_STATE_DISABLED	= 4,
};

/**
 * enum vcpu_abort_destroy_hook - how the module sees a VM go away
 * @VCPU_ABORT_DESTROY_HOOK_FTRACE: a permanent ftrace hook on
 *	kvm_arch_destroy_vm(), which cannot be disarmed while the module is
 *	loaded (sysctl kernel.ftrace_enabled=0 then fails with EBUSY)
 * @VCPU_ABORT_DESTROY_HOOK_KPROBE: a kprobe on kvm_arch_destroy_vm(),
 *	where the kernel cannot trace it; disarming kprobes system-wide could
 *	then make the module miss a destruction
 */
enum vcpu_abort_destroy_hook {
	VCPU_ABORT_DESTROY_HOOK_FTRACE	= 0,
	VCPU_ABORT_DESTROY_HOOK_KPROBE	= 1,
};

/**
 * enum vcpu_abort_hook_mechanism - how a hook sees its KVM function
 * @VCPU_ABORT_HOOK_MECHANISM_KRETPROBE: a kretprobe, decided when the
 *	function returns; disarming kprobes system-wide (debugfs
 *	kprobes/enabled) blinds it
 * @VCPU_ABORT_HOOK_MECHANISM_KPROBE: a kprobe on its entry, decided there;
 *	blinded by the same switch
 * @VCPU_ABORT_HOOK_MECHANISM_FTRACE: an ftrace callback on its entry,
 *	decided there; while armed, sysctl kernel.ftrace_enabled=0 fails with
 *	EBUSY, so nothing blinds it
 */
enum vcpu_abort_hook_mechanism {
	VCPU_ABORT_HOOK_MECHANISM_KRETPROBE	= 0,
	VCPU_ABORT_HOOK_MECHANISM_KPROBE	= 1,
	VCPU_ABORT_HOOK_MECHANISM_FTRACE	= 2,
};

/**
 * enum vcpu_abort_hook_attr - one hook, nested in VCPU_ABORT_A_HOOK
 * @VCPU_ABORT_HOOK_A_UNSPEC: invalid
 * @VCPU_ABORT_HOOK_A_SYMBOL: string, the KVM function
 * @VCPU_ABORT_HOOK_A_STATE: u32, an &enum vcpu_abort_hook_state
 * @VCPU_ABORT_HOOK_A_ERRNO: u32, the positive errno of a FAILED hook
 * @VCPU_ABORT_HOOK_A_POLICIES: u32, bit N set: policy N (&enum
 *	vcpu_abort_policy) needs this hook and is refused without it
 * @VCPU_ABORT_HOOK_A_TRIGGER: u32, the &enum vcpu_abort_trigger its
 *	discards are counted under
 * @VCPU_ABORT_HOOK_A_MECHANISM: u32, an &enum vcpu_abort_hook_mechanism:
 *	how a READY hook sees the function (absent otherwise)
 * @__VCPU_ABORT_HOOK_A_MAX: number of attributes; not an attribute
 */
enum vcpu_abort_hook_attr {
	VCPU_ABORT_HOOK_A_UNSPEC	= 0,
	VCPU_ABORT_HOOK_A_SYMBOL	= 1,
	VCPU_ABORT_HOOK_A_STATE		= 2,
	VCPU_ABORT_HOOK_A_ERRNO		= 3,
	VCPU_ABORT_HOOK_A_POLICIES	= 4,
	VCPU_ABORT_HOOK_A_TRIGGER	= 5,
	VCPU_ABORT_HOOK_A_MECHANISM	= 6,
	__VCPU_ABORT_HOOK_A_MAX
};

#define VCPU_ABORT_HOOK_A_MAX	(__VCPU_ABORT_HOOK_A_MAX - 1)

#endif /* _UAPI_LINUX_VCPU_ABORT_H */
