/*
 * test_cname.c - the names of the C header: which prefixes are valid, the
 * identifiers given to levels, work contents, basic requirements and
 * methods, each clash or over-long name reported once, and the length of
 * exactly the texts the header holds (the fields flagged FIELD_C) checked
 * against what a portable string literal may hold.
 */
#include "skillc.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

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

static struct standard *
build(const char *rel, const struct unit_edit *edits)
{
	struct standard *s = unit_build(arena, diag, rel, edits, NULL);
	if (!s)
		diag_flush(diag, stderr, false);
	ck_assert_msg(s != NULL, "%s does not build", rel);
	return s;
}

/* ---- prefixes ------------------------------------------------------------ */

static const struct prefix_case {
	const char *prefix;
	bool valid;
} prefix_cases[] = {
	{ "MAIO", true },
	{ "a", true },
	{ "x9_y", true },
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZ01234", true },   /* 31 */
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", false }, /* 32 */
	{ "", false },
	{ "9a", false },
	{ "_a", false },
	{ "a_", false },
	{ "a__b", false },
	{ "a-b", false },
	{ "a b", false },
	{ "\xc3\xa9", false },
};

START_TEST(test_prefix)
{
	const struct prefix_case *c = &prefix_cases[_i];
	ck_assert_msg(cname_valid_prefix(c->prefix) == c->valid,
		      "'%s' valid: want %d", c->prefix, c->valid);
}
END_TEST

/* ---- names -----------------------------------------------------------------
 */

/* An id whose names would pass 63 characters gives way to its initials;
 * one that fits is kept whole (test_names). */
START_TEST(test_derived_prefix)
{
	const struct standard *s = build(UNIT_BUNDLED, NULL);
	const struct cnames *c = cname_build(arena, diag, s, NULL, true);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->upper, "MAIO");
	ck_assert_str_eq(c->lower, "maio");
	ck_assert_uint_eq(diag_errors(diag), 0);
	for (size_t i = 0; i < s->n_contents; i++)
		ck_assert_uint_le(strlen(c->content[i]), CNAME_MAX);
}
END_TEST

START_TEST(test_names)
{
	const struct standard *s = build(UNIT_FIVE, NULL);
	const struct cnames *c = cname_build(arena, diag, s, NULL, true);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->upper, "FORKLIFT_OPERATOR");
	ck_assert_str_eq(c->lower, "forklift_operator");
	ck_assert_str_eq(c->level[0], "FORKLIFT_OPERATOR_LEVEL_L5");
	ck_assert_str_eq(c->level[4], "FORKLIFT_OPERATOR_LEVEL_L1");
	ck_assert_str_eq(c->content[0], "FORKLIFT_OPERATOR_L5_INSPECTION");
	/* Every work content is named after its level and key. */
	for (size_t i = 0; i < s->n_contents; i++) {
		const struct content *ct = s->contents[i];
		char want[256];
		int n = snprintf(want, sizeof want, "FORKLIFT_OPERATOR_%s_%s",
				 ct->level->key.s, ct->key.s);
		ck_assert_int_lt(n, (int)sizeof want);
		for (char *p = want; *p; p++)
			*p = *p == '-' ? '_'
				       : (char)(*p >= 'a' && *p <= 'z' ? *p - 32
								       : *p);
		ck_assert_str_eq(c->content[i], want);
	}
	ck_assert_uint_gt(s->n_basics, 0);
	ck_assert_ptr_nonnull(strstr(c->basic[0], "FORKLIFT_OPERATOR_BASIC_"));
	ck_assert_ptr_nonnull(
		strstr(c->method[0], "FORKLIFT_OPERATOR_METHOD_"));

	const struct cnames *p = cname_build(arena, diag, s, "FO", true);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->upper, "FO");
	ck_assert_str_eq(p->lower, "fo");
	ck_assert_str_eq(p->level[0], "FO_LEVEL_L5");
	ck_assert_str_eq(p->content[0], "FO_L5_INSPECTION");
	ck_assert_uint_eq(diag_errors(diag), 0);
}
END_TEST

/* Work contents added to minimal.yaml's one capability. */
#define CONTENT(key)                                                           \
	"            - key: " key "\n              id: \"1.2\"\n"              \
	"              name: 其他\n              skills: []\n"               \
	"              knowledge: []\n"
#define ADD(contents)                                                          \
	{                                                                      \
		"text: 车辆检查项目\n", "\n", "\n" contents                    \
	}

