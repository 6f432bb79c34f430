#!/usr/bin/python3
"""What skillc promises about the files it replaces and the files around
them (issue 8), tested from outside as a hostile user would.

usage: safety.py SKILLC FAILWRITE.so FIVE_LEVEL.yaml BUNDLED.yaml CASE

FIVE_LEVEL.yaml builds cleanly and is built as x.yaml ("version A"), or
with its Chinese title changed ("version B": every output differs);
'skillc fix' rewrites copies of BUNDLED.yaml, which it has replacements
for. Where a run must change nothing, everything under its scratch
directory is compared before and after: the listing, and for each entry
its type, mode, owner, inode, device number, and for a regular file its
bytes and mtime. Temporary files are .NAME.skillc-tmp-XXXXXX beside NAME
(faults.TEMP). Stderr is only required to name the path in quotes
('PATH'), not to say it in given words, unless a case says otherwise.

CASE is one of:
  fix-keeps-mode        fix on a file of mode 0600, 0640, 0604 and 0755
                        keeps the mode; the bytes are what a fix of a mode
                        0644 copy gives
  fix-keeps-owner       as root, a file owned by nobody:nogroup (and one
                        owned by root:nogroup, mode 0640) keeps its owner
                        and group after fix (skip unless root)
  fix-readonly-refused  fix on a file of mode 0444 (run as the caller, root
                        included), and, run as 'nobody', on a root-owned
                        0644 file and a nobody-owned 0444 file, both in a
                        directory of mode 0777 (so a rename would succeed):
                        exit 2, stderr names 'PATH', nothing changed
  fix-not-regular       fix on a FIFO, a directory, a character device
                        like /dev/null (mknod, as root only) and a symbolic
                        link to a regular file: exit 2 within a few seconds
                        (a hang is a FAIL), stderr names 'PATH', nothing
                        changed: the FIFO a FIFO, the link a link to the
                        same target, the target's bytes and mtime the same
  fix-lost-update       another writer appends a line to the file between
                        fix's read and its rename (FAILWRITE.so appends it
                        when fix fsyncs its temporary file): exit 2, stderr
                        names 'PATH', the file holds the other writer's
                        content, no temporary file
  fix-concurrent        two fixes of one copy of BUNDLED started together
                        (a barrier releases both at once), 100 rounds on a
                        fresh copy: both exit 0, "No such file" nowhere in
                        their output, the file byte-identical to one fix's
                        result, nothing else in its directory
  build-concurrent      two builds of different versions of x.yaml (A, B,
                        in two directories) into one OUT, started together,
                        100 rounds, OUT first missing, holding A's outputs,
                        or B's: both exit 0, OUT then holds exactly x.h,
                        x.json and x.md, all three of A or all three of B
  temp-files            OUT holds user files named like the old temporary
                        files (.x.h.backup, .x.h.draft1, .x.json.ABC123,
                        .x.md.tmp) and an abandoned .x.h.skillc-tmp-AbC123:
                        a build leaves the user files untouched (bytes,
                        mtime, inode) and removes the abandoned one (fresh:
                        it is known abandoned by the lock, not by its age);
                        a build stopped (SIGSTOP, FAILWRITE.so) in its first
                        write to a file .x.* in OUT is writing a temporary
                        file named .NAME.skillc-tmp-XXXXXX and, continued,
                        finishes with exit 0 and nothing left over
  all-or-nothing        each of these exits 2 and changes nothing (earlier
                        outputs byte-identical with their mtimes, no new
                        file anywhere in the scratch directory): -MF naming
                        the input (also spelled differently); -MF naming an
                        output (OUT/x.h: not in issue 8's list); -MF into a
                        missing directory; -MF naming a directory; OUT/x.json
                        a directory; OUT/x.h a FIFO (no hang); -o '' (with
                        a --name of our own, removed again should a broken
                        skillc write it into / or the working directory); an
                        empty --format=; -MF ''; the same input twice; two
                        inputs named x.yaml (stderr names both); and, as
                        root, -MF /dev/null: exit 0, outputs written,
                        /dev/null still the same character device, nothing
                        new in /dev (tried on a mknod copy first: if that
                        copy is replaced, /dev/null itself is not tried)
  signals               SIGINT, SIGTERM and SIGHUP raised (FAILWRITE.so)
                        in the first write to x.h's temporary file, then to
                        x.md's, then to that of a fix: skillc dies by that
                        signal, with nothing changed and no temporary file
                        (the signals are set to their default action first:
                        skillc may keep one it finds ignored); a build under
                        RLIMIT_FSIZE below the size of every output, and a
                        fix under RLIMIT_FSIZE of the file's size (the fix
                        makes it grow): exit 2, not death by SIGXFSZ,
                        stderr holds "File too large" and names the path
                        (an output's, the fixed file's), nothing changed

Cases that need a user without root's powers run skillc as 'nobody' as in
faults.py; a case whose every part needs what cannot be had exits 77. With
SKILLC_VALGRIND=1 skillc runs under valgrind memcheck as in skillc_run.py,
except in the 100-round races, the signal deaths and the stopped build,
where memcheck would only slow the race or report the death. Exits 0 when
every promise holds, 1 with a FAIL line for each that does not.
"""
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faults  # noqa: E402  (the Skillc runner, fail, TEMP, unprivileged)

