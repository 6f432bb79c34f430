/*
 * rx_filter.c - which texts a pattern cannot match, told without matching.
 *
 * Takes: a pattern as rx.c compiles it (UTF-8, Unicode properties, each
 * ${name} expanded), and texts. Gives: a filter, the characters a match
 * needs, and a text's signature, the characters it holds; rx_filter_may
 * compares the two. Guarantees: a text the filter refuses has no match of
 * the pattern, at any start; a text it lets through is matched as before.
 *
 * What a match needs. Each alternative of the pattern's top level is a
 * sequence of parts; a part that cannot match empty reads at least one
 * character, which is one of the characters that part can begin with. So
 * a text can match an alternative only if, for each such part, it holds
 * one of the part's first characters; and the pattern only if it can match
 * one alternative. An alternative with (*FAIL) among its parts, as in
 * (*SKIP)(*FAIL), never matches and needs nothing. Lookarounds, anchors,
 * \K, callouts and verbs read nothing and need nothing.
 *
 * The reading is careful rather than complete: what it does not follow (a
 * backreference, a subroutine call, \p{..}, a caseless letter outside ASCII
 * and the scripts without case) may begin with any character, and syntax
 * it does not know at all, or (*ACCEPT), or an alternative that may match
 * empty, gives no filter: every text is matched, as before the filter.
 *
 * Sets of characters, a text's and a part's, are kept alike: ASCII exactly
 * in 128 bits; any other character in a Bloom filter of RX_SIG_WORDS words,
 * at a bit of its own where a part's range is short and at a bit of its
 * block of 64 where it is long (a text sets both). Bits shared by chance
 * let a text through: matching it decides. A filter keeps MAX_NEEDS needs
 * of an alternative and MAX_ALTS alternatives at most (past those, none),
 * so that asking it costs the same whatever the pattern.
 */
#include "skillc.h"

#include <stdlib.h>
#include <string.h>

#define SHORT_RANGE 16 /* characters of a range kept one by one */
#define LONG_RANGE  64 /* blocks of a range kept; more: any character */
#define MAX_NEEDS   8  /* of an alternative; those after go unchecked */
#define MAX_ALTS    64 /* alternatives of a filter; more: no filter */
#define SIG_BITS    (RX_SIG_WORDS * 64)

enum { F_CASELESS = 1, F_EXTENDED = 2 };

/* A set of characters; any: every character. */
struct cset {
	uint64_t ascii[2], bits[RX_SIG_WORDS];
	bool any;
};

/* The needs, each a set of characters kept as a text's signature is. */
struct rx_filter {
	struct rx_sig *needs;
	size_t nneeds, cap;
	size_t alt_end[MAX_ALTS]; /* alternative a: needs [alt_end[a-1], ..) */
	size_t nalts;
};

struct parse {
	const unsigned char *p, *end;
	bool bad;	     /* syntax not followed: no filter */
	bool accept;	     /* (*ACCEPT): a match may end before any part */
	bool quoted;	     /* inside \Q...\E */
	struct rx_filter *f; /* the top level's needs; NULL below */
	bool through; /* every text goes through: an alternative of the top
		       * level needs nothing, or there are too many */
};

/* What one part of a sequence reads. unseen: PCRE2 passes over it (\E,
 * a comment), so a quantifier after it is the part before's. */
struct part {
	struct cset set; /* the characters it may begin with */
	bool empty;	 /* it may match without reading */
	bool fails;	 /* it never matches */
	bool unseen;
};

static inline unsigned
bit_of_char(uint32_t c)
{
	return (unsigned)((c * 0x9E3779B1u) >> 20) % SIG_BITS;
}

static inline unsigned
bit_of_block(uint32_t c)
{
	return (unsigned)((((c >> 6) ^ 0x5bd1e995u) * 0x85EBCA6Bu) >> 20) %
	       SIG_BITS;
}

static inline void
set_bit(uint64_t *w, unsigned b)
{
	w[b / 64] |= (uint64_t)1 << (b % 64);
}

