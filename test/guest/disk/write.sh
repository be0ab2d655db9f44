# The write phase: a workload on the ext2 disk, sync, then wait to be killed (no unmount).
mount -t ext2 /dev/vda /mnt/disk || echo "DISK-FAIL mount"
cd /mnt/disk
mkdir -p a/b/c
echo hello >a/b/c/f
i=0
while [ $i -lt 60 ]; do echo "small $i" >a/s$i; i=$((i + 1)); done
i=0
while [ $i -lt 60 ]; do rm a/s$i; i=$((i + 3)); done
yes "the quick brown fox 0123456789" | head -c 3000000 >big
printf X | dd of=sparse bs=1 seek=70000000 conv=notrunc 2>/dev/null
ln big big.link
ln -s a/b/c/f fastlink
ln -s "$(yes x | head -n 200 | tr -d '\n')" slowlink
mv a/b/c a/moved
mkdir gone
rmdir gone
yes t | head -c 100000 >trunc
truncate -s 5000 trunc
mknod fifo p
chmod 600 a/b
chown 1:2 big
touch -t 200102030405 a/moved/f
cd /
sync
echo "DISK-SYNCED"
# The host kills the machine now, as a power cut would.
while :; do sleep 1; done
