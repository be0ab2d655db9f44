# `kit test`: set up, build, run every test part of the project and sum their results into "N passed, N failed".

kit_test_usage() {
	cat <<'U'
usage: kit test [--no-setup] [PART...]
Runs 'kit setup', builds, then 'make test-PART' for each part (default: all
of the project's TEST_PARTS), going on after a failing part. Each part writes
build/results/PART = "PASSED FAILED SKIPPED"; a part that writes none or a
malformed one counts as one failure, as does a part that exits non-zero while
reporting no failure, and a failed setup or build. The last line printed is
"N passed, N failed" (", N skipped" when any were); exit 1 if any failed.
U
}

kit_test() {
	local setup=1 parts=()
	while [ $# -gt 0 ]; do
		case $1 in
		--no-setup) setup='' ;;
		-h | --help) kit_test_usage; return 0 ;;
		-*) kit_test_usage >&2; return 2 ;;
		*) parts+=("$1") ;;
		esac
		shift
	done
	kit_load_project
	[ ${#parts[@]} -gt 0 ] || read -ra parts <<<"$kit_test_parts"
	local passed=0 failed=0 skipped=0 summary=() t0 t
	t0=$SECONDS
	if [ -n "$setup" ]; then
		if ! (kit_setup); then
			failed=$((failed + 1))
			summary+=("setup: FAILED")
		fi
	fi
	t=$SECONDS
	if kit_make all; then
		summary+=("build: ok ($((SECONDS - t))s)")
	else
		failed=$((failed + 1))
		summary+=("build: FAILED ($((SECONDS - t))s)")
	fi
	mkdir -p "$kit_results"
	local part file rc p f s line extra
	for part in "${parts[@]}"; do
		file=$kit_results/$part
		# A stale file from an earlier run must not stand in for this one.
		rm -f "$file"
		kit_say "test: part $part"
		t=$SECONDS rc=0
		make --no-print-directory -C "$KIT_ROOT" "test-$part" || rc=$?
		line=''
		[ -f "$file" ] && line=$(head -n 1 "$file")
		if [[ $line =~ ^[[:space:]]*([0-9]+)[[:space:]]+([0-9]+)[[:space:]]+([0-9]+)[[:space:]]*$ ]]; then
			p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]} extra=''
			if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
				f=1 extra=" (exit status $rc with no failure reported)"
			fi
		else
			p=0 f=1 s=0
			if [ -f "$file" ]; then extra=" (malformed results: '$line')"; else extra=" (no results file; exit status $rc)"; fi
		fi
		passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
		summary+=("$(printf '%-8s %5d pass %5d fail %5d skip  %4ds%s' "$part:" "$p" "$f" "$s" $((SECONDS - t)) "$extra")")
	done
	echo
	echo "kit: test summary ($((SECONDS - t0))s)"
	printf '  %s\n' "${summary[@]}"
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ]
}
