#!/usr/bin/python3
"""What 'skillc fix' does to a file's meaning, one case at a time.

usage: check_meaning.py SKILLC CASEDIR

A case is a directory holding:
  input.yaml       the file to fix (copied to a scratch directory first)
  rules.yaml       optional: a rules file passed with --rules
  args             optional: more arguments of that first fix, shell-quoted
                   (--dry-run)
  expected.yaml    the file as fix must leave it; absent: byte-identical
                   to input.yaml (and the same inode, mode and mtime)
  expected.status, expected.stdout, expected.stderr
                   fix's exit status and output, compared byte for byte
Then, when fix wrote the file: 'skillc check' of the result has no error
that the input did not have, and a second fix makes no replacement and
leaves the file as it is. With SKILLC_REGENERATE=1 the expected files are
rewritten from the run instead; review the diff like code. With
SKILLC_VALGRIND=1 skillc runs under valgrind memcheck.
"""
import os
import re
import shlex
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import skillc_run  # noqa: E402

ERROR = re.compile(rb"^[^:]+:\d+:\d+: error: .* \[(\S+) \S+\]$", re.M)


def read(path, default=None):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return default


def errors(skillc, args, cwd):
    return sorted(ERROR.findall(skillc_run.run(skillc, ["check", *args], cwd=cwd).stderr))


def main():
    skillc, case = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    problems = []
    with tempfile.TemporaryDirectory(prefix="skillc-meaning-") as tmp:
        target = os.path.join(tmp, "input.yaml")
        shutil.copy(os.path.join(case, "input.yaml"), target)
        os.chmod(target, 0o640)
        args = []
        if os.path.exists(os.path.join(case, "rules.yaml")):
            shutil.copy(os.path.join(case, "rules.yaml"), tmp)
            args = ["--rules", "rules.yaml"]
        before = errors(skillc, [*args, "input.yaml"], tmp)
        st0 = os.stat(target)
        extra = shlex.split(read(os.path.join(case, "args"), b"").decode())
        run = skillc_run.run(skillc, ["fix", *extra, *args, "input.yaml"], cwd=tmp)
        after = read(target)
        got = {"status": b"%d\n" % run.returncode, "stdout": run.stdout,
               "stderr": run.stderr}
        original = read(os.path.join(case, "input.yaml"))
        if os.environ.get("SKILLC_REGENERATE") == "1":
            for name, data in got.items():
                with open(os.path.join(case, "expected." + name), "wb") as f:
                    f.write(data)
            path = os.path.join(case, "expected.yaml")
            if after != original:
                with open(path, "wb") as f:
                    f.write(after)
            elif os.path.exists(path):
                os.unlink(path)
            return 0
        for name, data in got.items():
            want = read(os.path.join(case, "expected." + name))
            if want != data:
                problems.append(f"{name} differs\n--- expected\n"
                                f"{(want or b'').decode(errors='replace')}--- got\n"
                                f"{data.decode(errors='replace')}")
        want = read(os.path.join(case, "expected.yaml"), original)
        if after != want:
            problems.append("the fixed file differs from expected.yaml")
        st1 = os.stat(target)
        if want == original and (st1.st_ino, st1.st_mtime_ns) != (st0.st_ino, st0.st_mtime_ns):
            problems.append("fix rewrote a file it must leave alone")
        if st1.st_mode & 0o7777 != 0o640:
            problems.append("fix changed the file's mode to %o" % (st1.st_mode & 0o7777))
        if after != original:
            new = sorted(set(errors(skillc, [*args, "input.yaml"], tmp)) - set(before))
            if new:
                problems.append("the fixed file has new errors: %s" % new)
            again = skillc_run.run(skillc, ["fix", *args, "input.yaml"], cwd=tmp)
            if again.returncode != 0 or read(target) != after or \
                    not again.stdout.endswith(b": 0 replacements\n"):
                problems.append("a second fix changed something: %r" % again.stdout)
        leftovers = sorted(set(os.listdir(tmp)) - {"input.yaml", "rules.yaml"})
        if leftovers:
            problems.append("fix left %s behind" % leftovers)
    for p in problems:
        print(f"{case}: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
