/*
 * output.c - putting files on disk without ever losing one.
 *
 * Takes: paths and the complete bytes that belong there. Gives: each file
 * holding exactly those bytes, or, on any failure, every file as it was.
 *
 * A set of writes is a transaction. output_begin locks the directory of
 * every path (flock on the directory itself, taken in the order of the
 * directories' device and inode numbers, so two runs never wait on each
 * other in a circle). Under the lock, the temporary files that a killed run
 * left for these paths are provably abandoned (their owner would hold the
 * lock) and are removed; no other file is ever removed. output_stage
 * writes each file's bytes to a temporary file beside it, named
 * ".NAME.skillc-tmp-XXXXXX", and flushes it to disk; output_commit renames
 * them all over their targets with the signals that end a run held off,
 * so that a reader, a crash, a full disk or an interrupt sees the old set
 * or the new one, never a mixture. A file that already holds its bytes is
 * not touched, so build systems see it unchanged.
 *
 * Never written or replaced: a symbolic link, a directory, a FIFO, a
 * device or anything else that is not a regular file. A replacement may
 * be made conditional (struct output_keep): the target must still hold
 * what was read from it (skillc fix), and the new file takes its mode,
 * owner and group.
 *
 * SIGINT, SIGTERM and SIGHUP during a transaction remove its temporary
 * files, then end the run as the signal would have. No pass logic.
 */
#define _GNU_SOURCE /* O_TMPFILE */
#include "skillc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TMP_TAG	     ".skillc-tmp-"
#define TMP_RANDOM   6	 /* the XXXXXX of mkstemp */
#define TMP_NAME_MAX 200 /* of NAME in a temporary file's name */
#define TMP_CHARS                                                              \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
#define TMP_TRIES 100 /* names tried for a link before copying instead */

/* ---- temporary files alive now, for the signal handler ----------------- */

/* Changed only with the signals blocked, so the handler sees a whole list. */
static char **live;
static size_t nlive, live_cap;
static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void
on_fatal_signal(int sig)
{
	for (size_t i = 0; i < nlive; i++)
		unlink(live[i]);
	signal(sig, SIG_DFL);
	raise(sig); /* delivered when the handler returns: the usual status */
}

