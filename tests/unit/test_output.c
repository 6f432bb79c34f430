/*
 * test_output.c - putting files on disk (output.c), in a scratch directory
 * of /tmp made for each test and removed after it. What may be written
 * (output_check); a set staged and committed: exact bytes, the umask's
 * mode, no temporary file left, a file that holds its bytes untouched,
 * also when they come piece by piece (output_stream_*); a
 * set ended without commit, or refused at commit, leaves every file as it
 * was; a conditional replacement keeps the mode and owner, and is refused
 * for the whole set when the file changed after it was read; the sweep
 * removes only the temporary files of the set's own paths; a directory
 * named twice is locked once; output_mkdirs and output_strerror; scratch
 * files, and what is kept where none can be made.
 */
#include "skillc.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define TMP_TAG ".skillc-tmp-"

static struct arena *arena;
static char scratch[64];
static mode_t saved_mask;

/* Remove path and everything below it, never following a link. */
static void
remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st))
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	DIR *dp = opendir(path);
	for (struct dirent *e; dp && (e = readdir(dp));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		struct strbuf sb = { 0 };
		strbuf_addf(&sb, "%s/%s", path, e->d_name);
		remove_tree(sb.buf);
		strbuf_free(&sb);
	}
	if (dp)
		closedir(dp);
	rmdir(path);
}

/* What scratch holds, removed. */
static void
empty_scratch(void)
{
	DIR *dp = opendir(scratch);
	ck_assert_ptr_nonnull(dp);
	for (struct dirent *e; (e = readdir(dp));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		struct strbuf sb = { 0 };
		strbuf_addf(&sb, "%s/%s", scratch, e->d_name);
		remove_tree(sb.buf);
		strbuf_free(&sb);
	}
	closedir(dp);
}

/* The scratch directory lives as long as a TCase: an unchecked fixture
 * runs in the parent, so a test that fails (and whose process ends
 * without its teardown) leaves nothing behind. Each test starts with it
 * empty. */
static void
make_scratch(void)
{
	strcpy(scratch, "/tmp/skillc-unit-output-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(scratch));
}

static void
remove_scratch(void)
{
	remove_tree(scratch);
}

static void
setup(void)
{
	arena = arena_new();
	saved_mask = umask(022);
	empty_scratch();
}

static void
teardown(void)
{
	umask(saved_mask);
	empty_scratch();
	arena_free(arena);
	arena = NULL;
}

/* scratch/rel, in the arena. */
static const char *
at(const char *rel)
{
	size_t dlen = strlen(scratch), rlen = strlen(rel);
	char *p = arena_alloc(arena, dlen + rlen + 2);
	memcpy(p, scratch, dlen);
	p[dlen] = '/';
	memcpy(p + dlen + 1, rel, rlen);
	return p;
}

/* Write rel with data, created with mode (before the umask). */
static void
put(const char *rel, const char *data, mode_t mode)
{
	int fd = open(at(rel), O_WRONLY | O_CREAT | O_TRUNC, mode);
	ck_assert_msg(fd >= 0, "cannot create %s: %s", rel, strerror(errno));
	size_t len = strlen(data);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	ck_assert_int_eq(close(fd), 0);
}

/* The bytes of rel, NUL-terminated, or NULL if it cannot be read. */
static const char *
slurp(const char *rel)
{
	char *buf;
	size_t len;
	return load_read(arena, at(rel), &buf, &len) ? NULL : buf;
}

static struct stat
stat_of(const char *rel)
{
	struct stat st;
	ck_assert_msg(!lstat(at(rel), &st), "%s: %s", rel, strerror(errno));
	return st;
}

static bool
exists(const char *rel)
{
	struct stat st;
	return lstat(at(rel), &st) == 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in scratch/rel ("" for scratch), sorted, each followed by a
 * newline; in the arena. */
static const char *
listing(const char *rel)
{
	char *names[64];
	size_t n = 0;
	DIR *dp = opendir(*rel ? at(rel) : scratch);
	ck_assert_ptr_nonnull(dp);
	for (struct dirent *e; (e = readdir(dp));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		ck_assert_uint_lt(n, 64);
		names[n++] = arena_strndup(arena, e->d_name, strlen(e->d_name));
	}
	closedir(dp);
	qsort(names, n, sizeof *names, name_cmp);
	struct strbuf sb = { 0 };
	strbuf_adds(&sb, "");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "%s\n", names[i]);
	char *s = arena_strndup(arena, sb.buf ? sb.buf : "", sb.len);
	strbuf_free(&sb);
	return s;
}

/* Whether name is a temporary file of NAME: ".NAME.skillc-tmp-XXXXXX",
 * six letters or digits. */
static bool
is_temp_of(const char *name, const char *of)
{
	size_t olen = strlen(of), tlen = strlen(TMP_TAG);
	if (name[0] != '.' || strncmp(name + 1, of, olen) ||
	    strncmp(name + 1 + olen, TMP_TAG, tlen) ||
	    strlen(name) != 1 + olen + tlen + 6)
		return false;
	for (const char *p = name + 1 + olen + tlen; *p; p++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789",
			    *p))
			return false;
	return true;
}

