# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # read by lib/*.sh: select_target sources this
# x86_64 VMX targets: QEMU TCG emulates SVM only, so Intel's KVM
# (kvm_intel) runs under Bochs, which emulates VMX with EPT, VPID and
# unrestricted guest (lib/bochs.sh). Bochs is 10-20x slower than QEMU:
# Debian's cloud kernels boot fastest there (LZ4 instead of XZ, fewer
# drivers probing absent hardware) and the initramfs stays uncompressed
# (gunzip alone took ~1 min under Bochs).

DEB_FLAVOUR=cloud-amd64
EMULATOR=bochs
# Several times as long as a QEMU guest: it starts before them
# (lib/suite.sh, slowest_first).
START_FIRST=1
EMULATOR_PKGS="bochs bochsbios vgabios isolinux syslinux-common xorriso"
# A Skylake server: VMX with EPT, VPID, unrestricted guest. Models seen
# to boot: core2_penryn_t9600 (VMX without EPT: variants/vmx-noept.sh),
# corei5_lynnfield_750 (EPT without unrestricted guest: vmx-noug.sh),
# sandy/ivy bridge, haswell, broadwell, cannon lake, skylake-x;
# icelake_u and tigerlake hang at boot.
BOCHS_CPU_MODEL=${VCPU_ABORT_BOCHS_CPU:-corei7_skylake_x}
# Bochs 2.7's Skylake reports in CPUID (0xd, 1).EBX the standard-format
# XSAVE size (2688) where the compacted one (2432) belongs: the kernel
# WARNs ("XSAVE consistency problem") and then disables XSAVE. noxsave
# gives that same state (FXSAVE only) without the WARN, and no taint as
# clearcpuid=xsavec would (noxsaves alone is not enough: XSAVEC compacts).
# Bochs sets the HT flag with one logical processor in CPUID leaf 1, 8
# cores in leaf 4 (its Skylake-X's 0x1c004121) and no SMT level in leaf
# 0xb for count=1: parse_legacy() of 6.12 and 7.2 WARNs on that
# ("ebx1_nproc_shift < core_shift"; 6.1 predates it). clearcpuid=ht
# makes the CPU what it is, one thread of one core; it taints the kernel
# (S, CPU out of spec), which no test reads.
BOCHS_APPEND="noxsave clearcpuid=ht"
INITRAMFS_COMPRESS=none
# Bochs times the UART at its baud rate: 9600, the default, costs ~1 ms of
# guest time per character.
GUEST_CONSOLE=ttyS0,115200
KVM_MODULES="irqbypass kvm kvm-intel"
