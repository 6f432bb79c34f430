/*
 * test_model.c - the tree to the typed model: what lands where in the
 * model of minimal.yaml and five-level.yaml (levels ordered along their
 * inclusions, contents and their items, weight cells resolved per column,
 * enumerations, integers), and each refusal, made by a small edit of a
 * source that builds, under the rule it must report; and the same model
 * from keys in any order.
 */
#include "skillc.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

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

/* The model of rel under tests/, which must build cleanly. */
static struct standard *
build(const char *rel, const struct unit_edit *edits)
{
	struct standard *s = unit_build(arena, diag, rel, edits, NULL);
	size_t errors = diag_errors(diag), warnings = diag_warnings(diag);
	if (!s || errors || warnings)
		diag_flush(diag, stderr, false);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(errors, 0);
	ck_assert_uint_eq(warnings, 0);
	return s;
}

static bool
text_is(const struct text *t, const char *s)
{
	return t->s && t->len == strlen(s) && !memcmp(t->s, s, t->len);
}

#define ck_assert_text(t, str)                                                 \
	ck_assert_msg(text_is(&(t), str), "%s is '%s', want '%s'", #t,         \
		      (t).s ? (t).s : "(absent)", str)

/* ---- minimal.yaml ------------------------------------------------------ */

START_TEST(test_minimal)
{
	const struct standard *s = build(UNIT_MINIMAL, NULL);
	ck_assert_int_eq(s->version.v, 1);
	ck_assert_text(s->id, "minimal");
	ck_assert(s->at.given);
	ck_assert(!s->notice.at.given); /* optional, absent */
	ck_assert_int_eq(s->meta.status.v, STATUS_DRAFT);
	ck_assert_text(s->meta.title.zh, "最小职业技能要求");
	ck_assert_uint_eq(s->meta.n_drafters, 0);
	ck_assert_uint_eq(s->terms.n_entries, 0);
	ck_assert_text(s->occupation.environment.text, "室内，常温。");

	ck_assert_uint_eq(s->n_levels, 1);
	const struct level *l = &s->levels[0];
	ck_assert_text(l->key, "l5");
	ck_assert_ptr_null(l->includes);
	ck_assert_ptr_null(l->includes_key.s);
	ck_assert_uint_eq(l->depth, 0);
	ck_assert_uint_eq(l->tin, 0);
	ck_assert_uint_eq(l->tout, 0);
	ck_assert_ptr_eq(s->level_order[0], l);
	ck_assert(model_level_covers(l, l));
	ck_assert_ptr_eq(l->work, &s->work_requirements.tables[0]);
	ck_assert_ptr_eq(hash_get(s->level_by_key, "l5", 2), l);

	ck_assert_uint_eq(s->n_eligibility, 1);
	const struct route *r = &s->eligibility[0].routes[0];
	ck_assert_ptr_eq(s->eligibility[0].level, l);
	ck_assert_int_eq(r->experience_months.v, 12);
	ck_assert(r->experience_months.at.given);
	/* absent enumerations: no node, the first value */
	ck_assert(!r->experience_field.at.given);
	ck_assert_int_eq(r->experience_field.v, FIELD_OCCUPATION);
	ck_assert(!r->education.at.given);
	ck_assert_int_eq(r->education.v, EDU_NONE);
	ck_assert_ptr_null(r->certificate);

	ck_assert_int_eq(s->assessment.pass_score.full_marks.v, 100);
	ck_assert_int_eq(s->assessment.pass_score.score.v, 60);
	ck_assert_uint_eq(s->assessment.methods.n_items, 0);
	ck_assert_int_eq(s->basic_requirements.education.v, EDU_NONE);

	const struct content *ct =
		&s->work_requirements.tables[0].capabilities[0].contents[0];
	ck_assert_ptr_eq(hash_get(s->content_by_key, "inspection", 10), ct);
	ck_assert_ptr_eq(hash_get(l->own, "inspection", 10), ct);
	ck_assert_ptr_eq(ct->level, l);
	ck_assert_ptr_null(ct->next_same_key);

	const struct weight_section *ws = &s->weights.sections[0];
	ck_assert_uint_eq(ws->n_tables, 2);
	for (size_t t = 0; t < 2; t++) {
		const struct weight_table *wt = &ws->tables[t];
		ck_assert_int_eq(wt->kind.v, t ? KIND_SKILLS : KIND_THEORY);
		ck_assert_ptr_eq(wt->columns[0].level, l);
		const struct weight_row *row = &wt->groups[0].rows[0];
		ck_assert_ptr_nonnull(row->cells);
		ck_assert_ptr_eq(row->cells[0], ct);
		ck_assert_ptr_null(row->basic);
		ck_assert_uint_eq(row->n_weights, 1);
		ck_assert_int_eq(row->weights[0].v, 100);
		ck_assert_int_eq(wt->total.weights[0].v, 100);
	}
}
END_TEST

/* ---- five-level.yaml --------------------------------------------------- */

static const char *const five_keys[] = { "l5", "l4", "l3", "l2", "l1" };

START_TEST(test_five_levels)
{
	/* Levels in source order, each including the one before it: depth,
	 * the order along inclusions and the intervals follow. */
	const struct standard *s = build(UNIT_FIVE, NULL);
	ck_assert_uint_eq(s->n_levels, 5);
	for (size_t i = 0; i < 5; i++) {
		const struct level *l = &s->levels[i];
		ck_assert_text(l->key, five_keys[i]);
		ck_assert_uint_eq(l->index, i);
		ck_assert_uint_eq(l->depth, i);
		ck_assert_ptr_eq(l->includes, i ? &s->levels[i - 1] : NULL);
		ck_assert_ptr_eq(s->level_order[i], l);
		ck_assert_uint_eq(l->tin, i);
		ck_assert_uint_eq(l->tout, 4);
		ck_assert_ptr_eq(l->work, &s->work_requirements.tables[i]);
		ck_assert_ptr_eq(s->work_requirements.tables[i].level, l);
		ck_assert_ptr_eq(hash_get(s->level_by_key, five_keys[i], 2), l);
	}
	ck_assert_text(s->levels[0].name, "五级/初级工");
	ck_assert_text(s->levels[4].name, "一级/高级技师");
	ck_assert_text(s->levels[4].includes_key, "l2");
}
END_TEST

static const struct covers_case {
	size_t upper, lower; /* indexes: 0 is l5, 4 is l1 */
	bool want;
} covers_cases[] = {
	{ 4, 0, true },	 { 4, 3, true },  { 3, 2, true },  { 2, 2, true },
	{ 0, 0, true },	 { 1, 0, true },  { 0, 4, false }, { 1, 2, false },
	{ 2, 3, false }, { 0, 1, false },
};

START_TEST(test_covers)
{
	const struct covers_case *c = &covers_cases[_i];
	const struct standard *s = build(UNIT_FIVE, NULL);
	ck_assert_msg(model_level_covers(&s->levels[c->upper],
					 &s->levels[c->lower]) == c->want,
		      "%s covers %s: want %s", five_keys[c->upper],
		      five_keys[c->lower], c->want ? "true" : "false");
}
END_TEST

/* Levels that branch: a and b include l5, c includes a, and d (listed
 * before e) includes e, which includes l5. */
static const struct unit_edit forest_edits[UNIT_MAX_EDITS] = {
	{ "\nlevels:\n", "    name: 五级/初级工\n",
	  "    name: 五级/初级工\n"
	  "  - {key: a, name: A, includes: l5}\n"
	  "  - {key: b, name: B, includes: l5}\n"
	  "  - {key: c, name: C, includes: a}\n"
	  "  - {key: d, name: D, includes: e}\n"
	  "  - {key: e, name: E, includes: l5}\n" },
};

static const struct forest_case {
	const char *upper, *lower;
	bool want;
} forest_cases[] = {
	{ "c", "l5", true }, { "c", "a", true },   { "c", "b", false },
	{ "b", "a", false }, { "a", "c", false },  { "a", "b", false },
	{ "d", "e", true },  { "d", "l5", true },  { "e", "d", false },
	{ "d", "a", false }, { "l5", "c", false }, { "b", "b", true },
};

static const struct level *
level(const struct standard *s, const char *key)
{
	const struct level *l = hash_get(s->level_by_key, key, strlen(key));
	ck_assert_msg(l != NULL, "no level '%s'", key);
	return l;
}

START_TEST(test_forest_covers)
{
	const struct forest_case *c = &forest_cases[_i];
	const struct standard *s = build(UNIT_MINIMAL, forest_edits);
	ck_assert_msg(model_level_covers(level(s, c->upper),
					 level(s, c->lower)) == c->want,
		      "%s covers %s: want %s", c->upper, c->lower,
		      c->want ? "true" : "false");
}
END_TEST

