/*
 * test_emit.c - the three emitters on models built in-process, holding
 * texts the loader would refuse where that is the point. The C header:
 * only texts of fields flagged FIELD_C, each string literal escaped, the
 * shared enumerations made of the model's tables of names. JSON: escapes,
 * absent mappings as null, each level's includes along its chain. Markdown:
 * emoji shortcodes made inert, and the words of the layout (the built-in
 * schema/document-words.yaml) at their places.
 */
#include "skillc.h"

#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "document_words.h"
#include "unit.h"

static struct arena *arena;
static struct diag *diag;
static struct strbuf out;

static void
setup(void)
{
	arena = arena_new();
	diag = diag_new(arena);
	out = (struct strbuf){ 0 };
}

static void
teardown(void)
{
	strbuf_free(&out);
	arena_free(arena);
	arena = NULL;
}

static struct standard *
build(const char *rel)
{
	struct standard *s = unit_build(arena, diag, rel, NULL, NULL);
	if (!s)
		diag_flush(diag, stderr, false);
	ck_assert_msg(s != NULL, "%s does not build", rel);
	return s;
}

/* Render s with an emitter; the output, NUL-terminated. */
static const char *
render(void (*emit)(const struct unit *, struct strbuf *),
       const struct standard *s, const struct cnames *names)
{
	struct unit u = { .path = "x.yaml", .std = s, .names = names };
	strbuf_reset(&out);
	emit(&u, &out);
	strbuf_addc(&out, '\0');
	return out.buf;
}

static const struct cnames *
names_of(const struct standard *s)
{
	const struct cnames *names = cname_build(arena, diag, s, "T", true);
	ck_assert_ptr_nonnull(names);
	return names;
}

/* Set t to the bytes of s (NUL-terminated), keeping where it was read. */
static void
set_text(struct text *t, const char *s)
{
	t->s = s;
	t->len = strlen(s);
}

#define ck_assert_has(hay, needle)                                             \
	ck_assert_msg(strstr(hay, needle) != NULL, "no '%s' in the output",    \
		      needle)

/* ---- C ---------------------------------------------------------------------
 */

static const char *const sources[] = { UNIT_MINIMAL, UNIT_FIVE, UNIT_BUNDLED };

/* Each text of a model replaced by a marker that says whether its field
 * is flagged FIELD_C: "@C12@" or "@N13@". */
struct markers {
	struct text *t[4096];
	bool c[4096];
	size_t n;
};

