# SPDX-License-Identifier: GPL-2.0
#
# vcpu-abort. The module builds like any out-of-tree module:
#   make KDIR=/lib/modules/$(uname -r)/build         (default KDIR)
# The lab (tools/testing/vm/lab) boots Debian kernels under QEMU:
#   make vm ARCH=arm64 KERNEL=6.12                   shell in that guest
#   make vm-run ARCH=ppc64le KERNEL=sid CMD='vcpuctl info'
#   make check                                       all tests, all targets
#   make race                                        the reset experiment
#   make bench                  cost ratios (Documentation/bench.rst)
# Installing (DESTDIR and PREFIX=/usr/local as usual; what the install
# targets build in userspace, and the man page, goes to OUTPUT=out/):
#   make install KDIR=...     module, uapi header, vcpuctl, vcpuctl(8)
#   make install-user         all but the module (the module via dkms.conf)
#   make modules_install | install-headers | install-vcpuctl | install-man
#   make man                  $(OUTPUT)man/vcpuctl.8, with rst2man

KDIR ?= /lib/modules/$(shell uname -r)/build
LAB := tools/testing/vm/lab
# The lab's ARCH names: x86_64, arm64, ppc64le. ARCH on the command line
# selects the guest; it is not passed to Kbuild by the lab targets.
VM_ARCH := $(or $(ARCH),x86_64)
KERNEL ?= 6.12

.PHONY: all modules clean vcpuctl vm vm-run check race bench lab-deps

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C tools/vcpuctl clean 2>/dev/null || true
	rm -rf $(OUT)man $(OUT)vcpuctl

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

bench:
	$(LAB) bench

lab-deps:
	$(LAB) deps

# Installing. The version is the one in Kbuild (MODULE_VERSION, dkms.conf).
VERSION := $(shell sed -n 's/^VCPU_ABORT_VERSION := *//p' $(CURDIR)/Kbuild)
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
INSTALL ?= install
RST2MAN ?= rst2man
# Sub-makes run in other directories: make DESTDIR and OUTPUT absolute.
DEST := $(if $(DESTDIR),$(abspath $(DESTDIR)))
OUTPUT ?= $(CURDIR)/out/
OUT := $(abspath $(OUTPUT))/
# The release KDIR's headers are for (what depmod needs). Not
# include/config/kernel.release: Debian's says 6.1.176 for 6.1.0-50-amd64.
KREL = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h)

.PHONY: version kernelrelease man install install-user modules_install \
	install-headers install-vcpuctl install-man

version:
	@echo $(VERSION)

# The release of the headers in KDIR (the test scripts ask for it here).
kernelrelease:
	@echo $(KREL)

man: $(OUT)man/vcpuctl.8

$(OUT)man/vcpuctl.8: Documentation/vcpuctl.8.rst Kbuild
	@mkdir -p $(dir $@)
	sed 's/^:Version: vcpu-abort$$/:Version: vcpu-abort $(VERSION)/' $< | \
		$(RST2MAN) --halt=warning - $@.tmp
	mv $@.tmp $@

install: modules_install install-user

install-user: install-headers install-vcpuctl install-man

# Into $(DESTDIR)/lib/modules/<release>/$(INSTALL_MOD_DIR)/module/ (kbuild's
# default INSTALL_MOD_DIR: extra); depmod runs only for a real install (no
# DESTDIR).
modules_install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DEST) modules_install
	$(if $(DEST),,depmod -a $(KREL))

install-headers:
	$(INSTALL) -d $(DEST)$(INCLUDEDIR)/linux
	$(INSTALL) -m 0644 uapi/linux/vcpu_abort.h $(DEST)$(INCLUDEDIR)/linux/

install-vcpuctl:
	$(MAKE) -C tools/vcpuctl OUTPUT=$(OUT)vcpuctl/ DESTDIR=$(DEST) \
		SBINDIR=$(SBINDIR) install

install-man: man
	$(INSTALL) -d $(DEST)$(MANDIR)/man8
	$(INSTALL) -m 0644 $(OUT)man/vcpuctl.8 $(DEST)$(MANDIR)/man8/
