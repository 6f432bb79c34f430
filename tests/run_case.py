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
import subprocess
import sys
import tempfile


def read(path, default=None):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return default


def main():
    skillc, case = os.path.abspath(sys.argv[1]), sys.argv[2]
    args = shlex.split((read(os.path.join(case, "cmd"), b"check input.yaml")).decode())
    env = dict(os.environ, LC_ALL="C", TZ="UTC")
    env.pop("SKILLC_REGENERATE", None)
    wrapper, vglog = [], None
    if os.environ.get("SKILLC_VALGRIND") == "1":
        fd, vglog = tempfile.mkstemp(prefix="skillc-vg-")
        os.close(fd)
        wrapper = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
                   "--show-leak-kinds=all", "--errors-for-leak-kinds=all",
                   "--log-file=" + vglog]
    run = subprocess.run(wrapper + [skillc] + args, cwd=case, env=env,
                         stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    if vglog:
        log = read(vglog, b"")
        os.unlink(vglog)
        if log.strip():
            sys.stderr.write(log.decode(errors="replace"))
            return 1
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
