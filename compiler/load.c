/*
 * load.c - YAML bytes -> a tree of nodes with locations.
 *
 * Takes: a file's bytes. Gives: a tree of mappings, sequences and scalars,
 * each with the place its bytes start in the file (which node_loc, in
 * diag.c, turns into a line and a column), every scalar copied into the
 * arena (the same key once for the file) and typed as YAML would type
 * it; or the same nodes given to a sink as they are read, with no tree
 * (load_stream: the model of check and build). Guarantees: the input is UTF-8
 * with no NUL or control byte; there is exactly one document and its root is a
 * mapping; no anchor, alias, tag, merge key, complex or duplicate key; no
 * nesting deeper than LOAD_MAX_DEPTH, checked while the events arrive. The only
 * file that includes <yaml.h>.
 */
#include "skillc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

/* Nodes given to a sink at a time. */
#define LOAD_BATCH 256

struct loader {
	struct arena *arena;
	struct diag *diag;
	const char *file;
	bool failed;
	/* libyaml's mark.index counts characters: a cursor turns them into
	 * byte offsets, moving forward as the events do. */
	const char *buf;
	size_t len, cur_index, cur_byte;
	size_t start; /* the byte libyaml's index 0 is: after a BOM */
	/* The open collections and their children, flattened: each frame's
	 * node is pending[start - 1], its children the tail from start (maps
	 * hold key, value, key, ...). Nodes are held here by value, and
	 * moved into their parent's array when it closes. */
	struct node *pending;
	size_t npending, cap;
	struct frame {
		size_t start;
		/* children past the limit of entries, or of a collection not
		 * kept: counted for the error at its close, not kept */
		size_t over;
		struct loc at;
		enum node_kind kind;
		bool dropped; /* past its parent's limit: its node not kept */
	} stack[LOAD_MAX_DEPTH];
	size_t depth;
	/* The mappings' keys, a schema's few words over and over: one copy
	 * of each of the first LOAD_SHARED_KEYS different ones. */
	struct hash *keys;
	/* Given every node kept (load_stream), in batches, instead of a
	 * tree: parsing and reading by turns, each keeps its code in the
	 * instruction cache (per node, the two did not fit). */
	const struct load_sink *sink;
	struct sunk {
		enum { SUNK_OPEN, SUNK_SCALAR, SUNK_CLOSE } what;
		struct node n;
	} sunk[LOAD_BATCH];
	size_t nsunk;
};

/* The node's size is the tree's memory: kept at 24 bytes on 64-bit
 * machines. Its 25 bits hold a scalar's bytes in the source below
 * LOAD_MAX_RAW (load_scalar refuses more), and its 2 and 3 bits every
 * kind. */
_Static_assert(sizeof(void *) != 8 || sizeof(struct node) == 24,
	       "struct node grew");
_Static_assert(LOAD_MAX_RAW == 1 << 25, "a scalar's bytes past 25 bits");
_Static_assert(LOAD_MAX_SCALAR < LOAD_MAX_RAW, "a scalar past its bytes");
_Static_assert(NODE_MAP < 4 && STYLE_BLOCK < 4 && SCALAR_DATE < 8,
	       "a kind past its bits");
/* A place is what the model keeps of each value: 8 bytes, its offset 31
 * bits, which hold every byte of a file the loader reads. */
_Static_assert(sizeof(struct place) == 8, "struct place grew");
_Static_assert(LOAD_MAX_BYTES < (size_t)1 << 31, "an offset past 31 bits");

/* libyaml's marks are 0-based: the one place they become locations. */
static struct loc
load_loc(const struct loader *l, yaml_mark_t mark)
{
	return (struct loc){ l->file, (uint32_t)mark.line + 1,
			     (uint32_t)mark.column + 1 };
}

static bool
is_text_control(uint32_t cp)
{
	return (cp < 0x20 && cp != '\n') || (cp >= 0x7f && cp <= 0x9f) ||
	       cp == 0x2028 || cp == 0x2029;
}

/* Whether every byte is plainly one load_check_bytes accepts, as in most
 * files: printable ASCII, tab and line ends, and characters of two and
 * three bytes that need no second look. false only sends the bytes the
 * slow way, which finds where and why. */
static bool
bytes_plain(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') ||
			    c == 0x7f)
				return false;
			i++;
		} else if (utf8_plain3(s + i, len - i)) {
			/* but U+2028, U+2029, U+FEFF, U+FFFE and U+FFFF */
			if ((c == 0xe2 && s[i + 1] == 0x80 &&
			     (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)) ||
			    (c == 0xef &&
			     ((s[i + 1] == 0xbb && s[i + 2] == 0xbf) ||
			      (s[i + 1] == 0xbf && s[i + 2] >= 0xbe))))
				return false;
			i += 3;
		} else if (c >= 0xc2 && c <= 0xdf && len - i >= 2 &&
			   (s[i + 1] & 0xc0) == 0x80 &&
			   (c != 0xc2 || s[i + 1] >= 0xa0)) { /* not C1 */
			i += 2;
		} else {
			return false;
		}
	}
	return true;
}

/* Check the raw bytes before libyaml sees them, so that every problem has
 * an exact position: libyaml reports encoding faults without one. */
