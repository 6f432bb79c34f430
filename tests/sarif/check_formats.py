#!/usr/bin/python3
"""The same findings in the same order in text, JSON and SARIF, each format
as it promises (docs/diagnostics.md).

usage: check_formats.py SKILLC CASEDIR...

Each CASEDIR is a case of tests/cases/ (its cmd, default 'check
input.yaml', run in it; @OUT@ and @TMP@ become scratch directories). Its
command runs six times: as text, as text with -fdiagnostics-column-unit=
byte and =display, with --diagnostics-format=json (and again with the
display unit) and with -fdiagnostics-format=sarif. Then:

  same       the exit status and standard output of every run are the
             same; the lines about the run itself (usage, I/O) are the
             same and come before the document; the findings (kind, rule
             ID and name, file, line, column, message, and each note's
             file, line, column and message) are the same list in text,
             JSON and SARIF
  json       the document validates against schema/skillc-diagnostics.
             schema.json (draft 2020-12, formats checked), each object's
             keys in the schema's order; 'column' follows the unit
  sarif      the log validates against the OASIS schema tests/sarif/
             vendors (draft-04, formats checked), indented two spaces a
             level as json.dumps(indent=2) would; version 2.1.0, one run,
             columnKind unicodeCodePoints; invocations say the exit status;
             tool.driver.rules are the rules --list-checks prints with the
             same options, in its order, then the standard's own, IDs
             unique; each rule's default level is its default severity;
             helpUri is docs/checks.md's anchor of the rule exactly when
             the catalogue has a heading 'ID name' there; every result's
             ruleIndex names its ruleId; URIs are relative to %SRCROOT%
             (or file: for an absolute path) and name the file the text
             names, which exists; each result has a fingerprint, unique in
             its file, and the one worked out again here from the line
             (FNV-1a of the trimmed line, NUL, the rule ID; the count)
  columns    every JSON location's byte-column and display-column are what
             its code point column gives on its line of the source,
             worked out again here (UTF-8 bytes; East Asian Wide and
             Fullwidth 2, marks 0, tabs to a multiple of 8); the text in
             each unit prints the same numbers; the caret lines do not
             change with the unit

Prints every difference and exits 1 if there is any. With SKILLC_VALGRIND=1
skillc runs under valgrind memcheck, and any error or leak fails the test.
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import skillc_run  # noqa: E402
import diagnostics as D  # noqa: E402

failures = []
# locations whose three columns all differ, and those after a tab
exercised = {"units": 0, "tab": 0}


def fail(case, msg):
    failures.append("%s: %s" % (os.path.basename(case), msg))


def case_args(case, scratch):
    try:
        with open(os.path.join(case, "cmd")) as f:
            args = shlex.split(f.read())
    except FileNotFoundError:
        args = ["check", "input.yaml"]
    out, tmp = os.path.join(scratch, "out"), os.path.join(scratch, "tmp")
    os.makedirs(tmp, exist_ok=True)
    if os.path.exists(os.path.join(case, "generate.py")):
        subprocess.run([sys.executable, "generate.py", tmp], cwd=case, check=True)
    return [a.replace("@OUT@", out).replace("@TMP@", tmp) for a in args]


def run(skillc, case, args, extra, scratch):
    """One run, in a fresh output directory."""
    out = os.path.join(scratch, "out")
    if os.path.isdir(out):
        subprocess.run(["rm", "-rf", out], check=True)
    return skillc_run.run(skillc, args + extra, cwd=case)


def rule_options(args):
    """The options of args that change the run's rules."""
    keep = []
    for i, a in enumerate(args):
        if a in ("--rules", "--profile") and i + 1 < len(args):
            keep += [a, args[i + 1]]
        elif a.startswith(("--rules=", "--profile=")):
            keep.append(a)
    return keep


def catalogue():
    """ID -> name of every entry of docs/checks.md with its anchor."""
    with open(D.CATALOGUE, encoding="utf-8") as f:
        text = f.read()
    entries = {}
    for m in re.finditer(r'^<a id="(sk\d{4})"></a>\n\n## (SK\d{4}) (\S+)$', text, re.M):
        if m[1] == m[2].lower():
            entries[m[2]] = m[3]
    return entries