void
rx_sig(struct rx_sig *sig, const char *text, size_t len)
{
	for (uint64_t w = sig->words; w; w &= w - 1) /* the text before */
		sig->bits[__builtin_ctzll(w)] = 0;
	sig->ascii[0] = sig->ascii[1] = sig->words = 0;
	const unsigned char *s = (const unsigned char *)text, *end = s + len;
	while (s < end) {
		if (*s < 0x80) {
			set_bit(sig->ascii, *s++);
			continue;
		}
		size_t n = *s >= 0xf0 ? 4 : *s >= 0xe0 ? 3 : 2;
		if (n > (size_t)(end - s)) { /* cut short: let all through */
			memset(sig, 0xff, sizeof *sig);
			return;
		}
		uint32_t c = *s & (0x7f >> n); /* decoded, not checked again */
		for (size_t i = 1; i < n; i++)
			c = c << 6 | (s[i] & 0x3f);
		unsigned bc = bit_of_char(c), bb = bit_of_block(c);
		set_bit(sig->bits, bc);
		set_bit(sig->bits, bb);
		sig->words |= (uint64_t)1 << (bc / 64);
		sig->words |= (uint64_t)1 << (bb / 64);
		s += n;
	}
}

/* ---- sets --------------------------------------------------------------- */

/* Characters outside ASCII that no case-insensitive match can reach from
 * another character, nor another from them: punctuation, CJK, Hangul, the
 * fullwidth forms but their letters. */
static const uint32_t caseless_free[][2] = {
	{ 0x80, 0xB4 },	    { 0xB6, 0xBF },	{ 0x2000, 0x206F },
	{ 0x3000, 0x9FFF }, { 0xAC00, 0xD7A3 }, { 0xFF01, 0xFF20 },
	{ 0xFF3B, 0xFF40 }, { 0xFF5B, 0xFFEF },
};

static bool
without_case(uint32_t lo, uint32_t hi)
{
	for (size_t i = 0; i < sizeof caseless_free / sizeof *caseless_free;
	     i++)
		if (lo >= caseless_free[i][0] && hi <= caseless_free[i][1])
			return true;
	return false;
}

static void
add_range(struct cset *s, uint32_t lo, uint32_t hi)
{
	for (; lo <= hi && lo < 0x80; lo++)
		set_bit(s->ascii, lo);
	if (lo > hi)
		return;
	if (hi - lo < SHORT_RANGE) {
		for (uint32_t c = lo; c <= hi; c++)
			set_bit(s->bits, bit_of_char(c));
	} else if ((hi >> 6) - (lo >> 6) < LONG_RANGE) {
		for (uint32_t b = lo >> 6; b <= hi >> 6; b++)
			set_bit(s->bits, bit_of_block(b << 6));
	} else {
		s->any = true;
	}
}

/* Add [lo, hi], and under (?i) what matches it without regard to case. */
static void
add_chars(struct cset *s, uint32_t lo, uint32_t hi, unsigned flags)
{
	add_range(s, lo, hi);
	if (!(flags & F_CASELESS))
		return;
	for (uint32_t c = lo; c <= hi && c < 0x80; c++) {
		if (c >= 'a' && c <= 'z')
			add_range(s, c - 32, c - 32);
		else if (c >= 'A' && c <= 'Z')
			add_range(s, c + 32, c + 32);
		if (c == 'k' || c == 'K')
			add_range(s, 0x212A, 0x212A); /* KELVIN SIGN */
		if (c == 's' || c == 'S')
			add_range(s, 0x17F, 0x17F); /* LATIN SMALL LONG S */
	}
	if (hi >= 0x80 && !without_case(lo < 0x80 ? 0x80 : lo, hi))
		s->any = true;
}

static void
cset_or(struct cset *a, const struct cset *b)
{
	a->ascii[0] |= b->ascii[0];
	a->ascii[1] |= b->ascii[1];
	for (size_t i = 0; i < RX_SIG_WORDS; i++)
		a->bits[i] |= b->bits[i];
	a->any |= b->any;
}

/* ---- reading the pattern ------------------------------------------------ */

static bool
at(const struct parse *ps, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(ps->end - ps->p) >= n && !memcmp(ps->p, s, n);
}

static uint32_t
next_char(struct parse *ps)
{
	uint32_t c = 0;
	size_t n = utf8_decode(ps->p, (size_t)(ps->end - ps->p), &c);
	if (!n) {
		ps->bad = true;
		ps->p = ps->end;
		return 0;
	}
	ps->p += n;
	return c;
}

/* Skip to just past the first stop character; bad at the end. */
static void
skip_past(struct parse *ps, char stop)
{
	while (ps->p < ps->end && *ps->p != (unsigned char)stop)
		ps->p++;
	if (ps->p == ps->end)
		ps->bad = true;
	else
		ps->p++;
}

