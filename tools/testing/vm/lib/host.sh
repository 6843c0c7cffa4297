# SPDX-License-Identifier: GPL-2.0
# Host-side tests: what needs no module runs on the build machine's own
# /dev/kvm (x86_64), before any guest boots; so do static checks. Commands
# run from the top of the tree with $KSRC (fetch_kernel_source) set, and
# count by the guests' rules (guest/lab-tap.sh, run here by /bin/sh).

run_host_plan()
{
	local plan=$1 log=$2 dir=$OUT/tools-host built=0

	step host-tests
	LAB_TARGET=host
	if [ ! -c /dev/kvm ]; then
		printf 'ok 1 host: all # SKIP no /dev/kvm on this machine\n' >"$log"
	else
		build_userspace "$dir" x86_64 "" || built=$?
		(cd "$SRC_DIR" &&
		 PATH=$dir/bin:$dir/selftests/vcpu_abort:$PATH KSRC=$KSRC \
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
