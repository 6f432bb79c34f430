/*
 * test_emit.c - the three emitters on models built in-process, holding
 * texts the loader would refuse where that is the point. The C header:
 * only texts of fields flagged FIELD_C, each string literal escaped, the
 * shared enumerations made of the model's tables of names, branches,
 * capability keys and "—" cells. JSON: escapes, absent mappings as null,
 * "—" cells, resolved defaults, each level's includes along its chain and
 * every table of its levels. Markdown: emoji shortcodes made inert, the
 * words of the layout (the built-in schema/document-words.yaml) at their
 * places, and the national layout as printed (national.yaml): absent
 * chapters and clauses not printed, no made-up heading, number or caption,
 * "—" as "—". No emitter writes "(null)" for an absent text.
 */
#include "skillc.h"

#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "document_words.h"
#include "unit.h"

#define UNIT_NATIONAL	"data/national.yaml"
#define UNIT_NATIONAL_2 "../standard/electrical-equipment-maintainer.yaml"
#define UNIT_REORDERED	"data/json-tables-out-of-order.yaml"

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

/* Render s with an emitter and the optional parts; the output,
 * NUL-terminated. */
static const char *
render_parts(void (*emit)(const struct unit *, struct strbuf *),
	     const struct standard *s, const struct cnames *names,
	     unsigned parts)
{
	struct unit u = {
		.path = "x.yaml", .std = s, .names = names, .parts = parts
	};
	strbuf_reset(&out);
	emit(&u, &out);
	strbuf_addc(&out, '\0');
	return out.buf;
}

/* Render s with an emitter, every optional part in (build --with). */
static const char *
render(void (*emit)(const struct unit *, struct strbuf *),
       const struct standard *s, const struct cnames *names)
{
	return render_parts(emit, s, names, PART_NOTICE | PART_CUMULATIVE);
}

