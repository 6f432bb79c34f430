#!/usr/bin/python3
"""Render skillc's Markdown with cmark-gfm and compare it with the source.

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
    table holds every table of its chain, shared and of each branch;
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

<br> reads as a line break; a cell's parts (items, head lines) are joined by
" <br>", so they read as " \\n". Last, 'pandoc -f gfm -t docx' must succeed
and give a non-empty DOCX with as many tables as the HTML has.
With SKILLC_VALGRIND=1 skillc runs under valgrind memcheck.
Exits 0 when everything matches, 1 with the differences when not.
"""
import html.parser
import os
import subprocess
import sys
import tempfile
import zipfile

import yaml

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import skillc_run  # noqa: E402

SEP = " \n"  # how the parts of a cell read back
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "th", "td"}
ALLOWED = BLOCKS | {"table", "thead", "tbody", "tr", "br", "strong"}

failures = []


def fail(msg):
    failures.append(msg)


# ---- the rendered document -------------------------------------------------

class Document(html.parser.HTMLParser):
    """Blocks (tag, text) in order, tables as rows of cells, stray tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.tables, self.stray = [], [], []
        self.text = None      # the open block's text, or None
        self.after_br = False
        self.row = None

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED:
            self.stray.append((tag, attrs))
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


def items_cell(items):
    return SEP.join(pair(i["id"], " ", i["text"]) for i in items)


def content_cells(ct, columns):
    cells = [pair(ct["id"], " ", ct["name"]), items_cell(ct["skills"]),
             items_cell(ct["knowledge"])] if ct else ["", "", ""]
    return cells + [""] * (columns - 4)


def work_table(t):
    columns = max(4, len(t["header"]))
    head = t["header"] + [""] * (columns - len(t["header"]))
    rows = [head]
    for cap in t["capabilities"]:
        first = pair(cap["id"], ". ", cap["name"])
        for k, ct in enumerate(cap["contents"] or [None]):
            rows.append([first if k == 0 else ""] + content_cells(ct, columns))
    return rows


def weight_table(t):
    h = t["header"]
    head = [h[0] if h else "", ""]
    head += ["".join(x + SEP for x in h[1:]) + c["label"] for c in t["columns"]]
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
                    rows.append([tag] + content_cells(ct, 4))
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


def compare_tables(doc, d, parts):
    want = expected_tables(d, parts)
    if len(doc.tables) != len(want):
        fail("%d tables rendered, %d expected (%d work, %d weight, %d cumulative)" %
             (len(doc.tables), len(want), len(d["work_requirements"]["tables"]),
              len(weight_tables(d)), len(d["levels"])))
    for (what, rows), got in zip(want, doc.tables):
        if len(got) != len(rows):
            fail("%s: %d rows rendered, %d expected" % (what, len(got), len(rows)))
        for i, (r, g) in enumerate(zip(rows, got)):
            if r != g:
                fail("%s, row %d:\n  expected %r\n  rendered %r" % (what, i, r, g))


def compare_blocks(doc, d, parts):
    want = expected_blocks(d, parts)
    got = list(doc.blocks)
    # The appendix opens with one paragraph of the emitter's own.
    if d["levels"] and "cumulative" in parts:
        at = want.index(("h2", "累计要求")) + 1
        if at < len(got) and got[at][0] == "p":
            del got[at]
        else:
            fail("the appendix has no introductory paragraph")
    for i, (w, g) in enumerate(zip(want, got)):
        if w != g:
            fail("block %d:\n  expected %r\n  rendered %r" % (i, w, g))
            break
    if len(got) != len(want):
        extra = got[len(want):] or want[len(got):]
        fail("%d blocks rendered, %d expected; first extra: %r" %
             (len(got), len(want), extra[:3]))


def check_docx(pandoc, md, workdir, tables):
    docx = os.path.join(workdir, "x.docx")
    r = run([pandoc, "-f", "gfm", "-t", "docx", "-o", docx, md])
    if r.returncode:
        fail("pandoc exited %d: %s" % (r.returncode, r.stderr.decode()))
        return
    if not os.path.exists(docx) or not os.path.getsize(docx):
        fail("pandoc wrote no DOCX")
        return
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode()
    if xml.count("<w:tbl>") != tables:
        fail("the DOCX has %d tables, the HTML %d" % (xml.count("<w:tbl>"), tables))


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
        compare_tables(doc, d, parts)
        compare_blocks(doc, d, parts)
        for tag, attrs in doc.stray:
            fail("the HTML holds <%s %s>: markup leaked out of a text" % (tag, attrs))
        check_docx(pandoc, md, workdir, len(doc.tables))
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
            print("ok%s: %d tables, %d blocks of %s match the source" %
                  (" (--with=%s)" % ",".join(sorted(parts)) if parts else "",
                   len(doc.tables), len(doc.blocks), source))
    for f in failures[:40]:
        print("FAIL:", f)
    if len(failures) > 40:
        print("... and %d more" % (len(failures) - 40))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
