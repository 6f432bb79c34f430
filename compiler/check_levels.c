/*
 * check_levels.c - levels, their inclusions and their tables.
 *
 * Takes: levels in rank order, lowest first, each naming the level it
 * includes (the model has already refused unknown levels and cycles).
 * Gives: every level but the lowest includes exactly the next lower one
 * (no skipping, no higher level, none for the lowest); every level has
 * one eligibility clause, and one work-requirements table shared by every
 * branch (工种, 方向) or one for each branch, never both; and once a level
 * has a table per branch, so has every level above it (shared levels are
 * the lower ones).
 */
#include "skillc.h"

void
check_level_include(const struct checker *c)
{
	const struct standard *s = c->std;
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level *l = &s->levels[i];
		const struct level *inc = l->includes;
		struct place at = inc ? l->includes_key.at : l->at;
		if (i == 0 && inc)
			diag_report(
				c->diag, RULE_LEVEL_INCLUDE, check_loc(c, at),
				"the lowest level '%s' includes '%s'; levels are listed lowest first",
				l->name.s, inc->name.s);
		else if (i == 0)
			continue;
		else if (!inc)
			diag_report(
				c->diag, RULE_LEVEL_INCLUDE, check_loc(c, at),
				"level '%s' includes no level; it should include the next lower level '%s'",
				l->name.s, s->levels[i - 1].name.s);
		else if (inc->index > i)
			diag_report(
				c->diag, RULE_LEVEL_INCLUDE, check_loc(c, at),
				"level '%s' includes the higher level '%s'; levels are listed lowest first and include the next lower one",
				l->name.s, inc->name.s);
		else if (inc->index < i - 1)
			diag_report(
				c->diag, RULE_LEVEL_INCLUDE, check_loc(c, at),
				"level '%s' includes '%s', skipping the next lower level '%s'",
				l->name.s, inc->name.s,
				s->levels[i - 1].name.s);
	}
}

/* Exactly one eligibility clause per level, or one entry per level in
 * the clause shared by every level (shared: its number; NULL for a
 * clause per level): a second is an error with a note at the first,
 * none is an error at the level. */
static void
one_per_level(const struct checker *c, const char *shared)
{
	const struct standard *s = c->std;
	struct place *first =
		arena_array(c->arena, s->n_levels + 1, sizeof *first);
	for (size_t i = 0; i < s->n_eligibility; i++) {
		const struct level *l = s->eligibility[i].level;
		struct place at = s->eligibility[i].at;
		if (!first[l->index].given) {
			first[l->index] = at;
			continue;
		}
		struct loc here = check_loc(c, at);
		struct loc there = check_loc(c, first[l->index]);
		if (shared) {
			diag_report(
				c->diag, RULE_ELIGIBILITY_CLAUSE, here,
				"level '%s' has a second entry in eligibility clause %s",
				l->name.s, shared);
			diag_note(c->diag, there,
				  "first entry in eligibility clause %s here",
				  shared);
		} else {
			diag_report(
				c->diag, RULE_ELIGIBILITY_CLAUSE, here,
				"level '%s' has a second eligibility clause",
				l->name.s);
			diag_note(c->diag, there,
				  "first eligibility clause here");
		}
	}
	for (size_t i = 0; i < s->n_levels; i++) {
		if (first[i].given)
			continue;
		struct loc at = check_loc(c, s->levels[i].at);
		if (shared)
			diag_report(
				c->diag, RULE_ELIGIBILITY_CLAUSE, at,
				"level '%s' has no entry in eligibility clause %s",
				s->levels[i].name.s, shared);
		else
			diag_report(c->diag, RULE_ELIGIBILITY_CLAUSE, at,
				    "level '%s' has no eligibility clause",
				    s->levels[i].name.s);
	}
}

/* The hash key of a level and a branch, in the arena. */
static const char *
branch_key(const struct checker *c, const struct level *l,
	   const struct branch *br, size_t *len)
{
	size_t *k = arena_array(c->arena, 2, sizeof *k);
	k[0] = l->index;
	k[1] = (size_t)(br - c->std->branches);
	*len = 2 * sizeof *k;
	return (const char *)k;
}

/* A table of the other sort (shared, or of a branch) at its level. */
static void
mixed_table(const struct checker *c, const struct work_table *wt,
	    const struct work_table *other)
{
	diag_report(
		c->diag, RULE_WORK_TABLE, check_loc(c, wt->at),
		"level '%s' has both a shared work-requirements table and tables per branch; its work requirements are either shared by every branch or given per branch",
		wt->level->name.s);
	if (other->branch)
		diag_note(c->diag, check_loc(c, other->at),
			  "work-requirements table of branch '%s' here",
			  other->branch->name.s);
	else
		diag_note(c->diag, check_loc(c, other->at),
			  "shared work-requirements table here");
}

