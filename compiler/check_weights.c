/*
 * check_weights.c - the weight tables (权重表).
 *
 * Takes: weight tables whose rows the model resolved (per column, the work
 * content or capability a row weighs there: the nearest along the column
 * level's includes, within the column's branch). Gives: sums and printed
 * totals, where a "—" counts as nothing; references (a number only where
 * the column's level has what the row names, a "—" never wrong, but a
 * warning where the level has it in its own table); duplicate rows; one
 * theory and one skills column per level, and per branch at a level with
 * a table per branch; a row for every capability (in a table that weighs
 * by capability) or work content (in one that does not) a level declares
 * or inherits; and labels that differ from what they name. The model's
 * index gives each table's rows by what they reference and each level's
 * chain; the per-level tables and columns are indexed here once per check,
 * so that no check scans earlier rows or re-walks the tables.
 */
#include "skillc.h"

#include <string.h>

static const char *
table_name(const struct weight_table *t)
{
	return model_weight_table_name(t);
}

static const char *
level_name(const struct level *l)
{
	return l && l->name.s ? l->name.s : "?";
}

/* The words of a weight table's kind, in messages: "the theory weights",
 * "a second skills weight column". */
static const char *const kind_words[KIND_COUNT] = {
	/* TRANSLATORS: the kind of a weight table or column (理论知识),
	 * in "the %s weights of ...", "has no %s weight column". */
	[KIND_THEORY] = N_("theory"),
	/* TRANSLATORS: the kind of a weight table or column (技能要求),
	 * in "the %s weights of ...", "has no %s weight column". */
	[KIND_SKILLS] = N_("skills"),
};

static const char *
kind_word(int kind)
{
	return _(kind_words[kind]);
}

/* What a row weighs, and its word in messages. */
enum what { WHAT_BASIC, WHAT_CAPABILITY, WHAT_CONTENT };

static const char *const what_words[] = {
	/* TRANSLATORS: what a row of a weight table weighs (基本要求,
	 * 职业功能, 工作内容), in "%s has a second row for %s '%s'" and the
	 * like. */
	[WHAT_BASIC] = N_("basic requirement"),
	[WHAT_CAPABILITY] = N_("capability"),
	[WHAT_CONTENT] = N_("work content"),
};

static const char *
what_word(enum what w)
{
	return _(what_words[w]);
}

/* "level 'X'", or "level 'X' in branch 'Y'" for a branch's column; in the
 * checker's arena. */
static const char *
level_phrase(const struct checker *c, const struct level *l,
	     const struct branch *br)
{
	struct strbuf sb = { 0 };
	if (br)
		/* TRANSLATORS: a level's column for one branch (工种) of
		 * the level, as the subject or object of a message about a
		 * weight table. */
		strbuf_addf(&sb, _("level '%s' in branch '%s'"), level_name(l),
			    br->name.s);
	else
		/* TRANSLATORS: a level, as the subject or object of a
		 * message about a weight table. */
		strbuf_addf(&sb, _("level '%s'"), level_name(l));
	char *s = arena_strndup(c->arena, sb.buf, sb.len);
	strbuf_free(&sb);
	return s;
}

/* A "—" cell is no number: it counts as nothing. */
static int64_t
column_sum(const struct weight_table *t, size_t col)
{
	int64_t sum = 0;
	for (size_t r = 0; r < t->n_rows; r++)
		if (!t->rows[r]->weights[col].dash)
			sum += t->rows[r]->weights[col].v;
	return sum;
}

/* Whether a work table is part of what a column of branch br weighs:
 * shared tables always, a branch's tables for that branch. */
static bool
covers(const struct branch *br, const struct work_table *w)
{
	return !w->branch || w->branch == br;
}

/* Every column of every weight table, in source order. */
typedef void column_fn(const struct checker *c, const struct weight_table *t,
		       size_t col, void *ctx);

