# make iso yields a GRUB multiboot2 ISO that boots Cadre from a CD-ROM to its banner.
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
# The command README gives, with the console to a file instead of the terminal.
timeout -k 5 180 qemu-system-x86_64 -machine q35 -cpu max -m 512M -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -display none -monitor none \
	-serial "file:$tmp/serial.log" -cdrom "$iso" </dev/null
rc=$?
echo "QEMU exit status $rc; serial console:"
cat -v "$tmp/serial.log" | tail -n 40
grep -aq "$cadre_banner_re" "$tmp/serial.log" || { echo "no banner matching '$cadre_banner_re' on the console"; exit 1; }
# The banner names the loader: this boot must have come through GRUB.
grep -aq "booted by multiboot2" "$tmp/serial.log" || { echo "the kernel was not booted by multiboot2"; exit 1; }
[ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || { echo "the ISO boot did not end (timeout)"; exit 1; }
