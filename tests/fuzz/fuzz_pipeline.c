/*
 * fuzz_pipeline.c - libFuzzer over the whole pipeline.
 *
 * Each input is a source file: loaded, modelled, checked, run through the
 * shipped text rules, named for C and rendered to every output in memory,
 * exactly as skillc build would, minus the files. Diagnostics go to
 * nowhere. Built with clang when meson is set up with -Dfuzz=true.
 */
#include "fuzz.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct run *run = fuzz_run();
	struct arena *a = arena_new();
	struct unit u = { .path = "fuzz.yaml",
			  .buf = (const char *)data,
			  .len = size };
	pipeline_passes(run, a, &u, PIPE_NAMES | PIPE_EDITS);
	if (u.std) {
		/* Every output of formats.def that the unit has what for. */
		struct strbuf out = { 0 };
#define FORMAT(name, ext, emitter, needs, ready)                               \
	if (!((needs)&PIPE_NAMES) || u.names)                                  \
		emitter(&u, &out);
#include "formats.def"
#undef FORMAT
		strbuf_free(&out);
	}
	arena_free(a);
	rx_release(); /* each input a run of its own: a fresh budget */
	return 0;
}
