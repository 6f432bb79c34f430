/*
 * check_weights.c - the weight tables (权重表).
 *
 * Takes: weight tables whose rows the model resolved (each row's content
 * per column, the nearest along the column level's includes). Gives:
 * sums, printed totals, references, duplicate rows, one theory and one
 * skills column per level, rows for every work content a level declares
 * or inherits, and labels that differ from what they name. Each table is
 * indexed once by a hash of its rows: no check scans earlier rows.
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
	for (size_t g = 0; g < t->n_groups; g++)
		for (size_t r = 0; r < t->groups[g].n_rows; r++)
			sum += t->groups[g].rows[r].weights[col].v;
	return sum;
}

void
check_weight_sum(const struct checker *c)
{
	size_t n;
	const struct weight_table **tables = check_weight_tables(c, &n);
	for (size_t i = 0; i < n; i++) {
		const struct weight_table *t = tables[i];
		for (size_t col = 0; col < t->n_columns; col++) {
			int64_t sum = column_sum(t, col);
			if (sum != 100)
				diag_report(c->diag, RULE_WEIGHT_SUM,
					    check_loc(c, t->columns[col].at),
					    "the %s weights of level '%s' in %s sum to %lld, not 100",
					    weight_kind_names[t->kind.v],
					    level_name(t->columns[col].level),
					    table_name(t), (long long)sum);
		}
	}
}

void
check_weight_total(const struct checker *c)
{
	size_t n;
	const struct weight_table **tables = check_weight_tables(c, &n);
	for (size_t i = 0; i < n; i++) {
		const struct weight_table *t = tables[i];
		for (size_t col = 0; col < t->total.n_weights; col++) {
			int64_t sum = column_sum(t, col);
			const struct num *total = &t->total.weights[col];
			if (total->v != sum)
				diag_report(c->diag, RULE_WEIGHT_TOTAL,
					    check_loc(c, total->at),
					    "%s prints the total %lld for level '%s' but its weights sum to %lld",
					    table_name(t), (long long)total->v,
					    level_name(t->columns[col].level),
					    (long long)sum);
		}
	}
}

/* Every row of every weight table, in source order. */
typedef void row_fn(const struct checker *c, const struct weight_table *t,
		    const struct weight_row *row);

static void
each_row(const struct checker *c, row_fn *fn)
{
	size_t n;
	const struct weight_table **tables = check_weight_tables(c, &n);
	for (size_t i = 0; i < n; i++)
		for (size_t g = 0; g < tables[i]->n_groups; g++)
			for (size_t r = 0; r < tables[i]->groups[g].n_rows; r++)
				fn(c, tables[i], &tables[i]->groups[g].rows[r]);
}

static void
ref_row(const struct checker *c, const struct weight_table *t,
	const struct weight_row *row)
{
	for (size_t col = 0; row->cells && col < t->n_columns; col++) {
		if (row->cells[col] || row->weights[col].v == 0)
			continue;
		diag_report(c->diag, RULE_WEIGHT_REF,
			    check_loc(c, row->weights[col].at),
			    "%s gives weight %lld to work content '%s', which is not of level '%s' or a level it includes",
			    table_name(t), (long long)row->weights[col].v,
			    row->content_key.s,
			    level_name(t->columns[col].level));
	}
}

void
check_weight_ref(const struct checker *c)
{
	each_row(c, ref_row);
}

