/*
 * test_rx.c - patterns: ${terms} looked up (longest first, exact or
 * without regard to ASCII case, a set over another, 100,000 of them, the
 * pattern's groups and error offsets as written), other sets by name
 * (${levels}; an unknown ${name} an error), matching in windows that
 * finds what matching the whole text finds, the match and depth limits, and
 * the run's budget: what an attempt is charged and where the budget ends.
 *
 * The limits are PCRE2's counts, which the JIT and the interpreter keep
 * differently; the tests that pin them use (*NO_JIT), so that they count
 * the same with and without valgrind (which turns the JIT off).
 */
#include "skillc.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
teardown(void)
{
	rx_release(); /* a fresh budget for the next test */
}

static struct rx *
compile(const char *pattern, const struct rx_terms *terms)
{
	char err[256];
	size_t off = 0;
	struct rx *rx = rx_compile(pattern, strlen(pattern), terms, err,
				   sizeof err, &off);
	ck_assert_msg(rx != NULL, "'%s' does not compile: %s (at %zu)", pattern,
		      err, off);
	return rx;
}

static struct rx_terms *
terms_of(const char *const *list)
{
	struct rx_terms *t = rx_terms_new(NULL);
	for (; list && *list; list++)
		rx_terms_add(t, *list, strlen(*list));
	return t;
}

/* Every match of rx in text, found as check_text finds them, as "s-e"
 * byte offsets joined by ';'; "" for none, "LIMIT" or "BUDGET" when
 * matching stopped so. The caller frees out. */
static void
all_matches(struct rx *rx, const char *text, size_t len, struct strbuf *out)
{
	size_t start = 0;
	strbuf_reset(out);
	strbuf_adds(out, "");
	for (;;) {
		struct rx_match m;
		int rc = rx_match(rx, text, len, start, &m);
		if (rc < 0) {
			strbuf_adds(out, out->len ? ";" : "");
			strbuf_adds(out, rc == RX_LIMIT	   ? "LIMIT"
					 : rc == RX_BUDGET ? "BUDGET"
							   : "ERROR");
			return;
		}
		if (rc == 0)
			return;
		strbuf_addf(out, "%s%zu-%zu", out->len ? ";" : "", m.start,
			    m.end);
		start = m.end;
		if (m.end == m.start) {
			if (start >= len)
				return;
			start++;
			while (start < len &&
			       ((unsigned char)text[start] & 0xc0) == 0x80)
				start++;
		}
	}
}

/* s n times over, then tail; the caller frees it. */
static char *
repeat(const char *head, const char *s, size_t n, const char *tail)
{
	struct strbuf sb = { 0 };
	strbuf_adds(&sb, head);
	for (size_t i = 0; i < n; i++)
		strbuf_adds(&sb, s);
	strbuf_adds(&sb, tail);
	return sb.buf;
}

static uint64_t
used(void)
{
	uint64_t u, t;
	rx_budget_usage(&u, &t);
	return u;
}

/* ---- ${terms} ----------------------------------------------------------- */

#define LATIN_WORD                                                             \
	"(?<![A-Za-z])(?i:${terms})(?![A-Za-z])(*SKIP)(*FAIL)|[A-Za-z]+"

static const struct term_case {
	const char *what, *pattern;
	const char *terms[8];
	const char *text, *want;
} term_cases[] = {
	{ "the shipped rule: words that only start with a term are words, "
	  "a term of several words is one, case does not matter",
	  LATIN_WORD,
	  { "AI", "IT", "Online", "Online to Offline", "SaaS" },
	  "AIGC和Online to Offline及ITSM与saas，Onlinex",
	  "0-4;27-31;41-48" },
	{ "bare ${terms}: exactly as listed",
	  "(?<![A-Za-z])${terms}(?![A-Za-z])",
	  { "SaaS" },
	  "SaaS saas SAAS",
	  "0-4" },
	{ "(?i:${terms}): ASCII letters in any case",
	  "(?<![A-Za-z])(?i:${terms})(?![A-Za-z])",
	  { "SaaS" },
	  "SaaS saas SAAS",
	  "0-4;5-9;10-14" },
	{ "(?i:) folds ASCII only: the long s is not an s",
	  "(?i:${terms})",
	  { "SaaS" },
	  "\xc5\xbf"
	  "aaS",
	  "" },
	{ "the longest term first",
	  "${terms}",
	  { "On", "Online", "Online to Offline" },
	  "Online to Offline Online On",
	  "0-17;18-24;25-27" },
	{ "a shorter term when what follows needs it (not possessive)",
	  "${terms}c",
	  { "ab", "abc" },
	  "abc",
	  "0-3" },
	{ "back into an earlier term after a later one failed: the stack",
	  "(?:${terms})+d",
	  { "a", "ab", "bc" },
	  "abcd",
	  "0-4" },
	{ "several ${terms} in one pattern",
	  "${terms}-${terms}",
	  { "B2B", "O2O" },
	  "B2B-O2O B2B-B2C",
	  "0-7" },
	{ "in a negative lookahead",
	  "(?!${terms}\\b)\\b[A-Za-z]+",
	  { "SaaS" },
	  "SaaS Paas SaaSy",
	  "5-9;10-15" },
	{ "characters a pattern or a class would read otherwise",
	  "${terms}",
	  { "C端", "C++", "a.b", "[x]", "Wi-Fi", "^-]" },
	  "C端 C++ a.b axb [x] Wi-Fi ^-] C+",
	  "0-4;5-8;9-12;17-20;21-26;27-30" },
	{ "spaces of a term are not eaten by (?x)",
	  "(?x) ${terms} \\b",
	  { "Online to Offline" },
	  "Online to Offline",
	  "0-17" },
	{ "no terms: ${terms} never matches",
	  "${terms}|z",
	  { NULL },
	  "az",
	  "1-2" },
	{ "the empty term",
	  "<${terms}>",
	  { "", "ab" },
	  "<> <ab> <a>",
	  "0-2;3-7" },
	{ "a quantified ${terms} is one group",
	  "${terms}{2}",
	  { "ab" },
	  "abab ab",
	  "0-4" },
};
#define N_TERM_CASES (sizeof term_cases / sizeof *term_cases)

