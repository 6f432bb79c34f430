/*
 * suppress.c - findings accepted in place: suppression comments.
 *
 * Takes: a standard that went through the passes (its bytes, its tree and
 * the diag holding its findings, not yet printed). Gives: the findings a
 * comment names dropped, with their notes, and the replacements fix would
 * have made for them; then a warning for each name that silences nothing
 * (SK0701 unused-suppression) and for each comment that names no rule or
 * a rule the run does not have (SK0702 bad-suppression).
 *
 *   - lines: 12  # skillc-ignore: weight-label, SK0204 -- why, for readers
 *
 * A comment that shares its line with YAML silences the named rules on
 * that line; a comment alone on its line, on the next line. A finding
 * inside a scalar over several lines (a block scalar's text) belongs to
 * the line where the scalar starts too: its own lines cannot hold a
 * comment. Comments are found in the bytes, as libyaml drops them: a '#'
 * outside every scalar of the tree (as a tag or an anchor, which could
 * hold one, the loader refuses). Guarantees: rules of the input format are
 * never silenced (a comment naming one is a bad-suppression); what a comment
 * silences does not depend on the order of the findings. docs/suppressions.md.
 */
#define _GNU_SOURCE /* memmem */
#include "skillc.h"

#include <string.h>

#define SUPPRESS_KEYWORD "skillc-ignore"

/* One rule named by one comment. */
struct suppression {
	struct loc at; /* the name in the comment */
	const char *name;
	uint32_t line; /* the line it silences */
	int rule;
	bool used;
};

/* Where a suppression is found: by the line it silences and its rule. */
struct suppress_key {
	uint32_t line;
	int32_t rule;
};

/* A scalar over several lines: its first and last lines. */
struct lines {
	uint32_t first, last;
};

struct suppress {
	struct arena *arena;
	struct diag *diag;
	const char *path, *buf;
	size_t len;
	struct lines *multi; /* in source order */
	size_t nmulti, multi_cap;
	struct suppression *list;
	size_t n, cap;
	struct hash *by_key; /* struct suppress_key -> suppression */
	size_t at, start;    /* the scan: its byte, where its line starts */
	uint32_t line;	     /* and that line */
	bool judge;	     /* report bad comments: every rule is known */
	bool c_header;	     /* written: its guarded rules are never dropped */
};

static void *
grow(struct arena *a, void *old, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return old;
	*cap = *cap ? *cap * 2 : 64;
	void *v = arena_array(a, *cap, size);
	if (n)
		memcpy(v, old, n * size);
	return v;
}

