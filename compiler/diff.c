/*
 * diff.c - skillc diff: two drafts of a standard compared by meaning.
 *
 * Takes: two paths, OLD and NEW, each read through pipeline_read (its
 * findings printed; an error in either stops the diff). Gives: on standard
 * output one line per change, each with the places it concerns in OLD and
 * in NEW where they exist; the exit status of diff(1): 0 equal, 1
 * different, 2 error. Guarantees:
 *   - the output is a function of the two models: lines come in a fixed
 *     order (the chapters by key path, levels, capabilities, work contents
 *     with their items, weights), and within each, removals in OLD's order
 *     before the rest in NEW's;
 *   - matching is linear: things are paired by hash (a key, a name, a
 *     text); text similarity is computed only among the things left
 *     unpaired in one table or one work content, and only while there are
 *     few of them (DIFF_MAX_PAIRS), so a diff is never quadratic in the
 *     size of a standard;
 *   - items renumbered only because one was inserted or removed before
 *     them are one line, not one each.
 * The chapters without a pass here (metadata, occupation, eligibility,
 * assessment, basic requirements, scope, terms...) are compared scalar
 * by scalar by key path, each element of a list named by its key (or the
 * key it refers to, or its label). Not yet (docs/diff.md): Markdown and
 * JSON output, routes and figures compared for what they mean.
 */
#include "skillc.h"

#include <stdlib.h>
#include <string.h>

/* Unpaired candidates of one table or content compared by similarity at
 * most: beyond it they stay added and removed. */
#define DIFF_MAX_PAIRS 4096
/* Texts longer than this (code points) are never compared character by
 * character: the table would be too large. */
#define DIFF_MAX_CHARS 500
#define NONE	       SIZE_MAX

struct diff {
	struct arena *a;
	const struct standard *o, *n;
	size_t changes;
	/* new work content key -> the old one, where a key changed: weight
	 * rows follow their content */
	struct hash *rekeyed;
};

/* A line: OLD's place, NEW's place, the message. */
PRINTF_LIKE(4, 5)
static void
diff_line(struct diff *d, const struct node *old_at, const struct node *new_at,
	  const char *fmt, ...)
{
	struct loc lo = model_loc(d->o, old_at), ln = model_loc(d->n, new_at);
	if (old_at)
		printf("%s:%u:%u: ", lo.file, lo.line, lo.col);
	if (new_at)
		printf("%s:%u:%u: ", ln.file, ln.line, ln.col);
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	d->changes++;
}

static const char *
str(const struct text *t)
{
	return t->s ? t->s : "";
}

/* Parts joined by a separator no key or text holds, in the arena. */
static const char *
join(struct arena *a, const char *p, const char *q, size_t *len)
{
	size_t lp = strlen(p), lq = strlen(q);
	char *s = arena_alloc(a, lp + lq + 2);
	memcpy(s, p, lp);
	s[lp] = '\x1e';
	memcpy(s + lp + 1, q, lq);
	*len = lp + lq + 1;
	return s;
}

/* ---- text similarity ---------------------------------------------------- */

/* The code points of t (an invalid byte counts as one), and where each
 * starts; arrays of DIFF_MAX_CHARS + 1 at most are filled. */
static size_t
decode(const struct text *t, uint32_t *cp, size_t *at, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < t->len && n < max;) {
		size_t k = utf8_decode((const unsigned char *)t->s + i,
				       t->len - i, &cp[n]);
		if (!k)
			cp[n] = (unsigned char)t->s[i], k = 1;
		at[n++] = i;
		i += k;
	}
	at[n] = t->len;
	return n;
}

struct chars {
	uint32_t cp[DIFF_MAX_CHARS + 1];
	size_t at[DIFF_MAX_CHARS + 2];
	size_t n;
	bool whole; /* all of the text fit */
};

static void
chars_of(const struct text *t, struct chars *c)
{
	c->n = decode(t, c->cp, c->at, DIFF_MAX_CHARS + 1);
	c->whole = c->n <= DIFF_MAX_CHARS;
}

/* The suffix LCS table of a and b: l[i * (nb + 1) + j] is the length of
 * the longest common subsequence of a from i and b from j. The caller
 * frees it. */
static uint16_t *
lcs_table(const struct chars *a, const struct chars *b)
{
	size_t w = b->n + 1;
	uint16_t *l = calloc((a->n + 1) * w, sizeof *l);
	if (!l)
		die_oom();
	for (size_t i = a->n; i-- > 0;)
		for (size_t j = b->n; j-- > 0;)
			l[i * w + j] =
				a->cp[i] == b->cp[j]
					? (uint16_t)(l[(i + 1) * w + j + 1] + 1)
				: l[(i + 1) * w + j] > l[i * w + j + 1]
					? l[(i + 1) * w + j]
					: l[i * w + j + 1];
	return l;
}

/* 2 * LCS / (|a| + |b|) on code points; 0 for texts too long to compare. */
static double
similarity(const struct text *ta, const struct text *tb)
{
	static struct chars a, b;
	chars_of(ta, &a);
	chars_of(tb, &b);
	if (!a.whole || !b.whole || a.n + b.n == 0)
		return 0;
	uint16_t *l = lcs_table(&a, &b);
	double r = 2.0 * l[0] / (double)(a.n + b.n);
	free(l);
	return r;
}

