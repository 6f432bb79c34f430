/*
 * test_load.c - YAML bytes to a tree: locations in characters, how plain
 * scalars are typed, scalar styles, what the loader accepts and each
 * thing it refuses (returning NULL after reporting the rule), the
 * small helpers node_get, node_kind_name and load_read, and the trees of
 * the built-in files frozen at build time (freeze.c), which must be the
 * loader's own.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "skillc.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "unit.h"

static struct arena *arena;
static struct diag *diag;
static char *out; /* the last flush, from open_memstream */

static const char file[] = "t.yaml";

/* A UTF-8 byte order mark, kept apart: a hex escape swallows a letter. */
#define BOM "\xef\xbb\xbf"

static void
setup(void)
{
	arena = arena_new();
	diag = diag_new(arena);
	out = NULL;
}

static void
teardown(void)
{
	free(out);
	out = NULL;
	arena_free(arena);
	arena = NULL;
}

static const struct node *
load(const char *src, size_t len)
{
	return load_buffer(arena, diag, file, src, len);
}

static const struct node *
load_str(const char *src)
{
	return load(src, strlen(src));
}

static const char *
flush(void)
{
	free(out);
	out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(f);
	diag_flush(diag, f, false);
	fclose(f);
	return out;
}

/* The node at path: elements separated by '/', "#n" the nth item of a
 * list, "?key" the key node of a mapping (last element only), otherwise
 * the value of key; "" is the root. */
static const struct node *
walk(const struct node *n, const char *path)
{
	while (n && *path) {
		size_t len = strcspn(path, "/");
		char el[64];
		ck_assert_uint_lt(len, sizeof el);
		memcpy(el, path, len);
		el[len] = '\0';
		path += len + (path[len] == '/');
		if (el[0] == '#') {
			size_t i = (size_t)atoi(el + 1);
			ck_assert_int_eq(n->kind, NODE_SEQ);
			n = i < n->count ? &n->items[i] : NULL;
		} else if (el[0] == '?') {
			const struct node *key = NULL;
			for (size_t i = 0; i < n->count && !key; i++)
				if (!strcmp(node_keys(n)[i].text, el + 1))
					key = &node_keys(n)[i];
			n = key;
		} else {
			n = node_get(n, el);
		}
	}
	return n;
}

/* ---- locations --------------------------------------------------------- */

static const struct loc_case {
	const char *src;
	const char *path;
	uint32_t line, col;
} loc_cases[] = {
	{ "a: 1\nbb:\n  c: x\n", "", 1, 1 },
	{ "a: 1\nbb:\n  c: x\n", "?a", 1, 1 },
	{ "a: 1\nbb:\n  c: x\n", "a", 1, 4 },
	{ "a: 1\nbb:\n  c: x\n", "?bb", 2, 1 },
	{ "a: 1\nbb:\n  c: x\n", "bb", 3, 3 },
	{ "a: 1\nbb:\n  c: x\n", "bb/?c", 3, 3 },
	{ "a: 1\nbb:\n  c: x\n", "bb/c", 3, 6 },
	/* columns count characters, not bytes */
	{ "名称: 值\nx: {中文: 是, key: v}\n", "名称", 1, 5 },
	{ "名称: 值\nx: {中文: 是, key: v}\n", "x", 2, 4 },
	{ "名称: 值\nx: {中文: 是, key: v}\n", "x/中文", 2, 9 },
	{ "名称: 值\nx: {中文: 是, key: v}\n", "x/?key", 2, 12 },
	{ "名称: 值\nx: {中文: 是, key: v}\n", "x/key", 2, 17 },
	{ "e: \"é\"\n名: {😀: 1, z: 2}\n", "名/?z", 2, 11 },
	{ "e: \"é\"\n名: {😀: 1, z: 2}\n", "名/z", 2, 14 },
	{ "l:\n  - 一\n  - 二: 三\n", "l", 2, 3 },
	{ "l:\n  - 一\n  - 二: 三\n", "l/#0", 2, 5 },
	{ "l:\n  - 一\n  - 二: 三\n", "l/#1", 3, 5 },
	{ "l:\n  - 一\n  - 二: 三\n", "l/#1/二", 3, 8 },
	{ "t: |\n  block\nu: 'q'\n", "t", 1, 4 },
	{ "t: |\n  block\nu: 'q'\n", "u", 3, 4 },
	/* a byte order mark is not a character of the first line */
	{ BOM "a: 1\n", "?a", 1, 1 },
	{ BOM "a: 1\n", "a", 1, 4 },
	/* CRLF and a lone CR end a line */
	{ "a: 1\r\nb: 2\r\n", "b", 2, 4 },
	{ "a: 1\rb: 2\r", "b", 2, 4 },
	/* comments and blank lines count as lines */
	{ "# c\n\na:\n  # d\n  b: 1\n", "a/b", 5, 6 },
};

START_TEST(test_location)
{
	const struct loc_case *c = &loc_cases[_i];
	const struct node *root = load_str(c->src);
	ck_assert_ptr_nonnull(root);
	const struct node *n = walk(root, c->path);
	ck_assert_msg(n != NULL, "'%s': no node", c->path);
	struct loc at = node_loc(diag, file, n);
	ck_assert_msg(at.file == file && at.line == c->line && at.col == c->col,
		      "'%s' at %u:%u, want %u:%u", c->path, (unsigned)at.line,
		      (unsigned)at.col, (unsigned)c->line, (unsigned)c->col);
}
END_TEST

/* ---- scalar typing ----------------------------------------------------- */

