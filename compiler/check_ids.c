/*
 * check_ids.c - the printed numbering of the work-requirements tables.
 *
 * Takes: the tables as printed (IDs kept even where wrong). Gives: IDs of
 * the right form and depth, unique within their table, numbered under
 * their parent (items of 2.1 are 2.1.x), consecutive from 1 among
 * siblings; work contents with skill and knowledge items; work-content
 * keys unique within a level and branch (a branch's tables and the shared
 * ones of the level); and an occupation code (职业编码) of the printed form
 * d-dd-dd-dd. Every walk visits each ID once.
 */
#include "skillc.h"

#include <limits.h>
#include <string.h>

/* The number of dot-separated components of a well-formed ID, or 0. */
static size_t
id_depth(const struct text *id)
{
	size_t depth = 1, run = 0;
	for (size_t i = 0; i < id->len; i++) {
		char ch = id->s[i];
		if (ch == '.') {
			if (run == 0)
				return 0;
			depth++, run = 0;
		} else if (ch >= '0' && ch <= '9') {
			if (run == 1 && id->s[i - 1] == '0')
				return 0; /* a leading zero */
			run++;
		} else {
			return 0;
		}
	}
	return run ? depth : 0;
}

/* The last component of a well-formed ID, saturating. */
static unsigned long
id_last(const struct text *id)
{
	size_t start = 0;
	for (size_t i = 0; i < id->len; i++)
		if (id->s[i] == '.')
			start = i + 1;
	unsigned long v = 0;
	for (size_t i = start; i < id->len; i++)
		v = v > 100000000 ? v
				  : v * 10 + (unsigned long)(id->s[i] - '0');
	return v;
}

/* Whether id is parent followed by one more component. */
static bool
id_under(const struct text *id, const struct text *parent)
{
	return id->len > parent->len + 1 &&
	       !memcmp(id->s, parent->s, parent->len) &&
	       id->s[parent->len] == '.' &&
	       !memchr(id->s + parent->len + 1, '.', id->len - parent->len - 1);
}

/* Every numbered thing of the work tables, as the walk presents it. */
enum id_kind { ID_CAPABILITY, ID_CONTENT, ID_SKILL, ID_KNOWLEDGE, ID_KINDS };

struct numbered {
	enum id_kind kind;
	const struct text *id;
	const struct text *parent; /* the parent's ID; NULL for capabilities */
	struct place parent_at;
	size_t nth; /* 1-based place among its siblings */
	const struct work_table *table;
};

static const char *const id_kind_names[] = {
	/* TRANSLATORS: the numbered things of a work-requirements table
	 * (职业功能, 工作内容, 技能要求, 相关知识要求), in "%s ID '%s' is not
	 * of the form '%s'" and the like. */
	[ID_CAPABILITY] = N_("capability"),
	[ID_CONTENT] = N_("work content"),
	[ID_SKILL] = N_("skill item"),
	[ID_KNOWLEDGE] = N_("knowledge item"),
};

/* The word of a kind, in messages. */
static const char *
kind_word(enum id_kind kind)
{
	return _(id_kind_names[kind]);
}

static const size_t id_depths[] = { 1, 2, 3, 3 };

/* Whether an ID is well formed and as deep as its kind wants: the other
 * numbering checks judge only those (id-form reports the rest). */
static bool
id_ok(const struct text *id, enum id_kind kind)
{
	return id_depth(id) == id_depths[kind];
}

typedef void visit_fn(const struct checker *c, const struct numbered *x,
		      void *ctx);

static void
visit_items(const struct checker *c, visit_fn *fn, void *ctx,
	    struct numbered *x, const struct content *ct)
{
	x->parent = &ct->id;
	x->parent_at = ct->at;
	x->kind = ID_SKILL;
	for (size_t k = 0; k < ct->n_skills; k++) {
		x->id = &ct->skills[k].id, x->nth = k + 1;
		fn(c, x, ctx);
	}
	x->kind = ID_KNOWLEDGE;
	for (size_t k = 0; k < ct->n_knowledge; k++) {
		x->id = &ct->knowledge[k].id, x->nth = k + 1;
		fn(c, x, ctx);
	}
}

