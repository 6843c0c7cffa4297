# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # read by lib/*.sh: select_target sources this
# arm64 targets: Debian arm64 kernels under qemu-system-aarch64 TCG with
# EL2 (virtualization=on), so the guest kernel runs KVM in VHE mode.
# pauth-impdef makes TCG's pointer authentication cheap: ~3x faster boots.

DEB_ARCH=arm64
DEB_FLAVOUR=arm64
KBUILD_ARCH=arm64
CROSS_PREFIX=aarch64-linux-gnu-
QEMU_PKG=qemu-system-arm
QEMU=qemu-system-aarch64
QEMU_ARGS=(-M 'virt,virtualization=on,gic-version=3' -cpu 'max,pauth-impdef=on'
	-accel tcg -m 1G)
GUEST_CONSOLE=ttyAMA0
# KVM is built into Debian's arm64 kernels.
KVM_MODULES=""