static const struct type_case {
	const char *value; /* written after "v: " */
	enum scalar_type want;
} type_cases[] = {
	{ "1.1", SCALAR_NUMBER },
	{ "1.1.1", SCALAR_TEXT },
	{ "no", SCALAR_BOOL },
	{ "~", SCALAR_NULL },
	{ "0x10", SCALAR_NUMBER },
	{ "12:30", SCALAR_NUMBER },
	{ "2020-01-01", SCALAR_DATE },
	{ "\"1.1\"", SCALAR_TEXT },
	{ "'no'", SCALAR_TEXT },
	{ "\"~\"", SCALAR_TEXT },
	{ "''", SCALAR_TEXT },
	{ "|\n  12\n", SCALAR_TEXT },
	{ "", SCALAR_NULL },
	{ "null", SCALAR_NULL },
	{ "Null", SCALAR_NULL },
	{ "NULL", SCALAR_NULL },
	{ "true", SCALAR_BOOL },
	{ "False", SCALAR_BOOL },
	{ "TRUE", SCALAR_BOOL },
	{ "yes", SCALAR_BOOL },
	{ "NO", SCALAR_BOOL },
	{ "On", SCALAR_BOOL },
	{ "off", SCALAR_BOOL },
	{ "y", SCALAR_TEXT }, /* y and n are text, as in PyYAML */
	{ "N", SCALAR_TEXT },
	{ "0", SCALAR_NUMBER },
	{ "42", SCALAR_NUMBER },
	{ "010", SCALAR_NUMBER },
	{ "-7", SCALAR_NUMBER },
	{ "+3.5", SCALAR_NUMBER },
	{ "1.", SCALAR_NUMBER },
	{ ".5", SCALAR_NUMBER },
	{ "1e3", SCALAR_NUMBER },
	{ "1.5E-3", SCALAR_NUMBER },
	{ "6.8523015e+5", SCALAR_NUMBER },
	{ "1_000", SCALAR_NUMBER },
	{ "0o17", SCALAR_NUMBER },
	{ "0b1010", SCALAR_NUMBER },
	{ "-0xFF", SCALAR_NUMBER },
	{ "190:20:30", SCALAR_NUMBER },
	{ "1:30.5", SCALAR_NUMBER },
	{ ".inf", SCALAR_NUMBER },
	{ "-.Inf", SCALAR_NUMBER },
	{ ".NaN", SCALAR_NUMBER },
	{ "2001-12-14t21:59:43.10-05:00", SCALAR_DATE },
	{ "2001-12-14 21:59:43.10 -5", SCALAR_DATE },
	{ "abc", SCALAR_TEXT },
	{ "1.1a", SCALAR_TEXT },
	{ "v1", SCALAR_TEXT },
	{ "0x", SCALAR_TEXT },
	{ "0xg", SCALAR_TEXT },
	{ "e3", SCALAR_TEXT },
	{ "1e", SCALAR_TEXT },
	{ "12:345", SCALAR_TEXT },
	{ ".", SCALAR_TEXT },
	{ "+", SCALAR_TEXT },
	{ "inf", SCALAR_TEXT },
	{ "nan", SCALAR_TEXT },
	{ "nul", SCALAR_TEXT },
	{ "nO", SCALAR_TEXT },
	{ "yES", SCALAR_TEXT },
	{ "2020-01", SCALAR_TEXT },
	{ "20-01-01", SCALAR_TEXT },
	{ "表1", SCALAR_TEXT },
	{ "五级/初级工 %", SCALAR_TEXT },
	{ "T/HDCW 003—2024", SCALAR_TEXT },
};

START_TEST(test_type)
{
	const struct type_case *c = &type_cases[_i];
	char src[128];
	snprintf(src, sizeof src, "v: %s\n", c->value);
	const struct node *root = load_str(src);
	ck_assert_msg(root != NULL, "'%s' not loaded", c->value);
	const struct node *v = node_get(root, "v");
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(v->kind, NODE_SCALAR);
	ck_assert_msg(v->type == c->want, "'%s': type %d, want %d", c->value,
		      v->type, c->want);
}
END_TEST

START_TEST(test_type_of_keys)
{
	/* Keys are typed like values: the model refuses a key that is not
	 * text by its type. */
	const struct node *root = load_str("1.1: a\nno: b\nk: c\n");
	ck_assert_ptr_nonnull(root);
	ck_assert_uint_eq(root->count, 3);
	ck_assert_int_eq(node_keys(root)[0].type, SCALAR_NUMBER);
	ck_assert_int_eq(node_keys(root)[1].type, SCALAR_BOOL);
	ck_assert_int_eq(node_keys(root)[2].type, SCALAR_TEXT);
}
END_TEST

/* ---- styles ------------------------------------------------------------ */

static const struct style_case {
	const char *src;
	enum scalar_style style;
	const char *text;
} style_cases[] = {
	{ "v: x y\n", STYLE_PLAIN, "x y" },
	{ "v: 'x'\n", STYLE_SINGLE, "x" },
	{ "v: 'it''s'\n", STYLE_SINGLE, "it's" },
	{ "v: ''\n", STYLE_SINGLE, "" },
	{ "v: \"x\"\n", STYLE_DOUBLE, "x" },
	{ "v: \"\\u4e2d \\\"q\\\"\"\n", STYLE_DOUBLE, "中 \"q\"" },
	{ "v: \"\"\n", STYLE_DOUBLE, "" },
	{ "v: |\n  a\n  b\n", STYLE_BLOCK, "a\nb\n" },
	{ "v: |-\n  a\n  b\n", STYLE_BLOCK, "a\nb" },
	{ "v: >\n  a\n  b\n", STYLE_BLOCK, "a b\n" },
	{ "v: [x, 'y']\n", STYLE_PLAIN, "x" },
	{ "v: 中文 文本\n", STYLE_PLAIN, "中文 文本" },
	{ "v: a\n  b\n", STYLE_PLAIN, "a b" }, /* folded: no line break */
	{ "v: 'a\n  b'\n", STYLE_SINGLE, "a b" },
};

