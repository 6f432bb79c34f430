/*
 * check_eligibility.c - the routes to each level (申报条件).
 *
 * Takes: eligibility clauses resolved to their levels (one entry per
 * level, whether each has a clause of its own or one clause holds them
 * all) and routes resolved to the certificates they ask for. Gives: every
 * level above the lowest can be reached through the certificate of the
 * next lower level; no route asks for the certificate of its own or a
 * higher level; and, for the same kind of route, the least experience a
 * level implies in all never falls below what the nearest lower level
 * with such a route implies.
 *
 * What a route implies in all: its months; when it counts them after a
 * certificate, plus the least its certificate's level implies by routes
 * of the same kind, or, where that level has none of the kind, by any of
 * its routes (a certificate can have been earned by any route to it). A
 * route without months implies none of its own (学徒期满, a diploma). The
 * kind of a route: its education, diploma, apprenticeship, professional
 * title, field of experience, and whether it names a certificate.
 */
#include "skillc.h"

#include <string.h>

/* "route a)" for a bare label, "route (1)" or "route （1）" for one that
 * carries its parentheses: the label as the document prints it. */
static const char *
route_name(const struct checker *c, const struct route *r)
{
	static const char fullwidth[] = "\xef\xbc\x89"; /* ） */
	const struct text *l = &r->label;
	bool closed = (l->len && l->s[l->len - 1] == ')') ||
		      (l->len >= sizeof fullwidth - 1 &&
		       !memcmp(l->s + l->len - (sizeof fullwidth - 1),
			       fullwidth, sizeof fullwidth - 1));
	if (!l->len)
		/* TRANSLATORS: a route (申报途径) without a label, as the
		 * subject or object of a message. */
		return _("route");
	struct strbuf label = { 0 }, sb = { 0 };
	strbuf_addf(&label, "%s%s", l->s, closed ? "" : ")");
	/* TRANSLATORS: a route (申报途径) and its label as the document
	 * prints it ("a)", "(1)", "（1）"), as the subject or object of a
	 * message. */
	strbuf_addf(&sb, _("route %s"), label.buf);
	char *s = arena_strndup(c->arena, sb.buf, sb.len);
	strbuf_free(&label);
	strbuf_free(&sb);
	return s;
}

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
					"%s to level '%s' asks for the certificate of '%s', which is not a lower level",
					route_name(c, r), e->level->name.s,
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

/* ---- experience --------------------------------------------------------- */

#define ROUTE_KINDS                                                            \
	((size_t)EDU_COUNT * DIPLOMA_COUNT * 2 * TITLE_COUNT * FIELD_COUNT * 2)

static size_t
route_kind(const struct route *r)
{
	size_t k = (size_t)r->education.v;
	k = k * DIPLOMA_COUNT + (size_t)r->diploma.v;
	k = k * 2 + r->apprenticeship.v;
	k = k * TITLE_COUNT + (size_t)r->professional_title.v;
	k = k * FIELD_COUNT + (size_t)r->experience_field.v;
	return k * 2 + (r->certificate != NULL);
}

/* The least experience a level implies by one kind of route (or by any):
 * the route that implies it, and how. */
struct least {
	int64_t total;
	int64_t base; /* what the certificate's level adds, for after */
	const struct route *route;
	const struct level *level;
	struct least *next; /* the level's next kind, in order of routes */
};

struct experience {
	struct hash *by_kind; /* (level index, kind) -> struct least */
	struct least *any;    /* per level: the least over all its routes */
};

static struct least *
find_least(const struct experience *x, size_t level, size_t kind)
{
	size_t k[2] = { level, kind };
	return hash_get(x->by_kind, (const char *)k, sizeof k);
}