START_TEST(test_terms)
{
	const struct term_case *c = &term_cases[_i];
	struct rx_terms *t = terms_of(c->terms);
	struct rx *rx = compile(c->pattern, t);
	struct strbuf got = { 0 };
	all_matches(rx, c->text, strlen(c->text), &got);
	ck_assert_msg(!strcmp(got.buf, c->want), "%s: got '%s', want '%s'",
		      c->what, got.buf, c->want);
	strbuf_free(&got);
	rx_free(rx);
	rx_terms_free(t);
}
END_TEST

START_TEST(test_terms_100000)
{
	/* 100,000 terms: "t" and a number in base 26 ("tba", "tbb", ...);
	 * the shipped rule compiles and looks each word up. */
	enum { N = 100000 };
	struct rx_terms *t = rx_terms_new(NULL);
	for (size_t i = 0; i < N; i++) {
		char buf[16];
		size_t n = 0, v = i + 26 * 26;
		buf[n++] = 't';
		char digits[8];
		size_t nd = 0;
		for (; v; v /= 26)
			digits[nd++] = (char)('a' + v % 26);
		while (nd)
			buf[n++] = digits[--nd];
		rx_terms_add(t, buf, n);
	}
	ck_assert_uint_eq(rx_terms_count(t), N);
	struct rx *rx = compile(LATIN_WORD, t);
	/* tbaa is the first term, tfsyd and tfsye (i = 99,999, 100,000)
	 * the last and the first past it. */
	const char *text = "用tbaa和TFSYD及tfsye、tzzzz与tb";
	struct strbuf got = { 0 };
	all_matches(rx, text, strlen(text), &got);
	ck_assert_str_eq(got.buf, "18-23;26-31;34-36");
	strbuf_free(&got);
	rx_free(rx);
	rx_terms_free(t);
}
END_TEST

START_TEST(test_terms_over)
{
	/* A standard's terms over the run's: both allowed, for patterns
	 * compiled with the set on top; duplicates are not counted twice. */
	static const char *const run[] = { "SaaS", "KPI", NULL };
	struct rx_terms *global = terms_of(run);
	struct rx_terms *local = rx_terms_new(global);
	rx_terms_add(local, "CDP", 3);
	rx_terms_add(local, "KPI", 3);
	ck_assert_uint_eq(rx_terms_count(global), 2);
	ck_assert_uint_eq(rx_terms_count(local), 3);
	const char *text = "SaaS、CDP、KPI、Kol";
	struct strbuf got = { 0 };
	struct rx *rx = compile(LATIN_WORD, local);
	all_matches(rx, text, strlen(text), &got);
	ck_assert_str_eq(got.buf, "19-22");
	rx_free(rx);
	rx = compile(LATIN_WORD, global);
	all_matches(rx, text, strlen(text), &got);
	ck_assert_str_eq(got.buf, "7-10;19-22");
	rx_free(rx);
	strbuf_free(&got);
	rx_terms_free(local);
	rx_terms_free(global);
}
END_TEST

