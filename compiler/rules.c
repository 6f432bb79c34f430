/*
 * rules.c - text rules: loaded, registered, compiled.
 *
 * Takes: rules files (the shipped schema/text-rules.yaml, --rules files),
 * the rules of profiles (global ones that read only the standards under
 * their profile) and a standard's own text_rules. Gives: each rule
 * registered with diag (so -W, -Wno- and -E work on it and --list-checks
 * shows it), its pattern compiled once per run, its fields and levels
 * understood. The allowed Latin terms are kept in sets that ${terms} looks
 * up (rx.c): the run's, and over them a standard's own, for that standard
 * alone; ${levels} looks up the names of the standard's levels, so a rule
 * that reads it is compiled for each standard (before any, it matches
 * nothing).
 * Guarantees: a rule that cannot work (a pattern PCRE2 refuses, an unknown
 * field, no pattern and no spellings, an ID already taken) is a located
 * error in the file that defines it. A standard's own rules and levels live
 * until rules_drop_local, which frees their patterns, so that a run over
 * many standards (or a fuzzer) stays bounded.
 */
#include "skillc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The rules of a run. */
struct rules {
	struct arena *arena;
	struct prepared *list;
	size_t n, cap;
	size_t global;		 /* the first n that every standard gets */
	struct rx_terms *terms;	 /* the run's allowed terms, for ${terms} */
	struct rx_terms *local;	 /* a standard's, over the run's, or NULL */
	struct rx_terms *levels; /* the standard's level names, or NULL */
	struct hash *compiled;	 /* global rules: pattern -> rx */
	struct rx **own;	 /* compiled for a standard's rules alone */
	size_t nown, own_cap;
	struct rx **cached; /* the patterns in compiled, to free */
	size_t ncached, cached_cap;
	bool compiled_global; /* the global rules' patterns are done */
	size_t registered;    /* diag rules once the global ones were in */
	enum severity *saved; /* severities before a standard's settings */
	size_t nsaved;
};

static const char *const field_names[] = { "skills", "knowledge", "names",
					   "all" };

struct rules *
rules_new(struct arena *a)
{
	struct rules *r = arena_alloc(a, sizeof *r);
	r->arena = a;
	r->compiled = hash_new(a, 64);
	return r;
}

static void *
grow(void *v, size_t *cap, size_t size)
{
	*cap = *cap ? *cap * 2 : 32;
	v = realloc(v, *cap * size);
	if (!v)
		die_oom();
	return v;
}

/* Append s to sb as a pattern that matches it literally. */
static void
quote_pattern(struct strbuf *sb, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (strchr("\\^$.|?*+()[]{}", s[i]))
			strbuf_addc(sb, '\\');
		strbuf_addc(sb, s[i]);
	}
}

static struct prepared *
new_prepared(struct rules *r)
{
	if (r->n == r->cap)
		r->list = grow(r->list, &r->cap, sizeof *r->list);
	struct prepared *p = &r->list[r->n++];
	*p = (struct prepared){ 0 };
	return p;
}

/* A replacement refers to groups as $N, ${N} or ${N:+a:b}: check that
 * each exists once, at load, rather than at every match. */
static bool
check_replacement(struct diag *d, const struct text_rule *t)
{
	if (!t->replacement.at.given || !t->pattern.at.given)
		return true;
	/* Count the groups: '(' not followed by '?' or '*', or a named
	 * group '(?<name>', "(?'name'", '(?P<name>'; outside classes. */
	size_t groups = 0;
	bool in_class = false;
	for (const char *p = t->pattern.s; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (in_class) {
			in_class = *p != ']';
		} else if (*p == '[') {
			in_class = true;
		} else if (*p == '(' && p[1] != '*') {
			bool named =
				p[1] == '?' &&
				((p[2] == '<' && p[3] != '=' && p[3] != '!') ||
				 p[2] == '\'' || p[2] == 'P');
			groups += p[1] != '?' || named;
		}
	}
	const char *r = t->replacement.s;
	for (size_t i = 0; r[i]; i++) {
		if (r[i] == '\\' && r[i + 1]) {
			i++;
			continue;
		}
		if (r[i] != '$')
			continue;
		if (r[i + 1] == '$') {
			i++;
			continue;
		}
		size_t k = i + 1 + (r[i + 1] == '{');
		size_t g = 0;
		if (r[k] < '0' || r[k] > '9')
			continue; /* a name: PCRE2 knows those */
		while (r[k] >= '0' && r[k] <= '9')
			g = g * 10 + (size_t)(r[k++] - '0');
		if (g > groups) {
			diag_report(
				d, RULE_TEXT_RULE,
				text_position(d, t->file, t->buf,
					      &t->replacement, i),
				"the replacement of rule '%s' refers to group %zu, but its pattern has %zu",
				t->name.s, g, groups);
			return false;
		}
	}
	return true;
}

