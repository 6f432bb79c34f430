/*
 * init.c - skillc init: a new standard, from a skeleton.
 *
 * Takes: a profile's key, a choice of its levels and a path. Gives: at the
 * path (or on standard output for '-') a complete standard under that
 * profile, laid out as the profile's documents are printed, that skillc
 * check passes without a finding: each text the editor must write is a
 * placeholder, the rest the usual wording.
 *
 * The skeletons are data (schema/skeletons/, built into skillc; the
 * README.md there describes them): per profile, the levels it offers and a
 * template of the source, which this file expands without knowing a word
 * of it. A template is text with tags:
 *
 *   {{name}}                     a variable of the level at hand, or of the run
 *   {{#levels}}...{{/levels}}    once per level chosen, lowest first
 *   {{#levels.F}}...{{/levels.F}} the same for the levels whose F is true
 *   {{#any.F}}...{{/any.F}}      once if some level chosen has F true
 *                                ({{^any.F}}: if none has)
 *   {{#name}}...{{/name}}        if the variable is true ({{^name}}: false)
 *   {{+name}} {{=name}}          counter name, counted then printed; printed
 *
 * A section tag alone on its line takes the line with it, so that a
 * template reads as the YAML it makes.
 *
 * Guarantees: every option is checked before anything is written; the
 * expansion goes through the whole pipeline and is written only without
 * a finding (a skeleton that does not check clean is skillc's own fault:
 * exit 2); the file is written through output.c, never over a file that
 * exists. No word of a skeleton is known here.
 */
#include "skillc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- the skeletons ------------------------------------------------------ */

struct slevel {
	const struct node *at;
	const char *key, *name;
	/* expanded: name -> const char *, its own variables and init's */
	struct hash *vars;
};

struct skeleton {
	const char *file;
	const struct node *at;
	const char *profile, *extends;
	const struct node *extends_at;
	bool is_default;
	struct slevel *levels; /* NULL: the base's */
	size_t n_levels;
	size_t default_levels; /* 0: all */
	const char *const *count_words;
	size_t n_count_words;
	const struct node *tmpl; /* NULL: the base's */
	/* whose template it is: the variables of its levels are known to
	 * the template, whatever the levels it is expanded for */
	const struct skeleton *author;
	int state;
};

static bool
scalar(struct diag *d, const char *file, const struct node *n, const char *key)
{
	if (n->kind == NODE_SCALAR)
		return true;
	/* TRANSLATORS: the second %s is the kind of YAML node found
	 * ("mapping", "list", "number"...). */
	diag_report(d, RULE_TYPE, node_loc(d, file, n),
		    "'%s' must be text, not %s", key, _(node_kind_name(n)));
	return false;
}

