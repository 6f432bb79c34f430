#!/usr/bin/python3
"""Random drafts of a standard, for check_explains.py.

usage: mutate.py SKILLC SEED IN OUT

Writes OUT: IN with a few random edits of the kinds an editor makes
between two drafts (EDITS below: items inserted, removed, reworded and
reordered; work contents moved, renamed and given new keys with their
weight rows; capabilities renamed and reordered; capabilities added, removed and given new keys;
weight tables renumbered, columns removed; weight moved between
two rows of a column, so columns still sum to 100; work contents added
and removed (with their rows, their weight given to other rows); row
groups' and totals' labels changed; levels renamed;
metadata, eligibility and assessment scalars changed, optional keys
written or left out). The same SEED gives the same OUT. OUT must check
without errors (diff refuses a standard with errors): a draft that does
not is thrown away and another tried. Prints the edits made.

The source is read and written with PyYAML (comments and layout are
lost, the meaning kept); only true/false are booleans and no scalar is
read as a float or a date, so every text is written back as it was.
"""
import copy
import random
import re
import subprocess
import sys

import yaml


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


# YAML 1.2's booleans only; floats and timestamps stay texts ("1.10",
# "2020-00-00").
Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v
        if tag not in ("tag:yaml.org,2002:float",
                       "tag:yaml.org,2002:timestamp",
                       "tag:yaml.org,2002:bool")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()}
Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                             re.compile(r"^(?:true|false)$"), list("tf"))


def load(text):
    return yaml.load(text, Loader=Loader)


def dump(data):
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                     sort_keys=False, default_flow_style=False,
                     width=1 << 20)


# ---- what a standard holds -------------------------------------------------

def tables(d):
    return d["work_requirements"]["tables"]


def contents(d):
    """(table, capability, content) of every work content."""
    for t in tables(d):
        for c in t["capabilities"]:
            for ct in c["contents"]:
                yield t, c, ct


def weight_tables(d):
    w = d.get("weights") or {}
    out = list(w.get("tables") or [])
    for s in w.get("sections") or []:
        out.extend(s.get("tables") or [])
    return out


def rows(d):
    for t in weight_tables(d):
        for g in t["groups"]:
            for r in g["rows"]:
                yield t, r


PIECES = ["检查", "调整", "记录", "分析", "维护", "设备", "参数", "安全",
          "规程", "并", "及时", "正确", "相关", "数据", "故障", "报告"]


def new_text(rng, start="能"):
    return start + "".join(rng.choice(PIECES) for _ in range(rng.randint(2, 5)))


def reword(rng, text):
    """text a little changed (at least half alike), or else quite another."""
    if rng.random() < 0.15 or len(text) < 4:
        return new_text(rng, text[:1])
    k = rng.randrange(3)
    i = rng.randrange(1, len(text))
    if k == 0:
        return text[:i] + rng.choice(PIECES) + text[i:]
    if k == 1:
        j = min(len(text), i + rng.randint(1, 2))
        return text[:i] + text[j:]
    j = min(len(text), i + 2)
    return text[:i] + rng.choice(PIECES) + text[j:]


def numbered(items, prefix):
    """Whether the items' ids are prefix.1, prefix.2... in order."""
    return bool(prefix) and all(
        str(it.get("id")) == "%s.%d" % (prefix, n + 1)
        for n, it in enumerate(items))


def renumber(items, prefix):
    for n, it in enumerate(items):
        it["id"] = "%s.%d" % (prefix, n + 1)


def pick_list(rng, d, nonempty=1):
    """A content and one of its item lists with at least nonempty items."""
    cands = [(t, c, ct, kind) for t, c, ct in contents(d)
             for kind in ("skills", "knowledge")
             if len(ct.get(kind) or []) >= nonempty]
    return rng.choice(cands) if cands else None


# ---- the edits: each changes d and says what, or returns None ------------

def item_inserted(rng, d):
    t, c, ct, kind = pick_list(rng, d)
    items = ct[kind]
    ordered = numbered(items, ct.get("id"))
    pos = rng.randint(0, len(items))
    items.insert(pos, {"id": "%s.%d" % (ct.get("id"), len(items) + 1),
                       "text": new_text(rng)})
    if ordered and rng.random() < 0.8:
        renumber(items, ct["id"])
    return "%s item inserted at %d of %s" % (kind, pos + 1, ct["key"])


