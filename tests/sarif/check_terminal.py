#!/usr/bin/python3
"""What skillc prints on a terminal: colour and the summary line.

usage: check_terminal.py SKILLC WARNINGS.yaml ERRORS.yaml CLEAN.yaml ONE.yaml

ONE has one warning, ERRORS one error.
Runs skillc with standard error on a pseudo-terminal (python's pty) and
checks, for -fdiagnostics-color=auto (the default):

  colour     GCC's colours (bold locus, bold red 'error:', bold magenta
             'warning:', bold cyan 'note:', the rule in brackets in the
             colour of its severity) when TERM is set and not 'dumb' and
             NO_COLOR is unset or empty; none with NO_COLOR=1, TERM=dumb,
             TERM unset or -fdiagnostics-color=never; always with
             -fdiagnostics-color=always, NO_COLOR or not; without the
             escapes the text is what a pipe gets
  summary    the last line is "N errors and M warnings generated." with
             the counts of the text (singular for 1, a part left out when
             it is 0), and there is none for a clean run; none when
             standard error is not a terminal (the cases' golden files),
             none with --diagnostics-format=json or sarif on the terminal,
             which get the document alone; with --diagnostics-file the
             terminal keeps the text and the summary

Exits 1 on any difference. With SKILLC_VALGRIND=1 skillc runs under
valgrind memcheck, and any error or leak fails the test.
"""
import json
import os
import pty
import re
import select
import subprocess
import sys
import tempfile

failures = []
SGR = re.compile(rb"\x1b\[[0-9;]*m\x1b\[K")


def check(ok, msg):
    if not ok:
        failures.append(msg)


def on_terminal(skillc, args, env_changes, cwd):
    """skillc's standard error through a pty, \\r\\n made \\n, and its
    standard output and exit status."""
    env = dict(os.environ, LC_ALL="C", TZ="UTC", TERM="xterm")
    env.pop("NO_COLOR", None)
    for k, v in env_changes.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    wrapper, vglog = [], None
    if os.environ.get("SKILLC_VALGRIND") == "1":
        fd, vglog = tempfile.mkstemp(prefix="skillc-vg-")
        os.close(fd)
        wrapper = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
                   "--show-leak-kinds=all", "--errors-for-leak-kinds=all",
                   "--log-file=" + vglog]
    master, slave = pty.openpty()
    p = subprocess.Popen(wrapper + [skillc] + args, cwd=cwd, env=env,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=slave)
    os.close(slave)
    err = b""
    while True:
        ready, _, _ = select.select([master], [], [], 600)
        if not ready:
            p.kill()
            raise SystemExit("FAIL: skillc did not finish")
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            chunk = b""
        if not chunk:
            break
        err += chunk
    out = p.stdout.read()
    p.wait()
    os.close(master)
    if vglog:
        with open(vglog, "rb") as f:
            log = f.read()
        os.unlink(vglog)
        if log.strip():
            sys.stderr.write(log.decode(errors="replace"))
            raise SystemExit("FAIL: valgrind reported errors running skillc")
    return err.replace(b"\r\n", b"\n"), out, p.returncode


def piped(skillc, args, cwd):
    env = dict(os.environ, LC_ALL="C", TZ="UTC", TERM="xterm")
    env.pop("NO_COLOR", None)
    return subprocess.run([skillc] + args, cwd=cwd, env=env, capture_output=True,
                          stdin=subprocess.DEVNULL).stderr


def summary(text):
    e = len(re.findall(rb"^\S.*?: error: .* \[\S+ \S+\]$", text, re.M))
    w = len(re.findall(rb"^\S.*?: warning: .* \[\S+ \S+\]$", text, re.M))
    parts = [("%d error%s" % (e, "" if e == 1 else "s")) if e else None,
             ("%d warning%s" % (w, "" if w == 1 else "s")) if w else None]
    parts = [p for p in parts if p]
    return (" and ".join(parts) + " generated.\n").encode() if parts else b""


def coloured_as_gcc(err):
    """Every diagnostic line coloured as GCC colours its parts."""
    ok = True
    for line in err.split(b"\n"):
        if not line or line.startswith(b" ") or line.endswith(b"generated."):
            continue
        m = re.match(rb"^\x1b\[01m\x1b\[K(.*?:)\x1b\[m\x1b\[K "
                     rb"(\x1b\[01;31m\x1b\[Kerror:|\x1b\[01;35m\x1b\[Kwarning:|"
                     rb"\x1b\[01;36m\x1b\[Knote:)\x1b\[m\x1b\[K (.*)$", line)
        if not m:
            return False
        if not m[2].endswith(b"note:"):
            sgr = m[2][:m[2].index(b"K") + 1]
            ok = ok and re.search(re.escape(b"[" + sgr) + rb"\S+ \S+\x1b\[m\x1b\[K\]$",
                                  m[3]) is not None
    return ok


