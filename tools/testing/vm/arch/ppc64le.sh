# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # read by lib/*.sh: select_target sources this
# ppc64le targets: Debian ppc64el kernels on a pseries machine under TCG.
# kvm-hv needs a POWER9 with nested HV from the parent (cap-nested-hv);
# Debian ships no kvm-pr. x-vof uses QEMU's small firmware instead of SLOF
# (boots in ~3 s instead of ~9 s) and takes the ELF vmlinux directly.

DEB_ARCH=ppc64el
DEB_FLAVOUR=powerpc64le
KBUILD_ARCH=powerpc
CROSS_PREFIX=powerpc64le-linux-gnu-
QEMU_PKG=qemu-system-ppc
QEMU=qemu-system-ppc64
QEMU_ARGS=(-M 'pseries,cap-nested-hv=on,x-vof=on' -cpu POWER9 -accel tcg -m 2G)
GUEST_CONSOLE=hvc0
KVM_MODULES="kvm kvm-hv"