/* (?x): white space and comments between parts. */
static void
skip_space(struct parse *ps, unsigned flags)
{
	if (!(flags & F_EXTENDED) || ps->quoted)
		return;
	while (ps->p < ps->end) {
		unsigned char c = *ps->p;
		if (c == ' ' || (c >= '\t' && c <= '\r')) {
			ps->p++;
		} else if (c == '#') {
			while (ps->p < ps->end && *ps->p != '\n')
				ps->p++;
		} else if (at(ps, "\xc2\x85") || at(ps, "\xe2\x80\x8e") ||
			   at(ps, "\xe2\x80\x8f") || at(ps, "\xe2\x80\xa8") ||
			   at(ps, "\xe2\x80\xa9")) {
			ps->p += c == 0xc2 ? 2 : 3; /* Pattern_White_Space */
		} else {
			break;
		}
	}
}

static int
hex(unsigned char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* \x{hhh} or \xhh, after the x. */
static uint32_t
hex_escape(struct parse *ps)
{
	uint32_t v = 0;
	if (ps->p < ps->end && *ps->p == '{') {
		ps->p++;
		int n = 0;
		while (ps->p < ps->end && hex(*ps->p) >= 0 && n < 8)
			v = v * 16 + (uint32_t)hex(*ps->p++), n++;
		if (!n || ps->p == ps->end || *ps->p != '}' || v > 0x10ffff)
			ps->bad = true; /* PCRE2 refuses past U+10FFFF */
		else
			ps->p++;
		return ps->bad ? 0 : v;
	}
	for (int n = 0; n < 2 && ps->p < ps->end && hex(*ps->p) >= 0; n++)
		v = v * 16 + (uint32_t)hex(*ps->p++);
	return v;
}

static bool
is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/* A character an escape stands for, after the backslash: 1 with *c, 0 for
 * a class of characters (\d, \p{..}: any), -1 for one not followed. */
static int
escaped_char(struct parse *ps, uint32_t *c, bool in_class)
{
	if (ps->p == ps->end)
		return -1;
	unsigned char e = *ps->p++;
	switch (e) {
	case 'x':
		*c = hex_escape(ps);
		return 1;
	case 'a':
		*c = 7;
		return 1;
	case 'e':
		*c = 27;
		return 1;
	case 'f':
		*c = 12;
		return 1;
	case 'n':
		*c = 10;
		return 1;
	case 'r':
		*c = 13;
		return 1;
	case 't':
		*c = 9;
		return 1;
	case 'd':
	case 'D':
	case 's':
	case 'S':
	case 'w':
	case 'W':
	case 'h':
	case 'H':
	case 'v':
	case 'V':
		return 0;
	case 'p':
	case 'P':
		if (ps->p < ps->end && *ps->p == '{')
			skip_past(ps, '}');
		else if (ps->p < ps->end)
			ps->p++;
		return 0;
	case 'b':
		if (!in_class)
			return -1;
		*c = 8;
		return 1;
	}
	if (e >= 0x80) { /* an escaped character outside ASCII: itself */
		ps->p--;
		*c = next_char(ps);
		return 1;
	}
	if (is_alnum(e))
		return -1;
	*c = e;
	return 1;
}

/* Past the \E and empty \Q\E at p: PCRE2 passes over them anywhere in
 * a class, before its '^', between a range's ends and its '-'. */
static const unsigned char *
past_quotes(const struct parse *ps, const unsigned char *p)
{
	for (;;) {
		if (ps->end - p >= 2 && !memcmp(p, "\\E", 2))
			p += 2;
		else if (ps->end - p >= 4 && !memcmp(p, "\\Q\\E", 4))
			p += 4;
		else
			return p;
	}
}

/* [...], after the bracket. */
static void
read_class(struct parse *ps, struct cset *s, unsigned flags)
{
	bool negated = false;
	for (;;) {
		ps->p = past_quotes(ps, ps->p);
		if (negated || !at(ps, "^"))
			break;
		ps->p++, negated = true;
	}
	for (bool first = true;; first = false) {
		if (ps->p == ps->end) {
			ps->bad = true;
			return;
		}
		if (*ps->p == ']' && !first) {
			ps->p++;
			break;
		}
		if (at(ps, "[:")) { /* [:alpha:] */
			s->any = true;
			ps->p += 2;
			/* PCRE2 reads "[:" as a '[' where no ":]" comes
			 * before a ']' or a "[:": not followed here */
			while (ps->p < ps->end && !at(ps, ":]") &&
			       *ps->p != ']' && *ps->p != '\\' && !at(ps, "[:"))
				ps->p++;
			if (!at(ps, ":]"))
				ps->bad = true;
			else
				ps->p += 2;
			if (ps->bad)
				return;
			continue;
		}
		const unsigned char *q = past_quotes(ps, ps->p);
		if (q != ps->p) {
			ps->p = q;
			continue;
		}
		if (at(ps, "[.") || at(ps, "[=") || at(ps, "\\Q")) {
			ps->bad = true;
			return;
		}
		uint32_t lo;
		int kind = 1;
		if (*ps->p == '\\') {
			ps->p++;
			kind = escaped_char(ps, &lo, true);
		} else {
			lo = next_char(ps);
		}
		if (kind < 0) {
			ps->bad = true;
			return;
		}
		if (kind == 0) {
			s->any = true;
			continue;
		}
		uint32_t hi = lo;
		const unsigned char *dash = past_quotes(ps, ps->p);
		const unsigned char *end = dash < ps->end && *dash == '-'
						   ? past_quotes(ps, dash + 1)
						   : NULL;
		if (end && end < ps->end && *end != ']') {
			ps->p = end;
			if (*ps->p == '\\') {
				ps->p++;
				kind = escaped_char(ps, &hi, true);
			} else if (*ps->p == '[') {
				kind = -1;
			} else {
				hi = next_char(ps);
			}
			if (kind <= 0 || hi < lo) {
				ps->bad = true;
				return;
			}
		}
		add_chars(s, lo, hi, flags);
	}
	if (negated)
		s->any = true;
}

static void read_alternatives(struct parse *ps, unsigned flags,
			      struct part *out);

/* A group's alternatives, up to and past its ')'. */
static void
read_group(struct parse *ps, unsigned flags, struct part *out)
{
	struct parse inner = *ps;
	inner.f = NULL;
	read_alternatives(&inner, flags, out);
	ps->p = inner.p;
	ps->bad |= inner.bad;
	ps->accept |= inner.accept;
	ps->quoted = inner.quoted;
	if (ps->p == ps->end || *ps->p != ')')
		ps->bad = true;
	else
		ps->p++;
}

/* A group that reads nothing: a lookaround, DEFINE. */
static void
read_zero_group(struct parse *ps, unsigned flags, struct part *out)
{
	struct part ignored;
	read_group(ps, flags, &ignored);
	*out = (struct part){ .empty = true };
}

/* Which part a name in (*name: ...) or (*name) is. */
static bool
one_of(const unsigned char *s, size_t n, const char *const *names)
{
	for (; *names; names++)
		if (strlen(*names) == n && !memcmp(s, *names, n))
			return true;
	return false;
}

/* (*...), after the '('. */
static void
read_verb(struct parse *ps, unsigned flags, struct part *out)
{
	static const char *const around[] = { "pla",
					      "plb",
					      "nla",
					      "nlb",
					      "napla",
					      "naplb",
					      "positive_lookahead",
					      "positive_lookbehind",
					      "negative_lookahead",
					      "negative_lookbehind",
					      "non_atomic_positive_lookahead",
					      "non_atomic_positive_lookbehind",
					      NULL };
	static const char *const groups[] = {
		"atomic", "sr", "script_run", "asr", "atomic_script_run", NULL
	};
	static const char *const marks[] = { "",      "MARK", "SKIP",
					     "PRUNE", "THEN", NULL };
	static const char *const plain[] = { "SKIP",
					     "PRUNE",
					     "COMMIT",
					     "THEN",
					     "UTF",
					     "UCP",
					     "NOTEMPTY",
					     "NOTEMPTY_ATSTART",
					     "NO_JIT",
					     "NO_START_OPT",
					     "NO_AUTO_POSSESS",
					     "NO_DOTSTAR_ANCHOR",
					     NULL };
	ps->p++; /* the '*' */
	const unsigned char *name = ps->p;
	while (ps->p < ps->end && (is_alnum(*ps->p) || *ps->p == '_'))
		ps->p++;
	size_t n = (size_t)(ps->p - name);
	*out = (struct part){ .empty = true };
	if (at(ps, ":")) {
		ps->p++;
		if (one_of(name, n, around)) {
			read_zero_group(ps, flags, out);
		} else if (one_of(name, n, groups)) {
			read_group(ps, flags, out);
		} else if (one_of(name, n, marks)) {
			skip_past(ps, ')');
		} else {
			ps->bad = true;
		}
	} else if (at(ps, "=") && n > 6 && !memcmp(name, "LIMIT_", 6)) {
		skip_past(ps, ')');
	} else if (!at(ps, ")")) {
		ps->bad = true;
	} else {
		ps->p++;
		if ((n == 4 && !memcmp(name, "FAIL", 4)) ||
		    (n == 1 && *name == 'F'))
			*out = (struct part){ .fails = true };
		else if (n == 6 && !memcmp(name, "ACCEPT", 6))
			ps->accept = true;
		else if (!one_of(name, n, plain))
			ps->bad = true;
	}
}

/* Inline settings (?i), (?x-i:...), after the '?'; the new flags, and
 * whether a group follows (':') rather than the settings alone (')'). */
static bool
read_settings(struct parse *ps, unsigned *flags, bool *group)
{
	bool off = false;
	for (; ps->p < ps->end; ps->p++) {
		unsigned bit = 0;
		switch (*ps->p) {
		case '-':
			off = true;
			continue;
		case '^':
			*flags &= ~(unsigned)(F_CASELESS | F_EXTENDED);
			continue;
		case 'i':
			bit = F_CASELESS;
			break;
		case 'x':
			if (ps->p + 1 < ps->end && ps->p[1] == 'x')
				return false; /* (?xx): spaces in classes */
			bit = F_EXTENDED;
			break;
		case 'm':
		case 'n':
		case 's':
		case 'J':
		case 'U':
			continue;
		case ':':
		case ')':
			*group = *ps->p++ == ':';
			return true;
		default:
			return false;
		}
		*flags = off ? *flags & ~bit : *flags | bit;
	}
	return false;
}

/* (...), after the '('. */
static void
read_paren(struct parse *ps, unsigned *flags, struct part *out)
{
	static const struct part any = { .set.any = true, .empty = true };
	if (at(ps, "*")) {
		read_verb(ps, *flags, out);
		return;
	}
	if (!at(ps, "?")) {
		read_group(ps, *flags, out);
		return;
	}
	ps->p++;
	unsigned char c = ps->p < ps->end ? *ps->p : 0;
	if (c == '#') {
		skip_past(ps, ')');
		*out = (struct part){ .empty = true, .unseen = true };
	} else if (c == ':' || c == '|' || c == '>') {
		ps->p++;
		read_group(ps, *flags, out);
	} else if (at(ps, "!)")) {
		ps->p += 2;
		*out = (struct part){ .fails = true };
	} else if (c == '=' || c == '!' || at(ps, "<=") || at(ps, "<!")) {
		ps->p += c == '<' ? 2 : 1;
		read_zero_group(ps, *flags, out);
	} else if (c == '<' || c == '\'' || at(ps, "P<")) { /* named */
		ps->p += c == 'P' ? 2 : 1;
		if (ps->p == ps->end ||
		    !(*ps->p == '_' ||
		      ((*ps->p | 0x20) >= 'a' && (*ps->p | 0x20) <= 'z'))) {
			ps->bad = true; /* (?<*...): a lookbehind of 10.42's */
			return;
		}
		skip_past(ps, c == '\'' ? '\'' : '>');
		read_group(ps, *flags, out);
	} else if (at(ps, "P=") || at(ps, "P>") || c == '&' || c == 'R' ||
		   c == '+' || (c >= '0' && c <= '9') ||
		   (c == '-' && ps->p + 1 < ps->end && ps->p[1] >= '0' &&
		    ps->p[1] <= '9')) {
		skip_past(ps, ')'); /* a backreference or a call */
		*out = any;
	} else if (at(ps, "(DEFINE)")) {
		ps->p += 8;
		read_zero_group(ps, *flags, out);
	} else if (c == 'C' && ps->p + 1 < ps->end &&
		   (ps->p[1] == ')' || (ps->p[1] >= '0' && ps->p[1] <= '9'))) {
		ps->p++;
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
		if (!at(ps, ")"))
			ps->bad = true;
		else
			ps->p++;
		*out = (struct part){ .empty = true };
	} else {
		unsigned inner = *flags;
		bool group = false;
		if (!read_settings(ps, &inner, &group)) {
			ps->bad = true;
			return;
		}
		if (group) {
			read_group(ps, inner, out);
		} else {
			*flags = inner; /* to the end of the enclosing group */
			*out = (struct part){ .empty = true };
		}
	}
}

/* \..., outside a class, after the backslash. */
static void
read_escape(struct parse *ps, unsigned flags, struct part *out)
{
	static const struct part any = { .set.any = true, .empty = true };
	unsigned char e = ps->p < ps->end ? *ps->p : 0;
	*out = (struct part){ 0 };
	if (e == 'Q' || e == 'E') {
		ps->p++;
		ps->quoted = e == 'Q';
		out->empty = out->unseen = true;
	} else if (e == 'b' || e == 'B' || e == 'A' || e == 'Z' || e == 'z' ||
		   e == 'G' || e == 'K') {
		ps->p++;
		out->empty = true;
	} else if (e >= '1' && e <= '9') {
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
		*out = any;
	} else if (e == 'g' || e == 'k') {
		ps->p++;
		unsigned char o = ps->p < ps->end ? *ps->p : 0;
		if (o == '{' || o == '<' || o == '\'')
			skip_past(ps, o == '{' ? '}' : o == '<' ? '>' : '\'');
		else
			while (ps->p < ps->end &&
			       (*ps->p == '-' || *ps->p == '+' ||
				(*ps->p >= '0' && *ps->p <= '9')))
				ps->p++;
		*out = any;
	} else if (e == 'R' || e == 'X' || (e == 'N' && !at(ps, "N{"))) {
		ps->p++;
		out->set.any = true;
	} else {
		uint32_t c;
		int kind = escaped_char(ps, &c, false);
		if (kind < 0)
			ps->bad = true;
		else if (kind == 0)
			out->set.any = true;
		else
			add_chars(&out->set, c, c, flags);
	}
}

/* A quantifier after a part: whether it allows none of it. */
static bool
read_quantifier(struct parse *ps, unsigned flags, bool *none)
{
	skip_space(ps, flags);
	*none = false;
	if (ps->quoted || ps->p == ps->end)
		return false;
	unsigned char c = *ps->p;
	if (c == '*' || c == '?') {
		*none = true;
		ps->p++;
	} else if (c == '+') {
		ps->p++;
	} else if (c == '{') {
		const unsigned char *q = ps->p + 1;
		uint32_t min = 0;
		bool digits = false;
		while (q < ps->end && *q >= '0' && *q <= '9')
			min = min * 10 + (*q++ - '0'), digits = true;
		if (!digits)
			return false; /* a '{' of its own */
		if (q < ps->end && *q == ',')
			for (q++; q < ps->end && *q >= '0' && *q <= '9';)
				q++;
		if (q == ps->end || *q != '}')
			return false;
		ps->p = q + 1;
		*none = min == 0;
	} else {
		return false;
	}
	if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '?'))
		ps->p++;
	return true;
}

