# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # read by lib/*.sh: select_target sources this
# The debug variant: a kernel the lab builds itself from Debian's source of
# the target's series (linux-source-6.12 from trixie), with that series'
# compiler in its build root, configured small (allnoconfig + variants/
# debug/common.config + variants/debug/<arch>.config) with the kernel's
# runtime checkers on: KASAN, KFENCE, lockdep, UBSAN, kmemleak, ...
#
# Built once per (arch, source version, configuration) and cached outside
# the work tree, in $CACHE/debug-kernel/<arch>-<version>-<config hash>/:
#   image          the boot image's name (bzImage, Image.gz)
#   kernelrelease  uname -r
#   modules/       modules_install (lib/modules/<release>/kernel/...)
#   build/         the O= tree: `make -C build M=...` builds modules
#                  against it, in the build root, like Debian's headers
#   *.log          configuration, build and install logs
# The Debian source is unpacked once per version, in src-<version>/.
#
# On top of the arch, this replaces: suite_gcc (the series' compiler, not
# the one of a kernel package), fetch_kernel and fetch_headers (the built
# kernel and tree), KVM_MODULES (the KVM modules it built).

# Its preparation builds a kernel, the longest of any target's, and its
# guest is the slowest of the QEMU ones: it starts first (lib/suite.sh,
# slowest_first).
START_FIRST=1
DEBUG_CONFIG_DIR=$LAB_DIR/variants/debug
DEBUG_CACHE=$CACHE/debug-kernel
# The build root sees the cache's kernels at the same path.
BUILD_ROOT_BINDS=$DEBUG_CACHE
# What a kernel build needs in the build root besides the compiler, make,
# perl and libelf (BUILD_ROOT_TOOLS).
DEBUG_BUILD_TOOLS="bc bison flex libelf-dev"
# Changes to how the kernel is built that the configuration does not show
# go into its cache key through this.
DEBUG_RECIPE="allnoconfig+fragments all modules_install v1"
# The guest asserts these checkers are on, and scans for leaks at the end
# (guest/init).
GUEST_APPEND="$GUEST_APPEND lab.checkers=kasan,kfence,lockdep,ubsan,kmemleak"

# The compiler of the series: the one that built Debian's kernel of it.
suite_gcc()
{
	local abi

	abi=$(meta_kernel_abi) || exit
	kernel_gcc "$abi"
}

# Unpack Debian's linux-source of the suite (the one the linux-source meta
# package names) once. Sets DEBUG_SRC and DEBUG_SRC_VERSION.
fetch_debug_source()
{
	local pkg

	step fetch-debug-source
	pkg=$(papt_depends "$SUITE" linux-source '^linux-source-' | sed -n 1p)
	[ -n "$pkg" ] || die "cannot resolve linux-source in $SUITE"
	DEBUG_SRC_VERSION=$(papt_version "$SUITE" "$pkg")
	DEBUG_SRC=$DEBUG_CACHE/src-$DEBUG_SRC_VERSION
	[ -f "$DEBUG_SRC/.unpacked" ] && return 0
	log "$TARGET: unpacking $pkg $DEBUG_SRC_VERSION (once)"
	rm -rf "$DEBUG_SRC" "$DEBUG_CACHE/deb-$DEBUG_SRC_VERSION"
	unpack_linux_source "$SUITE" "$pkg" "$DEBUG_SRC" \
		"$DEBUG_CACHE/deb-$DEBUG_SRC_VERSION"
	touch "$DEBUG_SRC/.unpacked"
}

# The configuration fragment of the target's arch: common + arch lines.
debug_fragment()
{
	cat "$DEBUG_CONFIG_DIR/common.config" \
		"$DEBUG_CONFIG_DIR/$LAB_ARCH.config"
}

# make in the kernel source, output in the cached tree, in the build root
# (which nothing changes meanwhile: common.sh, with_lock).
debug_make()
{
	with_lock -s "root-$SUITE" in_build_root make -C "$DEBUG_SRC" O="$DEBUG_KERNEL_DIR/build" \
		ARCH="$KBUILD_ARCH" CROSS_COMPILE="$CROSS_PREFIX" "$@"
}

# Every line of the fragment holds in the .config: "CONFIG_X=v" is there,
# "# CONFIG_X is not set" has no CONFIG_X= line.
check_debug_config()
{
	local config=$DEBUG_KERNEL_DIR/build/.config line sym missing=''

	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$config" || missing="$missing $line"
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			! grep -q "^$sym=" "$config" ||
				missing="$missing $sym=n"
			;;
		esac
	done <"$DEBUG_KERNEL_DIR/fragment.config"
	[ -z "$missing" ] ||
		die "the configuration lacks:$missing (dependencies unmet? see $config)"
}