/* How many names of scratch hold the tag of a temporary file. */
static size_t
temp_count(void)
{
	size_t n = 0;
	DIR *dp = opendir(scratch);
	ck_assert_ptr_nonnull(dp);
	for (struct dirent *e; (e = readdir(dp));)
		n += strstr(e->d_name, TMP_TAG) != NULL;
	closedir(dp);
	return n;
}

/* What tests put where an output goes. */
enum kind {
	K_ABSENT,
	K_REGULAR,
	K_SYMLINK,  /* to a regular file, "target" */
	K_DANGLING, /* to "nowhere", absent */
	K_DIR,
	K_FIFO,
};

static void
make(enum kind kind, const char *rel)
{
	switch (kind) {
	case K_ABSENT:
		break;
	case K_REGULAR:
		put(rel, "old\n", 0666);
		break;
	case K_SYMLINK:
		put("target", "target\n", 0666);
		ck_assert_int_eq(symlink("target", at(rel)), 0);
		break;
	case K_DANGLING:
		ck_assert_int_eq(symlink("nowhere", at(rel)), 0);
		break;
	case K_DIR:
		ck_assert_int_eq(mkdir(at(rel), 0777), 0);
		break;
	case K_FIFO:
		ck_assert_int_eq(mkfifo(at(rel), 0666), 0);
		break;
	}
}

/* ---- output_check --------------------------------------------------------
 */

static const struct check_case {
	const char *what;
	enum kind kind;
	const char *rel; /* NULL: the empty name */
	int want;
} check_cases[] = {
	{ "absent", K_ABSENT, "x.h", 0 },
	{ "regular", K_REGULAR, "x.h", 0 },
	{ "symlink", K_SYMLINK, "x.h", OUTPUT_SYMLINK },
	{ "dangling symlink", K_DANGLING, "x.h", OUTPUT_SYMLINK },
	{ "directory", K_DIR, "x.h", EISDIR },
	{ "FIFO", K_FIFO, "x.h", OUTPUT_NOT_REGULAR },
	{ "empty name", K_ABSENT, NULL, ENOENT },
	{ "below a file", K_REGULAR, "x.h/y.h", ENOTDIR },
};

START_TEST(test_check)
{
	const struct check_case *c = &check_cases[_i];
	make(c->kind, c->kind == K_REGULAR ? "x.h" : c->rel ? c->rel : "x.h");
	int got = output_check(c->rel ? at(c->rel) : "");
	ck_assert_msg(got == c->want, "%s: %d, not %d", c->what, got, c->want);
}
END_TEST

/* ---- a set committed -----------------------------------------------------
 */

static const char *const three_names[] = { "a.h", "b.json", "c.md" };
static const char *const three_data[] = { "#define A 1\n", "{\"b\": [1]}\n",
					  "" };

static const mode_t masks[] = { 022, 077, 002, 0 };

START_TEST(test_commit_three)
{
	/* Staged: three temporary files beside their targets, holding the
	 * bytes; committed: the targets hold them with the umask's mode,
	 * and the directory holds nothing else. */
	umask(masks[_i]);
	const char *paths[3];
	for (size_t i = 0; i < 3; i++)
		paths[i] = at(three_names[i]);
	struct output_set *s = output_begin(paths, 3);
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(output_stage(s, paths[i], three_data[i],
					      strlen(three_data[i]), NULL),
				 0);
	DIR *dp = opendir(scratch);
	size_t temps = 0;
	for (struct dirent *e; (e = readdir(dp));) {
		if (e->d_name[0] != '.' || !strcmp(e->d_name, ".") ||
		    !strcmp(e->d_name, ".."))
			continue;
		size_t i = 0;
		while (i < 3 && !is_temp_of(e->d_name, three_names[i]))
			i++;
		ck_assert_msg(i < 3, "'%s' is no temporary file's name",
			      e->d_name);
		ck_assert_str_eq(slurp(e->d_name), three_data[i]);
		temps++;
	}
	closedir(dp);
	ck_assert_uint_eq(temps, 3);
	for (size_t i = 0; i < 3; i++)
		ck_assert(!exists(three_names[i]));
	const char *failed = NULL;
	ck_assert_int_eq(output_commit(s, &failed), 0);
	ck_assert_ptr_null(failed);
	output_end(s);
	ck_assert_str_eq(listing(""), "a.h\nb.json\nc.md\n");
	for (size_t i = 0; i < 3; i++) {
		ck_assert_str_eq(slurp(three_names[i]), three_data[i]);
		struct stat st = stat_of(three_names[i]);
		ck_assert(S_ISREG(st.st_mode));
		ck_assert_uint_eq(st.st_mode & 07777, 0666 & ~masks[_i]);
	}
}
END_TEST

