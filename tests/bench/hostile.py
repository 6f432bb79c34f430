#!/usr/bin/python3
"""What hostile inputs cost: time and peak memory of skillc on each.

usage: hostile.py [--measure PATH] SKILLC [SKILLC...]

For each skillc given (say, before and after a change) and each input,
runs 'skillc check' three times and prints the median wall time and peak
resident memory, as a Markdown table. Both are taken by
tests/bench/measure.c (--measure, default build/tests/measure), which
runs the program: a child of Python would count Python's own memory
(the kernel keeps the largest resident size a process had, before its
exec included), 37 MB, more than most of these runs.

  one-file      the bundled standard
  1000-files    1,000 copies of it in one run (each standard's memory must
                go before the next)
  findings-N    one text with N half-width commas between Chinese
                characters, a finding each (positions found incrementally:
                linear in N), with --caret=always (each quote a window)
  budget        a 4 MB standard of texts of 'a's and a rules file with a
                backtracking rule (every text hits the match limit): the
                run-wide budget of the text rules ends it
  duplicates-N  one line of N + 1 equal keys (k: {a,a,...}): N errors, each
                with a note far back on the line, "first given here"
                (placed from the nearest mark on the line: linear in N)
  flow-list     one flow list of 999,999 one-letter scalars, and
  flow-map      one flow mapping of 238,328 three-letter keys: the most
                nodes a byte of input makes (docs/limits.md, Memory)

Timings are for people to read, never asserted: tests/ checks what skillc
says, tests/bench how fast it says it.
"""
import math
import os
import resource
import statistics
import sys
import tempfile
import types

from perf_bench import run_timed  # measure.c's figures, as perf_bench takes them

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
BUNDLED = os.path.join(TOP, "standard", "med-aesthetic-internet-operator.yaml")
MINIMAL = os.path.join(TOP, "tests", "schema", "minimal.yaml")
SKILL = "                  text: 能检查车辆\n"


def measure(tool, cmd):
    """Median wall seconds and peak RSS (MB) of three runs."""
    walls, peaks = [], []
    for _ in range(3):
        _, wall, rss, _, _ = run_timed(types.SimpleNamespace(measure=tool), cmd)
        if math.isnan(wall):
            sys.exit("hostile.py: %s could not run %s" % (tool, cmd[0]))
        walls.append(wall)
        peaks.append(rss / 1e6)
    return statistics.median(walls), max(peaks)


def inputs(tmp):
    minimal = open(MINIMAL, encoding="utf-8").read()
    many = os.path.join(tmp, "many")
    os.mkdir(many)
    copies = []
    for i in range(1000):
        p = os.path.join(many, "s%d.yaml" % i)
        os.link(BUNDLED, p) if i else open(p, "wb").write(open(BUNDLED, "rb").read())
        copies.append(p)
    yield "one-file", ["check", BUNDLED]
    yield "1000-files", ["check"] + copies
    for n in (5000, 20000, 150000):
        p = os.path.join(tmp, "findings-%d.yaml" % n)
        with open(p, "w", encoding="utf-8") as f:
            f.write(minimal.replace(SKILL, "                  text: " + "中," * n + "中\n"))
        yield "findings-%d" % n, ["check", "--caret=always", p]
    big = os.path.join(tmp, "budget.yaml")
    items = "".join('                - id: "1.1.%d"\n                  text: %sb\n'
                    % (i + 1, "a" * 30) for i in range(40000))
    with open(big, "w", encoding="utf-8") as f:
        f.write(minimal.replace('                - id: "1.1.1"\n' + SKILL, items, 1))
    rules = os.path.join(tmp, "rules.yaml")
    with open(rules, "w") as f:
        f.write("skillc_rules: 1\nrules:\n  - id: X0001\n    name: backtrack\n"
                "    severity: warning\n    summary: backtracks\n"
                "    fields: [skills]\n    pattern: '(a|aa)+c'\n    message: m\n")
    yield "budget", ["check", "--rules", rules, big]
    for n in (50000, 200000):
        p = os.path.join(tmp, "duplicates-%d.yaml" % n)
        with open(p, "w") as f:
            f.write("k: {" + ",".join(["a"] * (n + 1)) + "}\n")
        yield "duplicates-%d" % n, ["check", p]
    p = os.path.join(tmp, "flow-list.yaml")
    with open(p, "w") as f:
        f.write("k: [" + ",".join(["a"] * 999999) + "]\n")
    yield "flow-list", ["check", p]
    chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    p = os.path.join(tmp, "flow-map.yaml")
    with open(p, "w") as f:
        f.write("k: {" + ",".join(a + b + c for a in chars for b in chars
                                  for c in chars) + "}\n")
    yield "flow-map", ["check", p]


def main():
    argv = sys.argv[1:]
    tool = os.path.join(TOP, "build", "tests", "measure")
    if argv[:1] == ["--measure"] and len(argv) > 1:
        tool, argv = os.path.abspath(argv[1]), argv[2:]
    if not argv:
        sys.exit(__doc__.split("\n\n")[1])
    skillcs = [os.path.abspath(s) for s in argv]
    with tempfile.TemporaryDirectory(prefix="skillc-bench-") as tmp:
        cases = list(inputs(tmp))
        print("| input | " + " | ".join(
            "%s: s, MB" % os.path.relpath(s, TOP) for s in skillcs) + " |")
        print("|---|" + "---|" * len(skillcs))
        for name, args in cases:
            cells = []
            for s in skillcs:
                wall, peak = measure(tool, [s] + args)
                cells.append("%.2f, %.1f" % (wall, peak))
            print("| %s | %s |" % (name, " | ".join(cells)), flush=True)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
