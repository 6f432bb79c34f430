/*
 * fix.c - skillc fix: the text rules' replacements, made in the source.
 *
 * Takes: a path; then the tree of its bytes and the replacements the text
 * rules propose. Gives: the file rewritten with every replacement that can
 * be made, the rest of its bytes as they were, or the file untouched and a
 * reason. Guarantees:
 *   - only a regular file this user may write is fixed, never through a
 *     symbolic link; the new file keeps its mode, owner and group; the
 *     directory is locked from before the file is read until it is
 *     replaced, and the file must still hold what was read (otherwise
 *     someone else's change would be lost: refused);
 *   - text changes, structure never: after each round of replacements the
 *     result is read again, and every scalar must hold what it held, or
 *     exactly the intended text for the ones replaced in, with the same
 *     YAML type. Where raw replacement changes what YAML reads (a '#' now
 *     after a space, a plain 'yes', an empty plain scalar), the scalar is
 *     written double-quoted instead; what even that cannot keep is refused;
 *   - one replacement can make another possible (',' to '，' to '、'), so
 *     fix works in rounds, at most FIX_ROUNDS; a rule whose replacement it
 *     matches again would grow the file for ever, and rules that have not
 *     settled by the last round undo each other: both are errors in the
 *     rules, reported where the rule is written, and nothing is written;
 *   - the result has no error, by rule, that the file did not have; and
 *     no error at all: a file that would keep one is not written (exit
 *     1), its findings reported as they stand;
 *   - what is reported is what was done (stdout) and what remains (the
 *     findings of the result, where they now stand), not what was fixed;
 *   - --dry-run only reads: no lock, no write. It prints the unified diff
 *     from the file to the result, found from the bytes each round copied
 *     (every other byte changed), and places what remains in the file as
 *     it is through the same copies.
 */
#include "skillc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FIX_ROUNDS 4

struct fix {
	const char *path;
	struct output_set *set;
	struct output_keep keep;
};

/* Bytes a round wrote, in the buffer it made: a rule that replaces inside
 * its own replacement of the round before is faulty. */
struct inserted {
	size_t start, end;
	const struct text_rule *def;
};

struct round {
	struct arena *arena;
	const char *path; /* of the file, and so of every tree read of it */
	const char *buf;
	size_t len;
	const struct node *root;
	struct diag *source; /* holds buf, where root's nodes stand */
	struct edit *edits;  /* sorted; those applied come first */
	size_t nedits;
	/* Replaced scalars, by where they start in buf (RAW_KEY): two
	 * scalars that hold bytes never start at one byte. */
	struct hash *intended; /* -> struct intended: its new value */
	struct hash *quote;    /* -> its start: write it quoted */
	struct strbuf out;
	struct inserted *ins;
	size_t nins, ins_cap;
	struct fix_seg *segs; /* the bytes out copies from buf */
	size_t nsegs, segs_cap;
};

static int
fix_error(const char *path, int err)
{
	return diag_fatal("cannot fix '%s': %s", path, output_strerror(err));
}

/* Take path for fixing: lock its directory, refuse what fix must not
 * rewrite, read it into the arena. 0 and *out, or an errno value or
 * OUTPUT_* error, with nothing printed and nothing held. */
static int
fix_open(struct arena *a, const char *path, bool dry_run, struct fix **out,
	 char **buf, size_t *len)
{
	struct fix *f = arena_alloc(a, sizeof *f);
	f->path = path;
	*out = NULL;
	/* Locked first, so that two runs fixing one file take turns: the
	 * second reads what the first wrote. A dry run only reads. */
	f->set = dry_run ? NULL : output_begin(&path, 1);
	int err = 0;
	/* Never blocks: a FIFO is refused, not waited on. */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		err = errno == ELOOP ? OUTPUT_SYMLINK : errno;
	else if (fstat(fd, &st))
		err = errno;
	else if (S_ISDIR(st.st_mode))
		err = EISDIR;
	else if (!S_ISREG(st.st_mode))
		err = OUTPUT_NOT_REGULAR;
	else if (!dry_run && (!(st.st_mode & 0222) ||
			      faccessat(AT_FDCWD, path, W_OK, AT_EACCESS)))
		err = EACCES; /* read-only: a file its owner protects, too */
	else
		err = load_read_fd(a, fd, buf, len);
	if (fd >= 0)
		close(fd);
	if (err) {
		if (f->set)
			output_end(f->set);
		return err;
	}
	f->keep = (struct output_keep){ *buf,	   *len,       st.st_dev,
					st.st_ino, st.st_mode, st.st_uid,
					st.st_gid };
	*out = f;
	return 0;
}