from faults import FORMATS, NOBODY, SKIP, TEMP, fail  # noqa: E402

ROUNDS = 100
OLD = 1_000_000_000  # the mtime earlier files are given, in seconds


class Skillc(faults.Skillc):
    """faults.Skillc with a time limit (a hang is reported, not waited
    out) and a function to run in the child before skillc starts."""

    def __init__(self, path, preload):
        super().__init__(path, preload)
        self.hang = 120 if self.valgrind else 10  # seconds: "a few"

    def run(self, args, env=None, user=False, stdout=subprocess.PIPE,
            cwd=None, valgrind=True, timeout=None, preexec_fn=None):
        wrapper, vglog = [], None
        if self.valgrind and valgrind:
            fd, vglog = tempfile.mkstemp(prefix="skillc-vg-")
            os.close(fd)
            os.chmod(vglog, 0o666)  # the unprivileged user writes it too
            wrapper = ["valgrind", "-q", "--error-exitcode=99", "--vgdb=no",
                       "--leak-check=full", "--show-leak-kinds=all",
                       "--errors-for-leak-kinds=all", "--log-file=" + vglog]
        argv = wrapper + [self.path, *args]
        try:
            r = subprocess.run(argv, env=self.env(env), cwd=cwd,
                               stdin=subprocess.DEVNULL, stdout=stdout,
                               stderr=subprocess.PIPE,
                               timeout=timeout or self.hang,
                               preexec_fn=preexec_fn,
                               **(self.user if user else {}))
            r.hung = False
        except subprocess.TimeoutExpired as e:
            r = subprocess.CompletedProcess(argv, None, e.stdout, e.stderr)
            r.hung = True
        if vglog:
            with open(vglog, "rb") as f:
                log = f.read()
            os.unlink(vglog)
            # A process that hung or died by a signal leaks by nature: the
            # case reports how it ended instead.
            if log.strip() and not r.hung and r.returncode >= 0:
                sys.stderr.write(log.decode(errors="replace"))
                print("FAIL: valgrind reported errors running skillc")
                sys.exit(1)
        r.stderr = (r.stderr or b"").decode(errors="replace")
        if isinstance(r.stdout, bytes):
            r.stdout = r.stdout.decode(errors="replace")
        r.stdout = r.stdout or ""
        r.timeout = timeout or self.hang
        return r


# ---- what is on disk ------------------------------------------------------

KINDS = {stat.S_IFREG: "regular file", stat.S_IFDIR: "directory",
         stat.S_IFIFO: "FIFO", stat.S_IFCHR: "character device",
         stat.S_IFLNK: "symbolic link", stat.S_IFBLK: "block device",
         stat.S_IFSOCK: "socket"}


def entry(path):
    """What a run must not change about one directory entry (never opens
    anything but a regular file: a FIFO would block)."""
    st = os.lstat(path)
    kind = KINDS.get(stat.S_IFMT(st.st_mode), "other")
    e = {"type": kind, "mode": "%04o" % stat.S_IMODE(st.st_mode),
         "owner": "%d:%d" % (st.st_uid, st.st_gid), "inode": st.st_ino}
    if kind == "regular file":
        with open(path, "rb") as f:
            e["bytes"] = f.read()
        e["mtime"] = st.st_mtime_ns
    elif kind == "symbolic link":
        e["target"] = os.readlink(path)
    elif kind in ("character device", "block device"):
        e["device"] = "%d,%d" % (os.major(st.st_rdev), os.minor(st.st_rdev))
    return e


def state(top):
    """Every entry under top, by path relative to it. A directory's mtime
    is left out: a temporary file made and removed changes it."""
    got = {}
    for dirpath, dirs, files in os.walk(top):
        for n in dirs + files:
            p = os.path.join(dirpath, n)
            got[os.path.relpath(p, top)] = entry(p)
    return got


def describe(field, value):
    if value is None:
        return "none"
    if field == "bytes":
        return "%d bytes" % len(value)
    return str(value)


def compare(what, before, after, where="the scratch directory"):
    """A FAIL line for every entry that differs between two states."""
    for name in sorted(set(before) | set(after)):
        if name not in after:
            fail("%s: %s was removed" % (what, name))
        elif name not in before:
            note = " (a temporary file)" if TEMP.match(os.path.basename(name)) else ""
            fail("%s: a new %s %s%s appeared in %s"
                 % (what, after[name]["type"], name, note, where))
        else:
            b, a = before[name], after[name]
            changes = ["%s %s -> %s" % (f, describe(f, b.get(f)), describe(f, a.get(f)))
                       for f in sorted(set(b) | set(a)) if b.get(f) != a.get(f)]
            if changes:
                fail("%s: %s changed: %s" % (what, name, ", ".join(changes)))


