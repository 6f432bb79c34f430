#!/usr/bin/python3
"""skillc diff --format=markdown, read by cmark-gfm and pandoc, says what
the JSON says.

usage: check_markdown.py SKILLC OLD NEW [OLD NEW]...

For each pair, runs 'SKILLC diff --format=json' (the oracle) and
'--format=markdown', renders the Markdown with 'cmark-gfm -e table
--unsafe' and reads the HTML back with html.parser. Then:

  - one h1, holding the names of both files;
  - an h2 per chapter that has changes, in the standard's order, and
    under it, in the JSON's order, a list item per change whose text is
    the JSON message exactly, but for the changed cells and totals of a
    weight table: an h3 (the table's name) and a table whose head is
    four cells and whose body rows are row, column, old and new as the
    JSON's sides give them, every cell of the table in one, where its
    first is;
  - nothing else: no emphasis, link, code, image or raw HTML element can
    come out of a text (--unsafe lets raw HTML through, so this tests
    the escaping, not cmark-gfm's filter).
Then pandoc reads the same Markdown as GFM: its plain text of each list
item is the message too. Each pair in English and in Chinese (LANG=C,
zh_CN.UTF-8), whose messages start with what the standard wrote (a
table's number "1. 表一" must not open a list). Exit status 0 when every
pair holds.
"""
import html.parser
import json
import os
import subprocess
import sys

CHAPTERS = ["id", "meta", "notice", "scope", "normative_references", "terms",
            "occupation", "levels", "branches", "eligibility", "assessment",
            "basic_requirements", "work_requirements", "weights"]
ALLOWED = {"h1", "h2", "h3", "ul", "li", "table", "thead", "tbody", "tr",
           "th", "td", "p", "br"}


class Reader(html.parser.HTMLParser):
    """The blocks of the rendered document: (tag, text) for headings and
    list items, ("table", rows) for tables; every other element noted."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.stray, self.text, self.open = [], [], None, []
        self.rows = None

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED:
            self.stray.append(tag)
        if tag in ("h1", "h2", "h3", "li", "th", "td"):
            self.text = ""
        if tag == "table":
            self.rows = []
        if tag == "tr":
            self.rows.append([])

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3", "li"):
            self.blocks.append((tag, self.text))
            self.text = None
        elif tag in ("th", "td"):
            self.rows[-1].append(self.text)
            self.text = None
        elif tag == "table":
            self.blocks.append(("table", self.rows))
            self.rows = None

    def handle_data(self, data):
        if self.text is not None:
            self.text += data


def expected(doc):
    """The blocks the JSON document calls for, chapters in order."""
    out = [("h1", None)]
    for chapter in CHAPTERS:
        changes = [c for c in doc["changes"] if c["chapter"] == chapter]
        if not changes:
            continue
        out.append(("h2", None))
        tables = {}  # a weight table's cells: one table, where the first is
        for c in changes:
            if c["what"] in ("weight", "total"):
                name = c["new"]["table"]
                if name not in tables:
                    tables[name] = []
                    out.append(("h3", name))
                    out.append(("table", tables[name]))
                tables[name].append(c)
            else:
                out.append(("li", c["message"]))
    return out


def check_pair(skillc, old, new, env):
    run = subprocess.run([skillc, "diff", "--format=json", old, new],
                         capture_output=True, env=env)
    if run.returncode not in (0, 1):
        return ["diff --format=json exited %d" % run.returncode]
    doc = json.loads(run.stdout)
    md = subprocess.run([skillc, "diff", "--format=markdown", old, new],
                        capture_output=True, env=env)
    if md.returncode != run.returncode:
        return ["markdown exited %d, json %d" % (md.returncode, run.returncode)]
    html_out = subprocess.run(["cmark-gfm", "-e", "table", "--unsafe"],
                              input=md.stdout, capture_output=True,
                              check=True).stdout.decode()
    r = Reader()
    r.feed(html_out)
    errors = ["element <%s> in the rendering" % t for t in r.stray]
    got, want = r.blocks, expected(doc)
    if not doc["changes"]:
        want = [("h1", None)]  # and the "no changes" paragraph
    if [b[0] for b in got] != [w[0] for w in want]:
        return errors + ["blocks %s, want %s" % ([b[0] for b in got],
                                                 [w[0] for w in want])]
    if old not in got[0][1] or new not in got[0][1]:
        errors.append("title %r does not name %s and %s" % (got[0][1], old, new))
    for (tag, text), (_, w) in zip(got, want):
        if tag == "li" and text != w:
            errors.append("item %r, want %r" % (text, w))
        if tag == "h3" and text != w:
            errors.append("table heading %r, want %r" % (text, w))
        if tag == "table":
            rows = text[1:]
            if len(text[0]) != 4 or len(rows) != len(w):
                errors.append("table %r for %d cells" % (text, len(w)))
                continue
            for row, c in zip(rows, w):
                if row[2:] != [c["old"]["value"], c["new"]["value"]]:
                    errors.append("row %r, want %r → %r" % (
                        row, c["old"]["value"], c["new"]["value"]))
    # pandoc reads it as GFM: the same text in each list item
    items = [w for t, w in want if t == "li"]
    pj = json.loads(subprocess.run(
        ["pandoc", "-f", "gfm", "-t", "json"], input=md.stdout,
        capture_output=True, check=True).stdout)
    said = []

    def plain(inlines):
        s = ""
        for x in inlines:
            t = x["t"]
            if t == "Str":
                s += x["c"]
            elif t in ("Space", "SoftBreak"):
                s += " "
            elif t == "LineBreak":
                s += "\n"
            else:
                errors.append("pandoc read a %s in %r" % (t, x))
        return s

    for block in pj["blocks"]:
        if block["t"] == "BulletList":
            for item in block["c"]:
                said.append(plain(item[0]["c"]))
    if said != items:
        for a, b in zip(said, items):
            if a != b:
                errors.append("pandoc read %r, want %r" % (a, b))
        if len(said) != len(items):
            errors.append("pandoc read %d items, want %d" % (len(said), len(items)))
    return errors


def main():
    skillc, files = sys.argv[1], sys.argv[2:]
    if not files or len(files) % 2:
        print(__doc__)
        return 2
    failed = 0
    for old, new in zip(files[::2], files[1::2]):
        for lang in ("C", "zh_CN.UTF-8"):
            env = dict(os.environ, LANG=lang, LC_ALL=lang, LANGUAGE="")
            errors = check_pair(skillc, old, new, env)
            print("%s %s → %s (LANG=%s)" % ("FAIL" if errors else "ok", old,
                                            new, lang))
            for e in errors:
                print("  " + e)
            failed += bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