START_TEST(test_terms_groups)
{
	/* ${terms} numbers no group: $1 and $2 are the pattern's own. */
	static const char *const list[] = { "SaaS", NULL };
	struct rx_terms *t = terms_of(list);
	struct rx *rx = compile("(${terms})-(\\d+)", t);
	const char *text = "用SaaS-42";
	struct rx_match m;
	ck_assert_int_eq(rx_match(rx, text, strlen(text), 0, &m), 1);
	ck_assert_uint_eq(m.group_start, 3);
	ck_assert_uint_eq(m.group_end, 7);
	struct strbuf out = { 0 };
	ck_assert_int_eq(
		rx_replacement(rx, text, strlen(text), "$2:$1", 5, &out), 0);
	ck_assert_str_eq(out.buf, "42:SaaS");
	strbuf_free(&out);
	rx_free(rx);
	rx_terms_free(t);
}
END_TEST

/* Errors at their offset in the pattern as written. */
static const struct error_case {
	const char *pattern;
	size_t offset;
} error_cases[] = {
	{ "${terms}(?<名", 14 },     /* after an expansion: the end */
	{ "${terms}${terms}(", 17 }, /* after two */
	{ "x${terms}[", 10 },	     { "a)", 1 }, /* none */
	{ "(?<=${terms})x", 0 }, /* no fixed length: the lookbehind */
	{ "x(?<=a${terms})", 1 },
};
#define N_ERROR_CASES (sizeof error_cases / sizeof *error_cases)

START_TEST(test_terms_errors)
{
	static const char *const list[] = { "SaaS", "IT", NULL };
	struct rx_terms *t = terms_of(list);
	const struct error_case *c = &error_cases[_i];
	char err[256] = "";
	size_t off = 999;
	struct rx *rx = rx_compile(c->pattern, strlen(c->pattern), t, err,
				   sizeof err, &off);
	ck_assert_msg(rx == NULL, "'%s' compiles", c->pattern);
	ck_assert_msg(off == c->offset, "'%s': error at %zu, want %zu (%s)",
		      c->pattern, off, c->offset, err);
	rx_terms_free(t);
}
END_TEST

/* ---- other sets: ${name} ------------------------------------------------ */

/* Each ${name} looks up its own set; a set absent matches nothing. */
static const struct sets_case {
	const char *what, *pattern, *text, *want;
	bool levels; /* the second set given */
} sets_cases[] = {
	{ "each name its set, the longest first", "${levels}",
	  "五级/初级工安全检查和五级", "0-16;31-37", true },
	{ "two sets in one pattern", "${terms}|${levels}",
	  "SaaS初级工与五级KPI", "0-4;4-13;16-22", true },
	{ "a term is no level", "${levels}", "SaaS", "", true },
	{ "a set not given", "${levels}", "五级/初级工", "", false },
};
#define N_SETS_CASES (sizeof sets_cases / sizeof *sets_cases)

START_TEST(test_sets)
{
	static const char *const names[] = { "terms", "levels" };
	static const char *const term_list[] = { "SaaS", NULL };
	static const char *const level_list[] = { "五级/初级工", "五级",
						  "初级工", NULL };
	const struct sets_case *c = &sets_cases[_i];
	struct rx_terms *terms = terms_of(term_list);
	struct rx_terms *levels = terms_of(level_list);
	const struct rx_terms *sets[] = { terms, c->levels ? levels : NULL };
	char err[256];
	size_t off = 0;
	struct rx *rx = rx_compile_sets(c->pattern, strlen(c->pattern), names,
					sets, 2, false, err, sizeof err, &off);
	ck_assert_msg(rx != NULL, "%s: %s", c->what, err);
	struct strbuf got = { 0 };
	all_matches(rx, c->text, strlen(c->text), &got);
	ck_assert_msg(!strcmp(got.buf, c->want), "%s: got '%s', want '%s'",
		      c->what, got.buf, c->want);
	strbuf_free(&got);
	rx_free(rx);
	rx_terms_free(levels);
	rx_terms_free(terms);
}
END_TEST

START_TEST(test_sets_unknown)
{
	/* A name no set answers to is an error where it is written, not a
	 * pattern that never matches ($ and a literal {level}). */
	static const char *const names[] = { "terms", "levels" };
	const struct rx_terms *sets[] = { NULL, NULL };
	char err[256] = "";
	size_t off = 999;
	const char *pattern = "x|${level}";
	ck_assert_ptr_null(rx_compile_sets(pattern, strlen(pattern), names,
					   sets, 2, false, err, sizeof err,
					   &off));
	ck_assert_uint_eq(off, 2);
	ck_assert_str_eq(
		err,
		"unknown variable ${level}; a pattern may use ${terms}, ${levels}");
	/* Written \$, it is the text "${level}". */
	pattern = "\\${level}";
	struct rx *rx = rx_compile_sets(pattern, strlen(pattern), names, sets,
					2, false, err, sizeof err, &off);
	ck_assert_msg(rx != NULL, "%s", err);
	struct strbuf got = { 0 };
	all_matches(rx, "a${level}", 9, &got);
	ck_assert_str_eq(got.buf, "1-9");
	strbuf_free(&got);
	rx_free(rx);
	/* rx_compile knows ${terms} alone. */
	off = 999;
	pattern = "${levels}";
	ck_assert_ptr_null(rx_compile(pattern, strlen(pattern), NULL, err,
				      sizeof err, &off));
	ck_assert_uint_eq(off, 0);
}
END_TEST

