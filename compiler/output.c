/*
 * output.c - putting rendered outputs on disk without ever losing one.
 *
 * Takes: a path and the complete bytes that belong there. Gives: the file
 * holding exactly those bytes, written through a temporary file in the
 * same directory, flushed to disk and renamed over the old one, so a
 * reader, a crash or a full disk sees the old file or the new one, never a
 * mixture. A set of outputs is staged first (every temporary file written
 * and flushed) and committed (renamed) only when all are staged, so a
 * failure leaves every earlier output as it was. A file that already holds
 * the bytes is not touched, so build systems see it unchanged; a
 * symbolic link is never followed or replaced. No pass logic.
 */
#include "skillc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether path is a regular file holding exactly data. */
static bool
output_same(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW);
	if (fd < 0)
		return false;
	struct stat st;
	bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    (size_t)st.st_size == len;
	char buf[65536];
	for (size_t off = 0; same && off < len;) {
		size_t want = len - off < sizeof buf ? len - off : sizeof buf;
		ssize_t n = read(fd, buf, want);
		if (n <= 0 || memcmp(buf, data + off, (size_t)n))
			same = false;
		else
			off += (size_t)n;
	}
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

/* Remove what a killed run may have left: the temporary files of path
 * (".NAME.XXXXXX" beside it), which nobody else names that way. */
static void
output_sweep(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *name = path + dirlen;
	struct strbuf dir = { 0 };
	strbuf_add(&dir, path, dirlen ? dirlen : 0);
	DIR *dp = opendir(dirlen ? dir.buf : ".");
	size_t nlen = strlen(name);
	for (struct dirent *e; dp && (e = readdir(dp));) {
		const char *n = e->d_name;
		if (n[0] == '.' && !strncmp(n + 1, name, nlen) &&
		    n[1 + nlen] == '.' && strlen(n + 2 + nlen) == 6) {
			struct strbuf p = { 0 };
			strbuf_add(&p, path, dirlen);
			strbuf_adds(&p, n);
			unlink(p.buf);
			strbuf_free(&p);
		}
	}
	if (dp)
		closedir(dp);
	strbuf_free(&dir);
}

int
output_stage(const char *path, const char *data, size_t len, char **tmp)
{
	*tmp = NULL;
	/* A symbolic link where an output goes is someone's file elsewhere:
	 * neither follow it nor replace it. */
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return OUTPUT_SYMLINK;
	output_sweep(path);
	if (output_same(path, data, len))
		return 0;
	/* The temporary file sits beside the output, so rename is atomic. */
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	struct strbuf t = { 0 };
	strbuf_add(&t, path, dirlen);
	strbuf_addf(&t, ".%s.XXXXXX", path + dirlen);
	int err = 0;
	int fd = mkstemp(t.buf);
	if (fd < 0) {
		err = errno;
		strbuf_free(&t);
		return err;
	}
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) || (err = write_all(fd, data, len)) ||
	    fsync(fd)) {
		if (!err)
			err = errno;
		close(fd);
		unlink(t.buf);
		strbuf_free(&t);
		return err;
	}
	if (close(fd)) {
		err = errno;
		unlink(t.buf);
		strbuf_free(&t);
		return err;
	}
	*tmp = t.buf; /* the caller's, to commit or discard */
	return 0;
}

int
output_commit(char *tmp, const char *path)
{
	int err = rename(tmp, path) ? errno : 0;
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}

void
output_discard(char *tmp)
{
	if (tmp)
		unlink(tmp);
	free(tmp);
}

int
output_write(const char *path, const char *data, size_t len, bool *changed)
{
	char *tmp;
	int err = output_stage(path, data, len, &tmp);
	*changed = false;
	if (err || !tmp)
		return err;
	err = output_commit(tmp, path);
	*changed = !err;
	return err;
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
	if (err == OUTPUT_SYMLINK)
		return "it is a symbolic link, which skillc does not replace";
	return strerror(err);
}
