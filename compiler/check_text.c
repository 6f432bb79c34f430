/*
 * check_text.c - running the text rules over a standard.
 *
 * Takes: a model and the text rules in force (a profile's rules only on
 * the standards under that profile). Gives: a diagnostic for
 * every match, at the line and column of the match inside its YAML scalar
 * (columns in characters), with the replacement where the rule has one;
 * for consistency rules, the texts of a work table whose match differs
 * from what most of the table's texts give. Optionally collects the
 * replacements that can be made in place in the source, for skillc fix.
 * Texts are visited through the shape tables, so every text of the source
 * is seen; items, names and ids of the work tables with their level.
 */
#include "skillc.h"

#include <stdlib.h>
#include <string.h>

/* One text's match of a consistency rule, waiting for its table's end. */
struct entry {
	const struct text *t;
	size_t at;	   /* where the value was found (end of text if not) */
	const char *value; /* the group's text, "" if no match */
	size_t len;
};

struct walk {
	const struct standard *std;
	struct diag *diag;
	struct arena *arena;
	const struct prepared *rules;
	size_t nrules;
	/* per rule: this table's consistency entries, malloc'd (record),
	 * freed when check_text ends */
	struct entry **entries;
	size_t *nentries, *cap;
	struct edit *edits; /* NULL: not collecting */
	size_t nedits, edits_cap;
	bool collect;
	bool in_table;		/* consistency rules judge work tables only */
	unsigned char *failed;	/* per rule: its replacement failed once */
	struct scalar_map *map; /* of the text being read, once needed */
	struct rx_sig sig;	/* of the text being read, for the filters */
	struct strbuf msg, repl;
	const struct wording *wording; /* of the message in msg */
};

/* The words check_text adds to a rule's message, in the message's
 * language, whatever the language of skillc's own messages: a committee's
 * Chinese message gets a Chinese hint. A language not here gets English. */
struct wording {
	const char *lang;
	const char *quote_open, *quote_close, *nothing;
	const char *write, *delete; /* after the message; write: then the
				     * replacement, quoted */
};

static const struct wording wordings[] = {
	{ "en", "'", "'", "nothing", "; write ", "; delete it" },
	/* “ ” （无） ；应写作 ；应删除 */
	{ "zh", "\u201c", "\u201d", "\uff08\u65e0\uff09",
	  "\uff1b\u5e94\u5199\u4f5c", "\uff1b\u5e94\u5220\u9664" },
};

static const struct wording *
wording(const char *lang)
{
	for (size_t i = 0; i < sizeof wordings / sizeof *wordings; i++)
		if (i18n_same_language(lang, wordings[i].lang))
			return &wordings[i];
	return &wordings[0];
}

static const char *
show(struct strbuf *sb, const struct wording *wd, const char *s, size_t len)
{
	strbuf_reset(sb);
	if (len)
		strbuf_addf(sb, "%s%.*s%s", wd->quote_open, (int)len, s,
			    wd->quote_close);
	else
		strbuf_adds(sb, wd->nothing);
	return sb->buf;
}

/* The message of a rule, {match}, {majority} and {table} filled in. */
static void
message(struct walk *w, const struct text_rule *t, const char *match,
	size_t mlen, const char *majority, size_t majlen, const char *table)
{
	struct strbuf tmp = { 0 };
	const char *lang = "en";
	const struct text *text = ltext_pick(&t->message, &lang);
	const struct wording *wd = w->wording = wording(lang);
	strbuf_reset(&w->msg);
	for (const char *p = text ? text->s : ""; *p;) {
		if (!strncmp(p, "{match}", 7)) {
			strbuf_adds(&w->msg, show(&tmp, wd, match, mlen));
			p += 7;
		} else if (!strncmp(p, "{majority}", 10) && majority) {
			strbuf_adds(&w->msg, show(&tmp, wd, majority, majlen));
			p += 10;
		} else if (!strncmp(p, "{table}", 7) && table) {
			strbuf_adds(&w->msg, table);
			p += 7;
		} else {
			strbuf_addc(&w->msg, *p++);
		}
	}
	strbuf_free(&tmp);
}

/* The replacement text of a match, in w->repl; false if the rule has
 * none. */
