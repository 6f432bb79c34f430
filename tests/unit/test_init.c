/*
 * test_init.c - skillc init's skeletons and their templates (init.c), on
 * skeletons of the tests' own: every tag of the template, the variables
 * of the levels and of the run, the choice of levels, the id made of the
 * file's name, and every fault of a skeleton or its template reported.
 * What the built-in skeletons make, checked clean for every profile and
 * every choice of levels, is tests/init/check_init.py's.
 */
#include "skillc.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* A skeleton of three levels, the second without f; its template tmpl
 * (one line or more, each indented under `template: |`). */
static char *
skeleton(struct arena *a, const char *head, const char *tmpl)
{
	struct strbuf sb = { 0 };
	strbuf_adds(&sb, head ? head
			      : "skillc_skeleton: 1\n"
				"profile: p\n"
				"default: true\n"
				"levels:\n"
				"  - {key: a, name: 甲, f: \"true\", g: x}\n"
				"  - {key: b, name: 乙, g: \"false\"}\n"
				"  - {key: c, name: 丙, f: \"true\"}\n"
				"count_words: [一, 两, 三]\n");
	if (tmpl) {
		strbuf_adds(&sb, "template: |\n");
		for (const char *s = tmpl; *s;) {
			size_t len = strcspn(s, "\n");
			strbuf_adds(&sb, "  ");
			strbuf_add(&sb, s, len);
			strbuf_addc(&sb, '\n');
			s += len + (s[len] == '\n');
		}
	}
	char *out = arena_strndup(a, sb.buf, sb.len);
	strbuf_free(&sb);
	return out;
}

/* init_expand on the skeletons texts (the first named p.yaml, the next
 * q.yaml, ...); the status, the text in *out (arena), the errors in
 * *errors. */
static int
expand(struct arena *a, const char *const *texts, size_t n, const char *profile,
       const char *levels, const char *path, const char **out, size_t *errors)
{
	struct embedded_file *files = arena_array(a, n, sizeof *files);
	static const char *const names[] = { "p.yaml", "q.yaml", "r.yaml" };
	for (size_t i = 0; i < n; i++)
		files[i] =
			(struct embedded_file){ names[i],
						(const unsigned char *)texts[i],
						strlen(texts[i]), NULL };
	struct diag *d = diag_new(a);
	struct strbuf sb = { 0 };
	struct init_options o = { profile, levels, path };
	const char *file = NULL;
	int status = init_expand(a, d, files, n, &o, &sb, &file);
	*out = arena_strndup(a, sb.buf ? sb.buf : "", sb.len);
	*errors = diag_errors(d);
	strbuf_free(&sb);
	return status;
}

