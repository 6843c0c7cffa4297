# SPDX-License-Identifier: GPL-2.0
# Host-side tests: what needs no module runs on the build machine's own
# /dev/kvm (x86_64), before any guest boots; so do static checks. Commands
# run from the top of the tree with $KSRC (fetch_kernel_source) and $KDIR
# (host_kdir) set, and count by the guests' rules (guest/lab-tap.sh, run
# here by /bin/sh).

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

run_host_plan()
{
	local plan=$1 log=$2 dir=$OUT/tools-host built=0 kdir

	step host-tests
	LAB_TARGET=host
	if [ ! -c /dev/kvm ]; then
		printf 'ok 1 host: all # SKIP no /dev/kvm on this machine\n' >"$log"
	else
		build_userspace "$dir" x86_64 "" || built=$?
		# Unset if that fails: the checks needing it then fail, saying so.
		kdir=$(host_kdir) || kdir=
		(cd "$SRC_DIR" &&
		 PATH=$dir/bin:$dir/selftests/vcpu_abort:$PATH KSRC=$KSRC KDIR=$kdir \
		 TAP_PREFIX=host sh -c '
			. "$0"
			echo "TAP version 13"
			tap "$1" "host: build vcpuctl and the selftests"
			[ "$1" = 0 ] && run_commands "$2"
			echo "1..$tap_n"
			echo "LAB-EXIT rc=$failed"' \
			"$LAB_DIR/guest/lab-tap.sh" "$built" "$plan") >"$log" 2>&1
	fi
	LAB_TARGET=
	cat "$log"
}
