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
 *   - the result has no error, by rule, that the file did not have.
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
	const char *buf;
	size_t len;
	const struct node *root;
	struct edit *edits; /* sorted; those applied come first */
	size_t nedits;
	struct hash *intended; /* scalar node -> struct text: its new value */
	struct hash *quote;    /* scalar node -> itself: write it quoted */
	struct strbuf out;
	struct inserted *ins;
	size_t nins, ins_cap;
};

static int
fix_error(const char *path, int err)
{
	fprintf(stderr, "skillc: error: cannot fix '%s': %s\n", path,
		output_strerror(err));
	return 2;
}

/* Take path for fixing: lock its directory, refuse what fix must not
 * rewrite, read it into the arena. 0 and *out, or an errno value or
 * OUTPUT_* error, with nothing printed and nothing held. */
static int
fix_open(struct arena *a, const char *path, struct fix **out, char **buf,
	 size_t *len)
{
	struct fix *f = arena_alloc(a, sizeof *f);
	f->path = path;
	*out = NULL;
	/* Locked first, so that two runs fixing one file take turns: the
	 * second reads what the first wrote. */
	f->set = output_begin(&path, 1);
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
	else if (!(st.st_mode & 0222) ||
		 faccessat(AT_FDCWD, path, W_OK, AT_EACCESS))
		err = EACCES; /* read-only: a file its owner protects, too */
	else
		err = load_read_fd(a, fd, buf, len);
	if (fd >= 0)
		close(fd);
	if (err) {
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

#define NODE_KEY(pp) ((const char *)(pp)), sizeof *(pp)

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
		const struct node *n = r->edits[i].node;
		struct strbuf v = { 0 };
		size_t from = 0;
		for (; i < kept && r->edits[i].node == n; i++) {
			strbuf_add(&v, n->text + from,
				   r->edits[i].vstart - from);
			strbuf_add(&v, r->edits[i].value,
				   r->edits[i].value_len);
			from = r->edits[i].vend;
		}
		strbuf_add(&v, n->text + from, n->len - from);
		struct text *t = arena_alloc(r->arena, sizeof *t);
		t->s = arena_strndup(r->arena, v.buf ? v.buf : "", v.len);
		t->len = v.len;
		t->at = n;
		hash_put(r->intended, NODE_KEY(&t->at), t);
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

/* Write the applied edits into the round's buffer: raw, or the whole
 * scalar double-quoted where r->quote says. */
static void
rewrite(struct round *r, size_t applied)
{
	strbuf_reset(&r->out);
	r->nins = 0;
	const char *done = r->buf;
	for (size_t i = 0; i < applied;) {
		const struct edit *e = &r->edits[i];
		const struct node *n = e->node;
		if (!hash_get(r->quote, NODE_KEY(&n))) {
			strbuf_add(&r->out, done, (size_t)(e->start - done));
			size_t at = r->out.len;
			strbuf_adds(&r->out, e->with);
			note_inserted(r, at, e->def);
			done = e->end;
			i++;
			continue;
		}
		strbuf_add(&r->out, done, (size_t)(n->raw - done));
		strbuf_addc(&r->out, '"');
		size_t from = 0;
		for (; i < applied && r->edits[i].node == n; i++) {
			const struct edit *k = &r->edits[i];
			quote_into(&r->out, n->text + from, k->vstart - from);
			size_t at = r->out.len;
			quote_into(&r->out, k->value, k->value_len);
			note_inserted(r, at, k->def);
			from = k->vend;
		}
		quote_into(&r->out, n->text + from, n->len - from);
		strbuf_addc(&r->out, '"');
		done = n->raw + n->raw_len;
	}
	strbuf_add(&r->out, done, (size_t)(r->buf + r->len - done));
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
		p->broken = true, p->where = a->loc;
		return;
	}
	if (a->kind == NODE_SCALAR) {
		const struct text *want = hash_get(r->intended, NODE_KEY(&a));
		if (!want && !same_scalar(a, b, a->text, a->len))
			p->broken = true, p->where = a->loc;
		else if (want && !same_scalar(a, b, want->s, want->len) &&
			 !p->wrong)
			p->wrong = a, p->where = a->loc;
		return;
	}
	for (size_t i = 0; i < a->count; i++) {
		if (a->kind == NODE_MAP &&
		    !same_scalar(a->keys[i], b->keys[i], a->keys[i]->text,
				 a->keys[i]->len)) {
			p->broken = true, p->where = a->keys[i]->loc;
			return;
		}
		prove(r, a->items[i], b->items[i], p);
	}
}

static struct proof
check_round(struct round *r, const char *path)
{
	struct arena *a = arena_new();
	struct diag *quiet = diag_new(a);
	const struct node *after = load_buffer(
		a, quiet, path, r->out.buf ? r->out.buf : "", r->out.len);
	struct proof p = { 0 };
	if (!after)
		p.broken = true, p.where = r->root->loc;
	else
		prove(r, r->root, after, &p);
	arena_free(a);
	return p;
}

static bool
is_flow(const struct node *n)
{
	return n->style != STYLE_BLOCK;
}

/* Make the round's new buffer and prove it; false with *why where no
 * way of writing the replacements keeps the structure. */
static bool
make_round(struct round *r, size_t applied, const char *path, struct loc *why)
{
	rewrite(r, applied);
	struct proof p = check_round(r, path);
	/* Quote what came out wrong; where the damage cannot be pinned on
	 * one scalar, quote every replaced one that can be quoted. */
	for (int attempt = 0; attempt < 2 && (p.broken || p.wrong); attempt++) {
		for (size_t i = 0; i < applied; i++) {
			const struct node *n = r->edits[i].node;
			if ((p.broken || n == p.wrong) && is_flow(n))
				hash_put(r->quote, NODE_KEY(&r->edits[i].node),
					 (void *)n);
		}
		if (p.wrong && !is_flow(p.wrong))
			break;
		rewrite(r, applied);
		p = check_round(r, path);
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

static void
report_rule(struct diag *d, const struct text_rule *def, const char *what)
{
	const struct node *at =
		def->replacement.at ? def->replacement.at : def->at;
	diag_report(d, RULE_TEXT_RULE, at ? at->loc : (struct loc){ 0 },
		    "the replacement%s of rule '%s' %s",
		    def->n_spellings ? "s" : "", def->name.s, what);
}

int
fix_text(struct run *run, struct arena *a, const struct unit *u,
	 struct fixed *out)
{
	struct diag *d = u->diag;
	const char *path = u->path, *buf = u->buf;
	size_t len = u->len;
	struct round r = { .arena = a,
			   .buf = buf,
			   .len = len,
			   .root = u->root,
			   .edits = u->edits,
			   .nedits = u->nedits };
	struct inserted *before = NULL;
	size_t nbefore = 0;
	int status = 0;
	*out = (struct fixed){ buf, len, 0, { 0 } };
	for (int round = 0; r.nedits && !status; round++) {
		if (round == FIX_ROUNDS) {
			/* Still proposing: rules that undo each other. */
			struct hash *said = hash_new(a, 8); /* once a rule */
			for (size_t i = 0; i < r.nedits; i++) {
				const struct text *id = &r.edits[i].def->id;
				if (!hash_put(said, id->s, id->len, (void *)id))
					report_rule(
						d, r.edits[i].def,
						"did not settle: rules undo each other's replacements");
			}
			status = 1;
			break;
		}
		size_t applied = choose(&r);
		const struct edit *bad = faulty(&r, applied, before, nbefore);
		if (bad) {
			report_rule(
				d, bad->def,
				"is matched by the rule again, so it would be applied without end");
			status = 1;
			break;
		}
		struct loc why;
		if (!make_round(&r, applied, path, &why)) {
			fprintf(stderr,
				"skillc: error: cannot fix '%s': the replacements would change the YAML structure at line %u\n",
				path, (unsigned)why.line);
			status = 2;
			break;
		}
		for (size_t i = 0; i < applied; i++) {
			const struct edit *e = &r.edits[i];
			strbuf_addf(
				&out->report,
				"%s:%u:%u: replaced '%.*s' with '%s' [%s %s]\n",
				path, (unsigned)e->at.line, (unsigned)e->at.col,
				(int)(e->end - e->start), e->start, e->with,
				e->def->id.s, e->def->name.s);
			if (hash_get(r.quote, NODE_KEY(&e->node)) &&
			    (i + 1 == applied ||
			     r.edits[i + 1].node != e->node))
				strbuf_addf(
					&out->report,
					"%s:%u:%u: quoted the text, so that YAML reads it as written\n",
					path, (unsigned)e->node->loc.line,
					(unsigned)e->node->loc.col);
		}
		out->total += applied;
		free(before);
		before = r.ins, nbefore = r.nins;
		r.ins = NULL, r.nins = r.ins_cap = 0;
		r.buf = arena_strndup(a, r.out.buf ? r.out.buf : "", r.out.len);
		r.len = r.out.len;
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
				fprintf(stderr,
					"skillc: error: cannot fix '%s': the result would have an error the file does not have [%s %s]\n",
					path, info->id, info->name);
				status = 2;
			}
	}
	if (!status)
		out->buf = r.buf, out->len = r.len;
	return status;
}

int
fix_file(struct run *run, struct arena *a, const char *path, bool caret)
{
	struct fix *f;
	struct unit u = { .path = path };
	char *buf;
	int err = fix_open(a, path, &f, &buf, &u.len);
	if (err == EFBIG) {
		struct diag *d = diag_clone(a, pipeline_diag(run));
		diag_report(d, RULE_LIMIT, (struct loc){ path, 0, 0 },
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
	diag_flush(u.diag, stderr, caret);
	const char *failed = path;
	if (!status && fixed.total &&
	    !(err = output_stage(f->set, path, fixed.buf, fixed.len, &f->keep)))
		err = output_commit(f->set, &failed);
	if (err) {
		fprintf(stderr, "skillc: error: cannot write '%s': %s\n",
			failed, output_strerror(err));
		status = 2;
	}
	if (!status) {
		if (fixed.report.len) /* what was done, once it is done */
			fwrite(fixed.report.buf, 1, fixed.report.len, stdout);
		printf("%s: %zu replacement%s\n", path, fixed.total,
		       fixed.total == 1 ? "" : "s");
	}
	strbuf_free(&fixed.report);
	output_end(f->set);
	return status;
}
