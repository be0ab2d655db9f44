#!/bin/sh
# /init of the out-of-memory run: the OOM cases alone in a small machine, then power-off.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=dumb LC_ALL=C
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
exec </dev/null
echo "OOM-BEGIN mem_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
/bin/oom 2>&1
echo "OOM-END status=$?"
poweroff -f
