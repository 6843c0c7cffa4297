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
# The QEMU of the target's suite (lib/qemu.sh), not bookworm's 7.2: under
# 7.2 the Debian 6.12 and 7.2 guests' KVM (VHE) now and then handed a
# host thread the vCPU's TPIDR_EL0 (vcpuctl died on its thread pointer,
# 0x1de7ec7edbadc0de, the value KVM's reset gives a vCPU's TPIDR_EL0),
# and hung with a hard lockup; with the module's hooks off too (--abort
# none): 6 of 140 race tables beside a busy loop in the guest. Under
# trixie's QEMU 10.0 the same loop ran 140 tables clean. 6.1 is bookworm's
# own suite, so the host's 7.2: 140 clean there.
QEMU_FROM_ROOT=1
GUEST_CONSOLE=ttyAMA0
# KVM is built into Debian's arm64 kernels.
KVM_MODULES=""