static void
each_column(const struct checker *c, column_fn *fn, void *ctx)
{
	const struct standard *s = c->std;
	for (size_t i = 0; i < s->n_weight_tables; i++)
		for (size_t col = 0; col < s->weight_tables[i]->n_columns;
		     col++)
			fn(c, s->weight_tables[i], col, ctx);
}

static void
sum_column(const struct checker *c, const struct weight_table *t, size_t col,
	   void *ctx)
{
	(void)ctx;
	int64_t sum = column_sum(t, col);
	if (sum == 100)
		return;
	diag_report(
		c->diag, RULE_WEIGHT_SUM, check_loc(c, t->columns[col].at),
		/* TRANSLATORS: "the theory weights of level 'X' in 表2 sum
		 * to 90, not 100": the kind of the table, a level (or a level
		 * in a branch), the table's number or caption. */
		"the %s weights of %s in %s sum to %lld, not 100",
		kind_word(t->kind.v),
		level_phrase(c, t->columns[col].level, t->columns[col].branch),
		table_name(t), (long long)sum);
}

void
check_weight_sum(const struct checker *c)
{
	each_column(c, sum_column, NULL);
}

static void
total_column(const struct checker *c, const struct weight_table *t, size_t col,
	     void *ctx)
{
	(void)ctx;
	int64_t sum = column_sum(t, col);
	const struct num *total = &t->total.weights[col];
	if (total->v == sum)
		return;
	diag_report(
		c->diag, RULE_WEIGHT_TOTAL, check_loc(c, total->at),
		/* TRANSLATORS: the table, the total it prints, a level (or a
		 * level in a branch), the sum of its weights. */
		"%s prints the total %lld for %s but its weights sum to %lld",
		table_name(t), (long long)total->v,
		level_phrase(c, t->columns[col].level, t->columns[col].branch),
		(long long)sum);
}

void
check_weight_total(const struct checker *c)
{
	each_column(c, total_column, NULL);
}

/* Every row of every weight table, in source order. */
typedef void row_fn(const struct checker *c, const struct weight_table *t,
		    const struct weight_row *row);

static void
each_row(const struct checker *c, row_fn *fn)
{
	const struct standard *s = c->std;
	for (size_t i = 0; i < s->n_weight_tables; i++)
		for (size_t r = 0; r < s->weight_tables[i]->n_rows; r++)
			fn(c, s->weight_tables[i],
			   s->weight_tables[i]->rows[r]);
}

/* What a row weighs in column col: the work content or the capability
 * there (NULL for none, or for a row of a basic requirement), with its
 * level, name and where it is declared. */
struct weighed {
	bool resolved;	/* the row names a capability or content */
	enum what what; /* WHAT_CAPABILITY or WHAT_CONTENT */
	const char *key;
	const struct level *level; /* NULL: the column's level lacks it */
	const struct text *name;
	struct place at;
};

static struct weighed
weighed(const struct weight_row *row, size_t col)
{
	struct weighed w = { 0 };
	if (row->capability_cells) {
		const struct capability *cap = row->capability_cells[col];
		w = (struct weighed){ .resolved = true,
				      .what = WHAT_CAPABILITY,
				      .key = row->capability_key.s };
		if (cap)
			w.level = cap->table->level, w.name = &cap->name,
			w.at = cap->at;
	} else if (row->cells) {
		const struct content *ct = row->cells[col];
		w = (struct weighed){ .resolved = true,
				      .what = WHAT_CONTENT,
				      .key = row->content_key.s };
		if (ct)
			w.level = ct->level, w.name = &ct->name, w.at = ct->at;
	}
	return w;
}

/* A number (other than 0, which weighs nothing) where the column's level,
 * with the levels it includes and within the column's branch, lacks what
 * the row names; a "—" is never wrong here. */
