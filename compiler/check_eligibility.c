/*
 * check_eligibility.c - the routes to each level (申报条件).
 *
 * Takes: eligibility clauses resolved to their levels and routes resolved
 * to the certificates they ask for. Gives: every level above the lowest
 * can be reached through the certificate of the next lower level; no
 * route asks for the certificate of its own or a higher level; and, for
 * the same kind of route (education, field of experience, with or without
 * a certificate), a level never asks for less experience than the nearest
 * lower level that has such a route.
 */
#include "skillc.h"

void
check_eligibility_certificate(const struct checker *c)
{
	const struct standard *s = c->std;
	bool *reachable =
		arena_array(c->arena, s->n_levels + 1, sizeof *reachable);
	for (size_t i = 0; i < s->n_eligibility; i++) {
		const struct eligibility *e = &s->eligibility[i];
		for (size_t j = 0; j < e->n_routes; j++) {
			const struct route *r = &e->routes[j];
			if (!r->certificate)
				continue;
			if (r->certificate->index >= e->level->index)
				diag_report(
					c->diag, RULE_ELIGIBILITY_CERTIFICATE,
					check_loc(c, r->certificate_key.at),
					"route %s) to level '%s' asks for the certificate of '%s', which is not a lower level",
					r->label.s, e->level->name.s,
					r->certificate->name.s);
			else if (r->certificate->index + 1 == e->level->index)
				reachable[e->level->index] = true;
		}
	}
	for (size_t i = 0; i < s->n_eligibility; i++) {
		const struct eligibility *e = &s->eligibility[i];
		size_t l = e->level->index;
		if (l == 0 || reachable[l])
			continue;
		reachable[l] = true; /* report each level once */
		diag_report(
			c->diag, RULE_ELIGIBILITY_CERTIFICATE,
			check_loc(c, e->at),
			"no route to level '%s' goes through the certificate of the next lower level '%s'",
			e->level->name.s, s->levels[l - 1].name.s);
	}
}

/* The least experience a level asks for, per kind of route. */
struct least {
	int64_t months;
	const struct route *route;
	const struct level *level;
};

#define ROUTE_KINDS (EDU_COUNT * FIELD_COUNT * 2)

static size_t
route_kind(const struct route *r)
{
	return ((size_t)r->education.v * FIELD_COUNT +
		(size_t)r->experience_field.v) *
		       2 +
	       (r->certificate != NULL);
}

void
check_eligibility_experience(const struct checker *c)
{
	const struct standard *s = c->std;
	/* Clauses of each level, in rank order: index them by level. */
	const struct eligibility **by_level =
		arena_array(c->arena, s->n_levels + 1, sizeof *by_level);
	for (size_t i = 0; i < s->n_eligibility; i++)
		if (!by_level[s->eligibility[i].level->index])
			by_level[s->eligibility[i].level->index] =
				&s->eligibility[i];
	struct least below[ROUTE_KINDS] = { 0 }; /* nearest lower level */
	struct least here[ROUTE_KINDS];
	for (size_t l = 0; l < s->n_levels; l++) {
		const struct eligibility *e = by_level[l];
		if (!e)
			continue;
		for (size_t k = 0; k < ROUTE_KINDS; k++)
			here[k] = (struct least){ 0 };
		for (size_t j = 0; j < e->n_routes; j++) {
			const struct route *r = &e->routes[j];
			struct least *h = &here[route_kind(r)];
			if (r->experience_months.at &&
			    (!h->route || r->experience_months.v < h->months))
				*h = (struct least){ r->experience_months.v, r,
						     e->level };
		}
		for (size_t k = 0; k < ROUTE_KINDS; k++) {
			if (!here[k].route)
				continue;
			if (below[k].route &&
			    here[k].months < below[k].months) {
				const struct route *r = here[k].route;
				diag_report(
					c->diag, RULE_ELIGIBILITY_EXPERIENCE,
					check_loc(c, r->experience_months.at),
					"route %s) to level '%s' asks for %lld months of experience, less than the %lld months level '%s' asks for by the same kind of route (education '%s', experience in the %s, %s a certificate)",
					r->label.s, e->level->name.s,
					(long long)here[k].months,
					(long long)below[k].months,
					below[k].level->name.s,
					education_names[r->education.v],
					r->experience_field.v == FIELD_RELATED
						? "related field"
						: "occupation",
					r->certificate ? "with" : "without");
				diag_note(c->diag,
					  check_loc(c, below[k].route->at),
					  "route %s) to level '%s' is here",
					  below[k].route->label.s,
					  below[k].level->name.s);
			}
			below[k] = here[k];
		}
	}
}
