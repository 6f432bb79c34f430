/*
 * test_check_text.c - running the text rules (check_text.c) over models
 * of small standards, with rules of the test's own: a rules file written
 * to a scratch directory and loaded by pipeline_new, as --rules is.
 *
 * A finding stands at the line and column of its match (or of \K, or of
 * the first group) inside plain, single-quoted, double-quoted and literal
 * scalars, on one line or several; inside a folded one, or where the match
 * was written as an escape, at the scalar's start or the escape. Edits
 * carry the source bytes, the node, the bytes of its value and what
 * replaces them, written in the scalar's style, and are collected only for
 * rules in force and replacements that hold no control character. A
 * consistency rule reports the texts of a work table that differ from
 * most of that table's; levels and min_rank restrict a rule to the texts
 * of some levels' tables.
 */
#include "skillc.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

static struct arena *arena;
static char scratch[64];
static char rules_file[96];
static const char *rules_path = rules_file;
static struct run_options opt;
static struct run *run;
static char *printed; /* the last flush, from open_memstream */

/* The scratch directory, which holds the rules file, lives as long as a
 * TCase: an unchecked fixture runs in the parent, so a test that fails
 * (and whose process ends without its teardown) leaves nothing behind. */
static void
make_scratch(void)
{
	strcpy(scratch, "/tmp/skillc-unit-text-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(scratch));
	snprintf(rules_file, sizeof rules_file, "%s/rules.yaml", scratch);
}

static void
remove_scratch(void)
{
	unlink(rules_path);
	rmdir(scratch);
}

static void
setup(void)
{
	arena = arena_new();
	opt = (struct run_options){ .rules_files = &rules_path,
				    .nrules_files = 1 };
	run = NULL;
	printed = NULL;
}

static void
teardown(void)
{
	free(printed);
	printed = NULL;
	unlink(rules_path);
	arena_free(arena); /* and the run with it */
	arena = NULL;
}

/* A run with the shipped rules and a rules file holding rules. */
static void
start(const char *rules)
{
	FILE *f = fopen(rules_path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs("skillc_rules: 1\nrules:\n", f) >= 0, 1);
	ck_assert_int_eq(fputs(rules, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
	run = pipeline_new(arena, &opt);
	ck_assert_msg(run != NULL, "the rules do not load:\n%s", rules);
}

/* What check_text makes of a standard. */
struct checked {
	const char *buf;
	const struct standard *std;
	struct diag *diag;
	struct edit *edits;
	size_t nedits;
};

/* rel under tests/ with edits, modelled and checked by the run's rules. */
static struct checked
check(const char *rel, const struct unit_edit *edits)
{
	struct checked c = { 0 };
	size_t len;
	char *buf = unit_read(arena, rel, &len);
	if (edits)
		buf = unit_apply(arena, buf, edits, &len);
	c.buf = buf;
	c.diag = diag_clone(arena, pipeline_diag(run));
	const struct node *root =
		load_buffer(arena, c.diag, "s.yaml", buf, len);
	c.std = root ? model_build(arena, c.diag, "s.yaml", root) : NULL;
	if (!c.std)
		diag_flush(c.diag, stderr, false);
	ck_assert_msg(c.std != NULL, "the standard does not build");
	check_text(pipeline_rules(run), c.std, c.diag, arena, &c.edits,
		   &c.nedits);
	return c;
}

/* Where p stands in buf: 1-based line, column in characters. */
static struct loc
loc_of(const char *buf, const char *p)
{
	struct loc at = { NULL, 1, 1 };
	for (const char *q = buf; q < p; q++)
		if (*q == '\n')
			at.line++, at.col = 1;
		else if (((unsigned char)*q & 0xc0) != 0x80)
			at.col++;
	return at;
}

/* The findings of the test's rules (IDs XT...), as "LINE:COL ID message"
 * lines in the order diag prints them. */
static const char *
findings(struct diag *d)
{
	free(printed);
	printed = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&printed, &len);
	ck_assert_ptr_nonnull(f);
	diag_flush(d, f, false);
	fclose(f);
	struct strbuf sb = { 0 };
	strbuf_adds(&sb, "");
	for (const char *line = printed; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		const char *tag = strstr(line, " [XT");
		unsigned l, c;
		int skip = 0;
		if (tag && tag < line + n &&
		    sscanf(line, "s.yaml:%u:%u: %n", &l, &c, &skip) == 2) {
			const char *msg = strstr(line + skip, ": ") + 2;
			const char *id = tag + 2;
			strbuf_addf(&sb, "%u:%u %.*s %.*s\n", l, c,
				    (int)strcspn(id, " "), id, (int)(tag - msg),
				    msg);
		}
		line += n + (end != NULL);
	}
	char *s = arena_strndup(arena, sb.buf, sb.len);
	strbuf_free(&sb);
	return s;
}

/* "LINE:COL ID message" of the first occurrence of at in buf, skip bytes
 * on. */
static void
finding_at(struct strbuf *sb, const char *buf, const char *at, size_t skip,
	   const char *id, const char *msg)
{
	const char *p = strstr(buf, at);
	ck_assert_msg(p != NULL, "no '%s' in the source", at);
	struct loc l = loc_of(buf, p + skip);
	strbuf_addf(sb, "%u:%u %s %s\n", (unsigned)l.line, (unsigned)l.col, id,
		    msg);
}

static void
finding(struct strbuf *sb, const char *buf, const char *at, const char *id,
	const char *msg)
{
	finding_at(sb, buf, at, 0, id, msg);
}

/* ---- positions and edits -------------------------------------------------
 */

static const char place_rules[] =
	"  - {id: XT001, name: mark, severity: warning, summary: s,\n"
	"     fields: [all], pattern: '甲', message: '{match} marked',\n"
	"     replacement: 乙}\n"
	"  - {id: XT002, name: group, severity: warning, summary: s,\n"
	"     fields: [all], pattern: '壬(癸)', message: m, replacement: '$1'}\n"
	"  - {id: XT003, name: keep-out, severity: warning, summary: s,\n"
	"     fields: [all], pattern: '子\\K丑', message: m, replacement: 寅}\n"
	"  - {id: XT004, name: dquote, severity: warning, summary: s,\n"
	"     fields: [all], pattern: '丙', message: m, replacement: '\"'}\n"
	"  - {id: XT005, name: squote, severity: warning, summary: s,\n"
	"     fields: [all], pattern: '丁', message: m, replacement: \"'\"}\n"
	"  - {id: XT006, name: tab, severity: warning, summary: s,\n"
	"     fields: [all], pattern: '戊', message: m, replacement: 'c\\td'}\n"
	"  - {id: XT007, name: escape-char, severity: warning, summary: s,\n"
	"     fields: [all], pattern: '己', message: m, replacement: 'c\\x{1b}d'}\n"
	"  - {id: XT008, name: seen, severity: warning, summary: s,\n"
	"     fields: [all], pattern: '辛', message: '{match} seen'}\n"
	"  - {id: XT009, name: gone, severity: warning, summary: s,\n"
	"     fields: [all], pattern: '卯', message: '{match} gone',\n"
	"     replacement: ''}\n";

/* The skill text of minimal.yaml written otherwise; a rule's one finding
 * in it, and the edit it proposes. */
static const struct place_case {
	const char *what;
	const char *text; /* replaces "text: 能检查车辆" */
	const char *id;
	const char *at;	 /* the finding: where this is first in the source */
	const char *raw; /* the edit: the source bytes replaced (NULL: none) */
	const char *match; /* the bytes of the value replaced */
	const char *with, *value;
} place_cases[] = {
	{ "plain", "text: 能检查甲车辆", "XT001", "甲", "甲", "甲", "乙",
	  "乙" },
	{ "plain, first", "text: 甲能检查", "XT001", "甲", "甲", "甲", "乙",
	  "乙" },
	{ "plain, last", "text: 能检查甲", "XT001", "甲", "甲", "甲", "乙",
	  "乙" },
	{ "plain, two lines", "text: 能检查\n                    车辆甲",
	  "XT001", "甲", "甲", "甲", "乙", "乙" },
	{ "single-quoted", "text: '能''检查甲'", "XT001", "甲", "甲", "甲",
	  "乙", "乙" },
	{ "single-quoted, two lines",
	  "text: '能检查\n                    车''辆甲'", "XT001", "甲", "甲",
	  "甲", "乙", "乙" },
	{ "double-quoted", "text: \"能\\\"检\\u67e5甲\"", "XT001", "甲", "甲",
	  "甲", "乙", "乙" },
	{ "double-quoted, two lines",
	  "text: \"能检查\\\n                    车辆甲\"", "XT001", "甲", "甲",
	  "甲", "乙", "乙" },
	{ "literal",
	  "text: |-\n                    能检查\n                    车辆甲",
	  "XT001", "甲", "甲", "甲", "乙", "乙" },
	{ "literal, kept newlines",
	  "text: |+\n                    能检查\n\n                    车辆甲\n",
	  "XT001", "甲", "甲", "甲", "乙", "乙" },
	/* No edit where the match is not written as itself. */
	{ "folded",
	  "text: >-\n                    能检查\n                    车辆甲",
	  "XT001", ">-", NULL, NULL, NULL, NULL },
	{ "escaped", "text: \"能检查\\u7532\"", "XT001", "\\u7532", NULL, NULL,
	  NULL, NULL },
	/* The finding at the group, the edit the whole match. */
	{ "group", "text: 能检查壬癸", "XT002", "癸", "壬癸", "壬癸", "癸",
	  "癸" },
	{ "\\K", "text: 能子丑", "XT003", "丑", "丑", "丑", "寅", "寅" },
	/* The replacement as the scalar's style writes it. */
	{ "quote, double-quoted", "text: \"能丙\"", "XT004", "丙", "丙", "丙",
	  "\\\"", "\"" },
	{ "quote, single-quoted", "text: '能丙'", "XT004", "丙", "丙", "丙",
	  "\"", "\"" },
	{ "quote, plain", "text: 能丙", "XT004", "丙", "丙", "丙", "\"", "\"" },
	{ "apostrophe, single-quoted", "text: '能丁'", "XT005", "丁", "丁",
	  "丁", "''", "'" },
	{ "apostrophe, double-quoted", "text: \"能丁\"", "XT005", "丁", "丁",
	  "丁", "'", "'" },
	{ "apostrophe, literal", "text: |-\n                    能丁", "XT005",
	  "丁", "丁", "丁", "'", "'" },
	/* A control character cannot be written in place. */
	{ "tab", "text: 能戊", "XT006", "戊", NULL, NULL, NULL, NULL },
	{ "tab, double-quoted", "text: \"能戊\"", "XT006", "戊", NULL, NULL,
	  NULL, NULL },
	{ "escape", "text: 能己", "XT007", "己", NULL, NULL, NULL, NULL },
	/* A rule with no replacement proposes none. */
	{ "no replacement", "text: 能辛", "XT008", "辛", NULL, NULL, NULL,
	  NULL },
};

START_TEST(test_place)
{
	const struct place_case *c = &place_cases[_i];
	start(place_rules);
	const struct unit_edit edits[UNIT_MAX_EDITS] = {
		{ NULL, "text: 能检查车辆", c->text },
	};
	struct checked k = check(UNIT_MINIMAL, edits);
	int rule = diag_find_rule(k.diag, c->id);
	ck_assert_int_ge(rule, 0);
	ck_assert_uint_eq(diag_rule_count(k.diag, rule), 1);
	/* The edits of the test's rules: this one at most. */
	const struct edit *e = NULL;
	size_t ours = 0;
	for (size_t i = 0; i < k.nedits; i++)
		if (!strncmp(k.edits[i].def->id.s, "XT", 2))
			e = &k.edits[i], ours++;
	ck_assert_uint_eq(ours, c->raw ? 1 : 0);
	if (e) {
		const char *raw = strstr(k.buf, c->raw);
		ck_assert_ptr_eq(e->start, raw);
		ck_assert_ptr_eq(e->end, raw + strlen(c->raw));
		ck_assert_str_eq(e->with, c->with);
		ck_assert_int_eq(e->rule, rule);
		ck_assert_str_eq(e->def->id.s, c->id);
		ck_assert_int_eq(e->text->at.kind, NODE_SCALAR);
		ck_assert_ptr_eq(e->raw, k.buf + e->text->at.off);
		ck_assert(e->start >= e->raw &&
			  e->end <= e->raw + e->text->at.raw_len);
		const char *v = strstr(e->text->s, c->match);
		ck_assert_ptr_nonnull(v);
		ck_assert_uint_eq(e->vstart, (size_t)(v - e->text->s));
		ck_assert_uint_eq(e->vend, e->vstart + strlen(c->match));
		ck_assert_uint_eq(e->value_len, strlen(c->value));
		ck_assert(!memcmp(e->value, c->value, e->value_len));
		struct loc at = loc_of(k.buf, strstr(k.buf, c->at));
		ck_assert_uint_eq(e->at.line, at.line);
		ck_assert_uint_eq(e->at.col, at.col);
	}
	/* One finding, at its place; the message is the rule's. */
	const char *got = findings(k.diag);
	struct loc at = loc_of(k.buf, strstr(k.buf, c->at));
	struct strbuf want = { 0 };
	strbuf_addf(&want, "%u:%u %s ", (unsigned)at.line, (unsigned)at.col,
		    c->id);
	ck_assert_msg(!strncmp(got, want.buf, want.len) &&
			      strchr(got, '\n') == got + strlen(got) - 1,
		      "%s: '%s', not '%s...'", c->what, got, want.buf);
	strbuf_free(&want);
}
END_TEST

START_TEST(test_messages)
{
	/* {match} filled in; a replacement is shown, a deletion said. */
	start(place_rules);
	static const struct unit_edit edits[UNIT_MAX_EDITS] = {
		{ NULL, "text: 能检查车辆", "text: 能甲辛卯" },
	};
	struct checked k = check(UNIT_MINIMAL, edits);
	struct strbuf want = { 0 };
	finding(&want, k.buf, "甲辛", "XT001", "'甲' marked; write '乙'");
	finding(&want, k.buf, "辛卯", "XT008", "'辛' seen");
	finding(&want, k.buf, "卯", "XT009", "'卯' gone; delete it");
	ck_assert_str_eq(findings(k.diag), want.buf);
	strbuf_free(&want);
}
END_TEST

START_TEST(test_edit_order)
{
	/* Several texts, two matches in one: the edits in source order,
	 * each in the node it was found in. */
	start(place_rules);
	static const struct unit_edit edits[UNIT_MAX_EDITS] = {
		{ NULL, "name: 示例职业", "name: 示例甲职业" },
		{ NULL, "text: 能检查车辆", "text: 甲能检查车辆甲" },
		{ NULL, "text: 车辆检查项目", "text: \"车辆检查项目甲\"" },
	};
	struct checked k = check(UNIT_MINIMAL, edits);
	const struct edit *mine[8];
	size_t n = 0;
	for (size_t i = 0; i < k.nedits; i++)
		if (!strcmp(k.edits[i].def->id.s, "XT001")) {
			ck_assert_uint_lt(n, 8);
			mine[n++] = &k.edits[i];
		}
	ck_assert_uint_eq(n, 4);
	const char *p = k.buf;
	for (size_t i = 0; i < n; i++) {
		p = strstr(p, "甲");
		ck_assert_ptr_eq(mine[i]->start, p);
		ck_assert_str_eq(mine[i]->with, "乙");
		p += 3;
	}
	ck_assert_ptr_eq(mine[1]->text, mine[2]->text);
	ck_assert_ptr_ne(mine[0]->text, mine[1]->text);
	ck_assert_ptr_ne(mine[2]->text, mine[3]->text);
	ck_assert_uint_eq(mine[1]->vstart, 0);
	ck_assert_uint_eq(mine[2]->vstart, strlen("甲能检查车辆"));
	ck_assert_str_eq(mine[3]->text->s, "车辆检查项目甲");
}
END_TEST

/* Settings that take a rule out of force: nothing reported, no edit. */
static const struct setting off_settings[] = {
	{ .name = "XT001", .sev = SEV_OFF },
	{ .name = "mark", .sev = SEV_OFF },
};

START_TEST(test_off)
{
	opt.settings = &off_settings[_i];
	opt.nsettings = 1;
	start(place_rules);
	static const struct unit_edit edits[UNIT_MAX_EDITS] = {
		{ NULL, "text: 能检查车辆", "text: 能检查甲车辆" },
	};
	struct checked k = check(UNIT_MINIMAL, edits);
	ck_assert_uint_eq(
		diag_rule_count(k.diag, diag_find_rule(k.diag, "XT001")), 0);
	for (size_t i = 0; i < k.nedits; i++)
		ck_assert_str_ne(k.edits[i].def->id.s, "XT001");
	ck_assert_str_eq(findings(k.diag), "");
}
END_TEST

START_TEST(test_no_edits_asked)
{
	/* edits NULL: the findings, and nothing collected. */
	start(place_rules);
	static const struct unit_edit edits[UNIT_MAX_EDITS] = {
		{ NULL, "text: 能检查车辆", "text: 能检查甲车辆" },
	};
	size_t len;
	char *buf = unit_apply(arena, unit_read(arena, UNIT_MINIMAL, &len),
			       edits, &len);
	struct diag *d = diag_clone(arena, pipeline_diag(run));
	const struct standard *s = model_build(
		arena, d, "s.yaml", load_buffer(arena, d, "s.yaml", buf, len));
	ck_assert_ptr_nonnull(s);
	size_t n = 99;
	check_text(pipeline_rules(run), s, d, arena, NULL, &n);
	ck_assert_uint_eq(n, 99);
	ck_assert_uint_eq(diag_rule_count(d, diag_find_rule(d, "XT001")), 1);
}
END_TEST

/* ---- consistency ---------------------------------------------------------
 */

static const char ending_rules[] =
	"  - {id: XT010, name: ending, severity: warning, summary: s,\n"
	"     fields: [skills, knowledge], consistent: true,\n"
	"     pattern: '([。；！])$',\n"
	"     message: 'ends with {match}, most of {table} with {majority}'}\n";

/* The skills of minimal.yaml's one work content: its one skill item
 * replaced by these. */
#define SKILLS_OF(a, b, c)                                                     \
	"- id: \"1.1.1\"\n"                                                    \
	"                  text: " a "\n"                                      \
	"                - id: \"1.1.2\"\n"                                    \
	"                  text: " b "\n"                                      \
	"                - id: \"1.1.3\"\n"                                    \
	"                  text: " c "\n"

static const struct ending_case {
	const char *what;
	const char *skills, *knowledge;
	/* the findings: where (the first occurrence of at, skip bytes on),
	 * what it ends with and the majority */
	struct {
		const char *at;
		size_t skip;
		const char *msg;
	} want[2];
} ending_cases[] = {
	{ "all agree",
	  SKILLS_OF("能甲。", "能乙。", "能丙。"),
	  "车辆检查项目。",
	  { { 0 } } },
	{ "one differs",
	  SKILLS_OF("能甲。", "能乙；", "能丙。"),
	  "车辆检查项目。",
	  { { "能乙；", 6, "ends with '；', most of 表1 with '。'" } } },
	{ "none is a value",
	  SKILLS_OF("能甲", "能乙", "能丙！"),
	  "车辆检查项目",
	  { { "能丙！", 6, "ends with '！', most of 表1 with nothing" } } },
	/* Just after the text that has no match. */
	{ "nothing differs",
	  SKILLS_OF("能甲。", "能乙。", "能丙"),
	  "车辆检查项目。",
	  { { "能丙", 6, "ends with nothing, most of 表1 with '。'" } } },
	{ "two and two",
	  SKILLS_OF("能甲；", "能乙；", "能丙。"),
	  "车辆检查项目。",
	  { { "能丙。", 6, "ends with '。', most of 表1 with '；'" },
	    { "车辆检查项目。", 18,
	      "ends with '。', most of 表1 with '；'" } } },
};

START_TEST(test_consistent)
{
	const struct ending_case *c = &ending_cases[_i];
	start(ending_rules);
	struct strbuf text = { 0 };
	strbuf_addf(&text, "text: %s", c->knowledge);
	const struct unit_edit edits[UNIT_MAX_EDITS] = {
		{ NULL, "- id: \"1.1.1\"\n                  text: 能检查车辆\n",
		  c->skills },
		{ "knowledge:", "text: 车辆检查项目", text.buf },
	};
	struct checked k = check(UNIT_MINIMAL, edits);
	struct strbuf want = { 0 };
	strbuf_adds(&want, "");
	for (size_t i = 0; i < 2 && c->want[i].at; i++)
		finding_at(&want, k.buf, c->want[i].at, c->want[i].skip,
			   "XT010", c->want[i].msg);
	ck_assert_str_eq(findings(k.diag), want.buf);
	/* A consistency rule proposes no edit. */
	for (size_t i = 0; i < k.nedits; i++)
		ck_assert_str_ne(k.edits[i].def->id.s, "XT010");
	strbuf_free(&want);
	strbuf_free(&text);
}
END_TEST

/* A second level, l4, with a table of its own: the majority is each
 * table's. The checks would object to this standard; check_text reads
 * its texts all the same. */
static const struct unit_edit two_tables[UNIT_MAX_EDITS] = {
	{ NULL, "    name: 五级/初级工\n",
	  "    name: 五级/初级工\n"
	  "  - {key: l4, name: 四级/中级工, includes: l5}\n" },
	{ NULL,
	  "text: 能检查车辆\n"
	  "              knowledge:\n"
	  "                - id: \"1.1.1\"\n"
	  "                  text: 车辆检查项目\n",
	  "text: 能检查车辆。\n"
	  "              knowledge:\n"
	  "                - id: \"1.1.1\"\n"
	  "                  text: 车辆检查项目。\n" },
	{ "\nweights:\n", "\nweights:\n",
	  "\n    - level: l4\n"
	  "      clause: \"6.3\"\n"
	  "      title: 四级/中级工\n"
	  "      intro: 四级/中级工工作要求见表9。\n"
	  "      number: 表9\n"
	  "      caption: 四级/中级工工作要求\n"
	  "      header: [职业功能, 工作内容, 技能要求, 相关知识要求]\n"
	  "      capabilities:\n"
	  "        - id: \"1\"\n"
	  "          name: 作业准备\n"
	  "          contents:\n"
	  "            - key: tyres\n"
	  "              id: \"1.1\"\n"
	  "              name: 轮胎检查\n"
	  "              skills:\n"
	  "                - {id: \"1.1.1\", text: 能检查轮胎；}\n"
	  "                - {id: \"1.1.2\", text: 能更换轮胎。}\n"
	  "              knowledge:\n"
	  "                - {id: \"1.1.1\", text: 轮胎结构；}\n"
	  "\nweights:\n" },
};

START_TEST(test_consistent_per_table)
{
	/* 表1: 。 twice; 表9: ； twice, 。 once. Over both tables 。 would
	 * be the majority. */
	start(ending_rules);
	struct checked k = check(UNIT_MINIMAL, two_tables);
	struct strbuf want = { 0 };
	finding_at(&want, k.buf, "能更换轮胎。", 15, "XT010",
		   "ends with '。', most of 表9 with '；'");
	ck_assert_str_eq(findings(k.diag), want.buf);
	strbuf_free(&want);
}
END_TEST

START_TEST(test_consistent_tables_only)
{
	/* Texts outside the work tables are never compared. */
	start("  - {id: XT011, name: ending-all, severity: warning, summary: "
	      "s,\n"
	      "     fields: [all], consistent: true, pattern: '(。)$',\n"
	      "     message: 'ends with {match}, most with {majority}'}\n");
	static const struct unit_edit edits[UNIT_MAX_EDITS] = {
		{ NULL, "name: 示例职业", "name: 示例职业。" },
		{ NULL, "text: 室内，常温。", "text: 室内，常温" },
	};
	struct checked k = check(UNIT_MINIMAL, edits);
	/* Outside the tables, the occupation's name alone ends with 。; in
	 * 表1 no text does. */
	ck_assert_str_eq(findings(k.diag), "");
}
END_TEST

/* ---- levels --------------------------------------------------------------
 */

/* A rule on the start of every skill item, restricted as restrict says;
 * which levels' (by rank) items it reads. */
static const struct level_case {
	const char *restrict_;
	unsigned ranks; /* bit r: the level of rank r */
} level_cases[] = {
	{ "", 0x1f },
	{ "levels: [l4], ", 1u << 1 },
	{ "levels: [l5, l1], ", 1u << 0 | 1u << 4 },
	{ "min_rank: 0, ", 0x1f },
	{ "min_rank: 1, ", 0x1e },
	{ "min_rank: 3, ", 1u << 3 | 1u << 4 },
	{ "min_rank: 4, ", 1u << 4 },
	{ "min_rank: 5, ", 0 },
	{ "levels: [l3], min_rank: 3, ", 0 },
	{ "levels: [l1, l3], min_rank: 3, ", 1u << 4 },
};

START_TEST(test_levels)
{
	const struct level_case *c = &level_cases[_i];
	struct strbuf rules = { 0 };
	strbuf_addf(
		&rules,
		"  - {id: XT020, name: start, severity: warning, summary: s,\n"
		"     fields: [skills], %spattern: '\\A', message: m}\n",
		c->restrict_);
	start(rules.buf);
	strbuf_free(&rules);
	struct checked k = check(UNIT_FIVE, NULL);
	ck_assert_uint_eq(k.std->n_levels, 5);
	size_t want = 0;
	for (size_t t = 0; t < k.std->work_requirements.n_tables; t++) {
		const struct work_table *wt =
			&k.std->work_requirements.tables[t];
		for (size_t i = 0; i < wt->n_contents; i++)
			if (c->ranks & 1u << wt->level->index)
				want += wt->contents[i]->n_skills;
	}
	if (c->ranks)
		ck_assert_uint_gt(want, 0);
	int r = diag_find_rule(k.diag, "XT020");
	ck_assert_uint_eq(
		unit_explain(k.diag, want, diag_rule_count(k.diag, r)), want);
	ck_assert_uint_eq(diag_errors(k.diag), 0);
}
END_TEST

/* Marks in the occupation's name, in 表1's intro (outside the items) and
 * in a skill item of l5: a rule restricted to levels reads the item
 * alone. */
static const struct unit_edit marks[UNIT_MAX_EDITS] = {
	{ NULL, "name: 叉车司机", "name: 叉车甲司机" },
	{ NULL, "intro: 五级/初级工工作要求见表1。",
	  "intro: 五级/初级工工作要求见表1甲。" },
	{ NULL, "text: 能按点检表", "text: 能甲按点检表" },
};

static const struct mark_case {
	const char *restrict_;
	size_t want; /* findings */
} mark_cases[] = {
	{ "", 3 },
	{ "levels: [l5], ", 1 },
	{ "min_rank: 0, ", 1 },
	{ "levels: [l4], ", 0 },
};

START_TEST(test_levels_items_only)
{
	const struct mark_case *c = &mark_cases[_i];
	struct strbuf rules = { 0 };
	strbuf_addf(
		&rules,
		"  - {id: XT021, name: mark, severity: warning, summary: s,\n"
		"     fields: [all], %spattern: '甲', message: m}\n",
		c->restrict_);
	start(rules.buf);
	strbuf_free(&rules);
	struct checked k = check(UNIT_FIVE, marks);
	int r = diag_find_rule(k.diag, "XT021");
	ck_assert_uint_eq(
		unit_explain(k.diag, c->want, diag_rule_count(k.diag, r)),
		c->want);
	if (c->want == 1) {
		struct strbuf want = { 0 };
		finding(&want, k.buf, "甲按点检表", "XT021", "m");
		ck_assert_str_eq(findings(k.diag), want.buf);
		strbuf_free(&want);
	}
}
END_TEST

START_TEST(test_unknown_level)
{
	/* A level the standard does not have: an error where the rule
	 * names it, and the rule reads nothing. */
	start("  - id: XT022\n"
	      "    name: nowhere\n"
	      "    severity: warning\n"
	      "    summary: s\n"
	      "    fields: [skills]\n"
	      "    levels: [l9]\n"
	      "    pattern: '\\A'\n"
	      "    message: m\n");
	struct checked k = check(UNIT_MINIMAL, NULL);
	ck_assert_uint_eq(diag_rule_count(k.diag, RULE_TEXT_RULE), 1);
	ck_assert_uint_eq(
		diag_rule_count(k.diag, diag_find_rule(k.diag, "XT022")), 0);
	findings(k.diag);
	struct strbuf want = { 0 };
	strbuf_addf(
		&want,
		"%s:8:14: error: rule 'nowhere' names level 'l9', which s.yaml does not have [SK0019 text-rule]\n",
		rules_path);
	ck_assert_ptr_nonnull(strstr(printed, want.buf));
	strbuf_free(&want);
}
END_TEST

#define N(a) (sizeof a / sizeof *a)

static Suite *
check_text_suite(void)
{
	Suite *s = suite_create("check_text");
	TCase *tc = tcase_create("places");
	tcase_add_unchecked_fixture(tc, make_scratch, remove_scratch);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_place, 0, N(place_cases));
	tcase_add_test(tc, test_messages);
	tcase_add_test(tc, test_edit_order);
	tcase_add_loop_test(tc, test_off, 0, N(off_settings));
	tcase_add_test(tc, test_no_edits_asked);
	suite_add_tcase(s, tc);

	tc = tcase_create("consistency");
	tcase_add_unchecked_fixture(tc, make_scratch, remove_scratch);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_consistent, 0, N(ending_cases));
	tcase_add_test(tc, test_consistent_per_table);
	tcase_add_test(tc, test_consistent_tables_only);
	suite_add_tcase(s, tc);

	tc = tcase_create("levels");
	tcase_add_unchecked_fixture(tc, make_scratch, remove_scratch);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_levels, 0, N(level_cases));
	tcase_add_loop_test(tc, test_levels_items_only, 0, N(mark_cases));
	tcase_add_test(tc, test_unknown_level);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(check_text_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
