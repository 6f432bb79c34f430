/*
 * rx.c - regular expressions: the only file that includes <pcre2.h>.
 *
 * Takes: patterns (UTF-8, with Unicode properties: \p{Han} works), the
 * allowed terms ${terms} stands for, and texts. Gives: compiled patterns,
 * JIT-compiled where the machine allows, and their matches. Guarantees: a
 * pattern's groups, and the offset of a compile error, are those of the
 * pattern as written; no match runs without limits, and every match of a
 * run draws on one budget, so no rule and no input can make a run hang. A
 * limit hit is an error of its own (RX_LIMIT, RX_BUDGET), never "no match".
 *
 * ${terms}. The terms live in hash tables (struct rx_terms), not in the
 * pattern: an alternation of 10,000 terms is past PCRE2's compiled-size
 * limit. Each ${terms} becomes
 *
 *     (?:(?C0)[c]{1,M}(?C0)(?=))
 *
 * where [c] holds every character of the terms and M is the longest term
 * in characters. The first callout notes where the term starts; the class
 * takes as many characters as it can and gives them back one at a time, and
 * the second callout lets through only a length that spells an allowed
 * term: so the longest term that fits is tried first, as the alternation
 * did. "(?=)" keeps PCRE2 from making the class possessive, which would
 * skip the shorter lengths. Where the term starts is kept on a stack, not
 * in a group, so the pattern's groups keep their numbers ($1 stays $1); an
 * entry at or after the position a callout sees is stale (matching only
 * moves forward outside lookbehinds, and ${terms} cannot be in one: it has
 * no fixed length). Written (?i:${terms}), ASCII letters are compared
 * without regard to case; anywhere else a term is compared exactly.
 *
 * ${terms} is one variable of a pattern; rx_compile_sets takes any sets
 * under names of the caller's (rules.c adds ${levels}, the names of a
 * standard's levels), each expanded and looked up the same way, each
 * callout with its own set. A ${name} the caller did not give is an error
 * at its offset, not a pattern that silently matches nothing.
 *
 * The budget. PCRE2's match limit counts the steps of one attempt at one
 * start: one pcre2_match makes an attempt at each start it tries, and what
 * a repeat reads costs no step at all, so `a(?=[^z]*z)` over a long text
 * takes quadratic time within every limit. So every pattern starts with a
 * callout, which PCRE2 calls at the start of each attempt, and each attempt
 * is charged, in units, the match limit in force (the steps it may take)
 * and a unit per RX_SCAN_BYTES bytes of text it may read. What it may read
 * is bounded by matching in windows: a match first sees RX_FIRST_WINDOW
 * bytes from where it starts, as if the text went on (PCRE2_PARTIAL_HARD).
 * A match found there is the match, since no attempt before it read, or
 * asserted, the window's end; when an attempt did, the search goes on from
 * that attempt with twice the text; when none matched, from the window's
 * end. So a text of many short matches costs little per match, and only
 * an attempt that reads far is charged for reading far. A match also starts
 * under a small match limit, doubled on a limit hit up to RX_MATCH_LIMIT
 * and going on from the attempt that hit it, so an attempt is charged at
 * most about twice the steps it needed. The
 * run's budget is RX_BUDGET_BASE units and RX_BUDGET_PER_BYTE more for each
 * byte of text checked (rx_budget_grant); once spent, every match fails
 * with RX_BUDGET. Not charged: reading that an attempt does again after
 * each of its steps (a lookahead inside a repeated group) costs steps times
 * bytes, and is charged steps plus bytes.
 *
 * The charges are counted, never timed: the same run spends the same units
 * to the unit. They are PCRE2's counts, though, and the JIT and the
 * interpreter count steps (and skip hopeless starts) their own ways: a run
 * without the JIT (under valgrind) may spend its budget at another text.
 *
 * The filter. rx_compile also reads the pattern for the characters every
 * match needs (rx_filter.c); rx_may_match tells from a text's signature,
 * read once for all patterns, that a text lacks them, and the caller
 * matches it no more: most texts lack a Latin letter, an invisible
 * character or a half-width comma, and are not matched by those rules.
 *
 * Whoever compiles a pattern frees it with rx_free; rx_release frees the
 * match context all patterns share, and renews the budget, when the run
 * ends.
 */