def fnv1a(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return h


def line_bytes(path, n):
    """Line n of a file as bytes, as skillc splits lines."""
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return re.split(rb"\r\n|\r|\n", data)[n - 1]


def check_sarif(case, skillc, args, log, status, findings_text):
    run = log["runs"][0]
    if log.get("version") != "2.1.0" or len(log["runs"]) != 1:
        fail(case, "sarif: not one run of version 2.1.0")
    if run.get("columnKind") != "unicodeCodePoints":
        fail(case, "sarif: columnKind is %r" % run.get("columnKind"))
    inv = run.get("invocations", [{}])[0]
    if inv.get("exitCode") != status or inv.get("executionSuccessful") != (status < 2):
        fail(case, "sarif: invocation %r for exit status %d" % (inv, status))
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    keys = [(r["id"], r["name"]) for r in rules]
    if len(set(keys)) != len(keys):
        fail(case, "sarif: a rule is listed twice")
    listed = skillc_run.run(skillc, rule_options(args) + ["--list-checks"], cwd=case)
    want = [l.split()[0:3] for l in listed.stdout.decode().splitlines()]
    if [w[0] for w in want] != ids[:len(want)]:
        fail(case, "sarif: the rules are not --list-checks' in its order")
    level = {"input": ("error", True), "error": ("error", True),
             "warning": ("warning", True), "off": ("warning", False)}
    for (wid, wname, wsev), r in zip(want, rules):
        conf = r.get("defaultConfiguration", {})
        if (r["name"], conf.get("level"), conf.get("enabled", True)) != (wname, *level[wsev]):
            fail(case, "sarif: rule %s is %r, --list-checks says %s %s" % (wid, r, wname, wsev))
    cat = catalogue()
    for r in rules:
        url = "https://skillc.invalid/docs/checks.md#" + r["id"].lower()
        if cat.get(r["id"]) == r["name"]:
            if r.get("helpUri") != url:
                fail(case, "sarif: rule %s has helpUri %r, not %s" % (r["id"], r.get("helpUri"), url))
        elif "helpUri" in r:
            fail(case, "sarif: rule %s is not in docs/checks.md but has a helpUri" % r["id"])
        if "shortDescription" not in r:
            fail(case, "sarif: rule %s has no shortDescription" % r["id"])
    prints, counts = set(), {}
    for i, res in enumerate(run["results"]):
        # the fingerprint worked out again, as docs/diagnostics.md says
        where = D._sarif_place(res["locations"][0] if res.get("locations") else None)
        text = line_bytes(os.path.join(case, where[0]), where[1]) if where[1] else b""
        h = "%016x" % fnv1a(text.strip(b" \t") + b"\0" + res["ruleId"].encode())
        counts[(where[0], h)] = counts.get((where[0], h), 0) + 1
        want = "%s:%d" % (h, counts[(where[0], h)])
        if res.get("partialFingerprints", {}).get("skillcLineHash/v1") != want:
            fail(case, "sarif: result %d: fingerprint %r, worked out %s"
                 % (i, res.get("partialFingerprints"), want))
        if rules[res["ruleIndex"]]["id"] != res["ruleId"]:
            fail(case, "sarif: result %d: ruleIndex %d is not %s" % (i, res["ruleIndex"], res["ruleId"]))
        fp = res.get("partialFingerprints", {}).get("skillcLineHash/v1", "")
        where = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] \
            if res.get("locations") else None
        if not re.match(r"^[0-9a-f]{16}:[1-9][0-9]*$", fp) or (where, fp) in prints:
            fail(case, "sarif: result %d: fingerprint %r missing, malformed or not unique "
                 "in its file" % (i, fp))
        prints.add((where, fp))
        for loc in res.get("locations", []) + res.get("relatedLocations", []):
            if "physicalLocation" not in loc:
                continue
            art = loc["physicalLocation"]["artifactLocation"]
            path = D.uri_path(art)
            absolute = art["uri"].startswith("file:///")
            if absolute == ("uriBaseId" in art) or (not absolute and art["uriBaseId"] != "%SRCROOT%"):
                fail(case, "sarif: %r is neither relative to %%SRCROOT%% nor absolute" % art)
            if not os.path.exists(os.path.join(case, path)):
                fail(case, "sarif: %s names no file" % art["uri"])
    if "%SRCROOT%" not in run.get("originalUriBaseIds", {}):
        fail(case, "sarif: %SRCROOT% is not described")


def check_columns(case, carets):
    cache = {}
    for c in carets:
        if "line" not in c:
            continue
        path = os.path.join(case, c["file"])
        if path not in cache:
            cache[path] = D.source_lines(path)
        line = cache[path][c["line"] - 1]
        want = D.columns(line, c["column"])
        exercised["units"] += len({c["column"], *want}) == 3
        exercised["tab"] += "\t" in line[:c["column"] - 1]
        if (c["byte-column"], c["display-column"]) != want:
            fail(case, "%s:%d:%d: byte and display columns %d, %d; worked out %d, %d"
                 % (c["file"], c["line"], c["column"], c["byte-column"],
                    c["display-column"], *want))


