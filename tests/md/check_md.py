#!/usr/bin/python3
"""Render skillc's Markdown with cmark-gfm and pandoc, compare with the source.

usage: check_md.py [--cmark PROG] [--pandoc PROG] SKILLC SOURCE.yaml WORKDIR

Builds SOURCE.yaml with 'SKILLC build --format=md -o WORKDIR' (twice, to
see that the output is byte-stable), once by default and once with
--with=notice,cumulative (the covering notice and the cumulative appendix
are there only when asked for), renders the .md with
'cmark-gfm -e table --unsafe' and reads the HTML back with html.parser. Then,
against the source loaded with PyYAML, an independent oracle:

  - the tables: one per work table, one per weight table (in sections,
    then directly under the chapter) and one cumulative table per level,
    in that order, each compared head and body row by row, cell by cell,
    with the source text exactly ("—" cells as "—"); a level's cumulative
    table holds every table of its chain, shared and of each branch. A
    work content takes as many rows as its longer list of items, every
    skill and knowledge item a cell of its own, "id text", next to each
    other in order; the capability (the level, in the appendix) and the
    content only in its first row. A weight table's column head is its
    heads and label joined by a space ("技能等级 五级/初级工（%）");
  - the metadata block, as cmark-gfm shows it (a rule, then a level-2
    heading of its lines "pagetitle: 'title'" and "lang: 'zh-CN'");
  - every heading, in order, with its level: the title, the notice, the
    foreword (under its own title where the source gives one), each
    clause the source has as 'number title' (a chapter or clause the
    source leaves out, or prints under no heading, has none), the
    appendix and its levels;
  - every paragraph, in order, exactly (labelled items a) b) are
    paragraphs, not list items) (the edition under
    the title, a national standard's 职业名称 clause whose body is the
    occupation's name, one eligibility clause for all levels);
  - nothing but those elements: no link, image, emphasis, code, quote,
    rule, numbered list or raw HTML element (a <script>) can come out of a
    text. --unsafe lets raw HTML through, so this is the emitter's escaping
    being tested, not cmark-gfm's filter.

A text's own line break reads as a line break (<br> in HTML; in a cell or
heading the "\\n" after it is the text's). Then the same document through
pandoc, as a publisher converts it, with its default reader ('pandoc
std.md -o std.docx', -f markdown: smart quotes, fancy lists, definition
lists, superscripts, citations...) and with -f gfm, each to HTML
(-s --wrap=none) and to DOCX: in all four every table cell, heading and
paragraph must again be exactly the source's (in the DOCX, word/document.xml's
<w:tc>, heading and paragraph texts, <w:br/> a line break), with no stray
element in the HTML; the metadata read, not shown: the HTML has
<html lang="zh-CN">, <title> the title, the title once (no title block)
and pandoc no warning; the DOCX's styles mark the text zh-CN and it has no
Title paragraph.
With SKILLC_VALGRIND=1 skillc runs under valgrind memcheck.
Exits 0 when everything matches, 1 with the differences when not.
"""
import html.parser
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

import yaml

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import skillc_run  # noqa: E402

LANG = "zh-CN"  # the document's language (schema/document-words.yaml)
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "th", "td"}
ALLOWED = BLOCKS | {"table", "thead", "tbody", "tr", "br", "strong", "hr"}
# What pandoc -s wraps a document in, and its tables' column widths.
ENVELOPE = {"html", "head", "meta", "title", "style", "body", "colgroup", "col"}

failures = []


def fail(msg):
    failures.append(msg)


# ---- the rendered document -------------------------------------------------

class Document(html.parser.HTMLParser):
    """Blocks (tag, text) in order, tables as rows of cells, stray tags."""

    def __init__(self, allowed=ALLOWED):
        super().__init__(convert_charrefs=True)
        self.allowed = allowed
        self.blocks, self.tables, self.stray = [], [], []
        self.text = None      # the open block's text, or None
        self.after_br = False
        self.row = None
        self.lang = self.title = None  # <html lang>, <title>
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag not in self.allowed:
            self.stray.append((tag, attrs))
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        elif tag == "title":
            self.title, self.in_title = "", True
        elif tag == "hr":
            self.blocks.append(("hr", ""))
        if tag in BLOCKS:
            self.text = []
        elif tag == "br":
            if self.text is not None:
                self.text.append("\n")
            self.after_br = True
            return
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.row = []
        self.after_br = False

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.after_br = False
        if tag == "title":
            self.in_title = False
        if tag in BLOCKS and self.text is not None:
            text = "".join(self.text)
            self.text = None
            if tag in ("th", "td"):
                self.row.append(text)
            else:
                self.blocks.append((tag, text))
        elif tag == "tr":
            self.tables[-1].append(self.row)

    def handle_data(self, data):
        # cmark-gfm writes a hard break as "<br />\n": the "\n" is layout.
        if self.after_br and data.startswith("\n"):
            data = data[1:]
        self.after_br = False
        if self.text is not None:
            self.text.append(data)
        elif self.in_title:
            self.title += data

    def unknown_decl(self, data):
        self.stray.append(("<!" + data, []))

    def handle_comment(self, data):
        self.stray.append(("<!--", [data]))

    def handle_pi(self, data):
        self.stray.append(("<?", [data]))


