# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The guest's initramfs: busybox, /init, the KVM modules of the target's
# kernel, vcpu_abort.ko and the arch's tools. The command to run goes into
# a second small cpio appended at boot, so the base image is built once.
# Both are gzipped, but not where INITRAMFS_COMPRESS=none (a variant that
# boots under a slow emulator, where unpacking costs more than reading).

# The base image of the selected target.
initramfs_image()
{
	if [ "${INITRAMFS_COMPRESS:-gzip}" = none ]; then
		echo "$OUT/$TARGET/initramfs.cpio"
	else
		echo "$OUT/$TARGET/initramfs.cpio.gz"
	fi
}

initramfs_compress()
{
	if [ "${INITRAMFS_COMPRESS:-gzip}" = none ]; then
		cat
	else
		gzip -1
	fi
}

build_initramfs()
{
	local stage=$OUT/$TARGET/initramfs n=0 f dst

	step initramfs
	rm -rf "$stage"
	mkdir -p "$stage"/{bin,lab/modules,lab/bin,dev,proc,sys,tmp}
	cp "$BUSYBOX" "$stage/bin/busybox"
	cp "$LAB_DIR/guest/init" "$stage/init"
	cp "$LAB_DIR/guest/lab-tap.sh" "$stage/lab/"
	cp -a "$LAB_DIR/guest/bin/." "$stage/lab/bin/"
	cp -a "$TOOLS_DIR/bin/." "$stage/lab/bin/"
	cp -a "$TOOLS_DIR/selftests" "$stage/lab/selftests"
	cp "$OUT/$TARGET/vcpu_abort.ko" "$OUT/$TARGET/vcpu_abort.origin" \
		"$stage/lab/"
	# Next to the selftest that loads it (fd_kinds).
	cp "$OUT/$TARGET/vcpu_abort_lookalike.ko" \
		"$stage/lab/selftests/vcpu_abort/"
	for f in $(kvm_module_files); do
		n=$((n + 1))
		dst=$stage/lab/modules/$(printf '%02d' $n)-$(basename "${f%.ko*}").ko
		case $f in
		*.ko.xz) xz -dc "$f" >"$dst" ;;
		*.ko.zst) zstd -qdc "$f" >"$dst" ;;
		*.ko.gz) gzip -dc "$f" >"$dst" ;;
		*) cp "$f" "$dst" ;;
		esac || die "cannot unpack module $f"
	done
	echo "$KERNEL_ABI" >"$stage/lab/kernel"
	(cd "$stage" && find . | cpio -o -H newc --quiet | initramfs_compress) \
		>"$(initramfs_image)" || die "cpio failed"
}

# Append the commands (one per line) for this boot; prints the image path.
initramfs_with_commands()
{
	local cmds=$1 dir

	dir=$(mktemp -d "$OUT/$TARGET/cmd.XXXXXX")
	mkdir -p "$dir/lab"
	printf '%s\n' "$cmds" >"$dir/lab/commands"
	(cd "$dir" && find . | cpio -o -H newc --quiet | initramfs_compress) |
		cat "$(initramfs_image)" - >"$dir.img"
	rm -rf "$dir"
	echo "$dir.img"
}