static void
block_signals(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals;
	     i++)
		sigaddset(&set, fatal_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void
restore_signals(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

/* An exit with files staged (out of memory while rendering the rest)
 * leaves none of them behind. */
static void
unlink_live(void)
{
	for (size_t i = 0; i < nlive; i++)
		unlink(live[i]);
}

/* Handle the fatal signals, unless the caller of skillc ignores them, and
 * the exit. */
static void
install_handlers(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	atexit(unlink_live);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals;
	     i++) {
		struct sigaction sa, old;
		if (sigaction(fatal_signals[i], NULL, &old) ||
		    old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_fatal_signal;
		sigemptyset(&sa.sa_mask);
		for (size_t k = 0;
		     k < sizeof fatal_signals / sizeof *fatal_signals; k++)
			sigaddset(&sa.sa_mask, fatal_signals[k]);
		sigaction(fatal_signals[i], &sa, NULL);
	}
}

static void
live_add(char *tmp)
{
	sigset_t old;
	block_signals(&old);
	if (nlive == live_cap) {
		size_t cap = live_cap ? live_cap * 2 : 16;
		char **v = realloc(live, cap * sizeof *v);
		if (!v)
			die_oom();
		live = v, live_cap = cap;
	}
	live[nlive++] = tmp;
	restore_signals(&old);
}

static void
live_remove(const char *tmp)
{
	sigset_t old;
	block_signals(&old);
	for (size_t i = 0; i < nlive; i++)
		if (live[i] == tmp) {
			live[i] = live[--nlive];
			break;
		}
	if (!nlive) {
		free(live);
		live = NULL, live_cap = 0;
	}
	restore_signals(&old);
}

/* ---- paths -------------------------------------------------------------- */

static size_t
dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? (size_t)(slash - path) + 1 : 0;
}

/* The directory of path, "." for a bare name; malloc'd. */
static char *
dir_of(const char *path)
{
	size_t len = dir_len(path);
	struct strbuf sb = { 0 };
	if (len)
		strbuf_add(&sb, path, len);
	else
		strbuf_adds(&sb, ".");
	return sb.buf;
}

/* NAME as temporary files of path carry it: at most TMP_NAME_MAX bytes,
 * so that the whole name fits NAME_MAX. */
static size_t
tmp_name_len(const char *name)
{
	size_t len = strlen(name);
	return len < TMP_NAME_MAX ? len : TMP_NAME_MAX;
}

int
output_check(const char *path)
{
	struct stat st;
	if (!*path)
		return ENOENT;
	if (lstat(path, &st))
		return errno == ENOENT ? 0 : errno;
	if (S_ISLNK(st.st_mode))
		return OUTPUT_SYMLINK;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if (!S_ISREG(st.st_mode))
		return OUTPUT_NOT_REGULAR;
	return 0;
}

/* ---- a transaction ------------------------------------------------------ */

struct staged {
	const char *path;
	char *tmp; /* NULL: path holds the bytes already */
	const struct output_keep *keep;
};

struct locked {
	int fd; /* -1: the directory could not be locked */
	dev_t dev;
	ino_t ino;
	char *dir;
	struct hash *names; /* while sweeping: NAMEs of our paths there */
};

struct output_set {
	struct locked *dirs;
	size_t ndirs;
	struct staged *staged;
	size_t nstaged, cap;
};

static int
locked_cmp(const void *pa, const void *pb)
{
	const struct locked *a = pa, *b = pb;
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	return a->ino < b->ino ? -1 : a->ino > b->ino;
}

/* The NAME of a temporary file ".NAME.skillc-tmp-XXXXXX", or NULL. */
static const char *
tmp_owner(const char *name, size_t *nlen)
{
	size_t len = strlen(name), tag = strlen(TMP_TAG);
	if (name[0] != '.' || len < 1 + tag + TMP_RANDOM + 1 ||
	    strncmp(name + len - TMP_RANDOM - tag, TMP_TAG, tag))
		return NULL;
	for (size_t i = len - TMP_RANDOM; i < len; i++)
		if (!strchr(TMP_CHARS, name[i]))
			return NULL;
	*nlen = len - 1 - tag - TMP_RANDOM;
	return name + 1;
}

/* Remove what killed runs left for our paths in a directory whose lock we
 * hold: names is the set of those paths' NAMEs there. */
static void
sweep(const struct locked *dir, const struct hash *names)
{
	DIR *dp = fdopendir(dup(dir->fd));
	if (!dp)
		return;
	for (struct dirent *e; (e = readdir(dp));) {
		size_t nlen;
		const char *owner = tmp_owner(e->d_name, &nlen);
		if (!owner || !hash_get(names, owner, nlen))
			continue;
		struct strbuf p = { 0 };
		strbuf_adds(&p, dir->dir);
		if (p.buf[p.len - 1] != '/')
			strbuf_addc(&p, '/');
		strbuf_adds(&p, e->d_name);
		unlink(p.buf);
		strbuf_free(&p);
	}
	closedir(dp);
}

struct output_set *
output_begin(const char *const *paths, size_t n)
{
	install_handlers();
	struct output_set *s = calloc(1, sizeof *s);
	if (!s || !(s->dirs = calloc(n + 1, sizeof *s->dirs)))
		die_oom();
	struct arena *a = arena_new();
	/* Each directory opened once for all its paths, however many: a
	 * descriptor each would run out where few are allowed, and the
	 * directory then go unlocked. */
	struct hash *opened = hash_new(a, n);
	for (size_t i = 0; i < n; i++) {
		char *d = dir_of(paths[i]);
		if (hash_put(opened, arena_strndup(a, d, strlen(d)), strlen(d),
			     (void *)paths[i])) {
			free(d);
			continue;
		}
		struct stat st;
		int fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st)) {
			/* Not ours to lock (no read permission, or missing:
			 * staging reports it); nothing is swept there. */
			if (fd >= 0)
				close(fd);
			free(d);
			continue;
		}
		s->dirs[s->ndirs++] =
			(struct locked){ fd, st.st_dev, st.st_ino, d, NULL };
	}
	qsort(s->dirs, s->ndirs, sizeof *s->dirs, locked_cmp);
	size_t kept = 0;
	for (size_t i = 0; i < s->ndirs; i++) {
		struct locked *l = &s->dirs[i];
		if (kept && !locked_cmp(&s->dirs[kept - 1], l)) {
			close(l->fd); /* one lock per directory, however named
				       */
			free(l->dir);
			continue;
		}
		int rc;
		while ((rc = flock(l->fd, LOCK_EX)) && errno == EINTR)
			;
		if (rc) { /* a file system without locks: no sweeping there */
			close(l->fd);
			l->fd = -1;
		}
		l->names = hash_new(a, 4);
		s->dirs[kept++] = *l;
	}
	s->ndirs = kept;
	/* Each path's NAME, in the set of its directory. */
	for (size_t i = 0; i < n; i++) {
		char *d = dir_of(paths[i]);
		struct stat st;
		struct locked key = { 0 };
		if (!stat(d, &st)) {
			key.dev = st.st_dev, key.ino = st.st_ino;
			struct locked *l = bsearch(&key, s->dirs, s->ndirs,
						   sizeof *s->dirs, locked_cmp);
			const char *base = paths[i] + dir_len(paths[i]);
			if (l)
				hash_put(l->names, base, tmp_name_len(base),
					 (void *)base);
		}
		free(d);
	}
	for (size_t i = 0; i < s->ndirs; i++)
		if (s->dirs[i].fd >= 0)
			sweep(&s->dirs[i], s->dirs[i].names);
	for (size_t i = 0; i < s->ndirs; i++)
		s->dirs[i].names = NULL;
	arena_free(a);
	return s;
}

