#!/usr/bin/python3
"""Run one data-driven case of skillc and compare what it did, byte for byte.

usage: run_case.py SKILLC CASEDIR
       run_case.py --unlisted SKILLC CASES KNOWN...
       run_case.py --list CASES

The second form runs every case under CASES (a directory of cases, or of
groups of them like hostile/) that is not among KNOWN, the cases meson
listed when it was configured: a case added since is run without
reconfiguring, and this test names it; 'meson setup --reconfigure' gives
it a test of its own.

A case is a directory holding:
  cmd              skillc's arguments, shell-quoted, run in CASEDIR
                   (default: check input.yaml); @OUT@ stands for an output
                   directory outside the tree that already holds earlier
                   outputs (NAME.h, .json, .md for each NAME.yaml the
                   arguments name): when skillc fails they must be left
                   byte-identical and untouched, with nothing added;
                   @TMP@ for a scratch directory
  generate.py      optional: run as 'generate.py TMP' first, to make inputs
                   too large to commit (in @TMP@)
  input.yaml       usually the input the arguments name
  stdin            optional: fed to skillc's standard input (absent: none)
  expected.stderr  what skillc must print on stderr
  expected.stdout  what it must print on stdout (absent: nothing)
  expected.status  its exit status
  expected.files   the files skillc left in @OUT@, one per line (absent:
                   none at all)
  expected.zh_CN.stderr, expected.zh_CN.stdout
                   what it prints when run again with LANG=zh_CN.UTF-8:
                   the stderr file is there whenever expected.stderr is not
                   empty, the stdout file when the Chinese stdout differs;
                   the status and the files must be the same as in C.
                   Every diagnostic of a rule of checks.def and every
                   "skillc: 错误:" line must then be in Chinese (a Han
                   character in its message) and no severity word may be
                   left in English: a message not marked for translation
                   fails here, one the catalogue lacks fails po/check_po.py.
With SKILLC_REGENERATE=1 the expected files are rewritten from the run
instead; review the diff like code. With SKILLC_VALGRIND=1 skillc runs
under valgrind memcheck and any error or leak fails the case.
"""
import os
import re
import shlex
import subprocess
import tempfile
import sys

import skillc_run


def read(path, default=None):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return default


def listing(top):
    files = []
    for dirpath, _, names in os.walk(top):
        files += [os.path.relpath(os.path.join(dirpath, n), top) for n in names]
    return "".join(f + "\n" for f in sorted(files)).encode()


EXTENSIONS = skillc_run.EXTENSIONS


def earlier_outputs(args, out):
    """Fill out with earlier outputs of every input the arguments name."""
    os.makedirs(out)
    made = {}
    for a in args:
        if a.endswith(".yaml"):
            base = os.path.basename(a)[:-len(".yaml")]
            for ext in EXTENSIONS:
                path = os.path.join(out, base + ext)
                with open(path, "wb") as f:
                    f.write(b"earlier output of " + base.encode() + ext.encode() + b"\n")
                made[path] = (open(path, "rb").read(), os.stat(path).st_mtime_ns)
    return made


def untouched(made, out):
    """Why the earlier outputs are not as they were, or None."""
    for path, (data, mtime) in made.items():
        if not os.path.exists(path) or open(path, "rb").read() != data:
            return "%s was changed by a failing run" % os.path.basename(path)
        if os.stat(path).st_mtime_ns != mtime:
            return "%s was touched by a failing run" % os.path.basename(path)
    extra = set(os.path.join(out, n) for n in os.listdir(out)) - set(made)
    if extra:
        return "a failing run left %s" % sorted(os.path.basename(e) for e in extra)
    return None


def find_cases(top):
    """Every case under top, as meson lists them: 'name' or 'group/name'."""
    def is_case(d):
        return any(os.path.exists(os.path.join(d, f))
                   for f in ("cmd", "input.yaml", "expected.status"))
    found = []
    for c in sorted(os.listdir(top)):
        d = os.path.join(top, c)
        if not os.path.isdir(d):
            continue
        if is_case(d):
            found.append(c)
        else:
            found += [c + "/" + g for g in sorted(os.listdir(d))
                      if os.path.isdir(os.path.join(d, g))]
    return found


