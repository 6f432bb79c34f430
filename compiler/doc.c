/*
 * doc.c - the printed order of a standard, for the document outputs.
 *
 * Takes: a checked model and a writer (struct doc_ops). Gives: the
 * writer's calls, in the order the standard is printed in either layout:
 * the covering notice (when asked for), the foreword under its heading
 * (前言, or the source's: 说明), then the chapters: a group standard's
 * 1 范围 to 7 权重表, a national standard's 1 职业概况 to 4 权重表, each
 * clause's heading at its depth in the model's nesting, its paragraphs,
 * labelled items and tables. Both document emitters (Markdown and Word)
 * walk the standard through here, so they print the same things in the
 * same order and differ only in how. The cover, which each lays out its
 * own way, and the cumulative appendix, which is a table of each, are
 * theirs.
 *
 * Nothing is made up: a chapter, clause or text the source does not have
 * makes no call, and a heading with neither number nor title (a clause
 * printed under no heading) is not called for.
 */
#include "skillc.h"

#include <string.h>

#include "document_words.h"

struct doc {
	const struct doc_ops *ops;
	void *ctx;
};

static void
doc_heading(const struct doc *d, size_t depth, const struct text *clause,
	    const struct text *title)
{
	if (clause->len || title->len)
		d->ops->heading(d->ctx, depth, clause, title);
}

static void
doc_para(const struct doc *d, enum doc_para kind, const struct text *t)
{
	if (t->len)
		d->ops->para(d->ctx, kind, t);
}

static void
doc_paras(const struct doc *d, const struct text *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		doc_para(d, DOC_BODY, &t[i]);
}

static void
doc_items(const struct doc *d, const struct labelled *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (items[i].label.len || items[i].text.len)
			d->ops->item(d->ctx, &items[i].label, &items[i].text);
}

static void
doc_front_heading(const struct doc *d, const struct text *title)
{
	if (title->len)
		d->ops->front_heading(d->ctx, title);
}

static void
doc_notice(const struct doc *d, const struct notice *n)
{
	if (!n->at.given)
		return;
	doc_front_heading(d, &n->title);
	doc_para(d, DOC_PLAIN, &n->number);
	doc_para(d, DOC_PLAIN, &n->addressee);
	doc_paras(d, n->paragraphs, n->n_paragraphs);
	doc_paras(d, n->contacts, n->n_contacts);
	doc_paras(d, n->attachments, n->n_attachments);
	doc_para(d, DOC_RIGHT, &n->signature);
	doc_para(d, DOC_RIGHT, &n->date);
	doc_paras(d, n->footer, n->n_footer);
}

/* The foreword under its heading as printed (说明), or the layout's;
 * an empty foreword_title prints none. */
static void
doc_foreword(const struct doc *d, const struct meta *m)
{
	if (!m->n_foreword)
		return;
	const char *word = doc_words[WORD_FOREWORD];
	struct text layout = { word, strlen(word), { 0 } };
	doc_front_heading(d,
			  m->foreword_title.s ? &m->foreword_title : &layout);
	doc_paras(d, m->foreword, m->n_foreword);
}

/* Scope, normative references and terms: each where the document has
 * the chapter (a national standard has none of them). */
static void
doc_chapters_1_3(const struct doc *d, const struct standard *s)
{
	if (s->scope.at.given) {
		doc_heading(d, 1, &s->scope.clause, &s->scope.title);
		doc_paras(d, s->scope.paragraphs, s->scope.n_paragraphs);
	}
	const struct paragraphs *nr = &s->normative_references;
	if (nr->at.given) {
		doc_heading(d, 1, &nr->clause, &nr->title);
		doc_paras(d, nr->paragraphs, nr->n_paragraphs);
		doc_paras(d, nr->documents, nr->n_documents);
	}
	if (!s->terms.at.given)
		return;
	doc_heading(d, 1, &s->terms.clause, &s->terms.title);
	doc_para(d, DOC_BODY, &s->terms.intro);
	for (size_t i = 0; i < s->terms.n_entries; i++) {
		d->ops->term(d->ctx, &s->terms.entries[i]);
		doc_para(d, DOC_BODY, &s->terms.entries[i].definition);
	}
}