#include "skillc.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#define RX_MATCH_LIMIT	   1000000u /* steps of one attempt (PCRE2's) */
#define RX_DEPTH_LIMIT	   10000u   /* backtracking depth of one attempt */
#define RX_FIRST_LIMIT	   8u	    /* the match limit a match starts with */
#define RX_SCAN_BYTES	   4u	    /* bytes an attempt may read, per unit */
#define RX_FIRST_WINDOW	   64u	    /* bytes of text a match first sees */
#define RX_JIT_AFTER	   16384u   /* bytes a pattern reads before its JIT */
#define RX_BUDGET_BASE	   ((uint64_t)1 << 26) /* units of every run */
#define RX_BUDGET_PER_BYTE 128u /* units per byte of text checked */

/* The allowed terms, over those of another set. */
struct rx_terms {
	struct arena *arena; /* everything below */
	const struct rx_terms *under;
	struct hash *exact, *folded; /* term, ASCII-lowercased term -> term */
	struct hash *chars;	     /* each character of a term, once */
	uint32_t *cps;		     /* the same, as code points */
	size_t ncps, cps_cap;
	size_t count, max_chars, max_bytes; /* with those under */
	bool has_empty;			    /* "" is a term */
};

/* A callout rx_compile wrote, by the offset PCRE2 reports for it. */
enum call_role { CALL_START, CALL_TERM_FROM, CALL_TERM_IS };
struct call {
	size_t at;
	unsigned char role;
	bool caseless;
	const struct rx_terms *set; /* the terms of its ${name} */
};

struct rx {
	pcre2_code *code;
	pcre2_match_data *md;
	struct call *calls; /* ascending by at */
	size_t ncalls;
	bool resumable;	  /* a search may go on from where one ended */
	bool jit;	  /* to be JIT-compiled once it has read enough */
	bool jit_tried;	  /* and was: jit says whether that worked */
	size_t read;	  /* bytes offered to the interpreter so far */
	uint32_t options; /* of every match: the pattern's (*NOTEMPTY...) */
	size_t end;	  /* of the text the last match saw */
	size_t *from;	  /* where the terms being read start: a stack */
	size_t nfrom, from_cap;
	char *fold;		  /* a candidate term, lowercased */
	struct rx_filter *filter; /* the characters a match needs, or NULL */
};

/* One rx_match, as its callouts see it. */
struct matching {
	struct rx *rx;
	uint32_t limit;	  /* the match limit of this try */
	PCRE2_SIZE start; /* of the attempt, PCRE2_UNSET before the first */
};

static pcre2_match_context *mctx; /* the limits, shared by every match */

static struct {
	uint64_t total, used;
	bool spent;
} budget = { RX_BUDGET_BASE, 0, false };

/* ---- the terms ---------------------------------------------------------- */

struct rx_terms *
rx_terms_new(const struct rx_terms *under)
{
	struct arena *a = arena_new();
	struct rx_terms *t = arena_alloc(a, sizeof *t);
	t->arena = a;
	t->under = under;
	t->exact = hash_new(a, 64);
	t->folded = hash_new(a, 64);
	t->chars = hash_new(a, 64);
	if (under) {
		t->count = under->count;
		t->max_chars = under->max_chars;
		t->max_bytes = under->max_bytes;
		t->has_empty = under->has_empty;
	}
	return t;
}

static bool
has_char(const struct rx_terms *t, const char *c, size_t len)
{
	for (; t; t = t->under)
		if (hash_get(t->chars, c, len))
			return true;
	return false;
}

void
rx_terms_add(struct rx_terms *t, const char *s, size_t len)
{
	for (const struct rx_terms *u = t; u; u = u->under)
		if (hash_get(u->exact, s, len))
			return;
	char *copy = arena_strndup(t->arena, s, len);
	hash_put(t->exact, copy, len, copy);
	char *low = arena_strndup(t->arena, s, len);
	for (size_t i = 0; i < len; i++)
		if (low[i] >= 'A' && low[i] <= 'Z')
			low[i] = (char)(low[i] - 'A' + 'a');
	hash_put(t->folded, low, len, copy);
	t->count++;
	t->has_empty |= len == 0;
	if (len > t->max_bytes)
		t->max_bytes = len;
	size_t chars = 0;
	for (size_t i = 0; i < len; chars++) {
		uint32_t cp;
		size_t n = utf8_decode((const unsigned char *)copy + i, len - i,
				       &cp);
		if (!n) { /* the loader lets no such byte through */
			cp = (unsigned char)copy[i];
			n = 1;
		}
		if (!has_char(t, copy + i, n)) {
			hash_put(t->chars, copy + i, n, copy);
			if (t->ncps == t->cps_cap) {
				t->cps_cap = t->cps_cap ? t->cps_cap * 2 : 64;
				uint32_t *v = arena_array(t->arena, t->cps_cap,
							  sizeof *v);
				if (t->ncps)
					memcpy(v, t->cps, t->ncps * sizeof *v);
				t->cps = v;
			}
			t->cps[t->ncps++] = cp;
		}
		i += n;
	}
	if (chars > t->max_chars)
		t->max_chars = chars;
}

