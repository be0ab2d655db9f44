#!/usr/bin/env python3
"""Checks Cadre's Linux ABI headers against Linux's UAPI headers.

For every header under kernel/include/abi/, each object-like #define and each
struct (size, and offset and size of every field) is evaluated twice: once by
a program built with our header, once by a program built with the UAPI
headers its "uapi:" line names. Any difference, or a name the UAPI headers do
not know, fails that header's case. Structs whose comment says
"abi-unchecked" have no UAPI counterpart and are skipped (and reported).
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ABI_DIR = os.path.join(ROOT, "kernel", "include", "abi")

DEFINE_RE = re.compile(r"^#define\s+([A-Za-z_][A-Za-z0-9_]*)\s+(\S.*)$")
STRUCT_RE = re.compile(r"^struct\s+([A-Za-z_][A-Za-z0-9_]*)\s*\{\s*$")
FIELD_RE = re.compile(r"^\s+(?:struct\s+\{[^}]*\}|[A-Za-z_][A-Za-z0-9_ ]*?)\s+\**([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[[^\]]*\])?\s*;")


def parse_header(path):
    """Return (uapi includes, macro names, {struct: [fields]}, skipped names).

    An "abi-unchecked" comment exempts the next struct, or the block of
    #defines after it up to a blank line: kernel-internal names. An
    "abi-defs: FILE" line adds FILE's definitions (a frame header) as if
    written here.
    """
    uapi, macros, structs, skipped = [], [], {}, []
    lines = open(path).read().splitlines()
    for line in list(lines):
        m = re.search(r"abi-defs:\s*(\S+)", line)
        if m:
            lines += open(os.path.join(ROOT, "frame", "include", m.group(1))).read().splitlines()
    current, unchecked = None, False
    for i, line in enumerate(lines):
        m = re.search(r"uapi:\s*(.*?)\s*\*/", line)
        if m and not uapi:
            uapi = re.findall(r"<[^>]+>", m.group(1))
        if "abi-unchecked" in line:
            unchecked = True
        if current is None:
            m = DEFINE_RE.match(line)
            if m and re.match(r"(ABI|FRAME)_\w+_H$", m.group(1)):
                continue
            if m and unchecked:
                skipped.append(m.group(1))
            elif m:
                macros.append(m.group(1))
            if not line.strip():
                unchecked = False
            m = STRUCT_RE.match(line)
            if m:
                current = m.group(1)
                if unchecked:
                    skipped.append(current)
                else:
                    structs[current] = []
                unchecked = False
            continue
        # "};", or "} __attribute__((aligned(N)));" for a struct UAPI aligns.
        if re.match(r"^\}\s*(__attribute__\s*\(\(.*\)\)\s*)?;", line):
            current = None
            continue
        m = FIELD_RE.match(line)
        if m and current in structs:
            structs[current].append(m.group(1))
    return uapi, macros, structs, skipped


def program(includes, macros, structs):
    # The ABI headers first: some UAPI definitions hide from glibc programs.
    out = ["#include %s" % inc for inc in includes]
    out += ["#include <stdio.h>", "#include <stddef.h>"]
    out.append("int main(void) {")
    for name in macros:
        out.append('  printf("%%s %%lld\\n", "%s", (long long)(%s));' % (name, name))
    for s, fields in structs.items():
        out.append('  printf("sizeof(struct %s) %%zu\\n", sizeof(struct %s));' % (s, s))
        for f in fields:
            out.append('  printf("struct %s.%s @%%zu +%%zu\\n", offsetof(struct %s, %s), sizeof(((struct %s *)0)->%s));'
                       % (s, f, s, f, s, f))
    out.append("  return 0;\n}")
    return "\n".join(out) + "\n"


def run(src, flags, tmp, tag):
    c = os.path.join(tmp, tag + ".c")
    exe = os.path.join(tmp, tag)
    open(c, "w").write(src)
    cc = subprocess.run(["gcc", "-std=gnu11", "-w", "-o", exe, c] + flags,
                        capture_output=True, text=True)
    if cc.returncode:
        return None, cc.stderr.strip().splitlines()[:6]
    return subprocess.run([exe], capture_output=True, text=True, check=True).stdout.splitlines(), None


def check_syscall_list(tmp):
    """Every row of the master list must carry Linux's number for its name."""
    rows = []
    for line in open(os.path.join(ROOT, "kernel", "syscall", "syscalls.list")):
        f = line.split()
        if f and not f[0].startswith("#"):
            rows.append((f[1], f[0]))
    macros = ["__NR_" + name for name, _ in rows]
    theirs, err = run(program(["<asm/unistd_64.h>"], macros, {}), [], tmp, "nr")
    if err:
        return False, ": names Linux does not have:\n    " + "\n    ".join(err)
    want = dict(l.split() for l in theirs)
    bad = ["%s is %s, Linux says %s" % (n, nr, want["__NR_" + n])
           for n, nr in rows if want["__NR_" + n] != nr]
    if bad:
        return False, ":\n    " + "\n    ".join(bad[:20])
    linux_count = sum(1 for l in open("/usr/include/x86_64-linux-gnu/asm/unistd_64.h")
                      if l.startswith("#define __NR_"))
    if linux_count != len(rows):
        return False, ": %d rows, Linux has %d system calls" % (len(rows), linux_count)
    # The committed table and prototypes must be what the list generates.
    fresh = [os.path.join(tmp, "syscall_table.c"), os.path.join(tmp, "syscalls.h")]
    subprocess.run([os.path.join(ROOT, "kit", "gen-syscalls"),
                    os.path.join(ROOT, "kernel", "syscall", "syscalls.list")] + fresh, check=True)
    for new, rel in zip(fresh, ["kernel/syscall/syscall_table.c", "kernel/include/kernel/syscalls.h"]):
        committed = os.path.join(ROOT, rel)
        if not os.path.exists(committed) or open(new).read() != open(committed).read():
            return False, ": %s is stale: run make %s" % (rel, rel)
    return True, " (%d system calls)" % len(rows)


