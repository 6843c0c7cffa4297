# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Build roots: modules must be built with the compiler their kernel was
# built with (6.1: gcc-12, 6.12: gcc-14, sid: gcc-16; mixing them produced
# modules that oops on load). The host's own suite builds on the host; any
# other suite builds in a minimal debootstrap of that suite in the cache,
# with its native and cross compilers. Headers are unpacked into the root.

build_root() { echo "$CACHE/roots/$1"; }

host_suite() { [ "$1" = "$(host_codename)" ]; }

# gcc-N that built the Debian kernel of an ABI, from its headers'
# dependencies (named linux-compiler-gcc-12-x86, gcc-14:arm64 or
# gcc-16-for-host).
kernel_gcc()
{
	local gcc

	gcc=$(papt_cache "$SUITE" depends "linux-headers-$1:$DEB_ARCH" |
		awk '$1 == "Depends:" { print $2 }' | grep -oE 'gcc-[0-9]+' |
		sed -n 1p)
	[ -n "$gcc" ] || die "cannot tell which gcc built $1"
	echo "$gcc"
}

# The compiler of the target's kernel (a variant may build its own kernel
# and say otherwise).
suite_gcc() { kernel_gcc "$KERNEL_ABI"; }

# Besides the compilers: perl for W=1's kernel-doc, sparse for C=1,
# libelf for objtool, pahole for module BTF, rsync for the selftests'
# install (lib.mk) where a guest's userland is built in the root.
BUILD_ROOT_TOOLS="perl sparse libelf1t64 dwarves rsync"

# The compilers of a build root made with gcc-N: native, and a cross
# compiler for each guest arch that is not the host's. riscv64 also gets
# its C library: its guests' userland is built in the root (build.sh).
build_root_compilers()
{
	local gcc=$1

	echo "$gcc $gcc-aarch64-linux-gnu $gcc-powerpc64le-linux-gnu" \
		"$gcc-riscv64-linux-gnu libc6-dev-riscv64-cross"
}

# Make the build root of the target's suite, or add what it lacks; under
# its lock (common.sh: with_lock), not while anything builds in it.
ensure_build_root() { with_lock "root-$SUITE" make_build_root; }

make_build_root()
{
	local root gcc pkgs tmp

	root=$(build_root "$SUITE")
	gcc=$(suite_gcc)
	step "build-root-$SUITE"
	if host_suite "$SUITE"; then
		mkdir -p "$root"
		command -v "$gcc" >/dev/null || die "host lacks $gcc"
		return 0
	fi
	[ -f "$root/.ready-$gcc-tools4" ] && return 0
	pkgs="make libc6-dev $(build_root_compilers "$gcc") $BUILD_ROOT_TOOLS"
	if [ ! -x "$root/usr/bin/$gcc" ]; then
		log "$SUITE: creating build root with $gcc (debootstrap, once)"
		tmp=$root.tmp
		rm -rf "$tmp"
		logged "$CACHE/logs/debootstrap-$SUITE.log" \
			debootstrap --variant=minbase --include="${pkgs// /,}" \
			"$SUITE" "$tmp" "$(debian_mirror)"
		rm -rf "$root"
		mv "$tmp" "$root"
	else
		# A root made before a package joined the list (a tool, a guest
		# arch's compiler): add what is missing in place.
		log "$SUITE: adding missing packages to the build root"
		# shellcheck disable=SC2086
		logged "$CACHE/logs/build-root-tools-$SUITE.log" in_build_root \
			sh -c "apt-get update; DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends $pkgs"
	fi
	touch "$root/.ready-$gcc-tools4"
}

# Host directories a build in the root also sees, at the same path (a
# variant's kernel tree in the cache); none by default.
BUILD_ROOT_BINDS=

# Run a command in the build root of SUITE: chrooted (with /proc, which
# objtool reads, and BUILD_ROOT_BINDS) for foreign suites, directly on the
# host otherwise.
in_build_root()
{
	local root

	root=$(build_root "$SUITE")
	if host_suite "$SUITE"; then
		"$@"
	else
		# shellcheck disable=SC2016 # expanded by that sh, not here
		BINDS=$BUILD_ROOT_BINDS unshare -m --propagation private -- \
			sh -c 'root=$0
			mount -t proc proc "$root/proc" || exit
			for dir in $BINDS; do
				mkdir -p "$root$dir" &&
				mount --bind "$dir" "$root$dir" || exit
			done
			exec chroot "$root" "$@"' \
			"$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 "$@"
	fi
}

# Run a command in the build root of SUITE with host directories (given
# before "--") bind-mounted at the same paths inside it, so that paths
# mean the same in and out of the root: the source tree, the output.
in_build_root_with()
{
	local root dirs=() d

	root=$(build_root "$SUITE")
	while [ "$1" != -- ]; do
		dirs+=("$1")
		shift
	done
	shift
	for d in "${dirs[@]}"; do
		mkdir -p "$root$d"
	done
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare -m --propagation private -- sh -c '
		root=$1 n=$2
		shift 2
		mount -t proc proc "$root/proc" || exit 1
		while [ "$n" -gt 0 ]; do
			mount --bind "$1" "$root$1" || exit 1
			shift
			n=$((n - 1))
		done
		exec chroot "$root" "$@"' sh "$root" "${#dirs[@]}" "${dirs[@]}" \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 "$@"
}

# The headers' directory as a path the build command sees. On the host the
# headers live under the root, so their absolute include is rewritten.
headers_path()
{
	local root

	root=$(build_root "$SUITE")
	if host_suite "$SUITE"; then
		sed -i "s|^include /usr/src/|include $root/usr/src/|" \
			"$root$HEADERS_DIR/Makefile"
		echo "$root$HEADERS_DIR"
	else
		echo "$HEADERS_DIR"
	fi
}

# A directory of the build root as a path the build command sees.
root_path()
{
	if host_suite "$SUITE"; then
		echo "$(build_root "$SUITE")$1"
	else
		echo "$1"
	fi
}
