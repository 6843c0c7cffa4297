# SPDX-License-Identifier: GPL-2.0
#
# The lab's TAP rules, in POSIX sh: sourced by the guest's init (busybox)
# and by the host plan (/bin/sh), so a command counts the same everywhere.
# TAP_PREFIX names where it ran ("lab", "host"); tap_n and failed are the
# totals.

tap_n=0
failed=0
: "${TAP_PREFIX:=lab}"

# tap <exit code> <description> [<skip reason>]: 0 ok, 4 skip, anything
# else not ok.
tap()
{
	tap_n=$((tap_n + 1))
	case $1 in
	0) echo "ok $tap_n $2" ;;
	4) echo "ok $tap_n $2 # SKIP ${3:-exit code 4}" ;;
	*) echo "not ok $tap_n $2 # exit code $1"; failed=1 ;;
	esac
}

# Why a command skipped: a kselftest's "1..0 # SKIP <reason>", else the
# last line it printed.
skip_reason()
{
	sed -n 's/^1\.\.0 # SKIP //p' "$1" | tail -n 1 | grep . ||
		grep . "$1" | tail -n 1
}

# A command that prints TAP results (a kselftest) is counted by those; one
# that exits non-zero without a "not ok" is one more failure. Any other
# command is one test: its exit code.
run_command()
{
	local cmd=$1 out rc results

	out=$(mktemp)
	echo "# $TAP_PREFIX: running: $cmd"
	{ sh -c "$cmd" </dev/null 2>&1; echo $? >"$out.rc"; } | tee "$out"
	rc=$(cat "$out.rc")
	results=$(grep -cE '^(not )?ok ' "$out")
	if [ "$results" -eq 0 ]; then
		tap "$rc" "$TAP_PREFIX: $cmd" "$(skip_reason "$out")"
	else
		tap_n=$((tap_n + results))
		if grep -q '^not ok ' "$out"; then
			failed=1
		elif [ "$rc" != 0 ] && [ "$rc" != 4 ]; then
			tap "$rc" "$TAP_PREFIX: $cmd"
		fi
	fi
	rm -f "$out" "$out.rc"
}

# Each non-empty line of a file is one command.
run_commands()
{
	local cmd

	while IFS= read -r cmd <&3; do
		[ -n "$cmd" ] && run_command "$cmd"
	done 3<"$1"
}
