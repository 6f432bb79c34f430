/*
 * build.c - skillc build: every input through the passes, every output
 * rendered and written, the whole set committed at once.
 *
 * Takes: the run, the inputs and what to write where (struct build). Gives:
 * for each input DIR/BASE.EXT for each format of formats.def, and the
 * depfile. Guarantees: every path is checked before an input is read (a
 * directory, a FIFO, a symbolic link, an input or rules file, two inputs
 * writing one output, a name no depfile can hold: exit 2, nothing
 * written); nothing is written unless every input is free of errors; the
 * C header is never written where its own static assertions would fail,
 * whatever the run's severities (guards[]), nor two headers with one
 * include guard; the depfile names every file read (inputs, rules and
 * profile files); the outputs and the depfile are one set for output.c,
 * written all or none.
 */
#include "skillc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define FORMAT(name, ext, emitter, needs, ready) FORMAT_##name,
enum {
#include "formats.def"
	FORMAT_COUNT
};
#undef FORMAT

#define FORMAT(name, ext, emitter, needs, ready)                               \
	{ #name, ext, emitter, needs, ready },
static const struct format {
	const char *name, *ext;
	void (*emit)(const struct unit *u, struct strbuf *out);
	unsigned needs;
	bool (*ready)(const char **why);
} formats[] = {
#include "formats.def"
};
#undef FORMAT

#define FORMAT(name, ext, emitter, needs, ready) #name,
static const char *const format_names[] = {
#include "formats.def"
};
#undef FORMAT

/* What the C header asserts (emit_c.c's SKILLC_STATIC_ASSERT) and the
 * check that finds where it would not hold: an error whenever build
 * writes the header, whatever -W, -Wno- or a rules file made of it, for a
 * header that fails in its consumer's compiler helps nobody. */
static const struct guard {
	enum rule rule;
	const char *asserts;
} guards[] = {
	/* TRANSLATORS: what the C header asserts, the last %s of "%s is an
	 * error whenever build writes a C header, which asserts %s". */
	{ RULE_WEIGHT_SUM, N_("that every weight column sums to 100") },
};

bool
build_c_guarded(int rule)
{
	for (size_t g = 0; g < sizeof guards / sizeof *guards; g++)
		if ((int)guards[g].rule == rule)
			return true;
	return false;
}

void
build_c_preconditions(struct diag *d)
{
	for (size_t g = 0; g < sizeof guards / sizeof *guards; g++)
		diag_set_severity(d, guards[g].rule, SEV_ERROR);
}

/* After a unit failed: why a guarded rule the run has below error is an
 * error all the same, and how to write the other outputs asked for. */
static void
guards_explain(const struct run *run, const struct unit *u, unsigned chosen)
{
	const struct diag *d = pipeline_diag(run);
	for (size_t g = 0; g < sizeof guards / sizeof *guards; g++) {
		enum rule r = guards[g].rule;
		if (!u->diag || !diag_rule_count(u->diag, r) ||
		    diag_severity(d, r) == SEV_ERROR)
			continue;
		struct strbuf others = { 0 };
		for (int f = 0; f < FORMAT_COUNT; f++)
			if (f != FORMAT_c && chosen & 1u << f)
				strbuf_addf(&others, "%s%s",
					    others.len ? "," : "",
					    formats[f].name);
		const char *name = diag_rule(d, (int)r)->name;
		const char *asserts = _(guards[g].asserts);
		fprintf(stderr, "skillc: %s: ", _("note"));
		if (others.len)
			fprintf(stderr,
				/* TRANSLATORS: the first %s is a check's
				 * name, the second what the header asserts,
				 * the third a list of output formats
				 * (json,md). */
				_("%s is an error whenever build writes a C header, which asserts %s; '--format=%s' writes the other outputs"),
				name, asserts, others.buf);
		else
			fprintf(stderr,
				/* TRANSLATORS: the first %s is a check's
				 * name, the second what the header
				 * asserts. */
				_("%s is an error whenever build writes a C header, which asserts %s"),
				name, asserts);
		fputc('\n', stderr);
		strbuf_free(&others);
	}
}

/* In bit order of PART_*. */
static const char *const part_names[] = { "notice", "cumulative" };

/* A comma-separated list of the n names into bits of *chosen; false for
 * an empty list or a trailing comma, or with *list at the first name that
 * is not one of them. */
static bool
read_names(const char **list, const char *const *names, int n, unsigned *chosen)
{
	*chosen = 0;
	const char *p = *list;
	if (!*p)
		return false;
	while (*p) {
		size_t len = strcspn(p, ",");
		int f = 0;
		while (f < n &&
		       (strlen(names[f]) != len || strncmp(names[f], p, len)))
			f++;
		if (f == n || (p[len] == ',' && !p[len + 1])) {
			*list = f == n ? p : p + len; /* c, */
			return false;
		}
		*chosen |= 1u << f;
		p += len + (p[len] == ',');
	}
	return true;
}

bool
build_formats(const char **list, unsigned *chosen)
{
	return read_names(list, format_names, FORMAT_COUNT, chosen);
}

bool
build_parts(const char **list, unsigned *chosen)
{
	return read_names(list, part_names,
			  (int)(sizeof part_names / sizeof *part_names),
			  chosen);
}

void
build_format_names(struct strbuf *sb, const char *sep)
{
	for (int f = 0; f < FORMAT_COUNT; f++)
		strbuf_addf(sb, "%s%s", f ? sep : "", formats[f].name);
}

/* The base name of path without its directory and .yaml or .yml. */
static char *
base_name(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t len = strlen(base);
	if (len > 5 && !strcmp(base + len - 5, ".yaml"))
		len -= 5;
	else if (len > 4 && !strcmp(base + len - 4, ".yml"))
		len -= 4;
	return arena_strndup(a, base, len);
}

static int
depfile_refused(const char *path)
{
	return strchr(path, '\n')
		       ? diag_fatal(
				 "cannot write '%s' in a depfile: it holds a newline",
				 path)
		       : diag_fatal(
				 "cannot write '%s' in a depfile: GNU make and ninja cannot both read it back",
				 path);
}

/* A file's identity as a hash key: its device and inode numbers. */
enum { ID_LEN = sizeof(dev_t) + sizeof(ino_t) };

static char *
file_id(struct arena *a, const struct stat *st)
{
	char *key = arena_alloc(a, ID_LEN);
	memcpy(key, &st->st_dev, sizeof st->st_dev);
	memcpy(key + sizeof st->st_dev, &st->st_ino, sizeof st->st_ino);
	return key;
}

/* The inputs and rules files by identity, whatever paths name them. */
static struct hash *
input_ids(struct arena *a, const struct build *b)
{
	struct hash *ids = hash_new(a, b->nfiles + b->nrules_files + 1);
	for (size_t k = 0; k < b->nfiles + b->nrules_files; k++) {
		const char *in = k < b->nfiles ? b->files[k]
					       : b->rules_files[k - b->nfiles];
		struct stat st;
		if (!stat(in, &st))
			hash_put(ids, file_id(a, &st), ID_LEN, (void *)in);
	}
	return ids;
}

/* The outputs' paths, all checked before anything is read or written. */
static int
plan(struct arena *a, struct build *b, const char **paths)
{
	struct stat st;
	if (b->depfile_target && !b->depfile)
		return diag_fatal(
			"-MT '%s' names the target of a depfile, and there is none (-MF FILE)",
			b->depfile_target);
	int err = stat(b->outdir, &st)	? errno == ENOENT ? 0 : errno
		  : S_ISDIR(st.st_mode) ? 0
					: ENOTDIR;
	if (err) /* missing is fine: build makes it */
		return diag_fatal("cannot create '%s': %s", b->outdir,
				  strerror(err));
	struct hash *by_path = hash_new(a, b->nfiles * FORMAT_COUNT + 1);
	for (size_t i = 0; i < b->nfiles; i++) {
		const char *base =
			b->name ? b->name : base_name(a, b->files[i]);
		for (int f = 0; f < FORMAT_COUNT; f++) {
			if (!(b->formats & 1u << f))
				continue;
			struct strbuf p = { 0 };
			strbuf_addf(&p, "%s/%s%s", b->outdir, base,
				    formats[f].ext);
			char *path = arena_strndup(a, p.buf, p.len);
			strbuf_free(&p);
			paths[i * FORMAT_COUNT + f] = path;
			const char *const *other =
				hash_put(by_path, path, strlen(path),
					 (void *)&b->files[i]);
			if (other)
				return diag_fatal(
					"'%s' and '%s' would both write '%s'",
					*other, b->files[i], path);
		}
	}
	const char *dev_null = "/dev/null";
	struct stat null_st;
	if (b->depfile && !stat(b->depfile, &st) && S_ISCHR(st.st_mode) &&
	    !stat(dev_null, &null_st) && st.st_rdev == null_st.st_rdev)
		b->depfile = NULL; /* -MF /dev/null: no depfile, as with gcc */
	size_t n = b->nfiles * FORMAT_COUNT;
	struct hash *inputs = input_ids(a, b);
	struct strbuf dep = { 0 };
	int status = 0;
	for (size_t i = 0; i <= n && !status; i++) {
		const char *path = i < n ? paths[i] : b->depfile;
		if (!path)
			continue;
		strbuf_reset(&dep);
		if ((err = output_check(path)))
			status = diag_fatal("cannot write '%s': %s", path,
					    output_strerror(err));
		else if (i == n && hash_get(by_path, path, strlen(path)))
			status = diag_fatal("the depfile '%s' is an output too",
					    path);
		else if (b->depfile && i < n && !depfile_path(&dep, path, true))
			status = depfile_refused(path);
		const char *in = NULL;
		if (!status && !stat(path, &st))
			in = hash_get(inputs, file_id(a, &st), ID_LEN);
		if (in)
			status = diag_fatal(
				"'%s' would overwrite the input '%s'", path,
				in);
	}
	for (size_t i = 0;
	     i < b->nfiles + b->nrules_files && b->depfile && !status; i++) {
		const char *in = i < b->nfiles ? b->files[i]
					       : b->rules_files[i - b->nfiles];
		strbuf_reset(&dep);
		if (!depfile_path(&dep, in, false))
			status = depfile_refused(in);
	}
	strbuf_reset(&dep);
	if (!status && b->depfile && b->depfile_target &&
	    !depfile_path(&dep, b->depfile_target, true))
		status = depfile_refused(b->depfile_target);
	strbuf_free(&dep);
	if (!status && b->depfile) {
		/* Its directory must be there, unless it is -o's, which
		 * build makes (-MF out/x.d -o out). */
		char *dir = arena_strndup(a, b->depfile, strlen(b->depfile));
		char *slash = strrchr(dir, '/');
		if (slash)
			slash[slash == dir] = '\0';
		size_t len = strlen(b->outdir);
		while (len > 1 && b->outdir[len - 1] == '/')
			len--;
		bool is_outdir = slash && strlen(dir) == len &&
				 !strncmp(dir, b->outdir, len);
		err = is_outdir ? 0
		      : stat(slash ? dir : ".", &st) ? errno
		      : S_ISDIR(st.st_mode) ? 0
					    : ENOTDIR;
		if (err)
			status = diag_fatal("cannot write the depfile '%s': %s",
					    b->depfile, strerror(err));
	}
	return status;
}

/* The outputs and the depfile, staged and committed as one set. Once no
 * input can fail any more, each output is staged (written beside its
 * target) while it is rendered, a megabyte at a time: build holds a
 * megabyte of it, not the whole output. Outputs rendered before (of the
 * inputs before, or all of them where the directory is still to be made)
 * were held, past a megabyte in a scratch file: the first few (held_files)
 * in files of their own, unnamed, beside where they go, which are linked in
 * as they are (into a new directory, all four outputs of a standard, as
 * many bytes as it writes); the rest in the build's shared scratch file,
 * or where a file system has no unnamed files, and are copied in. */
struct writer {
	const struct build *b;
	struct output_set *set;
	struct strbuf dep;
	const char *failed;
	int err;
};

/* An output rendered before it could be staged: past a megabyte in a
 * scratch file (its own, or the build's), at [from, from + len), else in
 * memory. Files of their own for HELD_FILES outputs at most, and for no
 * more than a quarter of the descriptors the process may open, so that a
 * build of many standards does not hold a descriptor for each output. */
enum { HELD_FILES = 16 };

static size_t
held_files(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur / 4 >= HELD_FILES)
		return HELD_FILES;
	return (size_t)rl.rlim_cur / 4;
}

