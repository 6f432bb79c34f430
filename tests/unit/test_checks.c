/*
 * test_checks.c - the named checks, run in-process: the exact count each
 * rule reports on the bundled standard, silence on the clean five-level
 * and minimal standards, and for each check a small edit of a clean
 * standard that makes it fire (and nothing else that is avoidable).
 */
#include "skillc.h"

#include <check.h>
#include <string.h>

#include "unit.h"

struct expect {
	enum rule rule;
	size_t count;
};

#define MAX_EXPECT 2

/* How many reports rule r has in want (a list ended by count 0). */
static size_t
expected(const struct expect *want, enum rule r)
{
	for (size_t i = 0; i < MAX_EXPECT && want[i].count; i++)
		if (want[i].rule == r)
			return want[i].count;
	return 0;
}

/* Load, model and check rel with edits (NULL for none); the loader and
 * the model must accept it. */
static void
run_checks(struct arena *a, struct diag *d, const char *rel,
	   const struct unit_edit *edits)
{
	const struct standard *s = unit_build(a, d, rel, edits, NULL);
	size_t errors = diag_errors(d);
	if (!s || errors)
		diag_flush(d, stderr, false);
	ck_assert_msg(s != NULL && errors == 0, "%s: not built", rel);
	check_run(s, d, a);
}

/* ---- one run, shared by a TCase's loop over the rules ------------------ */

static struct arena *shared_arena;
static struct diag *shared_diag;

static void
shared_run(const char *rel)
{
	shared_arena = arena_new();
	shared_diag = diag_new(shared_arena);
	run_checks(shared_arena, shared_diag, rel, NULL);
}

static void
bundled_setup(void)
{
	shared_run(UNIT_BUNDLED);
}

static void
five_setup(void)
{
	shared_run(UNIT_FIVE);
}

static void
minimal_setup(void)
{
	shared_run(UNIT_MINIMAL);
}

static void
shared_teardown(void)
{
	arena_free(shared_arena);
	shared_arena = NULL;
	shared_diag = NULL;
}

/* What the bundled draft really contains (tests/cases/bundled-standard
 * holds the same diagnostics as text). */
static const struct expect bundled[] = {
	{ RULE_ITEM_NUMBERING, 2 },
	{ RULE_EMPTY_CONTENT, 1 },
	{ RULE_WEIGHT_LABEL, 4 },
	{ RULE_WEIGHT_INHERITED, 4 },
};

static size_t
bundled_count(enum rule r)
{
	for (size_t i = 0; i < sizeof bundled / sizeof *bundled; i++)
		if (bundled[i].rule == r)
			return bundled[i].count;
	return 0;
}

START_TEST(test_bundled_rule)
{
	enum rule r = (enum rule)_i;
	size_t got = diag_rule_count(shared_diag, r);
	ck_assert_msg(got == bundled_count(r), "%s %s: %zu, want %zu",
		      rule_table[r].id, rule_table[r].name, got,
		      bundled_count(r));
}
END_TEST

START_TEST(test_bundled_totals)
{
	ck_assert_uint_eq(diag_errors(shared_diag), 0);
	ck_assert_uint_eq(diag_warnings(shared_diag), 11);
}
END_TEST

START_TEST(test_clean_rule)
{
	enum rule r = (enum rule)_i;
	ck_assert_msg(diag_rule_count(shared_diag, r) == 0, "%s %s: %zu",
		      rule_table[r].id, rule_table[r].name,
		      diag_rule_count(shared_diag, r));
}
END_TEST

START_TEST(test_clean_totals)
{
	ck_assert_uint_eq(diag_errors(shared_diag), 0);
	ck_assert_uint_eq(diag_warnings(shared_diag), 0);
}
END_TEST

/* ---- each check fires -------------------------------------------------- */

static struct arena *arena;
static struct diag *diag;

static void
setup(void)
{
	arena = arena_new();
	diag = diag_new(arena);
}

static void
teardown(void)
{
	arena_free(arena);
	arena = NULL;
}

/* Rows inserted into weight tables, indented as in the sources. */
#define ROW(key, ref, label, weights)                                          \
	"                - " key ": " ref "\n"                                 \
	"                  label: " label "\n"                                 \
	"                  weights: " weights "\n"

/* A second work content in minimal.yaml's table, after the first. */
#define MINIMAL_CONTENT(key)                                                   \
	"                  text: 车辆检查项目\n"                         \
	"            - key: " key "\n"                                         \
	"              id: \"1.2\"\n"                                          \
	"              name: 车辆复查\n"                                   \
	"              skills:\n"                                              \
	"                - id: \"1.2.1\"\n"                                    \
	"                  text: 能复查车辆\n"                            \
	"              knowledge:\n"                                           \
	"                - id: \"1.2.1\"\n"                                    \
	"                  text: 车辆复查项目\n"