START_TEST(test_style)
{
	const struct style_case *c = &style_cases[_i];
	const struct node *root = load_str(c->src);
	ck_assert_ptr_nonnull(root);
	const struct node *v = node_get(root, "v");
	if (v->kind == NODE_SEQ)
		v = &v->items[0];
	ck_assert_int_eq(v->style, c->style);
	ck_assert_str_eq(v->text, c->text);
	ck_assert_uint_eq(v->len, strlen(c->text));
	/* Only plain scalars are ever anything but text. */
	if (c->style != STYLE_PLAIN)
		ck_assert_int_eq(v->type, SCALAR_TEXT);
}
END_TEST

START_TEST(test_tree)
{
	/* The shape of the tree: mappings keep keys and values in order,
	 * lists their items. */
	const struct node *root =
		load_str("b: [1, {x: y}]\na: {}\nc: []\nd:\n  - p\n  - q\n");
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(root->kind, NODE_MAP);
	ck_assert_uint_eq(root->count, 4);
	ck_assert_str_eq(node_keys(root)[0].text, "b");
	ck_assert_str_eq(node_keys(root)[1].text, "a");
	ck_assert_str_eq(node_keys(root)[2].text, "c");
	ck_assert_str_eq(node_keys(root)[3].text, "d");
	const struct node *b = &root->items[0];
	ck_assert_int_eq(b->kind, NODE_SEQ);
	ck_assert_uint_eq(b->count, 2);
	ck_assert_str_eq(b->items[0].text, "1");
	ck_assert_int_eq(b->items[1].kind, NODE_MAP);
	ck_assert_str_eq(node_get(&b->items[1], "x")->text, "y");
	ck_assert_int_eq(root->items[1].kind, NODE_MAP);
	ck_assert_uint_eq(root->items[1].count, 0);
	ck_assert_int_eq(root->items[2].kind, NODE_SEQ);
	ck_assert_uint_eq(root->items[2].count, 0);
	const struct node *d = &root->items[3];
	ck_assert_uint_eq(d->count, 2);
	ck_assert_str_eq(d->items[0].text, "p");
	ck_assert_str_eq(d->items[1].text, "q");
	ck_assert_uint_eq(diag_errors(diag) + diag_warnings(diag), 0);
}
END_TEST

/* A key is copied once for the whole file: the same key of another
 * mapping has the same text, a value of the same bytes a copy of its own;
 * past LOAD_SHARED_KEYS different keys, a key has a copy of its own. */
START_TEST(test_keys_shared)
{
	const struct node *root =
		load_str("id: a\nitems:\n- {id: b, text: id}\n- {id: c}\n");
	ck_assert_ptr_nonnull(root);
	const char *id = node_keys(root)[0].text;
	const struct node *items = node_get(root, "items");
	ck_assert_ptr_eq(node_keys(&items->items[0])[0].text, id);
	ck_assert_ptr_eq(node_keys(&items->items[1])[0].text, id);
	ck_assert_str_eq(items->items[0].items[1].text, "id");
	ck_assert_ptr_ne(items->items[0].items[1].text, id);

	/* keys k0 to kN, N = LOAD_SHARED_KEYS, then k0 and kN again */
	struct strbuf src = { 0 };
	for (int i = 0; i <= LOAD_SHARED_KEYS; i++)
		strbuf_addf(&src, "k%d: {}\n", i);
	strbuf_addf(&src, "again: {k0: 1, k%d: 1}\n", LOAD_SHARED_KEYS);
	root = load(src.buf, src.len);
	ck_assert_ptr_nonnull(root);
	const struct node *again = node_get(root, "again"),
			  *last = &node_keys(root)[LOAD_SHARED_KEYS];
	ck_assert_ptr_eq(node_keys(again)[0].text, node_keys(root)[0].text);
	ck_assert_str_eq(node_keys(again)[1].text, last->text);
	ck_assert_ptr_ne(node_keys(again)[1].text, last->text);
	ck_assert_uint_eq(diag_errors(diag) + diag_warnings(diag), 0);
	strbuf_free(&src);
}
END_TEST

/* Each scalar's raw text is where it stands in the source (libyaml gives
 * places in characters, load_byte turns them into bytes), after runs of
 * characters of every length (é, 中, 😀, ASCII), with a BOM before it
 * all or not. */
START_TEST(test_raw_after_wide_text)
{
	static const char *const pieces[] = { "x", "\u00e9", "\u4e2d",
					      "\U0001f600" };
	struct strbuf src = { 0 };
	if (_i)
		strbuf_adds(&src, BOM);
	for (int k = 0; k < 40; k++) {
		strbuf_addf(&src, "k%d: ", k);
		for (int j = 0; j <= k; j++)
			strbuf_adds(&src, pieces[(j * 7 + k) % 4]);
		strbuf_addf(&src, " v%d\n", k);
	}
	const struct node *root = load(src.buf, src.len);
	ck_assert_ptr_nonnull(root);
	ck_assert_uint_eq(root->count, 40);
	for (size_t k = 0; k < root->count; k++) {
		const struct node *key = &node_keys(root)[k],
				  *v = &root->items[k];
		ck_assert_uint_eq(key->raw_len, key->len);
		ck_assert(!memcmp(key->raw, key->text, key->len));
		ck_assert_uint_eq(v->raw_len, v->len);
		ck_assert_msg(!memcmp(v->raw, v->text, v->len),
			      "value %zu: raw '%.*s'", k, (int)v->raw_len,
			      v->raw);
	}
	strbuf_free(&src);
}
END_TEST

