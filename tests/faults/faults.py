#!/usr/bin/python3
"""What skillc does when the system fails it, tested from outside.

usage: faults.py SKILLC FAILWRITE.so SOURCE.yaml CASE

Every fault must end in exit status 2 and one line on stderr,
  skillc: error: cannot VERB 'PATH': REASON
naming the path and the system's reason (strerror's text under LC_ALL=C),
with the outputs of an earlier build byte-identical and no temporary file
(.NAME.skillc-tmp-XXXXXX) left behind. Each case first builds SOURCE, then
changes it so that every output would differ (and checks that they would),
then runs the changed build under the fault.

CASE is one of:
  unreadable-input       the input is mode 000 (run as an unprivileged user)
  outdir-readonly        the output directory is mode 555 (unprivileged)
  outdir-is-file         -o names a regular file, or a path under one
  outdir-is-input        -o names the input file itself
  missing-outdir-created -o names a nested missing directory: exit 0, the
                         directories are created and hold the outputs
  output-symlink         an output name is a symbolic link to a file
                         elsewhere, first the first output's, then the
                         last's: the link and its target stay unchanged
  full-disk-write        write() fails with ENOSPC (FAILWRITE.so), within
                         the first output, then within a later one
  full-disk-fsync        fsync() fails with ENOSPC, on the first output,
                         then on a later one
  stdout-full            standard output is /dev/full
  stdout-closed-pipe     standard output is a pipe with no reader: exit 2
                         and "Broken pipe", not death by SIGPIPE
  fix-full-disk          skillc fix under a full disk (write or fsync):
                         the file stays byte-identical
  kill9                  builds of a standard whose outputs are several MB
                         killed with SIGKILL at random moments, and as soon
                         as they start writing (a temporary file appears or
                         an output changes): every output is byte-equal to
                         the old one or the complete new one; one more
                         build after a kill that left a temporary file (the
                         first five such) succeeds and leaves the new
                         outputs and no temporary file

Cases that need a user without root's powers run skillc as 'nobody'
(uid 65534) when run as root, as the caller otherwise; exit 77 (skip)
when no such user can be had. With SKILLC_VALGRIND=1 skillc runs under
valgrind memcheck as in skillc_run.py, except in kill9, where memcheck
would learn nothing from a killed process and would only slow the race.
Exits 0 when every promise holds, 1 with a FAIL line for each that does
not.
"""
import errno
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import zipfile

import yaml
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import skillc_run  # noqa: E402

FORMATS = skillc_run.EXTENSIONS
# A temporary file of NAME: .NAME.skillc-tmp-XXXXXX (mkstemp's characters).
TEMP = re.compile(r"^\..+\.skillc-tmp-[A-Za-z0-9]{6}$")
NOBODY = 65534
SKIP = 77

failures = []


def fail(msg):
    print("FAIL:", msg)
    failures.append(msg)


def reason(code):
    return os.strerror(code)


class Skillc:
    """Runs skillc as skillc_run.run does, with extra environment, another
    user, or standard output elsewhere."""

    def __init__(self, path, preload):
        self.path = path
        self.preload = preload
        self.user = None  # subprocess keyword arguments for another user
        self.valgrind = os.environ.get("SKILLC_VALGRIND") == "1"

    def env(self, extra=None):
        env = dict(os.environ, LC_ALL="C", TZ="UTC")
        env.pop("SKILLC_REGENERATE", None)
        env.update(extra or {})
        return env

    def run(self, args, env=None, user=False, stdout=subprocess.PIPE,
            cwd=None, valgrind=True):
        wrapper, vglog = [], None
        if self.valgrind and valgrind:
            fd, vglog = tempfile.mkstemp(prefix="skillc-vg-")
            os.close(fd)
            os.chmod(vglog, 0o666)  # the unprivileged user writes it too
            wrapper = ["valgrind", "-q", "--error-exitcode=99",
                       "--leak-check=full", "--show-leak-kinds=all",
                       "--errors-for-leak-kinds=all", "--log-file=" + vglog]
        r = subprocess.run(wrapper + [self.path, *args], env=self.env(env),
                           cwd=cwd, stdin=subprocess.DEVNULL, stdout=stdout,
                           stderr=subprocess.PIPE, timeout=600,
                           **(self.user if user else {}))
        if vglog:
            with open(vglog, "rb") as f:
                log = f.read()
            os.unlink(vglog)
            if log.strip():
                sys.stderr.write(log.decode(errors="replace"))
                print("FAIL: valgrind reported errors running skillc")
                sys.exit(1)
        r.stderr = r.stderr.decode(errors="replace")
        return r

    def faulty(self, extra):
        # Under AddressSanitizer the runtime wants to come first: let the
        # preloaded library stand before it (it only wraps write, fsync and
        # dlopen).
        asan = os.environ.get("ASAN_OPTIONS", "")
        env = {"LD_PRELOAD": self.preload,
               "ASAN_OPTIONS": (asan + ":" if asan else "") + "verify_asan_link_order=0"}
        env.update(extra)
        return env


