/*
 * diff.c - skillc diff: two drafts of a standard compared by meaning.
 *
 * Takes: two paths, OLD and NEW, each read through pipeline_read (its
 * findings printed; an error in either stops the diff), and an output
 * format. Gives: the changes, each a struct change (what it is about,
 * its kind, the thing as it is in OLD and in NEW, a message), written as
 * text lines, a Markdown report or JSON (docs/diff.md); the exit status
 * of diff(1): 0 equal, 1 different, 2 error. Guarantees:
 *   - the output is a function of the two models: changes come in a
 *     fixed order (levels, the chapters by key path, capabilities, work
 *     contents with their items, weights), and within each in the order
 *     of one of the two files (what was removed, and the paired things
 *     walked, in OLD's; what was added in NEW's);
 *   - matching is linear: things are paired by hash (a key, a name, a
 *     text); text similarity is computed only among the things left
 *     unpaired in one table or one work content, only while there are
 *     few of them (DIFF_MAX_PAIRS), and within a budget for the run
 *     counted in LCS cells (DIFF_BUDGET_*), so a diff is never quadratic
 *     in the size of a standard;
 *   - items renumbered only because one was inserted, removed or moved
 *     before them are one change, not one each.
 * The chapters without a pass here (metadata, occupation, eligibility,
 * assessment, basic requirements, scope, terms, the titles and captions
 * of the work requirements and weights...) are compared scalar by scalar
 * by key path, each element of a list named by its key (or the key it
 * refers to, or its label; one named by its label or id whose fields
 * are another's of OLD is that one relabelled). Not yet (docs/diff.md):
 * routes and figures compared for what they mean.
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
/* What text similarity may cost in one run, in cells of LCS tables: a
 * base, and as much again for each capability, work content and item of
 * the two standards; once spent, what is left unpaired stays added and
 * removed. */
#define DIFF_BUDGET_BASE  ((uint64_t)1 << 26)
#define DIFF_BUDGET_THING ((uint64_t)1 << 12)

/* What a change is about, and what its sides identify it by: the keys
 * of docs/diff.md's JSON, in order. */
enum what {
	W_FIELD,
	W_LEVEL,
	W_CAPABILITY,
	W_CONTENT,
	W_SKILL,
	W_KNOWLEDGE,
	W_WEIGHT_TABLE,
	W_COLUMN,
	W_ROW,
	W_WEIGHT,
	W_TOTAL
};

#define SIDE_IDS 5

static const struct {
	const char *name, *chapter, *ids[SIDE_IDS + 1];
} whats[] = {
	[W_FIELD] = { "field", NULL, { "path" } },
	[W_LEVEL] = { "level", "levels", { "level" } },
	[W_CAPABILITY] = { "capability",
			   "work_requirements",
			   { "level", "branch", "key", "id" } },
	[W_CONTENT] = { "content",
			"work_requirements",
			{ "level", "branch", "capability", "key", "id" } },
	[W_SKILL] = { "skill",
		      "work_requirements",
		      { "level", "branch", "content", "id" } },
	[W_KNOWLEDGE] = { "knowledge",
			  "work_requirements",
			  { "level", "branch", "content", "id" } },
	[W_WEIGHT_TABLE] = { "weight_table", "weights", { "table" } },
	[W_COLUMN] = { "column", "weights", { "table", "level", "branch" } },
	[W_ROW] = { "row", "weights", { "table", "ref" } },
	[W_WEIGHT] = { "weight",
		       "weights",
		       { "table", "ref", "level", "branch" } },
	[W_TOTAL] = { "total", "weights", { "table", "level", "branch" } },
};

enum change_kind {
	ADDED,
	REMOVED,
	CHANGED,
	RENAMED,
	RENUMBERED,
	REKEYED,
	MOVED,
	REWORDED,
	SHIFTED,
	REORDERED,
	RELABELLED
};

static const char *const kind_names[] = { "added",     "removed",    "changed",
					  "renamed",   "renumbered", "rekeyed",
					  "moved",     "reworded",   "shifted",
					  "reordered", "relabelled" };

/* A thing as it is in one of the two files: where, what identifies it
 * there (whats[].ids; NULL: none), and its value. */
struct side {
	struct place at;
	const char *id[SIDE_IDS];
	const char *value;
};

struct change {
	const char *chapter;
	enum what what;
	enum change_kind kind;
	struct side old, new; /* old absent when ADDED, new when REMOVED */
	const char *message;  /* its marks: MARK_DEL... */
	const char *marked;   /* REWORDED: new with old's changes marked */
	const char **ids;     /* SHIFTED: old, new, old, new... */
	size_t n_ids;
	/* W_WEIGHT, W_TOTAL: the row's and the column's labels in NEW */
	const char *row, *column;
};

#define MARK_DEL     '\x01'
#define MARK_DEL_END '\x02'
#define MARK_INS     '\x03'
#define MARK_INS_END '\x04'

struct diff {
	struct arena *a;
	const struct standard *o, *n;
	enum diff_format format;
	struct change *changes;
	size_t n_changes, cap;
	/* old work content key -> the new one, where a key changed: weight
	 * rows not paired by their own key follow their content */
	struct hash *rekeyed;
	/* what text similarity may still cost in this run (LCS cells) */
	uint64_t budget;
};

/* A change; its message a format and its arguments, where the changed
 * characters of a text are marked MARK_DEL...MARK_DEL_END and
 * MARK_INS...MARK_INS_END (no standard's text holds a C0 control) for
 * each output to show in its way. The sides are filled by the caller. */
PRINTF_LIKE(4, 5)
static struct change *
change(struct diff *d, enum what what, enum change_kind kind, const char *fmt,
       ...)
{
	if (d->n_changes == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->changes = realloc(d->changes, d->cap * sizeof *d->changes);
		if (!d->changes)
			die_oom();
	}
	struct strbuf sb = { 0 };
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	struct change *c = &d->changes[d->n_changes++];
	*c = (struct change){ .chapter = whats[what].chapter,
			      .what = what,
			      .kind = kind };
	c->message = arena_strndup(d->a, sb.buf ? sb.buf : "", sb.len);
	strbuf_free(&sb);
	return c;
}

static const char *
str(struct diff *d, const struct text *t)
{
	return text_str(d->a, t); /* NUL-terminated: a text may be a span */
}

/* The text, or NULL for none (JSON's null). */
static const char *
opt(const struct text *t)
{
	return t->len ? t->s : NULL;
}

static struct side
side_level(struct diff *d, struct place at, const struct level *l)
{
	return (struct side){ at, { l->key.s }, str(d, &l->name) };
}

static struct side
side_capability(struct diff *d, struct place at, const struct capability *c)
{
	const struct work_table *t = c->table;
	return (struct side){ at,
			      { opt(&t->level_key), opt(&t->branch_key),
				opt(&c->key), opt(&c->id) },
			      str(d, &c->name) };
}

static struct side
side_content(struct diff *d, struct place at, const struct content *c)
{
	const struct work_table *t = c->capability->table;
	return (struct side){ at,
			      { opt(&t->level_key), opt(&t->branch_key),
				opt(&c->capability->id), opt(&c->key),
				opt(&c->id) },
			      str(d, &c->name) };
}

static struct side
side_item(struct diff *d, struct place at, const struct content *c,
	  const struct item *i)
{
	const struct work_table *t = c->capability->table;
	return (struct side){ at,
			      { opt(&t->level_key), opt(&t->branch_key),
				opt(&c->key), opt(&i->id) },
			      str(d, &i->text) };
}

/* A weight table's parts: its name; a column's level and branch; a row's
 * ref ("content:KEY", docs/diff.md). */
