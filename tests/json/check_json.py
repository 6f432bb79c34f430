#!/usr/bin/python3
"""What skillc's JSON output promises, checked against its source.

usage: check_json.py SKILLC SOURCE.yaml [SKILLC-OPTIONS...]

Runs 'SKILLC build --format=json SKILLC-OPTIONS -o TMPDIR SOURCE.yaml' and
checks the one JSON file it writes:

  schema      schema/skillc-output.schema.json is a valid draft 2020-12
              schema in which every object lists every key as required,
              allows no other, and describes each; the output is strict
              UTF-8 JSON (no byte order mark, no duplicate key, no NaN) and
              valid against it (jsonschema.Draft202012Validator)
  order       the keys of every object are in the order of the schema's
              "properties": the fixed order
  loose       the schema rejects the output mutated in each of several
              ways (a key removed, a type changed, an unknown key, ...), so
              a schema that accepts too much fails the test; a mutation
              with nothing to apply to is skipped with a note, but most
              must apply
  source      everything in the source (yaml.safe_load) is in the output
              at the same path with the same value: texts byte-equal,
              integers and booleans equal, "—" cells as "—", lists of the
              same length in the same order; a key the source leaves out
              is null, [] or the default the source schema documents (a
              route's experience_counted: after-certificate where the
              route names a certificate, total otherwise)
  effective   for each level, in the order of levels: the keys of the
              levels it includes (following includes down, lowest first)
              and the indices in work_requirements.tables of every table
              of theirs and its own (shared and of each branch), lowest
              level first, each level's in source order

Prints every difference found and exits 1 if there is any, 0 if all holds,
2 on a usage error or when skillc cannot be run. With SKILLC_VALGRIND=1
skillc runs under valgrind memcheck and any error or leak fails the test.
"""
import copy
import json
import os
import sys
import tempfile

import jsonschema
import yaml

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import skillc_run  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_DIR = os.path.join(HERE, os.pardir, os.pardir, "schema")
OUTPUT_SCHEMA = os.path.join(SCHEMA_DIR, "skillc-output.schema.json")
SOURCE_SCHEMA = os.path.join(SCHEMA_DIR, "skillc-source.schema.json")
MAX_REPORTED = 50


class Problems:
    def __init__(self):
        self.count = 0

    def add(self, where, msg):
        self.count += 1
        if self.count <= MAX_REPORTED:
            print("%s: %s" % (where, msg))
        elif self.count == MAX_REPORTED + 1:
            print("(more differences not shown)")


def path_str(path):
    s = "$"
    for p in path:
        s += "[%d]" % p if isinstance(p, int) else "." + p
    return s


def show(v):
    return json.dumps(v, ensure_ascii=False)


# ---- running skillc -----------------------------------------------------


def run_skillc(skillc, source, options, outdir):
    run = skillc_run.run(skillc, ["build", "--format=json", *options, "-o",
                                  outdir, source])
    if run.returncode != 0:
        sys.stderr.write(run.stderr.decode(errors="replace"))
        print("FAIL: skillc build %s exited with status %d" % (source, run.returncode))
        sys.exit(1)
    names = sorted(os.listdir(outdir))
    if len(names) != 1 or not names[0].endswith(".json"):
        print("FAIL: expected one .json output in %s, found %s" % (outdir, names))
        sys.exit(1)
    with open(os.path.join(outdir, names[0]), "rb") as f:
        return f.read()


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    for k in keys:
        if keys.count(k) > 1:
            raise ValueError("duplicate key %s" % show(k))
    return dict(pairs)


def no_constant(name):
    raise ValueError("%s is not JSON" % name)


def parse_output(data):
    """The output as Python values, object keys in their order in the file."""
    text = data.decode("utf-8", errors="strict")
    if text.startswith("\ufeff"):
        raise ValueError("a byte order mark")
    return json.loads(text, object_pairs_hook=no_duplicates,
                      parse_constant=no_constant)


# ---- the schema itself --------------------------------------------------


def resolve(schema, node):
    """Follow a local "$ref" (only "#/$defs/NAME" is used) to its target."""
    while "$ref" in node:
        ref = node["$ref"]
        prefix = "#/$defs/"
        if not ref.startswith(prefix):
            raise ValueError("unexpected $ref %s" % ref)
        node = schema["$defs"][ref[len(prefix):]]
    return node