/* A table's IDs in order: a capability, then each of its contents
 * followed by its skill and knowledge items. */
static void
visit_table(const struct checker *c, const struct work_table *t, visit_fn *fn,
	    void *ctx)
{
	for (size_t i = 0; i < t->n_capabilities; i++) {
		const struct capability *cap = &t->capabilities[i];
		struct numbered x = {
			.kind = ID_CAPABILITY,
			.id = &cap->id,
			.nth = i + 1,
			.table = t,
		};
		fn(c, &x, ctx);
		for (size_t j = 0; j < cap->n_contents; j++) {
			const struct content *ct = &cap->contents[j];
			x.kind = ID_CONTENT, x.id = &ct->id, x.nth = j + 1;
			x.parent = &cap->id, x.parent_at = cap->at;
			fn(c, &x, ctx);
			visit_items(c, fn, ctx, &x, ct);
		}
	}
}

/* Every table's, in order. */
static void
visit_ids(const struct checker *c, visit_fn *fn, void *ctx)
{
	const struct work_requirements *w = &c->std->work_requirements;
	for (size_t t = 0; t < w->n_tables; t++)
		visit_table(c, &w->tables[t], fn, ctx);
}

static void
form_one(const struct checker *c, const struct numbered *x, void *ctx)
{
	static const char *const examples[] = { "1", "1.2", "1.2.3", "1.2.3" };
	(void)ctx;
	if (!id_ok(x->id, x->kind))
		diag_report(c->diag, RULE_ID_FORM, check_loc(c, x->id->at),
			    /* TRANSLATORS: "capability", "work content", "skill
			     * item" or "knowledge item"; the ID; an example of
			     * the form. */
			    "%s ID '%s' is not of the form '%s'",
			    kind_word(x->kind), x->id->s, examples[x->kind]);
}

void
check_id_form(const struct checker *c)
{
	visit_ids(c, form_one, NULL);
}

/* The order of two well-formed IDs as tuples of numbers: component by
 * component, a longer run of digits the larger (no leading zeros), then
 * the shorter ID the smaller. Two IDs are equal in it only when they are
 * the same bytes. */
static int
id_cmp(const struct text *a, const struct text *b)
{
	size_t i = 0, j = 0;
	while (i < a->len && j < b->len) {
		size_t ea = i, eb = j;
		while (ea < a->len && a->s[ea] != '.')
			ea++;
		while (eb < b->len && b->s[eb] != '.')
			eb++;
		if (ea - i != eb - j)
			return ea - i < eb - j ? -1 : 1;
		int c = memcmp(a->s + i, b->s + j, ea - i);
		if (c)
			return c;
		i = ea + 1, j = eb + 1;
	}
	return (i < a->len) - (j < b->len);
}

/* A table's IDs of each kind: how many, and whether, in the walk's
 * order, each is well formed and greater than the one before it. Then
 * they are all different, and the kind needs no hash table (a hash of IDs
 * past the cache is a miss an ID: 4% of check's time at 125 MB). */
struct survey {
	size_t count[ID_KINDS];
	const struct text *last[ID_KINDS];
	bool ascending[ID_KINDS];
};

static void
survey_one(const struct checker *c, const struct numbered *x, void *ctx)
{
	struct survey *v = ctx;
	(void)c;
	v->count[x->kind]++;
	if (v->ascending[x->kind] &&
	    (!id_depth(x->id) ||
	     (v->last[x->kind] && id_cmp(v->last[x->kind], x->id) >= 0)))
		v->ascending[x->kind] = false;
	v->last[x->kind] = x->id;
}

