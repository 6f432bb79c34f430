/*
 * test_diag.c - diagnostics: counts per severity and rule, severities set
 * by options, the rules' table and lookup, and the printed form: GCC's
 * lines, sorted by position, with the source line and a caret.
 */
#include "skillc.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct arena *arena;
static struct diag *diag;
static char *out; /* the last flush, from open_memstream */

/* glibc's qsort happens to be a stable merge sort, so a diag that left the
 * order of reports at one place to it would pass test_sorted_stable by
 * luck. This binary brings its own qsort, a heapsort, which is not stable:
 * the linker takes it for libskillc's calls too, so only an explicit
 * tie-break in diag.c keeps the order. */
static void
heap_sift(char *base, size_t n, size_t size, size_t root,
	  int (*cmp)(const void *, const void *), char *tmp)
{
	for (size_t child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n &&
		    cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		memcpy(tmp, base + root * size, size);
		memcpy(base + root * size, base + child * size, size);
		memcpy(base + child * size, tmp, size);
	}
}

void
qsort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *base = v, *tmp = malloc(size ? size : 1);
	if (!tmp)
		abort();
	for (size_t i = n / 2; i-- > 0;)
		heap_sift(base, n, size, i, cmp, tmp);
	for (size_t end = n; end-- > 1;) {
		memcpy(tmp, base, size);
		memcpy(base, base + end * size, size);
		memcpy(base + end * size, tmp, size);
		heap_sift(base, end, size, 0, cmp, tmp);
	}
	free(tmp);
}

/* One name for the file, so that quoting finds its source by pointer. */
static const char file[] = "f.yaml";

static void
setup(void)
{
	arena = arena_new();
	diag = diag_new(arena);
	out = NULL;
}

static void
teardown(void)
{
	free(out);
	out = NULL;
	arena_free(arena);
	arena = NULL;
}

/* What diag_flush prints, as a string owned by the fixture. */
static const char *
flush(bool caret)
{
	free(out);
	out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(f);
	diag_flush(diag, f, caret);
	fclose(f);
	return out;
}

static struct loc
at(uint32_t line, uint32_t col)
{
	return (struct loc){ file, line, col };
}

/* ---- counts ------------------------------------------------------------ */

START_TEST(test_counts)
{
	diag_report(diag, RULE_WEIGHT_LABEL, at(1, 1), "a");
	diag_note(diag, at(2, 1), "a's note");
	diag_report(diag, RULE_WEIGHT_LABEL, at(3, 1), "b");
	diag_report(diag, RULE_WEIGHT_SUM, at(4, 1), "c");
	diag_report(diag, RULE_DUPLICATE_KEY, at(5, 1), "d");
	diag_note(diag, at(6, 1), "d's note");
	ck_assert_uint_eq(diag_errors(diag), 2);
	ck_assert_uint_eq(diag_warnings(diag), 2);
	ck_assert_uint_eq(diag_rule_count(diag, RULE_WEIGHT_LABEL), 2);
	ck_assert_uint_eq(diag_rule_count(diag, RULE_WEIGHT_SUM), 1);
	ck_assert_uint_eq(diag_rule_count(diag, RULE_DUPLICATE_KEY), 1);
	ck_assert_uint_eq(diag_rule_count(diag, RULE_ITEM_NUMBERING), 0);
	ck_assert_uint_eq(diag_rule_count(diag, RULE_YAML_SYNTAX), 0);
}
END_TEST

START_TEST(test_counts_survive_flush)
{
	/* The counts are the run's: the driver compares them across files,
	 * each flushed in turn. */
	diag_report(diag, RULE_WEIGHT_SUM, at(1, 1), "e");
	diag_report(diag, RULE_WEIGHT_LABEL, at(1, 1), "w");
	flush(false);
	ck_assert_uint_eq(diag_errors(diag), 1);
	ck_assert_uint_eq(diag_warnings(diag), 1);
	diag_report(diag, RULE_WEIGHT_SUM, at(1, 1), "e2");
	ck_assert_uint_eq(diag_errors(diag), 2);
	ck_assert_uint_eq(diag_rule_count(diag, RULE_WEIGHT_SUM), 2);
	ck_assert_uint_eq(diag_rule_count(diag, RULE_WEIGHT_LABEL), 1);
}
END_TEST

