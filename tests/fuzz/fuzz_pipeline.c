/*
 * fuzz_pipeline.c - libFuzzer over the whole pipeline.
 *
 * Each input is a source file: loaded, modelled, checked, run through the
 * shipped text rules, named for C and rendered to every output in memory,
 * exactly as skillc build would, minus the files. Diagnostics go to
 * /dev/null. Built with clang when meson is set up with -Dfuzz=true.
 */
#include "skillc.h"

#include <stdlib.h>

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

/* The shipped rules, once: as skillc loads them at start. */
static void
setup(void)
{
	null_out = fopen("/dev/null", "w");
	rules_arena = arena_new();
	rules_diag = diag_new(rules_arena);
	rules = rules_new(rules_arena);
	const struct node *root = load_buffer(rules_arena, rules_diag,
					      embedded_rules_name,
					      (const char *)embedded_rules,
					      embedded_rules_len);
	const struct text_rules *tr = root ? model_read_rules(rules_arena,
							      rules_diag, root)
					   : NULL;
	if (!tr || !rules_add(rules, rules_diag, tr, true) ||
	    !rules_compile(rules, rules_diag))
		abort();
	atexit(release);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (!rules)
		setup();
	struct arena *a = arena_new();
	/* A diag of this input's own, knowing the shipped rules. */
	struct diag *d = diag_clone(a, rules_diag);
	const struct node *root = load_buffer(a, d, "fuzz.yaml",
					      (const char *)data, size);
	const struct standard *s = root ? model_build(a, d, root) : NULL;
	if (s) {
		check_run(s, d, a);
		struct edit *edits;
		size_t nedits;
		if (rules_add(rules, d, &s->text_rules, false) &&
		    rules_compile(rules, d))
			check_text(rules, s, d, a, &edits, &nedits);
		rules_drop_local(rules, d);
		const struct cnames *names = cname_build(a, d, s, NULL);
		struct strbuf out = { 0 };
		if (names)
			emit_c(s, names, "fuzz.yaml", &out);
		emit_json(s, &out);
		emit_md(s, &out);
		strbuf_free(&out);
	}
	diag_flush(d, null_out, true);
	arena_free(a);
	return 0;
}
