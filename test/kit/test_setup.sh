# kit setup finds exactly the listed packages dpkg lacks (dry run: installs nothing) and is quiet when none is missing.
set -u
. test/kit/fake_project.sh
kit=$PWD/kit/kit
tmp=$KIT_TEST_TMP
bad=0
printf '# comment line\ndpkg   # always installed on Debian\n\ncadre-kit-test-absent-package\n' >"$tmp/some-missing.txt"
fake_project "$tmp/p1" "$tmp/some-missing.txt" a="1 0 0"
out=$(cd "$tmp/p1" && "$kit" setup --dry-run 2>&1); echo "$out"
grep -qx 'kit: setup: missing 1 of 2: cadre-kit-test-absent-package' <<<"$out" || { echo "missing package not reported as the only one"; bad=1; }

printf 'dpkg\nbash\n' >"$tmp/all-present.txt"
fake_project "$tmp/p2" "$tmp/all-present.txt" a="1 0 0"
mkdir -p "$tmp/no-apt"
printf '#!/bin/sh\necho "apt stub called: $*"; exit 99\n' >"$tmp/no-apt/apt-get"
chmod +x "$tmp/no-apt/apt-get"
start=$(date +%s%N)
# Not a dry run: with nothing missing it must neither call apt-get nor fail.
out=$(cd "$tmp/p2" && PATH="$tmp/no-apt:$PATH" "$kit" setup 2>&1); rc=$?
echo "$out"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "took ${ms} ms"
[ "$rc" -eq 0 ] || { echo "setup failed with nothing missing"; bad=1; }
! grep -q 'apt stub called' <<<"$out" || { echo "apt-get was called"; bad=1; }
grep -qx 'kit: setup: all 2 packages present' <<<"$out" || { echo "no 'all present' report"; bad=1; }
[ "$ms" -lt 3000 ] || { echo "setup with nothing missing took ${ms} ms"; bad=1; }
exit $bad
