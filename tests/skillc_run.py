"""Running skillc from the Python test scripts, the one way they share.

run(skillc, args, cwd=None, stdin=None, lang=None) runs skillc with
LC_ALL=C (with lang, e.g. "zh_CN.UTF-8": LANG=lang and no LC_ALL,
LC_MESSAGES or LANGUAGE, as an editor's shell has it) and TZ=UTC, stdin (bytes) as its standard input (None: none) and a 10-minute
limit, and returns the CompletedProcess.
With SKILLC_VALGRIND=1 (the 'valgrind' test setup) skillc runs under
memcheck, and any error or leak it reports ends the test (exit 1).
"""
import os
import re
import subprocess
import sys
import tempfile


# The extensions of skillc build's outputs (.h, .json, .md, .docx), in the
# order of the table they come from.
FORMATS_DEF = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "compiler", "formats.def")
with open(FORMATS_DEF) as f:
    EXTENSIONS = tuple(re.findall(r'^FORMAT\(\w+, "([^"]+)"', f.read(), re.M))


def run(skillc, args, cwd=None, stdin=None, lang=None):
    wrapper, vglog = [], None
    if os.environ.get("SKILLC_VALGRIND") == "1":
        fd, vglog = tempfile.mkstemp(prefix="skillc-vg-")
        os.close(fd)
        wrapper = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
                   "--show-leak-kinds=all", "--errors-for-leak-kinds=all",
                   "--log-file=" + vglog]
    env = dict(os.environ, LC_ALL="C", TZ="UTC")
    if lang:
        for k in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
            env.pop(k, None)
        env["LANG"] = lang
    env.pop("SKILLC_REGENERATE", None)
    result = subprocess.run(wrapper + [skillc, *args], cwd=cwd, env=env,
                            capture_output=True, timeout=600,
                            **({"input": stdin} if stdin is not None
                               else {"stdin": subprocess.DEVNULL}))
    if vglog:
        with open(vglog, "rb") as f:
            log = f.read()
        os.unlink(vglog)
        if log.strip():
            sys.stderr.write(log.decode(errors="replace"))
            print("FAIL: valgrind reported errors running skillc")
            sys.exit(1)
    return result
