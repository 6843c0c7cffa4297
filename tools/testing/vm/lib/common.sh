# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared helpers of the lab: logging, failing with context, the cache and
# the (arch, kernel) target naming.

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck disable=SC2034 # read by the other lib files
SRC_DIR=$(cd "$LAB_DIR/../../.." && pwd)
CACHE=${VCPU_ABORT_CACHE:-/var/cache/vcpu-abort-lab}
# Build products live outside the work tree too, so a clone stays clean.
# shellcheck disable=SC2034 # read by the other lib files
OUT=${VCPU_ABORT_OUT:-$CACHE/out}

LAB_ARCHES="x86_64 arm64 ppc64le riscv64"
LAB_KERNELS="6.1 6.12 sid"

# The step being run, so a failure says which step, arch and kernel broke.
LAB_STEP=setup
LAB_TARGET=

log() { printf '[lab] %s\n' "$*" >&2; }

die()
{
	printf '[lab] FAILED: step=%s%s: %s\n' "$LAB_STEP" \
		"${LAB_TARGET:+ target=$LAB_TARGET}" "$*" >&2
	# Bad arguments are a usage error, as for the other commands.
	[ "$LAB_STEP" = args ] && exit 2
	exit 1
}

step() { LAB_STEP=$1; }

# Run a command in this shell while holding the lock NAME (a file in
# $CACHE/locks), exclusive, or shared with -s: what targets prepared in
# parallel, and labs sharing the cache, share. The locks and their order
# (a lock is only taken while holding those before it, never again):
#   suite-SUITE    a target's kernel, one target of a suite at a time
#   module-ABI     the build of vcpu_abort.ko for a kernel
#   arch-ARCH      an arch's busybox, libnl, tools and initramfs staging
#   kernel-source  the parts of linux-source the tools build with
#   debug-kernel   the debug variant's kernel build (variants/debug.sh)
#   root-SUITE     the build root: exclusive to change it (debootstrap,
#                  packages, headers), shared to build in it
#   apt-SUITE      the suite's private apt root and its downloads
# A failing command that exits the shell (die) drops the lock with it.
with_lock()
{
	local mode=-x name fd rc

	if [ "$1" = -s ]; then
		mode=-s
		shift
	fi
	name=$1
	shift
	mkdir -p "$CACHE/locks"
	exec {fd}>"$CACHE/locks/$name"
	flock "$mode" "$fd"
	"$@"
	rc=$?
	exec {fd}>&-
	return "$rc"
}

# Run a command with its output in a log file; on failure show the tail.
logged()
{
	local logfile=$1
	shift
	mkdir -p "$(dirname "$logfile")"
	if ! "$@" >"$logfile" 2>&1; then
		tail -n 25 "$logfile" >&2
		die "'$*' failed (full log: $logfile)"
	fi
}

# KERNEL=6.1|6.12|sid (aliases: bookworm, trixie, newest, latest) -> suite.
kernel_suite()
{
	case $1 in
	6.1 | bookworm) echo bookworm ;;
	6.12 | trixie) echo trixie ;;
	sid | newest | latest | unstable) echo sid ;;
	*) return 1 ;;
	esac
}

# The series name used in target names and directories.
kernel_series()
{
	case $(kernel_suite "$1") in
	bookworm) echo 6.1 ;;
	trixie) echo 6.12 ;;
	sid) echo sid ;;
	*) return 1 ;;
	esac
}

# Select a target: loads arch/<arch>.sh (and variants/<variant>.sh) and
# sets SUITE, SERIES, TARGET, TOOLS_DIR. The target is named
# <arch>[-<variant>]-<series>. An arch without a kernel of that series
# (arch/<arch>.sh: ARCH_SERIES) is refused with the arch's reason.
select_target()
{
	local arch=$1 kernel=$2 variant=${3:-}

	step args
	case " $LAB_ARCHES " in
	*" $arch "*) ;;
	*) die "unknown ARCH '$arch' (one of: $LAB_ARCHES)" ;;
	esac
	# shellcheck disable=SC2034 # read by the other lib files
	SUITE=$(kernel_suite "$kernel") ||
		die "unknown KERNEL '$kernel' (one of: $LAB_KERNELS)"
	SERIES=$(kernel_series "$kernel")
	# shellcheck disable=SC2034 # read by the other lib files
	LAB_ARCH=$arch
	# shellcheck disable=SC2034 # read by the other lib files
	LAB_VARIANT=$variant
	TARGET=$arch${variant:+-$variant}-$SERIES
	LAB_TARGET=$TARGET
	# What an arch script may leave unset: every series, the userland of
	# the host's suite (bookworm), built on the host.
	ARCH_SERIES=$LAB_KERNELS
	ARCH_SERIES_WHY=
	# shellcheck disable=SC2034 # read by suite.sh
	ARCH_PLAN_DROP=""
	# shellcheck disable=SC2034 # read by suite.sh
	ARCH_PLAN_DROP_WHY=""
	# shellcheck disable=SC2034 # read by suite.sh
	PLAN_VARIANT=""
	# Kernel command line words of the arch, then of the variant, which
	# adds to them (the debug variant's lab.checkers=...); before
	# VCPU_ABORT_APPEND.
	# shellcheck disable=SC2034 # read by qemu.sh and bochs.sh
	GUEST_APPEND=""
	USERLAND_SUITE=$(host_codename)
	# shellcheck source=/dev/null
	. "$LAB_DIR/arch/$arch.sh"
	case " $ARCH_SERIES " in
	*" $SERIES "*) ;;
	*) die "no $arch $SERIES target: $ARCH_SERIES_WHY" ;;
	esac
	if [ -n "$variant" ]; then
		[ -f "$LAB_DIR/variants/$variant.sh" ] ||
			die "unknown variant '$variant' (no variants/$variant.sh)"
		# shellcheck source=/dev/null
		. "$LAB_DIR/variants/$variant.sh"
	fi
	# The arch's tools, shared by its targets of one userland suite.
	TOOLS_DIR=$OUT/tools-$arch
	host_suite "$USERLAND_SUITE" || TOOLS_DIR=$TOOLS_DIR-$USERLAND_SUITE
}

# Every target of the table (tools/testing/vm/targets), in its order.
all_targets()
{
	awk '!/^#/ && NF { print $1 }' "$LAB_DIR/targets"
}

# The targets that run when none are named: all but those on-request.
default_table_targets()
{
	awk '!/^#/ && NF && $5 != "on-request" { print $1 }' "$LAB_DIR/targets"
}

# "ARCH KERNEL [VARIANT]" of a target of the table; fails if unknown.
target_fields()
{
	awk -v t="$1" '!/^#/ && $1 == t { print $2, $3, ($4 == "-" ? "" : $4); found = 1 }
		END { exit !found }' "$LAB_DIR/targets"
}

# Select a target by its name in the table.
select_target_name()
{
	local fields

	step args
	fields=$(target_fields "$1") ||
		die "unknown target '$1' (one of: $(all_targets | tr '\n' ' '))"
	# shellcheck disable=SC2086 # the table's fields, one a word
	select_target $fields
	# The table's name, also where it differs from the derived one.
	TARGET=$1
	LAB_TARGET=$1
}

host_codename()
{
	. /etc/os-release && echo "${VERSION_CODENAME:-unknown}"
}