def item_removed(rng, d):
    p = pick_list(rng, d, 2)
    if not p:
        return None
    t, c, ct, kind = p
    items = ct[kind]
    ordered = numbered(items, ct.get("id"))
    pos = rng.randrange(len(items))
    del items[pos]
    if ordered and rng.random() < 0.8:
        renumber(items, ct["id"])
    return "%s item %d of %s removed" % (kind, pos + 1, ct["key"])


def item_reworded(rng, d):
    t, c, ct, kind = pick_list(rng, d)
    it = rng.choice(ct[kind])
    it["text"] = reword(rng, it["text"])
    return "%s item %s of %s reworded" % (kind, it.get("id"), ct["key"])


def item_reordered(rng, d):
    p = pick_list(rng, d, 2)
    if not p:
        return None
    t, c, ct, kind = p
    items = ct[kind]
    ordered = numbered(items, ct.get("id"))
    i = rng.randrange(len(items))
    it = items.pop(i)
    j = rng.choice([k for k in range(len(items) + 1) if k != i])
    items.insert(j, it)
    if ordered and rng.random() < 0.7:
        renumber(items, ct["id"])
    return "%s item %d of %s moved to %d" % (kind, i + 1, ct["key"], j + 1)


def content_moved(rng, d):
    cands = []
    for t, c, ct in contents(d):
        if len(c["contents"]) < 2:
            continue  # a capability keeps a content
        for t2 in tables(d):
            if t2 is not t and (t2.get("branch") != t.get("branch")
                                or rng.random() < 0.7):
                continue
            if any(x["key"] == ct["key"] for c2 in t2["capabilities"]
                   for x in c2["contents"] if x is not ct):
                continue
            for c2 in t2["capabilities"]:
                if c2 is not c:
                    cands.append((t, c, ct, t2, c2))
    if not cands:
        return None
    t, c, ct, t2, c2 = rng.choice(cands)
    c["contents"].remove(ct)
    c2["contents"].insert(rng.randint(0, len(c2["contents"])), ct)
    if rng.random() < 0.7 and c2.get("id"):
        # renumbered as its new place, its items with it
        old = str(ct.get("id"))
        new = "%s.%d" % (c2["id"], c2["contents"].index(ct) + 1)
        ct["id"] = new
        for kind in ("skills", "knowledge"):
            for it in ct.get(kind) or []:
                if str(it.get("id", "")).startswith(old + "."):
                    it["id"] = new + str(it["id"])[len(old):]
    return "content %s moved from %s/%s to %s/%s" % (
        ct["key"], t["level"], c.get("id"), t2["level"], c2.get("id"))


def content_renamed(rng, d):
    t, c, ct = rng.choice(list(contents(d)))
    old = ct["name"]
    ct["name"] = reword(rng, old)
    labels = rng.random() < 0.5
    if labels:
        for _, r in rows(d):
            if r.get("content") == ct["key"] and r.get("label") == old:
                r["label"] = ct["name"]
    return "content %s renamed%s" % (ct["key"], " with its rows" if labels
                                      else "")


def content_rekeyed(rng, d):
    keys = [ct["key"] for _, _, ct in contents(d)]
    once = [ct for _, _, ct in contents(d) if keys.count(ct["key"]) == 1]
    if not once:
        return None
    ct = rng.choice(once)
    old = ct["key"]
    new = old + "-" + rng.choice(["x", "new", "b", "v2"])
    if new in keys:
        return None
    ct["key"] = new
    for _, r in rows(d):
        if r.get("content") == old:
            r["content"] = new
    return "content %s rekeyed %s" % (old, new)


def capability_renamed(rng, d):
    t = rng.choice(tables(d))
    c = rng.choice(t["capabilities"])
    old = c["name"]
    c["name"] = reword(rng, old)
    labels = rng.random() < 0.5
    if labels and c.get("key"):
        for _, r in rows(d):
            if r.get("capability") == c["key"] and r.get("label") == old:
                r["label"] = c["name"]
    return "capability %s of %s renamed%s" % (c.get("id"), t["level"],
                                              " with its rows" if labels
                                              else "")


def capability_reordered(rng, d):
    """A capability moved in its table; everything renumbered by place."""
    cands = [t for t in tables(d) if len(t["capabilities"]) >= 2]
    if not cands:
        return None
    t = rng.choice(cands)
    caps = t["capabilities"]
    i = rng.randrange(len(caps))
    c = caps.pop(i)
    j = rng.choice([k for k in range(len(caps) + 1) if k != i])
    caps.insert(j, c)
    for n, cap in enumerate(caps):
        cap["id"] = str(n + 1)
        for m, ct in enumerate(cap["contents"]):
            old = str(ct.get("id"))
            ct["id"] = "%d.%d" % (n + 1, m + 1)
            for kind in ("skills", "knowledge"):
                for it in ct.get(kind) or []:
                    if str(it.get("id", "")).startswith(old + "."):
                        it["id"] = ct["id"] + str(it["id"])[len(old):]
    return "capability %d of %s moved to %d, all renumbered" % (
        i + 1, t["level"], j + 1)