size_t
rx_terms_count(const struct rx_terms *t)
{
	return t ? t->count : 0;
}

void
rx_terms_free(struct rx_terms *t)
{
	if (t)
		arena_free(t->arena);
}

/* Whether s is a term of t; caseless: ASCII letters in any case. */
static bool
is_term(struct rx *rx, const struct rx_terms *t, const char *s, size_t len,
	bool caseless)
{
	if (len > t->max_bytes)
		return false;
	if (caseless) {
		for (size_t i = 0; i < len; i++)
			rx->fold[i] = s[i] >= 'A' && s[i] <= 'Z'
					      ? (char)(s[i] - 'A' + 'a')
					      : s[i];
		s = rx->fold;
	}
	for (; t; t = t->under)
		if (hash_get(caseless ? t->folded : t->exact, s, len))
			return true;
	return false;
}

static int
cp_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The class of every character of the terms, as ranges. */
static void
term_class(struct strbuf *sb, const struct rx_terms *terms)
{
	size_t n = 0;
	for (const struct rx_terms *t = terms; t; t = t->under)
		n += t->ncps;
	uint32_t *cps = malloc((n + 1) * sizeof *cps);
	if (!cps)
		die_oom();
	n = 0;
	for (const struct rx_terms *t = terms; t; t = t->under) {
		if (t->ncps)
			memcpy(cps + n, t->cps, t->ncps * sizeof *cps);
		n += t->ncps;
	}
	qsort(cps, n, sizeof *cps, cp_cmp);
	strbuf_addc(sb, '[');
	if (!n) /* only the empty term: a class of nothing */
		strbuf_adds(sb, "^\\x{0}-\\x{10ffff}");
	for (size_t i = 0; i < n;) {
		size_t k = i;
		while (k + 1 < n && cps[k + 1] == cps[k] + 1)
			k++;
		strbuf_addf(sb, "\\x{%x}", (unsigned)cps[i]);
		if (k > i)
			strbuf_addf(sb, "-\\x{%x}", (unsigned)cps[k]);
		i = k + 1;
	}
	strbuf_addc(sb, ']');
	free(cps);
}

/* ---- compiling ---------------------------------------------------------- */

/* The sets a pattern may name, ${name} standing for a term of sets[i]. */
struct vars {
	const char *const *names;
	const struct rx_terms *const *sets;
	size_t n;
};

/* A pattern as PCRE2 gets it, and how it maps to the pattern as written. */
struct expansion {
	struct strbuf text;
	struct call *calls;
	size_t ncalls, calls_cap;
	size_t *src, *slen, *exp, *elen; /* each ${name}: written, expanded */
	size_t nexp, exp_cap;
};

static void
add_call(struct expansion *e, size_t at, enum call_role role, bool caseless,
	 const struct rx_terms *set)
{
	if (e->ncalls == e->calls_cap) {
		e->calls_cap = e->calls_cap ? e->calls_cap * 2 : 8;
		e->calls = realloc(e->calls, e->calls_cap * sizeof *e->calls);
		if (!e->calls)
			die_oom();
	}
	e->calls[e->ncalls++] =
		(struct call){ at, (unsigned char)role, caseless, set };
}

