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
# The guest's init hands kvm.* words to insmod, as modprobe would. With
# nx_huge_pages other than "never", KVM starts a worker per VM (6.1: a
# kthread at KVM_CREATE_VM; 6.12+: a vhost task, a fork of the VMM, at
# the first KVM_RUN) and stops it at teardown: in a nested guest that
# was a third of the ~50 ms each VM costs (measured in x86_64-6.1), and
# the plan makes over a thousand VMs. The iTLB multihit mitigation it
# belongs to does not touch the paths under test. lab.noapic_vcpu: the
# same for another ~20 ms per VM (guest/src/lab-noapic-vcpu.c).
# no_timer_check: at boot, timer_irq_works() (io_apic.c) expects a few
# timer ticks within a delay loop timed by the TSC; a TCG guest starved
# by the host (x86_64-6.1 under nice 19, load 7) saw too few and
# panicked "IO-APIC + timer doesn't work!". A slow machine must not fail
# a run, and the tests need no such check.
GUEST_APPEND="kvm.nx_huge_pages=never lab.noapic_vcpu no_timer_check"
# Loaded in this order before the module; ccp is a dependency of kvm-amd.
KVM_MODULES="irqbypass ccp kvm kvm-amd"