def schema_nodes(node, path):
    """Every subschema (dict) with its place in the schema document."""
    yield node, path
    for k, v in node.items():
        if k in ("properties", "$defs"):
            for name, sub in v.items():
                yield from schema_nodes(sub, path + [k, name])
        elif k in ("items",) and isinstance(v, dict):
            yield from schema_nodes(v, path + [k])
        elif k in ("anyOf", "oneOf", "allOf"):
            for i, sub in enumerate(v):
                yield from schema_nodes(sub, path + [k, i])


def check_schema_form(schema, problems):
    """The rules the output schema keeps: complete, closed, described."""
    where = "schema/skillc-output.schema.json"
    for node, path in schema_nodes(schema, []):
        in_branch = any(p in ("anyOf", "oneOf", "allOf") for p in path)
        props = node.get("properties")
        if props is None or in_branch:
            continue
        loc = "%s: /%s" % (where, "/".join(str(p) for p in path))
        if node.get("additionalProperties") is not False:
            problems.add(loc, "an object without additionalProperties false")
        if node.get("required") != list(props):
            problems.add(loc, "required is not every property in order: %s"
                         % show(node.get("required")))
        for name, sub in props.items():
            if "description" not in sub:
                problems.add(loc, "property %s has no description" % show(name))


# ---- key order ----------------------------------------------------------


def check_order(schema, node, value, path, problems):
    """Each object's keys in the order of the properties of the closed
    object schema it is validated by."""
    for sub in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
        check_order(schema, sub, value, path, problems)
    if "$ref" in node:
        check_order(schema, resolve(schema, node), value, path, problems)
    if isinstance(value, dict) and "properties" in node \
            and node.get("additionalProperties") is False:
        props = node["properties"]
        if list(value) != list(props):
            problems.add(path_str(path), "keys %s, expected %s"
                         % (show(list(value)), show(list(props))))
        for k, v in value.items():
            if k in props:
                check_order(schema, props[k], v, path + [k], problems)
    if isinstance(value, list) and "items" in node:
        for i, v in enumerate(value):
            check_order(schema, node["items"], v, path + [i], problems)


# ---- a schema that accepts too much --------------------------------------


def find(doc, pred, path=()):
    """The path of the first value (depth first, in order) for which
    pred(value) holds, or None."""
    if pred(doc):
        return list(path)
    items = doc.items() if isinstance(doc, dict) else \
        enumerate(doc) if isinstance(doc, list) else ()
    for k, v in items:
        found = find(v, pred, path + (k,))
        if found is not None:
            return found
    return None


