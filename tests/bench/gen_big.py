#!/usr/bin/python3
"""Write a large valid standard: gen_big.py MEGABYTES OUTPUT.yaml

The five-level test standard with each work table's first capability
repeated until the file reaches about MEGABYTES MB: new work contents (keys
and IDs numbered on), their items, and weight rows that keep every column
summing to 100 (the new rows weigh 0). Used by the benchmarks and the
memory measurements; nothing of it is committed.
"""
import os
import sys

import yaml

here = os.path.dirname(os.path.abspath(__file__))
target = float(sys.argv[1]) * 1e6
std = yaml.safe_load(open(os.path.join(here, "..", "data", "five-level.yaml"), encoding="utf-8"))
tables = std["work_requirements"]["tables"]
# Content keys shared across the levels of a weight table must exist at each
# of its levels: add the same new keys to every level.
base_size = len(yaml.safe_dump(std, allow_unicode=True).encode())
per_copy = 0
copies = 0
new_keys = []
while True:
    n = copies + 1
    key = "bulk-%d" % n
    for t in tables:
        caps = t["capabilities"]
        cap_id = str(len(caps) + 1)
        src = caps[0]["contents"][0]
        content = {
            "key": key, "id": cap_id + ".1", "name": "批量工作内容%d" % n,
            "skills": [{"id": "%s.1.%d" % (cap_id, i + 1), "text": s["text"] + "（%d）" % n}
                       for i, s in enumerate(src["skills"])],
            "knowledge": [{"id": "%s.1.%d" % (cap_id, i + 1), "text": k["text"] + "（%d）" % n}
                          for i, k in enumerate(src["knowledge"])],
        }
        caps.append({"id": cap_id, "name": "批量职业功能%d" % n, "contents": [content]})
    new_keys.append((key, "批量工作内容%d" % n))
    copies = n
    if per_copy == 0:
        per_copy = len(yaml.safe_dump(std, allow_unicode=True).encode()) - base_size
    if base_size + per_copy * copies >= target:
        break
for sec in std["weights"]["sections"]:
    for t in sec["tables"]:
        rows = t["groups"][-1]["rows"]
        for key, name in new_keys:
            rows.append({"content": key, "label": name, "weights": [0] * len(t["columns"])})
with open(sys.argv[2], "w", encoding="utf-8") as f:
    yaml.safe_dump(std, f, allow_unicode=True, sort_keys=False, width=1000)
