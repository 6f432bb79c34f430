#!/usr/bin/python3
"""The depfile names every file skillc build read, and -MT names its target.

usage: depfile.py SKILLC SOURCE

Builds SOURCE (a clean standard) with a rules file and a profile file and
checks the depfile byte for byte: the outputs (or -MT's target, escaped as
a target) before the colon, then the input, the rules files and the
profile files. -MF /dev/null with -MT writes nothing, as with gcc.
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import skillc_run  # noqa: E402

RULES = b"skillc_rules: 1\nterms: [KOL]\n"
PROFILE = b"""skillc_profile: 1
key: integ-committee
name: a committee's profile
summary: the national profile, as a committee keeps it
extends: national
"""


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def build(skillc, tmp, args, want_status=0):
    r = skillc_run.run(skillc, ["build", *args], cwd=tmp)
    if r.returncode != want_status:
        fail("skillc build %s: exit %d, want %d\n%s"
             % (" ".join(args), r.returncode, want_status, r.stderr.decode(errors="replace")))
    return r


def main():
    skillc, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="skillc-depfile-") as tmp:
        shutil.copy(source, os.path.join(tmp, "std.yaml"))
        for name, data in (("rules.yaml", RULES), ("profile.yaml", PROFILE),
                           ("more rules.yaml", RULES.replace(b"KOL", b"SaaS"))):
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(data)
        inputs = ["--profile", "profile.yaml", "--rules", "rules.yaml",
                  "--rules", "more rules.yaml"]
        cases = [
            (["-MF", "out/std.d"],
             b"out/std.h out/std.json out/std.md out/std.docx: std.yaml rules.yaml "
             b"more\\ rules.yaml profile.yaml\n"),
            (["--format=c", "-MF", "out/std.d", "-MT", "out/std stamp"],
             b"out/std\\ stamp: std.yaml rules.yaml more\\ rules.yaml profile.yaml\n"),
            (["--format=json", "-MF", "out/std.d", "-MT", "50%.stamp"],
             b"50\\%.stamp: std.yaml rules.yaml more\\ rules.yaml profile.yaml\n"),
        ]
        for extra, want in cases:
            shutil.rmtree(os.path.join(tmp, "out"), ignore_errors=True)
            build(skillc, tmp, inputs + extra + ["-o", "out", "std.yaml"])
            with open(os.path.join(tmp, "out", "std.d"), "rb") as f:
                got = f.read()
            if got != want:
                fail("%s: the depfile is\n  %r\nnot\n  %r" % (" ".join(extra), got, want))
        # As gcc: -MF /dev/null writes no depfile, -MT or not.
        shutil.rmtree(os.path.join(tmp, "out"))
        build(skillc, tmp, ["-MF", "/dev/null", "-MT", "x", "-o", "out", "std.yaml"])
        if os.path.exists(os.path.join(tmp, "out", "std.d")):
            fail("-MF /dev/null wrote a depfile")
        # A target no depfile can hold for make and ninja both is refused.
        r = build(skillc, tmp, ["-MF", "out/std.d", "-MT", "a;b", "-o", "new", "std.yaml"], 2)
        if os.path.exists(os.path.join(tmp, "new")):
            fail("a refused -MT wrote outputs")
        if b"'a;b'" not in r.stderr:
            fail("the refusal does not name the target: %r" % r.stderr)
    print("ok: the depfile names every file read")


if __name__ == "__main__":
    main()
