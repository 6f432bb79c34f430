#!/usr/bin/python3
"""Read skillc's Word document with python-docx and LibreOffice, compare with the source.

usage: check_docx.py [--soffice PROG] [--pdftotext PROG] [--pdftoppm PROG]
                     SKILLC SOURCE.yaml WORKDIR

Builds SOURCE.yaml with 'SKILLC build --format=docx', once by default and
once with --with=notice,cumulative (the covering notice and the cumulative
appendix are there only when asked for), and checks each document against
the source loaded with PyYAML, an independent oracle, and against the
words of schema/document-words.yaml:

  1. the bytes: two builds, a build with TZ=Pacific/Kiritimati LC_ALL=C
     and one with TZ=America/St_Johns LC_ALL=C.UTF-8 LANG=zh_CN.UTF-8
     under umask 077 give the same file. The package: its members in
     their fixed order, each deflated and dated 1980-01-01 00:00 (in the
     central directory and in its local header), with no extra field and
     a good CRC; every part well-formed XML with a content type; every
     relationship's target a member.
  2. python-docx reads it back (0.8.11, Debian 12's): the body, paragraph
     by paragraph in order with its style: the cover (ICS, CCS, kind,
     number, titles, edition and status in their brackets), the table of
     contents, the notice, the foreword, every heading ("clause title",
     Heading1 for a chapter, a level deeper a style deeper, to Heading5;
     FrontHeading for the foreword, notice and appendix), every paragraph,
     labelled items "a)\\ttext" in style Item (a bare letter or digit label
     takes ")", any other is printed as written), table captions, and the
     page and section breaks: the cover a section without page numbers
     whose footer (doc.sections[0].footer) holds the dates and the issuer,
     the front matter numbered I, II..., the chapters 1, 2...; A4. The
     tables, one per work table and weight table in source order (and one
     per level with --with=cumulative): every row and cell (w:tc) with its
     column span, vertical merge and paragraphs, every skill and knowledge
     item a paragraph "id text" of its own; 职业功能 merged down exactly
     the rows of its work contents (w:vMerge restart, then continue), a
     weight table's header[0] over the two label columns and down its
     head rows, each further head over all weight columns, then the
     column labels; group labels merged down their rows; "—" where the
     source prints it; totals; head rows marked w:tblHeader; and the same
     through python-docx's grid (table.cell(r, c): merged cells are one
     cell). The table of contents (w:hyperlink, which python-docx does not
     show: read from the XML): one entry per chapter and level-2 clause
     (and front heading), in order, each a link to its heading's bookmark
     with a PAGEREF to it, all inside one TOC field. The core properties'
     title and language; styles.xml's East Asian fonts of the body and
     heading styles and the zh-CN language mark.
  3. LibreOffice (soffice --headless --convert-to pdf, a private profile)
     converts it without error, and pdftotext finds in the PDF every
     paragraph, heading, cover line and cell paragraph (whitespace
     removed, since lines wrap, in document order for the paragraphs).
  4. lo_update.py (python3-uno) opens the --with=notice,cumulative
     document in LibreOffice, updates its indexes and fields and exports
     PDF: the table of contents lists every entry with a page number,
     front matter in Roman numerals then the chapters in ascending
     numbers, and each heading stands on the page its entry names.
     The pages of that PDF are rendered (pdftoppm -r 60) into
     WORKDIR/pages/ for a reviewer to look at; nothing is asserted on them.

For proving that the checks can fail: '--check-file DOCX [--with=PARTS]'
checks an existing document, built with those parts (the package, then
2 to 4), instead of building one; SKILLC is not run.
With SKILLC_VALGRIND=1 skillc runs under valgrind memcheck (but the two
builds in another environment, which run it directly).
Exits 0 when everything matches, 1 with the differences when not.
"""
import os
import pathlib
import re
import shutil
import signal
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import docx
import yaml
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import skillc_run  # noqa: E402

WORDS_FILE = os.path.join(os.path.dirname(os.path.dirname(HERE)), "schema", "document-words.yaml")

# The package's members, in the order they are stored.
MEMBERS = [
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "word/styles.xml",
    "word/settings.xml",
    "word/header1.xml",
    "word/footer1.xml",
    "word/footer2.xml",
]
DOS_EPOCH = (1980, 1, 1, 0, 0, 0)

