# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Debian kernels for a target: the image, its modules and its headers,
# resolved from the suite's meta packages (never globbed over old ABIs),
# or an older ABI of the same series when the mirror lacks that one.

# The packages of a kernel ABI, as name:arch: the image and, on newer
# series, the binary and modules packages it is split into.
kernel_image_pkgs()
{
	local img=linux-image-$1:$DEB_ARCH

	echo "$img"
	papt_depends "$SUITE" "$img" '^linux-(binary|modules)-'
}

# The headers of a kernel ABI: the flavour's, the shared -common ones and
# the host's kbuild tools of the same version (the flavour's scripts/ link
# to them).
kernel_header_pkgs()
{
	local hdr=linux-headers-$1:$DEB_ARCH dep

	echo "$hdr"
	for dep in $(papt_depends "$SUITE" "$hdr" \
			'^linux-(headers-.*-common|kbuild-|base-)'); do
		# kbuild runs on the build machine: always the host's arch.
		case $dep in
		linux-kbuild-*) dep=${dep%%:*} ;;
		esac
		echo "$dep"
	done
}

# What stays the same across the ABIs of one series: the version without
# the flavour, with the numbers that start a part left out (6.12.117+deb13
# -> 6.12.#+deb13, 6.1.0-50 -> 6.1.#-#). So 6.1 never takes the 6.12.*+deb12
# kernels of bookworm-security, nor one flavour another (-64k, -rt-amd64).
abi_series()
{
	local ver=${1%-"$DEB_FLAVOUR"}

	[[ $ver =~ ^([0-9]+\.[0-9]+)(.*)$ ]] || { echo "$ver"; return; }
	printf '%s%s\n' "${BASH_REMATCH[1]}" "$(printf '%s' \
		"${BASH_REMATCH[2]}" | sed -E 's/(^|[^[:alnum:]])[0-9]+/\1#/g')"
}

# The ABIs of the suite's root older than the given one, of its series and
# flavour, newest first: exact package names, never a glob to download.
older_kernel_abis()
{
	local want=$1 series abi

	series=$(abi_series "$want")
	papt_cache "$SUITE" pkgnames "linux-image-${want%%.*}." 2>/dev/null |
		sed -n "s/^linux-image-\(.*-$DEB_FLAVOUR\)\$/\1/p" |
		while read -r abi; do
			[ "$(abi_series "$abi")" = "$series" ] && echo "$abi"
		done | { cat; echo "$want"; } | sort -rVu |
		awk -v want="$want" 'older; $0 == want { older = 1 }'
}

# Whether the kernel and headers of an ABI can be had: unpacked already, or
# every package in the download cache or downloaded into it now (nothing
# is unpacked here). Stops at the first package missing, with PAPT_ERROR.
kernel_abi_available()
{
	local abi=$1 pkg

	[ -f "$CACHE/kernels/$abi/.unpacked" ] &&
		[ -f "$(build_root "$SUITE")/usr/src/linux-headers-$abi/.unpacked" ] &&
		return 0
	log "$TARGET: fetching kernel $abi and its headers"
	for pkg in $(kernel_image_pkgs "$abi") $(kernel_header_pkgs "$abi"); do
		papt_fetch "$SUITE" "$pkg" || return 1
	done
}

# The ABI the flavour's meta package (linux-image-arm64) depends on.
meta_kernel_abi()
{
	local meta img

	meta=linux-image-$DEB_FLAVOUR:$DEB_ARCH
	img=$(papt_depends "$SUITE" "$meta" '^linux-image-' | sed -n 1p)
	[ -n "$img" ] || die "cannot resolve $meta in $SUITE"
	img=${img#linux-image-}
	echo "${img%%:*}"
}

# Sets KERNEL_ABI: the ABI the flavour's meta package depends on, unless
# its kernel or headers cannot be downloaded; then the newest older one of
# the same series and flavour that can. Mirrors lag per arch: trixie's
# index once named a ppc64el kernel its mirror did not serve (404) while
# the older ones it and trixie-security list still downloaded.
choose_kernel_abi()
{
	local want abi why tried

	want=$(meta_kernel_abi) || exit
	kernel_abi_available "$want" && KERNEL_ABI=$want && return 0
	why=$PAPT_ERROR
	tried="$want ($why)"
	for abi in $(older_kernel_abis "$want"); do
		if kernel_abi_available "$abi"; then
			log "$TARGET: $want is not downloadable ($why); using $abi"
			KERNEL_ABI=$abi
			return 0
		fi
		tried="$tried; $abi ($PAPT_ERROR)"
	done
	die "cannot download $want nor an older kernel of its series from $SUITE; tried: $tried"
}

# Sets KERNEL_ABI (uname -r), KERNEL_IMAGE and KERNEL_MODDIR.
fetch_kernel()
{
	local kdir f

	private_apt_update "$SUITE"
	step fetch-kernel
	choose_kernel_abi
	kdir=$CACHE/kernels/$KERNEL_ABI
	if [ ! -f "$kdir/.unpacked" ]; then
		log "$TARGET: unpacking kernel $KERNEL_ABI"
		rm -rf "$kdir"
		# shellcheck disable=SC2046 # package names, one a word
		papt_unpack "$SUITE" "$kdir" $(kernel_image_pkgs "$KERNEL_ABI")
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

# Unpack the headers of KERNEL_ABI (kernel_header_pkgs, fetched by
# fetch_kernel) into a build root (see toolchain.sh). Sets HEADERS_DIR as
# seen from inside the build root.
fetch_headers()
{
	local root=$1

	step fetch-headers
	HEADERS_DIR=/usr/src/linux-headers-$KERNEL_ABI
	[ -f "$root$HEADERS_DIR/.unpacked" ] && return 0
	log "$TARGET: unpacking headers $KERNEL_ABI"
	# Not while a module builds in the root: the headers of another
	# flavour of this version share the -common package it reads.
	# shellcheck disable=SC2046 # package names, one a word
	with_lock "root-$SUITE" papt_unpack "$SUITE" "$root" \
		$(kernel_header_pkgs "$KERNEL_ABI")
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
		sed -n 1p)
	[ -n "$file" ] || die "module $name not found in $KERNEL_MODDIR"
	for dep in $(modinfo -F depends "$file" | tr ',' ' '); do
		module_with_deps "$dep"
	done
	echo "$file"
}
