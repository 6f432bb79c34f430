/*
 * fuzz.h - what the libFuzzer targets share: one run of skillc, set up
 * once (the shipped rules, no options) and released at exit.
 */
#ifndef SKILLC_FUZZ_H
#define SKILLC_FUZZ_H

#include "skillc.h"

#include <stdlib.h>

static struct arena *fuzz_arena;

static void
fuzz_release(void)
{
	arena_free(fuzz_arena);
}

/* The run every input goes through, made on first use. */
static struct run *
fuzz_run(void)
{
	static const struct run_options opt = { 0 };
	static struct run *run;
	if (!run) {
		fuzz_arena = arena_new();
		run = pipeline_new(fuzz_arena, &opt);
		if (!run)
			abort();
		atexit(fuzz_release);
	}
	return run;
}

#endif