# The builds in another environment: the zone furthest ahead of UTC, one
# at a half hour behind it, another locale, another umask.
ENVIRONMENTS = [
    ({"TZ": "Pacific/Kiritimati", "LC_ALL": "C"}, None),
    ({"TZ": "America/St_Johns", "LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, 0o077),
]

failures = []


def fail(msg):
    failures.append(msg)


def words():
    with open(WORDS_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


# ---- what the source says ------------------------------------------------

def pair(a, sep, b):
    return a + (sep if a and b else "") + b


def bare_label(label):
    return label.isascii() and label.isalnum()


def cell(paras, span=1, merge=None):
    """A cell: its paragraphs' texts, its column span, its vertical merge
    (None, "restart" or "continue"; a continued cell holds one empty
    paragraph)."""
    return {"paras": [""] if merge == "continue" else paras, "span": span, "merge": merge}


def items_cell(items):
    return cell([pair(x["id"], " ", x["text"]) for x in items] or [""])


def content_cells(ct, columns):
    """A work content's cells after the first: name, skills, knowledge."""
    if ct is None:
        return [cell([""]) for _ in range(columns - 1)]
    return ([cell([pair(ct["id"], " ", ct["name"])]), items_cell(ct["skills"]),
             items_cell(ct["knowledge"])] + [cell([""]) for _ in range(columns - 4)])


def work_table(t):
    """Head row, then per capability its contents a row each, the
    capability's cell merged down them."""
    columns = max(4, len(t["header"]))
    head = t["header"] + [""] * (columns - len(t["header"]))
    rows = [(True, [cell([h]) for h in head])]
    for cap in t["capabilities"]:
        n = len(cap["contents"])
        for k in range(max(n, 1)):
            merge = None if n < 2 else "restart" if k == 0 else "continue"
            first = cell([pair(cap["id"], ". ", cap["name"])], merge=merge)
            rows.append((False, [first] + content_cells(cap["contents"][k] if n else None, columns)))
    return columns, rows


def weight_text(w):
    return w if isinstance(w, str) else str(w)  # "—" stays "—"


def weight_table(t):
    """header[0] over the label columns and down the head rows, each
    further head over the weight columns, then the columns' labels; the
    groups, their label merged down their rows; the total."""
    h, n = t["header"], len(t["columns"])
    corner = h[0] if h else ""
    heads = max(len(h), 1)
    rows = []
    for r in range(heads):
        merge = None if heads < 2 else "restart" if r == 0 else "continue"
        row = [cell([corner], 2, merge)]
        if r + 1 < heads:
            row.append(cell([h[r + 1]], n))
        else:
            row += [cell([c["label"]]) for c in t["columns"]]
        rows.append((True, row))

    def weights(w):
        return [cell([weight_text(w[c]) if c < len(w) else ""]) for c in range(n)]

    for g in t["groups"]:
        for r, row in enumerate(g["rows"]):
            merge = None if len(g["rows"]) < 2 else "restart" if r == 0 else "continue"
            rows.append((False, [cell([g["label"]], 1, merge), cell([row["label"]])] +
                         weights(row["weights"])))
    rows.append((False, [cell([t["total"]["label"]], 2)] + weights(t["total"]["weights"])))
    return 2 + n, rows


def weight_tables(d):
    w = d["weights"]
    return [t for sec in w.get("sections", []) for t in sec["tables"]] + w.get("tables", [])


def chain(d, level):
    """The level and those it includes, the level first."""
    by_key = {lv["key"]: lv for lv in d["levels"]}
    out = [level]
    while out[-1].get("includes"):
        out.append(by_key[out[-1]["includes"]])
    return out


def cumulative_table(d, level, w):
    """Every work content along the level's chain, lowest level first, a
    row each, tagged with the level (and branch) of its table; the heads
    those of the table nearest the level."""
    tables = {}
    for t in d["work_requirements"]["tables"]:
        tables.setdefault(t["level"], []).append(t)
    branches = {b["key"]: b["name"] for b in d.get("branches", [])}
    levels = chain(d, level)
    head = [w["cumulative_level"]]
    for i in range(1, 4):
        head.append(next((tables[lv["key"]][0]["header"][i] for lv in levels
                          if lv["key"] in tables and i < len(tables[lv["key"]][0]["header"])), ""))
    rows = [(True, [cell([x]) for x in head])]
    for lv in reversed(levels):
        for t in tables.get(lv["key"], []):
            tag = lv["name"]
            if t.get("branch"):
                tag += w["cumulative_branch_open"] + branches[t["branch"]] + w["cumulative_branch_close"]
            for cap in t["capabilities"]:
                for ct in cap["contents"]:
                    rows.append((False, [cell([tag])] + content_cells(ct, 4)))
    return 4, rows


def table_name(t):
    return t.get("number") or t.get("caption") or pair(t["clause"], " ", t["title"])


class Expected:
    """The document as the source and the layout make it: the body's
    blocks in order, ("p", style, text), ("table",), ("break",) or
    ("section", page number format); the tables (name, columns, rows);
    the table of contents' entries (style, text); the cover's foot."""

    def __init__(self, d, parts, w):
        self.w = w
        self.blocks, self.tables, self.toc = [], [], []
        self.cover(d["meta"])
        cover, self.blocks = self.blocks, []
        self.document(d, parts)
        # The table of contents, once the headings are known: an entry is
        # its heading's text and a tab (then the page number's field); a
        # document without headings has an empty field in a paragraph.
        toc = [("p", style, text + "\t") for style, text in self.toc] or [("p", "Normal", "")]
        self.blocks = (cover + [("section", None), ("p", "TOCHeading", w["toc_title"])] + toc +
                       self.blocks)

    def para(self, style, text):
        if text:
            self.blocks.append(("p", style, text))

    def item(self, x):
        label, text = x["label"], x["text"]
        if label or text:
            self.blocks.append(("p", "Item" if label else "Body",
                                label + (")" if bare_label(label) else "") +
                                ("\t" if label and text else "") + text))

    def heading(self, level, c, style=None):
        text = pair(c.get("clause", ""), " ", c.get("title", ""))
        if not text:
            return
        style = style or "Heading%d" % min(level, 5)
        self.blocks.append(("p", style, text))
        if level <= 2:
            self.toc.append(("TOC1" if level == 1 else "TOC2", text))

    def front_heading(self, title):
        self.heading(1, {"title": title}, "FrontHeading")

    def table(self, name, spec):
        self.blocks.append(("table",))
        self.tables.append((name,) + spec)
        self.blocks.append(("p", "TableAfter", ""))

    def cover(self, m):
        w = self.w
        for style, before, value, after in [
                ("CoverCode", w["cover_ics_before"], m.get("ics", ""), ""),
                ("CoverCode", w["cover_ccs_before"], m.get("ccs", ""), ""),
                ("CoverKind", "", m["kind"], ""),
                ("CoverNumber", "", m["number"], ""),
                ("CoverRule", "", None, ""),
                ("CoverTitle", "", m["title"]["zh"], ""),
                ("CoverEdition", w["edition_open"], m.get("edition", ""), w["edition_close"]),
                ("CoverTitleEn", "", m["title"]["en"], ""),
                ("CoverStatus", w["status_open"], m["status_text"], w["status_close"])]:
            if value is None:
                self.blocks.append(("p", style, ""))
            elif value:
                self.blocks.append(("p", style, before + value + after))
        # The foot of the cover: its section's footer.
        self.number = m["number"]
        self.foot = []
        pub, eff = m["published"], m["effective"]
        if pub or eff:
            self.foot.append(("CoverDates", (pub + w["cover_published_after"] if pub else "") + "\t" +
                              (eff + w["cover_effective_after"] if eff else "")))
        issuer = m["issuer"]
        if issuer and "issuer_word" in m:
            issuer = pair(issuer, " ", m["issuer_word"])
        elif issuer:
            issuer += w["cover_issuer_after"]
        self.foot.append(("CoverIssuer", issuer))

    def section(self, s, level):
        self.heading(level, s)
        self.para("Body", s.get("intro", ""))
        for x in s.get("items", []):
            self.item(x)
        self.para("Body", s.get("text", ""))
        for sub in s.get("sections", []):
            self.section(sub, level + 1)

    def document(self, d, parts):
        w, m = self.w, d["meta"]
        n = d.get("notice")
        if n and "notice" in parts:
            self.front_heading(n["title"])
            self.para("Plain", n["number"])
            self.para("Plain", n["addressee"])
            for k in ("paragraphs", "contacts", "attachments"):
                for p in n[k]:
                    self.para("Body", p)
            self.para("Signature", n["signature"])
            self.para("Signature", n["date"])
            for p in n["footer"]:
                self.para("Body", p)
        if m["foreword"]:
            self.front_heading(m.get("foreword_title", w["foreword"]))
            for p in m["foreword"]:
                self.para("Body", p)
        self.blocks.append(("section", "upperRoman"))

        if "scope" in d:
            self.heading(1, d["scope"])
            for p in d["scope"]["paragraphs"]:
                self.para("Body", p)
        if "normative_references" in d:
            nr = d["normative_references"]
            self.heading(1, nr)
            for p in nr["paragraphs"] + nr["documents"]:
                self.para("Body", p)
        if "terms" in d:
            self.heading(1, d["terms"])
            self.para("Body", d["terms"]["intro"])
            for t in d["terms"]["entries"]:
                self.blocks.append(("p", "TermId", t["id"]))
                self.blocks.append(("p", "Term", pair(t["zh"], " ", t["en"])))
                self.para("Body", t["definition"])

        o = d["occupation"]
        self.heading(1, o)
        if "name_clause" in o:
            self.heading(2, o["name_clause"])
            self.para("Body", o["name"])
        for k in ("code", "definition", "levels", "environment", "abilities", "education"):
            if k in o:
                self.heading(2, o[k])
                self.para("Body", o[k]["text"])
        if "training" in o:
            self.section(o["training"], 2)
        self.heading(2, o["assessment"])
        level = 3
        if "eligibility" in o:
            self.heading(3, o["eligibility"])
            level = 4
        for e in d["eligibility"]:
            self.heading(level, e)
            self.para("Body", e["intro"])
            for r in e["routes"]:
                self.item(r)
        a = d["assessment"]
        self.heading(3, a["methods"])
        self.para("Body", a["methods"]["intro"])
        for x in a["methods"]["items"]:
            self.item(x)
        for k in ("pass_score", "ratios", "durations"):
            self.heading(3, a[k])
            self.para("Body", a[k]["text"])
        self.heading(3, a["venues"])
        self.para("Body", a["venues"]["intro"])
        for x in a["venues"]["items"]:
            self.item(x)

        b = d["basic_requirements"]
        self.heading(1, b)
        for s in b["sections"]:
            self.section(s, 2)

        wr = d["work_requirements"]
        self.heading(1, wr)
        self.para("Body", wr.get("intro", ""))
        if "general" in wr:
            self.heading(2, wr["general"])
            self.para("Body", wr["general"]["text"])
        above = None  # the heading over a level's branch tables, printed once
        for t in wr["tables"]:
            h = t.get("heading")
            if h and not (above and (above["clause"], above["title"]) == (h["clause"], h["title"])):
                self.heading(2, h)
            above = h
            self.heading(3 if h else 2, t)
            self.para("Body", t.get("intro", ""))
            self.para("Caption", pair(t.get("number", ""), " ", t.get("caption", "")))
            self.table("work table " + table_name(t), work_table(t))

        ws = d["weights"]
        self.heading(1, ws)

        def weight(t, level):
            self.heading(level, t)
            self.para("Body", t.get("intro", ""))
            self.para("Caption", pair(t.get("number", ""), " ", t.get("caption", "")))
            self.table("weight table " + table_name(t), weight_table(t))

        for sec in ws.get("sections", []):
            self.heading(2, sec)
            for t in sec["tables"]:
                weight(t, 3)
        for t in ws.get("tables", []):
            weight(t, 2)

        if d["levels"] and "cumulative" in parts:
            self.front_heading(w["cumulative_title"])
            self.blocks.append(("p", "Body", w["cumulative_intro"]))
            for lv in d["levels"]:
                self.para("Caption", lv["name"])
                self.table("cumulative table of " + lv["key"], cumulative_table(d, lv, w))

    def texts(self, toc=True):
        """Every text the document prints, in order: the cover, its foot,
        the body's paragraphs (the TOC's entries only if toc); then every
        cell paragraph."""
        cover = self.blocks.index(("section", None))
        out = ([b[2] for b in self.blocks[:cover] if b[0] == "p"] + [t for _, t in self.foot] +
               [b[2] for b in self.blocks[cover:] if b[0] == "p" and
                (toc or b[1] not in ("TOC1", "TOC2"))])
        cells = [p for _, _, rows in self.tables for _, row in rows for c in row for p in c["paras"]]
        return out, cells


# ---- the package -----------------------------------------------------------

def check_package(path):
    """Members, order, dates, compression, CRCs; well-formed XML parts with
    content types; relationships that resolve."""
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        names = [i.filename for i in infos]
        if names != MEMBERS:
            fail("package: members %r, expected %r" % (names, MEMBERS))
        bad = z.testzip()
        if bad:
            fail("package: bad CRC in %s" % bad)
        raw = open(path, "rb").read()
        for i in infos:
            if i.date_time != DOS_EPOCH:
                fail("package: %s dated %r in the central directory, not 1980-01-01 00:00" %
                     (i.filename, i.date_time))
            if i.compress_type != zipfile.ZIP_DEFLATED:
                fail("package: %s stored with method %d, not deflated" % (i.filename, i.compress_type))
            if i.extra:
                fail("package: %s has an extra field %r (a time stamp?)" % (i.filename, i.extra))
            sig, _, _, _, t, dt = struct.unpack_from("<IHHHHH", raw, i.header_offset)
            extra_len = struct.unpack_from("<H", raw, i.header_offset + 28)[0]
            if sig != 0x04034b50 or (t, dt) != (0, 0x21) or extra_len:
                fail("package: %s's local header: signature %#x, time %#x, date %#x, "
                     "%d bytes of extra field" % (i.filename, sig, t, dt, extra_len))
        parts = {}
        for n in names:
            try:
                parts[n] = ET.fromstring(z.read(n))
            except ET.ParseError as e:
                fail("package: %s is not well-formed XML: %s" % (n, e))
    if "[Content_Types].xml" not in parts:
        return
    ct = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    types = parts["[Content_Types].xml"]
    defaults = {e.get("Extension") for e in types.iter(ct + "Default")}
    overrides = {e.get("PartName") for e in types.iter(ct + "Override")}
    for n in names:
        if n != "[Content_Types].xml" and "/" + n not in overrides and n.rsplit(".", 1)[-1] not in defaults:
            fail("package: %s has no content type" % n)
    for o in overrides:
        if o[1:] not in names:
            fail("package: [Content_Types].xml names %s, which is not in the package" % o)
    rel = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    for rels, base in (("_rels/.rels", ""), ("word/_rels/document.xml.rels", "word/")):
        for r in parts.get(rels, ET.Element("x")).iter(rel + "Relationship"):
            if base + r.get("Target") not in names:
                fail("package: %s's %s points to %s, which is not in the package" %
                     (rels, r.get("Id"), r.get("Target")))


# ---- the document, read back ----------------------------------------------

def xml_text(el):
    """All the text under an element, as python-docx reads a run: w:t,
    w:tab a tab, w:br and w:cr a line break."""
    out = []
    for e in el.iter():
        if e.tag == qn("w:t"):
            out.append(e.text or "")
        elif e.tag == qn("w:tab") and e.getparent().tag == qn("w:r"):
            out.append("\t")
        elif e.tag in (qn("w:br"), qn("w:cr")):
            out.append("\n")
    return "".join(out)


def style_of(p):
    """The paragraph's style's id, as python-docx resolves it (an id
    styles.xml does not define reads as the default style). The names of
    the built-in styles are Word's ("heading 1", "toc 1"): check_styles
    checks those."""
    return p.style.style_id


def read_body(doc):
    """The body's blocks in the form Expected gives them, the tables,
    the paragraphs, and the final sectPr."""
    blocks, tables, paras, final = [], [], [], None
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:p"):
            p = Paragraph(el, doc._body)
            sect = el.find(qn("w:pPr") + "/" + qn("w:sectPr"))
            if sect is not None:
                fmt = sect.find(qn("w:pgNumType"))
                blocks.append(("section", None if fmt is None else fmt.get(qn("w:fmt"))))
                if xml_text(el):
                    fail("document: a section break holds text %r" % xml_text(el))
            elif el.find(".//" + qn("w:br") + "[@" + qn("w:type") + "='page']") is not None:
                blocks.append(("break",))
                if xml_text(el) != "\n" or el.find(qn("w:pPr")) is not None:
                    fail("document: a page break holds text or a style: %r" % xml_text(el))
            else:
                style = style_of(p)
                text = p.text
                if style in ("TOC1", "TOC2"):
                    text = xml_text(el)
                elif xml_text(el) != text:
                    fail("document: a %s paragraph holds text python-docx does not show: %r, "
                         "python-docx reads %r" % (style, xml_text(el), text))
                blocks.append(("p", style, text))
                paras.append(p)
        elif el.tag == qn("w:tbl"):
            blocks.append(("table",))
            tables.append(Table(el, doc._body))
        elif el.tag == qn("w:sectPr"):
            final = el
        else:
            fail("document: the body holds a <%s>" % el.tag)
    if final is None or doc.element.body[-1] is not final:
        fail("document: the body does not end with its section's properties")
    return blocks, tables, paras


def compare_blocks(got, want):
    for i, (w, g) in enumerate(zip(want, got)):
        if w != g:
            fail("document: block %d:\n  expected %r\n  read     %r\n  after    %r" %
                 (i, w, g, want[max(0, i - 2):i]))
            break
    if len(got) != len(want):
        extra = got[len(want):] or want[len(got):]
        fail("document: %d blocks, %d expected; first extra: %r" % (len(got), len(want), extra[:3]))


def is_on(el, tag):
    """Whether a toggle property (w:tblHeader) is set in el."""
    e = el.find(qn(tag)) if el is not None else None
    return e is not None and e.get(qn("w:val"), "true") in ("true", "1", "on")


def compare_table(table, name, columns, rows):
    where = "table %s" % name
    tbl = table._tbl
    grid = tbl.find(qn("w:tblGrid"))
    ncols = len(grid.findall(qn("w:gridCol"))) if grid is not None else 0
    if ncols != columns:
        fail("%s: %d grid columns, %d expected" % (where, ncols, columns))
        return
    trs = tbl.tr_lst
    if len(trs) != len(rows):
        fail("%s: %d rows, %d expected" % (where, len(trs), len(rows)))
    bad = 0
    for r, (tr, (head, want)) in enumerate(zip(trs, rows)):
        if is_on(tr.trPr, "w:tblHeader") != head:
            fail("%s, row %d: %s as a head row (w:tblHeader), expected %s" %
                 (where, r, "marked" if not head else "not marked", "one" if head else "not"))
        got = []
        for tc in tr.tc_lst:
            c = _Cell(tc, table)
            merge = tc.vMerge  # None, "restart" or "continue"
            got.append({"paras": [p.text for p in c.paragraphs], "span": tc.grid_span,
                        "merge": merge})
            for p in c.paragraphs:
                if xml_text(p._p) != p.text:
                    fail("%s, row %d: a cell paragraph holds text python-docx does not show: %r" %
                         (where, r, xml_text(p._p)))
        if got != want:
            bad += 1
            if bad <= 3:
                fail("%s, row %d:\n  expected %r\n  read     %r" % (where, r, want, got))
        if sum(c["span"] for c in got) != columns:
            fail("%s, row %d: its cells span %d columns of %d" %
                 (where, r, sum(c["span"] for c in got), columns))
    if bad > 3:
        fail("%s: and %d more rows differ" % (where, bad - 3))
    if bad or len(trs) != len(rows):
        return
    # The grid as python-docx presents it: a merged cell is one cell
    # wherever it stands, holding the text of its first row.
    origin, text = {}, {}
    for r, (_, row) in enumerate(rows):
        c0 = 0
        for k, c in enumerate(row):
            for s in range(c["span"]):
                key = origin[(r - 1, c0)] if c["merge"] == "continue" else (r, k)
                origin[(r, c0 + s)] = key
            if c["merge"] != "continue":
                text[(r, k)] = "\n".join(c["paras"])
            c0 += c["span"]
    # table.cell(r, c) makes its cells anew on each call: take them once,
    # as it does (a merged cell is one _Cell wherever it stands).
    grid = table._cells
    if len(grid) != len(rows) * columns:
        fail("%s: python-docx sees %d cells, %d expected" % (where, len(grid), len(rows) * columns))
        return
    seen, keys = {}, {}
    for (r, c), key in sorted(origin.items()):
        got = grid[r * columns + c]
        if got.text != text[key]:
            fail("%s: python-docx's cell(%d, %d) reads %r, expected %r" % (where, r, c, got.text, text[key]))
        if seen.setdefault(key, got) is not got:
            fail("%s: python-docx's cell(%d, %d) is not the cell merged over it" % (where, r, c))
        keys.setdefault(id(got), set()).add(key)
    for k in keys.values():
        if len(k) > 1:
            fail("%s: python-docx merges cells %r, which the source keeps apart" % (where, sorted(k)))


def compare_toc(doc, want):
    """The entries' links and PAGEREFs: each to its heading's bookmark,
    all inside one TOC field."""
    body = doc.element.body
    marks = {}
    for p in body.iter(qn("w:p")):
        for b in p.findall(qn("w:bookmarkStart")):
            name = b.get(qn("w:name"))
            if name in marks:
                fail("document: bookmark %s twice" % name)
            marks[name] = p
    entries = [p for p in body.iter(qn("w:p"))
               if style_of(Paragraph(p, doc._body)) in ("TOC1", "TOC2")]
    heads = [p for p in body.iter(qn("w:p"))
             if style_of(Paragraph(p, doc._body)).startswith(("Heading", "FrontHeading"))]
    toc_heads = [p for p in heads
                 if style_of(Paragraph(p, doc._body)) in ("Heading1", "Heading2", "FrontHeading")]
    for p in heads:
        if p.find(qn("w:bookmarkStart")) is None:
            fail("document: heading %r has no bookmark" % xml_text(p))
    if len(entries) != len(want):
        return  # compare_blocks reported it
    for i, (p, h) in enumerate(zip(entries, toc_heads)):
        links = p.findall(qn("w:hyperlink"))
        if len(links) != 1:
            fail("table of contents, entry %d: %d links" % (i, len(links)))
            continue
        anchor = links[0].get(qn("w:anchor"))
        if marks.get(anchor) is not h:
            fail("table of contents, entry %d (%r) links to %r, not to its heading %r" %
                 (i, xml_text(p), anchor, xml_text(h)))
        instr = "".join(e.text or "" for e in links[0].iter(qn("w:instrText"))).split()
        if instr != ["PAGEREF", anchor, "\\h"]:
            fail("table of contents, entry %d: page field %r" % (i, instr))
        if xml_text(links[0]) != xml_text(p):
            fail("table of contents, entry %d: text outside its link" % i)
    # One TOC field around all of them, each PAGEREF nested inside it.
    depth, opened, instr = 0, [], ""
    for p in entries:
        for e in p.iter(qn("w:fldChar"), qn("w:instrText")):
            if e.tag == qn("w:instrText"):
                if depth == 1 and not opened[-1]:
                    instr += e.text or ""
                continue
            kind = e.get(qn("w:fldCharType"))
            if kind == "begin":
                depth += 1
                opened.append(False)
            elif kind == "separate":
                opened[-1] = True
            elif kind == "end":
                depth -= 1
                opened.pop()
            if depth < 0 or (depth == 0 and e is not list(entries[-1].iter(qn("w:fldChar")))[-1]):
                fail("table of contents: its field closes before its last entry")
                return
    if depth or not re.fullmatch(r'\s*TOC\s+\\o\s+"1-2"\s+\\h\s+\\u\s*', instr):
        fail("table of contents: field %r, depth %d at its end" % (instr, depth))


def check_sections(doc, expected):
    secs = doc.sections
    if len(secs) != 3:
        fail("document: %d sections, 3 expected (cover, front matter, chapters)" % len(secs))
        return
    for i, s in enumerate(secs):
        if (s.page_width.twips, s.page_height.twips) != (11906, 16838):
            fail("section %d: page %dx%d twips, not A4" % (i, s.page_width.twips, s.page_height.twips))
    foot = [(style_of(p), p.text) for p in secs[0].footer.paragraphs]
    if foot != expected.foot:
        fail("the cover's footer: %r, expected %r" % (foot, expected.foot))
    for i in (1, 2):
        head = [(style_of(p), p.text) for p in secs[i].header.paragraphs]
        if secs[i].header.is_linked_to_previous or head != [("Header", expected.number)]:
            fail("section %d: its header %r, expected the document's number %r"
                 % (i, head, expected.number))
        f = secs[i].footer
        if f.is_linked_to_previous:
            fail("section %d: no footer of its own" % i)
            continue
        instr = "".join(e.text or "" for e in f._element.iter(qn("w:instrText"))).split()
        if instr != ["PAGE"]:
            fail("section %d: its footer's field is %r, not the page number" % (i, instr))
    for i, fmt in ((0, None), (1, "upperRoman"), (2, "decimal")):
        n = secs[i]._sectPr.find(qn("w:pgNumType"))
        got = None if n is None else (n.get(qn("w:fmt")), n.get(qn("w:start")))
        if got != (None if fmt is None else (fmt, "1")):
            fail("section %d: page numbers %r, expected %r from 1" % (i, got, fmt))


def check_styles(doc, w, d):
    """The core properties; the East Asian fonts and language of styles.xml."""
    cp = doc.core_properties
    if cp.title != d["meta"]["title"]["zh"]:
        fail("core properties: title %r, expected %r" % (cp.title, d["meta"]["title"]["zh"]))
    if cp.language != w["language"]:
        fail("core properties: language %r, expected %r" % (cp.language, w["language"]))
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    lang = rpr.find(qn("w:lang")) if rpr is not None else None
    got = None if lang is None else (lang.get(qn("w:val")), lang.get(qn("w:eastAsia")))
    if got != (w["language_latin"], w["language"]):
        fail("styles.xml: the default language %r, expected %r" % (got, (w["language_latin"], w["language"])))
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}

    def east_asian(sid):
        """The East Asian font a style gives its text: its own, its base's,
        or the document's default."""
        seen = set()
        while sid in by_id and sid not in seen:
            seen.add(sid)
            f = by_id[sid].find(qn("w:rPr") + "/" + qn("w:rFonts"))
            if f is not None and f.get(qn("w:eastAsia")):
                return f.get(qn("w:eastAsia"))
            based = by_id[sid].find(qn("w:basedOn"))
            sid = based.get(qn("w:val")) if based is not None else None
        f = rpr.find(qn("w:rFonts")) if rpr is not None else None
        return f.get(qn("w:eastAsia")) if f is not None else None

    # The body's text in the body font; headings, captions and table
    # heads in the heading font.
    for font, ids in ((w["font_body"], ("Normal", "Body", "Item", "Plain", "TableText",
                                        "TableNumber", "TOC1", "TOC2")),
                      (w["font_heading"], ("Heading1", "Heading2", "Heading3", "Heading4",
                                           "Heading5", "FrontHeading", "TOCHeading", "Caption",
                                           "TableHead"))):
        for sid in ids:
            if east_asian(sid) != font:
                fail("styles.xml: %s sets East Asian text in %r, expected %r" % (sid, east_asian(sid), font))
    # The styles Word and LibreOffice have built in go by the names they
    # know them by, so that a table of contents they make uses them.
    builtin = {"Heading%d" % i: "heading %d" % i for i in range(1, 6)}
    builtin.update(TOC1="toc 1", TOC2="toc 2", TOCHeading="TOC Heading",
                   Caption="caption", Header="header", Footer="footer")
    for sid, name in builtin.items():
        n = by_id[sid].find(qn("w:name")) if sid in by_id else None
        if n is None or n.get(qn("w:val")) != name:
            fail("styles.xml: style %s is not named %r" % (sid, name))
    # The notice, the foreword and the appendix each start a page.
    front = by_id.get("FrontHeading")
    if front is None or front.find(qn("w:pPr") + "/" + qn("w:pageBreakBefore")) is None:
        fail("styles.xml: FrontHeading does not start a page")
    for p in doc.element.body.iter(qn("w:pStyle")):
        if p.get(qn("w:val")) not in by_id:
            fail("document: style %r is not in styles.xml" % p.get(qn("w:val")))
            break


def check_document(path, d, parts, w):
    """2: python-docx reads every paragraph, cell and property back."""
    expected = Expected(d, parts, w)
    try:
        doc = docx.Document(path)
    except Exception as e:  # whatever python-docx raises on a bad package
        fail("python-docx cannot open %s: %s: %s" % (path, type(e).__name__, e))
        return expected, 0, 0
    blocks, tables, _ = read_body(doc)
    compare_blocks(blocks, expected.blocks)
    if len(tables) != len(expected.tables):
        fail("document: %d tables, %d expected" % (len(tables), len(expected.tables)))
    for t, (name, columns, rows) in zip(tables, expected.tables):
        compare_table(t, name, columns, rows)
    compare_toc(doc, expected.toc)
    check_sections(doc, expected)
    check_styles(doc, w, d)
    return expected, len(blocks), len(tables)


# ---- LibreOffice -------------------------------------------------------------

def run(cmd, timeout=240, **kw):
    """cmd in a process group of its own, which is killed if it outlasts
    timeout (soffice's launcher leaves soffice.bin behind otherwise)."""
    with subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, start_new_session=True, **kw) as p:
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)  # p is not reaped: the group is its
            out, err = p.communicate()
            err += b"\n(killed after %d s)" % timeout
        return subprocess.CompletedProcess(cmd, p.returncode, out, err)


