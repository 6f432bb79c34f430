#!/usr/bin/python3
"""What skillc check and build cost, against libyaml's own parse.

usage: perf_bench.py [--sizes 1,10,100] [--rounds N] [--callgrind-sizes 1,10,100]
                     [--standards FILE,...] [--standard-rounds N]
                     [--skillc PATH] [--baseline PATH] [--measure PATH]
                     [--keep DIR] [--out FILE]

The one command, from the top of the tree (about half an hour, most of it
callgrind at 100 MB):

  meson setup build-bench --buildtype=release && ninja -C build-bench &&
  python3 tests/bench/perf_bench.py --out bench.md

For each size (MB), gen_big.py writes a valid standard in a temporary
directory (--keep DIR: there, and kept). Then, in each of --rounds rounds
(default 5), one after the other so that a change of the machine's load
touches all alike, each round starting with the next of them (on a
virtual machine, the first of two runs of one binary in a row took 10 %
longer than the second):

  events     tests/bench/yaml_events FILE: libyaml's event loop, keeping
             nothing (the baseline, built by meson beside skillc)
  document   yaml_events --document FILE: libyaml's document API, its tree
             of the whole file (for comparison)
  check      skillc check FILE (must exit 0 and print nothing)
  build      skillc build -o DIR FILE: every output (C, JSON, Markdown,
             DOCX), into a directory that does not exist yet, so that build
             holds every output until all are rendered (nothing is made on
             an error); each round's outputs must be byte-identical to the
             first's
  build-in   the same into an empty directory made before, as a build
             system makes it: each output is written as soon as it is
             rendered (its peak RSS is what a rebuild needs); its outputs
             must be build's

Each program's wall time is divided by the events run's of the same round,
and the median of these per-round ratios is reported; peak resident memory
is the largest of the rounds, divided by the file's size. Both are taken
by tests/bench/measure.c, which runs the program: from Python, a child's
peak RSS would count the benchmark's own (the kernel keeps the largest a
process had, before its exec included), and its wall time Python's
spawning.
callgrind counts the instructions of one run of each at --callgrind-sizes
(default 1,10,100; '' for none), with SKILLC_JIT=1 so that PCRE2's JIT runs
under valgrind as it does outside it: the code users run. The bundled
standards (--standards, default standard/*.yaml) are checked
--standard-rounds times (default 50) against the events loop on them.

The Markdown table goes to standard output and to --out FILE:

  input       the generated standard by size, or a bundled standard
  MB          its size in MB (10^6 bytes)
  events s    median wall seconds of the events loop
  X s         median wall seconds of X; X/events: median of per-round ratios
  X Ir/ev     callgrind instructions of X over the events loop's
  X RSS/in    X's peak resident memory over the input's size
  s/MB        check's and build's seconds per MB: constant if linear

followed by the targets of issue 15 and whether each holds, the machine
and its load average before and after. It exits 1 if a run fails (check
not clean, build failing or not deterministic); for CI, the 1 MB stage
alone takes a few seconds:

  python3 tests/bench/perf_bench.py --sizes 1 --rounds 1 --callgrind-sizes '' \\
      --standard-rounds 3

skillc is build-bench/compiler/skillc of this tree, the baseline
build-bench/tests/yaml_events and measure the one beside the baseline,
unless --skillc, --baseline and --measure say
otherwise. Timings are for people to read, never asserted: tests/ checks
what skillc says, tests/bench how fast it says it.
"""
import argparse
import glob
import hashlib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
GEN = os.path.join(HERE, "gen_big.py")
PROGRAMS = ("events", "document", "check", "build", "build-in")


def run(cmd, env=None):
    """Exit status and standard error of cmd."""
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    return p.returncode, p.stderr


