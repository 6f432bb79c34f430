/*
 * check.c - the registry of checks and what they share.
 *
 * Takes: a model that model_build accepted. Gives: every check of
 * checks.def run in table order, each reading the model and reporting
 * through diag; severities and switches are diag's business, so a check
 * never asks whether it is on.
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
check_loc(const struct checker *c, const struct node *at)
{
	return model_loc(c->std, at);
}

const struct weight_table **
check_weight_tables(const struct checker *c, size_t *count)
{
	const struct weights *w = &c->std->weights;
	size_t n = 0;
	for (size_t i = 0; i < w->n_sections; i++)
		n += w->sections[i].n_tables;
	const struct weight_table **v = arena_array(c->arena, n + 1, sizeof *v);
	n = 0;
	for (size_t i = 0; i < w->n_sections; i++)
		for (size_t j = 0; j < w->sections[i].n_tables; j++)
			v[n++] = &w->sections[i].tables[j];
	*count = n;
	return v;
}