static struct side
side_weights(struct place at, const struct weight_table *t, const char *ref,
	     const struct column *col, const char *value)
{
	struct side s = { at, { model_weight_table_name(t) }, value };
	size_t k = 1;
	if (ref)
		s.id[k++] = ref;
	if (col) {
		s.id[k++] = opt(&col->level_key);
		s.id[k++] = opt(&col->branch_key);
	}
	return s;
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

/* A text decoded once for the similarity of many pairs: its code points;
 * cp NULL for one longer than DIFF_MAX_CHARS, never compared. */
struct decoded {
	uint32_t *cp;
	size_t n;
};

static struct decoded
decoded(struct diff *d, const struct text *t)
{
	static struct chars c;
	chars_of(t, &c);
	struct decoded r = { NULL, c.n };
	if (c.whole) {
		r.cp = arena_array(d->a, c.n + 1, sizeof *r.cp);
		memcpy(r.cp, c.cp, c.n * sizeof *r.cp);
	}
	return r;
}

/* 2 * LCS / (|a| + |b|) on code points, the LCS's length in two rows of
 * its table; 0 for texts too long to compare, or once the run's budget
 * is spent. */
static double
similarity(struct diff *d, const struct decoded *a, const struct decoded *b)
{
	uint64_t cost = (uint64_t)(a->n + 1) * (b->n + 1);
	if (!a->cp || !b->cp || a->n + b->n == 0 || cost > d->budget)
		return 0;
	d->budget -= cost;
	uint16_t rows[2][DIFF_MAX_CHARS + 1] = { { 0 } };
	uint16_t *prev = rows[0], *cur = rows[1];
	for (size_t i = 0; i < a->n; i++) {
		cur[0] = 0;
		for (size_t j = 0; j < b->n; j++)
			cur[j + 1] = a->cp[i] == b->cp[j]
					     ? (uint16_t)(prev[j] + 1)
				     : prev[j + 1] > cur[j] ? prev[j + 1]
							    : cur[j];
		uint16_t *t = prev;
		prev = cur, cur = t;
	}
	return 2.0 * prev[b->n] / (double)(a->n + b->n);
}

/* The characters removed and added since the last unchanged one,
 * marked; both emptied. */
static void
marks(struct strbuf *out, struct strbuf *del, struct strbuf *ins)
{
	if (del->len)
		strbuf_addf(out, "%c%s%c", MARK_DEL, del->buf, MARK_DEL_END);
	if (ins->len)
		strbuf_addf(out, "%c%s%c", MARK_INS, ins->buf, MARK_INS_END);
	strbuf_reset(del);
	strbuf_reset(ins);
}

/* new with what changed from old marked: MARK_DEL removed MARK_DEL_END,
 * MARK_INS added MARK_INS_END. */
static void
mark_changes(const struct text *old, const struct text *new, struct strbuf *out)
{
	static struct chars a, b;
	chars_of(old, &a);
	chars_of(new, &b);
	if (!a.whole || !b.whole) {
		/* texts of items: not NUL-terminated (FIELD_SPAN) */
		strbuf_addc(out, MARK_DEL);
		strbuf_add(out, old->s, old->len);
		strbuf_addc(out, MARK_DEL_END);
		strbuf_addc(out, MARK_INS);
		strbuf_add(out, new->s, new->len);
		strbuf_addc(out, MARK_INS_END);
		return;
	}
	uint16_t *l = lcs_table(&a, &b);
	size_t w = b.n + 1, i = 0, j = 0;
	struct strbuf del = { 0 }, ins = { 0 };
	while (i < a.n || j < b.n) {
		bool same = i < a.n && j < b.n && a.cp[i] == b.cp[j];
		/* one unchanged character between two changes is part of
		 * them: [-确定-]{+明确+}, not {+明+}确[-定-] */
		bool alone = same && (del.len || ins.len) &&
			     (i + 1 < a.n || j + 1 < b.n) &&
			     !(i + 1 < a.n && j + 1 < b.n &&
			       a.cp[i + 1] == b.cp[j + 1]);
		if (alone) {
			strbuf_add(&del, old->s + a.at[i],
				   a.at[i + 1] - a.at[i]);
			strbuf_add(&ins, new->s + b.at[j],
				   b.at[j + 1] - b.at[j]);
			i++, j++;
		} else if (same) {
			marks(out, &del, &ins);
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
	marks(out, &del, &ins);
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
	if (!no || !nn || no > DIFF_MAX_PAIRS / nn)
		return;
	struct pair *p = arena_array(d->a, no * nn, sizeof *p);
	struct decoded *od = arena_array(d->a, no, sizeof *od);
	struct decoded *nd = arena_array(d->a, nn, sizeof *nd);
	for (size_t i = 0; i < no; i++)
		od[i] = decoded(d, o[i]);
	for (size_t j = 0; j < nn; j++)
		nd[j] = decoded(d, n[j]);
	size_t np = 0;
	for (size_t i = 0; i < no; i++)
		for (size_t j = 0; j < nn; j++) {
			double r = similarity(d, &od[i], &nd[j]);
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
	return join(d->a, by == BY_BRANCH_KEY ? t->branch : t->table, str(d, f),
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
		if (!g->nn || g->no > DIFF_MAX_PAIRS / g->nn)
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
	return join(d->a, str(d, &t->level_key), str(d, &t->branch_key), &len);
}

static struct thing *
capabilities(struct diff *d, const struct standard *s)
{
	struct thing *t = arena_array(d->a, s->n_capabilities + 1, sizeof *t);
	for (size_t i = 0; i < s->n_capabilities; i++) {
		const struct capability *c = s->capabilities[i];
		t[i] = (struct thing){ table_of(d, c->table),
				       str(d, &c->table->branch_key),
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
				       str(d, &w->branch_key),
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
			change(d, W_LEVEL, REMOVED,
			       _("level '%s' removed (%s)"), ol->key.s,
			       str(d, &ol->name))
				->old = side_level(d, ol->at, ol);
	}
	for (size_t i = 0; i < n->n_levels; i++) {
		const struct level *nl = &n->levels[i];
		const struct level *ol =
			hash_get(o->level_by_key, nl->key.s, nl->key.len);
		if (!ol)
			change(d, W_LEVEL, ADDED, _("level '%s' added (%s)"),
			       nl->key.s, str(d, &nl->name))
				->new = side_level(d, nl->at, nl);
		else if (!text_eq(&ol->name, &nl->name)) {
			struct change *c = change(
				d, W_LEVEL, RENAMED,
				_("level '%s' renamed: '%s' → '%s'"), nl->key.s,
				str(d, &ol->name), str(d, &nl->name));
			c->old = side_level(d, ol->name.at, ol);
			c->new = side_level(d, nl->name.at, nl);
		}
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
			change(d, W_CAPABILITY, REMOVED,
			       _("capability '%s %s' removed from %s"),
			       str(d, &c->id), str(d, &c->name),
			       model_work_table_name(c->table))
				->old = side_capability(d, c->at, c);
	}
	for (size_t j = 0; j < nn; j++) {
		const struct capability *c = n[j].p;
		if (n[j].match == NONE) {
			change(d, W_CAPABILITY, ADDED,
			       _("capability '%s %s' added to %s"),
			       str(d, &c->id), str(d, &c->name),
			       model_work_table_name(c->table))
				->new = side_capability(d, c->at, c);
			continue;
		}
		const struct capability *oc = o[n[j].match].p;
		struct change *ch;
		if (c->key.len && oc->key.len && !text_eq(&oc->key, &c->key)) {
			ch = change(
				d, W_CAPABILITY, REKEYED,
				_("capability '%s' in %s has a new key: '%s' → '%s'"),
				str(d, &c->name),
				model_work_table_name(c->table), oc->key.s,
				c->key.s);
			ch->old = side_capability(d, oc->key.at, oc);
			ch->new = side_capability(d, c->key.at, c);
		}
		if (!text_eq(&oc->name, &c->name)) {
			ch = change(
				d, W_CAPABILITY, RENAMED,
				_("capability '%s' in %s renamed: '%s' → '%s'"),
				str(d, &c->id), model_work_table_name(c->table),
				str(d, &oc->name), str(d, &c->name));
			ch->old = side_capability(d, oc->name.at, oc);
			ch->new = side_capability(d, c->name.at, c);
		}
		if (!text_eq(&oc->id, &c->id)) {
			ch = change(
				d, W_CAPABILITY, RENUMBERED,
				_("capability '%s' in %s renumbered: '%s' → '%s'"),
				str(d, &c->name),
				model_work_table_name(c->table),
				str(d, &oc->id), str(d, &c->id));
			ch->old = side_capability(d, oc->id.at, oc);
			ch->new = side_capability(d, c->id.at, c);
		}
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

/* Of the paired items in NEW's order (n2o: each one's place in OLD, or
 * NONE), those that keep their order are a longest run of increasing
 * old places; moved[j] is set for the others, moved within their list.
 * Patience sorting: O(n log n). */
static void
kept_order(struct diff *d, const size_t *n2o, size_t nn, bool *moved)
{
	size_t *tail = arena_array(d->a, nn + 1, sizeof *tail);
	size_t *prev = arena_array(d->a, nn + 1, sizeof *prev);
	size_t len = 0;
	for (size_t j = 0; j < nn; j++) {
		if (n2o[j] == NONE)
			continue;
		/* the first run whose last old place is past this one */
		size_t lo = 0, hi = len;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (n2o[tail[mid]] < n2o[j])
				lo = mid + 1;
			else
				hi = mid;
		}
		prev[j] = lo ? tail[lo - 1] : NONE;
		tail[lo] = j;
		if (lo == len)
			len++;
		moved[j] = true;
	}
	for (size_t j = len ? tail[len - 1] : NONE; j != NONE; j = prev[j])
		moved[j] = false;
}

/* The two lists of items of a pair of work contents, as reported. */
struct items {
	enum what what;
	bool skill;
	const char *key, *table;
	const struct content *oc, *nc;
	const struct item *oi, *ni;
	const size_t *n2o;
};

/* The items of shifted (new places) that moved down (or up) with the
 * others and were renumbered for it: one change, its sides the first. */
static void
report_shifted(struct diff *d, const struct items *it, const size_t *shifted,
	       size_t n, bool down)
{
	const char **ids = arena_array(d->a, 2 * n + 1, sizeof *ids);
	size_t count = 0, first = NONE;
	for (size_t k = 0; k < n; k++) {
		size_t j = shifted[k], i = it->n2o[j];
		if ((i < j) != down)
			continue;
		if (first == NONE)
			first = j;
		ids[2 * count] = str(d, &it->oi[i].id);
		ids[2 * count++ + 1] = str(d, &it->ni[j].id);
	}
	if (!count)
		return;
	const struct item *fo = &it->oi[it->n2o[first]], *fn = &it->ni[first];
	bool skill = it->skill;
	struct change *c = change(
		d, it->what, SHIFTED,
		down && skill
			? ngettext(
				  "%zu skill item of work content '%s' in %s moved down and renumbered: '%s' → '%s'",
				  "%zu skill items of work content '%s' in %s moved down and renumbered, the first '%s' → '%s'",
				  count)
		: down ? ngettext(
				 "%zu knowledge item of work content '%s' in %s moved down and renumbered: '%s' → '%s'",
				 "%zu knowledge items of work content '%s' in %s moved down and renumbered, the first '%s' → '%s'",
				 count)
		: skill ? ngettext(
				  "%zu skill item of work content '%s' in %s moved up and renumbered: '%s' → '%s'",
				  "%zu skill items of work content '%s' in %s moved up and renumbered, the first '%s' → '%s'",
				  count)
			: ngettext(
				  "%zu knowledge item of work content '%s' in %s moved up and renumbered: '%s' → '%s'",
				  "%zu knowledge items of work content '%s' in %s moved up and renumbered, the first '%s' → '%s'",
				  count),
		count, it->key, it->table, str(d, &fo->id), str(d, &fn->id));
	c->old = side_item(d, fo->id.at, it->oc, fo);
	c->new = side_item(d, fn->id.at, it->nc, fn);
	c->ids = ids;
	c->n_ids = count;
}

static void
diff_items(struct diff *d, const struct content *oc, const struct content *nc,
	   const struct item *oi, size_t no, const struct item *ni, size_t nn,
	   bool skill)
{
	size_t *o2n = arena_array(d->a, no + 1, sizeof *o2n);
	size_t *n2o = arena_array(d->a, nn + 1, sizeof *n2o);
	bool *reworded = arena_array(d->a, nn + 1, sizeof *reworded);
	bool *moved = arena_array(d->a, nn + 1, sizeof *moved);
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
	kept_order(d, n2o, nn, moved);
	const char *key = str(d, &nc->key);
	const char *table = model_work_table_name(nc->capability->table);
	enum what w = skill ? W_SKILL : W_KNOWLEDGE;
	for (size_t i = 0; i < no; i++)
		if (o2n[i] == NONE)
			change(d, w, REMOVED,
			       skill ? _("skill item '%s' of work content '%s' in %s removed: %s")
				     : _("knowledge item '%s' of work content '%s' in %s removed: %s"),
			       str(d, &oi[i].id), key, table,
			       str(d, &oi[i].text))
				->old = side_item(d, oi[i].at, oc, &oi[i]);
	size_t *shifted = arena_array(d->a, nn + 1, sizeof *shifted), ns = 0;
	struct change *c;
	for (size_t j = 0; j < nn; j++) {
		size_t i = n2o[j];
		if (i == NONE) {
			change(d, w, ADDED,
			       skill ? _("skill item '%s' of work content '%s' in %s added: %s")
				     : _("knowledge item '%s' of work content '%s' in %s added: %s"),
			       str(d, &ni[j].id), key, table,
			       str(d, &ni[j].text))
				->new = side_item(d, ni[j].at, nc, &ni[j]);
			continue;
		}
		if (reworded[j]) {
			struct strbuf marked = { 0 };
			mark_changes(&oi[i].text, &ni[j].text, &marked);
			c = change(
				d, w, REWORDED,
				skill ? _("skill item '%s' of work content '%s' in %s reworded: %s")
				      : _("knowledge item '%s' of work content '%s' in %s reworded: %s"),
				str(d, &ni[j].id), key, table, marked.buf);
			c->old = side_item(d, oi[i].text.at, oc, &oi[i]);
			c->new = side_item(d, ni[j].text.at, nc, &ni[j]);
			c->marked = arena_strndup(d->a, marked.buf, marked.len);
			strbuf_free(&marked);
		}
		if (moved[j]) {
			c = change(
				d, w, REORDERED,
				skill ? _("skill item of work content '%s' in %s moved within it: '%s' → '%s': %s")
				      : _("knowledge item of work content '%s' in %s moved within it: '%s' → '%s': %s"),
				key, table, str(d, &oi[i].id),
				str(d, &ni[j].id), str(d, &ni[j].text));
			c->old = side_item(d, oi[i].at, oc, &oi[i]);
			c->new = side_item(d, ni[j].at, nc, &ni[j]);
			continue;
		}
		if (text_eq(&oi[i].id, &ni[j].id) ||
		    renumbered_with(&oi[i].id, &ni[j].id, oc, nc))
			continue;
		if (i != j) {
			shifted[ns++] = j;
			continue;
		}
		c = change(
			d, w, RENUMBERED,
			skill ? _("skill item of work content '%s' in %s renumbered: '%s' → '%s'")
			      : _("knowledge item of work content '%s' in %s renumbered: '%s' → '%s'"),
			key, table, str(d, &oi[i].id), str(d, &ni[j].id));
		c->old = side_item(d, oi[i].id.at, oc, &oi[i]);
		c->new = side_item(d, ni[j].id.at, nc, &ni[j]);
	}
	struct items it = { w, skill, key, table, oc, nc, oi, ni, n2o };
	/* in NEW's order: the group of the first shifted item first */
	bool down = ns && n2o[shifted[0]] < shifted[0];
	report_shifted(d, &it, shifted, ns, down);
	report_shifted(d, &it, shifted, ns, !down);
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
			change(d, W_CONTENT, REMOVED,
			       _("work content '%s' (%s %s) removed from %s"),
			       c->key.s, str(d, &c->id), str(d, &c->name),
			       model_work_table_name(c->capability->table))
				->old = side_content(d, c->at, c);
	}
	for (size_t j = 0; j < nn; j++) {
		const struct content *c = n[j].p;
		if (n[j].match == NONE) {
			change(d, W_CONTENT, ADDED,
			       _("work content '%s' (%s %s) added to %s"),
			       c->key.s, str(d, &c->id), str(d, &c->name),
			       model_work_table_name(c->capability->table))
				->new = side_content(d, c->at, c);
			continue;
		}
		const struct content *p = o[n[j].match].p;
		if (!text_eq(&p->key, &c->key))
			hash_put(d->rekeyed, p->key.s, p->key.len,
				 (void *)c->key.s);
		const char *table = model_work_table_name(c->capability->table);
		const struct capability *pc = p->capability,
					*cc = c->capability;
		size_t m = oc[pc->index].match;
		bool same_cap = m != NONE && nc[m].p == cc;
		struct change *ch = NULL;
		if (pc->table->level != NULL && cc->table->level != NULL &&
		    !text_eq(&pc->table->level_key, &cc->table->level_key))
			ch = change(
				d, W_CONTENT, MOVED,
				_("work content '%s' moved from capability '%s' of level '%s' to capability '%s' of level '%s'"),
				c->key.s, str(d, &pc->name),
				str(d, &pc->table->level->name),
				str(d, &cc->name),
				str(d, &cc->table->level->name));
		else if (!same_cap)
			ch = change(
				d, W_CONTENT, MOVED,
				_("work content '%s' in %s moved from capability '%s' to capability '%s'"),
				c->key.s, table, str(d, &pc->name),
				str(d, &cc->name));
		if (ch) {
			ch->old = side_content(d, p->at, p);
			ch->new = side_content(d, c->at, c);
		}
		if (!text_eq(&p->key, &c->key)) {
			ch = change(
				d, W_CONTENT, REKEYED,
				_("work content '%s' in %s has a new key: '%s' → '%s'"),
				str(d, &c->name), table, p->key.s, c->key.s);
			ch->old = side_content(d, p->key.at, p);
			ch->new = side_content(d, c->key.at, c);
		}
		if (!text_eq(&p->name, &c->name)) {
			ch = change(
				d, W_CONTENT, RENAMED,
				_("work content '%s' in %s renamed: '%s' → '%s'"),
				c->key.s, table, str(d, &p->name),
				str(d, &c->name));
			ch->old = side_content(d, p->name.at, p);
			ch->new = side_content(d, c->name.at, c);
		}
		if (!text_eq(&p->id, &c->id)) {
			ch = change(
				d, W_CONTENT, RENUMBERED,
				_("work content '%s' in %s renumbered: '%s' → '%s'"),
				c->key.s, table, str(d, &p->id),
				str(d, &c->id));
			ch->old = side_content(d, p->id.at, p);
			ch->new = side_content(d, c->id.at, c);
		}
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
	return join(d->a, kind,
		    t->number.len ? t->number.s : str(d, &t->caption), len);
}

/* What a row weighs: a basic requirement, a capability, a work content,
 * or else its label; a second row of the same gets "#2". Rows are paired
 * by it, then a row of a work content whose key changed by the new key. *ref:
 * the same as docs/diff.md's JSON names it in its own file ("content:KEY"). */
static const char *
row_key(struct diff *d, struct hash *seen, const struct weight_row *r,
	size_t *len, const char **ref)
{
	const char *kind = r->basic_key.len	   ? "basic"
			   : r->capability_key.len ? "capability"
			   : r->content_key.len	   ? "content"
						   : "label";
	const struct text *t = r->basic_key.len	       ? &r->basic_key
			       : r->capability_key.len ? &r->capability_key
			       : r->content_key.len    ? &r->content_key
						       : &r->label;
	const char *k = join(d->a, kind, str(d, t), len);
	void **slot = hash_slot(seen, k, *len);
	size_t nth = (size_t)(uintptr_t)*slot + 1;
	*slot = (void *)(uintptr_t)nth;
	struct strbuf sb = { 0 };
	strbuf_addf(&sb, "%s:%s", kind, str(d, t));
	if (nth > 1)
		strbuf_addf(&sb, "#%zu", nth);
	*ref = arena_strndup(d->a, sb.buf, sb.len);
	if (nth == 1) {
		strbuf_free(&sb);
		return k;
	}
	strbuf_reset(&sb);
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
		const char *k = join(d->a, str(d, &n->columns[j].level_key),
				     str(d, &n->columns[j].branch_key), &len);
		hash_put(ch, k, len, (void *)(uintptr_t)(j + 1));
	}
	for (size_t i = 0; i < o->n_columns; i++) {
		size_t len;
		const char *k = join(d->a, str(d, &o->columns[i].level_key),
				     str(d, &o->columns[i].branch_key), &len);
		uintptr_t j = (uintptr_t)hash_get(ch, k, len);
		col[i] = j ? j - 1 : NONE;
		if (j &&
		    !text_eq(&o->columns[i].label, &n->columns[j - 1].label)) {
			const struct column *oc = &o->columns[i],
					    *nc = &n->columns[j - 1];
			struct change *w = change(
				d, W_COLUMN, RENAMED,
				_("column '%s' of weight table %s relabelled: '%s' → '%s'"),
				str(d, &nc->label), name, str(d, &oc->label),
				str(d, &nc->label));
			w->old = side_weights(oc->label.at, o, NULL, oc,
					      str(d, &oc->label));
			w->new = side_weights(nc->label.at, n, NULL, nc,
					      str(d, &nc->label));
		}
		if (j)
			col_taken[j - 1] = true;
		else
			change(d, W_COLUMN, REMOVED,
			       _("column '%s' removed from weight table %s"),
			       str(d, &o->columns[i].label), name)
				->old = side_weights(
				o->columns[i].at, o, NULL, &o->columns[i],
				str(d, &o->columns[i].label));
	}
	for (size_t j = 0; j < n->n_columns; j++)
		if (!col_taken[j])
			change(d, W_COLUMN, ADDED,
			       _("column '%s' added to weight table %s"),
			       str(d, &n->columns[j].label), name)
				->new = side_weights(
				n->columns[j].at, n, NULL, &n->columns[j],
				str(d, &n->columns[j].label));
	/* rows by what they weigh */
	struct hash *rh = hash_new(d->a, n->n_rows), *seen = hash_new(d->a, 8);
	bool *row_taken = arena_array(d->a, n->n_rows + 1, sizeof *row_taken);
	const char **nref = arena_array(d->a, n->n_rows + 1, sizeof *nref);
	for (size_t j = 0; j < n->n_rows; j++) {
		size_t len;
		const char *k = row_key(d, seen, n->rows[j], &len, &nref[j]);
		hash_put(rh, k, len, (void *)(uintptr_t)(j + 1));
	}
	/* each old row's partner: by what it weighs, then, for one still
	 * unpaired, by its work content's new key */
	seen = hash_new(d->a, 8);
	uintptr_t *row = arena_array(d->a, o->n_rows + 1, sizeof *row);
	const char **oref_of =
		arena_array(d->a, o->n_rows + 1, sizeof *oref_of);
	for (size_t i = 0; i < o->n_rows; i++) {
		size_t len;
		const char *k = row_key(d, seen, o->rows[i], &len, &oref_of[i]);
		row[i] = (uintptr_t)hash_get(rh, k, len);
		if (row[i])
			row_taken[row[i] - 1] = true;
	}
	for (size_t i = 0; i < o->n_rows; i++) {
		const struct text *ck = &o->rows[i]->content_key;
		const char *nk =
			row[i] || o->rows[i]->basic_key.len ||
					o->rows[i]->capability_key.len ||
					!ck->len
				? NULL
				: hash_get(d->rekeyed, ck->s, ck->len);
		if (!nk)
			continue;
		size_t len;
		const char *k = join(d->a, "content", nk, &len);
		uintptr_t j = (uintptr_t)hash_get(rh, k, len);
		if (j && !row_taken[j - 1])
			row[i] = j, row_taken[j - 1] = true;
	}
	char a[32], b[32];
	for (size_t i = 0; i < o->n_rows; i++) {
		const struct weight_row *orow = o->rows[i];
		const char *oref = oref_of[i];
		uintptr_t j = row[i];
		if (!j) {
			change(d, W_ROW, REMOVED,
			       _("row '%s' removed from weight table %s"),
			       str(d, &orow->label), name)
				->old = side_weights(orow->at, o, oref, NULL,
						     str(d, &orow->label));
			continue;
		}
		const struct weight_row *nrow = n->rows[j - 1];
		if (!text_eq(&orow->label, &nrow->label)) {
			struct change *w = change(
				d, W_ROW, RENAMED,
				_("row of weight table %s relabelled: '%s' → '%s'"),
				name, str(d, &orow->label),
				str(d, &nrow->label));
			w->old = side_weights(orow->label.at, o, oref, NULL,
					      str(d, &orow->label));
			w->new = side_weights(nrow->label.at, n, nref[j - 1],
					      NULL, str(d, &nrow->label));
		}
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
			if (!strcmp(a, b))
				continue;
			struct change *w = change(
				d, W_WEIGHT, CHANGED,
				_("weight of '%s' for '%s' in weight table %s: %s → %s"),
				str(d, &nrow->label),
				str(d, &n->columns[m].label), name, a, b);
			w->old = side_weights(
				ow ? ow->at : orow->at, o, oref, &o->columns[c],
				arena_strndup(d->a, a, strlen(a)));
			w->new =
				side_weights(nw ? nw->at : nrow->at, n,
					     nref[j - 1], &n->columns[m],
					     arena_strndup(d->a, b, strlen(b)));
			w->row = str(d, &nrow->label);
			w->column = str(d, &n->columns[m].label);
		}
	}
	for (size_t j = 0; j < n->n_rows; j++)
		if (!row_taken[j])
			change(d, W_ROW, ADDED,
			       _("row '%s' added to weight table %s"),
			       str(d, &n->rows[j]->label), name)
				->new =
				side_weights(n->rows[j]->at, n, nref[j], NULL,
					     str(d, &n->rows[j]->label));
	for (size_t c = 0; c < o->n_columns; c++) {
		size_t m = col[c];
		if (m == NONE)
			continue;
		cell(c < o->total.n_weights ? &o->total.weights[c] : NULL, a,
		     sizeof a);
		cell(m < n->total.n_weights ? &n->total.weights[m] : NULL, b,
		     sizeof b);
		if (!strcmp(a, b))
			continue;
		struct change *w =
			change(d, W_TOTAL, CHANGED,
			       _("total for '%s' in weight table %s: %s → %s"),
			       str(d, &n->columns[m].label), name, a, b);
		w->old = side_weights(o->total.at, o, NULL, &o->columns[c],
				      arena_strndup(d->a, a, strlen(a)));
		w->new = side_weights(n->total.at, n, NULL, &n->columns[m],
				      arena_strndup(d->a, b, strlen(b)));
		w->row = n->total.label.len ? n->total.label.s : NULL;
		w->column = str(d, &n->columns[m].label);
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
			change(d, W_WEIGHT_TABLE, REMOVED,
			       _("weight table %s removed"),
			       model_weight_table_name(ot))
				->old =
				side_weights(ot->at, ot, NULL, NULL, NULL);
			continue;
		}
		taken[j - 1] = true;
		diff_weight_table(d, ot, n->weight_tables[j - 1]);
	}
	for (size_t j = 0; j < n->n_weight_tables; j++)
		if (!taken[j])
			change(d, W_WEIGHT_TABLE, ADDED,
			       _("weight table %s added"),
			       model_weight_table_name(n->weight_tables[j]))
				->new = side_weights(n->weight_tables[j]->at,
						     n->weight_tables[j], NULL,
						     NULL, NULL);
}

/* ---- metadata and occupation ------------------------------------------ */

/* A scalar of the source, by its key path: meta.title.zh. */
struct scalar {
	const char *path, *value;
	size_t path_len;
	struct place at;
	bool text; /* a text of the standard, not a key, number or name */
	bool seen; /* found on the other side */
	bool skip; /* the label of an element relabelled: reported as such */
	const char *match; /* the path it is paired by (NEW: OLD's names) */
	size_t match_len;
};

/* An element of a list named by its label or id (a route, a term, a
 * labelled item): a name that is a place, which changes for every element
 * after one inserted. */
struct named_elem {
	const char *list, *path; /* the list's path; its own, list[label] */
	size_t list_len, path_len;
	const char *label, *field; /* field: "label" or "id" */
	size_t first, end;	   /* its scalars: items[first..end) */
	bool nested;		   /* in another labelled element */
	/* NEW: the name it is paired by; the OLD element it was */
	const char *match;
	const struct named_elem *was;
	const char *sig; /* its scalars but its label, for pairing */
	size_t sig_len;
};

struct scalars {
	struct diff *d;
	struct scalar **items; /* each its own: by_path points to them */
	size_t n, cap;
	struct hash *by_path;
	struct hash *repeats; /* path -> how many of it so far */
	const char *top;      /* the chapter walked */
	/* the path to here, and where each open struct or list starts in it
	 * and, for a list, the index of its next element */
	struct strbuf path;
	size_t depth, starts[LOAD_MAX_DEPTH * 2], next[LOAD_MAX_DEPTH * 2];
	bool list[LOAD_MAX_DEPTH * 2];
	/* the labelled elements, and which is open at each depth (index + 1) */
	struct named_elem *elems;
	size_t n_elems, cap_elems, open_elems;
	size_t elem_at[LOAD_MAX_DEPTH * 2];
};

/* What names an element of a list of structs on both sides: its key,
 * else the first key it refers to (an eligibility clause's level, a
 * ratio's method), else its label or id; NULL for none. */
static const struct text *
element_name(const struct walk_step *st, const char **by_label)
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
	*by_label = f == label ? f->name : NULL;
	const struct text *t =
		(const struct text *)((const char *)st->value + f->offset);
	return t->at.given && t->len ? t : NULL;
}

/* A labelled element entered, its path just made. */
static void
labelled_open(struct scalars *sc, const char *label, const char *field)
{
	struct arena *a = sc->d->a;
	if (sc->n_elems == sc->cap_elems) {
		size_t cap = sc->cap_elems ? sc->cap_elems * 2 : 16;
		struct named_elem *e = arena_array(a, cap, sizeof *e);
		if (sc->n_elems)
			memcpy(e, sc->elems, sc->n_elems * sizeof *e);
		sc->elems = e, sc->cap_elems = cap;
	}
	size_t start = sc->starts[sc->depth];
	sc->elems[sc->n_elems] = (struct named_elem){
		.list = arena_strndup(a, sc->path.buf, start),
		.list_len = start,
		.path = arena_strndup(a, sc->path.buf, sc->path.len),
		.path_len = sc->path.len,
		.label = label,
		.field = field,
		.first = sc->n,
		.end = sc->n,
		.nested = sc->open_elems > 0,
	};
	sc->elem_at[sc->depth] = ++sc->n_elems;
	sc->open_elems++;
}

/* The path to the member or element st is: an element by its name where
 * it has one (eligibility[l4].routes[a)]), else by its place. */
static void
scalars_enter(struct scalars *sc, const struct walk_step *st)
{
	sc->starts[sc->depth] = sc->path.len;
	sc->elem_at[sc->depth] = 0;
	const char *by_label = NULL;
	const struct text *name =
		st->element ? element_name(st, &by_label) : NULL;
	if (st->element && sc->depth && name) {
		const char *s = str(sc->d, name);
		strbuf_addf(&sc->path, "[%s]", s);
		sc->next[sc->depth - 1]++;
		if (by_label)
			labelled_open(sc, s, by_label);
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
	if (sc->elem_at[sc->depth]) {
		sc->elems[sc->elem_at[sc->depth] - 1].end = sc->n;
		sc->open_elems--;
	}
	sc->path.len = sc->starts[sc->depth];
	if (sc->path.buf)
		sc->path.buf[sc->path.len] = '\0';
}

static const char *
scalar_value(struct arena *a, const struct walk_step *st, struct place *at)
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
		return t->at.given ? text_str(a, t) : NULL;
	}
	case F_INT:
	case F_INTS:
	case F_CELLS: {
		const struct num *v = st->value;
		*at = v->at;
		cell(v, buf, sizeof buf);
		return v->at.given ? arena_strndup(a, buf, strlen(buf)) : NULL;
	}
	case F_BOOL: {
		const struct flag *v = st->value;
		*at = v->at;
		return v->at.given ? (v->v ? "true" : "false") : NULL;
	}
	case F_ENUM: {
		const struct choice *v = st->value;
		*at = v->at;
		return v->at.given && f->names ? f->names[v->v] : NULL;
	}
	default:
		return NULL;
	}
}

/* The chapters compared scalar by scalar, by key path: all but the
 * levels and the text rules; of the work requirements and the weights,
 * what their passes do not compare (titles, intros, captions...). */
static bool
by_path(const char *top)
{
	static const char *const names[] = {
		"meta",
		"notice",
		"scope",
		"normative_references",
		"terms",
		"occupation",
		"branches",
		"eligibility",
		"assessment",
		"basic_requirements",
		"work_requirements",
		"weights",
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(top, names[i]))
			return true;
	return false;
}

/* Whether the member name of the chapter top has a pass of its own: the
 * capabilities of the work tables, the columns, rows and totals' cells
 * of the weight tables (their groups' and totals' labels are compared
 * by path). */
static bool
own_pass(const char *top, const char *name)
{
	if (!strcmp(top, "work_requirements"))
		return !strcmp(name, "capabilities");
	return !strcmp(top, "weights") &&
	       (!strcmp(name, "columns") || !strcmp(name, "rows") ||
		!strcmp(name, "weights"));
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
		if (st->absent || sc->depth >= LOAD_MAX_DEPTH * 2 ||
		    (sc->depth && !st->element &&
		     own_pass(sc->top, st->field->name)))
			return false;
		if (!sc->depth)
			sc->top = st->field->name;
		scalars_enter(sc, st);
		return true;
	case WALK_LIST:
		if ((!sc->depth && !by_path(st->field->name)) ||
		    sc->depth >= LOAD_MAX_DEPTH * 2 ||
		    (sc->depth && own_pass(sc->top, st->field->name)))
			return false;
		if (!sc->depth)
			sc->top = st->field->name;
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
	if (sc->depth && own_pass(sc->top, st->field->name))
		return true;
	struct place at = { 0 };
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
	 * apart) are told apart by their order: path, path#2; a count per
	 * path, so that n of one name cost n. */
	size_t *count = hash_get(sc->repeats, sc->path.buf, sc->path.len);
	if (!count) {
		count = arena_alloc(sc->d->a, sizeof *count);
		hash_put(sc->repeats,
			 arena_strndup(sc->d->a, sc->path.buf, sc->path.len),
			 sc->path.len, count);
	}
	size_t base = sc->path.len;
	while (++*count > 1) {
		sc->path.len = base;
		strbuf_addf(&sc->path, "#%zu", *count);
		if (!hash_get(sc->by_path, sc->path.buf, sc->path.len))
			break;
	}
	struct scalar *s = sc->items[sc->n++] =
		arena_alloc(sc->d->a, sizeof *s);
	*s = (struct scalar){ arena_strndup(sc->d->a, sc->path.buf,
					    sc->path.len),
			      v,
			      sc->path.len,
			      at,
			      st->field->type == F_TEXT,
			      false,
			      false,
			      NULL,
			      0 };
	s->match = s->path, s->match_len = s->path_len;
	hash_put(sc->by_path, s->path, s->path_len, s);
	scalars_leave(sc);
	return true;
}