/* Check what a rule says and register it; false after reporting. */
/* A rule's summary as --list-checks, explain and SARIF give it. */
static const char *
text_rule_summary(const struct text_rule *t)
{
	const struct text *s = ltext_pick(&t->summary, NULL);
	return s ? s->s : "";
}

static bool
prepare(struct rules *r, struct diag *d, const struct text_rule *t,
	struct prepared *p)
{
	bool ok = true;
	p->def = t;
	for (size_t i = 0; i < t->n_fields; i++) {
		size_t f = 0;
		while (f < 4 && strcmp(t->fields[i].s, field_names[f]))
			f++;
		if (f == 4) {
			diag_report(
				d, RULE_TEXT_RULE,
				place_loc(d, t->file, t->buf, t->fields[i].at),
				"unknown field '%s' (skills, knowledge, names or all)",
				t->fields[i].s);
			ok = false;
		}
		p->fields |= 1u << f;
	}
	if (!t->pattern.at.given && !t->n_spellings) {
		diag_report(d, RULE_TEXT_RULE,
			    place_loc(d, t->file, t->buf, t->at),
			    "rule '%s' has neither a 'pattern' nor 'spellings'",
			    t->name.s);
		ok = false;
	} else if (t->pattern.at.given && t->n_spellings) {
		diag_report(
			d, RULE_TEXT_RULE,
			place_loc(d, t->file, t->buf, t->pattern.at),
			"rule '%s' has both a 'pattern' and 'spellings'; it takes one",
			t->name.s);
		ok = false;
	}
	if (t->consistent.v && (t->replacement.at.given || t->n_spellings)) {
		diag_report(d, RULE_TEXT_RULE,
			    place_loc(d, t->file, t->buf, t->consistent.at),
			    "a consistency rule has no replacement");
		ok = false;
	}
	if (!ok)
		return false;
	int existing = diag_find_rule(d, t->id.s);
	if (existing >= 0 && (size_t)existing >= r->registered &&
	    r->registered && !strcmp(diag_rule(d, existing)->name, t->name.s))
		p->rule = existing; /* another standard's rule of the run */
	else if ((p->rule = diag_add_rule(
			  d, &(struct rule_info){ t->id.s, t->name.s,
						  (enum severity)t->severity.v,
						  false, text_rule_summary(t),
						  t->file })) < 0) {
		bool id_taken = existing >= 0;
		if (id_taken)
			diag_report(d, RULE_TEXT_RULE,
				    place_loc(d, t->file, t->buf, t->id.at),
				    "the ID '%s' is taken by another rule",
				    t->id.s);
		else
			diag_report(d, RULE_TEXT_RULE,
				    place_loc(d, t->file, t->buf, t->name.at),
				    "the name '%s' is taken by another rule",
				    t->name.s);
		return false;
	}
	return check_replacement(d, t);
}

/* How well tag (a rules file's: en, zh, zh-Hant, zh_CN) fits the language
 * of the messages (i18n_locale: zh_CN): 4 the same tag (case, '-' and '_'
 * aside); 3 the same script (zh_CN and zh-Hans; zh_TW and zh-Hant); 2 the
 * language alone (zh); 1 the language with something else; 0 none. */
static int
fit(const char *tag, const char *locale)
{
	size_t n = 0;
	while (tag[n] && locale[n] &&
	       ((tag[n] | 0x20) == (locale[n] | 0x20) ||
		((tag[n] == '-' || tag[n] == '_') &&
		 (locale[n] == '-' || locale[n] == '_'))))
		n++;
	if (!tag[n] && !locale[n])
		return 4;
	const char *lang = i18n_language();
	if (!i18n_same_language(tag, lang))
		return 0;
	const char *script = i18n_script();
	if (script &&
	    !strcasecmp(tag + strlen(lang) + (tag[strlen(lang)] != 0), script))
		return 3;
	return tag[strlen(lang)] ? 1 : 2;
}