static const struct fire_case {
	const char *what;
	const char *base;
	struct unit_edit edits[UNIT_MAX_EDITS];
	struct expect want[MAX_EXPECT];
} fire_cases[] = {
	{ "a column sums to 101",
	  UNIT_FIVE,
	  { { "number: 表6", "weights: [5, 5, 5]", "weights: [5, 5, 6]" },
	    { "number: 表6", "weights: [100, 100, 100]",
	      "weights: [100, 100, 101]" } },
	  { { RULE_WEIGHT_SUM, 1 } } },
	{ "a printed total differs from the sum",
	  UNIT_FIVE,
	  { { "number: 表6", "weights: [100, 100, 100]",
	      "weights: [100, 100, 99]" } },
	  { { RULE_WEIGHT_TOTAL, 1 } } },
	{ "weight for a content of a higher level",
	  UNIT_FIVE,
	  { { "number: 表6", "                  weights: [10, 15, 15]\n",
	      "                  weights: [10, 15, 10]\n" ROW(
		      "content", "special-cargo", "特殊货物作业",
		      "[0, 0, 5]") } },
	  { { RULE_WEIGHT_REF, 1 } } },
	{ "two rows for one basic requirement",
	  UNIT_FIVE,
	  { { "number: 表6", "                  weights: [5, 5, 5]\n",
	      "                  weights: [5, 5, 5]\n" ROW(
		      "basic", "ethics", "职业道德", "[0, 0, 0]") } },
	  { { RULE_WEIGHT_ROW_DUPLICATE, 1 } } },
	{ "two rows for one work content",
	  UNIT_MINIMAL,
	  { { "number: 表3", "                  weights: [100]\n",
	      "                  weights: [100]\n" ROW("content", "inspection",
						       "车辆检查", "[0]") } },
	  { { RULE_WEIGHT_ROW_DUPLICATE, 1 } } },
	{ "two theory columns and no skills column for a level",
	  UNIT_MINIMAL,
	  { { NULL, "kind: skills", "kind: theory" } },
	  { { RULE_LEVEL_COLUMNS, 2 } } },
	{ "a work content with no row",
	  UNIT_MINIMAL,
	  { { NULL, "                  text: 车辆检查项目\n",
	      MINIMAL_CONTENT("recheck") } },
	  { { RULE_WEIGHT_MISSING, 2 } } },
	{ "an inherited work content with no row",
	  UNIT_FIVE,
	  { { "number: 表8", ROW("content", "inspection", "车辆检查", "[0, 0]"),
	      "" } },
	  { { RULE_WEIGHT_INHERITED, 2 } } },
	{ "a row labelled unlike its work content",
	  UNIT_MINIMAL,
	  { { NULL, "label: 车辆检查", "label: 车辆检验" } },
	  { { RULE_WEIGHT_LABEL, 1 } } },
	{ "a row labelled unlike its basic requirement",
	  UNIT_FIVE,
	  { { "number: 表6", "label: 职业道德", "label: 职业操守" } },
	  { { RULE_WEIGHT_LABEL, 1 } } },
	{ "an item ID with a leading zero",
	  UNIT_MINIMAL,
	  { { "skills:", "id: \"1.1.1\"", "id: \"1.1.01\"" } },
	  { { RULE_ID_FORM, 1 } } },
	{ "a work content ID with a trailing dot",
	  UNIT_MINIMAL,
	  { { NULL, "id: \"1.1\"", "id: \"1.1.\"" } },
	  { { RULE_ID_FORM, 1 } } },
	/* A duplicate ID among siblings that are numbered under their
	 * parent always breaks their sequence too. */
	{ "two skill items with one ID",
	  UNIT_MINIMAL,
	  { { "skills:", "                  text: 能检查车辆\n",
	      "                  text: 能检查车辆\n"
	      "                - id: \"1.1.1\"\n"
	      "                  text: 能再检查车辆\n" } },
	  { { RULE_ID_DUPLICATE, 1 }, { RULE_ID_SEQUENCE, 1 } } },
	{ "a knowledge item numbered under another content",
	  UNIT_MINIMAL,
	  { { "knowledge:", "id: \"1.1.1\"", "id: \"1.2.1\"" } },
	  { { RULE_ITEM_NUMBERING, 1 } } },
	{ "a first item numbered 2",
	  UNIT_MINIMAL,
	  { { "knowledge:", "id: \"1.1.1\"", "id: \"1.1.2\"" } },
	  { { RULE_ID_SEQUENCE, 1 } } },
	{ "a gap in the numbering",
	  UNIT_FIVE,
	  { { NULL, "id: \"1.1.2\"", "id: \"1.1.3\"" },
	    { "1.1.3\"", "id: \"1.1.3\"", "id: \"1.1.4\"" } },
	  { { RULE_ID_SEQUENCE, 1 } } },
	{ "a work content without knowledge",
	  UNIT_MINIMAL,
	  { { NULL,
	      "knowledge:\n                - id: \"1.1.1\"\n"
	      "                  text: 车辆检查项目\n",
	      "knowledge: []\n" } },
	  { { RULE_EMPTY_CONTENT, 1 } } },
	{ "a work content without either",
	  UNIT_MINIMAL,
	  { { NULL,
	      "skills:\n                - id: \"1.1.1\"\n"
	      "                  text: 能检查车辆\n",
	      "skills: []\n" },
	    { NULL,
	      "knowledge:\n                - id: \"1.1.1\"\n"
	      "                  text: 车辆检查项目\n",
	      "knowledge: []\n" } },
	  { { RULE_EMPTY_CONTENT, 2 } } },
	{ "two work contents of a level with one key",
	  UNIT_MINIMAL,
	  { { NULL, "                  text: 车辆检查项目\n",
	      MINIMAL_CONTENT("inspection") } },
	  { { RULE_CONTENT_KEY_DUPLICATE, 1 } } },
	{ "a level skipping the next lower one",
	  UNIT_FIVE,
	  { { "\nlevels:\n", "includes: l4", "includes: l5" } },
	  { { RULE_LEVEL_INCLUDE, 1 } } },
	{ "a level including nothing",
	  UNIT_FIVE,
	  { { "\nlevels:\n", "    includes: l4\n", "" } },
	  { { RULE_LEVEL_INCLUDE, 1 } } },
	{ "a level with two work tables, another with none",
	  UNIT_FIVE,
	  { { "work_requirements:", "level: l1", "level: l2" } },
	  { { RULE_WORK_TABLE, 2 } } },
	{ "a level with two eligibility clauses",
	  UNIT_MINIMAL,
	  { { "eligibility:\n", "  - level: l5\n",
	      "  - level: l5\n    clause: \"4.3.0\"\n    title: x\n"
	      "    intro: x\n    routes: []\n  - level: l5\n" } },
	  { { RULE_ELIGIBILITY_CLAUSE, 1 } } },
	{ "a route asking for the level's own certificate",
	  UNIT_FIVE,
	  { { "  - level: l1\n", "certificate: l2", "certificate: l1" } },
	  { { RULE_ELIGIBILITY_CERTIFICATE, 1 } } },
	{ "no route through the next lower certificate",
	  UNIT_FIVE,
	  { { "  - level: l1\n", "certificate: l2", "certificate: l3" },
	    { "  - level: l1\n", "certificate: l2", "certificate: l3" } },
	  { { RULE_ELIGIBILITY_CERTIFICATE, 1 } } },
	/* 三级/高级工's route a) counts 30 months in all with 四级/中级工's
	 * certificate, less than the 36 months after 五级/初级工's that
	 * route a) to 四级/中级工 implies. (Counted after the certificate,
	 * 30 would add 四级/中级工's 36: no slip.) */
	{ "a level asking for less experience than the one below",
	  UNIT_FIVE,
	  { { NULL, "experience_months: 84",
	      "experience_months: 30\n        experience_counted: total" } },
	  { { RULE_ELIGIBILITY_EXPERIENCE, 1 } } },
	/* The levels between (四级/中级工) do not hide what they include:
	 * 三级/高级工 repeats 五级/初级工's skill and knowledge items. */
	{ "items repeating those of a level two below",
	  UNIT_FIVE,
	  { { NULL, "text: 能判断液压系统压力和制动距离是否符合要求",
	      "text: 能检查蓄电池叉车的电量指示及插接件状态" },
	    { NULL, "text: 发动机及驱动电机的工作原理",
	      "text: 叉车班前检查的项目及要求" } },
	  { { RULE_REPEATED_ITEM, 2 } } },
	/* Only an included level's item: the lower level repeating a
	 * higher one is reported at the higher, and a skill item with a
	 * knowledge item's text is no repetition. */
	{ "an item of an included level, repeated by a lower one",
	  UNIT_FIVE,
	  { { NULL, "text: 能检查蓄电池叉车的电量指示及插接件状态",
	      "text: 能检查制动系统和转向系统的工作性能" },
	    { NULL, "text: 叉车日常保养的内容和要求",
	      "text: 能进行叉车一级保养" } },
	  { { RULE_REPEATED_ITEM, 1 } } },
};