static bool
load_check_bytes(struct loader *l, const unsigned char *s, size_t len)
{
	struct loc at = { l->file, 1, 1 };
	if (len >= 4 && ((s[0] == 0xff && s[1] == 0xfe && !s[2] && !s[3]) ||
			 (!s[0] && !s[1] && s[2] == 0xfe && s[3] == 0xff))) {
		diag_report(l->diag, RULE_ENCODING, at,
			    "the file is UTF-32; save it as UTF-8");
		return false;
	}
	if (len >= 2 && ((s[0] == 0xfe && s[1] == 0xff) ||
			 (s[0] == 0xff && s[1] == 0xfe))) {
		diag_report(l->diag, RULE_ENCODING, at,
			    "the file is UTF-16; save it as UTF-8");
		return false;
	}
	size_t i = 0;
	bool ok = true;
	if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		i = 3;
	if (bytes_plain(s + i, len - i))
		return true;
	while (i < len) {
		/* Most bytes are printable ASCII: a line goes by without a
		 * decode until its end or its first other byte. */
		size_t run = i;
		while (run < len && s[run] >= 0x20 && s[run] < 0x7f)
			run++;
		at.col += (uint32_t)(run - i);
		i = run;
		if (i == len)
			break;
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			diag_report(
				l->diag, RULE_ENCODING, at,
				"invalid UTF-8 byte 0x%02x; save the file as UTF-8",
				s[i]);
			return false;
		}
		if (cp == 0) {
			diag_report(l->diag, RULE_ENCODING, at,
				    "NUL byte in the file (is it UTF-16?)");
			return false;
		}
		if (cp == '\n' ||
		    (cp == '\r' && (i + 1 == len || s[i + 1] != '\n'))) {
			/* A line ends at LF, CR LF or a lone CR, as in libyaml.
			 */
			at.line++, at.col = 1;
			i += n;
			continue;
		}
		if ((is_text_control(cp) && cp != '\t' && cp != '\r') ||
		    cp == 0xfffe || cp == 0xffff) {
			diag_report(l->diag, RULE_CONTROL_CHAR, at,
				    "control character U+%04X in the file",
				    (unsigned)cp);
			ok = false;
		} else if (cp == 0xfeff) {
			diag_report(l->diag, RULE_ENCODING, at,
				    "byte order mark inside the file");
			ok = false;
		}
		at.col++;
		i += n;
	}
	return ok;
}

static bool
all_of(const char *s, const char *set)
{
	return *s && strspn(s, set) == strlen(s);
}

static bool
is_number(const char *s)
{
	static const char dec[] = "0123456789_";
	if (*s == '+' || *s == '-')
		s++;
	if (!strcmp(s, ".inf") || !strcmp(s, ".Inf") || !strcmp(s, ".INF") ||
	    !strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN"))
		return true;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return all_of(s + 2, "0123456789abcdefABCDEF_");
	if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		return all_of(s + 2, "01234567_");
	if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		return all_of(s + 2, "01_");
	if (!strpbrk(s, "0123456789"))
		return false; /* "_", ".", "e": YAML reads them as strings */
	/* Decimal, float and YAML 1.1's sexagesimal 12:30[:45][.5]. */
	size_t digits = strspn(s, dec);
	const char *p = s + digits;
	if (digits && *p == ':') {
		while (*p == ':') {
			size_t n = strspn(p + 1, "0123456789");
			if (n == 0 || n > 2)
				return false;
			p += 1 + n;
		}
		if (*p == '.')
			p += 1 + strspn(p + 1, dec);
		return *p == '\0';
	}
	if (*p == '.') {
		size_t frac = strspn(p + 1, dec);
		digits += frac;
		p += 1 + frac;
	}
	if (!digits)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		size_t n = strspn(p, "0123456789");
		if (!n)
			return false;
		p += n;
	}
	return *p == '\0';
}

static bool
is_date(const char *s)
{
	size_t y = strspn(s, "0123456789");
	if (y != 4 || s[4] != '-')
		return false;
	size_t m = strspn(s + 5, "0123456789");
	if (m < 1 || m > 2 || s[5 + m] != '-')
		return false;
	const char *p = s + 6 + m;
	size_t d = strspn(p, "0123456789");
	if (p[d] == '\0') /* a date alone is YYYY-MM-DD */
		return m == 2 && d == 2;
	return d >= 1 && d <= 2 && (p[d] == 'T' || p[d] == 't' || p[d] == ' ');
}

/* Whether s, len bytes, is word (in lower case) as YAML 1.1 spells it:
 * word, Word or WORD. */
static bool
spelled(const char *s, size_t len, const char *word)
{
	if (len != strlen(word))
		return false;
	size_t lower = 0, upper = 0; /* letters of s in each case */
	for (size_t i = 0; i < len; i++)
		if (s[i] == word[i])
			lower++;
		else if (s[i] == word[i] - 'a' + 'A')
			upper++;
		else
			return false;
	return !upper || !lower || (upper == 1 && s[0] != word[0]);
}

/* How YAML 1.1 or 1.2 would type a plain scalar: anything one of them
 * would not read as a string is not text to skillc either. */
static enum scalar_type
scalar_type(const char *s, size_t len)
{
	static const char *const bools[] = { "true", "false", "yes",
					     "no",   "on",    "off" };
	/* Every null, boolean, number and date starts with one of these
	 * (a number with '_' too: is_number reads it as a digit). */
	if (*s && !strchr("~nNtTfFyYoO0123456789+-._", *s))
		return SCALAR_TEXT;
	if (!len || (len == 1 && *s == '~') || spelled(s, len, "null"))
		return SCALAR_NULL;
	for (size_t i = 0; len <= 5 && i < sizeof bools / sizeof *bools; i++)
		if (spelled(s, len, bools[i]))
			return SCALAR_BOOL;
	if (is_number(s))
		return SCALAR_NUMBER;
	if (is_date(s))
		return SCALAR_DATE;
	return SCALAR_TEXT;
}

/* Whether the next child of the innermost open collection is kept: none
 * past LOAD_MAX_ITEMS entries (so a longer list costs no more memory than
 * the limit before its error) and none of a collection not kept; those
 * are counted. */
static bool
load_keep(struct loader *l)
{
	if (!l->depth)
		return true;
	struct frame *f = &l->stack[l->depth - 1];
	size_t most = (f->kind == NODE_MAP ? 2 : 1) * (size_t)LOAD_MAX_ITEMS;
	if (!f->dropped && l->npending - f->start < most)
		return true;
	f->over++;
	return false;
}

