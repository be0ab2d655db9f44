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
	exec </dev/null
	[ "$bench" = quick ] && export BENCH_QUICK=1
	export BENCH_HELLO=/bench/hello BENCH_DIR=/bench
	echo "BENCH-BEGIN mode=${bench:-full}"
	for prog in /bench/micro/*; do
		timeout 300 "$prog" 2>&1 || echo "BENCH-PROGRAM-EXIT ${prog##*/} status=$?"
	done
	timeout 600 sh /bench/programs.sh 2>&1 || echo "BENCH-PROGRAM-EXIT programs status=$?"
	echo "BENCH-END"
fi
poweroff -f
