#!/usr/bin/python3
"""Validate skillc YAML sources against the skillc JSON Schema.

usage: validate.py [--expect-invalid] SCHEMA FILE...

Each FILE is loaded with yaml.safe_load and validated with
jsonschema.Draft202012Validator (the schema is checked first).  Every error
is printed as `FILE: path.to.key: message`.

Exit status:
  0  every FILE is valid (with --expect-invalid: every FILE is rejected
     by the schema)
  1  some FILE is invalid, including one that cannot be read or parsed as
     YAML (with --expect-invalid: some FILE is accepted by the schema)
  2  usage error or unusable schema; with --expect-invalid also a FILE that
     cannot be read or parsed as YAML, since that is no schema rejection

With --expect-invalid only the first error of each rejected FILE is printed.

Note: PyYAML reads YAML 1.1, so a few things skillc refuses (e.g. 010, 0x10,
1_000, +50 as integers, yes/no as booleans, duplicate keys, anchors and
aliases) cannot be caught here; the schema checks shapes, keys, types,
ranges, enums and key/id forms.
"""

import json
import sys

import jsonschema
import yaml


def usage():
    sys.stderr.write("usage: validate.py [--expect-invalid] SCHEMA FILE...\n")
    sys.exit(2)


def path_of(error):
    parts = [str(p) for p in error.absolute_path]
    return ".".join(parts) if parts else "(root)"


def message_of(error):
    # oneOf/anyOf messages repeat the whole instance; say what was expected.
    if error.validator in ("oneOf", "anyOf"):
        if error.context:
            why = sorted({sub.message for sub in error.context})
            return "must match exactly one alternative: " + "; ".join(why)
        return "matches more than one alternative (%s)" % json.dumps(
            error.validator_value, ensure_ascii=False)
    return error.message


def sort_key(error):
    return ([str(p) for p in error.absolute_path], error.message)


def main(argv):
    args = argv[1:]
    expect_invalid = False
    if args and args[0] == "--expect-invalid":
        expect_invalid = True
        args = args[1:]
    if len(args) < 2 or any(a.startswith("--") for a in args):
        usage()
    schema_path, files = args[0], args[1:]

    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
    except (OSError, ValueError) as e:
        sys.stderr.write("%s: cannot load schema: %s\n" % (schema_path, e))
        return 2
    except jsonschema.exceptions.SchemaError as e:
        sys.stderr.write("%s: %s: invalid schema: %s\n"
                         % (schema_path, path_of(e), e.message))
        return 2
    validator = jsonschema.Draft202012Validator(schema)

    broken = False      # a file could not be read or parsed
    unexpected = False  # a file got the verdict we did not expect
    for name in files:
        try:
            with open(name, encoding="utf-8") as f:
                doc = yaml.safe_load(f)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
            print("%s: (yaml): %s" % (name, " ".join(str(e).split())))
            broken = True
            continue
        errors = sorted(validator.iter_errors(doc), key=sort_key)
        if expect_invalid:
            if errors:
                print("%s: %s: %s" % (name, path_of(errors[0]),
                                      message_of(errors[0])))
            else:
                print("%s: accepted, but expected to be rejected" % name)
                unexpected = True
        else:
            for e in errors:
                print("%s: %s: %s" % (name, path_of(e), message_of(e)))
            if errors:
                unexpected = True
    if broken:
        return 2 if expect_invalid else 1
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