def run_timed(args, cmd):
    """Exit status, wall seconds, peak RSS in bytes, standard output and
    standard error of cmd, as measure.c takes them; the streams read
    through files so that no pipe can fill."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as cost:
        rc = subprocess.run([args.measure, cost.name] + cmd, stdout=out,
                            stderr=err).returncode
        took = cost.read().split()  # none: measure itself failed
        out.seek(0)
        err.seek(0)
        if len(took) != 2:  # not a number, so that no ratio divides by 0
            return rc or 1, float("nan"), 0, out.read(), err.read()
        return rc, float(took[0]), int(took[1]), out.read(), err.read()


def tree_digest(d):
    h = hashlib.sha256()
    for name in sorted(os.listdir(d)):
        h.update(name.encode() + b"\0")
        with open(os.path.join(d, name), "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def commands(args, path, outdir):
    return {
        "events": [args.baseline, path],
        "document": [args.baseline, "--document", path],
        "check": [args.skillc, "check", path],
        "build": [args.skillc, "build", "-o", outdir, path],
        "build-in": [args.skillc, "build", "-o", outdir + "-in", path],
    }


def measure(args, tmp, label, path, rounds, programs, callgrind):
    """One row: wall ratios, RSS and instructions of programs on path."""
    failed = False
    walls = {p: [] for p in programs}
    peaks = {p: 0 for p in programs}
    digest = None
    outdir = os.path.join(tmp, "out")
    for r in range(rounds):
        shutil.rmtree(outdir, ignore_errors=True)
        shutil.rmtree(outdir + "-in", ignore_errors=True)
        if "build-in" in programs:
            os.mkdir(outdir + "-in")
        cmds = commands(args, path, outdir)
        # Each round starts with the next program: on a virtual machine,
        # the first of two runs of one binary took 10 % longer.
        turn = r % len(programs)
        for prog in tuple(programs[turn:]) + tuple(programs[:turn]):
            rc, wall, rss, out, err = run_timed(args, cmds[prog])
            bad = rc != 0 or (prog == "check" and label[0] != "standard" and err)
            if bad:
                sys.stderr.write(err.decode(errors="replace")[:2000])
                sys.stderr.write("perf_bench.py: %s exited %d\n" % (" ".join(cmds[prog]), rc))
                failed = True
            walls[prog].append(wall)
            peaks[prog] = max(peaks[prog], rss)
        if "build" in programs and not failed:
            d = tree_digest(outdir)
            if digest is not None and d != digest:
                sys.stderr.write("perf_bench.py: build's outputs of %s differ between rounds\n" % path)
                failed = True
            digest = d
            if "build-in" in programs and tree_digest(outdir + "-in") != d:
                sys.stderr.write("perf_bench.py: build's outputs of %s differ in an "
                                 "existing directory\n" % path)
                failed = True
    size = os.path.getsize(path)
    row = {"label": label, "MB": size / 1e6, "rounds": rounds}
    for prog in programs:
        row[prog + " s"] = statistics.median(walls[prog])
        row[prog + " RSS"] = peaks[prog]
        if prog != "events":
            row[prog + "/events"] = statistics.median(
                w / e for w, e in zip(walls[prog], walls["events"]))
    if callgrind:
        env = dict(os.environ, SKILLC_JIT="1")
        cmds = commands(args, path, outdir)
        for prog in programs:
            if prog == "build-in":
                continue  # build's instructions, less a mkdir
            shutil.rmtree(outdir, ignore_errors=True)
            cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmds[prog]
            rc, err = run(cmd, env)
            m = re.search(rb"Collected : (\d+)", err)
            if rc != 0 or not m:
                sys.stderr.write(err.decode(errors="replace")[-2000:])
                sys.stderr.write("perf_bench.py: callgrind of %s failed\n" % prog)
                failed = True
                continue
            row[prog + " Ir"] = int(m.group(1))
    shutil.rmtree(outdir, ignore_errors=True)
    shutil.rmtree(outdir + "-in", ignore_errors=True)
    sys.stderr.write("%s %.1f MB: %s\n" % (label[1], row["MB"], ", ".join(
        "%s %.3f s" % (p, row[p + " s"]) for p in programs)))
    return row, failed


def ratio(row, prog, what):
    """prog's wall ("s") or instructions ("Ir") over the events loop's, or
    its peak RSS ("RSS") over the input's size; None if not measured."""
    if prog + " s" not in row:
        return None
    if what == "Ir":
        if prog + " Ir" not in row or "events Ir" not in row:
            return None
        return row[prog + " Ir"] / row["events Ir"]
    if what == "s":
        return row.get(prog + "/events")
    return row[prog + " RSS"] / (row["MB"] * 1e6)


