/*
 * test_walk.c - model_walk and the model's index. The shapes' flags stand
 * on fields they can mean something for; a walk shows every value and
 * mapping of the source exactly once, opens and closes structs and lists
 * in pairs, says when an optional mapping is absent and skips what the
 * visitor declines. The index (capabilities, work contents, weight tables
 * of sections and of the chapter, each table's rows and contents, each
 * level's tables, chain and weight columns) holds what walking the tree
 * finds, in both layouts (national.yaml and the bundled national standard:
 * absent chapters, branches, rows by capability, "—" cells).
 */
#include "skillc.h"

#include <check.h>
#include <string.h>

#include "unit.h"

#define UNIT_NATIONAL	"data/national.yaml"
#define UNIT_NATIONAL_2 "../standard/electrical-equipment-maintainer.yaml"

static struct arena *arena;
static struct diag *diag;

static void
setup(void)
{
	arena = arena_new();
	diag = diag_new(arena);
}

static void
teardown(void)
{
	arena_free(arena);
	arena = NULL;
}

/* Levels that branch, from minimal.yaml: a and b include l5, c includes
 * a, d includes e, which includes l5. */
static const struct unit_edit forest_edits[UNIT_MAX_EDITS] = {
	{ "\nlevels:\n", "    name: 五级/初级工\n",
	  "    name: 五级/初级工\n"
	  "  - {key: a, name: A, includes: l5}\n"
	  "  - {key: b, name: B, includes: l5}\n"
	  "  - {key: c, name: C, includes: a}\n"
	  "  - {key: d, name: D, includes: e}\n"
	  "  - {key: e, name: E, includes: l5}\n" },
};

/* A third weight table in minimal.yaml: a second theory column for l5,
 * and two rows for one work content. */
static const struct unit_edit third_table_edits[UNIT_MAX_EDITS] = {
	{ "kind: skills", "\n            weights: [100]\n",
	  "\n            weights: [100]\n"
	  "        - {clause: \"7.1.3\", title: T, intro: I, number: N,\n"
	  "           caption: C, kind: theory, header: [H],\n"
	  "           columns: [{level: l5, label: L}],\n"
	  "           groups: [{label: G, rows: [\n"
	  "             {content: inspection, label: A, weights: [60]},\n"
	  "             {content: inspection, label: B, weights: [40]}]}],\n"
	  "           total: {label: T, weights: [100]}}\n" },
};

static const struct source {
	const char *rel;
	const struct unit_edit *edits;
} sources[] = {
	{ UNIT_MINIMAL, NULL },
	{ UNIT_FIVE, NULL },
	{ UNIT_BUNDLED, NULL },
	{ UNIT_MINIMAL, forest_edits },
	{ UNIT_MINIMAL, third_table_edits },
	{ UNIT_NATIONAL, NULL },
	{ UNIT_NATIONAL_2, NULL },
};

#define N_SOURCES (sizeof sources / sizeof *sources)

/* The model of a source, which must build; *root gets its tree. */
static struct standard *
build(const struct source *src, const struct node **root)
{
	struct standard *s =
		unit_build(arena, diag, src->rel, src->edits, root);
	if (!s)
		diag_flush(diag, stderr, false);
	ck_assert_msg(s != NULL, "%s does not build", src->rel);
	return s;
}

/* ---- flags ----------------------------------------------------------------
 */

#define MAX_SHAPES 64

struct shapes {
	const struct shape *seen[MAX_SHAPES];
	size_t n, by_level, not_prose;
	const struct shape *by_level_in;
};

static bool
is_text(enum field_type t)
{
	return t == F_TEXT || t == F_KEY || t == F_TEXTS || t == F_KEYS;
}