static const struct tmpl_case {
	const char *what, *tmpl, *levels, *path, *want;
} tmpl_cases[] = {
	{ "text as it is", "a: b # c\n", NULL, "x.yaml", "a: b # c\n" },
	{ "the run's variables", "{{id}} {{profile}} {{count}} {{count_word}}",
	  NULL, "dir/my-std.yaml", "my-std p 3 三\n" },
	{ "count_word of two", "{{count}}{{count_word}}", "2", "x.yaml",
	  "2两\n" },
	{ "each level", "{{#levels}}{{n}}{{key}}{{name}}{{lower}}|{{/levels}}",
	  NULL, "x.yaml", "1a甲|2b乙a|3c丙b|\n" },
	{ "lower_name", "{{#levels}}{{lower_name}},{{/levels}}", NULL, "x.yaml",
	  ",甲,乙,\n" },
	{ "a level's own variable",
	  "{{#levels}}{{#g}}{{key}}{{g}}{{/g}}{{/levels}}", NULL, "x.yaml",
	  "ax\n" },
	{ "first and last",
	  "[{{#levels}}{{key}}{{^last}}, {{/last}}{{/levels}}]", NULL, "x.yaml",
	  "[a, b, c]\n" },
	{ "first", "{{#levels}}{{^first}}、{{/first}}{{name}}{{/levels}}", NULL,
	  "x.yaml", "甲、乙、丙\n" },
	{ "levels.F: those with F",
	  "[{{#levels.f}}{{key}}{{^last}}, {{/last}}{{/levels.f}}]", NULL,
	  "x.yaml", "[a, c]\n" },
	{ "levels.F: last among them",
	  "[{{#levels.f}}{{key}}{{^last}}, {{/last}}{{/levels.f}}]", "a,b",
	  "x.yaml", "[a]\n" },
	{ "^levels.F: none has F", "{{^levels.f}}none{{/levels.f}}", "b",
	  "x.yaml", "none\n" },
	{ "any.F: some has", "{{#any.f}}yes{{/any.f}}{{^any.f}}no{{/any.f}}",
	  NULL, "x.yaml", "yes\n" },
	{ "any.F: none has", "{{#any.f}}yes{{/any.f}}{{^any.f}}no{{/any.f}}",
	  "b", "x.yaml", "no\n" },
	{ "a section alone on its line takes the line",
	  "x:\n{{#levels}}\n  - {{key}}\n{{/levels}}\ny", NULL, "x.yaml",
	  "x:\n  - a\n  - b\n  - c\ny\n" },
	{ "indented, alone on its line",
	  "x:\n  {{#levels}}\n  - {{key}}\n  {{/levels}}", "1", "x.yaml",
	  "x:\n  - a\n" },
	{ "a section with text on its line keeps the line",
	  "x {{#levels}}{{key}}{{/levels}} y", NULL, "x.yaml", "x abc y\n" },
	{ "a variable alone on its line keeps the line", "{{id}}\nz", NULL,
	  "x.yaml", "x\nz\n" },
	{ "the last line alone", "x\n{{#levels}}\n{{key}}\n{{/levels}}", "2",
	  "x.yaml", "x\na\nb\n" },
	{ "counters", "{{+t}}{{+t}}{{=t}}{{+u}}{{#levels}}{{+t}}{{/levels}}",
	  NULL, "x.yaml", "1221345\n" },
	{ "'false' is false", "{{#levels}}{{^g}}{{key}}{{/g}}{{/levels}}", NULL,
	  "x.yaml", "bc\n" },
	{ "--levels N: the N lowest", "{{#levels}}{{key}}{{lower}}{{/levels}}",
	  "2", "x.yaml", "aba\n" },
	{ "--levels by key, any order",
	  "{{#levels}}{{key}}{{lower}}{{/levels}}", "c,b", "x.yaml", "bcb\n" },
	{ "--levels by name", "{{#levels}}{{key}}{{/levels}}", "乙,甲",
	  "x.yaml", "ab\n" },
	{ "id: standard output", "{{id}}", NULL, "-", "new-standard\n" },
	{ "id: .yml, capitals, '_'", "{{id}}", NULL, "Forklift_Op.yml",
	  "Forklift_Op\n" },
	{ "id: a digit first", "{{id}}", NULL, "1st.yaml", "new-standard\n" },
	{ "id: two separators", "{{id}}", NULL, "a--b.yaml", "new-standard\n" },
	{ "id: a final separator", "{{id}}", NULL, "ab-.yaml",
	  "new-standard\n" },
	{ "id: a dot", "{{id}}", NULL, "a.b.yaml", "new-standard\n" },
	{ "id: too long", "{{id}}", NULL,
	  "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvw.yaml",
	  "new-standard\n" },
	{ "id: just long enough", "{{id}}", NULL,
	  "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv.yaml",
	  "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv\n" },
};

START_TEST(test_template)
{
	const struct tmpl_case *c = &tmpl_cases[_i];
	struct arena *a = arena_new();
	const char *text = skeleton(a, NULL, c->tmpl), *out;
	size_t errors;
	int status =
		expand(a, &text, 1, NULL, c->levels, c->path, &out, &errors);
	ck_assert_msg(status == 0 && errors == 0, "%s: status %d, %zu errors",
		      c->what, status, errors);
	ck_assert_msg(!strcmp(out, c->want), "%s: got\n%s\nwant\n%s", c->what,
		      out, c->want);
	arena_free(a);
}
END_TEST

