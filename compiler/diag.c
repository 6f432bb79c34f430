/*
 * diag.c - diagnostics in GCC's form.
 *
 * Takes: reports under a rule, at a location, with notes. Gives: lines
 *   file:line:col: severity: message [ID name]
 *   file:line:col: note: message
 * printed by diag_flush sorted by position (stable, so stderr can be a
 * golden file), each followed by the source line and a caret when asked.
 * The severity of a rule is its default, changed by the run's options;
 * a report under a rule that is off is dropped with its notes.
 */
#include "skillc.h"

#include <stdlib.h>
#include <string.h>

const struct rule_info rule_table[RULE_COUNT] = {
#define INPUT(id, sym, name, summary) { #id, name, SEV_ERROR, true, summary },
#define CHECK(id, sym, fn, name, sev, summary)                                 \
	{ #id, name, sev, false, summary },
#include "checks.def"
#undef INPUT
#undef CHECK
};

struct note {
	struct note *next;
	struct loc loc;
	const char *msg;
};

struct record {
	int rule;
	enum severity sev;
	struct loc loc;
	const char *msg;
	size_t file; /* the rank of loc.file: the order sources were added */
	size_t seq;  /* the order of the reports */
	struct note *notes, **tail;
};

struct source {
	const char *file;
	const char *buf;
	size_t len;
	size_t *lines; /* offsets of line starts, built when first quoted */
	size_t nlines;
	uint32_t cur_line, cur_col; /* the last column quoted, */
	size_t cur_off;		    /* at this byte of its line */
};

/* Terminal columns quoted on each side of a diagnostic's column. */
#define DIAG_QUOTE_CONTEXT 60

struct diag {
	struct arena *arena;   /* the rules: for the diag's life */
	struct arena *scratch; /* reports and quotes: until the next flush */
	/* the rules of the run: checks.def's, then text rules as added */
	struct rule_info *rules;
	enum severity *severity;
	size_t *per_rule; /* reports kept, by rule */
	size_t nrules, rules_cap;
	/* a rule's number + 1 by its ID and by its name: the rules added to
	 * this diag; those it was cloned with are found in its parent's */
	struct hash *by_key;
	const struct diag *parent;
	bool werror;
	struct record *recs;
	size_t nrecs, cap, seq;
	bool dropping; /* the last report was dropped: so are its notes */
	size_t errors, warnings;
	struct source *sources; /* malloc'd */
	size_t nsources, sources_cap;
};

static void
diag_release(void *p)
{
	struct diag *d = p;
	arena_free(d->scratch);
	free(d->sources);
}

static struct diag *
diag_alloc(struct arena *a)
{
	struct diag *d = arena_alloc(a, sizeof *d);
	d->arena = a;
	d->scratch = arena_new();
	d->by_key = hash_new(a, 64);
	arena_on_free(a, diag_release, d);
	return d;
}

int
rule_find(const char *s)
{
	for (int r = 0; r < RULE_COUNT; r++)
		if (!strcmp(s, rule_table[r].id) ||
		    !strcmp(s, rule_table[r].name))
			return r;
	return -1;
}

struct diag *
diag_new(struct arena *a)
{
	struct diag *d = diag_alloc(a);
	for (int r = 0; r < RULE_COUNT; r++)
		diag_add_rule(d, &rule_table[r]);
	return d;
}

struct diag *
diag_clone(struct arena *a, const struct diag *from)
{
	struct diag *d = diag_alloc(a);
	d->parent = from; /* which must not add rules while d lives */
	d->werror = from->werror;
	d->rules_cap = from->nrules + 16;
	d->nrules = from->nrules;
	d->rules = arena_array(a, d->rules_cap, sizeof *d->rules);
	d->severity = arena_array(a, d->rules_cap, sizeof *d->severity);
	d->per_rule = arena_array(a, d->rules_cap, sizeof *d->per_rule);
	memcpy(d->rules, from->rules, d->nrules * sizeof *d->rules);
	memcpy(d->severity, from->severity, d->nrules * sizeof *d->severity);
	/* The sources it quotes (rules files), but not what it quoted. */
	for (size_t i = 0; i < from->nsources; i++)
		diag_add_source(d, from->sources[i].file, from->sources[i].buf,
				from->sources[i].len);
	return d;
}

int
diag_add_rule(struct diag *d, const struct rule_info *info)
{
	if (diag_find_rule(d, info->id) >= 0 ||
	    diag_find_rule(d, info->name) >= 0)
		return -1;
	if (d->nrules == d->rules_cap) {
		size_t cap = d->rules_cap ? d->rules_cap * 2 : 64;
		struct rule_info *rules =
			arena_array(d->arena, cap, sizeof *rules);
		enum severity *sev = arena_array(d->arena, cap, sizeof *sev);
		size_t *count = arena_array(d->arena, cap, sizeof *count);
		if (d->nrules) {
			memcpy(rules, d->rules, d->nrules * sizeof *rules);
			memcpy(sev, d->severity, d->nrules * sizeof *sev);
			memcpy(count, d->per_rule, d->nrules * sizeof *count);
		}
		d->rules = rules, d->severity = sev, d->per_rule = count;
		d->rules_cap = cap;
	}
	d->rules[d->nrules] = *info;
	d->severity[d->nrules] = info->severity;
	void *number = (void *)(uintptr_t)(d->nrules + 1);
	hash_put(d->by_key, info->id, strlen(info->id), number);
	hash_put(d->by_key, info->name, strlen(info->name), number);
	return (int)d->nrules++;
}

int
diag_find_rule(const struct diag *d, const char *id_or_name)
{
	size_t len = strlen(id_or_name);
	for (const struct diag *k = d; k; k = k->parent) {
		uintptr_t number =
			(uintptr_t)hash_get(k->by_key, id_or_name, len);
		if (number && number <= d->nrules)
			return (int)number - 1;
	}
	return -1;
}

const struct rule_info *
diag_rule(const struct diag *d, int r)
{
	return r >= 0 && (size_t)r < d->nrules ? &d->rules[r] : NULL;
}

size_t
diag_rule_total(const struct diag *d)
{
	return d->nrules;
}

enum severity
diag_severity(const struct diag *d, int r)
{
	return d->severity[r];
}

void
diag_set_severity(struct diag *d, int r, enum severity sev)
{
	if (!d->rules[r].fixed)
		d->severity[r] = sev;
}

void
diag_set_werror(struct diag *d, bool on)
{
	d->werror = on;
}

void
diag_add_source(struct diag *d, const char *file, const char *buf, size_t len)
{
	if (d->nsources == d->sources_cap) {
		size_t cap = d->sources_cap ? d->sources_cap * 2 : 8;
		struct source *s = realloc(d->sources, cap * sizeof *s);
		if (!s)
			die_oom();
		d->sources = s, d->sources_cap = cap;
	}
	d->sources[d->nsources++] =
		(struct source){ .file = file, .buf = buf, .len = len };
}

/* Characters a terminal would not show as themselves: controls, and the
 * invisible and bidirectional ones that could reorder a message. */
static bool
diag_hidden(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0xad ||
	       cp == 0x61c || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff ||
	       (cp >= 0xe0000 && cp <= 0xe007f);
}

/* A message, with each hidden character of what the user wrote shown as
 * <U+XXXX>, as GCC does. */
static const char *diag_format(struct diag *d, const char *fmt, va_list ap)
	PRINTF_LIKE(2, 0);

static const char *
diag_format(struct diag *d, const char *fmt, va_list ap)
{
	struct strbuf sb = { 0 }, out = { 0 };
	strbuf_vaddf(&sb, fmt, ap);
	for (size_t i = 0; i < sb.len;) {
		uint32_t cp = 0;
		size_t n = utf8_decode((const unsigned char *)sb.buf + i,
				       sb.len - i, &cp);
		if (n == 0)
			n = 1, cp = (unsigned char)sb.buf[i];
		if (diag_hidden(cp))
			strbuf_addf(&out, "<U+%04X>", (unsigned)cp);
		else
			strbuf_add(&out, sb.buf + i, n);
		i += n;
	}
	const char *msg =
		arena_strndup(d->scratch, out.buf ? out.buf : "", out.len);
	strbuf_free(&sb);
	strbuf_free(&out);
	return msg;
}

void
diag_report(struct diag *d, int r, struct loc loc, const char *fmt, ...)
{
	enum severity sev = d->severity[r];
	if (sev == SEV_WARNING && d->werror)
		sev = SEV_ERROR;
	d->dropping = sev == SEV_OFF;
	if (d->dropping)
		return;
	if (d->nrecs == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		struct record *recs =
			arena_array(d->scratch, d->cap, sizeof *recs);
		if (d->nrecs)
			memcpy(recs, d->recs, d->nrecs * sizeof *recs);
		d->recs = recs;
	}
	va_list ap;
	va_start(ap, fmt);
	struct record *rec = &d->recs[d->nrecs++];
	*rec = (struct record){ r, sev,	     loc,  diag_format(d, fmt, ap),
				0, d->seq++, NULL, NULL };
	/* A file no source was added for (the run as a whole: no file) goes
	 * first; a few sources at most, so a scan. */
	for (size_t i = 0; loc.file && i < d->nsources; i++)
		if (d->sources[i].file == loc.file)
			rec->file = i + 1;
	rec->tail = &rec->notes;
	va_end(ap);
	if (sev == SEV_ERROR)
		d->errors++;
	else
		d->warnings++;
	d->per_rule[r]++;
}

void
diag_note(struct diag *d, struct loc loc, const char *fmt, ...)
{
	if (d->dropping || d->nrecs == 0)
		return;
	struct record *rec = &d->recs[d->nrecs - 1];
	struct note *n = arena_alloc(d->scratch, sizeof *n);
	va_list ap;
	va_start(ap, fmt);
	*n = (struct note){ NULL, loc, diag_format(d, fmt, ap) };
	va_end(ap);
	*rec->tail = n;
	rec->tail = &n->next;
}

static int
record_cmp(const void *pa, const void *pb)
{
	const struct record *a = pa, *b = pb;
	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	if (a->loc.col != b->loc.col)
		return a->loc.col < b->loc.col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static struct source *
diag_source(struct diag *d, const char *file)
{
	for (size_t i = 0; i < d->nsources; i++)
		if (d->sources[i].file == file)
			return &d->sources[i];
	return NULL;
}

static void
diag_quote(struct diag *d, struct strbuf *out, struct loc loc)
{
	struct source *s = diag_source(d, loc.file);
	if (!s || loc.line == 0)
		return;
	if (!s->lines) {
		/* Lines end at LF, CR LF or a lone CR, as in the loader. */
		size_t n = 1;
		for (size_t i = 0; i < s->len; i++)
			n += s->buf[i] == '\n' ||
			     (s->buf[i] == '\r' &&
			      (i + 1 == s->len || s->buf[i + 1] != '\n'));
		s->lines = arena_array(d->scratch, n, sizeof *s->lines);
		s->nlines = 0;
		s->lines[s->nlines++] = 0;
		if (s->len >= 3 && !memcmp(s->buf, "\xef\xbb\xbf", 3))
			s->lines[0] = 3; /* a BOM takes no column */
		for (size_t i = 0; i < s->len; i++)
			if (s->buf[i] == '\n' ||
			    (s->buf[i] == '\r' &&
			     (i + 1 == s->len || s->buf[i + 1] != '\n')))
				s->lines[s->nlines++] = i + 1;
	}
	if (loc.line > s->nlines)
		return;
	const unsigned char *line =
		(const unsigned char *)s->buf + s->lines[loc.line - 1];
	const unsigned char *end = (const unsigned char *)s->buf + s->len;
	size_t len = 0;
	while (line + len < end && line[len] != '\n' && line[len] != '\r')
		len++;
	/* The byte of the column: from where the last quote of this line
	 * left off, as reports come sorted by position. */
	if (s->cur_line != loc.line || s->cur_col > loc.col)
		s->cur_line = loc.line, s->cur_col = 1, s->cur_off = 0;
	while (s->cur_col < loc.col && s->cur_off < len) {
		uint32_t cp;
		size_t n =
			utf8_decode(line + s->cur_off, len - s->cur_off, &cp);
		s->cur_off += n ? n : 1;
		s->cur_col++;
	}
	size_t at = s->cur_off, from = at, to = at;
	/* A window of the line around the column, DIAG_QUOTE_CONTEXT
	 * terminal columns each way: a finding on a line of megabytes quotes
	 * a few dozen characters, not the line. */
	for (int used = 0; from > 0 && used < DIAG_QUOTE_CONTEXT;) {
		size_t prev = from - 1;
		while (prev > 0 && (line[prev] & 0xc0) == 0x80)
			prev--;
		uint32_t cp = 0;
		utf8_decode(line + prev, from - prev, &cp);
		used += utf8_width(cp) == 2 ? 2 : 1;
		from = prev;
	}
	size_t blank = 0; /* indentation is no reason to cut */
	while (blank < from && (line[blank] == ' ' || line[blank] == '\t'))
		blank++;
	if (blank == from)
		from = 0;
	for (int used = 0; to < len && used < DIAG_QUOTE_CONTEXT;) {
		uint32_t cp = 0;
		size_t n = utf8_decode(line + to, len - to, &cp);
		used += utf8_width(cp) == 2 ? 2 : 1;
		to += n ? n : 1;
	}
	const char *more = "...";
	strbuf_addc(out, ' ');
	if (from > 0)
		strbuf_adds(out, more);
	strbuf_add(out, (const char *)line + from, to - from);
	if (to < len)
		strbuf_adds(out, more);
	strbuf_adds(out, "\n ");
	if (from > 0)
		strbuf_adds(out, "   ");
	for (size_t off = from; off < at;) {
		uint32_t cp = 0;
		size_t n = utf8_decode(line + off, at - off, &cp);
		if (n == 0)
			n = 1, cp = '?';
		if (cp == '\t')
			strbuf_addc(out, '\t');
		else
			strbuf_adds(out, utf8_width(cp) == 2 ? "  " : " ");
		off += n;
	}
	strbuf_adds(out, "^\n");
}

static void
diag_print_loc(struct strbuf *sb, struct loc loc)
{
	if (!loc.file)
		strbuf_adds(sb, "skillc: ");
	else if (loc.line == 0)
		strbuf_addf(sb, "%s: ", loc.file);
	else
		strbuf_addf(sb, "%s:%u:%u: ", loc.file, (unsigned)loc.line,
			    (unsigned)loc.col);
}

/* Written a record at a time through one buffer: stderr is unbuffered,
 * and a file with a million findings must not take a million writes. */
static void
diag_emit(struct strbuf *sb, FILE *out)
{
	if (sb->len)
		fwrite(sb->buf, 1, sb->len, out);
	strbuf_reset(sb);
}

void
diag_flush(struct diag *d, FILE *out, bool caret)
{
	if (d->nrecs)
		qsort(d->recs, d->nrecs, sizeof *d->recs, record_cmp);
	struct strbuf sb = { 0 };
	for (size_t i = 0; i < d->nrecs; i++) {
		const struct record *r = &d->recs[i];
		const struct rule_info *info = &d->rules[r->rule];
		diag_print_loc(&sb, r->loc);
		strbuf_addf(&sb, "%s: %s [%s %s]\n",
			    r->sev == SEV_ERROR ? "error" : "warning", r->msg,
			    info->id, info->name);
		if (caret)
			diag_quote(d, &sb, r->loc);
		for (const struct note *n = r->notes; n; n = n->next) {
			diag_print_loc(&sb, n->loc);
			strbuf_addf(&sb, "note: %s\n", n->msg);
			if (caret)
				diag_quote(d, &sb, n->loc);
		}
		if (sb.len > 65536)
			diag_emit(&sb, out);
	}
	diag_emit(&sb, out);
	strbuf_free(&sb);
	/* What was printed is forgotten, and its memory with it. */
	d->recs = NULL;
	d->nrecs = d->cap = 0;
	d->dropping = false;
	for (size_t i = 0; i < d->nsources; i++)
		d->sources[i].lines = NULL, d->sources[i].cur_line = 0;
	arena_free(d->scratch);
	d->scratch = arena_new();
	fflush(out);
}

size_t
diag_errors(const struct diag *d)
{
	return d->errors;
}

size_t
diag_warnings(const struct diag *d)
{
	return d->warnings;
}

size_t
diag_rule_count(const struct diag *d, int r)
{
	return d->per_rule[r];
}

void
diag_error_counts(const struct diag *d, size_t *per_rule, size_t n)
{
	for (size_t i = 0; i < d->nrecs; i++)
		if (d->recs[i].sev == SEV_ERROR && (size_t)d->recs[i].rule < n)
			per_rule[d->recs[i].rule]++;
}
