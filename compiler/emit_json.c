/*
 * emit_json.c - model -> JSON.
 *
 * Takes: a checked model. Gives: one JSON document, UTF-8, two-space
 * indentation, keys in a fixed order. It mirrors the source key for key,
 * walking the model with model_walk through the same shape tables it was
 * read through (so nothing in the source can be left out), with every
 * optional key present: null for an absent text, integer or mapping, []
 * for an absent list, the default for an absent enumeration or boolean.
 * An absent enumeration is printed as the model resolved it (a route's
 * experience_counted follows its certificate). Then "effective": for
 * each level, the indices into work_requirements.tables of the tables of
 * its chain (its own and every included level's, shared and of every
 * branch), lowest level first, each level's in source order. Strings
 * escape '"', '\' and controls, so the output is JSON whatever the model
 * holds; the loader refuses U+2028 and U+2029 in every text, so it is
 * also valid JavaScript. Fails only when out of memory.
 */
#include "skillc.h"

#include <string.h>

struct jw {
	struct strbuf *out;
	size_t depth;
	bool first; /* nothing written yet in the open object or array */
};

/* A line break and the indentation of depth: spaces in pieces, not two
 * at a time. */
static void
jw_line(struct jw *w, size_t depth)
{
	static const char spaces[] = "                                ";
	strbuf_addc(w->out, '\n');
	for (size_t n = 2 * depth; n;) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
		strbuf_add(w->out, spaces, k);
		n -= k;
	}
}

/* Start a value: the comma, the line, the indentation, and "key": in
 * an object (key NULL in an array). */
static void
jw_value(struct jw *w, const char *key)
{
	if (w->depth) {
		if (!w->first)
			strbuf_addc(w->out, ',');
		jw_line(w, w->depth);
	}
	w->first = false;
	if (key) {
		strbuf_add_json(w->out, key, strlen(key));
		strbuf_adds(w->out, ": ");
	}
}

static void
jw_open(struct jw *w, const char *key, char bracket)
{
	jw_value(w, key);
	strbuf_addc(w->out, bracket);
	w->depth++;
	w->first = true;
}

static void
jw_close(struct jw *w, char bracket)
{
	w->depth--;
	if (!w->first)
		jw_line(w, w->depth);
	strbuf_addc(w->out, bracket);
	w->first = false;
}

static void
jw_text(struct jw *w, const char *key, const struct text *t)
{
	jw_value(w, key);
	if (t->at.given)
		strbuf_add_json(w->out, t->s, t->len);
	else
		strbuf_adds(w->out, "null");
}

static void
jw_literal(struct jw *w, const char *key, const char *literal)
{
	jw_value(w, key);
	strbuf_adds(w->out, literal);
}

static void
jw_int(struct jw *w, const char *key, const struct num *n)
{
	jw_value(w, key);
	if (n->at.given)
		strbuf_add_int(w->out, n->v);
	else
		strbuf_adds(w->out, "null");
}

/* One value of the model: a member (with its key) or an element. */
static void
json_value(struct jw *w, const char *key, const struct field *f,
	   const void *value)
{
	switch (f->type) {
	case F_INT:
	case F_INTS:
		jw_int(w, key, value);
		break;
	case F_CELLS:
		if (((const struct num *)value)->dash)
			jw_literal(w, key, "\"\u2014\"");
		else
			jw_int(w, key, value);
		break;
	case F_BOOL:
		jw_literal(w, key,
			   ((const struct flag *)value)->v ? "true" : "false");
		break;
	case F_ENUM:
		jw_value(w, key);
		strbuf_addf(w->out, "\"%s\"",
			    f->names[((const struct choice *)value)->v]);
		break;
	case F_LTEXT: { /* a text, or its texts by language as written */
		const struct ltext *t = value;
		if (t->n_langs == 1 && !t->langs[0].lang.s) {
			jw_text(w, key, &t->langs[0].text);
			break;
		}
		jw_open(w, key, '{');
		for (size_t i = 0; i < t->n_langs; i++)
			jw_text(w, t->langs[i].lang.s, &t->langs[i].text);
		jw_close(w, '}');
		break;
	}
	default: /* the texts and keys */
		jw_text(w, key, value);
		break;
	}
}

/* The source as model_walk shows it, key for key. */
static bool
json_visit(void *ctx, const struct walk_step *st)
{
	struct jw *w = ctx;
	const char *key = st->element ? NULL : st->field->name;
	switch (st->event) {
	case WALK_VALUE:
		json_value(w, key, st->field, st->value);
		break;
	case WALK_STRUCT:
		if (st->absent)
			jw_literal(w, key, "null");
		else
			jw_open(w, key, '{');
		break;
	case WALK_STRUCT_END:
		jw_close(w, '}');
		break;
	case WALK_LIST:
		jw_open(w, key, '[');
		break;
	case WALK_LIST_END:
		jw_close(w, ']');
		break;
	}
	return true;
}

/* Each level's requirements with those of the levels it includes: the
 * indices of its chain's work tables in work_requirements.tables, lowest
 * level first, each level's in source order. References, not copies: a
 * level holds the tables of every level it includes, so copies would
 * repeat the lowest level's contents once per level above it. */
static void
json_effective(struct jw *w, const struct standard *s)
{
	const struct work_table *base = s->work_requirements.tables;
	jw_open(w, "effective", '[');
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level *l = &s->levels[i];
		jw_open(w, NULL, '{');
		jw_text(w, "level", &l->key);
		jw_open(w, "includes", '[');
		for (size_t d = 0; d + 1 < l->n_chain; d++)
			jw_text(w, NULL, &l->chain[d]->key);
		jw_close(w, ']');
		jw_open(w, "tables", '[');
		for (size_t d = 0; d < l->n_chain; d++) {
			const struct level *cl = l->chain[d];
			for (size_t t = 0; t < cl->n_tables; t++) {
				jw_value(w, NULL);
				strbuf_add_int(w->out, cl->tables[t] - base);
			}
		}
		jw_close(w, ']');
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

void
emit_json(const struct unit *u, struct strbuf *out)
{
	const struct standard *s = u->std;
	struct jw w = { out, 0, true };
	jw_open(&w, NULL, '{');
	model_walk(model_standard_shape, s, json_visit, &w);
	json_effective(&w, s);
	jw_close(&w, '}');
	strbuf_addc(out, '\n');
}
