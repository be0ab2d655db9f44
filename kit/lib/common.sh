# Shared helpers of the kit: messages, finding the project, asking it what to build and boot, QEMU's machine.

kit_say() { printf 'kit: %s\n' "$*" >&2; }
kit_die() { printf 'kit: error: %s\n' "$*" >&2; exit 2; }

# A project is a directory whose make knows `kit-info`: Cadre's own tree
# (mk/kit.mk defines it) or one made by `kit new` (its Makefile does). Walking
# up from the current directory lets every subcommand work from anywhere inside.
kit_find_root() {
	local dir
	dir=$(pwd -P)
	while :; do
		if [ -f "$dir/mk/kit.mk" ] && [ -f "$dir/Makefile" ]; then
			printf '%s\n' "$dir"
			return 0
		fi
		if [ -f "$dir/Makefile" ] && grep -q '^kit-info:' "$dir/Makefile"; then
			printf '%s\n' "$dir"
			return 0
		fi
		[ "$dir" = / ] && return 1
		dir=$(dirname "$dir")
	done
}

# make in the project, quiet about directories; adds -j when the caller gave
# none, because the kit is the front door and a serial build wastes a core.
kit_make() {
	local jobs=()
	case " ${MAKEFLAGS:-} " in
	*j*) ;;
	*) jobs=(-j"$(nproc 2>/dev/null || echo 1)") ;;
	esac
	make --no-print-directory -C "$KIT_ROOT" "${jobs[@]}" "$@"
}

# True when the project's make has a rule for target $1 (without building it).
kit_has_target() {
	make --no-print-directory -C "$KIT_ROOT" -n "$1" >/dev/null 2>&1
}

# Load the project: KIT_ROOT and the kit_* variables printed by `make kit-info`
# (key=value lines), so paths and test parts have one source: the makefiles.
kit_load_project() {
	KIT_ROOT=$(kit_find_root) ||
		kit_die "not inside a kit project (no Makefile with kit-info above $(pwd)); run 'kit new DIR' to make one"
	local info line key value
	info=$(make --no-print-directory -s -C "$KIT_ROOT" kit-info) ||
		kit_die "'make kit-info' failed in $KIT_ROOT"
	kit_kernel='' kit_initrd='' kit_test_parts='' kit_packages='' kit_iso='' kit_results='' kit_name='' kit_cmdline=''
	while IFS= read -r line; do
		key=${line%%=*} value=${line#*=}
		case $key in
		kernel | initrd | test_parts | packages | iso | results | name | cmdline)
			printf -v "kit_$key" '%s' "$value" ;;
		esac
	done <<<"$info"
	[ -n "$kit_kernel" ] || kit_die "'make kit-info' in $KIT_ROOT named no kernel"
	kit_kernel=$(kit_abs "$kit_kernel")
	[ -z "$kit_initrd" ] || kit_initrd=$(kit_abs "$kit_initrd")
	[ -z "$kit_iso" ] || kit_iso=$(kit_abs "$kit_iso")
	kit_results=$(kit_abs "${kit_results:-build/results}")
	[ -z "$kit_packages" ] || kit_packages=$(kit_abs "$kit_packages")
	: "${kit_name:=$(basename "$KIT_ROOT")}"
	: "${kit_cmdline:=console=ttyS0}"
}

# Paths from kit-info are relative to the project root unless absolute.
kit_abs() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s\n' "$KIT_ROOT/$1" ;;
	esac
}

# Build the kernel, and the initramfs when the project has a rule for it; an
# initramfs file that exists without a rule is used as it is.
kit_build() {
	kit_make all || return 1
	if kit_has_target initramfs; then
		kit_make initramfs || return 1
	fi
	[ -f "$kit_kernel" ] || { kit_say "build made no kernel at $kit_kernel"; return 1; }
}

# The initrd to boot with: an explicit choice, else the project's if it exists.
kit_pick_initrd() {
	if [ -n "${1:-}" ]; then
		[ "$1" = none ] || printf '%s\n' "$1"
	elif [ -n "$kit_initrd" ] && [ -f "$kit_initrd" ]; then
		printf '%s\n' "$kit_initrd"
	fi
}

# The machine every kit boot uses; kept identical to kit/boot-qemu's so a run
# by hand behaves like the test runs (q35, -cpu max under TCG, 512M, one CPU,
# isa-debug-exit for verdicts, a reboot ends QEMU instead of looping).
KIT_QEMU=qemu-system-x86_64
kit_qemu_machine=(-machine q35 -cpu max -m 512M -smp 1 -no-reboot
	-device isa-debug-exit,iobase=0xf4,iosize=0x04)

kit_need() {
	command -v "$1" >/dev/null 2>&1 || kit_die "$1 not found; run 'kit setup' (package $2)"
}
