/*
 * check_weights.c - the weight tables (权重表).
 *
 * Takes: weight tables whose rows the model resolved (each row's content
 * per column, the nearest along the column level's includes). Gives:
 * sums, printed totals, references, duplicate rows, one theory and one
 * skills column per level, rows for every work content a level declares
 * or inherits, and labels that differ from what they name. The model's
 * index gives each table's rows by what they reference and each level's
 * weight columns and chain: no check scans earlier rows or re-walks the
 * tables.
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

static int64_t
column_sum(const struct weight_table *t, size_t col)
{
	int64_t sum = 0;
	for (size_t r = 0; r < t->n_rows; r++)
		sum += t->rows[r]->weights[col].v;
	return sum;
}

/* Every column of every weight table, in source order. */
typedef void column_fn(const struct checker *c, const struct weight_table *t,
		       size_t col);

static void
each_column(const struct checker *c, column_fn *fn)
{
	const struct standard *s = c->std;
	for (size_t i = 0; i < s->n_weight_tables; i++)
		for (size_t col = 0; col < s->weight_tables[i]->n_columns;
		     col++)
			fn(c, s->weight_tables[i], col);
}

static void
sum_column(const struct checker *c, const struct weight_table *t, size_t col)
{
	int64_t sum = column_sum(t, col);
	if (sum == 100)
		return;
	diag_report(c->diag, RULE_WEIGHT_SUM, check_loc(c, t->columns[col].at),
		    "the %s weights of level '%s' in %s sum to %lld, not 100",
		    weight_kind_names[t->kind.v],
		    level_name(t->columns[col].level), table_name(t),
		    (long long)sum);
}

void
check_weight_sum(const struct checker *c)
{
	each_column(c, sum_column);
}

static void
total_column(const struct checker *c, const struct weight_table *t, size_t col)
{
	int64_t sum = column_sum(t, col);
	const struct num *total = &t->total.weights[col];
	if (total->v == sum)
		return;
	diag_report(
		c->diag, RULE_WEIGHT_TOTAL, check_loc(c, total->at),
		"%s prints the total %lld for level '%s' but its weights sum to %lld",
		table_name(t), (long long)total->v,
		level_name(t->columns[col].level), (long long)sum);
}