struct held {
	struct strbuf buf;
	struct scratch own;	    /* SCRATCH_INIT where it has none */
	const struct scratch *file; /* where its bytes are; NULL: in buf */
	uint64_t from, len;
};

static void
hold(struct scratch *shared, size_t *owned, size_t *most, struct held *h,
     const char *path, const struct format *f, const struct unit *u)
{
	struct scratch *sc = shared;
	if (*owned < *most) {
		if (scratch_beside(&h->own, path))
			sc = &h->own;
		else /* no unnamed files here: the rest share a file */
			*most = *owned;
	}
	if (scratch_render(sc, &h->buf, f->emit, u, &h->from, &h->len))
		h->file = sc;
	if (h->file == &h->own)
		++*owned;
	else
		scratch_close(&h->own);
}

/* Stage path's bytes and free them; after a failure, only free them. */
static void
writer_stage(struct writer *w, const char *path, struct strbuf *data)
{
	if (!w->err &&
	    (w->err = output_stage(w->set, path, data->buf ? data->buf : "",
				   data->len, NULL)))
		w->failed = path;
	strbuf_free(data);
}

/* Stage a held output kept in a scratch file by copying it. */
static int
copy_held(struct writer *w, const char *path, const struct held *h)
{
	struct output_stream *o = NULL;
	int err = output_stream_open(path, &o);
	if (err)
		return err;
	char buf[65536];
	for (uint64_t off = 0; off < h->len && !err;) {
		size_t n = h->len - off < sizeof buf ? (size_t)(h->len - off)
						     : sizeof buf;
		if (!(err = scratch_read(h->file, h->from + off, buf, n)))
			output_stream_write(o, buf, n);
		off += n;
	}
	return output_stream_close(w->set, o, err);
}

