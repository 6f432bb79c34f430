#!/usr/bin/python3
"""What skillc diff costs on large standards: time and peak memory by size.

usage: diff_bench.py [--sizes 1,10,100] [--hostile-sizes 1,10]
                     [--hostile-kinds wide,max,dense] [--rounds N]
                     [--hostile-rounds N] [--skillc PATH] [--keep DIR]
                     [--out FILE]

For each size (MB), gen_diff_pair.py writes a pair OLD, NEW in a temporary
directory (--keep DIR: there, and kept), both are checked to exit 0, then
in each of --rounds rounds (default 5) `skillc diff OLD NEW` (exit 1
expected), `skillc check OLD` and `skillc check NEW` run one after the
other, interleaved so that a change of the machine's load touches all
three alike. Wall time is the median of the rounds, peak resident memory
the largest (wait4's rusage of each child). Then the hostile pairs
(gen_diff_pair.py --hostile KIND) of each of --hostile-sizes, --hostile-
rounds times each (default 1: they take minutes); --hostile-sizes '' for
none.

The Markdown table goes to standard output and to --out FILE:

  pair          normal, or the hostile kind
  MB            OLD's size in MB (10^6 bytes)
  diff s        median wall seconds of skillc diff
  diff CPU s    median user + system seconds of it: what a loaded machine
                inflates less
  check s       of skillc check OLD, and of skillc check NEW
  diff/checks   diff's time over the two checks' together: what comparing
                costs beyond reading and checking both
  s/MB          diff's seconds per MB of OLD: constant if linear
  RSS MB        diff's peak resident memory, MB (2^20 bytes)
  RSS/input     that over the bytes of OLD and NEW together
  lines         lines diff wrote

with the machine's load average before and after, and skillc's version.
It exits 1 if a file does not check clean (exit 0) or diff does not exit
1; for CI, the 1 MB stage alone takes a few seconds:

  python3 tests/bench/diff_bench.py --sizes 1 --hostile-sizes '' --rounds 1

skillc is build-bench/compiler/skillc of this tree unless --skillc: a
release build, made with

  meson setup build-bench --buildtype=release && ninja -C build-bench

Timings are for people to read, never asserted: tests/ checks what skillc
says, tests/bench how fast it says it.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
GEN = os.path.join(HERE, "gen_diff_pair.py")


def run(cmd, out=subprocess.DEVNULL):
    """Exit status, wall seconds, CPU seconds (user and system), peak RSS
    (bytes) and standard error of cmd."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
    err = p.stderr.read()
    p.stderr.close()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss * 1024, err


def sizes(s):
    return [float(x) for x in s.split(",") if x.strip()]


def fmt_mb(x):
    return ("%g" % x) if x == int(x) else "%.1f" % x


def bench(args, tmp, label, mb, hostile, rounds):
    old = os.path.join(tmp, "%s-%s-old.yaml" % (label, fmt_mb(mb)))
    new = os.path.join(tmp, "%s-%s-new.yaml" % (label, fmt_mb(mb)))
    out = os.path.join(tmp, "%s-%s-diff.txt" % (label, fmt_mb(mb)))
    start = time.perf_counter()
    gen = [sys.executable, GEN] + (["--hostile", hostile] if hostile else []) + \
        [str(mb), old, new, str(args.seed)]
    p = subprocess.run(gen, stderr=subprocess.PIPE, text=True)
    if p.returncode:
        sys.stderr.write(p.stderr)
        raise SystemExit("diff_bench.py: %s failed" % " ".join(gen))
    gen_s = time.perf_counter() - start
    edits = p.stderr.strip()
    failed = False
    walls = {"diff": [], "old": [], "new": []}
    cpus = []
    peaks = {"diff": 0, "old": 0, "new": 0}
    lines = None
    for r in range(rounds):
        with open(out, "wb") as f:
            rc, wall, cpu, rss, err = run([args.skillc, "diff", old, new], f)
        if rc != 1:
            sys.stderr.write(err.decode(errors="replace"))
            sys.stderr.write("diff_bench.py: skillc diff exited %d, not 1\n" % rc)
            failed = True
        walls["diff"].append(wall)
        cpus.append(cpu)
        peaks["diff"] = max(peaks["diff"], rss)
        with open(out, "rb") as f:
            n = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
        if lines is not None and n != lines:
            sys.stderr.write("diff_bench.py: diff wrote %d lines, then %d\n" % (lines, n))
            failed = True
        lines = n
        for which, path in (("old", old), ("new", new)):
            rc, wall, _, rss, err = run([args.skillc, "check", path])
            if rc != 0 or (r == 0 and err and not hostile):
                sys.stderr.write(err.decode(errors="replace")[:2000])
            if rc != 0:
                sys.stderr.write("diff_bench.py: skillc check %s exited %d\n" % (path, rc))
                failed = True
            walls[which].append(wall)
            peaks[which] = max(peaks[which], rss)
    so, sn = os.path.getsize(old), os.path.getsize(new)
    d, co, cn = (statistics.median(walls[k]) for k in ("diff", "old", "new"))
    row = {
        "pair": hostile or "normal", "MB": so / 1e6, "diff s": d,
        "diff CPU s": statistics.median(cpus),
        "check s": (co, cn), "diff/checks": d / (co + cn),
        "s/MB": d / (so / 1e6), "RSS MB": peaks["diff"] / 2**20,
        "check RSS MB": max(peaks["old"], peaks["new"]) / 2**20,
        "RSS/input": peaks["diff"] / (so + sn), "lines": lines,
        "rounds": rounds, "gen s": gen_s, "edits": edits,
        "spread": (min(walls["diff"]), max(walls["diff"])),
    }
    sys.stderr.write("%s %s MB: diff %.3f s (%.3f..%.3f), checks %.3f + %.3f s, "
                     "RSS %.1f MB, %d lines; generated in %.1f s: %s\n" % (
                         row["pair"], fmt_mb(mb), d, *row["spread"], co, cn,
                         row["RSS MB"], lines, gen_s, edits))
    if not args.keep:
        for f in (old, new, out):
            os.unlink(f)
    return row, failed


