#!/usr/bin/python3
"""GNU make and ninja read back exactly the paths 'skillc build -MF' wrote.

usage: depfile_tools.py SKILLC SOURCE.yaml

For each character a depfile must carry (space, '#', '$', ':', '%', '\\', a
backslash before a space, all of them at once) SOURCE is copied to an input
named with it, in a directory named with it, and built into an output
directory named with it, with the depfile's paths relative as a build
system passes them. Then:

  make   (including the depfile, with a recipe for any target that records
         $@ and $^) given the three outputs as goals remakes none while
         they are newer than the input, and remakes each, with exactly the
         input as its prerequisite, once the input is newer; with the
         input gone it has no rule to make the input, by its exact name,
         needed by the first output, by its exact name.
  ninja  on an edge that runs that build and names the outputs but not the
         input: with 'deps = gcc', 'ninja -t deps' lists exactly the input
         for each output; with the depfile alone (ninja then checks its
         targets against the edge's outputs) and with 'deps = gcc', the
         edge is clean after the build and, once the input is newer, dirty
         because of that input, by its exact name. '%' in a target is
         written '\\%', which make needs and ninja keeps: for it, only
         'deps = gcc' (as meson and CMake run ninja) is tried.

Tab and newline cannot be written in a depfile that both read back (see
compiler/depfile.c): a build naming one exits 2, says which path and that
it is the depfile's doing (a newline only when there is one), and writes
nothing: the outputs and the depfile of an earlier build stay as they
were, and no file appears. Without -MF the same build succeeds, but for a
newline (whether an output may be named with one is main.c's call).

Exits 0 when all of it holds; otherwise 1, with a line for each failure.
Under the valgrind setup skillc runs under memcheck, except where ninja
runs it.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import skillc_run  # noqa: E402

FORMATS = skillc_run.EXTENSIONS
FUTURE = 2 * 10**9 * 10**9  # 2033: newer than anything the build wrote

# name, the text put in the input's name, its directory's and the output
# directory's
READABLE = [
    ("space", " "),
    ("hash", "#"),
    ("dollar", "$"),
    ("colon", ":"),
    ("percent", "%"),
    ("backslash", "\\"),
    ("backslash-space", "\\ "),
    ("all", " #$:%\\"),
]
# name, input path, output directory: each holds what no depfile can
REFUSED = [
    ("tab", "d\tir/in\tput.yaml", "out"),
    ("tab-in-output-directory", "dir/input.yaml", "out\tdir"),
    ("newline", "d\nir/in\nput.yaml", "out"),
    ("newline-in-directory", "d\nir/input.yaml", "out"),
    ("newline-in-output-directory", "dir/input.yaml", "out\ndir"),
]

failures = []


def fail(case, msg):
    failures.append("%s: %s" % (case, msg))
    print("FAIL: %s: %s" % (case, msg))


def tool_env():
    env = dict(os.environ, LC_ALL="C")
    for v in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEFILES", "GNUMAKEFLAGS"):
        env.pop(v, None)
    return env


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, env=tool_env(), capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=600)


def show(r):
    return (r.stdout + r.stderr).decode(errors="replace").strip()


def place_input(source, work, path):
    full = os.path.join(work, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    shutil.copy(source, full)


def outputs_of(outdir, path):
    base = os.path.basename(path).rsplit(".", 1)[0]
    return [os.path.join(outdir, base + ext) for ext in FORMATS]


def with_make(case, skillc, source, work, inp, outs, outdir):
    place_input(source, work, inp)
    r = skillc_run.run(skillc, ["build", "-o", outdir, "-MF", "deps.d", inp],
                       cwd=work)
    if r.returncode:
        return fail(case, "skillc exited %d: %s" % (r.returncode, show(r)))
    with open(os.path.join(work, "Makefile"), "w") as f:
        f.write("include deps.d\ndeps.d Makefile: ;\n"
                "%::\n\t@$(file >>remade,[$@][$^])\n")
    remade = os.path.join(work, "remade")
    r = run(["make", "-r", "--"] + outs, work)
    if r.returncode or os.path.exists(remade):
        return fail(case, "make: outputs newer than the input were remade "
                    "or make failed (%d): %s %r" % (
                        r.returncode, show(r),
                        open(remade).read() if os.path.exists(remade) else ""))
    os.utime(os.path.join(work, inp), ns=(FUTURE, FUTURE))
    r = run(["make", "-r", "--"] + outs, work)
    got = open(remade).read() if os.path.exists(remade) else ""
    want = "".join("[%s][%s]\n" % (o, inp) for o in outs)
    if r.returncode or got != want:
        return fail(case, "make read the depfile as %r, want %r (%s)" % (
            got, want, show(r)))
    os.unlink(os.path.join(work, inp))
    with open(os.path.join(work, "strict.mk"), "w") as f:
        f.write("include deps.d\ndeps.d: ;\n")
    r = run(["make", "-r", "-f", "strict.mk", "--", outs[0]], work)
    want = ("make: *** No rule to make target '%s', needed by '%s'.  Stop.\n"
            % (inp, outs[0]))
    if r.returncode != 2 or r.stderr.decode() != want:
        return fail(case, "make with the input gone said %r, want %r" % (
            r.stderr.decode(errors="replace"), want))


def ninja_path(p):
    return p.replace("$", "$$").replace(" ", "$ ").replace(":", "$:")


def deps_listed(text):
    """'ninja -t deps' output as {output: [inputs]}."""
    got, cur = {}, None
    head = re.compile(r"^(.*): #deps \d+, deps mtime \d+ \((VALID|STALE)\)$")
    for line in text.split("\n"):
        m = head.match(line)
        if m:
            cur = m.group(1)
            got[cur] = []
        elif line.startswith("    ") and cur is not None:
            got[cur].append(line[4:])
        elif line:
            got.setdefault(None, []).append(line)
    return got


def with_ninja(case, skillc, source, work, inp, outs, outdir, deps):
    place_input(source, work, inp)
    command = shlex.join([skillc, "build", "-o", outdir, "-MF", "deps.d", inp])
    with open(os.path.join(work, "build.ninja"), "w") as f:
        f.write("rule skillc\n  command = %s\n  depfile = deps.d\n%s"
                "build %s: skillc\n" % (
                    command.replace("$", "$$"),
                    "  deps = gcc\n" if deps else "",
                    " ".join(ninja_path(o) for o in outs)))
    mode = "ninja (deps = gcc)" if deps else "ninja (depfile)"
    r = run(["ninja"], work)
    if r.returncode:
        return fail(case, "%s: the build failed: %s" % (mode, show(r)))
    if deps:
        r = run(["ninja", "-t", "deps"], work)
        got = deps_listed(r.stdout.decode())
        if (r.returncode or outs[0] not in got or not set(got) <= set(outs)
                or any(v != [inp] for v in got.values())):
            return fail(case, "%s: 'ninja -t deps' gave %r, want each of %r "
                        "with [%r]" % (mode, got, outs, inp))
    r = run(["ninja", "-n", "-d", "explain"], work)
    if r.returncode or "ninja: no work to do." not in r.stdout.decode():
        return fail(case, "%s: not clean after the build: %s" % (mode, show(r)))
    os.utime(os.path.join(work, inp), ns=(FUTURE, FUTURE))
    r = run(["ninja", "-n", "-d", "explain"], work)
    why = "older than most recent input %s (" % inp
    if r.returncode or why not in r.stderr.decode():
        return fail(case, "%s: a newer input did not make it dirty (want "
                    "%r): %s" % (mode, why, show(r)))


def readable(skillc, source, tmp):
    for case, text in READABLE:
        inp = "d%sir/in%sput.yaml" % (text, text)
        outdir = "out%sdir" % text
        outs = outputs_of(outdir, inp)
        before = len(failures)
        with_make(case, skillc, source, tempfile.mkdtemp(dir=tmp), inp, outs,
                  outdir)
        for deps in (True, False) if "%" not in text else (True,):
            with_ninja(case, skillc, source, tempfile.mkdtemp(dir=tmp), inp,
                       outs, outdir, deps)
        if len(failures) == before:
            print("ok: %s" % case)


def snapshot(top):
    got = {}
    for d, dirs, files in os.walk(top):
        for name in dirs + files:
            p = os.path.join(d, name)
            st = os.lstat(p)
            data = open(p, "rb").read() if name in files else None
            got[os.path.relpath(p, top)] = (data, st.st_mtime_ns)
    return got


def refused(skillc, source, tmp):
    for case, inp, outdir in REFUSED:
        work = tempfile.mkdtemp(dir=tmp)
        place_input(source, work, "earlier/input.yaml")
        place_input(source, work, "second.yaml")
        r = skillc_run.run(skillc, ["build", "-o", "out", "-MF", "deps.d",
                                    "earlier/input.yaml"], cwd=work)
        if r.returncode:
            fail(case, "the earlier build exited %d: %s" % (r.returncode, show(r)))
            continue
        place_input(source, work, inp)
        before = snapshot(work)
        before_failures = len(failures)
        for args in ([inp], ["second.yaml", inp]):
            r = skillc_run.run(skillc, ["build", "-o", outdir, "-MF", "deps.d"]
                               + args, cwd=work)
            err = r.stderr.decode(errors="replace")
            if r.returncode != 2:
                fail(case, "%r exited %d, want 2: %s" % (args, r.returncode, err))
            named = [p for a in args for p in [a] + outputs_of(outdir, a)]
            if "depfile" not in err or not any(p in err for p in named):
                fail(case, "%r: the message does not name the depfile and one "
                     "of %r: %r" % (args, named, err))
            says_newline = "newline" in err or "line break" in err
            if says_newline != ("\n" in "".join(named)):
                fail(case, "%r: the message gives the wrong reason: %r" % (
                    args, err))
            if snapshot(work) != before:
                fail(case, "%r wrote or touched something" % args)
        if "\n" not in inp + outdir:
            # Without -MF there is no depfile to refuse the path for.
            r = skillc_run.run(skillc, ["build", "-o", outdir, inp], cwd=work)
            missing = [o for o in outputs_of(outdir, inp)
                       if not os.path.exists(os.path.join(work, o))]
            if r.returncode or missing:
                fail(case, "without -MF the build exited %d and did not write "
                     "%r: %s" % (r.returncode, missing, show(r)))
        if len(failures) == before_failures:
            print("ok: %s" % case)


def main():
    skillc, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    for tool in ("make", "ninja"):
        if not shutil.which(tool):
            print("FAIL: '%s' is not installed (tests/setup.sh installs it)"
                  % tool)
            sys.exit(1)
    with tempfile.TemporaryDirectory(prefix="skillc-") as tmp:
        readable(skillc, source, tmp)
        refused(skillc, source, tmp)
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
