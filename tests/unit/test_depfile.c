/*
 * test_depfile.c - how a path is spelled in the rule 'skillc build -MF'
 * writes, and which paths are refused because GNU make and ninja cannot
 * both read them back.
 *
 * The spellings are what the two tools were seen to read back exactly
 * (tests/outputs/depfile_tools.py runs them on skillc's own depfiles);
 * each refusal names what goes wrong in one of them.
 */
#include "skillc.h"

#include <check.h>
#include <string.h>

static const struct spell_case {
	const char *what;
	const char *path;
	const char *want;	 /* as a prerequisite */
	const char *want_target; /* as a target, where it differs */
} spell_cases[] = {
	{ "plain", "out/five-level.h", "out/five-level.h", NULL },
	{ "absolute", "/tmp/x/a.yaml", "/tmp/x/a.yaml", NULL },
	{ "UTF-8", "\xe6\xa0\x87\xe5\x87\x86/\xc3\xa9.yaml",
	  "\xe6\xa0\x87\xe5\x87\x86/\xc3\xa9.yaml", NULL },
	/* space: '\ ' in both */
	{ "space", "my dir/a b.yaml", "my\\ dir/a\\ b.yaml", NULL },
	{ "space first", " a", "\\ a", NULL },
	{ "two spaces", "a  b", "a\\ \\ b", NULL },
	/* '#': '\#' in both */
	{ "hash", "a#b", "a\\#b", NULL },
	{ "hash first", "#a", "\\#a", NULL },
	{ "hash last", "a#", "a\\#", NULL },
	/* '$': '$$' in both */
	{ "dollar", "a$b", "a$$b", NULL },
	{ "dollar last", "a$", "a$$", NULL },
	{ "dollar, parenthesis", "$(x).yaml", "$$(x).yaml", NULL },
	{ "dollar, hash", "$#", "$$\\#", NULL },
	/* ':': '\:' in both, unless last */
	{ "colon", "a:b", "a\\:b", NULL },
	{ "colon first", ":a", "\\:a", NULL },
	{ "colon, slash", "c:/x", "c\\:/x", NULL },
	{ "two colons", "a::b", "a\\:\\:b", NULL },
	{ "colon, space", "a: b", "a\\:\\ b", NULL },
	/* '%': '\%' in a target, as is in a prerequisite */
	{ "percent", "a%b.yaml", "a%b.yaml", "a\\%b.yaml" },
	{ "percent first", "%a", "%a", "\\%a" },
	{ "percent, directory", "d%/x%", "d%/x%", "d\\%/x\\%" },
	/* '\': as is, but doubled (and one more) before a space */
	{ "backslash", "a\\b", "a\\b", NULL },
	{ "backslash first", "\\a", "\\a", NULL },
	{ "two backslashes", "a\\\\b", "a\\\\b", NULL },
	{ "backslash, slash", "d\\/x", "d\\/x", NULL },
	{ "backslash, space", "a\\ b", "a\\\\\\ b", NULL },
	{ "two backslashes, space", "a\\\\ b", "a\\\\\\\\\\ b", NULL },
	{ "backslash, space, backslash", "\\ \\x", "\\\\\\ \\x", NULL },
	/* what both take as it is */
	{ "punctuation", "x(1)+{a},b!@-_[c.yaml", "x(1)+{a},b!@-_[c.yaml",
	  NULL },
	{ "dash first", "-a", "-a", NULL },
	{ "closing bracket alone", "a]b", "a]b", NULL },
	{ "parentheses inside", "a(b)c", "a(b)c", NULL },
	{ "tilde inside", "d/~/x", "d/~/x", NULL },
	{ "dot directory", ".git/x", ".git/x", NULL },
	{ "dotfile in a directory", "d/.h", "d/.h", NULL },
	{ "directive in a directory", "d/include", "d/include", NULL },
	{ "directive after ./", "./include", "./include", NULL },
	{ "directive as a prefix", "includes", "includes", NULL },
};

