#!/usr/bin/python3
"""Outputs of a megabyte and more: written as they are rendered, the same.

usage: check_streamed.py SKILLC GEN_BIG

GEN_BIG (tests/bench/gen_big.py) writes a valid standard of about 1.2 MB,
whose every output passes the megabyte at which a build into an existing
directory writes it while it renders it, and whose document.xml (the
Word document's body, deflated as it is rendered) passes a megabyte.
Built into a new directory (every output held until all are rendered,
past a megabyte in an unnamed file beside it), into an existing one
(written as rendered), and into both with TMPDIR naming a directory that
does not exist (neither build needs one), the outputs are byte-identical,
and no temporary file is left in TMPDIR or beside them. Rebuilt over its own outputs, a build leaves them untouched;
over an output changed in its last byte, or cut short by one, it writes
that output again, and leaves the others untouched. Nine inputs held at
once build with room for no more than a dozen open files (each output
directory opened once, to lock it; held outputs in files of their own
for a quarter of the descriptors allowed, the rest in one scratch file),
and a rebuild of outputs under a megabyte that changes nothing writes
nothing, so that it needs no room on the disk (ulimit -f 1).
With SKILLC_VALGRIND=1 skillc runs under valgrind memcheck, but for the
build without a TMPDIR (valgrind needs one).
Exits 0 when this holds, 1 with a message when it does not.
"""
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import zipfile
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import skillc_run  # noqa: E402


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def build(skillc, source, outdir, tmpdir, plain=False):
    os.environ["TMPDIR"] = tmpdir
    args = ["build", "-o", outdir, source]
    # valgrind needs a TMPDIR of its own: where there is none, skillc runs
    # as it is.
    r = subprocess.run([skillc, *args], capture_output=True,
                       stdin=subprocess.DEVNULL) if plain \
        else skillc_run.run(skillc, args)
    if r.returncode:
        fail("build into %s exited %d: %s"
             % (outdir, r.returncode, r.stderr.decode()))


def outputs(outdir):
    return {name: open(os.path.join(outdir, name), "rb").read()
            for name in sorted(os.listdir(outdir))}


def stats(outdir):
    return {n: (st.st_ino, st.st_mtime_ns) for n in os.listdir(outdir)
            for st in [os.stat(os.path.join(outdir, n))]}


def main():
    skillc, gen = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    five = os.path.join(os.path.dirname(os.path.dirname(gen)), "data",
                        "five-level.yaml")
    with tempfile.TemporaryDirectory(prefix="skillc-") as tmp:
        source = os.path.join(tmp, "big.yaml")
        subprocess.run([sys.executable, gen, "1", source], check=True)
        scratch = os.path.join(tmp, "scratch")
        os.mkdir(scratch)

        fresh = os.path.join(tmp, "fresh")  # made by the build
        build(skillc, source, fresh, scratch)
        want = outputs(fresh)
        big = [n for n, b in want.items() if len(b) > 1 << 20]
        docx = zipfile.ZipFile(io.BytesIO(want["big.docx"]))
        if len(want) != 4 or len(big) < 2 or \
                docx.getinfo("word/document.xml").file_size < 1 << 20:
            fail("the outputs are not what this test needs: %s"
                 % {n: len(b) for n, b in want.items()})

        existing = os.path.join(tmp, "existing")
        os.mkdir(existing)
        build(skillc, source, existing, scratch)
        if outputs(existing) != want:
            fail("written as rendered, the outputs differ from those "
                 "held whole")

        memory = os.path.join(tmp, "memory")
        os.mkdir(memory)
        build(skillc, source, memory, os.path.join(tmp, "no-such-dir"),
              plain=True)
        if outputs(memory) != want:
            fail("with no TMPDIR, the outputs differ")
        held = os.path.join(tmp, "held")  # made by the build
        build(skillc, source, held, os.path.join(tmp, "no-such-dir"),
              plain=True)
        if outputs(held) != want:
            fail("held, with no TMPDIR, the outputs differ")
        if os.listdir(scratch):
            fail("temporary files left in TMPDIR: %s" % os.listdir(scratch))

        before = stats(existing)
        build(skillc, source, existing, scratch)
        if stats(existing) != before:
            fail("a build over its own outputs touched some of them")

        names = sorted(want)
        changed, cut = names[0], names[1]
        with open(os.path.join(existing, changed), "r+b") as f:
            f.seek(-1, os.SEEK_END)
            last = f.read(1)
            f.seek(-1, os.SEEK_END)
            f.write(bytes([last[0] ^ 1]))
        with open(os.path.join(existing, cut), "r+b") as f:
            f.truncate(len(want[cut]) - 1)
        before = stats(existing)
        build(skillc, source, existing, scratch)
        if outputs(existing) != want:
            fail("a build over changed outputs did not restore them")
        after = stats(existing)
        for n in names:
            rewritten = before[n] != after[n]
            if rewritten != (n in (changed, cut)):
                fail("%s was %s" % (n, "rewritten" if rewritten
                                    else "left as it was"))
        if [n for n in os.listdir(existing) if n not in want]:
            fail("files left beside the outputs: %s"
                 % sorted(os.listdir(existing)))

        # Many outputs held at once: a few in files of their own, the
        # rest in one scratch file; nine inputs with room for a dozen
        # open files.
        copies = []
        for i in range(9):
            copies.append(os.path.join(tmp, "c%d.yaml" % i))
            shutil.copy(source, copies[-1])
        many = os.path.join(tmp, "many")
        r = subprocess.run(
            [skillc, "build", "--format=json,md,docx", "-o", many, *copies],
            capture_output=True, stdin=subprocess.DEVNULL,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE,
                                                  (12, 12)))
        if r.returncode or len(os.listdir(many)) != 27:
            fail("nine inputs with 12 open files exited %d: %s"
                 % (r.returncode, r.stderr.decode()))

        # A rebuild that changes nothing needs no room on the disk for
        # outputs of less than a megabyte: they are compared before any
        # temporary file is made.
        small = os.path.join(tmp, "small")
        os.mkdir(small)
        build(skillc, five, small, scratch)
        before = stats(small)
        r = subprocess.run(
            [skillc, "build", "-o", small, five], capture_output=True,
            stdin=subprocess.DEVNULL,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE,
                                                  (1, 1)))
        if r.returncode or stats(small) != before:
            fail("a rebuild that changes nothing, with no room to write, "
                 "exited %d: %s" % (r.returncode, r.stderr.decode()))
    print("ok: streamed")


if __name__ == "__main__":
    main()