static void
ref_row(const struct checker *c, const struct weight_table *t,
	const struct weight_row *row)
{
	for (size_t col = 0; col < t->n_columns; col++) {
		const struct num *n = &row->weights[col];
		struct weighed w = weighed(row, col);
		if (!w.resolved || w.level || n->dash || n->v == 0)
			continue;
		diag_report(
			c->diag, RULE_WEIGHT_REF, check_loc(c, n->at),
			/* TRANSLATORS: the table, the weight, "capability"
			 * or "work content", its key, a level (or a level in
			 * a branch). */
			"%s gives weight %lld to %s '%s', which is not of %s or a level it includes",
			table_name(t), (long long)n->v, what_word(w.what),
			w.key,
			level_phrase(c, t->columns[col].level,
				     t->columns[col].branch));
	}
}

void
check_weight_ref(const struct checker *c)
{
	each_row(c, ref_row);
}

/* A "—" where the column's level has what the row names in a table of
 * its own (shared, or of the column's branch): the level is not without
 * it. A "—" where the level only inherits it is as printed. */
static void
dash_row(const struct checker *c, const struct weight_table *t,
	 const struct weight_row *row)
{
	for (size_t col = 0; col < t->n_columns; col++) {
		const struct num *n = &row->weights[col];
		struct weighed w = weighed(row, col);
		if (!n->dash || !w.level || w.level != t->columns[col].level)
			continue;
		diag_report(
			c->diag, RULE_WEIGHT_DASH, check_loc(c, n->at),
			/* TRANSLATORS: the table, "capability" or "work
			 * content", its key, a level (or a level in a
			 * branch). */
			"%s prints '—' for %s '%s' in the column of %s, which has it in its own work requirements",
			table_name(t), what_word(w.what), w.key,
			level_phrase(c, t->columns[col].level,
				     t->columns[col].branch));
		diag_note(c->diag, check_loc(c, w.at),
			  /* TRANSLATORS: "capability" or "work content", its
			     key. */
			  "%s '%s' is declared here", what_word(w.what), w.key);
	}
}

void
check_weight_dash(const struct checker *c)
{
	each_row(c, dash_row);
}

/* The model keeps the first row for each key: any other is a second. */
static void
dup_row(const struct checker *c, const struct weight_table *t,
	const struct weight_row *row)
{
	const struct text *ref;
	const struct hash *by;
	enum what what;
	if (row->basic_key.s)
		ref = &row->basic_key, by = t->row_by_basic, what = WHAT_BASIC;
	else if (row->capability_key.s)
		ref = &row->capability_key, by = t->row_by_capability,
		what = WHAT_CAPABILITY;
	else
		ref = &row->content_key, by = t->row_by_content,
		what = WHAT_CONTENT;
	const struct weight_row *first = hash_get(by, ref->s, ref->len);
	if (!first || first == row)
		return;
	diag_report(c->diag, RULE_WEIGHT_ROW_DUPLICATE, check_loc(c, ref->at),
		    /* TRANSLATORS: the table, "basic requirement", "capability"
		     * or "work content", its key. */
		    "%s has a second row for %s '%s'", table_name(t),
		    what_word(what), ref->s);
	diag_note(c->diag, check_loc(c, first->at), "first row here");
}

void
check_weight_row_duplicate(const struct checker *c)
{
	each_row(c, dup_row);
}

/* ---- each level's work tables and weight columns ----------------------- */

/* A level's work tables, in source order; branched when some belong to a
 * branch (the level then has a table per branch). */
struct level_tables {
	const struct work_table **tables;
	size_t n;
	bool branched;
};

static struct level_tables *
level_tables(const struct checker *c)
{
	const struct standard *s = c->std;
	const struct work_requirements *w = &s->work_requirements;
	struct level_tables *lt =
		arena_array(c->arena, s->n_levels + 1, sizeof *lt);
	for (size_t t = 0; t < w->n_tables; t++)
		if (w->tables[t].level)
			lt[w->tables[t].level->index].n++;
	for (size_t i = 0; i < s->n_levels; i++) {
		lt[i].tables = arena_array(c->arena, lt[i].n + 1,
					   sizeof *lt[i].tables);
		lt[i].n = 0;
	}
	for (size_t t = 0; t < w->n_tables; t++) {
		const struct work_table *wt = &w->tables[t];
		if (!wt->level)
			continue;
		struct level_tables *x = &lt[wt->level->index];
		x->tables[x->n++] = wt;
		if (wt->branch)
			x->branched = true;
	}
	return lt;
}

