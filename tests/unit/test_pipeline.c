/*
 * test_pipeline.c - the passes in their order (pipeline.c), --format's
 * list (build.c) and fix's rounds in memory (fix.c), over buffers.
 *
 * A run knows checks.def's rules and the shipped text rules; a -W name no
 * rule of the run has is refused before any standard is read, with the
 * nearest name, and so is one of an input rule; the options apply in
 * their order, then -Werror and -w, as GCC's do. Each pass runs only
 * on what the one before built, and the C names only come when there are
 * no errors. What a standard brings (its own rules, terms, severities)
 * holds for it alone and dies with it. Edits are collected only when
 * asked for; fix_text makes them, quotes a plain scalar whose type would
 * change, and refuses rules that never settle.
 */
#include "skillc.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#define ZWSP "\xe2\x80\x8b" /* U+200B, which invisible-char deletes */

static struct arena *arena;
static struct run_options opt;
static struct run *run;

static void
setup(void)
{
	arena = arena_new();
	opt = (struct run_options){ 0 };
	run = NULL;
}

static void
teardown(void)
{
	arena_free(arena); /* and the run with it */
	arena = NULL;
}

static struct run *
new_run(void)
{
	run = pipeline_new(arena, &opt);
	ck_assert_ptr_nonnull(run);
	return run;
}

/* minimal.yaml with edits (NULL: none), as a unit of arena a. */
static struct unit
unit_of(struct arena *a, const struct unit_edit *edits)
{
	size_t len;
	char *buf = unit_read(a, UNIT_MINIMAL, &len);
	if (edits)
		buf = unit_apply(a, buf, edits, &len);
	return (struct unit){ .path = "minimal.yaml", .buf = buf, .len = len };
}

