#!/bin/bash
# Fuzz a target for SECONDS seconds with libFuzzer: fuzz_pipeline (the
# whole pipeline, the default) or fuzz_fix (fix keeps the meaning), from a
# seed corpus of every YAML input the project has (standard/, tests/), with
# the YAML dictionary; or fuzz_rx (the text rules' filter never refuses a
# text with a match), from the shipped rules' patterns and examples, with
# a dictionary of pattern syntax. Any crash, leak, timeout or sanitizer
# report fails.
# usage: run.sh BUILD-DIR SECONDS [TARGET [EXTRA-LIBFUZZER-FLAGS...]]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$1 seconds=$2 target=${3:-fuzz_pipeline}
shift $(($# < 3 ? $# : 3))
corpus=$build/fuzz-corpus-$target
mkdir -p "$corpus"
dict=tests/fuzz/yaml.dict
if [ "$target" = fuzz_rx ]; then
	# Each shipped rule's pattern over its own example, and over nothing.
	dict=tests/fuzz/rx.dict
	/usr/bin/python3 - "$corpus" <<'PY'
import hashlib, os, sys, yaml
rules = yaml.safe_load(open("schema/text-rules.yaml", encoding="utf-8"))
for r in rules["rules"]:
    if "pattern" not in r:
        continue
    for text in (r.get("example", ""), ""):
        data = r["pattern"].encode() + b"\0" + text.encode()
        name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
        with open(os.path.join(sys.argv[1], name), "wb") as f:
            f.write(data)
PY
else
	for f in standard/*.yaml tests/data/*.yaml tests/schema/*.yaml \
		tests/schema/invalid/*.yaml tests/md/*.yaml tests/cases/*/*.yaml \
		tests/cases/*/*/*.yaml tests/fix/*.yaml \
		tests/fix/meaning/*/*.yaml; do
		[ -f "$f" ] || continue
		[ "$(stat -c %s "$f")" -le 200000 ] || continue
		cp "$f" "$corpus/seed-$(sha1sum "$f" | cut -c1-16).yaml"
	done
fi
artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	"$build/tests/fuzz/$target" -max_total_time="$seconds" \
	-dict="$dict" -timeout=10 -rss_limit_mb=2048 \
	-max_len=65536 -artifact_prefix="$artifacts/" -print_final_stats=1 \
	"$@" "$corpus"