/* Every shape reachable from sh, once: each field's flags fit its type. */
static void
check_shape(struct shapes *all, const struct shape *sh)
{
	for (size_t i = 0; i < all->n; i++)
		if (all->seen[i] == sh)
			return;
	ck_assert_uint_lt(all->n, MAX_SHAPES);
	all->seen[all->n++] = sh;
	for (const struct field *f = sh->fields; f->name; f++) {
		unsigned texts =
			FIELD_NAME | FIELD_SKILL | FIELD_KNOWLEDGE | FIELD_C;
		ck_assert_msg(!(f->flags & texts) || is_text(f->type),
			      "%s.%s: a text flag on a field that is no text",
			      sh->what, f->name);
		ck_assert_msg(
			!(f->flags & FIELD_BY_LEVEL) || f->type == F_LIST,
			"%s.%s: FIELD_BY_LEVEL on a field that is no list",
			sh->what, f->name);
		ck_assert_msg(!(f->flags & FIELD_NOT_PROSE) ||
				      f->type == F_STRUCT || f->type == F_LIST,
			      "%s.%s: FIELD_NOT_PROSE on a value", sh->what,
			      f->name);
		unsigned kinds =
			f->flags & (FIELD_NAME | FIELD_SKILL | FIELD_KNOWLEDGE);
		ck_assert_msg(!(kinds & (kinds - 1)),
			      "%s.%s: a text of two kinds", sh->what, f->name);
		ck_assert_msg(!(f->flags & FIELD_C_KEY) ||
				      (f->type == F_KEY && !f->required &&
				       (f->flags & FIELD_C)),
			      "%s.%s: FIELD_C_KEY on what is no optional key "
			      "the header holds",
			      sh->what, f->name);
		if (f->flags & FIELD_BY_LEVEL)
			all->by_level++, all->by_level_in = sh;
		if (f->flags & FIELD_NOT_PROSE)
			all->not_prose++;
		if (f->shape)
			check_shape(all, f->shape);
	}
}

START_TEST(test_flags)
{
	struct shapes all = { .n = 0 };
	check_shape(&all, model_standard_shape);
	/* The texts of a level are a work table's capabilities; the only
	 * struct that is not the standard's text is its text rules. */
	ck_assert_uint_eq(all.by_level, 1);
	ck_assert_ptr_eq(all.by_level_in, model_work_table_shape);
	ck_assert_uint_eq(all.not_prose, 1);
}
END_TEST

/* ---- the walk -------------------------------------------------------------
 */

#define MAX_DEPTH 64

/* What a walk saw: how often each node of the tree was shown, and the
 * structs and lists open. */
struct seen {
	const char *buf;    /* the source's, where the places count from */
	struct hash *nodes; /* node's place -> its count, in the arena */
	size_t unknown;	    /* values whose node is not in the tree */
	size_t values, structs, lists, absent;
	const struct walk_step *open[MAX_DEPTH];
	struct walk_step steps[MAX_DEPTH];
	size_t elements[MAX_DEPTH]; /* elements seen in each open list */
	size_t depth;
	const char *skip; /* a field whose struct or list is declined */
};

/* A place's count: a place of the model is the place of a node of the
 * tree (no two of the nodes collected have one). */
static size_t *
place_count(struct seen *sn, struct place p)
{
	return hash_get(sn->nodes, (const char *)&p, sizeof p);
}

static size_t *
node_count(struct seen *sn, const struct node *n)
{
	return place_count(sn, place_of(sn->buf, n));
}

/* Index every scalar value and every mapping below n. */
static void
collect(struct seen *sn, const struct node *n)
{
	if (n->kind != NODE_SEQ) {
		struct place *key = arena_alloc(arena, sizeof *key);
		*key = place_of(sn->buf, n);
		ck_assert_msg(!hash_put(sn->nodes, (const char *)key,
					sizeof *key,
					arena_alloc(arena, sizeof(size_t))),
			      "two nodes at byte %u", (unsigned)key->off);
	}
	for (size_t i = 0; n->kind != NODE_SCALAR && i < n->count; i++)
		collect(sn, &n->items[i]);
}

/* The place a value was read from (not given for an absent one). */
static struct place
value_place(const struct walk_step *st)
{
	switch (st->field->type) {
	case F_INT:
	case F_INTS:
	case F_CELLS:
		return ((const struct num *)st->value)->at;
	case F_BOOL:
		return ((const struct flag *)st->value)->at;
	case F_ENUM:
		return ((const struct choice *)st->value)->at;
	default:
		return ((const struct text *)st->value)->at;
	}
}

