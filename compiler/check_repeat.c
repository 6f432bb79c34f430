/*
 * check_repeat.c - what a level repeats of the levels it includes.
 *
 * Takes: the levels as a forest through includes (the model's depth-first
 * order, level_order, and its intervals), and each level's work tables
 * with their branch. Gives: every skill or knowledge item whose text is,
 * byte for byte, the text of an item of the same kind of a level it
 * includes, directly or not, in a table that applies to it (a shared
 * table, or one of its own branch). A level covers the requirements of
 * the levels it includes, so such an item says nothing new. Each is
 * reported at the repeating item, with a note at the item of the nearest
 * included level that it repeats.
 *
 * Guarantees: linear in the number of items. The walk visits the levels
 * depth first and holds the items of the levels on the path down to the
 * current one in hash tables (one per kind for the shared tables and one
 * per kind and branch), each text with a stack of its items: a level's
 * items are looked up before its own are pushed, and popped when the walk
 * leaves the level, so each item is looked up, pushed and popped once.
 * Only the items whose text hashes to the bit of another item's take
 * part: a set of bits finds them first, so that where few items repeat,
 * the tables hold few. All of it lives in an arena of its own, given
 * back when the walk ends: the passes after it use those pages again.
 */
#include "skillc.h"

/* An item of a level on the path, on the stack of its text: a table
 * holds each text's top, the item of the nearest level. */
struct held {
	const struct item *item;
	struct held *below;
};

enum { ITEM_SKILL, ITEM_KNOWLEDGE, ITEM_KINDS };

struct repeat {
	const struct checker *c;
	struct arena *scratch; /* all the walk holds, freed at its end */
	/* Each item's bit (its text's hash, by kind), by kind and index, and
	 * the bits of texts seen once and of those seen again. */
	uint32_t *bit[ITEM_KINDS];
	uint64_t *seen, *again;
	struct hash **held[ITEM_KINDS]; /* per branch slot, 0 shared */
	void ***log; /* the slot of each push, in order, to undo */
	size_t nlog;
	/* The slots a level's items take in their own tables while they are
	 * looked up, in order, for their pushes: each text is hashed and
	 * found once for both. No table grows (each is made for every item
	 * it could hold), so a slot stays where it is. */
	void ***slots;
	size_t nslots;
};

/* Bit b of a set of bits. */
static bool
has(const uint64_t *bits, uint32_t b)
{
	return bits[b >> 6] >> (b & 63) & 1;
}

/* Sets bit b of a set of bits. */
static void
set(uint64_t *bits, uint32_t b)
{
	bits[b >> 6] |= (uint64_t)1 << (b & 63);
}

/* Whether an item's text may be another's: its bit was seen again. */
static bool
candidate(const struct repeat *r, size_t kind, const struct item *it)
{
	return it->text.len && has(r->again, r->bit[kind][it->index]);
}

/* A content's items of a kind, and their number. */
static const struct item *
items_of(const struct content *ct, size_t kind, size_t *n)
{
	*n = kind == ITEM_SKILL ? ct->n_skills : ct->n_knowledge;
	return kind == ITEM_SKILL ? ct->skills : ct->knowledge;
}

/* Every item's bit, each set in seen, or in again when seen was. */
static void
sift(struct repeat *r, const struct standard *s, uint32_t mask)
{
	for (size_t i = 0; i < s->n_contents; i++)
		for (size_t k = 0; k < ITEM_KINDS; k++) {
			size_t n;
			const struct item *list =
				items_of(s->contents[i], k, &n);
			for (size_t j = 0; j < n; j++) {
				const struct text *t = &list[j].text;
				uint32_t b = (hash_bytes(t->s, t->len) ^
					      (uint32_t)k * 0x9e3779b9u) &
					     mask;
				r->bit[k][list[j].index] = b;
				set(has(r->seen, b) ? r->again : r->seen, b);
			}
		}
}

/* The slot of a table's branch: 0 for a shared table. */
static size_t
slot(const struct standard *s, const struct work_table *t)
{
	return t->branch ? 1 + (size_t)(t->branch - s->branches) : 0;
}

/* The nearest item of an included level with the text of it, or NULL;
 * the item's slot in the table of its own branch slot is taken and kept
 * for its push. */
static const struct held *
repeated(struct repeat *r, size_t kind, size_t branch, const struct item *it)
{
	void **own = hash_slot(r->held[kind][branch], it->text.s, it->text.len);
	r->slots[r->nslots++] = own;
	const struct held *a =
		branch ? hash_get(r->held[kind][0], it->text.s, it->text.len)
		       : *own;
	const struct held *b = branch ? *own : NULL;
	if (!a || (b && b->item->content->level->depth >
				a->item->content->level->depth))
		return b;
	return a;
}

/* Push an item onto the stack of its text, in the slot its lookup took. */
static void
push(struct repeat *r, const struct item *it)
{
	void **v = r->slots[r->nslots++];
	struct held *e = arena_alloc(r->scratch, sizeof *e);
	*e = (struct held){ it, *v };
	*v = e;
	r->log[r->nlog++] = v;
}