def squeeze(s):
    return "".join(s.split())


# The page's foot, in points from its top: below the text area (A4,
# 16838 twips high, a bottom margin of 1134), where the page number stands.
FOOT_Y = 788
# Its head, where the document's number stands: above the text area (a top
# margin of 1418 twips, 70.9 pt; the header 851 twips, 42.5 pt, from the
# top).
HEAD_Y = 62
XHTML = "{http://www.w3.org/1999/xhtml}"


# Words further apart than this on a line (in points) stand in different
# cells: two cell margins of 85 twips are 8.5 pt, a space of 9 pt text
# is 3 pt.
CELL_GAP = 6


class Page:
    """A page of the PDF: its text between its head and its foot, a line of words a
    line, in pdftotext's reading order; the same words as runs of the
    line that stand together, each under the left edge it starts at
    (a left-aligned cell's lines share one: its text reads down them,
    where pdftotext can join the lines of two cells side by side); the
    page number in its foot, None where it has none."""

    def __init__(self, el):
        text, foot, self.columns = [], [], {}
        for line in el.iter(XHTML + "line"):
            words = [(float(w.get("xMin")), float(w.get("xMax")), w.text or "")
                     for w in line.findall(XHTML + "word")
                     if HEAD_Y <= float(w.get("yMin")) < FOOT_Y]
            foot += [w.text or "" for w in line.findall(XHTML + "word")
                     if float(w.get("yMin")) >= FOOT_Y]
            if not words:
                continue
            text.append(" ".join(w for _, _, w in words))
            run = [words[0]]
            for w in words[1:] + [None]:
                if w is not None and w[0] - run[-1][1] < CELL_GAP:
                    run.append(w)
                    continue
                self.columns.setdefault(round(run[0][0]), []).append(" ".join(x for _, _, x in run))
                run = [w]
        self.text = "\n".join(text)
        self.columns = {x: "\n".join(v) for x, v in self.columns.items()}
        foot = " ".join(foot)
        self.label = foot if re.fullmatch(r"\d+|[IVXLC]+", foot) else None

    def streams(self):
        """The texts to look for a cell's in: the page's, each column's."""
        return dict(self.columns, text=self.text)