/* ---- severities -------------------------------------------------------- */

enum { KEEP = -1 }; /* no diag_set_severity call */

static const struct severity_case {
	const char *what;
	enum rule rule;
	int set; /* a severity to set, or KEEP */
	bool werror;
	enum severity want;
	const char *line; /* the report as printed */
} severity_cases[] = {
	{ "warning by default", RULE_WEIGHT_LABEL, KEEP, false, SEV_WARNING,
	  "f.yaml:3:5: warning: m [SK0108 weight-label]\n" },
	{ "-Wno-", RULE_WEIGHT_LABEL, SEV_OFF, false, SEV_OFF, "" },
	{ "-E", RULE_WEIGHT_LABEL, SEV_ERROR, false, SEV_ERROR,
	  "f.yaml:3:5: error: m [SK0108 weight-label]\n" },
	{ "error by default", RULE_WEIGHT_SUM, KEEP, false, SEV_ERROR,
	  "f.yaml:3:5: error: m [SK0101 weight-sum]\n" },
	{ "-W on an error", RULE_WEIGHT_SUM, SEV_WARNING, false, SEV_WARNING,
	  "f.yaml:3:5: warning: m [SK0101 weight-sum]\n" },
	{ "-Wno- on an error", RULE_WEIGHT_SUM, SEV_OFF, false, SEV_OFF, "" },
	{ "-Werror", RULE_WEIGHT_LABEL, KEEP, true, SEV_ERROR,
	  "f.yaml:3:5: error: m [SK0108 weight-label]\n" },
	{ "-Werror, -Wno-", RULE_WEIGHT_LABEL, SEV_OFF, true, SEV_OFF, "" },
	{ "-Werror, -W", RULE_WEIGHT_SUM, SEV_WARNING, true, SEV_ERROR,
	  "f.yaml:3:5: error: m [SK0101 weight-sum]\n" },
	{ "-Werror on an error", RULE_ITEM_NUMBERING, SEV_ERROR, true,
	  SEV_ERROR, "f.yaml:3:5: error: m [SK0203 item-numbering]\n" },
	{ "fixed: -Wno-", RULE_DUPLICATE_KEY, SEV_OFF, false, SEV_ERROR,
	  "f.yaml:3:5: error: m [SK0003 duplicate-key]\n" },
	{ "fixed: -W", RULE_ENCODING, SEV_WARNING, false, SEV_ERROR,
	  "f.yaml:3:5: error: m [SK0002 encoding]\n" },
	{ "fixed: -Werror -Wno-", RULE_LEVEL_CYCLE, SEV_OFF, true, SEV_ERROR,
	  "f.yaml:3:5: error: m [SK0016 level-cycle]\n" },
};

START_TEST(test_severity)
{
	const struct severity_case *c = &severity_cases[_i];
	if (c->set != KEEP)
		diag_set_severity(diag, c->rule, (enum severity)c->set);
	diag_set_werror(diag, c->werror);
	diag_report(diag, c->rule, at(3, 5), "m");
	diag_note(diag, at(1, 1), "n");
	ck_assert_msg(diag_errors(diag) == (c->want == SEV_ERROR),
		      "%s: %zu errors", c->what, diag_errors(diag));
	ck_assert_msg(diag_warnings(diag) == (c->want == SEV_WARNING),
		      "%s: %zu warnings", c->what, diag_warnings(diag));
	ck_assert_msg(diag_rule_count(diag, c->rule) == (c->want != SEV_OFF),
		      "%s: rule count %zu", c->what,
		      diag_rule_count(diag, c->rule));
	/* The note goes with its report, or is dropped with it. */
	char want[128];
	snprintf(want, sizeof want, "%s%s", c->line,
		 c->want == SEV_OFF ? "" : "f.yaml:1:1: note: n\n");
	ck_assert_str_eq(flush(false), want);
}
END_TEST