static void
add_expansion(struct expansion *e, size_t src, size_t slen, size_t exp,
	      size_t len)
{
	if (e->nexp == e->exp_cap) {
		e->exp_cap = e->exp_cap ? e->exp_cap * 2 : 8;
		e->src = realloc(e->src, e->exp_cap * sizeof *e->src);
		e->slen = realloc(e->slen, e->exp_cap * sizeof *e->slen);
		e->exp = realloc(e->exp, e->exp_cap * sizeof *e->exp);
		e->elen = realloc(e->elen, e->exp_cap * sizeof *e->elen);
		if (!e->src || !e->slen || !e->exp || !e->elen)
			die_oom();
	}
	e->src[e->nexp] = src;
	e->slen[e->nexp] = slen;
	e->exp[e->nexp] = exp;
	e->elen[e->nexp++] = len;
}

static void
expansion_free(struct expansion *e)
{
	strbuf_free(&e->text);
	free(e->calls);
	free(e->src);
	free(e->slen);
	free(e->exp);
	free(e->elen);
}

/* Pattern-wide settings that PCRE2 accepts only at the very start, such as
 * (*UTF) or (*LIMIT_MATCH=100): how many bytes they take. Verbs are not
 * settings, and an unknown name is a compile error anyway. *match gets
 * the match options of (*NOTEMPTY) and (*NOTEMPTY_ATSTART), which
 * pcre2_match applies and pcre2_jit_match leaves to its caller. */
static size_t
leading_settings(const char *p, size_t len, uint32_t *match)
{
	static const struct {
		const char *name;
		uint32_t option;
	} options[] = { { "NOTEMPTY", PCRE2_NOTEMPTY },
			{ "NOTEMPTY_ATSTART", PCRE2_NOTEMPTY_ATSTART } };
	static const char *const verbs[] = { "ACCEPT", "FAIL", "F",   "COMMIT",
					     "PRUNE",  "SKIP", "THEN" };
	size_t at = 0;
	*match = 0;
	while (at + 2 < len && p[at] == '(' && p[at + 1] == '*') {
		size_t i = at + 2, name = i;
		while (i < len && ((p[i] >= 'A' && p[i] <= 'Z') ||
				   p[i] == '_' || (p[i] >= '0' && p[i] <= '9')))
			i++;
		size_t nlen = i - name;
		if (i < len && p[i] == '=')
			while (++i < len && p[i] >= '0' && p[i] <= '9')
				;
		if (!nlen || i >= len || p[i] != ')')
			break;
		for (size_t v = 0; v < sizeof verbs / sizeof *verbs; v++)
			if (strlen(verbs[v]) == nlen &&
			    !memcmp(verbs[v], p + name, nlen))
				return at;
		for (size_t o = 0; o < sizeof options / sizeof *options; o++)
			if (strlen(options[o].name) == nlen &&
			    !memcmp(options[o].name, p + name, nlen))
				*match |= options[o].option;
		at = i + 1;
	}
	return at;
}

/* The length of a variable ${name} at p (a lowercase letter, then
 * lowercase letters, digits and '_'), or 0 where none starts. */
static size_t
variable_at(const char *p, size_t len)
{
	if (len < 4 || p[0] != '$' || p[1] != '{' || p[2] < 'a' || p[2] > 'z')
		return 0;
	for (size_t i = 3; i < len; i++) {
		if (p[i] == '}')
			return i + 1;
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
		      (p[i] >= '0' && p[i] <= '9') || p[i] == '_'))
			return 0;
	}
	return 0;
}

/* Append pattern to e, each ${name} of vars expanded; the offset of a
 * ${name} vars lacks, or len when there is none. */
static size_t
expand(struct expansion *e, const char *pattern, size_t len,
       const struct vars *vars)
{
	for (size_t i = 0; i < len;) {
		if (pattern[i] == '\\' && i + 1 < len) { /* \$ is a '$' */
			strbuf_add(&e->text, pattern + i, 2);
			i += 2;
			continue;
		}
		size_t vlen = variable_at(pattern + i, len - i), v = 0;
		if (!vlen) {
			strbuf_addc(&e->text, pattern[i++]);
			continue;
		}
		while (v < vars->n &&
		       (strlen(vars->names[v]) != vlen - 3 ||
			memcmp(vars->names[v], pattern + i + 2, vlen - 3)))
			v++;
		if (v == vars->n)
			return i;
		const struct rx_terms *set = vars->sets[v];
		size_t at = e->text.len;
		if (!set || !set->count) {
			strbuf_adds(&e->text, "(?:(*FAIL))");
		} else {
			bool caseless =
				i >= 4 && !memcmp(pattern + i - 4, "(?i:", 4);
			size_t max = set->max_chars > 2 ? set->max_chars : 2;
			strbuf_adds(&e->text, "(?:(?C0)");
			add_call(e, e->text.len, CALL_TERM_FROM, caseless, set);
			term_class(&e->text, set);
			strbuf_addf(&e->text, "{%d,%zu}",
				    set->has_empty ? 0 : 1, max);
			strbuf_adds(&e->text, "(?C0)");
			add_call(e, e->text.len, CALL_TERM_IS, caseless, set);
			strbuf_adds(&e->text, "(?=))");
		}
		add_expansion(e, i, vlen, at, e->text.len - at);
		i += vlen;
	}
	return len;
}