def unlisted(skillc, top, known):
    new = [c for c in find_cases(top) if c not in set(known)]
    failed = 0
    for c in new:
        print("running %s, added since meson was configured" % c)
        sys.argv[1:] = [skillc, os.path.join(top, c)]
        failed += main() != 0
    print("%d unlisted case%s, %d failed" % (len(new), "" if len(new) == 1 else "s", failed))
    return 1 if failed else 0


ZH = "zh_CN.UTF-8"

CHECKS_DEF = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "compiler", "checks.def")
with open(CHECKS_DEF) as f:
    # The rules skillc words itself; SK0650-SK0699 are the built-in
    # profiles' text rules, whose messages are data.
    OWN_RULES = set(i for i in re.findall(r"^(?:INPUT|CHECK)\((SK\d{4}),", f.read(), re.M)
                    if not "SK0650" <= i <= "SK0699")

DIAGNOSTIC = re.compile(r"^(?:.*?:\d+:\d+: |skillc: )(\S+?): (.*?)(?: \[(\w+) [^\]]*\])?$")
HAN = re.compile(r"[\u3400-\u9fff]")


# What a message quotes is the user's, not skillc's words.
QUOTED = re.compile(r"'[^']*'|“[^”]*”|‘[^’]*’")


def untranslated(stderr):
    """The lines of a Chinese run's stderr that are not in Chinese: every
    message skillc words itself (its own and the shipped rules', SKxxxx;
    notes; 'skillc:' lines) must hold a Chinese character outside what it
    quotes, and no severity word may be English. A committee's rule (an
    ID of its own) may be worded in any language."""
    bad = []
    for line in stderr.decode(errors="replace").splitlines():
        m = DIAGNOSTIC.match(line)
        if not m:
            continue
        word, message, rule = m.groups()
        own = not rule and (word == "附注" or line.startswith("skillc: "))
        if word in ("error", "warning", "note"):
            bad.append(line)
        elif (own or (rule or "").startswith("SK")) \
                and not HAN.search(QUOTED.sub("", message)):
            bad.append(line)
    return bad


def human_stdout(args):
    """Whether the command prints text for people on stdout (help, the
    rules, explain, fix's report, diff's changes), which may change with
    the language; anything else on stdout (init -, fix --diff) must not."""
    return bool({"--help", "-h", "--list-checks", "explain"} & set(args)) or (
        args[:1] == ["fix"] and not {"--dry-run", "--diff"} & set(args)) or (
        args[:1] == ["diff"])


def run_once(skillc, case, lang):
    """What skillc did in case: stderr, stdout, status, files; or None."""
    args = shlex.split((read(os.path.join(case, "cmd"), b"check input.yaml")).decode())
    with tempfile.TemporaryDirectory(prefix="skillc-case-") as tmp:
        out, scratch = os.path.join(tmp, "out"), os.path.join(tmp, "tmp")
        os.makedirs(scratch)
        if os.path.exists(os.path.join(case, "generate.py")):
            subprocess.run([sys.executable, "generate.py", scratch], cwd=case, check=True)
        args = [a.replace("@OUT@", out).replace("@TMP@", scratch) for a in args]
        made = earlier_outputs(args, out) if any(a.startswith(out) for a in args) else {}
        run = skillc_run.run(skillc, args, cwd=case,
                             stdin=read(os.path.join(case, "stdin")), lang=lang)
        if made and run.returncode != 0:
            why = untouched(made, out)
            if why:
                print("%s: %s%s" % (case, why, " (%s)" % lang if lang else ""))
                return None
        files = listing(out) if os.path.isdir(out) else b""

        def clean(data):
            return data.replace(out.encode(), b"@OUT@").replace(scratch.encode(), b"@TMP@")
        # What the run wrote, but the documents of its diagnostics and a
        # baseline it updated, whose messages are in the run's language.
        human = set()
        for i, a in enumerate(args):
            for opt in ("--diagnostics-file", "--baseline"):
                v = a[len(opt) + 1:] if a.startswith(opt + "=") else \
                    args[i + 1] if a == opt and i + 1 < len(args) else None
                if v and v.startswith(out):
                    human.add(os.path.relpath(v, out))
        contents = {}
        for name in files.decode().splitlines():
            if name not in human:
                with open(os.path.join(out, name), "rb") as f:
                    contents[name] = clean(f.read())
    return {"stderr": clean(run.stderr), "stdout": clean(run.stdout),
            "status": b"%d\n" % run.returncode, "files": files}, contents


