# kit debug --batch attaches gdb to the paused kernel, stops at kernel_main and prints a backtrace naming it.
set -u
out=$(timeout -k 5 300 kit/kit debug --batch 2>&1); rc=$?
echo "$out"
echo "kit debug exit status $rc"
grep -Eq '^#0 .*kernel_main' <<<"$out" || { echo "no backtrace frame #0 in kernel_main"; exit 1; }
# QEMU must be gone once gdb is: the kit kills it on the way out.
sleep 1
# /proc rather than pgrep (procps is not on a minimal Debian); "lo[g]" keeps
# grep from finding its own command line.
if grep -lsaE "file:$PWD/build/debug-serial\.lo[g]" /proc/[0-9]*/cmdline >/dev/null; then
	echo "QEMU left running after kit debug"; exit 1
fi
