/*
 * emit_c.c - model -> a C header.
 *
 * Takes: a checked model and the names cname_build chose. Gives: one
 * header, pure ASCII, that C99 to C2x and C++17 compile without a warning
 * and that any number of translation units may include: the data lives in
 * static locals of one static inline function, so nothing is defined
 * twice and nothing unused is reported. Weight columns are X-macros used
 * both by the arrays and by static assertions, so a consumer's build
 * re-checks that each sums to 100. Every text is a string literal with
 * octal escapes for everything but printable ASCII, '\?' against
 * trigraphs and no raw '*' before '/', so no text can end a comment,
 * splice a line or reorder the source; the texts it writes are those of
 * the fields the shapes flag FIELD_C, whose length cname checked; an
 * absent text is a null pointer. The shared enumerations are made of the
 * model's tables of names (education_names...), the arrays of its index
 * (every capability, work content and weight table, each level's tables
 * along its chain, shared and of every branch, and weight columns). A
 * cell printed "—" weighs 0 and is marked in the table's dashes, so that
 * sums and static assertions hold as printed. Fails only when out of
 * memory.
 */
#include "skillc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cw {
	struct strbuf *out;
	const struct standard *std;
	const struct cnames *names;
};

/* A string literal holding exactly the bytes of t. Written in place: a
 * byte takes at most four characters. Bytes past ASCII, most of Chinese
 * text, are octal at the first test. */
static void
c_string(struct strbuf *out, const char *s, size_t len)
{
	if (len > (SIZE_MAX - 3) / 4)
		die_oom();
	strbuf_grow(out, 4 * len + 2);
	char *o = out->buf + out->len;
	*o++ = '"';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80 &&
		    (c == '"' || c == '\\' || c == '?' || c == '\n')) {
			*o++ = '\\';
			*o++ = c == '\n' ? 'n' : (char)c;
		} else if (c >= 0x7f || c < 0x20 ||
			   (c == '*' && i + 1 < len && s[i + 1] == '/')) {
			*o++ = '\\';
			*o++ = (char)('0' + (c >> 6));
			*o++ = (char)('0' + (c >> 3 & 7));
			*o++ = (char)('0' + (c & 7));
		} else {
			*o++ = (char)c;
		}
	}
	*o++ = '"';
	*o = '\0';
	out->len = (size_t)(o - out->buf);
}

static void
c_text(struct cw *w, const struct text *t)
{
	if (t->s)
		c_string(w->out, t->s, t->len);
	else
		strbuf_adds(w->out, "0");
}

/* An enumerator list: NAME = i, ..., COUNT = n. */
static void
c_enum(struct cw *w, const char *what, const char *const *names, size_t n,
       const char *count)
{
	strbuf_addf(w->out, "/* %s */\nenum {\n", what);
	for (size_t i = 0; i < n; i++)
		strbuf_addf(w->out, "\t%s = %zu,\n", names[i], i);
	strbuf_addf(w->out, "\t%s_%s = %zu\n};\n\n", w->names->upper, count, n);
}

/* SKILLC_<infix><NAME>: a value of one of the model's tables of names
 * (education_names...), upper-cased, '-' as '_'. */
static void
c_enumerator(struct strbuf *out, const char *infix, const char *name)
{
	strbuf_addf(out, "SKILLC_%s", infix);
	for (; *name; name++)
		strbuf_addc(out, *name == '-'
					 ? '_'
					 : (char)toupper((unsigned char)*name));
}

/* The enumeration of the shared types for a table of names, on one line
 * or one enumerator a line. */
static void
c_shared_enum(struct strbuf *out, const char *tag, const char *infix,
	      const char *const *names, bool one_line)
{
	strbuf_addf(out, "enum skillc_%s {%s", tag, one_line ? " " : "\n");
	for (size_t i = 0; names[i]; i++) {
		if (!one_line)
			strbuf_addc(out, '\t');
		c_enumerator(out, infix, names[i]);
		strbuf_addf(out, " = %zu%s", i,
			    !names[i + 1] ? ""
			    : one_line	  ? ", "
					  : ",\n");
	}
	strbuf_adds(out, one_line ? " };\n" : "\n};\n");
}

static const char shared_types_open[] =
	"/* The types every skillc header shares, version 2. */\n"
	"#ifndef SKILLC_TYPES_2\n"
	"#define SKILLC_TYPES_2\n"
	"#ifdef __cplusplus\n"
	"extern \"C\" {\n"
	"#endif\n"
	"\n";

