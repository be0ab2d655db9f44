# Builds the frame library, the kernel, and the in-kernel test kernel; boots the tests.

FRAME_SRCS := $(shell find frame -path frame/host -prune -o -path frame/arch -prune -o \( -name '*.c' -o -name '*.S' \) -print | sort) \
	$(shell find frame/arch/$(ARCH) -path frame/arch/$(ARCH)/vdso -prune -o \( -name '*.c' -o -name '*.S' \) -print | sort)
SERVICE_SRCS := $(sort $(shell find kernel -name '*.c') $(SYSCALL_TABLE))
# The system-call table is generated from the master list into the source
# tree (so the boundary check sees it like any service file); test-abi fails
# if the committed copy is stale.
SYSCALL_TABLE := kernel/syscall/syscall_table.c
SYSCALL_PROTOS := kernel/include/kernel/syscalls.h
# Service tests (test/services) join the test kernel, built as services (rule in sanitize.mk);
# *_host_only.c ones need the host (a virtual clock for the network stack, say).
KTEST_SRCS := $(sort $(wildcard test/kernel/*.c)) \
	$(sort $(filter-out %_host_only.c,$(wildcard test/services/*.c)))

FRAME_OBJS := $(patsubst %,$(OUT)/obj/%.o,$(FRAME_SRCS))
SERVICE_OBJS := $(patsubst %,$(OUT)/obj/%.o,$(SERVICE_SRCS))
KTEST_OBJS := $(patsubst %,$(OUT)/obj/%.o,$(KTEST_SRCS))

FRAME_LIB := $(OUT)/libframe.a
FRAME_LDS := $(OUT)/frame.ld
KERNEL_ELF := $(OUT)/kernel.elf
KERNEL_TEST_ELF := $(OUT)/kernel-test.elf

.PHONY: all frame-lib kernel-test test-kernel
all: $(KERNEL_ELF)
frame-lib: $(FRAME_LIB) $(FRAME_LDS)
kernel-test: $(KERNEL_TEST_ELF)

$(OUT)/obj/frame/%.c.o: frame/%.c mk/config.mk
	@mkdir -p $(dir $@)
	@$(ECHO_CC)
	$(Q)$(CC) $(FRAME_CFLAGS) -MMD -MP -c $< -o $@
$(OUT)/obj/frame/%.S.o: frame/%.S mk/config.mk
	@mkdir -p $(dir $@)
	@$(ECHO_CC)
	$(Q)$(CC) $(KERNEL_ASFLAGS) -MMD -MP -c $< -o $@
$(OUT)/obj/kernel/%.c.o: kernel/%.c mk/config.mk
	@mkdir -p $(dir $@)
	@$(ECHO_CC)
	$(Q)$(CC) $(SERVICE_CFLAGS) $(SERVICE_WARN) -MMD -MP -c $< -o $@
$(SYSCALL_TABLE) $(SYSCALL_PROTOS) &: kernel/syscall/syscalls.list kit/gen-syscalls
	$(Q)kit/gen-syscalls $< $(SYSCALL_TABLE) $(SYSCALL_PROTOS)

# The vDSO: user-mode code (not kernel code: its own flags), linked as a
# shared object with no relocations (nothing relocates it in user space) and
# embedded in the kernel by frame/arch/$(ARCH)/vdso_image.S.
VDSO_DIR := frame/arch/$(ARCH)/vdso
VDSO_SO := $(OUT)/vdso/vdso.so
VDSO_CFLAGS := -std=gnu11 -O2 -g0 -Wall -Wextra -Werror -fPIC -ffreestanding -fno-builtin \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-jump-tables -nostdlib
$(VDSO_SO): $(VDSO_DIR)/vdso_user.c $(VDSO_DIR)/vdso_data.h $(VDSO_DIR)/vdso.lds mk/kernel.mk
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(VDSO_CFLAGS) -c $< -o $(@:.so=.o)
	$(Q)$(LD) -shared -soname linux-vdso.so.1 --hash-style=both --build-id=none -Bsymbolic \
		-z max-page-size=4096 -z noexecstack -T $(VDSO_DIR)/vdso.lds $(@:.so=.o) -o $@.tmp
	@readelf -r $@.tmp | grep -q 'There are no relocations' || \
		{ echo "vdso: the image has relocations"; readelf -r $@.tmp; exit 1; }
	@mv $@.tmp $@
$(OUT)/obj/frame/arch/$(ARCH)/vdso_image.S.o: $(VDSO_SO)
$(OUT)/obj/frame/arch/$(ARCH)/vdso_image.S.o: KERNEL_ASFLAGS += -DVDSO_SO='"$(VDSO_SO)"'

# Tests are frame-side code: they may look at frame internals to check them.
$(OUT)/obj/test/kernel/%.c.o: test/kernel/%.c mk/config.mk
	@mkdir -p $(dir $@)
	@$(ECHO_CC)
	$(Q)$(CC) $(FRAME_CFLAGS) -MMD -MP -c $< -o $@

$(FRAME_LIB): $(FRAME_OBJS)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(FRAME_LDS): frame/arch/$(ARCH)/kernel.ld
	@mkdir -p $(dir $@)
	cp $< $@

# Link twice: the first image gives the function addresses, the second embeds
# them as the symbol table that panic backtraces use. The table lives after all
# code, so the second link moves no function; kit/link-kernel checks that.
$(KERNEL_ELF): $(FRAME_LIB) $(FRAME_LDS) $(SERVICE_OBJS) kit/link-kernel
	$(Q)kit/link-kernel $@ $(FRAME_LDS) "$(SERVICE_OBJS)" $(FRAME_LIB)
# $(KERNEL_TEST_ELF) is the sanitized build (KASAN, UBSAN, stack protector): its rule is in mk/sanitize.mk.

-include $(FRAME_OBJS:.o=.d) $(SERVICE_OBJS:.o=.d) $(KTEST_OBJS:.o=.d)

TEST_PARTS += kernel
test-kernel: $(KERNEL_TEST_ELF) $(KERNEL_ELF)
	test/kernel/run $(KERNEL_TEST_ELF) $(BUILD)/results/kernel