static void
scalars_of(struct diff *d, const struct standard *s, struct scalars *sc)
{
	*sc = (struct scalars){ .d = d,
				.by_path = hash_new(d->a, 64),
				.repeats = hash_new(d->a, 64) };
	model_walk(model_standard_shape, s, scalars_visit, sc);
	strbuf_free(&sc->path);
}

/* A change of a scalar: its chapter the first part of its path. */
PRINTF_LIKE(3, 6)
static struct change *
field(struct diff *d, enum change_kind kind, const char *fmt,
      const struct scalar *os, const struct scalar *ns, ...)
{
	struct strbuf sb = { 0 };
	va_list ap;
	va_start(ap, ns);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	struct change *c = change(d, W_FIELD, kind, "%s", sb.buf);
	strbuf_free(&sb);
	const struct scalar *s = ns ? ns : os;
	c->chapter = arena_strndup(d->a, s->path, strcspn(s->path, ".["));
	if (os)
		c->old = (struct side){ os->at, { os->path }, os->value };
	if (ns)
		c->new = (struct side){ ns->at, { ns->path }, ns->value };
	return c;
}

/* A changed scalar: a text (not a date or a number: 12 bytes at least)
 * at least half alike shown with its changed characters marked, as an
 * item's; else old → new. */
static void
field_changed(struct diff *d, const struct scalar *os, const struct scalar *ns)
{
	struct text ot = { .s = os->value, .len = strlen(os->value) };
	struct text nt = { .s = ns->value, .len = strlen(ns->value) };
	bool texts = os->text && ns->text && ot.len >= 12 && nt.len >= 12;
	struct decoded od, nd;
	if (texts)
		od = decoded(d, &ot), nd = decoded(d, &nt);
	if (texts && similarity(d, &od, &nd) >= 0.5) {
		struct strbuf marked = { 0 };
		mark_changes(&ot, &nt, &marked);
		struct change *c = field(d, REWORDED, _("%s reworded: %s"), os,
					 ns, ns->path, marked.buf);
		c->marked = arena_strndup(d->a, marked.buf, marked.len);
		strbuf_free(&marked);
		return;
	}
	field(d, CHANGED, _("%s changed: '%s' → '%s'"), os, ns, ns->path,
	      os->value, ns->value);
}