/* A file that held old is staged with new: rewritten or left alone. */
static const struct same_case {
	const char *old, *new;
	bool rewritten;
} same_cases[] = {
	{ "same bytes\n", "same bytes\n", false },
	{ "", "", false },
	{ "same bytes\n", "same bytEs\n", true },   /* same length */
	{ "same bytes\n", "same bytes", true },	    /* shorter */
	{ "same bytes\n", "same bytes\n\n", true }, /* longer */
	{ "", "x", true },
};

/* x.h made to hold c's old bytes, with an old time, so that any write
 * would show; its stat. */
static struct stat
old_file(const struct same_case *c)
{
	put("x.h", c->old, 0640);
	struct timespec old_time[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	ck_assert_int_eq(utimensat(AT_FDCWD, at("x.h"), old_time, 0), 0);
	return stat_of("x.h");
}

/* The set of x.h, staged, committed: x.h holds c's new bytes, rewritten
 * or left as it was, and nothing else is there. */
static void
commit_case(struct output_set *s, const struct same_case *c,
	    const struct stat *before)
{
	/* Nothing staged for a file that holds its bytes. */
	ck_assert_uint_eq(temp_count(), c->rewritten ? 1 : 0);
	const char *failed = NULL;
	ck_assert_int_eq(output_commit(s, &failed), 0);
	output_end(s);
	struct stat after = stat_of("x.h");
	ck_assert_str_eq(slurp("x.h"), c->new);
	ck_assert_str_eq(listing(""), "x.h\n");
	if (c->rewritten) {
		ck_assert_uint_ne(after.st_ino, before->st_ino);
		ck_assert_uint_eq(after.st_mode & 07777, 0644);
	} else {
		ck_assert_uint_eq(after.st_ino, before->st_ino);
		ck_assert_int_eq(after.st_mtim.tv_sec, 1000000000);
		ck_assert_uint_eq(after.st_mode & 07777, 0640);
	}
}

START_TEST(test_unchanged)
{
	const struct same_case *c = &same_cases[_i];
	struct stat before = old_file(c);
	const char *path = at("x.h");
	struct output_set *s = output_begin(&path, 1);
	ck_assert_int_eq(output_stage(s, path, c->new, strlen(c->new), NULL),
			 0);
	commit_case(s, c, &before);
}
END_TEST

START_TEST(test_stream_unchanged)
{
	/* The same, the bytes written in pieces of 1, 2 and 3 bytes as a
	 * streamed buffer's sink writes them: a file that held them is left
	 * alone, its temporary file gone at the close. */
	const struct same_case *c = &same_cases[_i / 3];
	size_t step = 1 + (size_t)_i % 3;
	struct stat before = old_file(c);
	const char *path = at("x.h");
	struct output_set *s = output_begin(&path, 1);
	struct output_stream *o = NULL;
	ck_assert_int_eq(output_stream_open(path, &o), 0);
	ck_assert_uint_eq(temp_count(), 1);
	size_t len = strlen(c->new);
	for (size_t off = 0; off < len; off += step)
		output_stream_write(o, c->new + off,
				    len - off < step ? len - off : step);
	ck_assert_int_eq(output_stream_close(s, o, 0), 0);
	commit_case(s, c, &before);
}
END_TEST

/* ---- nothing written -----------------------------------------------------
 */

START_TEST(test_end_without_commit)
{
	/* Two files replaced and one created, staged, never committed. */
	put("a.h", "old a\n", 0666);
	put("b.h", "old b\n", 0666);
	const char *paths[] = { at("a.h"), at("b.h"), at("c.h") };
	struct output_set *s = output_begin(paths, 3);
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(output_stage(s, paths[i], "new\n", 4, NULL),
				 0);
	ck_assert_uint_eq(temp_count(), 3);
	output_end(s);
	ck_assert_str_eq(listing(""), "a.h\nb.h\n");
	ck_assert_str_eq(slurp("a.h"), "old a\n");
	ck_assert_str_eq(slurp("b.h"), "old b\n");
}
END_TEST

/* What stands where the output goes: staging refuses it and creates
 * nothing (not even through a link); so does commit, when it was put
 * there after staging, for the whole set. */
static const struct refuse_case {
	const char *what;
	enum kind kind;
	int want;
	const char *left; /* the listing after */
} refuse_cases[] = {
	{ "directory", K_DIR, EISDIR, "x.h\n" },
	{ "FIFO", K_FIFO, OUTPUT_NOT_REGULAR, "x.h\n" },
	{ "symlink", K_SYMLINK, OUTPUT_SYMLINK, "target\nx.h\n" },
	{ "dangling symlink", K_DANGLING, OUTPUT_SYMLINK, "x.h\n" },
};

START_TEST(test_stage_refused)
{
	const struct refuse_case *c = &refuse_cases[_i];
	make(c->kind, "x.h");
	const char *path = at("x.h");
	struct output_set *s = output_begin(&path, 1);
	int got = output_stage(s, path, "new\n", 4, NULL);
	ck_assert_msg(got == c->want, "%s: %d, not %d", c->what, got, c->want);
	ck_assert_str_eq(listing(""), c->left);
	const char *failed = NULL;
	ck_assert_int_eq(output_commit(s, &failed), 0); /* nothing staged */
	output_end(s);
	ck_assert_str_eq(listing(""), c->left);
	if (c->kind == K_SYMLINK)
		ck_assert_str_eq(slurp("target"), "target\n");
}
END_TEST

START_TEST(test_commit_refused)
{
	/* a.h staged first, then x.h, which then becomes what it may not
	 * be: nothing is renamed, a.h included. */
	const struct refuse_case *c = &refuse_cases[_i];
	put("a.h", "old a\n", 0666);
	const char *paths[] = { at("a.h"), at("x.h") };
	struct output_set *s = output_begin(paths, 2);
	ck_assert_int_eq(output_stage(s, paths[0], "new a\n", 6, NULL), 0);
	ck_assert_int_eq(output_stage(s, paths[1], "new x\n", 6, NULL), 0);
	make(c->kind, "x.h");
	const char *failed = NULL;
	int got = output_commit(s, &failed);
	ck_assert_msg(got == c->want, "%s: %d, not %d", c->what, got, c->want);
	ck_assert_ptr_eq(failed, paths[1]);
	ck_assert_str_eq(slurp("a.h"), "old a\n");
	ck_assert_uint_eq(temp_count(), 2);
	output_end(s);
	ck_assert_uint_eq(temp_count(), 0);
	ck_assert_str_eq(slurp("a.h"), "old a\n");
	if (c->kind == K_SYMLINK)
		ck_assert_str_eq(slurp("target"), "target\n");
}
END_TEST

START_TEST(test_stream_refused)
{
	/* What output_stage refuses, a stream refuses at its open, and
	 * creates nothing. */
	const struct refuse_case *c = &refuse_cases[_i];
	make(c->kind, "x.h");
	const char *path = at("x.h");
	struct output_set *s = output_begin(&path, 1);
	struct output_stream *o = NULL;
	ck_assert_int_eq(output_stream_open(path, &o), c->want);
	ck_assert_ptr_null(o);
	output_end(s);
	ck_assert_str_eq(listing(""), c->left);
}
END_TEST

/* ---- conditional replacement ---------------------------------------------
 */

/* The output_keep of rel as it is now; data in the arena. */
static struct output_keep
keep_of(const char *rel)
{
	const char *data = slurp(rel);
	ck_assert_ptr_nonnull(data);
	struct stat st = stat_of(rel);
	return (struct output_keep){ data,	strlen(data), st.st_dev,
				     st.st_ino, st.st_mode,   st.st_uid,
				     st.st_gid };
}

static const struct mode_case {
	mode_t mode, mask;
} mode_cases[] = {
	{ 0600, 022 }, { 0640, 022 }, { 0755, 022 },
	{ 0444, 022 }, { 0644, 077 }, /* the umask does not apply */
};

START_TEST(test_keep_mode)
{
	const struct mode_case *c = &mode_cases[_i];
	umask(c->mask);
	put("s.yaml", "old: 1\n", 0600);
	ck_assert_int_eq(chmod(at("s.yaml"), c->mode), 0);
	/* Root may give the file to someone else: the new one is theirs. */
	if (geteuid() == 0)
		ck_assert_int_eq(chown(at("s.yaml"), 12345, 23456), 0);
	struct stat before = stat_of("s.yaml");
	struct output_keep keep = keep_of("s.yaml");
	const char *path = at("s.yaml");
	struct output_set *s = output_begin(&path, 1);
	ck_assert_int_eq(output_stage(s, path, "new: 2\n", 7, &keep), 0);
	const char *failed = NULL;
	ck_assert_int_eq(output_commit(s, &failed), 0);
	output_end(s);
	struct stat after = stat_of("s.yaml");
	ck_assert_str_eq(slurp("s.yaml"), "new: 2\n");
	ck_assert_uint_ne(after.st_ino, before.st_ino);
	ck_assert_uint_eq(after.st_mode & 07777, c->mode);
	ck_assert_uint_eq(after.st_uid, before.st_uid);
	ck_assert_uint_eq(after.st_gid, before.st_gid);
	ck_assert_str_eq(listing(""), "s.yaml\n");
}
END_TEST

START_TEST(test_keep_same_bytes)
{
	/* Conditional: staged even when the bytes are the same (the mode
	 * and owner are what the caller asks for). */
	put("s.yaml", "same\n", 0600);
	struct output_keep keep = keep_of("s.yaml");
	const char *path = at("s.yaml");
	struct output_set *s = output_begin(&path, 1);
	ck_assert_int_eq(output_stage(s, path, "same\n", 5, &keep), 0);
	ck_assert_uint_eq(temp_count(), 1);
	const char *failed = NULL;
	ck_assert_int_eq(output_commit(s, &failed), 0);
	output_end(s);
	ck_assert_str_eq(slurp("s.yaml"), "same\n");
	ck_assert_uint_eq(stat_of("s.yaml").st_mode & 07777, 0600);
	ck_assert_str_eq(listing(""), "s.yaml\n");
}
END_TEST

/* What happens to s.yaml between output_stage and output_commit. */
enum change {
	CH_NONE,
	CH_TOUCHED,   /* a new time, the same bytes: unchanged */
	CH_REWRITTEN, /* the same file, other bytes */
	CH_SAME_SIZE, /* the same file and size, other bytes */
	CH_REPLACED,  /* another file with the same bytes */
	CH_REMOVED,
	CH_SYMLINK,
};

static const struct change_case {
	const char *what;
	enum change change;
	int want;
	const char *left; /* s.yaml after the set, NULL for absent */
} change_cases[] = {
	{ "none", CH_NONE, 0, "new: 2\n" },
	{ "touched", CH_TOUCHED, 0, "new: 2\n" },
	{ "rewritten", CH_REWRITTEN, OUTPUT_CHANGED, "theirs: 3\n" },
	{ "same size", CH_SAME_SIZE, OUTPUT_CHANGED, "old: 3\n" },
	{ "replaced", CH_REPLACED, OUTPUT_CHANGED, "old: 1\n" },
	{ "removed", CH_REMOVED, OUTPUT_CHANGED, NULL },
	{ "symlink", CH_SYMLINK, OUTPUT_SYMLINK, "target\n" },
};

static void
change(enum change ch)
{
	struct timespec t[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	switch (ch) {
	case CH_NONE:
		break;
	case CH_TOUCHED:
		ck_assert_int_eq(utimensat(AT_FDCWD, at("s.yaml"), t, 0), 0);
		break;
	case CH_REWRITTEN:
		put("s.yaml", "theirs: 3\n", 0666);
		break;
	case CH_SAME_SIZE:
		put("s.yaml", "old: 3\n", 0666);
		break;
	case CH_REPLACED:
		put("other", "old: 1\n", 0666);
		ck_assert_int_eq(rename(at("other"), at("s.yaml")), 0);
		break;
	case CH_REMOVED:
		ck_assert_int_eq(unlink(at("s.yaml")), 0);
		break;
	case CH_SYMLINK:
		ck_assert_int_eq(unlink(at("s.yaml")), 0);
		make(K_SYMLINK, "s.yaml");
		break;
	}
}

START_TEST(test_keep_changed)
{
	/* b.h, unconditional, is staged before s.yaml, conditional: when
	 * s.yaml changed after it was read, neither is renamed. */
	const struct change_case *c = &change_cases[_i];
	put("b.h", "old b\n", 0666);
	put("s.yaml", "old: 1\n", 0666);
	struct output_keep keep = keep_of("s.yaml");
	const char *paths[] = { at("b.h"), at("s.yaml") };
	struct output_set *s = output_begin(paths, 2);
	ck_assert_int_eq(output_stage(s, paths[0], "new b\n", 6, NULL), 0);
	ck_assert_int_eq(output_stage(s, paths[1], "new: 2\n", 7, &keep), 0);
	change(c->change);
	const char *failed = NULL;
	int got = output_commit(s, &failed);
	ck_assert_msg(got == c->want, "%s: %d, not %d", c->what, got, c->want);
	ck_assert_str_eq(slurp("b.h"), c->want ? "old b\n" : "new b\n");
	if (c->want)
		ck_assert_ptr_eq(failed, paths[1]);
	output_end(s);
	ck_assert_uint_eq(temp_count(), 0);
	if (c->left)
		ck_assert_str_eq(slurp("s.yaml"), c->left);
	else
		ck_assert(!exists("s.yaml"));
}
END_TEST

/* ---- the sweep -----------------------------------------------------------
 */

/* A file named left in scratch (or in scratch/sub) and a set for path:
 * output_begin removes it or not. */
static const struct sweep_case {
	const char *path, *left;
	bool removed;
} sweep_cases[] = {
	{ "x.h", ".x.h.skillc-tmp-AbC123", true },
	{ "x.h", ".x.h.skillc-tmp-000000", true },
	{ "./x.h", ".x.h.skillc-tmp-AbC123", true },
	{ "sub/../x.h", ".x.h.skillc-tmp-AbC123", true },
	{ "x.h", ".x.h.backup", false },
	{ "x.h", ".x.h.ABC123", false },
	{ "x.h", ".y.h.skillc-tmp-AbC123", false },
	{ "x.h", ".xx.h.skillc-tmp-AbC123", false },
	{ "x.h", "..x.h.skillc-tmp-AbC123", false },
	{ "x.h", ".x.skillc-tmp-AbC123", false },
	{ "x.h", "x.h.skillc-tmp-AbC123", false },
	{ "x.h", ".x.h.skillc-tmp-AbC12", false },
	{ "x.h", ".x.h.skillc-tmp-AbC1234", false },
	{ "x.h", ".x.h.skillc-tmp-AbC12-", false },
	{ "x.h", ".x.h.skillc-tmp-", false },
	{ "x.h", "sub/.x.h.skillc-tmp-AbC123", false },
	{ "sub/x.h", ".x.h.skillc-tmp-AbC123", false },
	{ "y.h", ".x.h.skillc-tmp-AbC123", false },
};

START_TEST(test_sweep)
{
	const struct sweep_case *c = &sweep_cases[_i];
	ck_assert_int_eq(mkdir(at("sub"), 0777), 0);
	put(c->left, "left\n", 0666);
	put("keep", "keep\n", 0666);
	const char *path = at(c->path);
	struct output_set *s = output_begin(&path, 1);
	ck_assert_msg(exists(c->left) == !c->removed, "%s for %s: %s", c->left,
		      c->path, c->removed ? "kept" : "removed");
	output_end(s);
	ck_assert(exists(c->left) == !c->removed);
	ck_assert_str_eq(slurp("keep"), "keep\n");
}
END_TEST

START_TEST(test_sweep_killed)
{
	/* What a run killed between staging and commit leaves, the next
	 * set for that path removes. */
	const char *path = at("x.h");
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct output_set *s = output_begin(&path, 1);
		int err = output_stage(s, path, "x\n", 2, NULL);
		if (err)
			_exit(1);
		raise(SIGKILL);
		_exit(2);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ck_assert_uint_eq(temp_count(), 1);
	struct output_set *s = output_begin(&path, 1);
	ck_assert_uint_eq(temp_count(), 0);
	output_end(s);
	ck_assert_str_eq(listing(""), "");
}
END_TEST

/* ---- locks ---------------------------------------------------------------
 */

/* Whether another open file description can lock dir now. */
static bool
lockable(const char *rel)
{
	int fd = open(at(rel), O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(fd, 0);
	bool ok = flock(fd, LOCK_EX | LOCK_NB) == 0;
	if (!ok)
		ck_assert_int_eq(errno, EWOULDBLOCK);
	close(fd);
	return ok;
}

/* Two paths of a set, their directories, and the temporary files left
 * for each (in the directory as it is named first). A directory named
 * twice is locked once: locking it twice would wait for ever. */
static const struct lock_case {
	const char *path[2];
	const char *dirs[2]; /* locked while the set lives */
	const char *left[2];
} lock_cases[] = {
	{ { "d/a.h", "d/b.h" },
	  { "d", NULL },
	  { "d/.a.h.skillc-tmp-AbC123", "d/.b.h.skillc-tmp-AbC123" } },
	{ { "d/a.h", "d/./b.h" },
	  { "d", NULL },
	  { "d/.a.h.skillc-tmp-AbC123", "d/.b.h.skillc-tmp-AbC123" } },
	{ { "d/./a.h", "d/b.h" },
	  { "d", NULL },
	  { "d/.a.h.skillc-tmp-AbC123", "d/.b.h.skillc-tmp-AbC123" } },
	{ { "d/a.h", "d//b.h" },
	  { "d", NULL },
	  { "d/.a.h.skillc-tmp-AbC123", "d/.b.h.skillc-tmp-AbC123" } },
	{ { "d/a.h", "e/../d/b.h" },
	  { "d", NULL },
	  { "d/.a.h.skillc-tmp-AbC123", "d/.b.h.skillc-tmp-AbC123" } },
	{ { "d/a.h", "d/a.h" }, { "d", NULL }, { "d/.a.h.skillc-tmp-AbC123" } },
	{ { "d/a.h", "e/b.h" },
	  { "d", "e" },
	  { "d/.a.h.skillc-tmp-AbC123", "e/.b.h.skillc-tmp-AbC123" } },
	{ { "e/b.h", "d/a.h" },
	  { "d", "e" },
	  { "d/.a.h.skillc-tmp-AbC123", "e/.b.h.skillc-tmp-AbC123" } },
};

START_TEST(test_lock_once)
{
	const struct lock_case *c = &lock_cases[_i];
	ck_assert_int_eq(mkdir(at("d"), 0777), 0);
	ck_assert_int_eq(mkdir(at("e"), 0777), 0);
	for (size_t i = 0; i < 2 && c->left[i]; i++)
		put(c->left[i], "left\n", 0666);
	const char *paths[] = { at(c->path[0]), at(c->path[1]) };
	struct output_set *s = output_begin(paths, 2);
	for (size_t i = 0; i < 2 && c->dirs[i]; i++)
		ck_assert_msg(!lockable(c->dirs[i]), "%s is not locked",
			      c->dirs[i]);
	for (size_t i = 0; i < 2 && c->left[i]; i++)
		ck_assert_msg(!exists(c->left[i]), "%s is left", c->left[i]);
	/* The set works: both staged and committed. */
	ck_assert_int_eq(output_stage(s, paths[0], "0\n", 2, NULL), 0);
	if (strcmp(c->path[0], c->path[1]))
		ck_assert_int_eq(output_stage(s, paths[1], "1\n", 2, NULL), 0);
	const char *failed = NULL;
	ck_assert_int_eq(output_commit(s, &failed), 0);
	output_end(s);
	for (size_t i = 0; i < 2 && c->dirs[i]; i++)
		ck_assert_msg(lockable(c->dirs[i]), "%s is still locked",
			      c->dirs[i]);
	ck_assert_str_eq(slurp(c->path[0]), "0\n");
	/* A second set after the first: the lock was released. */
	s = output_begin(paths, 2);
	output_end(s);
}
END_TEST

START_TEST(test_lock_missing_dir)
{
	/* A directory that does not exist is not locked; staging there
	 * reports it, and the other directory is still locked. */
	ck_assert_int_eq(mkdir(at("d"), 0777), 0);
	const char *paths[] = { at("d/a.h"), at("none/b.h") };
	struct output_set *s = output_begin(paths, 2);
	ck_assert(!lockable("d"));
	ck_assert_int_eq(output_stage(s, paths[1], "1\n", 2, NULL), ENOENT);
	output_end(s);
	ck_assert(lockable("d"));
	ck_assert_str_eq(listing(""), "d\n");
}
END_TEST

/* ---- output_mkdirs -------------------------------------------------------
 */

static const struct mkdirs_case {
	const char *rel;
	int want;
	const char *made; /* a directory there after, or NULL */
} mkdirs_cases[] = {
	{ "a", 0, "a" },
	{ "a/b/c", 0, "a/b/c" },
	{ "a/b/c/", 0, "a/b/c" },
	{ "a//b", 0, "a/b" },
	{ "dir", 0, "dir" },	     /* already there */
	{ "dir/x/y", 0, "dir/x/y" }, /* under one already there */
	{ "file", ENOTDIR, NULL },
	{ "file/x", ENOTDIR, NULL },
};

START_TEST(test_mkdirs)
{
	const struct mkdirs_case *c = &mkdirs_cases[_i];
	ck_assert_int_eq(mkdir(at("dir"), 0777), 0);
	put("file", "f\n", 0666);
	int got = output_mkdirs(at(c->rel));
	ck_assert_msg(got == c->want, "%s: %s, not %s", c->rel, strerror(got),
		      strerror(c->want));
	if (c->made)
		ck_assert(S_ISDIR(stat_of(c->made).st_mode));
	ck_assert_str_eq(slurp("file"), "f\n");
}
END_TEST

/* ---- output_strerror -----------------------------------------------------
 */

static const struct strerror_case {
	int err;
	const char *want;
} strerror_cases[] = {
	{ OUTPUT_SYMLINK,
	  "it is a symbolic link, which skillc does not replace" },
	{ OUTPUT_NOT_REGULAR, "it is not a regular file" },
	{ OUTPUT_CHANGED,
	  "it was changed by someone else meanwhile; nothing was written" },
	{ EISDIR, NULL }, /* NULL: strerror's */
	{ ENOENT, NULL },
};

/* ---- scratch files ------------------------------------------------------ */

/* Pieces streamed one after the other into one scratch file in TMPDIR
 * (the scratch directory, or one that does not exist), each n bytes of
 * a pattern that starts where the piece does. */
static const struct scratch_case {
	bool tmpdir; /* TMPDIR is there */
	size_t n[3];
	enum scratch_end want[3];
} scratch_cases[] = {
	{ true, { 1000 }, { SCRATCH_IN_MEMORY } }, /* never drained */
	{ true, { 3u << 20 }, { SCRATCH_IN_FILE } },
	{ false, { 3u << 20 }, { SCRATCH_LOST } },	   /* render it again */
	{ true, { (1u << 20) + 1 }, { SCRATCH_IN_FILE } }, /* drained once */
	{ true,
	  { 3u << 20, 1000, (3u << 20) + 7 },
	  { SCRATCH_IN_FILE, SCRATCH_IN_MEMORY, SCRATCH_IN_FILE } },
	{ false,
	  { 3u << 20, 1000 },
	  { SCRATCH_LOST, SCRATCH_IN_MEMORY } }, /* failed: in memory */
};

/* Byte i of the pattern test_scratch writes. */
static char
pattern(size_t i)
{
	return (char)('a' + i % 23);
}

/* Whether bytes b[0, n) are the pattern from start. */
static bool
is_pattern(const char *b, size_t n, size_t start)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] != pattern(start + i))
			return false;
	return true;
}

