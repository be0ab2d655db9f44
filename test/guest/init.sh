#!/bin/sh
# Guest conformance runner, /init of the test initramfs: runs every test program and session, then powers off.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=dumb LC_ALL=C TZ=UTC
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /dev/shm
mount -t sysfs sysfs /sys
# Linux: the virtio and ext2 drivers are modules (Cadre has them built in, and no insmod).
if [ -f /lib/modules/order ]; then
	for m in $(cat /lib/modules/order); do
		[ -f /lib/modules/$m.ko ] && insmod /lib/modules/$m.ko 2>/dev/null
	done
fi
# vnet=N on the command line: the host-to-guest network test (test/vnet/run) instead of the suite.
if [ -n "${vnet:-}" ]; then
	exec sh /vnet.sh
fi
# The disk's node appears once its driver probed it.
i=0
while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -b /dev/vda ] || echo "GUEST-WARNING: no /dev/vda"
# Programs get no controlling terminal and no inherited oddities: stdin is /dev/null.
exec </dev/null
set -o pipefail
echo "GUEST-BEGIN"
for variant in musl glibc; do
	for prog in /tests/$variant/*; do
		timeout 300 "$prog" 2>&1 | tee -a /tmp/guest-results
		rc=$?
		[ $rc -eq 0 ] || echo "PROGRAM-EXIT $variant/${prog##*/} status=$rc"
	done
done
# The ext2 round: some areas' cases again, their working directories on an ext2 disk (vdh1).
if [ -s /tests/ext2-round ] && mkdir -p /mnt/ext2-round && mount -t ext2 /dev/vdh1 /mnt/ext2-round; then
	for variant in musl glibc; do
		for area in $(cat /tests/ext2-round); do
			GT_ROUND=ext2 GT_SCRATCH=/mnt/ext2-round timeout 300 /tests/$variant/$area 2>&1 |
				tee -a /tmp/guest-results
		done
	done
	umount /mnt/ext2-round || echo "GUEST-WARNING: the ext2 round's disk did not unmount"
else
	echo "GUEST-WARNING: no ext2 round (vdh1 did not mount)"
fi
# Sessions run in a scratch directory with a fixed environment; output is delimited for the host.
# Their stdout is a pipe, not the console, so no applet adapts its output to a terminal.
for s in /sessions/*.sh; do
	name=${s##*/}
	name=${name%.sh}
	rm -rf /tmp/session && mkdir /tmp/session
	echo "SESSION-BEGIN $name"
	(cd /tmp/session && timeout 60 sh "$s" 2>&1 | cat)
	echo "SESSION-END $name status=$?"
done
echo "SUMMARY passed=$(grep -c '^CASE PASS' /tmp/guest-results) failed=$(grep -c '^CASE FAIL' /tmp/guest-results) (sessions are compared on the host)"
echo "GUEST-END"
poweroff -f
