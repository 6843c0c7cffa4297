#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs shellcheck over every shell script of the tree: the tracked files named
# *.sh or starting with a sh/bash shebang (the lab's libraries, the guest's
# init and helpers, CI and test scripts). -x follows what they source; the
# sourced libraries say their shell with a directive. Any finding fails.
# Run from the top of this tree. Exit codes: 0 pass, 1 fail, 4 skip (it is
# not installed). A clean verdict may be kept and reused: verdict-cache.sh.
command -v shellcheck >/dev/null ||
	{ echo "shellcheck: not installed (package shellcheck)"; exit 4; }
scripts=$(git ls-files | while IFS= read -r f; do
	case $f in
	*.sh) echo "$f" ;;
	*) head -n 1 "$f" 2>/dev/null | grep -qE '^#!.*/(env )?(ba|busybox )?sh( |$)' &&
		echo "$f" ;;
	esac
done)
[ -n "$scripts" ] || { echo "shellcheck: no scripts (not a git checkout?)"; exit 1; }
n=$(echo "$scripts" | wc -l)
. tools/testing/verdict-cache.sh
# -x reads what the scripts source: those are tracked scripts too.
# shellcheck disable=SC2086 # one argument per file; no file has a space
key=$(verdict_key shellcheck "$(shellcheck --version)" "$0" $scripts)
verdict_cached "$key" && exit 0
# shellcheck disable=SC2086 # one argument per file; no file has a space
if out=$(shellcheck -x $scripts 2>&1); then
	echo "shellcheck: clean ($n scripts)"
	verdict_keep "$key" "shellcheck: clean ($n scripts)"
	exit 0
fi
echo "$out"
exit 1