def at(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def is_obj_with(*keys):
    return lambda v: isinstance(v, dict) and all(k in v for k in keys)


is_effective_level = is_obj_with("level", "includes", "tables")

# Each mutation: what it does, where (a predicate for the object it
# changes: the first one found), and the change.
MUTATIONS = [
    ("remove a key whose value is null (levels[0].includes)",
     is_obj_with("key", "name", "includes"),
     lambda o: o.pop("includes")),
    ("remove a key of an effective level (tables)",
     is_effective_level,
     lambda o: o.pop("tables")),
    ("change an integer into a string (pass_score.full_marks)",
     is_obj_with("full_marks", "score"),
     lambda o: o.__setitem__("full_marks", str(o["full_marks"]))),
    ("change a weight into a string",
     is_obj_with("label", "weights"),
     lambda o: o["weights"].__setitem__(0, str(o["weights"][0]))),
    ("change a list of texts into a text (meta.drafters)",
     is_obj_with("drafters"),
     lambda o: o.__setitem__("drafters", "; ".join(o["drafters"]))),
    ("add an unknown key to an effective level",
     is_effective_level,
     lambda o: o.__setitem__("extra", "x")),
    ("list a table twice in an effective level",
     lambda v: is_effective_level(v) and v["tables"],
     lambda o: o["tables"].append(o["tables"][0])),
    ("put a negative table index in an effective level",
     lambda v: is_effective_level(v) and v["tables"],
     lambda o: o["tables"].__setitem__(0, -1)),
    ("put null where a text is required (meta.title.zh)",
     is_obj_with("zh", "en"),
     lambda o: o.__setitem__("zh", None)),
    ("put a value outside the enumeration (meta.status)",
     is_obj_with("status", "status_text"),
     lambda o: o.__setitem__("status", "final")),
    ("put a weight outside 0..100",
     is_obj_with("content", "basic", "weights"),
     lambda o: o["weights"].__setitem__(0, 101)),
    ("give a weight row both a basic and a content key",
     lambda v: is_obj_with("content", "basic")(v) and v["content"] is not None,
     lambda o: o.__setitem__("basic", o["content"])),
    ("give a weight row both a basic and a capability key",
     lambda v: is_obj_with("capability", "basic", "weights")(v) and v["capability"] is not None,
     lambda o: o.__setitem__("basic", o["capability"])),
    ("put a dash look-alike in a weight cell",
     is_obj_with("basic", "weights"),
     lambda o: o["weights"].__setitem__(0, "-")),
    ("put a dash in a total",
     lambda v: is_obj_with("label", "weights")(v) and "basic" not in v,
     lambda o: o["weights"].__setitem__(0, "\u2014")),
    ("put a value outside a route's enumeration (diploma)",
     is_obj_with("diploma", "apprenticeship"),
     lambda o: o.__setitem__("diploma", "university")),
    ("put a key that is not of the key form (levels[0].key)",
     is_obj_with("key", "name", "includes"),
     lambda o: o.__setitem__("key", "1" + o["key"])),
    ("put a control character in a text (scope.title)",
     is_obj_with("clause", "title", "paragraphs"),
     lambda o: o.__setitem__("title", o["title"] + "\t")),
    ("put a boolean where an integer is (pass_score.score)",
     is_obj_with("full_marks", "score"),
     lambda o: o.__setitem__("score", True)),
    ("put a text where a nullable integer is (a ratio's staff)",
     is_obj_with("staff", "per_room"),
     lambda o: o.__setitem__("staff", "1")),
]
MIN_MUTATIONS = 10  # an output too small to try most of them tests too little


def check_strict(validator, doc, problems):
    applied = 0
    for what, pred, change in MUTATIONS:
        path = find(doc, pred)
        if path is None:
            print("note: nothing in this output to %s" % what)
            continue
        applied += 1
        mutated = copy.deepcopy(doc)
        change(at(mutated, path))
        if validator.is_valid(mutated):
            problems.add("schema", "accepts the output mutated: %s at %s"
                         % (what, path_str(path)))
    if applied < MIN_MUTATIONS:
        problems.add("schema", "only %d of %d mutations apply to this output"
                     % (applied, len(MUTATIONS)))


# ---- the source ---------------------------------------------------------


def kind(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, str):
        return "text"
    if isinstance(v, list):
        return "list"
    if isinstance(v, dict):
        return "mapping"
    return type(v).__name__


def source_default(src_schema, prop_node):
    """What the output holds for a key the source leaves out: the default
    the source schema documents, [] for a list, null for anything else."""
    if "default" in prop_node:
        return prop_node["default"]
    node = prop_node
    while True:
        if node.get("type") == "array":
            return []
        if "$ref" not in node:
            return None
        node = resolve(src_schema, node)


def compare(src_schema, node, src, out, path, problems):
    """src (from the YAML) against out (from the JSON); node is the source
    schema's subschema for src."""
    node = resolve(src_schema, node) if "$ref" in node else node
    for sub in node.get("oneOf", []):  # the branch of src's kind
        sub = resolve(src_schema, sub) if "$ref" in sub else sub
        if {"string": "text", "object": "mapping", "array": "list",
                "integer": "integer", "boolean": "boolean"}.get(sub.get("type")) == kind(src):
            node = sub
            break
    where = path_str(path)
    if kind(src) != kind(out):
        problems.add(where, "the source has %s %s, the output %s %s"
                     % (kind(src), show(src) if not isinstance(src, (dict, list)) else "",
                        kind(out), show(out)[:80]))
        return
    if isinstance(src, str):
        if src.encode("utf-8") != out.encode("utf-8"):
            problems.add(where, "text differs: source %s, output %s"
                         % (show(src), show(out)))
    elif isinstance(src, list):
        if len(src) != len(out):
            problems.add(where, "the source has %d items, the output %d"
                         % (len(src), len(out)))
            return
        item = node.get("items", {})
        for i, (s, o) in enumerate(zip(src, out)):
            compare(src_schema, item, s, o, path + [i], problems)
    elif isinstance(src, dict):
        props = node.get("properties", {})
        for k, v in src.items():
            if k not in out:
                problems.add(where, "key %s of the source is not in the output" % show(k))
            elif k not in props and not isinstance(node.get("additionalProperties"), dict):
                problems.add(where, "key %s is not in the source schema" % show(k))
            elif k not in props:  # a mapping of any keys: texts by language
                compare(src_schema, node["additionalProperties"], v, out[k], path + [k],
                        problems)
            else:
                compare(src_schema, props[k], v, out[k], path + [k], problems)
        for k, v in out.items():
            if k in src or (not path and k == "effective"):
                continue
            if k not in props and isinstance(node.get("additionalProperties"), dict):
                problems.add(where, "key %s is in the output, not in the source" % show(k))
                continue
            if k not in props:
                problems.add(where, "key %s is neither in the source nor in the source schema"
                             % show(k))
                continue
            want = source_default(src_schema, props[k])
            if k == "experience_counted":  # the default follows the certificate
                want = "after-certificate" if src.get("certificate") else "total"
            if kind(v) != kind(want) or v != want:
                problems.add(where, "key %s is not in the source: expected %s, found %s"
                             % (show(k), show(want), show(v)[:80]))
    elif src != out:
        problems.add(where, "the source has %s, the output %s" % (show(src), show(out)))


# ---- effective ----------------------------------------------------------


def expected_effective(src):
    """Each level's effective requirements, computed from the source."""
    by_key = {l["key"]: l for l in src["levels"]}
    tables = {}
    for i, t in enumerate(src["work_requirements"]["tables"]):
        tables.setdefault(t["level"], []).append(i)  # shared and per branch
    result = []
    for level in src["levels"]:
        chain, seen = [], set()
        l = level
        while l is not None and l["key"] not in seen:
            seen.add(l["key"])
            chain.append(l["key"])
            l = by_key.get(l.get("includes"))
        result.append({"level": level["key"], "includes": list(reversed(chain[1:])),
                       "tables": [i for key in reversed(chain) for i in tables.get(key, [])]})
    return result


def compare_plain(want, got, path, problems):
    """Equal values, texts byte for byte, lists item by item."""
    where = path_str(path)
    if kind(want) != kind(got):
        problems.add(where, "expected %s %s, found %s %s"
                     % (kind(want), show(want)[:80], kind(got), show(got)[:80]))
    elif isinstance(want, dict):
        if list(want) != list(got):
            problems.add(where, "keys %s, expected %s" % (show(list(got)), show(list(want))))
        for k in want:
            if k in got:
                compare_plain(want[k], got[k], path + [k], problems)
    elif isinstance(want, list):
        if len(want) != len(got):
            problems.add(where, "expected %d items, found %d" % (len(want), len(got)))
        for i, (w, g) in enumerate(zip(want, got)):
            compare_plain(w, g, path + [i], problems)
    elif isinstance(want, str):
        if want.encode("utf-8") != got.encode("utf-8"):
            problems.add(where, "expected %s, found %s" % (show(want), show(got)))
    elif want != got:
        problems.add(where, "expected %s, found %s" % (show(want), show(got)))


# ---- main ---------------------------------------------------------------


def main(argv):
    if len(argv) < 3 or argv[1].startswith("-") or argv[2].startswith("-"):
        sys.stderr.write("usage: check_json.py SKILLC SOURCE.yaml [SKILLC-OPTIONS...]\n")
        return 2
    skillc, source, options = argv[1], argv[2], argv[3:]
    with open(OUTPUT_SCHEMA, encoding="utf-8") as f:
        schema = json.load(f, object_pairs_hook=no_duplicates)
    with open(SOURCE_SCHEMA, encoding="utf-8") as f:
        src_schema = json.load(f)
    with open(source, encoding="utf-8") as f:
        src = yaml.safe_load(f)

    with tempfile.TemporaryDirectory(prefix="skillc-json-") as outdir:
        data = run_skillc(skillc, source, options, outdir)

    problems = Problems()
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        print("schema/skillc-output.schema.json: invalid schema: %s" % e.message)
        return 1
    check_schema_form(schema, problems)

    try:
        out = parse_output(data)
    except ValueError as e:  # UnicodeDecodeError and JSONDecodeError too
        print("FAIL: the output is not strict UTF-8 JSON: %s" % e)
        return 1
    if not data.endswith(b"}\n"):
        problems.add("output", "does not end with '}' and a newline")

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(out), key=lambda e: list(map(str, e.absolute_path)))
    for e in errors:
        problems.add(path_str(list(e.absolute_path)), "schema: " + e.message[:200])
    check_order(schema, schema, out, [], problems)
    check_strict(validator, out, problems)

    compare(src_schema, src_schema, src, out, [], problems)
    if "effective" in out:
        compare_plain(expected_effective(src), out["effective"], ["effective"], problems)

    if problems.count:
        print("FAIL: %d difference(s) between %s and its JSON output"
              % (problems.count, source))
        return 1
    print("ok: %s: the JSON output is valid, complete and in order (%d bytes)"
          % (source, len(data)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