/* The same for a held output: its own file linked in where it can be,
 * else copied. */
static void
writer_stage_held(struct writer *w, const char *path, struct held *h)
{
	if (!h->file) {
		writer_stage(w, path, &h->buf);
		return;
	}
	if (!w->err) {
		int err = h->file == &h->own
				  ? output_stage_scratch(w->set, path, &h->own)
				  : OUTPUT_NOT_LINKED;
		if (err == OUTPUT_NOT_LINKED)
			err = copy_held(w, path, h);
		if ((w->err = err))
			w->failed = path;
	}
	scratch_close(&h->own);
	h->file = NULL;
}

/* Rendering into path's staged file: opened at the first drain, so that
 * an output of less than a megabyte is staged whole (and not at all where
 * its target holds it already, which needs no room on the disk). */
struct render {
	const char *path;
	struct output_stream *o;
	int err;
};

static void
render_sink(void *ctx, const char *data, size_t len)
{
	struct render *r = ctx;
	if (!r->o && !r->err)
		r->err = output_stream_open(r->path, &r->o);
	if (r->o)
		output_stream_write(r->o, data, len);
}

/* Render f of u into path's staged file while it is rendered. */
static void
writer_render(struct writer *w, const struct format *f, const struct unit *u,
	      const char *path)
{
	struct render r = { path, NULL, 0 };
	struct strbuf out = { .sink = render_sink, .sink_ctx = &r };
	f->emit(u, &out);
	if (!r.o && !r.err) { /* never drained */
		out.sink = NULL;
		writer_stage(w, path, &out);
		return;
	}
	if (r.o)
		strbuf_drain(&out, true);
	strbuf_free(&out);
	int err = r.o ? output_stream_close(w->set, r.o, r.err) : r.err;
	if ((w->err = err))
		w->failed = path;
}

