/*
 * freeze.c - the loader's trees of the files built into skillc, made when
 * skillc is built.
 *
 *   freeze SYMBOL OUTPUT.c INPUT NAME
 *       const struct embedded_file SYMBOL: INPUT's bytes and their tree
 *   freeze --table SYMBOL OUTPUT.c (INPUT NAME)...
 *       const struct embedded_file SYMBOL[], and SYMBOL_count
 *
 * NAME is the path diagnostics show (schema/text-rules.yaml). Every run
 * reads the shipped text rules and profiles: parsing them took a sixth of
 * the time of checking a bundled standard. So this program runs the loader
 * (load.c, the very code skillc runs) over them once, at build time, and
 * writes the trees it makes as C data: nodes, the texts of the scalars and
 * the source bytes, which every node's raw and the diagnostics' quotes
 * point into. skillc reads the tree as load_buffer would have made it
 * (load_embedded); test_load checks that the two are the same, node for
 * node. A file the loader reports anything on fails the build.
 *
 * The nodes are written breadth first, so the children of a list or a
 * mapping (its items, then its keys) are consecutive in one array, as the
 * loader's arrays of children are. Everything written is ASCII: other
 * bytes are escapes.
 */
#include "skillc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* diag_format.c names the built-in files, which this program makes. */
const struct embedded_file embedded_rules;
const struct embedded_file embedded_profiles[1];
const size_t embedded_profiles_count = 0;

static FILE *out;

/* decl = { the len bytes of p, then a NUL }; */
static void
bytes_array(const char *decl, const unsigned char *p, size_t len)
{
	fprintf(out, "%s = {", decl);
	for (size_t i = 0; i < len; i++)
		fprintf(out, "%s0x%02x,", i % 12 ? " " : "\n\t", p[i]);
	fputs("\n\t0x00,\n};\n", out);
}

static void
c_string(const char *s)
{
	putc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '?')
			putc(c, out);
		else
			fprintf(out, "\\%03o", c);
	}
	putc('"', out);
}

/* The nodes of root, breadth first, into *order; how many. */
static size_t
breadth_first(struct arena *a, const struct node *root,
	      const struct node ***order)
{
	size_t n = 1, cap = 64;
	const struct node **q = malloc(cap * sizeof *q);
	if (!q)
		die_oom();
	q[0] = root;
	for (size_t i = 0; i < n; i++) {
		const struct node *p = q[i];
		if (p->kind == NODE_SCALAR)
			continue;
		size_t more = p->count * (p->kind == NODE_MAP ? 2 : 1);
		while (n + more > cap) {
			cap *= 2;
			q = realloc(q, cap * sizeof *q);
			if (!q)
				die_oom();
		}
		for (size_t k = 0; k < more; k++)
			q[n++] = &p->items[k]; /* a mapping's keys follow */
	}
	*order = arena_array(a, n, sizeof **order);
	memcpy(*order, q, n * sizeof *q);
	free(q);
	return n;
}

