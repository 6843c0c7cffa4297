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

# Userspace for the arch, shared by its three kernels. Each tool dir
# builds with: make ARCH=... CROSS_COMPILE=... OUTPUT=dir/ (static).
build_tools()
{
	local dir=$OUT/tools-$LAB_ARCH tool

	step build-tools
	mkdir -p "$dir/bin"
	for tool in tools/vcpuctl; do
		[ -f "$SRC_DIR/$tool/Makefile" ] || continue
		logged "$dir/$(basename "$tool")-build.log" \
			make -C "$SRC_DIR/$tool" ARCH="$LAB_ARCH" \
			CROSS_COMPILE="$CROSS_PREFIX" OUTPUT="$dir/bin/"
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
