/*
 * diag.c - diagnostics in GCC's form.
 *
 * Takes: reports under a rule, at a location, with notes. Gives: lines
 *   file:line:col: severity: message [ID name]
 *   file:line:col: note: message
 * printed by diag_flush sorted by position (stable, so stderr can be a
 * golden file), each followed by the source line and a caret when asked.
 * The run's sink (diag_format.c) says how: colour, the unit of the
 * columns, and whether JSON or SARIF is kept, with the text or instead.
 * The severity of a rule is its default, changed by the run's options;
 * a report under a rule that is off is dropped with its notes, and so is
 * a warning under -w. -Werror makes the other warnings errors, but for the
 * rules -Wno-error=NAME keeps warnings.
 */
#include "skillc.h"

#include <stdlib.h>
#include <string.h>

const struct rule_info rule_table[RULE_COUNT] = {
#define INPUT(id, sym, name, summary)                                          \
	{ #id, name, SEV_ERROR, true, summary, NULL },
#define CHECK(id, sym, fn, name, sev, summary)                                 \
	{ #id, name, sev, false, summary, NULL },
#include "checks.def"
#undef INPUT
#undef CHECK
};

const char *
rule_summary(const struct rule_info *info)
{
	if (!info->summary)
		return "";
	return info->file ? info->summary : _(info->summary);
}

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
	bool held; /* made while the diag held its reports (diag_hold) */
};

struct source {
	const char *file;
	const char *buf;
	size_t len;
	size_t *lines; /* offsets of line starts, built when first asked */
	size_t nlines;
	/* code points before each DIAG_CP_BLOCK bytes, built when a column
	 * of a long line is first asked */
	uint32_t *cps;
	/* the last place found (diag_place): a column of a line, at this
	 * byte and terminal column (0-based) of it */
	uint32_t cur_line, cur_col, cur_display;
	size_t cur_off;
	/* places of cur_line the walk passed, DIAG_MARK_BYTES apart */
	struct mark {
		uint32_t col, display;
		size_t off;
	} * marks;
	size_t nmarks, marks_cap;
};

/* A place before the last one on its line (a note's, on a line of
 * megabytes with thousands of findings) is walked to from the mark before
 * it, at most this many bytes, not from the line's start. */
#define DIAG_MARK_BYTES 4096

/* A column past this many bytes into its line is counted from the code
 * points tallied before each block of as many bytes: so a line of
 * megabytes with a finding at every word costs each at most two blocks. */
#define DIAG_CP_BLOCK 256

/* Terminal columns quoted on each side of a diagnostic's column. */
#define DIAG_QUOTE_CONTEXT 60

struct diag {
	struct arena *arena;   /* the rules: for the diag's life */
	struct arena *scratch; /* reports and quotes: until the next flush */
	/* the rules of the run: checks.def's, then text rules as added */
	struct rule_info *rules;
	enum severity *severity;
	bool *keep_warning; /* -Wno-error=NAME: not made an error by -Werror */
	size_t *per_rule;   /* reports kept, by rule */
	size_t nrules, rules_cap;
	/* a rule's number + 1 by its ID and by its name: the rules added to
	 * this diag; those it was cloned with are found in its parent's */
	struct hash *by_key;
	const struct diag *parent;
	bool werror;
	bool no_warnings; /* -w */
	struct record *recs;
	size_t nrecs, cap, seq;
	bool dropping; /* the last report was dropped: so are its notes */
	bool holding;  /* diag_hold */
	size_t held;   /* the first report held since diag_settle, or none */
	size_t errors, warnings;
	struct source *sources; /* malloc'd */
	size_t nsources, sources_cap;
	struct diag_sink *sink; /* how the run prints (NULL: plain text) */
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
	d->held = SIZE_MAX;
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
	d->sink = from->sink;
	d->werror = from->werror;
	d->no_warnings = from->no_warnings;
	d->rules_cap = from->nrules + 16;
	d->nrules = from->nrules;
	d->rules = arena_array(a, d->rules_cap, sizeof *d->rules);
	d->severity = arena_array(a, d->rules_cap, sizeof *d->severity);
	d->keep_warning = arena_array(a, d->rules_cap, sizeof *d->keep_warning);
	d->per_rule = arena_array(a, d->rules_cap, sizeof *d->per_rule);
	memcpy(d->rules, from->rules, d->nrules * sizeof *d->rules);
	memcpy(d->severity, from->severity, d->nrules * sizeof *d->severity);
	memcpy(d->keep_warning, from->keep_warning,
	       d->nrules * sizeof *d->keep_warning);
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
		bool *keep = arena_array(d->arena, cap, sizeof *keep);
		size_t *count = arena_array(d->arena, cap, sizeof *count);
		if (d->nrules) {
			memcpy(rules, d->rules, d->nrules * sizeof *rules);
			memcpy(sev, d->severity, d->nrules * sizeof *sev);
			memcpy(keep, d->keep_warning, d->nrules * sizeof *keep);
			memcpy(count, d->per_rule, d->nrules * sizeof *count);
		}
		d->rules = rules, d->severity = sev, d->per_rule = count;
		d->keep_warning = keep;
		d->rules_cap = cap;
	}
	d->rules[d->nrules] = *info;
	d->severity[d->nrules] = info->severity;
	d->keep_warning[d->nrules] = false;
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
diag_set_keep_warning(struct diag *d, int r, bool on)
{
	d->keep_warning[r] = on;
}

void
diag_set_no_warnings(struct diag *d, bool on)
{
	d->no_warnings = on;
}

void
diag_suggest_init(struct diag_suggest *s, const char *name)
{
	/* As model.c suggests a key: a third of the name may be wrong. */
	size_t len = strlen(name);
	*s = (struct diag_suggest){ name, NULL, SIZE_MAX,
				    len < 3 ? 1 : len / 3 + 1 };
}

void
diag_suggest_try(struct diag_suggest *s, const char *candidate)
{
	size_t dist = edit_distance(s->name, candidate);
	if (dist < s->best_dist && dist <= s->limit)
		s->best = candidate, s->best_dist = dist;
}

const char *
diag_nearest_rule(const struct diag *d, const char *name)
{
	/* Names as any name; IDs, which share their letters, in any case
	 * and with one digit wrong or two swapped at most ("sk0180" for
	 * SK0108, not SK0009 for SK9999). A few hundred rules at most, and
	 * only on the way to an error: a scan. */
	char upper[64];
	size_t len = strlen(name) < sizeof upper ? strlen(name) : 0;
	for (size_t i = 0; i < len; i++)
		upper[i] = name[i] >= 'a' && name[i] <= 'z'
				   ? (char)(name[i] - 'a' + 'A')
				   : name[i];
	upper[len] = '\0';
	struct diag_suggest by_name, by_id;
	diag_suggest_init(&by_name, name);
	diag_suggest_init(&by_id, upper);
	by_id.limit = 1;
	for (size_t r = 0; r < d->nrules; r++) {
		diag_suggest_try(&by_name, d->rules[r].name);
		if (len)
			diag_suggest_try(&by_id, d->rules[r].id);
	}
	if (by_id.best &&
	    (!by_name.best || by_id.best_dist < by_name.best_dist))
		return by_id.best;
	return by_name.best;
}

void
diag_set_sink(struct diag *d, struct diag_sink *s)
{
	d->sink = s;
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

/* What a report of rule r is this run: -w drops what would be a warning
 * before -Werror makes it an error, as GCC does; -Wno-error=NAME keeps
 * NAME a warning. */
static enum severity
diag_effective(const struct diag *d, int r)
{
	enum severity sev = d->severity[r];
	if (sev == SEV_WARNING && d->no_warnings)
		sev = SEV_OFF;
	if (sev == SEV_WARNING && d->werror && !d->keep_warning[r])
		sev = SEV_ERROR;
	return sev;
}

bool
diag_wants(const struct diag *d, int r)
{
	return diag_effective(d, r) != SEV_OFF;
}

/* A new report at the end of d's, in its scratch arena. */
static struct record *
new_record(struct diag *d)
{
	if (d->nrecs == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		struct record *recs =
			arena_array(d->scratch, d->cap, sizeof *recs);
		if (d->nrecs)
			memcpy(recs, d->recs, d->nrecs * sizeof *recs);
		d->recs = recs;
	}
	return &d->recs[d->nrecs++];
}

void
diag_report(struct diag *d, int r, struct loc loc, const char *fmt, ...)
{
	enum severity sev = diag_effective(d, r);
	d->dropping = sev == SEV_OFF;
	if (d->dropping)
		return;
	va_list ap;
	va_start(ap, fmt);
	struct record *rec = new_record(d);
	*rec = (struct record){ .rule = r,
				.sev = sev,
				.loc = loc,
				.msg = diag_format(d, _(fmt), ap),
				.seq = d->seq++,
				.held = d->holding };
	/* A file no source was added for (the run as a whole: no file) goes
	 * first; a few sources at most, so a scan. */
	for (size_t i = 0; loc.file && i < d->nsources; i++)
		if (d->sources[i].file == loc.file)
			rec->file = i + 1;
	rec->tail = &rec->notes;
	if (d->holding && d->held > d->nrecs - 1)
		d->held = d->nrecs - 1;
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
	*n = (struct note){ NULL, loc, diag_format(d, _(fmt), ap) };
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

/* The last source of file, as node_loc and the ranks take it: a file
 * read again is a source again. */
static struct source *
diag_source(struct diag *d, const char *file)
{
	for (size_t i = d->nsources; i-- > 0;)
		if (d->sources[i].file == file)
			return &d->sources[i];
	return NULL;
}

/* The offsets where the lines of buf start, into starts (if not NULL);
 * how many. Lines end at LF, CR LF or a lone CR, as in the loader: where
 * there is no CR, memchr finds the ends. */
static size_t
line_starts(const char *buf, size_t len, size_t *starts)
{
	size_t n = 1;
	if (starts)
		starts[0] = 0;
	if (!len)
		return n;
	if (!memchr(buf, '\r', len)) {
		for (const char *p = buf, *end = buf + len;
		     (p = memchr(p, '\n', (size_t)(end - p))); p++, n++)
			if (starts)
				starts[n] = (size_t)(p - buf) + 1;
		return n;
	}
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\n' ||
		    (buf[i] == '\r' && (i + 1 == len || buf[i + 1] != '\n'))) {
			if (starts)
				starts[n] = i + 1;
			n++;
		}
	return n;
}

/* Where s's lines start (a BOM takes no column, as in libyaml). */
static void
source_lines(struct diag *d, struct source *s)
{
	if (s->lines)
		return;
	s->nlines = line_starts(s->buf, s->len, NULL);
	s->lines = arena_array(d->scratch, s->nlines, sizeof *s->lines);
	line_starts(s->buf, s->len, s->lines);
	if (s->len >= 3 && !memcmp(s->buf, "\xef\xbb\xbf", 3))
		s->lines[0] = 3;
}

/* The bytes of p that begin a character (UTF-8: all but 10xxxxxx). */
static size_t
code_points(const char *p, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)p[i] & 0xc0) != 0x80;
	return n;
}