/* ---- windows: what matching the whole text finds ---------------------- */

static const struct window_case {
	const char *what, *pattern, *head, *unit;
	size_t n;
	const char *tail, *want;
} window_cases[] = {
	{ "a word past the first window", LATIN_WORD, "", "中", 30, "Leader中",
	  "90-96" },
	{ "a term across the first window's end, passed over", LATIN_WORD, "",
	  "中", 20, "Online to Offline中x", "80-81" },
	{ "$ only at the true end", "a$", "", "a", 100, "", "99-100" },
	{ "\\b only at the true end", "a\\b", "", "a", 100, "", "99-100" },
	{ "a lookahead that reads to the end", "a(?=a*z)", "", "a", 3, "z",
	  "0-1;1-2;2-3" },
	{ "a lookbehind before the window", "(?<=中)x", "", "中", 40, "x",
	  "120-121" },
	{ "COMMIT gives up the whole search", "a(*COMMIT)b|c", "ax", "y", 100,
	  "c", "" },
	{ "\\G is where the search started", "\\Ga|b", "c", "a", 100, "", "" },
	{ "SKIP past a window's end", "x+(*SKIP)(*FAIL)|x", "", "x", 100, "",
	  "" },
	{ "a search that goes on from where a window ended", "z", "", "中", 100,
	  "z", "300-301" },
	/* Match options set in the pattern hold on the JIT's fast path too
	 * (pcre2_jit_match leaves them to its caller). */
	{ "(*NOTEMPTY) in one piece", "(*NOTEMPTY)x*", "", "a", 3, "", "" },
	{ "(*NOTEMPTY) in windows", "(*NOTEMPTY)x*", "", "a", 100, "", "" },
	{ "(*NOTEMPTY_ATSTART)", "(*NOTEMPTY_ATSTART)x*", "", "a", 3, "",
	  "1-1;3-3" },
	{ "(*NOTEMPTY_ATSTART) at the first window's end: not the start",
	  "(*NOTEMPTY_ATSTART)(?=b)", "b", "a", 63, "b", "64-64" },
};
#define N_WINDOW_CASES (sizeof window_cases / sizeof *window_cases)

START_TEST(test_windows)
{
	static const char *const list[] = { "Online to Offline", NULL };
	const struct window_case *c = &window_cases[_i];
	struct rx_terms *t = terms_of(list);
	struct rx *rx = compile(c->pattern, t);
	char *text = repeat(c->head, c->unit, c->n, c->tail);
	struct strbuf got = { 0 };
	all_matches(rx, text, strlen(text), &got);
	ck_assert_msg(!strcmp(got.buf, c->want), "%s: got '%s', want '%s'",
		      c->what, got.buf, c->want);
	strbuf_free(&got);
	free(text);
	rx_free(rx);
	rx_terms_free(t);
}
END_TEST

START_TEST(test_windows_replacement)
{
	/* The replacement of a match found in a window. */
	struct rx *rx = compile("(?<=\\p{Han})(,)", NULL);
	char *text = repeat("", "中", 30, ",中");
	struct rx_match m;
	ck_assert_int_eq(rx_match(rx, text, strlen(text), 0, &m), 1);
	ck_assert_uint_eq(m.start, 90);
	struct strbuf out = { 0 };
	ck_assert_int_eq(
		rx_replacement(rx, text, strlen(text), "${1:+，}", 9, &out), 0);
	ck_assert_str_eq(out.buf, "，");
	strbuf_free(&out);
	free(text);
	rx_free(rx);
}
END_TEST

/* ---- the limits of one attempt ----------------------------------------- */

/* Over n a's, ^a*(?=b) takes 2n + 3 steps and ^a*(?!a)(?=b) 2n + 4, at a
 * depth of 4; ^(?:a)*(?=b) goes n + 3 deep. So each limit is met exactly
 * (1,000,000 steps, a depth of 10,000) and passed by one. */
static const struct limit_case {
	const char *pattern;
	size_t n;
	const char *want;
} limit_cases[] = {
	{ "(*NO_JIT)^a*(?!a)(?=b)", 499998, "" },   /* 1,000,000 steps */
	{ "(*NO_JIT)^a*(?=b)", 499999, "LIMIT" },   /* 1,000,001 */
	{ "(*NO_JIT)^(?:a)*(?=b)", 9997, "" },	    /* 10,000 deep */
	{ "(*NO_JIT)^(?:a)*(?=b)", 9998, "LIMIT" }, /* 10,001 */
};
#define N_LIMIT_CASES (sizeof limit_cases / sizeof *limit_cases)

