#!/usr/bin/python3
"""Run a consumer program and compare what it prints with the expected file.

usage: compare.py PROGRAM EXPECTED
With SKILLC_REGENERATE=1 the expected file is rewritten instead.
"""
import os
import subprocess
import sys

program, expected = sys.argv[1], sys.argv[2]
got = subprocess.run([program], capture_output=True, check=True).stdout
if os.environ.get("SKILLC_REGENERATE") == "1":
    open(expected, "wb").write(got)
    sys.exit(0)
want = open(expected, "rb").read()
if got != want:
    print(f"{program} printed:\n{got.decode(errors='replace')}\n--- expected ({expected}):\n{want.decode(errors='replace')}")
    sys.exit(1)