const struct text *
ltext_pick(const struct ltext *t, const char **lang)
{
	/* The best fit to the messages' language, else English, else the
	 * first: of the texts that are not empty. */
	const struct ltext_one *pick = NULL, *en = NULL, *first = NULL;
	int best = 0;
	for (size_t i = 0; i < t->n_langs; i++) {
		const struct ltext_one *o = &t->langs[i];
		if (!o->text.len)
			continue;
		if (!first)
			first = o;
		if (!o->lang.s)
			continue;
		int f = fit(o->lang.s, i18n_locale());
		if (f > best)
			best = f, pick = o;
		if (!en && i18n_same_language(o->lang.s, "en"))
			en = o;
	}
	if (!pick)
		pick = en ? en : first;
	if (pick && lang)
		*lang = pick->lang.s ? pick->lang.s
				     : i18n_guess_language(pick->text.s);
	return pick ? &pick->text : NULL;
}

/* The pattern of a rule of spellings: any of the words, not inside a
 * longer Latin word. */
static void
spelling_pattern(struct strbuf *sb, const struct text_rule *t)
{
	strbuf_adds(sb, "(?<![A-Za-z])(?:");
	for (size_t i = 0; i < t->n_spellings; i++) {
		if (i)
			strbuf_addc(sb, '|');
		quote_pattern(sb, t->spellings[i].from.s,
			      t->spellings[i].from.len);
	}
	strbuf_adds(sb, ")(?![A-Za-z])");
}

/* Compile a rule's pattern: a global rule's once per run, and again, for
 * a standard with terms of its own, if it reads ${terms}. A PCRE2 error
 * points into the pattern as written. */
static bool
compile(struct rules *r, struct diag *d, struct prepared *p, bool global)
{
	const struct text_rule *t = p->def;
	struct strbuf sb = { 0 };
	if (t->n_spellings)
		spelling_pattern(&sb, t);
	else
		strbuf_adds(&sb, t->pattern.s);
	const char *key = sb.buf ? sb.buf : "";
	bool shared = global && !(r->local && strstr(key, "${terms}")) &&
		      !(r->levels && strstr(key, "${levels}"));
	p->rx = shared ? hash_get(r->compiled, key, sb.len) : NULL;
	if (!p->rx) {
		static const char *const names[] = { "terms", "levels" };
		const struct rx_terms *sets[] = { r->local ? r->local
							   : r->terms,
						  r->levels };
		char err[256];
		size_t off = 0;
		p->rx = rx_compile_sets(key, sb.len, names, sets, 2,
					load_shipped(t->file), err, sizeof err,
					&off);
		if (p->rx && shared) {
			hash_put(r->compiled,
				 arena_strndup(r->arena, key, sb.len), sb.len,
				 p->rx);
			if (r->ncached == r->cached_cap)
				r->cached = grow(r->cached, &r->cached_cap,
						 sizeof *r->cached);
			r->cached[r->ncached++] = p->rx;
		} else if (p->rx) {
			if (r->nown == r->own_cap)
				r->own = grow(r->own, &r->own_cap,
					      sizeof *r->own);
			r->own[r->nown++] = p->rx;
		} else if (t->n_spellings) {
			diag_report(
				d, RULE_TEXT_RULE,
				place_loc(d, t->file, t->buf, t->at),
				"the spellings of rule '%s' do not compile: %s",
				t->name.s, err);
		} else {
			diag_report(
				d, RULE_TEXT_RULE,
				text_position(d, t->file, t->buf, &t->pattern,
					      off),
				"the pattern of rule '%s' does not compile: %s",
				t->name.s, err);
		}
	}
	strbuf_free(&sb);
	return p->rx != NULL;
}

/* Forget the patterns compiled with the run's terms: they changed. */
static void
forget_compiled(struct rules *r)
{
	for (size_t i = 0; i < r->ncached; i++)
		rx_free(r->cached[i]);
	r->ncached = 0;
	r->compiled = hash_new(r->arena, 64);
}

/* Severity settings: any rule but the input rules, by ID or name. */
static void
apply_settings(struct diag *d, const struct text_rules *tr)
{
	for (size_t i = 0; i < tr->n_severity; i++) {
		const struct severity_setting *set = &tr->severity[i];
		int rule = diag_find_rule(d, set->rule.s);
		const char *near =
			rule < 0 ? diag_nearest_rule(d, set->rule.s) : NULL;
		if (rule < 0 && near) {
			diag_report(
				d, RULE_TEXT_RULE,
				place_loc(d, tr->file, tr->buf, set->rule.at),
				"unknown rule '%s'; did you mean '%s'?",
				set->rule.s, near);
			continue;
		}
		if (rule < 0) {
			diag_report(
				d, RULE_TEXT_RULE,
				place_loc(d, tr->file, tr->buf, set->rule.at),
				"unknown rule '%s' (see skillc --list-checks)",
				set->rule.s);
			continue;
		}
		if (diag_rule(d, rule)->fixed) {
			diag_report(
				d, RULE_TEXT_RULE,
				place_loc(d, tr->file, tr->buf, set->rule.at),
				"'%s' is a rule of the input format and is always an error",
				set->rule.s);
			continue;
		}
		diag_set_severity(d, rule, (enum severity)set->severity.v);
	}
}

