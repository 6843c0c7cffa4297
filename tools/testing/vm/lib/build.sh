# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Building what goes into a guest: vcpu_abort.ko for the target's kernel
# (in the build root, with that kernel's compiler), and the userspace tools
# and tests for the target's arch (static, with the host's compilers).

# The selftests' own test module (fd_kinds loads it), built like
# vcpu_abort.ko, into the target's output directory.
LOOKALIKE_DIR=tools/testing/selftests/vcpu_abort/lookalike

# make M=<dir under the build root> modules, W=1 C=1, and fail on any
# warning. $1: the directory, inside the build root; $2: the log.
build_kmod()
{
	local dir=$1 logfile=$2 check=()

	if [ "$KBUILD_ARCH" = riscv ]; then
		ensure_sparse_base_march "$(build_root "$SUITE")"
		check=(CHECK="$(root_path "$SPARSE_BASE_MARCH")")
	fi
	logged "$logfile" in_build_root \
		make -C "$(headers_path)" M="$(root_path "$dir")" \
		ARCH="$KBUILD_ARCH" CROSS_COMPILE="$CROSS_PREFIX" W=1 C=1 \
		${check[@]+"${check[@]}"} modules
	# Sparse not run is a failure: C=1 is part of the module's checks.
	if grep -h 'C=1 specified, but' "$logfile" >&2; then
		die "sparse did not run (log: $logfile)"
	fi
	# The modules are W=1 and sparse clean on every target: keep them so.
	if grep -E 'warning:|error:' "$logfile" >&2; then
		die "compiler or sparse warnings (log: $logfile)"
	fi
}

# The copy of a built module the guests load: without its debug sections,
# and without the local labels (.L*) that only they needed. riscv's
# assembler keeps some 8000 of those in vcpu_abort.ko's text, for its
# line tables, and the module loader keeps them in the module's kallsyms:
# 190 KB that every rmmod on riscv64 6.12 gave back a page at a time, 16 s
# of each under QEMU (DKMS's strip -g leaves them). The build's W=1 C=1
# checks are over by then; nothing in a guest reads the debug sections.
lean_kmod()
{
	in_build_root "${CROSS_PREFIX}objcopy" --strip-debug --discard-locals \
		"$(root_path "$1")"
}

# What a module build depends on: the sources, the kernel (its ABI, arch
# and suite, whose compiler builds it) and these build rules. Targets that
# share a kernel (arm64-6.12 and arm64-nvhe-6.12) share the build.
module_build_key()
{
	{
		echo "$KERNEL_ABI $DEB_ARCH $SUITE"
		module_sources_key
		(cd "$SRC_DIR" && find "$LOOKALIKE_DIR" -type f -print0 |
			sort -z | xargs -0 sha256sum)
		sha256sum <"$LAB_DIR/lib/build.sh"
	} | sha256sum | cut -c1-16
}

