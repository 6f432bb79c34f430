"""Write TMP/rules.yaml: a rules file allowing 100,000 Latin terms, "t"
and a number in base 26 written with letters: tbaa, tbab, ..., tfsyd."""
import os
import sys


def term(i):
    v, digits = i + 26 * 26, ""
    while v:
        digits = chr(ord("a") + v % 26) + digits
        v //= 26
    return "t" + digits


with open(os.path.join(sys.argv[1], "rules.yaml"), "w", encoding="utf-8") as f:
    f.write("skillc_rules: 1\nterms:\n")
    f.write("".join("  - \"%s\"\n" % term(i) for i in range(100000)))