/* The byte offset of the character with index i. */
static size_t
load_byte(struct loader *l, size_t i)
{
	if (i < l->cur_index)
		l->cur_index = 0, l->cur_byte = l->start;
	/* load_check_bytes let only valid UTF-8 through: a character's
	 * length is its lead byte's. */
	static const unsigned char width[16] = { 1, 1, 1, 1, 1, 1, 1, 1,
						 1, 1, 1, 1, 2, 2, 3, 4 };
	const unsigned char *b = (const unsigned char *)l->buf;
	size_t at = l->cur_byte, index = l->cur_index;
	/* Eight bytes at a time while character i lies past them: those that
	 * begin a character are those not 10xxxxxx. A lead byte's bit 7
	 * shifted under its bit 6 leaves the continuation bytes' bit 7, and
	 * the multiply sums those bits into the top byte. */
	const uint64_t high = 0x8080808080808080u, ones = 0x0101010101010101u;
	while (l->len - at >= 8) {
		uint64_t w;
		memcpy(&w, b + at, 8);
		size_t leads =
			8 -
			(size_t)((((w & ~(w << 1) & high) >> 7) * ones) >> 56);
		if (index + leads > i)
			break;
		at += 8, index += leads;
	}
	/* inside a character, counted already: back to its lead byte */
	if (at < l->len && (b[at] & 0xc0) == 0x80) {
		while ((b[at] & 0xc0) == 0x80)
			at--;
		index--;
	}
	while (index < i && at < l->len) {
		at += width[b[at] >> 4];
		index++;
	}
	l->cur_byte = at < l->len ? at : l->len;
	l->cur_index = index;
	return l->cur_byte;
}

/* A node of kind placed at libyaml's mark. */
static struct node
load_node(struct loader *l, enum node_kind kind, yaml_mark_t mark)
{
	return (struct node){ .raw = l->buf + load_byte(l, mark.index),
			      .kind = kind };
}

/* A new node at the end of pending: valid until the next one. */
static struct node *
load_new(struct loader *l, enum node_kind kind, yaml_mark_t mark)
{
	if (l->npending == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct node *p = realloc(l->pending, cap * sizeof *p);
		if (!p)
			die_oom();
		l->pending = p;
		l->cap = cap;
	}
	struct node *n = &l->pending[l->npending++];
	*n = load_node(l, kind, mark);
	return n;
}

/* Anchors, tags: what the format does not use is refused where it stands. */
static void
load_check_props(struct loader *l, const yaml_event_t *ev,
		 const yaml_char_t *anchor, const yaml_char_t *tag)
{
	struct loc at = load_loc(l, ev->start_mark);
	if (anchor) {
		diag_report(l->diag, RULE_YAML_FEATURE, at,
			    "anchor '&%s' is not allowed; write the value out",
			    (const char *)anchor);
		l->failed = true;
	}
	if (tag) {
		/* libyaml expands '!!x' to the full tag: show what was written.
		 */
		static const char core[] = "tag:yaml.org,2002:";
		const char *t = (const char *)tag;
		bool shorthand = !strncmp(t, core, sizeof core - 1);
		diag_report(l->diag, RULE_YAML_FEATURE, at,
			    "tag '%s%s' is not allowed", shorthand ? "!!" : "",
			    shorthand ? t + sizeof core - 1 : t);
		l->failed = true;
	}
}

/* The bytes that may begin a character load_check_text refuses. */
/* clang-format off */
static const bool suspect_byte[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00.. */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* ..0x1f */
	[0x7f] = 1, [0xc2] = 1, [0xe2] = 1, [0xef] = 1,
};
/* clang-format on */

/* Whether s may hold a character load_check_text refuses: a byte below
 * 0x20 or 0x7f, U+0080..U+009F (C2 80..C2 9F), U+2028, U+2029 (E2 80 A8,
 * E2 80 A9) or U+FEFF (EF BB BF). */
static bool
load_text_suspect(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		if (!suspect_byte[c])
			continue;
		if (c < 0x20 || c == 0x7f)
			return true;
		if (c == 0xc2 && i + 1 < len && s[i + 1] < 0xa0)
			return true;
		if (c == 0xe2 && i + 2 < len && s[i + 1] == 0x80 &&
		    (s[i + 2] == 0xa8 || s[i + 2] == 0xa9))
			return true;
		if (c == 0xef && i + 2 < len && s[i + 1] == 0xbb &&
		    s[i + 2] == 0xbf)
			return true;
	}
	return false;
}

/* Whether s holds a byte below 0x20: in one pass without a branch, which
 * the compiler makes wide. */
static bool
load_text_low(const unsigned char *s, size_t len)
{
	bool low = false;
	for (size_t i = 0; i < len; i++)
		low |= s[i] < 0x20;
	return low;
}

static void
load_check_text(struct loader *l, const struct node *n)
{
	const unsigned char *s = (const unsigned char *)n->text;
	/* Only a double-quoted scalar's escapes make characters the file
	 * does not hold. Of those this refuses, a file that loads holds
	 * only tab and line ends (load_check_bytes refused the rest, and
	 * NUL), which libyaml hands on as tab and '\n'. */
	if (n->style == STYLE_DOUBLE ? !load_text_suspect(s, n->len)
				     : !load_text_low(s, n->len))
		return;
	size_t i = 0, chars = 0;
	while (i < n->len) {
		uint32_t cp = 0;
		size_t k = utf8_decode(s + i, n->len - i, &cp);
		if (k == 0)
			k = 1, cp = s[i];
		chars++;
		if (cp == '\n' && n->style == STYLE_PLAIN) {
			diag_report(
				l->diag, RULE_CONTROL_CHAR,
				node_loc(l->diag, l->file, n),
				"line break in a plain scalar (character %zu); text over several lines is a block scalar ('|')",
				chars);
			l->failed = true;
			return;
		}
		if (cp == '\n' && n->style != STYLE_BLOCK) {
			diag_report(
				l->diag, RULE_CONTROL_CHAR,
				node_loc(l->diag, l->file, n),
				"line break in a quoted scalar (character %zu); text over several lines is a block scalar ('|')",
				chars);
			l->failed = true;
			return;
		}
		if (is_text_control(cp) || cp == 0xfeff) {
			diag_report(
				l->diag, RULE_CONTROL_CHAR,
				node_loc(l->diag, l->file, n),
				"control character U+%04X in text (character %zu)",
				(unsigned)cp, chars);
			l->failed = true;
			return;
		}
		i += k;
	}
}

