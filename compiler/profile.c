/*
 * profile.c - profiles: the rules a standard is drafted under, as data.
 *
 * Takes: profile files (those of schema/profiles/, built into skillc, then
 * --profile files), and for each standard its `profile:` key. Gives: each
 * profile read through its shape (model.c), its text rules registered
 * with the run for the standards under it, its base (`extends`) found and
 * every parameter it does not give taken from the base, the paths of the
 * texts it asks a sentence of resolved through the standard's shape, an
 * index of its level names; for a standard, the profile it names, or the
 * default one when it names none.
 *
 * Guarantees: a profile that cannot work (two profiles with one key, two
 * defaults, an unknown base or a cycle of bases, a path that is not a text
 * of the format, a level named twice) is a located error in its file,
 * reported before any standard is read; an unknown profile name is an
 * error at the standard's `profile:` key with the names known and the
 * nearest. No profile and no word of one is known here: the checks
 * (check_profile.c) read the parameters.
 */
#include "skillc.h"

#include <string.h>

struct profiles {
	struct arena *arena;
	struct profile **list; /* in the order read */
	size_t n, cap;
	struct hash *by_key;
	const struct profile *def; /* the default, or NULL */
};

struct profiles *
profiles_new(struct arena *a)
{
	struct profiles *set = arena_alloc(a, sizeof *set);
	set->arena = a;
	set->by_key = hash_new(a, 16);
	return set;
}

bool
profiles_add(struct profiles *set, struct rules *r, struct diag *d,
	     const char *file, const struct node *root)
{
	size_t errors = diag_errors(d);
	struct profile *p =
		root ? model_read_profile(set->arena, d, file, root) : NULL;
	if (!p)
		return false;
	const struct profile *other =
		hash_put(set->by_key, p->key.s, p->key.len, p);
	if (other) {
		diag_report(d, RULE_DUPLICATE_DEFINITION,
			    place_loc(d, p->file, p->buf, p->key.at),
			    "a profile '%s' is defined already", p->key.s);
		diag_note(d,
			  place_loc(d, other->file, other->buf, other->key.at),
			  "'%s' is defined here", p->key.s);
		return false;
	}
	if (p->is_default.v && set->def)
		diag_report(
			d, RULE_VALUE,
			place_loc(d, p->file, p->buf, p->is_default.at),
			"profile '%s' cannot be the default: '%s' is the default already",
			p->key.s, set->def->key.s);
	else if (p->is_default.v)
		set->def = p;
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 8;
		struct profile **list =
			arena_array(set->arena, cap, sizeof *list);
		if (set->n)
			memcpy(list, set->list, set->n * sizeof *list);
		set->list = list, set->cap = cap;
	}
	set->list[set->n++] = p;
	if (p->n_rules) {
		struct text_rules *tr = arena_alloc(set->arena, sizeof *tr);
		tr->at = p->at;
		tr->file = p->file, tr->buf = p->buf;
		tr->rules = p->rules;
		tr->n_rules = p->n_rules;
		rules_add_profile(r, d, tr, p);
	}
	return diag_errors(d) == errors;
}

/* The profiles' keys, for messages: "a, b, c". */
static void
key_list(const struct profiles *set, struct strbuf *sb)
{
	for (size_t i = 0; i < set->n; i++)
		strbuf_addf(sb, "%s%s", i ? _(", ") : "", set->list[i]->key.s);
}

/* The key of set nearest to s, if close enough to be a likely typo. */
static const char *
nearest(const struct profiles *set, const char *s)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX, len = strlen(s);
	size_t limit = len < 3 ? 1 : len / 3 + 1;
	for (size_t i = 0; i < set->n; i++) {
		size_t dist = edit_distance(s, set->list[i]->key.s);
		if (dist < best_d && dist <= limit)
			best = set->list[i]->key.s, best_d = dist;
	}
	return best;
}

/* An unknown profile name at at, as an unknown value of an enumeration
 * is reported: what is the key that names it. */
static void
unknown(const struct profiles *set, struct diag *d, struct loc at,
	const char *key, const char *what)
{
	struct strbuf sb = { 0 };
	key_list(set, &sb);
	const char *near = nearest(set, key);
	if (near)
		diag_report(
			d, RULE_VALUE, at,
			"'%s' is not a valid '%s'; did you mean '%s'? (one of: %s)",
			key, what, near, sb.buf ? sb.buf : "");
	else
		diag_report(d, RULE_VALUE, at,
			    "'%s' is not a valid '%s' (one of: %s)", key, what,
			    sb.buf ? sb.buf : "");
	strbuf_free(&sb);
}

/* The parameters p does not give, from its base. A list given empty asks
 * nothing and is taken from the base too. Their places count from the
 * base's buffer, not p's: nothing reports them as p's, for the base is
 * finished (and its parameters checked) before p takes them. */
static void
inherit(struct profile *p, const struct profile *base)
{
	if (!p->n_levels) {
		p->levels = base->levels, p->n_levels = base->n_levels;
		p->level_rank = base->level_rank;
	}
	if (!p->coverage.at.given)
		p->coverage = base->coverage;
	if (!p->review.at.given)
		p->review = base->review;
	if (!p->pass_mark.at.given)
		p->pass_mark = base->pass_mark;
	if (!p->invigilators.at.given)
		p->invigilators = base->invigilators;
	if (!p->examiners.at.given)
		p->examiners = base->examiners;
	if (!p->n_theory_rows) {
		p->theory_rows = base->theory_rows;
		p->n_theory_rows = base->n_theory_rows;
	}
}