START_TEST(test_forest_order)
{
	/* Depth along inclusions, and every level after the one it includes
	 * in level_order, whatever the source order. */
	const struct standard *s = build(UNIT_MINIMAL, forest_edits);
	ck_assert_uint_eq(s->n_levels, 6);
	static const struct {
		const char *key;
		size_t depth;
	} want[] = { { "l5", 0 }, { "a", 1 }, { "b", 1 },
		     { "c", 2 },  { "d", 2 }, { "e", 1 } };
	for (size_t i = 0; i < 6; i++)
		ck_assert_uint_eq(level(s, want[i].key)->depth, want[i].depth);
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level *l = s->level_order[i];
		ck_assert_uint_eq(l->tin, i);
		ck_assert_uint_ge(l->tout, l->tin);
		if (l->includes)
			ck_assert_uint_lt(l->includes->tin, l->tin);
	}
	ck_assert_ptr_eq(level(s, "d")->includes, level(s, "e"));
}
END_TEST

START_TEST(test_content)
{
	/* A work content, its items and the links among them. */
	const struct standard *s = build(UNIT_FIVE, NULL);
	const struct work_table *wt = &s->work_requirements.tables[0];
	ck_assert_text(wt->number, "表1");
	ck_assert_uint_eq(wt->n_header, 4);
	ck_assert_text(wt->header[3], "相关知识要求");
	ck_assert_uint_eq(wt->n_capabilities, 2);
	const struct capability *cap = &wt->capabilities[0];
	ck_assert_text(cap->id, "1");
	ck_assert_text(cap->name, "作业准备与保养");
	ck_assert_uint_eq(cap->n_contents, 3);
	ck_assert_ptr_eq(cap->table, wt);
	const struct content *ct = &cap->contents[0];
	ck_assert_text(ct->key, "inspection");
	ck_assert_text(ct->id, "1.1");
	ck_assert_text(ct->name, "车辆检查");
	ck_assert_ptr_eq(ct->capability, cap);
	ck_assert_ptr_eq(ct->level, &s->levels[0]);
	ck_assert_uint_eq(ct->n_skills, 3);
	ck_assert_uint_eq(ct->n_knowledge, 3);
	ck_assert_text(ct->skills[0].id, "1.1.1");
	ck_assert_text(ct->skills[1].text,
		       "能检查轮胎气压、灯光、喇叭、仪表及警示装置是否完好");
	ck_assert_text(ct->knowledge[2].id, "1.1.3");
	ck_assert_text(ct->knowledge[2].text, "蓄电池叉车电源系统的基本知识");
	for (size_t i = 0; i < ct->n_skills; i++)
		ck_assert_ptr_eq(ct->skills[i].content, ct);
	for (size_t i = 0; i < ct->n_knowledge; i++)
		ck_assert_ptr_eq(ct->knowledge[i].content, ct);
	/* The same key at the next levels, in source order. */
	ck_assert_ptr_eq(hash_get(s->content_by_key, "inspection", 10), ct);
	const struct content *next = ct->next_same_key;
	ck_assert_ptr_nonnull(next);
	ck_assert_ptr_eq(next->level, &s->levels[1]);
	ck_assert_ptr_nonnull(next->next_same_key);
	ck_assert_ptr_eq(next->next_same_key->level, &s->levels[2]);
	ck_assert_ptr_null(next->next_same_key->next_same_key);
	ck_assert_ptr_eq(hash_get(s->levels[0].own, "inspection", 10), ct);
	ck_assert_ptr_null(hash_get(s->levels[3].own, "inspection", 10));
	/* A position in the source, and the whole file. */
	struct loc at = model_loc(s, ct->at);
	ck_assert_uint_eq(at.line, 386);
	ck_assert_uint_eq(at.col, 15);
	struct loc whole = model_loc(s, (struct place){ 0 });
	ck_assert_ptr_eq(whole.file, s->file);
	ck_assert_uint_eq(whole.line, 0);
	ck_assert_uint_eq(whole.col, 0);
}
END_TEST

static const struct find_case {
	size_t level; /* 0 is l5, 4 is l1 */
	const char *key;
	int want; /* the level the content found belongs to, or -1 */
} find_cases[] = {
	{ 0, "inspection", 0 },	   { 1, "inspection", 1 },
	{ 4, "inspection", 2 },	   { 3, "inspection", 2 },
	{ 4, "site", 2 },	   { 4, "maintenance", 3 },
	{ 4, "loading", 3 },	   { 4, "special-cargo", 4 },
	{ 3, "special-cargo", 3 }, { 2, "special-cargo", -1 },
	{ 0, "diagnosis", -1 },	   { 4, "no-such-content", -1 },
	{ 4, "inspectio", -1 },
};

START_TEST(test_find_content)
{
	const struct find_case *c = &find_cases[_i];
	const struct standard *s = build(UNIT_FIVE, NULL);
	const struct content *ct = model_find_content(
		s, &s->levels[c->level], NULL, c->key, strlen(c->key));
	if (c->want < 0) {
		ck_assert_msg(ct == NULL, "%s at %s: found one at %s", c->key,
			      five_keys[c->level],
			      ct && ct->level ? ct->level->key.s : "?");
		return;
	}
	ck_assert_msg(ct != NULL, "%s at %s: none", c->key,
		      five_keys[c->level]);
	ck_assert_text(ct->key, c->key);
	ck_assert_ptr_eq(ct->level, &s->levels[c->want]);
	ck_assert_ptr_eq(ct->capability->table, s->levels[c->want].work);
}
END_TEST

static const struct cell_case {
	size_t section, table, group, row;
	const char *key; /* the row's content key */
	int levels[3];	 /* per column: the cell's level, -1 none */
	int64_t weights[3];
} cell_cases[] = {
	/* 表6: l5, l4, l3 each weigh their own */
	{ 0, 0, 1, 0, "inspection", { 0, 1, 2 }, { 15, 12, 10 } },
	{ 0, 0, 1, 5, "maintenance", { 0, 1, 2 }, { 5, 10, 15 } },
	/* 表7 */
	{ 0, 1, 0, 2, "driving", { 0, 1, 2 }, { 25, 20, 20 } },
	/* 表8: l2 and l1 weigh what they inherit from the nearest level */
	{ 1, 0, 1, 0, "inspection", { 2, 2, -1 }, { 0, 0, 0 } },
	{ 1, 0, 1, 3, "loading", { 3, 3, -1 }, { 10, 0, 0 } },
	{ 1, 0, 1, 5, "special-cargo", { 3, 4, -1 }, { 15, 15, 0 } },
	{ 1, 0, 1, 6, "maintenance", { 3, 3, -1 }, { 10, 0, 0 } },
	/* 表9 */
	{ 1, 1, 0, 7, "diagnosis", { 3, 4, -1 }, { 25, 25, 0 } },
};

START_TEST(test_cells)
{
	const struct cell_case *c = &cell_cases[_i];
	const struct standard *s = build(UNIT_FIVE, NULL);
	const struct weight_table *t =
		&s->weights.sections[c->section].tables[c->table];
	const struct weight_row *row = &t->groups[c->group].rows[c->row];
	ck_assert_text(row->content_key, c->key);
	ck_assert_ptr_null(row->basic);
	ck_assert_ptr_nonnull(row->cells);
	ck_assert_uint_eq(row->n_weights, t->n_columns);
	for (size_t col = 0; col < t->n_columns; col++) {
		const struct content *cell = row->cells[col];
		ck_assert_msg(cell != NULL, "%s column %zu: no cell", c->key,
			      col);
		ck_assert_text(cell->key, c->key);
		ck_assert_ptr_eq(cell->level, &s->levels[c->levels[col]]);
		ck_assert_int_eq(row->weights[col].v, c->weights[col]);
		ck_assert(row->weights[col].at.given);
	}
}
END_TEST

START_TEST(test_weight_tables)
{
	const struct standard *s = build(UNIT_FIVE, NULL);
	ck_assert_uint_eq(s->weights.n_sections, 2);
	const struct weight_table *t6 = &s->weights.sections[0].tables[0];
	const struct weight_table *t9 = &s->weights.sections[1].tables[1];
	ck_assert_text(t6->number, "表6");
	ck_assert_int_eq(t6->kind.v, KIND_THEORY);
	ck_assert_uint_eq(t6->n_columns, 3);
	ck_assert_ptr_eq(t6->columns[2].level, &s->levels[2]);
	ck_assert_text(t6->columns[2].label, "三级/高级工 %");
	ck_assert_text(t9->number, "表9");
	ck_assert_int_eq(t9->kind.v, KIND_SKILLS);
	ck_assert_ptr_eq(t9->columns[0].level, &s->levels[3]);
	ck_assert_ptr_eq(t9->columns[1].level, &s->levels[4]);
	/* basic rows: the section they name, no cells */
	const struct weight_row *ethics = &t6->groups[0].rows[0];
	const struct weight_row *knowledge = &t6->groups[0].rows[1];
	ck_assert_text(ethics->basic_key, "ethics");
	ck_assert_ptr_eq(ethics->basic, &s->basic_requirements.sections[0]);
	ck_assert_ptr_null(ethics->cells);
	ck_assert_ptr_eq(knowledge->basic, &s->basic_requirements.sections[3]);
	ck_assert_text(knowledge->basic->title, "基础知识");
	ck_assert_uint_eq(t6->total.n_weights, 3);
	ck_assert_int_eq(t6->total.weights[1].v, 100);
	ck_assert_text(t6->total.label, "合计");
}
END_TEST

