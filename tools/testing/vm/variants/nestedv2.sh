# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # read by lib/*.sh: select_target sources this
# ppc64le nested-v2: kvm_hv as a guest of a hypervisor that offers the PAPR
# nested API (H_GUEST_*), as on PowerVM, where KVM keeps a vCPU's registers
# in a cache of the parent's state and the module refuses its vCPUs. QEMU
# implements the API for TCG since 9.0 (cap-nested-papr, POWER10); the
# host's bookworm QEMU 7.2 has only the nested-v1 API, so the QEMU of the
# target's suite runs (QEMU_FROM_ROOT, installed into its build root).
# Its plans (plans/*.nestedv2) run what applies to a refused vCPU.

QEMU_FROM_ROOT=1
# Under the race matrix (lab race): why its columns with the module are "-".
RACE_NOTE="the module refuses nested-v2 vCPUs (EOPNOTSUPP, nestedv2_refused): KVM's own behaviour only"
QEMU_ARGS=(-M 'pseries,cap-nested-papr=on,cap-nested-hv=off,x-vof=on'
	-cpu POWER10 -accel tcg -m 2G)
