#!/usr/bin/env python3
# Entry point of the boundary check: runs every rule over a tree's kernel/ and reports file:line: rule: message.
"""Usage: check.py [ROOT] [--build DIR] [--max-unsafe N]

ROOT is a tree laid out as frame/ + kernel/ (default: the current directory).
Exit status: 0 clean, 1 violations found, 2 the check itself could not run.
See docs/check.md for the rules.
"""

import argparse
import os
import shlex
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import c_lexer  # noqa: E402
import clang_ast  # noqa: E402
import rule_ast  # noqa: E402
import rule_include  # noqa: E402
import rule_lexical  # noqa: E402
import rule_sparse  # noqa: E402
import rule_symbols  # noqa: E402
import unsafe_markers  # noqa: E402
from tree import KERNEL_CFLAGS, ToolMissing, Tree, Violation, need_tool  # noqa: E402

# Rules an UNSAFE(reason) marker may waive; includes and symbols never.
EXEMPTABLE = {"asm", "volatile", "int-ptr-cast", "user-deref"}


def check_unit(tree, path, lang_header, want_object):
    """All compiler-driven rules for one translation unit (a .c, or a header alone)."""
    violations, entered = rule_include.check(tree, path, lang_header)
    ast, errors = clang_ast.dump(tree, path, lang_header)
    violations += errors
    if ast is not None:
        violations += rule_ast.check_ast(tree, ast)
    table = None
    if want_object:
        obj, errors = rule_symbols.compile_object(tree, path)
        violations += errors
        if obj:
            table = rule_symbols.symbols(tree, obj)
    violations += rule_sparse.check(tree, path, report_errors=not violations)
    return violations, entered, table


def run_check(tree, jobs):
    """Returns (violations, markers)."""
    violations, markers = [], []
    sources, headers = tree.kernel_sources(), tree.kernel_headers()
    for path in tree.escaping_links():
        violations.append(Violation(path, 1, "include", "symlink to outside kernel/"))
    for path in tree.kernel_asm_files():
        violations += rule_lexical.check_asm_file(path)
    allow = rule_symbols.load_allow_list()
    tables, entered = {}, set()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        exported_future = pool.submit(rule_symbols.exported, tree)
        units = {src: pool.submit(check_unit, tree, src, False, True) for src in sources}
        for src, fut in units.items():
            found, seen, table = fut.result()
            violations += found
            entered |= seen
            if table:
                tables[src] = table
        # A header no .c file includes is still service code: check it alone.
        orphans = [h for h in headers if tree.abs(h) not in entered]
        for fut in [pool.submit(check_unit, tree, h, True, False) for h in orphans]:
            violations += fut.result()[0]
        exported, errors = exported_future.result()
    violations += errors
    violations += rule_symbols.check(tree, tables, exported, allow)

    # Text rules on every service file: .c and .h, plus whatever other file
    # under kernel/ the compiler pulled in (an included .inc or .def).
    pulled = {tree.rel(p) for p in entered if tree.is_kernel(p)}
    for path in sorted(set(sources + headers) | pulled):
        with open(tree.abs(path), encoding="utf-8", errors="replace") as f:
            text = f.read()
        lexed = c_lexer.lex(text)
        violations += rule_lexical.check_tokens(path, lexed)
        found, bad = unsafe_markers.find(path, lexed, text)
        markers += found
        violations += bad
    return violations, markers


def apply_markers(violations, markers):
    """Drop violations an UNSAFE marker waives; flag markers that waive nothing."""
    by_line = {(m.path, m.exempts): m for m in markers if m.exempts}
    used, kept = set(), []
    for v in violations:
        m = by_line.get((v.path, v.line))
        if m and v.rule in EXEMPTABLE:
            used.add(id(m))
        else:
            kept.append(v)
    for m in markers:
        if id(m) not in used:
            kept.append(Violation(m.path, m.line, "unsafe-marker",
                                  "UNSAFE marker exempts nothing (stale, or on the wrong line)"))
    return kept


def dedupe(violations):
    """One report per file, line and rule: several tools often see the same construct."""
    seen, out = set(), []
    for v in sorted(violations):
        key = (v.path, v.line, v.rule)
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description="Check that kernel/ does nothing only frame/ may do.")
    ap.add_argument("root", nargs="?", default=".", help="tree with frame/ and kernel/")
    ap.add_argument("--build", help="scratch directory (default ROOT/build/check)")
    ap.add_argument("--max-unsafe", type=int, default=None,
                    help="fail when more UNSAFE exceptions than this are present")
    ap.add_argument("--cflags", help="the kernel's compile flags for service code (one string); "
                    "default: " + " ".join(KERNEL_CFLAGS) + " -I frame/include -I kernel/include "
                    "-isystem <gcc include>")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args(argv)

    root = os.path.realpath(args.root)
    if not (os.path.isdir(os.path.join(root, "kernel")) or os.path.isdir(os.path.join(root, "frame"))):
        print(f"check: {root} has neither kernel/ nor frame/: not a kernel tree", file=sys.stderr)
        return 2
    try:
        for tool in ("gcc", "clang", "sparse", "nm"):
            need_tool(tool)
        cflags = shlex.split(args.cflags) if args.cflags else None
        tree = Tree(root, args.build or os.path.join(root, "build", "check"), cflags)
        violations, markers = run_check(tree, args.jobs)
    except (ToolMissing, ValueError) as e:
        print(f"check: {e}", file=sys.stderr)
        return 2

    violations = dedupe(apply_markers(violations, markers))
    for v in violations:
        print(v)
    counted = [m for m in markers if m.reason.strip()]
    for m in counted:
        print(f"{m.path}:{m.line}: unsafe exception: {m.reason}")
    print(f"unsafe exceptions: {len(counted)}")
    failed = bool(violations)
    if args.max_unsafe is not None and len(counted) > args.max_unsafe:
        print(f"check: {len(counted)} unsafe exceptions, at most {args.max_unsafe} allowed")
        failed = True
    files = len(tree.kernel_sources()) + len(tree.kernel_headers()) + len(tree.kernel_asm_files())
    if failed:
        print(f"check: FAILED: {len(violations)} violations in {files} kernel/ files")
        return 1
    print(f"check: passed: {files} kernel/ files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