START_TEST(test_scratch)
{
	const struct scratch_case *c = &scratch_cases[_i];
	struct strbuf dir = { 0 };
	strbuf_addf(&dir, "%s%s", scratch, c->tmpdir ? "" : "/none");
	setenv("TMPDIR", dir.buf, 1);
	struct scratch sc = SCRATCH_INIT;
	for (size_t p = 0; p < 3 && c->n[p]; p++) {
		struct strbuf sb;
		uint64_t from;
		scratch_begin(&sc, &sb, &from);
		char piece[1000];
		for (size_t i = 0; i < c->n[p]; i += sizeof piece) {
			size_t k = c->n[p] - i < sizeof piece ? c->n[p] - i
							      : sizeof piece;
			for (size_t j = 0; j < k; j++)
				piece[j] = pattern(i + j);
			strbuf_add(&sb, piece, k);
		}
		enum scratch_end got = scratch_end(&sc, &sb, from);
		ck_assert_int_eq(got, c->want[p]);
		ck_assert(!sb.sink);
		/* The file is gone from the directory from the start. */
		ck_assert_str_eq(listing(""), "");
		if (got == SCRATCH_IN_MEMORY) {
			ck_assert_uint_eq(sb.len, c->n[p]);
			ck_assert(is_pattern(sb.buf, sb.len, 0));
		} else if (got == SCRATCH_IN_FILE) {
			ck_assert_uint_eq(sb.len, 0);
			ck_assert_uint_eq(sc.size - from, c->n[p]);
			char *back = malloc(c->n[p]);
			ck_assert_ptr_nonnull(back);
			ck_assert_int_eq(scratch_read(&sc, from, back, c->n[p]),
					 0);
			ck_assert(is_pattern(back, c->n[p], 0));
			free(back);
			struct stat st;
			ck_assert_int_eq(fstat(sc.fd, &st), 0);
			ck_assert_uint_eq(st.st_mode & 07777, 0600);
		} else {
			ck_assert_uint_eq(sb.len, 0);
			ck_assert(sc.failed);
		}
		strbuf_free(&sb);
	}
	/* Past its end, the file has nothing to give. */
	char one;
	if (sc.fd >= 0)
		ck_assert_int_eq(scratch_read(&sc, sc.size, &one, 1), EIO);
	scratch_close(&sc);
	ck_assert_int_eq(sc.fd, -1);
	unsetenv("TMPDIR");
	strbuf_free(&dir);
}
END_TEST