/* The text of a mapping's key: the copy made for the same key before, or
 * a new one (past LOAD_SHARED_KEYS, not remembered, so that a file of keys
 * all different costs what it did without). */
static const char *
load_key(struct loader *l, const char *s, size_t len)
{
	if (!l->keys)
		l->keys = hash_new(l->arena, 64);
	const char *k = hash_get(l->keys, s, len);
	if (k)
		return k;
	k = arena_strndup(l->arena, s, len);
	if (hash_count(l->keys) < LOAD_SHARED_KEYS)
		hash_put(l->keys, k, len, (void *)k);
	return k;
}

/* Give the sink what waits. */
static void
load_flush(struct loader *l)
{
	const struct load_sink *k = l->sink;
	diag_hold(l->diag, true); /* until the file is known to load */
	for (size_t i = 0; i < l->nsunk; i++) {
		const struct node *n = &l->sunk[i].n;
		switch (l->sunk[i].what) {
		case SUNK_OPEN:
			k->open(k->ctx, n);
			break;
		case SUNK_SCALAR:
			k->scalar(k->ctx, n);
			break;
		case SUNK_CLOSE:
			k->close(k->ctx, n);
			break;
		}
	}
	l->nsunk = 0;
	diag_hold(l->diag, false);
}

static void
load_sink(struct loader *l, int what, const struct node *n)
{
	l->sunk[l->nsunk++] = (struct sunk){ what, *n };
	if (l->nsunk == LOAD_BATCH)
		load_flush(l);
}

static void
load_scalar(struct loader *l, const yaml_event_t *ev)
{
	const yaml_char_t *tag = ev->data.scalar.tag;
	/* The tag a plain "!" gives is explicit too. */
	load_check_props(l, ev, ev->data.scalar.anchor, tag);
	bool too_long = ev->data.scalar.length > LOAD_MAX_SCALAR;
	if (too_long) {
		diag_report(l->diag, RULE_LIMIT, load_loc(l, ev->start_mark),
			    "a scalar of %zu bytes, over the limit of %d MiB",
			    ev->data.scalar.length, LOAD_MAX_SCALAR >> 20);
		l->failed = true;
	}
	/* One not kept is still read, and checked, from libyaml's copy. */
	bool keep = load_keep(l);
	const struct frame *in = l->depth ? &l->stack[l->depth - 1] : NULL;
	bool key = in && in->kind == NODE_MAP &&
		   (l->npending - in->start) % 2 == 0;
	struct node dropped;
	struct node *n =
		keep ? load_new(l, NODE_SCALAR, ev->start_mark) : &dropped;
	if (!keep)
		dropped = load_node(l, NODE_SCALAR, ev->start_mark);
	size_t from = (size_t)(n->raw - l->buf),
	       to = load_byte(l, ev->end_mark.index);
	/* One error for a scalar: its value over the limit is the one the
	 * editor knows; its bytes are that many or more. */
	if (to - from >= LOAD_MAX_RAW) {
		if (!too_long) {
			diag_report(
				l->diag, RULE_LIMIT,
				load_loc(l, ev->start_mark),
				"a scalar takes %zu bytes of the file; it must take less than %d MiB",
				to - from, LOAD_MAX_RAW >> 20);
			l->failed = true;
		}
		to = from;
	}
	n->raw_len = (uint32_t)(to - from);
	n->len = (uint32_t)ev->data.scalar.length;
	const char *value = (const char *)ev->data.scalar.value;
	n->text = value;
	switch (ev->data.scalar.style) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
		n->style = STYLE_SINGLE;
		break;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		n->style = STYLE_DOUBLE;
		break;
	case YAML_LITERAL_SCALAR_STYLE:
	case YAML_FOLDED_SCALAR_STYLE:
		n->style = STYLE_BLOCK;
		break;
	default:
		n->style = STYLE_PLAIN;
		break;
	}
	/* plain: the file's own bytes, which hold no NUL */
	n->type = n->style == STYLE_PLAIN ? scalar_type(n->text, n->len)
					  : SCALAR_TEXT;
	load_check_text(l, n);
	if (!keep)
		return;
	if (key)
		n->text = load_key(l, value, n->len);
	else if (l->sink && to < l->len && node_verbatim(n, value))
		n->text = n->raw + (n->style != STYLE_PLAIN);
	else
		n->text = arena_strndup(l->arena, value, n->len);
	if (l->sink)
		load_sink(l, SUNK_SCALAR, n);
}

static bool
load_open(struct loader *l, const yaml_event_t *ev, enum node_kind kind)
{
	const yaml_char_t *anchor, *tag;
	if (kind == NODE_MAP) {
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
	} else {
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
	}
	load_check_props(l, ev, anchor, tag);
	if (l->depth == LOAD_MAX_DEPTH) {
		diag_report(l->diag, RULE_DEPTH, load_loc(l, ev->start_mark),
			    "nesting deeper than %d levels", LOAD_MAX_DEPTH);
		return false;
	}
	bool keep = load_keep(l);
	struct node *n = keep ? load_new(l, kind, ev->start_mark) : NULL;
	l->stack[l->depth++] = (struct frame){
		.start = l->npending,
		.at = load_loc(l, ev->start_mark),
		.kind = kind,
		.dropped = !keep,
	};
	if (n && l->sink)
		load_sink(l, SUNK_OPEN, n);
	return true;
}

/* Duplicate keys: a small map is compared pairwise (bounded work), a large
 * one through a hash, so a hostile map stays linear. */