/* What r implies in all, and in *base what its certificate adds. */
static int64_t
implied(const struct experience *x, const struct route *r, int64_t *base)
{
	int64_t months =
		r->experience_months.at.given ? r->experience_months.v : 0;
	*base = 0;
	if (model_route_after(r)) {
		size_t cl = r->certificate->index;
		const struct least *same = find_least(x, cl, route_kind(r));
		const struct least *any = &x->any[cl];
		if (same)
			*base = same->total;
		else if (any->route)
			*base = any->total;
	}
	return months + *base;
}

/* *sb becomes fmt of its text so far and what follows: a list grows by
 * one whole pattern ("%s, diploma '%s'") at a time, so that a translation
 * can order and join its items as its language does. */
PRINTF_LIKE(2, 3)
static void extend(struct strbuf *sb, const char *fmt, ...);

static void
extend(struct strbuf *sb, const char *fmt, ...)
{
	struct strbuf t = { 0 };
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&t, fmt, ap);
	va_end(ap);
	strbuf_free(sb);
	*sb = t;
}

/* The kind of a route, in words: what a route's features are (its
 * education, diploma...), in sb. */
static void
describe_kind(struct strbuf *sb, const struct route *r)
{
	/* TRANSLATORS: the first of the features of a kind of route,
	 * listed in the parentheses that end "... by the same kind of route
	 * (%s)". 'none', 'secondary'... are values of the source: keep
	 * them. */
	strbuf_addf(sb, _("education '%s'"), education_names[r->education.v]);
	if (r->diploma.v != DIPLOMA_NONE)
		/* TRANSLATORS: the features of a route so far, and one more (a
		 * value of the source: 'technical-school'...). */
		extend(sb, _("%s, diploma '%s'"), sb->buf,
		       diploma_names[r->diploma.v]);
	if (r->apprenticeship.v)
		/* TRANSLATORS: the features of a route so far, and one more. */
		extend(sb, _("%s, an apprenticeship"), sb->buf);
	if (r->professional_title.v != TITLE_NONE)
		/* TRANSLATORS: the features of a route so far, and one more (a
		 * value of the source: 'junior', 'intermediate', 'senior'). */
		extend(sb, _("%s, professional title '%s'"), sb->buf,
		       prof_title_names[r->professional_title.v]);
	switch (r->experience_field.v) {
	case FIELD_OCCUPATION:
		/* TRANSLATORS: the features of a route so far, and one
		 * more. */
		extend(sb, _("%s, experience in the occupation"), sb->buf);
		break;
	case FIELD_RELATED:
		/* TRANSLATORS: the features of a route so far, and one
		 * more. */
		extend(sb, _("%s, experience in a related field"), sb->buf);
		break;
	default: /* FIELD_EITHER */
		extend(sb,
		       /* TRANSLATORS: the features of a route so far, and one
			* more. */
		       _("%s, experience in the occupation or a related one"),
		       sb->buf);
		break;
	}
	if (r->certificate)
		/* TRANSLATORS: the features of a route so far, and the last. */
		extend(sb, _("%s, with a certificate"), sb->buf);
	else
		extend(sb, _("%s, without a certificate"), sb->buf);
}

