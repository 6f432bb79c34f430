/*
 * test_arena.c - the arena: zeroed memory aligned for any object, blocks
 * larger than a chunk, blocks that never overlap, string copies, the
 * count of bytes used, a large chunk's pages made ready a run ahead of
 * use and no further, and a large chunk mapped whole.
 */
#define _DEFAULT_SOURCE /* mincore, MADV_POPULATE_WRITE */
#include "skillc.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ALIGN _Alignof(max_align_t)

static struct arena *arena;

static void
setup(void)
{
	arena = arena_new();
}

static void
teardown(void)
{
	arena_free(arena);
	arena = NULL;
}

/* Sizes around the alignment, around the first chunk (64 KiB), and well
 * past it. */
static const size_t sizes[] = {
	1,
	2,
	3,
	7,
	8,
	15,
	16,
	17,
	31,
	33,
	100,
	1000,
	4095,
	65535,
	65536,
	65537,
	(size_t)1 << 20,
	3u << 20,
	(size_t)9 << 20,
};
#define N_SIZES (sizeof sizes / sizeof *sizes)

/* The index of the first non-zero byte of p, or size. */
static size_t
first_nonzero(const unsigned char *p, size_t size)
{
	size_t i = 0;
	while (i < size && p[i] == 0)
		i++;
	return i;
}

static bool
aligned(const void *p)
{
	return (uintptr_t)p % ALIGN == 0;
}

START_TEST(test_zeroed)
{
	size_t size = sizes[_i];
	/* Dirty the heap first, so that memory handed back without being
	 * cleared would show (valgrind flags it in any case). */
	struct arena *dirty = arena_new();
	memset(arena_alloc(dirty, size), 0xa5, size);
	arena_free(dirty);
	unsigned char *p = arena_alloc(arena, size);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(first_nonzero(p, size), size);
}
END_TEST

START_TEST(test_zeroed_after_use)
{
	/* Blocks carved later from a chunk are zeroed too. */
	size_t size = sizes[_i];
	memset(arena_alloc(arena, 100), 0xff, 100);
	unsigned char *p = arena_alloc(arena, size);
	ck_assert_uint_eq(first_nonzero(p, size), size);
	memset(p, 0xff, size);
	unsigned char *q = arena_alloc(arena, size);
	ck_assert_uint_eq(first_nonzero(q, size), size);
}
END_TEST

START_TEST(test_array_zeroed)
{
	size_t count = sizes[_i] / sizeof(uint64_t) + 1;
	uint64_t *v = arena_array(arena, count, sizeof *v);
	size_t i = 0;
	while (i < count && v[i] == 0)
		i++;
	ck_assert_uint_eq(i, count);
}
END_TEST

START_TEST(test_aligned)
{
	/* An odd-sized block before and after: each pointer must still be
	 * aligned for any object. A text is not (it needs no alignment), but
	 * what follows it is. */
	void *before = arena_alloc(arena, 1);
	void *p = arena_alloc(arena, sizes[_i]);
	void *after = arena_alloc(arena, 3);
	char *s = arena_strndup(arena, "abcde", 5);
	void *v = arena_array(arena, 3, 5);
	ck_assert_uint_eq((uintptr_t)before % ALIGN, 0);
	ck_assert_uint_eq((uintptr_t)p % ALIGN, 0);
	ck_assert_uint_eq((uintptr_t)after % ALIGN, 0);
	ck_assert_str_eq(s, "abcde");
	ck_assert_uint_eq((uintptr_t)v % ALIGN, 0);
}
END_TEST

/* Texts are packed: the bytes of "ab" and its NUL, then the next text. */
START_TEST(test_texts_packed)
{
	char *a = arena_strndup(arena, "ab", 2);
	char *b = arena_strndup(arena, "c", 1);
	ck_assert_ptr_eq(b, a + 3);
	ck_assert_str_eq(a, "ab");
	ck_assert_str_eq(b, "c");
	void *v = arena_alloc(arena, 8);
	ck_assert_uint_eq((uintptr_t)v % ALIGN, 0);
	ck_assert_ptr_ne(v, b);
}
END_TEST