START_TEST(test_limits)
{
	const struct limit_case *c = &limit_cases[_i];
	struct rx *rx = compile(c->pattern, NULL);
	char *text = repeat("", "a", c->n, "");
	struct strbuf got = { 0 };
	all_matches(rx, text, c->n, &got);
	ck_assert_msg(!strcmp(got.buf, c->want), "%s over %zu a's: got '%s'",
		      c->pattern, c->n, got.buf);
	strbuf_free(&got);
	free(text);
	rx_free(rx);
}
END_TEST

/* ---- the budget ---------------------------------------------------------- */

/* What one rx_match is charged: each attempt, the match limit in force
 * and a unit per 4 bytes (RX_SCAN_BYTES) from its start to the end of the
 * text it sees, the first 64 bytes (RX_FIRST_WINDOW) of a longer one. */
static const struct charge_case {
	const char *what, *pattern, *unit;
	size_t n;
	uint64_t want;
} charge_cases[] = {
	{ "one attempt under the first limit (RX_FIRST_LIMIT)", "a", "a", 1,
	  8 },
	{ "and what it may read", "a", "a", 40, 8 + 40 / 4 },
	{ "no further than the first window", "a", "a", 100, 8 + 64 / 4 },
	{ "23 steps: limits 8 and 16 are hit, 32 is enough",
	  "(*NO_JIT)^a*(?=b)", "a", 10, (8 + 2) + (16 + 2) + (32 + 2) },
	{ "no attempt where no match can start", "(*NO_JIT)b", "a", 12, 0 },
	{ "an attempt at each start that leaves room for a match",
	  "(*NO_JIT)[ab][bc]", "a", 12,
	  11 * 8 + (3 + 2 + 2 + 2 + 2 + 1 + 1 + 1 + 1) },
};
#define N_CHARGE_CASES (sizeof charge_cases / sizeof *charge_cases)

START_TEST(test_charges)
{
	const struct charge_case *c = &charge_cases[_i];
	struct rx *rx = compile(c->pattern, NULL);
	char *text = repeat("", c->unit, c->n, "");
	struct rx_match m;
	ck_assert_uint_eq(used(), 0);
	(void)rx_match(rx, text, strlen(text), 0, &m);
	ck_assert_msg(used() == c->want, "%s: charged %llu, want %llu", c->what,
		      (unsigned long long)used(), (unsigned long long)c->want);
	free(text);
	rx_free(rx);
}
END_TEST

START_TEST(test_charge_resumes)
{
	/* A limit hit at a later attempt: the search goes on from that
	 * attempt under twice the limit, and the one at the first a, which
	 * failed within the first limit, is not made, nor charged, again. So
	 * "ax" and 10 a's cost what 10 a's alone do and that attempt,
	 * 8 + 12 / 4 (none starts at x: a match starts with a or b). */
	struct rx *rx = compile("(*NO_JIT)a*(?=b)", NULL);
	char *alone = repeat("", "a", 10, ""),
	     *text = repeat("ax", "a", 10, "");
	struct rx_match m;
	ck_assert_int_eq(rx_match(rx, alone, 10, 0, &m), 0);
	uint64_t cost = used();
	rx_release();
	ck_assert_int_eq(rx_match(rx, text, 12, 0, &m), 0);
	ck_assert_uint_eq(used(), cost + 8 + 12 / 4);
	free(alone);
	free(text);
	rx_free(rx);
	rx_release();
}
END_TEST

START_TEST(test_budget_size)
{
	/* 2^26 units (RX_BUDGET_BASE), and 128 per byte granted
	 * (RX_BUDGET_PER_BYTE). */
	uint64_t u, total;
	rx_budget_usage(&u, &total);
	ck_assert_uint_eq(u, 0);
	ck_assert_uint_eq(total, (uint64_t)1 << 26);
	rx_budget_grant(1000);
	rx_budget_usage(&u, &total);
	ck_assert_uint_eq(total, ((uint64_t)1 << 26) + 128000);
	ck_assert(!rx_budget_spent());
}
END_TEST