/* Whether scalar i of e is e's label (or id). */
static bool
is_label(const struct scalars *sc, const struct named_elem *e, size_t i)
{
	const char *rel = sc->items[i]->path + e->path_len;
	return rel[0] == '.' && !strcmp(rel + 1, e->field);
}

/* Each labelled element's signature: its scalars but its label, by
 * their paths within it. */
static void
labelled_sigs(struct diff *d, struct scalars *sc)
{
	struct strbuf sb = { 0 };
	for (size_t k = 0; k < sc->n_elems; k++) {
		struct named_elem *e = &sc->elems[k];
		if (e->nested)
			continue;
		strbuf_reset(&sb);
		strbuf_add(&sb, e->list, e->list_len);
		strbuf_addc(&sb, '\x1d');
		for (size_t i = e->first; i < e->end; i++)
			if (!is_label(sc, e, i))
				strbuf_addf(&sb, "%s\x1e%s\x1f",
					    sc->items[i]->path + e->path_len,
					    sc->items[i]->value);
		e->sig = arena_strndup(d->a, sb.buf, sb.len);
		e->sig_len = sb.len;
	}
	strbuf_free(&sb);
}

/* The label scalar of e, or NULL. */
static struct scalar *
label_of(const struct scalars *sc, const struct named_elem *e)
{
	for (size_t i = e->first; i < e->end; i++)
		if (is_label(sc, e, i))
			return sc->items[i];
	return NULL;
}

