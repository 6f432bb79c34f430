/*
 * cname.c - the names of the C header, decided before it is written.
 *
 * Takes: a checked model and an optional prefix (without one, the
 * standard's id, or the initials of its words where the id would make a
 * name too long). Gives: every identifier
 * the header will declare from the source's keys (PREFIX_LEVEL_<KEY>,
 * PREFIX_<LEVEL>_<KEY>, or PREFIX_<LEVEL>_<BRANCH>_<KEY> in a branch's
 * table, PREFIX_BASIC_<KEY>, PREFIX_METHOD_<KEY>, with '-' turned into
 * '_' and letters upper-cased). Guarantees: no two identifiers
 * are equal, none is reserved in C or C++ (no "__"), none is longer than
 * C99's 63 significant characters, and every text the header holds (each
 * value of a field the shapes flag FIELD_C, found with model_walk) fits a
 * portable string literal. A clash is reported at the second key with a
 * note at the first, so emit_c never has to check anything.
 */
#include "skillc.h"

#include <ctype.h>
#include <string.h>

#define CSTRING_MAX                                                            \
	4095 /* characters C99 requires a string literal to hold               \
	      */

struct namer {
	struct arena *arena;
	struct diag *diag;
	const struct standard *std;
	struct hash
		*taken; /* identifier -> struct text that made it, or NULL */
	size_t errors;
};

bool
cname_valid_prefix(const char *p)
{
	size_t len = strlen(p);
	if (len == 0 || len > 31 || !isalpha((unsigned char)p[0]) ||
	    p[len - 1] == '_' || strstr(p, "__"))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)p[i]) && p[i] != '_')
			return false;
	return true;
}

/* prefix + '_' + parts, upper-cased, '-' as '_'. */
static char *
make_name(struct namer *n, const char *prefix, const char *infix,
	  const struct text *a, const struct text *b)
{
	struct strbuf sb = { 0 };
	strbuf_adds(&sb, prefix);
	if (infix)
		strbuf_addf(&sb, "_%s", infix);
	const struct text *parts[] = { a, b };
	for (size_t i = 0; i < 2; i++) {
		if (!parts[i])
			continue;
		strbuf_addc(&sb, '_');
		for (size_t j = 0; j < parts[i]->len; j++) {
			char c = parts[i]->s[j];
			strbuf_addc(&sb,
				    c == '-' ? '_'
					     : (char)toupper((unsigned char)c));
		}
	}
	char *name = arena_strndup(n->arena, sb.buf, sb.len);
	strbuf_free(&sb);
	return name;
}

/* Where key stands: made only to report, for a place costs a look at
 * the source. */
static struct loc
key_loc(const struct namer *n, const struct text *key)
{
	return model_loc(n->std, key ? key->at : (struct place){ 0 });
}

/* Claim a name for the thing key names; report why it cannot have it.
 * what, the kind of thing, is English (N_): messages translate it. */
static const char *
claim(struct namer *n, const char *name, const struct text *key,
      const char *what)
{
	size_t len = strlen(name);
	if (len > CNAME_MAX) {
		diag_report(
			n->diag, RULE_C_IDENTIFIER, key_loc(n, key),
			/* TRANSLATORS: in the messages about C names, the %s
			 * before a quoted key is a kind of thing: "level",
			 * "work content", "basic requirement", "method". */
			"the C name '%s' of %s '%s' is %zu characters long, over the %d C guarantees; use a shorter key or --prefix",
			name, _(what), key ? key->s : "", len, CNAME_MAX);
		n->errors++;
	} else if (strstr(name, "__")) {
		diag_report(
			n->diag, RULE_C_IDENTIFIER, key_loc(n, key),
			"the C name '%s' of %s '%s' holds '__', which C++ reserves",
			name, _(what), key ? key->s : "");
		n->errors++;
	}
	const struct text *first = hash_put(n->taken, name, len, (void *)key);
	if (first) {
		diag_report(
			n->diag, RULE_C_IDENTIFIER, key_loc(n, key),
			"%s '%s' would be named '%s' in C, a name already taken",
			_(what), key ? key->s : "", name);
		diag_note(n->diag, model_loc(n->std, first->at),
			  "'%s' is named '%s' here too", first->s, name);
		n->errors++;
	} else if (hash_get(n->taken, name, len) != key) {
		diag_report(
			n->diag, RULE_C_IDENTIFIER, key_loc(n, key),
			"%s '%s' would be named '%s' in C, a name already taken by the header itself",
			_(what), key ? key->s : "", name);
		n->errors++;
	}
	return name;
}

