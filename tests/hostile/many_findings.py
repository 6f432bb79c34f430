#!/usr/bin/python3
"""Many findings in one text: every position right, every quote bounded.

usage: many_findings.py SKILLC MINIMAL.yaml

MINIMAL's one skill text is replaced by 20,000 half-width commas between
Chinese characters on one line (each a halfwidth-punctuation finding), and
its knowledge text by a literal block of 2,000 lines holding one each.
'skillc check --caret=always' must report exactly those findings, each at
the line and column computed here from the text as written, and quote for
each a window of its source line: 60 terminal columns on either side of
the column, '...' where the line goes on, the caret under the comma. (That this takes milliseconds, not minutes, is for tests/bench.)
Exits 0 when all holds, 1 with a line for each problem (at most 10).
"""
import os
import re
import sys
import tempfile
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import skillc_run  # noqa: E402

N_ONE_LINE, N_LINES = 20000, 2000
FINDING = re.compile(r"^input\.yaml:(\d+):(\d+): warning: half-width ',' next to "
                     r"Chinese text; write '，' \[SK1005 halfwidth-punctuation\]$")


def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def window(source, col):
    """The quote and caret lines for a finding at col: characters back from
    the column until 60 terminal columns are covered (or the line starts;
    indentation alone is not cut), the same forward, '...' where the line
    goes on, the caret under the column."""
    k, used = col - 1, 0
    while k > 0 and used < 60:
        k -= 1
        used += width(source[k])
    if source[:k].strip(" \t") == "":
        k = 0
    r, used = col - 1, 0
    while r < len(source) and used < 60:
        used += width(source[r])
        r += 1
    quote = " " + ("..." if k else "") + source[k:r] + ("..." if r < len(source) else "")
    caret = " " + ("   " if k else "") + "".join(
        "\t" if c == "\t" else " " * width(c) for c in source[k:col - 1]) + "^"
    return quote, caret


def main():
    skillc, minimal = os.path.abspath(sys.argv[1]), sys.argv[2]
    text = open(minimal, encoding="utf-8").read()
    skill = "                  text: 能检查车辆\n"
    knowledge = "                  text: 车辆检查项目\n"
    assert skill in text and knowledge in text
    long_line = "                  text: " + "中," * N_ONE_LINE + "中\n"
    block = "                  text: |\n" + "".join(
        "                    第%d行文,字\n" % i for i in range(N_LINES))
    text = text.replace(skill, long_line).replace(knowledge, block)
    lines = text.split("\n")
    want = []
    for no, line in enumerate(lines, 1):
        for m in re.finditer(r"(?<=[中文]),(?=[中字])", line):
            want.append((no, len(line[:m.start()]) + 1))
    assert len(want) == N_ONE_LINE + N_LINES
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "input.yaml"), "w", encoding="utf-8") as f:
            f.write(text)
        run = skillc_run.run(skillc, ["check", "--caret=always", "input.yaml"],
                             cwd=tmp)
    out = run.stderr.decode().split("\n")
    if run.returncode != 0:
        problems.append("exit status %d" % run.returncode)
    got = []
    for i in range(0, len(out) - 1, 3):
        m = FINDING.match(out[i])
        if not m:
            problems.append("not a finding: %r" % out[i][:200])
            break
        line, col = int(m.group(1)), int(m.group(2))
        got.append((line, col))
        quote, caret = out[i + 1], out[i + 2]
        want_quote, want_caret = window(lines[line - 1], col)
        if (quote, caret) != (want_quote, want_caret):
            problems.append("%d:%d: quoted\n%s\n%s\nwant\n%s\n%s" % (
                line, col, quote, caret, want_quote, want_caret))
        if len(problems) >= 10:
            break
    if not problems and got != want:
        missing = sorted(set(want) - set(got))[:5]
        extra = sorted(set(got) - set(want))[:5]
        problems.append("%d findings, want %d; missing %s, unexpected %s"
                        % (len(got), len(want), missing, extra))
    for p in problems[:10]:
        print("FAIL: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
