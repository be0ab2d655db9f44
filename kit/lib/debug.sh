# `kit debug`: boot the kernel paused in QEMU's gdb stub and attach gdb-multiarch with its symbols.

kit_debug_usage() {
	cat <<'U'
usage: kit debug [--batch] [--break SYMBOL] [--port N] [--no-build] [--initrd FILE|none]
Starts QEMU paused (-S) with its gdb stub on :1234 and the serial console in
build/debug-serial.log, then gdb-multiarch with the kernel's symbols, attached.
A hardware breakpoint (hbreak) is used: at reset paging is off, so gdb could
not write a software one at the kernel's higher-half address.
  --break SYMBOL  stop there first (batch default: kernel_main)
  --batch         no prompt: run to the breakpoint, print a backtrace, quit
  --port N        gdb stub port (default 1234; batch picks a free one)
U
}

# A TCP port nobody listens on, from /proc so that no extra tool is needed.
kit_debug_free_port() {
	local port hex
	while :; do
		port=$((20000 + RANDOM % 40000))
		printf -v hex ':%04X ' "$port"
		grep -q -- "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null || { echo "$port"; return; }
	done
}

# Wait (up to ~10 s) until something listens on the port: QEMU opens the stub
# before it pauses, but gdb must not race it.
kit_debug_wait_port() {
	local hex i
	printf -v hex ':%04X 00000000:0000 0A' "$1"
	local hex6
	printf -v hex6 ':%04X 00000000000000000000000000000000:0000 0A' "$1"
	for i in $(seq 100); do
		grep -qE -- "$hex|$hex6" /proc/net/tcp /proc/net/tcp6 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

kit_debug() {
	local batch='' brk='' port='' build=1 initrd=''
	while [ $# -gt 0 ]; do
		case $1 in
		--batch) batch=1 ;;
		--break) brk=${2:?--break needs a symbol}; shift ;;
		--port) port=${2:?--port needs a number}; shift ;;
		--no-build) build='' ;;
		--initrd) initrd=${2:?--initrd needs a file}; shift ;;
		-h | --help) kit_debug_usage; return 0 ;;
		*) kit_debug_usage >&2; return 2 ;;
		esac
		shift
	done
	kit_load_project
	kit_need "$KIT_QEMU" qemu-system-x86
	kit_need gdb-multiarch gdb-multiarch
	if [ -n "$build" ]; then kit_build >&2 || kit_die "build failed"; fi
	[ -f "$kit_kernel" ] || kit_die "no kernel at $kit_kernel"
	if [ -n "$batch" ]; then
		: "${brk:=kernel_main}" "${port:=$(kit_debug_free_port)}"
	else
		: "${port:=1234}"
	fi
	initrd=$(kit_pick_initrd "$initrd")
	local serial_log=$KIT_ROOT/build/debug-serial.log
	mkdir -p "$KIT_ROOT/build"
	local qemu=("$KIT_QEMU" "${kit_qemu_machine[@]}" -display none -monitor none
		-serial "file:$serial_log" -S -gdb "tcp:127.0.0.1:$port"
		-kernel "$kit_kernel" -append "$kit_cmdline")
	[ -z "$initrd" ] || qemu+=(-initrd "$initrd")
	"${qemu[@]}" </dev/null &
	local qemu_pid=$!
	# QEMU must not outlive the session, however gdb ends.
	trap "kill $qemu_pid 2>/dev/null; wait $qemu_pid 2>/dev/null" EXIT
	kit_debug_wait_port "$port" "$qemu_pid" || kit_die "QEMU's gdb stub did not come up on port $port"
	local gdb=(gdb-multiarch -q -nx
		-ex 'set architecture i386:x86-64'
		-ex "file $kit_kernel"
		-ex "target remote 127.0.0.1:$port")
	[ -z "$brk" ] || gdb+=(-ex "hbreak $brk")
	local rc=0
	if [ -n "$batch" ]; then
		# -batch quits after the commands; the timeout guards a breakpoint that
		# is never reached (the kernel would run on and gdb would wait forever).
		timeout -k 5 120 "${gdb[@]}" -batch -ex continue -ex bt </dev/null || rc=$?
	else
		kit_say "QEMU paused on port $port; serial console in $serial_log"
		[ -n "$brk" ] || kit_say "try: hbreak kernel_main, then continue"
		"${gdb[@]}" || rc=$?
	fi
	return "$rc"
}
