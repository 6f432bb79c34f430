#!/usr/bin/python3
"""Applying what skillc diff reports explains every difference of the outputs.

usage: check_explains.py [--random N] [--seed S] [--edits K] [--keep DIR] [-v]
                         [--cases DIR]... SKILLC SCHEMA INPUT...

An INPUT is (--cases DIR: every diff-* directory of DIR)
  - a diff case directory (tests/cases/diff-*): its cmd names OLD and NEW
    ('diff OLD NEW', relative to it); a case whose expected.status is not
    0 or 1, or without two files, is skipped;
  - OLD=NEW: one pair;
  - a standard: compared with itself (no change), with its own PyYAML
    dump (the same meaning in other words: no change), and, with
    --random N, with N drafts mutate.py makes of it (seeds S .. S+N-1),
    each with 1 to K edits.

For each pair: 'skillc build --format=json' gives A (of OLD) and B (of
NEW); 'skillc diff --format=json OLD NEW' is validated against SCHEMA
(and its lines against the text output's), then every change is applied
to the normalised view of A (view() below), and the result must equal
the view of B. A change that does not apply (its OLD side not in A, its
old value not A's, its NEW side not in B) or a difference left after
applying them all is a failure; each is printed with the pair, and the
exit status is 1. --keep DIR keeps the random pairs that fail there.
"""
import argparse
import collections
import copy
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

import jsonschema

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mutate  # noqa: E402

# ---- the normalised view of build's JSON --------------------------------

# The chapters diff compares scalar by scalar, by key path (diff.c by_path;
# the top level's "id" too, but not its "skillc" and "profile").
SCALAR_CHAPTERS = ("meta", "notice", "scope", "normative_references", "terms",
                   "occupation", "branches", "eligibility", "assessment",
                   "basic_requirements", "work_requirements", "weights")

# Of those, what has a pass of its own (diff.c own_pass): the work tables'
# capabilities, the weight tables' columns, rows and the total's cells
# (the row groups' and the total's labels are compared by key path).
OWN_PASS = {"work_requirements": ("capabilities",),
            "weights": ("columns", "rows", "weights")}

# Optional enumerations and booleans of those chapters. Build's JSON prints
# an absent one as its default (a route's experience_counted as the model
# resolves it from its certificate), so the JSON cannot tell an absent
# one from one written as the default, while diff compares only those
# written. Whether one is written is taken from the source (the YAML,
# which has the JSON's structure); its value is still the JSON's.
DEFAULTED = {
    "route": ("experience_counted", "experience_field", "education",
              "diploma", "apprenticeship", "professional_title"),
    "ratio": ("per_room", "odd"),
    "education_clause": ("education",),
    "basic_requirements": ("education",),
}


def _kind(parent_path, name, obj):
    """Which shape of DEFAULTED obj (a mapping under name) is, if any."""
    if name == "routes":
        return "route"
    if name == "items" and parent_path.endswith("assessment.ratios"):
        return "ratio"
    if parent_path == "occupation" and name == "education":
        return "education_clause"
    if parent_path == "" and name == "basic_requirements":
        return "basic_requirements"
    return None


def _element_name(list_name, obj):
    """What names an element of a list of mappings, as diff.c's
    element_name: its key, else the key it must refer to (eligibility's
    level, a ratio's, duration's or venue's method), else its label or
    id; None: by its place."""
    if "key" in obj:
        f = "key"
    elif list_name == "eligibility" or (list_name == "tables"
                                        and "capabilities" in obj):
        f = "level"  # an eligibility clause's, a work table's
    elif "method" in obj:
        f = "method"
    elif "label" in obj:
        f = "label"
    elif "id" in obj:
        f = "id"
    else:
        return None
    v = obj.get(f)
    return v if isinstance(v, str) and v != "" else None


def _scalar(v):
    """A scalar as diff prints it; None for an absent one."""
    if v is None:
        return None
    if v is True:
        return "true"
    if v is False:
        return "false"
    return str(v)


def scalars(doc, src):
    """{path: value} of the scalar chapters, named as diff.c's scalars_*
    name them; src: the source (YAML) the JSON doc was built from, for
    which optional enumerations and booleans are written."""
    out = {}

    def put(path, value):
        if value is None:
            return
        p, k = path, 2
        while p in out:  # a second scalar of one path: path#2, on the path
            p = "%s#%d" % (path, k)
            k += 1
        out[p] = value

    def walk(path, name, value, source, kind):
        if isinstance(value, dict):
            for k, v in value.items():
                if k in OWN_PASS.get(path.split(".")[0].split("[")[0], ()):
                    continue
                s = source.get(k) if isinstance(source, dict) else None
                if kind and k in DEFAULTED[kind] and not (
                        isinstance(source, dict) and k in source):
                    continue
                sub = path + "." + k if path else k
                walk(sub, k, v, s, _kind(path, k, v) if isinstance(v, dict)
                     else (_kind(path, k, None) if isinstance(v, list) else None))
            return
        if isinstance(value, list):
            for i, e in enumerate(value):
                s = source[i] if isinstance(source, list) and i < len(source) else None
                n = _element_name(name, e) if isinstance(e, dict) else None
                sub = "%s[%s]" % (path, n if n is not None else i)
                walk(sub, name, e, s, kind if isinstance(e, dict) else None)
            return
        put(path, _scalar(value))

    put("id", _scalar(doc.get("id")))
    for ch in SCALAR_CHAPTERS:
        v = doc.get(ch)
        if v is None:
            continue
        walk(ch, ch, v, src.get(ch) if isinstance(src, dict) else None,
             _kind("", ch, v))
    return out