def age(top):
    """Give every regular file under top an old mtime, so that a rewrite
    with the same bytes still shows."""
    for dirpath, _, files in os.walk(top):
        for n in files:
            p = os.path.join(dirpath, n)
            if stat.S_ISREG(os.lstat(p).st_mode):
                os.utime(p, (OLD, OLD), follow_symlinks=False)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data, mode=0o644):
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def outputs(d, base="x"):
    return {e: read(os.path.join(d, base + e)) for e in FORMATS}


def leftovers(d, keep=()):
    """Names in d that are no output and not in keep."""
    return sorted(n for n in os.listdir(d)
                  if n not in keep and n not in ("x" + e for e in FORMATS))


# ---- what a run did -------------------------------------------------------

def tail(text, n=300):
    """The end of a long stderr, for a FAIL line."""
    return text if len(text) <= n else "..." + text[-n:]


def ended(what, r, status):
    """Whether r ended with status; a FAIL line saying how it ended if not."""
    if r.hung:
        fail("%s: still running after %d s: it hangs (killed)"
             % (what, r.timeout))
    elif r.returncode < 0:
        fail("%s: killed by %s (stderr: %r)"
             % (what, signal.Signals(-r.returncode).name, tail(r.stderr)))
    elif r.returncode != status:
        fail("%s: exit status %d, not %d (stderr: %r)"
             % (what, r.returncode, status, tail(r.stderr)))
    else:
        return True
    return False


def names(what, r, path):
    """Stderr names path in quotes."""
    if r.hung:
        return
    if "'%s'" % path not in r.stderr:
        fail("%s: stderr does not name '%s'; it was %r" % (what, path, tail(r.stderr)))


def default_signals(*sigs):
    """A preexec_fn: the signals at their default action in skillc, whatever
    the test runner left ignored (nohup, a CI's shell)."""
    def preexec():
        for s in sigs:
            signal.signal(s, signal.SIG_DFL)
    return preexec


def together(skillc, argvs, cwd=None):
    """Run skillc with each argument list at once: each waits in a shell
    for a line on its standard input, and both lines are sent together.
    Returns (returncode, stdout, stderr) for each; None for one still
    running after a minute (killed)."""
    procs, gates = [], []
    for a in argvs:
        rd, wr = os.pipe()
        procs.append(subprocess.Popen(["/bin/sh", "-c", 'read _ && exec "$@"',
                                       "sh", skillc.path, *a],
                                      stdin=rd, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, env=skillc.env(),
                                      cwd=cwd))
        os.close(rd)
        gates.append(wr)
    for wr in gates:
        os.write(wr, b"\n")
    for wr in gates:
        os.close(wr)
    results = []
    for p in procs:
        try:
            out, err = p.communicate(timeout=60)
            results.append((p.returncode, out.decode(errors="replace"),
                            err.decode(errors="replace")))
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            results.append(None)
    return results


class World:
    """The inputs every case draws on: version A and B of x.yaml, their
    outputs, the bundled standard and what one fix makes of it."""

    def __init__(self, skillc, five, bundled, tmp):
        self.skillc, self.tmp = skillc, tmp
        self.top = self.mkdir("world")
        text = read(five)
        title = "    zh: 叉车司机职业技能要求\n".encode()
        if text.count(title) != 1:
            raise SystemExit("FAIL: %s has no single title line %r to change"
                             % (five, title))
        self.a = self.source("a", text)
        self.b = self.source("b", text.replace(title, title[:-1] + "（修订）\n".encode()))
        self.ref_a = self.reference(self.a)
        self.ref_b = self.reference(self.b)
        for e in FORMATS:
            if self.ref_a[e] == self.ref_b[e]:
                raise SystemExit("FAIL: versions A and B give the same x%s:"
                                 " the cases would prove nothing" % e)
        self.bundled = read(bundled)
        self.bundled_name = os.path.basename(bundled)
        d = self.mkdir("fixed")
        path = self.fix_copy(d)
        r = skillc.run(["fix", path])
        if r.returncode != 0 or read(path) == self.bundled:
            raise SystemExit("FAIL: fix of the bundled standard exited %s and"
                             " changed %s: the cases would prove nothing (%r)"
                             % (r.returncode, "something" if read(path) != self.bundled
                                else "nothing", tail(r.stderr)))
        self.fixed = read(path)

    def mkdir(self, name=None):
        d = tempfile.mkdtemp(dir=self.tmp, prefix=(name or "d") + "-")
        os.chmod(d, 0o755)
        return d

    def source(self, name, data):
        d = os.path.join(self.top, name)
        os.mkdir(d)
        path = os.path.join(d, "x.yaml")
        write(path, data)
        return path

    def reference(self, src):
        out = os.path.join(os.path.dirname(src), "out")
        r = self.skillc.run(["build", "-o", out, src])
        wrote = sorted(os.listdir(out)) if os.path.isdir(out) else "nothing"
        if r.returncode != 0 or wrote != sorted("x" + e for e in FORMATS):
            raise SystemExit("FAIL: a plain build of %s exited %s and wrote %s: %r"
                             % (src, r.returncode, wrote, tail(r.stderr)))
        return outputs(out)

    def fix_copy(self, d, mode=0o644):
        path = os.path.join(d, self.bundled_name)
        write(path, self.bundled, mode)
        return path

    def earlier(self, out, ref=None):
        """out holding the outputs of version A (or ref), aged."""
        os.makedirs(out, exist_ok=True)
        for e, data in (ref or self.ref_a).items():
            write(os.path.join(out, "x" + e), data)
        age(out)

    def version(self, got):
        """'A', 'B', or a description of a mixed or damaged set."""
        kinds = []
        for e in FORMATS:
            kinds.append("A" if got[e] == self.ref_a[e] else
                         "B" if got[e] == self.ref_b[e] else "neither")
        if len(set(kinds)) == 1 and kinds[0] != "neither":
            return kinds[0]
        return ", ".join("x%s from %s" % (e, k) for e, k in zip(FORMATS, kinds))