/* ---- one round -------------------------------------------------------- */

static int
edit_cmp(const void *pa, const void *pb)
{
	const struct edit *a = pa, *b = pb;
	return a->start < b->start ? -1 : a->start > b->start;
}

#define RAW_KEY(pp) ((const char *)(pp)), sizeof *(pp)

/* A replaced scalar's new value, under its first byte. */
struct intended {
	const char *raw;
	struct text value;
};

/* Sort the edits and keep those that do not overlap one before them
 * (the others wait for the next round); note each scalar's new value. */
static size_t
choose(struct round *r)
{
	qsort(r->edits, r->nedits, sizeof *r->edits, edit_cmp);
	size_t kept = 0;
	const char *done = r->buf;
	for (size_t i = 0; i < r->nedits; i++)
		if (r->edits[i].start >= done) {
			done = r->edits[i].end;
			struct edit e = r->edits[kept];
			r->edits[kept++] = r->edits[i];
			r->edits[i] = e;
		}
	r->intended = hash_new(r->arena, kept);
	r->quote = hash_new(r->arena, 4);
	for (size_t i = 0; i < kept;) {
		const struct text *n = r->edits[i].text;
		struct strbuf v = { 0 };
		size_t from = 0;
		struct intended *t = arena_alloc(r->arena, sizeof *t);
		t->raw = r->edits[i].raw;
		for (; i < kept && r->edits[i].text == n; i++) {
			strbuf_add(&v, n->s + from, r->edits[i].vstart - from);
			strbuf_add(&v, r->edits[i].value,
				   r->edits[i].value_len);
			from = r->edits[i].vend;
		}
		strbuf_add(&v, n->s + from, n->len - from);
		t->value.s = arena_strndup(r->arena, v.buf ? v.buf : "", v.len);
		t->value.len = v.len;
		t->value.at = n->at;
		hash_put(r->intended, RAW_KEY(&t->raw), t);
		strbuf_free(&v);
	}
	return kept;
}

static void
note_inserted(struct round *r, size_t start, const struct text_rule *def)
{
	if (r->nins == r->ins_cap) {
		r->ins_cap = r->ins_cap ? r->ins_cap * 2 : 64;
		r->ins = realloc(r->ins, r->ins_cap * sizeof *r->ins);
		if (!r->ins)
			die_oom();
	}
	r->ins[r->nins++] = (struct inserted){ start, r->out.len, def };
}

/* s as the inside of a double-quoted YAML scalar. */
static void
quote_into(struct strbuf *sb, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			strbuf_addc(sb, '\\'), strbuf_addc(sb, (char)c);
		else if (c == '\n')
			strbuf_adds(sb, "\\n");
		else if (c == '\t')
			strbuf_adds(sb, "\\t");
		else if (c < 0x20 || c == 0x7f)
			strbuf_addf(sb, "\\x%02x", c);
		else
			strbuf_addc(sb, (char)c);
	}
}

/* Copy len bytes of the round's buffer at s into its new one, and note
 * where they went. */
static void
copy(struct round *r, const char *s, size_t len)
{
	if (!len)
		return;
	if (r->nsegs == r->segs_cap) {
		r->segs_cap = r->segs_cap ? r->segs_cap * 2 : 64;
		struct fix_seg *v =
			arena_array(r->arena, r->segs_cap, sizeof *v);
		if (r->nsegs)
			memcpy(v, r->segs, r->nsegs * sizeof *v);
		r->segs = v;
	}
	r->segs[r->nsegs++] =
		(struct fix_seg){ (size_t)(s - r->buf), r->out.len, len };
	strbuf_add(&r->out, s, len);
}

/* Part of a scalar (its value n, its bytes at raw) written quoted: where
 * it is as written (a plain scalar's text is its bytes) and needs no
 * escape, a copy too. */