START_TEST(test_strerror)
{
	const struct strerror_case *c = &strerror_cases[_i];
	ck_assert_str_eq(output_strerror(c->err),
			 c->want ? c->want : strerror(c->err));
}
END_TEST

#define N(a) (sizeof a / sizeof *a)

static Suite *
output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("check");
	tcase_add_unchecked_fixture(tc, make_scratch, remove_scratch);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_check, 0, N(check_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("commit");
	tcase_add_unchecked_fixture(tc, make_scratch, remove_scratch);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_commit_three, 0, N(masks));
	tcase_add_loop_test(tc, test_unchanged, 0, N(same_cases));
	tcase_add_loop_test(tc, test_stream_unchanged, 0, 3 * N(same_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("nothing-written");
	tcase_add_unchecked_fixture(tc, make_scratch, remove_scratch);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_end_without_commit);
	tcase_add_loop_test(tc, test_stage_refused, 0, N(refuse_cases));
	tcase_add_loop_test(tc, test_commit_refused, 0, N(refuse_cases));
	tcase_add_loop_test(tc, test_stream_refused, 0, N(refuse_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("keep");
	tcase_add_unchecked_fixture(tc, make_scratch, remove_scratch);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_keep_mode, 0, N(mode_cases));
	tcase_add_test(tc, test_keep_same_bytes);
	tcase_add_loop_test(tc, test_keep_changed, 0, N(change_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("sweep");
	tcase_add_unchecked_fixture(tc, make_scratch, remove_scratch);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_sweep, 0, N(sweep_cases));
	tcase_add_test(tc, test_sweep_killed);
	suite_add_tcase(s, tc);

	/* A self-deadlock would wait for ever: the timeout ends it. */
	tc = tcase_create("lock");
	tcase_add_unchecked_fixture(tc, make_scratch, remove_scratch);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_lock_once, 0, N(lock_cases));
	tcase_add_test(tc, test_lock_missing_dir);
	suite_add_tcase(s, tc);

	tc = tcase_create("mkdirs");
	tcase_add_unchecked_fixture(tc, make_scratch, remove_scratch);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_mkdirs, 0, N(mkdirs_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("scratch");
	tcase_add_unchecked_fixture(tc, make_scratch, remove_scratch);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_scratch, 0, N(scratch_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("strerror");
	tcase_add_loop_test(tc, test_strerror, 0, N(strerror_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(output_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
