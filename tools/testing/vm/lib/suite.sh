# SPDX-License-Identifier: GPL-2.0
# Running a plan (a list of guest commands) in many targets and summing up
# their TAP lines: "ok" passes, "ok ... # SKIP" skips, "not ok" fails. A
# target that cannot be built or does not report counts as one failure.

# Everything a boot needs, for the selected target.
prepare_target()
{
	fetch_kernel
	ensure_build_root
	fetch_headers "$(build_root "$SUITE")"
	build_module
	fetch_busybox
	fetch_libnl
	fetch_kernel_source
	build_tools
	build_initramfs
	printf 'KERNEL_ABI=%q\nKERNEL_IMAGE=%q\nKERNEL_MODDIR=%q\n' \
		"$KERNEL_ABI" "$KERNEL_IMAGE" "$KERNEL_MODDIR" >"$OUT/$TARGET/kernel.env"
}

# What prepare_target found, for a boot in another process.
load_prepared_target()
{
	select_target_name "$1"
	# shellcheck source=/dev/null
	. "$OUT/$TARGET/kernel.env"
}

# run_plan <plan file> <results dir> <targets...>: prepares targets one
# after another (network and disk bound) and boots each as soon as it is
# ready (CPU bound), at most VCPU_ABORT_JOBS guests at a time.
run_plan()
{
	local plan=$1 res=$2 t jobs=${VCPU_ABORT_JOBS:-$(nproc)}
	shift 2

	for t in "$@"; do
		if ! (select_target_name "$t" && prepare_target) \
				>"$res/$t.prepare.log" 2>&1; then
			grep -h 'FAILED' "$res/$t.prepare.log" >"$res/$t.error" ||
				echo "prepare failed" >"$res/$t.error"
		fi
		grep -h '^\[lab\]' "$res/$t.prepare.log" >&2 || true
		[ -f "$res/$t.error" ] && continue
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
			wait -n || true
		done
		log "$t: booting"
		(
			load_prepared_target "$t"
			boot_guest "$(cat "$plan")" "$res/$t.console.log" 0 \
				"${VCPU_ABORT_APPEND:-}"
		) 2>"$res/$t.boot.log" &
	done
	wait || true
	for t in "$@"; do
		[ -f "$res/$t.error" ] && continue
		grep -q '^LAB-EXIT rc=' "$res/$t.console.log" 2>/dev/null && continue
		grep -h '^\[lab\]' "$res/$t.boot.log" >"$res/$t.error" ||
			echo "guest did not report" >"$res/$t.error"
	done
}

# Per target: passed, failed, skipped; then every skip and failure; then
# the closing "N passed, N failed, N skipped" line. Returns 1 on failures.
summarize_plan()
{
	local res=$1 t p f s tp=0 tf=0 ts=0 log
	shift

	echo
	echo "== summary =="
	for t in "$@"; do
		log=$res/$t.console.log
		p=0 s=0 f=0
		if [ -f "$log" ]; then
			p=$(grep -c '^ok ' "$log" || true)
			s=$(grep -c '^ok .*# SKIP' "$log" || true)
			f=$(grep -c '^not ok ' "$log" || true)
			p=$((p - s))
		fi
		[ -f "$res/$t.error" ] && f=$((f + 1))
		printf '%-14s %-28s %3d passed, %d failed, %d skipped\n' "$t" \
			"$(sed -n 's/.*LAB-BOOT kernel=\([^ ]*\).*/\1/p' "$log" 2>/dev/null | head -n 1)" \
			"$p" "$f" "$s"
		tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
	done
	for t in "$@"; do
		if [ -f "$res/$t.error" ]; then
			echo "FAILED $t: $(head -n 3 "$res/$t.error" | tr '\n' ' ')(logs: $res/$t.*)"
		fi
		[ -f "$res/$t.console.log" ] || continue
		sed -n "s|^not ok |FAILED $t: not ok |p" "$res/$t.console.log"
		# 6.1's kselftest harness leaves the test's name out of a SKIP
		# line: take it from the "#  RUN name ..." line before it.
		awk -v t="$t" '
			/^#  RUN / { name = $3 }
			/^ok .*# SKIP/ {
				line = $0
				sub(/^ok [0-9]+ /, "", line)
				if (line ~ /^#/)
					line = name " " line
				print "SKIPPED " t ": " line
			}' "$res/$t.console.log"
	done
	series_notes "$@"
	echo "$tp passed, $tf failed, $ts skipped"
	[ "$tf" -eq 0 ]
}

# For each arch of the given targets that lacks a kernel series, one line
# saying so and why (arch/<arch>.sh: ARCH_SERIES, ARCH_SERIES_WHY).
series_notes()
{
	local t arch seen=" "

	for t in "$@"; do
		arch=$(target_fields "$t" 2>/dev/null | awk '{ print $1 }')
		case "$seen" in *" $arch "*) continue ;; esac
		seen="$seen$arch "
		[ -f "$LAB_DIR/arch/$arch.sh" ] || continue
		(
			# shellcheck disable=SC2034 # read by the arch script
			SUITE=
			ARCH_SERIES_WHY=
			# shellcheck source=/dev/null
			. "$LAB_DIR/arch/$arch.sh"
			[ -z "$ARCH_SERIES_WHY" ] ||
				echo "NOTE $arch: kernels $ARCH_SERIES only: $ARCH_SERIES_WHY"
		)
	done
}
