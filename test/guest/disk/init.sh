#!/bin/sh
# /disk/init.sh of the guest initramfs: one phase of the disk persistence test (test/guest/tools/persist) on /dev/vda, then power off.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=dumb LC_ALL=C TZ=UTC
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
# Linux: the virtio and ext2 drivers are modules (Cadre has them built in).
if [ -f /lib/modules/order ]; then
	for m in $(cat /lib/modules/order); do
		[ -f /lib/modules/$m.ko ] && insmod /lib/modules/$m.ko 2>/dev/null
	done
fi
i=0
while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
mkdir -p /mnt/disk
# The kernel passes phase=... from its command line in the environment.
case "$phase" in
write) . /disk/write.sh ;;
verify) . /disk/verify.sh ;;
walk) /disk/walk $(ls /dev/vd[a-z][0-9]*) ;;
*) echo "DISK-FAIL no phase given" ;;
esac
poweroff -f
