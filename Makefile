# Top-level build: includes one fragment per area from mk/.
.DEFAULT_GOAL := all
ARCH ?= x86_64
BUILD := build
OUT := $(BUILD)/$(ARCH)
export ARCH BUILD OUT

include mk/config.mk
include $(filter-out mk/config.mk,$(sort $(wildcard mk/*.mk)))
