#!/busybox sh
# /init of the debian test part: mounts what Linux programs expect, runs each session with Debian's own shell, powers off.
export PATH=/usr/bin:/usr/sbin HOME=/root TERM=dumb LC_ALL=C TZ=UTC
/busybox mount -t proc proc /proc
/busybox mount -t devtmpfs devtmpfs /dev
/busybox mount -t tmpfs tmpfs /tmp
/busybox mkdir -p /dev/shm && /busybox mount -t tmpfs tmpfs /dev/shm
/busybox mount -t sysfs sysfs /sys
exec </dev/null
echo "DEBIAN-BEGIN"
echo "SESSION-TIME start $(/busybox cut -d" " -f1 /proc/uptime)"
# Sessions run in a scratch directory; their output goes through a pipe so no program adapts it to a terminal.
for s in /sessions/*.sh; do
	name=${s##*/}
	name=${name%.sh}
	/busybox rm -rf /tmp/session && /busybox mkdir /tmp/session
	echo "SESSION-BEGIN $name"
	(cd /tmp/session && /busybox timeout 120 /usr/bin/dash "$s" 2>&1 | /busybox cat)
	echo "SESSION-END $name status=$?"
	echo "SESSION-TIME $name $(/busybox cut -d' ' -f1 /proc/uptime)"
done
echo "DEBIAN-END"
/busybox poweroff -f
