/*
 * emit_json.c - model -> JSON.
 *
 * Takes: a checked model. Gives: one JSON document, UTF-8, two-space
 * indentation, keys in a fixed order. It mirrors the source key for key,
 * walking the same shape tables the model was read through (so nothing in
 * the source can be left out), with every optional key present: null for
 * an absent text, integer or mapping, [] for an absent list, the default
 * for an absent enumeration or boolean. Then "effective": for each level,
 * its own work contents and every included level's, lowest level first,
 * each content and item tagged with the level that introduced it. Strings
 * escape '"', '\', controls, U+2028 and U+2029, so the output is also
 * valid JavaScript. Fails only when out of memory.
 */
#include "skillc.h"

#include <stdlib.h>
#include <string.h>

struct jw {
	struct strbuf *out;
	size_t depth;
	bool first; /* nothing written yet in the open object or array */
};

static void
json_string(struct strbuf *out, const char *s, size_t len)
{
	strbuf_addc(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			strbuf_addc(out, '\\');
			strbuf_addc(out, (char)c);
		} else if (c == '\n') {
			strbuf_adds(out, "\\n");
		} else if (c < 0x20 || c == 0x7f) {
			strbuf_addf(out, "\\u%04x", c);
		} else if (c == 0xe2 && i + 2 < len &&
			   (unsigned char)s[i + 1] == 0x80 &&
			   ((unsigned char)s[i + 2] == 0xa8 ||
			    (unsigned char)s[i + 2] == 0xa9)) {
			strbuf_addf(out, "\\u%04x",
				    0x2000 + (unsigned char)s[i + 2] - 0x80);
			i += 2;
		} else {
			strbuf_addc(out, (char)c);
		}
	}
	strbuf_addc(out, '"');
}

/* Start a value: the comma, the line, the indentation, and "key": in
 * an object (key NULL in an array). */
static void
jw_value(struct jw *w, const char *key)
{
	if (w->depth) {
		strbuf_adds(w->out, w->first ? "\n" : ",\n");
		for (size_t i = 0; i < w->depth; i++)
			strbuf_adds(w->out, "  ");
	}
	w->first = false;
	if (key) {
		json_string(w->out, key, strlen(key));
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
	if (!w->first) {
		strbuf_addc(w->out, '\n');
		for (size_t i = 0; i < w->depth; i++)
			strbuf_adds(w->out, "  ");
	}
	strbuf_addc(w->out, bracket);
	w->first = false;
}

static void
jw_text(struct jw *w, const char *key, const struct text *t)
{
	jw_value(w, key);
	if (t->at)
		json_string(w->out, t->s, t->len);
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
	if (n->at)
		strbuf_addf(w->out, "%lld", (long long)n->v);
	else
		strbuf_adds(w->out, "null");
}

static void json_struct(struct jw *w, const char *key, const struct shape *sh,
			const void *p);

/* One member of a struct, as its field of the shape says. */
static void
json_field(struct jw *w, const struct field *f, const void *base)
{
	const char *member = (const char *)base + f->offset;
	const void *items = *(const void *const *)member;
	size_t count = f->count_offset
			       ? *(const size_t *)((const char *)base +
						   f->count_offset)
			       : 0;
	switch (f->type) {
	case F_TEXT:
	case F_KEY:
		jw_text(w, f->name, (const struct text *)member);
		break;
	case F_INT:
		jw_int(w, f->name, (const struct num *)member);
		break;
	case F_BOOL:
		jw_literal(w, f->name,
			   ((const struct flag *)member)->v ? "true" : "false");
		break;
	case F_ENUM:
		jw_value(w, f->name);
		strbuf_addf(w->out, "\"%s\"",
			    f->names[((const struct choice *)member)->v]);
		break;
	case F_TEXTS:
	case F_KEYS:
		jw_open(w, f->name, '[');
		for (size_t i = 0; i < count; i++)
			jw_text(w, NULL, (const struct text *)items + i);
		jw_close(w, ']');
		break;
	case F_INTS:
		jw_open(w, f->name, '[');
		for (size_t i = 0; i < count; i++)
			jw_int(w, NULL, (const struct num *)items + i);
		jw_close(w, ']');
		break;
	case F_STRUCT:
		json_struct(w, f->name, f->shape, member);
		break;
	case F_LIST:
		jw_open(w, f->name, '[');
		for (size_t i = 0; i < count; i++)
			json_struct(w, NULL, f->shape,
				    (const char *)items + i * f->shape->size);
		jw_close(w, ']');
		break;
	}
}

static void
json_struct(struct jw *w, const char *key, const struct shape *sh,
	    const void *p)
{
	/* Every struct of the model starts with the node it was read from:
	 * none means the source has no such mapping. */
	if (!*(const struct node *const *)p) {
		jw_literal(w, key, "null");
		return;
	}
	jw_open(w, key, '{');
	for (const struct field *f = sh->fields; f->name; f++)
		json_field(w, f, p);
	jw_close(w, '}');
}

static void
json_items(struct jw *w, const char *key, const struct item *items, size_t n,
	   const struct level *level)
{
	jw_open(w, key, '[');
	for (size_t i = 0; i < n; i++) {
		jw_open(w, NULL, '{');
		jw_text(w, "level", &level->key);
		jw_text(w, "id", &items[i].id);
		jw_text(w, "text", &items[i].text);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void
json_content(struct jw *w, const struct content *ct)
{
	jw_open(w, NULL, '{');
	jw_text(w, "level", &ct->level->key);
	jw_text(w, "key", &ct->key);
	jw_text(w, "id", &ct->id);
	jw_text(w, "name", &ct->name);
	jw_open(w, "capability", '{');
	jw_text(w, "id", &ct->capability->id);
	jw_text(w, "name", &ct->capability->name);
	jw_close(w, '}');
	json_items(w, "skills", ct->skills, ct->n_skills, ct->level);
	json_items(w, "knowledge", ct->knowledge, ct->n_knowledge, ct->level);
	jw_close(w, '}');
}

/* Each level's requirements with those of the levels it includes. */
static void
json_effective(struct jw *w, const struct standard *s)
{
	const struct level **chain = calloc(s->n_levels + 1, sizeof *chain);
	if (!chain)
		die_oom();
	jw_open(w, "effective", '[');
	for (size_t i = 0; i < s->n_levels; i++) {
		size_t depth = 0;
		for (const struct level *l = &s->levels[i]; l; l = l->includes)
			chain[depth++] = l;
		jw_open(w, NULL, '{');
		jw_text(w, "level", &s->levels[i].key);
		jw_open(w, "includes", '[');
		for (size_t d = depth; d-- > 1;)
			jw_text(w, NULL, &chain[d]->key);
		jw_close(w, ']');
		jw_open(w, "contents", '[');
		while (depth--) {
			const struct work_table *t = chain[depth]->work;
			for (size_t c = 0; t && c < t->n_capabilities; c++)
				for (size_t k = 0;
				     k < t->capabilities[c].n_contents; k++)
					json_content(w,
						     &t->capabilities[c].contents[k]);
		}
		jw_close(w, ']');
		jw_close(w, '}');
	}
	jw_close(w, ']');
	free(chain);
}

void
emit_json(const struct standard *s, struct strbuf *out)
{
	struct jw w = { out, 0, true };
	jw_open(&w, NULL, '{');
	for (const struct field *f = model_standard_shape->fields; f->name; f++)
		json_field(&w, f, s);
	json_effective(&w, s);
	jw_close(&w, '}');
	strbuf_addc(out, '\n');
}
