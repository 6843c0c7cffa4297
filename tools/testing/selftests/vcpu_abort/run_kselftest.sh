#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the installed tests listed in kselftest-list.txt (collection:test),
# kernel style: one TAP line per test, its own output behind "# ". Exit
# code 0 when none failed. POSIX sh: runs under busybox too.

cd "$(dirname "$0")" || exit 1
total=$(grep -c : kselftest-list.txt)
n=0
failed=0
echo "TAP version 13"
echo "1..$total"
while IFS=: read -r collection test; do
	n=$((n + 1))
	rc_file=$(mktemp)
	{ "./$collection/$test" 2>&1; echo $? >"$rc_file"; } | sed 's/^/# /'
	rc=$(cat "$rc_file")
	rm -f "$rc_file"
	case $rc in
	0) echo "ok $n selftests: $collection: $test" ;;
	4) echo "ok $n selftests: $collection: $test # SKIP" ;;
	*) echo "not ok $n selftests: $collection: $test # exit=$rc"
	   failed=1 ;;
	esac
done <kselftest-list.txt
exit $failed
