#!/usr/bin/python3
"""What --baseline promises (docs/suppressions.md), tested from outside.

usage: check_baseline.py SKILLC SOURCE.yaml OTHER.yaml

SOURCE and OTHER are standards with warnings (and no error); both are
copied to a scratch directory. Then:
  - --update-baseline records every finding 'skillc check' prints (same
    files, rules, lines' text and messages, in the same order), reports none
    and exits 0; the file is JSON as documented, and a second update leaves
    it byte-identical and untouched (same inode and mtime);
  - with the baseline, check reports nothing and exits 0, also after lines
    are added above and between the findings, and after an unrelated line
    is edited;
  - the findings of a copy of a list item that has some (further
    occurrences of the same text) are the only ones reported, at the copy,
    and so are the findings of a line that was changed;
  - an error recorded in the baseline does not fail the run; an input
    error is never recorded: the update exits 1 and writes nothing;
  - updating with one file keeps the other file's entries; './F' is F;
  - a baseline that holds nothing for a file changes nothing for it.
Exits 0 when all holds, 1 with a message for each thing that does not.
With SKILLC_VALGRIND=1 skillc runs under valgrind memcheck.
"""
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import skillc_run  # noqa: E402

DIAG = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): "
                  r"(?P<msg>.*) \[(?P<id>\S+) (?P<name>\S+)\]$")
OLD_MTIME_NS = 1_000_000_000 * 10**9

problems = []


def fail(msg):
    problems.append(msg)


def findings(stderr):
    return [m.groupdict() for m in map(DIAG.match, stderr.decode().splitlines()) if m]