/* new with what changed from old marked: [-removed-]{+added+}. */
static void
mark_changes(const struct text *old, const struct text *new, struct strbuf *out)
{
	static struct chars a, b;
	chars_of(old, &a);
	chars_of(new, &b);
	if (!a.whole || !b.whole) {
		strbuf_addf(out, "[-%s-]{+%s+}", str(old), str(new));
		return;
	}
	uint16_t *l = lcs_table(&a, &b);
	size_t w = b.n + 1, i = 0, j = 0;
	struct strbuf del = { 0 }, ins = { 0 };
	while (i < a.n || j < b.n) {
		bool same = i < a.n && j < b.n && a.cp[i] == b.cp[j];
		if (same || (i == a.n && j == b.n)) {
			if (del.len)
				strbuf_addf(out, "[-%s-]", del.buf);
			if (ins.len)
				strbuf_addf(out, "{+%s+}", ins.buf);
			strbuf_reset(&del);
			strbuf_reset(&ins);
			strbuf_add(out, new->s + b.at[j],
				   b.at[j + 1] - b.at[j]);
			i++, j++;
		} else if (j == b.n || (i < a.n && l[(i + 1) * w + j] >=
							   l[i * w + j + 1])) {
			strbuf_add(&del, old->s + a.at[i],
				   a.at[i + 1] - a.at[i]);
			i++;
		} else {
			strbuf_add(&ins, new->s + b.at[j],
				   b.at[j + 1] - b.at[j]);
			j++;
		}
	}
	if (del.len)
		strbuf_addf(out, "[-%s-]", del.buf);
	if (ins.len)
		strbuf_addf(out, "{+%s+}", ins.buf);
	strbuf_free(&del);
	strbuf_free(&ins);
	free(l);
}

struct pair {
	double r;
	size_t i, j;
};

