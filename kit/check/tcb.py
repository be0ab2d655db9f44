#!/usr/bin/env python3
# Counts the lines of the trusted core (frame/) against the services (kernel/) and prints the frame's share.
"""Usage: tcb.py [ROOT] [--short]

Counts non-blank, non-comment lines (a line counts when a C token starts on
it) of .c .h .S .s .ld .lds files. frame/host/ is the frame's API hosted in a
Linux process for host tests; it never runs in the kernel, so it is counted
apart and left out of the share. The share is frame / (frame + kernel): the
part of the whole kernel that must be trusted.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import c_lexer  # noqa: E402

EXTS = (".c", ".h", ".S", ".s", ".ld", ".lds")


def count(top, skip=None):
    total = 0
    for dirpath, dirnames, filenames in os.walk(top):
        if skip:
            dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) != skip]
        for name in filenames:
            if name.endswith(EXTS):
                total += len(c_lexer.lex_file(os.path.join(dirpath, name)).code_lines())
    return total


def main(argv=None):
    ap = argparse.ArgumentParser(description="Lines of code of frame/ (the TCB) and kernel/.")
    ap.add_argument("root", nargs="?", default=".")
    ap.add_argument("--short", action="store_true", help="one line")
    args = ap.parse_args(argv)
    frame_dir = os.path.join(args.root, "frame")
    host_dir = os.path.join(frame_dir, "host")
    frame = count(frame_dir, skip=host_dir)
    host = count(host_dir)
    kernel = count(os.path.join(args.root, "kernel"))
    share = 100.0 * frame / (frame + kernel) if frame + kernel else 0.0
    line = (f"tcb: frame {frame} lines, kernel {kernel} lines, frame share {share:.1f}% "
            f"(frame/host {host} lines not counted; non-blank, non-comment lines)")
    if args.short:
        print(line)
        return 0
    print("non-blank, non-comment lines of " + " ".join(EXTS))
    print(f"  frame/ (trusted, without frame/host/)  {frame:8d}")
    print(f"  frame/host/ (host testing only)        {host:8d}")
    print(f"  kernel/ (services, checked)            {kernel:8d}")
    print(f"  frame share of frame + kernel          {share:7.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