static bool
mark(void *ctx, const struct walk_step *st)
{
	struct markers *m = ctx;
	enum field_type type = st->field->type;
	if (st->event != WALK_VALUE || (type != F_TEXT && type != F_KEY &&
					type != F_TEXTS && type != F_KEYS))
		return true;
	struct text *t = (struct text *)st->value;
	if (!t->s)
		return true;
	ck_assert_uint_lt(m->n, 4096);
	m->c[m->n] = st->field->flags & FIELD_C;
	char buf[32];
	snprintf(buf, sizeof buf, "@%c%zu@", m->c[m->n] ? 'C' : 'N', m->n);
	set_text(t, arena_strndup(arena, buf, strlen(buf)));
	m->t[m->n++] = t;
	return true;
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

START_TEST(test_c_flags)
{
	/* The header holds every text of a field flagged FIELD_C but the
	 * titles of unkeyed sections (FIELD_C_KEY), and no other: cname
	 * checks the length of exactly what emit_c writes. */
	struct standard *s = build(sources[_i]);
	const struct cnames *names = names_of(s);
	static struct markers m;
	m.n = 0;
	model_walk(model_standard_shape, s, mark, &m);
	const char *h = render(emit_c, s, names);
	ck_assert_ptr_null(strstr(h, "@N"));
	size_t held = 0;
	for (size_t i = 0; i < m.n; i++) {
		if (!m.c[i])
			continue;
		char buf[32];
		snprintf(buf, sizeof buf, "\"%.*s\"", (int)m.t[i]->len,
			 m.t[i]->s);
		const struct basic_requirements *br = &s->basic_requirements;
		if (unkeyed_title(m.t[i], br->sections, br->n_sections)) {
			ck_assert_ptr_null(strstr(h, buf));
			continue;
		}
		ck_assert_has(h, buf);
		held++;
	}
	ck_assert_uint_gt(held, 0);
}
END_TEST

/* NAME, upper-cased, '-' as '_'. */
static void
upper(char *buf, size_t size, const char *prefix, const char *name)
{
	int n = snprintf(buf, size, "%s%s", prefix, name);
	ck_assert_int_lt(n, (int)size);
	for (char *p = buf; *p; p++)
		*p = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
}

START_TEST(test_c_shared_enums)
{
	/* Each enumeration of the shared types lists the model's names in
	 * order, and nothing else. */
	static const struct {
		const char *tag, *prefix;
		const char *const *names;
	} enums[] = {
		{ "enum skillc_kind {", "SKILLC_", weight_kind_names },
		{ "enum skillc_field {", "SKILLC_", experience_field_names },
		{ "enum skillc_education {", "SKILLC_EDU_", education_names },
	};
	const struct standard *s = build(UNIT_MINIMAL);
	const char *h = render(emit_c, s, names_of(s));
	for (size_t e = 0; e < sizeof enums / sizeof *enums; e++) {
		const char *start = strstr(h, enums[e].tag), *at = start;
		ck_assert_ptr_nonnull(start);
		const char *end = strstr(start, "};");
		size_t i = 0;
		for (; enums[e].names[i]; i++) {
			char want[64], value[96];
			upper(want, sizeof want, enums[e].prefix,
			      enums[e].names[i]);
			snprintf(value, sizeof value, "%s = %zu", want, i);
			at = strstr(at, value);
			ck_assert_msg(at && at < end, "no %s in %s", value,
				      enums[e].tag);
		}
		ck_assert_uint_gt(i, 1);
		char extra[32]; /* no enumerator numbered i */
		snprintf(extra, sizeof extra, " = %zu", i);
		const char *x = strstr(start, extra);
		ck_assert(!x || x > end);
	}
	ck_assert_has(h, "\tSKILLC_EDU_JUNIOR_SECONDARY = 1,\n");
	ck_assert_has(
		h,
		"enum skillc_kind { SKILLC_THEORY = 0, SKILLC_SKILLS = 1 };\n");
}
END_TEST

/* How a text is written in a C string literal. */
static const struct escape_case {
	const char *text, *literal;
} c_escapes[] = {
	{ "plain", "\"plain\"" },
	{ "a\"b", "\"a\\\"b\"" },
	{ "a\\b", "\"a\\\\b\"" },
	{ "?\?=", "\"\\?\\?=\"" },  /* no trigraph */
	{ "a*/b", "\"a\\052/b\"" }, /* no end of a comment */
	{ "*", "\"*\"" },
	{ "a\nb", "\"a\\nb\"" },
	{ "\x01\x1f\x7f", "\"\\001\\037\\177\"" },
	{ "\xc3\xa9", "\"\\303\\251\"" }, /* é: ASCII only */
	{ "a\\\nb", "\"a\\\\\\nb\"" },	  /* no line splice */
};

START_TEST(test_c_escape)
{
	const struct escape_case *c = &c_escapes[_i];
	struct standard *s = build(UNIT_MINIMAL);
	const struct cnames *names = names_of(s);
	set_text(&s->occupation.name, c->text);
	char want[64];
	snprintf(want, sizeof want, "\t\t%s,\n\t\t1, levels", c->literal);
	ck_assert_has(render(emit_c, s, names), want);
}
END_TEST

/* ---- JSON ------------------------------------------------------------------
 */

/* Controls are escaped, so the output is JSON whatever the model holds;
 * U+2028 and U+2029 need not be (the loader refuses them). */
static const struct escape_case json_escapes[] = {
	{ "plain", "\"plain\"" },
	{ "a\"b", "\"a\\\"b\"" },
	{ "a\\b", "\"a\\\\b\"" },
	{ "a\nb", "\"a\\nb\"" },
	{ "\t", "\"\\u0009\"" },
	{ "\x01\x1f", "\"\\u0001\\u001f\"" },
	{ "\x7f", "\"\\u007f\"" },
	{ "\xe2\x80\xa8\xe2\x80\xa9", "\"\xe2\x80\xa8\xe2\x80\xa9\"" },
	{ "\xc3\xa9/", "\"\xc3\xa9/\"" },
};

START_TEST(test_json_escape)
{
	const struct escape_case *c = &json_escapes[_i];
	struct standard *s = build(UNIT_MINIMAL);
	set_text(&s->occupation.name, c->text);
	char want[64];
	snprintf(want, sizeof want, "\"name\": %s,\n    \"levels\": {",
		 c->literal);
	ck_assert_has(render(emit_json, s, NULL), want);
}
END_TEST

START_TEST(test_json_absent)
{
	/* An absent optional mapping is null; an absent text too. */
	struct standard *s = build(UNIT_MINIMAL);
	const char *j = render(emit_json, s, NULL);
	ck_assert_has(j, "\n  \"notice\": null,\n");
	ck_assert_has(j, "\n  \"text_rules\": null,\n");
	ck_assert_has(j, "\"experience_field\": \"occupation\"");
	ck_assert_has(j, "\"certificate\": null,");
}
END_TEST

START_TEST(test_json_effective)
{
	/* A level's includes, lowest first, and its contents along its
	 * chain: the lowest level's first. */
	const struct standard *s = build(UNIT_FIVE);
	const char *j = render(emit_json, s, NULL);
	const char *e = strstr(j, "\n  \"effective\": [");
	ck_assert_ptr_nonnull(e);
	ck_assert_has(e, "\"level\": \"l5\",\n      \"includes\": [],");
	ck_assert_has(e, "\"level\": \"l1\",\n      \"includes\": [\n"
			 "        \"l5\",\n        \"l4\",\n        \"l3\",\n"
			 "        \"l2\"\n      ],\n      \"contents\": [\n"
			 "        {\n          \"level\": \"l5\",\n"
			 "          \"key\": \"inspection\",");
}
END_TEST

/* ---- Markdown
 * ---------------------------------------------------------------- */

/* A ':' that would open an emoji shortcode gets a backslash. */
static const struct escape_case md_colons[] = {
	{ ":smile:", "\\:smile:" },
	{ "a :+1: b", "a \\:+1: b" },
	{ ":a_b-c:", "\\:a\\_b-c:" },
	{ "x:y:z", "x\\:y:z" },
	{ "a:b", "a:b" },
	{ "1:15", "1:15" },
	{ "::", "::" },
	{ ":a b:", ":a b:" },
	{ ":a", ":a" },
};

START_TEST(test_md_emoji)
{
	const struct escape_case *c = &md_colons[_i];
	struct standard *s = build(UNIT_MINIMAL);
	struct text *t = arena_alloc(arena, sizeof *t);
	set_text(t, c->text);
	s->meta.foreword = t;
	s->meta.n_foreword = 1;
	char want[64];
	snprintf(want, sizeof want, "## %s\n\n%s\n\n", doc_words[WORD_FOREWORD],
		 c->literal);
	ck_assert_has(render(emit_md, s, NULL), want);
}
END_TEST

START_TEST(test_md_cover)
{
	/* Each line of the cover with the words of the layout around it. */
	struct standard *s = build(UNIT_MINIMAL);
	struct meta *m = &s->meta;
	set_text(&m->status_text, "T");
	set_text(&m->kind, "K");
	set_text(&m->number, "N");
	set_text(&m->ics, "I");
	set_text(&m->ccs, "C");
	set_text(&m->published, "P");
	set_text(&m->effective, "E");
	set_text(&m->issuer, "S");
	struct strbuf want = { 0 };
	strbuf_addf(
		&want,
		"\n\n%sT%s\n\nK\\\n%sN\\\n%sI\\\n%sC\\\nP%s\\\nE%s\\\nS%s\n\n",
		doc_words[WORD_STATUS_OPEN], doc_words[WORD_STATUS_CLOSE],
		doc_words[WORD_COVER_NUMBER_BEFORE],
		doc_words[WORD_COVER_ICS_BEFORE],
		doc_words[WORD_COVER_CCS_BEFORE],
		doc_words[WORD_COVER_PUBLISHED_AFTER],
		doc_words[WORD_COVER_EFFECTIVE_AFTER],
		doc_words[WORD_COVER_ISSUER_AFTER]);
	ck_assert_has(render(emit_md, s, NULL), want.buf);
	strbuf_free(&want);
}
END_TEST

START_TEST(test_md_cumulative)
{
	/* The appendix: its heading and paragraph, then per level the level
	 * column's head and each content of its chain, lowest first. */
	const struct standard *s = build(UNIT_FIVE);
	const char *md = render(emit_md, s, NULL);
	char want[1024];
	snprintf(want, sizeof want, "\n## %s\n\n%s\n\n### ",
		 doc_words[WORD_CUMULATIVE_TITLE],
		 doc_words[WORD_CUMULATIVE_INTRO]);
	const char *a = strstr(md, want);
	ck_assert_ptr_nonnull(a);
	snprintf(want, sizeof want, "| %s | ",
		 doc_words[WORD_CUMULATIVE_LEVEL]);
	ck_assert_has(a, want);
	/* l1's table starts with a content of l5, and ends with its own. */
	const char *l1 = strstr(a, "### 一级/高级技师\n\n");
	ck_assert_ptr_nonnull(l1);
	ck_assert_has(l1, "| --- |\n| 五级/初级工 | 1.1 车辆检查 |");
}
END_TEST

START_TEST(test_md_words_used)
{
	/* Every word of the layout stands in the bundled standard's document
	 * or in a cover with every line (a word nobody prints is stale). */
	struct standard *s = build(UNIT_BUNDLED);
	set_text(&s->meta.number, "N");
	set_text(&s->meta.ics, "I");
	set_text(&s->meta.ccs, "C");
	const char *md = render(emit_md, s, NULL);
	for (size_t i = 0; i < WORD_COUNT; i++)
		ck_assert_has(md, doc_words[i]);
}
END_TEST

static Suite *
emit_suite(void)
{
	Suite *s = suite_create("emit");
	TCase *tc = tcase_create("c");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_c_flags, 0,
			    sizeof sources / sizeof *sources);
	tcase_add_test(tc, test_c_shared_enums);
	tcase_add_loop_test(tc, test_c_escape, 0,
			    sizeof c_escapes / sizeof *c_escapes);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_json_escape, 0,
			    sizeof json_escapes / sizeof *json_escapes);
	tcase_add_test(tc, test_json_absent);
	tcase_add_test(tc, test_json_effective);
	suite_add_tcase(s, tc);

	tc = tcase_create("md");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_md_emoji, 0,
			    sizeof md_colons / sizeof *md_colons);
	tcase_add_test(tc, test_md_cover);
	tcase_add_test(tc, test_md_cumulative);
	tcase_add_test(tc, test_md_words_used);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(emit_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
