# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2034 # failed: read by init and the host plan
#
# The lab's KTAP (Documentation/dev-tools/ktap.rst, version 1), in POSIX
# sh: sourced by the guest's init (busybox) and by the host plan (/bin/sh),
# so that each console is one KTAP stream. ktap_begin prints the version
# line and the plan; every step is one numbered result. A command that
# prints (K)TAP itself (a kselftest) has its output nested two spaces in,
# as the subtests of its result; any other output goes into "# "
# diagnostic lines. TAP_PREFIX names where it ran ("lab", "host"); tap_n
# counts the results so far, failed becomes 1 with the first failure.
# No "local": POSIX sh has none, so helper variables carry a prefix.

tap_n=0
failed=0
: "${TAP_PREFIX:=lab}"

# ktap_begin <number of results to come>
ktap_begin()
{
	echo "KTAP version 1"
	echo "1..$1"
}

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

# How many results a plan file gives: one per non-empty line.
count_commands()
{
	grep -c . "$1" || :
}

# Why a command skipped, from its output as run_command printed it: a
# kselftest's "1..0 # SKIP <reason>", else its last line.
skip_reason()
{
	sed -n 's/^  1\.\.0 # SKIP //p' "$1" | tail -n 1 | grep . ||
		sed -n 's/^\(# \|  \)//p' "$1" | grep . | tail -n 1
}

# Centiseconds since boot, from /proc/uptime ("12345.67 ..."): what each
# step took goes into the console, to see where a plan's time goes.
uptime_cs()
{
	read -r uc_up uc_idle </proc/uptime
	: "$uc_idle"
	uc_up=${uc_up%.*}${uc_up#*.}
	echo $((${uc_up#"${uc_up%%[!0]*}"}+0))
}

# Runs one command as one result. Its output is nested from the first
# (K)TAP version line on, a diagnostic line otherwise, as it comes. A
# failed subtest fails the command even if it exited 0.
run_command()
{
	rc_cmd=$1
	rc_out=$(mktemp)
	rc_start=$(uptime_cs)
	echo "# $TAP_PREFIX: running: $rc_cmd"
	{ sh -c "$rc_cmd" </dev/null 2>&1; echo $? >"$rc_out.rc"; } |
		awk '!nested && /^K?TAP version / { nested = 1 }
		     { print (nested ? "  " : "# ") $0; fflush() }' |
		tee "$rc_out"
	rc_rc=$(cat "$rc_out.rc")
	if [ "$rc_rc" = 0 ] && grep -q '^  not ok ' "$rc_out"; then
		rc_rc=1
	fi
	# Killed by a signal (139: SIGSEGV): where, as the kernel logged it
	# (debug.exception-trace, set by init), to find it in the binary,
	# and the registers arm64 and others dump after that line (the
	# faulting address is in one of them: x86 names it, arm64 not).
	if [ "$rc_rc" -gt 128 ]; then
		dmesg | awk '/segfault|unhandled|fatal signal/ { first = NR }
			     { line[NR] = $0 }
			     END { for (i = first; first && i <= NR &&
					    i < first + 28; i++)
					print line[i] }' | sed 's/^/# kernel: /'
	fi
	rc_cs=$(($(uptime_cs) - rc_start))
	printf '# %s: took %d.%02d s\n' "$TAP_PREFIX" $((rc_cs / 100)) \
		$((rc_cs % 100))
	tap "$rc_rc" "$TAP_PREFIX: $rc_cmd" "$(skip_reason "$rc_out")"
	rm -f "$rc_out" "$rc_out.rc"
}

# Each non-empty line of a file is one command.
run_commands()
{
	while IFS= read -r rc_line <&3; do
		if [ -n "$rc_line" ]; then
			run_command "$rc_line"
		fi
	done 3<"$1"
}
