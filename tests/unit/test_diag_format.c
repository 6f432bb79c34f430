/*
 * test_diag_format.c - the run's sink: GCC's colours, the columns in each
 * unit (and the caret that does not move with them), the JSON objects and
 * SARIF results of the odd places (no file, the whole file, a name that
 * is not UTF-8 or not a plain URI), the fingerprints and the summary line.
 * tests/sarif/ checks the documents of real runs against their schemas.
 */
#include "skillc.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct arena *arena;
static struct diag *diag;
static struct diag_sink *sink;
static char *out; /* the last flush, from open_memstream */
static struct strbuf doc;

static const char file[] = "f.yaml";

static void
setup(void)
{
	arena = arena_new();
	diag = diag_new(arena);
	out = NULL;
	doc = (struct strbuf){ 0 };
}

static void
teardown(void)
{
	free(out);
	out = NULL;
	strbuf_free(&doc);
	arena_free(arena);
	arena = NULL;
}

static void
use(enum diag_format format, bool text, bool color, enum diag_column column)
{
	sink = diag_sink_new(arena, &(struct diag_sink_options){
					    format, text, color, column });
	diag_set_sink(diag, sink);
}

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

static const char *
document(int status)
{
	strbuf_reset(&doc);
	diag_sink_document(sink, status, &doc);
	return doc.buf ? doc.buf : "";
}

static struct loc
at(uint32_t line, uint32_t col)
{
	return (struct loc){ file, line, col };
}

/* ---- text ------------------------------------------------------------ */

#define B(s) "\33[01m\33[K" s "\33[m\33[K"
#define M(s) "\33[01;35m\33[K" s "\33[m\33[K"
#define C(s) "\33[01;36m\33[K" s "\33[m\33[K"
#define R(s) "\33[01;31m\33[K" s "\33[m\33[K"
#define G(s) "\33[32m\33[K" s "\33[m\33[K"

START_TEST(test_color)
{
	use(DIAG_TEXT, true, true, DIAG_COLUMN_CODEPOINT);
	static const char src[] = "a: 1\nb: 2\n";
	diag_add_source(diag, file, src, sizeof src - 1);
	diag_report(diag, RULE_ITEM_NUMBERING, at(2, 4), "w");
	diag_note(diag, at(1, 1), "n");
	diag_report(diag, RULE_DUPLICATE_KEY, (struct loc){ 0 }, "e");
	ck_assert_str_eq(
		flush(true),
		B("skillc:") " " R("error:") " e [" R("SK0003 duplicate-key") "]\n" B("f.yaml:2:4:") " " M("warning:") " w [" M(
			"SK0203 item-numbering") "]\n"
						 " b: 2\n"
						 "    " G("^") "\n" B("f.yaml:1:1:") " " C(
							 "note:") " n\n"
								  " a: 1\n"
								  " " G("^") "\n");
}
END_TEST

/* "a", a tab, a wide character, "b": the column of "b" and of a place
 * two columns past the end of the line, in each unit. */
static const struct unit_case {
	enum diag_column unit;
	unsigned b, past;
} unit_cases[] = {
	{ DIAG_COLUMN_CODEPOINT, 4, 7 },
	{ DIAG_COLUMN_BYTE, 6, 9 },	 /* 1 + 1 + 3 bytes before "b" */
	{ DIAG_COLUMN_DISPLAY, 11, 14 }, /* the tab to 8, the wide 2 */
};

START_TEST(test_units)
{
	const struct unit_case *c = &unit_cases[_i];
	use(DIAG_TEXT, true, false, c->unit);
	static const char src[] = "a\t\xe4\xb8\xad"
				  "b\r\nx\n";
	diag_add_source(diag, file, src, sizeof src - 1);
	diag_report(diag, RULE_ITEM_NUMBERING, at(1, 4), "b");
	diag_report(diag, RULE_ITEM_NUMBERING, at(1, 7), "past");
	char want[256];
	snprintf(want, sizeof want,
		 "f.yaml:1:%u: warning: b [SK0203 item-numbering]\n"
		 " a\t\xe4\xb8\xad"
		 "b\n"
		 "  \t  ^\n"
		 "f.yaml:1:%u: warning: past [SK0203 item-numbering]\n"
		 " a\t\xe4\xb8\xad"
		 "b\n"
		 "  \t   ^\n",
		 c->b, c->past);
	/* The caret is under the same character in every unit. */
	ck_assert_str_eq(flush(true), want);
}
END_TEST