void
check_weight_total(const struct checker *c)
{
	each_column(c, total_column);
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

static void
ref_row(const struct checker *c, const struct weight_table *t,
	const struct weight_row *row)
{
	for (size_t col = 0; row->cells && col < t->n_columns; col++) {
		if (row->cells[col] || row->weights[col].v == 0)
			continue;
		diag_report(
			c->diag, RULE_WEIGHT_REF,
			check_loc(c, row->weights[col].at),
			"%s gives weight %lld to work content '%s', which is not of level '%s' or a level it includes",
			table_name(t), (long long)row->weights[col].v,
			row->content_key.s, level_name(t->columns[col].level));
	}
}

void
check_weight_ref(const struct checker *c)
{
	each_row(c, ref_row);
}

/* The model keeps the first row for each key: any other is a second. */
static void
dup_row(const struct checker *c, const struct weight_table *t,
	const struct weight_row *row)
{
	bool basic = row->basic_key.s != NULL;
	const struct text *ref = basic ? &row->basic_key : &row->content_key;
	const struct weight_row *first = hash_get(
		basic ? t->row_by_basic : t->row_by_content, ref->s, ref->len);
	if (first == row)
		return;
	diag_report(c->diag, RULE_WEIGHT_ROW_DUPLICATE, check_loc(c, ref->at),
		    "%s has a second row for %s '%s'", table_name(t),
		    basic ? "basic requirement" : "work content", ref->s);
	diag_note(c->diag, check_loc(c, first->at), "first row here");
}

void
check_weight_row_duplicate(const struct checker *c)
{
	each_row(c, dup_row);
}

static bool
has_row(const struct weight_table *t, const struct content *ct)
{
	return hash_get(t->row_by_content, ct->key.s, ct->key.len) != NULL;
}

/* A column that is not its level's first of its kind is a second. */
static void
second_column(const struct checker *c, const struct weight_table *t, size_t col)
{
	int kind = t->kind.v;
	const struct level *l = t->columns[col].level;
	const struct level_column *first = &l->weights[kind];
	if (first->table == t && first->column == col)
		return;
	diag_report(c->diag, RULE_LEVEL_COLUMNS,
		    check_loc(c, t->columns[col].at),
		    "level '%s' has a second %s weight column, in %s",
		    level_name(l), weight_kind_names[kind], table_name(t));
	diag_note(c->diag,
		  check_loc(c, first->table->columns[first->column].at),
		  "first %s column here, in %s", weight_kind_names[kind],
		  table_name(first->table));
}

void
check_level_columns(const struct checker *c)
{
	const struct standard *s = c->std;
	each_column(c, second_column);
	for (size_t i = 0; i < s->n_levels; i++)
		for (int kind = 0; kind < KIND_COUNT; kind++)
			if (!s->levels[i].weights[kind].table)
				diag_report(
					c->diag, RULE_LEVEL_COLUMNS,
					check_loc(c, s->levels[i].at),
					"level '%s' has no %s weight column",
					level_name(&s->levels[i]),
					weight_kind_names[kind]);
}

/* Every work content of the column's level needs a row in its table. */
static void
missing_column(const struct checker *c, const struct weight_table *t,
	       size_t col)
{
	const struct work_table *w = t->columns[col].level->work;
	for (size_t k = 0; w && k < w->n_contents; k++) {
		const struct content *ct = w->contents[k];
		if (has_row(t, ct))
			continue;
		diag_report(
			c->diag, RULE_WEIGHT_MISSING,
			check_loc(c, t->columns[col].at),
			"%s has no row for work content '%s' (%s) of level '%s'",
			table_name(t), ct->key.s, ct->name.s,
			level_name(ct->level));
		diag_note(c->diag, check_loc(c, ct->at),
			  "work content '%s' is declared here", ct->key.s);
	}
}

void
check_weight_missing(const struct checker *c)
{
	each_column(c, missing_column);
}

/* Content ct, declared at level a, inherited by level l: warn if one of
 * l's weight tables has no row for it. */
static void
inherited_one(const struct checker *c, struct strbuf *missing,
	      const struct level *l, const struct level *a,
	      const struct content *ct)
{
	const struct column *where = NULL;
	strbuf_reset(missing);
	for (int kind = 0; kind < KIND_COUNT; kind++) {
		const struct level_column *lc = &l->weights[kind];
		if (!lc->table || has_row(lc->table, ct))
			continue;
		strbuf_addf(missing, "%s%s", missing->len ? " or " : "",
			    table_name(lc->table));
		if (!where)
			where = &lc->table->columns[lc->column];
	}
	if (!where)
		return;
	diag_report(
		c->diag, RULE_WEIGHT_INHERITED, check_loc(c, where->at),
		"work content '%s' (%s), which level '%s' inherits from '%s', has no row in %s; a row with weight 0 marks it as deliberately not weighted",
		ct->key.s, ct->name.s, level_name(l), level_name(a),
		missing->buf);
	diag_note(c->diag, check_loc(c, ct->at),
		  "work content '%s' is declared here", ct->key.s);
}

void
check_weight_inherited(const struct checker *c)
{
	const struct standard *s = c->std;
	struct strbuf missing = { 0 }; /* the tables lacking a row */
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level *l = &s->levels[i];
		if (!l->weights[KIND_THEORY].table &&
		    !l->weights[KIND_SKILLS].table)
			continue; /* level-columns reports it */
		/* A key inherited from several levels is reported once; the
		 * nearest level first, as its content is the one in force. */
		struct hash *done = hash_new(c->arena, 8);
		for (size_t d = l->n_chain - 1; d-- > 0;) {
			const struct level *a = l->chain[d];
			const struct work_table *w = a->work;
			for (size_t k = 0; w && k < w->n_contents; k++) {
				const struct content *ct = w->contents[k];
				if (!hash_get(l->own, ct->key.s, ct->key.len) &&
				    !hash_put(done, ct->key.s, ct->key.len,
					      (void *)ct))
					inherited_one(c, &missing, l, a, ct);
			}
		}
	}
	strbuf_free(&missing);
}

static bool
same_text(const struct text *a, const struct text *b)
{
	return a->len == b->len && !memcmp(a->s, b->s, a->len);
}

static void
label_row(const struct checker *c, const struct weight_table *t,
	  const struct weight_row *row)
{
	const struct text *name = row->basic ? &row->basic->title : NULL;
	for (size_t col = 0; !name && row->cells && col < t->n_columns; col++)
		if (row->cells[col] &&
		    !same_text(&row->label, &row->cells[col]->name))
			name = &row->cells[col]->name;
	if (!name || same_text(&row->label, name))
		return;
	diag_report(c->diag, RULE_WEIGHT_LABEL, check_loc(c, row->label.at),
		    "%s labels %s '%s' as '%s', but it is named '%s'",
		    table_name(t),
		    row->basic ? "basic requirement" : "work content",
		    row->basic ? row->basic_key.s : row->content_key.s,
		    row->label.s, name->s);
	diag_note(c->diag, check_loc(c, name->at), "named here");
}

void
check_weight_label(const struct checker *c)
{
	each_row(c, label_row);
}