# Build the kernel of the target's arch, or find it built. Sets
# DEBUG_KERNEL_DIR. Serialized by a lock (common.sh, with_lock): several
# labs, and targets prepared in parallel, share a cache.
build_debug_kernel() { with_lock debug-kernel find_or_build_debug_kernel; }

find_or_build_debug_kernel()
{
	local root gcc hash start

	root=$(build_root "$SUITE")
	gcc=$(suite_gcc) || exit
	mkdir -p "$DEBUG_CACHE"
	fetch_debug_source
	step build-debug-kernel
	hash=$( { debug_fragment; echo "$DEBUG_RECIPE $gcc"; } | sha256sum)
	DEBUG_KERNEL_DIR=$DEBUG_CACHE/$LAB_ARCH-$DEBUG_SRC_VERSION-${hash:0:12}
	[ -f "$DEBUG_KERNEL_DIR/.built" ] && return 0
	if [ ! -f "$root/.ready-debug-kernel" ]; then
		log "$SUITE: adding $DEBUG_BUILD_TOOLS to the build root"
		logged "$CACHE/logs/build-root-debug-$SUITE.log" \
			with_lock "root-$SUITE" in_build_root sh -c \
			"apt-get update; DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends $DEBUG_BUILD_TOOLS"
		touch "$root/.ready-debug-kernel"
	fi
	log "$TARGET: building the debug kernel ($DEBUG_SRC_VERSION, $gcc; once, several minutes): $DEBUG_KERNEL_DIR"
	rm -rf "$DEBUG_KERNEL_DIR"
	mkdir -p "$DEBUG_KERNEL_DIR/build"
	debug_fragment >"$DEBUG_KERNEL_DIR/fragment.config"
	# Read by Debian's kernel Makefile, as in its headers packages: the
	# series' compiler for the kernel and for modules built against it.
	# shellcheck disable=SC2016 # $(CROSS_COMPILE) is make's
	printf 'CC = $(CROSS_COMPILE)%s\nHOSTCC = %s\n' "$gcc" "$gcc" \
		>"$DEBUG_KERNEL_DIR/build/.kernelvariables"
	logged "$DEBUG_KERNEL_DIR/config.log" debug_make \
		KCONFIG_ALLCONFIG="$DEBUG_KERNEL_DIR/fragment.config" allnoconfig
	check_debug_config
	start=$SECONDS
	logged "$DEBUG_KERNEL_DIR/build.log" debug_make -j"$(nproc)" all
	log "$TARGET: debug kernel built in $((SECONDS - start)) s"
	echo $((SECONDS - start)) >"$DEBUG_KERNEL_DIR/build-seconds"
	logged "$DEBUG_KERNEL_DIR/modules-install.log" debug_make \
		INSTALL_MOD_PATH="$DEBUG_KERNEL_DIR/modules" DEPMOD=true \
		modules_install
	debug_make -s kernelrelease >"$DEBUG_KERNEL_DIR/kernelrelease" ||
		die "make kernelrelease failed"
	debug_make -s image_name >"$DEBUG_KERNEL_DIR/image" ||
		die "make image_name failed"
	touch "$DEBUG_KERNEL_DIR/.built"
}

# Sets KERNEL_ABI, KERNEL_IMAGE, KERNEL_MODDIR and KVM_MODULES from the
# debug kernel, building it first if needed.
fetch_kernel()
{
	local ko

	private_apt_update "$SUITE"
	# Its build root and compiler build the kernel too.
	ensure_build_root
	build_debug_kernel
	step fetch-kernel
	KERNEL_ABI=$(cat "$DEBUG_KERNEL_DIR/kernelrelease")
	KERNEL_IMAGE=$DEBUG_KERNEL_DIR/build/$(cat "$DEBUG_KERNEL_DIR/image")
	KERNEL_MODDIR=$DEBUG_KERNEL_DIR/modules/lib/modules/$KERNEL_ABI
	[ -f "$KERNEL_IMAGE" ] || die "no kernel image $KERNEL_IMAGE"
	[ -d "$KERNEL_MODDIR" ] || die "no modules_install in $KERNEL_MODDIR"
	# The KVM modules it has (none where KVM is built in: arm64, whose
	# debug kernel then has no module at all); their dependencies
	# (irqbypass) are added by kvm_module_files.
	KVM_MODULES=
	[ -d "$KERNEL_MODDIR/kernel/arch" ] || return 0
	for ko in $(find "$KERNEL_MODDIR/kernel/arch" -path '*/kvm/*.ko' |
			sort); do
		KVM_MODULES="$KVM_MODULES $(basename "$ko" .ko)"
	done
}

# The headers are the build tree, which the build root sees (BINDS).
fetch_headers()
{
	step fetch-headers
	HEADERS_DIR=$DEBUG_KERNEL_DIR/build
}
