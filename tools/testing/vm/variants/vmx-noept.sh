# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash source-path=SCRIPTDIR disable=SC2034 # read by lib/*.sh: select_target sources this
# kvm_intel without EPT, as on Intel CPUs before Nehalem: vmx.sh's Bochs
# with a Core 2 (Penryn), whose VMX has no EPT, hence no unrestricted
# guest either. KVM shadows the guest's page tables: an MMIO access
# faults (#PF intercepted) instead of exiting on an EPT misconfig, and
# the flat 32-bit guest without paging runs on KVM's identity shadow
# tables with CR0.PG set behind its back.

# shellcheck source=vmx.sh
. "$LAB_DIR/variants/vmx.sh"
# vmx.sh's plans (plans/test.vmx): the same Bochs time budget.
PLAN_VARIANT=vmx
BOCHS_CPU_MODEL=core2_penryn_t9600
GUEST_APPEND="$GUEST_APPEND lab.kvm_params=kvm_intel.ept=N,kvm_intel.unrestricted_guest=N"