/* Texts are kept apart from the structures between them: a run of texts
 * with a block allocated between each two is still one run, and so are
 * the blocks. */
START_TEST(test_texts_apart)
{
	char *t = arena_strndup(arena, "id", 2);
	char *v = arena_alloc(arena, ALIGN);
	for (size_t i = 1; i < 100; i++) {
		char *u = arena_strndup(arena, "id", 2);
		char *w = arena_alloc(arena, ALIGN);
		ck_assert_ptr_eq(u, t + 3 * i);
		ck_assert_ptr_eq(w, v + ALIGN * i);
		ck_assert_str_eq(u, "id");
	}
	ck_assert_str_eq(t, "id");
}
END_TEST

START_TEST(test_aligned_many)
{
	/* Every size from 1 to 300, twice over: many chunks' worth of
	 * alignment boundaries. */
	for (size_t round = 0; round < 2; round++)
		for (size_t size = 1; size <= 300; size++)
			ck_assert_msg(aligned(arena_alloc(arena, size)),
				      "block of %zu bytes is misaligned", size);
}
END_TEST

START_TEST(test_large)
{
	/* A request bigger than a chunk, between small ones: all usable in
	 * full and none overlapping. */
	size_t size = sizes[_i];
	unsigned char *a = arena_alloc(arena, 10);
	unsigned char *big = arena_alloc(arena, size);
	unsigned char *b = arena_alloc(arena, 10);
	memset(a, 0x11, 10);
	memset(big, 0x22, size);
	memset(b, 0x33, 10);
	ck_assert(aligned(big));
	ck_assert_uint_eq(a[0], 0x11);
	ck_assert_uint_eq(a[9], 0x11);
	ck_assert_uint_eq(big[0], 0x22);
	ck_assert_uint_eq(big[size - 1], 0x22);
	ck_assert_uint_eq(b[0], 0x33);
	ck_assert_uint_eq(b[9], 0x33);
	ck_assert(big + size <= b || b + 10 <= big);
	ck_assert(big + size <= a || a + 10 <= big);
}
END_TEST

START_TEST(test_too_large)
{
	/* Past the largest power of two: out of memory (exit 2), where the
	 * chunk's size once doubled round to 0 and on for ever. */
	arena_alloc(arena, SIZE_MAX / 2 + 2);
}
END_TEST

START_TEST(test_no_overlap)
{
	/* 20,000 blocks of 100 bytes span many chunks; each keeps its own
	 * pattern when all are written. */
	enum { N = 20000, SIZE = 100 };
	unsigned char **blocks = arena_array(arena, N, sizeof *blocks);
	for (size_t i = 0; i < N; i++) {
		blocks[i] = arena_alloc(arena, SIZE);
		memset(blocks[i], (int)(i % 251) + 1, SIZE);
	}
	for (size_t i = 0; i < N; i++)
		for (size_t j = 0; j < SIZE; j += SIZE - 1)
			ck_assert_msg(
				blocks[i][j] == (unsigned char)(i % 251 + 1),
				"block %zu byte %zu was overwritten", i, j);
}
END_TEST

static const struct strndup_case {
	const char *src;
	size_t len;
	const char *want; /* want[0..len) then NUL */
} strndup_cases[] = {
	{ "hello", 5, "hello" }, { "hello world", 5, "hello" },
	{ "", 0, "" },		 { "abc", 0, "" },
	{ "a\0b", 3, "a\0b" },	 { "名称", 6, "名称" },
	{ "名称", 3, "名" },
};

START_TEST(test_strndup)
{
	const struct strndup_case *c = &strndup_cases[_i];
	/* Copy from a scratch buffer that is then overwritten: the copy
	 * must not share it. */
	char scratch[32];
	memset(scratch, 'x', sizeof scratch);
	memcpy(scratch, c->src, c->len);
	char *p = arena_strndup(arena, scratch, c->len);
	memset(scratch, 'y', sizeof scratch);
	ck_assert_ptr_ne(p, scratch);
	if (c->len)
		ck_assert_mem_eq(p, c->want, c->len);
	ck_assert_int_eq(p[c->len], '\0');
}
END_TEST

