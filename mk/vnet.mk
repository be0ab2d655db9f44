# Host-to-guest networking over virtio-net (test/vnet): QEMU's user network restricted to the host, on Linux and on Cadre.
VNET_RUN := test/vnet/run

.PHONY: test-vnet-linux test-vnet

TEST_PARTS += vnet-linux vnet
test-vnet-linux: $(GUEST_VMLINUX) $(GUEST_INITRD)
	@echo "vnet: Linux $(notdir $(GUEST_LINUX_BZIMAGE)) (log: $(GUEST_OUT)/vnet-linux.log)"
	@$(VNET_RUN) vnet-linux $(GUEST_VMLINUX) $(GUEST_INITRD) $(GUEST_OUT)/vnet-linux.log $(BUILD)/results

test-vnet: $(GUEST_INITRD)
	@$(MAKE) --no-print-directory all || true
	@echo "vnet: Cadre $(GUEST_KERNEL) (log: $(GUEST_OUT)/vnet.log)"
	@$(VNET_RUN) vnet $(GUEST_KERNEL) $(GUEST_INITRD) $(GUEST_OUT)/vnet.log $(BUILD)/results
