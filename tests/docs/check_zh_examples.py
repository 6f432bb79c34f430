#!/usr/bin/python3
"""The example diagnostics of the Chinese guides are what skillc prints.

usage: check_zh_examples.py ROOT

Every diagnostic line inside a ```text block of docs/zh/*.md (FILE:L:C:
错误|警告|附注: ..., or skillc: 错误: ...) must be a line of some case's
expected.zh_CN.stderr, which the cases suite checks against skillc: a
message reworded in po/zh_CN.po fails here until the guide follows.
"""
import glob
import os
import re
import sys

DIAGNOSTIC = re.compile(r"^(?:\S+:\d+:\d+: (?:错误|警告|附注): |skillc: 错误: )")


def main():
    root = sys.argv[1]
    printed = set()
    for path in glob.glob(os.path.join(root, "tests", "cases", "**", "expected.zh_CN.stderr"),
                          recursive=True):
        with open(path, encoding="utf-8") as f:
            printed.update(f.read().splitlines())
    faults = checked = 0
    for doc in sorted(glob.glob(os.path.join(root, "docs", "zh", "*.md"))):
        with open(doc, encoding="utf-8") as f:
            text = f.read()
        for block in re.findall(r"^```text\n(.*?)^```", text, re.S | re.M):
            for line in block.splitlines():
                if not DIAGNOSTIC.match(line):
                    continue
                checked += 1
                if line not in printed:
                    print("%s: not a line any case prints:\n  %s"
                          % (os.path.relpath(doc, root), line))
                    faults += 1
    print("%d example diagnostics checked, %d not printed by any case" % (checked, faults))
    return 1 if faults or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