def main():
    if len(sys.argv) != 6:
        sys.stderr.write("usage: check_terminal.py SKILLC WARNINGS.yaml ERRORS.yaml CLEAN.yaml "
                         "ONE.yaml\n")
        return 2
    skillc = os.path.abspath(sys.argv[1])
    warnings, errors, clean, one = (os.path.abspath(p) for p in sys.argv[2:6])
    with tempfile.TemporaryDirectory(prefix="skillc-tty-") as tmp:
        said = set()
        for files in ([warnings], [errors], [errors, warnings], [one], [errors, one]):
            plain = piped(skillc, ["check"] + files, tmp)
            check(not SGR.search(plain) and b"generated." not in plain,
                  "a pipe gets colour or a summary")
            err, _, status = on_terminal(skillc, ["check", "--caret=never"] + files, {}, tmp)
            want = summary(plain)
            said.add(want)
            check(want and err.endswith(b"\n" + want) and err.count(b"generated.") == 1,
                  "%s: the summary is not %r: %r" % (files, want, err[-120:]))
            check(coloured_as_gcc(err), "%s: not in GCC's colours: %r" % (files, err[:300]))
            check(SGR.sub(b"", err) == plain + want,
                  "%s: without its colours the terminal's text is not the pipe's" % files)
        check({b"1 error generated.\n", b"1 warning generated.\n",
               b"1 error and 1 warning generated.\n"} <= said and len(said) == 5,
              "the files do not give a summary of each form: %r" % said)
        # when colour is off, and when it is on
        plain = piped(skillc, ["check", errors], tmp)
        want = plain + summary(plain)
        for why, env, args in [
                ("NO_COLOR=1", {"NO_COLOR": "1"}, []),
                ("TERM=dumb", {"TERM": "dumb"}, []),
                ("TERM unset", {"TERM": None}, []),
                ("-fdiagnostics-color=never", {}, ["-fdiagnostics-color=never"]),
                ("-fno-diagnostics-color", {}, ["-fno-diagnostics-color"])]:
            err, _, _ = on_terminal(skillc, ["check", "--caret=never"] + args + [errors], env, tmp)
            check(err == want, "%s: colour, or not the text and summary: %r" % (why, err[:200]))
        for why, env, args in [
                ("NO_COLOR empty", {"NO_COLOR": ""}, []),
                ("-fdiagnostics-color=always with NO_COLOR", {"NO_COLOR": "1"},
                 ["-fdiagnostics-color=always"]),
                ("-fdiagnostics-color with TERM=dumb", {"TERM": "dumb"}, ["-fdiagnostics-color"])]:
            err, _, _ = on_terminal(skillc, ["check", "--caret=never"] + args + [errors], env, tmp)
            check(coloured_as_gcc(err) and SGR.search(err) and SGR.sub(b"", err) == want,
                  "%s: not in colour: %r" % (why, err[:200]))
        # a clean run: nothing at all
        err, _, status = on_terminal(skillc, ["check", clean], {}, tmp)
        check(status == 0 and err == b"", "a clean run prints %r" % err)
        # the documents: alone, without colour or summary
        for fmt, opener in (("json", b"["), ("sarif", b"{")):
            err, _, status = on_terminal(skillc, ["check", "--diagnostics-format=" + fmt,
                                                  errors, warnings], {}, tmp)
            check(status == 1 and err.startswith(opener) and not SGR.search(err)
                  and b"generated." not in err and json.loads(err),
                  "%s on a terminal: %r" % (fmt, err[:100]))
        err, _, status = on_terminal(skillc, ["check", "--caret=never", "--diagnostics-format=sarif",
                                              "--diagnostics-file=d.sarif", errors], {}, tmp)
        check(status == 1 and SGR.sub(b"", err) == want and coloured_as_gcc(err)
              and os.path.exists(os.path.join(tmp, "d.sarif")),
              "with --diagnostics-file the terminal does not get the text and summary: %r"
              % err[:200])
    for f in failures:
        print("FAIL: " + f)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
