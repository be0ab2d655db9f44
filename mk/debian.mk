# Debian's own dynamically linked programs (from this host, with their libraries) in scripted sessions, Cadre against Linux.
DEBIAN_SRC := test/debian
DEBIAN_OUT := $(BUILD)/debian
DEBIAN_INITRD := $(DEBIAN_OUT)/initramfs.cpio
DEBIAN_SESSIONS := $(wildcard $(DEBIAN_SRC)/sessions/*.sh)
DEBIAN_TIMEOUT ?= 600
DEBIAN_CMDLINE ?= quiet panic=-1

.PHONY: debian-initramfs test-debian

debian-initramfs: $(DEBIAN_INITRD)

$(DEBIAN_INITRD): $(DEBIAN_SRC)/programs.txt $(DEBIAN_SRC)/init.sh $(DEBIAN_SESSIONS) \
		$(DEBIAN_SRC)/tools/mkroot kit/mkcpio
	@mkdir -p $(DEBIAN_OUT)
	$(DEBIAN_SRC)/tools/mkroot $(DEBIAN_OUT)/root $(DEBIAN_SRC)/programs.txt $(DEBIAN_SRC)/init.sh \
		$(DEBIAN_SRC)/sessions
	kit/mkcpio $(DEBIAN_OUT)/root $@ c:/dev/console:5:1:600 c:/dev/null:1:3:666

# One boot per kernel, same QEMU and initramfs; the sessions' outputs must agree.
TEST_PARTS += debian
test-debian: $(GUEST_VMLINUX) $(DEBIAN_INITRD)
	@$(MAKE) --no-print-directory all || true
	@echo "debian: booting Linux (log: $(DEBIAN_OUT)/linux.log)"
	@kit/boot-qemu $(GUEST_VMLINUX) $(DEBIAN_INITRD) $(DEBIAN_OUT)/linux.log "$(DEBIAN_CMDLINE)" \
		$(DEBIAN_TIMEOUT); echo "debian: Linux QEMU exit status $$?"
	@echo "debian: booting Cadre (log: $(DEBIAN_OUT)/cadre.log)"
	@if [ -f $(GUEST_KERNEL) ]; then kit/boot-qemu $(GUEST_KERNEL) $(DEBIAN_INITRD) \
		$(DEBIAN_OUT)/cadre.log "$(DEBIAN_CMDLINE)" $(DEBIAN_TIMEOUT); \
		echo "debian: Cadre QEMU exit status $$?"; \
	else echo "debian: $(GUEST_KERNEL) could not be built" >$(DEBIAN_OUT)/cadre.log; fi
	@$(DEBIAN_SRC)/tools/compare --linux $(DEBIAN_OUT)/linux.log --cadre $(DEBIAN_OUT)/cadre.log \
		--sessions $(DEBIAN_SRC)/sessions --known $(DEBIAN_SRC)/known-failures.txt \
		--results $(BUILD)/results/debian