/* Begin the set of the n outputs (w->set: writing) and stage the first
 * done, rendered already. */
static int
writer_begin(struct writer *w, const struct build *b, const char **paths,
	     struct held *held, size_t n, size_t done)
{
	*w = (struct writer){ .b = b };
	w->err = output_mkdirs(b->outdir);
	if (w->err)
		return diag_fatal("cannot create '%s': %s", b->outdir,
				  strerror(w->err));
	const char **set = calloc(n + 2, sizeof *set);
	if (!set)
		die_oom();
	size_t count = 0;
	/* plan saw to it that the depfile can hold every path */
	if (b->depfile_target)
		depfile_path(&w->dep, b->depfile_target, true);
	for (size_t i = 0; i < n; i++) {
		if (!paths[i])
			continue;
		if (!b->depfile_target) {
			if (count)
				strbuf_addc(&w->dep, ' ');
			depfile_path(&w->dep, paths[i], true);
		}
		set[count++] = paths[i];
	}
	if (b->depfile) {
		/* Every file read: the inputs, then the rules and profile
		 * files (each once: the same one twice is refused). */
		strbuf_adds(&w->dep, ":");
		for (size_t i = 0; i < b->nfiles + b->nrules_files; i++) {
			strbuf_adds(&w->dep, " ");
			depfile_path(&w->dep,
				     i < b->nfiles
					     ? b->files[i]
					     : b->rules_files[i - b->nfiles],
				     false);
		}
		strbuf_adds(&w->dep, "\n");
		set[count++] = b->depfile;
	}
	w->set = output_begin(set, count);
	free(set);
	for (size_t k = 0; k < done; k++)
		if (paths[k])
			writer_stage_held(w, paths[k], &held[k]);
	return 0;
}

