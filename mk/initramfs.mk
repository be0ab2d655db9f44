# The initramfs `make run` boots: busybox with every applet, busybox init as /init, and kit/initramfs/etc.
RUN_INITRD := $(BUILD)/initramfs.cpio
RUN_ROOT := $(BUILD)/initramfs.d

.PHONY: initramfs
initramfs: $(RUN_INITRD)

$(RUN_INITRD): $(shell find kit/initramfs -type f) kit/mkcpio
	@rm -rf $(RUN_ROOT)
	@mkdir -p $(RUN_ROOT)/bin $(RUN_ROOT)/sbin $(RUN_ROOT)/usr/bin $(RUN_ROOT)/usr/sbin \
		$(RUN_ROOT)/proc $(RUN_ROOT)/dev $(RUN_ROOT)/tmp $(RUN_ROOT)/sys $(RUN_ROOT)/root \
		$(RUN_ROOT)/etc
	@cp /bin/busybox $(RUN_ROOT)/bin/busybox
	@for a in $$(/bin/busybox --list-full); do \
		[ -e $(RUN_ROOT)/$$a ] || ln -s /bin/busybox $(RUN_ROOT)/$$a; done
	@ln -s /bin/busybox $(RUN_ROOT)/init
	@cp -r kit/initramfs/etc/. $(RUN_ROOT)/etc/
	@echo 'root:x:0:0:root:/root:/bin/sh' > $(RUN_ROOT)/etc/passwd
	@echo 'root:x:0:' > $(RUN_ROOT)/etc/group
	kit/mkcpio $(RUN_ROOT) $@ c:/dev/console:5:1:600 c:/dev/null:1:3:666