def pdf_pages(pdftotext, pdf):
    """The PDF's pages, from pdftotext -bbox-layout, whose words are as
    drawn: its plain text output joins a line that ends in '-' to the
    next as a hyphenated word."""
    r = run([pdftotext, "-enc", "UTF-8", "-bbox-layout", pdf, "-"])
    if r.returncode:
        fail("pdftotext %s exited %d: %s" % (pdf, r.returncode, r.stderr.decode(errors="replace")))
        return []
    return [Page(p) for p in ET.fromstring(r.stdout).iter(XHTML + "page")]


def lines(text):
    """A text squeezed, and where its lines start and end in it."""
    s, bounds = "", {0}
    for line in text.splitlines():
        s += squeeze(line)
        bounds.add(len(s))
    return s, bounds


def find_all(s, sub):
    i = s.find(sub)
    while i >= 0:
        yield i
        i = s.find(sub, i + 1)


def found(s, pages):
    """Whether the squeezed text s is on a page, in its text or in one of
    its columns, or split by a page break: its head ending a line of a
    page, its tail starting a line of the next (after the repeated head
    rows) in the same column."""
    for i, page in enumerate(pages):
        if any(s in squeeze(t) for t in page["streams"].values()):
            return True
        if i + 1 == len(pages):
            break
        after = pages[i + 1]["lines"]
        for key, (a, a_ends) in page["lines"].items():
            if key not in after:
                continue
            b, b_starts = after[key]
            for k in range(1, len(s)):
                if any(j + k in a_ends for j in find_all(a, s[:k])) and \
                        any(j in b_starts for j in find_all(b, s[k:])):
                    return True
    return False


