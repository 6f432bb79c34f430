/*
 * unit.h - what the unit suites share: the test data directory, reading a
 * file of it, small edits of a source, running the passes, and reading
 * the members of a zip (a Word document) back.
 *
 * SKILLC_TEST_DATA names tests/ (tests/meson.build sets it). Everything is
 * allocated from the arena the caller passes, so freeing that arena frees
 * it all. The functions are static inline: a suite that does not use one
 * gets no unused-function warning.
 */
#ifndef SKILLC_UNIT_H
#define SKILLC_UNIT_H

#include "skillc.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* tests/ relative paths of the sources the suites read. */
#define UNIT_MINIMAL "schema/minimal.yaml"
#define UNIT_FIVE    "data/five-level.yaml"
#define UNIT_BUNDLED "../standard/med-aesthetic-internet-operator.yaml"

/* The path of rel under tests/, in the arena. */
static inline const char *
unit_path(struct arena *a, const char *rel)
{
	const char *dir = getenv("SKILLC_TEST_DATA");
	ck_assert_msg(dir != NULL, "SKILLC_TEST_DATA is not set");
	size_t dlen = strlen(dir), rlen = strlen(rel);
	char *p = arena_alloc(a, dlen + rlen + 2);
	memcpy(p, dir, dlen);
	p[dlen] = '/';
	memcpy(p + dlen + 1, rel, rlen);
	return p;
}

/* The bytes of rel under tests/, NUL-terminated, in the arena. */
static inline char *
unit_read(struct arena *a, const char *rel, size_t *len)
{
	char *buf = NULL;
	int err = load_read(a, unit_path(a, rel), &buf, len);
	ck_assert_msg(err == 0, "cannot read %s: %s", rel, strerror(err));
	return buf;
}

/* One edit of a source: the first `from` after the first `after` (after
 * NULL: from the start) becomes `to`. */
struct unit_edit {
	const char *after, *from, *to;
};

#define UNIT_MAX_EDITS 3

/* src with edits applied in order, in the arena. An edit whose text is not
 * found fails the test: a case must never silently test the unedited
 * source. Edits with from == NULL are skipped. */
static inline char *
unit_apply(struct arena *a, const char *src, const struct unit_edit *edits,
	   size_t *len)
{
	char *cur = arena_strndup(a, src, strlen(src));
	for (size_t i = 0; i < UNIT_MAX_EDITS && edits[i].from; i++) {
		const struct unit_edit *e = &edits[i];
		const char *start = cur;
		if (e->after) {
			start = strstr(cur, e->after);
			ck_assert_msg(start != NULL, "edit %zu: '%s' not found",
				      i, e->after);
		}
		const char *at = strstr(start, e->from);
		ck_assert_msg(at != NULL, "edit %zu: '%s' not found", i,
			      e->from);
		size_t head = (size_t)(at - cur), flen = strlen(e->from);
		size_t tlen = strlen(e->to), rest = strlen(at + flen);
		char *next = arena_alloc(a, head + tlen + rest + 1);
		memcpy(next, cur, head);
		memcpy(next + head, e->to, tlen);
		memcpy(next + head + tlen, at + flen, rest);
		cur = next;
	}
	*len = strlen(cur);
	return cur;
}

/* Load and model rel under tests/ with edits (NULL for none); the model,
 * or NULL. *root gets the loaded tree, or NULL if loading failed. */
static inline struct standard *
unit_build(struct arena *a, struct diag *d, const char *rel,
	   const struct unit_edit *edits, const struct node **root)
{
	size_t len;
	char *buf = unit_read(a, rel, &len);
	if (edits)
		buf = unit_apply(a, buf, edits, &len);
	const char *path = unit_path(a, rel);
	const struct node *r = load_buffer(a, d, path, buf, len);
	if (root)
		*root = r;
	return r ? model_build(a, d, path, r) : NULL;
}

/* Print what d holds to stderr when want differs from got, so that a
 * failing case shows its diagnostics; returns got. */
static inline size_t
unit_explain(struct diag *d, size_t want, size_t got)
{
	if (want != got)
		diag_flush(d, stderr, false);
	return got;
}

/* Every text value a model walk shows that the source gives, and
 * whether the C header holds its field (FIELD_C): model_walk(shape, model,
 * unit_gather_texts, &texts) after setting texts.n to 0. */
struct unit_texts {
	struct text *t[4096];
	bool c[4096];
	size_t n;
};

static inline bool
unit_gather_texts(void *ctx, const struct walk_step *st)
{
	struct unit_texts *all = ctx;
	enum field_type type = st->field->type;
	if (st->event != WALK_VALUE || (type != F_TEXT && type != F_KEY &&
					type != F_TEXTS && type != F_KEYS))
		return true;
	struct text *t = (struct text *)st->value;
	if (!t->at.given)
		return true;
	ck_assert_uint_lt(all->n, 4096);
	all->c[all->n] = st->field->flags & FIELD_C;
	all->t[all->n++] = t;
	return true;
}

/* Append to xml the members of the zip in buf (a Word document) in their
 * order, or only the member named, if any; fails the test if buf is not a
 * sound zip or has no such member. */
static inline void
unit_unzip(const char *buf, size_t len, const char *member, struct strbuf *xml)
{
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = zip_source_buffer_create(buf, len, 0, &err);
	ck_assert_ptr_nonnull(src);
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
	ck_assert_msg(z != NULL, "not a zip: %s", zip_error_strerror(&err));
	bool found = false;
	for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); i++) {
		if (member &&
		    strcmp(zip_get_name(z, (zip_uint64_t)i, 0), member))
			continue;
		found = true;
		zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
		ck_assert_ptr_nonnull(f);
		char chunk[4096];
		zip_int64_t n;
		while ((n = zip_fread(f, chunk, sizeof chunk)) > 0)
			strbuf_add(xml, chunk, (size_t)n);
		ck_assert_int_eq(n, 0);
		zip_fclose(f);
	}
	ck_assert_msg(found || !member, "no member %s", member);
	zip_close(z);
	zip_error_fini(&err);
}

#endif