def same_list(case, what, a, b):
    if a == b:
        return
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            fail(case, "%s differ at finding %d:\n  %r\n  %r" % (what, i, x, y))
            return
    fail(case, "%s: %d findings against %d" % (what, len(a), len(b)))


def check_case(skillc, case, json_v, sarif_v):
    with tempfile.TemporaryDirectory(prefix="skillc-formats-") as scratch:
        return check_runs(skillc, case, json_v, sarif_v, scratch)


def check_runs(skillc, case, json_v, sarif_v, scratch):
    args = case_args(case, scratch)
    runs = {}
    for name, extra in [("text", []),
                        ("text-byte", ["-fdiagnostics-column-unit=byte"]),
                        ("text-display", ["-fdiagnostics-column-unit=display"]),
                        ("json", ["--diagnostics-format=json"]),
                        ("json-display", ["--diagnostics-format=json",
                                          "-fdiagnostics-column-unit=display"]),
                        ("sarif", ["-fdiagnostics-format=sarif"])]:
        runs[name] = run(skillc, case, args, extra, scratch)
    text = runs["text"]
    for name, r in runs.items():
        if (r.returncode, r.stdout) != (text.returncode, text.stdout):
            fail(case, "%s: exit status or standard output differ from the text run's" % name)
    found, other = D.parse_text(text.stderr)
    if not found:
        fail(case, "the text run reports nothing: a case with findings is needed")
    carets = [l for l in text.stderr.split(b"\n") if l.startswith(b" ")]
    for unit in ("byte", "display"):
        r = runs["text-" + unit]
        if [l for l in r.stderr.split(b"\n") if l.startswith(b" ")] != carets:
            fail(case, "the caret lines change with -fdiagnostics-column-unit=" + unit)

    before, doc = D.split_document(runs["json"].stderr, ("[", "[]"))
    if before != other:
        fail(case, "json: the lines about the run differ: %r, %r" % (before, other))
    if not re.fullmatch(r"\[\]\n|\[\n(\{.*\},\n)*\{.*\}\n\]\n", doc, re.S) or \
            any(l not in ("[", "]", "[]") and not l.startswith("{") for l in doc.splitlines()):
        fail(case, "json: not one finding a line")
    data = json.loads(doc)
    for e in D.schema_errors(json_v, data):
        fail(case, "json schema: " + e)
    order = list(json_v.schema["$defs"]["finding"]["properties"])
    for d in data:
        if list(d) != [k for k in order if k in d]:
            fail(case, "json: keys out of order: %r" % list(d))
    js, js_carets = D.parse_json(data)
    same_list(case, "text and json", found, js)
    check_columns(case, js_carets)
    for unit, column in (("byte", "byte-column"), ("display", "display-column")):
        same_list(case, "text in %s columns and json's %s" % (unit, column),
                  D.parse_text(runs["text-" + unit].stderr)[0], D.parse_json(data, column)[0])
    disp = json.loads(D.split_document(runs["json-display"].stderr, ("[", "[]"))[1])
    same_list(case, "json's display-column and its column in display units",
              D.parse_json(data, "display-column")[0], D.parse_json(disp)[0])

    before, doc = D.split_document(runs["sarif"].stderr, ("{",))
    if before != other:
        fail(case, "sarif: the lines about the run differ: %r, %r" % (before, other))
    log = json.loads(doc)
    if doc != json.dumps(log, indent=2, ensure_ascii=False) + "\n":
        fail(case, "sarif: not indented two spaces a level, one member a line")
    for e in D.schema_errors(sarif_v, log):
        fail(case, "sarif schema: " + e)
    sf = D.parse_sarif(log)
    # The text names no rule for SARIF's names: compare them on the side.
    same_list(case, "text and sarif", found, sf)
    check_sarif(case, skillc, args, log, text.returncode, found)
    return len(found)


def main():
    if len(sys.argv) < 3:
        sys.stderr.write("usage: check_formats.py SKILLC CASEDIR...\n")
        return 2
    skillc = os.path.abspath(sys.argv[1])
    json_v, sarif_v = D.validator(D.JSON_SCHEMA), D.validator(D.SARIF_SCHEMA)
    total = 0
    for case in sys.argv[2:]:
        total += check_case(skillc, os.path.abspath(case), json_v, sarif_v)
    if not exercised["units"] or not exercised["tab"]:
        failures.append("no location whose columns differ in each unit, or none after "
                        "a tab: the cases do not test the units")
    for f in failures:
        print("FAIL: " + f)
    print("%d locations in three different columns, %d after a tab" %
          (exercised["units"], exercised["tab"]))
    print("%d cases, %d findings in three formats, %d failures"
          % (len(sys.argv) - 2, total, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