static int
pair_cmp(const void *pa, const void *pb)
{
	const struct pair *a = pa, *b = pb;
	if (a->r != b->r)
		return a->r > b->r ? -1 : 1;
	if (a->j != b->j)
		return a->j < b->j ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* Pair old texts with new ones at least half alike, the most alike first:
 * o2n[i] gets the index in n, or stays NONE. */
static void
pair_similar(struct diff *d, const struct text *const *o, size_t no,
	     const struct text *const *n, size_t nn, size_t *o2n)
{
	if (!no || !nn || no * nn > DIFF_MAX_PAIRS)
		return;
	struct pair *p = arena_array(d->a, no * nn, sizeof *p);
	size_t np = 0;
	for (size_t i = 0; i < no; i++)
		for (size_t j = 0; j < nn; j++) {
			double r = similarity(o[i], n[j]);
			if (r >= 0.5)
				p[np++] = (struct pair){ r, i, j };
		}
	qsort(p, np, sizeof *p, pair_cmp);
	bool *taken = arena_array(d->a, nn, sizeof *taken);
	for (size_t k = 0; k < np; k++)
		if (o2n[p[k].i] == NONE && !taken[p[k].j]) {
			o2n[p[k].i] = p[k].j;
			taken[p[k].j] = true;
		}
}

/* ---- pairing by hash ------------------------------------------------ */

/* A capability or a work content, as the matching sees it. */
struct thing {
	const char *table, *branch; /* the table's level and branch keys */
	const struct text *key, *id, *name;
	const void *p;
	size_t match; /* its partner's index on the other side, or NONE */
};

/* The indices of things with one key, in order; head: the first not yet
 * paired. */
struct queue {
	size_t *idx, n, fill, head;
};

enum by { BY_KEY, BY_BRANCH_KEY, BY_NAME, BY_ID };

static const char *
thing_key(struct diff *d, const struct thing *t, enum by by, size_t *len)
{
	const struct text *f = by == BY_NAME ? t->name
			       : by == BY_ID ? t->id
					     : t->key;
	if (!f->len)
		return NULL;
	return join(d->a, by == BY_BRANCH_KEY ? t->branch : t->table, f->s,
		    len);
}

/* Pair the unpaired of o and n whose keys, by by, are equal: each old one
 * with the first new one of its key not yet paired. */
static void
pair_by(struct diff *d, struct thing *o, size_t no, struct thing *n, size_t nn,
	enum by by)
{
	struct hash *h = hash_new(d->a, nn);
	const char **keys = arena_array(d->a, nn + 1, sizeof *keys);
	size_t *lens = arena_array(d->a, nn + 1, sizeof *lens);
	/* two rounds: count each key's members, then place them in order */
	for (size_t j = 0; j < nn; j++) {
		if (n[j].match != NONE)
			continue;
		keys[j] = thing_key(d, &n[j], by, &lens[j]);
		if (!keys[j])
			continue;
		void **slot = hash_slot(h, keys[j], lens[j]);
		if (!*slot)
			*slot = arena_alloc(d->a, sizeof(struct queue));
		((struct queue *)*slot)->n++;
	}
	for (size_t j = 0; j < nn; j++) {
		if (!keys[j])
			continue;
		struct queue *q = hash_get(h, keys[j], lens[j]);
		if (!q->idx)
			q->idx = arena_array(d->a, q->n, sizeof *q->idx);
		q->idx[q->fill++] = j;
	}
	for (size_t i = 0; i < no; i++) {
		size_t len;
		const char *k;
		if (o[i].match != NONE || !(k = thing_key(d, &o[i], by, &len)))
			continue;
		struct queue *q = hash_get(h, k, len);
		if (!q || q->head == q->n)
			continue;
		size_t j = q->idx[q->head++];
		o[i].match = j;
		n[j].match = i;
	}
}

/* The unpaired things of one table on both sides. */
struct pending {
	size_t *oi, no, *ni, nn, ofill, nfill;
};

/* Pair the unpaired of each table by the similarity of their names. */
static void
pair_by_name_similarity(struct diff *d, struct thing *o, size_t no,
			struct thing *n, size_t nn)
{
	struct hash *h = hash_new(d->a, 16);
	struct pending **order = arena_array(d->a, no + 1, sizeof *order);
	size_t ngroups = 0;
	/* count, tables in OLD's order, then place */
	for (size_t i = 0; i < no; i++) {
		if (o[i].match != NONE)
			continue;
		void **slot = hash_slot(h, o[i].table, strlen(o[i].table));
		if (!*slot)
			*slot = order[ngroups++] =
				arena_alloc(d->a, sizeof(struct pending));
		((struct pending *)*slot)->no++;
	}
	for (size_t j = 0; j < nn; j++) {
		struct pending *g =
			n[j].match != NONE
				? NULL
				: hash_get(h, n[j].table, strlen(n[j].table));
		if (g)
			g->nn++;
	}
	for (size_t k = 0; k < ngroups; k++) {
		struct pending *g = order[k];
		g->oi = arena_array(d->a, g->no, sizeof *g->oi);
		g->ni = arena_array(d->a, g->nn + 1, sizeof *g->ni);
	}
	for (size_t i = 0; i < no; i++)
		if (o[i].match == NONE) {
			struct pending *g =
				hash_get(h, o[i].table, strlen(o[i].table));
			g->oi[g->ofill++] = i;
		}
	for (size_t j = 0; j < nn; j++) {
		struct pending *g =
			n[j].match != NONE
				? NULL
				: hash_get(h, n[j].table, strlen(n[j].table));
		if (g)
			g->ni[g->nfill++] = j;
	}
	for (size_t k = 0; k < ngroups; k++) {
		struct pending *g = order[k];
		if (!g->nn || g->no * g->nn > DIFF_MAX_PAIRS)
			continue;
		const struct text **ot = arena_array(d->a, g->no, sizeof *ot);
		const struct text **nt = arena_array(d->a, g->nn, sizeof *nt);
		size_t *o2n = arena_array(d->a, g->no, sizeof *o2n);
		for (size_t i = 0; i < g->no; i++)
			ot[i] = o[g->oi[i]].name, o2n[i] = NONE;
		for (size_t j = 0; j < g->nn; j++)
			nt[j] = n[g->ni[j]].name;
		pair_similar(d, ot, g->no, nt, g->nn, o2n);
		for (size_t i = 0; i < g->no; i++)
			if (o2n[i] != NONE) {
				o[g->oi[i]].match = g->ni[o2n[i]];
				n[g->ni[o2n[i]]].match = g->oi[i];
			}
	}
}

static const char *
table_of(struct diff *d, const struct work_table *t)
{
	size_t len;
	return join(d->a, str(&t->level_key), str(&t->branch_key), &len);
}

static struct thing *
capabilities(struct diff *d, const struct standard *s)
{
	struct thing *t = arena_array(d->a, s->n_capabilities + 1, sizeof *t);
	for (size_t i = 0; i < s->n_capabilities; i++) {
		const struct capability *c = s->capabilities[i];
		t[i] = (struct thing){ table_of(d, c->table),
				       str(&c->table->branch_key),
				       &c->key,
				       &c->id,
				       &c->name,
				       c,
				       NONE };
	}
	return t;
}

static struct thing *
contents(struct diff *d, const struct standard *s)
{
	struct thing *t = arena_array(d->a, s->n_contents + 1, sizeof *t);
	for (size_t i = 0; i < s->n_contents; i++) {
		const struct content *c = s->contents[i];
		const struct work_table *w = c->capability->table;
		t[i] = (struct thing){ table_of(d, w),
				       str(&w->branch_key),
				       &c->key,
				       &c->id,
				       &c->name,
				       c,
				       NONE };
	}
	return t;
}

/* ---- levels ------------------------------------------------------------ */

static void
diff_levels(struct diff *d)
{
	const struct standard *o = d->o, *n = d->n;
	for (size_t i = 0; i < o->n_levels; i++) {
		const struct level *ol = &o->levels[i];
		if (!hash_get(n->level_by_key, ol->key.s, ol->key.len))
			diff_line(d, ol->at, NULL, _("level '%s' removed (%s)"),
				  ol->key.s, str(&ol->name));
	}
	for (size_t i = 0; i < n->n_levels; i++) {
		const struct level *nl = &n->levels[i];
		const struct level *ol =
			hash_get(o->level_by_key, nl->key.s, nl->key.len);
		if (!ol)
			diff_line(d, NULL, nl->at, _("level '%s' added (%s)"),
				  nl->key.s, str(&nl->name));
		else if (!text_eq(&ol->name, &nl->name))
			diff_line(d, ol->name.at, nl->name.at,
				  _("level '%s' renamed: '%s' → '%s'"),
				  nl->key.s, str(&ol->name), str(&nl->name));
	}
}

/* ---- capabilities and work contents --------------------------------- */

static void
diff_capabilities(struct diff *d, struct thing *o, struct thing *n)
{
	size_t no = d->o->n_capabilities, nn = d->n->n_capabilities;
	pair_by(d, o, no, n, nn, BY_KEY);
	pair_by(d, o, no, n, nn, BY_NAME);
	pair_by(d, o, no, n, nn, BY_ID);
	pair_by_name_similarity(d, o, no, n, nn);
	for (size_t i = 0; i < no; i++) {
		const struct capability *c = o[i].p;
		if (o[i].match == NONE)
			diff_line(d, c->at, NULL,
				  _("capability '%s %s' removed from %s"),
				  str(&c->id), str(&c->name),
				  model_work_table_name(c->table));
	}
	for (size_t j = 0; j < nn; j++) {
		const struct capability *c = n[j].p;
		if (n[j].match == NONE) {
			diff_line(d, NULL, c->at,
				  _("capability '%s %s' added to %s"),
				  str(&c->id), str(&c->name),
				  model_work_table_name(c->table));
			continue;
		}
		const struct capability *oc = o[n[j].match].p;
		if (c->key.len && oc->key.len && !text_eq(&oc->key, &c->key))
			diff_line(
				d, oc->key.at, c->key.at,
				_("capability '%s' has a new key: '%s' → '%s'"),
				str(&c->name), oc->key.s, c->key.s);
		if (!text_eq(&oc->name, &c->name))
			diff_line(d, oc->name.at, c->name.at,
				  _("capability '%s' renamed: '%s' → '%s'"),
				  str(&c->id), str(&oc->name), str(&c->name));
		if (!text_eq(&oc->id, &c->id))
			diff_line(d, oc->id.at, c->id.at,
				  _("capability '%s' renumbered: '%s' → '%s'"),
				  str(&c->name), str(&oc->id), str(&c->id));
	}
}

/* The items of one list of a pair of work contents: unchanged texts
 * paired by hash, the rest by similarity; items whose place in the list
 * changed (one inserted or removed before them) and with it their id are
 * one line, an id changed in place is a line of its own, one changed with
 * its work content's (reported there) none. */
/* Whether an item's id changed only with its work content's: "2.1.3" of
 * "2.1" is "1.2.3" of "1.2". */
static bool
renumbered_with(const struct text *oid, const struct text *nid,
		const struct content *oc, const struct content *nc)
{
	size_t lo = oc->id.len, ln = nc->id.len;
	return lo && ln && oid->len > lo + 1 && nid->len > ln + 1 &&
	       !memcmp(oid->s, oc->id.s, lo) && oid->s[lo] == '.' &&
	       !memcmp(nid->s, nc->id.s, ln) && nid->s[ln] == '.' &&
	       oid->len - lo == nid->len - ln &&
	       !memcmp(oid->s + lo, nid->s + ln, oid->len - lo);
}

static void
diff_items(struct diff *d, const struct content *oc, const struct content *nc,
	   const struct item *oi, size_t no, const struct item *ni, size_t nn,
	   bool skill)
{
	size_t *o2n = arena_array(d->a, no + 1, sizeof *o2n);
	size_t *n2o = arena_array(d->a, nn + 1, sizeof *n2o);
	bool *reworded = arena_array(d->a, nn + 1, sizeof *reworded);
	for (size_t i = 0; i < no; i++)
		o2n[i] = NONE;
	for (size_t j = 0; j < nn; j++)
		n2o[j] = NONE;
	/* by text: each new item takes the first old one of its text */
	struct hash *h = hash_new(d->a, no);
	size_t *next = arena_array(d->a, no + 1, sizeof *next);
	for (size_t i = no; i-- > 0;) {
		void **slot = hash_slot(h, oi[i].text.s, oi[i].text.len);
		next[i] = *slot ? (size_t)(uintptr_t)*slot - 1 : NONE;
		*slot = (void *)(uintptr_t)(i + 1);
	}
	for (size_t j = 0; j < nn; j++) {
		void **slot = hash_slot(h, ni[j].text.s, ni[j].text.len);
		if (!*slot)
			continue;
		size_t i = (size_t)(uintptr_t)*slot - 1;
		*slot = next[i] == NONE ? NULL
					: (void *)(uintptr_t)(next[i] + 1);
		o2n[i] = j, n2o[j] = i;
	}
	/* the rest by similarity */
	size_t uo = 0, un = 0;
	const struct text **ot = arena_array(d->a, no + 1, sizeof *ot);
	const struct text **nt = arena_array(d->a, nn + 1, sizeof *nt);
	size_t *oidx = arena_array(d->a, no + 1, sizeof *oidx);
	size_t *nidx = arena_array(d->a, nn + 1, sizeof *nidx);
	size_t *pairs = arena_array(d->a, no + 1, sizeof *pairs);
	for (size_t i = 0; i < no; i++)
		if (o2n[i] == NONE)
			oidx[uo] = i, pairs[uo] = NONE, ot[uo++] = &oi[i].text;
	for (size_t j = 0; j < nn; j++)
		if (n2o[j] == NONE)
			nidx[un] = j, nt[un++] = &ni[j].text;
	pair_similar(d, ot, uo, nt, un, pairs);
	for (size_t k = 0; k < uo; k++)
		if (pairs[k] != NONE) {
			size_t i = oidx[k], j = nidx[pairs[k]];
			o2n[i] = j, n2o[j] = i, reworded[j] = true;
		}
	const char *key = str(&nc->key);
	for (size_t i = 0; i < no; i++)
		if (o2n[i] == NONE)
			diff_line(
				d, oi[i].at, NULL,
				skill ? _("skill item '%s' of work content '%s' removed: %s")
				      : _("knowledge item '%s' of work content '%s' removed: %s"),
				str(&oi[i].id), key, str(&oi[i].text));
	size_t shifted = 0, first = NONE;
	for (size_t j = 0; j < nn; j++) {
		size_t i = n2o[j];
		if (i == NONE) {
			diff_line(
				d, NULL, ni[j].at,
				skill ? _("skill item '%s' of work content '%s' added: %s")
				      : _("knowledge item '%s' of work content '%s' added: %s"),
				str(&ni[j].id), key, str(&ni[j].text));
			continue;
		}
		if (reworded[j]) {
			struct strbuf marked = { 0 };
			mark_changes(&oi[i].text, &ni[j].text, &marked);
			diff_line(
				d, oi[i].text.at, ni[j].text.at,
				skill ? _("skill item '%s' of work content '%s' reworded: %s")
				      : _("knowledge item '%s' of work content '%s' reworded: %s"),
				str(&ni[j].id), key, marked.buf);
			strbuf_free(&marked);
		}
		if (text_eq(&oi[i].id, &ni[j].id) ||
		    renumbered_with(&oi[i].id, &ni[j].id, oc, nc))
			continue;
		if (i != j) {
			if (!shifted++)
				first = j;
			continue;
		}
		diff_line(
			d, oi[i].id.at, ni[j].id.at,
			skill ? _("skill item of work content '%s' renumbered: '%s' → '%s'")
			      : _("knowledge item of work content '%s' renumbered: '%s' → '%s'"),
			key, str(&oi[i].id), str(&ni[j].id));
	}
	if (!shifted)
		return;
	const struct item *fo = &oi[n2o[first]], *fn = &ni[first];
	diff_line(
		d, fo->id.at, fn->id.at,
		skill ? ngettext(
				"%zu skill item of work content '%s' renumbered as it moved up or down: '%s' → '%s'",
				"%zu skill items of work content '%s' renumbered as they moved up or down: '%s' → '%s' the first",
				shifted)
		      : ngettext(
				"%zu knowledge item of work content '%s' renumbered as it moved up or down: '%s' → '%s'",
				"%zu knowledge items of work content '%s' renumbered as they moved up or down: '%s' → '%s' the first",
				shifted),
		shifted, key, str(&fo->id), str(&fn->id));
}

static void
diff_contents(struct diff *d, struct thing *o, struct thing *n,
	      const struct thing *oc, const struct thing *nc)
{
	size_t no = d->o->n_contents, nn = d->n->n_contents;
	pair_by(d, o, no, n, nn, BY_KEY);
	/* a key gone from one level and come to another: moved */
	pair_by(d, o, no, n, nn, BY_BRANCH_KEY);
	pair_by(d, o, no, n, nn, BY_NAME);
	pair_by_name_similarity(d, o, no, n, nn);
	for (size_t i = 0; i < no; i++) {
		const struct content *c = o[i].p;
		if (o[i].match == NONE)
			diff_line(
				d, c->at, NULL,
				_("work content '%s' (%s %s) removed from %s"),
				c->key.s, str(&c->id), str(&c->name),
				model_work_table_name(c->capability->table));
	}
	for (size_t j = 0; j < nn; j++) {
		const struct content *c = n[j].p;
		if (n[j].match == NONE) {
			diff_line(d, NULL, c->at,
				  _("work content '%s' (%s %s) added to %s"),
				  c->key.s, str(&c->id), str(&c->name),
				  model_work_table_name(c->capability->table));
			continue;
		}
		const struct content *p = o[n[j].match].p;
		if (!text_eq(&p->key, &c->key))
			hash_put(d->rekeyed, c->key.s, c->key.len,
				 (void *)p->key.s);
		if (!text_eq(&p->key, &c->key))
			diff_line(
				d, p->key.at, c->key.at,
				_("work content '%s' has a new key: '%s' → '%s'"),
				str(&c->name), p->key.s, c->key.s);
		if (!text_eq(&p->name, &c->name))
			diff_line(d, p->name.at, c->name.at,
				  _("work content '%s' renamed: '%s' → '%s'"),
				  c->key.s, str(&p->name), str(&c->name));
		if (!text_eq(&p->id, &c->id))
			diff_line(
				d, p->id.at, c->id.at,
				_("work content '%s' renumbered: '%s' → '%s'"),
				c->key.s, str(&p->id), str(&c->id));
		const struct capability *pc = p->capability,
					*cc = c->capability;
		size_t m = oc[pc->index].match;
		bool same_cap = m != NONE && nc[m].p == cc;
		if (pc->table->level != NULL && cc->table->level != NULL &&
		    !text_eq(&pc->table->level_key, &cc->table->level_key))
			diff_line(
				d, p->at, c->at,
				_("work content '%s' moved from capability '%s' of level '%s' to capability '%s' of level '%s'"),
				c->key.s, str(&pc->name),
				str(&pc->table->level->name), str(&cc->name),
				str(&cc->table->level->name));
		else if (!same_cap)
			diff_line(
				d, p->at, c->at,
				_("work content '%s' moved from capability '%s' to capability '%s'"),
				c->key.s, str(&pc->name), str(&cc->name));
		diff_items(d, p, c, p->skills, p->n_skills, c->skills,
			   c->n_skills, true);
		diff_items(d, p, c, p->knowledge, p->n_knowledge, c->knowledge,
			   c->n_knowledge, false);
	}
}

/* ---- weights ------------------------------------------------------------ */

static const char *
weight_table_key(struct diff *d, const struct weight_table *t, size_t *len)
{
	int k = t->kind.v;
	const char *kind = k >= 0 && k < KIND_COUNT ? weight_kind_names[k] : "";
	return join(d->a, kind, t->number.len ? t->number.s : str(&t->caption),
		    len);
}

/* What a row weighs: a basic requirement, a capability, a work content,
 * or else its label; a second row of the same gets "#2". */
static const char *
row_key(struct diff *d, struct hash *seen, const struct weight_row *r, bool new,
	size_t *len)
{
	const char *kind = r->basic_key.len	   ? "basic"
			   : r->capability_key.len ? "capability"
			   : r->content_key.len	   ? "content"
						   : "label";
	const struct text *t = r->basic_key.len	       ? &r->basic_key
			       : r->capability_key.len ? &r->capability_key
			       : r->content_key.len    ? &r->content_key
						       : &r->label;
	const char *old_key = new &&t == &r->content_key
				      ? hash_get(d->rekeyed, t->s, t->len)
				      : NULL;
	const char *k = join(d->a, kind, old_key ? old_key : str(t), len);
	void **slot = hash_slot(seen, k, *len);
	size_t nth = (size_t)(uintptr_t)*slot + 1;
	*slot = (void *)(uintptr_t)nth;
	if (nth == 1)
		return k;
	struct strbuf sb = { 0 };
	strbuf_addf(&sb, "%s#%zu", k, nth);
	char *s = arena_strndup(d->a, sb.buf, sb.len);
	*len = sb.len;
	strbuf_free(&sb);
	return s;
}

static void
cell(const struct num *w, char *buf, size_t size)
{
	if (!w)
		snprintf(buf, size, "%s", "");
	else if (w->dash)
		snprintf(buf, size, "%s", "\u2014");
	else
		snprintf(buf, size, "%lld", (long long)w->v);
}

static void
diff_weight_table(struct diff *d, const struct weight_table *o,
		  const struct weight_table *n)
{
	const char *name = model_weight_table_name(n);
	/* columns by level and branch */
	struct hash *ch = hash_new(d->a, n->n_columns);
	size_t *col = arena_array(d->a, o->n_columns + 1, sizeof *col);
	bool *col_taken =
		arena_array(d->a, n->n_columns + 1, sizeof *col_taken);
	for (size_t j = 0; j < n->n_columns; j++) {
		size_t len;
		const char *k = join(d->a, str(&n->columns[j].level_key),
				     str(&n->columns[j].branch_key), &len);
		hash_put(ch, k, len, (void *)(uintptr_t)(j + 1));
	}
	for (size_t i = 0; i < o->n_columns; i++) {
		size_t len;
		const char *k = join(d->a, str(&o->columns[i].level_key),
				     str(&o->columns[i].branch_key), &len);
		uintptr_t j = (uintptr_t)hash_get(ch, k, len);
		col[i] = j ? j - 1 : NONE;
		if (j)
			col_taken[j - 1] = true;
		else
			diff_line(d, o->columns[i].at, NULL,
				  _("column '%s' removed from weight table %s"),
				  str(&o->columns[i].label), name);
	}
	for (size_t j = 0; j < n->n_columns; j++)
		if (!col_taken[j])
			diff_line(d, NULL, n->columns[j].at,
				  _("column '%s' added to weight table %s"),
				  str(&n->columns[j].label), name);
	/* rows by what they weigh */
	struct hash *rh = hash_new(d->a, n->n_rows), *seen = hash_new(d->a, 8);
	bool *row_taken = arena_array(d->a, n->n_rows + 1, sizeof *row_taken);
	for (size_t j = 0; j < n->n_rows; j++) {
		size_t len;
		const char *k = row_key(d, seen, n->rows[j], true, &len);
		hash_put(rh, k, len, (void *)(uintptr_t)(j + 1));
	}
	seen = hash_new(d->a, 8);
	char a[32], b[32];
	for (size_t i = 0; i < o->n_rows; i++) {
		const struct weight_row *orow = o->rows[i];
		size_t len;
		const char *k = row_key(d, seen, orow, false, &len);
		uintptr_t j = (uintptr_t)hash_get(rh, k, len);
		if (!j) {
			diff_line(d, orow->at, NULL,
				  _("row '%s' removed from weight table %s"),
				  str(&orow->label), name);
			continue;
		}
		row_taken[j - 1] = true;
		const struct weight_row *nrow = n->rows[j - 1];
		for (size_t c = 0; c < o->n_columns; c++) {
			size_t m = col[c];
			if (m == NONE)
				continue;
			const struct num *ow =
				c < orow->n_weights ? &orow->weights[c] : NULL;
			const struct num *nw =
				m < nrow->n_weights ? &nrow->weights[m] : NULL;
			cell(ow, a, sizeof a);
			cell(nw, b, sizeof b);
			if (strcmp(a, b))
				diff_line(
					d, ow ? ow->at : orow->at,
					nw ? nw->at : nrow->at,
					_("weight of '%s' for '%s' in weight table %s: %s → %s"),
					str(&nrow->label),
					str(&n->columns[m].label), name, a, b);
		}
	}
	for (size_t j = 0; j < n->n_rows; j++)
		if (!row_taken[j])
			diff_line(d, NULL, n->rows[j]->at,
				  _("row '%s' added to weight table %s"),
				  str(&n->rows[j]->label), name);
	for (size_t c = 0; c < o->n_columns; c++) {
		size_t m = col[c];
		if (m == NONE)
			continue;
		cell(c < o->total.n_weights ? &o->total.weights[c] : NULL, a,
		     sizeof a);
		cell(m < n->total.n_weights ? &n->total.weights[m] : NULL, b,
		     sizeof b);
		if (strcmp(a, b))
			diff_line(
				d, o->total.at, n->total.at,
				_("total for '%s' in weight table %s: %s → %s"),
				str(&n->columns[m].label), name, a, b);
	}
}

static void
diff_weights(struct diff *d)
{
	const struct standard *o = d->o, *n = d->n;
	struct hash *h = hash_new(d->a, n->n_weight_tables);
	bool *taken = arena_array(d->a, n->n_weight_tables + 1, sizeof *taken);
	for (size_t j = 0; j < n->n_weight_tables; j++) {
		size_t len;
		const char *k = weight_table_key(d, n->weight_tables[j], &len);
		hash_put(h, k, len, (void *)(uintptr_t)(j + 1));
	}
	for (size_t i = 0; i < o->n_weight_tables; i++) {
		const struct weight_table *ot = o->weight_tables[i];
		size_t len;
		const char *k = weight_table_key(d, ot, &len);
		uintptr_t j = (uintptr_t)hash_get(h, k, len);
		if (!j) {
			diff_line(d, ot->at, NULL, _("weight table %s removed"),
				  model_weight_table_name(ot));
			continue;
		}
		taken[j - 1] = true;
		diff_weight_table(d, ot, n->weight_tables[j - 1]);
	}
	for (size_t j = 0; j < n->n_weight_tables; j++)
		if (!taken[j])
			diff_line(d, NULL, n->weight_tables[j]->at,
				  _("weight table %s added"),
				  model_weight_table_name(n->weight_tables[j]));
}

/* ---- metadata and occupation ------------------------------------------ */

/* A scalar of the source, by its key path: meta.title.zh. */
struct scalar {
	const char *path, *value;
	size_t path_len;
	const struct node *at;
	bool seen; /* found on the other side */
};

struct scalars {
	struct diff *d;
	struct scalar **items; /* each its own: by_path points to them */
	size_t n, cap;
	struct hash *by_path;
	/* the path to here, and where each open struct or list starts in it
	 * and, for a list, the index of its next element */
	struct strbuf path;
	size_t depth, starts[LOAD_MAX_DEPTH * 2], next[LOAD_MAX_DEPTH * 2];
	bool list[LOAD_MAX_DEPTH * 2];
};

/* What names an element of a list of structs on both sides: its key,
 * else the first key it refers to (an eligibility clause's level, a
 * ratio's method), else its label or id; NULL for none. */
static const struct text *
element_name(const struct walk_step *st)
{
	const struct shape *sh = st->field->shape;
	if (st->field->type != F_LIST || !sh)
		return NULL;
	const struct field *key = NULL, *ref = NULL, *label = NULL;
	for (const struct field *f = sh->fields; f->name; f++)
		if (!key && !strcmp(f->name, "key"))
			key = f;
		else if (!ref && f->type == F_KEY && f->required)
			ref = f;
		else if (!label && f->type == F_TEXT &&
			 (!strcmp(f->name, "label") || !strcmp(f->name, "id")))
			label = f;
	const struct field *f = key ? key : ref ? ref : label;
	if (!f)
		return NULL;
	const struct text *t =
		(const struct text *)((const char *)st->value + f->offset);
	return t->at && t->len ? t : NULL;
}

/* The path to the member or element st is: an element by its name where
 * it has one (eligibility[l4].routes[a)]), else by its place. */
static void
scalars_enter(struct scalars *sc, const struct walk_step *st)
{
	sc->starts[sc->depth] = sc->path.len;
	const struct text *name = st->element ? element_name(st) : NULL;
	if (st->element && sc->depth && name) {
		strbuf_addf(&sc->path, "[%s]", name->s);
		sc->next[sc->depth - 1]++;
	} else if (st->element && sc->depth) {
		strbuf_addf(&sc->path, "[%zu]", sc->next[sc->depth - 1]++);
	} else {
		if (sc->path.len)
			strbuf_addc(&sc->path, '.');
		strbuf_adds(&sc->path, st->field->name);
	}
	sc->next[sc->depth] = 0;
	sc->list[sc->depth] = false;
	sc->depth++;
}

static void
scalars_leave(struct scalars *sc)
{
	sc->depth--;
	sc->path.len = sc->starts[sc->depth];
	if (sc->path.buf)
		sc->path.buf[sc->path.len] = '\0';
}

static const char *
scalar_value(struct arena *a, const struct walk_step *st,
	     const struct node **at)
{
	const struct field *f = st->field;
	char buf[32];
	switch (f->type) {
	case F_TEXT:
	case F_KEY:
	case F_TEXTS:
	case F_KEYS: {
		const struct text *t = st->value;
		*at = t->at;
		return t->at ? str(t) : NULL;
	}
	case F_INT:
	case F_INTS:
	case F_CELLS: {
		const struct num *v = st->value;
		*at = v->at;
		cell(v, buf, sizeof buf);
		return v->at ? arena_strndup(a, buf, strlen(buf)) : NULL;
	}
	case F_BOOL: {
		const struct flag *v = st->value;
		*at = v->at;
		return v->at ? (v->v ? "true" : "false") : NULL;
	}
	case F_ENUM: {
		const struct choice *v = st->value;
		*at = v->at;
		return v->at && f->names ? f->names[v->v] : NULL;
	}
	default:
		return NULL;
	}
}

/* The chapters compared scalar by scalar, by key path: all but the
 * levels, work requirements and weights, which have passes of their own,
 * and the text rules. */
static bool
by_path(const char *top)
{
	static const char *const names[] = {
		"meta",	      "notice",
		"scope",      "normative_references",
		"terms",      "occupation",
		"branches",   "eligibility",
		"assessment", "basic_requirements",
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(top, names[i]))
			return true;
	return false;
}

static bool
scalars_visit(void *ctx, const struct walk_step *st)
{
	struct scalars *sc = ctx;
	switch (st->event) {
	case WALK_STRUCT:
		/* of the top level, what the other passes do not compare */
		if (!sc->depth && !by_path(st->field->name))
			return false;
		if (st->absent || sc->depth >= LOAD_MAX_DEPTH * 2)
			return false;
		scalars_enter(sc, st);
		return true;
	case WALK_LIST:
		if ((!sc->depth && !by_path(st->field->name)) ||
		    sc->depth >= LOAD_MAX_DEPTH * 2)
			return false;
		scalars_enter(sc, st);
		sc->list[sc->depth - 1] = true;
		return true;
	case WALK_STRUCT_END:
	case WALK_LIST_END:
		scalars_leave(sc);
		return true;
	case WALK_VALUE:
		break;
	}
	if (!sc->depth && strcmp(st->field->name, "id"))
		return true; /* the top level's version and profile: not yet */
	const struct node *at = NULL;
	const char *v = scalar_value(sc->d->a, st, &at);
	if (!v)
		return true;
	scalars_enter(sc, st);
	if (sc->n == sc->cap) {
		size_t cap = sc->cap ? sc->cap * 2 : 64;
		struct scalar **items =
			arena_array(sc->d->a, cap, sizeof *items);
		if (sc->n)
			memcpy(items, sc->items, sc->n * sizeof *items);
		sc->items = items, sc->cap = cap;
	}
	/* Two elements of one name (two ratios of a method, for levels
	 * apart) are told apart by their order: path, path#2. */
	size_t base = sc->path.len;
	for (size_t k = 2; hash_get(sc->by_path, sc->path.buf, sc->path.len);
	     k++) {
		sc->path.len = base;
		strbuf_addf(&sc->path, "#%zu", k);
	}
	struct scalar *s = sc->items[sc->n++] =
		arena_alloc(sc->d->a, sizeof *s);
	*s = (struct scalar){ arena_strndup(sc->d->a, sc->path.buf,
					    sc->path.len),
			      v, sc->path.len, at, false };
	hash_put(sc->by_path, s->path, s->path_len, s);
	scalars_leave(sc);
	return true;
}

static void
scalars_of(struct diff *d, const struct standard *s, struct scalars *sc)
{
	*sc = (struct scalars){ .d = d, .by_path = hash_new(d->a, 64) };
	model_walk(model_standard_shape, s, scalars_visit, sc);
	strbuf_free(&sc->path);
}

static void
diff_scalars(struct diff *d)
{
	struct scalars o, n;
	scalars_of(d, d->o, &o);
	scalars_of(d, d->n, &n);
	for (size_t i = 0; i < o.n; i++) {
		struct scalar *os = o.items[i];
		struct scalar *ns = hash_get(n.by_path, os->path, os->path_len);
		if (ns)
			ns->seen = true;
		if (!ns)
			diff_line(d, os->at, NULL, _("%s removed: '%s'"),
				  os->path, os->value);
		else if (strcmp(os->value, ns->value))
			diff_line(d, os->at, ns->at,
				  _("%s changed: '%s' → '%s'"), ns->path,
				  os->value, ns->value);
	}
	for (size_t j = 0; j < n.n; j++)
		if (!n.items[j]->seen)
			diff_line(d, NULL, n.items[j]->at, _("%s added: '%s'"),
				  n.items[j]->path, n.items[j]->value);
}

/* ---- the command ------------------------------------------------------ */

int
diff_models(struct arena *a, const struct standard *o, const struct standard *n)
{
	struct diff d = { a, o, n, 0, hash_new(a, 8) };
	diff_scalars(&d);
	diff_levels(&d);
	struct thing *oc = capabilities(&d, o), *nc = capabilities(&d, n);
	diff_capabilities(&d, oc, nc);
	struct thing *ow = contents(&d, o), *nw = contents(&d, n);
	diff_contents(&d, ow, nw, oc, nc);
	diff_weights(&d);
	return d.changes ? 1 : 0;
}

int
diff_files(struct run *run, const char *old_path, const char *new_path)
{
	struct arena *oa = arena_new(), *na = arena_new(), *a = arena_new();
	struct unit ou, nu;
	int os = pipeline_read(run, oa, &ou, old_path, 0);
	int ns = pipeline_read(run, na, &nu, new_path, 0);
	int status = os || ns ? 2 : diff_models(a, ou.std, nu.std);
	arena_free(a);
	arena_free(na);
	arena_free(oa);
	return status;
}
