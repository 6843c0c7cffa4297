# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash source-path=SCRIPTDIR disable=SC2034 # read by lib/*.sh: select_target sources this
# kvm_intel with EPT but without unrestricted guest, as on Nehalem and
# Westmere: vmx.sh's Bochs with a Core i5 750 (Lynnfield). Guest state
# VMX cannot enter without unrestricted guest (real mode, protected mode
# without paging) is run through vm86 or KVM's emulator
# (emulate_invalid_guest_state), or entered with CR0.PG set on an
# identity-mapped page table KVM keeps (ept_identity_map_addr).

# shellcheck source=vmx.sh
. "$LAB_DIR/variants/vmx.sh"
# vmx.sh's plans (plans/test.vmx): the same Bochs time budget.
PLAN_VARIANT=vmx
BOCHS_CPU_MODEL=corei5_lynnfield_750
GUEST_APPEND="$GUEST_APPEND lab.kvm_params=kvm_intel.ept=Y,kvm_intel.unrestricted_guest=N"