START_TEST(test_fires)
{
	const struct fire_case *c = &fire_cases[_i];
	run_checks(arena, diag, c->base, c->edits);
	size_t errors = 0, warnings = 0;
	for (int r = 0; r < RULE_COUNT; r++) {
		size_t want = expected(c->want, (enum rule)r);
		size_t got = unit_explain(diag, want,
					  diag_rule_count(diag, (enum rule)r));
		ck_assert_msg(got == want, "%s: %zu under %s %s, want %zu",
			      c->what, got, rule_table[r].id,
			      rule_table[r].name, want);
		if (rule_table[r].severity == SEV_ERROR)
			errors += want;
		else
			warnings += want;
	}
	ck_assert_uint_eq(diag_errors(diag), errors);
	ck_assert_uint_eq(diag_warnings(diag), warnings);
}
END_TEST

START_TEST(test_off)
{
	/* A check switched off reports nothing; the others still run. */
	const struct fire_case *c = &fire_cases[_i];
	for (size_t i = 0; i < MAX_EXPECT && c->want[i].count; i++)
		diag_set_severity(diag, c->want[i].rule, SEV_OFF);
	run_checks(arena, diag, c->base, c->edits);
	for (int r = 0; r < RULE_COUNT; r++)
		ck_assert_msg(diag_rule_count(diag, (enum rule)r) == 0,
			      "%s, switched off: %zu under %s", c->what,
			      diag_rule_count(diag, (enum rule)r),
			      rule_table[r].name);
	ck_assert_uint_eq(diag_errors(diag) + diag_warnings(diag), 0);
}
END_TEST

