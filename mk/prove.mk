# Machine-checked contracts of the frame's core (Frama-C WP with z3): make prove, its test part and baseline.
PROVE_CPPFLAGS = -std=gnu11 -ffreestanding -nostdinc -isystem $(GCC_INCLUDE) -Iframe/include -Iframe -Iframe/arch/$(ARCH)/include
PROVE_ARGS = --build $(BUILD)/prove --cpp "$(PROVE_CPPFLAGS)"

.PHONY: prove prove-update test-prove

# Prints proved/total goals for each component and every goal left unproved.
prove:
	@python3 kit/prove/prove.py $(PROVE_ARGS)

# Records the goals proved now as the baseline (test/prove/proved-goals.txt).
prove-update:
	@python3 kit/prove/prove.py $(PROVE_ARGS) --update

TEST_PARTS += prove
test-prove:
	@python3 kit/prove/prove.py $(PROVE_ARGS) --results $(BUILD)/results/prove
