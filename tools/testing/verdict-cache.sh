# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# A static check's clean verdict, kept by what it depends on: sourced by
# checkpatch.sh and shellcheck.sh. With $VCPU_ABORT_CHECK_CACHE set (the
# lab sets it to a directory in its cache), a check that was clean for
# exactly these inputs (the file list and every file's contents, the
# check's own script, the checker and its version) says so instead of
# running again: the checkers are deterministic, as the module's W=1 C=1
# build is, whose verdict the lab keeps the same way. Without it every
# check runs. Only "clean" is kept: a finding is always reported afresh.

# verdict_key NAME TEXT FILE...: prints NAME-<sha256 of TEXT (a
# checker's version) and the files' names and contents>; a missing file
# is part of the key as missing.
verdict_key()
{
	vk_name=$1
	vk_text=$2
	shift 2
	printf '%s-' "$vk_name"
	{
		echo "$vk_text"
		for vk_f in "$@"; do
			if [ -f "$vk_f" ]; then
				sha256sum "$vk_f"
			else
				echo "missing $vk_f"
			fi
		done
	} | sha256sum | cut -c1-32
}

# verdict_cached KEY: 0 (and prints when it was found clean) if KEY is kept.
verdict_cached()
{
	[ -n "${VCPU_ABORT_CHECK_CACHE:-}" ] &&
		[ -f "$VCPU_ABORT_CHECK_CACHE/$1" ] &&
		cat "$VCPU_ABORT_CHECK_CACHE/$1"
}

# verdict_keep KEY LINE: keeps the clean verdict LINE under KEY.
verdict_keep()
{
	[ -n "${VCPU_ABORT_CHECK_CACHE:-}" ] || return 0
	mkdir -p "$VCPU_ABORT_CHECK_CACHE" &&
		echo "$2; the same inputs were clean on $(date -u '+%F %T') UTC" \
			>"$VCPU_ABORT_CHECK_CACHE/$1.tmp" &&
		mv "$VCPU_ABORT_CHECK_CACHE/$1.tmp" "$VCPU_ABORT_CHECK_CACHE/$1"
}
