#!/bin/sh
# Disk benchmarks on an ext2 file system on /dev/vda (an empty image run-bench attaches): BENCH lines in ms.
# usage: disk.sh [--list]     BENCH_QUICK=1 shrinks sizes and repetitions
# Reads start cold: the file system is unmounted and mounted again first,
# which drops its pages on both kernels.
if [ "${1:-}" = --list ]; then
	printf 'disk_write_256MiB\tms\tdd of 256 MiB (1 MiB writes) to a new ext2 file, then sync\n'
	printf 'disk_write_fsync_256MiB\tms\tthe same with fsync at the end (conv=fsync) instead of sync\n'
	printf 'disk_read_256MiB\tms\tcold sequential read of the 256 MiB file (remount first)\n'
	printf 'disk_randread_4KiB\tms\t2000 cold random 4 KiB preads of the 256 MiB file\n'
	printf 'disk_create_fsync_1000\tms\t1000 files of 100 bytes, each written and fsync-ed\n'
	printf 'disk_untar\tms\ttar -x of a busybox-sized tree (the initramfs /bin, /bench, generated text), then sync\n'
	printf 'disk_du\tms\tcold du -s of the untarred tree (remount first)\n'
	exit 0
fi
bin=${BENCH_DIR:-/bench}
tmp=${BENCH_TMP:-/tmp}
mnt=/mnt/bench
if [ ! -b /dev/vda ]; then
	echo "BENCH-FAIL disk: no /dev/vda"
	exit 1
fi
if [ "${BENCH_QUICK:-0}" != 0 ]; then
	reps=1 mib=4 reads=100 files=50 text=$((256 * 1024))
else
	reps=3 mib=256 reads=2000 files=1000 text=$((4 * 1024 * 1024))
fi
mkdir -p $mnt
mount -t ext2 /dev/vda $mnt || { echo "BENCH-FAIL disk: mount"; exit 1; }
remount="umount $mnt && mount -t ext2 /dev/vda $mnt"
rc=0
"$bin/runcmd" disk_write_256MiB $reps sh -c \
	"rm -f $mnt/seq; dd if=/dev/zero of=$mnt/seq bs=1M count=$mib 2>/dev/null && sync" || rc=1
"$bin/runcmd" disk_write_fsync_256MiB $reps sh -c \
	"rm -f $mnt/seq; sync; dd if=/dev/zero of=$mnt/seq bs=1M count=$mib conv=fsync 2>/dev/null" || rc=1
"$bin/runcmd" disk_read_256MiB $reps sh -c "$remount && cat $mnt/seq >/dev/null" || rc=1
"$bin/runcmd" disk_randread_4KiB $reps sh -c "$remount && $bin/diskio randread $mnt/seq $reads 12345" || rc=1
"$bin/runcmd" disk_create_fsync_1000 $reps sh -c \
	"rm -rf $mnt/small && mkdir $mnt/small && $bin/diskio smallfiles $mnt/small $files" || rc=1
# The tree: what the initramfs holds (busybox and its links, the benchmarks) and some text files.
mkdir -p $tmp/tree/text
"$bin/gen" text $text >$tmp/tree/text/all || rc=1
(cd $tmp/tree/text && split -b 16384 all part && rm all)
cp -a /bin /bench $tmp/tree/ 2>/dev/null
(cd $tmp && tar -cf $tmp/tree.tar tree) || rc=1
rm -rf $tmp/tree
"$bin/runcmd" disk_untar $reps sh -c "rm -rf $mnt/untar && mkdir $mnt/untar && tar -xf $tmp/tree.tar -C $mnt/untar && sync" || rc=1
"$bin/runcmd" disk_du $reps sh -c "$remount && du -s $mnt/untar >/dev/null" || rc=1
rm -f $tmp/tree.tar
umount $mnt || rc=1
exit $rc