START_TEST(test_dropped_notes)
{
	/* A dropped report's notes are dropped, and do not attach to the
	 * report kept before it. */
	diag_set_severity(diag, RULE_WEIGHT_LABEL, SEV_OFF);
	diag_report(diag, RULE_WEIGHT_SUM, at(1, 1), "kept");
	diag_note(diag, at(1, 2), "kept's note");
	diag_report(diag, RULE_WEIGHT_LABEL, at(2, 1), "dropped");
	diag_note(diag, at(2, 2), "dropped's note");
	diag_note(diag, at(2, 3), "dropped's second note");
	diag_report(diag, RULE_WEIGHT_TOTAL, at(3, 1), "kept too");
	diag_note(diag, at(3, 2), "its note");
	ck_assert_str_eq(flush(false),
			 "f.yaml:1:1: error: kept [SK0101 weight-sum]\n"
			 "f.yaml:1:2: note: kept's note\n"
			 "f.yaml:3:1: warning: kept too [SK0102 weight-total]\n"
			 "f.yaml:3:2: note: its note\n");
	ck_assert_uint_eq(diag_rule_count(diag, RULE_WEIGHT_LABEL), 0);
	ck_assert_uint_eq(diag_warnings(diag), 1);
	ck_assert_uint_eq(diag_errors(diag), 1);
}
END_TEST

START_TEST(test_note_without_report)
{
	/* A note with no report before it (or only a flushed one) has
	 * nothing to attach to. */
	diag_note(diag, at(1, 1), "orphan");
	ck_assert_str_eq(flush(false), "");
	diag_report(diag, RULE_WEIGHT_SUM, at(1, 1), "r");
	flush(false);
	diag_note(diag, at(2, 1), "late");
	ck_assert_str_eq(flush(false), "");
}
END_TEST

START_TEST(test_set_back_on)
{
	/* -Wno-X then -WX: the last option wins. */
	diag_set_severity(diag, RULE_WEIGHT_LABEL, SEV_OFF);
	diag_set_severity(diag, RULE_WEIGHT_LABEL, SEV_WARNING);
	diag_report(diag, RULE_WEIGHT_LABEL, at(1, 1), "m");
	ck_assert_uint_eq(diag_warnings(diag), 1);
	/* and -Werror can be switched off again */
	diag_set_werror(diag, true);
	diag_set_werror(diag, false);
	diag_report(diag, RULE_WEIGHT_LABEL, at(1, 1), "m");
	ck_assert_uint_eq(diag_warnings(diag), 2);
	ck_assert_uint_eq(diag_errors(diag), 0);
}
END_TEST

/* ---- rules ------------------------------------------------------------- */

static const struct find_case {
	const char *s;
	int want;
} find_cases[] = {
	{ "SK0108", RULE_WEIGHT_LABEL },
	{ "weight-label", RULE_WEIGHT_LABEL },
	{ "SK0001", RULE_YAML_SYNTAX },
	{ "yaml-syntax", RULE_YAML_SYNTAX },
	{ "SK0203", RULE_ITEM_NUMBERING },
	{ "item-numbering", RULE_ITEM_NUMBERING },
	{ "SK0104", RULE_WEIGHT_ROW_DUPLICATE },
	{ "weight-row-duplicate", RULE_WEIGHT_ROW_DUPLICATE },
	{ "SK0403", RULE_ELIGIBILITY_EXPERIENCE },
	{ "eligibility-experience", RULE_ELIGIBILITY_EXPERIENCE },
	{ "SK9999", -1 },
	{ "SK010", -1 },
	{ "SK01081", -1 },
	{ "weight", -1 },
	{ "weight-label ", -1 },
	{ "WEIGHT_LABEL", -1 },
	{ "", -1 },
};