/* Pair the labelled elements of NEW with OLD's: one of the same label and
 * the same scalars keeps its name; else one whose scalars are those of an
 * OLD element not yet paired is that element relabelled (a route inserted
 * before it), compared by OLD's name and reported once; a NEW element whose
 * name is then taken is compared under a name of its own (added). */
static void
relabel(struct diff *d, struct scalars *o, struct scalars *n)
{
	labelled_sigs(d, o);
	labelled_sigs(d, n);
	struct hash *by_sig = hash_new(d->a, o->n_elems);
	size_t *next = arena_array(d->a, o->n_elems + 1, sizeof *next);
	bool *taken = arena_array(d->a, o->n_elems + 1, sizeof *taken);
	for (size_t k = o->n_elems; k-- > 0;) {
		const struct named_elem *e = &o->elems[k];
		if (e->nested)
			continue;
		void **slot = hash_slot(by_sig, e->sig, e->sig_len);
		next[k] = *slot ? (size_t)(uintptr_t)*slot - 1 : NONE;
		*slot = (void *)(uintptr_t)(k + 1);
	}
	struct hash *names = hash_new(d->a, n->n_elems); /* list + name */
	size_t len;
	/* the same label and scalars; then the same scalars */
	for (int round = 0; round < 2; round++)
		for (size_t j = 0; j < n->n_elems; j++) {
			struct named_elem *e = &n->elems[j];
			if (e->nested || e->match)
				continue;
			uintptr_t v =
				(uintptr_t)hash_get(by_sig, e->sig, e->sig_len);
			size_t k = v ? v - 1 : NONE;
			while (k != NONE &&
			       (taken[k] || (!round && strcmp(o->elems[k].label,
							      e->label))))
				k = next[k];
			if (k == NONE)
				continue;
			taken[k] = true;
			e->match = o->elems[k].label;
			e->was = &o->elems[k];
			const char *name = join(d->a, e->list, e->match, &len);
			hash_put(names, name, len, e);
		}
	for (size_t j = 0; j < n->n_elems; j++) {
		struct named_elem *e = &n->elems[j];
		if (e->nested || e->match)
			continue;
		/* its own name, unless an element relabelled took it; one
		 * of two of a name keeps its path (#2), as in OLD */
		const char *k = join(d->a, e->list, e->label, &len);
		const struct named_elem *by = hash_put(names, k, len, e);
		e->match = by && by->was && strcmp(by->match, by->label)
				   ? arena_strndup(d->a, "\x1b", 1) /* taken */
				   : e->label;
	}
	struct strbuf sb = { 0 };
	for (size_t j = 0; j < n->n_elems; j++) {
		struct named_elem *e = &n->elems[j];
		if (e->nested || !strcmp(e->match, e->label))
			continue;
		if (e->match[0] == '\x1b') /* a name of its own, never paired */
			e->match = arena_strndup(d->a, e->path, e->path_len);
		for (size_t i = e->first; i < e->end; i++) {
			struct scalar *sc = n->items[i];
			/* paired: by OLD's name; else by one no path of
			 * OLD has */
			strbuf_reset(&sb);
			strbuf_add(&sb, e->list, e->list_len);
			strbuf_addf(&sb, e->was ? "[%s]%s" : "[\x1b%s]%s",
				    e->match, sc->path + e->path_len);
			sc->match = arena_strndup(d->a, sb.buf, sb.len);
			sc->match_len = sb.len;
		}
		if (!e->was)
			continue;
		struct scalar *ol = label_of(o, e->was), *nl = label_of(n, e);
		if (!ol || !nl)
			continue;
		ol->skip = nl->skip = true;
		field(d, RELABELLED, _("%s relabelled: '%s' → '%s'"), ol, nl,
		      e->path, ol->value, nl->value);
	}
	strbuf_free(&sb);
}

