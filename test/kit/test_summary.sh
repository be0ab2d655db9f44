# kit test sums the parts' results, counts missing/malformed/lying parts as failures, and ends with the plain line.
set -u
. test/kit/fake_project.sh
kit=$PWD/kit/kit
tmp=$KIT_TEST_TMP
: >"$tmp/no-packages.txt"
bad=0
expect() { # NAME EXPECTED_LAST_LINE EXPECTED_STATUS(0|nonzero) OUTPUT_FILE STATUS
	local last
	last=$(tail -n 1 "$4")
	if [ "$last" != "$2" ]; then echo "$1: last line '$last', want '$2'"; bad=1; fi
	if [ "$3" = 0 ] && [ "$5" -ne 0 ]; then echo "$1: exit $5, want 0"; bad=1; fi
	if [ "$3" != 0 ] && [ "$5" -eq 0 ]; then echo "$1: exit 0, want failure"; bad=1; fi
}

fake_project "$tmp/mixed" "$tmp/no-packages.txt" a="3 0 1" b="1 2 0" c=none d=garbage e=liar
# A stale result from an earlier run must not count for a part that writes none now.
mkdir -p "$tmp/mixed/build/results" && echo "9 0 0" >"$tmp/mixed/build/results/c"
rc=0; (cd "$tmp/mixed" && "$kit" test) >"$tmp/mixed.out" 2>&1 || rc=$?
cat "$tmp/mixed.out"
expect mixed "5 passed, 5 failed, 1 skipped" nonzero "$tmp/mixed.out" "$rc"

fake_project "$tmp/good" "$tmp/no-packages.txt" a="3 0 0" b="2 0 0"
rc=0; (cd "$tmp/good" && "$kit" test) >"$tmp/good.out" 2>&1 || rc=$?
cat "$tmp/good.out"
expect good "5 passed, 0 failed" 0 "$tmp/good.out" "$rc"

# A broken build is a failure even when every part then passes.
fake_project "$tmp/broken" "$tmp/no-packages.txt" build=fail a="1 0 0"
rc=0; (cd "$tmp/broken" && "$kit" test) >"$tmp/broken.out" 2>&1 || rc=$?
cat "$tmp/broken.out"
expect broken "1 passed, 1 failed" nonzero "$tmp/broken.out" "$rc"
exit $bad