def _nz(s):
    """An id or key as diff's sides give it: null for none or empty."""
    return s if s else None


def _cell(v):
    if v is None:
        return ""
    return str(v)


class Obj:
    """A mutable record; attributes only."""

    def __init__(self, **kw):
        self.__dict__.update(kw)
        self.gone = False

    def __repr__(self):
        return repr({k: v for k, v in self.__dict__.items()
                     if k not in ("cap", "skill", "knowledge", "gone")})


def table_name(t):
    """model.c's table_label: number, else caption, else clause title."""
    if t.get("number"):
        return t["number"]
    if t.get("caption"):
        return t["caption"]
    return "%s %s" % (t.get("clause") or "", t.get("title") or "")


def view(doc, src):
    """The normalised view of one build JSON output: the scalars of the
    chapters compared by key path (scalars()), levels (key: name), the
    capabilities and work contents of every work table with their items,
    the weight tables (columns, rows, cells, totals; the row groups' and
    the total row's labels are scalars by key path: diff.c own_pass).
    Which group a row is in is not compared (docs/diff.md).

    Left out: "effective" (derived: each level's tables along its
    includes); a level's includes and the order of the levels (diff
    compares neither: docs/diff.md); the order of capabilities, contents
    and items (compared as multisets: an item's place shows in its id,
    and a reorder diff reports shows as a new id); the order of rows and
    columns; text_rules (not compared: docs/diff.md); the top level's
    skillc and profile (not compared yet)."""
    v = Obj(fields=scalars(doc, src), levels={}, caps=[], contents=[],
            tables={})
    for lv in doc["levels"]:
        v.levels[lv["key"]] = lv["name"]
    for t in doc["work_requirements"]["tables"]:
        for c in t["capabilities"]:
            cap = Obj(level=t["level"], branch=t.get("branch"),
                      key=_nz(c.get("key")), id=_nz(c.get("id")),
                      name=c["name"])
            v.caps.append(cap)
            for ct in c["contents"]:
                con = Obj(level=t["level"], branch=t.get("branch"), cap=cap,
                          key=ct["key"], id=_nz(ct.get("id")),
                          name=ct["name"])
                for kind in ("skill", "knowledge"):
                    lst = ct["skills" if kind == "skill" else "knowledge"]
                    setattr(con, kind, [Obj(id=_nz(i.get("id")),
                                            text=i["text"]) for i in lst])
                v.contents.append(con)
    w = doc["weights"]
    tables = list(w.get("tables") or [])
    for sec in w.get("sections") or []:
        tables.extend(sec.get("tables") or [])
    for t in tables:
        key = (t["kind"], t.get("number") or t.get("caption") or "")
        cols = [(c["level"], c.get("branch")) for c in t["columns"]]
        tab = Obj(key=key, name=table_name(t),
                  columns={cols[i]: Obj(label=c["label"])
                           for i, c in enumerate(t["columns"])},
                  rows={}, totals={}, total_label=t["total"]["label"],
                  groups=[g["label"] for g in t["groups"]])
        seen = collections.Counter()
        for gi, g in enumerate(t["groups"]):
            for r in g["rows"]:
                for kind in ("basic", "capability", "content"):
                    if r.get(kind):
                        ref = "%s:%s" % (kind, r[kind])
                        break
                else:
                    ref = "label:%s" % r["label"]
                seen[ref] += 1
                if seen[ref] > 1:
                    ref += "#%d" % seen[ref]
                ws = r["weights"]
                tab.rows[ref] = Obj(label=r["label"], group=gi, cells={
                    col: _cell(ws[i] if i < len(ws) else None)
                    for i, col in enumerate(cols)})
        tw = t["total"]["weights"]
        for i, col in enumerate(cols):
            tab.totals[col] = _cell(tw[i] if i < len(tw) else None)
        v.tables[key] = tab
    return v


