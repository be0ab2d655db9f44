# kit disk makes an ext2 image of a directory that e2fsck finds clean, and kit run boots Cadre from it (root=/dev/vda, no initramfs).
set -u
tmp=$KIT_TEST_TMP
tree=$tmp/disk-tree
mkdir -p "$tree/bin" "$tree/sbin" "$tree/dev" "$tree/proc"
cp /bin/busybox "$tree/bin/"
cat >"$tree/sbin/init" <<'I'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox cat /etc/greeting
/bin/busybox touch /written 2>/dev/null || echo "root is read-only"
/bin/busybox poweroff -f
I
chmod 755 "$tree/sbin/init"
mkdir -p "$tree/etc" && echo "hello from the disk" >"$tree/etc/greeting"
kit/kit disk "$tree" "$tmp/root.img" || { echo "kit disk failed"; exit 1; }
e2fsck -fn "$tmp/root.img" >/dev/null 2>&1 || { echo "e2fsck -fn: not clean"; exit 1; }
kit/kit run --no-build --initrd none --disk "$tmp/root.img" --append "root=/dev/vda" \
	--log "$tmp/disk-serial.log" --timeout 180
rc=$?
echo "QEMU exit status $rc; serial console:"
tail -n 20 "$tmp/disk-serial.log"
grep -aq "^hello from the disk" "$tmp/disk-serial.log" || { echo "init on the disk did not run"; exit 1; }
grep -aq "^root is read-only" "$tmp/disk-serial.log" || { echo "root was not mounted read-only"; exit 1; }
[ "$rc" -eq 0 ] || { echo "kit run exited $rc, want 0 (power-off)"; exit 1; }