/* After the enumerations made of the model's tables of names. */
static const char shared_types[] =
	"\n"
	"/* Texts are null pointers where the source gives none. */\n"
	"\n"
	"/* Levels in rank order, lowest first; includes: the level it\n"
	" * includes, -1 for none. */\n"
	"struct skillc_level {\n"
	"\tconst char *key;\n"
	"\tconst char *name;\n"
	"\tint includes;\n"
	"};\n"
	"\n"
	"/* A branch (a trade or direction) with work tables of its own. */\n"
	"struct skillc_branch {\n"
	"\tconst char *key;\n"
	"\tconst char *name;\n"
	"};\n"
	"\n"
	"/* branch: the branch whose table holds it, -1 for a table every\n"
	" * branch shares. */\n"
	"struct skillc_capability {\n"
	"\tconst char *key;\n"
	"\tconst char *id;\n"
	"\tconst char *name;\n"
	"\tint level;\n"
	"\tint branch;\n"
	"\tint first_content, content_count;\n"
	"};\n"
	"\n"
	"struct skillc_content {\n"
	"\tconst char *key;\n"
	"\tconst char *id;\n"
	"\tconst char *name;\n"
	"\tint level; /* the level that introduced it */\n"
	"\tint capability;\n"
	"\tint first_skill, skill_count;\n"
	"\tint first_knowledge, knowledge_count;\n"
	"};\n"
	"\n"
	"struct skillc_item {\n"
	"\tconst char *id;\n"
	"\tconst char *text;\n"
	"\tint level; /* the level that introduced it */\n"
	"\tint content;\n"
	"};\n"
	"\n"
	"/* What a level requires: the contents and items of every work table\n"
	" * of its own and of every level it includes, shared and of each\n"
	" * branch, lowest level first (indexes), and its first weight column\n"
	" * of each kind (table -1 and weights 0 where it has none). */\n"
	"struct skillc_view {\n"
	"\tint content_count, skill_count, knowledge_count;\n"
	"\tconst int *contents;\n"
	"\tconst int *skills;\n"
	"\tconst int *knowledge;\n"
	"\tint theory_table, skills_table;\n"
	"\tconst int *theory, *skills_weights;\n"
	"};\n"
	"\n"
	"struct skillc_basic {\n"
	"\tconst char *key;\n"
	"\tconst char *title;\n"
	"};\n"
	"\n";