START_TEST(test_basic_requirements)
{
	const struct standard *s = build(UNIT_FIVE, NULL);
	const struct basic_requirements *br = &s->basic_requirements;
	ck_assert_int_eq(br->education.v, EDU_SECONDARY);
	ck_assert(br->education.at.given);
	ck_assert_uint_eq(br->n_sections, 4);
	ck_assert_ptr_eq(hash_get(s->basic_by_key, "ethics", 6),
			 &br->sections[0]);
	ck_assert_ptr_eq(hash_get(s->basic_by_key, "knowledge", 9),
			 &br->sections[3]);
	ck_assert_ptr_null(br->sections[1].key.s);
	ck_assert_uint_eq(br->sections[0].n_items, 5);
	ck_assert_text(br->sections[0].items[4].label, "e");
	ck_assert_uint_eq(br->sections[3].n_sections, 3);
	ck_assert_text(br->sections[3].sections[2].clause, "5.4.3");
	ck_assert_text(
		br->sections[1].text,
		"身体健康，无妨碍驾驶叉车的疾病及生理缺陷，双眼矫正视力不低于4.9，无色盲。");
}
END_TEST

START_TEST(test_enums)
{
	const struct standard *s = build(UNIT_FIVE, NULL);
	ck_assert_int_eq(s->meta.status.v, STATUS_PUBLISHED);
	const struct eligibility *l5 = &s->eligibility[0];
	ck_assert_int_eq(l5->routes[0].experience_field.v, FIELD_OCCUPATION);
	ck_assert(l5->routes[0].experience_field.at.given);
	ck_assert_int_eq(l5->routes[1].experience_field.v, FIELD_RELATED);
	ck_assert_int_eq(l5->routes[2].education.v, EDU_SECONDARY);
	ck_assert_int_eq(l5->routes[3].education.v, EDU_VOCATIONAL);
	ck_assert(!l5->routes[3].experience_field.at.given);
	const struct eligibility *l3 = &s->eligibility[2];
	ck_assert_int_eq(l3->routes[2].education.v, EDU_ASSOCIATE);
	ck_assert_int_eq(l3->routes[3].education.v, EDU_BACHELOR);
	ck_assert_str_eq(education_names[EDU_BACHELOR], "bachelor");
	ck_assert_str_eq(status_names[STATUS_PUBLISHED], "published");
	ck_assert_str_eq(weight_kind_names[KIND_SKILLS], "skills");
	ck_assert_str_eq(experience_field_names[FIELD_RELATED], "related");
}
END_TEST

static const struct months_case {
	size_t clause, route;
	int64_t months;
	int certificate; /* level index, or -1 */
} months_cases[] = {
	{ 0, 0, 12, -1 }, { 0, 1, 24, -1 }, { 0, 2, 6, -1 }, { 0, 3, 0, -1 },
	{ 1, 0, 36, 0 },  { 1, 1, 72, -1 }, { 2, 0, 84, 1 }, { 2, 3, 12, 1 },
	{ 3, 0, 120, 2 }, { 4, 0, 156, 3 }, { 4, 1, 72, 3 },
};

START_TEST(test_experience_months)
{
	const struct months_case *c = &months_cases[_i];
	const struct standard *s = build(UNIT_FIVE, NULL);
	ck_assert_uint_eq(s->n_eligibility, 5);
	const struct eligibility *e = &s->eligibility[c->clause];
	ck_assert_ptr_eq(e->level, &s->levels[c->clause]);
	const struct route *r = &e->routes[c->route];
	ck_assert_int_eq(r->experience_months.v, c->months);
	ck_assert(r->experience_months.at.given); /* 0 is given too */
	ck_assert_ptr_eq(r->certificate, c->certificate < 0
						 ? NULL
						 : &s->levels[c->certificate]);
}
END_TEST

START_TEST(test_duration_levels)
{
	static const struct unit_edit edits[UNIT_MAX_EDITS] = {
		{ NULL, "        minutes: 120\n",
		  "        minutes: 120\n        levels: [l3, l2]\n" },
	};
	const struct standard *s = build(UNIT_FIVE, edits);
	const struct duration *d = &s->assessment.durations.items[1];
	ck_assert_uint_eq(d->n_level_keys, 2);
	ck_assert_ptr_eq(d->levels[0], &s->levels[2]);
	ck_assert_ptr_eq(d->levels[1], &s->levels[3]);
}
END_TEST

START_TEST(test_assessment)
{
	const struct standard *s = build(UNIT_FIVE, NULL);
	const struct assessment *as = &s->assessment;
	const struct methods_clause *m = &as->methods;
	ck_assert_uint_eq(m->n_items, 3);
	ck_assert_ptr_eq(hash_get(s->method_by_key, "review", 6), &m->items[2]);
	ck_assert_uint_eq(m->items[0].n_level_keys, 0);
	ck_assert_uint_eq(m->items[2].n_level_keys, 2);
	ck_assert_ptr_eq(m->items[2].levels[0], &s->levels[3]);
	ck_assert_ptr_eq(m->items[2].levels[1], &s->levels[4]);
	const struct ratio *r0 = &as->ratios.items[0];
	ck_assert_ptr_eq(r0->method, &m->items[0]);
	ck_assert_int_eq(r0->staff.v, 1);
	ck_assert_int_eq(r0->candidates.v, 15);
	ck_assert_int_eq(r0->min_staff.v, 2);
	ck_assert(r0->per_room.v);
	ck_assert(r0->per_room.at.given);
	ck_assert(!r0->odd.v);
	ck_assert(!r0->odd.at.given);
	const struct ratio *r2 = &as->ratios.items[2];
	ck_assert_ptr_eq(r2->method, &m->items[2]);
	ck_assert(!r2->staff.at.given);
	ck_assert_int_eq(r2->min_staff.v, 3);
	ck_assert(r2->odd.v);
	ck_assert_uint_eq(as->durations.n_items, 3);
	ck_assert_int_eq(as->durations.items[1].minutes.v, 120);
	ck_assert_ptr_eq(as->durations.items[1].method, &m->items[1]);
	ck_assert_uint_eq(as->durations.items[1].n_level_keys, 0);
	ck_assert_ptr_eq(as->venues.items[2].method, &m->items[2]);
	ck_assert_text(as->venues.clause, "4.3.10");
}
END_TEST

/* ---- accepted edge values ---------------------------------------------- */

#define KEY64 "k123456789012345678901234567890123456789012345678901234567890123"

static const struct accept_case {
	const char *what;
	struct unit_edit edits[UNIT_MAX_EDITS];
} accept_cases[] = {
	{ "0 months",
	  { { NULL, "experience_months: 12", "experience_months: 0" } } },
	{ "1200 months",
	  { { NULL, "experience_months: 12", "experience_months: 1200" } } },
	{ "a 64-character key", { { NULL, "id: minimal", "id: " KEY64 } } },
	{ "a key of letters, digits, '-' and '_'",
	  { { NULL, "id: minimal", "id: Mini_mal-2" } } },
	{ "quoted text that looks like a number",
	  { { NULL, "name: 示例职业", "name: \"1.1\"" } } },
	{ "empty quoted text", { { NULL, "name: 示例职业", "name: ''" } } },
	{ "text in a block",
	  { { NULL, "name: 示例职业", "name: |\n    a\n    b" } } },
	{ "a notice",
	  { { NULL, "scope:\n",
	      "notice:\n  number: n\n  title: t\n  addressee: a\n"
	      "  paragraphs: []\n  contacts: []\n  attachments: []\n"
	      "  signature: s\n  date: d\n  footer: []\n"
	      "scope:\n" } } },
};

START_TEST(test_accepted)
{
	const struct accept_case *c = &accept_cases[_i];
	const struct node *root;
	struct standard *s =
		unit_build(arena, diag, UNIT_MINIMAL, c->edits, &root);
	size_t errors = diag_errors(diag);
	if (!s || errors)
		diag_flush(diag, stderr, false);
	ck_assert_msg(s != NULL && errors == 0, "%s: refused", c->what);
}
END_TEST

/* ---- national.yaml: the national layout -------------------------------- */

#define UNIT_NATIONAL "data/national.yaml"

static const struct level *
level_of(const struct standard *s, const char *key)
{
	return hash_get(s->level_by_key, key, strlen(key));
}