static bool
replacement(struct walk *w, const struct prepared *p, const struct text *t,
	    const struct rx_match *m)
{
	const struct text_rule *def = p->def;
	strbuf_reset(&w->repl);
	for (size_t i = 0; i < def->n_spellings; i++) {
		const struct text *from = &def->spellings[i].from;
		if (from->len == m->end - m->start &&
		    !memcmp(from->s, t->s + m->start, from->len)) {
			strbuf_add(&w->repl, def->spellings[i].to.s,
				   def->spellings[i].to.len);
			return true;
		}
	}
	if (!def->replacement.at.given)
		return false;
	int rc = rx_replacement(p->rx, t->s, t->len, def->replacement.s,
				def->replacement.len, &w->repl);
	if (rc < 0 && !w->failed[p - w->rules]++) {
		char err[256];
		rx_error_message(rc, err, sizeof err);
		diag_report(w->diag, RULE_TEXT_RULE,
			    place_loc(w->diag, def->file, def->buf,
				      def->replacement.at),
			    "the replacement of rule '%s' does not work: %s",
			    def->name.s, err);
	}
	if (rc < 0)
		return false;
	return true;
}

/* The replacement as it must be written in the scalar's style, or NULL
 * if it cannot be written there. What a plain scalar's new text means is
 * left to fix, which proves it and quotes the scalar where it must. */
static char *
as_written(struct walk *w, const struct text *t, const struct strbuf *with)
{
	struct strbuf sb = { 0 };
	/* What the loader refuses in text is never written into it:
	 * controls, C1 controls, line and paragraph separators, BOM. */
	for (size_t i = 0, k; i < with->len; i += k) {
		uint32_t cp;
		k = utf8_decode((const unsigned char *)with->buf + i,
				with->len - i, &cp);
		if (!k || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
		    cp == 0x2028 || cp == 0x2029 || cp == 0xfeff)
			goto refuse;
	}
	for (size_t i = 0; i < with->len; i++) {
		char c = with->buf[i];
		if (t->at.style == STYLE_DOUBLE && (c == '"' || c == '\\'))
			strbuf_addc(&sb, '\\');
		else if (t->at.style == STYLE_SINGLE && c == '\'')
			strbuf_addc(&sb, '\'');
		strbuf_addc(&sb, c);
	}
	char *s = arena_strndup(w->arena, sb.buf ? sb.buf : "", sb.len);
	strbuf_free(&sb);
	return s;
refuse:
	strbuf_free(&sb);
	return NULL;
}

static void
add_edit(struct walk *w, const struct prepared *p, const struct text *t,
	 const struct rx_match *m, struct loc at)
{
	size_t rs, re;
	const char *raw = w->std->buf + t->at.off;
	if (!load_map_raw_range(w->map, m->start, m->end, &rs, &re))
		return;
	char *with = as_written(w, t, &w->repl);
	if (!with)
		return;
	if (w->nedits == w->edits_cap) {
		w->edits_cap = w->edits_cap ? w->edits_cap * 2 : 64;
		struct edit *v = arena_array(w->arena, w->edits_cap, sizeof *v);
		if (w->nedits)
			memcpy(v, w->edits, w->nedits * sizeof *v);
		w->edits = v;
	}
	w->edits[w->nedits++] =
		(struct edit){ raw + rs,
			       raw + re,
			       with,
			       at,
			       p->rule,
			       p->def,
			       t,
			       raw,
			       m->start,
			       m->end,
			       arena_strndup(w->arena,
					     w->repl.buf ? w->repl.buf : "",
					     w->repl.len),
			       w->repl.len };
}

static void
report_match(struct walk *w, const struct prepared *p, const struct text *t,
	     const struct rx_match *m)
{
	bool edit = w->collect && diag_severity(w->diag, p->rule) != SEV_OFF;
	if (!edit && !diag_wants(w->diag, p->rule))
		return; /* neither reported nor fixed: no place to make */
	struct node n = text_node(w->std->buf, t);
	if (!w->map) /* one map per text, however many findings it has */
		w->map = load_map(w->std->diag, w->std->file, &n);
	struct loc at = load_map_position(&n, w->map, m->group_start);
	message(w, p->def, t->s + m->start, m->end - m->start, NULL, 0, NULL);
	if (replacement(w, p, t, m)) {
		const struct wording *wd = w->wording;
		if (w->repl.len)
			strbuf_addf(&w->msg, "%s%s%s%s", wd->write,
				    wd->quote_open, w->repl.buf,
				    wd->quote_close);
		else
			strbuf_adds(&w->msg, wd->delete);
		diag_report(w->diag, p->rule, at, "%s", w->msg.buf);
		if (edit)
			add_edit(w, p, t, m, at);
	} else {
		diag_report(w->diag, p->rule, at, "%s", w->msg.buf);
	}
}