/* The parts of s's Word document, unzipped and joined in their order. */
static void
docx_parts(const struct standard *s, struct strbuf *xml)
{
	render(emit_docx, s, NULL);
	unit_unzip(out.buf, out.len - 1, NULL, xml);
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

static const char *const sources[] = { UNIT_MINIMAL, UNIT_FIVE, UNIT_BUNDLED,
				       UNIT_NATIONAL, UNIT_NATIONAL_2 };

/* Whether t is the title of a section without a key, at any depth below
 * sec (basic requirements, training): the header holds only keyed
 * sections. */
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
	/* Each text replaced by a marker that says whether its field is
	 * flagged FIELD_C: "@C12@" or "@N13@". */
	static struct unit_texts m;
	m.n = 0;
	model_walk(model_standard_shape, s, unit_gather_texts, &m);
	for (size_t i = 0; i < m.n; i++) {
		char buf[32];
		snprintf(buf, sizeof buf, "@%c%zu@", m.c[i] ? 'C' : 'N', i);
		set_text(m.t[i], arena_strndup(arena, buf, strlen(buf)));
	}
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
		const struct section *tr = &s->occupation.training;
		if (unkeyed_title(m.t[i], br->sections, br->n_sections) ||
		    (tr->at.given && unkeyed_title(m.t[i], tr, 1))) {
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
		{ "enum skillc_diploma {", "SKILLC_DIPLOMA_", diploma_names },
		{ "enum skillc_title {", "SKILLC_TITLE_", prof_title_names },
		{ "enum skillc_counted {", "SKILLC_COUNTED_", counted_names },
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

START_TEST(test_c_national)
{
	/* Contents of a branch's table named with the branch; per column its
	 * branch and its dashes (a "—" weighs 0 and is flagged); a table
	 * without number or caption has null pointers and its heading; each
	 * capability its key and branch; routes with every field. */
	const struct standard *s = build(UNIT_NATIONAL);
	const char *h = render(emit_c, s, names_of(s));
	ck_assert_has(h, "\tT_L3_PUMPS_START = 3,\n\tT_L3_VALVES_START = 4,\n");
	ck_assert_has(h, "static const unsigned char dashes0_2[] = "
			 "{ 0, 0, 1, 0, 1, 0 };\n");
	ck_assert_has(h, "static const int table0_branches[] = {\n"
			 "\t\t-1, -1, 0, 1\n\t};\n");
	ck_assert_has(h,
		      "#define T_WEIGHTS_0_2(W) W(5) W(10) W(0) W(85) W(0)\n");
	ck_assert_has(h, "/* Weight table 1 (skills), column 3: level l3, "
			 "branch valves. */\n");
	ck_assert_has(h, "\t\t{ \"4.1\", \"\\347\\220\\206");
	ck_assert_has(h, "\\250\", 0, 0,\n\t\t  SKILLC_THEORY, 4, 5, ");
	ck_assert_has(h, "\t\t{ \"pumps\", \"\\346\\263\\265");
	ck_assert_has(h, "\t\t2, branches,\n");
	ck_assert_has(h, "{ \"repair\", \"1\", ");
	ck_assert_has(h, ", T_LEVEL_L3, 1, 4, 1 },\n");
	ck_assert_has(h, ", -1, \"repair\", 0 },\n");
	/* 四级 (1): certificate l5, counted after it as the model says. */
	ck_assert_has(h, "\t\t  0, 48, SKILLC_COUNTED_AFTER_CERTIFICATE, "
			 "SKILLC_EITHER, SKILLC_EDU_NONE, SKILLC_DIPLOMA_NONE, "
			 "0, -1, SKILLC_TITLE_NONE },\n");
	ck_assert_has(h, "SKILLC_DIPLOMA_NONE, 1, -1, SKILLC_TITLE_NONE },\n");
	ck_assert_has(h,
		      "\t\t  -1, 120, SKILLC_COUNTED_TOTAL, SKILLC_OCCUPATION, "
		      "SKILLC_EDU_NONE, SKILLC_DIPLOMA_NONE, 0, 16, ");
}
END_TEST

START_TEST(test_c_views)
{
	/* A level's view holds the contents of every table of its chain,
	 * shared and of each branch: l3's, five of them. */
	const struct standard *s = build(UNIT_NATIONAL);
	const char *h = render(emit_c, s, names_of(s));
	ck_assert_has(h, "static const int view2_contents[] = {\n"
			 "\t\t0, 1, 2, 3, 4\n\t};\n");
	ck_assert_has(h, "\t\t{ 5, 5, 5, view2_contents, ");
}
END_TEST

/* No emitter prints a null pointer: "(null)" is what printf makes of
 * one. */
static void (*const emitters[])(const struct unit *, struct strbuf *) = {
	emit_c,
	emit_json,
	emit_md,
};

START_TEST(test_no_null)
{
	const struct standard *s = build(sources[_i % 5]);
	const char *text = render(emitters[_i / 5], s, names_of(s));
	ck_assert_ptr_null(strstr(text, "(null)"));
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
	snprintf(want, sizeof want, "\"name\": %s,\n    \"name_clause\": null,",
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

START_TEST(test_json_national)
{
	/* Absent chapters null, new fields present, "—" cells as "—", an
	 * absent experience_counted as the model resolved it. */
	const struct standard *s = build(UNIT_NATIONAL);
	const char *j = render(emit_json, s, NULL);
	ck_assert_has(j, "\n  \"profile\": \"national\",\n");
	ck_assert_has(j, "\n  \"scope\": null,\n  \"normative_references\": "
			 "null,\n  \"terms\": null,\n");
	ck_assert_has(j, "\"edition\": \"2030年版\",");
	ck_assert_has(j, "\"ics\": null,");
	ck_assert_has(j, "\"weights\": [\n                  70,\n"
			 "                  40,\n                  \"—\",\n"
			 "                  \"—\"\n                ]");
	/* 四级 (1) names a certificate and says nothing of how it counts. */
	ck_assert_has(j, "\"certificate\": \"l5\",\n          "
			 "\"experience_months\": 48,\n          "
			 "\"experience_counted\": \"after-certificate\",");
	ck_assert_has(j, "\"experience_months\": 12,\n          "
			 "\"experience_counted\": \"total\",");
	ck_assert_has(j, "\"general\": null,");
	ck_assert_has(j, "\"sections\": [],\n    \"tables\": [");
}
END_TEST

/* The JSON of the standard at rel, from its "effective" on. */
static const char *
effective(const char *rel)
{
	const char *j = render(emit_json, build(rel), NULL);
	const char *e = strstr(j, "\n  \"effective\": [");
	ck_assert_ptr_nonnull(e);
	return e;
}

START_TEST(test_json_effective_branches)
{
	/* l3's effective tables: its chain's, then both of its branch
	 * tables (2: pumps, 3: valves). */
	const char *e = effective(UNIT_NATIONAL);
	ck_assert_has(e, "\"level\": \"l3\",\n      \"includes\": [\n"
			 "        \"l5\",\n        \"l4\"\n      ],\n"
			 "      \"tables\": [\n        0,\n        1,\n"
			 "        2,\n        3\n      ]\n    }\n  ]\n}\n");
}
END_TEST

START_TEST(test_json_effective_source_order)
{
	/* The tables in the source: 0 l3 valves, 1 l5, 2 l3 pumps, 3 l4.
	 * Each level's effective tables go by its chain, lowest level first,
	 * each level's in source order, not by their indices. */
	const char *e = effective(UNIT_REORDERED);
	ck_assert_has(e, "\"level\": \"l4\",\n      \"includes\": [\n"
			 "        \"l5\"\n      ],\n      \"tables\": [\n"
			 "        1,\n        3\n      ]");
	ck_assert_has(e, "\"tables\": [\n        1,\n        3,\n        0,\n"
			 "        2\n      ]\n    }\n  ]\n}\n");
}
END_TEST

START_TEST(test_json_effective)
{
	/* A level's includes, lowest first, and the indices of its chain's
	 * tables: the lowest level's first; the lowest level includes none
	 * and has its own table only. */
	const char *e = effective(UNIT_FIVE);
	ck_assert_has(e, "\"level\": \"l5\",\n      \"includes\": [],\n"
			 "      \"tables\": [\n        0\n      ]");
	ck_assert_has(e, "\"level\": \"l1\",\n      \"includes\": [\n"
			 "        \"l5\",\n        \"l4\",\n        \"l3\",\n"
			 "        \"l2\"\n      ],\n      \"tables\": [\n"
			 "        0,\n        1,\n        2,\n        3,\n"
			 "        4\n      ]");
}
END_TEST

/* ---- Markdown
 * ---------------------------------------------------------------- */

/* A ':' that would open an emoji shortcode or end a URL's scheme (an
 * autolink) gets a backslash, and so does one starting a line (a
 * definition or a fenced div in pandoc). */
static const struct escape_case md_colons[] = {
	{ ":smile:", "\\:smile:" },
	{ "a :+1: b", "a \\:+1: b" },
	{ ":a_b-c:", "\\:a\\_b-c:" },
	{ "x:y:z", "x\\:y:z" },
	{ "a:b", "a:b" },
	{ "1:15", "1:15" },
	{ "a ::", "a ::" },
	{ "a :a b:", "a :a b:" },
	{ "a :a", "a :a" },
	{ "https://x", "https\\://x" },
	{ "a:/b", "a:/b" },
	{ ":a", "\\:a" },
	{ "::", "\\::" },
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

/* What pandoc's own Markdown (its default reader) makes markup of gets
 * a backslash: smart quotes, dashes and ellipses, an abbreviation's '.'
 * (which binds the next word with a no-break space), superscripts,
 * citations, attributes, GFM's "www." autolinks; at a line start fancy
 * list numbers and table captions. A run of spaces, which pandoc reads
 * as one, is character references. */
static const struct escape_case md_pandoc[] = {
	{ "\"a\" 'b'", "\\\"a\\\" \\'b\\'" },
	{ "a-b--c", "a-b-\\-c" },
	{ "x a...b", "x a.\\.\\.b" },
	{ "x 1.1.1 y", "x 1.1.1 y" },
	{ "x Co. y e.g. z No.", "x Co\\. y e.g\\. z No\\." },
	{ "^a^ @b {c}", "\\^a\\^ \\@b \\{c}" },
	{ "x www.y", "x www\\.y" },
	{ "B. x", "B\\. x" },
	{ "iv) x", "iv\\) x" },
	{ "(a) x", "\\(a) x" },
	{ "(ab) x", "(ab) x" },
	{ "ab) x", "ab) x" },
	{ "Table: x", "Table\\: x" },
	{ "a  b c", "a&#32;&#32;b c" },
};

START_TEST(test_md_pandoc)
{
	const struct escape_case *c = &md_pandoc[_i];
	struct standard *s = build(UNIT_MINIMAL);
	struct text *t = arena_alloc(arena, sizeof *t);
	set_text(t, c->text);
	s->meta.foreword = t;
	s->meta.n_foreword = 1;
	char want[96];
	snprintf(want, sizeof want, "## %s\n\n%s\n\n", doc_words[WORD_FOREWORD],
		 c->literal);
	ck_assert_has(render(emit_md, s, NULL), want);
}
END_TEST

/* The metadata block pandoc reads, first in the document: the title as
 * pagetitle, escaped as Markdown at a block start, then quoted for YAML
 * (a '\'' doubled, U+FFFE and U+FFFF as references); none when empty. */
static const struct escape_case md_metadata[] = {
	{ "T", "pagetitle: 'T'\n" },
	{ "a'b", "pagetitle: 'a\\''b'\n" },
	{ "- a: #b", "pagetitle: '\\- a: \\#b'\n" },
	{ "a\nb", "pagetitle: 'a<br>&#10;b'\n" },
	{ "a\xef\xbf\xbe\xef\xbf\xbf\xef\xbf\xbd",
	  "pagetitle: 'a&#xFFFE;&#xFFFF;\xef\xbf\xbd'\n" },
	{ "", "" },
};

START_TEST(test_md_metadata)
{
	const struct escape_case *c = &md_metadata[_i];
	struct standard *s = build(UNIT_MINIMAL);
	set_text(&s->meta.title.zh, c->text);
	struct strbuf want = { 0 };
	strbuf_addf(&want, "---\n%slang: '%s'\n---\n\n# ", c->literal,
		    doc_words[WORD_LANGUAGE]);
	const char *md = render(emit_md, s, NULL);
	ck_assert_msg(!strncmp(md, want.buf, want.len),
		      "the output starts '%.60s'", md);
	strbuf_free(&want);
}
END_TEST

START_TEST(test_md_rows)
{
	/* A work content takes a row per item of its longer list, each
	 * item a cell of its own, the capability and the content (in the
	 * appendix the level) only on its first row; no <br> anywhere. */
	struct standard *s = build(UNIT_FIVE);
	struct content *ct =
		&s->work_requirements.tables[0].capabilities[0].contents[0];
	ck_assert_uint_eq(ct->n_knowledge, 3);
	ct->n_skills = 1;
	set_text(&ct->skills[0].text, "S");
	set_text(&ct->knowledge[0].text, "K1");
	set_text(&ct->knowledge[1].text, "K2");
	set_text(&ct->knowledge[2].text, "K3");
	const char *md = render(emit_md, s, NULL);
	ck_assert_has(md, " | 1.1 车辆检查 | 1.1.1 S | 1.1.1 K1 |\n"
			  "|  |  |  | 1.1.2 K2 |\n|  |  |  | 1.1.3 K3 |\n"
			  "|  | 1.2 ");
	ck_assert_has(md,
		      "| 五级/初级工 | 1.1 车辆检查 | 1.1.1 S | 1.1.1 K1 |\n"
		      "|  |  |  | 1.1.2 K2 |\n|  |  |  | 1.1.3 K3 |\n"
		      "| 五级/初级工 | 1.2 ");
	ck_assert_ptr_null(strstr(md, "<br>"));
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

START_TEST(test_md_parts)
{
	/* The notice and the appendix only when asked for, each alone. */
	const struct standard *s = build(UNIT_BUNDLED);
	const char *notice = s->notice.title.s;
	const char *appendix = doc_words[WORD_CUMULATIVE_TITLE];
	const char *md = render_parts(emit_md, s, NULL, 0);
	ck_assert_ptr_null(strstr(md, notice));
	ck_assert_ptr_null(strstr(md, appendix));
	md = render_parts(emit_md, s, NULL, PART_NOTICE);
	ck_assert_ptr_nonnull(strstr(md, notice));
	ck_assert_ptr_null(strstr(md, appendix));
	md = render_parts(emit_md, s, NULL, PART_CUMULATIVE);
	ck_assert_ptr_null(strstr(md, notice));
	ck_assert_ptr_nonnull(strstr(md, appendix));
}
END_TEST

START_TEST(test_md_words_used)
{
	/* Every word of the layout stands in the bundled standard's
	 * documents (Markdown or Word) with a cover of every line, or in
	 * national.yaml's (a word nobody prints is stale). */
	struct standard *s = build(UNIT_BUNDLED);
	set_text(&s->meta.number, "N");
	set_text(&s->meta.ics, "I");
	set_text(&s->meta.ccs, "C");
	struct strbuf both = { 0 };
	strbuf_adds(&both, render(emit_md, s, NULL));
	strbuf_adds(&both, render(emit_md, build(UNIT_NATIONAL), NULL));
	docx_parts(s, &both);
	docx_parts(build(UNIT_NATIONAL), &both);
	for (size_t i = 0; i < WORD_COUNT; i++)
		ck_assert_has(both.buf, doc_words[i]);
	strbuf_free(&both);
}
END_TEST

/* The national layout as printed, from national.yaml: each piece of the
 * document in its place, made of the source's texts and the layout's
 * words: before, word, middle, word, after (word -1: none). */
static const struct md_piece {
	const char *before;
	int word1;
	const char *middle;
	int word2;
	const char *after;
} md_national[] = {
	/* the edition under the title, the foreword under its own title */
	{ "# 水泵操作工\n\n", WORD_EDITION_OPEN, "2030年版", WORD_EDITION_CLOSE,
	  "\n\nPump operator\n\n" },
	{ "\n\n## 说明\n\n本标准依据编制技术规程编写。\n\n## 1 职业概况\n\n",
	  -1, "", -1, "" },
	/* 职业名称 is a clause whose body is the name; every clause of the
	 * occupation in order */
	{ "## 1 职业概况\n\n### 1.1 职业名称\n\n水泵操作工\n\n### 1.2 职业编码\n\n"
	  "6-99-01-02\n\n### 1.3 职业定义\n\n",
	  -1, "", -1, "" },
	{ "### 1.7 普通受教育程度\n\n初中毕业（或相当文化程度）。\n\n"
	  "### 1.8 职业培训要求\n\n#### 1.8.1 培训时间\n\n",
	  -1, "", -1, "" },
	/* one eligibility clause, then each level's line and routes */
	{ "### 1.9 职业技能评价要求\n\n#### 1.9.1 申报条件\n\n"
	  "——具备以下条件之一者，可申报五级/初级工：\n\n（1）累计从事",
	  -1, "", -1, "" },
	{ "本职业或相关职业学徒期满。\n\n——具备以下条件之一者，可申报四级/中级工：\n\n",
	  -1, "", -1, "" },
	/* the chapter's sentence; tables without number or caption */
	{ "## 3 工作要求\n\n本标准对五级/初级工、四级/中级工、三级/高级工的技能要求和"
	  "相关知识要求依次递进，高级别涵盖低级别的要求。\n\n### 3.1 五级/初级工\n\n"
	  "| 职业功能 |",
	  -1, "", -1, "" },
	{ "### 3.3 三级/高级工（泵房运行）\n\n| 职业功能 |", -1, "", -1, "" },
	/* weight tables under the chapter, "—" cells */
	{ "## 4 权重表\n\n### 4.1 理论知识权重表\n\n| 项目 |", -1, "", -1, "" },
	{ "| 相关知识要求 | 运行准备 | 70 | 40 | — | — |\n", -1, "", -1, "" },
	{ "|  | 阀门检修 | — | — | — | 100 |\n| 合计 |  | 100 | 100 | 100 | 100 |\n",
	  -1, "", -1, "" },
	/* every table of a level in its cumulative table, a branch's tagged */
	{ "| 四级/中级工 | 2.1 启停操作 | 2.1.1 能启停单台机组 | 2.1.1 启停操作规程 |\n"
	  "| 三级/高级工",
	  WORD_CUMULATIVE_BRANCH_OPEN, "泵房运行", WORD_CUMULATIVE_BRANCH_CLOSE,
	  " | 1.1 启停操作 |" },
};

START_TEST(test_md_national)
{
	const struct md_piece *p = &md_national[_i];
	struct strbuf want = { 0 };
	strbuf_adds(&want, p->before);
	strbuf_adds(&want, p->word1 < 0 ? "" : doc_words[p->word1]);
	strbuf_adds(&want, p->middle);
	strbuf_adds(&want, p->word2 < 0 ? "" : doc_words[p->word2]);
	strbuf_adds(&want, p->after);
	ck_assert_has(render(emit_md, build(UNIT_NATIONAL), NULL), want.buf);
	strbuf_free(&want);
}
END_TEST

START_TEST(test_md_national_absent)
{
	/* What national.yaml does not have is not printed: no scope, no
	 * caption line ("**"), no cover line for ICS. */
	const char *md = render(emit_md, build(UNIT_NATIONAL), NULL);
	ck_assert_ptr_null(strstr(md, "**"));
	ck_assert_ptr_null(strstr(md, doc_words[WORD_COVER_ICS_BEFORE]));
	ck_assert_ptr_null(strstr(md, doc_words[WORD_FOREWORD]));
	ck_assert_ptr_null(strstr(md, "\n## 范围"));
}
END_TEST

START_TEST(test_md_clause_without_head)
{
	/* A clause printed under no heading (the pass mark inside 评价方式)
	 * has none; a foreword titled "" has no heading either. */
	struct standard *s = build(UNIT_NATIONAL);
	struct pass_score *ps = &s->assessment.pass_score;
	ps->clause = ps->title = (struct text){ 0 };
	set_text(&ps->text, "成绩皆达60分（含）以上者为合格。");
	set_text(&s->meta.foreword_title, "");
	const char *md = render(emit_md, s, NULL);
	ck_assert_has(
		md,
		"#### 1.9.2 评价方式\n\n成绩皆达60分（含）以上者为合格。\n\n"
		"#### 1.9.4 ");
	ck_assert_has(md, "\n\n本标准依据编制技术规程编写。");
	ck_assert_ptr_null(strstr(md, "## 说明"));
	ck_assert_ptr_null(strstr(md, "合格判据"));
}
END_TEST

/* A paragraph, not a list item: a bare label with an escaped ')' after
 * it, so that no list is inferred (pandoc's fancy lists take "a)"); a '('
 * opening a label escaped; any other label as written, a space after it
 * only when it ends in ASCII. */
static const struct escape_case md_labels[] = {
	{ "a", "a\\) 文本\n\n" },     { "1", "1\\) 文本\n\n" },
	{ "（1）", "（1）文本\n\n" }, { "1.", "1\\. 文本\n\n" },
	{ "", "文本\n\n" },	      { "(a)", "\\(a) 文本\n\n" },
};

START_TEST(test_md_labels)
{
	const struct escape_case *c = &md_labels[_i];
	struct standard *s = build(UNIT_NATIONAL);
	struct route *r = &s->eligibility[0].routes[0];
	set_text(&r->label, c->text);
	set_text(&r->text, "文本");
	char want[64];
	snprintf(want, sizeof want, "五级/初级工：\n\n%s", c->literal);
	ck_assert_has(render(emit_md, s, NULL), want);
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
	tcase_add_test(tc, test_c_national);
	tcase_add_test(tc, test_c_views);
	tcase_add_loop_test(tc, test_no_null, 0, 15);
	tcase_add_loop_test(tc, test_c_escape, 0,
			    sizeof c_escapes / sizeof *c_escapes);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_json_escape, 0,
			    sizeof json_escapes / sizeof *json_escapes);
	tcase_add_test(tc, test_json_absent);
	tcase_add_test(tc, test_json_effective);
	tcase_add_test(tc, test_json_effective_source_order);
	tcase_add_test(tc, test_json_national);
	tcase_add_test(tc, test_json_effective_branches);
	suite_add_tcase(s, tc);

	tc = tcase_create("md");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_md_emoji, 0,
			    sizeof md_colons / sizeof *md_colons);
	tcase_add_loop_test(tc, test_md_pandoc, 0,
			    sizeof md_pandoc / sizeof *md_pandoc);
	tcase_add_loop_test(tc, test_md_metadata, 0,
			    sizeof md_metadata / sizeof *md_metadata);
	tcase_add_test(tc, test_md_rows);
	tcase_add_test(tc, test_md_cover);
	tcase_add_test(tc, test_md_cumulative);
	tcase_add_test(tc, test_md_words_used);
	tcase_add_test(tc, test_md_parts);
	tcase_add_loop_test(tc, test_md_national, 0,
			    sizeof md_national / sizeof *md_national);
	tcase_add_test(tc, test_md_national_absent);
	tcase_add_test(tc, test_md_clause_without_head);
	tcase_add_loop_test(tc, test_md_labels, 0,
			    sizeof md_labels / sizeof *md_labels);
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
