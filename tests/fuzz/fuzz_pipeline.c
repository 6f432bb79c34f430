/*
 * fuzz_pipeline.c - libFuzzer over the whole pipeline.
 *
 * Each input is a source file: loaded, modelled, checked, run through the
 * shipped text rules, named for C and rendered to every output in memory,
 * exactly as skillc build would, minus the files; twice, as fix reads it
 * (through a tree) and as the other commands do (model_stream), which
 * must print the same and give the same outputs. Built with clang when
 * meson is set up with -Dfuzz=true.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* One pass over the input: what it prints and every output, in out. */
static void
one_pass(const unsigned char *data, size_t size, unsigned want,
	 struct strbuf *out)
{
	struct run *run = fuzz_run();
	struct arena *a = arena_new();
	struct unit u = { .path = "fuzz.yaml",
			  .buf = (const char *)data,
			  .len = size };
	pipeline_passes(run, a, &u, want);
	char *said = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&said, &len);
	if (!f)
		abort();
	diag_flush(u.diag, f, true);
	fclose(f);
	strbuf_add(out, said, len);
	free(said);
	if (u.std) {
		/* Every output of formats.def that the unit has what for. */
#define FORMAT(name, ext, emitter, needs, ready)                               \
	if (!((needs)&PIPE_NAMES) || u.names)                                  \
		emitter(&u, out);
#include "formats.def"
#undef FORMAT
	}
	arena_free(a);
	rx_release(); /* each pass a run of its own: a fresh budget */
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	/* fix's passes read a tree, the others the loader's nodes as they
	 * come (model_stream): the same findings and outputs both ways. */
	struct strbuf tree = { 0 }, nodes = { 0 };
	one_pass(data, size, PIPE_NAMES | PIPE_EDITS, &tree);
	one_pass(data, size, PIPE_NAMES, &nodes);
	if (tree.len != nodes.len || memcmp(tree.buf, nodes.buf, tree.len))
		abort();
	strbuf_free(&tree);
	strbuf_free(&nodes);
	return 0;
}