/* The rest of them (a string literal C99 promises holds 4095 bytes). */
static const char shared_types_more[] =
	"/* A row weighs a basic requirement (basic >= 0), the capability with\n"
	" * capability_key or the work content with content_key;\n"
	" * capabilities[row * column_count + column] and contents[...] are\n"
	" * the capability and the content weighed at that column's level and\n"
	" * branch, -1 for none. */\n"
	"struct skillc_row {\n"
	"\tconst char *group;\n"
	"\tconst char *label;\n"
	"\tint basic;\n"
	"\tconst char *capability_key;\n"
	"\tconst char *content_key;\n"
	"};\n"
	"\n"
	"/* A weight table under its heading (clause, title), with its number\n"
	" * and caption where printed. Per column: its level, its branch (-1:\n"
	" * the level's shared tables), its weights per row, and dashes per\n"
	" * row: 1 where the cell is printed as a dash (not at this level;\n"
	" * its weight is 0). */\n"
	"struct skillc_table {\n"
	"\tconst char *clause;\n"
	"\tconst char *title;\n"
	"\tconst char *number;\n"
	"\tconst char *caption;\n"
	"\tint kind;\n"
	"\tint column_count, row_count;\n"
	"\tconst int *levels;\n"
	"\tconst int *branches;\n"
	"\tconst int *const *weights;\n"
	"\tconst unsigned char *const *dashes;\n"
	"\tconst struct skillc_row *rows;\n"
	"\tconst int *capabilities;\n"
	"\tconst int *contents;\n"
	"};\n"
	"\n"
	"struct skillc_method {\n"
	"\tconst char *key;\n"
	"\tconst char *name;\n"
	"\tint level_count; /* 0: every level */\n"
	"\tconst int *levels;\n"
	"};\n"
	"\n"
	"/* An eligibility route; -1 where the source gives no number, the\n"
	" * default where it gives no choice (experience_counted:\n"
	" * after-certificate when the route names a certificate), 0 where it\n"
	" * gives no flag. */\n"
	"struct skillc_route {\n"
	"\tint level;\n"
	"\tconst char *label;\n"
	"\tconst char *text;\n"
	"\tint certificate;\n"
	"\tint experience_months;\n"
	"\tint experience_counted;\n"
	"\tint experience_field;\n"
	"\tint education;\n"
	"\tint diploma;\n"
	"\tint apprenticeship;\n"
	"\tint min_age;\n"
	"\tint professional_title;\n"
	"};\n"
	"\n"
	"/* The least time of a method: at the levels listed, or at every\n"
	" * level where level_count is 0. */\n"
	"struct skillc_duration {\n"
	"\tint method;\n"
	"\tint minutes;\n"
	"\tint level_count;\n"
	"\tconst int *levels;\n"
	"};\n"
	"\n"
	"/* staff per candidates, at least min_staff (per room), an odd\n"
	" * number; 0 where the source gives no value. */\n"
	"struct skillc_ratio {\n"
	"\tint method;\n"
	"\tconst char *role;\n"
	"\tint staff, candidates, min_staff;\n"
	"\tint per_room, odd;\n"
	"};\n"
	"\n"
	"struct skillc_standard {\n"
	"\tconst char *id;\n"
	"\tconst char *title_zh;\n"
	"\tconst char *title_en;\n"
	"\tconst char *occupation;\n"
	"\tint level_count;\n"
	"\tconst struct skillc_level *levels;\n"
	"\tconst struct skillc_view *views;\n"
	"\tint branch_count;\n"
	"\tconst struct skillc_branch *branches;\n"
	"\tint capability_count;\n"
	"\tconst struct skillc_capability *capabilities;\n"
	"\tint content_count;\n"
	"\tconst struct skillc_content *contents;\n"
	"\tint skill_count;\n"
	"\tconst struct skillc_item *skills;\n"
	"\tint knowledge_count;\n"
	"\tconst struct skillc_item *knowledge;\n"
	"\tint basic_count;\n"
	"\tconst struct skillc_basic *basics;\n"
	"\tint table_count;\n"
	"\tconst struct skillc_table *tables;\n"
	"\tint method_count;\n"
	"\tconst struct skillc_method *methods;\n"
	"\tint route_count;\n"
	"\tconst struct skillc_route *routes;\n"
	"\tint duration_count;\n"
	"\tconst struct skillc_duration *durations;\n"
	"\tint ratio_count;\n"
	"\tconst struct skillc_ratio *ratios;\n"
	"\tint pass_score, full_marks;\n"
	"};\n"
	"\n"
	"/* X-macro helpers, and a static assertion that C99 understands. */\n"
	"#define SKILLC_ELEM(x) x,\n"
	"#define SKILLC_PLUS(x) x +\n"
	"#if defined(__cplusplus)\n"
	"#define SKILLC_STATIC_ASSERT(e, name) static_assert(e, #name)\n"
	"#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L\n"
	"#define SKILLC_STATIC_ASSERT(e, name) _Static_assert(e, #name)\n"
	"#else\n"
	"#define SKILLC_STATIC_ASSERT(e, name) \\\n"
	"\ttypedef char skillc_assert_##name[(e) ? 1 : -1]\n"
	"#endif\n"
	"\n"
	"#ifdef __cplusplus\n"
	"}\n"
	"#endif\n"
	"#endif\n\n";

/* "static const int name[] = {...};", or nothing for none; the
 * reference to it is its name, or a null pointer. */
static const char *
c_ints(struct cw *w, const char *name, const long *v, size_t n)
{
	if (!n)
		return "0";
	strbuf_addf(w->out, "\tstatic const int %s[] = {", name);
	for (size_t i = 0; i < n; i++) {
		strbuf_adds(w->out, i % 12 ? ", " : i ? ",\n\t\t" : "\n\t\t");
		strbuf_add_int(w->out, v[i]);
	}
	strbuf_adds(w->out, "\n\t};\n");
	return name;
}

static void *
scratch(size_t n, size_t size)
{
	void *v = calloc(n + 1, size);
	if (!v)
		die_oom();
	return v;
}

/* "static const struct skillc_TYPE NAME[] = {", for n > 0 elements;
 * returns whether it opened one, for c_array_end. */
static bool
c_array(struct cw *w, const char *type, const char *name, size_t n)
{
	if (n)
		strbuf_addf(w->out,
			    "\tstatic const struct skillc_%s %s[] = {\n", type,
			    name);
	return n > 0;
}

static void
c_array_end(struct cw *w, bool opened)
{
	if (opened)
		strbuf_adds(w->out, "\t};\n");
}

/* The start of an element that begins with two texts: "{ a, b". */
static void
c_pair(struct cw *w, const struct text *a, const struct text *b)
{
	strbuf_adds(w->out, "\t\t{ ");
	c_text(w, a);
	strbuf_adds(w->out, ", ");
	c_text(w, b);
}

/* Each level's effective requirements: along its chain from the lowest
 * level up, every content and item of each of the level's tables (shared
 * and of every branch) in order; then the views, with the level's first
 * weight column of each kind. */