def main():
    skillc = os.path.abspath(sys.argv[1])
    sources = sys.argv[2:4]
    with tempfile.TemporaryDirectory(prefix="skillc-baseline-") as tmp:
        names = []
        for i, s in enumerate(sources):
            names.append("s%d.yaml" % i)
            shutil.copyfile(s, os.path.join(tmp, names[-1]))
        a, b = names
        base = os.path.join(tmp, "baseline.json")

        def run(*args):
            return skillc_run.run(skillc, list(args), cwd=tmp)

        def edit(name, fn):
            path = os.path.join(tmp, name)
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            lines = fn(lines)
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))

        before = run("check", a, b)
        found = findings(before.stderr)
        if before.returncode != 0 or not found or any(f["sev"] == "error" for f in found):
            fail("the sources must check with warnings only: exit %d, %d findings"
                 % (before.returncode, len(found)))
            return report()

        # Record (the files named in the other order: the baseline keeps
        # them in byte order of their names).
        r = run("check", "--baseline=baseline.json", "--update-baseline", b, a)
        if r.returncode != 0 or r.stderr or r.stdout:
            fail("--update-baseline exited %d and printed %r" % (r.returncode, r.stderr[:300]))
        with open(base, "rb") as f:
            recorded = f.read()
        doc = json.loads(recorded)
        if sorted(doc) != ["findings", "version"] or doc["version"] != 1:
            fail("the baseline's keys are %s, version %r" % (sorted(doc), doc.get("version")))
        entries = doc["findings"]
        if len(recorded.decode().splitlines()) != len(entries) + 5:
            fail("the baseline is not one finding a line")
        lines = {n: open(os.path.join(tmp, n), encoding="utf-8").read().splitlines() for n in names}
        want = [(f["file"], f["id"], f["name"], " ".join(lines[f["file"]][int(f["line"]) - 1].split()),
                 f["msg"]) for f in found]
        got = [(e["file"], e["rule"], e["name"], e["text"], e["message"]) for e in entries]
        if got != want:
            fail("the baseline holds other findings than check prints:\n%s\n%s" % (got[:3], want[:3]))
        seen = {}
        for e in entries:
            k = (e["file"], e["rule"], e["text"])
            if e["occurrence"] != seen.get(k, 0):
                fail("occurrence %d where %d was due: %s" % (e["occurrence"], seen.get(k, 0), k))
            seen[k] = e["occurrence"] + 1

        os.utime(base, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
        st = os.stat(base)
        r = run("check", "--baseline=baseline.json", "--update-baseline", a, b)
        st2 = os.stat(base)
        if open(base, "rb").read() != recorded:
            fail("a second update (files in the other order) changed the baseline")
        if (st.st_ino, st.st_mtime_ns) != (st2.st_ino, st2.st_mtime_ns):
            fail("a second update touched the baseline")

        # Nothing new: nothing reported, also after unrelated edits.
        def quiet(why):
            r = run("check", "--baseline=baseline.json", a, b)
            if r.returncode != 0 or r.stderr:
                fail("%s: check with the baseline exited %d and printed %r"
                     % (why, r.returncode, r.stderr.decode()[:400]))
        quiet("as recorded")
        edit(a, lambda ls: ["# a comment added above everything", "#"] + ls)
        mid = int(found[len(found) // 2]["line"])
        edit(a, lambda ls: ls[:mid] + ["# and one in the middle"] + ls[mid:])
        edit(b, lambda ls: ["# moved down"] + ls)
        quiet("after lines were added")

        # A copy of a list item with findings: its findings are new (the
        # same text once more: the next occurrences), the original's not.
        items = [f for f in found if lines[f["file"]][int(f["line"]) - 1].lstrip().startswith("- ")
                 and lines[f["file"]][int(f["line"]) - 1].count(":") == 0]
        if not items:
            fail("no finding on a list item of text to copy: the test cannot work")
            return report()
        item = items[0]
        src, text = item["file"], lines[item["file"]][int(item["line"]) - 1]
        at = open(os.path.join(tmp, src), encoding="utf-8").read().split("\n").index(text)
        edit(src, lambda ls: ls[:at + 1] + [text] + ls[at + 1:])
        r = run("check", "--baseline=baseline.json", a, b)
        new = findings(r.stderr)
        want_new = [(f["id"], f["msg"]) for f in found
                    if f["file"] == src and f["line"] == item["line"]]
        if [(f["id"], f["msg"]) for f in new] != want_new or \
                any(int(f["line"]) != at + 2 for f in new):
            fail("after copying line %s: reported %s, not its findings %s on the copy (line %d)"
                 % (item["line"], [(f["id"], f["line"]) for f in new], want_new, at + 2))

        # A changed line: its findings are new; the copy is gone again.
        def change(ls):
            del ls[at + 1]
            ls[at] = ls[at] + "  # changed"
            return ls
        edit(src, change)
        r = run("check", "--baseline=baseline.json", a, b)
        new = findings(r.stderr)
        if [(f["id"], f["msg"]) for f in new] != want_new or \
                any(int(f["line"]) != at + 1 for f in new):
            fail("after changing line %s: reported %s, not its findings %s"
                 % (item["line"], [(f["id"], f["line"]) for f in new], want_new))
        edit(src, lambda ls: ls[:at] + [text] + ls[at + 1:])
        quiet("after the line was changed back")

        # Updating one file keeps the other's entries; ./F is F.
        src = found[0]["file"]
        r = run("check", "--baseline=baseline.json", "--update-baseline", "./" + src)
        if r.returncode != 0:
            fail("updating with ./%s exited %d" % (src, r.returncode))
        doc2 = json.load(open(base, encoding="utf-8"))
        other = [n for n in names if n != src][0]
        if [e for e in doc2["findings"] if e["file"] == other] != \
                [e for e in entries if e["file"] == other]:
            fail("updating %s changed the entries of %s" % (src, other))
        if any(e["file"].startswith("./") for e in doc2["findings"]):
            fail("'./' kept in a file's name")
        quiet("after the update")

        # An input error is never recorded, and nothing is written.
        with open(base, "rb") as f:
            kept = f.read()
        edit(other, lambda ls: ls + ["not_a_key_of_the_format: 1"])
        r = run("check", "--baseline=baseline.json", "--update-baseline", a, b)
        if r.returncode != 1 or b"SK0008" not in r.stderr:
            fail("an update with an unknown key exited %d: %r" % (r.returncode, r.stderr[:300]))
        if open(base, "rb").read() != kept:
            fail("an update that failed wrote the baseline")
        edit(other, lambda ls: ls[:-1])

        # An error recorded does not fail the run.
        os.unlink(base)
        r = run("check", "-Werror", "--baseline=baseline.json", "--update-baseline", a, b)
        if r.returncode != 0:
            fail("-Werror --update-baseline exited %d" % r.returncode)
        r = run("check", "-Werror", "--baseline=baseline.json", a, b)
        if r.returncode != 0 or r.stderr:
            fail("errors in the baseline failed the run: exit %d, %r" % (r.returncode, r.stderr[:300]))
        r = run("check", "-Werror", a, b)
        if r.returncode != 1:
            fail("without the baseline, -Werror should fail: exit %d" % r.returncode)

        # An empty baseline changes nothing.
        with open(base, "w") as f:
            f.write('{"version": 1, "findings": []}\n')
        r1, r2 = run("check", "--baseline=baseline.json", a, b), run("check", a, b)
        if (r1.returncode, r1.stderr) != (r2.returncode, r2.stderr):
            fail("an empty baseline changed what check reports")

        # A file whose name is not UTF-8: the baseline stays UTF-8 JSON
        # (U+FFFD for each bad byte) and the next run reads and matches it.
        odd = b"odd\xff\xfe.yaml"
        shutil.copyfile(os.path.join(tmp, a), os.path.join(tmp.encode(), odd))
        name = os.fsdecode(odd)
        r = run("check", "--baseline=odd.json", "--update-baseline", name)
        try:
            with open(os.path.join(tmp, "odd.json"), "rb") as f:
                json.loads(f.read().decode("utf-8"))
        except (OSError, ValueError) as e:
            fail("the baseline of a file not named in UTF-8 is not UTF-8 JSON: %s" % e)
        r = run("check", "--baseline=odd.json", name)
        if r.returncode != 0 or r.stderr:
            fail("the baseline of a file not named in UTF-8 did not match: exit %d, %r"
                 % (r.returncode, r.stderr[:300]))
    return report()


def report():
    for p in problems:
        print("FAIL: %s" % p)
    if not problems:
        print("the baseline holds as promised")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