def unprivileged(skillc, tmp):
    """Arrange for skillc.run(user=True) to run without root's powers over
    files; False when that cannot be had."""
    if os.geteuid() == 0:
        skillc.user = {"user": NOBODY, "group": NOBODY, "extra_groups": []}
    else:
        skillc.user = {}
    probe = os.path.join(tmp, "probe")
    with open(probe, "w") as f:
        f.write("secret\n")
    os.chmod(probe, 0)
    try:
        r = subprocess.run(["cat", probe], capture_output=True,
                           **skillc.user)
    except (PermissionError, OSError) as e:
        print("cannot run as an unprivileged user:", e)
        return False
    finally:
        os.chmod(probe, 0o600)
        os.unlink(probe)
    if r.returncode == 0:
        print("the user skillc would run as reads a mode 000 file")
        return False
    return True


def changed(text):
    """The standard with its title changed: every output differs."""
    std = yaml.safe_load(text)
    std["meta"]["title"]["zh"] += "（修订）"
    return yaml.safe_dump(std, allow_unicode=True, sort_keys=False, width=1000)


def snapshot(d):
    return {n: open(os.path.join(d, n), "rb").read() for n in sorted(os.listdir(d))
            if not TEMP.match(n)}


def temps(d):
    return sorted(n for n in os.listdir(d) if TEMP.match(n))