/* Places and sizes past 16 bits, and the kinds packed beside them: a
 * list on line 100,000 whose last item stands at column 90,005, and a
 * scalar of 100,000 bytes, quoted, whose kind, style and type share the
 * words of its place and its length. */
START_TEST(test_far_places)
{
	struct strbuf src = { 0 };
	for (int i = 1; i < 100000; i++)
		strbuf_addc(&src, '\n');
	strbuf_adds(&src, "k: [");
	for (int i = 0; i < 30000; i++)
		strbuf_adds(&src, "a, ");
	strbuf_adds(&src, "b]\nlong: '");
	for (int i = 0; i < 100000; i++)
		strbuf_addc(&src, 'x');
	strbuf_adds(&src, "'\n");
	const struct node *root = load(src.buf, src.len);
	ck_assert_ptr_nonnull(root);
	const struct node *k = walk(root, "k"), *b = walk(root, "k/#30000");
	ck_assert_int_eq(k->kind, NODE_SEQ);
	ck_assert_uint_eq(k->count, 30001);
	ck_assert_uint_eq(node_loc(diag, file, k).line, 100000);
	ck_assert_uint_eq(node_loc(diag, file, k).col, 4);
	ck_assert_int_eq(b->kind, NODE_SCALAR);
	ck_assert_uint_eq(node_loc(diag, file, b).line, 100000);
	ck_assert_uint_eq(node_loc(diag, file, b).col, 90005);
	ck_assert_str_eq(b->text, "b");
	const struct node *v = walk(root, "long");
	ck_assert_int_eq(v->kind, NODE_SCALAR);
	ck_assert_int_eq(v->style, STYLE_SINGLE);
	ck_assert_int_eq(v->type, SCALAR_TEXT);
	ck_assert_uint_eq(node_loc(diag, file, v).line, 100001);
	ck_assert_uint_eq(node_loc(diag, file, v).col, 7);
	ck_assert_uint_eq(v->len, 100000);
	ck_assert_uint_eq(v->raw_len, 100002);
	strbuf_free(&src);
}
END_TEST

START_TEST(test_wide_columns)
{
	/* Columns count code points, past the blocks node_loc tallies too,
	 * and a byte order mark takes none: the first line, 5,004 bytes long
	 * before "b", holds 3,004 characters. */
	struct strbuf src = { 0 };
	strbuf_adds(&src, "\xef\xbb\xbfk: [");
	for (int i = 0; i < 1000; i++)
		strbuf_adds(&src, "\xe4\xb8\xad, ");
	strbuf_adds(&src, "b]\nz: \xe4\xb8\xad\n");
	const struct node *root = load(src.buf, src.len);
	ck_assert_ptr_nonnull(root);
	const struct node *b = walk(root, "k/#1000"), *m = walk(root, "k/#999");
	ck_assert_str_eq(b->text, "b");
	ck_assert_uint_eq(node_loc(diag, file, b).line, 1);
	ck_assert_uint_eq(node_loc(diag, file, b).col, 3005);
	ck_assert_uint_eq(node_loc(diag, file, m).col, 3002);
	ck_assert_uint_eq(node_loc(diag, file, walk(root, "k")).col, 4);
	ck_assert_uint_eq(node_loc(diag, file, walk(root, "z")).line, 2);
	ck_assert_uint_eq(node_loc(diag, file, walk(root, "z")).col, 4);
	strbuf_free(&src);
}
END_TEST

/* ---- accepted ---------------------------------------------------------- */

static char *
nested(size_t depth)
{
	/* A root mapping and depth - 1 lists inside it: depth collections. */
	size_t n = depth - 1;
	char *s = arena_alloc(arena, 2 * n + 16);
	strcpy(s, "a: ");
	memset(s + 3, '[', n);
	memset(s + 3 + n, ']', n);
	strcpy(s + 3 + 2 * n, "\n");
	return s;
}

static const struct accept_case {
	const char *what;
	const char *src;
} accept_cases[] = {
	{ "UTF-8 byte order mark", BOM "a: 1\n" },
	{ "CRLF", "a: 1\r\nb:\r\n  - x\r\n" },
	{ "tab between key and value", "a:\tx\n" },
	{ "tab in a comment", "a: x #\tc\n" },
	{ "explicit document", "---\na: 1\n...\n" },
	{ "comments", "# c\na: 1 # d\n# e\n" },
	{ "quoted merge key", "\"<<\": 1\n" },
	{ "CJK keys and values", "名称: 值\n" },
	{ "no final newline", "a: 1" },
	{ "newlines in a block", "a: |\n  x\n\n  y\n" },
	{ "%YAML directive", "%YAML 1.2\n---\na: 1\n" },
	{ "character U+FFFD", "a: \xef\xbf\xbd\n" },
	{ "character U+10FFFF", "a: \xf4\x8f\xbf\xbf\n" },
	{ "same key in two mappings", "a: {k: 1}\nb: {k: 2}\n" },
	{ "keys differing in case", "k: 1\nK: 2\n" },
	{ "nine distinct keys", "a: 1\nb: 1\nc: 1\nd: 1\ne: 1\nf: 1\ng: 1\n"
				"h: 1\ni: 1\n" },
	{ NULL, NULL }, /* depth 64, built by nested() */
};
#define N_ACCEPT (sizeof accept_cases / sizeof *accept_cases)