/* The rows of a table by what they reference: "b:" basic, "c:" content. */
static struct hash *
index_rows(const struct checker *c, const struct weight_table *t,
	   bool report)
{
	size_t n = 0;
	for (size_t g = 0; g < t->n_groups; g++)
		n += t->groups[g].n_rows;
	struct hash *h = hash_new(c->arena, n);
	struct strbuf sb = { 0 };
	for (size_t g = 0; g < t->n_groups; g++) {
		for (size_t r = 0; r < t->groups[g].n_rows; r++) {
			const struct weight_row *row = &t->groups[g].rows[r];
			const struct text *ref = row->basic_key.s
							 ? &row->basic_key
							 : &row->content_key;
			strbuf_reset(&sb);
			strbuf_adds(&sb, row->basic_key.s ? "b:" : "c:");
			strbuf_add(&sb, ref->s, ref->len);
			char *key = arena_strndup(c->arena, sb.buf, sb.len);
			const struct weight_row *first =
				hash_put(h, key, sb.len, (void *)row);
			if (first && report) {
				diag_report(c->diag, RULE_WEIGHT_ROW_DUP,
					    check_loc(c, ref->at),
					    "%s has a second row for %s '%s'",
					    table_name(t),
					    row->basic_key.s ? "basic requirement"
							     : "work content",
					    ref->s);
				diag_note(c->diag, check_loc(c, first->at),
					  "first row here");
			}
		}
	}
	strbuf_free(&sb);
	return h;
}

static const struct weight_row *
find_row(const struct checker *c, struct hash *rows, const struct text *key)
{
	char *k = arena_alloc(c->arena, key->len + 3);
	memcpy(k, "c:", 2);
	memcpy(k + 2, key->s, key->len);
	return hash_get(rows, k, key->len + 2);
}

void
check_weight_row_dup(const struct checker *c)
{
	size_t n;
	const struct weight_table **tables = check_weight_tables(c, &n);
	for (size_t i = 0; i < n; i++)
		index_rows(c, tables[i], true);
}

/* For each level and kind, the first column that weighs it. */
struct level_columns {
	const struct weight_table *table[KIND_COUNT];
	size_t table_no[KIND_COUNT]; /* its place in check_weight_tables */
	const struct column *column[KIND_COUNT];
};

static struct level_columns *
columns_by_level(const struct checker *c, bool report)
{
	const struct standard *s = c->std;
	struct level_columns *lc = arena_array(c->arena, s->n_levels + 1,
					       sizeof *lc);
	size_t n;
	const struct weight_table **tables = check_weight_tables(c, &n);
	for (size_t i = 0; i < n; i++) {
		const struct weight_table *t = tables[i];
		int kind = t->kind.v;
		for (size_t col = 0; col < t->n_columns; col++) {
			const struct column *cl = &t->columns[col];
			struct level_columns *x = &lc[cl->level->index];
			if (!x->column[kind]) {
				x->table[kind] = t;
				x->table_no[kind] = i;
				x->column[kind] = cl;
			} else if (report) {
				diag_report(c->diag, RULE_LEVEL_COLUMNS,
					    check_loc(c, cl->at),
					    "level '%s' has a second %s weight column, in %s",
					    level_name(cl->level),
					    weight_kind_names[kind],
					    table_name(t));
				diag_note(c->diag,
					  check_loc(c, x->column[kind]->at),
					  "first %s column here, in %s",
					  weight_kind_names[kind],
					  table_name(x->table[kind]));
			}
		}
	}
	return lc;
}

void
check_level_columns(const struct checker *c)
{
	const struct standard *s = c->std;
	struct level_columns *lc = columns_by_level(c, true);
	for (size_t i = 0; i < s->n_levels; i++)
		for (int kind = 0; kind < KIND_COUNT; kind++)
			if (!lc[i].column[kind])
				diag_report(c->diag, RULE_LEVEL_COLUMNS,
					    check_loc(c, s->levels[i].at),
					    "level '%s' has no %s weight column",
					    level_name(&s->levels[i]),
					    weight_kind_names[kind]);
}

/* The row index of every weight table, by table. */
static struct hash **
rows_by_table(const struct checker *c, const struct weight_table **tables,
	      size_t n)
{
	struct hash **rows = arena_array(c->arena, n + 1, sizeof *rows);
	for (size_t i = 0; i < n; i++)
		rows[i] = index_rows(c, tables[i], false);
	return rows;
}