# ---- what the source says ------------------------------------------------

def pair(a, sep, b):
    return a + (sep if a and b else "") + b


def cell_weight(w):
    return w if isinstance(w, str) else str(w)  # "—" stays "—"


def item(items, r):
    return pair(items[r]["id"], " ", items[r]["text"]) if r < len(items) else ""


def content_rows(lead, ct, columns):
    """A work content's rows: lead and the content in the first, then one
    skill and one knowledge item a row, as long as either list lasts."""
    if not ct:
        return [[lead] + [""] * (columns - 1)]
    n = max(len(ct["skills"]), len(ct["knowledge"]), 1)
    return [[lead if r == 0 else "", pair(ct["id"], " ", ct["name"]) if r == 0 else "",
             item(ct["skills"], r), item(ct["knowledge"], r)] + [""] * (columns - 4)
            for r in range(n)]


def work_table(t):
    columns = max(4, len(t["header"]))
    head = t["header"] + [""] * (columns - len(t["header"]))
    rows = [head]
    for cap in t["capabilities"]:
        first = pair(cap["id"], ". ", cap["name"])
        for k, ct in enumerate(cap["contents"] or [None]):
            rows += content_rows(first if k == 0 else "", ct, columns)
    return rows


def weight_table(t):
    h = t["header"]
    head = [h[0] if h else "", ""]
    head += [" ".join(x for x in h[1:] + [c["label"]] if x) for c in t["columns"]]
    rows = [head]
    n = len(t["columns"])

    def weights(w):
        return [cell_weight(w[c]) if c < len(w) else "" for c in range(n)]

    for g in t["groups"]:
        for r, row in enumerate(g["rows"]):
            rows.append([g["label"] if r == 0 else "", row["label"]] + weights(row["weights"]))
    rows.append([t["total"]["label"], ""] + weights(t["total"]["weights"]))
    return rows


def weight_tables(d):
    w = d["weights"]
    return [t for sec in w.get("sections", []) for t in sec["tables"]] + \
        w.get("tables", [])


def chain(d, level):
    by_key = {lv["key"]: lv for lv in d["levels"]}
    out = [level]
    while out[-1].get("includes"):
        out.append(by_key[out[-1]["includes"]])
    return out  # the level first, the lowest last


def cumulative_table(d, level):
    tables = {}
    for t in d["work_requirements"]["tables"]:
        tables.setdefault(t["level"], []).append(t)
    branches = {b["key"]: b["name"] for b in d.get("branches", [])}
    levels = chain(d, level)
    head = ["等级"]
    for i in range(1, 4):
        head.append(next((tables[lv["key"]][0]["header"][i] for lv in levels
                          if lv["key"] in tables and i < len(tables[lv["key"]][0]["header"])), ""))
    rows = [head]
    for lv in reversed(levels):
        for t in tables.get(lv["key"], []):
            tag = lv["name"]
            if t.get("branch"):
                tag += "（" + branches[t["branch"]] + "）"
            for cap in t["capabilities"]:
                for ct in cap["contents"]:
                    rows += content_rows(tag, ct, 4)
    return rows


def table_name(t):
    return t.get("number") or t.get("caption") or pair(t["clause"], " ", t["title"])


def expected_tables(d, parts):
    return ([("work table " + table_name(t), work_table(t)) for t in d["work_requirements"]["tables"]] +
            [("weight table " + table_name(t), weight_table(t)) for t in weight_tables(d)] +
            [("cumulative table of " + lv["key"], cumulative_table(d, lv))
             for lv in d["levels"] if "cumulative" in parts])


def clause(level, c):
    return ("h%d" % min(level, 6), pair(c.get("clause", ""), " ", c.get("title", "")))