START_TEST(test_accepted)
{
	const struct accept_case *c = &accept_cases[_i];
	const char *what = c->what ? c->what : "depth 64";
	const char *src = c->src ? c->src : nested(LOAD_MAX_DEPTH);
	const struct node *root = load_str(src);
	size_t errors = diag_errors(diag);
	ck_assert_msg(root != NULL && errors == 0, "%s: refused: %s", what,
		      flush());
	ck_assert_int_eq(root->kind, NODE_MAP);
	ck_assert_uint_eq(diag_warnings(diag), 0);
}
END_TEST

START_TEST(test_depth_64)
{
	const struct node *root = load_str(nested(LOAD_MAX_DEPTH));
	ck_assert_ptr_nonnull(root);
	size_t depth = 1;
	for (const struct node *n = &root->items[0]; n;
	     n = n->count ? &n->items[0] : NULL) {
		ck_assert_int_eq(n->kind, NODE_SEQ);
		depth++;
	}
	ck_assert_uint_eq(depth, LOAD_MAX_DEPTH);
}
END_TEST

/* ---- refused ----------------------------------------------------------- */

static const struct refusal {
	const char *what;
	const char *src;
	size_t len; /* 0: strlen(src) */
	enum rule rule;
	size_t count;
} refusals[] = {
	{ "duplicate key", "a: 1\na: 2\n", 0, RULE_DUPLICATE_KEY, 1 },
	{ "duplicate key, nested", "a:\n  b: 1\n  b: 2\n", 0,
	  RULE_DUPLICATE_KEY, 1 },
	{ "duplicate key, flow", "a: {b: 1, b: 2}\n", 0, RULE_DUPLICATE_KEY,
	  1 },
	{ "key three times", "a: 1\na: 2\na: 3\n", 0, RULE_DUPLICATE_KEY, 2 },
	{ "duplicate key, large map",
	  "k1: 1\nk2: 1\nk3: 1\nk4: 1\nk5: 1\nk6: 1\nk7: 1\nk8: 1\nk9: 1\n"
	  "k3: 2\nk10: 1\nk9: 2\n",
	  0, RULE_DUPLICATE_KEY, 2 },
	{ "duplicate key, quoted and plain", "a: 1\n'a': 2\n", 0,
	  RULE_DUPLICATE_KEY, 1 },
	{ "anchor", "a: &x 1\n", 0, RULE_YAML_FEATURE, 1 },
	{ "anchor on a mapping", "a: &x {b: 1}\n", 0, RULE_YAML_FEATURE, 1 },
	{ "anchor on a list", "a: &x [1]\n", 0, RULE_YAML_FEATURE, 1 },
	{ "alias", "a: *x\n", 0, RULE_YAML_FEATURE, 1 },
	{ "anchor and alias", "a: &x 1\nb: *x\n", 0, RULE_YAML_FEATURE, 2 },
	{ "tag", "a: !!str 1\n", 0, RULE_YAML_FEATURE, 1 },
	{ "local tag", "a: !foo x\n", 0, RULE_YAML_FEATURE, 1 },
	{ "non-specific tag", "a: ! x\n", 0, RULE_YAML_FEATURE, 1 },
	{ "tag on a list", "a: !!seq [1]\n", 0, RULE_YAML_FEATURE, 1 },
	{ "tag on the root", "--- !!map\na: 1\n", 0, RULE_YAML_FEATURE, 1 },
	{ "%TAG", "%TAG !e! tag:example.com,2000:\n---\na: 1\n", 0,
	  RULE_YAML_FEATURE, 1 },
	{ "merge key", "a: {b: 1}\n<<: {c: 2}\n", 0, RULE_YAML_FEATURE, 1 },
	{ "complex key", "? [a]\n: 1\n", 0, RULE_YAML_FEATURE, 1 },
	{ "mapping as key", "? {a: 1}\n: 1\n", 0, RULE_YAML_FEATURE, 1 },
	{ "second document", "a: 1\n---\nb: 2\n", 0, RULE_YAML_FEATURE, 1 },
	{ "second document after ...", "a: 1\n...\n---\nb: 2\n", 0,
	  RULE_YAML_FEATURE, 1 },
	{ "empty", "", 0, RULE_EMPTY_FILE, 1 },
	{ "comment only", "# nothing here\n# at all\n", 0, RULE_EMPTY_FILE, 1 },
	{ "blank lines only", "\n  \n\n", 0, RULE_EMPTY_FILE, 1 },
	{ "document marker only", "---\n", 0, RULE_EMPTY_FILE, 1 },
	{ "root is a list", "- a\n- b\n", 0, RULE_TYPE, 1 },
	{ "root is text", "just text\n", 0, RULE_TYPE, 1 },
	{ "root is a number", "42\n", 0, RULE_TYPE, 1 },
	{ "invalid UTF-8", "a: \xff\n", 0, RULE_ENCODING, 1 },
	{ "overlong UTF-8", "a: \xc0\x80\n", 0, RULE_ENCODING, 1 },
	{ "UTF-8 surrogate", "a: \xed\xa0\x80\n", 0, RULE_ENCODING, 1 },
	{ "truncated UTF-8", "a: \xe4\xb8", 0, RULE_ENCODING, 1 },
	{ "Latin-1", "a: caf\xe9\n", 0, RULE_ENCODING, 1 },
	{ "NUL", "a: b\0c\n", 7, RULE_ENCODING, 1 },
	{ "UTF-16LE BOM", "\377\376a\0:\0 \0001\0\n\0", 12, RULE_ENCODING, 1 },
	{ "UTF-16BE BOM", "\376\377\0a\0:\0 \0001\0\n", 12, RULE_ENCODING, 1 },
	{ "UTF-16 without BOM", "a\0:\0 \0001\0\n\0", 10, RULE_ENCODING, 1 },
	{ "byte order mark inside", "a: x\xef\xbb\xbfy\n", 0, RULE_ENCODING,
	  1 },
	{ "control character", "a: x\x01y\n", 0, RULE_CONTROL_CHAR, 1 },
	{ "DEL", "a: x\x7f\n", 0, RULE_CONTROL_CHAR, 1 },
	{ "C1 control", "a: x\xc2\x85y\n", 0, RULE_CONTROL_CHAR, 1 },
	{ "line separator", "a: x\xe2\x80\xa8y\n", 0, RULE_CONTROL_CHAR, 1 },
	{ "noncharacter U+FFFE", "a: \xef\xbf\xbe\n", 0, RULE_CONTROL_CHAR, 1 },
	{ "two control characters", "a: \x02\nb: \x1b\n", 0, RULE_CONTROL_CHAR,
	  2 },
	{ "escaped control", "a: \"x\\x01y\"\n", 0, RULE_CONTROL_CHAR, 1 },
	{ "escaped NUL", "a: \"x\\0y\"\n", 0, RULE_CONTROL_CHAR, 1 },
	{ "escaped tab", "a: \"x\\ty\"\n", 0, RULE_CONTROL_CHAR, 1 },
	{ "escaped BOM", "a: \"\\uFEFF\"\n", 0, RULE_CONTROL_CHAR, 1 },
	{ "escaped next-line", "a: \"\\N\"\n", 0, RULE_CONTROL_CHAR, 1 },
	{ "tab in text", "a: x\ty\n", 0, RULE_CONTROL_CHAR, 1 },
	/* A blank line inside a flow scalar folds to a line break in its
	 * text: only a block scalar may hold one. */
	{ "line break in plain text", "a: x\n\n  y\n", 0, RULE_CONTROL_CHAR,
	  1 },
	{ "line break in quoted text", "a: 'x\n\n  y'\n", 0, RULE_CONTROL_CHAR,
	  1 },
	{ "escaped line break", "a: \"x\\ny\"\n", 0, RULE_CONTROL_CHAR, 1 },
	{ "tab in a block", "a: |\n  x\ty\n", 0, RULE_CONTROL_CHAR, 1 },
	{ "control in a key", "\"k\\x01\": 1\n", 0, RULE_CONTROL_CHAR, 1 },
	{ "unclosed list", "a: [1\n", 0, RULE_YAML_SYNTAX, 1 },
	{ "value in a plain scalar", "a: b: c\n", 0, RULE_YAML_SYNTAX, 1 },
	{ "bad indentation", "a:\n  b: 1\n c: 2\n", 0, RULE_YAML_SYNTAX, 1 },
	{ "tab indentation", "a:\n\tb: 1\n", 0, RULE_YAML_SYNTAX, 1 },
	{ NULL, NULL, 0, RULE_DEPTH, 1 }, /* depth 65, built by nested() */
};
#define N_REFUSALS (sizeof refusals / sizeof *refusals)

