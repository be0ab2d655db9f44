# kit new makes a project on the frame whose `make run` prints hello from its own kernel and returns 0.
set -u
kit=$PWD/kit/kit
tmp=$KIT_TEST_TMP
bad=0
"$kit" new "$tmp/hello" || exit 1
for f in Makefile main.c README.md .gitignore; do
	[ -f "$tmp/hello/$f" ] || { echo "kit new wrote no $f"; bad=1; }
done
grep -q @CADRE@ "$tmp/hello/Makefile" && { echo "template placeholder left in Makefile"; bad=1; }
# A second `new` into the same directory must refuse rather than overwrite.
"$kit" new "$tmp/hello" 2>/dev/null && { echo "kit new overwrote a non-empty directory"; bad=1; }

out=$(timeout 300 make -C "$tmp/hello" run 2>&1); rc=$?
echo "$out"
[ "$rc" -eq 0 ] || { echo "make run exited $rc"; bad=1; }
grep -q '^hello from a kernel on the Cadre frame' <<<"$out" || { echo "no hello on the console"; bad=1; }
[ -f "$tmp/hello/build/kernel.elf" ] || { echo "no build/kernel.elf in the new project"; bad=1; }

# The project's own test part goes through the same kit test.
out=$(cd "$tmp/hello" && timeout 300 "$kit" test --no-setup 2>&1); rc=$?
echo "$out"
[ "$rc" -eq 0 ] && [ "$(tail -n 1 <<<"$out")" = "1 passed, 0 failed" ] || { echo "kit test in the new project did not pass its hello part"; bad=1; }
exit $bad