def flat(v):
    """The view as plain data to compare: {part: value}."""
    out = {}
    for p, x in v.fields.items():
        out[("field", p)] = x
    for k, x in v.levels.items():
        out[("level", k)] = x
    caps = collections.Counter(
        (c.level, c.branch, c.key, c.id, c.name) for c in v.caps if not c.gone)
    for c, n in caps.items():
        out[("capability",) + c] = n
    for c in v.contents:
        if c.gone:
            continue
        where = (c.level, c.branch, c.key)
        k = ("content",) + where
        while k in out:  # keys are unique in a table: only if broken
            k = k + ("again",)
        out[k] = (c.cap.id if not c.cap.gone else "(removed capability %s)"
                  % c.cap.id, c.id, c.name)
        for kind in ("skill", "knowledge"):
            items = collections.Counter(
                (i.id, i.text) for i in getattr(c, kind) if not i.gone)
            for (iid, text), n in items.items():
                out[(kind,) + k[1:] + (iid, text)] = n
    for key, t in v.tables.items():
        if t.gone:
            continue
        out[("weight_table",) + key] = True
        for col, c in t.columns.items():
            if not c.gone:
                out[("column",) + key + col] = c.label
                out[("total",) + key + col] = t.totals.get(col)
        for ref, r in t.rows.items():
            if r.gone:
                continue
            out[("row",) + key + (ref,)] = r.label
            # which group a row is in: not compared yet (docs/diff.md)
            for col, x in r.cells.items():
                if col in t.columns and not t.columns[col].gone:
                    out[("weight",) + key + (ref,) + col] = x
    return out


# ---- applying the changes -------------------------------------------------


class NotApplied(Exception):
    pass


def unmark(marked):
    """(old, new) texts of a marked text: [-del-]{+ins+}."""
    old, new, i = [], [], 0
    while i < len(marked):
        if marked.startswith("[-", i):
            j = marked.index("-]", i + 2)
            old.append(marked[i + 2:j])
            i = j + 2
        elif marked.startswith("{+", i):
            j = marked.index("+}", i + 2)
            new.append(marked[i + 2:j])
            i = j + 2
        else:
            old.append(marked[i])
            new.append(marked[i])
            i += 1
    return "".join(old), "".join(new)


