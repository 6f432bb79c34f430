/*
 * check_profile.c - the checks a standard's profile asks for (SK06xx).
 *
 * Takes: a model and the profile it is drafted under (standard.profile_def,
 * resolved by profile.c). Gives: a check per parameter of a profile, each
 * run only when the profile (or one it extends) gives that parameter:
 * without a profile, or under one that asks nothing, they report nothing.
 * Every word compared (level names, method names and roles, row labels,
 * the sentence that higher levels cover the lower ones) is the profile's;
 * a name "holds" a word when the word is a part of it. Lookups go through
 * hashes: no check is quadratic in the size of the standard.
 */
#include "skillc.h"

#include <string.h>

/* How the last of a list of words joins it. */
enum join { JOIN_COMMA, JOIN_OR, JOIN_AND };

/* The list so far (sb's text) and one more word, in place. */
static void
join_word(struct strbuf *sb, enum join join, const char *word)
{
	struct strbuf t = { 0 };
	switch (join) {
	case JOIN_COMMA:
		/* TRANSLATORS: a list of the profile's words so far and one
		 * more: "'a', 'b'". */
		strbuf_addf(&t, _("%s, '%s'"), sb->buf, word);
		break;
	case JOIN_OR:
		/* TRANSLATORS: a list of the profile's words and the last,
		 * one of which is asked for: "'a', 'b' or 'c'". */
		strbuf_addf(&t, _("%s or '%s'"), sb->buf, word);
		break;
	case JOIN_AND:
		/* TRANSLATORS: a list of the profile's words and the last,
		 * all of them: "'a', 'b' and 'c'". */
		strbuf_addf(&t, _("%s and '%s'"), sb->buf, word);
		break;
	}
	strbuf_free(sb);
	*sb = t;
}

/* The profile's words, for messages: 'a', 'b' or 'c' (last joins the
 * last word to the others). */
static const char *
words(struct strbuf *sb, const struct text *list, size_t n, enum join last)
{
	strbuf_reset(sb);
	for (size_t i = 0; i < n; i++)
		if (!i)
			/* TRANSLATORS: the first of a list of the profile's
			 * words (level names, roles...), or the only one. */
			strbuf_addf(sb, _("'%s'"), list[i].s);
		else
			join_word(sb, i + 1 == n ? last : JOIN_COMMA,
				  list[i].s);
	return sb->buf ? sb->buf : "";
}

/* Whether t holds one of the words as a part: by its length, as a text
 * may be the source's bytes (FIELD_SPAN). */
static bool
holds(const struct text *t, const struct text *list, size_t n)
{
	for (size_t i = 0; t->s && i < n; i++)
		for (size_t at = 0; at + list[i].len <= t->len; at++)
			if (!memcmp(t->s + at, list[i].s, list[i].len))
				return true;
	return false;
}

static size_t
rank_of(const struct profile *p, const struct text *name)
{
	return (size_t)(uintptr_t)hash_get(p->level_rank, name->s, name->len);
}

void
check_profile_level_names(const struct checker *c)
{
	const struct standard *s = c->std;
	const struct profile *p = s->profile_def;
	if (!p || !p->n_levels)
		return;
	struct strbuf sb = { 0 };
	const struct level *prev = NULL;
	size_t prev_rank = 0;
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level *l = &s->levels[i];
		size_t rank = rank_of(p, &l->name);
		if (!rank)
			diag_report(
				c->diag, RULE_PROFILE_LEVEL_NAMES,
				check_loc(c, l->name.at),
				"level '%s' is not a level of the '%s' profile (%s)",
				l->name.s, p->key.s,
				words(&sb, p->levels, p->n_levels, JOIN_COMMA));
		else if (prev && prev_rank == p->n_levels)
			diag_report(
				c->diag, RULE_PROFILE_LEVEL_NAMES,
				check_loc(c, l->name.at),
				"level '%s' comes after '%s', the highest level of the '%s' profile",
				l->name.s, prev->name.s, p->key.s);
		else if (prev && prev_rank && rank != prev_rank + 1)
			diag_report(
				c->diag, RULE_PROFILE_LEVEL_NAMES,
				check_loc(c, l->name.at),
				"level '%s' comes after '%s', which the '%s' profile follows with '%s'",
				l->name.s, prev->name.s, p->key.s,
				p->levels[prev_rank].s);
		prev = l, prev_rank = rank;
	}
	strbuf_free(&sb);
}

