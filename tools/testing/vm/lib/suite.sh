# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Running a plan (a list of guest commands) in many targets and summing up
# their TAP lines: "ok" passes, "ok ... # SKIP" skips, "not ok" fails. A
# target that cannot be built or does not report counts as one failure.

# Everything a boot needs, for the selected target. Targets are prepared
# in parallel (run_plan): what they share is taken under locks
# (common.sh: with_lock), the kernel one target of a suite at a time, the
# userland one target of an arch at a time.
prepare_target()
{
	with_lock "suite-$SUITE" prepare_kernel
	build_module
	use_packaged_module
	with_lock "arch-$LAB_ARCH" prepare_userland
	printf 'KERNEL_ABI=%q\nKERNEL_IMAGE=%q\nKERNEL_MODDIR=%q\n' \
		"$KERNEL_ABI" "$KERNEL_IMAGE" "$KERNEL_MODDIR" >"$OUT/$TARGET/kernel.env"
}

# The kernel, its headers and the build root (and QEMU) of its suite.
prepare_kernel()
{
	fetch_kernel
	ensure_build_root
	ensure_qemu
	fetch_headers "$(build_root "$SUITE")"
}

# The arch's guest userland (shared by its targets: TOOLS_DIR) and the
# target's initramfs, made of it.
prepare_userland()
{
	fetch_busybox
	fetch_libnl
	with_lock kernel-source fetch_kernel_source
	build_tools
	build_initramfs
}

# What prepare_target found, for a boot in another process.
load_prepared_target()
{
	select_target_name "$1"
	# shellcheck source=/dev/null
	. "$OUT/$TARGET/kernel.env"
}

# The plan file a target runs: plans/<plan>.<variant> where the target's
# variant has one (a guest under Bochs runs what fits the time budget),
# plans/<plan> otherwise. A variant built on another one runs that one's
# plans if it says so (PLAN_VARIANT=vmx in variants/vmx-noept.sh).
plan_file()
{
	local plan=$1 variant=${PLAN_VARIANT:-${LAB_VARIANT:-}}

	if [ -n "$variant" ] && [ -f "$plan.$variant" ]; then
		echo "$plan.$variant"
	else
		echo "$plan"
	fi
}

# The commands a target runs: its plan file, without the lines an arch
# drops (ARCH_PLAN_DROP, an extended regex of whole lines, in
# arch/<arch>.sh, with the reason in ARCH_PLAN_DROP_WHY), said in the
# console first.
plan_commands()
{
	local file

	file=$(plan_file "$1")
	if [ -z "${ARCH_PLAN_DROP:-}" ]; then
		cat "$file"
		return
	fi
	echo "echo 'lab: $LAB_ARCH runs this plan without the lines matching $ARCH_PLAN_DROP: $ARCH_PLAN_DROP_WHY'"
	grep -v -x -E "$ARCH_PLAN_DROP" "$file" || :
}

# The targets, slowest first: those whose variant says START_FIRST (Bochs,
# several times as long as any QEMU guest; the debug kernel, whose build
# is the longest preparation), in the given order, then the others by how
# long their guest took the last time (guest_seconds), longest first, then
# those never run, in the given order. The long guests start first and
# the short ones share the other slots meanwhile, instead of a long one
# starting last and running alone at the end (riscv64's take about twice
# as long as x86's).
slowest_first()
{
	local t rank

	for t in "$@"; do
		if (select_target_name "$t" && [ -n "${START_FIRST:-}" ]); then
			rank=0
		else
			rank=$(cat "$CACHE/guest-seconds/$t" 2>/dev/null) || rank=
			[[ $rank =~ ^[0-9]+$ ]] && rank=$((1000000 - rank)) ||
				rank=1000000
		fi
		printf '%s\t%s\n' "$rank" "$t"
	done | sort -s -n -k1,1 | cut -f2
}

# Write down how long a target's guest took (wall seconds), for the
# order of the next run (slowest_first).
guest_seconds()
{
	mkdir -p "$CACHE/guest-seconds"
	echo "$2" >"$CACHE/guest-seconds/$1.tmp" &&
		mv -f "$CACHE/guest-seconds/$1.tmp" "$CACHE/guest-seconds/$1"
}