class Applier:
    def __init__(self, a, b):
        self.a = a          # the view of OLD's output, changed in place
        self.b = b          # the view of NEW's output
        self.claimed = set()

    # -- finding things --

    def cap(self, v, s, claim=None):
        """A capability of view v as side s names it (value: its name)."""
        for c in v.caps:
            if (not c.gone and c.level == s["level"] and c.branch == s["branch"]
                    and c.key == s["key"] and c.id == s["id"]
                    and c.name == s["value"]):
                if claim is None or (claim, id(c)) not in self.claimed:
                    if claim is not None:
                        self.claimed.add((claim, id(c)))
                    return c
        raise NotApplied("no capability %s in %s" % (_ident(s), v.which))

    def cap_by_id(self, v, level, branch, cid):
        found = [c for c in v.caps if not c.gone and c.level == level
                 and c.branch == branch and c.id == cid]
        if not found:
            raise NotApplied("no capability '%s' in table (%s, %s) of %s"
                             % (cid, level, branch, v.which))
        return found[0]

    def content(self, v, level, branch, key):
        for c in v.contents:
            if (not c.gone and c.level == level and c.branch == branch
                    and c.key == key):
                return c
        raise NotApplied("no work content '%s' in table (%s, %s) of %s"
                         % (key, level, branch, v.which))

    def content_of(self, v, s, check=True):
        c = self.content(v, s["level"], s["branch"], s["key"])
        have = (c.cap.id, c.id, c.name)
        want = (s["capability"], s["id"], s["value"])
        if check and have != want:
            raise NotApplied("work content '%s' of %s is (capability, id, "
                             "name) %r, the change says %r"
                             % (s["key"], v.which, have, want))
        return c

    def item(self, v, s, kind, claim):
        c = self.content(v, s["level"], s["branch"], s["content"])
        for i in getattr(c, kind):
            if not i.gone and i.id == s["id"] and i.text == s["value"]:
                if claim is None:
                    return c, i
                if (claim, id(i)) in self.claimed:
                    continue
                self.claimed.add((claim, id(i)))
                return c, i
        raise NotApplied("no %s item '%s' %r in work content '%s' of %s"
                         % (kind, s["id"], s["value"], s["content"], v.which))

    def table(self, v, name):
        found = [t for t in v.tables.values() if not t.gone and t.name == name]
        if len(found) != 1:
            raise NotApplied("%d weight tables named %r in %s"
                             % (len(found), name, v.which))
        return found[0]

    # -- the phases --

    def run(self, changes):
        """Apply changes (in JSON form); the problems, as texts."""
        problems = []
        phases = collections.defaultdict(list)
        order = ["field", "level", "capability", "content", "skill",
                 "knowledge", "weight_table", "column", "row", "weight",
                 "total"]
        # elements relabelled: OLD's element path -> NEW's (a route
        # inserted before others): their fields move all at once
        self.relabels = [(ch["old"]["path"].rsplit(".", 1)[0],
                          ch["new"]["path"].rsplit(".", 1)[0])
                         for ch in changes if ch["change"] == "relabelled"]
        self.relabelled = False
        # 1. every OLD side found in A as A was, every NEW side in B
        for n, ch in enumerate(changes):
            try:
                phases[ch["what"]].append((n, ch, self.resolve(ch)))
            except (NotApplied, KeyError, ValueError, TypeError,
                    AttributeError) as e:
                problems.append("change %d (%s %s: %s) does not apply: %s"
                                % (n, ch["what"], ch["change"], ch["message"],
                                   e))
        # 2. applied, things before what they hold
        for what in order:
            for n, ch, r in phases[what]:
                try:
                    self.apply(ch, r)
                except (NotApplied, KeyError, ValueError, TypeError,
                    AttributeError) as e:
                    problems.append("change %d (%s %s: %s) does not apply: %s"
                                    % (n, ch["what"], ch["change"],
                                       ch["message"], e))
            if what == "content":
                self.renumber_items()
        return problems

    def map_path(self, p):
        """p of OLD under NEW's name of the relabelled element it is in."""
        for old, new in self.relabels:
            if p == old or p.startswith(old + ".") or p.startswith(old + "["):
                return new + p[len(old):]
        return p

    def resolve(self, ch):
        what, kind, o, nw = ch["what"], ch["change"], ch["old"], ch["new"]
        a, b = self.a, self.b
        if what == "field":
            if o is not None:
                if a.fields.get(o["path"]) != o["value"]:
                    raise NotApplied("OLD's %s is %r, the change says %r" % (
                        o["path"], a.fields.get(o["path"]), o["value"]))
            if nw is not None and b.fields.get(nw["path"]) != nw["value"]:
                raise NotApplied("NEW's %s is %r, the change says %r" % (
                    nw["path"], b.fields.get(nw["path"]), nw["value"]))
            if (o is not None and nw is not None and kind != "relabelled"
                    and self.map_path(o["path"]) != nw["path"]):
                raise NotApplied("a field changed between two paths")
            if kind == "added" and nw["path"] in {
                    self.map_path(k) for k in a.fields}:
                raise NotApplied("added, but OLD has %s" % nw["path"])
            if kind == "reworded":
                self.check_marked(ch, o["value"], nw["value"])
            return None
        if what == "level":
            if o is not None and a.levels.get(o["level"]) != o["value"]:
                raise NotApplied("OLD's level %s is %r" % (
                    o["level"], a.levels.get(o["level"])))
            if nw is not None and b.levels.get(nw["level"]) != nw["value"]:
                raise NotApplied("NEW's level %s is %r" % (
                    nw["level"], b.levels.get(nw["level"])))
            if kind == "added" and nw["level"] in a.levels:
                raise NotApplied("added, but OLD has level %s" % nw["level"])
            return None
        if what == "capability":
            if nw is not None:
                self.cap(b, nw)
            return self.cap(a, o, claim=kind) if o is not None else None
        if what == "content":
            if nw is not None:
                self.content_of(b, nw)
            return self.content_of(a, o) if o is not None else None
        if what in ("skill", "knowledge"):
            if nw is not None:
                self.item(b, nw, what, claim=None)
            if kind == "shifted":
                return self.resolve_shift(ch, what)
            if kind == "reworded":
                self.check_marked(ch, o["value"], nw["value"])
            return self.item(a, o, what, claim=kind) if o is not None else None
        # weights: the table by its name in that file
        if what == "weight_table":
            if nw is not None:
                self.table(b, nw["table"])
            return self.table(a, o["table"]) if o is not None else None
        ta = self.table(a, o["table"]) if o is not None else None
        tb = self.table(b, nw["table"]) if nw is not None else None
        if ta is not None and tb is not None and ta.key != tb.key:
            raise NotApplied("OLD's table %s is not NEW's %s" % (
                o["table"], nw["table"]))
        col = lambda s: (s["level"], s["branch"])  # noqa: E731
        if what == "column":
            for t, s, v in ((ta, o, a), (tb, nw, b)):
                if s is not None:
                    c = t.columns.get(col(s))
                    if c is None or c.gone or c.label != s["value"]:
                        raise NotApplied("no column %r labelled %r in %s of %s"
                                         % (col(s), s["value"], s["table"],
                                            v.which))
            return ta if ta is not None else self.in_a(tb)
        if what == "row":
            for t, s, v in ((ta, o, a), (tb, nw, b)):
                if s is not None:
                    r = t.rows.get(s["ref"])
                    if r is None or r.label != s["value"]:
                        raise NotApplied("no row %s labelled %r in %s of %s"
                                         % (s["ref"], s["value"], s["table"],
                                            v.which))
            return (ta if ta is not None else self.in_a(tb),
                    ta.rows[o["ref"]] if o is not None else None)
        if what == "weight":
            for t, s, v in ((ta, o, a), (tb, nw, b)):
                r = t.rows.get(s["ref"])
                got = r.cells.get(col(s)) if r is not None else None
                if got != s["value"]:
                    raise NotApplied("%s's cell (%s, %r) of %s is %r, the "
                                     "change says %r" % (
                                         v.which, s["ref"], col(s), s["table"],
                                         got, s["value"]))
            return ta.rows[o["ref"]]
        if what == "total":
            for t, s, v in ((ta, o, a), (tb, nw, b)):
                if t.totals.get(col(s)) != s["value"]:
                    raise NotApplied("%s's total %r of %s is %r" % (
                        v.which, col(s), s["table"], t.totals.get(col(s))))
            return ta
        raise NotApplied("unknown what %r" % what)

    def in_a(self, tb):
        """OLD's weight table that NEW's tb is (by kind and number)."""
        ta = self.a.tables.get(tb.key)
        if ta is None or ta.gone:
            raise NotApplied("OLD has no weight table %s" % tb.name)
        return ta

    def check_marked(self, ch, old, new):
        m = ch.get("marked")
        if m is None:
            raise NotApplied("reworded without marked")
        if any(x in old + new for x in ("[-", "-]", "{+", "+}")):
            return  # the marks would be ambiguous
        got = unmark(m)
        if got != (old, new):
            raise NotApplied("marked %r is not old %r → new %r" % (m, old, new))

    def resolve_shift(self, ch, what):
        o, nw = ch["old"], ch["new"]
        c = self.content(self.a, o["level"], o["branch"], o["content"])
        cb = self.content(self.b, nw["level"], nw["branch"], nw["content"])
        pairs = ch["ids"]
        if [o["id"], nw["id"]] != pairs[0]:
            raise NotApplied("its sides %s → %s are not its first of ids %r"
                             % (o["id"], nw["id"], pairs[0]))
        self.item(self.a, o, what, claim="shift-first")
        out = []
        for old_id, new_id in pairs:
            for i in getattr(c, what):
                if i.id == old_id and ("shifted", id(i)) not in self.claimed:
                    self.claimed.add(("shifted", id(i)))
                    out.append((i, new_id))
                    break
            else:
                raise NotApplied("shifted: no %s item '%s' in work content "
                                 "'%s' of OLD" % (what, old_id, o["content"]))
            if not any(i.id == new_id for i in getattr(cb, what)):
                raise NotApplied("shifted: no %s item '%s' in work content "
                                 "'%s' of NEW" % (what, new_id, nw["content"]))
        return out

    def apply(self, ch, r):
        what, kind, o, nw = ch["what"], ch["change"], ch["old"], ch["new"]
        a, b = self.a, self.b
        if what == "field":
            if self.relabels and not self.relabelled:
                # every relabelled element's fields to NEW's names at once
                a.fields = {self.map_path(k): v for k, v in a.fields.items()}
                self.relabelled = True
            if kind == "removed":
                del a.fields[self.map_path(o["path"])]
            else:
                a.fields[nw["path"]] = nw["value"]
        elif what == "level":
            if kind == "removed":
                del a.levels[o["level"]]
            else:
                a.levels[nw["level"]] = nw["value"]
        elif what == "capability":
            if kind == "added":
                a.caps.append(Obj(level=nw["level"], branch=nw["branch"],
                                  key=nw["key"], id=nw["id"],
                                  name=nw["value"]))
            elif kind == "removed":
                r.gone = True
            elif kind == "rekeyed":
                r.key = nw["key"]
            elif kind == "renamed":
                r.name = nw["value"]
            elif kind == "renumbered":
                r.id = nw["id"]
            else:
                raise NotApplied("not a change of a capability")
        elif what == "content":
            if kind == "added":
                cb = self.content_of(b, nw)
                con = Obj(level=nw["level"], branch=nw["branch"],
                          cap=self.cap_by_id(a, nw["level"], nw["branch"],
                                             nw["capability"]),
                          key=nw["key"], id=nw["id"], name=nw["value"])
                # what an added content holds comes with it: its items
                for k in ("skill", "knowledge"):
                    setattr(con, k, [Obj(id=i.id, text=i.text)
                                     for i in getattr(cb, k)])
                a.contents.append(con)
            elif kind == "removed":
                r.gone = True
            elif kind == "rekeyed":
                self.rekey_rows(o["key"], nw["key"])
                r.key = nw["key"]
            elif kind == "renamed":
                r.name = nw["value"]
            elif kind == "renumbered":
                # its items renumbered with it, after every content's
                r.renumber = (o["id"], nw["id"])
                r.id = nw["id"]
            elif kind == "moved":
                r.level, r.branch = nw["level"], nw["branch"]
                r.cap = self.cap_by_id(a, nw["level"], nw["branch"],
                                       nw["capability"])
            else:
                raise NotApplied("not a change of a work content")
        elif what in ("skill", "knowledge"):
            if kind == "added":
                c = self.content(a, nw["level"], nw["branch"], nw["content"])
                getattr(c, what).append(Obj(id=nw["id"], text=nw["value"]))
            elif kind == "removed":
                r[1].gone = True
            elif kind == "reworded":
                r[1].text = nw["value"]
            elif kind in ("renumbered", "reordered"):
                r[1].id = nw["id"]
            elif kind == "shifted":
                for i, new_id in r:
                    i.id = new_id
            else:
                raise NotApplied("not a change of an item")
        elif what == "weight_table":
            if kind == "added":
                t = copy.deepcopy(self.table(b, nw["table"]))
                a.tables[t.key] = t
            else:
                r.gone = True
        elif what == "column":
            col = (nw or o)["level"], (nw or o)["branch"]
            if kind == "added":
                # its cells and total come with it, as NEW has them
                tb = self.table(b, nw["table"])
                r.columns[col] = Obj(label=nw["value"])
                r.totals[col] = tb.totals.get(col)
                for ref, row in tb.rows.items():
                    if ref in r.rows:
                        r.rows[ref].cells[col] = row.cells.get(col)
            elif kind == "removed":
                r.columns[col].gone = True
            elif kind == "renamed":
                r.columns[col].label = nw["value"]
        elif what == "row":
            t, row = r
            if kind == "added":
                # its cells come with it, as NEW has them
                rb = self.table(b, nw["table"]).rows[nw["ref"]]
                t.rows[nw["ref"]] = copy.deepcopy(rb)
            elif kind == "removed":
                row.gone = True
            elif kind == "renamed":
                row.label = nw["value"]
        elif what == "weight":
            r.cells[(nw["level"], nw["branch"])] = nw["value"]
        elif what == "total":
            r.totals[(nw["level"], nw["branch"])] = nw["value"]

    def rekey_rows(self, old, new):
        """A work content's weight rows follow its new key where they do
        not pair by their own (diff.c: rows pair by what they weigh, then
        a row of a content whose key changed by the new key): in a table
        where NEW still has a row of the old key, the row keeps it (the
        key changed at one level, the row weighs the others')."""
        for key, t in self.a.tables.items():
            tb = self.b.tables.get(key)
            rows = {}
            for ref, row in t.rows.items():
                m = re.match(r"content:(.*?)(#\d+)?$", ref)
                if (m and m.group(1) == old and not m.group(2)
                        and not (tb and ref in tb.rows)):
                    ref = "content:" + new
                rows[ref] = row
            t.rows = rows

    def renumber_items(self):
        """A content renumbered renumbers the items whose ids start with
        its id: "2.1.3" of "2.1" is "1.2.3" of "1.2" (not reported)."""
        for c in self.a.contents:
            rn = getattr(c, "renumber", None)
            if not rn or not rn[0] or not rn[1]:
                continue
            old, new = rn
            for kind in ("skill", "knowledge"):
                for i in getattr(c, kind):
                    if i.id and i.id.startswith(old + ".") and len(i.id) > len(old) + 1:
                        i.id = new + i.id[len(old):]
            c.renumber = None