def check_pdf_text(pages, expected, where, toc=True):
    """Every paragraph in document order, every cell paragraph somewhere
    (or split by a page break). toc: whether the table of contents'
    entries are among them as written (not when LibreOffice made them
    anew: update_toc reads those)."""
    text = squeeze("".join(p.text for p in pages))
    paras, cells = expected.texts(toc)
    at = 0
    for t in paras:
        s = squeeze(t)
        if not s:
            continue
        i = text.find(s, at)
        if i < 0:
            if s in text:
                fail("%s: %r is in the PDF, but not after the text before it" % (where, t))
            else:
                fail("%s: %r is not in the PDF" % (where, t))
            continue
        at = i + len(s)
    index = [{"streams": p.streams(), "lines": {k: lines(v) for k, v in p.streams().items()}}
             for p in pages]
    missing = [t for t in cells if squeeze(t) and squeeze(t) not in text and
               not found(squeeze(t), index)]
    for t in missing[:10]:
        fail("%s: cell text %r is not in the PDF" % (where, t))
    if len(missing) > 10:
        fail("%s: and %d more cell texts" % (where, len(missing) - 10))


def soffice_env(workdir):
    env = dict(os.environ, HOME=workdir, LC_ALL="C.UTF-8", TZ="UTC",
               FONTCONFIG_FILE=os.path.join(HERE, "fonts.conf"))
    env.pop("DISPLAY", None)
    return env