static const struct branch *
branch_of(const struct standard *s, const char *key)
{
	return key ? hash_get(s->branch_by_key, key, strlen(key)) : NULL;
}

START_TEST(test_national)
{
	const struct standard *s = build(UNIT_NATIONAL, NULL);
	/* Chapters the document does not have are absent. */
	ck_assert(!s->scope.at.given);
	ck_assert(!s->normative_references.at.given);
	ck_assert(!s->terms.at.given);
	ck_assert_ptr_null(s->meta.ics.s);
	ck_assert(!s->work_requirements.general.at.given);
	ck_assert_text(s->profile, "national");
	ck_assert_text(s->meta.edition, "2030年版");
	ck_assert_text(s->occupation.name_clause.title, "职业名称");
	ck_assert_text(s->occupation.code.text, "6-99-01-02");
	ck_assert_int_eq(s->occupation.education.education.v,
			 EDU_JUNIOR_SECONDARY);
	ck_assert_text(s->occupation.training.sections[0].title, "培训时间");
	ck_assert_text(s->occupation.eligibility.title, "申报条件");
	ck_assert_ptr_null(s->eligibility[0].clause.s);
	ck_assert_uint_eq(s->n_branches, 2);
	/* Tables without numbers are named by their heading. */
	ck_assert_str_eq(model_work_table_name(&s->work_requirements.tables[2]),
			 "3.3 三级/高级工（泵房运行）");
	ck_assert_uint_eq(s->n_weight_tables, 2);
	ck_assert_str_eq(model_weight_table_name(s->weight_tables[1]),
			 "4.2 技能要求权重表");
	ck_assert(s->weight_tables[0]->by_capability);
	ck_assert_ptr_eq(s->work_requirements.tables[3].branch,
			 branch_of(s, "valves"));
	ck_assert_ptr_null(s->work_requirements.tables[1].branch);
}
END_TEST

START_TEST(test_national_routes)
{
	const struct standard *s = build(UNIT_NATIONAL, NULL);
	const struct route *r5 = s->eligibility[0].routes;
	const struct route *r4 = s->eligibility[1].routes;
	const struct route *r3 = s->eligibility[2].routes;
	ck_assert_int_eq(r5[0].experience_field.v, FIELD_EITHER);
	ck_assert_int_eq(r5[0].experience_counted.v, COUNTED_TOTAL);
	ck_assert(!model_route_after(&r5[0]));
	ck_assert(r5[1].apprenticeship.v);
	/* Counted after the certificate it names, unless it says. */
	ck_assert(!r4[0].experience_counted.at.given);
	ck_assert_int_eq(r4[0].experience_counted.v, COUNTED_AFTER);
	ck_assert(model_route_after(&r4[0]));
	ck_assert_int_eq(r4[1].diploma.v, DIPLOMA_TECHNICAL_SCHOOL);
	ck_assert_int_eq(r3[0].experience_counted.v, COUNTED_TOTAL);
	ck_assert_int_eq(r3[0].min_age.v, 16);
	ck_assert_int_eq(r3[0].professional_title.v, TITLE_NONE);
}
END_TEST

/* What a column of a level (and branch) weighs under a key: the level of
 * the capability or content found, or NULL for none. */
static const struct find_branch_case {
	const char *level, *branch, *key;
	bool capability;
	const char *want_level, *want_name;
} find_branch_cases[] = {
	{ "l3", "pumps", "operate", true, "l3", "运行操作" },
	{ "l3", "valves", "operate", true, "l4", "运行操作" },
	{ "l3", "valves", "repair", true, "l3", "阀门检修" },
	{ "l3", "pumps", "repair", true, NULL, NULL },
	{ "l3", NULL, "repair", true, NULL, NULL },
	{ "l4", NULL, "repair", true, NULL, NULL },
	{ "l5", NULL, "operate", true, NULL, NULL },
	{ "l3", "pumps", "prepare", true, "l4", "运行准备" },
	{ "l3", "valves", "start", false, "l3", "阀门解体" },
	{ "l3", "pumps", "start", false, "l3", "启停操作" },
	{ "l3", NULL, "start", false, "l4", "启停操作" },
	{ "l5", NULL, "start", false, NULL, NULL },
};

START_TEST(test_national_find)
{
	const struct find_branch_case *c = &find_branch_cases[_i];
	const struct standard *s = build(UNIT_NATIONAL, NULL);
	const struct level *l = level_of(s, c->level);
	const struct branch *br = branch_of(s, c->branch);
	static const struct text none = { 0 };
	const struct level *got = NULL;
	const struct text *name = &none;
	if (c->capability) {
		const struct capability *cap =
			model_find_capability(s, l, br, c->key, strlen(c->key));
		got = cap ? cap->table->level : NULL;
		name = cap ? &cap->name : &none;
	} else {
		const struct content *ct =
			model_find_content(s, l, br, c->key, strlen(c->key));
		got = ct ? ct->level : NULL;
		name = ct ? &ct->name : &none;
	}
	if (!c->want_level) {
		ck_assert_msg(got == NULL, "%s at %s/%s: found one at %s",
			      c->key, c->level, c->branch ? c->branch : "-",
			      got ? got->key.s : "");
		return;
	}
	ck_assert_msg(got == level_of(s, c->want_level),
		      "%s at %s/%s: found at %s, want %s", c->key, c->level,
		      c->branch ? c->branch : "-", got ? got->key.s : "none",
		      c->want_level);
	ck_assert_text(*name, c->want_name);
}
END_TEST

/* MODEL_MAX_BRANCHES branches load; one more is refused by the limit
 * (tests/cases/hostile/branches-over-limit). */
START_TEST(test_branches_at_limit)
{
	struct strbuf extra = { 0 };
	strbuf_adds(&extra, "branches:\n");
	for (int i = 2; i < MODEL_MAX_BRANCHES; i++)
		strbuf_addf(&extra, "  - key: extra%d\n    name: 工种%d\n", i,
			    i);
	char *to = arena_alloc(arena, extra.len + 1);
	memcpy(to, extra.buf, extra.len + 1);
	strbuf_free(&extra);
	const struct unit_edit edits[UNIT_MAX_EDITS] = {
		{ NULL, "branches:\n", to },
	};
	const struct standard *s = build(UNIT_NATIONAL, edits);
	ck_assert_uint_eq(s->n_branches, MODEL_MAX_BRANCHES);
}
END_TEST

START_TEST(test_national_cells)
{
	const struct standard *s = build(UNIT_NATIONAL, NULL);
	const struct weight_table *t = s->weight_tables[0];
	const struct weight_row *prepare =
		hash_get(t->row_by_capability, "prepare", 7);
	ck_assert_ptr_nonnull(prepare);
	ck_assert(!prepare->weights[0].dash);
	ck_assert_int_eq(prepare->weights[0].v, 70);
	ck_assert(prepare->weights[2].dash);
	ck_assert(prepare->weights[3].dash);
	/* A "—" cell still says what the column's level inherits. */
	ck_assert_ptr_eq(prepare->capability_cells[2]->table->level,
			 level_of(s, "l4"));
	ck_assert_ptr_null(prepare->cells);
	const struct weight_row *repair =
		hash_get(t->row_by_capability, "repair", 6);
	ck_assert_ptr_null(repair->capability_cells[0]);
	ck_assert_ptr_null(repair->capability_cells[2]);
	ck_assert_ptr_nonnull(repair->capability_cells[3]);
	ck_assert_ptr_eq(t->columns[2].branch, branch_of(s, "pumps"));
	/* Level-qualified own keys: a branch's content under "branch/key". */
	const struct level *l3 = level_of(s, "l3");
	ck_assert_ptr_null(hash_get(l3->own, "start", 5));
	ck_assert_ptr_nonnull(hash_get(l3->own, "pumps/start", 11));
	ck_assert_ptr_nonnull(hash_get(l3->own, "valves/start", 12));
}
END_TEST

/* ---- refusals ---------------------------------------------------------- */

#define EDIT1(after, from, to)                                                 \
	{                                                                      \
		{                                                              \
			after, from, to                                        \
		}                                                              \
	}
#define MONTHS(v) EDIT1(NULL, "experience_months: 12", "experience_months: " v)

