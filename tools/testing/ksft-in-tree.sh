#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kselftests drop into a kernel tree. Copies
# tools/testing/selftests/vcpu_abort/, tools/lib/vcpuctl/ and
# uapi/linux/vcpu_abort*.h (to include/uapi/linux/) into the same places of
# a scratch copy of $KSRC (Debian's linux-source-6.12, or the parts of it
# the lab unpacks: Makefile, scripts/, tools/, include/uapi/), then uses
# the kernel's own selftests Makefile, as for any upstream collection:
#
#   make -C tools/testing/selftests TARGETS=vcpu_abort            builds
#   make -C tools/testing/selftests TARGETS=vcpu_abort install    installs:
#     every test in vcpu_abort/ (not vcpu_abort/vcpu_abort/), each named
#     once in kselftest-list.txt, one run_kselftest.sh
#   make -C tools/testing/selftests TARGETS=vcpu_abort run_tests  runs
#     every test: one result line each; without /dev/kvm each is a SKIP
#
# and that the collection's .gitignore lists everything the build leaves
# there. A test is a .c file of the collection with a main(),
# TEST_HARNESS_MAIN or VCPU_ABORT_TEST_MAIN (testutil.c is linked into
# them). Needs rsync (lib.mk installs with it). Run from the top of this
# tree. Exit codes: 0 pass, 1 fail.
set -eu

: "${KSRC:?set KSRC to a kernel source tree (the lab sets it)}"
[ -f dkms.conf ] || { echo "run from the top of the vcpu-abort tree"; exit 1; }
[ -f "$KSRC/tools/testing/selftests/lib.mk" ] ||
	{ echo "ksft: $KSRC holds no tools/testing/selftests/lib.mk"; exit 1; }
tmp=$(mktemp -d /tmp/vcpu-abort-ksft.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
tree=$tmp/linux
ksft=$tree/tools/testing/selftests
inst=$tmp/install
log=$tmp/log
fail() { echo "ksft: FAIL: $*"; sed 's/^/  | /' "$log" | tail -n 30; exit 1; }
start=$(date +%s)

mkdir -p "$tree"
cp -a "$KSRC/." "$tree/"
cp -a tools/testing/selftests/vcpu_abort "$ksft/"
mkdir -p "$tree/tools/lib" "$tree/include/uapi/linux"
cp -a tools/lib/vcpuctl "$tree/tools/lib/"
cp uapi/linux/vcpu_abort*.h "$tree/include/uapi/linux/"
# Whatever a build in this tree left in the copies is not the source.
for d in "$ksft/vcpu_abort" "$tree/tools/lib/vcpuctl"; do
	(cd "$d" && git init -q . && git add -A . &&
	 git clean -qfdX . && git -c user.name=ksft -c user.email=ksft@localhost \
		commit -qm source) || fail "cannot snapshot $d"
done

grep -lE '^(int main\(|TEST_HARNESS_MAIN|VCPU_ABORT_TEST_MAIN)' tools/testing/selftests/vcpu_abort/*.c |
	sed 's|.*/\(.*\)\.c$|vcpu_abort:\1|' | sort >"$tmp/want"
[ -s "$tmp/want" ] || fail "no test programs found"

make -C "$ksft" TARGETS=vcpu_abort >"$log" 2>&1 ||
	fail "make -C tools/testing/selftests TARGETS=vcpu_abort"
echo "ksft: make TARGETS=vcpu_abort: built $(wc -l <"$tmp/want") tests"

make -C "$ksft" TARGETS=vcpu_abort KSFT_INSTALL_PATH="$inst" install \
	>"$log" 2>&1 || fail "make ... install"
sort "$inst/kselftest-list.txt" >"$tmp/got"
diff -u "$tmp/want" "$tmp/got" >"$log" ||
	fail "kselftest-list.txt does not name every test once"
[ "$(sort -u "$tmp/got" | wc -l)" -eq "$(wc -l <"$inst/kselftest-list.txt")" ] ||
	fail "kselftest-list.txt names a test twice"
while IFS=: read -r collection test; do
	[ -x "$inst/$collection/$test" ] || fail "$collection/$test not installed"
done <"$tmp/got"
[ ! -e "$inst/vcpu_abort/vcpu_abort" ] || fail "nested vcpu_abort/vcpu_abort"
n=$(find "$inst" -name run_kselftest.sh | wc -l)
[ "$n" -eq 1 ] || fail "$n run_kselftest.sh installed, not 1"
echo "ksft: make install: kselftest-list.txt names every test; installed in vcpu_abort/; one run_kselftest.sh"

for d in "$ksft/vcpu_abort" "$tree/tools/lib/vcpuctl"; do
	git -C "$d" status --porcelain --untracked-files=all >"$log"
	[ ! -s "$log" ] || fail "the build left files ${d#"$tree"/}/.gitignore does not list"
done
echo "ksft: .gitignore lists everything the build leaves"

# run_tests goes on after a failing test: each has its own result line.
make -C "$ksft" TARGETS=vcpu_abort run_tests >"$tmp/run" 2>&1 || :
cp "$tmp/run" "$log"
while IFS=: read -r collection test; do
	line=$(grep -E "^(not )?ok [0-9]+ selftests: $collection: $test( |$)" \
		"$tmp/run") || fail "run_tests: no result for $test"
	echo "ksft: run_tests: $line"
	if [ ! -c /dev/kvm ] && [ "$test" != dmesg_clean ]; then
		case $line in
		"ok "*"# SKIP"*) ;;
		*) fail "run_tests: $test did not SKIP without /dev/kvm" ;;
		esac
	fi
done <"$tmp/got"
echo "ksft: kernel tree build, install and run_tests ok ($(($(date +%s) - start))s)"