/* A fault of a skeleton: reported at a place in it, nothing made. */
static const struct fault_case {
	const char *what, *head, *tmpl;
} fault_cases[] = {
	{ "a section not closed", NULL, "{{#levels}}x" },
	{ "a close without its open", NULL, "x{{/levels}}" },
	{ "a close of another section", NULL, "{{#levels}}{{/any.f}}" },
	{ "'{{' without '}}'", NULL, "a {{id" },
	{ "a tag that is no name", NULL, "{{ id }}" },
	{ "an empty tag", NULL, "{{}}" },
	{ "an unknown variable", NULL, "{{nope}}" },
	{ "an unknown section", NULL, "{{#nope}}x{{/nope}}" },
	{ "a level's variable outside the levels", NULL, "{{key}}" },
	{ "a counter printed before it counts", NULL, "{{=t}}" },
	{ "a section over a variable no level has", NULL,
	  "{{#levels}}{{#nope}}x{{/nope}}{{/levels}}" },
	{ "any.F of a variable no level has", NULL,
	  "{{#any.nope}}x{{/any.nope}}" },
	{ "levels.F of a variable no level has", NULL,
	  "{{#levels.nope}}x{{/levels.nope}}" },
	{ "a tag of one brace too many", NULL, "{{{id}}}" },
	{ "no template", NULL, NULL },
	{ "no levels", "skillc_skeleton: 1\nprofile: p\ndefault: true\n", "x" },
	{ "version 2",
	  "skillc_skeleton: 2\nprofile: p\ndefault: true\nlevels: [{key: a, name: 甲}]\n",
	  "x" },
	{ "no profile",
	  "skillc_skeleton: 1\ndefault: true\nlevels: [{key: a, name: 甲}]\n",
	  "x" },
	{ "an unknown key",
	  "skillc_skeleton: 1\nprofile: p\ndefault: true\nlevel: []\nlevels: [{key: a, name: 甲}]\n",
	  "x" },
	{ "a level without a name",
	  "skillc_skeleton: 1\nprofile: p\ndefault: true\nlevels: [{key: a}]\n",
	  "x" },
	{ "a level variable of init's own",
	  "skillc_skeleton: 1\nprofile: p\ndefault: true\nlevels: [{key: a, name: 甲, n: \"1\"}]\n",
	  "x" },
	{ "a level variable that is no name",
	  "skillc_skeleton: 1\nprofile: p\ndefault: true\nlevels: [{key: a, name: 甲, X-y: \"1\"}]\n",
	  "x" },
	{ "a level variable that is not text",
	  "skillc_skeleton: 1\nprofile: p\ndefault: true\nlevels: [{key: a, name: 甲, v: [1]}]\n",
	  "x" },
	{ "a level that is not a mapping",
	  "skillc_skeleton: 1\nprofile: p\ndefault: true\nlevels: [a]\n", "x" },
	{ "levels that are not a list",
	  "skillc_skeleton: 1\nprofile: p\ndefault: true\nlevels: a\n", "x" },
	{ "two levels of one key",
	  "skillc_skeleton: 1\nprofile: p\ndefault: true\nlevels: [{key: a, name: 甲}, {key: a, name: 乙}]\n",
	  "x" },
	{ "a level named as another's key",
	  "skillc_skeleton: 1\nprofile: p\ndefault: true\nlevels: [{key: a, name: 甲}, {key: b, name: a}]\n",
	  "x" },
	{ "default_levels beyond the levels",
	  "skillc_skeleton: 1\nprofile: p\ndefault: true\ndefault_levels: 2\nlevels: [{key: a, name: 甲}]\n",
	  "x" },
	{ "default_levels not a number",
	  "skillc_skeleton: 1\nprofile: p\ndefault: true\ndefault_levels: all\nlevels: [{key: a, name: 甲}]\n",
	  "x" },
	{ "no default",
	  "skillc_skeleton: 1\nprofile: p\nlevels: [{key: a, name: 甲}]\n",
	  "x" },
	{ "an unknown base",
	  "skillc_skeleton: 1\nprofile: p\ndefault: true\nextends: q\n", NULL },
	{ "a base that is itself",
	  "skillc_skeleton: 1\nprofile: p\ndefault: true\nextends: p\n", NULL },
	{ "not YAML", "skillc_skeleton: [1\n", NULL },
	{ "not a mapping", "- 1\n", NULL },
};

START_TEST(test_fault)
{
	const struct fault_case *c = &fault_cases[_i];
	struct arena *a = arena_new();
	const char *text = skeleton(a, c->head, c->tmpl), *out;
	size_t errors;
	int status = expand(a, &text, 1, NULL, NULL, "x.yaml", &out, &errors);
	ck_assert_msg(status == 2 && errors > 0, "%s: status %d, %zu errors",
		      c->what, status, errors);
	arena_free(a);
}
END_TEST