static const struct refusal {
	const char *what;
	const char *base;
	struct unit_edit edits[UNIT_MAX_EDITS];
	enum rule rule;
	size_t count;
} refusals[] = {
	/* national layout */
	{ "unknown level of a duration", UNIT_FIVE,
	  EDIT1(NULL, "        minutes: 120\n",
		"        minutes: 120\n        levels: [l3, l9]\n"),
	  RULE_UNKNOWN_REFERENCE, 1 },
	{ "eligibility clause without a head", UNIT_NATIONAL,
	  EDIT1(NULL, "  eligibility: {clause: \"1.9.1\", title: 申报条件}\n",
		""),
	  RULE_MISSING_KEY, 3 },
	{ "a dash look-alike in a cell", UNIT_NATIONAL,
	  EDIT1(NULL, "weights: [70, 40, —, —]", "weights: [70, 40, －, —]"),
	  RULE_INTEGER, 1 },
	{ "a dash in a total", UNIT_NATIONAL,
	  EDIT1(NULL, "weights: [100, 100, 100, 100]}",
		"weights: [100, 100, —, 100]}"),
	  RULE_INTEGER, 1 },
	{ "unknown branch of a table", UNIT_NATIONAL,
	  EDIT1(NULL, "branch: valves\n", "branch: valve\n"),
	  RULE_UNKNOWN_REFERENCE, 1 },
	{ "unknown branch of a column", UNIT_NATIONAL,
	  EDIT1(NULL, "branch: pumps, label", "branch: pump, label"),
	  RULE_UNKNOWN_REFERENCE, 1 },
	{ "unknown capability", UNIT_NATIONAL,
	  EDIT1(NULL, "capability: repair", "capability: repairs"),
	  RULE_UNKNOWN_REFERENCE, 1 },
	{ "capability and content in one row", UNIT_NATIONAL,
	  EDIT1(NULL, "{capability: repair,",
		"{capability: repair, content: start,"),
	  RULE_VALUE, 1 },
	{ "branch defined twice", UNIT_NATIONAL,
	  EDIT1(NULL, "branches:\n",
		"branches:\n  - key: pumps\n    name: 重名\n"),
	  RULE_DUPLICATE_DEFINITION, 1 },
	{ "experience counted wrongly", UNIT_NATIONAL,
	  EDIT1(NULL, "experience_counted: total", "experience_counted: after"),
	  RULE_VALUE, 1 },
	{ "diploma unknown", UNIT_NATIONAL,
	  EDIT1(NULL, "diploma: technical-school", "diploma: college"),
	  RULE_VALUE, 1 },
	{ "age out of range", UNIT_NATIONAL,
	  EDIT1(NULL, "min_age: 16", "min_age: 0"), RULE_INTEGER, 1 },
	/* SK0008 unknown-key */
	{ "unknown top-level key", UNIT_MINIMAL,
	  EDIT1(NULL, "id: minimal\n", "id: minimal\nidd: x\n"),
	  RULE_UNKNOWN_KEY, 1 },
	{ "unknown key in a work content", UNIT_MINIMAL,
	  EDIT1(NULL, "              name: 车辆检查\n",
		"              name: 车辆检查\n              nmae: x\n"),
	  RULE_UNKNOWN_KEY, 1 },
	{ "two unknown keys", UNIT_MINIMAL,
	  EDIT1(NULL, "id: minimal\n", "id: minimal\nx: 1\ny: 2\n"),
	  RULE_UNKNOWN_KEY, 2 },
	/* SK0009 missing-key */
	{ "missing key in meta", UNIT_MINIMAL,
	  EDIT1(NULL, "  issuer: 某某协会\n", ""), RULE_MISSING_KEY, 1 },
	{ "missing top-level key", UNIT_MINIMAL,
	  EDIT1(NULL, "id: minimal\n", ""), RULE_MISSING_KEY, 1 },
	{ "missing level name", UNIT_MINIMAL,
	  EDIT1("\nlevels:\n", "    name: 五级/初级工\n", ""), RULE_MISSING_KEY,
	  1 },
	{ "weight row with neither basic nor content", UNIT_MINIMAL,
	  EDIT1(NULL, "- content: inspection\n                  label",
		"- label"),
	  RULE_MISSING_KEY, 1 },
	/* SK0010 type */
	{ "number for text", UNIT_MINIMAL,
	  EDIT1(NULL, "name: 示例职业", "name: 1.1"), RULE_TYPE, 1 },
	{ "boolean for text", UNIT_MINIMAL,
	  EDIT1(NULL, "name: 示例职业", "name: no"), RULE_TYPE, 1 },
	{ "null for text", UNIT_MINIMAL, EDIT1(NULL, "name: 示例职业", "name:"),
	  RULE_TYPE, 1 },
	{ "date for text", UNIT_MINIMAL,
	  EDIT1(NULL, "published: \"\"", "published: 2020-01-01"), RULE_TYPE,
	  1 },
	{ "list for text", UNIT_MINIMAL,
	  EDIT1(NULL, "name: 示例职业", "name: [示例职业]"), RULE_TYPE, 1 },
	{ "text for a list", UNIT_MINIMAL,
	  EDIT1(NULL, "foreword: []", "foreword: x"), RULE_TYPE, 1 },
	{ "mapping for a list", UNIT_MINIMAL,
	  EDIT1(NULL, "entries: []", "entries: {}"), RULE_TYPE, 1 },
	{ "list for a mapping", UNIT_MINIMAL,
	  EDIT1(NULL, "assessment: {clause: \"4.3\", title: 职业技能鉴定要求}",
		"assessment: []"),
	  RULE_TYPE, 1 },
	{ "list for an integer", UNIT_MINIMAL, MONTHS("[12]"), RULE_TYPE, 1 },
	{ "yes for a boolean", UNIT_FIVE,
	  EDIT1(NULL, "per_room: true", "per_room: yes"), RULE_TYPE, 1 },
	{ "quoted boolean", UNIT_FIVE,
	  EDIT1(NULL, "per_room: true", "per_room: \"true\""), RULE_TYPE, 1 },
	{ "number for a key", UNIT_MINIMAL, EDIT1(NULL, "id: minimal", "id: 1"),
	  RULE_TYPE, 1 },
	/* SK0011 integer */
	{ "leading zero", UNIT_MINIMAL, MONTHS("012"), RULE_INTEGER, 1 },
	{ "hexadecimal", UNIT_MINIMAL, MONTHS("0x10"), RULE_INTEGER, 1 },
	{ "underscore", UNIT_MINIMAL, MONTHS("1_000"), RULE_INTEGER, 1 },
	{ "exponent", UNIT_MINIMAL, MONTHS("1e2"), RULE_INTEGER, 1 },
	{ "float", UNIT_MINIMAL, MONTHS("12.0"), RULE_INTEGER, 1 },
	{ "plus sign", UNIT_MINIMAL, MONTHS("+12"), RULE_INTEGER, 1 },
	{ "negative", UNIT_MINIMAL, MONTHS("-5"), RULE_INTEGER, 1 },
	{ "sexagesimal", UNIT_MINIMAL, MONTHS("1:30"), RULE_INTEGER, 1 },
	{ "double-quoted", UNIT_MINIMAL, MONTHS("\"12\""), RULE_INTEGER, 1 },
	{ "single-quoted", UNIT_MINIMAL, MONTHS("'12'"), RULE_INTEGER, 1 },
	{ "empty", UNIT_MINIMAL, MONTHS(""), RULE_INTEGER, 1 },
	{ "null", UNIT_MINIMAL, MONTHS("~"), RULE_INTEGER, 1 },
	{ "words", UNIT_MINIMAL, MONTHS("twelve"), RULE_INTEGER, 1 },
	{ "above the range", UNIT_MINIMAL, MONTHS("1201"), RULE_INTEGER, 1 },
	{ "past int64", UNIT_MINIMAL, MONTHS("99999999999999999999"),
	  RULE_INTEGER, 1 },
	{ "format version 2", UNIT_MINIMAL,
	  EDIT1(NULL, "skillc: 1", "skillc: 2"), RULE_INTEGER, 1 },
	{ "weight above 100", UNIT_MINIMAL,
	  EDIT1(NULL, "weights: [100]", "weights: [101]"), RULE_INTEGER, 1 },
	/* SK0012 value */
	{ "unknown status", UNIT_MINIMAL,
	  EDIT1(NULL, "status: draft", "status: drafty"), RULE_VALUE, 1 },
	{ "status in the wrong case", UNIT_MINIMAL,
	  EDIT1(NULL, "status: draft", "status: Draft"), RULE_VALUE, 1 },
	{ "unknown education", UNIT_MINIMAL,
	  EDIT1(NULL, "education: none", "education: phd"), RULE_VALUE, 1 },
	{ "unknown weight kind", UNIT_MINIMAL,
	  EDIT1(NULL, "kind: theory", "kind: knowledge"), RULE_VALUE, 1 },
	{ "unknown experience field", UNIT_FIVE,
	  EDIT1(NULL, "experience_field: related",
		"experience_field: relative"),
	  RULE_VALUE, 1 },
	{ "key starting with a digit", UNIT_MINIMAL,
	  EDIT1(NULL, "id: minimal", "id: 1minimal"), RULE_VALUE, 1 },
	{ "key with a space", UNIT_MINIMAL,
	  EDIT1(NULL, "id: minimal", "id: mini mal"), RULE_VALUE, 1 },
	{ "key not ASCII", UNIT_MINIMAL, EDIT1(NULL, "id: minimal", "id: 最小"),
	  RULE_VALUE, 1 },
	{ "empty key", UNIT_MINIMAL, EDIT1(NULL, "id: minimal", "id: \"\""),
	  RULE_VALUE, 1 },
	{ "key of 65 characters", UNIT_MINIMAL,
	  EDIT1(NULL, "id: minimal", "id: " KEY64 "4"), RULE_VALUE, 1 },
	{ "weight row with both basic and content", UNIT_MINIMAL,
	  EDIT1(NULL, "- content: inspection\n",
		"- basic: ethics\n                  content: inspection\n"),
	  RULE_VALUE, 1 },
	/* SK0013 unknown-reference */
	{ "eligibility of an unknown level", UNIT_MINIMAL,
	  EDIT1("eligibility:", "level: l5", "level: l6"),
	  RULE_UNKNOWN_REFERENCE, 1 },
	{ "work table of an unknown level", UNIT_MINIMAL,
	  EDIT1("work_requirements:", "level: l5", "level: l6"),
	  RULE_UNKNOWN_REFERENCE, 1 },
	{ "column of an unknown level", UNIT_MINIMAL,
	  EDIT1("columns:", "level: l5", "level: l6"), RULE_UNKNOWN_REFERENCE,
	  1 },
	{ "row of an unknown content", UNIT_MINIMAL,
	  EDIT1(NULL, "content: inspection", "content: inspektion"),
	  RULE_UNKNOWN_REFERENCE, 1 },
	{ "row of an unknown basic requirement", UNIT_MINIMAL,
	  EDIT1(NULL, "- content: inspection\n", "- basic: ethics\n"),
	  RULE_UNKNOWN_REFERENCE, 1 },
	{ "include of an unknown level", UNIT_MINIMAL,
	  EDIT1("\nlevels:\n", "    name: 五级/初级工\n",
		"    name: 五级/初级工\n    includes: l9\n"),
	  RULE_UNKNOWN_REFERENCE, 1 },
	{ "certificate of an unknown level", UNIT_MINIMAL,
	  EDIT1(NULL, "experience_months: 12",
		"experience_months: 12\n        certificate: l4"),
	  RULE_UNKNOWN_REFERENCE, 1 },
	{ "ratio of an unknown method", UNIT_FIVE,
	  EDIT1("ratios:", "method: theory", "method: theroy"),
	  RULE_UNKNOWN_REFERENCE, 1 },
	{ "duration of an unknown method", UNIT_FIVE,
	  EDIT1("durations:", "method: skills", "method: skill"),
	  RULE_UNKNOWN_REFERENCE, 1 },
	{ "venue of an unknown method", UNIT_FIVE,
	  EDIT1("venues:", "method: review", "method: reviews"),
	  RULE_UNKNOWN_REFERENCE, 1 },
	{ "method of an unknown level", UNIT_FIVE,
	  EDIT1(NULL, "levels: [l2, l1]", "levels: [l2, l0]"),
	  RULE_UNKNOWN_REFERENCE, 1 },
	/* SK0014 duplicate-definition */
	{ "two levels with one key", UNIT_MINIMAL,
	  EDIT1("\nlevels:\n", "    name: 五级/初级工\n",
		"    name: 五级/初级工\n  - key: l5\n    name: 重复\n"),
	  RULE_DUPLICATE_DEFINITION, 1 },
	{ "two methods with one key", UNIT_FIVE,
	  EDIT1("methods:", "    items:\n",
		"    items:\n      - {key: theory, name: x, label: x, text: x}\n"),
	  RULE_DUPLICATE_DEFINITION, 1 },
	{ "two basic requirements with one key", UNIT_FIVE,
	  EDIT1(NULL, "    - clause: \"5.2\"\n",
		"    - key: ethics\n      clause: \"5.2\"\n"),
	  RULE_DUPLICATE_DEFINITION, 1 },
	{ "a nested basic requirement with a used key", UNIT_FIVE,
	  EDIT1(NULL, "        - clause: \"5.4.1\"\n",
		"        - key: ethics\n          clause: \"5.4.1\"\n"),
	  RULE_DUPLICATE_DEFINITION, 1 },
	/* SK0015 weight-arity */
	{ "row with too many weights", UNIT_MINIMAL,
	  EDIT1(NULL, "weights: [100]", "weights: [60, 40]"), RULE_WEIGHT_ARITY,
	  1 },
	{ "row with no weights", UNIT_MINIMAL,
	  EDIT1(NULL, "weights: [100]", "weights: []"), RULE_WEIGHT_ARITY, 1 },
	{ "total with too many weights", UNIT_MINIMAL,
	  EDIT1("total:", "weights: [100]", "weights: [100, 0]"),
	  RULE_WEIGHT_ARITY, 1 },
	{ "row with too few weights", UNIT_FIVE,
	  EDIT1("number: 表6", "weights: [5, 5, 5]", "weights: [5, 5]"),
	  RULE_WEIGHT_ARITY, 1 },
	/* SK0016 level-cycle */
	{ "level including itself", UNIT_MINIMAL,
	  EDIT1("\nlevels:\n", "    name: 五级/初级工\n",
		"    name: 五级/初级工\n    includes: l5\n"),
	  RULE_LEVEL_CYCLE, 1 },
	{ "two levels including each other", UNIT_FIVE,
	  EDIT1("\nlevels:\n", "    name: 五级/初级工\n",
		"    name: 五级/初级工\n    includes: l4\n"),
	  RULE_LEVEL_CYCLE, 1 },
	{ "a cycle through four levels", UNIT_FIVE,
	  EDIT1("\nlevels:\n", "includes: l5", "includes: l1"),
	  RULE_LEVEL_CYCLE, 1 },
};

