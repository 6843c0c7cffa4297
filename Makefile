# SPDX-License-Identifier: GPL-2.0
#
# vcpu-abort. The module builds like any out-of-tree module:
#   make KDIR=/lib/modules/$(uname -r)/build         (default KDIR)
# The lab (tools/testing/vm/lab) boots Debian kernels under QEMU:
#   make vm ARCH=arm64 KERNEL=6.12                   shell in that guest
#   make vm-run ARCH=ppc64le KERNEL=sid CMD='vcpuctl info'
#   make check                                       all tests, all targets
#   make race                                        the reset experiment

KDIR ?= /lib/modules/$(shell uname -r)/build
LAB := tools/testing/vm/lab
# The lab's ARCH names: x86_64, arm64, ppc64le. ARCH on the command line
# selects the guest; it is not passed to Kbuild by the lab targets.
VM_ARCH := $(or $(ARCH),x86_64)
KERNEL ?= 6.12

.PHONY: all modules clean vcpuctl vm vm-run check race lab-deps

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C tools/vcpuctl clean 2>/dev/null || true

vcpuctl:
	$(MAKE) -C tools/vcpuctl

vm:
	$(LAB) shell $(VM_ARCH) $(KERNEL)

vm-run:
	$(LAB) run $(VM_ARCH) $(KERNEL) $(CMD)

check:
	$(LAB) test

race:
	$(LAB) race

lab-deps:
	$(LAB) deps