/* The contents and items of one table, after those listed. */
static void
c_view_table(const struct work_table *t, long *contents, size_t *nc,
	     long *skills, size_t *ns, long *knowledge, size_t *nk)
{
	for (size_t k = 0; k < t->n_contents; k++) {
		const struct content *ct = t->contents[k];
		contents[(*nc)++] = (long)ct->index;
		for (size_t m = 0; m < ct->n_skills; m++)
			skills[(*ns)++] = (long)ct->skills[m].index;
		for (size_t m = 0; m < ct->n_knowledge; m++)
			knowledge[(*nk)++] = (long)ct->knowledge[m].index;
	}
}

static void
c_views(struct cw *w)
{
	const struct standard *s = w->std;
	long *contents = scratch(s->n_contents, sizeof *contents);
	long *skills = scratch(s->n_skills, sizeof *skills);
	long *knowledge = scratch(s->n_knowledge, sizeof *knowledge);
	size_t(*counts)[3] = scratch(s->n_levels, sizeof *counts);
	char name[3][64];
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level *l = &s->levels[i];
		size_t nc = 0, ns = 0, nk = 0;
		for (size_t d = 0; d < l->n_chain; d++) {
			const struct level *cl = l->chain[d];
			for (size_t t = 0; t < cl->n_tables; t++)
				c_view_table(cl->tables[t], contents, &nc,
					     skills, &ns, knowledge, &nk);
		}
		snprintf(name[0], sizeof name[0], "view%zu_contents", i);
		snprintf(name[1], sizeof name[1], "view%zu_skills", i);
		snprintf(name[2], sizeof name[2], "view%zu_knowledge", i);
		c_ints(w, name[0], contents, nc);
		c_ints(w, name[1], skills, ns);
		c_ints(w, name[2], knowledge, nk);
		counts[i][0] = nc, counts[i][1] = ns, counts[i][2] = nk;
	}
	bool opened = c_array(w, "view", "views", s->n_levels);
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level_column *lc = s->levels[i].weights;
		strbuf_addf(w->out, "\t\t{ %zu, %zu, %zu, ", counts[i][0],
			    counts[i][1], counts[i][2]);
		static const char *const parts[] = { "contents", "skills",
						     "knowledge" };
		for (int p = 0; p < 3; p++) {
			if (counts[i][p])
				strbuf_addf(w->out, "view%zu_%s, ", i,
					    parts[p]);
			else
				strbuf_adds(w->out, "0, ");
		}
		for (int k = 0; k < KIND_COUNT; k++)
			strbuf_addf(w->out, "%ld, ",
				    lc[k].table ? (long)lc[k].table->index
						: -1L);
		for (int k = 0; k < KIND_COUNT; k++) {
			if (lc[k].table)
				strbuf_addf(w->out, "weights%zu_%zu",
					    lc[k].table->index, lc[k].column);
			else
				strbuf_adds(w->out, "0");
			strbuf_adds(w->out,
				    k + 1 < KIND_COUNT ? ", " : " },\n");
		}
	}
	c_array_end(w, opened);
	free(contents), free(skills), free(knowledge), free(counts);
}

/* Weight columns as X-macros, each with its static assertion; build.c's
 * guards keep weight-sum an error whenever the header is written, so a
 * new assertion needs its check there too. */
static void
c_weight_macros(struct cw *w)
{
	const struct standard *s = w->std;
	for (size_t t = 0; t < s->n_weight_tables; t++) {
		const struct weight_table *wt = s->weight_tables[t];
		for (size_t c = 0; c < wt->n_columns; c++) {
			const struct column *col = &wt->columns[c];
			strbuf_addf(
				w->out,
				"/* Weight table %zu (%s), column %zu: level %s",
				t, weight_kind_names[wt->kind.v], c,
				col->level->key.s);
			if (col->branch)
				strbuf_addf(w->out, ", branch %s",
					    col->branch->key.s);
			strbuf_addf(w->out,
				    ". */\n#define %s_WEIGHTS_%zu_%zu(W)",
				    w->names->upper, t, c);
			/* A dash weighs 0: the table's dashes mark it. */
			for (size_t r = 0; r < wt->n_rows; r++)
				strbuf_addf(
					w->out, " W(%lld)",
					(long long)wt->rows[r]->weights[c].v);
			strbuf_addf(
				w->out,
				"\nSKILLC_STATIC_ASSERT(%s_WEIGHTS_%zu_%zu(SKILLC_PLUS) 0 == 100,\n"
				"\t%s_weights_%zu_%zu_sum_to_100);\n\n",
				w->names->upper, t, c, w->names->lower, t, c);
		}
	}
}