# ---- 1. fix keeps what it does not own -------------------------------------

def fix_keeps_mode(w):
    for mode in (0o600, 0o640, 0o604, 0o755):
        what = "fix on a mode %04o file" % mode
        d = w.mkdir()
        path = w.fix_copy(d, mode)
        r = w.skillc.run(["fix", path])
        if not ended(what, r, 0):
            continue
        got = stat.S_IMODE(os.stat(path).st_mode)
        if got != mode:
            fail("%s: the file is now mode %04o" % (what, got))
        if read(path) != w.fixed:
            fail("%s: the file is not what fix makes of it (%d bytes, not %d)"
                 % (what, len(read(path)), len(w.fixed)))
        if os.listdir(d) != [w.bundled_name]:
            fail("%s: the directory holds %s" % (what, sorted(os.listdir(d))))


def fix_keeps_owner(w):
    if os.geteuid() != 0:
        print("not root: cannot give a file to another owner")
        return SKIP
    for uid, gid, mode in ((NOBODY, NOBODY, 0o644), (0, NOBODY, 0o640)):
        what = "fix as root on a file owned by %d:%d" % (uid, gid)
        d = w.mkdir()
        path = w.fix_copy(d, mode)
        os.chown(path, uid, gid)
        r = w.skillc.run(["fix", path])
        if not ended(what, r, 0):
            continue
        st = os.stat(path)
        if (st.st_uid, st.st_gid) != (uid, gid):
            fail("%s: the file is now owned by %d:%d" % (what, st.st_uid, st.st_gid))
        if stat.S_IMODE(st.st_mode) != mode:
            fail("%s: the file is now mode %04o, not %04o"
                 % (what, stat.S_IMODE(st.st_mode), mode))
        if read(path) != w.fixed:
            fail("%s: the file is not what fix makes of it" % what)
        if os.listdir(d) != [w.bundled_name]:
            fail("%s: the directory holds %s" % (what, sorted(os.listdir(d))))


def refused(w, what, d, path, user=False):
    """fix on path exits 2, names it, and changes nothing under d."""
    age(d)
    before = state(d)
    r = w.skillc.run(["fix", path], user=user)
    if ended(what, r, 2):
        names(what, r, path)
    compare(what, before, state(d))


def fix_readonly_refused(w):
    d = w.mkdir()
    path = w.fix_copy(d, 0o444)
    refused(w, "fix as uid %d on a mode 0444 file" % os.geteuid(), d, path)
    if os.geteuid() != 0:
        print("skip: the parts as 'nobody' on root's and nobody's files need root")
        return
    if not faults.unprivileged(w.skillc, w.tmp):
        print("skip: the parts as 'nobody'")
        return
    for owner, mode in ((0, 0o644), (NOBODY, 0o444)):
        d = w.mkdir()
        os.chmod(d, 0o777)  # nobody could replace the file by rename
        path = w.fix_copy(d, mode)
        os.chown(path, owner, owner)
        refused(w, "fix as nobody on a mode %04o file owned by uid %d, in a"
                " mode 0777 directory" % (mode, owner), d, path, user=True)


