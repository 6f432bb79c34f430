/*
 * skillc.h - the model of a skill standard and one section per pass.
 *
 * A run reads each source file in three passes:
 *
 *   load   YAML bytes -> tree of nodes with locations        (load.c)
 *   model  tree -> typed model, references resolved           (model.c)
 *   check  model -> diagnostics, the model is not changed     (check_*.c)
 *
 * Each pass reports everything it finds through diag and the driver stops
 * between passes when errors exist. Everything a pass builds lives in one
 * arena per run and is never freed piecemeal.
 */
#ifndef SKILLC_H
#define SKILLC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SKILLC_VERSION "0.1.0"
/* The check catalogue (docs/checks.md) as published: each rule's entry is
 * at #skNNNN (its ID in lower case). Written here only: the JSON and SARIF
 * diagnostics link to it. The project has no public address yet. */
#define SKILLC_CHECKS_URL "https://skillc.invalid/docs/checks.md"

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define NORETURN	  __attribute__((noreturn))
#else
#define PRINTF_LIKE(f, a)
#define NORETURN
#endif

/* ---- i18n.c: the language of the messages ---------------------------- */

/* Messages are GNU gettext's (domain "skillc", po/): the C strings are
 * English. _() translates a string where it is used; N_() marks one that
 * is translated later (a table's, or a format diag translates: diag_report,
 * diag_note, diag_usage_error and diag_fatal take the English format and
 * translate it themselves, as GCC's diagnostic functions do). Only the
 * messages follow the locale: outputs never call gettext. */
#include <libintl.h>
#define _(s)  gettext(s)
#define N_(s) s

/* Messages in the language of LC_ALL, LC_MESSAGES or LANG (LANGUAGE
 * too, as gettext reads it); every other category stays "C". */
void i18n_init(void);
/* The language of the messages: the catalogue's (its "Language:"), or
 * "en" without one. A language tag's primary subtag: "zh", "en". */
const char *i18n_language(void);
/* The catalogue's whole tag ("zh_CN"; "en" without one), and the script
 * of its Chinese ("Hans" or "Hant"; NULL for another language). */
const char *i18n_locale(void);
const char *i18n_script(void);
/* The message skillc prints when out of memory, translated beforehand. */
extern const char *i18n_out_of_memory;
/* Does tag (zh, zh_CN, zh-Hans) name language lang (zh)? */
bool i18n_same_language(const char *tag, const char *lang);
/* The language of a text given in one language only: "zh" when its Han
 * characters outweigh its Latin letters (one for five; placeholders such
 * as {match} not counted), else "en". */
const char *i18n_guess_language(const char *text);

/* ---- arena.c: one region per run ------------------------------------- */

struct arena;

/* The arena owns everything allocated from it; arena_free releases all. */
struct arena *arena_new(void);
void arena_free(struct arena *a);
/* Zeroed memory, aligned for any object; exits with status 2 when out of
 * memory (the one failure a pass cannot report and go on from). */
void *arena_alloc(struct arena *a, size_t size);
void *arena_array(struct arena *a, size_t count, size_t size);
/* A NUL-terminated copy of s[0, len): text, so not aligned. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
/* Call fn(p) when a is freed, before its memory goes: for what an object
 * of the arena holds outside it (another arena, a malloc'd block). */
void arena_on_free(struct arena *a, void (*fn)(void *), void *p);
size_t arena_used(const struct arena *a);
NORETURN void die_oom(void);
/* Make the pages of a fresh block of memory (calloc'd, never written)
 * present and writable, in one call: a first write to each page would
 * fault, and a fault costs several times the clearing of its page (more
 * in a virtual machine). A hint, for blocks of ARENA_READY_MIN and more
 * (for a smaller one a call costs about what it saves): on a kernel
 * before Linux 5.14 the pages fault in as ever. The arena applies it to
 * its large chunks, a run of ARENA_READY_MIN bytes ahead of use. */
void arena_ready(void *p, size_t len);
#define ARENA_READY_MIN ((size_t)256 * 1024)

/* ---- strbuf.c: growable byte buffers --------------------------------- */

struct strbuf {
	char *buf; /* NUL-terminated while len > 0; owned, free with strbuf_free
		    */
	size_t len, cap;
	/* A streamed buffer: once it has grown to STRBUF_STREAM bytes, each
	 * time it would grow, it hands its bytes to sink instead (NULL: it
	 * keeps everything). */
	void (*sink)(void *ctx, const char *data, size_t len);
	void *sink_ctx;
};

#define STRBUF_STREAM ((size_t)1 << 20)

/* Room for extra more bytes and the NUL, out of line: the adds below are
 * inline, as the emitters make millions of them. */
void strbuf_grow(struct strbuf *sb, size_t extra);
/* A streamed buffer's bytes to its sink: all of them, or (all false) all
 * but its trailing line ends, which a writer may still take back. */
void strbuf_drain(struct strbuf *sb, bool all);

