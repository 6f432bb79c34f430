#!/usr/bin/python3
"""--diagnostics-file, and what a SARIF log promises across runs.

usage: check_sarif_file.py SKILLC STANDARD.yaml ERRORS.yaml

STANDARD has warnings (the bundled standard), ERRORS has errors. Checks:

  same         with --diagnostics-file the file holds byte for byte the
               document the same run prints on standard error without it
               (JSON and SARIF), and standard error holds the text, as
               without any option
  written      as an output: in one rename (no temporary file left), not
               touched when it already holds the bytes (its mtime stays);
               written for exit status 0 (check), 1 (check, build with
               errors: the outputs are not written, the findings are), and
               beside build's outputs in -o's directory, which build makes
  refused      exit 2 and nothing written, an earlier file untouched: on a
               usage error found before the run (an unknown check), on an
               input that cannot be read, for a symbolic link, for a
               missing directory, for an input file (fix's too)
  uris         a path with a space, a colon, '%', '#' and a non-ASCII
               character is a valid relative URI reference (to %SRCROOT%)
               or, given absolute, a file: URI, percent-encoded, naming it
  stable       SARIF and JSON are the same bytes whatever the locale and
               zone; the fingerprints of STANDARD's results stay the same
               when lines are added above them (and their lines move)

Prints every difference and exits 1 if there is any. With SKILLC_VALGRIND=1
skillc runs under valgrind memcheck, and any error or leak fails the test.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import skillc_run  # noqa: E402
import diagnostics as D  # noqa: E402

failures = []


def check(ok, msg):
    if not ok:
        failures.append(msg)
    return ok


def read(path):
    with open(path, "rb") as f:
        return f.read()


def run(skillc, args, cwd, env=None):
    if env is None:
        return skillc_run.run(skillc, args, cwd=cwd)
    return subprocess.run([skillc] + args, cwd=cwd, env=env, capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=600)


def fingerprints(log):
    return [(r["ruleId"], r["partialFingerprints"]["skillcLineHash/v1"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in log["runs"][0]["results"]]


def main():
    if len(sys.argv) != 4:
        sys.stderr.write("usage: check_sarif_file.py SKILLC STANDARD.yaml ERRORS.yaml\n")
        return 2
    skillc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="skillc-sarif-file-") as tmp:
        shutil.copy(sys.argv[2], os.path.join(tmp, "std.yaml"))
        shutil.copy(sys.argv[3], os.path.join(tmp, "bad.yaml"))
        d = os.path.join(tmp, "diag")
        os.mkdir(d)

        # same
        text = run(skillc, ["check", "std.yaml"], tmp)
        check(text.returncode == 0 and b"warning:" in text.stderr,
              "the standard has warnings and no errors")
        for fmt, name in (("json", "d.json"), ("sarif", "d.sarif")):
            to_stderr = run(skillc, ["check", "--diagnostics-format=" + fmt, "std.yaml"], tmp)
            to_file = run(skillc, ["check", "--diagnostics-format=" + fmt,
                                   "--diagnostics-file", "diag/" + name, "std.yaml"], tmp)
            check(to_file.returncode == to_stderr.returncode == 0, fmt + ": exit status")
            check(os.path.exists(os.path.join(d, name))
                  and read(os.path.join(d, name)) == to_stderr.stderr,
                  fmt + ": the file differs from the document on standard error")
            check(to_file.stderr == text.stderr,
                  fmt + ": standard error with --diagnostics-file is not the text")
        check(sorted(os.listdir(d)) == ["d.json", "d.sarif"],
              "temporary files left: %s" % sorted(os.listdir(d)))
        sarif = os.path.join(d, "d.sarif")
        log = json.loads(read(sarif))
        errors = D.schema_errors(D.validator(D.SARIF_SCHEMA), log)
        check(not errors, "the SARIF file is not valid: %s" % errors[:3])

        # written: unchanged bytes are not rewritten
        before = os.stat(sarif).st_mtime_ns
        os.utime(sarif, ns=(before - 10**9, before - 10**9))
        again = run(skillc, ["check", "-fdiagnostics-format=sarif",
                             "--diagnostics-file=diag/d.sarif", "std.yaml"], tmp)
        check(again.returncode == 0 and os.stat(sarif).st_mtime_ns == before - 10**9,
              "a file that holds the document already is touched")
        # exit status 1: written, with executionSuccessful and the errors
        r = run(skillc, ["check", "-fdiagnostics-format=sarif",
                         "--diagnostics-file=diag/bad.sarif", "bad.yaml"], tmp)
        bad = json.loads(read(os.path.join(d, "bad.sarif"))) \
            if check(r.returncode == 1 and os.path.exists(os.path.join(d, "bad.sarif")),
                     "check with errors: no SARIF file") else None
        if bad:
            run0 = bad["runs"][0]
            check(run0["invocations"] == [{"executionSuccessful": True, "exitCode": 1}]
                  and any(x["level"] == "error" for x in run0["results"]),
                  "the SARIF of a check with errors: %r" % run0["invocations"])
        # build: the outputs beside it; with errors, only it
        out = os.path.join(tmp, "out")
        r = run(skillc, ["build", "-o", "out", "--diagnostics-format=json",
                         "--diagnostics-file=out/skillc.json", "std.yaml"], tmp)
        check(r.returncode == 0 and sorted(os.listdir(out)) ==
              ["skillc.json", "std.docx", "std.h", "std.json", "std.md"],
              "build with --diagnostics-file in -o: %s" % (os.listdir(out) if os.path.isdir(out) else None))
        shutil.rmtree(out)
        r = run(skillc, ["build", "-o", "out", "--diagnostics-format=json",
                         "--diagnostics-file=out/skillc.json", "bad.yaml"], tmp)
        check(r.returncode == 1 and os.listdir(out) == ["skillc.json"]
              and json.loads(read(os.path.join(out, "skillc.json"))),
              "build with errors: the findings and nothing else: %s"
              % (os.listdir(out) if os.path.isdir(out) else None))

        # refused
        keep = read(sarif)
        for why, args in [
                ("an unknown check", ["check", "-Wno-no-such-check", "std.yaml"]),
                ("an unreadable input", ["check", "std.yaml", "missing.yaml"]),
                ("a fix that cannot read", ["fix", "missing.yaml"])]:
            r = run(skillc, args[:1] + ["-fdiagnostics-format=sarif",
                                        "--diagnostics-file=diag/d.sarif"] + args[1:], tmp)
            check(r.returncode == 2 and read(sarif) == keep and
                  sorted(os.listdir(d)) == ["bad.sarif", "d.json", "d.sarif"],
                  "%s: exit %d, or the file was written" % (why, r.returncode))
        os.symlink("d.json", os.path.join(d, "link.sarif"))
        for why, path, args in [
                ("a symbolic link", "diag/link.sarif", ["check", "std.yaml"]),
                ("a missing directory", "nowhere/d.sarif", ["check", "std.yaml"]),
                ("the input", "./std.yaml", ["check", "std.yaml"]),
                ("the input, spelled otherwise", "diag/../std.yaml", ["check", "std.yaml"]),
                ("the file fix rewrites", "std.yaml", ["fix", "std.yaml"])]:
            was = read(os.path.join(tmp, "std.yaml"))
            r = run(skillc, args[:1] + ["-fdiagnostics-format=sarif",
                                        "--diagnostics-file=" + path] + args[1:], tmp)
            check(r.returncode == 2 and r.stderr.startswith(b"skillc: error: ")
                  and b"warning:" not in r.stderr and not r.stdout
                  and read(os.path.join(tmp, "std.yaml")) == was
                  and os.readlink(os.path.join(d, "link.sarif")) == "d.json",
                  "%s: exit %d, %r" % (why, r.returncode, r.stderr[:200]))

        # uris: a name with a space, a colon, '%', '#' and a non-ASCII
        # character, relative and absolute, percent-encoded and valid
        odd_dir = os.path.join(tmp, "sub dir")
        os.mkdir(odd_dir)
        odd = os.path.join(odd_dir, "a:b 100%#é.yaml")
        shutil.copy(os.path.join(tmp, "bad.yaml"), odd)
        v = D.validator(D.SARIF_SCHEMA)
        for path, relative in (("sub dir/a:b 100%#é.yaml", True), (odd, False)):
            r = run(skillc, ["check", "-fdiagnostics-format=sarif", path], tmp)
            log = json.loads(r.stderr)
            errors = D.schema_errors(v, log)
            arts = [loc["physicalLocation"]["artifactLocation"]
                    for res in log["runs"][0]["results"]
                    for loc in res.get("locations", []) + res.get("relatedLocations", [])]
            want = ({"uri": "sub%20dir/a%3Ab%20100%25%23%C3%A9.yaml", "uriBaseId": "%SRCROOT%"}
                    if relative else {"uri": "file://" + urllib.parse.quote(odd, safe="/-._~")})
            check(r.returncode == 1 and not errors and arts and
                  all(a == want and D.uri_path(a) == path for a in arts),
                  "the URI of %r: %r %s" % (path, arts[:1], errors[:2]))

        # stable: locale and zone
        base = run(skillc, ["check", "-fdiagnostics-format=sarif", "std.yaml"], tmp)
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="zh_CN.UTF-8", TZ="Asia/Shanghai")
        env.pop("SKILLC_VALGRIND", None)
        other = run(skillc, ["check", "-fdiagnostics-format=sarif", "std.yaml"], tmp, env)
        check(base.stderr == other.stderr, "SARIF differs with the locale or zone")
        # stable: lines added above every finding
        with open(os.path.join(tmp, "std.yaml"), "rb") as f:
            data = f.read()
        with open(os.path.join(tmp, "moved.yaml"), "wb") as f:
            f.write(b"# a comment\n#\n# another, before everything\n" + data)
        moved = run(skillc, ["check", "-fdiagnostics-format=sarif", "moved.yaml"], tmp)
        a = fingerprints(json.loads(base.stderr))
        b = fingerprints(json.loads(moved.stderr))
        check(len(a) > 20 and [(r, f) for r, f, _ in a] == [(r, f) for r, f, _ in b]
              and all(lb == la + 3 for (_, _, la), (_, _, lb) in zip(a, b)),
              "fingerprints move with the lines: %r / %r" % (a[:2], b[:2]))
    for f in failures:
        print("FAIL: " + f)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
