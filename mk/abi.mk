# The Linux ABI definitions (kernel/include/abi/) checked against Linux's UAPI headers.
TEST_PARTS += abi

.PHONY: test-abi
test-abi:
	@python3 test/abi/check_abi.py $(BUILD)/results/abi
