# SPDX-License-Identifier: GPL-2.0
# Host-side tests: what needs no module runs on the build machine's own
# /dev/kvm (x86_64), before any guest boots; so do static checks. Commands
# run from the top of the tree with $KSRC (fetch_kernel_source) set. Same TAP conventions as the
# guest's init: one line per command, exit code 0 passes, 4 skips.

run_host_plan()
{
	local plan=$1 log=$2 dir=$OUT/tools-host n=0 rc built failed=0 cmd

	step host-tests
	LAB_TARGET=host
	{
		echo "TAP version 13"
		if [ ! -c /dev/kvm ]; then
			echo "ok 1 host: all # SKIP no /dev/kvm on this machine"
			n=1
		else
			make -C "$SRC_DIR/tools/vcpuctl" \
				OUTPUT="$dir/build/vcpuctl/" >"$dir.build.log" 2>&1 &&
				mkdir -p "$dir/bin" &&
				cp "$dir/build/vcpuctl/vcpuctl" "$dir/bin/" &&
				make -C "$SRC_DIR/tools/testing/selftests/vcpu_abort" \
				KSFT_INC="$KSRC/tools/testing/selftests" \
				OUTPUT="$dir/build/selftests/" >>"$dir.build.log" 2>&1 &&
				cp "$dir/build/selftests/abort_uapi" \
				"$dir/build/selftests/race_reset" "$dir/bin/"
			built=$?
			n=1
			[ $built -eq 0 ] && echo "ok 1 host: build vcpuctl and the selftests" ||
				{ echo "not ok 1 host: build vcpuctl and the selftests (log: $dir.build.log)"; failed=1; }
			while IFS= read -r cmd <&3; do
				[ -n "$cmd" ] && [ $built -eq 0 ] || continue
				n=$((n + 1))
				echo "# host: running: $cmd"
				rc=0
				(cd "$SRC_DIR" && PATH=$dir/bin:$PATH KSRC=$KSRC \
					sh -c "$cmd" </dev/null 2>&1) || rc=$?
				case $rc in
				0) echo "ok $n host: $cmd" ;;
				4) echo "ok $n host: $cmd # SKIP exit code 4" ;;
				*) echo "not ok $n host: $cmd # exit code $rc"; failed=1 ;;
				esac
			done 3<"$plan"
		fi
		echo "1..$n"
		echo "LAB-EXIT rc=$failed"
	} >"$log"
	LAB_TARGET=
	cat "$log"
}
