# Rules 1, 2 (and __force of rule 6) on the text as written: banned keywords and assembly files.
"""Scanning tokens, not the AST, because a keyword is banned wherever it is
spelled in service code: in a macro body nobody expands yet, in an #if 0
branch, in a header no .c file includes. Comments and strings do not count.
What arrives through macro expansion from frame headers is caught on the AST
(rule_ast.py)."""

from tree import Violation

BANNED = {
    "asm": ("asm", "inline assembly is only allowed in frame/"),
    "__asm": ("asm", "inline assembly is only allowed in frame/"),
    "__asm__": ("asm", "inline assembly is only allowed in frame/"),
    "volatile": ("volatile", "volatile memory access is only allowed in frame/ (use a frame accessor)"),
    "__volatile": ("volatile", "volatile memory access is only allowed in frame/ (use a frame accessor)"),
    "__volatile__": ("volatile", "volatile memory access is only allowed in frame/ (use a frame accessor)"),
    # __force is how sparse is told to let a user pointer become a kernel one:
    # in services that is a way around rule 6, so it needs an UNSAFE marker.
    "__force": ("user-deref", "__force strips the __user address space; pass user pointers to the frame instead"),
}


def check_tokens(path, lexed):
    out = []
    for tok in lexed.tokens:
        if tok.kind == "ident" and tok.text in BANNED:
            rule, msg = BANNED[tok.text]
            out.append(Violation(path, tok.line, rule, f"'{tok.text}': {msg}"))
    return out


def check_asm_file(path):
    return [Violation(path, 1, "asm", "assembly source file; assembly is only allowed in frame/")]
