/*
 * fuzz_fix.c - libFuzzer over skillc fix: replacements never change what
 * the YAML means.
 *
 * Each input is a source file, put through the passes as skillc fix does
 * and fixed in memory (fix_text). Whenever fix succeeds, the result is
 * read again here, independently of fix's own proof: it must load, have
 * the same shape (kinds, counts, keys, in order), every scalar the same
 * YAML type, and every scalar fix did not report a replacement in the
 * same text; and it must have no error, rule by rule, that the input did
 * not have. Any difference aborts. Built with clang when meson is set up
 * with -Dfuzz=true.
 */
#include "skillc.h"

#include <stdlib.h>
#include <string.h>

static FILE *null_out;
static struct arena *rules_arena;
static struct diag *rules_diag;
static struct rules *rules;

static void
release(void)
{
	rules_free(rules);
	arena_free(rules_arena);
	fclose(null_out);
}

static void
setup(void)
{
	null_out = fopen("/dev/null", "w");
	rules_arena = arena_new();
	rules_diag = diag_new(rules_arena);
	rules = rules_new(rules_arena);
	const struct node *root =
		load_buffer(rules_arena, rules_diag, embedded_rules_name,
			    (const char *)embedded_rules, embedded_rules_len);
	const struct text_rules *tr =
		root ? model_read_rules(rules_arena, rules_diag, root) : NULL;
	if (!tr || !rules_add(rules, rules_diag, tr, true) ||
	    !rules_compile(rules, rules_diag))
		abort();
	atexit(release);
}

/* Whether scalar a's source bytes hold an edit: fix may change its text. */
static bool
edited(const struct node *a, const struct edit *edits, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (edits[i].node == a)
			return true;
	return false;
}

/* The two trees have one shape and the same meaning but for texts with
 * replacements; the first round's edits name those scalars. Later rounds
 * change only scalars changed before (a chain of replacements), so a
 * scalar without a first-round edit keeps its text. */
static void
compare(const struct node *a, const struct node *b, const struct edit *edits,
	size_t n)
{
	if (a->kind != b->kind)
		abort();
	if (a->kind == NODE_SCALAR) {
		if (a->type != b->type)
			abort();
		if (!edited(a, edits, n) &&
		    (a->len != b->len || memcmp(a->text, b->text, a->len)))
			abort();
		return;
	}
	if (a->count != b->count)
		abort();
	for (size_t i = 0; i < a->count; i++) {
		if (a->kind == NODE_MAP &&
		    (a->keys[i]->len != b->keys[i]->len ||
		     memcmp(a->keys[i]->text, b->keys[i]->text,
			    a->keys[i]->len)))
			abort();
		compare(a->items[i], b->items[i], edits, n);
	}
}

/* Errors by rule of a buffer, as check would report them. */
static size_t *
errors(struct arena *a, const char *buf, size_t len)
{
	struct diag *d = diag_clone(a, rules_diag);
	size_t *count =
		arena_array(a, diag_rule_total(rules_diag) + 1, sizeof *count);
	const struct node *root = load_buffer(a, d, "fuzz.yaml", buf, len);
	const struct standard *s = root ? model_build(a, d, root) : NULL;
	if (s) {
		check_run(s, d, a);
		if (rules_add(rules, d, &s->text_rules, false) &&
		    rules_compile(rules, d))
			check_text(rules, s, d, a, NULL, NULL);
		rules_drop_local(rules, d);
	}
	diag_error_counts(d, count, diag_rule_total(rules_diag));
	return count;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (!rules)
		setup();
	struct arena *a = arena_new();
	struct diag *d = diag_clone(a, rules_diag);
	const char *buf = (const char *)data;
	const struct node *root = load_buffer(a, d, "fuzz.yaml", buf, size);
	const struct standard *s = root ? model_build(a, d, root) : NULL;
	struct edit *edits = NULL;
	size_t nedits = 0;
	if (s) {
		check_run(s, d, a);
		if (rules_add(rules, d, &s->text_rules, false) &&
		    rules_compile(rules, d))
			check_text(rules, s, d, a, &edits, &nedits);
		rules_drop_local(rules, d);
	}
	struct fixed fixed = { 0 };
	if (s && nedits &&
	    !fix_text(a, d, rules, "fuzz.yaml", buf, size, root, edits, nedits,
		      &fixed) &&
	    fixed.total) {
		struct diag *quiet = diag_clone(a, rules_diag);
		const struct node *after = load_buffer(a, quiet, "fuzz.yaml",
						       fixed.buf, fixed.len);
		if (!after)
			abort();
		compare(root, after, edits, nedits);
		size_t *was = errors(a, buf, size);
		size_t *now = errors(a, fixed.buf, fixed.len);
		for (size_t r = 0; r < diag_rule_total(rules_diag); r++)
			if (now[r] > was[r])
				abort();
	}
	strbuf_free(&fixed.report);
	diag_flush(d, null_out, false);
	arena_free(a);
	return 0;
}
