#!/usr/bin/python3
"""Run one data-driven case of skillc and compare what it did, byte for byte.

usage: run_case.py SKILLC CASEDIR

A case is a directory holding:
  cmd              skillc's arguments, shell-quoted, run in CASEDIR
                   (default: check input.yaml)
  input.yaml       usually the input the arguments name
  expected.stderr  what skillc must print on stderr
  expected.stdout  what it must print on stdout (absent: nothing)
  expected.status  its exit status
With SKILLC_REGENERATE=1 the expected files are rewritten from the run
instead; review the diff like code. With SKILLC_VALGRIND=1 skillc runs
under valgrind memcheck and any error or leak fails the case.
"""
import os
import shlex
import sys

import skillc_run


def read(path, default=None):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return default


def main():
    skillc, case = os.path.abspath(sys.argv[1]), sys.argv[2]
    args = shlex.split((read(os.path.join(case, "cmd"), b"check input.yaml")).decode())
    run = skillc_run.run(skillc, args, cwd=case)
    got = {"stderr": run.stderr, "stdout": run.stdout,
           "status": b"%d\n" % run.returncode}
    if os.environ.get("SKILLC_REGENERATE") == "1":
        for name, data in got.items():
            path = os.path.join(case, "expected." + name)
            if name == "stdout" and not data:
                if os.path.exists(path):
                    os.unlink(path)
                continue
            with open(path, "wb") as f:
                f.write(data)
        return 0
    failed = False
    for name, data in got.items():
        want = read(os.path.join(case, "expected." + name), b"" if name == "stdout" else None)
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
