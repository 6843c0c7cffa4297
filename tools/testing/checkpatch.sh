#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# checkpatch --strict over every C file of the tree: the module, the uapi
# header and all of tools/ (vcpuctl, libvcpuctl, the selftests). Any
# error, warning or check fails. $KSRC: a kernel source tree (the lab
# fetches linux-source-6.12); run from the top of this tree. A clean
# verdict may be kept and reused: verdict-cache.sh.
: "${KSRC:?set KSRC to a kernel source tree}"
checkpatch=$KSRC/scripts/checkpatch.pl
# A missing script would print nothing, which reads as "clean" below.
[ -f "$checkpatch" ] || { echo "no $checkpatch" >&2; exit 1; }
# The tracked sources only: not what a build leaves behind (*.mod.c).
files=$(git ls-files 'module/*.[ch]' 'uapi/*.h' 'tools/*.[ch]')
[ -n "$files" ] || { echo "checkpatch: no C files (not a git checkout?)" >&2; exit 1; }
n=$(echo "$files" | wc -w)
. tools/testing/verdict-cache.sh
# checkpatch.pl reads its word lists next to it.
# shellcheck disable=SC2086 # one argument per file; no file has a space
key=$(verdict_key checkpatch "" "$0" "$checkpatch" "$KSRC/scripts/spelling.txt" \
	"$KSRC/scripts/const_structs.checkpatch" $files)
verdict_cached "$key" && exit 0
# shellcheck disable=SC2086 # one argument per file; no file has a space
out=$(perl "$checkpatch" --strict --no-tree --terse -f $files)
if [ -z "$out" ]; then
	echo "checkpatch --strict: clean ($n files)"
	verdict_keep "$key" "checkpatch --strict: clean ($n files)"
	exit 0
fi
echo "$out"
exit 1
