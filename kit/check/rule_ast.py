# Rules 1-3 on clang's AST: integer/pointer casts, and asm or volatile arriving through macros.
"""Only nodes whose expansion location is in a kernel/ file are reported: code
in frame headers (a static inline helper) is the frame's business, but a frame
macro expanded in service code puts its text into the service, so it counts.
"""

import re

import clang_ast
from tree import Violation

INT_PTR_CASTS = {
    "IntegralToPointer": "integer converted to pointer; only the frame may make pointers from numbers",
    "PointerToIntegral": "pointer converted to integer; only the frame may turn pointers into numbers",
}
ASM_KINDS = {"GCCAsmStmt", "MSAsmStmt", "FileScopeAsmDecl", "AsmLabelAttr"}
# Nodes that give an object or a conversion a type: volatile anywhere in it counts.
TYPE_NAMING = {"VarDecl", "ParmVarDecl", "FieldDecl", "TypedefDecl", "FunctionDecl",
               "CStyleCastExpr", "CompoundLiteralExpr"}
_VOLATILE = re.compile(r"\bvolatile\b")
_TOP_VOLATILE_PTR = re.compile(r"\*\s*(?:const\s+|restrict\s+)*volatile\b[^*]*$")


def _types(node):
    t = node.get("type")
    if not isinstance(t, dict):
        return []
    return [s for s in (t.get("qualType"), t.get("desugaredQualType")) if s]


def _top_level_volatile(type_str):
    """True when the object itself is volatile (not just what a pointer points to)."""
    if "(" in type_str:
        return False
    if "*" in type_str:
        return bool(_TOP_VOLATILE_PTR.search(type_str))
    return bool(_VOLATILE.search(type_str))


def check_ast(tree, ast):
    out = []
    for node, file, line in clang_ast.walk(ast):
        if file is None or not tree.is_kernel(file):
            continue
        kind = node["kind"]
        path = tree.rel(file)
        if kind.endswith("CastExpr") and node.get("castKind") in INT_PTR_CASTS:
            out.append(Violation(path, line, "int-ptr-cast", INT_PTR_CASTS[node["castKind"]]))
        elif kind in ASM_KINDS:
            out.append(Violation(path, line, "asm", f"{kind}: assembly is only allowed in frame/"))
        types = _types(node)
        if kind in TYPE_NAMING and any(_VOLATILE.search(t) for t in types):
            out.append(Violation(path, line, "volatile", f"{kind} of volatile type '{types[0]}'"))
        elif node.get("valueCategory") == "lvalue" and any(_top_level_volatile(t) for t in types):
            out.append(Violation(path, line, "volatile", f"access to volatile object of type '{types[0]}'"))
    return out
