/*
 * baseline.c - findings accepted before: --baseline FILE.
 *
 * Takes: a baseline file (JSON, docs/suppressions.md), then each standard's
 * findings once the passes are done. Gives: the findings the baseline
 * holds dropped, so that a run reports only new ones; with
 * --update-baseline, every finding dropped and recorded instead, and the
 * file written at the end of the run (output.c: whole or not at all, and
 * not touched when its bytes are the same).
 *
 * A finding is known by its file (as the command line names it), its rule
 * ID, the text of its source line (blanks at either end dropped, each run
 * of blanks inside made one space, at most BASELINE_TEXT_MAX bytes) and
 * its occurrence: the how-manyth finding with that file, rule and text, in
 * the order they are printed. No line or column: adding or removing lines
 * elsewhere changes nothing; changing the line of a finding makes it new.
 * Findings of the input format's rules are never recorded or dropped.
 * The file is deterministic: files in byte order of their names, each
 * file's findings in the order they are printed, one a line.
 */
#include "skillc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BASELINE_VERSION  1
#define BASELINE_TEXT_MAX 1024

struct entry {
	const char *rule, *name, *text, *message; /* name, message: or NULL */
	size_t occurrence;
};

struct bfile {
	const char *path;
	struct entry *list;
	size_t n, cap;
};

struct baseline {
	struct arena *arena;
	const char *path;
	bool update;
	struct hash *files; /* path -> struct bfile */
	struct bfile **order;
	size_t nfiles, files_cap;
	struct hash *keys; /* key() of every entry read -> the entry */
};

/* "./a.yaml" and "a.yaml" are one file. */
static const char *
file_name(const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		for (path += 2; *path == '/';)
			path++;
	return path;
}

/* The name as a baseline can hold it: JSON is UTF-8, so each byte of an
 * invalid sequence becomes U+FFFD, in what is written and what is matched. */
static const char *
utf8_name(struct arena *a, const char *path)
{
	struct strbuf sb = { 0 };
	size_t len = strlen(path);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode((const unsigned char *)path + i, len - i,
				       &cp);
		strbuf_add(&sb, n ? path + i : "\xef\xbf\xbd", n ? n : 3);
		i += n ? n : 1;
	}
	const char *name = arena_strndup(a, sb.buf ? sb.buf : "", sb.len);
	strbuf_free(&sb);
	return name;
}

static struct bfile *
bfile(struct baseline *b, const char *path)
{
	path = utf8_name(b->arena, file_name(path));
	struct bfile *f = hash_get(b->files, path, strlen(path));
	if (f)
		return f;
	f = arena_alloc(b->arena, sizeof *f);
	f->path = arena_strndup(b->arena, path, strlen(path));
	hash_put(b->files, f->path, strlen(f->path), f);
	if (b->nfiles == b->files_cap) {
		b->files_cap = b->files_cap ? b->files_cap * 2 : 16;
		struct bfile **v =
			arena_array(b->arena, b->files_cap, sizeof *v);
		if (b->nfiles)
			memcpy(v, b->order, b->nfiles * sizeof *v);
		b->order = v;
	}
	b->order[b->nfiles++] = f;
	return f;
}

static struct entry *
add_entry(struct baseline *b, struct bfile *f)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		struct entry *v = arena_array(b->arena, f->cap, sizeof *v);
		if (f->n)
			memcpy(v, f->list, f->n * sizeof *v);
		f->list = v;
	}
	return &f->list[f->n++];
}

/* What a finding is known by: file, rule and text, then the occurrence. */
static void
key(struct strbuf *sb, const char *file, const char *rule, const char *text,
    size_t occurrence)
{
	strbuf_reset(sb);
	strbuf_adds(sb, file);
	strbuf_addc(sb, '\0');
	strbuf_adds(sb, rule);
	strbuf_addc(sb, '\0');
	strbuf_adds(sb, text);
	strbuf_addc(sb, '\0');
	strbuf_addf(sb, "%zu", occurrence);
}

/* ---- reading ------------------------------------------------------------ */

static const struct node *
member(const struct node *map, const char *name)
{
	for (size_t i = 0; i < map->count; i++)
		if (!strcmp(node_keys(map)[i].text, name))
			return &map->items[i];
	return NULL;
}

