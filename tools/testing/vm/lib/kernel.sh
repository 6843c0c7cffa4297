# SPDX-License-Identifier: GPL-2.0
# Debian kernels for a target: the image, its modules and its headers,
# resolved from the suite's meta packages (never globbed over old ABIs).

# Sets KERNEL_ABI (uname -r), KERNEL_IMAGE and KERNEL_MODDIR.
fetch_kernel()
{
	local meta img kdir pkgs dep f

	private_apt_update "$SUITE"
	step fetch-kernel
	meta=linux-image-$DEB_FLAVOUR:$DEB_ARCH
	img=$(papt_depends "$SUITE" "$meta" '^linux-image-' | head -n 1)
	[ -n "$img" ] || die "cannot resolve $meta in $SUITE"
	KERNEL_ABI=${img#linux-image-}
	KERNEL_ABI=${KERNEL_ABI%%:*}
	kdir=$CACHE/kernels/$KERNEL_ABI
	if [ ! -f "$kdir/.unpacked" ]; then
		log "$TARGET: fetching kernel $KERNEL_ABI"
		rm -rf "$kdir"
		pkgs=("$img")
		# Newer series split the image: binary + modules packages.
		for dep in $(papt_depends "$SUITE" "$img" \
				'^linux-(binary|modules)-'); do
			pkgs+=("$dep")
		done
		papt_unpack "$SUITE" "$kdir" "${pkgs[@]}"
		touch "$kdir/.unpacked"
	fi
	KERNEL_IMAGE=
	for f in "$kdir"/boot/vmlinu[xz]-"$KERNEL_ABI" \
		 "$kdir"/usr/lib/modules/"$KERNEL_ABI"/vmlinu[xz]; do
		[ -f "$f" ] && KERNEL_IMAGE=$f && break
	done
	[ -n "$KERNEL_IMAGE" ] || die "no kernel image in $kdir"
	for f in "$kdir"/lib/modules/"$KERNEL_ABI" \
		 "$kdir"/usr/lib/modules/"$KERNEL_ABI"; do
		[ -d "$f/kernel" ] && KERNEL_MODDIR=$f && break
	done
	[ -n "${KERNEL_MODDIR:-}" ] || die "no modules for $KERNEL_ABI in $kdir"
}

# Unpack the headers of KERNEL_ABI into a build root (see toolchain.sh):
# flavour headers, the shared -common ones and the host's kbuild tools of
# the same version (the flavour's scripts/ link to them). Sets HEADERS_DIR
# as seen from inside the build root.
fetch_headers()
{
	local root=$1 hdr dep pkgs

	step fetch-headers
	HEADERS_DIR=/usr/src/linux-headers-$KERNEL_ABI
	[ -f "$root$HEADERS_DIR/.unpacked" ] && return 0
	log "$TARGET: fetching headers $KERNEL_ABI"
	hdr=linux-headers-$KERNEL_ABI:$DEB_ARCH
	pkgs=("$hdr")
	for dep in $(papt_depends "$SUITE" "$hdr" \
			'^linux-(headers-.*-common|kbuild-|base-)'); do
		# kbuild runs on the build machine: always the host's arch.
		case $dep in
		linux-kbuild-*) dep=${dep%%:*} ;;
		esac
		pkgs+=("$dep")
	done
	papt_unpack "$SUITE" "$root" "${pkgs[@]}"
	[ -f "$root$HEADERS_DIR/Makefile" ] ||
		die "headers unpacked but $root$HEADERS_DIR/Makefile is missing"
	touch "$root$HEADERS_DIR/.unpacked"
}

# The module files (decompressed) a guest needs for KVM, in load order:
# each module's dependencies (modinfo) come before it.
kvm_module_files()
{
	local seen=" " m

	for m in $KVM_MODULES; do
		module_with_deps "$m"
	done
}

module_with_deps()
{
	local name=$1 file dep

	case "$seen" in *" ${name//-/_} "*) return ;; esac
	seen="$seen${name//-/_} "
	file=$(find "$KERNEL_MODDIR/kernel" \( -name "$name.ko*" -o \
		-name "${name//-/_}.ko*" -o -name "${name//_/-}.ko*" \) |
		head -n 1)
	[ -n "$file" ] || die "module $name not found in $KERNEL_MODDIR"
	for dep in $(modinfo -F depends "$file" | tr ',' ' '); do
		module_with_deps "$dep"
	done
	echo "$file"
}
