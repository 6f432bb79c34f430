#!/usr/bin/python3
"""Write two drafts of a large standard for skillc diff to compare.

usage: gen_diff_pair.py [--hostile KIND] MEGABYTES OLD.yaml NEW.yaml [SEED]

OLD is gen_big.py's standard of about MEGABYTES MB (gen_big.py is run
here, in this process, with its YAML written by libyaml's emitter: the
same bytes, faster). NEW is OLD edited, deterministically from SEED
(default 1), with about one edit per 20 work contents, the kinds in turn:

  insert      an item inserted mid-list, the ids after it renumbered
  reword      an item reworded by a few characters
  remove      an item removed, the ids after it renumbered
  move        two work contents of one table swap capabilities (each moved
              to another capability, renumbered with its items)
  rename      a work content renamed (at every level that has its key, and
              its weight rows' labels)
  rekey       a work content given a new key (at every level, and its
              weight rows' references)
  capability  a capability renamed
  weights     a weight column rebalanced: 1 to 3 points moved from one
              work content's row to another's (every column still sums to
              100)

and once each: a level renamed, a metadata field (meta.published) changed.
No work content is touched by two edits (a weight edit may touch the row
of one that another edit touched). Both files check clean (`skillc check`
exits 0 with no findings). What was done is printed on standard error,
one count per kind.

--hostile KIND writes instead a pair made for the similarity step, where
little or nothing pairs by hash:

  wide   the brief's worst case: gen_big.py's standard of half the size,
         plus one work content with thousands of skill items (about the
         other half), all reworded in NEW (no text equal; its key stays,
         so it pairs and its items are compared); every other work
         content of NEW has its key and name changed by a few characters,
         so none pairs by key or name and all are left to the similarity
         of names within their table.
  max    work contents made to cost the most that diff.c's per-content
         bounds allow: each has 64 skill and 64 knowledge items of 500
         characters (64 x 64 = DIFF_MAX_PAIRS candidate pairs, of texts of
         DIFF_MAX_CHARS), all reworded in NEW, and a name of 500
         characters; NEW changes every key and name a little, so they
         pair by the similarity of names (while a table has at most 64 of
         them: up to about 60 MB) and then their items by similarity.
         As many such contents at each level as fit the size; the texts
         are Chinese characters (3 bytes each).
  dense  max with texts of digits ("能" then 499 digits: one byte a
         character, no finding): three times the contents per MB.

Nothing it writes is committed.
"""
import os
import random
import runpy
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
GEN_BIG = os.path.join(HERE, "gen_big.py")

# Characters for made-up texts: common ones of the test standard, less the
# conjunctions (one at either end of a text is a finding).
POOL = ("能按规定检查叉车的燃油机油冷却液液位轮胎气压灯光喇叭仪表警示装置"
        "是否完好蓄电池电量指示插接件状态类型结构主要技术参数班前项目要求电源"
        "系统基本知识识别作业通道宽度地面承载坡道条件区域内安全标志线含义清洁"
        "车身门架护顶添加补充为充电注意事项日常保养内容完成启动起步换挡转向停"
        "空载状态下路线进行前倒字形行驶窄调整货叉间距取标准托盘物装上卸厢式将"
        "单件额定起重量荷中心距概念重平稳性堆码两层高度拆垛放置到指定位稳")
# Digits: one byte a character, and no finding however long the text.
DIGITS = "0123456789"


def dump(data, stream=None, **kw):
    return yaml.dump(data, stream, Dumper=yaml.CSafeDumper, **kw)


def gen_big(megabytes, path):
    """gen_big.py's standard, written to path; returns it, to be edited."""
    argv, safe_dump = sys.argv, yaml.safe_dump
    sys.argv = [GEN_BIG, str(megabytes), path]
    yaml.safe_dump = dump
    try:
        return runpy.run_path(GEN_BIG, run_name="gen_big")["std"]
    finally:
        sys.argv, yaml.safe_dump = argv, safe_dump


def write(std, path):
    with open(path, "w", encoding="utf-8") as f:
        dump(std, f, allow_unicode=True, sort_keys=False, width=1000)


def content_rows(std):
    """Every weight row that references a work content."""
    for sec in std["weights"]["sections"]:
        for t in sec["tables"]:
            for g in t["groups"]:
                for r in g["rows"]:
                    if "content" in r:
                        yield r


def renumber(items, prefix):
    for i, it in enumerate(items):
        it["id"] = "%s.%d" % (prefix, i + 1)


def set_content_id(content, cid):
    content["id"] = cid
    renumber(content["skills"], cid)
    renumber(content["knowledge"], cid)


def reword(rng, text, n=2):
    """text with n characters replaced by others of their kind (a digit by
    a digit): never the same text."""
    cs = list(text)
    # leave a trailing "（N）" alone: it is what tells copies apart
    end = text.rfind("（") if text.endswith("）") else len(text)
    for k in rng.sample(range(end), min(n, end)):
        kind = DIGITS if cs[k] in DIGITS else POOL
        cs[k] = rng.choice([c for c in kind if c != cs[k]])
    return "".join(cs)