/* Look up, or push, every item of one kind of a table. */
static void
items(struct repeat *r, const struct work_table *t, size_t kind, bool look)
{
	const struct checker *c = r->c;
	size_t branch = slot(c->std, t);
	for (size_t i = 0; i < t->n_contents; i++) {
		size_t n;
		const struct item *list = items_of(t->contents[i], kind, &n);
		for (size_t k = 0; k < n; k++) {
			const struct item *it = &list[k];
			if (!candidate(r, kind, it))
				continue;
			if (!look) {
				push(r, it);
				continue;
			}
			const struct held *h = repeated(r, kind, branch, it);
			if (!h)
				continue;
			struct loc at = check_loc(c, it->text.at);
			const char *id = it->id.s ? it->id.s : "",
				   *its = h->item->id.s ? h->item->id.s : "";
			const struct level *hl = h->item->content->level;
			if (kind == ITEM_SKILL)
				diag_report(
					c->diag, RULE_REPEATED_ITEM, at,
					"skill item '%s' repeats item '%s' of level '%s' word for word, which level '%s' includes",
					id, its, hl->name.s, t->level->name.s);
			else
				diag_report(
					c->diag, RULE_REPEATED_ITEM, at,
					"knowledge item '%s' repeats item '%s' of level '%s' word for word, which level '%s' includes",
					id, its, hl->name.s, t->level->name.s);
			diag_note(c->diag, check_loc(c, h->item->text.at),
				  "the item it repeats");
		}
	}
}

void
check_repeated_item(const struct checker *c)
{
	const struct standard *s = c->std;
	const struct work_requirements *w = &s->work_requirements;
	size_t nslots = s->n_branches + 1, total = s->n_skills + s->n_knowledge;
	struct repeat r = { .c = c, .scratch = arena_new() };
	/* Only an item whose text another item of its kind has too can
	 * repeat or be repeated: with a bit per item, from a hash of its
	 * text, in a set of 16 bits per item, the bits seen again find them
	 * (and a few more, never fewer) before any table is made, and the
	 * tables hold them alone. */
	size_t nbits = 64;
	while (nbits < 16 * total)
		nbits *= 2;
	r.seen = arena_array(r.scratch, nbits / 64, sizeof *r.seen);
	r.again = arena_array(r.scratch, nbits / 64, sizeof *r.again);
	r.bit[ITEM_SKILL] = arena_array(r.scratch, s->n_skills + 1,
					sizeof *r.bit[ITEM_SKILL]);
	r.bit[ITEM_KNOWLEDGE] = arena_array(r.scratch, s->n_knowledge + 1,
					    sizeof *r.bit[ITEM_KNOWLEDGE]);
	sift(&r, s, (uint32_t)(nbits - 1));
	/* Each table sized for all the items it could hold, so that none
	 * grows: a table's untouched pages cost nothing. */
	size_t *most[ITEM_KINDS];
	for (size_t k = 0; k < ITEM_KINDS; k++)
		most[k] = arena_array(r.scratch, nslots, sizeof *most[k]);
	for (size_t i = 0; i < w->n_tables; i++) {
		const struct work_table *t = &w->tables[i];
		size_t b = slot(s, t);
		for (size_t j = 0; j < t->n_contents; j++)
			for (size_t k = 0; k < ITEM_KINDS; k++) {
				size_t n;
				const struct item *list =
					items_of(t->contents[j], k, &n);
				for (size_t m = 0; m < n; m++)
					most[k][b] +=
						candidate(&r, k, &list[m]);
			}
	}
	size_t taking = 0; /* items taking part, all tables */
	for (size_t k = 0; k < ITEM_KINDS; k++) {
		r.held[k] = arena_array(r.scratch, nslots, sizeof *r.held[k]);
		for (size_t b = 0; b < nslots; b++) {
			r.held[k][b] = hash_new(r.scratch, most[k][b]);
			taking += most[k][b];
		}
	}
	r.log = arena_array(r.scratch, taking + 1, sizeof *r.log);
	r.slots = arena_array(r.scratch, taking + 1, sizeof *r.slots);

	/* Each level's tables, by a counting sort on the level. */
	size_t *first = arena_array(r.scratch, s->n_levels + 1, sizeof *first);
	const struct work_table **by_level =
		arena_array(r.scratch, w->n_tables + 1, sizeof *by_level);
	for (size_t i = 0; i < w->n_tables; i++)
		first[w->tables[i].level->index + 1]++;
	for (size_t l = 0; l < s->n_levels; l++)
		first[l + 1] += first[l];
	size_t *fill = arena_array(r.scratch, s->n_levels + 1, sizeof *fill);
	for (size_t i = 0; i < w->n_tables; i++) {
		size_t l = w->tables[i].level->index;
		by_level[first[l] + fill[l]++] = &w->tables[i];
	}

	/* Depth first: the path down to the level, and where each level's
	 * pushes start in the log. */
	const struct level **path =
		arena_array(r.scratch, s->n_levels + 1, sizeof *path);
	size_t *mark = arena_array(r.scratch, s->n_levels + 1, sizeof *mark);
	size_t depth = 0;
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level *l = s->level_order[i];
		while (depth && !model_level_covers(l, path[depth - 1])) {
			depth--;
			while (r.nlog > mark[depth]) {
				void **v = r.log[--r.nlog];
				*v = ((struct held *)*v)->below;
			}
		}
		/* Its items are looked up among the path's, then join it,
		 * in the same order. */
		r.nslots = 0;
		for (size_t t = first[l->index]; t < first[l->index + 1]; t++)
			for (size_t k = 0; k < ITEM_KINDS; k++)
				items(&r, by_level[t], k, true);
		path[depth] = l;
		mark[depth++] = r.nlog;
		r.nslots = 0;
		for (size_t t = first[l->index]; t < first[l->index + 1]; t++)
			for (size_t k = 0; k < ITEM_KINDS; k++)
				items(&r, by_level[t], k, false);
	}
	arena_free(r.scratch); /* with the tables */
}