# The module's sources alone (what DKMS builds from): a packaged module
# is used only if it was built from these (use_packaged_module).
module_sources_key()
{
	(cd "$SRC_DIR" && find Kbuild module uapi -type f -print0 |
		sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}

# vcpu_abort.ko and the test module for the target's kernel, built W=1
# C=1 once per module_build_key() (kept in $CACHE/module-builds/). With
# VCPU_ABORT_PREBUILT_KO set, that prebuilt vcpu_abort.ko goes into the guest
# instead (a negative control: an older commit's module, built by the lab
# of that commit for the same target, under the tests of this one).
# Targets of one kernel (arm64-6.12, arm64-nvhe-6.12) build it once: the
# second finds the first's build. The build root stays as it is meanwhile.
build_module()
{
	with_lock "module-$KERNEL_ABI" with_lock -s "root-$SUITE" \
		build_module_once
}

build_module_once()
{
	local root bdir key built

	step build-module
	mkdir -p "$OUT/$TARGET"
	key=$(module_build_key)
	built=$CACHE/module-builds/$KERNEL_ABI-$key
	if [ -z "${VCPU_ABORT_PREBUILT_KO:-}" ] &&
	   [ -f "$built/vcpu_abort.ko" ] &&
	   [ -f "$built/vcpu_abort_lookalike.ko" ]; then
		log "$TARGET: vcpu_abort.ko of these sources for $KERNEL_ABI already built (W=1 C=1 clean): $built"
		cp "$built"/*.ko "$built"/*.log "$OUT/$TARGET/" ||
			die "cannot copy the build in $built"
		echo "the lab's build (W=1 C=1)" >"$OUT/$TARGET/vcpu_abort.origin"
		return 0
	fi
	root=$(build_root "$SUITE")
	mkdir -p "$root/build"
	# A private directory: several labs may share one cache.
	bdir=$(mktemp -d "$root/build/$TARGET.XXXXXX")
	bdir=${bdir#"$root"}
	cp -a "$SRC_DIR/Kbuild" "$SRC_DIR/module" "$SRC_DIR/uapi" "$root$bdir/"
	cp -a "$SRC_DIR/$LOOKALIKE_DIR" "$root$bdir/lookalike"
	ensure_checker_valid "$root"
	if [ -n "${VCPU_ABORT_PREBUILT_KO:-}" ]; then
		log "$TARGET: using the prebuilt $VCPU_ABORT_PREBUILT_KO (VCPU_ABORT_PREBUILT_KO)"
		cp "$VCPU_ABORT_PREBUILT_KO" "$OUT/$TARGET/vcpu_abort.ko" ||
			die "cannot copy VCPU_ABORT_PREBUILT_KO=$VCPU_ABORT_PREBUILT_KO"
		echo "prebuilt $VCPU_ABORT_PREBUILT_KO" >"$OUT/$TARGET/vcpu_abort.origin"
	else
		log "$TARGET: building vcpu_abort.ko (W=1 C=1)"
		build_kmod "$bdir" "$OUT/$TARGET/module-build.log"
		lean_kmod "$bdir/module/vcpu_abort.ko" ||
			die "cannot strip $bdir/module/vcpu_abort.ko"
		cp "$root$bdir/module/vcpu_abort.ko" "$OUT/$TARGET/" ||
			die "build produced no vcpu_abort.ko"
		echo "the lab's build (W=1 C=1)" >"$OUT/$TARGET/vcpu_abort.origin"
	fi
	build_kmod "$bdir/lookalike" "$OUT/$TARGET/lookalike-build.log"
	lean_kmod "$bdir/lookalike/vcpu_abort_lookalike.ko" ||
		die "cannot strip $bdir/lookalike/vcpu_abort_lookalike.ko"
	cp "$root$bdir/lookalike/vcpu_abort_lookalike.ko" "$OUT/$TARGET/" ||
		die "build produced no vcpu_abort_lookalike.ko"
	rm -rf "${root:?}$bdir"
	[ -n "${VCPU_ABORT_PREBUILT_KO:-}" ] && return 0
	# Into place in one rename: a parallel lab sees all of it or none.
	# Builds of sources nobody tested for a week go.
	mkdir -p "$CACHE/module-builds"
	find "$CACHE/module-builds" -mindepth 1 -maxdepth 1 -mtime +7 \
		-exec rm -rf {} + 2>/dev/null || :
	bdir=$(mktemp -d "$CACHE/module-builds/.new.XXXXXX")
	cp "$OUT/$TARGET"/vcpu_abort.ko "$OUT/$TARGET"/vcpu_abort_lookalike.ko \
		"$OUT/$TARGET"/module-build.log "$OUT/$TARGET"/lookalike-build.log \
		"$bdir/" || { rm -rf "$bdir"; return 0; }
	mv -T "$bdir" "$built" 2>/dev/null || rm -rf "$bdir"
}

# Where this run's host plan installed the Debian packages
# (tools/testing/deb-packages.sh), DKMS built vcpu_abort.ko for each
# kernel with headers in that root, the lab's x86_64 6.1 guest's among
# them: that guest loads the packaged module, so what a fleet installs is
# what its tests test. The lab's own build of the same sources (above) still
# runs for its W=1 C=1 checks. Not with VCPU_ABORT_PREBUILT_KO. The
# directory is $OUT/packaged/<ABI>/, emptied when a plan starts (lab);
# a module there built from other sources (lab build or run after a
# change) is left out.
use_packaged_module()
{
	local dir=$OUT/packaged/$KERNEL_ABI

	[ -z "${VCPU_ABORT_PREBUILT_KO:-}" ] || return 0
	wait_for_packaged_module
	[ -f "$dir/vcpu_abort.ko" ] || return 0
	if [ "$(cat "$dir/sources" 2>/dev/null)" != "$(module_sources_key)" ]; then
		log "$TARGET: the packaged vcpu_abort.ko in $dir is of other sources: the lab's build goes in"
		return 0
	fi
	cp "$dir/vcpu_abort.ko" "$OUT/$TARGET/vcpu_abort.ko" ||
		die "cannot copy the packaged $dir/vcpu_abort.ko"
	cp "$dir/origin" "$OUT/$TARGET/vcpu_abort.origin"
	log "$TARGET: vcpu_abort.ko from $(cat "$dir/origin"), sha256 $(sha256sum "$dir/vcpu_abort.ko" | cut -c1-16)"
}

# The host plan's packages test (run_host_plan, host.sh) runs beside the
# guests' prepares: the target of the kernel it builds the DKMS module for
# (deb-early/kernel, written by run_targets before any prepare) waits for
# it to end, so that its guest tests that module; also while the host
# plan has not started it yet. Nothing to wait for when neither process
# is alive (a run that was stopped leaves its files behind).
wait_for_packaged_module()
{
	local early=$OUT/deb-early pidfile

	[ "$(cat "$early/kernel" 2>/dev/null)" = "$KERNEL_ABI" ] || return 0
	[ -f "$early/rc" ] || log "$TARGET: waiting for the packages test, which builds vcpu_abort.ko for $KERNEL_ABI with DKMS"
	while [ ! -f "$early/rc" ]; do
		pidfile=$early/started
		[ -f "$pidfile" ] || pidfile=$early/host-plan
		kill -0 "$(cat "$pidfile" 2>/dev/null)" 2>/dev/null || break
		sleep 2
	done
}

# Write standard input to an executable script at PATH, whole or not at
# all (a rename): a build of another target may run it meanwhile.
write_script()
{
	cat >"$1.$$" && chmod +x "$1.$$" && mv -f "$1.$$" "$1"
}

# Since 6.15 kbuild asks scripts/checker-valid.sh whether sparse can read
# the headers (it must know __typeof_unqual__), and skips sparse when the
# answer is not 1. Debian's headers packages do not ship that script; this
# writes one that asks the same question, into the build root's headers.
ensure_checker_valid()
{
	local common script

	common=$1/usr/src/linux-headers-${KERNEL_ABI%-"$DEB_FLAVOUR"}-common
	script=$common/scripts/checker-valid.sh
	grep -qs 'checker-valid.sh' "$common/Makefile" || return 0
	[ -x "$script" ] && return 0
	write_script "$script" <<'SCRIPT'
#!/bin/sh
# Written by the vcpu-abort lab (tools/testing/vm/lib/build.sh): prints 1
# if the checker "$@" parses __typeof_unqual__ without an error.
command -v "$1" >/dev/null 2>&1 || { echo 0; exit 0; }
t=$(mktemp /tmp/checker-valid.XXXXXX.c) || { echo 0; exit 0; }
printf 'static inline int u(const int *q)\n{\n\t__typeof_unqual__(*q) v = *q;\n\treturn v;\n}\n' >"$t"
if "$@" "$t" 2>&1 | grep -q error; then echo 0; else echo 1; fi
rm -f "$t"
SCRIPT
}

# riscv kernels build with -march=rv64imac_zicsr_zifencei (and more
# extensions on newer kernels). sparse uses -march only for its predefined
# macros, and 0.6.4 (trixie) stops at extensions it does not know:
# "invalid argument to '-march': '_zicsr_zifencei'". Its C=1 run on riscv
# gets the base ISA (rv64imac) through this wrapper, written into the
# build root; everything else reaches sparse as kbuild passes it.
SPARSE_BASE_MARCH=/usr/local/bin/sparse-base-march

ensure_sparse_base_march()
{
	local script=$1$SPARSE_BASE_MARCH

	[ -x "$script" ] && return 0
	mkdir -p "$(dirname "$script")"
	write_script "$script" <<'SCRIPT'
#!/bin/sh
# Written by the vcpu-abort lab (tools/testing/vm/lib/build.sh): runs
# sparse with -march=BASE_EXTENSIONS cut down to BASE (rv64imac).
for arg; do
	shift
	case $arg in
	-march=*) arg=${arg%%_*} ;;
	esac
	set -- "$@" "$arg"
done
exec sparse "$@"
SCRIPT
}

# A kernel tree's layout for the kselftests, in DIR: the selftests
# framework of $KSRC (Debian's linux-source-6.12: its selftests Makefile,
# lib.mk, harness and runner) with this tree's collection, libvcpuctl and
# uapi header where a kernel tree has them (tools/testing/ksft-in-tree.sh
# checks the same in a whole copy of the tree).
ksft_tree()
{
	local dir=$1 ksft=$1/tools/testing/selftests

	rm -rf "${dir:?}"
	mkdir -p "$ksft" "$dir/scripts" "$dir/tools/lib" "$dir/include/uapi/linux"
	cp -a "$KSRC/scripts/subarch.include" "$dir/scripts/" &&
	(cd "$KSRC/tools/testing/selftests" &&
	 cp -a Makefile lib.mk kselftest.h kselftest_harness.h kselftest \
		run_kselftest.sh "$ksft/") &&
	cp -a "$SRC_DIR/tools/testing/selftests/vcpu_abort" "$ksft/" &&
	cp -a "$SRC_DIR/tools/lib/vcpuctl" "$dir/tools/lib/" &&
	cp "$SRC_DIR"/uapi/linux/vcpu_abort*.h "$dir/include/uapi/linux/"
}

# Userspace for one arch into DIR: bin/vcpuctl, bin/lab-noapic-vcpu
# (guest/src) and the kselftests, installed by the kernel's selftests
# Makefile into selftests/ (static: the guests have no libc). libvcpuctl
# (tools/lib/vcpuctl) is built once, for both. LIBNL is the sysroot
# holding the arch's libnl-genl-3 (fetch_libnl), or empty for the build
# machine's own (libnl-genl-3-dev, HOST_PACKAGES). CC, if given, is the
# compiler (default: CROSS's gcc); RUNNER, if given, the command that runs
# make (in_build_root_with ...).
# Output in DIR/build.log; returns non-zero if anything failed.
build_userspace()
{
	local dir=$1 arch=$2 cross=$3 libnl=${4:-} cc=${5:-${3}gcc} run

	shift $(($# < 5 ? $# : 5))
	run=("$@")

	rm -rf "${dir:?}/bin" "${dir:?}/selftests"
	mkdir -p "$dir/bin"
	{
		"${run[@]}" make -C "$SRC_DIR/tools/vcpuctl" ARCH="$arch" \
			CROSS_COMPILE="$cross" CC="$cc" \
			OUTPUT="$dir/build/vcpuctl/" \
			LIBNL_SYSROOT="$libnl" \
			LIBVCPUCTL_OUTPUT="$dir/build/libvcpuctl/" &&
		cp "$dir/build/vcpuctl/vcpuctl" "$dir/bin/" &&
		"${run[@]}" "$cc" -std=c11 -Wall -Wextra -Werror -O2 -static \
			-o "$dir/bin/lab-noapic-vcpu" \
			"$LAB_DIR/guest/src/lab-noapic-vcpu.c" &&
		ksft_tree "$dir/build/linux" &&
		"${run[@]}" make -C "$dir/build/linux/tools/testing/selftests" \
			TARGETS=vcpu_abort ARCH="$arch" CROSS_COMPILE="$cross" \
			CC="$cc" \
			LIBNL_SYSROOT="$libnl" \
			LIBVCPUCTL_OUTPUT="$dir/build/libvcpuctl/" \
			KSFT_INSTALL_PATH="$dir/selftests" install
	} >"$dir/build.log" 2>&1
}

# The arch's userspace, shared by its kernels of one userland suite
# (TOOLS_DIR). An arch whose userland comes from another suite than the
# host's (riscv64: Debian has it from trixie on) is built in that suite's
# build root with the target's compiler: trixie's libnl needs a glibc of
# 2.38 or later (__isoc23_strtoul), which bookworm's cross libc is not,
# and bookworm's linker crashes on trixie's libc.a.
build_tools()
{
	local dir=$TOOLS_DIR cc=${CROSS_PREFIX}gcc runner=()

	step build-tools
	if ! host_suite "$USERLAND_SUITE"; then
		[ "$USERLAND_SUITE" = "$SUITE" ] ||
			die "userland of $USERLAND_SUITE for a $SUITE target: no build root for it"
		cc=$CROSS_PREFIX$(suite_gcc)
		mkdir -p "$dir"
		runner=(with_lock -s "root-$SUITE" in_build_root_with
			"$SRC_DIR" "$KSRC" "$dir" "$LIBNL_SYSROOT" --)
	fi
	if ! build_userspace "$dir" "$LAB_ARCH" "$CROSS_PREFIX" \
			"$LIBNL_SYSROOT" "$cc" "${runner[@]}"; then
		tail -n 25 "$dir/build.log" >&2
		die "building vcpuctl or the selftests failed (log: $dir/build.log)"
	fi
}

# A cache directory for a package of the target's userland suite: per
# arch, and per suite where that is not the host's.
userland_cache_dir()
{
	if host_suite "$USERLAND_SUITE"; then
		echo "$CACHE/$1/$DEB_ARCH"
	else
		echo "$CACHE/$1/$USERLAND_SUITE-$DEB_ARCH"
	fi
}

# busybox-static of the target's arch, unpacked once: /bin/busybox, or
# /usr/bin/busybox from trixie on (merged /usr).
fetch_busybox()
{
	local dir f

	step fetch-busybox
	dir=$(userland_cache_dir busybox)
	for f in "$dir/bin/busybox" "$dir/usr/bin/busybox" ""; do
		[ -x "$f" ] && break
	done
	if [ -z "$f" ]; then
		private_apt_update "$USERLAND_SUITE"
		papt_unpack "$USERLAND_SUITE" "$dir" "busybox-static:$DEB_ARCH"
		for f in "$dir/bin/busybox" "$dir/usr/bin/busybox" ""; do
			[ -x "$f" ] && break
		done
		[ -n "$f" ] || die "busybox-static:$DEB_ARCH has no busybox"
	fi
	# shellcheck disable=SC2034 # read by initramfs.sh
	BUSYBOX=$f
}

# Unpack Debian's linux-source package PKG of suite FROM into DEST,
# without the tarball's top directory: the whole tree, or only PARTS
# (paths in it). WORK is scratch space for the package, removed
# afterwards.
unpack_linux_source()
{
	local from=$1 pkg=$2 dest=$3 work=$4 tarball top part parts=()
	shift 4

	papt_unpack "$from" "$work" "$pkg"
	tarball=$(find "$work/usr/src" -name 'linux-source-*.tar.xz' | sed -n 1p)
	[ -n "$tarball" ] || die "$pkg holds no source tarball"
	top=$(basename "$tarball" .tar.xz)
	for part in "$@"; do
		parts+=("$top/$part")
	done
	mkdir -p "$dest"
	tar -xJf "$tarball" -C "$dest" --strip-components=1 "${parts[@]}" ||
		die "cannot unpack $tarball"
	rm -rf "${work:?}"
}

# The parts of a kernel tree the project builds on but does not copy:
# the kselftest framework (selftests Makefile, lib.mk, harness, runner),
# checkpatch.pl with its data files, and ynl-gen-c (tools/net/ynl). Taken
# once from Debian's linux-source-6.12 (trixie): its top Makefile,
# scripts/, tools/ and include/uapi/, enough for a collection to build
# the way it would in the whole tree (tools/testing/ksft-in-tree.sh), and
# the netlink schemas of Documentation/netlink/ (ynl-check.sh).
# Sets KSRC.
KSRC_SERIES=6.12
KSRC_SUITE=trixie
fetch_kernel_source()
{
	# Not linux-source-*: older labs sharing the cache remove that whole
	# directory when their own marker is missing.
	local dir=$CACHE/kernel-source-$KSRC_SERIES tmp
	local want="Makefile scripts tools include/uapi Documentation/netlink"

	step fetch-kernel-source
	# One directory per set of parts, made whole or not at all: labs of
	# other versions may share this cache and use another set meanwhile.
	KSRC=$dir/src-$(echo "$want" | md5sum | cut -c 1-8)
	[ -f "$KSRC/.unpacked" ] && return 0
	private_apt_update "$KSRC_SUITE"
	log "fetching linux-source-$KSRC_SERIES (kselftest framework, checkpatch, ynl; once)"
	mkdir -p "$dir"
	tmp=$(mktemp -d "$dir/tmp.XXXXXX")
	# shellcheck disable=SC2086 # $want is a list of paths without blanks
	unpack_linux_source "$KSRC_SUITE" "linux-source-$KSRC_SERIES" \
		"$tmp/src" "$tmp/deb" $want
	if [ ! -f "$tmp/src/tools/testing/selftests/lib.mk" ] ||
	   [ ! -f "$tmp/src/scripts/checkpatch.pl" ] ||
	   [ ! -f "$tmp/src/Documentation/netlink/genetlink-c.yaml" ]; then
		die "linux-source-$KSRC_SERIES lacks the selftests framework, checkpatch.pl or the netlink schemas"
	fi
	echo "$want" >"$tmp/src/.unpacked"
	# Another lab may have been quicker: then keep its copy.
	mv -T "$tmp/src" "$KSRC" 2>/dev/null || [ -f "$KSRC/.unpacked" ] ||
		die "cannot move the kernel source parts to $KSRC"
	rm -rf "${tmp:?}"
}

# libnl-genl-3 of the target's arch (headers and static libraries) for
# the netlink control plane's tools: unpacked once into a sysroot, since
# multiarch installs would tie the host's libc version to foreign arches.
# Sets LIBNL_SYSROOT.
fetch_libnl()
{
	local dir

	step fetch-libnl
	dir=$(userland_cache_dir sysroot)
	LIBNL_SYSROOT=$dir
	[ -f "$dir/.unpacked" ] && return 0
	private_apt_update "$USERLAND_SUITE"
	papt_unpack "$USERLAND_SUITE" "$dir" "libnl-3-dev:$DEB_ARCH" \
		"libnl-genl-3-dev:$DEB_ARCH" "libnl-3-200:$DEB_ARCH" \
		"libnl-genl-3-200:$DEB_ARCH"
	find "$dir" -name 'libnl-genl-3.a' | grep -q . ||
		die "libnl-genl-3-dev:$DEB_ARCH has no static library"
	touch "$dir/.unpacked"
}
