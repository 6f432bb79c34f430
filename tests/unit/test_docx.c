/*
 * test_docx.c - the Word document emitter, in-process: the package's
 * fixed form (member order, dates, compression), the escaping of texts,
 * the merged cells and "—" cells counted against the model, the table of
 * contents field, the runs' white space, and the optional parts.
 * tests/docx/ reads the documents back with python-docx and LibreOffice;
 * this suite looks at the bytes.
 */
#include "skillc.h"

#include <check.h>
#include <string.h>

#include "document_words.h"
#include "unit.h"

#define UNIT_NATIONAL "../standard/electrical-equipment-maintainer.yaml"

static struct arena *arena;
static struct diag *diag;
static struct strbuf out, xml;

static void
setup(void)
{
	arena = arena_new();
	diag = diag_new(arena);
	out = xml = (struct strbuf){ 0 };
}

static void
teardown(void)
{
	strbuf_free(&out);
	strbuf_free(&xml);
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

/* Render s with the optional parts into out; member (NULL: all of them)
 * unzipped into xml, NUL-terminated. */
static const char *
render(const struct standard *s, unsigned parts, const char *member)
{
	struct unit u = { .path = "x.yaml", .std = s, .parts = parts };
	strbuf_reset(&out);
	strbuf_reset(&xml);
	emit_docx(&u, &out);
	unit_unzip(out.buf, out.len, member, &xml);
	strbuf_addc(&xml, '\0');
	return xml.buf;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

START_TEST(test_package)
{
	/* Every member in the fixed order, deflated, dated 1980-01-01 00:00
	 * (DOS time 0, date 0x21) in its local header and in the central
	 * directory: nothing of the clock or the zone. */
	static const char *const names[] = {
		"[Content_Types].xml",
		"_rels/.rels",
		"docProps/core.xml",
		"word/document.xml",
		"word/_rels/document.xml.rels",
		"word/styles.xml",
		"word/settings.xml",
		"word/header1.xml",
		"word/footer1.xml",
		"word/footer2.xml",
	};
	size_t n_names = sizeof names / sizeof *names;
	render(build(UNIT_BUNDLED), 0, NULL);
	const unsigned char *z = (const unsigned char *)out.buf;
	size_t local = 0, central = 0;
	for (size_t i = 0; i + 46 <= out.len; i++) {
		if (!memcmp(z + i, "PK\3\4", 4)) {
			ck_assert_uint_lt(local, n_names);
			ck_assert_uint_eq(le16(z + i + 8), 8); /* deflate */
			ck_assert_uint_eq(le16(z + i + 10), 0);
			ck_assert_uint_eq(le16(z + i + 12), 0x21);
			size_t len = le16(z + i + 26);
			ck_assert_uint_eq(len, strlen(names[local]));
			ck_assert(!memcmp(z + i + 30, names[local], len));
			local++;
		} else if (!memcmp(z + i, "PK\1\2", 4)) {
			ck_assert_uint_eq(le16(z + i + 12), 0);
			ck_assert_uint_eq(le16(z + i + 14), 0x21);
			ck_assert_uint_eq(le16(z + i + 30), 0); /* no extra */
			central++;
		}
	}
	ck_assert_uint_eq(local, n_names);
	ck_assert_uint_eq(central, n_names);
}
END_TEST

START_TEST(test_same_bytes)
{
	struct standard *s = build(UNIT_NATIONAL);
	render(s, PART_NOTICE | PART_CUMULATIVE, NULL);
	struct strbuf first = { 0 };
	strbuf_add(&first, out.buf, out.len);
	render(s, PART_NOTICE | PART_CUMULATIVE, NULL);
	ck_assert_uint_eq(first.len, out.len);
	ck_assert(!memcmp(first.buf, out.buf, out.len));
	strbuf_free(&first);
}
END_TEST

START_TEST(test_escape)
{
	/* Markup characters are escaped, a line break is a break in the run,
	 * and U+FFFE/U+FFFF, which XML cannot hold, become U+FFFD. */
	struct standard *s = build(UNIT_BUNDLED);
	struct content *ct = s->contents[0];
	ct->name.s = "a<b>&\"c\"\nd\xef\xbf\xbe"
		     "e\xef\xbf\xbf";
	ct->name.len = strlen(ct->name.s);
	const char *doc = render(s, 0, "word/document.xml");
	ck_assert_ptr_nonnull(strstr(doc,
				     "a&lt;b&gt;&amp;&quot;c&quot;</w:t><w:br/>"
				     "<w:t xml:space=\"preserve\">d\xef\xbf\xbd"
				     "e\xef\xbf\xbd<"));
	ck_assert_ptr_null(strstr(doc, "\xef\xbf\xbe"));
	ck_assert_ptr_null(strstr(doc, "<b>"));
}
END_TEST

/* Whether doc holds a run whose w:t is exactly text, with
 * xml:space="preserve" or without. */
static bool
has_run(const char *doc, bool preserve, const char *text)
{
	struct strbuf want = { 0 };
	strbuf_addf(&want, "<w:r><w:t%s>%s</w:t></w:r>",
		    preserve ? " xml:space=\"preserve\"" : "", text);
	bool found = strstr(doc, want.buf) != NULL;
	strbuf_free(&want);
	return found;
}

START_TEST(test_space)
{
	/* A number and its text are one run. Its w:t keeps its white space
	 * (xml:space="preserve") where a reader could drop or collapse it:
	 * at either end, two together, a tab; single spaces between words
	 * need nothing. */
	struct standard *s = build(UNIT_BUNDLED);
	struct content *ct = s->contents[0];
	ck_assert_uint_ge(ct->n_skills, 3);
	ck_assert_uint_ge(ct->n_knowledge, 2);
	static const char *const texts[] = { "plain words", "tail ", " lead",
					     "two  spaces", "a\ttab" };
	struct item *it[] = { &ct->skills[0], &ct->skills[1], &ct->skills[2],
			      &ct->knowledge[0], &ct->knowledge[1] };
	for (size_t i = 0; i < 5; i++) {
		it[i]->text.s = texts[i];
		it[i]->text.len = strlen(texts[i]);
	}
	const char *doc = render(s, 0, "word/document.xml");
	char run[160];
	for (size_t i = 0; i < 5; i++) {
		snprintf(run, sizeof run, "%s %s", it[i]->id.s, texts[i]);
		ck_assert_msg(has_run(doc, i > 0, run), "no run '%s'", run);
	}
	/* a work content's number and name, one run */
	snprintf(run, sizeof run, "%s %s", ct->id.s, ct->name.s);
	ck_assert_msg(has_run(doc, false, run), "no run '%s'", run);
	/* a bare label and its ')', one run (the bundled standard's lists
	 * are labelled a, b, c) */
	ck_assert_msg(has_run(doc, false, "a)"), "no run 'a)'");
	/* a line break splits the w:t, and the run keeps its white space */
	ct->name.s = "two\nlines";
	ct->name.len = strlen(ct->name.s);
	doc = render(s, 0, "word/document.xml");
	snprintf(run, sizeof run,
		 "<w:r><w:t xml:space=\"preserve\">%s two</w:t><w:br/>"
		 "<w:t xml:space=\"preserve\">lines</w:t></w:r>",
		 ct->id.s);
	ck_assert_msg(strstr(doc, run) != NULL, "no run '%s'", run);
}
END_TEST

START_TEST(test_merges)
{
	/* 职业功能 merged down its contents: a restart for each capability of
	 * two contents or more, a continuation for every further content;
	 * each group label of a weight table merged down its rows. */
	struct standard *s = build(_i ? UNIT_NATIONAL : UNIT_BUNDLED);
	size_t restart = 0, go_on = 0;
	for (size_t i = 0; i < s->n_capabilities; i++) {
		size_t n = s->capabilities[i]->n_contents;
		restart += n > 1;
		go_on += n > 1 ? n - 1 : 0;
	}
	size_t head_rows = 0;
	for (size_t i = 0; i < s->n_weight_tables; i++) {
		const struct weight_table *t = s->weight_tables[i];
		head_rows += t->n_header > 1 ? t->n_header - 1 : 0;
		for (size_t g = 0; g < t->n_groups; g++) {
			size_t n = t->groups[g].n_rows;
			restart += n > 1;
			go_on += n > 1 ? n - 1 : 0;
		}
	}
	/* and the corner over the head rows of every weight table */
	size_t corners = 0;
	for (size_t i = 0; i < s->n_weight_tables; i++)
		corners += s->weight_tables[i]->n_header > 1;
	const char *doc = render(s, 0, "word/document.xml");
	ck_assert_uint_eq(count(doc, "<w:vMerge w:val=\"restart\"/>"),
			  restart + corners);
	ck_assert_uint_eq(count(doc, "<w:vMerge/>"), go_on + head_rows);
}
END_TEST

START_TEST(test_dashes)
{
	/* A cell printed "—" is "—"; every other weight is its number. */
	struct standard *s = build(UNIT_NATIONAL);
	size_t dashes = 0;
	for (size_t i = 0; i < s->n_weight_tables; i++) {
		const struct weight_table *t = s->weight_tables[i];
		for (size_t r = 0; r < t->n_rows; r++)
			for (size_t c = 0; c < t->rows[r]->n_weights; c++)
				dashes += t->rows[r]->weights[c].dash;
	}
	ck_assert_uint_gt(dashes, 0);
	const char *doc = render(s, 0, "word/document.xml");
	ck_assert_uint_eq(count(doc, ">\u2014</w:t>"), dashes);
}
END_TEST

START_TEST(test_toc)
{
	/* One TOC field: it opens in the first entry and closes in the
	 * last; an entry (and a bookmark) for each heading it lists. With
	 * no heading at all, an empty field. */
	struct standard *s = build(UNIT_BUNDLED);
	const char *doc = render(s, 0, "word/document.xml");
	ck_assert_uint_eq(count(doc, " TOC \\o "), 1);
	size_t entries = count(doc, "<w:pStyle w:val=\"TOC1\"/>") +
			 count(doc, "<w:pStyle w:val=\"TOC2\"/>");
	ck_assert_uint_gt(entries, 10);
	ck_assert_uint_eq(count(doc, " PAGEREF _Toc"), entries);
	const char *begin = strstr(doc, "w:fldCharType=\"begin\" w:dirty");
	const char *first = strstr(doc, "<w:pStyle w:val=\"TOC1\"/>");
	ck_assert(first && begin && first < begin);
	ck_assert_ptr_null(strstr(first, "<w:pStyle w:val=\"TOCHeading\"/>"));

	s->meta.n_foreword = 0;
	s->scope.at = s->normative_references.at = s->terms.at =
		(struct place){ 0 };
	struct occupation *o = &s->occupation;
	o->clause.len = o->title.len = 0;
	o->name_clause.at = o->code.at = o->definition.at = (struct place){ 0 };
	o->levels.at = o->environment.at = o->abilities.at =
		(struct place){ 0 };
	o->education.at = o->training.at = (struct place){ 0 };
	s->occupation.assessment.clause.len = 0;
	s->occupation.assessment.title.len = 0;
	s->basic_requirements.clause.len = s->basic_requirements.title.len = 0;
	for (size_t i = 0; i < s->basic_requirements.n_sections; i++)
		s->basic_requirements.sections[i].clause.len =
			s->basic_requirements.sections[i].title.len = 0;
	s->work_requirements.clause.len = s->work_requirements.title.len = 0;
	s->work_requirements.general.at = (struct place){ 0 };
	s->work_requirements.n_tables = 0;
	s->weights.clause.len = s->weights.title.len = 0;
	s->weights.n_sections = s->weights.n_tables = 0;
	doc = render(s, 0, "word/document.xml");
	ck_assert_uint_eq(count(doc, "<w:pStyle w:val=\"TOC1\"/>"), 0);
	ck_assert_uint_eq(count(doc, "<w:pStyle w:val=\"TOC2\"/>"), 0);
	ck_assert_ptr_nonnull(strstr(
		doc, "<w:p><w:r><w:fldChar w:fldCharType=\"begin\" w:dirty="));
}
END_TEST

START_TEST(test_parts)
{
	/* The notice and the cumulative appendix only when asked for. */
	struct standard *s = build(UNIT_BUNDLED);
	const char *notice = s->notice.title.s;
	char title[256];
	snprintf(title, sizeof title, "%.*s", (int)s->notice.title.len, notice);
	const char *appendix = doc_words[WORD_CUMULATIVE_TITLE];
	const char *doc = render(s, 0, "word/document.xml");
	ck_assert_ptr_null(strstr(doc, title));
	ck_assert_ptr_null(strstr(doc, appendix));
	doc = render(s, PART_NOTICE, "word/document.xml");
	ck_assert_ptr_nonnull(strstr(doc, title));
	ck_assert_ptr_null(strstr(doc, appendix));
	doc = render(s, PART_CUMULATIVE, "word/document.xml");
	ck_assert_ptr_null(strstr(doc, title));
	ck_assert_ptr_nonnull(strstr(doc, appendix));
}
END_TEST

START_TEST(test_words)
{
	/* The fonts and the language are the layout's words. */
	const char *styles = render(build(UNIT_BUNDLED), 0, "word/styles.xml");
	char want[128];
	snprintf(want, sizeof want, "w:eastAsia=\"%s\"",
		 doc_words[WORD_FONT_BODY]);
	ck_assert_ptr_nonnull(strstr(styles, want));
	snprintf(want, sizeof want, "w:eastAsia=\"%s\"",
		 doc_words[WORD_FONT_HEADING]);
	ck_assert_ptr_nonnull(strstr(styles, want));
	snprintf(want, sizeof want, "<w:lang w:val=\"%s\" w:eastAsia=\"%s\"/>",
		 doc_words[WORD_LANGUAGE_LATIN], doc_words[WORD_LANGUAGE]);
	ck_assert_ptr_nonnull(strstr(styles, want));
}
END_TEST

static Suite *
docx_suite(void)
{
	Suite *s = suite_create("docx");
	TCase *tc = tcase_create("docx");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_package);
	tcase_add_test(tc, test_same_bytes);
	tcase_add_test(tc, test_escape);
	tcase_add_test(tc, test_space);
	tcase_add_loop_test(tc, test_merges, 0, 2);
	tcase_add_test(tc, test_dashes);
	tcase_add_test(tc, test_toc);
	tcase_add_test(tc, test_parts);
	tcase_add_test(tc, test_words);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(docx_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
