"""What the diagnostics tests share: reading skillc's text, JSON and SARIF
back into one form, the validators, and the columns worked out again.

A finding is a dict: kind, rule (ID), name, file, line, column (None for a
file or a run as a whole), message, notes (a list of dicts of file, line,
column, message). The text is parsed from its lines (a caret line, which
starts with a space, is skipped); JSON and SARIF from their documents.
"""
import json
import os
import re
import sys
import unicodedata
import urllib.parse

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
SARIF_SCHEMA = os.path.join(HERE, "sarif-schema-2.1.0.json")
JSON_SCHEMA = os.path.join(TOP, "schema", "skillc-diagnostics.schema.json")
CATALOGUE = os.path.join(TOP, "docs", "checks.md")

# ---- formats: uri and uri-reference by RFC 3986's grammar --------------
# python3-jsonschema checks them only with rfc3987 or rfc3986-validator
# installed, which Debian's test machines need not have: these do it.
_CHARS = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*"
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:%s(?:#%s)?$" % (_CHARS, _CHARS))
# A relative reference: no colon before the first '/', '?' or '#'.
_RELATIVE = re.compile(r"^(?![^/?#]*:)%s(?:#%s)?$" % (_CHARS, _CHARS))


def is_uri(s):
    return not isinstance(s, str) or bool(_URI.match(s))


def is_uri_reference(s):
    return not isinstance(s, str) or bool(_URI.match(s) or _RELATIVE.match(s))


def format_checker():
    fc = jsonschema.FormatChecker()
    fc.checks("uri")(is_uri)
    fc.checks("uri-reference")(is_uri_reference)
    return fc


def validator(path):
    """The validator of a schema file, checked first: draft-04 for SARIF's
    (its $schema says so), draft 2020-12 for skillc's."""
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=format_checker())


def schema_errors(v, doc):
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(root)", e.message)
            for e in sorted(v.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))]


# ---- the text -----------------------------------------------------------
_LINE = re.compile(r"^(?P<loc>.+?): (?P<kind>error|warning|note): (?P<msg>.*)$")
_RULE = re.compile(r"^(?P<msg>.*) \[(?P<id>\S+) (?P<name>\S+)\]$")
_LOCUS = re.compile(r"^(?P<file>.*):(?P<line>\d+):(?P<col>\d+)$")


def _locus(loc):
    if loc == "skillc":
        return None, None, None
    m = _LOCUS.match(loc)
    if m:
        return m["file"], int(m["line"]), int(m["col"])
    return loc, None, None


def parse_text(stderr):
    """The findings of a text run, and the other lines (messages about the
    run: usage, I/O) in their order."""
    findings, other = [], []
    for line in stderr.decode("utf-8", "surrogateescape").split("\n"):
        if not line or line.startswith(" "):
            continue
        m = _LINE.match(line)
        r = _RULE.match(m["msg"]) if m and m["kind"] != "note" else None
        if m and m["kind"] == "note" and findings and not other_since(findings, other):
            f, ln, col = _locus(m["loc"])
            findings[-1]["notes"].append(dict(file=f, line=ln, column=col, message=m["msg"]))
        elif r:
            f, ln, col = _locus(m["loc"])
            findings.append(dict(kind=m["kind"], rule=r["id"], name=r["name"], file=f,
                                 line=ln, column=col, message=r["msg"], notes=[],
                                 _others=len(other)))
        else:
            other.append(line)
    for f in findings:
        f.pop("_others")
    return findings, other


def other_since(findings, other):
    return findings[-1]["_others"] != len(other)


def split_document(stderr, opener):
    """The lines before the document (about the run) and the document."""
    text = stderr.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line in opener:
            return [l for l in lines[:i] if l], "\n".join(lines[i:])
    raise ValueError("no document on standard error:\n" + text)


# ---- JSON ---------------------------------------------------------------

def _json_place(locations):
    if not locations:
        return None, None, None, {}
    c = locations[0]["caret"]
    return c["file"], c.get("line"), c.get("column"), c


def parse_json(doc, unit="column"):
    """The findings of a JSON document, the column taken from unit (column,
    byte-column or display-column), and each location's carets."""
    findings, carets = [], []
    for d in doc:
        f, ln, _, caret = _json_place(d["locations"])
        col = caret.get(unit)
        notes = []
        for n in d["children"]:
            nf, nl, _, nc = _json_place(n["locations"])
            notes.append(dict(file=nf, line=nl, column=nc.get(unit), message=n["message"]))
            carets.append(nc)
        findings.append(dict(kind=d["kind"], rule=d["rule_id"], name=d["rule_name"], file=f,
                             line=ln, column=col, message=d["message"], notes=notes))
        carets.append(caret)
    return findings, carets


# ---- SARIF --------------------------------------------------------------

def uri_path(location):
    """The path a SARIF artifactLocation names, as skillc was given it."""
    uri = location["uri"]
    if uri.startswith("file://"):
        return urllib.parse.unquote(uri[len("file://"):], errors="surrogateescape")
    return urllib.parse.unquote(uri, errors="surrogateescape")


def _sarif_place(loc):
    if not loc or "physicalLocation" not in loc:
        return None, None, None
    p = loc["physicalLocation"]
    region = p.get("region", {})
    return uri_path(p["artifactLocation"]), region.get("startLine"), region.get("startColumn")


def parse_sarif(log):
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    findings = []
    for r in run["results"]:
        f, ln, col = _sarif_place(r["locations"][0] if r.get("locations") else None)
        notes = []
        for n in r.get("relatedLocations", []):
            nf, nl, nc = _sarif_place(n)
            notes.append(dict(file=nf, line=nl, column=nc, message=n["message"]["text"]))
        findings.append(dict(kind=r["level"], rule=r["ruleId"],
                             name=rules[r["ruleIndex"]]["name"] if "ruleIndex" in r else None,
                             file=f, line=ln, column=col, message=r["message"]["text"],
                             notes=notes))
    return findings


# ---- columns, worked out again -----------------------------------------

def source_lines(path):
    """A file's lines as skillc counts them: ended by LF, CR LF or a lone
    CR, a byte order mark taking no column."""
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return [l.decode("utf-8", "surrogateescape") for l in re.split(rb"\r\n|\r|\n", data)]


def width(ch):
    """Terminal columns, as wcwidth gives them: 2 for East Asian Wide and
    Fullwidth, 0 for combining marks and format characters but the soft
    hyphen."""
    cp = ord(ch)
    if 0xdc80 <= cp <= 0xdcff:  # a byte that is not UTF-8
        return 1
    cat = unicodedata.category(ch)
    if cat in ("Mn", "Me") or (cat == "Cf" and cp != 0xad):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def columns(line, col):
    """The byte and display columns of code point column col of line."""
    before = line[:col - 1]
    past = col - 1 - len(before)
    byte = len(before.encode("utf-8", "surrogateescape")) + 1 + past
    disp = 0
    for ch in before:
        disp = disp + 8 - disp % 8 if ch == "\t" else disp + width(ch)
    return byte, disp + 1 + past


def die(msg):
    print("FAIL: " + msg)
    sys.exit(1)