/* The offset in the pattern as written of offset off of its expansion: a
 * place inside an expansion is its ${name}. */
static size_t
written_offset(const struct expansion *e, size_t off, size_t len)
{
	size_t delta = 0; /* expanded bytes minus written ones, so far */
	for (size_t i = 0; i < e->nexp; i++) {
		if (off < e->exp[i])
			break;
		if (off < e->exp[i] + e->elen[i])
			return e->src[i];
		delta += e->elen[i] - e->slen[i];
	}
	return off - delta < len ? off - delta : len;
}

static bool
contains(const char *s, size_t len, const char *what)
{
	size_t n = strlen(what);
	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(s + i, what, n))
			return true;
	return false;
}

static pcre2_code *
compile_text(const char *text, size_t len, int *code, PCRE2_SIZE *off)
{
	return pcre2_compile((PCRE2_SPTR)text, len,
			     PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C,
			     code, off, NULL);
}

/* A ${name} no set answers to: the names there are, in err. */
static void
unknown_variable(const char *pattern, size_t len, size_t at,
		 const struct vars *vars, char *err, size_t errlen)
{
	struct strbuf names = { 0 };
	for (size_t v = 0; v < vars->n; v++)
		strbuf_addf(&names, "%s${%s}", v ? _(", ") : "",
			    vars->names[v]);
	int n = (int)variable_at(pattern + at, len - at);
	if (vars->n)
		snprintf(err, errlen,
			 /* TRANSLATORS: "unknown variable ${x}; a pattern may
			  * use
			  * ${terms}, ${levels}". */
			 _("unknown variable %.*s; a pattern may use %s"), n,
			 pattern + at, names.buf);
	else
		snprintf(err, errlen, _("unknown variable %.*s"), n,
			 pattern + at);
	strbuf_free(&names);
}

struct rx *
rx_compile(const char *pattern, size_t len, const struct rx_terms *terms,
	   char *err, size_t errlen, size_t *erroffset)
{
	static const char *const names[] = { "terms" };
	return rx_compile_sets(pattern, len, names, &terms, 1, false, err,
			       errlen, erroffset);
}

