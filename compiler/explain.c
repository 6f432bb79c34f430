/*
 * explain.c - skillc explain: the catalogue entry of a rule.
 *
 * Takes: the run's rules (checks.def's, the profiles' and the shipped text
 * rules, and those of --rules and --profile files) and the catalogue
 * (schema/checks.yaml, built in), which says of each built-in rule why it
 * matters and gives a diagnostic a test case prints. Gives: the entry of a
 * rule as Markdown: what it catches, why, where it applies, an example
 * and how to silence it. docs/checks.md is made of `skillc explain --all`
 * (tests/docs/gen_checks.py), so the catalogue there and here are one.
 *
 * A rule of a rules or profile file has what its file says (summary,
 * severity, fields, example text) and no why.
 */
#include "skillc.h"

#include <stdio.h>
#include <string.h>

struct explain {
	struct hash *by_id; /* rule ID -> struct explain_entry */
};

/* A text of an entry: a scalar, or of a mapping of languages {en: …, zh:
 * …} the one in the language of the messages, else the English one; or
 * NULL. */
static const char *
entry_text(const struct node *map, const char *key)
{
	const struct node *n = node_get(map, key);
	if (n && n->kind == NODE_MAP) {
		const struct node *mine = NULL, *en = NULL, *first = NULL;
		for (size_t i = 0; i < n->count; i++) {
			const char *lang = node_keys(n)[i].text;
			const struct node *v = &n->items[i];
			if (v->kind != NODE_SCALAR || !v->len)
				continue;
			if (!mine && i18n_same_language(lang, i18n_language()))
				mine = v;
			if (!en && i18n_same_language(lang, "en"))
				en = v;
			if (!first)
				first = v;
		}
		n = mine ? mine : en ? en : first;
	}
	return n && n->kind == NODE_SCALAR ? n->text : NULL;
}

struct explain *
explain_load(struct arena *a)
{
	struct diag *d = diag_new(a);
	const struct node *root = load_buffer(
		a, d, embedded_catalogue.name,
		(const char *)embedded_catalogue.bytes, embedded_catalogue.len);
	if (!root || root->kind != NODE_MAP) {
		diag_flush(d, stderr, false);
		fprintf(stderr, "skillc: %s: ", _("internal error"));
		fprintf(stderr,
			_("the built-in %s is not a mapping of rule IDs"),
			embedded_catalogue.name);
		fputc('\n', stderr);
		return NULL;
	}
	struct explain *e = arena_alloc(a, sizeof *e);
	e->by_id = hash_new(a, root->count + 1);
	for (size_t i = 0; i < root->count; i++) {
		const struct node *v = &root->items[i];
		struct explain_entry *entry = arena_alloc(a, sizeof *entry);
		if (v->kind == NODE_MAP)
			*entry = (struct explain_entry){
				entry_text(v, "why"), entry_text(v, "example"),
				entry_text(v, "case")
			};
		hash_put(e->by_id, node_keys(root)[i].text,
			 node_keys(root)[i].len, entry);
	}
	return e;
}

const struct explain_entry *
explain_find(const struct explain *e, const char *id)
{
	return hash_get(e->by_id, id, strlen(id));
}

/* What the keys of a text rule's fields: name, for people. */
static const char *
field_words(const char *key)
{
	static const char *const words[][2] = {
		{ "skills", N_("skill items") },
		{ "knowledge", N_("knowledge items") },
		{ "names", N_("names") },
		{ "all", N_("every text") },
	};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (!strcmp(key, words[i][0]))
			return _(words[i][1]);
	return key;
}

/* Where a text rule is written, and what it reads. */
static void
explain_text_rule(const struct prepared *p, struct strbuf *out)
{
	const struct text_rule *t = p->def;
	if (p->profile)
		strbuf_addf(
			out,
			_("A text rule of the `%s` profile (`%s`), for the standards under it or under a profile that extends it (docs/profiles.md)."),
			p->profile->key.s, p->profile->file);
	else
		strbuf_addf(out, _("A text rule of `%s`."),
			    t->file ? t->file : "?");
	struct strbuf list = { 0 };
	for (size_t i = 0; i < t->n_fields; i++) {
		if (i)
			strbuf_adds(&list, _(", "));
		/* TRANSLATORS: an item of the list of the texts a text rule
		 * reads: what they are, and the key of rules files. */
		strbuf_addf(&list, _("%s (`%s`)"), field_words(t->fields[i].s),
			    t->fields[i].s);
	}
	if (list.len)
		strbuf_addf(out, _(" It reads: %s."), list.buf);
	strbuf_reset(&list);
	for (size_t i = 0; i < t->n_levels; i++)
		strbuf_addf(&list, "%s`%s`", i ? _(", ") : "", t->levels[i].s);
	if (list.len)
		strbuf_addf(out, _(" Only texts of the levels %s."), list.buf);
	strbuf_free(&list);
	if (t->min_rank.at.given)
		strbuf_addf(
			out,
			_(" Only texts of levels of rank %lld and above (the lowest level is rank 0)."),
			(long long)t->min_rank.v);
	strbuf_addc(out, '\n');
	if (t->example.at.given)
		strbuf_addf(out, _("\nIt fires on: %s\n"), t->example.s);
	if (t->replacement.at.given || t->n_spellings)
		strbuf_adds(
			out,
			_("\nIt proposes a replacement, which `skillc fix` applies.\n"));
}

