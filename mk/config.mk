# Toolchain and flags shared by every part of the build.
CC := gcc
LD := ld
NM := nm
AR := ar
OBJCOPY := objcopy
GCC_INCLUDE := $(shell $(CC) -print-file-name=include)

TEST_PARTS :=

# Quiet build lines unless V=1.
ifeq ($(V),1)
Q :=
ECHO_CC := true
else
Q := @
ECHO_CC = echo "  CC      $<"
endif

# Flags for code that runs in the kernel, frame and services alike.
KERNEL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -fno-pic -fno-pie -mcmodel=kernel -mno-red-zone \
	-mno-sse -mno-mmx -mno-80387 -mno-sse2 -fno-omit-frame-pointer -fno-optimize-sibling-calls \
	-fno-stack-protector -fno-builtin -fno-tree-loop-distribute-patterns -fno-common -fno-strict-aliasing \
	-fno-asynchronous-unwind-tables -nostdinc -isystem $(GCC_INCLUDE) \
	-Iframe/include
# Only frame code sees the frame's internal and arch headers.
FRAME_CFLAGS := $(KERNEL_CFLAGS) -Iframe -Iframe/arch/$(ARCH)/include
# Services see the public frame API and their own headers, nothing else.
SERVICE_CFLAGS := $(KERNEL_CFLAGS) -Ikernel/include
# kernel/ itself: every function others call has a prototype in a header, so a
# system-call handler is compiled against its generated one (kernel/syscalls.h).
SERVICE_WARN := -Wmissing-prototypes
KERNEL_ASFLAGS := $(FRAME_CFLAGS) -D__ASSEMBLER__
KERNEL_LDFLAGS := -nostdlib -static -z noexecstack -z max-page-size=0x1000 --no-warn-rwx-segments
