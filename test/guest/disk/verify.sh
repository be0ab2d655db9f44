# The verify phase: everything the write phase did is on the disk; then more writes, a clean unmount and a remount.
bad=0
fail() { echo "DISK-FAIL $*"; bad=1; }
check_all() {
	d=/mnt/disk
	[ "$(cat $d/a/moved/f)" = hello ] || fail "a/moved/f"
	[ ! -e $d/a/b/c ] || fail "a/b/c still there"
	n=0
	i=0
	while [ $i -lt 60 ]; do
		if [ $((i % 3)) = 0 ]; then
			[ ! -e $d/a/s$i ] || fail "a/s$i not removed"
		else
			[ "$(cat $d/a/s$i)" = "small $i" ] || fail "a/s$i"
			n=$((n + 1))
		fi
		i=$((i + 1))
	done
	[ $n = 40 ] || fail "small files: $n"
	yes "the quick brown fox 0123456789" | head -c 3000000 | cmp - $d/big || fail "big"
	[ "$(stat -c %h $d/big)" = $links ] || fail "big nlink"
	[ $links = 1 ] || cmp $d/big $d/big.link || fail "big.link"
	[ "$(stat -c %s $d/sparse)" = 70000001 ] || fail "sparse size"
	[ "$(tail -c 1 $d/sparse)" = X ] || fail "sparse byte"
	[ "$(stat -c %b $d/sparse)" -lt 64 ] || fail "sparse blocks $(stat -c %b $d/sparse)"
	[ "$(readlink $d/fastlink)" = a/b/c/f ] || fail "fastlink"
	[ "$(readlink $d/slowlink)" = "$(yes x | head -n 200 | tr -d '\n')" ] || fail "slowlink"
	[ ! -e $d/gone ] || fail "gone"
	yes t | head -c 5000 | cmp - $d/trunc || fail "trunc"
	[ -p $d/fifo ] || fail "fifo"
	[ "$(stat -c %a $d/a/b)" = 600 ] || fail "a/b mode"
	[ "$(stat -c %u:%g $d/big)" = 1:2 ] || fail "big owner"
	[ "$(stat -c %Y $d/a/moved/f)" = 981173100 ] || fail "a/moved/f mtime"
}
mount -t ext2 /dev/vda /mnt/disk || fail "mount"
links=2
check_all
echo more >/mnt/disk/more
rm /mnt/disk/big.link
umount /mnt/disk || fail "umount"
mount -t ext2 /dev/vda /mnt/disk || fail "remount"
links=1
check_all
[ "$(cat /mnt/disk/more)" = more ] || fail "more"
umount /mnt/disk || fail "final umount"
[ $bad = 0 ] && echo "DISK-VERIFY-OK"