/* The code points of s before byte off. */
static size_t
source_cps(struct diag *d, struct source *s, size_t off)
{
	if (!s->cps) {
		size_t blocks = s->len / DIAG_CP_BLOCK + 1, total = 0;
		s->cps = arena_array(d->scratch, blocks, sizeof *s->cps);
		for (size_t b = 0; b < blocks; b++) {
			size_t from = b * DIAG_CP_BLOCK;
			s->cps[b] = (uint32_t)total;
			total += code_points(s->buf + from,
					     s->len - from < DIAG_CP_BLOCK
						     ? s->len - from
						     : DIAG_CP_BLOCK);
		}
	}
	size_t b = off / DIAG_CP_BLOCK;
	return s->cps[b] +
	       code_points(s->buf + b * DIAG_CP_BLOCK, off - b * DIAG_CP_BLOCK);
}

/* The last source of file that holds the byte at p: a file read again is
 * a source again. */
static struct source *
source_holding(const struct diag *d, const char *file, const char *p)
{
	uintptr_t at = (uintptr_t)p;
	for (size_t i = d->nsources; i-- > 0;)
		if (d->sources[i].file == file &&
		    at >= (uintptr_t)d->sources[i].buf &&
		    at - (uintptr_t)d->sources[i].buf <= d->sources[i].len)
			return &d->sources[i];
	return NULL;
}