static void
check_length(struct namer *n, const struct text *t)
{
	if (t->s && t->len > CSTRING_MAX) {
		diag_report(
			n->diag, RULE_C_STRING_LENGTH, model_loc(n->std, t->at),
			"a text of %zu bytes does not fit a portable C string literal (at most %d)",
			t->len, CSTRING_MAX);
		n->errors++;
	}
}

/* Whether the C header holds the struct p of shape sh: unless a
 * FIELD_C_KEY of it is absent. */
static bool
held(const struct shape *sh, const void *p)
{
	for (const struct field *f = sh->fields; f->name; f++)
		if ((f->flags & FIELD_C_KEY) &&
		    !((const struct text *)((const char *)p + f->offset))->s)
			return false;
	return true;
}

/* The texts the C header holds are those whose field is flagged FIELD_C,
 * in the structs it holds: the shapes say which, for emit_c and for this
 * check alike. */
static bool
check_text_length(void *ctx, const struct walk_step *st)
{
	if (st->event == WALK_VALUE && (st->field->flags & FIELD_C) &&
	    held(st->shape, st->base))
		check_length(ctx, st->value);
	return true;
}

/* The longest part a name adds after the prefix and its '_'. */
static size_t
longest_suffix(const struct standard *s)
{
	size_t most = strlen("CONTENTS");
	const struct assessment *as = &s->assessment;
	for (size_t i = 0; i < s->n_levels; i++)
		if (strlen("LEVEL_") + s->levels[i].key.len > most)
			most = strlen("LEVEL_") + s->levels[i].key.len;
	for (size_t i = 0; i < s->n_contents; i++) {
		const struct content *ct = s->contents[i];
		const struct branch *br = ct->capability->table->branch;
		size_t len = ct->level->key.len + 1 + ct->key.len +
			     (br ? br->key.len + 1 : 0);
		if (len > most)
			most = len;
	}
	for (size_t i = 0; i < s->n_basics; i++)
		if (strlen("BASIC_") + s->basics[i]->key.len > most)
			most = strlen("BASIC_") + s->basics[i]->key.len;
	for (size_t i = 0; i < as->methods.n_items; i++)
		if (strlen("METHOD_") + as->methods.items[i].key.len > most)
			most = strlen("METHOD_") + as->methods.items[i].key.len;
	return most;
}

/* The prefix made of the standard's id: the id itself, upper-cased, or,
 * where that would make a name longer than C guarantees, the initials of
 * its words (med-aesthetic-internet-operator: MAIO). */
static const char *
derived_prefix(struct namer *n)
{
	const struct standard *s = n->std;
	const char *whole = make_name(n, "", NULL, &s->id, NULL) + 1;
	if (strlen(whole) <= 31 &&
	    strlen(whole) + 1 + longest_suffix(s) <= CNAME_MAX)
		return whole;
	struct strbuf sb = { 0 };
	for (size_t i = 0; i < s->id.len; i++)
		if (isalnum((unsigned char)s->id.s[i]) &&
		    (i == 0 || s->id.s[i - 1] == '-' || s->id.s[i - 1] == '_'))
			strbuf_addc(&sb,
				    (char)toupper((unsigned char)s->id.s[i]));
	const char *initials =
		arena_strndup(n->arena, sb.buf ? sb.buf : "", sb.len);
	strbuf_free(&sb);
	/* Only where the initials make every name fit: otherwise the id's
	 * own prefix is the one to report. */
	bool fits = cname_valid_prefix(initials) &&
		    strlen(initials) + 1 + longest_suffix(s) <= CNAME_MAX;
	return fits ? initials : whole;
}

