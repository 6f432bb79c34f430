/*
 * depfile.c - paths in the Makefile rule that 'skillc build -MF' writes.
 *
 * Takes a path and whether it is a target or a prerequisite; gives its
 * spelling in that rule; guarantees that GNU make (4.3) and ninja (1.11,
 * with 'deps = gcc', as meson and CMake run it) both read back that very
 * path, wherever it stands in the rule, or refuses it and appends nothing.
 *
 * The two read a depfile differently; what follows was found by trying
 * both on every byte, in targets and prerequisites, first, inside and
 * last (tests/unit/test_depfile.c holds the spellings, and
 * tests/outputs/depfile_tools.py has both tools read skillc's depfiles):
 *
 *   space  '\ '; N backslashes before it are written 2N+1 times
 *   '#'    '\#'
 *   '$'    '$$'
 *   ':'    '\:'
 *   '%'    '\%' in a target (else make reads a pattern rule; ninja with
 *          'deps = gcc' reads no target, and without it would compare
 *          the targets with its outputs and keep the backslash), as is
 *          in a prerequisite (make keeps a backslash there)
 *   '\'    as is; every other byte it allows, as is
 *
 * Refused, because no spelling reads back in both:
 *   - a control byte (newline, tab, CR, ...) or DEL: ninja ends a name
 *     there and has no escape for it; make joins lines at '\' newline
 *     and reads '\' tab in a target as a space;
 *   - " ' ` & * ; < > ? ^ |: ninja ends a name at each, and keeps a
 *     backslash before it; make reads * ? as wildcards, ; | as syntax;
 *   - '=': make reads a variable, and ninja keeps a backslash before it;
 *   - '[' with a ']' after it: make reads a wildcard;
 *   - '\' before '#', ':', '%' or '$': make halves the backslashes before '#'
 *     and ':' where ninja removes one, and ninja cannot write '\$';
 *   - a space, ':', ')' or '\' at the end: make drops an escaped space
 *     at the end of a line and joins 'a\  b' into one target; ninja
 *     strips a final ':'; make reads 'a(b)' as an archive member and
 *     'a(b c)' as two; a final backslash joins lines in both, and make
 *     halves the backslashes before a space that ends a name where
 *     ninja keeps them;
 *   - '~' first: make puts the home directory there, "./" or not;
 *   - a name in the current directory that starts with '.' (.PHONY, .c.o):
 *     make reads a special target or a suffix rule, whatever .SUFFIXES
 *     the including Makefile has;
 *   - a make directive (include, define, ...): make obeys it at the start
 *     of the rule or of its prerequisites.
 */
#include "skillc.h"

#include <string.h>

/* Bytes refused wherever they stand (see above). */
static const char refused[] = "\"'`&*;<>?^|=";

/* Directives make obeys when they open a line (the first target) or a
 * target's prerequisites (define, undefine). */
static const char *const directives[] = {
	"define", "undefine", "include", "-include", "sinclude", "load",
	"-load",  "vpath",    "ifdef",	 "ifndef",   "ifeq",	 "ifneq",
	"else",	  "endif",    "export",	 "unexport",
};

static bool
depfile_can_hold(const char *path)
{
	size_t len = strlen(path);
	if (!len || strchr(" :)\\", path[len - 1]))
		return false;
	/* make drops "./" (and the slashes after it) before anything else */
	const char *name = path;
	while (name[0] == '.' && name[1] == '/') {
		name += 2;
		while (*name == '/')
			name++;
	}
	if (!*name || *name == '~' || (*name == '.' && !strchr(name, '/')))
		return false;
	for (size_t i = 0; i < sizeof directives / sizeof *directives; i++)
		if (!strcmp(path, directives[i]))
			return false;
	bool bracket = false;
	for (const char *p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f || strchr(refused, c))
			return false;
		if (c == '[')
			bracket = true;
		else if (c == ']' && bracket)
			return false;
		else if (c == '\\' && p[1] && strchr("#:%$", p[1]))
			return false;
	}
	return true;
}

bool
depfile_path(struct strbuf *sb, const char *path, bool target)
{
	if (!depfile_can_hold(path))
		return false;
	size_t backslashes = 0; /* written just before *p, as they were */
	for (const char *p = path; *p; p++) {
		switch (*p) {
		case ' ':
			/* 2N+1 backslashes and a space read as N and a space */
			for (size_t i = 0; i <= backslashes; i++)
				strbuf_addc(sb, '\\');
			break;
		case '#':
		case ':':
			strbuf_addc(sb, '\\');
			break;
		case '%':
			if (target)
				strbuf_addc(sb, '\\');
			break;
		case '$':
			strbuf_addc(sb, '$');
			break;
		default:
			break;
		}
		strbuf_addc(sb, *p);
		backslashes = *p == '\\' ? backslashes + 1 : 0;
	}
	return true;
}
