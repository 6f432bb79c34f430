#!/usr/bin/python3
"""What 'skillc fix' promises, tested from outside on one source.

usage: check_fix.py SKILLC SOURCE.yaml

SOURCE is copied to a scratch directory and 'skillc fix' runs on the copy.
Then:
  - fix exits 0 and says how many replacements it made, one line each
    ('FILE:LINE:COL: replaced 'X' with 'Y' [ID name]'), at least one;
  - every replacement it names is a finding 'skillc check' reported on the
    original with a replacement ("; write '...'" or "; delete it"), at the
    same place; the findings it leaves alone are those that cannot be
    replaced in place: at an escape of a double-quoted scalar (the column
    names a '\\') or in a folded scalar (the column names its '>');
  - the fixed file differs from the original only at those places, each
    changed region being exactly X replaced by Y (difflib on the bytes): no
    comment, key, quote, indentation or line is touched elsewhere;
  - the fixed file is YAML of the same shape (same keys in the same order,
    same list lengths, same kinds of values) and 'skillc check' accepts it
    (exit 0) with no finding that has a replacement left but those left
    alone, and every other finding (latin-word, final-punctuation, ...)
    still there, moved only by the columns the replacements added or took;
  - a second 'skillc fix' makes 0 replacements and leaves the file
    byte-identical, with the same inode and mtime, and no file behind.
Exits 0 when all holds, 1 with a message for each thing that does not.
With SKILLC_VALGRIND=1 skillc runs under valgrind memcheck.
"""
import difflib
import os
import re
import shutil
import sys
import tempfile
from collections import Counter

import yaml

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import skillc_run  # noqa: E402

DIAG = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): "
                  r"(?P<msg>.*) \[(?P<id>\S+) (?P<name>\S+)\]$")
REPLACED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): replaced '(?P<x>.*?)' "
                      r"with '(?P<y>.*)' \[(?P<id>\S+) (?P<name>\S+)\]$")
OLD_MTIME_NS = 1_000_000_000 * 10**9  # 2001-09-09: far from any clock now

problems = []


def fail(msg):
    problems.append(msg)


def diagnostics(stderr):
    """The errors and warnings of a run, as dicts (notes left out)."""
    found = []
    for line in stderr.decode().splitlines():
        m = DIAG.match(line)
        if m:
            d = m.groupdict()
            d["line"], d["col"] = int(d["line"]), int(d["col"])
            d["fixable"] = "; write '" in d["msg"] or d["msg"].endswith("; delete it")
            found.append(d)
    return found


def offset(lines, line, col):
    """The byte offset of 1-based line and character column in the file."""
    start = sum(len(x) for x in lines[:line - 1])
    return start + len(lines[line - 1].decode()[:col - 1].encode())


