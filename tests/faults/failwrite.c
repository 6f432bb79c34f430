/*
 * failwrite.c - a full disk on demand, for the faults suite (LD_PRELOAD).
 *
 * Takes: the environment. SKILLC_FAIL_WRITE_AFTER=N lets N bytes in all
 * reach regular files, then write() to a regular file fails with ENOSPC
 * (the write that crosses the budget is short, as on a real full disk).
 * SKILLC_FAIL_FSYNC=N makes the Nth fsync() or fdatasync() of a regular
 * file and every later one fail with ENOSPC, after flushing nothing.
 * SKILLC_TOUCH_ON_FSYNC=PATH plays another writer: on the first fsync()
 * or fdatasync() of a regular file other than PATH, it appends the line
 * "another writer\n" to PATH (with the real write), then does the real
 * sync. SKILLC_RAISE_ON_WRITE=SIGNUM raises that signal inside the first
 * write() to a regular file, before writing (once; when the process lives
 * on, the write then goes ahead); with SKILLC_RAISE_ON_WRITE_TO=TEXT, the
 * first write to a regular file whose path (/proc/self/fd) holds TEXT.
 * SKILLC_FAIL_PREAD=1 makes every pread() of a regular file fail with EIO,
 * as on a disk that cannot read back what was written.
 * SKILLC_FAIL_DLOPEN=TEXT makes dlopen() of a library whose name holds
 * TEXT fail as where it is not installed, dlerror() saying so.
 * SKILLC_NO_TMPFILE=1 makes open() with O_TMPFILE fail with EOPNOTSUPP,
 * as on a file system without unnamed files; SKILLC_FAIL_LINKAT=1 makes
 * linkat() fail with EXDEV, as where a directory was mounted over
 * meanwhile.
 * Gives: exactly those failures; standard input, output and error and
 * anything that is not a regular file (pipes, ttys, /dev/full) are passed
 * through, so skillc's own messages still arrive.
 */
/* dlsym(RTLD_NEXT) is a GNU extension: this file alone asks for it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
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

/* Whether fd is open on a regular file whose path holds text. */
static bool
failwrite_path_has(int fd, const char *text)
{
	char link[64], path[PATH_MAX];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n < 0)
		return false;
	path[n] = '\0';
	return strstr(path, text) != NULL;
}

/* SKILLC_RAISE_ON_WRITE: the signal, once, at the write it names. */
static void
failwrite_raise(int fd)
{
	static bool done;
	long long sig = failwrite_env("SKILLC_RAISE_ON_WRITE");
	if (done || sig <= 0 || !failwrite_regular(fd))
		return;
	const char *to = getenv("SKILLC_RAISE_ON_WRITE_TO");
	if (to && *to && !failwrite_path_has(fd, to))
		return;
	done = true;
	int saved = errno;
	raise((int)sig);
	errno = saved;
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	static write_fn *real;
	static long long budget = -2; /* -2: not read yet, -1: no limit */
	if (!real)
		failwrite_next("write", &real, sizeof real);
	failwrite_raise(fd);
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

/* SKILLC_TOUCH_ON_FSYNC: another writer appends to PATH, once, at the
 * first sync of any other regular file (skillc's temporary file). */
static void
failwrite_touch(int fd)
{
	static bool done;
	const char *path = getenv("SKILLC_TOUCH_ON_FSYNC");
	struct stat fst, pst;
	if (done || !path || !*path || !failwrite_regular(fd) ||
	    fstat(fd, &fst) || stat(path, &pst))
		return;
	if (fst.st_dev == pst.st_dev && fst.st_ino == pst.st_ino)
		return;
	done = true;
	static write_fn *real;
	if (!real)
		failwrite_next("write", &real, sizeof real);
	int saved = errno;
	int other = open(path, O_WRONLY | O_APPEND);
	if (other >= 0) {
		static const char line[] = "another writer\n";
		if (real(other, line, sizeof line - 1) !=
		    (ssize_t)(sizeof line - 1))
			abort();
		close(other);
	}
	errno = saved;
}

int
fsync(int fd)
{
	static sync_fn *real;
	if (!real)
		failwrite_next("fsync", &real, sizeof real);
	failwrite_touch(fd);
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
	failwrite_touch(fd);
	if (failwrite_sync_fails(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real(fd);
}

typedef ssize_t pread_fn(int, void *, size_t, off_t);

ssize_t
pread(int fd, void *buf, size_t len, off_t off)
{
	static pread_fn *real;
	/* With 64-bit file offsets, <unistd.h> names this pread64. */
#if defined(_FILE_OFFSET_BITS) && _FILE_OFFSET_BITS == 64
	static const char name[] = "pread64";
#else
	static const char name[] = "pread";
#endif
	if (!real)
		failwrite_next(name, &real, sizeof real);
	if (failwrite_env("SKILLC_FAIL_PREAD") > 0 && failwrite_regular(fd)) {
		errno = EIO;
		return -1;
	}
	return real(fd, buf, len, off);
}

/* The library SKILLC_FAIL_DLOPEN names is missing: its dlopen fails, and
 * the next dlerror says what the loader would. Every other dlopen is the
 * real one, called from here: the loader searches this library's RUNPATH
 * (none) rather than the caller's, which is the same for a library of the
 * system's directories, as libzip is. */
static char failwrite_dlerror[512];
static bool failwrite_dlfailed;

void *
dlopen(const char *file, int mode)
{
	static void *(*real)(const char *, int);
	if (!real)
		failwrite_next("dlopen", &real, sizeof real);
	const char *text = getenv("SKILLC_FAIL_DLOPEN");
	if (file && text && *text && strstr(file, text)) {
		snprintf(
			failwrite_dlerror, sizeof failwrite_dlerror,
			"%s: cannot open shared object file: No such file or directory",
			file);
		failwrite_dlfailed = true;
		return NULL;
	}
	return real(file, mode);
}

char *
dlerror(void)
{
	static char *(*real)(void);
	if (!real)
		failwrite_next("dlerror", &real, sizeof real);
	if (failwrite_dlfailed) {
		failwrite_dlfailed = false;
		return failwrite_dlerror;
	}
	return real();
}

/* SKILLC_NO_TMPFILE: open() of an unnamed file fails. With 64-bit file
 * offsets, <fcntl.h> names open open64, for skillc as for this file. */
typedef int open_fn(const char *, int, ...);

int
open(const char *path, int flags, ...)
{
	static open_fn *real;
#if defined(_FILE_OFFSET_BITS) && _FILE_OFFSET_BITS == 64
	static const char name[] = "open64";
#else
	static const char name[] = "open";
#endif
	if (!real)
		failwrite_next(name, &real, sizeof real);
	mode_t mode = 0;
	if (flags & O_CREAT || (flags & O_TMPFILE) == O_TMPFILE) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if ((flags & O_TMPFILE) == O_TMPFILE &&
	    failwrite_env("SKILLC_NO_TMPFILE") > 0) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return real(path, flags, mode);
}

typedef int linkat_fn(int, const char *, int, const char *, int);

int
linkat(int from_dir, const char *from, int to_dir, const char *to, int flags)
{
	static linkat_fn *real;
	if (!real)
		failwrite_next("linkat", &real, sizeof real);
	if (failwrite_env("SKILLC_FAIL_LINKAT") > 0) {
		errno = EXDEV;
		return -1;
	}
	return real(from_dir, from, to_dir, to, flags);
}