const char *
diag_source_buf(const struct diag *d, const char *file, const char *at)
{
	const struct source *s = source_holding(d, file, at);
	return s ? s->buf : NULL;
}

/* Where the byte at p stands in file, as node_loc says of a node there. */
static struct loc
byte_loc(struct diag *d, const char *file, const char *p)
{
	struct source *s = source_holding(d, file, p);
	if (!s)
		return (struct loc){ file, 0, 0 };
	size_t off = (size_t)((uintptr_t)p - (uintptr_t)s->buf);
	source_lines(d, s);
	size_t lo = 0, hi = s->nlines; /* the last line starting by off */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	size_t from = s->lines[lo], col = 0;
	if (off > from)
		col = off - from <= DIAG_CP_BLOCK
			      ? code_points(s->buf + from, off - from)
			      : source_cps(d, s, off) - source_cps(d, s, from);
	return (struct loc){ file, (uint32_t)lo + 1, (uint32_t)col + 1 };
}

struct loc
node_loc(struct diag *d, const char *file, const struct node *n)
{
	return byte_loc(d, file, n->raw);
}

struct loc
place_loc(struct diag *d, const char *file, const char *buf, struct place p)
{
	return p.given ? byte_loc(d, file, buf + p.off)
		       : (struct loc){ NULL, 0, 0 };
}

