# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # read by lib/*.sh: select_target sources this
# riscv64 targets: Debian riscv64 kernels on QEMU's virt machine under TCG
# with the hypervisor extension (h=true), so the guest kernel runs KVM
# (kvm.ko, CONFIG_KVM=m) in HS mode. -bios default is QEMU's OpenSBI.
# thread=single for the same reason as x86_64: the guest kernel patches
# its own text at runtime (alternatives, static keys, kprobes).
#
# Debian has riscv64 from trixie on: there is no riscv64 6.1 (bookworm)
# kernel, and the guests' userland (busybox, libnl) and its compilers come
# from the target's own suite, built in its build root (see build.sh).

DEB_ARCH=riscv64
DEB_FLAVOUR=riscv64
KBUILD_ARCH=riscv
CROSS_PREFIX=riscv64-linux-gnu-
QEMU_PKG=qemu-system-misc
QEMU=qemu-system-riscv64
QEMU_ARGS=(-M virt -cpu 'rv64,h=true' -m 1G -accel 'tcg,thread=single'
	-bios default)
GUEST_CONSOLE=ttyS0
KVM_MODULES="kvm"
ARCH_SERIES="6.12 sid"
ARCH_SERIES_WHY="Debian has no riscv64 6.1 kernel (bookworm has no riscv64)"
USERLAND_SUITE=$SUITE
# Unloading and loading vcpu_abort.ko take 8 s each here (the kernel's
# module loader under TCG; the module's own init is 0.5 s of it): the
# plan's 11 reloads between programs were 75-140 s of a 330-500 s plan.
# module_reload still unloads and loads it again, with VMs alive.
ARCH_PLAN_DROP='lab-reload-module'
ARCH_PLAN_DROP_WHY="insmod and rmmod take 8 s each under riscv64 TCG; module_reload still tests unload and reload"