/* A level with a table per branch lacks some branch's: each in the
 * standard's order. Costs the number of branches, and reports all but
 * the ones it has. */
static void
missing_branches(const struct checker *c, const struct level *l,
		 const struct hash *of_branch)
{
	const struct standard *s = c->std;
	for (size_t b = 0; b < s->n_branches; b++) {
		size_t k[2] = { l->index, b };
		if (hash_get(of_branch, (const char *)k, sizeof k))
			continue;
		diag_report(
			c->diag, RULE_WORK_TABLE, check_loc(c, l->at),
			"level '%s' has a work-requirements table per branch, but none for branch '%s'",
			l->name.s, s->branches[b].name.s);
	}
}

/* Each level has one shared table, or one table for each branch (the
 * higher levels of a standard with branches); the levels above a level
 * with a table per branch have one per branch too. */
void
check_work_table(const struct checker *c)
{
	const struct standard *s = c->std;
	const struct work_requirements *w = &s->work_requirements;
	const struct work_table **shared =
		arena_array(c->arena, s->n_levels + 1, sizeof *shared);
	const struct work_table **split =
		arena_array(c->arena, s->n_levels + 1, sizeof *split);
	size_t *branches =
		arena_array(c->arena, s->n_levels + 1, sizeof *branches);
	struct hash *of_branch = hash_new(c->arena, w->n_tables);
	for (size_t t = 0; t < w->n_tables; t++) {
		const struct work_table *wt = &w->tables[t];
		size_t l = wt->level->index;
		const struct work_table *first;
		if (!wt->branch) {
			first = shared[l];
			if (!first)
				shared[l] = wt;
		} else {
			size_t len;
			const char *k =
				branch_key(c, wt->level, wt->branch, &len);
			first = hash_put(of_branch, k, len, (void *)wt);
			if (!first && !branches[l]++)
				split[l] = wt;
		}
		if (first) {
			if (wt->branch)
				diag_report(
					c->diag, RULE_WORK_TABLE,
					check_loc(c, wt->at),
					"level '%s' has a second work-requirements table for branch '%s'",
					wt->level->name.s, wt->branch->name.s);
			else
				diag_report(
					c->diag, RULE_WORK_TABLE,
					check_loc(c, wt->at),
					"level '%s' has a second work-requirements table",
					wt->level->name.s);
			diag_note(c->diag, check_loc(c, first->at),
				  "first work-requirements table here");
		} else if (!wt->branch ? split[l] != NULL
				       : split[l] == wt && shared[l]) {
			/* once a level: at its first table of the other sort */
			mixed_table(c, wt, wt->branch ? shared[l] : split[l]);
		}
	}
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level *l = &s->levels[i];
		if (!shared[i] && !split[i])
			diag_report(c->diag, RULE_WORK_TABLE,
				    check_loc(c, l->at),
				    "level '%s' has no work-requirements table",
				    l->name.s);
		else if (split[i] && branches[i] < s->n_branches)
			missing_branches(c, l, of_branch);
	}
	/* Each level after its includes: below[l] is the nearest level at
	 * or below l with a table per branch. */
	const struct work_table **below =
		arena_array(c->arena, s->n_levels + 1, sizeof *below);
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level *l = s->level_order[i];
		const struct work_table *under =
			l->includes ? below[l->includes->index] : NULL;
		below[l->index] = split[l->index] ? split[l->index] : under;
		if (!under || split[l->index] || !shared[l->index])
			continue;
		diag_report(
			c->diag, RULE_WORK_TABLE,
			check_loc(c, shared[l->index]->at),
			"level '%s' has a shared work-requirements table, but level '%s' below it has a table per branch; a level above one split into branches has a table per branch too",
			l->name.s, under->level->name.s);
		diag_note(c->diag, check_loc(c, under->at),
			  "work-requirements table of branch '%s' here",
			  under->branch->name.s);
	}
}

/* With one clause for every level (occupation.eligibility), what each
 * level has once is its entry in that clause. */
void
check_eligibility_clause(const struct checker *c)
{
	const struct clause_head *shared = &c->std->occupation.eligibility;
	if (!shared->at.given)
		one_per_level(c, NULL);
	else
		one_per_level(c, shared->clause.s ? shared->clause.s : "");
}