static bool
is_break(const char *buf, size_t len, size_t i)
{
	return buf[i] == '\n' ||
	       (buf[i] == '\r' && (i + 1 == len || buf[i + 1] != '\n'));
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The 1-based character column of byte at of a line starting at start. */
static uint32_t
column(const char *buf, size_t start, size_t at)
{
	uint32_t col = 1;
	for (size_t i = start; i < at; col++) {
		uint32_t cp;
		size_t k = utf8_decode((const unsigned char *)buf + i, at - i,
				       &cp);
		i += k ? k : 1;
	}
	return col;
}

static void
add(struct suppress *s, struct loc at, const char *name, uint32_t line,
    int rule)
{
	s->list = grow(s->arena, s->list, s->n, &s->cap, sizeof *s->list);
	struct suppression *e = &s->list[s->n++];
	*e = (struct suppression){ at, name, line, rule, false };
	struct suppress_key *k = arena_alloc(s->arena, sizeof *k);
	k->line = line, k->rule = rule;
	hash_put(s->by_key, (const char *)k, sizeof *k,
		 (void *)(uintptr_t)s->n);
}

/* The comment at buf[hash] (a '#'), to the end of its line at eol. */
static void
comment(struct suppress *s, size_t start, size_t hash, size_t eol)
{
	const char *b = s->buf;
	size_t p = hash + 1, kw = strlen(SUPPRESS_KEYWORD);
	while (p < eol && is_blank(b[p]))
		p++;
	if (eol - p < kw || memcmp(b + p, SUPPRESS_KEYWORD, kw))
		return;
	p += kw;
	if (p < eol && b[p] != ':' && !is_blank(b[p]))
		return; /* skillc-ignored, skillc-ignore-x: prose */
	while (p < eol && is_blank(b[p]))
		p++;
	struct loc at = { s->path, s->line, column(b, start, hash) };
	if (p == eol || b[p] != ':') {
		if (s->judge)
			diag_report(
				s->diag, RULE_BAD_SUPPRESSION, at,
				"a suppression comment is written '# %s: NAME'",
				SUPPRESS_KEYWORD);
		return;
	}
	p++;
	bool own_line = true;
	for (size_t i = start; i < hash; i++)
		own_line = own_line && is_blank(b[i]);
	uint32_t line = own_line ? s->line + 1 : s->line;
	size_t names = 0, done = start; /* names' columns: counted on */
	uint32_t col = 1;
	for (;;) {
		while (p < eol && (is_blank(b[p]) || b[p] == ','))
			p++;
		size_t q = p;
		while (q < eol && !is_blank(b[q]) && b[q] != ',')
			q++;
		if (q == p || (q - p == 2 && !memcmp(b + p, "--", 2)))
			break; /* the end, or the reason that follows "--" */
		names++;
		const char *name = arena_strndup(s->arena, b + p, q - p);
		col += column(b, done, p) - 1, done = p;
		struct loc nat = { s->path, s->line, col };
		int rule = diag_find_rule(s->diag, name);
		if (rule >= 0 && !diag_rule(s->diag, rule)->fixed) {
			add(s, nat, name, line, rule);
		} else if (s->judge && rule < 0) {
			const char *near = diag_nearest_rule(s->diag, name);
			if (near)
				diag_report(
					s->diag, RULE_BAD_SUPPRESSION, nat,
					"unknown rule '%s' in a suppression comment; did you mean '%s'?",
					name, near);
			else
				diag_report(
					s->diag, RULE_BAD_SUPPRESSION, nat,
					"unknown rule '%s' in a suppression comment",
					name);
		} else if (s->judge) {
			diag_report(
				s->diag, RULE_BAD_SUPPRESSION, nat,
				"'%s' is a rule of the input format: its errors cannot be silenced",
				name);
		}
		p = q;
	}
	if (!names && s->judge)
		diag_report(s->diag, RULE_BAD_SUPPRESSION, at,
			    "the suppression comment names no rule");
}

/* The comments of the bytes up to byte to, which is outside every
 * scalar. */
static void
scan_to(struct suppress *s, size_t to)
{
	const char *b = s->buf;
	while (s->at < to) {
		if (is_break(b, s->len, s->at)) {
			s->line++, s->start = ++s->at;
		} else if (b[s->at] == '#') { /* libyaml's: after "]" too */
			size_t eol = s->at;
			while (eol < s->len && b[eol] != '\n' && b[eol] != '\r')
				eol++;
			comment(s, s->start, s->at, eol);
			s->at = eol;
		} else {
			s->at++;
		}
	}
}

/* The comments of the bytes, in source order (keys before values): those
 * before each scalar, then over the scalar, whose '#' are text. */
static void
scan(struct suppress *s, const struct node *n)
{
	if (n->kind != NODE_SCALAR) {
		for (size_t i = 0; i < n->count; i++) {
			if (n->kind == NODE_MAP)
				scan(s, &node_keys(n)[i]);
			scan(s, &n->items[i]);
		}
		return;
	}
	if (!n->raw || !n->raw_len)
		return;
	size_t from = (size_t)(n->raw - s->buf), to = from + n->raw_len;
	/* A block scalar's header line ('|', '>-') may end in a comment. */
	while (n->style == STYLE_BLOCK && from < to &&
	       !is_break(s->buf, s->len, from))
		from++;
	scan_to(s, from);
	/* Most scalars take one line: none of their bytes ends one. */
	if (s->at >= to)
		return;
	if (!memchr(s->buf + s->at, '\n', to - s->at) &&
	    !memchr(s->buf + s->at, '\r', to - s->at)) {
		s->at = to;
		return;
	}
	uint32_t first = s->line; /* the scalar's */
	/* Over the scalar: the last line that holds some of its text (a
	 * block scalar's bytes run on over the blank lines after it). */
	uint32_t last = 0;
	for (; s->at < to; s->at++)
		if (is_break(s->buf, s->len, s->at))
			s->line++, s->start = s->at + 1;
		else if (s->buf[s->at] != ' ' && s->buf[s->at] != '\t' &&
			 s->buf[s->at] != '\r')
			last = s->line;
	if (last > first) {
		s->multi = grow(s->arena, s->multi, s->nmulti, &s->multi_cap,
				sizeof *s->multi);
		s->multi[s->nmulti++] = (struct lines){ first, last };
	}
}

static struct suppression *
find(const struct suppress *s, uint32_t line, int rule)
{
	struct suppress_key k = { line, rule };
	uintptr_t n =
		(uintptr_t)hash_get(s->by_key, (const char *)&k, sizeof k);
	return n ? &s->list[n - 1] : NULL;
}

/* The line a finding on line may also be silenced at: the first of the
 * scalar over several lines that holds it; 0 for none. */
static uint32_t
scalar_start(const struct suppress *s, uint32_t line)
{
	size_t lo = 0, hi = s->nmulti;
	while (lo < hi) { /* the first that starts at or after line */
		size_t mid = lo + (hi - lo) / 2;
		if (s->multi[mid].first < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && s->multi[lo - 1].last >= line ? s->multi[lo - 1].first : 0;
}

static struct suppression *
covering(const struct suppress *s, struct loc at, int rule)
{
	if (!at.file || at.line == 0 || strcmp(at.file, s->path))
		return NULL;
	struct suppression *e = find(s, at.line, rule);
	uint32_t first = e ? 0 : scalar_start(s, at.line);
	return first ? find(s, first, rule) : e;
}

static bool
silenced(void *ctx, const struct diag_finding *f)
{
	const struct suppress *s = ctx;
	struct suppression *e = covering(s, f->loc, f->rule);
	if (e)
		e->used = true;
	return e && !(s->c_header && build_c_guarded(f->rule));
}

bool
suppress_wanted(const char *buf, size_t len)
{
	return memmem(buf, len, SUPPRESS_KEYWORD, strlen(SUPPRESS_KEYWORD));
}

void
suppress_apply(struct arena *a, struct unit *u, bool complete, bool c_header)
{
	/* Without the keyword in its bytes, no comment silences or is bad:
	 * most files are read no further. */
	if (!u->root || !suppress_wanted(u->buf, u->len))
		return;
	struct suppress s = { .arena = a,
			      .diag = u->diag,
			      .path = u->path,
			      .buf = u->buf,
			      .len = u->len,
			      .by_key = hash_new(a, 16),
			      .c_header = c_header };
	/* A rule the standard's own text rules add is known only once they
	 * are: comments are judged when every pass has run. */
	s.judge = complete;
	s.at = s.start =
		u->len >= 3 && !memcmp(u->buf, "\xef\xbb\xbf", 3) ? 3 : 0;
	s.line = 1;
	scan(&s, u->root);
	scan_to(&s, u->len);
	if (!s.n)
		return;
	diag_filter(u->diag, silenced, &s);
	size_t kept = 0;
	for (size_t i = 0; i < u->nedits; i++) /* never errors: fix only */
		if (!covering(&s, u->edits[i].at, u->edits[i].rule))
			u->edits[kept++] = u->edits[i];
	u->nedits = kept;
	for (size_t i = 0; i < s.n && complete; i++) {
		const struct suppression *e = &s.list[i];
		/* A rule off for this run can have nothing to silence. */
		if (!e->used && diag_severity(u->diag, e->rule) != SEV_OFF)
			diag_report(
				u->diag, RULE_UNUSED_SUPPRESSION, e->at,
				"'%s' reports nothing on line %u to silence",
				e->name, (unsigned)e->line);
	}
}

/* Never run by check_run: what a suppression silenced is known only once
 * every other finding is in (suppress_apply). */
void
check_unused_suppression(const struct checker *c)
{
	(void)c;
}

void
check_bad_suppression(const struct checker *c)
{
	(void)c;
}
