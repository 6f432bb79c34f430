#!/usr/bin/python3
"""What 'meson install' puts where, and the manual page it installs.

usage: install.py BUILD_ROOT SOURCE_ROOT

Installs BUILD_ROOT with --destdir into a scratch directory and checks:
  - the binary (it runs), the manual page in man1, the schemas, profiles
    and built-in text rules in share/skillc/schema, the CMake package in
    share/skillc/cmake, README.md, LICENSE and every docs/*.md in
    share/doc/skillc;
  - man and groff render the page without a warning;
  - the page says what 'skillc --help' says: its SYNOPSIS is the usage
    lines, its DESCRIPTION opens with the help's paragraph, and its
    OPTIONS section is, word for word, the help's tables of options (as
    man renders it, without hyphenation or justification);
  - every spelling of main.c's option table is in the help (its usage
    lines or its tables).
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def run(cmd, env=None):
    r = subprocess.run(cmd, capture_output=True, env=env, stdin=subprocess.DEVNULL,
                       timeout=300)
    if r.returncode:
        fail("%s failed (%d): %s" % (" ".join(cmd), r.returncode,
                                     (r.stdout + r.stderr).decode(errors="replace")))
    return r.stdout.decode("utf-8"), r.stderr.decode("utf-8")


def words(text):
    return " ".join(text.split())


def help_parts(text):
    """The usage lines, the opening prose, and the rest (the tables)."""
    lines = text.split("\n")
    usage = []
    while lines and (lines[0].startswith("usage: ") or
                     (usage and lines[0].startswith(" "))):
        usage.append(lines.pop(0).replace("usage: ", "", 1).strip())
    prose = []
    while lines and not re.fullmatch(r"\S.*:", lines[0]):
        prose.append(lines.pop(0))
    tables = []
    for line in lines:
        if re.fullmatch(r"\S.*:", line):
            line = line[0].upper() + line[1:-1]
        tables.append(line)
    return usage, words("\n".join(prose)), words("\n".join(tables))


def sections(page):
    """The rendered page's sections by heading (lines at column 0)."""
    found, name = {}, None
    for line in page.split("\n"):
        if re.fullmatch(r"[A-Z][A-Z ]+", line):
            name = line
            found[name] = []
        elif name:
            found[name].append(line)
    return found


def main():
    build_root, source_root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="skillc-install-") as dest:
        run(["meson", "install", "-C", build_root, "--destdir", dest,
             "--no-rebuild", "--quiet"])
        options = json.loads(run(["meson", "introspect", "--buildoptions", build_root])[0])
        opt = {o["name"]: o["value"] for o in options}
        prefix = dest + opt["prefix"]
        share = os.path.join(prefix, opt["datadir"])
        want = [os.path.join(prefix, opt["bindir"], "skillc"),
                os.path.join(prefix, opt["mandir"], "man1", "skillc.1"),
                os.path.join(share, "skillc", "schema", "text-rules.yaml"),
                os.path.join(share, "skillc", "cmake", "skillcConfig.cmake"),
                os.path.join(share, "skillc", "cmake", "skillcConfigVersion.cmake"),
                os.path.join(share, "skillc", "cmake", "skillc.cmake"),
                os.path.join(share, "doc", "skillc", "README.md"),
                os.path.join(share, "doc", "skillc", "LICENSE")]
        for lang in open(os.path.join(source_root, "po", "LINGUAS")).read().split():
            want.append(os.path.join(prefix, opt["localedir"], lang, "LC_MESSAGES",
                                     "skillc.mo"))
        for pattern, to in (("schema/*.json", "skillc/schema"),
                            ("schema/profiles/*.yaml", "skillc/schema/profiles"),
                            ("docs/*.md", "doc/skillc"),
                            ("docs/zh/*.md", "doc/skillc/zh")):
            found = sorted(glob.glob(os.path.join(source_root, pattern)))
            if not found:
                fail("the source has no %s" % pattern)
            want += [os.path.join(share, to, os.path.basename(f)) for f in found]
        for path in want:
            if not os.path.isfile(path):
                fail("meson install did not install %s" % os.path.relpath(path, dest))
        skillc = want[0]
        if not os.access(skillc, os.X_OK):
            fail("the installed skillc is not executable")
        env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="2000")
        env.pop("MANPAGER", None)
        env.pop("PAGER", None)
        version, _ = run([skillc, "--version"], env)

        # The installed binary finds its catalogue beside it, wherever the
        # tree is (here under DESTDIR): it speaks Chinese, and English in C.
        for lang, word in (("zh_CN.UTF-8", "\u9519\u8bef"), ("C", "error")):
            zh_env = {k: v for k, v in env.items()
                      if k not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")}
            r = subprocess.run([skillc, "--no-such-option"], capture_output=True,
                               env=dict(zh_env, LANG=lang), stdin=subprocess.DEVNULL)
            said = r.stderr.decode("utf-8")
            if r.returncode != 2 or not said.startswith("skillc: %s: " % word):
                fail("the installed skillc under LANG=%s said: %s" % (lang, said))
        page_path = want[1]

        # man and groff have nothing to say about the page.
        _, warnings = run(["man", "--warnings", "-l", "-Tutf8", page_path], env)
        _, more = run(["groff", "-man", "-ww", "-z", page_path], env)
        if warnings or more:
            fail("the page has warnings:\n%s%s" % (warnings, more))
        page, _ = run(["man", "--nh", "--nj", "-l", page_path], env)
        if not page.strip():
            fail("man renders nothing")
        got = sections(page)
        for name in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS",
                     "FILES", "SEE ALSO"):
            if name not in got:
                fail("the page has no %s section: %s" % (name, sorted(got)))

        # It says what --help says.
        help_text, _ = run([skillc, "--help"], dict(env, LC_ALL="C"))
        usage, prose, tables = help_parts(help_text)
        synopsis = [line.strip() for line in got["SYNOPSIS"] if line.strip()]
        if synopsis != usage:
            fail("SYNOPSIS %s differs from the usage lines %s" % (synopsis, usage))
        description = words("\n".join(got["DESCRIPTION"]))
        if not description.startswith(prose):
            fail("DESCRIPTION does not open with the help's paragraph:\n%s\n%s"
                 % (description, prose))
        rendered = words("\n".join(got["OPTIONS"]))
        if rendered != tables:
            a, b = rendered.split(" "), tables.split(" ")
            n = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]),
                     min(len(a), len(b)))
            fail("OPTIONS differs from --help at word %d:\n  page: %s\n  help: %s"
                 % (n, " ".join(a[n:n + 12]), " ".join(b[n:n + 12])))
        if version.split()[-1] not in page.split("\n")[0] + page.split("\n")[-2]:
            fail("the page does not carry the version %s" % version.strip())

        # The help lists every option of the table.
        with open(os.path.join(source_root, "compiler", "main.c"), encoding="utf-8") as f:
            main_c = f.read()
        table = main_c[main_c.index("options[] = {"):]
        table = table[:table.index("\n};")]
        for spelling in re.findall(r'\{ "(-[^"]*)"', table):
            if not re.search(r"(^|[\s,\[])" + re.escape(spelling), help_text):
                fail("the option %s is not in 'skillc --help'" % spelling)
    print("ok: installed; the manual page is --help's")


if __name__ == "__main__":
    main()