static void
quote_part(struct round *r, const struct text *n, const char *raw, size_t from,
	   size_t len)
{
	bool same = n->at.raw_len == n->len && !memcmp(raw, n->s, n->len);
	for (size_t i = 0; same && i < len; i++) {
		unsigned char c = (unsigned char)n->s[from + i];
		same = c != '"' && c != '\\' && c >= 0x20 && c != 0x7f;
	}
	if (same)
		copy(r, raw + from, len);
	else
		quote_into(&r->out, n->s + from, len);
}

/* Write the applied edits into the round's buffer: raw, or the whole
 * scalar double-quoted where r->quote says. */
static void
rewrite(struct round *r, size_t applied)
{
	strbuf_reset(&r->out);
	r->nins = 0;
	r->nsegs = 0;
	const char *done = r->buf;
	for (size_t i = 0; i < applied;) {
		const struct edit *e = &r->edits[i];
		const struct text *n = e->text;
		const char *raw = e->raw;
		if (!hash_get(r->quote, RAW_KEY(&raw))) {
			copy(r, done, (size_t)(e->start - done));
			size_t at = r->out.len;
			strbuf_adds(&r->out, e->with);
			note_inserted(r, at, e->def);
			done = e->end;
			i++;
			continue;
		}
		copy(r, done, (size_t)(raw - done));
		strbuf_addc(&r->out, '"');
		size_t from = 0;
		for (; i < applied && r->edits[i].text == n; i++) {
			const struct edit *k = &r->edits[i];
			quote_part(r, n, raw, from, k->vstart - from);
			size_t at = r->out.len;
			quote_into(&r->out, k->value, k->value_len);
			note_inserted(r, at, k->def);
			from = k->vend;
		}
		quote_part(r, n, raw, from, n->len - from);
		strbuf_addc(&r->out, '"');
		done = raw + n->at.raw_len;
	}
	copy(r, done, (size_t)(r->buf + r->len - done));
}

/* What reading the result again shows. */
struct proof {
	bool broken;		  /* a change no quoting can be blamed for */
	const struct node *wrong; /* a replaced scalar that came out wrong */
	struct loc where;
};

static bool
same_scalar(const struct node *a, const struct node *b, const char *s,
	    size_t len)
{
	return b->kind == NODE_SCALAR && b->type == a->type && b->len == len &&
	       !memcmp(b->text, s, len);
}

/* Walk the tree before and after side by side. */
static void
prove(const struct round *r, const struct node *a, const struct node *b,
      struct proof *p)
{
	if (p->broken)
		return;
	if (a->kind != b->kind ||
	    (a->kind != NODE_SCALAR && a->count != b->count)) {
		p->broken = true, p->where = node_loc(r->source, r->path, a);
		return;
	}
	if (a->kind == NODE_SCALAR) {
		/* a scalar of no bytes is never replaced, and may start where
		 * one that is does */
		const struct intended *in =
			a->raw_len ? hash_get(r->intended, RAW_KEY(&a->raw))
				   : NULL;
		const struct text *want = in ? &in->value : NULL;
		if (!want && !same_scalar(a, b, a->text, a->len))
			p->broken = true,
			p->where = node_loc(r->source, r->path, a);
		else if (want && !same_scalar(a, b, want->s, want->len) &&
			 !p->wrong)
			p->wrong = a,
			p->where = node_loc(r->source, r->path, a);
		return;
	}
	for (size_t i = 0; i < a->count; i++) {
		if (a->kind == NODE_MAP &&
		    !same_scalar(&node_keys(a)[i], &node_keys(b)[i],
				 node_keys(a)[i].text, node_keys(a)[i].len)) {
			p->broken = true,
			p->where =
				node_loc(r->source, r->path, &node_keys(a)[i]);
			return;
		}
		prove(r, &a->items[i], &b->items[i], p);
	}
}

static struct proof
check_round(struct round *r)
{
	struct arena *a = arena_new();
	struct diag *quiet = diag_new(a);
	const struct node *after = load_buffer(
		a, quiet, r->path, r->out.buf ? r->out.buf : "", r->out.len);
	struct proof p = { 0 };
	if (!after)
		p.broken = true,
		p.where = node_loc(r->source, r->path, r->root);
	else
		prove(r, r->root, after, &p);
	arena_free(a);
	return p;
}

static bool
is_flow(unsigned style)
{
	return style != STYLE_BLOCK;
}

/* Make the round's new buffer and prove it; false with *why where no
 * way of writing the replacements keeps the structure. */