def expected_blocks(d, parts):
    """Headings, paragraphs and list items in document order, as the
    oracle sees them; the paragraphs of the appendix excepted."""
    out = []

    def heading(level, c):
        # A clause printed under no heading has none.
        if c.get("clause") or c.get("title"):
            out.append(clause(level, c))

    def para(text):
        if text:
            out.append(("p", text))

    def item(x):
        # a) as the group layout prints a bare label; （1） as written.
        label, text = x["label"], x["text"]
        # A paragraph, not a list item.
        if label.isascii() and label.isalnum():
            para(pair(label + ")", " ", text))
        elif label and not label[-1].isascii():
            para(label + text)
        else:
            para(pair(label, " ", text))

    def caption(t):
        para(pair(t.get("number", ""), " ", t.get("caption", "")))

    m = d["meta"]
    # The metadata block, as cmark-gfm renders what it does not know: a
    # rule, then a setext heading of its lines. Only cmark-gfm shows it.
    meta = (["pagetitle: '%s'" % m["title"]["zh"].replace("'", "''")] if m["title"]["zh"] else []) + \
        ["lang: '%s'" % LANG]
    out += [("hr", ""), ("h2", "\n".join(meta))]
    out.append(("h1", m["title"]["zh"]))
    if m.get("edition"):
        para("（" + m["edition"] + "）")
    para(m["title"]["en"])
    if m["status_text"]:
        para("（" + m["status_text"] + "）")
    cover = [(m["kind"], ""), (m["number"], "标准号："), (m.get("ics"), "ICS "), (m.get("ccs"), "CCS "),
             (m["published"], " 发布"), (m["effective"], " 实施"), (m["issuer"], " " + m["issuer_word"] if m.get("issuer_word") else
                             "" if "issuer_word" in m else " 发布")]
    lines = [(v + w if w.startswith(" ") else w + v) for v, w in cover if v]
    para("\n".join(lines))
    n = d.get("notice")
    if n and "notice" in parts:
        out.append(("h2", n["title"]))
        for k in ("number", "addressee"):
            para(n[k])
        for k in ("paragraphs", "contacts", "attachments"):
            for p in n[k]:
                para(p)
        for k in ("signature", "date"):
            para(n[k])
        for p in n["footer"]:
            para(p)
    if m["foreword"] and m.get("foreword_title", "前言"):
        out.append(("h2", m.get("foreword_title", "前言")))
    for p in m["foreword"]:
        para(p)
    if "scope" in d:
        heading(2, d["scope"])
        for p in d["scope"]["paragraphs"]:
            para(p)
    if "normative_references" in d:
        nr = d["normative_references"]
        heading(2, nr)
        for p in nr["paragraphs"] + nr["documents"]:
            para(p)
    if "terms" in d:
        heading(2, d["terms"])
        para(d["terms"]["intro"])
        for t in d["terms"]["entries"]:
            out.append(("h3", pair(pair(t["id"], " ", t["zh"]), " ", t["en"])))
            para(t["definition"])

    def section(s, level):
        heading(level, s)
        para(s.get("intro", ""))
        for x in s.get("items", []):
            item(x)
        para(s.get("text", ""))
        for sub in s.get("sections", []):
            section(sub, level + 1)

    o = d["occupation"]
    heading(2, o)
    if "name_clause" in o:
        heading(3, o["name_clause"])
        para(o["name"])
    for k in ("code", "definition", "levels", "environment", "abilities", "education"):
        if k in o:
            heading(3, o[k])
            para(o[k]["text"])
    if "training" in o:
        section(o["training"], 3)
    heading(3, o["assessment"])
    level = 4
    if "eligibility" in o:
        heading(4, o["eligibility"])
        level = 5
    for e in d["eligibility"]:
        heading(level, e)
        para(e["intro"])
        for r in e["routes"]:
            item(r)
    a = d["assessment"]
    heading(4, a["methods"])
    para(a["methods"]["intro"])
    for x in a["methods"]["items"]:
        item(x)
    for k in ("pass_score", "ratios", "durations"):
        heading(4, a[k])
        para(a[k]["text"])
    heading(4, a["venues"])
    para(a["venues"]["intro"])
    for x in a["venues"]["items"]:
        item(x)

    b = d["basic_requirements"]
    heading(2, b)
    for s in b["sections"]:
        section(s, 3)
    w = d["work_requirements"]
    heading(2, w)
    para(w.get("intro", ""))
    if "general" in w:
        heading(3, w["general"])
        para(w["general"]["text"])
    above = None  # the heading over a level's branch tables, printed once
    for t in w["tables"]:
        h = t.get("heading")
        if h and h != above:
            heading(3, h)
        above = h
        heading(4 if h else 3, t)
        para(t.get("intro", ""))
        caption(t)
    ws = d["weights"]
    heading(2, ws)
    for sec in ws.get("sections", []):
        heading(3, sec)
        for t in sec["tables"]:
            heading(4, t)
            para(t.get("intro", ""))
            caption(t)
    for t in ws.get("tables", []):
        heading(3, t)
        para(t.get("intro", ""))
        caption(t)
    if d["levels"] and "cumulative" in parts:
        out.append(("h2", "累计要求"))
        for lv in d["levels"]:
            out.append(("h3", lv["name"]))
    return out