def fix_not_regular(w):
    d = w.mkdir()
    paths = []
    fifo = os.path.join(d, "fifo.yaml")
    os.mkfifo(fifo)
    paths.append(("a FIFO", fifo))
    dirpath = os.path.join(d, "dir.yaml")
    os.mkdir(dirpath)
    write(os.path.join(dirpath, "inside"), b"a file in the directory\n")
    paths.append(("a directory", dirpath))
    null = os.path.join(d, "null.yaml")
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        os.chmod(null, 0o666)
        paths.append(("a character device like /dev/null", null))
    except PermissionError:
        print("skip: the character device part (mknod is not allowed)")
    elsewhere = os.path.join(d, "elsewhere")
    os.mkdir(elsewhere)
    target = w.fix_copy(elsewhere)
    link = os.path.join(d, "link.yaml")
    os.symlink(target, link)
    paths.append(("a symbolic link to a regular file", link))
    for what, path in paths:
        refused(w, "fix on " + what, d, path)


# ---- 2. fix and build against other writers ---------------------------------

def fix_lost_update(w):
    d = w.mkdir()
    path = w.fix_copy(d)
    age(d)
    theirs = w.bundled + b"another writer\n"
    r = w.skillc.run(["fix", path], env=w.skillc.faulty({"SKILLC_TOUCH_ON_FSYNC": path}))
    what = "another writer appends to the file while fix writes"
    if ended(what, r, 2):
        names(what, r, path)
    now = read(path)
    if now == w.bundled:
        fail("%s: the file is as it was: the other writer never wrote, so fix"
             " fsynced no temporary file before replacing it" % what)
    elif now == w.fixed:
        fail("%s: the file holds fix's result; the other writer's line is lost"
             % what)
    elif now != theirs:
        fail("%s: the file holds %d bytes, neither the other writer's content"
             " (%d) nor fix's result (%d)" % (what, len(now), len(theirs), len(w.fixed)))
    if os.listdir(d) != [w.bundled_name]:
        fail("%s: the directory holds %s" % (what, sorted(os.listdir(d))))


def report_rounds(what, bad, rounds):
    """One FAIL line for each of the first few bad rounds and the count."""
    for line in bad[:5]:
        fail("%s: %s" % (what, line))
    if bad:
        fail("%s: %d of %d rounds failed" % (what, len(bad), rounds))


def fix_concurrent(w):
    w.skillc.valgrind = False
    bad = []
    for i in range(ROUNDS):
        d = w.mkdir("round%d" % i)
        path = w.fix_copy(d)
        results = together(w.skillc, [["fix", path], ["fix", path]])
        why = []
        for k, res in enumerate(results):
            if res is None:
                why.append("fix %d hangs" % k)
                continue
            status, out, err = res
            if status != 0:
                why.append("fix %d exited %d: %r" % (k, status, err[-300:]))
            if "No such file" in out + err:
                why.append("fix %d printed 'No such file'" % k)
        if read(path) != w.fixed:
            why.append("the file is not what one fix makes of it")
        if os.listdir(d) != [w.bundled_name]:
            why.append("the directory holds %s" % sorted(os.listdir(d)))
        if why:
            bad.append("round %d: %s" % (i, "; ".join(why)))
        shutil.rmtree(d)
    report_rounds("two fixes at once", bad, ROUNDS)
    print("%d rounds of two fixes at once, %d bad" % (ROUNDS, len(bad)))


def build_concurrent(w):
    w.skillc.valgrind = False
    out = os.path.join(w.mkdir(), "out")
    bad, seen = [], {"A": 0, "B": 0, "mixed": 0}
    for i in range(ROUNDS):
        start = ("missing", "A", "B")[i % 3]
        if os.path.exists(out):
            shutil.rmtree(out)
        if start != "missing":
            w.earlier(out, w.ref_a if start == "A" else w.ref_b)
        results = together(w.skillc, [["build", "-o", out, w.a],
                                      ["build", "-o", out, w.b]])
        why = []
        for src, res in zip("AB", results):
            if res is None:
                why.append("the build of %s hangs" % src)
            elif res[0] != 0:
                why.append("the build of %s exited %d: %r" % (src, res[0], res[2][-300:]))
        extra = leftovers(out) if os.path.isdir(out) else ["(no OUT)"]
        if extra:
            why.append("OUT also holds %s" % extra)
        try:
            v = w.version(outputs(out))
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError) as e:
            v = "an output is missing: %s" % e
        if v in ("A", "B"):
            seen[v] += 1
        else:
            seen["mixed"] += 1
            why.append("OUT holds a mixed set: " + v)
        if why:
            bad.append("round %d (OUT %s before): %s" % (i, start, "; ".join(why)))
    report_rounds("two builds into one OUT at once", bad, ROUNDS)
    print("%d rounds of two builds at once: all A %d, all B %d, mixed %d,"
          " bad %d" % (ROUNDS, seen["A"], seen["B"], seen["mixed"], len(bad)))


# ---- 3. temporary files -------------------------------------------------------

USER_FILES = (".x.h.backup", ".x.h.draft1", ".x.json.ABC123", ".x.md.tmp")
ABANDONED = ".x.h.skillc-tmp-AbC123"


