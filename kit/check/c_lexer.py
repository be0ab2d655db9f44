# Splits C source into tokens and comments with line numbers, for the lexical rules and line counts.
"""A small C lexer.

It does not preprocess: it sees exactly the text a developer wrote, including
code in inactive #if branches and macro bodies, which is what the keyword
rules want (a banned keyword is banned wherever it is spelled). Comments and
string literals are kept apart so that words inside them never count as code.
"""

import bisect
import re
from dataclasses import dataclass, field


@dataclass
class Token:
    kind: str  # ident, number, string, char, header, punct
    text: str
    line: int


@dataclass
class Comment:
    text: str
    start_line: int
    end_line: int


@dataclass
class Lexed:
    tokens: list = field(default_factory=list)
    comments: list = field(default_factory=list)

    def code_lines(self):
        """Lines where a token starts: the non-blank, non-comment lines."""
        return {tok.line for tok in self.tokens}


_SPLICE = re.compile(r"\\\r?\n")
_TOKEN = re.compile(r"""
    (?P<block>/\*.*?(?:\*/|\Z))
  | (?P<linec>//[^\n]*)
  | (?P<nl>\n)
  | (?P<ws>[ \t\r\f\v]+)
  | (?P<string>"(?:\\.|[^"\\\n])*"?)
  | (?P<char>'(?:\\.|[^'\\\n])*'?)
  | (?P<ident>[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<number>\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*)
  | (?P<header><[^>\n]*>)
  | (?P<punct>.)
""", re.S | re.X)


def lex(text):
    """Tokenize C text; returns a Lexed with tokens and comments."""
    # Remove backslash-newline splices first (translation phase 2), remembering
    # where each one was so that every position still maps to its real line.
    parts, events, pos, flat_len = [], [], 0, 0
    for m in _SPLICE.finditer(text):
        parts.append(text[pos:m.start()])
        flat_len += m.start() - pos
        pos = m.end()
        events.append(flat_len)
    parts.append(text[pos:])
    flat = "".join(parts)
    events.extend(m.end() for m in re.finditer(r"\n", flat))
    events.sort()

    def line_of(p):
        return 1 + bisect.bisect_right(events, p)

    out = Lexed()
    directive = None  # tokens of the current # line, to recognise <header> names
    line_start = True
    pos = 0
    while pos < len(flat):
        m = _TOKEN.match(flat, pos)
        kind = m.lastgroup
        text_ = m.group()
        if kind == "header" and not _wants_header(directive):
            m = re.compile(r".", re.S).match(flat, pos)  # a plain '<'
            kind, text_ = "punct", "<"
        start = pos
        pos = m.end()
        if kind == "nl":
            directive, line_start = None, True
            continue
        if kind == "ws":
            continue
        if kind in ("block", "linec"):
            body = text_[2:-2] if kind == "block" and text_.endswith("*/") else text_[2:]
            out.comments.append(Comment(body, line_of(start), line_of(pos - 1)))
            continue
        tok = Token(kind, text_, line_of(start))
        if line_start and text_ == "#":
            directive = []
        elif directive is not None:
            directive.append(tok)
        line_start = False
        out.tokens.append(tok)
    return out


def _wants_header(directive):
    return (directive is not None and len(directive) == 1
            and directive[0].text in ("include", "include_next", "import"))


def lex_file(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return lex(f.read())