def random_text(rng, n):
    return "".join(rng.choice(POOL) for _ in range(n))


def bulk_contents(std):
    """(table index, capability, content, key) of gen_big's contents."""
    out = []
    for ti, t in enumerate(std["work_requirements"]["tables"]):
        for cap in t["capabilities"]:
            for c in cap["contents"]:
                if c["key"].startswith("bulk-"):
                    out.append((ti, cap, c, c["key"]))
    return out


KINDS = ["insert", "reword", "remove", "move", "rename", "rekey",
         "capability", "weights"]


def edit(std, rng):
    tables = std["work_requirements"]["tables"]
    bulk = bulk_contents(std)
    by_key = {}
    for b in bulk:
        by_key.setdefault(b[3], []).append(b)
    keys = sorted(by_key, key=lambda k: int(k.split("-")[1]))
    n_contents = sum(len(c["contents"]) for t in tables for c in t["capabilities"])
    n_edits = max(len(KINDS), n_contents // 20)
    rng.shuffle(keys)
    # edits of a key's contents at every level take a key each; the others
    # a content each, of the keys left, no content twice
    free = []
    done = {k: 0 for k in KINDS}
    plan = [KINDS[i % len(KINDS)] for i in range(n_edits)]
    n_key_edits = sum(1 for p in plan if p in ("rename", "rekey"))
    key_pool, rest = keys[:n_key_edits], keys[n_key_edits:]
    for k in rest:
        free.extend(by_key[k])
    rng.shuffle(free)
    used_caps = set()

    def take(pred=lambda b: True):
        for i in range(len(free) - 1, -1, -1):
            if pred(free[i]) and id(free[i][1]) not in used_caps:
                b = free.pop(i)
                used_caps.add(id(b[1]))
                return b
        raise SystemExit("gen_diff_pair.py: too few work contents for the edits")

    rows_by_key = {}
    for r in content_rows(std):
        rows_by_key.setdefault(r["content"], []).append(r)
    weight_tables = [t for sec in std["weights"]["sections"] for t in sec["tables"]]
    table_rows = [[r for g in t["groups"] for r in g["rows"] if "content" in r]
                  for t in weight_tables]
    holding = {}

    for kind in plan:
        if kind in ("insert", "reword", "remove"):
            _, cap, c, key = take()
            which = rng.choice(["skills", "knowledge"])
            items = c[which]
            if kind == "insert":
                at = rng.randrange(1, len(items))
                items.insert(at, {"id": "", "text": "能完成新增的作业项目%s（%d）" % (
                    random_text(rng, 4), done[kind])})
                renumber(items, c["id"])
            elif kind == "reword":
                it = rng.choice(items)
                it["text"] = reword(rng, it["text"])
            else:
                del items[rng.randrange(len(items) - 1)]
                renumber(items, c["id"])
        elif kind == "move":
            ti, cap_a, a, _ = take()
            _, cap_b, b, _ = take(lambda x: x[0] == ti)
            cap_a["contents"][0], cap_b["contents"][0] = b, a
            set_content_id(a, cap_b["id"] + ".1")
            set_content_id(b, cap_a["id"] + ".1")
        elif kind in ("rename", "rekey"):
            key = key_pool.pop()
            if kind == "rename":
                name = by_key[key][0][2]["name"] + "（修订）"
                for _, _, c, _ in by_key[key]:
                    c["name"] = name
                for r in rows_by_key[key]:
                    r["label"] = name
            else:
                new = key + "-r"
                for _, _, c, _ in by_key[key]:
                    c["key"] = new
                for r in rows_by_key[key]:
                    r["content"] = new
        elif kind == "capability":
            _, cap, c, _ = take()
            cap["name"] = cap["name"] + "与管理"
        elif kind == "weights":
            ti = rng.randrange(len(weight_tables))
            col = rng.randrange(len(weight_tables[ti]["columns"]))
            rows = table_rows[ti]
            # the rows weighing something in the column: few, kept apart
            # (a list rebuilt each time would be quadratic in the size)
            held = holding.setdefault((ti, col), [r for r in rows if r["weights"][col]])
            src = rng.choice(held)
            dst = src
            while dst is src:
                dst = rng.choice(rows)
            pts = rng.randint(1, min(3, src["weights"][col]))
            src["weights"][col] -= pts
            if not src["weights"][col]:
                held.remove(src)
            if not dst["weights"][col]:
                held.append(dst)
            dst["weights"][col] += pts
        done[kind] += 1
    lv = std["levels"][-1]
    lv["name"] = lv["name"] + "（资深）"
    std["meta"]["published"] = "2024-03-20"
    return done


# ---- hostile pairs -------------------------------------------------------


def hostile_wide(megabytes, old, new, rng):
    std = gen_big(megabytes / 2, old)
    tables = std["work_requirements"]["tables"]
    c = tables[0]["capabilities"][-1]["contents"][0]
    # about the other half of the size in items of about 40 characters
    per_item = len(dump({"id": "3.1.1000", "text": "字" * 40}, allow_unicode=True).encode()) + 4
    n = max(1000, int(megabytes * 1e6 / 2 / per_item))
    c["skills"] = [{"id": "%s.%d" % (c["id"], i + 1),
                    "text": random_text(rng, 36) + "（%d）" % i} for i in range(n)]
    write(std, old)
    for it in c["skills"]:
        it["text"] = reword(rng, it["text"], 3)
    rows_by_key = {}
    for r in content_rows(std):
        rows_by_key.setdefault(r["content"], []).append(r)
    names = {}
    for t in tables:
        for cap in t["capabilities"]:
            for w in cap["contents"]:
                # keys are shared across the levels of a weight table
                old_key = w["key"]
                if old_key == c["key"]:
                    continue  # the wide one pairs: its items are compared
                if old_key not in names:
                    names[old_key] = (old_key + "-x", reword(rng, w["name"] + "内容", 1))
                w["key"], w["name"] = names[old_key]
    for k, rows in rows_by_key.items():
        for r in rows if k in names else ():
            r["content"], r["label"] = names[k]
    write(std, new)
    return {"items reworded": n, "contents re-keyed and renamed": len(names)}


def hostile_max(megabytes, old, new, rng, alphabet):
    std = gen_big(0, old)  # the test standard and one copy: about 60 kB
    tables = std["work_requirements"]["tables"]
    L = 500  # DIFF_MAX_CHARS
    N = 64   # N * N = DIFF_MAX_PAIRS

    def text():
        return "能" + "".join(rng.choice(alphabet) for _ in range(L - 1))

    def content(key, cid):
        return {"key": key, "id": cid, "name": text(),
                "skills": [{"id": "%s.%d" % (cid, i + 1), "text": text()}
                           for i in range(N)],
                "knowledge": [{"id": "%s.%d" % (cid, i + 1), "text": text()}
                              for i in range(N)]}

    per_content = len(dump(content("x", "9.1"), allow_unicode=True).encode())
    units = max(1, int(round(megabytes * 1e6 / (per_content * len(tables)))))
    added = []
    for u in range(units):
        key = "hostile-%d" % (u + 1)
        for t in tables:
            caps = t["capabilities"]
            cid = str(len(caps) + 1)
            c = content(key, cid + ".1")
            caps.append({"id": cid, "name": "对抗职业功能%d" % (u + 1), "contents": [c]})
            added.append(c)
    rows = {}
    for sec in std["weights"]["sections"]:
        for t in sec["tables"]:
            for u in range(units):
                r = {"content": "hostile-%d" % (u + 1), "label": "",
                     "weights": [0] * len(t["columns"])}
                t["groups"][-1]["rows"].append(r)
                rows.setdefault(r["content"], []).append(r)

    def name(u, n):
        # one name per key across the levels, as weight labels need
        for c in added[u * len(tables):(u + 1) * len(tables)]:
            c["name"] = n
        for r in rows["hostile-%d" % (u + 1)]:
            r["label"] = n

    for u in range(units):
        name(u, added[u * len(tables)]["name"])
    write(std, old)
    # NEW: every text reworded, every key and name changed a little: no
    # content pairs by key or name, no item by text
    for u in range(units):
        name(u, reword(rng, added[u * len(tables)]["name"], 3))
        for r in rows["hostile-%d" % (u + 1)]:
            r["content"] += "-x"
    for c in added:
        c["key"] += "-x"
        for it in c["skills"] + c["knowledge"]:
            it["text"] = reword(rng, it["text"], 3)
    write(std, new)
    return {"contents": len(added), "per table and level": units,
            "items reworded": len(added) * 2 * N}


def main(argv):
    hostile = None
    if argv and argv[0].startswith("--hostile"):
        if "=" in argv[0]:
            hostile = argv[0].split("=", 1)[1]
            argv = argv[1:]
        else:
            hostile, argv = argv[1] if len(argv) > 1 else "", argv[2:]
        if hostile not in ("wide", "max", "dense"):
            raise SystemExit("gen_diff_pair.py: --hostile wide, max or dense")
    if len(argv) not in (3, 4):
        raise SystemExit(__doc__.split("\n\n")[1])
    megabytes, old, new = float(argv[0]), argv[1], argv[2]
    rng = random.Random(int(argv[3]) if len(argv) > 3 else 1)
    if hostile == "wide":
        done = hostile_wide(megabytes, old, new, rng)
    elif hostile == "max":
        done = hostile_max(megabytes, old, new, rng, POOL)
    elif hostile == "dense":
        done = hostile_max(megabytes, old, new, rng, DIGITS)
    else:
        std = gen_big(megabytes, old)
        done = edit(std, rng)
        done["level"] = done["metadata"] = 1
        write(std, new)
    sys.stderr.write(" ".join("%s=%d" % kv for kv in done.items()) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