/* Findings of the rule named name in u (0 if u's diag does not know it). */
static size_t
count(const struct unit *u, const char *name)
{
	int r = diag_find_rule(u->diag, name);
	return r < 0 ? 0 : diag_rule_count(u->diag, r);
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

/* ---- a run ---------------------------------------------------------------
 */

START_TEST(test_new)
{
	/* No rules files: checks.def's rules, numbered as enum rule, then
	 * the shipped text rules, each compiled and registered. */
	const struct diag *d = pipeline_diag(new_run());
	ck_assert_uint_gt(diag_rule_total(d), RULE_COUNT);
	for (int r = 0; r < RULE_COUNT; r++) {
		ck_assert_int_eq(diag_find_rule(d, rule_table[r].id), r);
		ck_assert_int_eq(diag_find_rule(d, rule_table[r].name), r);
	}
	size_t n;
	const struct prepared *p = rules_list(pipeline_rules(run), &n);
	ck_assert_uint_eq(n, diag_rule_total(d) - RULE_COUNT);
	for (size_t i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(p[i].rx);
		ck_assert_int_ge(p[i].rule, RULE_COUNT);
		ck_assert_str_eq(diag_rule(d, p[i].rule)->id, p[i].def->id.s);
	}
	int r = diag_find_rule(d, "invisible-char");
	ck_assert_int_ge(r, RULE_COUNT);
	ck_assert_str_eq(diag_rule(d, r)->id, "SK1001");
	ck_assert_int_eq(diag_severity(d, r), SEV_ERROR);
	ck_assert_ptr_null(pipeline_unknown_setting(run));
}
END_TEST

/* -W, -Wno-, -E: what pipeline_new makes of one setting. A name no rule
 * of the run has, or one of an input rule, gives no run: refused before
 * any standard is read. */
static const struct setting_case {
	struct setting set;
	bool ok;	     /* pipeline_new gives a run */
	enum severity after; /* the rule's severity in the run */
} setting_cases[] = {
	{ { .name = "weight-sum", .sev = SEV_WARNING }, true, SEV_WARNING },
	{ { .name = "SK0102", .sev = SEV_ERROR }, true, SEV_ERROR },
	{ { .name = "invisible-char", .sev = SEV_OFF }, true, SEV_OFF },
	{ { .name = "SK1002", .sev = SEV_ERROR }, true, SEV_ERROR },
	{ { .name = "no-such-rule", .sev = SEV_OFF }, false, SEV_OFF },
	{ { .name = "SK9999", .sev = SEV_ERROR }, false, SEV_OFF },
	{ { .name = "weigth-sum", .keep_warning = true }, false, SEV_OFF },
	{ { .name = "duplicate-key", .sev = SEV_OFF }, false, SEV_OFF },
	{ { .name = "SK0001", .sev = SEV_WARNING }, false, SEV_OFF },
	{ { .name = "yaml-syntax", .keep_warning = true }, false, SEV_OFF },
};

START_TEST(test_setting)
{
	const struct setting_case *c = &setting_cases[_i];
	opt.settings = &c->set;
	opt.nsettings = 1;
	run = pipeline_new(arena, &opt);
	ck_assert_msg((run != NULL) == c->ok, "%s: pipeline_new %s",
		      c->set.name, run ? "gave a run" : "failed");
	if (!run)
		return;
	ck_assert_ptr_null(pipeline_unknown_setting(run));
	const struct diag *d = pipeline_diag(run);
	ck_assert_int_eq(diag_severity(d, diag_find_rule(d, c->set.name)),
			 c->after);
}
END_TEST

/* The severity options in their order, then -Werror and -w, as GCC
 * orders them: what a report under the rule becomes (SEV_OFF: not
 * reported). weight-label is a warning by default, weight-sum an error. */
static const struct precedence_case {
	const char *options, *rule;
	enum severity want;
} precedence_cases[] = {
	{ "", "weight-label", SEV_WARNING },
	{ "-Werror", "weight-label", SEV_ERROR },
	{ "-Wno-error=weight-label -Werror", "weight-label", SEV_WARNING },
	{ "-Werror -Wno-error=SK0108", "weight-label", SEV_WARNING },
	{ "-Wno-error=weight-sum", "weight-sum", SEV_WARNING },
	{ "-Wno-error=weight-sum -Werror", "weight-sum", SEV_WARNING },
	{ "-Wno-error=weight-label -Werror=weight-label -Werror",
	  "weight-label", SEV_ERROR },
	{ "-Werror=weight-label -Wno-error=weight-label -Werror",
	  "weight-label", SEV_WARNING },
	{ "-Wno-error=weight-label -E weight-label -W weight-label -Werror",
	  "weight-label", SEV_ERROR },
	{ "-Wno-error=weight-sum -W weight-sum -Werror", "weight-sum",
	  SEV_WARNING },
	{ "-Wno-weight-label -Wno-error=weight-label -Werror", "weight-label",
	  SEV_OFF },
	{ "-Wno-weight-label -W weight-label", "weight-label", SEV_WARNING },
	{ "-W weight-label -Wno-weight-label", "weight-label", SEV_OFF },
	{ "-w", "weight-label", SEV_OFF },
	{ "-w -Werror", "weight-label", SEV_OFF },
	{ "-w -Werror", "weight-sum", SEV_ERROR },
	{ "-w -E weight-label", "weight-label", SEV_ERROR },
	{ "-w -W weight-sum -Werror", "weight-sum", SEV_OFF },
	{ "-w -Wno-error=weight-sum -Werror", "weight-sum", SEV_OFF },
	{ "-Werror=latin-word", "latin-word", SEV_ERROR },
};

/* The options of a case as main.c reads them, into opt. */
static void
options_of(const char *options, struct setting *set, size_t max)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", options);
	opt.settings = set;
	opt.nsettings = 0;
	char *save = NULL;
	for (char *w = strtok_r(buf, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		ck_assert_uint_lt(opt.nsettings, max);
		struct setting *s = &set[opt.nsettings];
		const char *name = NULL;
		if (!strcmp(w, "-Werror"))
			opt.werror = true;
		else if (!strcmp(w, "-w"))
			opt.no_warnings = true;
		else if (!strncmp(w, "-Wno-error=", 11))
			name = w + 11, s->keep_warning = true;
		else if (!strncmp(w, "-Werror=", 8))
			name = w + 8, s->sev = SEV_ERROR;
		else if (!strncmp(w, "-Wno-", 5))
			name = w + 5, s->sev = SEV_OFF;
		else if (!strcmp(w, "-W") || !strcmp(w, "-E")) {
			s->sev = w[1] == 'W' ? SEV_WARNING : SEV_ERROR;
			name = strtok_r(NULL, " ", &save);
		} else
			ck_abort_msg("%s: not an option of these cases", w);
		if (name)
			s->name = arena_strndup(arena, name, strlen(name)),
			opt.nsettings++;
	}
}

START_TEST(test_precedence)
{
	const struct precedence_case *c = &precedence_cases[_i];
	struct setting set[8] = { { 0 } };
	options_of(c->options, set, 8);
	new_run();
	/* as a standard's diag reports: a clone of the run's */
	struct diag *d = diag_clone(arena, pipeline_diag(run));
	diag_report(d, diag_find_rule(d, c->rule), (struct loc){ "f", 1, 1 },
		    "m");
	ck_assert_msg(diag_errors(d) == (c->want == SEV_ERROR) &&
			      diag_warnings(d) == (c->want == SEV_WARNING),
		      "%s (%s): %zu errors, %zu warnings", c->options, c->rule,
		      diag_errors(d), diag_warnings(d));
}
END_TEST

/* Did-you-mean over the run's rules: names and IDs, text rules too. */
static const struct nearest_case {
	const char *name, *want; /* want NULL: none near enough */
} nearest_cases[] = {
	{ "weigth-sum", "weight-sum" },
	{ "weight-sums", "weight-sum" },
	{ "SK0180", "SK0108" },
	{ "sk1003", "SK1003" },
	{ "latin-wrd", "latin-word" },
	{ "SK9999", NULL },
	{ "tc0001", NULL },
	{ "nonsense", NULL },
	{ "x", NULL },
};

START_TEST(test_nearest)
{
	const struct nearest_case *c = &nearest_cases[_i];
	const char *got = diag_nearest_rule(pipeline_diag(new_run()), c->name);
	if (c->want)
		ck_assert_pstr_eq(got, c->want);
	else
		ck_assert_msg(!got, "%s: %s", c->name, got);
}
END_TEST

START_TEST(test_missing_rules_file)
{
	static const char *const files[] = { "/nonexistent/skillc/r.yaml" };
	opt.rules_files = files;
	opt.nrules_files = 1;
	ck_assert_ptr_null(pipeline_new(arena, &opt));
}
END_TEST

/* ---- the passes ----------------------------------------------------------
 */

static const struct unit_edit syntax_edits[UNIT_MAX_EDITS] = {
	{ NULL, "skillc: 1\n", "skillc: [1\n" },
};
static const struct unit_edit model_edits[UNIT_MAX_EDITS] = {
	{ NULL, "id: minimal\n", "" },
};
static const struct unit_edit check_edits[UNIT_MAX_EDITS] = {
	{ "kind: theory", "weights: [100]", "weights: [90]" },
};
static const struct unit_edit warning_edits[UNIT_MAX_EDITS] = {
	{ NULL, "text: 能检查车辆", "text: 能检查(车辆)" },
};

/* What each pass built, and the rule that stopped the next; root: the
 * file loads (a tree is made only for fix, PIPE_EDITS). */
static const struct passes_case {
	const char *what;
	const struct unit_edit *edits;
	bool ok, root, std, names;
	int rule; /* -1: none */
	size_t warnings;
} passes_cases[] = {
	{ "minimal", NULL, true, true, true, true, -1, 0 },
	{ "YAML syntax", syntax_edits, false, false, false, false,
	  RULE_YAML_SYNTAX, 0 },
	{ "no id", model_edits, false, true, false, false, RULE_MISSING_KEY,
	  0 },
	{ "weight sum", check_edits, false, true, true, false, RULE_WEIGHT_SUM,
	  1 /* weight-total */ },
	{ "warnings only", warning_edits, true, true, true, true, -1, 2 },
};

START_TEST(test_passes)
{
	const struct passes_case *c = &passes_cases[_i];
	new_run();
	for (unsigned want = 0; want <= PIPE_NAMES; want += PIPE_NAMES) {
		struct unit u = unit_of(arena, c->edits);
		bool ok = pipeline_passes(run, arena, &u, want);
		if (ok != c->ok)
			diag_flush(u.diag, stderr, false);
		ck_assert_msg(ok == c->ok, "%s: %s", c->what,
			      ok ? "passed" : "failed");
		ck_assert_ptr_null(u.root);
		ck_assert((u.std != NULL) == c->std);
		ck_assert((u.names != NULL) == c->names);
		ck_assert_ptr_null(u.edits);
		ck_assert_uint_eq(u.nedits, 0);
		ck_assert_uint_eq(diag_errors(u.diag) == 0, c->ok);
		if (c->rule >= 0)
			ck_assert_uint_gt(diag_rule_count(u.diag, c->rule), 0);
		ck_assert_uint_eq(unit_explain(u.diag, c->warnings,
					       diag_warnings(u.diag)),
				  c->warnings);
		if (c->std)
			ck_assert_str_eq(u.std->id.s, "minimal");
	}
}
END_TEST

/* The tree, for fix and for comments that silence findings: made where
 * the file loads, and the passes the same as without it. */
START_TEST(test_passes_tree)
{
	const struct passes_case *c = &passes_cases[_i / 2];
	static const struct unit_edit comment[UNIT_MAX_EDITS] = {
		{ NULL, "skillc: 1\n", "skillc: 1 # skillc-ignore: SK0204\n" },
	};
	new_run();
	bool fix = _i % 2 == 0;
	struct unit u = unit_of(arena, c->edits);
	if (!fix && c->edits != syntax_edits) {
		size_t len;
		u.buf = unit_apply(arena, u.buf, comment, &len);
		u.len = len;
	}
	if (!fix && c->edits == syntax_edits)
		return; /* the comment's line is the broken one */
	bool ok = pipeline_passes(run, arena, &u, fix ? PIPE_EDITS : 0);
	ck_assert_msg(ok == c->ok, "%s: %s", c->what, ok ? "passed" : "failed");
	ck_assert((u.root != NULL) == c->root);
	ck_assert((u.std != NULL) == c->std);
	if (c->rule >= 0)
		ck_assert_uint_gt(diag_rule_count(u.diag, c->rule), 0);
}
END_TEST

/* A standard's own text rules, appended to minimal.yaml. */
#define OWN_RULE(id, name, pattern, replacement)                               \
	"text_rules:\n"                                                        \
	"  rules:\n"                                                           \
	"    - id: " id "\n"                                                   \
	"      name: " name "\n"                                               \
	"      severity: warning\n"                                            \
	"      summary: a rule of the standard's own\n"                        \
	"      fields: [all]\n"                                                \
	"      pattern: '" pattern "'\n"                                       \
	"      message: \"{match} found\"\n" replacement

#define LAST_LINE "            weights: [100]\n"

static const struct unit_edit own_a[UNIT_MAX_EDITS] = {
	{ "kind: skills", "total:\n            label: 合计\n" LAST_LINE,
	  "total:\n            label: 合计\n" LAST_LINE OWN_RULE(
		  "X0001", "rule-a", "车辆", "") },
};
static const struct unit_edit own_b[UNIT_MAX_EDITS] = {
	{ "kind: skills", "total:\n            label: 合计\n" LAST_LINE,
	  "total:\n            label: 合计\n" LAST_LINE OWN_RULE(
		  "X0001", "rule-b", "检查项目", "") },
};

START_TEST(test_own_rules_die)
{
	/* Unit A's rule X0001 reports in A; B, in an arena of its own
	 * after A's is gone, and the run never know it. */
	new_run();
	size_t global;
	rules_list(pipeline_rules(run), &global);
	struct arena *ua = arena_new();
	struct unit a = unit_of(ua, own_a);
	ck_assert(pipeline_passes(run, ua, &a, 0));
	ck_assert_uint_eq(count(&a, "X0001"), 5);
	ck_assert_uint_eq(count(&a, "rule-a"), 5);
	ck_assert_int_lt(diag_find_rule(pipeline_diag(run), "X0001"), 0);
	size_t n;
	rules_list(pipeline_rules(run), &n);
	ck_assert_uint_eq(n, global);
	arena_free(ua);

	struct arena *ub = arena_new();
	struct unit b = unit_of(ub, NULL);
	ck_assert(pipeline_passes(run, ub, &b, 0));
	ck_assert_int_lt(diag_find_rule(b.diag, "X0001"), 0);
	ck_assert_int_lt(diag_find_rule(b.diag, "rule-a"), 0);
	ck_assert_uint_eq(diag_warnings(b.diag), 0);
	arena_free(ub);
}
END_TEST

START_TEST(test_same_id_two_rules)
{
	/* A and B give X0001 to different rules: each unit has its own;
	 * _i == 1 puts both units in the run's arena. */
	new_run();
	struct arena *ua = _i ? arena : arena_new();
	struct unit a = unit_of(ua, own_a);
	ck_assert(pipeline_passes(run, ua, &a, 0));
	struct arena *ub = _i ? arena : arena_new();
	struct unit b = unit_of(ub, own_b);
	bool ok = pipeline_passes(run, ub, &b, 0);
	if (!ok)
		diag_flush(b.diag, stderr, false);
	ck_assert(ok);
	ck_assert_str_eq(
		diag_rule(a.diag, diag_find_rule(a.diag, "X0001"))->name,
		"rule-a");
	ck_assert_str_eq(
		diag_rule(b.diag, diag_find_rule(b.diag, "X0001"))->name,
		"rule-b");
	ck_assert_uint_eq(count(&a, "X0001"), 5);
	ck_assert_uint_eq(count(&b, "X0001"), 1);
	ck_assert_int_lt(diag_find_rule(b.diag, "rule-a"), 0);
	if (!_i) {
		arena_free(ua);
		arena_free(ub);
	}
}
END_TEST

/* Terms and severities of a standard hold for it, not for the next. */
static const struct unit_edit local_a[UNIT_MAX_EDITS] = {
	{ NULL, "text: 能检查车辆", "text: 能检查(Foo)车辆" },
	{ "kind: skills", "total:\n            label: 合计\n" LAST_LINE,
	  "total:\n            label: 合计\n" LAST_LINE "text_rules:\n"
	  "  terms: [Foo]\n"
	  "  severity:\n"
	  "    - {rule: halfwidth-punctuation, severity: off}\n" },
};
static const struct unit_edit local_b[UNIT_MAX_EDITS] = {
	{ NULL, "text: 能检查车辆", "text: 能检查(Foo)车辆" },
};

START_TEST(test_local_settings_die)
{
	new_run();
	struct arena *ua = arena_new();
	struct unit a = unit_of(ua, local_a);
	ck_assert(pipeline_passes(run, ua, &a, 0));
	ck_assert_uint_eq(unit_explain(a.diag, 0, diag_warnings(a.diag)), 0);
	arena_free(ua);
	struct arena *ub = arena_new();
	struct unit b = unit_of(ub, local_b);
	ck_assert(pipeline_passes(run, ub, &b, 0));
	ck_assert_uint_eq(count(&b, "latin-word"), 1);
	ck_assert_uint_eq(count(&b, "halfwidth-punctuation"), 2);
	arena_free(ub);
	ck_assert_int_eq(diag_severity(pipeline_diag(run),
				       diag_find_rule(pipeline_diag(run),
						      "halfwidth-punctuation")),
			 SEV_WARNING);
}
END_TEST

START_TEST(test_setting_own_rule)
{
	/* -E rule-a names a rule only a standard brings: no rule of the
	 * run, refused before any standard is read. The standard sets its
	 * own rules' severities. */
	static const struct setting set = { .name = "rule-a",
					    .sev = SEV_ERROR };
	opt.settings = &set;
	opt.nsettings = 1;
	ck_assert_ptr_null(pipeline_new(arena, &opt));
}
END_TEST

static const struct unit_edit local_error[UNIT_MAX_EDITS] = {
	{ NULL, "text: 能检查车辆", "text: 能检查(Foo)车辆" },
	{ "kind: skills", "total:\n            label: 合计\n" LAST_LINE,
	  "total:\n            label: 合计\n" LAST_LINE "text_rules:\n"
	  "  terms: [Foo]\n"
	  "  severity:\n"
	  "    - {rule: halfwidth-punctuation, severity: error}\n" },
};

START_TEST(test_setting_over_local)
{
	/* The options apply over a standard's own severities: its error is
	 * kept a warning by -Wno-error=, under -Werror too. */
	static const struct setting set = { .name = "halfwidth-punctuation",
					    .keep_warning = true };
	opt.settings = &set;
	opt.nsettings = 1;
	opt.werror = true;
	new_run();
	struct unit a = unit_of(arena, local_error);
	ck_assert(pipeline_passes(run, arena, &a, 0));
	ck_assert_uint_eq(count(&a, "halfwidth-punctuation"), 2);
	ck_assert_uint_eq(diag_warnings(a.diag), 2);
	ck_assert_uint_eq(diag_errors(a.diag), 0);
}
END_TEST

START_TEST(test_own_id_taken)
{
	/* A standard's rule may not take a shipped rule's ID. */
	static const struct unit_edit edits[UNIT_MAX_EDITS] = {
		{ "kind: skills", "total:\n            label: 合计\n" LAST_LINE,
		  "total:\n            label: 合计\n" LAST_LINE OWN_RULE(
			  "SK1001", "mine", "车辆", "") },
	};
	new_run();
	struct unit a = unit_of(arena, edits);
	ck_assert(!pipeline_passes(run, arena, &a, 0));
	ck_assert_uint_eq(diag_rule_count(a.diag, RULE_TEXT_RULE), 1);
	ck_assert_ptr_nonnull(a.std);
	ck_assert_ptr_null(a.names);
}
END_TEST

/* ---- edits ---------------------------------------------------------------
 */

static const struct unit_edit zwsp_edits[UNIT_MAX_EDITS] = {
	{ NULL, "text: 能检查车辆", "text: 能检查" ZWSP "车辆" },
};

START_TEST(test_edits)
{
	/* With PIPE_EDITS (_i == 1) the invisible character's deletion is
	 * collected; without, it is only reported. */
	new_run();
	struct unit u = unit_of(arena, zwsp_edits);
	ck_assert(!pipeline_passes(run, arena, &u, _i ? PIPE_EDITS : 0));
	ck_assert_uint_eq(count(&u, "invisible-char"), 1);
	ck_assert_uint_eq(diag_errors(u.diag), 1);
	if (!_i) {
		ck_assert_ptr_null(u.edits);
		ck_assert_uint_eq(u.nedits, 0);
		return;
	}
	ck_assert_uint_eq(u.nedits, 1);
	const struct edit *e = &u.edits[0];
	ck_assert_ptr_eq(e->start, strstr(u.buf, ZWSP));
	ck_assert_ptr_eq(e->end, e->start + 3);
	ck_assert_str_eq(e->with, "");
	ck_assert_uint_eq(e->value_len, 0);
	ck_assert_int_eq(e->rule, diag_find_rule(u.diag, "invisible-char"));
	ck_assert_str_eq(e->def->name.s, "invisible-char");
	ck_assert_str_eq(e->text->s, "能检查" ZWSP "车辆");
	ck_assert_uint_eq(e->vstart, strlen("能检查"));
	ck_assert_uint_eq(e->vend, strlen("能检查" ZWSP));
	struct loc at = loc_of(u.buf, e->start);
	ck_assert_uint_eq(e->at.line, at.line);
	ck_assert_uint_eq(e->at.col, at.col);
}
END_TEST

/* ---- --format ------------------------------------------------------------
 */

static const struct format_case {
	const char *list;
	bool ok;
	unsigned chosen; /* when ok */
	size_t rest;	 /* when not: where *list is left */
} format_cases[] = {
	{ "c,json,md", true, 7, 0 }, { "json", true, 2, 0 },
	{ "docx", true, 8, 0 },	     { "md,c", true, 5, 0 },
	{ "c,c", true, 1, 0 },	     { "", false, 0, 0 },
	{ "c,pdf", false, 0, 2 },    { "pdf,c", false, 0, 0 },
	{ "c,,md", false, 0, 2 },    { ",c", false, 0, 0 },
	{ "JSON", false, 0, 0 },     { "c,json ", false, 0, 2 },
	{ "cc", false, 0, 0 },	     { "c,j", false, 0, 2 },
};

START_TEST(test_formats)
{
	const struct format_case *c = &format_cases[_i];
	const char *list = c->list;
	unsigned chosen = 0xdead;
	bool ok = build_formats(&list, &chosen);
	ck_assert_msg(ok == c->ok, "'%s': %s", c->list,
		      ok ? "accepted" : "refused");
	if (ok) {
		ck_assert_uint_eq(chosen, c->chosen);
		ck_assert_ptr_eq(list, c->list);
	} else {
		ck_assert_ptr_eq(list, c->list + c->rest);
	}
}
END_TEST

static const struct names_case {
	const char *sep, *want;
} names_cases[] = {
	{ ", ", "c, json, md, docx" },
	{ ",", "c,json,md,docx" },
	{ "|", "c|json|md|docx" },
};

START_TEST(test_format_names)
{
	const struct names_case *c = &names_cases[_i];
	struct strbuf sb = { 0 };
	strbuf_adds(&sb, "formats: ");
	build_format_names(&sb, c->sep);
	ck_assert_str_eq(sb.buf + strlen("formats: "), c->want);
	/* Each name is one build_formats takes, alone. */
	unsigned all = 0;
	for (const char *p = sb.buf + strlen("formats: "); *p;) {
		size_t len = strcspn(p, c->sep);
		char *name = arena_strndup(arena, p, len);
		const char *list = name;
		unsigned one;
		ck_assert_msg(build_formats(&list, &one), "'%s'", name);
		ck_assert_uint_eq(all & one, 0);
		all |= one;
		p += len;
		if (*p)
			p += strlen(c->sep);
	}
	ck_assert_uint_eq(all, 15);
	strbuf_free(&sb);
}
END_TEST

/* ---- fix_text ------------------------------------------------------------
 */

/* minimal.yaml with edits through the passes with PIPE_EDITS, then fixed:
 * fix_text's status. rules (NULL: none) is the text of a rules file for
 * the run. */
static int
fix_with(const char *rules, const struct unit_edit *edits, struct unit *u,
	 struct fixed *out)
{
	static const char *files[1];
	if (rules) {
		char *name = arena_strndup(arena,
					   "/tmp/skillc-unit-rules-XXXXXX", 29);
		int fd = mkstemp(name);
		ck_assert_int_ge(fd, 0);
		size_t len = strlen(rules);
		bool written = write(fd, rules, len) == (ssize_t)len;
		close(fd);
		files[0] = name;
		opt.rules_files = files;
		opt.nrules_files = 1;
		run = pipeline_new(arena, &opt);
		unlink(name);
		ck_assert(written);
		ck_assert_ptr_nonnull(run);
	} else {
		new_run();
	}
	*u = unit_of(arena, edits);
	pipeline_passes(run, arena, u, PIPE_EDITS);
	ck_assert_ptr_nonnull(u->std);
	return fix_text(run, arena, u, out);
}

static int
fix(const struct unit_edit *edits, struct unit *u, struct fixed *out)
{
	return fix_with(NULL, edits, u, out);
}

/* The report line of a replacement at p in buf. */
static void
report_line(struct strbuf *sb, const char *buf, const char *p, size_t len,
	    const char *with, const char *rule)
{
	struct loc at = loc_of(buf, p);
	strbuf_addf(sb, "minimal.yaml:%u:%u: replaced '%.*s' with '%s' [%s]\n",
		    (unsigned)at.line, (unsigned)at.col, (int)len, p, with,
		    rule);
}

static const struct unit_edit fix_edits[UNIT_MAX_EDITS] = {
	{ NULL, "text: 能检查车辆", "text: 能检查" ZWSP "车辆" },
	{ NULL, "text: 车辆检查项目", "text: 车辆检查项目(基础)" },
};
static const struct unit_edit fixed_edits[UNIT_MAX_EDITS] = {
	{ NULL, "text: 车辆检查项目", "text: 车辆检查项目（基础）" },
};

START_TEST(test_fix)
{
	struct unit u;
	struct fixed out;
	ck_assert_int_eq(fix(fix_edits, &u, &out), 0);
	size_t len;
	const char *want = unit_apply(
		arena, unit_read(arena, UNIT_MINIMAL, &len), fixed_edits, &len);
	ck_assert_uint_eq(out.len, len);
	ck_assert(!memcmp(out.buf, want, len));
	ck_assert_uint_eq(out.total, 3);
	struct strbuf report = { 0 };
	const char *z = strstr(u.buf, ZWSP), *open = strstr(u.buf, "(基础)");
	report_line(&report, u.buf, z, 3, "", "SK1001 invisible-char");
	report_line(&report, u.buf, open, 1, "（",
		    "SK1005 halfwidth-punctuation");
	report_line(&report, u.buf, strstr(open, ")"), 1, "）",
		    "SK1005 halfwidth-punctuation");
	ck_assert_str_eq(out.report.buf, report.buf);
	strbuf_free(&report);
	strbuf_free(&out.report);
}
END_TEST

START_TEST(test_fix_nothing)
{
	struct unit u;
	struct fixed out;
	ck_assert_int_eq(fix(NULL, &u, &out), 0);
	ck_assert_ptr_eq(out.buf, u.buf);
	ck_assert_uint_eq(out.len, u.len);
	ck_assert_uint_eq(out.total, 0);
	ck_assert_uint_eq(out.report.len, 0);
	strbuf_free(&out.report);
}
END_TEST

START_TEST(test_fix_quotes)
{
	/* Deleting U+200B from the plain ye<U+200B>s would make a boolean:
	 * the scalar is written double-quoted, and the report says so. */
	static const struct unit_edit edits[UNIT_MAX_EDITS] = {
		{ NULL, "text: 能检查车辆", "text: ye" ZWSP "s" },
	};
	static const struct unit_edit want_edits[UNIT_MAX_EDITS] = {
		{ NULL, "text: 能检查车辆", "text: \"yes\"" },
	};
	struct unit u;
	struct fixed out;
	ck_assert_int_eq(fix(edits, &u, &out), 0);
	size_t len;
	const char *want = unit_apply(
		arena, unit_read(arena, UNIT_MINIMAL, &len), want_edits, &len);
	ck_assert_uint_eq(out.len, len);
	ck_assert(!memcmp(out.buf, want, len));
	ck_assert_uint_eq(out.total, 1);
	struct strbuf report = { 0 };
	const char *z = strstr(u.buf, ZWSP);
	report_line(&report, u.buf, z, 3, "", "SK1001 invisible-char");
	struct loc at = loc_of(u.buf, z - 2);
	strbuf_addf(
		&report,
		"minimal.yaml:%u:%u: quoted the text, so that YAML reads it as written\n",
		(unsigned)at.line, (unsigned)at.col);
	ck_assert_str_eq(out.report.buf, report.buf);
	strbuf_free(&report);
	strbuf_free(&out.report);
	/* The result reads as the text "yes". */
	struct diag *d = diag_new(arena);
	const struct node *root =
		load_buffer(arena, d, "fixed.yaml", out.buf, out.len);
	ck_assert_ptr_nonnull(root);
	const struct node *n = node_get(root, "work_requirements");
	n = node_get(&node_get(n, "tables")->items[0], "capabilities");
	n = node_get(&node_get(&n->items[0], "contents")->items[0], "skills");
	n = node_get(&n->items[0], "text");
	ck_assert_str_eq(n->text, "yes");
	ck_assert_int_eq(n->type, SCALAR_TEXT);
	ck_assert_int_eq(n->style, STYLE_DOUBLE);
}
END_TEST

/* Rules of a standard that fix must refuse: nothing is written. */
static const struct unit_edit grow_edits[UNIT_MAX_EDITS] = {
	{ "kind: skills", "total:\n            label: 合计\n" LAST_LINE,
	  "total:\n            label: 合计\n" LAST_LINE OWN_RULE(
		  "X0001", "grows", "车辆", "      replacement: 车辆车辆\n") },
};
#define RULE_BACK                                                              \
	"    - id: X0002\n"                                                    \
	"      name: back\n"                                                   \
	"      severity: warning\n"                                            \
	"      summary: s\n"                                                   \
	"      fields: [all]\n"                                                \
	"      pattern: '乙'\n"                                               \
	"      message: m\n"                                                   \
	"      replacement: 甲\n"

static const struct unit_edit undo_edits[UNIT_MAX_EDITS] = {
	{ NULL, "text: 能检查车辆", "text: 能检查甲" },
	{ "kind: skills", "total:\n            label: 合计\n" LAST_LINE,
	  "total:\n            label: 合计\n" LAST_LINE OWN_RULE(
		  "X0001", "there", "甲", "      replacement: 乙\n")
		  RULE_BACK },
};

static const struct faulty_case {
	const char *what;
	const char *rules; /* a rules file's text, or NULL */
	const struct unit_edit *edits;
	const char *says; /* in the report of the rule; NULL: see below */
} faulty_cases[] = {
	{ "grows",
	  "skillc_rules: 1\n"
	  "rules:\n"
	  "  - {id: X0001, name: grows, severity: warning, summary: s,\n"
	  "     fields: [all], pattern: '车辆', message: m,\n"
	  "     replacement: 车辆车辆}\n",
	  NULL,
	  "the replacement of rule 'grows' is matched by the rule again, so it would be applied without end" },
	{ "undone", NULL, undo_edits,
	  "the replacement of rule 'there' did not settle" },
	/* A standard's own rule that grows is refused too, but reported as
	 * rules that undo each other, once per match: fix.c compares the
	 * rules of two rounds by address, and each round builds the
	 * standard's own rules again (a defect, reported). */
	{ "grows, the standard's own", NULL, grow_edits, NULL },
};

START_TEST(test_fix_faulty)
{
	const struct faulty_case *c = &faulty_cases[_i];
	struct unit u;
	struct fixed out;
	ck_assert_int_eq(fix_with(c->rules, c->edits, &u, &out), 1);
	ck_assert_ptr_eq(out.buf, u.buf);
	ck_assert_uint_eq(out.len, u.len);
	ck_assert_uint_gt(diag_rule_count(u.diag, RULE_TEXT_RULE), 0);
	char *printed = NULL;
	size_t plen = 0;
	FILE *f = open_memstream(&printed, &plen);
	ck_assert_ptr_nonnull(f);
	diag_flush(u.diag, f, false);
	fclose(f);
	bool says = !c->says || strstr(printed, c->says) != NULL;
	if (!says)
		fputs(printed, stderr);
	free(printed);
	ck_assert_msg(says, "%s: no \"%s\"", c->what, c->says);
	strbuf_free(&out.report);
}
END_TEST

#define N(a) (sizeof a / sizeof *a)

static Suite *
pipeline_suite(void)
{
	Suite *s = suite_create("pipeline");
	TCase *tc = tcase_create("run");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_new);
	tcase_add_loop_test(tc, test_setting, 0, N(setting_cases));
	tcase_add_loop_test(tc, test_precedence, 0, N(precedence_cases));
	tcase_add_loop_test(tc, test_nearest, 0, N(nearest_cases));
	tcase_add_test(tc, test_missing_rules_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("passes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_passes, 0, N(passes_cases));
	tcase_add_loop_test(tc, test_passes_tree, 0, 2 * N(passes_cases));
	tcase_add_test(tc, test_own_rules_die);
	tcase_add_loop_test(tc, test_same_id_two_rules, 0, 2);
	tcase_add_test(tc, test_local_settings_die);
	tcase_add_test(tc, test_setting_own_rule);
	tcase_add_test(tc, test_setting_over_local);
	tcase_add_test(tc, test_own_id_taken);
	suite_add_tcase(s, tc);

	tc = tcase_create("edits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_edits, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("formats");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_formats, 0, N(format_cases));
	tcase_add_loop_test(tc, test_format_names, 0, N(names_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("fix");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fix);
	tcase_add_test(tc, test_fix_nothing);
	tcase_add_test(tc, test_fix_quotes);
	tcase_add_loop_test(tc, test_fix_faulty, 0, N(faulty_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(pipeline_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