/* ---- the registry: one name for a rule everywhere ---------------------- */

/* Each rule of checks.def as written there: its symbol, its function (for
 * checks) and its name must be one word, so that a grep for a rule's name
 * from a diagnostic finds its code. */
static const struct spelling_case {
	const char *sym, *fn, *name;
} spelling_cases[] = {
#define INPUT(id, sym, name, summary)	       { #sym, NULL, name },
#define CHECK(id, sym, fn, name, sev, summary) { #sym, #fn, name },
#include "checks.def"
#undef INPUT
#undef CHECK
};

START_TEST(test_spelling)
{
	const struct spelling_case *c = &spelling_cases[_i];
	char sym[64], fn[64];
	size_t len = strlen(c->name);
	ck_assert_uint_lt(len, sizeof sym);
	for (size_t i = 0; i <= len; i++) {
		char ch = c->name[i] == '-' ? '_' : c->name[i];
		fn[i] = ch;
		sym[i] = ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
	}
	ck_assert_msg(!strcmp(c->sym, sym),
		      "rule '%s' has the symbol %s, not %s", c->name, c->sym,
		      sym);
	ck_assert_msg(!c->fn || !strcmp(c->fn, fn),
		      "check '%s' has the function check_%s, not check_%s",
		      c->name, c->fn, fn);
}
END_TEST

static Suite *
checks_suite(void)
{
	Suite *s = suite_create("checks");
	TCase *tc;

	tc = tcase_create("registry");
	tcase_add_loop_test(tc, test_spelling, 0,
			    sizeof spelling_cases / sizeof *spelling_cases);
	suite_add_tcase(s, tc);

	tc = tcase_create("bundled");
	tcase_add_unchecked_fixture(tc, bundled_setup, shared_teardown);
	tcase_add_loop_test(tc, test_bundled_rule, 0, RULE_COUNT);
	tcase_add_test(tc, test_bundled_totals);
	suite_add_tcase(s, tc);

	tc = tcase_create("five-level-clean");
	tcase_add_unchecked_fixture(tc, five_setup, shared_teardown);
	tcase_add_loop_test(tc, test_clean_rule, 0, RULE_COUNT);
	tcase_add_test(tc, test_clean_totals);
	suite_add_tcase(s, tc);

	tc = tcase_create("minimal-clean");
	tcase_add_unchecked_fixture(tc, minimal_setup, shared_teardown);
	tcase_add_loop_test(tc, test_clean_rule, 0, RULE_COUNT);
	tcase_add_test(tc, test_clean_totals);
	suite_add_tcase(s, tc);

	tc = tcase_create("fires");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_fires, 0,
			    sizeof fire_cases / sizeof *fire_cases);
	tcase_add_loop_test(tc, test_off, 0,
			    sizeof fire_cases / sizeof *fire_cases);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(checks_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
