#!/usr/bin/python3
"""Build a program that uses skillc the way docs/integration.md says, then
change its inputs and see exactly the rebuilds expected.

usage: consumers.py KIND BUILD_ROOT SOURCE_ROOT

KIND is one of
  meson        a meson project with skillc as its subproject (a copy of
               SOURCE_ROOT's meson.build, compiler/ and schema/):
               find_program('skillc') finds it, the parent's flags are its
               own, and skillc builds only the compiler, installs nothing
               and prints nothing
  cmake-ninja  a CMake project using find_package(skillc) and
  cmake-make   skillc_add_standard() from skillc installed (meson install
               --destdir) out of BUILD_ROOT, with Ninja, with Unix Makefiles
  make         a Makefile with the stamp pattern, using BUILD_ROOT's skillc
               (under valgrind with SKILLC_VALGRIND=1)

The project's build file is the one docs/integration.md shows (the fenced
block after '<!-- tests/integration: NAME -->'); app.c includes the
header of standard.yaml (tests/data/five-level.yaml), committee.yaml is a
rules file. Each step changes something, builds, and checks whether
skillc ran (a verbose build prints its command line) and whether app.c was
compiled (its object's time), against the table at the end of the page.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

COMMITTEE = b"skillc_rules: 1\nterms: [KOL]\n"
# A committee's rule the standard breaks: it fails the build.
STRICTER = COMMITTEE + b"""rules:
  - id: CM0001
    name: committee-engine-word
    severity: error
    summary: the committee names the kind of truck
    fields: [skills]
    pattern: '\xe5\x86\x85\xe7\x87\x83\xe5\x8f\x89\xe8\xbd\xa6'
    message: "{match}: the committee writes the truck's full name"
