#!/usr/bin/python3
"""The message catalogues are complete: every message of the sources is in
every po/LANG.po (po/LINGUAS), translated, not fuzzy, and its msgstr has
the msgid's format directives (msgfmt --check); no catalogue holds a
message the sources no longer have.

usage: check_po.py SRCDIR

The messages are what xgettext finds today in the files of po/POTFILES
with the options of po/xgettext.args, as 'ninja -C build skillc-pot' runs
it; 'ninja -C build skillc-update-po' merges them into the catalogues.
"""
import os
import re
import subprocess
import sys
import tempfile


def entries(path):
    """(msgctxt, msgid, msgid_plural) -> (msgstrs, fuzzy) of a .po file,
    whose entries are separated by blank lines as gettext's tools write
    them; obsolete entries (#~) left out."""
    out = {}
    with open(path, encoding="utf-8") as f:
        blocks = f.read().split("\n\n")
    for block in blocks:
        cur, key, fuzzy = {}, None, False
        for line in block.splitlines():
            if line.startswith("#,"):
                fuzzy |= "fuzzy" in line
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                cur[key] += eval(line)
            else:
                key, _, value = line.partition(" ")
                cur[key] = eval(value)
        if "msgid" in cur:
            strs = [v for n, v in sorted(cur.items()) if n.startswith("msgstr")]
            out[(cur.get("msgctxt"), cur["msgid"], cur.get("msgid_plural"))] = (strs, fuzzy)
    return out


def main():
    src = sys.argv[1]
    po = os.path.join(src, "po")
    with open(os.path.join(po, "xgettext.args")) as f:
        args = f.read().split()
    with open(os.path.join(po, "POTFILES")) as f:
        sources = [os.path.join(src, p) for p in f.read().split()]
    with open(os.path.join(po, "LINGUAS")) as f:
        langs = f.read().split()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "skillc.pot")
        subprocess.run(["xgettext", *args, "-o", pot, *sources], check=True)
        want = {k for k in entries(pot) if k[1] != ""}
        print("%d messages in the sources" % len(want))
        for lang in langs:
            path = os.path.join(po, lang + ".po")
            r = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, path],
                               capture_output=True, text=True)
            print("%s: %s" % (lang, r.stderr.strip()))
            if r.returncode:
                failed = True
            have = entries(path)
            header = have.get((None, "", None), ([""], False))[0][0]
            if "\nLanguage: %s\n" % lang not in "\n" + header:
                print("%s: the header does not say 'Language: %s' (skillc takes the "
                      "language of rules' texts from it)" % (lang, lang))
                failed = True
            missing = sorted(k[1] for k in want - set(have))
            extra = sorted(k[1] for k in set(have) - want if k[1] != "")
            bad = sorted(k[1] for k, (strs, fuzzy) in have.items()
                         if k in want and (fuzzy or not all(strs)))
            for what, items in (("missing", missing), ("no longer in the sources", extra),
                                ("untranslated or fuzzy", bad)):
                for msgid in items:
                    print("%s: %s: %r" % (lang, what, msgid))
                    failed = True
    if failed:
        print("run 'ninja -C build skillc-pot skillc-update-po' and translate")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