/* One file: its name, bytes, texts and nodes, as statics suffixed k. */
static void
freeze_file(struct arena *a, size_t k, const char *path, const char *name)
{
	char *buf;
	size_t len;
	int err = load_read(a, path, &buf, &len);
	if (err) {
		fprintf(stderr, "freeze: cannot read '%s': %s\n", path,
			strerror(err));
		exit(1);
	}
	struct diag *d = diag_new(a);
	const struct node *root = load_buffer(a, d, name, buf, len);
	if (!root || diag_errors(d) || diag_warnings(d)) {
		diag_flush(d, stderr, false);
		fprintf(stderr, "freeze: '%s' must load without a finding\n",
			path);
		exit(1);
	}
	const struct node **order;
	size_t n = breadth_first(a, root, &order);

	/* The texts, each once, NUL-terminated, at the offsets in at. */
	struct hash *seen = hash_new(a, n);
	size_t *at = arena_array(a, n, sizeof *at);
	struct strbuf texts = { 0 };
	for (size_t i = 0; i < n; i++) {
		const struct node *p = order[i];
		if (p->kind != NODE_SCALAR)
			continue;
		const size_t *off = hash_get(seen, p->text, p->len);
		if (!off) {
			size_t *o = arena_alloc(a, sizeof *o);
			*o = texts.len;
			strbuf_add(&texts, p->text, p->len);
			strbuf_addc(&texts, '\0');
			hash_put(seen, p->text, p->len, o);
			off = o;
		}
		at[i] = *off;
	}

	fprintf(out, "\n/* %s */\nstatic const char name%zu[] = ", name, k);
	c_string(name);
	fputs(";\n", out);
	char decl[64];
	snprintf(decl, sizeof decl, "static const unsigned char bytes%zu[]", k);
	bytes_array(decl, (const unsigned char *)buf, len);
	snprintf(decl, sizeof decl, "static const unsigned char texts%zu[]", k);
	if (texts.len) /* none, in {} alone: an unused array is an error */
		bytes_array(decl, (const unsigned char *)texts.buf, texts.len);
	strbuf_free(&texts);

	/* The children of an empty list or mapping at the end start just
	 * past the last node. */
	fprintf(out, "static const struct node nodes%zu[%zu];\n", k, n);
	fprintf(out, "static const struct node nodes%zu[%zu] = {\n", k, n);
	size_t next = 1; /* the first child of the next list or mapping */
	for (size_t i = 0; i < n; i++) {
		const struct node *p = order[i];
		if (p->raw < buf || p->raw + p->raw_len > buf + len) {
			fprintf(stderr,
				"freeze: a node of '%s' outside its source\n",
				path);
			exit(1);
		}
		fprintf(out,
			"\t{ .kind = %u, .type = %u, .style = %u, "
			".raw = (const char *)&bytes%zu[%zu],\n\t  ",
			(unsigned)p->kind, (unsigned)p->type,
			(unsigned)p->style, k, (size_t)(p->raw - buf));
		if (p->kind == NODE_SCALAR) {
			fprintf(out,
				".text = (const char *)&texts%zu[%zu], "
				".len = %u, .raw_len = %u },\n",
				k, at[i], (unsigned)p->len,
				(unsigned)p->raw_len);
			continue;
		}
		fprintf(out,
			".items = (struct node *)&nodes%zu[%zu], .count = %u },\n",
			k, next, (unsigned)p->count);
		next += p->count * (p->kind == NODE_MAP ? 2 : 1);
	}
	fputs("};\n", out);
}

int
main(int argc, char **argv)
{
	bool table = argc > 1 && !strcmp(argv[1], "--table");
	argv += table, argc -= table;
	if (argc < 5 || (argc - 3) % 2 || (!table && argc != 5)) {
		fputs("usage: freeze [--table] SYMBOL OUTPUT.c (INPUT NAME)...\n",
		      stderr);
		return 2;
	}
	const char *symbol = argv[1], *path = argv[2];
	size_t files = (size_t)(argc - 3) / 2;
	out = fopen(path, "w");
	if (!out) {
		perror(path);
		return 1;
	}
	struct arena *a = arena_new();
	fputs("/* Generated by freeze.c from", out);
	for (size_t i = 0; i < files; i++)
		fprintf(out, "%s %s", i ? "," : "", argv[4 + 2 * i]);
	fputs("; do not edit. */\n#include \"skillc.h\"\n", out);
	for (size_t i = 0; i < files; i++)
		freeze_file(a, i, argv[3 + 2 * i], argv[4 + 2 * i]);
	fprintf(out, "\nconst struct embedded_file %s%s = ", symbol,
		table ? "[]" : "");
	fputs(table ? "{\n" : "", out);
	for (size_t i = 0; i < files; i++)
		fprintf(out,
			"%s{ name%zu, bytes%zu, sizeof bytes%zu - 1, "
			"&nodes%zu[0] }%s\n",
			table ? "\t" : "", i, i, i, i, table ? "," : ";");
	if (table)
		fprintf(out, "};\nconst size_t %s_count = %zu;\n", symbol,
			files);
	arena_free(a);
	if (fclose(out)) {
		perror(path);
		return 1;
	}
	return 0;
}