START_TEST(test_refused)
{
	const struct refusal *c = &refusals[_i];
	const struct node *root;
	struct standard *s = unit_build(arena, diag, c->base, c->edits, &root);
	ck_assert_msg(root != NULL, "%s: not even loaded", c->what);
	size_t count = diag_rule_count(diag, c->rule);
	size_t errors = diag_errors(diag);
	if (s || count != c->count || errors != c->count)
		diag_flush(diag, stderr, false);
	ck_assert_msg(s == NULL, "%s: built", c->what);
	ck_assert_msg(count == c->count, "%s: %zu under %s, want %zu", c->what,
		      count, rule_table[c->rule].name, c->count);
	ck_assert_msg(errors == c->count, "%s: %zu errors, want %zu", c->what,
		      errors, c->count);
}
END_TEST

START_TEST(test_refused_all_reported)
{
	/* Everything the model finds is reported, not only the first. */
	static const struct unit_edit edits[UNIT_MAX_EDITS] = {
		{ NULL, "id: minimal\n", "id: minimal\nidd: x\n" },
		{ NULL, "experience_months: 12", "experience_months: 012" },
		{ NULL, "content: inspection", "content: inspektion" },
	};
	const struct node *root;
	ck_assert_ptr_null(unit_build(arena, diag, UNIT_MINIMAL, edits, &root));
	ck_assert_ptr_nonnull(root);
	ck_assert_uint_eq(diag_rule_count(diag, RULE_UNKNOWN_KEY), 1);
	ck_assert_uint_eq(diag_rule_count(diag, RULE_INTEGER), 1);
	ck_assert_uint_eq(diag_rule_count(diag, RULE_UNKNOWN_REFERENCE), 1);
	ck_assert_uint_eq(diag_errors(diag), 3);
}
END_TEST

/* ---- keys in any order ------------------------------------------------ */

/* Each shape's field names differ: of two fields of one name, the
 * second could never be given. */
static void
names_unique(const struct shape *sh, const struct shape **seen, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		if (seen[i] == sh)
			return;
	ck_assert_uint_lt(*n, 256);
	seen[(*n)++] = sh;
	for (const struct field *f = sh->fields; f->name; f++) {
		for (const struct field *g = f + 1; g->name; g++)
			ck_assert_msg(strcmp(f->name, g->name),
				      "%s has two fields '%s'", sh->what,
				      f->name);
		if (f->shape)
			names_unique(f->shape, seen, n);
	}
}

START_TEST(test_shape_names_unique)
{
	const struct shape *seen[256];
	size_t n = 0;
	names_unique(model_standard_shape, seen, &n);
	names_unique(model_work_table_shape, seen, &n);
	ck_assert_uint_gt(n, 10);
}
END_TEST

/* The source of a tree again in flow style, each mapping's keys in the
 * reverse order: a text as a JSON string, a typed plain scalar as
 * written. */
