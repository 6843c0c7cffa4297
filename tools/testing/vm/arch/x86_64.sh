# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # read by lib/*.sh: select_target sources this
# x86_64 targets: Debian amd64 kernels under qemu-system-x86_64 TCG.
# QEMU TCG emulates SVM but not VMX, so nested KVM here is kvm_amd.
# thread=single: with one host thread per vCPU (MTTCG) the guest kernel's
# int3-based text patching sometimes oopsed ("Oops: int3" in
# sched_clock_cpu on 6.12, finish_task_switch on sid): another vCPU ran a
# stale translation holding the temporary int3. One thread keeps the guest
# SMP but makes code invalidation synchronous.

DEB_ARCH=amd64
DEB_FLAVOUR=amd64
KBUILD_ARCH=x86
CROSS_PREFIX=
QEMU_PKG=qemu-system-x86
QEMU=qemu-system-x86_64
QEMU_ARGS=(-accel 'tcg,thread=single' -cpu max -m 1G)
GUEST_CONSOLE=ttyS0
# Loaded in this order before the module; ccp is a dependency of kvm-amd.
KVM_MODULES="irqbypass ccp kvm kvm-amd"
