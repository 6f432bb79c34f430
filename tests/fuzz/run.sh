#!/bin/bash
# Fuzz a target for SECONDS seconds with libFuzzer: fuzz_pipeline (the
# whole pipeline, the default) or fuzz_fix (fix keeps the meaning), from a
# seed corpus of every YAML input the project has (standard/, tests/), with
# the YAML dictionary; any crash, leak, timeout or sanitizer report fails.
# usage: run.sh BUILD-DIR SECONDS [TARGET [EXTRA-LIBFUZZER-FLAGS...]]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$1 seconds=$2 target=${3:-fuzz_pipeline}
shift $(($# < 3 ? $# : 3))
corpus=$build/fuzz-corpus-$target
mkdir -p "$corpus"
for f in standard/*.yaml tests/data/*.yaml tests/schema/*.yaml \
	tests/schema/invalid/*.yaml tests/md/*.yaml tests/cases/*/*.yaml \
	tests/cases/*/*/*.yaml tests/fix/*.yaml tests/fix/meaning/*/*.yaml; do
	[ -f "$f" ] || continue
	[ "$(stat -c %s "$f")" -le 200000 ] || continue
	cp "$f" "$corpus/seed-$(sha1sum "$f" | cut -c1-16).yaml"
done
artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	"$build/tests/fuzz/$target" -max_total_time="$seconds" \
	-dict=tests/fuzz/yaml.dict -timeout=10 -rss_limit_mb=2048 \
	-max_len=65536 -artifact_prefix="$artifacts/" -print_final_stats=1 \
	"$@" "$corpus"
