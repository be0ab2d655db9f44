# Rule 6: sparse's address-space checking, so service code never dereferences a __user pointer.
"""frame/include/frame/compiler.h gives __user sparse's `noderef` and
`address_space(__user)` attributes when __CHECKER__ is defined. sparse then
warns where such a pointer is dereferenced, or silently turned into a kernel
pointer (which would allow the dereference one step later). Only warnings on
kernel/ lines count: sparse reports a macro at its expansion site, and the
frame's own inline helpers are the frame's business."""

import re

from tree import Violation, run

_DIAG = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):\d+: (?P<sev>warning|error): (?P<msg>.*)$")
_RELEVANT = re.compile(r"noderef|address space|address_space")


def check(tree, path, report_errors):
    cmd = ["sparse", "-D__CHECKER__"] + tree.gcc_flags() + [path]
    res = run(cmd, tree.root)
    out = []
    for text in res.stderr.splitlines():
        m = _DIAG.match(text)
        if not m or not tree.is_kernel(m["file"]):
            continue
        if _RELEVANT.search(m["msg"]):
            out.append(Violation(tree.rel(m["file"]), int(m["line"]), "user-deref",
                                 f"sparse: {m['msg']}: user memory is only reached through the frame"))
        elif m["sev"] == "error" and report_errors:
            out.append(Violation(tree.rel(m["file"]), int(m["line"]), "compile", f"sparse: {m['msg']}"))
    return out