def temp_files(w):
    d = w.mkdir()
    out = os.path.join(d, "out")
    w.earlier(out)
    for n in USER_FILES:
        write(os.path.join(out, n), b"the user's own " + n.encode() + b"\n", 0o600)
    age(out)
    # Fresh: abandoned is proven by the lock, not guessed from an age.
    write(os.path.join(out, ABANDONED), b"half of an output of a killed run\n")
    before = {n: entry(os.path.join(out, n)) for n in USER_FILES}
    what = "a build into OUT holding files named like temporary files"
    r = w.skillc.run(["build", "-o", out, w.b])
    if ended(what, r, 0):
        v = w.version(outputs(out))
        if v != "B":
            fail("%s: the outputs are not the new ones (%s)" % (what, v))
    for n in USER_FILES:
        p = os.path.join(out, n)
        if not os.path.lexists(p):
            fail("%s: the user's file %s was removed" % (what, n))
        else:
            compare(what, {n: before[n]}, {n: entry(p)}, "OUT")
    if os.path.lexists(os.path.join(out, ABANDONED)):
        fail("%s: the abandoned %s is still there" % (what, ABANDONED))
    extra = leftovers(out, keep=USER_FILES + (ABANDONED,))
    if extra:
        fail("%s: OUT also holds %s" % (what, extra))
    temp_name(w)


