#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages, as a test fleet gets them: `dpkg-buildpackage -us
# -uc -b` builds vcpu-abort-dkms, vcpu-abort-dev and vcpuctl from a copy
# of this tree, lintian must report nothing (the overrides in debian/ say
# why), and apt installs them into a clean bookworm root (debootstrap,
# with Debian's linux-headers-amd64 and dkms) where DKMS must build and
# install vcpu_abort.ko for every kernel with headers; `vcpuctl --version`
# must run and the header compile; purging the three packages must remove
# every file they brought.
#
# Run from the top of the tree, as root, on Debian 12 (bookworm). The lab
# (host plan) sets:
#   DEB_CACHE       where the root's template and the downloads are kept
#   DEB_MIRROR      the Debian mirror (default deb.debian.org)
#   KDIR            kernel headers of the lab's x86_64 6.1 guest: DKMS must
#                   build for that kernel too (its ABI, from utsrelease.h)
#   DEB_KO_OUT      the DKMS-built modules go to $DEB_KO_OUT/<ABI>/, for
#                   that guest to load (tools/testing/vm/lib/build.sh)
#   DEB_KO_SOURCES  the lab's key of the module sources packaged, kept
#                   beside each module there (the lab loads it only for
#                   the same sources)
#   DEB_EARLY       a directory where the lab's host plan started this
#                   test early, in the background, beside its other
#                   checks (output in out, exit code in rc when done):
#                   then this waits for that run and reports it
# Exit codes: 0 pass, 1 fail, 4 skip (not root, no debootstrap).
set -euo pipefail

if [ -n "${DEB_EARLY:-}" ] && [ -f "$DEB_EARLY/started" ]; then
	# Bounded by that run's own steps; a run that died leaves no rc.
	while [ ! -f "$DEB_EARLY/rc" ] && kill -0 "$(cat "$DEB_EARLY/started")" 2>/dev/null; do
		sleep 1
	done
	cat "$DEB_EARLY/out"
	[ -f "$DEB_EARLY/rc" ] || { echo "deb: the early run ended without a result"; exit 1; }
	exit "$(cat "$DEB_EARLY/rc")"
fi