/* The text of line n of s, without its line end; false when s has no
 * line n. */
static bool
source_line(struct diag *d, struct source *s, uint32_t n, const char **line,
	    size_t *len)
{
	source_lines(d, s);
	if (n == 0 || n > s->nlines)
		return false;
	/* Up to the next line's start, less its line end: not a scan, as
	 * a line of megabytes may have thousands of findings. */
	size_t from = s->lines[n - 1], to = s->len;
	if (n < s->nlines) {
		to = s->lines[n] - 1;
		if (s->buf[to] == '\n' && to > from && s->buf[to - 1] == '\r')
			to--;
	}
	*line = s->buf + from, *len = to - from;
	return true;
}

/* Where loc is, in every unit: its line's text, and the byte and the
 * terminal column of its column (a tab to the next multiple of 8, as GCC's
 * -ftabstop). Reports come sorted by position, so a line is walked on
 * from the last place found on it. Past the end of its line (where a
 * missing value would go) a column is one of each. */
static struct diag_item
diag_place(struct diag *d, struct loc loc, const char *msg)
{
	struct diag_item it = { loc, loc.col, loc.col, NULL, 0, msg };
	struct source *s = diag_source(d, loc.file);
	if (!s || loc.col == 0 ||
	    !source_line(d, s, loc.line, &it.line, &it.line_len))
		return it;
	const unsigned char *line = (const unsigned char *)it.line;
	size_t len = it.line_len;
	if (s->cur_line != loc.line)
		s->cur_line = loc.line, s->nmarks = 0, s->cur_col = 0;
	/* From the cursor, or from the last mark not past the place where
	 * that is nearer (or the cursor is past the place). */
	size_t lo = 0, hi = s->nmarks;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->marks[mid].col <= loc.col)
			lo = mid + 1;
		else
			hi = mid;
	}
	struct mark m = lo ? s->marks[lo - 1] : (struct mark){ 1, 0, 0 };
	if (s->cur_col == 0 || s->cur_col > loc.col || m.col > s->cur_col)
		s->cur_col = m.col, s->cur_display = m.display,
		s->cur_off = m.off;
	size_t next =
		(s->nmarks ? s->marks[s->nmarks - 1].off : 0) + DIAG_MARK_BYTES;
	while (s->cur_col < loc.col && s->cur_off < len) {
		uint32_t cp = '?';
		size_t n =
			utf8_decode(line + s->cur_off, len - s->cur_off, &cp);
		s->cur_off += n ? n : 1;
		s->cur_display += cp == '\t' ? 8 - s->cur_display % 8
					     : (uint32_t)utf8_width(cp);
		s->cur_col++;
		if (s->cur_off >= next) {
			if (s->nmarks == s->marks_cap) {
				size_t cap =
					s->marks_cap ? 2 * s->marks_cap : 16;
				struct mark *more = arena_array(d->scratch, cap,
								sizeof *more);
				if (s->nmarks)
					memcpy(more, s->marks,
					       s->nmarks * sizeof *more);
				s->marks = more, s->marks_cap = cap;
			}
			s->marks[s->nmarks++] =
				(struct mark){ s->cur_col, s->cur_display,
					       s->cur_off };
			next = s->cur_off + DIAG_MARK_BYTES;
		}
	}
	uint32_t past = loc.col - s->cur_col;
	it.byte_col = (uint32_t)s->cur_off + 1 + past;
	it.display_col = s->cur_display + 1 + past;
	return it;
}