void
check_profile_coverage_sentence(const struct checker *c)
{
	const struct standard *s = c->std;
	const struct profile *p = s->profile_def;
	if (!p || !p->coverage.at.given)
		return;
	const struct profile_coverage *cv = &p->coverage;
	const char *base = (const char *)s;
	struct place where = { 0 };
	for (size_t i = 0; i < cv->n_in; i++) {
		const size_t *off = cv->offsets[i];
		size_t n = cv->depth[i];
		const struct text *t = (const struct text *)(base + off[n - 1]);
		if (t->at.given && holds(t, cv->sentences, cv->n_sentences))
			return;
		/* Where to say so: the first of the texts present, else
		 * the deepest mapping along the first path present. */
		if (t->at.given && (!where.given || where.kind != NODE_SCALAR))
			where = t->at;
		for (size_t k = n - 1; k-- > 0 && !where.given;)
			where = *(const struct place *)(base + off[k]);
	}
	struct strbuf in = { 0 }, said = { 0 };
	diag_report(
		c->diag, RULE_PROFILE_COVERAGE_SENTENCE, check_loc(c, where),
		"the sentence that higher levels cover the lower ones is in none of %s: the '%s' profile asks for one holding %s",
		words(&in, cv->in, cv->n_in, JOIN_OR), p->key.s,
		words(&said, cv->sentences, cv->n_sentences, JOIN_OR));
	strbuf_free(&in);
	strbuf_free(&said);
}

void
check_profile_review_levels(const struct checker *c)
{
	const struct standard *s = c->std;
	const struct profile *p = s->profile_def;
	if (!p || !p->review.at.given)
		return;
	const struct profile_review *rv = &p->review;
	struct hash *allowed = hash_new(c->arena, rv->n_levels + 1);
	for (size_t i = 0; i < rv->n_levels; i++)
		hash_put(allowed, rv->levels[i].s, rv->levels[i].len,
			 (void *)&rv->levels[i]);
	struct strbuf sb = { 0 };
	const char *only = words(&sb, rv->levels, rv->n_levels, JOIN_AND);
	const struct methods_clause *mc = &s->assessment.methods;
	for (size_t i = 0; i < mc->n_items; i++) {
		const struct method *m = &mc->items[i];
		if (!holds(&m->name, rv->methods, rv->n_methods))
			continue;
		if (!m->n_level_keys) {
			diag_report(
				c->diag, RULE_PROFILE_REVIEW_LEVELS,
				check_loc(c, m->at),
				"method '%s' is for every level (it has no 'levels'): the '%s' profile keeps it for %s",
				m->name.s, p->key.s, only);
			continue;
		}
		struct hash *listed = hash_new(c->arena, m->n_level_keys);
		for (size_t k = 0; k < m->n_level_keys; k++) {
			const struct level *l = m->levels[k];
			hash_put(listed, l->key.s, l->key.len, (void *)l);
			if (!hash_get(allowed, l->name.s, l->name.len))
				diag_report(
					c->diag, RULE_PROFILE_REVIEW_LEVELS,
					check_loc(c, m->level_keys[k].at),
					"method '%s' is for level '%s': the '%s' profile keeps it for %s",
					m->name.s, l->name.s, p->key.s, only);
		}
		for (size_t k = 0; k < s->n_levels; k++) {
			const struct level *l = &s->levels[k];
			if (hash_get(allowed, l->name.s, l->name.len) &&
			    !hash_get(listed, l->key.s, l->key.len))
				diag_report(
					c->diag, RULE_PROFILE_REVIEW_LEVELS,
					check_loc(c, m->at),
					"method '%s' is not for level '%s': the '%s' profile keeps it for %s",
					m->name.s, l->name.s, p->key.s, only);
		}
	}
	strbuf_free(&sb);
}

void
check_profile_pass_mark(const struct checker *c)
{
	const struct standard *s = c->std;
	const struct profile *p = s->profile_def;
	const struct pass_score *ps = &s->assessment.pass_score;
	if (!p || !p->pass_mark.at.given || !ps->at.given)
		return;
	const struct profile_pass *pm = &p->pass_mark;
	if (ps->score.v == pm->score.v && ps->full_marks.v == pm->full_marks.v)
		return;
	diag_report(
		c->diag, RULE_PROFILE_PASS_MARK,
		check_loc(c, ps->score.v != pm->score.v ? ps->score.at
							: ps->full_marks.at),
		"the pass mark is %lld of %lld: the '%s' profile asks %lld of %lld",
		(long long)ps->score.v, (long long)ps->full_marks.v, p->key.s,
		(long long)pm->score.v, (long long)pm->full_marks.v);
}

/* The ratios of the methods ps names whose role it names: each as ps asks,
 * and each such method with one at least. */