START_TEST(test_units_bom_and_marks)
{
	/* A BOM takes no column; a combining mark takes no terminal column,
	 * and no space under it. */
	use(DIAG_TEXT, true, false, DIAG_COLUMN_DISPLAY);
	static const char src[] = "\xef\xbb\xbf"
				  "e\xcc\x81x\n";
	diag_add_source(diag, file, src, sizeof src - 1);
	diag_report(diag, RULE_ITEM_NUMBERING, at(1, 3), "x");
	ck_assert_str_eq(flush(true),
			 "f.yaml:1:2: warning: x [SK0203 item-numbering]\n"
			 " e\xcc\x81x\n"
			 "  ^\n");
	use(DIAG_TEXT, true, false, DIAG_COLUMN_BYTE);
	diag_report(diag, RULE_ITEM_NUMBERING, at(1, 3), "x");
	ck_assert_str_eq(flush(false),
			 "f.yaml:1:4: warning: x [SK0203 item-numbering]\n");
}
END_TEST

/* The byte and terminal columns of codepoint column col of line, walked
 * from its start: what diag_place must find however it gets there. */
static void
ref_place(const char *line, uint32_t col, unsigned *byte, unsigned *display)
{
	size_t off = 0;
	unsigned d = 0;
	for (uint32_t c = 1; c < col; c++) {
		uint32_t cp = 0;
		size_t n = utf8_decode((const unsigned char *)line + off,
				       strlen(line + off), &cp);
		off += n;
		d += cp == '\t' ? 8 - d % 8 : (unsigned)utf8_width(cp);
	}
	*byte = (unsigned)off + 1, *display = d + 1;
}

/* A line of 60 KB, findings along it and a note for each far back (as a
 * duplicate key's "first given here"): each place where a walk from the
 * line's start puts it, in bytes and in terminal columns. */
START_TEST(test_units_long_line)
{
	enum diag_column unit = _i ? DIAG_COLUMN_DISPLAY : DIAG_COLUMN_BYTE;
	struct strbuf src = { 0 }, want = { 0 };
	for (int k = 0; k < 12000; k++) /* tabs only early: a mark's display
					    column is not put right by one */
		strbuf_adds(&src, k < 100 ? "ab\xe4\xb8\xad\t"
				  : k % 7 ? "ab\xe4\xb8\xad"
					  : "x,");
	strbuf_adds(&src, "\n");
	char *line = strndup(src.buf, src.len - 1);
	ck_assert_ptr_nonnull(line);
	uint32_t ncols = 0;
	for (size_t i = 0; i < src.len - 1; i++)
		ncols += ((unsigned char)src.buf[i] & 0xc0) != 0x80;
	use(DIAG_TEXT, true, false, unit);
	diag_add_source(diag, file, src.buf, src.len);
	for (uint32_t col = 2000; col < ncols; col += 1531) {
		uint32_t back = col / 3 + 1;
		diag_report(diag, RULE_ITEM_NUMBERING, at(1, col), "w");
		diag_note(diag, at(1, back), "n");
		unsigned b, d;
		ref_place(line, col, &b, &d);
		strbuf_addf(&want,
			    "f.yaml:1:%u: warning: w [SK0203 item-numbering]\n",
			    unit == DIAG_COLUMN_BYTE ? b : d);
		ref_place(line, back, &b, &d);
		strbuf_addf(&want, "f.yaml:1:%u: note: n\n",
			    unit == DIAG_COLUMN_BYTE ? b : d);
	}
	ck_assert_str_eq(flush(false), want.buf);
	free(line);
	strbuf_free(&src);
	strbuf_free(&want);
}
END_TEST

START_TEST(test_document_replaces_text)
{
	/* Without --diagnostics-file the document is all there is. */
	use(DIAG_JSON, false, false, DIAG_COLUMN_CODEPOINT);
	diag_report(diag, RULE_ITEM_NUMBERING, at(1, 1), "w");
	ck_assert_str_eq(flush(true), "");
	size_t e, w;
	diag_sink_totals(sink, &e, &w);
	ck_assert_uint_eq(e, 0);
	ck_assert_uint_eq(w, 1);
}
END_TEST

/* ---- JSON ------------------------------------------------------------ */

