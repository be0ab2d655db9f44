# `kit disk`: an ext2 disk image made from a directory with Debian's e2fsprogs (mke2fs -d), checked by e2fsck.

kit_disk_usage() {
	cat <<'U'
usage: kit disk [--size SIZE] [--block-size 1024|2048|4096] DIR IMG
Makes IMG, a raw disk image holding an ext2 file system with the files of
DIR (owners root, modes and times as in DIR, symlinks, hard links, device
nodes when DIR has them), then checks it with e2fsck -fn. SIZE is in
mke2fs's units (16M, 1G; default: twice what DIR holds, at least 16M).
Boot it as the root file system with:
  kit run --initrd none --disk IMG --append "root=/dev/vda"
or attach it beside an initramfs with --disk (vda, vdb, ... in order).
U
}

kit_disk() {
	local size='' bs=4096
	while [ $# -gt 0 ]; do
		case $1 in
		--size) size=${2:?--size needs a size}; shift ;;
		--block-size) bs=${2:?--block-size needs 1024, 2048 or 4096}; shift ;;
		-h | --help) kit_disk_usage; return 0 ;;
		-*) kit_disk_usage >&2; return 2 ;;
		*) break ;;
		esac
		shift
	done
	[ $# -eq 2 ] || { kit_disk_usage >&2; return 2; }
	local dir=$1 img=$2
	kit_need mke2fs e2fsprogs
	kit_need e2fsck e2fsprogs
	[ -d "$dir" ] || kit_die "$dir is not a directory"
	case $bs in 1024 | 2048 | 4096) ;; *) kit_die "block size $bs: 1024, 2048 or 4096" ;; esac
	if [ -z "$size" ]; then
		local kib
		kib=$(du -sk --apparent-size "$dir" | cut -f1)
		kib=$((kib * 2 + 4096))
		[ "$kib" -ge 16384 ] || kib=16384
		size=${kib}k
	fi
	rm -f "$img"
	mke2fs -q -F -t ext2 -b "$bs" -E root_owner=0:0 -d "$dir" "$img" "$size" ||
		kit_die "mke2fs could not make $img from $dir"
	e2fsck -fn "$img" >/dev/null 2>&1 || kit_die "e2fsck -fn finds $img unclean"
	kit_say "$img: ext2 ($size, $bs-byte blocks) from $dir"
}
