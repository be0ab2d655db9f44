# Finds UNSAFE(reason) exception markers in service code and the line each one exempts.
"""An exception is visible in the source: `UNSAFE(reason)` either as code (the
frame defines the macro to nothing) or inside a comment. It exempts its own
line if that line holds code, otherwise the next line of code after it, so
both of these work:

    x = (uintptr_t)p; /* UNSAFE(hardware wants the address) */

    /* UNSAFE(hardware wants the address) */
    x = (uintptr_t)p;
"""

import re
from dataclasses import dataclass

from tree import Violation

_IN_COMMENT = re.compile(r"\bUNSAFE\s*\(")


@dataclass
class Marker:
    path: str
    line: int
    reason: str
    exempts: int  # line number, 0 when there is no code after it


def _balanced(text, start):
    """Text from just after an opening parenthesis to its match (or the end)."""
    depth = 1
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[start:i], i
    return text[start:], len(text)


def find(path, lexed, text):
    """Returns (markers, violations) for one lexed kernel file and its text."""
    lines = text.split("\n")
    found = []  # (line, end_line, reason)
    marker_token_ids = set()
    for c in lexed.comments:
        for m in _IN_COMMENT.finditer(c.text):
            reason, end = _balanced(c.text, m.end())
            line = c.start_line + c.text.count("\n", 0, m.start())
            found.append((line, c.end_line, reason))
    toks = lexed.tokens
    for i, tok in enumerate(toks):
        if tok.text != "UNSAFE" or i + 1 >= len(toks) or toks[i + 1].text != "(":
            continue
        depth, j = 0, i + 1
        while j < len(toks):
            depth += {"(": 1, ")": -1}.get(toks[j].text, 0)
            if depth == 0:
                break
            j += 1
        marker_token_ids.update(range(i, j + 1))
        # The reason as written (tokens would lose its spacing).
        rest = "\n".join(lines[tok.line - 1:toks[min(j, len(toks) - 1)].line])
        m = _IN_COMMENT.search(rest)
        reason = _balanced(rest, m.end())[0] if m else " ".join(t.text for t in toks[i + 2:j])
        found.append((tok.line, toks[min(j, len(toks) - 1)].line, reason))

    code_lines = sorted({t.line for k, t in enumerate(toks) if k not in marker_token_ids})
    code_set = set(code_lines)
    markers, violations = [], []
    for line, end_line, reason in sorted(found):
        if not reason.strip().strip('"').strip():
            violations.append(Violation(path, line, "unsafe-marker",
                                        "UNSAFE() needs a reason: UNSAFE(why this is safe)"))
            continue
        if line in code_set:
            exempts = line
        else:
            exempts = next((n for n in code_lines if n > end_line), 0)
        markers.append(Marker(path, line, " ".join(reason.split()), exempts))
    return markers, violations