/* One part of a sequence. */
static void
read_part(struct parse *ps, unsigned *flags, struct part *out)
{
	*out = (struct part){ 0 };
	if (ps->quoted) {
		if (at(ps, "\\E")) {
			ps->p += 2;
			ps->quoted = false;
			out->empty = out->unseen = true;
			return;
		}
		uint32_t c = next_char(ps);
		add_chars(&out->set, c, c, *flags);
		return;
	}
	unsigned char c = *ps->p;
	switch (c) {
	case '(':
		ps->p++;
		read_paren(ps, flags, out);
		return;
	case '[':
		ps->p++;
		read_class(ps, &out->set, *flags);
		return;
	case '\\':
		ps->p++;
		read_escape(ps, *flags, out);
		return;
	case '.':
		ps->p++;
		out->set.any = true;
		return;
	case '^':
	case '$':
		ps->p++;
		out->empty = true;
		return;
	case '*':
	case '+':
	case '?':
		ps->bad = true; /* a quantifier of nothing */
		ps->p = ps->end;
		return;
	}
	uint32_t ch = next_char(ps);
	add_chars(&out->set, ch, ch, *flags);
}

/* Add a part's set to the needs of the alternative whose first is
 * needs[first]; past MAX_NEEDS of them, a need left out only lets more
 * texts through. */