struct cnames *
cname_build(struct arena *a, struct diag *d, const struct standard *s,
	    const char *prefix, bool strings)
{
	struct namer n = { a, d, s, NULL, 0 };
	struct cnames *c = arena_alloc(a, sizeof *c);
	const struct assessment *as = &s->assessment;
	n.taken = hash_new(a, s->n_levels + s->n_contents + s->n_basics +
				      as->methods.n_items + 16);
	c->upper = prefix ? make_name(&n, prefix, NULL, NULL, NULL)
			  : derived_prefix(&n);
	struct strbuf lower = { 0 };
	for (const char *p = c->upper; *p; p++)
		strbuf_addc(&lower, (char)tolower((unsigned char)*p));
	c->lower = arena_strndup(a, lower.buf, lower.len);
	strbuf_free(&lower);
	/* The header's own names come first: keys may not take them. */
	static const char *const fixed[] = { "H", "LEVELS", "CONTENTS",
					     "BASICS", "METHODS" };
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		hash_put(n.taken, make_name(&n, c->upper, fixed[i], NULL, NULL),
			 strlen(c->upper) + 1 + strlen(fixed[i]), NULL);
	if (strlen(c->upper) > 31 || strstr(c->upper, "__")) {
		/* Every name starts with the prefix: one report, at the id. */
		if (strstr(c->upper, "__"))
			diag_report(
				d, RULE_C_IDENTIFIER, model_loc(s, s->id.at),
				"the C prefix '%s' made of id '%s' holds '__', which C++ reserves; choose another with --prefix",
				c->upper, s->id.s);
		else
			diag_report(
				d, RULE_C_IDENTIFIER, model_loc(s, s->id.at),
				"the C prefix '%s' made of id '%s' is longer than 31 characters; choose another with --prefix",
				c->upper, s->id.s);
		return NULL;
	}
	c->level = arena_array(a, s->n_levels + 1, sizeof *c->level);
	for (size_t i = 0; i < s->n_levels; i++)
		c->level[i] = claim(&n,
				    make_name(&n, c->upper, "LEVEL",
					      &s->levels[i].key, NULL),
				    &s->levels[i].key, N_("level"));
	c->content = arena_array(a, s->n_contents + 1, sizeof *c->content);
	for (size_t i = 0; i < s->n_contents; i++) {
		/* PREFIX_<LEVEL>_<KEY>, or PREFIX_<LEVEL>_<BRANCH>_<KEY> in a
		 * branch's table: branches may use the same keys. */
		const struct content *ct = s->contents[i];
		const struct branch *br = ct->capability->table->branch;
		const char *name =
			br ? make_name(&n,
				       make_name(&n, c->upper, NULL,
						 &ct->level->key, NULL),
				       NULL, &br->key, &ct->key)
			   : make_name(&n, c->upper, NULL, &ct->level->key,
				       &ct->key);
		c->content[i] = claim(&n, name, &ct->key, N_("work content"));
	}
	c->basic = arena_array(a, s->n_basics + 1, sizeof *c->basic);
	for (size_t i = 0; i < s->n_basics; i++)
		c->basic[i] =
			claim(&n,
			      make_name(&n, c->upper, "BASIC",
					&s->basics[i]->key, NULL),
			      &s->basics[i]->key, N_("basic requirement"));
	c->method = arena_array(a, as->methods.n_items + 1, sizeof *c->method);
	for (size_t i = 0; i < as->methods.n_items; i++)
		c->method[i] = claim(&n,
				     make_name(&n, c->upper, "METHOD",
					       &as->methods.items[i].key, NULL),
				     &as->methods.items[i].key, N_("method"));
	if (strings)
		model_walk(model_standard_shape, s, check_text_length, &n);
	return n.errors ? NULL : c;
}