START_TEST(test_budget_runs_out)
{
	/* (a|aa)+\d over 40 a's hits every match limit at its first
	 * attempt: 18 tries, limits 8, 16, ..., 524,288 and 1,000,000, each
	 * charged its limit and 40 / 4 units: 2,048,748 units a match, each
	 * match RX_LIMIT. 32 of them fit in 2^26 units; the 33rd runs out,
	 * and from then on every match of the run does. */
	struct rx *slow = compile("(a|aa)+\\d", NULL);
	struct rx *fast = compile("a", NULL);
	char *text = repeat("", "a", 40, "");
	struct rx_match m;
	for (int i = 1; i <= 32; i++) {
		ck_assert_int_eq(rx_match(slow, text, 40, 0, &m), RX_LIMIT);
		ck_assert_uint_eq(used(), (uint64_t)i * 2048748);
	}
	ck_assert(!rx_budget_spent());
	ck_assert_int_eq(rx_match(slow, text, 40, 0, &m), RX_BUDGET);
	ck_assert(rx_budget_spent());
	ck_assert_int_eq(rx_match(fast, text, 40, 0, &m), RX_BUDGET);
	uint64_t u, total;
	rx_budget_usage(&u, &total);
	ck_assert(u <= total);
	/* Granted more, it stays spent; a new run starts afresh. */
	rx_budget_grant(1000000);
	ck_assert_int_eq(rx_match(fast, text, 40, 0, &m), RX_BUDGET);
	free(text);
	rx_free(slow);
	rx_free(fast);
	rx_release();
	ck_assert(!rx_budget_spent());
	ck_assert_uint_eq(used(), 0);
}
END_TEST

START_TEST(test_budget_quadratic)
{
	/* a(?=[^z]*z) matches each a of a long text, reading to its end
	 * each time: charged for that reading, it spends the budget within
	 * the first 100,000-byte text, 600 matches or so in. */
	struct rx *rx = compile("a(?=[^z]*z)", NULL);
	char *text = repeat("", "a", 100000, "z");
	rx_budget_grant(strlen(text));
	struct strbuf got = { 0 };
	all_matches(rx, text, strlen(text), &got);
	size_t n = 0;
	for (const char *p = got.buf; (p = strchr(p, ';')); p++)
		n++;
	ck_assert_msg(strstr(got.buf, "BUDGET") != NULL,
		      "the budget never ran out");
	ck_assert_msg(n > 100 && n < 100000, "%zu matches before it did", n);
	strbuf_free(&got);
	free(text);
	rx_free(rx);
}
END_TEST

/* ---- the filter --------------------------------------------------------- */

/* A pattern, a text, and whether the filter may let the text through: it
 * must where the text has a match (the cases in [1]), and should not where
 * a character every match needs is missing (those in [0]). */
static const struct filter_case {
	const char *pattern, *text;
	bool may;
} filter_cases[] = {
	{ "[A-Za-z]+", "中文", false },
	{ "[A-Za-z]+", "中a", true },
	{ "\\x{4E2D}", "中", true },
	{ "\\x{4E2D}", "文", false },
	{ "a?b", "b", true },
	{ "a?b", "a", false },
	{ "a{0}b", "b", true },
	{ "a{2}b", "bb", false },
	{ "\\Qab\\E", "a", false },
	{ "\\Qa+\\E", "a+", true },
	{ "(*FAIL)|abc", "abc", true },
	{ "(*FAIL)|abc", "xyz", false },
	{ "(?:a(*SKIP)(*FAIL)|b)", "a", false },
	{ "(?:a(*SKIP)(*FAIL)|b)", "ab", true },
	{ "(?(DEFINE)(?<n>x))y", "x", false },
	{ "(?(DEFINE)(?<n>x))y", "y", true },
	{ "(?!)a|b", "a", false },
	{ "(?!)a|b", "b", true },
	{ "(?|(a)|(b))c", "ac", true },
	{ "(?|(a)|(b))c", "ab", false },
	{ "(?x) a \\x{20} b", "ab", false },
	{ "(?x) a \\x{20} b", "a b", true },
	{ "(?x)a # a comment\n b", "a", false },
	{ "(?x)a # a comment\n b", "ab", true },
	{ "(?<=中)的|和", "的", true },
	{ "(?<=中)的|和", "中文", false },
	/* case: ASCII letters both ways, K and S to their signs */
	{ "(?i)k", "\u212A", true },
	{ "(?i)s", "\u017F", true },
	{ "(?i)[k-m]", "\u212A", true },
	{ "(?i)ab", "AB", true },
	{ "(?i)ab", "中", false },
	{ "(?i:é)", "É", true },
	{ "(?-i)(?i)é|x", "É", true },
	/* what the reading does not follow lets every text through */
	{ "(?x)a\u2028b", "ab", true },
	{ "a(?#c)?b", "b", true },
	{ "x\\E*y", "y", true },
	{ "(?=a)", "x", true },
	{ "a(*ACCEPT)b", "a", true },
	{ "[^a]", "a", true },
	{ "(a)\\1", "b", false },
	{ "(a)?\\1b", "b", true },
	{ "\\p{Han}", "x", true },
	{ "(?i)ſ", "s", true },
	/* an alternative keeps its first eight needs: fewer let more by */
	{ "abcdefghij", "xyz", false },
	{ "abcdefghij", "abcdefgh", true },
	/* PCRE2's reading where it is not the obvious one */
	{ "[\\E^a]", "b", true },
	{ "[\\E]a]", "a", true },
	{ "[^\\Q\\E]a]", "b", true },
	{ "[[:x]|a:]]b", "x", true },
	{ "(?<*a)b|(?:c>d)e", "ab", true },
	{ "(?<*a)b|(?#>\\x{ffffffff})", "ab", true },
	{ "[[:x]|(?#:]\\x{ffffffff})", "x", true },
	/* \E and \Q\E are passed over anywhere in a class, a range's '-'
	 * included (fuzz_rx found the first) */
	{ "[\\x{E}\\E-\\x{E007F}]", "中", true },
	{ "[a\\E-c]", "b", true },
	{ "[a-\\Ec]", "b", true },
	{ "[a\\Q\\E-\\Q\\Ec]", "b", true },
	{ "[a\\E-c]", "-", false },
	{ "[a-\\E]", "-", true },
	{ "[a\\E-\\E]b", "-b", true },
};
#define N_FILTER_CASES (int)(sizeof filter_cases / sizeof *filter_cases)