static void
add_need(struct rx_filter *f, size_t first, const struct cset *s)
{
	if (f->nneeds - first == MAX_NEEDS)
		return;
	if (f->nneeds == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 8;
		f->needs = realloc(f->needs, f->cap * sizeof *f->needs);
		if (!f->needs)
			die_oom();
	}
	struct rx_sig *n = &f->needs[f->nneeds++];
	memcpy(n->ascii, s->ascii, sizeof n->ascii);
	memcpy(n->bits, s->bits, sizeof n->bits);
	n->words = 0;
	for (size_t i = 0; i < RX_SIG_WORDS; i++)
		if (s->bits[i])
			n->words |= (uint64_t)1 << i;
}

/* The top level's alternative ends: keep its needs, or drop them where it
 * never matches; one that needs nothing lets every text through. */
static void
end_alternative(struct parse *ps, bool fails, bool empty, size_t first)
{
	struct rx_filter *f = ps->f;
	if (fails)
		f->nneeds = first;
	else if (empty || f->nneeds == first || f->nalts == MAX_ALTS)
		ps->through = true;
	else
		f->alt_end[f->nalts++] = f->nneeds;
}

/* Alternatives up to a ')' of the enclosing group, or the end: the first
 * characters of all, whether one may be empty, whether all fail. */