: "${DEB_CACHE:?set DEB_CACHE to a cache directory (the lab sets it)}"
mirror=${DEB_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
[ "$(id -u)" -eq 0 ] || { echo "deb: needs root (debootstrap, chroot)"; exit 4; }
for tool in debootstrap dpkg-buildpackage lintian; do
	command -v "$tool" >/dev/null ||
		{ echo "deb: $tool not installed"; exit 4; }
done
[ -f debian/control ] || { echo "run from the top of the vcpu-abort tree"; exit 1; }

abi=
if [ -n "${KDIR:-}" ]; then
	abi=$(make -s --no-print-directory kernelrelease KDIR="$KDIR")
	[ -n "$abi" ] || { echo "deb: no UTS_RELEASE in $KDIR"; exit 1; }
fi
ver=$(make -s --no-print-directory version)
mkdir -p "$DEB_CACHE"
DEB_CACHE=$(cd "$DEB_CACHE" && pwd)
tmp=$(mktemp -d "$DEB_CACHE/run.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
log=$tmp/log
fail() { echo "deb: FAIL: $*"; sed 's/^/  | /' "$log" | tail -n 40; exit 1; }
start=$(date +%s)

# In a root: private mounts (/proc for make -j and dkms; the download
# cache), no environment from here.
in_root()
{
	local root=$1
	shift
	# shellcheck disable=SC2016 # expanded by that sh, not here
	unshare -m --propagation private -- sh -c '
		root=$1 debs=$2
		shift 2
		mount -t proc proc "$root/proc" || exit 1
		mount --bind "$debs" "$root/var/cache/apt/archives" || exit 1
		exec chroot "$root" "$@"' sh "$root" "$DEB_CACHE/archives" \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# The template: minbase bookworm with dkms and the headers, made once per
# kernel ABI (a new Debian kernel makes a new one: a root holding only
# the headers this test asks for). Each run installs into a copy.
template=$DEB_CACHE/root-$suite
stamp=$template/.ready-${abi:-any}-2
# One run at a time makes the template (labs may share a cache).
exec 9>"$DEB_CACHE/root-$suite.lock"
flock 9
if [ ! -f "$stamp" ]; then
	echo "deb: making the $suite root (debootstrap, dkms, linux-headers-amd64${abi:+, linux-headers-$abi})"
	rm -rf "$template" "$template.tmp"
	mkdir -p "$DEB_CACHE/debootstrap" "$DEB_CACHE/archives/partial"
	debootstrap --variant=minbase --cache-dir="$DEB_CACHE/debootstrap" \
		"$suite" "$template.tmp" "$mirror" >"$log" 2>&1 ||
		fail "debootstrap $suite"
	# The lab's kernels come from these two (lib/apt.sh): the same
	# linux-headers-amd64 here.
	printf 'deb %s %s main\ndeb %s-security %s-security main\n' \
		"$mirror" "$suite" "${mirror%/}" "$suite" \
		>"$template.tmp/etc/apt/sources.list"
	# An index may fail (a mirror mid-sync): the install says if it mattered.
	in_root "$template.tmp" apt-get update >"$log" 2>&1 || :
	in_root "$template.tmp" apt-get install -y --no-install-recommends \
		dkms linux-headers-amd64 ${abi:+"linux-headers-$abi"} \
		libnl-genl-3-200 >>"$log" 2>&1 ||
		fail "installing dkms and linux-headers-amd64 in the root"
	mv "$template.tmp" "$template"
	touch "$stamp"
fi
flock -u 9
# shellcheck disable=SC2016 # dpkg-query's format, not the shell's
headers=$(in_root "$template" dpkg-query -W -f '${Package} ${Version}\n' \
	linux-headers-amd64 'linux-headers-*-amd64' 2>/dev/null | grep -v ' $' || :)
echo "deb: root $suite with $(echo "$headers" | paste -sd, - | sed 's/,/, /g')"

# 1. Build, from a copy of what this tree holds (not what it ignores).
mkdir -p "$tmp/src/vcpu-abort"
if git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files -z -co --exclude-standard | xargs -0 cp -a --parents \
		-t "$tmp/src/vcpu-abort/"
else
	cp -a . "$tmp/src/vcpu-abort/"
fi
(cd "$tmp/src/vcpu-abort" && dpkg-checkbuilddeps && dpkg-buildpackage -us -uc -b) \
	>"$log" 2>&1 || fail "dpkg-buildpackage -us -uc -b"
changes=$(echo "$tmp"/src/vcpu-abort_*.changes)
[ -f "$changes" ] || fail "dpkg-buildpackage made no .changes"
debver=$(sed -n 's/^Version: //p' "$changes")
for pkg in vcpu-abort-dkms vcpu-abort-dev vcpuctl; do
	ls "$tmp/src/${pkg}_${debver}"_*.deb >/dev/null 2>&1 ||
		fail "no $pkg package built"
done
echo "deb: built $(cd "$tmp/src" && printf '%s ' *.deb)(version $ver from Kbuild)"

# 2. lintian: nothing but the overrides, each with its reason in debian/.
lintian --show-overrides "$changes" >"$log" 2>&1 || fail "lintian exited $?"
grep -v '^running with root privileges' "$log" | sed 's/^/deb: lintian: /'
if grep -qE '^[EW]: ' "$log"; then
	fail "lintian reports errors or warnings"
fi
grep -qE '^[EWO]: ' "$log" || echo "deb: lintian: no errors, no warnings"

# 3. Install into a copy of the template, as a host of the fleet would.
root=$tmp/root
cp -a "$template" "$root"
state()
{
	# What a purge must bring back, without the package manager's own
	# records and logs, depmod's indexes (rewritten by every depmod) and
	# DKMS's signing key (dkms's, made at its first build, kept on
	# purpose for the next one).
	(cd "$root" && find . \( -path ./proc -o -path ./tmp -o \
		-path ./var/lib/dpkg -o -path ./var/lib/apt -o \
		-path ./var/cache -o -path ./var/log \) -prune -o \
		! -path './*lib/modules/*/modules.*' ! -path './var/lib/dkms/mok.*' \
		-print | sort)
}
state >"$tmp/before"
mkdir -p "$root/tmp/debs"
cp "$tmp"/src/*.deb "$root/tmp/debs/"
rm -f "$root"/tmp/debs/*-dbgsym_*.deb
# apt resolves vcpuctl's libraries; nothing to download (the root has them).
in_root "$root" sh -c 'apt-get install -y --no-install-recommends /tmp/debs/*.deb' \
	>"$log" 2>&1 || fail "apt-get install of the packages"
grep -E '^(Building for|Building initial module|Done\.|Module build)' "$log" |
	sed 's/^/deb: dkms postinst: /'

# 4. What DKMS made, for every kernel with headers in the root.
in_root "$root" dkms status >"$log" 2>&1 || fail "dkms status"
sed 's/^/deb: dkms status: /' "$log"
kernels=$(cd "$root/lib/modules" && ls)
for k in $kernels; do
	# (build is a symbolic link to /usr/src/linux-headers-<kernel>,
	# which means the root's only inside it.)
	[ -d "$root/usr/src/linux-headers-$k" ] || continue
	grep -q "^vcpu_abort/$ver, $k, x86_64: installed" "$log" ||
		fail "dkms status does not say vcpu_abort/$ver is installed for $k"
	ko=$(find "$root/lib/modules/$k/updates/dkms" -name 'vcpu_abort.ko*' | sed -n 1p)
	[ -n "$ko" ] || fail "no vcpu_abort.ko in /lib/modules/$k/updates/dkms"
	[ "$(modinfo -F version "$ko")" = "$ver" ] ||
		fail "${ko#"$root"}: modinfo version is not $ver"
	magic=$(modinfo -F vermagic "$ko")
	[ "${magic%% *}" = "$k" ] || fail "${ko#"$root"}: vermagic '$magic' is not $k"
	echo "deb: ${ko#"$root"}: version $ver, vermagic $magic"
	if [ -n "${DEB_KO_OUT:-}" ]; then
		mkdir -p "$DEB_KO_OUT/$k"
		case $ko in
		*.xz) xz -dc "$ko" ;;
		*.zst) zstd -qdc "$ko" ;;
		*) cat "$ko" ;;
		esac >"$DEB_KO_OUT/$k/vcpu_abort.ko"
		echo "vcpu-abort-dkms $debver (DKMS build in a $suite root)" \
			>"$DEB_KO_OUT/$k/origin"
		echo "${DEB_KO_SOURCES:-}" >"$DEB_KO_OUT/$k/sources"
		echo "deb: for the lab's guests of $k: $DEB_KO_OUT/$k/vcpu_abort.ko, sha256 $(sha256sum "$DEB_KO_OUT/$k/vcpu_abort.ko" | cut -c1-16)"
	fi
done
[ -z "$abi" ] || [ -d "$root/lib/modules/$abi/updates/dkms" ] ||
	fail "DKMS built nothing for $abi (the x86_64 6.1 guest's kernel)"
in_root "$root" vcpuctl --version >"$log" 2>&1 || fail "vcpuctl --version"
grep -q "$ver" "$log" || fail "vcpuctl --version does not say $ver"
echo "deb: vcpuctl --version: $(head -n 1 "$log")"
printf '#include <linux/vcpu_abort.h>\nint main(void) { return VCPU_ABORT_IOC_ABORT == 0; }\n' \
	>"$root/tmp/t.c"
gcc=$(find "$root/usr/bin" -name 'gcc-[0-9]*' -printf '%f\n' | sort | sed -n 1p)
# Compiled, not linked: the root has no C library headers (libc6-dev),
# the header needs none (its Depends: linux-libc-dev, for <linux/ioctl.h>).
in_root "$root" "$gcc" -Wall -Werror -c -o /tmp/t.o /tmp/t.c >"$log" 2>&1 ||
	fail "a program including <linux/vcpu_abort.h> does not compile"
echo "deb: /usr/include/linux/vcpu_abort.h: a program using it compiles ($gcc)"
rm -f "$root/tmp/t.o" "$root/tmp/t.c"

# 5. Purge: every file the packages brought (the sources in /usr/src,
# DKMS's tree, the built modules, the tool, its man page, the header) goes,
# and with --autoremove what apt installed for them (linux-libc-dev).
in_root "$root" apt-get purge -y --autoremove vcpu-abort-dkms vcpu-abort-dev vcpuctl \
	>"$log" 2>&1 || fail "apt-get purge"
grep -E '^(Deleting module|Module .* removed|Removing)' "$log" | sed 's/^/deb: purge: /'
rm -rf "$root/tmp/debs"
state >"$tmp/after"
if ! diff -u "$tmp/before" "$tmp/after" >"$log"; then
	fail "files left or lost after the purge (- lost, + left)"
fi
echo "deb: purged: the root holds exactly the files it had before the install"
echo "deb: build, lintian, install with DKMS, purge: ok ($(($(date +%s) - start))s)"
