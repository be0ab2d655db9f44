# Guest conformance suite: static test programs (musl + glibc), busybox sessions, initramfs, Linux/Cadre runs.
GUEST_SRC := test/guest
GUEST_OUT := $(BUILD)/guest
GUEST_AREAS := $(patsubst $(GUEST_SRC)/%.c,%,$(wildcard $(GUEST_SRC)/*.c))
GUEST_VARIANTS := musl glibc
GUEST_LIB := $(wildcard $(GUEST_SRC)/lib/*.c)
GUEST_LIB_H := $(wildcard $(GUEST_SRC)/lib/*.h)
GUEST_SESSIONS := $(wildcard $(GUEST_SRC)/sessions/*.sh)
# The disk persistence test's phases (test-disk), in the same initramfs as /disk/.
GUEST_DISK_SCRIPTS := $(wildcard $(GUEST_SRC)/disk/*.sh)
GUEST_CFLAGS := -std=gnu11 -O1 -g0 -Wall -Wextra -Werror -static -I$(GUEST_SRC)/lib
GUEST_CC_musl := musl-gcc
# musl-gcc hides /usr/include; expose only the kernel UAPI headers (linux/, asm/, asm-generic/).
GUEST_KHDR := $(GUEST_OUT)/musl-uapi
GUEST_CFLAGS_musl := -isystem $(GUEST_KHDR)
GUEST_CFLAGS_glibc :=
GUEST_CC_glibc := gcc
GUEST_BINS := $(foreach v,$(GUEST_VARIANTS),$(addprefix $(GUEST_OUT)/$(v)/,$(GUEST_AREAS)))
GUEST_INITRD := $(GUEST_OUT)/initramfs.cpio
GUEST_CASES := $(GUEST_OUT)/cases.txt
GUEST_CMDLINE ?= quiet panic=-1
# A limit for a hung guest, not a slow host: a full Cadre run takes over 3 minutes on a loaded host.
GUEST_TIMEOUT ?= 600
GUEST_KNOWN := $(GUEST_SRC)/known-failures.txt
GUEST_LINUX_BZIMAGE ?= $(lastword $(sort $(wildcard /boot/vmlinuz-*-amd64)))
GUEST_VMLINUX := $(GUEST_OUT)/vmlinux-$(notdir $(GUEST_LINUX_BZIMAGE))
GUEST_KERNEL := $(OUT)/kernel.elf
GUEST_EVAL := $(GUEST_SRC)/tools/evaluate --cases $(GUEST_CASES) --sessions $(GUEST_SRC)/sessions
# After a run: the read-write ext2 file systems it left must be clean for e2fsck -fn.
GUEST_FSCK := $(GUEST_SRC)/tools/fsck-disk
# Debian's kernel drives virtio disks and ext2 with modules: the initramfs
# carries these (in load order) from the oracle kernel's /lib/modules, and
# init.sh loads them (on Cadre, insmod fails quietly: the drivers are built in).
GUEST_LINUX_VERSION = $(patsubst vmlinuz-%,%,$(notdir $(GUEST_LINUX_BZIMAGE)))
GUEST_MODULES := virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci \
	virtio_blk crc16 mbcache jbd2 crc32c_generic ext4 failover net_failover virtio_net
# Disks of a run, fresh each time (cases write to them): vda a 16 MiB scratch disk,
# then the ext2 images test/guest/tools/mkext2 makes (vdb.. in this order; ext2.c says which is which).
GUEST_EXT2_DIR := $(GUEST_OUT)/ext2
GUEST_EXT2_IMGS := ext2-1k ext2-2k ext2-4k ext2-rev0 variants ext2-rw ext2-round
# Areas whose cases run a second time with their working directory on ext2 (vdh1, "AREA@ext2").
GUEST_EXT2_ROUND := files dirs
GUEST_EXT2_STAMP := $(GUEST_EXT2_DIR)/.stamp
guest_disks = rm -f $(1)-vda.img && truncate -s 16M $(1)-vda.img && \
	for i in $(GUEST_EXT2_IMGS); do cp --sparse=always $(GUEST_EXT2_DIR)/$$i.img $(1)-$$i.img; done
guest_disk_args = $(1)-vda.img $(foreach i,$(GUEST_EXT2_IMGS),$(1)-$(i).img)

$(GUEST_EXT2_STAMP): $(GUEST_SRC)/tools/mkext2
	$(GUEST_SRC)/tools/mkext2 $(GUEST_EXT2_DIR)
	@touch $@

.PHONY: guest-build guest-initramfs test-linux test-guest test-disk test-corrupt guest-sessions-update \
	guest-known-failures-update compat-doc

guest-build: $(GUEST_BINS)
guest-initramfs: $(GUEST_INITRD)

define guest_variant_rule
$(GUEST_OUT)/$(1)/%: $(GUEST_SRC)/%.c $(GUEST_LIB) $(GUEST_LIB_H) | $(GUEST_KHDR)
	@mkdir -p $$(@D)
	$(GUEST_CC_$(1)) $(GUEST_CFLAGS) $(GUEST_CFLAGS_$(1)) -DGT_VARIANT='"$(1)"' -o $$@ $$< $(GUEST_LIB)
endef
$(foreach v,$(GUEST_VARIANTS),$(eval $(call guest_variant_rule,$(v))))

$(GUEST_KHDR):
	@mkdir -p $@
	ln -sfn /usr/include/linux $@/linux
	ln -sfn /usr/include/x86_64-linux-gnu/asm $@/asm
	ln -sfn /usr/include/asm-generic $@/asm-generic

# Every expected case, from the programs themselves (static binaries run on the build host too).
$(GUEST_CASES): $(GUEST_BINS)
	@set -e; for b in $(GUEST_BINS); do $$b --list; done >$@.tmp && \
		for v in $(GUEST_VARIANTS); do for a in $(filter $(GUEST_EXT2_ROUND),$(GUEST_AREAS)); do \
			GT_ROUND=ext2 $(GUEST_OUT)/$$v/$$a --list; done; done >>$@.tmp && mv $@.tmp $@

# The host-to-guest network test's guest side (test/vnet) rides in the same initramfs.
GUEST_VNET_SERVER := $(GUEST_OUT)/vnet_server
$(GUEST_VNET_SERVER): test/vnet/vnet_server.c
	@mkdir -p $(@D)
	gcc $(GUEST_CFLAGS) -o $@ $<

$(GUEST_OUT)/disk-walk: $(GUEST_SRC)/disk/walk.c
	@mkdir -p $(@D)
	$(GUEST_CC_glibc) $(GUEST_CFLAGS) -o $@ $<

$(GUEST_INITRD): $(GUEST_BINS) $(GUEST_SRC)/init.sh $(GUEST_SESSIONS) kit/mkcpio \
		$(GUEST_VNET_SERVER) test/vnet/vnet.sh $(GUEST_DISK_SCRIPTS) $(GUEST_OUT)/disk-walk
	@rm -rf $(GUEST_OUT)/root && mkdir -p $(GUEST_OUT)/root
	@cd $(GUEST_OUT)/root && mkdir -p bin sbin usr/bin usr/sbin dev proc sys tmp root etc tests sessions
	@cp /bin/busybox $(GUEST_OUT)/root/bin/busybox
	@for a in $$(/bin/busybox --list-full); do \
		[ -e $(GUEST_OUT)/root/$$a ] || ln -s /bin/busybox $(GUEST_OUT)/root/$$a; done
	@cp $(GUEST_SRC)/init.sh $(GUEST_OUT)/root/init && chmod 755 $(GUEST_OUT)/root/init
	@echo "$(filter $(GUEST_EXT2_ROUND),$(GUEST_AREAS))" >$(GUEST_OUT)/root/tests/ext2-round
	@for v in $(GUEST_VARIANTS); do mkdir -p $(GUEST_OUT)/root/tests/$$v && \
		cp $(addprefix $(GUEST_OUT)/$$v/,$(GUEST_AREAS)) $(GUEST_OUT)/root/tests/$$v/; done
	@cp $(GUEST_SESSIONS) $(GUEST_OUT)/root/sessions/
	@cp $(GUEST_VNET_SERVER) $(GUEST_OUT)/root/tests/vnet_server
	@cp test/vnet/vnet.sh $(GUEST_OUT)/root/vnet.sh
	@mkdir -p $(GUEST_OUT)/root/disk && cp $(GUEST_DISK_SCRIPTS) $(GUEST_OUT)/disk-walk $(GUEST_OUT)/root/disk/ && \
		mv $(GUEST_OUT)/root/disk/disk-walk $(GUEST_OUT)/root/disk/walk && chmod 755 $(GUEST_OUT)/root/disk/init.sh
	@mkdir -p $(GUEST_OUT)/root/lib/modules
	@for m in $(GUEST_MODULES); do \
		f=$$(find /lib/modules/$(GUEST_LINUX_VERSION)/kernel -name "$$m.ko" 2>/dev/null | head -n 1); \
		[ -z "$$f" ] || cp "$$f" $(GUEST_OUT)/root/lib/modules/; done
	@echo "$(GUEST_MODULES)" >$(GUEST_OUT)/root/lib/modules/order
	@echo 'root:x:0:0:root:/root:/bin/sh' >$(GUEST_OUT)/root/etc/passwd
	@echo 'root:x:0:' >$(GUEST_OUT)/root/etc/group
	kit/mkcpio $(GUEST_OUT)/root $@ c:/dev/console:5:1:600 c:/dev/null:1:3:666

$(GUEST_VMLINUX): $(GUEST_LINUX_BZIMAGE) $(GUEST_SRC)/tools/extract-vmlinux
	@mkdir -p $(@D)
	$(GUEST_SRC)/tools/extract-vmlinux $< $@

# The Linux oracle run: every case must pass and sessions must match the committed output.
TEST_PARTS += linux guest
test-linux: $(GUEST_VMLINUX) $(GUEST_INITRD) $(GUEST_CASES) $(GUEST_EXT2_STAMP)
	@echo "guest: booting Linux $(notdir $(GUEST_LINUX_BZIMAGE)) (log: $(GUEST_OUT)/linux.log)"
	@$(call guest_disks,$(GUEST_OUT)/linux)
	@start=$$(date +%s); kit/boot-qemu $(GUEST_VMLINUX) $(GUEST_INITRD) $(GUEST_OUT)/linux.log \
		"$(GUEST_CMDLINE)" $(GUEST_TIMEOUT) $(call guest_disk_args,$(GUEST_OUT)/linux); rc=$$?; \
		echo "guest: QEMU exit status $$rc after $$(( $$(date +%s) - start )) s"
	@$(GUEST_EVAL) --log $(GUEST_OUT)/linux.log --part linux --results $(BUILD)/results/linux; \
		rc=$$?; $(GUEST_FSCK) $(GUEST_OUT)/linux-ext2-rw.img linux $(BUILD)/results/linux && \
		$(GUEST_FSCK) $(GUEST_OUT)/linux-ext2-round.img linux $(BUILD)/results/linux && exit $$rc

# The same initramfs on Cadre; known failures count as skipped.
test-guest: $(GUEST_INITRD) $(GUEST_CASES) $(GUEST_EXT2_STAMP)
	@$(MAKE) --no-print-directory all || true
	@echo "guest: booting Cadre $(GUEST_KERNEL) (log: $(GUEST_OUT)/guest.log)"
	@$(call guest_disks,$(GUEST_OUT)/guest)
	@if [ -f $(GUEST_KERNEL) ]; then kit/boot-qemu $(GUEST_KERNEL) $(GUEST_INITRD) \
		$(GUEST_OUT)/guest.log "$(GUEST_CMDLINE)" $(GUEST_TIMEOUT) $(call guest_disk_args,$(GUEST_OUT)/guest); \
		echo "guest: QEMU exit status $$?"; \
	else echo "guest: $(GUEST_KERNEL) could not be built" >$(GUEST_OUT)/guest.log; fi
	@$(GUEST_EVAL) --log $(GUEST_OUT)/guest.log --part guest --known $(GUEST_KNOWN) \
		--results $(BUILD)/results/guest; \
		rc=$$?; $(GUEST_FSCK) $(GUEST_OUT)/guest-ext2-rw.img guest $(BUILD)/results/guest && \
		$(GUEST_FSCK) $(GUEST_OUT)/guest-ext2-round.img guest $(BUILD)/results/guest && exit $$rc

# Persistence: write, sync and kill, then read back on the next boot, Cadre and Linux each way; e2fsck -fn clean.
TEST_PARTS += disk
test-disk: $(GUEST_VMLINUX) $(GUEST_INITRD) $(GUEST_EXT2_STAMP)
	@$(MAKE) --no-print-directory all || true
	@$(GUEST_SRC)/tools/persist $(GUEST_KERNEL) $(GUEST_VMLINUX) $(GUEST_INITRD) \
		$(GUEST_EXT2_DIR)/persist.img $(GUEST_OUT)/disk $(BUILD)/results/disk \
		/boot/initrd.img-$(GUEST_LINUX_VERSION)

# Corrupted images (test/guest/tools/corrupt-ext2) walked on the sanitized kernel and on Linux: errors, never a crash.
TEST_PARTS += corrupt
GUEST_CORRUPT_DIR := $(GUEST_OUT)/corrupt
$(GUEST_CORRUPT_DIR)/.stamp: $(GUEST_SRC)/tools/corrupt-ext2
	$(GUEST_SRC)/tools/corrupt-ext2 $(GUEST_CORRUPT_DIR)
	@touch $@
test-corrupt: $(GUEST_VMLINUX) $(GUEST_INITRD) $(GUEST_CORRUPT_DIR)/.stamp
	@$(MAKE) --no-print-directory kernel-test || true
	@$(GUEST_SRC)/tools/walk-corrupt $(KERNEL_TEST_ELF) $(GUEST_VMLINUX) $(GUEST_INITRD) \
		$(GUEST_CORRUPT_DIR) $(BUILD)/results/corrupt

guest-sessions-update: $(GUEST_VMLINUX) $(GUEST_INITRD) $(GUEST_CASES) $(GUEST_EXT2_STAMP)
	$(call guest_disks,$(GUEST_OUT)/linux)
	kit/boot-qemu $(GUEST_VMLINUX) $(GUEST_INITRD) $(GUEST_OUT)/linux.log "$(GUEST_CMDLINE)" $(GUEST_TIMEOUT) \
		$(call guest_disk_args,$(GUEST_OUT)/linux) || true
	$(GUEST_EVAL) --log $(GUEST_OUT)/linux.log --part linux --update-sessions

guest-known-failures-update: $(GUEST_INITRD) $(GUEST_CASES) $(GUEST_EXT2_STAMP)
	@$(MAKE) --no-print-directory all || true
	@$(call guest_disks,$(GUEST_OUT)/guest)
	@if [ -f $(GUEST_KERNEL) ]; then kit/boot-qemu $(GUEST_KERNEL) $(GUEST_INITRD) \
		$(GUEST_OUT)/guest.log "$(GUEST_CMDLINE)" $(GUEST_TIMEOUT) $(call guest_disk_args,$(GUEST_OUT)/guest); \
	else : >$(GUEST_OUT)/guest.log; fi; true
	$(GUEST_EVAL) --log $(GUEST_OUT)/guest.log --part guest --known $(GUEST_KNOWN) \
		--update-known "no user-mode programs yet (issue 5)"

compat-doc: $(GUEST_CASES)
	$(GUEST_SRC)/tools/compat-doc $(GUEST_CASES) /usr/include/x86_64-linux-gnu/asm/unistd_64.h \
		kernel/syscall/syscalls.list docs/compatibility.md