/* Whether fd's next len bytes are data's, read through scratch. */
static bool
reads_as(int fd, char *scratch, size_t cap, const char *data, size_t len)
{
	for (size_t off = 0; off < len;) {
		size_t want = len - off < cap ? len - off : cap;
		ssize_t got = read(fd, scratch, want);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0 || memcmp(scratch, data + off, (size_t)got))
			return false;
		off += (size_t)got;
	}
	return true;
}

/* path opened for reading where it is a regular file of len bytes, else
 * -1. Opened without blocking, so that a FIFO put there meanwhile cannot
 * hang the run. */
static int
open_sized(const char *path, uint64_t len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
			(uint64_t)st.st_size != len)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Whether path is a regular file holding exactly data. */
static bool
holds(const char *path, const char *data, size_t len)
{
	int fd = open_sized(path, len);
	if (fd < 0)
		return false;
	char buf[65536];
	bool same = reads_as(fd, buf, sizeof buf, data, len);
	close(fd);
	return same;
}

static int
write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Give the new file what the one it replaces had: owner and group where
 * this process may set them, then the mode (chown clears set-id bits). */
static int
take_identity(int fd, const struct output_keep *keep)
{
	if (fchown(fd, (uid_t)keep->uid, (gid_t)keep->gid))
		(void)!fchown(fd, (uid_t)-1, (gid_t)keep->gid);
	return fchmod(fd, (mode_t)keep->mode & 07777) ? errno : 0;
}

/* A file being staged: its temporary file, and the target read alongside
 * while the bytes may still be what it holds. */
struct output_stream {
	const char *path;
	char *tmp;
	const struct output_keep *keep;
	int fd;
	int target; /* -1: the bytes differ from the target's, or no target */
	int err;    /* the first failure; later writes do nothing */
	char cmp[65536];
};

/* The name of a temporary file of path, ".NAME.skillc-tmp-XXXXXX":
 * beside the output, so that the rename is atomic. */
static void
tmp_template(struct strbuf *t, const char *path)
{
	const char *base = path + dir_len(path);
	strbuf_add(t, path, dir_len(path));
	strbuf_addc(t, '.');
	strbuf_add(t, base, tmp_name_len(base));
	strbuf_adds(t, TMP_TAG "XXXXXX");
}

/* Staged: renamed over path on commit, removed otherwise. */
static void
stage_add(struct output_set *s, const char *path, char *tmp,
	  const struct output_keep *keep)
{
	if (s->nstaged == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->staged = realloc(s->staged, s->cap * sizeof *s->staged);
		if (!s->staged)
			die_oom();
	}
	s->staged[s->nstaged++] = (struct staged){ path, tmp, keep };
}