# ---- running the tools -----------------------------------------------------

def run(cmd, **kw):
    return subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=600, **kw)


def build(skillc, source, outdir, parts):
    args = ["--with=" + ",".join(sorted(parts))] if parts else []
    r = skillc_run.run(skillc, ["build", "--format=md", "-o", outdir] + args + [source])
    if r.returncode:
        sys.exit("FAIL: skillc build exited %d:\n%s" % (r.returncode, r.stderr.decode()))
    names = [n for n in os.listdir(outdir) if n.endswith(".md")]
    if len(names) != 1:
        sys.exit("FAIL: skillc wrote %s into %s" % (names, outdir))
    return os.path.join(outdir, names[0])


def compare_tables(tables, d, parts, where):
    want = expected_tables(d, parts)
    if len(tables) != len(want):
        fail("%s: %d tables, %d expected (%d work, %d weight, %d cumulative)" %
             (where, len(tables), len(want), len(d["work_requirements"]["tables"]),
              len(weight_tables(d)), len(d["levels"])))
    for (what, rows), got in zip(want, tables):
        if len(got) != len(rows):
            fail("%s: %s: %d rows, %d expected" % (where, what, len(got), len(rows)))
        for i, (r, g) in enumerate(zip(rows, got)):
            if r != g:
                fail("%s: %s, row %d:\n  expected %r\n  rendered %r" % (where, what, i, r, g))


def compare_blocks(blocks, d, parts, where, metadata):
    """metadata: whether the renderer shows the metadata block (cmark-gfm)
    or reads it (pandoc)."""
    want = expected_blocks(d, parts)
    if not metadata:
        want = want[2:]
    got = list(blocks)
    # The appendix opens with one paragraph of the emitter's own.
    if d["levels"] and "cumulative" in parts:
        at = want.index(("h2", "累计要求")) + 1
        if at < len(got) and got[at][0] == "p":
            del got[at]
        else:
            fail("%s: the appendix has no introductory paragraph" % where)
    for i, (w, g) in enumerate(zip(want, got)):
        if w != g:
            fail("%s: block %d:\n  expected %r\n  rendered %r" % (where, i, w, g))
            break
    if len(got) != len(want):
        extra = got[len(want):] or want[len(got):]
        fail("%s: %d blocks, %d expected; first extra: %r" %
             (where, len(got), len(want), extra[:3]))


def check_stray(doc, where):
    for tag, attrs in doc.stray:
        fail("%s: the HTML holds <%s %s>: markup leaked out of a text" % (where, tag, attrs))


def pandoc_run(pandoc, args, where):
    """pandoc's stdout, or None when it failed; any warning is a failure."""
    r = run([pandoc] + args)
    if r.returncode or r.stderr:
        fail("%s: pandoc exited %d: %s" % (where, r.returncode, r.stderr.decode()))
    return None if r.returncode else r.stdout


def check_pandoc_html(pandoc, md, reader, d, parts):
    """pandoc -s to HTML: the tables, headings and paragraphs, nothing else
    in the body, and the metadata it read: lang, <title>, no title block."""
    where = "pandoc -f %s -t html" % reader
    out = pandoc_run(pandoc, ["-f", reader, "-t", "html", "-s", "--wrap=none", md], where)
    if out is None:
        return
    doc = Document(ALLOWED | ENVELOPE)
    head, body = out.decode().split("<body>", 1)
    doc.feed(head)  # pandoc's own template: only the title and lang are read
    doc.stray = []
    doc.feed(body)
    doc.close()
    compare_tables(doc.tables, d, parts, where)
    compare_blocks(doc.blocks, d, parts, where, False)
    check_stray(doc, where)
    if doc.lang != LANG:
        fail("%s: <html lang=%r>, %r expected" % (where, doc.lang, LANG))
    if doc.title != d["meta"]["title"]["zh"]:
        fail("%s: <title>%r</title>, %r expected" % (where, doc.title, d["meta"]["title"]["zh"]))


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(el):
    """The text of a paragraph: its runs' text, <w:br/> a line break."""
    out = []
    for e in el.iter():
        if e.tag == W + "t":
            out.append(e.text or "")
        elif e.tag in (W + "br", W + "cr"):
            out.append("\n")
        elif e.tag == W + "tab":
            out.append("\t")
    return "".join(out)