struct rx *
rx_compile_sets(const char *pattern, size_t len, const char *const *names,
		const struct rx_terms *const *sets, size_t nsets, bool shipped,
		char *err, size_t errlen, size_t *erroffset)
{
	const struct vars vars = { names, sets, nsets };
	/* The pattern as written, each ${name} expanded, must compile: its
	 * errors are the user's, at the user's offsets. (A shipped pattern
	 * does: pcre2_compile took a third of the time of reading the rules
	 * in, and this compile is half of it.) */
	struct expansion plain = { 0 };
	size_t unknown = expand(&plain, pattern, len, &vars);
	if (unknown < len) {
		unknown_variable(pattern, len, unknown, &vars, err, errlen);
		*erroffset = unknown;
		expansion_free(&plain);
		return NULL;
	}
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = NULL;
	if (!shipped) {
		re = compile_text(plain.text.buf ? plain.text.buf : "",
				  plain.text.len, &code, &off);
		if (!re) {
			pcre2_get_error_message(code, (PCRE2_UCHAR *)err,
						errlen);
			*erroffset = written_offset(&plain, off, len);
			expansion_free(&plain);
			return NULL;
		}
		pcre2_code_free(re);
		re = NULL;
	}
	expansion_free(&plain);

	/* What runs: the start callout before the whole pattern, in a group
	 * that numbers nothing; \E ends a \Q the pattern left open. A
	 * pattern that ends in a comment of (?x) needs a newline before the
	 * group closes. */
	uint32_t match_options;
	size_t lead = leading_settings(pattern, len, &match_options);
	struct expansion e = { 0 };
	size_t body = 0, body_end = 0; /* the expanded pattern, in e.text */
	for (int tail = 0; tail < 2 && !re; tail++) {
		expansion_free(&e);
		e = (struct expansion){ 0 };
		strbuf_add(&e.text, pattern, lead);
		strbuf_adds(&e.text, "(?C0)");
		add_call(&e, e.text.len, CALL_START, false, NULL);
		strbuf_adds(&e.text, "(?:");
		body = e.text.len;
		expand(&e, pattern + lead, len - lead, &vars);
		body_end = e.text.len;
		strbuf_adds(&e.text, tail ? "\\E\n)" : "\\E)");
		re = compile_text(e.text.buf, e.text.len, &code, &off);
	}
	if (!re) {
		pcre2_get_error_message(code, (PCRE2_UCHAR *)err, errlen);
		*erroffset = len;
		expansion_free(&e);
		return NULL;
	}
	/* JIT is an optimisation: where it is unavailable, interpret. Under
	 * valgrind, interpret too: memcheck cannot follow JIT code and
	 * reports reads of uninitialised memory that do not happen. The
	 * benchmark's callgrind counts what users run: SKILLC_JIT=1 keeps the
	 * JIT under valgrind. It is done once the pattern has been offered
	 * RX_JIT_AFTER bytes: JIT-compiling the nine patterns a bundled
	 * standard's texts reach took longer than interpreting them there
	 * (0.4 ms of 3.8), while a large standard pays the interpreter on
	 * 16 KiB per pattern only. */
	static int jit = -1;
	if (jit < 0) {
		const char *force = getenv("SKILLC_JIT");
		jit = !RUNNING_ON_VALGRIND || (force && !strcmp(force, "1"));
	}
	struct rx *rx = calloc(1, sizeof *rx);
	if (!rx)
		die_oom();
	rx->jit = jit;
	rx->options = match_options;
	rx->code = re;
	rx->filter = rx_filter_new(e.text.buf, lead, e.text.buf + body,
				   body_end - body);
	rx->md = pcre2_match_data_create_from_pattern(re, NULL);
	if (!rx->md)
		die_oom();
	/* Where a search starts changes what \G, (*COMMIT) and
	 * (*NOTEMPTY_ATSTART) mean: such a pattern searches from the start. */
	rx->resumable = !contains(pattern, len, "\\G") &&
			!contains(pattern, len, "(*COMMIT") &&
			!(match_options & PCRE2_NOTEMPTY_ATSTART);
	rx->calls = e.calls;
	rx->ncalls = e.ncalls;
	e.calls = NULL;
	size_t fold = 0; /* the longest term a callout may fold */
	for (size_t v = 0; v < nsets; v++)
		if (sets[v] && sets[v]->max_bytes > fold)
			fold = sets[v]->max_bytes;
	rx->fold = malloc(fold + 1);
	if (!rx->fold)
		die_oom();
	expansion_free(&e);
	return rx;
}

/* ---- matching ----------------------------------------------------------- */

static const struct call *
find_call(const struct rx *rx, size_t at)
{
	size_t lo = 0, hi = rx->ncalls;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rx->calls[mid].at < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rx->ncalls && rx->calls[lo].at == at ? &rx->calls[lo]
							 : NULL;
}

/* Charge an attempt that starts at start; false once the budget is spent. */
static bool
charge(uint32_t limit, size_t len, size_t start)
{
	uint64_t units = limit + (len - start) / RX_SCAN_BYTES;
	if (budget.spent || units > budget.total - budget.used) {
		budget.spent = true;
		return false;
	}
	budget.used += units;
	return true;
}

