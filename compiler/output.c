/*
 * output.c - putting rendered outputs on disk without ever losing one.
 *
 * Takes: a path and the complete bytes that belong there. Gives: the file
 * holding exactly those bytes, written through a temporary file in the
 * same directory, flushed to disk and renamed over the old one, so a
 * reader, a crash or a full disk sees the old file or the new one, never a
 * mixture. A file that already holds the bytes is not touched, so build
 * systems see it unchanged. No pass logic.
 */
#include "skillc.h"

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

int
output_write(const char *path, const char *data, size_t len, bool *changed)
{
	*changed = false;
	/* A symbolic link where an output goes is someone's file elsewhere:
	 * neither follow it nor replace it. */
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return OUTPUT_SYMLINK;
	if (output_same(path, data, len))
		return 0;
	/* The temporary file sits beside the output, so rename is atomic. */
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	struct strbuf tmp = { 0 };
	strbuf_add(&tmp, path, dirlen);
	strbuf_addf(&tmp, ".%s.XXXXXX", path + dirlen);
	int err = 0;
	int fd = mkstemp(tmp.buf);
	if (fd < 0) {
		err = errno;
		goto out;
	}
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) || (err = write_all(fd, data, len)) ||
	    fsync(fd)) {
		if (!err)
			err = errno;
		close(fd);
		unlink(tmp.buf);
		goto out;
	}
	if (close(fd) || rename(tmp.buf, path)) {
		err = errno;
		unlink(tmp.buf);
		goto out;
	}
	*changed = true;
out:
	strbuf_free(&tmp);
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