static bool
make_round(struct round *r, size_t applied, struct loc *why)
{
	rewrite(r, applied);
	struct proof p = check_round(r);
	/* Quote what came out wrong; where the damage cannot be pinned on
	 * one scalar, quote every replaced one that can be quoted. */
	for (int attempt = 0; attempt < 2 && (p.broken || p.wrong); attempt++) {
		for (size_t i = 0; i < applied; i++) {
			const struct edit *e = &r->edits[i];
			if ((p.broken || (p.wrong && e->raw == p.wrong->raw)) &&
			    is_flow(e->text->at.style))
				hash_put(r->quote, RAW_KEY(&e->raw),
					 (void *)e->raw);
		}
		if (p.wrong && !is_flow(p.wrong->style))
			break;
		rewrite(r, applied);
		p = check_round(r);
	}
	*why = p.where;
	return !p.broken && !p.wrong;
}

/* ---- the rounds ------------------------------------------------------- */

/* The passes over a buffer with the diagnostics kept quiet: its tree
 * (NULL if it has no model), its edits, and its errors by rule (counts
 * has as many entries as the run has rules). */
static const struct node *
quiet_passes(struct run *run, struct arena *a, const char *path,
	     const char *buf, size_t len, struct edit **edits, size_t *n,
	     size_t *counts)
{
	struct unit u = { .path = path, .buf = buf, .len = len };
	pipeline_passes(run, a, &u, PIPE_EDITS);
	*edits = u.edits, *n = u.nedits;
	if (counts)
		diag_error_counts(u.diag, counts,
				  diag_rule_total(pipeline_diag(run)));
	return u.std ? u.root : NULL;
}

/* Rules of a standard's own are read again each round: one rule, one ID. */
static bool
same_rule(const struct text_rule *a, const struct text_rule *b)
{
	return a == b || !strcmp(a->id.s, b->id.s);
}

/* A rule that replaced inside what it wrote the round before. Both lists
 * are sorted and their ranges do not overlap: one walk. An edit that
 * deletes nothing inserts at its start, which counts as one byte. */
static const struct edit *
faulty(const struct round *r, size_t applied, const struct inserted *ins,
       size_t nins)
{
	size_t j = 0;
	for (size_t i = 0; i < applied; i++) {
		const struct edit *e = &r->edits[i];
		size_t s = (size_t)(e->start - r->buf);
		size_t t =
			e->end > e->start ? (size_t)(e->end - r->buf) : s + 1;
		while (j < nins && ins[j].end <= s)
			j++;
		for (size_t k = j; k < nins && ins[k].start < t; k++)
			if (same_rule(ins[k].def, e->def) &&
			    ins[k].start < ins[k].end)
				return e;
	}
	return NULL;
}

/* The copies from a buffer A to B (acc) and from B to C (next), as the
 * copies from A to C: both are in the order of B. */
static struct fix_seg *
compose(struct arena *a, const struct fix_seg *acc, size_t nacc,
	const struct fix_seg *next, size_t nnext, size_t *n)
{
	struct fix_seg *out = arena_array(a, nacc + nnext + 1, sizeof *out);
	size_t i = 0, j = 0;
	*n = 0;
	while (i < nacc && j < nnext) {
		size_t b0 = acc[i].to, b1 = b0 + acc[i].len;
		size_t c0 = next[j].from, c1 = c0 + next[j].len;
		size_t lo = b0 > c0 ? b0 : c0, hi = b1 < c1 ? b1 : c1;
		if (lo < hi)
			out[(*n)++] = (struct fix_seg){ acc[i].from + (lo - b0),
							next[j].to + (lo - c0),
							hi - lo };
		if (b1 <= c1)
			i++;
		else
			j++;
	}
	return out;
}

/* A diag that holds buf as path's source: where node_loc finds the
 * nodes of a round's tree. */
static struct diag *
round_source(struct arena *a, const char *path, const char *buf, size_t len)
{
	struct diag *d = diag_new(a);
	diag_add_source(d, path, buf, len);
	return d;
}

/* Why the replacements of rule def cannot be made: they undo another
 * rule's and are undone (endless false), or the rule matches what it
 * put (endless true). A rule the file itself gives is where this round
 * read it: after the first round, a line and column of that round's
 * bytes, which differ from the file's only where a replacement before
 * the rule changed a line's length. */
