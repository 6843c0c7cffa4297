# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Booting a target under QEMU TCG (or Bochs: lib/bochs.sh). The guest's
# verdict comes from the "LAB-EXIT rc=N" line its init prints, never from
# the emulator's exit status.

VM_TIMEOUT=${VCPU_ABORT_VM_TIMEOUT:-600}
VM_SMP=${VCPU_ABORT_VM_SMP:-2}
# QEMU_FROM_ROOT=1 (variants/): the QEMU of the target's suite, installed
# into its build root, for a machine the host's QEMU lacks. It runs on the
# host with the root's loader, libraries, modules and firmware; kernel,
# initramfs and logs stay host paths. On the host's own suite, the host's.
ensure_qemu()
{
	local root

	[ "${QEMU_FROM_ROOT:-0}" = 1 ] && ! host_suite "$SUITE" || return 0
	step qemu
	root=$(build_root "$SUITE")
	[ -x "$root/usr/bin/$QEMU" ] && return 0
	log "$SUITE: installing $QEMU_PKG into the build root (once)"
	logged "$CACHE/logs/qemu-$SUITE.log" with_lock "root-$SUITE" \
		in_build_root sh -c \
		"apt-get update; DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends $QEMU_PKG"
	[ -x "$root/usr/bin/$QEMU" ] || die "no $QEMU in $root"
}

qemu_binary()
{
	local root lib

	if [ "${QEMU_FROM_ROOT:-0}" = 1 ] && ! host_suite "$SUITE"; then
		root=$(build_root "$SUITE")
		lib=$root/usr/lib/x86_64-linux-gnu
		QEMU_CMD=(env "QEMU_MODULE_DIR=$lib/qemu"
			"$root/lib64/ld-linux-x86-64.so.2"
			--library-path "$lib:$root/lib/x86_64-linux-gnu"
			"$root/usr/bin/$QEMU" -L "$root/usr/share/qemu")
	else
		QEMU_CMD=("$QEMU")
	fi
}

# GUEST_APPEND (arch/ or variants/): kernel parameters of the target.
qemu_cmdline()
{
	local initrd=$1 append=$2

	qemu_binary
	QEMU_CMD+=("${QEMU_ARGS[@]}" -smp "$VM_SMP" -nographic
		-no-reboot -kernel "$KERNEL_IMAGE" -initrd "$initrd"
		-append "console=$GUEST_CONSOLE panic=-1 loglevel=1 ${GUEST_APPEND:-} $append")
}

# The guest's verdict from its console log and the emulator's exit status
# (timeout's: 124 or 137 when the guest was killed after SECONDS).
# Returns the guest's status; 124 on a hung guest, 125 on one that ended
# without reporting.
guest_verdict()
{
	local log=$1 rc=$2 seconds=$3 status

	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		log "$TARGET: guest did not finish within ${seconds}s (hung?); console log: $log"
		return 124
	fi
	status=$(sed -n 's/^LAB-EXIT rc=\([0-9]*\)$/\1/p' "$log" | tail -n 1)
	if [ -z "$status" ]; then
		log "$TARGET: guest ended without reporting (crash or emulator error, rc=$rc); console log: $log"
		tail -n 15 "$log" | sed 's/^/[lab]   | /' >&2
		return 125
	fi
	return "$status"
}

# Boot with a command list; the console goes to LOG (and to the terminal
# when SHOW is 1). Returns the guest's status (guest_verdict). Targets
# with EMULATOR=bochs boot under Bochs (lib/bochs.sh).
boot_guest()
{
	local cmds=$1 log=$2 show=${3:-0} append=${4:-} initrd rc=0
	local terminal=/dev/null

	if [ "${EMULATOR:-qemu}" = bochs ]; then
		bochs_boot_guest "$@"
		return
	fi
	step boot
	initrd=$(initramfs_with_commands "$cmds")
	qemu_cmdline "$initrd" "$append"
	[ "$show" = 1 ] && terminal=/dev/stdout
	# pipefail: rc is timeout's (124 on a hung guest), not tee's.
	timeout -k 10 "$VM_TIMEOUT" "${QEMU_CMD[@]}" </dev/null 2>&1 |
		tr -d '\r' | tee "$log" >"$terminal" || rc=$?
	rm -f "$initrd"
	guest_verdict "$log" "$rc" "$VM_TIMEOUT"
}

# Interactive: the terminal is the guest's console.
shell_guest()
{
	local initrd

	if [ "${EMULATOR:-qemu}" = bochs ]; then
		bochs_shell_guest
		return
	fi
	step shell
	initrd=$(initramfs_with_commands "")
	qemu_cmdline "$initrd" lab.shell
	"${QEMU_CMD[@]}" || true
	rm -f "$initrd"
}