/* "static const unsigned char name[] = {...};" of n flags and a final
 * 0 (an initializer is never empty). */
static void
c_flags(struct cw *w, const char *name, const unsigned char *v, size_t n)
{
	strbuf_addf(w->out, "\tstatic const unsigned char %s[] = {", name);
	for (size_t i = 0; i <= n; i++) {
		strbuf_adds(w->out, i % 12 ? ", " : i ? ",\n\t\t" : " ");
		strbuf_add_int(w->out, i < n ? v[i] : 0);
	}
	strbuf_adds(w->out, " };\n");
}

/* "static const TYPE *const name[] = { prefixT_0, prefixT_1, ... };",
 * one per column. */
static void
c_columns(struct cw *w, const char *type, const char *name, const char *prefix,
	  size_t t, size_t n)
{
	strbuf_addf(w->out, "\tstatic const %s *const table%zu_%s[] = {", type,
		    t, name);
	for (size_t c = 0; c < n; c++)
		strbuf_addf(w->out, " %s%zu_%zu,", prefix, t, c);
	strbuf_adds(w->out, " };\n");
}

/* A table's arrays: its columns' weights, dashes, levels and branches,
 * its rows, and the capability and content each row weighs at each
 * column. */
static void
c_table_arrays(struct cw *w, size_t t, const struct weight_table *wt)
{
	char name[64];
	size_t cells = wt->n_rows * wt->n_columns;
	long *v = scratch(cells + wt->n_columns, sizeof *v);
	unsigned char *dash = scratch(wt->n_rows, sizeof *dash);
	for (size_t c = 0; c < wt->n_columns; c++) {
		strbuf_addf(
			w->out,
			"\tstatic const int weights%zu_%zu[] = { %s_WEIGHTS_%zu_%zu(SKILLC_ELEM) 0 };\n",
			t, c, w->names->upper, t, c);
		for (size_t r = 0; r < wt->n_rows; r++)
			dash[r] = wt->rows[r]->weights[c].dash;
		snprintf(name, sizeof name, "dashes%zu_%zu", t, c);
		c_flags(w, name, dash, wt->n_rows);
	}
	for (size_t c = 0; c < wt->n_columns; c++)
		v[c] = (long)wt->columns[c].level->index;
	snprintf(name, sizeof name, "table%zu_levels", t);
	c_ints(w, name, v, wt->n_columns);
	for (size_t c = 0; c < wt->n_columns; c++)
		v[c] = wt->columns[c].branch ? (long)(wt->columns[c].branch -
						      w->std->branches)
					     : -1L;
	snprintf(name, sizeof name, "table%zu_branches", t);
	c_ints(w, name, v, wt->n_columns);
	if (wt->n_columns) {
		c_columns(w, "int", "weights", "weights", t, wt->n_columns);
		c_columns(w, "unsigned char", "dashes", "dashes", t,
			  wt->n_columns);
	}
	snprintf(name, sizeof name, "table%zu_rows", t);
	bool opened = c_array(w, "row", name, wt->n_rows);
	for (size_t r = 0; r < wt->n_rows; r++) {
		const struct weight_row *row = wt->rows[r];
		c_pair(w, &row->group->label, &row->label);
		strbuf_addf(w->out, ", %ld, ",
			    row->basic ? (long)row->basic->index : -1L);
		c_text(w, &row->capability_key);
		strbuf_adds(w->out, ", ");
		c_text(w, &row->content_key);
		strbuf_adds(w->out, " },\n");
	}
	c_array_end(w, opened);
	size_t n = 0;
	for (size_t r = 0; r < wt->n_rows; r++)
		for (size_t c = 0; c < wt->n_columns; c++) {
			const struct weight_row *row = wt->rows[r];
			v[n++] = row->capability_cells &&
						 row->capability_cells[c]
					 ? (long)row->capability_cells[c]->index
					 : -1L;
		}
	snprintf(name, sizeof name, "table%zu_capabilities", t);
	c_ints(w, name, v, n);
	n = 0;
	for (size_t r = 0; r < wt->n_rows; r++)
		for (size_t c = 0; c < wt->n_columns; c++) {
			const struct weight_row *row = wt->rows[r];
			v[n++] = row->cells && row->cells[c]
					 ? (long)row->cells[c]->index
					 : -1L;
		}
	snprintf(name, sizeof name, "table%zu_contents", t);
	c_ints(w, name, v, n);
	free(v);
	free(dash);
}

