# Developer targets (setup, run, test, iso, debug, new) as thin calls of kit/kit, plus what the kit reads and its own tests.
KIT := kit/kit
# The initramfs `make run` and `make iso` boot with: built by a rule named
# `initramfs` when some fragment defines one, used if the file exists.
INITRAMFS ?= $(BUILD)/initramfs.cpio

.PHONY: setup run test iso debug new disk kit-info test-kit

setup:
	@$(KIT) setup
# The newcomer's command: install what is missing, build, boot.
# DISK=img attaches a disk image (vda).
run:
	@$(KIT) setup
	@$(KIT) run $(if $(DISK),--disk $(DISK)) $(ARGS)
# make disk DIR=tree IMG=disk.img: an ext2 image of a directory (kit disk).
disk:
	@test -n "$(DIR)" -a -n "$(IMG)" || { echo "usage: make disk DIR=path IMG=file" >&2; exit 2; }
	@$(KIT) disk $(DIR) $(IMG)
test:
	@$(KIT) test
iso:
	@$(KIT) iso
debug:
	@$(KIT) debug $(ARGS)
new:
	@test -n "$(DIR)" || { echo "usage: make new DIR=path" >&2; exit 2; }
	@$(KIT) new $(DIR)

# key=value lines: the kit's one source for paths and test parts.
kit-info:
	@echo kernel=$(OUT)/kernel.elf
	@echo initrd=$(INITRAMFS)
	@echo iso=$(OUT)/cadre.iso
	@echo results=$(BUILD)/results
	@echo test_parts=$(TEST_PARTS)
	@echo packages=kit/packages.txt
	@echo name=Cadre

TEST_PARTS += kit
test-kit:
	@test/kit/run_tests $(BUILD)/results/kit