/* The keys of map all among names; false after reporting. */
static bool
known_keys(struct diag *d, const char *path, const struct node *map,
	   const char *const *names, size_t n)
{
	bool ok = true;
	for (size_t i = 0; i < map->count; i++) {
		size_t k = 0;
		while (k < n && strcmp(node_keys(map)[i].text, names[k]))
			k++;
		if (k == n) {
			diag_report(d, RULE_UNKNOWN_KEY,
				    node_loc(d, path, &node_keys(map)[i]),
				    "a baseline has no key '%s'",
				    node_keys(map)[i].text);
			ok = false;
		}
	}
	return ok;
}

/* A text member of an entry; NULL after reporting, or when optional and
 * absent. */
static const char *
text_member(struct diag *d, const char *path, const struct node *map,
	    const char *name, bool required, bool *ok)
{
	const struct node *v = member(map, name);
	if (!v && required) {
		diag_report(d, RULE_MISSING_KEY, node_loc(d, path, map),
			    "a finding of a baseline needs '%s'", name);
		*ok = false;
	} else if (v && (v->kind != NODE_SCALAR || v->style == STYLE_PLAIN)) {
		/* JSON's strings are quoted; 108, null, true are not */
		diag_report(d, RULE_TYPE, node_loc(d, path, v),
			    "'%s' of a finding is a string", name);
		*ok = false;
	} else if (v) {
		return v->text;
	}
	return NULL;
}

/* A count written as decimal digits, or -1. */
static long long
count(const struct node *v)
{
	if (!v || v->kind != NODE_SCALAR || v->style != STYLE_PLAIN ||
	    !v->len || v->len > 9 || (v->len > 1 && v->text[0] == '0'))
		return -1;
	long long n = 0;
	for (size_t i = 0; i < v->len; i++) {
		if (v->text[i] < '0' || v->text[i] > '9')
			return -1;
		n = n * 10 + (v->text[i] - '0');
	}
	return n;
}

static bool
read_entry(struct baseline *b, struct diag *d, const struct node *n,
	   struct strbuf *sb)
{
	static const char *const names[] = { "file", "rule",	   "name",
					     "text", "occurrence", "message" };
	if (n->kind != NODE_MAP) {
		diag_report(d, RULE_TYPE, node_loc(d, b->path, n),
			    "a finding of a baseline is an object");
		return false;
	}
	bool ok =
		known_keys(d, b->path, n, names, sizeof names / sizeof *names);
	const char *file = text_member(d, b->path, n, "file", true, &ok);
	const char *rule = text_member(d, b->path, n, "rule", true, &ok);
	const char *text = text_member(d, b->path, n, "text", true, &ok);
	const char *name = text_member(d, b->path, n, "name", false, &ok);
	const char *message = text_member(d, b->path, n, "message", false, &ok);
	const struct node *occ = member(n, "occurrence");
	long long k = count(occ);
	if (!occ) {
		diag_report(d, RULE_MISSING_KEY, node_loc(d, b->path, n),
			    "a finding of a baseline needs 'occurrence'");
		ok = false;
	} else if (k < 0) {
		diag_report(d, RULE_INTEGER, node_loc(d, b->path, occ),
			    "'occurrence' of a finding is a count: 0, 1, 2...");
		ok = false;
	}
	if (!ok)
		return false;
	struct bfile *f = bfile(b, file);
	struct entry *e = add_entry(b, f);
	*e = (struct entry){ rule, name, text, message, (size_t)k };
	key(sb, f->path, rule, text, e->occurrence);
	hash_put(b->keys, arena_strndup(b->arena, sb->buf, sb->len), sb->len,
		 e);
	return true;
}

