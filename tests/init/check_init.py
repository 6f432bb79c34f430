#!/usr/bin/python3
"""What skillc init writes, for every skeleton and every choice of levels.

usage: check_init.py SKILLC SOURCE_SCHEMA SKELETONS_DIR

For each skeleton of SKELETONS_DIR (schema/skeletons/) and each choice of
its levels (none: the default; every count N; every run of consecutive
levels by key that does not start at the lowest; all of them by name, in
reverse order), skillc init must write the file without a word, and:
  - write the same bytes to standard output for '-';
  - name the profile and exactly the levels chosen, lowest first, each
    including the one below;
  - pass skillc check without a finding;
  - build in every format without a word;
  - validate against the source schema (SOURCE_SCHEMA).
Without --profile it writes the default skeleton's file. A file that
exists is refused and left as it was, untouched, with nothing beside it.
Under valgrind
(SKILLC_VALGRIND=1) the choices are the default and the lowest level only
(tests/unit/test_init.c reads every form of --levels under valgrind), and
only init runs under it (check and build have suites of their own).
"""
import concurrent.futures
import glob
import json
import os
import subprocess
import sys
import tempfile

import jsonschema
import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import skillc_run  # noqa: E402

failures = []


def fail(what, why):
    failures.append("%s: %s" % (what, why))
    print("FAIL %s: %s" % (what, why))


def skeletons(top):
    """profile -> (levels [(key, name)], default count, is default)."""
    raw = {}
    for path in sorted(glob.glob(os.path.join(top, "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            sk = yaml.safe_load(f)
        raw[sk["profile"]] = sk
    out = {}
    for profile, sk in raw.items():
        base = sk
        while "levels" not in base:
            base = raw[base["extends"]]
        levels = [(l["key"], l["name"]) for l in base["levels"]]
        count = sk.get("default_levels", base.get("default_levels", len(levels)))
        out[profile] = (levels, count, sk.get("default", False))
    return out


def choices(levels, count, full):
    """(--levels argument or None, the keys it chooses)."""
    keys = [k for k, _ in levels]
    yield None, keys[:count]
    if not full:
        yield "1", keys[:1]
        return
    for n in range(1, len(keys) + 1):
        yield str(n), keys[:n]
    for lo in range(1, len(keys)):
        for hi in range(lo, len(keys)):
            yield ",".join(keys[lo:hi + 1]), keys[lo:hi + 1]
    yield ",".join(name for _, name in reversed(levels)), keys


def run(skillc, args, what, valgrind=True):
    if valgrind:
        r = skillc_run.run(skillc, args)
    else:
        env = dict(os.environ, LC_ALL="C", TZ="UTC")
        r = subprocess.run([skillc, *args], env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=600)
    if r.returncode != 0 or r.stderr:
        fail(what, "skillc %s: status %d\n%s" % (" ".join(args), r.returncode,
                                                 r.stderr.decode(errors="replace")))
    return r


def one(skillc, validator, tmp, profile, arg, keys, name):
    what = "%s --levels %s" % (profile, arg)
    path = os.path.join(tmp, name + ".yaml")
    args = ["init", "--profile", profile] + (["--levels", arg] if arg else [])
    r = run(skillc, args + [path], what)
    if r.returncode != 0:
        return
    if r.stdout:
        fail(what, "init printed %r" % r.stdout[:200])
    with open(path, "rb") as f:
        data = f.read()
    r = run(skillc, args + ["-"], what)
    if r.stdout != data.replace(("id: " + name).encode(), b"id: new-standard"):
        fail(what, "standard output differs from the file")
    doc = yaml.safe_load(data)
    if doc.get("id") != name or doc.get("profile") != profile:
        fail(what, "id %r, profile %r" % (doc.get("id"), doc.get("profile")))
    got = [l["key"] for l in doc["levels"]]
    if got != keys:
        fail(what, "levels %s, not %s" % (got, keys))
    chain = [l.get("includes") for l in doc["levels"]]
    if chain != [None] + keys[:-1]:
        fail(what, "includes %s" % chain)
    r = run(skillc, ["check", path], what, valgrind=False)
    if r.stdout:
        fail(what, "check printed %r" % r.stdout[:200])
    out = os.path.join(tmp, name + "-out")
    r = run(skillc, ["build", "-o", out, path], what, valgrind=False)
    made = sorted(os.listdir(out)) if os.path.isdir(out) else []
    want = sorted(name + e for e in skillc_run.EXTENSIONS)
    if made != want:
        fail(what, "build made %s, not %s" % (made, want))
    for e in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.path))):
        fail(what, "schema: %s: %s" % (".".join(map(str, e.path)), e.message))


def main():
    skillc, schema_path, top = sys.argv[1:4]
    with open(schema_path, encoding="utf-8") as f:
        validator = jsonschema.Draft202012Validator(json.load(f))
    full = os.environ.get("SKILLC_VALGRIND") != "1"
    sks = skeletons(top)
    defaults = [p for p, (_, _, d) in sks.items() if d]
    if len(defaults) != 1:
        fail("skeletons", "%d default skeletons" % len(defaults))
    with tempfile.TemporaryDirectory(prefix="skillc-init-") as tmp:
        jobs = [(profile, arg, keys, "%s-%d" % (profile, i))
                for profile, (levels, count, _) in sks.items()
                for i, (arg, keys) in enumerate(choices(levels, count, full))]
        # skillc flushes what it writes to disk: the choices run side by
        # side.
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            for job in pool.map(lambda j: one(skillc, validator, tmp, *j), jobs):
                pass
        ran = len(jobs)
        # Without --profile: the default skeleton.
        for profile in defaults:
            a, b = os.path.join(tmp, "x.yaml"), os.path.join(tmp, "y", "x.yaml")
            os.makedirs(os.path.dirname(b))
            run(skillc, ["init", a], "no --profile")
            run(skillc, ["init", "--profile", profile, b], "--profile " + profile)
            if open(a, "rb").read() != open(b, "rb").read():
                fail("no --profile", "differs from --profile %s" % profile)
        # A file there already: refused, left as it was.
        d = os.path.join(tmp, "exists")
        os.makedirs(d)
        path = os.path.join(d, "x.yaml")
        with open(path, "wb") as f:
            f.write(b"skillc: 1\n")
        os.utime(path, ns=(10**18, 10**18))
        r = skillc_run.run(skillc, ["init", path])
        if (r.returncode != 2 or b"exists already" not in r.stderr
                or open(path, "rb").read() != b"skillc: 1\n"
                or os.stat(path).st_mtime_ns != 10**18
                or os.listdir(d) != ["x.yaml"]):
            fail("exists", "status %d, %r, %s" % (r.returncode, r.stderr, os.listdir(d)))
    print("%d skeletons, %d choices of levels, %d failures"
          % (len(sks), ran, len(failures)))
    return 1 if failures or not ran else 0


if __name__ == "__main__":
    sys.exit(main())