def weights_moved(rng, d):
    cands = []
    for t in weight_tables(d):
        rs = [r for g in t["groups"] for r in g["rows"]]
        for col in range(len(t["columns"])):
            nums = [r for r in rs if col < len(r["weights"])
                    and isinstance(r["weights"][col], int)]
            give = [r for r in nums if r["weights"][col] >= 2]
            for g in give:
                for r in nums:
                    if r is not g:
                        cands.append((t, col, g, r))
    if not cands:
        return None
    t, col, g, r = rng.choice(cands)
    n = rng.randint(1, g["weights"][col] - 1)
    g["weights"][col] -= n
    r["weights"][col] += n
    return "weight %d moved from %s to %s in column %d of %s" % (
        n, g["label"], r["label"], col + 1, t.get("number") or t.get("title"))


def level_renamed(rng, d):
    lv = rng.choice(d["levels"])
    old = lv["name"]
    lv["name"] = reword(rng, old)
    labels = rng.random() < 0.5
    if labels:
        for t in weight_tables(d):
            for c in t["columns"]:
                if c["level"] == lv["key"] and old in c["label"]:
                    c["label"] = c["label"].replace(old, lv["name"])
    return "level %s renamed%s" % (lv["key"], " with its columns" if labels
                                   else "")


def _leaves(x, path):
    if isinstance(x, dict):
        for k, v in x.items():
            yield from _leaves(v, path + [k])
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from _leaves(v, path + [i])
    else:
        yield path, x


def scalar_changed(rng, d):
    chapters = ["id", "meta", "notice", "scope", "terms", "occupation",
                "branches", "eligibility", "assessment", "basic_requirements",
                "work_requirements", "weights"]
    leaves = [(p, v) for p, v in _leaves(
        {k: d[k] for k in chapters if k in d}, [])
        if p[-1] not in ("key", "level", "method", "certificate", "status",
                         "education", "experience_field", "diploma",
                         "experience_counted", "professional_title", "levels",
                         "branch", "kind")
        and not (len(p) > 1 and p[-2] == "levels")
        and not any(x in p for x in ("capabilities", "columns", "groups",
                                     "total"))]
    p, v = rng.choice(leaves)
    if isinstance(v, bool):
        new = not v
    elif isinstance(v, int):
        new = max(1, v + rng.choice([-6, -1, 1, 12]))
    elif isinstance(v, str):
        new = reword(rng, v) if v else "补充"
    else:
        return None
    x = d
    for k in p[:-1]:
        x = x[k]
    x[p[-1]] = new
    return "%s changed" % ".".join(map(str, p))


OPTIONAL = {
    "route": [("experience_counted", ["total", "after-certificate"]),
              ("experience_field", ["occupation", "related", "either"]),
              ("education", ["none", "secondary", "associate", "bachelor"]),
              ("diploma", ["none", "technical-school"]),
              ("apprenticeship", [False, True]),
              ("professional_title", ["none", "junior"]),
              ("min_age", [16, 18])],
    "ratio": [("per_room", [False, True]), ("odd", [False, True])],
}


def optional_toggled(rng, d):
    """An optional key written (often as its default) or left out."""
    places = [("route", r) for e in d.get("eligibility") or []
              for r in e["routes"]]
    places += [("ratio", r) for r in
               ((d.get("assessment") or {}).get("ratios") or {}).get("items")
               or []]
    if not places:
        return None
    kind, m = rng.choice(places)
    key, values = rng.choice(OPTIONAL[kind])
    if key in m:
        del m[key]
        return "%s %s left out" % (kind, key)
    m[key] = rng.choice(values)
    return "%s %s written: %s" % (kind, key, m[key])


def _rows_removed(rng, d, gone):
    """The weight rows gone(row) says removed, their weight given to
    another row of the same column (columns keep their sums); False if
    some weight has nowhere to go."""
    for t in weight_tables(d):
        rs = [r for g in t["groups"] for r in g["rows"]]
        for r in [r for r in rs if gone(r)]:
            for col, w in enumerate(r["weights"]):
                if not isinstance(w, int) or w == 0:
                    continue
                to = [x for x in rs if x is not r and not gone(x)
                      and col < len(x["weights"])
                      and isinstance(x["weights"][col], int)]
                if not to:
                    return False
                rng.choice(to)["weights"][col] += w
        for g in t["groups"]:
            g["rows"] = [r for r in g["rows"] if not gone(r)]
        t["groups"] = [g for g in t["groups"] if g["rows"]]
    return True


