# Runs clang's JSON AST dump and walks it, giving each node the file:line it was expanded at.
"""clang -Xclang -ast-dump=json writes each source location as a difference
from the one written before it: "file" only when the file changes, "line" only
when the line changes. So locations can only be resolved by reading every
location in the order clang wrote them, which is the order of the parsed JSON
(Python keeps key order). For a macro expansion clang writes the spelling
location and then the expansion location; we report the expansion, i.e. the
line of service code where the construct ends up, even when its text came
from a frame header macro.
"""

import json

import diagnostics
from tree import run



class _Cursor:
    """The running file/line state of clang's delta-encoded locations."""

    def __init__(self):
        self.file = None
        self.line = None

    def bare(self, loc):
        if "offset" not in loc:
            return None  # an invalid location (builtin, command line)
        if "file" in loc:
            self.file = loc["file"]
            self.line = loc.get("line", self.line)
        elif "line" in loc:
            self.line = loc["line"]
        return (self.file, self.line)

    def location(self, loc):
        """Resolve a location object; returns the expansion (file, line) or None."""
        if not isinstance(loc, dict):
            return None
        if "spellingLoc" in loc or "expansionLoc" in loc:
            result = None
            for key, val in loc.items():  # spelling first, as written
                if key == "spellingLoc":
                    self.bare(val)
                elif key == "expansionLoc":
                    result = self.bare(val)
            return result
        return self.bare(loc)


def walk(ast):
    """Yields (node, file, line) for every AST node, in document order."""
    cur = _Cursor()
    stack = [iter([ast])]
    while stack:
        try:
            value = next(stack[-1])
        except StopIteration:
            stack.pop()
            continue
        if isinstance(value, list):
            stack.append(iter(value))
            continue
        if not isinstance(value, dict):
            continue
        if "offset" in value or "spellingLoc" in value or "expansionLoc" in value:
            cur.location(value)
            continue
        where = None
        rest = []
        for key, val in value.items():
            if key == "loc":
                where = cur.location(val) or where
            elif key == "range" and isinstance(val, dict):
                begin = cur.location(val.get("begin", {}))
                cur.location(val.get("end", {}))
                if where is None:
                    where = begin
            elif isinstance(val, (dict, list)):
                rest.append(val)
        if "kind" in value:
            yield value, (where[0] if where else None), (where[1] if where else None)
        stack.append(iter(rest))


def dump(tree, path, lang_header=False):
    """Parse one file with clang; returns (ast or None, compile-error violations)."""
    cmd = ["clang", "-fsyntax-only", "-Xclang", "-ast-dump=json", "-fno-color-diagnostics"]
    cmd += tree.clang_flags()
    if lang_header:
        cmd += ["-x", "c"]
    cmd.append(path)
    res = run(cmd, tree.root)
    errors = diagnostics.errors(tree, res.stderr, "clang", path) if res.returncode != 0 else []
    try:
        ast = json.loads(res.stdout) if res.stdout.strip() else None
    except json.JSONDecodeError:
        ast = None
    return ast, errors