static void
report_fall(const struct checker *c, const struct least *here,
	    const struct least *below)
{
	const struct route *r = here->route;
	struct strbuf kind = { 0 };
	describe_kind(&kind, r);
	struct loc at = check_loc(c, r->experience_months.at.given
					     ? r->experience_months.at
					     : r->at);
	const char *route = route_name(c, r), *level = here->level->name.s;
	const char *other = route_name(c, below->route),
		   *other_level = below->level->name.s;
	if (model_route_after(r))
		diag_report(
			c->diag, RULE_ELIGIBILITY_EXPERIENCE, at,
			/* TRANSLATORS: a route, its level, the months it
			 * implies in all; the months it asks after the
			 * certificate, the level of the certificate, the least
			 * months that level's routes imply; the months of the
			 * route compared, that route, its level; the features
			 * of their kind of route. */
			"%s to level '%s' implies %lld months of experience in all (%lld after the certificate of '%s', whose routes imply at least %lld), less than the %lld months %s to level '%s' implies by the same kind of route (%s)",
			route, level, (long long)here->total,
			(long long)(here->total - here->base),
			r->certificate->name.s, (long long)here->base,
			(long long)below->total, other, other_level, kind.buf);
	else
		diag_report(
			c->diag, RULE_ELIGIBILITY_EXPERIENCE, at,
			/* TRANSLATORS: a route, its level, the months it
			 * implies in all; the months of the route compared,
			 * that route, its level; the features of their kind of
			 * route. */
			"%s to level '%s' implies %lld months of experience in all, less than the %lld months %s to level '%s' implies by the same kind of route (%s)",
			route, level, (long long)here->total,
			(long long)below->total, other, other_level, kind.buf);
	at = check_loc(c, below->route->at);
	if (model_route_after(below->route))
		diag_note(
			c->diag, at,
			/* TRANSLATORS: a route, its level; the months it asks
			 * after the certificate, the level of the certificate,
			 * the least months that level's routes imply. */
			"%s to level '%s' is here (%lld after the certificate of '%s', whose routes imply at least %lld)",
			other, other_level,
			(long long)(below->total - below->base),
			below->route->certificate->name.s,
			(long long)below->base);
	else
		/* TRANSLATORS: a route, its level. */
		diag_note(c->diag, at, "%s to level '%s' is here", other,
			  other_level);
	strbuf_free(&kind);
}

/* The least totals of one level's routes, by kind (in the order of their
 * first route) and over all: its kinds listed, or NULL. */
static struct least *
level_least(const struct checker *c, struct experience *x,
	    const struct eligibility *e)
{
	size_t l = e->level->index;
	struct least *kinds = NULL, **tail = &kinds;
	for (size_t j = 0; j < e->n_routes; j++) {
		const struct route *r = &e->routes[j];
		if (r->certificate && r->certificate->index >= l)
			continue; /* eligibility-certificate reports it */
		int64_t base, total = implied(x, r, &base);
		size_t kind = route_kind(r);
		struct least *h = find_least(x, l, kind);
		if (!h) {
			size_t *k = arena_array(c->arena, 2, sizeof *k);
			k[0] = l, k[1] = kind;
			h = arena_alloc(c->arena, sizeof *h);
			hash_put(x->by_kind, (const char *)k, 2 * sizeof *k, h);
			*tail = h, tail = &h->next;
		}
		struct least now = { total, base, r, e->level, h->next };
		if (!h->route || total < h->total)
			*h = now;
		if (!x->any[l].route || total < x->any[l].total)
			x->any[l] = now;
	}
	return kinds;
}

void
check_eligibility_experience(const struct checker *c)
{
	const struct standard *s = c->std;
	/* The entry of each level, in rank order: index them by level (a
	 * second is eligibility-clause's business). */
	const struct eligibility **by_level =
		arena_array(c->arena, s->n_levels + 1, sizeof *by_level);
	size_t nroutes = 0;
	for (size_t i = 0; i < s->n_eligibility; i++) {
		nroutes += s->eligibility[i].n_routes;
		if (!by_level[s->eligibility[i].level->index])
			by_level[s->eligibility[i].level->index] =
				&s->eligibility[i];
	}
	struct experience x = {
		hash_new(c->arena, nroutes),
		arena_array(c->arena, s->n_levels + 1, sizeof *x.any),
	};
	/* the kinds' least totals at the nearest lower level with them */
	const struct least **below =
		arena_array(c->arena, ROUTE_KINDS, sizeof *below);
	for (size_t l = 0; l < s->n_levels; l++) {
		if (!by_level[l])
			continue;
		for (struct least *h = level_least(c, &x, by_level[l]); h;
		     h = h->next) {
			size_t kind = route_kind(h->route);
			if (below[kind] && h->total < below[kind]->total)
				report_fall(c, h, below[kind]);
			below[kind] = h;
		}
	}
}