START_TEST(test_rule_find)
{
	const struct find_case *c = &find_cases[_i];
	ck_assert_msg(rule_find(c->s) == c->want,
		      "rule_find('%s') = %d, want %d", c->s, rule_find(c->s),
		      c->want);
}
END_TEST

START_TEST(test_rule_table)
{
	/* Each rule is found by its ID and by its name (so no two share
	 * either), IDs are SK and four digits, names lowercase words. */
	const struct rule_info *info = &rule_table[_i];
	ck_assert_int_eq(rule_find(info->id), _i);
	ck_assert_int_eq(rule_find(info->name), _i);
	ck_assert_uint_eq(strlen(info->id), 6);
	ck_assert_uint_eq(strspn(info->id, "SK"), 2);
	ck_assert_uint_eq(strspn(info->id + 2, "0123456789"), 4);
	ck_assert_uint_eq(strspn(info->name, "abcdefghijklmnopqrstuvwxyz-"),
			  strlen(info->name));
	ck_assert_ptr_nonnull(info->summary);
	/* Input rules (SK00xx) are fixed errors; checks are not fixed. */
	bool input = !strncmp(info->id, "SK00", 4);
	ck_assert_int_eq(info->fixed, input);
	if (input)
		ck_assert_int_eq(info->severity, SEV_ERROR);
	else
		ck_assert_int_ne(info->severity, SEV_OFF);
}
END_TEST

/* ---- the printed form -------------------------------------------------- */

START_TEST(test_format)
{
	diag_report(diag, RULE_WEIGHT_LABEL, at(815, 26),
		    "%s labels work content '%s' as '%s'", "表4", "cs",
		    "顾客服务");
	diag_note(diag, at(466, 21), "named %s", "here");
	ck_assert_str_eq(
		flush(false),
		"f.yaml:815:26: warning: 表4 labels work content 'cs' as '顾客服务' [SK0108 weight-label]\n"
		"f.yaml:466:21: note: named here\n");
}
END_TEST

START_TEST(test_format_whole_file)
{
	/* Line 0 is the file as a whole; no file is skillc itself. */
	diag_report(diag, RULE_UNKNOWN_REFERENCE, at(0, 0), "whole");
	diag_report(diag, RULE_EMPTY_FILE, (struct loc){ NULL, 0, 0 }, "none");
	ck_assert_str_eq(flush(true),
			 "f.yaml: error: whole [SK0013 unknown-reference]\n"
			 "skillc: error: none [SK0005 empty-file]\n");
}
END_TEST

START_TEST(test_sorted)
{
	/* By line, then column (as numbers), then the order of report;
	 * notes stay under their report. */
	diag_report(diag, RULE_WEIGHT_SUM, at(10, 1), "a");
	diag_note(diag, at(1, 1), "a's note");
	diag_report(diag, RULE_WEIGHT_LABEL, at(9, 10), "b");
	diag_report(diag, RULE_WEIGHT_LABEL, at(9, 9), "c");
	diag_report(diag, RULE_WEIGHT_SUM, at(10, 1), "d");
	diag_report(diag, RULE_WEIGHT_SUM, at(0, 0), "e");
	diag_report(diag, RULE_WEIGHT_LABEL, at(9, 9), "f");
	diag_note(diag, at(20, 2), "f's note");
	diag_report(diag, RULE_WEIGHT_LABEL, at(2, 100), "g");
	ck_assert_str_eq(flush(false),
			 "f.yaml: error: e [SK0101 weight-sum]\n"
			 "f.yaml:2:100: warning: g [SK0108 weight-label]\n"
			 "f.yaml:9:9: warning: c [SK0108 weight-label]\n"
			 "f.yaml:9:9: warning: f [SK0108 weight-label]\n"
			 "f.yaml:20:2: note: f's note\n"
			 "f.yaml:9:10: warning: b [SK0108 weight-label]\n"
			 "f.yaml:10:1: error: a [SK0101 weight-sum]\n"
			 "f.yaml:1:1: note: a's note\n"
			 "f.yaml:10:1: error: d [SK0101 weight-sum]\n");
}
END_TEST

