# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# make            build the module (against Debian's kernel headers) and the tools
# make check      install what is missing, build, run every test; last line
#                 "N passed, N failed"
# make demo       the QEMU lab: the guide's user story (build/demo keeps its output)
# make vm CMD=..  boot the guest with the module loaded and run CMD in it
#                 (VMFLAGS=-d: on the debug kernel, KASAN, kmemleak, lockdep)
# make fuzz       run every libFuzzer harness for FUZZ_SECONDS (300) each
# make bench      install what it needs, build, run the benchmarks (QEMU) and
#                 write bench/results.md (QUICK=1: the quick mode, for
#                 development; scripts/bench.sh)
# make install    install the module (kbuild modules_install) and the tools
# make clean      remove build/, where everything is built (scripts/mirror.sh):
#                 build/kmod/phoneproxy.ko, build/userspace/ppctl/ppctl...

# The Debian kernel the guest boots and the module is built for: the
# newest one that has both an image in /boot and headers.
KVER ?= $(shell for v in $$(cd /lib/modules 2>/dev/null && ls -d *-amd64 | sort -rV); do \
	[ -e /lib/modules/$$v/build/Makefile ] && [ -e /boot/vmlinuz-$$v ] && { echo $$v; break; }; done)
KDIR ?= /lib/modules/$(KVER)/build
export KVER
# kbuild's M=: the mirror of the sources where the module is built.
MDIR := $(CURDIR)/build

.PHONY: all deps module userspace check demo vm install clean fuzz bench

all: module userspace

deps:
	@scripts/install-deps.sh

module:
	@test -n "$(KVER)" || { echo "no Debian kernel with headers: run make deps" >&2; exit 1; }
	@scripts/mirror.sh
	$(MAKE) -C $(KDIR) M=$(MDIR) modules

userspace:
	$(MAKE) -C userspace

check: deps
	@scripts/check.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@selftests/vm/run-vm.sh -o $(CURDIR)/build/demo "bash $(CURDIR)/selftests/demo.sh"

vm: all
	@selftests/vm/run-vm.sh $(VMFLAGS) "$(CMD)"

# rtpengine (bench/rtp's reference) and its dkms module: make bench only
# (scripts/bench-deps.sh), not make check's scripts/install-deps.sh.
bench: deps
	@scripts/bench-deps.sh
	@$(MAKE) --no-print-directory all
	@scripts/bench.sh $(if $(filter-out 0,$(QUICK)),--quick)

FUZZ_SECONDS ?= 300
fuzz: deps
	@scripts/fuzz.sh -t $(FUZZ_SECONDS)

install: all
	$(MAKE) -C $(KDIR) M=$(MDIR) modules_install
	$(MAKE) -C userspace install

clean:
	rm -rf build