def temp_name(w):
    """A build stopped in its first write to a file of OUT whose name
    starts with '.x.': the file it writes is named .NAME.skillc-tmp-XXXXXX."""
    d = w.mkdir()
    out = os.path.join(d, "out")
    w.earlier(out)
    what = "a build stopped while it writes"
    env = w.skillc.faulty({"SKILLC_RAISE_ON_WRITE": str(int(signal.SIGSTOP)),
                           "SKILLC_RAISE_ON_WRITE_TO": out + "/.x."})
    p = subprocess.Popen([w.skillc.path, "build", "-o", out, w.b],
                         env=w.skillc.env(env), stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + w.skillc.hang
        while True:
            pid, status = os.waitpid(p.pid, os.WUNTRACED | os.WNOHANG)
            if pid or time.monotonic() > deadline:
                break
            time.sleep(0.01)
        if not pid:
            fail("%s: neither stopped nor ended after %d s" % (what, w.skillc.hang))
            p.kill()
            p.wait()
            return
        if not os.WIFSTOPPED(status):
            p.returncode = os.waitstatus_to_exitcode(status)
            fail("%s: it ended (status %d) without writing to a file named"
                 " .x.* in OUT: it writes no temporary file there" % (what, p.returncode))
            return
        new = leftovers(out)
        pattern = re.compile(r"^\.x(%s)\.skillc-tmp-[A-Za-z0-9]{6}$"
                             % "|".join(re.escape(e) for e in FORMATS))
        if not any(pattern.match(n) for n in new):
            fail("%s: OUT holds %s, no .x.EXT.skillc-tmp-XXXXXX" % (what, new))
        for n in new:
            if not pattern.match(n) and any(n.startswith(".x" + e + ".") for e in FORMATS):
                fail("%s: a temporary file is named %s, not .NAME.skillc-tmp-XXXXXX"
                     % (what, n))
            elif not pattern.match(n):
                print("note: %s: OUT also holds %s" % (what, n))
    finally:
        if p.returncode is None:
            p.send_signal(signal.SIGCONT)
            _, err = p.communicate(timeout=60)
            if p.returncode != 0:
                fail("%s: continued, it exited %d: %r" % (what, p.returncode,
                                                          err.decode(errors="replace")))
    v = w.version(outputs(out))
    if v != "B":
        fail("%s: continued, it left %s" % (what, v))
    extra = leftovers(out)
    if extra:
        fail("%s: continued, it left %s in OUT" % (what, extra))


# ---- 4. all or nothing ----------------------------------------------------------

def nothing_written(w, what, args, paths=(), status=2, prepare=None, cwd=None):
    """In a fresh scratch directory with x.yaml (version B) and OUT holding
    A's outputs, run build with args (@D@ the scratch directory, @OUT@ its
    OUT, @X@ its x.yaml): status, each of paths (a tuple: one of them)
    named on stderr, and nothing under the scratch directory changed."""
    d = w.mkdir()
    out = os.path.join(d, "out")
    src = os.path.join(d, "x.yaml")
    write(src, read(w.b))
    w.earlier(out)
    if prepare:
        prepare(d, out)
    age(d)
    before = state(d)

    def sub(a):
        return a.replace("@D@", d).replace("@OUT@", out).replace("@X@", src)
    r = w.skillc.run(["build", *map(sub, args)], cwd=cwd and sub(cwd))
    if ended(what, r, status):
        for p in paths:
            if isinstance(p, tuple):  # any one of them
                if not any("'%s'" % sub(q) in r.stderr for q in p):
                    fail("%s: stderr names none of %s; it was %r"
                         % (what, ", ".join("'%s'" % sub(q) for q in p), tail(r.stderr)))
            else:
                names(what, r, sub(p))
    compare(what, before, state(d))
    return r


def all_or_nothing(w):
    nothing_written(w, "-MF the input file", ["-o", "@OUT@", "-MF", "@X@", "@X@"],
                    ["@X@"])
    nothing_written(w, "-MF the input file spelled differently",
                    ["-o", "@OUT@", "-MF", "@D@/out/../x.yaml", "@X@"],
                    [("@D@/out/../x.yaml", "@X@")])
    nothing_written(w, "-MF an output", ["-o", "@OUT@", "-MF", "@OUT@/x.h", "@X@"],
                    ["@OUT@/x.h"])
    nothing_written(w, "-MF into a missing directory",
                    ["-o", "@OUT@", "-MF", "@D@/missing/x.d", "@X@"],
                    ["@D@/missing/x.d"])
    nothing_written(w, "-MF a directory", ["-o", "@OUT@", "-MF", "@D@/dep", "@X@"],
                    ["@D@/dep"], prepare=lambda d, out: os.mkdir(os.path.join(d, "dep")))

    def json_dir(d, out):
        os.unlink(os.path.join(out, "x.json"))
        os.mkdir(os.path.join(out, "x.json"))
    nothing_written(w, "OUT/x.json a directory", ["-o", "@OUT@", "@X@"],
                    ["@OUT@/x.json"], prepare=json_dir)

    def h_fifo(d, out):
        os.unlink(os.path.join(out, "x.h"))
        os.mkfifo(os.path.join(out, "x.h"))
    nothing_written(w, "OUT/x.h a FIFO", ["-o", "@OUT@", "@X@"], ["@OUT@/x.h"],
                    prepare=h_fifo)
    # Today's skillc would write -o '' as /NAME.h: a name of our own, to
    # find and remove whatever lands there.
    uniq = "skillc-safety-%d" % os.getpid()
    nothing_written(w, "-o ''", ["-o", "", "--name=" + uniq, "@X@"], cwd="@D@")
    for n in sorted(os.listdir("/")):
        if uniq in n:
            fail("-o '': it wrote /%s" % n)
            os.unlink(os.path.join("/", n))
    nothing_written(w, "--format= (empty)", ["-o", "@OUT@", "--format=", "@X@"])
    nothing_written(w, "-MF ''", ["-o", "@OUT@", "-MF", "", "@X@"], cwd="@D@")
    nothing_written(w, "the same input twice", ["-o", "@OUT@", "@X@", "@X@"], ["@X@"])

    def two_x(d, out):
        for sub, src in (("a", w.a), ("b", w.b)):
            os.mkdir(os.path.join(d, sub))
            write(os.path.join(d, sub, "x.yaml"), read(src))
    nothing_written(w, "two inputs named x.yaml",
                    ["-o", "@OUT@", "@D@/a/x.yaml", "@D@/b/x.yaml"],
                    ["@D@/a/x.yaml", "@D@/b/x.yaml"], prepare=two_x)
    dev_null(w)


def dev_null(w):
    if os.geteuid() != 0:
        print("skip: -MF /dev/null (not root: skillc could not replace it anyway)")
        return
    # First a device of our own: an implementation that replaces it would
    # replace /dev/null too.
    d = w.mkdir()
    null = os.path.join(d, "null")
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        print("skip: -MF /dev/null (mknod is not allowed: no copy to try first)")
        return
    os.chmod(null, 0o666)
    before = entry(null)
    w.skillc.run(["build", "-o", os.path.join(d, "out"), "-MF", null, w.b])
    if entry(null) != before:
        compare("-MF a character device of our own", {"null": before},
                {"null": entry(null)})
        fail("-MF /dev/null: not tried, it would be replaced too")
        return
    extra = [n for n in os.listdir(d) if n not in ("null", "out")]
    if extra:
        fail("-MF a character device of our own: %s appeared beside it" % extra)
    what = "-MF /dev/null"
    before, dev = entry("/dev/null"), set(os.listdir("/dev"))
    out = os.path.join(w.mkdir(), "out")
    try:
        r = w.skillc.run(["build", "-o", out, "-MF", "/dev/null", w.b])
        if ended(what, r, 0):
            v = w.version(outputs(out))
            if v != "B":
                fail("%s: the outputs are not the new ones (%s)" % (what, v))
            if leftovers(out):
                fail("%s: OUT also holds %s" % (what, leftovers(out)))
    finally:
        after = entry("/dev/null")
        if after != before:
            compare(what, {"/dev/null": before}, {"/dev/null": after}, "/dev")
            os.unlink("/dev/null")
            os.mknod("/dev/null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
            os.chmod("/dev/null", 0o666)
            print("note: /dev/null was restored")
        for n in sorted(set(os.listdir("/dev")) - dev):
            if n.startswith(".null."):
                fail("%s: it left /dev/%s" % (what, n))
                os.unlink(os.path.join("/dev", n))


# ---- 5. signals -------------------------------------------------------------------

def killed(w, what, sig, args, d, to):
    """skillc args, with sig raised in its first write to a file whose path
    holds to, dies by sig and changes nothing under d."""
    age(d)
    before = state(d)
    env = w.skillc.faulty({"SKILLC_RAISE_ON_WRITE": str(int(sig)),
                           "SKILLC_RAISE_ON_WRITE_TO": to})
    r = w.skillc.run(args, env=env, valgrind=False, preexec_fn=default_signals(sig))
    if r.hung:
        fail("%s: still running after %d s (killed)" % (what, r.timeout))
    elif r.returncode == 0:
        fail("%s: exit 0: the signal never came, no write to a file %s*"
             % (what, to))
    elif r.returncode != -sig:
        fail("%s: ended with status %d, not by %s (stderr: %r)"
             % (what, r.returncode, sig.name, tail(r.stderr)))
    compare(what, before, state(d))


def signals(w):
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        for ext in (FORMATS[0], FORMATS[-1]):
            d = w.mkdir()
            out = os.path.join(d, "out")
            src = os.path.join(d, "x.yaml")
            write(src, read(w.b))
            w.earlier(out)
            killed(w, "%s in the first write to x%s's temporary file" % (sig.name, ext),
                   sig, ["build", "-o", out, src], d, "%s/.x%s." % (out, ext))
        d = w.mkdir()
        path = w.fix_copy(d)
        killed(w, "%s in the first write of fix's temporary file" % sig.name, sig,
               ["fix", path], d, "%s/.%s." % (d, w.bundled_name))
    file_too_large(w)


def limit_fsize(size):
    def preexec():
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return preexec


def file_too_large(w):
    d = w.mkdir()
    out = os.path.join(d, "out")
    src = os.path.join(d, "x.yaml")
    write(src, read(w.b))
    w.earlier(out)
    before = state(d)
    limit = min(len(v) for v in w.ref_b.values()) // 2
    what = "a build under RLIMIT_FSIZE %d bytes" % limit
    r = w.skillc.run(["build", "-o", out, src], preexec_fn=limit_fsize(limit))
    if ended(what, r, 2):
        if "File too large" not in r.stderr:
            fail("%s: stderr lacks 'File too large': %r" % (what, tail(r.stderr)))
        if not any("'%s/x%s'" % (out, e) in r.stderr for e in FORMATS):
            fail("%s: stderr names no output path in quotes: %r" % (what, tail(r.stderr)))
    compare(what, before, state(d))

    d = w.mkdir()
    path = w.fix_copy(d)
    age(d)
    before = state(d)
    if len(w.fixed) <= len(w.bundled):
        fail("fix does not make the bundled standard grow: RLIMIT_FSIZE proves nothing")
        return
    what = "fix under RLIMIT_FSIZE of the file's size"
    r = w.skillc.run(["fix", path], preexec_fn=limit_fsize(len(w.bundled)))
    if ended(what, r, 2):
        if "File too large" not in r.stderr:
            fail("%s: stderr lacks 'File too large': %r" % (what, tail(r.stderr)))
        names(what, r, path)
    compare(what, before, state(d))


CASES = {
    "fix-keeps-mode": fix_keeps_mode,
    "fix-keeps-owner": fix_keeps_owner,
    "fix-readonly-refused": fix_readonly_refused,
    "fix-not-regular": fix_not_regular,
    "fix-lost-update": fix_lost_update,
    "fix-concurrent": fix_concurrent,
    "build-concurrent": build_concurrent,
    "temp-files": temp_files,
    "all-or-nothing": all_or_nothing,
    "signals": signals,
}


def main():
    if len(sys.argv) != 6 or sys.argv[5] not in CASES:
        sys.exit("usage: safety.py SKILLC FAILWRITE.so FIVE_LEVEL.yaml BUNDLED.yaml CASE\n"
                 "CASE: " + ", ".join(CASES))
    skillc = Skillc(os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]))
    five, bundled = os.path.abspath(sys.argv[3]), os.path.abspath(sys.argv[4])
    case = sys.argv[5]
    os.umask(0o022)  # the modes a file would get anew: 0644, never 0600
    with tempfile.TemporaryDirectory(prefix="skillc-safety-") as tmp:
        os.chmod(tmp, 0o755)
        status = CASES[case](World(skillc, five, bundled, tmp))
        # An unprivileged run may have left files the cleanup cannot remove.
        for dirpath, dirs, _ in os.walk(tmp):
            for d in dirs:
                p = os.path.join(dirpath, d)
                if not os.path.islink(p):
                    os.chmod(p, stat.S_IRWXU)
    if status == SKIP and not faults.failures:
        print("skip:", case)
        sys.exit(SKIP)
    if faults.failures:
        sys.exit(1)
    print("ok:", case)


if __name__ == "__main__":
    main()
