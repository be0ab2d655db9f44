# Parses GCC/clang error output into violations blamed on the innermost kernel/ file involved.
"""When the error sits in a header, the compiler lists the include chain
("In file included from kernel/x.c:3:"); the violation is reported on the
service line that led there, so it is always a line a service author owns."""

import re

from tree import Violation

_FROM = re.compile(r"^(?:In file included| +) from (?P<file>[^:\n]+):(?P<line>\d+)[:,]$")
_ERROR = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?:\d+:)? (?:fatal )?error: (?P<msg>.*)$")
_MISSING = re.compile(r"^'?(?P<hdr>[^']*?)'? ?(?:file not found|: No such file or directory)$")


def errors(tree, stderr, tool, fallback_path):
    """Violations for each error in stderr; missing headers count as rule 'include'."""
    out = []
    chain = []
    for text in stderr.split("\n"):
        m = _FROM.match(text)
        if m:
            chain.append((m["file"], int(m["line"])))
            continue
        m = _ERROR.match(text)
        if m:
            where = [(m["file"], int(m["line"]))] + chain
            file, line = next((w for w in where if tree.is_kernel(w[0])), where[0])
            origin = "" if (file, line) == where[0] else f" (at {tree.rel(where[0][0])}:{where[0][1]})"
            missing = _MISSING.match(m["msg"])
            if missing:
                out.append(Violation(tree.rel(file), line, "include",
                                     f"'{missing['hdr']}' is not found in frame/include, kernel/include "
                                     f"or the compiler's freestanding headers{origin}"))
            else:
                out.append(Violation(tree.rel(file), line, "compile", f"{tool}: {m['msg']}{origin}"))
        if not text.startswith("In file included"):
            chain = []
    if not out and stderr.strip():
        out.append(Violation(tree.rel(fallback_path), 1, "compile",
                             f"{tool} failed: {stderr.strip().splitlines()[-1][:200]}"))
    return out
