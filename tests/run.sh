#!/bin/bash
# The whole test suite: every suite of build/, then again under valgrind
# memcheck, then in build-san/ compiled with AddressSanitizer and
# UndefinedBehaviorSanitizer, then a 60-second libFuzzer run over the whole
# pipeline (build-fuzz/, clang). Ends with one line: N passed, N failed,
# N skipped (the runs added up; the fuzz run counts as one test); exits
# non-zero if any test failed.
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

fuzz=failed
if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=false \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
if meson compile -C build-fuzz >/dev/null &&
	bash tests/fuzz/run.sh build-fuzz 60 2>build-fuzz/fuzz-smoke.log; then
	fuzz=passed
fi
tail -n 8 build-fuzz/fuzz-smoke.log
echo "fuzz smoke (60 s): $fuzz"

FUZZ=$fuzz /usr/bin/python3 - build/meson-logs/testlog.json \
	build/meson-logs/testlog-valgrind.json \
	build-san/meson-logs/testlog.json <<'PY'
import json, os, sys
counts = {"passed": 0, "failed": 0, "skipped": 0}
counts[os.environ["FUZZ"]] += 1
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
