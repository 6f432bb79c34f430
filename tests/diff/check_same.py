#!/usr/bin/python3
"""skillc diff X X prints nothing and exits 0, for every standard given.

usage: check_same.py SKILLC FILE...

A standard with errors cannot be compared: diff must then exit 2 with
nothing on standard output, as check finds it has errors (exit 1).
"""
import subprocess
import sys


def main():
    skillc, files = sys.argv[1], sys.argv[2:]
    failed = 0
    for f in files:
        check = subprocess.run([skillc, "check", f], capture_output=True)
        run = subprocess.run([skillc, "diff", f, f], capture_output=True)
        want = 0 if check.returncode == 0 else 2
        if run.returncode != want or run.stdout:
            print("%s: diff of itself: exit %d (want %d), stdout:\n%s"
                  % (f, run.returncode, want, run.stdout.decode()))
            failed += 1
        else:
            print("%s: exit %d, nothing printed" % (f, run.returncode))
    return 1 if failed or not files else 0


if __name__ == "__main__":
    sys.exit(main())
