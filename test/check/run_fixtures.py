#!/usr/bin/env python3
# Tests the boundary check: runs it on every fixture tree and compares its findings with the fixture's `expected`.
"""Usage: run_fixtures.py [--build DIR] [--results FILE] [--cflags FLAGS]

Each directory under test/check/fixtures/ is a tiny frame/ + kernel/ tree and
holds `expected`: one `file:line: rule` per violation the check must report
(the set must match exactly, so a fixture that fails for another reason, or
for more reasons, fails the test), and optionally `unsafe exceptions: N`
(default 0). No violation lines means the check must pass on it.
Writes "PASSED FAILED SKIPPED" to --results and exits 1 if any failed.
"""

import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CHECK = os.path.join(ROOT, "kit", "check", "check.py")
FIXTURES = os.path.join(HERE, "fixtures")
# Every rule must be proven to fire on at least one fixture.
RULES = {"asm", "volatile", "int-ptr-cast", "include", "symbol", "user-deref", "unsafe-marker"}

_FOUND = re.compile(r"^(?P<key>\S+?:\d+: [a-z-]+): ")
_COUNT = re.compile(r"^unsafe exceptions: (\d+)$")


def read_expected(path):
    keys, count = set(), 0
    with open(path) as f:
        for text in f:
            text = text.strip()
            if not text or text.startswith("#"):
                continue
            m = _COUNT.match(text)
            if m:
                count = int(m[1])
            else:
                keys.add(text)
    return keys, count


def run_fixture(name, build, cflags):
    fixture = os.path.join(FIXTURES, name)
    want, want_count = read_expected(os.path.join(fixture, "expected"))
    cmd = [sys.executable, CHECK, fixture, "--build", os.path.join(build, name)]
    if cflags:
        cmd += ["--cflags", cflags]
    res = subprocess.run(cmd, capture_output=True, text=True)
    got, count = set(), None
    for text in res.stdout.splitlines():
        m = _FOUND.match(text)
        if m and "unsafe exception" not in text:
            got.add(m["key"])
        m = _COUNT.match(text)
        if m:
            count = int(m[1])
    problems = []
    want_rc = 1 if want else 0
    if res.returncode != want_rc:
        problems.append(f"exit status {res.returncode}, expected {want_rc}")
    if got - want:
        problems.append("unexpected: " + ", ".join(sorted(got - want)))
    if want - got:
        problems.append("missing: " + ", ".join(sorted(want - got)))
    if count != want_count:
        problems.append(f"unsafe exceptions {count}, expected {want_count}")
    return problems, want, res.stdout + res.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "check-fixtures"))
    ap.add_argument("--results", default=None)
    ap.add_argument("--cflags", default=None)
    args = ap.parse_args()

    passed = failed = 0
    covered = set()
    names = sorted(d for d in os.listdir(FIXTURES) if os.path.isdir(os.path.join(FIXTURES, d)))
    for name in names:
        problems, want, output = run_fixture(name, args.build, args.cflags)
        covered |= {k.rsplit(": ", 1)[1] for k in want}
        if problems:
            failed += 1
            print(f"FAIL {name}: " + "; ".join(problems))
            print("  " + output.replace("\n", "\n  ").rstrip())
        else:
            passed += 1
            print(f"PASS {name}" + (f" (fails on {len(want)} expected lines)" if want else " (passes)"))
    missing = RULES - covered
    if missing or "clean" not in names or "unsafe" not in names:
        failed += 1
        print(f"FAIL coverage: rules without a failing fixture: {sorted(missing)}; "
              "a 'clean' and an 'unsafe' fixture must exist")
    else:
        passed += 1
        print("PASS coverage: every rule has a fixture that breaks it")

    if args.results:
        os.makedirs(os.path.dirname(args.results), exist_ok=True)
        with open(args.results, "w") as f:
            f.write(f"{passed} {failed} 0\n")
    print(f"check: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
