"""Write TMP/big.yaml, 2.4 MB: tests/schema/minimal.yaml whose scope has a
paragraph with a half-width comma, three paragraphs of 800,000 bytes of
Chinese characters, and another paragraph with a comma; one weight of
table 2 is 90, so that its column no longer sums to 100.

rules.yaml's slow rule reads, from each Chinese character, the rest of the
text: on a paragraph of 266,666 of them, quadratic time (minutes). The
run's budget for text rules (2^26 units and 128 for each byte of text,
some 375 million here) is spent within the first long paragraph: one
SK0020 error there (26:7), and no text rule runs after it, so the second
comma (line 29) is not reported; the weight checks still are. Without the
JIT (under valgrind) the budget is spent in the same paragraph.
"""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "..", "schema", "minimal.yaml"), encoding="utf-8") as f:
    base = "".join(f.readlines()[4:])  # without the header comment
big = "检" * (800000 // 3)
paragraphs = ["前面的段落,有逗号", big, big, big, "后面的段落,有逗号"]
old = "  paragraphs: []\nnormative_references:"
assert base.count(old) == 1
base = base.replace(old, "  paragraphs:\n" + "".join(
    "    - %s\n" % p for p in paragraphs) + "normative_references:")
old = "                  weights: [100]\n"
assert base.count(old) == 2
base = base.replace(old, "                  weights: [90]\n", 1)
with open(os.path.join(sys.argv[1], "big.yaml"), "w", encoding="utf-8") as f:
    f.write(base)