static int
callout(pcre2_callout_block *b, void *data)
{
	struct matching *m = data;
	struct rx *rx = m->rx;
	/* The start callout, the first, is asked for at every attempt. */
	const struct call *c = b->pattern_position == rx->calls[0].at
				       ? rx->calls
				       : find_call(rx, b->pattern_position);
	if (!c)
		return 0; /* the pattern's own: as if there were no function */
	size_t at = b->current_position;
	switch (c->role) {
	case CALL_START:
		if (b->start_match == m->start)
			return 0; /* the pattern recursed, same attempt */
		m->start = b->start_match;
		rx->nfrom = 0;
		return charge(m->limit, b->subject_length, at)
			       ? 0
			       : PCRE2_ERROR_CALLOUT;
	case CALL_TERM_FROM:
		while (rx->nfrom && rx->from[rx->nfrom - 1] >= at)
			rx->nfrom--;
		if (rx->nfrom == rx->from_cap) {
			rx->from_cap = rx->from_cap ? rx->from_cap * 2 : 16;
			rx->from = realloc(rx->from,
					   rx->from_cap * sizeof *rx->from);
			if (!rx->from)
				die_oom();
		}
		rx->from[rx->nfrom++] = at;
		return 0;
	default: /* CALL_TERM_IS */
		while (rx->nfrom && rx->from[rx->nfrom - 1] > at)
			rx->nfrom--;
		if (!rx->nfrom)
			return 1;
		size_t from = rx->from[rx->nfrom - 1];
		return is_term(rx, c->set, (const char *)b->subject + from,
			       at - from, c->caseless)
			       ? 0
			       : 1;
	}
}

/* One pcre2_match over text[0, end), under the ladder of match limits. */
static int
match_ladder(struct rx *rx, struct matching *st, const char *text, size_t end,
	     size_t start, uint32_t options)
{
	if (!rx->jit_tried && (rx->read += end - start) > RX_JIT_AFTER) {
		rx->jit_tried = true;
		rx->jit = rx->jit &&
			  !pcre2_jit_compile(rx->code,
					     PCRE2_JIT_COMPLETE |
						     PCRE2_JIT_PARTIAL_HARD);
	}
	for (;;) {
		st->start = PCRE2_UNSET;
		rx->nfrom = 0;
		pcre2_set_match_limit(mctx, st->limit);
		/* The JIT's fast path, where the pattern has JIT code for
		 * the mode; else pcre2_match. The loader validated every
		 * text, so neither checks its UTF-8 again (on each call, that
		 * made many findings in one text quadratic). */
		int rc = rx->jit && rx->jit_tried
				 ? pcre2_jit_match(rx->code, (PCRE2_SPTR)text,
						   end, start,
						   options | rx->options,
						   rx->md, mctx)
				 : PCRE2_ERROR_JIT_BADOPTION;
		if (rc == PCRE2_ERROR_JIT_BADOPTION)
			rc = pcre2_match(rx->code, (PCRE2_SPTR)text, end, start,
					 options | PCRE2_NO_UTF_CHECK, rx->md,
					 mctx);
		if (rc != PCRE2_ERROR_MATCHLIMIT || st->limit == RX_MATCH_LIMIT)
			return rc;
		/* The attempts before the one that hit the limit failed
		 * within it: a resumable search goes on from that one. */
		if (rx->resumable && st->start != PCRE2_UNSET &&
		    st->start > start)
			start = st->start;
		st->limit = st->limit > RX_MATCH_LIMIT / 2 ? RX_MATCH_LIMIT
							   : st->limit * 2;
	}
}

bool
rx_may_match(const struct rx *rx, const struct rx_sig *sig)
{
	return !rx->filter || rx_filter_may(rx->filter, sig);
}