static const struct clash_case {
	const char *what;
	struct unit_edit edits[UNIT_MAX_EDITS];
	size_t reports; /* under c-identifier */
} clash_cases[] = {
	{ "clean", { ADD(CONTENT("other")) }, 0 },
	{ "case", { ADD(CONTENT("INSPECTION")) }, 1 },
	{ "dash", { ADD(CONTENT("in-spection") CONTENT("in_spection")) }, 1 },
	{ "reserved", { ADD(CONTENT("in__spection")) }, 1 },
	{ "long",
	  { ADD(CONTENT("kxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			"xxxxxxxxxxx")) },
	  1 },
	/* an id too long for a prefix gives its initials, AAA */
	{ "prefix-initials",
	  { { NULL, "id: minimal", "id: abcdefghij-abcdefghij-abcdefghij" } },
	  0 },
	/* and where even the initials make a name too long, the id's own
	 * prefix is reported, once */
	{ "prefix",
	  { { NULL, "id: minimal", "id: abcdefghij-abcdefghij-abcdefghij" },
	    ADD(CONTENT("kxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			"xxxxxxx")) },
	  1 },
	{ "prefix-reserved", { { NULL, "id: minimal", "id: a--b" } }, 1 },
};

START_TEST(test_clash)
{
	const struct clash_case *c = &clash_cases[_i];
	const struct standard *s = build(UNIT_MINIMAL, c->edits);
	const struct cnames *names = cname_build(arena, diag, s, NULL, true);
	size_t got = diag_rule_count(diag, RULE_C_IDENTIFIER);
	ck_assert_msg(unit_explain(diag, c->reports, got) == c->reports,
		      "%s: %zu reports, want %zu", c->what, got, c->reports);
	ck_assert_msg((names != NULL) == (c->reports == 0), "%s: names %s",
		      c->what, names ? "made" : "refused");
}
END_TEST

/* ---- the length of the texts the header holds
 * -------------------------------- */

/* The reports of the last run, as printed. */
static char *
printed(struct diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	diag_flush(d, f, false);
	fclose(f);
	char *copy = arena_strndup(arena, buf, len);
	free(buf);
	return copy;
}

/* Whether t is the title of a basic section without a key, at any depth
 * below sec: the header holds only keyed sections. */
static bool
unkeyed_title(const struct text *t, const struct section *sec, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((t == &sec[i].title && !sec[i].key.s) ||
		    unkeyed_title(t, sec[i].sections, sec[i].n_sections))
			return true;
	return false;
}

static const char *const length_sources[] = { UNIT_MINIMAL, UNIT_FIVE,
					      UNIT_BUNDLED };

START_TEST(test_lengths)
{
	/* Each text in turn made 4096 bytes long: one c-string-length report
	 * at it if the header holds it (its field is flagged FIELD_C, and it
	 * is not the title of an unkeyed section), none otherwise; 4095
	 * bytes fit. */
	struct standard *s = build(length_sources[_i], NULL);
	static struct unit_texts all;
	all.n = 0;
	model_walk(model_standard_shape, s, unit_gather_texts, &all);
	char *long_text = arena_alloc(arena, 4097);
	memset(long_text, 'x', 4096);
	size_t held = 0;
	for (size_t i = 0; i < all.n; i++) {
		struct text saved = *all.t[i];
		for (size_t len = 4095; len <= 4096; len++) {
			struct diag *d = diag_new(arena);
			all.t[i]->s = long_text + 4096 - len;
			all.t[i]->len = len;
			cname_build(arena, d, s, "T", true); /* not the id */
			const struct basic_requirements *br =
				&s->basic_requirements;
			size_t want = all.c[i] && len == 4096 &&
				      !unkeyed_title(all.t[i], br->sections,
						     br->n_sections);
			size_t got = diag_rule_count(d, RULE_C_STRING_LENGTH);
			ck_assert_msg(
				got == want,
				"%s:%u:%u: %zu reports for %zu bytes, want %zu",
				s->file, model_loc(s, saved.at).line,
				model_loc(s, saved.at).col, got, len, want);
			if (!want)
				continue;
			char at[64];
			snprintf(at, sizeof at, ":%u:%u: error: a text of 4096",
				 model_loc(s, saved.at).line,
				 model_loc(s, saved.at).col);
			ck_assert_ptr_nonnull(strstr(printed(d), at));
		}
		*all.t[i] = saved;
		held += all.c[i];
	}
	ck_assert_uint_gt(held, 0);
	ck_assert_uint_lt(held, all.n);
}
END_TEST

static Suite *
cname_suite(void)
{
	Suite *s = suite_create("cname");
	TCase *tc = tcase_create("prefix");
	tcase_add_loop_test(tc, test_prefix, 0,
			    sizeof prefix_cases / sizeof *prefix_cases);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_derived_prefix);
	tcase_add_loop_test(tc, test_clash, 0,
			    sizeof clash_cases / sizeof *clash_cases);
	suite_add_tcase(s, tc);

	tc = tcase_create("lengths");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_lengths, 0,
			    sizeof length_sources / sizeof *length_sources);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cname_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
