# The frame/services boundary check (kit/check), its fixture tests, and the TCB size report.
# Services are checked with the flags they are built with; the check drops -Werror itself.
CHECK_CFLAGS ?= $(SERVICE_CFLAGS)
# UNSAFE(reason) exceptions allowed in kernel/: zero, and raising it is a visible decision.
CHECK_MAX_UNSAFE ?= 0
CHECK_ARGS = --build $(BUILD)/check $(if $(strip $(CHECK_CFLAGS)),--cflags "$(CHECK_CFLAGS)")

.PHONY: check test-check tcb

# Fails with file:line: rule: message; the TCB line is printed either way.
check:
	@status=0; python3 kit/check/check.py . $(CHECK_ARGS) --max-unsafe $(CHECK_MAX_UNSAFE) || status=$$?; \
	python3 kit/check/tcb.py --short .; exit $$status

tcb:
	@python3 kit/check/tcb.py .

TEST_PARTS += check
test-check:
	@python3 test/check/run_fixtures.py --build $(BUILD)/check-fixtures --results $(BUILD)/results/check \
		$(if $(strip $(CHECK_CFLAGS)),--cflags "$(CHECK_CFLAGS)")