static void
load_check_keys(struct loader *l, const struct node *keys, size_t count,
		size_t stride)
{
	struct hash *seen = count > 8 ? hash_new(l->arena, count) : NULL;
	for (size_t i = 0; i < count; i++) {
		const struct node *k = &keys[i * stride];
		if (k->kind != NODE_SCALAR) {
			diag_report(l->diag, RULE_YAML_FEATURE,
				    node_loc(l->diag, l->file, k),
				    /* TRANSLATORS: %s is a kind of YAML value:
				     * "mapping" or "list". */
				    "a mapping key must be text, not a %s",
				    _(node_kind_name(k)));
			l->failed = true;
			continue;
		}
		if (k->style == STYLE_PLAIN && !strcmp(k->text, "<<")) {
			diag_report(
				l->diag, RULE_YAML_FEATURE,
				node_loc(l->diag, l->file, k),
				"merge key '<<' is not allowed; write the keys out");
			l->failed = true;
			continue;
		}
		const struct node *first = NULL;
		if (seen) {
			first = hash_put(seen, k->text, k->len, (void *)k);
		} else {
			for (size_t j = 0; j < i && !first; j++) {
				const struct node *o = &keys[j * stride];
				if (o->kind == NODE_SCALAR &&
				    o->len == k->len &&
				    !memcmp(o->text, k->text, k->len))
					first = o;
			}
		}
		if (first) {
			diag_report(l->diag, RULE_DUPLICATE_KEY,
				    node_loc(l->diag, l->file, k),
				    "duplicate key '%s'", k->text);
			diag_note(l->diag, node_loc(l->diag, l->file, first),
				  "first given here");
			l->failed = true;
		}
	}
	hash_drop(seen);
}

static void
load_close(struct loader *l)
{
	struct frame *f = &l->stack[--l->depth];
	size_t count = l->npending - f->start; /* kept */
	size_t entries = (count + f->over) / (f->kind == NODE_MAP ? 2 : 1);
	if (entries > LOAD_MAX_ITEMS) {
		if (f->kind == NODE_MAP)
			diag_report(
				l->diag, RULE_LIMIT, f->at,
				"a mapping of %zu entries, over the limit of %d",
				entries, LOAD_MAX_ITEMS);
		else
			diag_report(
				l->diag, RULE_LIMIT, f->at,
				"a list of %zu entries, over the limit of %d",
				entries, LOAD_MAX_ITEMS);
		l->failed = true;
	}
	if (f->dropped)
		return; /* nothing of it kept */
	struct node *n = &l->pending[f->start - 1];
	const struct node *kids = l->pending + f->start;
	if (l->sink) { /* no tree: the keys checked where they wait */
		n->count = (uint32_t)(n->kind == NODE_MAP ? count / 2 : count);
		if (n->kind == NODE_MAP)
			load_check_keys(l, kids, n->count, 2);
		load_sink(l, SUNK_CLOSE, n);
	} else if (n->kind == NODE_MAP) {
		n->count = count / 2;
		n->items = arena_array(l->arena, count, sizeof *n->items);
		struct node *keys = n->items + n->count;
		for (size_t i = 0; i < n->count; i++) {
			keys[i] = kids[2 * i];
			n->items[i] = kids[2 * i + 1];
		}
		load_check_keys(l, keys, n->count, 1);
	} else {
		n->count = count;
		n->items = arena_array(l->arena, count, sizeof *n->items);
		if (count)
			memcpy(n->items, kids, count * sizeof *kids);
	}
	l->npending = f->start;
}

/* The byte at a libyaml mark (line and column in characters). */
static int
load_char_at(const char *buf, size_t len, yaml_mark_t m)
{
	size_t i = 0, line = 0, col = 0;
	while (i < len && line < m.line)
		line += buf[i++] == '\n';
	while (i < len && col < m.column && buf[i] != '\n') {
		uint32_t cp;
		size_t n = utf8_decode((const unsigned char *)buf + i, len - i,
				       &cp);
		i += n ? n : 1;
		col++;
	}
	return i < len ? (unsigned char)buf[i] : -1;
}

/* libyaml's texts are English and stay as they are. A translation frames
 * them (saying what they are); in English they are printed alone, so the
 * frames' English is never printed. */
/* TRANSLATORS: %s is libyaml's description of a YAML syntax error, in
 * English ("did not find expected key"): keep it as it is and frame it. */
#define LOAD_YAML_ERROR N_("YAML syntax error: %s")
/* TRANSLATORS: %s is libyaml's account, in English, of what it was
 * reading when it met the error ("while parsing a block mapping"): keep it
 * as it is and frame it. */
#define LOAD_YAML_CONTEXT N_("YAML context: %s")

/* Whether the messages' language has a frame of its own. */
static bool
load_framed(const char *frame)
{
	return strcmp(_(frame), frame) != 0;
}

static void
load_syntax_error(struct loader *l, const yaml_parser_t *p, const char *buf,
		  size_t len)
{
	struct loc at = load_loc(l, p->problem_mark);
	if (p->error == YAML_MEMORY_ERROR)
		die_oom();
	if (!p->problem) {
		diag_report(l->diag, RULE_YAML_SYNTAX, at, "malformed YAML");
	} else if (load_char_at(buf, len, p->problem_mark) == '\t' &&
		   strstr(p->problem, "cannot start any token")) {
		diag_report(
			l->diag, RULE_YAML_SYNTAX, at,
			"a tab cannot indent or start a token; indent with spaces");
	} else {
		diag_report(l->diag, RULE_YAML_SYNTAX, at,
			    load_framed(LOAD_YAML_ERROR) ? _(LOAD_YAML_ERROR)
							 : "%s",
			    p->problem);
	}
	if (p->context)
		diag_note(l->diag, load_loc(l, p->context_mark),
			  load_framed(LOAD_YAML_CONTEXT) ? _(LOAD_YAML_CONTEXT)
							 : "%s",
			  p->context);
}