def convert(soffice, pdftotext, path, workdir, profile, expected):
    """3: soffice --convert-to pdf, then the PDF's text."""
    outdir = os.path.join(workdir, "convert")
    os.makedirs(outdir, exist_ok=True)
    pdf = os.path.join(outdir, os.path.splitext(os.path.basename(path))[0] + ".pdf")
    if os.path.exists(pdf):
        os.remove(pdf)
    r = run([soffice, "-env:UserInstallation=" + pathlib.Path(profile).as_uri(), "--headless",
             "--norestore", "--convert-to", "pdf", "--outdir", outdir, path],
            env=soffice_env(workdir))
    out, err = r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
    # soffice says "Error: ..." when it cannot convert, and exits 0; on
    # stderr it warns of nothing else but its Java (which it does not need)
    errors = [l for l in err.splitlines() if "javaldx" not in l and l.strip()] + \
        [l for l in out.splitlines() if l.startswith("Error")]
    if r.returncode or errors or not os.path.isfile(pdf):
        fail("soffice --convert-to pdf %s exited %d: %s%s" % (path, r.returncode, out, err))
        return None
    check_pdf_text(pdf_pages(pdftotext, pdf), expected,
                   "LibreOffice PDF of %s" % os.path.basename(path))
    return pdf


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman(s):
    n = 0
    for a, b in zip(s, s[1:] + " "):
        n += -ROMAN[a] if ROMAN.get(b, 0) > ROMAN[a] else ROMAN[a]
    return n


