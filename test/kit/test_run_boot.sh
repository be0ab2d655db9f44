# kit run builds and boots Cadre (qemu -kernel) to its banner, and QEMU returns 0 when the kernel powers off.
set -u
. test/kit/banner.sh
tmp=$KIT_TEST_TMP
kit/kit run --initrd none --log "$tmp/serial.log" --timeout 180; rc=$?
echo "QEMU exit status $rc; serial console:"
tail -n 40 "$tmp/serial.log"
grep -aq "$cadre_banner_re" "$tmp/serial.log" || { echo "no banner matching '$cadre_banner_re'"; exit 1; }
[ "$rc" -eq 0 ] || { echo "kit run exited $rc, want 0 (power-off)"; exit 1; }