static void
read_alternatives(struct parse *ps, unsigned flags, struct part *out)
{
	*out = (struct part){ .fails = true };
	for (;;) {
		struct cset first = { 0 };
		bool empty = true, fails = false;
		size_t from = ps->f ? ps->f->nneeds : 0; /* its needs */
		for (;;) {
			skip_space(ps, flags);
			if (ps->bad || ps->p == ps->end ||
			    (!ps->quoted && (*ps->p == '|' || *ps->p == ')')))
				break;
			struct part part;
			read_part(ps, &flags, &part);
			bool none;
			if (read_quantifier(ps, flags, &none)) {
				/* after \E or a comment: the part before's */
				if (part.unseen)
					ps->bad = true;
				if (none)
					part.empty = true, part.fails = false;
			}
			fails |= part.fails;
			if (empty)
				cset_or(&first, &part.set);
			if (!part.empty) {
				empty = false;
				if (ps->f && !part.set.any && !part.fails)
					add_need(ps->f, from, &part.set);
			}
		}
		if (ps->f)
			end_alternative(ps, fails, empty, from);
		if (!fails) {
			cset_or(&out->set, &first);
			out->empty |= empty;
			out->fails = false;
		}
		if (ps->bad || ps->p == ps->end || *ps->p != '|')
			return;
		ps->p++;
	}
}