static void
dup_one(const struct checker *c, const struct numbered *x, void *ctx)
{
	struct hash *const *seen = ctx;
	if (!seen[x->kind])
		return; /* ascending: all different */
	const struct text *first =
		hash_put(seen[x->kind], x->id->s, x->id->len, (void *)x->id);
	if (!first)
		return;
	diag_report(
		c->diag, RULE_ID_DUPLICATE, check_loc(c, x->id->at),
		/* TRANSLATORS: "capability", "work content", "skill item" or
		 * "knowledge item"; the ID; the table's number or caption. */
		"%s ID '%s' appears twice in %s", kind_word(x->kind), x->id->s,
		model_work_table_name(x->table));
	diag_note(c->diag, check_loc(c, first->at), "first used here");
}

void
check_id_duplicate(const struct checker *c)
{
	const struct work_requirements *w = &c->std->work_requirements;
	for (size_t t = 0; t < w->n_tables; t++) {
		struct survey v = { .ascending = { true, true, true, true } };
		visit_table(c, &w->tables[t], survey_one, &v);
		/* each kind's table made for all the IDs it will hold, so
		 * that none grows */
		struct hash *seen[ID_KINDS] = { NULL };
		for (int k = 0; k < ID_KINDS; k++)
			if (!v.ascending[k])
				seen[k] = hash_new(c->arena, v.count[k]);
		visit_table(c, &w->tables[t], dup_one, seen);
		for (int k = 0; k < ID_KINDS; k++)
			hash_drop(seen[k]);
	}
}

static void
numbering_one(const struct checker *c, const struct numbered *x, void *ctx)
{
	(void)ctx;
	if (!x->parent || !id_ok(x->id, x->kind) ||
	    !id_ok(x->parent,
		   x->kind == ID_CONTENT ? ID_CAPABILITY : ID_CONTENT) ||
	    id_under(x->id, x->parent))
		return;
	const char *parent =
		kind_word(x->kind == ID_CONTENT ? ID_CAPABILITY : ID_CONTENT);
	diag_report(
		c->diag, RULE_ITEM_NUMBERING, check_loc(c, x->id->at),
		/* TRANSLATORS: "work content", "skill item" or "knowledge item"
		 * and its ID; "capability" or "work content" and its ID. */
		"%s '%s' is numbered outside its %s '%s'", kind_word(x->kind),
		x->id->s, parent, x->parent->s);
	/* TRANSLATORS: "capability" or "work content", its ID. */
	diag_note(c->diag, check_loc(c, x->parent_at), "%s '%s' starts here",
		  parent, x->parent->s);
}

void
check_item_numbering(const struct checker *c)
{
	visit_ids(c, numbering_one, NULL);
}

#define SEQUENCE_UNKNOWN ULONG_MAX /* after an ID id-form rejects */

static void
sequence_one(const struct checker *c, const struct numbered *x, void *ctx)
{
	unsigned long *prev = ctx; /* last number seen, per kind */
	if (x->nth == 1)
		prev[x->kind] = 0;
	if (!id_ok(x->id, x->kind)) {
		prev[x->kind] = SEQUENCE_UNKNOWN;
		return;
	}
	unsigned long n = id_last(x->id);
	if (prev[x->kind] != SEQUENCE_UNKNOWN && n != prev[x->kind] + 1) {
		if (x->nth == 1)
			diag_report(
				c->diag, RULE_ID_SEQUENCE,
				check_loc(c, x->id->at),
				/* TRANSLATORS: "capability", "work content",
				 * "skill item" or "knowledge item"; its ID. */
				"the first %s is numbered '%s'; numbering starts from 1",
				kind_word(x->kind), x->id->s);
		else
			diag_report(
				c->diag, RULE_ID_SEQUENCE,
				check_loc(c, x->id->at),
				/* TRANSLATORS: "capability", "work content",
				 * "skill item" or "knowledge item"; its ID; the
				 * number before it; the number expected. */
				"%s '%s' follows number %lu; expected %lu",
				kind_word(x->kind), x->id->s, prev[x->kind],
				prev[x->kind] + 1);
	}
	prev[x->kind] = n;
}