/* The columns of one level and branch (NULL: the level's shared tables):
 * the first of each kind, the others being level-columns' business. */
struct slot {
	const struct branch *branch;
	struct column_ref {
		const struct weight_table *table; /* NULL: none */
		size_t column;
	} first[KIND_COUNT];
	struct slot *next; /* the level's next slot, in source order */
};

struct columns {
	struct hash *by_key; /* (level, branch) -> struct slot */
	struct slot **slots; /* per level: its first slot */
	bool *misplaced;     /* per level and kind: a column's branch is
			      * wrong for its level (level-columns) */
};

/* The hash key of a level and branch (none: 0), in buf. */
static const char *
slot_key(const struct standard *s, const struct level *l,
	 const struct branch *br, size_t buf[2], size_t *len)
{
	buf[0] = l->index;
	buf[1] = br ? (size_t)(br - s->branches) + 1 : 0;
	*len = 2 * sizeof *buf;
	return (const char *)buf;
}

static struct slot *
find_slot(const struct standard *s, const struct columns *x,
	  const struct level *l, const struct branch *br)
{
	size_t buf[2], len;
	const char *k = slot_key(s, l, br, buf, &len);
	return hash_get(x->by_key, k, len);
}

/* Report a second column for a slot, if fn does. */
typedef void second_fn(const struct checker *c, const struct weight_table *t,
		       size_t col, const struct column_ref *first);

static struct columns
index_columns(const struct checker *c, second_fn *second)
{
	const struct standard *s = c->std;
	struct columns x = { 0 };
	size_t ncolumns = 0;
	for (size_t i = 0; i < s->n_weight_tables; i++)
		ncolumns += s->weight_tables[i]->n_columns;
	x.by_key = hash_new(c->arena, ncolumns);
	x.slots = arena_array(c->arena, s->n_levels + 1, sizeof *x.slots);
	x.misplaced = arena_array(c->arena, (s->n_levels + 1) * KIND_COUNT,
				  sizeof *x.misplaced);
	struct slot **tail =
		arena_array(c->arena, s->n_levels + 1, sizeof *tail);
	for (size_t i = 0; i < s->n_weight_tables; i++) {
		const struct weight_table *t = s->weight_tables[i];
		int kind = t->kind.v;
		for (size_t col = 0; col < t->n_columns; col++) {
			const struct column *cl = &t->columns[col];
			struct slot *sl =
				find_slot(s, &x, cl->level, cl->branch);
			if (!sl) {
				size_t len;
				size_t *buf =
					arena_array(c->arena, 2, sizeof *buf);
				const char *k = slot_key(s, cl->level,
							 cl->branch, buf, &len);
				sl = arena_alloc(c->arena, sizeof *sl);
				sl->branch = cl->branch;
				hash_put(x.by_key, k, len, sl);
				size_t li = cl->level->index;
				if (tail[li])
					tail[li]->next = sl;
				else
					x.slots[li] = sl;
				tail[li] = sl;
			}
			if (!sl->first[kind].table)
				sl->first[kind] = (struct column_ref){ t, col };
			else if (second)
				second(c, t, col, &sl->first[kind]);
		}
	}
	return x;
}

/* ---- level-columns ------------------------------------------------------ */

static void
second_column(const struct checker *c, const struct weight_table *t, size_t col,
	      const struct column_ref *first)
{
	const struct column *cl = &t->columns[col];
	const char *kind = kind_word(t->kind.v);
	diag_report(c->diag, RULE_LEVEL_COLUMNS, check_loc(c, cl->at),
		    /* TRANSLATORS: a level (or a level in a branch), the kind
		     * of the column ("theory" or "skills"), the table. */
		    "%s has a second %s weight column, in %s",
		    level_phrase(c, cl->level, cl->branch), kind,
		    table_name(t));
	diag_note(
		c->diag, check_loc(c, first->table->columns[first->column].at),
		/* TRANSLATORS: the kind of the column ("theory" or "skills"),
		 * the table. */
		"first %s column here, in %s", kind, table_name(first->table));
}

