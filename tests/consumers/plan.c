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

static void
print_column(const struct skillc_standard *s, int table, const int *weights,
	     int total, const char *what)
{
	if (table < 0) {
		printf("  %s: no weight table\n", what);
		return;
	}
	const struct skillc_table *t = &s->tables[table];
	int counts[256];
	spread(weights, t->row_count, total, counts);
	printf("  %s (%s): %d\n", what, t->number, total);
	for (int r = 0; r < t->row_count; r++)
		if (counts[r])
			printf("    %3d  %s\n", counts[r], t->rows[r].label);
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
		print_column(s, v->theory_table, v->theory, questions,
			     "theory questions");
		print_column(s, v->skills_table, v->skills_weights, tasks,
			     "practical tasks");
	}
}