# The table's columns of each program: its median seconds ("time"), then
# its ratios (ratio's "s", "Ir", "RSS").
COLUMNS = (("check", ("time", "s", "Ir", "RSS")), ("build", ("time", "s", "Ir", "RSS")),
           ("build-in", ("s", "RSS")), ("document", ("s", "Ir", "RSS")))
HEADS = {"time": "%s s", "s": "%s/events", "Ir": "%s Ir/ev", "RSS": "%s RSS/in"}


def table(rows):
    head = ["input", "MB", "events s"]
    head += [HEADS[what] % prog for prog, whats in COLUMNS for what in whats]
    head += ["check s/MB", "build s/MB", "rounds"]
    out = ["| " + " | ".join(head) + " |",
           "|" + "|".join("---" if h == "input" else "--:" for h in head) + "|"]
    for r in rows:
        cells = [r["label"][1], "%.2f" % r["MB"], "%.4f" % r["events s"]]
        for prog, whats in COLUMNS:
            for what in whats:
                if what == "time":
                    x, f = r.get(prog + " s"), "%.4f"
                else:
                    x, f = ratio(r, prog, what), "%.2f"
                cells.append("–" if x is None else f % x)
        for prog in ("check", "build"):
            cells.append("%.4f" % (r[prog + " s"] / r["MB"]) if prog + " s" in r else "–")
        cells.append(str(r["rounds"]))
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def targets(rows):
    """Issue 15's targets, each with the figures that decide it."""
    big = [r for r in rows if r["label"][0] == "size" and r["MB"] >= 5]
    sized = [r for r in rows if r["label"][0] == "size"]
    std = [r for r in rows if r["label"][0] == "standard"]
    lines = []

    def verdict(name, values, limit):
        vals = [(lbl, v) for lbl, v in values if v is not None]
        if not vals:
            lines.append("- %s: not measured" % name)
            return
        ok = all(v <= limit for _, v in vals)
        lines.append("- %s ≤ %g: %s (%s)" % (name, limit, "holds" if ok else "DOES NOT HOLD",
                                             ", ".join("%s %.2f" % (l, v) for l, v in vals)))

    lbl = lambda r: "%s MB" % r["label"][1]
    verdict("check instructions ÷ events (10, 100 MB)", [(lbl(r), ratio(r, "check", "Ir")) for r in big], 2)
    verdict("check wall ÷ events (10, 100 MB)", [(lbl(r), ratio(r, "check", "s")) for r in big], 2.5)
    verdict("build instructions ÷ events", [(lbl(r), ratio(r, "build", "Ir")) for r in sized], 5)
    verdict("build wall ÷ events", [(lbl(r), ratio(r, "build", "s")) for r in sized], 5)
    verdict("build wall ÷ events, into an existing directory",
            [(lbl(r), ratio(r, "build-in", "s")) for r in sized], 5)
    verdict("check peak RSS ÷ input", [(lbl(r), ratio(r, "check", "RSS")) for r in sized], 3)
    verdict("build peak RSS ÷ input", [(lbl(r), ratio(r, "build", "RSS")) for r in sized], 4)
    verdict("build peak RSS ÷ input, into an existing directory",
            [(lbl(r), ratio(r, "build-in", "RSS")) for r in sized], 4)
    verdict("bundled standard: check wall ÷ events", [(r["label"][1], ratio(r, "check", "s")) for r in std], 2)
    if len(sized) >= 2:
        lo, hi = sized[0], sized[-1]
        for prog in ("check", "build"):
            a, b = lo[prog + " s"] / lo["MB"], hi[prog + " s"] / hi["MB"]
            lines.append("- linear: %s s/MB %.4f at %.1f MB, %.4f at %.1f MB (× %.2f)" % (
                prog, a, lo["MB"], b, hi["MB"], b / a))
    return lines


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.*)", f.read())
            cpu = m.group(1).strip() if m else cpu
        with open("/proc/meminfo") as f:
            mem = int(re.search(r"MemTotal:\s*(\d+)", f.read()).group(1)) / 2**20
    except OSError:
        mem = 0
    return "%s, %d CPUs, %.0f GiB, %s %s" % (cpu, os.cpu_count(), mem, platform.system(),
                                            platform.release())