def check_pandoc_docx(pandoc, md, reader, workdir, d, parts):
    """pandoc to DOCX: word/document.xml's tables cell by cell (<w:tc>),
    its headings (Heading1...) and paragraphs; no Title paragraph; the
    language in styles.xml (pandoc 2.17 sets w:val, later versions
    w:eastAsia for a CJK language)."""
    where = "pandoc -f %s -t docx" % reader
    docx = os.path.join(workdir, reader + ".docx")
    if pandoc_run(pandoc, ["-f", reader, "-t", "docx", "-o", docx, md], where) is None:
        return
    with zipfile.ZipFile(docx) as z:
        body = ET.fromstring(z.read("word/document.xml")).find(W + "body")
        styles = ET.fromstring(z.read("word/styles.xml"))
    blocks, tables = [], []
    for el in body:
        if el.tag == W + "p":
            style = el.find(W + "pPr/" + W + "pStyle")
            style = style.get(W + "val") if style is not None else ""
            level = style[len("Heading"):] if style.startswith("Heading") else ""
            tag = "h" + level if level.isdigit() else "title" if style == "Title" else "p"
            blocks.append((tag, docx_text(el)))
        elif el.tag == W + "tbl":
            tables.append([["\n".join(docx_text(p) for p in tc.findall(W + "p"))
                            for tc in tr.findall(W + "tc")] for tr in el.findall(W + "tr")])
    compare_tables(tables, d, parts, where)
    compare_blocks(blocks, d, parts, where, False)
    langs = {(e.get(W + "val"), e.get(W + "eastAsia")) for e in styles.iter(W + "lang")}
    if not any(LANG in attrs for attrs in langs):
        fail("%s: styles.xml marks the text %r, not %s" % (where, sorted(langs), LANG))


def check(skillc, source, workdir, cmark, pandoc, parts):
    """Build source with the parts, render it and compare; the document."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        md = build(skillc, source, os.path.join(tmp, "a"), parts)
        again = build(skillc, source, os.path.join(tmp, "b"), parts)
        data = open(md, "rb").read()
        if data != open(again, "rb").read():
            fail("two builds of %s differ" % source)
        if b"\r" in data or not data.endswith(b"\n") or data.endswith(b"\n\n"):
            fail("the document does not end in exactly one '\\n' or holds a CR")
        r = run([cmark, "-e", "table", "--unsafe", md])
        if r.returncode:
            sys.exit("FAIL: cmark-gfm exited %d: %s" % (r.returncode, r.stderr.decode()))
        doc = Document()
        doc.feed(r.stdout.decode())
        doc.close()
        with open(source, encoding="utf-8") as f:
            d = yaml.safe_load(f)
        compare_tables(doc.tables, d, parts, "cmark-gfm")
        compare_blocks(doc.blocks, d, parts, "cmark-gfm", True)
        check_stray(doc, "cmark-gfm")
        for reader in ("markdown", "gfm"):
            check_pandoc_html(pandoc, md, reader, d, parts)
            check_pandoc_docx(pandoc, md, reader, tmp, d, parts)
    return doc


def main(argv):
    cmark, pandoc = "cmark-gfm", "pandoc"
    while len(argv) > 1 and argv[1] in ("--cmark", "--pandoc"):
        if argv[1] == "--cmark":
            cmark = argv[2]
        else:
            pandoc = argv[2]
        del argv[1:3]
    if len(argv) != 4:
        sys.exit(__doc__)
    skillc, source, workdir = os.path.abspath(argv[1]), argv[2], argv[3]
    os.makedirs(workdir, exist_ok=True)
    # By default, and with every optional part (build --with).
    for parts in (set(), {"notice", "cumulative"}):
        doc = check(skillc, source, workdir, cmark, pandoc, parts)
        if not failures:
            print("ok%s: %d tables, %d blocks of %s match the source (cmark-gfm; pandoc -f markdown, -f gfm to HTML and DOCX)" %
                  (" (--with=%s)" % ",".join(sorted(parts)) if parts else "",
                   len(doc.tables), len(doc.blocks), source))
    for f in failures[:40]:
        print("FAIL:", f)
    if len(failures) > 40:
        print("... and %d more" % (len(failures) - 40))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