def update_toc(soffice, pdftotext, path, workdir, profile, expected):
    """4: LibreOffice updates the TOC field; its entries get page numbers,
    ascending, and each names the page its heading stands on."""
    pdf = os.path.join(workdir, "updated.pdf")
    if os.path.exists(pdf):
        os.remove(pdf)
    r = run([sys.executable, os.path.join(HERE, "lo_update.py"), soffice, path, pdf, profile],
            env=soffice_env(workdir))
    if r.returncode:
        fail("lo_update.py exited %d: %s%s" % (r.returncode, r.stdout.decode(errors="replace"),
                                               r.stderr.decode(errors="replace")))
        return None
    if "com.sun.star.text.ContentIndex" not in r.stdout.decode():
        fail("LibreOffice found no table of contents in %s: %s" % (path, r.stdout.decode()))
    pages = pdf_pages(pdftotext, pdf)
    where = "LibreOffice's updated PDF of %s" % os.path.basename(path)
    check_pdf_text(pages, expected, where, toc=False)
    if len(pages) < 2 or not expected.toc:
        fail("%s: %d pages, %d entries in the table of contents" % (where, len(pages), len(expected.toc)))
        return pdf
    # The entries, one after another from the top of the second page,
    # each followed by its leader dots and page number, the last by the
    # end of its page: the text squeezed, a page's end "\f", its foot
    # left out.
    text = "".join(squeeze(p.text) + "\f" for p in pages[1:])
    title = squeeze(expected.w["toc_title"])
    entries = [re.escape(squeeze(t)) + r"\.+(\d+|[IVXLC]+)" for _, t in expected.toc]
    m = re.match(re.escape(title) + r"\f?".join(entries) + "\f", text)
    if not m:
        k = len(entries)
        while k and not re.match(re.escape(title) + r"\f?".join(entries[:k - 1]), text):
            k -= 1
        fail("%s: the table of contents does not list %r with a page number on its own page; "
             "it reads %r" % (where, expected.toc[max(k, 1) - 1][1], text[:300]))
        return pdf
    numbers = list(m.groups())
    keys = [(0, roman(n)) if n[0] in ROMAN else (1, int(n)) for n in numbers]
    if keys != sorted(keys):
        fail("%s: the table of contents' page numbers do not ascend: %r" % (where, numbers))
    # Each heading on the page its entry names, not on the TOC's own.
    toc_pages = m.group(0).count("\f")
    by_label = {}
    for p in pages[1 + toc_pages:]:
        if p.label is not None:
            by_label.setdefault(p.label, []).append(squeeze(p.text))
    for (_, t), n in zip(expected.toc, numbers):
        if not any(squeeze(t) in p for p in by_label.get(n, [])):
            fail("%s: the table of contents puts %r on page %s, which does not hold it" % (where, t, n))
    print("ok: LibreOffice updated the table of contents: %d entries, pages %s to %s" %
          (len(numbers), numbers[0] if numbers else "-", numbers[-1] if numbers else "-"))
    return pdf