def table(rows):
    head = ["pair", "MB", "diff s", "diff CPU s", "check OLD s", "check NEW s", "diff/checks",
            "s/MB", "RSS MB", "check RSS MB", "RSS/input", "lines", "rounds"]
    out = ["| " + " | ".join(head) + " |",
           "|" + "|".join("---" if h == "pair" else "--:" for h in head) + "|"]
    for r in rows:
        out.append("| " + " | ".join([
            r["pair"], "%.1f" % r["MB"], "%.3f" % r["diff s"], "%.3f" % r["diff CPU s"],
            "%.3f" % r["check s"][0], "%.3f" % r["check s"][1],
            "%.2f" % r["diff/checks"], "%.3f" % r["s/MB"], "%.1f" % r["RSS MB"],
            "%.1f" % r["check RSS MB"], "%.2f" % r["RSS/input"], str(r["lines"]),
            str(r["rounds"])]) + " |")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=sizes, default=sizes("1,10,100"))
    ap.add_argument("--hostile-sizes", type=sizes, default=sizes("1,10"))
    ap.add_argument("--hostile-kinds", default="wide,max,dense")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--hostile-rounds", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skillc", default=os.path.join(TOP, "build-bench", "compiler", "skillc"))
    ap.add_argument("--keep", metavar="DIR")
    ap.add_argument("--out", metavar="FILE")
    args = ap.parse_args()
    if not os.access(args.skillc, os.X_OK):
        raise SystemExit("diff_bench.py: no %s: meson setup build-bench "
                         "--buildtype=release && ninja -C build-bench" % args.skillc)
    version = subprocess.run([args.skillc, "--version"], capture_output=True,
                             text=True).stdout.strip().splitlines()[:1]
    load_before = os.getloadavg()
    rows, failed = [], False
    with tempfile.TemporaryDirectory(prefix="diff_bench.") as tmp:
        where = args.keep or tmp
        if args.keep:
            os.makedirs(where, exist_ok=True)
        for mb in args.sizes:
            row, f = bench(args, where, "normal", mb, None, args.rounds)
            rows.append(row)
            failed |= f
        for kind in [k for k in args.hostile_kinds.split(",") if k]:
            for mb in args.hostile_sizes:
                row, f = bench(args, where, kind, mb, kind, args.hostile_rounds)
                rows.append(row)
                failed |= f
    load_after = os.getloadavg()
    text = "\n".join([
        table(rows), "",
        "skillc: %s (%s); %d CPUs; load average %.2f %.2f %.2f before, "
        "%.2f %.2f %.2f after." % (
            version[0] if version else "?", args.skillc, os.cpu_count(),
            *load_before, *load_after),
        "",
    ] + ["- %s %.1f MB: generated in %.1f s; %s" % (r["pair"], r["MB"], r["gen s"], r["edits"])
         for r in rows]) + "\n"
    sys.stdout.write(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