START_TEST(test_spell)
{
	const struct spell_case *c = &spell_cases[_i];
	for (int target = 0; target < 2; target++) {
		const char *want =
			target && c->want_target ? c->want_target : c->want;
		struct strbuf sb = { 0 };
		strbuf_adds(&sb, "before ");
		bool ok = depfile_path(&sb, c->path, target);
		ck_assert_msg(ok, "%s: '%s' refused", c->what, c->path);
		ck_assert_msg(!strncmp(sb.buf, "before ", 7),
			      "%s: what was there changed: '%s'", c->what,
			      sb.buf);
		ck_assert_msg(!strcmp(sb.buf + 7, want),
			      "%s (%s): '%s', want '%s'", c->what,
			      target ? "target" : "prerequisite", sb.buf + 7,
			      want);
		strbuf_free(&sb);
	}
}
END_TEST

static const struct refuse_case {
	const char *what;
	const char *path;
} refuse_cases[] = {
	{ "empty", "" },
	{ "./ alone", "./" },
	/* both end a name or a rule there, with no escape */
	{ "newline", "a\nb" },
	{ "newline last", "a.yaml\n" },
	{ "newline first", "\na" },
	{ "tab", "a\tb" },
	{ "carriage return", "a\rb" },
	{ "control", "a\001b" },
	{ "DEL", "a\177b" },
	/* ninja ends a name at each and keeps a backslash before it */
	{ "double quote", "a\"b" },
	{ "single quote", "it's.yaml" },
	{ "backquote", "a`b" },
	{ "ampersand", "a&b" },
	{ "star", "a*b" },
	{ "semicolon", "a;b" },
	{ "less than", "a<b" },
	{ "greater than", "a>b" },
	{ "question mark", "a?b" },
	{ "caret", "a^b" },
	{ "bar", "a|b" },
	/* make: a variable, a wildcard; a backslash before '%' */
	{ "backslash, percent", "a\\%b" },
	{ "equals", "a=b" },
	{ "brackets", "x[1].yaml" },
	{ "brackets across a slash", "a[/]b" },
	/* the two count the backslashes before these differently */
	{ "backslash, hash", "a\\#b" },
	{ "backslash, colon", "a\\:b" },
	{ "backslash, dollar", "a\\$b" },
	/* last: make drops it, ninja strips it, an archive member, a line
	 * continuation */
	{ "space last", "a " },
	{ "colon last", "a:" },
	{ "parenthesis last", "a(b)" },
	{ "lone parenthesis last", "a)" },
	{ "backslash last", "a\\" },
	{ "two backslashes last", "a\\\\" },
	/* make reads the home directory */
	{ "tilde first", "~/x" },
	{ "tilde alone", "~" },
	{ "tilde after ./", "./~/x" },
	{ "tilde after .//", ".//~/x" },
	/* make reads a special target or a suffix rule */
	{ "special target", ".PHONY" },
	{ "suffix rule", ".c.o" },
	{ "dotfile after ./", "./.hidden.yaml" },
	{ "dot", "." },
	{ "dot dot", ".." },
	/* make obeys a directive */
	{ "include", "include" },
	{ "-include", "-include" },
	{ "define", "define" },
	{ "undefine", "undefine" },
	{ "export", "export" },
	{ "vpath", "vpath" },
	{ "ifeq", "ifeq" },
	{ "endif", "endif" },
};

START_TEST(test_refuse)
{
	const struct refuse_case *c = &refuse_cases[_i];
	for (int target = 0; target < 2; target++) {
		struct strbuf sb = { 0 };
		strbuf_adds(&sb, "before ");
		bool ok = depfile_path(&sb, c->path, target);
		ck_assert_msg(!ok, "%s: accepted as '%s'", c->what, sb.buf + 7);
		ck_assert_msg(sb.len == 7 && !strcmp(sb.buf, "before "),
			      "%s: refused, but appended: '%s'", c->what,
			      sb.buf);
		strbuf_free(&sb);
	}
}
END_TEST

static Suite *
depfile_suite(void)
{
	Suite *s = suite_create("depfile");
	TCase *tc;

	tc = tcase_create("spell");
	tcase_add_loop_test(tc, test_spell, 0,
			    sizeof spell_cases / sizeof *spell_cases);
	suite_add_tcase(s, tc);

	tc = tcase_create("refuse");
	tcase_add_loop_test(tc, test_refuse, 0,
			    sizeof refuse_cases / sizeof *refuse_cases);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(depfile_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