static void
count_place(struct seen *sn, struct place p)
{
	size_t *c = p.given ? place_count(sn, p) : NULL;
	if (c)
		++*c;
	else if (p.given)
		sn->unknown++;
}

static bool
record(void *ctx, const struct walk_step *st)
{
	struct seen *sn = ctx;
	bool opens = st->event == WALK_STRUCT || st->event == WALK_LIST;
	/* The field is of the shape, the member of the struct, given. */
	const struct field *f = st->shape->fields;
	while (f->name && f != st->field)
		f++;
	ck_assert_ptr_eq(f, st->field);
	if (!st->element)
		ck_assert_ptr_eq(st->value,
				 (const char *)st->base + st->field->offset);
	if (opens && sn->skip && !strcmp(st->field->name, sn->skip))
		return false;
	if (sn->depth && (opens || st->event == WALK_VALUE) && st->element) {
		/* An element belongs to the list open above it. */
		ck_assert_ptr_eq(sn->open[sn->depth - 1]->field, st->field);
		ck_assert_int_eq(sn->open[sn->depth - 1]->event, WALK_LIST);
		sn->elements[sn->depth - 1]++;
	}
	switch (st->event) {
	case WALK_VALUE:
		sn->values++;
		if (st->field->type == F_LTEXT) {
			/* a text, or a mapping and its texts by language */
			const struct ltext *t = st->value;
			count_place(sn, t->at);
			for (size_t i = 0;
			     t->at.given && t->at.kind == NODE_MAP &&
			     i < t->n_langs;
			     i++)
				count_place(sn, t->langs[i].text.at);
			return true;
		}
		count_place(sn, value_place(st));
		return true;
	case WALK_STRUCT:
		if (st->absent) {
			sn->absent++;
			return true;
		}
		sn->structs++;
		count_place(sn, *(const struct place *)st->value);
		break;
	case WALK_LIST:
		sn->lists++;
		break;
	case WALK_STRUCT_END:
	case WALK_LIST_END: {
		/* Closes what opened last, with the same field and value. */
		ck_assert_uint_gt(sn->depth, 0);
		const struct walk_step *o = sn->open[--sn->depth];
		ck_assert_int_eq(o->event + 1, st->event);
		ck_assert_ptr_eq(o->field, st->field);
		ck_assert_ptr_eq(o->value, st->value);
		if (st->event == WALK_LIST_END)
			ck_assert_uint_eq(sn->elements[sn->depth], o->count);
		return true;
	}
	}
	ck_assert_uint_lt(sn->depth, MAX_DEPTH);
	sn->steps[sn->depth] = *st;
	sn->open[sn->depth] = &sn->steps[sn->depth];
	sn->elements[sn->depth++] = 0;
	return true;
}

/* Walk the model of src, declining what field skip names (NULL: none);
 * *root (if not NULL) gets its tree. */
static void
walk(struct seen *sn, const struct source *src, const char *skip,
     const struct node **root)
{
	const struct node *r;
	const struct standard *s = build(src, &r);
	*sn = (struct seen){ .buf = s->buf,
			     .nodes = hash_new(arena, 1024),
			     .skip = skip };
	collect(sn, r);
	model_walk(model_standard_shape, s, record, sn);
	ck_assert_uint_eq(sn->depth, 0);
	if (root)
		*root = r;
}

/* Every node below n has count want, and those below skip none (root,
 * the standard itself, is never shown). */
static void
shown(struct seen *sn, const struct node *n, const struct node *root,
      const struct node *skip, size_t want)
{
	if (n == skip)
		want = 0;
	if (n->kind != NODE_SEQ) {
		size_t *c = node_count(sn, n);
		ck_assert_ptr_nonnull(c);
		ck_assert_msg(*c == (n == root ? 0 : want),
			      "byte %ld shown %zu times",
			      (long)(n->raw - root->raw), *c);
	}
	for (size_t i = 0; n->kind != NODE_SCALAR && i < n->count; i++)
		shown(sn, &n->items[i], root, skip, want);
}

