#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `make install` into a scratch DESTDIR installs exactly the module (built
# against the headers in $KDIR; the lab passes the Debian 6.1 amd64 ones),
# the uapi header, vcpuctl and vcpuctl(8), where PREFIX says. The build runs
# in a copy of the tree (kbuild writes next to the sources) with OUTPUT in
# the scratch directory, so the tree stays clean. Run from the top of this
# tree. Exit codes: 0 pass, 1 fail, 4 skip (no rst2man).
set -eu

: "${KDIR:?set KDIR to a kernel headers directory (the lab sets it)}"
[ -f dkms.conf ] || { echo "run from the top of the vcpu-abort tree"; exit 1; }
command -v "${RST2MAN:-rst2man}" >/dev/null ||
	{ echo "make install: rst2man missing (python3-docutils)"; exit 4; }

krel=$(make -s --no-print-directory kernelrelease KDIR="$KDIR")
[ -n "$krel" ] || { echo "make install: $KDIR holds no kernel headers"; exit 1; }
ver=$(make -s --no-print-directory version)
tmp=$(mktemp -d /tmp/vcpu-abort-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
log=$tmp/log
fail() { echo "make install: FAIL: $*"; sed 's/^/  | /' "$log" | tail -n 30; exit 1; }

mkdir -p "$tmp/src/tools"
cp -a Kbuild Makefile dkms.conf module uapi Documentation "$tmp/src/"
mkdir -p "$tmp/src/tools/lib"
cp -a tools/vcpuctl "$tmp/src/tools/"
cp -a tools/lib/vcpuctl "$tmp/src/tools/lib/"
start=$(date +%s)

make -C "$tmp/src" install KDIR="$KDIR" DESTDIR="$tmp/root" \
	OUTPUT="$tmp/out/" >"$log" 2>&1 || fail "make install KDIR=$KDIR"
(cd "$tmp/root" && find . ! -type d | sort) >"$tmp/got"
# kbuild keeps the module's directory below INSTALL_MOD_DIR (extra).
cat >"$tmp/want" <<EOF
./lib/modules/$krel/extra/module/vcpu_abort.ko
./usr/local/include/linux/vcpu_abort.h
./usr/local/sbin/vcpuctl
./usr/local/share/man/man8/vcpuctl.8
EOF
diff -u "$tmp/want" "$tmp/got" >"$log" || fail "installed files differ"
sed 's/^\./make install: installed /' "$tmp/got"

ko=$tmp/root/lib/modules/$krel/extra/module/vcpu_abort.ko
[ "$(modinfo -F version "$ko")" = "$ver" ] ||
	fail "modinfo version is not $ver"
echo '#include <linux/vcpu_abort.h>
int main(void) { return VCPU_ABORT_IOC_ABORT == 0; }' >"$tmp/t.c"
${CC:-cc} -Wall -Werror -I"$tmp/root/usr/local/include" -o "$tmp/t" \
	"$tmp/t.c" >"$log" 2>&1 || fail "the installed header does not compile"
"$tmp/root/usr/local/sbin/vcpuctl" help >"$log" 2>&1 ||
	fail "the installed vcpuctl does not run"
man=$tmp/root/usr/local/share/man/man8/vcpuctl.8
grep -q "^\.TH \"*VCPUCTL\"* \"*8\"*" "$man" || fail "vcpuctl.8 has no .TH VCPUCTL 8"
grep -q "vcpu-abort $ver" "$man" || fail "vcpuctl.8 does not name version $ver"
sed -n 's/^  \([a-z]*\)  .*/\1/p' "$log" >"$tmp/commands"
while read -r cmd; do
	grep -q "vcpuctl $cmd" "$man" ||
		fail "vcpuctl.8 does not document 'vcpuctl $cmd' (from vcpuctl help)"
done <"$tmp/commands"
[ -s "$tmp/commands" ] || fail "no command list in 'vcpuctl help'"
echo "make install: modinfo version $ver; header compiles; vcpuctl runs;" \
	"vcpuctl.8 covers every command of 'vcpuctl help'"

# PREFIX moves everything but the module; the single targets work alone.
make -C "$tmp/src" install-headers install-man DESTDIR="$tmp/usr" \
	PREFIX=/usr OUTPUT="$tmp/out/" >"$log" 2>&1 || fail "make install-headers install-man PREFIX=/usr"
for f in include/linux/vcpu_abort.h share/man/man8/vcpuctl.8; do
	[ -f "$tmp/usr/usr/$f" ] || fail "PREFIX=/usr did not install /usr/$f"
done
echo "make install: PREFIX=/usr ok ($(($(date +%s) - start))s)"