/* A path of keys (work_requirements.general.text) through the shapes of
 * the standard to one of its texts: the offset in struct standard of each
 * struct along it, then of the text. */
static bool
resolve_path(struct arena *a, struct diag *d, const char *file, const char *buf,
	     const struct text *path, size_t **offsets, size_t *depth)
{
	const struct shape *sh = model_standard_shape;
	size_t *out = arena_array(a, path->len + 1, sizeof *out);
	size_t base = 0, n = 0;
	const char *s = path->s, *end = path->s + path->len;
	for (;;) {
		const char *dot = memchr(s, '.', (size_t)(end - s));
		size_t len = (size_t)((dot ? dot : end) - s);
		const struct field *f = sh->fields;
		while (f->name &&
		       (strlen(f->name) != len || memcmp(f->name, s, len)))
			f++;
		if (!f->name) {
			diag_report(
				d, RULE_VALUE,
				place_loc(d, file, buf, path->at),
				/* TRANSLATORS: "'x.y' is not a text of a
				 * standard: work requirements has no key 'y'
				 * (...)": the second %s is what a mapping of
				 * the standard is (a shape's name). */
				"'%s' is not a text of a standard: %s has no key '%.*s' (a path of keys such as work_requirements.intro)",
				path->s, _(sh->what), (int)len, s);
			return false;
		}
		if (dot && f->type != F_STRUCT) {
			diag_report(
				d, RULE_VALUE,
				place_loc(d, file, buf, path->at),
				"'%s' is not a text of a standard: %s has no mapping '%.*s' (a path of keys such as work_requirements.intro)",
				path->s, _(sh->what), (int)len, s);
			return false;
		}
		if (!dot && f->type != F_TEXT) {
			diag_report(
				d, RULE_VALUE,
				place_loc(d, file, buf, path->at),
				"'%s' is not a text of a standard: %s has no text '%.*s' (a path of keys such as work_requirements.intro)",
				path->s, _(sh->what), (int)len, s);
			return false;
		}
		base += f->offset;
		out[n++] = base;
		if (!dot)
			break;
		sh = f->shape;
		s = dot + 1;
	}
	*offsets = out, *depth = n;
	return true;
}

/* What p's own parameters need: its level names indexed, its paths
 * resolved. */
static bool
index_profile(struct arena *a, struct diag *d, struct profile *p)
{
	bool ok = true;
	if (p->n_levels && !p->level_rank) {
		p->level_rank = hash_new(a, p->n_levels);
		for (size_t i = 0; i < p->n_levels; i++) {
			const struct text *t = &p->levels[i];
			if (hash_put(p->level_rank, t->s, t->len,
				     (void *)(uintptr_t)(i + 1))) {
				diag_report(
					d, RULE_DUPLICATE_DEFINITION,
					place_loc(d, p->file, p->buf, t->at),
					"level '%s' is named twice", t->s);
				ok = false;
			}
		}
	}
	struct profile_coverage *cv = &p->coverage;
	if (cv->at.given && !cv->offsets && (!cv->n_sentences || !cv->n_in)) {
		diag_report(
			d, RULE_VALUE, place_loc(d, p->file, p->buf, cv->at),
			"'coverage' needs a sentence and a text to look in");
		ok = false;
	}
	if (cv->at.given && !cv->offsets) {
		cv->offsets = arena_array(a, cv->n_in + 1, sizeof *cv->offsets);
		cv->depth = arena_array(a, cv->n_in + 1, sizeof *cv->depth);
		for (size_t i = 0; i < cv->n_in; i++)
			ok = resolve_path(a, d, p->file, p->buf, &cv->in[i],
					  &cv->offsets[i], &cv->depth[i]) &&
			     ok;
	}
	return ok;
}

enum { STATE_NEW, STATE_BUSY, STATE_DONE };

/* Resolve p after its base, depth first; a base met again while it is
 * being resolved closes a cycle. */
static bool
finish(struct profiles *set, struct diag *d, struct profile *p)
{
	if (p->state == STATE_DONE)
		return true;
	if (p->state == STATE_BUSY) {
		diag_report(d, RULE_VALUE,
			    place_loc(d, p->file, p->buf, p->extends_key.at),
			    "profile '%s' extends itself, through its bases",
			    p->key.s);
		return false;
	}
	p->state = STATE_BUSY;
	bool ok = true;
	if (p->extends_key.at.given) {
		struct profile *base = hash_get(set->by_key, p->extends_key.s,
						p->extends_key.len);
		if (!base)
			unknown(set, d,
				place_loc(d, p->file, p->buf,
					  p->extends_key.at),
				p->extends_key.s, "extends");
		ok = base && finish(set, d, base);
		if (ok) {
			p->extends = base;
			inherit(p, base);
		}
	}
	ok = index_profile(set->arena, d, p) && ok;
	p->state = STATE_DONE;
	return ok;
}

bool
profiles_finish(struct profiles *set, struct diag *d)
{
	bool ok = true;
	for (size_t i = 0; i < set->n; i++)
		ok = finish(set, d, set->list[i]) && ok;
	return ok;
}

bool
profiles_resolve(const struct profiles *set, const struct standard *s,
		 struct diag *d, const struct profile **out)
{
	*out = set->def;
	if (!s->profile.at.given)
		return true;
	*out = hash_get(set->by_key, s->profile.s, s->profile.len);
	if (!*out)
		unknown(set, d, model_loc(s, s->profile.at), s->profile.s,
			"profile");
	return *out != NULL;
}

bool
profile_covers(const struct profile *p, const struct profile *q)
{
	if (!q)
		return true;
	for (; p; p = p->extends)
		if (p == q)
			return true;
	return false;
}