void
check_id_sequence(const struct checker *c)
{
	unsigned long prev[ID_KINDS] = { 0 };
	visit_ids(c, sequence_one, prev);
}

static void
empty_one(const struct checker *c, const struct content *ct)
{
	if (!ct->n_skills)
		diag_report(c->diag, RULE_EMPTY_CONTENT, check_loc(c, ct->at),
			    "work content '%s' (%s) has no skill items",
			    ct->id.s, text_str(c->arena, &ct->name));
	if (!ct->n_knowledge)
		diag_report(c->diag, RULE_EMPTY_CONTENT, check_loc(c, ct->at),
			    "work content '%s' (%s) has no knowledge items",
			    ct->id.s, text_str(c->arena, &ct->name));
}

void
check_empty_content(const struct checker *c)
{
	for (size_t i = 0; i < c->std->n_contents; i++)
		empty_one(c, c->std->contents[i]);
}

/* Keys within each table. A level and branch (the namespace of
 * level.own: "key" for the shared tables, "branch/key" for a branch's)
 * has one table where work-table is satisfied, so per table is per level
 * and branch; two tables of one namespace are work-table's to report, and
 * the keys they share are not reported again. */
static void
key_one(const struct checker *c, const struct content *ct, struct hash *h)
{
	const struct content *first =
		hash_put(h, ct->key.s, ct->key.len, (void *)ct);
	if (!first)
		return;
	diag_report(c->diag, RULE_CONTENT_KEY_DUPLICATE,
		    check_loc(c, ct->key.at),
		    "work content key '%s' is used twice in %s", ct->key.s,
		    model_work_table_name(ct->capability->table));
	diag_note(c->diag, check_loc(c, first->key.at), "first used here");
}

void
check_content_key_duplicate(const struct checker *c)
{
	const struct work_requirements *w = &c->std->work_requirements;
	for (size_t t = 0; t < w->n_tables; t++) {
		const struct work_table *wt = &w->tables[t];
		struct hash *h = hash_new(c->arena, wt->n_contents);
		for (size_t k = 0; k < wt->n_contents; k++)
			key_one(c, wt->contents[k], h);
		hash_drop(h);
	}
}

/* ---- the occupation code ------------------------------------------------ */

#define CODE_SEPARATOR "\u3001" /* 、 */

/* Whether s[0..len) is d-dd-dd-dd. */
static bool
code_ok(const char *s, size_t len)
{
	static const char form[] = "d-dd-dd-dd";
	if (len != sizeof form - 1)
		return false;
	for (size_t i = 0; i < len; i++)
		if (form[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != '-')
			return false;
	return true;
}

/* Each code of occupation.code.text (职业编码): one, or several separated
 * by "、", each d-dd-dd-dd; a malformed one reported where it starts. */
void
check_occupation_code(const struct checker *c)
{
	const struct text *code = &c->std->occupation.code.text;
	if (!code->at.given)
		return;
	const size_t seplen = sizeof CODE_SEPARATOR - 1;
	size_t start = 0;
	for (;;) {
		const char *sep = NULL;
		for (size_t i = start; i + seplen <= code->len && !sep; i++)
			if (!memcmp(code->s + i, CODE_SEPARATOR, seplen))
				sep = code->s + i;
		size_t end = sep ? (size_t)(sep - code->s) : code->len;
		if (!code_ok(code->s + start, end - start))
			diag_report(
				c->diag, RULE_OCCUPATION_CODE,
				text_position(c->diag, c->std->file,
					      c->std->buf, code, start),
				"occupation code '%.*s' is not of the form d-dd-dd-dd (several codes are separated by '%s')",
				(int)(end - start), code->s + start,
				CODE_SEPARATOR);
		if (!sep)
			break;
		start = end + seplen;
	}
}
