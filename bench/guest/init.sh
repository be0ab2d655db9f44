#!/bin/sh
# Benchmark /init: prints a boot marker at once, reports free memory, runs the benchmarks, powers off.
# The kernel command line word bench=idle|quick|full reaches us as $bench
# (both kernels pass unknown words to init's environment); idle stops after
# the memory figure, so boot-time samples cost little.
echo "BENCH-INIT"
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root LC_ALL=C TZ=UTC
mount -t proc proc /proc
# Right after boot, before anything here allocates: the idle-memory figure.
free_kib=$(sed -n 's/^MemFree: *\([0-9]*\) kB$/\1/p' /proc/meminfo)
[ -n "$free_kib" ] && echo "BENCH idle_memfree $free_kib KiB"
if [ "${bench:-full}" != idle ]; then
	mount -t devtmpfs devtmpfs /dev
	mount -t tmpfs tmpfs /tmp
	# Linux: the virtio and ext2 drivers are modules (Cadre has them built in); the disk's node follows its probe.
	if [ -f /lib/modules/order ]; then
		for m in $(cat /lib/modules/order); do
			[ -f /lib/modules/$m.ko ] && insmod /lib/modules/$m.ko 2>/dev/null
		done
		i=0
		while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	fi
	exec </dev/null
	[ "$bench" = quick ] && export BENCH_QUICK=1
	export BENCH_HELLO=/bench/hello BENCH_DIR=/bench
	echo "BENCH-BEGIN mode=${bench:-full}"
	for prog in /bench/micro/*; do
		timeout 300 "$prog" 2>&1 || echo "BENCH-PROGRAM-EXIT ${prog##*/} status=$?"
	done
	timeout 600 sh /bench/programs.sh 2>&1 || echo "BENCH-PROGRAM-EXIT programs status=$?"
	timeout 1200 sh /bench/disk.sh 2>&1 || echo "BENCH-PROGRAM-EXIT disk status=$?"
	echo "BENCH-END"
fi
poweroff -f
