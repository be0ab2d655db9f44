# Describes a frame/ + kernel/ tree being checked: its files, compiler flags, and where a path belongs.
import os
import shutil
import subprocess
from dataclasses import dataclass

# The compiler's freestanding headers (C11 clause 4) that services may include.
FREESTANDING = frozenset({
    "stddef.h", "stdint.h", "stdbool.h", "stdarg.h", "limits.h", "stdalign.h",
    "stdnoreturn.h", "float.h", "iso646.h",
})

# Default service flags when the project does not pass its own (--cflags);
# the include flags are added per tree.
KERNEL_CFLAGS = [
    "-std=gnu11", "-ffreestanding", "-nostdinc", "-fno-pic", "-mcmodel=kernel",
    "-mno-red-zone", "-mno-sse",
]

C_SOURCE_EXT = (".c",)
C_HEADER_EXT = (".h",)
ASM_EXT = (".S", ".s", ".asm")


@dataclass(frozen=True, order=True)
class Violation:
    path: str  # relative to the tree root
    line: int
    rule: str
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.rule}: {self.message}"


class ToolMissing(Exception):
    pass


def need_tool(name):
    path = shutil.which(name)
    if not path:
        raise ToolMissing(f"'{name}' not found (install the packages in kit/packages.txt)")
    return path


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, errors="replace")


# Flags that shape how clang parses (includes, macros, language); the rest are
# code generation or GCC-only (clang would warn, and -Werror would turn that
# into a failure the kernel build does not have).
_CLANG_KEEP_PREFIX = ("-std=", "-D", "-U", "-I", "-mcmodel=")
_CLANG_KEEP = {"-ffreestanding", "-nostdinc", "-fno-builtin", "-fno-pic", "-fno-pie",
               "-mno-red-zone", "-fno-common", "-fno-strict-aliasing"}
_WITH_ARG = {"-I", "-isystem", "-include", "-D", "-U", "-iquote", "-idirafter"}


def split_flags(flags):
    """Group options with their separate arguments: ['-I', 'x'] -> [['-I', 'x']]."""
    groups, i = [], 0
    while i < len(flags):
        if flags[i] in _WITH_ARG and i + 1 < len(flags):
            groups.append(flags[i:i + 2])
            i += 2
        else:
            groups.append([flags[i]])
            i += 1
    return groups


class Tree:
    def __init__(self, root, build, cflags=None):
        """cflags: the kernel's service compile flags (a list); default KERNEL_CFLAGS + includes."""
        self.root = os.path.realpath(root)
        self.build = os.path.realpath(build)
        self.kernel = os.path.join(self.root, "kernel")
        self.frame_include = os.path.join(self.root, "frame", "include")
        self.public = os.path.join(self.frame_include, "frame")
        need_tool("gcc")
        self.gcc_include = os.path.realpath(run(["gcc", "-print-file-name=include"], self.root).stdout.strip())
        self._clang_include = None
        self._abs = {}
        if cflags is None:
            cflags = KERNEL_CFLAGS + self.include_flags(self.gcc_include)
        # The build enforces warnings; here a warning must not become a failure
        # of a different kind, so -Werror goes.
        self.cflags = [f for f in cflags if not f.startswith("-Werror")]

    @property
    def clang_include(self):
        if self._clang_include is None:
            need_tool("clang")
            res = run(["clang", "-print-resource-dir"], self.root).stdout.strip()
            self._clang_include = os.path.realpath(os.path.join(res, "include"))
        return self._clang_include

    def include_flags(self, compiler_include):
        return ["-I", "frame/include", "-I", "kernel/include", "-isystem", compiler_include]

    def gcc_flags(self):
        return list(self.cflags)

    def clang_flags(self):
        out = []
        for group in split_flags(self.cflags):
            opt = group[0]
            if opt == "-isystem" and len(group) == 2 and os.path.realpath(
                    os.path.join(self.root, group[1])) == self.gcc_include:
                # clang gets its own freestanding headers: GCC's use GCC-only builtins.
                out += ["-isystem", self.clang_include]
            elif opt in ("-isystem", "-include", "-iquote", "-idirafter") or opt in _CLANG_KEEP \
                    or opt.startswith(_CLANG_KEEP_PREFIX):
                out += group
        return out

    def _walk(self, top, exts):
        found = []
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(exts):
                    found.append(self.rel(os.path.join(dirpath, name)))
        return found

    def escaping_links(self):
        """Files under kernel/ that are symlinks to somewhere else: they would
        smuggle frame code in as service code."""
        found = []
        for dirpath, dirnames, filenames in os.walk(self.kernel):
            for name in sorted(filenames + dirnames):
                path = os.path.join(dirpath, name)
                if os.path.islink(path) and not _under(os.path.realpath(path), self.kernel):
                    found.append(os.path.relpath(path, self.root))
        return found

    def kernel_sources(self):
        return self._walk(self.kernel, C_SOURCE_EXT)

    def kernel_headers(self):
        return self._walk(self.kernel, C_HEADER_EXT)

    def kernel_asm_files(self):
        return self._walk(self.kernel, ASM_EXT)

    def public_headers(self):
        return self._walk(self.public, C_HEADER_EXT)

    def rel(self, path):
        """Path relative to the root as reports show it (absolute when outside the tree)."""
        p = self.abs(path)
        return os.path.relpath(p, self.root) if _under(p, self.root) else p

    def abs(self, path):
        # Memoised: the AST rules ask about the same few files for every node.
        p = self._abs.get(path)
        if p is None:
            p = self._abs[path] = os.path.realpath(os.path.join(self.root, path))
        return p

    def is_kernel(self, path):
        return _under(self.abs(path), self.kernel)

    def is_frame_include(self, path):
        return _under(self.abs(path), self.frame_include)

    def is_public(self, path):
        return _under(self.abs(path), self.public)

    def is_compiler_header(self, path):
        p = self.abs(path)
        return _under(p, self.gcc_include) or (
            self._clang_include is not None and _under(p, self._clang_include))

    def is_freestanding(self, path):
        """One of the allowed freestanding headers, straight from a compiler's include dir."""
        p = self.abs(path)
        dirs = [self.gcc_include] + ([self._clang_include] if self._clang_include else [])
        return os.path.dirname(p) in dirs and os.path.basename(p) in FREESTANDING


def _under(path, top):
    return path == top or path.startswith(top + os.sep)