/* A variable's name: lower-case letters, digits and '_'. */
static bool
var_name(const char *s, size_t len)
{
	if (!len || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* The names init gives each level or the run itself. */
static const char *const builtin_vars[] = {
	"key",	      "name",	    "n",   "first",   "last",
	"lower",      "lower_name", "id",  "profile", "count",
	"count_word", "levels",	    "any", NULL
};

static bool
builtin(const char *s)
{
	for (size_t i = 0; builtin_vars[i]; i++)
		if (!strcmp(s, builtin_vars[i]))
			return true;
	return false;
}

static bool
read_level(struct diag *d, const char *file, const struct node *n,
	   struct slevel *l)
{
	if (n->kind != NODE_MAP) {
		diag_report(d, RULE_TYPE, node_loc(d, file, n),
			    /* TRANSLATORS: %s is the kind of YAML node
			     * found ("list", "number"...). */
			    "a level must be a mapping, not %s",
			    _(node_kind_name(n)));
		return false;
	}
	bool ok = true;
	l->at = n;
	for (size_t i = 0; i < n->count; i++) {
		const struct node *k = &node_keys(n)[i], *v = &n->items[i];
		if (!scalar(d, file, v, k->text)) {
			ok = false;
			continue;
		}
		if (!strcmp(k->text, "key"))
			l->key = v->text;
		else if (!strcmp(k->text, "name"))
			l->name = v->text;
		else if (!var_name(k->text, k->len) || builtin(k->text)) {
			diag_report(
				d, RULE_VALUE, node_loc(d, file, k),
				"'%s' cannot name a variable of a level (a-z, 0-9 and '_', and none of init's own)",
				k->text);
			ok = false;
		}
	}
	if (!l->key || !l->name) {
		diag_report(d, RULE_MISSING_KEY, node_loc(d, file, n),
			    "a level needs 'key' and 'name'");
		ok = false;
	}
	return ok;
}

static struct skeleton *
read_skeleton(struct arena *a, struct diag *d, const struct embedded_file *f)
{
	const struct node *root =
		load_buffer(a, d, f->name, (const char *)f->bytes, f->len);
	if (!root)
		return NULL;
	if (root->kind != NODE_MAP) {
		diag_report(d, RULE_TYPE, node_loc(d, f->name, root),
			    /* TRANSLATORS: %s is the kind of YAML node
			     * found ("list", "number"...). */
			    "a skeleton must be a mapping, not %s",
			    _(node_kind_name(root)));
		return NULL;
	}
	struct skeleton *sk = arena_alloc(a, sizeof *sk);
	sk->file = f->name;
	sk->author = sk;
	sk->at = root;
	bool ok = true, version = false;
	for (size_t i = 0; i < root->count; i++) {
		const struct node *k = &node_keys(root)[i],
				  *v = &root->items[i];
		const char *key = k->text;
		if (!strcmp(key, "levels") || !strcmp(key, "count_words")) {
			if (v->kind != NODE_SEQ) {
				diag_report(d, RULE_TYPE,
					    node_loc(d, f->name, v),
					    /* TRANSLATORS: the second %s is
					     * the kind of YAML node found
					     * ("mapping", "number"...). */
					    "'%s' must be a list, not %s", key,
					    _(node_kind_name(v)));
				ok = false;
				continue;
			}
			bool words = key[0] == 'c';
			const char **w =
				arena_array(a, v->count + 1, sizeof *w);
			struct slevel *l =
				arena_array(a, v->count + 1, sizeof *l);
			for (size_t j = 0; j < v->count; j++) {
				if (words &&
				    scalar(d, f->name, &v->items[j], key))
					w[j] = v->items[j].text;
				else if (words ||
					 !read_level(d, f->name, &v->items[j],
						     &l[j]))
					ok = false;
			}
			if (words)
				sk->count_words = w,
				sk->n_count_words = v->count;
			else
				sk->levels = l, sk->n_levels = v->count;
			continue;
		}
		if (!scalar(d, f->name, v, key)) {
			ok = false;
			continue;
		}
		if (!strcmp(key, "skillc_skeleton")) {
			version = !strcmp(v->text, "1");
			if (!version)
				diag_report(d, RULE_VALUE,
					    node_loc(d, f->name, v),
					    "'skillc_skeleton' is 1, not '%s'",
					    v->text);
		} else if (!strcmp(key, "profile")) {
			sk->profile = v->text;
		} else if (!strcmp(key, "extends")) {
			sk->extends = v->text, sk->extends_at = v;
		} else if (!strcmp(key, "default")) {
			sk->is_default = !strcmp(v->text, "true");
			if (!sk->is_default && strcmp(v->text, "false")) {
				diag_report(
					d, RULE_VALUE, node_loc(d, f->name, v),
					"'default' is true or false, not '%s'",
					v->text);
				ok = false;
			}
		} else if (!strcmp(key, "default_levels")) {
			char *end;
			unsigned long n = strtoul(v->text, &end, 10);
			if (*end || !n || v->text[0] < '0' ||
			    v->text[0] > '9') {
				diag_report(
					d, RULE_VALUE, node_loc(d, f->name, v),
					"'default_levels' is a number of levels, not '%s'",
					v->text);
				ok = false;
			}
			sk->default_levels = (size_t)n;
		} else if (!strcmp(key, "template")) {
			sk->tmpl = v;
		} else if (strcmp(key, "summary")) {
			diag_report(d, RULE_UNKNOWN_KEY,
				    node_loc(d, f->name, k),
				    "unknown key '%s' in a skeleton", key);
			ok = false;
		}
	}
	if (!version || !sk->profile) {
		diag_report(d, RULE_MISSING_KEY, node_loc(d, f->name, root),
			    "a skeleton needs 'skillc_skeleton' and 'profile'");
		ok = false;
	}
	if (!sk->extends && (!sk->n_levels || !sk->tmpl)) {
		diag_report(
			d, RULE_MISSING_KEY, node_loc(d, f->name, root),
			"a skeleton needs 'levels' and 'template', or 'extends'");
		ok = false;
	}
	return ok ? sk : NULL;
}

struct skeletons {
	struct skeleton **list;
	size_t n;
	struct hash *by_profile;
	const struct skeleton *def;
};

/* Take from the base what sk does not give; false on a cycle or an
 * unknown base, reported. */
static bool
inherit(struct skeletons *set, struct diag *d, struct skeleton *sk)
{
	if (sk->state == 2 || !sk->extends)
		return true;
	struct skeleton *base =
		hash_get(set->by_profile, sk->extends, strlen(sk->extends));
	if (!base || sk->state == 1) {
		if (base)
			diag_report(d, RULE_VALUE,
				    node_loc(d, sk->file, sk->extends_at),
				    "skeleton '%s' extends itself",
				    sk->profile);
		else
			diag_report(d, RULE_VALUE,
				    node_loc(d, sk->file, sk->extends_at),
				    "no skeleton '%s' to extend", sk->extends);
		return false;
	}
	sk->state = 1;
	if (!inherit(set, d, base))
		return false;
	sk->state = 2;
	if (!sk->tmpl)
		sk->tmpl = base->tmpl, sk->author = base->author;
	if (!sk->levels) {
		sk->levels = base->levels, sk->n_levels = base->n_levels;
		if (!sk->default_levels)
			sk->default_levels = base->default_levels;
	}
	if (!sk->count_words) {
		sk->count_words = base->count_words;
		sk->n_count_words = base->n_count_words;
	}
	return true;
}

/* The skeletons of files, read and resolved; NULL after reporting. */
static struct skeletons *
skeletons_read(struct arena *a, struct diag *d,
	       const struct embedded_file *files, size_t count)
{
	struct skeletons *set = arena_alloc(a, sizeof *set);
	set->list = arena_array(a, count + 1, sizeof *set->list);
	set->by_profile = hash_new(a, count + 1);
	bool ok = true;
	for (size_t i = 0; i < count; i++) {
		struct skeleton *sk = read_skeleton(a, d, &files[i]);
		if (!sk) {
			ok = false;
			continue;
		}
		if (hash_put(set->by_profile, sk->profile, strlen(sk->profile),
			     sk)) {
			diag_report(d, RULE_DUPLICATE_DEFINITION,
				    node_loc(d, sk->file, sk->at),
				    "a second skeleton for profile '%s'",
				    sk->profile);
			ok = false;
		}
		if (sk->is_default && set->def) {
			diag_report(d, RULE_VALUE,
				    node_loc(d, sk->file, sk->at),
				    "a second default skeleton");
			ok = false;
		} else if (sk->is_default) {
			set->def = sk;
		}
		set->list[set->n++] = sk;
	}
	for (size_t i = 0; ok && i < set->n; i++)
		ok = inherit(set, d, set->list[i]);
	for (size_t i = 0; ok && i < set->n; i++) {
		const struct skeleton *sk = set->list[i];
		struct hash *seen = hash_new(a, 2 * sk->n_levels + 1);
		for (size_t k = 0; k < sk->n_levels; k++) {
			const struct slevel *l = &sk->levels[k];
			if (hash_put(seen, l->key, strlen(l->key), (void *)l) ||
			    hash_put(seen, l->name, strlen(l->name),
				     (void *)l)) {
				diag_report(
					d, RULE_DUPLICATE_DEFINITION,
					node_loc(d, sk->file, l->at),
					"a level of skeleton '%s' has the key or name of another",
					sk->profile);
				ok = false;
			}
		}
		if (sk->default_levels > sk->n_levels) {
			diag_report(
				d, RULE_VALUE, node_loc(d, sk->file, sk->at),
				"'default_levels' is more than the %zu levels",
				sk->n_levels);
			ok = false;
		}
	}
	if (ok && !set->def && set->n) {
		diag_report(d, RULE_MISSING_KEY,
			    node_loc(d, set->list[0]->file, set->list[0]->at),
			    "no skeleton is the default ('default: true')");
		ok = false;
	}
	return ok ? set : NULL;
}

/* ---- the options -------------------------------------------------------- */

static const struct skeleton *
find_skeleton(const struct skeletons *set, const char *profile)
{
	if (!profile && !set->def)
		diag_fatal("skillc has no skeleton built in");
	if (!profile)
		return set->def;
	const struct skeleton *sk =
		hash_get(set->by_profile, profile, strlen(profile));
	if (sk)
		return sk;
	struct strbuf names = { 0 };
	struct diag_suggest near;
	diag_suggest_init(&near, profile);
	for (size_t i = 0; i < set->n; i++) {
		const char *p = set->list[i]->profile;
		strbuf_addf(&names, "%s%s", i ? _(", ") : "", p);
		diag_suggest_try(&near, p);
	}
	const char *list = names.buf ? names.buf : "";
	if (near.best)
		diag_usage_error(
			"no skeleton for profile '%s'; did you mean '%s'? (one of: %s)",
			profile, near.best, list);
	else
		diag_usage_error("no skeleton for profile '%s' (one of: %s)",
				 profile, list);
	strbuf_free(&names);
	return NULL;
}

/* The skeleton's levels, for messages: "l5 (五级/初级工), l4 (...)". */
static void
level_list(const struct skeleton *sk, struct strbuf *sb)
{
	for (size_t i = 0; i < sk->n_levels; i++) {
		if (i)
			strbuf_adds(sb, _(", "));
		/* TRANSLATORS: a level in a list: its key and its name. */
		strbuf_addf(sb, _("%s (%s)"), sk->levels[i].key,
			    sk->levels[i].name);
	}
}

/* --levels: N (the N lowest), or a list of keys or names of consecutive
 * levels; *first and *n the levels chosen. 0 or 2 after reporting. */
static int
choose_levels(struct arena *a, const struct skeleton *sk, const char *arg,
	      size_t *first, size_t *n)
{
	size_t total = sk->n_levels;
	*first = 0;
	*n = sk->default_levels ? sk->default_levels : total;
	if (!arg)
		return 0;
	if (!*arg)
		return diag_usage_error(
			"--levels takes a number or a list of levels, not an empty one");
	if (strspn(arg, "0123456789") == strlen(arg)) {
		size_t len = strlen(arg);
		unsigned long v = len <= 6 ? strtoul(arg, NULL, 10) : 0;
		if (!v || v > total)
			return diag_usage_error(
				"--levels takes a number from 1 to %zu for profile '%s', not '%s'",
				total, sk->profile, arg);
		*n = (size_t)v;
		return 0;
	}
	struct hash *by = hash_new(a, 2 * total + 1);
	for (size_t i = 0; i < total; i++) {
		const struct slevel *l = &sk->levels[i];
		hash_put(by, l->key, strlen(l->key),
			 (void *)(uintptr_t)(i + 1));
		hash_put(by, l->name, strlen(l->name),
			 (void *)(uintptr_t)(i + 1));
	}
	bool *chosen = arena_array(a, total + 1, sizeof *chosen);
	size_t lo = SIZE_MAX, hi = 0, count = 0;
	for (const char *s = arg;;) {
		size_t len = strcspn(s, ",");
		size_t r = (size_t)(uintptr_t)hash_get(by, s, len);
		if (!r) {
			struct strbuf sb = { 0 };
			level_list(sk, &sb);
			int st =
				len ? diag_usage_error(
					      "unknown level '%.*s' in --levels (the levels of profile '%s': %s)",
					      (int)len, s, sk->profile, sb.buf)
				    : diag_usage_error(
					      "--levels holds an empty name: '%s'",
					      arg);
			strbuf_free(&sb);
			return st;
		}
		if (chosen[r - 1])
			return diag_usage_error(
				"level '%.*s' is given twice in --levels",
				(int)len, s);
		chosen[r - 1] = true;
		count++;
		lo = r - 1 < lo ? r - 1 : lo;
		hi = r - 1 > hi ? r - 1 : hi;
		if (!s[len])
			break;
		s += len + 1;
	}
	for (size_t i = lo; i <= hi; i++)
		if (!chosen[i])
			return diag_usage_error(
				"--levels names '%s' and '%s' but not '%s' between them: the levels must be consecutive",
				sk->levels[lo].key, sk->levels[hi].key,
				sk->levels[i].key);
	*first = lo, *n = count;
	return 0;
}

/* ---- the template ------------------------------------------------------- */

enum tok_kind {
	TOK_TEXT,
	TOK_VAR,    /* {{name}} */
	TOK_OPEN,   /* {{#name}} */
	TOK_INVERT, /* {{^name}} */
	TOK_CLOSE,  /* {{/name}} */
	TOK_COUNT,  /* {{+name}} */
	TOK_VALUE,  /* {{=name}} */
};

struct tok {
	enum tok_kind kind;
	const char *s; /* the text, or the name */
	size_t len;
	size_t off; /* in the template, for locations */
	size_t end; /* a section: the index of its close */
};

struct tmpl {
	const struct node *node;
	const char *file; /* the skeleton's it comes from */
	struct tok *toks;
	size_t n;
};

static bool
blank(const char *s, const char *end)
{
	for (; s < end; s++)
		if (*s != ' ')
			return false;
	return true;
}

static struct loc
tmpl_loc(struct diag *d, const struct tmpl *t, size_t off)
{
	return load_position(d, t->file, t->node, off);
}

/* Split the template into text and tags, sections matched; false after
 * reporting. */
static bool
tokenize(struct arena *a, struct diag *d, struct tmpl *t)
{
	const char *s = t->node->text;
	size_t len = t->node->len, pos = 0, n = 0, depth = 0;
	/* at most a text and a tag per "{{", and a text at the end */
	size_t max = 2;
	for (const char *p = s; (p = strstr(p, "{{")); p += 2)
		max += 2;
	t->toks = arena_array(a, max, sizeof *t->toks);
	size_t *open = arena_array(a, max, sizeof *open);
	for (;;) {
		const char *tag = strstr(s + pos, "{{");
		size_t start = tag ? (size_t)(tag - s) : len;
		const char *close = tag ? strstr(tag + 2, "}}") : NULL;
		if (tag && !close) {
			diag_report(d, RULE_VALUE, tmpl_loc(d, t, start),
				    "'{{' without '}}'");
			return false;
		}
		size_t text_end = start,
		       next = close ? (size_t)(close - s) + 2 : len;
		const char *name = tag ? tag + 2 : NULL;
		enum tok_kind kind = TOK_VAR;
		if (name && strchr("#^/+=", *name) && *name) {
			kind = *name == '#'   ? TOK_OPEN
			       : *name == '^' ? TOK_INVERT
			       : *name == '/' ? TOK_CLOSE
			       : *name == '+' ? TOK_COUNT
					      : TOK_VALUE;
			name++;
		}
		/* A section tag alone on its line takes the line. */
		if (tag && (kind == TOK_OPEN || kind == TOK_INVERT ||
			    kind == TOK_CLOSE)) {
			size_t ls = start;
			while (ls > 0 && s[ls - 1] != '\n')
				ls--;
			const char *nl = memchr(s + next, '\n', len - next);
			size_t le = nl ? (size_t)(nl - s) : len;
			if (blank(s + ls, s + start) &&
			    blank(s + next, s + le) && ls >= pos) {
				text_end = ls;
				next = nl ? le + 1 : len;
			}
		}
		if (text_end > pos)
			t->toks[n++] = (struct tok){ TOK_TEXT, s + pos,
						     text_end - pos, pos, 0 };
		if (!tag)
			break;
		size_t nlen = (size_t)(close - name);
		bool dotted = nlen > 4 &&
			      (!strncmp(name, "any.", 4) ||
			       (nlen > 7 && !strncmp(name, "levels.", 7)));
		size_t plain = dotted ? (name[0] == 'a' ? 4 : 7) : 0;
		if (!var_name(name + plain, nlen - plain)) {
			diag_report(d, RULE_VALUE, tmpl_loc(d, t, start),
				    "'%.*s' is not a tag",
				    (int)(close + 2 - tag), tag);
			return false;
		}
		struct tok *k = &t->toks[n];
		*k = (struct tok){ kind, name, nlen, start, 0 };
		if (kind == TOK_OPEN || kind == TOK_INVERT) {
			open[depth++] = n;
		} else if (kind == TOK_CLOSE) {
			struct tok *o =
				depth ? &t->toks[open[depth - 1]] : NULL;
			if (!o || o->len != nlen || memcmp(o->s, name, nlen)) {
				diag_report(d, RULE_VALUE,
					    tmpl_loc(d, t, start),
					    "'{{/%.*s}}' closes no '{{#%.*s}}'",
					    (int)nlen, name, (int)nlen, name);
				return false;
			}
			o->end = n;
			depth--;
		}
		n++;
		pos = next;
	}
	if (depth) {
		const struct tok *o = &t->toks[open[depth - 1]];
		diag_report(d, RULE_VALUE, tmpl_loc(d, t, o->off),
			    "'{{%c%.*s}}' is not closed",
			    o->kind == TOK_OPEN ? '#' : '^', (int)o->len, o->s);
		return false;
	}
	t->n = n;
	return true;
}

/* Where a variable is looked up: the level at hand (with its place in the
 * list being walked), then the ones around it, then the run's. */
struct scope {
	const struct slevel *level; /* NULL: the run's */
	bool first, last;
	const struct scope *outer;
};

struct render {
	struct arena *arena;
	struct diag *diag;
	const struct tmpl *t;
	const struct slevel *levels; /* the levels chosen */
	size_t n_levels;
	struct hash *globals, *counters;
	/* the variables some level of the skeleton has of its own: one a
	 * level at hand lacks is false in a section */
	struct hash *level_vars;
	struct strbuf *out;
	bool failed;
};

static bool
truthy(const char *v)
{
	return v && *v && strcmp(v, "false");
}

/* A variable (of a level, level true) the template names and nothing
 * has. */
static void
unknown_var(struct render *r, const struct tok *k, bool level)
{
	if (r->failed)
		return; /* one error a template */
	struct loc at = tmpl_loc(r->diag, r->t, k->off);
	if (level)
		diag_report(r->diag, RULE_VALUE, at,
			    "no level variable '%.*s' here", (int)k->len, k->s);
	else
		diag_report(r->diag, RULE_VALUE, at, "no variable '%.*s' here",
			    (int)k->len, k->s);
	r->failed = true;
}

/* The value of k's variable; in a section (section true), "" for one
 * that some level has and the level at hand has not. */
static const char *
lookup(struct render *r, const struct scope *sc, const struct tok *k,
       bool section)
{
	bool in_level = sc && sc->level;
	for (; sc && sc->level; sc = sc->outer) {
		if (k->len == 5 && !memcmp(k->s, "first", 5))
			return sc->first ? "true" : "";
		if (k->len == 4 && !memcmp(k->s, "last", 4))
			return sc->last ? "true" : "";
		const char *v = hash_get(sc->level->vars, k->s, k->len);
		if (v)
			return v;
	}
	const char *v = hash_get(r->globals, k->s, k->len);
	if (!v && section && in_level && hash_get(r->level_vars, k->s, k->len))
		return "";
	if (!v)
		unknown_var(r, k, false);
	return v;
}

/* Whether level l has F true (the name after "levels." or "any."). */
static bool
has(const struct slevel *l, const struct tok *k, size_t skip)
{
	return truthy(hash_get(l->vars, k->s + skip, k->len - skip));
}

static void render_range(struct render *r, size_t i, size_t end,
			 const struct scope *sc);

/* Whether the F of levels.F or any.F is a variable some level has. */
static bool
level_var(struct render *r, const struct tok *k, size_t skip)
{
	if (hash_get(r->level_vars, k->s + skip, k->len - skip))
		return true;
	unknown_var(r, k, true);
	return false;
}

static void
render_levels(struct render *r, const struct tok *k, size_t i,
	      const struct scope *sc)
{
	size_t skip = k->len > 6 ? 7 : 0; /* levels.F */
	size_t last = SIZE_MAX, seen = 0;
	if (skip && !level_var(r, k, skip))
		return;
	for (size_t j = 0; j < r->n_levels; j++)
		if (!skip || has(&r->levels[j], k, skip))
			last = j;
	for (size_t j = 0; j < r->n_levels; j++) {
		if (skip && !has(&r->levels[j], k, skip))
			continue;
		if (k->kind == TOK_OPEN) {
			struct scope in = { &r->levels[j], !seen, j == last,
					    sc };
			render_range(r, i + 1, k->end, &in);
		}
		seen++;
	}
	if (k->kind == TOK_INVERT && !seen)
		render_range(r, i + 1, k->end, sc);
}

static void
render_range(struct render *r, size_t i, size_t end, const struct scope *sc)
{
	for (; i < end && !r->failed; i++) {
		const struct tok *k = &r->t->toks[i];
		switch (k->kind) {
		case TOK_TEXT:
			strbuf_add(r->out, k->s, k->len);
			break;
		case TOK_VAR: {
			const char *v = lookup(r, sc, k, false);
			if (v)
				strbuf_adds(r->out, v);
			break;
		}
		case TOK_COUNT:
		case TOK_VALUE: {
			void **slot = hash_slot(r->counters, k->s, k->len);
			if (!*slot)
				*slot = arena_alloc(r->arena, sizeof(size_t));
			size_t *c = *slot;
			if (k->kind == TOK_COUNT)
				++*c;
			else if (!*c) {
				diag_report(
					r->diag, RULE_VALUE,
					tmpl_loc(r->diag, r->t, k->off),
					"counter '%.*s' is printed before it counts",
					(int)k->len, k->s);
				r->failed = true;
			}
			strbuf_addf(r->out, "%zu", *c);
			break;
		}
		case TOK_OPEN:
		case TOK_INVERT:
			if (!strncmp(k->s, "levels", 6) &&
			    (k->len == 6 || k->s[6] == '.')) {
				render_levels(r, k, i, sc);
			} else if (k->len > 4 && !strncmp(k->s, "any.", 4)) {
				bool any = false;
				if (!level_var(r, k, 4))
					break;
				for (size_t j = 0; j < r->n_levels && !any; j++)
					any = has(&r->levels[j], k, 4);
				if (any == (k->kind == TOK_OPEN))
					render_range(r, i + 1, k->end, sc);
			} else {
				bool yes = truthy(lookup(r, sc, k, true));
				if (yes == (k->kind == TOK_OPEN))
					render_range(r, i + 1, k->end, sc);
			}
			i = k->end;
			break;
		case TOK_CLOSE:
			break;
		}
	}
}

/* The standard's id: the file's base name when it is a key that makes a
 * C prefix as it is, else a placeholder. */
static const char *
id_of(struct arena *a, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	if (len > 5 && !strcmp(base + len - 5, ".yaml"))
		len -= 5;
	else if (len > 4 && !strcmp(base + len - 4, ".yml"))
		len -= 4;
	bool ok = len && len <= 48 &&
		  ((base[0] >= 'a' && base[0] <= 'z') ||
		   (base[0] >= 'A' && base[0] <= 'Z'));
	for (size_t i = 0; ok && i < len; i++) {
		char c = base[i];
		bool sep = c == '-' || c == '_';
		ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		     (c >= '0' && c <= '9') ||
		     (sep && i + 1 < len && base[i + 1] != '-' &&
		      base[i + 1] != '_');
	}
	return ok ? arena_strndup(a, base, len) : "new-standard";
}

/* The skeleton expanded for levels [first, first + n); false after
 * reporting. */
static bool
expand(struct arena *a, struct diag *d, const struct skeleton *sk, size_t first,
       size_t n, const char *path, struct strbuf *out)
{
	struct tmpl t = { sk->tmpl, sk->author->file, NULL, 0 };
	if (!tokenize(a, d, &t))
		return false;
	/* The levels chosen, each with its place among them. */
	struct slevel *lv = arena_array(a, n + 1, sizeof *lv);
	for (size_t i = 0; i < n; i++) {
		const struct slevel *l = &sk->levels[first + i];
		lv[i] = *l;
		lv[i].vars = hash_new(a, l->at->count + 8);
		struct strbuf num = { 0 };
		strbuf_addf(&num, "%zu", i + 1);
		const char *const fixed[][2] = {
			{ "key", l->key },
			{ "name", l->name },
			{ "n", arena_strndup(a, num.buf, num.len) },
			{ "lower", i ? lv[i - 1].key : "" },
			{ "lower_name", i ? lv[i - 1].name : "" },
		};
		strbuf_free(&num);
		for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++)
			hash_put(lv[i].vars, fixed[k][0], strlen(fixed[k][0]),
				 (void *)fixed[k][1]);
		/* its own variables, in the order written */
		const struct node *m = l->at;
		for (size_t k = 0; k < m->count; k++)
			if (strcmp(node_keys(m)[k].text, "key") &&
			    strcmp(node_keys(m)[k].text, "name"))
				hash_put(lv[i].vars, node_keys(m)[k].text,
					 node_keys(m)[k].len,
					 (void *)m->items[k].text);
	}
	struct render r = { .arena = a,
			    .diag = d,
			    .t = &t,
			    .levels = lv,
			    .n_levels = n,
			    .globals = hash_new(a, 8),
			    .counters = hash_new(a, 8),
			    .level_vars = hash_new(a, 8),
			    .out = out };
	const struct skeleton *owners[] = { sk, sk->author };
	for (size_t o = 0; o < 2; o++)
		for (size_t i = 0; i < owners[o]->n_levels; i++) {
			const struct node *m = owners[o]->levels[i].at;
			for (size_t k = 0; k < m->count; k++)
				hash_put(r.level_vars, node_keys(m)[k].text,
					 node_keys(m)[k].len,
					 (void *)&node_keys(m)[k]);
		}
	struct strbuf count = { 0 };
	strbuf_addf(&count, "%zu", n);
	const char *id = id_of(a, path);
	hash_put(r.globals, "id", 2, (void *)id);
	hash_put(r.globals, "profile", 7, (void *)sk->profile);
	hash_put(r.globals, "count", 5, arena_strndup(a, count.buf, count.len));
	if (n <= sk->n_count_words)
		hash_put(r.globals, "count_word", 10,
			 (void *)sk->count_words[n - 1]);
	strbuf_free(&count);
	render_range(&r, 0, t.n, NULL);
	return !r.failed;
}

/* ---- the command -------------------------------------------------------- */

int
init_expand(struct arena *a, struct diag *d, const struct embedded_file *files,
	    size_t count, const struct init_options *o, struct strbuf *out,
	    const char **skeleton)
{
	struct skeletons *set = skeletons_read(a, d, files, count);
	if (!set)
		return 2;
	const struct skeleton *sk = find_skeleton(set, o->profile);
	if (!sk)
		return 2;
	*skeleton = sk->file;
	size_t first, n;
	int status = choose_levels(a, sk, o->levels, &first, &n);
	if (status)
		return status;
	bool to_stdout = !strcmp(o->path, "-");
	return expand(a, d, sk, first, n, to_stdout ? "" : o->path, out) ? 0
									 : 2;
}

/* The expansion through every pass: nothing found, or the findings
 * printed and 2 (the skeleton is at fault, not the user). */
static int
verify(struct arena *a, const char *name, const struct strbuf *text,
       const char *skeleton)
{
	struct run_options opt = { 0 };
	struct run *run = pipeline_new(a, &opt);
	if (!run)
		return 2;
	struct unit u = { .path = name,
			  .buf = text->buf ? text->buf : "",
			  .len = text->len };
	bool ok = pipeline_passes(run, a, &u, PIPE_NAMES);
	if (ok && !diag_warnings(u.diag))
		return 0;
	diag_flush(u.diag, stderr, false);
	return diag_fatal(
		"%s does not check clean with these levels: a fault of skillc",
		skeleton);
}

static int
refuse(const char *path, int err)
{
	return err == EEXIST
		       ? diag_fatal(
				 "'%s' exists already; skillc init does not overwrite a file",
				 path)
		       : diag_fatal("cannot write '%s': %s", path,
				    output_strerror(err));
}

/* 0 when path is free to take, or the error that stops it: EEXIST for
 * anything there, a dangling link included. */
static int
path_free(const char *path)
{
	struct stat st;
	if (!lstat(path, &st))
		return EEXIST;
	return errno == ENOENT ? 0 : errno;
}

static int
write_file(const char *path, const struct strbuf *text)
{
	int err = path_free(path);
	if (err)
		return refuse(path, err);
	struct output_set *s = output_begin(&path, 1);
	const char *failed = path;
	/* Again under the lock: another skillc may have written it. */
	err = path_free(path);
	if (!err)
		err = output_stage(s, path, text->buf ? text->buf : "",
				   text->len, NULL);
	if (!err)
		err = output_commit(s, &failed);
	output_end(s);
	return err ? refuse(failed, err) : 0;
}

void
init_profile_names(struct strbuf *sb)
{
	struct arena *a = arena_new();
	struct skeletons *set = skeletons_read(
		a, diag_new(a), embedded_skeletons, embedded_skeletons_count);
	for (size_t i = 0; set && i < set->n; i++) {
		const char *key = set->list[i]->profile;
		strbuf_adds(sb, i ? _(", ") : "");
		if (set->list[i] == set->def)
			/* TRANSLATORS: a profile's key in the list of
			 * skillc --help, marked as the default one. */
			strbuf_addf(sb, _("%s (default)"), key);
		else
			strbuf_adds(sb, key);
	}
	arena_free(a);
	if (!sb->len)
		/* TRANSLATORS: in skillc --help, the list of profiles when
		 * skillc has none built in. */
		strbuf_adds(sb, _("(none)"));
}

int
init_run(struct arena *a, const struct init_options *o)
{
	if (!*o->path)
		return diag_usage_error(
			"'skillc init' writes a FILE, not an empty name");
	struct diag *d = diag_new(a);
	struct strbuf text = { 0 };
	const char *skeleton = NULL;
	int status = init_expand(a, d, embedded_skeletons,
				 embedded_skeletons_count, o, &text, &skeleton);
	diag_flush(d, stderr, false);
	bool to_stdout = !strcmp(o->path, "-");
	int err = status || to_stdout ? 0 : path_free(o->path);
	if (err)
		status = refuse(o->path, err);
	if (!status)
		status = verify(a, to_stdout ? "<stdout>" : o->path, &text,
				skeleton);
	if (!status && to_stdout)
		fwrite(text.buf ? text.buf : "", 1, text.len, stdout);
	else if (!status)
		status = write_file(o->path, &text);
	strbuf_free(&text);
	return status;
}