static bool
read_document(struct baseline *b, struct diag *d, const struct node *root)
{
	static const char *const names[] = { "version", "findings" };
	if (!member(root, names[0]) && !member(root, names[1])) {
		diag_report(
			d, RULE_MISSING_KEY, node_loc(d, b->path, root),
			"not a baseline: it has no 'version' and no 'findings'");
		return false;
	}
	bool ok = known_keys(d, b->path, root, names, 2);
	const struct node *v = member(root, "version");
	const struct node *list = member(root, "findings");
	for (size_t i = 0; i < 2; i++)
		if (!member(root, names[i])) {
			diag_report(d, RULE_MISSING_KEY,
				    node_loc(d, b->path, root),
				    "a baseline needs '%s'", names[i]);
			ok = false;
		}
	if (v && count(v) != BASELINE_VERSION) {
		diag_report(
			d, RULE_VALUE, node_loc(d, b->path, v),
			"a baseline of version '%s'; this skillc reads version %d",
			v->kind == NODE_SCALAR ? v->text : "?",
			BASELINE_VERSION);
		return false; /* the rest may mean something else */
	}
	if (list && list->kind != NODE_SEQ) {
		diag_report(d, RULE_TYPE, node_loc(d, b->path, list),
			    "'findings' of a baseline is a list");
		return false;
	}
	struct strbuf sb = { 0 };
	for (size_t i = 0; list && i < list->count; i++)
		ok = read_entry(b, d, &list->items[i], &sb) && ok;
	strbuf_free(&sb);
	return ok;
}

struct baseline *
baseline_read(struct arena *a, struct diag *d, const char *path, bool update)
{
	struct baseline *b = arena_alloc(a, sizeof *b);
	*b = (struct baseline){ .arena = a,
				.path = path,
				.update = update,
				.files = hash_new(a, 16),
				.keys = hash_new(a, 64) };
	char *buf;
	size_t len;
	int err = load_read(a, path, &buf, &len);
	if (err == ENOENT && update)
		return b; /* written at the end of the run */
	if (err) {
		diag_fatal("cannot read '%s': %s", path, strerror(err));
		return NULL;
	}
	const struct node *root = load_buffer(a, d, path, buf, len);
	return root && read_document(b, d, root) ? b : NULL;
}

/* ---- a standard's findings ---------------------------------------------- */

struct apply {
	struct baseline *b;
	struct arena *arena; /* the standard's */
	const struct unit *u;
	const char *file;
	struct bfile *f; /* updating: the standard's entries */
	size_t *lines;	 /* offsets of the line starts of u->buf */
	size_t nlines;
	struct hash *seen; /* rule, text -> occurrences so far (size_t *) */
	bool c_header;	   /* written: its guarded rules are never dropped */
	struct strbuf text, key; /* text: "" while text.buf is NULL */
};

static const char *
text(const struct apply *ap)
{
	return ap->text.buf ? ap->text.buf : "";
}

static bool
is_break(const char *buf, size_t len, size_t i)
{
	return buf[i] == '\n' ||
	       (buf[i] == '\r' && (i + 1 == len || buf[i + 1] != '\n'));
}

static void
index_lines(struct apply *ap)
{
	const char *buf = ap->u->buf;
	size_t len = ap->u->len, n = 1;
	for (size_t i = 0; i < len; i++)
		n += is_break(buf, len, i);
	ap->lines = arena_array(ap->arena, n, sizeof *ap->lines);
	ap->lines[ap->nlines++] =
		len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3) ? 3 : 0;
	for (size_t i = 0; i < len; i++)
		if (is_break(buf, len, i))
			ap->lines[ap->nlines++] = i + 1;
}

/* The text of the line of at, as a baseline holds it. */
static void
line_text(struct apply *ap, struct loc at)
{
	strbuf_reset(&ap->text);
	if (!at.file || !at.line || strcmp(at.file, ap->u->path))
		return;
	if (!ap->lines)
		index_lines(ap);
	if (at.line > ap->nlines)
		return;
	const char *s = ap->u->buf + ap->lines[at.line - 1];
	const char *end = ap->u->buf + ap->u->len;
	bool blank = false;
	for (; s < end && *s != '\n' && *s != '\r'; s++) {
		if (*s == ' ' || *s == '\t') {
			blank = ap->text.len > 0;
			continue;
		}
		size_t k = utf8_decode((const unsigned char *)s,
				       (size_t)(end - s), &(uint32_t){ 0 });
		k = k ? k : 1;
		if (ap->text.len + blank + k > BASELINE_TEXT_MAX)
			break;
		if (blank)
			strbuf_addc(&ap->text, ' ');
		blank = false;
		strbuf_add(&ap->text, s, k);
		s += k - 1;
	}
}

/* The how-manyth finding of its rule on a line of this text. */
static size_t
occurrence(struct apply *ap, const char *rule)
{
	key(&ap->key, "", rule, text(ap), 0);
	size_t *n = hash_get(ap->seen, ap->key.buf, ap->key.len);
	if (!n) {
		n = arena_alloc(ap->arena, sizeof *n);
		hash_put(ap->seen,
			 arena_strndup(ap->arena, ap->key.buf, ap->key.len),
			 ap->key.len, n);
	}
	return (*n)++;
}

