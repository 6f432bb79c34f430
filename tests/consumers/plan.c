/*
 * plan.c - the blueprint, in a translation unit of its own: the header is
 * included twice in one program, as real consumers do.
 */
#include STANDARD_HEADER

#include "plan.h"

#include <stdio.h>

/* Spread total over the rows of one weight column; counts gets one
 * number per row. */
static void
spread(const int *weights, int rows, int total, int *counts)
{
	int given = 0;
	char bumped[256] = { 0 };
	for (int r = 0; r < rows; r++) {
		counts[r] = weights[r] * total / 100;
		given += counts[r];
	}
	for (; given < total; given++) {
		int best = -1;
		for (int r = 0; r < rows; r++)
			if (!bumped[r] &&
			    (best < 0 || weights[r] * total % 100 >
						 weights[best] * total % 100))
				best = r;
		bumped[best] = 1;
		counts[best]++;
	}
}

/* A table as it is named: its number, else its caption, else the
 * heading of its clause. */
static void
print_name(const struct skillc_table *t)
{
	if (t->number)
		printf("%s", t->number);
	else if (t->caption)
		printf("%s", t->caption);
	else
		printf("%s %s", t->clause, t->title);
}

/* One column: its table and branch, then the rows it gives questions,
 * and those printed as a dash (not at this level). */
static void
print_column(const struct skillc_standard *s, const struct skillc_table *t,
	     int c, int total, const char *what)
{
	int counts[256];
	spread(t->weights[c], t->row_count, total, counts);
	printf("  %s (", what);
	print_name(t);
	if (t->branches[c] >= 0)
		printf(", %s", s->branches[t->branches[c]].name);
	printf("): %d\n", total);
	for (int r = 0; r < t->row_count; r++)
		if (t->dashes[c][r])
			printf("      \342\200\224  %s\n", t->rows[r].label);
		else if (counts[r])
			printf("    %3d  %s\n", counts[r], t->rows[r].label);
}

/* Every column of the kind for level l, in table order; the first must
 * be the one the level's view names. */
static void
print_kind(const struct skillc_standard *s, int l, int kind,
	   const int *view_weights, int total, const char *what)
{
	int shown = 0;
	for (int t = 0; t < s->table_count; t++) {
		const struct skillc_table *tb = &s->tables[t];
		for (int c = 0; tb->kind == kind && c < tb->column_count; c++) {
			if (tb->levels[c] != l)
				continue;
			if (!shown++ && tb->weights[c] != view_weights)
				printf("  the view names another column\n");
			print_column(s, tb, c, total, what);
		}
	}
	if (!shown)
		printf("  %s: no weight table\n", what);
}

/* Whether a list of level_count levels (0: every level) holds l. */
static int
holds(const int *levels, int level_count, int l)
{
	int in = !level_count;
	for (int i = 0; i < level_count; i++)
		in |= levels[i] == l;
	return in;
}

/* The least time of each method level l takes: a duration listing l,
 * else one for every level. */
static void
print_times(const struct skillc_standard *s, int l)
{
	for (int m = 0; m < s->method_count; m++) {
		int minutes = 0, exact = 0;
		if (!holds(s->methods[m].levels, s->methods[m].level_count, l))
			continue;
		for (int d = 0; d < s->duration_count; d++) {
			const struct skillc_duration *du = &s->durations[d];
			if (du->method != m)
				continue;
			int listed = 0;
			for (int i = 0; i < du->level_count; i++)
				listed |= du->levels[i] == l;
			if (listed)
				minutes = du->minutes, exact = 1;
			else if (!du->level_count && !exact)
				minutes = du->minutes;
		}
		if (minutes)
			printf("  %s: at least %d min\n", s->methods[m].name,
			       minutes);
	}
}

void
plan_print(const struct skillc_standard *s, int questions, int tasks)
{
	printf("%s\n", s->title_zh);
	for (int l = 0; l < s->level_count; l++) {
		const struct skillc_view *v = &s->views[l];
		int own = 0;
		for (int i = 0; i < v->skill_count; i++)
			own += s->skills[v->skills[i]].level == l;
		printf("%s: %d work contents, %d skill items (%d its own), %d knowledge items\n",
		       s->levels[l].name, v->content_count, v->skill_count, own,
		       v->knowledge_count);
		print_kind(s, l, SKILLC_THEORY, v->theory, questions,
			   "theory questions");
		print_kind(s, l, SKILLC_SKILLS, v->skills_weights, tasks,
			   "practical tasks");
		print_times(s, l);
	}
}