# Prepare the targets, VCPU_ABORT_PREPARE_JOBS (default 2) at a time, each
# worker taking the next target nobody took (in the given order): a
# target's preparation is mostly downloads, unpacking and one module
# build, so two overlap where one would leave a CPU idle. Each ends with
# $res/<target>.prepared or $res/<target>.error, its output in
# $res/<target>.prepare.log.
prepare_targets()
{
	local res=$1 workers=${VCPU_ABORT_PREPARE_JOBS:-2} i
	shift

	for ((i = 0; i < workers; i++)); do
		prepare_worker "$res" "$@" &
	done
	wait
}

prepare_worker()
{
	local res=$1 t
	shift

	for t in "$@"; do
		mkdir "$res/$t.taken" 2>/dev/null || continue
		if (select_target_name "$t" && prepare_target) \
				>"$res/$t.prepare.log" 2>&1; then
			touch "$res/$t.prepared"
		else
			grep -h 'FAILED' "$res/$t.prepare.log" >"$res/$t.error" ||
				echo "prepare failed" >"$res/$t.error"
		fi
	done
}

# The first target of the list, in its order, that is prepared (or could
# not be) and not yet booted (no $res/<target>.booted).
next_prepared()
{
	local res=$1 t
	shift

	for t in "$@"; do
		[ -e "$res/$t.booted" ] && continue
		if [ -e "$res/$t.prepared" ] || [ -f "$res/$t.error" ]; then
			echo "$t"
			return 0
		fi
	done
	return 1
}

# How many of this shell's jobs are running, but for the one given (the
# preparation).
running_jobs()
{
	jobs -rp | grep -cvxF "$1" || :
}

