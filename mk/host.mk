# Hosted frame: frame logic and tests built as a Linux process under ASan+UBSan (make test-host).
# Tests are test/kernel/*.c; a file named *_ktest_only.c runs only in the test kernel.
HOST_OUT := $(BUILD)/host
HOST_CC ?= gcc
HOST_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all -DFRAME_HOSTED \
	-Iframe/include -Iframe -Iframe/host/include -MMD -MP
# Arch-neutral frame code that needs nothing the hosted frame lacks; add files here.
HOST_FRAME_SRCS := $(wildcard frame/mm/*.c) frame/boot/memmap.c
HOST_SRCS := $(HOST_FRAME_SRCS) $(wildcard frame/host/*.c) \
	$(filter-out %_ktest_only.c,$(wildcard test/kernel/*.c))
HOST_OBJS := $(patsubst %.c,$(HOST_OUT)/obj/%.o,$(HOST_SRCS))

# --- Services under test on the host (VFS, file systems, libraries) ---
# Service code and its tests (test/services) see only the public frame API
# and the kernel's headers, exactly as in the kernel build.
HOST_SERVICE_CFLAGS := $(filter-out -Iframe -Iframe/host/include,$(HOST_CFLAGS)) -Ikernel/include
# kernel/mm: process address spaces (issue 5).
# The system-call handlers (sys_*.c) and what only they use need processes or user memory: not hosted.
# kernel/net/inet: the IPv4 stack without its kernel glue (socket files, ioctls, the network task).
HOST_INET_KERNEL_ONLY := kernel/net/inet/af_inet.c kernel/net/inet/dev_ioctl.c kernel/net/inet/stack_task.c
HOST_SERVICE_SRCS := $(filter-out %/sys_fs.c %/locks.c %/rw_engine.c $(wildcard kernel/*/sys_*.c), \
		$(wildcard kernel/fs/*.c kernel/lib/*.c kernel/mm/*.c kernel/tty/*.c)) \
	$(filter-out $(HOST_INET_KERNEL_ONLY),$(wildcard kernel/net/inet/*.c)) \
	kernel/dev/chrdev.c kernel/dev/mem.c kernel/dev/devtmpfs.c kernel/ipc/epoll.c \
	kernel/procfs/format.c kernel/procfs/sbuf.c kernel/procfs/utsname.c \
	$(filter-out %_ktest_only.c,$(wildcard test/services/*.c))
HOST_OBJS += $(patsubst %.c,$(HOST_OUT)/obj/%.o,$(HOST_SERVICE_SRCS))

$(HOST_OUT)/obj/kernel/%.o: kernel/%.c
	@mkdir -p $(dir $@)
	@$(ECHO_CC)
	$(Q)$(HOST_CC) $(HOST_SERVICE_CFLAGS) -c $< -o $@
$(HOST_OUT)/obj/test/services/%.o: test/services/%.c
	@mkdir -p $(dir $@)
	@$(ECHO_CC)
	$(Q)$(HOST_CC) $(HOST_SERVICE_CFLAGS) -c $< -o $@
# --- end of services block ---

TEST_PARTS += host

$(HOST_OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(ECHO_CC)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

$(HOST_OUT)/ktest-host: $(HOST_OBJS)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $^ -o $@

.PHONY: test-host
test-host: $(HOST_OUT)/ktest-host
	@mkdir -p $(BUILD)/results
	@rm -f $(BUILD)/results/host
	@# A crash (sanitizer report, panic) writes no results: count it as one failure.
	@$(HOST_OUT)/ktest-host -o $(BUILD)/results/host || \
		{ [ -s $(BUILD)/results/host ] || echo "0 1 0" > $(BUILD)/results/host; exit 1; }

-include $(HOST_OBJS:.o=.d)