def _ident(s):
    return ", ".join("%s=%r" % (k, v) for k, v in s.items()
                     if k not in ("file", "line", "column"))


# ---- running skillc --------------------------------------------------------


class Runner:
    def __init__(self, skillc, schema, tmp, verbose):
        self.skillc = skillc
        self.validator = jsonschema.Draft202012Validator(schema)
        self.tmp = tmp
        self.builds = {}
        self.lines = {}
        self.verbose = verbose
        self.n = 0
        self.env = dict(os.environ, LANG="C", LC_ALL="C", LANGUAGE="")

    def run(self, *args):
        return subprocess.run([self.skillc] + list(args), capture_output=True,
                              env=self.env)

    def build(self, path):
        """(JSON output, YAML source) of a standard."""
        if path in self.builds:
            return self.builds[path]
        self.n += 1
        out = os.path.join(self.tmp, "build%d" % self.n)
        p = self.run("build", "--format=json", "--name=out", "-o", out, path)
        if p.returncode != 0:
            raise RuntimeError("skillc build %s: exit %d\n%s" % (
                path, p.returncode, p.stderr.decode()))
        with open(os.path.join(out, "out.json"), encoding="utf-8") as f:
            doc = json.load(f)
        with open(path, encoding="utf-8") as f:
            src = mutate.load(f.read())
        self.builds[path] = (doc, src)
        return doc, src

    def check(self, old, new):
        """The problems of one pair, as texts; [] when it holds."""
        problems = []
        p = self.run("diff", "--format=json", old, new)
        t = self.run("diff", old, new)
        if p.returncode not in (0, 1):
            return ["diff --format=json: exit %d\n%s" % (
                p.returncode, p.stderr.decode())]
        try:
            doc = json.loads(p.stdout.decode("utf-8"))
        except ValueError as e:
            return ["diff --format=json: not JSON (%s):\n%s" % (
                e, p.stdout.decode(errors="replace")[:2000])]
        for e in sorted(self.validator.iter_errors(doc), key=lambda e: e.path):
            # of an anyOf (a side or null), the deepest reason
            e = jsonschema.exceptions.best_match([e]) if not e.context else \
                max(e.context, key=lambda c: (len(c.absolute_path),
                                              c.validator != "type"))
            problems.append("not valid against the schema at %s: %s" % (
                "/".join(str(x) for x in e.absolute_path), e.message[:300]))
        if problems:
            return problems
        changes = doc["changes"]
        if doc["old"] != old or doc["new"] != new:
            problems.append("old/new are %r/%r, not the command line's" % (
                doc["old"], doc["new"]))
        if p.returncode != (1 if changes else 0):
            problems.append("exit %d with %d changes" % (p.returncode,
                                                         len(changes)))
        if p.stdout.decode("utf-8") not in _renderings(doc):
            problems.append("not written as build's JSON is (2-space "
                            "indentation, UTF-8, a newline at the end)")
        problems += self.key_order(doc)
        problems += self.same_as_text(doc, t)
        problems += self.same_in_chinese(doc, old, new)
        problems += self.places(changes)
        a, src_a = self.build(old)
        b, src_b = self.build(new)
        va, vb = view(a, src_a), view(b, src_b)
        va.which, vb.which = "OLD", "NEW"
        ap = Applier(va, vb)
        problems += ap.run(changes)
        fa, fb = flat(va), flat(vb)
        for k in sorted(set(fa) | set(fb), key=repr):
            if fa.get(k) != fb.get(k):
                problems.append("left after applying: %s%r: OLD+changes %s,"
                                " NEW %s" % (k[0], list(k[1:]),
                                            _show(fa.get(k)), _show(fb.get(k))))
        return problems

    SIDE_KEYS = {"field": ["path"], "level": ["level"],
                 "capability": ["level", "branch", "key", "id"],
                 "content": ["level", "branch", "capability", "key", "id"],
                 "skill": ["level", "branch", "content", "id"],
                 "knowledge": ["level", "branch", "content", "id"],
                 "weight_table": ["table"], "column": ["table", "level", "branch"],
                 "row": ["table", "ref"],
                 "weight": ["table", "ref", "level", "branch"],
                 "total": ["table", "level", "branch"]}

    def key_order(self, doc):
        """Keys in the contract's order (the schema checks which)."""
        out = []
        if list(doc) != ["skillc_diff", "old", "new", "changes"]:
            out.append("document keys in the order %s" % list(doc))
        for n, ch in enumerate(doc["changes"]):
            want = ["chapter", "what", "change", "old", "new", "message"]
            if list(ch)[:6] != want:
                out.append("change %d: keys in the order %s" % (n, list(ch)))
            for s in (ch["old"], ch["new"]):
                if s is not None and list(s) != ["file", "line", "column"] + \
                        self.SIDE_KEYS[ch["what"]] + ["value"]:
                    out.append("change %d: side keys in the order %s" % (
                        n, list(s)))
        return out

    def places(self, changes):
        """Every side's place is in its file; a field's is its scalar."""
        out = []
        for n, ch in enumerate(changes):
            for s in (ch["old"], ch["new"]):
                if s is None:
                    continue
                if s["file"] not in self.lines:
                    with open(s["file"], encoding="utf-8") as f:
                        self.lines[s["file"]] = f.read().split("\n")
                lines = self.lines[s["file"]]
                if s["line"] > len(lines) or \
                        s["column"] > len(lines[s["line"] - 1]) + 1:
                    out.append("change %d: %s:%d:%d is not in the file" % (
                        n, s["file"], s["line"], s["column"]))
                    continue
                at = lines[s["line"] - 1][s["column"] - 1:]
                v = s["value"]
                if ch["what"] == "field" and v and "\n" not in v and \
                        at[:1] not in "|>" and not (
                            at.startswith(v) or at[1:].startswith(v)):
                    out.append("change %d: %s:%d:%d is not %s's value %r "
                               "but %r" % (n, s["file"], s["line"],
                                           s["column"], s["path"], v,
                                           at[:40]))
        return out

    def same_in_chinese(self, doc, old, new):
        """Only the messages follow the locale: the rest of the document
        is the same under LANG=zh_CN.UTF-8."""
        p = subprocess.run([self.skillc, "diff", "--format=json", old, new],
                           capture_output=True,
                           env=dict(self.env, LANG="zh_CN.UTF-8", LC_ALL=""))
        try:
            zh = json.loads(p.stdout.decode("utf-8"))
        except ValueError:
            return ["diff --format=json under LANG=zh_CN.UTF-8: not JSON"]
        strip = lambda d: [{k: v for k, v in c.items() if k != "message"}  # noqa: E731
                           for c in d["changes"]]
        if strip(zh) != strip(doc):
            return ["under LANG=zh_CN.UTF-8 the changes differ in more "
                    "than their messages"]
        return []

    def same_as_text(self, doc, t):
        """The JSON's changes are the text output's lines, in order."""
        # one line per change: a text's line breaks are written \n
        lines = t.stdout.decode("utf-8").split("\n")[:-1]
        changes = doc["changes"]
        if len(lines) != len(changes):
            return ["%d changes, but the text output has %d lines" % (
                len(changes), len(lines))]
        out = []
        for n, (line, ch) in enumerate(zip(lines, changes)):
            prefix = ""
            for s in (ch["old"], ch["new"]):
                if s is not None:
                    prefix += "%s:%d:%d: " % (s["file"], s["line"], s["column"])
            msg = ch["message"].replace("\n", "\\n").replace("\r", "\\r")
            if line != prefix + msg:
                out.append("change %d is not the text output's line:\n"
                           "  text: %s\n  json: %s" % (n, line,
                                                       prefix + msg))
        return out