static void
reversed(struct strbuf *out, const struct node *n)
{
	if (n->kind == NODE_SCALAR) {
		ck_assert_int_ne(n->style, STYLE_BLOCK);
		if (n->type != SCALAR_TEXT)
			strbuf_add(out, n->raw, n->raw_len);
		else
			strbuf_add_json(out, n->text, n->len);
		return;
	}
	bool map = n->kind == NODE_MAP;
	strbuf_addc(out, map ? '{' : '[');
	for (size_t k = 0; k < n->count; k++) {
		size_t i = map ? n->count - 1 - k : k;
		if (k)
			strbuf_adds(out, ", ");
		if (map) {
			reversed(out, &node_keys(n)[i]);
			strbuf_adds(out, ": ");
		}
		reversed(out, &n->items[i]);
	}
	strbuf_addc(out, map ? '}' : ']');
}

static const char *const any_order_cases[] = { UNIT_MINIMAL, UNIT_FIVE,
					       "data/national.yaml" };

/* Every mapping's keys in the reverse order: the same model, every text
 * in its place. */
START_TEST(test_keys_any_order)
{
	const struct node *root;
	struct standard *s =
		unit_build(arena, diag, any_order_cases[_i], NULL, &root);
	ck_assert_ptr_nonnull(s);
	struct strbuf src = { 0 };
	reversed(&src, root);
	struct diag *d = diag_new(arena);
	const struct node *r =
		load_buffer(arena, d, "reversed.yaml", src.buf, src.len);
	ck_assert_ptr_nonnull(r);
	struct standard *s2 = model_build(arena, d, "reversed.yaml", r);
	ck_assert_ptr_nonnull(s2);
	ck_assert_uint_eq(unit_explain(d, 0, diag_errors(d)),
			  diag_errors(diag));
	static struct unit_texts a, b;
	a.n = b.n = 0;
	model_walk(model_standard_shape, s, unit_gather_texts, &a);
	model_walk(model_standard_shape, s2, unit_gather_texts, &b);
	ck_assert_uint_gt(a.n, 10);
	ck_assert_uint_eq(a.n, b.n);
	for (size_t i = 0; i < a.n; i++)
		ck_assert_msg(
			a.t[i]->len == b.t[i]->len &&
				!memcmp(a.t[i]->s, b.t[i]->s, a.t[i]->len),
			"text %zu: '%s', reversed '%s'", i, a.t[i]->s,
			b.t[i]->s);
	strbuf_free(&src);
}
END_TEST

/* ---- the same model from the loader's nodes as from a tree ------------ */

/* A model, written out with every value's place: walked through its
 * shapes. */
struct written {
	struct strbuf sb;
	const char *buf; /* the source's, and its length */
	size_t len, spans;
};

static void
write_place(struct written *w, struct place p)
{
	if (!p.given) {
		strbuf_addf(&w->sb, " -");
		return;
	}
	strbuf_addf(&w->sb, " @%u+%u k%u s%u t%u", (unsigned)p.off,
		    (unsigned)p.raw_len, (unsigned)p.kind, (unsigned)p.style,
		    (unsigned)p.type);
}

/* A text is the source's own bytes (a span) only in a field that says
 * so; every other is NUL-terminated, as the passes print it with %s. */
static void
check_span(struct written *w, const struct field *f, const struct text *t)
{
	if (!t->s)
		return;
	uintptr_t s = (uintptr_t)t->s, b = (uintptr_t)w->buf;
	if (s >= b && s < b + w->len) {
		w->spans++;
		ck_assert_msg(f && (f->flags & FIELD_SPAN),
			      "'%s': a span of the source, not a copy",
			      f ? f->name : "?");
	} else {
		ck_assert_msg(t->s[t->len] == '\0', "'%s': not NUL-terminated",
			      f ? f->name : "?");
	}
}

static void
write_text(struct written *w, const struct text *t)
{
	strbuf_addf(&w->sb, " '%.*s'/%zu", (int)t->len, t->s ? t->s : "",
		    t->len);
	if (!t->s)
		strbuf_addf(&w->sb, "(none)");
	write_place(w, t->at);
}

static bool
write_step(void *ctx, const struct walk_step *st)
{
	struct written *w = ctx;
	const struct field *f = st->field;
	const void *v = st->value;
	strbuf_addf(&w->sb, "\n%s", f ? f->name : "");
	switch (st->event) {
	case WALK_STRUCT:
		strbuf_addf(&w->sb, " {");
		write_place(w, st->absent ? (struct place){ 0 }
					  : *(const struct place *)v);
		return true;
	case WALK_STRUCT_END:
		strbuf_addf(&w->sb, " }");
		return true;
	case WALK_LIST:
		strbuf_addf(&w->sb, " [%zu", st->count);
		return true;
	case WALK_LIST_END:
		strbuf_addf(&w->sb, " ]");
		return true;
	case WALK_VALUE:
		break;
	}
	switch (f->type) {
	case F_INT:
	case F_INTS:
	case F_CELLS: {
		const struct num *n = v;
		strbuf_addf(&w->sb, " %lld%s", (long long)n->v,
			    n->dash ? " dash" : "");
		write_place(w, n->at);
		break;
	}
	case F_BOOL:
		strbuf_addf(&w->sb, " %d", ((const struct flag *)v)->v);
		write_place(w, ((const struct flag *)v)->at);
		break;
	case F_ENUM:
		strbuf_addf(&w->sb, " %d", ((const struct choice *)v)->v);
		write_place(w, ((const struct choice *)v)->at);
		break;
	case F_LTEXT: {
		const struct ltext *t = v;
		write_place(w, t->at);
		for (size_t i = 0; i < t->n_langs; i++) {
			check_span(w, NULL, &t->langs[i].lang);
			check_span(w, NULL, &t->langs[i].text);
			write_text(w, &t->langs[i].lang);
			write_text(w, &t->langs[i].text);
		}
		break;
	}
	default:
		check_span(w, f, v);
		write_text(w, v);
		break;
	}
	return true;
}

/* What d says, as printed. */
static char *
said(struct diag *d)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	ck_assert_ptr_nonnull(f);
	diag_flush(d, f, true);
	fclose(f);
	return text;
}

/* Build the model of a file both ways: through a tree, and from the
 * loader's nodes as they come. The same diagnostics, in the same order,
 * and the same model, every value from the same place, or no model.
 * How many texts of the second are the source's own bytes: none of the
 * first's are. */
static size_t
same_both_ways(const char *path, const char *buf, size_t len)
{
	size_t spans = 0;
	struct arena *a = arena_new();
	struct diag *dt = diag_new(a), *ds = diag_new(a);
	const struct node *root = load_buffer(a, dt, path, buf, len);
	struct standard *t = root ? model_build(a, dt, path, root) : NULL;
	struct standard *s = model_stream(a, ds, path, buf, len);
	ck_assert_msg(!t == !s, "%s: a model %s", path,
		      t ? "from the tree alone" : "from the nodes alone");
	char *from_tree = said(dt), *from_nodes = said(ds);
	ck_assert_msg(!strcmp(from_tree, from_nodes),
		      "%s: the tree's findings:\n%s\nthe nodes':\n%s", path,
		      from_tree, from_nodes);
	free(from_tree), free(from_nodes);
	if (t) {
		struct written wt = { { 0 }, buf, len, 0 },
			       ws = { { 0 }, buf, len, 0 };
		model_walk(model_standard_shape, t, write_step, &wt);
		model_walk(model_standard_shape, s, write_step, &ws);
		ck_assert_uint_gt(wt.sb.len, 0);
		ck_assert_msg(!strcmp(wt.sb.buf, ws.sb.buf),
			      "%s: the models differ", path);
		ck_assert_uint_eq(wt.spans, 0);
		spans = ws.spans;
		strbuf_free(&wt.sb), strbuf_free(&ws.sb);
	}
	arena_free(a);
	return spans;
}

/* Every source the cases and the tests read, valid or not. */
START_TEST(test_stream_corpus)
{
	static const char *const dirs[] = { "cases", "data", "../standard" };
	size_t files = 0, models = 0, spans = 0;
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		const char *dir = unit_path(arena, dirs[i]);
		DIR *dp = opendir(dir);
		ck_assert_msg(dp != NULL, "cannot open %s", dir);
		for (struct dirent *e; (e = readdir(dp));) {
			if (e->d_name[0] == '.')
				continue;
			struct strbuf p = { 0 };
			strbuf_addf(&p, "%s/%s%s", dir, e->d_name,
				    i ? "" : "/input.yaml");
			char *buf;
			size_t len;
			if (strstr(p.buf, ".yaml") &&
			    !load_read(arena, p.buf, &buf, &len)) {
				spans += same_both_ways(p.buf, buf, len);
				files++;
				struct arena *a = arena_new();
				struct diag *d = diag_new(a);
				models += !!model_stream(a, d, p.buf, buf, len);
				arena_free(a);
			}
			strbuf_free(&p);
		}
		closedir(dp);
	}
	/* the cases are there, most failing, some not */
	ck_assert_uint_gt(files, 300);
	ck_assert_uint_gt(models, 20);
	ck_assert_uint_lt(models, files - 100);
	/* the items' texts are not copied (FIELD_SPAN) */
	ck_assert_uint_gt(spans, 1000);
}
END_TEST