static void
c_tables(struct cw *w)
{
	const struct standard *s = w->std;
	for (size_t t = 0; t < s->n_weight_tables; t++)
		c_table_arrays(w, t, s->weight_tables[t]);
	bool opened = c_array(w, "table", "tables", s->n_weight_tables);
	for (size_t t = 0; t < s->n_weight_tables; t++) {
		const struct weight_table *wt = s->weight_tables[t];
		c_pair(w, &wt->clause, &wt->title);
		strbuf_adds(w->out, ", ");
		c_text(w, &wt->number);
		strbuf_adds(w->out, ", ");
		c_text(w, &wt->caption);
		strbuf_adds(w->out, ",\n\t\t  ");
		c_enumerator(w->out, "", weight_kind_names[wt->kind.v]);
		strbuf_addf(w->out, ", %zu, %zu, ", wt->n_columns, wt->n_rows);
		if (wt->n_columns)
			strbuf_addf(
				w->out,
				"table%zu_levels, table%zu_branches, "
				"table%zu_weights, table%zu_dashes,\n\t\t  ",
				t, t, t, t);
		else
			strbuf_adds(w->out, "0, 0, 0, 0,\n\t\t  ");
		if (wt->n_rows)
			strbuf_addf(w->out, "table%zu_rows, ", t);
		else
			strbuf_adds(w->out, "0, ");
		if (wt->n_rows && wt->n_columns)
			strbuf_addf(
				w->out,
				"table%zu_capabilities, table%zu_contents },\n",
				t, t);
		else
			strbuf_adds(w->out, "0, 0 },\n");
	}
	c_array_end(w, opened);
}

/* The items of one kind of every content, in order. */
static void
c_items(struct cw *w, const char *array, size_t total, bool knowledge)
{
	const struct standard *s = w->std;
	bool opened = c_array(w, "item", array, total);
	for (size_t k = 0; k < s->n_contents; k++) {
		const struct content *ct = s->contents[k];
		const struct item *items =
			knowledge ? ct->knowledge : ct->skills;
		size_t n = knowledge ? ct->n_knowledge : ct->n_skills;
		for (size_t i = 0; i < n; i++) {
			c_pair(w, &items[i].id, &items[i].text);
			strbuf_adds(w->out, ", ");
			strbuf_adds(w->out, w->names->level[ct->level->index]);
			strbuf_adds(w->out, ", ");
			strbuf_add_int(w->out, (long long)ct->index);
			strbuf_adds(w->out, " },\n");
		}
	}
	c_array_end(w, opened);
}

static void
c_work(struct cw *w)
{
	const struct standard *s = w->std;
	bool opened =
		c_array(w, "capability", "capabilities", s->n_capabilities);
	size_t first = 0;
	for (size_t i = 0; i < s->n_capabilities; i++) {
		const struct capability *cap = s->capabilities[i];
		const struct branch *br = cap->table->branch;
		c_pair(w, &cap->key, &cap->id);
		strbuf_adds(w->out, ", ");
		c_text(w, &cap->name);
		strbuf_addf(w->out, ", %s, %ld, %zu, %zu },\n",
			    w->names->level[cap->table->level->index],
			    br ? (long)(br - s->branches) : -1L, first,
			    cap->n_contents);
		first += cap->n_contents;
	}
	c_array_end(w, opened);
	opened = c_array(w, "content", "contents", s->n_contents);
	size_t skill = 0, knowledge = 0;
	for (size_t i = 0; i < s->n_contents; i++) {
		const struct content *ct = s->contents[i];
		c_pair(w, &ct->key, &ct->id);
		strbuf_adds(w->out, ", ");
		c_text(w, &ct->name);
		strbuf_addf(w->out,
			    ", %s, %zu, %zu, %zu, %zu, %zu }, /* %s */\n",
			    w->names->level[ct->level->index],
			    ct->capability->index, skill, ct->n_skills,
			    knowledge, ct->n_knowledge, w->names->content[i]);
		skill += ct->n_skills;
		knowledge += ct->n_knowledge;
	}
	c_array_end(w, opened);
	c_items(w, "skills", s->n_skills, false);
	c_items(w, "knowledge", s->n_knowledge, true);
}

static size_t
c_route_count(const struct standard *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_eligibility; i++)
		n += s->eligibility[i].n_routes;
	return n;
}

