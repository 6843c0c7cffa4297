#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms.conf works: `dkms add`, `build`, `install`, `remove` of this tree
# against the kernel headers in $KDIR (the lab passes the Debian 6.1 amd64
# headers it unpacks into its cache; they are never installed system-wide).
# Every dkms tree lives in a scratch directory (--dkmstree, --sourcetree,
# --installtree, signing key), so nothing is left in /usr/src,
# /var/lib/dkms or /lib/modules. Run from the top of this tree, as root
# (dkms insists). Exit codes: 0 pass, 1 fail, 4 skip (no dkms, not root).
set -euo pipefail

: "${KDIR:?set KDIR to a kernel headers directory (the lab sets it)}"
command -v dkms >/dev/null || { echo "dkms: not installed"; exit 4; }
[ "$(id -u)" -eq 0 ] || { echo "dkms: needs root"; exit 4; }
[ -f dkms.conf ] || { echo "run from the top of the vcpu-abort tree"; exit 1; }

krel=$(make -s --no-print-directory kernelrelease KDIR="$KDIR")
[ -n "$krel" ] || { echo "dkms: no UTS_RELEASE in $KDIR: not kernel headers"; exit 1; }
ver=$(make -s --no-print-directory version)
tmp=$(mktemp -d /tmp/vcpu-abort-dkms.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# dkms installs only for a kernel whose modules directory exists.
mkdir -p "$tmp/var-lib-dkms" "$tmp/usr-src" "$tmp/lib-modules/$krel"
log=$tmp/log
fail() { echo "dkms: FAIL: $*"; sed 's/^/  | /' "$log" | tail -n 30; exit 1; }
# Nothing outside the scratch trees: not even a signing key. dkms signs
# with $KDIR's sign-file, as with installed headers, and a throwaway key.
export mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub
export sign_file=$KDIR/scripts/sign-file
trees=(--dkmstree "$tmp/var-lib-dkms" --sourcetree "$tmp/usr-src"
       --installtree "$tmp/lib-modules")
kern=(-k "$krel" --kernelsourcedir "$KDIR")
# What a real dkms run would leave; must be the same before and after.
outside() {
	ls -d /var/lib/dkms/vcpu_abort /var/lib/dkms/mok.* /usr/src/vcpu_abort-* \
		/lib/modules/"$krel"/updates/dkms/vcpu_abort.ko* 2>/dev/null || :
}
before=$(outside)
start=$(date +%s)

echo "dkms: vcpu_abort $ver for $krel, headers $KDIR"
dkms add "${trees[@]}" "$PWD" >"$log" 2>&1 || fail "dkms add ."
[ -f "$tmp/usr-src/vcpu_abort-$ver/dkms.conf" ] ||
	fail "dkms add did not copy the tree to vcpu_abort-$ver"
if ! dkms build "${trees[@]}" "${kern[@]}" "vcpu_abort/$ver" >"$log" 2>&1; then
	cat "$tmp/var-lib-dkms/vcpu_abort/$ver/build/make.log" >>"$log" 2>&1 || :
	fail "dkms build"
fi
cp "$log" "$tmp/build.log"
grep -E '^(Sign|Signing|Binary|Key|Certificate)' "$log" | sed 's/^/dkms:   /' || :
dkms install "${trees[@]}" "${kern[@]}" --no-depmod "vcpu_abort/$ver" \
	>"$log" 2>&1 || fail "dkms install"

ko=$(find "$tmp/lib-modules/$krel" -name 'vcpu_abort.ko*' | sed -n 1p)
[ -n "$ko" ] || fail "no vcpu_abort.ko under the install tree"
echo "dkms: installed ${ko#"$tmp/lib-modules/"}"
case $ko in
*/"$krel"/updates/dkms/*) ;;
*) fail "installed outside updates/dkms: $ko" ;;
esac
got=$(modinfo -F version "$ko")
[ "$got" = "$ver" ] || fail "modinfo version '$got', expected '$ver'"
magic=$(modinfo -F vermagic "$ko")
[ "${magic%% *}" = "$krel" ] || fail "vermagic '$magic' is not for $krel"
echo "dkms: modinfo version $got, vermagic $magic"
# dkms signs when the headers have sign-file (Debian's do): the key is ours.
if grep -q '^Signing module' "$tmp/build.log"; then
	signer=$(modinfo -F signer "$ko")
	[ "$signer" = "DKMS module signing key" ] ||
		fail "signed, but modinfo signer is '$signer'"
	echo "dkms: signed by the scratch key ($signer)"
fi
dkms status "${trees[@]}" >"$log" 2>&1
grep -q "^vcpu_abort/$ver, $krel, [^:]*: installed" "$log" ||
	fail "dkms status does not say installed"
sed 's/^/dkms: status: /' "$log"

dkms remove "${trees[@]}" "vcpu_abort/$ver" --all --no-depmod \
	>"$log" 2>&1 || fail "dkms remove"
[ -z "$(find "$tmp/lib-modules" -name 'vcpu_abort.ko*')" ] ||
	fail "dkms remove left the module installed"
[ ! -e "$tmp/var-lib-dkms/vcpu_abort/$ver" ] ||
	fail "dkms remove left the build in the dkms tree"

after=$(outside)
[ "$after" = "$before" ] || fail "state outside the scratch trees: $after"
echo "dkms: add, build, install, status, remove: ok ($(($(date +%s) - start))s)"