START_TEST(test_filter)
{
	const struct filter_case *c = &filter_cases[_i];
	struct rx *rx = compile(c->pattern, NULL);
	struct rx_sig sig = { 0 };
	rx_sig(&sig, c->text, strlen(c->text));
	bool may = rx_may_match(rx, &sig);
	ck_assert_msg(may == c->may, "'%s' on '%s': %s", c->pattern, c->text,
		      may ? "let through" : "refused");
	struct rx_match m;
	if (!may)
		ck_assert_int_eq(rx_match(rx, c->text, strlen(c->text), 0, &m),
				 0);
	rx_free(rx);
}
END_TEST

/* A filter of 64 alternatives refuses a text none of them can match; of
 * 65, there is none, and every text is matched. */
START_TEST(test_filter_alternatives)
{
	for (int n = 64; n <= 65; n++) {
		struct strbuf p = { 0 };
		for (int i = 0; i < n; i++)
			strbuf_adds(&p, i ? "|a" : "a");
		struct rx *rx = compile(p.buf, NULL);
		struct rx_sig sig = { 0 };
		rx_sig(&sig, "b", 1);
		ck_assert_msg(rx_may_match(rx, &sig) == (n > 64),
			      "%d alternatives", n);
		rx_free(rx);
		strbuf_free(&p);
	}
}
END_TEST

/* Random texts over characters the patterns name and some they do not: a
 * text the filter refuses has no match. Each pattern's filter refuses
 * some texts, or the test would prove nothing. */
START_TEST(test_filter_agrees)
{
	static const char *const patterns[] = {
		"(?x) (?<![A-Za-z]) (?i:KS) (?![A-Za-z]) (*SKIP)(*FAIL) "
		"| (?<=\\d) (?&u) (*SKIP)(*FAIL) | [A-Za-z]+ "
		"(?(DEFINE)(?<u> k | s ))",
		"(?=.{1,2}的)(?<!中)(?:和|文)\\K的(?=[ab])",
		"^(?:和|的) | (?:和)(?=[\\p{P}\\s]*$)",
		"[\\x{00AD}\\x{200B}-\\x{200F}\\x{E0000}-\\x{E007F}]",
		"(?:(?<=\\p{Han})|(?=[,;]\\p{Han}))(?:(,)|(;))",
		"、[^，、。\\s]{1,3}\\K，(?=[^，、。\\s]{1,3}(?:等|、))",
		"(?i)ks|s\\x{212A}",
		"a*b+c?(?:d|e{2})",
	};
	static const char *const alphabet[] = {
		"a",	  "b",		"c",  "d",	"e",	  "k",
		"K",	  "s",		"S",  "1",	" ",	  ",",
		";",	  "中",		"文", "的",	"和",	  "、",
		"，",	  "。",		"等", "\u212A", "\u017F", "\u00AD",
		"\u200D", "\U000E0041", "é",
	};
	const size_t nalpha = sizeof alphabet / sizeof *alphabet;
	uint32_t seed = 12345;
	for (size_t p = 0; p < sizeof patterns / sizeof *patterns; p++) {
		struct rx *rx = compile(patterns[p], NULL);
		struct rx_sig sig = { 0 };
		size_t refused = 0, matched = 0;
		for (int n = 0; n < 3000; n++) {
			char text[128];
			size_t len = 0;
			seed = seed * 1103515245u + 12345u;
			for (uint32_t k = (seed >> 16) % 9; k > 0; k--) {
				seed = seed * 1103515245u + 12345u;
				const char *ch =
					alphabet[(seed >> 16) % nalpha];
				memcpy(text + len, ch, strlen(ch));
				len += strlen(ch);
			}
			rx_sig(&sig, text, len);
			struct rx_match m;
			int rc = rx_match(rx, text, len, 0, &m);
			ck_assert_int_ge(rc, 0);
			matched += rc == 1;
			if (!rx_may_match(rx, &sig)) {
				refused++;
				ck_assert_msg(
					rc == 0,
					"'%s' refused '%.*s', which matches",
					patterns[p], (int)len, text);
			}
		}
		ck_assert_msg(refused > 0 && matched > 0,
			      "'%s': %zu refused, %zu matched", patterns[p],
			      refused, matched);
		rx_free(rx);
	}
}
END_TEST