static void
record(struct walk *w, size_t rule, const struct text *t,
       const struct rx_match *m, bool found)
{
	if (w->nentries[rule] == w->cap[rule]) {
		/* malloc'd, as they live for the walk alone */
		w->cap[rule] = w->cap[rule] ? w->cap[rule] * 2 : 32;
		struct entry *v =
			realloc(w->entries[rule], w->cap[rule] * sizeof *v);
		if (!v)
			die_oom();
		w->entries[rule] = v;
	}
	w->entries[rule][w->nentries[rule]++] =
		(struct entry){ t, found ? m->group_start : t->len,
				found ? t->s + m->group_start : "",
				found ? m->group_end - m->group_start : 0 };
}

static bool
level_applies(const struct text_rule *def, const struct level *level)
{
	if (!def->min_rank.at.given && !def->n_levels)
		return true;
	if (!level ||
	    (def->min_rank.at.given && level->index < (size_t)def->min_rank.v))
		return false;
	for (size_t i = 0; i < def->n_levels; i++)
		if (!strcmp(def->levels[i].s, level->key.s))
			return true;
	return def->n_levels == 0;
}

/* Every rule that applies to a text of this kind and level. */
static void text_rules_one(struct walk *w, const struct text *t, unsigned kind,
			   const struct level *level);

static void
text_one(struct walk *w, const struct text *t, unsigned kind,
	 const struct level *level)
{
	if (!t->at.given || !t->len)
		return;
	text_rules_one(w, t, kind, level);
	load_map_free(w->map);
	w->map = NULL;
}

static void
text_rules_one(struct walk *w, const struct text *t, unsigned kind,
	       const struct level *level)
{
	/* The run's budget for text rules grows with the text they read.
	 * Once it is spent (reported where it ran out), no rule runs again. */
	if (rx_budget_spent())
		return;
	rx_budget_grant(t->len);
	rx_sig(&w->sig, t->s, t->len); /* once, for every rule's filter */
	for (size_t i = 0; i < w->nrules; i++) {
		const struct prepared *p = &w->rules[i];
		if (!p->rx || !(p->fields & (kind | TEXT_ALL)) ||
		    !level_applies(p->def, level) ||
		    !profile_covers(w->std->profile_def, p->profile))
			continue;
		struct rx_match m;
		size_t start = 0;
		bool may = rx_may_match(p->rx, &w->sig);
		for (;;) {
			int rc = may ? rx_match(p->rx, t->s, t->len, start, &m)
				     : 0;
			if (rc == RX_BUDGET) {
				diag_report(
					w->diag, RULE_TEXT_RULE_LIMIT,
					model_loc(w->std, t->at),
					"rule '%s' could not check this text: the run's budget for text rules is spent, so no text rule runs on this or any later text",
					p->def->name.s);
				return;
			}
			if (rc < 0) {
				if (rc == RX_LIMIT)
					diag_report(
						w->diag, RULE_TEXT_RULE_LIMIT,
						model_loc(w->std, t->at),
						"rule '%s' could not check this text: its pattern hit the match limit",
						p->def->name.s);
				else
					diag_report(
						w->diag, RULE_TEXT_RULE_LIMIT,
						model_loc(w->std, t->at),
						"rule '%s' could not check this text: the pattern failed",
						p->def->name.s);
				break;
			}
			if (p->def->consistent.v) {
				if (w->in_table)
					record(w, i, t, &m, rc == 1);
				break;
			}
			if (rc == 0)
				break;
			report_match(w, p, t, &m);
			start = m.end;
			if (m.end == m.start) { /* step over one character */
				if (start >= t->len)
					break;
				start++;
				while (start < t->len &&
				       ((unsigned char)t->s[start] & 0xc0) ==
					       0x80)
					start++;
			}
		}
	}
}

/* The consistency rules at the end of a table: the value most of its
 * texts give (the first such on a tie) is the table's; others differ. */
static void
settle(struct walk *w, const char *table)
{
	for (size_t i = 0; i < w->nrules; i++) {
		size_t n = w->nentries[i];
		if (!n)
			continue;
		struct hash *count = hash_new(w->arena, n);
		const struct entry *best = NULL;
		size_t best_count = 0;
		for (size_t k = 0; k < n; k++) {
			const struct entry *e = &w->entries[i][k];
			void **slot = hash_slot(count, e->value, e->len);
			size_t c = (size_t)(uintptr_t)*slot + 1;
			*slot = (void *)(uintptr_t)c;
			if (c > best_count)
				best = e, best_count = c;
		}
		for (size_t k = 0; k < n; k++) {
			const struct entry *e = &w->entries[i][k];
			if (e->len == best->len &&
			    !memcmp(e->value, best->value, e->len))
				continue;
			message(w, w->rules[i].def, e->value, e->len,
				best->value, best->len, table);
			diag_report(w->diag, w->rules[i].rule,
				    text_position(w->std->diag, w->std->file,
						  w->std->buf, e->t, e->at),
				    "%s", w->msg.buf);
		}
		hash_drop(count);
		w->nentries[i] = 0;
	}
}