START_TEST(test_nodes)
{
	/* Each scalar and mapping of the source is shown once; nothing the
	 * walk shows has a node outside the tree. */
	const struct node *root;
	struct seen sn;
	walk(&sn, &sources[_i], NULL, &root);
	ck_assert_uint_eq(sn.unknown, 0);
	ck_assert_uint_gt(sn.values, 0);
	shown(&sn, root, root, NULL, 1);
}
END_TEST

START_TEST(test_absent)
{
	/* minimal.yaml has no notice, no text rules, none of the
	 * occupation's national clauses (name_clause, code, definition,
	 * abilities, education, training, eligibility) and no heading over
	 * its one work table: each is shown once, absent, with nothing in it
	 * and no end. */
	struct seen sn;
	walk(&sn, &sources[0], NULL, NULL);
	ck_assert_uint_eq(sn.absent, 10);
	/* the bundled one has a notice, and three tables without heading */
	walk(&sn, &sources[2], NULL, NULL);
	ck_assert_uint_eq(sn.absent, 11);
	/* national.yaml has every clause of the occupation but no notice,
	 * scope, normative references, terms, general clause of the work
	 * requirements, text rules or heading over its four tables. */
	walk(&sn, &sources[5], NULL, NULL);
	ck_assert_uint_eq(sn.absent, 10);
}
END_TEST

/* Declining a struct or list leaves out all of it, its end included:
 * path leads to it from the root of minimal.yaml. */
static const struct skip_case {
	const char *path[3];
} skip_cases[] = {
	{ { "eligibility" } },
	{ { "meta", "title" } },
	{ { "weights" } }, /* and the weights of rows and totals in it */
	{ { "occupation", "environment" } },
};

START_TEST(test_skip)
{
	const struct skip_case *c = &skip_cases[_i];
	const struct node *root;
	struct seen sn;
	size_t depth = 0;
	while (depth < 3 && c->path[depth])
		depth++;
	walk(&sn, &sources[0], c->path[depth - 1], &root);
	const struct node *skip = root;
	for (size_t i = 0; i < depth; i++)
		skip = node_get(skip, c->path[i]);
	ck_assert_ptr_nonnull(skip);
	shown(&sn, root, root, skip, 1);
}
END_TEST

/* ---- the index ------------------------------------------------------------
 */

START_TEST(test_work_index)
{
	/* Capabilities and contents in source order, numbered, each table's
	 * contents a slice of the standard's. */
	const struct standard *s = build(&sources[_i], NULL);
	const struct work_requirements *w = &s->work_requirements;
	size_t ncap = 0, nct = 0, nskill = 0, nknow = 0;
	for (size_t t = 0; t < w->n_tables; t++) {
		const struct work_table *wt = &w->tables[t];
		ck_assert_ptr_eq(wt->contents, s->contents + nct);
		size_t first = nct;
		for (size_t c = 0; c < wt->n_capabilities; c++) {
			const struct capability *cap = &wt->capabilities[c];
			ck_assert_ptr_eq(s->capabilities[ncap], cap);
			ck_assert_uint_eq(cap->index, ncap++);
			ck_assert_ptr_eq(cap->table, wt);
			for (size_t k = 0; k < cap->n_contents; k++) {
				const struct content *ct = &cap->contents[k];
				ck_assert_ptr_eq(s->contents[nct], ct);
				ck_assert_uint_eq(ct->index, nct++);
				ck_assert_ptr_eq(ct->capability, cap);
				ck_assert_ptr_eq(ct->level, wt->level);
				for (size_t i = 0; i < ct->n_skills; i++)
					ck_assert_uint_eq(ct->skills[i].index,
							  nskill++);
				for (size_t i = 0; i < ct->n_knowledge; i++)
					ck_assert_uint_eq(
						ct->knowledge[i].index,
						nknow++);
			}
		}
		ck_assert_uint_eq(wt->n_contents, nct - first);
	}
	ck_assert_uint_eq(s->n_capabilities, ncap);
	ck_assert_uint_eq(s->n_contents, nct);
	ck_assert_uint_eq(s->n_skills, nskill);
	ck_assert_uint_eq(s->n_knowledge, nknow);
}
END_TEST