/* Read events until the stream ends or reading cannot go on. */
static struct node *
load_events(struct loader *l, yaml_parser_t *p, const char *buf, size_t len)
{
	struct node *root = NULL;
	size_t documents = 0;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(p, &ev)) {
			load_syntax_error(l, p, buf, len);
			return NULL;
		}
		bool go_on = true;
		struct loc at = load_loc(l, ev.start_mark);
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++documents > 1) {
				diag_report(
					l->diag, RULE_YAML_FEATURE, at,
					"a second document; a standard is one document");
				go_on = false;
			} else if (ev.data.document_start.tag_directives
					   .start !=
				   ev.data.document_start.tag_directives.end) {
				diag_report(l->diag, RULE_YAML_FEATURE, at,
					    "%%TAG directives are not allowed");
				l->failed = true;
			}
			break;
		case YAML_ALIAS_EVENT:
			diag_report(
				l->diag, RULE_YAML_FEATURE, at,
				"alias '*%s' is not allowed; write the value out",
				(const char *)ev.data.alias.anchor);
			l->failed = true;
			go_on = false;
			break;
		case YAML_SCALAR_EVENT:
			load_scalar(l, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			go_on = load_open(l, &ev, NODE_SEQ);
			break;
		case YAML_MAPPING_START_EVENT:
			go_on = load_open(l, &ev, NODE_MAP);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			load_close(l);
			break;
		case YAML_DOCUMENT_END_EVENT:
			if (l->npending) {
				root = arena_alloc(l->arena, sizeof *root);
				*root = l->pending[0];
			}
			break;
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			if (!documents) {
				/* Not a compound literal in the call:
				 * xgettext would count its commas as the
				 * call's and miss the message. */
				const struct loc start = { l->file, 1, 1 };
				diag_report(l->diag, RULE_EMPTY_FILE, start,
					    "the file holds no YAML document");
				return NULL;
			}
			return root;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (!go_on)
			return NULL;
	}
}

/* Parse buf, whose source d holds, building a tree unless sink takes the
 * nodes instead. */
static struct node *
load_run(struct arena *a, struct diag *d, const char *name, const char *buf,
	 size_t len, const struct load_sink *sink)
{
	struct loader l = { .arena = a,
			    .diag = d,
			    .file = name,
			    .buf = buf,
			    .len = len,
			    .sink = sink };
	if (len > LOAD_MAX_BYTES) { /* load_read refuses it first */
		struct loc file = { name, 0, 0 };
		diag_report(d, RULE_LIMIT, file,
			    "the file is larger than the limit of %zu MiB",
			    LOAD_MAX_BYTES >> 20);
		return NULL;
	}
	if (!load_check_bytes(&l, (const unsigned char *)buf, len))
		return NULL;
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		die_oom();
	/* libyaml finds the encoding itself and so skips a UTF-8 BOM without
	 * counting it, as a column or in its index; the byte check refused
	 * the other encodings. */
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		l.start = l.cur_byte = 3;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	struct node *root = load_events(&l, &parser, buf, len);
	if (sink)
		load_flush(&l);
	yaml_parser_delete(&parser);
	free(l.pending);
	hash_drop(l.keys);
	if (root && root->kind == NODE_SCALAR && root->type == SCALAR_NULL &&
	    root->style == STYLE_PLAIN && root->len == 0) {
		const struct loc start = { name, 1, 1 }; /* see load_events */
		diag_report(d, RULE_EMPTY_FILE, start, "the document is empty");
		return NULL;
	}
	if (root && root->kind == NODE_SEQ) {
		diag_report(d, RULE_TYPE, node_loc(d, name, root),
			    "the document must be a mapping, not a list");
		return NULL;
	}
	if (root && root->kind != NODE_MAP) {
		diag_report(d, RULE_TYPE, node_loc(d, name, root),
			    "the document must be a mapping, not a scalar");
		return NULL;
	}
	return l.failed ? NULL : root;
}

struct node *
load_buffer(struct arena *a, struct diag *d, const char *name, const char *buf,
	    size_t len)
{
	diag_add_source(d, name, buf, len);
	return load_run(a, d, name, buf, len, NULL);
}

bool
load_stream(struct arena *a, struct diag *d, const char *name, const char *buf,
	    size_t len, const struct load_sink *sink)
{
	bool ok = load_run(a, d, name, buf, len, sink) != NULL;
	diag_settle(d, ok); /* the loader's findings alone, if it failed */
	return ok;
}

const struct node *
load_embedded(struct arena *a, struct diag *d, const struct embedded_file *f)
{
	if (!f->root)
		return load_buffer(a, d, f->name, (const char *)f->bytes,
				   f->len);
	diag_add_source(d, f->name, (const char *)f->bytes, f->len);
	return f->root;
}

bool
load_shipped(const char *file)
{
	if (file && file == embedded_rules.name)
		return true;
	for (size_t i = 0; file && i < embedded_profiles_count; i++)
		if (file == embedded_profiles[i].name)
			return true;
	return false;
}

int
load_read(struct arena *a, const char *path, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	int err = load_read_fd(a, fd, buf, len);
	close(fd);
	return err;
}

int
load_read_fd(struct arena *a, int fd, char **buf, size_t *len)
{
	struct stat st;
	int err = 0;
	if (fstat(fd, &st))
		err = errno;
	else if (S_ISDIR(st.st_mode))
		err = EISDIR;
	else if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > LOAD_MAX_BYTES)
		err = EFBIG; /* refused before a byte is read */
	/* Read straight into the arena: a regular file in one buffer of its
	 * size; a pipe, or a file that grows, into ever larger ones. Never
	 * more than the limit. */
	size_t cap =
		!err && S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
	char *dst = err ? NULL : arena_alloc(a, cap + 1);
	size_t got = 0;
	while (!err) {
		if (got == cap) {
			size_t bigger = cap * 2 > LOAD_MAX_BYTES + 1
						? LOAD_MAX_BYTES + 1
						: cap * 2;
			char *more = arena_alloc(a, bigger + 1);
			memcpy(more, dst, got);
			dst = more, cap = bigger;
		}
		ssize_t n = read(fd, dst + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = errno;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got > LOAD_MAX_BYTES)
			err = EFBIG;
	}
	if (!err) {
		*len = got;
		*buf = dst; /* NUL-terminated: the arena zeroes */
	}
	return err;
}

const struct node *
node_get(const struct node *map, const char *key)
{
	for (size_t i = 0; map && i < map->count; i++)
		if (node_keys(map)[i].kind == NODE_SCALAR &&
		    !strcmp(node_keys(map)[i].text, key))
			return &map->items[i];
	return NULL;
}