START_TEST(test_used)
{
	ck_assert_uint_eq(arena_used(arena), 0);
	size_t before = 0;
	for (size_t i = 0; i < N_SIZES; i++) {
		arena_alloc(arena, sizes[i]);
		size_t now = arena_used(arena);
		/* It grows by what was asked, plus at most the padding that
		 * keeps the next block aligned. */
		ck_assert_uint_ge(now - before, sizes[i]);
		ck_assert_uint_lt(now - before, sizes[i] + ALIGN);
		before = now;
	}
	arena_strndup(arena, "hello", 5);
	ck_assert_uint_ge(arena_used(arena) - before, 6);
	before = arena_used(arena);
	arena_array(arena, 10, 8);
	ck_assert_uint_ge(arena_used(arena) - before, 80);
}
END_TEST

/* How many pages of [from, to) are in memory, by mincore. */
static size_t
resident(uintptr_t from, uintptr_t to)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	from &= ~(uintptr_t)(page - 1);
	if (from >= to)
		return 0;
	size_t n = (to - from + page - 1) / page, count = 0;
	unsigned char *v = calloc(n, 1);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(mincore((void *)from, to - from, v), 0);
	for (size_t i = 0; i < n; i++)
		count += v[i] & 1;
	free(v);
	return count;
}

/* Whether this kernel can populate a mapping (Linux 5.14 and later). */
static bool
can_populate(void)
{
#ifdef MADV_POPULATE_WRITE
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert(p != MAP_FAILED);
	bool ok = madvise(p, page, MADV_POPULATE_WRITE) == 0;
	munmap(p, page);
	return ok;
#else
	return false;
#endif
}

/* Whether a THP setting gives huge pages to a mapping that asks for
 * them ("[always]" or "[madvise]"), as the arena's large chunks do: top,
 * the one of /sys/kernel/mm/transparent_hugepage/ or of a size under it. */
static bool
thp_on(const char *top)
{
	char path[512], line[128];
	snprintf(path, sizeof path, "/sys/kernel/mm/transparent_hugepage/%s",
		 top);
	FILE *f = fopen(path, "r");
	bool on = f && fgets(line, sizeof line, f) &&
		  (strstr(line, "[always]") || strstr(line, "[madvise]"));
	if (f)
		fclose(f);
	return on;
}

/* The slack past the run that may be present unasked. Where the arena
 * maps the chunk itself (MADV_HUGEPAGE), what calloc does is nothing to
 * it; elsewhere the whole chunk where calloc writes every byte it gives:
 * valgrind's does, and glibc's with MALLOC_PERTURB_ (meson's tests set
 * it; tests/meson.build sets it 0 for this one), so ask a calloc of the
 * chunk's size. Else 2 MiB where the kernel may make huge pages, which a
 * chunk of ARENA_HUGE_MIN and more asks for: THP "always" or "madvise",
 * for all sizes or one (Linux 6.8's per-size settings), or glibc told to
 * ask for them. Else none. */
static uintptr_t
slack_pages(void)
{
#ifndef MADV_HUGEPAGE
	const size_t big = (size_t)32 << 20;
	unsigned char *probe = calloc(1, big);
	ck_assert_ptr_nonnull(probe);
	uintptr_t last = (uintptr_t)probe + big - 1;
	bool written = resident(last, last + 1) != 0;
	free(probe);
	if (written)
		return big;
#endif
	const char *tunables = getenv("GLIBC_TUNABLES");
	bool huge =
		thp_on("enabled") || (tunables && strstr(tunables, "hugetlb"));
	DIR *dir = opendir("/sys/kernel/mm/transparent_hugepage");
	for (struct dirent *e; dir && !huge && (e = readdir(dir));) {
		char name[300];
		snprintf(name, sizeof name, "%s/enabled", e->d_name);
		huge = !strncmp(e->d_name, "hugepages-", 10) && thp_on(name);
	}
	if (dir)
		closedir(dir);
	return huge ? (uintptr_t)2 << 20 : 0;
}