static void
diff_scalars(struct diff *d)
{
	struct scalars o, n;
	scalars_of(d, d->o, &o);
	scalars_of(d, d->n, &n);
	relabel(d, &o, &n);
	struct hash *by_match = hash_new(d->a, n.n);
	for (size_t j = 0; j < n.n; j++)
		hash_put(by_match, n.items[j]->match, n.items[j]->match_len,
			 n.items[j]);
	for (size_t i = 0; i < o.n; i++) {
		struct scalar *os = o.items[i];
		struct scalar *ns = hash_get(by_match, os->path, os->path_len);
		if (ns)
			ns->seen = true;
		if (os->skip)
			continue;
		if (!ns)
			field(d, REMOVED, _("%s removed: '%s'"), os, NULL,
			      os->path, os->value);
		else if (strcmp(os->value, ns->value))
			field_changed(d, os, ns);
	}
	for (size_t j = 0; j < n.n; j++)
		if (!n.items[j]->seen && !n.items[j]->skip)
			field(d, ADDED, _("%s added: '%s'"), NULL, n.items[j],
			      n.items[j]->path, n.items[j]->value);
}

/* ---- the outputs ------------------------------------------------------ */

/* A message or a marked text, its marks shown [-old-]{+new+}; in text a
 * line break of a text as \n, so that a change is one line; in Markdown
 * escaped whole, marks too, as the start of a list item's paragraph. Not <del>
 * and <ins>: pandoc drops raw HTML on the way to Word, and ~~ and ** do not
 * open or close next to the CJK punctuation a change so often starts or ends
 * with. */