const char *
node_kind_name(const struct node *n)
{
	switch (n->kind) {
	case NODE_MAP:
		return N_("mapping");
	case NODE_SEQ:
		return N_("list");
	default:
		break;
	}
	switch (n->type) {
	case SCALAR_NULL:
		return N_("null");
	case SCALAR_BOOL:
		return N_("boolean");
	case SCALAR_NUMBER:
		return N_("number");
	case SCALAR_DATE:
		return N_("date");
	default:
		return N_("text");
	}
}

/* ---- positions inside scalars ------------------------------------------ */

/* The value of a scalar rebuilt from its source, each value byte with the
 * source offset it came from and whether it was written as itself. */
struct unfold {
	const char *raw;
	size_t rl, i;	/* the source and where reading is */
	char *val;	/* the value rebuilt */
	size_t *from;	/* per value byte: its source offset */
	bool *verbatim; /* per value byte: written as itself */
	size_t n, cap;
};

static void
unfold_put(struct unfold *u, char c, size_t from, bool verbatim)
{
	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 64;
		u->val = realloc(u->val, u->cap);
		u->from = realloc(u->from, u->cap * sizeof *u->from);
		u->verbatim =
			realloc(u->verbatim, u->cap * sizeof *u->verbatim);
		if (!u->val || !u->from || !u->verbatim)
			die_oom();
	}
	u->val[u->n] = c;
	u->from[u->n] = from;
	u->verbatim[u->n++] = verbatim;
}