/* What walk_struct and walk_work read with model_walk: the texts of
 * the work tables' capabilities with their level, inside a table walk;
 * every other text, outside one. The fields' flags give each text's kind. */
struct text_walk {
	struct walk *w;
	bool table;		   /* a table walk (walk_work) */
	const struct level *level; /* its level */
	bool by_level;		   /* inside a FIELD_BY_LEVEL list */
};

/* The TEXT_* kind of the texts of a field. */
static unsigned
text_kind(unsigned flags)
{
	return (flags & FIELD_NAME ? TEXT_NAMES : 0) |
	       (flags & FIELD_SKILL ? TEXT_SKILLS : 0) |
	       (flags & FIELD_KNOWLEDGE ? TEXT_KNOWLEDGE : 0);
}

static bool
text_visit(void *ctx, const struct walk_step *st)
{
	struct text_walk *tw = ctx;
	const struct field *f = st->field;
	switch (st->event) {
	case WALK_STRUCT:
		return !st->absent && !(f->flags & FIELD_NOT_PROSE);
	case WALK_LIST:
		if (!(f->flags & FIELD_BY_LEVEL))
			return true;
		if (!tw->table)
			return false; /* walk_work reads it with its level */
		tw->by_level = true;
		return true;
	case WALK_LIST_END:
		if (f->flags & FIELD_BY_LEVEL)
			tw->by_level = false;
		return true;
	case WALK_VALUE:
		if ((f->type == F_TEXT || f->type == F_TEXTS) &&
		    tw->by_level == tw->table)
			text_one(tw->w, st->value, text_kind(f->flags),
				 tw->level);
		return true;
	default:
		return true;
	}
}

/* Texts outside the work tables' capabilities, through the shape tables. */
static void
walk_struct(struct walk *w, const struct shape *sh, const void *p)
{
	struct text_walk tw = { w, false, NULL, false };
	if (((const struct place *)p)->given)
		model_walk(sh, p, text_visit, &tw);
}

static void
walk_work(struct walk *w, const struct work_table *t)
{
	struct text_walk tw = { w, true, t->level, false };
	model_walk(model_work_table_shape, t, text_visit, &tw);
	settle(w, model_work_table_name(t));
}

void
check_text(const struct rules *r, const struct standard *s, struct diag *d,
	   struct arena *a, struct edit **edits, size_t *nedits)
{
	struct walk w = {
		.std = s, .diag = d, .arena = a, .collect = edits != NULL
	};
	w.rules = rules_list(r, &w.nrules);
	if (w.nrules && rx_budget_spent()) /* say so, not nothing */
		diag_report(
			d, RULE_TEXT_RULE_LIMIT,
			model_loc(s, (struct place){ 0 }),
			"the run's budget for text rules was spent on an earlier text; no text rule read this file");
	w.entries = arena_array(a, w.nrules + 1, sizeof *w.entries);
	w.nentries = arena_array(a, w.nrules + 1, sizeof *w.nentries);
	w.cap = arena_array(a, w.nrules + 1, sizeof *w.cap);
	w.failed = arena_alloc(a, w.nrules + 1);
	/* A rule for levels the standard does not have reads nothing: say so.
	 */
	for (size_t i = 0; i < w.nrules; i++) {
		const struct text_rule *def = w.rules[i].def;
		if (!profile_covers(s->profile_def, w.rules[i].profile))
			continue; /* another profile's rule */
		for (size_t k = 0; k < def->n_levels; k++)
			if (!hash_get(s->level_by_key, def->levels[k].s,
				      def->levels[k].len))
				diag_report(
					d, RULE_TEXT_RULE,
					place_loc(d, def->file, def->buf,
						  def->levels[k].at),
					"rule '%s' names level '%s', which %s does not have",
					def->name.s, def->levels[k].s, s->file);
	}
	walk_struct(&w, model_standard_shape, s);
	w.in_table = true;
	for (size_t t = 0; t < s->work_requirements.n_tables; t++)
		walk_work(&w, &s->work_requirements.tables[t]);
	for (size_t i = 0; i < w.nrules; i++)
		free(w.entries[i]);
	strbuf_free(&w.msg);
	strbuf_free(&w.repl);
	if (edits) {
		*edits = w.edits;
		*nedits = w.nedits;
	}
}