def content_removed(rng, d):
    keys = [ct["key"] for _, _, ct in contents(d)]
    cands = [(t, c, ct) for t, c, ct in contents(d)
             if len(c["contents"]) >= 2 and keys.count(ct["key"]) == 1]
    if not cands:
        return None
    t, c, ct = rng.choice(cands)
    c["contents"].remove(ct)
    if not _rows_removed(rng, d, lambda r: r.get("content") == ct["key"]):
        return None
    return "content %s removed" % ct["key"]


def content_added(rng, d):
    t = rng.choice(tables(d))
    c = rng.choice(t["capabilities"])
    keys = {ct["key"] for _, _, ct in contents(d)}
    key = "added-%d" % rng.randrange(100)
    if key in keys or any(r.get("content") for _, r in rows(d)):
        return None  # weighed by content: it would need rows
    cid = "%s.%d" % (c.get("id"), len(c["contents"]) + 1)
    c["contents"].insert(rng.randint(0, len(c["contents"])), {
        "key": key, "id": cid, "name": new_text(rng, "新"),
        "skills": [{"id": cid + ".%d" % (n + 1), "text": new_text(rng)}
                   for n in range(rng.randint(1, 3))],
        "knowledge": [{"id": cid + ".1", "text": new_text(rng, "知")}]})
    return "content %s added to %s/%s" % (key, t["level"], c.get("id"))


def _name(t):
    return t.get("number") or t.get("caption") or t.get("title")


def weight_labels_changed(rng, d):
    """A row group's or the total row's label changed, or a row moved to
    another group."""
    wts = weight_tables(d)
    if not wts:
        return None
    t = rng.choice(wts)
    k = rng.randrange(3)
    if k == 0:
        g = rng.choice(t["groups"])
        g["label"] = reword(rng, g["label"]) if g["label"] else "其他"
        return "a row group's label of %s changed" % _name(t)
    if k == 1:
        t["total"]["label"] = reword(rng, t["total"]["label"])
        return "the total's label of %s changed" % _name(t)
    g = rng.choice([g for g in t["groups"] if len(g["rows"]) >= 2] or [None])
    if g is None:
        return None
    r = g["rows"].pop()
    t["groups"].append({"label": "其他", "rows": [r]})
    return "row %s of %s moved to a new group" % (r["label"], _name(t))


def capability_removed(rng, d):
    cands = [(t, c) for t in tables(d) if len(t["capabilities"]) >= 2
             for c in t["capabilities"]]
    if not cands:
        return None
    t, c = rng.choice(cands)
    keys = [ct["key"] for _, _, ct in contents(d)]
    if any(keys.count(ct["key"]) > 1 for ct in c["contents"]):
        return None
    t["capabilities"].remove(c)
    gone = {ct["key"] for ct in c["contents"]}
    shared = c.get("key") and any(x.get("key") == c["key"]
                                  for t2 in tables(d)
                                  for x in t2["capabilities"])
    if not _rows_removed(rng, d, lambda r: r.get("content") in gone or (
            c.get("key") and not shared and r.get("capability") == c["key"])):
        return None
    return "capability %s of %s removed" % (c.get("id"), t["level"])


def capability_added(rng, d):
    if any(r.get("content") for _, r in rows(d)):
        return None  # weighed by content: it would need rows
    t = rng.choice(tables(d))
    n = len(t["capabilities"]) + 1
    keys = {ct["key"] for _, _, ct in contents(d)}
    key = "new-%d" % rng.randrange(100)
    if key in keys:
        return None
    cap = {"id": str(n), "name": new_text(rng, "新"), "contents": [{
        "key": key, "id": "%d.1" % n, "name": new_text(rng, "新"),
        "skills": [{"id": "%d.1.1" % n, "text": new_text(rng)}],
        "knowledge": [{"id": "%d.1.1" % n, "text": new_text(rng, "知")}]}]}
    if any(c.get("key") for c in t["capabilities"]):
        cap = {"key": key + "-cap", **cap}
    t["capabilities"].append(cap)
    return "capability %d added to %s" % (n, t["level"])