START_TEST(test_refused)
{
	const struct refusal *c = &refusals[_i];
	const char *what = c->what ? c->what : "depth 65";
	const char *src = c->src ? c->src : nested(LOAD_MAX_DEPTH + 1);
	const struct node *root = load(src, c->len ? c->len : strlen(src));
	size_t count = diag_rule_count(diag, c->rule);
	size_t errors = diag_errors(diag);
	ck_assert_msg(root == NULL, "%s: loaded", what);
	ck_assert_msg(count == c->count && errors == c->count,
		      "%s: %zu under %s and %zu errors, want %zu of each:\n%s",
		      what, count, rule_table[c->rule].name, errors, c->count,
		      flush());
}
END_TEST

/* Where a refusal is reported, and under which rule. */
static const struct refusal_at {
	const char *src;
	const char *head; /* the first line up to the message */
	const char *tail; /* and from the rule's tag on */
} refusals_at[] = {
	{ "a: 1\nb: 2\na: 3\n", "t.yaml:3:1: error: ",
	  " [SK0003 duplicate-key]\nt.yaml:1:1: note: first given here\n" },
	{ "名: 1\nb: \xff\n", "t.yaml:2:4: error: ", " [SK0002 encoding]\n" },
	{ "名: 中\x01\n", "t.yaml:1:5: error: ", " [SK0007 control-char]\n" },
	{ "a:\n  b: &x 1\n",
	  "t.yaml:2:6: error: ", " [SK0004 yaml-feature]\n" },
	{ "a: 1\n---\nb: 2\n",
	  "t.yaml:2:1: error: ", " [SK0004 yaml-feature]\n" },
	{ "a:\n  中: \"x\\ty\"\n",
	  "t.yaml:2:6: error: ", " [SK0007 control-char]\n" },
	{ "# only\n", "t.yaml:1:1: error: ", " [SK0005 empty-file]\n" },
	{ "- a\n", "t.yaml:1:1: error: ", " [SK0010 type]\n" },
	/* after a byte order mark, columns count from the first character
	 * of the line, as for the file's bytes */
	{ BOM "a: \"x\\ty\"\n",
	  "t.yaml:1:4: error: ", " [SK0007 control-char]\n" },
	{ BOM "a: x\x01\n", "t.yaml:1:5: error: ", " [SK0007 control-char]\n" },
};

