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

# The kernel's code-generation flags (see the brief in docs/check.md); the
# include flags are added per tree, the freestanding include dir per compiler.
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


class Tree:
    def __init__(self, root, build):
        self.root = os.path.realpath(root)
        self.build = os.path.realpath(build)
        self.kernel = os.path.join(self.root, "kernel")
        self.frame_include = os.path.join(self.root, "frame", "include")
        self.public = os.path.join(self.frame_include, "frame")
        need_tool("gcc")
        self.gcc_include = os.path.realpath(run(["gcc", "-print-file-name=include"], self.root).stdout.strip())
        self._clang_include = None

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
        return KERNEL_CFLAGS + self.include_flags(self.gcc_include)

    def clang_flags(self):
        # clang gets its own freestanding headers: GCC's use GCC-only builtins.
        return KERNEL_CFLAGS + self.include_flags(self.clang_include)

    def _walk(self, top, exts):
        found = []
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(exts):
                    found.append(self.rel(os.path.join(dirpath, name)))
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
        return os.path.realpath(os.path.join(self.root, path))

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