/* One level's conditions: under its own clause, or (clause and title
 * absent) as a paragraph of the one clause for every level. */
static void
doc_eligibility(const struct doc *d, const struct eligibility *e, size_t depth)
{
	doc_heading(d, depth, &e->clause, &e->title);
	doc_para(d, DOC_BODY, &e->intro);
	for (size_t i = 0; i < e->n_routes; i++) {
		const struct route *r = &e->routes[i];
		if (r->label.len || r->text.len)
			d->ops->item(d->ctx, &r->label, &r->text);
	}
}

static void
doc_assessment(const struct doc *d, const struct assessment *as)
{
	const struct methods_clause *m = &as->methods;
	doc_heading(d, 3, &m->clause, &m->title);
	doc_para(d, DOC_BODY, &m->intro);
	for (size_t i = 0; i < m->n_items; i++)
		if (m->items[i].label.len || m->items[i].text.len)
			d->ops->item(d->ctx, &m->items[i].label,
				     &m->items[i].text);
	doc_heading(d, 3, &as->pass_score.clause, &as->pass_score.title);
	doc_para(d, DOC_BODY, &as->pass_score.text);
	doc_heading(d, 3, &as->ratios.clause, &as->ratios.title);
	doc_para(d, DOC_BODY, &as->ratios.text);
	doc_heading(d, 3, &as->durations.clause, &as->durations.title);
	doc_para(d, DOC_BODY, &as->durations.text);
	const struct venues_clause *v = &as->venues;
	doc_heading(d, 3, &v->clause, &v->title);
	doc_para(d, DOC_BODY, &v->intro);
	for (size_t i = 0; i < v->n_items; i++)
		if (v->items[i].label.len || v->items[i].text.len)
			d->ops->item(d->ctx, &v->items[i].label,
				     &v->items[i].text);
}

static void
doc_section(const struct doc *d, const struct section *sec, size_t depth)
{
	doc_heading(d, depth, &sec->clause, &sec->title);
	doc_para(d, DOC_BODY, &sec->intro);
	doc_items(d, sec->items, sec->n_items);
	doc_para(d, DOC_BODY, &sec->text);
	for (size_t i = 0; i < sec->n_sections; i++)
		doc_section(d, &sec->sections[i], depth + 1);
}

/* A clause of the occupation with one text, where the document has it. */
static void
doc_clause_text(const struct doc *d, const struct clause_text *c)
{
	if (!c->at.given)
		return;
	doc_heading(d, 2, &c->clause, &c->title);
	doc_para(d, DOC_BODY, &c->text);
}

/* 职业概况: the clauses the document has, in the printed order; 职业名称
 * is a clause whose body is the occupation's name. */
static void
doc_occupation(const struct doc *d, const struct standard *s)
{
	const struct occupation *o = &s->occupation;
	doc_heading(d, 1, &o->clause, &o->title);
	if (o->name_clause.at.given) {
		doc_heading(d, 2, &o->name_clause.clause,
			    &o->name_clause.title);
		doc_para(d, DOC_BODY, &o->name);
	}
	doc_clause_text(d, &o->code);
	doc_clause_text(d, &o->definition);
	doc_clause_text(d, &o->levels);
	doc_clause_text(d, &o->environment);
	doc_clause_text(d, &o->abilities);
	if (o->education.at.given) {
		doc_heading(d, 2, &o->education.clause, &o->education.title);
		doc_para(d, DOC_BODY, &o->education.text);
	}
	if (o->training.at.given)
		doc_section(d, &o->training, 2);
	doc_heading(d, 2, &o->assessment.clause, &o->assessment.title);
	size_t depth = 3;
	if (o->eligibility.at.given) {
		doc_heading(d, 3, &o->eligibility.clause,
			    &o->eligibility.title);
		depth = 4;
	}
	for (size_t i = 0; i < s->n_eligibility; i++)
		doc_eligibility(d, &s->eligibility[i], depth);
	doc_assessment(d, &s->assessment);
}