START_TEST(test_sorted_stable)
{
	/* Many reports at one place keep the order they were made in. */
	enum { N = 100 };
	for (int i = 0; i < N; i++)
		diag_report(diag, i % 2 ? RULE_WEIGHT_SUM : RULE_WEIGHT_LABEL,
			    at(7, 3), "%d", i);
	char want[N * 64] = "";
	size_t len = 0;
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(want + len, sizeof want - len,
					"f.yaml:7:3: %s: %d [%s]\n",
					i % 2 ? "error" : "warning", i,
					i % 2 ? "SK0101 weight-sum"
					      : "SK0108 weight-label");
	ck_assert_str_eq(flush(false), want);
}
END_TEST

/* Reports held are taken back together, with their notes and from the
 * counts, and the others stay in order; or kept, and then no longer
 * held. */
START_TEST(test_hold)
{
	diag_report(diag, RULE_WEIGHT_LABEL, at(3, 1), "before");
	diag_hold(diag, true);
	diag_report(diag, RULE_WEIGHT_SUM, at(1, 1), "held");
	diag_note(diag, at(9, 9), "held's note");
	diag_hold(diag, false);
	diag_report(diag, RULE_WEIGHT_LABEL, at(2, 1), "between");
	diag_hold(diag, true);
	diag_report(diag, RULE_WEIGHT_LABEL, at(1, 1), "held too");
	diag_hold(diag, false);
	diag_settle(diag, false);
	ck_assert_uint_eq(diag_errors(diag), 0);
	ck_assert_uint_eq(diag_warnings(diag), 2);
	ck_assert_uint_eq(diag_rule_count(diag, RULE_WEIGHT_SUM), 0);
	diag_hold(diag, true);
	diag_report(diag, RULE_WEIGHT_SUM, at(4, 1), "kept");
	diag_note(diag, at(4, 2), "kept's note");
	diag_hold(diag, false);
	diag_settle(diag, true);
	diag_settle(diag, false); /* nothing held: nothing taken back */
	ck_assert_uint_eq(diag_errors(diag), 1);
	ck_assert_str_eq(flush(false),
			 "f.yaml:2:1: warning: between [SK0108 weight-label]\n"
			 "f.yaml:3:1: warning: before [SK0108 weight-label]\n"
			 "f.yaml:4:1: error: kept [SK0101 weight-sum]\n"
			 "f.yaml:4:2: note: kept's note\n");
}
END_TEST

START_TEST(test_flush_forgets)
{
	diag_report(diag, RULE_WEIGHT_SUM, at(1, 1), "once");
	ck_assert_str_eq(flush(false),
			 "f.yaml:1:1: error: once [SK0101 weight-sum]\n");
	ck_assert_str_eq(flush(false), "");
	diag_report(diag, RULE_WEIGHT_SUM, at(2, 1), "again");
	ck_assert_str_eq(flush(false),
			 "f.yaml:2:1: error: again [SK0101 weight-sum]\n");
}
END_TEST

/* ---- caret ------------------------------------------------------------- */

static const struct caret_case {
	const char *what;
	const char *src;
	uint32_t line, col;
	const char *quote; /* what follows the report line */
} caret_cases[] = {
	{ "ASCII", "a: 1\nkey: value\n", 2, 6, " key: value\n      ^\n" },
	{ "first column", "a: 1\n", 1, 1, " a: 1\n ^\n" },
	{ "after CJK", "名称: 值\n", 1, 5, " 名称: 值\n       ^\n" },
	{ "under CJK", "名称：值\n", 1, 4, " 名称：值\n       ^\n" },
	{ "CJK then ASCII", "x: {中文: 是, key: v}\n", 1, 12,
	  " x: {中文: 是, key: v}\n               ^\n" },
	{ "tab kept", "\tkey: 1\n", 1, 2, " \tkey: 1\n \t^\n" },
	{ "CRLF", "a: 1\r\nb: 2\r\n", 2, 4, " b: 2\n    ^\n" },
	/* a lone CR ends a line, as in libyaml and the loader */
	{ "lone CR", "a: 1\rb: 2\rc: 3\r", 2, 4, " b: 2\n    ^\n" },
	{ "last line, no newline", "a: 1\nb: 2", 2, 4, " b: 2\n    ^\n" },
	{ "past the end of the line", "ab\n", 1, 9, " ab\n   ^\n" },
	{ "empty line", "a: 1\n\nb: 2\n", 2, 1, " \n ^\n" },
	{ "past the last line", "a: 1\n", 3, 1, "" },
	{ "line 0", "a: 1\n", 0, 0, "" },
};