static inline void
strbuf_add(struct strbuf *sb, const char *s, size_t len)
{
	if (sb->cap - sb->len <= len)
		strbuf_grow(sb, len);
	if (len)
		memcpy(sb->buf + sb->len, s, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

static inline void
strbuf_addc(struct strbuf *sb, char c)
{
	if (sb->cap - sb->len <= 1)
		strbuf_grow(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

static inline void
strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

/* s as a JSON string, quotes included: valid UTF-8 as it is, each byte of
 * an invalid sequence (a file name may hold any) as U+FFFD, controls
 * escaped. The one JSON string writer of the outputs, diagnostics and
 * baselines. */
void strbuf_add_json(struct strbuf *sb, const char *s, size_t len);
/* v in decimal, as "%lld" writes it, without vsnprintf's cost. */
void strbuf_add_int(struct strbuf *sb, long long v);
PRINTF_LIKE(2, 3) void strbuf_addf(struct strbuf *sb, const char *fmt, ...);
PRINTF_LIKE(2, 0)
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void strbuf_reset(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);

/* ---- hash.c: byte-string keys to pointers ---------------------------- */

struct hash;

/* Tables are freed with their arena; keys are not copied and must outlive
 * them. */
struct hash *hash_new(struct arena *a, size_t expected);
void *hash_get(const struct hash *h, const char *key, size_t len);
/* Inserts key -> value unless key is present; returns the value already
 * there (and inserts nothing) or NULL after inserting. */
void *hash_put(struct hash *h, const char *key, size_t len, void *value);
/* The value slot of key, inserted holding NULL if absent: for updates. It
 * stays where it is until the table grows, which a table made for n keys
 * does not do before it holds n. */
void **hash_slot(struct hash *h, const char *key, size_t len);
size_t hash_count(const struct hash *h);
/* The tables' hash of len bytes: every bit depends on every byte. */
uint32_t hash_bytes(const char *key, size_t len);
/* Frees h's slots before its arena goes: a pass done with a table gives
 * its memory back at once. h is not used again. */
void hash_drop(struct hash *h);

/* ---- utf8.c: text helpers with no pass logic ------------------------- */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is invalid
 * (overlong, surrogate, above U+10FFFF, truncated). *cp gets the code point.
 * Inline: every reader of text calls it once a character. */
static inline size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	if (len == 0)
		return 0;
	unsigned char c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t n;
	uint32_t v, min;
	if ((c & 0xe0) == 0xc0) {
		n = 2, v = c & 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3, v = c & 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* Whether s starts a three-byte character that is valid whatever its
 * continuation bytes are: a lead byte E1..EC or EE..EF (no overlong form,
 * no surrogate). Most of a Chinese text passes here without decoding. */
static inline bool
utf8_plain3(const unsigned char *s, size_t len)
{
	return len >= 3 && s[0] >= 0xe1 && s[0] <= 0xef && s[0] != 0xed &&
	       (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80;
}

/* Columns a code point takes on a terminal: 2 for East Asian Wide and
 * Fullwidth, 0 for combining marks and zero-width format characters. */
int utf8_width(uint32_t cp);
/* Optimal string alignment distance (Levenshtein plus adjacent
 * transpositions) between two short ASCII strings; SIZE_MAX when either
 * has 64 characters or more. */
size_t edit_distance(const char *a, const char *b);

/* ---- rx.c: PCRE2, the one door to it ---------------------------------- */

struct rx;
struct rx_terms;

/* Byte offsets of a match and of its first group (the whole match when
 * the pattern has none, or the group did not take part). */
struct rx_match {
	size_t start, end, group_start, group_end;
};

enum {
	RX_LIMIT = -10000,  /* the match or depth limit hit, on this text */
	RX_BUDGET = -10001, /* the run's budget for text rules is spent */
};

/* The allowed terms ${terms} looks up: a set of its own (under NULL), or
 * one that adds to under, which must outlive it. The set owns its memory
 * (copies of the terms included); free it with rx_terms_free. */
struct rx_terms *rx_terms_new(const struct rx_terms *under);
void rx_terms_add(struct rx_terms *t, const char *s, size_t len);
/* How many terms t and the sets under it hold. */
size_t rx_terms_count(const struct rx_terms *t);
void rx_terms_free(struct rx_terms *t);

/* Compile a UTF-8 pattern with Unicode properties, ${terms} standing for
 * an allowed term of terms (which must outlive the pattern; NULL: none);
 * NULL with PCRE2's message in err and the offending offset, in the
 * pattern as written, in *erroffset. The caller owns the pattern and frees
 * it with rx_free. */
struct rx *rx_compile(const char *pattern, size_t len,
		      const struct rx_terms *terms, char *err, size_t errlen,
		      size_t *erroffset);
/* The same with any number of sets: ${name} stands for a term of sets[i]
 * (NULL: none) where names[i] is name; another ${name} is an error.
 * shipped: the pattern is one of skillc's own, which test_rx compiles as
 * written, so that compile, which only places a pattern's errors, is not
 * made again. */
struct rx *rx_compile_sets(const char *pattern, size_t len,
			   const char *const *names,
			   const struct rx_terms *const *sets, size_t nsets,
			   bool shipped, char *err, size_t errlen,
			   size_t *erroffset);
/* In text (valid UTF-8, as the loader's texts are; start at a character),
 * 1 and *m for a match at or after start, 0 for none, RX_LIMIT when a
 * limit was hit, RX_BUDGET when the run's budget is spent (now or
 * before), another negative PCRE2 code on error. */
int rx_match(struct rx *rx, const char *text, size_t len, size_t start,
	     struct rx_match *m);
/* The characters a text holds, coarsely (rx_filter.c): what rx_may_match
 * reads instead of the text, for every pattern. */
#define RX_SIG_WORDS 64
struct rx_sig {
	uint64_t ascii[2], bits[RX_SIG_WORDS];
	uint64_t words; /* which of bits are not zero */
};
/* sig of text (valid UTF-8); sig starts zeroed, and each call forgets
 * the text before, which costs less than clearing it whole. */
void rx_sig(struct rx_sig *sig, const char *text, size_t len);
/* false only where rx_match finds no match in the text of sig, at any
 * start: it lacks a character every match needs. */
bool rx_may_match(const struct rx *rx, const struct rx_sig *sig);
/* rx.c's side of rx_filter.c: the filter of a pattern whose leading
 * settings (*UTF)... are lead and the rest body, ${name}s expanded; NULL
 * where there is none. */
struct rx_filter;
struct rx_filter *rx_filter_new(const char *lead, size_t lead_len,
				const char *body, size_t len);
bool rx_filter_may(const struct rx_filter *f, const struct rx_sig *sig);
void rx_filter_free(struct rx_filter *f);
/* Append the replacement (PCRE2 extended syntax: $1, ${1:+a:b}) of the
 * match rx_match found last in text; 0, or a negative PCRE2 code. */
int rx_replacement(struct rx *rx, const char *text, size_t len,
		   const char *replacement, size_t rlen, struct strbuf *out);
void rx_error_message(int code, char *buf, size_t len);
void rx_free(struct rx *rx);
/* The run's budget for matching: a constant, and more for each byte of
 * text the rules are to read (grant it before matching the text). Once
 * spent, it stays spent until rx_release. */
void rx_budget_grant(size_t bytes);
bool rx_budget_spent(void);
/* Units used and granted so far, for measurements and tests. */
void rx_budget_usage(uint64_t *used, uint64_t *total);
/* Release what every pattern shares and renew the budget: at the end of a
 * run (a pattern compiled before may still be matched after). */
void rx_release(void);

/* ---- diag.c: diagnostics --------------------------------------------- */

enum severity { SEV_OFF, SEV_WARNING, SEV_ERROR };

/* A position in a source: 1-based line and column, the column counted in
 * characters. line 0 means "the file as a whole". */
struct loc {
	const char *file;
	uint32_t line, col;
};

/* The rules: every diagnostic skillc reports carries one (checks.def). */
enum rule {
#define INPUT(id, sym, name, summary)	       RULE_##sym,
#define CHECK(id, sym, fn, name, sev, summary) RULE_##sym,
#include "checks.def"
#undef INPUT
#undef CHECK
	RULE_COUNT
};

struct rule_info {
	const char *id;		/* "SK0101", never reused */
	const char *name;	/* "weight-sum" */
	enum severity severity; /* default */
	bool fixed;		/* an input rule: always an error */
	const char *summary;
	const char *file; /* the file defining it; NULL: checks.def */
};

extern const struct rule_info rule_table[RULE_COUNT];

/* A rule's summary for people: checks.def's from the catalogue, a text
 * rule's as its file gives it (already in the language of the messages:
 * ltext_pick); "" for none. */
const char *rule_summary(const struct rule_info *info);

/* A rule of checks.def by ID or name, or -1. */
int rule_find(const char *id_or_name);

struct diag;

/* A diag knows the rules of checks.def (numbered as enum rule) and the
 * text rules added to it. */
struct diag *diag_new(struct arena *a);
/* A new diag in arena a with d's rules and severities, and no reports. */
struct diag *diag_clone(struct arena *a, const struct diag *d);
/* While on, reports are held: diag_settle keeps them, or takes them back
 * with their notes (what a load that fails had its sink report,
 * load_stream). No flush or filter may run while some are held. */
void diag_hold(struct diag *d, bool on);
void diag_settle(struct diag *d, bool keep);
/* Add a rule; its number, or -1 if its ID or name is taken. info's
 * strings must outlive the diag. */
int diag_add_rule(struct diag *d, const struct rule_info *info);
/* A rule by ID or name, or -1. */
int diag_find_rule(const struct diag *d, const char *id_or_name);
const struct rule_info *diag_rule(const struct diag *d, int r);
size_t diag_rule_total(const struct diag *d);
enum severity diag_severity(const struct diag *d, int r);
/* Whether a report of rule r would be kept this run (not off, not a
 * warning under -w): where it would not, its place need not be made. */
bool diag_wants(const struct diag *d, int r);
/* Severity of a rule for this run (options -W, -Wno-, -E); fixed rules
 * keep theirs. */
void diag_set_severity(struct diag *d, int r, enum severity sev);
void diag_set_werror(struct diag *d, bool on);
/* -Wno-error=NAME: rule r stays a warning under -Werror. */
void diag_set_keep_warning(struct diag *d, int r, bool on);
/* -w: a report that would be a warning is dropped, before -Werror would
 * make it an error. */
void diag_set_no_warnings(struct diag *d, bool on);
/* Did-you-mean: of the candidates tried, the one nearest to name (by
 * edit_distance), if close enough to be a likely typo; best is NULL while
 * none is. The first of equally near ones wins. */
struct diag_suggest {
	const char *name, *best;
	size_t best_dist, limit;
};
void diag_suggest_init(struct diag_suggest *s, const char *name);
void diag_suggest_try(struct diag_suggest *s, const char *candidate);
/* The name or ID of a rule of d nearest to name, or NULL. */
const char *diag_nearest_rule(const struct diag *d, const char *name);
/* Keep a source's text so that diagnostics can quote its lines. */
void diag_add_source(struct diag *d, const char *file, const char *buf,
		     size_t len);
/* Report under rule r at loc; notes that follow attach to it. */
PRINTF_LIKE(4, 5)
void diag_report(struct diag *d, int r, struct loc loc, const char *fmt, ...);
PRINTF_LIKE(3, 4)
void diag_note(struct diag *d, struct loc loc, const char *fmt, ...);
/* Print the diagnostics held, sorted by position, and forget them. */
void diag_flush(struct diag *d, FILE *out, bool caret);
/* A message about the run, not the input, on stderr: "skillc: error: "
 * and the text; with the hint to --help for a usage error. Both return
 * 2, the exit status of such an error. */
PRINTF_LIKE(1, 2) int diag_usage_error(const char *fmt, ...);
PRINTF_LIKE(1, 2) int diag_fatal(const char *fmt, ...);
size_t diag_errors(const struct diag *d);
size_t diag_warnings(const struct diag *d);
/* How many reports under rule r were kept in this run (for tests). */
size_t diag_rule_count(const struct diag *d, int r);
/* Add to per_rule[r] (r < n) the errors held and not yet flushed. */
void diag_error_counts(const struct diag *d, size_t *per_rule, size_t n);
/* A finding held, as a filter sees it. */
struct diag_finding {
	int rule;
	enum severity sev;
	struct loc loc;
	const char *msg;
};
/* Drop, with their notes, the findings held for which drop(ctx, f) is
 * true; they no longer count. Offered in the order diag_flush prints
 * them; findings of the input format's rules are never offered. */
void diag_filter(struct diag *d,
		 bool (*drop)(void *ctx, const struct diag_finding *f),
		 void *ctx);
/* Move the findings and notes held at file from to file to, at the place
 * map(ctx, loc) gives; to's source must have been added. */
void diag_relocate(struct diag *d, const char *from, const char *to,
		   struct loc (*map)(void *ctx, struct loc), void *ctx);

/* How a run's diagnostics are written, held by a sink that the run's
 * diags flush into (diag_set_sink; diag_clone passes it on). Without a
 * sink diag_flush prints text, in code points, without colour. The
 * format is that of the document the sink keeps (DIAG_TEXT: none). */
enum diag_format { DIAG_TEXT, DIAG_JSON, DIAG_SARIF };
/* The unit of the columns printed: code points (struct loc's, SARIF's
 * unicodeCodePoints), terminal columns (wide characters 2, a tab to the
 * next multiple of 8), or bytes (UTF-8, as vim's quickfix counts). */
enum diag_column {
	DIAG_COLUMN_CODEPOINT,
	DIAG_COLUMN_DISPLAY,
	DIAG_COLUMN_BYTE
};
struct diag_sink_options {
	enum diag_format format;
	bool text;  /* diag_flush prints the text too */
	bool color; /* in GCC's colours (SGR escapes) */
	enum diag_column column;
};
struct diag_sink;
/* A sink in arena a, which owns it. */
struct diag_sink *diag_sink_new(struct arena *a,
				const struct diag_sink_options *o);
const struct diag_sink_options *diag_sink_options(const struct diag_sink *s);
void diag_set_sink(struct diag *d, struct diag_sink *s);
/* JSON and SARIF: the document of what was flushed into s
 * (docs/diagnostics.md), for a run that ends with exit status status. */
void diag_sink_document(const struct diag_sink *s, int status,
			struct strbuf *out);
/* The findings flushed into s so far, by severity. */
void diag_sink_totals(const struct diag_sink *s, size_t *errors,
		      size_t *warnings);
/* "2 errors and 1 warning generated.\n" as clang says it, or nothing when
 * there were none. */
void diag_sink_summary(const struct diag_sink *s, struct strbuf *out);

/* What diag_flush hands the sink (diag_format.c) for a finding and for
 * each of its notes: the place, the column in the other units, the text
 * of its line without the line end (NULL: no source), and the message. */
struct diag_item {
	struct loc loc; /* the column in code points */
	uint32_t byte_col, display_col;
	const char *line;
	size_t line_len;
	const char *msg;
};
/* A finding: items[0], then its notes. Counted; kept for the document
 * when the format is JSON or SARIF. */
void diag_sink_finding(struct diag_sink *s, const struct rule_info *rule,
		       enum severity sev, const struct diag_item *items,
		       size_t n);
/* Before the findings of a flush of d: the rules of d the SARIF document
 * lists (once each, by ID and name). */
void diag_sink_rules(struct diag_sink *s, const struct diag *d);

/* ---- load.c: YAML -> tree -------------------------------------------- */

enum node_kind { NODE_SCALAR, NODE_SEQ, NODE_MAP };

/* How YAML would type a scalar: only plain scalars are ever not text. */
enum scalar_type {
	SCALAR_TEXT,
	SCALAR_NULL,   /* empty, ~, null */
	SCALAR_BOOL,   /* true/false, and YAML 1.1's yes/no/on/off */
	SCALAR_NUMBER, /* any YAML 1.1 or 1.2 integer or float, sexagesimal */
	SCALAR_DATE,   /* a YAML 1.1 timestamp */
};

enum scalar_style { STYLE_PLAIN, STYLE_SINGLE, STYLE_DOUBLE, STYLE_BLOCK };

/* A node of the tree: 24 bytes, for a source holds millions of them.
 * Where it stands is where its bytes start in the source (raw); the file
 * is the tree's, which whoever loaded it knows, and the diagnostics that
 * hold the file's text turn the two into a line and a column (node_loc).
 * A scalar's bytes in the source take less than LOAD_MAX_RAW, 25 bits:
 * the kinds take the bits left. */
struct node {
	union {
		const char *text;   /* NODE_SCALAR: a NUL-terminated copy
				     * (a mapping key's shared, load_key),
				     * or its bytes in the source: node_span */
		struct node *items; /* NODE_SEQ, NODE_MAP: side by side, a
				     * mapping's keys after them (node_keys) */
	};
	const char *raw; /* where it starts, in the source */
	union {
		uint32_t len;	/* NODE_SCALAR: of text */
		uint32_t count; /* NODE_SEQ, NODE_MAP: within LOAD_MAX_ITEMS */
	};
	unsigned raw_len : 25;	      /* NODE_SCALAR: its bytes at raw */
	unsigned kind : 2;	      /* enum node_kind */
	unsigned style : 2, type : 3; /* NODE_SCALAR only: enum scalar_style,
				       * scalar_type */
};

/* Whether n's text is its value's own bytes in the source, between its
 * quotes if it has any, not a copy: not NUL-terminated. load_stream gives
 * a value so where the source holds it as it is (node_verbatim), but at
 * the source's very end; the model keeps it so only in the fields that
 * say so (FIELD_SPAN). */
static inline bool
node_span(const struct node *n)
{
	return n->len && n->text == n->raw + (n->style != STYLE_PLAIN);
}

/* Whether value, the value of the scalar n, is what the source holds of
 * it (without its quotes): no escape, no folded line, nothing to copy. */
static inline bool
node_verbatim(const struct node *n, const char *value)
{
	size_t quotes = n->style == STYLE_PLAIN ? 0 : 2;
	return n->len && n->style != STYLE_BLOCK &&
	       n->raw_len == n->len + quotes &&
	       !memcmp(n->raw + quotes / 2, value, n->len);
}

/* A mapping's keys: keys[i] -> items[i]. */
static inline const struct node *
node_keys(const struct node *map)
{
	return map->items + map->count;
}

/* The buffer of the last source of file that d holds and that holds the
 * byte at (node_loc's source for a node there), or NULL. */
const char *diag_source_buf(const struct diag *d, const char *file,
			    const char *at);

/* Where n stands in file, the tree loaded from it, whose source d holds
 * (load_buffer gives it; a clone of d holds its parent's): its line, and
 * its column in code points. Where d holds no source of that name that
 * holds n, the place is the file alone, {file, 0, 0}. */
struct loc node_loc(struct diag *d, const char *file, const struct node *n);

/* Where a node stood in its source, kept without the node: what the model
 * holds of each value it reads (struct text, num, ...), 8 bytes where a
 * copy of the node took 24, for the loader's nodes last only the call
 * (load_stream) and a source holds hundreds of thousands of values. Its
 * first byte as an offset into the source's buffer, which the place's
 * owner knows (a standard's, a rules file's, a profile's: model_loc,
 * place_loc), and what the node says of itself besides its text and
 * items. Zeroed, it is no place: the source does not give the value. */
struct place {
	unsigned off : 31;     /* raw, less the buffer: below LOAD_MAX_BYTES */
	unsigned given : 1;    /* 0: no place, nothing else is set */
	unsigned raw_len : 25; /* NODE_SCALAR: its bytes at raw */
	unsigned kind : 2;     /* enum node_kind */
	unsigned style : 2, type : 3; /* NODE_SCALAR only, as in struct node */
};

/* The place of n, a node of the source at buf. */
static inline struct place
place_of(const char *buf, const struct node *n)
{
	return (struct place){ (unsigned)(n->raw - buf),
			       1,
			       n->raw_len,
			       n->kind,
			       n->style,
			       n->type };
}

/* The node that stood at p (given) in the source at buf, as far as the
 * place and a scalar's text (text, len: as the model keeps it) tell: a
 * mapping or list with no items. For what takes a node: load_position,
 * load_map. */
static inline struct node
place_node(const char *buf, struct place p, const char *text, size_t len)
{
	struct node n = { .raw = buf + p.off,
			  .raw_len = p.raw_len,
			  .kind = p.kind,
			  .style = p.style,
			  .type = p.type };
	if (p.kind == NODE_SCALAR)
		n.text = text, n.len = (uint32_t)len;
	return n;
}

/* Where p stands in file, read from buf, as node_loc says of its node; no
 * place at all ({NULL, 0, 0}) where p is not given. */
struct loc place_loc(struct diag *d, const char *file, const char *buf,
		     struct place p);

/* Limits the loader enforces while reading. */
#define LOAD_MAX_DEPTH	   64		       /* nested lists and mappings */
#define LOAD_MAX_BYTES	   ((size_t)256 << 20) /* a source file */
#define LOAD_MAX_SCALAR	   (1 << 20)	       /* one scalar, in bytes */
#define LOAD_MAX_RAW	   (1 << 25) /* the same as written, exclusive */
#define LOAD_MAX_ITEMS	   1000000   /* entries of one list or mapping */
#define LOAD_SHARED_KEYS   1024	     /* different keys copied once each */
#define MODEL_MAX_LEVELS   1000	     /* levels of one standard */
#define MODEL_MAX_BRANCHES 64	     /* branches (工种) of one standard */

/* Read a whole file into the arena; 0, or an errno value (EFBIG past
 * LOAD_MAX_BYTES). */
int load_read(struct arena *a, const char *path, char **buf, size_t *len);
/* The same from an open file, which the caller closes. */
int load_read_fd(struct arena *a, int fd, char **buf, size_t *len);
/* Parse a file's bytes into a tree; NULL after reporting why. name is used
 * in locations; buf must outlive the diagnostics, which quote it. */
struct node *load_buffer(struct arena *a, struct diag *d, const char *name,
			 const char *buf, size_t len);
/* What takes a file's nodes as they are read, in document order: a
 * mapping's key, then its value. A node given is valid only during the
 * call (its text as long as the arena, and a value's may be its bytes in
 * the source: node_span); a mapping or list is given when it opens, with
 * no items, and again when it closes, with its count. */
struct load_sink {
	void (*open)(void *ctx, const struct node *n);
	void (*scalar)(void *ctx, const struct node *n);
	void (*close)(void *ctx, const struct node *n);
	void *ctx;
};
/* Parse a file's bytes as load_buffer does, checking all it checks, but
 * build no tree: sink is given the nodes instead. d must hold buf as the
 * source of name already (diag_add_source). Whether the file loaded: on
 * false, what sink made of it is to be thrown away, and what it reported
 * through d is taken back (diag_hold), so that d holds what load_buffer
 * would have reported. */
bool load_stream(struct arena *a, struct diag *d, const char *name,
		 const char *buf, size_t len, const struct load_sink *sink);
/* A data file built into skillc: its bytes, and the tree load_buffer makes
 * of them where freeze.c made it when skillc was built. */
struct embedded_file {
	const char *name; /* as diagnostics show it: schema/profiles/x.yaml */
	const unsigned char *bytes;
	size_t len;
	const struct node *root; /* NULL: not frozen */
};
/* The tree of f: the frozen one, its bytes registered with d as the
 * source diagnostics quote, or load_buffer's. */
const struct node *load_embedded(struct arena *a, struct diag *d,
				 const struct embedded_file *f);
/* Whether file (a location's) is one of the files built into skillc that
 * every run reads, the text rules and the profiles: by the very pointer,
 * which no file named on the command line shares. */
bool load_shipped(const char *file);
/* Where byte off of a scalar's value stands in the source: exact for
 * plain, quoted and literal scalars on one or more lines; the scalar's
 * start when the mapping is not certain (folded scalars). */
struct loc load_position(struct diag *d, const char *file, const struct node *n,
			 size_t off);
/* The same for many offsets of one scalar: build its map once (the
 * caller frees it), then ask it; offsets asked in rising order cost one
 * pass over the scalar in all. */
struct scalar_map;
struct scalar_map *load_map(struct diag *d, const char *file,
			    const struct node *n);
struct loc load_map_position(const struct node *n, struct scalar_map *m,
			     size_t off);
/* The source bytes that value bytes [start, end) came from, if each was
 * written as itself (no escape, no folding); false otherwise. */
bool load_map_raw_range(const struct scalar_map *m, size_t start, size_t end,
			size_t *raw_start, size_t *raw_end);
void load_map_free(struct scalar_map *m);
/* The node's value for key, or NULL. */
const struct node *node_get(const struct node *map, const char *key);
const char *node_kind_name(const struct node *n);

/* ---- the model -------------------------------------------------------- */

/* A value read from the source; at not given where the key was absent.
 * s is NUL-terminated, but for a field flagged FIELD_SPAN: there it may
 * be the value's bytes in the source itself (node_span), and only
 * s[0, len) is the text. Those are the items' texts and the names of
 * capabilities and work contents, most of a standard's bytes, so not
 * copied: 5.3 MB at 12.3 MB (docs/limits.md). */
struct text {
	const char *s;
	size_t len;
	struct place at;
};

/* The same bytes (absent and empty texts are equal). */
bool text_eq(const struct text *a, const struct text *b);
/* t's text NUL-terminated: t->s, or a copy in a where t->s is the
 * source's own bytes (FIELD_SPAN); "" for none. */
const char *text_str(struct arena *a, const struct text *t);

/* The scalar t was read from, in the source at buf (its owner's), made
 * again from its place: for load_map and load_position. */
static inline struct node
text_node(const char *buf, const struct text *t)
{
	return place_node(buf, t->at, t->s, t->len);
}

/* load_position of byte off of t's value, t a text of the source at buf
 * (read from file). */
static inline struct loc
text_position(struct diag *d, const char *file, const char *buf,
	      const struct text *t, size_t off)
{
	struct node n = text_node(buf, t);
	return load_position(d, file, &n, off);
}

struct num {
	int64_t v;
	struct place at;
	bool dash; /* F_CELLS: printed "—", no number at this column */
};

struct flag {
	bool v;
	struct place at;
};

struct choice {
	int v; /* index into the field's names */
	struct place at;
};

/* A list member is a pointer and a count; the shape tables rely on it. */
#define LIST_OF(type, name)                                                    \
	type *name;                                                            \
	size_t n_##name

struct level;
struct content;
struct weight_table;
struct profile;

enum education {
	EDU_NONE,
	EDU_JUNIOR_SECONDARY,
	EDU_SECONDARY,
	EDU_VOCATIONAL,
	EDU_ASSOCIATE,
	EDU_BACHELOR,
	EDU_MASTER,
	EDU_DOCTORATE,
	EDU_COUNT
};
extern const char *const education_names[];

enum field_kind { FIELD_OCCUPATION, FIELD_RELATED, FIELD_EITHER, FIELD_COUNT };
extern const char *const experience_field_names[];

/* Vocational diplomas a route may name (技工学校, 高级技工学校/技师学院,
 * 预备技师), besides general education. */
enum diploma {
	DIPLOMA_NONE,
	DIPLOMA_TECHNICAL_SCHOOL,
	DIPLOMA_SENIOR_TECHNICAL_SCHOOL,
	DIPLOMA_PREPARATORY_TECHNICIAN,
	DIPLOMA_COUNT
};
extern const char *const diploma_names[];

/* Professional titles (专业技术职务任职资格) a route may name. */
enum prof_title {
	TITLE_NONE,
	TITLE_JUNIOR,
	TITLE_INTERMEDIATE,
	TITLE_SENIOR,
	TITLE_COUNT
};
extern const char *const prof_title_names[];

/* How a route counts its experience: in total, or after the certificate
 * it names (the default when it names one: model_route_after). */
enum counted { COUNTED_TOTAL, COUNTED_AFTER, COUNTED_COUNT };
extern const char *const counted_names[];

enum status {
	STATUS_DRAFT,
	STATUS_DRAFT_FOR_COMMENT,
	STATUS_DRAFT_FOR_APPROVAL,
	STATUS_PUBLISHED,
	STATUS_COUNT
};
extern const char *const status_names[];

enum weight_kind { KIND_THEORY, KIND_SKILLS, KIND_COUNT };
extern const char *const weight_kind_names[];

struct labelled {
	struct place at;
	struct text label, text;
};

struct clause_text {
	struct place at;
	struct text clause, title, text;
};

struct clause_head {
	struct place at;
	struct text clause, title;
};

struct title {
	struct place at;
	struct text zh, en;
};

struct meta {
	struct place at;
	struct text number, ics, ccs, kind;
	struct title title;
	struct choice status;
	struct text status_text, issuer, issuer_word, published, effective,
		edition, proposer, foreword_title;
	LIST_OF(struct text, drafting_units);
	LIST_OF(struct text, participating_units);
	LIST_OF(struct text, drafters);
	LIST_OF(struct text, foreword);
};

struct notice {
	struct place at; /* not given: the source has none */
	struct text number, title, addressee;
	LIST_OF(struct text, paragraphs);
	LIST_OF(struct text, contacts);
	LIST_OF(struct text, attachments);
	struct text signature, date;
	LIST_OF(struct text, footer);
};

struct paragraphs {
	struct place at;
	struct text clause, title;
	LIST_OF(struct text, paragraphs);
	LIST_OF(struct text, documents); /* normative references only */
};

struct term {
	struct place at;
	struct text id, zh, en, definition;
};

struct terms {
	struct place at;
	struct text clause, title, intro;
	LIST_OF(struct term, entries);
};

struct section {
	struct place at;
	struct text key, clause, title, intro, text;
	LIST_OF(struct labelled, items);
	LIST_OF(struct section, sections);
	size_t index; /* among the keyed sections (standard.basics) */
};

/* 普通受教育程度: the clause as printed and the minimum as data. */
struct education_clause {
	struct place at;
	struct text clause, title, text;
	struct choice education;
};

struct occupation {
	struct place at;
	struct text clause, title, name;
	struct clause_head name_clause; /* 1.1 职业名称, when printed */
	struct clause_text code;	/* 1.2 职业编码 */
	struct clause_text definition;	/* 1.3 职业定义 */
	struct clause_text levels, environment;
	struct clause_text abilities;	   /* 职业能力特征 */
	struct education_clause education; /* 普通受教育程度 */
	struct section training;	   /* 职业培训要求 */
	struct clause_head assessment;
	struct clause_head eligibility; /* one 申报条件 clause for all levels */
};

/* A 工种 or 方向: levels above the shared ones have a table for each. */
struct branch {
	struct place at;
	struct text key, name;
};

struct level {
	struct place at;
	struct text key, name, includes_key;
	/* resolved by the model */
	size_t index;		/* position in the source: the rank, 0 lowest */
	struct level *includes; /* NULL for none */
	size_t depth;		/* levels below it along includes */
	size_t tin, tout;	/* interval of its subtree: ancestor tests */
	struct work_table *work; /* its work-requirements table, if any */
	/* every work table of the level, shared and of each branch, in
	 * source order */
	LIST_OF(struct work_table *, tables);
	struct hash *own; /* content key -> struct content */
	/* the levels it includes, lowest first, then itself (depth + 1) */
	LIST_OF(struct level *, chain);
	/* its first weight column of each kind; table NULL for none */
	struct level_column {
		struct weight_table *table;
		size_t column;
	} weights[KIND_COUNT];
};

struct route {
	struct place at;
	struct text label, text, certificate_key;
	struct num experience_months;
	struct choice experience_counted, experience_field, education, diploma;
	struct flag apprenticeship;
	struct num min_age;
	struct choice professional_title;
	struct level *certificate;
};

struct eligibility {
	struct place at;
	struct text level_key, clause, title, intro;
	LIST_OF(struct route, routes);
	struct level *level;
};

struct method {
	struct place at;
	struct text key, name, label, text;
	LIST_OF(struct text, level_keys);
	struct level **levels; /* resolved level_keys */
	size_t index;	       /* in assessment.methods */
};

struct ratio {
	struct place at;
	struct text method_key, role;
	struct num staff, candidates, min_staff;
	struct flag per_room, odd;
	struct method *method;
};

struct duration {
	struct place at;
	struct text method_key;
	struct num minutes;
	LIST_OF(struct text, level_keys); /* none: every level */
	struct method *method;
	struct level **levels; /* resolved level_keys */
};

struct venue {
	struct place at;
	struct text method_key, label, text;
	struct method *method;
};

struct methods_clause {
	struct place at;
	struct text clause, title, intro;
	LIST_OF(struct method, items);
};

struct pass_score {
	struct place at;
	struct text clause, title, text;
	struct num full_marks, score;
};

struct ratios_clause {
	struct place at;
	struct text clause, title, text;
	LIST_OF(struct ratio, items);
};

struct durations_clause {
	struct place at;
	struct text clause, title, text;
	LIST_OF(struct duration, items);
};

struct venues_clause {
	struct place at;
	struct text clause, title, intro;
	LIST_OF(struct venue, items);
};

struct assessment {
	struct place at;
	struct methods_clause methods;
	struct pass_score pass_score;
	struct ratios_clause ratios;
	struct durations_clause durations;
	struct venues_clause venues;
};

struct basic_requirements {
	struct place at;
	struct text clause, title;
	struct choice education;
	LIST_OF(struct section, sections);
};

struct item {
	struct place at;
	struct text id, text;
	struct content *content;
	size_t index; /* among all skill (or all knowledge) items, in order */
};

struct content {
	struct place at;
	struct text key, id, name;
	LIST_OF(struct item, skills);
	LIST_OF(struct item, knowledge);
	struct capability *capability;
	struct level *level;
	struct content *next_same_key; /* the same key at another level */
	size_t index;		       /* among all work contents, in order */
};

struct capability {
	struct place at;
	struct text key, id, name;
	LIST_OF(struct content, contents);
	struct work_table *table;
	struct capability *next_same_key; /* the same key at another level */
	size_t index;			  /* among all capabilities, in order */
};

struct work_table {
	struct place at;
	struct text level_key, branch_key;
	/* the clause over a level's tables of several branches, as printed
	 * ("3.3 三级/高级工" over "3.3.1 高压电气设备检修") */
	struct clause_head heading;
	struct text clause, title, intro, number, caption;
	LIST_OF(struct text, header);
	LIST_OF(struct capability, capabilities);
	struct level *level;
	struct branch *branch; /* NULL: shared by every branch */
	const char *name;      /* model_work_table_name */
	/* its work contents, in order: a slice of standard.contents */
	LIST_OF(struct content *, contents);
};

struct work_requirements {
	struct place at;
	struct text clause, title, intro;
	struct clause_text general;
	LIST_OF(struct work_table, tables);
};

struct weight_row {
	struct place at;
	struct text basic_key, capability_key, content_key, label;
	LIST_OF(struct num, weights);
	struct section *basic;	/* resolved basic requirement, or NULL */
	struct content **cells; /* per column: the content weighed, or NULL */
	/* per column: the capability weighed, or NULL (capability rows) */
	struct capability **capability_cells;
	const struct group *group; /* the group it is in */
};

struct group {
	struct place at;
	struct text label;
	LIST_OF(struct weight_row, rows);
};

struct column {
	struct place at;
	struct text level_key, branch_key, label;
	struct level *level;
	struct branch *branch; /* NULL: the level's shared tables */
};

struct total {
	struct place at;
	struct text label;
	LIST_OF(struct num, weights);
};

struct weight_table {
	struct place at;
	struct text clause, title, intro, number, caption;
	struct choice kind;
	LIST_OF(struct text, header);
	LIST_OF(struct column, columns);
	LIST_OF(struct group, groups);
	struct total total;
	/* resolved by the model */
	size_t index;			    /* in standard.weight_tables */
	const char *name;		    /* model_weight_table_name */
	LIST_OF(struct weight_row *, rows); /* of every group, in order */
	/* key -> the first row that references that basic requirement,
	 * that capability or that work content */
	struct hash *row_by_basic, *row_by_capability, *row_by_content;
	bool by_capability; /* some row references a capability */
};

struct weight_section {
	struct place at;
	struct text clause, title;
	LIST_OF(struct weight_table, tables);
};

struct weights {
	struct place at;
	struct text clause, title;
	LIST_OF(struct weight_section, sections);
	LIST_OF(struct weight_table, tables); /* tables outside sections */
};

/* Text rules (schema/text-rules.yaml, a --rules file, or a standard's own
 * text_rules): a PCRE2 pattern or a list of spellings, run over the texts
 * the rule's fields name. */
struct spelling {
	struct place at;
	struct text from, to;
};

struct severity_setting {
	struct place at;
	struct text rule;
	struct choice severity; /* index into severity_names */
};

extern const char *const severity_names[]; /* off, warning, error */

/* A text given in one language or in several (a text rule's summary and
 * message): "…", or a mapping of language tags to texts, {en: "…", zh:
 * "…"}. The plain form has one text and no tag (lang.s NULL). */
struct ltext_one {
	struct text lang, text;
};
struct ltext {
	struct place at;
	LIST_OF(struct ltext_one, langs);
};

/* The text of t in the language of the messages (i18n_language), else in
 * English, else the first given; *lang is its language (the plain form's
 * guessed: i18n_guess_language). NULL for a text not given. */
const struct text *ltext_pick(const struct ltext *t, const char **lang);

struct text_rule {
	struct place at;
	const char *file; /* the one it is written in */
	const char *buf;  /* that file's bytes, where the places count from */
	struct text id, name;
	struct ltext summary;
	struct choice severity;
	LIST_OF(struct text, fields); /* skills, knowledge, names, all */
	LIST_OF(struct text, levels); /* level keys; none: every level */
	struct num min_rank;	      /* only levels of this rank or higher */
	struct text pattern;
	struct ltext message;
	struct text replacement, example;
	struct flag consistent; /* the match must agree across a table */
	LIST_OF(struct spelling, spellings);
};

struct text_rules {
	struct place at;    /* not given: none given */
	const char *file;   /* the one they are written in */
	const char *buf;    /* that file's bytes, where the places count from */
	struct num version; /* rules files only */
	LIST_OF(struct text, terms);
	LIST_OF(struct severity_setting, severity);
	LIST_OF(struct text_rule, rules);
};

struct standard {
	struct place at;
	const char *file;
	const char *buf;   /* file's bytes, where the places count from */
	struct diag *diag; /* holds file's source: model_loc */
	struct num version;
	struct text id, profile;
	struct meta meta;
	struct notice notice;
	struct paragraphs scope, normative_references;
	struct terms terms;
	struct occupation occupation;
	LIST_OF(struct level, levels);
	LIST_OF(struct branch, branches);
	LIST_OF(struct eligibility, eligibility);
	struct assessment assessment;
	struct basic_requirements basic_requirements;
	struct work_requirements work_requirements;
	struct weights weights;
	struct text_rules text_rules;
	/* The index, built once by model_build so that no pass walks the
	 * tree to find these (with what struct level, work_table and
	 * weight_table hold under "resolved by the model"). */
	struct hash *level_by_key;   /* -> struct level */
	struct hash *content_by_key; /* -> first struct content with the key */
	struct hash *capability_by_key; /* -> first capability with the key */
	struct hash *branch_by_key;	/* -> struct branch */
	struct hash *basic_by_key;	/* -> struct section */
	struct hash *method_by_key;	/* -> struct method */
	struct level **level_order; /* levels by tin: each after its includes */
	/* every capability and work content of every table, in order; the
	 * number of skill and of knowledge items (item.index) */
	LIST_OF(struct capability *, capabilities);
	LIST_OF(struct content *, contents);
	size_t n_skills, n_knowledge;
	LIST_OF(struct section *, basics); /* keyed basic sections, in order */
	/* every weight table of every section, in order */
	LIST_OF(struct weight_table *, weight_tables);
	/* the profile it is drafted under (its `profile:`, or the default),
	 * resolved by the pipeline (profiles_resolve); NULL: none known */
	const struct profile *profile_def;
};

/* ---- model.c: tree -> model ------------------------------------------ */

/* The format as data: each struct of the model is read through a shape, a
 * table of its keys in the order docs/format.md gives them. */
enum field_type {
	F_TEXT,	  /* struct text */
	F_KEY,	  /* struct text holding an ASCII key */
	F_INT,	  /* struct num */
	F_BOOL,	  /* struct flag */
	F_ENUM,	  /* struct choice */
	F_TEXTS,  /* LIST_OF(struct text) */
	F_INTS,	  /* LIST_OF(struct num) */
	F_CELLS,  /* LIST_OF(struct num): integers or "—" (num.dash) */
	F_KEYS,	  /* LIST_OF(struct text) of keys */
	F_STRUCT, /* an embedded struct of the shape */
	F_LIST,	  /* LIST_OF(that struct) */
	F_LTEXT,  /* struct ltext */
};

/* What a field is to the passes that walk the model (model_walk): they
 * read these flags, never the field's name. */
enum field_flag {
	FIELD_NAME = 1 << 0,	  /* the name of a thing: text rules' "names" */
	FIELD_SKILL = 1 << 1,	  /* a skill item's text: "skills" */
	FIELD_KNOWLEDGE = 1 << 2, /* a knowledge item's text: "knowledge" */
	FIELD_C = 1 << 3,	 /* the C header holds it in a string literal */
	FIELD_BY_LEVEL = 1 << 4, /* a list of its table's level (capabilities):
				  * text rules read it with that level */
	FIELD_NOT_PROSE = 1 << 5, /* not the standard's text (its text rules):
				   * text rules do not read it */
	FIELD_C_KEY = 1 << 6,	  /* an optional key without which the C
				   * header holds nothing of its struct */
	FIELD_SPAN = 1 << 7,	  /* F_TEXT, F_TEXTS: may be the source's own
				   * bytes, not NUL-terminated (struct text) */
};

struct shape;

struct field {
	const char *name;
	enum field_type type;
	bool required;
	unsigned flags;		     /* FIELD_* */
	size_t offset, count_offset; /* of the member, and of n_member */
	const struct shape *shape;   /* F_STRUCT, F_LIST */
	int64_t min, max;	     /* F_INT, F_INTS */
	const char *const *names;    /* F_ENUM, NULL-terminated */
};

struct shape {
	const char *what; /* for messages: "work content" */
	size_t size;
	const struct field *fields; /* ends with a NULL name */
};

/* The shape of a whole source file, and of one work-requirements table. */
extern const struct shape *const model_standard_shape;
extern const struct shape *const model_work_table_shape;

/* What model_walk shows its visitor, in the shapes' (the source's) order:
 * each value, and where each struct and list opens and closes. */
enum walk_event {
	WALK_VALUE,	 /* a text, key, number, flag or choice */
	WALK_STRUCT,	 /* a struct opens (unless absent) */
	WALK_STRUCT_END, /* and closes */
	WALK_LIST,	 /* a list of count elements opens */
	WALK_LIST_END,	 /* and closes */
};

struct walk_step {
	enum walk_event event;
	const struct shape *shape; /* of the struct the member is of */
	const void *base;	   /* that struct */
	const struct field *field; /* of the member, or of the list it is in */
	const void *value; /* the member or element: struct text, num, flag,
			    * choice, or the struct; the member for a list */
	bool element;	   /* an element of a list, not a member */
	bool absent;	   /* WALK_STRUCT: the source has no such mapping
			    * (nothing follows, not even WALK_STRUCT_END) */
	size_t count;	   /* WALK_LIST: how many elements */
};

/* Returns whether to enter the struct or list that opens (skipping it
 * skips its END too); ignored for other events. */
typedef bool model_visit_fn(void *ctx, const struct walk_step *step);

/* Show visit every member of p, a struct of shape sh, and everything in
 * them, depth first. */
void model_walk(const struct shape *sh, const void *p, model_visit_fn *visit,
		void *ctx);
/* Read the tree of a rules file, loaded from file; NULL after reporting
 * errors. The places of what is read from a tree count from the buffer
 * of the source of file that d holds and that holds root (load_buffer
 * and load_embedded add it): diag_source_buf. */
struct text_rules *model_read_rules(struct arena *a, struct diag *d,
				    const char *file, const struct node *root);
/* Read a profile file's tree (profile.c resolves it); NULL after
 * reporting errors. */
struct profile *model_read_profile(struct arena *a, struct diag *d,
				   const char *file, const struct node *root);

/* Build the model of a tree loaded from file; NULL after reporting
 * errors. */
struct standard *model_build(struct arena *a, struct diag *d, const char *file,
			     const struct node *root);
/* The same from a file's bytes, read as the loader gives them: no tree is
 * made. */
struct standard *model_stream(struct arena *a, struct diag *d, const char *file,
			      const char *buf, size_t len);
/* Whether lower is upper or a level upper includes, directly or not. */
bool model_level_covers(const struct level *upper, const struct level *lower);
/* The content with that key nearest to level (itself, then the levels it
 * includes), or NULL. */
struct capability *model_find_capability(const struct standard *s,
					 const struct level *level,
					 const struct branch *br,
					 const char *key, size_t len);
/* Whether a route counts its experience after the certificate it names. */
bool model_route_after(const struct route *r);
struct content *model_find_content(const struct standard *s,
				   const struct level *level,
				   const struct branch *br, const char *key,
				   size_t len);
/* How messages name a table: its number, or its caption. */
const char *model_work_table_name(const struct work_table *t);
const char *model_weight_table_name(const struct weight_table *t);
/* The location of a place of s, or of the whole file for one not given. */
struct loc model_loc(const struct standard *s, struct place at);

/* ---- cname.c: the names of the C header ------------------------------- */

/* Every identifier the C header declares from the source's keys. */
struct cnames {
	const char *upper;  /* prefix of macros and enumerators: MED_OPERATOR */
	const char *lower;  /* prefix of functions: med_operator */
	const char **level; /* per level: MED_OPERATOR_LEVEL_JUNIOR */
	const char **content; /* per work content (standard order) */
	const char **basic;   /* per keyed basic section */
	const char **method;  /* per assessment method */
};

#define CNAME_MAX 63 /* significant characters C99 guarantees */

/* Whether prefix can stand before the header's names: a C identifier of
 * at most 31 characters, not reserved, with no "__" and no final '_'. */
bool cname_valid_prefix(const char *prefix);
/* Name everything; prefix NULL derives it from the standard's id (or its
 * words' initials, where the id would make a name too long). Reports
 * collisions, reserved and over-long names, and with strings, texts too
 * long for a portable string literal (for the C header itself); NULL if
 * there were any. */
struct cnames *cname_build(struct arena *a, struct diag *d,
			   const struct standard *s, const char *prefix,
			   bool strings);

/* ---- emit_*.c: model -> bytes ---------------------------------------- */

/* One signature for every output of formats.def: a unit that went
 * through the passes without errors (with the C names when the format
 * needs them) rendered into out. */
struct unit;
/* A C header; the input's base name appears in its first comment if it
 * is plain. */
void emit_c(const struct unit *u, struct strbuf *out);
/* JSON (schema/skillc-output.schema.json). */
void emit_json(const struct unit *u, struct strbuf *out);
/* One GFM Markdown document (the draft's order). */
void emit_md(const struct unit *u, struct strbuf *out);

/* Where a text is written in Markdown. */
enum md_where {
	MD_LINE_START, /* running text at the start of a line */
	MD_MID_LINE,   /* running text after other text on its line */
	MD_INLINE,     /* a table cell or heading: one line, inline only */
	MD_META,       /* a metadata value: one line, at the start of a block */
};
/* s as Markdown text that reads as itself to CommonMark, GFM and pandoc:
 * markup escaped, line starts made inert, breaks kept (MD_INLINE: as
 * "<br>&#10;", '|' escaped). The one escaper of the Markdown outputs. */
void md_escape(struct strbuf *out, const char *s, size_t len,
	       enum md_where where);
/* A Word document (Office Open XML), laid out as the standard is printed. */
void emit_docx(const struct unit *u, struct strbuf *out);
/* Whether emit_docx can run: libzip loads, on the first call. If not,
 * *why (static, the loader's words) says why. emit_docx aborts where it
 * cannot run: build asks before it reads a standard. */
bool emit_docx_ready(const char **why);

/* ---- doc.c: the printed order, for the document outputs ------------- */

/* What a paragraph is to the layout: running text; a line of a letter
 * printed without indent (a number, the addressee); one set right (a
 * signature, a date). */
enum doc_para { DOC_BODY, DOC_PLAIN, DOC_RIGHT };

/* A document writer: doc_walk calls it with each piece of the standard
 * in the printed order. Texts are never both empty, a paragraph never
 * empty; a heading's depth is 1 for a chapter, one more a clause down. */
struct doc_ops {
	void (*heading)(void *ctx, size_t depth, const struct text *clause,
			const struct text *title);
	/* a heading outside the numbering: the notice's, the foreword's */
	void (*front_heading)(void *ctx, const struct text *title);
	void (*para)(void *ctx, enum doc_para kind, const struct text *t);
	void (*item)(void *ctx, const struct text *label,
		     const struct text *text);
	void (*term)(void *ctx, const struct term *t); /* its head line */
	/* a table with its caption, under its heading and intro */
	void (*work_table)(void *ctx, const struct work_table *t);
	void (*weight_table)(void *ctx, const struct weight_table *t);
	/* the front matter (notice and foreword) ends, the chapters follow */
	void (*front_end)(void *ctx);
};

/* Walk u's standard in the printed order after the cover: the notice
 * (if u->parts asks for it), the foreword, the chapters. */
void doc_walk(const struct unit *u, const struct doc_ops *ops, void *ctx);
/* Whether a label is bare letters and digits ("a", "1"), which the layout
 * prints with a ')' after it; any other ("（1）") is printed as written. */
bool doc_bare_label(const struct text *label);
/* Head i of the work table nearest to level along its chain, or "". */
const struct text *doc_chain_head(const struct level *level, size_t i);

/* ---- output.c: files --------------------------------------------------- */

/* Errors of output.c besides errno values; output_strerror explains all. */
enum {
	OUTPUT_SYMLINK = -1, /* a symbolic link, never followed or replaced */
	OUTPUT_NOT_REGULAR = -2, /* a FIFO, a device, a socket */
	OUTPUT_CHANGED = -3,	 /* not what it was when read */
	OUTPUT_NOT_LINKED = -4,	 /* a scratch file to copy: it has no link */
};

/* Whether path may be written: 0 when it is absent or a regular file;
 * OUTPUT_SYMLINK, EISDIR, OUTPUT_NOT_REGULAR or an errno value (ENOENT for
 * an empty name) otherwise. */
int output_check(const char *path);

/* What a conditional replacement keeps: the target must still be this
 * file, holding these bytes, and the new file takes its mode and owner. */
struct output_keep {
	const char *data;
	size_t len;
	unsigned long long dev, ino;
	unsigned long mode, uid, gid;
};

/* A set of files written all or nothing. output_begin locks the
 * directories of the n paths, waiting for any other skillc writing there,
 * and removes the temporary files killed runs left for those paths; the
 * caller owns the set and ends it with output_end, which discards what
 * was not committed and unlocks. */
struct output_set;
struct output_set *output_begin(const char *const *paths, size_t n);
/* Write data to a temporary file beside path and flush it, unless path
 * holds data already; keep (may be NULL) makes the replacement
 * conditional. 0 or an error as output_check's. */
int output_stage(struct output_set *s, const char *path, const char *data,
		 size_t len, const struct output_keep *keep);
/* The same for bytes rendered piece by piece: the file is written as
 * output_stream_write receives them (a strbuf's sink), compared on the way
 * with what path holds, and output_stream_close stages it, or drops it
 * when path held those bytes already, or when fail is not 0 (an error of
 * the caller's, which it returns). A failure of any write is the close's,
 * which frees the stream either way. */
struct output_stream;
int output_stream_open(const char *path, struct output_stream **o);
void output_stream_write(void *stream, const char *data, size_t len);
int output_stream_close(struct output_set *s, struct output_stream *o,
			int fail);
/* Rendered bytes kept out of memory: one scratch file, made at the first
 * drain, in $TMPDIR or /tmp, unlinked at once, holding piece after piece
 * (each the bytes of one streamed strbuf). Once it fails (it cannot be
 * made or written), later pieces stay in memory. One made for an output
 * by scratch_beside is an unnamed file of the output's own file system
 * (O_TMPFILE), which output_stage_scratch links in as the output's staged
 * file instead of copying it. */
struct scratch {
	int fd;	       /* -1 until the first drain */
	bool failed;   /* could not be made or written */
	uint64_t size; /* bytes in it */
};
#define SCRATCH_INIT                                                           \
	{                                                                      \
		-1, false, 0                                                   \
	}
enum scratch_end {
	SCRATCH_IN_MEMORY, /* all in sb, which is streamed no more */
	SCRATCH_IN_FILE,   /* all in the file at [from, sc->size); sb freed */
	SCRATCH_LOST,	   /* sb freed, the bytes lost: render them again */
};
/* A piece begins: sb, empty, is streamed into sc (unless sc failed); from
 * gets where the piece starts in the file. One piece at a time: two open
 * at once would interleave. */
void scratch_begin(struct scratch *sc, struct strbuf *sb, uint64_t *from);
void scratch_write(void *scratch, const char *data, size_t len);
/* The piece rendered into sb ends: where its bytes are. */
enum scratch_end scratch_end(struct scratch *sc, struct strbuf *sb,
			     uint64_t from);
/* emit(u, sb) as a piece: true where its bytes went to the file, at
 * [*from, *from + *len); false where they are all in sb (rendered again
 * where the file failed). */
bool scratch_render(struct scratch *sc, struct strbuf *sb,
		    void (*emit)(const struct unit *u, struct strbuf *out),
		    const struct unit *u, uint64_t *from, uint64_t *len);
/* len bytes of the file from off into buf; 0, or an errno value. */
int scratch_read(const struct scratch *sc, uint64_t off, char *buf, size_t len);
/* sc made, now, for the one output that becomes path: an unnamed file in
 * path's directory, or the nearest above it that is there already. false,
 * and sc unmade, where the file system has no unnamed files (or no room,
 * or no descriptor is left). */
bool scratch_beside(struct scratch *sc, const char *path);
/* Stage sc's file, made by scratch_beside and holding one output whole,
 * as path's: linked in beside path under a temporary name, after its mode
 * is set and it is flushed; nothing where path holds those bytes already.
 * 0, an error as output_check's or of fchmod or fsync, or
 * OUTPUT_NOT_LINKED where the file cannot be linked (a file system that
 * will not): the caller copies it. */
int output_stage_scratch(struct output_set *s, const char *path,
			 const struct scratch *sc);
void scratch_close(struct scratch *sc);

/* Rename every staged file over its path; 0, or an error with *failed
 * the path it concerns. Nothing is renamed unless every target is still
 * writable and every conditional one unchanged. */
int output_commit(struct output_set *s, const char **failed);
void output_end(struct output_set *s);
/* The reason for an output error, for messages. */
const char *output_strerror(int err);
/* Create dir and its parents as needed; 0 or an errno value. */
int output_mkdirs(const char *dir);

/* ---- depfile.c: Makefile rules for build systems ----------------------- */

/* Append path to sb as a target (or a prerequisite) of a Makefile rule,
 * so that GNU make and ninja both read back exactly path; false, with
 * nothing appended, for a path no depfile can hold (a tab, a newline:
 * the list is in depfile.c). */
bool depfile_path(struct strbuf *sb, const char *path, bool target);

/* ---- rules.c: text rules ---------------------------------------------- */

enum { TEXT_SKILLS = 1, TEXT_KNOWLEDGE = 2, TEXT_NAMES = 4, TEXT_ALL = 8 };

/* A text rule ready to run. */
struct prepared {
	const struct text_rule *def;
	int rule;	 /* its number in diag */
	unsigned fields; /* TEXT_* */
	struct rx *rx;	 /* NULL if its pattern did not compile */
	/* a profile's rule: only for the standards under it (profile_covers);
	 * NULL: for every standard */
	const struct profile *profile;
};

struct rules;

struct rules *rules_new(struct arena *a);
/* Add the rules, allowed terms and severity settings of a rules file
 * (global: for every standard of the run) or of a standard (for it only,
 * until rules_drop_local), registering the rules with d; false after
 * reporting errors. A standard's rules are added to a diag that knows the
 * global ones (the run's, or a diag_clone of it). */
bool rules_add(struct rules *r, struct diag *d, const struct text_rules *tr,
	       bool global);
/* Add a profile's rules as global ones that read only the standards under
 * p (struct prepared.profile); false after reporting errors. */
bool rules_add_profile(struct rules *r, struct diag *d,
		       const struct text_rules *tr, const struct profile *p);
/* Compile the patterns of the rules in force, each expansion once per
 * run; false after reporting. */
bool rules_compile(struct rules *r, struct diag *d);
/* The names of s's levels, and each part of a name between '/', for
 * ${levels} in the patterns rules_compile compiles next, until
 * rules_drop_local. */
void rules_levels(struct rules *r, const struct standard *s);
/* Forget a standard's own rules, terms, levels, patterns and settings. */
void rules_drop_local(struct rules *r, struct diag *d);
const struct prepared *rules_list(const struct rules *r, size_t *count);
/* Free the compiled patterns; the rest is in the arena. */
void rules_free(struct rules *r);

/* The shipped rules file (schema/text-rules.yaml), built into skillc and
 * frozen (freeze.c). */
extern const struct embedded_file embedded_rules;

/* ---- profile.c: the rules a standard is drafted under ------------------- */

/* A profile (schema/profiles/, a --profile file; docs/profiles.md) is
 * data: what the drafting rules a standard names with `profile:` ask of
 * it. Each parameter is read by one check of checks.def (SK05xx), which
 * runs only where the standard's profile, or one it extends, gives it;
 * its text rules run only on standards under it. No word of a profile is
 * known to the code. Texts are matched as parts: a name "holds" a word. */

/* Staff of assessment methods: the methods whose name holds one of
 * methods, and of those the ratios whose role holds one of roles. */
struct profile_staff {
	struct place at; /* not given: not asked */
	LIST_OF(struct text, methods);
	LIST_OF(struct text, roles);
	struct num staff, candidates; /* at least staff per candidates */
	struct num min_staff;	      /* at least this many */
	struct flag per_room, odd;    /* the minimum per room; an odd number */
};

struct profile_pass {
	struct place at;
	struct num score, full_marks;
};

/* The methods whose name holds one of methods are for exactly the
 * standard's levels that levels names. */
struct profile_review {
	struct place at;
	LIST_OF(struct text, methods);
	LIST_OF(struct text, levels);
};

/* One of the texts in holds one of sentences. */
struct profile_coverage {
	struct place at;
	LIST_OF(struct text, sentences);
	LIST_OF(struct text, in); /* paths of texts: work_requirements.intro */
	/* resolved: per path, the offsets in struct standard of the structs
	 * along it and of the text last (depth[i] of them) */
	size_t **offsets, *depth;
};

struct profile {
	struct place at;
	struct num version;
	struct text key, name, summary, extends_key;
	struct flag is_default;
	LIST_OF(struct text, levels); /* the level names, lowest first */
	struct profile_coverage coverage;
	struct profile_review review;
	struct profile_pass pass_mark;
	struct profile_staff invigilators, examiners;
	LIST_OF(struct text, theory_rows);
	LIST_OF(struct text_rule, rules);
	const char *file; /* the one it is written in */
	const char *buf;  /* that file's bytes, where the places count from */
	/* resolved by profiles_finish: parameters it does not give are its
	 * base's */
	const struct profile *extends;
	struct hash *level_rank; /* level name -> rank + 1 */
	int state;		 /* profiles_finish's */
};

/* The built-in profiles (schema/profiles/), frozen (freeze.c). */
extern const struct embedded_file embedded_profiles[];
extern const size_t embedded_profiles_count;
/* The catalogue of the built-in rules (schema/checks.yaml; explain.c). */
extern const struct embedded_file embedded_catalogue;

struct profiles;

/* An empty set of profiles in arena a, which owns it. */
struct profiles *profiles_new(struct arena *a);
/* Read a profile file's tree (load_buffer's, NULL where it failed) into
 * the set, registering its text rules with r for the standards under it;
 * false after reporting. */
bool profiles_add(struct profiles *set, struct rules *r, struct diag *d,
		  const char *file, const struct node *root);
/* After the last file: bases found, parameters inherited, texts' paths
 * resolved; false after reporting. */
bool profiles_finish(struct profiles *set, struct diag *d);
/* The profile s names, or the default when it names none (NULL if there
 * is no default); false after reporting a name no profile has. */
bool profiles_resolve(const struct profiles *set, const struct standard *s,
		      struct diag *d, const struct profile **out);
/* Whether a standard under p is under q: q is NULL, p, or a profile p
 * extends. */
bool profile_covers(const struct profile *p, const struct profile *q);

/* ---- check_text.c: running text rules ---------------------------------- */

/* A replacement a rule proposes, in the source's bytes and in the value
 * of the scalar that holds them. */
struct edit {
	const char *start, *end; /* the bytes replaced, in the source buffer */
	const char *with;	 /* what replaces them, as written in YAML */
	struct loc at;
	int rule;
	const struct text_rule *def; /* the rule */
	const struct text *text;     /* the scalar's value, and its place */
	const char *raw;	     /* where the scalar starts in the buffer */
	size_t vstart, vend;	     /* the bytes replaced, in its value */
	const char *value;	     /* what replaces them there */
	size_t value_len;
};

/* Run the text rules in force over every text of s; report each finding.
 * With edits, also collect the replacements that can be made in place
 * (*nedits of them, in source order; arena memory). */
void check_text(const struct rules *r, const struct standard *s, struct diag *d,
		struct arena *a, struct edit **edits, size_t *nedits);

/* ---- pipeline.c: the passes in order ---------------------------------- */

/* A -W NAME, -Wno-NAME, -E NAME (or -Werror=NAME) or -Wno-error=NAME
 * option. Settings apply in the order given, so a later one overrides an
 * earlier one for the same rule. */
struct setting {
	const char *name;
	enum severity sev;
	bool keep_warning; /* -Wno-error=NAME (sev unused) */
	/* for messages: the option's spelling before NAME ("-Wno-"), and
	 * whether NAME was the next argument ("-W NAME"); NULL: none */
	const char *option;
	bool apart;
};

/* What a run is given: rules files, severities, how to print, a C prefix
 * (NULL: from the standard). */
struct run_options {
	const char *const *rules_files;
	size_t nrules_files;
	const char *const *profile_files; /* --profile, after the built-in */
	size_t nprofile_files;
	const struct setting *settings;
	size_t nsettings;
	bool werror;
	bool no_warnings; /* -w */
	int caret;	  /* 1 always, 0 never */
	const char *prefix;
	struct diag_sink *sink; /* NULL: text, as diag_flush prints it */
	const char *baseline;	/* --baseline FILE, or NULL */
	bool update_baseline;	/* --update-baseline: record, not filter */
};

/* One standard through the passes: what each pass built, NULL where it
 * could not run, and the diag that holds its findings (not yet printed
 * after pipeline_passes, printed after pipeline_read). */
struct unit {
	const char *path, *buf;
	size_t len;
	const struct node *root; /* with PIPE_EDITS, or a skillc-ignore */
	const struct standard *std;
	const struct cnames *names;
	struct edit *edits; /* with PIPE_EDITS: what fix may replace */
	size_t nedits;
	struct diag *diag;
	unsigned parts; /* PART_*: the optional parts the documents hold */
};

/* Parts of the document outputs that are there only when asked for
 * (build --with): no draft prints them. */
enum {
	PART_NOTICE = 1,     /* the covering letter of a draft for comment */
	PART_CUMULATIVE = 2, /* each level's requirements along its chain */
};

enum { PIPE_NAMES = 1, PIPE_EDITS = 2 };

struct run;

/* Set up a run in arena a (which owns it): the shipped rules, then opt's
 * rules files, compiled, then opt's settings; NULL after printing why. */
struct run *pipeline_new(struct arena *a, const struct run_options *opt);
/* The passes over u->buf (u->path names it), everything in arena a: the
 * unit's diag, model and edits live there. True when nothing reported
 * an error. */
bool pipeline_passes(struct run *r, struct arena *a, struct unit *u,
		     unsigned want);
/* Read path ("-": standard input, which diagnostics name
 * PIPELINE_STDIN), run the passes and print the findings: 0 clean, 1
 * errors (or a file over the limit), 2 the file could not be read
 * (printed). */
int pipeline_read(struct run *r, struct arena *a, struct unit *u,
		  const char *path, unsigned want);
#define PIPELINE_STDIN "<stdin>"
/* Print the line of a usage error: name is no rule of the run r; option
 * (NULL: none) is the spelling it came with, name the next argument when
 * apart; with the nearest ID or name as a did-you-mean. The caller adds
 * the line that points to --help, once. */
void pipeline_unknown_rule(const struct run *r, const char *name,
			   const char *option, bool apart);
/* The run's rules and severities, as -W and the rules files set them. */
const struct diag *pipeline_diag(const struct run *r);
struct rules *pipeline_rules(const struct run *r);
/* The end of a run whose standards are all done without error: with
 * --update-baseline, the baseline written. 0, or 2 after printing why. */
int pipeline_finish(struct run *r);
/* NULL: pipeline_new refuses every name no rule of the run has, before
 * any standard is read. (Kept while build.c asks.) */
const char *pipeline_unknown_setting(const struct run *r);

/* ---- suppress.c, baseline.c: findings accepted ------------------------- */

/* Drop the findings of u (after the passes, not yet printed) that a
 * comment '# skillc-ignore: NAME...' names (docs/suppressions.md), and
 * the edits fix would make for them; with c_header (build writes the C header),
 * the rules that guard what it asserts (build_c_guarded) are kept (the C header
 * asserts them). When complete (every pass ran, so every rule is known), report
 * the comments that silence nothing or name no rule of the run. */
void suppress_apply(struct arena *a, struct unit *u, bool complete,
		    bool c_header);
/* Whether buf may hold such a comment: only then does suppress_apply need
 * the unit's tree. */
bool suppress_wanted(const char *buf, size_t len);

struct baseline;
/* Read the baseline at path into arena a (which owns it); with update, a
 * missing file is an empty baseline. NULL after reporting through d, or
 * printing why the file cannot be read. */
struct baseline *baseline_read(struct arena *a, struct diag *d,
			       const char *path, bool update);
/* Drop the findings of u that b holds; updating, drop them all and make
 * them b's findings for u's file. With c_header, the rules that guard what the
 * C header asserts are kept. Scratch memory in a. */
void baseline_apply(struct baseline *b, struct arena *a, const struct unit *u,
		    bool c_header);
/* b as its file holds it (docs/suppressions.md). */
void baseline_render(const struct baseline *b, struct strbuf *out);
/* Updating: write b's file; 0, or 2 after printing why. */
int baseline_write(const struct baseline *b);

/* ---- explain.c: skillc explain, the catalogue of the rules ------------ */

/* What the catalogue says of a rule: why it matters, and a diagnostic the
 * test case tests/cases/<example_case> prints; NULL where it says
 * nothing. */
struct explain_entry {
	const char *why, *example, *example_case;
};
struct explain;
/* The built-in catalogue, read into arena a; NULL after printing why
 * (an internal error: it is tested). */
struct explain *explain_load(struct arena *a);
/* The entry of the rule with this ID, or NULL. */
const struct explain_entry *explain_find(const struct explain *e,
					 const char *id);
/* Append to out rule r of d's catalogue entry, as Markdown (a section of
 * docs/checks.md); p is the text rule behind r, NULL for a check. */
void explain_rule(const struct explain *e, const struct diag *d,
		  const struct prepared *p, int r, struct strbuf *out);
/* skillc explain: the entries of the rules names on standard output, IDs
 * or names, or of every rule of the run when n is 0; 2 after printing a
 * usage error for each name no rule has, and printing nothing else. */
int explain_run(struct run *run, struct arena *a, const char *const *names,
		size_t n);

/* ---- build.c: skillc build -------------------------------------------- */

/* What build writes where. */
struct build {
	const char *outdir, *name, *depfile; /* name, depfile: NULL for none */
	const char *depfile_target;	     /* -MT; NULL: the outputs */
	unsigned formats; /* bit f set: the f-th format of formats.def */
	unsigned parts;	  /* PART_*: what --with adds to the documents */
	const char *const *files;
	size_t nfiles;
	const char *const *rules_files; /* and --profile files: inputs too,
					 * never overwritten */
	size_t nrules_files;
};

/* Read --format's comma-separated list into *chosen; false for an empty
 * list, or with *list at the first name that is not a format. */
bool build_formats(const char **list, unsigned *chosen);
/* Read --with's comma-separated list of parts (notice, cumulative) into
 * *chosen; false for an empty list, or with *list at the first name that
 * is not a part. */
bool build_parts(const char **list, unsigned *chosen);
/* The formats' names with sep between them, for messages and help. */
void build_format_names(struct strbuf *sb, const char *sep);
/* Check every path, run every input through the passes and render its
 * outputs, then write them all, or nothing: the exit status (0, 1 input
 * errors, 2 a path that cannot be written, printed). */
int build_run(struct run *run, struct arena *a, struct build *b);
/* Make the checks that guard what the C header asserts errors in d, as
 * they are whenever the header is written (pipeline.c, for PIPE_NAMES). */
void build_c_preconditions(struct diag *d);
/* Whether rule guards what the C header asserts: no comment or baseline
 * silences it when the header is written. */
bool build_c_guarded(int rule);

/* ---- init.c: skillc init ---------------------------------------------- */

/* What init is asked for: a profile's key (NULL: the default skeleton's),
 * --levels as given (NULL: the skeleton's default), the file ("-":
 * standard output). */
struct init_options {
	const char *profile, *levels, *path;
};
/* Write a new standard from the profile's skeleton (schema/skeletons/),
 * checked clean first, never over an existing file: 0, or 2 after
 * printing why (usage, I/O, or a skeleton that does not check clean). */
int init_run(struct arena *a, const struct init_options *o);
/* init_run's work in memory, on the skeletons of files (the built-in ones,
 * or a test's): the skeleton of o->profile expanded for o->levels, into
 * out, with *skeleton the name of its file. 0, or 2 after printing a
 * usage error or reporting a fault of the skeletons through d. */
int init_expand(struct arena *a, struct diag *d,
		const struct embedded_file *files, size_t count,
		const struct init_options *o, struct strbuf *out,
		const char **skeleton);
/* The profiles init has a skeleton for, for --help: "a (default), b". */
void init_profile_names(struct strbuf *sb);
/* The skeletons (schema/skeletons/), built into skillc. */
extern const struct embedded_file embedded_skeletons[];
extern const size_t embedded_skeletons_count;

/* ---- fix.c: skillc fix ------------------------------------------------ */

/* skillc fix on one file: lock its directory, refuse what must not be
 * rewritten, run the passes, make the edits the text rules propose round
 * after round, prove the result and replace the file, unless errors
 * would remain; prints what was done and the findings that remain. With
 * dry_run, nothing is locked or written: the unified diff of what would
 * be done goes to standard output. The exit status: 0 (dry run: and
 * nothing to change), 1 for errors that remain (the file's, printed),
 * faulty rules, or (dry run) something to change, 2 for a file that could
 * not, or must not, be written. */
int fix_file(struct run *run, struct arena *a, const char *path, bool caret,
	     bool dry_run);

/* len bytes at offset from of one text, at offset to of another. */
struct fix_seg {
	size_t from, to, len;
};

/* The rounds of fix_file in memory, on a unit that went through the
 * passes with PIPE_EDITS: out gets the new bytes (arena memory; the old
 * ones when nothing changed or on error), the number of replacements and
 * their report (owned: strbuf_free). Returns 0, 1 for faulty rules
 * (reported through u->diag), 2 for replacements that cannot be made
 * safely (printed). */
struct fixed {
	const char *buf;
	size_t len, total;
	struct strbuf report;
	/* the bytes of the file that buf holds unchanged, in order */
	const struct fix_seg *segs;
	size_t nsegs;
};
int fix_text(struct run *run, struct arena *a, const struct unit *u,
	     struct fixed *out);

/* ---- diff.c: skillc diff ---------------------------------------------- */

enum diff_format {
	DIFF_TEXT,     /* one line per change, with both places */
	DIFF_MARKDOWN, /* for a 编制说明: by chapter, weights in tables */
	DIFF_JSON      /* schema/skillc-diff.schema.json */
};

/* skillc diff OLD NEW (docs/diff.md): both read through pipeline_read,
 * their findings printed; then the changes on standard output in
 * format. The exit status of diff(1): 0 equal, 1 different, 2 an error
 * in either (printed). */
int diff_files(struct run *run, const char *old_path, const char *new_path,
	       enum diff_format format);
/* The changes from o to n written to out in format, scratch memory in
 * a: 0 none, 1 some. */
int diff_models(struct arena *a, const struct standard *o,
		const struct standard *n, enum diff_format format,
		struct strbuf *out);
/* The format named name (text, markdown, json); false for none. */
bool diff_format_of(const char *name, enum diff_format *format);

/* ---- check.c: the registry of checks ---------------------------------- */

/* What a check gets: the model to read, where to report, and scratch
 * memory for its indexes. */
struct checker {
	const struct standard *std;
	struct diag *diag;
	struct arena *arena;
};

/* Run every check on a model; reports through d and changes nothing. */
void check_run(const struct standard *s, struct diag *d, struct arena *a);
/* Location of a place of the checked standard. */
struct loc check_loc(const struct checker *c, struct place at);

/* One function per CHECK in checks.def. */
#define INPUT(id, sym, name, summary)
#define CHECK(id, sym, fn, name, sev, summary)                                 \
	void check_##fn(const struct checker *c);
#include "checks.def"
#undef INPUT
#undef CHECK

#endif