static void
doc_basic(const struct doc *d, const struct basic_requirements *b)
{
	doc_heading(d, 1, &b->clause, &b->title);
	for (size_t i = 0; i < b->n_sections; i++)
		doc_section(d, &b->sections[i], 2);
}

/* The chapter's sentence, its general clause if any, then every table
 * under its clause, a level's branch tables under the level's heading,
 * printed once over them (3.4 二级/技师 over 3.4.1 and 3.4.2). */
static void
doc_work(const struct doc *d, const struct work_requirements *w)
{
	doc_heading(d, 1, &w->clause, &w->title);
	doc_para(d, DOC_BODY, &w->intro);
	if (w->general.at.given) {
		doc_heading(d, 2, &w->general.clause, &w->general.title);
		doc_para(d, DOC_BODY, &w->general.text);
	}
	const struct clause_head *open = NULL; /* the heading printed last */
	for (size_t i = 0; i < w->n_tables; i++) {
		const struct work_table *t = &w->tables[i];
		const struct clause_head *h = &t->heading;
		if (h->at.given &&
		    !(open && text_eq(&open->clause, &h->clause) &&
		      text_eq(&open->title, &h->title)))
			doc_heading(d, 2, &h->clause, &h->title);
		open = h->at.given ? h : NULL;
		doc_heading(d, h->at.given ? 3 : 2, &t->clause, &t->title);
		doc_para(d, DOC_BODY, &t->intro);
		d->ops->work_table(d->ctx, t);
	}
}

static void
doc_weight_table(const struct doc *d, const struct weight_table *t,
		 size_t depth)
{
	doc_heading(d, depth, &t->clause, &t->title);
	doc_para(d, DOC_BODY, &t->intro);
	d->ops->weight_table(d->ctx, t);
}

/* Tables in sections (7.1 初级…), then tables directly under the chapter
 * (4.1 理论知识权重表). */
static void
doc_weights(const struct doc *d, const struct weights *w)
{
	doc_heading(d, 1, &w->clause, &w->title);
	for (size_t i = 0; i < w->n_sections; i++) {
		const struct weight_section *sec = &w->sections[i];
		doc_heading(d, 2, &sec->clause, &sec->title);
		for (size_t j = 0; j < sec->n_tables; j++)
			doc_weight_table(d, &sec->tables[j], 3);
	}
	for (size_t j = 0; j < w->n_tables; j++)
		doc_weight_table(d, &w->tables[j], 2);
}

void
doc_walk(const struct unit *u, const struct doc_ops *ops, void *ctx)
{
	const struct standard *s = u->std;
	const struct doc d = { ops, ctx };
	if (u->parts & PART_NOTICE)
		doc_notice(&d, &s->notice);
	doc_foreword(&d, &s->meta);
	ops->front_end(ctx);
	doc_chapters_1_3(&d, s);
	doc_occupation(&d, s);
	doc_basic(&d, &s->basic_requirements);
	doc_work(&d, &s->work_requirements);
	doc_weights(&d, &s->weights);
}

bool
doc_bare_label(const struct text *label)
{
	for (size_t i = 0; i < label->len; i++) {
		char c = label->s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9')))
			return false;
	}
	return label->len > 0;
}

const struct text *
doc_chain_head(const struct level *level, size_t i)
{
	static const struct text none = { "", 0, { 0 } };
	for (size_t d = level->n_chain; d-- > 0;) {
		const struct work_table *t = level->chain[d]->work;
		if (t && i < t->n_header)
			return &t->header[i];
	}
	return &none;
}
