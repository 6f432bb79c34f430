#!/usr/bin/python3
"""Run one data-driven case of skillc and compare what it did, byte for byte.

usage: run_case.py SKILLC CASEDIR

A case is a directory holding:
  cmd              skillc's arguments, shell-quoted, run in CASEDIR
                   (default: check input.yaml); @OUT@ stands for a fresh
                   empty directory outside the tree, for build's -o
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


def main():
    skillc, case = os.path.abspath(sys.argv[1]), sys.argv[2]
    args = shlex.split((read(os.path.join(case, "cmd"), b"check input.yaml")).decode())
    with tempfile.TemporaryDirectory(prefix="skillc-case-") as tmp:
        out = os.path.join(tmp, "out")
        args = [a.replace("@OUT@", out) for a in args]
        run = skillc_run.run(skillc, args, cwd=case)
        files = listing(out) if os.path.isdir(out) else b""
    got = {"stderr": run.stderr.replace(out.encode(), b"@OUT@"),
           "stdout": run.stdout.replace(out.encode(), b"@OUT@"),
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