static void
put_marked(struct strbuf *out, const char *s, enum diff_format format)
{
	static const char *const marks[] = { "[-", "-]", "{+", "+}" };
	struct strbuf plain = { 0 };
	while (*s) {
		size_t run = strcspn(s, "\x01\x02\x03\x04");
		strbuf_add(&plain, s, run);
		s += run;
		if (*s)
			strbuf_adds(&plain, marks[*s++ - MARK_DEL]);
	}
	if (format == DIFF_MARKDOWN)
		md_escape(out, plain.buf ? plain.buf : "", plain.len,
			  MD_LINE_START);
	else if (format == DIFF_JSON)
		strbuf_add(out, plain.buf ? plain.buf : "", plain.len);
	else
		for (size_t i = 0; i < plain.len; i++)
			if (plain.buf[i] == '\n')
				strbuf_adds(out, "\\n");
			else if (plain.buf[i] == '\r')
				strbuf_adds(out, "\\r");
			else
				strbuf_addc(out, plain.buf[i]);
	strbuf_free(&plain);
}

static void
text_place(struct strbuf *out, const struct standard *s, const struct side *sd)
{
	struct loc l = model_loc(s, sd->at);
	strbuf_addf(out, "%s:%u:%u: ", l.file, l.line, l.col);
}

static void
emit_diff_text(struct diff *d, struct strbuf *out)
{
	for (size_t i = 0; i < d->n_changes; i++) {
		const struct change *c = &d->changes[i];
		if (c->kind != ADDED)
			text_place(out, d->o, &c->old);
		if (c->kind != REMOVED)
			text_place(out, d->n, &c->new);
		put_marked(out, c->message, DIFF_TEXT);
		strbuf_addc(out, '\n');
	}
}

static void
json_str(struct strbuf *out, const char *s)
{
	if (s)
		strbuf_add_json(out, s, strlen(s));
	else
		strbuf_adds(out, "null");
}

static void
json_side(struct strbuf *out, const struct standard *s, const struct side *sd,
	  enum what what)
{
	struct loc l = model_loc(s, sd->at);
	strbuf_adds(out, "{\n        \"file\": ");
	json_str(out, l.file);
	strbuf_addf(out, ",\n        \"line\": %u,\n        \"column\": %u",
		    l.line, l.col);
	for (size_t k = 0; whats[what].ids[k]; k++) {
		strbuf_addf(out, ",\n        \"%s\": ", whats[what].ids[k]);
		json_str(out, sd->id[k]);
	}
	strbuf_adds(out, ",\n        \"value\": ");
	json_str(out, sd->value);
	strbuf_adds(out, "\n      }");
}

static void
emit_diff_json(struct diff *d, struct strbuf *out)
{
	strbuf_adds(out, "{\n  \"skillc_diff\": 1,\n  \"old\": ");
	json_str(out, d->o->file);
	strbuf_adds(out, ",\n  \"new\": ");
	json_str(out, d->n->file);
	strbuf_adds(out, ",\n  \"changes\": [");
	struct strbuf msg = { 0 };
	for (size_t i = 0; i < d->n_changes; i++) {
		const struct change *c = &d->changes[i];
		strbuf_adds(out, i ? ",\n    {\n" : "\n    {\n");
		strbuf_adds(out, "      \"chapter\": ");
		json_str(out, c->chapter);
		strbuf_addf(out, ",\n      \"what\": \"%s\"",
			    whats[c->what].name);
		strbuf_addf(out, ",\n      \"change\": \"%s\"",
			    kind_names[c->kind]);
		strbuf_adds(out, ",\n      \"old\": ");
		if (c->kind == ADDED)
			strbuf_adds(out, "null");
		else
			json_side(out, d->o, &c->old, c->what);
		strbuf_adds(out, ",\n      \"new\": ");
		if (c->kind == REMOVED)
			strbuf_adds(out, "null");
		else
			json_side(out, d->n, &c->new, c->what);
		strbuf_reset(&msg);
		put_marked(&msg, c->message, DIFF_JSON);
		strbuf_adds(out, ",\n      \"message\": ");
		strbuf_add_json(out, msg.buf ? msg.buf : "", msg.len);
		if (c->marked) {
			strbuf_reset(&msg);
			put_marked(&msg, c->marked, DIFF_JSON);
			strbuf_adds(out, ",\n      \"marked\": ");
			strbuf_add_json(out, msg.buf ? msg.buf : "", msg.len);
		}
		if (c->kind == SHIFTED) {
			strbuf_adds(out, ",\n      \"ids\": [");
			for (size_t k = 0; k < c->n_ids; k++) {
				strbuf_adds(out, k ? ", [" : "[");
				json_str(out, c->ids[2 * k]);
				strbuf_adds(out, ", ");
				json_str(out, c->ids[2 * k + 1]);
				strbuf_addc(out, ']');
			}
			strbuf_addc(out, ']');
		}
		strbuf_adds(out, "\n    }");
	}
	strbuf_free(&msg);
	strbuf_adds(out, d->n_changes ? "\n  ]\n}\n" : "]\n}\n");
}