static void
c_routes(struct cw *w)
{
	const struct standard *s = w->std;
	bool opened = c_array(w, "route", "routes", c_route_count(s));
	for (size_t i = 0; i < s->n_eligibility; i++) {
		const struct eligibility *e = &s->eligibility[i];
		for (size_t j = 0; j < e->n_routes; j++) {
			const struct route *r = &e->routes[j];
			strbuf_addf(w->out, "\t\t{ %s, ",
				    w->names->level[e->level->index]);
			c_text(w, &r->label);
			strbuf_adds(w->out, ", ");
			c_text(w, &r->text);
			strbuf_addf(w->out, ",\n\t\t  %ld, %lld, ",
				    r->certificate ? (long)r->certificate->index
						   : -1L,
				    r->experience_months.at.given
					    ? (long long)r->experience_months.v
					    : -1LL);
			c_enumerator(w->out, "COUNTED_",
				     counted_names[r->experience_counted.v]);
			strbuf_adds(w->out, ", ");
			c_enumerator(
				w->out, "",
				experience_field_names[r->experience_field.v]);
			strbuf_adds(w->out, ", ");
			c_enumerator(w->out, "EDU_",
				     education_names[r->education.v]);
			strbuf_adds(w->out, ", ");
			c_enumerator(w->out, "DIPLOMA_",
				     diploma_names[r->diploma.v]);
			strbuf_addf(w->out, ", %d, %lld, ", r->apprenticeship.v,
				    r->min_age.at.given
					    ? (long long)r->min_age.v
					    : -1LL);
			c_enumerator(w->out, "TITLE_",
				     prof_title_names[r->professional_title.v]);
			strbuf_adds(w->out, " },\n");
		}
	}
	c_array_end(w, opened);
}

static void
c_assessment(struct cw *w)
{
	const struct assessment *as = &w->std->assessment;
	const struct methods_clause *mc = &as->methods;
	char name[64];
	for (size_t i = 0; i < mc->n_items; i++) {
		const struct method *m = &mc->items[i];
		long *v = scratch(m->n_level_keys, sizeof *v);
		for (size_t j = 0; j < m->n_level_keys; j++)
			v[j] = (long)m->levels[j]->index;
		snprintf(name, sizeof name, "method%zu_levels", i);
		c_ints(w, name, v, m->n_level_keys);
		free(v);
	}
	bool opened = c_array(w, "method", "methods", mc->n_items);
	for (size_t i = 0; i < mc->n_items; i++) {
		const struct method *m = &mc->items[i];
		c_pair(w, &m->key, &m->name);
		if (m->n_level_keys)
			strbuf_addf(w->out, ", %zu, method%zu_levels },\n",
				    m->n_level_keys, i);
		else
			strbuf_adds(w->out, ", 0, 0 },\n");
	}
	c_array_end(w, opened);
	c_routes(w);
	for (size_t i = 0; i < as->durations.n_items; i++) {
		const struct duration *d = &as->durations.items[i];
		long *v = scratch(d->n_level_keys, sizeof *v);
		for (size_t j = 0; j < d->n_level_keys; j++)
			v[j] = (long)d->levels[j]->index;
		snprintf(name, sizeof name, "duration%zu_levels", i);
		c_ints(w, name, v, d->n_level_keys);
		free(v);
	}
	opened = c_array(w, "duration", "durations", as->durations.n_items);
	for (size_t i = 0; i < as->durations.n_items; i++) {
		const struct duration *d = &as->durations.items[i];
		strbuf_addf(w->out, "\t\t{ %s, %lld, ",
			    w->names->method[d->method->index],
			    (long long)d->minutes.v);
		if (d->n_level_keys)
			strbuf_addf(w->out, "%zu, duration%zu_levels },\n",
				    d->n_level_keys, i);
		else
			strbuf_adds(w->out, "0, 0 },\n");
	}
	c_array_end(w, opened);
	opened = c_array(w, "ratio", "ratios", as->ratios.n_items);
	for (size_t i = 0; i < as->ratios.n_items; i++) {
		const struct ratio *r = &as->ratios.items[i];
		strbuf_addf(w->out, "\t\t{ %s, ",
			    w->names->method[r->method->index]);
		c_text(w, &r->role);
		strbuf_addf(w->out, ", %lld, %lld, %lld, %d, %d },\n",
			    (long long)r->staff.v, (long long)r->candidates.v,
			    (long long)r->min_staff.v, r->per_room.v, r->odd.v);
	}
	c_array_end(w, opened);
}

/* "count, array" of the standard struct, or "0, 0" for none. */
static void
c_member(struct cw *w, size_t count, const char *array)
{
	if (count)
		strbuf_addf(w->out, "\t\t%zu, %s,\n", count, array);
	else
		strbuf_adds(w->out, "\t\t0, 0,\n");
}

