#!/usr/bin/python3
"""What 'skillc build' promises about its outputs, tested from outside.

usage: check_outputs.py SKILLC SOURCE.yaml TEST

TEST is one of:
  determinism  outputs are byte-identical across runs under different
               LC_ALL, TZ, umask and working directory, and hold neither a
               timestamp nor an absolute path
  unchanged    a second run leaves unchanged outputs untouched (same inode,
               same mtime) and leaves no temporary file behind
  no-partial   when any input has an error nothing is written: earlier
               outputs stay byte-identical and untouched
  depfile      the depfile names every output and the input, in Makefile
               syntax
Exits 0 when the promise holds, 1 with a message when it does not.
"""
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import skillc_run  # noqa: E402

FORMATS = skillc_run.EXTENSIONS


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def build(skillc, source, outdir, env=None, cwd=None, extra=(), umask=None):
    def set_umask():
        if umask is not None:
            os.umask(umask)
    run = subprocess.run([skillc, "build", *extra, "-o", outdir, source],
                         env=env, cwd=cwd, capture_output=True,
                         preexec_fn=set_umask, stdin=subprocess.DEVNULL)
    return run


def outputs(outdir):
    return {name: open(os.path.join(outdir, name), "rb").read()
            for name in sorted(os.listdir(outdir))}


def determinism(skillc, source, tmp):
    runs = [
        (dict(os.environ, LC_ALL="C", TZ="UTC"), None, 0o022),
        (dict(os.environ, LC_ALL="C.UTF-8", TZ="Asia/Shanghai"), "/", 0o077),
        (dict(os.environ, LC_ALL="zh_CN.UTF-8", LANG="zh_CN.UTF-8",
              TZ="America/New_York"), tmp, 0o002),
    ]
    seen = None
    for i, (env, cwd, umask) in enumerate(runs):
        out = os.path.join(tmp, "run%d" % i)
        r = build(skillc, source, out, env=env, cwd=cwd, umask=umask)
        if r.returncode:
            fail("run %d exited %d: %s" % (i, r.returncode, r.stderr.decode()))
        got = outputs(out)
        if len(got) != len(FORMATS):
            fail("run %d wrote %s" % (i, sorted(got)))
        if seen is not None and got != seen:
            fail("run %d differs from run 0" % i)
        seen = got
    for name, data in seen.items():
        for path in (os.path.abspath(source), os.path.dirname(os.path.abspath(source)), tmp):
            if path.encode() in data:
                fail("%s holds the absolute path %s" % (name, path))
        now = datetime.datetime.now()
        for stamp in (now.strftime("%Y-%m-%d"), now.strftime("%Y%m%d"),
                      now.strftime("%b %d %Y")):
            if stamp.encode() in data:
                fail("%s holds today's date or time (%s)" % (name, stamp))


def unchanged(skillc, source, tmp):
    out = os.path.join(tmp, "out")
    if build(skillc, source, out).returncode:
        fail("first build failed")
    before = {n: os.stat(os.path.join(out, n)) for n in os.listdir(out)}
    if build(skillc, source, out).returncode:
        fail("second build failed")
    after = {n: os.stat(os.path.join(out, n)) for n in os.listdir(out)}
    if sorted(before) != sorted(after):
        fail("the second build left other files: %s" % sorted(after))
    for n in before:
        if (before[n].st_ino, before[n].st_mtime_ns) != (after[n].st_ino, after[n].st_mtime_ns):
            fail("%s was rewritten though its content did not change" % n)


def no_partial(skillc, source, tmp):
    out = os.path.join(tmp, "out")
    if build(skillc, source, out).returncode:
        fail("first build failed")
    before = outputs(out)
    stats = {n: os.stat(os.path.join(out, n)).st_mtime_ns for n in before}
    bad = os.path.join(tmp, "bad.yaml")
    text = open(source, encoding="utf-8").read()
    # The same standard with one weight changed: its column no longer sums to 100.
    i = text.index("weights: [")
    j = text.index("]", i)
    first = text[i + len("weights: ["):j].split(",")[0]
    bad_text = text[:i] + "weights: [" + str(int(first) + 1) + text[i + len("weights: [") + len(first):]
    open(bad, "w", encoding="utf-8").write(bad_text)
    shutil.copy(bad, os.path.join(tmp, os.path.basename(source)))
    r = build(skillc, os.path.join(tmp, os.path.basename(source)), out)
    if r.returncode != 1:
        fail("a build with an error exited %d, not 1" % r.returncode)
    if outputs(out) != before:
        fail("a build with an error changed the outputs")
    for n in before:
        if os.stat(os.path.join(out, n)).st_mtime_ns != stats[n]:
            fail("a build with an error touched %s" % n)
    # Two inputs, the second with an error: nothing at all is written.
    out2 = os.path.join(tmp, "out2")
    r = subprocess.run([skillc, "build", "-o", out2, source, bad], capture_output=True)
    if r.returncode != 1 or os.path.exists(out2):
        fail("with one bad input of two, the build wrote something or exited %d" % r.returncode)


def depfile(skillc, source, tmp):
    out = os.path.join(tmp, "out dir")
    dep = os.path.join(tmp, "deps.d")
    r = build(skillc, source, out, extra=("--depfile", dep))
    if r.returncode:
        fail("build failed: %s" % r.stderr.decode())
    text = open(dep).read()
    if not text.endswith("\n") or text.count(":") < 1:
        fail("depfile is not a Makefile rule: %r" % text)
    targets, deps = text.rstrip("\n").split(": ", 1)
    esc = lambda p: p.replace(" ", "\\ ")
    for ext in FORMATS:
        name = esc(os.path.join(out, os.path.basename(source).rsplit(".", 1)[0] + ext))
        if name not in targets:
            fail("depfile does not name %s: %r" % (name, targets))
    if esc(source) not in deps:
        fail("depfile does not name the input: %r" % deps)


def main():
    skillc, source, test = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
    tests = {"determinism": determinism, "unchanged": unchanged,
             "no-partial": no_partial, "depfile": depfile}
    with tempfile.TemporaryDirectory(prefix="skillc-") as tmp:
        tests[test](skillc, source, tmp)
    print("ok:", test)


if __name__ == "__main__":
    main()