static void
report_rule(struct diag *d, const struct round *r, const struct text_rule *def,
	    bool endless)
{
	struct place at =
		def->replacement.at.given ? def->replacement.at : def->at;
	struct diag *in = def->file == r->path ? r->source : d;
	struct loc loc = place_loc(in, def->file, def->buf, at);
	const char *name = def->name.s;
	/* a rule with spellings makes one replacement for each */
	bool several = def->n_spellings;
	if (endless && several)
		diag_report(
			d, RULE_TEXT_RULE, loc,
			"the replacements of rule '%s' is matched by the rule again, so it would be applied without end",
			name);
	else if (endless)
		diag_report(
			d, RULE_TEXT_RULE, loc,
			"the replacement of rule '%s' is matched by the rule again, so it would be applied without end",
			name);
	else if (several)
		diag_report(
			d, RULE_TEXT_RULE, loc,
			"the replacements of rule '%s' did not settle: rules undo each other's replacements",
			name);
	else
		diag_report(
			d, RULE_TEXT_RULE, loc,
			"the replacement of rule '%s' did not settle: rules undo each other's replacements",
			name);
}

int
fix_text(struct run *run, struct arena *a, const struct unit *u,
	 struct fixed *out)
{
	struct diag *d = u->diag;
	const char *path = u->path, *buf = u->buf;
	size_t len = u->len;
	struct round r = { .arena = a,
			   .path = path,
			   .buf = buf,
			   .len = len,
			   .root = u->root,
			   .source = round_source(a, path, buf, len),
			   .edits = u->edits,
			   .nedits = u->nedits };
	struct inserted *before = NULL;
	size_t nbefore = 0;
	int status = 0;
	*out = (struct fixed){ buf, len, 0, { 0 }, NULL, 0 };
	/* The copies from the file to the latest round's bytes. */
	struct fix_seg *segs = arena_alloc(a, sizeof *segs);
	size_t nsegs = len > 0;
	*segs = (struct fix_seg){ 0, 0, len };
	for (int round = 0; r.nedits && !status; round++) {
		if (round == FIX_ROUNDS) {
			/* Still proposing: rules that undo each other. */
			struct hash *said = hash_new(a, 8); /* once a rule */
			for (size_t i = 0; i < r.nedits; i++) {
				const struct text *id = &r.edits[i].def->id;
				if (!hash_put(said, id->s, id->len, (void *)id))
					report_rule(d, &r, r.edits[i].def,
						    false);
			}
			status = 1;
			break;
		}
		size_t applied = choose(&r);
		const struct edit *bad = faulty(&r, applied, before, nbefore);
		if (bad) {
			report_rule(d, &r, bad->def, true);
			status = 1;
			break;
		}
		struct loc why;
		if (!make_round(&r, applied, &why)) {
			status = diag_fatal(
				"cannot fix '%s': the replacements would change the YAML structure at line %u",
				path, (unsigned)why.line);
			break;
		}
		for (size_t i = 0; i < applied; i++) {
			const struct edit *e = &r.edits[i];
			strbuf_addf(
				&out->report,
				/* TRANSLATORS: a line of skillc fix's
				 * report: the file, line and column, the
				 * text replaced, its replacement, the rule's
				 * ID and name. */
				_("%s:%u:%u: replaced '%.*s' with '%s' [%s %s]"),
				path, (unsigned)e->at.line, (unsigned)e->at.col,
				(int)(e->end - e->start), e->start, e->with,
				e->def->id.s, e->def->name.s);
			strbuf_addc(&out->report, '\n');
			if (hash_get(r.quote, RAW_KEY(&e->raw)) &&
			    (i + 1 == applied ||
			     r.edits[i + 1].text != e->text)) {
				struct loc quoted = place_loc(
					r.source, path, r.buf, e->text->at);
				strbuf_addf(
					&out->report,
					/* TRANSLATORS: a line of skillc fix's
					 * report, after a replacement in a
					 * YAML scalar that had to be
					 * quoted. */
					_("%s:%u:%u: quoted the text, so that YAML reads it as written"),
					path, (unsigned)quoted.line,
					(unsigned)quoted.col);
				strbuf_addc(&out->report, '\n');
			}
		}
		out->total += applied;
		segs = compose(a, segs, nsegs, r.segs, r.nsegs, &nsegs);
		free(before);
		before = r.ins, nbefore = r.nins;
		r.ins = NULL, r.nins = r.ins_cap = 0;
		r.buf = arena_strndup(a, r.out.buf ? r.out.buf : "", r.out.len);
		r.len = r.out.len;
		r.source = round_source(a, path, r.buf, r.len);
		r.root = quiet_passes(run, a, path, r.buf, r.len, &r.edits,
				      &r.nedits, NULL);
		if (!r.root)
			r.nedits = 0;
	}
	free(before);
	free(r.ins);
	strbuf_free(&r.out);
	if (!status && out->total) {
		/* No error the file did not have, rule by rule. */
		size_t nrules = diag_rule_total(pipeline_diag(run));
		size_t *was = arena_array(a, nrules + 1, sizeof *was);
		size_t *now = arena_array(a, nrules + 1, sizeof *now);
		struct edit *ignored;
		size_t nignored;
		quiet_passes(run, a, path, buf, len, &ignored, &nignored, was);
		quiet_passes(run, a, path, r.buf, r.len, &ignored, &nignored,
			     now);
		for (size_t i = 0; i < nrules && !status; i++)
			if (now[i] > was[i]) {
				const struct rule_info *info =
					diag_rule(d, (int)i);
				status = diag_fatal(
					"cannot fix '%s': the result would have an error the file does not have [%s %s]",
					path, info->id, info->name);
			}
	}
	if (!status)
		out->buf = r.buf, out->len = r.len;
	if (!status)
		out->segs = segs, out->nsegs = nsegs;
	return status;
}

