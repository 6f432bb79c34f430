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
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

/* Whether scalar a's source bytes hold an edit: fix may change its text.
 * An edit names its scalar by where it starts, which no other scalar that
 * holds bytes shares. */
static bool
edited(const struct node *a, const struct edit *edits, size_t n)
{
	for (size_t i = 0; a->raw_len && i < n; i++)
		if (edits[i].raw == a->raw)
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
		    (node_keys(a)[i].len != node_keys(b)[i].len ||
		     memcmp(node_keys(a)[i].text, node_keys(b)[i].text,
			    node_keys(a)[i].len)))
			abort();
		compare(&a->items[i], &b->items[i], edits, n);
	}
}

/* Errors by rule of a buffer, as check would report them. */
static size_t *
errors(struct arena *a, const char *buf, size_t len)
{
	struct run *run = fuzz_run();
	size_t n = diag_rule_total(pipeline_diag(run));
	size_t *count = arena_array(a, n + 1, sizeof *count);
	struct unit u = { .path = "fuzz.yaml", .buf = buf, .len = len };
	pipeline_passes(run, a, &u, 0);
	diag_error_counts(u.diag, count, n);
	return count;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct run *run = fuzz_run();
	struct arena *a = arena_new();
	struct unit u = { .path = "fuzz.yaml",
			  .buf = (const char *)data,
			  .len = size };
	pipeline_passes(run, a, &u, PIPE_EDITS);
	/* fix_text sorts the edits: keep the first round's to compare. */
	struct edit *edits = arena_array(a, u.nedits + 1, sizeof *edits);
	if (u.nedits)
		memcpy(edits, u.edits, u.nedits * sizeof *edits);
	size_t nedits = u.nedits;
	struct fixed fixed = { 0 };
	if (u.std && nedits && !fix_text(run, a, &u, &fixed) && fixed.total) {
		struct unit after = { .path = "fuzz.yaml",
				      .buf = fixed.buf,
				      .len = fixed.len };
		/* Edits asked for only to have the tree to compare. */
		pipeline_passes(run, a, &after, PIPE_EDITS);
		if (!after.root)
			abort();
		compare(u.root, after.root, edits, nedits);
		size_t *was = errors(a, u.buf, u.len);
		size_t *now = errors(a, fixed.buf, fixed.len);
		for (size_t r = 0; r < diag_rule_total(pipeline_diag(run)); r++)
			if (now[r] > was[r])
				abort();
	}
	strbuf_free(&fixed.report);
	arena_free(a);
	rx_release(); /* each input a run of its own: a fresh budget */
	return 0;
}
