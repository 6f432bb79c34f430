#!/usr/bin/python3
"""What 'skillc fix --dry-run' promises, tested from outside on one source.

usage: check_dry_run.py SKILLC SOURCE.yaml

SOURCE is copied to a scratch directory twice; 'skillc fix --dry-run' runs
on one copy and 'skillc fix' on the other. Then:
  - the dry run changes nothing: the file keeps its bytes, inode, mode and
    mtime, and no file is added beside it;
  - its standard output is the unified diff from the file to what fix
    wrote, byte for byte as Python's difflib writes it ('--- a/NAME',
    '+++ b/NAME', hunks with 3 lines of context), and applying it to the
    file gives exactly what fix wrote;
  - it exits 1 when fix changed something, 0 when not; '--diff' does the
    same;
  - what it reports on standard error is what remains, the findings
    'skillc check' reports on fix's result, each on the same line, at the
    place in the file as it is where the text it points at stands.
Exits 0 when all holds, 1 with a message for each thing that does not.
With SKILLC_VALGRIND=1 skillc runs under valgrind memcheck.
"""
import difflib
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import skillc_run  # noqa: E402

DIAG = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): "
                  r"(?P<msg>.*) \[(?P<id>\S+) (?P<name>\S+)\]$")
HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$")
OLD_MTIME_NS = 1_000_000_000 * 10**9

problems = []


def fail(msg):
    problems.append(msg)


def findings(stderr):
    return [m.groupdict() for m in map(DIAG.match, stderr.decode().splitlines()) if m]


def apply(old, diff):
    """old (lines, with their ends) patched by a unified diff (lines)."""
    out, at, i = [], 0, 2
    while i < len(diff):
        m = HUNK.match(diff[i].rstrip("\n"))
        if not m:
            raise ValueError("not a hunk header: %r" % diff[i])
        start = int(m[1]) - (0 if m[2] == "0" else 1)
        out += old[at:start]
        at = start
        i += 1
        while i < len(diff) and not diff[i].startswith("@@"):
            line, i = diff[i], i + 1
            if i < len(diff) and diff[i].startswith("\\"):
                line, i = line.rstrip("\n"), i + 1
            if line[0] in " -":
                if old[at] != line[1:]:
                    raise ValueError("line %d is %r, the diff says %r" % (at + 1, old[at], line[1:]))
                at += 1
            if line[0] in " +":
                out.append(line[1:])
    return out + old[at:]


def main():
    skillc, source = os.path.abspath(sys.argv[1]), sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="skillc-dry-run-") as tmp:
        name = "input.yaml"
        dry, real = os.path.join(tmp, "dry"), os.path.join(tmp, "real")
        for d in (dry, real):
            os.mkdir(d)
            shutil.copyfile(source, os.path.join(d, name))
        path = os.path.join(dry, name)
        os.chmod(path, 0o640)
        os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
        st = os.stat(path)
        with open(path, "rb") as f:
            original = f.read()

        run = skillc_run.run(skillc, ["fix", "--dry-run", name], cwd=dry)
        fixed_run = skillc_run.run(skillc, ["fix", name], cwd=real)
        with open(os.path.join(real, name), "rb") as f:
            fixed = f.read()
        if fixed_run.returncode != 0:
            fail("skillc fix exited %d: the test needs a source fix writes"
                 % fixed_run.returncode)

        st2 = os.stat(path)
        with open(path, "rb") as f:
            if f.read() != original:
                fail("the dry run changed the file")
        if (st2.st_ino, st2.st_mtime_ns, st2.st_mode) != (st.st_ino, st.st_mtime_ns, st.st_mode):
            fail("the dry run touched the file (inode, mtime or mode)")
        if os.listdir(dry) != [name]:
            fail("the dry run left %s" % sorted(set(os.listdir(dry)) - {name}))

        want_status = 1 if fixed != original else 0
        if run.returncode != want_status:
            fail("the dry run exited %d, not %d" % (run.returncode, want_status))
        if fixed == original:
            fail("fix changes nothing in %s: the test cannot fail" % source)
        old_lines = original.decode().splitlines(True)
        new_lines = fixed.decode().splitlines(True)
        want = "".join(difflib.unified_diff(old_lines, new_lines, "a/" + name, "b/" + name))
        got = run.stdout.decode()
        if got != want:
            fail("the diff is not difflib's:\n--- got\n%s--- difflib\n%s" % (got[:2000], want[:2000]))
        try:
            if "".join(apply(old_lines, got.splitlines(True))) != fixed.decode():
                fail("the diff applied to the file is not what fix wrote")
        except (ValueError, IndexError) as e:
            fail("the diff does not apply: %s" % e)

        other = skillc_run.run(skillc, ["fix", "--diff", name], cwd=dry)
        if (other.returncode, other.stdout, other.stderr) != (run.returncode, run.stdout, run.stderr):
            fail("--diff does not do what --dry-run does")

        # What remains, where it stands in the file as it is.
        check = skillc_run.run(skillc, ["check", name], cwd=real)
        remain, after = findings(run.stderr), findings(check.stderr)
        key = [(f["line"], f["id"], f["msg"]) for f in remain]
        if key != [(f["line"], f["id"], f["msg"]) for f in after]:
            fail("the dry run reports %d findings, check of fix's result %d (or others)"
                 % (len(remain), len(after)))
        old_text = original.decode().split("\n")
        new_text = fixed.decode().split("\n")
        for f, g in zip(remain, after):
            line = int(f["line"]) - 1
            here = old_text[line][int(f["col"]) - 1:]
            there = new_text[line][int(g["col"]) - 1:]
            if here[:3] != there[:3] and here[:3] != there[1:4]:  # or quoted
                fail("%s:%s: [%s] points at %r; on fix's result at %r"
                     % (f["line"], f["col"], f["id"], here[:8], there[:8]))

    for p in problems:
        print("FAIL: %s: %s" % (source, p))
    if not problems:
        print("%s: a diff of %d lines, %d findings remain, nothing touched"
              % (source, len(run.stdout.splitlines()), len(remain)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