/* A column whose branch does not fit its level: a branch's column at a
 * level whose tables are shared, or a column of no branch at a level with
 * a table per branch. */
static void
misplaced_column(const struct checker *c, const struct level_tables *lt,
		 struct columns *x, const struct weight_table *t, size_t col)
{
	const struct column *cl = &t->columns[col];
	const struct level *l = cl->level;
	bool branched = lt[l->index].branched;
	if (!cl->branch == !branched)
		return;
	x->misplaced[l->index * KIND_COUNT + (size_t)t->kind.v] = true;
	if (cl->branch)
		diag_report(
			c->diag, RULE_LEVEL_COLUMNS,
			check_loc(c, cl->branch_key.at),
			/* TRANSLATORS: the kind of the column ("theory" or
			 * "skills"), the level, the table, the branch. */
			"the %s weight column of level '%s' in %s is for branch '%s', but the level's work requirements are shared by every branch; its column names no branch",
			kind_word(t->kind.v), level_name(l), table_name(t),
			cl->branch->name.s);
	else
		diag_report(
			c->diag, RULE_LEVEL_COLUMNS, check_loc(c, cl->at),
			/* TRANSLATORS: the kind of the column ("theory" or
			 * "skills"), the level, the table. */
			"the %s weight column of level '%s' in %s names no branch, but the level has a work-requirements table per branch; it needs a column for each",
			kind_word(t->kind.v), level_name(l), table_name(t));
}

/* One column of each kind for the slot of l and br. */
static void
need_columns(const struct checker *c, const struct columns *x,
	     const struct level *l, const struct branch *br)
{
	const struct slot *sl = find_slot(c->std, x, l, br);
	for (int kind = 0; kind < KIND_COUNT; kind++) {
		if ((sl && sl->first[kind].table) ||
		    x->misplaced[l->index * KIND_COUNT + (size_t)kind])
			continue;
		diag_report(c->diag, RULE_LEVEL_COLUMNS, check_loc(c, l->at),
			    /* TRANSLATORS: a level (or a level in a branch),
			     * the kind of the column ("theory" or "skills"). */
			    "%s has no %s weight column",
			    level_phrase(c, l, br), kind_word(kind));
	}
}

void
check_level_columns(const struct checker *c)
{
	const struct standard *s = c->std;
	struct level_tables *lt = level_tables(c);
	struct columns x = index_columns(c, second_column);
	for (size_t i = 0; i < s->n_weight_tables; i++)
		for (size_t col = 0; col < s->weight_tables[i]->n_columns;
		     col++)
			misplaced_column(c, lt, &x, s->weight_tables[i], col);
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level *l = &s->levels[i];
		if (!lt[i].branched) {
			need_columns(c, &x, l, NULL);
			continue;
		}
		/* A column for each branch the level has a table of (a
		 * branch without one is work-table's business), once. */
		struct hash *done = hash_new(c->arena, lt[i].n);
		for (size_t t = 0; t < lt[i].n; t++) {
			const struct branch *br = lt[i].tables[t]->branch;
			if (br &&
			    !hash_put(done, br->key.s, br->key.len, (void *)br))
				need_columns(c, &x, l, br);
		}
		hash_drop(done);
	}
}

/* ---- weight-missing ----------------------------------------------------- */

static bool
has_content_row(const struct weight_table *t, const struct content *ct)
{
	return hash_get(t->row_by_content, ct->key.s, ct->key.len) != NULL;
}

static bool
has_capability_row(const struct weight_table *t, const struct capability *cap)
{
	return hash_get(t->row_by_capability, cap->key.s, cap->key.len) != NULL;
}