def compare(case, got, expected, label):
    failed = False
    for name, data in got.items():
        want = expected[name]
        if want is None:
            print(f"{case}: {label}{name} is missing (run with SKILLC_REGENERATE=1)")
            failed = True
        elif want != data:
            print(f"{case}: {label}{name} differs\n--- expected\n{want.decode(errors='replace')}"
                  f"--- got\n{data.decode(errors='replace')}")
            failed = True
    return failed


def main():
    skillc, case = os.path.abspath(sys.argv[1]), sys.argv[2]
    valgrind = os.environ.get("SKILLC_VALGRIND") == "1"
    got, contents = run_once(skillc, case, None) or (None, None)
    # Under valgrind the Chinese run is left out, to keep the time: the
    # sanitizers' run of the cases covers it.
    zh, zh_contents = (None, None) if valgrind else \
        (run_once(skillc, case, ZH) or (None, None))
    if got is None or (zh is None and not valgrind):
        return 1
    args = shlex.split((read(os.path.join(case, "cmd"), b"check input.yaml")).decode())

    def path(name):
        return os.path.join(case, "expected." + name)
    if os.environ.get("SKILLC_REGENERATE") == "1" and zh is not None:
        for name, data in got.items():
            if name in ("stdout", "files") and not data:
                if os.path.exists(path(name)):
                    os.unlink(path(name))
                continue
            with open(path(name), "wb") as f:
                f.write(data)
        for name, keep in (("stderr", bool(got["stderr"])),
                           ("stdout", zh["stdout"] != got["stdout"])):
            if keep:
                with open(path("zh_CN." + name), "wb") as f:
                    f.write(zh[name])
            elif os.path.exists(path("zh_CN." + name)):
                os.unlink(path("zh_CN." + name))
        return 0
    expected = {name: read(path(name), b"" if name in ("stdout", "files") else None)
                for name in got}
    failed = compare(case, got, expected, "expected.")
    if zh is None:
        return 1 if failed else 0
    zh_expected = dict(expected)
    zh_expected["stderr"] = read(path("zh_CN.stderr"),
                                 None if expected["stderr"] else b"")
    zh_expected["stdout"] = read(path("zh_CN.stdout"), expected["stdout"])
    failed |= compare(case, zh, zh_expected, "(LANG=%s) expected." % ZH)
    bad = untranslated(zh["stderr"])
    if bad:
        print(f"{case}: left in English under LANG={ZH}:\n" + "\n".join(bad))
        failed = True
    if zh["stdout"] != got["stdout"] and not human_stdout(args):
        print(f"{case}: stdout changes with the locale (LANG={ZH}), and it is no text for people")
        failed = True
    for name in sorted(set(contents) | set(zh_contents)):
        if contents.get(name) != zh_contents.get(name):
            print(f"{case}: output {name} differs under LANG={ZH}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1] == "--list":
        print("\n".join(find_cases(sys.argv[2])))
        sys.exit(0)
    if sys.argv[1] == "--unlisted":
        sys.exit(unlisted(sys.argv[2], sys.argv[3], sys.argv[4:]))
    sys.exit(main())
