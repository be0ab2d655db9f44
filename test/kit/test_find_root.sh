# The kit finds its project from any subdirectory, and refuses clearly outside any project.
set -u
. test/kit/fake_project.sh
kit=$PWD/kit/kit
tmp=$KIT_TEST_TMP
bad=0
: >"$tmp/none.txt"
fake_project "$tmp/proj" "$tmp/none.txt" a="2 0 0"
mkdir -p "$tmp/proj/deep/er"
out=$(cd "$tmp/proj/deep/er" && "$kit" test --no-setup 2>&1); rc=$?
echo "$out"
[ "$rc" -eq 0 ] && [ "$(tail -n 1 <<<"$out")" = "2 passed, 0 failed" ] || { echo "kit test from a subdirectory did not run the project's parts"; bad=1; }
mkdir -p "$tmp/elsewhere"
out=$(cd "$tmp/elsewhere" && "$kit" build 2>&1); rc=$?
echo "$out"
[ "$rc" -ne 0 ] && grep -q 'not inside a kit project' <<<"$out" || { echo "kit build outside a project did not refuse"; bad=1; }
exit $bad