static void
missing_capabilities(const struct checker *c, const struct weight_table *t,
		     size_t col, const struct work_table *w)
{
	const struct column *cl = &t->columns[col];
	for (size_t k = 0; k < w->n_capabilities; k++) {
		const struct capability *cap = &w->capabilities[k];
		if (!cap->key.s)
			diag_report(
				c->diag, RULE_WEIGHT_MISSING,
				check_loc(c, cl->at),
				"%s weighs by capability, but capability '%s' (%s) of %s has no key for a row to reference",
				table_name(t), cap->id.s,
				text_str(c->arena, &cap->name),
				level_phrase(c, cl->level, w->branch));
		else if (!has_capability_row(t, cap))
			diag_report(
				c->diag, RULE_WEIGHT_MISSING,
				check_loc(c, cl->at),
				"%s has no row for capability '%s' (%s) of %s",
				table_name(t), cap->key.s,
				text_str(c->arena, &cap->name),
				level_phrase(c, cl->level, w->branch));
		else
			continue;
		diag_note(c->diag, check_loc(c, cap->at),
			  "capability '%s' is declared here",
			  cap->key.s ? cap->key.s : cap->id.s);
	}
}

static void
missing_contents(const struct checker *c, const struct weight_table *t,
		 size_t col, const struct work_table *w)
{
	const struct column *cl = &t->columns[col];
	for (size_t k = 0; k < w->n_contents; k++) {
		const struct content *ct = w->contents[k];
		if (has_content_row(t, ct))
			continue;
		diag_report(c->diag, RULE_WEIGHT_MISSING, check_loc(c, cl->at),
			    "%s has no row for work content '%s' (%s) of %s",
			    table_name(t), ct->key.s,
			    text_str(c->arena, &ct->name),
			    level_phrase(c, ct->level, w->branch));
		diag_note(c->diag, check_loc(c, ct->at),
			  "work content '%s' is declared here", ct->key.s);
	}
}

/* What the column's level declares in its own tables (shared, or of the
 * column's branch) needs a row: every capability in a table that weighs
 * by capability, every work content in one that does not. */
static void
missing_column(const struct checker *c, const struct weight_table *t,
	       size_t col, void *ctx)
{
	const struct level_tables *lt = ctx;
	const struct column *cl = &t->columns[col];
	const struct level_tables *own = &lt[cl->level->index];
	for (size_t i = 0; i < own->n; i++) {
		if (!covers(cl->branch, own->tables[i]))
			continue;
		if (t->by_capability)
			missing_capabilities(c, t, col, own->tables[i]);
		else
			missing_contents(c, t, col, own->tables[i]);
	}
}

void
check_weight_missing(const struct checker *c)
{
	each_column(c, missing_column, level_tables(c));
}

/* ---- weight-inherited --------------------------------------------------- */

/* Whether l declares key in a table of its own that branch br's columns
 * weigh: under "key" in own (shared tables), or "branch/key" (br's). */
static bool
own_key(struct strbuf *sb, const struct hash *own, const struct branch *br,
	const struct text *key)
{
	if (hash_get(own, key->s, key->len))
		return true;
	if (!br)
		return false;
	strbuf_reset(sb);
	strbuf_addf(sb, "%s/%s", br->key.s, key->s);
	return hash_get(own, sb->buf, sb->len) != NULL;
}

/* The keys of the capabilities of a level's tables, as level.own holds
 * those of its work contents ("branch/key" for a branch's table). */
static struct hash *
own_capabilities(const struct checker *c, const struct level_tables *lt)
{
	size_t n = 0;
	for (size_t t = 0; t < lt->n; t++)
		n += lt->tables[t]->n_capabilities;
	struct hash *h = hash_new(c->arena, n);
	struct strbuf sb = { 0 };
	for (size_t t = 0; t < lt->n; t++) {
		const struct work_table *w = lt->tables[t];
		for (size_t k = 0; k < w->n_capabilities; k++) {
			const struct capability *cap = &w->capabilities[k];
			if (!cap->key.s)
				continue;
			if (!w->branch) {
				hash_put(h, cap->key.s, cap->key.len,
					 (void *)cap);
				continue;
			}
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%s/%s", w->branch->key.s, cap->key.s);
			hash_put(h, arena_strndup(c->arena, sb.buf, sb.len),
				 sb.len, (void *)cap);
		}
	}
	strbuf_free(&sb);
	return h;
}