# run_plan <plan file> <results dir> <targets...>: prepares the targets
# (prepare_targets, in the background) and boots each as soon as it is
# ready and a slot is free (CPU bound), at most VCPU_ABORT_JOBS guests at
# a time (the host plan, a job of the caller, takes a slot too), Bochs
# ones first (slowest_first). Each target runs its plan_file.
run_plan()
{
	local plan=$1 res=$2 t jobs=${VCPU_ABORT_JOBS:-$(nproc)} order prep
	local left plan_name start
	shift 2

	plan_name=$(basename "$plan")

	mapfile -t order < <(slowest_first "$@")
	left=${#order[@]}
	prepare_targets "$res" "${order[@]}" &
	prep=$!
	while [ "$left" -gt 0 ]; do
		while [ "$(running_jobs "$prep")" -ge "$jobs" ]; do
			wait -n || true
		done
		if ! t=$(next_prepared "$res" "${order[@]}"); then
			if kill -0 "$prep" 2>/dev/null; then
				sleep 1
				continue
			fi
			# The preparation ended: what it left unprepared, it
			# never got to (it was killed).
			t=$(next_prepared "$res" "${order[@]}") || {
				for t in "${order[@]}"; do
					[ -e "$res/$t.booted" ] ||
						echo "prepare did not run" >"$res/$t.error"
				done
				continue
			}
		fi
		touch "$res/$t.booted"
		left=$((left - 1))
		grep -h '^\[lab\]' "$res/$t.prepare.log" >&2 || true
		[ -f "$res/$t.error" ] && continue
		log "$t: booting"
		(
			load_prepared_target "$t"
			start=$SECONDS
			# On any exit: a failing guest's time counts too.
			# shellcheck disable=SC2064 # t and start: now
			[ "$plan_name" != test ] ||
				trap "guest_seconds '$t' \$((SECONDS - $start))" EXIT
			boot_guest "$(plan_commands "$plan")" \
				"$res/$t.console.log" 0 \
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

# Whether a console is one valid KTAP stream: Perl's TAP::Parser reads
# its top level (plan, numbering; the nested lines are unknown lines to
# it), lib/ktap.py the nesting (version line and plan of each subtest
# block, its counts, its parent's result). Problems on stdout.
check_console()
{
	perl -MTAP::Parser -e '
		local $/;
		open(my $f, "<", $ARGV[0]) or die "$ARGV[0]: $!\n";
		my $p = TAP::Parser->new({ tap => <$f> });
		1 while $p->next;
		print "$ARGV[0]: TAP::Parser: $_\n" for $p->parse_errors;
		print "$ARGV[0]: TAP::Parser: no plan\n" unless $p->plan;
		exit(($p->parse_errors || !$p->plan) ? 1 : 0);' "$1" &&
	python3 "$LAB_DIR/lib/ktap.py" check "$1"
}

# Per target: passed, failed, skipped (the leaf tests of its KTAP
# console: a kselftest counts its subtests); then every failure and skip;
# then the closing "N passed, N failed, N skipped" line. A console that is
# not valid KTAP, a target that could not be prepared or did not report,
# is one more failure. The same results, per target and test, go to
# results.json in the results directory. Returns 1 on failures.
summarize_plan()
{
	local res=$1 t p f s tp=0 tf=0 ts=0 log json=() ktap=$LAB_DIR/lib/ktap.py
	shift

	echo
	echo "== summary =="
	for t in "$@"; do
		log=$res/$t.console.log
		p=0 s=0 f=0
		if [ -f "$log" ]; then
			read -r p f s < <(python3 "$ktap" counts "$log")
			if ! check_console "$log" >"$res/$t.ktap-errors"; then
				f=$((f + 1))
			fi
			json+=("$t=$log")
		fi
		[ -f "$res/$t.error" ] && f=$((f + 1))
		printf '%-14s %-28s %3d passed, %d failed, %d skipped\n' "$t" \
			"$(sed -n 's/.*LAB-BOOT kernel=\([^ ]*\).*/\1/p' "$log" 2>/dev/null | sed -n 1p)" \
			"$p" "$f" "$s"
		tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
	done
	python3 "$ktap" json "${json[@]}" >"$res/results.json" ||
		log "could not write $res/results.json"
	for t in "$@"; do
		if [ -f "$res/$t.error" ]; then
			echo "FAILED $t: $(head -n 3 "$res/$t.error" | tr '\n' ' ')(logs: $res/$t.*)"
		fi
		if [ -s "$res/$t.ktap-errors" ]; then
			echo "FAILED $t: the console is not valid KTAP: $(head -n 1 "$res/$t.ktap-errors")"
		fi
		[ -f "$res/$t.console.log" ] || continue
		python3 "$ktap" list "$res/$t.console.log" |
			sed "s/^fail /FAILED $t: /; s/^skip /SKIPPED $t: /"
	done
	# What each failure printed last: CI keeps this output, not the logs.
	for t in "$@"; do
		[ -f "$res/$t.console.log" ] || continue
		python3 "$ktap" context "$res/$t.console.log" |
			sed "s/^\([^ ]\)/FAILED $t: \1/"
	done
	series_notes "$@"
	echo "$tp passed, $tf failed, $ts skipped (results: $res/results.json)"
	[ "$tf" -eq 0 ]
}

# For each arch of the given targets that lacks a kernel series, one line
# saying so and why (arch/<arch>.sh: ARCH_SERIES, ARCH_SERIES_WHY).
series_notes()
{
	local arch note

	for arch in $(target_arches "$@"); do
		note=$(arch_series_note "$arch")
		[ -z "$note" ] || echo "NOTE $arch: $note"
	done
}

# The arches of the given targets, each once, in their order.
target_arches()
{
	local t arch seen=" "

	for t in "$@"; do
		arch=$(target_fields "$t" 2>/dev/null | awk '{ print $1 }')
		case "$seen" in *" $arch "*) continue ;; esac
		seen="$seen$arch "
		echo "$arch"
	done
}

# "kernels <series> only: <why>" if ARCH lacks a kernel series, else
# nothing: read from arch/<arch>.sh, whose lines ARCH_SERIES="..." and
# ARCH_SERIES_WHY="..." say it (not sourced: it would set the target's
# variables).
arch_series_note()
{
	local f=$LAB_DIR/arch/$1.sh series why

	[ -f "$f" ] || return 0
	series=$(sed -n 's/^ARCH_SERIES="\(.*\)"$/\1/p' "$f")
	why=$(sed -n 's/^ARCH_SERIES_WHY="\(.*\)"$/\1/p' "$f")
	[ -z "$why" ] || echo "kernels $series only: $why"
}