def shape(a, b, where="$"):
    """Why two loaded YAML documents differ in shape, or None."""
    if type(a) is not type(b):
        return "%s: %s became %s" % (where, type(a).__name__, type(b).__name__)
    if isinstance(a, dict):
        if list(a) != list(b):
            return "%s: keys %s became %s" % (where, list(a), list(b))
        for k in a:
            why = shape(a[k], b[k], "%s.%s" % (where, k))
            if why:
                return why
    elif isinstance(a, list):
        if len(a) != len(b):
            return "%s: %d items became %d" % (where, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            why = shape(x, y, "%s[%d]" % (where, i))
            if why:
                return why
    elif not isinstance(a, str) and a != b:
        return "%s: %r became %r" % (where, a, b)
    return None


def changed_regions(old, new):
    """The changed byte regions of old -> new as (old_start, old_end,
    new_bytes): lines first (fast), then bytes within changed lines."""
    old_lines, new_lines = old.splitlines(True), new.splitlines(True)
    old_at = [0]
    for x in old_lines:
        old_at.append(old_at[-1] + len(x))
    regions = []
    lines = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        if tag == "equal":
            continue
        a, b = b"".join(old_lines[i1:i2]), b"".join(new_lines[j1:j2])
        chars = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for t, k1, k2, l1, l2 in chars.get_opcodes():
            if t != "equal":
                regions.append((old_at[i1] + k1, old_at[i1] + k2, b[l1:l2]))
    return regions


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    skillc, source = os.path.abspath(sys.argv[1]), sys.argv[2]
    name = os.path.basename(source)
    with tempfile.TemporaryDirectory(prefix="skillc-fix-") as tmp:
        path = os.path.join(tmp, name)
        shutil.copyfile(source, path)
        with open(path, "rb") as f:
            original = f.read()
        lines = original.splitlines(True)

        before = diagnostics(skillc_run.run(skillc, ["check", name], cwd=tmp).stderr)

        run = skillc_run.run(skillc, ["fix", name], cwd=tmp)
        if run.returncode != 0:
            fail("skillc fix exited %d: %s" % (run.returncode, run.stderr.decode()))
        out = run.stdout.decode().splitlines()
        reps = []
        for line in out[:-1]:
            m = REPLACED.match(line)
            if not m or m["file"] != name:
                fail("skillc fix printed an unexpected line: %r" % line)
                continue
            r = m.groupdict()
            r["line"], r["col"] = int(r["line"]), int(r["col"])
            reps.append(r)
        summary = "%s: %d replacement%s" % (name, len(reps), "" if len(reps) == 1 else "s")
        if not out or out[-1] != summary:
            fail("skillc fix's last line is %r, not %r" % (out[-1] if out else "", summary))
        if not reps:
            fail("skillc fix made no replacement: the test cannot fail")
        with open(path, "rb") as f:
            fixed = f.read()

        # skillc fix works in rounds (a replacement can make another one
        # possible); within a round it reports in source order, so a
        # position not after the one before starts the next round.
        rounds = []
        for r in reps:
            if not rounds or (r["line"], r["col"]) <= (rounds[-1][-1]["line"], rounds[-1][-1]["col"]):
                rounds.append([])
            rounds[-1].append(r)
        # Each replacement of the first round: a fixable finding of check;
        # in every round, X found where it says in the text of that round.
        fixable = {(d["line"], d["col"], d["id"]): d for d in before if d["fixable"]}
        current, first_spans = original, []
        for k, round_reps in enumerate(rounds):
            cur_lines = current.splitlines(True)
            spans = []
            for r in round_reps:
                where = "%d:%d" % (r["line"], r["col"])
                if k == 0 and (r["line"], r["col"], r["id"]) not in fixable:
                    fail("%s: replacement [%s] is not a finding of check with a replacement"
                         % (where, r["id"]))
                x, y = r["x"].encode(), r["y"].encode()
                at = offset(cur_lines, r["line"], r["col"])
                if current[at:at + len(x)] != x:
                    fail("%s: the text holds %r there, not the replaced %r"
                         % (where, current[at:at + len(x)].decode(errors="replace"), r["x"]))
                spans.append((at, at + len(x), y, where))
            spans.sort()
            for (s1, e1, _, w1), (s2, _, _, w2) in zip(spans, spans[1:]):
                if s2 < e1:
                    fail("replacements at %s and %s overlap" % (w1, w2))
            following, done = b"", 0
            for s_, e, y, _ in spans:
                following += current[done:s_] + y
                done = e
            following += current[done:]
            current = following
            if k == 0:
                first_spans = spans
        # The fixed file: the original with exactly these replacements.
        if fixed != current:
            fail("the fixed file is not the original with the printed replacements")
        if len(rounds) == 1:
            for s_, e, new in changed_regions(original, fixed):
                if not [sp for sp in first_spans if sp[0] <= s_ and e <= sp[1]]:
                    line = original.count(b"\n", 0, s_) + 1
                    fail("line %d changed outside any replacement: %r -> %r"
                         % (line, original[s_:e].decode(errors="replace"),
                            new.decode(errors="replace")))
        if len(fixed.splitlines()) != len(lines):
            fail("the number of lines changed")
        for i, (a, b) in enumerate(zip(original.splitlines(), fixed.splitlines()), 1):
            if a.lstrip().startswith(b"#") and a != b:
                fail("comment line %d changed" % i)

        # Same YAML shape, accepted by check.
        try:
            why = shape(yaml.safe_load(original), yaml.safe_load(fixed))
            if why:
                fail("the fixed YAML has another shape: " + why)
        except yaml.YAMLError as e:
            fail("the fixed file is not YAML: %s" % e)
        run = skillc_run.run(skillc, ["check", name], cwd=tmp)
        if run.returncode != 0:
            fail("skillc check of the fixed file exited %d" % run.returncode)
        after = diagnostics(run.stderr)

        # Where a finding of the original stands in the fixed file.
        def moved(d):
            col = d["col"]
            for r in reps:
                if r["line"] == d["line"] and r["col"] < d["col"]:
                    col += len(r["y"]) - len(r["x"])
            return (d["line"], col, d["id"], d["msg"])

        replaced = {(r["line"], r["col"], r["id"]) for r in reps}
        left = [d for d in before if d["fixable"]
                and (d["line"], d["col"], d["id"]) not in replaced]
        for d in left:
            ch = lines[d["line"] - 1].decode()[d["col"] - 1:d["col"]]
            if ch not in ("\\", ">"):
                fail("%d:%d: [%s] %s was left alone, though it is neither at an escape "
                     "nor in a folded scalar" % (d["line"], d["col"], d["id"], d["msg"]))
        want_fixable = Counter(moved(d) for d in left)
        got_fixable = Counter((d["line"], d["col"], d["id"], d["msg"])
                              for d in after if d["fixable"])
        for k in got_fixable - want_fixable:
            fail("%d:%d: [%s] %s is still reported after fix" % k)
        for k in want_fixable - got_fixable:
            fail("%d:%d: [%s] %s, left alone by fix, is no longer reported" % k)
        want_other = Counter(moved(d) for d in before if not d["fixable"])
        got_other = Counter((d["line"], d["col"], d["id"], d["msg"])
                            for d in after if not d["fixable"])
        for k in want_other - got_other:
            fail("%d:%d: [%s] %s, which fix cannot replace, is gone after fix" % k)
        for k in got_other - want_other:
            fail("%d:%d: [%s] %s is new after fix" % k)

        # A second fix changes nothing and does not even write.
        os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
        st = os.stat(path)
        run = skillc_run.run(skillc, ["fix", name], cwd=tmp)
        if run.returncode != 0:
            fail("the second skillc fix exited %d" % run.returncode)
        if run.stdout.decode() != "%s: 0 replacements\n" % name:
            fail("the second skillc fix printed %r" % run.stdout.decode())
        with open(path, "rb") as f:
            if f.read() != fixed:
                fail("the second skillc fix changed the file")
        st2 = os.stat(path)
        if (st2.st_ino, st2.st_mtime_ns) != (st.st_ino, st.st_mtime_ns):
            fail("the second skillc fix touched the file (inode or mtime)")
        if os.listdir(tmp) != [name]:
            fail("files left behind: %s" % sorted(set(os.listdir(tmp)) - {name}))

    for p in problems:
        print("FAIL: %s: %s" % (source, p))
    if not problems:
        print("%s: %d replacements, %d left alone, all as promised"
              % (source, len(reps), len(left)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