/* The messages name the one table lacking a row, or the two. */
_Static_assert(KIND_COUNT == 2, "a theory and a skills table at most");

/* What one level, in one branch (or none), inherits. */
struct heir {
	const struct level *level;
	const struct slot *slot;
	struct hash *own_caps;
	struct hash *done_contents, *done_caps;
	/* the tables lacking a row: one of each kind at most */
	const char *missing[KIND_COUNT];
	size_t n_missing;
	struct strbuf key; /* scratch for qualified keys */
};

/* The tables of h's slot that weigh by capability (or not) and lack a
 * row for key, into h->missing; the first one's column, or NULL. */
static const struct column *
lacking(struct heir *h, bool by_capability, const struct text *key)
{
	const struct column *where = NULL;
	h->n_missing = 0;
	for (int kind = 0; kind < KIND_COUNT; kind++) {
		const struct column_ref *r = &h->slot->first[kind];
		if (!r->table || r->table->by_capability != by_capability ||
		    hash_get(by_capability ? r->table->row_by_capability
					   : r->table->row_by_content,
			     key->s, key->len))
			continue;
		h->missing[h->n_missing++] = table_name(r->table);
		if (!where)
			where = &r->table->columns[r->column];
	}
	return where;
}

static void
inherited_content(const struct checker *c, struct heir *h,
		  const struct level *a, const struct content *ct)
{
	if (own_key(&h->key, h->level->own, h->slot->branch, &ct->key) ||
	    hash_put(h->done_contents, ct->key.s, ct->key.len, (void *)ct))
		return;
	const struct column *where = lacking(h, false, &ct->key);
	if (!where)
		return;
	const char *heir = level_phrase(c, h->level, h->slot->branch);
	if (h->n_missing == 1)
		diag_report(
			c->diag, RULE_WEIGHT_INHERITED, check_loc(c, where->at),
			/* TRANSLATORS: the work content's key and name, a level
			 * (or a level in a branch), the level it inherits from,
			 * the table. */
			"work content '%s' (%s), which %s inherits from '%s', has no row in %s; a row with weight 0 marks it as deliberately not weighted",
			ct->key.s, text_str(c->arena, &ct->name), heir,
			level_name(a), h->missing[0]);
	else
		diag_report(
			c->diag, RULE_WEIGHT_INHERITED, check_loc(c, where->at),
			/* TRANSLATORS: the work content's key and name, a level
			 * (or a level in a branch), the level it inherits from,
			 * the theory table, the skills table. */
			"work content '%s' (%s), which %s inherits from '%s', has no row in %s or %s; a row with weight 0 marks it as deliberately not weighted",
			ct->key.s, text_str(c->arena, &ct->name), heir,
			level_name(a), h->missing[0], h->missing[1]);
	diag_note(c->diag, check_loc(c, ct->at),
		  "work content '%s' is declared here", ct->key.s);
}