/* GCC's colours (its GCC_COLORS defaults): SGR, then erase to the end of
 * the line, as GCC writes them. */
#define SGR(code)   "\33[" code "m\33[K"
#define SGR_END	    SGR("")
#define SGR_LOCUS   SGR("01")
#define SGR_ERROR   SGR("01;31")
#define SGR_WARNING SGR("01;35")
#define SGR_NOTE    SGR("01;36")
#define SGR_CARET   SGR("32")

/* The line of the place and a caret under its column. */
static void
diag_quote(struct strbuf *out, const struct diag_item *it, bool color)
{
	if (!it->line)
		return;
	const unsigned char *line = (const unsigned char *)it->line;
	size_t len = it->line_len;
	size_t at = it->byte_col - 1 < len ? it->byte_col - 1 : len;
	size_t from = at, to = at;
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
		static const char *const pad[] = { "", " ", "  " };
		strbuf_adds(out, cp == '\t' ? "\t" : pad[utf8_width(cp)]);
		off += n;
	}
	strbuf_adds(out, color ? SGR_CARET "^" SGR_END "\n" : "^\n");
}

/* "file:line:col: " in the run's column unit, bold in colour. */
static void
diag_print_loc(struct strbuf *sb, const struct diag_item *it,
	       const struct diag_sink_options *o)
{
	bool color = o && o->color;
	enum diag_column unit = o ? o->column : DIAG_COLUMN_CODEPOINT;
	uint32_t col = unit == DIAG_COLUMN_BYTE	     ? it->byte_col
		       : unit == DIAG_COLUMN_DISPLAY ? it->display_col
						     : it->loc.col;
	if (color)
		strbuf_adds(sb, SGR_LOCUS);
	if (!it->loc.file)
		strbuf_adds(sb, "skillc:");
	else if (it->loc.line == 0)
		strbuf_addf(sb, "%s:", it->loc.file);
	else
		strbuf_addf(sb, "%s:%u:%u:", it->loc.file,
			    (unsigned)it->loc.line, (unsigned)col);
	strbuf_adds(sb, color ? SGR_END " " : " ");
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
	const struct diag_sink_options *o =
		d->sink ? diag_sink_options(d->sink) : NULL;
	bool text = !o || o->text, color = o && o->color;
	if (d->sink)
		diag_sink_rules(d->sink, d);
	struct strbuf sb = { 0 };
	for (size_t i = 0; i < d->nrecs; i++) {
		const struct record *r = &d->recs[i];
		const struct rule_info *info = &d->rules[r->rule];
		size_t n = 1;
		for (const struct note *k = r->notes; k; k = k->next)
			n++;
		struct diag_item *items =
			arena_array(d->scratch, n, sizeof *items);
		items[0] = diag_place(d, r->loc, r->msg);
		n = 1;
		for (const struct note *k = r->notes; k; k = k->next)
			items[n++] = diag_place(d, k->loc, k->msg);
		if (d->sink)
			diag_sink_finding(d->sink, info, r->sev, items, n);
		if (!text)
			continue;
		const char *kind =
			/* TRANSLATORS: the severity words of "FILE:LINE:COL:
			 * error:" (GCC's: the tools that read the line match
			 * the place, not the word). */
			r->sev == SEV_ERROR ? _("error") : _("warning");
		const char *sgr = r->sev == SEV_ERROR ? SGR_ERROR : SGR_WARNING;
		diag_print_loc(&sb, &items[0], o);
		if (color)
			strbuf_addf(
				&sb,
				"%s%s:" SGR_END " %s [%s%s %s" SGR_END "]\n",
				sgr, kind, r->msg, sgr, info->id, info->name);
		else
			strbuf_addf(&sb, "%s: %s [%s %s]\n", kind, r->msg,
				    info->id, info->name);
		if (caret)
			diag_quote(&sb, &items[0], color);
		for (size_t k = 1; k < n; k++) {
			diag_print_loc(&sb, &items[k], o);
			strbuf_addf(&sb, "%s%s:%s %s\n", color ? SGR_NOTE : "",
				    _("note"), color ? SGR_END : "",
				    items[k].msg);
			if (caret)
				diag_quote(&sb, &items[k], color);
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
		d->sources[i].lines = NULL, d->sources[i].cps = NULL,
		d->sources[i].cur_line = 0, d->sources[i].marks = NULL,
		d->sources[i].marks_cap = 0;
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

void
diag_hold(struct diag *d, bool on)
{
	d->holding = on;
}

/* Drop the reports from the from'th on that drop picks, with their notes
 * and from the counts; the others keep their order. */
static void
compact(struct diag *d, size_t from,
	bool (*drop)(void *ctx, const struct record *r), void *ctx)
{
	size_t kept = from;
	for (size_t i = from; i < d->nrecs; i++) {
		const struct record *r = &d->recs[i];
		if (!drop(ctx, r)) {
			d->recs[kept++] = *r;
			continue;
		}
		if (r->sev == SEV_ERROR)
			d->errors--;
		else
			d->warnings--;
		d->per_rule[r->rule]--;
	}
	for (size_t i = from; i < kept; i++) { /* moved: their tails too */
		struct record *r = &d->recs[i];
		r->tail = &r->notes;
		while (*r->tail)
			r->tail = &(*r->tail)->next;
	}
	d->nrecs = kept;
	d->dropping = true; /* a note now would attach to no report */
}

static bool
is_held(void *ctx, const struct record *r)
{
	(void)ctx;
	return r->held;
}

void
diag_settle(struct diag *d, bool keep)
{
	/* Reports are in the order made until a flush or a filter sorts
	 * them, and none runs while reports are held. */
	if (!keep && d->held < d->nrecs)
		compact(d, d->held, is_held, NULL);
	d->held = SIZE_MAX;
}

/* ---- filters: suppressions, baselines, fix --dry-run ------------------ */

struct filter {
	const struct diag *d;
	bool (*drop)(void *ctx, const struct diag_finding *f);
	void *ctx;
};

static bool
filtered(void *ctx, const struct record *r)
{
	const struct filter *f = ctx;
	const struct diag_finding finding = { r->rule, r->sev, r->loc, r->msg };
	return !f->d->rules[r->rule].fixed && f->drop(f->ctx, &finding);
}

void
diag_filter(struct diag *d,
	    bool (*drop)(void *ctx, const struct diag_finding *f), void *ctx)
{
	if (d->nrecs)
		qsort(d->recs, d->nrecs, sizeof *d->recs, record_cmp);
	struct filter f = { d, drop, ctx };
	compact(d, 0, filtered, &f);
}

void
diag_relocate(struct diag *d, const char *from, const char *to,
	      struct loc (*map)(void *ctx, struct loc), void *ctx)
{
	size_t rank = 0;
	for (size_t i = d->nsources; i-- > 0 && !rank;)
		if (d->sources[i].file == to)
			rank = i + 1;
	for (size_t i = 0; i < d->nrecs; i++) {
		struct record *r = &d->recs[i];
		if (r->loc.file == from) {
			r->loc = map(ctx, r->loc);
			r->loc.file = to;
			r->file = rank;
		}
		for (struct note *n = r->notes; n; n = n->next)
			if (n->loc.file == from) {
				n->loc = map(ctx, n->loc);
				n->loc.file = to;
			}
	}
}

int
diag_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "skillc: %s: ", _("error"));
	vfprintf(stderr, _(fmt), ap);
	fprintf(stderr, "\n%s\n", _("(run 'skillc --help' for usage)"));
	va_end(ap);
	return 2;
}

int
diag_fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "skillc: %s: ", _("error"));
	vfprintf(stderr, _(fmt), ap);
	fputc('\n', stderr);
	va_end(ap);
	return 2;
}
