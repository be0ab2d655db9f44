# Out-of-memory run (test/oom): the OOM cases alone in a machine of OOM_MEMORY, on Linux and on Cadre.
OOM_SRC := test/oom
OOM_OUT := $(BUILD)/oom
OOM_BIN := $(OOM_OUT)/oom
OOM_INITRD := $(OOM_OUT)/initramfs.cpio
OOM_CASES := $(OOM_OUT)/cases.txt
OOM_MEMORY ?= 256M
OOM_TIMEOUT ?= 600

.PHONY: test-oom

$(OOM_BIN): $(OOM_SRC)/oom.c $(GUEST_LIB) $(GUEST_LIB_H) | $(GUEST_KHDR)
	@mkdir -p $(@D)
	musl-gcc $(GUEST_CFLAGS) $(GUEST_CFLAGS_musl) -DGT_VARIANT='"musl"' -DGT_TIMEOUT_S=300 \
		-o $@ $< $(GUEST_LIB)

$(OOM_CASES): $(OOM_BIN)
	$(OOM_BIN) --list >$@.tmp && mv $@.tmp $@

$(OOM_INITRD): $(OOM_BIN) $(OOM_SRC)/init.sh kit/mkcpio
	@rm -rf $(OOM_OUT)/root && mkdir -p $(OOM_OUT)/root
	@cd $(OOM_OUT)/root && mkdir -p bin sbin usr/bin usr/sbin dev proc sys tmp root etc
	@cp /bin/busybox $(OOM_OUT)/root/bin/busybox
	@for a in $$(/bin/busybox --list-full); do \
		[ -e $(OOM_OUT)/root/$$a ] || ln -s /bin/busybox $(OOM_OUT)/root/$$a; done
	@cp $(OOM_SRC)/init.sh $(OOM_OUT)/root/init && chmod 755 $(OOM_OUT)/root/init
	@cp $(OOM_BIN) $(OOM_OUT)/root/bin/oom
	@echo 'root:x:0:0:root:/root:/bin/sh' >$(OOM_OUT)/root/etc/passwd
	kit/mkcpio $(OOM_OUT)/root $@ c:/dev/console:5:1:600 c:/dev/null:1:3:666

# Both kernels in the same small machine; each log must show every case passing and every victim named.
TEST_PARTS += oom
test-oom: $(OOM_INITRD) $(OOM_CASES) $(GUEST_VMLINUX)
	@$(MAKE) --no-print-directory all || true
	@echo "oom: Linux and Cadre with -m $(OOM_MEMORY) (logs: $(OOM_OUT)/linux.log, $(OOM_OUT)/cadre.log)"
	@QEMU_MEMORY=$(OOM_MEMORY) kit/boot-qemu $(GUEST_VMLINUX) $(OOM_INITRD) $(OOM_OUT)/linux.log \
		"quiet panic=-1" $(OOM_TIMEOUT); echo "oom: Linux QEMU exit status $$?"
	@QEMU_MEMORY=$(OOM_MEMORY) kit/boot-qemu $(GUEST_KERNEL) $(OOM_INITRD) $(OOM_OUT)/cadre.log \
		"quiet panic=-1" $(OOM_TIMEOUT); echo "oom: Cadre QEMU exit status $$?"
	@$(OOM_SRC)/check $(OOM_OUT)/linux.log $(OOM_CASES) linux-oom $(OOM_OUT)/results-linux; \
		a=$$?; $(OOM_SRC)/check $(OOM_OUT)/cadre.log $(OOM_CASES) oom $(OOM_OUT)/results-cadre; \
		b=$$?; mkdir -p $(BUILD)/results; \
		awk '{ p += $$1; f += $$2; s += $$3 } END { print p, f, s }' \
			$(OOM_OUT)/results-linux $(OOM_OUT)/results-cadre >$(BUILD)/results/oom; \
		[ $$a = 0 ] && [ $$b = 0 ]
