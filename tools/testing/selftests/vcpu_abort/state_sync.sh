#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The PC-kept state sync, per exit kind of the arch: a pending exit, a
# register write that leaves the PC where it was, then KVM_RUN. With
# policy reset the completion is kept and lands on top of the write (as
# far as KVM merges it: Documentation/hooks.rst); with policy always it is
# gone; the module's kept and discarded counts of the VM must say the
# same. vcpuctl sync knows each arch's registers and does the checking;
# this wraps its verdict in TAP. Exit code 0 pass, 1 fail, 4 skip.
here=$(dirname "$0")
vcpuctl=$(command -v vcpuctl || echo "$here/../vcpuctl")

echo "TAP version 13"
echo "1..1"
if [ ! -x "$vcpuctl" ]; then
	echo "ok 1 state_sync # SKIP vcpuctl not found"
	exit 4
fi
out=$("$vcpuctl" sync --all 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
case $rc in
0) echo "ok 1 state_sync" ;;
4) echo "ok 1 state_sync # SKIP $(echo "$out" | tail -n 1)" ;;
*) echo "not ok 1 state_sync # vcpuctl sync exit=$rc" ;;
esac
[ $rc -eq 0 ] || [ $rc -eq 4 ] || exit 1
exit $rc