/* The patterns skillc ships compile as written: rules.c compiles them
 * without that check (rx_compile_sets, shipped), which only places the
 * errors of a pattern that does not. */
static void
compile_as_written(const struct text_rule *rules, size_t n)
{
	/* Sets with terms in them: ${name} of an empty set is (*FAIL), which
	 * fits where no term would (in a lookbehind). */
	static const char *const names[] = { "terms", "levels" };
	static const char *const term_list[] = { "SaaS", NULL };
	static const char *const level_list[] = { "五级/初级工", "五级",
						  "初级工", NULL };
	struct rx_terms *terms = terms_of(term_list);
	struct rx_terms *levels = terms_of(level_list);
	const struct rx_terms *sets[] = { terms, levels };
	for (size_t i = 0; i < n; i++) {
		const struct text *pat = &rules[i].pattern;
		if (!pat->at.given)
			continue; /* spellings: a pattern rules.c writes */
		char err[256] = "";
		size_t off = 0;
		struct rx *rx =
			rx_compile_sets(pat->s, pat->len, names, sets, 2, false,
					err, sizeof err, &off);
		ck_assert_msg(rx != NULL, "%s: rule %s at %zu: %s",
			      rules[i].file, rules[i].name.s, off, err);
		rx_free(rx);
	}
	rx_terms_free(levels);
	rx_terms_free(terms);
}

START_TEST(test_shipped_as_written)
{
	struct arena *a = arena_new();
	struct diag *d = diag_new(a);
	const struct text_rules *tr =
		model_read_rules(a, d, embedded_rules.name,
				 load_embedded(a, d, &embedded_rules));
	ck_assert_ptr_nonnull(tr);
	ck_assert_uint_gt(tr->n_rules, 10);
	compile_as_written(tr->rules, tr->n_rules);
	size_t with_rules = 0;
	for (size_t i = 0; i < embedded_profiles_count; i++) {
		const struct profile *p = model_read_profile(
			a, d, embedded_profiles[i].name,
			load_embedded(a, d, &embedded_profiles[i]));
		ck_assert_ptr_nonnull(p);
		compile_as_written(p->rules, p->n_rules);
		with_rules += p->n_rules > 0;
	}
	ck_assert_uint_gt(with_rules, 0);
	ck_assert_uint_eq(diag_errors(d), 0);
	arena_free(a);
}
END_TEST

static Suite *
rx_suite(void)
{
	Suite *s = suite_create("rx");
	TCase *tc;

	tc = tcase_create("terms");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, test_terms, 0, N_TERM_CASES);
	tcase_add_test(tc, test_terms_100000);
	tcase_add_test(tc, test_terms_over);
	tcase_add_test(tc, test_terms_groups);
	tcase_add_loop_test(tc, test_terms_errors, 0, N_ERROR_CASES);
	suite_add_tcase(s, tc);

	tc = tcase_create("sets");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, test_sets, 0, N_SETS_CASES);
	tcase_add_test(tc, test_sets_unknown);
	tcase_add_test(tc, test_shipped_as_written);
	suite_add_tcase(s, tc);

	tc = tcase_create("windows");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, test_windows, 0, N_WINDOW_CASES);
	tcase_add_test(tc, test_windows_replacement);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, test_limits, 0, N_LIMIT_CASES);
	suite_add_tcase(s, tc);

	tc = tcase_create("filter");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, test_filter, 0, N_FILTER_CASES);
	tcase_add_test(tc, test_filter_alternatives);
	tcase_add_test(tc, test_filter_agrees);
	suite_add_tcase(s, tc);

	tc = tcase_create("budget");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_charges, 0, N_CHARGE_CASES);
	tcase_add_test(tc, test_charge_resumes);
	tcase_add_test(tc, test_budget_size);
	tcase_add_test(tc, test_budget_runs_out);
	tcase_add_test(tc, test_budget_quadratic);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(rx_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
