#!/bin/sh
# /init of the fuzz run: a warm-up, the memory baseline, the fuzzer for FUZZ_SECONDS with FUZZ_SEED, the memory figures again, power-off.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=dumb LC_ALL=C
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /dev/shm
mount -t sysfs sysfs /sys
exec </dev/null
seconds=${FUZZ_SECONDS:-60}
seed=${FUZZ_SEED:-1}
# Free memory, kernel stacks and live kmalloc objects, as the kernel reports them.
memstat() {
	free=$(awk '/^MemFree:/ { print $2 }' /proc/meminfo)
	stacks=$(awk '/^KernelStack:/ { print $2 }' /proc/meminfo)
	tables=$(awk '/^PageTables:/ { print $2 }' /proc/meminfo)
	committed=$(awk '/^Committed_AS:/ { print $2 }' /proc/meminfo)
	objects=$(awk 'NR > 2 { n += $2 } END { print n + 0 }' /proc/slabinfo)
	echo "FUZZ-MEM $1 free_kb=$free stack_kb=$stacks pgtable_kb=$tables heap_objects=$objects committed_kb=$committed"
}
echo "FUZZ-BEGIN seconds=$seconds seed=$seed"
# The warm-up fills what the kernel keeps on purpose (slab caches, page
# tables of the stack area, sanitizer shadow of stack slots) before the baseline.
/bin/fuzz -t 3 -s "$seed" >/dev/null
rm -rf /tmp/fuzz /dev/shm/*
memstat before
if [ -n "${FUZZ_FAULTS:-}" ]; then
	# The sweep: for each period N, every N-th kernel allocation fails while the fuzzer runs.
	for n in $(echo "$FUZZ_FAULTS" | tr ',' ' '); do
		# The fuzzer arms it once started and disarms it before it ends (a shell would not survive a failed fork).
		/bin/fuzz -t "$seconds" -s "$seed" -F "$n"
		echo "FUZZ-EXIT status=$?"
		rm -rf /tmp/fuzz /dev/shm/*
		echo "FUZZ-FAULTS every=$n failures=$(cat /proc/sys/debug/fail_alloc_failures)"
	done
else
	/bin/fuzz -t "$seconds" -s "$seed"
	echo "FUZZ-EXIT status=$?"
fi
rm -rf /tmp/fuzz /dev/shm/*
memstat after
echo FUZZ-END
poweroff -f
