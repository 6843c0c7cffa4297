# SPDX-License-Identifier: GPL-2.0
# Building what goes into a guest: vcpu_abort.ko for the target's kernel
# (in the build root, with that kernel's compiler), and the userspace tools
# and tests for the target's arch (static, with the host's compilers).

build_module()
{
	local root bdir

	step build-module
	root=$(build_root "$SUITE")
	mkdir -p "$root/build" "$OUT/$TARGET"
	# A private directory: several labs may share one cache.
	bdir=$(mktemp -d "$root/build/$TARGET.XXXXXX")
	bdir=${bdir#"$root"}
	cp -a "$SRC_DIR/Kbuild" "$SRC_DIR/module" "$SRC_DIR/uapi" "$root$bdir/"
	log "$TARGET: building vcpu_abort.ko"
	logged "$OUT/$TARGET/module-build.log" in_build_root \
		make -C "$(headers_path)" M="$(root_path "$bdir")" \
		ARCH="$KBUILD_ARCH" CROSS_COMPILE="$CROSS_PREFIX" modules
	cp "$root$bdir/module/vcpu_abort.ko" "$OUT/$TARGET/" ||
		die "build produced no vcpu_abort.ko"
	rm -rf "${root:?}$bdir"
}

# Userspace for the arch, shared by its three kernels. A tool directory
# builds with `make ARCH=... CROSS_COMPILE=... OUTPUT=dir/` into
# dir/<its name> (static: the guests have no libc); only that binary goes
# into the guest's /lab/bin.
build_tools()
{
	local dir=$OUT/tools-$LAB_ARCH tool name

	step build-tools
	rm -rf "$dir/bin"
	mkdir -p "$dir/bin"
	for tool in tools/vcpuctl; do
		[ -f "$SRC_DIR/$tool/Makefile" ] || continue
		name=$(basename "$tool")
		logged "$dir/$name-build.log" \
			make -C "$SRC_DIR/$tool" ARCH="$LAB_ARCH" \
			CROSS_COMPILE="$CROSS_PREFIX" OUTPUT="$dir/build/$name/"
		cp "$dir/build/$name/$name" "$dir/bin/" ||
			die "$tool built no $name"
	done
}

# busybox-static of the target's arch, unpacked once.
fetch_busybox()
{
	local dir=$CACHE/busybox/$DEB_ARCH

	step fetch-busybox
	if [ ! -x "$dir/bin/busybox" ]; then
		private_apt_update bookworm
		papt_unpack bookworm "$dir" "busybox-static:$DEB_ARCH"
	fi
	BUSYBOX=$dir/bin/busybox
}
