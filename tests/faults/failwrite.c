/*
 * failwrite.c - a full disk on demand, for the faults suite (LD_PRELOAD).
 *
 * Takes: the environment. SKILLC_FAIL_WRITE_AFTER=N lets N bytes in all
 * reach regular files, then write() to a regular file fails with ENOSPC
 * (the write that crosses the budget is short, as on a real full disk).
 * SKILLC_FAIL_FSYNC=N makes the Nth fsync() or fdatasync() of a regular
 * file and every later one fail with ENOSPC, after flushing nothing.
 * Gives: exactly those failures; standard input, output and error and
 * anything that is not a regular file (pipes, ttys, /dev/full) are passed
 * through, so skillc's own messages still arrive.
 */
/* dlsym(RTLD_NEXT) is a GNU extension: this file alone asks for it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

typedef ssize_t write_fn(int, const void *, size_t);
typedef int sync_fn(int);

/* The next definition of name after this library's. A data pointer is
 * copied into a function pointer with memcpy: ISO C has no cast between
 * them, POSIX guarantees the representation. */
static void
failwrite_next(const char *name, void *fn, size_t size)
{
	void *sym = dlsym(RTLD_NEXT, name);
	if (!sym)
		abort();
	memcpy(fn, &sym, size);
}

static bool
failwrite_regular(int fd)
{
	struct stat st;
	return fd > STDERR_FILENO && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

/* The value of an environment variable as a count, or -1 when unset. */
static long long
failwrite_env(const char *name)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return -1;
	return strtoll(v, NULL, 10);
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	static write_fn *real;
	static long long budget = -2; /* -2: not read yet, -1: no limit */
	if (!real)
		failwrite_next("write", &real, sizeof real);
	if (budget == -2)
		budget = failwrite_env("SKILLC_FAIL_WRITE_AFTER");
	if (budget < 0 || !failwrite_regular(fd))
		return real(fd, buf, len);
	if (budget == 0) {
		errno = ENOSPC;
		return -1;
	}
	if ((unsigned long long)budget < len)
		len = (size_t)budget;
	ssize_t n = real(fd, buf, len);
	if (n > 0)
		budget -= n;
	return n;
}

/* Whether this sync of fd is one SKILLC_FAIL_FSYNC makes fail. */
static bool
failwrite_sync_fails(int fd)
{
	static long long nth = -2, seen;
	if (nth == -2)
		nth = failwrite_env("SKILLC_FAIL_FSYNC");
	if (nth < 0 || !failwrite_regular(fd))
		return false;
	return ++seen >= nth;
}

int
fsync(int fd)
{
	static sync_fn *real;
	if (!real)
		failwrite_next("fsync", &real, sizeof real);
	if (failwrite_sync_fails(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real(fd);
}

int
fdatasync(int fd)
{
	static sync_fn *real;
	if (!real)
		failwrite_next("fdatasync", &real, sizeof real);
	if (failwrite_sync_fails(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real(fd);
}
