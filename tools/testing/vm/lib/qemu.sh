# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Booting a target under QEMU TCG. The guest's verdict comes from the
# "LAB-EXIT rc=N" line its init prints, never from QEMU's exit status.

VM_TIMEOUT=${VCPU_ABORT_VM_TIMEOUT:-600}
VM_SMP=${VCPU_ABORT_VM_SMP:-2}

qemu_cmdline()
{
	local initrd=$1 append=$2

	QEMU_CMD=("$QEMU" "${QEMU_ARGS[@]}" -smp "$VM_SMP" -nographic
		-no-reboot -kernel "$KERNEL_IMAGE" -initrd "$initrd"
		-append "console=$GUEST_CONSOLE panic=-1 loglevel=1 $append")
}

# Boot with a command list; the console goes to LOG (and to the terminal
# when SHOW is 1). Returns the guest's status; 124 on a hung guest.
boot_guest()
{
	local cmds=$1 log=$2 show=${3:-0} append=${4:-} initrd rc=0 status
	local terminal=/dev/null

	step boot
	initrd=$(initramfs_with_commands "$cmds")
	qemu_cmdline "$initrd" "$append"
	[ "$show" = 1 ] && terminal=/dev/stdout
	# pipefail: rc is timeout's (124 on a hung guest), not tee's.
	timeout -k 10 "$VM_TIMEOUT" "${QEMU_CMD[@]}" </dev/null 2>&1 |
		tr -d '\r' | tee "$log" >"$terminal" || rc=$?
	rm -f "$initrd"
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		log "$TARGET: guest did not finish within ${VM_TIMEOUT}s (hung?); console log: $log"
		return 124
	fi
	status=$(sed -n 's/^LAB-EXIT rc=\([0-9]*\)$/\1/p' "$log" | tail -n 1)
	if [ -z "$status" ]; then
		log "$TARGET: guest ended without reporting (crash or QEMU error, rc=$rc); console log: $log"
		tail -n 15 "$log" | sed 's/^/[lab]   | /' >&2
		return 125
	fi
	return "$status"
}

# Interactive: the terminal is the guest's console.
shell_guest()
{
	local initrd

	step shell
	initrd=$(initramfs_with_commands "")
	qemu_cmdline "$initrd" lab.shell
	"${QEMU_CMD[@]}" || true
	rm -f "$initrd"
}
