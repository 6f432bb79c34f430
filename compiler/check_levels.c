/*
 * check_levels.c - levels, their inclusions and their tables.
 *
 * Takes: levels in rank order, lowest first, each naming the level it
 * includes (the model has already refused unknown levels and cycles).
 * Gives: every level but the lowest includes exactly the next lower one
 * (no skipping, no higher level, none for the lowest), and every level has
 * exactly one work-requirements table and one eligibility clause.
 */
#include "skillc.h"

void
check_level_include(const struct checker *c)
{
	const struct standard *s = c->std;
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level *l = &s->levels[i];
		const struct level *inc = l->includes;
		struct loc at = check_loc(c, inc ? l->includes_key.at : l->at);
		if (i == 0 && inc)
			diag_report(
				c->diag, RULE_LEVEL_INCLUDE, at,
				"the lowest level '%s' includes '%s'; levels are listed lowest first",
				l->name.s, inc->name.s);
		else if (i == 0)
			continue;
		else if (!inc)
			diag_report(
				c->diag, RULE_LEVEL_INCLUDE, at,
				"level '%s' includes no level; it should include the next lower level '%s'",
				l->name.s, s->levels[i - 1].name.s);
		else if (inc->index > i)
			diag_report(
				c->diag, RULE_LEVEL_INCLUDE, at,
				"level '%s' includes the higher level '%s'; levels are listed lowest first and include the next lower one",
				l->name.s, inc->name.s);
		else if (inc->index < i - 1)
			diag_report(
				c->diag, RULE_LEVEL_INCLUDE, at,
				"level '%s' includes '%s', skipping the next lower level '%s'",
				l->name.s, inc->name.s,
				s->levels[i - 1].name.s);
	}
}

/* Exactly one thing per level: a second is an error with a note at the
 * first, none is an error at the level. level_of gives each thing's
 * level (NULL if it names an unknown one), at its location. */
static void
one_per_level(const struct checker *c, enum rule rule, const char *what,
	      size_t count,
	      const struct level *(*level_of)(const struct standard *, size_t),
	      const struct node *(*at_of)(const struct standard *, size_t))
{
	const struct standard *s = c->std;
	const struct node **first =
		arena_array(c->arena, s->n_levels + 1, sizeof *first);
	for (size_t i = 0; i < count; i++) {
		const struct level *l = level_of(s, i);
		if (!first[l->index]) {
			first[l->index] = at_of(s, i);
			continue;
		}
		diag_report(c->diag, rule, check_loc(c, at_of(s, i)),
			    "level '%s' has a second %s", l->name.s, what);
		diag_note(c->diag, check_loc(c, first[l->index]),
			  "first %s here", what);
	}
	for (size_t i = 0; i < s->n_levels; i++)
		if (!first[i])
			diag_report(c->diag, rule,
				    check_loc(c, s->levels[i].at),
				    "level '%s' has no %s", s->levels[i].name.s,
				    what);
}

static const struct level *
work_level(const struct standard *s, size_t i)
{
	return s->work_requirements.tables[i].level;
}

static const struct node *
work_at(const struct standard *s, size_t i)
{
	return s->work_requirements.tables[i].at;
}

void
check_work_table(const struct checker *c)
{
	one_per_level(c, RULE_WORK_TABLE, "work-requirements table",
		      c->std->work_requirements.n_tables, work_level, work_at);
}

static const struct level *
eligibility_level(const struct standard *s, size_t i)
{
	return s->eligibility[i].level;
}

static const struct node *
eligibility_at(const struct standard *s, size_t i)
{
	return s->eligibility[i].at;
}

void
check_eligibility_clause(const struct checker *c)
{
	one_per_level(c, RULE_ELIGIBILITY_CLAUSE, "eligibility clause",
		      c->std->n_eligibility, eligibility_level, eligibility_at);
}
