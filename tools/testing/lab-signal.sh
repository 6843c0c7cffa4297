#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lab's emulator goes with the lab: a signal to the lab's process
# group (Ctrl-C, timeout(1) around a lab command, a CI job ending it) ends
# the emulator too, instead of leaving it to run, a core busy, until its
# own time limit (lib/qemu.sh, VM_TIMEOUT: 90 minutes).
#
# boot_guest() of lib/qemu.sh runs in a process group of its own, as a
# lab started from a shell does, with a stand-in for QEMU: a process that
# writes its pid where QEMU's -pidfile would and then sleeps. The group
# gets SIGTERM; the stand-in must be gone. No guest boots, so this needs
# neither QEMU nor KVM. Run from the top of this tree. Exit codes: 0 pass,
# 1 fail, 4 skip (the harness's, lab-tap.sh).

set -u
[ -f Kbuild ] || { echo "run from the top of the vcpu-abort tree"; exit 1; }
tmp=$(mktemp -d /tmp/lab-signal.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# Generous: the stand-in starts in a fraction of a second on an idle
# machine.
start_cap=120

# shellcheck disable=SC2016 # expanded by that bash, not here
LAB_SIGNAL_DIR=$tmp setsid bash -c '
	. tools/testing/vm/lib/common.sh
	. tools/testing/vm/lib/qemu.sh
	initramfs_with_commands() { echo "$LAB_SIGNAL_DIR/initrd"; }
	qemu_cmdline() {
		QEMU_CMD=(sh -c "echo \$\$ >\"\$2\"; exec sleep 3600" stand-in)
	}
	boot_guest "" "$LAB_SIGNAL_DIR/console.log"' \
	>"$tmp/lab.out" 2>&1 &
group=$!

pid=
for _ in $(seq "$start_cap"); do
	pid=$(cat "$tmp/initrd.pid" 2>/dev/null) && [ -n "$pid" ] && break
	sleep 1
done
if [ -z "$pid" ]; then
	kill -TERM -- "-$group" 2>/dev/null
	echo "lab-signal: SKIP: the stand-in did not start within $start_cap s"
	exit 4
fi

kill -TERM -- "-$group"
wait "$group" 2>/dev/null
# The stand-in has had its signal when the group's leader is gone; give
# it a moment to be reaped.
for _ in 1 2 3 4 5; do
	kill -0 "$pid" 2>/dev/null || break
	sleep 1
done
if kill -0 "$pid" 2>/dev/null; then
	kill -KILL "$pid"
	echo "lab-signal: FAIL: the emulator (pid $pid) outlived SIGTERM to the lab's process group"
	exit 1
fi
echo "lab-signal: pass: SIGTERM to the lab's process group ended its emulator"