static bool
accepted(void *ctx, const struct diag_finding *f)
{
	struct apply *ap = ctx;
	const struct rule_info *info = diag_rule(ap->u->diag, f->rule);
	line_text(ap, f->loc);
	size_t k = occurrence(ap, info->id);
	if (ap->c_header && build_c_guarded(f->rule))
		return false;
	if (!ap->b->update) {
		key(&ap->key, ap->file, info->id, text(ap), k);
		return hash_get(ap->b->keys, ap->key.buf, ap->key.len) != NULL;
	}
	struct arena *a = ap->b->arena;
	struct entry *e = add_entry(ap->b, ap->f);
	*e = (struct entry){
		arena_strndup(a, info->id, strlen(info->id)),
		arena_strndup(a, info->name, strlen(info->name)),
		arena_strndup(a, text(ap), ap->text.len),
		arena_strndup(a, f->msg, strlen(f->msg)),
		k,
	};
	return true;
}

void
baseline_apply(struct baseline *b, struct arena *a, const struct unit *u,
	       bool c_header)
{
	struct apply ap = { .b = b,
			    .arena = a,
			    .u = u,
			    .file = utf8_name(a, file_name(u->path)),
			    .seen = hash_new(a, 16),
			    .c_header = c_header };
	if (b->update) {
		ap.f = bfile(b, u->path);
		ap.f->n = 0; /* this run's findings replace those read */
	}
	diag_filter(u->diag, accepted, &ap);
	strbuf_free(&ap.text);
	strbuf_free(&ap.key);
}

/* ---- writing ------------------------------------------------------------ */

static int
bfile_cmp(const void *pa, const void *pb)
{
	const struct bfile *const *a = pa, *const *b = pb;
	return strcmp((*a)->path, (*b)->path);
}

void
baseline_render(const struct baseline *b, struct strbuf *out)
{
	struct bfile **files = calloc(b->nfiles + 1, sizeof *files);
	if (!files)
		die_oom();
	if (b->nfiles)
		memcpy(files, b->order, b->nfiles * sizeof *files);
	qsort(files, b->nfiles, sizeof *files, bfile_cmp);
	strbuf_addf(out, "{\n  \"version\": %d,\n  \"findings\": [",
		    BASELINE_VERSION);
	const char *sep = "\n";
	for (size_t i = 0; i < b->nfiles; i++)
		for (size_t k = 0; k < files[i]->n; k++) {
			const struct entry *e = &files[i]->list[k];
			strbuf_adds(out, sep);
			strbuf_adds(out, "    {\"file\": ");
			strbuf_add_json(out, files[i]->path,
					strlen(files[i]->path));
			strbuf_adds(out, ", \"rule\": ");
			strbuf_add_json(out, e->rule, strlen(e->rule));
			if (e->name) {
				strbuf_adds(out, ", \"name\": ");
				strbuf_add_json(out, e->name, strlen(e->name));
			}
			strbuf_adds(out, ", \"text\": ");
			strbuf_add_json(out, e->text, strlen(e->text));
			strbuf_addf(out, ", \"occurrence\": %zu",
				    e->occurrence);
			if (e->message) {
				strbuf_adds(out, ", \"message\": ");
				strbuf_add_json(out, e->message,
						strlen(e->message));
			}
			strbuf_adds(out, "}");
			sep = ",\n";
		}
	strbuf_adds(out, *sep == ',' ? "\n  ]\n}\n" : "]\n}\n");
	free(files);
}

int
baseline_write(const struct baseline *b)
{
	/* Never over a standard, a rules file or a profile: none of them
	 * reads as a baseline, so the run stopped before. */
	if (!b->update)
		return 0;
	struct strbuf sb = { 0 };
	baseline_render(b, &sb);
	struct output_set *set = output_begin(&b->path, 1);
	const char *failed = b->path;
	int err = output_stage(set, b->path, sb.buf, sb.len, NULL);
	if (!err)
		err = output_commit(set, &failed);
	output_end(set);
	strbuf_free(&sb);
	return err ? diag_fatal("cannot write '%s': %s", failed,
				output_strerror(err))
		   : 0;
}