void
check_weight_missing(const struct checker *c)
{
	size_t n;
	const struct weight_table **tables = check_weight_tables(c, &n);
	struct hash **rows = rows_by_table(c, tables, n);
	for (size_t i = 0; i < n; i++) {
		const struct weight_table *t = tables[i];
		for (size_t col = 0; col < t->n_columns; col++) {
			const struct work_table *w = t->columns[col].level->work;
			for (size_t k = 0; w && k < w->n_capabilities; k++) {
				const struct capability *cap =
					&w->capabilities[k];
				for (size_t m = 0; m < cap->n_contents; m++) {
					const struct content *ct =
						&cap->contents[m];
					if (find_row(c, rows[i], &ct->key))
						continue;
					diag_report(c->diag, RULE_WEIGHT_MISSING,
						    check_loc(c, t->columns[col].at),
						    "%s has no row for work content '%s' (%s) of level '%s'",
						    table_name(t), ct->key.s,
						    ct->name.s,
						    level_name(ct->level));
					diag_note(c->diag, check_loc(c, ct->at),
						  "work content '%s' is declared here",
						  ct->key.s);
				}
			}
		}
	}
}

/* What the inherited-content check needs while it walks the levels. */
struct inheritance {
	struct hash **rows;            /* row index, by weight table */
	const struct level_columns *lc; /* columns, by level */
	struct strbuf missing;          /* the tables lacking a row */
};

/* Content ct, declared at level a, inherited by level l: warn if one of
 * l's weight tables has no row for it. */
static void
inherited_one(const struct checker *c, struct inheritance *in,
	      const struct level *l, const struct level *a,
	      const struct content *ct)
{
	const struct level_columns *lc = &in->lc[l->index];
	const struct column *where = NULL;
	strbuf_reset(&in->missing);
	for (int kind = 0; kind < KIND_COUNT; kind++) {
		if (!lc->table[kind] ||
		    find_row(c, in->rows[lc->table_no[kind]], &ct->key))
			continue;
		strbuf_addf(&in->missing, "%s%s", in->missing.len ? " or " : "",
			    table_name(lc->table[kind]));
		if (!where)
			where = lc->column[kind];
	}
	if (!where)
		return;
	diag_report(c->diag, RULE_WEIGHT_INHERITED, check_loc(c, where->at),
		    "work content '%s' (%s), which level '%s' inherits from '%s', has no row in %s; a row with weight 0 marks it as deliberately not weighted",
		    ct->key.s, ct->name.s, level_name(l), level_name(a),
		    in->missing.buf);
	diag_note(c->diag, check_loc(c, ct->at),
		  "work content '%s' is declared here", ct->key.s);
}

void
check_weight_inherited(const struct checker *c)
{
	const struct standard *s = c->std;
	size_t n;
	const struct weight_table **tables = check_weight_tables(c, &n);
	struct inheritance in = { rows_by_table(c, tables, n),
				  columns_by_level(c, false), { 0 } };
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level *l = &s->levels[i];
		if (!in.lc[i].table[KIND_THEORY] && !in.lc[i].table[KIND_SKILLS])
			continue; /* level-columns reports it */
		/* A key inherited from several levels is reported once. */
		struct hash *done = hash_new(c->arena, 8);
		for (const struct level *a = l->includes; a; a = a->includes) {
			const struct work_table *w = a->work;
			for (size_t k = 0; w && k < w->n_capabilities; k++) {
				const struct capability *cap =
					&w->capabilities[k];
				for (size_t m = 0; m < cap->n_contents; m++) {
					const struct content *ct =
						&cap->contents[m];
					if (!hash_get(l->own, ct->key.s,
						      ct->key.len) &&
					    !hash_put(done, ct->key.s,
						      ct->key.len, (void *)ct))
						inherited_one(c, &in, l, a, ct);
				}
			}
		}
	}
	strbuf_free(&in.missing);
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