/* The temporary file of path, which output_check allowed. */
static int
stream_open(const char *path, const struct output_keep *keep, bool compare,
	    struct output_stream **out)
{
	*out = NULL;
	struct strbuf t = { 0 };
	tmp_template(&t, path);
	sigset_t old;
	block_signals(&old); /* no window between creating and listing it */
	int fd = mkstemp(t.buf);
	int err = fd < 0 ? errno : 0;
	if (fd >= 0)
		live_add(t.buf);
	restore_signals(&old);
	if (err) {
		strbuf_free(&t);
		return err;
	}
	mode_t mask = umask(0);
	umask(mask);
	if (keep)
		err = take_identity(fd, keep);
	else if (fchmod(fd, 0666 & ~mask))
		err = errno;
	struct output_stream *o = malloc(sizeof *o);
	if (!o)
		die_oom();
	*o = (struct output_stream){ .path = path,
				     .tmp = t.buf,
				     .keep = keep,
				     .fd = fd,
				     .target = -1,
				     .err = err };
	/* Opened without blocking, so that a FIFO put there meanwhile
	 * cannot hang the run. */
	struct stat st;
	if (compare && !err &&
	    (o->target = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
					    O_CLOEXEC)) >= 0 &&
	    (fstat(o->target, &st) || !S_ISREG(st.st_mode))) {
		close(o->target);
		o->target = -1;
	}
	*out = o;
	return 0;
}

void
output_stream_write(void *stream, const char *data, size_t len)
{
	struct output_stream *o = stream;
	if (o->err)
		return;
	if (o->target >= 0 &&
	    !reads_as(o->target, o->cmp, sizeof o->cmp, data, len)) {
		close(o->target);
		o->target = -1;
	}
	o->err = write_all(o->fd, data, len);
}

int
output_stream_open(const char *path, struct output_stream **o)
{
	int err = output_check(path);
	return err ? err : stream_open(path, NULL, true, o);
}

int
output_stream_close(struct output_set *s, struct output_stream *o, int fail)
{
	int err = fail ? fail : o->err;
	char end;
	ssize_t more = 1;
	while (!err && o->target >= 0 &&
	       (more = read(o->target, &end, 1)) < 0 && errno == EINTR)
		;
	bool same = !err && o->target >= 0 && more == 0;
	if (o->target >= 0)
		close(o->target);
	if (!err && !same && fsync(o->fd))
		err = errno;
	if (close(o->fd) && !err)
		err = errno;
	if (err || same) {
		unlink(o->tmp);
		live_remove(o->tmp);
		free(o->tmp);
	} else {
		stage_add(s, o->path, o->tmp, o->keep);
	}
	free(o);
	return err;
}

int
output_stage(struct output_set *s, const char *path, const char *data,
	     size_t len, const struct output_keep *keep)
{
	/* The target holding data already: no temporary file at all. */
	int err = output_check(path);
	if (err || (!keep && holds(path, data, len)))
		return err;
	struct output_stream *o;
	if ((err = stream_open(path, keep, false, &o)))
		return err;
	output_stream_write(o, data, len);
	return output_stream_close(s, o, 0);
}

/* Whether path is still the file keep describes, holding what it held. */
static bool
unchanged(const char *path, const struct output_keep *keep)
{
	struct stat st;
	if (lstat(path, &st) || !S_ISREG(st.st_mode) ||
	    (unsigned long long)st.st_dev != keep->dev ||
	    (unsigned long long)st.st_ino != keep->ino)
		return false;
	return holds(path, keep->data, keep->len);
}

int
output_commit(struct output_set *s, const char **failed)
{
	/* Everything is checked before the first rename: the targets are
	 * still what they may be, conditional ones still what was read. */
	for (size_t i = 0; i < s->nstaged; i++) {
		const struct staged *st = &s->staged[i];
		int err = output_check(st->path);
		if (!err && st->keep && !unchanged(st->path, st->keep))
			err = OUTPUT_CHANGED;
		if (err) {
			*failed = st->path;
			return err;
		}
	}
	sigset_t old;
	block_signals(&old); /* the set is renamed whole or not at all */
	int err = 0;
	for (size_t i = 0; i < s->nstaged && !err; i++) {
		struct staged *st = &s->staged[i];
		if (rename(st->tmp, st->path)) {
			err = errno;
			*failed = st->path;
			break;
		}
		live_remove(st->tmp);
		free(st->tmp);
		st->tmp = NULL;
	}
	/* The renames themselves reach the disk with their directories. */
	for (size_t i = 0; i < s->ndirs && !err; i++)
		if (s->dirs[i].fd >= 0)
			(void)fsync(s->dirs[i].fd);
	restore_signals(&old);
	return err;
}