START_TEST(test_ready_ahead)
{
	if (!can_populate()) {
		puts("arena ready: the kernel cannot populate; not tested");
		return;
	}
	/* 17 MiB into a fresh arena: a chunk of 32 MiB of its own (and the
	 * rest of its last huge page, where it is mapped). Its pages are
	 * present through the block and ARENA_READY_MIN beyond, and not one
	 * page further (but a huge page's slack). */
	const uintptr_t mib = (uintptr_t)1 << 20, end = 30 * mib;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t slack = slack_pages() + page;
	uintptr_t p = (uintptr_t)arena_alloc(arena, 17 * mib);
	uintptr_t base = p & ~(page - 1);
	uintptr_t ahead = p + 17 * mib + ARENA_READY_MIN;
	ck_assert_uint_eq(resident(p, ahead), (ahead - base + page - 1) / page);
	ck_assert_uint_eq(resident(ahead + slack, p + end), 0);
	/* The next block in the chunk moves the run on. */
	uintptr_t q = (uintptr_t)arena_alloc(arena, 4 * mib);
	ck_assert_uint_eq(q, p + 17 * mib);
	ahead = q + 4 * mib + ARENA_READY_MIN;
	ck_assert_uint_eq(resident(p, ahead), (ahead - base + page - 1) / page);
	ck_assert_uint_eq(resident(ahead + slack, p + end), 0);
}
END_TEST

START_TEST(test_mapped_whole)
{
#ifdef MADV_HUGEPAGE
	/* 8 MiB into a fresh arena: a chunk mapped on a huge page's
	 * boundary, its header first, of whole huge pages (10 MiB), all of
	 * it the chunk's: a block of 1 MiB more fits after the first. */
	const uintptr_t mib = (uintptr_t)1 << 20;
	unsigned char *p = arena_alloc(arena, 8 * mib);
	ck_assert_uint_lt((uintptr_t)p % (2 * mib), 4096);
	unsigned char *q = arena_alloc(arena, mib);
	ck_assert_ptr_eq(q, p + 8 * mib);
	ck_assert_uint_eq(first_nonzero(q, mib), mib);
	memset(q, 0x44, mib);
	ck_assert_uint_eq(q[mib - 1], 0x44);
#else
	puts("arena mapped: no MADV_HUGEPAGE; chunks are calloc's");
#endif
}
END_TEST

static Suite *
arena_suite(void)
{
	Suite *s = suite_create("arena");
	TCase *tc;

	tc = tcase_create("zeroed");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_zeroed, 0, N_SIZES);
	tcase_add_loop_test(tc, test_zeroed_after_use, 0, N_SIZES);
	tcase_add_loop_test(tc, test_array_zeroed, 0, N_SIZES);
	suite_add_tcase(s, tc);

	tc = tcase_create("aligned");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_aligned, 0, N_SIZES);
	tcase_add_test(tc, test_aligned_many);
	tcase_add_test(tc, test_texts_packed);
	tcase_add_test(tc, test_texts_apart);
	suite_add_tcase(s, tc);

	tc = tcase_create("large");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_large, 0, N_SIZES);
	tcase_add_test(tc, test_no_overlap);
	/* An exit test needs a child of its own: none under CK_FORK=no, as
	 * the valgrind setup runs (an exit there ends the whole run). */
	const char *ck_fork = getenv("CK_FORK");
	if (!ck_fork || strcmp(ck_fork, "no"))
		tcase_add_exit_test(tc, test_too_large, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("strndup");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_strndup, 0,
			    sizeof strndup_cases / sizeof *strndup_cases);
	suite_add_tcase(s, tc);

	tc = tcase_create("used");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_used);
	suite_add_tcase(s, tc);

	tc = tcase_create("ready");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ready_ahead);
	tcase_add_test(tc, test_mapped_whole);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(arena_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