def _renderings(doc):
    """The document as build's JSON is written (2-space indentation,
    UTF-8, a newline at the end); also with each [old_id, new_id] pair of
    "ids" on one line, as skillc writes them (the contract does not say)."""
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    pairs = re.sub(r'\[\n +("(?:[^"\\]|\\.)*"),\n +("(?:[^"\\]|\\.)*")\n +\]',
                   r"[\1, \2]", text)
    inline = re.sub(r'"ids": \[\n +(.*?)\n +\]',
                    lambda m: '"ids": [' + re.sub(r",\n +", ", ", m.group(1))
                    + "]", pairs, flags=re.S)
    return (text, inline)


def _show(x):
    return "(none)" if x is None else repr(x)


# ---- the pairs -------------------------------------------------------------


def case_pair(d):
    """OLD and NEW of a diff case directory, or None to skip it."""
    try:
        with open(os.path.join(d, "cmd")) as f:
            words = shlex.split(f.read())
        with open(os.path.join(d, "expected.status")) as f:
            status = int(f.read().strip() or 0)
    except OSError:
        return None
    files = [w for w in words[1:] if not w.startswith("-")]
    if words[:1] != ["diff"] or len(files) != 2 or status not in (0, 1):
        return None
    return tuple(os.path.normpath(os.path.join(d, f)) for f in files)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--random", type=int, default=0, metavar="N")
    ap.add_argument("--seed", type=int, default=1, metavar="S")
    ap.add_argument("--edits", type=int, default=3, metavar="K",
                    help="at most K edits in a random draft (default 3)")
    ap.add_argument("--keep", metavar="DIR")
    ap.add_argument("--cases", metavar="DIR", action="append", default=[],
                    help="every diff-* case directory of DIR")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("skillc")
    ap.add_argument("schema")
    ap.add_argument("inputs", nargs="*")
    args = ap.parse_args()
    for d in args.cases:
        args.inputs += sorted(os.path.join(d, c) for c in os.listdir(d)
                              if c.startswith("diff-"))
    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    start = time.time()
    failed = checked = 0
    with tempfile.TemporaryDirectory(prefix="skillc-explains-") as tmp:
        r = Runner(args.skillc, schema, tmp, args.verbose)
        pairs = []  # (label, old, new, edits)
        for inp in args.inputs:
            if os.path.isdir(inp):
                p = case_pair(inp)
                if p is None:
                    print("%s: skipped (not a pair of valid standards)" % inp)
                else:
                    pairs.append((inp, p[0], p[1], None))
            elif "=" in inp and not os.path.exists(inp):
                old, new = inp.split("=", 1)
                pairs.append((inp, old, new, None))
            else:
                pairs.append((inp + " itself", inp, inp, None))
                dumped = os.path.join(tmp, "dump%d.yaml" % len(pairs))
                with open(inp, encoding="utf-8") as f:
                    text = mutate.dump(mutate.load(f.read()))
                with open(dumped, "w", encoding="utf-8") as f:
                    f.write(text)
                pairs.append((inp + " re-dumped", inp, dumped, None))
                for seed in range(args.seed, args.seed + args.random):
                    new = os.path.join(tmp, "r%d-%d.yaml" % (len(pairs), seed))
                    edits = mutate.make(r.run, inp, new, seed, args.edits)
                    if edits is None:
                        print("%s seed %d: no valid draft made" % (inp, seed))
                        failed += 1
                        continue
                    pairs.append(("%s seed %d" % (inp, seed), inp, new, edits))
        for label, old, new, edits in pairs:
            try:
                problems = r.check(old, new)
            except RuntimeError as e:
                problems = [str(e)]
            checked += 1
            if problems:
                failed += 1
                print("FAIL %s (%s → %s)" % (label, old, new))
                if edits:
                    print("  edits: " + "; ".join(edits))
                for p in problems:
                    print("  " + p.replace("\n", "\n  "))
                if args.keep and edits is not None:
                    os.makedirs(args.keep, exist_ok=True)
                    base = os.path.join(args.keep, re.sub(
                        r"[^\w.-]+", "_", label))
                    with open(new, encoding="utf-8") as f, \
                            open(base + ".new.yaml", "w", encoding="utf-8") as g:
                        g.write(f.read())
            elif args.verbose:
                print("ok %s%s" % (label, " (%s)" % "; ".join(edits)
                                   if edits else ""))
    print("%d pairs checked, %d failed, %.1fs" % (checked, failed,
                                                  time.time() - start))
    return 1 if failed or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
