#!/bin/sh
# Whole-program benchmarks: a busybox shell loop, gzip of generated text, sort of generated lines (BENCH lines in ms).
# usage: programs.sh [--list]     BENCH_QUICK=1 shrinks inputs and repetitions
# Inputs come from /bench/gen, so both kernels see the same bytes; they live in
# /tmp (tmpfs) and are made before timing starts.
if [ "${1:-}" = --list ]; then
	printf 'shell_loop\tms\tbusybox sh: 2000 iterations of arithmetic, test and echo to /dev/null\n'
	printf 'gzip_16MiB\tms\tbusybox gzip -6 of 16 MiB of generated text to /dev/null\n'
	printf 'sort_1M_lines\tms\tbusybox sort of 1M generated lines to /dev/null\n'
	exit 0
fi
bin=${BENCH_DIR:-/bench}
tmp=${BENCH_TMP:-/tmp}
# Quick mode only proves that each program yields a figure: small inputs, one run.
if [ "${BENCH_QUICK:-0}" != 0 ]; then
	reps=1 loop=200 text=$((1024 * 1024)) lines=20000
else
	reps=3 loop=2000 text=$((16 * 1024 * 1024)) lines=1000000
fi
rc=0
"$bin/runcmd" shell_loop $reps sh -c \
	"i=0; while [ \$i -lt $loop ]; do i=\$((i + 1)); echo \$i >/dev/null; done" || rc=1
"$bin/gen" text $text >"$tmp/bench-text" || { echo "BENCH-FAIL gzip_16MiB: gen"; rc=1; }
"$bin/runcmd" gzip_16MiB $reps sh -c "gzip -6 -c '$tmp/bench-text' >/dev/null" || rc=1
rm -f "$tmp/bench-text"
"$bin/gen" lines $lines >"$tmp/bench-lines" || { echo "BENCH-FAIL sort_1M_lines: gen"; rc=1; }
"$bin/runcmd" sort_1M_lines $reps sh -c "sort '$tmp/bench-lines' >/dev/null" || rc=1
rm -f "$tmp/bench-lines"
exit $rc