START_TEST(test_caret)
{
	const struct caret_case *c = &caret_cases[_i];
	diag_add_source(diag, file, c->src, strlen(c->src));
	diag_report(diag, RULE_WEIGHT_SUM, at(c->line, c->col), "m");
	char want[256];
	if (c->line)
		snprintf(want, sizeof want,
			 "f.yaml:%u:%u: error: m [SK0101 weight-sum]\n%s",
			 (unsigned)c->line, (unsigned)c->col, c->quote);
	else
		snprintf(want, sizeof want,
			 "f.yaml: error: m [SK0101 weight-sum]\n%s", c->quote);
	ck_assert_msg(!strcmp(flush(true), want), "%s: got\n%s\nwant\n%s",
		      c->what, out, want);
}
END_TEST

START_TEST(test_caret_notes)
{
	/* Notes are quoted from their own line; another file's source is
	 * not used for a file it does not belong to. */
	static const char other[] = "g.yaml";
	diag_add_source(diag, other, "zzz\n", 4);
	diag_add_source(diag, file, "名: 1\n键: 2\n", strlen("名: 1\n键: 2\n"));
	diag_report(diag, RULE_DUPLICATE_KEY, at(2, 1), "duplicate key '键'");
	diag_note(diag, at(1, 4), "first given here");
	diag_note(diag, (struct loc){ "h.yaml", 1, 1 }, "no source");
	ck_assert_str_eq(
		flush(true),
		"f.yaml:2:1: error: duplicate key '键' [SK0003 duplicate-key]\n"
		" 键: 2\n"
		" ^\n"
		"f.yaml:1:4: note: first given here\n"
		" 名: 1\n"
		"     ^\n"
		"h.yaml:1:1: note: no source\n");
}
END_TEST

START_TEST(test_no_caret)
{
	diag_add_source(diag, file, "a: 1\n", 5);
	diag_report(diag, RULE_WEIGHT_SUM, at(1, 4), "m");
	diag_note(diag, at(1, 1), "n");
	ck_assert_str_eq(flush(false),
			 "f.yaml:1:4: error: m [SK0101 weight-sum]\n"
			 "f.yaml:1:1: note: n\n");
}
END_TEST

static Suite *
diag_suite(void)
{
	Suite *s = suite_create("diag");
	TCase *tc;

	tc = tcase_create("counts");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_counts);
	tcase_add_test(tc, test_counts_survive_flush);
	tcase_add_test(tc, test_hold);
	suite_add_tcase(s, tc);

	tc = tcase_create("severity");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_severity, 0,
			    sizeof severity_cases / sizeof *severity_cases);
	tcase_add_test(tc, test_dropped_notes);
	tcase_add_test(tc, test_note_without_report);
	tcase_add_test(tc, test_set_back_on);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_loop_test(tc, test_rule_find, 0,
			    sizeof find_cases / sizeof *find_cases);
	tcase_add_loop_test(tc, test_rule_table, 0, RULE_COUNT);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_format_whole_file);
	tcase_add_test(tc, test_sorted);
	tcase_add_test(tc, test_sorted_stable);
	tcase_add_test(tc, test_flush_forgets);
	suite_add_tcase(s, tc);

	tc = tcase_create("caret");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_caret, 0,
			    sizeof caret_cases / sizeof *caret_cases);
	tcase_add_test(tc, test_caret_notes);
	tcase_add_test(tc, test_no_caret);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(diag_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