START_TEST(test_refusal_at)
{
	const struct refusal_at *c = &refusals_at[_i];
	ck_assert_ptr_null(load_str(c->src));
	const char *s = flush();
	size_t hlen = strlen(c->head), tlen = strlen(c->tail), len = strlen(s);
	ck_assert_msg(len > hlen + tlen && !strncmp(s, c->head, hlen) &&
			      !strcmp(s + len - tlen, c->tail),
		      "got '%s', want '%s...%s'", s, c->head, c->tail);
	/* one report: a single line before the tail */
	ck_assert_ptr_null(memchr(s, '\n', len - tlen));
}
END_TEST

/* A buffer past LOAD_MAX_BYTES is refused whole, before a byte is read:
 * a node's 29-bit places hold no more. The pages are mapped, never
 * touched. */
START_TEST(test_over_bytes)
{
	size_t len = LOAD_MAX_BYTES + 1;
	void *p =
		mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	ck_assert_ptr_null(load(p, len));
	const char *s = flush();
	ck_assert_msg(!strcmp(s, "t.yaml: error: the file is larger than the "
				 "limit of 256 MiB [SK0021 limit]\n"),
		      "got '%s'", s);
	munmap(p, len);
}
END_TEST

/* "k: " and a double-quoted scalar whose line breaks are escaped, m of
 * them alone on their lines: its value "ab" (pad: "abc"), its bytes in the
 * source 2m + 4 (pad: 2m + 5). */
static const struct node *
load_escaped_lines(struct strbuf *src, size_t m, bool pad)
{
	strbuf_adds(src, "k: \"a");
	strbuf_grow(src, 2 * m);
	for (size_t i = 0; i < m; i++)
		memcpy(src->buf + src->len + 2 * i, "\\\n", 2);
	src->len += 2 * m;
	strbuf_adds(src, pad ? "bc\"\n" : "b\"\n");
	return load(src->buf, src->len);
}

/* Each case loads 32 MiB: one a test, so that each has the whole of
 * Check's time limit. */
START_TEST(test_raw_limit)
{
	struct strbuf src = { 0 };
	if (_i == 0) {
		/* One byte under LOAD_MAX_RAW: its size reads back whole. */
		const struct node *root =
			load_escaped_lines(&src, ((size_t)1 << 24) - 3, true);
		ck_assert_ptr_nonnull(root);
		const struct node *k = node_get(root, "k");
		ck_assert_str_eq(k->text, "abc");
		ck_assert_uint_eq(k->raw_len, LOAD_MAX_RAW - 1);
		ck_assert_uint_eq(k->raw[k->raw_len - 1], '"');
		ck_assert_str_eq(flush(), "");
	} else if (_i == 1) {
		/* At it: refused, where it starts. */
		ck_assert_ptr_null(
			load_escaped_lines(&src, ((size_t)1 << 24) - 2, false));
		const char *s = flush();
		ck_assert_msg(!strcmp(s,
				      "t.yaml:1:4: error: a scalar takes "
				      "33554432 bytes of the file; it must "
				      "take less than 32 MiB [SK0021 limit]\n"),
			      "got '%s'", s);
	} else {
		/* Past both limits: the value's error alone. */
		strbuf_adds(&src, "k: ");
		strbuf_grow(&src, LOAD_MAX_RAW);
		memset(src.buf + src.len, 'a', LOAD_MAX_RAW);
		src.len += LOAD_MAX_RAW;
		strbuf_addc(&src, '\n');
		ck_assert_ptr_null(load(src.buf, src.len));
		const char *s = flush();
		ck_assert_msg(!strcmp(s, "t.yaml:1:4: error: a scalar of "
					 "33554432 bytes, over the limit of 1 "
					 "MiB [SK0021 limit]\n"),
			      "got '%s'", s);
	}
	strbuf_free(&src);
}
END_TEST

/* ---- helpers ----------------------------------------------------------- */

START_TEST(test_node_get)
{
	const struct node *root = load_str("a: 1\nb: {c: 2}\n\"\": e\n");
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(node_get(root, "a")->text, "1");
	ck_assert_str_eq(node_get(node_get(root, "b"), "c")->text, "2");
	ck_assert_str_eq(node_get(root, "")->text, "e");
	ck_assert_ptr_null(node_get(root, "c"));
	ck_assert_ptr_null(node_get(root, "A"));
	ck_assert_ptr_null(node_get(NULL, "a"));
}
END_TEST

static const struct kind_case {
	const char *value;
	const char *want;
} kind_cases[] = {
	{ "{}", "mapping" }, { "[]", "list" },	       { "x", "text" },
	{ "'1'", "text" },   { "1", "number" },	       { "yes", "boolean" },
	{ "~", "null" },     { "2020-01-01", "date" },
};

START_TEST(test_kind_name)
{
	const struct kind_case *c = &kind_cases[_i];
	char src[64];
	snprintf(src, sizeof src, "v: %s\n", c->value);
	const struct node *root = load_str(src);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(node_kind_name(node_get(root, "v")), c->want);
}
END_TEST

START_TEST(test_read)
{
	const char *path = unit_path(arena, UNIT_FIVE);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	char *buf = NULL;
	size_t len = 0;
	ck_assert_int_eq(load_read(arena, path, &buf, &len), 0);
	ck_assert_uint_eq(len, (size_t)st.st_size);
	ck_assert_int_eq(buf[len], '\0');
	ck_assert_int_eq(strncmp(buf, "# yaml-language-server", 22), 0);
	/* and what it read loads */
	ck_assert_ptr_nonnull(load_buffer(arena, diag, path, buf, len));
	ck_assert_uint_eq(diag_errors(diag), 0);
}
END_TEST