bool
rules_add(struct rules *r, struct diag *d, const struct text_rules *tr,
	  bool global)
{
	size_t errors = diag_errors(d);
	if (!tr || !tr->at.given)
		return true;
	if (!global) {
		/* A standard's settings last for that standard only. */
		r->nsaved = diag_rule_total(d);
		free(r->saved);
		r->saved = calloc(r->nsaved + 1, sizeof *r->saved);
		if (!r->saved)
			die_oom();
		for (size_t i = 0; i < r->nsaved; i++)
			r->saved[i] = diag_severity(d, (int)i);
	}
	if (tr->n_terms) {
		struct rx_terms **set = global ? &r->terms : &r->local;
		if (!*set)
			*set = rx_terms_new(global ? NULL : r->terms);
		for (size_t i = 0; i < tr->n_terms; i++)
			rx_terms_add(*set, tr->terms[i].s, tr->terms[i].len);
		if (global && r->ncached)
			forget_compiled(r);
	}
	for (size_t i = 0; i < tr->n_rules; i++)
		if (!prepare(r, d, &tr->rules[i], new_prepared(r)))
			r->n--;
	apply_settings(d, tr);
	if (global) {
		r->global = r->n;
		r->registered = diag_rule_total(d);
		r->compiled_global = false;
	}
	return diag_errors(d) == errors;
}

bool
rules_add_profile(struct rules *r, struct diag *d, const struct text_rules *tr,
		  const struct profile *p)
{
	size_t first = r->n;
	bool ok = rules_add(r, d, tr, true);
	for (size_t i = first; i < r->n; i++)
		r->list[i].profile = p;
	return ok;
}

bool
rules_compile(struct rules *r, struct diag *d)
{
	size_t errors = diag_errors(d);
	/* A standard's terms change what ${terms} means, and its levels
	 * what ${levels} does: the global rules that read them are compiled
	 * again, for that standard alone. */
	for (size_t i = 0; i < r->n; i++) {
		struct prepared *p = &r->list[i];
		bool global = i < r->global;
		if (global && r->compiled_global && !r->local && !r->levels)
			continue;
		if (!compile(r, d, p, global))
			p->rx = NULL;
	}
	/* After a standard's own terms or levels, restore the global
	 * patterns. */
	r->compiled_global = !r->local && !r->levels;
	return diag_errors(d) == errors;
}

void
rules_drop_local(struct rules *r, struct diag *d)
{
	r->n = r->global;
	for (size_t i = 0; d && r->saved && i < r->nsaved; i++)
		diag_set_severity(d, (int)i, r->saved[i]);
	free(r->saved);
	r->saved = NULL;
	r->nsaved = 0;
	for (size_t i = 0; i < r->nown; i++)
		rx_free(r->own[i]);
	r->nown = 0;
	rx_terms_free(r->local); /* after the patterns that read it */
	r->local = NULL;
	rx_terms_free(r->levels);
	r->levels = NULL;
}

void
rules_levels(struct rules *r, const struct standard *s)
{
	/* A set even for no levels, where ${levels} matches nothing: a
	 * pattern that read it is compiled again for every standard. */
	rx_terms_free(r->levels);
	r->levels = rx_terms_new(NULL);
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct text *name = &s->levels[i].name;
		if (!name->len)
			continue;
		/* The name, and each part of it between '/' (五级/初级工:
		 * 五级 and 初级工); a set keeps a name once. */
		rx_terms_add(r->levels, name->s, name->len);
		for (size_t at = 0, k; at <= name->len; at = k + 1) {
			const char *slash =
				memchr(name->s + at, '/', name->len - at);
			k = slash ? (size_t)(slash - name->s) : name->len;
			if (k > at)
				rx_terms_add(r->levels, name->s + at, k - at);
		}
	}
}

const struct prepared *
rules_list(const struct rules *r, size_t *count)
{
	*count = r->n;
	return r->list;
}

void
rules_free(struct rules *r)
{
	rules_drop_local(r, NULL);
	for (size_t i = 0; i < r->ncached; i++)
		rx_free(r->cached[i]);
	free(r->cached);
	free(r->list);
	free(r->own);
	rx_terms_free(r->terms);
	rx_release();
}
