# make iso yields a GRUB multiboot2 ISO that boots Cadre from a CD-ROM to its banner, under BIOS and under UEFI (OVMF).
set -u
. test/kit/banner.sh
tmp=$KIT_TEST_TMP
iso=build/x86_64/cadre.iso
rm -f "$iso"
make --no-print-directory iso || { echo "make iso failed"; exit 1; }
[ -s "$iso" ] || { echo "no $iso"; exit 1; }
cfg=build/x86_64/cadre.d/boot/grub/grub.cfg
cat "$cfg"
grep -q '^[[:space:]]*multiboot2 /boot/kernel.elf' "$cfg" || { echo "grub.cfg does not load the kernel with multiboot2"; exit 1; }
grep -qx 'set timeout=0' "$cfg" || { echo "grub.cfg waits"; exit 1; }
bad=0
# What the initramfs's /init prints once it runs (kit/initramfs/init), or the kernel without one.
user_space_re='ends the machine\|No working init found\|initramfs: none given'
# BOOT_NAME QEMU_FIRMWARE_ARGS...: the command README gives, console to a file.
boot_iso() {
	local name=$1 log=$tmp/$1.log rc
	shift
	timeout -k 5 90 qemu-system-x86_64 -machine q35 -cpu max -m 512M -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -display none -monitor none \
		-serial "file:$log" "$@" -cdrom "$iso" </dev/null &
	local pid=$!
	# GRUB that failed waits at its menu for ever: stop at its message instead
	# of at the timeout. A kernel that booted goes on into the initramfs's
	# interactive shell: stop once it has reached user space.
	local reached=0
	while kill -0 "$pid" 2>/dev/null; do
		if grep -aq 'Failed to boot' "$log" 2>/dev/null; then
			echo "$name: GRUB failed to boot the kernel"; bad=1
			kill "$pid"; break
		fi
		if grep -aq "$cadre_banner_re" "$log" 2>/dev/null &&
			grep -aq "$user_space_re" "$log" 2>/dev/null; then
			reached=1
			kill "$pid"; break
		fi
		sleep 0.5
	done
	wait "$pid"; rc=$?
	[ "$reached" = 1 ] && rc=0
	echo "$name: QEMU exit status $rc; serial console:"
	# GRUB redraws its menu with escapes after a failure: keep the readable lines.
	tr '\r' '\n' <"$log" | grep -av $'\e' | grep -v '^$' | tail -n 30
	grep -a 'error:' "$log" | tr -d '\r' | sed "s/^/$name: GRUB said: /"
	grep -aq "$cadre_banner_re" "$log" || { echo "$name: no banner matching '$cadre_banner_re'"; bad=1; }
	# The banner names the loader: this boot must have come through GRUB.
	grep -aq "booted by multiboot2" "$log" || { echo "$name: the kernel was not booted by multiboot2"; bad=1; }
	[ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || { echo "$name: the boot did not end (timeout)"; bad=1; }
}
boot_iso bios
ovmf=/usr/share/OVMF
cp "$ovmf/OVMF_VARS_4M.fd" "$tmp/vars.fd" || exit 1
boot_iso uefi -drive "if=pflash,format=raw,readonly=on,file=$ovmf/OVMF_CODE_4M.fd" \
	-drive "if=pflash,format=raw,file=$tmp/vars.fd"
exit $bad
