# Rule 4: every header service code pulls in must resolve to frame/include, kernel/, or a freestanding header.
"""Includes are resolved by GCC itself (gcc -E with the kernel's include flags),
so what is checked is the file the compiler really opened, whatever the
spelling: `#include "../../frame/arch/x86_64/cpu.h"` resolves into frame/arch
and is refused. GCC's preprocessed output carries line markers
`# N "file" 1` when it enters a header and `# N "file" 2` when it returns;
counting output lines in between tells on which line each #include stands.
"""

import re

import diagnostics
from tree import Violation, run

_MARKER = re.compile(r'^# (\d+) "((?:[^"\\]|\\.)*)"((?: \d+)*)$')


def _allowed(tree, path):
    return tree.is_frame_include(path) or tree.is_kernel(path) or tree.is_freestanding(path)


def check(tree, path, lang_header=False):
    """Returns (violations, absolute paths of every header the file pulls in)."""
    cmd = ["gcc", "-E"] + tree.gcc_flags() + (["-x", "c"] if lang_header else []) + [path]
    res = run(cmd, tree.root)
    out = []
    entered = set()
    stack = []  # [file, line the next output line has]
    for text in res.stdout.split("\n"):
        m = _MARKER.match(text)
        if not m:
            if stack:
                stack[-1][1] += 1
            continue
        line, name, flags = int(m[1]), m[2].replace('\\"', '"').replace("\\\\", "\\"), m[3].split()
        if "1" in flags and stack:
            parent = stack[-1]
            if not tree.is_compiler_header(parent[0]) and not _allowed(tree, name):
                out.append(_report(tree, stack, name))
            stack.append([name, line])
            entered.add(tree.abs(name))
        elif "2" in flags:
            while len(stack) > 1 and stack[-1][0] != name:
                stack.pop()
            stack[-1][1] = line
        elif stack:
            stack[-1] = [name, line]  # a line sync, or a #line directive
        else:
            stack.append([name, line])
    if res.returncode != 0:
        out.extend(diagnostics.errors(tree, res.stderr, "preprocessor", path))
    return out, entered


def _report(tree, stack, included):
    """Blame the innermost kernel/ file on the include chain, at its #include line."""
    chain = []
    for file, next_line in reversed(stack):
        if tree.is_kernel(file):
            via = "".join(f" via {tree.rel(f)}" for f in chain)
            return Violation(tree.rel(file), next_line, "include",
                             f"includes {tree.rel(included)}{via}: only frame/include, "
                             "kernel/ and the compiler's freestanding headers are allowed")
        chain.insert(0, file)
    return Violation(tree.rel(stack[0][0]), 1, "include", f"includes {tree.rel(included)}")