START_TEST(test_read_missing)
{
	char *buf = NULL;
	size_t len = 0;
	const char *path = unit_path(arena, "no-such-file.yaml");
	ck_assert_int_eq(load_read(arena, path, &buf, &len), ENOENT);
}
END_TEST

START_TEST(test_read_directory)
{
	char *buf = NULL;
	size_t len = 0;
	const char *path = unit_path(arena, "data");
	ck_assert_int_eq(load_read(arena, path, &buf, &len), EISDIR);
}
END_TEST

/* a (frozen) and b (loaded from the same bytes) are the same tree: every
 * field, each node at the same offset of its source. */
static void
same_tree(const struct node *a, const char *abuf, const struct node *b,
	  const char *bbuf, const char *path)
{
	long at = (long)(a->raw - abuf);
	ck_assert_msg(at == (long)(b->raw - bbuf),
		      "%s: byte %ld is %ld when loaded", path, at,
		      (long)(b->raw - bbuf));
	ck_assert_msg(a->kind == b->kind && a->type == b->type &&
			      a->style == b->style,
		      "%s at byte %ld: kind, type or style differ", path, at);
	if (a->kind == NODE_SCALAR) {
		ck_assert_msg(a->len == b->len &&
				      !memcmp(a->text, b->text, a->len + 1),
			      "%s at byte %ld: '%s' is '%s' when loaded", path,
			      at, a->text, b->text);
		ck_assert_msg(a->raw_len == b->raw_len,
			      "%s at byte %ld: raw text differs", path, at);
		return;
	}
	ck_assert_msg(a->count == b->count, "%s at byte %ld: %u entries, %u",
		      path, at, a->count, b->count);
	for (size_t i = 0; i < a->count; i++) {
		if (a->kind == NODE_MAP)
			same_tree(&node_keys(a)[i], abuf, &node_keys(b)[i],
				  bbuf, path);
		same_tree(&a->items[i], abuf, &b->items[i], bbuf, path);
	}
}

static void
check_frozen(const struct embedded_file *f)
{
	ck_assert_ptr_nonnull(f->root);
	/* A copy of the bytes, so that no raw pointer can match by chance. */
	char *copy = arena_strndup(arena, (const char *)f->bytes, f->len);
	const struct node *loaded =
		load_buffer(arena, diag, f->name, copy, f->len);
	ck_assert_ptr_nonnull(loaded);
	ck_assert_uint_eq(diag_errors(diag) + diag_warnings(diag), 0);
	same_tree(f->root, (const char *)f->bytes, loaded, copy, f->name);
	/* load_embedded gives the frozen tree, and quotes its bytes. */
	ck_assert_ptr_eq(load_embedded(arena, diag, f), f->root);
}

START_TEST(test_frozen_rules)
{
	check_frozen(&embedded_rules);
}
END_TEST

START_TEST(test_frozen_profile)
{
	check_frozen(&embedded_profiles[_i]);
}
END_TEST

/* tests/data/frozen-*.yaml: empty lists and mappings, a mapping alone,
 * flow collections, escapes, block scalars, a byte order mark. */
extern const struct embedded_file test_frozen[];
extern const size_t test_frozen_count;

START_TEST(test_frozen_shapes)
{
	check_frozen(&test_frozen[_i]);
}
END_TEST

static Suite *
load_suite(void)
{
	Suite *s = suite_create("load");
	TCase *tc;

	tc = tcase_create("locations");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_location, 0,
			    sizeof loc_cases / sizeof *loc_cases);
	suite_add_tcase(s, tc);

	tc = tcase_create("types");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_type, 0,
			    sizeof type_cases / sizeof *type_cases);
	tcase_add_test(tc, test_type_of_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("styles");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_style, 0,
			    sizeof style_cases / sizeof *style_cases);
	tcase_add_test(tc, test_tree);
	tcase_add_test(tc, test_keys_shared);
	tcase_add_loop_test(tc, test_raw_after_wide_text, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("accepted");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_accepted, 0, N_ACCEPT);
	tcase_add_test(tc, test_depth_64);
	suite_add_tcase(s, tc);

	tc = tcase_create("refused");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_refused, 0, N_REFUSALS);
	tcase_add_loop_test(tc, test_refusal_at, 0,
			    sizeof refusals_at / sizeof *refusals_at);
	suite_add_tcase(s, tc);

	tc = tcase_create("helpers");
	/* test_raw_limit loads 32 MiB a case: past Check's 4 s under the
	 * sanitizers on a busy machine. */
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_over_bytes);
	tcase_add_loop_test(tc, test_raw_limit, 0, 3);
	tcase_add_test(tc, test_far_places);
	tcase_add_test(tc, test_wide_columns);
	tcase_add_test(tc, test_node_get);
	tcase_add_loop_test(tc, test_kind_name, 0,
			    sizeof kind_cases / sizeof *kind_cases);
	tcase_add_test(tc, test_read);
	tcase_add_test(tc, test_read_missing);
	tcase_add_test(tc, test_read_directory);
	suite_add_tcase(s, tc);

	tc = tcase_create("frozen");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_frozen_rules);
	tcase_add_loop_test(tc, test_frozen_profile, 0,
			    (int)embedded_profiles_count);
	tcase_add_loop_test(tc, test_frozen_shapes, 0, (int)test_frozen_count);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(load_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
