# `kit run`: build the project's kernel and boot it in QEMU with the serial console on this terminal.

kit_run_usage() {
	cat <<'U'
usage: kit run [options] [-- QEMU-ARGS...]
Builds, then boots the kernel (qemu -kernel) with the serial port on this
terminal; QEMU exits when the kernel powers off (Ctrl-A x quits by hand).
  --no-build        boot what is already built
  --initrd FILE     boot with this initrd; 'none' for none (default: the
                    project's initramfs if it has one)
  --append ARGS     extra kernel command line (after console=ttyS0)
  --iso             boot the ISO from 'kit iso' as a CD-ROM instead
  --disk IMG        attach a raw disk image as virtio-blk (repeatable:
                    vda, vdb, ... in order); 'kit disk' makes ext2 ones
  --log FILE        serial console to FILE instead of the terminal
  --timeout SECS    kill QEMU after SECS (exit status 124)
Exit status is QEMU's: 0 after a power-off; 2N+1 when the kernel wrote N to
the isa-debug-exit port (0xf4); 124 on timeout.
U
}

kit_run() {
	local build=1 initrd='' append='' iso='' log='' timeout_s='' extra=() disks=()
	while [ $# -gt 0 ]; do
		case $1 in
		--no-build) build='' ;;
		--initrd) initrd=${2:?--initrd needs a file}; shift ;;
		--append) append=${2?--append needs arguments}; shift ;;
		--iso) iso=1 ;;
		--log) log=${2:?--log needs a file}; shift ;;
		--disk)
			[ -f "${2:-}" ] || kit_die "--disk needs an image file"
			disks+=(-drive "file=$2,format=raw,if=none,id=disk${#disks[@]}"
				-device "virtio-blk-pci,drive=disk${#disks[@]}")
			shift ;;
		--timeout) timeout_s=${2:?--timeout needs seconds}; shift ;;
		--) shift; extra=("$@"); break ;;
		-h | --help) kit_run_usage; return 0 ;;
		*) kit_run_usage >&2; return 2 ;;
		esac
		shift
	done
	kit_load_project
	kit_need "$KIT_QEMU" qemu-system-x86
	if [ -n "$iso" ]; then
		if [ -n "$build" ]; then kit_iso >&2 || return 1; fi
		[ -f "$kit_iso" ] || kit_die "no ISO at $kit_iso; run 'kit iso'"
		set -- -cdrom "$kit_iso"
	else
		if [ -n "$build" ]; then kit_build >&2 || kit_die "build failed"; fi
		[ -f "$kit_kernel" ] || kit_die "no kernel at $kit_kernel; run 'kit build'"
		initrd=$(kit_pick_initrd "$initrd")
		set -- -kernel "$kit_kernel" -append "$kit_cmdline${append:+ $append}"
		if [ -n "$initrd" ]; then
			[ -f "$initrd" ] || kit_die "initrd $initrd not found"
			set -- "$@" -initrd "$initrd"
		fi
	fi
	# mon:stdio multiplexes QEMU's monitor onto the serial terminal (Ctrl-A c),
	# so a hung kernel can still be inspected or quit without another window.
	local console=(-serial mon:stdio)
	[ -z "$log" ] || console=(-serial "file:$log" -monitor none)
	local cmd=("$KIT_QEMU" "${kit_qemu_machine[@]}" -display none "${console[@]}" "$@" "${disks[@]}"
		"${extra[@]}")
	[ -z "$timeout_s" ] || cmd=(timeout -k 5 "$timeout_s" "${cmd[@]}")
	[ -n "$log" ] || kit_say "booting $kit_name (Ctrl-A x quits QEMU)"
	local rc=0
	"${cmd[@]}" || rc=$?
	return "$rc"
}