int
rx_match(struct rx *rx, const char *text, size_t len, size_t start,
	 struct rx_match *m)
{
	if (budget.spent)
		return RX_BUDGET;
	if (!mctx) { /* the first match of the run */
		mctx = pcre2_match_context_create(NULL);
		if (!mctx)
			die_oom();
		pcre2_set_depth_limit(mctx, RX_DEPTH_LIMIT);
	}
	struct matching st = { rx, RX_FIRST_LIMIT, PCRE2_UNSET };
	pcre2_set_callout(mctx, callout, &st);
	/* The text from at up to end, as if it went on (PCRE2_PARTIAL_HARD):
	 * a match found there is the match, since no attempt before it read,
	 * or asserted, the end. When an attempt did, the search goes on from
	 * that attempt with twice the text; when none matched, from the end,
	 * as pcre2_match would have. A pattern that knows where the search
	 * started (\G) or that may give it up (COMMIT) searches from its start
	 * with twice the text instead. A limit hit is only believed over the
	 * whole text: matching a window goes without the optimisations that
	 * spare pcre2_match some hopeless attempts (a missing last literal). */
	int rc;
	size_t at = start, window = RX_FIRST_WINDOW;
	for (;;) {
		size_t end = len - at > window ? at + window : len;
		while (end < len && ((unsigned char)text[end] & 0xc0) == 0x80)
			end++;
		rc = match_ladder(rx, &st, text, end, at,
				  end < len ? PCRE2_PARTIAL_HARD : 0);
		rx->end = end;
		if (end == len)
			break;
		if (rc == PCRE2_ERROR_PARTIAL && rx->resumable &&
		    st.start != PCRE2_UNSET && st.start >= at) {
			at = st.start;
			window = 2 * (end - at) > RX_FIRST_WINDOW
					 ? 2 * (end - at)
					 : RX_FIRST_WINDOW;
		} else if (rc == PCRE2_ERROR_NOMATCH && rx->resumable) {
			at = end;
			window = RX_FIRST_WINDOW;
		} else if (rc == PCRE2_ERROR_PARTIAL ||
			   rc == PCRE2_ERROR_NOMATCH) {
			window *= 2;
		} else if (rc == PCRE2_ERROR_MATCHLIMIT ||
			   rc == PCRE2_ERROR_DEPTHLIMIT ||
			   rc == PCRE2_ERROR_HEAPLIMIT) {
			window = len - at; /* as pcre2_match alone would */
		} else {
			break;
		}
	}
	pcre2_set_callout(mctx, NULL, NULL);
	if (rc == PCRE2_ERROR_CALLOUT && budget.spent)
		return RX_BUDGET;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT)
		return RX_LIMIT;
	if (rc < 0)
		return rc;
	const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rx->md);
	m->start = ov[0];
	m->end = ov[1];
	m->group_start = m->group_end = m->start;
	if (rc > 1 && ov[2] != PCRE2_UNSET) {
		m->group_start = ov[2];
		m->group_end = ov[3];
	} else if (rc <= 1) {
		m->group_start = m->start;
		m->group_end = m->end;
	}
	return 1;
}

int
rx_replacement(struct rx *rx, const char *text, size_t len,
	       const char *replacement, size_t rlen, struct strbuf *out)
{
	/* The replacement of the match rx_match found last, alone. */
	PCRE2_SIZE size = 256;
	for (;;) {
		PCRE2_UCHAR *buf = malloc(size);
		if (!buf)
			die_oom();
		PCRE2_SIZE outlen = size;
		int rc = pcre2_substitute(
			rx->code, (PCRE2_SPTR)text,
			len < rx->end ? len : rx->end, 0,
			PCRE2_SUBSTITUTE_MATCHED | PCRE2_NO_UTF_CHECK |
				PCRE2_SUBSTITUTE_REPLACEMENT_ONLY |
				PCRE2_SUBSTITUTE_EXTENDED |
				PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
			rx->md, mctx, (PCRE2_SPTR)replacement, rlen, buf,
			&outlen);
		if (rc == PCRE2_ERROR_NOMEMORY) {
			free(buf);
			size = outlen + 1;
			continue;
		}
		if (rc >= 0)
			strbuf_add(out, (const char *)buf, outlen);
		free(buf);
		return rc < 0 ? rc : 0;
	}
}

void
rx_error_message(int code, char *buf, size_t len)
{
	if (pcre2_get_error_message(code, (PCRE2_UCHAR *)buf, len) < 0)
		/* TRANSLATORS: a PCRE2 error that has no message of its
		 * own: its number. */
		snprintf(buf, len, _("error %d"), code);
}

void
rx_free(struct rx *rx)
{
	if (!rx)
		return;
	pcre2_match_data_free(rx->md);
	pcre2_code_free(rx->code);
	free(rx->calls);
	free(rx->from);
	free(rx->fold);
	rx_filter_free(rx->filter);
	free(rx);
}

/* ---- the budget --------------------------------------------------------- */

void
rx_budget_grant(size_t bytes)
{
	uint64_t more = (uint64_t)bytes * RX_BUDGET_PER_BYTE;
	budget.total = UINT64_MAX - budget.total < more ? UINT64_MAX
							: budget.total + more;
}

bool
rx_budget_spent(void)
{
	return budget.spent;
}

void
rx_budget_usage(uint64_t *used, uint64_t *total)
{
	*used = budget.used;
	*total = budget.total;
}

void
rx_release(void)
{
	pcre2_match_context_free(mctx);
	mctx = NULL;
	budget.total = RX_BUDGET_BASE;
	budget.used = 0;
	budget.spent = false;
}