void
rx_filter_free(struct rx_filter *f)
{
	if (!f)
		return;
	free(f->needs);
	free(f);
}

struct rx_filter *
rx_filter_new(const char *lead, size_t lead_len, const char *body, size_t len)
{
	struct parse ps = { .p = (const unsigned char *)lead,
			    .end = (const unsigned char *)lead + lead_len };
	struct part part;
	unsigned flags = 0;
	while (!ps.bad && ps.p < ps.end) /* (*UTF) and the like */
		read_part(&ps, &flags, &part);
	if (ps.bad || ps.accept)
		return NULL;
	struct rx_filter *f = calloc(1, sizeof *f);
	if (!f)
		die_oom();
	ps = (struct parse){ .p = (const unsigned char *)body,
			     .end = (const unsigned char *)body + len,
			     .f = f };
	read_alternatives(&ps, 0, &part);
	if (ps.bad || ps.accept || ps.through || ps.p != ps.end) {
		rx_filter_free(f);
		return NULL;
	}
	return f;
}

/* Whether the text of sig holds a character of need. */
static bool
meets(const struct rx_sig *need, const struct rx_sig *sig)
{
	if ((need->ascii[0] & sig->ascii[0]) ||
	    (need->ascii[1] & sig->ascii[1]))
		return true;
	for (uint64_t w = need->words & sig->words; w; w &= w - 1) {
		int i = __builtin_ctzll(w); /* a word both have bits in */
		if (need->bits[i] & sig->bits[i])
			return true;
	}
	return false;
}

bool
rx_filter_may(const struct rx_filter *f, const struct rx_sig *sig)
{
	size_t from = 0;
	for (size_t a = 0; a < f->nalts; from = f->alt_end[a++]) {
		size_t n = from;
		while (n < f->alt_end[a] && meets(&f->needs[n], sig))
			n++;
		if (n == f->alt_end[a])
			return true;
	}
	return false;
}