START_TEST(test_json)
{
	use(DIAG_JSON, false, false, DIAG_COLUMN_BYTE);
	ck_assert_str_eq(document(0), "[]\n");
	static const char src[] = "\xe4\xb8\xad"
				  "x: 1\n";
	diag_add_source(diag, file, src, sizeof src - 1);
	diag_report(diag, RULE_ITEM_NUMBERING, at(1, 2), "a \"quoted\" \\ %s",
		    "x");
	diag_note(diag, (struct loc){ "f\xff.yaml", 0, 0 }, "the file");
	diag_report(diag, RULE_DUPLICATE_KEY, (struct loc){ 0 }, "the run");
	int own = diag_add_rule(diag, &(struct rule_info){ "CP0001", "own",
							   SEV_WARNING, false,
							   NULL, "c.yaml" });
	diag_report(diag, own, (struct loc){ file, 0, 0 }, "own");
	flush(false);
	ck_assert_str_eq(
		document(1),
		"[\n"
		"{\"kind\":\"error\",\"rule_id\":\"SK0003\",\"rule_name\":"
		"\"duplicate-key\",\"rule_url\":\"" SKILLC_CHECKS_URL
		"#sk0003\","
		"\"message\":\"the run\",\"locations\":[],\"children\":[]},\n"
		"{\"kind\":\"warning\",\"rule_id\":\"CP0001\",\"rule_name\":\"own\","
		"\"message\":\"own\",\"locations\":[{\"caret\":{\"file\":"
		"\"f.yaml\"}}],\"children\":[]},\n"
		"{\"kind\":\"warning\",\"rule_id\":\"SK0203\",\"rule_name\":"
		"\"item-numbering\",\"rule_url\":\"" SKILLC_CHECKS_URL
		"#sk0203\","
		"\"message\":\"a \\\"quoted\\\" \\\\ x\",\"locations\":[{\"caret\":"
		"{\"file\":\"f.yaml\",\"line\":1,\"column\":4,\"byte-column\":4,"
		"\"display-column\":3}}],\"children\":[{\"kind\":\"note\","
		"\"message\":\"the file\",\"locations\":[{\"caret\":{\"file\":"
		"\"f\\ufffd.yaml\"}}]}]}\n"
		"]\n");
}
END_TEST

/* ---- SARIF ----------------------------------------------------------- */

/* The fingerprints of the document, in order, into fp (n at most). */
static size_t
fingerprints(const char *d, char fp[][40], size_t n)
{
	static const char key[] = "\"skillcLineHash/v1\": \"";
	size_t k = 0;
	for (const char *p = d; k < n && (p = strstr(p, key)); k++) {
		p += sizeof key - 1;
		size_t len = strcspn(p, "\"");
		ck_assert_uint_lt(len, 40);
		memcpy(fp[k], p, len);
		fp[k][len] = '\0';
	}
	return k;
}

START_TEST(test_sarif_places)
{
	use(DIAG_SARIF, false, false, DIAG_COLUMN_CODEPOINT);
	static const char src[] = "x\n";
	diag_add_source(diag, "/abs/a b.yaml", src, 2);
	diag_add_source(diag, "d/\xc3\xa9:%#.yaml", src, 2);
	diag_report(diag, RULE_ITEM_NUMBERING,
		    (struct loc){ "/abs/a b.yaml", 1, 1 }, "abs");
	diag_note(diag, (struct loc){ 0 }, "nowhere");
	diag_report(diag, RULE_ITEM_NUMBERING,
		    (struct loc){ "d/\xc3\xa9:%#.yaml", 0, 0 }, "rel");
	diag_report(diag, RULE_DUPLICATE_KEY, (struct loc){ 0 }, "run");
	flush(false);
	const char *d = document(2);
	ck_assert_ptr_nonnull(strstr(
		d, "\"artifactLocation\": {\n"
		   "                  \"uri\": \"file:///abs/a%20b.yaml\"\n"
		   "                },\n"
		   "                \"region\": {\n"
		   "                  \"startLine\": 1,\n"
		   "                  \"startColumn\": 1\n"));
	ck_assert_ptr_nonnull(
		strstr(d, "\"relatedLocations\": [\n"
			  "            {\n"
			  "              \"id\": 1,\n"
			  "              \"message\": {\n"
			  "                \"text\": \"nowhere\"\n"));
	/* the whole file: no region */
	ck_assert_ptr_nonnull(
		strstr(d, "\"uri\": \"d/%C3%A9%3A%25%23.yaml\",\n"
			  "                  \"uriBaseId\": \"%SRCROOT%\"\n"
			  "                }\n"
			  "              }\n"));
	/* the run: no location */
	ck_assert_ptr_nonnull(strstr(d, "\"text\": \"run\"\n"
					"          },\n"
					"          \"partialFingerprints\""));
	ck_assert_ptr_nonnull(strstr(d, "\"executionSuccessful\": false,\n"
					"          \"exitCode\": 2\n"));
	ck_assert_ptr_nonnull(
		strstr(d, "\"columnKind\": \"unicodeCodePoints\",\n"));
}
END_TEST