/* The chapters in the standard's order, each with its heading where the
 * standard has none of its own. */
static const struct {
	const char *key, *name;
} chapters[] = {
	{ "id", N_("Identifier") },
	{ "meta", N_("Metadata") },
	{ "notice", N_("Notice") },
	{ "scope", N_("Scope") },
	{ "normative_references", N_("Normative references") },
	{ "terms", N_("Terms and definitions") },
	{ "occupation", N_("Occupation") },
	{ "levels", N_("Levels") },
	{ "branches", N_("Branches") },
	{ "eligibility", N_("Eligibility") },
	{ "assessment", N_("Assessment") },
	{ "basic_requirements", N_("Basic requirements") },
	{ "work_requirements", N_("Work requirements") },
	{ "weights", N_("Weights") },
};

/* A chapter's heading: its clause and title in NEW where it has them. */
static void
md_chapter_heading(struct strbuf *out, const struct standard *s,
		   const char *key, const char *name)
{
	const struct text *clause = NULL, *title = NULL;
#define OWN(k, member)                                                         \
	if (!strcmp(key, k))                                                   \
		clause = &s->member.clause, title = &s->member.title;
	OWN("scope", scope)
	OWN("normative_references", normative_references)
	OWN("terms", terms)
	OWN("occupation", occupation)
	OWN("basic_requirements", basic_requirements)
	OWN("work_requirements", work_requirements)
	OWN("weights", weights)
#undef OWN
	strbuf_adds(out, "## ");
	if (title && title->len) {
		if (clause->len) {
			md_escape(out, clause->s, clause->len, MD_INLINE);
			strbuf_addc(out, ' ');
		}
		md_escape(out, title->s, title->len, MD_INLINE);
	} else {
		const char *t = _(name);
		md_escape(out, t, strlen(t), MD_INLINE);
	}
	strbuf_adds(out, "\n\n");
}

static void
md_cell(struct strbuf *out, const char *s)
{
	strbuf_adds(out, " ");
	md_escape(out, s ? s : "", s ? strlen(s) : 0, MD_INLINE);
	strbuf_adds(out, " |");
}

/* The changed cells and totals of the weight table of changes[i], from
 * there on: one table of row, column, old and new; each marked done. */
static void
md_weight_cells(struct strbuf *out, const struct diff *d, size_t i, bool *done)
{
	const char *table = d->changes[i].new.id[0];
	if (out->buf[out->len - 2] != '\n')
		strbuf_addc(out, '\n'); /* after a list */
	strbuf_adds(out, "### ");
	md_escape(out, table, strlen(table), MD_INLINE);
	strbuf_adds(out, "\n\n|");
	md_cell(out, _("Row"));
	md_cell(out, _("Column"));
	md_cell(out, _("Old"));
	md_cell(out, _("New"));
	strbuf_adds(out, "\n| --- | --- | --- | --- |\n");
	for (; i < d->n_changes; i++) {
		const struct change *c = &d->changes[i];
		if ((c->what != W_WEIGHT && c->what != W_TOTAL) ||
		    strcmp(c->new.id[0], table))
			continue;
		done[i] = true;
		strbuf_addc(out, '|');
		md_cell(out, c->row ? c->row : _("Total"));
		md_cell(out, c->column);
		md_cell(out, c->old.value);
		md_cell(out, c->new.value);
		strbuf_addc(out, '\n');
	}
	strbuf_addc(out, '\n');
}

static void
emit_diff_markdown(struct diff *d, struct strbuf *out)
{
	strbuf_adds(out, "# ");
	struct strbuf title = { 0 };
	/* TRANSLATORS: the heading of skillc diff's Markdown; the names of
	 * the two files. */
	strbuf_addf(&title, _("Changes from %s to %s"), d->o->file, d->n->file);
	md_escape(out, title.buf, title.len, MD_INLINE);
	strbuf_free(&title);
	strbuf_adds(out, "\n\n");
	if (!d->n_changes) {
		const char *none = _("No changes.");
		md_escape(out, none, strlen(none), MD_LINE_START);
		strbuf_adds(out, "\n");
		return;
	}
	bool *done = calloc(d->n_changes, sizeof *done);
	if (!done)
		die_oom();
	for (size_t k = 0; k < sizeof chapters / sizeof *chapters; k++) {
		bool open = false;
		for (size_t i = 0; i < d->n_changes; i++) {
			const struct change *c = &d->changes[i];
			if (done[i] || strcmp(c->chapter, chapters[k].key))
				continue;
			if (!open)
				md_chapter_heading(out, d->n, chapters[k].key,
						   chapters[k].name);
			open = true;
			if (c->what == W_WEIGHT || c->what == W_TOTAL) {
				md_weight_cells(out, d, i, done);
				continue;
			}
			strbuf_adds(out, "- ");
			put_marked(out, c->message, DIFF_MARKDOWN);
			strbuf_addc(out, '\n');
		}
		if (open)
			strbuf_addc(out, '\n');
	}
	free(done);
	/* one newline at the end, not a blank line */
	while (out->len >= 2 && out->buf[out->len - 2] == '\n')
		out->buf[--out->len] = '\0';
}

/* ---- the command ------------------------------------------------------ */

bool
diff_format_of(const char *name, enum diff_format *format)
{
	static const char *const names[] = { "text", "markdown", "json" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(name, names[i])) {
			*format = (enum diff_format)i;
			return true;
		}
	return false;
}

int
diff_models(struct arena *a, const struct standard *o, const struct standard *n,
	    enum diff_format format, struct strbuf *out)
{
	size_t things = o->n_capabilities + o->n_contents + o->n_skills +
			o->n_knowledge + n->n_capabilities + n->n_contents +
			n->n_skills + n->n_knowledge;
	struct diff d = { .a = a,
			  .o = o,
			  .n = n,
			  .format = format,
			  .rekeyed = hash_new(a, 8),
			  .budget = DIFF_BUDGET_BASE +
				    DIFF_BUDGET_THING * (uint64_t)things };
	diff_levels(&d);
	diff_scalars(&d);
	struct thing *oc = capabilities(&d, o), *nc = capabilities(&d, n);
	diff_capabilities(&d, oc, nc);
	struct thing *ow = contents(&d, o), *nw = contents(&d, n);
	diff_contents(&d, ow, nw, oc, nc);
	diff_weights(&d);
	if (format == DIFF_JSON)
		emit_diff_json(&d, out);
	else if (format == DIFF_MARKDOWN)
		emit_diff_markdown(&d, out);
	else
		emit_diff_text(&d, out);
	int status = d.n_changes ? 1 : 0;
	free(d.changes);
	return status;
}

int
diff_files(struct run *run, const char *old_path, const char *new_path,
	   enum diff_format format)
{
	struct arena *oa = arena_new(), *na = arena_new(), *a = arena_new();
	struct unit ou, nu;
	int os = pipeline_read(run, oa, &ou, old_path, 0);
	int ns = pipeline_read(run, na, &nu, new_path, 0);
	int status = 2;
	if (!os && !ns) {
		struct strbuf out = { 0 };
		status = diff_models(a, ou.std, nu.std, format, &out);
		fflush(stderr);
		if (out.len && fwrite(out.buf, 1, out.len, stdout) != out.len)
			status = 2;
		strbuf_free(&out);
	}
	arena_free(a);
	arena_free(na);
	arena_free(oa);
	return status;
}