class Setup:
    """A world-accessible directory with a copy of the source, its outputs
    in out/, and the outputs the changed source would give in new/."""

    def __init__(self, skillc, source, tmp, user=False):
        self.skillc, self.user = skillc, user
        self.dir = tempfile.mkdtemp(dir=tmp)
        os.chmod(self.dir, 0o777)
        self.name = os.path.basename(source)
        self.base = self.name.rsplit(".", 1)[0]
        self.src = os.path.join(self.dir, self.name)
        self.out = os.path.join(self.dir, "out")
        text = open(source, encoding="utf-8").read()
        self.write_src(text)
        self.build_ok(self.out)
        self.old = snapshot(self.out)
        self.write_src(changed(text))
        ref = os.path.join(self.dir, "new")
        self.build_ok(ref)
        self.new = snapshot(ref)
        if sorted(self.old) != sorted(self.base + e for e in FORMATS):
            raise SystemExit("FAIL: the first build wrote %s" % sorted(self.old))
        for n in self.old:
            if self.old[n] == self.new[n]:
                raise SystemExit("FAIL: the changed source leaves %s unchanged:"
                                 " the case would prove nothing" % n)

    def write_src(self, text):
        with open(self.src, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(self.src, 0o644)

    def build(self, outdir, env=None, **kw):
        return self.skillc.run(["build", "-o", outdir, self.src], env=env,
                               user=self.user, **kw)

    def build_ok(self, outdir):
        r = self.build(outdir)
        if r.returncode:
            raise SystemExit("FAIL: a build without a fault exited %d: %s"
                             % (r.returncode, r.stderr))

    def output(self, ext):
        return os.path.join(self.out, self.base + ext)

    def intact(self, what):
        """The earlier outputs are byte-identical, nothing was added."""
        now = snapshot(self.out)
        if sorted(now) != sorted(self.old):
            fail("%s: the output directory holds %s, not %s"
                 % (what, sorted(now), sorted(self.old)))
        for n in sorted(self.old):
            if n not in now:
                continue
            if now[n] == self.old[n]:
                continue
            if now[n] == self.new[n]:
                fail("%s: the earlier %s was replaced by the new output"
                     " (complete) although the run failed" % (what, n))
            else:
                fail("%s: the earlier %s is damaged: %d bytes, neither the"
                     " old (%d) nor the new (%d)"
                     % (what, n, len(now[n]), len(self.old[n]), len(self.new[n])))
        no_temps(what, self.out)


def no_temps(what, d):
    left = temps(d)
    if left:
        fail("%s: temporary files left in %s: %s" % (what, d, left))


def expect_error(what, r, verb, path, why):
    """Exit 2 and the line naming path and why on stderr."""
    line = "skillc: error: cannot %s '%s': %s" % (verb, path, why)
    if r.returncode != 2:
        fail("%s: exit status %d, not 2 (stderr: %r)" % (what, r.returncode, r.stderr))
    if line not in r.stderr.splitlines():
        fail("%s: stderr lacks %r; it was %r" % (what, line, r.stderr))


def unreadable_input(skillc, source, tmp):
    if not unprivileged(skillc, tmp):
        return SKIP
    s = Setup(skillc, source, tmp, user=True)
    os.chmod(s.src, 0)
    r = s.build(s.out)
    expect_error("unreadable input", r, "read", s.src, reason(errno.EACCES))
    s.intact("unreadable input")


def outdir_readonly(skillc, source, tmp):
    if not unprivileged(skillc, tmp):
        return SKIP
    s = Setup(skillc, source, tmp, user=True)
    os.chmod(s.out, 0o555)
    try:
        r = s.build(s.out)
    finally:
        os.chmod(s.out, 0o755)
    expect_error("read-only output directory", r, "write", s.output(".h"),
                 reason(errno.EACCES))
    s.intact("read-only output directory")


def outdir_is_file(skillc, source, tmp):
    s = Setup(skillc, source, tmp)
    afile = os.path.join(s.dir, "afile")
    with open(afile, "wb") as f:
        f.write(b"a file, not a directory\n")
    for outdir in (afile, os.path.join(afile, "sub")):
        what = "-o %s" % os.path.relpath(outdir, s.dir)
        r = s.build(outdir)
        expect_error(what, r, "create", outdir, reason(errno.ENOTDIR))
        if open(afile, "rb").read() != b"a file, not a directory\n":
            fail("%s: the file was changed" % what)
        no_temps(what, s.dir)
    s.intact("-o a file")


def outdir_is_input(skillc, source, tmp):
    s = Setup(skillc, source, tmp)
    before = open(s.src, "rb").read()
    r = s.build(s.src)
    expect_error("-o the input", r, "create", s.src, reason(errno.ENOTDIR))
    if open(s.src, "rb").read() != before:
        fail("-o the input: the input was changed")
    no_temps("-o the input", s.dir)
    s.intact("-o the input")


def missing_outdir_created(skillc, source, tmp):
    s = Setup(skillc, source, tmp)
    outdir = os.path.join(s.dir, "missing", "nested", "out")
    r = s.build(outdir)
    if r.returncode != 0:
        fail("a missing output directory: exit status %d: %s" % (r.returncode, r.stderr))
        return
    for d in (os.path.join(s.dir, "missing"), os.path.dirname(outdir), outdir):
        if not os.path.isdir(d) or os.path.islink(d):
            fail("%s was not created as a directory" % d)
    if snapshot(outdir) != s.new:
        fail("the created directory holds %s, not the outputs" % sorted(os.listdir(outdir)))
    no_temps("a missing output directory", outdir)


def output_symlink(skillc, source, tmp):
    s = Setup(skillc, source, tmp)
    elsewhere = os.path.join(s.dir, "elsewhere")
    os.mkdir(elsewhere)
    for ext in (FORMATS[0], FORMATS[-1]):
        what = "%s a symbolic link" % (s.base + ext)
        link = s.output(ext)
        target = os.path.join(elsewhere, "target" + ext)
        with open(target, "wb") as f:
            f.write(b"someone's file\n")
        os.unlink(link)
        os.symlink(target, link)
        r = s.build(s.out)
        expect_error(what, r, "write", link,
                     "it is a symbolic link, which skillc does not replace")
        if not os.path.islink(link) or os.readlink(link) != target:
            fail("%s: the link was replaced or changed" % what)
        if open(target, "rb").read() != b"someone's file\n":
            fail("%s: the link's target was changed" % what)
        os.unlink(link)
        with open(link, "wb") as f:
            f.write(s.old[s.base + ext])
        s.intact(what)
        # Put the earlier outputs back for the next round.
        for n, data in s.old.items():
            with open(os.path.join(s.out, n), "wb") as f:
                f.write(data)
        no_temps(what, elsewhere)


def full_disk(skillc, source, tmp, rounds):
    s = Setup(skillc, source, tmp)
    for what, env, ext in rounds(s):
        r = s.build(s.out, env=skillc.faulty(env))
        expect_error(what, r, "write", s.output(ext), reason(errno.ENOSPC))
        s.intact(what)
        for n, data in s.old.items():
            with open(os.path.join(s.out, n), "wb") as f:
                f.write(data)


def full_disk_write(skillc, source, tmp):
    def rounds(s):
        first, second = (len(s.new[s.base + e]) for e in FORMATS[:2])
        yield ("write fails within the first output",
               {"SKILLC_FAIL_WRITE_AFTER": str(first // 2)}, FORMATS[0])
        yield ("write fails within a later output",
               {"SKILLC_FAIL_WRITE_AFTER": str(first + second // 2)}, FORMATS[1])
    full_disk(skillc, source, tmp, rounds)


def full_disk_fsync(skillc, source, tmp):
    def rounds(s):
        yield ("fsync fails on the first output",
               {"SKILLC_FAIL_FSYNC": "1"}, FORMATS[0])
        yield ("fsync fails on a later output",
               {"SKILLC_FAIL_FSYNC": "2"}, FORMATS[1])
    full_disk(skillc, source, tmp, rounds)


STDOUT_COMMANDS = (["--list-checks"], ["--version"], ["--help"])


def stdout_full(skillc, source, tmp):
    for args in STDOUT_COMMANDS:
        with open("/dev/full", "wb") as full:
            r = skillc.run(args, stdout=full)
        what = "skillc %s > /dev/full" % " ".join(args)
        line = "skillc: error: cannot write to standard output: %s" % reason(errno.ENOSPC)
        if r.returncode != 2:
            fail("%s: exit status %d, not 2" % (what, r.returncode))
        if line not in r.stderr.splitlines():
            fail("%s: stderr lacks %r; it was %r" % (what, line, r.stderr))


def stdout_closed_pipe(skillc, source, tmp):
    for args in STDOUT_COMMANDS:
        rd, wr = os.pipe()
        os.close(rd)
        try:
            r = skillc.run(args, stdout=wr)
        finally:
            os.close(wr)
        what = "skillc %s | (closed)" % " ".join(args)
        line = "skillc: error: cannot write to standard output: %s" % reason(errno.EPIPE)
        if r.returncode < 0:
            fail("%s: killed by %s" % (what, signal.Signals(-r.returncode).name))
        elif r.returncode != 2:
            fail("%s: exit status %d, not 2" % (what, r.returncode))
        if line not in r.stderr.splitlines():
            fail("%s: stderr lacks %r; it was %r" % (what, line, r.stderr))


def fix_full_disk(skillc, source, tmp):
    d = tempfile.mkdtemp(dir=tmp)
    path = os.path.join(d, os.path.basename(source))
    shutil.copy(source, path)
    before = open(path, "rb").read()
    for what, env in (
            ("fix, write fails at once", {"SKILLC_FAIL_WRITE_AFTER": "0"}),
            ("fix, write fails midway", {"SKILLC_FAIL_WRITE_AFTER": str(len(before) // 2)}),
            ("fix, fsync fails", {"SKILLC_FAIL_FSYNC": "1"})):
        r = skillc.run(["fix", path], env=skillc.faulty(env))
        expect_error(what, r, "write", path, reason(errno.ENOSPC))
        if open(path, "rb").read() != before:
            fail("%s: the file was changed" % what)
        no_temps(what, d)
    # Without the fault the same run does rewrite it: the case proves something.
    r = skillc.run(["fix", path])
    if r.returncode != 0 or open(path, "rb").read() == before:
        fail("fix without a fault exited %d and %s the file" % (
            r.returncode, "left unchanged" if open(path, "rb").read() == before else "changed"))


def big_standard(source, megabytes):
    """SOURCE with each work table's first capability repeated, as new
    capabilities whose weight rows weigh 0, until it is about megabytes."""
    std = yaml.safe_load(open(source, encoding="utf-8"))
    tables = std["work_requirements"]["tables"]
    new_keys = []
    n = 0
    while len(yaml.safe_dump(std, allow_unicode=True, width=1000).encode()) < megabytes * 1e6:
        for _ in range(50):
            n += 1
            key = "bulk-%d" % n
            for t in tables:
                caps = t["capabilities"]
                cap_id = str(len(caps) + 1)
                src = caps[0]["contents"][0]
                items = lambda kind: [
                    {"id": "%s.1.%d" % (cap_id, i + 1), "text": it["text"] + "（%d）" % n}
                    for i, it in enumerate(src[kind])]
                caps.append({"id": cap_id, "name": "批量职业功能%d" % n, "contents": [{
                    "key": key, "id": cap_id + ".1", "name": "批量工作内容%d" % n,
                    "skills": items("skills"), "knowledge": items("knowledge")}]})
            new_keys.append((key, "批量工作内容%d" % n))
    for sec in std["weights"]["sections"]:
        for t in sec["tables"]:
            rows = t["groups"][-1]["rows"]
            rows += [{"content": k, "label": name, "weights": [0] * len(t["columns"])}
                     for k, name in new_keys]
    return yaml.safe_dump(std, allow_unicode=True, sort_keys=False, width=1000)


def stats(d):
    return {n: (st.st_ino, st.st_size, st.st_mtime_ns)
            for n in os.listdir(d) for st in [os.stat(os.path.join(d, n))]}


def busy(d, before):
    """Whether anything in d differs from before: skillc is writing."""
    try:
        return stats(d) != before
    except FileNotFoundError:  # a temporary file renamed away meanwhile
        return True


def kill9(skillc, source, tmp, rounds=30):
    skillc.valgrind = False
    big = os.path.join(tmp, "big.yaml")
    with open(big, "w", encoding="utf-8") as f:
        f.write(big_standard(source, 0.6))
    s = Setup(skillc, big, tmp)
    size = sum(len(v) for v in s.new.values())
    if size < 4e6:
        fail("the outputs of the large standard are only %d bytes" % size)
    start = time.monotonic()
    s.build_ok(os.path.join(s.dir, "timed"))
    took = time.monotonic() - start
    print("outputs %.1f MB, a build takes %.3f s" % (size / 1e6, took))
    rng = random.Random(os.environ.get("SKILLC_KILL9_SEED", str(time.time_ns())))
    counts = {"old": 0, "mixed": 0, "new": 0, "temp left": 0, "mid-write": 0,
              "finished": 0, "cleaned": 0}
    for i in range(rounds):
        out = os.path.join(s.dir, "kill%d" % i)
        shutil.copytree(s.out, out)
        before = stats(out)
        p = subprocess.Popen([skillc.path, "build", "-o", out, s.src],
                             env=skillc.env(), stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        writing = False
        if i % 2:
            # Wait until skillc starts writing (a temporary file appears, or
            # an output changes), then kill it at once or a moment later.
            deadline = time.monotonic() + took * 3 + 5
            while p.poll() is None and time.monotonic() < deadline:
                if busy(out, before):
                    writing = True
                    time.sleep(rng.choice((0, rng.uniform(0, 0.005),
                                           rng.uniform(0, took / 10))))
                    break
        else:
            time.sleep(rng.uniform(0, took * 1.2))
        p.send_signal(signal.SIGKILL)
        status = p.wait()
        if status == 0:
            counts["finished"] += 1
        elif status != -signal.SIGKILL:
            fail("round %d: skillc exited %d before it was killed" % (i, status))
        elif writing:
            counts["mid-write"] += 1
        now = snapshot(out)
        if sorted(now) != sorted(s.old):
            fail("round %d: the output directory holds %s" % (i, sorted(now)))
        kinds = set()
        for n in sorted(now):
            if n not in s.old:  # a stray file, reported above
                continue
            if now[n] == s.old.get(n):
                kinds.add("old")
            elif now[n] == s.new.get(n):
                kinds.add("new")
            else:
                prefix = os.path.commonprefix([now[n], s.new.get(n, b"")])
                fail("round %d (%s): %s is partial: %d bytes, %d of them the new"
                     " output's start; old %d, new %d bytes"
                     % (i, "once writing" if i % 2 else "random delay", n,
                        len(now[n]), len(prefix), len(s.old[n]), len(s.new[n])))
                kinds.add("partial")
        if kinds == {"old"}:
            counts["old"] += 1
        elif kinds == {"new"}:
            counts["new"] += 1
        elif "partial" not in kinds:
            counts["mixed"] += 1
        left = temps(out)
        if left:
            counts["temp left"] += 1
        # The killed run's temporary files (and lock) are provably
        # abandoned: the next build succeeds and removes them. A few
        # such builds prove it; each of them costs a whole build.
        if left and counts["cleaned"] < 5:
            counts["cleaned"] += 1
            s.build_ok(out)
            if snapshot(out) != s.new or temps(out):
                fail("round %d: the build after the kill left %s"
                     % (i, sorted(os.listdir(out))))
        shutil.rmtree(out)
    print("after %d kills: %s" % (rounds, ", ".join("%s %d" % kv for kv in counts.items())))
    if not counts["mid-write"]:
        fail("no kill landed while skillc was writing: the case proved nothing")


def no_libzip(skillc, source, tmp):
    """libzip missing (failwrite makes its dlopen fail): a build asking for
    DOCX stops before it reads, naming the format and the loader's reason,
    and writes nothing; one without DOCX, and check, never load it."""
    dump = subprocess.run(["objdump", "-p", skillc.path], check=True,
                          stdout=subprocess.PIPE, text=True).stdout
    needed = [l.split()[1] for l in dump.splitlines()
              if l.split()[:1] == ["NEEDED"]]
    if not needed or any(n.startswith(("libzip", "libcrypto")) for n in needed):
        fail("skillc is linked with what it should load for DOCX only: %s"
             % needed)
    s = Setup(skillc, source, tmp)
    gone = s.skillc.faulty({"SKILLC_FAIL_DLOPEN": "libzip"})
    fresh = os.path.join(s.dir, "fresh")
    for what, outdir in (("an existing directory", s.out),
                         ("a new directory", fresh)):
        r = s.build(outdir, env=gone)
        line = [l for l in r.stderr.splitlines()
                if l.startswith("skillc: error: cannot write the 'docx' output: ")]
        if r.returncode != 2 or not line or "libzip" not in line[0]:
            fail("no libzip, %s: exit %d, stderr %r"
                 % (what, r.returncode, r.stderr))
        if r.stderr.count("skillc: ") != 1:
            fail("no libzip, %s: the build read the source: %r"
                 % (what, r.stderr))
    s.intact("no libzip")
    if os.path.exists(fresh):
        fail("no libzip: the new output directory was made")
    r = s.skillc.run(["build", "--format", "c,json,md", "-o", fresh, s.src],
                     env=gone)
    if r.returncode or sorted(os.listdir(fresh)) != sorted(
            s.base + e for e in FORMATS if e != ".docx"):
        fail("no libzip, --format c,json,md: exit %d, wrote %s: %s"
             % (r.returncode, sorted(os.listdir(fresh)) if
                os.path.isdir(fresh) else [], r.stderr))
    r = s.skillc.run(["check", s.src], env=gone)
    if r.returncode:
        fail("no libzip, check: exit %d: %s" % (r.returncode, r.stderr))


def scratch_unreadable(skillc, source, tmp):
    """A disk that cannot read back what was written (failwrite makes
    every pread fail): a build into an existing directory reads nothing
    back, not even a Word document whose document.xml is past a megabyte
    (deflated as it is rendered), and writes the same bytes as without
    the fault."""
    src = os.path.join(tmp, "big.yaml")
    with open(src, "w", encoding="utf-8") as f:
        f.write(big_standard(source, 0.5))
    ref, out = os.path.join(tmp, "ref"), os.path.join(tmp, "out")
    os.mkdir(ref)
    os.mkdir(out)
    r = skillc.run(["build", "-o", ref, src])
    if r.returncode:
        fail("a build without a fault exited %d: %s" % (r.returncode, r.stderr))
    with zipfile.ZipFile(os.path.join(ref, "big.docx")) as z:
        size = z.getinfo("word/document.xml").file_size
    if size <= 1 << 20:
        fail("document.xml is %d bytes, not past a megabyte: the case would"
             " prove nothing" % size)
    r = skillc.run(["build", "-o", out, src],
                   env=skillc.faulty({"SKILLC_FAIL_PREAD": "1"}))
    if r.returncode or "error" in r.stderr:
        fail("unreadable scratch file: exit %d: %s" % (r.returncode, r.stderr))
    if snapshot(out) != snapshot(ref):
        fail("unreadable scratch file: the outputs differ from a build"
             " without the fault")
    no_temps("unreadable scratch file", out)


def held_linked(skillc, source, tmp):
    """Outputs rendered before they can be staged (all of them where the
    output directory is still to be made, those of every input but the
    last where it is there) are held past a megabyte in unnamed files
    beside where they go, and linked in as they are. So a disk that cannot
    read back what was written (every pread fails) changes nothing: a
    build into a new directory, and one of two standards into a directory
    that exists, write what builds without the fault write, and the second
    of two such builds leaves every output untouched. Where the file system
    will not link them, or has no unnamed files, they are copied in from
    their scratch files: the same bytes, and with the pread fault an error
    and no temporary file left. Where no scratch file can be made at all,
    they wait in memory: the same bytes."""
    text = big_standard(source, 0.6)
    std = yaml.safe_load(text)
    std["id"] += "-second"
    srcs = []
    for name, t in (("big.yaml", text),
                    ("second.yaml", yaml.safe_dump(std, allow_unicode=True,
                                                   sort_keys=False, width=1000))):
        srcs.append(os.path.join(tmp, name))
        with open(srcs[-1], "w", encoding="utf-8") as f:
            f.write(t)
    pread = {"SKILLC_FAIL_PREAD": "1"}
    runs = 0

    def build(what, outdir, srcs, extra=None, status=0, ref=False):
        """ref: a build to compare with, not run under valgrind."""
        nonlocal runs
        runs += 1
        r = skillc.run(["build", "-o", outdir] + srcs,
                       env=skillc.faulty(extra) if extra else None,
                       valgrind=not ref)
        if r.returncode != status:
            fail("%s: exit %d, not %d: %s" % (what, r.returncode, status, r.stderr))
        elif status == 0 and r.stderr:
            fail("%s: %s" % (what, r.stderr))
        return r

    ref = os.path.join(tmp, "ref")
    build("one standard", ref, srcs[:1], ref=True)
    big = [n for n, b in snapshot(ref).items() if len(b) > 1 << 20]
    if len(big) < 2:
        fail("only %s of the outputs are past a megabyte: the case would prove"
             " nothing" % big)
    # Where no scratch file can be made at all, the outputs wait in
    # memory (valgrind needs a TMPDIR: that build runs without it).
    memory = {"SKILLC_NO_TMPFILE": "1", "TMPDIR": os.path.join(tmp, "none")}
    for what, extra, copied in (
            ("linked", pread, False),
            ("not linked", {"SKILLC_FAIL_LINKAT": "1"}, True),
            ("no unnamed files", {"SKILLC_NO_TMPFILE": "1"}, True),
            ("in memory", memory, False)):
        outdir = os.path.join(tmp, "new-" + what.replace(" ", "-"), "out")
        build("a new directory, " + what, outdir, srcs[:1], extra,
              ref=extra is memory)
        if snapshot(outdir) != snapshot(ref):
            fail("a new directory, %s: the outputs differ from a build"
                 " without the fault" % what)
        no_temps("a new directory, " + what, outdir)
        if not copied:
            continue
        outdir = os.path.join(tmp, "copy-" + what.replace(" ", "-"))
        r = build("a new directory, %s, unreadable" % what, outdir, srcs[:1],
                  dict(extra, **pread), status=2)
        if "cannot write" not in r.stderr:
            fail("a new directory, %s, unreadable: %r" % (what, r.stderr))
        if os.path.isdir(outdir):
            no_temps("a new directory, %s, unreadable" % what, outdir)
            if snapshot(outdir):
                fail("a new directory, %s, unreadable: wrote %s"
                     % (what, sorted(os.listdir(outdir))))
    # SIGTERM at the first write of the set (big.md's temporary file,
    # under a megabyte, after big.h and big.json were linked in under
    # their temporary names): those go too, and nothing is in the new
    # directory.
    outdir = os.path.join(tmp, "killed", "out")
    r = skillc.run(["build", "-o", outdir, srcs[0]], valgrind=False,
                   env=skillc.faulty({"SKILLC_RAISE_ON_WRITE": str(int(signal.SIGTERM)),
                                      "SKILLC_RAISE_ON_WRITE_TO": outdir + "/.big.md."}))
    runs += 1
    if r.returncode != -signal.SIGTERM:
        fail("SIGTERM while staging: exit %d, not by the signal: %s"
             % (r.returncode, r.stderr))
    elif os.listdir(outdir):
        fail("SIGTERM while staging: the new directory holds %s"
             % sorted(os.listdir(outdir)))
    two, ref2 = os.path.join(tmp, "two"), os.path.join(tmp, "ref2")
    os.mkdir(two)
    build("two standards", ref2, srcs, ref=True)
    build("two standards, linked", two, srcs, pread)
    if snapshot(two) != snapshot(ref2):
        fail("two standards, linked: the outputs differ from a build without"
             " the fault")
    before = stats(two)
    build("two standards again", two, srcs)
    if stats(two) != before:
        fail("two standards again: outputs holding their bytes were replaced:"
             " %s" % sorted(n for n in before if stats(two).get(n) != before[n]))
    no_temps("two standards", two)
    # Past HELD_FILES (16) held outputs, the rest share the build's
    # scratch file: nine standards into a new directory hold 18 past a
    # megabyte, and write what nine builds of one standard each write.
    many, ref9, names = os.path.join(tmp, "many"), os.path.join(tmp, "ref9"), []
    os.mkdir(ref9)
    for i in range(9):
        std["id"] = "bulk-%d" % i
        names.append(os.path.join(tmp, "many-%d.yaml" % i))
        with open(names[-1], "w", encoding="utf-8") as f:
            f.write(yaml.safe_dump(std, allow_unicode=True, sort_keys=False,
                                   width=1000))
        build("one of nine standards", ref9, names[-1:], ref=True)
    build("nine standards", many, names)
    if snapshot(many) != snapshot(ref9):
        fail("nine standards: the outputs differ from those of nine builds")
    no_temps("nine standards", many)
    leftover = sorted(set(os.listdir(tmp)) - {"big.yaml", "second.yaml", "ref",
                                              "ref2", "two", "many", "ref9",
                                              "killed"}
                      - {n for n in os.listdir(tmp)
                         if n.startswith(("new-", "copy-", "many-"))})
    if leftover:
        fail("files left beside the outputs: %s" % leftover)
    print("%d builds; past a megabyte: %s" % (runs, ", ".join(sorted(big))))


CASES = {
    "scratch-unreadable": scratch_unreadable,
    "held-linked": held_linked,
    "no-libzip": no_libzip,
    "unreadable-input": unreadable_input,
    "outdir-readonly": outdir_readonly,
    "outdir-is-file": outdir_is_file,
    "outdir-is-input": outdir_is_input,
    "missing-outdir-created": missing_outdir_created,
    "output-symlink": output_symlink,
    "full-disk-write": full_disk_write,
    "full-disk-fsync": full_disk_fsync,
    "stdout-full": stdout_full,
    "stdout-closed-pipe": stdout_closed_pipe,
    "fix-full-disk": fix_full_disk,
    "kill9": kill9,
}


def main():
    if len(sys.argv) != 5 or sys.argv[4] not in CASES:
        sys.exit("usage: faults.py SKILLC FAILWRITE.so SOURCE.yaml CASE\n"
                 "CASE: " + ", ".join(CASES))
    skillc = Skillc(os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]))
    source, case = os.path.abspath(sys.argv[3]), sys.argv[4]
    with tempfile.TemporaryDirectory(prefix="skillc-faults-") as tmp:
        os.chmod(tmp, 0o755)
        status = CASES[case](skillc, source, tmp)
        # An unprivileged run may have left files the cleanup cannot remove.
        for dirpath, dirs, _ in os.walk(tmp):
            for d in dirs:
                p = os.path.join(dirpath, d)
                if not os.path.islink(p):
                    os.chmod(p, stat.S_IRWXU)
    if status == SKIP:
        print("skip:", case)
        sys.exit(SKIP)
    if failures:
        sys.exit(1)
    print("ok:", case)


if __name__ == "__main__":
    main()