static void
inherited_capability(const struct checker *c, struct heir *h,
		     const struct level *a, const struct capability *cap)
{
	if (!cap->key.s ||
	    own_key(&h->key, h->own_caps, h->slot->branch, &cap->key) ||
	    hash_put(h->done_caps, cap->key.s, cap->key.len, (void *)cap))
		return;
	const struct column *where = lacking(h, true, &cap->key);
	if (!where)
		return;
	const char *heir = level_phrase(c, h->level, h->slot->branch);
	if (h->n_missing == 1)
		diag_report(
			c->diag, RULE_WEIGHT_INHERITED, check_loc(c, where->at),
			/* TRANSLATORS: the capability's key and name, a level
			 * (or a level in a branch), the level it inherits from,
			 * the table. */
			"capability '%s' (%s), which %s inherits from '%s', has no row in %s; a row with weight 0 or '—' marks it as deliberately not weighted",
			cap->key.s, text_str(c->arena, &cap->name), heir,
			level_name(a), h->missing[0]);
	else
		diag_report(
			c->diag, RULE_WEIGHT_INHERITED, check_loc(c, where->at),
			/* TRANSLATORS: the capability's key and name, a level
			 * (or a level in a branch), the level it inherits from,
			 * the theory table, the skills table. */
			"capability '%s' (%s), which %s inherits from '%s', has no row in %s or %s; a row with weight 0 or '—' marks it as deliberately not weighted",
			cap->key.s, text_str(c->arena, &cap->name), heir,
			level_name(a), h->missing[0], h->missing[1]);
	diag_note(c->diag, check_loc(c, cap->at),
		  "capability '%s' is declared here", cap->key.s);
}

/* Everything the levels below declare, in the tables the slot's branch
 * weighs: a key inherited from several levels is reported once, the
 * nearest level first, as its content is the one in force. */
static void
inherited_slot(const struct checker *c, const struct level_tables *lt,
	       struct heir *h)
{
	const struct level *l = h->level;
	h->done_contents = hash_new(c->arena, 8);
	h->done_caps = hash_new(c->arena, 8);
	for (size_t d = l->n_chain - 1; d-- > 0;) {
		const struct level *a = l->chain[d];
		const struct level_tables *below = &lt[a->index];
		for (size_t t = 0; t < below->n; t++) {
			const struct work_table *w = below->tables[t];
			if (!covers(h->slot->branch, w))
				continue;
			for (size_t k = 0; k < w->n_capabilities; k++)
				inherited_capability(c, h, a,
						     &w->capabilities[k]);
			for (size_t k = 0; k < w->n_contents; k++)
				inherited_content(c, h, a, w->contents[k]);
		}
	}
}

void
check_weight_inherited(const struct checker *c)
{
	const struct standard *s = c->std;
	struct level_tables *lt = level_tables(c);
	struct columns x = index_columns(c, NULL);
	struct heir h = { 0 };
	for (size_t i = 0; i < s->n_levels; i++) {
		/* No column at all: level-columns reports it. */
		h.level = &s->levels[i];
		h.own_caps = x.slots[i] ? own_capabilities(c, &lt[i]) : NULL;
		for (h.slot = x.slots[i]; h.slot; h.slot = h.slot->next) {
			inherited_slot(c, lt, &h);
			hash_drop(h.done_contents);
			hash_drop(h.done_caps);
		}
		hash_drop(h.own_caps);
	}
	strbuf_free(&h.key);
}

/* ---- weight-label ------------------------------------------------------- */

/* A label that differs from the name of what the row references: the
 * basic requirement's title, or the name of the capability or work
 * content at any column's level. */
static void
label_row(const struct checker *c, const struct weight_table *t,
	  const struct weight_row *row)
{
	const struct text *name = row->basic ? &row->basic->title : NULL;
	enum what what = WHAT_BASIC;
	const char *key = row->basic_key.s;
	for (size_t col = 0; !name && col < t->n_columns; col++) {
		struct weighed w = weighed(row, col);
		what = w.what;
		key = w.key;
		if (w.name && !text_eq(&row->label, w.name))
			name = w.name;
	}
	if (!name || text_eq(&row->label, name))
		return;
	diag_report(c->diag, RULE_WEIGHT_LABEL, check_loc(c, row->label.at),
		    /* TRANSLATORS: the table, "basic requirement", "capability"
		     * or "work content", its key, the row's label, its name. */
		    "%s labels %s '%s' as '%s', but it is named '%s'",
		    table_name(t), what_word(what), key, row->label.s,
		    text_str(c->arena, name));
	diag_note(c->diag, check_loc(c, name->at), "named here");
}

void
check_weight_label(const struct checker *c)
{
	each_row(c, label_row);
}