void
explain_rule(const struct explain *e, const struct diag *d,
	     const struct prepared *p, int r, struct strbuf *out)
{
	const struct rule_info *info = diag_rule(d, r);
	const struct explain_entry *entry = explain_find(e, info->id);
	/* TRANSLATORS: a rule's severity in skillc explain: "input" for
	 * a rule of the input format, which cannot be switched off. */
	const char *sev = info->fixed			  ? _("input")
			  : info->severity == SEV_ERROR	  ? _("error")
			  : info->severity == SEV_WARNING ? _("warning")
							  : _("off");
	/* the summary as a sentence */
	struct strbuf what = { 0 };
	strbuf_adds(&what, rule_summary(info));
	if (what.len && what.buf[0] >= 'a' && what.buf[0] <= 'z')
		what.buf[0] = (char)(what.buf[0] - 'a' + 'A');
	strbuf_addf(out, "## %s %s\n\n", info->id, info->name);
	if (what.len)
		/* TRANSLATORS: "Severity: error. The file is not well-formed
		 * YAML." */
		strbuf_addf(out, _("Severity: %s. %s.\n"), sev, what.buf);
	else
		strbuf_addf(out, _("Severity: %s.\n"), sev);
	strbuf_free(&what);
	if (entry && entry->why)
		strbuf_addf(out, _("\nWhy: %s\n"), entry->why);
	if (p) {
		strbuf_addc(out, '\n');
		explain_text_rule(p, out);
	} else if (r < RULE_COUNT && !info->fixed &&
		   !strncmp(info->name, "profile-", 8)) {
		/* SK0601-SK0649 (checks.def) */
		strbuf_adds(
			out,
			_("\nA profile check: it runs only on standards whose profile gives its parameter (docs/profiles.md).\n"));
	}
	if (entry && entry->example)
		strbuf_addf(out,
			    _("\nExample (tests/cases/%s):\n\n```\n%s\n```\n"),
			    entry->example_case ? entry->example_case : "?",
			    entry->example);
	if (info->fixed)
		strbuf_adds(
			out,
			_("\nSilencing: not possible; correct the source.\n"));
	else if (build_c_guarded(r))
		strbuf_addf(
			out,
			_("\nSilencing: `-Wno-%s`, or `{rule: %s, severity: off}` under `severity:`; one finding: `# skillc-ignore: %s` on its line or the line before (docs/suppressions.md). Not when build writes the C header, which asserts what this rule checks: it is then always an error.\n"),
			info->name, info->name, info->name);
	else
		strbuf_addf(
			out,
			_("\nSilencing: `-Wno-%s`, or `{rule: %s, severity: off}` under `severity:`; one finding: `# skillc-ignore: %s` on its line or the line before (docs/suppressions.md).\n"),
			info->name, info->name, info->name);
}

int
explain_run(struct run *run, struct arena *a, const char *const *names,
	    size_t n)
{
	const struct diag *d = pipeline_diag(run);
	size_t total = diag_rule_total(d);
	/* Every name first: an unknown one prints nothing else. */
	int *rules = arena_array(a, n + 1, sizeof *rules);
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		rules[i] = diag_find_rule(d, names[i]);
		if (rules[i] < 0) {
			pipeline_unknown_rule(run, names[i], NULL, false);
			ok = false;
		}
	}
	if (!ok) {
		fprintf(stderr, "%s\n", _("(run 'skillc --help' for usage)"));
		return 2;
	}
	struct explain *e = explain_load(a);
	if (!e)
		return 2;
	/* The text rule behind each rule number, if it is one. */
	const struct prepared **text = arena_array(a, total + 1, sizeof *text);
	size_t count;
	const struct prepared *list = rules_list(pipeline_rules(run), &count);
	for (size_t i = 0; i < count; i++)
		if (list[i].rule >= 0 && (size_t)list[i].rule < total)
			text[list[i].rule] = &list[i];
	struct strbuf out = { 0 };
	for (size_t i = 0; i < (n ? n : total); i++) {
		int r = n ? rules[i] : (int)i;
		if (i)
			strbuf_addc(&out, '\n');
		explain_rule(e, d, text[r], r, &out);
	}
	fwrite(out.buf, 1, out.len, stdout);
	strbuf_free(&out);
	return 0;
}
