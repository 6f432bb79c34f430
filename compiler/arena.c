/*
 * arena.c - one region of memory per run.
 *
 * Takes: requests for zeroed blocks. Gives: memory that lives until
 * arena_free. Blocks are carved from chunks that double in size, so the
 * number of malloc calls is logarithmic in what a run builds; a request
 * larger than a chunk gets a chunk of its own. A large chunk's pages are
 * made ready a run ahead of use (arena_ready), not faulted in one by one,
 * and are huge pages where the kernel allows (chunk_map).
 *
 * Texts (arena_strndup) are carved from chunks of their own, apart from
 * the structures that point at them: a pass over the texts of a standard
 * (the checks of IDs, the text rules) reads them side by side, not one
 * in every few cache lines between the nodes and the model; 9.5% off
 * check's time at 12 MB.
 */
#define _DEFAULT_SOURCE /* madvise's MADV_POPULATE_WRITE */
#include "skillc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Small: calloc clears a chunk from the heap whole, so a small arena (a set
 * of terms, a scratch) touches one page, not sixteen. */
#define ARENA_FIRST_CHUNK (4 * 1024)
#define ARENA_ALIGN	  _Alignof(max_align_t)

struct chunk {
	struct chunk *prev;
	size_t size, used;
	size_t mapped; /* by chunk_map: the mapping's length; 0: calloc'd */
	size_t ready;  /* data[0, ready) made ready (or the chunk is small) */
	max_align_t data[];
};

struct cleanup {
	struct cleanup *next;
	void (*fn)(void *);
	void *p;
};

/* A run of chunks, the newest first. */
struct chain {
	struct chunk *head;
	size_t next_size;
};

struct arena {
	struct chain objects, texts;
	size_t total;
	struct cleanup *cleanups; /* run by arena_free, last added first */
};

void
die_oom(void)
{
	fputs(i18n_out_of_memory, stderr);
	exit(2);
}

struct arena *
arena_new(void)
{
	struct arena *a = calloc(1, sizeof *a);
	if (!a)
		die_oom();
	a->objects.next_size = a->texts.next_size = ARENA_FIRST_CHUNK;
	return a;
}

void
arena_free(struct arena *a)
{
	if (!a)
		return;
	for (struct cleanup *k = a->cleanups; k; k = k->next)
		k->fn(k->p);
	struct chunk *heads[] = { a->objects.head, a->texts.head };
	for (size_t i = 0; i < 2; i++)
		for (struct chunk *c = heads[i], *prev; c; c = prev) {
			prev = c->prev;
			if (c->mapped)
				munmap(c, c->mapped);
			else
				free(c);
		}
	free(a);
}

/* A chunk of ARENA_HUGE_MIN bytes and more is mapped by the arena, in
 * whole huge pages from a huge page's boundary, and asks for them (THP
 * "madvise", as on this project's machine; a hint, no more): a fault
 * brings in 2 MiB rather than 4 KiB, and the tree, walked out of order,
 * misses the TLB less. check at 12.3 and 125 MB: 0.76 and 0.71 of its
 * time, 2 MB more peak RSS (the last huge page of each chain). 2 MiB is
 * a huge page on x86-64 and on arm64 with 4 KiB pages; where it is
 * larger, the hint does less, and nothing else changes. */
#define ARENA_HUGE     ((size_t)2 << 20)
#define ARENA_HUGE_MIN ((size_t)8 << 20)

static struct chunk *
chunk_map(size_t bytes)
{
#ifdef MADV_HUGEPAGE
	if (bytes > SIZE_MAX - 2 * ARENA_HUGE)
		return NULL;
	size_t len = (bytes + ARENA_HUGE - 1) & ~(ARENA_HUGE - 1);
	char *p = mmap(NULL, len + ARENA_HUGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* keep the aligned len bytes, give back the rest */
	size_t head = (ARENA_HUGE - (uintptr_t)p % ARENA_HUGE) % ARENA_HUGE;
	if (head)
		munmap(p, head);
	munmap(p + head + len, ARENA_HUGE - head); /* never 0 bytes */
	struct chunk *c = (struct chunk *)(p + head);
	(void)madvise(c, len, MADV_HUGEPAGE); /* a hint */
	c->mapped = len;
	return c;
#else
	(void)bytes;
	return NULL;
#endif
}

static struct chunk *
arena_grow(struct chain *ch, size_t need)
{
	if (need > SIZE_MAX / 2) /* no power of two past it fits */
		die_oom();
	size_t size = ch->next_size;
	while (size < need)
		size *= 2;
	/* Zeroed once, here: the arena never hands out a byte twice, so
	 * arena_alloc need not clear it, and a fresh mapping (calloc's of
	 * a large chunk, or ours) is zeroed by the kernel already. */
	struct chunk *c = NULL;
	if (size >= ARENA_HUGE_MIN)
		c = chunk_map(sizeof *c + size);
	if (!c)
		c = calloc(1, sizeof *c + size);
	if (!c)
		die_oom();
	c->prev = ch->head;
	/* a mapping is whole huge pages: all of it is the chunk's */
	c->size = c->mapped ? c->mapped - sizeof *c : size;
	c->used = 0;
	/* a small chunk is not worth the call: its pages fault in */
	c->ready = size < ARENA_READY_MIN ? size : 0;
	ch->head = c;
	if (ch->next_size < ((size_t)1 << 26))
		ch->next_size *= 2;
	return c;
}

/* size bytes at the next multiple of align (a power of two) in the head
 * chunk of the chain, or in a new one. */
static void *
arena_carve(struct arena *a, struct chain *ch, size_t size, size_t align)
{
	if (size > SIZE_MAX - ARENA_ALIGN)
		die_oom();
	struct chunk *c = ch->head;
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
	if (!c || at > c->size || c->size - at < size) {
		c = arena_grow(ch, size ? size : 1);
		at = 0;
	}
	c->used = at + size;
	a->total += size;
	if (c->used > c->ready) {
		size_t to = c->size - c->used > ARENA_READY_MIN
				    ? c->used + ARENA_READY_MIN
				    : c->size;
		arena_ready((char *)c->data + c->ready, to - c->ready);
		c->ready = to;
	}
	return (char *)c->data + at;
}

void *
arena_alloc(struct arena *a, size_t size)
{
	return arena_carve(a, &a->objects, size, ARENA_ALIGN);
}

void *
arena_array(struct arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		die_oom();
	return arena_alloc(a, count * size);
}

char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	/* text needs no alignment */
	char *p = arena_carve(a, &a->texts, len + 1, 1);
	if (len)
		memcpy(p, s, len);
	return p;
}

void
arena_on_free(struct arena *a, void (*fn)(void *), void *p)
{
	struct cleanup *k = arena_alloc(a, sizeof *k);
	*k = (struct cleanup){ a->cleanups, fn, p };
	a->cleanups = k;
}

size_t
arena_used(const struct arena *a)
{
	return a->total;
}

void
arena_ready(void *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	static uintptr_t mask; /* the page size, less one */
	if (!mask) {
		long page = sysconf(_SC_PAGESIZE);
		mask = (uintptr_t)(page > 0 ? page : 4096) - 1;
	}
	uintptr_t from = (uintptr_t)p & ~mask;
	if (len) /* a hint: where the kernel cannot, pages fault in as ever */
		(void)madvise((void *)from, (uintptr_t)p + len - from,
			      MADV_POPULATE_WRITE);
#else
	(void)p, (void)len;
#endif
}
