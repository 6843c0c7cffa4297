# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # read by lib/*.sh: select_target sources this
# arm64 nVHE: KVM's hypervisor runs at EL2 apart from the host kernel
# (EL1), which reaches it by HVC, as on CPUs without VHE (ARMv8.0) and on
# hosts booted with kvm-arm.mode=nvhe or protected. A Cortex-A72 has no
# VHE, so the guest kernel stays at EL1 and KVM takes the nVHE paths
# (arch/arm64/kvm/hyp/nvhe); it also boots faster under TCG than -cpu max
# (no pointer authentication, SVE or MTE to emulate). The guest's init
# checks KVM's own log line for the mode (lab.kvm_mode).

QEMU_ARGS=(-M 'virt,virtualization=on,gic-version=3' -cpu cortex-a72
	-accel tcg -m 1G)
GUEST_APPEND="$GUEST_APPEND lab.kvm_mode=nvhe"