/* What the command line asks that the skeletons cannot give: a usage
 * error (printed), no fault of the skeletons. */
static const struct usage_case {
	const char *what, *profile, *levels;
} usage_cases[] = {
	{ "an unknown profile", "national", NULL },
	{ "--levels 0", NULL, "0" },
	{ "--levels beyond the levels", NULL, "4" },
	{ "--levels: a long number", NULL, "18446744073709551617" },
	{ "--levels: not consecutive", NULL, "a,c" },
	{ "--levels: twice", NULL, "a,a" },
	{ "--levels: by key and by name", NULL, "a,甲" },
	{ "--levels: unknown", NULL, "d" },
	{ "--levels: empty", NULL, "" },
	{ "--levels: an empty name", NULL, "a,,b" },
	{ "--levels: a final comma", NULL, "a," },
	{ "--levels: a space", NULL, "a, b" },
};

START_TEST(test_usage)
{
	const struct usage_case *c = &usage_cases[_i];
	struct arena *a = arena_new();
	const char *text = skeleton(a, NULL, "{{id}}"), *out;
	size_t errors;
	int status = expand(a, &text, 1, c->profile, c->levels, "x.yaml", &out,
			    &errors);
	ck_assert_msg(status == 2 && errors == 0, "%s: status %d, %zu errors",
		      c->what, status, errors);
	arena_free(a);
}
END_TEST

/* extends: the base's template, the skeleton's own levels (which need
 * not have the variables the template's own levels have: any.f is false);
 * a profile named picks its skeleton; two skeletons of one profile, two
 * defaults and a cycle of bases are faults. */
START_TEST(test_extends)
{
	struct arena *a = arena_new();
	const char *texts[3] = {
		skeleton(a, NULL,
			 "{{profile}}:{{#levels}}{{key}}{{/levels}}"
			 "{{#any.f}}+{{/any.f}}"),
		"skillc_skeleton: 1\nprofile: q\nextends: p\n"
		"levels: [{key: x, name: 子}, {key: y, name: 丑}]\n"
		"default_levels: 1\n",
		"skillc_skeleton: 1\nprofile: r\nextends: q\n",
	};
	const char *out;
	size_t errors;
	ck_assert_int_eq(
		expand(a, texts, 3, "q", NULL, "x.yaml", &out, &errors), 0);
	ck_assert_str_eq(out, "q:x\n");
	ck_assert_int_eq(expand(a, texts, 3, "r", "2", "x.yaml", &out, &errors),
			 0);
	ck_assert_str_eq(out, "r:xy\n");
	ck_assert_int_eq(
		expand(a, texts, 3, NULL, NULL, "x.yaml", &out, &errors), 0);
	ck_assert_str_eq(out, "p:abc+\n");

	const char *twice[2] = { texts[0], texts[0] };
	ck_assert_int_eq(
		expand(a, twice, 2, NULL, NULL, "x.yaml", &out, &errors), 2);
	ck_assert_uint_gt(errors, 0);

	const char *cycle[3] = {
		texts[0],
		"skillc_skeleton: 1\nprofile: q\nextends: r\n",
		"skillc_skeleton: 1\nprofile: r\nextends: q\n",
	};
	ck_assert_int_eq(
		expand(a, cycle, 3, "q", NULL, "x.yaml", &out, &errors), 2);
	ck_assert_uint_gt(errors, 0);
	arena_free(a);
}
END_TEST

static Suite *
init_suite(void)
{
	Suite *s = suite_create("init");
	TCase *tc = tcase_create("template");
	tcase_add_loop_test(tc, test_template, 0,
			    sizeof tmpl_cases / sizeof *tmpl_cases);
	suite_add_tcase(s, tc);
	tc = tcase_create("fault");
	tcase_add_loop_test(tc, test_fault, 0,
			    sizeof fault_cases / sizeof *fault_cases);
	suite_add_tcase(s, tc);
	tc = tcase_create("usage");
	tcase_add_loop_test(tc, test_usage, 0,
			    sizeof usage_cases / sizeof *usage_cases);
	suite_add_tcase(s, tc);
	tc = tcase_create("extends");
	tcase_add_test(tc, test_extends);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(init_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