/* ---- what fix would change: a unified diff --------------------------- */

#define DIFF_CONTEXT 3

/* The lines of a text as diff counts them: each ends after a '\n'. */
struct text_lines {
	const char *s;
	size_t len;
	size_t *start; /* n + 1 entries: the last is len */
	size_t n;
};

static void
text_lines(struct arena *a, struct text_lines *t, const char *s, size_t len)
{
	size_t n = len && s[len - 1] != '\n';
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	*t = (struct text_lines){ s, len, arena_array(a, n + 1, sizeof(size_t)),
				  0 };
	if (len)
		t->start[t->n++] = 0;
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == '\n')
			t->start[t->n++] = i + 1;
	t->start[t->n] = len;
}

/* The line (0-based) that holds byte off; t->n for the end. */
static size_t
line_of(const struct text_lines *t, size_t off)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) { /* the first line that starts after off */
		size_t mid = lo + (hi - lo) / 2;
		if (t->start[mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return off >= t->len ? t->n : lo - 1;
}

/* A run of changed lines: [a, a + na) of the file, [b, b + nb) of the
 * result. */
struct block {
	size_t a, na, b, nb;
};

static void
diff_line(struct strbuf *out, char mark, const struct text_lines *t, size_t i)
{
	size_t from = t->start[i], to = t->start[i + 1];
	strbuf_addc(out, mark);
	strbuf_add(out, t->s + from, to - from);
	if (t->s[to - 1] != '\n')
		strbuf_adds(out, "\n\\ No newline at end of file\n");
}

static void
diff_range(struct strbuf *out, size_t start, size_t n)
{
	if (n == 1)
		strbuf_addf(out, "%zu", start + 1);
	else
		strbuf_addf(out, "%zu,%zu", n ? start + 1 : start, n);
}

/* Print the hunk of blocks [first, last]. */
static void
diff_hunk(struct strbuf *out, const struct text_lines *a,
	  const struct text_lines *b, const struct block *blk, size_t first,
	  size_t last)
{
	size_t before =
		blk[first].a < DIFF_CONTEXT ? blk[first].a : DIFF_CONTEXT;
	size_t end = blk[last].a + blk[last].na;
	size_t after = a->n - end < DIFF_CONTEXT ? a->n - end : DIFF_CONTEXT;
	size_t a0 = blk[first].a - before, b0 = blk[first].b - before;
	size_t na = end + after - a0;
	size_t nb = blk[last].b + blk[last].nb + after - b0;
	strbuf_adds(out, "@@ -");
	diff_range(out, a0, na);
	strbuf_adds(out, " +");
	diff_range(out, b0, nb);
	strbuf_adds(out, " @@\n");
	size_t at = a0;
	for (size_t k = first; k <= last; k++) {
		for (; at < blk[k].a; at++)
			diff_line(out, ' ', a, at);
		for (size_t i = 0; i < blk[k].na; i++)
			diff_line(out, '-', a, blk[k].a + i);
		for (size_t i = 0; i < blk[k].nb; i++)
			diff_line(out, '+', b, blk[k].b + i);
		at = blk[k].a + blk[k].na;
	}
	for (; at < end + after; at++)
		diff_line(out, ' ', a, at);
}

/* The unified diff of the file (old) and what fix makes of it, as diff -u
 * and git print it. Every byte outside the copies changed: each run of
 * them, widened to whole lines, is a block; blocks closer than twice the
 * context share a hunk. */
static void
diff_fixed(struct arena *ar, struct strbuf *out, const char *path,
	   const char *old, size_t old_len, const struct fixed *fx)
{
	struct text_lines a, b;
	text_lines(ar, &a, old, old_len);
	text_lines(ar, &b, fx->buf, fx->len);
	struct block *blk = arena_array(ar, fx->nsegs + 2, sizeof *blk);
	size_t nblk = 0, pa = 0, pb = 0;
	for (size_t i = 0; i <= fx->nsegs; i++) {
		size_t ea = i < fx->nsegs ? fx->segs[i].from : old_len;
		size_t eb = i < fx->nsegs ? fx->segs[i].to : fx->len;
		if (ea > pa || eb > pb) {
			/* Lines [first, last) on each side; the bytes around
			 * the change up to the line ends are copies. */
			size_t la = line_of(&a, pa), lb = line_of(&b, pb);
			bool ends = (ea == 0 || old[ea - 1] == '\n') &&
				    (eb == 0 || fx->buf[eb - 1] == '\n');
			size_t za =
				ends ? line_of(&a, ea) : line_of(&a, ea) + 1;
			size_t zb =
				ends ? line_of(&b, eb) : line_of(&b, eb) + 1;
			if (za > a.n)
				za = a.n;
			if (zb > b.n)
				zb = b.n;
			struct block *p = nblk ? &blk[nblk - 1] : NULL;
			/* Adjacent lines are one block: '-' lines, then '+'. */
			if (p && (la <= p->a + p->na || lb <= p->b + p->nb)) {
				p->na = za - p->a, p->nb = zb - p->b;
			} else {
				blk[nblk++] = (struct block){ la, za - la, lb,
							      zb - lb };
			}
		}
		if (i < fx->nsegs)
			pa = ea + fx->segs[i].len, pb = eb + fx->segs[i].len;
	}
	if (!nblk)
		return;
	strbuf_addf(out, "--- a/%s\n+++ b/%s\n", path, path);
	for (size_t first = 0, k = 0; k < nblk; k++)
		if (k + 1 == nblk ||
		    blk[k + 1].a - (blk[k].a + blk[k].na) > 2 * DIFF_CONTEXT) {
			diff_hunk(out, &a, &b, blk, first, k);
			first = k + 1;
		}
}

/* ---- where a finding of the result stands in the file ---------------- */

/* A text's lines as the loader counts them (LF, CR LF or a lone CR; a
 * byte order mark takes no column), for struct loc. */
struct loc_lines {
	const char *s;
	size_t len, *start, n;
};

static void
loc_lines(struct arena *a, struct loc_lines *t, const char *s, size_t len)
{
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n' ||
		     (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n'));
	*t = (struct loc_lines){ s, len, arena_array(a, n, sizeof(size_t)), 0 };
	t->start[t->n++] = len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3) ? 3 : 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' ||
		    (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n')))
			t->start[t->n++] = i + 1;
}

struct relocate {
	struct loc_lines old, now;
	const struct fixed *fx;
};

static struct loc
relocate(void *ctx, struct loc at)
{
	const struct relocate *r = ctx;
	if (at.line == 0 || at.line > r->now.n)
		return at;
	/* The byte of the column in the result... */
	const char *s = r->now.s;
	size_t off = r->now.start[at.line - 1];
	for (uint32_t col = 1; col < at.col && off < r->now.len &&
			       s[off] != '\n' && s[off] != '\r';
	     col++) {
		uint32_t cp;
		size_t k = utf8_decode((const unsigned char *)s + off,
				       r->now.len - off, &cp);
		off += k ? k : 1;
	}
	/* ...in the file: through the copy that holds it, or where the
	 * change after the copy before it starts. */
	size_t lo = 0, hi = r->fx->nsegs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->fx->segs[mid].to <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t was = 0;
	if (lo) {
		const struct fix_seg *g = &r->fx->segs[lo - 1];
		was = g->from + (off - g->to < g->len ? off - g->to : g->len);
	}
	/* ...and its line and column there. */
	lo = 0, hi = r->old.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->old.start[mid] <= was)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t line = lo ? lo : 1, from = r->old.start[line - 1];
	at.line = (uint32_t)line;
	at.col = 1;
	for (size_t i = from; i < was; at.col++) {
		uint32_t cp;
		size_t k = utf8_decode((const unsigned char *)r->old.s + i,
				       was - i, &cp);
		i += k ? k : 1;
	}
	return at;
}

/* ---- the command ------------------------------------------------------ */

int
fix_file(struct run *run, struct arena *a, const char *path, bool caret,
	 bool dry_run)
{
	struct fix *f;
	struct unit u = { .path = path };
	char *buf;
	int err = fix_open(a, path, dry_run, &f, &buf, &u.len);
	if (err == EFBIG) {
		struct diag *d = diag_clone(a, pipeline_diag(run));
		/* a variable, not a compound literal: xgettext reads the
		 * commas of its braces as the call's */
		struct loc file = { path, 0, 0 };
		diag_report(d, RULE_LIMIT, file,
			    "the file is larger than the limit of %zu MiB",
			    LOAD_MAX_BYTES >> 20);
		diag_flush(d, stderr, false);
		return 1;
	}
	if (err)
		return fix_error(path, err);
	u.buf = buf;
	pipeline_passes(run, a, &u, PIPE_EDITS);
	struct fixed fixed = { 0 };
	int status = u.std ? fix_text(run, a, &u, &fixed) : 1;
	/* What remains: the findings of the result, which is the file when
	 * nothing changes. */
	struct unit v = u;
	if (!status && fixed.total) {
		v = (struct unit){ .path = path,
				   .buf = fixed.buf,
				   .len = fixed.len };
		pipeline_passes(run, a, &v, 0);
	}
	if (status || diag_errors(v.diag)) {
		/* Nothing is written: the file's findings, as it stands. */
		diag_flush(u.diag, stderr, caret);
		if (!status && fixed.total)
			diag_fatal(
				"not fixing '%s': it has errors that fix does not correct",
				path);
		status = status ? status : 1;
	} else if (dry_run) {
		struct strbuf diff = { 0 };
		diff_fixed(a, &diff, path, buf, u.len, &fixed);
		if (diff.len)
			fwrite(diff.buf, 1, diff.len, stdout);
		strbuf_free(&diff);
		if (fixed.total) {
			/* Where what remains stands in the file as it is. */
			struct relocate r = { .fx = &fixed };
			loc_lines(a, &r.old, buf, u.len);
			loc_lines(a, &r.now, fixed.buf, fixed.len);
			const char *file = arena_strndup(a, path, strlen(path));
			diag_add_source(v.diag, file, buf, u.len);
			diag_relocate(v.diag, path, file, relocate, &r);
		}
		diag_flush(v.diag, stderr, caret);
		status = fixed.total > 0;
	} else {
		const char *failed = path;
		if (fixed.total && !(err = output_stage(f->set, path, fixed.buf,
							fixed.len, &f->keep)))
			err = output_commit(f->set, &failed);
		if (err) {
			diag_flush(u.diag, stderr, caret);
			status = diag_fatal("cannot write '%s': %s", failed,
					    output_strerror(err));
		} else {
			/* What was done, once it is done; then what remains,
			 * where it now stands. */
			if (fixed.report.len)
				fwrite(fixed.report.buf, 1, fixed.report.len,
				       stdout);
			/* TRANSLATORS: the last line of skillc fix's
			 * report: the file and how many replacements were
			 * made in it. */
			printf(ngettext("%s: %zu replacement",
					"%s: %zu replacements", fixed.total),
			       path, fixed.total);
			putchar('\n');
			fflush(stdout);
			diag_flush(v.diag, stderr, caret);
		}
	}
	strbuf_free(&fixed.report);
	if (f->set)
		output_end(f->set);
	return status;
}
