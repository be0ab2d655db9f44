# The sanitized test kernel: KASAN, UBSAN and the stack protector over frame, services and tests, in its own object tree; kernel.elf stays plain.
# Included after kernel.mk (alphabetical order): it reuses FRAME_SRCS and friends and owns the $(KERNEL_TEST_ELF) rule.

SAN_OUT := $(OUT)/san
# Linux's x86_64 value: the kernel half's shadow lands in PML4 slots 472-503, unused by the frame's layout.
KASAN_SHADOW_OFFSET := 0xdffffc0000000000

# Outline checks (a call per access) so the runtime can skip addresses without
# shadow: user memory, MMIO, and everything before the shadow exists at boot.
SAN_KASAN := -fsanitize=kernel-address -fasan-shadow-offset=$(KASAN_SHADOW_OFFSET) \
	--param asan-globals=1 --param asan-instrumentation-with-call-threshold=0
# Stack redzones are written inline by the function prologue, shadow or not.
SAN_KASAN_STACK := --param asan-stack=1
# All of -fsanitize=undefined that means something in freestanding C; alignment
# stays on (x86 forgives misaligned loads, riscv64 will not). Recoverable, so
# the handlers decide: report, count, go on.
SAN_UBSAN := -fsanitize=undefined -fno-sanitize=vptr -fsanitize-recover=undefined
# A global guard: the default %gs:40 canary needs a per-cpu TLS block the frame does not have.
SAN_SSP := -fstack-protector-strong -mstack-protector-guard=global
SAN_DEFS := -DFRAME_SANITIZE -DKASAN_SHADOW_OFFSET=$(KASAN_SHADOW_OFFSET)UL

# Code that runs before sanitize_init() maps the shadow (boot, console, log,
# formatting, the page allocator and page tables, traps) must not write stack
# redzones: asan-stack=0 there, heap and global checks still on. The runtime
# itself (frame/sanitize) gets no instrumentation at all, or it would recurse.
SAN_EARLY_DIRS := frame/boot frame/arch/$(ARCH) frame/mm frame/log frame/lib frame/panic
san_cflags = $(if $(filter frame/sanitize/%,$1),$(SAN_DEFS),\
	$(SAN_DEFS) $(SAN_KASAN) $(SAN_UBSAN) $(SAN_SSP) \
	$(if $(filter $(addsuffix /%,$(SAN_EARLY_DIRS)),$1),--param asan-stack=0,$(SAN_KASAN_STACK)))

SAN_FRAME_C := $(filter %.c,$(FRAME_SRCS))
SAN_FRAME_OBJS := $(patsubst %,$(SAN_OUT)/obj/%.o,$(SAN_FRAME_C)) \
	$(patsubst %,$(OUT)/obj/%.o,$(filter %.S,$(FRAME_SRCS)))
SAN_SERVICE_OBJS := $(patsubst %,$(SAN_OUT)/obj/%.o,$(SERVICE_SRCS))
SAN_KTEST_OBJS := $(patsubst %,$(SAN_OUT)/obj/%.o,$(KTEST_SRCS))
SAN_FRAME_LIB := $(SAN_OUT)/libframe.a

$(SAN_OUT)/obj/frame/%.c.o: frame/%.c mk/config.mk mk/sanitize.mk
	@mkdir -p $(dir $@)
	@$(ECHO_CC)
	$(Q)$(CC) $(FRAME_CFLAGS) $(call san_cflags,$<) -MMD -MP -c $< -o $@
$(SAN_OUT)/obj/kernel/%.c.o: kernel/%.c mk/config.mk mk/sanitize.mk
	@mkdir -p $(dir $@)
	@$(ECHO_CC)
	$(Q)$(CC) $(SERVICE_CFLAGS) $(call san_cflags,$<) -MMD -MP -c $< -o $@
$(SAN_OUT)/obj/test/kernel/%.c.o: test/kernel/%.c mk/config.mk mk/sanitize.mk
	@mkdir -p $(dir $@)
	@$(ECHO_CC)
	$(Q)$(CC) $(FRAME_CFLAGS) $(call san_cflags,$<) -MMD -MP -c $< -o $@
# Service tests see only what services see: the public frame API and kernel/include.
$(SAN_OUT)/obj/test/services/%.c.o: test/services/%.c mk/config.mk mk/sanitize.mk
	@mkdir -p $(dir $@)
	@$(ECHO_CC)
	$(Q)$(CC) $(SERVICE_CFLAGS) $(call san_cflags,$<) -MMD -MP -c $< -o $@

$(SAN_FRAME_LIB): $(SAN_FRAME_OBJS)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

# The test kernel `make test` boots is the sanitized one.
$(KERNEL_TEST_ELF): $(SAN_FRAME_LIB) $(FRAME_LDS) $(SAN_SERVICE_OBJS) $(SAN_KTEST_OBJS) kit/link-kernel
	$(Q)kit/link-kernel $@ $(FRAME_LDS) "$(SAN_SERVICE_OBJS) $(SAN_KTEST_OBJS)" $(SAN_FRAME_LIB)

-include $(SAN_FRAME_OBJS:.o=.d) $(SAN_SERVICE_OBJS:.o=.d) $(SAN_KTEST_OBJS:.o=.d)
