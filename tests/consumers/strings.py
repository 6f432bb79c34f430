#!/usr/bin/python3
"""The strings of a generated header must be byte-equal to the JSON's.

usage: strings.py DUMP-PROGRAM SKILLC SOURCE.yaml [SKILLC-OPTIONS...]
Runs DUMP-PROGRAM (dump.c built against SOURCE's header), builds SOURCE's
JSON with SKILLC, lists the same strings from the JSON in the same order,
and compares them byte for byte.
"""
import json
import os
import subprocess
import sys
import tempfile


def expected(d):
    out = [d["id"], d["meta"]["title"]["zh"], d["meta"]["title"]["en"], d["occupation"]["name"]]
    for l in d["levels"]:
        out += [l["key"], l["name"]]
    for b in d["branches"]:
        out += [b["key"], b["name"]]
    tables = d["work_requirements"]["tables"]
    caps = [c for t in tables for c in t["capabilities"]]
    contents = [ct for c in caps for ct in c["contents"]]
    for c in caps:
        out += [c["key"], c["id"], c["name"]]
    for ct in contents:
        out += [ct["key"], ct["id"], ct["name"]]
    for kind in ("skills", "knowledge"):
        for ct in contents:
            for it in ct[kind]:
                out += [it["id"], it["text"]]

    def keyed(sections):
        for s in sections:
            if s["key"] is not None:
                yield s
            yield from keyed(s["sections"])
    for s in keyed(d["basic_requirements"]["sections"]):
        out += [s["key"], s["title"]]
    weights = d["weights"]
    for t in [t for sec in weights["sections"] for t in sec["tables"]] + weights["tables"]:
        out += [t["clause"], t["title"], t["number"], t["caption"]]
        for g in t["groups"]:
            for r in g["rows"]:
                out += [g["label"], r["label"], r["capability"], r["content"]]
    for m in d["assessment"]["methods"]["items"]:
        out += [m["key"], m["name"]]
    for e in d["eligibility"]:
        for r in e["routes"]:
            out += [r["label"], r["text"]]
    for r in d["assessment"]["ratios"]["items"]:
        out.append(r["role"])
    return ["-" if s is None else s.encode("utf-8").hex() for s in out]


def main():
    dump, skillc, source, options = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    got = subprocess.run([dump], capture_output=True, check=True).stdout.decode().split("\n")[:-1]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([skillc, "build", *options, "--format=json", "-o", tmp, source],
                       check=True)
        name = os.path.basename(source).rsplit(".", 1)[0] + ".json"
        want = expected(json.load(open(os.path.join(tmp, name), encoding="utf-8")))
    if got != want:
        for i, (g, w) in enumerate(zip(got, want)):
            if g != w:
                print(f"string {i} differs: header {bytes.fromhex(g) if g != '-' else None!r}, "
                      f"JSON {bytes.fromhex(w) if w != '-' else None!r}")
                break
        print(f"{len(got)} strings in the header, {len(want)} in the JSON")
        sys.exit(1)
    print(f"ok: {len(got)} strings byte-equal")


if __name__ == "__main__":
    main()