START_TEST(test_sarif_rules)
{
	use(DIAG_SARIF, false, false, DIAG_COLUMN_CODEPOINT);
	int off = diag_add_rule(diag,
				&(struct rule_info){ "CP0001", "off", SEV_OFF,
						     false, "s", "c.yaml" });
	diag_set_severity(diag, off, SEV_WARNING);
	diag_report(diag, off, at(1, 1), "on");
	flush(false);
	const char *d = document(0);
	char want[512];
	snprintf(want, sizeof want,
		 "\"ruleId\": \"CP0001\",\n"
		 "          \"ruleIndex\": %zu,\n"
		 "          \"level\": \"warning\",\n",
		 (size_t)off);
	ck_assert_ptr_nonnull(strstr(d, want));
	/* off until -W: not enabled; outside the catalogue: no helpUri */
	ck_assert_ptr_nonnull(
		strstr(d, "\"text\": \"s\"\n"
			  "              },\n"
			  "              \"defaultConfiguration\": {\n"
			  "                \"enabled\": false,\n"
			  "                \"level\": \"warning\"\n"));
	ck_assert_ptr_nonnull(
		strstr(d, "\"helpUri\": \"" SKILLC_CHECKS_URL "#sk0203\""));
	ck_assert_ptr_null(strstr(d, "#cp0001"));
}
END_TEST

START_TEST(test_fingerprints)
{
	/* Lines equal but for their blanks count as one line, a second time;
	 * another rule on the same line is another hash; lines added above
	 * change nothing. */
	static const char src[] = "  x: 1\ny: 2\nx: 1  \n";
	static const char moved[] = "# a\n# b\n  x: 1\ny: 2\nx: 1  \n";
	char fp[2][4][40];
	for (int k = 0; k < 2; k++) {
		struct diag *d = diag = diag_new(arena);
		use(DIAG_SARIF, false, false, DIAG_COLUMN_CODEPOINT);
		diag_add_source(d, file, k ? moved : src,
				k ? sizeof moved - 1 : sizeof src - 1);
		uint32_t l = k ? 2 : 0;
		diag_report(d, RULE_ITEM_NUMBERING, at(l + 1, 3), "a");
		diag_report(d, RULE_ID_FORM, at(l + 1, 3), "b");
		diag_report(d, RULE_ITEM_NUMBERING, at(l + 2, 1), "c");
		diag_report(d, RULE_ITEM_NUMBERING, at(l + 3, 1), "d");
		flush(false);
		ck_assert_uint_eq(fingerprints(document(0), fp[k], 4), 4);
	}
	for (int i = 0; i < 4; i++)
		ck_assert_str_eq(fp[0][i], fp[1][i]);
	ck_assert(!strcmp(strchr(fp[0][0], ':'), ":1"));
	ck_assert(!strcmp(strchr(fp[0][3], ':'), ":2"));
	ck_assert(!strncmp(fp[0][0], fp[0][3], 16));
	ck_assert(strncmp(fp[0][0], fp[0][1], 16));
	ck_assert(strncmp(fp[0][0], fp[0][2], 16));
}
END_TEST

/* ---- the summary ----------------------------------------------------- */

static const struct summary_case {
	size_t errors, warnings;
	const char *want;
} summary_cases[] = {
	{ 0, 0, "" },
	{ 1, 0, "1 error generated.\n" },
	{ 0, 1, "1 warning generated.\n" },
	{ 2, 0, "2 errors generated.\n" },
	{ 1, 2, "1 error and 2 warnings generated.\n" },
	{ 3, 1, "3 errors and 1 warning generated.\n" },
};

START_TEST(test_summary)
{
	const struct summary_case *c = &summary_cases[_i];
	use(DIAG_TEXT, true, false, DIAG_COLUMN_CODEPOINT);
	for (size_t i = 0; i < c->errors; i++)
		diag_report(diag, RULE_DUPLICATE_KEY, at(1, 1), "e");
	flush(false); /* the totals are the run's, across flushes */
	for (size_t i = 0; i < c->warnings; i++)
		diag_report(diag, RULE_ITEM_NUMBERING, at(1, 1), "w");
	flush(false);
	diag_sink_summary(sink, &doc);
	ck_assert_str_eq(doc.buf ? doc.buf : "", c->want);
}
END_TEST

static Suite *
diag_format_suite(void)
{
	Suite *s = suite_create("diag_format");
	TCase *tc;

	tc = tcase_create("text");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_color);
	tcase_add_loop_test(tc, test_units, 0,
			    sizeof unit_cases / sizeof *unit_cases);
	tcase_add_test(tc, test_units_bom_and_marks);
	tcase_add_loop_test(tc, test_units_long_line, 0, 2);
	tcase_add_test(tc, test_document_replaces_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_json);
	suite_add_tcase(s, tc);

	tc = tcase_create("sarif");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sarif_places);
	tcase_add_test(tc, test_sarif_rules);
	tcase_add_test(tc, test_fingerprints);
	suite_add_tcase(s, tc);

	tc = tcase_create("summary");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_summary, 0,
			    sizeof summary_cases / sizeof *summary_cases);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(diag_format_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