/* The tables of a weights chapter in index order: those of its sections,
 * then those directly under it; t NULL past the last. */
static const struct weight_table *
nth_table(const struct weights *w, size_t n)
{
	for (size_t i = 0; i < w->n_sections; i++) {
		if (n < w->sections[i].n_tables)
			return &w->sections[i].tables[n];
		n -= w->sections[i].n_tables;
	}
	return n < w->n_tables ? &w->tables[n] : NULL;
}

/* The key a row references, and the hash its table finds it by. */
static const struct text *
row_key(const struct weight_table *t, const struct weight_row *row,
	const struct hash **by)
{
	if (row->basic_key.s) {
		*by = t->row_by_basic;
		return &row->basic_key;
	}
	if (row->capability_key.s) {
		*by = t->row_by_capability;
		return &row->capability_key;
	}
	*by = t->row_by_content;
	return &row->content_key;
}

START_TEST(test_weight_index)
{
	/* Weight tables flattened in order, those of sections first; each
	 * table's rows flattened, each in its group, and found by key as the
	 * first with that key. */
	const struct standard *s = build(&sources[_i], NULL);
	size_t n = 0;
	for (const struct weight_table *t;
	     (t = nth_table(&s->weights, n)) != NULL; n++) {
		ck_assert_ptr_eq(s->weight_tables[n], t);
		ck_assert_uint_eq(t->index, n);
		size_t r = 0;
		for (size_t g = 0; g < t->n_groups; g++)
			for (size_t k = 0; k < t->groups[g].n_rows; k++) {
				const struct weight_row *row =
					&t->groups[g].rows[k];
				ck_assert_ptr_eq(t->rows[r++], row);
				ck_assert_ptr_eq(row->group, &t->groups[g]);
			}
		ck_assert_uint_eq(t->n_rows, r);
		bool by_capability = false;
		for (size_t k = 0; k < t->n_rows; k++) {
			const struct weight_row *row = t->rows[k];
			const struct hash *by;
			const struct text *key = row_key(t, row, &by);
			const struct weight_row *first =
				hash_get(by, key->s, key->len);
			size_t f = 0;
			while (t->rows[f] != first)
				f++;
			ck_assert_uint_le(f, k);
			const struct text *fk = row_key(t, first, &by);
			ck_assert(fk->len == key->len &&
				  !memcmp(fk->s, key->s, key->len));
			by_capability |= row->capability_key.s != NULL;
		}
		ck_assert(t->by_capability == by_capability);
	}
	ck_assert_uint_eq(s->n_weight_tables, n);
}
END_TEST

START_TEST(test_level_tables)
{
	/* Each level's tables: every work table of the level, shared and of
	 * each branch, in source order; its first is its work table. */
	const struct standard *s = build(&sources[_i], NULL);
	const struct work_requirements *w = &s->work_requirements;
	size_t total = 0;
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level *l = &s->levels[i];
		size_t k = 0;
		for (size_t t = 0; t < w->n_tables; t++)
			if (w->tables[t].level == l) {
				ck_assert_uint_lt(k, l->n_tables);
				ck_assert_ptr_eq(l->tables[k++], &w->tables[t]);
			}
		ck_assert_uint_eq(l->n_tables, k);
		ck_assert_ptr_eq(l->work, k ? l->tables[0] : NULL);
		total += k;
	}
	ck_assert_uint_eq(total, w->n_tables);
}
END_TEST

START_TEST(test_national_tables)
{
	/* national.yaml: l3 has a table per branch; the weights chapter has
	 * tables and no sections. */
	const struct standard *s = build(&sources[5], NULL);
	const struct level *l3 = hash_get(s->level_by_key, "l3", 2);
	ck_assert_uint_eq(l3->n_tables, 2);
	ck_assert_ptr_nonnull(l3->tables[0]->branch);
	ck_assert_ptr_ne(l3->tables[0]->branch, l3->tables[1]->branch);
	ck_assert_uint_eq(s->weights.n_sections, 0);
	ck_assert_uint_eq(s->n_weight_tables, 2);
	ck_assert_ptr_eq(s->weight_tables[1], &s->weights.tables[1]);
}
END_TEST

