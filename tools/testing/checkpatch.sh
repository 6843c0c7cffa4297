#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# checkpatch --strict over the kernel code and the uapi header: any
# error, warning or check fails. $KSRC: a kernel source tree (the lab
# fetches one); run from the top of this tree.
: "${KSRC:?set KSRC to a kernel source tree}"
checkpatch=$KSRC/scripts/checkpatch.pl
# A missing script would print nothing, which reads as "clean" below.
[ -f "$checkpatch" ] || { echo "no $checkpatch" >&2; exit 1; }
# The tracked sources only: not what a build leaves behind (*.mod.c).
out=$(perl "$checkpatch" --strict --no-tree --terse -f \
	$(git ls-files 'module/*.[ch]' 'uapi/linux/*.h'))
[ -z "$out" ] && echo "checkpatch --strict: clean" && exit 0
echo "$out"
exit 1
