#!/usr/bin/python3
"""Run one data-driven case of skillc and compare what it did, byte for byte.

usage: run_case.py SKILLC CASEDIR

A case is a directory holding:
  cmd              skillc's arguments, shell-quoted, run in CASEDIR
                   (default: check input.yaml); @OUT@ stands for an output
                   directory outside the tree that already holds earlier
                   outputs (NAME.h, .json, .md for each NAME.yaml the
                   arguments name): when skillc fails they must be left
                   byte-identical and untouched, with nothing added;
                   @TMP@ for a scratch directory
  generate.py      optional: run as 'generate.py TMP' first, to make inputs
                   too large to commit (in @TMP@)
  input.yaml       usually the input the arguments name
  expected.stderr  what skillc must print on stderr
  expected.stdout  what it must print on stdout (absent: nothing)
  expected.status  its exit status
  expected.files   the files skillc left in @OUT@, one per line (absent:
                   none at all)
With SKILLC_REGENERATE=1 the expected files are rewritten from the run
instead; review the diff like code. With SKILLC_VALGRIND=1 skillc runs
under valgrind memcheck and any error or leak fails the case.
"""
import os
import shlex
import subprocess
import tempfile
import sys

import skillc_run


def read(path, default=None):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return default


def listing(top):
    files = []
    for dirpath, _, names in os.walk(top):
        files += [os.path.relpath(os.path.join(dirpath, n), top) for n in names]
    return "".join(f + "\n" for f in sorted(files)).encode()


def earlier_outputs(args, out):
    """Fill out with earlier outputs of every input the arguments name."""
    os.makedirs(out)
    made = {}
    for a in args:
        if a.endswith(".yaml"):
            base = os.path.basename(a)[:-len(".yaml")]
            for ext in (".h", ".json", ".md"):
                path = os.path.join(out, base + ext)
                with open(path, "wb") as f:
                    f.write(b"earlier output of " + base.encode() + ext.encode() + b"\n")
                made[path] = (open(path, "rb").read(), os.stat(path).st_mtime_ns)
    return made


def untouched(made, out):
    """Why the earlier outputs are not as they were, or None."""
    for path, (data, mtime) in made.items():
        if not os.path.exists(path) or open(path, "rb").read() != data:
            return "%s was changed by a failing run" % os.path.basename(path)
        if os.stat(path).st_mtime_ns != mtime:
            return "%s was touched by a failing run" % os.path.basename(path)
    extra = set(os.path.join(out, n) for n in os.listdir(out)) - set(made)
    if extra:
        return "a failing run left %s" % sorted(os.path.basename(e) for e in extra)
    return None


def main():
    skillc, case = os.path.abspath(sys.argv[1]), sys.argv[2]
    args = shlex.split((read(os.path.join(case, "cmd"), b"check input.yaml")).decode())
    with tempfile.TemporaryDirectory(prefix="skillc-case-") as tmp:
        out, scratch = os.path.join(tmp, "out"), os.path.join(tmp, "tmp")
        os.makedirs(scratch)
        if os.path.exists(os.path.join(case, "generate.py")):
            subprocess.run([sys.executable, "generate.py", scratch], cwd=case, check=True)
        args = [a.replace("@OUT@", out).replace("@TMP@", scratch) for a in args]
        made = earlier_outputs(args, out) if any(a.startswith(out) for a in args) else {}
        run = skillc_run.run(skillc, args, cwd=case)
        if made and run.returncode != 0:
            why = untouched(made, out)
            if why:
                print("%s: %s" % (case, why))
                return 1
        files = listing(out) if os.path.isdir(out) else b""

        def clean(data):
            return data.replace(out.encode(), b"@OUT@").replace(scratch.encode(), b"@TMP@")
    got = {"stderr": clean(run.stderr), "stdout": clean(run.stdout),
           "status": b"%d\n" % run.returncode, "files": files}
    if os.environ.get("SKILLC_REGENERATE") == "1":
        for name, data in got.items():
            path = os.path.join(case, "expected." + name)
            if name in ("stdout", "files") and not data:
                if os.path.exists(path):
                    os.unlink(path)
                continue
            with open(path, "wb") as f:
                f.write(data)
        return 0
    failed = False
    for name, data in got.items():
        want = read(os.path.join(case, "expected." + name),
                    b"" if name in ("stdout", "files") else None)
        if want is None:
            print(f"{case}: expected.{name} is missing (run with SKILLC_REGENERATE=1)")
            failed = True
        elif want != data:
            print(f"{case}: {name} differs\n--- expected\n{want.decode(errors='replace')}"
                  f"--- got\n{data.decode(errors='replace')}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