START_TEST(test_chains)
{
	/* Each chain: the levels the level includes, lowest first, then
	 * the level itself. */
	const struct standard *s = build(&sources[_i], NULL);
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level *l = &s->levels[i];
		ck_assert_uint_eq(l->n_chain, l->depth + 1);
		ck_assert_ptr_eq(l->chain[l->depth], l);
		ck_assert_ptr_null(l->chain[0]->includes);
		for (size_t d = 1; d < l->n_chain; d++)
			ck_assert_ptr_eq(l->chain[d]->includes,
					 l->chain[d - 1]);
	}
}
END_TEST

START_TEST(test_third_table)
{
	/* The second theory column is not l5's; the second row is not the
	 * one found for its content. */
	const struct standard *s = build(&sources[4], NULL);
	ck_assert_uint_eq(s->n_weight_tables, 3);
	const struct weight_table *t = s->weight_tables[2];
	ck_assert_ptr_eq(s->levels[0].weights[KIND_THEORY].table,
			 s->weight_tables[0]);
	ck_assert_uint_eq(t->n_rows, 2);
	ck_assert_ptr_eq(hash_get(t->row_by_content, "inspection", 10),
			 t->rows[0]);
}
END_TEST

START_TEST(test_forest_chain)
{
	const struct standard *s = build(&sources[3], NULL);
	const struct level *c = hash_get(s->level_by_key, "c", 1);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->n_chain, 3);
	ck_assert_str_eq(c->chain[0]->key.s, "l5");
	ck_assert_str_eq(c->chain[1]->key.s, "a");
	ck_assert_str_eq(c->chain[2]->key.s, "c");
}
END_TEST

START_TEST(test_columns)
{
	/* A level's column of each kind is the first in table order. */
	const struct standard *s = build(&sources[_i], NULL);
	for (size_t i = 0; i < s->n_levels; i++)
		for (int kind = 0; kind < KIND_COUNT; kind++) {
			const struct level *l = &s->levels[i];
			const struct weight_table *table = NULL;
			size_t column = 0;
			for (size_t t = 0; !table && t < s->n_weight_tables;
			     t++)
				for (size_t c = 0;
				     !table &&
				     c < s->weight_tables[t]->n_columns;
				     c++)
					if (s->weight_tables[t]->kind.v ==
						    kind &&
					    s->weight_tables[t]
							    ->columns[c]
							    .level == l)
						table = s->weight_tables[t],
						column = c;
			ck_assert_ptr_eq(l->weights[kind].table, table);
			if (table)
				ck_assert_uint_eq(l->weights[kind].column,
						  column);
		}
}
END_TEST

static Suite *
walk_suite(void)
{
	Suite *s = suite_create("walk");
	TCase *tc = tcase_create("flags");
	tcase_add_test(tc, test_flags);
	suite_add_tcase(s, tc);

	tc = tcase_create("walk");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_nodes, 0, N_SOURCES);
	tcase_add_test(tc, test_absent);
	tcase_add_loop_test(tc, test_skip, 0,
			    sizeof skip_cases / sizeof *skip_cases);
	suite_add_tcase(s, tc);

	tc = tcase_create("index");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_work_index, 0, N_SOURCES);
	tcase_add_loop_test(tc, test_weight_index, 0, N_SOURCES);
	tcase_add_loop_test(tc, test_level_tables, 0, N_SOURCES);
	tcase_add_test(tc, test_national_tables);
	tcase_add_loop_test(tc, test_chains, 0, N_SOURCES);
	tcase_add_test(tc, test_forest_chain);
	tcase_add_test(tc, test_third_table);
	tcase_add_loop_test(tc, test_columns, 0, N_SOURCES);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(walk_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