/* Each kind of value where another is wanted, each way a mapping of
 * languages can go wrong, a load that fails after the model has said
 * something: the same both ways. */
static const char *const stream_cases[] = {
	"id: {a: 1}\n",
	"id: [a, b]\nskillc: [1]\n",
	"levels: {a: 1}\noccupation: [x]\n",
	"levels: [1, [2], {key: k}]\n",
	"meta: {title: [a], status: {x: 1}}\n",
	"meta: {title: {zh: [a], en: b, 1x: c}}\n",
	"meta: {title: {}}\n",
	"meta: {title: {zh: {a: b}}}\n",
	("weights: {tables: [{columns: [{level: a}], groups: [{rows: "
	 "[{weights: [\"\u2014\", {a: 1}, [1], '1', 01, \u2014]}]}]}]}\n"),
	"unknown: {deep: [1, {x: [2]}]}\nid: a\n",
	"id: a\nbad: [\n",
	"id: [a\n",
	"{[a]: 1, id: x}\n",
	"{{a: 1}: [2], id: x}\n",
	"meta: {title: {[zh]: a, en: b}}\n",
	"id: a\nid: b\n",
	"- a\n",
	"a\n",
	"",
};

START_TEST(test_stream_cases)
{
	const char *src = stream_cases[_i];
	same_both_ways("stream.yaml", src, strlen(src));
}
END_TEST

/* A skill item's text as written: whether the model keeps it where the
 * source holds it (FIELD_SPAN), or a copy. */
static const struct {
	const char *text, *value;
	bool span;
} span_cases[] = {
	{ "能检查车辆", "能检查车辆", true },	/* plain */
	{ "'能检查车辆'", "能检查车辆", true }, /* quoted, nothing to unquote */
	{ "\"能检查车辆\"", "能检查车辆", true },   /* the same */
	{ "'能检查''车辆'", "能检查'车辆", false }, /* '' is one quote */
	{ "\"能检查\\x41车辆\"", "能检查A车辆", false },
	{ "\"能检查\\u8F66辆\"", "能检查车辆",
	  false }, /* as long, not as written */
	{ ">-\n                    能检查车辆", "能检查车辆",
	  false }, /* a block */
};

START_TEST(test_spans)
{
	struct unit_edit edits[UNIT_MAX_EDITS] = {
		{ "skills:", "text: 能检查车辆", NULL }
	};
	struct strbuf to = { 0 };
	strbuf_addf(&to, "text: %s", span_cases[_i].text);
	edits[0].to = to.buf;
	char *src;
	size_t len;
	ck_assert_int_eq(
		load_read(arena, unit_path(arena, UNIT_MINIMAL), &src, &len),
		0);
	src = unit_apply(arena, src, edits, &len);
	strbuf_free(&to);
	const struct standard *s =
		model_stream(arena, diag, "x.yaml", src, len);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(diag_errors(diag), 0);
	const struct item *skill = &s->contents[0]->skills[0];
	const struct item *knowledge = &s->contents[0]->knowledge[0];
	ck_assert_text(skill->text, span_cases[_i].value);
	ck_assert_uint_eq(skill->text.at.off,
			  strstr(strstr(src, "skills:"), "text: ") + 6 - src);
	bool in_src = skill->text.s >= src && skill->text.s < src + len;
	ck_assert_int_eq(in_src, span_cases[_i].span);
	if (in_src) /* the bytes between its quotes, if it has them */
		ck_assert_ptr_eq(skill->text.s,
				 src + skill->text.at.off +
					 (skill->text.at.style != STYLE_PLAIN));
	/* the text NUL-terminated, wherever it is */
	const char *c = text_str(arena, &skill->text);
	ck_assert_str_eq(c, span_cases[_i].value);
	ck_assert_int_eq(c == skill->text.s, !in_src);
	/* a knowledge item's too, and the names of a work content and a
	 * capability; the texts of other fields are copies */
	const struct content *ct = s->contents[0];
	ck_assert_ptr_eq(knowledge->text.s, src + knowledge->text.at.off);
	ck_assert_ptr_eq(ct->name.s, src + ct->name.at.off);
	ck_assert_ptr_eq(ct->capability->name.s,
			 src + ct->capability->name.at.off);
	ck_assert(ct->id.s < src || ct->id.s >= src + len);
	ck_assert(s->levels[0].name.s < src ||
		  s->levels[0].name.s >= src + len);
	ck_assert_str_eq(text_str(arena, &ct->id), ct->id.s);
	ck_assert_ptr_eq(text_str(arena, &ct->id), ct->id.s);
}
END_TEST

/* A text that ends the source is copied: the byte past a span is read
 * (text_str), and a buffer need not end in a NUL. */
START_TEST(test_span_at_end)
{
	size_t len;
	char *min;
	ck_assert_int_eq(
		load_read(arena, unit_path(arena, UNIT_MINIMAL), &min, &len),
		0);
	const char *weights = strstr(min, "\nweights:");
	ck_assert_ptr_nonnull(weights);
	/* the weights first: the file ends with the last knowledge item's
	 * text, and no line end */
	size_t head = (size_t)(weights - min), tail = len - head - 1;
	len = head + tail;
	char *src = malloc(len);
	ck_assert_ptr_nonnull(src);
	memcpy(src, weights + 1, tail);
	memcpy(src + tail, min, head);
	const struct standard *s =
		model_stream(arena, diag, "x.yaml", src, len);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(diag_errors(diag), 0);
	const struct item *k = &s->contents[0]->knowledge[0];
	ck_assert_uint_eq(k->text.at.off + k->text.at.raw_len, len);
	ck_assert(k->text.s < src || k->text.s >= src + len);
	ck_assert_str_eq(text_str(arena, &k->text), "车辆检查项目");
	/* the skill's, before it, is a span */
	const struct item *sk = &s->contents[0]->skills[0];
	ck_assert_ptr_eq(sk->text.s, src + sk->text.at.off);
	ck_assert_str_eq(text_str(arena, &sk->text), "能检查车辆");
	free(src);
}
END_TEST

static Suite *
model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc;

	tc = tcase_create("minimal");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_minimal);
	tcase_add_loop_test(tc, test_accepted, 0,
			    sizeof accept_cases / sizeof *accept_cases);
	suite_add_tcase(s, tc);

	tc = tcase_create("stream");
	tcase_add_checked_fixture(tc, setup, teardown);
	/* The corpus, read both ways: 3 s under ASan on an idle machine,
	 * Check's default of 4 s when it is busy. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_stream_corpus);
	tcase_add_loop_test(tc, test_stream_cases, 0,
			    sizeof stream_cases / sizeof *stream_cases);
	tcase_add_loop_test(tc, test_spans, 0,
			    sizeof span_cases / sizeof *span_cases);
	tcase_add_test(tc, test_span_at_end);
	suite_add_tcase(s, tc);

	tc = tcase_create("levels");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_five_levels);
	tcase_add_loop_test(tc, test_covers, 0,
			    sizeof covers_cases / sizeof *covers_cases);
	tcase_add_loop_test(tc, test_forest_covers, 0,
			    sizeof forest_cases / sizeof *forest_cases);
	tcase_add_test(tc, test_forest_order);
	suite_add_tcase(s, tc);

	tc = tcase_create("contents");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_content);
	tcase_add_loop_test(tc, test_find_content, 0,
			    sizeof find_cases / sizeof *find_cases);
	suite_add_tcase(s, tc);

	tc = tcase_create("national");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_national);
	tcase_add_test(tc, test_national_routes);
	tcase_add_loop_test(tc, test_national_find, 0,
			    sizeof find_branch_cases /
				    sizeof *find_branch_cases);
	tcase_add_test(tc, test_national_cells);
	tcase_add_test(tc, test_branches_at_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("weights");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_cells, 0,
			    sizeof cell_cases / sizeof *cell_cases);
	tcase_add_test(tc, test_weight_tables);
	tcase_add_test(tc, test_basic_requirements);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_enums);
	tcase_add_loop_test(tc, test_experience_months, 0,
			    sizeof months_cases / sizeof *months_cases);
	tcase_add_test(tc, test_assessment);
	tcase_add_test(tc, test_duration_levels);
	suite_add_tcase(s, tc);

	tc = tcase_create("refused");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_refused, 0,
			    sizeof refusals / sizeof *refusals);
	tcase_add_test(tc, test_refused_all_reported);
	suite_add_tcase(s, tc);

	tc = tcase_create("key order");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_shape_names_unique);
	tcase_add_loop_test(tc, test_keys_any_order, 0,
			    sizeof any_order_cases / sizeof *any_order_cases);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(model_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
