# Benchmarks: static guest programs, their initramfs, and `make bench` comparing Cadre with Linux in the same QEMU.
BENCH_SRC := bench
BENCH_OUT := $(BUILD)/bench
BENCH_CC := musl-gcc
BENCH_CFLAGS := -std=gnu11 -O2 -g0 -Wall -Wextra -Werror -static -I$(BENCH_SRC)/lib
BENCH_LIB := $(wildcard $(BENCH_SRC)/lib/*.c)
BENCH_LIB_H := $(wildcard $(BENCH_SRC)/lib/*.h)
BENCH_MICRO := $(patsubst $(BENCH_SRC)/micro/%.c,$(BENCH_OUT)/micro/%,$(wildcard $(BENCH_SRC)/micro/*.c))
BENCH_TOOLS := $(patsubst $(BENCH_SRC)/guest/%.c,$(BENCH_OUT)/tools/%,$(wildcard $(BENCH_SRC)/guest/*.c))
BENCH_INITRD := $(BENCH_OUT)/initramfs.cpio
BENCH_CASES := $(BENCH_OUT)/cases.txt
# The disk figures' scratch disk: an empty ext2 file system (4 KiB blocks), sparse.
BENCH_DISK := $(BENCH_OUT)/disk.img
# Same words on both kernels; bench=MODE reaches /init's environment.
BENCH_CMDLINE := panic=-1 mitigations=off
# QUICK=1: every figure once, small inputs, no extra boots; for `make test`.
BENCH_MODE := $(if $(filter-out 0,$(QUICK)),quick,full)
BENCH_BOOTS ?= 5
# The doc and chart are the record; quick runs go to build/ so tests leave the tree clean.
BENCH_DOC = $(if $(filter quick,$(BENCH_MODE)),$(BENCH_OUT)/benchmarks-quick.md,docs/benchmarks.md)
BENCH_CHART = $(if $(filter quick,$(BENCH_MODE)),$(BENCH_OUT)/benchmarks-quick.png,docs/benchmarks.png)
# guest.mk is read after this file, so its paths are used in recipes only (expanded at run time).
BENCH_RUN = $(BENCH_SRC)/host/run-bench --mode $(BENCH_MODE) --boots $(BENCH_BOOTS) \
	--linux $(GUEST_VMLINUX) --bzimage $(GUEST_LINUX_BZIMAGE) --cadre $(GUEST_KERNEL) \
	--initrd $(BENCH_INITRD) --cases $(BENCH_CASES) --cmdline "$(BENCH_CMDLINE)" \
	--logs $(BENCH_OUT) --doc $(BENCH_DOC) --chart $(BENCH_CHART) --disk $(BENCH_DISK) \
	$(if $(BENCH_RESULTS),--results $(BENCH_RESULTS))

.PHONY: bench bench-build test-bench bench-kernels

bench-build: $(BENCH_INITRD) $(BENCH_CASES) $(BENCH_DISK)

$(BENCH_DISK):
	@mkdir -p $(@D)
	@rm -f $@
	mke2fs -q -F -t ext2 -b 4096 -E nodiscard,root_owner=0:0 $@ 1G

$(BENCH_OUT)/micro/%: $(BENCH_SRC)/micro/%.c $(BENCH_LIB) $(BENCH_LIB_H)
	@mkdir -p $(@D)
	$(BENCH_CC) $(BENCH_CFLAGS) -o $@ $< $(BENCH_LIB)

$(BENCH_OUT)/tools/%: $(BENCH_SRC)/guest/%.c
	@mkdir -p $(@D)
	$(BENCH_CC) $(BENCH_CFLAGS) -o $@ $<

# Expected figures come from the programs themselves (static, so they run on the build host).
$(BENCH_CASES): $(BENCH_MICRO) $(BENCH_SRC)/guest/programs.sh $(BENCH_SRC)/guest/disk.sh
	@set -e; for b in $(BENCH_MICRO); do $$b --list; done >$@.tmp; \
		sh $(BENCH_SRC)/guest/programs.sh --list >>$@.tmp; \
		sh $(BENCH_SRC)/guest/disk.sh --list >>$@.tmp; mv $@.tmp $@

$(BENCH_INITRD): $(BENCH_MICRO) $(BENCH_TOOLS) $(BENCH_SRC)/guest/init.sh \
		$(BENCH_SRC)/guest/programs.sh $(BENCH_SRC)/guest/disk.sh kit/mkcpio
	@rm -rf $(BENCH_OUT)/root && mkdir -p $(BENCH_OUT)/root
	@cd $(BENCH_OUT)/root && mkdir -p bin sbin usr/bin usr/sbin dev proc sys tmp root etc bench/micro
	@cp /bin/busybox $(BENCH_OUT)/root/bin/busybox
	@for a in $$(/bin/busybox --list-full); do \
		[ -e $(BENCH_OUT)/root/$$a ] || ln -s /bin/busybox $(BENCH_OUT)/root/$$a; done
	@cp $(BENCH_SRC)/guest/init.sh $(BENCH_OUT)/root/init && chmod 755 $(BENCH_OUT)/root/init
	@cp $(BENCH_MICRO) $(BENCH_OUT)/root/bench/micro/
	@cp $(BENCH_TOOLS) $(BENCH_SRC)/guest/programs.sh $(BENCH_SRC)/guest/disk.sh $(BENCH_OUT)/root/bench/
	@# Linux drives virtio disks and ext2 with modules (the guest suite's list, guest.mk).
	@mkdir -p $(BENCH_OUT)/root/lib/modules
	@for m in $(GUEST_MODULES); do \
		f=$$(find /lib/modules/$(GUEST_LINUX_VERSION)/kernel -name "$$m.ko" 2>/dev/null | head -n 1); \
		[ -z "$$f" ] || cp "$$f" $(BENCH_OUT)/root/lib/modules/; done
	@echo "$(GUEST_MODULES)" >$(BENCH_OUT)/root/lib/modules/order
	kit/mkcpio $(BENCH_OUT)/root $@ c:/dev/console:5:1:600 c:/dev/null:1:3:666

# Linux's vmlinux comes from the guest suite's rule; Cadre's kernel is built
# only when missing, so a tree mid-edit by others still gets its Linux figures.
bench-kernels:
	@$(MAKE) --no-print-directory $(GUEST_VMLINUX)
	@test -f $(GUEST_KERNEL) || $(MAKE) --no-print-directory all || \
		echo "bench: $(GUEST_KERNEL) could not be built; Cadre's column will be n/a"

bench: bench-build bench-kernels
	@$(BENCH_RUN)

TEST_PARTS += bench
# Quick mode as a test part: one case per expected figure on Linux; Cadre's missing ones are skipped.
test-bench:
	@$(MAKE) --no-print-directory bench QUICK=1 BENCH_RESULTS=$(BUILD)/results/bench
