# The system-call fuzzer (test/fuzz): a static musl program run as a non-root user on the sanitized test kernel.
# `make test` runs it for FUZZ_TEST_SECONDS with a fixed seed; `make fuzz SECONDS=N SEED=S` runs it longer.
FUZZ_SRC := test/fuzz
FUZZ_OUT := $(BUILD)/fuzz
FUZZ_BIN := $(FUZZ_OUT)/fuzz
FUZZ_INITRD := $(FUZZ_OUT)/initramfs.cpio
FUZZ_TEST_SECONDS ?= 60
FUZZ_TEST_SEED ?= 20261203
# make fuzz: a fresh seed each run unless SEED is given (it is printed, so any run replays).
SECONDS ?= 300
SEED ?= $(shell od -An -N4 -tu4 /dev/urandom | tr -d ' ')

.PHONY: fuzz fuzz-build test-fuzz
fuzz-build: $(FUZZ_INITRD)

$(FUZZ_BIN): $(FUZZ_SRC)/fuzz.c
	@mkdir -p $(@D)
	musl-gcc -std=gnu11 -O2 -g0 -Wall -Wextra -Werror -static -o $@ $<

$(FUZZ_INITRD): $(FUZZ_BIN) $(FUZZ_SRC)/init.sh kit/mkcpio
	@rm -rf $(FUZZ_OUT)/root && mkdir -p $(FUZZ_OUT)/root
	@cd $(FUZZ_OUT)/root && mkdir -p bin sbin usr/bin usr/sbin dev proc sys tmp root etc
	@cp /bin/busybox $(FUZZ_OUT)/root/bin/busybox
	@for a in $$(/bin/busybox --list-full); do \
		[ -e $(FUZZ_OUT)/root/$$a ] || ln -s /bin/busybox $(FUZZ_OUT)/root/$$a; done
	@cp $(FUZZ_SRC)/init.sh $(FUZZ_OUT)/root/init && chmod 755 $(FUZZ_OUT)/root/init
	@cp $(FUZZ_BIN) $(FUZZ_OUT)/root/bin/fuzz
	@printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >$(FUZZ_OUT)/root/etc/passwd
	@printf 'root:x:0:\nnogroup:x:65534:\n' >$(FUZZ_OUT)/root/etc/group
	kit/mkcpio $(FUZZ_OUT)/root $@ c:/dev/console:5:1:600 c:/dev/null:1:3:666

# kernel.mk, read after this file, names the test kernel $(OUT)/kernel-test.elf.
FUZZ_KERNEL := $(OUT)/kernel-test.elf

# One sanitized boot: QEMU's wall-clock limit leaves room for the boot and both memory readings.
define fuzz_run
	@echo "fuzz: $(1) s, seed $(2), sanitized kernel (log: $(FUZZ_OUT)/fuzz.log)"
	@kit/boot-qemu $(FUZZ_KERNEL) $(FUZZ_INITRD) $(FUZZ_OUT)/fuzz.log \
		"quiet panic=-1 FUZZ_SECONDS=$(1) FUZZ_SEED=$(2)" $$(( $(1) * 3 + 240 )); \
		test/fuzz/check $(FUZZ_OUT)/fuzz.log $$? $(3)
endef

TEST_PARTS += fuzz
test-fuzz: $(FUZZ_INITRD) $(FUZZ_KERNEL)
	$(call fuzz_run,$(FUZZ_TEST_SECONDS),$(FUZZ_TEST_SEED),$(BUILD)/results/fuzz)

fuzz: $(FUZZ_INITRD) $(FUZZ_KERNEL)
	$(call fuzz_run,$(SECONDS),$(SEED),$(FUZZ_OUT)/results)

# Fault injection: the fuzzer again, for FUZZ_FAULT_SECONDS per period, while every N-th kernel
# allocation fails (N swept over FUZZ_FAULT_PERIODS): no panic, no sanitizer report, no leak.
FUZZ_FAULT_SECONDS ?= 15
FUZZ_FAULT_PERIODS ?= 37,101,499
FUZZ_FAULT_NRUNS = $(words $(subst $(comma), ,$(FUZZ_FAULT_PERIODS)))
comma := ,
TEST_PARTS += fuzz-faults
test-fuzz-faults: $(FUZZ_INITRD) $(FUZZ_KERNEL)
	@echo "fuzz-faults: $(FUZZ_FAULT_SECONDS) s for each of every $(FUZZ_FAULT_PERIODS)-th allocation failing (log: $(FUZZ_OUT)/faults.log)"
	@kit/boot-qemu $(FUZZ_KERNEL) $(FUZZ_INITRD) $(FUZZ_OUT)/faults.log \
		"quiet panic=-1 FUZZ_SECONDS=$(FUZZ_FAULT_SECONDS) FUZZ_SEED=$(FUZZ_TEST_SEED) FUZZ_FAULTS=$(FUZZ_FAULT_PERIODS)" \
		$$(( $(FUZZ_FAULT_SECONDS) * $(FUZZ_FAULT_NRUNS) * 3 + 240 )); \
		FUZZ_PART=fuzz-faults FUZZ_FAULTS=$(FUZZ_FAULT_PERIODS) test/fuzz/check $(FUZZ_OUT)/faults.log $$? $(BUILD)/results/fuzz-faults
