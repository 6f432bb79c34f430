#!/bin/bash
# The whole test suite: every suite of build/, then again under valgrind
# memcheck, then in build-san/ compiled with AddressSanitizer and
# UndefinedBehaviorSanitizer, then three 30-second libFuzzer runs, over
# the whole pipeline, over fix and over the text rules' filter
# (build-fuzz/, clang). Ends with one line:
# N passed, N failed, N skipped (the runs added up; each fuzz run counts as
# one test); exits non-zero if any test failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tests/setup.sh || exit 2

if [ ! -f build-san/build.ninja ]; then
	meson setup build-san -Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fno-sanitize-recover=all >/dev/null || exit 2
fi
meson compile -C build-san >/dev/null || exit 2

meson test -C build --print-errorlogs
meson test -C build --setup valgrind --print-errorlogs
meson test -C build-san --print-errorlogs

# Three 30-second libFuzzer runs: the whole pipeline, fix (which must
# keep the meaning of what it rewrites) and the text rules' filter (which
# must never refuse a text with a match). Each counts as one test.
fuzz_pipeline=failed fuzz_fix=failed fuzz_rx=failed
if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=false \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
if meson compile -C build-fuzz >/dev/null; then
	for target in fuzz_pipeline fuzz_fix fuzz_rx; do
		if bash tests/fuzz/run.sh build-fuzz 30 $target \
			2>build-fuzz/$target-smoke.log; then
			declare $target=passed
		fi
		tail -n 8 build-fuzz/$target-smoke.log
		echo "$target (30 s): ${!target}"
	done
fi

FUZZ="$fuzz_pipeline $fuzz_fix $fuzz_rx" /usr/bin/python3 - build/meson-logs/testlog.json \
	build/meson-logs/testlog-valgrind.json \
	build-san/meson-logs/testlog.json <<'PY'
import json, os, sys
counts = {"passed": 0, "failed": 0, "skipped": 0}
for result in os.environ["FUZZ"].split():
    counts[result] += 1
for path in sys.argv[1:]:
    try:
        lines = open(path).read().splitlines()
    except OSError:
        counts["failed"] += 1  # a run that left no log failed
        continue
    for line in lines:
        r = json.loads(line)["result"]
        key = {"OK": "passed", "EXPECTEDFAIL": "passed", "SKIP": "skipped"}.get(r, "failed")
        counts[key] += 1
print(f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
sys.exit(1 if counts["failed"] or not counts["passed"] else 0)
PY
