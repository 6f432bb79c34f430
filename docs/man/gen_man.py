#!/usr/bin/python3
"""Write the manual page skillc(1) from 'skillc --help' and a template.

usage: gen_man.py SKILLC TEMPLATE OUTPUT [NAME=VALUE...]
       gen_man.py --entries SKILLC

The options table has one source, main.c's usage text, which 'skillc
--help' prints; this reads it back, so the page cannot disagree with the
program it describes. The template (docs/man/skillc.1.in) holds the prose
and roff around it, with @SYNOPSIS@, @DESCRIPTION@ and @OPTIONS@ where the
help's usage lines, its opening paragraph and its tables of options go,
and @NAME@ for each NAME=VALUE given (VERSION, DATADIR, DOCDIR, LOCALEDIR).

The help's layout, which this insists on (anything else is an error, so
that a help text it cannot read stops the build instead of losing lines):

  usage: skillc ...           the usage lines, up to a blank line
         skillc ...
                              then paragraphs of prose, up to the first
  WORDS:                      heading: a line that ends with ':'
    TERM  DESCRIPTION         an entry: two spaces, the term (options and
                      ...     their values), two or more spaces, its
                              description; a line indented further
                              continues the description; a term alone on
                              its line has it on the next lines

The second form prints the entries as the page's reader should see them,
'TERM<TAB>DESCRIPTION' a line, for tests/integration/man_page.py.
"""
import os
import re
import subprocess
import sys


def fail(msg):
    sys.exit("gen_man.py: " + msg)


def read_help(skillc):
    env = dict(os.environ, LC_ALL="C")
    env.pop("NO_COLOR", None)
    r = subprocess.run([skillc, "--help"], capture_output=True, env=env,
                       stdin=subprocess.DEVNULL)
    if r.returncode or r.stderr:
        fail("'%s --help' failed (%d): %s" % (skillc, r.returncode,
                                                r.stderr.decode(errors="replace")))
    return r.stdout.decode("utf-8")


def split_term(term, desc):
    """An entry's term and description: the term is its words that are
    options (-x, --x=V) and their values (FILE, [=WHEN]); the rest, where
    only one space parts them, starts the description."""
    words = term.split(" ")
    k = 0
    while k < len(words) and re.fullmatch(
            r"(-\S*|[A-Z][A-Z0-9_.|=]*|\[\S*\])(\.\.\.)?,?", words[k]):
        k += 1
    if k < len(words):
        desc = " ".join(words[k:] + ([desc] if desc else []))
    return " ".join(words[:k]), desc


def parse(text):
    """(usage lines, prose paragraphs, [(heading, [(term, description)])])"""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    i = 0
    if not lines or not lines[0].startswith("usage: "):
        fail("the help does not open with 'usage: '")
    usage = [lines[0][len("usage: "):].strip()]
    i = 1
    while i < len(lines) and lines[i].startswith(" "):
        usage.append(lines[i].strip())
        i += 1
    prose, para = [], []
    while i < len(lines) and not re.fullmatch(r"\S.*:", lines[i]):
        if lines[i].strip():
            if lines[i].startswith(" "):
                fail("line %d: indented prose before the first heading: %r"
                     % (i + 1, lines[i]))
            para.append(lines[i].strip())
        elif para:
            prose.append(" ".join(para))
            para = []
        i += 1
    if para:
        prose.append(" ".join(para))
    sections = []
    entry = None
    for n in range(i, len(lines)):
        line = lines[n]
        m = re.fullmatch(r"  (\S(?:\S| (?! ))*)(?: {2,}(\S.*))?", line)
        if re.fullmatch(r"\S.*:", line):
            sections.append((line[:-1], []))
            entry = None
        elif m:
            term, desc = split_term(m.group(1), m.group(2))
            if not term:
                fail("line %d of the help names no option: %r" % (n + 1, line))
            entry = [term, [desc] if desc else []]
            sections[-1][1].append(entry)
        elif line.startswith("    ") and line.strip() and entry:
            entry[1].append(line.strip())
        elif not line.strip():
            entry = None
        else:
            fail("line %d of the help is not an entry, a continuation or "
                 "a heading: %r" % (n + 1, line))
    out = []
    for heading, entries in sections:
        if not entries:
            fail("the heading '%s:' has no entries" % heading)
        for e in entries:
            if not e[1]:
                fail("the entry '%s' has no description" % e[0])
        out.append((heading, [(t, " ".join(d)) for t, d in entries]))
    return usage, prose, out


def roff(text, option=False):
    """text as roff prints it: backslashes, a leading dot or quote,
    and minus signs (in an option, or before a letter or digit
    starting a word) that must not become hyphens."""
    text = text.replace("\\", "\\e")
    if option:
        text = text.replace("-", "\\-")
    else:
        text = re.sub(r"(?<![\w-])-(?=[\w-])", r"\\-", text)
        text = re.sub(r"(?<=\\-)-", r"\\-", text)
    if text.startswith((".", "'")):
        text = "\\&" + text
    return text


def render(usage, prose, sections):
    synopsis = []
    for u in usage:
        words = u.split(" ", 1)
        synopsis.append(".br" if synopsis else "")
        synopsis.append(".B %s" % roff(words[0]))
        if len(words) > 1:
            synopsis.append(roff(words[1]))
    synopsis = "\n".join(x for x in synopsis if x != "")
    description = "\n.PP\n".join(roff(p) for p in prose)
    options = []
    for heading, entries in sections:
        options.append(".SS %s" % roff(heading[0].upper() + heading[1:]))
        for term, desc in entries:
            options += [".TP", ".B %s" % roff(term, option=True), roff(desc)]
    return synopsis, description, "\n".join(options)


def main():
    if sys.argv[1:2] == ["--entries"]:
        _, _, sections = parse(read_help(sys.argv[2]))
        for heading, entries in sections:
            for term, desc in entries:
                print("%s\t%s" % (term, desc))
        return
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    skillc, template, output = sys.argv[1:4]
    synopsis, description, options = render(*parse(read_help(skillc)))
    with open(template, encoding="utf-8") as f:
        page = f.read()
    values = {"SYNOPSIS": synopsis, "DESCRIPTION": description,
              "OPTIONS": options}
    for arg in sys.argv[4:]:
        name, value = arg.split("=", 1)
        values[name] = roff(value)
    def put(m):
        if m.group(1) not in values:
            fail("the template names @%s@, which nothing gives" % m.group(1))
        return values[m.group(1)]
    page = re.sub(r"@([A-Z]+)@", put, page)
    tmp = output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(page)
    os.replace(tmp, output)


if __name__ == "__main__":
    main()