def capability_rekeyed(rng, d):
    cands = [c for t in tables(d) for c in t["capabilities"] if c.get("key")]
    if not cands:
        return None
    c = rng.choice(cands)
    old = c["key"]
    new = old + "-" + rng.choice(["x", "new"])
    for t in tables(d):  # the same capability in every level's table
        for x in t["capabilities"]:
            if x.get("key") == old:
                x["key"] = new
    for _, r in rows(d):
        if r.get("capability") == old:
            r["capability"] = new
    return "capability %s rekeyed %s, its rows with it" % (old, new)


def item_renumbered(rng, d):
    t, c, ct, kind = pick_list(rng, d)
    it = rng.choice(ct[kind])
    old = it.get("id")
    it["id"] = "%s.%d" % (ct.get("id"), len(ct[kind]) + rng.randint(1, 5))
    return "%s item %s of %s renumbered %s" % (kind, old, ct["key"], it["id"])


def weight_table_renumbered(rng, d):
    cands = [t for t in weight_tables(d) if t.get("number")]
    if not cands:
        return None
    t = rng.choice(cands)
    old = t["number"]
    t["number"] = old + "A"
    return "weight table %s renumbered %s" % (old, t["number"])


def column_removed(rng, d):
    cands = [t for t in weight_tables(d) if len(t["columns"]) >= 2]
    if not cands:
        return None
    t = rng.choice(cands)
    i = rng.randrange(len(t["columns"]))
    del t["columns"][i]
    for g in t["groups"]:
        for r in g["rows"]:
            if i < len(r["weights"]):
                del r["weights"][i]
    if i < len(t["total"]["weights"]):
        del t["total"]["weights"][i]
    return "column %d of %s removed" % (i + 1, _name(t))


def _labelled_lists(x, out):
    """The lists of mappings labelled a, b, c... in order (routes, the
    labelled items of a clause), under x."""
    if isinstance(x, dict):
        for v in x.values():
            _labelled_lists(v, out)
    elif isinstance(x, list):
        if x and all(isinstance(e, dict) and "text" in e and
                     e.get("label") == chr(ord("a") + i)
                     for i, e in enumerate(x)):
            out.append(x)
        for v in x:
            _labelled_lists(v, out)
    return out


def labelled_inserted(rng, d):
    """An element inserted into a list labelled a, b, c..., the ones after
    it relabelled (diff: one 'relabelled' each, not their fields)."""
    lists = []
    for k in ("eligibility", "assessment", "basic_requirements", "occupation"):
        _labelled_lists(d.get(k), lists)
    lists = [x for x in lists if len(x) < 20]
    if not lists:
        return None
    x = rng.choice(lists)
    i = rng.randrange(len(x) + 1)
    e = copy.deepcopy(x[min(i, len(x) - 1)])
    e["text"] = new_text(rng, "新")
    x.insert(i, e)
    for k, el in enumerate(x):
        el["label"] = chr(ord("a") + k)
    return "element inserted at %s of a labelled list of %d" % (
        chr(ord("a") + i), len(x))


EDITS = [item_inserted, item_removed, item_reworded, item_reordered,
         content_moved, content_renamed, content_rekeyed, capability_renamed,
         capability_reordered, weights_moved, level_renamed, scalar_changed,
         optional_toggled, content_removed, content_added,
         weight_labels_changed, capability_removed, capability_added,
         capability_rekeyed, item_renumbered, weight_table_renumbered,
         column_removed, labelled_inserted]


def mutate(data, seed, most=3):
    """data changed in place by 1 to most random edits; what they were."""
    rng = random.Random(seed)
    done = []
    for _ in range(rng.randint(1, most)):
        for _ in range(10):
            e = rng.choice(EDITS)(rng, data)
            if e:
                done.append(e)
                break
    return done


_loaded = {}


def make(run, inp, out, seed, most=3, attempts=20):
    """Write out, a draft of inp that checks without errors; its edits,
    or None. run(*args) runs skillc."""
    if inp not in _loaded:
        with open(inp, encoding="utf-8") as f:
            _loaded[inp] = load(f.read())
    for k in range(attempts):
        data = copy.deepcopy(_loaded[inp])
        edits = mutate(data, seed * 1000 + k, most)
        with open(out, "w", encoding="utf-8") as f:
            f.write(dump(data))
        if run("check", "-w", out).returncode == 0:
            return edits
    return None


def main():
    skillc, seed, inp, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
        sys.argv[4]
    edits = make(lambda *a: subprocess.run([skillc] + list(a),
                                           capture_output=True), inp, out,
                 seed)
    if edits is None:
        print("no draft without errors made", file=sys.stderr)
        return 1
    print("\n".join(edits))
    return 0


if __name__ == "__main__":
    sys.exit(main())
