#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The netlink spec (Documentation/netlink/specs/vcpu_abort.yaml) generates
# working code with the kernel's own ynl-gen-c ($KSRC/tools/net/ynl, the
# lab fetches linux-source-6.12):
#
#  uapi    ynl-gen-c --mode uapi renders every definition (the spec's
#          "header:" keys dropped); every constant it defines has the same
#          value in uapi/linux/vcpu_abort.h, which stays hand-written for
#          its ioctl part; the header's name tables (VCPU_ABORT_*_NAMES)
#          spell the spec's enum entries
#  user    --mode user (header and source) compiles against
#          uapi/linux/vcpu_abort.h and ynl's lib headers
#  kernel  --mode kernel's request policies, maxattr, do/dump, admin flags
#          and multicast groups are module/netlink.c's
#
# ynl-gen-c needs the spec in a kernel tree's layout (MAINTAINERS at the
# top, the schemas in Documentation/netlink/): a scratch one is made.
# Needs python3-yaml and python3-jsonschema. Run from the top of this
# tree. Exit codes: 0 pass, 1 fail.
set -eu

: "${KSRC:?set KSRC to a kernel source tree (the lab sets it)}"
[ -f dkms.conf ] || { echo "run from the top of the vcpu-abort tree"; exit 1; }
gen=$KSRC/tools/net/ynl/ynl-gen-c.py
[ -f "$gen" ] || { echo "ynl: no $gen"; exit 1; }
tmp=$(mktemp -d /tmp/vcpu-abort-ynl.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
log=$tmp/log
fail() { echo "ynl: FAIL: $*"; sed 's/^/  | /' "$log" | tail -n 30; exit 1; }
cmp_py="python3 tools/testing/ynl-compare.py"
cc=${CC:-cc}

tree=$tmp/tree
mkdir -p "$tree/Documentation/netlink/specs" "$tmp/gen/linux" "$tmp/user"
touch "$tree/MAINTAINERS"
cp "$KSRC"/Documentation/netlink/*.yaml "$tree/Documentation/netlink/"
spec=$tree/Documentation/netlink/specs/vcpu_abort.yaml
cp Documentation/netlink/specs/vcpu_abort.yaml "$spec"
# ynl-gen-c validates against the schema and loops forever without a
# MAINTAINERS above the spec: a timeout in case a later one changes that.
ynl() { timeout 300 python3 "$gen" --spec "$@"; }

# uapi: every definition rendered, compared constant by constant.
sed '/^    header: linux\/vcpu_abort.h$/d' "$spec" >"$tmp/all.yaml"
mv "$tmp/all.yaml" "$spec.all.yaml"
ynl "$spec.all.yaml" --mode uapi --header -o "$tmp/gen/linux/vcpu_abort.h" \
	>"$log" 2>&1 || fail "ynl-gen-c --mode uapi"
$cmp_py consts "$tmp/gen/linux/vcpu_abort.h" >"$tmp/consts.c" 2>"$log" ||
	fail "listing the generated constants"
for side in gen uapi; do
	inc=$tmp/gen
	[ "$side" = uapi ] && inc=uapi
	$cc -w -I"$inc" -o "$tmp/consts-$side" "$tmp/consts.c" >"$log" 2>&1 ||
		fail "the generated constants against $side"
	"$tmp/consts-$side" >"$tmp/consts-$side.txt"
done
diff -u "$tmp/consts-gen.txt" "$tmp/consts-uapi.txt" >"$log" ||
	fail "uapi/linux/vcpu_abort.h differs from ynl-gen-c --mode uapi (- generated, + ours)"
echo "ynl: uapi: the $(wc -l <"$tmp/consts-gen.txt") constants of ynl-gen-c --mode uapi have the same values in uapi/linux/vcpu_abort.h"

$cmp_py names "$spec" >"$tmp/names.c" 2>"$tmp/names-want.txt" ||
	{ cp "$tmp/names-want.txt" "$log"; fail "reading the spec's names"; }
$cc -Wall -Werror -Iuapi -o "$tmp/names" "$tmp/names.c" >"$log" 2>&1 ||
	fail "the name tables of uapi/linux/vcpu_abort.h"
"$tmp/names" >"$tmp/names-got.txt"
diff -u "$tmp/names-want.txt" "$tmp/names-got.txt" >"$log" ||
	fail "VCPU_ABORT_*_NAMES differ from the spec's enum entries (- spec, + header)"
echo "ynl: uapi: VCPU_ABORT_{POLICY,KIND,TRIGGER}_NAMES spell the spec's $(wc -l <"$tmp/names-want.txt") entries"

# user: the generated library code compiles against our header.
ynl "$spec" --mode user --header -o "$tmp/user/vcpu_abort-user.h" \
	>"$log" 2>&1 || fail "ynl-gen-c --mode user --header"
ynl "$spec" --mode user --source -o "$tmp/user/vcpu_abort-user.c" \
	>"$log" 2>&1 || fail "ynl-gen-c --mode user --source"
$cc -c -Wall -Werror -I"$KSRC/tools/net/ynl/lib" -Iuapi \
	-o "$tmp/user/vcpu_abort-user.o" "$tmp/user/vcpu_abort-user.c" \
	>"$log" 2>&1 || fail "ynl-gen-c --mode user output does not compile against uapi/linux/vcpu_abort.h"
echo "ynl: user: ynl-gen-c --mode user output compiles against uapi/linux/vcpu_abort.h (-Wall -Werror)"

# kernel: module/netlink.c's policies are the generated ones.
ynl "$spec" --mode kernel --source -o "$tmp/kernel.c" >"$log" 2>&1 ||
	fail "ynl-gen-c --mode kernel --source"
$cmp_py policies "$tmp/kernel.c" module/netlink.c "$spec" \
	>"$tmp/policies.c" 2>"$log" || fail "reading the policies"
$cc -Wall -Werror -Iuapi -o "$tmp/policies" "$tmp/policies.c" >"$log" 2>&1 ||
	fail "compiling the policy comparison"
"$tmp/policies" >"$tmp/policies.txt"
sed -n 's/^generated //p' "$tmp/policies.txt" >"$tmp/policies-gen.txt"
sed -n 's/^module //p' "$tmp/policies.txt" >"$tmp/policies-module.txt"
[ -s "$tmp/policies-gen.txt" ] || fail "no policies found in the generated code"
diff -u "$tmp/policies-gen.txt" "$tmp/policies-module.txt" >"$log" ||
	fail "module/netlink.c differs from ynl-gen-c --mode kernel (- generated, + module)"
echo "ynl: kernel: module/netlink.c has ynl-gen-c --mode kernel's $(grep -c ' maxattr ' "$tmp/policies-gen.txt") commands' policies, maxattr, do/dump, admin flags and multicast groups"