def sizes(s):
    return [float(x) for x in s.split(",") if x.strip()]


def rounds(s):
    """A count of rounds: a median needs one at least."""
    n = int(s)
    if n < 1:
        raise argparse.ArgumentTypeError("at least one round (--standards '' runs none)")
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=sizes, default=sizes("1,10,100"))
    ap.add_argument("--rounds", type=rounds, default=5)
    ap.add_argument("--callgrind-sizes", type=sizes, default=sizes("1,10,100"))
    ap.add_argument("--standards", default=None,
                    help="comma-separated; default standard/*.yaml; '' for none")
    ap.add_argument("--standard-rounds", type=rounds, default=50)
    ap.add_argument("--skillc", default=os.path.join(TOP, "build-bench", "compiler", "skillc"))
    ap.add_argument("--baseline", default=os.path.join(TOP, "build-bench", "tests", "yaml_events"))
    ap.add_argument("--measure", default=None)
    ap.add_argument("--keep", metavar="DIR")
    ap.add_argument("--out", metavar="FILE")
    args = ap.parse_args()
    if args.measure is None:
        args.measure = os.path.join(os.path.dirname(args.baseline), "measure")
    for exe in (args.skillc, args.baseline, args.measure):
        if not os.access(exe, os.X_OK):
            raise SystemExit("perf_bench.py: no %s: meson setup build-bench "
                             "--buildtype=release && ninja -C build-bench" % exe)
    if args.callgrind_sizes and not shutil.which("valgrind"):
        raise SystemExit("perf_bench.py: callgrind needs valgrind; --callgrind-sizes '' for none")
    standards = (sorted(glob.glob(os.path.join(TOP, "standard", "*.yaml")))
                 if args.standards is None else [s for s in args.standards.split(",") if s])
    version = subprocess.run([args.skillc, "--version"], capture_output=True,
                             text=True).stdout.strip().splitlines()[:1]
    load_before = os.getloadavg()
    rows, failed = [], False
    with tempfile.TemporaryDirectory(prefix="perf_bench.") as tmp:
        where = args.keep or tmp
        os.makedirs(where, exist_ok=True)
        for mb in args.sizes:
            name = ("%g" % mb) if mb == int(mb) else str(mb)
            path = os.path.join(where, "big-%s.yaml" % name)
            if not os.path.exists(path):  # made whole, or not at all
                subprocess.run([sys.executable, GEN, str(mb), path + ".tmp"], check=True)
                os.rename(path + ".tmp", path)
            row, f = measure(args, tmp, ("size", name), path, args.rounds, PROGRAMS,
                             mb in args.callgrind_sizes)
            rows.append(row)
            failed |= f
        for path in standards:
            row, f = measure(args, tmp, ("standard", os.path.basename(path)), path,
                             args.standard_rounds, ("events", "check"), bool(args.callgrind_sizes))
            rows.append(row)
            failed |= f
    load_after = os.getloadavg()
    text = "\n".join([table(rows), ""] + targets(rows) + [
        "",
        "skillc: %s (%s); baseline %s; machine: %s; load average %.2f %.2f %.2f before, "
        "%.2f %.2f %.2f after." % (
            version[0] if version else "?", args.skillc, args.baseline, machine(),
            *load_before, *load_after),
        ""]) + "\n"
    sys.stdout.write(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
