/*
 * check.c - the registry of checks and what they share.
 *
 * Takes: a model that model_build accepted. Gives: every check of
 * checks.def run in table order, each reading the model and reporting
 * through diag; severities and switches are diag's business, so a check
 * never asks whether it is on. What the checks look things up in is the
 * model's index (standard.contents, weight_tables, each level's chain and
 * columns, each table's rows by key), built once: no check walks the tree
 * to build its own.
 */
#include "skillc.h"

static void (*const check_table[])(const struct checker *) = {
#define INPUT(id, sym, name, summary)
#define CHECK(id, sym, fn, name, sev, summary) check_##fn,
#include "checks.def"
#undef INPUT
#undef CHECK
};

void
check_run(const struct standard *s, struct diag *d, struct arena *a)
{
	const struct checker c = { s, d, a };
	for (size_t i = 0; i < sizeof check_table / sizeof *check_table; i++)
		check_table[i](&c);
}

struct loc
check_loc(const struct checker *c, struct place at)
{
	return model_loc(c->std, at);
}