void
output_end(struct output_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nstaged; i++) {
		if (!s->staged[i].tmp)
			continue;
		unlink(s->staged[i].tmp);
		live_remove(s->staged[i].tmp);
		free(s->staged[i].tmp);
	}
	for (size_t i = 0; i < s->ndirs; i++) {
		if (s->dirs[i].fd >= 0)
			close(s->dirs[i].fd); /* and with it the lock */
		free(s->dirs[i].dir);
	}
	free(s->dirs);
	free(s->staged);
	free(s);
}

/* ---- scratch files ----------------------------------------------------- */

/* A file of $TMPDIR (or /tmp), private to its user (mkstemp's 0600),
 * gone from its directory the moment it is made, with the signals that
 * end a run held off in between: nothing of it is left whatever ends the
 * run. -1 where any of that fails. */
static int
scratch_file(void)
{
	const char *dir = getenv("TMPDIR");
	struct strbuf path = { 0 };
	strbuf_adds(&path, dir && *dir ? dir : "/tmp");
	strbuf_adds(&path, "/skillc-XXXXXX");
	sigset_t old;
	block_signals(&old);
	int fd = mkstemp(path.buf);
	if (fd >= 0 && unlink(path.buf)) {
		close(fd);
		fd = -1;
	}
	restore_signals(&old);
	strbuf_free(&path);
	return fd;
}

void
scratch_write(void *scratch, const char *data, size_t len)
{
	struct scratch *sc = scratch;
	if (!sc->failed && sc->fd < 0 && (sc->fd = scratch_file()) < 0)
		sc->failed = true;
	if (!sc->failed && write_all(sc->fd, data, len))
		sc->failed = true;
	if (!sc->failed)
		sc->size += len;
}

void
scratch_begin(struct scratch *sc, struct strbuf *sb, uint64_t *from)
{
	*sb = (struct strbuf){ 0 };
	*from = sc->size;
	if (!sc->failed)
		sb->sink = scratch_write, sb->sink_ctx = sc;
}

enum scratch_end
scratch_end(struct scratch *sc, struct strbuf *sb, uint64_t from)
{
	bool streamed = sb->sink != NULL;
	sb->sink = NULL;
	sb->sink_ctx = NULL;
	if (!streamed || (!sc->failed && sc->size == from))
		return SCRATCH_IN_MEMORY; /* never drained: all in sb */
	if (!sc->failed)
		scratch_write(sc, sb->buf, sb->len);
	strbuf_free(sb);
	return sc->failed ? SCRATCH_LOST : SCRATCH_IN_FILE;
}

bool
scratch_render(struct scratch *sc, struct strbuf *sb,
	       void (*emit)(const struct unit *u, struct strbuf *out),
	       const struct unit *u, uint64_t *from, uint64_t *len)
{
	scratch_begin(sc, sb, from);
	emit(u, sb);
	switch (scratch_end(sc, sb, *from)) {
	case SCRATCH_IN_FILE:
		*len = sc->size - *from;
		return true;
	case SCRATCH_LOST: /* what was drained is lost: in memory */
		emit(u, sb);
		break;
	case SCRATCH_IN_MEMORY:
		break;
	}
	return false;
}