static void
c_standard(struct cw *w)
{
	const struct standard *s = w->std;
	const struct assessment *as = &s->assessment;
	bool opened = c_array(w, "level", "levels", s->n_levels);
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level *l = &s->levels[i];
		c_pair(w, &l->key, &l->name);
		strbuf_addf(w->out, ", %s },\n",
			    l->includes ? w->names->level[l->includes->index]
					: "-1");
	}
	c_array_end(w, opened);
	opened = c_array(w, "branch", "branches", s->n_branches);
	for (size_t i = 0; i < s->n_branches; i++) {
		c_pair(w, &s->branches[i].key, &s->branches[i].name);
		strbuf_adds(w->out, " },\n");
	}
	c_array_end(w, opened);
	c_work(w);
	opened = c_array(w, "basic", "basics", s->n_basics);
	for (size_t i = 0; i < s->n_basics; i++) {
		c_pair(w, &s->basics[i]->key, &s->basics[i]->title);
		strbuf_adds(w->out, " },\n");
	}
	c_array_end(w, opened);
	c_tables(w);
	if (s->n_levels)
		c_views(w);
	c_assessment(w);
	strbuf_adds(w->out,
		    "\tstatic const struct skillc_standard standard = {\n\t\t");
	c_text(w, &s->id);
	strbuf_adds(w->out, ",\n\t\t");
	c_text(w, &s->meta.title.zh);
	strbuf_adds(w->out, ",\n\t\t");
	c_text(w, &s->meta.title.en);
	strbuf_adds(w->out, ",\n\t\t");
	c_text(w, &s->occupation.name);
	strbuf_adds(w->out, ",\n");
	if (s->n_levels)
		strbuf_addf(w->out, "\t\t%zu, levels, views,\n", s->n_levels);
	else
		strbuf_adds(w->out, "\t\t0, 0, 0,\n");
	c_member(w, s->n_branches, "branches");
	c_member(w, s->n_capabilities, "capabilities");
	c_member(w, s->n_contents, "contents");
	c_member(w, s->n_skills, "skills");
	c_member(w, s->n_knowledge, "knowledge");
	c_member(w, s->n_basics, "basics");
	c_member(w, s->n_weight_tables, "tables");
	c_member(w, as->methods.n_items, "methods");
	c_member(w, c_route_count(s), "routes");
	c_member(w, as->durations.n_items, "durations");
	c_member(w, as->ratios.n_items, "ratios");
	strbuf_addf(w->out, "\t\t%lld, %lld\n\t};\n\treturn &standard;\n}\n",
		    (long long)as->pass_score.score.v,
		    (long long)as->pass_score.full_marks.v);
}

/* A file name fit for a comment: nothing but [A-Za-z0-9._-]. */
static bool
plain_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

void
emit_c(const struct unit *u, struct strbuf *out)
{
	const struct standard *s = u->std;
	const struct cnames *names = u->names;
	const char *slash = strrchr(u->path, '/');
	const char *source_name = slash ? slash + 1 : u->path;
	struct cw w = { out, s, names };
	strbuf_adds(out, "/*\n * Generated by skillc");
	if (plain_name(source_name))
		strbuf_addf(out, " from %s", source_name);
	strbuf_addf(out, "; do not edit.\n */\n#ifndef %s_H\n#define %s_H\n\n",
		    names->upper, names->upper);
	strbuf_adds(out, shared_types_open);
	c_shared_enum(out, "kind", "", weight_kind_names, true);
	c_shared_enum(out, "field", "", experience_field_names, true);
	c_shared_enum(out, "education", "EDU_", education_names, false);
	c_shared_enum(out, "diploma", "DIPLOMA_", diploma_names, false);
	c_shared_enum(out, "title", "TITLE_", prof_title_names, false);
	c_shared_enum(out, "counted", "COUNTED_", counted_names, false);
	strbuf_adds(out, shared_types);
	strbuf_adds(out, shared_types_more);
	strbuf_adds(out, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
	c_enum(&w, "Levels, lowest first.", names->level, s->n_levels,
	       "LEVELS");
	c_enum(&w, "Work contents, table by table.", names->content,
	       s->n_contents, "CONTENTS");
	c_enum(&w, "Basic requirements that weight tables refer to.",
	       names->basic, s->n_basics, "BASICS");
	c_enum(&w, "Assessment methods.", names->method,
	       s->assessment.methods.n_items, "METHODS");
	c_weight_macros(&w);
	strbuf_addf(
		out,
		"/* The whole standard. */\n"
		"static inline const struct skillc_standard *\n%s_standard(void)\n{\n",
		names->lower);
	c_standard(&w);
	strbuf_addf(out, "\n#ifdef __cplusplus\n}\n#endif\n#endif /* %s_H */\n",
		    names->upper);
}