def render_pages(pdftoppm, pdf, out):
    """The pages as PNG, for a reviewer; nothing is asserted on them."""
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    r = run([pdftoppm, "-r", "60", "-png", pdf, os.path.join(out, "page")])
    if r.returncode:
        fail("pdftoppm exited %d: %s" % (r.returncode, r.stderr.decode(errors="replace")))
        return
    print("pages of %s: %s/page-*.png (%d)" % (os.path.basename(pdf), out, len(os.listdir(out))))


# ---- building --------------------------------------------------------------

def build(skillc, source, outdir, parts, env=None, umask=None):
    """skillc build --format=docx; the document's path. env: the
    environment to build in, instead of skillc_run's."""
    args = ["build", "--format=docx", "-o", outdir] + \
        (["--with=" + ",".join(sorted(parts))] if parts else []) + [source]
    if env is None:
        r = skillc_run.run(skillc, args)
    else:
        full = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k != "LANG"}
        full.update(env)
        r = subprocess.run([skillc] + args, env=full, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=600, preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)
    if r.returncode:
        sys.exit("FAIL: skillc build exited %d:\n%s" % (r.returncode, r.stderr.decode()))
    names = [n for n in os.listdir(outdir) if n.endswith(".docx")]
    if len(names) != 1:
        sys.exit("FAIL: skillc wrote %s into %s" % (names, outdir))
    return os.path.join(outdir, names[0])


def check_bytes(skillc, source, tmp, parts):
    """1: the same bytes twice and in other environments."""
    first = build(skillc, source, os.path.join(tmp, "a"), parts)
    data = open(first, "rb").read()
    builds = [("a second build", build(skillc, source, os.path.join(tmp, "b"), parts))]
    for i, (env, umask) in enumerate(ENVIRONMENTS):
        what = " ".join("%s=%s" % kv for kv in env.items()) + (" umask %03o" % umask if umask else "")
        builds.append((what, build(skillc, source, os.path.join(tmp, "env%d" % i), parts, env, umask)))
    for what, path in builds:
        if open(path, "rb").read() != data:
            fail("the build with %s differs from the first" % what)
    return first


def check(path, d, parts, w, tools, workdir, profile, pages):
    """The package and 2 to 4 on one document, LibreOffice with the
    profile; 4 and its pages into pages when given."""
    before = len(failures)
    check_package(path)
    expected, nblocks, ntables = check_document(path, d, parts, w)
    soffice, pdftotext, pdftoppm = tools
    convert(soffice, pdftotext, path, workdir, profile, expected)
    if pages:
        pdf = update_toc(soffice, pdftotext, path, workdir, profile, expected)
        if pdf:
            render_pages(pdftoppm, pdf, pages)
    if len(failures) == before:
        print("ok%s: %d blocks, %d tables of %s match the source (python-docx, LibreOffice PDF)" %
              (" (--with=%s)" % ",".join(sorted(parts)) if parts else "", nblocks, ntables,
               os.path.basename(path)))


def main(argv):
    tools = {"--soffice": "soffice", "--pdftotext": "pdftotext", "--pdftoppm": "pdftoppm"}
    check_file, parts_arg = None, None
    args = argv[1:]
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt in tools and args:
            tools[opt] = args.pop(0)
        elif opt == "--check-file" and args:
            check_file = os.path.abspath(args.pop(0))
        elif opt.startswith("--with="):
            parts_arg = set(filter(None, opt[len("--with="):].split(",")))
        else:
            sys.exit(__doc__)
    if len(args) != 3:
        sys.exit(__doc__)
    skillc, source, workdir = os.path.abspath(args[0]), args[1], os.path.abspath(args[2])
    os.makedirs(workdir, exist_ok=True)
    with open(source, encoding="utf-8") as f:
        d = yaml.safe_load(f)
    w = words()
    tools = (tools["--soffice"], tools["--pdftotext"], tools["--pdftoppm"])
    # LibreOffice's user profile, of this test alone: tests run at once.
    profile = os.path.join(workdir, "lo-profile")
    if check_file:
        check(check_file, d, parts_arg or set(), w, tools, workdir, profile,
              os.path.join(workdir, "pages"))
    else:
        for parts in (set(), {"notice", "cumulative"}):
            sub = os.path.join(workdir, "with-" + "-".join(sorted(parts)) if parts else "default")
            shutil.rmtree(sub, ignore_errors=True)
            os.makedirs(sub)
            path = check_bytes(skillc, source, sub, parts)
            check(path, d, parts, w, tools, sub, profile,
                  os.path.join(workdir, "pages") if parts else None)
    for f in failures[:40]:
        print("FAIL:", f)
    if len(failures) > 40:
        print("... and %d more" % (len(failures) - 40))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