static void
check_staff(const struct checker *c, const struct profile *p,
	    const struct profile_staff *ps, int rule)
{
	const struct assessment *as = &c->std->assessment;
	size_t *found =
		arena_array(c->arena, as->methods.n_items + 1, sizeof *found);
	for (size_t i = 0; i < as->ratios.n_items; i++) {
		const struct ratio *r = &as->ratios.items[i];
		const struct method *m = r->method;
		if (!m || !holds(&m->name, ps->methods, ps->n_methods) ||
		    !holds(&r->role, ps->roles, ps->n_roles))
			continue;
		found[m->index]++;
		const char *role = r->role.s, *name = m->name.s,
			   *key = p->key.s;
		if (ps->staff.at.given && ps->candidates.at.given &&
		    (!r->staff.at.given || !r->candidates.at.given))
			diag_report(
				c->diag, rule, check_loc(c, r->at),
				"'%s' of method '%s' have no ratio to candidates: the '%s' profile asks at least %lld to %lld",
				role, name, key, (long long)ps->staff.v,
				(long long)ps->candidates.v);
		else if (ps->staff.at.given && ps->candidates.at.given &&
			 r->staff.v * ps->candidates.v <
				 r->candidates.v * ps->staff.v)
			diag_report(
				c->diag, rule, check_loc(c, r->candidates.at),
				"'%s' of method '%s' are %lld to %lld candidates: the '%s' profile asks at least %lld to %lld",
				role, name, (long long)r->staff.v,
				(long long)r->candidates.v, key,
				(long long)ps->staff.v,
				(long long)ps->candidates.v);
		if (ps->min_staff.at.given && !r->min_staff.at.given)
			diag_report(
				c->diag, rule, check_loc(c, r->at),
				"'%s' of method '%s' have no minimum ('min_staff'): the '%s' profile asks at least %lld",
				role, name, key, (long long)ps->min_staff.v);
		else if (ps->min_staff.at.given &&
			 r->min_staff.v < ps->min_staff.v)
			diag_report(
				c->diag, rule, check_loc(c, r->min_staff.at),
				"'%s' of method '%s' are at least %lld: the '%s' profile asks at least %lld",
				role, name, (long long)r->min_staff.v, key,
				(long long)ps->min_staff.v);
		if (ps->per_room.v && !r->per_room.v)
			diag_report(
				c->diag, rule, check_loc(c, r->at),
				"the minimum of '%s' of method '%s' is not per room ('per_room: true'): the '%s' profile asks it per room",
				role, name, key);
		if (ps->odd.v && !r->odd.v)
			diag_report(
				c->diag, rule, check_loc(c, r->at),
				"'%s' of method '%s' are not an odd number ('odd: true'): the '%s' profile asks an odd number",
				role, name, key);
	}
	struct strbuf sb = { 0 };
	for (size_t i = 0; i < as->methods.n_items; i++) {
		const struct method *m = &as->methods.items[i];
		if (found[i] || !holds(&m->name, ps->methods, ps->n_methods))
			continue;
		diag_report(
			c->diag, rule, check_loc(c, m->at),
			"method '%s' has no ratio whose role holds %s: the '%s' profile asks for one",
			m->name.s, words(&sb, ps->roles, ps->n_roles, JOIN_OR),
			p->key.s);
	}
	strbuf_free(&sb);
}

void
check_profile_invigilators(const struct checker *c)
{
	const struct profile *p = c->std->profile_def;
	if (p && p->invigilators.at.given)
		check_staff(c, p, &p->invigilators, RULE_PROFILE_INVIGILATORS);
}

void
check_profile_examiners(const struct checker *c)
{
	const struct profile *p = c->std->profile_def;
	if (p && p->examiners.at.given)
		check_staff(c, p, &p->examiners, RULE_PROFILE_EXAMINERS);
}

void
check_profile_theory_rows(const struct checker *c)
{
	const struct standard *s = c->std;
	const struct profile *p = s->profile_def;
	if (!p || !p->n_theory_rows)
		return;
	for (size_t i = 0; i < s->n_weight_tables; i++) {
		const struct weight_table *t = s->weight_tables[i];
		if (t->kind.v != KIND_THEORY)
			continue;
		/* A row is known by its label and by the title of the
		 * basic requirement it weighs. */
		struct hash *rows = hash_new(c->arena, 2 * t->n_rows + 1);
		for (size_t k = 0; k < t->n_rows; k++) {
			const struct weight_row *r = t->rows[k];
			hash_put(rows, r->label.s, r->label.len, (void *)r);
			if (r->basic)
				hash_put(rows, r->basic->title.s,
					 r->basic->title.len, (void *)r);
		}
		for (size_t k = 0; k < p->n_theory_rows; k++) {
			const struct text *want = &p->theory_rows[k];
			if (!hash_get(rows, want->s, want->len))
				diag_report(
					c->diag, RULE_PROFILE_THEORY_ROWS,
					check_loc(c, t->at),
					"theory weight table '%s' has no row for '%s': the '%s' profile asks for one",
					t->name, want->s, p->key.s);
		}
	}
}
