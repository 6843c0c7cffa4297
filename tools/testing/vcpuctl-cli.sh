#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vcpuctl's command line keeps its promises (vcpuctl(8)): every command in
# 'vcpuctl help' has a --help that exits 0 and starts with its usage
# line, and a man page SYNOPSIS line; a bad command line prints one line,
# "vcpuctl: CMD: <what>; see 'vcpuctl CMD --help'", and exits 2;
# --version prints Kbuild's VCPU_ABORT_VERSION; a KVM device named with
# --kvm-dev that is not KVM is an error (1); without any KVM device the
# KVM commands skip (4). Needs no KVM and no module. $VCPUCTL: the binary
# (default: vcpuctl on PATH). Run from the top of this tree. Exit codes:
# 0 pass, 1 fail.

vcpuctl=${VCPUCTL:-vcpuctl}
command -v "$vcpuctl" >/dev/null || { echo "cli: no $vcpuctl"; exit 1; }
[ -f Kbuild ] || { echo "run from the top of the vcpu-abort tree"; exit 1; }
tmp=$(mktemp -d /tmp/vcpuctl-cli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "cli: FAIL: $*"; failed=1; }

# run <expected exit code> <args...>: output in $tmp/out, $tmp/err
run()
{
	want=$1
	shift
	"$vcpuctl" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" = "$want" ] ||
		fail "vcpuctl $*: exit $got, expected $want ($(head -n 1 "$tmp/err"))"
}

# A usage error: exit 2, exactly one line on stderr naming the command
# and its help, nothing on stdout.
usage_error()
{
	cmd=$1
	run 2 "$@"
	if [ "$(wc -l <"$tmp/err")" -ne 1 ] || [ -s "$tmp/out" ]; then
		fail "vcpuctl $*: not one line on stderr alone: $(cat "$tmp/err" "$tmp/out")"
	elif ! grep -q "^vcpuctl: $cmd: .*; see 'vcpuctl $cmd --help'\$" "$tmp/err"; then
		fail "vcpuctl $*: '$(cat "$tmp/err")'"
	fi
}

run 0 help
commands=$(sed -n 's/^  \([a-z]*\)  .*/\1/p' "$tmp/out" | grep -vx help)
[ -n "$commands" ] || fail "no command list in 'vcpuctl help'"
for cmd in $commands; do
	run 0 "$cmd" --help
	head -n 1 "$tmp/out" | grep -q "^usage: vcpuctl $cmd" ||
		fail "vcpuctl $cmd --help does not start with its usage line"
	run 0 help "$cmd"
	grep -q "^| \*\*vcpuctl $cmd\*\*" Documentation/vcpuctl.8.rst ||
		fail "vcpuctl.8 SYNOPSIS lacks 'vcpuctl $cmd'"
	usage_error "$cmd" --no-such-option
done
echo "cli: $(echo "$commands" | wc -w) commands: --help exits 0, SYNOPSIS lists each, unknown options are usage errors"

# Each reset path of the build's arch says what it does.
run 0 race --help
sed -n '/^reset paths of this build/,/^$/{/^  /p;}' "$tmp/out" >"$tmp/resets"
[ -s "$tmp/resets" ] || fail "race --help lists no reset path"
while read -r name desc; do
	[ -n "$desc" ] || fail "race --help: reset path '$name' has no description"
done <"$tmp/resets"
echo "cli: race --help describes each of its $(grep -c . "$tmp/resets") reset paths"

usage_error query abc
usage_error abort 1 2 3
usage_error policy --default sometimes
usage_error bench --reps 0
usage_error info extra
usage_error race --exit no-such-exit
usage_error race --policy reset
usage_error race --exit
usage_error sync --all=yes
usage_error monitor --count x
run 2 no-such-command
grep -q "^vcpuctl: unknown command 'no-such-command'; see 'vcpuctl help'\$" \
	"$tmp/err" || fail "unknown command: '$(cat "$tmp/err")'"
echo "cli: usage errors: one line, exit 2"

version=$(sed -n 's/^VCPU_ABORT_VERSION := *//p' Kbuild)
run 0 --version
[ "$(cat "$tmp/out")" = "vcpuctl $version" ] ||
	fail "vcpuctl --version: '$(cat "$tmp/out")', expected 'vcpuctl $version'"

run 1 --kvm-dev /dev/null info
grep -q "^vcpuctl: info: /dev/null: " "$tmp/err" ||
	fail "--kvm-dev /dev/null: '$(cat "$tmp/err")'"
if [ ! -e /dev/kvm ]; then
	for cmd in info race sync bench; do
		run 4 "$cmd"
		grep -q "^vcpuctl: $cmd: no KVM on this machine" "$tmp/err" ||
			fail "vcpuctl $cmd without /dev/kvm: '$(cat "$tmp/err")'"
	done
	echo "cli: no /dev/kvm: info, race, sync, bench skip (4)"
fi
echo "cli: --version $version; --kvm-dev /dev/null is an error (1)"
[ "$failed" = 0 ] && echo "cli: pass"
exit "$failed"
