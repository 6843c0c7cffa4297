# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Host-side tests: the static checks, and what needs no module on the
# build machine's own /dev/kvm (x86_64) if it has one, before any guest
# boots. Commands
# run from the top of the tree with $KSRC (fetch_kernel_source) and $KDIR
# (host_kdir) set, and count by the guests' rules (guest/lab-tap.sh, run
# here by /bin/sh). checkpatch and shellcheck keep their clean verdicts in
# the cache by their inputs (tools/testing/verdict-cache.sh).

# The Debian headers of the host's suite and arch (6.1 amd64 on bookworm),
# as the lab unpacks them into its cache for the x86_64 guest of that
# kernel: never installed system-wide. For the packaging checks (dkms,
# make install), which build with the host's compiler: the host suite's.
# Prints the directory; logs go to stderr.
host_kdir()
{
	(
		select_target x86_64 "$(host_codename)"
		fetch_kernel
		ensure_build_root
		fetch_headers "$(build_root "$SUITE")"
		headers_path
	)
}

# Every command of the plan runs, /dev/kvm or not: the static checks
# (checkpatch, shellcheck, the kselftests in a kernel tree, the packaging
# and netlink spec checks) need no KVM, and a command that needs it skips
# by itself (exit 4) and says why, as the tests and vcpuctl do without a
# KVM device. A failed build fails its step; the commands still run (those
# that need its output then fail, saying so). KDIR: host_kdir's, as
# run_targets (lab) computed it, or empty if that failed.
run_host_plan()
{
	local plan=$1 log=$2 kdir=$3 dir=$OUT/tools-host built=0 kvm early_pid

	step host-tests
	LAB_TARGET=host
	build_userspace "$dir" x86_64 "" || built=$?
	kvm="/dev/kvm present: the commands that need KVM run on it"
	[ -c /dev/kvm ] ||
		kvm="no /dev/kvm on this machine: the commands that need KVM skip"
	# deb-packages.sh: its root and downloads in the cache, the modules
	# DKMS builds to where use_packaged_module (build.sh) finds them. The
	# longest check (a package build, lintian, an install with DKMS builds
	# in a root, a debootstrap when the cache is cold): started now, beside
	# the others; its line in the plan waits for it and reports it.
	local -x DEB_CACHE=$CACHE/deb-test DEB_KO_OUT=$OUT/packaged DEB_MIRROR \
		DEB_EARLY=$OUT/deb-early DEB_KO_SOURCES
	DEB_MIRROR=$(debian_mirror)
	DEB_KO_SOURCES=$(module_sources_key)
	# $DEB_EARLY, empty but for its "kernel", is made by run_targets (lab).
	(cd "$SRC_DIR" && KDIR=$kdir DEB_EARLY='' tools/testing/deb-packages.sh \
		>"$DEB_EARLY/out" 2>&1; echo $? >"$DEB_EARLY/rc") &
	early_pid=$!
	echo "$early_pid" >"$DEB_EARLY/started"
	# shellcheck disable=SC2016 # expanded by that sh, not here
	(cd "$SRC_DIR" &&
	 PATH=$dir/bin:$dir/selftests/vcpu_abort:$PATH KSRC=$KSRC KDIR=$kdir \
	 VCPU_ABORT_CHECK_CACHE=$CACHE/check-verdicts \
	 TAP_PREFIX=host sh -c '
		. "$0"
		ktap_begin $((1 + $(count_commands "$2")))
		echo "# host: $3"
		tap "$1" "host: build vcpuctl and the selftests"
		run_commands "$2"
		echo "LAB-EXIT rc=$failed"' \
		"$LAB_DIR/guest/lab-tap.sh" "$built" "$plan" "$kvm") >"$log" 2>&1
	wait "$early_pid" || :
	# shellcheck disable=SC2034 # read by log() in common.sh
	LAB_TARGET=
}