"""


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def recipe(source_root, name):
    """The build file docs/integration.md shows under the marker."""
    with open(os.path.join(source_root, "docs", "integration.md"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"<!-- tests/integration: %s -->\n```\w+\n(.*?)```" % re.escape(name),
                  text, re.S)
    if not m:
        fail("docs/integration.md has no block for %s" % name)
    return m.group(1)


def run(cmd, cwd, env=None, check=True):
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True,
                       stdin=subprocess.DEVNULL, timeout=600)
    out = (r.stdout + r.stderr).decode(errors="replace")
    if check and r.returncode:
        fail("%s failed (%d):\n%s" % (" ".join(cmd), r.returncode, out))
    return r.returncode, out


class Project:
    def __init__(self, kind, tmp, build_root, source_root):
        self.kind, self.tmp = kind, tmp
        self.src = os.path.join(tmp, "app")
        os.makedirs(self.src)
        shutil.copy(os.path.join(HERE, "app.c"), self.src)
        shutil.copy(os.path.join(source_root, "tests", "data", "five-level.yaml"),
                    os.path.join(self.src, "standard.yaml"))
        self.write("committee.yaml", COMMITTEE)
        self.env = dict(os.environ, LC_ALL="C")
        self.env.pop("MAKEFLAGS", None)
        self.env.pop("MFLAGS", None)
        if kind == "meson":
            self.write("meson.build", recipe(source_root, "meson.build").encode())
            # A copy of what a subproject needs (and of nothing else: the
            # tests, standards and documents stay out), safe from edits
            # to the tree while the test runs.
            sub = os.path.join(self.src, "subprojects", "skillc")
            for name in ("meson.build", "meson_options.txt", "LICENSE"):
                os.makedirs(sub, exist_ok=True)
                shutil.copy(os.path.join(source_root, name), sub)
            for name in ("compiler", "schema"):
                shutil.copytree(os.path.join(source_root, name), os.path.join(sub, name),
                                ignore=shutil.ignore_patterns("__pycache__"))
            self.build_dir = os.path.join(self.src, "build")
            # plain: no optimisation, so that skillc compiles in seconds
            run(["meson", "setup", "--buildtype=plain", self.build_dir],
                self.src, self.env)
            self.header = os.path.join(self.build_dir, "standard.h")
            self.obj = os.path.join(self.build_dir, "app.p", "app.c.o")
            self.cmd = ["ninja", "-v", "-C", self.build_dir]
        elif kind.startswith("cmake"):
            prefix = install(build_root, os.path.join(tmp, "dest"))
            self.write("CMakeLists.txt", recipe(source_root, "CMakeLists.txt").encode())
            self.build_dir = os.path.join(self.src, "build")
            gen = "Ninja" if kind == "cmake-ninja" else "Unix Makefiles"
            run(["cmake", "-S", self.src, "-B", self.build_dir, "-G", gen,
                 "-DCMAKE_PREFIX_PATH=" + prefix], self.src, self.env)
            self.header = os.path.join(self.build_dir, "standard", "standard.h")
            self.obj = os.path.join(self.build_dir, "CMakeFiles", "app.dir", "app.c.o")
            self.cmd = ["cmake", "--build", self.build_dir, "--verbose"]
        else:
            self.write("Makefile", recipe(source_root, "Makefile").encode())
            self.build_dir = self.src
            self.header = os.path.join(self.src, "standard", "standard.h")
            self.obj = os.path.join(self.src, "app.o")
            skillc = os.path.join(build_root, "compiler", "skillc")
            if os.environ.get("SKILLC_VALGRIND") == "1":
                # the 'valgrind' test setup: skillc under memcheck
                os.makedirs(os.path.join(tmp, "vg"))
                skillc, real = os.path.join(tmp, "vg", "skillc"), skillc
                with open(skillc, "w") as f:
                    f.write("#!/bin/sh\nexec valgrind -q --error-exitcode=99 "
                            "--leak-check=full --show-leak-kinds=all "
                            "--errors-for-leak-kinds=all '%s' \"$@\"\n" % real)
                os.chmod(skillc, 0o755)
            self.cmd = ["make", "SKILLC=" + skillc]

    def write(self, name, data):
        with open(os.path.join(self.src, name), "wb") as f:
            f.write(data)

    def append(self, name, data):
        with open(os.path.join(self.src, name), "ab") as f:
            f.write(data)

    def build(self):
        """(status, output, whether skillc ran, whether app.c was compiled)"""
        before = mtime(self.obj)
        status, out = run(self.cmd, self.src, self.env, check=False)
        # ninja prints a failed command twice
        ran = len(set(re.findall(r"\S*skillc build .*", out)))
        if ran > 1:
            fail("skillc ran %d times in one build:\n%s" % (ran, out))
        return status, out, bool(ran), mtime(self.obj) != before


def mtime(path):
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return None


def install(build_root, dest):
    """meson install into dest; the prefix inside it."""
    run(["meson", "install", "-C", build_root, "--destdir", dest,
         "--no-rebuild", "--quiet"], build_root)
    info = json.loads(run(["meson", "introspect", "--buildoptions", build_root],
                          build_root)[1])
    prefix = [o["value"] for o in info if o["name"] == "prefix"][0]
    return dest + prefix


def check_meson_parent(p, first_output):
    """skillc as a subproject: found, quiet, and nothing of it forced on
    the parent."""
    for line in first_output.splitlines():
        if not (line.startswith("[") or line.startswith("ninja: Entering directory")):
            fail("building the parent printed %r" % line)
    targets = json.loads(run(["meson", "introspect", "--targets", p.build_dir], p.src)[1])
    names = sorted(t["name"] for t in targets)
    sub = sorted(t["name"] for t in targets if t["subproject"] == "skillc")
    if "skillc" not in sub or not {"app", "standard"} <= set(names):
        fail("the targets are %s" % names)
    if [n for n in sub if n.startswith(("standard-", "test", "man"))]:
        fail("the subproject defines standards, tests or the manual: %s" % sub)
    if [t for t in targets if t["subproject"] == "skillc" and t["installed"]]:
        fail("the subproject installs something: %s" % sub)
    tests = json.loads(run(["meson", "introspect", "--tests", p.build_dir], p.src)[1])
    if tests:
        fail("the parent has skillc's tests: %s" % [t["name"] for t in tests])
    with open(os.path.join(p.build_dir, "compile_commands.json")) as f:
        commands = json.load(f)
    app = [c["command"] for c in commands if c["file"].endswith("app.c")]
    if len(app) != 1:
        fail("app.c is compiled %d times" % len(app))
    for flag in ("-Werror", "-std=c11", "-Wpedantic", "-D_POSIX_C_SOURCE"):
        if flag in app[0].split():
            fail("skillc's %s reached the parent: %s" % (flag, app[0]))


STEPS = [
    # what, change, skillc runs, app.c compiled, build fails
    ("first build", None, True, True, False),
    ("nothing changed", None, False, False, False),
    ("a comment in standard.yaml", ("append", "standard.yaml", b"# a comment\n"),
     True, False, False),
    ("nothing changed", None, False, False, False),
    ("a comment in committee.yaml", ("append", "committee.yaml", b"# a comment\n"),
     True, False, False),
    ("nothing changed", None, False, False, False),
    ("a rule in committee.yaml the standard breaks",
     ("write", "committee.yaml", STRICTER), True, False, True),
    ("that rule taken out again", ("write", "committee.yaml", COMMITTEE),
     True, False, False),
    ("nothing changed", None, False, False, False),
    ("a name in standard.yaml (the header changes)",
     ("sub", "standard.yaml", "  name: 叉车司机\n".encode(), "  name: 叉车驾驶员\n".encode()),
     True, True, False),
    ("the header deleted", ("delete",), True, True, False),
    ("nothing changed", None, False, False, False),
]


def main():
    kind, build_root, source_root = sys.argv[1], os.path.abspath(sys.argv[2]), \
        os.path.abspath(sys.argv[3])
    with tempfile.TemporaryDirectory(prefix="skillc-integ-") as tmp:
        p = Project(kind, tmp, build_root, source_root)
        steps = list(STEPS)
        if kind == "cmake-make":
            steps = steps[:-2]  # docs/integration.md: the stamp must go too
        for what, change, want_ran, want_compiled, want_fail in steps:
            header_before = open(p.header, "rb").read() if os.path.exists(p.header) else None
            header_time = mtime(p.header)
            # Times differ from the last build's even on a coarse clock.
            time.sleep(0.02)
            if change and change[0] == "append":
                p.append(change[1], change[2])
            elif change and change[0] == "write":
                p.write(change[1], change[2])
            elif change and change[0] == "sub":
                path = os.path.join(p.src, change[1])
                data = open(path, "rb").read()
                if change[2] not in data:
                    fail("%s holds no %r" % (change[1], change[2]))
                with open(path, "wb") as f:
                    f.write(data.replace(change[2], change[3], 1))
            elif change and change[0] == "delete":
                os.unlink(p.header)
            status, out, ran, compiled = p.build()
            got = (ran, compiled, status != 0)
            want = (want_ran, want_compiled, want_fail)
            if got != want:
                fail("%s, %s: skillc ran, app.c compiled, the build failed: "
                     "got %s, want %s\n%s" % (kind, what, got, want, out))
            if want_fail:
                if "CM0001 committee-engine-word" not in out:
                    fail("%s: the failing build does not say why:\n%s" % (what, out))
                if mtime(p.header) != header_time or \
                        open(p.header, "rb").read() != header_before:
                    fail("%s: a failing build changed the header" % what)
            if what == "first build" and kind == "meson":
                check_meson_parent(p, out)
            print("ok: %s: %s" % (kind, what))
        status, out = run([os.path.join(p.build_dir, "app")], p.src)
        if out != "forklift-operator: 5 levels\n":
            fail("app printed %r" % out)
        if kind == "make":
            with open(os.path.join(p.src, "standard", "standard.d")) as f:
                dep = f.read()
            if dep != "standard/standard.stamp: standard.yaml committee.yaml\n":
                fail("the depfile is %r" % dep)
    print("ok:", kind)


if __name__ == "__main__":
    main()