def main():
    passed = failed = 0
    results = sys.argv[1] if len(sys.argv) > 1 else None
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(os.listdir(ABI_DIR)):
            if not name.endswith(".h"):
                continue
            path = os.path.join(ABI_DIR, name)
            uapi, macros, structs, skip = parse_header(path)
            case = "abi/" + name
            for s in skip:
                print("note %s: %s is ours alone (abi-unchecked)" % (case, s))
            if not uapi:
                print("FAIL %s: no 'uapi:' line naming the Linux headers to compare with" % case)
                failed += 1
                continue
            ours, err = run(program(["<abi/%s>" % name], macros, structs),
                            ["-I" + os.path.join(ROOT, "kernel/include"),
                             "-I" + os.path.join(ROOT, "frame/include")], tmp, "ours")
            if err:
                print("FAIL %s: our header does not build:\n    %s" % (case, "\n    ".join(err)))
                failed += 1
                continue
            theirs, err = run(program(uapi, macros, structs), [], tmp, "theirs")
            if err:
                print("FAIL %s: not in %s:\n    %s" % (case, " ".join(uapi), "\n    ".join(err)))
                failed += 1
                continue
            diffs = ["%s (ours) vs %s (Linux)" % (a, b) for a, b in zip(ours, theirs) if a != b]
            if diffs:
                print("FAIL %s:\n    %s" % (case, "\n    ".join(diffs[:20])))
                failed += 1
            else:
                print("PASS %s (%d constants, %d structs)" % (case, len(macros), len(structs)))
                passed += 1
        ok, message = check_syscall_list(tmp)
        print("%s abi/syscalls.list%s" % ("PASS" if ok else "FAIL", message))
        passed += ok
        failed += not ok
    print("abi: %d passed, %d failed" % (passed, failed))
    if results:
        os.makedirs(os.path.dirname(results), exist_ok=True)
        open(results, "w").write("%d %d 0\n" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