static bool
is_dir(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static int
writer_finish(struct writer *w)
{
	if (w->b->depfile)
		writer_stage(w, w->b->depfile, &w->dep);
	if (!w->err)
		w->err = output_commit(w->set, &w->failed);
	output_end(w->set);
	strbuf_free(&w->dep);
	return w->err ? diag_fatal("cannot write '%s': %s", w->failed,
				   output_strerror(w->err))
		      : 0;
}

int
build_run(struct run *run, struct arena *a, struct build *b)
{
	size_t n = b->nfiles * FORMAT_COUNT;
	const char **paths = arena_array(a, n + 1, sizeof *paths);
	struct held *held = arena_array(a, n + 1, sizeof *held);
	for (size_t i = 0; i < n; i++)
		held[i].own = (struct scratch)SCRATCH_INIT;
	struct scratch sc = SCRATCH_INIT;
	size_t owned = 0, most = held_files(); /* held in files of their own */
	unsigned needs = 0;
	for (int f = 0; f < FORMAT_COUNT; f++) {
		const char *why;
		if (!(b->formats & 1u << f))
			continue;
		needs |= formats[f].needs;
		if (formats[f].ready && !formats[f].ready(&why))
			/* TRANSLATORS: the first %s is an output format
			 * (docx), the second the system's reason. */
			return diag_fatal("cannot write the '%s' output: %s",
					  formats[f].name, why);
	}
	int status = plan(a, b, paths);
	/* C headers by their names' prefix, which makes their include
	 * guard: two alike could not be included together. */
	struct hash *prefixes = hash_new(a, b->nfiles + 1);
	struct writer w = { 0 };
	for (size_t i = 0; i < b->nfiles && status < 2; i++) {
		/* Each standard in an arena of its own, gone before the
		 * next; the run keeps only what it rendered. */
		struct arena *fa = arena_new();
		struct unit u;
		int s = pipeline_read(run, fa, &u, b->files[i], needs);
		u.parts = b->parts;
		if (s == 1 && (b->formats & 1u << FORMAT_c))
			guards_explain(run, &u, b->formats);
		if (!s && u.names && (b->formats & 1u << FORMAT_c)) {
			const char *upper = u.names->upper;
			const char *const *other =
				hash_put(prefixes,
					 arena_strndup(a, upper, strlen(upper)),
					 strlen(upper), (void *)&b->files[i]);
			if (other)
				s = diag_fatal(
					"'%s' and '%s' would both write a C header with the include guard %s_H; build them in separate runs, each with its own --prefix",
					*other, b->files[i], upper);
		}
		if (s > status)
			status = s;
		/* The last input clean, and all before it: only writing, or
		 * running out of memory, can stop the writing now. Staging
		 * begins (what the inputs before rendered first) where the
		 * output directory is there already: out of memory, the exit
		 * removes the staged files, and nothing else was made. A
		 * directory to make waits until everything is rendered. */
		if (!status && i + 1 == b->nfiles &&
		    !pipeline_unknown_setting(run) && is_dir(b->outdir))
			status = writer_begin(&w, b, paths, held, n,
					      i * FORMAT_COUNT);
		for (int f = 0; f < FORMAT_COUNT && !s; f++) {
			if (!(b->formats & 1u << f) || status || w.err)
				continue;
			if (w.set)
				writer_render(&w, &formats[f], &u,
					      paths[i * FORMAT_COUNT + f]);
			else
				hold(&sc, &owned, &most,
				     &held[i * FORMAT_COUNT + f],
				     paths[i * FORMAT_COUNT + f], &formats[f],
				     &u);
		}
		arena_free(fa);
	}
	if (!status && pipeline_unknown_setting(run))
		status = 2; /* reported by the driver; nothing is written */
	if (!status && !w.set)
		status = writer_begin(&w, b, paths, held, n, n);
	if (w.set)
		status = writer_finish(&w);
	for (size_t i = 0; i < n; i++) {
		strbuf_free(&held[i].buf);
		scratch_close(&held[i].own);
	}
	scratch_close(&sc);
	return status;
}