static void
unfold_put_cp(struct unfold *u, uint32_t cp, size_t from)
{
	char b[4];
	size_t n = 0;
	if (cp < 0x80) {
		b[n++] = (char)cp;
	} else if (cp < 0x800) {
		b[n++] = (char)(0xc0 | (cp >> 6));
		b[n++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		b[n++] = (char)(0xe0 | (cp >> 12));
		b[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[n++] = (char)(0x80 | (cp & 0x3f));
	} else {
		b[n++] = (char)(0xf0 | (cp >> 18));
		b[n++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[n++] = (char)(0x80 | (cp & 0x3f));
	}
	for (size_t k = 0; k < n; k++)
		unfold_put(u, b[k], from, false);
}

static bool
is_break(char c)
{
	return c == '\n' || c == '\r';
}

/* A line break inside a flow scalar: trailing blanks dropped, the break
 * and the next lines' indentation skipped; one break folds into a space,
 * n > 1 into n - 1 newlines. */
static void
unfold_break(struct unfold *u)
{
	size_t at = u->i;
	while (u->n && (u->val[u->n - 1] == ' ' || u->val[u->n - 1] == '\t') &&
	       u->verbatim[u->n - 1])
		u->n--;
	size_t breaks = 0;
	while (u->i < u->rl && (is_break(u->raw[u->i]) || u->raw[u->i] == ' ' ||
				u->raw[u->i] == '\t')) {
		if (u->raw[u->i] == '\n' ||
		    (u->raw[u->i] == '\r' &&
		     (u->i + 1 == u->rl || u->raw[u->i + 1] != '\n')))
			breaks++;
		u->i++;
	}
	if (breaks == 1)
		unfold_put(u, ' ', at, false);
	for (size_t k = 1; k < breaks; k++)
		unfold_put(u, '\n', at, false);
}

static unsigned
hex_value(char c)
{
	return c >= '0' && c <= '9'   ? (unsigned)(c - '0')
	       : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
	       : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
				      : 16;
}

/* One escape of a double-quoted scalar, at u->i (the backslash). */
static bool
unfold_escape(struct unfold *u)
{
	static const char simple[] = "0a"
				     "b"
				     "t\tn"
				     "v"
				     "f"
				     "r"
				     "e \"/\\";
	static const uint32_t values[] = { 0,  7,  8,  9,  9,  10, 11,
					   12, 13, 27, 32, 34, 47, 92 };
	size_t at = u->i++;
	if (u->i >= u->rl)
		return false;
	char c = u->raw[u->i++];
	const char *p = strchr(simple, c);
	if (c && p) {
		unfold_put_cp(u, values[p - simple], at);
		return true;
	}
	switch (c) {
	case 'N':
		unfold_put_cp(u, 0x85, at);
		return true;
	case '_':
		unfold_put_cp(u, 0xa0, at);
		return true;
	case 'L':
		unfold_put_cp(u, 0x2028, at);
		return true;
	case 'P':
		unfold_put_cp(u, 0x2029, at);
		return true;
	case '\n':
	case '\r':
		/* An escaped line break: nothing, nor the next indentation. */
		u->i--;
		while (u->i < u->rl &&
		       (is_break(u->raw[u->i]) || u->raw[u->i] == ' ' ||
			u->raw[u->i] == '\t'))
			u->i++;
		return true;
	}
	size_t digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
	if (!digits || u->i + digits > u->rl)
		return false;
	uint32_t cp = 0;
	for (size_t k = 0; k < digits; k++) {
		unsigned h = hex_value(u->raw[u->i++]);
		if (h > 15)
			return false;
		cp = cp * 16 + h;
	}
	unfold_put_cp(u, cp, at);
	return true;
}

static bool
unfold_flow(struct unfold *u, char quote)
{
	if (quote)
		u->i = 1;
	while (u->i < u->rl) {
		char c = u->raw[u->i];
		if (quote && c == quote) {
			if (quote == '\'' && u->i + 1 < u->rl &&
			    u->raw[u->i + 1] == '\'') {
				unfold_put(u, '\'', u->i, false);
				u->i += 2;
				continue;
			}
			return true;
		}
		if (quote == '"' && c == '\\') {
			if (!unfold_escape(u))
				return false;
		} else if (is_break(c)) {
			unfold_break(u);
		} else {
			unfold_put(u, c, u->i++, true);
		}
	}
	return !quote;
}

/* A literal block scalar: the header line, then lines at one indent,
 * each line break of them a newline of the value. */
static bool
unfold_literal(struct unfold *u, size_t line_indent)
{
	size_t indent = SIZE_MAX;
	/* An indentation indicator counts from the header line's indent. */
	for (; u->i < u->rl && !is_break(u->raw[u->i]) && u->raw[u->i] != '#';
	     u->i++)
		if (u->raw[u->i] >= '1' && u->raw[u->i] <= '9')
			indent = line_indent + (size_t)(u->raw[u->i] - '0');
	while (u->i < u->rl && !is_break(u->raw[u->i]))
		u->i++;
	while (u->i < u->rl) {
		/* u->i is at a line break: step over it to the next line. */
		u->i += u->raw[u->i] == '\r' && u->i + 1 < u->rl &&
					u->raw[u->i + 1] == '\n'
				? 2
				: 1;
		size_t sp = 0;
		while (u->i + sp < u->rl && u->raw[u->i + sp] == ' ')
			sp++;
		bool empty = u->i + sp >= u->rl || is_break(u->raw[u->i + sp]);
		if (!empty && indent == SIZE_MAX)
			indent = sp;
		if (!empty && sp < indent)
			break; /* the scalar is over */
		u->i += empty ? sp : indent;
		while (u->i < u->rl && !is_break(u->raw[u->i])) {
			unfold_put(u, u->raw[u->i], u->i, true);
			u->i++;
		}
		if (u->i < u->rl)
			unfold_put(u, '\n', u->i, u->raw[u->i] == '\n');
	}
	return true;
}

/* How many characters precede the block indicator on its line other than
 * the line's indentation ("key: " in "  key: |"), which stands at column
 * col: walk back from it. */
static size_t
leading_text(const struct node *n, uint32_t col)
{
	size_t k = 0;
	const char *p = n->raw;
	/* n->raw points into the source: characters before it on the line. */
	while (k + 1 < col && p[-(ptrdiff_t)k - 1] != '\n')
		k++;
	size_t spaces = 0;
	while (spaces < k && p[-(ptrdiff_t)k + (ptrdiff_t)spaces] == ' ')
		spaces++;
	return k - spaces;
}

/* Rebuild n, at column col, from its source; false if it does not come
 * out the same (the caller then falls back to the scalar's start). */
static bool
unfold(const struct node *n, uint32_t col, struct unfold *u)
{
	*u = (struct unfold){ .raw = n->raw, .rl = n->raw_len };
	if (n->kind != NODE_SCALAR || !n->raw)
		return false;
	bool ok;
	switch (n->style) {
	case STYLE_PLAIN:
		ok = unfold_flow(u, 0);
		break;
	case STYLE_SINGLE:
		ok = unfold_flow(u, '\'');
		break;
	case STYLE_DOUBLE:
		ok = unfold_flow(u, '"');
		break;
	default:
		ok = n->raw_len && n->raw[0] == '|' && col &&
		     unfold_literal(u, col - 1 - leading_text(n, col));
		break;
	}
	/* Block scalars may lose final newlines to chomping. */
	ok = ok && u->n >= n->len &&
	     (!n->len || !memcmp(u->val, n->text, n->len));
	for (size_t k = n->len; ok && k < u->n; k++)
		ok = u->val[k] == '\n';
	return ok;
}

static void
unfold_free(struct unfold *u)
{
	free(u->val), free(u->from), free(u->verbatim);
}

struct scalar_map {
	struct unfold u;
	bool exact; /* the value was rebuilt from the source */
	/* Where the last question left off: a source offset and its line
	 * and column, so that questions in rising order cost one pass. */
	size_t at;
	struct loc loc;
	struct loc start; /* the scalar's */
};

struct scalar_map *
load_map(struct diag *d, const char *file, const struct node *n)
{
	struct scalar_map *m = malloc(sizeof *m);
	if (!m)
		die_oom();
	m->at = 0;
	m->loc = m->start = node_loc(d, file, n);
	m->exact = unfold(n, m->start.col, &m->u);
	return m;
}

void
load_map_free(struct scalar_map *m)
{
	if (!m)
		return;
	unfold_free(&m->u);
	free(m);
}

struct loc
load_map_position(const struct node *n, struct scalar_map *m, size_t off)
{
	const struct unfold *u = &m->u;
	if (!m->exact || off > n->len)
		return m->start;
	size_t to = off < u->n ? u->from[off] : n->raw_len;
	if (off == n->len && off > 0 && off <= u->n && u->verbatim[off - 1]) {
		/* Just after the last character, not after a quote. */
		uint32_t cp;
		size_t k = utf8_decode((const unsigned char *)n->raw +
					       u->from[off - 1],
				       n->raw_len - u->from[off - 1], &cp);
		to = u->from[off - 1] + (k ? k : 1);
	}
	if (to < m->at) /* behind the cursor: count again from the start */
		m->at = 0, m->loc = m->start;
	size_t i = m->at;
	struct loc at = m->loc;
	while (i < to) {
		uint32_t cp;
		size_t k = utf8_decode((const unsigned char *)n->raw + i,
				       n->raw_len - i, &cp);
		if (n->raw[i] == '\n' ||
		    (n->raw[i] == '\r' &&
		     (i + 1 == n->raw_len || n->raw[i + 1] != '\n')))
			at.line++, at.col = 1;
		else if (n->raw[i] != '\r')
			at.col++;
		i += k ? k : 1;
	}
	m->at = i, m->loc = at;
	return at;
}

bool
load_map_raw_range(const struct scalar_map *m, size_t start, size_t end,
		   size_t *raw_start, size_t *raw_end)
{
	const struct unfold *u = &m->u;
	bool ok = m->exact && start < end && end <= u->n;
	for (size_t k = start; ok && k < end; k++)
		ok = u->verbatim[k] &&
		     (k == start || u->from[k] == u->from[k - 1] + 1);
	if (ok) {
		*raw_start = u->from[start];
		*raw_end = u->from[end - 1] + 1;
	}
	return ok;
}

struct loc
load_position(struct diag *d, const char *file, const struct node *n,
	      size_t off)
{
	struct scalar_map *m = load_map(d, file, n);
	struct loc at = load_map_position(n, m, off);
	load_map_free(m);
	return at;
}