int
scratch_read(const struct scratch *sc, uint64_t off, char *buf, size_t len)
{
	while (len) {
		ssize_t got = pread(sc->fd, buf, len, (off_t)off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got < 0 ? errno : EIO;
		buf += got, off += (uint64_t)got, len -= (size_t)got;
	}
	return 0;
}

void
scratch_close(struct scratch *sc)
{
	if (sc->fd >= 0)
		close(sc->fd);
	*sc = (struct scratch)SCRATCH_INIT;
}

/* Made at once, not at the first drain: where it cannot be, the caller
 * uses its shared scratch file instead. Nothing of an unnamed file is
 * left whatever ends the run. */
bool
scratch_beside(struct scratch *sc, const char *path)
{
	*sc = (struct scratch)SCRATCH_INIT;
	char *d = dir_of(path);
	size_t len = strlen(d);
	struct stat st;
	while (stat(d, &st) && errno == ENOENT && strcmp(d, ".")) {
		while (len > 1 && d[len - 1] == '/')
			len--;
		while (len && d[len - 1] != '/')
			len--;
		if (len)
			d[len] = '\0';
		else
			strcpy(d, "."); /* d held a name and its '/' */
	}
#ifdef O_TMPFILE
	sc->fd = open(d, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
	free(d);
	return sc->fd >= 0;
}

/* Whether path is a regular file holding sc's bytes. */
static bool
holds_scratch(const char *path, const struct scratch *sc)
{
	int fd = open_sized(path, sc->size);
	if (fd < 0)
		return false;
	enum { CHUNK = 65536 };
	char *buf = malloc(2 * CHUNK);
	if (!buf)
		die_oom();
	bool same = true;
	for (uint64_t off = 0; same && off < sc->size;) {
		size_t n = sc->size - off < CHUNK ? (size_t)(sc->size - off)
						  : CHUNK;
		same = !scratch_read(sc, off, buf, n) &&
		       reads_as(fd, buf + CHUNK, CHUNK, buf, n);
		off += n;
	}
	free(buf);
	close(fd);
	return same;
}

/* The XXXXXX ending t, as mkstemp fills them: a name to try. */
static void
tmp_fill(struct strbuf *t)
{
	static uint64_t x;
	if (!x) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		x = ((uint64_t)getpid() << 32 ^ (uint64_t)ts.tv_sec << 20 ^
		     (uint64_t)ts.tv_nsec) |
		    1;
	}
	for (size_t i = t->len - TMP_RANDOM; i < t->len; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
		t->buf[i] = TMP_CHARS[x % (sizeof TMP_CHARS - 1)];
	}
}

int
output_stage_scratch(struct output_set *s, const char *path,
		     const struct scratch *sc)
{
	int err = output_check(path);
	if (err || holds_scratch(path, sc))
		return err;
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(sc->fd, 0666 & ~mask) || fsync(sc->fd))
		return errno;
	/* linkat of the descriptor itself (AT_EMPTY_PATH) needs a
	 * privilege; of its name in /proc, as open(2) shows, none. */
	char proc[48];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", sc->fd);
	struct strbuf t = { 0 };
	tmp_template(&t, path);
	for (int tries = 0;; tries++) {
		tmp_fill(&t);
		sigset_t old;
		block_signals(&old); /* no window between linking, listing */
		err = linkat(AT_FDCWD, proc, AT_FDCWD, t.buf, AT_SYMLINK_FOLLOW)
			      ? errno
			      : 0;
		if (!err)
			live_add(t.buf);
		restore_signals(&old);
		if (!err)
			break;
		if (err != EEXIST || tries + 1 == TMP_TRIES) {
			strbuf_free(&t);
			return OUTPUT_NOT_LINKED;
		}
	}
	stage_add(s, path, t.buf, NULL);
	return 0;
}

int
output_mkdirs(const char *dir)
{
	struct strbuf sb = { 0 };
	strbuf_adds(&sb, dir);
	int err = 0;
	for (size_t i = 1; i <= sb.len && !err; i++) {
		if (i < sb.len && sb.buf[i] != '/')
			continue;
		char saved = sb.buf[i];
		sb.buf[i] = '\0';
		struct stat st;
		if (mkdir(sb.buf, 0777) && errno != EEXIST)
			err = errno;
		else if (stat(sb.buf, &st))
			err = errno;
		else if (!S_ISDIR(st.st_mode))
			err = ENOTDIR;
		sb.buf[i] = saved;
	}
	strbuf_free(&sb);
	return err;
}

const char *
output_strerror(int err)
{
	switch (err) {
	case OUTPUT_SYMLINK:
		return _(
			/* TRANSLATORS: why a file cannot be written, after
			 * "cannot write 'FILE': " as the system's own
			 * reasons are. */
			"it is a symbolic link, which skillc does not replace");
	case OUTPUT_NOT_REGULAR:
		return _("it is not a regular file");
	case OUTPUT_CHANGED:
		return _(
			"it was changed by someone else meanwhile; nothing was written");
	default:
		return strerror(err);
	}
}
