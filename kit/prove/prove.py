#!/usr/bin/env python3
"""make prove: run Frama-C WP on the frame's proved components, count proved goals, catch regressions.

Each component of components.conf is one source file, every function of which
is proved except those listed as assumed. WP's verdict for every goal is parsed from its log; a goal
is proved when WP reports it Valid (by Qed or a prover) or trivial. The set of
proved goal names is compared with the committed baseline: a goal that was
proved and is not any more fails the component. Newly proved goals are
reported (make prove-update records them).

A run's log is cached under the build directory, keyed by the hash of the
preprocessed source (annotations included), the command line and the tools'
versions, so an unchanged component is not proved again.
"""
import argparse
import hashlib
import os
import re
import subprocess
import sys

GOAL = re.compile(r"^\[wp\](?: \[[^\]]+\])? Goal (\S+) : (\S+)")


def read_components(path):
    comps = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            words = line.split()
            name, source = words[0], words[1]
            skip = words[2] if len(words) > 2 else ""
            comps.append((name, source, skip))
    return comps


def read_baseline(path):
    base = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    comp, goal = line.split(None, 1)
                    base.setdefault(comp, set()).add(goal)
    return base


def tool_versions():
    out = []
    for cmd in (["frama-c", "-version"], ["why3", "--version"], ["z3", "--version"]):
        try:
            out.append(subprocess.run(cmd, capture_output=True, text=True).stdout.strip())
        except FileNotFoundError:
            sys.exit("prove: %s is not installed (kit setup installs frama-c-base, why3 and z3)" % cmd[0])
    return "\n".join(out)


def run_wp(root, build, name, source, skip, cpp, timeout, jobs, versions, why3conf):
    args = ["-no-frama-c-stdlib", "-c11", "-machdep", "gcc_x86_64", "-cpp-extra-args=" + cpp,
            os.path.join(root, source), "-wp", "-wp-rte", "-wp-split", "-wp-prover", "z3",
            "-wp-timeout", str(timeout), "-wp-par", str(jobs)]
    if skip:
        args += ["-wp-skip-fct", skip]
    pre = subprocess.run(["gcc", "-E", "-C"] + cpp.split() + [os.path.join(root, source)],
                         capture_output=True, text=True, cwd=root)
    if pre.returncode:
        sys.exit("prove: preprocessing %s failed:\n%s" % (source, pre.stderr))
    key = hashlib.sha256("\0".join([versions, " ".join(args), pre.stdout]).encode()).hexdigest()[:20]
    cache = os.path.join(build, "cache", "%s-%s.log" % (name, key))
    if os.path.exists(cache):
        with open(cache) as f:
            return f.read(), True
    env = dict(os.environ, WHY3CONFIG=why3conf)
    res = subprocess.run(["frama-c"] + args, capture_output=True, text=True, cwd=root, env=env)
    log = res.stdout + res.stderr
    with open(os.path.join(build, name + ".log"), "w") as f:
        f.write(log)
    if res.returncode or "Proved goals" not in log:
        print("prove: %s: Frama-C failed (exit %d), see %s" % (name, res.returncode,
              os.path.join(build, name + ".log")))
        return None, False
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(cache, "w") as f:
        f.write(log)
    return log, False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=".")
    ap.add_argument("--build", required=True)
    ap.add_argument("--cpp", required=True, help="preprocessor flags of frame code")
    ap.add_argument("--components", default="kit/prove/components.conf")
    ap.add_argument("--baseline", default="test/prove/proved-goals.txt")
    ap.add_argument("--results", help="write 'passed failed skipped' here (a test part)")
    ap.add_argument("--update", action="store_true", help="record the proved goals as the baseline")
    ap.add_argument("--timeout", type=int, default=30)
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    root = os.path.abspath(a.root)
    build = os.path.abspath(a.build)
    os.makedirs(build, exist_ok=True)
    versions = tool_versions()
    why3conf = os.path.join(build, "why3.conf")
    if not os.path.exists(why3conf):
        subprocess.run(["why3", "config", "detect"], env=dict(os.environ, WHY3CONFIG=why3conf),
                       capture_output=True, check=True)
        # z3 on the split goals of the readers needs more than why3's default 1000 MB.
        with open(why3conf) as f:
            conf = f.read()
        with open(why3conf, "w") as f:
            f.write(re.sub(r"(?m)^memlimit = \d+", "memlimit = 4000", conf))
    comps = read_components(os.path.join(root, a.components))
    base = read_baseline(os.path.join(root, a.baseline))
    passed = failed = 0
    proved_all = {}
    for name, source, skip in comps:
        log, cached = run_wp(root, build, name, source, skip, a.cpp, a.timeout, a.jobs, versions, why3conf)
        if log is None:
            failed += 1
            continue
        verdicts = {}
        for line in log.splitlines():
            m = GOAL.match(line)
            if m:
                verdicts[m.group(1)] = m.group(2)
        proved = {g for g, v in verdicts.items() if v in ("Valid", "trivial")}
        unproved = sorted(set(verdicts) - proved)
        proved_all[name] = proved
        with open(os.path.join(build, name + ".unproved"), "w") as f:
            f.write("".join("%s %s\n" % (g, verdicts[g]) for g in unproved))
        lost = sorted(base.get(name, set()) - proved)
        new = proved - base.get(name, set())
        print("prove: %-10s %4d / %4d goals proved%s (%s)" % (
            name, len(proved), len(verdicts), " [cached]" if cached else "", source))
        for g in unproved:
            print("prove:   not proved: %s (%s)" % (g, verdicts[g]))
        if lost and a.update:
            print("prove: %s: %d goals of the old baseline are not proved now (dropped from it)" %
                  (name, len(lost)))
            passed += 1
        elif lost:
            failed += 1
            for g in lost:
                print("prove: %s: REGRESSION: %s was proved and is not any more" % (name, g))
        elif not proved:
            failed += 1
            print("prove: %s: no goal proved" % name)
        else:
            passed += 1
        if new and not a.update:
            print("prove: %s: %d goals proved that the baseline lacks (make prove-update records them)" %
                  (name, len(new)))
    total_p = sum(len(p) for p in proved_all.values())
    print("prove: %d goals proved in %d components" % (total_p, len(proved_all)))
    if a.update and not failed:
        path = os.path.join(root, a.baseline)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write("# Goals make prove has proved (kit/prove/prove.py --update); a goal that leaves fails make test.\n")
            for name in sorted(proved_all):
                for g in sorted(proved_all[name]):
                    f.write("%s %s\n" % (name, g))
        print("prove: baseline written to %s" % a.baseline)
    if a.results:
        os.makedirs(os.path.dirname(a.results), exist_ok=True)
        with open(a.results, "w") as f:
            f.write("%d %d 0\n" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
